/**
 * Block and stream ciphers and their modes, after pyca's `cryptography.hazmat.primitives.ciphers`
 * (`Cipher`, `algorithms`, `modes`), with streaming forms for files.
 *
 * > **Hazmat.** To encrypt data, use `Keyring` (`seal`/`open`) from `coffer`, or an AEAD such as
 * > `AESGCM` from `coffer/hazmat/aead`. Everything here but GCM is unauthenticated: anyone can change
 * > the ciphertext and you will not know. Reusing an IV or nonce with a key breaks CTR, OFB, CFB, GCM and
 * > ChaCha20 outright.
 *
 * - Algorithms: `AES` (128/192/256 by key length; 256/512-bit keys for XTS), `AES128`, `AES256`,
 *   `Camellia` (where OpenSSL offers it) and `ChaCha20` (a stream cipher: mode `null`). The legacy ciphers
 *   are in `coffer/hazmat/decrepit`.
 * - Modes: `CBC`, `CTR`, `OFB`, `CFB` (CFB128), `CFB8`, `ECB`, `XTS` and `GCM`. Block modes do not pad:
 *   use `coffer/hazmat/padding`.
 * - Contexts: `update`, `updateInto`, `finalize`; for GCM also `authenticateAdditionalData`, `tag` and
 *   `finalizeWithTag`. A context used after `finalize` throws `AlreadyFinalized`; a GCM tag that does not
 *   verify throws `InvalidTag`.
 * - Streams: `encryptStream`/`decryptStream` (node) and `encryptWebStream`/`decryptWebStream` (web).
 *   A GCM decryption stream holds its plaintext back until the tag verifies.
 *
 * Every cipher and mode is OpenSSL's, through node:crypto; coffer checks the parameters.
 *
 * @example
 * ```ts
 * import { AES, Cipher, GCM } from 'coffer/hazmat/ciphers';
 * import { randomBytes } from 'coffer/hazmat/random';
 * const key = randomBytes(32);
 * const iv = randomBytes(12);
 * const enc = new Cipher(new AES(key), new GCM(iv)).encryptor();
 * enc.authenticateAdditionalData(new TextEncoder().encode('header'));
 * const ct = Buffer.concat([enc.update(new TextEncoder().encode('secret')), enc.finalize()]);
 * const dec = new Cipher(new AES(key), new GCM(iv)).decryptor();
 * dec.authenticateAdditionalData(new TextEncoder().encode('header'));
 * const pt = Buffer.concat([dec.update(ct), dec.finalizeWithTag(enc.tag)]); // InvalidTag if changed
 * ```
 * @module
 */
export {
  type AEADContext,
  type AEADDecryptionContext,
  type AEADEncryptionContext,
  AES,
  AES128,
  AES256,
  BlockCipherAlgorithm,
  Camellia,
  CBC,
  CFB,
  CFB8,
  ChaCha20,
  Cipher,
  CipherAlgorithm,
  type CipherContext,
  type CipherKey,
  CTR,
  ECB,
  GCM,
  Mode,
  type ModeName,
  OFB,
  XTS,
} from '../internal/cipher.ts';
export {
  type CipherStreamOptions,
  type CipherTransform,
  type CipherTransformStream,
  DEFAULT_MAX_BUFFERED_BYTES,
  decryptStream,
  decryptWebStream,
  encryptStream,
  encryptWebStream,
} from '../internal/cipher-stream.ts';
