/**
 * X.509 v3 extensions (RFC 5280 §4.2) and general names, parsed into plain typed objects.
 * @module
 */
import { DecodeError } from '../errors.ts';
import {
  contextTag,
  DerReader,
  decodeBitString,
  decodeInteger,
  decodeString,
  der,
  Tag,
} from '../formats/der.ts';
import { type Name, readName } from './name.ts';
import { ExtensionOID } from './oids.ts';
import { array, boolean, bytes, oid as checkOid, describeValue, reader, string } from './validate.ts';

/** A GeneralName (RFC 5280 §4.2.1.6). IP addresses keep their raw 4/16 bytes (8/32 in name constraints). */
export type GeneralName =
  | { readonly type: 'dns'; readonly value: string }
  | { readonly type: 'email'; readonly value: string }
  | { readonly type: 'uri'; readonly value: string }
  | { readonly type: 'ip'; readonly value: Uint8Array }
  | { readonly type: 'directoryName'; readonly value: Name }
  | { readonly type: 'registeredId'; readonly value: string }
  | { readonly type: 'otherName'; readonly oid: string; readonly value: Uint8Array }
  | { readonly type: 'x400Address' | 'ediPartyName'; readonly value: Uint8Array };

/** Reads one GeneralName from `r`. */
export function readGeneralName(r: DerReader): GeneralName {
  reader('reader', r);
  const el = r.readElement();
  const ia5 = () => decodeString(Tag.IA5_STRING, el.contents, 'GeneralName');
  switch (el.tag) {
    case contextTag(0, true): {
      const on = r.child(el);
      const oid = on.readOid();
      const v = on.expect(contextTag(0, true), 'otherName value');
      on.end();
      return { type: 'otherName', oid, value: v.contents };
    }
    case contextTag(1, false):
      return { type: 'email', value: ia5() };
    case contextTag(2, false):
      return { type: 'dns', value: ia5() };
    case contextTag(3, true):
      return { type: 'x400Address', value: el.contents };
    case contextTag(4, true): {
      const inner = r.child(el);
      const name = readName(inner);
      inner.end();
      return { type: 'directoryName', value: name };
    }
    case contextTag(5, true):
      return { type: 'ediPartyName', value: el.contents };
    case contextTag(6, false):
      return { type: 'uri', value: ia5() };
    case contextTag(7, false):
      return { type: 'ip', value: el.contents };
    case contextTag(8, false): {
      const tmp = new DerReader(der.tlv(Tag.OID, el.contents), 'GeneralName');
      return { type: 'registeredId', value: tmp.readOid() };
    }
    default:
      return r.fail(`unknown GeneralName tag 0x${el.tag.toString(16)}`);
  }
}

/** Reads GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName from a reader over the sequence contents. */
function readGeneralNamesContents(r: DerReader, what: string): GeneralName[] {
  const out: GeneralName[] = [];
  while (!r.done) out.push(readGeneralName(r));
  if (out.length === 0) r.fail(`${what} must not be empty`);
  return out;
}

export interface BasicConstraints {
  readonly ca: boolean;
  readonly pathLength: number | null;
}
export interface KeyUsage {
  readonly digitalSignature: boolean;
  readonly contentCommitment: boolean;
  readonly keyEncipherment: boolean;
  readonly dataEncipherment: boolean;
  readonly keyAgreement: boolean;
  readonly keyCertSign: boolean;
  readonly cRLSign: boolean;
  readonly encipherOnly: boolean;
  readonly decipherOnly: boolean;
}
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'contentCommitment',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export interface AuthorityKeyIdentifier {
  readonly keyIdentifier: Uint8Array | null;
  readonly authorityCertIssuer: GeneralName[] | null;
  readonly authorityCertSerialNumber: bigint | null;
}
export interface GeneralSubtree {
  readonly base: GeneralName;
  readonly minimum: number;
  readonly maximum: number | null;
}
export interface NameConstraints {
  readonly permittedSubtrees: GeneralSubtree[] | null;
  readonly excludedSubtrees: GeneralSubtree[] | null;
}
export interface DistributionPoint {
  readonly fullName: GeneralName[] | null;
  readonly relativeName: Uint8Array | null;
  readonly reasons: Uint8Array | null;
  readonly crlIssuer: GeneralName[] | null;
}
export interface AccessDescription {
  readonly accessMethod: string;
  readonly accessLocation: GeneralName;
}
export interface PolicyInformation {
  readonly policyIdentifier: string;
  /** CPS URIs from the qualifiers; other qualifiers are kept as raw DER. */
  readonly cpsUris: string[];
  readonly rawQualifiers: Uint8Array | null;
}
export interface PolicyConstraints {
  readonly requireExplicitPolicy: number | null;
  readonly inhibitPolicyMapping: number | null;
}

