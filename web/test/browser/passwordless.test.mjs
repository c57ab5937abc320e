// Passwordless sign-in in Chromium against the local stack (see client.test.mjs for how to run):
// passkeys through Chromium's virtual authenticator (DevTools protocol WebAuthn.*): one is added on
// the security screen (named like an XSS attempt, after the re-authentication the API can ask for),
// the user signs out and back in with it (with the browser's JSON helpers removed, so the client's
// own conversion is used), then removes it; and the e-mail code sign-in, with the code
// from the local outbox, and its refusal for an account that uses an authenticator app. The page is
// the client the stack serves at http://localhost:<port>/app/: the relying-party id is localhost.
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {TestApi} from '../support/api.mjs';
import {launchChromium, newPage, screenshot} from '../support/browser.mjs';
import {freshTotp} from '../support/totp.mjs';

const API_BASE_URL = process.env.API_BASE_URL?.replace(/\/+$/, '');
const SKIP = !API_BASE_URL ? 'API_BASE_URL is not set (scripts/browser-tests.sh starts a local stack and sets it)' : false;

const PASSWORD = 'Correct-Horse-42!';
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const pia = {email: `pia-${run}@example.com`, name: 'Pia Passkey'};
const olaf = {email: `olaf-${run}@example.com`, name: 'Olaf Otp'};
const tom = {email: `tom-${run}@example.com`, name: 'Tom Totp'};
const XSS_NAME = '<img src=x onerror="window.__xss=1">';

let browser;
let appUrl;
const pages = [];

const view = (page, route) => page.waitForSelector(`.view[data-route="${route}"] h1`);
const text = async (page, selector) => (await page.waitForSelector(selector)).textContent();

async function open(name, hash = '') {
  const page = await newPage(browser, {name});
  pages.push(page);
  await page.goto(`${appUrl}${hash}`);
  await page.waitForSelector('body[data-ready=true]');
  return page;
}

