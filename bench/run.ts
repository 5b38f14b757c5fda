// coffer's benchmark: every case in bench/cases/ measured through coffer, raw node:crypto and (when
// python3 with pyca `cryptography` is importable) pyca, in one run. bench/README.md says how it measures.
//
//   npm run bench                 all cases
//   npm run bench -- sha256 hmac  cases whose id starts with (else contains) any of the terms
//   npm run bench -- --list       the case ids
//
// Environment: BENCH_TIME_MS (one sample's duration, default 500), BENCH_SAMPLES (default 5),
// BENCH_CLOCK=cpu (time CPU use instead of elapsed time: steadier when the machine is shared),
// BENCH_PYCA=0 (skip pyca), COFFER_PYTHON (the interpreter, default python3).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backendInfo } from '../src/hazmat/backend.ts';
import { type BenchCase, caseId } from './case.ts';
import {
  type Clock,
  functionSampler,
  type MeasureOptions,
  measureInterleaved,
  type Sampler,
} from './measure.ts';
import { opensslAsymSection, opensslSection } from './openssl-speed.ts';
import { PycaProcess, type PycaVersions, pycaUnavailable } from './pyca.ts';
import { LEGEND, makeRow, type Row, renderMarkdown, renderText } from './report.ts';

function envInt(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isSafeInteger(v) || v < min)
    throw new RangeError(`${name} must be an integer >= ${min}, got ${raw}`);
  return v;
}

function envClock(): Clock {
  const raw = process.env.BENCH_CLOCK ?? 'wall';
  if (raw !== 'wall' && raw !== 'cpu')
    throw new RangeError(`BENCH_CLOCK must be "wall" or "cpu", got ${raw}`);
  return raw;
}

function isCase(value: unknown): value is BenchCase {
  const c = value as Partial<BenchCase> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.name === 'string' &&
    typeof c.size === 'number' &&
    typeof c.coffer === 'function' &&
    typeof c.raw === 'function' &&
    (c.pyca === undefined || typeof c.pyca === 'string')
  );
}

/** Every bench/cases/*.ts file's default export, in file-name order. */
async function loadCases(): Promise<BenchCase[]> {
  const dir = new URL('./cases/', import.meta.url);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort();
  const all: BenchCase[] = [];
  for (const file of files) {
    const mod = (await import(new URL(file, dir).href)) as { default?: unknown };
    if (!Array.isArray(mod.default) || !mod.default.every(isCase)) {
      throw new TypeError(`bench/cases/${file} must default-export defineCases([...])`);
    }
    all.push(...mod.default);
  }
  const ids = all.map(caseId);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup !== undefined) throw new Error(`two cases are named "${dup}"`);
  return all;
}

