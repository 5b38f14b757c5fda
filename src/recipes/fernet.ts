/**
 * Fernet and MultiFernet: authenticated symmetric tokens, wire-compatible with pyca's
 * `cryptography.fernet`. A token made here opens in Python and the other way round.
 *
 * Fernet is AES-128-CBC with PKCS#7 padding, then HMAC-SHA256 over version ‖ timestamp ‖ IV ‖ ciphertext
 * (encrypt-then-MAC), with a 256-bit key split into a 128-bit signing half and a 128-bit encryption half.
 * Its limits: no associated data (nothing binds a token to where it is used), a timestamp in clear, the
 * whole message in memory, and a random 128-bit IV per token. It is the right choice for talking to
 * Python code that uses Fernet; for new designs use `Keyring`, whose sealed tokens bind a context and
 * rotate keys by id.
 *
 * @module
 */
import { inspect } from 'node:util';
import { DecodeError, InvalidToken } from '../errors.ts';
import { base64urlDecode } from '../formats/encoding.ts';
import {
  CIPHERTEXT_OFFSET,
  decodeTokenText,
  encodeTokenBytes,
  HMAC_BYTES,
  IV_BYTES,
  IV_OFFSET,
  MAX_PLAINTEXT_BYTES,
  MAX_TOKEN_LENGTH,
  readTimestamp,
  readTimestampBig,
  tokenByteLength,
  writeHeader,
} from '../formats/fernet-token.ts';
import {
  type CbcCipherName,
  cbcDecryptOwned,
  cbcEncryptInto,
  hmac,
  type KeyInput,
  keyHandle,
  randomBytes,
  timingSafeEqual,
} from '../internal/backend.ts';
import { type BytesLike, bytesLike, describeValue, integer, isBytes } from '../internal/bytes.ts';
import { fillRandom } from '../internal/nonce-pool.ts';

/** pyca's `_MAX_CLOCK_SKEW`: with a ttl, a token stamped more than this many seconds ahead is refused. */
const MAX_CLOCK_SKEW = 60;
const KEY_BYTES = 32;
const HALF = 16;
const CIPHER: CbcCipherName = 'aes-128-cbc';
const MAC_HASH = 'sha256';

type Timestamp = number | bigint;

/** What a `Fernet` keeps private: the two 16-byte halves of its key (spec: signing ‖ encryption). */
// KeyObject handles, made once: see keyHandle in internal/backend.ts (5x faster per call on Node 24).
interface FernetKeys {
  readonly signing: KeyInput;
  readonly encryption: KeyInput;
}

let keysOf: (fernet: Fernet) => FernetKeys;
/** A brand check: `instanceof` accepts `Object.create(Fernet.prototype)`, which holds no key. */
let isFernet: (value: unknown) => value is Fernet;

const now = (): number => Math.floor(Date.now() / 1000);

function ttlArg(ttl: unknown): number {
  return integer('ttl', ttl, 0, Number.MAX_SAFE_INTEGER);
}

function timeArg(unixSeconds: unknown): number {
  return integer('unixSeconds', unixSeconds, 0, Number.MAX_SAFE_INTEGER);
}

/**
 * Token text (a string, or its ASCII bytes as pyca also takes) to token bytes with a checked layout.
 * Wrong types are the caller's mistake (TypeError); everything else wrong is InvalidToken.
 */
function decode(token: unknown): Uint8Array {
  let text: string;
  if (typeof token === 'string') {
    text = token;
  } else if (isBytes(token)) {
    if (token.length > MAX_TOKEN_LENGTH) throw new InvalidToken();
    text = Buffer.from(token.buffer, token.byteOffset, token.byteLength).toString('latin1');
  } else {
    throw new TypeError(`"token" must be a string or a Uint8Array, got ${describeValue(token)}`);
  }
  const bytes = decodeTokenText(text);
  if (bytes === null) throw new InvalidToken();
  return bytes;
}

/**
 * pyca's two time checks, in its order: expired (`timestamp + ttl < now`), then too far ahead
 * (`now + 60 < timestamp`). Exact for every 64-bit timestamp: the arithmetic stays below 2^53 or
 * goes through BigInt.
 */
