// AES key wrap (RFC 3394) and key wrap with padding (RFC 5649) through OpenSSL's wrap ciphers, kept beside
// backend.ts as part of the one adapter over node:crypto. OpenSSL checks the integrity value and the
// padding itself (in constant time, CRYPTO_memcmp); callers validate every length first, because OpenSSL
// answers an empty input with an empty output instead of an error.
import * as nc from 'node:crypto';
import { UnsupportedAlgorithm } from '../errors.ts';
import type { KeyInput } from './backend.ts';

/** The AES wrap ciphers, by key size: RFC 3394 (`-wrap`) and RFC 5649 (`-wrap-pad`). */
export type KeyWrapCipherName =
  | 'id-aes128-wrap'
  | 'id-aes192-wrap'
  | 'id-aes256-wrap'
  | 'id-aes128-wrap-pad'
  | 'id-aes192-wrap-pad'
  | 'id-aes256-wrap-pad';

// The default initial values, which OpenSSL takes as the "IV" of its wrap ciphers: RFC 3394 §2.2.3.1
// (A6A6A6A6A6A6A6A6) and the high half of RFC 5649 §3's alternative initial value (A65959A6 ‖ MLI; OpenSSL
// appends the 32-bit length itself).
const KW_IV = Buffer.from('a6a6a6a6a6a6a6a6', 'hex');
const KWP_IV = Buffer.from('a65959a6', 'hex');

const cipherNames = new Set(nc.getCiphers());

function iv(name: KeyWrapCipherName): Buffer {
  if (!cipherNames.has(name)) {
    throw new UnsupportedAlgorithm(`cipher "${name}" is not available in this runtime`);
  }
  return name.endsWith('-pad') ? KWP_IV : KW_IV;
}

/** Wraps `data` in one call (OpenSSL's wrap ciphers take the whole input in a single update). */
export function keyWrap(name: KeyWrapCipherName, key: KeyInput, data: Uint8Array): Uint8Array {
  const c = nc.createCipheriv(name, key, iv(name));
  const body = c.update(data);
  const last = c.final();
  return last.length === 0 ? new Uint8Array(body) : new Uint8Array(Buffer.concat([body, last]));
}

/**
 * Unwraps `data`; returns null when OpenSSL refuses it (integrity value, padding or length). The result
 * owns its ArrayBuffer and OpenSSL's own buffers are wiped.
 */
export function keyUnwrap(name: KeyWrapCipherName, key: KeyInput, data: Uint8Array): Uint8Array | null {
  const d = nc.createDecipheriv(name, key, iv(name));
  let body: Buffer;
  let last: Buffer;
  try {
    body = d.update(data);
  } catch {
    return null;
  }
  try {
    last = d.final();
  } catch {
    body.fill(0);
    return null;
  }
  const out = new Uint8Array(body.length + last.length);
  out.set(body);
  out.set(last, body.length);
  body.fill(0);
  last.fill(0);
  return out;
}
