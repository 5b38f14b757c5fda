/**
 * Recovery codes: single-use secrets a user keeps on paper for when the second factor is lost. They are
 * stored one-way, as OWASP ASVS 5.0 §6.5 asks: hashed, never encrypted.
 *
 * - **Generation**: `generateRecoveryCodes({ count })` gives codes of 80 bits from the OS CSPRNG, shown in
 *   Crockford base32 as four dashed groups: `7KQ4-M2XD-9PRT-HV3C`.
 * - **Typing**: case, spaces and dashes are ignored, and `O` reads as `0`, `I` and `L` as `1`.
 * - **Storage** with a pepper (a `Keyring`, or a `SecretKey` with an id, kept outside the database): each
 *   code is stored as `{ keyId, hash }`, the hash being HMAC-SHA256 under a key derived from the pepper
 *   (HKDF-SHA256, info = "coffer/v1/recovery-code") of the code's canonical 16 symbols, in unpadded
 *   base64url. A typed code is then found by one indexed equality (`recoveryCodeLookup` gives the values to
 *   look for), not by running a slow hash per stored code. The key id sits beside each hash so the
 *   keyring can rotate.
 * - **Storage without a pepper**: each code is an Argon2id hash (`hashPassword`'s defaults, PHC string,
 *   `keyId: null`), and verification runs one Argon2id per stored code.
 * - **Verification**: `verifyRecoveryCode(typed, stored)` says which stored entry matches. It looks at every
 *   entry, whatever matches, and compares in constant time. Delete the matched entry to use the code up
 *   (atomically: the PostgreSQL integration does this in one statement).
 * - **Regeneration**: `regenerateRecoveryCodes` makes a whole new set; store it in place of the old one.
 *
 * **Why either storage is safe, in entropy terms.** A code carries 80 bits. With a pepper, a stolen
 * database alone gives nothing to search: without the key, HMAC-SHA256 is a pseudorandom function and no
 * guess can be checked offline. Even with the key, checking 2^79 guesses on average at 10^10 HMACs per
 * second takes about 2 million years per code. Without a pepper, each guess costs an Argon2id at
 * 19 MiB: 2^79 guesses are out of reach by a further factor of about 10^6. Unlike passwords, codes are
 * random, so there is no dictionary to try first. Online guessing is the application's to limit (lock
 * after a few failures).
 *
 * @example
 * ```ts
 * import { Keyring, regenerateRecoveryCodes, recoveryCodeLookup, verifyRecoveryCode } from 'coffer';
 * const pepper = await Keyring.load(process.env.PEPPER_KEYRING!, { passphrase });
 * const { codes, stored } = await regenerateRecoveryCodes({ count: 10, pepper });
 * // show `codes` once; replace the user's rows with `stored` ({ keyId, hash } each)
 * const index = await verifyRecoveryCode(typed, rows, { pepper }); // throws InvalidKey when none match
 * // delete rows[index]
 * ```
 * @module
 */
import { DecodeError, InvalidKey } from '../errors.ts';
import { base64urlDecode } from '../formats/encoding.ts';
import { decodePasswordHash } from '../formats/phc.ts';
import {
  encodeRecoveryCode,
  formatRecoveryCode,
  parseRecoveryCode,
  RECOVERY_CODE_BYTES,
} from '../formats/recovery-code.ts';
import { randomBytes, timingSafeEqual } from '../internal/backend.ts';
import { describeValue, integer, plainObject } from '../internal/bytes.ts';
import {
  applyPepper,
  currentPepper,
  type Pepper,
  type PepperKey,
  pepperById,
  pepperOption,
  usablePeppers,
} from '../internal/pepper.ts';
import type { SecretKey } from '../keys/secret-key.ts';
import type { Keyring } from './keyring.ts';
import { defaultPolicy, hashBytes, matches } from './passwords.ts';

/** Entropy of one code: 80 bits. */
export const RECOVERY_CODE_BITS = 80;
/** Most codes in one set: 100. */
export const MAX_RECOVERY_CODES = 100;

/**
 * One stored code. With a pepper: `keyId` is the pepper key's id and `hash` the 43-character base64url
 * HMAC-SHA256. Without: `keyId` is `null` and `hash` an Argon2id PHC string. Store both fields; index
 * `(keyId, hash)` for lookups.
 */
export interface StoredRecoveryCode {
  readonly keyId: string | null;
  readonly hash: string;
}

/** Where codes are peppered. */
export interface RecoveryCodeOptions {
  /** The key (or keyring) to HMAC codes under. Without it, codes are stored as Argon2id hashes. */
  pepper?: Keyring | SecretKey;
}

const DEFAULT_COUNT = 10;
const ascii = new TextEncoder();

function countOf(value: unknown): number {
  return value === undefined ? DEFAULT_COUNT : integer('options.count', value, 1, MAX_RECOVERY_CODES);
}

