// Screens for a signed-in user: profile (view and edit with If-Match), security (password, TOTP,
// passkeys, sign out everywhere, delete account) and sessions.
import {field, formValues, h, replace, when} from '../dom.js';
import {ApiError} from '../api.js';
import {qrSvg} from '../qr.js';
import {continueLogin} from './auth.js';
import {alert, busy, errorAlert, heading, onSubmit, outboxPanel} from '../ui.js';
import {currentSessionId, eventLabel} from '../orgs.js';
import {createPasskey, passkeysSupported} from '../webauthn.js';

const EDITABLE = [
  ['name', 'Name', {autocomplete: 'name', maxlength: 128}],
  ['locale', 'Locale', {placeholder: 'en or pt-BR', maxlength: 35, hint: 'A language tag such as en or pt-BR.'}],
  ['picture', 'Picture URL', {type: 'url', placeholder: 'https://…', maxlength: 2048, hint: 'An https URL (shown as a link, never loaded).'}],
  ['phoneNumber', 'Phone number', {type: 'tel', autocomplete: 'tel', placeholder: '+14155550123', maxlength: 16,
    hint: 'E.164, e.g. +14155550123.'}],
];

/** The read-only fields of a profile, as a definition list (also used by the admin screens). */
export function profileDetails(profile) {
  const row = (label, value, name) => [h('dt', {}, label), h('dd', {'data-field': name}, value ?? '—')];
  return h('dl', {class: 'profile'},
    row('E-mail', profile.email, 'email'),
    row('Name', profile.name, 'name'),
    row('Locale', profile.locale, 'locale'),
    row('Picture', pictureLink(profile.picture), 'picture'),
    row('Phone number', profile.phoneNumber, 'phoneNumber'),
    row('Roles', (profile.roles ?? []).join(', '), 'roles'),
    row('Status', profile.status, 'status'),
    row('Two-step verification', profile.mfaEnabled ? 'On (authenticator app)' : 'Off', 'mfaEnabled'),
    row('Created', when(profile.createdAt), 'createdAt'),
    row('Updated', when(profile.updatedAt), 'updatedAt'),
    row('ID', h('code', {}, profile.id), 'id'));
}

/** The picture URL as a link (only https, as the API enforces); the image itself is never loaded. */
function pictureLink(url) {
  if (!url) return null;
  return /^https:\/\//i.test(url) ? h('a', {href: url, rel: 'noopener noreferrer', target: '_blank'}, url) : url;
}

export async function profileView(ctx, _params, root) {
  const {data: profile, etag} = await ctx.session.call('GET', '/me');
  ctx.setMe(profile);
  let version = etag;

  const form = h('form', {id: 'profile-form'},
    ...EDITABLE.map(([name, label, attrs]) => field(label, name, {...attrs, value: profile[name] ?? ''})),
    h('button', {type: 'submit', class: 'primary'}, 'Save changes'));

  onSubmit(form, async (_event, status) => {
    const values = formValues(form);
    const changes = {};
    for (const [name] of EDITABLE) {
      const before = profile[name] ?? '';
      if (values[name] !== before) changes[name] = values[name] === '' ? null : values[name];
    }
    if (Object.keys(changes).length === 0) {
      replace(status, alert('info', 'Nothing to save: no field changed.'));
      return;
    }
    const headers = version ? {'If-Match': version} : {};
    const {data: updated} = await ctx.session.call('PATCH', '/me', {body: changes, headers});
    ctx.flash('success', 'Your profile has been saved.');
    ctx.setMe(updated);
    ctx.reload();
  }, {onError: (error) => (error.code === 'PreconditionFailed'
    ? [h('p', {}, 'Your profile was changed elsewhere (another tab or device) since this page loaded. ' +
        'Reload to see the current version; your unsaved edits will be lost.'),
      h('button', {type: 'button', class: 'primary', id: 'reload-profile', onclick: () => ctx.reload()}, 'Reload the profile')]
    : [])});

  replace(root, heading('Your profile'),
    profileDetails(profile),
    h('h2', {}, 'Edit'),
    form);
}