function timely(token: Uint8Array, ttl: number, at: number): boolean {
  const ts = readTimestamp(token);
  if (Number.isSafeInteger(ts)) return at - ts <= ttl && ts - at <= MAX_CLOCK_SKEW;
  // Past 2^53 the token cannot have expired; only the skew check can fail.
  return readTimestampBig(token) <= BigInt(at) + BigInt(MAX_CLOCK_SKEW);
}

/** Constant-time HMAC check of the whole token. */
function authentic(keys: FernetKeys, token: Uint8Array): boolean {
  const at = token.length - HMAC_BYTES;
  const expected = hmac(MAC_HASH, keys.signing, token.subarray(0, at));
  return timingSafeEqual(expected, token.subarray(at));
}

/** Verifies, then decrypts. Returns null when the HMAC or the padding is wrong. */
function open(keys: FernetKeys, token: Uint8Array): Uint8Array | null {
  if (!authentic(keys, token)) return null;
  return cbcDecryptOwned(
    CIPHER,
    keys.encryption,
    token.subarray(IV_OFFSET, CIPHERTEXT_OFFSET),
    token.subarray(CIPHERTEXT_OFFSET, token.length - HMAC_BYTES),
  );
}

/** Builds a token in one buffer: header, IV, ciphertext written in place, HMAC, then base64url. */
function seal(keys: FernetKeys, data: unknown, timestamp: Timestamp, iv?: Uint8Array): string {
  const plain = bytesLike('data', data);
  if (plain.length > MAX_PLAINTEXT_BYTES) {
    throw new RangeError(
      `"data" must be at most ${MAX_PLAINTEXT_BYTES} bytes for a Fernet token, got ${plain.length}`,
    );
  }
  const out = Buffer.allocUnsafe(tokenByteLength(plain.length));
  writeHeader(out, timestamp);
  if (iv === undefined) fillRandom(out, IV_OFFSET, IV_BYTES);
  else out.set(iv, IV_OFFSET);
  const end =
    CIPHERTEXT_OFFSET +
    cbcEncryptInto(
      CIPHER,
      keys.encryption,
      out.subarray(IV_OFFSET, CIPHERTEXT_OFFSET),
      plain,
      out,
      CIPHERTEXT_OFFSET,
    );
  out.set(hmac(MAC_HASH, keys.signing, out.subarray(0, end)), end);
  return encodeTokenBytes(out);
}

function exactTimestamp(token: Uint8Array): number {
  const ts = readTimestamp(token);
  if (!Number.isSafeInteger(ts)) {
    throw new RangeError(
      "the token's timestamp is beyond Number.MAX_SAFE_INTEGER and cannot be returned exactly",
    );
  }
  return ts;
}

/** The key as pyca takes it (url-safe base64 text) or as 32 raw bytes; a private copy. */
function keyMaterial(key: unknown): Uint8Array {
  if (typeof key === 'string') {
    let raw: Uint8Array;
    try {
      raw = base64urlDecode(key);
    } catch {
      // Never echo the text: it is (nearly) a key.
      throw new DecodeError(
        '"key" is not url-safe base64: expected 44 characters from A-Z a-z 0-9 - _ ending in "=", as Fernet.generateKey() returns',
      );
    }
    if (raw.length !== KEY_BYTES) {
      raw.fill(0);
      throw new RangeError(`"key" must decode to ${KEY_BYTES} bytes, got ${raw.length}`);
    }
    return raw;
  }
  if (isBytes(key)) {
    if (key.length !== KEY_BYTES) {
      const hint = key.length === 43 || key.length === 44 ? ' (pass a base64url key as a string)' : '';
      throw new RangeError(`"key" must be ${KEY_BYTES} bytes, got ${key.length}${hint}`);
    }
    return Uint8Array.from(key);
  }
  throw new TypeError(
    `"key" must be a url-safe base64 string or a Uint8Array of ${KEY_BYTES} bytes, got ${describeValue(key)}`,
  );
}

