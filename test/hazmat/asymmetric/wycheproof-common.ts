// Plumbing shared by the asymmetric Wycheproof suites (wycheproof-ec, wycheproof-eddsa-xdh, wycheproof-rsa):
// read a file in place from the shared vectors, declare one node:test test per tcId named by file and
// tcId, and a final test per file that reports how its `acceptable` vectors were resolved. Not a test
// file itself (no `.test.ts`), so the runner only sees it through the suites.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CofferError } from '../../../src/errors.ts';
import {
  type HashAlgorithm,
  SHA1,
  SHA3_224,
  SHA3_256,
  SHA3_384,
  SHA3_512,
  SHA224,
  SHA256,
  SHA384,
  SHA512,
  SHA512_224,
  SHA512_256,
  SHAKE128,
  SHAKE256,
} from '../../../src/hazmat/hashes.ts';
import { loadJson, vectorSkip } from '../../helpers/vectors.ts';

export type Result = 'valid' | 'invalid' | 'acceptable';

export interface Vector {
  tcId: number;
  comment: string;
  flags: string[];
  result: Result;
}

export interface WycheproofFile<G> {
  algorithm: string;
  numberOfTests: number;
  testGroups: G[];
}

/** How an `acceptable` vector came out: coffer gave the exact answer, or refused it with a typed error. */
export type Outcome = 'accepted' | 'refused';

/** Per-file tally, reported by the file's last test. */
export interface Tally {
  acceptable: Map<string, Record<Outcome, number>>;
}

export const name = (file: string, t: Vector) =>
  `${file} tcId ${t.tcId}: ${t.comment || '(no comment)'} [${t.result}${t.flags.length ? `; ${t.flags.join(', ')}` : ''}]`;

/**
 * Whether `err` is a refusal coffer means: one of its own errors, or a TypeError/RangeError it raised at the
 * boundary. Node's own errors (ERR_OSSL_*, ERR_INVALID_ARG_*) carry a `code` property and must never escape
 * coffer, so a TypeError or RangeError with a `code` does not count.
 */
export function isTypedRefusal(err: unknown): boolean {
  if (err instanceof CofferError) return true;
  if (err instanceof TypeError || err instanceof RangeError) {
    return !('code' in err) && err.message.length > 0;
  }
  return false;
}

export function assertTypedRefusal(err: unknown): true {
  assert.ok(
    isTypedRefusal(err),
    `expected a coffer error, TypeError or RangeError, got ${describeError(err)}`,
  );
  return true;
}

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = 'code' in err ? ` [code ${String((err as { code: unknown }).code)}]` : '';
    return `${err.constructor.name}${code}: ${err.message}`;
  }
  return String(err);
}

/** Runs `fn`; returns its value, or the error it threw wrapped so callers can tell the two apart. */
export function attempt<T>(fn: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * An `acceptable` vector: coffer either gives exactly the expected answer (`check` passes) or refuses with
 * a typed error. Never a wrong answer, never an untyped error. The outcome is tallied under `why`.
 */
export function acceptable(tally: Tally, why: string, run: () => void): void {
  let outcome: Outcome = 'accepted';
  try {
    run();
  } catch (err) {
    if (err instanceof assert.AssertionError) throw err;
    assertTypedRefusal(err);
    outcome = 'refused';
  }
  const entry = tally.acceptable.get(why) ?? { accepted: 0, refused: 0 };
  entry[outcome]++;
  tally.acceptable.set(why, entry);
}

const HASHES: Record<string, () => HashAlgorithm> = {
  'SHA-1': () => new SHA1(),
  'SHA-224': () => new SHA224(),
  'SHA-256': () => new SHA256(),
  'SHA-384': () => new SHA384(),
  'SHA-512': () => new SHA512(),
  'SHA-512/224': () => new SHA512_224(),
  'SHA-512/256': () => new SHA512_256(),
  'SHA3-224': () => new SHA3_224(),
  'SHA3-256': () => new SHA3_256(),
  'SHA3-384': () => new SHA3_384(),
  'SHA3-512': () => new SHA3_512(),
  SHAKE128: () => new SHAKE128(32),
  SHAKE256: () => new SHAKE256(64),
};

/** Wycheproof's hash name (`SHA-256`, `SHA-512/224`) as a coffer hash algorithm. */
export function hashFor(wycheproofName: string): HashAlgorithm {
  const make = HASHES[wycheproofName];
  if (make === undefined) throw new Error(`no hash for Wycheproof's ${JSON.stringify(wycheproofName)}`);
  return make();
}

/**
 * Declares one suite per file: a count check, a test per tcId, and a summary test. The describe name
 * carries the file's valid/invalid/acceptable counts; the summary test's diagnostics say how each family
 * of acceptable vectors came out. `groupSetup` runs once per group (load the key once, not per vector)
 * and may declare tests of its own (a group-level key-loading check).
 */
export function wycheproofSuite<G extends { tests: V[] }, V extends Vector, C>(
  file: string,
  options: {
    expectedCount: number;
    /** Prepares what every vector of a group needs, for example the loaded key. Runs lazily, once. */
    group: (group: G, index: number) => C;
    vector: (ctx: C, t: V, group: G, tally: Tally) => void;
    /** A test per group, declared before its vectors: the group's key through every loader. */
    groupTest?: (group: G, index: number) => void;
    /** Extra lines for the summary: how this family treats acceptable vectors. */
    note?: string | undefined;
  },
): void {
  const missing = vectorSkip(`wycheproof/${file}`);
  if (missing) {
    test(file, { skip: missing }, () => {});
    return;
  }
  const doc = loadJson<WycheproofFile<G>>(`wycheproof/${file}`);
  const counts = { valid: 0, invalid: 0, acceptable: 0 };
  for (const g of doc.testGroups) for (const t of g.tests) counts[t.result]++;
  const tally: Tally = { acceptable: new Map() };
  const summary = `${counts.valid} valid, ${counts.invalid} invalid, ${counts.acceptable} acceptable`;
  describe(`Wycheproof ${file} (${doc.algorithm}): ${summary}`, () => {
    test(`${file}: the file holds ${options.expectedCount} vectors`, () => {
      const count = doc.testGroups.reduce((n, g) => n + g.tests.length, 0);
      assert.equal(count, doc.numberOfTests);
      assert.equal(count, options.expectedCount);
    });
    doc.testGroups.forEach((group, index) => {
      let ctx: { value: C } | undefined;
      const context = () => {
        ctx ??= { value: options.group(group, index) };
        return ctx.value;
      };
      if (options.groupTest) {
        const check = options.groupTest;
        test(`${file} group ${index + 1}: the key loads the same through every encoding`, () =>
          check(group, index));
      }
      for (const t of group.tests) {
        test(name(file, t), () => options.vector(context(), t, group, tally));
      }
    });
    test(`${file}: summary (${summary})`, (t) => {
      for (const [why, n] of tally.acceptable) {
        t.diagnostic(`acceptable ${why}: ${n.accepted} accepted with the exact answer, ${n.refused} refused`);
      }
      if (options.note) t.diagnostic(options.note);
    });
  });
}

/** The first flag of an acceptable vector, the family it is tallied under. */
export const why = (t: Vector) => t.flags[0] ?? t.comment;

/** Big-endian hex (any length, leading zeros allowed) as a bigint. */
export const bigFromHex = (h: string): bigint => (h.length === 0 ? 0n : BigInt(`0x${h}`));
