// The native fast path (src/native/coffer.c): a Node-API addon over the OpenSSL inside the running node.
// node:crypto builds a cipher object, copies the key into OpenSSL and allocates several buffers for
// every message; the addon keeps one keyed OpenSSL context per key and writes straight into the output,
// which is where most of a small message's time went (see bench/README.md for the figures).
//
// Loading, in order: the prebuilt binary for this platform (`prebuilds/<platform>-<arch>/coffer.node`,
// shipped in the package), then a local build (`build/Release/coffer.node`, from `npm install`). Each
// candidate must pass a known-answer self-test against node:crypto before it is used, so an addon that
// loads but disagrees with this node (another OpenSSL, a broken build) is skipped, never trusted.
// Nothing loads when COFFER_BACKEND=js; COFFER_BACKEND=native makes a missing addon an error at import
// (CI uses it so that the "native" run cannot quietly test node:crypto twice).
//
// Every wrapper below checks types and lengths before calling into C, and the C checks them again.
import * as nc from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { types } from 'node:util';

/** What the addon exports (src/native/coffer.c). */
interface RawAead {
  seal(
    nonce: Uint8Array,
    data: Uint8Array,
    aad: Uint8Array | undefined,
    out: Uint8Array,
    offset: number,
  ): void;
  open(
    nonce: Uint8Array,
    data: Uint8Array,
    tag: Uint8Array,
    aad: Uint8Array | undefined,
    out: Uint8Array,
    offset: number,
  ): boolean;
  sealAlloc(nonce: Uint8Array, data: Uint8Array, aad: Uint8Array | undefined): Uint8Array;
  openAlloc(
    nonce: Uint8Array,
    data: Uint8Array,
    tag: Uint8Array,
    aad: Uint8Array | undefined,
  ): Uint8Array | null;
  deriveKey(nonce: Uint8Array, out: Uint8Array, offset: number): void;
  destroy(): void;
}
interface RawHmac {
  mac(data: Uint8Array): Buffer;
  destroy(): void;
}
/** @internal The addon's exports, for the tests that feed it hostile input directly. */
export interface Binding {
  Aead: new (kind: number, key: Uint8Array) => RawAead;
  Hmac: new (kind: number, key: Uint8Array) => RawHmac;
  hmac(kind: number, key: Uint8Array, data: Uint8Array): Buffer;
  digest(kind: number, data: Uint8Array): Buffer;
  info(): { openssl: string; opensslNumber: number; headers: string; napi: number };
}

/** The AEADs the addon serves, by node:crypto name, with their kind number in C. */
export const NATIVE_AEADS = {
  'aes-128-gcm': 0,
  'aes-192-gcm': 1,
  'aes-256-gcm': 2,
  'chacha20-poly1305': 3,
  'xaes-256-gcm': 4,
} as const;
export type NativeAeadName = keyof typeof NATIVE_AEADS;
const KEY_BYTES = [16, 24, 32, 32, 32];
const NONCE_BYTES = [12, 12, 12, 12, 24];

/** The digests the addon serves (hash and HMAC), by node:crypto name. */
const DIGESTS: Readonly<Record<string, number>> = { sha256: 0, sha512: 1 };
const DIGEST_BYTES = [32, 64];

export const NATIVE_TAG_BYTES = 16;
/** EVP's lengths are C ints; coffer's AEAD limit (MAX_AEAD_DATA) is the same. */
const MAX_DATA = 2 ** 31 - 1;
/**
 * From here outputs skip the zero-fill (every byte is written before the caller sees it). Outputs are
 * allocated here rather than in C: napi_create_arraybuffer plus napi_create_typedarray cost more than
 * `new Uint8Array` and the call into C together (measured at 64 B).
 */
const UNFILLED_FROM = 4096;

// ---------------------------------------------------------------------------------------------------
// Loading.

/** How the backend was chosen: what backendInfo() reports. */
export interface NativeStatus {
  readonly binding: Binding | undefined;
  /** The loaded addon's path. */
  readonly path: string | undefined;
  /** Why the native backend is not in use (undefined when it is). */
  readonly reason: string | undefined;
}

const root = new URL('../../', import.meta.url);
const candidates = [`prebuilds/${process.platform}-${process.arch}/coffer.node`, 'build/Release/coffer.node'];

