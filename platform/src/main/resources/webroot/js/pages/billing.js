// The billing month: readiness per patient (data days, minutes, what is missing for which code), close the month,
// and download its claims as CSV or 837P, with the reason for every code billed or not.
import { api, download } from '../api.js';
import { session } from '../session.js';
import { clear, dialog, h, table, toast } from '../dom.js';
import { patientDirectory } from '../directory.js';
import { patientName } from '../words.js';
import { correctionsSection } from './billing-corrections.js';
import { acknowledgementsSection, claimStatuses, lineStatusCell } from './billing-acks.js';

export async function billingPage(main, month) {
  if (!session.can('billing')) {
    clear(main, h('h1', {}, 'Billing'), h('p.notice#billing-refused', {}, 'Billing is for billing staff and administrators. Your role does not include it.'));
    return;
  }
  // The current month by default: readiness says what is still missing while there is time to act.
  month = month || shiftMonth(currentMonth(), 0);
  const ended = month < currentMonth();
  const [readiness, directory] = await Promise.all([api.get('/billing/readiness?month=' + month), patientDirectory()]);
  const closed = await api.get('/billing/months/' + month + '/claims.json').catch(e => { if (e.code === 'month_not_closed' || e.status === 409) return null; throw e; });
  const name = (id, ref) => patientName(directory.get(id) || {externalRef: ref});
  const statuses = closed ? await claimStatuses(month) : [];
  // After an import or a payer number: the month again, with what the import did under its form.
  const refresh = async (report) => { await billingPage(main, month); if (report) document.getElementById('ack-report')?.replaceChildren(report); };
  const picker = h('input#billing-month', {type: 'month', value: month, onchange: e => e.target.value && billingPage(main, e.target.value)});
  const actions = h('div.actions', {},
    closed || !ended ? null : h('button.primary#close-month', {type: 'button', onclick: () => confirmClose(month, () => billingPage(main, month))}, 'Close ' + month),
    closed ? h('button#download-csv', {type: 'button', onclick: () => get('/billing/months/' + month + '/claims.csv', 'claims-' + month + '.csv')}, 'Download CSV') : null,
    closed ? h('button#download-837', {type: 'button', onclick: () => get('/billing/months/' + month + '/claims.837', 'claims-' + month + '.837')}, 'Download 837P') : null);
  clear(main,
    h('div.page-head', {}, h('h1', {}, 'Billing month'),
      h('button#month-prev', {type: 'button', 'aria-label': 'Previous month', onclick: () => billingPage(main, shiftMonth(month, -1))}, '‹'),
      h('label.visually-hidden', {for: 'billing-month'}, 'Month'), picker,
      h('button#month-next', {type: 'button', 'aria-label': 'Next month', onclick: () => billingPage(main, shiftMonth(month, 1))}, '›'),
      actions, h('a#billing-setup', {href: '#/billing/setup'}, 'Fees and settings')),
    warningsView((closed || readiness).warnings || []),
    closed ? h('p.notice#month-closed', {}, 'Closed by ' + who(closed.closedBy) + ' on ' + new Date(closed.closedAt).toLocaleString() + ': '
      + lines(closed.lineCount) + ', $' + closed.totalCharge + '.') : h('p.muted', {}, 'As of ' + readiness.asOf + ' (' + readiness.timeZone + '); '
      + readiness.daysLeftInMonth + ' days left in the month.' + (ended ? '' : ' A month can be closed once it has ended.')),
    closed ? correctionsSection(month, closed, name, () => billingPage(main, month)) : null,
    closed ? closedView(closed, name, statuses) : readinessView(readiness, name),
    closed ? acknowledgementsSection(month, statuses, name, refresh) : null);
}

/** Billable lines without a fee: said in words, above everything else, until the practice sets the fee. */
function warningsView(warnings) {
  return warnings.length ? h('section.card.warning#billing-warnings', {role: 'status'}, h('h2', {}, 'Lines without a fee'),
    h('ul', {}, warnings.map(w => h('li', {}, w))), h('a', {href: '#/billing/setup'}, 'Set the fees')) : null;
}

async function get(path, filename) {
  try { await download(path, filename); toast('Downloaded ' + filename + '.'); } catch (e) { if (e.status !== 401) toast(e.plain || e.message, 'error'); }
}

