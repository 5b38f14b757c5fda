/**
 * Strict hex, base64 and base64url. Node's `Buffer.from(s, 'base64')` silently skips bad characters and
 * accepts non-zero trailing bits; these decoders reject anything that does not re-encode to the same text,
 * so that one value has exactly one encoding.
 *
 * @example
 * ```ts
 * import { hexDecode, base64urlEncode } from 'coffer/encoding';
 * base64urlEncode(hexDecode('fb ff'.replace(' ', ''))); // '-_8'
 * ```
 * @module
 */
import { DecodeError } from '../errors.ts';
import { bytes, plainObject, string } from '../internal/bytes.ts';

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const B64URL_PADDED = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$/;
const B64URL_UNPADDED = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2,3})?$/;

// Small Buffers come from Node's shared pool; hand out a private copy so that decoded (possibly secret)
// bytes never share an ArrayBuffer with unrelated data.
function view(buf: Buffer): Uint8Array {
  if (buf.byteOffset === 0 && buf.buffer.byteLength === buf.byteLength) {
    return new Uint8Array(buf.buffer, 0, buf.byteLength);
  }
  return new Uint8Array(buf);
}

function fromBytes(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Lowercase hex. */
export function hexEncode(data: Uint8Array): string {
  return fromBytes(bytes('data', data)).toString('hex');
}

/**
 * Decodes hex (either case). Rejects odd lengths and any non-hex character, including whitespace.
 * @throws {DecodeError} on malformed input. @throws {TypeError} when `text` is not a string.
 */
export function hexDecode(text: string): Uint8Array {
  string('text', text);
  if (!HEX.test(text)) throw new DecodeError('invalid hex: expected an even number of hex digits');
  return view(Buffer.from(text, 'hex'));
}

/** Standard base64 (RFC 4648 §4) with padding. */
export function base64Encode(data: Uint8Array): string {
  return fromBytes(bytes('data', data)).toString('base64');
}

/**
 * Decodes padded standard base64. Rejects missing padding, whitespace, the url-safe alphabet and
 * non-zero trailing bits.
 * @throws {DecodeError} on malformed input. @throws {TypeError} when `text` is not a string.
 */
export function base64Decode(text: string): Uint8Array {
  string('text', text);
  if (!B64.test(text)) throw new DecodeError('invalid base64');
  const buf = Buffer.from(text, 'base64');
  if (buf.toString('base64') !== text) throw new DecodeError('invalid base64: non-canonical encoding');
  return view(buf);
}

export interface Base64urlOptions {
  /** `'none'` (default when encoding): no `=`. `'required'`: must be padded. `'optional'` (default when decoding): either. */
  padding?: 'none' | 'required' | 'optional';
}

function paddingOption(options: unknown): Base64urlOptions['padding'] {
  const padding = plainObject('options', options).padding;
  if (padding !== undefined && padding !== 'none' && padding !== 'required' && padding !== 'optional') {
    throw new TypeError(`"padding" must be 'none', 'required' or 'optional'`);
  }
  return padding as Base64urlOptions['padding'];
}

/**
 * base64url (RFC 4648 §5), unpadded unless `{ padding: 'required' }`.
 * @throws {TypeError} when `data` is not a Uint8Array or `options.padding` is not a padding mode.
 */
export function base64urlEncode(data: Uint8Array, options: Base64urlOptions = {}): string {
  const s = fromBytes(bytes('data', data)).toString('base64url');
  if (paddingOption(options) === 'required') return s + '='.repeat((4 - (s.length % 4)) % 4);
  return s;
}

/**
 * Decodes base64url. Padding is accepted when correct (unless `padding: 'none'`), required with
 * `padding: 'required'`. Rejects the standard alphabet's `+` and `/`, whitespace and non-zero trailing bits.
 * @throws {DecodeError} on malformed input. @throws {TypeError} when `text` is not a string.
 */
export function base64urlDecode(text: string, options: Base64urlOptions = {}): Uint8Array {
  string('text', text);
  const padding = paddingOption(options) ?? 'optional';
  const padded = text.endsWith('=');
  // With 'required', text whose length is a multiple of 4 needs no '=' (and the empty string is valid).
  const ok =
    (padded && padding !== 'none' && B64URL_PADDED.test(text)) ||
    (!padded && padding !== 'required' && B64URL_UNPADDED.test(text)) ||
    (!padded && padding === 'required' && B64URL_PADDED.test(text));
  if (!ok) throw new DecodeError('invalid base64url');
  const buf = Buffer.from(text, 'base64url');
  const canonical = buf.toString('base64url');
  const expect = padded ? text.replace(/=+$/, '') : text;
  if (canonical !== expect) throw new DecodeError('invalid base64url: non-canonical encoding');
  return view(buf);
}

// base32 (RFC 4648 §6, for otpauth secrets) lives in its own file; coffer/encoding is its public home.
export { type Base32Options, base32Decode, base32Encode, MAX_BASE32_LENGTH } from './base32.ts';
