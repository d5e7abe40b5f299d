// The alert queue: open and in-progress tasks with their alerts, most urgent first, then oldest first.
import { api } from '../api.js';
import { session } from '../session.js';
import { clear, dialog, h, table, toast } from '../dom.js';
import { patientDirectory } from '../directory.js';
import { ago, duration, patientName, ruleName } from '../words.js';
import { openTimeDialog } from '../timelog.js';

const PRIORITY = {urgent: 0, high: 1, normal: 2, low: 3};
const filters = {severity: '', rule: '', assignee: '', overdue: false};

export async function queuePage(main) {
  const seen = new Set();
  let first = true;
  const count = h('span.count');
  const body = h('div');
  const controls = filterControls(() => render());
  clear(main, h('div.page-head', {}, h('h1', {}, 'Alert queue ', count)), controls, body);

  let state = null;
  async function load() {
    const [open, working, alerts, directory] = await Promise.all([
      api.get('/tasks?status=open&limit=500'), api.get('/tasks?status=in_progress&limit=500'),
      Promise.all(['open', 'acknowledged', 'escalated'].map(s => api.get('/alerts?status=' + s + '&limit=500'))),
      patientDirectory()]);
    const alertById = new Map(alerts.flatMap(a => a.items).map(a => [a.id, a]));
    const tasks = [...open.items, ...working.items].map(t => ({...t, alert: t.alertId ? alertById.get(t.alertId) : null}));
    tasks.sort((a, b) => PRIORITY[a.priority] - PRIORITY[b.priority] || Date.parse(a.createdAt) - Date.parse(b.createdAt));
    state = {tasks, directory};
    const rules = [...new Set(tasks.filter(t => t.alert).map(t => t.alert.rule))].sort();
    const ruleSelect = controls.querySelector('#filter-rule');
    clear(ruleSelect, h('option', {value: ''}, 'Any rule'), rules.map(r => h('option', {value: r}, ruleName(r))));
    // The filter outlives the page (it is kept while the person looks elsewhere): show what is applied, and drop a
    // rule that no longer has open work rather than filter by something the list cannot show.
    if (!rules.includes(filters.rule)) filters.rule = '';
    ruleSelect.value = filters.rule;
    render();
  }

  function render() {
    if (!state) return;
    const me = session.me.staffId;
    const now = Date.now();
    const rows = state.tasks.filter(t =>
      (!filters.severity || (t.alert && t.alert.severity === filters.severity)) &&
      (!filters.rule || (t.alert && t.alert.rule === filters.rule)) &&
      (!filters.assignee || (filters.assignee === 'me' ? t.assigneeId === me : !t.assigneeId)) &&
      (!filters.overdue || t.overdue));
    count.textContent = '(' + rows.length + (rows.length === state.tasks.length ? '' : ' of ' + state.tasks.length) + ')';
    const columns = [
      {label: 'Priority', cell: t => h('span.badge.' + t.priority, {}, t.priority)},
      {label: 'Patient', cell: t => h('a', {href: '#/patients/' + t.patientId}, patientName(state.directory.get(t.patientId)))},
      {label: 'What', cell: t => h('div', {},
        h('strong', {}, t.alert ? ruleName(t.alert.rule) : t.title),
        t.alert ? h('div.muted', {}, t.alert.message) : (t.detail ? h('div.muted', {}, t.detail) : null),
        t.alert && t.alert.occurrences > 1 ? h('div.muted', {}, t.alert.occurrences + ' readings') : null)},
      {label: 'Severity', className: 'narrow', cell: t => t.alert ? h('span.sev.' + t.alert.severity, {}, t.alert.severity) : '—'},
      {label: 'Raised', className: 'narrow', cell: t => ago(t.alert ? t.alert.raisedAt : t.createdAt, now)},
      {label: 'Due', cell: t => t.overdue
        ? h('span.overdue', {}, 'Overdue by ' + duration(Math.round((now - Date.parse(t.dueAt)) / 60000)))
        : 'in ' + duration(Math.round((Date.parse(t.dueAt) - now) / 60000))},
      {label: 'Status', cell: t => h('div', {},
        t.alert ? h('div', {}, 'Alert ' + t.alert.status) : null,
        h('div.muted', {}, !t.assigneeId ? 'Unclaimed' : t.assigneeId === me ? 'Claimed by you' : 'Claimed by ' + (t.assigneeName || 'a colleague')))},
      {label: 'Actions', cell: t => actions(t)},
    ];
    const rowAttrs = t => {
      const fresh = !first && !seen.has(t.id);
      return {class: [t.overdue ? 'is-overdue' : '', fresh ? 'is-new' : ''].join(' ').trim() || null, 'data-task': t.id};
    };
    clear(body, rows.length ? table(columns, rows, {caption: 'Open work, most urgent first', rowAttrs}) : h('p.empty', {}, 'Nothing waiting. New alerts appear here by themselves.'));
    rows.forEach(t => seen.add(t.id));
    state.tasks.forEach(t => seen.add(t.id));
    first = false;
  }

  function actions(t) {
    if (!session.can('workQueue')) return h('span.muted', {}, 'View only');
    const me = session.me.staffId;
    const act = (label, fn, cls = '') => h('button' + cls, {type: 'button', onclick: async (e) => {
      e.currentTarget.disabled = true;
      try { await fn(); } catch (err) { if (err.status !== 401) toast(err.plain || err.message, 'error'); }
      await refresh();
    }}, label);
    return h('div.actions', {},
      t.assigneeId !== me ? act('Claim', () => api.post('/tasks/' + t.id + '/claim').then(() => toast('Claimed.')), '.primary') : null,
      t.alert && (t.alert.status === 'open' || t.alert.status === 'escalated') ? act('Acknowledge', () => api.post('/alerts/' + t.alert.id + '/acknowledge').then(() => toast('Acknowledged.'))) : null,
      h('button', {type: 'button', onclick: () => openTimeDialog({patientId: t.patientId, program: t.suggestedProgram, taskId: t.id,
        patientLabel: patientName(state.directory.get(t.patientId))})}, 'Log time'),
      h('button', {type: 'button', onclick: () => resolveDialog(t, refresh)}, t.alert ? 'Resolve' : 'Complete'),
      t.alert && t.alert.status !== 'escalated' ? h('button.quiet', {type: 'button', onclick: () => escalateDialog(t, refresh)}, 'Escalate') : null);
  }

  let pending = null;
  async function refresh() {
    try { await load(); } catch (e) { if (e.status !== 401) toast(e.plain || e.message, 'error'); }
  }
  const onChange = () => { clearTimeout(pending); pending = setTimeout(refresh, 250); };
  window.addEventListener('careloop:queue-changed', onChange);
  // Overdue is a matter of time passing, not of changes: re-read each minute.
  const tick = setInterval(refresh, 60000);
  await load();
  return () => { window.removeEventListener('careloop:queue-changed', onChange); clearInterval(tick); clearTimeout(pending); };
}

