/**
 * Block padding, after pyca's `cryptography.hazmat.primitives.padding`: PKCS #7 (RFC 5652 §6.3) and
 * ANSI X9.23, each with a `padder()` and an `unpadder()` context (`update`, then `finalize` once).
 *
 * > **Hazmat.** To encrypt data, use `Keyring` (`seal`/`open`) from `coffer` or an AEAD from
 * > `coffer/hazmat/aead`, which need no padding. Unpadding unauthenticated CBC data hands an attacker a
 * > padding oracle: check a MAC over the ciphertext first.
 *
 * **Errors.** Every padding failure (a wrong pad byte, a pad length of 0 or over the block size, input
 * that is not whole blocks) raises the same `RangeError` with the one fixed message `invalid padding`
 * (exported as {@link INVALID_PADDING}): nothing says which check failed. The last block is checked in a
 * fixed sequence of branch-free steps over all its bytes, as pyca does, so the time does not depend on
 * where the padding goes wrong (JavaScript gives no hard constant-time guarantee). Block sizes are in
 * bits, as in pyca: a multiple of 8 from 8 to 2040.
 *
 * Pure code: no node:crypto involved.
 *
 * @example
 * ```ts
 * import { PKCS7 } from 'coffer/hazmat/padding';
 * const padder = new PKCS7(128).padder();
 * const padded = Buffer.concat([padder.update(new TextEncoder().encode('hello')), padder.finalize()]);
 * const unpadder = new PKCS7(128).unpadder();
 * const data = Buffer.concat([unpadder.update(padded), unpadder.finalize()]); // 'hello'
 * ```
 * @module
 */
import { AlreadyFinalized } from '../errors.ts';
import { bytes, integer } from '../internal/bytes.ts';

/** The one message every padding failure carries. */
export const INVALID_PADDING = 'invalid padding';

/** A padding or unpadding context. Single use: after `finalize`, every call throws `AlreadyFinalized`. */
export interface PaddingContext {
  /**
   * Feeds bytes; returns what is ready. A padder passes data straight through (as pyca's); an unpadder
   * holds the last block back, since it may hold the padding.
   */
  update(data: Uint8Array): Uint8Array;
  /** Pads (or checks and strips the padding); returns the last bytes. */
  finalize(): Uint8Array;
}

function blockSizeBits(value: unknown): number {
  // pyca takes range(0, 2041) but panics on 0; a zero-byte block means nothing, so 8 is the floor.
  const bits = integer('blockSize', value, 8, 2040);
  if (bits % 8 !== 0) throw new RangeError(`"blockSize" must be a multiple of 8 bits, got ${bits}`);
  return bits;
}

type Scheme = 'pkcs7' | 'ansix923';

/** 0xff when a < b, else 0, for integers in [0, 256] (the sign bit of a - b, no branch). */
function lessThan(a: number, b: number): number {
  return ((a - b) >> 31) & 0xff;
}

/**
 * The pad length if `block` (one whole block) ends in valid padding, else -1. Every byte of the block is
 * visited in the same order whatever it holds; the verdict is one final comparison.
 */
function padLength(block: Uint8Array, scheme: Scheme): number {
  const n = block.length;
  const pad = block[n - 1] ?? 0;
  let mismatch = 0;
  // i counts back from the last byte; byte i is padding when i < pad. PKCS #7 pads with copies of the
  // length; ANSI X9.23 pads with zeros before the length byte itself (i = 0).
  for (let i = 0; i < n; i++) {
    const b = block[n - 1 - i] ?? 0;
    const inPad = lessThan(i, pad);
    mismatch |= scheme === 'pkcs7' ? inPad & (pad ^ b) : inPad & lessThan(0, i) & b;
  }
  mismatch |= ~lessThan(0, pad) & 0xff; // pad >= 1
  mismatch |= lessThan(n, pad); // pad <= n
  return mismatch === 0 ? pad : -1;
}

/** A fresh array holding a ‖ b: never the caller's memory, even when `a` is empty. */
function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