describe('passwordless sign-in in Chromium', {skip: SKIP}, () => {
  const api = new TestApi(API_BASE_URL ?? 'http://invalid');

  before(async () => {
    appUrl = `${API_BASE_URL}/app/`;
    const served = await fetch(appUrl).then((r) => r.ok).catch(() => false);
    assert.ok(served, `the stack serves the client at ${appUrl} (passkeys need the localhost origin)`);
    assert.equal(new URL(appUrl).hostname, 'localhost', 'the relying-party id of the local stack is localhost');
    browser = await launchChromium();
    for (const u of [pia, olaf, tom]) await api.createConfirmedUser(u.email, PASSWORD, u.name);
  });

  after(async () => {
    const problems = pages.flatMap((p) => p.problems);
    await browser?.close();
    assert.deepEqual(problems, [], 'no page error, console error or CSP violation');
  });

  describe('passkeys', () => {
    let page;
    let cdp;
    let authenticatorId;
    let credentialId;

    const credentials = async () => (await cdp.send('WebAuthn.getCredentials', {authenticatorId})).credentials;

    before(async () => {
      page = await open('pia', '#/login');
      cdp = await page.context().newCDPSession(page);
      await cdp.send('WebAuthn.enable', {enableUI: false});
      ({authenticatorId} = await cdp.send('WebAuthn.addVirtualAuthenticator', {options: {protocol: 'ctap2',
        transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true,
        automaticPresenceSimulation: true}}));
    });

    it('adds a passkey on the security screen, after the re-authentication the API asks for, its name shown as text', async () => {
      await view(page, '/login');
      await page.fill('#f-email', pia.email);
      await page.fill('#f-password', PASSWORD);
      await page.click('#login-form button[type=submit]');
      await view(page, '/profile');
      await page.click('nav a[href="#/security"]');
      await view(page, '/security');
      assert.match(await text(page, '#passkeys-section'), /No passkeys yet/);

      // The stack's window (ReauthWindowSeconds) is minutes long: the API's answer for an older sign-in
      // is given once here (as client.test.mjs does for DELETE /me/mfa), so the client's handling shows.
      let refused = 0;
      await page.route('**/me/passkeys/options', (route) => {
        if (refused++ > 0) return route.continue();
        return route.fulfill({status: 403, contentType: 'application/problem+json',
          headers: {'Access-Control-Allow-Origin': '*'},
          body: JSON.stringify({type: 'https://userapi.dev/problems/reauthentication-required',
            title: 'A recent sign-in is required', status: 403, detail: 'This needs a recent sign-in.',
            code: 'ReauthenticationRequired', requestId: 'test'})});
      });
      await page.fill('#f-passkey-name', XSS_NAME);
      await page.click('#add-passkey-form button[type=submit]');
      await page.waitForSelector('#passkeys-reauth #reauth-form');
      await page.fill('#reauth-form #f-password', PASSWORD);
      const renewed = page.waitForResponse((r) => r.url().endsWith('/auth/reauthenticate'));
      const registered = page.waitForResponse((r) => r.url().endsWith('/me/passkeys') && r.request().method() === 'POST');
      await page.click('#reauth-form button[type=submit]');
      assert.equal((await renewed).status(), 200);
      const answer = await registered;
      assert.equal(answer.status(), 201, await answer.text());
      await page.unroute('**/me/passkeys/options');
      assert.equal(refused, 2, 'refused once, then retried');

      await page.waitForSelector('#passkeys-table');
      const stored = await credentials();
      assert.equal(stored.length, 1, 'the virtual authenticator holds the new passkey');
      assert.equal(stored[0].rpId, 'localhost');
      credentialId = (await answer.json()).id;
      assert.equal(credentialId, stored[0].credentialId.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
        'the API keeps the credential the authenticator created');
      const rows = page.locator('#passkeys-table tbody tr');
      assert.equal(await rows.count(), 1);
      assert.equal(await rows.first().getAttribute('data-passkey-id'), credentialId);
      assert.match(await rows.first().locator('.passkey-last-used').textContent(), /never/);
      assert.equal(await text(page, '#passkeys-status'), `The passkey "${XSS_NAME}" has been added.`, 'the name is text');
      assert.equal(await page.locator('img').count(), 0, 'no element was made from the name');
      assert.equal(await page.evaluate(() => window.__xss), undefined);
      await screenshot(page, '30-passkey-added');
    });

    it('signs out and signs in again with the passkey alone (the manual JSON conversion, as in older browsers)', async () => {
      await page.click('#logout');
      await view(page, '/login');
      // Registration above used Chromium's parseCreationOptionsFromJSON and toJSON(); without them the
      // client converts by hand (src/webauthn.js), and the API's real verification must accept that too.
      await page.addInitScript(() => {
        delete PublicKeyCredential.parseRequestOptionsFromJSON;
        delete PublicKeyCredential.parseCreationOptionsFromJSON;
        delete PublicKeyCredential.prototype.toJSON;
      });
      await page.reload();
      await view(page, '/login');
      assert.deepEqual(await page.evaluate(() => [typeof PublicKeyCredential.parseRequestOptionsFromJSON,
        typeof PublicKeyCredential.prototype.toJSON]), ['undefined', 'undefined']);
      await page.fill('#f-email', pia.email);
      await page.fill('#f-password', '');
      const signedIn = page.waitForResponse((r) => r.url().endsWith('/auth/passkey'));
      await page.click('#passkey-sign-in');
      assert.equal((await signedIn).status(), 200);
      await view(page, '/profile');
      assert.equal(await text(page, '#who'), pia.email);
      assert.ok((await credentials())[0].signCount >= 1, 'the authenticator signed an assertion');
      await screenshot(page, '31-passkey-signed-in');
    });

    it('removes the passkey, which then no longer signs in', async () => {
      await page.click('nav a[href="#/security"]');
      await view(page, '/security');
      await page.click(`#passkeys-table tr[data-passkey-id="${credentialId}"] .remove-passkey`);
      await page.waitForSelector('#passkeys-section .alert.info');
      assert.equal(await page.locator('#passkeys-table').count(), 0);
      assert.match(await text(page, '#passkeys-status'), /has been removed/);

      await page.click('#logout');
      await view(page, '/login');
      await page.fill('#f-email', pia.email);
      // The authenticator still holds the key, but the API offers only ids it does not know (as for any
      // address without a passkey), so the browser finds no passkey to use.
      await page.click('#passkey-sign-in');
      const alert = await page.waitForSelector('#passwordless-status .alert.error');
      assert.equal(await alert.getAttribute('data-code'), 'PasskeyNotAllowedError');
      assert.match(await alert.textContent(), /no passkey for this account/);
      assert.equal(await page.locator('#who').count(), 0, 'still signed out');
      await screenshot(page, '32-passkey-removed');
    });
  });

  describe('e-mail codes', () => {
    it('signs in with the code e-mailed to the address', async () => {
      const page = await open('olaf', '#/login');
      await view(page, '/login');
      await page.fill('#f-email', olaf.email);
      await page.click('#email-code-sign-in');
      await view(page, '/login/email-code');
      assert.equal(await page.inputValue('#email-code-form #f-email'), olaf.email, 'the address comes along');
      const since = Date.now();
      await page.click('#email-code-form button[type=submit]');
      await page.waitForSelector('#email-code-verify-form');
      await page.fill('#f-email-otp', await api.outboxCode(olaf.email, 'EMAIL_OTP', since));
      await page.click('#email-code-verify-form button[type=submit]');
      await view(page, '/profile');
      assert.equal(await text(page, '#who'), olaf.email);
      await screenshot(page, '33-email-code-signed-in');
    });

    it('tells an account with an authenticator app to sign in with its password', async () => {
      const login = await api.login(tom.email, PASSWORD);
      const token = login.body.accessToken;
      const setup = await api.call('POST', '/me/mfa/totp', {token});
      const verified = await api.call('POST', '/me/mfa/totp/verify', {token, body: {code: await freshTotp(setup.body.secretCode)}});
      assert.equal(verified.status, 204, JSON.stringify(verified.body));

      const page = await open('tom', `#/login/email-code?email=${encodeURIComponent(tom.email)}`);
      await view(page, '/login/email-code');
      const since = Date.now();
      await page.click('#email-code-form button[type=submit]');
      await page.waitForSelector('#email-code-verify-form');
      await page.fill('#f-email-otp', await api.outboxCode(tom.email, 'EMAIL_OTP', since));
      await page.click('#email-code-verify-form button[type=submit]');
      const alert = await page.waitForSelector('#email-code-verify-form .alert.error');
      assert.equal(await alert.getAttribute('data-code'), 'MfaRequired');
      assert.match(await alert.textContent(), /uses an authenticator app; sign in with your password/);
      await page.click('#email-code-verify-form a[href^="#/login?email="]');
      await view(page, '/login');
      assert.equal(await page.inputValue('#f-email'), tom.email);
      assert.equal(await page.locator('#who').count(), 0, 'not signed in');
      await screenshot(page, '34-email-code-mfa-required');
    });
  });
});
