/**
 * AES key wrap (RFC 3394, NIST SP 800-38F KW) and AES key wrap with padding (RFC 5649, KWP), after pyca's
 * `cryptography.hazmat.primitives.keywrap`.
 *
 * > **Hazmat.** To keep keys encrypted at rest, use `Keyring` from `coffer` and save it with
 * > `keyring.save({ kek })`: it wraps every key under your key-encryption key with an AEAD, ids and all.
 *
 * Key wrap is deterministic and carries no associated data: the same key wrapped twice gives the same
 * bytes. Use it to exchange keys with systems that speak RFC 3394/5649 (KMIP, PKCS#11, CMS, JWE `A*KW`).
 *
 * - Wrapping keys are 16, 24 or 32 bytes (AES-128, AES-192, AES-256); any other size is a `RangeError`.
 * - `aesKeyWrap` takes keys of at least 16 bytes and a multiple of 8, as pyca does (RFC 3394 §2's
 *   one-block form for 8-byte keys is not offered: NIST SP 800-38F does not define it).
 *   `aesKeyWrapWithPadding` takes any length from 1 byte.
 * - Every failed unwrap (wrong wrapping key, modified bytes, a length no wrap produces, bad padding)
 *   throws `InvalidUnwrap`, always with the same message: nothing says which check failed.
 * - Limit: at most {@link MAX_KEY_WRAP_BYTES} bytes to wrap (64 KiB, as for a `SecretKey`), so unwrapping
 *   input from elsewhere costs at most about 10 ms: the work is 6 AES block operations per 8 bytes.
 *
 * The wrapping is OpenSSL's (`id-aes*-wrap`, `id-aes*-wrap-pad`), through node:crypto.
 *
 * @example
 * ```ts
 * import { aesKeyUnwrap, aesKeyWrap } from 'coffer/hazmat/keywrap';
 * import { randomBytes } from 'coffer/hazmat/random';
 * const kek = randomBytes(32);
 * const dataKey = randomBytes(32);
 * const wrapped = aesKeyWrap(kek, dataKey); // 40 bytes
 * aesKeyUnwrap(kek, wrapped); // dataKey; throws InvalidUnwrap when wrapped was changed
 * ```
 * @module
 */
import { InvalidUnwrap } from '../errors.ts';
import { type KeyWrapCipherName, keyUnwrap, keyWrap } from '../internal/backend-keywrap.ts';
import { bytes } from '../internal/bytes.ts';
import { keyBytes, keyInput, type SecretKey } from '../keys/secret-key.ts';

/** A key as raw bytes or a `SecretKey`. */
export type WrapKey = Uint8Array | SecretKey;

/**
 * Largest key `aesKeyWrap`/`aesKeyWrapWithPadding` accept: 64 KiB, the largest `SecretKey` (an RSA-16384
 * private key is about 10 KiB). Key wrap is for keys, not data; this bounds what an unwrap of untrusted
 * input can cost. The unwrap functions refuse anything longer than a wrap of this size (64 KiB + 8 bytes)
 * with `InvalidUnwrap`, before any work. pyca allows up to 4 GiB.
 */
export const MAX_KEY_WRAP_BYTES = 65_536;
const MAX_WRAPPED_BYTES = MAX_KEY_WRAP_BYTES + 8;

function wrappingKeyName(wrappingKey: unknown, padded: boolean): KeyWrapCipherName {
  const n = keyBytes('wrappingKey', wrappingKey).length;
  if (n !== 16 && n !== 24 && n !== 32) {
    throw new RangeError(`"wrappingKey" must be 16, 24 or 32 bytes (an AES key), got ${n}`);
  }
  return `id-aes${n * 8}-wrap${padded ? '-pad' : ''}` as KeyWrapCipherName;
}

/**
 * Wraps `keyToWrap` under `wrappingKey` (RFC 3394 §2.2.1). The result is 8 bytes longer than the key.
 *
 * @throws {TypeError} when either argument is not a Uint8Array or a SecretKey.
 * @throws {RangeError} when `wrappingKey` is not 16, 24 or 32 bytes, or `keyToWrap` is shorter than
 * 16 bytes, not a multiple of 8, or longer than {@link MAX_KEY_WRAP_BYTES}.
 * @example
 * ```ts
 * import { aesKeyWrap } from 'coffer/hazmat/keywrap';
 * const wrapped = aesKeyWrap(new Uint8Array(16), new Uint8Array(32)); // 40 bytes
 * ```
 */
export function aesKeyWrap(wrappingKey: WrapKey, keyToWrap: WrapKey): Uint8Array {
  const name = wrappingKeyName(wrappingKey, false);
  const data = keyBytes('keyToWrap', keyToWrap);
  if (data.length < 16) {
    throw new RangeError(`"keyToWrap" must be at least 16 bytes, got ${data.length}`);
  }
  // RFC 3394 §2: the key data is a sequence of n >= 2 64-bit blocks.
  if (data.length % 8 !== 0) {
    throw new RangeError(`"keyToWrap" must be a multiple of 8 bytes, got ${data.length}`);
  }
  if (data.length > MAX_KEY_WRAP_BYTES) {
    throw new RangeError(`"keyToWrap" must be at most ${MAX_KEY_WRAP_BYTES} bytes, got ${data.length}`);
  }
  return keyWrap(name, keyInput('wrappingKey', wrappingKey), data);
}

