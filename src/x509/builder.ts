/**
 * Certificate, CSR and CRL builders after pyca's `CertificateBuilder`, signing with node KeyObjects
 * (Ed25519, Ed448, ECDSA, RSA PKCS#1 v1.5 or PSS). Defaults: a random 159-bit positive serial, SKI and AKI
 * (RFC 7093 §2 method 1: SHA-256 of the key bits, truncated to 160 bits), SHA-256 or stronger, never SHA-1.
 *
 * @example
 * ```ts
 * import { generateKeyPairSync } from 'node:crypto';
 * import { CertificateBuilder, nameFrom } from 'coffer/x509';
 * const { privateKey, publicKey } = generateKeyPairSync('ed25519');
 * const root = new CertificateBuilder()
 *   .subjectName(nameFrom({ CN: 'Example Root' })).issuerName(nameFrom({ CN: 'Example Root' }))
 *   .publicKey(publicKey).notValidAfter(new Date(Date.now() + 86400e3))
 *   .basicConstraints(true, null).keyUsage(['keyCertSign', 'cRLSign'])
 *   .sign(privateKey);
 * ```
 * @module
 */
import { createHash, createPublicKey, type KeyObject, sign as nodeSign, randomBytes } from 'node:crypto';
import { DerReader, der } from '../formats/der.ts';
import { Certificate, CertificateRevocationList, CertificateSigningRequest } from './certificate.ts';
import { type GeneralName, KEY_USAGE_BITS } from './extensions.ts';
import { Name, type NameAttribute } from './name.ts';
import { ExtensionOID, HASH_OID, MGF1_OID, NameOID, SignatureAlgorithmOID } from './oids.ts';
import {
  array,
  bigint,
  boolean,
  bytes,
  date,
  describeValue,
  hasDer,
  integer,
  keyObject,
  oid,
  plainObject,
  string,
} from './validate.ts';
import { parseIp } from './verify.ts';

/** Signing options for RSA keys; ignored for other key types. */
export interface SignOptions {
  /** `sha256` (default), `sha384` or `sha512`. Ignored for EdDSA. */
  readonly hash?: 'sha256' | 'sha384' | 'sha512';
  /** RSA padding: `pss` (default) or `pkcs1`. */
  readonly rsaPadding?: 'pss' | 'pkcs1';
}

const SHORT: Readonly<Record<string, string>> = {
  CN: NameOID.COMMON_NAME,
  O: NameOID.ORGANIZATION_NAME,
  OU: NameOID.ORGANIZATIONAL_UNIT_NAME,
  C: NameOID.COUNTRY_NAME,
  L: NameOID.LOCALITY_NAME,
  ST: NameOID.STATE_OR_PROVINCE_NAME,
  DC: NameOID.DOMAIN_COMPONENT,
  emailAddress: NameOID.EMAIL_ADDRESS,
};

/**
 * A Name from `{ CN: 'x', O: 'y' }` (short names or dotted OIDs), one attribute per RDN in the given order.
 * Country codes are PrintableString, email addresses IA5String, everything else UTF8String.
 * @throws {TypeError} for an unknown attribute name or a non-string value.
 */
export function nameFrom(attrs: Readonly<Record<string, string>>): Name {
  plainObject('attrs', attrs);
  const rdns: NameAttribute[][] = [];
  for (const [k, v] of Object.entries(attrs)) {
    const type = SHORT[k] ?? (/^[0-2](\.(0|[1-9]\d*))+$/.test(k) ? k : undefined);
    if (!type) throw new TypeError(`"attrs" has an unknown name attribute ${JSON.stringify(k)}`);
    if (typeof v !== 'string') {
      throw new TypeError(`"attrs" value for ${k} must be a string, got ${describeValue(v)}`);
    }
    const tag = type === NameOID.COUNTRY_NAME ? 0x13 : type === NameOID.EMAIL_ADDRESS ? 0x16 : 0x0c;
    rdns.push([{ oid: type, value: v, tag }]);
  }
  return new Name(rdns);
}

