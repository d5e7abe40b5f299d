// Small helpers for the chart's forms: a labelled field, a refusal shown beside the form (the field it names is marked
// invalid, so a screen reader and the eye land on it), and a form in a modal dialog.
import { api } from './api.js';
import { session } from './session.js';
import { clear, dialog, h } from './dom.js';

/** A label, the input and an optional hint tied to it with aria-describedby. */
export function field(label, input, hint) {
  const id = input.id;
  if (hint) input.setAttribute('aria-describedby', id + '-hint');
  return h('div.field', {}, h('label', {for: id}, label), input, hint ? h('p.hint', {id: id + '-hint'}, hint) : null);
}

/** The server's sentence for a refusal of this form (it names the field), or the plain words for codes people meet elsewhere. */
export function refusalText(e) {
  return e.status === 400 || e.status === 409 || e.status === 404 ? e.message : (e.plain || e.message);
}

// Refusals whose sentence names the field in words rather than by its name.
const CODE_FIELDS = {invalid_mbi: 'mbi', invalid_icd10: 'icd10', invalid_billing_practitioner: 'billingPractitionerId',
  wrong_setup_token: 'setupToken'};

/** Shows a refusal in `box` and marks the input whose data-field the message names ('birthDate', 'address.zip'). */
export function showRefusal(box, e, form) {
  clear(box, refusalText(e));
  box.hidden = false;
  if (form) {
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    const named = (e.message || '').match(/'([A-Za-z0-9_.\[\]]+)'/);
    const fieldName = CODE_FIELDS[e.code] || (named && named[1]);
    const input = fieldName && form.querySelector('[data-field="' + fieldName + '"]');
    if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
  }
  box.scrollIntoView({block: 'nearest'});
}

/**
 * A form in a modal dialog: `submit()` returns a promise; the dialog closes when it resolves and shows the refusal
 * when it rejects. `submitId` names the button for tests and assistive technology alike.
 */
export function formDialog(title, content, {submitLabel, submitId, submit}) {
  const error = h('div.error.form-error', {role: 'alert', hidden: true, id: submitId + '-error'});
  const form = h('form.dialog-form', {onsubmit: (e) => { e.preventDefault(); save(); }}, content, error,
    // Enter in a field submits the form, as people expect.
    h('button', {type: 'submit', hidden: true, tabindex: -1}, submitLabel));
  let busy = false;
  async function save() {
    if (busy) return;
    busy = true;
    try {
      await submit();
      dlg.close();
    } catch (e) {
      if (e.status !== 401) showRefusal(error, e, form);
    } finally {
      busy = false;
    }
  }
  const dlg = dialog(title, form, [h('button.primary', {type: 'button', id: submitId, onclick: save}, submitLabel),
    h('button', {type: 'button', onclick: () => dlg.close()}, 'Cancel')]);
  const first = form.querySelector('input:not([type=hidden]), select, textarea');
  if (first) first.focus();
  return dlg;
}

let practiceZone;
let zoneOf;

/** Reads the signed-in person's practice's time zone once: the chart's days (consent, visits, plans) are days there. */
export async function loadPracticeZone() {
  if (zoneOf !== session.me.practiceId) {
    const practice = (await api.get('/practices')).items.find(p => p.id === session.me.practiceId);
    practiceZone = practice ? practice.timeZone : null;
    zoneOf = session.me.practiceId;
  }
}

/** Today as YYYY-MM-DD in the practice's time zone (the browser's until it is known): the server's "today" too. */
export function today() {
  const options = {year: 'numeric', month: '2-digit', day: '2-digit'};
  if (practiceZone) options.timeZone = practiceZone;
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', options).format(new Date());
}
