// The chart's alert thresholds: each value with its default and where it comes from (default, condition, this
// patient); providers change them with a reason (the API keeps who, when, old and new value).
import { api } from '../api.js';
import { session } from '../session.js';
import { h, table, toast } from '../dom.js';
import { field, formDialog } from '../forms.js';
import { dateTime } from '../words.js';

export function thresholdsSection(ctx, thresholds) {
  return h('section.card#thresholds', {'aria-labelledby': 'thresholds-h'},
    h('div.section-head', {}, h('h2#thresholds-h', {}, 'Alert thresholds'),
      session.can('changeCarePlans') ? h('button#edit-thresholds', {type: 'button', onclick: () => thresholdsDialog(ctx, thresholds)}, 'Change…') : null),
    table([
      {label: 'Threshold', cell: t => h('div', {}, h('code', {}, t.key), h('div.muted', {}, t.description))},
      {label: 'Value', cell: t => h('strong', {'data-threshold': t.key}, String(t.value))},
      {label: 'From', cell: t => t.override ? 'this patient (' + t.override.reason + ')' : t.source},
    ], thresholds.thresholds),
    thresholds.history.length ? h('details', {}, h('summary', {}, 'Changes (' + thresholds.history.length + ')'),
      h('ul', {}, thresholds.history.map(c => h('li', {}, c.key + ': ' + (c.oldValue ?? 'default') + ' → ' + (c.newValue ?? 'default') + ', '
        + ctx.actorName(c.changedBy) + ', ' + dateTime(c.changedAt) + ' — ' + c.reason)))) : null);
}

function thresholdsDialog(ctx, thresholds) {
  const inputs = thresholds.thresholds.map(t => h('input', {type: 'number', id: 'threshold-' + t.key.replace(/[._]/g, '-'), 'data-field': 'values.' + t.key,
    'data-key': t.key, value: String(t.value), min: String(t.min), max: String(t.max), step: 'any'}));
  const reason = h('textarea#threshold-reason', {rows: 2, maxlength: 1000, 'data-field': 'reason'});
  formDialog('Change alert thresholds', h('div', {},
    h('div.form-grid', {}, thresholds.thresholds.map((t, i) => field(t.key, inputs[i], 'Default ' + t.default + '; ' + t.min + '–' + t.max + '.'))),
    field('Reason (kept with the change)', reason)),
  {submitLabel: 'Save thresholds', submitId: 'thresholds-save', submit: async () => {
    const values = {};
    thresholds.thresholds.forEach((t, i) => { if (inputs[i].value !== '' && Number(inputs[i].value) !== Number(t.value)) values[t.key] = Number(inputs[i].value); });
    await api.put('/patients/' + ctx.patientId + '/thresholds', {values, reason: reason.value.trim()});
    toast('Thresholds saved.');
    ctx.reload();
  }});
}
