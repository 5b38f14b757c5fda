/**
 * Bech32 (BIP 173), as age uses it for `age1…` recipients and `AGE-SECRET-KEY-1…` identities.
 *
 * Pure format code: no secrets are kept and none appear in error messages. Two departures from BIP 173,
 * both age's: there is no 90-character limit (post-quantum keys are longer), and the checksum constant is
 * Bech32's 1, never Bech32m's. The decoder is strict: one case throughout, a known data-part alphabet, a
 * valid checksum, and no padding bits set in the 8-bit regrouping (BIP 173 "convertbits").
 *
 * @example
 * ```ts
 * import { bech32Decode, bech32Encode } from './bech32.ts';
 * const s = bech32Encode('age', new Uint8Array(32)); // 'age1qqqq…'
 * bech32Decode(s); // { prefix: 'age', data: Uint8Array(32) }
 * ```
 * @module
 */
import { DecodeError } from '../errors.ts';

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < CHARSET.length; i++) VALUES[CHARSET.charCodeAt(i)] = i;

const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3] as const;

/** A guard against hostile input, far above any age key (ML-KEM-768 recipients are ~1,960 characters). */
export const MAX_BECH32_LENGTH = 8192;

function polymod(values: ArrayLike<number>, chk = 1): number {
  for (let i = 0; i < values.length; i++) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ (values[i] as number);
    for (let j = 0; j < 5; j++) if ((top >>> j) & 1) chk ^= GENERATOR[j] as number;
  }
  return chk;
}

// BIP 173: the prefix enters the checksum as its high bits, a zero, then its low bits.
function prefixChecksum(prefix: string): number {
  const v: number[] = [];
  for (let i = 0; i < prefix.length; i++) v.push(prefix.charCodeAt(i) >>> 5);
  v.push(0);
  for (let i = 0; i < prefix.length; i++) v.push(prefix.charCodeAt(i) & 31);
  return polymod(v);
}

function toWords(data: Uint8Array): number[] {
  const words: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const b of data) {
    acc = ((acc << 8) | b) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      words.push((acc >>> bits) & 31);
    }
  }
  if (bits > 0) words.push((acc << (5 - bits)) & 31);
  return words;
}

function fromWords(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(Math.floor((words.length * 5) / 8));
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (const w of words) {
    acc = ((acc << 5) | w) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >>> bits) & 0xff;
    }
  }
  // BIP 173: at most 4 padding bits, all zero; anything else is another spelling of the same bytes.
  if (bits >= 5 || (acc & ((1 << bits) - 1)) !== 0) throw new DecodeError('invalid bech32: non-zero padding');
  return out;
}

/**
 * Encodes `data` under `prefix` (lowercase, as given). The caller uppercases the result where the format
 * wants it (age's secret keys).
 * @throws {RangeError} when the prefix is empty or not printable ASCII without uppercase letters.
 */
export function bech32Encode(prefix: string, data: Uint8Array): string {
  if (!/^[\x21-\x40\x5b-\x7e]+$/.test(prefix)) {
    throw new RangeError('"prefix" must be printable ASCII without uppercase letters');
  }
  const words = toWords(data);
  let chk = polymod(words, prefixChecksum(prefix));
  chk = polymod([0, 0, 0, 0, 0, 0], chk) ^ 1;
  let out = `${prefix}1`;
  for (const w of words) out += CHARSET[w];
  for (let i = 0; i < 6; i++) out += CHARSET[(chk >>> (5 * (5 - i))) & 31];
  return out;
}

/**
 * Decodes a Bech32 string. The returned prefix is lowercase whatever the input's case.
 * @throws {DecodeError} on mixed case, a missing separator, a character outside the alphabet, a bad
 *   checksum, non-zero padding, or more than {@link MAX_BECH32_LENGTH} characters.
 */
export function bech32Decode(text: string): { prefix: string; data: Uint8Array } {
  if (text.length > MAX_BECH32_LENGTH) throw new DecodeError('invalid bech32: too long');
  const lower = text.toLowerCase();
  if (text !== lower && text !== text.toUpperCase()) throw new DecodeError('invalid bech32: mixed case');
  const sep = lower.lastIndexOf('1');
  if (sep < 1 || sep + 7 > lower.length) throw new DecodeError('invalid bech32: misplaced separator');
  const prefix = lower.slice(0, sep);
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) throw new DecodeError('invalid bech32: bad prefix character');
  }
  const words: number[] = [];
  for (let i = sep + 1; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    const v = c < 128 ? (VALUES[c] as number) : -1;
    if (v < 0) throw new DecodeError('invalid bech32: bad character');
    words.push(v);
  }
  if (polymod(words, prefixChecksum(prefix)) !== 1) throw new DecodeError('invalid bech32: bad checksum');
  return { prefix, data: fromWords(words.slice(0, -6)) };
}
