// The chart's conditions: ICD-10-CM code with a typeahead over a curated list of common chronic-condition codes
// (icd10.js), onset and resolved dates, how long it is expected to last and whether it puts the patient at risk, which
// together decide CCM eligibility (shown with its reason).
import { api } from '../api.js';
import { session } from '../session.js';
import { clear, h, table, toast } from '../dom.js';
import { field, formDialog, today } from '../forms.js';
import { searchIcd10 } from '../icd10.js';
import { date } from '../words.js';

const DURATIONS = {lifelong: 'Lifelong', at_least_12_months: '12 months or more', '3_to_12_months': '3 to 12 months', under_3_months: 'Under 3 months'};

export function conditionsSection(ctx) {
  const {patient} = ctx;
  const e = patient.eligibility;
  return h('section.card#conditions', {'aria-labelledby': 'conditions-h'},
    h('div.section-head', {}, h('h2#conditions-h', {}, 'Conditions'),
      session.can('editPatients') ? h('button#add-condition', {type: 'button', onclick: () => conditionDialog(ctx)}, 'Add condition') : null),
    patient.conditions.length ? table([
      {label: 'Code', cell: c => h('strong', {}, c.icd10)},
      {label: 'Condition', cell: c => h('div', {}, c.description, h('div.muted', {}, DURATIONS[c.expectedDuration] || c.expectedDuration,
        c.significantRisk ? ' · significant risk' : ''))},
      {label: 'Onset', cell: c => c.onset ? date(c.onset) : h('span.muted', {}, 'not recorded')},
      {label: 'Resolved', cell: c => c.endedOn ? date(c.endedOn) : session.can('editPatients')
        ? h('button', {type: 'button', 'data-resolve': c.icd10, onclick: () => resolveDialog(ctx, c)}, 'Resolved…') : h('span.muted', {}, 'ongoing')},
    ], patient.conditions) : h('p.muted', {}, 'None recorded.'),
    h('p#eligibility', {}, h('strong', {}, 'CCM eligibility: '), e.ccm.eligible ? 'eligible. ' : 'not eligible. ', e.ccm.reason,
      h('br'), h('strong', {}, 'RPM eligibility: '), e.rpm.eligible ? 'eligible. ' : 'not eligible. ', e.rpm.reason));
}

function conditionDialog(ctx) {
  const code = h('input#condition-code', {'data-field': 'icd10', autocomplete: 'off', role: 'combobox', 'aria-autocomplete': 'list',
    'aria-expanded': 'false', 'aria-controls': 'condition-options', maxlength: 10, placeholder: 'Code or words: I10, diabetes, heart failure'});
  const options = h('ul.typeahead#condition-options', {role: 'listbox', hidden: true});
  const description = h('input#condition-description', {'data-field': 'description', maxlength: 300});
  const onset = h('input#condition-onset', {type: 'date', max: today(), 'data-field': 'onset'});
  const duration = h('select#condition-duration', {'data-field': 'expectedDuration'}, Object.entries(DURATIONS).map(([v, l]) => h('option', {value: v}, l)));
  const risk = h('input#condition-risk', {type: 'checkbox', checked: true});
  let hits = [];
  let active = -1;
  const choose = (i) => {
    const [c, text] = hits[i];
    code.value = c;
    description.value = text;
    close();
    description.focus();
  };
  const close = () => { options.hidden = true; code.setAttribute('aria-expanded', 'false'); code.removeAttribute('aria-activedescendant'); active = -1; };
  const render = () => {
    hits = searchIcd10(code.value);
    clear(options, hits.map(([c, text], i) => h('li', {role: 'option', id: 'icd-' + i, 'aria-selected': String(i === active),
      onmousedown: (e) => { e.preventDefault(); choose(i); }}, h('strong', {}, c), ' ', text)));
    options.hidden = !hits.length;
    code.setAttribute('aria-expanded', String(hits.length > 0));
    if (active >= 0) code.setAttribute('aria-activedescendant', 'icd-' + active);
  };
  code.addEventListener('input', () => { active = -1; render(); });
  code.addEventListener('keydown', (e) => {
    if (options.hidden) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      active = (active + (e.key === 'ArrowDown' ? 1 : hits.length - 1)) % hits.length;
      render();
    } else if (e.key === 'Enter' && active >= 0) {
      e.preventDefault();
      e.stopPropagation();
      choose(active);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  });
  code.addEventListener('blur', () => setTimeout(close, 100));
  formDialog('Add a condition', h('div', {},
    h('div.field.typeahead-field', {}, h('label', {for: 'condition-code'}, 'ICD-10-CM code'), code, options,
      h('p.hint', {}, 'Type a code or words and pick from the list (common chronic conditions), or type any billable code.')),
    field('Description', description),
    h('div.form-grid', {}, field('Onset (optional)', onset), field('Expected to last', duration)),
    h('label.check', {for: 'condition-risk'}, risk, 'Places the patient at significant risk of death, exacerbation or functional decline')),
  {submitLabel: 'Add condition', submitId: 'condition-save', submit: async () => {
    const saved = await api.post('/patients/' + ctx.patientId + '/conditions', {icd10: code.value.trim(), description: description.value.trim(),
      onset: onset.value || undefined, expectedDuration: duration.value, significantRisk: risk.checked});
    toast(saved.warning ? saved.warning : 'Condition ' + saved.icd10 + ' added.', saved.warning ? 'error' : 'info');
    ctx.reload();
  }});
}

function resolveDialog(ctx, condition) {
  const on = h('input#resolve-date', {type: 'date', value: today(), 'data-field': 'endedOn'});
  formDialog('Resolved: ' + condition.icd10, h('div', {}, field('Resolved on', on)), {submitLabel: 'Save', submitId: 'resolve-save', submit: async () => {
    await api.post('/patients/' + ctx.patientId + '/conditions/' + condition.id + '/end', {endedOn: on.value});
    toast(condition.icd10 + ' marked resolved.');
    ctx.reload();
  }});
}
