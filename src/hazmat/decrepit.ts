/**
 * Legacy block ciphers, after pyca's `cryptography.hazmat.decrepit.ciphers`: `TripleDES`, `Blowfish`,
 * `CAST5` and `SEED`, for reading and writing old data, and nothing new.
 *
 * > **Hazmat.** To encrypt data, use `Keyring` (`seal`/`open`) from `coffer` or an AEAD from
 * > `coffer/hazmat/aead`. These are worse than hazmat: all but SEED have 64-bit blocks, so CBC and the
 * > rest leak after a few gigabytes under one key (Sweet32), and none of them is authenticated.
 *
 * Use them with `Cipher` from `coffer/hazmat/ciphers` in `CBC`, `ECB`, `CFB` or `OFB` mode (TripleDES also
 * in `CFB8`). OFB, CFB and CFB8 are re-exported here, as pyca 48 lists them under `decrepit` too.
 *
 * **Availability.** Every cipher is OpenSSL's, through node:crypto, and only where its providers offer it
 * at run time. TripleDES is in OpenSSL 3's default provider (Node 20 and 24). Blowfish, CAST5 and SEED
 * are in the "legacy" provider, which node loads only when started with `--openssl-legacy-provider`
 * (or `NODE_OPTIONS=--openssl-legacy-provider`); without it, building a `Cipher` over them throws
 * `UnsupportedAlgorithm` saying so. `Cipher.isSupported(algorithm, mode)` tells beforehand.
 *
 * @example
 * ```ts
 * import { TripleDES } from 'coffer/hazmat/decrepit';
 * import { CBC, Cipher } from 'coffer/hazmat/ciphers';
 * const dec = new Cipher(new TripleDES(key24), new CBC(iv8)).decryptor();
 * const plaintext = Buffer.concat([dec.update(oldCiphertext), dec.finalize()]);
 * ```
 * @module
 */
import { BlockCipherAlgorithm, type CipherKey } from '../internal/cipher.ts';

export { CFB, CFB8, OFB } from '../internal/cipher.ts';

/**
 * Triple DES (EDE, SP 800-67) with a 24-byte three-key bundle K1 ‖ K2 ‖ K3, 64-bit blocks. pyca's
 * deprecated 8- and 16-byte forms are not taken: pass `k ‖ k ‖ k` or `k1 ‖ k2 ‖ k1` explicitly.
 * @throws {TypeError} when `key` is not bytes or a SecretKey. @throws {RangeError} unless it is 24 bytes.
 */
export class TripleDES extends BlockCipherAlgorithm {
  constructor(key: CipherKey) {
    super(key, { name: '3DES', family: 'tripledes', keyBytes: [24], blockSize: 64 });
  }
}

/**
 * Blowfish with a 4- to 56-byte key (32 to 448 bits, as pyca), 64-bit blocks. Needs OpenSSL's legacy
 * provider at run time (see the module notes).
 * @throws {TypeError} when `key` is not bytes or a SecretKey. @throws {RangeError} on another length.
 */
export class Blowfish extends BlockCipherAlgorithm {
  constructor(key: CipherKey) {
    const keyBytes = Array.from({ length: 53 }, (_, i) => i + 4);
    super(key, { name: 'Blowfish', family: 'blowfish', keyBytes, blockSize: 64 });
  }
}

/**
 * CAST5 (CAST-128, RFC 2144) with a 5- to 16-byte key (40 to 128 bits), 64-bit blocks. Needs OpenSSL's
 * legacy provider at run time (see the module notes).
 * @throws {TypeError} when `key` is not bytes or a SecretKey. @throws {RangeError} on another length.
 */
export class CAST5 extends BlockCipherAlgorithm {
  constructor(key: CipherKey) {
    const keyBytes = Array.from({ length: 12 }, (_, i) => i + 5);
    super(key, { name: 'CAST5', family: 'cast5', keyBytes, blockSize: 64 });
  }
}

/**
 * SEED (RFC 4269) with a 16-byte key, 128-bit blocks. Needs OpenSSL's legacy provider at run time (see
 * the module notes).
 * @throws {TypeError} when `key` is not bytes or a SecretKey. @throws {RangeError} unless it is 16 bytes.
 */
export class SEED extends BlockCipherAlgorithm {
  constructor(key: CipherKey) {
    super(key, { name: 'SEED', family: 'seed', keyBytes: [16], blockSize: 128 });
  }
}
