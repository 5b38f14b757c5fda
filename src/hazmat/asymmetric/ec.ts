/**
 * Elliptic-curve keys, ECDSA and ECDH, after pyca's `cryptography.hazmat.primitives.asymmetric.ec`:
 * P-256, P-384, P-521, secp256k1 and the brainpool r1 curves, backed by OpenSSL through node:crypto.
 *
 * > **Hazmat.** ECDSA needs a good hash and a unique per-signature nonce (OpenSSL draws it); ECDH output is
 * > not a key — derive one with `HKDF` from `coffer/hazmat/kdf`. For new designs prefer Ed25519 and X25519
 * > (`coffer/hazmat/asymmetric/ed25519`, `.../x25519`).
 *
 * Signatures are DER by default (as pyca); pass `{ signatureEncoding: 'ieee-p1363' }` to `ECDSA` for raw
 * r‖s (JOSE, WebCrypto). `verify` throws `InvalidSignature`. Public points are checked to lie on the curve.
 *
 * `Prehashed` ECDSA (signing a digest the caller computed) works on P-256, P-384, P-521 and secp256k1. It
 * comes from the audited `@noble/curves`, because node:crypto always hashes its input; the brainpool curves
 * throw `UnsupportedAlgorithm` for it. The digest must be the prehash algorithm's size.
 *
 * @example
 * ```ts
 * import { ECDSA, EllipticCurvePrivateKey, SECP256R1 } from 'coffer/hazmat/asymmetric/ec';
 * import { SHA256 } from 'coffer/hazmat/hashes';
 * const key = EllipticCurvePrivateKey.generate(new SECP256R1());
 * const signature = key.sign('message', new ECDSA(new SHA256()));
 * key.publicKey().verify(signature, 'message', new ECDSA(new SHA256()));
 * ```
 * @module
 */
import { inspect } from 'node:util';
import { DecodeError, InvalidKey, InvalidSignature, UnsupportedAlgorithm } from '../../errors.ts';
import { DerReader, der } from '../../formats/der.ts';
import * as be from '../../internal/backend-pkey.ts';
import { bytes, bytesLike, describeValue, plainObject, string, u8 } from '../../internal/bytes.ts';
import { type HashAlgorithm, hashAlgorithm } from '../../internal/hash.ts';
import { hasPrehashedCurve, signDigest, verifyDigest } from '../../internal/noble-ecdsa.ts';
import {
  AsymmetricPrivateKey,
  AsymmetricPublicKey,
  bigintArg,
  bigintToBytes,
  bytesToBigint,
  CONSTRUCT,
  keyArg,
  keyObjectOf,
} from '../../internal/pkey-base.ts';
import { isPrehashed, type Prehashed } from '../../internal/prehashed.ts';

const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';

/** Base of the curve classes. Instances are plain descriptions; create them with `new SECP256R1()`. */
export abstract class EllipticCurve {
  /** pyca's name (`'secp256r1'`, `'brainpoolP256r1'`). */
  abstract readonly name: string;
  /** Size of the group order in bits. */
  abstract readonly keySize: number;
  /** @internal OpenSSL's curve name. */
  abstract readonly opensslName: string;
  /** @internal The curve's OBJECT IDENTIFIER. */
  abstract readonly oid: string;
  toString(): string {
    return this.name;
  }
}

function curveClass(name: string, keySize: number, opensslName: string, oid: string) {
  return class extends EllipticCurve {
    readonly name = name;
    readonly keySize = keySize;
    readonly opensslName = opensslName;
    readonly oid = oid;
  };
}

/** NIST P-256 (secp256r1, prime256v1). */
export class SECP256R1 extends curveClass('secp256r1', 256, 'prime256v1', '1.2.840.10045.3.1.7') {}
/** NIST P-384. */
export class SECP384R1 extends curveClass('secp384r1', 384, 'secp384r1', '1.3.132.0.34') {}
/** NIST P-521. */
export class SECP521R1 extends curveClass('secp521r1', 521, 'secp521r1', '1.3.132.0.35') {}
/** secp256k1 (SEC 2), Bitcoin's curve. */
export class SECP256K1 extends curveClass('secp256k1', 256, 'secp256k1', '1.3.132.0.10') {}
/** brainpoolP256r1 (RFC 5639). */
export class BrainpoolP256R1 extends curveClass(
  'brainpoolP256r1',
  256,
  'brainpoolP256r1',
  '1.3.36.3.3.2.8.1.1.7',
) {}
/** brainpoolP384r1 (RFC 5639). */
export class BrainpoolP384R1 extends curveClass(
  'brainpoolP384r1',
  384,
  'brainpoolP384r1',
  '1.3.36.3.3.2.8.1.1.11',
) {}
/** brainpoolP512r1 (RFC 5639). */
export class BrainpoolP512R1 extends curveClass(
  'brainpoolP512r1',
  512,
  'brainpoolP512r1',
  '1.3.36.3.3.2.8.1.1.13',
) {}