export async function securityView(ctx, _params, root) {
  const {data: profile} = await ctx.session.call('GET', '/me');
  ctx.setMe(profile);

  // Change password
  const passwordForm = h('form', {id: 'password-form'},
    field('Current password', 'currentPassword', {type: 'password', required: true, autocomplete: 'current-password'}),
    field('New password', 'newPassword', {type: 'password', required: true, autocomplete: 'new-password',
      hint: 'At least 12 characters with upper- and lower-case letters, a digit and a symbol.'}),
    field('Repeat new password', 'newPasswordRepeat', {type: 'password', required: true, autocomplete: 'new-password'}),
    h('button', {type: 'submit', class: 'primary'}, 'Change password'));
  onSubmit(passwordForm, async (_event, status) => {
    const values = formValues(passwordForm);
    if (values.newPassword !== values.newPasswordRepeat) {
      replace(status, alert('error', 'The two new passwords differ.'));
      return;
    }
    const {data} = await ctx.session.call('POST', '/me/password',
      {body: {currentPassword: values.currentPassword, newPassword: values.newPassword}});
    passwordForm.reset();
    // Every session ended with the change; the answer signs this tab in again with the new password.
    if (data?.accessToken) {
      ctx.session.start(data, ctx.session.email);
      replace(status, alert('success', 'Your password has been changed. Every other session has been signed out.'));
    } else {
      // TOTP is on: the sign-in with the new password asks for a code
      await continueLogin(ctx, root, ctx.session.email, data);
    }
  });

  // Two-step verification
  const mfaSection = h('section', {id: 'mfa-section'});
  renderMfa(ctx, mfaSection, profile);

  // Passkeys
  const passkeysSection = h('section', {id: 'passkeys-section'});
  await renderPasskeys(ctx, passkeysSection);

  // Sign out everywhere, delete account
  const dangerStatus = h('div', {class: 'form-status'});
  const dangerPrompt = h('div', {id: 'danger-reauth'});
  const everywhere = h('button', {type: 'button', class: 'secondary', id: 'sign-out-everywhere'}, 'Sign out everywhere');
  everywhere.addEventListener('click', () => busy(everywhere, dangerStatus, async () => {
    if (!window.confirm('Sign out of every device, including this one?')) return;
    await ctx.session.signOutEverywhere();
  }));
  const deleteButton = h('button', {type: 'button', class: 'danger', id: 'delete-account'}, 'Delete my account');
  deleteButton.addEventListener('click', () => busy(deleteButton, dangerStatus, async () => {
    if (!window.confirm('Delete your account, your profile and your sessions? This cannot be undone.')) return;
    await withRecentSignIn(ctx, dangerPrompt, () => ctx.session.call('DELETE', '/me'));
    ctx.session.end('deleted');
  }));

  replace(root, heading('Security'),
    h('h2', {}, 'Password'), passwordForm,
    h('h2', {}, 'Two-step verification'), mfaSection,
    h('h2', {}, 'Passkeys'), passkeysSection,
    h('h2', {}, 'E-mail address'),
    h('p', {}, h('a', {href: '#/email', id: 'change-email-link'}, 'Change your e-mail address'),
      ' (the current one keeps working until the new one is verified).'),
    h('h2', {}, 'Sessions'),
    h('p', {}, h('a', {href: '#/sessions'}, 'See where you are signed in'), ' and ',
      h('a', {href: '#/activity'}, 'your security activity'), '. Signing out everywhere ends every session and ' +
      'refuses every access token issued before now.'),
    h('div', {class: 'buttons'}, everywhere, deleteButton), dangerPrompt, dangerStatus);
}

/**
 * Runs a call that needs a recent sign-in ("sudo mode"). When the API answers 403
 * ReauthenticationRequired, asks for the password (and authenticator code) in `slot`, renews the
 * sign-in at /auth/reauthenticate and retries the call once.
 */
async function withRecentSignIn(ctx, slot, call) {
  try {
    return await call();
  } catch (error) {
    if (error.code !== 'ReauthenticationRequired') throw error;
  }
  await askToReauthenticate(ctx, slot);
  return call();
}

function askToReauthenticate(ctx, slot) {
  return new Promise((resolve, reject) => {
    const form = h('form', {id: 'reauth-form'},
      h('p', {}, 'For your security, confirm it is you: enter your password, and the code from your authenticator app ' +
        'if two-step verification is on.'),
      field('Password', 'password', {type: 'password', required: true, autocomplete: 'current-password'}),
      field('Authenticator code (if two-step verification is on)', 'code', {inputmode: 'numeric', pattern: '[0-9]{6}',
        maxlength: 6, autocomplete: 'one-time-code'}),
      h('div', {class: 'buttons'},
        h('button', {type: 'submit', class: 'primary'}, 'Confirm'),
        h('button', {type: 'button', class: 'secondary', id: 'reauth-cancel'}, 'Cancel')));
    onSubmit(form, async () => {
      const {password, code} = formValues(form);
      await ctx.session.reauthenticate(password, code);
      replace(slot);
      resolve();
    });
    form.querySelector('#reauth-cancel').addEventListener('click', () => {
      replace(slot);
      reject(new ApiError({code: 'Cancelled', detail: 'Cancelled: nothing was changed.'}));
    });
    replace(slot, form);
    form.elements.password.focus();
  });
}

