// Screens for signed-out visitors: sign up, confirm, log in (with the MFA and new-password
// challenges), passwordless sign-in (a passkey, or a code e-mailed), forgot and reset password.
import {field, formValues, h, replace} from '../dom.js';
import {hostedSignInUrl} from '../hosted.js';
import {alert, busy, errorAlert, heading, onSubmit, outboxPanel} from '../ui.js';
import {getPasskeyAssertion, passkeysSupported} from '../webauthn.js';

const PASSWORD_HINT = 'At least 12 characters with upper- and lower-case letters, a digit and a symbol.';

function passwordFields(name = 'password', label = 'Password', autocomplete = 'new-password') {
  return [
    field(label, name, {type: 'password', required: true, autocomplete, hint: PASSWORD_HINT}),
    field(`Repeat ${label.toLowerCase()}`, `${name}Repeat`, {type: 'password', required: true, autocomplete}),
  ];
}

function checkRepeat(values, name, status) {
  if (values[name] !== values[`${name}Repeat`]) {
    replace(status, alert('error', 'The two passwords differ.'));
    return false;
  }
  return true;
}

export function signUpView(ctx, params, root) {
  const form = h('form', {id: 'signup-form', novalidate: false},
    field('E-mail', 'email', {type: 'email', required: true, autocomplete: 'email', value: params.get('email') ?? ''}),
    field('Name (optional)', 'name', {autocomplete: 'name', maxlength: 128}),
    ...passwordFields(),
    h('button', {type: 'submit', class: 'primary'}, 'Sign up'));
  onSubmit(form, async (_event, status) => {
    const values = formValues(form);
    if (!checkRepeat(values, 'password', status)) return;
    const body = {email: values.email, password: values.password};
    if (values.name) body.name = values.name;
    await ctx.api.request('POST', '/auth/sign-up', {body});
    ctx.flash('success', `If ${values.email} can be registered, a confirmation code is on its way. Enter it below.`);
    ctx.navigate('/confirm', {email: values.email});
  });
  replace(root, heading('Create an account'), form,
    h('p', {}, 'Already have an account? ', h('a', {href: '#/login'}, 'Log in'), '.'));
}

export function confirmView(ctx, params, root) {
  const codeInput = h('input', {id: 'f-code', name: 'code', required: true, inputmode: 'numeric',
    autocomplete: 'one-time-code', pattern: '[0-9A-Za-z]{4,12}'});
  const form = h('form', {id: 'confirm-form'},
    field('E-mail', 'email', {type: 'email', required: true, autocomplete: 'email', value: params.get('email') ?? ''}),
    h('div', {class: 'field'}, h('label', {for: 'f-code'}, 'Confirmation code'), codeInput),
    // The password is set with the code: whoever holds the mailbox chooses it, whatever was given at sign-up.
    ...passwordFields(),
    h('div', {class: 'buttons'},
      h('button', {type: 'submit', class: 'primary'}, 'Confirm'),
      h('button', {type: 'button', class: 'secondary', id: 'resend-code'}, 'Send a new code')));
  onSubmit(form, async (_event, formStatus) => {
    const values = formValues(form);
    if (!checkRepeat(values, 'password', formStatus)) return;
    const {email, code, password} = values;
    const {data} = await ctx.api.request('POST', '/auth/confirm', {body: {email, code, password}});
    ctx.flash('success', 'Your account is confirmed.');
    await continueLogin(ctx, root, email, data);
  }, {onError: (error) => (error.code === 'ExpiredCode' || error.code === 'CodeMismatch'
    ? [h('button', {type: 'button', class: 'secondary', onclick: () => resend()}, 'Send a new code')] : [])});
  const status = form.querySelector('.form-status');
  const resend = async () => {
    const email = form.elements.email.value.trim();
    if (!email) {
      replace(status, alert('error', 'Enter your e-mail address first.'));
      return;
    }
    try {
      await ctx.api.request('POST', '/auth/resend-code', {body: {email}});
      replace(status, alert('success', `If ${email} has an unconfirmed account, a new code is on its way.`));
    } catch (error) {
      replace(status, errorAlert(error));
    }
  };
  form.querySelector('#resend-code').addEventListener('click', resend);
  replace(root, heading('Confirm your account'),
    h('p', {}, 'Enter the code we e-mailed you and choose your password.'),
    form,
    outboxPanel(ctx, () => form.elements.email.value.trim(), codeInput));
}

