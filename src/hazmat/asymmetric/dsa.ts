/**
 * DSA (FIPS 186-4) keys for legacy interop, after pyca's `cryptography.hazmat.primitives.asymmetric.dsa`:
 * load (through coffer/hazmat/serialization or numbers), verify, sign and generate.
 *
 * > **Hazmat.** DSA is withdrawn from FIPS 186-5. Use it only to check old signatures; sign new data with
 * > Ed25519 (`coffer/hazmat/asymmetric/ed25519`).
 *
 * Signatures are DER `Dss-Sig-Value` (as pyca); `verify` throws `InvalidSignature`.
 *
 * @example
 * ```ts
 * import { DSAPrivateKey } from 'coffer/hazmat/asymmetric/dsa';
 * import { SHA256 } from 'coffer/hazmat/hashes';
 * const key = DSAPrivateKey.generate(2048);
 * const signature = key.sign('message', new SHA256());
 * key.publicKey().verify(signature, 'message', new SHA256());
 * ```
 * @module
 */
import { inspect } from 'node:util';
import { DecodeError, InvalidSignature, UnsupportedAlgorithm } from '../../errors.ts';
import { DerReader, der } from '../../formats/der.ts';
import * as be from '../../internal/backend-pkey.ts';
import { bytes, bytesLike, describeValue, integer, u8 } from '../../internal/bytes.ts';
import { type HashAlgorithm, hashAlgorithm } from '../../internal/hash.ts';
import {
  AsymmetricPrivateKey,
  AsymmetricPublicKey,
  bigintArg,
  bitLength,
  CONSTRUCT,
  keyObjectOf,
} from '../../internal/pkey-base.ts';
import { isPrehashed, type Prehashed } from '../../internal/prehashed.ts';

const OID_DSA = '1.2.840.10040.4.1';
/** Largest p coffer builds or loads, as OpenSSL (OPENSSL_DSA_MAX_MODULUS_BITS). */
export const MAX_DSA_KEY_SIZE = 10000;

function hashArg(value: unknown): HashAlgorithm {
  if (isPrehashed(value)) {
    throw new UnsupportedAlgorithm(
      'Prehashed DSA is not available: node:crypto cannot sign a caller-supplied digest',
    );
  }
  const alg = hashAlgorithm('algorithm', value);
  if (alg.isXof) throw new TypeError(`"algorithm" must not be an XOF, got ${alg.name}`);
  return alg;
}

/**
 * The domain parameters p, q, g.
 * @example
 * ```ts
 * import { DSAParameterNumbers } from 'coffer/hazmat/asymmetric/dsa';
 * const params = new DSAParameterNumbers(p, q, g);
 * ```
 */
export class DSAParameterNumbers {
  readonly p: bigint;
  readonly q: bigint;
  readonly g: bigint;
  /** @throws {TypeError} when not bigints. @throws {RangeError} when negative. */
  constructor(p: bigint, q: bigint, g: bigint) {
    this.p = bigintArg('p', p);
    this.q = bigintArg('q', q);
    this.g = bigintArg('g', g);
    Object.freeze(this);
  }
  /** @internal Dss-Parms (RFC 3279 §2.3.2). */
  encode(): Uint8Array {
    return der.sequence([der.integer(this.p), der.integer(this.q), der.integer(this.g)]);
  }
}

function checkParams(pn: DSAParameterNumbers): void {
  const bits = bitLength(pn.p);
  if (bits > MAX_DSA_KEY_SIZE) throw new RangeError(`"p" must be at most ${MAX_DSA_KEY_SIZE} bits`);
  // pyca's checks: (1024|2048|3072|4096, 160|224|256) sizes are not enforced for loading; sanity only.
  if (pn.p < 3n || pn.q < 2n || pn.g < 2n || pn.g >= pn.p)
    throw new RangeError('"p", "q" and "g" are not valid DSA parameters');
}

