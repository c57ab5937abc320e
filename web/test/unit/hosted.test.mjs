// Login CSRF (docs/SECURITY.md 28): a callback fragment is taken only for a sign-in this tab started,
// once, within the API's ten minutes.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {hostedSignInUrl, readHostedCallback} from '../../src/hosted.js';

class MemoryStorage {
  #items = new Map();
  getItem(key) { return this.#items.has(key) ? this.#items.get(key) : null; }
  setItem(key, value) { this.#items.set(key, String(value)); }
  removeItem(key) { this.#items.delete(key); }
  get size() { return this.#items.size; }
}

const NOW = Date.parse('2026-11-22T10:00:00Z');
const TOKENS = 'access_token=attacker-access&id_token=attacker-id&refresh_token=attacker-refresh&expires_in=3600&token_type=Bearer';

function started(storage = new MemoryStorage()) {
  const url = new URL(hostedSignInUrl('https://api.example.com/prod', 'https://app.example.com/app/', {storage, now: NOW}));
  return {storage, url, state: url.searchParams.get('state')};
}

test('the sign-in URL carries the return address and a new random state that the tab keeps', () => {
  const first = started();
  assert.equal(`${first.url.origin}${first.url.pathname}`, 'https://api.example.com/prod/auth/oauth/login');
  assert.equal(first.url.searchParams.get('redirect'), 'https://app.example.com/app/');
  assert.match(first.state, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(started().state, first.state);
  assert.equal(first.storage.size, 1);
});

test('a fragment with tokens that this tab did not ask for is refused, with or without a state', () => {
  assert.deepEqual(readHostedCallback(TOKENS, {storage: new MemoryStorage(), now: NOW}), {refused: true});
  assert.deepEqual(readHostedCallback(`${TOKENS}&state=${'a'.repeat(43)}`, {storage: new MemoryStorage(), now: NOW}), {refused: true});
  const {storage} = started();
  assert.deepEqual(readHostedCallback(TOKENS, {storage, now: NOW}), {refused: true}, 'no state');
  const again = started();
  assert.deepEqual(readHostedCallback(`${TOKENS}&state=${'a'.repeat(43)}`, {storage: again.storage, now: NOW}), {refused: true},
    'another state');
  assert.equal(again.storage.size, 0, 'a refused fragment uses the state up too');
});

test('the fragment of the sign-in this tab started is taken, once', () => {
  const {storage, state} = started();
  const fragment = `${TOKENS}&state=${state}`;
  assert.deepEqual(readHostedCallback(fragment, {storage, now: NOW + 1000}), {tokens: {accessToken: 'attacker-access',
    idToken: 'attacker-id', refreshToken: 'attacker-refresh', expiresIn: 3600}});
  assert.deepEqual(readHostedCallback(fragment, {storage, now: NOW + 2000}), {refused: true}, 'a replay finds no state');
});

test('a state older than the API\'s ten minutes is void', () => {
  const {storage, state} = started();
  assert.deepEqual(readHostedCallback(`${TOKENS}&state=${state}`, {storage, now: NOW + 10 * 60_000 + 1}), {refused: true});
});

test('a cancelled sign-in is reported only for this tab\'s state', () => {
  const mine = started();
  assert.deepEqual(readHostedCallback(`error=access_denied&state=${mine.state}`, {storage: mine.storage, now: NOW}),
    {error: 'access_denied'});
  assert.deepEqual(readHostedCallback('error=access_denied', {storage: started().storage, now: NOW}), {refused: true});
});

test('route fragments are not callbacks and leave the state alone', () => {
  const {storage} = started();
  for (const fragment of ['', '/', '/profile', '/login?email=a@example.com', 'something-else']) {
    assert.equal(readHostedCallback(fragment, {storage, now: NOW}), null, fragment);
  }
  assert.equal(storage.size, 1);
});
