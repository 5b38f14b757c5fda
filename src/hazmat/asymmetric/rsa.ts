/**
 * RSA keys, signatures and encryption, after pyca's `cryptography.hazmat.primitives.asymmetric.rsa`,
 * backed by OpenSSL through node:crypto.
 *
 * > **Hazmat.** Sign with `PSS`, encrypt with `OAEP`; RSA encryption is for small secrets (wrap a symmetric
 * > key). PKCS#1 v1.5 decryption is legacy: it is only done where the runtime's OpenSSL offers implicit
 * > rejection (Node 24 and newer lines); Node 20 refuses it (CVE-2023-46809) and coffer then throws
 * > `UnsupportedAlgorithm`. With implicit rejection a bad ciphertext decrypts to random-looking bytes,
 * > never to an error, so only use it inside a protocol that authenticates the result.
 *
 * `verify` throws `InvalidSignature`; every decryption failure is the same opaque `DecodeError`.
 *
 * @example
 * ```ts
 * import { MGF1, OAEP, PSS } from 'coffer/hazmat/asymmetric/padding';
 * import { RSAPrivateKey } from 'coffer/hazmat/asymmetric/rsa';
 * import { SHA256 } from 'coffer/hazmat/hashes';
 * const key = RSAPrivateKey.generate({ keySize: 3072 });
 * const pss = new PSS({ mgf: new MGF1(new SHA256()), saltLength: PSS.DIGEST_LENGTH });
 * const signature = key.sign('message', pss, new SHA256());
 * key.publicKey().verify(signature, 'message', pss, new SHA256());
 * const oaep = new OAEP({ mgf: new MGF1(new SHA256()), algorithm: new SHA256() });
 * const ciphertext = key.publicKey().encrypt(new Uint8Array(32), oaep);
 * key.decrypt(ciphertext, oaep);
 * ```
 * @module
 */
import { inspect } from 'node:util';
import { DecodeError, InvalidSignature, UnsupportedAlgorithm } from '../../errors.ts';
import { DerReader, der } from '../../formats/der.ts';
import * as be from '../../internal/backend-pkey.ts';
import { bytes, bytesLike, describeValue, integer, plainObject, u8 } from '../../internal/bytes.ts';
import { type HashAlgorithm, hashAlgorithm } from '../../internal/hash.ts';
import {
  AsymmetricPrivateKey,
  AsymmetricPublicKey,
  bigintArg,
  bigintToB64u,
  bitLength,
  CONSTRUCT,
  keyObjectOf,
} from '../../internal/pkey-base.ts';
import { isPrehashed, type Prehashed } from '../../internal/prehashed.ts';
import { type AsymmetricPadding, MGF1, OAEP, PKCS1v15, PSS } from './padding.ts';

/** Smallest modulus `generate` makes (as pyca). */
export const MIN_RSA_KEY_SIZE = 1024;
/** Largest modulus coffer generates or loads: 16384 bits. Larger keys would make each call a DoS. */
export const MAX_RSA_KEY_SIZE = 16384;

const { RSA_PKCS1_PADDING, RSA_PKCS1_PSS_PADDING, RSA_PKCS1_OAEP_PADDING, RSA_PSS_SALTLEN_AUTO } =
  be.constants;

function hashArg(name: string, value: unknown): HashAlgorithm {
  const alg = hashAlgorithm(name, value);
  if (alg.isXof) throw new TypeError(`"${name}" must not be an XOF, got ${alg.name}`);
  return alg;
}

/** A real padding object (frozen by its constructor; prototype look-alikes are not). */
function paddingArg(value: unknown, allowed: readonly (abstract new (...a: never[]) => AsymmetricPadding)[]) {
  if (!allowed.some((C) => value instanceof C) || !Object.isFrozen(value)) {
    const names = allowed.map((C) => `new ${C.name}(...)`).join(' or ');
    throw new TypeError(`"padding" must be ${names}, got ${describeValue(value)}`);
  }
  return value as PKCS1v15 | PSS | OAEP;
}

