/**
 * Cryptographic hash functions, after pyca's `cryptography.hazmat.primitives.hashes`.
 *
 * > **Hazmat.** A hash is one-way and unkeyed: it proves nothing about who made the data. To protect
 * > integrity against an attacker use a MAC (`coffer/hazmat/hmac`) or the `Webhook` recipe from `coffer`; to store
 * > passwords use `hashPassword` from `coffer`, never a plain hash.
 *
 * Every algorithm is OpenSSL's, through node:crypto.
 *
 * @example
 * ```ts
 * import { Hash, SHA256, hash } from 'coffer/hazmat/hashes';
 * const digest = hash(new SHA256(), 'hello');
 * const ctx = new Hash(new SHA256());
 * ctx.update('hel');
 * ctx.update('lo');
 * ctx.finalize(); // same bytes as `digest`
 * ```
 * @module
 */
export {
  BLAKE2b,
  BLAKE2s,
  type ByteSource,
  Hash,
  HashAlgorithm,
  hash,
  hashFile,
  hashStream,
  MAX_XOF_OUTPUT,
  MD5,
  SHA1,
  SHA3_224,
  SHA3_256,
  SHA3_384,
  SHA3_512,
  SHA224,
  SHA256,
  SHA384,
  SHA512,
  SHA512_224,
  SHA512_256,
  SHAKE128,
  SHAKE256,
} from '../internal/hash.ts';