function paramsArg(value: unknown): DSAParameterNumbers {
  if (!(value instanceof DSAParameterNumbers) || !Object.isFrozen(value)) {
    throw new TypeError(`"parameterNumbers" must be a DSAParameterNumbers, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * A DSA public key as integers.
 * @example
 * ```ts
 * import { DSAPublicNumbers } from 'coffer/hazmat/asymmetric/dsa';
 * const publicKey = new DSAPublicNumbers(y, params).publicKey();
 * ```
 */
export class DSAPublicNumbers {
  readonly y: bigint;
  readonly parameterNumbers: DSAParameterNumbers;
  /** @throws {TypeError} on wrong types. @throws {RangeError} when `y` is negative. */
  constructor(y: bigint, parameterNumbers: DSAParameterNumbers) {
    this.y = bigintArg('y', y);
    this.parameterNumbers = paramsArg(parameterNumbers);
    Object.freeze(this);
  }
  /** @throws {RangeError} on parameters or y out of range. @throws {DecodeError} when OpenSSL refuses them. */
  publicKey(): DSAPublicKey {
    const pn = this.parameterNumbers;
    checkParams(pn);
    if (this.y < 2n || this.y >= pn.p) throw new RangeError('"y" must be in [2, p-1]');
    const spki = der.sequence([
      der.sequence([der.oid(OID_DSA), pn.encode()]),
      der.bitString(der.integer(this.y)),
    ]);
    try {
      return new DSAPublicKey(CONSTRUCT, be.publicFromDer(spki, 'spki'));
    } catch {
      throw new DecodeError('DSA public numbers were refused by OpenSSL');
    }
  }
}

/**
 * A DSA private key as integers. `x` is secret: it never appears in `toString`, `toJSON` or `util.inspect`.
 * @example
 * ```ts
 * import { DSAPrivateNumbers } from 'coffer/hazmat/asymmetric/dsa';
 * const key = new DSAPrivateNumbers(x, publicNumbers).privateKey();
 * ```
 */
export class DSAPrivateNumbers {
  readonly #x: bigint;
  readonly publicNumbers: DSAPublicNumbers;
  /** @throws {TypeError} on wrong types. @throws {RangeError} when `x` is negative. */
  constructor(x: bigint, publicNumbers: DSAPublicNumbers) {
    this.#x = bigintArg('x', x);
    if (!(publicNumbers instanceof DSAPublicNumbers) || !Object.isFrozen(publicNumbers)) {
      throw new TypeError(`"publicNumbers" must be a DSAPublicNumbers, got ${describeValue(publicNumbers)}`);
    }
    this.publicNumbers = publicNumbers;
    Object.freeze(this);
  }
  /** The private value x. */
  get x(): bigint {
    return this.#x;
  }
  /** @throws {RangeError} when the numbers are out of range or inconsistent (g^x mod p != y). */
  privateKey(): DSAPrivateKey {
    const pub = this.publicNumbers;
    const pn = pub.parameterNumbers;
    checkParams(pn);
    if (this.#x < 1n || this.#x >= pn.q) throw new RangeError('"x" must be in [1, q-1]');
    const pkcs8 = der.sequence([
      der.integer(0n),
      der.sequence([der.oid(OID_DSA), pn.encode()]),
      der.octetString(der.integer(this.#x)),
    ]);
    let key: DSAPrivateKey;
    try {
      key = new DSAPrivateKey(CONSTRUCT, be.privateFromDer(pkcs8, 'pkcs8'));
    } catch {
      throw new DecodeError('DSA private numbers were refused by OpenSSL');
    } finally {
      pkcs8.fill(0);
    }
    if (key.publicKey().publicNumbers().y !== pub.y) throw new RangeError('"y" does not match "x"');
    return key;
  }
  toString(): string {
    return `DSAPrivateNumbers(${bitLength(this.publicNumbers.parameterNumbers.p)} bits)`;
  }
  toJSON(): { type: string } {
    return { type: 'DSAPrivateNumbers' };
  }
  [inspect.custom](): string {
    return this.toString();
  }
}

/** p, q, g and the key's INTEGER (y in SPKI, x in PKCS#8) from node's DER export. */
function readKey(
  derBytes: Uint8Array,
  what: string,
  inBitString: boolean,
): { params: DSAParameterNumbers; v: bigint } {
  const top = new DerReader(derBytes, what);
  const seq = top.readSequence();
  if (!inBitString) seq.readInteger();
  const alg = seq.readSequence();
  alg.readOid();
  const p = alg.readSequence();
  const params = new DSAParameterNumbers(p.readInteger(), p.readInteger(), p.readInteger());
  const inner = inBitString ? seq.readBitString().bytes : seq.readOctetString();
  return { params, v: new DerReader(inner, what).readInteger() };
}

/** A DSA public key. */
export class DSAPublicKey extends AsymmetricPublicKey {
  /** Size of p in bits. */
  get keySize(): number {
    return keyObjectOf(this).asymmetricKeyDetails?.modulusLength ?? 0;
  }

  protected override get details(): string {
    return `${this.keySize} bits`;
  }

  /** y with p, q, g. */
  publicNumbers(): DSAPublicNumbers {
    const { params, v } = readKey(be.exportDer(keyObjectOf(this), 'spki'), 'DSA public key', true);
    return new DSAPublicNumbers(v, params);
  }

  /** The domain parameters. */
  parameterNumbers(): DSAParameterNumbers {
    return this.publicNumbers().parameterNumbers;
  }

  /**
   * Checks a DER `signature` over `data` (bytes, or a string as UTF-8) hashed with `algorithm`.
   * @throws {InvalidSignature} when it does not verify.
   * @throws {TypeError} on wrong argument types. @throws {UnsupportedAlgorithm} for `Prehashed`.
   */
  verify(signature: Uint8Array, data: Uint8Array | string, algorithm: HashAlgorithm | Prehashed): void {
    bytes('signature', signature);
    const msg = bytesLike('data', data);
    const alg = hashArg(algorithm);
    let ok = false;
    try {
      ok = be.verify(alg.opensslName, msg, { key: keyObjectOf(this), dsaEncoding: 'der' }, signature);
    } catch {
      ok = false;
    }
    if (!ok) throw new InvalidSignature();
  }
}

/** A DSA private key. x never appears in `toString`, `toJSON` or `util.inspect`. */
export class DSAPrivateKey extends AsymmetricPrivateKey {
  #public: DSAPublicKey | undefined;

  /**
   * A fresh key with new parameters: p of `keySize` bits (1024, 2048, 3072 or 4096), q of 160 or 256 bits.
   * Slow (parameter generation): seconds for 2048 bits.
   * @throws {TypeError} when `keySize` is not a number. @throws {RangeError} for other sizes.
   * @example
   * ```ts
   * import { DSAPrivateKey } from 'coffer/hazmat/asymmetric/dsa';
   * const key = DSAPrivateKey.generate(2048);
   * ```
   */
  static generate(keySize: number): DSAPrivateKey {
    integer('keySize', keySize, 1024, 4096);
    if (![1024, 2048, 3072, 4096].includes(keySize)) {
      throw new RangeError(`"keySize" must be 1024, 2048, 3072 or 4096, got ${keySize}`);
    }
    const divisorLength = keySize === 1024 ? 160 : 256;
    return new DSAPrivateKey(CONSTRUCT, be.generate('dsa', { modulusLength: keySize, divisorLength }));
  }

  /** Size of p in bits. */
  get keySize(): number {
    return keyObjectOf(this).asymmetricKeyDetails?.modulusLength ?? 0;
  }

  protected override get details(): string {
    return `${this.keySize} bits`;
  }

  /** The matching public key (made once, then cached). */
  publicKey(): DSAPublicKey {
    this.#public ??= new DSAPublicKey(CONSTRUCT, be.publicOf(keyObjectOf(this)));
    return this.#public;
  }

  /** x with y, p, q, g. Handle the result as a secret. */
  privateNumbers(): DSAPrivateNumbers {
    const pkcs8 = be.exportDer(keyObjectOf(this), 'pkcs8');
    try {
      const { v } = readKey(pkcs8, 'DSA private key', false);
      return new DSAPrivateNumbers(v, this.publicKey().publicNumbers());
    } finally {
      pkcs8.fill(0);
    }
  }

  /** The domain parameters. */
  parameterNumbers(): DSAParameterNumbers {
    return this.publicKey().parameterNumbers();
  }

  /**
   * The DER signature of `data` (bytes, or a string as UTF-8) hashed with `algorithm`.
   * @throws {TypeError} on wrong argument types. @throws {UnsupportedAlgorithm} for `Prehashed`.
   */
  sign(data: Uint8Array | string, algorithm: HashAlgorithm | Prehashed): Uint8Array {
    const msg = bytesLike('data', data);
    const alg = hashArg(algorithm);
    return u8(be.sign(alg.opensslName, msg, { key: keyObjectOf(this), dsaEncoding: 'der' }));
  }

  protected override traditional(): { label: string; der: Uint8Array } {
    // OpenSSL's DSAPrivateKey ::= SEQUENCE { 0, p, q, g, y, x } ("DSA PRIVATE KEY").
    const n = this.privateNumbers();
    const pn = n.publicNumbers.parameterNumbers;
    return {
      label: 'DSA PRIVATE KEY',
      der: der.sequence([
        der.integer(0n),
        der.integer(pn.p),
        der.integer(pn.q),
        der.integer(pn.g),
        der.integer(n.publicNumbers.y),
        der.integer(n.x),
      ]),
    };
  }
}