export function loginView(ctx, params, root) {
  const form = h('form', {id: 'login-form'},
    field('E-mail', 'email', {type: 'email', required: true, autocomplete: 'username', value: params.get('email') ?? ctx.session.email}),
    field('Password', 'password', {type: 'password', required: true, autocomplete: 'current-password'}),
    h('button', {type: 'submit', class: 'primary'}, 'Log in'));
  onSubmit(form, async () => {
    const {email, password} = formValues(form);
    const {data} = await ctx.api.request('POST', '/auth/login', {body: {email, password}});
    await continueLogin(ctx, root, email, data);
  }, {onError: (error) => {
    const email = form.elements.email.value.trim();
    if (error.code === 'UserNotConfirmed') {
      return [h('a', {class: 'button secondary', href: `#/confirm?email=${encodeURIComponent(email)}`}, 'Enter the confirmation code')];
    }
    if (error.code === 'PasswordResetRequired' || error.code === 'InvalidCredentials') {
      return [h('a', {class: 'button secondary', href: `#/forgot?email=${encodeURIComponent(email)}`}, 'Forgot your password?')];
    }
    return [];
  }});
  // The hosted page (the user pool's hosted UI, and the identity providers behind it): the API
  // redirects there and back, and hands the tokens to this page in the URL fragment (see main.js).
  const returnTo = `${globalThis.location.origin}${globalThis.location.pathname}`;
  // The link gets its state when it is followed, so only this tab's latest sign-in can come back (hosted.js).
  const hosted = h('a', {class: 'button secondary', id: 'hosted-sign-in',
    href: `${ctx.baseUrl}/auth/oauth/login?redirect=${encodeURIComponent(returnTo)}`}, 'Sign in with the hosted page');
  hosted.addEventListener('click', () => {
    hosted.href = hostedSignInUrl(ctx.baseUrl, returnTo);
  });
  // Without a password: a passkey (options for the address, the browser signs them) or a code e-mailed.
  const passwordlessStatus = h('div', {class: 'form-status', id: 'passwordless-status'});
  const passkey = h('button', {type: 'button', class: 'secondary', id: 'passkey-sign-in',
    disabled: !passkeysSupported()}, 'Sign in with a passkey');
  passkey.addEventListener('click', () => busy(passkey, passwordlessStatus, async () => {
    const email = form.elements.email.value.trim();
    if (!email || !form.elements.email.checkValidity()) {
      replace(passwordlessStatus, alert('error', 'Enter your e-mail address first.'));
      form.elements.email.focus();
      return;
    }
    const {data: options} = await ctx.api.request('POST', '/auth/passkey/options', {body: {email}});
    const credential = await getPasskeyAssertion(options.publicKey);
    const {data} = await ctx.api.request('POST', '/auth/passkey', {body: {email, session: options.session, credential}});
    await continueLogin(ctx, root, email, data);
  }));
  const emailCode = h('a', {class: 'button secondary', id: 'email-code-sign-in', href: '#/login/email-code'}, 'Email me a code');
  emailCode.addEventListener('click', () => {
    const email = form.elements.email.value.trim();
    emailCode.href = `#/login/email-code${email ? `?email=${encodeURIComponent(email)}` : ''}`;
  });
  replace(root, heading('Log in'), form,
    h('h2', {}, 'Without a password'),
    h('div', {class: 'buttons'}, passkey, emailCode),
    passkeysSupported() ? null : h('p', {class: 'hint'}, 'This browser does not support passkeys.'),
    passwordlessStatus,
    h('p', {}, hosted),
    h('p', {}, h('a', {href: '#/forgot'}, 'Forgot your password?'), ' · ',
      h('a', {href: '#/signup'}, 'Create an account')));
}