const CURVES: readonly (new () => EllipticCurve)[] = [
  SECP256R1,
  SECP384R1,
  SECP521R1,
  SECP256K1,
  BrainpoolP256R1,
  BrainpoolP384R1,
  BrainpoolP512R1,
];
const BY_OPENSSL = new Map<string, EllipticCurve>();
const BY_OID = new Map<string, EllipticCurve>();
for (const C of CURVES) {
  const c = new C();
  BY_OPENSSL.set(c.opensslName, c);
  BY_OID.set(c.oid, c);
}

function curveArg(name: string, value: unknown): EllipticCurve {
  // The instance's own fields, not just its prototype: Object.create(SECP256R1.prototype) has none.
  const known =
    value instanceof EllipticCurve && typeof value.oid === 'string' ? BY_OID.get(value.oid) : undefined;
  if (known === undefined || known.opensslName !== (value as EllipticCurve).opensslName) {
    throw new TypeError(`"${name}" must be a curve such as new SECP256R1(), got ${describeValue(value)}`);
  }
  return known;
}

/**
 * The curve for a named-curve OBJECT IDENTIFIER (dotted form).
 * @throws {TypeError} when `oid` is not a string. @throws {UnsupportedAlgorithm} for a curve coffer lacks.
 * @example
 * ```ts
 * import { getCurveForOid } from 'coffer/hazmat/asymmetric/ec';
 * getCurveForOid('1.2.840.10045.3.1.7').name; // 'secp256r1'
 * ```
 */
export function getCurveForOid(oid: string): EllipticCurve {
  const c = BY_OID.get(string('oid', oid));
  if (c === undefined) throw new UnsupportedAlgorithm(`no supported curve has OID ${oid.slice(0, 64)}`);
  return c;
}

/** Internal: the curve for a KeyObject. */
function curveOf(ko: be.NodeKeyObject): EllipticCurve {
  const name = ko.asymmetricKeyDetails?.namedCurve;
  const c = name === undefined ? undefined : BY_OPENSSL.get(name);
  if (c === undefined) throw new UnsupportedAlgorithm(`unsupported curve ${String(name)}`);
  return c;
}

const byteLength = (curve: EllipticCurve): number => Math.ceil(curve.keySize / 8);

// ---------------------------------------------------------------------------------------------------
// Signature algorithm objects.

/** Options for {@link ECDSA}. */
export interface ECDSAOptions {
  /** `'der'` (default, as pyca and X.509) or `'ieee-p1363'` (fixed-size r‖s, as JOSE and WebCrypto). */
  signatureEncoding?: 'der' | 'ieee-p1363';
}

/**
 * ECDSA with a hash (or a `Prehashed` marker) and a signature encoding.
 * @example
 * ```ts
 * import { ECDSA } from 'coffer/hazmat/asymmetric/ec';
 * import { SHA256 } from 'coffer/hazmat/hashes';
 * const der = new ECDSA(new SHA256());
 * const raw = new ECDSA(new SHA256(), { signatureEncoding: 'ieee-p1363' });
 * ```
 */
export class ECDSA {
  readonly #algorithm: HashAlgorithm | Prehashed;
  readonly #encoding: 'der' | 'ieee-p1363';
  /** @internal */ static check: (value: unknown) => ECDSA;

