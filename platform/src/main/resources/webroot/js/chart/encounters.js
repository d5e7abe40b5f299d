// The chart's visits and hospital stays: the visits that can initiate CCM (an E/M visit, annual wellness visit or IPPE;
// with the comprehensive assessment that carries G0506) and hospital or skilled-nursing stays, during which no CCM or
// PCM minute counts. The visit itself is billed from the EHR; CareLoop only needs to know it happened.
import { api } from '../api.js';
import { session } from '../session.js';
import { h, table, toast } from '../dom.js';
import { field, formDialog, today } from '../forms.js';
import { date, dateTime } from '../words.js';

const KINDS = {em: 'E/M visit', awv: 'Annual wellness visit', ippe: 'Initial preventive physical exam (IPPE)'};
const SETTINGS = {hospital: 'Hospital', snf: 'Skilled nursing facility'};

export function encountersSection(ctx, visits, stays) {
  const canEdit = session.can('editPatients');
  return h('section.card#encounters', {'aria-labelledby': 'encounters-h'},
    h('div.section-head', {}, h('h2#encounters-h', {}, 'Visits and hospital stays'),
      canEdit ? h('div.actions', {}, h('button#add-visit', {type: 'button', onclick: () => visitDialog(ctx)}, 'Record visit'),
        h('button#add-stay', {type: 'button', onclick: () => stayDialog(ctx)}, 'Record stay')) : null),
    visits.length ? table([
      {label: 'Visit', cell: v => KINDS[v.kind] || v.kind},
      {label: 'Date', cell: v => date(v.date)},
      {label: 'Seen by', cell: v => ctx.staffName(v.practitionerId)},
      {label: 'CCM assessment', cell: v => v.ccmAssessment ? 'yes (G0506)' : 'no'},
    ], visits, {caption: 'Visits'}) : h('p.muted', {}, 'No visits recorded: CCM needs an initiating visit.'),
    stays.length ? table([
      {label: 'Stay', cell: s => SETTINGS[s.setting] || s.setting},
      {label: 'Admitted', cell: s => dateTime(s.admittedAt)},
      {label: 'Discharged', cell: s => s.dischargedAt ? dateTime(s.dischargedAt) : canEdit
        ? h('button', {type: 'button', onclick: () => dischargeDialog(ctx, s)}, 'Discharged…') : 'still in'},
    ], stays, {caption: 'Hospital and skilled-nursing stays (no care-management minutes count during them)'}) : null);
}

function visitDialog(ctx) {
  const kind = h('select#visit-kind', {'data-field': 'kind'}, Object.entries(KINDS).map(([v, l]) => h('option', {value: v}, l)));
  const on = h('input#visit-date', {type: 'date', value: today(), max: today(), 'data-field': 'date'});
  const by = h('select#visit-practitioner', {'data-field': 'practitionerId'},
    ctx.team.filter(s => s.role === 'physician' || s.role === 'npp').map(s => h('option', {value: s.id}, s.displayName)));
  const assessment = h('input#visit-assessment', {type: 'checkbox'});
  formDialog('Record a visit', h('div', {}, h('div.form-grid', {}, field('Kind', kind), field('Date', on), field('Seen by', by)),
    h('label.check', {for: 'visit-assessment'}, assessment, 'Included the comprehensive CCM assessment and care planning (G0506)')),
  {submitLabel: 'Save visit', submitId: 'visit-save', submit: async () => {
    await api.post('/patients/' + ctx.patientId + '/visits', {kind: kind.value, date: on.value, practitionerId: by.value, ccmAssessment: assessment.checked});
    toast('Visit recorded.');
    ctx.reload();
  }});
}

function stayDialog(ctx) {
  const setting = h('select#stay-setting', {'data-field': 'setting'}, Object.entries(SETTINGS).map(([v, l]) => h('option', {value: v}, l)));
  const admitted = h('input#stay-admitted', {type: 'datetime-local', 'data-field': 'admittedAt'});
  const discharged = h('input#stay-discharged', {type: 'datetime-local', 'data-field': 'dischargedAt'});
  formDialog('Record a hospital or nursing-facility stay', h('div.form-grid', {}, field('Where', setting), field('Admitted', admitted),
    field('Discharged (optional)', discharged, 'Leave empty while the patient is still in.')),
  {submitLabel: 'Save stay', submitId: 'stay-save', submit: async () => {
    await api.post('/patients/' + ctx.patientId + '/inpatient-stays', {setting: setting.value, admittedAt: instant(admitted.value, 'admittedAt'),
      dischargedAt: discharged.value ? instant(discharged.value, 'dischargedAt') : undefined});
    toast('Stay recorded.');
    ctx.reload();
  }});
}

function dischargeDialog(ctx, stay) {
  const at = h('input#discharge-at', {type: 'datetime-local', 'data-field': 'dischargedAt'});
  formDialog('Discharged', h('div', {}, field('Discharged at', at)), {submitLabel: 'Save', submitId: 'discharge-save', submit: async () => {
    await api.post('/patients/' + ctx.patientId + '/inpatient-stays/' + stay.id + '/discharge', {dischargedAt: instant(at.value, 'dischargedAt')});
    toast('Discharge recorded.');
    ctx.reload();
  }});
}

/** A datetime-local value as an instant, or a refusal naming the field as the server would. */
function instant(value, name) {
  const d = new Date(value);
  if (!value || isNaN(d)) throw Object.assign(new Error('\'' + name + '\' is required: give a date and time.'), {status: 400});
  return d.toISOString();
}
