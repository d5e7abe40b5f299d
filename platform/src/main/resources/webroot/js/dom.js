// Builds elements from data without innerHTML, so text from the server can never become markup.

/** h('button.primary', {onclick, type: 'button'}, 'Claim') — tag with optional .classes and #id, attributes, children. */
export function h(spec, attrs = {}, ...children) {
  const [, tag = 'div', rest = ''] = spec.match(/^([a-z0-9-]*)(.*)$/i);
  const el = document.createElement(tag || 'div');
  for (const part of rest.match(/[.#][^.#]+/g) || []) {
    if (part[0] === '.') el.classList.add(part.slice(1));
    else el.id = part.slice(1);
  }
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A table from column definitions {label, cell(row) → node|text, className}. */
export function table(columns, rows, {caption, rowAttrs} = {}) {
  return h('div.table-wrap', {},
    h('table', {},
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, columns.map(c => h('th', {scope: 'col', class: c.className}, c.label)))),
      h('tbody', {}, rows.map(r => h('tr', rowAttrs ? rowAttrs(r) : {}, columns.map(c => h('td', {class: c.className, 'data-label': c.label}, c.cell(r))))))));
}

export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  const el = h('div.toast.' + kind, {}, message);
  box.append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 9000 : 4000);
}

/** A modal <dialog>: focus is kept inside, Escape closes, and focus returns to where it was. */
export function dialog(title, body, actions) {
  const opener = document.activeElement;
  const dlg = h('dialog', {'aria-labelledby': 'dialog-title'},
    h('h2#dialog-title', {}, title), body, h('div.actions', {}, actions));
  dlg.addEventListener('close', () => { dlg.remove(); if (opener && opener.focus) opener.focus(); });
  document.body.append(dlg);
  dlg.showModal();
  return dlg;
}
