/**
 * A strict DER (ITU-T X.690 §10) reader and writer: the encoding under X.509, PKCS#8, SPKI and CMS.
 *
 * Pure: no policy, no keys, no node:crypto. The reader accepts exactly one encoding per value and throws
 * `DecodeError` naming the problem for anything else: indefinite or non-minimal lengths, trailing data,
 * non-minimal INTEGERs, badly formed OIDs, BOOLEANs other than 00/FF, BIT STRINGs with non-zero unused bits,
 * times that are not the DER form, strings outside their character set. Nesting depth and sizes are bounded.
 *
 * @example
 * ```ts
 * import { DerReader, der } from 'coffer/formats/der';
 * const bytes = der.sequence([der.integer(5n), der.oid('1.2.840.113549.1.1.11')]);
 * const seq = new DerReader(bytes).readSequence();
 * seq.readInteger(); // 5n
 * seq.readOid(); // '1.2.840.113549.1.1.11'
 * seq.end();
 * ```
 * @module
 */
import { DecodeError } from '../errors.ts';

/** Universal tag numbers used by coffer. */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
  NUMERIC_STRING: 0x12,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
} as const;

/** Ceilings the reader enforces. */
export const DER_LIMITS = {
  /** Largest input (and element) the reader accepts: 16 MiB, room for a large CRL. */
  maxSize: 16 * 1024 * 1024,
  /** Deepest nesting of constructed elements. X.509 needs about 10. */
  maxDepth: 32,
  /** Longest OID body in bytes. */
  maxOidBytes: 128,
} as const;

/** One decoded TLV. `tag` is the identifier octet (class, constructed bit and low tag number). */
export interface DerElement {
  readonly tag: number;
  /** The contents octets. */
  readonly contents: Uint8Array;
  /** The whole TLV (identifier, length and contents), e.g. for signing the TBS bytes as they came. */
  readonly raw: Uint8Array;
}

const hex2 = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;

/** Context-specific tag octet: `[n]`, constructed or primitive. */
export function contextTag(n: number, constructed: boolean): number {
  return 0x80 | (constructed ? 0x20 : 0) | n;
}

/** A human name for a tag octet, for error messages. */
export function tagName(tag: number): string {
  for (const [name, value] of Object.entries(Tag)) if (value === tag) return name;
  if ((tag & 0xc0) === 0x80) return `[${tag & 0x1f}]${tag & 0x20 ? ' constructed' : ''}`;
  return `tag ${hex2(tag)}`;
}

/**
 * Reads DER elements from a byte range, one after another. Constructed elements are read with
 * `readSequence`/`readSet`/`readExplicit`, each returning a child reader one level deeper.
 */
export class DerReader {
  readonly #buf: Uint8Array;
  #pos: number;
  readonly #end: number;
  readonly #depth: number;
  readonly #what: string;

  /**
   * @param input the DER bytes.
   * @param what names the structure in error messages (`certificate`, `CRL`).
   * @throws {TypeError} when `input` is not a Uint8Array.
   * @throws {DecodeError} when `input` is larger than `DER_LIMITS.maxSize`.
   */
  constructor(input: Uint8Array, what = 'DER', depth = 0) {
    if (!(input instanceof Uint8Array)) throw new TypeError(`"input" must be a Uint8Array`);
    if (input.length > DER_LIMITS.maxSize) {
      throw new DecodeError(`${what}: input of ${input.length} bytes exceeds ${DER_LIMITS.maxSize}`);
    }
    if (depth > DER_LIMITS.maxDepth) {
      throw new DecodeError(`${what}: nesting deeper than ${DER_LIMITS.maxDepth} levels`);
    }
    this.#buf = input;
    this.#pos = 0;
    this.#end = input.length;
    this.#depth = depth;
    this.#what = what;
  }

  /** Throws a DecodeError prefixed with the structure's name. */
  fail(problem: string): never {
    throw new DecodeError(`${this.#what}: ${problem}`);
  }

  /** True when every byte has been read. */
  get done(): boolean {
    return this.#pos >= this.#end;
  }