function sameMgf(mgf: MGF1, alg: HashAlgorithm, what: string): void {
  if (!(mgf instanceof MGF1) || mgf.algorithm.opensslName !== alg.opensslName) {
    throw new UnsupportedAlgorithm(
      `${what} with MGF1 over a different hash than the ${what === 'OAEP' ? 'OAEP' : 'signature'} hash is not available in node:crypto`,
    );
  }
}

// RFC 8017 §9.2 note 1: DigestInfo ::= SEQUENCE { AlgorithmIdentifier { oid, NULL }, OCTET STRING digest }.
const DIGEST_OIDS: Readonly<Record<string, string>> = {
  md5: '1.2.840.113549.2.5',
  sha1: '1.3.14.3.2.26',
  sha224: '2.16.840.1.101.3.4.2.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  'sha512-224': '2.16.840.1.101.3.4.2.5',
  'sha512-256': '2.16.840.1.101.3.4.2.6',
  'sha3-224': '2.16.840.1.101.3.4.2.7',
  'sha3-256': '2.16.840.1.101.3.4.2.8',
  'sha3-384': '2.16.840.1.101.3.4.2.9',
  'sha3-512': '2.16.840.1.101.3.4.2.10',
};

function digestInfo(alg: HashAlgorithm, digest: Uint8Array): Uint8Array {
  const oid = DIGEST_OIDS[alg.opensslName];
  if (oid === undefined) throw new UnsupportedAlgorithm(`PKCS#1 v1.5 has no DigestInfo for ${alg.name}`);
  return der.sequence([der.sequence([der.oid(oid), der.null()]), der.octetString(digest)]);
}

function pssSalt(p: PSS, alg: HashAlgorithm, bits: number, verifying: boolean): number {
  const max = Math.ceil((bits - 1) / 8) - alg.digestSize - 2;
  if (max < 0) throw new RangeError(`"algorithm" ${alg.name} is too large for PSS with a ${bits}-bit key`);
  const s = p.saltLength;
  if (s === PSS.AUTO) {
    if (!verifying) throw new TypeError('"saltLength" PSS.AUTO is only for verification');
    return RSA_PSS_SALTLEN_AUTO;
  }
  const n = s === PSS.MAX_LENGTH ? max : s === PSS.DIGEST_LENGTH ? alg.digestSize : s;
  if (n > max) throw new RangeError(`"saltLength" must be at most ${max} for this key and hash, got ${n}`);
  return n;
}

type SignAlgorithm = HashAlgorithm | Prehashed;

function signAlgorithm(value: unknown): { alg: HashAlgorithm; prehashed: boolean } {
  if (isPrehashed(value)) return { alg: value.algorithm, prehashed: true };
  return { alg: hashArg('algorithm', value), prehashed: false };
}

/** id-RSASSA-PSS keys (RFC 4055 §3.1) can only sign and verify with PSS: OpenSSL enforces their limits. */
function pssOnly(ko: be.NodeKeyObject, what: string): void {
  if ((ko.asymmetricKeyType as string) === 'rsa-pss') {
    throw new UnsupportedAlgorithm(
      `this key is restricted to RSASSA-PSS signatures (id-RSASSA-PSS): no ${what}`,
    );
  }
}

function keyBits(ko: be.NodeKeyObject): number {
  return ko.asymmetricKeyDetails?.modulusLength ?? 0;
}

// ---------------------------------------------------------------------------------------------------
// Numbers and CRT helpers (RFC 8017 §3.2). BigInt arithmetic on public formats, not RSA itself.