  static {
    ECDSA.check = (value) => {
      if (typeof value !== 'object' || value === null || !(#algorithm in value)) {
        throw new TypeError(`"signatureAlgorithm" must be new ECDSA(algorithm), got ${describeValue(value)}`);
      }
      return value;
    };
  }

  /**
   * @throws {TypeError} when `algorithm` is neither a (non-XOF) HashAlgorithm nor a Prehashed, or the
   * encoding is not `'der'` or `'ieee-p1363'`.
   */
  constructor(algorithm: HashAlgorithm | Prehashed, options: ECDSAOptions = {}) {
    if (isPrehashed(algorithm)) this.#algorithm = algorithm;
    else {
      const alg = hashAlgorithm('algorithm', algorithm);
      if (alg.isXof) throw new TypeError(`"algorithm" must not be an XOF, got ${alg.name}`);
      this.#algorithm = alg;
    }
    const o = plainObject('options', options);
    const enc = o.signatureEncoding === undefined ? 'der' : o.signatureEncoding;
    if (enc !== 'der' && enc !== 'ieee-p1363') {
      throw new TypeError(`"signatureEncoding" must be 'der' or 'ieee-p1363', got ${describeValue(enc)}`);
    }
    this.#encoding = enc;
    Object.freeze(this);
  }

  /** The hash, or the `Prehashed` marker. */
  get algorithm(): HashAlgorithm | Prehashed {
    return this.#algorithm;
  }

  /** `'der'` or `'ieee-p1363'`. */
  get signatureEncoding(): 'der' | 'ieee-p1363' {
    return this.#encoding;
  }

  /** @internal OpenSSL digest name; throws for Prehashed. */
  get digestName(): string {
    const alg = this.#algorithm;
    if (isPrehashed(alg)) {
      throw new UnsupportedAlgorithm('Prehashed ECDSA has no OpenSSL digest name');
    }
    return alg.opensslName;
  }
}

/**
 * For a `Prehashed` ECDSA: checks that the curve supports it and that `digest` has the prehash's size,
 * and returns the Prehashed; `undefined` for an ordinary ECDSA.
 */
function prehashedDigest(alg: ECDSA, digest: Uint8Array, curve: EllipticCurve): Prehashed | undefined {
  const pre = alg.algorithm;
  if (!isPrehashed(pre)) return undefined;
  if (!hasPrehashedCurve(curve.name)) {
    throw new UnsupportedAlgorithm(
      `Prehashed ECDSA is available on P-256, P-384, P-521 and secp256k1, not ${curve.name}`,
    );
  }
  if (digest.length !== pre.digestSize) {
    throw new RangeError(
      `"data" must be the ${pre.digestSize}-byte ${pre.algorithm.name} digest, got ${digest.length} bytes`,
    );
  }
  return pre;
}

/**
 * Elliptic-curve Diffie-Hellman (the algorithm marker for `exchange`).
 * @example
 * ```ts
 * import { ECDH } from 'coffer/hazmat/asymmetric/ec';
 * const shared = myKey.exchange(new ECDH(), peerPublicKey);
 * ```
 */
export class ECDH {
  constructor() {
    Object.freeze(this);
  }
}

// ---------------------------------------------------------------------------------------------------
// Numbers.

/**
 * A public point as integers. `publicKey()` checks that it lies on the curve.
 * @example
 * ```ts
 * import { EllipticCurvePublicNumbers, SECP256R1 } from 'coffer/hazmat/asymmetric/ec';
 * const publicKey = new EllipticCurvePublicNumbers(x, y, new SECP256R1()).publicKey();
 * ```
 */
export class EllipticCurvePublicNumbers {
  readonly x: bigint;
  readonly y: bigint;
  readonly curve: EllipticCurve;
  /** @throws {TypeError} when `x`/`y` are not bigints or `curve` is not a curve. @throws {RangeError} when negative. */
  constructor(x: bigint, y: bigint, curve: EllipticCurve) {
    this.x = bigintArg('x', x);
    this.y = bigintArg('y', y);
    this.curve = curveArg('curve', curve);
    Object.freeze(this);
  }
  /** @throws {DecodeError} when the point is not on the curve (or a coordinate does not fit the field). */
  publicKey(): EllipticCurvePublicKey {
    const n = byteLength(this.curve);
    if (this.x >= 1n << BigInt(n * 8) || this.y >= 1n << BigInt(n * 8)) {
      throw new DecodeError('EC public numbers: the point is not on the curve');
    }
    const point = new Uint8Array(1 + 2 * n);
    point[0] = 4;
    point.set(bigintToBytes(this.x, n), 1);
    point.set(bigintToBytes(this.y, n), 1 + n);
    return EllipticCurvePublicKey.fromEncodedPoint(this.curve, point);
  }
  /** True when both describe the same point on the same curve. */
  equals(other: EllipticCurvePublicNumbers): boolean {
    return (
      other instanceof EllipticCurvePublicNumbers &&
      other.x === this.x &&
      other.y === this.y &&
      other.curve.name === this.curve.name
    );
  }
}

/**
 * A private scalar with its public point. `privateValue` is secret: it never appears in `toString`,
 * `toJSON` or `util.inspect`.
 * @example
 * ```ts
 * import { EllipticCurvePrivateNumbers } from 'coffer/hazmat/asymmetric/ec';
 * const key = new EllipticCurvePrivateNumbers(d, publicNumbers).privateKey();
 * ```
 */
export class EllipticCurvePrivateNumbers {
  readonly #d: bigint;
  readonly publicNumbers: EllipticCurvePublicNumbers;
  /** @throws {TypeError} on wrong types. @throws {RangeError} when `privateValue` is negative. */
  constructor(privateValue: bigint, publicNumbers: EllipticCurvePublicNumbers) {
    this.#d = bigintArg('privateValue', privateValue);
    if (!(publicNumbers instanceof EllipticCurvePublicNumbers) || !Object.isFrozen(publicNumbers)) {
      throw new TypeError(
        `"publicNumbers" must be an EllipticCurvePublicNumbers, got ${describeValue(publicNumbers)}`,
      );
    }
    this.publicNumbers = publicNumbers;
    Object.freeze(this);
  }
  /** The private scalar d. */
  get privateValue(): bigint {
    return this.#d;
  }
  /**
   * @throws {RangeError} when `privateValue` is not in [1, n-1] or does not match `publicNumbers`.
   */
  privateKey(): EllipticCurvePrivateKey {
    const key = EllipticCurvePrivateKey.fromPrivateValue(this.#d, this.publicNumbers.curve);
    if (!key.publicKey().publicNumbers().equals(this.publicNumbers)) {
      throw new RangeError('"publicNumbers" do not match "privateValue"');
    }
    return key;
  }
  toString(): string {
    return `EllipticCurvePrivateNumbers(${this.publicNumbers.curve.name})`;
  }
  toJSON(): { type: string; curve: string } {
    return { type: 'EllipticCurvePrivateNumbers', curve: this.publicNumbers.curve.name };
  }
  [inspect.custom](): string {
    return this.toString();
  }
}

// ---------------------------------------------------------------------------------------------------
// Keys.

/** SubjectPublicKeyInfo for a named curve and an (uncompressed) point (RFC 5480 §2). */
function spkiFor(curve: EllipticCurve, point: Uint8Array): Uint8Array {
  return der.sequence([der.sequence([der.oid(OID_EC_PUBLIC_KEY), der.oid(curve.oid)]), der.bitString(point)]);
}

/** An EC public key: a point on a named curve. */
export class EllipticCurvePublicKey extends AsymmetricPublicKey {
  #curve: EllipticCurve | undefined;
  #point: Uint8Array | undefined;

