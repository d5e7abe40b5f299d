// A patient's chart: trend plots over 7/30/90 days with thresholds and alerts, programs, conditions, consent,
// enrolment, the care plan and its versions, complex CCM's decision making, thresholds, visits and stays, devices, alert
// history and this month's time log; each part with the forms its roles may use (chart/*.js). The URL holds the
// internal patient id only.
import { api } from '../api.js';
import { session } from '../session.js';
import { clear, h, table } from '../dom.js';
import { plot } from '../plots.js';
import { openTimeDialog } from '../timelog.js';
import { openReadingDialog } from '../entered.js';
import { ACTIVITIES, DEVICE_KINDS, ago, date, dateTime, patientName, ruleName } from '../words.js';
import { consentSection, enrolmentSection, programsSection } from '../chart/programs.js';
import { conditionsSection } from '../chart/conditions.js';
import { carePlanSection, complexitySection } from '../chart/careplan.js';
import { thresholdsSection } from '../chart/thresholds.js';
import { encountersSection } from '../chart/encounters.js';
import { loadPracticeZone } from '../forms.js';

let rangeDays = 30;

let drawn = [];

export async function chartPage(main, patientId) {
  const base = '/patients/' + patientId;
  const [patient, thresholds, alerts, devices, time, versions, complexity, team, visits, stays] = await Promise.all([
    api.get(base), api.get(base + '/thresholds'), api.get(base + '/alerts?limit=200'),
    api.get('/devices?patientId=' + patientId), api.get(base + '/time-entries'), api.get(base + '/care-plan/versions'),
    api.get(base + '/ccm-complexity'), api.get('/care-team'), api.get(base + '/visits'), api.get(base + '/inpatient-stays'), loadPracticeZone()]);
  const name = patientName(patient);
  const staffName = (id) => { const s = team.items.find(x => x.id === id); return s ? s.displayName : 'a colleague'; };
  const reload = () => { if (location.hash === '#/patients/' + patientId) window.dispatchEvent(new HashChangeEvent('hashchange')); };
  const ctx = {patient, patientId, team: team.items, staffName, reload,
    actorName: (actor) => actor && actor.startsWith('staff:') ? staffName(actor.slice(6)) : 'the API token'};
  const plots = h('div.plots#plots');
  const ranges = h('div.segmented', {role: 'group', 'aria-label': 'Time range'}, [7, 30, 90].map(days =>
    h('button', {type: 'button', 'aria-pressed': String(days === rangeDays), 'data-days': days, onclick: async (e) => {
      rangeDays = days;
      for (const b of ranges.querySelectorAll('button')) b.setAttribute('aria-pressed', String(Number(b.dataset.days) === days));
      await drawPlots(plots, patientId, thresholds, alerts.items);
    }}, days + ' days')));
  const profile = patient.profile;
  clear(main,
    h('div.page-head', {}, h('h1#patient-name', {}, name),
      h('div.facts', {}, profile ? [h('span', {}, 'Born ' + date(profile.birthDate)), h('span', {}, profile.sex),
        profile.mbi ? h('span', {}, 'MBI on file') : h('span.flag.warn', {}, 'no MBI')] : h('span.flag.warn', {}, 'no demographics yet'),
        h('span', {}, 'MRN ' + patient.externalRef), profile && profile.phone ? h('span', {}, profile.phone) : null),
      h('div.actions', {},
        session.can('editPatients') ? h('a.button-link#edit-patient', {href: '#/patients/' + patientId + '/edit'}, 'Edit details') : null,
        session.can('workQueue') ? h('button.primary#chart-log-time', {type: 'button', onclick: () => openTimeDialog({patientId, program: 'rpm',
          patientLabel: name, onSaved: reload})}, 'Log time') : null,
        session.can('enterReadings') ? h('button#chart-enter-reading', {type: 'button', onclick: () => openReadingDialog({patientId,
          patientLabel: name, onSaved: reload})}, 'Enter a reading') : null)),
    h('nav.chart-nav', {'aria-label': 'Chart sections'}, [['trends-h', 'Readings'], ['programs-h', 'Programs'], ['conditions-h', 'Conditions'],
      ['consents-h', 'Consent'], ['enrolments-h', 'Enrolment'], ['care-plan-h', 'Care plan'], ['complexity-h', 'Complexity'],
      ['thresholds-h', 'Thresholds'], ['encounters-h', 'Visits and stays'], ['time-h', 'Time']].map(([id, label]) =>
      h('a', {href: '#' + id, onclick: (e) => { e.preventDefault(); const t = document.getElementById(id); t.setAttribute('tabindex', '-1'); t.focus(); t.scrollIntoView(); }}, label))),
    h('section.card', {'aria-labelledby': 'trends-h'}, h('div.section-head', {}, h('h2#trends-h', {}, 'Readings'), ranges), plots),
    h('div.grid', {},
      programsSection(ctx),
      section('Devices', devices.items.length ? h('ul', {}, devices.items.map(d => h('li', {},
        DEVICE_KINDS[d.kind] || d.kind, ' ', h('code', {}, d.deviceId), ' — last reading ', ago(d.lastMeasuredAt),
        d.batteryPercent !== null ? ' · battery ' + d.batteryPercent + ' %' : '',
        d.silent ? h('span.flag.warn', {}, 'silent') : null, d.batteryLow ? h('span.flag.warn', {}, 'low battery') : null)))
        : h('p.muted', {}, 'No device assigned.'))),
    conditionsSection(ctx),
    consentSection(ctx),
    enrolmentSection(ctx),
    carePlanSection(ctx, versions.items),
    h('div.grid', {}, complexitySection(ctx, complexity.items), thresholdsSection(ctx, thresholds)),
    encountersSection(ctx, visits.items, stays.items),
    section('Alert history', alerts.items.length ? table([
      {label: 'Raised', cell: a => dateTime(a.raisedAt)},
      {label: 'Alert', cell: a => h('div', {}, h('strong', {}, ruleName(a.rule)), h('div.muted', {}, a.message))},
      {label: 'Severity', cell: a => h('span.sev.' + a.severity, {}, a.severity)},
      {label: 'Status', cell: a => a.status},
      {label: 'Outcome', cell: a => a.outcome || ''},
    ], alerts.items) : h('p.muted', {}, 'No alerts.')),
    h('section.card', {'aria-labelledby': 'time-h'}, h('h2#time-h', {}, 'Time this month (' + time.month + ')'), timeLog(time)));
  await drawPlots(plots, patientId, thresholds, alerts.items);
  // A laptop turned into a tablet (or a rotated tablet): plots follow the width.
  const resize = () => fitPlots(plots);
  window.addEventListener('resize', resize);
  // A timer stopped from the header adds to this patient's time log.
  window.addEventListener('careloop:time-logged', reload);
  return () => { window.removeEventListener('resize', resize); window.removeEventListener('careloop:time-logged', reload); };
}

