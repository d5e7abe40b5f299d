// A care plan's sections in words, in the order they are shown, and a readable difference between two versions.
import { date } from './words.js';

export const SECTIONS = [
  ['problems', 'Problem list', p => p.icd10 + ' ' + p.description],
  ['expectedOutcome', 'Expected outcome', null],
  ['prognosis', 'Prognosis', null],
  ['goals', 'Measurable goals', g => g.description + ': ' + g.target + ' by ' + date(g.targetDate)],
  ['symptomManagement', 'Symptom management', null],
  ['interventions', 'Planned interventions and who does them', i => i.description + ' — ' + i.responsibleParty],
  ['medications', 'Medication management', m => m.name + ' ' + m.dose + ', ' + m.frequency],
  ['communityResources', 'Community and social services', r => r.name + (r.details ? ': ' + r.details : '')],
  ['coordinatingProviders', 'Coordination with other providers', p => p.name + ' (' + p.role + ')' + (p.contact ? ', ' + p.contact : '')],
  ['reviewDate', 'Review date', null],
];

/** A section's content as lines of text. */
export function lines(plan, key) {
  const [, , item] = SECTIONS.find(s => s[0] === key);
  const value = plan[key];
  if (item) return (value || []).map(item);
  if (key === 'reviewDate') return value ? [date(value)] : [];
  return value ? [value] : [];
}

/** Per section that differs: the lines removed and the lines added (a changed text is one of each). */
export function difference(before, after) {
  const changes = [];
  for (const [key, label] of SECTIONS) {
    const was = before ? lines(before, key) : [];
    const now = lines(after, key);
    const removed = was.filter(l => !now.includes(l));
    const added = now.filter(l => !was.includes(l));
    if (removed.length || added.length) changes.push({key, label, removed, added});
  }
  return changes;
}
