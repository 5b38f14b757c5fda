/**
 * Unions of coffer's asymmetric key classes, after pyca's `cryptography.hazmat.primitives.asymmetric.types`.
 *
 * > **Hazmat.** These are types only; see the key modules for what each key can do.
 *
 * @example
 * ```ts
 * import type { PrivateKeyTypes } from 'coffer/hazmat/asymmetric/types';
 * import { loadPemPrivateKey } from 'coffer/hazmat/serialization';
 * const key: PrivateKeyTypes = loadPemPrivateKey(pem);
 * ```
 * @module
 */
import type { DHPrivateKey, DHPublicKey } from './dh.ts';
import type { DSAPrivateKey, DSAPublicKey } from './dsa.ts';
import type { EllipticCurvePrivateKey, EllipticCurvePublicKey } from './ec.ts';
import type { Ed448PrivateKey, Ed448PublicKey } from './ed448.ts';
import type { Ed25519PrivateKey, Ed25519PublicKey } from './ed25519.ts';
import type { RSAPrivateKey, RSAPublicKey } from './rsa.ts';
import type { X448PrivateKey, X448PublicKey } from './x448.ts';
import type { X25519PrivateKey, X25519PublicKey } from './x25519.ts';

/** Every private key class serialization can load. */
export type PrivateKeyTypes =
  | Ed25519PrivateKey
  | Ed448PrivateKey
  | X25519PrivateKey
  | X448PrivateKey
  | EllipticCurvePrivateKey
  | RSAPrivateKey
  | DSAPrivateKey
  | DHPrivateKey;

/** Every public key class serialization can load. */
export type PublicKeyTypes =
  | Ed25519PublicKey
  | Ed448PublicKey
  | X25519PublicKey
  | X448PublicKey
  | EllipticCurvePublicKey
  | RSAPublicKey
  | DSAPublicKey
  | DHPublicKey;

/** Private keys that can sign. */
export type SigningPrivateKeyTypes =
  | Ed25519PrivateKey
  | Ed448PrivateKey
  | EllipticCurvePrivateKey
  | RSAPrivateKey
  | DSAPrivateKey;

/** Public keys that can verify. */
export type VerifyingPublicKeyTypes =
  | Ed25519PublicKey
  | Ed448PublicKey
  | EllipticCurvePublicKey
  | RSAPublicKey
  | DSAPublicKey;
