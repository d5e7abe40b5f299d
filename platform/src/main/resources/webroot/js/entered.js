// Entering a reading by hand: a value the patient phones in, or a measurement taken in the clinic. It is stored flagged
// with who entered it, judged by the same alert rules, drawn apart on the plots, and never counted as a data day
// (CMS counts only what a device transmitted). Refusals name the field in the server's words.
import { api } from './api.js';
import { clear, dialog, h, toast } from './dom.js';

const TYPES = {
  blood_pressure: {label: 'Blood pressure', fields: [['systolic', 'Systolic (mmHg)'], ['diastolic', 'Diastolic (mmHg)'], ['pulse', 'Pulse (/min, optional)']]},
  blood_glucose: {label: 'Glucose', fields: [['glucose', 'Glucose']], units: ['mg/dL', 'mmol/L'], meal: true},
  body_weight: {label: 'Weight', fields: [['weight', 'Weight']], units: ['kg', 'lb']},
  oxygen_saturation: {label: 'Oxygen saturation', fields: [['spo2', 'SpO2 (%)'], ['pulse', 'Pulse (/min, optional)']]},
};
const MEALS = {fasting: 'Fasting', before_meal: 'Before a meal', after_meal: 'After a meal', bedtime: 'Bedtime', random: 'Other time'};

export function openReadingDialog({patientId, patientLabel, onSaved}) {
  const type = h('select#reading-type', {}, Object.entries(TYPES).map(([value, t]) => h('option', {value}, t.label)));
  const values = h('div.row#reading-values');
  const when = h('input#reading-when', {type: 'datetime-local', value: local(new Date())});
  const sources = [['phoned_in', 'Phoned in by the patient or caregiver'], ['clinic', 'Measured in the clinic']].map(([value, label], i) =>
    h('label.check', {}, h('input', {type: 'radio', name: 'reading-source', value, checked: i === 0}), label));
  const note = h('textarea#reading-note', {rows: 2, maxlength: 2000});
  const error = h('div.error#reading-error', {role: 'alert', hidden: true});
  const inputs = {};
  const draw = () => {
    const t = TYPES[type.value];
    for (const key of Object.keys(inputs)) delete inputs[key];
    clear(values, t.fields.map(([name, label]) => {
      inputs[name] = h('input#reading-' + name, {type: 'number', step: 'any', inputmode: 'decimal'});
      return h('div', {}, h('label', {for: 'reading-' + name}, label), inputs[name]);
    }),
    t.units ? h('div', {}, h('label', {for: 'reading-unit'}, 'Unit'),
      inputs.unit = h('select#reading-unit', {}, t.units.map(u => h('option', {value: u}, u)))) : null,
    t.meal ? h('div', {}, h('label', {for: 'reading-meal'}, 'When'),
      inputs.mealContext = h('select#reading-meal', {}, h('option', {value: ''}, 'Not said'), Object.entries(MEALS).map(([v, l]) => h('option', {value: v}, l)))) : null);
  };
  type.addEventListener('change', draw);
  draw();
  const dlg = dialog('Enter a reading' + (patientLabel ? ' — ' + patientLabel : ''), h('form.time-form', {onsubmit: e => e.preventDefault()},
    h('p.notice', {}, 'A reading entered here is judged by the alert rules and shown on the plots, marked as entered by staff. '
      + 'It is not a day of device data: Medicare counts only readings a device transmitted.'),
    h('div.row', {}, h('div', {}, h('label', {for: 'reading-type'}, 'Reading'), type),
      h('div', {}, h('label', {for: 'reading-when'}, 'Measured at'), when)),
    values,
    h('fieldset', {}, h('legend', {}, 'How it reached us'), sources),
    h('label', {for: 'reading-note'}, 'Note (optional)'), note, error),
  [h('button.primary#reading-save', {type: 'button', onclick: async () => {
    const body = {type: type.value, measuredAt: new Date(when.value).toISOString(),
      source: dlg.querySelector('input[name=reading-source]:checked').value, note: note.value.trim() || undefined};
    for (const [name, input] of Object.entries(inputs)) {
      if (input.value === '') continue;
      body[name] = input.tagName === 'SELECT' ? input.value : Number(input.value);
    }
    try {
      await api.post('/patients/' + patientId + '/entered-readings', body);
      dlg.close();
      toast('Reading entered.');
      if (onSaved) onSaved();
    } catch (e) {
      if (e.status === 401) return;
      clear(error, h('p', {}, e.status === 409 ? 'This reading is already on record (same kind, same time).' : (e.plain || e.message)));
      error.hidden = false;
    }
  }}, 'Save reading'), h('button', {type: 'button', onclick: () => dlg.close()}, 'Cancel')]);
}

function local(d) {
  const pad = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes());
}
