// The web client in a real browser (Debian's Chromium, headless, through playwright-core) against a
// running local stack:
//
//   API_BASE_URL=http://localhost:3000 LOCAL_ADMIN_EMAIL=… LOCAL_ADMIN_PASSWORD=… node --test test/browser/
//
// scripts/browser-tests.sh starts a stack and sets these. The client is opened at API_BASE_URL/app/;
// WEB_STATIC_PORT (a port whose origin http://127.0.0.1:<port> is in the stack's AllowedOrigins)
// adds a cross-origin run from a static server, and is also used for the whole flow if the stack
// does not serve /app/. Screenshots go to test-results/screenshots/.
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import jsQR from 'jsqr';
import {TestApi} from '../support/api.mjs';
import {launchChromium, newPage, screenshot} from '../support/browser.mjs';
import {decodePng} from '../support/png.mjs';
import {startStaticServer} from '../support/static-server.mjs';
import {freshTotp} from '../support/totp.mjs';

const API_BASE_URL = process.env.API_BASE_URL?.replace(/\/+$/, '');
const ADMIN_EMAIL = process.env.LOCAL_ADMIN_EMAIL ?? 'admin@example.com';
const ADMIN_PASSWORD = process.env.LOCAL_ADMIN_PASSWORD;
const STATIC_PORT = process.env.WEB_STATIC_PORT ? Number(process.env.WEB_STATIC_PORT) : null;
const SKIP = !API_BASE_URL ? 'API_BASE_URL is not set (scripts/browser-tests.sh starts a local stack and sets it)'
  : !ADMIN_PASSWORD ? 'LOCAL_ADMIN_PASSWORD is not set (the seeded administrator\'s password)' : false;

const PASSWORD = 'Correct-Horse-42!';
const NEW_PASSWORD = 'Battery-Staple-43?';
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const ada = {email: `ada-${run}@example.com`, name: 'Ada'};
const bob = {email: `bob-${run}@example.com`, name: 'Bob'};
const cleo = {email: `cleo-${run}@example.com`};

let browser;
let staticServer;
let appUrl;
const pages = [];

async function servedApp(base) {
  try {
    const response = await fetch(`${base}/app/`);
    return response.ok && /text\/html/.test(response.headers.get('Content-Type') ?? '');
  } catch {
    return false;
  }
}

async function open(name, hash = '') {
  const page = await newPage(browser, {name});
  pages.push(page);
  await page.goto(`${appUrl}${hash}`);
  await page.waitForSelector('body[data-ready=true]');
  return page;
}

const view = (page, route) => page.waitForSelector(`.view[data-route="${route}"] h1`);
/** Waits for the flash message (shown after a navigation) to match `pattern`: an old one may still be up. */
async function expectFlash(page, pattern) {
  await page.waitForFunction((source) => new RegExp(source).test(document.querySelector('#flash')?.textContent ?? ''),
    pattern.source);
}
const errorCode = async (page, scope = '') => (await page.waitForSelector(`${scope} .alert.error`.trim())).getAttribute('data-code');
const dd = async (page, name) => (await page.waitForSelector(`dd[data-field="${name}"]`)).textContent();

async function login(page, email, password) {
  await page.goto(`${appUrl}#/login`);
  await view(page, '/login');
  await page.fill('#f-email', email);
  await page.fill('#f-password', password);
  await page.click('#login-form button[type=submit]');
}

describe('the web client in Chromium', {skip: SKIP}, () => {
  before(async () => {
    if (STATIC_PORT) staticServer = await startStaticServer({apiUrl: API_BASE_URL, port: STATIC_PORT});
    if (await servedApp(API_BASE_URL)) appUrl = `${API_BASE_URL}/app/`;
    else if (staticServer) appUrl = `${staticServer.origin}/`;
    else throw new Error(`${API_BASE_URL}/app/ does not serve the client; set WEB_STATIC_PORT to serve it from a static server`);
    console.log(`# client at ${appUrl}, API at ${API_BASE_URL}`);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await staticServer?.close();
  });

  describe('against the local stack', flow);
  describe('served from another origin (CORS)', {skip: !STATIC_PORT && 'WEB_STATIC_PORT is not set'}, crossOrigin);
});