/**
 * After /auth/login, /auth/confirm, a password change or a challenge answer: tokens start the
 * session; a challenge shows its step in `root`.
 */
export async function continueLogin(ctx, root, email, data) {
  if (data?.accessToken) {
    ctx.session.start(data, email);
    await ctx.afterLogin();
    return;
  }
  if (data?.challenge === 'SOFTWARE_TOKEN_MFA') {
    mfaStep(ctx, root, email, data.session);
  } else if (data?.challenge === 'NEW_PASSWORD_REQUIRED') {
    newPasswordStep(ctx, root, email, data.session);
  } else {
    replace(root, heading('Log in'),
      alert('error', `This account needs a sign-in step this client does not support (${data?.challenge ?? 'unknown'}).`),
      h('a', {href: '#/login'}, 'Back to log in'));
  }
}

/** #/login/email-code: a one-time code e-mailed to the address, entered here, signs in without a password. */
export function emailCodeView(ctx, params, root) {
  const verifySlot = h('section', {id: 'email-code-verify'});
  const form = h('form', {id: 'email-code-form'},
    field('E-mail', 'email', {type: 'email', required: true, autocomplete: 'username',
      value: params.get('email') ?? ctx.session.email}),
    h('button', {type: 'submit', class: 'primary'}, 'Email me a code'));
  onSubmit(form, async (_event, status) => {
    const {email} = formValues(form);
    const {data} = await ctx.api.request('POST', '/auth/login/email-code', {body: {email}});
    replace(status, alert('success', `If ${email} has an account, a sign-in code is on its way. Enter it below.`));
    renderVerify(email, data.session);
  });

  function renderVerify(email, session) {
    const codeInput = h('input', {id: 'f-email-otp', name: 'code', required: true, inputmode: 'numeric',
      autocomplete: 'one-time-code', maxlength: 12, autofocus: true});
    const verify = h('form', {id: 'email-code-verify-form'},
      h('div', {class: 'field'}, h('label', {for: 'f-email-otp'}, 'Code from the e-mail'), codeInput),
      h('button', {type: 'submit', class: 'primary'}, 'Sign in'));
    onSubmit(verify, async () => {
      const {code} = formValues(verify);
      const {data} = await ctx.api.request('POST', '/auth/login/email-code/verify', {body: {email, session, code}});
      await continueLogin(ctx, root, email, data);
    }, {onError: (error) => {
      const withPassword = `#/login?email=${encodeURIComponent(email)}`;
      if (error.code === 'MfaRequired') {
        return [h('p', {class: 'mfa-required'}, 'This account uses an authenticator app; sign in with your password ' +
          '(and the code from the app).'), h('a', {class: 'button secondary', href: withPassword}, 'Sign in with your password')];
      }
      if (error.code === 'InvalidCredentials' || error.code === 'ExpiredCode' || error.code === 'Unauthorized') {
        return [h('p', {}, 'The code has expired or was used up: ask for a new one.')];
      }
      return [];
    }});
    replace(verifySlot, verify, outboxPanel(ctx, () => email, codeInput));
    codeInput.focus();
  }

  replace(root, heading('Sign in with an e-mailed code'),
    h('p', {}, 'We e-mail you a one-time code; entering it signs you in without your password. Accounts with ' +
      'two-step verification (an authenticator app) sign in with their password instead.'),
    form, verifySlot,
    h('p', {}, h('a', {href: '#/login'}, 'Log in with your password'), ' · ', h('a', {href: '#/signup'}, 'Create an account')));
}

function challengeExpired(ctx, error, email) {
  // The challenge session lasts a few minutes; once it is refused, start again from the password.
  if (error.code === 'InvalidCredentials' || error.code === 'Unauthorized') {
    return [h('a', {class: 'button secondary', href: `#/login?email=${encodeURIComponent(email)}`}, 'Start again')];
  }
  return [];
}

