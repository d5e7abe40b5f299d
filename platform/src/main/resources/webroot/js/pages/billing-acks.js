// Claim acknowledgements in the billing month (issue 18): what became of each claim on the 837P (sent, received by the
// clearinghouse, accepted or rejected by the payer with the reason in words), the upload of a 999 or 277CA file as it
// came from the clearinghouse, and the payer's claim number entered by hand when the payer gives it only on the
// remittance. A rejected claim is fixed (demographics, codes) and sent again by downloading the 837P again.
import { api } from '../api.js';
import { dialog, h, table, toast } from '../dom.js';

/** The month's claim statuses, or an empty list for an open month. */
export async function claimStatuses(month) {
  const answer = await api.get('/billing/months/' + month + '/claim-statuses');
  return answer.claims;
}

/** The status of a billed line: its patient's claim that carried its code ("not sent yet" before the 837P download). */
export function lineStatusCell(statuses, line) {
  const claim = statuses.find(c => c.patientId === line.patientId && (c.codes.includes(line.code) || c.codes.length === 0));
  if (!claim) return h('span.muted', {}, 'not sent yet');
  return badge(claim);
}

function badge(claim) {
  return h('span.claim-status', {'data-status': claim.status},
    h('span.badge.status-' + claim.status, {}, claim.status), ' ', h('span', {}, wordsWithoutStatus(claim)));
}

/** statusInWords after the status word the badge already shows ("rejected: <reason>", "sent, waiting for …", "accepted by the payer"). */
function wordsWithoutStatus(claim) {
  const words = claim.statusInWords || '';
  for (const lead of [claim.status + ': ', claim.status + ', ', claim.status + ' ']) {
    if (words.startsWith(lead)) return words.slice(lead.length);
  }
  return words;
}

/** The card: the upload and one row per claim, rejected claims first. */
export function acknowledgementsSection(month, statuses, name, refresh) {
  const file = h('input#ack-file', {type: 'file', accept: '.txt,.edi,.x12,.999,.277,text/plain,application/edi-x12', required: true});
  const error = h('p.error#ack-error', {role: 'alert', hidden: true});
  const report = h('div#ack-report', {role: 'status'});
  const form = h('form.inline-form#ack-form', {onsubmit: async e => {
    e.preventDefault();
    error.hidden = true;
    const chosen = file.files[0];
    if (!chosen) { error.textContent = 'Choose the 999 or 277CA file first.'; error.hidden = false; return; }
    try {
      const result = await api.upload('/billing/acknowledgements', await chosen.text(), 'application/edi-x12');
      toast(result.summary);
      await refresh(reportView(result, name));
    } catch (err) {
      report.replaceChildren();
      error.textContent = err.plain || err.message;
      error.hidden = false;
    }
  }}, h('label', {}, '999 or 277CA file ', file), h('button.primary#ack-import', {type: 'submit'}, 'Import acknowledgement'), error);
  const order = {rejected: 0, sent: 1, received: 2, accepted: 3};
  const rows = [...statuses].sort((a, b) => order[a.status] - order[b.status] || a.claimControlNumber.localeCompare(b.claimControlNumber));
  const rejected = statuses.filter(c => c.status === 'rejected').length;
  return h('section.card#claim-statuses', {},
    h('h2', {}, 'Claims sent and acknowledgements'),
    h('p.muted', {}, 'Downloading the 837P sends its claims. Import the clearinghouse\u2019s 999 and the payer\u2019s 277CA here as they come; '
      + 'a file imported twice changes nothing.'),
    rejected ? h('p.warning#claims-rejected', {}, rejected + (rejected === 1 ? ' claim was' : ' claims were') + ' rejected: fix what the reason names '
      + '(the patient\u2019s details, codes or fees), then download the 837P again to send ' + (rejected === 1 ? 'it' : 'them') + ' again.') : null,
    form, report,
    statuses.length ? table([
      {label: 'Patient', cell: c => name(c.patientId)},
      {label: 'Claim', cell: c => h('code', {}, c.claimControlNumber)},
      {label: 'Codes', cell: c => c.codes.join(', ') || '—'},
      {label: 'Status', cell: c => badge(c)},
      {label: 'Payer claim number', cell: c => h('div', {}, c.payerClaimNumber
        ? h('span', {}, c.payerClaimNumber, h('span.muted', {}, c.payerClaimNumberSource === 'entered' ? ' (entered by hand)' : ' (from the 277CA)')) : '—',
        ' ', h('button.payer-number', {type: 'button', 'data-claim': c.claimControlNumber, onclick: () => enterNumber(c, name, () => refresh(null))},
          c.payerClaimNumber ? 'Change…' : 'Enter…'))},
    ], rows, {rowAttrs: c => ({'data-claim': c.claimControlNumber, class: c.status === 'rejected' ? 'rejected' : null})})
      : h('p.muted#no-claims-sent', {}, 'No claim of ' + month + ' has been sent yet: download the 837P to send them.'));
}

function reportView(result, name) {
  return h('div.notice#ack-summary', {},
    h('p', {}, result.summary),
    result.unmatched.length ? h('div', {}, h('strong', {}, 'Not applied:'), h('ul#ack-unmatched', {}, result.unmatched.map(u => h('li', {}, u)))) : null,
    result.claims.filter(c => c.result === 'applied').length ? h('ul#ack-applied', {}, result.claims.filter(c => c.result === 'applied')
      .map(c => h('li', {}, name(c.patientId) + ': ' + c.inWords))) : null);
}

function enterNumber(claim, name, done) {
  const input = h('input#payer-number', {type: 'text', required: true, maxlength: 50, value: claim.payerClaimNumber || '', autocomplete: 'off',
    pattern: '[0-9A-Za-z\\-]{1,50}'});
  const error = h('p.error#payer-number-error', {role: 'alert', hidden: true});
  const dlg = dialog('Payer claim number for ' + name(claim.patientId), h('div', {},
    h('p.muted', {}, 'The payer\u2019s number for claim ' + claim.claimControlNumber + ' (ICN or DCN), as printed on the remittance. '
      + 'A corrected or void claim quotes it.'),
    h('label', {for: 'payer-number'}, 'Payer claim number'), input, error),
  [h('button.primary#payer-number-save', {type: 'button', onclick: async () => {
    try {
      await api.put('/billing/claims/' + encodeURIComponent(claim.claimControlNumber) + '/payer-claim-number', {payerClaimNumber: input.value.trim()});
      dlg.close();
      toast('Payer claim number saved.');
      done();
    } catch (e) { error.textContent = e.plain || e.message; error.hidden = false; }
  }}, 'Save'), h('button', {type: 'button', onclick: () => dlg.close()}, 'Cancel')]);
  input.focus();
}