/** A term selects the cases whose id starts with it; a term that starts no id selects those containing it. */
function select(cases: readonly BenchCase[], terms: readonly string[]): BenchCase[] {
  if (terms.length === 0) return [...cases];
  const chosen = new Set<BenchCase>();
  for (const term of terms.map((t) => t.toLowerCase())) {
    const ids = cases.map((c) => [c, caseId(c).toLowerCase()] as const);
    const prefixed = ids.filter(([, id]) => id.startsWith(term));
    for (const [c] of prefixed.length > 0 ? prefixed : ids.filter(([, id]) => id.includes(term)))
      chosen.add(c);
  }
  return cases.filter((c) => chosen.has(c));
}

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** Checks that all three compute the same bytes, then measures them side by side. */
async function runCase(
  c: BenchCase,
  options: MeasureOptions,
  pyca: PycaProcess | undefined,
  problems: string[],
): Promise<Row | undefined> {
  const id = caseId(c);
  const expected = hex(c.raw());
  const mine = hex(c.coffer());
  if (mine !== expected) {
    problems.push(`${id}: coffer and node:crypto outputs differ (${mine} vs ${expected}); not timed`);
    return undefined;
  }
  let pycaStatus: string | undefined;
  const loaded = pyca?.loaded.get(id);
  if (loaded !== undefined && 'error' in loaded) pycaStatus = `snippet failed: ${loaded.error}`;
  else if (loaded !== undefined && loaded.output !== expected) {
    pycaStatus = `output ${loaded.output} differs from node:crypto's ${expected}`;
  }
  if (pycaStatus !== undefined) problems.push(`${id}: pyca ${pycaStatus}; pyca not timed`);

  process.stderr.write(`  ${id}\n`);
  const samplers: Record<string, Sampler> = {
    coffer: functionSampler(c.coffer, options.clock),
    raw: functionSampler(c.raw, options.clock),
  };
  if (pyca !== undefined && loaded !== undefined && pycaStatus === undefined)
    samplers.pyca = pyca.sampler(id);
  const m = await measureInterleaved(samplers, options);
  return makeRow(c, m.coffer!, m.raw!, m.pyca ?? pycaStatus ?? null);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const all = await loadCases();
  if (args.includes('--list')) {
    for (const c of all) console.log(caseId(c));
    return 0;
  }
  const terms = args.filter((a) => !a.startsWith('--'));
  const cases = select(all, terms);
  if (cases.length === 0) {
    console.error(
      `bench: no case matches ${terms.join(', ')}; the cases are:\n  ${all.map(caseId).join('\n  ')}`,
    );
    return 2;
  }
  const options: MeasureOptions = {
    sampleMs: envInt('BENCH_TIME_MS', 500, 1),
    samples: envInt('BENCH_SAMPLES', 5, 1),
    clock: envClock(),
  };

  const cpu = cpus();
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    backend: backendInfo().backend,
    openssl: process.versions.openssl,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    cpu: `${cpu[0]?.model.trim() ?? 'unknown'} × ${cpu.length}`,
    loadavg: loadavg().map((x) => Number(x.toFixed(2))),
    sampleMs: options.sampleMs,
    samples: options.samples,
    clock: options.clock,
    filter: terms,
    pyca: undefined as PycaVersions | undefined,
    pycaSkipped: undefined as string | undefined,
  };
  console.log(`coffer bench: node ${meta.node} (OpenSSL ${meta.openssl}), ${meta.platform}, ${meta.cpu}`);
  // Which backend the coffer column ran on: the native addon, or node:crypto (COFFER_BACKEND=js, no addon).
  console.log(`coffer backend: ${meta.backend}${backendInfo().reason ? ` (${backendInfo().reason})` : ''}`);
  console.log(
    `${cases.length} case(s), ${options.samples} samples of ~${options.sampleMs} ms (${options.clock} clock) ` +
      'per implementation, implementations interleaved; medians reported',
  );

  const problems: string[] = [];
  const unavailable = pycaUnavailable();
  let pyca: PycaProcess | undefined;
  if (unavailable !== undefined) {
    meta.pycaSkipped = unavailable;
    console.log(`pyca skipped: ${unavailable}`);
  } else {
    const withPyca = cases.filter((c) => c.pyca !== undefined);
    if (withPyca.length > 0) {
      pyca = await PycaProcess.start(
        withPyca.map((c) => ({ id: caseId(c), size: c.size, source: c.pyca! })),
        options.clock,
      );
      meta.pyca = pyca.versions;
      console.log(
        `pyca: cryptography ${pyca.versions.cryptography} (${pyca.versions.openssl}), Python ${pyca.versions.python}`,
      );
    }
  }

  const rows: Row[] = [];
  try {
    for (const c of cases) {
      try {
        const row = await runCase(c, options, pyca, problems);
        if (row !== undefined) rows.push(row);
      } catch (err) {
        // A case broken by work in progress elsewhere must not cost the other figures.
        problems.push(`${caseId(c)}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  } finally {
    pyca?.close();
  }

  console.log('');
  console.log(renderText(rows));
  console.log(`\n${LEGEND}`);

  const setting = [
    `node ${meta.node} (OpenSSL ${meta.openssl}), coffer on ${meta.backend}`,
    ...(pyca === undefined ? [] : [`pyca ${pyca.versions.cryptography} (${pyca.versions.openssl})`]),
    meta.cpu,
    `${options.samples} × ${options.sampleMs} ms, ${options.clock} clock`,
  ].join(' · ');
  console.log(`\nMarkdown:\n\n${setting}\n\n${renderMarkdown(rows)}`);
  // OpenSSL's own figures beside the AEAD rows, when any were measured (bench/openssl-speed.ts).
  const openssl = opensslSection(rows);
  if (openssl !== undefined) console.log(`\n${openssl}`);
  // And beside the signature and key-agreement rows (bench/cases/asymmetric.ts).
  const opensslAsym = opensslAsymSection(rows);
  if (opensslAsym !== undefined) console.log(`\n${opensslAsym}`);

  const outDir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(outDir, { recursive: true });
  const outFile = `${outDir}latest.json`;
  writeFileSync(outFile, `${JSON.stringify({ meta, rows, problems }, null, 2)}\n`);
  console.log(`\nresults: ${relative(process.cwd(), outFile)}`);

  for (const p of problems) console.error(`bench: error: ${p}`);
  return problems.length > 0 ? 1 : 0;
}

process.exitCode = await main();
