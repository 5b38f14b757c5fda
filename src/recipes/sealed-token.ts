// Sealed tokens, version 1: the cryptography behind Keyring#seal / #open (docs/sealed-token.md).
//
//   Kenc = HKDF-SHA256(IKM = K, salt = "", info = "coffer/v1/sealed-token/xaes-key", L = 32)   once per key
//   C    = HKDF-SHA256(IKM = K, salt = "", info = "coffer/v1/sealed-token/commitment", L = 32)  once per key
//   header = version ‖ key id ‖ N ‖ C                    (N: 24 random bytes)
//   ct ‖ tag = XAES-256-GCM(Kenc, N, plaintext, AAD = header ‖ encodeContext(context))
//
// XAES-256-GCM derives a fresh AES-256-GCM key per token from 96 bits of N and uses the other 96 as the
// IV, so a (key, IV) pair repeats only if all 192 bits of N collide: q² / 2^193 = 2^-97 for q = 2^48 tokens.
// C commits the token to K: a token opens only under a key whose C it carries, and two keys with the same
// C are an HMAC-SHA256 collision.
import { InvalidToken } from '../errors.ts';
import {
  COMMITMENT_BYTES,
  HEADER_BYTES,
  KEY_ID_BYTES,
  NONCE_BYTES,
  OVERHEAD_BYTES,
  parseSealed,
  SEALED_VERSION,
  type SealedParts,
} from '../formats/sealed-token.ts';
import { hkdf, timingSafeEqual } from '../internal/backend.ts';
import { fillRandom } from '../internal/nonce-pool.ts';
import { Xaes256Gcm } from '../internal/xaes.ts';

const encoder = new TextEncoder();
const XAES_INFO = encoder.encode('coffer/v1/sealed-token/xaes-key');
const COMMIT_INFO = encoder.encode('coffer/v1/sealed-token/commitment');
const NO_SALT = new Uint8Array(0);

/** Largest plaintext a sealed token carries: 256 MiB. */
export const MAX_SEALED_PLAINTEXT = 256 * 1024 * 1024;

/** Bytes to leave free at the front of an encoded context: the whole 61-byte header is associated data. */
export const AAD_RESERVE = HEADER_BYTES;

/** The per-key state sealing needs, derived once from the key's 32 bytes. */
export interface SealingKey {
  readonly id: number;
  readonly aead: Xaes256Gcm;
  readonly commitment: Uint8Array;
}

/** Derives a key's sealing state (docs/sealed-token.md §Keys). */
export function sealingKey(id: number, key: Uint8Array): SealingKey {
  const kenc = hkdf('sha256', key, NO_SALT, XAES_INFO, 32);
  const aead = new Xaes256Gcm(kenc);
  kenc.fill(0);
  return { id, aead, commitment: hkdf('sha256', key, NO_SALT, COMMIT_INFO, COMMITMENT_BYTES) };
}

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
  // Every byte is written below (header, ciphertext, tag), so skip the zero-fill; allocUnsafeSlow is never
  // pooled, so the token owns its whole ArrayBuffer.
  const raw = Buffer.allocUnsafeSlow(OVERHEAD_BYTES + plaintext.length);
  const out = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  out[0] = SEALED_VERSION;
  out[1] = key.id >>> 24;
  out[2] = (key.id >>> 16) & 0xff;
  out[3] = (key.id >>> 8) & 0xff;
  out[4] = key.id & 0xff;
  const nonceAt = 1 + KEY_ID_BYTES;
  // fixedNonce exists only for the committed test vectors (scripts/gen-sealed-vectors.ts).
  if (fixedNonce === undefined) fillRandom(out, nonceAt, NONCE_BYTES);
  else out.set(fixedNonce.subarray(0, NONCE_BYTES), nonceAt);
  out.set(key.commitment, nonceAt + NONCE_BYTES);
  const header = out.subarray(0, HEADER_BYTES);
  aad.set(header, 0);
  key.aead.sealInto(out.subarray(nonceAt, nonceAt + NONCE_BYTES), plaintext, aad, out, HEADER_BYTES);
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
  if (parts.keyId !== key.id || !timingSafeEqual(parts.commitment, key.commitment)) throw new InvalidToken();
  aad.set(parts.header, 0);
  const pt = key.aead.open(parts.nonce, parts.ciphertext, parts.tag, aad);
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