function pepperOf(options: unknown): Pepper | undefined {
  if (options === undefined) return undefined;
  const o = plainObject('options', options);
  return o.pepper === undefined ? undefined : pepperOption('options.pepper', o.pepper);
}

function codeText(name: string, value: unknown): string {
  if (typeof value !== 'string')
    throw new TypeError(`"${name}" must be a string, got ${describeValue(value)}`);
  return value;
}

function hmacDigest(key: PepperKey, canonical: string): Uint8Array {
  return applyPepper(key, ascii.encode(canonical));
}

function b64url(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64url');
}

/**
 * Fresh recovery codes: 80 bits each from the OS CSPRNG, as `XXXX-XXXX-XXXX-XXXX` in Crockford base32.
 * The codes in one set are distinct.
 * @throws {TypeError | RangeError} when `count` is not an integer in [1, 100] (default 10).
 * @example
 * ```ts
 * import { generateRecoveryCodes } from 'coffer';
 * generateRecoveryCodes({ count: 2 }); // ['7KQ4-M2XD-9PRT-HV3C', 'Q0ZB-4N8S-WJ2T-E6MA']
 * ```
 */
export function generateRecoveryCodes(options: { count?: number } = {}): string[] {
  const count = countOf(plainObject('options', options).count);
  const codes = new Set<string>();
  while (codes.size < count) codes.add(encodeRecoveryCode(randomBytes(RECOVERY_CODE_BYTES)));
  return [...codes];
}

/**
 * The display form of a typed code: case, spaces and dashes ignored, `O` read as `0`, `I`/`L` as `1`.
 * `normalizeRecoveryCode(' 7kq4 m2xd-9prt-hv3c ')` is `'7KQ4-M2XD-9PRT-HV3C'`.
 * @throws {DecodeError} when the text is not a recovery code (a symbol outside the alphabet, or not 16
 *   symbols). @throws {TypeError} when `code` is not a string.
 */
export function normalizeRecoveryCode(code: string): string {
  const canonical = parseRecoveryCode(codeText('code', code));
  if (canonical === null) throw new DecodeError('not a recovery code: expected 16 Crockford base32 symbols');
  return formatRecoveryCode(canonical);
}

async function store(
  canonical: readonly string[],
  pepper: Pepper | undefined,
): Promise<StoredRecoveryCode[]> {
  if (pepper !== undefined) {
    const key = currentPepper(pepper, 'recovery-code');
    return canonical.map((c) => ({ keyId: key.id, hash: b64url(hmacDigest(key, c)) }));
  }
  const policy = defaultPolicy();
  const hashes = await Promise.all(canonical.map((c) => hashBytes(ascii.encode(c), policy)));
  return hashes.map((hash) => ({ keyId: null, hash }));
}

/**
 * The stored form of codes, in order: HMAC-SHA256 under the pepper's current key (the keyring's primary),
 * or Argon2id without a pepper. Codes may be typed forms (they are normalized first).
 * @throws {DecodeError} when a code is not a recovery code.
 * @throws {TypeError} when `codes` is not an array of strings, or `pepper` is not a Keyring or a SecretKey
 *   with an id. @throws {RangeError} when there are no codes or more than 100, or a SecretKey pepper is
 *   under 32 bytes.
 */
export async function hashRecoveryCodes(
  codes: readonly string[],
  options?: RecoveryCodeOptions,
): Promise<StoredRecoveryCode[]> {
  if (!Array.isArray(codes))
    throw new TypeError(`"codes" must be an array of strings, got ${describeValue(codes)}`);
  if (codes.length < 1 || codes.length > MAX_RECOVERY_CODES)
    throw new RangeError(`"codes" must hold 1 to ${MAX_RECOVERY_CODES} codes, got ${codes.length}`);
  const canonical = codes.map((c: unknown, i) => {
    if (typeof c !== 'string')
      throw new TypeError(`"codes" must hold strings: entry ${i} is ${describeValue(c)}`);
    const parsed = parseRecoveryCode(c);
    if (parsed === null) throw new DecodeError(`codes entry ${i} is not a recovery code`);
    return parsed;
  });
  return store(canonical, pepperOf(options));
}

/**
 * A new set of codes and their stored form, in the same order. Store `stored` in place of the user's
 * previous set (all of it: old codes stop working only when their rows are gone) and show `codes` once.
 * @throws as `generateRecoveryCodes` and `hashRecoveryCodes`.
 */
export async function regenerateRecoveryCodes(
  options: { count?: number } & RecoveryCodeOptions = {},
): Promise<{ codes: string[]; stored: StoredRecoveryCode[] }> {
  const o = plainObject('options', options);
  const pepper = pepperOf(o);
  const codes = generateRecoveryCodes({ count: countOf(o.count) });
  const stored = await store(
    codes.map((c) => parseRecoveryCode(c)!),
    pepper,
  );
  return { codes, stored };
}

