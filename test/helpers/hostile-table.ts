// The hostile-input table: its vocabulary (cases, parameters, targets), the runner that tries every
// hostile value in every argument position, and the coverage check over a set of public modules.
// test/hostile.test.ts holds the table for the foundation, recipes and symmetric modules; newer modules
// keep their own tables beside their tests and call `runTargets` and `checkCoverage` the same way.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as errors from '../../src/errors.ts';
import { HashAlgorithm, SHA256, SHAKE128 } from '../../src/hazmat/hashes.ts';
import { SecretKey } from '../../src/keys/secret-key.ts';
import {
  type ExpectedKind,
  type Hostile,
  hostileBytes,
  hostileBytesLike,
  hostileInstances,
  hostileIntegers,
  hostileLengths,
  hostileObjects,
  hostileStrings,
  integerKind,
  rejectionProblem,
} from './hostile.ts';

// The table's vocabulary.

/** A hostile value, optionally with the error class (and for a CofferError, the code) it must raise here. */
export interface Case extends Hostile {
  readonly kind?: ExpectedKind | readonly ExpectedKind[];
  readonly code?: errors.CofferErrorCode;
}

export interface Param {
  /** Parameter name, as the error message must quote it (unless `label` says otherwise). */
  readonly name: string;
  readonly cases: readonly Case[];
  /** Expected error class for a case without its own `kind`. */
  readonly kind: (value: unknown) => ExpectedKind | readonly ExpectedKind[];
  /** Accepted names in the message; `null` checks only that some name is quoted. */
  readonly label?: string | readonly string[] | null;
  /** `undefined` is valid here (skipped). */
  readonly optional?: boolean;
  /** `null` and `undefined` are valid here (skipped). */
  readonly nullable?: boolean;
}

export interface Arg extends Partial<Omit<Param, 'name'>> {
  readonly name: string;
  readonly valid: () => unknown;
  /**
   * For an options object: its fields, each tried in turn with the other fields valid. A dotted name
   * (`scrypt.n`, `context.id`) reaches into a nested object, the rest of which stays valid.
   */
  readonly fields?: Readonly<Record<string, Param>>;
}

export interface Target {
  readonly name: string;
  /** The exported names this entry covers (for the coverage check), as `module:name`. */
  readonly covers: readonly string[];
  readonly args: readonly Arg[];
  readonly call: (...args: unknown[]) => unknown;
  /**
   * The function returns a promise: it must report every mistake by rejecting, never by throwing
   * before it returns (a caller's `.catch` would miss that).
   */
  readonly async?: boolean;
}

export const type = (): ExpectedKind => 'TypeError';
export const rangeCase = (label: string, value: unknown): Case => ({ label, value, kind: 'RangeError' });
export const typeCase = (label: string, value: unknown): Case => ({ label, value, kind: 'TypeError' });
/** Well-typed input with the wrong content: the documented CofferError, by code. */
export const cofferCase = (code: errors.CofferErrorCode, label: string, value: unknown): Case => ({
  label,
  value,
  kind: 'CofferError',
  code,
});
export const tokenCase = (label: string, value: unknown): Case =>
  cofferCase('ERR_INVALID_TOKEN', label, value);
export const decodeCase = (label: string, value: unknown): Case => cofferCase('ERR_DECODE', label, value);

export function bytesParam(name: string, more: Partial<Param> = {}, extra: readonly Case[] = []): Param {
  return { name, cases: [...hostileBytes, ...extra], kind: type, ...more };
}
export function bytesLikeParam(name: string, more: Partial<Param> = {}): Param {
  return { name, cases: hostileBytesLike, kind: type, ...more };
}
/** Bytes or a SecretKey: a SecretKey look-alike must be refused like any other non-bytes. */
export function keyParam(name: string): Param {
  return {
    name,
    cases: [
      ...hostileBytes,
      typeCase('Object.create(SecretKey.prototype)', Object.create(SecretKey.prototype)),
    ],
    kind: type,
  };
}
export function intParam(
  name: string,
  extra: readonly Case[] = [],
  more: Partial<Param> & { huge?: boolean } = {},
): Param {
  const { huge = true, ...rest } = more;
  return {
    name,
    cases: [...(huge ? hostileLengths : hostileIntegers), ...extra],
    kind: integerKind,
    ...rest,
  };
}
export function stringParam(name: string, more: Partial<Param> = {}): Param {
  return { name, cases: hostileStrings, kind: type, ...more };
}
export function enumParam(name: string, wrongStrings: readonly string[], more: Partial<Param> = {}): Param {
  return {
    name,
    cases: [...hostileStrings, ...wrongStrings.map((s) => typeCase(JSON.stringify(s), s))],
    kind: type,
    ...more,
  };
}
export function secretKeyParam(name: string): Param {
  return {
    name,
    cases: [
      ...hostileInstances,
      typeCase('Object.create(SecretKey.prototype)', Object.create(SecretKey.prototype)),
    ],
    kind: type,
  };
}

