/**
 * Authenticated encryption with associated data, after pyca's
 * `cryptography.hazmat.primitives.ciphers.aead`: `AESGCM`, `ChaCha20Poly1305`, `AESCCM`, `AESOCB3`,
 * `AESSIV`, `AESGCMSIV`, and `XChaCha20Poly1305` (which pyca does not have).
 *
 * > **Hazmat.** To encrypt values at rest use `Keyring` (`seal`/`open`) from `coffer`: it chooses the
 * > nonces, binds each value to where it is stored, and rotates keys. For tokens shared with Python
 * > services use `Fernet`. These classes leave the nonce to you, and a repeated nonce breaks GCM, CCM,
 * > OCB and both ChaCha20-Poly1305 forms outright.
 *
 * Each class takes a key (bytes or a `SecretKey`) once, then `encrypt(nonce, data, associatedData?)`
 * returns ciphertext ‖ tag and `decrypt(nonce, data, associatedData?)` takes the same layout back, as in
 * pyca (`AESSIV` has no nonce and puts its 16-byte SIV first, as RFC 5297 does). Every authentication
 * failure (wrong key, nonce or associated data, a changed byte, a ciphertext shorter than its tag)
 * raises the same `InvalidTag`, and no plaintext is released before the tag has been checked. Wrong types
 * raise `TypeError` and wrong sizes `RangeError`, with the parameter named.
 *
 * Limits: `data` and each associated-data item are at most {@link MAX_AEAD_DATA} bytes (2^31 - 1, pyca's
 * limit and node:crypto's); `AESCCM` allows less for long nonces (see its documentation).
 *
 * Backends: AES-GCM, AES-CCM, AES-OCB3 and ChaCha20-Poly1305 are OpenSSL's, through node:crypto.
 * AES-SIV, AES-GCM-SIV and XChaCha20-Poly1305, which Node 20's OpenSSL does not offer, come from the
 * audited `@noble/ciphers`, pinned exactly.
 *
 * @example
 * ```ts
 * import { AESGCM } from 'coffer/hazmat/aead';
 * import { randomBytes } from 'coffer/hazmat/random';
 * const aead = new AESGCM(AESGCM.generateKey(256));
 * const nonce = randomBytes(12); // never reuse a nonce with the same key
 * const sealed = aead.encrypt(nonce, new TextEncoder().encode('hello'), new TextEncoder().encode('v1'));
 * aead.decrypt(nonce, sealed, new TextEncoder().encode('v1')); // the plaintext bytes, or InvalidTag
 * ```
 * @module
 */
import { inspect } from 'node:util';
import { InvalidTag, UnsupportedAlgorithm } from '../errors.ts';
import { type KeyInput, keyHandle, randomFill } from '../internal/backend.ts';
import { aeadOpen, aeadSeal, hasCipher, type NodeAeadName } from '../internal/backend-aead.ts';
import { bytes, describeValue, integer, isBytes } from '../internal/bytes.ts';
import {
  aesGcmSivOpen,
  aesGcmSivSeal,
  aesSivOpen,
  aesSivSeal,
  xChaChaOpen,
  xChaChaSeal,
} from '../internal/noble.ts';
import { isSecretKey, keyBytes, keyInput, type SecretKey } from '../keys/secret-key.ts';

/** Largest `data` and associated-data item any AEAD here takes: 2^31 - 1 bytes, as in pyca. */
export const MAX_AEAD_DATA = 2 ** 31 - 1;

/** An AEAD key: raw bytes or a `SecretKey`. */
export type AeadKey = Uint8Array | SecretKey;

const TAG = 16;

// ---------------------------------------------------------------------------------------------------
// Validation shared by the classes.

