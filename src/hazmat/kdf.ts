/**
 * Key derivation functions, after pyca's `cryptography.hazmat.primitives.kdf`: HKDF, HKDFExpand,
 * PBKDF2HMAC, Scrypt, ConcatKDFHash, ConcatKDFHMAC, X963KDF and KBKDFHMAC (counter mode).
 *
 * > **Hazmat.** To store passwords use `hashPassword` from `coffer` (Argon2id, PHC strings, rehash policy);
 * > to encrypt data use `Keyring` from `coffer`, which derives its keys for you.
 *
 * Each object is single-use, as in pyca: a second `derive` or `verify` throws `AlreadyFinalized`.
 * `verify` throws `InvalidKey` on a mismatch and compares in constant time. HKDF, PBKDF2 and scrypt are
 * OpenSSL's; the NIST constructions (SP 800-56A/C ConcatKDF, ANSI X9.63, SP 800-108 KBKDF) are composed
 * here from OpenSSL's hashes and HMAC, as pyca composes them.
 *
 * Every output is capped at {@link MAX_KDF_OUTPUT} bytes (1 MiB), below each algorithm's own limit.
 *
 * @example
 * ```ts
 * import { HKDF } from 'coffer/hazmat/kdf';
 * import { SHA256 } from 'coffer/hazmat/hashes';
 * const okm = new HKDF({ algorithm: new SHA256(), length: 32, salt: null, info: 'coffer/v1/example' })
 *   .derive(new Uint8Array(32));
 * ```
 * @module
 */
import { AlreadyFinalized, InvalidKey } from '../errors.ts';
import * as backend from '../internal/backend.ts';
import { bytes, bytesLike, concat, integer, u8, uintBE } from '../internal/bytes.ts';
import { type HashAlgorithm, hashAlgorithm } from '../internal/hash.ts';
import { keyBytes, keyInput, type SecretKey } from '../keys/secret-key.ts';

/** Largest output any coffer KDF produces: 1 MiB. */
export const MAX_KDF_OUTPUT = 1024 * 1024;

/** Input keying material: raw bytes or a SecretKey. */
export type KeyMaterial = Uint8Array | SecretKey;

function nonXof(algorithm: unknown): HashAlgorithm {
  const alg = hashAlgorithm('algorithm', algorithm);
  if (alg.isXof) throw new TypeError(`"algorithm" must not be an XOF, got ${alg.name}`);
  return alg;
}

function outputLength(value: unknown, max: number): number {
  return integer('length', value, 1, Math.min(max, MAX_KDF_OUTPUT));
}

/** `null`/`undefined` become the empty array; otherwise bytes are required. */
function orEmpty(name: string, value: unknown): Uint8Array {
  return value === undefined || value === null ? new Uint8Array(0) : bytes(name, value);
}

/** `null`/`undefined` become the empty array, strings are UTF-8, bytes pass. */
function optionalBytesLike(name: string, value: unknown): Uint8Array {
  if (value === undefined || value === null) return new Uint8Array(0);
  return bytesLike(name, value);
}

function checkOptions(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) throw new TypeError('"options" must be an object');
  return value as Record<string, unknown>;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && backend.timingSafeEqual(a, b);
}

/** Shared single-use bookkeeping: every KDF derives once. */
abstract class KeyDerivationFunction<M> {
  #used = false;

  protected abstract compute(keyMaterial: M): Uint8Array;
  protected abstract checkMaterial(keyMaterial: unknown): M;

