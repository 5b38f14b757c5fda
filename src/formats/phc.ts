/**
 * Password hash strings: the PHC string format, and the modular-crypt forms coffer reads for migration.
 * Pure: no policy, no secrets, no I/O. The recipe that uses it is `hashPassword` / `verifyPassword` in
 * `coffer`.
 *
 * Two layers:
 * - `encodePhc` / `decodePhc`: the generic grammar of the PHC string format
 *   (`$<id>[$v=<version>][$<param>=<value>(,<param>=<value>)*][$<salt>[$<hash>]]`), strict and bounded.
 * - `encodePasswordHash` / `decodePasswordHash`: the four schemes coffer understands, with their binary
 *   fields decoded and every cost parameter checked against a ceiling before anything else runs:
 *   - `$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>[,keyid=<id>]$<salt>$<hash>` (also `argon2i`,
 *     `argon2d`), the PHC form of the Argon2 reference implementation; salt and hash in unpadded standard
 *     base64 (`B64`);
 *   - `$scrypt$ln=<log2 N>,r=<r>,p=<p>[,keyid=<id>]$<salt>$<hash>`, passlib's scrypt form, `B64` fields;
 *   - `$pbkdf2-sha256$<rounds>$<salt>$<hash>`, passlib's form, fields in passlib's "adapted base64"
 *     (`B64` with `.` in place of `+`);
 *   - `$2a$`, `$2b$`, `$2y$` bcrypt strings (`$2b$<cost>$<22 salt chars><31 hash chars>`), read only.
 *
 * `keyid` names the pepper key that was applied to the password before hashing (see `hashPassword`). It
 * holds the key's id as text (`[A-Za-z0-9./+-]{1,64}`), for example a keyring id `8cb8f9f5`.
 *
 * Strictness: one spelling per value. Decimal numbers have no sign and no leading zeros; base64 has no
 * padding and no set trailing bits; parameters come in the fixed order above; nothing trails the hash.
 * The whole string is at most {@link MAX_PHC_LENGTH} characters, so a hostile input costs nothing to
 * refuse.
 * @module
 */
import { DecodeError } from '../errors.ts';

/** Longest string either layer accepts: 512 characters. The longest coffer-valid hash is under 300. */
export const MAX_PHC_LENGTH = 512;

// ---------------------------------------------------------------------------------------------------
// The generic grammar (https://github.com/P-H-C/phc-string-format/blob/master/phc-sf-spec.md).

/** A PHC string split into its fields; salt and hash stay text, since schemes encode them differently. */
export interface PhcString {
  /** The function's identifier: `[a-z0-9-]{1,32}`. */
  readonly id: string;
  /** The `v=` field, when present: a decimal integer below 2^32. */
  readonly version?: number;
  /** Parameters in order: names `[a-z0-9-]{1,32}` (never `v`), values `[a-zA-Z0-9/+.-]{1,64}`. */
  readonly params: ReadonlyArray<readonly [string, string]>;
  /** The salt field as written: `[a-zA-Z0-9/+.-]{1,128}`. */
  readonly salt?: string;
  /** The hash field as written: `[A-Za-z0-9+/]{1,128}`; present only with a salt. */
  readonly hash?: string;
}

const ID = /^[a-z0-9-]{1,32}$/;
const PARAM_NAME = /^[a-z0-9-]{1,32}$/;
const PARAM_VALUE = /^[a-zA-Z0-9/+.-]{1,64}$/;
const SALT = /^[a-zA-Z0-9/+.-]{1,128}$/;
const HASH = /^[A-Za-z0-9+/]{1,128}$/;
const VERSION = /^v=(0|[1-9][0-9]{0,9})$/;
const DECIMAL = /^(?:0|[1-9][0-9]{0,9})$/;
const MAX_PARAMS = 16;

function fail(message: string): never {
  throw new DecodeError(`invalid password hash: ${message}`);
}

function checkLength(text: string): void {
  if (text.length > MAX_PHC_LENGTH) fail(`longer than ${MAX_PHC_LENGTH} characters`);
}