function list(values: readonly number[]): string {
  return values.length === 1
    ? String(values[0])
    : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

/** An integer parameter that must be one of `allowed`. */
function oneOf(name: string, value: unknown, allowed: readonly number[]): number {
  integer(name, value, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (!allowed.includes(value as number)) {
    throw new RangeError(`"${name}" must be ${list(allowed)}, got ${value}`);
  }
  return value as number;
}

/** Bytes of at most MAX_AEAD_DATA. */
function sized(name: string, value: unknown): Uint8Array {
  const b = bytes(name, value);
  if (b.length > MAX_AEAD_DATA) {
    throw new RangeError(`"${name}" must be at most ${MAX_AEAD_DATA} bytes, got ${b.length}`);
  }
  return b;
}

/** Optional associated data: `undefined` and `null` mean none (pyca's `None`). */
function associated(value: unknown): Uint8Array | undefined {
  return value === undefined || value === null ? undefined : sized('associatedData', value);
}

function exactNonce(value: unknown, length: number): Uint8Array {
  const n = bytes('nonce', value);
  if (n.length !== length) throw new RangeError(`"nonce" must be ${length} bytes, got ${n.length}`);
  return n;
}

function rangeNonce(value: unknown, min: number, max: number): Uint8Array {
  const n = bytes('nonce', value);
  if (n.length < min || n.length > max) {
    throw new RangeError(`"nonce" must be between ${min} and ${max} bytes, got ${n.length}`);
  }
  return n;
}

/** The key's bytes, after checking their length (the bytes themselves never enter a message). */
function checkedKey(key: unknown, sizes: readonly number[]): Uint8Array {
  const k = keyBytes('key', key);
  if (!sizes.includes(k.length)) throw new RangeError(`"key" must be ${list(sizes)} bytes, got ${k.length}`);
  return k;
}

/** A key for OpenSSL: a SecretKey's cached KeyObject, or a KeyObject made once from raw bytes. */
function nodeKey(key: unknown, sizes: readonly number[]): { handle: KeyInput; length: number } {
  const k = checkedKey(key, sizes);
  return { handle: isSecretKey(key) ? keyInput('key', key) : keyHandle(k), length: k.length };
}

/** A private copy of the key for @noble/ciphers, which keeps a reference to the array it is given. */
function nobleKey(key: unknown, sizes: readonly number[]): Uint8Array {
  return Uint8Array.from(checkedKey(key, sizes));
}

function randomKey(bits: number): Uint8Array {
  const out = new Uint8Array(bits / 8);
  randomFill(out);
  return out;
}

/** Splits ciphertext ‖ tag; a ciphertext shorter than its tag is an authentication failure. */
function splitTag(sealed: Uint8Array, tagLength: number): [Uint8Array, Uint8Array] {
  if (sealed.length < tagLength) throw new InvalidTag();
  const cut = sealed.length - tagLength;
  return [sealed.subarray(0, cut), sealed.subarray(cut)];
}

function opened(plaintext: Uint8Array | null): Uint8Array {
  if (plaintext === null) throw new InvalidTag();
  return plaintext;
}

/**
 * What every AEAD object shows of itself: its class name, never its key. Not exported; the classes
 * below are the public names.
 */
abstract class Redacted {
  readonly #label: string;

  protected constructor(label: string) {
    this.#label = label;
  }

  /** The class name only. */
  toString(): string {
    return this.#label;
  }

  /** `{ type: <class name> }`: the key is never serialized. */
  toJSON(): { type: string } {
    return { type: this.#label };
  }

  [inspect.custom](): string {
    return this.#label;
  }

  get [Symbol.toStringTag](): string {
    return this.#label;
  }
}

// ---------------------------------------------------------------------------------------------------
// OpenSSL (node:crypto): AES-GCM, ChaCha20-Poly1305, AES-CCM, AES-OCB3.

const AES_KEY_BYTES = [16, 24, 32] as const;
const AES_KEY_BITS = [128, 192, 256] as const;

/**
 * AES-GCM (NIST SP 800-38D) with a 16-byte tag, from OpenSSL.
 *
 * Nonces are 8 to 128 bytes, as in pyca; use 12 (anything else is hashed into the counter, and
 * Wycheproof's 1- to 7-byte nonces are refused). With random 12-byte nonces, encrypt at most 2^32
 * messages under one key (SP 800-38D §8.3).
 *
 * @example
 * ```ts
 * import { AESGCM } from 'coffer/hazmat/aead';
 * import { randomBytes } from 'coffer/hazmat/random';
 * const aead = new AESGCM(AESGCM.generateKey(128));
 * const nonce = randomBytes(12);
 * const sealed = aead.encrypt(nonce, new Uint8Array([1, 2, 3])); // 3 + 16 bytes
 * aead.decrypt(nonce, sealed); // Uint8Array [1, 2, 3]
 * ```
 */
export class AESGCM extends Redacted {
  readonly #key: KeyInput;
  readonly #cipher: NodeAeadName;

  /**
   * @throws {TypeError} when `key` is not a Uint8Array or a SecretKey.
   * @throws {RangeError} when `key` is not 16, 24 or 32 bytes.
   */
  constructor(key: AeadKey) {
    super('AESGCM');
    const { handle, length } = nodeKey(key, AES_KEY_BYTES);
    this.#key = handle;
    this.#cipher = `aes-${length * 8}-gcm` as NodeAeadName;
  }

  /**
   * A fresh random key from the OS CSPRNG.
   * @param bitLength 128, 192 or 256 (default 256).
   * @throws {TypeError | RangeError} when `bitLength` is not 128, 192 or 256.
   */
  static generateKey(bitLength = 256): Uint8Array {
    return randomKey(oneOf('bitLength', bitLength, AES_KEY_BITS));
  }

  /**
   * Encrypts `data` and authenticates it with `associatedData`; returns ciphertext ‖ 16-byte tag.
   * @throws {TypeError} when an argument is not a Uint8Array (`associatedData` may be omitted or null).
   * @throws {RangeError} when `nonce` is not 8 to 128 bytes, or `data` or `associatedData` is over
   * {@link MAX_AEAD_DATA} bytes.
   */
  encrypt(nonce: Uint8Array, data: Uint8Array, associatedData?: Uint8Array | null): Uint8Array {
    const n = rangeNonce(nonce, 8, 128);
    return aeadSeal(this.#cipher, false, this.#key, n, sized('data', data), associated(associatedData), TAG);
  }

  /**
   * Checks the tag and returns the plaintext.
   * @throws {InvalidTag} when the tag does not verify, for any reason, or `data` is under 16 bytes.
   * @throws {TypeError} when an argument is not a Uint8Array (`associatedData` may be omitted or null).
   * @throws {RangeError} when `nonce` is not 8 to 128 bytes, or `data` or `associatedData` is over
   * {@link MAX_AEAD_DATA} bytes.
   */
  decrypt(nonce: Uint8Array, data: Uint8Array, associatedData?: Uint8Array | null): Uint8Array {
    const n = rangeNonce(nonce, 8, 128);
    const d = sized('data', data);
    const aad = associated(associatedData);
    const [ct, tag] = splitTag(d, TAG);
    return opened(aeadOpen(this.#cipher, false, this.#key, n, ct, tag, aad));
  }
}

/**
 * ChaCha20-Poly1305 (RFC 8439) with a 32-byte key, a 12-byte nonce and a 16-byte tag, from OpenSSL.
 *
 * With random nonces, encrypt at most 2^32 messages under one key; for more, or for random nonces
 * without counting, use {@link XChaCha20Poly1305}.
 *
 * @example
 * ```ts
 * import { ChaCha20Poly1305 } from 'coffer/hazmat/aead';
 * import { randomBytes } from 'coffer/hazmat/random';
 * const aead = new ChaCha20Poly1305(ChaCha20Poly1305.generateKey());
 * const nonce = randomBytes(12);
 * const sealed = aead.encrypt(nonce, new Uint8Array([1, 2, 3]), new Uint8Array([9]));
 * aead.decrypt(nonce, sealed, new Uint8Array([9])); // Uint8Array [1, 2, 3]
 * ```
 */
export class ChaCha20Poly1305 extends Redacted {
  readonly #key: KeyInput;

  /**
   * @throws {TypeError} when `key` is not a Uint8Array or a SecretKey.
   * @throws {RangeError} when `key` is not 32 bytes.
   */
  constructor(key: AeadKey) {
    super('ChaCha20Poly1305');
    this.#key = nodeKey(key, [32]).handle;
  }

  /** A fresh random 32-byte key from the OS CSPRNG. */
  static generateKey(): Uint8Array {
    return randomKey(256);
  }

  /**
   * Encrypts `data` and authenticates it with `associatedData`; returns ciphertext ‖ 16-byte tag.
   * @throws {TypeError} when an argument is not a Uint8Array (`associatedData` may be omitted or null).
   * @throws {RangeError} when `nonce` is not 12 bytes, or `data` or `associatedData` is over
   * {@link MAX_AEAD_DATA} bytes.
   */
  encrypt(nonce: Uint8Array, data: Uint8Array, associatedData?: Uint8Array | null): Uint8Array {
    const n = exactNonce(nonce, 12);
    return aeadSeal(
      'chacha20-poly1305',
      false,
      this.#key,
      n,
      sized('data', data),
      associated(associatedData),
      TAG,
    );
  }

  /**
   * Checks the tag and returns the plaintext.
   * @throws {InvalidTag} when the tag does not verify, for any reason, or `data` is under 16 bytes.
   * @throws {TypeError} when an argument is not a Uint8Array (`associatedData` may be omitted or null).
   * @throws {RangeError} when `nonce` is not 12 bytes, or `data` or `associatedData` is over
   * {@link MAX_AEAD_DATA} bytes.
   */
  decrypt(nonce: Uint8Array, data: Uint8Array, associatedData?: Uint8Array | null): Uint8Array {
    const n = exactNonce(nonce, 12);
    const d = sized('data', data);
    const aad = associated(associatedData);
    const [ct, tag] = splitTag(d, TAG);
    return opened(aeadOpen('chacha20-poly1305', false, this.#key, n, ct, tag, aad));
  }
}

const CCM_TAG_LENGTHS = [4, 6, 8, 10, 12, 14, 16] as const;

/**
 * AES-CCM (NIST SP 800-38C, RFC 3610) from OpenSSL, with a 4- to 16-byte tag (even; default 16) and a
 * 7- to 13-byte nonce.
 *
 * The nonce length n fixes the length field L = 15 - n, so a message must be under 2^(8·L) bytes:
 * at most 65,535 bytes with a 13-byte nonce, 16 MiB - 1 with 12 bytes, and {@link MAX_AEAD_DATA} from 11
 * bytes down. That is pyca's limit, less one: pyca lets exactly 2^(8·L) through, which OpenSSL then
 * refuses. Short tags are weak (a 4-byte tag is forged once in 2^32 tries); prefer 16.
 *
 * @example
 * ```ts
 * import { AESCCM } from 'coffer/hazmat/aead';
 * import { randomBytes } from 'coffer/hazmat/random';
 * const aead = new AESCCM(AESCCM.generateKey(128), 8); // 8-byte tags, as in some IoT protocols
 * const nonce = randomBytes(13);
 * const sealed = aead.encrypt(nonce, new Uint8Array([1, 2, 3])); // 3 + 8 bytes
 * aead.decrypt(nonce, sealed); // Uint8Array [1, 2, 3]
 * ```
 */
export class AESCCM extends Redacted {
  readonly #key: KeyInput;
  readonly #cipher: NodeAeadName;
  readonly #tagLength: number;

  /**
   * @param tagLength 4, 6, 8, 10, 12, 14 or 16 (default 16).
   * @throws {TypeError} when `key` is not a Uint8Array or a SecretKey, or `tagLength` not a number.
   * @throws {RangeError} when `key` is not 16, 24 or 32 bytes, or `tagLength` not an allowed length.
   */
  constructor(key: AeadKey, tagLength = 16) {
    super('AESCCM');
    const { handle, length } = nodeKey(key, AES_KEY_BYTES);
    this.#tagLength = oneOf('tagLength', tagLength, CCM_TAG_LENGTHS);
    this.#key = handle;
    this.#cipher = `aes-${length * 8}-ccm` as NodeAeadName;
  }

  /**
   * A fresh random key from the OS CSPRNG.
   * @param bitLength 128, 192 or 256 (default 256).
   * @throws {TypeError | RangeError} when `bitLength` is not 128, 192 or 256.
   */
  static generateKey(bitLength = 256): Uint8Array {
    return randomKey(oneOf('bitLength', bitLength, AES_KEY_BITS));
  }

  /**
   * Encrypts `data` and authenticates it with `associatedData`; returns ciphertext ‖ tag.
   * @throws {TypeError} when an argument is not a Uint8Array (`associatedData` may be omitted or null).
   * @throws {RangeError} when `nonce` is not 7 to 13 bytes, `data` is too long for the nonce (see the
   * class documentation), or `data` or `associatedData` is over {@link MAX_AEAD_DATA} bytes.
   */
  encrypt(nonce: Uint8Array, data: Uint8Array, associatedData?: Uint8Array | null): Uint8Array {
    const n = rangeNonce(nonce, 7, 13);
    const d = sized('data', data);
    const aad = associated(associatedData);
    ccmLength(n, d.length);
    return aeadSeal(this.#cipher, true, this.#key, n, d, aad, this.#tagLength);
  }

  /**
   * Checks the tag and returns the plaintext.
   * @throws {InvalidTag} when the tag does not verify, for any reason, or `data` is shorter than a tag.
   * @throws {TypeError} when an argument is not a Uint8Array (`associatedData` may be omitted or null).
   * @throws {RangeError} when `nonce` is not 7 to 13 bytes, the message is too long for the nonce, or
   * `data` or `associatedData` is over {@link MAX_AEAD_DATA} bytes.
   */
  decrypt(nonce: Uint8Array, data: Uint8Array, associatedData?: Uint8Array | null): Uint8Array {
    const n = rangeNonce(nonce, 7, 13);
    const d = sized('data', data);
    const aad = associated(associatedData);
    const [ct, tag] = splitTag(d, this.#tagLength);
    ccmLength(n, ct.length);
    return opened(aeadOpen(this.#cipher, true, this.#key, n, ct, tag, aad));
  }
}

/** RFC 3610 §2: the message length must fit in L = 15 - nonce length bytes. */
function ccmLength(nonce: Uint8Array, length: number): void {
  const max = 2 ** (8 * (15 - nonce.length)) - 1;
  if (length > max) {
    throw new RangeError(
      `"data" must be at most ${max} bytes with a ${nonce.length}-byte nonce, got ${length}`,
    );
  }
}

/**
 * AES-OCB3 (RFC 7253) with a 16-byte tag and a 12- to 15-byte nonce, from OpenSSL, where the runtime's
 * OpenSSL offers it (`crypto.getCiphers()` lists `aes-256-ocb`).
 *
 * @example
 * ```ts
 * import { AESOCB3 } from 'coffer/hazmat/aead';
 * import { randomBytes } from 'coffer/hazmat/random';
 * const aead = new AESOCB3(AESOCB3.generateKey(256));
 * const nonce = randomBytes(12);
 * aead.decrypt(nonce, aead.encrypt(nonce, new Uint8Array([1, 2, 3]))); // Uint8Array [1, 2, 3]
 * ```
 */
export class AESOCB3 extends Redacted {
  readonly #key: KeyInput;
  readonly #cipher: NodeAeadName;

  /**
   * @throws {TypeError} when `key` is not a Uint8Array or a SecretKey.
   * @throws {RangeError} when `key` is not 16, 24 or 32 bytes.
   * @throws {UnsupportedAlgorithm} when this runtime's OpenSSL has no AES-OCB.
   */
  constructor(key: AeadKey) {
    super('AESOCB3');
    const { handle, length } = nodeKey(key, AES_KEY_BYTES);
    const cipher = `aes-${length * 8}-ocb`;
    if (!hasCipher(cipher)) {
      throw new UnsupportedAlgorithm(`AES-OCB3 (${cipher}) is not available in this runtime's OpenSSL`);
    }
    this.#key = handle;
    this.#cipher = cipher as NodeAeadName;
  }

  /**
   * A fresh random key from the OS CSPRNG.
   * @param bitLength 128, 192 or 256 (default 256).
   * @throws {TypeError | RangeError} when `bitLength` is not 128, 192 or 256.
   */
  static generateKey(bitLength = 256): Uint8Array {
    return randomKey(oneOf('bitLength', bitLength, AES_KEY_BITS));
  }

  /**
   * Encrypts `data` and authenticates it with `associatedData`; returns ciphertext ‖ 16-byte tag.
   * @throws {TypeError} when an argument is not a Uint8Array (`associatedData` may be omitted or null).
   * @throws {RangeError} when `nonce` is not 12 to 15 bytes, or `data` or `associatedData` is over
   * {@link MAX_AEAD_DATA} bytes.
   */
  encrypt(nonce: Uint8Array, data: Uint8Array, associatedData?: Uint8Array | null): Uint8Array {
    const n = rangeNonce(nonce, 12, 15);
    return aeadSeal(this.#cipher, false, this.#key, n, sized('data', data), associated(associatedData), TAG);
  }

  /**
   * Checks the tag and returns the plaintext.
   * @throws {InvalidTag} when the tag does not verify, for any reason, or `data` is under 16 bytes.
   * @throws {TypeError} when an argument is not a Uint8Array (`associatedData` may be omitted or null).
   * @throws {RangeError} when `nonce` is not 12 to 15 bytes, or `data` or `associatedData` is over
   * {@link MAX_AEAD_DATA} bytes.
   */
  decrypt(nonce: Uint8Array, data: Uint8Array, associatedData?: Uint8Array | null): Uint8Array {
    const n = rangeNonce(nonce, 12, 15);
    const d = sized('data', data);
    const aad = associated(associatedData);
    const [ct, tag] = splitTag(d, TAG);
    return opened(aeadOpen(this.#cipher, false, this.#key, n, ct, tag, aad));
  }
}

// ---------------------------------------------------------------------------------------------------
// @noble/ciphers: AES-SIV, AES-GCM-SIV, XChaCha20-Poly1305.

/** RFC 5297 §7: S2V takes at most 127 strings, and SIV spends one on the plaintext. */
const SIV_MAX_AD_ITEMS = 126;

/** The associated-data list for AES-SIV, copied so that later changes to the caller's array do not count. */
function sivAssociatedData(value: unknown): Uint8Array[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new TypeError(`"associatedData" must be an array of Uint8Array, got ${describeValue(value)}`);
  }
  const length = value.length;
  if (length > SIV_MAX_AD_ITEMS) {
    throw new RangeError(`"associatedData" must hold at most ${SIV_MAX_AD_ITEMS} items, got ${length}`);
  }
  const items: Uint8Array[] = [];
  for (let i = 0; i < length; i++) {
    const item: unknown = value[i];
    if (!isBytes(item)) {
      throw new TypeError(`"associatedData" item ${i} must be a Uint8Array, got ${describeValue(item)}`);
    }
    if (item.length > MAX_AEAD_DATA) {
      throw new RangeError(
        `"associatedData" item ${i} must be at most ${MAX_AEAD_DATA} bytes, got ${item.length}`,
      );
    }
    items.push(item);
  }
  return items;
}

/**
 * AES-SIV (RFC 5297), deterministic authenticated encryption, from `@noble/ciphers`. Keys are 32, 48 or
 * 64 bytes (AES-128, -192 or -256 in each half). There is no nonce argument, as in pyca: equal inputs
 * give equal outputs, which reveals repeats and nothing else. For nonce-based use (RFC 5297 §3), pass
 * a random nonce as the last associated-data item.
 *
 * The output is the 16-byte SIV followed by the ciphertext. `associatedData` is a list of at most 126
 * items (RFC 5297 §7), each authenticated separately: `[a, b]` differs from `[concat(a, b)]`; omitted,
 * `null` and `[]` all mean none.
 *
 * @example
 * ```ts
 * import { AESSIV } from 'coffer/hazmat/aead';
 * const siv = new AESSIV(AESSIV.generateKey(512));
 * const header = new TextEncoder().encode('row 42');
 * const sealed = siv.encrypt(new Uint8Array([1, 2, 3]), [header]); // 16 + 3 bytes
 * siv.decrypt(sealed, [header]); // Uint8Array [1, 2, 3]
 * ```
 */
export class AESSIV extends Redacted {
  readonly #key: Uint8Array;

  /**
   * @throws {TypeError} when `key` is not a Uint8Array or a SecretKey.
   * @throws {RangeError} when `key` is not 32, 48 or 64 bytes.
   */
  constructor(key: AeadKey) {
    super('AESSIV');
    this.#key = nobleKey(key, [32, 48, 64]);
  }

  /**
   * A fresh random key from the OS CSPRNG.
   * @param bitLength 256, 384 or 512 (default 512).
   * @throws {TypeError | RangeError} when `bitLength` is not 256, 384 or 512.
   */
  static generateKey(bitLength = 512): Uint8Array {
    return randomKey(oneOf('bitLength', bitLength, [256, 384, 512]));
  }

  /**
   * Encrypts `data`, authenticating it with each item of `associatedData`; returns SIV ‖ ciphertext.
   * @throws {TypeError} when `data` is not a Uint8Array, or `associatedData` not an array of them.
   * @throws {RangeError} when `data` or an item is over {@link MAX_AEAD_DATA} bytes, or there are over
   * 126 items.
   */
  encrypt(data: Uint8Array, associatedData?: readonly Uint8Array[] | null): Uint8Array {
    const d = sized('data', data);
    return aesSivSeal(this.#key, sivAssociatedData(associatedData), d);
  }

  /**
   * Checks the SIV and returns the plaintext.
   * @throws {InvalidTag} when the SIV does not verify, for any reason, or `data` is under 16 bytes.
   * @throws {TypeError} when `data` is not a Uint8Array, or `associatedData` not an array of them.
   * @throws {RangeError} when `data` or an item is over {@link MAX_AEAD_DATA} bytes, or there are over
   * 126 items.
   */
  decrypt(data: Uint8Array, associatedData?: readonly Uint8Array[] | null): Uint8Array {
    const d = sized('data', data);
    const ad = sivAssociatedData(associatedData);
    if (d.length < TAG) throw new InvalidTag();
    return opened(aesSivOpen(this.#key, ad, d));
  }
}

/**
 * AES-GCM-SIV (RFC 8452), nonce-misuse-resistant AEAD, from `@noble/ciphers`: 16- or 32-byte keys, a
 * 12-byte nonce, a 16-byte tag. A repeated nonce reveals only whether two messages (with their
 * associated data) were equal. RFC 8452 defines no 24-byte key; pyca and noble accept one, coffer does
 * not. RFC 8452 §6 and §9 give the usage limits (about 2^32 messages of up to 2^36 bytes per key with
 * random nonces is comfortable).
 *
 * @example
 * ```ts
 * import { AESGCMSIV } from 'coffer/hazmat/aead';
 * import { randomBytes } from 'coffer/hazmat/random';
 * const aead = new AESGCMSIV(AESGCMSIV.generateKey(256));
 * const nonce = randomBytes(12);
 * aead.decrypt(nonce, aead.encrypt(nonce, new Uint8Array([1, 2, 3]))); // Uint8Array [1, 2, 3]
 * ```
 */
export class AESGCMSIV extends Redacted {
  readonly #key: Uint8Array;

  /**
   * @throws {TypeError} when `key` is not a Uint8Array or a SecretKey.
   * @throws {RangeError} when `key` is not 16 or 32 bytes.
   */
  constructor(key: AeadKey) {
    super('AESGCMSIV');
    this.#key = nobleKey(key, [16, 32]);
  }

  /**
   * A fresh random key from the OS CSPRNG.
   * @param bitLength 128 or 256 (default 256).
   * @throws {TypeError | RangeError} when `bitLength` is not 128 or 256.
   */
  static generateKey(bitLength = 256): Uint8Array {
    return randomKey(oneOf('bitLength', bitLength, [128, 256]));
  }

  /**
   * Encrypts `data` and authenticates it with `associatedData`; returns ciphertext ‖ 16-byte tag.
   * @throws {TypeError} when an argument is not a Uint8Array (`associatedData` may be omitted or null).
   * @throws {RangeError} when `nonce` is not 12 bytes, or `data` or `associatedData` is over
   * {@link MAX_AEAD_DATA} bytes.
   */
  encrypt(nonce: Uint8Array, data: Uint8Array, associatedData?: Uint8Array | null): Uint8Array {
    const n = exactNonce(nonce, 12);
    return aesGcmSivSeal(this.#key, n, sized('data', data), associated(associatedData));
  }

  /**
   * Checks the tag and returns the plaintext.
   * @throws {InvalidTag} when the tag does not verify, for any reason, or `data` is under 16 bytes.
   * @throws {TypeError} when an argument is not a Uint8Array (`associatedData` may be omitted or null).
   * @throws {RangeError} when `nonce` is not 12 bytes, or `data` or `associatedData` is over
   * {@link MAX_AEAD_DATA} bytes.
   */
  decrypt(nonce: Uint8Array, data: Uint8Array, associatedData?: Uint8Array | null): Uint8Array {
    const n = exactNonce(nonce, 12);
    const d = sized('data', data);
    const aad = associated(associatedData);
    if (d.length < TAG) throw new InvalidTag();
    return opened(aesGcmSivOpen(this.#key, n, d, aad));
  }
}

/**
 * XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03: HChaCha20 then RFC 8439 ChaCha20-Poly1305) with a
 * 32-byte key, a 24-byte nonce and a 16-byte tag, from `@noble/ciphers`. Not in pyca. The 192-bit nonce
 * is long enough to be drawn at random for every message without a practical limit on their number.
 *
 * @example
 * ```ts
 * import { XChaCha20Poly1305 } from 'coffer/hazmat/aead';
 * import { randomBytes } from 'coffer/hazmat/random';
 * const aead = new XChaCha20Poly1305(XChaCha20Poly1305.generateKey());
 * const nonce = randomBytes(24); // random nonces are safe at this length
 * aead.decrypt(nonce, aead.encrypt(nonce, new Uint8Array([1, 2, 3]))); // Uint8Array [1, 2, 3]
 * ```
 */
export class XChaCha20Poly1305 extends Redacted {
  readonly #key: Uint8Array;

  /**
   * @throws {TypeError} when `key` is not a Uint8Array or a SecretKey.
   * @throws {RangeError} when `key` is not 32 bytes.
   */
  constructor(key: AeadKey) {
    super('XChaCha20Poly1305');
    this.#key = nobleKey(key, [32]);
  }

  /** A fresh random 32-byte key from the OS CSPRNG. */
  static generateKey(): Uint8Array {
    return randomKey(256);
  }

  /**
   * Encrypts `data` and authenticates it with `associatedData`; returns ciphertext ‖ 16-byte tag.
   * @throws {TypeError} when an argument is not a Uint8Array (`associatedData` may be omitted or null).
   * @throws {RangeError} when `nonce` is not 24 bytes, or `data` or `associatedData` is over
   * {@link MAX_AEAD_DATA} bytes.
   */
  encrypt(nonce: Uint8Array, data: Uint8Array, associatedData?: Uint8Array | null): Uint8Array {
    const n = exactNonce(nonce, 24);
    return xChaChaSeal(this.#key, n, sized('data', data), associated(associatedData));
  }

  /**
   * Checks the tag and returns the plaintext.
   * @throws {InvalidTag} when the tag does not verify, for any reason, or `data` is under 16 bytes.
   * @throws {TypeError} when an argument is not a Uint8Array (`associatedData` may be omitted or null).
   * @throws {RangeError} when `nonce` is not 24 bytes, or `data` or `associatedData` is over
   * {@link MAX_AEAD_DATA} bytes.
   */
  decrypt(nonce: Uint8Array, data: Uint8Array, associatedData?: Uint8Array | null): Uint8Array {
    const n = exactNonce(nonce, 24);
    const d = sized('data', data);
    const aad = associated(associatedData);
    if (d.length < TAG) throw new InvalidTag();
    return opened(xChaChaOpen(this.#key, n, d, aad));
  }
}
