/**
 * RSA padding schemes, after pyca's `cryptography.hazmat.primitives.asymmetric.padding`: `PSS` and
 * `PKCS1v15` for signatures, `OAEP` (and legacy `PKCS1v15`) for encryption, with `MGF1`.
 *
 * > **Hazmat.** Use PSS for new signatures and OAEP for encryption. PKCS#1 v1.5 encryption is legacy:
 * > decryption is refused where the runtime cannot do it safely (see `RSAPrivateKey#decrypt`).
 *
 * node:crypto (OpenSSL) ties MGF1's hash to the signature or OAEP hash, so `MGF1(algorithm)` must use the
 * same hash as the operation; any other pairing throws `UnsupportedAlgorithm` when used.
 *
 * @example
 * ```ts
 * import { MGF1, OAEP, PSS } from 'coffer/hazmat/asymmetric/padding';
 * import { SHA256 } from 'coffer/hazmat/hashes';
 * const pss = new PSS({ mgf: new MGF1(new SHA256()), saltLength: PSS.DIGEST_LENGTH });
 * const oaep = new OAEP({ mgf: new MGF1(new SHA256()), algorithm: new SHA256() });
 * ```
 * @module
 */
import { describeValue, integer, optionalBytes, plainObject } from '../../internal/bytes.ts';
import { type HashAlgorithm, hashAlgorithm } from '../../internal/hash.ts';
import { keyObjectOf } from '../../internal/pkey-base.ts';
import type { RSAPrivateKey, RSAPublicKey } from './rsa.ts';

function nonXof(name: string, value: unknown): HashAlgorithm {
  const alg = hashAlgorithm(name, value);
  if (alg.isXof) throw new TypeError(`"${name}" must not be an XOF, got ${alg.name}`);
  return alg;
}

/** Base of the RSA padding schemes. */
export abstract class AsymmetricPadding {
  /** The scheme's name, as in pyca. */
  abstract readonly name: string;
  toString(): string {
    return this.name;
  }
}

/**
 * The mask generation function MGF1 (RFC 8017 §B.2.1) over `algorithm`.
 * @example
 * ```ts
 * import { MGF1 } from 'coffer/hazmat/asymmetric/padding';
 * import { SHA256 } from 'coffer/hazmat/hashes';
 * const mgf = new MGF1(new SHA256());
 * ```
 */
export class MGF1 {
  readonly algorithm: HashAlgorithm;
  /** @throws {TypeError} when `algorithm` is not a (non-XOF) HashAlgorithm. */
  constructor(algorithm: HashAlgorithm) {
    this.algorithm = nonXof('algorithm', algorithm);
    Object.freeze(this);
  }
}

function mgfArg(name: string, value: unknown): MGF1 {
  // Frozen by its constructor: Object.create(MGF1.prototype) is not, and has no algorithm.
  if (!(value instanceof MGF1) || !Object.isFrozen(value)) {
    throw new TypeError(`"${name}" must be new MGF1(algorithm), got ${describeValue(value)}`);
  }
  return value;
}

/**
 * RSASSA-PKCS1-v1_5 signatures and RSAES-PKCS1-v1_5 (legacy) encryption (RFC 8017 §8.2, §7.2).
 * @example
 * ```ts
 * import { PKCS1v15 } from 'coffer/hazmat/asymmetric/padding';
 * const padding = new PKCS1v15();
 * ```
 */
export class PKCS1v15 extends AsymmetricPadding {
  readonly name = 'EMSA-PKCS1-v1_5';
  constructor() {
    super();
    Object.freeze(this);
  }
}

/** PSS salt lengths chosen by size rather than given in bytes. */
export type PSSSaltLength = number | typeof PSS.MAX_LENGTH | typeof PSS.DIGEST_LENGTH | typeof PSS.AUTO;

/** Options for {@link PSS}. */
export interface PSSOptions {
  mgf: MGF1;
  /** Salt length in bytes, or `PSS.MAX_LENGTH`, `PSS.DIGEST_LENGTH`, or (verify only) `PSS.AUTO`. */
  saltLength: PSSSaltLength;
}

/**
 * RSASSA-PSS signatures (RFC 8017 §8.1).
 * @example
 * ```ts
 * import { MGF1, PSS } from 'coffer/hazmat/asymmetric/padding';
 * import { SHA256 } from 'coffer/hazmat/hashes';
 * const pss = new PSS({ mgf: new MGF1(new SHA256()), saltLength: PSS.MAX_LENGTH });
 * ```
 */
