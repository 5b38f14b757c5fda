// Prehashed lives here, not in its public module (coffer/hazmat/asymmetric/utils re-exports it), so the
// key modules can brand-check it without exporting the check.
import { type HashAlgorithm, hashAlgorithm } from './hash.ts';

let isPrehashedBrand: (value: unknown) => value is Prehashed;

/**
 * Marks the data passed to `sign`/`verify` as a digest already computed with `algorithm`. The digest must
 * be exactly `algorithm.digestSize` bytes.
 * @example
 * ```ts
 * import { Prehashed } from 'coffer/hazmat/asymmetric/utils';
 * import { SHA256, hash } from 'coffer/hazmat/hashes';
 * const digest = hash(new SHA256(), 'message');
 * rsaKey.sign(digest, new PKCS1v15(), new Prehashed(new SHA256()));
 * ```
 */
export class Prehashed {
  readonly #algorithm: HashAlgorithm;
  static {
    isPrehashedBrand = (value): value is Prehashed =>
      typeof value === 'object' && value !== null && #algorithm in value;
  }
  /** @throws {TypeError} when `algorithm` is not a (non-XOF) HashAlgorithm. */
  constructor(algorithm: HashAlgorithm) {
    const alg = hashAlgorithm('algorithm', algorithm);
    if (alg.isXof) throw new TypeError(`"algorithm" must not be an XOF, got ${alg.name}`);
    this.#algorithm = alg;
    Object.freeze(this);
  }
  /** The hash that produced the digest. */
  get algorithm(): HashAlgorithm {
    return this.#algorithm;
  }
  /** Length of the digest in bytes. */
  get digestSize(): number {
    return this.#algorithm.digestSize;
  }
}

/** Internal: true for a real Prehashed (brand check). */
export function isPrehashed(value: unknown): value is Prehashed {
  return isPrehashedBrand(value);
}
