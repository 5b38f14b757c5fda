/**
 * Certificate path validation after pyca's `cryptography.x509.verification`: a `PolicyBuilder` with a trust
 * `Store`, a validation time and a maximum chain depth builds a `ServerVerifier` (TLS server certificates,
 * checked against a DNS name or IP address) or a `ClientVerifier` (TLS client certificates).
 *
 * The profile is the CA/Browser Forum's Web PKI profile over RFC 5280, as pyca and rustls-webpki read it:
 * v3 only, positive serials of at most 20 octets, permitted key types (RSA >= 2048 bits in multiples of 8,
 * P-256/P-384/P-521 by name, Ed25519/Ed448) and signature algorithms (no SHA-1, no MD5), critical
 * BasicConstraints with cA on every CA, SKI on CAs and AKI (with a key identifier only) on every
 * certificate but self-issued ones, no unknown critical extension, name constraints (DNS, IP, email and
 * directory names; other types in use are refused), no subject CN that is not also a SAN, RFC 6125 name
 * matching with a left-most whole-label wildcard only, and optional CRLs. When unsure, it rejects.
 *
 * A failure throws `VerificationError` whose `check` names the check that failed. Certificates are
 * public, so the message is precise.
 *
 * @example
 * ```ts
 * import { loadPemX509Certificate, loadPemX509Certificates, PolicyBuilder, Store } from 'coffer/x509';
 * const store = new Store(loadPemX509Certificates(rootsPem));
 * const verifier = new PolicyBuilder().store(store).buildServerVerifier({ dns: 'example.com' });
 * const chain = verifier.verify(loadPemX509Certificate(leafPem), loadPemX509Certificates(intermediatesPem));
 * ```
 * @module
 */
import { isIP } from 'node:net';
import { CofferError } from '../errors.ts';
import { Certificate, CertificateRevocationList, signatureScheme } from './certificate.ts';
import type { GeneralName, GeneralSubtree, NameConstraints } from './extensions.ts';
import type { Name } from './name.ts';
import { CurveOID, ExtendedKeyUsageOID, ExtensionOID, NameOID, PublicKeyAlgorithmOID } from './oids.ts';
import { boolean, bytes, describeValue, hasDer, string } from './validate.ts';

/** The check that failed. */
export type VerificationCheck =
  | 'untrusted'
  | 'signature'
  | 'validity'
  | 'basic-constraints'
  | 'path-length'
  | 'max-depth'
  | 'key-usage'
  | 'extended-key-usage'
  | 'name-constraints'
  | 'subject-name'
  | 'extension'
  | 'profile'
  | 'public-key'
  | 'signature-algorithm'
  | 'revocation'
  | 'resource-limit';

/**
 * Path validation failed. `check` says which check; `message` gives the certificate and the reason.
 * When several candidate paths failed, the reason is that of the deepest attempt.
 */
export class VerificationError extends CofferError {
  readonly check: VerificationCheck;
  constructor(check: VerificationCheck, message: string) {
    super('ERR_X509_VERIFICATION', `${check}: ${message}`);
    this.check = check;
  }
}

function fail(check: VerificationCheck, message: string): never {
  throw new VerificationError(check, message);
}

/** A set of trust anchors. */
export class Store {
  readonly #certs: readonly Certificate[];
  readonly #bySubject = new Map<string, Certificate[]>();
  readonly #ders = new Set<string>();

  /** @throws {TypeError} when `certs` is not a non-empty array of Certificates. */
  constructor(certs: readonly Certificate[]) {
    if (!Array.isArray(certs) || certs.length === 0)
      throw new TypeError(`"certs" must be a non-empty array of Certificates`);
    for (const c of certs)
      if (!(c instanceof Certificate) || !hasDer(c))
        throw new TypeError(`"certs" must hold only Certificates, got ${describeValue(c)}`);
    this.#certs = [...certs];
    for (const c of certs) {
      const k = c.subject.matchKey;
      this.#bySubject.set(k, [...(this.#bySubject.get(k) ?? []), c]);
      this.#ders.add(Buffer.from(c.der).toString('base64'));
    }
  }

  get certificates(): readonly Certificate[] {
    return this.#certs;
  }

  /** @internal */
  bySubject(name: Name): readonly Certificate[] {
    return this.#bySubject.get(name.matchKey) ?? [];
  }

  /** @internal */
  contains(c: Certificate): boolean {
    return this.#ders.has(Buffer.from(c.der).toString('base64'));
  }
}

/** The name a server certificate must match. */
export type Subject = { readonly dns: string } | { readonly ip: string };

interface Policy {
  readonly store: Store;
  readonly time: Date | undefined;
  readonly maxChainDepth: number;
  readonly crls: readonly CertificateRevocationList[];
}

/** pyca's default: 8 intermediates. */
export const DEFAULT_MAX_CHAIN_DEPTH = 8;
/** Ceilings against pathological inputs (Go and pyca use similar numbers). */
export const VERIFY_LIMITS = {
  /** Candidate issuers tried in one verification. */
  maxCandidates: 200,
  /** Name-constraint comparisons (names × subtrees) in one verification. */
  maxNameConstraintChecks: 1 << 16,
  /** Intermediates supplied to one verification. */
  maxIntermediates: 256,
} as const;

