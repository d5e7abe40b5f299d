// The practice's patients. The search runs in the page over the list already loaded, so a name never travels in a URL.
import { clear, h, table } from '../dom.js';
import { patientDirectory } from '../directory.js';
import { session } from '../session.js';
import { date, patientName } from '../words.js';

export async function patientsPage(main) {
  const directory = await patientDirectory();
  const results = h('div');
  const search = h('input#patient-search', {type: 'search', placeholder: 'Name or MRN', autocomplete: 'off', oninput: () => render()});
  function render() {
    const q = search.value.trim().toLowerCase();
    const rows = directory.list.filter(p => !q || patientName(p).toLowerCase().includes(q) || (p.externalRef || '').toLowerCase().includes(q));
    clear(results, rows.length ? table([
      {label: 'Patient', cell: p => h('a', {href: '#/patients/' + p.id}, patientName(p))},
      {label: 'MRN', cell: p => p.externalRef},
      {label: 'Born', cell: p => p.profile ? date(p.profile.birthDate) : ''},
    ], rows) : h('p.empty', {}, 'No patient matches.'));
  }
  clear(main, h('div.page-head', {}, h('h1', {}, 'Patients'),
    session.can('editPatients') ? h('a.button-link.primary#register-patient', {href: '#/patients/new'}, 'Register a patient') : null),
  h('label', {for: 'patient-search'}, 'Find a patient'), search, results);
  render();
}
