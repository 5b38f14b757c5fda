/**
 * X.509 distinguished names (RFC 5280 §4.1.2.4): RDN sequences with OIDs, and their RFC 4514 string form.
 * @module
 */
import { type DerReader, decodeString, der, isStringTag, Tag } from '../formats/der.ts';
import { NAME_SHORT } from './oids.ts';
import { array, bytes, describeValue, oid, reader, string } from './validate.ts';

/** Checks RDNs given by a caller: arrays of `{ oid, value, tag }`. */
function checkRdns(rdns: unknown): readonly (readonly NameAttribute[])[] {
  for (const rdn of array('rdns', rdns)) {
    for (const a of array('rdns[]', rdn)) {
      if (typeof a !== 'object' || a === null) {
        throw new TypeError(`an entry of "rdns" must be a NameAttribute, got ${describeValue(a)}`);
      }
      const attr = a as Partial<NameAttribute>;
      oid('rdns[][].oid', attr.oid);
      string('rdns[][].value', attr.value);
      if (typeof attr.tag !== 'number' || !Number.isInteger(attr.tag) || attr.tag < 0 || attr.tag > 0xff) {
        throw new TypeError(`field tag of an entry of "rdns" must be an ASN.1 tag byte (0..255)`);
      }
    }
  }
  return rdns as readonly (readonly NameAttribute[])[];
}

/** One attribute of a relative distinguished name. */
export interface NameAttribute {
  readonly oid: string;
  /** The value as text; a value that is not a string type is `#` + hex of its DER (RFC 4514 §2.4). */
  readonly value: string;
  /** The ASN.1 tag of the value (e.g. 0x0c UTF8String, 0x13 PrintableString). */
  readonly tag: number;
}

function escapeValue(v: string): string {
  if (v.startsWith('#') && /^#([0-9a-f]{2})*$/.test(v)) return v;
  let out = v.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

// RFC 5280 §7.1 / RFC 4518, approximated: case-folded, inner whitespace collapsed, ends trimmed.
function fold(a: NameAttribute): string {
  if (a.value.startsWith('#') && !isStringTag(a.tag)) return `${a.oid}=${a.value}`;
  return `${a.oid}=${a.value.toLowerCase().replace(/\s+/g, ' ').trim()}`;
}

/**
 * A distinguished name: a sequence of RDNs, each a set of attributes, in encoded order (most significant,
 * usually the country, first).
 */
export class Name {
  /** The RDNs in encoded order. */
  readonly rdns: readonly (readonly NameAttribute[])[];
  /** The DER encoding of the whole Name. */
  readonly der: Uint8Array;
  readonly #key: string;

  /**
   * @param derBytes the Name's DER when it was parsed (kept for exact comparison); encoded when omitted.
   * @throws {TypeError} when `rdns` is not an array of arrays of `{ oid, value, tag }`.
   * @throws {RangeError} for a malformed OID.
   */
  constructor(rdns: readonly (readonly NameAttribute[])[], derBytes?: Uint8Array) {
    checkRdns(rdns);
    if (derBytes !== undefined) bytes('der', derBytes);
    this.rdns = rdns.map((r) => Object.freeze([...r]));
    this.der = derBytes ?? encodeName(this.rdns);
    this.#key = this.rdns.map((r) => r.map(fold).sort().join('+')).join(',');
  }

  /** Every attribute, flattened in encoded order. */
  get attributes(): NameAttribute[] {
    return this.rdns.flat();
  }

  /** True for the empty sequence. */
  get isEmpty(): boolean {
    return this.rdns.length === 0;
  }

  /** The attributes of one type (pyca's `get_attributes_for_oid`). */
  getAttributesForOid(oid: string): NameAttribute[] {
    return this.attributes.filter((a) => a.oid === oid);
  }

  /** RFC 4514 string: RDNs last to first, `+` between multi-valued attributes, values escaped. */
  rfc4514String(): string {
    return [...this.rdns]
      .reverse()
      .map((r) => r.map((a) => `${NAME_SHORT[a.oid] ?? a.oid}=${escapeValue(a.value)}`).join('+'))
      .join(',');
  }

  /** RFC 5280 §7.1 comparison (case-insensitive, whitespace-folded string values). */
  equals(other: Name): boolean {
    return other instanceof Name && other.#key === this.#key;
  }

  /** A string that is equal for equal names, for maps. */
  get matchKey(): string {
    return this.#key;
  }

  toString(): string {
    return this.rfc4514String();
  }
}

/** Reads a Name (the RDNSequence CHOICE) from `r`. */
export function readName(r: DerReader): Name {
  reader('reader', r);
  const el = r.expect(Tag.SEQUENCE, 'Name');
  const seq = r.child(el);
  const rdns: NameAttribute[][] = [];
  while (!seq.done) {
    const set = seq.readSet();
    const rdn: NameAttribute[] = [];
    // RFC 5280: RelativeDistinguishedName ::= SET SIZE (1..MAX)
    if (set.done) set.fail('empty RelativeDistinguishedName');
    while (!set.done) {
      const atv = set.readSequence();
      const oid = atv.readOid();
      const v = atv.readElement();
      atv.end();
      const value = isStringTag(v.tag)
        ? decodeString(v.tag, v.contents)
        : `#${Buffer.from(v.raw).toString('hex')}`;
      rdn.push({ oid, value, tag: v.tag });
    }
    rdns.push(rdn);
  }
  return new Name(rdns, el.raw);
}

function encodeValue(a: NameAttribute): Uint8Array {
  if (a.value.startsWith('#') && !isStringTag(a.tag))
    return Uint8Array.from(Buffer.from(a.value.slice(1), 'hex'));
  if (a.tag === Tag.PRINTABLE_STRING) return der.printableString(a.value);
  if (a.tag === Tag.IA5_STRING) return der.ia5String(a.value);
  return der.utf8String(a.value);
}

/** DER for RDNs. */
export function encodeName(rdns: readonly (readonly NameAttribute[])[]): Uint8Array {
  return der.sequence(
    checkRdns(rdns).map((rdn) => der.setOf(rdn.map((a) => der.sequence([der.oid(a.oid), encodeValue(a)])))),
  );
}
