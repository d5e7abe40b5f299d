// The practice's audit trail, for its administrators (READ_AUDIT): who read or changed which patient's record, when,
// from where, and what CareLoop answered. Filters (patient, staff member, dates) live in the page, never in its URL;
// the CSV download asks for the same filter.
import { api, download } from '../api.js';
import { session } from '../session.js';
import { clear, h, table } from '../dom.js';
import { patientDirectory } from '../directory.js';
import { dateTime, patientName } from '../words.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const PAGE = 100;

export async function auditPage(main) {
  if (!session.can('readAudit')) {
    clear(main, h('h1', {}, 'Audit trail'), h('p.notice', {}, 'Only a practice administrator reads the audit trail.'));
    return;
  }
  const [directory, staff] = await Promise.all([patientDirectory(), api.get('/staff').then(r => r.items)]);
  const staffById = new Map(staff.map(s => [s.id, s]));
  const patient = h('select#audit-patient', {}, h('option', {value: ''}, 'Any patient'),
    directory.list.map(p => h('option', {value: p.id}, patientName(p) + ' · ' + p.externalRef)));
  const member = h('select#audit-staff', {}, h('option', {value: ''}, 'Anyone'),
    staff.map(s => h('option', {value: s.id}, s.displayName + (s.active ? '' : ' (deactivated)'))));
  const from = h('input#audit-from', {type: 'date'});
  const to = h('input#audit-to', {type: 'date'});
  const results = h('div#audit-results');
  const error = h('p.error#audit-error', {role: 'alert', hidden: true});
  const query = () => {
    const q = new URLSearchParams();
    if (patient.value) q.set('patientId', patient.value);
    if (member.value) q.set('staffId', member.value);
    if (from.value) q.set('from', from.value);
    if (to.value) q.set('to', to.value);
    return q;
  };
  let rows = [];
  const show = async (cursor) => {
    error.hidden = true;
    const q = query();
    q.set('limit', String(PAGE));
    if (cursor) q.set('cursor', cursor);
    try {
      const page = await api.get('/audit-events?' + q);
      rows = cursor ? rows.concat(page.items) : page.items;
      render(results, rows, page.nextCursor, {directory, staffById, more: show});
    } catch (err) {
      if (err.status === 401) return;
      error.textContent = err.plain || err.message;
      error.hidden = false;
    }
  };
  clear(main,
    h('div.page-head', {}, h('h1', {}, 'Audit trail'),
      h('p.muted', {}, 'Every call to CareLoop: who, when, from which address, what was asked, what was answered, and which patients it named. '
        + 'Dates are days in the practice\'s time zone.')),
    h('form.filters.card#audit-filters', {onsubmit: (e) => { e.preventDefault(); show(null); }},
      h('div', {}, h('label', {for: 'audit-patient'}, 'Patient'), patient),
      h('div', {}, h('label', {for: 'audit-staff'}, 'Staff member'), member),
      h('div', {}, h('label', {for: 'audit-from'}, 'From'), from),
      h('div', {}, h('label', {for: 'audit-to'}, 'To (inclusive)'), to),
      h('button.primary#audit-show', {type: 'submit'}, 'Show'),
      h('button#audit-csv', {type: 'button', onclick: async () => {
        try { await download('/audit-events.csv?' + query(), 'audit-events.csv'); } catch (err) {
          if (err.status !== 401) { error.textContent = err.plain || err.message; error.hidden = false; }
        }
      }}, 'Download CSV'), error),
    results);
  await show(null);
}

function render(container, rows, nextCursor, {directory, staffById, more}) {
  const nameOf = (id) => patientName(directory.get(id));
  const known = (id) => Boolean(directory.get(id));
  clear(container,
    rows.length ? table([
      {label: 'When', cell: e => dateTime(e.at)},
      {label: 'Who', cell: e => who(e, staffById)},
      {label: 'What', cell: e => h('div', {}, h('code', {}, e.action + ' ' + describe(e, nameOf, known)),
        e.query ? h('div.muted', {}, '?' + e.query.replace(UUID, (id) => directory.get(id) ? nameOf(id) : '…')) : null)},
      {label: 'Patients', cell: e => patients(e, nameOf)},
      {label: 'Answer', cell: e => h('span', {class: e.outcome >= 400 ? 'flag warn' : null}, outcome(e.outcome))},
      {label: 'From', cell: e => e.clientAddress || ''},
    ], rows, {rowAttrs: e => ({'data-event': e.id})}) : h('p.empty', {}, 'No audit events match.'),
    nextCursor ? h('button#audit-more', {type: 'button', onclick: () => more(nextCursor)}, 'Show older events') : null,
    h('p.muted#audit-count', {}, rows.length + ' events shown' + (nextCursor ? '; there are older ones.' : '.')));
}

function who(e, staffById) {
  const member = e.staffId && staffById.get(e.staffId);
  if (e.actor === 'anonymous') return member ? h('span', {}, 'Not signed in (as ' + member.displayName + ')') : 'Not signed in';
  if (e.actor && e.actor.startsWith('api-token:')) return 'API token';
  return member ? member.displayName : (e.actor || '');
}

/** The path without its prefix, a patient's id replaced by the name, other ids elided: a person reads it. */
function describe(e, nameOf, known) {
  const path = (e.resource || '').replace(/^\/api\/v1/, '');
  return path.replace(UUID, (id) => known(id) ? nameOf(id) : '…');
}

function patients(e, nameOf) {
  const ids = [...new Set([e.patientId, ...(e.patientIds || [])].filter(Boolean))];
  if (!ids.length) return h('span.muted', {}, '—');
  const names = ids.slice(0, 3).map(nameOf);
  return names.join('; ') + (ids.length > 3 ? ' and ' + (ids.length - 3) + ' more' : '');
}

function outcome(status) {
  if (status === 499) return 'Left before the answer';
  if (status < 300) return 'Done (' + status + ')';
  if (status === 401) return 'Not signed in (401)';
  if (status === 403) return 'Refused: role (403)';
  if (status === 404) return 'Not found (404)';
  if (status === 429) return 'Throttled (429)';
  return (status >= 500 ? 'Failed (' : 'Refused (') + status + ')';
}
