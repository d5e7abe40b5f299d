// The care plan editor (physicians and NPPs): every element of the comprehensive care plan as structured fields,
// filled from the current version. Saving writes the next version (never changes one), with the day the plan was
// established (may be in the past: a plan documented in the EHR first), whether this is a substantial revision and a
// note saying what changed. The URL carries the patient's internal id only.
import { api } from '../api.js';
import { session } from '../session.js';
import { clear, h, toast } from '../dom.js';
import { field, loadPracticeZone, showRefusal, today } from '../forms.js';
import { patientName } from '../words.js';

const LISTS = [
  ['goals', 'Measurable goals', 'goal', [['description', 'Goal'], ['target', 'Target (a number)', 'SBP < 130 mmHg'], ['targetDate', 'By', null, 'date']]],
  ['interventions', 'Planned interventions and who does them', 'intervention', [['description', 'Intervention'], ['responsibleParty', 'Who does it', 'RN care manager']]],
  ['medications', 'Medication management', 'medication', [['name', 'Medication'], ['dose', 'Dose'], ['frequency', 'How often']]],
  ['communityResources', 'Community and social services', 'resource', [['name', 'Service'], ['details', 'Details (optional)']]],
  ['coordinatingProviders', 'Coordination with other providers', 'provider', [['name', 'Provider'], ['role', 'Speciality or role'], ['contact', 'Contact (optional)']]],
];

export async function carePlanEditPage(main, patientId) {
  if (!session.can('changeCarePlans')) {
    clear(main, h('h1', {}, 'Care plan'), h('p.error#care-plan-refused', {role: 'alert'}, 'Care plans are written by physicians and NPPs.'));
    return;
  }
  const [patient, current] = await Promise.all([api.get('/patients/' + patientId),
    api.get('/patients/' + patientId + '/care-plan').catch(e => { if (e.status === 404) return null; throw e; }), loadPracticeZone()]);
  const plan = current ? current.plan : {};
  const chosen = new Set((plan.problems || []).map(p => p.conditionId));
  const problems = patient.conditions.filter(c => !c.endedOn || chosen.has(c.id)).map(c => h('label.check', {for: 'problem-' + c.id},
    h('input', {type: 'checkbox', id: 'problem-' + c.id, value: c.id, checked: !current || chosen.has(c.id), 'data-field': 'problems'}),
    h('strong', {}, c.icd10), ' ', c.description));
  const text = (id, key, rows = 3) => h('textarea#' + id, {rows, maxlength: 4000, 'data-field': key}, plan[key] || '');
  const outcome = text('cp-outcome', 'expectedOutcome');
  const prognosis = text('cp-prognosis', 'prognosis', 2);
  const symptoms = text('cp-symptoms', 'symptomManagement');
  const lists = Object.fromEntries(LISTS.map(([key, label, one, columns]) => [key, repeating(key, label, one, columns, plan[key] || [])]));
  const review = h('input#cp-review', {type: 'date', value: plan.reviewDate || '', 'data-field': 'reviewDate'});
  const established = h('input#cp-established', {type: 'date', value: today(), max: today(), 'data-field': 'establishedOn'});
  const substantial = h('input#cp-substantial', {type: 'checkbox', 'data-field': 'substantialRevision'});
  const note = h('textarea#cp-note', {rows: 2, maxlength: 2000, 'data-field': 'changeNote'}, current ? '' : 'Initial comprehensive care plan');
  const error = h('div.error#cp-error', {role: 'alert', hidden: true});
  const form = h('form.care-plan-form', {onsubmit: async (e) => {
    e.preventDefault();
    error.hidden = true;
    const body = {
      baseVersion: current ? current.version : 0,
      problems: problems.map(l => l.querySelector('input')).filter(i => i.checked).map(i => i.value),
      expectedOutcome: outcome.value.trim(), prognosis: prognosis.value.trim(), symptomManagement: symptoms.value.trim(),
      reviewDate: review.value, establishedOn: established.value, changeNote: note.value.trim(),
      substantialRevision: current ? substantial.checked : true,
    };
    for (const [key] of LISTS) body[key] = lists[key].values();
    try {
      const saved = await api.post('/patients/' + patientId + '/care-plan', body);
      toast('Care plan version ' + saved.version + ' saved.');
      location.hash = '#/patients/' + patientId;
    } catch (err) {
      if (err.status !== 401) showRefusal(error, err, form);
    }
  }},
    h('section.card', {}, h('h2', {}, 'Problem list'), problems.length ? h('div', {}, problems)
      : h('p.muted', {}, 'The patient has no conditions: add them in the chart first.')),
    h('section.card', {}, h('h2', {}, 'Outlook'), field('Expected outcome', outcome), field('Prognosis', prognosis)),
    lists.goals.el,
    h('section.card', {}, h('h2', {}, 'Symptom management'), field('What to do about symptoms', symptoms)),
    LISTS.slice(1).map(([key]) => lists[key].el),
    h('section.card', {}, h('h2', {}, 'This version'),
      h('div.form-grid', {}, field('Established on', established, 'The day the plan was documented and agreed; an earlier day is fine for a plan written in the EHR first.'),
        field('Review by', review)),
      current ? h('label.check', {for: 'cp-substantial'}, substantial, 'This is a substantial revision of the plan (complex CCM needs the plan established or substantially revised in the month)') : null,
      field('What changed and why', note)),
    error,
    h('div.actions', {}, h('button.primary#cp-save', {type: 'submit'}, current ? 'Save version ' + (current.version + 1) : 'Save the care plan'),
      h('a.button-link', {href: '#/patients/' + patientId}, 'Cancel')));
  clear(main, h('div.page-head', {}, h('h1', {}, (current ? 'Revise the care plan' : 'Write the care plan') + ' — ' + patientName(patient)),
    current ? h('span.muted', {}, 'Version ' + current.version + ' is current') : null), form);
}

/** A list of items as rows of inputs with "Add" and "Remove" buttons; values() reads the filled rows back. */
function repeating(key, label, one, columns, items) {
  const body = h('div.rows', {id: 'cp-' + key});
  let counter = 0;
  const addRow = (item = {}) => {
    const n = counter++;
    const inputs = columns.map(([k, l, placeholder, type]) => h('input', {id: 'cp-' + key + '-' + n + '-' + k, type: type || 'text',
      value: item[k] || '', placeholder: placeholder || '', 'data-key': k, 'data-field': key + '[' + n + '].' + k, maxlength: 1000}));
    const row = h('div.row-item', {}, columns.map(([k, l], i) => field(l, inputs[i])),
      h('button.quiet', {type: 'button', 'aria-label': 'Remove this ' + one, onclick: () => row.remove()}, 'Remove'));
    body.append(row);
    return inputs[0];
  };
  items.forEach(addRow);
  const el = h('section.card', {}, h('h2', {}, label), body,
    h('button', {type: 'button', id: 'cp-add-' + one, onclick: () => addRow().focus()}, 'Add ' + one));
  return {el, values: () => [...body.querySelectorAll('.row-item')].map(row => Object.fromEntries([...row.querySelectorAll('input')]
    .map(i => [i.dataset.key, i.value.trim()]).filter(([, v]) => v !== ''))).filter(o => Object.keys(o).length)};
}