  /**
   * A public key from a SEC1 point (SEC 1 §2.3.4): uncompressed (`04‖x‖y`) or compressed (`02`/`03‖x`).
   * @throws {TypeError} on wrong argument types.
   * @throws {DecodeError} when the encoding is malformed or the point is not on the curve.
   * @example
   * ```ts
   * import { EllipticCurvePublicKey, SECP256R1 } from 'coffer/hazmat/asymmetric/ec';
   * const publicKey = EllipticCurvePublicKey.fromEncodedPoint(new SECP256R1(), point);
   * ```
   */
  static fromEncodedPoint(curve: EllipticCurve, data: Uint8Array): EllipticCurvePublicKey {
    const c = curveArg('curve', curve);
    bytes('data', data);
    const n = byteLength(c);
    const tag = data[0];
    const ok =
      (data.length === 1 + 2 * n && tag === 4) || (data.length === 1 + n && (tag === 2 || tag === 3));
    if (!ok) {
      throw new DecodeError(
        `EC point for ${c.name} must be ${1 + n} bytes (02/03 compressed) or ${1 + 2 * n} bytes (04 uncompressed)`,
      );
    }
    let point: Uint8Array;
    try {
      // OpenSSL's EC_POINT_oct2point: rejects x or y >= p and points not on the curve.
      point = u8(be.convertPoint(c.opensslName, data, 'uncompressed'));
    } catch {
      throw new DecodeError(`invalid EC point: not on ${c.name}`);
    }
    let ko: be.NodeKeyObject;
    try {
      ko = be.publicFromDer(spkiFor(c, point), 'spki');
    } catch {
      throw new DecodeError(`invalid EC point: not on ${c.name}`);
    }
    return new EllipticCurvePublicKey(CONSTRUCT, ko);
  }

