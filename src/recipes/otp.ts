/**
 * One-time passwords: HOTP (RFC 4226, counter-based) and TOTP (RFC 6238, time-based), the six- or
 * eight-digit codes authenticator apps show, and the `otpauth://` key URIs that enrol them. Names follow
 * pyca's `cryptography.hazmat.primitives.twofactor`; codes made here match pyca's and every RFC vector.
 *
 * - **Verification throws** `InvalidToken` (as pyca's does) when no code in the window matches, and
 *   returns the counter (HOTP) or time step (TOTP) that matched. Store it and pass it back as `after`
 *   (TOTP) or as the next counter (HOTP): a code that was already used is then refused (RFC 6238 §5.2
 *   asks verifiers to refuse a second use).
 * - **Constant time**: every code in the window is computed and compared (`crypto.timingSafeEqual`),
 *   with no early exit, so the time taken does not say which step matched, or how close a guess came.
 * - **Secrets**: at least 16 bytes (128 bits, RFC 4226 §4 R6); `generate` makes 20 bytes for SHA-1,
 *   32 for SHA-256 and 64 for SHA-512 (the RFC 6238 reference seeds). Older keys of 10 bytes (80 bits,
 *   common in authenticator apps) are read only with `enforceKeyLength: false`, as in pyca. The secret
 *   is as sensitive as a password: store it sealed (`Keyring#seal`), never in clear.
 * - **Limits**: 6 to 8 digits; a TOTP window of at most ±10 steps, an HOTP look-ahead of at most 100;
 *   secrets up to 1024 bytes; a step of 1 s to one day.
 * - **Rate-limit** verification per account: a 6-digit code is one guess in a million per attempt, and a
 *   window of ±1 triples the odds.
 *
 * @example
 * ```ts
 * import { TOTP, InvalidToken } from 'coffer';
 * const totp = TOTP.generate(); // SHA-1, 6 digits, 30 s: what every authenticator app reads
 * const uri = totp.toUri({ accountName: 'ada@example.com', issuer: 'Example' }); // show as a QR code
 * // later, at login (user.lastStep starts undefined):
 * try {
 *   user.lastStep = totp.verify(codeFromForm, { window: 1, after: user.lastStep });
 * } catch (err) {
 *   if (err instanceof InvalidToken) { // wrong, expired or already used
 *   }
 * }
 * ```
 * @module
 */
import { inspect } from 'node:util';
import { DecodeError, InvalidToken } from '../errors.ts';
import {
  decodeOtpauthUri,
  encodeOtpauthUri,
  MAX_OTP_DIGITS,
  MAX_OTPAUTH_PERIOD,
  MIN_OTP_DIGITS,
  type OtpauthKey,
} from '../formats/otpauth-uri.ts';
import { hmac, type KeyInput, keyHandle, randomBytes, timingSafeEqual } from '../internal/backend.ts';
import { describeValue, integer, isBytes, plainObject, string } from '../internal/bytes.ts';
import { isSecretKey, type SecretKey, secretKeyBytes } from '../keys/secret-key.ts';

/** The hash under the HMAC. SHA-1 is what authenticator apps assume; HMAC-SHA-1 is not affected by SHA-1 collisions. */
export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** Shortest secret accepted unless `enforceKeyLength: false`: 16 bytes (RFC 4226 §4: at least 128 bits). */
export const MIN_OTP_SECRET_BYTES = 16;
/** Longest secret accepted: 1024 bytes. */
export const MAX_OTP_SECRET_BYTES = 1024;
/** Largest TOTP `window`: ±10 steps (±5 minutes at 30 s). RFC 6238 §5.2 recommends one. */
export const MAX_TOTP_WINDOW = 10;
/** Largest HOTP look-ahead `window`: 100 counters (RFC 4226 §7.4 resynchronization). */
export const MAX_HOTP_WINDOW = 100;

/** Options of `new HOTP` and `HOTP.generate`. */
export interface HOTPOptions {
  /** Code length, 6 to 8. Default 6. */
  digits?: number;
  /** Default `'SHA1'`. */
  algorithm?: OtpAlgorithm;
  /**
   * Default `true`: secrets shorter than 16 bytes are refused. `false` accepts any non-empty secret, for
   * keys made elsewhere (many apps used 10-byte secrets); never for new keys.
   */
  enforceKeyLength?: boolean;
}

/** Options of `new TOTP` and `TOTP.generate`. */
export interface TOTPOptions extends HOTPOptions {
  /** Time step in seconds (the URI's `period`), 1 to 86400. Default 30. */
  step?: number;
  /** Unix time (seconds) at which step 0 starts (RFC 6238's T0). Default 0. */
  t0?: number;
}

