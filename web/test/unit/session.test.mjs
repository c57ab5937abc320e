// The session's token handling, with a fake API: where tokens go, one refresh for many callers,
// one retry after a 401, and the end of the session when the refresh token is refused.
import {afterEach, test} from 'node:test';
import assert from 'node:assert/strict';
import {ApiError} from '../../src/api.js';
import {Session} from '../../src/session.js';

class MemoryStorage {
  #items = new Map();
  getItem(key) { return this.#items.has(key) ? this.#items.get(key) : null; }
  setItem(key, value) { this.#items.set(key, String(value)); }
  removeItem(key) { this.#items.delete(key); }
  keys() { return [...this.#items.keys()]; }
}

/** A fake API: `routes` maps 'METHOD /path' to a function of (options, callNumber) returning data or throwing. */
function fakeApi(routes) {
  const calls = [];
  return {
    calls,
    async request(method, path, options = {}) {
      const key = `${method} ${path}`;
      calls.push({key, token: options.token, body: options.body});
      const handler = routes[key];
      if (!handler) throw new Error(`unexpected ${key}`);
      const count = calls.filter((c) => c.key === key).length;
      return {status: 200, data: await handler(options, count), etag: null};
    },
  };
}

const unauthorized = () => new ApiError({status: 401, code: 'Unauthorized', detail: 'no'});
const tokens = (n) => ({accessToken: `access-${n}`, idToken: `id-${n}`, refreshToken: `refresh-${n}`, expiresIn: 1800});
let session;

afterEach(() => session?.end('logout'));

test('keeps the access token in memory only and the refresh token in the given storage; drops the ID token', () => {
  const storage = new MemoryStorage();
  session = new Session(fakeApi({}), storage);
  session.start(tokens(1), 'ada@example.com');
  assert.equal(session.signedIn, true);
  assert.deepEqual(storage.keys().sort(), ['userapi.email', 'userapi.refreshToken', 'userapi.signedInAt']);
  assert.equal(storage.getItem('userapi.refreshToken'), 'refresh-1');
  assert.ok(!JSON.stringify([...storage.keys().map((k) => storage.getItem(k))]).includes('access-1'));
  assert.ok(!JSON.stringify([...storage.keys().map((k) => storage.getItem(k))]).includes('id-1'));
});

test('concurrent callers share one refresh', async () => {
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  const api = fakeApi({'POST /auth/refresh': async () => { await gate; return {accessToken: 'access-2', expiresIn: 1800}; }});
  session = new Session(api, new MemoryStorage());
  session.start(tokens(1), 'ada@example.com');
  const all = Promise.all([session.refresh(), session.refresh(), session.refresh()]);
  release();
  await all;
  assert.equal(api.calls.filter((c) => c.key === 'POST /auth/refresh').length, 1);
  assert.deepEqual(api.calls[0].body, {refreshToken: 'refresh-1'});
});

test('a 401 is answered by one refresh and one retry with the new token', async () => {
  const api = fakeApi({
    'GET /me': (options) => {
      if (options.token === 'access-1') throw unauthorized();
      return {id: 'u1'};
    },
    'POST /auth/refresh': () => ({accessToken: 'access-2', expiresIn: 1800}),
  });
  session = new Session(api, new MemoryStorage());
  session.start(tokens(1), 'ada@example.com');
  const {data} = await session.call('GET', '/me');
  assert.deepEqual(data, {id: 'u1'});
  assert.deepEqual(api.calls.map((c) => `${c.key} ${c.token ?? ''}`.trim()),
    ['GET /me access-1', 'POST /auth/refresh', 'GET /me access-2']);
});

test('a refused refresh ends the session, forgets the refresh token and says why', async () => {
  const storage = new MemoryStorage();
  const api = fakeApi({'GET /me': () => { throw unauthorized(); }, 'POST /auth/refresh': () => { throw unauthorized(); }});
  session = new Session(api, storage);
  const reasons = [];
  session.addEventListener('signedout', (event) => reasons.push(event.detail.reason));
  session.start(tokens(1), 'ada@example.com');
  await assert.rejects(session.call('GET', '/me'), (e) => e.status === 401);
  assert.equal(session.signedIn, false);
  assert.equal(storage.getItem('userapi.refreshToken'), null);
  assert.deepEqual(reasons, ['expired']);
});

test('a 401 after a successful refresh ends the session once (no loop)', async () => {
  const api = fakeApi({'GET /me': () => { throw unauthorized(); }, 'POST /auth/refresh': () => ({accessToken: 'access-2', expiresIn: 1800})});
  session = new Session(api, new MemoryStorage());
  session.start(tokens(1), 'ada@example.com');
  await assert.rejects(session.call('GET', '/me'), (e) => e.status === 401);
  assert.equal(api.calls.filter((c) => c.key === 'GET /me').length, 2);
  assert.equal(session.signedIn, false);
});

test('a transient refresh failure (503) keeps the session', async () => {
  const api = fakeApi({'POST /auth/refresh': () => {
    throw new ApiError({status: 503, code: 'ServiceUnavailable'});
  }});
  session = new Session(api, new MemoryStorage());
  session.start(tokens(1), 'ada@example.com');
  await assert.rejects(session.refresh(), (e) => e.status === 503);
  assert.equal(session.signedIn, true);
});

test('a token close to expiry is refreshed before the call', async () => {
  const api = fakeApi({
    'POST /auth/refresh': () => ({accessToken: 'access-2', expiresIn: 1800}),
    'GET /me': () => ({id: 'u1'}),
  });
  session = new Session(api, new MemoryStorage());
  session.start({...tokens(1), expiresIn: 20}, 'ada@example.com'); // within the 30 s margin
  await session.call('GET', '/me');
  assert.deepEqual(api.calls.map((c) => `${c.key} ${c.token ?? ''}`.trim()), ['POST /auth/refresh', 'GET /me access-2']);
});

test('logout revokes the refresh token at the API and forgets it even if the API fails', async () => {
  const storage = new MemoryStorage();
  const api = fakeApi({'POST /auth/logout': () => { throw new ApiError({status: 503, code: 'ServiceUnavailable'}); }});
  session = new Session(api, storage);
  session.start(tokens(1), 'ada@example.com');
  await assert.rejects(session.logout());
  assert.deepEqual(api.calls[0].body, {refreshToken: 'refresh-1'});
  assert.equal(session.signedIn, false);
  assert.equal(storage.getItem('userapi.refreshToken'), null);
});

test('restore resumes the tab\'s session from its refresh token', async () => {
  const storage = new MemoryStorage();
  storage.setItem('userapi.refreshToken', 'refresh-1');
  session = new Session(fakeApi({'POST /auth/refresh': () => ({accessToken: 'access-2', expiresIn: 1800})}), storage);
  assert.equal(await session.restore(), true);
  assert.equal(session.signedIn, true);
  assert.equal(await new Session(fakeApi({}), new MemoryStorage()).restore(), false);
});

test('a 401 InvalidCredentials (wrong current password) is not mistaken for a refused token', async () => {
  const api = fakeApi({'POST /me/password': () => {
    throw new ApiError({status: 401, code: 'InvalidCredentials', detail: 'The current password is wrong.'});
  }});
  session = new Session(api, new MemoryStorage());
  session.start(tokens(1), 'ada@example.com');
  await assert.rejects(session.call('POST', '/me/password', {body: {}}), (e) => e.code === 'InvalidCredentials');
  assert.equal(api.calls.length, 1, 'no refresh, no retry');
  assert.equal(session.signedIn, true);
});
