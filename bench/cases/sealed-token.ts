// Keyring sealed tokens: coffer's `Keyring#sealToBytes` / `#open` against the raw node:crypto a user would
// write for AES-256-GCM with a random 12-byte IV (iv ‖ ciphertext ‖ tag), and pyca's AESGCM doing the same.
//
// coffer does more per token: a per-token key (one HMAC-SHA512), a key commitment, the context encoding and
// a 192-bit nonce. Tokens are random, so the seal cases return a fixed marker and the open cases return the
// plaintext, which all three must agree on.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Keyring } from '../../src/recipes/keyring.ts';
import { defineCases, pattern, py } from '../case.ts';

const keyring = Keyring.generate({ label: 'bench' });
const context = { table: 'users', column: 'recovery_codes', id: '42' };
const rawKey = pattern(32, 5);
const OK = Uint8Array.of(1);

function rawSeal(data: Uint8Array): Uint8Array {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', rawKey, iv);
  const ct = c.update(data);
  c.final();
  return Buffer.concat([iv, ct, c.getAuthTag()]);
}

function rawOpen(token: Uint8Array): Uint8Array {
  const d = createDecipheriv('aes-256-gcm', rawKey, token.subarray(0, 12));
  d.setAuthTag(token.subarray(token.length - 16));
  const pt = d.update(token.subarray(12, token.length - 16));
  d.final();
  return pt;
}

const pycaSetup = py`
  import os
  from cryptography.hazmat.primitives.ciphers.aead import AESGCM
  aead = AESGCM(pattern(32, 5))
  data = pattern(SIZE, 1)
`;

const sizes = [64, 1024, 1024 * 1024];

export default defineCases([
  ...sizes.map((size) => {
    const data = pattern(size, 1);
    return {
      name: 'seal (binary)',
      size,
      maxRatio: size >= 1024 * 1024 ? 1.1 : 2,
      coffer: () => (keyring.sealToBytes(data, { context }).length > 0 ? OK : new Uint8Array()),
      raw: () => (rawSeal(data).length > 0 ? OK : new Uint8Array()),
      pyca: `${pycaSetup}def op():\n    nonce = os.urandom(12)\n    return b'\\x01' if aead.encrypt(nonce, data, None) else b''\n`,
    };
  }),
  ...sizes.map((size) => {
    const data = pattern(size, 1);
    const token = keyring.sealToBytes(data, { context });
    const rawToken = rawSeal(data);
    return {
      name: 'open (binary)',
      size,
      maxRatio: size >= 1024 * 1024 ? 1.1 : 2,
      coffer: () => keyring.open(token, { context }),
      raw: () => rawOpen(rawToken),
      pyca: `${pycaSetup}nonce = os.urandom(12)\nct = aead.encrypt(nonce, data, None)\ndef op():\n    return aead.decrypt(nonce, ct, None)\n`,
    };
  }),
  ...[64, 1024].map((size) => {
    const data = pattern(size, 1);
    const token = keyring.seal(data, { context });
    return {
      name: 'open (text)',
      size,
      maxRatio: 2,
      coffer: () => keyring.open(token, { context }),
      raw: () => rawOpen(rawSeal(data)),
    };
  }),
]);
