/**
 * Randomness from the operating system's CSPRNG (node:crypto), and nothing else.
 *
 * > **Hazmat.** Random bytes are a building block. For keys use `SecretKey.generate` (`coffer/hazmat/keys`)
 * > or a recipe's `generate`, which never hand you a nonce to manage.
 *
 * @module
 */
import { randomBytes as osRandom } from '../internal/backend.ts';
import { integer, u8 } from '../internal/bytes.ts';

/** Largest single request, 64 MiB: a guard against a runaway length, not a CSPRNG limit. */
export const MAX_RANDOM_BYTES = 64 * 1024 * 1024;

/**
 * `n` bytes from the OS CSPRNG.
 *
 * @throws {TypeError | RangeError} when `n` is not an integer in [0, 64 MiB].
 * @example
 * ```ts
 * import { randomBytes } from 'coffer/hazmat/random';
 * const salt = randomBytes(16);
 * ```
 */
export function randomBytes(n: number): Uint8Array {
  integer('n', n, 0, MAX_RANDOM_BYTES);
  return u8(osRandom(n));
}

/**
 * A url-safe random token: `bytes` random bytes (default 32, so 256 bits) as unpadded base64url.
 * Suitable for session ids, invitation links and API keys.
 *
 * @throws {TypeError | RangeError} when `bytes` is not an integer in [16, 1024]: fewer than 128 bits is refused.
 * @example
 * ```ts
 * import { randomToken } from 'coffer/hazmat/random';
 * const token = randomToken(); // 43 characters, 256 bits
 * ```
 */
export function randomToken(bytes = 32): string {
  integer('bytes', bytes, 16, 1024);
  return osRandom(bytes).toString('base64url');
}
