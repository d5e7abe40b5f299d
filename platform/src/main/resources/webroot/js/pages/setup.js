// First run: no staff account exists yet, so nobody can sign in. Whoever installed CareLoop names the practice and its
// first administrator here, proving with the install's token (the file the start-up log names) that they run it.
// Setup runs once; the server refuses it afterwards, and the page then offers the sign-in.
import { api } from '../api.js';
import { session } from '../session.js';
import { clear, h } from '../dom.js';
import { showRefusal } from '../forms.js';

/** Zones the browser knows, the browser's own first; America/Chicago etc. are what a US practice picks. */
function zones() {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [own];
  const us = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu'];
  return {own, list: [...new Set([...us, ...all])]};
}

export function setupPage(main, done) {
  const {own, list} = zones();
  const input = (id, field, attrs) => h('input#' + id, Object.assign({'data-field': field, required: true}, attrs));
  const token = input('setup-token', 'setupToken', {type: 'password', autocomplete: 'off', spellcheck: 'false', maxlength: 512});
  const practice = input('setup-practice', 'practiceName', {maxlength: 200, autocomplete: 'organization'});
  const zone = h('select#setup-zone', {'data-field': 'timeZone'}, list.map(z => h('option', {value: z}, z.replace(/_/g, ' '))));
  zone.value = list.includes(own) ? own : 'America/Chicago';
  const name = input('setup-admin-name', 'adminName', {maxlength: 200, autocomplete: 'name'});
  const email = input('setup-admin-email', 'adminEmail', {type: 'email', maxlength: 254, autocomplete: 'username'});
  const password = input('setup-admin-password', 'adminPassword', {type: 'password', minlength: 12, maxlength: 200, autocomplete: 'new-password'});
  const repeat = input('setup-admin-password2', 'adminPassword2', {type: 'password', minlength: 12, maxlength: 200, autocomplete: 'new-password'});
  const error = h('div.error#setup-error', {role: 'alert', hidden: true});
  const toSignIn = h('button#setup-to-signin', {type: 'button', hidden: true, onclick: () => done(null)}, 'Go to sign-in');
  const button = h('button.primary#setup-submit', {type: 'submit'}, 'Set up CareLoop');
  const label = (id, text, hint) => [h('label', {for: id}, text), hint ? h('p.hint', {id: id + '-hint'}, hint) : null];
  const form = h('form.signin.setup#setup-form', {onsubmit: async (event) => {
    event.preventDefault();
    error.hidden = true;
    if (password.value !== repeat.value) {
      showRefusal(error, {status: 400, message: 'The two passwords differ. Type the same password twice (\'adminPassword2\').'}, form);
      return;
    }
    button.disabled = true;
    try {
      const result = await api.post('/setup', {setupToken: token.value.trim(), practiceName: practice.value.trim(), timeZone: zone.value,
        adminName: name.value.trim(), adminEmail: email.value.trim(), adminPassword: password.value});
      session.end('CareLoop is set up for ' + result.practice.name + '. Sign in as its administrator, then add your colleagues under Staff.');
      done(result.admin.email);
    } catch (e) {
      showRefusal(error, e, form);
      // Someone else finished the setup first, or it was done before: nothing left to do here but sign in.
      toSignIn.hidden = e.code !== 'already_set_up';
    } finally {
      button.disabled = false;
    }
  }},
  h('h1', {}, 'Set up CareLoop'),
  h('p', {}, 'CareLoop has no staff accounts yet. Name your practice and its first administrator; the administrator then adds everyone else. '
    + 'This page works once.'),
  label('setup-token', 'Setup token', 'Proves you run this CareLoop: copy the whole contents of the file admin-token in CareLoop\'s data '
    + 'directory on the server (the start-up log names it: "No staff account exists yet …"), or the value of CARELOOP_API_TOKEN.'), token,
  h('h2', {}, 'Practice'),
  label('setup-practice', 'Practice name'), practice,
  label('setup-zone', 'Time zone', 'A data day and a billing month are days in this zone.'), zone,
  h('h2', {}, 'First administrator'),
  label('setup-admin-name', 'Name'), name,
  label('setup-admin-email', 'E-mail (signs in with it)'), email,
  label('setup-admin-password', 'Password (12 characters or more)'), password,
  label('setup-admin-password2', 'The same password again'), repeat,
  error, button, toSignIn);
  for (const hint of form.querySelectorAll('p.hint')) {
    const target = form.querySelector('#' + hint.id.replace(/-hint$/, ''));
    if (target) target.setAttribute('aria-describedby', hint.id);
  }
  clear(main, form);
  token.focus();
}
