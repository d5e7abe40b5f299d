// Device inventory: who has each device, when it last measured, and which have gone silent. Staff who edit patients
// register a new device (and may give it to a patient at once), assign one from stock, and issue its MQTT password,
// shown once: a new cuff goes live from this page without the API.
import { api } from '../api.js';
import { session } from '../session.js';
import { clear, dialog, h, table, toast } from '../dom.js';
import { patientDirectory } from '../directory.js';
import { DEVICE_KINDS, ago, date, patientName } from '../words.js';

export async function devicesPage(main) {
  const [inventory, directory] = await Promise.all([api.get('/devices'), patientDirectory()]);
  const items = inventory.items;
  const silent = items.filter(d => d.silent).length;
  const inStock = items.filter(d => !d.patientId).length;
  const lowBattery = items.filter(d => d.batteryLow).length;
  const noPassword = items.filter(d => !d.mqttPasswordSetAt).length;
  const editor = session.can('editPatients');
  const reload = () => devicesPage(main);
  clear(main,
    h('div.page-head', {}, h('h1', {}, 'Devices'),
      h('div.facts', {}, h('span', {}, items.length + ' devices'), h('span', {class: silent ? 'flag warn' : null}, silent + ' silent'),
        h('span', {class: lowBattery ? 'flag warn' : null}, lowBattery + ' low battery'), h('span', {}, inStock + ' in stock'),
        h('span', {class: noPassword ? 'flag warn' : null}, noPassword + ' without a password'))),
    h('p.muted', {}, 'Silent: assigned and no reading for ' + inventory.silentAfterDays + ' days. Low battery: below '
      + inventory.lowBatteryPercent + ' % in the newest reading that reported one. A device without a password cannot connect.'),
    editor ? h('div.grid', {}, registerForm(directory, reload), assignForm(items, directory, reload)) : null,
    table([
      {label: 'Device', cell: d => h('div', {}, h('code', {}, d.deviceId), h('div.muted', {}, DEVICE_KINDS[d.kind] || d.kind, d.model ? ' · ' + d.model : ''))},
      {label: 'Patient', cell: d => d.patientId ? h('a', {href: '#/patients/' + d.patientId}, patientName(directory.get(d.patientId))) : h('span.muted', {}, 'In stock')},
      {label: 'Since', cell: d => d.assignedSince ? date(d.assignedSince) : ''},
      {label: 'Last reading', cell: d => d.lastMeasuredAt ? ago(d.lastMeasuredAt) : 'none in ' + inventory.lookBackDays + ' days'},
      {label: 'Battery', cell: d => d.batteryPercent === null ? h('span.muted', {}, 'not reported') : d.batteryPercent + ' %'},
      {label: 'Flags', cell: d => d.silent || d.batteryLow
        ? [d.silent ? h('span.flag.warn', {}, 'Silent') : null, d.batteryLow ? h('span.flag.warn', {}, 'Low battery') : null]
        : h('span.muted', {}, 'OK')},
      {label: 'MQTT password', cell: d => h('div', {},
        d.mqttPasswordSetAt ? h('span.muted', {}, 'Issued ' + ago(d.mqttPasswordSetAt)) : h('span.flag.warn', {}, 'None'),
        editor ? h('div', {}, h('button', {type: 'button', 'data-password-for': d.deviceId, onclick: () => issuePassword(d, reload)},
          d.mqttPasswordSetAt ? 'New password' : 'Issue password')) : null)},
    ], items, {rowAttrs: d => ({class: d.silent || d.batteryLow ? 'is-silent' : null, 'data-device': d.deviceId})}));
}

/**
 * Registers a device in the signed-in person's practice; with a patient chosen it is assigned from now, and its first
 * MQTT password is issued and shown at once (each step says which one failed, so nothing is done twice on a retry).
 */