export class PSS extends AsymmetricPadding {
  /** The largest salt the key and hash allow (emLen - hLen - 2). */
  static readonly MAX_LENGTH = 'max-length' as const;
  /** A salt as long as the digest (RFC 8017's usual choice, and TLS 1.3's). */
  static readonly DIGEST_LENGTH = 'digest-length' as const;
  /** Verification only: accept whatever salt length the signature used. */
  static readonly AUTO = 'auto' as const;

  readonly name = 'EMSA-PSS';
  readonly mgf: MGF1;
  readonly saltLength: PSSSaltLength;

  /**
   * @throws {TypeError} when `options.mgf` is not an MGF1 or `options.saltLength` is neither an integer nor
   * one of the constants. @throws {RangeError} when the salt length is negative or absurdly large.
   */
  constructor(options: PSSOptions) {
    super();
    const o = plainObject('options', options);
    this.mgf = mgfArg('mgf', o.mgf);
    const s = o.saltLength;
    if (s === PSS.MAX_LENGTH || s === PSS.DIGEST_LENGTH || s === PSS.AUTO) this.saltLength = s;
    else if (typeof s === 'string') {
      throw new TypeError('"saltLength" must be an integer, PSS.MAX_LENGTH, PSS.DIGEST_LENGTH or PSS.AUTO');
    } else this.saltLength = integer('saltLength', s, 0, 65536);
    Object.freeze(this);
  }
}

/** Options for {@link OAEP}. */
export interface OAEPOptions {
  mgf: MGF1;
  algorithm: HashAlgorithm;
  /** Optional label bound to the ciphertext (RFC 8017 §7.1). Default empty. */
  label?: Uint8Array | null;
}

/** Longest OAEP label accepted: 64 KiB (the label is hashed; nothing needs more). */
export const MAX_OAEP_LABEL_BYTES = 65536;

/**
 * RSAES-OAEP encryption (RFC 8017 §7.1).
 * @example
 * ```ts
 * import { MGF1, OAEP } from 'coffer/hazmat/asymmetric/padding';
 * import { SHA256 } from 'coffer/hazmat/hashes';
 * const oaep = new OAEP({ mgf: new MGF1(new SHA256()), algorithm: new SHA256(), label: undefined });
 * ```
 */
export class OAEP extends AsymmetricPadding {
  readonly name = 'EME-OAEP';
  readonly mgf: MGF1;
  readonly algorithm: HashAlgorithm;
  readonly label: Uint8Array | undefined;

  /**
   * @throws {TypeError} on a wrong `mgf`, `algorithm` or `label` type.
   * @throws {RangeError} when `label` is longer than 64 KiB.
   */
  constructor(options: OAEPOptions) {
    super();
    const o = plainObject('options', options);
    this.mgf = mgfArg('mgf', o.mgf);
    this.algorithm = nonXof('algorithm', o.algorithm);
    const label = o.label === null ? undefined : optionalBytes('label', o.label);
    if (label !== undefined && label.length > MAX_OAEP_LABEL_BYTES) {
      throw new RangeError(`"label" must be at most ${MAX_OAEP_LABEL_BYTES} bytes, got ${label.length}`);
    }
    this.label = label === undefined || label.length === 0 ? undefined : Uint8Array.from(label);
    Object.freeze(this);
  }
}

/**
 * The largest PSS salt for `key` and `algorithm`: emLen - hLen - 2 (RFC 8017 §9.1.1), what
 * `PSS.MAX_LENGTH` uses.
 * @throws {TypeError} when `key` is not an RSA key or `algorithm` not a HashAlgorithm.
 * @example
 * ```ts
 * import { calculateMaxPssSaltLength } from 'coffer/hazmat/asymmetric/padding';
 * calculateMaxPssSaltLength(rsaKey, new SHA256()); // 222 for a 2048-bit key
 * ```
 */
export function calculateMaxPssSaltLength(
  key: RSAPrivateKey | RSAPublicKey,
  algorithm: HashAlgorithm,
): number {
  const ko = keyObjectOf(key);
  const bits = ko.asymmetricKeyDetails?.modulusLength;
  if (ko.asymmetricKeyType !== 'rsa' || bits === undefined) {
    throw new TypeError(`"key" must be an RSAPrivateKey or RSAPublicKey`);
  }
  return maxPssSalt(bits, nonXof('algorithm', algorithm));
}

/** emLen - hLen - 2 for a modulus of `bits` bits. */
function maxPssSalt(bits: number, algorithm: HashAlgorithm): number {
  return Math.ceil((bits - 1) / 8) - algorithm.digestSize - 2;
}