/** Known answers from node:crypto and C2SP; returns what disagreed, or undefined. */
function selfTest(b: Binding): string | undefined {
  const key = new Uint8Array(32).fill(7);
  const nonce = new Uint8Array(12).fill(9);
  const data = Uint8Array.from({ length: 37 }, (_, i) => i);
  const aad = Uint8Array.of(1, 2, 3);
  for (const [name, kind] of Object.entries(NATIVE_AEADS)) {
    if (kind === NATIVE_AEADS['xaes-256-gcm']) continue;
    const k = key.subarray(0, KEY_BYTES[kind]);
    const c = nc.createCipheriv(name as nc.CipherGCMTypes, k, nonce, { authTagLength: 16 });
    c.setAAD(aad);
    const want = Buffer.concat([c.update(data), c.final(), c.getAuthTag()]);
    const ctx = new b.Aead(kind, k);
    const got = ctx.sealAlloc(nonce, data, aad);
    const back = ctx.openAlloc(nonce, got.subarray(0, 37), got.subarray(37), aad);
    got[0]! ^= 1;
    const forged = ctx.openAlloc(nonce, got.subarray(0, 37), got.subarray(37), aad);
    ctx.destroy();
    got[0]! ^= 1;
    if (!want.equals(got) || back === null || !Buffer.from(data).equals(back) || forged !== null)
      return `${name} disagrees with node:crypto`;
  }
  // c2sp.org/XAES-256-GCM, the first published vector.
  const xaes = new b.Aead(4, new Uint8Array(32).fill(1));
  const xct = xaes.sealAlloc(Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWX'), Buffer.from('XAES-256-GCM'), undefined);
  xaes.destroy();
  if (Buffer.from(xct).toString('hex') !== 'ce546ef63c9cc60765923609b33a9a1974e96e52daf2fcf7075e2271')
    return 'XAES-256-GCM disagrees with its C2SP vector';
  for (const [name, kind] of Object.entries(DIGESTS)) {
    if (!b.digest(kind, data).equals(nc.createHash(name).update(data).digest()))
      return `${name} disagrees with node:crypto`;
    if (!b.hmac(kind, key, data).equals(nc.createHmac(name, key).update(data).digest()))
      return `HMAC-${name} disagrees with node:crypto`;
  }
  return undefined;
}

function load(): NativeStatus {
  const mode = process.env.COFFER_BACKEND ?? '';
  if (mode === 'js') return { binding: undefined, path: undefined, reason: 'COFFER_BACKEND=js' };
  const require = createRequire(import.meta.url);
  const problems: string[] = [];
  for (const rel of candidates) {
    const path = fileURLToPath(new URL(rel, root));
    if (!existsSync(path)) continue;
    try {
      const b = require(path) as Binding;
      const problem = selfTest(b);
      if (problem === undefined) return { binding: b, path, reason: undefined };
      problems.push(`${rel}: ${problem}`);
    } catch (err) {
      // dlopen's message names the file and the missing symbol; no input of ours is in it.
      problems.push(`${rel}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }
  const reason = problems.length > 0 ? problems.join('; ') : 'no addon built (npm run build:native)';
  if (mode === 'native')
    throw new Error(`COFFER_BACKEND=native, but the native addon is unusable: ${reason}`);
  return { binding: undefined, path: undefined, reason };
}

/** @internal The result of loading, once per process (and per worker thread). */
export const nativeStatus: NativeStatus = load();
/** The addon, when it loaded and passed its self-test. */
export const native: Binding | undefined = nativeStatus.binding;

// ---------------------------------------------------------------------------------------------------
// Checks before every call into C: the labelled errors callers see, never folded into an auth failure.

function u8(name: string, value: unknown): Uint8Array {
  if (!types.isUint8Array(value)) throw new TypeError(`"${name}" must be a Uint8Array`);
  return value;
}

function exact(name: string, value: unknown, length: number): Uint8Array {
  const b = u8(name, value);
  if (b.length !== length) throw new RangeError(`"${name}" must be ${length} bytes, got ${b.length}`);
  return b;
}

function data(name: string, value: unknown): Uint8Array {
  const b = u8(name, value);
  if (b.length > MAX_DATA)
    throw new RangeError(`"${name}" must be at most ${MAX_DATA} bytes, got ${b.length}`);
  return b;
}

function optional(value: Uint8Array | null | undefined): Uint8Array | undefined {
  return value === undefined || value === null ? undefined : data('aad', value);
}

function room(out: unknown, offset: unknown, need: number): void {
  const o = u8('out', out);
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0)
    throw new TypeError('"offset" must be a non-negative integer');
  if (offset > o.length || o.length - offset < need)
    throw new RangeError(`"out" must have ${need} bytes free at offset ${offset}, got ${o.length - offset}`);
}

/** A fresh, whole ArrayBuffer (never node's pool) for `n` bytes that the caller writes completely. */
function output(n: number): Uint8Array {
  return n < UNFILLED_FROM ? new Uint8Array(n) : new Uint8Array(Buffer.allocUnsafeSlow(n).buffer, 0, n);
}

function unavailable(): never {
  throw new Error(`the native backend is not loaded (${nativeStatus.reason})`);
}

/**
 * A keyed native AEAD context: AES-128/192/256-GCM or ChaCha20-Poly1305 with 12-byte nonces, or
 * XAES-256-GCM with 24-byte nonces; 16-byte tags. The key is scheduled once; `destroy()` frees it at
 * once (OpenSSL wipes it), else the garbage collector's finalizer does.
 */
export class NativeAead {
  readonly #ctx: RawAead;
  readonly #nonceBytes: number;

  /**
   * @throws {TypeError} when `key` is not a Uint8Array or `name` not a native AEAD.
   * @throws {RangeError} when `key` has the wrong length.
   */
  constructor(name: NativeAeadName, key: Uint8Array) {
    const b = native ?? unavailable();
    const kind = Object.hasOwn(NATIVE_AEADS, name) ? NATIVE_AEADS[name] : undefined;
    if (kind === undefined) throw new TypeError('"name" must be a native AEAD');
    exact('key', key, KEY_BYTES[kind]!);
    this.#ctx = new b.Aead(kind, key);
    this.#nonceBytes = NONCE_BYTES[kind]!;
  }

  /** Writes ciphertext ‖ tag (`data.length + 16` bytes) into `out` at `offset`. */
  sealInto(
    nonce: Uint8Array,
    plaintext: Uint8Array,
    aad: Uint8Array | null | undefined,
    out: Uint8Array,
    offset: number,
  ): void {
    exact('nonce', nonce, this.#nonceBytes);
    const a = optional(aad);
    room(out, offset, data('data', plaintext).length + NATIVE_TAG_BYTES);
    this.#ctx.seal(nonce, plaintext, a, out, offset);
  }

  /** Returns ciphertext ‖ tag in a new Uint8Array that owns its ArrayBuffer. */
  seal(nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array | null): Uint8Array {
    exact('nonce', nonce, this.#nonceBytes);
    const a = optional(aad);
    const out = output(data('data', plaintext).length + NATIVE_TAG_BYTES);
    this.#ctx.seal(nonce, plaintext, a, out, 0);
    return out;
  }

  /** Checks the tag and writes the plaintext into `out` at `offset`; false (out wiped) when it fails. */
  openInto(
    nonce: Uint8Array,
    ciphertext: Uint8Array,
    tag: Uint8Array,
    aad: Uint8Array | null | undefined,
    out: Uint8Array,
    offset: number,
  ): boolean {
    exact('nonce', nonce, this.#nonceBytes);
    exact('tag', tag, NATIVE_TAG_BYTES);
    const a = optional(aad);
    room(out, offset, data('data', ciphertext).length);
    return this.#ctx.open(nonce, ciphertext, tag, a, out, offset);
  }

  /** The plaintext in a new Uint8Array that owns its ArrayBuffer, or null when the tag does not verify. */
  open(
    nonce: Uint8Array,
    ciphertext: Uint8Array,
    tag: Uint8Array,
    aad?: Uint8Array | null,
  ): Uint8Array | null {
    exact('nonce', nonce, this.#nonceBytes);
    exact('tag', tag, NATIVE_TAG_BYTES);
    const a = optional(aad);
    const out = output(data('data', ciphertext).length);
    return this.#ctx.open(nonce, ciphertext, tag, a, out, 0) ? out : null;
  }

  /** XAES-256-GCM only: the per-message AES-256-GCM key for a 24-byte nonce (tests and vectors). */
  deriveKey(nonce: Uint8Array): Buffer {
    exact('nonce', nonce, 24);
    const out = Buffer.alloc(32);
    this.#ctx.deriveKey(nonce, out, 0);
    return out;
  }

  /** Frees the OpenSSL contexts now; any later call throws. Idempotent. */
  destroy(): void {
    this.#ctx.destroy();
  }
}

/** A keyed native HMAC context (SHA-256 or SHA-512): the key's pads are computed once. */
export class NativeHmac {
  readonly #ctx: RawHmac;

  /** @throws {TypeError} when `key` is not a Uint8Array or the digest is not native. */
  constructor(name: string, key: Uint8Array) {
    const b = native ?? unavailable();
    const kind = Object.hasOwn(DIGESTS, name) ? DIGESTS[name] : undefined;
    if (kind === undefined) throw new TypeError('"name" must be sha256 or sha512');
    this.#ctx = new b.Hmac(kind, u8('key', key));
  }

  mac(message: Uint8Array): Buffer {
    return this.#ctx.mac(u8('data', message));
  }

  destroy(): void {
    this.#ctx.destroy();
  }
}

/** True when the addon is loaded and serves this digest (hash and HMAC). */
export function nativeDigestKind(name: string): number | undefined {
  return native !== undefined && Object.hasOwn(DIGESTS, name) ? DIGESTS[name] : undefined;
}

/** One-shot HMAC; `kind` from nativeDigestKind. */
export function nativeHmac(kind: number, key: Uint8Array, message: Uint8Array): Buffer {
  return (native ?? unavailable()).hmac(kind, u8('key', key), u8('data', message));
}

/** One-shot hash; `kind` from nativeDigestKind. */
export function nativeDigest(kind: number, message: Uint8Array): Buffer {
  return (native ?? unavailable()).digest(kind, u8('data', message));
}

export { DIGEST_BYTES as NATIVE_DIGEST_BYTES };