/**
 * Splits a PHC string into its fields.
 * @throws {DecodeError} when the text does not follow the grammar.
 * @throws {TypeError} when `text` is not a string.
 */
export function decodePhc(text: string): PhcString {
  if (typeof text !== 'string') throw new TypeError('"text" must be a string');
  checkLength(text);
  const fields = text.split('$');
  if (fields[0] !== '' || fields.length < 2) fail('must start with "$"');
  if (fields.length > 6) fail('too many "$" fields');
  const id = fields[1]!;
  if (!ID.test(id)) fail('the algorithm identifier must be 1 to 32 characters of [a-z0-9-]');
  let i = 2;
  let version: number | undefined;
  const v = fields[i];
  if (v?.startsWith('v=')) {
    const m = VERSION.exec(v);
    if (m === null) fail('the version must be a decimal integer without leading zeros');
    version = Number(m[1]);
    if (version > 0xffffffff) fail('the version is out of range');
    i++;
  }
  const params: Array<readonly [string, string]> = [];
  const p = fields[i];
  if (p?.includes('=')) {
    const pairs = p.split(',');
    if (pairs.length > MAX_PARAMS) fail(`more than ${MAX_PARAMS} parameters`);
    const seen = new Set<string>();
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      const value = eq === -1 ? '' : pair.slice(eq + 1);
      if (!PARAM_NAME.test(name) || name === 'v') fail('a parameter name must be [a-z0-9-]{1,32}, not "v"');
      if (!PARAM_VALUE.test(value)) fail(`parameter "${name}" must have a value of [a-zA-Z0-9/+.-]{1,64}`);
      if (seen.has(name)) fail(`parameter "${name}" appears twice`);
      seen.add(name);
      params.push([name, value] as const);
    }
    i++;
  }
  let salt: string | undefined;
  let hash: string | undefined;
  if (i < fields.length) {
    salt = fields[i++]!;
    if (!SALT.test(salt)) fail('the salt must be 1 to 128 characters of [a-zA-Z0-9/+.-]');
  }
  if (i < fields.length) {
    hash = fields[i++]!;
    if (!HASH.test(hash)) fail('the hash must be 1 to 128 base64 characters');
  }
  if (i < fields.length) fail('unexpected field after the hash');
  return {
    id,
    ...(version === undefined ? {} : { version }),
    params,
    ...(salt === undefined ? {} : { salt }),
    ...(hash === undefined ? {} : { hash }),
  };
}

/**
 * Joins fields into a PHC string. The inverse of `decodePhc`: `decodePhc(encodePhc(x))` equals `x`.
 * @throws {RangeError} when a field does not follow the grammar (a programmer mistake, not input).
 */
