// The chart's care plan: the current version with the day it was established (which may be before it was entered),
// who entered it and when, whether it was a substantial revision; every version with a readable difference from the
// one before; copies given to the patient; and complex CCM's record of medical decision making per month.
import { api } from '../api.js';
import { session } from '../session.js';
import { clear, h, table, toast } from '../dom.js';
import { field, formDialog, today } from '../forms.js';
import { SECTIONS, difference, lines } from '../careplan-words.js';
import { date, dateTime } from '../words.js';

const COPY_METHODS = {in_person: 'In person', mail: 'By mail', portal: 'Patient portal', email: 'By e-mail'};

export function carePlanSection(ctx, versions) {
  const current = versions[0];
  const canWrite = session.can('changeCarePlans');
  return h('section.card.wide#care-plan', {'aria-labelledby': 'care-plan-h'},
    h('div.section-head', {}, h('h2#care-plan-h', {}, 'Care plan'),
      h('div.actions', {},
        canWrite ? h('a.button-link.primary#edit-care-plan', {href: '#/patients/' + ctx.patientId + '/care-plan'},
          current ? 'Revise care plan' : 'Write care plan') : null,
        current ? h('a.button-link#print-care-plan', {href: '#/patients/' + ctx.patientId + '/care-plan/print'}, 'Copy for the patient') : null)),
    current ? h('div', {},
      h('p#care-plan-current', {}, h('strong', {}, 'Version ' + current.version), ', established ' + date(current.establishedOn),
        ' · entered by ' + current.author.name + ' on ' + dateTime(current.changedAt),
        current.substantialRevision === true ? ' · substantial revision' : current.substantialRevision === false ? ' · minor change' : ''),
      h('dl.plan', {}, SECTIONS.map(([key, label]) => {
        const text = lines(current.plan, key);
        return [h('dt', {}, label), h('dd', {}, text.length ? (text.length === 1 ? text[0] : h('ul', {}, text.map(t => h('li', {}, t))))
          : h('span.muted', {}, 'none'))];
      })),
      h('h3', {}, 'Versions'),
      table([
        {label: 'Version', cell: v => String(v.version)},
        {label: 'Established', cell: v => date(v.establishedOn)},
        {label: 'Entered', cell: v => v.author.name + ', ' + dateTime(v.changedAt)},
        {label: 'Change', cell: v => h('div', {}, v.changeNote, v.substantialRevision ? h('span.flag', {}, 'substantial') : null)},
        {label: 'Copies to the patient', cell: v => h('div', {}, v.copies.map(k => h('div', {}, COPY_METHODS[k.method] + ' on ' + date(k.givenOn))),
          session.can('editPatients') ? h('button', {type: 'button', 'data-copy': v.version, onclick: () => copyDialog(ctx, v)}, 'Record copy given…') : null)},
        {label: 'Difference', cell: v => h('button', {type: 'button', 'data-compare': v.version, onclick: () => showDifference(ctx, versions, v)},
          v.version === 1 ? 'Show first version' : 'Compare with version ' + (v.version - 1))},
      ], versions),
      h('div#care-plan-difference', {'aria-live': 'polite'}))
      : h('p.muted#care-plan-none', {}, 'No care plan yet. CCM and PCM need one on record by each month\'s date of service.'));
}

function showDifference(ctx, versions, v) {
  const before = versions.find(x => x.version === v.version - 1);
  const changes = difference(before ? before.plan : null, v.plan);
  const box = document.getElementById('care-plan-difference');
  clear(box, h('h3', {tabindex: -1, id: 'difference-h'}, before ? 'Version ' + v.version + ' compared with version ' + before.version : 'Version 1'),
    changes.length ? h('dl.difference', {}, changes.map(c => [h('dt', {}, c.label), h('dd', {},
      c.removed.map(l => h('div.removed', {}, h('span.visually-hidden', {}, 'Removed: '), '− ', l)),
      c.added.map(l => h('div.added', {}, h('span.visually-hidden', {}, 'Added: '), '+ ', l)))]))
      : h('p.muted', {}, 'No difference in content.'));
  document.getElementById('difference-h').focus();
}

