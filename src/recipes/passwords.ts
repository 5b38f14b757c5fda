/**
 * Password hashing: `hashPassword`, `verifyPassword`, `needsRehash`. A password hash is one-way and
 * deliberately slow; never encrypt passwords, and never store a plain (fast) hash of one.
 *
 * - **Default**: Argon2id, m = 19456 KiB (19 MiB), t = 2, p = 1 (OWASP's minimum), a 16-byte random salt
 *   and a 32-byte hash, as a PHC string: `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`.
 * - **FIPS and migration**: `$scrypt$` (N = 2^17, r = 8, p = 1 by default) and `$pbkdf2-sha256$`
 *   (600,000 rounds by default), both in passlib's formats. bcrypt (`$2a$`, `$2b$`, `$2y$`) is verified
 *   for migration only, through the optional `@node-rs/bcrypt`; `needsRehash` flags it.
 * - **Verification throws**: `verifyPassword` resolves to nothing on a match and rejects with
 *   `InvalidKey` on a mismatch. There is no boolean to forget to check. The comparison is constant time.
 * - **Off the event loop**: the work runs on libuv's thread pool (node:crypto, @node-rs/argon2), so the
 *   event loop stays free. A process-wide limit ({@link configurePasswordHashing}; default the CPUs, at
 *   most UV_THREADPOOL_SIZE − 1) caps how many hashes run at once; the rest wait in order. Without a
 *   native Argon2 (Node < 24 without @node-rs/argon2), the pure-JS fallback runs on the main thread,
 *   yielding every 10 ms, and is several times slower.
 * - **Bounded**: costs read from a stored hash have ceilings (docs/password-hashes.md: Argon2 m ≤ 1 GiB,
 *   t ≤ 64, p ≤ 16, m·t ≤ 4 GiB-passes; scrypt N ≤ 2^20, 128·N·r ≤ 1 GiB; PBKDF2 ≤ 10^7 rounds; bcrypt
 *   cost ≤ 16); beyond them `DecodeError`, before any work.
 * - **Passwords**: strings are normalized to Unicode NFC, then encoded as UTF-8, so the same password typed
 *   on different systems (composed `é` or `e` + combining accent) hashes alike. At most
 *   {@link MAX_PASSWORD_BYTES} (4096) bytes after normalization: longer is a `RangeError`, so check the
 *   length in your form handler first. Bytes (`Uint8Array`) are used as they are.
 * - **Pepper** (optional): a key kept outside the database (a `Keyring`, or a `SecretKey` with an id).
 *   The password becomes HMAC-SHA256(k, NFC(password)) before hashing, where k = HKDF-SHA256(pepper key,
 *   info = "coffer/v1/password-pepper"); the key's id goes into the string as a `keyid` parameter
 *   (`$argon2id$v=19$m=19456,t=2,p=1,keyid=8cb8f9f5$…`), so a keyring can rotate: new hashes use the primary
 *   key, old ones verify under theirs, and `needsRehash` reports them. Argon2id and scrypt only (passlib's
 *   pbkdf2-sha256 form has no parameter field).
 *
 * @example
 * ```ts
 * import { hashPassword, verifyPassword, needsRehash, InvalidKey } from 'coffer';
 * const stored = await hashPassword('correct horse battery staple');
 * try {
 *   await verifyPassword(typed, stored); // resolves on a match
 *   if (needsRehash(stored)) await saveHash(user, await hashPassword(typed));
 * } catch (err) {
 *   if (err instanceof InvalidKey) return refuseLogin();
 *   throw err;
 * }
 * ```
 * @module
 */