  /** The key's curve. */
  get curve(): EllipticCurve {
    this.#curve ??= curveOf(keyObjectOf(this));
    return this.#curve;
  }

  /** Size of the curve's order in bits. */
  get keySize(): number {
    return this.curve.keySize;
  }

  protected override get details(): string {
    return this.curve.name;
  }

  /** The uncompressed SEC1 point, made once. */
  #uncompressed(): Uint8Array {
    if (this.#point === undefined) {
      const top = new DerReader(be.exportDer(keyObjectOf(this), 'spki'), 'EC SubjectPublicKeyInfo');
      const spki = top.readSequence();
      spki.readSequence();
      const raw = spki.readBitString().bytes;
      this.#point =
        raw[0] === 4
          ? Uint8Array.from(raw)
          : u8(be.convertPoint(this.curve.opensslName, raw, 'uncompressed'));
    }
    return this.#point;
  }

  protected override encodedPoint(compressed: boolean): Uint8Array {
    const p = this.#uncompressed();
    return compressed ? u8(be.convertPoint(this.curve.opensslName, p, 'compressed')) : Uint8Array.from(p);
  }

  /** The point as integers. */
  publicNumbers(): EllipticCurvePublicNumbers {
    const p = this.#uncompressed();
    const n = (p.length - 1) / 2;
    return new EllipticCurvePublicNumbers(
      bytesToBigint(p.subarray(1, 1 + n)),
      bytesToBigint(p.subarray(1 + n)),
      this.curve,
    );
  }

  /**
   * Checks an ECDSA `signature` over `data` (bytes, or a string as UTF-8).
   * @throws {InvalidSignature} when it does not verify (malformed DER, wrong length, wrong key, ...).
   * @throws {TypeError} on wrong argument types. @throws {UnsupportedAlgorithm} for `Prehashed` on a brainpool curve. @throws {RangeError} when a prehashed digest has the wrong size.
   */
  verify(signature: Uint8Array, data: Uint8Array | string, signatureAlgorithm: ECDSA): void {
    bytes('signature', signature);
    const msg = bytesLike('data', data);
    const alg = ECDSA.check(signatureAlgorithm);
    const pre = prehashedDigest(alg, msg, this.curve);
    if (pre !== undefined) {
      const ok = verifyDigest(this.curve.name, this.#uncompressed(), msg, signature, alg.signatureEncoding);
      if (!ok) throw new InvalidSignature();
      return;
    }
    const digestName = alg.digestName;
    let ok = false;
    try {
      ok = be.verify(
        digestName,
        msg,
        { key: keyObjectOf(this), dsaEncoding: alg.signatureEncoding },
        signature,
      );
    } catch {
      ok = false;
    }
    if (!ok) throw new InvalidSignature();
  }
}

/** An EC private key. The scalar never appears in `toString`, `toJSON` or `util.inspect`. */
export class EllipticCurvePrivateKey extends AsymmetricPrivateKey {
  #curve: EllipticCurve | undefined;
  #public: EllipticCurvePublicKey | undefined;

  /**
   * A fresh key on `curve` from the OS CSPRNG (through OpenSSL).
   * @throws {TypeError} when `curve` is not a curve instance.
   * @example
   * ```ts
   * import { EllipticCurvePrivateKey, SECP384R1 } from 'coffer/hazmat/asymmetric/ec';
   * const key = EllipticCurvePrivateKey.generate(new SECP384R1());
   * ```
   */
  static generate(curve: EllipticCurve): EllipticCurvePrivateKey {
    const c = curveArg('curve', curve);
    return new EllipticCurvePrivateKey(CONSTRUCT, be.generate('ec', { namedCurve: c.opensslName }));
  }