export function encodePhc(phc: PhcString): string {
  if (!ID.test(phc.id)) throw new RangeError('"id" must be 1 to 32 characters of [a-z0-9-]');
  let out = `$${phc.id}`;
  if (phc.version !== undefined) {
    if (!Number.isSafeInteger(phc.version) || phc.version < 0 || phc.version > 0xffffffff)
      throw new RangeError('"version" must be an integer in [0, 2^32)');
    out += `$v=${phc.version}`;
  }
  if (phc.params.length > MAX_PARAMS)
    throw new RangeError(`"params" must hold at most ${MAX_PARAMS} entries`);
  if (phc.params.length > 0) {
    const seen = new Set<string>();
    for (const [name, value] of phc.params) {
      if (!PARAM_NAME.test(name) || name === 'v' || seen.has(name))
        throw new RangeError('"params" names must be distinct, [a-z0-9-]{1,32}, and not "v"');
      if (!PARAM_VALUE.test(value)) throw new RangeError('"params" values must be [a-zA-Z0-9/+.-]{1,64}');
      seen.add(name);
    }
    out += `$${phc.params.map(([n, v]) => `${n}=${v}`).join(',')}`;
  }
  if (phc.salt !== undefined) {
    if (!SALT.test(phc.salt)) throw new RangeError('"salt" must be 1 to 128 characters of [a-zA-Z0-9/+.-]');
    out += `$${phc.salt}`;
  }
  if (phc.hash !== undefined) {
    if (phc.salt === undefined) throw new RangeError('"hash" needs a "salt"');
    if (!HASH.test(phc.hash)) throw new RangeError('"hash" must be 1 to 128 base64 characters');
    out += `$${phc.hash}`;
  }
  if (out.length > MAX_PHC_LENGTH)
    throw new RangeError(`the string would exceed ${MAX_PHC_LENGTH} characters`);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Unpadded base64, strict: the standard alphabet (PHC's B64), or passlib's adapted alphabet (`.` for `+`).

const B64_TEXT = /^[A-Za-z0-9+/]*$/;
const AB64_TEXT = /^[A-Za-z0-9./]*$/;

function b64Decode(text: string, what: string, adapted = false): Uint8Array {
  if (!(adapted ? AB64_TEXT : B64_TEXT).test(text) || text.length % 4 === 1)
    fail(`the ${what} is not base64`);
  const std = adapted ? text.replaceAll('.', '+') : text;
  const buf = Buffer.from(std, 'base64');
  // Re-encoding catches set trailing bits: one value, one spelling.
  if (buf.toString('base64').replace(/=+$/, '') !== std) fail(`the ${what} is not canonical base64`);
  return new Uint8Array(buf);
}

function b64Encode(data: Uint8Array, adapted = false): string {
  const s = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64').replace(/=+$/, '');
  return adapted ? s.replaceAll('+', '.') : s;
}

// ---------------------------------------------------------------------------------------------------
// The schemes.

/**
 * Ceilings on what a stored hash may ask for. They bound the memory and time one verification costs, so
 * a hostile or corrupted hash cannot ask for 4 GiB or a billion iterations: anything above is a
 * `DecodeError` before any work starts.
 */
export const PASSWORD_HASH_LIMITS = Object.freeze({
  argon2: Object.freeze({
    /** m ≤ 1 GiB (in KiB). */
    maxMemoryCost: 1024 * 1024,
    /** t ≤ 64 passes. */
    maxIterations: 64,
    /** p ≤ 16 lanes. */
    maxLanes: 16,
    /** m · t ≤ 4 GiB-passes (1 GiB × 4, or 64 MiB × 64): a ceiling on time as well as memory. */
    maxWork: 4 * 1024 * 1024,
  }),
  scrypt: Object.freeze({
    /** N ≤ 2^20. */
    maxLn: 20,
    maxR: 32,
    maxP: 16,
    /** 128 · N · r ≤ 1 GiB of memory. */
    maxMemory: 1024 * 1024 * 1024,
    /** 128 · N · r · p ≤ 4 GiB of memory traffic: a ceiling on time. */
    maxWork: 4 * 1024 * 1024 * 1024,
  }),
  pbkdf2: Object.freeze({
    /** 10,000,000 rounds (about 17 times OWASP's 600,000). */
    maxIterations: 10_000_000,
  }),
  bcrypt: Object.freeze({
    /** cost ≤ 16 (2^16 rounds, a few seconds). bcrypt itself allows 31. */
    maxCost: 16,
  }),
  /** Salts of 8 to 64 bytes (RFC 9106 §3.1 asks at least 8; coffer writes 16). */
  minSalt: 8,
  maxSalt: 64,
  /** Hashes of 16 to 64 bytes (coffer writes 32); a shorter tag would be guessable online. */
  minHash: 16,
  maxHash: 64,
});

const L = PASSWORD_HASH_LIMITS;

export type Argon2Variant = 'argon2id' | 'argon2i' | 'argon2d';

/** An Argon2 hash (version 0x13 = 19 only). */
export interface Argon2Hash {
  readonly scheme: 'argon2';
  readonly variant: Argon2Variant;
  readonly version: 19;
  /** m, in KiB. */
  readonly memoryCost: number;
  /** t, passes. */
  readonly iterations: number;
  /** p, lanes. */
  readonly lanes: number;
  /** The pepper key's id, when a pepper was applied. */
  readonly keyId?: string;
  readonly salt: Uint8Array;
  readonly hash: Uint8Array;
}

/** An scrypt hash in passlib's form. */
export interface ScryptHash {
  readonly scheme: 'scrypt';
  /** log2 N. */
  readonly ln: number;
  readonly r: number;
  readonly p: number;
  readonly keyId?: string;
  readonly salt: Uint8Array;
  readonly hash: Uint8Array;
}

/** A PBKDF2-HMAC-SHA256 hash in passlib's form. It has no field for a key id. */
export interface Pbkdf2Sha256Hash {
  readonly scheme: 'pbkdf2-sha256';
  readonly iterations: number;
  readonly salt: Uint8Array;
  readonly hash: Uint8Array;
}

/** A bcrypt hash: its variant and cost, and the string itself (bcrypt verifiers take it whole). */
export interface BcryptHash {
  readonly scheme: 'bcrypt';
  readonly variant: '2a' | '2b' | '2y';
  readonly cost: number;
  readonly encoded: string;
}

/** Every hash `decodePasswordHash` reads. */
export type PasswordHash = Argon2Hash | ScryptHash | Pbkdf2Sha256Hash | BcryptHash;

const KEY_ID = /^[A-Za-z0-9./+-]{1,64}$/;

/** True for a key id that fits the `keyid` parameter: `[A-Za-z0-9./+-]{1,64}`. */
export function isPhcKeyId(id: string): boolean {
  return KEY_ID.test(id);
}

function decimal(name: string, text: string, min: number, max: number): number {
  if (!DECIMAL.test(text)) fail(`"${name}" must be a decimal integer without leading zeros`);
  const n = Number(text);
  if (n < min || n > max) fail(`"${name}" must be between ${min} and ${max}, got ${n}`);
  return n;
}

function binaryFields(phc: PhcString, adapted = false): { salt: Uint8Array; hash: Uint8Array } {
  if (phc.salt === undefined || phc.hash === undefined) fail('the salt or the hash is missing');
  const salt = b64Decode(phc.salt, 'salt', adapted);
  const hash = b64Decode(phc.hash, 'hash', adapted);
  if (salt.length < L.minSalt || salt.length > L.maxSalt)
    fail(`the salt must be ${L.minSalt} to ${L.maxSalt} bytes, got ${salt.length}`);
  if (hash.length < L.minHash || hash.length > L.maxHash)
    fail(`the hash must be ${L.minHash} to ${L.maxHash} bytes, got ${hash.length}`);
  return { salt, hash };
}

/** Checks the parameter names, in order; returns the values and the optional trailing keyid. */
function namedParams(phc: PhcString, names: readonly string[]): { values: string[]; keyId?: string } {
  const ps = phc.params;
  const extra = ps.length - names.length;
  const ok =
    (extra === 0 || (extra === 1 && ps[names.length]![0] === 'keyid')) &&
    names.every((n, i) => ps[i]?.[0] === n);
  if (!ok) fail(`the parameters must be ${names.join(',')} in that order, then an optional keyid`);
  const values = names.map((_, i) => ps[i]![1]);
  if (extra === 0) return { values };
  const keyId = ps[names.length]![1];
  if (!KEY_ID.test(keyId)) fail('"keyid" must be 1 to 64 characters of [A-Za-z0-9./+-]');
  return { values, keyId };
}

function decodeArgon2(text: string): Argon2Hash {
  const phc = decodePhc(text);
  // The reference implementation reads a string without `v=` as version 0x10, which coffer refuses.
  if (phc.version !== 19) fail('only Argon2 version 19 (0x13) is supported');
  const { values, keyId } = namedParams(phc, ['m', 't', 'p']);
  const a = L.argon2;
  const lanes = decimal('p', values[2]!, 1, a.maxLanes);
  // RFC 9106 §3.1: m ≥ 8·p.
  const memoryCost = decimal('m', values[0]!, 8 * lanes, a.maxMemoryCost);
  const iterations = decimal('t', values[1]!, 1, a.maxIterations);
  if (memoryCost * iterations > a.maxWork)
    fail(`m · t must be at most ${a.maxWork} KiB-passes, got ${memoryCost * iterations}`);
  return {
    scheme: 'argon2',
    variant: phc.id as Argon2Variant,
    version: 19,
    memoryCost,
    iterations,
    lanes,
    ...(keyId === undefined ? {} : { keyId }),
    ...binaryFields(phc),
  };
}

function decodeScrypt(text: string): ScryptHash {
  const phc = decodePhc(text);
  if (phc.version !== undefined) fail('scrypt strings have no version field');
  const { values, keyId } = namedParams(phc, ['ln', 'r', 'p']);
  const s = L.scrypt;
  const ln = decimal('ln', values[0]!, 1, s.maxLn);
  const r = decimal('r', values[1]!, 1, s.maxR);
  const p = decimal('p', values[2]!, 1, s.maxP);
  // RFC 7914 §2: N < 2^(128·r/8).
  if (ln >= 16 * r) fail('"ln" must be below 16 · r (RFC 7914 §2)');
  const memory = 128 * 2 ** ln * r;
  if (memory > s.maxMemory) fail(`128 · N · r must be at most ${s.maxMemory} bytes, got ${memory}`);
  if (memory * p > s.maxWork) fail(`128 · N · r · p must be at most ${s.maxWork}, got ${memory * p}`);
  return { scheme: 'scrypt', ln, r, p, ...(keyId === undefined ? {} : { keyId }), ...binaryFields(phc) };
}

const PBKDF2_FORM = /^\$pbkdf2-sha256\$([0-9]{1,10})\$([A-Za-z0-9./]{1,128})\$([A-Za-z0-9./]{1,128})$/;

function decodePbkdf2(text: string): Pbkdf2Sha256Hash {
  const m = PBKDF2_FORM.exec(text);
  if (m === null) fail('pbkdf2-sha256 hashes have the form $pbkdf2-sha256$<rounds>$<salt>$<hash>');
  const iterations = decimal('rounds', m[1]!, 1, L.pbkdf2.maxIterations);
  const phc: PhcString = { id: 'pbkdf2-sha256', params: [], salt: m[2]!, hash: m[3]! };
  return { scheme: 'pbkdf2-sha256', iterations, ...binaryFields(phc, true) };
}

// bcrypt's own base64 alphabet: `./A-Za-z0-9`, in that order.
const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BCRYPT_FORM = /^\$(2[aby])\$([0-9]{2})\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})$/;