function copyDialog(ctx, version) {
  const on = h('input#copy-date', {type: 'date', value: today(), max: today(), min: version.establishedOn, 'data-field': 'givenOn'});
  const how = h('select#copy-method', {'data-field': 'method'}, Object.entries(COPY_METHODS).map(([v, l]) => h('option', {value: v}, l)));
  formDialog('Copy of version ' + version.version + ' given to the patient', h('div.form-grid', {}, field('Given on', on), field('How', how)),
    {submitLabel: 'Save', submitId: 'copy-save', submit: async () => {
      await api.post('/patients/' + ctx.patientId + '/care-plan/versions/' + version.version + '/copies', {givenOn: on.value, method: how.value});
      toast('Copy recorded.');
      ctx.reload();
    }});
}

export function complexitySection(ctx, records) {
  const canWrite = session.can('changeCarePlans');
  return h('section.card#complexity', {'aria-labelledby': 'complexity-h'},
    h('div.section-head', {}, h('h2#complexity-h', {}, 'Complex CCM: medical decision making'),
      canWrite ? h('button#record-complexity', {type: 'button', onclick: () => complexityDialog(ctx)}, 'Record…') : null),
    h('p.muted', {}, 'Complex CCM (99487, 99489) is billed only for a month in which a provider recorded moderate or high complexity decision making, '
      + 'besides 60 minutes and the care plan established or substantially revised in that month. A withdrawn record stays here and no longer counts; '
      + 'neither changes once the month\'s billing is closed.'),
    records.length ? h('ul#complexity-list', {}, records.map(r => r.inForce
      ? h('li', {'data-complexity': r.month}, h('strong', {}, r.month), ': ', r.level + ' complexity',
        ' — ' + ctx.staffName(r.providerId) + ', ' + dateTime(r.recordedAt), r.note ? h('div.muted', {}, r.note) : null,
        canWrite ? h('button', {type: 'button', 'data-withdraw': r.month, onclick: () => withdrawDialog(ctx, r)}, 'Withdraw…') : null)
      : h('li.complexity-withdrawn', {'data-withdrawn': r.month}, h('strong', {}, r.month), ': ', r.level + ' complexity',
        ' — ' + ctx.staffName(r.providerId) + ', ' + dateTime(r.recordedAt),
        h('div', {}, 'Withdrawn by ' + ctx.staffName(r.withdrawal.staffId) + ', ' + dateTime(r.withdrawal.at) + ': ' + r.withdrawal.reason))))
      : h('p.muted', {}, 'Nothing recorded.'));
}

function withdrawDialog(ctx, record) {
  const reason = h('textarea#complexity-withdraw-reason', {rows: 3, maxlength: 2000, required: true, 'data-field': 'reason'});
  formDialog('Withdraw ' + record.level + ' complexity for ' + record.month, h('div', {},
    h('p', {}, 'The record stays in the chart as withdrawn, with your name and reason, and the month close no longer counts it.'),
    field('Why is it withdrawn?', reason)),
  {submitLabel: 'Withdraw', submitId: 'complexity-withdraw-save', submit: async () => {
    await api.post('/patients/' + ctx.patientId + '/ccm-complexity/' + record.id + '/withdraw', {reason: reason.value.trim()});
    toast('Withdrew the ' + record.level + ' complexity record for ' + record.month + '.');
    ctx.reload();
  }});
}

function complexityDialog(ctx) {
  const month = h('input#complexity-month', {type: 'month', value: today().slice(0, 7), max: today().slice(0, 7), 'data-field': 'month'});
  const level = h('select#complexity-level', {'data-field': 'level'}, h('option', {value: 'moderate'}, 'Moderate'), h('option', {value: 'high'}, 'High'));
  const note = h('textarea#complexity-note', {rows: 2, maxlength: 2000, 'data-field': 'note'});
  formDialog('Medical decision making', h('div', {}, h('div.form-grid', {}, field('Month', month), field('Complexity', level)),
    field('What made it complex (optional)', note)),
  {submitLabel: 'Record', submitId: 'complexity-save', submit: async () => {
    await api.post('/patients/' + ctx.patientId + '/ccm-complexity', {month: month.value, level: level.value, note: note.value.trim() || undefined});
    toast('Recorded ' + level.value + ' complexity for ' + month.value + '.');
    ctx.reload();
  }});
}
