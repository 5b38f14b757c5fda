/**
 * X448 key agreement (RFC 7748), after pyca's `cryptography.hazmat.primitives.asymmetric.x448`.
 *
 * > **Hazmat.** The shared secret is not a key: run it through a KDF (`HKDF` from `coffer/hazmat/kdf`)
 * > with both public keys in the info. To encrypt to a public key, use an age-style or sealed-box recipe
 * > instead of building one.
 *
 * `exchange` throws `InvalidKey` when the peer's point has small order (an all-zero shared secret,
 * RFC 7748 §6.1).
 *
 * @example
 * ```ts
 * import { X448PrivateKey } from 'coffer/hazmat/asymmetric/x448';
 * const alice = X448PrivateKey.generate();
 * const bob = X448PrivateKey.generate();
 * const shared = alice.exchange(bob.publicKey()); // 56 bytes, equal to bob.exchange(alice.publicKey())
 * ```
 * @module
 */
import { InvalidKey } from '../../errors.ts';
import * as be from '../../internal/backend-pkey.ts';
import { bytes, exactLength, u8 } from '../../internal/bytes.ts';
import {
  AsymmetricPrivateKey,
  AsymmetricPublicKey,
  CONSTRUCT,
  keyArg,
  keyObjectOf,
  okpPrivateFromRaw,
  okpPublicFromRaw,
  okpRaw,
} from '../../internal/pkey-base.ts';

/** An X448 public key (56 bytes, RFC 7748 §5 u-coordinate). */
export class X448PublicKey extends AsymmetricPublicKey {
  /**
   * A public key from its 56 raw bytes. Any 56 bytes are accepted (RFC 7748 §5); low-order points are
   * caught by `exchange`.
   * @throws {TypeError} when `data` is not a Uint8Array. @throws {RangeError} unless it is 56 bytes.
   * @example
   * ```ts
   * import { X448PublicKey } from 'coffer/hazmat/asymmetric/x448';
   * const peer = X448PublicKey.fromPublicBytes(receivedBytes);
   * ```
   */
  static fromPublicBytes(data: Uint8Array): X448PublicKey {
    exactLength('data', bytes('data', data), 56);
    return new X448PublicKey(CONSTRUCT, okpPublicFromRaw('x448', data));
  }

  protected override rawPublicBytes(): Uint8Array {
    return okpRaw(keyObjectOf(this), 'x');
  }
}

/** An X448 private key. Its bytes never appear in `toString`, `toJSON` or `util.inspect`. */
export class X448PrivateKey extends AsymmetricPrivateKey {
  #public: X448PublicKey | undefined;

  /**
   * A fresh key from the OS CSPRNG (through OpenSSL).
   * @example
   * ```ts
   * import { X448PrivateKey } from 'coffer/hazmat/asymmetric/x448';
   * const key = X448PrivateKey.generate();
   * ```
   */
  static generate(): X448PrivateKey {
    return new X448PrivateKey(CONSTRUCT, be.generate('x448'));
  }

  /**
   * A private key from its 56 raw bytes (clamped by X448 itself, RFC 7748 §5).
   * @throws {TypeError} when `data` is not a Uint8Array. @throws {RangeError} unless it is 56 bytes.
   * @example
   * ```ts
   * import { X448PrivateKey } from 'coffer/hazmat/asymmetric/x448';
   * const key = X448PrivateKey.fromPrivateBytes(crypto.getRandomValues(new Uint8Array(56)));
   * ```
   */
  static fromPrivateBytes(data: Uint8Array): X448PrivateKey {
    exactLength('data', bytes('data', data), 56);
    return new X448PrivateKey(CONSTRUCT, okpPrivateFromRaw('x448', data));
  }

  /** The matching public key (made once, then cached). */
  publicKey(): X448PublicKey {
    this.#public ??= new X448PublicKey(CONSTRUCT, be.publicOf(keyObjectOf(this)));
    return this.#public;
  }

  /**
   * The 56-byte shared secret with `peerPublicKey`. Feed it to a KDF; never use it as a key directly.
   * @throws {InvalidKey} when the result is all zeros (the peer sent a low-order point).
   * @throws {TypeError} when `peerPublicKey` is not an X448PublicKey.
   */
  exchange(peerPublicKey: X448PublicKey): Uint8Array {
    const peer = keyObjectOf(keyArg('peerPublicKey', peerPublicKey, X448PublicKey));
    let shared: Buffer;
    try {
      shared = be.derive(keyObjectOf(this), peer);
    } catch {
      // OpenSSL refuses the all-zero result itself (ossl_x448 returns 0).
      throw new InvalidKey();
    }
    let acc = 0;
    for (let i = 0; i < shared.length; i++) acc |= shared[i]!;
    if (acc === 0) throw new InvalidKey();
    return u8(shared);
  }

  protected override rawPrivateBytes(): Uint8Array {
    return okpRaw(keyObjectOf(this), 'd');
  }
}
