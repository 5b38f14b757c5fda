// Input validation at the public boundary: wrong types throw TypeError, wrong sizes RangeError, each
// message labelled with the parameter name. Never include the value itself: it may be secret.
import { types } from 'node:util';

/** What coffer accepts as bytes. `Buffer` is a `Uint8Array`. */
export type Bytes = Uint8Array;
/** Bytes, or a string read as UTF-8. */
export type BytesLike = Uint8Array | string;

const encoder = new TextEncoder();

const TYPED_ARRAY_NAME = /^(?:Big)?(?:Uint|Int|Float)\d+(?:Clamped)?Array$/;

function describe(value: unknown): string {
  if (value === null) return 'null';
  // A Proxy answers with its target's constructor; name it for what it is, without running its traps.
  if (types.isProxy(value)) return 'Proxy';
  if (types.isTypedArray(value)) return (value as { constructor: { name: string } }).constructor.name;
  if (typeof value === 'object') {
    // A hostile object may throw from a `constructor` getter: the message must still be ours.
    try {
      const ctor = (value as { constructor?: { name?: unknown } }).constructor;
      const name = typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'object';
      // Not a typed array (checked above) whatever its prototype says: Object.create(Uint8Array.prototype).
      return TYPED_ARRAY_NAME.test(name) ? `an object posing as ${name}` : name;
    } catch {
      return 'object';
    }
  }
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  return typeof value;
}

/** True only for real Uint8Arrays (and Buffers); objects merely claiming the prototype are rejected. */
export function isBytes(value: unknown): value is Uint8Array {
  return types.isUint8Array(value);
}

/** Requires a real Uint8Array. */
export function bytes(name: string, value: unknown): Uint8Array {
  if (!types.isUint8Array(value)) {
    throw new TypeError(`"${name}" must be a Uint8Array, got ${describe(value)}`);
  }
  return value;
}

/** Requires a Uint8Array or a string (read as UTF-8). */
export function bytesLike(name: string, value: unknown): Uint8Array {
  if (typeof value === 'string') return encoder.encode(value);
  if (!types.isUint8Array(value)) {
    throw new TypeError(`"${name}" must be a Uint8Array or a string, got ${describe(value)}`);
  }
  return value;
}

/** Optional bytes: `undefined` stays `undefined`. */
export function optionalBytes(name: string, value: unknown): Uint8Array | undefined {
  return value === undefined ? undefined : bytes(name, value);
}

export function exactLength(name: string, value: Uint8Array, length: number): Uint8Array {
  if (value.length !== length) {
    throw new RangeError(`"${name}" must be ${length} bytes, got ${value.length}`);
  }
  return value;
}

export function minLength(name: string, value: Uint8Array, min: number): Uint8Array {
  if (value.length < min) {
    throw new RangeError(`"${name}" must be at least ${min} bytes, got ${value.length}`);
  }
  return value;
}

/** Requires a safe integer in [min, max]. */
export function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number') {
    throw new TypeError(`"${name}" must be an integer, got ${describe(value)}`);
  }
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`"${name}" must be an integer, got ${Number.isNaN(value) ? 'NaN' : String(value)}`);
  }
  if (value < min || value > max) {
    throw new RangeError(`"${name}" must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}

export function string(name: string, value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(`"${name}" must be a string, got ${describe(value)}`);
  return value;
}

export function plainObject(name: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isBytes(value)) {
    throw new TypeError(`"${name}" must be an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/** Concatenates byte arrays into one new Uint8Array. */
export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** A zero-copy plain Uint8Array view of a Buffer, so callers get the type we promise. */
export function u8(buf: Uint8Array): Uint8Array {
  return buf.constructor === Uint8Array ? buf : new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Big-endian unsigned integer of `width` bytes. */
export function uintBE(value: number, width: number): Uint8Array {
  const out = new Uint8Array(width);
  let v = value;
  for (let i = width - 1; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  if (v !== 0) throw new RangeError(`value ${value} does not fit in ${width} bytes`);
  return out;
}

export { describe as describeValue };
