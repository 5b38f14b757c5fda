// Sealed tokens, version 1: the cryptography behind Keyring#seal / #open (docs/sealed-token.md).
//
//   PRK      = HKDF-Extract-SHA512(salt = "coffer/v1/sealed-token", IKM = K)            (once per key)
//   OKM      = HKDF-Expand-SHA512(PRK, info = "coffer/v1/sealed-token" ‖ header, L = 64)  (one HMAC block)
//   Kmsg     = OKM[0..32]        per-message AES-256-GCM key
//   C        = OKM[32..64]       key commitment, stored in the token
//   IV       = N[12..24]
//   AAD      = header ‖ encodeContext(context)
//
// header = version ‖ key id ‖ N, with N 24 random bytes. A fresh key per message makes GCM's nonce limit
// moot; the only collision that matters is of all 192 bits of N: for q = 2^48 tokens under one key,
// q² / 2^193 = 2^-97. C commits the token to K: opening under another key needs an HMAC-SHA512 collision.
import { InvalidToken } from '../errors.ts';
import {
  COMMITMENT_BYTES,
  encodeContext,
  HEADER_BYTES,
  KEY_ID_BYTES,
  NONCE_BYTES,
  OVERHEAD_BYTES,
  parseSealed,
  SEALED_VERSION,
  type SealedParts,
  TAG_BYTES,
} from '../formats/sealed-token.ts';
import {
  createHmac,
  gcmDecrypt,
  gcmEncrypt,
  hmac,
  type KeyInput,
  keyHandle,
  timingSafeEqual,
} from '../internal/backend.ts';
import { fillRandom } from '../internal/nonce-pool.ts';

const LABEL = new TextEncoder().encode('coffer/v1/sealed-token');
const INFO_BYTES = LABEL.length + 1 + KEY_ID_BYTES + NONCE_BYTES + 1;

/** Largest plaintext a sealed token carries: 256 MiB. */
export const MAX_SEALED_PLAINTEXT = 256 * 1024 * 1024;

/** The per-key state sealing needs: the key id and the HKDF pseudorandom key derived from the key. */
export interface SealingKey {
  readonly id: number;
  /** A KeyObject handle (see keyHandle): node keeps the bytes; they cannot be wiped from JavaScript. */
  readonly prk: KeyInput;
}

/** HKDF-Extract-SHA512 with the fixed v1 salt, as a key handle for the per-token HMAC. */
export function derivePrk(key: Uint8Array): KeyInput {
  const out = hmac('sha512', LABEL, key);
  const handle = keyHandle(out);
  out.fill(0);
  return handle;
}

// info ‖ 0x01 for HKDF-Expand's single 64-byte block. One scratch buffer serves every call: the work is
// synchronous, and only the public header is written into it.
const info = new Uint8Array(INFO_BYTES);
info.set(LABEL, 0);
info[INFO_BYTES - 1] = 0x01;

function expand(prk: KeyInput, header: Uint8Array): Buffer {
  info.set(header, LABEL.length);
  return createHmac('sha512', prk).update(info).digest();
}

/** Bytes to leave free at the front of an encoded context for `sealWithAad`/`openWithAad`. */
export const AAD_RESERVE = HEADER_BYTES - COMMITMENT_BYTES; // 29: version, key id, nonce

/**
 * Seals `plaintext` under `key`. `aad` is the encoded context with AAD_RESERVE free bytes in front
 * (`encodeContextEntries(names, values, AAD_RESERVE)`); the header is written there, so the buffer becomes
 * the associated data without a copy. Returns the binary token.
 */
export function sealWithAad(
  key: SealingKey,
  plaintext: Uint8Array,
  aad: Uint8Array,
  fixedNonce?: Uint8Array,
): Uint8Array {
  const n = plaintext.length;
  const out = new Uint8Array(OVERHEAD_BYTES + n);
  out[0] = SEALED_VERSION;
  out[1] = key.id >>> 24;
  out[2] = (key.id >>> 16) & 0xff;
  out[3] = (key.id >>> 8) & 0xff;
  out[4] = key.id & 0xff;
  // fixedNonce exists only for the committed test vectors (scripts/gen-sealed-vectors.ts).
  if (fixedNonce === undefined) fillRandom(out, 1 + KEY_ID_BYTES, NONCE_BYTES);
  else out.set(fixedNonce.subarray(0, NONCE_BYTES), 1 + KEY_ID_BYTES);
  const header = out.subarray(0, AAD_RESERVE);
  aad.set(header, 0);
  const okm = expand(key.prk, header);
  out.set(okm.subarray(32, 64), AAD_RESERVE);
  const [ct, tag] = gcmEncrypt(
    'aes-256-gcm',
    okm.subarray(0, 32),
    header.subarray(AAD_RESERVE - 12),
    plaintext,
    aad,
  );
  okm.fill(0);
  out.set(ct, HEADER_BYTES);
  out.set(tag, HEADER_BYTES + n);
  return out;
}

/**
 * Opens a binary token whose key id the caller has already matched to `key`; `aad` as for `sealWithAad`.
 * @throws {InvalidToken} on any failure.
 */
export function openWithAad(key: SealingKey, token: Uint8Array, aad: Uint8Array): Uint8Array {
  const parts = parseSealed(token);
  if (parts === null) throw new InvalidToken();
  return openParts(key, parts, aad);
}

/** `openWithAad` for a token already split by `parseSealed`. */
export function openParts(key: SealingKey, parts: SealedParts, aad: Uint8Array): Uint8Array {
  if (parts.keyId !== key.id) throw new InvalidToken();
  const okm = expand(key.prk, parts.header);
  if (!timingSafeEqual(okm.subarray(32, 64), parts.commitment)) {
    okm.fill(0);
    throw new InvalidToken();
  }
  aad.set(parts.header, 0);
  const iv = parts.header.subarray(AAD_RESERVE - 12);
  const pt = gcmDecrypt('aes-256-gcm', okm.subarray(0, 32), iv, parts.ciphertext, parts.tag, aad);
  okm.fill(0);
  if (pt === null) throw new InvalidToken();
  return pt.constructor === Uint8Array ? pt : new Uint8Array(pt.buffer, pt.byteOffset, pt.byteLength);
}

function withRoom(context: Uint8Array): Uint8Array {
  const aad = new Uint8Array(AAD_RESERVE + context.length);
  aad.set(context, AAD_RESERVE);
  return aad;
}

/** `sealWithAad` for an encoded context without reserved room (tests, vector generation). */
export function sealRaw(
  key: SealingKey,
  plaintext: Uint8Array,
  context: Uint8Array,
  fixedNonce?: Uint8Array,
): Uint8Array {
  return sealWithAad(key, plaintext, withRoom(context), fixedNonce);
}

/** `openWithAad` for an encoded context without reserved room. */
export function openRaw(key: SealingKey, token: Uint8Array, context: Uint8Array): Uint8Array {
  return openWithAad(key, token, withRoom(context));
}

export { encodeContext };
