// The Fernet token layout (the Fernet spec, github.com/fernet/spec, version 0x80). Pure: layout
// and text encoding only, no keys, no clock, no policy. The recipe (src/recipes/fernet.ts) adds the HMAC,
// the cipher and the time checks.
//
//   offset  size   field
//   0       1      version = 0x80
//   1       8      timestamp (unsigned 64-bit big-endian, seconds since the Unix epoch)
//   9       16     IV
//   25      16·k   AES-128-CBC ciphertext of the PKCS#7-padded message, k >= 1
//   25+16k  32     HMAC-SHA256 of every byte before it
//
// The text form is base64url (RFC 4648 §5) WITH padding, as pyca writes it.
//
// Decoding is strict where pyca's is lenient. pyca hands the text to Python's non-strict base64 decoder,
// which skips whitespace and any other character outside the alphabet, takes '+' and '/' as well as '-'
// and '_', ignores non-zero trailing bits and ignores anything after the first complete padding. Those
// variants all decode to the same bytes and carry a valid HMAC, so pyca accepts many spellings of one
// token. We accept exactly one: the canonical padded base64url that pyca (and we) write. Every token a
// conforming implementation produces is accepted; the other spellings are rejected like any bad token.
import { constants } from 'node:buffer';

/** The first byte of every token: version 0x80, the only one defined. */
export const FERNET_VERSION = 0x80;
/** Where the 8-byte big-endian timestamp starts. */
export const TIMESTAMP_OFFSET = 1;
/** Where the 16-byte IV starts. */
export const IV_OFFSET = 9;
export const IV_BYTES = 16;
/** Where the ciphertext starts; it runs to the HMAC. */
export const CIPHERTEXT_OFFSET = 25;
/** The AES block size: the ciphertext is a whole number of blocks. */
export const BLOCK_BYTES = 16;
/** The HMAC-SHA256 at the end of every token. */
export const HMAC_BYTES = 32;
/** Everything but the ciphertext: version, timestamp, IV, HMAC (57 bytes). */
export const OVERHEAD_BYTES = CIPHERTEXT_OFFSET + HMAC_BYTES;
/** The smallest well-formed token: overhead plus one cipher block (73 bytes, 100 characters). */
export const MIN_TOKEN_BYTES = OVERHEAD_BYTES + BLOCK_BYTES;

/**
 * The longest token text handled, in characters (or bytes, for a token given as bytes): the runtime's
 * longest string (2^29 - 24 on 64-bit V8, about 512 MiB). Decoding costs one pass over the text.
 */
export const MAX_TOKEN_LENGTH: number = constants.MAX_STRING_LENGTH;

/** The longest message whose token text fits in `MAX_TOKEN_LENGTH` characters (about 384 MiB). */
export const MAX_PLAINTEXT_BYTES: number =
  Math.floor((Math.floor(MAX_TOKEN_LENGTH / 4) * 3 - OVERHEAD_BYTES) / BLOCK_BYTES) * BLOCK_BYTES - 1;

const PADDING = ['', '==', '='] as const;
/** Any UTF-16 code unit above U+00FF. */
const WIDE = /[\u0100-\uffff]/;

// Value of each base64url character, -1 for anything else. Only used for the last data character.
const SEXTET = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].entries()) {
  SEXTET[c.charCodeAt(0)] = i;
}

/** Bytes in the token of a `plaintextLength`-byte message (PKCS#7 always adds 1 to 16 bytes). */
export function tokenByteLength(plaintextLength: number): number {
  return OVERHEAD_BYTES + (Math.floor(plaintextLength / BLOCK_BYTES) + 1) * BLOCK_BYTES;
}

/**
 * Writes the version and the timestamp into `out[0..9]`. `timestamp` must be an integer in
 * [0, 2^64 - 1]; a `number` must also be a safe integer (callers check at their boundary).
 */
export function writeHeader(out: Uint8Array, timestamp: number | bigint): void {
  out[0] = FERNET_VERSION;
  if (typeof timestamp === 'bigint') {
    new DataView(out.buffer, out.byteOffset + TIMESTAMP_OFFSET, 8).setBigUint64(0, timestamp);
    return;
  }
  const hi = Math.floor(timestamp / 0x1_0000_0000);
  const lo = timestamp >>> 0;
  out[1] = hi >>> 24;
  out[2] = (hi >>> 16) & 0xff;
  out[3] = (hi >>> 8) & 0xff;
  out[4] = hi & 0xff;
  out[5] = lo >>> 24;
  out[6] = (lo >>> 16) & 0xff;
  out[7] = (lo >>> 8) & 0xff;
  out[8] = lo & 0xff;
}

/**
 * The timestamp as a number: exact up to `Number.MAX_SAFE_INTEGER` (the year 285 million), rounded
 * above. Use `readTimestampBig` when `Number.isSafeInteger` of the result is false.
 */
export function readTimestamp(token: Uint8Array): number {
  const hi = ((token[1]! << 24) | (token[2]! << 16) | (token[3]! << 8) | token[4]!) >>> 0;
  const lo = ((token[5]! << 24) | (token[6]! << 16) | (token[7]! << 8) | token[8]!) >>> 0;
  return hi * 0x1_0000_0000 + lo;
}

