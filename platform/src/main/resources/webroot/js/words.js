// What the server's codes mean to a nurse or a biller. The server's own message stays available as detail.

// overlapping_time is not here: the server's sentence names the other patient and the times in the practice's zone.
const REFUSALS = {
  not_consented: 'The patient has not given consent for this program on that day, so the time cannot count. Record the consent first, or choose the program the patient did consent to.',
  not_enrolled: 'The patient is not enrolled in this program on that day, so the time cannot count. Enrol the patient first, or choose the program they are enrolled in.',
  month_closed: 'Billing for that month is already closed, so this time can no longer be added there.',
  future_time: 'The end time is in the future. Time can be logged only once it has passed.',
  role_not_allowed: 'Time logged by billing or administrative staff does not count toward RPM or CCM; only clinical staff time counts.',
  inactive_staff: 'Your account is inactive, so your time cannot count.',
  messaging_not_interactive: 'Messaging does not count as interactive communication here. Choose phone or video, or leave "interactive" unticked.',
  no_running_timer: 'You have no timer running.',
  timer_too_short: 'The timer ran for less than a second; nothing was recorded.',
  timer_running: 'Stop the timer before changing this entry.',
  already_adjusted: 'Someone changed this entry meanwhile. Reload the page and try again.',
  forbidden: 'Your role does not allow this.',
  not_found: 'This record no longer exists, or it belongs to another practice.',
  month_not_closed: 'Close the month before downloading its claims.',
  no_billing_profile: 'The practice has no billing profile yet (billing organisation, NPI, submitter, payer). Ask an administrator to set it up before downloading an 837P file.',
  no_claims: 'Nothing was billed in this month, so there is no 837P file to download.',
  incomplete_patients: 'Some billed patients lack details an 837P claim needs (Medicare number, birth date, address). Complete their demographics first.',
  network: 'CareLoop cannot be reached. Check the connection and try again.',
  conflict: 'This was already done, or someone else changed it meanwhile. The list has been refreshed.',
};

export function explain(code, serverMessage, status) {
  if (REFUSALS[code]) return REFUSALS[code];
  if (status === 400) return serverMessage;
  if (status >= 500) return 'Something went wrong on CareLoop\'s side; nothing was changed. Try again in a moment.';
  return serverMessage;
}

const RULES = {
  bp_crisis: 'Hypertensive crisis',
  bp_high: 'Stage 2 blood pressure',
  bp_high_repeated: 'Repeated high blood pressure',
  glucose_level1: 'Low glucose',
  glucose_level2: 'Very low glucose',
  spo2_low: 'Low oxygen saturation',
  hf_weight_gain_24h: 'Weight gain in 24 h (heart failure)',
  hf_weight_gain_7d: 'Weight gain in 7 days (heart failure)',
  no_data: 'No readings for days',
  data_days_at_risk: 'Data days at risk',
};
export const ruleName = (rule) => RULES[rule] || (rule || '').replace(/_/g, ' ');

export const PROGRAMS = {rpm: 'RPM (remote monitoring)', ccm: 'CCM (chronic care)'};
export const ACTIVITIES = {
  data_review: 'Reviewing readings', patient_call: 'Call with the patient', medication_reconciliation: 'Medication reconciliation',
  care_coordination: 'Care coordination', care_plan_update: 'Care plan update', other: 'Other',
};
export const DEVICE_KINDS = {blood_pressure_cuff: 'Blood pressure cuff', glucometer: 'Glucometer', scale: 'Scale', pulse_oximeter: 'Pulse oximeter'};
export const ROLES = {
  rn: 'Registered nurse', lpn: 'Licensed practical nurse', ma: 'Medical assistant', care_coordinator: 'Care coordinator',
  physician: 'Physician', npp: 'Nurse practitioner / PA', billing: 'Billing', admin: 'Administrator',
};

export function patientName(p) {
  if (!p) return 'Unknown patient';
  const profile = p.profile;
  if (profile && profile.familyName) return profile.familyName + ', ' + profile.givenName;
  return p.externalRef || 'Patient';
}

export function ago(iso, now = Date.now()) {
  if (!iso) return 'never';
  const minutes = Math.round((now - Date.parse(iso)) / 60000);
  return duration(Math.abs(minutes)) + (minutes >= 0 ? ' ago' : ' from now');
}

export function duration(minutes) {
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return minutes + ' min';
  if (minutes < 48 * 60) return Math.floor(minutes / 60) + ' h ' + (minutes % 60 ? (minutes % 60) + ' min' : '');
  return Math.floor(minutes / 1440) + ' days';
}

export function dateTime(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'short'});
}

export function date(iso) {
  if (!iso) return '';
  return new Date(iso.length === 10 ? iso + 'T12:00:00' : iso).toLocaleDateString(undefined, {dateStyle: 'medium'});
}
