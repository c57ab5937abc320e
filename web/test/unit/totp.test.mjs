// The tests' authenticator, checked against the RFC 6238 appendix B vectors (SHA-1, 8 digits).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {base32Decode, totp} from '../support/totp.mjs';

// "12345678901234567890" in base32.
const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

test('base32 decodes RFC 4648 vectors', () => {
  assert.equal(base32Decode('MZXW6YTBOI======').toString(), 'foobar');
  assert.equal(base32Decode(SECRET).toString(), '12345678901234567890');
});

for (const [seconds, expected] of [
  [59, '94287082'], [1111111109, '07081804'], [1111111111, '14050471'],
  [1234567890, '89005924'], [2000000000, '69279037'], [20000000000, '65353130'],
]) {
  test(`RFC 6238 vector at T=${seconds}`, () => {
    assert.equal(totp(SECRET, {timeMs: seconds * 1000, digits: 8}), expected);
  });
}

test('six digits are the last six of the eight', () => {
  assert.equal(totp(SECRET, {timeMs: 59_000}), '287082');
});
