// The adapter over node:crypto (OpenSSL) for the one-shot AEADs: AES-GCM, AES-CCM, AES-OCB and
// ChaCha20-Poly1305. It sits beside backend.ts so that every OpenSSL call stays in src/internal; callers
// validate every size first, so nothing here can be reached with parameters OpenSSL would refuse.
//
// Speed (measured on these machines, AES-256-GCM, CPU time). node has no update-into, so update()
// always returns a fresh buffer and ct ‖ tag needs room for the tag after it:
//   - Node 22+ (ArrayBuffer.prototype.transfer, feature-detected): update()'s own buffer is grown by
//     the tag length, which the allocator mostly does in place. Node 24, per call: 16 KiB 23 -> 18 µs,
//     1 MiB 1.10 -> 0.84 ms against copying, within 10 % of update() alone.
//   - Node 20: the output is allocated before update() and the ciphertext copied in; that beats
//     `Buffer.concat([update(), final(), getAuthTag()])` by 20-35 % at 16 KiB and 1 MiB (update()'s
//     buffer then lands in memory malloc just freed, still in cache), and feeding update() 64 KiB at a
//     time adds 7-15 % at 1 MiB (small per-update buffers stay in cache).
// Decryption returns update()'s own buffer: no copy at all.
//
// When the native addon is loaded (src/internal/native.ts), GCM and ChaCha20-Poly1305 with 12-byte
// nonces and 16-byte tags go to it instead: one keyed OpenSSL context per key, kept beside the key's
// KeyObject for as long as the KeyObject lives. Outputs are byte-identical (test/internal/native*.test.ts).
import * as nc from 'node:crypto';
import type { KeyInput } from './backend.ts';
import { NATIVE_AEADS, NativeAead, type NativeAeadName, native } from './native.ts';

/** The node:crypto names of the AEADs this adapter serves. */
export type NodeAeadName =
  | 'aes-128-gcm'
  | 'aes-192-gcm'
  | 'aes-256-gcm'
  | 'aes-128-ccm'
  | 'aes-192-ccm'
  | 'aes-256-ccm'
  | 'aes-128-ocb'
  | 'aes-192-ocb'
  | 'aes-256-ocb'
  | 'chacha20-poly1305';

const cipherNames = new Set(nc.getCiphers().map((c) => c.toLowerCase()));

/** True when this runtime's OpenSSL offers the cipher (OCB can be missing from a restricted build). */
export function hasCipher(name: string): boolean {
  return cipherNames.has(name);
}

// An empty view over real memory. node hands OpenSSL a NULL pointer for an empty Uint8Array that has no
// backing store (`new Uint8Array(new ArrayBuffer(0))`), and OpenSSL's CCM reads update(NULL, 0) as a
// length-setting call, not as the (empty) message: encryption then fails with "tag not set" and a valid
// empty message would not decrypt. Every empty input goes to OpenSSL as this view instead.
const EMPTY = new Uint8Array(new ArrayBuffer(16), 0, 0);
const nonNull = (b: Uint8Array): Uint8Array => (b.length === 0 ? EMPTY : b);

/**
 * A fresh ArrayBuffer of `length` bytes, never node's shared pool. From 4 KiB up it is left unzeroed,
 * since every byte is written before it is returned: zeroing 1 MiB first cost about 85 µs here, a
 * quarter of AES-256-GCM's own time for it.
 */
function output(length: number): Uint8Array {
  return length < 4096
    ? new Uint8Array(length)
    : new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
}

/** Plaintext per update() call when encrypting long messages (not CCM). */
const CHUNK = 64 * 1024;

// One options object per tag length (4 to 16, even: every length these AEADs take), made once.
const tagOptions: Array<{ readonly authTagLength: number }> = [];
for (let n = 4; n <= 16; n += 2) tagOptions[n] = Object.freeze({ authTagLength: n });
const tagOption = (authTagLength: number) => tagOptions[authTagLength] ?? { authTagLength };

/** `ArrayBuffer.prototype.transfer` where the runtime has it (Node 22+; Node 20's V8 has not). */
const transfer = (ArrayBuffer.prototype as { transfer?: (this: ArrayBuffer, length: number) => ArrayBuffer })
  .transfer;
/** Below this, growing update()'s buffer gains nothing measurable over a copy. */
const TRANSFER_MIN = 1024;

/** True when `b` is the whole of an ArrayBuffer (never a slice of node's pool), so that it may be moved. */
const ownsBuffer = (b: Buffer): boolean => b.byteOffset === 0 && b.buffer.byteLength === b.length;

// One native context per (KeyObject, cipher): a SecretKey may serve AES-256-GCM and ChaCha20-Poly1305
// alike. The WeakMap lets a context go (its finalizer frees it) when its KeyObject does.
const nativeContexts = new Map<NodeAeadName, WeakMap<nc.KeyObject, NativeAead>>();
const NATIVE_KEY_BYTES: Partial<Record<NodeAeadName, number>> = {
  'aes-128-gcm': 16,
  'aes-192-gcm': 24,
  'aes-256-gcm': 32,
  'chacha20-poly1305': 32,
};