/** Builds verifiers, after pyca's `PolicyBuilder`. Each setter returns a new builder. */
export class PolicyBuilder {
  readonly #p: Partial<Policy>;

  constructor(p: Partial<Policy> = {}) {
    this.#p = p;
  }

  /** The trust anchors. */
  store(store: Store): PolicyBuilder {
    if (!(store instanceof Store)) throw new TypeError(`"store" must be a Store`);
    return new PolicyBuilder({ ...this.#p, store });
  }

  /** The validation time (default: the time of each `verify` call). */
  time(time: Date): PolicyBuilder {
    if (!(time instanceof Date) || Number.isNaN(time.getTime()))
      throw new TypeError(`"time" must be a valid Date`);
    return new PolicyBuilder({ ...this.#p, time: new Date(time.getTime()) });
  }

  /** The maximum number of (non-self-issued) intermediates between the anchor and the leaf. Default 8. */
  maxChainDepth(depth: number): PolicyBuilder {
    if (typeof depth !== 'number') throw new TypeError(`"depth" must be an integer, got ${typeof depth}`);
    if (!Number.isInteger(depth) || depth < 0 || depth > 255)
      throw new RangeError(`"depth" must be an integer in [0, 255], got ${depth}`);
    return new PolicyBuilder({ ...this.#p, maxChainDepth: depth });
  }

  /** CRLs to check each certificate of the path against (only CRLs from its issuer apply). */
  crls(crls: readonly CertificateRevocationList[]): PolicyBuilder {
    if (!Array.isArray(crls)) throw new TypeError(`"crls" must be an array, got ${describeValue(crls)}`);
    for (const c of crls) {
      if (!(c instanceof CertificateRevocationList) || !hasDer(c)) {
        throw new TypeError(`"crls" must hold only CertificateRevocationLists, got ${describeValue(c)}`);
      }
    }
    return new PolicyBuilder({ ...this.#p, crls: [...crls] });
  }

  #policy(): Policy {
    if (!this.#p.store) throw new TypeError('a store is required: call .store(new Store(roots)) first');
    return {
      store: this.#p.store,
      time: this.#p.time,
      maxChainDepth: this.#p.maxChainDepth ?? DEFAULT_MAX_CHAIN_DEPTH,
      crls: this.#p.crls ?? [],
    };
  }

  /**
   * A verifier for TLS server certificates that must match `subject`.
   * @throws {TypeError} without a store, or when `subject` is not `{ dns }` or `{ ip }`.
   * @throws {RangeError} when the DNS name or IP address is malformed.
   */
  buildServerVerifier(subject: Subject): ServerVerifier {
    const policy = this.#policy();
    if (typeof subject !== 'object' || subject === null)
      throw new TypeError(`"subject" must be { dns } or { ip }`);
    let peer: Peer;
    if ('dns' in subject && typeof subject.dns === 'string') {
      const name = subject.dns.toLowerCase().replace(/\.$/, '');
      if (!isDnsName(name, false)) throw new RangeError(`"subject.dns" is not a valid DNS name`);
      peer = { dns: name };
    } else if ('ip' in subject && typeof subject.ip === 'string') {
      const ip = parseIp(subject.ip);
      if (!ip) throw new RangeError(`"subject.ip" is not a valid IP address`);
      peer = { ip };
    } else {
      throw new TypeError(`"subject" must be { dns: string } or { ip: string }`);
    }
    return new ServerVerifier(policy, peer);
  }

  /** A verifier for TLS client certificates (EKU clientAuth); it returns the leaf's SAN for you to match. */
  buildClientVerifier(): ClientVerifier {
    return new ClientVerifier(this.#policy());
  }
}

type Peer = { dns: string } | { ip: Uint8Array };

/** Verifies TLS server certificates. */
export class ServerVerifier {
  readonly #policy: Policy;
  readonly #peer: Peer;
  /** @internal */
  constructor(policy: Policy, peer: Peer) {
    this.#policy = policy;
    this.#peer = peer;
  }

  /**
   * Builds and validates a path from `leaf` to a trust anchor, using `intermediates` as candidates.
   * Returns the chain, leaf first, anchor last.
   * @throws {VerificationError} naming the failed check.
   */
  verify(leaf: Certificate, intermediates: readonly Certificate[] = []): Certificate[] {
    const chain = buildPath(this.#policy, leaf, intermediates, ExtendedKeyUsageOID.SERVER_AUTH);
    checkServerName(leaf, this.#peer);
    return chain;
  }
}

/** Verifies TLS client certificates. */
export class ClientVerifier {
  readonly #policy: Policy;
  /** @internal */
  constructor(policy: Policy) {
    this.#policy = policy;
  }

  /**
   * Like `ServerVerifier#verify` with EKU clientAuth; returns the chain and the leaf's SAN entries.
   * @throws {VerificationError} naming the failed check.
   */
  verify(
    leaf: Certificate,
    intermediates: readonly Certificate[] = [],
  ): { chain: Certificate[]; subjects: GeneralName[] } {
    const chain = buildPath(this.#policy, leaf, intermediates, ExtendedKeyUsageOID.CLIENT_AUTH);
    const subjects = leaf.extensions.value(ExtensionOID.SUBJECT_ALTERNATIVE_NAME) ?? [];
    return { chain, subjects };
  }
}

// --- Names: DNS, IP, email ---

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** RFC 1034 §3.5 preferred syntax (LDH labels, no underscores), optionally with a `*.` first label. */
export function isDnsName(name: string, allowWildcard: boolean): boolean {
  string('name', name);
  boolean('allowWildcard', allowWildcard);
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  if (allowWildcard && labels[0] === '*') labels.shift();
  if (labels.length === 0) return false;
  return labels.every((l) => LABEL.test(l));
}

/** An IP address in text form to its 4 or 16 bytes; null when malformed (no zone ids, no leading zeros). */
export function parseIp(text: string): Uint8Array | null {
  string('text', text);
  const v = isIP(text);
  if (v === 4) {
    const parts = text.split('.');
    if (parts.some((p) => p.length > 1 && p.startsWith('0'))) return null;
    return Uint8Array.from(parts.map(Number));
  }
  if (v === 6) {
    if (text.includes('%') || text.includes('.')) return null;
    const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
    const h = head ? (head as string).split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    if (groups.length !== 8) return null;
    const out = new Uint8Array(16);
    groups.forEach((g, i) => {
      const n = Number.parseInt(g as string, 16);
      out[i * 2] = n >> 8;
      out[i * 2 + 1] = n & 0xff;
    });
    return out;
  }
  return null;
}

/** The canonical text of an IP address: dotted decimal, or RFC 5952 for IPv6. */
export function formatIp(b: Uint8Array): string {
  bytes('address', b);
  if (b.length !== 4 && b.length !== 16)
    throw new RangeError(`"address" must be 4 or 16 bytes, got ${b.length}`);
  return ipText(b);
}

// Unchecked: also formats the odd-length addresses a hostile certificate may carry.
function ipText(b: Uint8Array): string {
  if (b.length === 4) return [...b].join('.');
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push(((b[i] as number) << 8) | (b[i + 1] as number));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hx = (a: number[]) => a.map((x) => x.toString(16)).join(':');
  return best < 0 ? hx(g) : `${hx(g.slice(0, best))}::${hx(g.slice(best + bestLen))}`;
}

function isEmail(s: string): boolean {
  const at = s.indexOf('@');
  if (at <= 0 || at !== s.lastIndexOf('@')) return false;
  const local = s.slice(0, at);
  if (!/^[\x21-\x7e]+$/.test(local)) return false;
  return isDnsName(s.slice(at + 1), false);
}

/** RFC 6125 §6.4: exact (case-insensitive) or a left-most `*` label standing for exactly one label. */
function dnsMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  if (!isDnsName(p, true)) return false;
  if (p.startsWith('*.')) {
    const rest = p.slice(2);
    // CABF 3.2.2.6: no wildcard directly over a TLD (or the root).
    if (!rest.includes('.')) return false;
    const dot = host.indexOf('.');
    return dot > 0 && host.slice(dot + 1) === rest;
  }
  return p === host;
}

function checkServerName(leaf: Certificate, peer: Peer): void {
  const san = leaf.extensions.value(ExtensionOID.SUBJECT_ALTERNATIVE_NAME) ?? [];
  if ('dns' in peer) {
    if (san.some((n) => n.type === 'dns' && dnsMatches(n.value, peer.dns))) return;
    fail('subject-name', `the leaf's subjectAltName does not match the DNS name ${peer.dns}`);
  } else {
    if (
      san.some(
        (n) => n.type === 'ip' && n.value.length === peer.ip.length && Buffer.compare(n.value, peer.ip) === 0,
      )
    )
      return;
    fail('subject-name', `the leaf's subjectAltName does not match the IP address ${ipText(peer.ip)}`);
  }
}

// --- Per-certificate profile checks ---

const PERMITTED_SIG = new Set([
  'sha256WithRSAEncryption',
  'sha384WithRSAEncryption',
  'sha512WithRSAEncryption',
  'ecdsa-with-SHA256',
  'ecdsa-with-SHA384',
  'ecdsa-with-SHA512',
  'ed25519',
  'ed448',
]);

const PROCESSED = new Set<string>([
  ExtensionOID.BASIC_CONSTRAINTS,
  ExtensionOID.KEY_USAGE,
  ExtensionOID.EXTENDED_KEY_USAGE,
  ExtensionOID.SUBJECT_ALTERNATIVE_NAME,
  ExtensionOID.NAME_CONSTRAINTS,
  ExtensionOID.SUBJECT_KEY_IDENTIFIER,
  ExtensionOID.AUTHORITY_KEY_IDENTIFIER,
  ExtensionOID.AUTHORITY_INFORMATION_ACCESS,
  ExtensionOID.CRL_DISTRIBUTION_POINTS,
  ExtensionOID.CERTIFICATE_POLICIES,
]);

function label(c: Certificate): string {
  const s = c.subject.rfc4514String();
  return s === '' ? `certificate with serial ${c.serialNumber.toString(16)}` : `"${s}"`;
}

/** Checks that apply to every certificate in the path (and to anchors). */
function checkCommon(c: Certificate, now: Date, isAnchor = false): void {
  const who = label(c);
  if (c.version !== 'v3') fail('profile', `${who} is not an X.509 v3 certificate`);
  // RFC 5280 §4.1.2.2: positive, at most 20 octets. A trust anchor is trusted by fiat for its encoding
  // (RFC 5280 §6.1.1(d) takes only its name and key): old roots with serial 0 are still in use.
  if (c.serialNumber <= 0n && !isAnchor) fail('profile', `${who} has a serial number that is not positive`);
  if (c.serialNumberLength > 20) fail('profile', `${who} has a serial number longer than 20 octets`);
  if (c.issuer.isEmpty) fail('profile', `${who} has an empty issuer name`);
  if (Buffer.compare(c.signatureAlgorithm.der, c.tbsSignatureAlgorithm.der) !== 0) {
    fail('signature-algorithm', `${who} names different signature algorithms inside and outside the TBS`);
  }
  // Validity, to the second (RFC 5280 has no finer granularity): notBefore <= t <= notAfter.
  const t = Math.floor(now.getTime() / 1000) * 1000;
  if (t < c.notValidBefore.getTime())
    fail('validity', `${who} is not valid until ${c.notValidBefore.toISOString()}`);
  if (t > c.notValidAfter.getTime()) fail('validity', `${who} expired at ${c.notValidAfter.toISOString()}`);
  checkPublicKey(c);
  for (const e of c.extensions) {
    try {
      void e.value;
    } catch (err) {
      fail('extension', `${who} has a malformed extension ${e.oid}: ${(err as Error).message}`);
    }
    if (e.critical && !PROCESSED.has(e.oid))
      fail('extension', `${who} has an unrecognized critical extension ${e.oid}`);
  }
  const ext = c.extensions;
  for (const oid of [
    ExtensionOID.AUTHORITY_KEY_IDENTIFIER,
    ExtensionOID.SUBJECT_KEY_IDENTIFIER,
    ExtensionOID.AUTHORITY_INFORMATION_ACCESS,
  ]) {
    if (ext.get(oid)?.critical)
      fail('extension', `${who} marks extension ${oid} critical (RFC 5280 forbids it)`);
  }
  const pc = ext.get(ExtensionOID.POLICY_CONSTRAINTS);
  if (pc && !pc.critical)
    fail('extension', `${who} has a non-critical PolicyConstraints (RFC 5280 §4.2.1.11)`);
  const aki = ext.value(ExtensionOID.AUTHORITY_KEY_IDENTIFIER);
  if (aki) {
    // CABF 7.1.2.1.3 / 7.1.2.11.1: keyIdentifier only.
    if (!aki.keyIdentifier) fail('extension', `${who} has an authorityKeyIdentifier without keyIdentifier`);
    if (aki.authorityCertIssuer || aki.authorityCertSerialNumber !== null) {
      fail('extension', `${who} has authorityCertIssuer/authorityCertSerialNumber in its AKI`);
    }
  } else if (!c.selfIssued && !isAnchor) {
    fail('extension', `${who} lacks the authorityKeyIdentifier RFC 5280 §4.2.1.1 requires`);
  }
}

function checkPublicKey(c: Certificate): void {
  const who = label(c);
  const { algorithm, namedCurve } = c.publicKeyInfo;
  switch (algorithm.oid) {
    case PublicKeyAlgorithmOID.RSA: {
      let bits: number | undefined;
      try {
        bits = c.publicKeyObject().asymmetricKeyDetails?.modulusLength;
      } catch {
        fail('public-key', `${who} has a malformed RSA key`);
      }
      if (bits === undefined || bits < 2048) fail('public-key', `${who} has an RSA key under 2048 bits`);
      if ((bits as number) % 8 !== 0)
        fail('public-key', `${who} has an RSA modulus not a multiple of 8 bits`);
      return;
    }
    case PublicKeyAlgorithmOID.EC:
      if (
        namedCurve !== CurveOID.SECP256R1 &&
        namedCurve !== CurveOID.SECP384R1 &&
        namedCurve !== CurveOID.SECP521R1
      ) {
        fail('public-key', `${who} has an EC key that is not P-256, P-384 or P-521 by name`);
      }
      break;
    case PublicKeyAlgorithmOID.ED25519:
    case PublicKeyAlgorithmOID.ED448:
      break;
    default:
      fail('public-key', `${who} has a public key type ${algorithm.oid} that is not permitted`);
  }
  try {
    c.publicKeyObject();
  } catch {
    fail('public-key', `${who} has a public key that cannot be loaded`);
  }
}

function checkCa(c: Certificate, isAnchor: boolean, eku: string): void {
  const who = label(c);
  const ext = c.extensions;
  if (c.subject.isEmpty) fail('profile', `a CA certificate has an empty subject`);
  const bc = ext.get(ExtensionOID.BASIC_CONSTRAINTS);
  if (!bc) fail('basic-constraints', `${who} is used as a CA but has no basicConstraints`);
  if (!bc?.critical) fail('basic-constraints', `${who} has a non-critical basicConstraints`);
  if (!bc?.value.ca) fail('basic-constraints', `${who} is used as a CA but basicConstraints.cA is false`);
  // RFC 5280 §6.1.4(n): if keyUsage is present, keyCertSign must be set.
  const ku = ext.value(ExtensionOID.KEY_USAGE);
  if (ku && !ku.keyCertSign) fail('key-usage', `${who} is a CA without keyUsage.keyCertSign`);
  const ski = ext.value(ExtensionOID.SUBJECT_KEY_IDENTIFIER);
  if (!ski) fail('extension', `${who} is a CA without subjectKeyIdentifier`);
  const aki = ext.value(ExtensionOID.AUTHORITY_KEY_IDENTIFIER);
  if (
    aki?.keyIdentifier &&
    c.selfIssued &&
    isAnchor &&
    Buffer.compare(aki.keyIdentifier, ski as Uint8Array) !== 0
  ) {
    fail('extension', `${who} is a self-signed root whose AKI does not match its SKI`);
  }
  const ekus = ext.value(ExtensionOID.EXTENDED_KEY_USAGE);
  if (ekus) {
    // CABF 7.1.2.1.2: roots carry no EKU.
    if (isAnchor) fail('extended-key-usage', `${who} is a trust anchor with extKeyUsage`);
    if (!ekus.includes(eku) && !ekus.includes(ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE)) {
      fail('extended-key-usage', `${who} does not allow EKU ${eku}`);
    }
  }
}

function checkLeaf(c: Certificate, eku: string): void {
  const who = label(c);
  const ext = c.extensions;
  const bc = ext.value(ExtensionOID.BASIC_CONSTRAINTS);
  if (bc?.ca) fail('basic-constraints', `${who} is an end entity with basicConstraints.cA true`);
  if (ext.value(ExtensionOID.KEY_USAGE)?.keyCertSign)
    fail('key-usage', `${who} is an end entity asserting keyCertSign`);
  if (ext.get(ExtensionOID.NAME_CONSTRAINTS))
    fail('name-constraints', `${who} is an end entity with nameConstraints`);
  const ekuExt = ext.get(ExtensionOID.EXTENDED_KEY_USAGE);
  if (ekuExt) {
    if (ekuExt.critical) fail('extended-key-usage', `${who} has a critical extKeyUsage (CABF 7.1.2.7.6)`);
    if (ekuExt.value.includes(ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE)) {
      fail('extended-key-usage', `${who} asserts anyExtendedKeyUsage (CABF 7.1.2.7.10)`);
    }
    if (!ekuExt.value.includes(eku)) fail('extended-key-usage', `${who} does not allow EKU ${eku}`);
  }
  const sanExt = ext.get(ExtensionOID.SUBJECT_ALTERNATIVE_NAME);
  if (!sanExt) fail('subject-name', `${who} has no subjectAltName`);
  const san = sanExt?.value ?? [];
  // RFC 5280 §4.2.1.6 / CABF 7.1.2.7.12: critical exactly when the subject is empty.
  if (c.subject.isEmpty && !sanExt?.critical)
    fail('subject-name', `${who} has an empty subject and a non-critical subjectAltName`);
  if (!c.subject.isEmpty && sanExt?.critical)
    fail('subject-name', `${who} has a non-empty subject and a critical subjectAltName`);
  // CABF BR 7.1.4.3 (TLS server certificates): a subject CN is a character-for-character copy of one SAN entry.
  if (eku !== ExtendedKeyUsageOID.SERVER_AUTH) return;
  const cns = c.subject.getAttributesForOid(NameOID.COMMON_NAME);
  if (cns.length > 1) fail('subject-name', `${who} has more than one commonName`);
  for (const cn of cns) {
    const ok = san.some(
      (n) => (n.type === 'dns' && n.value === cn.value) || (n.type === 'ip' && ipText(n.value) === cn.value),
    );
    if (!ok) fail('subject-name', `${who} has a commonName that is not one of its subjectAltName entries`);
  }
}

// --- Name constraints ---

interface NcBudget {
  n: number;
}

function dnsWithin(name: string, base: string): boolean {
  return base === '' || name === base || name.endsWith(`.${base}`);
}

function ipMask(b: Uint8Array): { net: Uint8Array; mask: Uint8Array } | null {
  if (b.length !== 8 && b.length !== 32) return null;
  const half = b.length / 2;
  const mask = b.subarray(half);
  // The mask must be a CIDR prefix: ones then zeros.
  let seenZero = false;
  for (const byte of mask) {
    for (let bit = 7; bit >= 0; bit--) {
      const one = (byte >> bit) & 1;
      if (one && seenZero) return null;
      if (!one) seenZero = true;
    }
  }
  return { net: b.subarray(0, half), mask };
}

function nameConstraintsOf(c: Certificate): NameConstraints | undefined {
  const nc = c.extensions.value(ExtensionOID.NAME_CONSTRAINTS);
  if (!nc) return undefined;
  const who = label(c);
  for (const t of [...(nc.permittedSubtrees ?? []), ...(nc.excludedSubtrees ?? [])]) {
    if (t.minimum !== 0 || t.maximum !== null)
      fail('name-constraints', `${who} uses minimum/maximum in a GeneralSubtree`);
    const b = t.base;
    if (b.type === 'dns' && b.value !== '' && !isDnsName(b.value.toLowerCase(), false)) {
      fail('name-constraints', `${who} has a malformed dNSName constraint`);
    }
    if (b.type === 'ip' && !ipMask(b.value))
      fail('name-constraints', `${who} has a malformed iPAddress constraint`);
    if (b.type === 'email') {
      const v = b.value;
      const ok = v.includes('@') ? isEmail(v) : isDnsName(v.replace(/^\./, '').toLowerCase(), false);
      if (!ok) fail('name-constraints', `${who} has a malformed rfc822Name constraint`);
    }
  }
  return nc;
}

/** Does `name` fall inside `base`? For excluded subtrees, `forExclusion` treats a wildcard as every name it could match. */
function subtreeMatches(name: GeneralName, base: GeneralName, forExclusion: boolean): boolean {
  switch (base.type) {
    case 'dns': {
      if (name.type !== 'dns') return false;
      const n = name.value.toLowerCase();
      const b = base.value.toLowerCase();
      if (n.startsWith('*.')) {
        const rest = n.slice(2);
        // `*.rest` names exactly one label under `rest`: inside `b` if `rest` is; for exclusion, also
        // overlapping when `b` lies under `rest` (CVE-2025-61727).
        return dnsWithin(rest, b) || (forExclusion && b.endsWith(`.${rest}`));
      }
      return dnsWithin(n, b);
    }
    case 'ip': {
      if (name.type !== 'ip') return false;
      const m = ipMask(base.value) as { net: Uint8Array; mask: Uint8Array };
      if (name.value.length !== m.net.length) return false;
      for (let i = 0; i < m.net.length; i++) {
        if ((((name.value[i] as number) ^ (m.net[i] as number)) & (m.mask[i] as number)) !== 0) return false;
      }
      return true;
    }
    case 'email': {
      if (name.type !== 'email') return false;
      const at = name.value.lastIndexOf('@');
      const host = name.value.slice(at + 1).toLowerCase();
      const b = base.value;
      if (b.includes('@')) {
        const bat = b.lastIndexOf('@');
        return name.value.slice(0, at) === b.slice(0, bat) && host === b.slice(bat + 1).toLowerCase();
      }
      if (b.startsWith('.')) return host.endsWith(b.toLowerCase());
      return host === b.toLowerCase();
    }
    case 'directoryName': {
      if (name.type !== 'directoryName') return false;
      const br = base.value.rdns;
      const nr = name.value.rdns;
      if (br.length > nr.length) return false;
      // RFC 5280 §4.2.1.10: a directoryName constraint is a prefix of RDNs.
      const prefix = new (base.value.constructor as new (r: typeof nr) => Name)(nr.slice(0, br.length));
      return prefix.equals(base.value);
    }
    default:
      return false;
  }
}

const SUPPORTED_NC = new Set(['dns', 'ip', 'email', 'directoryName']);

function applyNameConstraints(
  nc: NameConstraints,
  constrainer: Certificate,
  c: Certificate,
  budget: NcBudget,
): void {
  const who = label(c);
  const names: GeneralName[] = [...(c.extensions.value(ExtensionOID.SUBJECT_ALTERNATIVE_NAME) ?? [])];
  if (!c.subject.isEmpty) names.push({ type: 'directoryName', value: c.subject });
  for (const a of c.subject.getAttributesForOid(NameOID.EMAIL_ADDRESS))
    names.push({ type: 'email', value: a.value });
  const permitted = nc.permittedSubtrees ?? [];
  const excluded = nc.excludedSubtrees ?? [];
  for (const name of names) {
    // Names must be well formed to be judged at all (RFC 5280 §4.2.1.10).
    if (name.type === 'dns' && !isDnsName(name.value.toLowerCase(), true))
      fail('name-constraints', `${who} has a malformed dNSName`);
    if (name.type === 'ip' && name.value.length !== 4 && name.value.length !== 16)
      fail('name-constraints', `${who} has a malformed iPAddress`);
    if (name.type === 'email' && !isEmail(name.value))
      fail('name-constraints', `${who} has a malformed rfc822Name`);
    const sameType = (t: GeneralSubtree) => t.base.type === name.type;
    const relevantPermitted = permitted.filter(sameType);
    const relevantExcluded = excluded.filter(sameType);
    if ((relevantPermitted.length || relevantExcluded.length) && !SUPPORTED_NC.has(name.type)) {
      fail(
        'name-constraints',
        `${label(constrainer)} constrains ${name.type} names, which coffer does not evaluate`,
      );
    }
    budget.n += relevantPermitted.length + relevantExcluded.length;
    if (budget.n > VERIFY_LIMITS.maxNameConstraintChecks)
      fail('resource-limit', 'too many name-constraint checks');
    for (const t of relevantExcluded) {
      if (subtreeMatches(name, t.base, true))
        fail('name-constraints', `${who} has a name excluded by ${label(constrainer)}`);
    }
    if (relevantPermitted.length && !relevantPermitted.some((t) => subtreeMatches(name, t.base, false))) {
      fail('name-constraints', `${who} has a name outside the subtrees permitted by ${label(constrainer)}`);
    }
  }
}

// --- Revocation ---

function checkRevocation(policy: Policy, c: Certificate, issuer: Certificate): void {
  for (const crl of policy.crls) {
    if (!crl.issuer.equals(issuer.subject)) continue;
    const who = label(c);
    let key: ReturnType<Certificate['publicKeyObject']>;
    try {
      key = issuer.publicKeyObject();
    } catch {
      fail('revocation', `the CRL issuer key of ${who} cannot be loaded`);
    }
    if (!crl.isSignatureValid(key)) continue; // a CRL from another key with the same name says nothing here
    const ku = issuer.extensions.value(ExtensionOID.KEY_USAGE);
    if (ku && !ku.cRLSign) fail('revocation', `${label(issuer)} signed a CRL without keyUsage.cRLSign`);
    const num = crl.extensions.get(ExtensionOID.CRL_NUMBER);
    if (!num) fail('revocation', `a CRL from ${label(issuer)} lacks the CRLNumber RFC 5280 §5.2.3 requires`);
    if (num?.critical) fail('revocation', `a CRL from ${label(issuer)} has a critical CRLNumber`);
    for (const e of crl.extensions) {
      try {
        void e.value;
      } catch {
        fail('revocation', `a CRL from ${label(issuer)} has a malformed extension ${e.oid}`);
      }
      if (e.critical && e.oid !== ExtensionOID.ISSUING_DISTRIBUTION_POINT) {
        fail('revocation', `a CRL from ${label(issuer)} has an unsupported critical extension ${e.oid}`);
      }
      if (e.oid === ExtensionOID.ISSUING_DISTRIBUTION_POINT || e.oid === ExtensionOID.DELTA_CRL_INDICATOR) {
        fail('revocation', `partitioned and delta CRLs are not supported`);
      }
    }
    if (crl.getRevokedCertificateBySerialNumber(c.serialNumber)) fail('revocation', `${who} is revoked`);
  }
}

// --- Path building ---

interface State {
  readonly policy: Policy;
  readonly now: Date;
  readonly eku: string;
  readonly intermediates: readonly Certificate[];
  candidates: number;
  best: VerificationError | undefined;
  bestDepth: number;
  readonly caChecked: Map<Certificate, VerificationError | null>;
}

function record(st: State, err: unknown, depth: number): void {
  if (!(err instanceof VerificationError)) throw err;
  if (err.check === 'resource-limit') throw err;
  if (!st.best || depth >= st.bestDepth) {
    st.best = err;
    st.bestDepth = depth;
  }
}

function caOk(st: State, c: Certificate, isAnchor: boolean): void {
  const cached = st.caChecked.get(c);
  if (cached === null) return;
  if (cached) throw cached;
  try {
    checkCommon(c, st.now, isAnchor);
    checkCa(c, isAnchor, st.eku);
    st.caChecked.set(c, null);
  } catch (err) {
    if (err instanceof VerificationError) st.caChecked.set(c, err);
    throw err;
  }
}

/** Checks the signature of `child` by `issuer` under the permitted algorithms. */
function checkSignature(child: Certificate, issuer: Certificate): void {
  let scheme: ReturnType<typeof signatureScheme>;
  try {
    scheme = signatureScheme(child.signatureAlgorithm);
  } catch {
    fail('signature-algorithm', `${label(child)} uses an unsupported signature algorithm`);
  }
  const pssOk =
    scheme.kind === 'rsa-pss' &&
    ['sha256', 'sha384', 'sha512'].includes(scheme.hash as string) &&
    scheme.saltLength === { sha256: 32, sha384: 48, sha512: 64 }[scheme.hash as 'sha256'];
  if (!PERMITTED_SIG.has(scheme.name) && !pssOk)
    fail('signature-algorithm', `${label(child)} is signed with ${scheme.name}, which is not permitted`);
  try {
    child.verifyDirectlyIssuedBy(issuer);
  } catch {
    fail('signature', `the signature on ${label(child)} does not verify with the key of ${label(issuer)}`);
  }
}

/** Path-wide checks once `chain` (leaf first) reaches an anchor: path lengths, depth, name constraints, CRLs. */
function checkPath(st: State, chain: readonly Certificate[]): void {
  const n = chain.length;
  // RFC 5280 §4.2.1.9 / §6.1.4(l,m): count non-self-issued intermediates below each CA.
  let below = 0;
  for (let i = 1; i < n; i++) {
    const ca = chain[i] as Certificate;
    const pl = ca.extensions.value(ExtensionOID.BASIC_CONSTRAINTS)?.pathLength;
    if (pl !== null && pl !== undefined && below > pl) {
      fail('path-length', `${label(ca)} allows ${pl} intermediates below it, the path has ${below}`);
    }
    if (!ca.selfIssued && i < n - 1) below++;
  }
  // The anchor is not counted; self-issued intermediates are (as one logical CA) not counted.
  let depth = 0;
  for (let i = 1; i < n - 1; i++) if (!(chain[i] as Certificate).selfIssued) depth++;
  if (depth > st.policy.maxChainDepth)
    fail('max-depth', `the path has ${depth} intermediates, the maximum is ${st.policy.maxChainDepth}`);
  const budget = { n: 0 };
  for (let j = n - 1; j >= 1; j--) {
    const nc = nameConstraintsOf(chain[j] as Certificate);
    if (!nc) continue;
    for (let i = j - 1; i >= 0; i--) {
      const c = chain[i] as Certificate;
      // §6.1.3(b): self-issued intermediates are exempt; the leaf never is.
      if (i > 0 && c.selfIssued) continue;
      applyNameConstraints(nc, chain[j] as Certificate, c, budget);
    }
  }
  for (let i = 0; i < n - 1; i++)
    checkRevocation(st.policy, chain[i] as Certificate, chain[i + 1] as Certificate);
}

function sameLogical(a: Certificate, b: Certificate): boolean {
  return a.subject.equals(b.subject) && Buffer.compare(a.publicKeyInfo.der, b.publicKeyInfo.der) === 0;
}

function extend(st: State, chain: Certificate[]): Certificate[] | undefined {
  const child = chain[chain.length - 1] as Certificate;
  const depth = chain.length;
  // Hard stop on raw length: maxChainDepth logical CAs plus some self-issued ones, and the anchor.
  if (depth > st.policy.maxChainDepth + 8) {
    record(st, new VerificationError('max-depth', 'no path within the maximum chain depth'), depth);
    return undefined;
  }
  const anchors = st.policy.store.bySubject(child.issuer);
  const inters = st.intermediates.filter((c) => c.subject.equals(child.issuer));
  const tried: Certificate[] = [];
  for (const [cand, isAnchor] of [
    ...anchors.map((a) => [a, true] as const),
    ...inters.map((c) => [c, false] as const),
  ]) {
    if (chain.some((c) => c.equals(cand) || sameLogical(c, cand))) continue;
    if (tried.some((t) => t.equals(cand))) continue;
    tried.push(cand);
    if (++st.candidates > VERIFY_LIMITS.maxCandidates)
      fail('resource-limit', 'too many candidate issuers tried');
    try {
      caOk(st, cand, isAnchor);
      checkSignature(child, cand);
      const next = [...chain, cand];
      if (isAnchor) {
        checkPath(st, next);
        return next;
      }
      // An intermediate may only sit below maxChainDepth logical CAs; pathLen is checked on the full path.
      const found = extend(st, next);
      if (found) return found;
    } catch (err) {
      record(st, err, depth);
    }
  }
  return undefined;
}

function buildPath(
  policy: Policy,
  leaf: Certificate,
  intermediates: readonly Certificate[],
  eku: string,
): Certificate[] {
  if (!(leaf instanceof Certificate) || !hasDer(leaf))
    throw new TypeError(`"leaf" must be a Certificate, got ${describeValue(leaf)}`);
  if (!Array.isArray(intermediates)) throw new TypeError(`"intermediates" must be an array of Certificates`);
  for (const c of intermediates)
    if (!(c instanceof Certificate) || !hasDer(c))
      throw new TypeError(`"intermediates" must hold only Certificates, got ${describeValue(c)}`);
  if (intermediates.length > VERIFY_LIMITS.maxIntermediates)
    throw new RangeError(`"intermediates" holds more than ${VERIFY_LIMITS.maxIntermediates} certificates`);
  const now = policy.time ?? new Date();
  checkCommon(leaf, now);
  checkLeaf(leaf, eku);
  const st: State = {
    policy,
    now,
    eku,
    // Anchors are found through the store; a copy of an anchor among the intermediates adds nothing.
    intermediates: intermediates.filter((c) => !policy.store.contains(c)),
    candidates: 0,
    best: undefined,
    bestDepth: -1,
    caChecked: new Map(),
  };
  const chain = extend(st, [leaf]);
  if (chain) return chain;
  throw st.best ?? new VerificationError('untrusted', `no issuer of ${label(leaf)} leads to a trust anchor`);
}
