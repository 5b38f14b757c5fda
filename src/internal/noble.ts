// The adapter over @noble/ciphers (audited, pinned exactly), used only for what Node 20's OpenSSL does not
// offer through node:crypto: AES-SIV (RFC 5297), AES-GCM-SIV (RFC 8452), XChaCha20-Poly1305, and the
// incremental AES-CMAC and Poly1305 states. A plain list of small functions; callers validate every size
// first.
//
// noble cipher objects refuse a second encrypt() and keep references to the key and AAD arrays, so each
// call builds its own. Its decrypt() throws a plain Error on a bad tag and releases nothing; these
// functions turn that into null. All parameters were checked by the caller, so any throw from decrypt
// is an authentication failure.
import { poly1305 } from '@noble/ciphers/_poly1305.js';
import { aessiv, cmac, gcmsiv } from '@noble/ciphers/aes.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';

/** An incremental MAC state: `update` any number of times, then `digest` once; `destroy` wipes it. */
export interface NobleMac {
  update(data: Uint8Array): unknown;
  digest(): Uint8Array;
  destroy(): void;
}

/** AES-CMAC (NIST SP 800-38B) state for a 16-, 24- or 32-byte key. */
export function cmacState(key: Uint8Array): NobleMac {
  return cmac.create(key);
}

/** Poly1305 (RFC 8439 §2.5) state for a 32-byte one-time key. */
export function poly1305State(key: Uint8Array): NobleMac {
  return poly1305.create(key);
}

/** RFC 5297 §2.6: SIV ‖ ciphertext. `associatedData` holds at most 126 components (§7). */
export function aesSivSeal(key: Uint8Array, associatedData: Uint8Array[], plaintext: Uint8Array): Uint8Array {
  return aessiv(key, ...associatedData).encrypt(plaintext);
}

/** RFC 5297 §2.7; null when the SIV does not verify. */
export function aesSivOpen(
  key: Uint8Array,
  associatedData: Uint8Array[],
  ciphertext: Uint8Array,
): Uint8Array | null {
  try {
    return aessiv(key, ...associatedData).decrypt(ciphertext);
  } catch {
    return null;
  }
}

/** RFC 8452 §4: ciphertext ‖ tag. */
export function aesGcmSivSeal(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array | undefined,
): Uint8Array {
  return gcmsiv(key, nonce, aad).encrypt(plaintext);
}

/** RFC 8452 §5; null when the tag does not verify. */
export function aesGcmSivOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  aad: Uint8Array | undefined,
): Uint8Array | null {
  try {
    return gcmsiv(key, nonce, aad).decrypt(ciphertext);
  } catch {
    return null;
  }
}

/** XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03): ciphertext ‖ tag. */
export function xChaChaSeal(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array | undefined,
): Uint8Array {
  return xchacha20poly1305(key, nonce, aad).encrypt(plaintext);
}

/** XChaCha20-Poly1305; null when the tag does not verify. */
export function xChaChaOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  aad: Uint8Array | undefined,
): Uint8Array | null {
  try {
    return xchacha20poly1305(key, nonce, aad).decrypt(ciphertext);
  } catch {
    return null;
  }
}
