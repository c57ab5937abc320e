// The manual WebAuthn JSON conversion (for browsers without parse*OptionsFromJSON / toJSON): base64url
// both ways, the options' binary fields, and a credential's JSON form as toJSON() would give it.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {creationOptionsFromJson, credentialToJson, fromBase64Url, requestOptionsFromJson, toBase64Url}
  from '../../src/webauthn.js';

const bytes = (...values) => new Uint8Array(values);
const asArray = (buffer) => [...new Uint8Array(buffer)];

test('base64url round-trips every length and uses - and _ without padding', () => {
  for (let length = 0; length < 40; length++) {
    const data = Uint8Array.from({length}, (_, i) => (i * 37 + 251) % 256);
    const encoded = toBase64Url(data);
    assert.doesNotMatch(encoded, /[+/=]/);
    assert.deepEqual(asArray(fromBase64Url(encoded)), [...data]);
  }
  assert.equal(toBase64Url(bytes(0xfb, 0xff, 0xbf)), '-_-_');
  assert.deepEqual(asArray(fromBase64Url('-_-_')), [0xfb, 0xff, 0xbf]);
  assert.equal(toBase64Url(bytes(1, 2, 3, 4).subarray(1, 3)), toBase64Url(bytes(2, 3)), 'a view encodes its own bytes only');
});

test('creation options: challenge, user id and excluded credential ids become buffers, the rest is kept', () => {
  const json = {
    rp: {id: 'localhost', name: 'User API'},
    user: {id: 'AQID', name: 'ada@example.com', displayName: 'Ada'},
    challenge: 'BAUG',
    pubKeyCredParams: [{type: 'public-key', alg: -7}, {type: 'public-key', alg: -257}],
    excludeCredentials: [{type: 'public-key', id: 'BwgJ', transports: ['internal']}],
    authenticatorSelection: {residentKey: 'required', userVerification: 'preferred'},
    attestation: 'none',
    timeout: 60000,
  };
  const options = creationOptionsFromJson(json);
  assert.deepEqual(asArray(options.challenge), [4, 5, 6]);
  assert.deepEqual(asArray(options.user.id), [1, 2, 3]);
  assert.equal(options.user.name, 'ada@example.com');
  assert.deepEqual(asArray(options.excludeCredentials[0].id), [7, 8, 9]);
  assert.deepEqual(options.excludeCredentials[0].transports, ['internal']);
  assert.deepEqual(options.pubKeyCredParams, json.pubKeyCredParams);
  assert.equal(options.rp.id, 'localhost');
  assert.equal(options.attestation, 'none');
  assert.equal(json.challenge, 'BAUG', 'the JSON is not changed');
});

test('request options: challenge and allowed credential ids become buffers; none listed stays an empty list', () => {
  const options = requestOptionsFromJson({challenge: 'AAEC', rpId: 'localhost', userVerification: 'required',
    allowCredentials: [{type: 'public-key', id: 'CgsM'}]});
  assert.deepEqual(asArray(options.challenge), [0, 1, 2]);
  assert.deepEqual(asArray(options.allowCredentials[0].id), [10, 11, 12]);
  assert.equal(options.rpId, 'localhost');
  assert.equal(options.userVerification, 'required');
  assert.deepEqual(requestOptionsFromJson({challenge: 'AAEC'}).allowCredentials, []);
});

test('a registration credential becomes RegistrationResponseJSON', () => {
  const credential = {
    id: 'AQI', rawId: bytes(1, 2).buffer, type: 'public-key', authenticatorAttachment: 'platform',
    getClientExtensionResults: () => ({credProps: {rk: true}}),
    response: {
      clientDataJSON: bytes(3).buffer, attestationObject: bytes(4, 5).buffer,
      getTransports: () => ['internal'], getPublicKey: () => bytes(6).buffer, getPublicKeyAlgorithm: () => -7,
      getAuthenticatorData: () => bytes(7).buffer,
    },
  };
  assert.deepEqual(credentialToJson(credential), {
    id: 'AQI', rawId: 'AQI', type: 'public-key', authenticatorAttachment: 'platform',
    clientExtensionResults: {credProps: {rk: true}},
    response: {clientDataJSON: 'Aw', attestationObject: 'BAU', transports: ['internal'], publicKey: 'Bg',
      publicKeyAlgorithm: -7, authenticatorData: 'Bw'},
  });
});

test('an authentication credential becomes AuthenticationResponseJSON, the user handle only when there is one', () => {
  const assertion = (userHandle) => ({
    id: 'CQ', rawId: bytes(9).buffer, type: 'public-key', authenticatorAttachment: null,
    getClientExtensionResults: () => ({}),
    response: {clientDataJSON: bytes(1).buffer, authenticatorData: bytes(2).buffer, signature: bytes(3, 4).buffer, userHandle},
  });
  const json = credentialToJson(assertion(bytes(5).buffer));
  assert.deepEqual(json.response, {clientDataJSON: 'AQ', authenticatorData: 'Ag', signature: 'AwQ', userHandle: 'BQ'});
  assert.equal(json.rawId, 'CQ');
  assert.equal(JSON.parse(JSON.stringify(json)).authenticatorAttachment, undefined, 'no attachment: left out');
  assert.equal('userHandle' in credentialToJson(assertion(null)).response, false);
});