function encodeGeneralName(n: GeneralName): Uint8Array {
  const ascii = (s: unknown) => Buffer.from(string('names[].value', s), 'latin1');
  if (typeof n !== 'object' || n === null) {
    throw new TypeError(`"names" must hold GeneralName objects, got ${describeValue(n)}`);
  }
  switch (n.type) {
    case 'email':
      return der.implicit(1, ascii(n.value));
    case 'dns':
      return der.implicit(2, ascii(n.value));
    case 'uri':
      return der.implicit(6, ascii(n.value));
    case 'ip':
      // RFC 5280 §4.2.1.6: four octets for IPv4, sixteen for IPv6.
      if (bytes('names[].value', n.value).length !== 4 && n.value.length !== 16) {
        throw new RangeError(`an IP address in "names" must be 4 or 16 bytes, got ${n.value.length}`);
      }
      return der.implicit(7, n.value);
    case 'directoryName':
      if (!(n.value instanceof Name))
        throw new TypeError(`"names[].value" of a directoryName must be a Name`);
      return der.explicit(4, n.value.der);
    case 'registeredId':
      return der.implicit(8, der.oid(oid('names[].value', n.value)).subarray(2));
    default:
      throw new TypeError(
        `"names" holds a GeneralName of type ${JSON.stringify(String((n as { type: unknown }).type))} that cannot be encoded`,
      );
  }
}

/** Parses `DNS:x`, `IP:1.2.3.4`, `email:a@b`, `URI:u` into GeneralNames (convenience for builders). */
export function generalNames(spec: readonly string[]): GeneralName[] {
  return array('spec', spec).map((entry) => {
    const s = string('spec[]', entry);
    const i = s.indexOf(':');
    const kind = s.slice(0, i).toLowerCase();
    const v = s.slice(i + 1);
    if (kind === 'dns') return { type: 'dns', value: v };
    if (kind === 'email') return { type: 'email', value: v };
    if (kind === 'uri') return { type: 'uri', value: v };
    if (kind === 'ip') {
      const b = parseIp(v);
      if (!b) throw new RangeError(`"spec" holds an invalid IP address ${JSON.stringify(v)}`);
      return { type: 'ip', value: b };
    }
    throw new TypeError(`"spec" entries must start with DNS:, IP:, email: or URI:, got ${JSON.stringify(s)}`);
  });
}

function spkiDer(key: KeyObject): Uint8Array {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return Uint8Array.from(pub.export({ format: 'der', type: 'spki' }));
}

/** RFC 7093 §2 method 1: the leftmost 160 bits of SHA-256 over the subjectPublicKey BIT STRING value. */
export function keyIdentifier(key: KeyObject): Uint8Array {
  keyObject('key', key, 'asymmetric');
  const spki = new DerReader(spkiDer(key)).readSequence();
  spki.readElement();
  const { bytes } = spki.readBitString();
  return Uint8Array.from(createHash('sha256').update(bytes).digest().subarray(0, 20));
}

function signingAlgorithm(
  key: KeyObject,
  opts: SignOptions,
): { alg: Uint8Array; hash: string | null; pss: number | null } {
  keyObject('privateKey', key, 'private');
  plainObject('options', opts);
  const hash = opts.hash === undefined ? 'sha256' : opts.hash;
  if (!['sha256', 'sha384', 'sha512'].includes(hash))
    throw new TypeError(`"hash" must be sha256, sha384 or sha512`);
  if (opts.rsaPadding !== undefined && opts.rsaPadding !== 'pss' && opts.rsaPadding !== 'pkcs1') {
    throw new TypeError(`"rsaPadding" must be 'pss' or 'pkcs1'`);
  }
  const S = SignatureAlgorithmOID;
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return { alg: der.sequence([der.oid(S.ED25519)]), hash: null, pss: null };
    case 'ed448':
      return { alg: der.sequence([der.oid(S.ED448)]), hash: null, pss: null };
    case 'ec': {
      const oid = { sha256: S.ECDSA_WITH_SHA256, sha384: S.ECDSA_WITH_SHA384, sha512: S.ECDSA_WITH_SHA512 }[
        hash
      ];
      return { alg: der.sequence([der.oid(oid)]), hash, pss: null };
    }
    case 'rsa':
    case 'rsa-pss': {
      if ((opts.rsaPadding ?? 'pss') === 'pkcs1' && key.asymmetricKeyType === 'rsa') {
        const oid = { sha256: S.RSA_WITH_SHA256, sha384: S.RSA_WITH_SHA384, sha512: S.RSA_WITH_SHA512 }[hash];
        return { alg: der.sequence([der.oid(oid), der.null()]), hash, pss: null };
      }
      const salt = { sha256: 32, sha384: 48, sha512: 64 }[hash];
      const h = der.sequence([der.oid(HASH_OID[hash] as string), der.null()]);
      const params = der.sequence([
        der.explicit(0, h),
        der.explicit(1, der.sequence([der.oid(MGF1_OID), h])),
        der.explicit(2, der.integer(salt)),
      ]);
      return { alg: der.sequence([der.oid(S.RSASSA_PSS), params]), hash, pss: salt };
    }
    default:
      throw new TypeError(`cannot sign with a ${key.asymmetricKeyType} key`);
  }
}