/** Options of `HOTP#verify`. */
export interface HOTPVerifyOptions {
  /** How many counters after the expected one to accept too (RFC 4226 §7.4 look-ahead), 0 to 100. Default 0. */
  window?: number;
}

/** Options of `TOTP#verify` and `TOTP#verifyAtTime`. */
export interface TOTPVerifyOptions {
  /** Steps accepted on each side of the current one (clock drift, typing time), 0 to 10. Default 1. */
  window?: number;
  /**
   * The step an earlier successful `verify` returned for this key: codes for it and every earlier step are
   * refused, so a code cannot be used twice.
   */
  after?: number | undefined;
}

/** The label of an `otpauth://` URI (`TOTP#toUri`). */
export interface OtpUriOptions {
  /** Who the key belongs to, shown in the app (an email address, a user name). No ":". */
  accountName: string;
  /** Who issued it, shown in the app (your service's name). Strongly recommended. No ":". */
  issuer?: string;
}

/** The label and initial counter of an `otpauth://hotp` URI (`HOTP#toUri`). */
export interface HOTPUriOptions extends OtpUriOptions {
  /** The counter the app starts from. */
  counter: number;
}

const HASH: Readonly<Record<OtpAlgorithm, { name: string; secretBytes: number }>> = {
  SHA1: { name: 'sha1', secretBytes: 20 },
  SHA256: { name: 'sha256', secretBytes: 32 },
  SHA512: { name: 'sha512', secretBytes: 64 },
};
const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];
const ALL_DIGITS = /^[0-9]+$/;

/** The validated, private state both classes share. */
interface Engine {
  readonly secret: Uint8Array;
  readonly key: KeyInput;
  readonly algorithm: OtpAlgorithm;
  readonly hash: string;
  readonly digits: number;
}

function secretArg(value: unknown, enforce: boolean): Uint8Array {
  let material: Uint8Array;
  if (isSecretKey(value)) material = secretKeyBytes(value);
  else if (isBytes(value)) material = value;
  else throw new TypeError(`"secret" must be a Uint8Array or a SecretKey, got ${describeValue(value)}`);
  const min = enforce ? MIN_OTP_SECRET_BYTES : 1;
  if (material.length < min) {
    throw new RangeError(
      enforce
        ? `"secret" must be at least ${min} bytes (RFC 4226 §4: 128 bits), got ${material.length}; ` +
            'pass { enforceKeyLength: false } only to read keys made elsewhere'
        : `"secret" must not be empty`,
    );
  }
  if (material.length > MAX_OTP_SECRET_BYTES) {
    throw new RangeError(`"secret" must be at most ${MAX_OTP_SECRET_BYTES} bytes, got ${material.length}`);
  }
  return Uint8Array.from(material);
}

function algorithmArg(value: unknown): OtpAlgorithm {
  if (value === undefined) return 'SHA1';
  if (value !== 'SHA1' && value !== 'SHA256' && value !== 'SHA512') {
    throw new TypeError(`"algorithm" must be 'SHA1', 'SHA256' or 'SHA512', got ${describeValue(value)}`);
  }
  return value;
}

function booleanArg(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new TypeError(`"${name}" must be a boolean, got ${describeValue(value)}`);
  return value;
}

function optionsArg(value: unknown): Record<string, unknown> {
  return value === undefined ? {} : plainObject('options', value);
}

function engine(secret: unknown, options: Record<string, unknown>): Engine {
  const algorithm = algorithmArg(options.algorithm);
  const digits =
    options.digits === undefined ? 6 : integer('digits', options.digits, MIN_OTP_DIGITS, MAX_OTP_DIGITS);
  const material = secretArg(secret, booleanArg('enforceKeyLength', options.enforceKeyLength, true));
  return { secret: material, key: keyHandle(material), algorithm, hash: HASH[algorithm].name, digits };
}

/** RFC 4226 §5.3: HMAC of the 8-byte big-endian counter, dynamic truncation to 31 bits, modulo 10^digits. */
function hotpValue(e: Engine, counter: number): number {
  const message = Buffer.allocUnsafe(8);
  message.writeUInt32BE(Math.floor(counter / 2 ** 32), 0);
  message.writeUInt32BE(counter >>> 0, 4);
  const hs = hmac(e.hash, e.key, message);
  const offset = hs[hs.length - 1]! & 0x0f;
  return (hs.readUInt32BE(offset) & 0x7fffffff) % POW10[e.digits]!;
}

function format(e: Engine, value: number): string {
  return String(value).padStart(e.digits, '0');
}