function flow() {
  const api = new TestApi(API_BASE_URL ?? 'http://invalid');
  const usedTotpSteps = new Set();
  let adaPage;
  let adminPage;
  let cleoPage;
  let totpSecret;

  it('signs up a new user, showing the password policy error first', async () => {
    adaPage = await open('ada', '#/signup');
    const page = adaPage;
    await view(page, '/signup');
    await page.fill('#f-email', ada.email);
    await page.fill('#f-name', ada.name);
    await page.fill('#f-password', 'short');
    await page.fill('#f-passwordRepeat', 'short');
    await page.click('#signup-form button[type=submit]');
    assert.equal(await errorCode(page, '#signup-form'), 'InvalidPassword');
    await screenshot(page, '01-sign-up-invalid-password');

    await page.fill('#f-password', PASSWORD);
    await page.fill('#f-passwordRepeat', PASSWORD);
    await page.click('#signup-form button[type=submit]');
    await view(page, '/confirm');
    await expectFlash(page, /confirmation code is on its way/);
    assert.equal(await page.inputValue('#f-email'), ada.email);
  });

  it('confirms with the code from the local outbox', async () => {
    const page = adaPage;
    const code = await api.outboxCode(ada.email, 'SIGN_UP');
    await page.click('#show-outbox');
    assert.equal(await (await page.waitForSelector('.outbox-code')).textContent(), code);
    await page.click('.use-code');
    assert.equal(await page.inputValue('#f-code'), code);
    // the password is set with the code (whoever holds the mailbox chooses it)
    await page.fill('#f-password', PASSWORD);
    await page.fill('#f-passwordRepeat', PASSWORD);
    await screenshot(page, '02-confirm-with-outbox');
    await page.click('#confirm-form button[type=submit]');
    await view(page, '/profile');
    await expectFlash(page, /confirmed/);
    assert.equal(await dd(page, 'email'), ada.email, 'confirming signs in, as a login does');
    await page.click('#logout');
    await view(page, '/login');
  });

  it('logs in, after telling a wrong password apart', async () => {
    const page = adaPage;
    await page.fill('#f-email', ada.email);
    await page.fill('#f-password', 'Wrong-Password-1!');
    await page.click('#login-form button[type=submit]');
    assert.equal(await errorCode(page, '#login-form'), 'InvalidCredentials');
    await screenshot(page, '03-login-invalid-credentials');
    await page.fill('#f-password', PASSWORD);
    await page.click('#login-form button[type=submit]');
    await view(page, '/profile');
    assert.equal(await dd(page, 'email'), ada.email);
    assert.equal(await dd(page, 'roles'), 'user');
    assert.equal(await page.locator('nav a[href="#/admin/users"]').count(), 0, 'no admin link for a user');
  });

  it('edits the profile, and shows the API\'s validation message', async () => {
    const page = adaPage;
    await page.fill('#f-name', 'Ada Lovelace');
    await page.fill('#f-locale', 'en-GB');
    await page.click('#profile-form button[type=submit]');
    await expectFlash(page, /saved/);
    assert.equal(await dd(page, 'name'), 'Ada Lovelace');
    assert.equal(await dd(page, 'locale'), 'en-GB');
    await screenshot(page, '04-profile');

    await page.fill('#f-phoneNumber', '12345');
    await page.click('#profile-form button[type=submit]');
    assert.equal(await errorCode(page, '#profile-form'), 'InvalidRequest');
    assert.match(await page.textContent('#profile-form .alert.error'), /phoneNumber/);
  });

  it('shows a 412 conflict when the profile changed elsewhere, and reloads it', async () => {
    const page = adaPage;
    await page.click('nav a[href="#/profile"]');
    await view(page, '/profile');
    const elsewhere = await api.login(ada.email, PASSWORD);
    const patched = await api.call('PATCH', '/me', {token: elsewhere.body.accessToken, body: {name: 'Changed elsewhere'}});
    assert.equal(patched.status, 200);
    await api.call('POST', '/auth/logout', {body: {refreshToken: elsewhere.body.refreshToken}});

    await page.fill('#f-name', 'My edit');
    await page.click('#profile-form button[type=submit]');
    assert.equal(await errorCode(page, '#profile-form'), 'PreconditionFailed');
    await screenshot(page, '05-profile-conflict');
    await page.click('#reload-profile');
    await page.waitForFunction(() => document.querySelector('dd[data-field="name"]')?.textContent === 'Changed elsewhere');
  });

  it('keeps tokens out of localStorage and cookies, and the session across a reload', async () => {
    const page = adaPage;
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    assert.deepEqual(await page.context().cookies(), []);
    const refresh = page.waitForResponse((r) => r.url().endsWith('/auth/refresh'));
    await page.reload();
    assert.equal((await refresh).status(), 200);
    await view(page, '/profile');
    assert.equal(await dd(page, 'email'), ada.email);
  });

  it('refreshes the access token before it expires', async () => {
    const page = adaPage;
    // Let the page believe the token is about to expire: its refresh timer (or the check before a
    // request) asks /auth/refresh, and the next call works with the new token.
    await page.clock.install();
    const restored = page.waitForResponse((r) => r.url().endsWith('/auth/refresh'));
    await page.reload();
    const {expiresIn} = await (await restored).json();
    await view(page, '/profile');
    const refresh = page.waitForResponse((r) => r.url().endsWith('/auth/refresh'));
    await page.clock.fastForward(expiresIn * 1000 - 45_000); // past the timer (60 s early), before expiry
    assert.equal((await refresh).status(), 200);
    await page.click('nav a[href="#/sessions"]');
    await page.waitForSelector('#sessions-table tbody tr');
    await screenshot(page, '06-sessions');
  });

  it('the seeded admin finds the user by e-mail prefix and promotes them', async () => {
    adminPage = await open('admin');
    const page = adminPage;
    await login(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await view(page, '/profile');
    assert.match(await dd(page, 'roles'), /admin/);
    await page.click('nav a[href="#/admin/users"]');
    await page.waitForSelector('#users-table');
    await page.fill('#f-email', `ada-${run}`);
    await page.click('#users-filter button[type=submit]');
    await page.waitForFunction((email) => {
      const rows = [...document.querySelectorAll('#users-table tbody tr')];
      return rows.length === 1 && rows[0].dataset.email === email;
    }, ada.email);
    await screenshot(page, '07-admin-users');
    await page.click(`#users-table tr[data-email="${ada.email}"] a`);
    await page.waitForSelector('#roles-form');
    await page.check('#role-admin');
    await page.click('#roles-form button[type=submit]');
    await expectFlash(page, /Roles saved/);
    assert.equal(await dd(page, 'roles'), 'admin, user');
    await page.waitForSelector('#audit-table tbody tr');
    await screenshot(page, '08-admin-user-promoted');
  });

  it('the promoted user\'s next request refreshes once after the 401 and shows the admin screens', async () => {
    const page = adaPage;
    // A token issued in the same second as a revocation counts as older (README, "How authorization
    // and revocation work"): a refresh within that second would be refused too, so let it pass.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // The role change revoked the tokens issued before it: the client refreshes and retries.
    const before = page.apiRequests.length;
    await page.click('nav a[href="#/profile"]');
    await view(page, '/profile');
    assert.equal(await dd(page, 'roles'), 'admin, user');
    assert.ok(page.apiRequests.slice(before).includes('POST /auth/refresh'), page.apiRequests.slice(before).join(', '));
    await page.waitForSelector('nav a[href="#/admin/users"]');
  });

  it('enables TOTP with a QR code that scans to the otpauth URI', async () => {
    const page = adaPage;
    await page.click('nav a[href="#/security"]');
    await view(page, '/security');
    await page.click('#enable-mfa');
    const qr = await page.waitForSelector('#totp-qr svg');
    totpSecret = (await page.textContent('#totp-secret')).trim();
    await screenshot(page, '09-totp-setup');

    const image = decodePng(await qr.screenshot());
    const decoded = jsQR(image.data, image.width, image.height);
    assert.ok(decoded, 'the QR code on the screen is readable');
    assert.match(decoded.data, /^otpauth:\/\/totp\//);
    assert.equal(new URL(decoded.data).searchParams.get('secret'), totpSecret);

    await page.fill('#f-code', await freshTotp(totpSecret, usedTotpSteps));
    await page.click('#totp-verify-form button[type=submit]');
    await expectFlash(page, /Two-step verification is on/);
    assert.match(await page.textContent('#mfa-state'), /^On/);
  });

  it('logs out, and logs in again with a TOTP code', async () => {
    const page = adaPage;
    await page.click('#logout');
    await view(page, '/login');
    await expectFlash(page, /logged out/);
    assert.equal(await page.evaluate(() => sessionStorage.length), 1, 'only the e-mail is left in sessionStorage');

    await page.fill('#f-email', ada.email);
    await page.fill('#f-password', PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#mfa-form');
    await screenshot(page, '10-login-totp');
    const code = await freshTotp(totpSecret, usedTotpSteps); // may wait for the next 30 s step
    const loginResponse = page.waitForResponse((r) => r.url().endsWith('/auth/login/mfa'));
    await page.fill('#f-code', code);
    await page.click('#mfa-form button[type=submit]');
    assert.equal((await loginResponse).status(), 200);
    await view(page, '/profile');
    assert.equal(await dd(page, 'mfaEnabled'), 'On (authenticator app)');
  });

  it('changes the password, and adopts the fresh sign-in (its TOTP step)', async () => {
    const page = adaPage;
    await page.click('nav a[href="#/security"]');
    await view(page, '/security');
    await page.fill('#f-currentPassword', 'Not-My-Password-1!');
    await page.fill('#f-newPassword', NEW_PASSWORD);
    await page.fill('#f-newPasswordRepeat', NEW_PASSWORD);
    await page.click('#password-form button[type=submit]');
    assert.equal(await errorCode(page, '#password-form'), 'InvalidCredentials');
    await page.fill('#f-currentPassword', PASSWORD);
    await page.click('#password-form button[type=submit]');
    // every session ended; TOTP is on, so signing in with the new password asks for a code
    await page.waitForSelector('#mfa-form');
    await page.fill('#f-code', await freshTotp(totpSecret, usedTotpSteps));
    await page.click('#mfa-form button[type=submit]');
    await view(page, '/profile');
    assert.equal(await dd(page, 'email'), ada.email, 'the fresh tokens are adopted');
    assert.equal((await api.login(ada.email, NEW_PASSWORD)).status, 200, 'the new password works');
  });

  it('asks for the password and code when the API wants a recent sign-in, then retries', async () => {
    const page = adaPage;
    await page.click('nav a[href="#/security"]');
    await view(page, '/security');
    // The stack's window (ReauthWindowSeconds) is minutes long: the API's answer for an older sign-in is
    // given once here, so the client's handling of it is what this test shows.
    let refused = 0;
    await page.route('**/me/mfa', (route) => {
      if (route.request().method() !== 'DELETE' || refused++ > 0) return route.continue();
      return route.fulfill({status: 403, contentType: 'application/problem+json',
        headers: {'Access-Control-Allow-Origin': '*'},
        body: JSON.stringify({type: 'https://userapi.dev/problems/reauthentication-required', title: 'A recent sign-in is required',
          status: 403, detail: 'This needs a recent sign-in.', code: 'ReauthenticationRequired', requestId: 'test'})});
    });
    await page.click('#disable-mfa');
    await page.waitForSelector('#reauth-form');
    await screenshot(page, '11-reauthenticate');
    await page.fill('#reauth-form #f-password', NEW_PASSWORD);
    await page.fill('#reauth-form #f-code', await freshTotp(totpSecret, usedTotpSteps));
    const renewed = page.waitForResponse((r) => r.url().endsWith('/auth/reauthenticate'));
    await page.click('#reauth-form button[type=submit]');
    assert.equal((await renewed).status(), 200);
    await expectFlash(page, /Two-step verification is off/);
    assert.match(await page.textContent('#mfa-state'), /^Off/);
    assert.equal(refused, 2, 'refused once, then retried');
    await page.unroute('**/me/mfa');
  });

  it('the admin disables another user, who can no longer log in', async () => {
    await api.createConfirmedUser(bob.email, PASSWORD, bob.name);
    const page = adminPage;
    await page.click('nav a[href="#/admin/users"]');
    await page.waitForSelector('#users-table');
    await page.fill('#f-email', bob.email);
    await page.click('#users-filter button[type=submit]');
    await page.click(`#users-table tr[data-email="${bob.email}"] a`);
    await page.waitForSelector('#disable-user');
    await page.click('#disable-user');
    await expectFlash(page, /disabled/);
    assert.equal(await dd(page, 'status'), 'DISABLED');
    await page.waitForSelector('#enable-user');
    await screenshot(page, '11-admin-user-disabled');
    const attempt = await api.login(bob.email, PASSWORD);
    assert.notEqual(attempt.status, 200, `a disabled user cannot log in: ${JSON.stringify(attempt.body)}`);
  });

  it('the admin enables that user again, then deletes them', async () => {
    const page = adminPage;
    await page.click('#enable-user');
    await expectFlash(page, /enabled/);
    assert.equal(await dd(page, 'status'), 'ENABLED');
    await page.click('#delete-user');
    await page.waitForSelector('#users-table, .view[data-route="/admin/users"] .alert.info');
    await expectFlash(page, /deleted/);
    assert.equal(await api.login(bob.email, PASSWORD).then((r) => r.status), 401);
  });

  it('a session the admin ends returns the user to the login screen with a message', async () => {
    const page = adminPage;
    await page.click('nav a[href="#/admin/users"]');
    await page.fill('#f-email', ada.email);
    await page.click('#users-filter button[type=submit]');
    await page.click(`#users-table tr[data-email="${ada.email}"] a`);
    await page.click('#sign-out-user');
    await page.waitForSelector('#user-actions-status .alert.success');

    await adaPage.click('nav a[href="#/sessions"]');
    await view(adaPage, '/login');
    await expectFlash(adaPage, /session was ended|session has ended/);
    await screenshot(adaPage, '12-session-ended');
  });

  it('an account created by the admin sets its own password at first login (NEW_PASSWORD_REQUIRED)', async () => {
    const page = adminPage;
    const since = Date.now();
    await page.click('nav a[href="#/admin/users"]');
    await page.fill('#f-new-email', cleo.email);
    await page.click('#create-user-form button[type=submit]');
    await page.waitForSelector('#roles-form');
    assert.equal(await dd(page, 'email'), cleo.email);
    const temporary = await api.outboxCode(cleo.email, 'TEMPORARY_PASSWORD', since);

    cleoPage = await open('cleo');
    await login(cleoPage, cleo.email, temporary);
    await cleoPage.waitForSelector('#new-password-form');
    await cleoPage.fill('#f-newPassword', PASSWORD);
    await cleoPage.fill('#f-newPasswordRepeat', PASSWORD);
    await screenshot(cleoPage, '13-new-password-required');
    await cleoPage.click('#new-password-form button[type=submit]');
    await view(cleoPage, '/profile');
    assert.equal(await dd(cleoPage, 'email'), cleo.email);
  });

  it('a session started by answering a challenge survives a reload (refresh)', async () => {
    const refresh = cleoPage.waitForResponse((r) => r.url().endsWith('/auth/refresh'));
    await cleoPage.reload();
    assert.equal((await refresh).status(), 200);
    await view(cleoPage, '/profile');
  });

  it('a forgotten password is reset with the code from the outbox', async () => {
    const page = cleoPage;
    if (await page.locator('#logout').count()) {
      await page.click('#logout');
      await view(page, '/login');
    }
    await page.goto(`${appUrl}#/login`);
    await view(page, '/login');
    await page.click('a[href="#/forgot"]');
    await view(page, '/forgot');
    await page.fill('#f-email', cleo.email);
    const since = Date.now();
    await page.click('#forgot-form button[type=submit]');
    await view(page, '/reset');
    const code = await api.outboxCode(cleo.email, 'FORGOT_PASSWORD', since);
    const wrong = code.replace(/.$/, (digit) => String((Number(digit) + 1) % 10));
    await page.fill('#f-code', wrong);
    await page.fill('#f-newPassword', NEW_PASSWORD);
    await page.fill('#f-newPasswordRepeat', NEW_PASSWORD);
    await page.click('#reset-form button[type=submit]');
    assert.equal(await errorCode(page, '#reset-form'), 'CodeMismatch');
    await page.fill('#f-code', code);
    await screenshot(page, '15-reset-password');
    await page.click('#reset-form button[type=submit]');
    await view(page, '/login');
    await expectFlash(page, /password has been reset/);
    await page.fill('#f-password', NEW_PASSWORD);
    await page.click('#login-form button[type=submit]');
    await view(page, '/profile');
  });

  it('signs in with the hosted page (the user pool hosted UI) and comes back signed in', async () => {
    const dora = {email: `dora-${run}@example.com`};
    await api.createConfirmedUser(dora.email, PASSWORD, 'Dora');
    const page = await open('hosted', '#/login');
    await view(page, '/login');
    await page.click('#hosted-sign-in');
    await page.waitForSelector('input[name=username]');
    await screenshot(page, '16-hosted-page');
    await page.fill('input[name=username]', dora.email);
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(/\/app\/#\//), page.click('button[type=submit], input[type=submit]')]);
    await page.waitForSelector('body[data-ready=true]');
    await view(page, '/profile');
    assert.equal(new URL(page.url()).hash.includes('access_token'), false, 'the tokens are gone from the address bar');
    assert.ok(await page.evaluate(() => Object.values(sessionStorage).length > 0), 'the session can survive a reload');
    assert.match(await page.textContent('main'), new RegExp(dora.email.replace(/[.]/g, '\\.')));
  });

  it('ignores a sign-in fragment this tab did not ask for (login CSRF)', async () => {
    // The attacker's own, perfectly valid tokens, in a link they get the victim to open.
    const mallory = {email: `mallory-${run}@example.com`};
    await api.createConfirmedUser(mallory.email, PASSWORD, 'Mallory');
    const {status, body: tokens} = await api.login(mallory.email, PASSWORD);
    assert.equal(status, 200);
    const fragment = new URLSearchParams({access_token: tokens.accessToken, id_token: tokens.idToken,
      refresh_token: tokens.refreshToken, expires_in: String(tokens.expiresIn), token_type: 'Bearer'});
    for (const [name, link] of [['no state', `#${fragment}`], ['a guessed state', `#${fragment}&state=${'A'.repeat(43)}`]]) {
      const page = await open(`login-csrf-${name.replace(/ /g, '-')}`, link);
      await view(page, '/login');
      await expectFlash(page, /did not start was ignored/);
      assert.equal(new URL(page.url()).hash.includes('access_token'), false, `${name}: the tokens are gone from the address bar`);
      assert.equal(await page.evaluate(() => sessionStorage.getItem('userapi.refreshToken')), null, `${name}: no session`);
      assert.doesNotMatch(await page.textContent('nav'), /mallory/, name);
      if (name === 'no state') await screenshot(page, '17-login-csrf-refused');
    }
  });

  it('caused no page errors, console errors or CSP violations', () => {
    assert.deepEqual(pages.flatMap((p) => p.problems), []);
  });
}

function crossOrigin() {
  it('logs in and lists users cross-origin', async () => {
    const page = await newPage(browser, {name: 'cross-origin'});
    await page.goto(`http://127.0.0.1:${STATIC_PORT}/#/login`);
    await page.waitForSelector('body[data-ready=true]');
    assert.notEqual(new URL(page.url()).origin, new URL(API_BASE_URL).origin);
    await page.fill('#f-email', ADMIN_EMAIL);
    await page.fill('#f-password', ADMIN_PASSWORD);
    await page.click('#login-form button[type=submit]');
    await view(page, '/profile');
    await page.click('nav a[href="#/admin/users"]');
    await page.waitForSelector('#users-table tbody tr');
    await screenshot(page, '14-cross-origin-users');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
}
