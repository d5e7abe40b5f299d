// Panel import for practice administrators: a FHIR R4 Bundle (.json) or the CSV layout (.csv) from the practice's EHR.
// "Check" is a dry run that writes nothing and says, record by record, what would be created, updated or refused;
// "Import" then does it. Importing the same file again changes nothing.
import { api } from '../api.js';
import { session } from '../session.js';
import { clear, h, table } from '../dom.js';

export async function importPage(main) {
  if (!session.can('importPanel')) {
    clear(main, h('h1', {}, 'Import the panel'), h('p.notice#import-refused', {}, 'Importing a panel is for practice administrators. Your role does not include it.'));
    return;
  }
  const file = h('input#import-file', {type: 'file', accept: '.json,.csv,application/fhir+json,application/json,text/csv', required: true});
  const error = h('p.error#import-error', {role: 'alert', hidden: true});
  const report = h('div#import-report', {});
  const apply = h('button.primary#import-apply', {type: 'button', disabled: true}, 'Import');
  let checked = null;

  const send = async (dryRun) => {
    error.hidden = true;
    const chosen = file.files[0];
    if (!chosen) { error.textContent = 'Choose a file first.'; error.hidden = false; return; }
    const text = await chosen.text();
    const csv = chosen.name.toLowerCase().endsWith('.csv');
    try {
      const result = await api.upload('/practices/' + session.me.practiceId + '/imports?dryRun=' + dryRun, text, csv ? 'text/csv' : 'application/fhir+json');
      clear(report, reportView(result));
      checked = dryRun ? chosen : null;
      apply.disabled = !dryRun;
    } catch (err) {
      clear(report);
      apply.disabled = true;
      error.textContent = err.plain || err.message;
      error.hidden = false;
    }
  };
  file.addEventListener('change', () => { apply.disabled = true; checked = null; clear(report); });
  apply.addEventListener('click', () => { if (checked) send(false); });
  const form = h('form.inline-form#import-form', {onsubmit: e => { e.preventDefault(); send(true); }},
    h('label', {}, 'File ', file), h('button#import-check', {type: 'submit'}, 'Check'), apply, error);
  clear(main,
    h('h1', {}, 'Import the panel'),
    h('p.muted', {}, 'A FHIR R4 Bundle (collection or transaction) or a CSV file in CareLoop\u2019s layout. Check it first: nothing is written '
      + 'until you press Import. Records keep their own dates, and a file imported twice changes nothing.'),
    h('section.card', {}, form),
    report);
}

function reportView(result) {
  const s = result.summary;
  const words = result.dryRun
    ? `Check: ${s.created} would be created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.refused} refused. Nothing was written.`
    : `Imported: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.refused} refused.`;
  return h('section.card', {},
    h('h2', {}, result.dryRun ? 'What the import would do' : 'What the import did'),
    h('p#import-summary', {role: 'status'}, words),
    table([
      {label: 'Record', cell: i => i.resource},
      {label: 'Outcome', cell: i => h(i.action === 'refused' ? 'strong.warning' : 'span', {}, i.outcome)},
      {label: 'Details', cell: i => i.message},
    ], result.items, {rowAttrs: i => ({'data-action': i.action})}));
}
