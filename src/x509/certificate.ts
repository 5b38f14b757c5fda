/**
 * X.509 certificates, certificate signing requests and CRLs (RFC 5280, RFC 2986): parsing from PEM or DER,
 * typed fields and extensions, fingerprints and signature checks through node:crypto.
 * @module
 */
import { createHash, createPublicKey, type KeyObject, verify as nodeVerify } from 'node:crypto';
import { DecodeError, InvalidSignature, UnsupportedAlgorithm } from '../errors.ts';
import { contextTag, type DerElement, DerReader, type DerTime, Tag } from '../formats/der.ts';
import { wrapKeyObject } from '../internal/pkey.ts';
import { Extensions, readExtensions } from './extensions.ts';
import { type Name, readName } from './name.ts';
import { HASH_BY_OID, MGF1_OID, PublicKeyAlgorithmOID, SignatureAlgorithmOID } from './oids.ts';
import { bigint, bytes, describeValue, hasDer, isBytes, keyObject, string } from './validate.ts';

/** Largest PEM text accepted (bundles included). */
export const MAX_PEM_LENGTH = 32 * 1024 * 1024;

/** One PEM block. */
export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

const PEM_RE = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([^-]*?)-----END \1-----/g;

/**
 * Every PEM block in `text` (RFC 7468 strict-ish: base64 body, matching labels). Text between blocks is
 * ignored, as OpenSSL does with bundle comments.
 * @throws {DecodeError} for a block with bad base64.
 */
export function parsePem(text: string): PemBlock[] {
  if (typeof text !== 'string') throw new TypeError(`"pem" must be a string`);
  if (text.length > MAX_PEM_LENGTH) throw new DecodeError(`PEM text exceeds ${MAX_PEM_LENGTH} characters`);
  const out: PemBlock[] = [];
  for (const m of text.matchAll(PEM_RE)) {
    const body = (m[2] as string).replace(/\s+/g, '');
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(body)) {
      throw new DecodeError(`PEM ${m[1]}: invalid base64 body`);
    }
    out.push({ label: m[1] as string, der: Uint8Array.from(Buffer.from(body, 'base64')) });
  }
  return out;
}

/**
 * PEM armor for DER bytes, 64 characters a line.
 * @throws {TypeError} when `label` is not a string or `der` not a Uint8Array.
 * @throws {RangeError} when `label` is not upper-case letters, digits and spaces (RFC 7468 §2).
 */