import { availableParallelism } from 'node:os';
import { InvalidKey, UnsupportedAlgorithm } from '../errors.ts';
import {
  type Argon2Hash,
  type BcryptHash,
  decodePasswordHash,
  encodePasswordHash,
  PASSWORD_HASH_LIMITS,
  type PasswordHash,
  type Pbkdf2Sha256Hash,
  type ScryptHash,
} from '../formats/phc.ts';
import { pbkdf2Async, randomBytes, scryptAsync, timingSafeEqual } from '../internal/backend.ts';
import { describeValue, integer, isBytes, plainObject } from '../internal/bytes.ts';
import { Limiter } from '../internal/limiter.ts';
import {
  type Argon2Backend,
  argon2,
  argon2Backends,
  bcryptVerify,
  hasArgon2Backend,
} from '../internal/password-backend.ts';
import {
  applyPepper,
  currentPepper,
  type Pepper,
  type PepperPurpose,
  pepperById,
  pepperOption,
} from '../internal/pepper.ts';
import type { SecretKey } from '../keys/secret-key.ts';
import type { Keyring } from './keyring.ts';

export type { Argon2Backend };

/** Longest password accepted: 4096 bytes of UTF-8, after NFC normalization. */
export const MAX_PASSWORD_BYTES = 4096;

/** Salt written into new hashes: 16 bytes. */
const SALT_BYTES = 16;
/** Hash written into new hashes: 32 bytes. */
const HASH_BYTES = 32;

/** The password hashing schemes `hashPassword` writes. */
export type PasswordAlgorithm = 'argon2id' | 'scrypt' | 'pbkdf2-sha256';

/** Argon2id costs, named as in pyca's `Argon2id`. */
export interface Argon2Costs {
  /** m, in KiB. Default 19456 (19 MiB). At least 8 · lanes, at most 1 GiB. */
  memoryCost?: number;
  /** t, passes. Default 2. From 1 to 64; memoryCost · iterations ≤ 4 GiB-passes. */
  iterations?: number;
  /** p. Default 1. From 1 to 16. */
  lanes?: number;
}

/** scrypt costs, named as in pyca's `Scrypt`. */
export interface ScryptCosts {
  /** N, a power of 2. Default 2^17. At most 2^20, and 128 · N · r ≤ 1 GiB. */
  n?: number;
  /** Default 8. From 1 to 32. */
  r?: number;
  /** Default 1. From 1 to 16. */
  p?: number;
}

/** PBKDF2-HMAC-SHA256 costs. */
export interface Pbkdf2Costs {
  /** Default 600,000 (OWASP). From 1 to 10,000,000. */
  iterations?: number;
}

/**
 * What `hashPassword` writes and what `needsRehash` holds stored hashes to. Every field is optional; the
 * defaults are OWASP's current minimums. Costs below them are accepted (tests use tiny ones) and flagged
 * by `needsRehash` against the default policy.
 */
export interface PasswordPolicy {
  /** Default `'argon2id'`. */
  algorithm?: PasswordAlgorithm;
  argon2?: Argon2Costs;
  scrypt?: ScryptCosts;
  pbkdf2?: Pbkdf2Costs;
  /** Pepper new hashes with this key (Argon2id and scrypt only). */
  pepper?: Keyring | SecretKey;
}

/** Options of `verifyPassword`. */
export interface VerifyPasswordOptions {
  /** The key (or keyring) that peppered hashes with a `keyid`. Hashes without one verify without it. */
  pepper?: Keyring | SecretKey;
}

/** @internal A policy with every default filled in and every limit checked. */
export interface Policy {
  algorithm: PasswordAlgorithm;
  argon2: { memoryCost: number; iterations: number; lanes: number };
  scrypt: { ln: number; r: number; p: number };
  pbkdf2: { iterations: number };
  pepper: Pepper | undefined;
}

const DEFAULT_ARGON2 = { memoryCost: 19456, iterations: 2, lanes: 1 } as const;
const DEFAULT_SCRYPT = { n: 2 ** 17, r: 8, p: 1 } as const;
const DEFAULT_PBKDF2 = { iterations: 600_000 } as const;

const ALGORITHMS: readonly PasswordAlgorithm[] = ['argon2id', 'scrypt', 'pbkdf2-sha256'];

function optionalObject(name: string, value: unknown): Record<string, unknown> {
  return value === undefined ? {} : plainObject(name, value);
}

function optionalInteger(name: string, value: unknown, fallback: number, min: number, max: number): number {
  return value === undefined ? fallback : integer(name, value, min, max);
}

