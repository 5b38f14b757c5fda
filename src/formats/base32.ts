/**
 * Strict base32 (RFC 4648 §6): the alphabet `A`–`Z`, `2`–`7`, with `=` padding to a multiple of 8
 * characters. Public through `coffer/encoding`.
 *
 * The decoder accepts exactly one spelling per value: uppercase only, no whitespace or separators, no
 * unused trailing bits set (RFC 4648 §3.5), and no length that no byte string encodes (1, 3 or 6
 * characters past a whole group). Padding is accepted only where it is correct; whether it is required,
 * optional or refused is the caller's choice. Formats that are looser by convention (otpauth URIs take
 * lowercase secrets) normalize before they call this.
 *
 * @example
 * ```ts
 * import { base32Decode, base32Encode } from 'coffer/encoding';
 * base32Encode(new TextEncoder().encode('foobar')); // 'MZXW6YTBOI======'
 * base32Encode(new TextEncoder().encode('foobar'), { padding: 'none' }); // 'MZXW6YTBOI'
 * base32Decode('MZXW6YTBOI'); // the bytes of 'foobar'
 * ```
 * @module
 */
import { DecodeError } from '../errors.ts';
import { bytes, plainObject, string } from '../internal/bytes.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

// Character code → 5-bit value, or -1. Only the 32 alphabet characters map; lowercase does not.
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

// Characters in a final group of 8 → how many bytes they carry, and the `=` count that pads them.
// RFC 4648 §6: the final quantum is 8, 16, 24, 32 or 40 bits, encoded as 2, 4, 5, 7 or 8 characters.
const BYTES_FOR_CHARS: Readonly<Record<number, number>> = { 0: 0, 2: 1, 4: 2, 5: 3, 7: 4 };

/** Longest text `base32Decode` reads: 64 MiB of characters (40 MiB of bytes). A guard, not a format limit. */
export const MAX_BASE32_LENGTH = 64 * 1024 * 1024;

export interface Base32Options {
  /**
   * Encoding: `'required'` (default) pads to a multiple of 8 with `=`; `'none'` leaves it off (as otpauth
   * URIs want). Decoding: `'optional'` (default) takes either form, `'required'` insists on it,
   * `'none'` refuses any `=`.
   */
  padding?: 'none' | 'required' | 'optional';
}

function paddingOption(options: unknown): Base32Options['padding'] {
  const padding = plainObject('options', options).padding;
  if (padding !== undefined && padding !== 'none' && padding !== 'required' && padding !== 'optional') {
    throw new TypeError(`"padding" must be 'none', 'required' or 'optional'`);
  }
  return padding as Base32Options['padding'];
}

/**
 * base32 (RFC 4648 §6), uppercase, padded unless `{ padding: 'none' }`.
 * @throws {TypeError} when `data` is not a Uint8Array or `options.padding` is not a padding mode.
 */
export function base32Encode(data: Uint8Array, options: Base32Options = {}): string {
  bytes('data', data);
  const pad = paddingOption(options) !== 'none';
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < data.length; i++) {
    buffer = ((buffer << 8) | data[i]!) & 0xfff; // at most 4 + 8 live bits
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  if (pad && out.length % 8 !== 0) out += '='.repeat(8 - (out.length % 8));
  return out;
}

/**
 * Decodes base32 (RFC 4648 §6). Uppercase only; rejects whitespace, any character outside the alphabet,
 * misplaced or wrong padding, impossible lengths and non-zero unused bits.
 * @throws {DecodeError} on malformed input (the message never repeats the text).
 * @throws {TypeError} when `text` is not a string or `options.padding` is not a padding mode.
 * @throws {RangeError} when `text` is longer than {@link MAX_BASE32_LENGTH}.
 */
export function base32Decode(text: string, options: Base32Options = {}): Uint8Array {
  string('text', text);
  const padding = paddingOption(options) ?? 'optional';
  if (text.length > MAX_BASE32_LENGTH) {
    throw new RangeError(`"text" must be at most ${MAX_BASE32_LENGTH} characters, got ${text.length}`);
  }
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--; // '='
  const padCount = text.length - end;
  const tail = end % 8;
  const tailBytes = BYTES_FOR_CHARS[tail];
  if (tailBytes === undefined) throw new DecodeError('invalid base32: impossible length');
  if (padCount > 0) {
    if (padding === 'none') throw new DecodeError('invalid base32: padding is not allowed here');
    if (tail === 0 || padCount !== 8 - tail) throw new DecodeError('invalid base32: wrong padding');
  } else if (padding === 'required' && tail !== 0) {
    throw new DecodeError('invalid base32: missing padding');
  }
  const out = new Uint8Array(Math.floor(end / 8) * 5 + tailBytes);
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? VALUES[c]! : -1;
    if (v < 0) throw new DecodeError('invalid base32: character outside the RFC 4648 alphabet');
    buffer = ((buffer << 5) | v) & 0xfff; // at most 7 + 5 live bits
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >>> bits) & 0xff;
    }
  }
  // RFC 4648 §3.5: the bits past the last whole byte must be zero, so that one value has one spelling.
  if ((buffer & ((1 << bits) - 1)) !== 0) throw new DecodeError('invalid base32: non-canonical encoding');
  return out;
}