/**
 * Unwraps and checks an RFC 3394 wrapped key (§2.2.2 and the integrity check of §2.2.3).
 *
 * @throws {InvalidUnwrap} when `wrappedKey` was not made by `aesKeyWrap` under this wrapping key: a failed
 * integrity check, or a length no wrap produces (under 24 bytes, not a multiple of 8, or too long).
 * @throws {TypeError} when `wrappingKey` is not a Uint8Array or a SecretKey, or `wrappedKey` is not a
 * Uint8Array.
 * @throws {RangeError} when `wrappingKey` is not 16, 24 or 32 bytes.
 * @example
 * ```ts
 * import { aesKeyUnwrap, aesKeyWrap } from 'coffer/hazmat/keywrap';
 * const kek = new Uint8Array(32);
 * aesKeyUnwrap(kek, aesKeyWrap(kek, new Uint8Array(16))); // 16 zero bytes
 * ```
 */
export function aesKeyUnwrap(wrappingKey: WrapKey, wrappedKey: Uint8Array): Uint8Array {
  const name = wrappingKeyName(wrappingKey, false);
  const data = bytes('wrappedKey', wrappedKey);
  if (data.length < 24 || data.length % 8 !== 0 || data.length > MAX_WRAPPED_BYTES) {
    throw new InvalidUnwrap();
  }
  const out = keyUnwrap(name, keyInput('wrappingKey', wrappingKey), data);
  if (out === null) throw new InvalidUnwrap();
  return out;
}

/**
 * Wraps a key of any length from 1 byte with RFC 5649 padding. The result is the key's length rounded up
 * to a multiple of 8, plus 8 bytes (16 bytes for a key of at most 8 bytes, RFC 5649 §4.1).
 *
 * @throws {TypeError} when either argument is not a Uint8Array or a SecretKey.
 * @throws {RangeError} when `wrappingKey` is not 16, 24 or 32 bytes, or `keyToWrap` is empty or longer
 * than {@link MAX_KEY_WRAP_BYTES}.
 * @example
 * ```ts
 * import { aesKeyWrapWithPadding } from 'coffer/hazmat/keywrap';
 * const wrapped = aesKeyWrapWithPadding(new Uint8Array(24), new Uint8Array(20)); // 32 bytes
 * ```
 */
export function aesKeyWrapWithPadding(wrappingKey: WrapKey, keyToWrap: WrapKey): Uint8Array {
  const name = wrappingKeyName(wrappingKey, true);
  const data = keyBytes('keyToWrap', keyToWrap);
  // RFC 5649 §3: the message length indicator is 32 bits and a zero-length key has nothing to wrap.
  if (data.length < 1 || data.length > MAX_KEY_WRAP_BYTES) {
    throw new RangeError(`"keyToWrap" must be between 1 and ${MAX_KEY_WRAP_BYTES} bytes, got ${data.length}`);
  }
  return keyWrap(name, keyInput('wrappingKey', wrappingKey), data);
}

/**
 * Unwraps and checks an RFC 5649 wrapped key (§4.2 and §3: the alternative initial value, the length
 * indicator and the zero padding).
 *
 * @throws {InvalidUnwrap} when `wrappedKey` was not made by `aesKeyWrapWithPadding` under this wrapping
 * key: a failed check of any kind, or a length no wrap produces (under 16 bytes, not a multiple of 8, or
 * too long).
 * @throws {TypeError} when `wrappingKey` is not a Uint8Array or a SecretKey, or `wrappedKey` is not a
 * Uint8Array.
 * @throws {RangeError} when `wrappingKey` is not 16, 24 or 32 bytes.
 * @example
 * ```ts
 * import { aesKeyUnwrapWithPadding, aesKeyWrapWithPadding } from 'coffer/hazmat/keywrap';
 * const kek = new Uint8Array(16);
 * aesKeyUnwrapWithPadding(kek, aesKeyWrapWithPadding(kek, new Uint8Array(5))); // 5 zero bytes
 * ```
 */
export function aesKeyUnwrapWithPadding(wrappingKey: WrapKey, wrappedKey: Uint8Array): Uint8Array {
  const name = wrappingKeyName(wrappingKey, true);
  const data = bytes('wrappedKey', wrappedKey);
  if (data.length < 16 || data.length % 8 !== 0 || data.length > MAX_WRAPPED_BYTES) {
    throw new InvalidUnwrap();
  }
  const out = keyUnwrap(name, keyInput('wrappingKey', wrappingKey), data);
  if (out === null) throw new InvalidUnwrap();
  return out;
}