  /**
   * The key with private scalar `privateValue` on `curve` (its public point is computed).
   * @throws {TypeError} on wrong types. @throws {RangeError} unless 1 <= privateValue < the curve order.
   * @example
   * ```ts
   * import { EllipticCurvePrivateKey, SECP256R1 } from 'coffer/hazmat/asymmetric/ec';
   * const key = EllipticCurvePrivateKey.fromPrivateValue(0x1234n, new SECP256R1());
   * ```
   */
  static fromPrivateValue(privateValue: bigint, curve: EllipticCurve): EllipticCurvePrivateKey {
    const d = bigintArg('privateValue', privateValue);
    const c = curveArg('curve', curve);
    const n = byteLength(c);
    const range = () => new RangeError(`"privateValue" must be between 1 and the order of ${c.name} minus 1`);
    if (d === 0n || d >= 1n << BigInt(n * 8)) throw range();
    const scalar = bigintToBytes(d, n);
    let point: Buffer;
    try {
      point = be.ecPublicPoint(c.opensslName, scalar);
    } catch {
      scalar.fill(0);
      throw range();
    }
    // SEC 1 §C.4 ECPrivateKey { 1, d, [0] curve, [1] point }.
    const sec1 = der.sequence([
      der.integer(1n),
      der.octetString(scalar),
      der.explicit(0, der.oid(c.oid)),
      der.explicit(1, der.bitString(point)),
    ]);
    try {
      return new EllipticCurvePrivateKey(CONSTRUCT, be.privateFromDer(sec1, 'sec1'));
    } finally {
      scalar.fill(0);
      sec1.fill(0);
    }
  }

  /** The key's curve. */
  get curve(): EllipticCurve {
    this.#curve ??= curveOf(keyObjectOf(this));
    return this.#curve;
  }

  /** Size of the curve's order in bits. */
  get keySize(): number {
    return this.curve.keySize;
  }

  protected override get details(): string {
    return this.curve.name;
  }

  /** The matching public key (made once, then cached). */
  publicKey(): EllipticCurvePublicKey {
    this.#public ??= new EllipticCurvePublicKey(CONSTRUCT, be.publicOf(keyObjectOf(this)));
    return this.#public;
  }

  /** The private scalar and public point as integers. Handle the result as a secret. */
  privateNumbers(): EllipticCurvePrivateNumbers {
    const sec1 = be.exportDer(keyObjectOf(this), 'sec1');
    try {
      const top = new DerReader(sec1, 'SEC1 private key');
      const seq = top.readSequence();
      seq.readInteger();
      const d = bytesToBigint(seq.readOctetString());
      return new EllipticCurvePrivateNumbers(d, this.publicKey().publicNumbers());
    } finally {
      sec1.fill(0);
    }
  }

  /**
   * The ECDSA signature of `data` (bytes, or a string as UTF-8), DER or r‖s as `signatureAlgorithm` says.
   * @throws {TypeError} on wrong argument types. @throws {UnsupportedAlgorithm} for `Prehashed` on a brainpool curve. @throws {RangeError} when a prehashed digest has the wrong size.
   */
  sign(data: Uint8Array | string, signatureAlgorithm: ECDSA): Uint8Array {
    const msg = bytesLike('data', data);
    const alg = ECDSA.check(signatureAlgorithm);
    if (prehashedDigest(alg, msg, this.curve) !== undefined) {
      const sec1 = be.exportDer(keyObjectOf(this), 'sec1');
      try {
        const seq = new DerReader(sec1, 'SEC1 private key').readSequence();
        seq.readInteger();
        const scalar = seq.readOctetString();
        return signDigest(this.curve.name, scalar, msg, alg.signatureEncoding);
      } finally {
        sec1.fill(0);
      }
    }
    return u8(be.sign(alg.digestName, msg, { key: keyObjectOf(this), dsaEncoding: alg.signatureEncoding }));
  }

  /**
   * The ECDH shared secret (the x-coordinate, SEC 1 §3.3.1) with `peerPublicKey` on the same curve.
   * Derive keys from it with a KDF.
   * @throws {TypeError} on wrong argument types or a peer on another curve.
   * @throws {InvalidKey} when OpenSSL refuses the agreement.
   */
  exchange(algorithm: ECDH, peerPublicKey: EllipticCurvePublicKey): Uint8Array {
    // Frozen by its constructor: Object.create(ECDH.prototype) is not.
    if (!(algorithm instanceof ECDH) || !Object.isFrozen(algorithm)) {
      throw new TypeError(`"algorithm" must be new ECDH(), got ${describeValue(algorithm)}`);
    }
    const peer = keyArg('peerPublicKey', peerPublicKey, EllipticCurvePublicKey);
    if (peer.curve.name !== this.curve.name) {
      throw new TypeError(`"peerPublicKey" must be on ${this.curve.name}, got ${peer.curve.name}`);
    }
    try {
      return u8(be.derive(keyObjectOf(this), keyObjectOf(peer)));
    } catch {
      throw new InvalidKey();
    }
  }

  protected override traditional(): { type: 'sec1' } {
    return { type: 'sec1' };
  }
}
