// Shared UI pieces: alerts, busy buttons, the local outbox panel.
import {h, replace, when} from './dom.js';
import {messageFor, supportLine} from './errors.js';

/** An alert box; kind is 'error', 'success' or 'info'. */
export function alert(kind, message, ...extra) {
  return h('div', {class: `alert ${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-kind': kind},
    h('p', {class: 'message'}, message), ...extra);
}

/** An error alert for any thrown error, with the API's code and request ID for support. */
export function errorAlert(error, ...actions) {
  const support = supportLine(error);
  return h('div', {class: 'alert error', role: 'alert', 'data-kind': 'error', 'data-code': error?.code ?? ''},
    h('p', {class: 'message'}, messageFor(error)),
    support ? h('p', {class: 'support'}, support) : null,
    actions.length ? h('div', {class: 'actions'}, actions) : null);
}

/**
 * Wires a form: on submit, disables its buttons, runs `action(event)`, shows a thrown error in the
 * form's status box (or passes it to `onError`, which may return extra action buttons).
 */
export function onSubmit(form, action, {onError} = {}) {
  const status = form.querySelector('.form-status') ?? form.appendChild(h('div', {class: 'form-status'}));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const buttons = [...form.querySelectorAll('button')];
    buttons.forEach((b) => { b.disabled = true; });
    form.setAttribute('aria-busy', 'true');
    replace(status);
    try {
      await action(event, status);
    } catch (error) {
      const actions = onError?.(error) ?? [];
      replace(status, errorAlert(error, ...actions));
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
      form.removeAttribute('aria-busy');
    }
  });
  return form;
}

/** Runs `action` for a button click with the button disabled; errors go to `statusEl`. */
export async function busy(button, statusEl, action) {
  button.disabled = true;
  replace(statusEl);
  try {
    await action();
  } catch (error) {
    replace(statusEl, errorAlert(error));
  } finally {
    button.disabled = false;
  }
}

/**
 * The local outbox (local stack only): the messages "e-mailed" to an address, newest first, each
 * with a button that puts its code into `codeInput`.
 */
export function outboxPanel(ctx, emailOf, codeInput) {
  if (!ctx.localOutbox) return null;
  const list = h('div', {class: 'outbox-list'});
  const button = h('button', {type: 'button', class: 'secondary', id: 'show-outbox'}, 'Show local outbox');
  button.addEventListener('click', () => busy(button, list, async () => {
    const email = emailOf();
    if (!email) {
      replace(list, alert('info', 'Enter the e-mail address first.'));
      return;
    }
    const {data} = await ctx.api.request('GET', '/_local/outbox', {query: {email}});
    const messages = data?.messages ?? [];
    if (messages.length === 0) {
      replace(list, alert('info', `No messages for ${email} yet.`));
      return;
    }
    replace(list, h('ul', {class: 'outbox'}, messages.map((m) => h('li', {class: 'outbox-message'},
      h('div', {}, h('strong', {}, m.kind ?? 'message'), ' · ', when(m.at)),
      m.code ? h('div', {}, 'Code: ', h('code', {class: 'outbox-code'}, m.code), ' ',
        codeInput ? h('button', {type: 'button', class: 'link use-code', onclick: () => {
          codeInput.value = m.code;
          codeInput.focus();
        }}, 'Use this code') : null) : null,
      m.text ? h('pre', {class: 'outbox-text'}, m.text) : null))));
  }));
  return h('section', {class: 'outbox-panel', 'aria-label': 'Local outbox'},
    h('p', {class: 'hint'}, 'Running against the local stack: messages are not e-mailed but kept in the local outbox.'),
    button, list);
}

export function heading(text, ...rest) {
  return h('h1', {}, text, ...rest);
}