function filterControls(changed) {
  const select = (id, label, options, key) => h('label', {for: id}, label, h('select#' + id, {onchange: e => { filters[key] = e.target.value; changed(); }},
    options.map(([value, text]) => h('option', {value, selected: filters[key] === value}, text))));
  return h('div.filters', {role: 'group', 'aria-label': 'Filters'},
    select('filter-severity', 'Severity', [['', 'Any'], ['critical', 'Critical'], ['high', 'High'], ['low', 'Low']], 'severity'),
    select('filter-rule', 'Rule', [['', 'Any rule']], 'rule'),
    select('filter-assignee', 'Assignee', [['', 'Anyone'], ['me', 'Me'], ['none', 'Unclaimed']], 'assignee'),
    h('label.check', {for: 'filter-overdue'}, h('input#filter-overdue', {type: 'checkbox', checked: filters.overdue,
      onchange: e => { filters.overdue = e.target.checked; changed(); }}), 'Overdue only'));
}

function resolveDialog(t, done) {
  const outcome = h('textarea#outcome', {rows: 4, required: true, maxlength: 4000});
  const error = h('p.error', {role: 'alert', hidden: true});
  const dlg = dialog(t.alert ? 'Resolve the alert' : 'Complete the task',
    h('div', {}, h('label', {for: 'outcome'}, 'Outcome: what was done'), outcome,
      h('p.muted', {}, 'Log the time you spent separately ("Log time"), so it counts toward RPM or CCM.'), error),
    [h('button.primary#resolve-confirm', {type: 'button', onclick: async () => {
      if (!outcome.value.trim()) { error.textContent = 'Write what was done: it goes into the patient\'s record.'; error.hidden = false; return; }
      try {
        if (t.alert && t.alert.status !== 'resolved') await api.post('/alerts/' + t.alert.id + '/resolve', {outcome: outcome.value.trim()});
        await api.post('/tasks/' + t.id + '/complete', {outcome: outcome.value.trim()});
        dlg.close();
        toast(t.alert ? 'Alert resolved.' : 'Task completed.');
        done();
      } catch (e) { refused(e, error, done); }
    }}, t.alert ? 'Resolve' : 'Complete'),
    h('button', {type: 'button', onclick: () => dlg.close()}, 'Cancel')]);
  outcome.focus();
}

function escalateDialog(t, done) {
  const reason = h('textarea#escalate-reason', {rows: 3, maxlength: 1000});
  const error = h('p.error', {role: 'alert', hidden: true});
  const dlg = dialog('Escalate to a provider', h('div', {}, h('label', {for: 'escalate-reason'}, 'Why (optional)'), reason, error),
    [h('button.primary#escalate-confirm', {type: 'button', onclick: async () => {
      try {
        await api.post('/alerts/' + t.alert.id + '/escalate', reason.value.trim() ? {reason: reason.value.trim()} : {});
        dlg.close();
        toast('Escalated.');
        done();
      } catch (e) { refused(e, error, done); }
    }}, 'Escalate'), h('button', {type: 'button', onclick: () => dlg.close()}, 'Cancel')]);
  reason.focus();
}

/** A refusal stays in the dialog; after a conflict (someone else acted meanwhile) the list behind it is re-read, as the words say. */
function refused(e, error, done) {
  if (e.status === 401) return;
  error.textContent = e.plain || e.message;
  error.hidden = false;
  if (e.status === 409) done();
}
