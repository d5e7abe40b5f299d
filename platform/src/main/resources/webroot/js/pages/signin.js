import { api } from '../api.js';
import { session } from '../session.js';
import { clear, h } from '../dom.js';

/** @param email an address to fill in (the administrator the first-run setup just made) */
export function signInPage(main, signedIn, email = null) {
  const notice = session.notice();
  const error = h('p.error#signin-error', {role: 'alert', hidden: true});
  const prefilled = email;
  const emailInput = h('input#email', {type: 'email', name: 'email', autocomplete: 'username', required: true, value: prefilled || ''});
  const password = h('input#password', {type: 'password', name: 'password', autocomplete: 'current-password', required: true});
  const button = h('button.primary#signin', {type: 'submit'}, 'Sign in');
  const form = h('form.signin', {onsubmit: async (event) => {
    event.preventDefault();
    button.disabled = true;
    error.hidden = true;
    try {
      const login = await api.post('/auth/login', {email: emailInput.value.trim(), password: password.value});
      session.start(login.token, {});
      const me = await api.get('/auth/me');
      session.start(login.token, me);
      signedIn();
    } catch (e) {
      if (session.token) session.end();
      error.textContent = e.plain || e.message;
      error.hidden = false;
      password.select();
    } finally {
      button.disabled = false;
    }
  }},
    h('h1', {}, 'CareLoop'),
    h('p.muted', {}, 'Remote patient monitoring and chronic care management'),
    notice ? h('p.notice#signin-notice', {role: 'status'}, notice) : null,
    h('label', {for: 'email'}, 'E-mail'), emailInput,
    h('label', {for: 'password'}, 'Password'), password,
    error, button);
  clear(main, form);
  if (prefilled) password.focus(); else emailInput.focus();
}
