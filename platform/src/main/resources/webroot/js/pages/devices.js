// Device inventory: who has each device, when it last measured, and which have gone silent; assign a device.
import { api } from '../api.js';
import { session } from '../session.js';
import { clear, h, table, toast } from '../dom.js';
import { patientDirectory } from '../directory.js';
import { DEVICE_KINDS, ago, date, patientName } from '../words.js';

export async function devicesPage(main) {
  const [inventory, directory] = await Promise.all([api.get('/devices'), patientDirectory()]);
  const items = inventory.items;
  const silent = items.filter(d => d.silent).length;
  const inStock = items.filter(d => !d.patientId).length;
  const lowBattery = items.filter(d => d.batteryLow).length;
  clear(main,
    h('div.page-head', {}, h('h1', {}, 'Devices'),
      h('div.facts', {}, h('span', {}, items.length + ' devices'), h('span', {class: silent ? 'flag warn' : null}, silent + ' silent'),
        h('span', {class: lowBattery ? 'flag warn' : null}, lowBattery + ' low battery'), h('span', {}, inStock + ' in stock'))),
    h('p.muted', {}, 'Silent: assigned and no reading for ' + inventory.silentAfterDays + ' days. Low battery: below '
      + inventory.lowBatteryPercent + ' % in the newest reading that reported one.'),
    session.can('editPatients') ? assignForm(items, directory, () => devicesPage(main)) : null,
    table([
      {label: 'Device', cell: d => h('div', {}, h('code', {}, d.deviceId), h('div.muted', {}, DEVICE_KINDS[d.kind] || d.kind, d.model ? ' · ' + d.model : ''))},
      {label: 'Patient', cell: d => d.patientId ? h('a', {href: '#/patients/' + d.patientId}, patientName(directory.get(d.patientId))) : h('span.muted', {}, 'In stock')},
      {label: 'Since', cell: d => d.assignedSince ? date(d.assignedSince) : ''},
      {label: 'Last reading', cell: d => d.lastMeasuredAt ? ago(d.lastMeasuredAt) : 'none in ' + inventory.lookBackDays + ' days'},
      {label: 'Battery', cell: d => d.batteryPercent === null ? h('span.muted', {}, 'not reported') : d.batteryPercent + ' %'},
      {label: 'Flags', cell: d => d.silent || d.batteryLow
        ? [d.silent ? h('span.flag.warn', {}, 'Silent') : null, d.batteryLow ? h('span.flag.warn', {}, 'Low battery') : null]
        : h('span.muted', {}, 'OK')},
    ], items, {rowAttrs: d => ({class: d.silent || d.batteryLow ? 'is-silent' : null})}));
}

function assignForm(items, directory, done) {
  const device = h('select#assign-device', {}, items.map(d => h('option', {value: d.deviceId}, d.deviceId + (d.patientId ? ' (assigned)' : ' (in stock)'))));
  const patient = h('select#assign-patient', {}, directory.list.map(p => h('option', {value: p.id}, patientName(p) + ' · ' + p.externalRef)));
  const error = h('p.error', {role: 'alert', hidden: true});
  return h('form.inline-form', {onsubmit: async (e) => {
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
  }}, h('h2', {}, 'Assign a device'), h('label', {for: 'assign-device'}, 'Device'), device, h('label', {for: 'assign-patient'}, 'Patient'), patient,
  h('button.primary', {type: 'submit'}, 'Assign'), error);
}