/**
 * Authenticated symmetric encryption with timestamps, the same tokens as pyca's `Fernet`.
 *
 * A token is `base64url(0x80 ‖ timestamp ‖ IV ‖ AES-128-CBC ciphertext ‖ HMAC-SHA256)`. Decryption checks
 * the HMAC in constant time before it decrypts anything, and every way a token can be wrong (encoding,
 * version, length, HMAC, padding, age, clock skew) raises the same `InvalidToken`.
 *
 * Limits: no associated data; the creation time is readable by anyone holding the token; the message is
 * processed in memory, up to about 384 MiB (`MAX_PLAINTEXT_BYTES` in the format module; tokens up to the
 * runtime's longest string, about 512 MiB, and decrypting costs one pass over the token); keep one key
 * under about 2^48 tokens, which holds the chance of any repeated random IV below 2^-32. The key's two
 * halves are kept in private fields: `String`, `JSON.stringify` and `util.inspect` never show them. For
 * new designs prefer `Keyring` (AES-256-GCM, context binding, key ids).
 *
 * Differences from pyca. Tokens: the text must be the one canonical padded base64url spelling that
 * Fernet writes (pyca's decoder also skips whitespace and stray characters, takes `+` and `/`, ignores
 * trailing bits and anything after the padding); a non-ASCII token is `InvalidToken` (pyca raises
 * ValueError); the layout (at least one whole cipher block) is checked before the HMAC, so
 * `extractTimestamp` refuses a malformed token even when a key holder MACed it. Every token pyca or
 * coffer writes is accepted by both. Keys: text may leave out the final `=`; a Uint8Array is the 32 raw
 * key bytes (for pyca, bytes are the base64 text). Arguments: `ttl` and times must be non-negative safe
 * integers.
 *
 * @example
 * ```ts
 * import { Fernet } from 'coffer';
 * const key = Fernet.generateKey(); // store it like a password
 * const f = new Fernet(key);
 * const token = f.encrypt('my deep dark secret');
 * const plain = f.decrypt(token, 60); // Uint8Array; throws InvalidToken if older than 60 s
 * new TextDecoder().decode(plain); // 'my deep dark secret'
 * ```
 */
export class Fernet {
  readonly #keys: FernetKeys;

  static {
    keysOf = (fernet) => fernet.#keys;
    isFernet = (value): value is Fernet => typeof value === 'object' && value !== null && #keys in value;
  }

  /**
   * A fresh key from the OS CSPRNG: 32 bytes as url-safe base64 with padding (44 characters), the same
   * form as pyca's `Fernet.generate_key()`.
   * @example
   * ```ts
   * import { Fernet } from 'coffer';
   * const key = Fernet.generateKey(); // e.g. 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4='
   * ```
   */
  static generateKey(): string {
    const raw = randomBytes(KEY_BYTES);
    const text = `${raw.toString('base64url')}=`;
    raw.fill(0);
    return text;
  }