export function encodePem(label: string, derBytes: Uint8Array): string {
  string('label', label);
  if (!/^[A-Z0-9]+(?: [A-Z0-9]+)*$/.test(label)) {
    throw new RangeError(`"label" must be upper-case letters, digits and single spaces (RFC 7468)`);
  }
  bytes('der', derBytes);
  const b64 = Buffer.from(derBytes).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** An AlgorithmIdentifier. */
export interface AlgorithmIdentifier {
  readonly oid: string;
  /** The parameters' DER (null when absent). */
  readonly parameters: Uint8Array | null;
  /** The whole AlgorithmIdentifier DER. */
  readonly der: Uint8Array;
}

function readAlgorithm(r: DerReader): AlgorithmIdentifier {
  const el = r.expect(Tag.SEQUENCE, 'AlgorithmIdentifier');
  const s = r.child(el);
  const oid = s.readOid();
  const params = s.done ? null : s.readElement().raw;
  s.end();
  return { oid, parameters: params, der: el.raw };
}

/** How a signature algorithm is checked with node:crypto. */
export interface SignatureScheme {
  readonly name: string;
  /** `rsa-pkcs1`, `rsa-pss`, `ecdsa`, `dsa`, `ed25519`, `ed448`. */
  readonly kind: 'rsa-pkcs1' | 'rsa-pss' | 'ecdsa' | 'dsa' | 'ed25519' | 'ed448';
  /** node hash name, null for EdDSA. */
  readonly hash: string | null;
  /** PSS salt length in bytes. */
  readonly saltLength?: number;
}

const S = SignatureAlgorithmOID;
const SIMPLE: Readonly<Record<string, SignatureScheme & { nullParams: boolean }>> = {
  [S.RSA_WITH_MD5]: { name: 'md5WithRSAEncryption', kind: 'rsa-pkcs1', hash: 'md5', nullParams: true },
  [S.RSA_WITH_SHA1]: { name: 'sha1WithRSAEncryption', kind: 'rsa-pkcs1', hash: 'sha1', nullParams: true },
  [S.RSA_WITH_SHA224]: {
    name: 'sha224WithRSAEncryption',
    kind: 'rsa-pkcs1',
    hash: 'sha224',
    nullParams: true,
  },
  [S.RSA_WITH_SHA256]: {
    name: 'sha256WithRSAEncryption',
    kind: 'rsa-pkcs1',
    hash: 'sha256',
    nullParams: true,
  },
  [S.RSA_WITH_SHA384]: {
    name: 'sha384WithRSAEncryption',
    kind: 'rsa-pkcs1',
    hash: 'sha384',
    nullParams: true,
  },
  [S.RSA_WITH_SHA512]: {
    name: 'sha512WithRSAEncryption',
    kind: 'rsa-pkcs1',
    hash: 'sha512',
    nullParams: true,
  },
  [S.ECDSA_WITH_SHA1]: { name: 'ecdsa-with-SHA1', kind: 'ecdsa', hash: 'sha1', nullParams: false },
  [S.ECDSA_WITH_SHA224]: { name: 'ecdsa-with-SHA224', kind: 'ecdsa', hash: 'sha224', nullParams: false },
  [S.ECDSA_WITH_SHA256]: { name: 'ecdsa-with-SHA256', kind: 'ecdsa', hash: 'sha256', nullParams: false },
  [S.ECDSA_WITH_SHA384]: { name: 'ecdsa-with-SHA384', kind: 'ecdsa', hash: 'sha384', nullParams: false },
  [S.ECDSA_WITH_SHA512]: { name: 'ecdsa-with-SHA512', kind: 'ecdsa', hash: 'sha512', nullParams: false },
  [S.DSA_WITH_SHA1]: { name: 'dsa-with-sha1', kind: 'dsa', hash: 'sha1', nullParams: false },
  [S.DSA_WITH_SHA256]: { name: 'dsa-with-sha256', kind: 'dsa', hash: 'sha256', nullParams: false },
  [S.ED25519]: { name: 'ed25519', kind: 'ed25519', hash: null, nullParams: false },
  [S.ED448]: { name: 'ed448', kind: 'ed448', hash: null, nullParams: false },
};

function hashAlgOf(r: DerReader): { name: string; size: number } {
  const alg = readAlgorithm(r);
  const h = HASH_BY_OID[alg.oid];
  if (!h) throw new UnsupportedAlgorithm(`unsupported hash ${alg.oid} in RSASSA-PSS parameters`);
  // RFC 4055 §2.1: parameters absent or NULL.
  if (
    alg.parameters &&
    !(alg.parameters.length === 2 && alg.parameters[0] === 5 && alg.parameters[1] === 0)
  ) {
    r.fail('hash AlgorithmIdentifier parameters must be NULL or absent');
  }
  return h;
}

function algorithmIdentifier(alg: unknown): AlgorithmIdentifier {
  const a = alg as Partial<AlgorithmIdentifier> | null;
  if (
    typeof a !== 'object' ||
    a === null ||
    typeof a.oid !== 'string' ||
    !(a.parameters === null || isBytes(a.parameters))
  ) {
    throw new TypeError(
      `"algorithm" must be an AlgorithmIdentifier ({ oid, parameters }), got ${describeValue(alg)}`,
    );
  }
  return a as AlgorithmIdentifier;
}

/**
 * The scheme of a signature AlgorithmIdentifier, parameters checked (RFC 4055 for PSS: the MGF1 hash must
 * equal the message hash, the trailer field 1).
 * @throws {UnsupportedAlgorithm} for an algorithm coffer cannot verify.
 * @throws {DecodeError} for malformed parameters.
 */
export function signatureScheme(alg: AlgorithmIdentifier): SignatureScheme {
  algorithmIdentifier(alg);
  const simple = SIMPLE[alg.oid];
  if (simple) {
    const p = alg.parameters;
    const isNull = p !== null && p.length === 2 && p[0] === 5 && p[1] === 0;
    if (simple.nullParams ? p !== null && !isNull : p !== null) {
      throw new DecodeError(`signature algorithm ${simple.name}: unexpected parameters`);
    }
    return { name: simple.name, kind: simple.kind, hash: simple.hash };
  }
  if (alg.oid === S.RSASSA_PSS) {
    if (!alg.parameters) throw new DecodeError('RSASSA-PSS: parameters are required');
    const r = new DerReader(alg.parameters, 'RSASSA-PSS parameters', 3).readSequence();
    let hash = { name: 'sha1', size: 20 };
    let mgfHash = { name: 'sha1', size: 20 };
    let salt = 20;
    const h = r.readOptionalExplicit(0);
    if (h) {
      hash = hashAlgOf(h);
      h.end();
    }
    const m = r.readOptionalExplicit(1);
    if (m) {
      const mgf = m.readSequence();
      if (mgf.readOid() !== MGF1_OID) throw new UnsupportedAlgorithm('RSASSA-PSS: only MGF1 is supported');
      mgfHash = hashAlgOf(mgf);
      mgf.end();
      m.end();
    }
    const sl = r.readOptionalExplicit(2);
    if (sl) {
      salt = sl.readSmallInteger('saltLength', 1024);
      sl.end();
    }
    const t = r.readOptionalExplicit(3);
    if (t) {
      if (t.readInteger() !== 1n) r.fail('trailerField must be 1');
      t.end();
    }
    r.end();
    if (mgfHash.name !== hash.name)
      throw new UnsupportedAlgorithm('RSASSA-PSS: MGF1 hash differs from the message hash');
    return { name: `rsassa-pss-${hash.name}`, kind: 'rsa-pss', hash: hash.name, saltLength: salt };
  }
  throw new UnsupportedAlgorithm(`unsupported signature algorithm ${alg.oid}`);
}

/**
 * Checks `signature` over `data` with `key` (a node KeyObject) under the AlgorithmIdentifier.
 * @throws {InvalidSignature} when it does not verify, or the key does not fit the algorithm.
 * @throws {UnsupportedAlgorithm} for an algorithm coffer cannot verify.
 */
export function verifySignature(
  alg: AlgorithmIdentifier,
  key: KeyObject,
  data: Uint8Array,
  signature: Uint8Array,
): void {
  const scheme = signatureScheme(alg);
  keyObject('key', key, 'asymmetric');
  bytes('data', data);
  bytes('signature', signature);
  const kt = key.asymmetricKeyType;
  const fits =
    (scheme.kind === 'rsa-pkcs1' && kt === 'rsa') ||
    (scheme.kind === 'rsa-pss' && (kt === 'rsa' || kt === 'rsa-pss')) ||
    (scheme.kind === 'ecdsa' && kt === 'ec') ||
    (scheme.kind === 'dsa' && kt === 'dsa') ||
    scheme.kind === kt;
  if (!fits) throw new InvalidSignature();
  let ok = false;
  try {
    const opts =
      scheme.kind === 'rsa-pss'
        ? { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: scheme.saltLength as number }
        : { key, dsaEncoding: 'der' as const };
    ok = nodeVerify(scheme.hash, data, opts, signature);
  } catch {
    ok = false;
  }
  if (!ok) throw new InvalidSignature();
}

/** The X.509 version field. */
export type Version = 'v1' | 'v2' | 'v3';

/** SubjectPublicKeyInfo details, read without node:crypto (for policy checks on key types). */
export interface PublicKeyInfo {
  readonly algorithm: AlgorithmIdentifier;
  /** Named curve OID for EC keys; null for explicit parameters or other types. */
  readonly namedCurve: string | null;
  readonly der: Uint8Array;
}

function readSpki(r: DerReader): PublicKeyInfo {
  const el = r.expect(Tag.SEQUENCE, 'SubjectPublicKeyInfo');
  const s = r.child(el);
  const algorithm = readAlgorithm(s);
  s.readBitString();
  s.end();
  let namedCurve: string | null = null;
  if (algorithm.oid === PublicKeyAlgorithmOID.EC && algorithm.parameters?.[0] === Tag.OID) {
    namedCurve = new DerReader(algorithm.parameters, 'EC parameters', 3).readOid();
  }
  return { algorithm, namedCurve, der: el.raw };
}

function toDer(data: Uint8Array | string, label: string, what: string): Uint8Array {
  if (typeof data === 'string') {
    const blocks = parsePem(data).filter(
      (b) => b.label === label || (label === 'CERTIFICATE REQUEST' && b.label === 'NEW CERTIFICATE REQUEST'),
    );
    if (blocks.length !== 1)
      throw new DecodeError(`${what}: expected one PEM ${label} block, found ${blocks.length}`);
    return (blocks[0] as PemBlock).der;
  }
  return bytes('data', data);
}

function fingerprintOf(derBytes: Uint8Array, algorithm: string): Uint8Array {
  if (!['sha1', 'sha256', 'sha384', 'sha512', 'sha3-256'].includes(algorithm)) {
    throw new TypeError(`"algorithm" must be one of sha1, sha256, sha384, sha512, sha3-256`);
  }
  return Uint8Array.from(createHash(algorithm).update(derBytes).digest());
}

/** Reads the signed envelope `SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING }`. */
function readSigned(derBytes: Uint8Array, what: string) {
  const top = new DerReader(derBytes, what);
  const outer = top.readSequence();
  top.end();
  const tbs = outer.expect(Tag.SEQUENCE, `${what} TBS`);
  const signatureAlgorithm = readAlgorithm(outer);
  const sig = outer.readBitString();
  if (sig.unusedBits !== 0) outer.fail('signature BIT STRING has unused bits');
  outer.end();
  return { tbs, signatureAlgorithm, signature: sig.bytes, reader: outer };
}

/**
 * A parsed X.509 certificate. Instances come from `loadPemX509Certificate`, `loadDerX509Certificate` and
 * `loadPemX509Certificates`.
 */
export class Certificate {
  /** The DER encoding. */
  readonly der: Uint8Array;
  /** The TBSCertificate DER, exactly as signed. */
  readonly tbsCertificateBytes: Uint8Array;
  readonly version: Version;
  /** The serial number (may be negative or zero in non-conforming certificates; the verifier rejects those). */
  readonly serialNumber: bigint;
  /** Length of the serial's DER contents in octets (RFC 5280 §4.1.2.2 allows at most 20). */
  readonly serialNumberLength: number;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  /** The algorithm named inside the TBS; RFC 5280 §4.1.1.2 requires it to equal `signatureAlgorithm`. */
  readonly tbsSignatureAlgorithm: AlgorithmIdentifier;
  readonly issuer: Name;
  readonly subject: Name;
  readonly notValidBefore: Date;
  readonly notValidAfter: Date;
  readonly validity: { readonly notBefore: DerTime; readonly notAfter: DerTime };
  readonly publicKeyInfo: PublicKeyInfo;
  readonly issuerUniqueId: Uint8Array | null;
  readonly subjectUniqueId: Uint8Array | null;
  readonly extensions: Extensions;
  readonly signature: Uint8Array;
  #key: KeyObject | undefined;

  /** @internal use the load functions. */
  constructor(derBytes: Uint8Array) {
    const what = 'certificate';
    this.der = Uint8Array.from(bytes('der', derBytes));
    const { tbs, signatureAlgorithm, signature, reader } = readSigned(this.der, what);
    this.tbsCertificateBytes = tbs.raw;
    this.signatureAlgorithm = signatureAlgorithm;
    this.signature = signature;
    const t = reader.child(tbs);
    const v = t.readOptionalExplicit(0);
    let version: Version = 'v1';
    if (v) {
      const n = v.readSmallInteger('version', 10);
      v.end();
      if (n === 0) t.fail('version v1 must be omitted (DEFAULT) in DER');
      if (n > 2) t.fail(`unknown version ${n + 1}`);
      version = n === 1 ? 'v2' : 'v3';
    }
    this.version = version;
    const serial = t.expect(Tag.INTEGER, 'serialNumber');
    this.serialNumber = new DerReader(serial.raw, what).readInteger();
    this.serialNumberLength = serial.contents.length;
    this.tbsSignatureAlgorithm = readAlgorithm(t);
    this.issuer = readName(t);
    const validity = t.readSequence('validity');
    const notBefore = validity.readTime();
    const notAfter = validity.readTime();
    validity.end();
    // RFC 5280 §4.1.2.5: through 2049 UTCTime, from 2050 GeneralizedTime; no fractional seconds.
    for (const tm of [notBefore, notAfter]) {
      const y = tm.date.getUTCFullYear();
      if (tm.form === 'generalized' && y < 2050 && y >= 1950)
        t.fail('validity dates before 2050 must be UTCTime');
      if (tm.fractional) t.fail('validity must not have fractional seconds');
    }
    this.validity = { notBefore, notAfter };
    this.notValidBefore = notBefore.date;
    this.notValidAfter = notAfter.date;
    this.subject = readName(t);
    this.publicKeyInfo = readSpki(t);
    const iu = t.optional(contextTag(1, false));
    const su = t.optional(contextTag(2, false));
    if ((iu || su) && version === 'v1') t.fail('unique identifiers require version 2 or 3');
    this.issuerUniqueId = iu ? iu.contents : null;
    this.subjectUniqueId = su ? su.contents : null;
    const ext = t.readOptionalExplicit(3);
    if (ext) {
      if (version !== 'v3') t.fail('extensions require version 3');
      this.extensions = readExtensions(ext);
      ext.end();
    } else {
      this.extensions = new Extensions([]);
    }
    t.end();
  }

  /**
   * The subject public key as a node KeyObject.
   * @throws {DecodeError} when OpenSSL cannot load the SubjectPublicKeyInfo.
   */
  publicKeyObject(): KeyObject {
    if (!this.#key) {
      try {
        this.#key = createPublicKey({
          key: Buffer.from(this.publicKeyInfo.der),
          format: 'der',
          type: 'spki',
        });
      } catch {
        throw new DecodeError('certificate: the public key cannot be loaded');
      }
    }
    return this.#key;
  }

  /**
   * The subject public key as a coffer key object (`Ed25519PublicKey`, `EllipticCurvePublicKey`,
   * `RSAPublicKey`, ...), pyca's `public_key()`.
   * @throws {DecodeError} when OpenSSL cannot load the SubjectPublicKeyInfo.
   */
  publicKey(): ReturnType<typeof wrapKeyObject> {
    return wrapKeyObject(this.publicKeyObject());
  }

  /** Fingerprint of the DER: `sha256` by default. */
  fingerprint(algorithm = 'sha256'): Uint8Array {
    return fingerprintOf(this.der, algorithm);
  }

  /** True when subject and issuer are the same name (self-issued, RFC 5280 §3.2). */
  get selfIssued(): boolean {
    return this.subject.equals(this.issuer);
  }

  /**
   * Checks that `issuer`'s key signed this certificate and that its subject is this certificate's issuer
   * (pyca's `verify_directly_issued_by`). No other policy.
   * @throws {InvalidSignature} when the signature does not verify or the names differ.
   * @throws {UnsupportedAlgorithm} for an unsupported signature algorithm.
   */
  verifyDirectlyIssuedBy(issuer: Certificate): void {
    if (!(issuer instanceof Certificate) || !hasDer(issuer)) {
      throw new TypeError(`"issuer" must be a Certificate, got ${describeValue(issuer)}`);
    }
    if (!issuer.subject.equals(this.issuer)) throw new InvalidSignature();
    let key: KeyObject;
    try {
      key = issuer.publicKeyObject();
    } catch {
      throw new InvalidSignature();
    }
    verifySignature(this.signatureAlgorithm, key, this.tbsCertificateBytes, this.signature);
  }

  /** PEM text. */
  toPem(): string {
    return encodePem('CERTIFICATE', this.der);
  }

  equals(other: Certificate): boolean {
    return (
      other instanceof Certificate && Buffer.compare(Buffer.from(this.der), Buffer.from(other.der)) === 0
    );
  }

  toString(): string {
    return `Certificate(subject=${this.subject.rfc4514String()}, serial=${this.serialNumber.toString(16)})`;
  }
}