/** Reads and checks a policy; every limit is the one a stored hash is held to, so what is written reads back. */
function policyOf(value: unknown, name: string): Policy {
  const o = optionalObject(name, value);
  const algorithm = o.algorithm === undefined ? 'argon2id' : o.algorithm;
  if (typeof algorithm !== 'string' || !ALGORITHMS.includes(algorithm as PasswordAlgorithm)) {
    throw new TypeError(
      `"${name}.algorithm" must be one of ${ALGORITHMS.map((a) => `'${a}'`).join(', ')}, got ${
        typeof algorithm === 'string' ? 'another string' : describeValue(algorithm)
      }`,
    );
  }

  const A = PASSWORD_HASH_LIMITS.argon2;
  const a = optionalObject(`${name}.argon2`, o.argon2);
  const lanes = optionalInteger(`${name}.argon2.lanes`, a.lanes, DEFAULT_ARGON2.lanes, 1, A.maxLanes);
  const memoryCost = optionalInteger(
    `${name}.argon2.memoryCost`,
    a.memoryCost,
    DEFAULT_ARGON2.memoryCost,
    8 * lanes,
    A.maxMemoryCost,
  );
  const iterations = optionalInteger(
    `${name}.argon2.iterations`,
    a.iterations,
    DEFAULT_ARGON2.iterations,
    1,
    A.maxIterations,
  );
  if (memoryCost * iterations > A.maxWork) {
    throw new RangeError(
      `"${name}.argon2.memoryCost" · "${name}.argon2.iterations" must be at most ${A.maxWork}, got ${
        memoryCost * iterations
      }`,
    );
  }

  const S = PASSWORD_HASH_LIMITS.scrypt;
  const s = optionalObject(`${name}.scrypt`, o.scrypt);
  const n = optionalInteger(`${name}.scrypt.n`, s.n, DEFAULT_SCRYPT.n, 2, 2 ** S.maxLn);
  if ((n & (n - 1)) !== 0) throw new RangeError(`"${name}.scrypt.n" must be a power of 2, got ${n}`);
  const r = optionalInteger(`${name}.scrypt.r`, s.r, DEFAULT_SCRYPT.r, 1, S.maxR);
  const p = optionalInteger(`${name}.scrypt.p`, s.p, DEFAULT_SCRYPT.p, 1, S.maxP);
  const ln = Math.log2(n);
  if (ln >= 16 * r) throw new RangeError(`"${name}.scrypt.n" must be below 2^(16 · r) (RFC 7914 §2)`);
  if (128 * n * r > S.maxMemory)
    throw new RangeError(
      `"${name}.scrypt.n" · "${name}.scrypt.r" · 128 must be at most ${S.maxMemory} bytes`,
    );
  if (128 * n * r * p > S.maxWork)
    throw new RangeError(`"${name}.scrypt.p" · N · r · 128 must be at most ${S.maxWork}`);

  const k = optionalObject(`${name}.pbkdf2`, o.pbkdf2);
  const pbkdf2Iterations = optionalInteger(
    `${name}.pbkdf2.iterations`,
    k.iterations,
    DEFAULT_PBKDF2.iterations,
    1,
    PASSWORD_HASH_LIMITS.pbkdf2.maxIterations,
  );

  const pepper = o.pepper === undefined ? undefined : pepperOption(`${name}.pepper`, o.pepper);
  if (pepper !== undefined && algorithm === 'pbkdf2-sha256') {
    throw new TypeError(
      `"${name}.pepper" cannot be used with 'pbkdf2-sha256': passlib's format has no field for its key id`,
    );
  }
  return {
    algorithm: algorithm as PasswordAlgorithm,
    argon2: { memoryCost, iterations, lanes },
    scrypt: { ln, r, p },
    pbkdf2: { iterations: pbkdf2Iterations },
    pepper,
  };
}

const LONE_SURROGATE = /\p{Cs}/u;
const encoder = new TextEncoder();