function signTbs(
  tbs: Uint8Array,
  alg: Uint8Array,
  key: KeyObject,
  hash: string | null,
  pss: number | null,
): Uint8Array {
  const sig =
    pss !== null
      ? nodeSign(hash, tbs, { key, padding: 6, saltLength: pss })
      : nodeSign(hash, tbs, { key, dsaEncoding: 'der' });
  return der.sequence([tbs, alg, der.bitString(sig)]);
}

interface Ext {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

function extensionsDer(exts: readonly Ext[]): Uint8Array {
  return der.sequence(
    exts.map((e) =>
      der.sequence([der.oid(e.oid), ...(e.critical ? [der.boolean(true)] : []), der.octetString(e.value)]),
    ),
  );
}

function bitsDer(names: readonly string[]): Uint8Array {
  let max = -1;
  const bytes = new Uint8Array(2);
  for (const n of names) {
    const i = KEY_USAGE_BITS.indexOf(n as (typeof KEY_USAGE_BITS)[number]);
    if (i < 0) throw new TypeError(`"usages" holds an unknown key usage ${JSON.stringify(n)}`);
    bytes[i >> 3] = (bytes[i >> 3] as number) | (0x80 >> (i & 7));
    max = Math.max(max, i);
  }
  if (max < 0) throw new RangeError(`"usages" must name at least one key usage`);
  const len = (max >> 3) + 1;
  return der.bitString(bytes.subarray(0, len), 7 - (max & 7));
}

abstract class ExtensionHolder<T> {
  protected readonly exts: Ext[] = [];
  protected abstract self(): T;