  /** The tag of the next element, or -1 at the end. Does not validate the element. */
  peekTag(): number {
    return this.done ? -1 : (this.#buf[this.#pos] as number);
  }

  /** Reads the next element of any tag. */
  readElement(): DerElement {
    const buf = this.#buf;
    const start = this.#pos;
    if (start >= this.#end) this.fail('truncated: expected another element');
    const tag = buf[start] as number;
    // X.690 §8.1.2.4: tag numbers >= 31 use a multi-octet form; nothing in X.509 needs it.
    if ((tag & 0x1f) === 0x1f) this.fail(`high tag number form (${hex2(tag)}) is not supported`);
    let p = start + 1;
    if (p >= this.#end) this.fail('truncated: missing length');
    const first = buf[p++] as number;
    let length: number;
    if (first < 0x80) {
      length = first;
    } else if (first === 0x80) {
      this.fail('indefinite length is not allowed in DER');
    } else {
      const n = first & 0x7f;
      if (n > 4) this.fail(`length of ${n} octets is too large`);
      if (p + n > this.#end) this.fail('truncated: length octets cut short');
      if (buf[p] === 0) this.fail('non-minimal length (leading zero octet)');
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + (buf[p++] as number);
      // X.690 §10.1: the short form is mandatory for lengths up to 127.
      if (length < 0x80) this.fail('non-minimal length (long form for a length under 128)');
    }
    if (length > this.#end - p) this.fail(`truncated: element of ${length} bytes overruns its container`);
    const contents = buf.subarray(p, p + length);
    this.#pos = p + length;
    return { tag, contents, raw: buf.subarray(start, p + length) };
  }

  /** Reads the next element and checks its tag. */
  expect(tag: number, what?: string): DerElement {
    const next = this.peekTag();
    if (next === -1) this.fail(`truncated: expected ${what ?? tagName(tag)}`);
    if (next !== tag) this.fail(`expected ${what ?? tagName(tag)}, got ${tagName(next)}`);
    return this.readElement();
  }

  /** Reads the element with `tag` if it is next; otherwise returns undefined and reads nothing. */
  optional(tag: number): DerElement | undefined {
    return this.peekTag() === tag ? this.readElement() : undefined;
  }

  /** A child reader over constructed contents, one level deeper. */
  child(element: DerElement, what?: string): DerReader {
    if ((element.tag & 0x20) === 0) this.fail(`${tagName(element.tag)} must be constructed`);
    return new DerReader(element.contents, what ?? this.#what, this.#depth + 1);
  }

  readSequence(what?: string): DerReader {
    return this.child(this.expect(Tag.SEQUENCE, what ? `${what} (SEQUENCE)` : undefined));
  }

  readSet(): DerReader {
    return this.child(this.expect(Tag.SET));
  }

  /** Reads `[n] EXPLICIT` and returns a reader over its contents; undefined when absent. */
  readOptionalExplicit(n: number): DerReader | undefined {
    const el = this.optional(contextTag(n, true));
    return el ? this.child(el) : undefined;
  }

  /** Checks that nothing follows the last element read. */
  end(): void {
    if (!this.done) this.fail(`trailing data (${this.#end - this.#pos} bytes) after the last element`);
  }

  readBoolean(): boolean {
    return decodeBoolean(this.expect(Tag.BOOLEAN).contents, this.#what);
  }

  readInteger(what?: string): bigint {
    return decodeInteger(this.expect(Tag.INTEGER, what).contents, this.#what);
  }

  /** A small non-negative INTEGER (version numbers, path lengths). */
  readSmallInteger(what?: string, max = 2 ** 31): number {
    const v = this.readInteger(what);
    if (v < 0n || v > BigInt(max)) this.fail(`${what ?? 'INTEGER'} out of range`);
    return Number(v);
  }

  readOid(): string {
    return decodeOid(this.expect(Tag.OID).contents, this.#what);
  }

  readNull(): void {
    if (this.expect(Tag.NULL).contents.length !== 0) this.fail('NULL must be empty');
  }

  readOctetString(): Uint8Array {
    return this.expect(Tag.OCTET_STRING).contents;
  }

  /** A BIT STRING's bits as bytes with its unused-bit count. */
  readBitString(): { bytes: Uint8Array; unusedBits: number } {
    return decodeBitString(this.expect(Tag.BIT_STRING).contents, this.#what);
  }

  /** UTCTime or GeneralizedTime, as in X.509 `Time`. */
  readTime(): DerTime {
    const el = this.readElement();
    if (el.tag === Tag.UTC_TIME) return decodeUtcTime(el.contents, this.#what);
    if (el.tag === Tag.GENERALIZED_TIME) return decodeGeneralizedTime(el.contents, this.#what);
    return this.fail(`expected a time, got ${tagName(el.tag)}`);
  }
}

/** A decoded time: milliseconds since the epoch (as a Date would hold) plus the form it was written in. */
export interface DerTime {
  readonly date: Date;
  readonly form: 'utc' | 'generalized';
  /** True when a GeneralizedTime carried fractional seconds (RFC 5280 forbids them in certificates). */
  readonly fractional: boolean;
}

export function decodeBoolean(c: Uint8Array, what = 'DER'): boolean {
  if (c.length !== 1) throw new DecodeError(`${what}: BOOLEAN must be one octet`);
  if (c[0] === 0xff) return true;
  if (c[0] === 0x00) return false;
  throw new DecodeError(`${what}: BOOLEAN must be 0x00 or 0xff in DER`);
}

export function decodeInteger(c: Uint8Array, what = 'DER'): bigint {
  if (c.length === 0) throw new DecodeError(`${what}: empty INTEGER`);
  if (c.length > 1) {
    const a = c[0] as number;
    const b = c[1] as number;
    // X.690 §8.3.2: the first nine bits must not be all zero or all one.
    if ((a === 0x00 && b < 0x80) || (a === 0xff && b >= 0x80)) {
      throw new DecodeError(`${what}: non-minimal INTEGER encoding`);
    }
  }
  let v = BigInt(`0x${Buffer.from(c.buffer, c.byteOffset, c.byteLength).toString('hex')}`);
  if ((c[0] as number) >= 0x80) v -= 1n << BigInt(c.length * 8);
  return v;
}

export function decodeOid(c: Uint8Array, what = 'DER'): string {
  if (c.length === 0) throw new DecodeError(`${what}: empty OBJECT IDENTIFIER`);
  if (c.length > DER_LIMITS.maxOidBytes) throw new DecodeError(`${what}: OBJECT IDENTIFIER too long`);
  if ((c[c.length - 1] as number) & 0x80) throw new DecodeError(`${what}: truncated OBJECT IDENTIFIER arc`);
  const arcs: bigint[] = [];
  let v = 0n;
  let fresh = true;
  for (const b of c) {
    // X.690 §8.19.2: each subidentifier uses the fewest octets, so it never starts with 0x80.
    if (fresh && b === 0x80) throw new DecodeError(`${what}: non-minimal OBJECT IDENTIFIER arc`);
    v = (v << 7n) | BigInt(b & 0x7f);
    fresh = (b & 0x80) === 0;
    if (fresh) {
      arcs.push(v);
      v = 0n;
    }
  }
  const first = arcs[0] as bigint;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

export function decodeBitString(c: Uint8Array, what = 'DER'): { bytes: Uint8Array; unusedBits: number } {
  if (c.length === 0) throw new DecodeError(`${what}: BIT STRING without its unused-bits octet`);
  const unused = c[0] as number;
  if (unused > 7) throw new DecodeError(`${what}: BIT STRING unused-bits count above 7`);
  if (c.length === 1 && unused !== 0) throw new DecodeError(`${what}: empty BIT STRING with unused bits`);
  // X.690 §11.2.1: unused bits are zero in DER.
  if (unused && (c[c.length - 1] as number) & ((1 << unused) - 1)) {
    throw new DecodeError(`${what}: BIT STRING has non-zero unused bits`);
  }
  return { bytes: c.subarray(1), unusedBits: unused };
}

const DIGITS = /^[0-9]+$/;

function makeTime(
  what: string,
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
): Date {
  const days = [
    31,
    y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > (days[mo - 1] as number) || h > 23 || mi > 59 || s > 59) {
    throw new DecodeError(`${what}: time out of range`);
  }
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
}

/** UTCTime in its DER form `YYMMDDHHMMSSZ` (X.690 §11.8; RFC 5280 §4.1.2.5.1: YY >= 50 is 19YY). */
export function decodeUtcTime(c: Uint8Array, what = 'DER'): DerTime {
  const s = String.fromCharCode(...c);
  if (s.length !== 13 || s[12] !== 'Z' || !DIGITS.test(s.slice(0, 12))) {
    throw new DecodeError(`${what}: UTCTime must be YYMMDDHHMMSSZ`);
  }
  const n = (i: number) => Number(s.slice(i, i + 2));
  const yy = n(0);
  const date = makeTime(what, yy >= 50 ? 1900 + yy : 2000 + yy, n(2), n(4), n(6), n(8), n(10), 0);
  return { date, form: 'utc', fractional: false };
}

/** GeneralizedTime in its DER form `YYYYMMDDHHMMSS[.f+]Z`, no trailing zeros in the fraction (X.690 §11.7). */
export function decodeGeneralizedTime(c: Uint8Array, what = 'DER'): DerTime {
  const s = String.fromCharCode(...c);
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d*[1-9]))?Z$/.exec(s);
  if (!m) throw new DecodeError(`${what}: GeneralizedTime must be YYYYMMDDHHMMSS[.fff]Z`);
  const [, y, mo, d, h, mi, sec, frac] = m;
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  if (frac !== undefined && frac.length > 9)
    throw new DecodeError(`${what}: GeneralizedTime fraction too long`);
  const date = makeTime(what, Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(sec), ms);
  return { date, form: 'generalized', fractional: frac !== undefined };
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes one of the ASN.1 string types to a JS string, checking its character set. */
export function decodeString(tag: number, c: Uint8Array, what = 'DER'): string {
  const bad = (kind: string): never => {
    throw new DecodeError(`${what}: invalid ${kind}`);
  };
  switch (tag) {
    case Tag.UTF8_STRING:
      try {
        return utf8.decode(c);
      } catch {
        return bad('UTF8String');
      }
    case Tag.PRINTABLE_STRING: {
      const s = String.fromCharCode(...c);
      return PRINTABLE.test(s) ? s : bad('PrintableString');
    }
    case Tag.NUMERIC_STRING: {
      const s = String.fromCharCode(...c);
      return /^[0-9 ]*$/.test(s) ? s : bad('NumericString');
    }
    case Tag.IA5_STRING: {
      for (const b of c) if (b > 0x7f) bad('IA5String');
      return String.fromCharCode(...c);
    }
    case Tag.VISIBLE_STRING: {
      for (const b of c) if (b < 0x20 || b > 0x7e) bad('VisibleString');
      return String.fromCharCode(...c);
    }
    case Tag.TELETEX_STRING:
      // T.61 is read as Latin-1, as OpenSSL and pyca do in practice.
      return String.fromCharCode(...c);
    case Tag.BMP_STRING: {
      if (c.length % 2) bad('BMPString');
      let s = '';
      for (let i = 0; i < c.length; i += 2) {
        const u = ((c[i] as number) << 8) | (c[i + 1] as number);
        if (u >= 0xd800 && u <= 0xdfff) bad('BMPString');
        s += String.fromCharCode(u);
      }
      return s;
    }
    case Tag.UNIVERSAL_STRING: {
      if (c.length % 4) bad('UniversalString');
      let s = '';
      for (let i = 0; i < c.length; i += 4) {
        const u =
          (((c[i] as number) << 24) |
            ((c[i + 1] as number) << 16) |
            ((c[i + 2] as number) << 8) |
            (c[i + 3] as number)) >>>
          0;
        if (u > 0x10ffff || (u >= 0xd800 && u <= 0xdfff)) bad('UniversalString');
        s += String.fromCodePoint(u);
      }
      return s;
    }
    default:
      throw new DecodeError(`${what}: ${tagName(tag)} is not a string type`);
  }
}

/** True for the string tags `decodeString` reads. */
export function isStringTag(tag: number): boolean {
  return (
    tag === Tag.UTF8_STRING ||
    tag === Tag.PRINTABLE_STRING ||
    tag === Tag.NUMERIC_STRING ||
    tag === Tag.IA5_STRING ||
    tag === Tag.VISIBLE_STRING ||
    tag === Tag.TELETEX_STRING ||
    tag === Tag.BMP_STRING ||
    tag === Tag.UNIVERSAL_STRING
  );
}

// Writer.

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function encodeLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const octets: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) octets.unshift(v % 256);
  return Uint8Array.of(0x80 | octets.length, ...octets);
}

/** Any TLV from its tag octet and contents. */
function tlv(tag: number, contents: Uint8Array): Uint8Array {
  if ((tag & 0x1f) === 0x1f) throw new RangeError(`"tag" must use the low tag number form`);
  return concat([Uint8Array.of(tag), encodeLength(contents.length), contents]);
}

function integerContents(value: bigint): Uint8Array {
  if (value === 0n) return Uint8Array.of(0);
  const out: number[] = [];
  let v = value;
  // Two's complement, minimal: stop once the remaining value is all sign bits and the sign bit matches.
  for (;;) {
    const byte = Number(v & 0xffn);
    out.unshift(byte);
    v >>= 8n;
    if ((v === 0n && byte < 0x80) || (v === -1n && byte >= 0x80)) break;
  }
  return Uint8Array.from(out);
}

function oidContents(oid: string): Uint8Array {
  if (!/^[0-2](\.(0|[1-9][0-9]*))+$/.test(oid))
    throw new RangeError(`"oid" must be dotted decimal, got ${JSON.stringify(oid)}`);
  const arcs = oid.split('.').map(BigInt);
  const [a, b] = arcs as [bigint, bigint];
  if (a < 2n && b > 39n) throw new RangeError(`"oid" second arc must be under 40`);
  const out: number[] = [];
  for (const arc of [a * 40n + b, ...arcs.slice(2)]) {
    const group: number[] = [];
    let v = arc;
    do {
      group.unshift(Number(v & 0x7fn) | (group.length ? 0x80 : 0));
      v >>= 7n;
    } while (v > 0n);
    out.push(...group);
  }
  return Uint8Array.from(out);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * DER encoders. Each returns the complete TLV bytes. Times follow RFC 5280 §4.1.2.5: UTCTime through 2049,
 * GeneralizedTime from 2050 (`time`), whole seconds only.
 */
export const der = {
  tlv,
  sequence: (items: readonly Uint8Array[]) => tlv(Tag.SEQUENCE, concat(items)),
  /** A SET OF, with its elements sorted as X.690 §11.6 requires. */
  setOf: (items: readonly Uint8Array[]) => {
    const sorted = [...items].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    return tlv(Tag.SET, concat(sorted));
  },
  integer: (v: bigint | number) => tlv(Tag.INTEGER, integerContents(BigInt(v))),
  /** An INTEGER whose contents are the given unsigned big-endian bytes (a zero octet is prepended if needed). */
  unsignedInteger: (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const t = b.subarray(i);
    return tlv(
      Tag.INTEGER,
      t.length && (t[0] as number) >= 0x80 ? concat([Uint8Array.of(0), t]) : t.length ? t : Uint8Array.of(0),
    );
  },
  boolean: (v: boolean) => tlv(Tag.BOOLEAN, Uint8Array.of(v ? 0xff : 0)),
  null: () => Uint8Array.of(Tag.NULL, 0),
  oid: (oid: string) => tlv(Tag.OID, oidContents(oid)),
  octetString: (b: Uint8Array) => tlv(Tag.OCTET_STRING, b),
  bitString: (b: Uint8Array, unusedBits = 0) => {
    if (unusedBits < 0 || unusedBits > 7 || (b.length === 0 && unusedBits))
      throw new RangeError(`"unusedBits" out of range`);
    const last = b.length ? (b[b.length - 1] as number) & ((1 << unusedBits) - 1) : 0;
    if (last) throw new RangeError(`"unusedBits" must be zero bits`);
    return tlv(Tag.BIT_STRING, concat([Uint8Array.of(unusedBits), b]));
  },
  utf8String: (s: string) => tlv(Tag.UTF8_STRING, new TextEncoder().encode(s)),
  printableString: (s: string) => {
    if (!PRINTABLE.test(s)) throw new RangeError(`"value" is not a PrintableString`);
    return tlv(Tag.PRINTABLE_STRING, Buffer.from(s, 'latin1'));
  },
  ia5String: (s: string) => {
    if ([...s].some((ch) => ch.charCodeAt(0) > 0x7f)) throw new RangeError(`"value" is not an IA5String`);
    return tlv(Tag.IA5_STRING, Buffer.from(s, 'latin1'));
  },
  utcTime: (d: Date) => {
    const y = d.getUTCFullYear();
    if (y < 1950 || y > 2049) throw new RangeError(`"time" out of the UTCTime range`);
    const s = `${pad(y % 100)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
    return tlv(Tag.UTC_TIME, Buffer.from(s, 'latin1'));
  },
  generalizedTime: (d: Date) => {
    const y = d.getUTCFullYear();
    if (y < 0 || y > 9999) throw new RangeError(`"time" out of the GeneralizedTime range`);
    const s = `${pad(y, 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
    return tlv(Tag.GENERALIZED_TIME, Buffer.from(s, 'latin1'));
  },
  /** RFC 5280 `Time`: UTCTime before 2050, GeneralizedTime from then on. */
  time: (d: Date) => {
    const y = d.getUTCFullYear();
    return y >= 1950 && y < 2050 ? der.utcTime(d) : der.generalizedTime(d);
  },
  /** `[n] EXPLICIT` around one encoded element. */
  explicit: (n: number, inner: Uint8Array) => tlv(contextTag(n, true), inner),
  /** `[n] IMPLICIT` with the given contents. */
  implicit: (n: number, contents: Uint8Array, constructed = false) =>
    tlv(contextTag(n, constructed), contents),
  concat,
};