function readinessView(r, name) {
  return h('section.card', {}, h('h2', {}, 'Readiness per patient'), r.patients.length ? table([
    {label: 'Patient', cell: p => h('a', {href: '#/patients/' + p.patientId}, name(p.patientId, p.externalRef))},
    {label: 'Data days', cell: p => h('div', {}, p.dataDaysInMonth + ' this month', p.currentPeriod ? h('div.muted', {},
      p.currentPeriod.dataDaysSoFar + ' in the current 30-day period' + (p.currentPeriod.dataDaysNeededFor99454 ? ', ' + p.currentPeriod.dataDaysNeededFor99454 + ' more needed' : '')) : null)},
    {label: 'RPM min', cell: p => Math.round(p.minutes.rpm)},
    {label: 'CCM min', cell: p => Math.round(p.minutes.ccm)},
    {label: 'Billable so far', cell: p => p.billableSoFar.length ? h('ul.codes', {}, p.billableSoFar.map(l => h('li', {}, codeReason(l.code, l.justification)))) : '—'},
    {label: 'Missing', cell: p => p.missing.length ? h('ul.codes', {}, p.missing.map(n => h('li', {}, codeReason(n.code, n.reason)))) : '—'},
  ], r.patients) : h('p.muted', {}, 'No monitored patients this month.'));
}

/** Reasons from the rules engine start with their code ("99457: 25 minutes…"); show the code once, in bold. */
function codeReason(code, reason) {
  const text = (reason || '').startsWith(code + ':') ? reason.slice(code.length + 1).trim() : reason;
  return [h('strong', {}, code), ' ', text];
}

function closedView(c, name, statuses) {
  return h('div', {},
    h('section.card', {}, h('h2', {}, 'Billed'), c.lines.length ? table([
      {label: 'Patient', cell: l => name(l.patientId, l.externalRef)},
      {label: 'Code', cell: l => h('strong', {}, l.code + (l.units > 1 ? ' ×' + l.units : ''))},
      {label: 'Date', cell: l => l.dateOfService},
      {label: 'Charge', cell: l => l.charge === null ? h('span.warning', {}, 'no fee') : '$' + l.charge},
      {label: 'Claim status', cell: l => lineStatusCell(statuses, l)},
      {label: 'Why', cell: l => codeReason(l.code, l.justification).slice(2)},
    ], c.lines) : h('p.muted', {}, 'Nothing was billed.')),
    h('section.card', {}, h('h2', {}, 'Not billed, and why'), c.notBilled.length ? table([
      {label: 'Patient', cell: n => name(n.patientId)},
      {label: 'Code', cell: n => h('strong', {}, n.code)},
      {label: 'Why not', cell: n => codeReason(n.code, n.reason).slice(2)},
    ], c.notBilled) : h('p.muted', {}, 'Every code considered was billed.')));
}

function confirmClose(month, done) {
  const error = h('p.error', {role: 'alert', hidden: true});
  const dlg = dialog('Close ' + month + '?', h('div', {}, h('p', {}, 'Closing turns the month into claim lines. They never change afterwards; '
    + 'later corrections are recorded as adjustments.'), error),
  [h('button.primary#close-confirm', {type: 'button', onclick: async () => {
    try {
      const result = await api.post('/billing/months/' + month + '/close');
      dlg.close();
      toast(result.alreadyClosed ? month + ' was already closed.' : month + ' closed: ' + lines(result.lineCount) + '.');
      done();
    } catch (e) { error.textContent = e.plain || e.message; error.hidden = false; }
  }}, 'Close the month'), h('button', {type: 'button', onclick: () => dlg.close()}, 'Cancel')]);
}

const lines = (n) => n + (n === 1 ? ' claim line' : ' claim lines');

/** The audit actor ("staff:<id>", "api-token:…") as a person would say it. */
function who(actor) {
  if (actor === 'staff:' + session.me.staffId) return 'you';
  return actor && actor.startsWith('staff:') ? 'a colleague' : 'an operator (API token)';
}

function currentMonth() {
  const d = new Date();
  return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0');
}

function shiftMonth(month, by) {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(y, m - 1 + by, 1);
  return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0');
}
