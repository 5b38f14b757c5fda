/**
 * The functions that hand out raw secret bytes. They live in a module whose name is a warning, so a code
 * review can find every place a secret leaves its wrapper: `grep -r insecure-export`.
 *
 * > **Hazmat.** You rarely need these. To persist keys use `Keyring` from `coffer`, which encrypts them.
 *
 * @module
 */
import { ageIdentitySecretString } from '../internal/age-secret.ts';
import { describeValue } from '../internal/bytes.ts';
import { isSecretKey, type SecretKey, secretKeyBytes } from '../keys/secret-key.ts';
import type { X25519Identity } from '../recipes/age.ts';
import { isKeyring, type Keyring, type KeyringOptions } from '../recipes/keyring.ts';
import { keyringFromCleartext, keyringToCleartext } from '../recipes/keyring-file.ts';

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
  if (!isSecretKey(key)) throw new TypeError('"key" must be a SecretKey');
  return Uint8Array.from(secretKeyBytes(key));
}

/**
 * The whole keyring as cleartext JSON, key bytes included. For migration to another system only; store
 * keyrings with `keyring.save(...)`, which encrypts them.
 * @throws {TypeError} when `keyring` is not a Keyring.
 */
export function exportKeyringCleartext(keyring: Keyring): string {
  if (!isKeyring(keyring)) throw new TypeError('"keyring" must be a Keyring');
  return keyringToCleartext(keyring);
}

/**
 * Reads a keyring from `exportKeyringCleartext` output.
 * @throws {TypeError} when `text` is not a string, or an option is malformed (as `Keyring.generate`).
 * @throws {DecodeError} when the text is not a cleartext keyring: not JSON, an unknown field, a malformed
 *   key entry (a `created` time not in `Date#toISOString` form, for one), missing or extra key material.
 */
export function importKeyringCleartext(text: string, options: KeyringOptions = {}): Keyring {
  return keyringFromCleartext(text, options);
}

/**
 * The `AGE-SECRET-KEY-1…` string of an age identity, to store it (as `coffer keygen` and `age-keygen` do:
 * in a file readable only by its owner). Anyone holding it decrypts every file sent to its recipient.
 * @throws {TypeError} when `identity` is not an X25519Identity made by `coffer/age`.
 * @example
 * ```ts
 * import { generateX25519Identity } from 'coffer/age';
 * import { exportAgeIdentity } from 'coffer/hazmat/insecure-export';
 * const identity = generateX25519Identity();
 * writeFileSync('key.txt', `${exportAgeIdentity(identity)}\n`, { mode: 0o600, flag: 'wx' });
 * ```
 */
export function exportAgeIdentity(identity: X25519Identity): string {
  const text =
    typeof identity === 'object' && identity !== null ? ageIdentitySecretString(identity) : undefined;
  if (text === undefined) {
    throw new TypeError(
      `"identity" must be an X25519Identity from coffer/age, got ${describeValue(identity)}`,
    );
  }
  return text;
}
