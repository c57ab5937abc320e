// The pure logic behind the organization and account-center screens (src/orgs.js).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ACTIVE_ORG_KEY, acceptProblem, activeOrg, assignableRoles, canManageMember, currentSessionId, eventLabel, hasOrgRole,
  invitationToken, rememberOrg, rememberedOrg} from '../../src/orgs.js';

class MemoryStorage {
  #items = new Map();
  getItem(key) { return this.#items.has(key) ? this.#items.get(key) : null; }
  setItem(key, value) { this.#items.set(key, String(value)); }
  removeItem(key) { this.#items.delete(key); }
  get length() { return this.#items.size; }
}

const TOKEN = 'Ab3_-'.repeat(8) + 'xyz'; // 43 base64url characters

test('org roles rank owner > admin > member; unknown roles rank nowhere', () => {
  assert.equal(hasOrgRole('owner', 'admin'), true);
  assert.equal(hasOrgRole('admin', 'admin'), true);
  assert.equal(hasOrgRole('member', 'admin'), false);
  assert.equal(hasOrgRole(null, 'member'), false);
  assert.equal(hasOrgRole('owner', 'superuser'), false);
});

test('only an owner grants owner, and touches owners; members manage nobody', () => {
  assert.deepEqual(assignableRoles('owner'), ['owner', 'admin', 'member']);
  assert.deepEqual(assignableRoles('admin'), ['admin', 'member']);
  assert.deepEqual(assignableRoles('member'), []);
  assert.equal(canManageMember('admin', 'member'), true);
  assert.equal(canManageMember('admin', 'owner'), false);
  assert.equal(canManageMember('owner', 'owner'), true);
  assert.equal(canManageMember('member', 'member'), false);
});

test('the active organization is remembered per account in one browser-wide entry, and forgotten on request', () => {
  const storage = new MemoryStorage();
  rememberOrg(storage, 'user-a', 'org-1');
  rememberOrg(storage, 'user-b', 'org-2');
  assert.equal(rememberedOrg(storage, 'user-a'), 'org-1');
  assert.equal(rememberedOrg(storage, 'user-b'), 'org-2');
  assert.equal(storage.length, 1);
  rememberOrg(storage, 'user-a', null);
  assert.equal(rememberedOrg(storage, 'user-a'), null);
  rememberOrg(storage, 'user-b', null);
  assert.equal(storage.getItem(ACTIVE_ORG_KEY), null, 'nothing left behind');
  assert.equal(rememberedOrg(storage, undefined), null);
});

test('a damaged stored value reads as nothing remembered', () => {
  const storage = new MemoryStorage();
  storage.setItem(ACTIVE_ORG_KEY, '{not json');
  assert.equal(rememberedOrg(storage, 'user-a'), null);
  storage.setItem(ACTIVE_ORG_KEY, '["org-1"]');
  assert.equal(rememberedOrg(storage, '0'), null);
  rememberOrg(storage, 'user-a', 'org-3');
  assert.equal(rememberedOrg(storage, 'user-a'), 'org-3');
});

test('the remembered organization is active only while the caller is still a member of it', () => {
  const orgs = [{id: 'org-1', name: 'One', role: 'owner'}, {id: 'org-2', name: 'Two', role: 'member'}];
  assert.equal(activeOrg(orgs, 'org-2').name, 'Two');
  assert.equal(activeOrg(orgs, 'org-9'), null);
  assert.equal(activeOrg([], 'org-1'), null);
  assert.equal(activeOrg(null, 'org-1'), null);
});

test('the invitation token is taken from a bare code or from the e-mailed link, and nothing else', () => {
  assert.equal(invitationToken(TOKEN), TOKEN);
  assert.equal(invitationToken(`  ${TOKEN}\n`), TOKEN);
  assert.equal(invitationToken(`http://localhost:3000/app/#/invitations/accept?token=${TOKEN}`), TOKEN);
  assert.equal(invitationToken(`https://app.example.com/#/invitations/accept?x=1&token=${TOKEN}&y=2`), TOKEN);
  assert.equal(invitationToken(TOKEN.slice(1)), null, 'too short');
  assert.equal(invitationToken(`${TOKEN}a`), null, 'too long');
  assert.equal(invitationToken(`${TOKEN.slice(1)}<`), null, 'not base64url');
  assert.equal(invitationToken('?token=%E0%A4%A'), null, 'malformed escape');
  assert.equal(invitationToken(''), null);
  assert.equal(invitationToken(null), null);
});

test('each refusal of an acceptance gets its own sentence; other errors are left to the general handler', () => {
  assert.match(acceptProblem({status: 403}, 'bob@example.com'), /another e-mail address.*bob@example\.com/);
  assert.match(acceptProblem({status: 404}), /does not exist/);
  assert.match(acceptProblem({status: 409}), /already be a member/);
  assert.match(acceptProblem({status: 410}), /expired, been revoked, or been accepted already/);
  assert.equal(acceptProblem({status: 503}), null);
  assert.equal(acceptProblem(undefined), null);
});

test("this tab's session is the one of this browser created closest to this tab's sign-in", () => {
  const signedInAt = Date.parse('2030-01-01T10:00:00.500Z');
  const ua = 'Chromium/1';
  const sessions = [
    {id: 'other-browser', createdAt: '2030-01-01T10:00:00Z', userAgent: 'Firefox/1'},
    {id: 'earlier', createdAt: '2030-01-01T09:59:40Z', userAgent: ua},
    {id: 'mine', createdAt: '2030-01-01T10:00:01Z', userAgent: ua},
    {id: 'broken', createdAt: 'yesterday', userAgent: ua},
  ];
  assert.equal(currentSessionId(sessions, {signedInAt, userAgent: ua}), 'mine');
  assert.equal(currentSessionId(sessions, {signedInAt: signedInAt + 3_600_000, userAgent: ua}), null, 'none close enough');
  assert.equal(currentSessionId(sessions, {signedInAt: 0, userAgent: ua}), null, 'a tab that never signed in');
  assert.equal(currentSessionId([], {signedInAt, userAgent: ua}), null);
  const marked = sessions.map((s) => ({...s, current: s.id === 'earlier'}));
  assert.equal(currentSessionId(marked, {signedInAt, userAgent: ua}), 'earlier', 'the API\'s mark wins over the guess');
  assert.equal(currentSessionId(sessions.map((s) => ({...s, current: false})), {signedInAt, userAgent: ua}), null,
    'marked by the API as none of them');
});

test('activity events read as words; unknown events as they come', () => {
  assert.equal(eventLabel('SIGN_IN'), 'Signed in');
  assert.equal(eventLabel('SESSION_REVOKED'), 'Session signed out');
  assert.equal(eventLabel('SOMETHING_NEW'), 'SOMETHING_NEW');
});
