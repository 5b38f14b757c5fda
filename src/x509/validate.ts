// Argument checks at the public boundary of coffer/x509 and coffer/pinning: wrong types throw TypeError,
// wrong values RangeError, each message naming the parameter. Internal: not re-exported by index.ts.
import { KeyObject } from 'node:crypto';
import { types } from 'node:util';
import { DerReader } from '../formats/der.ts';
import { describeValue, isBytes } from '../internal/bytes.ts';

export { describeValue, integer, isBytes, plainObject } from '../internal/bytes.ts';

/**
 * How a message names a parameter: `"oids"`, or for an element `oids[]` (or a field `rdns[][].oid`),
 * `an entry of "oids"` (`field oid of an entry of "rdns"`), so the parameter is still quoted.
 */
function subject(name: string): string {
  const i = name.indexOf('[');
  if (i < 0) return `"${name}"`;
  const field = name.slice(name.lastIndexOf(']') + 1).replace(/^\./, '');
  const entry = `an entry of "${name.slice(0, i)}"`;
  return field ? `field ${field} of ${entry}` : entry;
}

export function string(name: string, value: unknown): string {
  if (typeof value !== 'string')
    throw new TypeError(`${subject(name)} must be a string, got ${describeValue(value)}`);
  return value;
}

export function bytes(name: string, value: unknown): Uint8Array {
  if (!isBytes(value))
    throw new TypeError(`${subject(name)} must be a Uint8Array, got ${describeValue(value)}`);
  return value;
}

const OID_RE = /^[0-2](?:\.(?:0|[1-9]\d*))+$/;

/** A dotted OID string (X.660: first arc 0..2, no leading zeros). */
export function oid(name: string, value: unknown): string {
  if (typeof value !== 'string')
    throw new TypeError(`${subject(name)} must be an OID string, got ${describeValue(value)}`);
  if (!OID_RE.test(value) || value.length > 256) {
    throw new RangeError(`${subject(name)} must be a dotted OID such as 2.5.29.17`);
  }
  return value;
}

export function boolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean')
    throw new TypeError(`"${name}" must be a boolean, got ${describeValue(value)}`);
  return value;
}

export function bigint(name: string, value: unknown): bigint {
  if (typeof value !== 'bigint')
    throw new TypeError(`"${name}" must be a bigint, got ${describeValue(value)}`);
  return value;
}

/** A real, valid Date (not a number or a string: time zones and units are too easy to get wrong). */
export function date(name: string, value: unknown): Date {
  if (!types.isDate(value)) throw new TypeError(`"${name}" must be a Date, got ${describeValue(value)}`);
  const d = value as Date;
  if (Number.isNaN(d.getTime())) throw new RangeError(`"${name}" must be a valid Date, got Invalid Date`);
  return d;
}

export function array(name: string, value: unknown): readonly unknown[] {
  if (!Array.isArray(value))
    throw new TypeError(`${subject(name)} must be an array, got ${describeValue(value)}`);
  return value;
}

/** A node KeyObject: `private` for signing keys, `asymmetric` for either half. */
export function keyObject(name: string, value: unknown, kind: 'private' | 'asymmetric'): KeyObject {
  const ok =
    value instanceof KeyObject && (kind === 'private' ? value.type === 'private' : value.type !== 'secret');
  if (!ok) {
    const what = kind === 'private' ? 'a private KeyObject' : 'an asymmetric KeyObject';
    throw new TypeError(`"${name}" must be ${what}, got ${describeValue(value)}`);
  }
  return value;
}

/** A real DerReader (an object merely inheriting its prototype has none of its private state). */
export function reader(name: string, value: unknown): DerReader {
  if (value instanceof DerReader) {
    try {
      void value.done;
      return value;
    } catch {
      // fall through
    }
  }
  throw new TypeError(`"${name}" must be a DerReader, got ${describeValue(value)}`);
}

/** True for a parsed object from this package: an instance with its DER (not a bare prototype). */
export function hasDer(value: unknown): boolean {
  return isBytes((value as { der?: unknown } | null)?.der);
}
