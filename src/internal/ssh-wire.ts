// The SSH wire encoding (RFC 4251 §5): uint32, string (uint32 length ‖ bytes) and mpint, read with a
// bounds check on every field so a hostile length prefix can only ever produce a DecodeError, never a
// read past the end, a huge allocation or a hang. Shared by the OpenSSH key formats and SSHSIG.
import { DecodeError } from '../errors.ts';
import { concat } from './bytes.ts';

/** Largest mpint magnitude read or written: 16384 bits, OpenSSH's SSHBUF_MAX_BIGNUM. */
export const MAX_MPINT_BYTES = 2048;

const utf8 = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

/** A cursor over one SSH wire structure. Every read names its field in the error it may raise. */
export class SshReader {
  readonly #data: Uint8Array;
  readonly #what: string;
  #pos = 0;

  /** `what` prefixes every error message, e.g. `invalid OpenSSH public key`. */
  constructor(data: Uint8Array, what: string) {
    this.#data = data;
    this.#what = what;
  }

  fail(problem: string): never {
    throw new DecodeError(`${this.#what}: ${problem}`);
  }

  get remaining(): number {
    return this.#data.length - this.#pos;
  }

  /** `n` raw bytes (a view, not a copy). */
  raw(n: number, field: string): Uint8Array {
    if (n > this.remaining) {
      this.fail(`truncated: ${field} needs ${n} bytes, ${this.remaining} left`);
    }
    const out = this.#data.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  u32(field: string): number {
    const b = this.raw(4, field);
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  }

  /** A length-prefixed string of at most `max` bytes (a view, not a copy). */
  string(field: string, max = Number.MAX_SAFE_INTEGER): Uint8Array {
    const n = this.u32(`the length of ${field}`);
    if (n > this.remaining) this.fail(`truncated: ${field} claims ${n} bytes, ${this.remaining} left`);
    if (n > max) this.fail(`${field} is ${n} bytes, more than the limit of ${max}`);
    return this.raw(n, field);
  }

  /** A short name (key type, curve, cipher, KDF): printable ASCII, 1 to 64 characters. */
  name(field: string): string {
    const b = this.string(field, 64);
    if (b.length === 0) this.fail(`${field} is empty`);
    for (const c of b) if (c < 0x21 || c > 0x7e) this.fail(`${field} is not printable ASCII`);
    return String.fromCharCode(...b);
  }

  /** A string read as UTF-8 (invalid sequences become U+FFFD). */
  text(field: string, max?: number): string {
    return utf8.decode(this.string(field, max));
  }

  /**
   * A non-negative mpint in its one valid spelling (RFC 4251 §5: two's complement, no needless leading
   * byte), returned as its magnitude without leading zeros. Zero is the empty string.
   */
  mpint(field: string, maxBytes = MAX_MPINT_BYTES): Uint8Array {
    const b = this.string(field, maxBytes + 1);
    if (b.length === 0) return b;
    if (b[0]! & 0x80) this.fail(`${field} is negative`);
    if (b[0] === 0) {
      if (b.length === 1 || !(b[1]! & 0x80)) this.fail(`${field} has a needless leading zero byte`);
      return b.subarray(1);
    }
    if (b.length > maxBytes) this.fail(`${field} is larger than ${maxBytes * 8} bits`);
    return b;
  }

  /** Requires that nothing is left. */
  end(what: string): void {
    if (this.remaining !== 0) this.fail(`${this.remaining} bytes of trailing data after ${what}`);
  }
}

export function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

export function sshString(data: Uint8Array | string): Uint8Array {
  const b = typeof data === 'string' ? encoder.encode(data) : data;
  return concat(u32(b.length), b);
}

/** The mpint of a non-negative magnitude given big-endian (leading zeros are dropped). */
export function mpint(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length && magnitude[i] === 0) i++;
  const m = magnitude.subarray(i);
  return m.length > 0 && m[0]! & 0x80 ? sshString(concat(Uint8Array.of(0), m)) : sshString(m);
}

export function bigintOf(magnitude: Uint8Array): bigint {
  return magnitude.length === 0 ? 0n : BigInt(`0x${Buffer.from(magnitude).toString('hex')}`);
}

/** Big-endian bytes of a non-negative bigint: minimal, or left-padded to `width`. */
export function bytesOfBigint(n: bigint, width = 0): Uint8Array {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (n === 0n) hex = '';
  const b = Buffer.from(hex, 'hex');
  if (b.length >= width) return new Uint8Array(b);
  const out = new Uint8Array(width);
  out.set(b, width - b.length);
  return out;
}
