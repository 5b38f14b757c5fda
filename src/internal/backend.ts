// The one adapter over node:crypto (OpenSSL). Every call into OpenSSL goes through here, so a backend
// change (a newer Node line, WebCrypto) stays in one place. Newer APIs are used by feature detection.
import * as nc from 'node:crypto';
import { UnsupportedAlgorithm } from '../errors.ts';
import { NativeAead, NativeHmac, native, nativeDigest, nativeDigestKind, nativeHmac } from './native.ts';

export type NodeHash = nc.Hash;
export type NodeHmac = nc.Hmac;
export type NodeKeyObject = nc.KeyObject;

// ---------------------------------------------------------------------------------------------------
// Key handles. Node 24 copies raw key bytes into OpenSSL expensively on every createHmac/createCipheriv
// (measured on these machines, 64-byte messages: HMAC-SHA256 27 µs with raw bytes vs 4.7 µs with a
// KeyObject; AES-256-GCM 34 µs vs 7.9 µs). Node 20 and 22 cost about the same either way. So: long-lived
// keys are wrapped once (`keyHandle`) and reused; per-call raw keys are wrapped only on Node 24+.

/** Key material for OpenSSL: raw bytes, or a KeyObject made once by `keyHandle`. */
export type KeyInput = Uint8Array | nc.KeyObject;

/** Wraps long-lived key bytes in a KeyObject (node keeps its own copy). Empty keys stay raw. */
export function keyHandle(key: Uint8Array): KeyInput {
  return key.length === 0 ? key : nc.createSecretKey(key);
}

// Wrapping per-call raw bytes pays only where raw import is slow: Node 24 (createSecretKey costs ~4 µs on
// Node 20, more than it saves there).
const wrapRawKeys = Number(process.versions.node.split('.')[0]) >= 24;

function rawKey(key: KeyInput): KeyInput {
  return wrapRawKeys && !(key instanceof nc.KeyObject) && key.length > 0 ? nc.createSecretKey(key) : key;
}

const hashNames = new Set(nc.getHashes().map((h) => h.toLowerCase()));

/** True when this runtime's OpenSSL offers the digest. */
export function hasDigest(name: string): boolean {
  return hashNames.has(name);
}

function requireDigest(name: string): void {
  if (!hashNames.has(name)) throw new UnsupportedAlgorithm(`hash "${name}" is not available in this runtime`);
}

// crypto.hash() (Node >= 20.12 / 21.7) is a one-shot without a JS Hash object: noticeably faster for
// small inputs. Feature-detected, with createHash as the fallback.
type OneShot = (algorithm: string, data: Uint8Array, outputEncoding: 'buffer') => Buffer;
const oneShotHash: OneShot | undefined =
  typeof (nc as { hash?: unknown }).hash === 'function'
    ? ((nc as { hash: OneShot }).hash as OneShot)
    : undefined;

export function digest(name: string, data: Uint8Array, outputLength?: number): Buffer {
  // SHA-256 and SHA-512 through the native addon when it is loaded (src/internal/native.ts).
  const kind = outputLength === undefined ? nativeDigestKind(name) : undefined;
  if (kind !== undefined) return nativeDigest(kind, data);
  if (outputLength === undefined && oneShotHash !== undefined) {
    try {
      return oneShotHash(name, data, 'buffer');
    } catch (err) {
      requireDigest(name);
      throw err;
    }
  }
  return createHash(name, outputLength).update(data).digest();
}

export function createHash(name: string, outputLength?: number): nc.Hash {
  requireDigest(name);
  return outputLength === undefined ? nc.createHash(name) : nc.createHash(name, { outputLength });
}

export function createHmac(name: string, key: KeyInput): nc.Hmac {
  requireDigest(name);
  return nc.createHmac(name, rawKey(key));
}

// A native keyed HMAC per long-lived key (KeyObject), made on first use and freed with it.
const nativeHmacs = new Map<string, WeakMap<nc.KeyObject, NativeHmac>>();

