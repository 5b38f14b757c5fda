// The shared list of hostile inputs (STYLE.md, Tests): values that do not belong where coffer expects bytes,
// integers, strings or option objects. Every public function runs against these in test/hostile.test.ts;
// later modules (Fernet, keyring, AEADs) import the same lists so that one list guards the whole surface.
//
// The contract checked by `expectTypedRejection`: a hostile call throws (or rejects with) a TypeError or
// RangeError raised by coffer's own validation, whose message names the parameter in double quotes
// (`"salt" must be a Uint8Array, got string`), or a CofferError. Anything else fails: a bare Error, a
// crash inside node:crypto (its ERR_INVALID_ARG_TYPE is a TypeError subclass, but it carries a `code` and
// means our validation let the value through), a hang, or a silent success.
import assert from 'node:assert/strict';
import { CofferError, type CofferErrorCode } from '../../src/errors.ts';

/** One hostile value and a label to name it in failure reports. */
export interface Hostile {
  readonly label: string;
  readonly value: unknown;
}

const h = (label: string, value: unknown): Hostile => ({ label, value });

/** A phrase that stands for secret text: no error message may ever repeat it. */
export const SECRET_MARKER = 'correct horse battery staple';

// Values built once; none of them is mutated by the code under test (it only reads them).
const u8 = new Uint8Array(32).fill(7);
const throwingConstructor = Object.defineProperty({}, 'constructor', {
  get() {
    throw new Error('hostile getter ran');
  },
});
// A promise that never settles, so nothing is left unhandled whichever way a test treats it.
const pending = new Promise<never>(() => {});

/** `null` and `undefined`. Callers skip `undefined` where a parameter is optional. */
export const hostileNullish: readonly Hostile[] = [h('null', null), h('undefined', undefined)];

/** Numbers that are never a valid byte count or parameter: not safe integers, or negative. */
export const hostileNumbers: readonly Hostile[] = [
  h('NaN', Number.NaN),
  h('Infinity', Number.POSITIVE_INFINITY),
  h('-Infinity', Number.NEGATIVE_INFINITY),
  h('-1', -1),
  h('-0.5', -0.5),
  h('0.5', 0.5),
  h('1.5', 1.5),
  h('2**53', 2 ** 53),
  h('2**53 + 2', 2 ** 53 + 2),
  h('-(2**53)', -(2 ** 53)),
  h('1e21', 1e21),
  h('Number.MAX_VALUE', Number.MAX_VALUE),
  h('-Number.MAX_VALUE', -Number.MAX_VALUE),
  h('Number.MIN_VALUE', Number.MIN_VALUE),
];

