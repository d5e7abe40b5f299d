// Corrections after close, a section of the closed billing month. The month stays as it was sent; when time is
// adjusted or a visit, stay or record changes afterwards, the biller recomputes: each claim whose codes change gets a
// corrected claim (frequency 7) or a void (8) naming the original by the payer's claim number, or a new claim. Each is
// listed with what changed in words and whether it can be sent, never silently.
import { api, download } from '../api.js';
import { h, table, toast } from '../dom.js';

const KIND = {replacement: 'Corrected claim (7)', void: 'Void (8)', 'new claim': 'New claim (1)'};

/** @param closed the month's claims.json (with its corrections); @param refresh reloads the billing month */
export function correctionsSection(month, closed, name, refresh) {
  const current = (closed.corrections || []).filter(c => c.status !== 'superseded');
  const ready = current.filter(c => c.status === 'ready').length;
  const error = h('p.error#corrections-error', {role: 'alert', hidden: true});
  const recompute = h('button#recompute-corrections', {type: 'button', onclick: async () => {
    error.hidden = true;
    recompute.disabled = true;
    try {
      const run = await api.post('/billing/months/' + month + '/corrections');
      toast(run.createdCount ? run.createdCount + (run.createdCount === 1 ? ' correction' : ' corrections') + ' recorded.'
        : 'Nothing changed since the last run: no new correction.');
      refresh();
    } catch (e) { error.textContent = e.plain || e.message; error.hidden = false; recompute.disabled = false; }
  }}, 'Recompute corrections');
  const file = 'corrections-' + month + '.837';
  return h('section.card#corrections', {}, h('h2', {}, 'Corrections after close'),
    h('p.muted', {}, 'The closed month stays as it was sent. After time is adjusted, or a visit, stay or record changes, recompute: '
      + 'a claim whose codes change gets a corrected claim or a void, sent with the payer\'s claim number.'),
    h('div.actions', {}, recompute,
      ready ? h('button#download-corrections-837', {type: 'button', onclick: () => get('/billing/months/' + month + '/corrections.837', file)},
        'Download 837P of corrections (' + ready + ')') : null),
    error,
    current.length ? table([
      {label: 'Patient', cell: c => name(c.patientId, c.externalRef)},
      {label: 'Claim', cell: c => h('div', {}, h('strong', {}, KIND[c.kind] || c.kind), h('div.muted', {}, c.claimControlNumber
        + (c.version > 1 ? ', correction ' + c.version : '')))},
      {label: 'What changed', cell: c => h('ul.codes', {}, c.changes.map(t => h('li', {}, t)))},
      {label: 'Bills now', cell: c => c.kind === 'void' ? 'nothing' : '$' + c.billedCharge},
      {label: 'Status', cell: c => c.status === 'ready' ? h('span.ready', {}, 'Ready to send'
        + (c.payerClaimControlNumber ? ' (payer claim ' + c.payerClaimControlNumber + ')' : '')) : h('span.warning', {}, c.waitingFor)},
    ], current, {rowAttrs: c => ({'data-claim': c.claimControlNumber})})
      : h('p.muted#no-corrections', {}, 'No corrections: every claim bills what the month still justifies, as far as the last run saw.'));
}

async function get(path, filename) {
  try { await download(path, filename); toast('Downloaded ' + filename + '.'); } catch (e) { if (e.status !== 401) toast(e.plain || e.message, 'error'); }
}
