// Small DOM helpers. Text always goes through textContent (never innerHTML), so nothing the API
// returns can become markup or script.

/**
 * h('button', {type: 'submit', class: 'primary', onclick: fn}, 'Save')
 * Attributes whose value is null/undefined/false are left out; `on*` functions become listeners.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
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

/** Replaces the children of `el`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A labelled form field; `name` is also the id suffix so tests and labels find it. */
export function field(label, name, attrs = {}) {
  const id = attrs.id ?? `f-${name}`;
  const input = attrs.tag === 'select'
    ? h('select', {...without(attrs, 'tag', 'options', 'hint'), id, name},
        (attrs.options ?? []).map(([value, text]) => h('option', {value}, text)))
    : h('input', {type: 'text', ...without(attrs, 'tag', 'hint'), id, name});
  return h('div', {class: 'field'},
    h('label', {for: id}, label),
    input,
    attrs.hint ? h('small', {class: 'hint'}, attrs.hint) : null);
}

function without(obj, ...keys) {
  const copy = {...obj};
  for (const key of keys) delete copy[key];
  return copy;
}

/** Values of a form's named controls, with text trimmed except for passwords. */
export function formValues(form) {
  const values = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    values[el.name] = el.type === 'password' ? el.value : el.value.trim();
  }
  return values;
}

/** Formats an ISO-8601 timestamp for people, keeping the exact value in a tooltip. */
export function when(iso) {
  if (!iso) return h('span', {}, '—');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return h('span', {}, String(iso));
  return h('time', {datetime: iso, title: iso}, date.toLocaleString());
}