/**
 * One DER certificate.
 * @throws {TypeError} when `data` is not a Uint8Array.
 * @throws {DecodeError} for malformed input, naming the problem.
 */
export function loadDerX509Certificate(data: Uint8Array): Certificate {
  return new Certificate(bytes('data', data));
}
/** One `CERTIFICATE` PEM block. @throws {DecodeError} */
export function loadPemX509Certificate(pem: string): Certificate {
  if (typeof pem !== 'string') throw new TypeError(`"pem" must be a string`);
  return new Certificate(toDer(pem, 'CERTIFICATE', 'certificate'));
}
/** Every `CERTIFICATE` block of a bundle, in order. @throws {DecodeError} */
export function loadPemX509Certificates(pem: string): Certificate[] {
  const certs = parsePem(pem).filter((b) => b.label === 'CERTIFICATE');
  if (certs.length === 0) throw new DecodeError('no PEM CERTIFICATE block found');
  return certs.map((b) => new Certificate(b.der));
}

/** A PKCS#10 certificate signing request (RFC 2986). */
export class CertificateSigningRequest {
  readonly der: Uint8Array;
  readonly subject: Name;
  readonly publicKeyInfo: PublicKeyInfo;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signature: Uint8Array;
  readonly tbsCertrequestBytes: Uint8Array;
  /** Attributes as OID → raw DER values (the extensionRequest is parsed into `extensions`). */
  readonly attributes: ReadonlyArray<{ readonly oid: string; readonly values: readonly Uint8Array[] }>;
  readonly extensions: Extensions;

