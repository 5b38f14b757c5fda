/**
 * AES-CMAC (NIST SP 800-38B, RFC 4493), after pyca's `cryptography.hazmat.primitives.cmac`.
 *
 * > **Hazmat.** To sign and check messages such as webhooks, use the `Webhook` recipe
 * > from `coffer` (Standard Webhooks), which adds timestamps and key ids for you. Where you only need a MAC, prefer
 * > `coffer/hazmat/hmac`: CMAC is here for protocols that require it.
 *
 * pyca's `CMAC(algorithm)` takes a block-cipher object (AES, or legacy ciphers such as TripleDES). coffer
 * offers CMAC over AES only, so it takes the AES key itself and picks AES-128, AES-192 or AES-256 by its
 * length (16, 24 or 32 bytes): `new CMAC(key)` is pyca's `CMAC(AES(key))`. Tags are 16 bytes. Verification throws `InvalidSignature`; it never returns a boolean you could forget to check.
 * Comparisons are constant time.
 *
 * pyca's `copy()` is not offered: the backend (exact-pinned `@noble/ciphers`, as node:crypto has no CMAC)
 * cannot clone a CMAC state. To MAC several messages that share a prefix, feed the prefix to a fresh
 * `CMAC` for each.
 *
 * @example
 * ```ts
 * import { CMAC, cmac, cmacVerify } from 'coffer/hazmat/cmac';
 * const key = new Uint8Array(16);
 * const tag = cmac(key, 'message');
 * cmacVerify(key, 'message', tag); // throws InvalidSignature on mismatch
 * const c = new CMAC(key);
 * c.update('mess');
 * c.update('age');
 * c.verify(tag);
 * ```
 * @module
 */
import { AlreadyFinalized, InvalidSignature } from '../errors.ts';
import { timingSafeEqual } from '../internal/backend.ts';
import { bytes, bytesLike } from '../internal/bytes.ts';
import { cmacState, type NobleMac } from '../internal/noble.ts';
import { keyBytes, type SecretKey } from '../keys/secret-key.ts';

/** An AES key (16, 24 or 32 bytes) as raw bytes or a `SecretKey`. */
export type CmacKey = Uint8Array | SecretKey;

function aesKey(key: unknown): Uint8Array {
  const k = keyBytes('key', key);
  if (k.length !== 16 && k.length !== 24 && k.length !== 32) {
    throw new RangeError(`"key" must be 16, 24 or 32 bytes (an AES key), got ${k.length}`);
  }
  return k;
}

function sameTag(tag: Uint8Array, signature: Uint8Array): boolean {
  return tag.length === signature.length && timingSafeEqual(tag, signature);
}

/**
 * A streaming AES-CMAC context: `update` any number of times, then `finalize` or `verify` once.
 * @throws {AlreadyFinalized} from any call after `finalize` or `verify`.
 */
export class CMAC {
  #state: NobleMac | null;

  /**
   * @throws {TypeError} when `key` is not a Uint8Array or a SecretKey.
   * @throws {RangeError} when `key` is not 16, 24 or 32 bytes.
   */
  constructor(key: CmacKey) {
    this.#state = cmacState(aesKey(key));
  }

  /** Feeds bytes (or a string, as UTF-8). Returns `this`. */
  update(data: Uint8Array | string): this {
    const d = bytesLike('data', data);
    this.#live().update(d);
    return this;
  }

  /** The 16-byte tag. The context cannot be used afterwards. */
  finalize(): Uint8Array {
    const state = this.#live();
    this.#state = null;
    return state.digest();
  }

  /**
   * Finalizes and compares against `signature` in constant time.
   * @throws {InvalidSignature} when it does not match (including a wrong length).
   * @throws {TypeError} when `signature` is not a Uint8Array (the context stays usable).
   */
  verify(signature: Uint8Array): void {
    bytes('signature', signature);
    if (!sameTag(this.finalize(), signature)) throw new InvalidSignature();
  }

  #live(): NobleMac {
    if (this.#state === null) throw new AlreadyFinalized('CMAC');
    return this.#state;
  }
}

/**
 * One-shot AES-CMAC of `data` (bytes, or a string as UTF-8): the 16-byte tag.
 * @throws {TypeError} on wrong argument types. @throws {RangeError} when `key` is not 16, 24 or 32 bytes.
 * @example
 * ```ts
 * import { cmac } from 'coffer/hazmat/cmac';
 * cmac(new Uint8Array(32), 'message'); // AES-256-CMAC, 16 bytes
 * ```
 */
export function cmac(key: CmacKey, data: Uint8Array | string): Uint8Array {
  const k = aesKey(key);
  const d = bytesLike('data', data);
  return digestOf(k, d);
}

function digestOf(key: Uint8Array, data: Uint8Array): Uint8Array {
  const state = cmacState(key);
  state.update(data);
  return state.digest();
}

/**
 * One-shot AES-CMAC check, constant time.
 * @throws {InvalidSignature} when `signature` is not the CMAC of `data` under `key` (a wrong length too).
 * @throws {TypeError} on wrong argument types. @throws {RangeError} when `key` is not 16, 24 or 32 bytes.
 * @example
 * ```ts
 * import { cmac, cmacVerify } from 'coffer/hazmat/cmac';
 * const key = new Uint8Array(16);
 * cmacVerify(key, 'message', cmac(key, 'message'));
 * ```
 */
export function cmacVerify(key: CmacKey, data: Uint8Array | string, signature: Uint8Array): void {
  const k = aesKey(key);
  const d = bytesLike('data', data);
  bytes('signature', signature);
  if (!sameTag(digestOf(k, d), signature)) throw new InvalidSignature();
}