/** The timestamp, exactly. */
export function readTimestampBig(token: Uint8Array): bigint {
  return new DataView(token.buffer, token.byteOffset + TIMESTAMP_OFFSET, 8).getBigUint64(0);
}

/** Offset of the HMAC field in a well-formed token (everything before it is what the HMAC covers). */
export function hmacOffset(token: Uint8Array): number {
  return token.length - HMAC_BYTES;
}

/** Padded base64url text of the token's bytes. */
export function encodeTokenBytes(token: Uint8Array): string {
  const buf = Buffer.isBuffer(token) ? token : Buffer.from(token.buffer, token.byteOffset, token.byteLength);
  return buf.toString('base64url') + PADDING[token.length % 3]!;
}

/**
 * Decodes token text to bytes and checks the layout: canonical padded base64url, version 0x80, at least
 * one cipher block, whole blocks. Returns null for anything else. Never looks at the HMAC.
 */
export function decodeTokenText(text: string): Uint8Array | null {
  const length = text.length;
  if (length % 4 !== 0 || length < 4 || length > MAX_TOKEN_LENGTH) return null;
  const pad = text.charCodeAt(length - 1) === 0x3d ? (text.charCodeAt(length - 2) === 0x3d ? 2 : 1) : 0;
  const expected = (length / 4) * 3 - pad;
  if (expected < MIN_TOKEN_BYTES || (expected - OVERHEAD_BYTES) % BLOCK_BYTES !== 0) return null;
  // The last data character may carry only zero bits past the final byte (RFC 4648 §3.5).
  const last = SEXTET[text.charCodeAt(length - 1 - pad)] ?? -1;
  if (last < 0 || (pad === 2 && (last & 0x0f) !== 0) || (pad === 1 && (last & 0x03) !== 0)) return null;
  // Node's decoder reads a character above U+00FF by its low byte ('ū', U+016B, would pass for 'k'), and
  // takes '+' and '/' as well as '-' and '_': refuse those here. (V8 answers WIDE at once for a string
  // with no such character, whatever its length.)
  if (WIDE.test(text) || text.indexOf('+') !== -1 || text.indexOf('/') !== -1) return null;
  // Any other character outside the alphabet (whitespace, '=' before the end, '%', U+0080..U+00FF) is
  // skipped by the decoder or ends the decoding, so the result comes up short of `expected`. The tests
  // try every character up to U+01FF in every position of a token to hold the runtime to this.
  const token = Buffer.from(text, 'base64url');
  if (token.length !== expected || token[0] !== FERNET_VERSION) return null;
  return token;
}

/** The fields of a token, as views into its bytes. */
export interface FernetTokenFields {
  /** Seconds since the Unix epoch, exactly (unsigned 64-bit). */
  readonly timestamp: bigint;
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly hmac: Uint8Array;
}

/**
 * Assembles token text from its fields. The general-purpose encoder, for tests and tools; the recipe
 * builds tokens in place with `writeHeader` and `encodeTokenBytes`.
 * @throws {RangeError} when a field has the wrong size or the timestamp is out of range.
 */
export function encodeFernetToken(fields: FernetTokenFields): string {
  const { timestamp, iv, ciphertext, hmac } = fields;
  if (typeof timestamp !== 'bigint' || timestamp < 0n || timestamp > 0xffff_ffff_ffff_ffffn) {
    throw new RangeError('"timestamp" must be a bigint in [0, 2^64 - 1]');
  }
  if (iv.length !== IV_BYTES) throw new RangeError(`"iv" must be ${IV_BYTES} bytes, got ${iv.length}`);
  if (ciphertext.length === 0 || ciphertext.length % BLOCK_BYTES !== 0) {
    throw new RangeError(`"ciphertext" must be a non-zero multiple of 16 bytes, got ${ciphertext.length}`);
  }
  if (hmac.length !== HMAC_BYTES)
    throw new RangeError(`"hmac" must be ${HMAC_BYTES} bytes, got ${hmac.length}`);
  const out = Buffer.allocUnsafe(OVERHEAD_BYTES + ciphertext.length);
  writeHeader(out, timestamp);
  out.set(iv, IV_OFFSET);
  out.set(ciphertext, CIPHERTEXT_OFFSET);
  out.set(hmac, CIPHERTEXT_OFFSET + ciphertext.length);
  return encodeTokenBytes(out);
}

/** Decodes token text into its fields (views, no copies); null for anything `decodeTokenText` rejects. */
export function parseFernetToken(text: string): FernetTokenFields | null {
  const token = decodeTokenText(text);
  if (token === null) return null;
  const mac = hmacOffset(token);
  return {
    timestamp: readTimestampBig(token),
    iv: token.subarray(IV_OFFSET, CIPHERTEXT_OFFSET),
    ciphertext: token.subarray(CIPHERTEXT_OFFSET, mac),
    hmac: token.subarray(mac),
  };
}
