// WebAuthn (passkeys) between the API's JSON and the browser's navigator.credentials: the API sends
// and expects the WebAuthn Level 3 JSON forms (base64url for every binary field). Browsers that have
// PublicKeyCredential.parse*OptionsFromJSON and credential.toJSON() use them; for the others the
// same conversion is done here by hand.
import {ApiError} from './api.js';

/** base64url (no padding) → ArrayBuffer. */
export function fromBase64Url(text) {
  const base64 = String(text).replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

/** ArrayBuffer or typed array → base64url (no padding). */
export function toBase64Url(buffer) {
  const bytes = buffer instanceof ArrayBuffer ? new Uint8Array(buffer)
    : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const descriptors = (list) => (list ?? []).map((c) => ({...c, id: fromBase64Url(c.id)}));

/** PublicKeyCredentialCreationOptionsJSON → the options navigator.credentials.create() takes (by hand). */
export function creationOptionsFromJson(json) {
  return {
    ...json,
    challenge: fromBase64Url(json.challenge),
    user: {...json.user, id: fromBase64Url(json.user.id)},
    excludeCredentials: descriptors(json.excludeCredentials),
  };
}

/** PublicKeyCredentialRequestOptionsJSON → the options navigator.credentials.get() takes (by hand). */
export function requestOptionsFromJson(json) {
  return {...json, challenge: fromBase64Url(json.challenge), allowCredentials: descriptors(json.allowCredentials)};
}

/** A PublicKeyCredential (registration or authentication) → its JSON form (what credential.toJSON() gives). */
export function credentialToJson(credential) {
  const response = credential.response;
  const json = {
    id: credential.id,
    rawId: toBase64Url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
    clientExtensionResults: credential.getClientExtensionResults?.() ?? {},
    response: {clientDataJSON: toBase64Url(response.clientDataJSON)},
  };
  if ('attestationObject' in response) {
    json.response.attestationObject = toBase64Url(response.attestationObject);
    json.response.transports = response.getTransports?.() ?? [];
    const publicKey = response.getPublicKey?.();
    if (publicKey) json.response.publicKey = toBase64Url(publicKey);
    if (response.getPublicKeyAlgorithm) json.response.publicKeyAlgorithm = response.getPublicKeyAlgorithm();
    if (response.getAuthenticatorData) json.response.authenticatorData = toBase64Url(response.getAuthenticatorData());
  } else {
    json.response.authenticatorData = toBase64Url(response.authenticatorData);
    json.response.signature = toBase64Url(response.signature);
    if (response.userHandle) json.response.userHandle = toBase64Url(response.userHandle);
  }
  return json;
}

/** Whether this browser can use passkeys at all. */
export function passkeysSupported() {
  return typeof globalThis.PublicKeyCredential === 'function' && Boolean(globalThis.navigator?.credentials?.create);
}

function toJson(credential) {
  return typeof credential.toJSON === 'function' ? credential.toJSON() : credentialToJson(credential);
}

/** Creates a passkey from the API's creation options; returns the RegistrationResponseJSON. */
export async function createPasskey(publicKeyJson) {
  const PKC = globalThis.PublicKeyCredential;
  const publicKey = typeof PKC?.parseCreationOptionsFromJSON === 'function'
    ? PKC.parseCreationOptionsFromJSON(publicKeyJson) : creationOptionsFromJson(publicKeyJson);
  const credential = await navigator.credentials.create({publicKey}).catch(asApiError);
  if (!credential) throw new ApiError({code: 'PasskeyFailed', detail: 'No passkey was created.'});
  return toJson(credential);
}

/** Signs the API's request options with a passkey; returns the AuthenticationResponseJSON. */
export async function getPasskeyAssertion(publicKeyJson) {
  const PKC = globalThis.PublicKeyCredential;
  const publicKey = typeof PKC?.parseRequestOptionsFromJSON === 'function'
    ? PKC.parseRequestOptionsFromJSON(publicKeyJson) : requestOptionsFromJson(publicKeyJson);
  const credential = await navigator.credentials.get({publicKey}).catch(asApiError);
  if (!credential) throw new ApiError({code: 'PasskeyFailed', detail: 'No passkey was used.'});
  return toJson(credential);
}

/** Rethrows a WebAuthn DOMException as an ApiError with words for people (errorAlert shows it). */
function asApiError(error) {
  const detail = webauthnMessage(error);
  throw detail ? new ApiError({code: `Passkey${error.name}`, detail}) : error;
}

/**
 * A sentence for the DOMExceptions WebAuthn throws (the person cancelled, no passkey for this site,
 * an insecure page), or null for anything else.
 */
export function webauthnMessage(error) {
  switch (error?.name) {
    case 'NotAllowedError':
      return 'The passkey prompt was cancelled or timed out, or this device has no passkey for this account.';
    case 'InvalidStateError':
      return 'This authenticator already holds a passkey for this account.';
    case 'SecurityError':
      return 'Passkeys are not available on this page (it must be served over HTTPS, or from localhost, on the ' +
        'domain the API is configured for).';
    case 'NotSupportedError':
      return 'This browser or authenticator does not support the passkey the API asked for.';
    default:
      return null;
  }
}