function decodeBcrypt(text: string): BcryptHash {
  const m = BCRYPT_FORM.exec(text);
  if (m === null) fail('bcrypt hashes have the form $2b$<cost>$<53 characters>');
  const cost = Number(m[2]);
  if (cost < 4 || cost > L.bcrypt.maxCost)
    fail(`the bcrypt cost must be between 4 and ${L.bcrypt.maxCost}, got ${cost}`);
  // 22 characters carry 132 bits for a 128-bit salt, 31 carry 186 for a 184-bit hash: the spare low bits
  // of each last character must be zero.
  if (BCRYPT_ALPHABET.indexOf(m[3]!.at(-1)!) % 16 !== 0) fail('the bcrypt salt is not canonical');
  if (BCRYPT_ALPHABET.indexOf(m[4]!.at(-1)!) % 4 !== 0) fail('the bcrypt hash is not canonical');
  return { scheme: 'bcrypt', variant: m[1] as BcryptHash['variant'], cost, encoded: text };
}

/**
 * Reads a stored password hash in any of the four schemes, with every cost bounded by
 * {@link PASSWORD_HASH_LIMITS}. Nothing is computed: a refused hash costs a few regular expressions.
 * @throws {DecodeError} when the string is malformed, names an unknown scheme or version, or asks for
 *   more than the ceilings. The message names the problem, never the string.
 * @throws {TypeError} when `text` is not a string.
 */