  /** @internal */
  constructor(derBytes: Uint8Array) {
    this.der = Uint8Array.from(bytes('der', derBytes));
    const { tbs, signatureAlgorithm, signature, reader } = readSigned(this.der, 'CSR');
    this.tbsCertrequestBytes = tbs.raw;
    this.signatureAlgorithm = signatureAlgorithm;
    this.signature = signature;
    const t = reader.child(tbs);
    if (t.readInteger('version') !== 0n) t.fail('version must be v1 (0)');
    this.subject = readName(t);
    this.publicKeyInfo = readSpki(t);
    const attrsEl = t.expect(contextTag(0, true), 'attributes [0]');
    t.end();
    const attrs = t.child(attrsEl);
    const list: { oid: string; values: Uint8Array[] }[] = [];
    let extensions: Extensions | undefined;
    while (!attrs.done) {
      const a = attrs.readSequence();
      const oid = a.readOid();
      const set = a.readSet();
      a.end();
      const values: Uint8Array[] = [];
      while (!set.done) {
        const el: DerElement = set.readElement();
        values.push(el.raw);
        if (oid === '1.2.840.113549.1.9.14') {
          if (extensions) set.fail('more than one extensionRequest');
          extensions = readExtensions(new DerReader(el.raw, 'CSR extensionRequest', 2));
        }
      }
      list.push({ oid, values });
    }
    this.attributes = list;
    this.extensions = extensions ?? new Extensions([]);
  }

