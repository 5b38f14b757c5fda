// Peppers: a secret key, held outside the database, mixed into a password (or a recovery code) with
// HMAC-SHA256 before it is hashed or stored. The pepper is a Keyring (its primary key peppers new hashes;
// any enabled key verifies, so it rotates) or a single SecretKey with an id.
//
// The HMAC key is never the keyring key itself: it is derived per purpose,
//   HKDF-SHA256(ikm = key bytes, salt = empty, info = "coffer/v1/<purpose>", L = 32),
// so a keyring that also seals tokens uses unrelated keys for each job, and the keyring's bytes never
// leave coffer. Derived keys are cached per key (a WeakMap: they go when the key does).
import { KeyDisabled, KeyNotFound } from '../errors.ts';
import { isPhcKeyId } from '../formats/phc.ts';
import { isSecretKey, type SecretKey, secretKeyBytes } from '../keys/secret-key.ts';
import { isKeyring, type Keyring, keyringEntries } from '../recipes/keyring.ts';
import { hkdf, hmac, type KeyInput, keyHandle } from './backend.ts';
import { describeValue } from './bytes.ts';

/** A pepper: a Keyring (rotating) or one SecretKey with an id. */
export type Pepper = Keyring | SecretKey;

/** The purposes, each its own HKDF label. */
export type PepperPurpose = 'password-pepper' | 'recovery-code' | 'blind-index';

/** One usable pepper key: its public id and the derived HMAC key. */
export interface PepperKey {
  readonly id: string;
  readonly key: KeyInput;
}

/** A SecretKey pepper must be at least this long: 256 bits, like a keyring key. */
export const PEPPER_MIN_BYTES = 32;

const encoder = new TextEncoder();
const LABELS: Record<PepperPurpose, Uint8Array> = {
  'password-pepper': encoder.encode('coffer/v1/password-pepper'),
  'recovery-code': encoder.encode('coffer/v1/recovery-code'),
  // The PostgreSQL integration's blind indexes: a per-column key is derived from this one.
  'blind-index': encoder.encode('coffer/v1/blind-index'),
};
const EMPTY = new Uint8Array(0);

const cache = new WeakMap<object, Map<PepperPurpose, KeyInput>>();

function derived(owner: object, material: Uint8Array, purpose: PepperPurpose): KeyInput {
  let byPurpose = cache.get(owner);
  if (byPurpose === undefined) {
    byPurpose = new Map();
    cache.set(owner, byPurpose);
  }
  let key = byPurpose.get(purpose);
  if (key === undefined) {
    const okm = hkdf('sha256', material, EMPTY, LABELS[purpose], 32);
    key = keyHandle(okm);
    okm.fill(0);
    byPurpose.set(purpose, key);
  }
  return key;
}

/**
 * Checks a `pepper` option.
 * @throws {TypeError} when it is neither a Keyring nor a SecretKey, or the SecretKey's id cannot be written
 *   in a hash string. @throws {RangeError} when the SecretKey is shorter than 32 bytes.
 */
export function pepperOption(name: string, value: unknown): Pepper {
  if (isKeyring(value)) return value;
  if (isSecretKey(value)) {
    if (value.id === undefined || !isPhcKeyId(value.id)) {
      throw new TypeError(
        `"${name}" must have an id of 1 to 64 characters of [A-Za-z0-9./+-] (it is stored beside each hash)`,
      );
    }
    if (value.length < PEPPER_MIN_BYTES) {
      throw new RangeError(`"${name}" must be at least ${PEPPER_MIN_BYTES} bytes, got ${value.length}`);
    }
    return value;
  }
  throw new TypeError(`"${name}" must be a Keyring or a SecretKey, got ${describeValue(value)}`);
}

/** The key new hashes are peppered with: the keyring's primary key, or the SecretKey. */
export function currentPepper(pepper: Pepper, purpose: PepperPurpose): PepperKey {
  if (isSecretKey(pepper)) return { id: pepper.id!, key: derived(pepper, secretKeyBytes(pepper), purpose) };
  const primary = keyringEntries(pepper).find((e) => e.status === 'primary')!;
  return { id: primary.idText, key: derived(primary.material!, primary.material!, purpose) };
}

/**
 * The key a stored hash names.
 * @throws {KeyNotFound} when the pepper has no key with that id. @throws {KeyDisabled} when the keyring's
 *   key is disabled or retired.
 */
export function pepperById(pepper: Pepper, id: string, purpose: PepperPurpose): PepperKey {
  if (isSecretKey(pepper)) {
    if (pepper.id !== id) throw new KeyNotFound(id);
    return { id, key: derived(pepper, secretKeyBytes(pepper), purpose) };
  }
  const entry = keyringEntries(pepper).find((e) => e.idText === id);
  if (entry === undefined) throw new KeyNotFound(id);
  if (entry.status === 'disabled') throw new KeyDisabled(id);
  if (entry.material === null) throw new KeyDisabled(id, 'retired');
  return { id, key: derived(entry.material, entry.material, purpose) };
}

/** Every key that may have peppered a stored value: the SecretKey, or the keyring's enabled keys. */
export function usablePeppers(pepper: Pepper, purpose: PepperPurpose): PepperKey[] {
  if (isSecretKey(pepper)) return [currentPepper(pepper, purpose)];
  const out: PepperKey[] = [];
  for (const e of keyringEntries(pepper)) {
    if ((e.status === 'primary' || e.status === 'active') && e.material !== null) {
      const key = { id: e.idText, key: derived(e.material, e.material, purpose) };
      if (e.status === 'primary') out.unshift(key);
      else out.push(key);
    }
  }
  return out;
}

/** HMAC-SHA256 of `input` under a pepper key. */
export function applyPepper(key: PepperKey, input: Uint8Array): Uint8Array {
  const mac = hmac('sha256', key.key, input);
  return new Uint8Array(mac.buffer, mac.byteOffset, mac.byteLength);
}
