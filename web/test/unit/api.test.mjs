// The HTTP layer: problem+json becomes an ApiError with the API's code and detail.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ApiClient, ApiError, resolveBaseUrl} from '../../src/api.js';
import {messageFor} from '../../src/errors.js';

const respond = (status, body, headers = {}) => async () => new Response(body === null ? null : JSON.stringify(body), {status, headers});

test('the base URL defaults to the page origin and loses trailing slashes', () => {
  assert.equal(resolveBaseUrl('', 'http://localhost:3000'), 'http://localhost:3000');
  assert.equal(resolveBaseUrl('https://x.execute-api.eu-west-1.amazonaws.com/dev/', 'http://a'), 'https://x.execute-api.eu-west-1.amazonaws.com/dev');
});

test('a problem+json answer becomes an ApiError with code, detail, requestId and Retry-After', async () => {
  const api = new ApiClient('http://api', respond(429,
    {type: 'https://userapi.dev/problems/too-many-requests', title: 'Too many requests', status: 429,
      detail: 'Slow down.', code: 'TooManyRequests', requestId: 'r-1'},
    {'Content-Type': 'application/problem+json', 'Retry-After': '7'}));
  const error = await api.request('POST', '/auth/login', {body: {}}).catch((e) => e);
  assert.ok(error instanceof ApiError);
  assert.equal(error.status, 429);
  assert.equal(error.code, 'TooManyRequests');
  assert.equal(error.requestId, 'r-1');
  assert.equal(error.retryAfter, 7);
  assert.equal(messageFor(error), 'Slow down. You can retry in 7 s.');
});

test('a non-JSON error (a proxy\'s HTML page) still gets a code and a readable message', async () => {
  const api = new ApiClient('http://api', async () => new Response('<html>Bad gateway</html>', {status: 502, headers: {'Content-Type': 'text/html'}}));
  const error = await api.request('GET', '/me').catch((e) => e);
  assert.equal(error.code, 'InternalError');
  assert.equal(messageFor(error), 'Something went wrong on our side. Try again later.');
});

test('a network failure (also what CORS refusal looks like) is a NetworkError naming the API', async () => {
  const api = new ApiClient('http://api', async () => { throw new TypeError('Failed to fetch'); });
  const error = await api.request('GET', '/me').catch((e) => e);
  assert.equal(error.code, 'NetworkError');
  assert.match(error.detail, /http:\/\/api/);
});

test('requests send JSON, the bearer token, the query without empty values, and no cookies', async () => {
  let seen;
  const api = new ApiClient('http://api', async (url, init) => {
    seen = {url: String(url), init};
    return new Response(JSON.stringify({ok: true}), {status: 200, headers: {'Content-Type': 'application/json', ETag: '"3"'}});
  });
  const result = await api.request('PATCH', '/me', {token: 't', body: {name: 'A'}, headers: {'If-Match': '"2"'}, query: {a: '1', b: ''}});
  assert.equal(seen.url, 'http://api/me?a=1');
  assert.equal(seen.init.headers.Authorization, 'Bearer t');
  assert.equal(seen.init.headers['Content-Type'], 'application/json');
  assert.equal(seen.init.headers['If-Match'], '"2"');
  assert.equal(seen.init.credentials, 'omit');
  assert.equal(seen.init.body, '{"name":"A"}');
  assert.equal(result.etag, '"3"');
  assert.deepEqual(result.data, {ok: true});
});
