// Adaptive timing. Each implementation is warmed up and calibrated on its own. A sample of an implementation
// is about `sampleMs` of its work, taken in slices (up to SLICES of them); a round is one slice of every
// implementation, in an order that changes from round to round (see `turnOrder`). Drift on a noisy VM
// (turbo, neighbours, GC) slower than a slice lands on all of them alike, so comparisons are made round by
// round (`roundRatios`) and summarised by their median, which is far steadier than a ratio of medians.
// pyca-runner.py times its side the same way.

/** Slices per sample for fast operations: one slice is then about a tenth of `sampleMs`. */
const SLICES = 10;

export type Clock = 'wall' | 'cpu';

export interface MeasureOptions {
  /** Target duration of one sample, in milliseconds. */
  readonly sampleMs: number;
  /** Samples per implementation; the median is reported. */
  readonly samples: number;
  /**
   * `wall`: elapsed time. `cpu`: CPU time of the process (user + system), which leaves out the time it
   * spends preempted, so other work on a shared machine disturbs it less; it does count V8's background
   * threads (GC), which wall time partly hides on a second core.
   */
  readonly clock: Clock;
}

export interface Calibration {
  /** Operations per slice (at least 1). */
  readonly batch: number;
  /** Expected duration of one slice, in seconds. */
  readonly batchSeconds: number;
}

/** One implementation under measurement. JavaScript ones answer synchronously, the pyca one by message. */
export interface Sampler {
  /**
   * Warm-up and calibration in one: batches double until one takes `warmSeconds` (the JIT and the
   * allocator have settled by then), and the last batch's rate sizes a slice of about `sliceSeconds`. An
   * operation slower than that runs once here and once per slice.
   */
  calibrate(warmSeconds: number, sliceSeconds: number): Calibration | Promise<Calibration>;
  /** Runs one slice of `batch` operations and returns how long it took, in seconds. */
  slice(batch: number): number | Promise<number>;
}

export interface Measurement {
  /** Median of the samples, in operations per second. */
  readonly opsPerSec: number;
  /** Every sample in operations per second, in order. */
  readonly samples: readonly number[];
  /** Every slice in operations per second, indexed by round (the same index across implementations). */
  readonly rounds: readonly number[];
  /** Operations per slice (1 for slow operations such as scrypt). */
  readonly batch: number;
  /** Slices per sample. */
  readonly slices: number;
  /** (max - min) / median over the samples: a rough noise figure. */
  readonly spread: number;
}

function timeBatch(fn: () => unknown, n: number, clock: Clock): number {
  // No sink needed: every call reaches OpenSSL, which V8 cannot prove free of effects.
  if (clock === 'cpu') {
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) fn();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1e6;
  }
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** A sampler for a synchronous function. */
export function functionSampler(fn: () => unknown, clock: Clock): Sampler {
  return {
    calibrate(warmSeconds, sliceSeconds) {
      let n = 1;
      let elapsed = timeBatch(fn, n, clock);
      while (elapsed < warmSeconds) {
        n *= 2;
        elapsed = timeBatch(fn, n, clock);
      }
      const batch = Math.max(1, Math.round((n * sliceSeconds) / elapsed));
      return { batch, batchSeconds: (batch * elapsed) / n };
    },
    slice: (batch) => timeBatch(fn, batch, clock),
  };
}

const ascending = (values: readonly number[]) => [...values].sort((a, b) => a - b);

export function median(values: readonly number[]): number {
  const sorted = ascending(values);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * A distribution-free ~95% confidence interval for the median: the order statistics n/2 ∓ 0.98·√n (the
 * normal approximation to the binomial). With 5 values it is their whole range.
 */
export function medianInterval(values: readonly number[]): [number, number] {
  const sorted = ascending(values);
  const n = sorted.length;
  const half = 0.98 * Math.sqrt(n);
  const lo = Math.max(0, Math.floor(n / 2 - half));
  const hi = Math.min(n - 1, Math.ceil(n / 2 + half) - 1);
  return [sorted[lo]!, sorted[Math.max(lo, hi)]!];
}

/** a's rate over b's, round by round: slices with the same index ran next to each other. */
export function roundRatios(a: Measurement, b: Measurement): number[] {
  return a.rounds.map((x, i) => x / b.rounds[i]!);
}

/** Median of `roundRatios`: how many times b's speed a's is, with most drift cancelled. */
export function pairedRatio(a: Measurement, b: Measurement): number {
  return median(roundRatios(a, b));
}

/**
 * Round r runs the implementations rotated by r, reversed every other cycle: for A B C that is
 * ABC BCA CAB, CBA ACB BAC, so each takes each place, and follows each other one, equally often.
 */
function turnOrder<K>(keys: readonly K[], round: number): K[] {
  const k = keys.length;
  const rotated = keys.map((_, i) => keys[(i + round) % k]!);
  return Math.floor(round / k) % 2 === 0 ? rotated : rotated.reverse();
}

/** Measures the samplers side by side, interleaving their slices. Keys of the result follow `samplers`. */
export async function measureInterleaved<K extends string>(
  samplers: Readonly<Record<K, Sampler>>,
  options: MeasureOptions,
): Promise<Record<K, Measurement>> {
  const keys = Object.keys(samplers) as K[];
  const sampleSeconds = options.sampleMs / 1000;
  const batch = new Map<K, number>();
  let longest = 0;
  for (const k of keys) {
    const c = await samplers[k].calibrate(sampleSeconds / 4, sampleSeconds / SLICES);
    batch.set(k, c.batch);
    longest = Math.max(longest, c.batchSeconds);
  }
  // As many slices as fit the slowest implementation's sample: 1 for scrypt-class operations.
  const slices = Math.min(SLICES, Math.max(1, Math.round(sampleSeconds / longest)));
  const seconds = new Map<K, number[]>(keys.map((k) => [k, []]));
  for (let round = 0; round < options.samples * slices; round++) {
    for (const k of turnOrder(keys, round)) seconds.get(k)!.push(await samplers[k].slice(batch.get(k)!));
  }
  const out = {} as Record<K, Measurement>;
  for (const k of keys) {
    const n = batch.get(k)!;
    const s = seconds.get(k)!;
    const samples: number[] = [];
    for (let i = 0; i < s.length; i += slices) {
      samples.push((slices * n) / s.slice(i, i + slices).reduce((a, b) => a + b, 0));
    }
    const m = median(samples);
    out[k] = {
      opsPerSec: m,
      samples,
      rounds: s.map((t) => n / t),
      batch: n,
      slices,
      spread: (Math.max(...samples) - Math.min(...samples)) / m,
    };
  }
  return out;
}
