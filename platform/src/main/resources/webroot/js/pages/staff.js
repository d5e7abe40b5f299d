// Staff accounts, for a practice's administrators (MANAGE_STAFF): create an account, change a role, reset a password,
// deactivate. Each change to an existing account ends all of its sessions on the server (the person signs in again).
import { api } from '../api.js';
import { session } from '../session.js';
import { clear, dialog, h, table, toast } from '../dom.js';
import { ROLES } from '../words.js';

const PROVIDERS = ['physician', 'npp'];

export async function staffPage(main) {
  if (!session.can('manageStaff')) {
    clear(main, h('h1', {}, 'Staff accounts'), h('p.notice', {}, 'Only a practice administrator manages staff accounts.'));
    return;
  }
  const staff = (await api.get('/staff')).items;
  const me = session.me.staffId;
  const reload = () => staffPage(main);
  const active = staff.filter(s => s.active).length;
  clear(main,
    h('div.page-head', {}, h('h1', {}, 'Staff accounts'),
      h('div.facts', {}, h('span', {}, active + ' active'), h('span', {}, (staff.length - active) + ' deactivated'))),
    createForm(reload),
    table([
      {label: 'Name', cell: s => h('div', {}, h('strong', {}, s.displayName), s.id === me ? h('span.muted', {}, ' (you)') : null)},
      {label: 'E-mail', cell: s => s.email},
      {label: 'Role', cell: s => ROLES[s.role] || s.role},
      {label: 'NPI', cell: s => s.npi || h('span.muted', {}, '—')},
      {label: 'Status', cell: s => s.active ? 'Active' : h('span.flag.warn', {}, 'Deactivated')},
      {label: 'Actions', cell: s => s.id === me || !s.active ? h('span.muted', {}, s.id === me ? 'Another administrator changes your account' : '')
        : h('div.actions', {},
          h('button', {type: 'button', 'data-action': 'role', onclick: () => roleDialog(s, reload)}, 'Change role'),
          h('button', {type: 'button', 'data-action': 'password', onclick: () => passwordDialog(s, reload)}, 'Reset password'),
          h('button', {type: 'button', 'data-action': 'deactivate', onclick: () => deactivateDialog(s, reload)}, 'Deactivate'))},
    ], staff, {rowAttrs: s => ({'data-staff': s.email, class: s.active ? null : 'is-silent'})}));
}

/** Role select plus the NPI field it needs: only physicians and NPPs have an NPI, so it is enabled only for them. */
function roleFields(prefix, role = 'rn', npi = '') {
  const select = h('select#' + prefix + '-role', {}, Object.entries(ROLES).map(([value, label]) => h('option', {value}, label)));
  select.value = role;
  const npiInput = h('input#' + prefix + '-npi', {inputmode: 'numeric', maxlength: 10, pattern: '[0-9]{10}', autocomplete: 'off', value: npi || ''});
  const sync = () => { npiInput.disabled = !PROVIDERS.includes(select.value); if (npiInput.disabled) npiInput.value = ''; };
  select.addEventListener('change', sync);
  sync();
  return {select, npiInput, nodes: [h('div', {}, h('label', {for: prefix + '-role'}, 'Role'), select),
    h('div', {}, h('label', {for: prefix + '-npi'}, 'NPI (physicians and NPPs)'), npiInput)]};
}

function createForm(done) {
  const name = h('input#new-name', {required: true, maxlength: 200, autocomplete: 'off'});
  const email = h('input#new-email', {type: 'email', required: true, maxlength: 254, autocomplete: 'off'});
  const role = roleFields('new');
  const password = h('input#new-password', {type: 'password', required: true, minlength: 12, maxlength: 200, autocomplete: 'new-password'});
  const error = h('p.error#new-error', {role: 'alert', hidden: true});
  return h('form.inline-form#staff-create', {onsubmit: async (e) => {
    e.preventDefault();
    error.hidden = true;
    try {
      const created = await api.post('/staff', {displayName: name.value.trim(), email: email.value.trim(), role: role.select.value,
        npi: role.npiInput.value.trim() || undefined, password: password.value});
      toast('Account created for ' + created.displayName + '. Give them the password in person.');
      done();
    } catch (err) {
      if (err.status === 401) return;
      error.textContent = err.status === 409 ? err.message : (err.plain || err.message);
      error.hidden = false;
    }
  }}, h('h2', {}, 'New staff account'),
  h('div', {}, h('label', {for: 'new-name'}, 'Name'), name),
  h('div', {}, h('label', {for: 'new-email'}, 'E-mail (signs in with it)'), email),
  role.nodes,
  h('div', {}, h('label', {for: 'new-password'}, 'First password (12 characters or more)'), password),
  h('button.primary#new-submit', {type: 'submit'}, 'Create account'), error);
}

/** A dialog whose confirm button runs {@code action}; a refusal stays in the dialog in words. */
function confirmDialog(title, body, confirmLabel, id, action, done) {
  const error = h('p.error#' + id + '-error', {role: 'alert', hidden: true});
  const dlg = dialog(title, h('div', {}, body, error), [
    h('button.primary#' + id + '-confirm', {type: 'button', onclick: async () => {
      error.hidden = true;
      try {
        const result = await action();
        dlg.close();
        toast(result);
        done();
      } catch (err) {
        if (err.status === 401) return;
        error.textContent = err.status === 409 || err.status === 400 ? err.message : (err.plain || err.message);
        error.hidden = false;
      }
    }}, confirmLabel),
    h('button', {type: 'button', onclick: () => dlg.close()}, 'Cancel')]);
  return dlg;
}

const ended = (r) => r.sessionsEnded === 1 ? ' 1 session was ended.' : ' ' + r.sessionsEnded + ' sessions were ended.';

function roleDialog(member, done) {
  const role = roleFields('change', member.role, member.npi);
  confirmDialog('Change the role of ' + member.displayName, h('div', {}, role.nodes,
    h('p.muted', {}, 'Their sessions end now; they sign in again under the new role.')), 'Change role', 'role',
  async () => {
    const r = await api.post('/staff/' + member.id + '/role', {role: role.select.value, npi: role.npiInput.value.trim() || undefined});
    return member.displayName + ' is now ' + (ROLES[r.role] || r.role) + '.' + ended(r);
  }, done);
}

function passwordDialog(member, done) {
  const password = h('input#reset-password', {type: 'password', minlength: 12, maxlength: 200, autocomplete: 'new-password'});
  confirmDialog('Reset the password of ' + member.displayName, h('div', {},
    h('label', {for: 'reset-password'}, 'New password (12 characters or more)'), password,
    h('p.muted', {}, 'Every session of this account ends now: whoever holds the old password or an open page is signed out.')),
  'Set password', 'reset', async () => {
    const r = await api.post('/staff/' + member.id + '/password', {password: password.value});
    return 'Password reset for ' + member.displayName + '.' + ended(r);
  }, done);
  password.focus();
}

function deactivateDialog(member, done) {
  confirmDialog('Deactivate ' + member.displayName + '?', h('p', {},
    'They can no longer sign in, and every open session of theirs ends now. Their past work, time and audit entries stay.'),
  'Deactivate', 'deactivate', async () => {
    const r = await api.post('/staff/' + member.id + '/deactivate');
    return member.displayName + ' is deactivated.' + ended(r);
  }, done);
}
