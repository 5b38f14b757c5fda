// The sealed-token wire format (docs/sealed-token.md), version 1. Pure: layout only, no keys, no policy.
//
//   offset  size  field
//   0       1     version = 0x01
//   1       4     key id (big-endian uint32; shown as 8 lowercase hex digits)
//   5       24    nonce N (random)
//   29      32    key commitment C
//   61      n     XAES-256-GCM ciphertext
//   61+n    16    XAES-256-GCM tag
//
// The text form is the unpadded base64url of those bytes.

export const SEALED_VERSION = 0x01;
export const KEY_ID_BYTES = 4;
export const NONCE_BYTES = 24;
export const COMMITMENT_BYTES = 32;
export const TAG_BYTES = 16;
export const HEADER_BYTES = 1 + KEY_ID_BYTES + NONCE_BYTES + COMMITMENT_BYTES; // 61
export const OVERHEAD_BYTES = HEADER_BYTES + TAG_BYTES; // 77

/** A key id as it appears in tokens and metadata: 8 lowercase hex digits. */
export const KEY_ID_PATTERN = /^[0-9a-f]{8}$/;

export interface SealedParts {
  /** The first 61 bytes (version, key id, nonce, commitment): the start of the associated data. */
  readonly header: Uint8Array;
  readonly keyId: number;
  readonly nonce: Uint8Array;
  readonly commitment: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

/** Splits a binary token into views (no copies). Returns null for anything that is not a v1 token. */
export function parseSealed(token: Uint8Array): SealedParts | null {
  if (token.length < OVERHEAD_BYTES || token[0] !== SEALED_VERSION) return null;
  const keyId = ((token[1]! << 24) | (token[2]! << 16) | (token[3]! << 8) | token[4]!) >>> 0;
  const end = token.length - TAG_BYTES;
  return {
    header: token.subarray(0, HEADER_BYTES),
    keyId,
    nonce: token.subarray(1 + KEY_ID_BYTES, 1 + KEY_ID_BYTES + NONCE_BYTES),
    commitment: token.subarray(1 + KEY_ID_BYTES + NONCE_BYTES, HEADER_BYTES),
    ciphertext: token.subarray(HEADER_BYTES, end),
    tag: token.subarray(end),
  };
}

/** Reads only the version and key id. Returns null when the bytes are not a v1 token. */
export function peekKeyId(token: Uint8Array): number | null {
  return parseSealed(token)?.keyId ?? null;
}

/** Writes version, key id and nonce into `out[0..29]`. */
export function writeHeader(out: Uint8Array, keyId: number, nonce: Uint8Array): void {
  out[0] = SEALED_VERSION;
  out[1] = keyId >>> 24;
  out[2] = (keyId >>> 16) & 0xff;
  out[3] = (keyId >>> 8) & 0xff;
  out[4] = keyId & 0xff;
  out.set(nonce, 1 + KEY_ID_BYTES);
}

export function formatKeyId(id: number): string {
  return id.toString(16).padStart(8, '0');
}

export function parseKeyId(text: string): number | null {
  return KEY_ID_PATTERN.test(text) ? Number.parseInt(text, 16) : null;
}

// Code-unit order equals UTF-8 byte order unless a surrogate (U+D800..U+DFFF) meets U+E000..U+FFFF, so
// names without any code unit >= U+D800 are sorted as plain strings and the rest by their UTF-8 bytes.
const HIGH = /[\uD800-\uFFFF]/;

function byUtf8(a: string, b: string): number {
  if (!HIGH.test(a) && !HIGH.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The encoded size of a context, without encoding it. */
export function contextSize(names: readonly string[], values: readonly string[]): number {
  let size = 4;
  for (let i = 0; i < names.length; i++) {
    size += 8 + Buffer.byteLength(names[i]!, 'utf8') + Buffer.byteLength(values[i]!, 'utf8');
  }
  return size;
}

/**
 * Canonical encoding of a context (docs/sealed-token.md §Context): a count, then the entries sorted by the
 * UTF-8 bytes of their names, each name and value length-prefixed (uint32 BE). Injective for well-formed
 * strings (callers reject lone surrogates). `reserve` bytes are left at the front, so a caller can write
 * a header there and use the whole buffer as associated data without another copy. Hot path: one
 * allocation of an upper bound (3 bytes per UTF-16 unit), and a view of the used part.
 */
export function encodeContextEntries(
  names: readonly string[],
  values: readonly string[],
  reserve = 0,
): Uint8Array {
  const count = names.length;
  let bound = reserve + 4;
  let high = false;
  for (let i = 0; i < count; i++) {
    const k = names[i]!;
    bound += 8 + 3 * (k.length + values[i]!.length);
    for (let j = 0; !high && j < k.length; j++) if (k.charCodeAt(j) >= 0xd800) high = true;
  }
  // Insertion sort of the indices: contexts are a handful of fields.
  const order: number[] = [];
  for (let i = 0; i < count; i++) {
    let at = order.length;
    while (at > 0 && compareNames(names[order[at - 1]!]!, names[i]!, high) > 0) at--;
    order.splice(at, 0, i);
  }
  const out = new Uint8Array(bound);
  let o = writeU32(out, reserve, count);
  for (let n = 0; n < count; n++) {
    const i = order[n]!;
    o = writeString(out, o, names[i]!);
    o = writeString(out, o, values[i]!);
  }
  return out.subarray(0, o);
}

function compareNames(a: string, b: string, high: boolean): number {
  if (high) return byUtf8(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
}

function writeU32(out: Uint8Array, at: number, n: number): number {
  out[at] = n >>> 24;
  out[at + 1] = (n >>> 16) & 0xff;
  out[at + 2] = (n >>> 8) & 0xff;
  out[at + 3] = n & 0xff;
  return at + 4;
}

const utf8 = new TextEncoder();

// u32(len) ‖ UTF-8 bytes; short ASCII strings (the usual table, column and id names) without TextEncoder.
function writeString(out: Uint8Array, at: number, s: string): number {
  const start = at + 4;
  let len = s.length;
  let ascii = len <= 64;
  for (let i = 0; ascii && i < len; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) ascii = false;
    else out[start + i] = c;
  }
  if (!ascii) len = utf8.encodeInto(s, out.subarray(start)).written;
  writeU32(out, at, len);
  return start + len;
}

/** `encodeContextEntries` for a plain object or a Map of strings. */
export function encodeContext(
  context: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): Uint8Array {
  const entries = context instanceof Map ? [...context.entries()] : Object.entries(context);
  return encodeContextEntries(
    entries.map((e) => e[0]),
    entries.map((e) => e[1]),
  );
}