/**
 * Checks `code` against every counter in [first, last] in constant time and returns the highest one that
 * matches and is at least `eligible`. The highest, not the first: if one code happens to be valid for two
 * steps, returning the later one makes a second use of it fail too.
 */
function match(e: Engine, code: unknown, first: number, last: number, eligible: number): number {
  string('code', code);
  const text = code as string;
  if (text.length !== e.digits || !ALL_DIGITS.test(text)) throw new InvalidToken();
  const given = Buffer.alloc(4);
  given.writeUInt32BE(Number(text));
  const candidate = Buffer.alloc(4);
  let found = 0;
  let best = 0;
  for (let c = first; c <= last; c++) {
    candidate.writeUInt32BE(hotpValue(e, c));
    const ok = (timingSafeEqual(candidate, given) ? 1 : 0) & (c >= eligible ? 1 : 0);
    found |= ok;
    best += (c - best) * ok; // no branch on the comparison
  }
  if (found === 0) throw new InvalidToken();
  return best;
}

function describe(kind: string, e: Engine, extra = ''): string {
  return `${kind}(${e.algorithm}, ${e.digits} digits${extra})`;
}

/**
 * HOTP (RFC 4226): codes from a counter that the app and the server both advance. The server keeps the
 * counter; `verify` returns the one that matched, and the next expected counter is that plus one.
 *
 * @example
 * ```ts
 * import { HOTP } from 'coffer';
 * const hotp = HOTP.generate();
 * const uri = hotp.toUri({ accountName: 'ada@example.com', issuer: 'Example', counter: 0 });
 * // at login: refuses codes for counters below user.nextCounter, so each code works once
 * user.nextCounter = hotp.verify(code, user.nextCounter, { window: 10 }) + 1;
 * ```
 */
export class HOTP {
  readonly #e: Engine;

  /**
   * @throws {TypeError} when `secret` is not bytes or a SecretKey, or an option has the wrong type.
   * @throws {RangeError} when the secret is shorter than 16 bytes (unless `enforceKeyLength: false`) or
   * longer than 1024, or `digits` is not 6 to 8.
   */
  constructor(secret: Uint8Array | SecretKey, options: HOTPOptions = {}) {
    this.#e = engine(secret, optionsArg(options));
    Object.freeze(this);
  }

  /** A new key with a random secret (20, 32 or 64 bytes for SHA1, SHA256, SHA512). */
  static generate(options: Omit<HOTPOptions, 'enforceKeyLength'> = {}): HOTP {
    const o = optionsArg(options);
    return new HOTP(randomBytes(HASH[algorithmArg(o.algorithm)].secretBytes), o as HOTPOptions);
  }

  /** The hash under the HMAC. */
  get algorithm(): OtpAlgorithm {
    return this.#e.algorithm;
  }

  /** Code length. */
  get digits(): number {
    return this.#e.digits;
  }