/** The typed value of each extension coffer parses; other OIDs stay raw. */
export interface ExtensionValues {
  [ExtensionOID.BASIC_CONSTRAINTS]: BasicConstraints;
  [ExtensionOID.KEY_USAGE]: KeyUsage;
  [ExtensionOID.EXTENDED_KEY_USAGE]: string[];
  [ExtensionOID.SUBJECT_KEY_IDENTIFIER]: Uint8Array;
  [ExtensionOID.AUTHORITY_KEY_IDENTIFIER]: AuthorityKeyIdentifier;
  [ExtensionOID.SUBJECT_ALTERNATIVE_NAME]: GeneralName[];
  [ExtensionOID.ISSUER_ALTERNATIVE_NAME]: GeneralName[];
  [ExtensionOID.NAME_CONSTRAINTS]: NameConstraints;
  [ExtensionOID.CRL_DISTRIBUTION_POINTS]: DistributionPoint[];
  [ExtensionOID.FRESHEST_CRL]: DistributionPoint[];
  [ExtensionOID.AUTHORITY_INFORMATION_ACCESS]: AccessDescription[];
  [ExtensionOID.SUBJECT_INFORMATION_ACCESS]: AccessDescription[];
  [ExtensionOID.CERTIFICATE_POLICIES]: PolicyInformation[];
  [ExtensionOID.POLICY_CONSTRAINTS]: PolicyConstraints;
  [ExtensionOID.CRL_NUMBER]: bigint;
  [ExtensionOID.DELTA_CRL_INDICATOR]: bigint;
  [ExtensionOID.CRL_REASON]: number;
  [ExtensionOID.INHIBIT_ANY_POLICY]: number;
}

type Parser = (r: DerReader) => unknown;

