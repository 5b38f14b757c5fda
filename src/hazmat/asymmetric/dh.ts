/**
 * Finite-field Diffie-Hellman (PKCS #3) for legacy interop, after pyca's
 * `cryptography.hazmat.primitives.asymmetric.dh`: load keys and parameters, generate keys for given
 * parameters, and exchange.
 *
 * > **Hazmat.** Prefer X25519 (`coffer/hazmat/asymmetric/x25519`). The shared secret is not a key: derive
 * > one with `HKDF` from `coffer/hazmat/kdf`.
 *
 * X9.42 parameters (with q) are not supported. `exchange` returns the secret left-padded to the size of p,
 * as pyca does, and throws `InvalidKey` when OpenSSL rejects the peer's value (y outside [2, p-2]).
 *
 * @example
 * ```ts
 * import { DHParameterNumbers } from 'coffer/hazmat/asymmetric/dh';
 * const params = new DHParameterNumbers(p, 2n).parameters(); // e.g. an RFC 3526 group
 * const a = params.generatePrivateKey();
 * const b = params.generatePrivateKey();
 * a.exchange(b.publicKey()); // equal to b.exchange(a.publicKey())
 * ```
 * @module
 */
import { inspect } from 'node:util';
import { DecodeError, InvalidKey, UnsupportedAlgorithm } from '../../errors.ts';
import { DerReader, der } from '../../formats/der.ts';
import * as be from '../../internal/backend-pkey.ts';
import { describeValue } from '../../internal/bytes.ts';
import {
  AsymmetricPrivateKey,
  AsymmetricPublicKey,
  bigintArg,
  bigintToBytes,
  bitLength,
  CONSTRUCT,
  Encoding,
  keyArg,
  keyObjectOf,
  ParameterFormat,
  pemEncode,
} from '../../internal/pkey-base.ts';

const OID_DH = '1.2.840.113549.1.3.1';
/** Largest p coffer accepts, as OpenSSL (OPENSSL_DH_MAX_MODULUS_BITS). */
export const MAX_DH_KEY_SIZE = 10000;
/** Smallest p coffer accepts (pyca's minimum). */
export const MIN_DH_KEY_SIZE = 512;

/**
 * PKCS #3 parameters: prime p and generator g.
 * @example
 * ```ts
 * import { DHParameterNumbers } from 'coffer/hazmat/asymmetric/dh';
 * const numbers = new DHParameterNumbers(p, 2n);
 * ```
 */
export class DHParameterNumbers {
  readonly p: bigint;
  readonly g: bigint;
  readonly q: bigint | undefined;
  /**
   * @throws {TypeError} when not bigints. @throws {RangeError} when g < 2 or p is out of range.
   */
  constructor(p: bigint, g: bigint, q?: bigint) {
    this.p = bigintArg('p', p);
    this.g = bigintArg('g', g);
    this.q = q === undefined ? undefined : bigintArg('q', q);
    const bits = bitLength(this.p);
    if (bits < MIN_DH_KEY_SIZE || bits > MAX_DH_KEY_SIZE) {
      throw new RangeError(`"p" must be ${MIN_DH_KEY_SIZE} to ${MAX_DH_KEY_SIZE} bits, got ${bits}`);
    }
    if (this.g < 2n || this.g >= this.p) throw new RangeError('"g" must be in [2, p-1]');
    Object.freeze(this);
  }
  /** @throws {UnsupportedAlgorithm} when `q` is set (X9.42 parameters). */
  parameters(): DHParameters {
    if (this.q !== undefined)
      throw new UnsupportedAlgorithm('X9.42 DH parameters (with q) are not supported');
    return new DHParameters(this);
  }
  /** @internal PKCS #3 DHParameter ::= SEQUENCE { prime, base }. */
  encode(): Uint8Array {
    return der.sequence([der.integer(this.p), der.integer(this.g)]);
  }
}