/** Not a usable HashAlgorithm instance. */
export const hostileAlgorithms: readonly Case[] = [
  ...hostileInstances,
  typeCase('string "sha256"', 'sha256'),
  typeCase('the class SHA256 itself', SHA256),
  typeCase('plain object shaped like SHA256', { name: 'sha256', digestSize: 32, opensslName: 'sha256' }),
  typeCase('Object.create(SHA256.prototype)', Object.create(SHA256.prototype)),
  typeCase('Object.create(SHAKE128.prototype)', Object.create(SHAKE128.prototype)),
  typeCase('new HashAlgorithm() (abstract)', new (HashAlgorithm as unknown as new () => HashAlgorithm)()),
];
export function algorithmParam(name = 'algorithm', { xofAllowed = true } = {}): Param {
  const xofs = xofAllowed ? [] : [typeCase('SHAKE128 (an XOF)', new SHAKE128(32))];
  return { name, cases: [...hostileAlgorithms, ...xofs], kind: type };
}

export function optionsArg(
  valid: () => Record<string, unknown>,
  fields: Record<string, Param>,
  optional = false,
  name = 'options',
): Arg {
  return {
    name,
    valid,
    fields,
    cases: optional ? hostileObjects : [...hostileObjects, { label: 'undefined', value: undefined }],
    kind: type,
    optional,
  };
}

// The runner.

function skip(param: Partial<Param>, value: unknown): boolean {
  if (value === undefined && (param.optional || param.nullable)) return true;
  return value === null && param.nullable === true;
}

export async function runCases(
  param: Pick<Param, 'cases' | 'kind'> & Partial<Param>,
  label: string | readonly string[] | null,
  invoke: (value: unknown) => unknown,
): Promise<string[]> {
  const failures: string[] = [];
  for (const c of param.cases) {
    const value = c.value;
    if (skip(param, value)) continue;
    const expect = {
      kind: c.kind ?? param.kind(value),
      ...(label === null ? {} : { label }),
      ...(c.code === undefined ? {} : { code: c.code }),
    };
    const problem = await rejectionProblem(() => invoke(value), expect);
    if (problem !== undefined) failures.push(`${c.label}: ${problem}`);
  }
  return failures;
}

/** `options` with `path` (a field, or `outer.inner`) set to `value`; nested objects are copied, not changed. */
function withField(options: unknown, path: string, value: unknown): Record<string, unknown> {
  const o = options as Record<string, unknown>;
  const dot = path.indexOf('.');
  if (dot === -1) return { ...o, [path]: value };
  const head = path.slice(0, dot);
  return { ...o, [head]: withField(o[head] ?? {}, path.slice(dot + 1), value) };
}

/** Calls the target; for an async target, a synchronous throw or a non-promise result is itself a failure. */
export function invoke(target: Target, args: unknown[]): unknown {
  if (!target.async) return target.call(...args);
  let result: unknown;
  try {
    result = target.call(...args);
  } catch (err) {
    const what = err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err);
    return Promise.reject(new Error(`threw synchronously instead of rejecting (${what})`));
  }
  if (!(result instanceof Promise)) return Promise.reject(new Error('did not return a promise'));
  return result;
}

/** Registers the tests for every target: valid arguments succeed, every hostile value is refused. */
export function runTargets(targets: readonly Target[]): void {
  for (const target of targets) {
    describe(target.name, { timeout: 60_000 }, () => {
      const validArgs = () => target.args.map((a) => a.valid());

      test('valid arguments succeed', async () => {
        await invoke(target, validArgs());
      });

      target.args.forEach((arg, index) => {
        if (arg.cases !== undefined && arg.kind !== undefined) {
          const cases = arg.cases;
          const kind = arg.kind;
          test(`argument ${index + 1} "${arg.name}" rejects hostile values`, async () => {
            const failures = await runCases({ ...arg, cases, kind }, arg.label ?? arg.name, (value) => {
              const args = validArgs();
              args[index] = value;
              return invoke(target, args);
            });
            assert.deepEqual(failures, []);
          });
        }
        for (const [field, param] of Object.entries(arg.fields ?? {})) {
          test(`argument ${index + 1} "${arg.name}" field ${field} rejects hostile values`, async () => {
            const failures = await runCases(
              param,
              param.label === undefined ? param.name : param.label,
              (value) => {
                const args = validArgs();
                args[index] = withField(args[index], field, value);
                return invoke(target, args);
              },
            );
            assert.deepEqual(failures, []);
          });
        }
      });
    });
  }
}

/**
 * Registers one test per module: every exported function and class has a target (or an EXEMPT reason).
 * A re-export counts as covered when its home module, also in `modules`, covers it.
 */
export function checkCoverage(
  modules: Readonly<Record<string, Record<string, unknown>>>,
  targets: readonly Target[],
  exempt: Readonly<Record<string, string>>,
  where: string,
): void {
  describe('coverage of the public surface', () => {
    const covered = new Set(targets.flatMap((t) => t.covers));
    for (const [moduleName, namespace] of Object.entries(modules)) {
      test(`every function and class exported by ${moduleName} has an entry`, () => {
        const missing: string[] = [];
        for (const [name, value] of Object.entries(namespace)) {
          if (typeof value !== 'function') continue;
          // Error classes are thrown by coffer, not fed input: errors.ts's own tests cover them.
          if (value === errors.CofferError || value.prototype instanceof errors.CofferError) continue;
          const id = `${moduleName}:${name}`;
          if (covered.has(id) || exempt[id] !== undefined) continue;
          // A re-export of a function covered in its home module counts as covered.
          const home = Object.entries(modules).find(([, m]) => m !== namespace && m[name] === value)?.[0];
          if (home !== undefined && covered.has(`${home}:${name}`)) continue;
          missing.push(id);
        }
        assert.deepEqual(missing, [], `add an entry to TARGETS in ${where}`);
      });
    }
  });
}
