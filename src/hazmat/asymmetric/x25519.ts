/**
 * X25519 key agreement (RFC 7748), after pyca's `cryptography.hazmat.primitives.asymmetric.x25519`.
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
 * import { X25519PrivateKey } from 'coffer/hazmat/asymmetric/x25519';
 * const alice = X25519PrivateKey.generate();
 * const bob = X25519PrivateKey.generate();
 * const shared = alice.exchange(bob.publicKey()); // 32 bytes, equal to bob.exchange(alice.publicKey())
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

/** An X25519 public key (32 bytes, RFC 7748 §5 u-coordinate). */
export class X25519PublicKey extends AsymmetricPublicKey {
  /**
   * A public key from its 32 raw bytes. Any 32 bytes are accepted (RFC 7748 §5); low-order points are
   * caught by `exchange`.
   * @throws {TypeError} when `data` is not a Uint8Array. @throws {RangeError} unless it is 32 bytes.
   * @example
   * ```ts
   * import { X25519PublicKey } from 'coffer/hazmat/asymmetric/x25519';
   * const peer = X25519PublicKey.fromPublicBytes(receivedBytes);
   * ```
   */
  static fromPublicBytes(data: Uint8Array): X25519PublicKey {
    exactLength('data', bytes('data', data), 32);
    return new X25519PublicKey(CONSTRUCT, okpPublicFromRaw('x25519', data));
  }

  protected override rawPublicBytes(): Uint8Array {
    return okpRaw(keyObjectOf(this), 'x');
  }
}

/** An X25519 private key. Its bytes never appear in `toString`, `toJSON` or `util.inspect`. */
export class X25519PrivateKey extends AsymmetricPrivateKey {
  #public: X25519PublicKey | undefined;

  /**
   * A fresh key from the OS CSPRNG (through OpenSSL).
   * @example
   * ```ts
   * import { X25519PrivateKey } from 'coffer/hazmat/asymmetric/x25519';
   * const key = X25519PrivateKey.generate();
   * ```
   */
  static generate(): X25519PrivateKey {
    return new X25519PrivateKey(CONSTRUCT, be.generate('x25519'));
  }

  /**
   * A private key from its 32 raw bytes (clamped by X25519 itself, RFC 7748 §5).
   * @throws {TypeError} when `data` is not a Uint8Array. @throws {RangeError} unless it is 32 bytes.
   * @example
   * ```ts
   * import { X25519PrivateKey } from 'coffer/hazmat/asymmetric/x25519';
   * const key = X25519PrivateKey.fromPrivateBytes(crypto.getRandomValues(new Uint8Array(32)));
   * ```
   */
  static fromPrivateBytes(data: Uint8Array): X25519PrivateKey {
    exactLength('data', bytes('data', data), 32);
    return new X25519PrivateKey(CONSTRUCT, okpPrivateFromRaw('x25519', data));
  }

  /** The matching public key (made once, then cached). */
  publicKey(): X25519PublicKey {
    this.#public ??= new X25519PublicKey(CONSTRUCT, be.publicOf(keyObjectOf(this)));
    return this.#public;
  }

  /**
   * The 32-byte shared secret with `peerPublicKey`. Feed it to a KDF; never use it as a key directly.
   * @throws {InvalidKey} when the result is all zeros (the peer sent a low-order point).
   * @throws {TypeError} when `peerPublicKey` is not an X25519PublicKey.
   */
  exchange(peerPublicKey: X25519PublicKey): Uint8Array {
    const peer = keyObjectOf(keyArg('peerPublicKey', peerPublicKey, X25519PublicKey));
    let shared: Buffer;
    try {
      shared = be.derive(keyObjectOf(this), peer);
    } catch {
      // OpenSSL refuses the all-zero result itself (ossl_x25519 returns 0).
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