/** NFC, UTF-8, bounded. Bytes pass as they are. */
function passwordBytes(value: unknown): Uint8Array {
  if (typeof value === 'string') {
    // NFC composes at most four code points (U+1F8F) into one of at least two UTF-8 bytes, so a password
    // that fits has under 2 · 4096 UTF-16 units before normalization: this refuses a huge input before
    // normalizing it, without refusing any password that would fit.
    if (value.length > 3 * MAX_PASSWORD_BYTES) {
      throw new RangeError(
        `"password" must be at most ${MAX_PASSWORD_BYTES} bytes, got ${value.length} characters`,
      );
    }
    // UTF-8 cannot encode a lone surrogate (it becomes U+FFFD): two passwords would hash alike.
    if (LONE_SURROGATE.test(value)) {
      throw new TypeError('"password" must be well-formed Unicode (no lone surrogates)');
    }
    const out = encoder.encode(value.normalize('NFC'));
    if (out.length > MAX_PASSWORD_BYTES) {
      throw new RangeError(
        `"password" must be at most ${MAX_PASSWORD_BYTES} bytes (UTF-8, NFC), got ${out.length}`,
      );
    }
    return out;
  }
  if (isBytes(value)) {
    if (value.length > MAX_PASSWORD_BYTES) {
      throw new RangeError(`"password" must be at most ${MAX_PASSWORD_BYTES} bytes, got ${value.length}`);
    }
    return value;
  }
  throw new TypeError(`"password" must be a string or a Uint8Array, got ${describeValue(value)}`);
}

function storedHash(value: unknown): PasswordHash {
  if (typeof value !== 'string') {
    throw new TypeError(`"phc" must be a string, got ${describeValue(value)}`);
  }
  return decodePasswordHash(value);
}

// ---------------------------------------------------------------------------------------------------
// Concurrency and backend.

/**
 * The default limit: one hash per CPU, but never the whole of libuv's thread pool, which the hashes share
 * with `fs`, `dns` and zlib: at most UV_THREADPOOL_SIZE (default 4) less one. Measured on 2 cores, more
 * than one hash per core added memory (19 MiB each) and latency, not throughput (bench/passwords.ts).
 */
function defaultConcurrency(): number {
  const pool = Number(process.env.UV_THREADPOOL_SIZE);
  const threads = Number.isSafeInteger(pool) && pool >= 1 && pool <= 1024 ? pool : 4;
  return Math.max(1, Math.min(availableParallelism(), threads - 1));
}

const limiter = new Limiter(defaultConcurrency());
let backendChoice: Argon2Backend | 'auto' = 'auto';

function argon2Backend(): Argon2Backend {
  return backendChoice === 'auto' ? argon2Backends()[0]! : backendChoice;
}

/** What `configurePasswordHashing` reports. */
export interface PasswordHashingSettings {
  /** Hashes that may run at once, process-wide. */
  readonly concurrency: number;
  /** Hashes running now. */
  readonly active: number;
  /** Hashes waiting for a slot. */
  readonly waiting: number;
  /** Where Argon2 runs. */
  readonly argon2Backend: Argon2Backend;
  /** Every Argon2 backend this runtime offers, preferred first. */
  readonly argon2Backends: readonly Argon2Backend[];
}

/** Options of `configurePasswordHashing`. */
export interface PasswordHashingOptions {
  /**
   * How many hashes (and verifications, and recovery-code Argon2 checks) may run at once in this process.
   * The rest wait in arrival order. Default: the number of CPUs (`os.availableParallelism()`), but at most
   * libuv's thread pool less one thread (`UV_THREADPOOL_SIZE`, default 4, so at most 3), since the pool
   * also serves `fs`, `dns` and zlib. More running at once does not raise throughput (each hash keeps one
   * core busy) but does raise memory (19 MiB each at the defaults) and latency. On a machine with more
   * cores, start Node with a larger `UV_THREADPOOL_SIZE` (the default follows it) or raise both. From 1 to
   * 1024.
   */
  concurrency?: number;
  /**
   * Where Argon2 runs. `'auto'` (the default): node:crypto where the running Node has Argon2 (Node 24),
   * else `@node-rs/argon2` when installed, else `@noble/hashes` (pure JS, on the main thread).
   */
  argon2Backend?: 'auto' | Argon2Backend;
}

