// The QR encoder, checked by decoding its output with an independent decoder (jsQR).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import jsQR from 'jsqr';
import {encodeQr} from '../../src/qr.js';

/** Renders the code to RGBA pixels (4-module quiet zone, `scale` px per module) and decodes it. */
function decode(qr, scale = 4) {
  const dim = (qr.size + 8) * scale;
  const pixels = new Uint8ClampedArray(dim * dim * 4).fill(255);
  for (let y = 0; y < qr.size; y++) {
    for (let x = 0; x < qr.size; x++) {
      if (!qr.dark(x, y)) continue;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const offset = (((y + 4) * scale + dy) * dim + (x + 4) * scale + dx) * 4;
          pixels[offset] = pixels[offset + 1] = pixels[offset + 2] = 0;
        }
      }
    }
  }
  const result = jsQR(pixels, dim, dim, {inversionAttempts: 'dontInvert'});
  assert.ok(result, `version ${qr.version} mask ${qr.mask}: not decodable`);
  return result;
}

test('an otpauth URI round-trips through an independent decoder', () => {
  const uri = 'otpauth://totp/UserApi:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=UserApi';
  const qr = encodeQr(uri);
  assert.equal(decode(qr).data, uri);
});

test('every error-correction level and a range of versions decode to the input', () => {
  for (const ecl of ['L', 'M', 'Q', 'H']) {
    for (const length of [1, 17, 40, 100, 180, 300, 600]) {
      const text = Array.from({length}, (_, i) => String.fromCharCode(33 + ((i * 7 + length) % 90))).join('');
      const qr = encodeQr(text, ecl);
      const result = decode(qr);
      assert.equal(result.data, text, `level ${ecl}, ${length} bytes, version ${qr.version}`);
      assert.equal(result.version, qr.version);
    }
  }
});

test('the smallest version is chosen (17 bytes fit version 1-L, 14 fit 1-M)', () => {
  assert.equal(encodeQr('x'.repeat(17), 'L').version, 1);
  assert.equal(encodeQr('x'.repeat(18), 'L').version, 2);
  assert.equal(encodeQr('x'.repeat(14), 'M').version, 1);
  assert.equal(encodeQr('x'.repeat(15), 'M').version, 2);
});

test('non-ASCII text is encoded as UTF-8 bytes', () => {
  const text = 'otpauth://totp/Zoë Ærøskøbing';
  const result = decode(encodeQr(text));
  assert.deepEqual([...result.binaryData], [...new TextEncoder().encode(text)]);
});

test('text beyond version 40 is refused', () => {
  assert.throws(() => encodeQr('x'.repeat(3000), 'M'), RangeError);
});