function plotWidth(container, count) {
  // Two plots a row on a laptop, one on a tablet; a lone plot takes the whole width.
  const twoUp = count > 1 && container.clientWidth > 900;
  return twoUp ? Math.floor(container.clientWidth / 2) - 24 : container.clientWidth - 8;
}

function fitPlots(container) {
  for (const u of drawn) u.setSize({width: plotWidth(container, drawn.length), height: u.height});
}

function section(title, content) {
  return h('section.card', {}, h('h2', {}, title), content);
}

function timeLog(time) {
  const entries = time.items.filter(e => !e.supersededByEntry);
  const total = (p) => Math.round(entries.filter(e => e.program === p).reduce((sum, e) => sum + (e.minutes || 0), 0));
  return h('div', {},
    h('p.totals', {}, 'RPM ', h('strong#rpm-minutes', {}, total('rpm') + ' min'), ' · CCM ', h('strong#ccm-minutes', {}, total('ccm') + ' min')),
    entries.length ? table([
      {label: 'When', cell: e => dateTime(e.startedAt)},
      {label: 'Minutes', cell: e => e.running ? 'running' : Math.round(e.minutes)},
      {label: 'Program', cell: e => e.program.toUpperCase()},
      {label: 'Activity', cell: e => ACTIVITIES[e.activity] || e.activity},
      // Whose time it is, and who entered it when that was someone else (a paper log transcribed).
      {label: 'By', cell: e => h('span.time-by', {}, e.staffName || 'Unknown',
        e.enteredForColleague ? h('span.muted.entered-by', {}, ' — entered by ' + (e.enteredByName || 'a colleague')) : null)},
      {label: 'Interactive', cell: e => e.interactive ? e.interactionMode : 'no'},
      {label: 'Note', cell: e => e.note || ''},
    ], entries) : h('p.muted', {}, 'No time logged this month.'));
}