function keyUsage(r: DerReader): KeyUsage {
  const { bytes } = r.readBitString();
  const bit = (i: number) => (((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1) === 1;
  const out: Record<string, boolean> = {};
  KEY_USAGE_BITS.forEach((name, i) => {
    out[name] = bit(i);
  });
  if (!KEY_USAGE_BITS.some((_, i) => bit(i))) r.fail('KeyUsage asserts no bit');
  return out as unknown as KeyUsage;
}

function subtrees(r: DerReader): GeneralSubtree[] {
  const out: GeneralSubtree[] = [];
  while (!r.done) {
    const s = r.readSequence();
    const base = readGeneralName(s);
    let minimum = 0;
    let maximum: number | null = null;
    const min = s.optional(contextTag(0, false));
    if (min) {
      minimum = Number(decodeInteger(min.contents));
      // DER: DEFAULT 0 must be omitted.
      if (minimum === 0) s.fail('GeneralSubtree minimum encodes its DEFAULT');
    }
    const max = s.optional(contextTag(1, false));
    if (max) maximum = Number(decodeInteger(max.contents));
    s.end();
    out.push({ base, minimum, maximum });
  }
  if (out.length === 0) r.fail('GeneralSubtrees must not be empty');
  return out;
}

function distributionPoints(r: DerReader): DistributionPoint[] {
  const out: DistributionPoint[] = [];
  while (!r.done) {
    const dp = r.readSequence();
    let fullName: GeneralName[] | null = null;
    let relativeName: Uint8Array | null = null;
    const dpn = dp.readOptionalExplicit(0);
    if (dpn) {
      const el = dpn.readElement();
      if (el.tag === contextTag(0, true)) fullName = readGeneralNamesContents(dpn.child(el), 'fullName');
      else if (el.tag === contextTag(1, true)) relativeName = el.contents;
      else dpn.fail('bad DistributionPointName');
      dpn.end();
    }
    const reasons = dp.optional(contextTag(1, false));
    if (reasons) decodeBitString(reasons.contents);
    const issuer = dp.optional(contextTag(2, true));
    const crlIssuer = issuer ? readGeneralNamesContents(dp.child(issuer), 'cRLIssuer') : null;
    dp.end();
    if (!dpn && !issuer) r.fail('DistributionPoint is empty');
    out.push({ fullName, relativeName, reasons: reasons ? reasons.contents : null, crlIssuer });
  }
  if (out.length === 0) r.fail('CRLDistributionPoints must not be empty');
  return out;
}

function accessDescriptions(r: DerReader): AccessDescription[] {
  const out: AccessDescription[] = [];
  while (!r.done) {
    const ad = r.readSequence();
    const accessMethod = ad.readOid();
    const accessLocation = readGeneralName(ad);
    ad.end();
    out.push({ accessMethod, accessLocation });
  }
  if (out.length === 0) r.fail('AuthorityInfoAccessSyntax must not be empty');
  return out;
}

const PARSERS: Readonly<Record<string, Parser>> = {
  [ExtensionOID.BASIC_CONSTRAINTS]: (r) => {
    const s = r.readSequence();
    let ca = false;
    if (s.peekTag() === Tag.BOOLEAN) {
      ca = s.readBoolean();
      // DER: a DEFAULT value is never encoded.
      if (!ca) s.fail('BasicConstraints cA encodes its DEFAULT FALSE');
    }
    const pathLength = s.peekTag() === Tag.INTEGER ? s.readSmallInteger('pathLenConstraint') : null;
    s.end();
    return { ca, pathLength } satisfies BasicConstraints;
  },
  [ExtensionOID.KEY_USAGE]: keyUsage,
  [ExtensionOID.EXTENDED_KEY_USAGE]: (r) => {
    const s = r.readSequence();
    const out: string[] = [];
    while (!s.done) out.push(s.readOid());
    if (out.length === 0) s.fail('ExtendedKeyUsage must not be empty');
    return out;
  },
  [ExtensionOID.SUBJECT_KEY_IDENTIFIER]: (r) => r.readOctetString(),
  [ExtensionOID.AUTHORITY_KEY_IDENTIFIER]: (r) => {
    const s = r.readSequence();
    const kid = s.optional(contextTag(0, false));
    const iss = s.optional(contextTag(1, true));
    const ser = s.optional(contextTag(2, false));
    s.end();
    if ((iss === undefined) !== (ser === undefined)) {
      s.fail('authorityCertIssuer and authorityCertSerialNumber must be present together');
    }
    return {
      keyIdentifier: kid ? kid.contents : null,
      authorityCertIssuer: iss ? readGeneralNamesContents(s.child(iss), 'authorityCertIssuer') : null,
      authorityCertSerialNumber: ser ? decodeInteger(ser.contents) : null,
    } satisfies AuthorityKeyIdentifier;
  },
  [ExtensionOID.SUBJECT_ALTERNATIVE_NAME]: (r) =>
    readGeneralNamesContents(r.readSequence(), 'SubjectAltName'),
  [ExtensionOID.ISSUER_ALTERNATIVE_NAME]: (r) => readGeneralNamesContents(r.readSequence(), 'IssuerAltName'),
  [ExtensionOID.NAME_CONSTRAINTS]: (r) => {
    const s = r.readSequence();
    const p = s.optional(contextTag(0, true));
    const e = s.optional(contextTag(1, true));
    s.end();
    // RFC 5280 §4.2.1.10: conforming CAs MUST NOT issue an empty NameConstraints.
    if (!p && !e) s.fail('NameConstraints has neither permitted nor excluded subtrees');
    return {
      permittedSubtrees: p ? subtrees(s.child(p)) : null,
      excludedSubtrees: e ? subtrees(s.child(e)) : null,
    } satisfies NameConstraints;
  },
  [ExtensionOID.CRL_DISTRIBUTION_POINTS]: (r) => distributionPoints(r.readSequence()),
  [ExtensionOID.FRESHEST_CRL]: (r) => distributionPoints(r.readSequence()),
  [ExtensionOID.AUTHORITY_INFORMATION_ACCESS]: (r) => accessDescriptions(r.readSequence()),
  [ExtensionOID.SUBJECT_INFORMATION_ACCESS]: (r) => accessDescriptions(r.readSequence()),
  [ExtensionOID.CERTIFICATE_POLICIES]: (r) => {
    const s = r.readSequence();
    const out: PolicyInformation[] = [];
    while (!s.done) {
      const pi = s.readSequence();
      const policyIdentifier = pi.readOid();
      const cpsUris: string[] = [];
      let rawQualifiers: Uint8Array | null = null;
      if (!pi.done) {
        const qel = pi.expect(Tag.SEQUENCE);
        rawQualifiers = qel.raw;
        const q = pi.child(qel);
        if (q.done) q.fail('policyQualifiers must not be empty');
        while (!q.done) {
          const qi = q.readSequence();
          const qid = qi.readOid();
          const v = qi.readElement();
          qi.end();
          if (qid === '1.3.6.1.5.5.7.2.1' && v.tag === Tag.IA5_STRING)
            cpsUris.push(decodeString(v.tag, v.contents));
        }
      }
      pi.end();
      out.push({ policyIdentifier, cpsUris, rawQualifiers });
    }
    if (out.length === 0) s.fail('CertificatePolicies must not be empty');
    return out;
  },
  [ExtensionOID.POLICY_CONSTRAINTS]: (r) => {
    const s = r.readSequence();
    const a = s.optional(contextTag(0, false));
    const b = s.optional(contextTag(1, false));
    s.end();
    if (!a && !b) s.fail('PolicyConstraints is empty');
    return {
      requireExplicitPolicy: a ? Number(decodeInteger(a.contents)) : null,
      inhibitPolicyMapping: b ? Number(decodeInteger(b.contents)) : null,
    } satisfies PolicyConstraints;
  },
  [ExtensionOID.CRL_NUMBER]: (r) => r.readInteger(),
  [ExtensionOID.DELTA_CRL_INDICATOR]: (r) => r.readInteger(),
  [ExtensionOID.CRL_REASON]: (r) => Number(decodeInteger(r.expect(Tag.ENUMERATED).contents)),
  [ExtensionOID.INHIBIT_ANY_POLICY]: (r) => r.readSmallInteger('SkipCerts'),
};

/** True when coffer parses this extension into a typed value. */
export function isKnownExtension(oid: string): boolean {
  string('oid', oid);
  return Object.hasOwn(PARSERS, oid);
}

/** One extension: OID, criticality, raw DER value and (for known OIDs) the parsed value. */
export class Extension<T = unknown> {
  readonly oid: string;
  readonly critical: boolean;
  /** The contents of the extnValue OCTET STRING. */
  readonly rawValue: Uint8Array;
  #parsed: { v: T } | undefined;

  /**
   * @throws {TypeError} when `oid` is not a string, `critical` not a boolean or `rawValue` not bytes.
   * @throws {RangeError} when `oid` is not a dotted OID.
   */
  constructor(oid: string, critical: boolean, rawValue: Uint8Array) {
    this.oid = checkOid('oid', oid);
    this.critical = boolean('critical', critical);
    this.rawValue = bytes('rawValue', rawValue);
  }

  /**
   * The typed value (see `ExtensionValues`), or the raw bytes for an unknown OID.
   * @throws {DecodeError} when the value is malformed.
   */
  get value(): T {
    if (this.#parsed === undefined) {
      const parser = PARSERS[this.oid];
      if (!parser) return this.rawValue as T;
      const r = new DerReader(this.rawValue, `extension ${this.oid}`, 2);
      const v = parser(r) as T;
      r.end();
      this.#parsed = { v };
    }
    return this.#parsed.v;
  }
}

/** The extensions of a certificate, CSR or CRL, with typed look-ups. */
export class Extensions implements Iterable<Extension> {
  readonly #list: readonly Extension[];

  /** @throws {TypeError} when `list` is not an array of `Extension`s. */
  constructor(list: readonly Extension[]) {
    for (const e of array('list', list)) {
      if (!(e instanceof Extension))
        throw new TypeError(`"list" must hold only Extensions, got ${describeValue(e)}`);
    }
    this.#list = [...list];
  }

  [Symbol.iterator](): Iterator<Extension> {
    return this.#list[Symbol.iterator]();
  }

  get length(): number {
    return this.#list.length;
  }

  /** The extension with `oid`, or undefined (pyca raises ExtensionNotFound; look-ups here don't throw). */
  get<K extends keyof ExtensionValues>(oid: K): Extension<ExtensionValues[K]> | undefined;
  get(oid: string): Extension | undefined;
  get(oid: string): Extension | undefined {
    return this.#list.find((e) => e.oid === oid);
  }

  /** The typed value of `oid`, or undefined when absent. @throws {DecodeError} when malformed. */
  value<K extends keyof ExtensionValues>(oid: K): ExtensionValues[K] | undefined {
    return this.get(oid)?.value;
  }
}

/** Reads `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension`; duplicates are an error (RFC 5280 §4.2). */
export function readExtensions(r: DerReader): Extensions {
  reader('reader', r);
  const seq = r.readSequence();
  const list: Extension[] = [];
  const seen = new Set<string>();
  while (!seq.done) {
    const e = seq.readSequence();
    const oid = e.readOid();
    let critical = false;
    if (e.peekTag() === Tag.BOOLEAN) {
      critical = e.readBoolean();
      if (!critical) e.fail('extension critical encodes its DEFAULT FALSE');
    }
    const value = e.readOctetString();
    e.end();
    if (seen.has(oid)) throw new DecodeError(`duplicate extension ${oid}`);
    seen.add(oid);
    list.push(new Extension(oid, critical, value));
  }
  if (list.length === 0) seq.fail('Extensions must not be empty');
  return new Extensions(list);
}
