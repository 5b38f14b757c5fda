/**
 * Poly1305 (RFC 8439 §2.5), the one-time authenticator, after pyca's
 * `cryptography.hazmat.primitives.poly1305`.
 *
 * > **Hazmat.** To sign and check messages, use the `Webhook` recipe from `coffer`; to encrypt
 * > and authenticate, use `Keyring` from `coffer`. Both manage their keys for you. Poly1305 is a
 * > building block: a key that authenticates two messages lets anyone forge tags under it.
 *
 * **One key, one tag.** Each 32-byte key may produce at most one tag. coffer enforces that within a
 * process: `finalize` and `generateTag` refuse, with `AlreadyFinalized`, a key that has already produced a
 * tag here, even for the same message (the rule stays simple to state and to check). What it remembers is a fingerprint, never the key: the first 128 bits of HMAC-SHA256 of the key
 * under a random salt made once per process (per thread: each worker has its own), so the fingerprints
 * say nothing about keys outside the process. The memory is bounded: the last
 * {@link POLY1305_REMEMBERED_KEYS} keys (65,536, under 4 MiB); past that the oldest fingerprint is
 * forgotten, so a key reused after 65,536 other keys is not caught. Nothing is remembered across
 * processes or restarts. It is a safety net against bugs (a constant key, a key derived from a repeating
 * counter), not a substitute for deriving a fresh key per message.
 *
 * Checking a tag does not use the key up: `verify` and `verifyTag` compute a tag only to compare it in
 * constant time and never hand it out, so the receiver may check the sender's tag in the same process,
 * and a key may check any number of tags. Each `Poly1305` object is single-use, as in pyca: after
 * `finalize` or `verify`, any call throws `AlreadyFinalized`.
 *
 * node:crypto has no standalone Poly1305; it comes from exact-pinned `@noble/ciphers`.
 *
 * @example
 * ```ts
 * import { Poly1305 } from 'coffer/hazmat/poly1305';
 * import { randomBytes } from 'coffer/hazmat/random';
 * const key = randomBytes(32); // a fresh key for every message
 * const tag = Poly1305.generateTag(key, 'message');
 * Poly1305.verifyTag(key, 'message', tag); // throws InvalidSignature on mismatch
 * Poly1305.generateTag(key, 'another message'); // throws AlreadyFinalized: the key made a tag already
 * ```
 * @module
 */
import { AlreadyFinalized, InvalidSignature } from '../errors.ts';
import { hmac, type KeyInput, keyHandle, randomBytes, timingSafeEqual } from '../internal/backend.ts';
import { bytes, bytesLike } from '../internal/bytes.ts';
import { type NobleMac, poly1305State } from '../internal/noble.ts';
import { keyBytes, type SecretKey } from '../keys/secret-key.ts';

/** A 32-byte one-time key as raw bytes or a `SecretKey`. */
export type Poly1305Key = Uint8Array | SecretKey;

/** How many keys that produced a tag coffer remembers per process before forgetting the oldest. */
export const POLY1305_REMEMBERED_KEYS = 65_536;

// Fingerprints of the keys that produced a tag, oldest first (a Set iterates in insertion order). Each is a
// 16-character one-byte string: about 54 bytes with the Set's own overhead (measured), 3.4 MiB when full.
const usedKeys = new Set<string>();
let fingerprintSalt: KeyInput | undefined;

function fingerprint(key: Uint8Array): string {
  // Made on first use, not at import: importing the module has no side effects.
  fingerprintSalt ??= keyHandle(randomBytes(32));
  return hmac('sha256', fingerprintSalt, key).toString('latin1', 0, 16);
}

/** Records that the key produced a tag; throws if it already had. Called before the tag is computed. */
function spend(print: string): void {
  if (usedKeys.has(print)) throw new AlreadyFinalized('Poly1305 one-time key');
  if (usedKeys.size >= POLY1305_REMEMBERED_KEYS) {
    const oldest = usedKeys.values().next();
    if (oldest.done !== true) usedKeys.delete(oldest.value);
  }
  usedKeys.add(print);
}

function oneTimeKey(key: unknown): Uint8Array {
  const k = keyBytes('key', key);
  if (k.length !== 32) throw new RangeError(`"key" must be 32 bytes, got ${k.length}`);
  return k;
}

function sameTag(computed: Uint8Array, tag: Uint8Array): boolean {
  return computed.length === tag.length && timingSafeEqual(computed, tag);
}

/**
 * A streaming Poly1305 context: `update` any number of times, then `finalize` or `verify` once.
 * @throws {AlreadyFinalized} from any call after `finalize` or `verify`.
 */
export class Poly1305 {
  #state: NobleMac | null;
  // The key's fingerprint, taken now: the caller may wipe or reuse its key array before finalize.
  readonly #print: string;

  /**
   * @throws {TypeError} when `key` is not a Uint8Array or a SecretKey.
   * @throws {RangeError} when `key` is not 32 bytes.
   */
  constructor(key: Poly1305Key) {
    const k = oneTimeKey(key);
    this.#print = fingerprint(k);
    this.#state = poly1305State(k);
  }

  /**
   * A one-shot tag (16 bytes) of `data` (bytes, or a string as UTF-8).
   * @throws {AlreadyFinalized} when `key` has already produced a tag in this process.
   * @throws {TypeError} on wrong argument types. @throws {RangeError} when `key` is not 32 bytes.
   */
  static generateTag(key: Poly1305Key, data: Uint8Array | string): Uint8Array {
    const p = new Poly1305(key);
    p.update(data);
    return p.finalize();
  }

  /**
   * A one-shot check of `tag`, constant time. It does not use up the key.
   * @throws {InvalidSignature} when `tag` is not the Poly1305 tag of `data` under `key` (a wrong length too).
   * @throws {TypeError} on wrong argument types. @throws {RangeError} when `key` is not 32 bytes.
   */
  static verifyTag(key: Poly1305Key, data: Uint8Array | string, tag: Uint8Array): void {
    const p = new Poly1305(key);
    p.update(data);
    p.verify(tag);
  }

  /** Feeds bytes (or a string, as UTF-8). Returns `this`. */
  update(data: Uint8Array | string): this {
    const d = bytesLike('data', data);
    this.#live().update(d);
    return this;
  }

  /**
   * The 16-byte tag. The context cannot be used afterwards.
   * @throws {AlreadyFinalized} when the key has already produced a tag in this process (no tag is
   * computed), or this context was finalized.
   */
  finalize(): Uint8Array {
    const state = this.#live();
    this.#state = null;
    try {
      spend(this.#print);
    } catch (err) {
      state.destroy();
      throw err;
    }
    return state.digest();
  }

  /**
   * Finalizes and compares against `tag` in constant time. Does not use up the key.
   * @throws {InvalidSignature} when it does not match (including a wrong length).
   * @throws {TypeError} when `tag` is not a Uint8Array (the context stays usable).
   */
  verify(tag: Uint8Array): void {
    bytes('tag', tag);
    const state = this.#live();
    this.#state = null;
    if (!sameTag(state.digest(), tag)) throw new InvalidSignature();
  }

  #live(): NobleMac {
    if (this.#state === null) throw new AlreadyFinalized('Poly1305');
    return this.#state;
  }
}