async function drawPlots(container, patientId, thresholds, alerts) {
  const to = new Date(Date.now() + 5 * 60000);
  const from = new Date(to - rangeDays * 86400000);
  const readings = (await api.get('/patients/' + patientId + '/readings?limit=10000&from=' + from.toISOString() + '&to=' + to.toISOString())).items;
  const limit = Object.fromEntries(thresholds.thresholds.map(t => [t.key, Number(t.value)]));
  // Readings that raised or fed an alert, by identity.
  const flagged = new Set(alerts.flatMap(a => a.readings).map(r => r.deviceId + '|' + r.type + '|' + Date.parse(r.measuredAt)));
  const isFlagged = (r) => flagged.has(r.deviceId + '|' + r.type + '|' + Date.parse(r.measuredAt));
  const of = (type) => readings.filter(r => r.type === type).sort((a, b) => Date.parse(a.measuredAt) - Date.parse(b.measuredAt));
  const secs = (rs) => rs.map(r => Date.parse(r.measuredAt) / 1000);
  const charts = [];

  const bp = of('blood_pressure');
  if (bp.length) charts.push({id: 'plot-bp', title: 'Blood pressure', unit: 'mmHg', xs: secs(bp),
    series: [{label: 'Systolic', key: 'systolic', values: bp.map(r => r.systolic)}, {label: 'Diastolic', key: 'diastolic', values: bp.map(r => r.diastolic)}],
    limits: [{label: 'Crisis systolic', value: limit['bp.crisis_systolic'], color: '#d00000'}, {label: 'Stage 2 systolic', value: limit['bp.high_systolic']},
      {label: 'Stage 2 diastolic', value: limit['bp.high_diastolic']}],
    alerts: bp.map(r => isFlagged(r) ? r.systolic : null), entered: bp.map(r => r.enteredBy ? r.systolic : null)});
  const glucose = of('blood_glucose');
  if (glucose.length) {
    const contexts = [...new Set(glucose.map(r => r.mealContext || 'unknown'))];
    charts.push({id: 'plot-glucose', title: 'Glucose by meal context', unit: 'mg/dL', xs: secs(glucose), pointsOnly: true,
      series: contexts.map(c => ({label: c.replace('_', ' '), key: c, values: glucose.map(r => (r.mealContext || 'unknown') === c ? r.glucose : null)})),
      limits: [{label: 'Low (level 1)', value: limit['glucose.level1_below']}, {label: 'Very low (level 2)', value: limit['glucose.level2_below'], color: '#d00000'}],
      alerts: glucose.map(r => isFlagged(r) ? r.glucose : null), entered: glucose.map(r => r.enteredBy ? r.glucose : null)});
  }
  const weight = of('body_weight');
  if (weight.length) charts.push({id: 'plot-weight', title: 'Weight', unit: 'kg', xs: secs(weight),
    series: [{label: 'Weight', key: 'weight', values: weight.map(r => r.weight)}], alerts: weight.map(r => isFlagged(r) ? r.weight : null),
    entered: weight.map(r => r.enteredBy ? r.weight : null)});
  const spo2 = of('oxygen_saturation');
  if (spo2.length) charts.push({id: 'plot-spo2', title: 'Oxygen saturation (SpO2)', unit: '%', xs: secs(spo2),
    series: [{label: 'SpO2', key: 'spo2', values: spo2.map(r => r.spo2)}], limits: [{label: 'Low', value: limit['spo2.low_below']}],
    alerts: spo2.map(r => isFlagged(r) ? r.spo2 : null), entered: spo2.map(r => r.enteredBy ? r.spo2 : null)});

  drawn.forEach(u => u.destroy());
  drawn = [];
  clear(container);
  if (!charts.length) {
    container.append(h('p.empty', {}, 'No readings in the last ' + rangeDays + ' days.'));
    return;
  }
  for (const c of charts) {
    // Readings entered by staff are counted apart: they are not device data (and never a data day).
    const entered = (c.entered || []).filter(v => v !== null).length;
    const box = h('figure.plot', {id: c.id, 'aria-label': c.title + ', last ' + rangeDays + ' days, ' + c.xs.length + ' readings'
      + (entered ? ', ' + entered + ' entered by staff' : '')});
    container.append(box);
    drawn.push(plot(box, {...c, width: plotWidth(container, charts.length)}));
  }
}