  /**
   * The code for `counter`, zero-padded to `digits`.
   * @throws {TypeError | RangeError} when `counter` is not an integer in [0, 2^53 - 1].
   */
  generate(counter: number): string {
    integer('counter', counter, 0, Number.MAX_SAFE_INTEGER);
    return format(this.#e, hotpValue(this.#e, counter));
  }

  /**
   * Checks `code` against `counter` and the next `window` counters, in constant time, and returns the
   * counter that matched (the highest, if several did). The next expected counter is that plus one.
   * @throws {InvalidToken} when no counter matches (also when `code` is not `digits` decimal digits).
   * @throws {TypeError} when `code` is not a string. @throws {RangeError} on a bad `counter` or `window`.
   */
  verify(code: string, counter: number, options: HOTPVerifyOptions = {}): number {
    integer('counter', counter, 0, Number.MAX_SAFE_INTEGER);
    const o = optionsArg(options);
    const window = o.window === undefined ? 0 : integer('window', o.window, 0, MAX_HOTP_WINDOW);
    const last = Math.min(counter + window, Number.MAX_SAFE_INTEGER);
    return match(this.#e, code, counter, last, counter);
  }

  /**
   * The key as an `otpauth://hotp/...` URI (Google Authenticator's Key URI format), for a QR code. It
   * holds the secret: show it once, never log it.
   * @throws {TypeError} when `accountName` or `issuer` is not a non-empty string without ":".
   * @throws {RangeError} when `counter` is not an integer in [0, 2^53 - 1].
   */
  toUri(options: HOTPUriOptions): string {
    const o = plainObject('options', options);
    return encodeOtpauthUri(uriKey(this.#e, 'hotp', o, { counter: o.counter as number }));
  }

  toString(): string {
    return describe('HOTP', this.#e);
  }

  toJSON(): { type: 'HOTP'; algorithm: OtpAlgorithm; digits: number } {
    return { type: 'HOTP', algorithm: this.#e.algorithm, digits: this.#e.digits };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * TOTP (RFC 6238): HOTP over the number of `step`-second periods since `t0`, what authenticator apps show.
 * `verify` returns the time step that matched; pass it back as `after` next time to refuse reuse.
 * Every method that reads the clock has an `…AtTime` twin that takes Unix seconds instead.
 *
 * @example
 * ```ts
 * import { TOTP } from 'coffer';
 * const totp = TOTP.fromUri(storedUri);
 * user.lastStep = totp.verify(code, { after: user.lastStep }); // throws InvalidToken
 * totp.generateAtTime(59); // RFC 6238 test times work the same way
 * ```
 */
export class TOTP {
  readonly #e: Engine;
  readonly #step: number;
  readonly #t0: number;

  /**
   * @throws {TypeError} when `secret` is not bytes or a SecretKey, or an option has the wrong type.
   * @throws {RangeError} when the secret is shorter than 16 bytes (unless `enforceKeyLength: false`) or
   * longer than 1024, `digits` is not 6 to 8, `step` is not 1 to 86400 or `t0` is negative.
   */
  constructor(secret: Uint8Array | SecretKey, options: TOTPOptions = {}) {
    const o = optionsArg(options);
    this.#step = o.step === undefined ? 30 : integer('step', o.step, 1, MAX_OTPAUTH_PERIOD);
    this.#t0 = o.t0 === undefined ? 0 : integer('t0', o.t0, 0, Number.MAX_SAFE_INTEGER);
    this.#e = engine(secret, o);
    Object.freeze(this);
  }

  /** A new key with a random secret (20, 32 or 64 bytes for SHA1, SHA256, SHA512). */
  static generate(options: Omit<TOTPOptions, 'enforceKeyLength'> = {}): TOTP {
    const o = optionsArg(options);
    return new TOTP(randomBytes(HASH[algorithmArg(o.algorithm)].secretBytes), o as TOTPOptions);
  }

  /**
   * Reads an `otpauth://totp/...` URI (see {@link parseOtpauthUri} for HOTP keys and the label).
   * @throws {DecodeError} when the URI is malformed, is an HOTP key, or (by default) holds a secret
   * shorter than 16 bytes. @throws {TypeError} when `uri` is not a string.
   */
  static fromUri(uri: string, options: { enforceKeyLength?: boolean } = {}): TOTP {
    const parsed = parseOtpauthUri(uri, options);
    if (parsed.type !== 'totp') throw new DecodeError('invalid otpauth URI: expected a TOTP key, got HOTP');
    return parsed.otp;
  }

  /** The hash under the HMAC. */
  get algorithm(): OtpAlgorithm {
    return this.#e.algorithm;
  }

  /** Code length. */
  get digits(): number {
    return this.#e.digits;
  }

  /** Time step in seconds. */
  get step(): number {
    return this.#step;
  }

  /** Unix time at which step 0 starts. */
  get t0(): number {
    return this.#t0;
  }

  /**
   * The time step that contains `unixSeconds`: ⌊(unixSeconds − t0) / step⌋.
   * @throws {RangeError} when `unixSeconds` is not an integer at or after `t0`.
   */
  stepAt(unixSeconds: number): number {
    integer('unixSeconds', unixSeconds, this.#t0, Number.MAX_SAFE_INTEGER);
    return Math.floor((unixSeconds - this.#t0) / this.#step);
  }

  /** The code for now. */
  generate(): string {
    return this.generateAtTime(now());
  }

  /**
   * The code for `unixSeconds`.
   * @throws {TypeError | RangeError} when `unixSeconds` is not an integer at or after `t0`.
   */
  generateAtTime(unixSeconds: number): string {
    return format(this.#e, hotpValue(this.#e, this.stepAt(unixSeconds)));
  }

  /**
   * Checks `code` against the current step and `window` steps each side, in constant time, and returns
   * the step that matched (the latest, if several did).
   * @throws {InvalidToken} when no step matches, or the only match is at or before `after`.
   * @throws {TypeError} when `code` is not a string. @throws {RangeError} on a bad `window` or `after`.
   */
  verify(code: string, options: TOTPVerifyOptions = {}): number {
    return this.verifyAtTime(code, now(), options);
  }

  /** {@link TOTP.verify} at `unixSeconds` instead of now. */
  verifyAtTime(code: string, unixSeconds: number, options: TOTPVerifyOptions = {}): number {
    const step = this.stepAt(unixSeconds);
    const o = optionsArg(options);
    const window = o.window === undefined ? 1 : integer('window', o.window, 0, MAX_TOTP_WINDOW);
    const eligible = o.after === undefined ? 0 : integer('after', o.after, 0, Number.MAX_SAFE_INTEGER) + 1;
    const first = Math.max(0, step - window);
    const last = Math.min(step + window, Number.MAX_SAFE_INTEGER);
    return match(this.#e, code, first, last, eligible);
  }

  /**
   * The key as an `otpauth://totp/...` URI (Google Authenticator's Key URI format), for a QR code. It
   * holds the secret: show it once, never log it. The URI's `secret` parameter is also what users type
   * when they cannot scan.
   * @throws {TypeError} when `accountName` or `issuer` is not a non-empty string without ":".
   * @throws {RangeError} when `t0` is not 0: the format cannot carry it.
   */
  toUri(options: OtpUriOptions): string {
    const o = plainObject('options', options);
    if (this.#t0 !== 0) throw new RangeError('"t0" must be 0 for an otpauth URI: the format has no epoch');
    return encodeOtpauthUri(uriKey(this.#e, 'totp', o, { period: this.#step }));
  }

  toString(): string {
    return describe('TOTP', this.#e, `, ${this.#step} s`);
  }

  toJSON(): { type: 'TOTP'; algorithm: OtpAlgorithm; digits: number; step: number; t0: number } {
    return {
      type: 'TOTP',
      algorithm: this.#e.algorithm,
      digits: this.#e.digits,
      step: this.#step,
      t0: this.#t0,
    };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

const now = (): number => Math.floor(Date.now() / 1000);

function uriKey(
  e: Engine,
  type: 'hotp' | 'totp',
  o: Record<string, unknown>,
  extra: { period?: number; counter?: number },
): OtpauthKey {
  return {
    type,
    secret: e.secret,
    accountName: o.accountName as string,
    issuer: o.issuer as string | undefined,
    algorithm: e.algorithm,
    digits: e.digits,
    ...extra,
  };
}

/** What {@link parseOtpauthUri} returns: the key, and what the URI's label says about it. */
export type OtpauthKeyInfo =
  | { type: 'totp'; otp: TOTP; accountName: string; issuer: string | undefined }
  | { type: 'hotp'; otp: HOTP; counter: number; accountName: string; issuer: string | undefined };

/**
 * Reads an `otpauth://` key URI (Google Authenticator's Key URI format) into a `TOTP` or `HOTP`, with the
 * label's account name and issuer and, for HOTP, the initial counter. Secrets are base32 (lowercase and
 * padding accepted); parameters default as the format says (SHA1, 6 digits, 30 s).
 *
 * @throws {DecodeError} when the URI is malformed (the message says what is wrong, never the secret), or
 * its secret is shorter than 16 bytes while `enforceKeyLength` is on (the default).
 * @throws {TypeError} when `uri` is not a string.
 * @example
 * ```ts
 * import { parseOtpauthUri } from 'coffer';
 * const key = parseOtpauthUri('otpauth://totp/Example:ada@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Example');
 * key.issuer; // 'Example'
 * if (key.type === 'totp') key.otp.generate();
 * ```
 */
export function parseOtpauthUri(uri: string, options: { enforceKeyLength?: boolean } = {}): OtpauthKeyInfo {
  const enforce = booleanArg('enforceKeyLength', optionsArg(options).enforceKeyLength, true);
  const key = decodeOtpauthUri(uri);
  if (enforce && key.secret.length < MIN_OTP_SECRET_BYTES) {
    throw new DecodeError(
      `invalid otpauth URI: the secret is ${key.secret.length * 8} bits; at least 128 are required ` +
        '(RFC 4226 §4); pass { enforceKeyLength: false } to read it anyway',
    );
  }
  if (key.secret.length > MAX_OTP_SECRET_BYTES) {
    throw new DecodeError(`invalid otpauth URI: the secret is longer than ${MAX_OTP_SECRET_BYTES} bytes`);
  }
  const common = { algorithm: key.algorithm, digits: key.digits, enforceKeyLength: false };
  try {
    if (key.type === 'totp') {
      const otp = new TOTP(key.secret, { ...common, step: key.period ?? 30 });
      return { type: 'totp', otp, accountName: key.accountName, issuer: key.issuer };
    }
    const otp = new HOTP(key.secret, common);
    return { type: 'hotp', otp, counter: key.counter ?? 0, accountName: key.accountName, issuer: key.issuer };
  } finally {
    key.secret.fill(0); // the classes hold their own copies
  }
}
