// XAES-256-GCM (C2SP, https://c2sp.org/XAES-256-GCM): AES-256-GCM with a 192-bit nonce, through a per-message
// key derived with NIST SP 800-108r1 counter-mode KDF over AES-256-CMAC. Every AES call is OpenSSL's:
// the derivation is three single-block AES-256 encryptions (one amortized per key), composed here exactly
// as the C2SP document's "Detailed key derivation algorithm" lays out. With the native addon loaded
// (src/internal/native.ts) the same steps run in C over the same OpenSSL calls (AES-256-ECB for the
// derivation, then AES-256-GCM), in one call per message.
import { aesEcbEncryptor, gcmDecrypt, gcmEncrypt } from './backend.ts';
import { NativeAead, native } from './native.ts';

export const XAES_KEY_BYTES = 32;
export const XAES_NONCE_BYTES = 24;
export const XAES_TAG_BYTES = 16;

/** An XAES-256-GCM key: the AES-256 context and the CMAC subkey K1, both made once. */
export class Xaes256Gcm {
  /** The native context, when the addon is loaded; then the node:crypto fields below stay unused. */
  readonly #native: NativeAead | undefined;
  readonly #aes: (blocks: Uint8Array) => Buffer;
  // M1 ⊕ K1 ‖ M2 ⊕ K1 with the nonce bytes still to be XORed in: bytes 0..3 and 16..19 fixed per key.
  readonly #k1: Uint8Array;
  readonly #block = new Uint8Array(32);

  constructor(key: Uint8Array) {
    if (key.length !== XAES_KEY_BYTES) throw new RangeError(`"key" must be 32 bytes, got ${key.length}`);
    if (native !== undefined) {
      this.#native = new NativeAead('xaes-256-gcm', key);
      this.#aes = unused;
      this.#k1 = new Uint8Array(0);
      return;
    }
    this.#aes = aesEcbEncryptor(key);
    // Steps 1-2: L = AES-256_K(0^128); K1 = L << 1, ⊕ 0x87 in the last byte when MSB(L) = 1.
    const l = this.#aes(new Uint8Array(16));
    const k1 = new Uint8Array(16);
    for (let i = 0; i < 15; i++) k1[i] = ((l[i]! << 1) | (l[i + 1]! >>> 7)) & 0xff;
    k1[15] = ((l[15]! << 1) & 0xff) ^ (l[0]! & 0x80 ? 0x87 : 0);
    l.fill(0);
    this.#k1 = k1;
  }

  /** Steps 3-5: Kx = AES-256_K(M1 ⊕ K1) ‖ AES-256_K(M2 ⊕ K1), with Mi = 0x00 ‖ i ‖ 'X' ‖ 0x00 ‖ N[:12]. */
  deriveKey(nonce: Uint8Array): Buffer {
    if (this.#native !== undefined) return this.#native.deriveKey(nonce);
    const m = this.#block;
    const k1 = this.#k1;
    for (let half = 0; half < 32; half += 16) {
      m[half] = k1[0]!;
      m[half + 1] = (half === 0 ? 0x01 : 0x02) ^ k1[1]!;
      m[half + 2] = 0x58 ^ k1[2]!;
      m[half + 3] = k1[3]!;
      for (let i = 0; i < 12; i++) m[half + 4 + i] = nonce[i]! ^ k1[4 + i]!;
    }
    const kx = this.#aes(m);
    m.fill(0);
    return kx;
  }

  /** Returns [ciphertext, tag]. `nonce` is 24 bytes. */
  seal(nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array | undefined): [Buffer, Buffer] {
    if (nonce.length !== XAES_NONCE_BYTES)
      throw new RangeError(`"nonce" must be 24 bytes, got ${nonce.length}`);
    if (this.#native !== undefined) {
      const sealed = this.#native.seal(nonce, plaintext, aad);
      const buf = sealed.buffer as ArrayBuffer;
      const n = plaintext.length;
      return [
        Buffer.from(buf, sealed.byteOffset, n),
        Buffer.from(buf, sealed.byteOffset + n, XAES_TAG_BYTES),
      ];
    }
    const kx = this.deriveKey(nonce);
    try {
      return gcmEncrypt('aes-256-gcm', kx, nonce.subarray(12, 24), plaintext, aad);
    } finally {
      kx.fill(0);
    }
  }

  /**
   * Writes ciphertext ‖ tag into `out` at `offset` (room for `plaintext.length + 16` bytes), so a token
   * is built in one buffer.
   */
  sealInto(
    nonce: Uint8Array,
    plaintext: Uint8Array,
    aad: Uint8Array | undefined,
    out: Uint8Array,
    offset: number,
  ): void {
    if (this.#native !== undefined) {
      this.#native.sealInto(nonce, plaintext, aad, out, offset);
      return;
    }
    const [ct, tag] = this.seal(nonce, plaintext, aad);
    out.set(ct, offset);
    out.set(tag, offset + ct.length);
  }

  /** The plaintext, or null when the tag does not verify (a tag must be all 16 bytes). */
  open(
    nonce: Uint8Array,
    ciphertext: Uint8Array,
    tag: Uint8Array,
    aad: Uint8Array | undefined,
  ): Uint8Array | null {
    if (nonce.length !== XAES_NONCE_BYTES)
      throw new RangeError(`"nonce" must be 24 bytes, got ${nonce.length}`);
    // GCM would accept a truncated tag as a shorter one; XAES-256-GCM's tag is always 16 bytes.
    if (tag.length !== XAES_TAG_BYTES) return null;
    if (this.#native !== undefined) return this.#native.open(nonce, ciphertext, tag, aad);
    const kx = this.deriveKey(nonce);
    try {
      return gcmDecrypt('aes-256-gcm', kx, nonce.subarray(12, 24), ciphertext, tag, aad);
    } finally {
      kx.fill(0);
    }
  }
}

function unused(): never {
  throw new Error('unreachable: the native XAES-256-GCM context serves this key');
}