/**
 * Sets the process-wide concurrency limit and the Argon2 backend, and reports the settings in force.
 * Call it with no argument to read them. A new limit applies at once to waiting work.
 *
 * @throws {TypeError | RangeError} when `concurrency` is not an integer in [1, 1024], or `argon2Backend`
 *   is not a backend name. @throws {UnsupportedAlgorithm} when the named backend cannot run here.
 * @example
 * ```ts
 * import { configurePasswordHashing } from 'coffer';
 * configurePasswordHashing({ concurrency: 4 }).argon2Backend; // '@node-rs/argon2' on Node 20
 * ```
 */
export function configurePasswordHashing(options: PasswordHashingOptions = {}): PasswordHashingSettings {
  const o = plainObject('options', options);
  const concurrency =
    o.concurrency === undefined ? undefined : integer('options.concurrency', o.concurrency, 1, 1024);
  const choice = o.argon2Backend;
  if (choice !== undefined) {
    if (
      choice !== 'auto' &&
      choice !== 'node:crypto' &&
      choice !== '@node-rs/argon2' &&
      choice !== '@noble/hashes'
    ) {
      throw new TypeError(
        `"options.argon2Backend" must be 'auto', 'node:crypto', '@node-rs/argon2' or '@noble/hashes', got ${describeValue(choice)}`,
      );
    }
    if (choice !== 'auto' && !hasArgon2Backend(choice)) {
      throw new UnsupportedAlgorithm(`the Argon2 backend ${choice} is not available in this runtime`);
    }
  }
  if (concurrency !== undefined) limiter.limit = concurrency;
  if (choice !== undefined) backendChoice = choice as Argon2Backend | 'auto';
  return Object.freeze({
    concurrency: limiter.limit,
    active: limiter.active,
    waiting: limiter.waiting,
    argon2Backend: argon2Backend(),
    argon2Backends: Object.freeze(argon2Backends()),
  });
}

// ---------------------------------------------------------------------------------------------------
// The work.

type Computable = Argon2Hash | ScryptHash | Pbkdf2Sha256Hash;

/** The hash of `input` under `h`'s scheme, costs and salt, `length` bytes. Runs under the limiter. */
function compute(h: Computable, input: Uint8Array, salt: Uint8Array, length: number): Promise<Uint8Array> {
  return limiter.run(async () => {
    switch (h.scheme) {
      case 'argon2':
        return argon2(argon2Backend(), input, salt, {
          variant: h.variant,
          memoryCost: h.memoryCost,
          iterations: h.iterations,
          lanes: h.lanes,
          length,
        });
      case 'scrypt': {
        const n = 2 ** h.ln;
        // OpenSSL needs 128·r·(N + 2 + p) bytes (B and V); a little room over it.
        const maxmem = 128 * h.r * (n + 2 + h.p) + 1024 * 1024;
        return new Uint8Array(await scryptAsync(input, salt, length, { n, r: h.r, p: h.p, maxmem }));
      }
      case 'pbkdf2-sha256':
        return new Uint8Array(await pbkdf2Async('sha256', input, salt, h.iterations, length));
    }
  });
}

function pepperFor(purpose: PepperPurpose, pepper: Pepper | undefined, keyId: string | undefined) {
  if (keyId === undefined) return undefined;
  if (pepper === undefined) {
    throw new TypeError(`this hash was peppered with key ${JSON.stringify(keyId)}: pass "options.pepper"`);
  }
  return pepperById(pepper, keyId, purpose);
}