  /** Adds any extension from its DER value. Adding an OID twice throws. */
  addExtension(extensionOid: string, critical: boolean, value: Uint8Array): T {
    oid('oid', extensionOid);
    boolean('critical', critical);
    bytes('value', value);
    if (this.exts.some((e) => e.oid === extensionOid)) {
      throw new TypeError(`"oid": extension ${extensionOid} was already added`);
    }
    this.exts.push({ oid: extensionOid, critical, value: Uint8Array.from(value) });
    return this.self();
  }
  /** BasicConstraints, critical. */
  basicConstraints(ca: boolean, pathLength: number | null = null): T {
    boolean('ca', ca);
    if (pathLength !== null) integer('pathLength', pathLength, 0, 255);
    const items = [
      ...(ca ? [der.boolean(true)] : []),
      ...(pathLength !== null ? [der.integer(pathLength)] : []),
    ];
    return this.addExtension(ExtensionOID.BASIC_CONSTRAINTS, true, der.sequence(items));
  }
  /** KeyUsage, critical. */
  keyUsage(usages: readonly string[]): T {
    for (const u of array('usages', usages)) string('usages[]', u);
    return this.addExtension(ExtensionOID.KEY_USAGE, true, bitsDer(usages));
  }
  /** ExtendedKeyUsage (non-critical) from OIDs. */
  extendedKeyUsage(oids: readonly string[]): T {
    for (const o of array('oids', oids)) oid('oids[]', o);
    return this.addExtension(
      ExtensionOID.EXTENDED_KEY_USAGE,
      false,
      der.sequence(oids.map((o) => der.oid(o))),
    );
  }
  /** SubjectAltName; critical only when `critical` (RFC 5280: when the subject is empty). */
  subjectAlternativeName(names: readonly GeneralName[], critical = false): T {
    array('names', names);
    boolean('critical', critical);
    return this.addExtension(
      ExtensionOID.SUBJECT_ALTERNATIVE_NAME,
      critical,
      der.sequence(names.map(encodeGeneralName)),
    );
  }
}

/** Builds and signs X.509 v3 certificates. */
export class CertificateBuilder extends ExtensionHolder<CertificateBuilder> {
  #subject: Name | undefined;
  #issuer: Name | undefined;
  #key: KeyObject | undefined;
  #serial: bigint | undefined;
  #notBefore: Date | undefined;
  #notAfter: Date | undefined;
  protected self(): CertificateBuilder {
    return this;
  }
  subjectName(name: Name): this {
    if (!(name instanceof Name) || !hasDer(name)) throw new TypeError(`"name" must be a Name`);
    this.#subject = name;
    return this;
  }
  issuerName(name: Name): this {
    if (!(name instanceof Name) || !hasDer(name)) throw new TypeError(`"name" must be a Name`);
    this.#issuer = name;
    return this;
  }
  publicKey(key: KeyObject): this {
    this.#key = keyObject('key', key, 'asymmetric');
    return this;
  }
  /** A positive serial of at most 159 bits (default: random). */
  serialNumber(serial: bigint): this {
    if (typeof serial !== 'bigint') throw new TypeError(`"serial" must be a bigint`);
    if (serial <= 0n || serial >= 1n << 159n) throw new RangeError(`"serial" must be in [1, 2^159)`);
    this.#serial = serial;
    return this;
  }
  notValidBefore(d: Date): this {
    date('date', d);
    this.#notBefore = new Date(Math.floor(d.getTime() / 1000) * 1000);
    return this;
  }
  notValidAfter(d: Date): this {
    date('date', d);
    this.#notAfter = new Date(Math.floor(d.getTime() / 1000) * 1000);
    return this;
  }