function registerForm(directory, done) {
  const id = h('input#register-id', {required: true, maxlength: 64, pattern: '[A-Za-z0-9._\\-]{1,64}', autocomplete: 'off', spellcheck: false,
    'aria-describedby': 'register-id-help'});
  const kind = h('select#register-kind', {}, Object.entries(DEVICE_KINDS).map(([value, label]) => h('option', {value}, label)));
  const model = h('input#register-model', {maxlength: 200, autocomplete: 'off'});
  const patient = h('select#register-patient', {}, h('option', {value: ''}, 'Keep in stock'),
    directory.list.map(p => h('option', {value: p.id}, patientName(p) + ' · ' + p.externalRef)));
  const error = h('p.error#register-error', {role: 'alert', hidden: true});
  const fail = (message) => { error.textContent = message; error.hidden = false; };
  return h('form.inline-form#register-form', {onsubmit: async (e) => {
    e.preventDefault();
    error.hidden = true;
    const deviceId = id.value.trim();
    let step = 'register';
    try {
      await api.post('/devices', {deviceId, practiceId: session.me.practiceId, kind: kind.value, model: model.value.trim() || undefined});
      if (patient.value) {
        step = 'assign';
        await api.post('/devices/' + encodeURIComponent(deviceId) + '/assignments', {patientId: patient.value, validFrom: new Date().toISOString()});
      }
      step = 'password';
      const credentials = await api.post('/devices/' + encodeURIComponent(deviceId) + '/credentials');
      toast('Device ' + deviceId + ' registered' + (patient.value ? ' and assigned.' : '.'));
      showPassword(credentials, done);
    } catch (err) {
      if (err.status === 401) return;
      const what = err.plain || err.message;
      if (step === 'register') fail(err.status === 409 ? 'A device with this id is already registered. ' + err.message : what);
      // Registered already: the list is re-read (the form with it), so the message goes to a toast.
      else if (step === 'assign') { toast('Device ' + deviceId + ' was registered but could not be given to the patient: ' + what, 'error'); done(); }
      else { toast('Device ' + deviceId + ' was registered; its password could not be issued: ' + what + ' Use "Issue password" in the list.', 'error'); done(); }
    }
  }}, h('h2', {}, 'Register a device'),
  h('div', {}, h('label', {for: 'register-id'}, 'Device id'), id,
    h('div.muted#register-id-help', {}, 'As printed on the device: letters, digits, ".", "_" and "-".')),
  h('div', {}, h('label', {for: 'register-kind'}, 'Kind'), kind),
  h('div', {}, h('label', {for: 'register-model'}, 'Model (optional)'), model),
  h('div', {}, h('label', {for: 'register-patient'}, 'Give to'), patient),
  h('button.primary#register-submit', {type: 'submit'}, 'Register'), error);
}

function assignForm(items, directory, done) {
  const device = h('select#assign-device', {}, items.map(d => h('option', {value: d.deviceId}, d.deviceId + (d.patientId ? ' (assigned)' : ' (in stock)'))));
  const patient = h('select#assign-patient', {}, directory.list.map(p => h('option', {value: p.id}, patientName(p) + ' · ' + p.externalRef)));
  const error = h('p.error', {role: 'alert', hidden: true});
  return h('form.inline-form#assign-form', {onsubmit: async (e) => {
    e.preventDefault();
    try {
      await api.post('/devices/' + encodeURIComponent(device.value) + '/assignments', {patientId: patient.value, validFrom: new Date().toISOString()});
      toast('Device assigned.');
      done();
    } catch (err) {
      if (err.status === 401) return;
      // A 409 here is the device's own calendar (an assignment that has not begun yet, or another practice's patient):
      // the generic "already done, list refreshed" words would be wrong, so say what the server found.
      error.textContent = err.status === 409 ? 'This device cannot be given to that patient now. ' + err.message : (err.plain || err.message);
      error.hidden = false;
    }
  }}, h('h2', {}, 'Assign a device'), h('div', {}, h('label', {for: 'assign-device'}, 'Device'), device),
  h('div', {}, h('label', {for: 'assign-patient'}, 'Patient'), patient),
  h('button.primary', {type: 'submit'}, 'Assign'), error);
}

/** A new password for a device that has one cuts the device off until it is configured with the new one: ask first. */
function issuePassword(device, done) {
  if (!device.mqttPasswordSetAt) { issue(device.deviceId, done); return; }
  const dlg = dialog('New MQTT password for ' + device.deviceId,
    h('p', {}, 'The device\'s current password stops working at its next connection. Only do this when the device is being set up again, '
      + 'or was lost or copied.'),
    [h('button.primary#rotate-confirm', {type: 'button', onclick: () => { dlg.close(); issue(device.deviceId, done); }}, 'Issue a new password'),
      h('button', {type: 'button', onclick: () => dlg.close()}, 'Cancel')]);
}

async function issue(deviceId, done) {
  try {
    showPassword(await api.post('/devices/' + encodeURIComponent(deviceId) + '/credentials'), done);
  } catch (err) {
    if (err.status !== 401) toast(err.plain || err.message, 'error');
  }
}

/** The password is in this dialog and nowhere else: CareLoop keeps only its hash, so closing it is final. */
function showPassword(credentials, done) {
  const field = (label, id, value) => h('div.credential', {}, h('span.muted', {}, label), h('code#' + id, {}, value));
  const copied = h('span.muted', {role: 'status'});
  const dlg = dialog('MQTT settings for ' + credentials.deviceId, h('div', {},
    h('p.notice', {}, 'Enter these in the device now. The password is shown this once: CareLoop keeps only a fingerprint of it. '
      + 'If it is lost, issue a new one.'),
    field('Username', 'mqtt-username', credentials.mqttUsername),
    field('Password', 'mqtt-password', credentials.mqttPassword),
    field('Client id', 'mqtt-client-id', credentials.deviceId),
    field('Topic', 'mqtt-topic', credentials.topic),
    copied),
  [h('button#mqtt-copy', {type: 'button', onclick: async () => {
    try { await navigator.clipboard.writeText(credentials.mqttPassword); copied.textContent = 'Password copied.'; } catch (e) {
      copied.textContent = 'Copying is not allowed here; select the password and copy it.';
    }
  }}, 'Copy password'),
  h('button.primary#mqtt-done', {type: 'button', onclick: () => dlg.close()}, 'Done')]);
  dlg.addEventListener('close', () => done());
}