/** @internal Shared with recovery codes: hash bytes under a resolved policy. */
export async function hashBytes(input: Uint8Array, policy: Policy): Promise<string> {
  const salt = new Uint8Array(randomBytes(SALT_BYTES));
  const key = policy.pepper === undefined ? undefined : currentPepper(policy.pepper, 'password-pepper');
  const material = key === undefined ? input : applyPepper(key, input);
  const keyId = key === undefined ? {} : { keyId: key.id };
  let h: Computable;
  switch (policy.algorithm) {
    case 'argon2id':
      h = {
        scheme: 'argon2',
        variant: 'argon2id',
        version: 19,
        ...policy.argon2,
        ...keyId,
        salt,
        hash: new Uint8Array(0),
      };
      break;
    case 'scrypt':
      h = { scheme: 'scrypt', ...policy.scrypt, ...keyId, salt, hash: new Uint8Array(0) };
      break;
    case 'pbkdf2-sha256':
      h = { scheme: 'pbkdf2-sha256', iterations: policy.pbkdf2.iterations, salt, hash: new Uint8Array(0) };
      break;
  }
  const hash = await compute(h, material, salt, HASH_BYTES);
  if (material !== input) material.fill(0);
  return encodePasswordHash({ ...h, hash });
}

/**
 * @internal Shared with recovery codes: true when `input` matches the decoded hash, in constant time.
 * Throws for what is not a mismatch (a missing pepper key, bcrypt without its package).
 */
export async function matches(
  input: Uint8Array,
  h: PasswordHash,
  pepper: Pepper | undefined,
): Promise<boolean> {
  if (h.scheme === 'bcrypt') return bcryptMatches(input, h);
  const key = h.scheme === 'pbkdf2-sha256' ? undefined : pepperFor('password-pepper', pepper, h.keyId);
  const material = key === undefined ? input : applyPepper(key, input);
  const computed = await compute(h, material, h.salt, h.hash.length);
  if (material !== input) material.fill(0);
  return timingSafeEqual(computed, h.hash);
}

async function bcryptMatches(input: Uint8Array, h: BcryptHash): Promise<boolean> {
  return limiter.run(() => bcryptVerify(input, h.encoded));
}

/** @internal The default policy, resolved; recovery codes hash their Argon2 fallback under it. */
export function defaultPolicy(): Policy {
  return policyOf(undefined, 'options');
}

/**
 * Hashes a password for storage. The default is Argon2id at OWASP's minimum (m = 19 MiB, t = 2, p = 1),
 * a 16-byte random salt and a 32-byte hash:
 * `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`. Strings are normalized to NFC and encoded as UTF-8.
 *
 * Costs up to the ceilings `verifyPassword` applies are accepted, so every string written here verifies.
 * The work runs off the event loop, under the process-wide concurrency limit.
 *
 * @throws {TypeError} when `password` is neither a string nor a Uint8Array, holds a lone surrogate, or an
 *   option has the wrong type (or `pepper` is used with `'pbkdf2-sha256'`).
 * @throws {RangeError} when the password is over 4096 bytes (UTF-8, after NFC) or a cost is out of range.
 * All of these reject the returned promise; nothing throws synchronously.
 * @example
 * ```ts
 * import { hashPassword } from 'coffer';
 * const stored = await hashPassword('correct horse battery staple');
 * // '$argon2id$v=19$m=19456,t=2,p=1$…$…'
 * const fips = await hashPassword('correct horse battery staple', { algorithm: 'pbkdf2-sha256' });
 * // '$pbkdf2-sha256$600000$…$…'
 * ```
 */
export async function hashPassword(password: string | Uint8Array, options?: PasswordPolicy): Promise<string> {
  const input = passwordBytes(password);
  try {
    return await hashBytes(input, policyOf(options, 'options'));
  } finally {
    // Our UTF-8 copy of a string password; bytes passed in are the caller's to wipe.
    if (typeof password === 'string') input.fill(0);
  }
}