  /**
   * Signs the certificate with `privateKey`. Adds SKI, and AKI from `issuer` (its SKI, else the key id of
   * the signing key) unless already added. Self-signed when `issuer` is omitted.
   * @throws {TypeError} when a field is missing or the key cannot sign.
   */
  sign(privateKey: KeyObject, options: SignOptions & { issuer?: Certificate } = {}): Certificate {
    if (!this.#subject || !this.#key || !this.#notAfter)
      throw new TypeError('subjectName, publicKey and notValidAfter are required');
    plainObject('options', options);
    if (
      options.issuer !== undefined &&
      (!(options.issuer instanceof Certificate) || !hasDer(options.issuer))
    ) {
      throw new TypeError(`"issuer" must be a Certificate, got ${describeValue(options.issuer)}`);
    }
    const issuerName = this.#issuer ?? options.issuer?.subject ?? this.#subject;
    const { alg, hash, pss } = signingAlgorithm(privateKey, options);
    const exts = [...this.exts];
    if (!exts.some((e) => e.oid === ExtensionOID.SUBJECT_KEY_IDENTIFIER)) {
      exts.push({
        oid: ExtensionOID.SUBJECT_KEY_IDENTIFIER,
        critical: false,
        value: der.octetString(keyIdentifier(this.#key)),
      });
    }
    if (!exts.some((e) => e.oid === ExtensionOID.AUTHORITY_KEY_IDENTIFIER)) {
      const kid =
        options.issuer?.extensions.value(ExtensionOID.SUBJECT_KEY_IDENTIFIER) ?? keyIdentifier(privateKey);
      exts.push({
        oid: ExtensionOID.AUTHORITY_KEY_IDENTIFIER,
        critical: false,
        value: der.sequence([der.implicit(0, kid)]),
      });
    }
    const serial = this.#serial ?? (BigInt(`0x${randomBytes(20).toString('hex')}`) >> 1n || 1n);
    const tbs = der.sequence([
      der.explicit(0, der.integer(2)),
      der.integer(serial),
      alg,
      issuerName.der,
      der.sequence([
        der.time(this.#notBefore ?? new Date(Math.floor(Date.now() / 1000) * 1000)),
        der.time(this.#notAfter),
      ]),
      this.#subject.der,
      spkiDer(this.#key),
      der.explicit(3, extensionsDer(exts)),
    ]);
    return new Certificate(signTbs(tbs, alg, privateKey, hash, pss));
  }
}

/** Builds and signs PKCS#10 certificate signing requests. */
export class CertificateSigningRequestBuilder extends ExtensionHolder<CertificateSigningRequestBuilder> {
  #subject: Name | undefined;
  protected self(): CertificateSigningRequestBuilder {
    return this;
  }
  subjectName(name: Name): this {
    if (!(name instanceof Name) || !hasDer(name)) throw new TypeError(`"name" must be a Name`);
    this.#subject = name;
    return this;
  }
  /** Signs with `privateKey`, whose public half becomes the request's key. */
  sign(privateKey: KeyObject, options: SignOptions = {}): CertificateSigningRequest {
    if (!this.#subject) throw new TypeError('subjectName is required');
    const { alg, hash, pss } = signingAlgorithm(privateKey, options);
    const attrs = this.exts.length
      ? [der.sequence([der.oid('1.2.840.113549.1.9.14'), der.setOf([extensionsDer(this.exts)])])]
      : [];
    const tbs = der.sequence([
      der.integer(0),
      this.#subject.der,
      spkiDer(privateKey),
      der.implicit(0, der.concat(attrs), true),
    ]);
    return new CertificateSigningRequest(signTbs(tbs, alg, privateKey, hash, pss));
  }
}

/** Builds and signs v2 CRLs (with a CRLNumber and AKI). */
export class CertificateRevocationListBuilder {
  #revoked: { serial: bigint; date: Date }[] = [];
  #last: Date | undefined;
  #next: Date | undefined;
  #number = 1n;
  lastUpdate(d: Date): this {
    date('date', d);
    this.#last = new Date(Math.floor(d.getTime() / 1000) * 1000);
    return this;
  }
  nextUpdate(d: Date): this {
    date('date', d);
    this.#next = new Date(Math.floor(d.getTime() / 1000) * 1000);
    return this;
  }
  crlNumber(n: bigint): this {
    bigint('n', n);
    // RFC 5280 §5.2.3: a CRL number is at most 20 octets.
    if (n < 0n || n >= 1n << 159n) throw new RangeError(`"n" must be in [0, 2^159)`);
    this.#number = n;
    return this;
  }
  addRevokedCertificate(serial: bigint, revocationDate: Date): this {
    bigint('serial', serial);
    if (serial < 0n) throw new RangeError(`"serial" must not be negative`);
    date('revocationDate', revocationDate);
    this.#revoked.push({ serial, date: new Date(Math.floor(revocationDate.getTime() / 1000) * 1000) });
    return this;
  }
  /** Signs as `issuer` with its private key. */
  sign(issuer: Certificate, privateKey: KeyObject, options: SignOptions = {}): CertificateRevocationList {
    if (!(issuer instanceof Certificate) || !hasDer(issuer)) {
      throw new TypeError(`"issuer" must be a Certificate, got ${describeValue(issuer)}`);
    }
    if (!this.#last || !this.#next) throw new TypeError('lastUpdate and nextUpdate are required');
    const { alg, hash, pss } = signingAlgorithm(privateKey, options);
    const kid = issuer.extensions.value(ExtensionOID.SUBJECT_KEY_IDENTIFIER) ?? keyIdentifier(privateKey);
    const exts = extensionsDer([
      {
        oid: ExtensionOID.AUTHORITY_KEY_IDENTIFIER,
        critical: false,
        value: der.sequence([der.implicit(0, kid)]),
      },
      { oid: ExtensionOID.CRL_NUMBER, critical: false, value: der.integer(this.#number) },
    ]);
    const tbs = der.sequence([
      der.integer(1),
      alg,
      issuer.subject.der,
      der.time(this.#last),
      der.time(this.#next),
      ...(this.#revoked.length
        ? [der.sequence(this.#revoked.map((r) => der.sequence([der.integer(r.serial), der.time(r.date)])))]
        : []),
      der.explicit(0, exts),
    ]);
    return new CertificateRevocationList(signTbs(tbs, alg, privateKey, hash, pss));
  }
}
