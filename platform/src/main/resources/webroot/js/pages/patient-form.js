// Register a patient, or edit one's details: MRN, demographics with the Medicare number (MBI) checked as typed and again
// by the server, phone and address. The URL carries the patient's internal id only.
import { api } from '../api.js';
import { session } from '../session.js';
import { clear, h, toast } from '../dom.js';
import { field, showRefusal } from '../forms.js';

// The MBI's format (billing-rules.md 4): 11 characters, no S, L, O, I, B or Z; the server says exactly what is wrong.
const MBI = /^[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y]{2}[0-9]{2}$/;

export async function patientFormPage(main, patientId) {
  if (!session.can('editPatients')) {
    clear(main, h('h1', {}, 'Patient details'), h('p.error#patient-form-refused', {role: 'alert'}, 'Your role does not allow changing patients\' details.'));
    return;
  }
  const patient = patientId ? await api.get('/patients/' + patientId) : null;
  const p = (patient && patient.profile) || {};
  const a = p.address || {};
  const input = (id, dataField, attrs = {}) => h('input#' + id, {'data-field': dataField, autocomplete: 'off', ...attrs});
  const mrn = input('pf-mrn', 'externalRef', {value: patient ? patient.externalRef : '', required: true, maxlength: 100});
  const given = input('pf-given', 'givenName', {value: p.givenName || '', required: true, maxlength: 100});
  const family = input('pf-family', 'familyName', {value: p.familyName || '', required: true, maxlength: 100});
  const birth = input('pf-birth', 'birthDate', {type: 'date', value: p.birthDate || '', required: true});
  const sex = h('select#pf-sex', {'data-field': 'sex'}, ['female', 'male', 'other', 'unknown'].map(s => h('option', {value: s, selected: p.sex === s}, s)));
  const mbi = input('pf-mbi', 'mbi', {value: p.mbi || '', maxlength: 13, spellcheck: false});
  const mbiCheck = h('p.hint#pf-mbi-check', {'aria-live': 'polite'});
  const phone = input('pf-phone', 'phone', {type: 'tel', value: p.phone || '', maxlength: 30});
  const line1 = input('pf-line1', 'address.line1', {value: a.line1 || '', maxlength: 100});
  const line2 = input('pf-line2', 'address.line2', {value: a.line2 || '', maxlength: 100});
  const city = input('pf-city', 'address.city', {value: a.city || '', maxlength: 60});
  const state = input('pf-state', 'address.state', {value: a.state || '', maxlength: 2, size: 3});
  const zip = input('pf-zip', 'address.zip', {value: a.zip || '', maxlength: 10, size: 11});
  const error = h('div.error#pf-error', {role: 'alert', hidden: true});
  let current = patient ? {id: patient.id, externalRef: patient.externalRef} : null;
  const checkMbi = () => {
    const value = mbi.value.replace(/[\s-]/g, '').toUpperCase();
    mbi.toggleAttribute('aria-invalid', Boolean(value) && !MBI.test(value));
    mbiCheck.textContent = !value ? 'Optional; needed for Medicare claims.' : MBI.test(value) ? 'Format looks right.'
      : 'Not a Medicare Beneficiary Identifier yet: 11 characters, such as 1EG4-TE5-MK73 (no S, L, O, I, B or Z).';
  };
  mbi.addEventListener('input', checkMbi);
  checkMbi();

  const form = h('form.patient-form.card', {onsubmit: async (e) => {
    e.preventDefault();
    error.hidden = true;
    const address = line1.value.trim() || city.value.trim() || zip.value.trim()
      ? {line1: line1.value.trim(), line2: line2.value.trim() || undefined, city: city.value.trim(), state: state.value.trim(), zip: zip.value.trim()} : undefined;
    const profile = {givenName: given.value.trim(), familyName: family.value.trim(), birthDate: birth.value, sex: sex.value,
      mbi: mbi.value.trim() || undefined, phone: phone.value.trim() || undefined, address};
    try {
      if (!current) {
        // Registered once: a refusal of the details below leaves this patient to finish, never a second registration.
        current = await api.post('/patients', {practiceId: session.me.practiceId, externalRef: mrn.value.trim()});
      } else if (mrn.value.trim() !== current.externalRef) {
        current = await api.post('/patients/' + current.id + '/external-ref', {externalRef: mrn.value.trim()});
      }
      await api.post('/patients/' + current.id + '/profile', profile);
      toast(patient ? 'Details saved.' : 'Patient registered.');
      location.hash = '#/patients/' + current.id;
    } catch (err) {
      if (err.status !== 401) showRefusal(error, err, form);
    }
  }},
    h('fieldset', {}, h('legend', {}, 'Identity'),
      h('div.form-grid', {}, field('Medical record number (MRN)', mrn), field('Given name', given), field('Family name', family),
        field('Date of birth', birth), field('Sex', sex))),
    h('fieldset', {}, h('legend', {}, 'Medicare'), field('Medicare Beneficiary Identifier (MBI)', mbi), mbiCheck),
    h('fieldset', {}, h('legend', {}, 'Contact'),
      h('div.form-grid', {}, field('Phone', phone, 'Such as (312) 555-0100.'), field('Street', line1), field('Apartment, suite (optional)', line2),
        field('City', city), field('State', state, 'Two letters, such as IL.'), field('ZIP code', zip, '5 or 9 digits.'))),
    error,
    h('div.actions', {}, h('button.primary#pf-save', {type: 'submit'}, patient ? 'Save details' : 'Register patient'),
      h('a.button-link', {href: patient ? '#/patients/' + patient.id : '#/patients'}, 'Cancel')));
  clear(main, h('div.page-head', {}, h('h1', {}, patient ? 'Edit patient details' : 'Register a patient')), form);
  given.focus();
}