  protected claim(): void {
    if (this.#used) throw new AlreadyFinalized(this.constructor.name);
    this.#used = true;
  }

  /**
   * Derives the key.
   * @throws {AlreadyFinalized} on a second call. @throws {TypeError} on a wrong argument type.
   */
  derive(keyMaterial: M): Uint8Array {
    const material = this.checkMaterial(keyMaterial);
    this.claim();
    return this.compute(material);
  }

  /**
   * Derives and compares with `expectedKey` in constant time.
   * @throws {InvalidKey} on a mismatch. @throws {AlreadyFinalized} on a second call.
   */
  verify(keyMaterial: M, expectedKey: Uint8Array): void {
    bytes('expectedKey', expectedKey);
    if (!equal(this.derive(keyMaterial), expectedKey)) throw new InvalidKey();
  }
}

abstract class SecretInputKdf extends KeyDerivationFunction<KeyMaterial> {
  protected checkMaterial(keyMaterial: unknown): KeyMaterial {
    keyBytes('keyMaterial', keyMaterial);
    return keyMaterial as KeyMaterial;
  }
}

abstract class PasswordKdf extends KeyDerivationFunction<Uint8Array | string> {
  protected checkMaterial(keyMaterial: unknown): Uint8Array | string {
    bytesLike('keyMaterial', keyMaterial);
    return keyMaterial as Uint8Array | string;
  }
  protected abstract computeAsync(password: Uint8Array): Promise<Uint8Array>;

  /** Like `derive`, on libuv's thread pool so the event loop stays free. */
  async deriveAsync(keyMaterial: Uint8Array | string): Promise<Uint8Array> {
    const password = bytesLike('keyMaterial', keyMaterial);
    this.claim();
    return this.computeAsync(password);
  }

  /** Like `verify`, off the event loop. @throws {InvalidKey} on a mismatch. */
  async verifyAsync(keyMaterial: Uint8Array | string, expectedKey: Uint8Array): Promise<void> {
    bytes('expectedKey', expectedKey);
    if (!equal(await this.deriveAsync(keyMaterial), expectedKey)) throw new InvalidKey();
  }
}

// RFC 5869 §2.3, composed from HMAC: T(i) = HMAC(PRK, T(i-1) | info | i). Used for HKDFExpand, and for
// HKDF when `info` is longer than node's native hkdf accepts.
function hkdfExpand(alg: HashAlgorithm, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let previous: Uint8Array = new Uint8Array(0);
  let offset = 0;
  for (let i = 1; offset < length; i++) {
    const h = backend.createHmac(alg.opensslName, prk);
    h.update(previous);
    h.update(info);
    h.update(Uint8Array.of(i));
    previous = u8(h.digest());
    out.set(previous.subarray(0, Math.min(previous.length, length - offset)), offset);
    offset += previous.length;
  }
  return out;
}

export interface HKDFOptions {
  algorithm: HashAlgorithm;
  /** Output bytes; at most 255 × digestSize (RFC 5869 §2.3). */
  length: number;
  /** Optional salt; `null` means digestSize zero bytes (RFC 5869 §2.2). */
  salt?: Uint8Array | null;
  /** Context and application-specific information (bytes, or a string as UTF-8). */
  info?: Uint8Array | string | null;
}

/**
 * HKDF (RFC 5869): extract then expand.
 * @throws {RangeError} when `length` exceeds 255 × digestSize.
 */
export class HKDF extends SecretInputKdf {
  readonly #alg: HashAlgorithm;
  readonly #length: number;
  readonly #salt: Uint8Array;
  readonly #info: Uint8Array;

  constructor(options: HKDFOptions) {
    super();
    const o = checkOptions(options);
    this.#alg = nonXof(o.algorithm);
    this.#length = outputLength(o.length, 255 * this.#alg.digestSize);
    this.#salt = orEmpty('salt', o.salt);
    this.#info = optionalBytesLike('info', o.info);
  }

