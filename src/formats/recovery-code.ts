/**
 * Recovery codes as people read and type them: 80 bits in Crockford's base32
 * (https://www.crockford.com/base32.html), 16 symbols in four dashed groups, `7KQ4-M2XD-9PRT-HV3C`.
 * Pure: the recipe that uses it is `generateRecoveryCodes` / `verifyRecoveryCode` in `coffer`.
 *
 * The alphabet `0-9 A-Z` without `I`, `L`, `O` and `U` leaves no two symbols that look alike. Reading is
 * forgiving, as Crockford specifies: case is ignored, and so are spaces, tabs and dashes (ASCII `-` and
 * the Unicode hyphens and dashes U+2010 to U+2015, which word processors substitute); `O` reads as `0`,
 * `I` and `L` as `1`. `U` and anything else is refused.
 * @module
 */

/** Crockford's base32 alphabet. */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Bytes in one recovery code: 10 (80 bits). */
export const RECOVERY_CODE_BYTES = 10;
/** Symbols in one recovery code: 16. */
export const RECOVERY_CODE_SYMBOLS = 16;
/** The longest text `parseRecoveryCode` looks at: typed codes with generous spacing fit. */
export const MAX_RECOVERY_CODE_INPUT = 64;

// Character code → 5-bit value, or -1, with Crockford's decoding aliases.
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < CROCKFORD_ALPHABET.length; i++) {
  VALUES[CROCKFORD_ALPHABET.charCodeAt(i)] = i;
  VALUES[CROCKFORD_ALPHABET.toLowerCase().charCodeAt(i)] = i;
}
for (const [alias, value] of [
  ['O', 0],
  ['o', 0],
  ['I', 1],
  ['i', 1],
  ['L', 1],
  ['l', 1],
] as const) {
  VALUES[alias.charCodeAt(0)] = value;
}
const IGNORED = /[\s\u2010-\u2015-]/gu;

/**
 * The display form of 10 bytes: 16 symbols, big-endian, dashed every 4.
 * @throws {RangeError} when `data` is not 10 bytes.
 */
export function encodeRecoveryCode(data: Uint8Array): string {
  if (data.length !== RECOVERY_CODE_BYTES) {
    throw new RangeError(`"data" must be ${RECOVERY_CODE_BYTES} bytes, got ${data.length}`);
  }
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const byte of data) {
    acc = ((acc << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += CROCKFORD_ALPHABET[(acc >> bits) & 31];
      if (out.length % 5 === 4 && out.length < 19) out += '-';
    }
  }
  return out;
}

/**
 * Reads typed text as a recovery code. Returns the canonical 16 symbols (no dashes, uppercase), or `null`
 * when the text is not a code: too long, a symbol outside the alphabet, or not 16 symbols.
 */
export function parseRecoveryCode(text: string): string | null {
  if (text.length > MAX_RECOVERY_CODE_INPUT) return null;
  const compact = text.replace(IGNORED, '');
  if (compact.length !== RECOVERY_CODE_SYMBOLS) return null;
  let out = '';
  for (let i = 0; i < compact.length; i++) {
    const c = compact.charCodeAt(i);
    const v = c < 128 ? VALUES[c]! : -1;
    if (v < 0) return null;
    out += CROCKFORD_ALPHABET[v];
  }
  return out;
}

/** The display form of a canonical code: `XXXX-XXXX-XXXX-XXXX`. */
export function formatRecoveryCode(canonical: string): string {
  return canonical.replace(/(.{4})(?!$)/g, '$1-');
}
