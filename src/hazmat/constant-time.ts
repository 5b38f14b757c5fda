/**
 * Constant-time comparison.
 *
 * > **Hazmat.** This is a low-level building block. To check a MAC use `HMAC#verify` (`coffer/hazmat/hmac`)
 * > or, better, the recipes in `coffer`, which compare for you.
 *
 * @module
 */
import { timingSafeEqual } from '../internal/backend.ts';
import { bytes } from '../internal/bytes.ts';

/**
 * Compares two byte arrays in time that depends only on their lengths, never on their contents.
 * Lengths are treated as public: arrays of different lengths return `false` at once.
 *
 * @throws {TypeError} when either argument is not a Uint8Array.
 * @example
 * ```ts
 * import { bytesEqual } from 'coffer/hazmat/constant-time';
 * bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])); // true
 * ```
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  bytes('a', a);
  bytes('b', b);
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
