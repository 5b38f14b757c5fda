/**
 * Ed448 signatures (RFC 8032), after pyca's `cryptography.hazmat.primitives.asymmetric.ed448`.
 *
 * > **Hazmat.** A bare signature says nothing about what was signed or for whom: sign a structured
 * > message that names its purpose. For messages between two parties who share a key, the `Webhook`
 * > recipe from `coffer` is simpler.
 *
 * Keys are OpenSSL's, through node:crypto. `verify` throws `InvalidSignature`; it never returns a boolean.
 *
 * @example
 * ```ts
 * import { Ed448PrivateKey } from 'coffer/hazmat/asymmetric/ed448';
 * const key = Ed448PrivateKey.generate();
 * const signature = key.sign('message'); // 114 bytes
 * key.publicKey().verify(signature, 'message'); // throws InvalidSignature on mismatch
 * ```
 * @module
 */
import { InvalidSignature } from '../../errors.ts';
import * as be from '../../internal/backend-pkey.ts';
import { bytes, bytesLike, exactLength, u8 } from '../../internal/bytes.ts';
import {
  AsymmetricPrivateKey,
  AsymmetricPublicKey,
  CONSTRUCT,
  keyObjectOf,
  okpPrivateFromRaw,
  okpPublicFromRaw,
  okpRaw,
} from '../../internal/pkey-base.ts';

/** An Ed448 public key (57 bytes). */
export class Ed448PublicKey extends AsymmetricPublicKey {
  /**
   * A public key from its 57 raw bytes (RFC 8032 §5.2.2 encoding).
   * @throws {TypeError} when `data` is not a Uint8Array. @throws {RangeError} unless it is 57 bytes.
   * @example
   * ```ts
   * import { Ed448PublicKey } from 'coffer/hazmat/asymmetric/ed448';
   * const publicKey = Ed448PublicKey.fromPublicBytes(new Uint8Array(57).fill(1));
   * ```
   */
  static fromPublicBytes(data: Uint8Array): Ed448PublicKey {
    exactLength('data', bytes('data', data), 57);
    return new Ed448PublicKey(CONSTRUCT, okpPublicFromRaw('ed448', data));
  }

  /**
   * Checks `signature` over `data` (bytes, or a string as UTF-8).
   * @throws {InvalidSignature} when it does not verify (any wrong length too).
   * @throws {TypeError} when `signature` is not a Uint8Array or `data` not bytes or a string.
   */
  verify(signature: Uint8Array, data: Uint8Array | string): void {
    bytes('signature', signature);
    const msg = bytesLike('data', data);
    let ok = false;
    try {
      ok = signature.length === 114 && be.verify(null, msg, keyObjectOf(this), signature);
    } catch {
      ok = false;
    }
    if (!ok) throw new InvalidSignature();
  }

  protected override rawPublicBytes(): Uint8Array {
    return okpRaw(keyObjectOf(this), 'x');
  }
}

/** An Ed448 private key. Its bytes never appear in `toString`, `toJSON` or `util.inspect`. */
export class Ed448PrivateKey extends AsymmetricPrivateKey {
  #public: Ed448PublicKey | undefined;

  /**
   * A fresh key from the OS CSPRNG (through OpenSSL).
   * @example
   * ```ts
   * import { Ed448PrivateKey } from 'coffer/hazmat/asymmetric/ed448';
   * const key = Ed448PrivateKey.generate();
   * ```
   */
  static generate(): Ed448PrivateKey {
    return new Ed448PrivateKey(CONSTRUCT, be.generate('ed448'));
  }

  /**
   * A private key from its 57 raw bytes (RFC 8032 §5.2.5).
   * @throws {TypeError} when `data` is not a Uint8Array. @throws {RangeError} unless it is 57 bytes.
   * @example
   * ```ts
   * import { Ed448PrivateKey } from 'coffer/hazmat/asymmetric/ed448';
   * const key = Ed448PrivateKey.fromPrivateBytes(crypto.getRandomValues(new Uint8Array(57)));
   * ```
   */
  static fromPrivateBytes(data: Uint8Array): Ed448PrivateKey {
    exactLength('data', bytes('data', data), 57);
    return new Ed448PrivateKey(CONSTRUCT, okpPrivateFromRaw('ed448', data));
  }

  /** The matching public key (made once, then cached). */
  publicKey(): Ed448PublicKey {
    this.#public ??= new Ed448PublicKey(CONSTRUCT, be.publicOf(keyObjectOf(this)));
    return this.#public;
  }

  /**
   * The 114-byte signature of `data` (bytes, or a string as UTF-8). Deterministic (RFC 8032 §5.2.6).
   * @throws {TypeError} when `data` is not bytes or a string.
   */
  sign(data: Uint8Array | string): Uint8Array {
    return u8(be.sign(null, bytesLike('data', data), keyObjectOf(this)));
  }

  protected override rawPrivateBytes(): Uint8Array {
    return okpRaw(keyObjectOf(this), 'd');
  }
}
