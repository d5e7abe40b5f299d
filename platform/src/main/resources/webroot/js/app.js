// Start-up and routing. Routes carry internal ids only (#/patients/<uuid>), never names or other identifiers.
import { api } from './api.js';
import { session } from './session.js';
import { clear, h } from './dom.js';
import { startLive, stopLive, onStatus } from './live.js';
import { ROLES } from './words.js';
import { signInPage } from './pages/signin.js';
import { queuePage } from './pages/queue.js';
import { patientsPage } from './pages/patients.js';
import { chartPage } from './pages/chart.js';
import { devicesPage } from './pages/devices.js';
import { billingPage } from './pages/billing.js';
import { renderTimerBar } from './timelog.js';

const main = document.getElementById('main');
const ROUTES = [
  [/^#\/queue$/, () => queuePage(main), 'queue'],
  [/^#\/patients$/, () => patientsPage(main), 'patients'],
  [/^#\/patients\/([0-9a-f-]{36})$/, (id) => chartPage(main, id), 'patients'],
  [/^#\/devices$/, () => devicesPage(main), 'devices'],
  [/^#\/billing$/, () => billingPage(main), 'billing'],
];
let leave = null;

async function route() {
  if (leave) { leave(); leave = null; }
  if (!session.token) {
    showChrome(false);
    signInPage(main, signedIn);
    return;
  }
  showChrome(true);
  const hash = location.hash || defaultRoute();
  for (const [pattern, render, nav] of ROUTES) {
    const match = hash.match(pattern);
    if (match) {
      for (const a of document.querySelectorAll('[data-nav]')) a.toggleAttribute('aria-current', a.dataset.nav === nav);
      clear(main, h('p.loading', {}, 'Loading…'));
      try {
        leave = await render(...match.slice(1)) || null;
      } catch (e) {
        if (e.status !== 401) clear(main, h('p.error', {role: 'alert'}, e.plain || e.message));
      }
      main.focus({preventScroll: true});
      return;
    }
  }
  location.hash = defaultRoute();
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
window.addEventListener('careloop:signed-out', () => { stopLive(); route(); });
window.addEventListener('hashchange', route);

if (session.token) startLive();
route();
