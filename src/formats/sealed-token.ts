// The sealed-token wire format (docs/sealed-token.md), version 1. Pure: layout only, no keys, no policy.
//
//   offset  size  field
//   0       1     version = 0x01
//   1       4     key id (big-endian uint32; shown as 8 lowercase hex digits)
//   5       24    nonce N (random)
//   29      32    key commitment C
//   61      n     AES-256-GCM ciphertext
//   61+n    16    GCM tag
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
  /** The first 29 bytes (version, key id, nonce): authenticated as associated data. */
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
    header: token.subarray(0, 1 + KEY_ID_BYTES + NONCE_BYTES),
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

const encoder = new TextEncoder();

function u32(n: number): Uint8Array {
  return Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/**
 * Canonical encoding of a context map (docs/sealed-token.md §Context): the entries sorted by the UTF-8
 * bytes of their names, each name and value length-prefixed (uint32 BE), after a count. Injective: no two
 * different maps encode alike.
 */
export function encodeContext(
  context: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): Uint8Array {
  const entries = (context instanceof Map ? [...context.entries()] : Object.entries(context)).map(
    ([k, v]) => [encoder.encode(k), encoder.encode(v)] as const,
  );
  entries.sort((a, b) => Buffer.compare(a[0], b[0]));
  let size = 4;
  for (const [k, v] of entries) size += 8 + k.length + v.length;
  const out = new Uint8Array(size);
  out.set(u32(entries.length), 0);
  let o = 4;
  for (const [k, v] of entries) {
    out.set(u32(k.length), o);
    out.set(k, o + 4);
    o += 4 + k.length;
    out.set(u32(v.length), o);
    out.set(v, o + 4);
    o += 4 + v.length;
  }
  return out;
}