// As pyca's padders: data passes straight through and only its length is counted; finalize returns the
// padding alone.
class Padder implements PaddingContext {
  readonly #block: number;
  readonly #scheme: Scheme;
  /** Bytes seen so far, modulo the block size; null once finalized. */
  #seen: number | null = 0;

  constructor(blockBytes: number, scheme: Scheme) {
    this.#block = blockBytes;
    this.#scheme = scheme;
  }

  update(data: Uint8Array): Uint8Array {
    const input = bytes('data', data);
    const seen = this.#live();
    this.#seen = (seen + input.length) % this.#block;
    return new Uint8Array(input);
  }

  finalize(): Uint8Array {
    const seen = this.#live();
    this.#seen = null;
    const pad = this.#block - seen; // 1..block: a whole block of padding when aligned
    const out = new Uint8Array(pad);
    if (this.#scheme === 'pkcs7') out.fill(pad);
    out[pad - 1] = pad;
    return out;
  }

  #live(): number {
    if (this.#seen === null) throw new AlreadyFinalized('PaddingContext');
    return this.#seen;
  }
}

class Unpadder implements PaddingContext {
  readonly #block: number;
  readonly #scheme: Scheme;
  #held: Uint8Array | null = new Uint8Array(0);

  constructor(blockBytes: number, scheme: Scheme) {
    this.#block = blockBytes;
    this.#scheme = scheme;
  }

  update(data: Uint8Array): Uint8Array {
    const input = bytes('data', data);
    const held = this.#live();
    const all = join(held, input);
    // Always keep the last block (whole or partial) back: it may hold the padding.
    const blocks = Math.max(Math.floor(all.length / this.#block) - 1, 0);
    this.#held = all.slice(blocks * this.#block);
    return all.subarray(0, blocks * this.#block);
  }

  /** @throws {RangeError} `invalid padding`, whatever is wrong. */
  finalize(): Uint8Array {
    const held = this.#live();
    this.#held = null;
    if (held.length !== this.#block) throw new RangeError(INVALID_PADDING);
    const pad = padLength(held, this.#scheme);
    if (pad < 0) throw new RangeError(INVALID_PADDING);
    return held.slice(0, this.#block - pad);
  }

  #live(): Uint8Array {
    if (this.#held === null) throw new AlreadyFinalized('PaddingContext');
    return this.#held;
  }
}

/**
 * PKCS #7 padding (RFC 5652 §6.3): n bytes of value n, 1 ≤ n ≤ block size; aligned input gains a whole
 * block. Block size in bits (128 for AES, 64 for the 64-bit ciphers).
 * @throws {TypeError} when `blockSize` is not a number. @throws {RangeError} unless it is a multiple of 8
 * between 8 and 2040.
 */
export class PKCS7 {
  /** Block size in bits. */
  readonly blockSize: number;
  constructor(blockSize: number) {
    this.blockSize = blockSizeBits(blockSize);
  }
  padder(): PaddingContext {
    return new Padder(this.blockSize / 8, 'pkcs7');
  }
  /** `finalize` throws `RangeError('invalid padding')` for any bad padding. */
  unpadder(): PaddingContext {
    return new Unpadder(this.blockSize / 8, 'pkcs7');
  }
}

/**
 * ANSI X9.23 padding: n - 1 zero bytes then the byte n, 1 ≤ n ≤ block size; aligned input gains a whole
 * block. Block size in bits.
 * @throws {TypeError} when `blockSize` is not a number. @throws {RangeError} unless it is a multiple of 8
 * between 8 and 2040.
 */
export class ANSIX923 {
  /** Block size in bits. */
  readonly blockSize: number;
  constructor(blockSize: number) {
    this.blockSize = blockSizeBits(blockSize);
  }
  padder(): PaddingContext {
    return new Padder(this.blockSize / 8, 'ansix923');
  }
  /** `finalize` throws `RangeError('invalid padding')` for any bad padding. */
  unpadder(): PaddingContext {
    return new Unpadder(this.blockSize / 8, 'ansix923');
  }
}
