// Fees and billing settings of the practice: the charge of every code CareLoop bills and the rule choices the rule
// book leaves open (docs/billing-rules.md section 8), each with the day it takes effect. Billing staff only.
import { api } from '../api.js';
import { session } from '../session.js';
import { clear, h, table, toast } from '../dom.js';

export async function billingSetupPage(main) {
  if (!session.can('billing')) {
    clear(main, h('h1', {}, 'Fees and settings'), h('p.notice#billing-refused', {}, 'Billing is for billing staff and administrators. Your role does not include it.'));
    return;
  }
  const [fees, settings] = await Promise.all([api.get('/billing/fees'), api.get('/billing/settings')]);
  const refresh = () => billingSetupPage(main);
  clear(main,
    h('div.page-head', {}, h('h1', {}, 'Fees and settings'), h('a#back-to-billing', {href: '#/billing'}, 'Back to the billing month')),
    fees.codesWithoutFee.length ? h('p.notice#codes-without-fee', {role: 'status'}, 'No fee yet for ' + fees.codesWithoutFee.join(', ')
      + ': lines of these codes are billed without a charge and cannot go on an 837P until you set one.') : null,
    feesView(fees, refresh),
    settingsView(settings, refresh));
}

function feesView(fees, refresh) {
  const code = h('select#fee-code', {}, fees.codes.map(c => h('option', {value: c.code}, c.code)));
  const amount = h('input#fee-amount', {inputmode: 'decimal', placeholder: '0.00', required: true, pattern: '[0-9]{1,8}(\\.[0-9]{1,2})?'});
  const from = h('input#fee-from', {type: 'date', required: true, value: new Date().toISOString().slice(0, 10)});
  const source = h('input#fee-source', {maxlength: 200, placeholder: 'e.g. MAC locality fee schedule 2026'});
  const error = h('p.error#fee-error', {role: 'alert', hidden: true});
  const form = h('form.inline-form#fee-form', {onsubmit: async e => {
    e.preventDefault();
    error.hidden = true;
    try {
      await api.put('/billing/fees', {effectiveFrom: from.value, source: source.value || null, fees: {[code.value]: amount.value.trim()}});
      toast('Fee of ' + code.value + ' set from ' + from.value + '.');
      refresh();
    } catch (err) { error.textContent = err.plain || err.message; error.hidden = false; }
  }},
  h('label', {}, 'Code ', code), h('label', {}, 'Amount per unit ($) ', amount), h('label', {}, 'From ', from), h('label', {}, 'Source ', source),
  h('button.primary#fee-save', {type: 'submit'}, 'Set fee'), error);
  return h('section.card#fees', {}, h('h2', {}, 'Fee schedule'),
    h('p.muted', {}, 'A line is charged the fee in effect on its date of service. New practices start with approximate CY2026 national amounts.'),
    table([
      {label: 'Code', cell: c => h('strong', {}, c.code)},
      {label: 'Program', cell: c => c.program.toUpperCase()},
      {label: 'Fee', cell: c => c.inEffect ? '$' + c.inEffect.amount : h('span.warning', {}, 'no fee')},
      {label: 'From', cell: c => c.inEffect ? c.inEffect.effectiveFrom : '—'},
      {label: 'Source', cell: c => c.inEffect ? (c.inEffect.source || '—') : '—'},
      {label: 'Changes', cell: c => c.history.length > 1 ? c.history.map(f => f.effectiveFrom + ': $' + f.amount).join('; ') : '—'},
    ], fees.codes, {rowAttrs: c => ({'data-code': c.code})}),
    form);
}

function settingsView(settings, refresh) {
  const name = h('select#setting-name', {}, settings.settings.map(s => h('option', {value: s.name}, s.name)));
  const value = h('input#setting-value', {required: true, maxlength: 40});
  const hint = h('span.muted#setting-values', {});
  const showValues = () => {
    const s = settings.settings.find(x => x.name === name.value);
    hint.textContent = s.values.length ? 'one of ' + s.values.join(', ') : 'two digits, not 02 or 10';
  };
  name.addEventListener('change', showValues);
  showValues();
  const from = h('input#setting-from', {type: 'month', required: true, value: settings.month});
  const error = h('p.error#setting-error', {role: 'alert', hidden: true});
  const form = h('form.inline-form#setting-form', {onsubmit: async e => {
    e.preventDefault();
    error.hidden = true;
    try {
      await api.put('/billing/settings', {effectiveFrom: from.value, settings: {[name.value]: value.value.trim()}});
      toast(name.value + ' set to ' + value.value.trim() + ' from ' + from.value + '.');
      refresh();
    } catch (err) { error.textContent = err.plain || err.message; error.hidden = false; }
  }},
  h('label', {}, 'Setting ', name), h('label', {}, 'Value ', value), hint, h('label', {}, 'From month ', from),
  h('button.primary#setting-save', {type: 'submit'}, 'Set'), error);
  return h('section.card#settings', {}, h('h2', {}, 'Billing settings for ' + settings.month),
    h('p.muted', {}, 'Where the rules are disputed or depend on the payer, the practice decides. A month uses the values in effect on its first day; '
      + 'a month already closed keeps what it was closed with.'),
    table([
      {label: 'Setting', cell: s => h('strong', {}, s.name)},
      {label: 'Value', cell: s => s.value + (s.effectiveFrom ? ' (from ' + s.effectiveFrom + ')' : ' (default)')},
      {label: 'Default', cell: s => s.default},
      {label: 'What it changes', cell: s => s.whatItChanges},
      {label: 'Source', cell: s => s.source},
    ], settings.settings, {rowAttrs: s => ({'data-setting': s.name})}),
    form);
}
