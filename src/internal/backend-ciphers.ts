// The node:crypto (OpenSSL) calls behind coffer/hazmat/ciphers and coffer/hazmat/decrepit, kept apart from
// backend.ts so the symmetric-cipher surface can change on its own. Nothing here chooses an algorithm or
// checks a parameter: src/internal/cipher.ts does that and asks for an OpenSSL cipher by name.
import * as nc from 'node:crypto';
import type { KeyInput } from './backend.ts';

// getCiphers() lists what the loaded providers offer: on Node 20 (OpenSSL 3.0) and Node 24 (OpenSSL 3.5)
// Blowfish, CAST5 and SEED sit in the "legacy" provider and appear only under --openssl-legacy-provider.
const offered = new Set(nc.getCiphers().map((name) => name.toLowerCase()));

/** True when this runtime's OpenSSL offers the cipher (`'aes-256-gcm'`, `'bf-cbc'`, ...). */
export function hasCipher(name: string): boolean {
  return offered.has(name);
}

/**
 * OpenSSL's block size for the cipher in bytes: 16 for AES-CBC and -ECB, 8 for the 64-bit block ciphers
 * in CBC and ECB, 1 for every stream-like mode (CTR, OFB, CFB, CFB8, GCM, XTS) and for ChaCha20.
 */
export function cipherBlockBytes(name: string): number {
  let size = blockSizes.get(name);
  if (size === undefined) {
    size = nc.getCipherInfo(name)?.blockSize ?? 1;
    blockSizes.set(name, size);
  }
  return size;
}
const blockSizes = new Map<string, number>();

// Node 24 copies raw key bytes into OpenSSL expensively on every createCipheriv (see keyHandle in
// backend.ts: AES-256-GCM 34 µs with raw bytes vs 7.9 µs with a KeyObject at 64 bytes); Node 20 and 22
// cost about the same either way, and createSecretKey itself costs ~4 µs there. So a cipher key becomes a
// KeyObject once, on the runtimes where that pays.
const wrapKeys = Number(process.versions.node.split('.')[0]) >= 24;

/** The form of a cipher key to keep for repeated use: a KeyObject on Node 24+, the bytes elsewhere. */
export function cipherKeyHandle(key: Uint8Array): KeyInput {
  return wrapKeys ? nc.createSecretKey(key) : key;
}

/** The part of node's Cipher/Decipher objects coffer uses. Padding is always off: it is coffer's job. */
export interface RawCipher {
  update(data: Uint8Array): Buffer;
  final(): Buffer;
}

/** A GCM encryption or decryption context. */
export interface RawGcm extends RawCipher {
  setAAD(data: Uint8Array): unknown;
  getAuthTag(): Buffer;
  setAuthTag(tag: Uint8Array): unknown;
}

/**
 * A fresh OpenSSL context for `name`. `iv` is null for ECB. `authTagLength` is for GCM: the tag length
 * node must expect (4, 8 or 12 to 16 bytes); it is always 16 for encryption.
 */
export function createRawCipher(
  name: string,
  key: KeyInput,
  iv: Uint8Array | null,
  decrypt: boolean,
  authTagLength?: number,
): RawCipher {
  const options = authTagLength === undefined ? undefined : { authTagLength };
  // The casts pick node's overload for a name string: its GCM-typed overloads want literal names.
  const ctx = decrypt
    ? nc.createDecipheriv(name, key as nc.CipherKey, iv, options as never)
    : nc.createCipheriv(name, key as nc.CipherKey, iv, options as never);
  ctx.setAutoPadding(false);
  return ctx as unknown as RawCipher;
}

/** `ctx.final()`, or null when OpenSSL refuses to finish (a GCM tag that does not verify). */
export function finalOrNull(ctx: RawCipher): Buffer | null {
  try {
    return ctx.final();
  } catch {
    return null;
  }
}