/**
 * The caller's passkeys (name, created, last used) with "Remove", and a form that adds one: options
 * from the API, the browser's authenticator creates the key, the API verifies and keeps it. Adding and
 * removing need a recent sign-in: the password prompt appears, then the step is tried again.
 */
async function renderPasskeys(ctx, section, notice = null) {
  let items;
  try {
    const {data} = await ctx.session.call('GET', '/me/passkeys');
    items = data?.items ?? [];
  } catch (error) {
    // Passkeys off on this deployment (503) or a failure: the rest of the security screen still works.
    replace(section, errorAlert(error));
    return;
  }
  const status = h('div', {class: 'form-status', id: 'passkeys-status'}, notice ? alert('success', notice) : null);
  const prompt = h('div', {id: 'passkeys-reauth'});
  const table = items.length === 0
    ? alert('info', 'No passkeys yet: add one to sign in with this device\'s screen lock or a security key instead of a password.')
    : h('table', {id: 'passkeys-table'},
      h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Added'), h('th', {}, 'Last used'), h('th', {}, ''))),
      h('tbody', {}, items.map((p) => {
        const remove = h('button', {type: 'button', class: 'secondary remove-passkey'}, 'Remove');
        remove.addEventListener('click', () => busy(remove, status, async () => {
          if (!window.confirm(`Remove the passkey "${p.name ?? 'Passkey'}"? It will no longer sign you in.`)) return;
          await withRecentSignIn(ctx, prompt, () => ctx.session.call('DELETE', `/me/passkeys/${encodeURIComponent(p.id)}`));
          await renderPasskeys(ctx, section, `The passkey "${p.name ?? 'Passkey'}" has been removed.`);
        }));
        return h('tr', {'data-passkey-id': p.id},
          h('td', {class: 'passkey-name'}, p.name ?? 'Passkey'), h('td', {}, when(p.createdAt)),
          h('td', {class: 'passkey-last-used'}, p.lastUsedAt ? when(p.lastUsedAt) : 'never'), h('td', {}, remove));
      })));

  const form = h('form', {id: 'add-passkey-form'},
    field('Name (optional)', 'passkeyName', {id: 'f-passkey-name', maxlength: 100, placeholder: 'e.g. Work laptop',
      hint: 'Confirmed when the passkey is added; the list shows the name the user pool keeps for it.'}),
    h('button', {type: 'submit', class: 'primary', disabled: !passkeysSupported()}, 'Add a passkey'));
  onSubmit(form, async () => {
    const {passkeyName} = formValues(form);
    const passkey = await withRecentSignIn(ctx, prompt, async () => {
      const {data: options} = await ctx.session.call('POST', '/me/passkeys/options');
      const credential = await createPasskey(options.publicKey);
      const {data: created} = await ctx.session.call('POST', '/me/passkeys',
        {body: passkeyName ? {credential, name: passkeyName} : {credential}});
      return created;
    });
    await renderPasskeys(ctx, section, `The passkey "${passkey?.name ?? 'Passkey'}" has been added.`);
  });
  replace(section,
    h('p', {}, 'A passkey signs you in with this device\'s screen lock or a security key: nothing to type, nothing to ' +
      'phish. Use "Sign in with a passkey" on the login screen.'),
    passkeysSupported() ? null : alert('info', 'This browser does not support passkeys.'),
    table, form, prompt, status);
}

function renderMfa(ctx, section, profile) {
  const status = h('div', {class: 'form-status'});
  const prompt = h('div', {id: 'mfa-reauth'});
  if (profile.mfaEnabled) {
    const disable = h('button', {type: 'button', class: 'secondary', id: 'disable-mfa'}, 'Turn off two-step verification');
    disable.addEventListener('click', () => busy(disable, status, async () => {
      if (!window.confirm('Turn off two-step verification? Logging in will need only your password.')) return;
      await withRecentSignIn(ctx, prompt, () => ctx.session.call('DELETE', '/me/mfa'));
      ctx.flash('success', 'Two-step verification is off.');
      ctx.reload();
    }));
    replace(section, h('p', {id: 'mfa-state'}, 'On: logging in asks for a code from your authenticator app.'), disable, prompt,
      status);
    return;
  }
  const start = h('button', {type: 'button', class: 'primary', id: 'enable-mfa'}, 'Set up an authenticator app');
  start.addEventListener('click', () => busy(start, status, async () => {
    const {data} = await ctx.session.call('POST', '/me/mfa/totp');
    renderTotpSetup(ctx, section, data);
  }));
  replace(section, h('p', {id: 'mfa-state'}, 'Off: logging in needs only your password.'), start, status);
}