  publicKeyObject(): KeyObject {
    try {
      return createPublicKey({ key: Buffer.from(this.publicKeyInfo.der), format: 'der', type: 'spki' });
    } catch {
      throw new DecodeError('CSR: the public key cannot be loaded');
    }
  }

  /** True when the CSR's self-signature verifies (pyca's `is_signature_valid`). */
  get isSignatureValid(): boolean {
    try {
      verifySignature(
        this.signatureAlgorithm,
        this.publicKeyObject(),
        this.tbsCertrequestBytes,
        this.signature,
      );
      return true;
    } catch {
      return false;
    }
  }

  toPem(): string {
    return encodePem('CERTIFICATE REQUEST', this.der);
  }
}

export function loadDerX509Csr(data: Uint8Array): CertificateSigningRequest {
  return new CertificateSigningRequest(bytes('data', data));
}
export function loadPemX509Csr(pem: string): CertificateSigningRequest {
  if (typeof pem !== 'string') throw new TypeError(`"pem" must be a string`);
  return new CertificateSigningRequest(toDer(pem, 'CERTIFICATE REQUEST', 'CSR'));
}

/** One entry of a CRL. */
export interface RevokedCertificate {
  readonly serialNumber: bigint;
  readonly revocationDate: Date;
  readonly extensions: Extensions;
}