/** A DH group, from `DHParameterNumbers#parameters()` or a key's `parameters()`. */
export class DHParameters {
  readonly #numbers: DHParameterNumbers;
  /** @internal Made by DHParameterNumbers#parameters. */
  constructor(numbers: DHParameterNumbers) {
    if (!(numbers instanceof DHParameterNumbers) || !Object.isFrozen(numbers)) {
      throw new TypeError(`"numbers" must be a DHParameterNumbers, got ${describeValue(numbers)}`);
    }
    this.#numbers = numbers;
    Object.freeze(this);
  }
  /** p and g. */
  parameterNumbers(): DHParameterNumbers {
    return this.#numbers;
  }
  /**
   * A fresh key pair in this group (OpenSSL draws x).
   * @example
   * ```ts
   * const key = params.generatePrivateKey();
   * ```
   */
  generatePrivateKey(): DHPrivateKey {
    const { p, g } = this.#numbers;
    if (g > 0x7fffffffn)
      throw new UnsupportedAlgorithm('node:crypto generates DH keys only for small generators');
    return new DHPrivateKey(
      CONSTRUCT,
      be.generate('dh', { prime: Buffer.from(bigintToBytes(p)), generator: Number(g) }),
    );
  }
  /**
   * PKCS #3 parameters as PEM (`DH PARAMETERS`) or DER.
   * @throws {TypeError} for another encoding or format.
   */
  parameterBytes(encoding: 'PEM' | 'DER', format: ParameterFormat): string | Uint8Array {
    if (format !== ParameterFormat.PKCS3) throw new TypeError(`"format" must be ParameterFormat.PKCS3`);
    const d = this.#numbers.encode();
    if (encoding === Encoding.PEM) return pemEncode('DH PARAMETERS', d);
    if (encoding === Encoding.DER) return d;
    throw new TypeError(`"encoding" must be Encoding.PEM or Encoding.DER, got ${describeValue(encoding)}`);
  }
}

/**
 * A DH public value y with its group.
 * @example
 * ```ts
 * import { DHPublicNumbers } from 'coffer/hazmat/asymmetric/dh';
 * const publicKey = new DHPublicNumbers(y, parameterNumbers).publicKey();
 * ```
 */
export class DHPublicNumbers {
  readonly y: bigint;
  readonly parameterNumbers: DHParameterNumbers;
  /** @throws {TypeError} on wrong types. @throws {RangeError} when `y` is negative. */
  constructor(y: bigint, parameterNumbers: DHParameterNumbers) {
    this.y = bigintArg('y', y);
    if (!(parameterNumbers instanceof DHParameterNumbers) || !Object.isFrozen(parameterNumbers)) {
      throw new TypeError(
        `"parameterNumbers" must be a DHParameterNumbers, got ${describeValue(parameterNumbers)}`,
      );
    }
    this.parameterNumbers = parameterNumbers;
    Object.freeze(this);
  }
  /** @throws {RangeError} unless 2 <= y <= p-2. @throws {UnsupportedAlgorithm} for X9.42 parameters. */
  publicKey(): DHPublicKey {
    const pn = this.parameterNumbers;
    if (pn.q !== undefined) throw new UnsupportedAlgorithm('X9.42 DH parameters (with q) are not supported');
    if (this.y < 2n || this.y > pn.p - 2n) throw new RangeError('"y" must be in [2, p-2]');
    const spki = der.sequence([
      der.sequence([der.oid(OID_DH), pn.encode()]),
      der.bitString(der.integer(this.y)),
    ]);
    try {
      return new DHPublicKey(CONSTRUCT, be.publicFromDer(spki, 'spki'));
    } catch {
      throw new DecodeError('DH public numbers were refused by OpenSSL');
    }
  }
}

/**
 * A DH private value x with its public numbers. `x` never appears in `toString`, `toJSON` or `util.inspect`.
 * @example
 * ```ts
 * import { DHPrivateNumbers } from 'coffer/hazmat/asymmetric/dh';
 * const key = new DHPrivateNumbers(x, publicNumbers).privateKey();
 * ```
 */
