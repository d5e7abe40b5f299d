// The chart's programs: where the patient stands in RPM, CCM, PCM and APCM today (with every reason, the care plan's
// among them: the same test the month close uses), the consent history per program with what the patient was told,
// and enrolments with their billing practitioner. Recording and revoking consent and enrolling happen in dialogs.
import { api } from '../api.js';
import { session } from '../session.js';
import { h, table, toast } from '../dom.js';
import { field, formDialog, today } from '../forms.js';
import { date } from '../words.js';

export const PROGRAM_NAMES = {rpm: 'RPM', ccm: 'CCM', pcm: 'PCM', apcm: 'APCM'};
// What the patient must be told, per program (billing-rules.md 1.2 and 2.2; clinical's Program.requiredElements).
const ELEMENTS = {
  serviceAvailable: 'The service is available and what it covers',
  costSharing: 'Cost-sharing (co-insurance) applies',
  onePractitionerPerMonth: 'Only one practitioner can be paid for it per month',
  mayStopAnyTime: 'They may stop at any time, effective at the end of the month',
};
const REQUIRED = {rpm: ['costSharing'], ccm: Object.keys(ELEMENTS), pcm: Object.keys(ELEMENTS), apcm: Object.keys(ELEMENTS)};

export function programsSection(ctx) {
  const {patient} = ctx;
  const names = (text) => (text || '').replace(/ with billing practitioner ([0-9a-f-]{36})/g, (m, id) => ' with ' + ctx.staffName(id));
  return h('section.card#programs', {'aria-labelledby': 'programs-h'}, h('h2#programs-h', {}, 'Programs today'),
    h('ul.programs', {}, Object.keys(PROGRAM_NAMES).map(p => {
      const s = patient.programs[p];
      if (!s) return null;
      const reasons = [s.consentReason, s.enrolmentReason, s.eligibilityReason, s.carePlanReason].filter(Boolean).map(names);
      return h('li', {id: 'program-' + p}, h('strong', {}, PROGRAM_NAMES[p] + ': '),
        h('span', {class: s.ready ? 'ok' : 'not-ready'}, s.ready ? 'ready to bill' : 'not ready'),
        h('div.muted', {}, reasons.join(' ')));
    })),
    h('p.muted', {}, 'Eligibility: ', patient.eligibility.ccm.reason));
}

export function consentSection(ctx) {
  const {patient} = ctx;
  const rows = [...patient.consents].sort((a, b) => b.obtainedOn.localeCompare(a.obtainedOn));
  return h('section.card#consents', {'aria-labelledby': 'consents-h'},
    h('div.section-head', {}, h('h2#consents-h', {}, 'Consent'),
      session.can('editPatients') ? h('button#record-consent', {type: 'button', onclick: () => consentDialog(ctx)}, 'Record consent') : null),
    rows.length ? table([
      {label: 'Program', cell: c => PROGRAM_NAMES[c.program]},
      {label: 'Answer', cell: c => c.accepted ? 'given' : h('span.not-ready', {}, 'declined')},
      {label: 'How, when, by whom', cell: c => h('div', {}, c.method + ' on ' + date(c.obtainedOn) + ' · ' + ctx.staffName(c.obtainedBy),
        h('div.muted', {}, 'Entered by ' + ctx.actorName(c.recordedBy) + ' on ' + date(c.recordedAt)))},
      {label: 'Told', cell: c => h('ul.codes', {}, REQUIRED[c.program].map(k => h('li', {}, (c.told[k] ? '✓ ' : '✗ ') + ELEMENTS[k])))},
      {label: 'Status', cell: c => c.revokedOn ? 'revoked ' + date(c.revokedOn) + (c.coversThrough ? ', covers through ' + date(c.coversThrough) : '')
        : session.can('editPatients') && c.accepted ? h('button', {type: 'button', 'data-revoke': c.program, onclick: () => revokeDialog(ctx, c)}, 'Revoke…')
          : 'in force'},
    ], rows, {caption: 'Every consent recorded, newest first (the history is never changed; a revocation is added).'})
      : h('p.muted', {}, 'No consent recorded: time cannot be billed.'));
}

