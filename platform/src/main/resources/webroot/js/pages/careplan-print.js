// The care plan as the patient's copy (billing-rules.md 2.2: a copy to the patient): the current version in plain
// words, printed from the browser (the page's header and buttons are left off the paper). The URL holds the id only.
import { api } from '../api.js';
import { clear, h } from '../dom.js';
import { SECTIONS, lines } from '../careplan-words.js';
import { date } from '../words.js';

export async function carePlanPrintPage(main, patientId) {
  const [patient, current] = await Promise.all([api.get('/patients/' + patientId),
    api.get('/patients/' + patientId + '/care-plan').catch(e => { if (e.status === 404) return null; throw e; })]);
  const back = h('a.button-link', {href: '#/patients/' + patientId}, 'Back to the chart');
  if (!current) {
    clear(main, h('h1', {}, 'Care plan'), h('p.muted', {}, 'The patient has no care plan yet.'), back);
    return;
  }
  const p = patient.profile;
  const name = p ? p.givenName + ' ' + p.familyName : patient.externalRef;
  clear(main, h('article.printable#care-plan-print', {},
    h('div.actions.no-print', {}, h('button.primary#print-now', {type: 'button', onclick: () => window.print()}, 'Print'), back,
      h('p.muted', {}, 'After giving the copy, record it in the chart (Care plan → Versions → Record copy given).')),
    h('h1', {}, 'Care plan for ' + name),
    h('p', {}, p ? 'Date of birth ' + date(p.birthDate) + ' · ' : '', 'Version ' + current.version + ', established ' + date(current.establishedOn),
      ' by ' + current.author.name + ' · Next review ' + date(current.plan.reviewDate)),
    SECTIONS.filter(([key]) => key !== 'reviewDate').map(([key, label]) => {
      const text = lines(current.plan, key);
      return h('section', {}, h('h2', {}, label), text.length ? h('ul', {}, text.map(t => h('li', {}, t))) : h('p.muted', {}, 'None recorded.'));
    })));
}