function mfaStep(ctx, root, email, session) {
  const form = h('form', {id: 'mfa-form'},
    field('Code from your authenticator app', 'code', {required: true, inputmode: 'numeric', autocomplete: 'one-time-code',
      pattern: '[0-9]{6}', maxlength: 6, autofocus: true}),
    h('button', {type: 'submit', class: 'primary'}, 'Verify'));
  onSubmit(form, async () => {
    const {code} = formValues(form);
    const {data} = await ctx.api.request('POST', '/auth/login/mfa', {body: {email, session, code}});
    await continueLogin(ctx, root, email, data);
  }, {onError: (error) => challengeExpired(ctx, error, email)});
  replace(root, heading('Two-step verification'),
    h('p', {}, `Enter the 6-digit code your authenticator app shows for ${email}.`), form);
  form.elements.code.focus();
}

function newPasswordStep(ctx, root, email, session) {
  const form = h('form', {id: 'new-password-form'},
    ...passwordFields('newPassword', 'New password'),
    h('button', {type: 'submit', class: 'primary'}, 'Set password and log in'));
  onSubmit(form, async (_event, status) => {
    const values = formValues(form);
    if (!checkRepeat(values, 'newPassword', status)) return;
    const {data} = await ctx.api.request('POST', '/auth/login/new-password',
      {body: {email, session, newPassword: values.newPassword}});
    await continueLogin(ctx, root, email, data);
  }, {onError: (error) => challengeExpired(ctx, error, email)});
  replace(root, heading('Choose a new password'),
    h('p', {}, `Your account ${email} was created with a temporary password. Choose your own to continue.`), form);
}

export function forgotView(ctx, params, root) {
  const form = h('form', {id: 'forgot-form'},
    field('E-mail', 'email', {type: 'email', required: true, autocomplete: 'email', value: params.get('email') ?? ''}),
    h('button', {type: 'submit', class: 'primary'}, 'Send a reset code'));
  onSubmit(form, async () => {
    const {email} = formValues(form);
    await ctx.api.request('POST', '/auth/forgot-password', {body: {email}});
    ctx.flash('success', `If ${email} has an account, a reset code is on its way.`);
    ctx.navigate('/reset', {email});
  });
  replace(root, heading('Forgot your password?'), form,
    h('p', {}, 'Already have a code? ', h('a', {href: '#/reset'}, 'Reset your password'), '.'));
}

export function resetView(ctx, params, root) {
  const codeInput = h('input', {id: 'f-code', name: 'code', required: true, inputmode: 'numeric', autocomplete: 'one-time-code'});
  const form = h('form', {id: 'reset-form'},
    field('E-mail', 'email', {type: 'email', required: true, autocomplete: 'email', value: params.get('email') ?? ''}),
    h('div', {class: 'field'}, h('label', {for: 'f-code'}, 'Reset code'), codeInput),
    ...passwordFields('newPassword', 'New password'),
    h('button', {type: 'submit', class: 'primary'}, 'Reset password'));
  onSubmit(form, async (_event, status) => {
    const values = formValues(form);
    if (!checkRepeat(values, 'newPassword', status)) return;
    await ctx.api.request('POST', '/auth/reset-password',
      {body: {email: values.email, code: values.code, newPassword: values.newPassword}});
    ctx.flash('success', 'Your password has been reset. Log in with the new one.');
    ctx.navigate('/login', {email: values.email});
  }, {onError: (error) => (error.code === 'ExpiredCode'
    ? [h('a', {class: 'button secondary', href: `#/forgot?email=${encodeURIComponent(form.elements.email.value.trim())}`}, 'Send a new code')]
    : [])});
  replace(root, heading('Reset your password'), form,
    outboxPanel(ctx, () => form.elements.email.value.trim(), codeInput));
}