function consentDialog(ctx) {
  const program = h('select#consent-program', {'data-field': 'program'}, Object.entries(PROGRAM_NAMES).map(([v, l]) => h('option', {value: v}, l)));
  const method = h('select#consent-method', {'data-field': 'method'}, h('option', {value: 'verbal'}, 'Verbal'), h('option', {value: 'written'}, 'Written'));
  const obtainedOn = h('input#consent-date', {type: 'date', value: today(), max: today(), 'data-field': 'obtainedOn'});
  const by = h('select#consent-by', {'data-field': 'obtainedBy'}, ctx.team.map(s => h('option', {value: s.id, selected: s.id === session.me.staffId},
    s.displayName)));
  const boxes = Object.fromEntries(Object.entries(ELEMENTS).map(([k, text]) => [k, h('input', {type: 'checkbox', id: 'told-' + k, 'data-field': k})]));
  const told = h('fieldset#consent-told', {}, h('legend', {}, 'The patient was told'),
    Object.entries(ELEMENTS).map(([k, text]) => h('label.check', {for: 'told-' + k, 'data-element': k}, boxes[k], text)));
  const showRequired = () => {
    for (const label of told.querySelectorAll('[data-element]')) label.hidden = !REQUIRED[program.value].includes(label.dataset.element);
  };
  program.addEventListener('change', showRequired);
  showRequired();
  const accepted = h('select#consent-accepted', {'data-field': 'accepted'}, h('option', {value: 'true'}, 'Accepted'), h('option', {value: 'false'}, 'Declined'));
  const note = h('textarea#consent-note', {rows: 2, maxlength: 2000, 'data-field': 'note'});
  formDialog('Record consent', h('div', {},
    h('div.form-grid', {}, field('Program', program), field('How', method), field('Obtained on', obtainedOn, 'A past day is fine: the day it was given.'),
      field('Obtained by', by), field('Answer', accepted)), told, field('Note (optional)', note)),
  {submitLabel: 'Save consent', submitId: 'consent-save', submit: async () => {
    const elements = {};
    for (const k of REQUIRED[program.value]) elements[k] = boxes[k].checked;
    await api.post('/patients/' + ctx.patientId + '/consents', {program: program.value, method: method.value, obtainedOn: obtainedOn.value,
      obtainedBy: by.value, told: elements, accepted: accepted.value === 'true', note: note.value.trim() || undefined});
    toast(PROGRAM_NAMES[program.value] + ' consent recorded.');
    ctx.reload();
  }});
}

function revokeDialog(ctx, consent) {
  const on = h('input#revoke-date', {type: 'date', value: today(), min: consent.obtainedOn, 'data-field': 'revokedOn'});
  formDialog('Revoke ' + PROGRAM_NAMES[consent.program] + ' consent', h('div', {}, field('Revoked on', on,
    consent.program === 'rpm' ? 'RPM stops on that day.' : 'Care management stops at the end of that month.')),
  {submitLabel: 'Revoke', submitId: 'revoke-save', submit: async () => {
    await api.post('/patients/' + ctx.patientId + '/consents/' + consent.id + '/revoke', {revokedOn: on.value});
    toast('Consent revoked.');
    ctx.reload();
  }});
}

export function enrolmentSection(ctx) {
  const {patient} = ctx;
  const rows = [...patient.enrolments].sort((a, b) => b.startDate.localeCompare(a.startDate));
  return h('section.card#enrolments', {'aria-labelledby': 'enrolments-h'},
    h('div.section-head', {}, h('h2#enrolments-h', {}, 'Enrolment'),
      session.can('editPatients') ? h('button#enrol', {type: 'button', onclick: () => enrolDialog(ctx)}, 'Enrol…') : null),
    rows.length ? table([
      {label: 'Program', cell: e => PROGRAM_NAMES[e.program]},
      {label: 'Billing practitioner', cell: e => ctx.staffName(e.billingPractitionerId)},
      {label: 'From', cell: e => date(e.startDate)},
      {label: 'Through', cell: e => e.endDate ? date(e.endDate) : session.can('editPatients')
        ? h('button', {type: 'button', 'data-end': e.program, onclick: () => endDialog(ctx, e)}, 'End…') : 'open'},
    ], rows) : h('p.muted', {}, 'Not enrolled in any program.'));
}

function enrolDialog(ctx) {
  const program = h('select#enrol-program', {'data-field': 'program'}, Object.entries(PROGRAM_NAMES).map(([v, l]) => h('option', {value: v}, l)));
  const practitioners = ctx.team.filter(s => s.billingPractitioner);
  const by = h('select#enrol-practitioner', {'data-field': 'billingPractitionerId'}, practitioners.map(s => h('option', {value: s.id}, s.displayName)));
  const start = h('input#enrol-start', {type: 'date', value: today(), 'data-field': 'startDate'});
  const end = h('input#enrol-end', {type: 'date', 'data-field': 'endDate'});
  formDialog('Enrol in a program', h('div.form-grid', {}, field('Program', program),
    field('Billing practitioner', by, practitioners.length ? null : 'No physician or NPP with an NPI in the practice.'),
    field('Starts', start), field('Ends (optional)', end, 'Leave empty for no end date.')),
  {submitLabel: 'Enrol', submitId: 'enrol-save', submit: async () => {
    await api.post('/patients/' + ctx.patientId + '/enrolments', {program: program.value, billingPractitionerId: by.value, startDate: start.value,
      endDate: end.value || undefined});
    toast('Enrolled in ' + PROGRAM_NAMES[program.value] + '.');
    ctx.reload();
  }});
}

function endDialog(ctx, enrolment) {
  const on = h('input#end-date', {type: 'date', value: today(), min: enrolment.startDate, 'data-field': 'endDate'});
  formDialog('End ' + PROGRAM_NAMES[enrolment.program] + ' enrolment', h('div', {}, field('Last day', on)),
    {submitLabel: 'End enrolment', submitId: 'end-save', submit: async () => {
      await api.post('/patients/' + ctx.patientId + '/enrolments/' + enrolment.id + '/end', {endDate: on.value});
      toast('Enrolment ended.');
      ctx.reload();
    }});
}