function modInverse(a: bigint, m: bigint): bigint {
  let [r0, r1] = [((a % m) + m) % m, m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new RangeError('"p" and "q" must be coprime');
  return ((s0 % m) + m) % m;
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function boundedModulus(name: string, n: bigint): bigint {
  if (bitLength(n) > MAX_RSA_KEY_SIZE)
    throw new RangeError(`"${name}" must be at most ${MAX_RSA_KEY_SIZE} bits`);
  return n;
}

/**
 * qInv = q^-1 mod p, the CRT coefficient (RFC 8017 §3.2).
 * @throws {TypeError} when not bigints. @throws {RangeError} when negative or not coprime.
 * @example
 * ```ts
 * import { rsaCrtIqmp } from 'coffer/hazmat/asymmetric/rsa';
 * rsaCrtIqmp(11n, 7n); // 8n
 * ```
 */
export function rsaCrtIqmp(p: bigint, q: bigint): bigint {
  const pp = boundedModulus('p', bigintArg('p', p));
  const qq = boundedModulus('q', bigintArg('q', q));
  if (pp < 2n) throw new RangeError('"p" must be at least 2');
  return modInverse(qq, pp);
}

/**
 * dP = d mod (p - 1).
 * @throws {TypeError} when not bigints. @throws {RangeError} when negative or p < 2.
 * @example
 * ```ts
 * import { rsaCrtDmp1 } from 'coffer/hazmat/asymmetric/rsa';
 * rsaCrtDmp1(d, p);
 * ```
 */
export function rsaCrtDmp1(privateExponent: bigint, p: bigint): bigint {
  const d = bigintArg('privateExponent', privateExponent);
  const pp = bigintArg('p', p);
  if (pp < 2n) throw new RangeError('"p" must be at least 2');
  return d % (pp - 1n);
}

/**
 * dQ = d mod (q - 1).
 * @throws {TypeError} when not bigints. @throws {RangeError} when negative or q < 2.
 * @example
 * ```ts
 * import { rsaCrtDmq1 } from 'coffer/hazmat/asymmetric/rsa';
 * rsaCrtDmq1(d, q);
 * ```
 */
export function rsaCrtDmq1(privateExponent: bigint, q: bigint): bigint {
  const d = bigintArg('privateExponent', privateExponent);
  const qq = bigintArg('q', q);
  if (qq < 2n) throw new RangeError('"q" must be at least 2');
  return d % (qq - 1n);
}

/**
 * The primes p > q of `n` from the exponents (the probabilistic method of NIST SP 800-56B Rev. 2 §C.2,
 * as pyca). Bounded: at most 16384-bit moduli, a fixed number of tries.
 * @throws {TypeError} when not bigints. @throws {RangeError} when the factors cannot be found.
 * @example
 * ```ts
 * import { rsaRecoverPrimeFactors } from 'coffer/hazmat/asymmetric/rsa';
 * const { p, q } = rsaRecoverPrimeFactors(n, e, d);
 * ```
 */
export function rsaRecoverPrimeFactors(n: bigint, e: bigint, d: bigint): { p: bigint; q: bigint } {
  const nn = boundedModulus('n', bigintArg('n', n));
  const ee = bigintArg('e', e);
  const dd = bigintArg('d', d);
  if (nn < 3n || ee < 1n || dd < 1n) throw new RangeError('"n", "e" and "d" must be positive (n at least 3)');
  const ktot = dd * ee - 1n;
  let t = ktot;
  while (t > 0n && t % 2n === 0n) t /= 2n;
  let p: bigint | undefined;
  // 2, 4, ..., 1000 as the bases, like pyca (each base succeeds with probability >= 1/2).
  for (let a = 2n; p === undefined && a < 1000n; a += 2n) {
    for (let k = t; k < ktot; k *= 2n) {
      const cand = modPow(a, k, nn);
      if (cand !== 1n && cand !== nn - 1n && modPow(cand, 2n, nn) === 1n) {
        p = gcd(cand + 1n, nn);
        break;
      }
    }
  }
  if (p === undefined || p === 1n || p === nn || nn % p !== 0n) {
    throw new RangeError('"d" does not match "n" and "e": unable to compute the factors p and q');
  }
  const q = nn / p;
  return p > q ? { p, q } : { p: q, q: p };
}

/**
 * An RSA public key as integers.
 * @example
 * ```ts
 * import { RSAPublicNumbers } from 'coffer/hazmat/asymmetric/rsa';
 * const publicKey = new RSAPublicNumbers(65537n, n).publicKey();
 * ```
 */
export class RSAPublicNumbers {
  readonly e: bigint;
  readonly n: bigint;
  /** @throws {TypeError} when not bigints. @throws {RangeError} when negative. */
  constructor(e: bigint, n: bigint) {
    this.e = bigintArg('e', e);
    this.n = bigintArg('n', n);
    Object.freeze(this);
  }
  /**
   * @throws {RangeError} when n < 3, n > 16384 bits, e < 3, e >= n or e is even (pyca's checks).
   */
  publicKey(): RSAPublicKey {
    const { e, n } = this;
    boundedModulus('n', n);
    if (n < 3n) throw new RangeError('"n" must be at least 3');
    if (e < 3n || e >= n) throw new RangeError('"e" must be at least 3 and less than "n"');
    if (!(e & 1n)) throw new RangeError('"e" must be odd');
    try {
      return new RSAPublicKey(
        CONSTRUCT,
        be.publicFromJwk({ kty: 'RSA', n: bigintToB64u(n), e: bigintToB64u(e) }),
      );
    } catch {
      throw new DecodeError('RSA public numbers were refused by OpenSSL');
    }
  }
  /** True when both hold the same e and n. */
  equals(other: RSAPublicNumbers): boolean {
    return other instanceof RSAPublicNumbers && other.e === this.e && other.n === this.n;
  }
}

/** Options for {@link RSAPrivateNumbers}: RFC 8017 §3.2's private key in CRT form. */
export interface RSAPrivateNumbersInit {
  p: bigint;
  q: bigint;
  d: bigint;
  dmp1: bigint;
  dmq1: bigint;
  iqmp: bigint;
  publicNumbers: RSAPublicNumbers;
}

const PRIVATE_FIELDS = ['p', 'q', 'd', 'dmp1', 'dmq1', 'iqmp'] as const;

/**
 * An RSA private key as integers. Every field is secret: none appears in `toString`, `toJSON` or
 * `util.inspect`.
 * @example
 * ```ts
 * import { RSAPrivateNumbers } from 'coffer/hazmat/asymmetric/rsa';
 * const key = new RSAPrivateNumbers({ p, q, d, dmp1, dmq1, iqmp, publicNumbers }).privateKey();
 * ```
 */
export class RSAPrivateNumbers {
  readonly #v: Readonly<Record<(typeof PRIVATE_FIELDS)[number], bigint>>;
  readonly publicNumbers: RSAPublicNumbers;
  /** @throws {TypeError} on wrong types. @throws {RangeError} when a value is negative. */
  constructor(init: RSAPrivateNumbersInit) {
    const o = plainObject('init', init);
    const v = {} as Record<(typeof PRIVATE_FIELDS)[number], bigint>;
    for (const f of PRIVATE_FIELDS) v[f] = bigintArg(f, o[f]);
    if (!(o.publicNumbers instanceof RSAPublicNumbers) || !Object.isFrozen(o.publicNumbers)) {
      throw new TypeError(
        `"publicNumbers" must be an RSAPublicNumbers, got ${describeValue(o.publicNumbers)}`,
      );
    }
    this.#v = Object.freeze(v);
    this.publicNumbers = o.publicNumbers;
    Object.freeze(this);
  }
  get p(): bigint {
    return this.#v.p;
  }
  get q(): bigint {
    return this.#v.q;
  }
  get d(): bigint {
    return this.#v.d;
  }
  get dmp1(): bigint {
    return this.#v.dmp1;
  }
  get dmq1(): bigint {
    return this.#v.dmq1;
  }
  get iqmp(): bigint {
    return this.#v.iqmp;
  }
  /**
   * The key, after pyca's consistency checks (p·q = n, every CRT value below its modulus, odd exponents).
   * @throws {RangeError} when the numbers are inconsistent.
   */
  privateKey(): RSAPrivateKey {
    const { p, q, d, dmp1, dmq1, iqmp } = this.#v;
    const { e, n } = this.publicNumbers;
    boundedModulus('n', n);
    if (n < 3n) throw new RangeError('"n" must be at least 3');
    if (p >= n || q >= n) throw new RangeError('"p" and "q" must be less than "n"');
    if (dmp1 >= p || dmq1 >= q || iqmp >= p)
      throw new RangeError('"dmp1", "dmq1" and "iqmp" must be below their primes');
    if (d >= n) throw new RangeError('"d" must be less than "n"');
    if (e < 3n || e >= n || !(e & 1n)) throw new RangeError('"e" must be odd, at least 3 and less than "n"');
    if (!(dmp1 & 1n) || !(dmq1 & 1n)) throw new RangeError('"dmp1" and "dmq1" must be odd');
    if (p * q !== n) throw new RangeError('"p" times "q" must equal "n"');
    const jwk = {
      kty: 'RSA',
      n: bigintToB64u(n),
      e: bigintToB64u(e),
      d: bigintToB64u(d),
      p: bigintToB64u(p),
      q: bigintToB64u(q),
      dp: bigintToB64u(dmp1),
      dq: bigintToB64u(dmq1),
      qi: bigintToB64u(iqmp),
    };
    try {
      return new RSAPrivateKey(CONSTRUCT, be.privateFromJwk(jwk));
    } catch {
      throw new DecodeError('RSA private numbers were refused by OpenSSL');
    }
  }
  toString(): string {
    return `RSAPrivateNumbers(${bitLength(this.publicNumbers.n)} bits)`;
  }
  toJSON(): { type: string } {
    return { type: 'RSAPrivateNumbers' };
  }
  [inspect.custom](): string {
    return this.toString();
  }
}

// ---------------------------------------------------------------------------------------------------
// Keys.

/** An RSA public key. */
export class RSAPublicKey extends AsymmetricPublicKey {
  #bits = 0;

  /** Modulus size in bits. */
  get keySize(): number {
    if (this.#bits === 0) this.#bits = keyBits(keyObjectOf(this));
    return this.#bits;
  }

  protected override get details(): string {
    return `${this.keySize} bits`;
  }

  /** e and n. */
  publicNumbers(): RSAPublicNumbers {
    // SPKI's BIT STRING holds RSAPublicKey { n, e } for rsaEncryption and id-RSASSA-PSS keys alike.
    const top = new DerReader(be.exportDer(keyObjectOf(this), 'spki'), 'RSA public key');
    const spki = top.readSequence();
    spki.readSequence();
    const inner = new DerReader(spki.readBitString().bytes, 'RSA public key').readSequence();
    const n = inner.readInteger();
    return new RSAPublicNumbers(inner.readInteger(), n);
  }

  /**
   * Checks `signature` over `data` (or over a digest, with `Prehashed`; PKCS1v15 only).
   * @throws {InvalidSignature} when it does not verify.
   * @throws {TypeError} on wrong argument types or OAEP as padding.
   * @throws {UnsupportedAlgorithm} for MGF1 over another hash, or Prehashed PSS.
   */
  verify(
    signature: Uint8Array,
    data: Uint8Array | string,
    padding: PKCS1v15 | PSS,
    algorithm: SignAlgorithm,
  ): void {
    bytes('signature', signature);
    const msg = bytesLike('data', data);
    const pad = paddingArg(padding, [PKCS1v15, PSS]);
    const { alg, prehashed } = signAlgorithm(algorithm);
    const ko = keyObjectOf(this);
    if (prehashed) {
      if (pad instanceof PSS) throw new UnsupportedAlgorithm('Prehashed PSS is not available in node:crypto');
      if (msg.length !== alg.digestSize) {
        throw new RangeError(
          `"data" must be ${alg.digestSize} bytes (a ${alg.name} digest), got ${msg.length}`,
        );
      }
      const expected = digestInfo(alg, msg);
      let ok = false;
      try {
        // RFC 8017 §8.2.2 step 1: the signature is exactly k bytes.
        if (signature.length === Math.ceil(this.keySize / 8)) {
          const got = be.publicDecrypt({ key: ko, padding: RSA_PKCS1_PADDING }, signature);
          ok = got.length === expected.length && be.timingSafeEqual(got, expected);
        }
      } catch {
        ok = false;
      }
      if (!ok) throw new InvalidSignature();
      return;
    }
    let options: be.VerifyKey;
    if (pad instanceof PSS) {
      sameMgf(pad.mgf, alg, 'PSS');
      options = {
        key: ko,
        padding: RSA_PKCS1_PSS_PADDING,
        saltLength: pssSalt(pad, alg, this.keySize, true),
      };
    } else options = { key: ko, padding: RSA_PKCS1_PADDING };
    let ok = false;
    try {
      ok = be.verify(alg.opensslName, msg, options, signature);
    } catch {
      ok = false;
    }
    if (!ok) throw new InvalidSignature();
  }

  /**
   * Encrypts a short `plaintext` (wrap a symmetric key) with OAEP, or legacy PKCS1v15.
   * @throws {TypeError} on wrong argument types or PSS as padding.
   * @throws {RangeError} when `plaintext` is longer than the key and padding allow.
   * @throws {UnsupportedAlgorithm} for MGF1 over another hash than the OAEP hash.
   */
  encrypt(plaintext: Uint8Array, padding: OAEP | PKCS1v15): Uint8Array {
    bytes('plaintext', plaintext);
    const pad = paddingArg(padding, [OAEP, PKCS1v15]);
    const k = Math.ceil(this.keySize / 8);
    const ko = keyObjectOf(this);
    pssOnly(ko, 'encryption');
    if (pad instanceof OAEP) {
      sameMgf(pad.mgf, pad.algorithm, 'OAEP');
      // RFC 8017 §7.1.1: mLen <= k - 2hLen - 2.
      const max = k - 2 * pad.algorithm.digestSize - 2;
      if (plaintext.length > max) {
        throw new RangeError(
          `"plaintext" must be at most ${Math.max(max, 0)} bytes for this key with OAEP-${pad.algorithm.name}, got ${plaintext.length}`,
        );
      }
      const options: Record<string, unknown> = {
        key: ko,
        padding: RSA_PKCS1_OAEP_PADDING,
        oaepHash: pad.algorithm.opensslName,
      };
      if (pad.label !== undefined) options.oaepLabel = pad.label;
      return u8(be.publicEncrypt(options as never, plaintext));
    }
    // RFC 8017 §7.2.1: mLen <= k - 11.
    if (plaintext.length > k - 11) {
      throw new RangeError(
        `"plaintext" must be at most ${k - 11} bytes for this key with PKCS1v15, got ${plaintext.length}`,
      );
    }
    return u8(be.publicEncrypt({ key: ko, padding: RSA_PKCS1_PADDING }, plaintext));
  }
}

/** Options for {@link RSAPrivateKey.generate}. */
export interface RSAGenerateOptions {
  /** 65537 (default) or 3, as pyca allows. */
  publicExponent?: number;
  /** Modulus size in bits: 1024 to 16384, default 2048. */
  keySize?: number;
}

const DECRYPTION_FAILED = 'decryption failed';

/** An RSA private key. Its numbers never appear in `toString`, `toJSON` or `util.inspect`. */
export class RSAPrivateKey extends AsymmetricPrivateKey {
  #bits = 0;
  #public: RSAPublicKey | undefined;

  /**
   * A fresh key pair from OpenSSL.
   * @throws {TypeError} when `options` or a field has the wrong type.
   * @throws {RangeError} when `keySize` is under 1024 or over 16384, or `publicExponent` is not 3 or 65537.
   * @example
   * ```ts
   * import { RSAPrivateKey } from 'coffer/hazmat/asymmetric/rsa';
   * const key = RSAPrivateKey.generate({ keySize: 3072 });
   * ```
   */
  static generate(options: RSAGenerateOptions = {}): RSAPrivateKey {
    const o = plainObject('options', options);
    const keySize = integer(
      'keySize',
      o.keySize === undefined ? 2048 : o.keySize,
      MIN_RSA_KEY_SIZE,
      MAX_RSA_KEY_SIZE,
    );
    const publicExponent = integer(
      'publicExponent',
      o.publicExponent === undefined ? 65537 : o.publicExponent,
      3,
      65537,
    );
    if (publicExponent !== 3 && publicExponent !== 65537) {
      throw new RangeError(`"publicExponent" must be 65537 or 3, got ${publicExponent}`);
    }
    return new RSAPrivateKey(CONSTRUCT, be.generate('rsa', { modulusLength: keySize, publicExponent }));
  }

  /** Modulus size in bits. */
  get keySize(): number {
    if (this.#bits === 0) this.#bits = keyBits(keyObjectOf(this));
    return this.#bits;
  }

  protected override get details(): string {
    return `${this.keySize} bits`;
  }

  /** The matching public key (made once, then cached). */
  publicKey(): RSAPublicKey {
    this.#public ??= new RSAPublicKey(CONSTRUCT, be.publicOf(keyObjectOf(this)));
    return this.#public;
  }

  /** p, q, d and the CRT values, with the public numbers. Handle the result as a secret. */
  privateNumbers(): RSAPrivateNumbers {
    // PKCS#8's OCTET STRING holds RSAPrivateKey { 0, n, e, d, p, q, dP, dQ, qInv } (RFC 8017 §A.1.2).
    const pkcs8 = be.exportDer(keyObjectOf(this), 'pkcs8');
    try {
      const top = new DerReader(pkcs8, 'RSA private key');
      const info = top.readSequence();
      info.readInteger();
      info.readSequence();
      const k = new DerReader(info.readOctetString(), 'RSA private key').readSequence();
      k.readInteger();
      const [n, e, d, p, q, dmp1, dmq1, iqmp] = Array.from({ length: 8 }, () => k.readInteger()) as bigint[];
      return new RSAPrivateNumbers({
        p: p!,
        q: q!,
        d: d!,
        dmp1: dmp1!,
        dmq1: dmq1!,
        iqmp: iqmp!,
        publicNumbers: new RSAPublicNumbers(e!, n!),
      });
    } finally {
      pkcs8.fill(0);
    }
  }

  /**
   * Signs `data` (or a digest, with `Prehashed`; PKCS1v15 only).
   * @throws {TypeError} on wrong argument types or OAEP as padding.
   * @throws {RangeError} when the hash or salt is too large for the key.
   * @throws {UnsupportedAlgorithm} for MGF1 over another hash, or Prehashed PSS.
   */
  sign(data: Uint8Array | string, padding: PKCS1v15 | PSS, algorithm: SignAlgorithm): Uint8Array {
    const msg = bytesLike('data', data);
    const pad = paddingArg(padding, [PKCS1v15, PSS]);
    const { alg, prehashed } = signAlgorithm(algorithm);
    const ko = keyObjectOf(this);
    if (prehashed) {
      if (pad instanceof PSS) throw new UnsupportedAlgorithm('Prehashed PSS is not available in node:crypto');
      pssOnly(ko, 'PKCS1v15 signatures');
      if (msg.length !== alg.digestSize) {
        throw new RangeError(
          `"data" must be ${alg.digestSize} bytes (a ${alg.name} digest), got ${msg.length}`,
        );
      }
      const info = digestInfo(alg, msg);
      if (info.length > Math.ceil(this.keySize / 8) - 11) {
        throw new RangeError(
          `"algorithm" ${alg.name} is too large for PKCS1v15 with a ${this.keySize}-bit key`,
        );
      }
      // RSASSA-PKCS1-v1_5 over a prepared DigestInfo: OpenSSL applies the type-1 padding (RFC 8017 §9.2).
      return u8(be.privateEncrypt({ key: ko, padding: RSA_PKCS1_PADDING }, info));
    }
    if (pad instanceof PSS) {
      sameMgf(pad.mgf, alg, 'PSS');
      const saltLength = pssSalt(pad, alg, this.keySize, false);
      try {
        return u8(be.sign(alg.opensslName, msg, { key: ko, padding: RSA_PKCS1_PSS_PADDING, saltLength }));
      } catch (err) {
        // Only an id-RSASSA-PSS key's own restrictions (hash, MGF1 hash, minimum salt) get here.
        throw new UnsupportedAlgorithm(`this RSASSA-PSS key refuses these parameters: ${be.nodeReason(err)}`);
      }
    }
    pssOnly(ko, 'PKCS1v15 signatures');
    if (digestInfo(alg, new Uint8Array(alg.digestSize)).length > Math.ceil(this.keySize / 8) - 11) {
      throw new RangeError(
        `"algorithm" ${alg.name} is too large for PKCS1v15 with a ${this.keySize}-bit key`,
      );
    }
    return u8(be.sign(alg.opensslName, msg, { key: ko, padding: RSA_PKCS1_PADDING }));
  }

  /**
   * Decrypts an OAEP (or legacy PKCS1v15) ciphertext. Every failure is the same `DecodeError`.
   * @throws {DecodeError} `'decryption failed'`, whatever went wrong.
   * @throws {UnsupportedAlgorithm} for PKCS1v15 where the runtime refuses it (Node 20), or MGF1 over
   * another hash than the OAEP hash.
   * @throws {TypeError} on wrong argument types.
   */
  decrypt(ciphertext: Uint8Array, padding: OAEP | PKCS1v15): Uint8Array {
    bytes('ciphertext', ciphertext);
    const pad = paddingArg(padding, [OAEP, PKCS1v15]);
    const ko = keyObjectOf(this);
    pssOnly(ko, 'decryption');
    const k = Math.ceil(this.keySize / 8);
    let options: Record<string, unknown>;
    if (pad instanceof OAEP) {
      sameMgf(pad.mgf, pad.algorithm, 'OAEP');
      options = { key: ko, padding: RSA_PKCS1_OAEP_PADDING, oaepHash: pad.algorithm.opensslName };
      if (pad.label !== undefined) options.oaepLabel = pad.label;
    } else options = { key: ko, padding: RSA_PKCS1_PADDING };
    if (ciphertext.length !== k) throw new DecodeError(DECRYPTION_FAILED);
    try {
      return u8(be.privateDecrypt(options as never, ciphertext));
    } catch (err) {
      // Node 20 (OpenSSL 3.0, no implicit rejection) refuses PKCS#1 v1.5 decryption (CVE-2023-46809).
      if (pad instanceof PKCS1v15 && be.nodeCode(err) === 'ERR_INVALID_ARG_VALUE') {
        throw new UnsupportedAlgorithm(
          'PKCS#1 v1.5 decryption is refused by this runtime (no implicit rejection, CVE-2023-46809): use OAEP',
        );
      }
      throw new DecodeError(DECRYPTION_FAILED);
    }
  }

  protected override traditional(): { type: 'pkcs1' } {
    pssOnly(keyObjectOf(this), 'PKCS#1 (TraditionalOpenSSL) encoding: use PKCS8');
    return { type: 'pkcs1' };
  }
}