/** Lengths that would be a denial of service if accepted. Valid for none of coffer's length parameters. */
export const hugeLengths: readonly Hostile[] = [
  h('2**31', 2 ** 31),
  h('2**32', 2 ** 32),
  h('2**40', 2 ** 40),
  h('Number.MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER),
  h('2**53', 2 ** 53),
  h('Number.MAX_VALUE', Number.MAX_VALUE),
  h('Infinity', Number.POSITIVE_INFINITY),
];

/**
 * Objects and functions that are not what they claim, or that throw when examined. Proxies whose own traps
 * throw (or revoked proxies) are left out on purpose: `instanceof` runs their traps, and the exception is
 * then the caller's own. A getter on a plain object is in: validation has no reason to run it.
 */
const impostors: readonly Hostile[] = [
  h('{}', {}),
  h('Object.create(null)', Object.create(null)),
  h('empty array', []),
  h('Date', new Date(0)),
  h('RegExp', /a/),
  h('Map', new Map([[0, 1]])),
  h('Set', new Set([1])),
  h('Error', new Error('x')),
  h('function', () => u8),
  h('class', class Fake {}),
  h('Promise of Uint8Array', Promise.resolve(u8)),
  h('pending Promise', pending),
  h('generator object', (function* () {})()),
  h('object whose constructor getter throws', throwingConstructor),
];

/** Everything that is not a real Uint8Array (or Buffer): for parameters that take bytes only. */
export const hostileBytes: readonly Hostile[] = [
  ...hostileNullish,
  h('0', 0),
  h('32', 32),
  h('NaN', Number.NaN),
  h('BigInt 32n', 32n),
  h('empty string', ''),
  h('hex string', 'deadbeefdeadbeefdeadbeefdeadbeef'),
  h('secret-looking string', SECRET_MARKER),
  h('String object', new String('abc')),
  h('true', true),
  h('false', false),
  h('Symbol', Symbol('bytes')),
  h('array of numbers', [1, 2, 3]),
  h('array of 32 zeros', new Array(32).fill(0)),
  h('array holding a Uint8Array', [u8]),
  h('Uint16Array', new Uint16Array(16)),
  h('Int8Array', new Int8Array(32)),
  h('Uint8ClampedArray', new Uint8ClampedArray(32)),
  h('Int32Array', new Int32Array(8)),
  h('Float64Array', new Float64Array(4)),
  h('BigUint64Array', new BigUint64Array(4)),
  h('DataView', new DataView(new ArrayBuffer(32))),
  h('ArrayBuffer', new ArrayBuffer(32)),
  h('SharedArrayBuffer', new SharedArrayBuffer(32)),
  h('Object.create(Uint8Array.prototype)', Object.create(Uint8Array.prototype)),
  h('{length: 32, byteLength: 32}', { length: 32, byteLength: 32 }),
  h('fake view {buffer, byteOffset, byteLength, length}', {
    buffer: new ArrayBuffer(32),
    byteOffset: 0,
    byteLength: 32,
    length: 32,
  }),
  h('object tagged Uint8Array', { [Symbol.toStringTag]: 'Uint8Array', length: 32 }),
  h('Proxy around a Uint8Array', new Proxy(u8, {})),
  ...impostors,
];

/** Not bytes and not a string: for parameters that take `Uint8Array | string`. */
export const hostileBytesLike: readonly Hostile[] = hostileBytes.filter((x) => typeof x.value !== 'string');

/** Values that are not numbers at all: TypeError where an integer belongs. */
export const hostileNonNumbers: readonly Hostile[] = [
  ...hostileNullish,
  h('"32"', '32'),
  h('empty string', ''),
  h('"0x20"', '0x20'),
  h('true', true),
  h('false', false),
  h('BigInt 32n', 32n),
  h('BigInt 2n**64n', 2n ** 64n),
  h('Symbol', Symbol('n')),
  h('Number object', new Number(32)),
  h('{valueOf: () => 32}', { valueOf: () => 32 }),
  h('array [32]', [32]),
  h('Uint8Array [32]', Uint8Array.of(32)),
  ...impostors,
];

/** Everything that is not a safe non-negative integer of sane size: for integer parameters. */
export const hostileIntegers: readonly Hostile[] = [...hostileNonNumbers, ...hostileNumbers];

/** `hostileIntegers` plus denial-of-service sizes: for lengths, counts and cost parameters. */
export const hostileLengths: readonly Hostile[] = [...hostileIntegers, ...hugeLengths];

/** Everything that is not a string primitive: for string parameters. */
export const hostileStrings: readonly Hostile[] = [
  ...hostileNullish,
  h('0', 0),
  h('NaN', Number.NaN),
  h('BigInt 1n', 1n),
  h('true', true),
  h('Symbol', Symbol('s')),
  h('String object', new String(SECRET_MARKER)),
  h('{toString}', { toString: () => SECRET_MARKER }),
  h('array of strings', [SECRET_MARKER]),
  h('Uint8Array', Uint8Array.of(0x61, 0x62)),
  h('Buffer', Buffer.from(SECRET_MARKER)),
  h('Promise of a string', Promise.resolve(SECRET_MARKER)),
  ...impostors.filter((x) => !Array.isArray(x.value)),
];

/** Values that are not option objects: primitives, null and functions. */
export const hostileObjects: readonly Hostile[] = [
  h('null', null),
  h('0', 0),
  h('NaN', Number.NaN),
  h('BigInt 1n', 1n),
  h('empty string', ''),
  h('string', 'padding'),
  h('true', true),
  h('Symbol', Symbol('o')),
  h('function', () => ({})),
];

/** Ways to not be a coffer object instance: plain bytes, look-alikes, and the generic impostors. */
export const hostileInstances: readonly Hostile[] = [
  ...hostileNullish,
  h('Uint8Array', u8),
  h('Buffer', Buffer.alloc(32)),
  h('string', SECRET_MARKER),
  h('number', 32),
  h('{type: "SecretKey", length: 32}', { type: 'SecretKey', algorithm: 'secret', length: 32 }),
  h('Symbol', Symbol('k')),
  ...impostors,
];

/** The error classes a hostile input may produce. */
export type ExpectedKind = 'TypeError' | 'RangeError' | 'CofferError';

export interface RejectionExpectation {
  /** The class the error must be; any of the three when omitted. */
  kind?: ExpectedKind | readonly ExpectedKind[];
  /** The parameter the message must name, as `"name"`. Any quoted name when omitted. */
  label?: string | readonly string[];
  /** Text no message may contain (secrets, the hostile value itself). */
  mustNotContain?: readonly string[];
  /**
   * For a CofferError, the `code` it must carry (`'ERR_INVALID_TOKEN'`, `'ERR_DECODE'`, ...): a malformed
   * token must be InvalidToken, not just any CofferError.
   */
  code?: CofferErrorCode | readonly CofferErrorCode[];
}

const QUOTED_NAME = /"[A-Za-z_$][\w$.]*"/;

/**
 * Checks a caught error against the contract; returns a description of what is wrong, or `undefined`.
 * Exported for tests that collect failures over a table instead of stopping at the first.
 */
export function checkRejection(err: unknown, expect: RejectionExpectation = {}): string | undefined {
  const isCoffer = err instanceof CofferError;
  const isType = err instanceof TypeError;
  const isRange = err instanceof RangeError;
  if (!isCoffer && !isType && !isRange) {
    const name = err instanceof Error ? err.constructor.name : typeof err;
    return `threw ${name} (${err instanceof Error ? err.message : String(err)}), not a typed error`;
  }
  const e = err as Error & { code?: unknown };
  const kinds = expect.kind === undefined ? undefined : ([] as ExpectedKind[]).concat(expect.kind);
  if (kinds !== undefined) {
    const ok = kinds.some(
      (k) =>
        (k === 'CofferError' && isCoffer) ||
        (k === 'TypeError' && isType && !isCoffer) ||
        (k === 'RangeError' && isRange && !isCoffer),
    );
    if (!ok) return `threw ${e.constructor.name} (${e.message}), expected ${kinds.join(' or ')}`;
  }
  if (isCoffer && expect.code !== undefined) {
    const codes = ([] as string[]).concat(expect.code);
    if (!codes.includes(e.code as string))
      return `threw ${e.constructor.name} (${e.message}), expected code ${codes.join(' or ')}`;
  }
  if (!isCoffer) {
    // Node's own argument errors (ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE, ...) carry a code; ours do not.
    if (typeof e.code === 'string') return `node's ${e.code} escaped: ${e.message}`;
    if (!QUOTED_NAME.test(e.message)) return `message does not name a parameter: ${e.message}`;
    if (expect.label !== undefined) {
      const labels = ([] as string[]).concat(expect.label);
      if (!labels.some((l) => e.message.includes(`"${l}"`))) {
        return `message does not name ${labels.map((l) => `"${l}"`).join(' or ')}: ${e.message}`;
      }
    }
  }
  for (const text of [SECRET_MARKER, ...(expect.mustNotContain ?? [])]) {
    if (text !== '' && e.message.includes(text))
      return `message repeats ${JSON.stringify(text)}: ${e.message}`;
  }
  return undefined;
}

/**
 * Calls `fn` and returns a description of how it broke the contract, or `undefined` when it threw (or
 * rejected with) an acceptable typed error. A silent success is a failure.
 */
export async function rejectionProblem(
  fn: () => unknown,
  expect: RejectionExpectation = {},
): Promise<string | undefined> {
  let result: unknown;
  try {
    result = fn();
    if (
      result !== null &&
      typeof result === 'object' &&
      typeof (result as Promise<unknown>).then === 'function'
    ) {
      result = await result;
    }
  } catch (err) {
    return checkRejection(err, expect);
  }
  return `succeeded silently (returned ${describeResult(result)})`;
}

function describeResult(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.constructor.name}(${value.length})`;
  if (typeof value === 'string') return `string(${value.length})`;
  if (value === null || typeof value !== 'object') return String(value);
  return (value as object).constructor?.name ?? 'object';
}

/**
 * Asserts that `fn` throws, or returns a promise that rejects, with a TypeError or RangeError from coffer's
 * validation (labelled message, no node `code`) or a CofferError. Never a bare Error, never success.
 */
export async function expectTypedRejection(
  fn: () => unknown,
  expect: RejectionExpectation = {},
): Promise<void> {
  const problem = await rejectionProblem(fn, expect);
  if (problem !== undefined) assert.fail(problem);
}

/** The error class a coffer integer parameter should raise for a hostile value. */
export function integerKind(value: unknown): ExpectedKind {
  return typeof value === 'number' ? 'RangeError' : 'TypeError';
}
