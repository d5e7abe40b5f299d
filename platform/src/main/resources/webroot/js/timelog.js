// Time logging: a manual entry or a timer, program RPM or CCM (suggested by the task, chosen by the person), and
// whether it included interactive communication. Refusals from the billing tier are shown in plain words.
import { api } from './api.js';
import { clear, dialog, h, toast } from './dom.js';
import { ACTIVITIES, PROGRAMS } from './words.js';

const RUNNING = 'careloop.timer';

/**
 * Opens the time dialog for a patient; `program` is the suggestion (from the task), `taskId` links the entry; the
 * worklist's "Log a call" presets `activity` (patient_call) and `interactive`.
 */
export function openTimeDialog({patientId, program, taskId, patientLabel, onSaved, activity: presetActivity, interactive: presetInteractive}) {
  const suggested = program === 'ccm' ? 'ccm' : 'rpm';
  const radios = Object.entries(PROGRAMS).map(([value, label]) => h('label.check', {}, h('input', {type: 'radio', name: 'program', value,
    checked: value === suggested}), label, value === suggested && taskId ? h('span.muted', {}, ' — suggested by the task') : null));
  const activity = h('select#time-activity', {}, Object.entries(ACTIVITIES).map(([value, label]) => h('option', {value}, label)));
  activity.value = presetActivity || (suggested === 'rpm' ? 'data_review' : 'care_coordination');
  const interactive = h('input#time-interactive', {type: 'checkbox', checked: Boolean(presetInteractive)});
  const mode = h('select#time-mode', {disabled: !presetInteractive}, h('option', {value: 'phone'}, 'Phone'), h('option', {value: 'video'}, 'Video'));
  interactive.addEventListener('change', () => { mode.disabled = !interactive.checked; });
  const now = new Date();
  const start = h('input#time-start', {type: 'datetime-local', value: local(new Date(now - 15 * 60000))});
  const end = h('input#time-end', {type: 'datetime-local', value: local(now)});
  const note = h('textarea#time-note', {rows: 2, maxlength: 4000});
  const error = h('div.error#time-error', {role: 'alert', hidden: true});
  const manual = h('div.row#time-manual', {},
    h('div', {}, h('label', {for: 'time-start'}, 'Started'), start), h('div', {}, h('label', {for: 'time-end'}, 'Ended'), end));

  const chosenProgram = () => dlg.querySelector('input[name=program]:checked').value;
  const interaction = () => interactive.checked ? {interactive: true, interactionMode: mode.value} : {interactive: false};
  const fail = (e) => {
    clear(error, h('p', {}, e.plain || e.message), e.plain && e.plain !== e.message ? h('details', {}, h('summary', {}, 'Details'), e.message) : null);
    error.hidden = false;
    error.scrollIntoView({block: 'nearest'});
  };
  const dlg = dialog('Log time' + (patientLabel ? ' — ' + patientLabel : ''),
    h('form.time-form', {onsubmit: e => e.preventDefault()},
      h('fieldset.programs', {}, h('legend', {}, 'Program'), radios),
      h('div.row', {}, h('div', {}, h('label', {for: 'time-activity'}, 'Activity'), activity),
        h('div', {}, h('label', {for: 'time-mode'}, 'Interactive by'), mode)),
      h('label.check', {for: 'time-interactive'}, interactive, 'Included interactive communication with the patient or caregiver'),
      manual,
      h('label', {for: 'time-note'}, 'Note (optional)'), note, error),
    [h('button.primary#time-save', {type: 'button', onclick: async () => {
      try {
        const startedAt = new Date(start.value).toISOString();
        const endedAt = new Date(end.value).toISOString();
        const entry = await api.post('/time-entries', {patientId, program: chosenProgram(), activity: activity.value, startedAt, endedAt,
          ...interaction(), note: note.value.trim() || undefined, taskId});
        dlg.close();
        toast('Logged ' + Math.round(entry.minutes) + ' min of ' + entry.program.toUpperCase() + ' time.');
        if (onSaved) onSaved();
      } catch (e) { if (e.status !== 401) fail(e); }
    }}, 'Save entry'),
    h('button#time-start-timer', {type: 'button', onclick: async () => {
      try {
        await startTimer({patientId, program: chosenProgram(), activity: activity.value, note: note.value.trim() || undefined, taskId});
        dlg.close();
      } catch (e) { if (e.status !== 401) fail(e); }
    }}, 'Start a timer instead'),
    h('button', {type: 'button', onclick: () => dlg.close()}, 'Cancel')]);
}

/** Starts the caller's timer (one click from the worklist) and shows it in the header; refusals are thrown as ApiError. */
export async function startTimer({patientId, program, activity, note, taskId}) {
  const entry = await api.post('/time-entries/timer/start', {patientId, program, activity, note, taskId});
  sessionStorage.setItem(RUNNING, JSON.stringify({startedAt: entry.startedAt, program: entry.program, patientId}));
  renderTimerBar();
  toast('Timer started.');
  return entry;
}

/** The running timer in the header, with its Stop button; survives page changes within the tab. */
export function renderTimerBar() {
  const bar = document.getElementById('timer-bar');
  const running = JSON.parse(sessionStorage.getItem(RUNNING) || 'null');
  clearInterval(bar._tick);
  bar.hidden = !running;
  if (!running) return;
  const clock = h('span.clock');
  const update = () => {
    const s = Math.max(0, Math.floor((Date.now() - Date.parse(running.startedAt)) / 1000));
    clock.textContent = Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  };
  update();
  bar._tick = setInterval(update, 1000);
  clear(bar, h('span', {}, running.program.toUpperCase() + ' timer '), clock,
    h('button.primary#timer-stop', {type: 'button', onclick: () => stopDialog(running)}, 'Stop'));
}

function stopDialog(running) {
  const interactive = h('input#stop-interactive', {type: 'checkbox'});
  const mode = h('select#stop-mode', {disabled: true}, h('option', {value: 'phone'}, 'Phone'), h('option', {value: 'video'}, 'Video'));
  interactive.addEventListener('change', () => { mode.disabled = !interactive.checked; });
  const error = h('p.error', {role: 'alert', hidden: true});
  const dlg = dialog('Stop the timer', h('div', {},
    h('label.check', {for: 'stop-interactive'}, interactive, 'Included interactive communication'),
    h('label', {for: 'stop-mode'}, 'How'), mode, error),
    [h('button.primary#stop-confirm', {type: 'button', onclick: async () => {
      try {
        const entry = await api.post('/time-entries/timer/stop', interactive.checked ? {interactive: true, interactionMode: mode.value} : {});
        sessionStorage.removeItem(RUNNING);
        dlg.close();
        renderTimerBar();
        toast('Logged ' + Math.round(entry.minutes) + ' min of ' + entry.program.toUpperCase() + ' time.');
        window.dispatchEvent(new Event('careloop:time-logged'));
      } catch (e) {
        if (e.code === 'no_running_timer') { sessionStorage.removeItem(RUNNING); renderTimerBar(); }
        if (e.status !== 401) { error.textContent = e.plain || e.message; error.hidden = false; }
      }
    }}, 'Stop and save'), h('button', {type: 'button', onclick: () => dlg.close()}, 'Keep running')]);
}

function local(d) {
  const pad = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes());
}
