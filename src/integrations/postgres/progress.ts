/**
 * Progress of the long PostgreSQL jobs (key rotation, plaintext migration, verify): the numbers each job
 * reports through its `onProgress` callback, and a one-line stderr renderer for command-line tools.
 *
 * @example
 * ```ts
 * import { progressLine, rotateTable } from 'coffer/postgres';
 * const line = progressLine({ label: 'rotating users' });
 * const report = await rotateTable(pool, users, { onProgress: line.update });
 * line.done(`${report.rotated} rows re-sealed`);
 * ```
 * @module
 */
import { describeValue, plainObject } from '../../internal/bytes.ts';

/** Where a batched job stands. Counts are rows. */
export interface RotationProgress {
  /** Rows this worker has finished (committed). */
  readonly done: number;
  /**
   * Rows still to do, as far as this worker knows: counted by the database when the job started (and
   * again when a pass over the table ends), minus the rows done since. Other workers on the same table
   * make it shrink faster than `done` grows.
   */
  readonly left: number;
  /** This worker's average rate since it started. 0 before the first batch. */
  readonly rowsPerSecond: number;
  /** `left / rowsPerSecond`, rounded up; `null` while the rate is unknown. 0 when nothing is left. */
  readonly etaSeconds: number | null;
  /** Batches committed so far. */
  readonly batches: number;
}

/**
 * Keeps the counters of a job and turns them into {@link RotationProgress} snapshots. The clock is
 * injectable so tests can check the arithmetic without waiting.
 * @internal
 */
export class ProgressCounter {
  #done = 0;
  #left: number;
  #batches = 0;
  readonly #started: number;
  readonly #now: () => number;

  constructor(left: number, now: () => number = performance.now.bind(performance)) {
    this.#left = Math.max(0, left);
    this.#now = now;
    this.#started = now();
  }

  /** Records a committed batch of `rows` rows. */
  batch(rows: number): void {
    this.#done += rows;
    this.#left = Math.max(0, this.#left - rows);
    this.#batches++;
  }

  /** Replaces the estimate of what is left with a fresh count from the database. */
  recount(left: number): void {
    this.#left = Math.max(0, left);
  }

  /** Seconds since the counter started. */
  get seconds(): number {
    return (this.#now() - this.#started) / 1000;
  }

  snapshot(): RotationProgress {
    const seconds = this.seconds;
    const rate = seconds > 0 && this.#done > 0 ? this.#done / seconds : 0;
    const eta = this.#left === 0 ? 0 : rate > 0 ? Math.ceil(this.#left / rate) : null;
    return Object.freeze({
      done: this.#done,
      left: this.#left,
      rowsPerSecond: rate,
      etaSeconds: eta,
      batches: this.#batches,
    });
  }
}

/** Options of {@link progressLine}. */
export interface ProgressLineOptions {
  /** Words before the numbers, such as `rotating public.users`. Default `progress`. */
  label?: string;
  /** Where to write. Default `process.stderr`. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /**
   * Least time between two lines, in milliseconds. Default 100 on a terminal (the line is redrawn in
   * place) and 2000 elsewhere (one line each time, for logs).
   */
  intervalMs?: number;
}

/** What {@link progressLine} returns. */
export interface ProgressLine {
  /** Pass this as `onProgress`. Draws at most once per interval. */
  readonly update: (progress: RotationProgress) => void;
  /** Draws the last state (if any), then ends the line, optionally with a closing message. */
  done(message?: string): void;
}

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `95s` → `1m35s`; `null` → `?`. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * One line of text for a progress snapshot: `label: 12,000 done, 88,000 left, 10,512 rows/s, ETA 9s`.
 * @throws {TypeError} when `progress` is not an object.
 * @example
 * ```ts
 * import { formatProgress } from 'coffer/postgres';
 * formatProgress('rotating', { done: 10, left: 0, rowsPerSecond: 5, etaSeconds: 0, batches: 1 });
 * // 'rotating: 10 done, 0 left, 5 rows/s, ETA 0s'
 * ```
 */
export function formatProgress(label: string, progress: RotationProgress): string {
  const p = plainObject('progress', progress) as unknown as RotationProgress;
  return (
    `${label}: ${integerFormat.format(p.done)} done, ${integerFormat.format(p.left)} left, ` +
    `${integerFormat.format(p.rowsPerSecond)} rows/s, ETA ${formatDuration(p.etaSeconds)}`
  );
}

/**
 * A progress display for the terminal: on a TTY one line redrawn in place, elsewhere a line every few
 * seconds. Meant for the `onProgress` option of {@link rotateTable}, {@link encryptPlaintextColumn} and
 * {@link verifyTable}; it prints counts and rates only, never row data.
 * @throws {TypeError} when an option has the wrong type. @throws {RangeError} when `intervalMs` is negative.
 * @example
 * ```ts
 * import { progressLine, rotateTable } from 'coffer/postgres';
 * const line = progressLine({ label: 'rotating users' });
 * await rotateTable(pool, users, { onProgress: line.update });
 * line.done();
 * ```
 */
export function progressLine(options: ProgressLineOptions = {}): ProgressLine {
  const o = plainObject('options', options) as ProgressLineOptions;
  const label = o.label === undefined ? 'progress' : o.label;
  if (typeof label !== 'string')
    throw new TypeError(`"options.label" must be a string, got ${describeValue(label)}`);
  const stream = o.stream === undefined ? process.stderr : o.stream;
  if (typeof stream !== 'object' || stream === null || typeof stream.write !== 'function') {
    throw new TypeError(`"options.stream" must be a writable stream, got ${describeValue(stream)}`);
  }
  const tty = stream.isTTY === true;
  const interval = o.intervalMs === undefined ? (tty ? 100 : 2000) : o.intervalMs;
  if (typeof interval !== 'number' || Number.isNaN(interval)) {
    throw new TypeError(`"options.intervalMs" must be a number, got ${describeValue(interval)}`);
  }
  if (interval < 0) throw new RangeError(`"options.intervalMs" must be at least 0, got ${interval}`);

  let last: RotationProgress | undefined;
  let drawnAt = Number.NEGATIVE_INFINITY;
  let drawn: RotationProgress | undefined;
  let width = 0;

  const draw = (p: RotationProgress): void => {
    const text = formatProgress(label, p);
    if (tty) {
      // Pad over the previous, possibly longer, line instead of relying on ANSI erase sequences.
      stream.write(`\r${text.padEnd(width)}`);
      width = text.length;
    } else {
      stream.write(`${text}\n`);
    }
    drawn = p;
    drawnAt = performance.now();
  };

  return Object.freeze({
    update(progress: RotationProgress): void {
      last = progress;
      if (performance.now() - drawnAt >= interval) draw(progress);
    },
    done(message?: string): void {
      if (last !== undefined && last !== drawn) draw(last);
      if (tty && width > 0) stream.write('\n');
      if (message !== undefined) stream.write(`${label}: ${message}\n`);
      width = 0;
    },
  });
}