export function decodePasswordHash(text: string): PasswordHash {
  if (typeof text !== 'string') throw new TypeError('"text" must be a string');
  checkLength(text);
  if (text.startsWith('$argon2id$') || text.startsWith('$argon2i$') || text.startsWith('$argon2d$'))
    return decodeArgon2(text);
  if (text.startsWith('$scrypt$')) return decodeScrypt(text);
  if (text.startsWith('$pbkdf2-sha256$')) return decodePbkdf2(text);
  if (/^\$2[aby]\$/.test(text)) return decodeBcrypt(text);
  const id = /^\$([a-z0-9-]{1,32})\$/.exec(text)?.[1];
  fail(id === undefined ? 'not a password hash string' : `unsupported scheme "${id}"`);
}

function checkBinary(h: { salt: Uint8Array; hash: Uint8Array }): void {
  if (h.salt.length < L.minSalt || h.salt.length > L.maxSalt)
    throw new RangeError(`"salt" must be ${L.minSalt} to ${L.maxSalt} bytes, got ${h.salt.length}`);
  if (h.hash.length < L.minHash || h.hash.length > L.maxHash)
    throw new RangeError(`"hash" must be ${L.minHash} to ${L.maxHash} bytes, got ${h.hash.length}`);
}

function inRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new RangeError(`"${name}" must be an integer between ${min} and ${max}, got ${value}`);
}

