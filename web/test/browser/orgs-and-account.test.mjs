// Organizations and the account center in Chromium against the local stack (see client.test.mjs for
// how to run): an owner creates an organization (named like an XSS attempt, then renamed), invites
// by e-mail; the invitee follows the e-mailed link signed out, logs in and accepts; refusals (403,
// 410) are shown; roles change, a member is removed, the switcher remembers the active organization,
// an organization is deleted. Then an e-mail change with the code, ending one other session (its
// refresh then fails), and the security activity, the user's own and on the admin's user page.
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {TestApi} from '../support/api.mjs';
import {launchChromium, newPage, screenshot} from '../support/browser.mjs';
import {startStaticServer} from '../support/static-server.mjs';

const API_BASE_URL = process.env.API_BASE_URL?.replace(/\/+$/, '');
const ADMIN_EMAIL = process.env.LOCAL_ADMIN_EMAIL ?? 'admin@example.com';
const ADMIN_PASSWORD = process.env.LOCAL_ADMIN_PASSWORD;
const STATIC_PORT = process.env.WEB_STATIC_PORT ? Number(process.env.WEB_STATIC_PORT) : null;
const SKIP = !API_BASE_URL ? 'API_BASE_URL is not set (scripts/browser-tests.sh starts a local stack and sets it)'
  : !ADMIN_PASSWORD ? 'LOCAL_ADMIN_PASSWORD is not set (the seeded administrator\'s password)' : false;

const PASSWORD = 'Correct-Horse-42!';
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const olga = {email: `olga-${run}@example.com`, name: 'Olga Owner'};
const ivan = {email: `ivan-${run}@example.com`, name: 'Ivan Invitee'};
const zoe = {email: `zoe-${run}@example.com`, name: 'Zoe'};
const eve = {email: `eve-${run}@example.com`, name: 'Eve', newEmail: `eve-new-${run}@example.com`};
const XSS_NAME = '<img src=x onerror="window.__xss=1">';

let browser;
let staticServer;
let appUrl;
const pages = [];

async function open(name, hash = '') {
  const page = await newPage(browser, {name});
  pages.push(page);
  await page.goto(`${appUrl}${hash}`);
  await page.waitForSelector('body[data-ready=true]');
  return page;
}

const view = (page, route) => page.waitForSelector(`.view[data-route="${route}"] h1`);
async function expectFlash(page, pattern) {
  await page.waitForFunction((source) => new RegExp(source).test(document.querySelector('#flash')?.textContent ?? ''),
    pattern.source);
}
const text = async (page, selector) => (await page.waitForSelector(selector)).textContent();

async function login(page, email, password, route = '/profile') {
  await page.goto(`${appUrl}#/login`);
  await view(page, '/login');
  await page.fill('#f-email', email);
  await page.fill('#f-password', password);
  await page.click('#login-form button[type=submit]');
  await view(page, route);
}