/**
 * Checks a password against a stored hash: Argon2 (`argon2id`, and `argon2i`/`argon2d` for migration),
 * scrypt, pbkdf2-sha256 (passlib's forms) or bcrypt (`$2a$`/`$2b$`/`$2y$`, with `@node-rs/bcrypt`).
 * Resolves to nothing on a match; a mismatch rejects with `InvalidKey`, so it cannot be mistaken for
 * success. The hash is recomputed under the stored costs (after checking them against the ceilings) and
 * compared in constant time.
 *
 * @throws {InvalidKey} when the password does not match. One message, whatever the password.
 * @throws {DecodeError} when `phc` is malformed, names an unsupported scheme or version, or asks for more
 *   than the ceilings (Argon2 m ≤ 1 GiB, t ≤ 64, p ≤ 16; scrypt ≤ 1 GiB; PBKDF2 ≤ 10^7 rounds; bcrypt
 *   cost ≤ 16): before any work.
 * @throws {KeyNotFound} when the hash names a pepper key that `options.pepper` does not hold;
 *   {@link KeyDisabled} when that keyring key is disabled or retired.
 * @throws {UnsupportedAlgorithm} for a bcrypt hash when `@node-rs/bcrypt` is not installed.
 * @throws {TypeError} on a wrong type, or a peppered hash without `options.pepper`.
 * @throws {RangeError} when the password is over 4096 bytes.
 * All of these reject the returned promise.
 * @example
 * ```ts
 * import { verifyPassword, InvalidKey } from 'coffer';
 * await verifyPassword('correct horse battery staple', stored); // resolves
 * await verifyPassword('wrong', stored).catch((e) => e instanceof InvalidKey); // true
 * ```
 */
export async function verifyPassword(
  password: string | Uint8Array,
  phc: string,
  options?: VerifyPasswordOptions,
): Promise<void> {
  const input = passwordBytes(password);
  try {
    const h = storedHash(phc);
    const o = optionalObject('options', options);
    const pepper = o.pepper === undefined ? undefined : pepperOption('options.pepper', o.pepper);
    if (!(await matches(input, h, pepper))) throw new InvalidKey();
  } finally {
    if (typeof password === 'string') input.fill(0);
  }
}

/**
 * True when a stored hash falls below `policy` (default: the defaults of `hashPassword`) and should be
 * replaced, after the next successful `verifyPassword`, by a fresh `hashPassword` of the same password:
 * - a scheme other than the policy's (bcrypt always; scrypt, pbkdf2-sha256 or argon2i/argon2d under the
 *   default Argon2id policy);
 * - a lower cost than the policy's (Argon2 m or t, scrypt N, r or p, PBKDF2 rounds), a salt shorter than
 *   16 bytes or a hash shorter than 32 (the lane count alone does not count);
 * - a pepper key id other than the policy's current one (the keyring's primary key), or none when the
 *   policy has a pepper, or one when it has none.
 *
 * Reads the string only: no hashing, synchronous.
 * @throws {DecodeError} when `phc` is not a hash coffer can read (as `verifyPassword`).
 * @throws {TypeError | RangeError} on a malformed policy, as for `hashPassword`.
 * @example
 * ```ts
 * import { needsRehash } from 'coffer';
 * needsRehash('$2y$10$…'); // true: bcrypt
 * needsRehash(stored, { argon2: { memoryCost: 65536 } }); // true when stored with m < 64 MiB
 * ```
 */
export function needsRehash(phc: string, policy?: PasswordPolicy): boolean {
  const h = storedHash(phc);
  const p = policyOf(policy, 'policy');
  if (h.scheme === 'bcrypt') return true;
  if (h.salt.length < SALT_BYTES || h.hash.length < HASH_BYTES) return true;
  const wantKeyId = p.pepper === undefined ? undefined : currentPepper(p.pepper, 'password-pepper').id;
  switch (h.scheme) {
    case 'argon2':
      return (
        p.algorithm !== 'argon2id' ||
        h.variant !== 'argon2id' ||
        h.memoryCost < p.argon2.memoryCost ||
        h.iterations < p.argon2.iterations ||
        h.keyId !== wantKeyId
      );
    case 'scrypt':
      return (
        p.algorithm !== 'scrypt' ||
        h.ln < p.scrypt.ln ||
        h.r < p.scrypt.r ||
        h.p < p.scrypt.p ||
        h.keyId !== wantKeyId
      );
    case 'pbkdf2-sha256':
      return p.algorithm !== 'pbkdf2-sha256' || h.iterations < p.pbkdf2.iterations;
  }
}
