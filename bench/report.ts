// Turns measurements into verdicts, and renders them as an aligned console table and as Markdown.
import { type BenchCase, caseId, defaultMaxRatio, formatSize } from './case.ts';
import { type Measurement, median, medianInterval, roundRatios } from './measure.ts';

/**
 * PASS/MISS against node:crypto; against pyca also NODE (node:crypto itself is slower) and n/a. A `?`
 * marks a verdict the run cannot settle: the ~95% interval of the median ratio holds the target.
 */
export type Verdict = 'PASS' | 'MISS' | 'NODE' | 'n/a' | 'PASS?' | 'MISS?' | 'NODE?';

/** A median of per-round ratios with its ~95% interval. */
export interface Ratio {
  readonly median: number;
  readonly low: number;
  readonly high: number;
}

function ratio(a: Measurement, b: Measurement): Ratio {
  const r = roundRatios(a, b);
  const [low, high] = medianInterval(r);
  return { median: median(r), low, high };
}

function judge<V extends 'PASS' | 'MISS' | 'NODE'>(verdict: V, r: Ratio, limit: number): V | `${V}?` {
  return r.low <= limit && limit <= r.high ? `${verdict}?` : verdict;
}

export interface Row {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly throughput: boolean;
  readonly coffer: Measurement;
  readonly raw: Measurement;
  /** `null` when pyca was not run or has no equivalent; a string when its snippet failed. */
  readonly pyca: Measurement | string | null;
  /** coffer time per op / raw time per op. */
  readonly ratio: Ratio;
  readonly maxRatio: number;
  readonly vsRaw: Verdict;
  /** coffer ops/s / pyca ops/s: above 1, coffer is faster. */
  readonly pycaSpeed: Ratio | null;
  /** raw node:crypto ops/s / pyca ops/s: what node:crypto allows. */
  readonly nodePycaSpeed: Ratio | null;
  readonly vsPyca: Verdict;
}

export function makeRow(
  c: BenchCase,
  coffer: Measurement,
  raw: Measurement,
  pyca: Measurement | string | null,
): Row {
  const timeRatio = ratio(raw, coffer);
  const maxRatio = c.maxRatio ?? defaultMaxRatio(c.size);
  const py = typeof pyca === 'object' && pyca !== null ? pyca : null;
  const pycaSpeed = py === null ? null : ratio(coffer, py);
  const nodePycaSpeed = py === null ? null : ratio(raw, py);
  let vsPyca: Verdict = 'n/a';
  if (pycaSpeed !== null && nodePycaSpeed !== null) {
    // "At least pyca's speed wherever node:crypto allows": when plain node:crypto is itself slower than pyca
    // (an older OpenSSL, say), coffer cannot beat it and the node target is the one that counts.
    if (pycaSpeed.median >= 1) vsPyca = judge('PASS', pycaSpeed, 1);
    else if (nodePycaSpeed.median < 1) vsPyca = judge('NODE', nodePycaSpeed, 1);
    else vsPyca = judge('MISS', pycaSpeed, 1);
  }
  return {
    id: caseId(c),
    name: c.name,
    size: c.size,
    throughput: c.throughput ?? true,
    coffer,
    raw,
    pyca,
    ratio: timeRatio,
    maxRatio,
    vsRaw: judge(timeRatio.median <= maxRatio ? 'PASS' : 'MISS', timeRatio, maxRatio),
    pycaSpeed,
    nodePycaSpeed,
    vsPyca,
  };
}

/** Three significant figures with a k/M suffix: `1.23 M`, `456 k`, `2.41`. */
function ops(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toPrecision(3)} M`;
  if (x >= 1e3) return `${(x / 1e3).toPrecision(3)} k`;
  return x.toPrecision(3);
}

/** MB/s with MB = 10^6 bytes. */
function mbps(x: number, row: Row): string {
  if (!row.throughput) return '—';
  const v = (x * row.size) / 1e6;
  return v >= 100 ? v.toFixed(0) : v.toPrecision(3);
}

/** `1.03x (0.98–1.09)`: the median and its ~95% interval. */
function withInterval(r: Ratio): string {
  return `${r.median.toFixed(2)}x (${r.low.toFixed(2)}–${r.high.toFixed(2)})`;
}

const HEADER = [
  'operation',
  'size',
  'coffer ops/s',
  'coffer MB/s',
  'node ops/s',
  'node MB/s',
  'pyca ops/s',
  'pyca MB/s',
  'coffer/node time',
  'vs node',
  'coffer/pyca speed',
  'node/pyca speed',
  'vs pyca',
] as const;

// Text columns (operation, size, verdicts) align left; numbers right.
const LEFT = new Set([0, 1, 9, 12]);

function cells(row: Row): string[] {
  const py = typeof row.pyca === 'object' && row.pyca !== null ? row.pyca : null;
  const pycaOps = py !== null ? ops(py.opsPerSec) : typeof row.pyca === 'string' ? 'error' : '—';
  return [
    row.name,
    formatSize(row.size),
    ops(row.coffer.opsPerSec),
    mbps(row.coffer.opsPerSec, row),
    ops(row.raw.opsPerSec),
    mbps(row.raw.opsPerSec, row),
    pycaOps,
    py !== null ? mbps(py.opsPerSec, row) : '—',
    withInterval(row.ratio),
    `${row.vsRaw} (≤${row.maxRatio}x)`,
    row.pycaSpeed === null ? '—' : withInterval(row.pycaSpeed),
    row.nodePycaSpeed === null ? '—' : `${row.nodePycaSpeed.median.toFixed(2)}x`,
    row.vsPyca,
  ];
}

export function renderText(rows: readonly Row[]): string {
  const table = [[...HEADER], ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    r.map((cell, i) => (LEFT.has(i) ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(table[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...table.slice(1).map(line)].join(
    '\n',
  );
}

export function renderMarkdown(rows: readonly Row[]): string {
  const align = HEADER.map((_, i) => (LEFT.has(i) ? ':--' : '--:'));
  const line = (r: readonly string[]) => `| ${r.join(' | ')} |`;
  return [line(HEADER), line(align), ...rows.map((r) => line(cells(r)))].join('\n');
}

export const LEGEND = [
  'ops/s: median of the samples; MB/s: input bytes per second, MB = 10^6 B ("—" for password KDFs).',
  'coffer/node time: time per op with coffer over raw node:crypto, below 1 = coffer faster; the target is in',
  '"vs node". coffer/pyca and node/pyca speed: ops/s over pyca ops/s, above 1 = faster than pyca. Ratios are',
  'medians of round-by-round ratios of interleaved slices, with their ~95% interval in parentheses.',
  'NODE: raw node:crypto is itself slower than pyca here, so node:crypto does not allow the pyca target.',
  '?: the interval holds the target, so this run cannot settle it; re-run, or raise BENCH_SAMPLES.',
].join('\n');