function renderTotpSetup(ctx, section, {secretCode, otpauthUri}) {
  const form = h('form', {id: 'totp-verify-form'},
    field('Code shown by the app', 'code', {required: true, inputmode: 'numeric', pattern: '[0-9]{6}', maxlength: 6,
      autocomplete: 'one-time-code'}),
    h('div', {class: 'buttons'},
      h('button', {type: 'submit', class: 'primary'}, 'Verify and turn on'),
      h('button', {type: 'button', class: 'secondary', onclick: () => ctx.reload()}, 'Cancel')));
  onSubmit(form, async () => {
    const {code} = formValues(form);
    await ctx.session.call('POST', '/me/mfa/totp/verify', {body: {code}});
    ctx.flash('success', 'Two-step verification is on. From now on, logging in asks for a code from your app.');
    ctx.reload();
  }, {onError: (error) => (error.code === 'CodeMismatch'
    ? [h('p', {}, 'Check that the clock of the device running the app is right, and enter the code it shows now.')] : [])});
  replace(section,
    h('ol', {class: 'steps'},
      h('li', {}, 'Scan this QR code with an authenticator app (or enter the key by hand).'),
      h('li', {}, 'Enter the 6-digit code the app shows to finish.')),
    h('figure', {class: 'qr', id: 'totp-qr'}, qrSvg(otpauthUri, {title: 'QR code for your authenticator app'}),
      h('figcaption', {}, 'Key: ', h('code', {id: 'totp-secret'}, secretCode))),
    form);
  form.elements.code.focus();
}

export async function sessionsView(ctx, _params, root) {
  const {data} = await ctx.session.call('GET', '/me/sessions');
  const items = data?.items ?? [];
  const status = h('div', {class: 'form-status', id: 'sessions-status'});
  const current = currentSessionId(items, {signedInAt: ctx.session.signedInAt, userAgent: navigator.userAgent});
  const table = items.length === 0
    ? alert('info', 'No sessions recorded.')
    : h('table', {id: 'sessions-table'},
      h('thead', {}, h('tr', {}, h('th', {}, 'Signed in'), h('th', {}, 'Last used'), h('th', {}, 'From'), h('th', {}, 'Browser'),
        h('th', {}, ''))),
      h('tbody', {}, items.map((s) => {
        const isCurrent = s.id === current;
        const end = h('button', {type: 'button', class: 'secondary end-session'}, isCurrent ? 'Sign out (this tab)' : 'Sign out');
        end.addEventListener('click', () => busy(end, status, async () => {
          const where = isCurrent ? 'this tab' : `the session from ${s.userAgent ?? 'an unknown browser'}`;
          if (!window.confirm(`Sign out ${where}?`)) return;
          await ctx.session.call('DELETE', `/me/sessions/${encodeURIComponent(s.id)}`);
          if (isCurrent) {
            ctx.session.end('logout');
            return;
          }
          ctx.flash('success', 'That session has been signed out: its tokens no longer work.');
          ctx.reload();
        }));
        return h('tr', {'data-session-id': s.id, class: isCurrent ? 'current-session' : null},
          h('td', {}, when(s.createdAt), isCurrent ? [' ', h('span', {class: 'badge current'}, 'this tab')] : null),
          h('td', {}, when(s.lastUsedAt)), h('td', {}, s.sourceIp ?? '—'),
          h('td', {class: 'ua'}, s.userAgent ?? '—'), h('td', {}, end));
      })));
  const everywhere = h('button', {type: 'button', class: 'secondary', id: 'sessions-sign-out-everywhere'}, 'Sign out everywhere');
  everywhere.addEventListener('click', () => busy(everywhere, status, async () => {
    if (!window.confirm('Sign out of every device, including this one?')) return;
    await ctx.session.signOutEverywhere();
  }));
  replace(root, heading('Your sessions'),
    h('p', {}, 'One line per login; refreshing keeps "last used" current. "Sign out" ends that session at once: its ' +
      'tokens stop working. "This tab" is the session created by this browser when this tab signed in.'),
    table, h('div', {class: 'buttons'}, everywhere), status);
}