/** The native context for a long-lived key, made on first use; undefined where node:crypto must serve. */
function nativeFor(name: NodeAeadName, key: nc.KeyObject): NativeAead | undefined {
  let byKey = nativeContexts.get(name);
  if (byKey === undefined) {
    byKey = new WeakMap();
    nativeContexts.set(name, byKey);
  }
  let ctx = byKey.get(key);
  if (ctx === undefined) {
    if (key.type !== 'secret' || key.symmetricKeySize !== NATIVE_KEY_BYTES[name]) return undefined;
    const bytes = key.export();
    try {
      ctx = new NativeAead(name as NativeAeadName, bytes);
    } finally {
      bytes.fill(0);
    }
    byKey.set(key, ctx);
  }
  return ctx;
}

/**
 * Runs `f` on a native context for `key` when the addon serves this call (12-byte nonce, 16-byte tag),
 * else returns undefined. Raw key bytes get a context for this one call, freed at once.
 */
function viaNative<T>(
  name: NodeAeadName,
  key: KeyInput,
  nonce: Uint8Array,
  tagLength: number,
  f: (ctx: NativeAead) => T,
): T | undefined {
  if (native === undefined || nonce.length !== 12 || tagLength !== 16 || !Object.hasOwn(NATIVE_AEADS, name))
    return undefined;
  if (key instanceof nc.KeyObject) {
    const ctx = nativeFor(name, key);
    return ctx === undefined ? undefined : f(ctx);
  }
  if (key.length !== NATIVE_KEY_BYTES[name]) return undefined;
  const ctx = new NativeAead(name as NativeAeadName, key);
  try {
    return f(ctx);
  } finally {
    ctx.destroy();
  }
}

/**
 * Encrypts and returns ciphertext ‖ tag in one plain Uint8Array. CCM needs the plaintext length before
 * any data (RFC 3610 §2.2: it is in B_0), so node takes it through setAAD even when there is no AAD.
 */
export function aeadSeal(
  name: NodeAeadName,
  ccm: boolean,
  key: KeyInput,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array | undefined,
  tagLength: number,
): Uint8Array {
  if (native !== undefined) {
    const sealed = viaNative(name, key, nonce, tagLength, (ctx) => ctx.seal(nonce, plaintext, aad));
    if (sealed !== undefined) return sealed;
  }
  const length = plaintext.length;
  const c = nc.createCipheriv(name as nc.CipherGCMTypes, key, nonce, tagOption(tagLength));
  if (ccm) c.setAAD(nonNull(aad ?? EMPTY), { plaintextLength: length });
  else if (aad !== undefined && aad.length > 0) c.setAAD(aad);
  let out: Uint8Array;
  let written: number;
  if (transfer !== undefined && length >= TRANSFER_MIN) {
    const body = c.update(plaintext);
    written = body.length;
    if (ownsBuffer(body)) {
      // The old buffer is detached; the tag's bytes arrive zeroed and are written below.
      out = new Uint8Array(transfer.call(body.buffer as ArrayBuffer, length + tagLength));
    } else {
      out = output(length + tagLength);
      out.set(body);
    }
  } else if (ccm || length <= CHUNK) {
    out = output(length + tagLength);
    // node:crypto's CCM takes the whole message in one update() call (RFC 3610 MACs it before encrypting).
    const body = c.update(nonNull(plaintext));
    out.set(body);
    written = body.length;
  } else {
    out = output(length + tagLength);
    written = 0;
    for (let i = 0; i < length; i += CHUNK) {
      const body = c.update(plaintext.subarray(i, i + CHUNK));
      out.set(body, written);
      written += body.length;
    }
  }
  // OCB holds back a partial block until final(); GCM, CCM and ChaCha20-Poly1305 return nothing there.
  const last = c.final();
  if (last.length > 0) out.set(last, written);
  out.set(c.getAuthTag(), length);
  return out;
}

/**
 * Decrypts `ciphertext` (without its tag) and returns the plaintext, or null when the tag does not
 * verify. Plaintext is released only after final() has checked the tag; on failure the unverified
 * bytes are wiped.
 */
export function aeadOpen(
  name: NodeAeadName,
  ccm: boolean,
  key: KeyInput,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  aad: Uint8Array | undefined,
): Uint8Array | null {
  if (native !== undefined) {
    const opened = viaNative(name, key, nonce, tag.length, (ctx) => ctx.open(nonce, ciphertext, tag, aad));
    if (opened !== undefined) return opened;
  }
  const d = nc.createDecipheriv(name as nc.CipherGCMTypes, key, nonce, tagOption(tag.length));
  d.setAuthTag(tag);
  if (ccm) d.setAAD(nonNull(aad ?? EMPTY), { plaintextLength: ciphertext.length });
  else if (aad !== undefined && aad.length > 0) d.setAAD(aad);
  // CCM checks the tag inside update(); node then holds the failure back for final() to throw.
  const body = d.update(nonNull(ciphertext));
  let last: Buffer;
  try {
    last = d.final();
  } catch {
    body.fill(0);
    return null;
  }
  // update() hands back a Buffer over an ArrayBuffer of its own (never node's shared pool): then a view
  // is enough. Anything else is copied, so the caller never holds a view into memory it does not own.
  if (last.length === 0 && ownsBuffer(body)) {
    return new Uint8Array(body.buffer, 0, body.length);
  }
  const out = new Uint8Array(body.length + last.length);
  out.set(body);
  out.set(last, body.length);
  body.fill(0);
  last.fill(0);
  return out;
}
