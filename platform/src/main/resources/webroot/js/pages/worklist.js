// The monthly care-management worklist for care coordinators: every patient enrolled this month, minutes so far per
// program against the next threshold, RPM data days in the 30-day period, days left, the last contact, and why to call
// today. "Who to call today" comes first; other orders are a choice away. One click starts a timer or logs a call.
import { api } from '../api.js';
import { session } from '../session.js';
import { clear, h, table, toast } from '../dom.js';
import { openTimeDialog, startTimer } from '../timelog.js';
import { ago } from '../words.js';

const TIMED = ['rpm', 'ccm'];
// The order is kept while the person works elsewhere in the tab (like the queue's filters); never in the URL.
let order = 'today';

const ORDERS = {
  today: {label: 'Who to call today', compare: (a, b) => 0},
  name: {label: 'Name', compare: (a, b) => (a.name || '').localeCompare(b.name || '')},
  minutes: {label: 'Fewest minutes to the next threshold', compare: (a, b) => minutesToNext(a) - minutesToNext(b)},
  days: {label: 'Fewest data days to spare', compare: (a, b) => spareDays(a) - spareDays(b)},
  contact: {label: 'Longest since the last contact', compare: (a, b) => (a.lastContactAt ? Date.parse(a.lastContactAt) : 0)
    - (b.lastContactAt ? Date.parse(b.lastContactAt) : 0)},
};

const minutesToNext = (e) => Math.min(...e.programs.filter(p => p.counting && p.minutesToNext !== null).map(p => p.minutesToNext), 9999);
const spareDays = (e) => e.dataDays && e.dataDays.daysToNext !== null ? e.dataDays.daysLeftInPeriod - e.dataDays.daysToNext : 9999;

export async function worklistPage(main) {
  const list = await api.get('/care-management/worklist');
  const callToday = list.items.filter(e => e.callToday.length).length;
  const rows = h('div#worklist-rows');
  const sort = h('select#worklist-order', {}, Object.entries(ORDERS).map(([value, o]) => h('option', {value}, o.label)));
  sort.value = order;
  const draw = () => {
    // The server sends "who to call today" order; a stable sort keeps it as the tie-breaker of the others.
    const items = list.items.slice().sort(ORDERS[order].compare);
    clear(rows, items.length ? table(columns(main), items, {rowAttrs: e => ({'data-patient': e.patientId, class: e.callToday.length ? 'is-due' : null})})
      : h('p.empty', {}, 'No patient is enrolled in RPM or CCM this month.'));
  };
  sort.addEventListener('change', () => { order = sort.value; draw(); });
  clear(main,
    h('div.page-head', {}, h('h1', {}, 'Care management ', h('span.count', {}, list.month)),
      h('div.facts', {}, h('span', {}, list.items.length + ' enrolled'), h('span', {class: callToday ? 'flag warn' : null}, callToday + ' to call today'),
        h('span', {}, list.daysLeftInMonth + (list.daysLeftInMonth === 1 ? ' day' : ' days') + ' left in the month'))),
    h('p.muted', {}, 'Minutes and days of readings as the month close counts them. Thresholds: RPM 10, 20, 40, 60 minutes; CCM 20, 40, 60 minutes; '
      + '2 and 16 days with readings in each 30-day period.'),
    h('div.filters', {}, h('div', {}, h('label', {for: 'worklist-order'}, 'Order'), sort)),
    rows);
  draw();
  const reload = () => { if (location.hash === '#/worklist') worklistPage(main); };
  window.addEventListener('careloop:time-logged', reload);
  return () => window.removeEventListener('careloop:time-logged', reload);
}

function columns(main) {
  const canLog = session.can('workQueue');
  return [
    {label: 'Patient', cell: e => h('a', {href: '#/patients/' + e.patientId}, e.name || 'Patient without a name on record')},
    {label: 'Minutes this month', cell: e => h('ul.codes', {}, e.programs.map(p => h('li', {'data-program': p.program},
      h('strong', {}, p.program.toUpperCase() + ' '), p.minutes + ' min',
      p.counting ? (p.next ? h('span.muted', {}, ' · ' + p.minutesToNext + ' more for ' + p.next.code + ' (' + p.next.target + ' min)') : h('span.muted', {}, ' · all thresholds reached'))
        : h('div.flag.warn', {}, 'Not counting: ' + p.reason))))},
    {label: 'Data days (RPM)', cell: e => e.dataDays ? h('div', {}, e.dataDays.days + ' in the period',
      h('div.muted', {}, e.dataDays.next ? e.dataDays.daysToNext + ' more for ' + e.dataDays.next.code + ' · ' : 'all thresholds reached · ',
        e.dataDays.daysLeftInPeriod + ' days left')) : h('span.muted', {}, '—')},
    {label: 'Last contact', cell: e => e.lastContactAt ? ago(e.lastContactAt) : h('span.muted', {}, 'none this month')},
    {label: 'Call today', cell: e => e.callToday.length ? h('ul.reasons', {}, e.callToday.map(r => h('li', {}, r))) : h('span.muted', {}, 'Nothing pressing')},
    {label: 'Act', cell: e => canLog ? h('div.actions', {}, actions(e, main)) : h('span.muted', {}, 'View only')},
  ];
}

function actions(e, main) {
  const programs = e.programs.filter(p => TIMED.includes(p.program) && p.counting).map(p => p.program);
  // The program whose threshold is nearest is the likely one; CCM first on a tie (its minutes are the ones at stake).
  const likely = programs.slice().sort((a, b) => (byProgram(e, a) - byProgram(e, b)) || (a === 'ccm' ? -1 : 1))[0];
  if (!likely) return [h('span.muted', {}, 'No program counts time today')];
  const label = e.name || 'Patient';
  return [
    h('button.primary', {type: 'button', 'data-action': 'timer', onclick: async () => {
      try { await startTimer({patientId: e.patientId, program: likely, activity: likely === 'rpm' ? 'data_review' : 'care_coordination'}); } catch (err) {
        if (err.status !== 401) toast(err.plain || err.message, 'error');
      }
    }}, 'Start ' + likely.toUpperCase() + ' timer'),
    h('button', {type: 'button', 'data-action': 'call', onclick: () => openTimeDialog({patientId: e.patientId, program: likely, patientLabel: label,
      activity: 'patient_call', interactive: true, onSaved: () => worklistPage(main)})}, 'Log a call'),
  ];
}

function byProgram(e, program) {
  const p = e.programs.find(x => x.program === program);
  return p && p.minutesToNext !== null ? p.minutesToNext : 9999;
}
