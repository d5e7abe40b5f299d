// Start-up and routing. Routes carry internal ids only (#/patients/<uuid>), never names or other identifiers.
import { api } from './api.js';
import { session } from './session.js';
import { clear, h } from './dom.js';
import { startLive, stopLive, onStatus } from './live.js';
import { ROLES } from './words.js';
import { signInPage } from './pages/signin.js';
import { setupPage } from './pages/setup.js';
import { queuePage } from './pages/queue.js';
import { patientsPage } from './pages/patients.js';
import { chartPage } from './pages/chart.js';
import { patientFormPage } from './pages/patient-form.js';
import { carePlanEditPage } from './pages/careplan-edit.js';
import { carePlanPrintPage } from './pages/careplan-print.js';
import { devicesPage } from './pages/devices.js';
import { billingPage } from './pages/billing.js';
import { staffPage } from './pages/staff.js';
import { worklistPage } from './pages/worklist.js';
import { auditPage } from './pages/audit.js';
import { billingSetupPage } from './pages/billingsetup.js';
import { importPage } from './pages/import.js';
import { renderTimerBar } from './timelog.js';

const main = document.getElementById('main');
// Each page renders into its own view inside <main>. A page still loading when the person navigates on finishes into
// its detached view, so it can no longer paint over the newer page (a biller going from billing to the queue at once
// saw the queue highlighted and the billing page shown), and its clean-up runs at once.
const ROUTES = [
  [/^#\/queue$/, (view) => queuePage(view), 'queue'],
  [/^#\/patients$/, (view) => patientsPage(view), 'patients'],
  [/^#\/patients\/new$/, (view) => patientFormPage(view, null), 'patients'],
  [/^#\/patients\/([0-9a-f-]{36})$/, (view, id) => chartPage(view, id), 'patients'],
  [/^#\/patients\/([0-9a-f-]{36})\/edit$/, (view, id) => patientFormPage(view, id), 'patients'],
  [/^#\/patients\/([0-9a-f-]{36})\/care-plan$/, (view, id) => carePlanEditPage(view, id), 'patients'],
  [/^#\/patients\/([0-9a-f-]{36})\/care-plan\/print$/, (view, id) => carePlanPrintPage(view, id), 'patients'],
  [/^#\/devices$/, (view) => devicesPage(view), 'devices'],
  [/^#\/worklist$/, (view) => worklistPage(view), 'worklist'],
  [/^#\/billing$/, (view) => billingPage(view), 'billing'],
  [/^#\/admin\/staff$/, (view) => staffPage(view), 'staff'],
  [/^#\/admin\/audit$/, (view) => auditPage(view), 'audit'],
  [/^#\/billing\/setup$/, (view) => billingSetupPage(view), 'billing'],
  [/^#\/import$/, (view) => importPage(view), 'import'],
];
let leave = null;
let navigation = 0;

async function route() {
  const ticket = ++navigation;
  if (leave) { leave(); leave = null; }
  if (!session.token) {
    showChrome(false);
    if (await setupNeeded()) {
      if (ticket === navigation) setupPage(main, (email) => { setupDone = true; signInPage(main, signedIn, email); });
      return;
    }
    if (ticket === navigation) signInPage(main, signedIn);
    return;
  }
  showChrome(true);
  const hash = location.hash || defaultRoute();
  for (const [pattern, render, nav] of ROUTES) {
    const match = hash.match(pattern);
    if (match) {
      for (const a of document.querySelectorAll('[data-nav]')) a.toggleAttribute('aria-current', a.dataset.nav === nav);
      const view = h('div.view', {}, h('p.loading', {}, 'Loading…'));
      clear(main, view);
      try {
        const cleanup = await render(view, ...match.slice(1)) || null;
        if (ticket !== navigation) { if (cleanup) cleanup(); return; }
        leave = cleanup;
      } catch (e) {
        if (ticket === navigation && e.status !== 401) clear(view, h('p.error', {role: 'alert'}, e.plain || e.message));
      }
      if (ticket === navigation) main.focus({preventScroll: true});
      return;
    }
  }
  location.hash = defaultRoute();
}

// A fresh install has no staff account: the page offers the first-run setup instead of a sign-in nobody could pass.
// Once the server says it is not needed, it never will be again (setup runs once), so the answer is kept.
let setupDone = false;
async function setupNeeded() {
  if (setupDone) return false;
  try {
    setupDone = !(await api.get('/setup')).needed;
  } catch (ignored) {
    return false; // the sign-in page says what is wrong when it is used
  }
  return !setupDone;
}

function defaultRoute() {
  return session.can('workQueue') || !session.can('billing') ? '#/queue' : '#/billing';
}

function showChrome(visible) {
  document.getElementById('top').hidden = !visible;
  if (!visible) { stopLive(); return; }
  const me = session.me;
  clear(document.getElementById('who'), me.displayName, ' · ', ROLES[me.role] || me.role);
  for (const a of document.querySelectorAll('[data-needs]')) a.hidden = !session.can(a.dataset.needs);
  renderTimerBar();
}

function signedIn() {
  startLive();
  location.hash = location.hash && location.hash !== '#/' ? location.hash : defaultRoute();
  route();
}

onStatus((state, text) => {
  const live = document.getElementById('live');
  live.dataset.state = state;
  live.textContent = text;
});

document.getElementById('sign-out').addEventListener('click', async () => {
  try { await api.post('/auth/logout'); } catch (ignored) { /* signed out either way */ }
  session.end('You have signed out.');
  stopLive();
  if (location.hash) location.hash = ''; else route();
});
// A lost phone or a shared computer left signed in: end every session of this person, this one too.
document.getElementById('sign-out-everywhere').addEventListener('click', async () => {
  let notice = 'You have signed out on every computer and phone.';
  try { await api.post('/auth/logout-everywhere'); } catch (e) {
    notice = 'Signing out everywhere may not have reached the server; this page has signed out. Sign in and try again if in doubt.';
  }
  session.end(notice);
  stopLive();
  if (location.hash) location.hash = ''; else route();
});
window.addEventListener('careloop:signed-out', () => { stopLive(); route(); });
window.addEventListener('hashchange', route);

if (session.token) startLive();
route();
