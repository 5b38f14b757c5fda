/**
 * Ed25519 signatures (RFC 8032), after pyca's `cryptography.hazmat.primitives.asymmetric.ed25519`.
 *
 * > **Hazmat.** A bare signature says nothing about what was signed or for whom: sign a structured
 * > message that names its purpose. For messages between two parties who share a key, the `Webhook`
 * > recipe from `coffer` is simpler.
 *
 * Keys are OpenSSL's, through node:crypto. `verify` throws `InvalidSignature`; it never returns a boolean.
 *
 * @example
 * ```ts
 * import { Ed25519PrivateKey } from 'coffer/hazmat/asymmetric/ed25519';
 * const key = Ed25519PrivateKey.generate();
 * const signature = key.sign('message'); // 64 bytes
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

/** An Ed25519 public key (32 bytes). */
export class Ed25519PublicKey extends AsymmetricPublicKey {
  /**
   * A public key from its 32 raw bytes (RFC 8032 §5.1.2 encoding).
   * @throws {TypeError} when `data` is not a Uint8Array. @throws {RangeError} unless it is 32 bytes.
   * @example
   * ```ts
   * import { Ed25519PublicKey } from 'coffer/hazmat/asymmetric/ed25519';
   * const publicKey = Ed25519PublicKey.fromPublicBytes(new Uint8Array(32).fill(1));
   * ```
   */
  static fromPublicBytes(data: Uint8Array): Ed25519PublicKey {
    exactLength('data', bytes('data', data), 32);
    return new Ed25519PublicKey(CONSTRUCT, okpPublicFromRaw('ed25519', data));
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
      ok = signature.length === 64 && be.verify(null, msg, keyObjectOf(this), signature);
    } catch {
      ok = false;
    }
    if (!ok) throw new InvalidSignature();
  }

  protected override rawPublicBytes(): Uint8Array {
    return okpRaw(keyObjectOf(this), 'x');
  }
}

/** An Ed25519 private key. Its bytes never appear in `toString`, `toJSON` or `util.inspect`. */
export class Ed25519PrivateKey extends AsymmetricPrivateKey {
  #public: Ed25519PublicKey | undefined;

  /**
   * A fresh key from the OS CSPRNG (through OpenSSL).
   * @example
   * ```ts
   * import { Ed25519PrivateKey } from 'coffer/hazmat/asymmetric/ed25519';
   * const key = Ed25519PrivateKey.generate();
   * ```
   */
  static generate(): Ed25519PrivateKey {
    return new Ed25519PrivateKey(CONSTRUCT, be.generate('ed25519'));
  }

  /**
   * A private key from its 32-byte seed (RFC 8032 §5.1.5).
   * @throws {TypeError} when `data` is not a Uint8Array. @throws {RangeError} unless it is 32 bytes.
   * @example
   * ```ts
   * import { Ed25519PrivateKey } from 'coffer/hazmat/asymmetric/ed25519';
   * const key = Ed25519PrivateKey.fromPrivateBytes(crypto.getRandomValues(new Uint8Array(32)));
   * ```
   */
  static fromPrivateBytes(data: Uint8Array): Ed25519PrivateKey {
    exactLength('data', bytes('data', data), 32);
    return new Ed25519PrivateKey(CONSTRUCT, okpPrivateFromRaw('ed25519', data));
  }

  /** The matching public key (made once, then cached). */
  publicKey(): Ed25519PublicKey {
    this.#public ??= new Ed25519PublicKey(CONSTRUCT, be.publicOf(keyObjectOf(this)));
    return this.#public;
  }

  /**
   * The 64-byte signature of `data` (bytes, or a string as UTF-8). Deterministic (RFC 8032 §5.1.6).
   * @throws {TypeError} when `data` is not bytes or a string.
   */
  sign(data: Uint8Array | string): Uint8Array {
    return u8(be.sign(null, bytesLike('data', data), keyObjectOf(this)));
  }

  protected override rawPrivateBytes(): Uint8Array {
    return okpRaw(keyObjectOf(this), 'd');
  }
}
