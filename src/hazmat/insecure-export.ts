/**
 * The functions that hand out raw secret bytes. They live in a module whose name is a warning, so a code
 * review can find every place a secret leaves its wrapper: `grep -r insecure-export`.
 *
 * > **Hazmat.** You rarely need these. To persist keys use `Keyring` from `coffer`, which encrypts them.
 *
 * @module
 */
import { SecretKey, secretKeyBytes } from '../keys/secret-key.ts';

/**
 * A copy of the key's raw bytes. The caller owns the copy and should wipe it (`fill(0)`) when done.
 * @throws {TypeError} when `key` is not a SecretKey.
 * @example
 * ```ts
 * import { SecretKey } from 'coffer/keys';
 * import { exportSecretKeyBytes } from 'coffer/hazmat/insecure-export';
 * const raw = exportSecretKeyBytes(SecretKey.generate(32));
 * ```
 */
export function exportSecretKeyBytes(key: SecretKey): Uint8Array {
  if (!(key instanceof SecretKey)) throw new TypeError('"key" must be a SecretKey');
  return Uint8Array.from(secretKeyBytes(key));
}
