/**
 * HMAC (RFC 2104) over any non-XOF hash, after pyca's `cryptography.hazmat.primitives.hmac`.
 *
 * > **Hazmat.** To sign and check messages such as webhooks, use the `Webhook` recipe
 * > from `coffer` (Standard Webhooks), which adds timestamps and key ids for you.
 *
 * Verification throws `InvalidSignature`; it never returns a boolean you could forget to check.
 * Comparisons are constant time.
 *
 * @example
 * ```ts
 * import { HMAC, hmac, hmacVerify } from 'coffer/hazmat/hmac';
 * import { SHA256 } from 'coffer/hazmat/hashes';
 * const key = new Uint8Array(32);
 * const tag = hmac(new SHA256(), key, 'message');
 * hmacVerify(new SHA256(), key, 'message', tag); // throws InvalidSignature on mismatch
 * const h = new HMAC(key, new SHA256());
 * h.update('mess');
 * h.update('age');
 * h.verify(tag);
 * ```
 * @module
 */
import { AlreadyFinalized, InvalidSignature } from '../errors.ts';
import { createHmac, type NodeHmac, hmac as nodeHmac, timingSafeEqual } from '../internal/backend.ts';
import { bytes, bytesLike, u8 } from '../internal/bytes.ts';
import { type HashAlgorithm, hashAlgorithm } from '../internal/hash.ts';
import { keyInput, type SecretKey } from '../keys/secret-key.ts';

function macAlgorithm(algorithm: unknown): HashAlgorithm {
  const alg = hashAlgorithm('algorithm', algorithm);
  if (alg.isXof) throw new TypeError(`"algorithm" must not be an XOF for HMAC, got ${alg.name}`);
  return alg;
}

/** Key as raw bytes or a `SecretKey`. Any length is allowed (RFC 2104 hashes long keys); use at least `digestSize`. */
export type MacKey = Uint8Array | SecretKey;

/**
 * A streaming HMAC context: `update` any number of times, then `finalize` or `verify` once.
 * @throws {AlreadyFinalized} from any call after `finalize` or `verify`.
 */
export class HMAC {
  readonly algorithm: HashAlgorithm;
  #ctx: NodeHmac | null;

  /** @throws {TypeError} when `key` is not bytes or a SecretKey, or `algorithm` is not a (non-XOF) HashAlgorithm. */
  constructor(key: MacKey, algorithm: HashAlgorithm) {
    const k = keyInput('key', key);
    this.algorithm = macAlgorithm(algorithm);
    this.#ctx = createHmac(this.algorithm.opensslName, k);
  }

  /** Feeds bytes (or a string, as UTF-8). Returns `this`. */
  update(data: Uint8Array | string): this {
    this.#live().update(bytesLike('data', data));
    return this;
  }

  /** The tag (`algorithm.digestSize` bytes). The context cannot be used afterwards. */
  finalize(): Uint8Array {
    const ctx = this.#live();
    this.#ctx = null;
    return u8(ctx.digest());
  }

  /**
   * Finalizes and compares against `signature` in constant time.
   * @throws {InvalidSignature} when it does not match (including a wrong length).
   */
  verify(signature: Uint8Array): void {
    bytes('signature', signature);
    const tag = this.finalize();
    if (tag.length !== signature.length || !timingSafeEqual(tag, signature)) throw new InvalidSignature();
  }

  #live(): NodeHmac {
    if (this.#ctx === null) throw new AlreadyFinalized('HMAC');
    return this.#ctx;
  }
}

/**
 * One-shot HMAC of `data` (bytes, or a string as UTF-8).
 * @throws {TypeError} on wrong argument types.
 */
export function hmac(algorithm: HashAlgorithm, key: MacKey, data: Uint8Array | string): Uint8Array {
  const alg = macAlgorithm(algorithm);
  return u8(nodeHmac(alg.opensslName, keyInput('key', key), bytesLike('data', data)));
}

/**
 * One-shot HMAC check, constant time.
 * @throws {InvalidSignature} when `signature` is not the HMAC of `data` under `key` (any length mismatch too).
 * @throws {TypeError} on wrong argument types.
 */
export function hmacVerify(
  algorithm: HashAlgorithm,
  key: MacKey,
  data: Uint8Array | string,
  signature: Uint8Array,
): void {
  bytes('signature', signature);
  const tag = hmac(algorithm, key, data);
  if (tag.length !== signature.length || !timingSafeEqual(tag, signature)) throw new InvalidSignature();
}