export function hmac(name: string, key: KeyInput, data: Uint8Array): Buffer {
  const kind = nativeDigestKind(name);
  if (kind === undefined) return createHmac(name, key).update(data).digest();
  if (!(key instanceof nc.KeyObject)) return nativeHmac(kind, key, data);
  let byKey = nativeHmacs.get(name);
  if (byKey === undefined) {
    byKey = new WeakMap();
    nativeHmacs.set(name, byKey);
  }
  let ctx = byKey.get(key);
  if (ctx === undefined) {
    const bytes = key.export();
    try {
      ctx = new NativeHmac(name, bytes);
    } finally {
      bytes.fill(0);
    }
    byKey.set(key, ctx);
  }
  return ctx.mac(data);
}

/** RFC 5869 HKDF via OpenSSL. node caps `info` at 1024 bytes; callers fall back to HMAC above that. */
export const HKDF_NATIVE_INFO_MAX = 1024;
export function hkdf(
  name: string,
  ikm: KeyInput,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Uint8Array {
  requireDigest(name);
  const key = ikm instanceof nc.KeyObject || ikm.length === 0 ? ikm : nc.createSecretKey(ikm);
  return new Uint8Array(nc.hkdfSync(name, key, salt, info, length));
}

export function pbkdf2(
  name: string,
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  length: number,
): Buffer {
  requireDigest(name);
  return nc.pbkdf2Sync(password, salt, iterations, length, name);
}

export function pbkdf2Async(
  name: string,
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  length: number,
): Promise<Buffer> {
  requireDigest(name);
  return new Promise((resolve, reject) => {
    nc.pbkdf2(password, salt, iterations, length, name, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export interface ScryptParams {
  n: number;
  r: number;
  p: number;
  maxmem: number;
}

export function scrypt(password: Uint8Array, salt: Uint8Array, length: number, params: ScryptParams): Buffer {
  return nc.scryptSync(password, salt, length, {
    N: params.n,
    r: params.r,
    p: params.p,
    maxmem: params.maxmem,
  });
}

export function scryptAsync(
  password: Uint8Array,
  salt: Uint8Array,
  length: number,
  params: ScryptParams,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    nc.scrypt(
      password,
      salt,
      length,
      { N: params.n, r: params.r, p: params.p, maxmem: params.maxmem },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return nc.timingSafeEqual(a, b);
}

export function randomBytes(n: number): Buffer {
  return nc.randomBytes(n);
}

export function randomFill(buf: Uint8Array): void {
  nc.randomFillSync(buf);
}

// ---------------------------------------------------------------------------------------------------
// Symmetric ciphers. Each returns Buffers straight from OpenSSL; callers assemble their formats.

export type GcmCipherName = 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm';

const gcmKeyBytes: Record<GcmCipherName, number> = {
  'aes-128-gcm': 16,
  'aes-192-gcm': 24,
  'aes-256-gcm': 32,
};

/** Runs `f` on a one-call native context for raw key bytes, or returns undefined without the addon. */
function withNativeGcm<T>(name: GcmCipherName, key: Uint8Array, f: (ctx: NativeAead) => T): T | undefined {
  if (native === undefined) return undefined;
  const ctx = new NativeAead(name, key);
  try {
    return f(ctx);
  } finally {
    ctx.destroy();
  }
}

/** AES-GCM encryption: returns [ciphertext, 16-byte tag]. */
export function gcmEncrypt(
  name: GcmCipherName,
  key: KeyInput,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array | undefined,
): [Buffer, Buffer] {
  if (!(key instanceof nc.KeyObject) && iv.length === 12 && key.length === gcmKeyBytes[name]) {
    const sealed = withNativeGcm(name, key, (ctx) => ctx.seal(iv, plaintext, aad));
    if (sealed !== undefined) {
      const n = plaintext.length;
      const buf = sealed.buffer as ArrayBuffer;
      return [Buffer.from(buf, sealed.byteOffset, n), Buffer.from(buf, sealed.byteOffset + n, 16)];
    }
  }
  const c = nc.createCipheriv(name, rawKey(key), iv, { authTagLength: 16 });
  if (aad !== undefined && aad.length > 0) c.setAAD(aad);
  const body = c.update(plaintext);
  const last = c.final();
  return [last.length === 0 ? body : Buffer.concat([body, last]), c.getAuthTag()];
}

/** AES-GCM decryption; returns null (never partial plaintext) when the tag does not verify. */
export function gcmDecrypt(
  name: GcmCipherName,
  key: KeyInput,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  aad: Uint8Array | undefined,
): Buffer | null {
  if (
    !(key instanceof nc.KeyObject) &&
    iv.length === 12 &&
    tag.length === 16 &&
    key.length === gcmKeyBytes[name]
  ) {
    const opened = withNativeGcm(name, key, (ctx) => ctx.open(iv, ciphertext, tag, aad));
    if (opened !== undefined)
      return opened === null
        ? null
        : Buffer.from(opened.buffer as ArrayBuffer, opened.byteOffset, opened.length);
  }
  const d = nc.createDecipheriv(name, rawKey(key), iv, { authTagLength: tag.length });
  d.setAuthTag(tag);
  if (aad !== undefined && aad.length > 0) d.setAAD(aad);
  const body = d.update(ciphertext);
  try {
    const last = d.final();
    return last.length === 0 ? body : Buffer.concat([body, last]);
  } catch {
    body.fill(0);
    return null;
  }
}

export type CbcCipherName = 'aes-128-cbc' | 'aes-192-cbc' | 'aes-256-cbc';

/** AES-CBC with PKCS#7 padding (OpenSSL's). */
export function cbcEncrypt(
  name: CbcCipherName,
  key: KeyInput,
  iv: Uint8Array,
  plaintext: Uint8Array,
): Buffer {
  const c = nc.createCipheriv(name, rawKey(key), iv);
  const body = c.update(plaintext);
  return Buffer.concat([body, c.final()]);
}

/** AES-CBC decryption with PKCS#7 unpadding; returns null on bad padding. Only call on authenticated data. */
export function cbcDecrypt(
  name: CbcCipherName,
  key: KeyInput,
  iv: Uint8Array,
  ciphertext: Uint8Array,
): Buffer | null {
  const d = nc.createDecipheriv(name, rawKey(key), iv);
  const body = d.update(ciphertext);
  try {
    return Buffer.concat([body, d.final()]);
  } catch {
    body.fill(0);
    return null;
  }
}

/**
 * AES-CBC with PKCS#7 padding, writing the ciphertext straight into `out` at `offset`, so a caller that
 * builds a token in one buffer avoids an intermediate copy. `out` must have room for the padded length
 * (`plaintext.length` rounded up to the next whole block, plus one block when already aligned).
 * Returns the number of bytes written.
 */
export function cbcEncryptInto(
  name: CbcCipherName,
  key: KeyInput,
  iv: Uint8Array,
  plaintext: Uint8Array,
  out: Uint8Array,
  offset: number,
): number {
  const c = nc.createCipheriv(name, rawKey(key), iv);
  const body = c.update(plaintext);
  out.set(body, offset);
  const last = c.final();
  out.set(last, offset + body.length);
  return body.length + last.length;
}

/**
 * `cbcDecrypt` for plaintext handed to callers: the result owns its ArrayBuffer (never Node's shared
 * pool) and the intermediate buffers are wiped. Returns null on bad padding. Only call on authenticated
 * data.
 */
export function cbcDecryptOwned(
  name: CbcCipherName,
  key: KeyInput,
  iv: Uint8Array,
  ciphertext: Uint8Array,
): Uint8Array | null {
  const d = nc.createDecipheriv(name, rawKey(key), iv);
  const body = d.update(ciphertext);
  let last: Buffer;
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

/**
 * A long-lived AES-256-ECB encryptor without padding, for single-block derivations (XAES-256-GCM). It
 * never finalizes: each `update` of whole blocks returns their encryptions at once, so one OpenSSL
 * context serves every call for the key (~1 µs instead of a new context per message).
 */
export function aesEcbEncryptor(key: Uint8Array): (blocks: Uint8Array) => Buffer {
  const c = nc.createCipheriv('aes-256-ecb', key, null);
  c.setAutoPadding(false);
  return (blocks) => c.update(blocks);
}