  protected compute(keyMaterial: KeyMaterial): Uint8Array {
    if (this.#info.length <= backend.HKDF_NATIVE_INFO_MAX) {
      const input = keyInput('keyMaterial', keyMaterial);
      return backend.hkdf(this.#alg.opensslName, input, this.#salt, this.#info, this.#length);
    }
    const ikm = keyBytes('keyMaterial', keyMaterial);
    const salt = this.#salt.length > 0 ? this.#salt : new Uint8Array(this.#alg.digestSize);
    const prk = u8(backend.hmac(this.#alg.opensslName, salt, ikm));
    return hkdfExpand(this.#alg, prk, this.#info, this.#length);
  }
}

export interface HKDFExpandOptions {
  algorithm: HashAlgorithm;
  /** Output bytes; at most 255 × digestSize. */
  length: number;
  info?: Uint8Array | string | null;
}

/**
 * HKDF's expand step alone (RFC 5869 §2.3), for key material that is already a uniformly random PRK.
 * @throws {RangeError} when `length` exceeds 255 × digestSize.
 */
export class HKDFExpand extends SecretInputKdf {
  readonly #alg: HashAlgorithm;
  readonly #length: number;
  readonly #info: Uint8Array;

  constructor(options: HKDFExpandOptions) {
    super();
    const o = checkOptions(options);
    this.#alg = nonXof(o.algorithm);
    this.#length = outputLength(o.length, 255 * this.#alg.digestSize);
    this.#info = optionalBytesLike('info', o.info);
  }

  protected compute(keyMaterial: KeyMaterial): Uint8Array {
    return hkdfExpand(this.#alg, keyBytes('keyMaterial', keyMaterial), this.#info, this.#length);
  }
}

/** Largest PBKDF2 iteration count accepted: 2^31 - 1 (OpenSSL's own limit). */
export const MAX_PBKDF2_ITERATIONS = 2 ** 31 - 1;

export interface PBKDF2HMACOptions {
  algorithm: HashAlgorithm;
  length: number;
  salt: Uint8Array;
  /** OWASP (2023) asks for 600,000 with SHA-256. */
  iterations: number;
}

/**
 * PBKDF2 with HMAC (RFC 8018 §5.2). Prefer `hashPassword` (Argon2id) for passwords; PBKDF2 is here for
 * FIPS settings and interop. `deriveAsync` keeps the event loop free.
 */
export class PBKDF2HMAC extends PasswordKdf {
  readonly #alg: HashAlgorithm;
  readonly #length: number;
  readonly #salt: Uint8Array;
  readonly #iterations: number;

  constructor(options: PBKDF2HMACOptions) {
    super();
    const o = checkOptions(options);
    this.#alg = nonXof(o.algorithm);
    this.#length = outputLength(o.length, MAX_KDF_OUTPUT);
    this.#salt = bytes('salt', o.salt);
    this.#iterations = integer('iterations', o.iterations, 1, MAX_PBKDF2_ITERATIONS);
  }

  protected compute(password: Uint8Array | string): Uint8Array {
    const pw = bytesLike('keyMaterial', password);
    return u8(backend.pbkdf2(this.#alg.opensslName, pw, this.#salt, this.#iterations, this.#length));
  }

  protected async computeAsync(password: Uint8Array): Promise<Uint8Array> {
    return u8(
      await backend.pbkdf2Async(this.#alg.opensslName, password, this.#salt, this.#iterations, this.#length),
    );
  }
}

/**
 * Default ceiling on scrypt's memory, 1 GiB plus 1 MiB of bookkeeping: enough for n = 2^20, r = 8, p = 1
 * (OpenSSL needs 128 · r · (n + p + 2) bytes), and no more.
 */
export const DEFAULT_SCRYPT_MAX_MEMORY = 1024 * 1024 * 1024 + 1024 * 1024;

export interface ScryptOptions {
  salt: Uint8Array;
  length: number;
  /** CPU/memory cost, a power of 2 from 2 to 2^31, and below 2^(16·r) (RFC 7914 §2). */
  n: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
  /** Memory ceiling in bytes; parameters that need more throw `RangeError`. Default 1 GiB + 1 MiB. */
  maxMemory?: number;
}

/**
 * scrypt (RFC 7914), OpenSSL's. The memory its parameters need (about 128 · n · r bytes) is checked against
 * `maxMemory` before any work starts, so hostile parameters cannot exhaust memory.
 * @throws {RangeError} when `n` is not a power of 2 above 1, or the parameters need more than `maxMemory`.
 */
export class Scrypt extends PasswordKdf {
  readonly #salt: Uint8Array;
  readonly #length: number;
  readonly #params: backend.ScryptParams;

  constructor(options: ScryptOptions) {
    super();
    const o = checkOptions(options);
    this.#salt = bytes('salt', o.salt);
    this.#length = outputLength(o.length, MAX_KDF_OUTPUT);
    // node passes N to OpenSSL as a uint32, so 2^31 is the largest power of 2 it accepts.
    const n = integer('n', o.n, 2, 2 ** 31);
    if (Math.log2(n) % 1 !== 0) throw new RangeError(`"n" must be a power of 2, got ${n}`);
    const r = integer('r', o.r, 1, 2 ** 30);
    const p = integer('p', o.p, 1, 2 ** 30);
    // RFC 7914 §2: N < 2^(128 · r / 8). OpenSSL refuses otherwise, but only once derive() has begun.
    if (16 * r < 32 && n >= 2 ** (16 * r)) {
      throw new RangeError(`"n" must be less than 2^(16 · r) = ${2 ** (16 * r)} (RFC 7914 §2), got ${n}`);
    }
    // RFC 7914 §2: p ≤ ((2^32-1) · 32) / (128 · r)
    if (p * 128 * r > (2 ** 32 - 1) * 32) throw new RangeError('"p" is too large for this "r" (RFC 7914 §2)');
    const cap =
      o.maxMemory === undefined ? DEFAULT_SCRYPT_MAX_MEMORY : integer('maxMemory', o.maxMemory, 1, 2 ** 48);
    // OpenSSL's estimate: 128·r·(n + p + 2) bytes, plus slack for its own bookkeeping.
    const need = 128 * r * (n + p + 2);
    if (need > cap) {
      throw new RangeError(
        `scrypt parameters need ${need} bytes of memory, over the ${cap}-byte limit ("maxMemory")`,
      );
    }
    this.#params = { n, r, p, maxmem: need + 1024 * 1024 };
  }

  protected compute(password: Uint8Array | string): Uint8Array {
    return u8(backend.scrypt(bytesLike('keyMaterial', password), this.#salt, this.#length, this.#params));
  }

  protected async computeAsync(password: Uint8Array): Promise<Uint8Array> {
    return u8(await backend.scryptAsync(password, this.#salt, this.#length, this.#params));
  }
}

export interface ConcatKDFHashOptions {
  algorithm: HashAlgorithm;
  length: number;
  otherInfo?: Uint8Array | null;
}

// NIST SP 800-56C rev2 §4.1 option 1/2: K(i) = H(counter_32 | Z | OtherInfo), counter from 1. X9.63 puts
// the counter after Z. Both are capped at digestSize · (2^32 - 1), far above MAX_KDF_OUTPUT.
function counterKdf(
  length: number,
  blockSize: number,
  block: (counter: Uint8Array) => Uint8Array,
): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 1, offset = 0; offset < length; i++, offset += blockSize) {
    const k = block(uintBE(i, 4));
    out.set(k.subarray(0, Math.min(k.length, length - offset)), offset);
  }
  return out;
}

/** One-step KDF with a hash (NIST SP 800-56C, "ConcatKDF"). */
export class ConcatKDFHash extends SecretInputKdf {
  readonly #alg: HashAlgorithm;
  readonly #length: number;
  readonly #otherInfo: Uint8Array;

  constructor(options: ConcatKDFHashOptions) {
    super();
    const o = checkOptions(options);
    this.#alg = nonXof(o.algorithm);
    this.#length = outputLength(o.length, MAX_KDF_OUTPUT);
    this.#otherInfo = orEmpty('otherInfo', o.otherInfo);
  }

  protected compute(keyMaterial: KeyMaterial): Uint8Array {
    const z = keyBytes('keyMaterial', keyMaterial);
    const name = this.#alg.opensslName;
    return counterKdf(this.#length, this.#alg.digestSize, (counter) =>
      u8(backend.createHash(name).update(counter).update(z).update(this.#otherInfo).digest()),
    );
  }
}

export interface ConcatKDFHMACOptions extends ConcatKDFHashOptions {
  /** HMAC key; `null` means blockSize zero bytes, as in pyca. */
  salt?: Uint8Array | null;
}

/** One-step KDF with HMAC (NIST SP 800-56C, "ConcatKDF" option 2). */
export class ConcatKDFHMAC extends SecretInputKdf {
  readonly #alg: HashAlgorithm;
  readonly #length: number;
  readonly #otherInfo: Uint8Array;
  readonly #salt: Uint8Array;

  constructor(options: ConcatKDFHMACOptions) {
    super();
    const o = checkOptions(options);
    this.#alg = nonXof(o.algorithm);
    this.#length = outputLength(o.length, MAX_KDF_OUTPUT);
    this.#otherInfo = orEmpty('otherInfo', o.otherInfo);
    this.#salt =
      o.salt === undefined || o.salt === null
        ? new Uint8Array(this.#alg.blockSize ?? 0)
        : bytes('salt', o.salt);
  }

  protected compute(keyMaterial: KeyMaterial): Uint8Array {
    const z = keyBytes('keyMaterial', keyMaterial);
    const name = this.#alg.opensslName;
    return counterKdf(this.#length, this.#alg.digestSize, (counter) =>
      u8(backend.createHmac(name, this.#salt).update(counter).update(z).update(this.#otherInfo).digest()),
    );
  }
}

export interface X963KDFOptions {
  algorithm: HashAlgorithm;
  length: number;
  sharedInfo?: Uint8Array | null;
}

/** ANSI X9.63 KDF (SEC 1 §3.6.1): K(i) = H(Z | counter_32 | SharedInfo). */
export class X963KDF extends SecretInputKdf {
  readonly #alg: HashAlgorithm;
  readonly #length: number;
  readonly #sharedInfo: Uint8Array;

  constructor(options: X963KDFOptions) {
    super();
    const o = checkOptions(options);
    this.#alg = nonXof(o.algorithm);
    this.#length = outputLength(o.length, MAX_KDF_OUTPUT);
    this.#sharedInfo = orEmpty('sharedInfo', o.sharedInfo);
  }

  protected compute(keyMaterial: KeyMaterial): Uint8Array {
    const z = keyBytes('keyMaterial', keyMaterial);
    const name = this.#alg.opensslName;
    return counterKdf(this.#length, this.#alg.digestSize, (counter) =>
      u8(backend.createHash(name).update(z).update(counter).update(this.#sharedInfo).digest()),
    );
  }
}

/** KBKDF modes (pyca's `Mode`). Only counter mode is offered, as in pyca. */
export const Mode = { CounterMode: 'counter' } as const;
export type Mode = (typeof Mode)[keyof typeof Mode];

/** Where the counter goes relative to the fixed input (pyca's `CounterLocation`). */
export const CounterLocation = {
  BeforeFixed: 'before_fixed',
  AfterFixed: 'after_fixed',
  MiddleFixed: 'middle_fixed',
} as const;
export type CounterLocation = (typeof CounterLocation)[keyof typeof CounterLocation];

export interface KBKDFHMACOptions {
  algorithm: HashAlgorithm;
  mode: Mode;
  length: number;
  /** Counter width in bytes, 1 to 4. */
  rlen: number;
  /** Width in bytes of the encoded output length L (in bits), 1 to 4; `null` only with `fixed`. */
  llen: number | null;
  location: CounterLocation;
  label?: Uint8Array | null;
  context?: Uint8Array | null;
  /** The whole fixed input, instead of label ‖ 0x00 ‖ context ‖ [L]. Excludes `label` and `context`. */
  fixed?: Uint8Array | null;
  /** With `MiddleFixed`: the offset in the fixed input where the counter goes. */
  breakLocation?: number | null;
}

/** KBKDF in counter mode with HMAC as the PRF (NIST SP 800-108 §4.1), with pyca's parameter set. */
export class KBKDFHMAC extends SecretInputKdf {
  readonly #alg: HashAlgorithm;
  readonly #length: number;
  readonly #rlen: number;
  readonly #location: CounterLocation;
  readonly #fixed: Uint8Array;
  readonly #break: number;

  constructor(options: KBKDFHMACOptions) {
    super();
    const o = checkOptions(options);
    this.#alg = nonXof(o.algorithm);
    if (o.mode !== Mode.CounterMode) throw new TypeError('"mode" must be Mode.CounterMode');
    const locations: readonly unknown[] = Object.values(CounterLocation);
    if (!locations.includes(o.location)) throw new TypeError('"location" must be a CounterLocation');
    this.#location = o.location as CounterLocation;
    this.#rlen = integer('rlen', o.rlen, 1, 4);
    // SP 800-108 §4.1: n = ceil(L / h) must be at most 2^r - 1.
    const maxBlocks = 2 ** (8 * this.#rlen) - 1;
    this.#length = outputLength(o.length, maxBlocks * this.#alg.digestSize);
    const hasFixed = o.fixed !== undefined && o.fixed !== null;
    const label = o.label === undefined || o.label === null ? undefined : bytes('label', o.label);
    const context = o.context === undefined || o.context === null ? undefined : bytes('context', o.context);
    if (hasFixed) {
      if (label !== undefined || context !== undefined) {
        throw new TypeError('"label" and "context" must be null when "fixed" is given');
      }
      this.#fixed = bytes('fixed', o.fixed);
      // Unused with "fixed", but a wrong value is still a mistake to report, as pyca does.
      if (o.llen !== null && o.llen !== undefined) integer('llen', o.llen, 1, 4);
    } else {
      if (o.llen === null || o.llen === undefined)
        throw new TypeError('"llen" must be given unless "fixed" is');
      const llen = integer('llen', o.llen, 1, 4);
      const bits = this.#length * 8;
      if (bits >= 2 ** (8 * llen))
        throw new RangeError(`"length" in bits does not fit in ${llen}-byte "llen"`);
      this.#fixed = concat(
        label ?? new Uint8Array(0),
        Uint8Array.of(0),
        context ?? new Uint8Array(0),
        uintBE(bits, llen),
      );
    }
    if (this.#location === CounterLocation.MiddleFixed) {
      if (o.breakLocation === undefined || o.breakLocation === null) {
        throw new TypeError('"breakLocation" is required with CounterLocation.MiddleFixed');
      }
      this.#break = integer('breakLocation', o.breakLocation, 0, this.#fixed.length);
    } else {
      if (o.breakLocation !== undefined && o.breakLocation !== null) {
        throw new TypeError('"breakLocation" is only allowed with CounterLocation.MiddleFixed');
      }
      this.#break = 0;
    }
  }

  protected compute(keyMaterial: KeyMaterial): Uint8Array {
    const key = keyBytes('keyMaterial', keyMaterial);
    const name = this.#alg.opensslName;
    const fixed = this.#fixed;
    return counterKdf(this.#length, this.#alg.digestSize, (counter32) => {
      const counter = counter32.subarray(4 - this.#rlen);
      const h = backend.createHmac(name, key);
      switch (this.#location) {
        case CounterLocation.BeforeFixed:
          h.update(counter).update(fixed);
          break;
        case CounterLocation.AfterFixed:
          h.update(fixed).update(counter);
          break;
        case CounterLocation.MiddleFixed:
          h.update(fixed.subarray(0, this.#break)).update(counter).update(fixed.subarray(this.#break));
          break;
      }
      return u8(h.digest());
    });
  }
}
