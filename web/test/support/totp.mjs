// RFC 6238 TOTP (HMAC-SHA-1, 30 s steps, 6 digits by default) and RFC 4648 base32, for the tests:
// they play the part of an authenticator app, computing codes from the `secretCode` the API returns.
import {createHmac} from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(text) {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const index = ALPHABET.indexOf(ch);
    if (index < 0) throw new Error(`Not base32: ${ch}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 4226 HOTP of `key` (a Buffer) at `counter`. */
export function hotp(key, counter, digits = 6, algorithm = 'sha1') {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238 TOTP for a base32 secret at `timeMs`. */
export function totp(secretBase32, {timeMs = Date.now(), step = 30, digits = 6, algorithm = 'sha1'} = {}) {
  return hotp(base32Decode(secretBase32), Math.floor(timeMs / 1000 / step), digits, algorithm);
}

/**
 * A code for a step that has not been used yet: Cognito refuses a code reused within its step, so a
 * second sign-in in the same 30 s waits for the next step.
 */
export async function freshTotp(secretBase32, usedCodes = new Set()) {
  for (;;) {
    const code = totp(secretBase32);
    const step = Math.floor(Date.now() / 30_000);
    if (!usedCodes.has(`${step}`)) {
      usedCodes.add(`${step}`);
      return code;
    }
    await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 200));
  }
}