/** #/email: change the e-mail address (password, then the code sent to the new address). */
export async function emailView(ctx, _params, root) {
  const {data: profile} = await ctx.session.call('GET', '/me');
  ctx.setMe(profile);
  const requestStatus = h('div', {class: 'form-status', id: 'email-request-status'});
  const verifySlot = h('section', {id: 'email-verify'});

  const requestForm = h('form', {id: 'email-change-form'},
    field('New e-mail address', 'newEmail', {id: 'f-new-email', type: 'email', required: true, autocomplete: 'email'}),
    field('Current password', 'password', {id: 'f-email-password', type: 'password', required: true,
      autocomplete: 'current-password'}),
    h('button', {type: 'submit', class: 'primary'}, 'Send a code to the new address'),
    requestStatus);
  onSubmit(requestForm, async () => {
    const {newEmail, password} = formValues(requestForm);
    await ctx.session.call('POST', '/me/email', {body: {newEmail, password}});
    requestForm.elements.password.value = '';
    replace(requestStatus, alert('success', `If ${newEmail} can be used, a code is on its way to it, and a notice to ` +
      `${profile.email}. Your address stays ${profile.email} until you enter the code.`));
    renderVerify(newEmail);
  });

  function renderVerify(newEmail) {
    const codeField = field('Code from the e-mail to the new address', 'code', {id: 'f-email-code', required: true,
      inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 12});
    const form = h('form', {id: 'email-verify-form'}, codeField,
      h('button', {type: 'submit', class: 'primary'}, 'Verify and change the address'));
    onSubmit(form, async () => {
      const {code} = formValues(form);
      const {data} = await ctx.session.call('POST', '/me/email/verify', {body: {code}});
      ctx.setMe(data);
      ctx.flash('success', `Your e-mail address is now ${data.email}. Use it to log in from now on.`);
      ctx.reload();
    }, {onError: (error) => (error.code === 'Conflict'
      ? [h('p', {}, 'Another account took that address in the meantime. Choose another address.')] : [])});
    replace(verifySlot, h('h2', {}, 'Enter the code'), form,
      newEmail ? outboxPanel(ctx, () => newEmail, form.elements.code) : null);
  }

  const haveCode = h('button', {type: 'button', class: 'link', id: 'have-email-code', onclick: () => renderVerify(null)},
    'I already have a code');
  replace(root, heading('E-mail address'),
    h('p', {}, 'Your address: ', h('strong', {id: 'current-email'}, profile.email),
      '. It stays your address, for logging in and for password resets, until you verify the new one with the code ' +
      'sent to it.'),
    requestForm, verifySlot, h('p', {}, haveCode));
}

/** A paged, newest-first list of security activity from `path` (GET /me/activity or /users/{id}/activity). */
export function activityList(ctx, path, id = 'activity') {
  const body = h('tbody');
  const box = h('div', {id});
  const more = h('button', {type: 'button', class: 'secondary', id: `${id}-more`, hidden: true}, 'Older events');
  const status = h('div', {class: 'form-status'});
  let cursor = '';
  async function load() {
    const {data} = await ctx.session.call('GET', path, {query: {limit: 20, cursor}});
    for (const e of data?.items ?? []) {
      body.append(h('tr', {'data-event': e.event},
        h('td', {}, when(e.at)), h('td', {class: 'event'}, eventLabel(e.event)),
        h('td', {}, e.sourceIp ?? '—'), h('td', {class: 'ua'}, e.userAgent ?? '—')));
    }
    cursor = data?.nextCursor ?? '';
    more.hidden = !cursor;
    replace(box, body.children.length === 0 ? alert('info', 'No activity recorded.') : h('table', {id: `${id}-table`},
      h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Event'), h('th', {}, 'From'), h('th', {}, 'Browser'))),
      body));
  }
  more.addEventListener('click', () => busy(more, status, load));
  return {element: h('div', {}, box, more, status), load};
}

/** #/activity: the caller's security activity, newest first. */
export async function activityView(ctx, _params, root) {
  const list = activityList(ctx, '/me/activity');
  replace(root, heading('Security activity'),
    h('p', {}, 'Sign-ins, failed sign-ins and changes to your password, two-step verification, e-mail and sessions, ' +
      'newest first (kept at least 90 days). Something you do not recognise? Change your password and sign out everywhere.'),
    list.element);
  await list.load();
}