/**
 * The stored values a typed code would have under each of the pepper's usable keys (the SecretKey, or the
 * keyring's primary and active keys): look them up with one indexed query,
 * `WHERE user_id = $1 AND (key_id, hash) IN (…)`. The hashes are keyed, so a lookup's timing tells an
 * attacker nothing they could use.
 * @throws {InvalidKey} when the text is not a recovery code (the same error as a wrong code).
 * @throws {TypeError} when `code` is not a string or `pepper` is missing or not a Keyring or SecretKey.
 */
export function recoveryCodeLookup(
  code: string,
  options: { pepper: Keyring | SecretKey },
): StoredRecoveryCode[] {
  const text = codeText('code', code);
  const pepper = pepperOf(plainObject('options', options));
  if (pepper === undefined)
    throw new TypeError('"options.pepper" must be a Keyring or a SecretKey, got undefined');
  const canonical = parseRecoveryCode(text);
  if (canonical === null) throw new InvalidKey();
  return usablePeppers(pepper, 'recovery-code').map((key) => ({
    keyId: key.id,
    hash: b64url(hmacDigest(key, canonical)),
  }));
}

interface ParsedEntry {
  readonly keyId: string | null;
  readonly hmac?: Uint8Array;
  readonly phc?: ReturnType<typeof decodePasswordHash>;
}

function parseStored(value: unknown): ParsedEntry[] {
  if (!Array.isArray(value)) throw new TypeError(`"stored" must be an array, got ${describeValue(value)}`);
  if (value.length > MAX_RECOVERY_CODES)
    throw new RangeError(`"stored" must hold at most ${MAX_RECOVERY_CODES} entries, got ${value.length}`);
  return value.map((entry: unknown, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new TypeError(`"stored" entry ${i} must be an object, got ${describeValue(entry)}`);
    }
    const { keyId, hash } = entry as Record<string, unknown>;
    if (typeof hash !== 'string')
      throw new TypeError(`"stored" entry ${i}: "hash" must be a string, got ${describeValue(hash)}`);
    if (keyId === null) {
      const phc = decodePasswordHash(hash);
      if (phc.scheme !== 'argon2') throw new DecodeError(`stored entry ${i} is not an Argon2 hash`);
      return { keyId: null, phc };
    }
    if (typeof keyId !== 'string')
      throw new TypeError(
        `"stored" entry ${i}: "keyId" must be a string or null, got ${describeValue(keyId)}`,
      );
    let mac: Uint8Array;
    try {
      mac = base64urlDecode(hash, { padding: 'none' });
    } catch {
      throw new DecodeError(`stored entry ${i}: the hash is not unpadded base64url`);
    }
    if (mac.length !== 32)
      throw new DecodeError(`stored entry ${i}: the hash must be 32 bytes, got ${mac.length}`);
    return { keyId, hmac: mac };
  });
}

/**
 * Finds which stored code a typed code matches, and returns its index in `stored`. Every entry is checked
 * whatever matches (each HMAC compared in constant time; each Argon2id computed), so the time depends on
 * the set, not on which code was typed or whether it is right. Delete the entry to use the code up.
 *
 * @throws {InvalidKey} when no entry matches, or the text is not a recovery code. One message either way.
 * @throws {KeyNotFound | KeyDisabled} when an entry's `keyId` names a key the pepper does not hold, or a
 *   disabled or retired keyring key. @throws {DecodeError} when an entry is malformed.
 * @throws {TypeError} on a wrong type, or HMAC entries without `options.pepper`.
 * @throws {RangeError} when `stored` holds more than 100 entries.
 */
export async function verifyRecoveryCode(
  code: string,
  stored: readonly StoredRecoveryCode[],
  options?: RecoveryCodeOptions,
): Promise<number> {
  const text = codeText('code', code);
  const entries = parseStored(stored);
  const pepper = pepperOf(options);
  // Resolve every key an entry names before looking at the code, so configuration errors are reported
  // the same way whatever was typed.
  const keys = new Map<string, PepperKey>();
  for (const e of entries) {
    if (e.keyId === null || keys.has(e.keyId)) continue;
    if (pepper === undefined) {
      throw new TypeError(`recovery codes stored under key ${JSON.stringify(e.keyId)} need "options.pepper"`);
    }
    keys.set(e.keyId, pepperById(pepper, e.keyId, 'recovery-code'));
  }
  const canonical = parseRecoveryCode(text);
  if (canonical === null) throw new InvalidKey();

  const digests = new Map<string, Uint8Array>();
  for (const [id, key] of keys) digests.set(id, hmacDigest(key, canonical));
  const input = ascii.encode(canonical);
  const results = await Promise.all(
    entries.map(async (e) => {
      if (e.hmac !== undefined) return timingSafeEqual(digests.get(e.keyId!)!, e.hmac);
      return matches(input, e.phc!, pepper);
    }),
  );
  let found = -1;
  for (let i = results.length - 1; i >= 0; i--) if (results[i]) found = i;
  if (found < 0) throw new InvalidKey();
  return found;
}