export class DHPrivateNumbers {
  readonly #x: bigint;
  readonly publicNumbers: DHPublicNumbers;
  /** @throws {TypeError} on wrong types. @throws {RangeError} when `x` is negative. */
  constructor(x: bigint, publicNumbers: DHPublicNumbers) {
    this.#x = bigintArg('x', x);
    if (!(publicNumbers instanceof DHPublicNumbers) || !Object.isFrozen(publicNumbers)) {
      throw new TypeError(`"publicNumbers" must be a DHPublicNumbers, got ${describeValue(publicNumbers)}`);
    }
    this.publicNumbers = publicNumbers;
    Object.freeze(this);
  }
  /** The private value x. */
  get x(): bigint {
    return this.#x;
  }
  /** @throws {RangeError} when x is out of range or does not match y. */
  privateKey(): DHPrivateKey {
    const pn = this.publicNumbers.parameterNumbers;
    if (pn.q !== undefined) throw new UnsupportedAlgorithm('X9.42 DH parameters (with q) are not supported');
    if (this.#x < 1n || this.#x >= pn.p - 1n) throw new RangeError('"x" must be in [1, p-2]');
    const pkcs8 = der.sequence([
      der.integer(0n),
      der.sequence([der.oid(OID_DH), pn.encode()]),
      der.octetString(der.integer(this.#x)),
    ]);
    let key: DHPrivateKey;
    try {
      key = new DHPrivateKey(CONSTRUCT, be.privateFromDer(pkcs8, 'pkcs8'));
    } catch {
      throw new DecodeError('DH private numbers were refused by OpenSSL');
    } finally {
      pkcs8.fill(0);
    }
    if (key.publicKey().publicNumbers().y !== this.publicNumbers.y)
      throw new RangeError('"y" does not match "x"');
    return key;
  }
  toString(): string {
    return `DHPrivateNumbers(${bitLength(this.publicNumbers.parameterNumbers.p)} bits)`;
  }
  toJSON(): { type: string } {
    return { type: 'DHPrivateNumbers' };
  }
  [inspect.custom](): string {
    return this.toString();
  }
}

function readKey(
  derBytes: Uint8Array,
  what: string,
  isPublic: boolean,
): { params: DHParameterNumbers; v: bigint } {
  const top = new DerReader(derBytes, what);
  const seq = top.readSequence();
  if (!isPublic) seq.readInteger();
  const alg = seq.readSequence();
  if (alg.readOid() !== OID_DH) throw new UnsupportedAlgorithm('X9.42 DH keys are not supported');
  const ps = alg.readSequence();
  const params = new DHParameterNumbers(ps.readInteger(), ps.readInteger());
  const inner = isPublic ? seq.readBitString().bytes : seq.readOctetString();
  return { params, v: new DerReader(inner, what).readInteger() };
}

/** A DH public key. */
export class DHPublicKey extends AsymmetricPublicKey {
  /** Size of p in bits. */
  get keySize(): number {
    return bitLength(this.publicNumbers().parameterNumbers.p);
  }
  protected override get details(): string {
    return `${this.keySize} bits`;
  }
  /** y with p and g. */
  publicNumbers(): DHPublicNumbers {
    const { params, v } = readKey(be.exportDer(keyObjectOf(this), 'spki'), 'DH public key', true);
    return new DHPublicNumbers(v, params);
  }
  /** The group. */
  parameters(): DHParameters {
    return this.publicNumbers().parameterNumbers.parameters();
  }
}

/** A DH private key. */
export class DHPrivateKey extends AsymmetricPrivateKey {
  #public: DHPublicKey | undefined;

  /** Size of p in bits. */
  get keySize(): number {
    return this.publicKey().keySize;
  }
  protected override get details(): string {
    return `${this.keySize} bits`;
  }
  /** The matching public key (made once, then cached). */
  publicKey(): DHPublicKey {
    this.#public ??= new DHPublicKey(CONSTRUCT, be.publicOf(keyObjectOf(this)));
    return this.#public;
  }
  /** The group. */
  parameters(): DHParameters {
    return this.publicKey().parameters();
  }
  /** x with y, p and g. Handle the result as a secret. */
  privateNumbers(): DHPrivateNumbers {
    const pkcs8 = be.exportDer(keyObjectOf(this), 'pkcs8');
    try {
      const { v } = readKey(pkcs8, 'DH private key', false);
      return new DHPrivateNumbers(v, this.publicKey().publicNumbers());
    } finally {
      pkcs8.fill(0);
    }
  }
  /**
   * The shared secret with `peerPublicKey` (same group), left-padded to the size of p.
   * @throws {TypeError} when `peerPublicKey` is not a DHPublicKey.
   * @throws {InvalidKey} when OpenSSL rejects the peer's value or the groups differ.
   */
  exchange(peerPublicKey: DHPublicKey): Uint8Array {
    const peer = keyObjectOf(keyArg('peerPublicKey', peerPublicKey, DHPublicKey));
    let secret: Buffer;
    try {
      secret = be.derive(keyObjectOf(this), peer);
    } catch {
      throw new InvalidKey();
    }
    const size = Math.ceil(this.keySize / 8);
    if (secret.length === size) return new Uint8Array(secret.buffer, secret.byteOffset, secret.length);
    const out = new Uint8Array(size);
    out.set(secret, size - secret.length);
    secret.fill(0);
    return out;
  }
}