function keyIdParam(keyId: string | undefined): Array<readonly [string, string]> {
  if (keyId === undefined) return [];
  if (!KEY_ID.test(keyId)) throw new RangeError('"keyId" must be 1 to 64 characters of [A-Za-z0-9./+-]');
  return [['keyid', keyId]];
}

/**
 * Writes a hash in its scheme's form. Refuses (RangeError) what `decodePasswordHash` would refuse, so a
 * string coffer writes always reads back: `decodePasswordHash(encodePasswordHash(h))` equals `h`.
 * bcrypt is read-only: its `encoded` string is returned as it is.
 * @throws {RangeError} when a field is outside the ceilings or malformed.
 */
export function encodePasswordHash(h: PasswordHash): string {
  switch (h.scheme) {
    case 'argon2': {
      const a = L.argon2;
      inRange('lanes', h.lanes, 1, a.maxLanes);
      inRange('memoryCost', h.memoryCost, 8 * h.lanes, a.maxMemoryCost);
      inRange('iterations', h.iterations, 1, a.maxIterations);
      if (h.memoryCost * h.iterations > a.maxWork)
        throw new RangeError(`"memoryCost" · "iterations" must be at most ${a.maxWork}`);
      checkBinary(h);
      return encodePhc({
        id: h.variant,
        version: 19,
        params: [
          ['m', String(h.memoryCost)],
          ['t', String(h.iterations)],
          ['p', String(h.lanes)],
          ...keyIdParam(h.keyId),
        ],
        salt: b64Encode(h.salt),
        hash: b64Encode(h.hash),
      });
    }
    case 'scrypt': {
      const s = L.scrypt;
      inRange('ln', h.ln, 1, s.maxLn);
      inRange('r', h.r, 1, s.maxR);
      inRange('p', h.p, 1, s.maxP);
      const memory = 128 * 2 ** h.ln * h.r;
      if (h.ln >= 16 * h.r || memory > s.maxMemory || memory * h.p > s.maxWork)
        throw new RangeError('"ln", "r" and "p" exceed the scrypt ceilings');
      checkBinary(h);
      return encodePhc({
        id: 'scrypt',
        params: [['ln', String(h.ln)], ['r', String(h.r)], ['p', String(h.p)], ...keyIdParam(h.keyId)],
        salt: b64Encode(h.salt),
        hash: b64Encode(h.hash),
      });
    }
    case 'pbkdf2-sha256':
      inRange('iterations', h.iterations, 1, L.pbkdf2.maxIterations);
      checkBinary(h);
      return `$pbkdf2-sha256$${h.iterations}$${b64Encode(h.salt, true)}$${b64Encode(h.hash, true)}`;
    case 'bcrypt':
      decodeBcrypt(h.encoded);
      return h.encoded;
  }
}