describe('organizations and the account center in Chromium', {skip: SKIP}, () => {
  const api = new TestApi(API_BASE_URL ?? 'http://invalid');
  let olgaPage;
  let ivanPage;
  let orgId;
  let ivanId;

  before(async () => {
    if (STATIC_PORT) staticServer = await startStaticServer({apiUrl: API_BASE_URL, port: STATIC_PORT});
    const served = await fetch(`${API_BASE_URL}/app/`).then((r) => r.ok).catch(() => false);
    appUrl = served ? `${API_BASE_URL}/app/` : `${staticServer.origin}/`;
    browser = await launchChromium();
    for (const u of [olga, ivan, zoe, eve]) await api.createConfirmedUser(u.email, PASSWORD, u.name);
  });

  after(async () => {
    const problems = pages.flatMap((p) => p.problems);
    await browser?.close();
    await staticServer?.close();
    assert.deepEqual(problems, [], 'no page error, console error or CSP violation');
  });

  it('creates an organization whose name is an XSS attempt, shown as text only, and renames it', async () => {
    olgaPage = await open('olga');
    const page = olgaPage;
    await login(page, olga.email, PASSWORD);
    await page.click('nav a[href="#/orgs"]');
    await view(page, '/orgs');
    assert.match(await text(page, '#orgs-list'), /not a member of any organization/);
    await page.fill('#f-org-name', XSS_NAME);
    await page.click('#create-org-form button[type=submit]');
    await page.waitForSelector('.view[data-route^="/orgs/"] h1');
    await expectFlash(page, /Created/);
    orgId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]);
    assert.equal(await text(page, 'h1'), XSS_NAME, 'the name is text');
    assert.equal(await text(page, 'dd[data-field="org-role"]'), 'owner');
    assert.equal(await page.locator('#org-active').count(), 1, 'a new organization becomes the active one');
    assert.equal(await page.locator('img').count(), 0, 'no element was made from the name');
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.locator('#org-switcher option:checked').textContent(), XSS_NAME);
    await screenshot(page, '20-org-xss-name-as-text');

    await page.fill('#f-org-rename', `Acme ${run}`);
    await page.click('#rename-org-form button[type=submit]');
    await expectFlash(page, /Renamed/);
    assert.equal(await text(page, 'dd[data-field="org-name"]'), `Acme ${run}`);
    assert.equal(await page.locator('#org-switcher option:checked').textContent(), `Acme ${run}`);
  });

  it('invites by e-mail with a role, lists the invitations with their status and revokes one', async () => {
    const page = olgaPage;
    await page.click(`a[href="#/orgs/${orgId}/invitations"]`);
    await view(page, `/orgs/${orgId}/invitations`);
    await page.fill('#f-invite-email', ivan.email);
    await page.selectOption('#f-invite-role', 'member');
    await page.click('#invite-form button[type=submit]');
    await expectFlash(page, /Invitation sent/);
    for (const email of [zoe.email, `nobody-${run}@example.com`]) {
      await page.fill('#f-invite-email', email);
      await page.click('#invite-form button[type=submit]');
      await page.waitForSelector(`#invitations-table tr[data-email="${email}"]`);
    }
    const row = (email) => `#invitations-table tr[data-email="${email}"]`;
    assert.equal(await text(page, `${row(ivan.email)} .invitation-status`), 'PENDING');
    await page.click(`${row(`nobody-${run}@example.com`)} .revoke-invitation`);
    await expectFlash(page, /revoked/);
    assert.equal(await text(page, `${row(`nobody-${run}@example.com`)} .invitation-status`), 'REVOKED');
    assert.equal(await page.locator(`${row(`nobody-${run}@example.com`)} .revoke-invitation`).count(), 0);
    await screenshot(page, '21-invitations');
  });

  it('the invitee follows the e-mailed link signed out, logs in, comes back to it and accepts', async () => {
    const message = await api.outboxMessage(ivan.email, 'ORG_INVITATION');
    const link = message.text.match(/(http\S+#\/invitations\/accept\?token=(\S+))/);
    assert.ok(link, `the invitation e-mail carries a link to the web client: ${message.text}`);
    assert.equal(link[2], message.code, 'the link carries the e-mailed token');

    ivanPage = await newPage(browser, {name: 'ivan'});
    pages.push(ivanPage);
    const page = ivanPage;
    if (link[1].startsWith(appUrl)) {
      await page.goto(link[1]); // the link itself: the stack serves the client where the link points
    } else {
      assert.equal(new URL(link[1]).pathname, '/app/', 'the local stack links to the client it serves');
      await page.goto(`${appUrl}#/invitations/accept?token=${encodeURIComponent(message.code)}`);
    }
    await page.waitForSelector('body[data-ready=true]');
    await view(page, '/login');
    await expectFlash(page, /invitation to an organization/);
    assert.ok(!page.url().includes(message.code), 'the token left the address bar');
    await page.fill('#f-email', ivan.email);
    await page.fill('#f-password', PASSWORD);
    await page.click('#login-form button[type=submit]');
    await view(page, '/invitations/accept');
    assert.equal(await page.inputValue('#f-invitation-token'), message.code);
    await screenshot(page, '22-accept-invitation');
    await page.click('#accept-invitation-form button[type=submit]');
    await view(page, `/orgs/${orgId}`);
    await expectFlash(page, new RegExp(`joined Acme ${run} as member`));
    assert.equal(await text(page, 'dd[data-field="org-role"]'), 'member');
    assert.equal(await page.locator('#org-switcher option:checked').textContent(), `Acme ${run}`);
    assert.equal(await page.locator('#rename-org-form').count(), 0, 'a member cannot rename');
    ivanId = (await api.call('GET', '/me', {token: (await api.login(ivan.email, PASSWORD)).body.accessToken})).body.id;

    // the same token again: 410, shown as such
    await page.goto(`${appUrl}#/invitations/accept`);
    await view(page, '/invitations/accept');
    await page.fill('#f-invitation-token', link[1]);
    await page.click('#accept-invitation-form button[type=submit]');
    await page.waitForSelector('#accept-status .alert[data-status="410"]');
    assert.match(await text(page, '#accept-status'), /accepted already/);
  });

  it('refuses an invitation meant for another address (403) and a pasted non-token, saying why', async () => {
    const page = ivanPage;
    const zoeCode = await api.outboxCode(zoe.email, 'ORG_INVITATION');
    await page.fill('#f-invitation-token', zoeCode);
    await page.click('#accept-invitation-form button[type=submit]');
    await page.waitForSelector('#accept-status .alert[data-status="403"]');
    assert.match(await text(page, '#accept-status'), new RegExp(`another e-mail address.*${ivan.email}`));
    await page.fill('#f-invitation-token', 'not a token');
    await page.click('#accept-invitation-form button[type=submit]');
    await page.waitForFunction(() => /not an invitation link or code/.test(document.querySelector('#accept-status')?.textContent));
    await screenshot(page, '23-accept-refused');
  });

  it('the owner changes the member\'s role, and the member\'s screen follows at the next request', async () => {
    const page = olgaPage;
    await page.goto(`${appUrl}#/orgs/${orgId}/members`);
    await view(page, `/orgs/${orgId}/members`);
    const row = `#members-table tr[data-user-id="${ivanId}"]`;
    assert.equal(await text(page, `${row} .member-role`), 'member');
    assert.equal(await text(page, `#members-table tr[data-email="${olga.email}"] .member-role`), 'owner');
    await page.selectOption(`${row} .member-role-select`, 'admin');
    await page.click(`${row} .save-role`);
    await expectFlash(page, /is now admin/);
    assert.equal(await text(page, `${row} .member-role`), 'admin');
    await screenshot(page, '24-members');

    await ivanPage.goto(`${appUrl}#/orgs/${orgId}`);
    await ivanPage.reload();
    await view(ivanPage, `/orgs/${orgId}`);
    assert.equal(await text(ivanPage, 'dd[data-field="org-role"]'), 'admin');
    assert.equal(await ivanPage.locator('#rename-org-form').count(), 1, 'an admin may rename');
  });

  it('the last owner cannot leave (409 shown); the owner removes the member, who then gets 404', async () => {
    const page = olgaPage;
    await page.click(`#members-table tr[data-email="${olga.email}"] .leave-org`);
    const alert = await page.waitForSelector('#members-status .alert.error');
    assert.equal(await alert.getAttribute('data-code'), 'Conflict');

    await page.click(`#members-table tr[data-user-id="${ivanId}"] .remove-member`);
    await expectFlash(page, /has been removed/);
    await page.waitForSelector('#members-table');
    assert.equal(await page.locator(`#members-table tr[data-user-id="${ivanId}"]`).count(), 0);

    await ivanPage.reload();
    await view(ivanPage, `/orgs/${orgId}`);
    assert.equal(await (await ivanPage.waitForSelector('.alert.error')).getAttribute('data-code'), 'NotFound');
  });

  it('switches the active organization, remembered in this browser across a reload, and deletes one', async () => {
    const page = olgaPage;
    await page.goto(`${appUrl}#/orgs`);
    await view(page, '/orgs');
    await page.fill('#f-org-name', `Beta ${run}`);
    await page.click('#create-org-form button[type=submit]');
    await expectFlash(page, /Created/);
    const betaId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]);
    assert.equal(await page.locator('#org-switcher option:checked').textContent(), `Beta ${run}`);

    await page.selectOption('#org-switcher', orgId);
    await view(page, `/orgs/${orgId}`);
    assert.equal(await page.locator('#org-active').count(), 1);
    await page.reload();
    await view(page, `/orgs/${orgId}`);
    await page.waitForSelector('#org-switcher');
    assert.equal(await page.locator('#org-switcher option:checked').textContent(), `Acme ${run}`);
    const stored = await page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)])));
    assert.deepEqual(Object.keys(stored), ['userapi.activeOrg'], 'only the active organization is kept browser-wide');
    assert.deepEqual(Object.values(JSON.parse(stored['userapi.activeOrg'])), [orgId], 'an ID, never a token');
    assert.deepEqual(await page.context().cookies(), []);

    await page.goto(`${appUrl}#/orgs`);
    await view(page, '/orgs');
    assert.equal(await text(page, `#orgs-table tr[data-org-id="${orgId}"] .active-org`), 'Active');
    await page.click(`#orgs-table tr[data-org-id="${betaId}"] .org-name`);
    await view(page, `/orgs/${betaId}`);
    await page.click('#delete-org');
    await view(page, '/orgs');
    await expectFlash(page, /has been deleted/);
    await page.waitForSelector('#orgs-table');
    assert.equal(await page.locator(`#orgs-table tr[data-org-id="${betaId}"]`).count(), 0);
    assert.equal((await api.call('GET', `/orgs/${betaId}`,
      {token: (await api.login(olga.email, PASSWORD)).body.accessToken})).status, 404);
  });

  let evePage;
  let otherRefresh;

  it('changes the e-mail address with the code; the old address works until then', async () => {
    evePage = await open('eve');
    const page = evePage;
    await login(page, eve.email, PASSWORD);
    await page.click('nav a[href="#/security"]');
    await view(page, '/security');
    await page.click('#change-email-link');
    await view(page, '/email');
    await page.fill('#f-new-email', eve.newEmail);
    await page.fill('#f-email-password', 'Wrong-Password-9!');
    await page.click('#email-change-form button[type=submit]');
    assert.equal(await (await page.waitForSelector('#email-change-form .alert.error')).getAttribute('data-code'), 'InvalidCredentials');

    const since = Date.now();
    await page.fill('#f-email-password', PASSWORD);
    await page.click('#email-change-form button[type=submit]');
    await page.waitForSelector('#email-change-form .alert.success');
    assert.match(await text(page, '#email-change-form .alert.success'), new RegExp(`stays ${eve.email}`));
    assert.equal(await text(page, '#current-email'), eve.email);
    assert.equal((await api.login(eve.email, PASSWORD)).status, 200, 'the old address still signs in');
    const code = await api.outboxCode(eve.newEmail, 'EMAIL_CHANGE', since);
    await api.outboxMessage(eve.email, 'EMAIL_CHANGE_NOTICE', since);

    await page.fill('#f-email-code', '00000000');
    await page.click('#email-verify-form button[type=submit]');
    assert.equal(await (await page.waitForSelector('#email-verify-form .alert.error')).getAttribute('data-code'), 'CodeMismatch');
    await page.click('#show-outbox');
    await page.waitForSelector('.use-code');
    await page.click('.use-code');
    assert.equal(await page.inputValue('#f-email-code'), code);
    await screenshot(page, '25-email-change');
    await page.click('#email-verify-form button[type=submit]');
    await expectFlash(page, /now eve-new-/);
    assert.equal(await text(page, '#current-email'), eve.newEmail);
    assert.equal((await api.login(eve.email, PASSWORD)).status, 401, 'the old address no longer signs in');
    const other = await api.login(eve.newEmail, PASSWORD);
    assert.equal(other.status, 200, 'the new one does');
    otherRefresh = other.body.refreshToken;
  });

  it('signs out one other session: its refresh then fails, this tab goes on', async () => {
    const page = evePage;
    await page.click('nav a[href="#/sessions"]');
    await view(page, '/sessions');
    assert.equal(await page.locator('#sessions-table tr.current-session').count(), 1, 'this tab\'s session is marked');
    assert.match(await text(page, 'tr.current-session .end-session'), /this tab/);
    // The newest session not of this browser: the one the test signed in over HTTP with the new address.
    const ua = await page.evaluate(() => navigator.userAgent);
    const other = await page.locator('#sessions-table tbody tr:not(.current-session)').evaluateAll((trs, browserUa) => trs
      .filter((tr) => tr.querySelector('.ua').textContent !== browserUa)
      .map((tr) => ({id: tr.dataset.sessionId, at: Date.parse(tr.querySelector('time').getAttribute('datetime'))}))
      .sort((a, b) => b.at - a.at)[0], ua);
    assert.ok(other, 'the session signed in over HTTP is listed');
    assert.equal((await api.call('POST', '/auth/refresh', {body: {refreshToken: otherRefresh}})).status, 200, 'it works before');
    const before = await page.locator('#sessions-table tbody tr').count();
    await page.click(`#sessions-table tr[data-session-id="${other.id}"] .end-session`);
    await expectFlash(page, /has been signed out/);
    await page.waitForSelector('#sessions-table');
    assert.equal(await page.locator('#sessions-table tbody tr').count(), before - 1);
    assert.equal(await page.locator(`#sessions-table tr[data-session-id="${other.id}"]`).count(), 0);
    await screenshot(page, '26-sessions');
    assert.equal((await api.call('POST', '/auth/refresh', {body: {refreshToken: otherRefresh}})).status, 401,
      'the ended session\'s refresh token is refused');
    await page.click('nav a[href="#/profile"]');
    await view(page, '/profile');
    assert.equal(await text(page, 'dd[data-field="email"]'), eve.newEmail, 'this tab is still signed in');
  });

  it('lists the security activity, newest first, for the user and on the admin\'s user page', async () => {
    const page = evePage;
    await page.click('nav a[href="#/activity"]');
    await view(page, '/activity');
    await page.waitForSelector('#activity-table');
    const events = await page.locator('#activity-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.event));
    for (const event of ['SIGN_IN', 'EMAIL_CHANGED', 'SESSION_REVOKED']) assert.ok(events.includes(event), `${event} in ${events}`);
    assert.equal(events[0], 'SESSION_REVOKED', 'newest first');
    const times = await page.locator('#activity-table tbody time').evaluateAll((ts) => ts.map((t) => Date.parse(t.getAttribute('datetime'))));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    await screenshot(page, '27-activity');

    const adminPage = await open('admin-activity');
    await login(adminPage, ADMIN_EMAIL, ADMIN_PASSWORD);
    await adminPage.goto(`${appUrl}#/admin/users?email=${encodeURIComponent(eve.newEmail)}`);
    await adminPage.click(`#users-table tr[data-email="${eve.newEmail}"] a`);
    await adminPage.waitForSelector('#user-activity-table');
    const adminEvents = await adminPage.locator('#user-activity-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.event));
    assert.deepEqual(adminEvents, events, 'the admin sees what the user sees');
  });
});