/** A certificate revocation list (RFC 5280 §5). */
export class CertificateRevocationList {
  readonly der: Uint8Array;
  readonly tbsCertListBytes: Uint8Array;
  readonly version: Version;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly tbsSignatureAlgorithm: AlgorithmIdentifier;
  readonly issuer: Name;
  readonly lastUpdate: Date;
  readonly nextUpdate: Date | null;
  readonly revokedCertificates: readonly RevokedCertificate[];
  readonly extensions: Extensions;
  readonly signature: Uint8Array;

  /** @internal */
  constructor(derBytes: Uint8Array) {
    this.der = Uint8Array.from(bytes('der', derBytes));
    const { tbs, signatureAlgorithm, signature, reader } = readSigned(this.der, 'CRL');
    this.tbsCertListBytes = tbs.raw;
    this.signatureAlgorithm = signatureAlgorithm;
    this.signature = signature;
    const t = reader.child(tbs);
    let version: Version = 'v1';
    if (t.peekTag() === Tag.INTEGER) {
      if (t.readInteger('version') !== 1n) t.fail('CRL version must be v2 (1) when present');
      version = 'v2';
    }
    this.version = version;
    this.tbsSignatureAlgorithm = readAlgorithm(t);
    this.issuer = readName(t);
    this.lastUpdate = t.readTime().date;
    const nt = t.peekTag();
    this.nextUpdate = nt === Tag.UTC_TIME || nt === Tag.GENERALIZED_TIME ? t.readTime().date : null;
    const revoked: RevokedCertificate[] = [];
    if (t.peekTag() === Tag.SEQUENCE) {
      const list = t.readSequence();
      while (!list.done) {
        const e = list.readSequence();
        const serialNumber = e.readInteger('userCertificate');
        const revocationDate = e.readTime().date;
        const extensions = e.done ? new Extensions([]) : readExtensions(e);
        e.end();
        revoked.push({ serialNumber, revocationDate, extensions });
      }
    }
    this.revokedCertificates = revoked;
    const ext = t.readOptionalExplicit(0);
    if (ext && version !== 'v2') t.fail('CRL extensions require version 2');
    this.extensions = ext ? readExtensions(ext) : new Extensions([]);
    ext?.end();
    t.end();
  }

  /** The entry for `serial`, if revoked here. */
  getRevokedCertificateBySerialNumber(serial: bigint): RevokedCertificate | undefined {
    bigint('serial', serial);
    return this.revokedCertificates.find((r) => r.serialNumber === serial);
  }

  /** True when `issuerKey` signed this CRL. */
  isSignatureValid(issuerKey: KeyObject): boolean {
    keyObject('issuerKey', issuerKey, 'asymmetric');
    try {
      verifySignature(this.signatureAlgorithm, issuerKey, this.tbsCertListBytes, this.signature);
      return true;
    } catch {
      return false;
    }
  }

  fingerprint(algorithm = 'sha256'): Uint8Array {
    return fingerprintOf(this.der, algorithm);
  }

  toPem(): string {
    return encodePem('X509 CRL', this.der);
  }
}

export function loadDerX509Crl(data: Uint8Array): CertificateRevocationList {
  return new CertificateRevocationList(bytes('data', data));
}
export function loadPemX509Crl(pem: string): CertificateRevocationList {
  if (typeof pem !== 'string') throw new TypeError(`"pem" must be a string`);
  return new CertificateRevocationList(toDer(pem, 'X509 CRL', 'CRL'));
}