  /**
   * @param key The key as url-safe base64 text (what `generateKey` and pyca return; the trailing `=` may
   * be left out), or its 32 raw bytes. Bytes are copied: the caller may wipe its own array.
   * @throws {TypeError} when `key` is neither a string nor a Uint8Array.
   * @throws {DecodeError} when the string is not canonical url-safe base64 (whitespace, `+` or `/`,
   * non-zero trailing bits, wrong padding).
   * @throws {RangeError} when the key is not 32 bytes.
   * @example
   * ```ts
   * import { Fernet } from 'coffer';
   * const f = new Fernet(process.env.FERNET_KEY!);
   * ```
   */
  constructor(key: string | Uint8Array) {
    const material = keyMaterial(key);
    this.#keys = {
      signing: keyHandle(material.subarray(0, HALF)),
      encryption: keyHandle(material.subarray(HALF)),
    };
  }

  /**
   * Encrypts and authenticates `data` (bytes, or a string as UTF-8), stamped with the current time.
   * @returns The token, url-safe base64 text.
   * @throws {TypeError} when `data` is not a Uint8Array or a string.
   * @throws {RangeError} when `data` is over 384 MiB (`MAX_PLAINTEXT_BYTES`).
   * @example
   * ```ts
   * import { Fernet } from 'coffer';
   * const token = new Fernet(Fernet.generateKey()).encrypt(new Uint8Array([1, 2, 3]));
   * ```
   */
  encrypt(data: BytesLike): string {
    return seal(this.#keys, data, now());
  }

  /**
   * `encrypt` with an explicit timestamp, for tests and for replaying a known time.
   * @param unixSeconds Seconds since the Unix epoch, a safe integer ≥ 0.
   * @throws {TypeError} when `data` is not bytes or a string, or `unixSeconds` is not a number.
   * @throws {RangeError} when `unixSeconds` is not a non-negative safe integer, or `data` is too large.
   * @example
   * ```ts
   * import { Fernet } from 'coffer';
   * const token = new Fernet(Fernet.generateKey()).encryptAtTime('hello', 499162800);
   * ```
   */
  encryptAtTime(data: BytesLike, unixSeconds: number): string {
    return seal(this.#keys, data, timeArg(unixSeconds));
  }

  /**
   * Checks and decrypts a token (text, or its ASCII bytes).
   * @param ttl When given, the token must be at most `ttl` seconds old and at most 60 seconds in the
   * future. When omitted, the timestamp is not checked.
   * @returns The plaintext.
   * @throws {InvalidToken} when the token is malformed, was not made with this key, was altered, or fails
   * the `ttl` check. One error, one message, for every cause.
   * @throws {TypeError} when `token` is not a string or a Uint8Array, or `ttl` is not a number.
   * @throws {RangeError} when `ttl` is not a non-negative safe integer.
   * @example
   * ```ts
   * import { Fernet, InvalidToken } from 'coffer';
   * const f = new Fernet(Fernet.generateKey());
   * try {
   *   f.decrypt(f.encrypt('hi'), 3600);
   * } catch (err) {
   *   if (!(err instanceof InvalidToken)) throw err;
   * }
   * ```
   */
  decrypt(token: string | Uint8Array, ttl?: number): Uint8Array {
    const maxAge = ttl === undefined ? undefined : ttlArg(ttl);
    const bytes = decode(token);
    if (maxAge !== undefined && !timely(bytes, maxAge, now())) throw new InvalidToken();
    const plain = open(this.#keys, bytes);
    if (plain === null) throw new InvalidToken();
    return plain;
  }

  /**
   * `decrypt` with an explicit current time; the `ttl` is required, as in pyca.
   * @throws {InvalidToken} as `decrypt`.
   * @throws {TypeError} when `token` is not a string or a Uint8Array, or `ttl`/`unixSeconds` is not a number.
   * @throws {RangeError} when `ttl` or `unixSeconds` is not a non-negative safe integer.
   * @example
   * ```ts
   * import { Fernet } from 'coffer';
   * const f = new Fernet(Fernet.generateKey());
   * const token = f.encryptAtTime('hi', 1000);
   * f.decryptAtTime(token, 60, 1030); // ok; at 1061 it would throw InvalidToken
   * ```
   */
  decryptAtTime(token: string | Uint8Array, ttl: number, unixSeconds: number): Uint8Array {
    const maxAge = ttlArg(ttl);
    const at = timeArg(unixSeconds);
    const bytes = decode(token);
    if (!timely(bytes, maxAge, at)) throw new InvalidToken();
    const plain = open(this.#keys, bytes);
    if (plain === null) throw new InvalidToken();
    return plain;
  }

  /**
   * The token's creation time, in seconds since the Unix epoch, after checking its HMAC (nothing is
   * decrypted).
   * @throws {InvalidToken} when the token is malformed or its HMAC does not verify under this key.
   * @throws {TypeError} when `token` is not a string or a Uint8Array.
   * @throws {RangeError} when an authentic token's timestamp is beyond `Number.MAX_SAFE_INTEGER`.
   * @example
   * ```ts
   * import { Fernet } from 'coffer';
   * const f = new Fernet(Fernet.generateKey());
   * f.extractTimestamp(f.encryptAtTime('x', 1700000000)); // 1700000000
   * ```
   */
  extractTimestamp(token: string | Uint8Array): number {
    const bytes = decode(token);
    if (!authentic(this.#keys, bytes)) throw new InvalidToken();
    return exactTimestamp(bytes);
  }

  toString(): string {
    return 'Fernet(AES-128-CBC, HMAC-SHA256)';
  }

  toJSON(): { type: 'Fernet' } {
    return { type: 'Fernet' };
  }

  [inspect.custom](): string {
    return this.toString();
  }

  get [Symbol.toStringTag](): string {
    return 'Fernet';
  }
}

/**
 * Several Fernet keys for rotation, as pyca's `MultiFernet`: encrypts with the first, decrypts with
 * whichever verifies, and `rotate` re-encrypts old tokens under the first key, keeping their timestamps.
 *
 * To rotate: put the new key first, deploy, `rotate` every stored token, then drop the old key.
 *
 * @example
 * ```ts
 * import { Fernet, MultiFernet } from 'coffer';
 * const oldKey = new Fernet(Fernet.generateKey());
 * const token = oldKey.encrypt('secret');
 * const mf = new MultiFernet([new Fernet(Fernet.generateKey()), oldKey]);
 * const rotated = mf.rotate(token); // now under the new key, same timestamp
 * mf.decrypt(rotated);
 * ```
 */
export class MultiFernet {
  readonly #keys: readonly FernetKeys[];

  /**
   * @param fernets The keys, newest first: an array or any iterable of `Fernet`.
   * @throws {TypeError} when `fernets` is not iterable or holds something other than a `Fernet`.
   * @throws {RangeError} when it is empty.
   */
  constructor(fernets: Iterable<Fernet>) {
    if (
      fernets === null ||
      typeof fernets !== 'object' ||
      typeof (fernets as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function'
    ) {
      throw new TypeError(`"fernets" must be an array of Fernet, got ${describeValue(fernets)}`);
    }
    let list: unknown[];
    try {
      list = Array.from(fernets);
    } catch (err) {
      // Something that only looks iterable (Object.create(Uint8Array.prototype), a Proxy of a typed array)
      // fails with the runtime's unlabelled TypeError. Anything else a caller's iterator throws is theirs.
      if (!(err instanceof TypeError)) throw err;
      throw new TypeError(
        `"fernets" must be an array of Fernet; ${describeValue(fernets)} could not be iterated`,
        {
          cause: err,
        },
      );
    }
    if (list.length === 0) throw new RangeError('"fernets" must hold at least one Fernet, got none');
    this.#keys = list.map((f, i) => {
      if (!isFernet(f)) {
        throw new TypeError(`"fernets" must hold only Fernet instances; item ${i} is ${describeValue(f)}`);
      }
      return keysOf(f);
    });
  }

  /** The first key, the one that encrypts. */
  get #primary(): FernetKeys {
    return this.#keys[0]!;
  }

  /**
   * `Fernet.encrypt` with the first key.
   * @throws {TypeError} when `data` is not bytes or a string. @throws {RangeError} when it is too large.
   * @example
   * ```ts
   * import { Fernet, MultiFernet } from 'coffer';
   * const token = new MultiFernet([new Fernet(Fernet.generateKey())]).encrypt('hi');
   * ```
   */
  encrypt(data: BytesLike): string {
    return seal(this.#primary, data, now());
  }

  /**
   * `Fernet.encryptAtTime` with the first key.
   * @throws {TypeError | RangeError} as `Fernet.encryptAtTime`.
   * @example
   * ```ts
   * import { Fernet, MultiFernet } from 'coffer';
   * const token = new MultiFernet([new Fernet(Fernet.generateKey())]).encryptAtTime('hi', 1000);
   * ```
   */
  encryptAtTime(data: BytesLike, unixSeconds: number): string {
    return seal(this.#primary, data, timeArg(unixSeconds));
  }

  /**
   * Decrypts with the first key whose HMAC verifies (the token is decoded once; keys are tried in order).
   * @throws {InvalidToken} when no key opens the token, or it fails the `ttl` check.
   * @throws {TypeError | RangeError} on wrong argument types or a negative `ttl`.
   * @example
   * ```ts
   * import { Fernet, MultiFernet } from 'coffer';
   * const a = new Fernet(Fernet.generateKey());
   * new MultiFernet([new Fernet(Fernet.generateKey()), a]).decrypt(a.encrypt('hi'), 60);
   * ```
   */
  decrypt(token: string | Uint8Array, ttl?: number): Uint8Array {
    const maxAge = ttl === undefined ? undefined : ttlArg(ttl);
    const bytes = decode(token);
    if (maxAge !== undefined && !timely(bytes, maxAge, now())) throw new InvalidToken();
    return this.#open(bytes);
  }

  /**
   * `decrypt` with an explicit current time; `ttl` is required.
   * @throws {InvalidToken | TypeError | RangeError} as `Fernet.decryptAtTime`.
   * @example
   * ```ts
   * import { Fernet, MultiFernet } from 'coffer';
   * const mf = new MultiFernet([new Fernet(Fernet.generateKey())]);
   * mf.decryptAtTime(mf.encryptAtTime('hi', 1000), 60, 1030);
   * ```
   */
  decryptAtTime(token: string | Uint8Array, ttl: number, unixSeconds: number): Uint8Array {
    const maxAge = ttlArg(ttl);
    const at = timeArg(unixSeconds);
    const bytes = decode(token);
    if (!timely(bytes, maxAge, at)) throw new InvalidToken();
    return this.#open(bytes);
  }

  /**
   * Re-encrypts a token under the first key with a fresh IV, keeping its original timestamp (so a `ttl`
   * still counts from when the data was first sealed). The token may be under any of the keys; its age is
   * not checked, as in pyca.
   * @throws {InvalidToken} when no key opens the token. @throws {TypeError} when it is not text or bytes.
   * @example
   * ```ts
   * import { Fernet, MultiFernet } from 'coffer';
   * const old = new Fernet(Fernet.generateKey());
   * const mf = new MultiFernet([new Fernet(Fernet.generateKey()), old]);
   * const fresh = mf.rotate(old.encrypt('data'));
   * ```
   */
  rotate(token: string | Uint8Array): string {
    const bytes = decode(token);
    const plain = this.#open(bytes);
    try {
      return seal(this.#primary, plain, readTimestampBig(bytes));
    } finally {
      plain.fill(0);
    }
  }

  /**
   * The token's timestamp, from the first key whose HMAC verifies.
   * @throws {InvalidToken} when no key verifies the token. @throws {TypeError} when it is not text or bytes.
   * @throws {RangeError} when an authentic token's timestamp is beyond `Number.MAX_SAFE_INTEGER`.
   * @example
   * ```ts
   * import { Fernet, MultiFernet } from 'coffer';
   * const mf = new MultiFernet([new Fernet(Fernet.generateKey())]);
   * mf.extractTimestamp(mf.encryptAtTime('x', 1000)); // 1000
   * ```
   */
  extractTimestamp(token: string | Uint8Array): number {
    const bytes = decode(token);
    for (const keys of this.#keys) {
      if (authentic(keys, bytes)) return exactTimestamp(bytes);
    }
    throw new InvalidToken();
  }

  toString(): string {
    return `MultiFernet(${this.#keys.length} ${this.#keys.length === 1 ? 'key' : 'keys'})`;
  }

  toJSON(): { type: 'MultiFernet'; keys: number } {
    return { type: 'MultiFernet', keys: this.#keys.length };
  }

  [inspect.custom](): string {
    return this.toString();
  }

  get [Symbol.toStringTag](): string {
    return 'MultiFernet';
  }

  // As pyca: each key in turn, the first that both verifies and unpads wins.
  #open(bytes: Uint8Array): Uint8Array {
    for (const keys of this.#keys) {
      const plain = open(keys, bytes);
      if (plain !== null) return plain;
    }
    throw new InvalidToken();
  }
}

/**
 * Internal, for the test vectors only (not exported from the package): `encryptAtTime` with a given IV.
 * A fixed IV must never be used for real data.
 * @throws {RangeError} when `iv` is not 16 bytes.
 */
export function encryptWithIv(fernet: Fernet, data: BytesLike, unixSeconds: number, iv: Uint8Array): string {
  if (!(fernet instanceof Fernet))
    throw new TypeError(`"fernet" must be a Fernet, got ${describeValue(fernet)}`);
  if (!isBytes(iv) || iv.length !== IV_BYTES) throw new RangeError(`"iv" must be ${IV_BYTES} bytes`);
  return seal(keysOf(fernet), data, timeArg(unixSeconds), iv);
}
