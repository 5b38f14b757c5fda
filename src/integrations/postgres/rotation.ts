/**
 * The key rotation job: re-seal every value of an {@link EncryptedTable} that is still under an old key,
 * and recompute its blind indexes, so the old key can then be retired.
 *
 * - **Batches**, each in its own transaction: `SELECT … FOR UPDATE SKIP LOCKED` a batch of stale rows,
 *   re-seal in the process, one `UPDATE … FROM unnest(…)`, `COMMIT`.
 * - **Resumable**: there is no job state outside the rows. A row is stale when a token header or a blind
 *   index names a key id other than the primary's ({@link countStale} counts them), so a new run simply
 *   continues.
 * - **Kill-safe**: a batch killed at any point (even SIGKILL) rolls back; its rows are still stale and the
 *   next run takes them again. A row is never half-rotated: all its columns change in one UPDATE.
 * - **Several workers** (processes, machines) can run on the same table: `SKIP LOCKED` hands each row to
 *   one of them, and a row already re-sealed no longer matches, so no row is processed twice.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { EncryptedTable, progressLine, rotateTable, verifyTable } from 'coffer/postgres';
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * keyring.rotate(); // a new primary key; the old one stays active for opening
 * const line = progressLine({ label: 'rotating users' });
 * const report = await rotateTable(pool, users, { onProgress: line.update });
 * line.done(`${report.rotated} rows re-sealed, ${report.remaining} left`);
 * const check = await verifyTable(pool, users); // check.byKeyId: only the new key id
 * ```
 * @module
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { CofferError } from '../../errors.ts';
import { describeValue, integer, plainObject } from '../../internal/bytes.ts';
import { type Db, database, quoteIdent } from './client.ts';
import { ProgressCounter, type RotationProgress } from './progress.ts';
import { EncryptedTable, keyIdBytes } from './table.ts';

export type { RotationProgress } from './progress.ts';

/** Rows per batch by default. */
export const DEFAULT_BATCH_SIZE = 1000;
/** Most rows per batch: one transaction holds this many row locks. */
export const MAX_BATCH_SIZE = 100_000;
/** Most batches in flight at once in one process. */
export const MAX_CONCURRENCY = 16;

/** A row a job could not process, and why (an error class and message: never row data). */
export interface RowFailure {
  /** The primary key, as text. */
  readonly pk: string;
  /** The sealed (or blind index) column that failed. */
  readonly column: string;
  /** For example `InvalidToken: invalid token` or `KeyNotFound: …`. */
  readonly error: string;
}

/** One committed batch, as a worker reports it. */
export interface BatchInfo {
  readonly workerId: string;
  /** The primary keys of the rows this batch re-wrote (as text). */
  readonly pks: readonly string[];
}

/** Options of {@link rotateTable}. */
export interface RotationOptions {
  /** Rows per batch (per transaction), 1 to 100,000. Default 1000. */
  batchSize?: number;
  /** A name for this worker in reports. Default `host:pid:random`. */
  workerId?: string;
  /**
   * Batches in flight at once in this process, 1 to 16 (default 1), each on its own connection of a
   * `pg.Pool`: one batch's database work overlaps another's sealing. Above 1 a pool is required.
   */
  concurrency?: number;
  /** Stops the job after the batch in progress commits. */
  signal?: AbortSignal;
  /** Called after each committed batch. */
  onProgress?: (progress: RotationProgress) => void;
  /** Called after each committed batch with the rows it re-wrote (an audit of what this worker did). */
  onBatch?: (batch: BatchInfo) => void;
}

/** What a rotation run did. */
export interface RotationReport {
  readonly workerId: string;
  /** Rows this worker re-wrote. */
  readonly rotated: number;
  /** Batches it committed. */
  readonly batches: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  /**
   * Stale rows in the table when the run ended, counted by the database: rows that failed, rows another
   * worker still holds, or rows written under an old key meanwhile. 0 means the rotation is complete.
   */
  readonly remaining: number;
  /** Rows that did not open (tampered, moved, under a missing key); left as they were. */
  readonly failures: readonly RowFailure[];
  /** True when `signal` stopped the run early. */
  readonly aborted: boolean;
}

// ---------------------------------------------------------------------------------------------------
// Shared by rotation, verify and the plaintext migration (not part of the public surface).

/** A table's layout in SQL terms, checked against the catalog once per run. @internal */
export interface TablePlan {
  readonly rel: string;
  readonly pk: string;
  readonly pkType: string;
  readonly columns: readonly {
    readonly name: string;
    readonly q: string;
    readonly storage: 'bytea' | 'text';
    readonly index?: { readonly name: string; readonly q: string };
  }[];
  /** Every column's SQL type, by name. */
  readonly types: ReadonlyMap<string, string>;
}

const TEXT_TYPES = /^(text|character varying(\(\d+\))?|character(\(\d+\))?|citext)$/;

function storageMatches(storage: 'bytea' | 'text', type: string): boolean {
  return storage === 'bytea' ? type === 'bytea' : TEXT_TYPES.test(type);
}

/**
 * Reads the table's columns from the catalog and checks the spec against them. The primary key's type
 * is spelled by PostgreSQL itself (`format_type`), so casting to it in SQL is safe.
 * @internal
 */
export async function tablePlan(db: Db, table: EncryptedTable): Promise<TablePlan> {
  const { schema, table: name, primaryKey, columns } = table.spec;
  const rel = `${quoteIdent(schema)}.${quoteIdent(name)}`;
  const { rows } = await db.query<{ name: string; type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
     WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
    [rel],
  );
  const types = new Map(rows.map((r) => [r.name, r.type]));
  const need = (column: string): string => {
    const type = types.get(column);
    if (type === undefined) throw new TypeError(`table ${rel} has no column ${JSON.stringify(column)}`);
    return type;
  };
  const pkType = need(primaryKey);
  const planned: TablePlan['columns'][number][] = [];
  for (const [column, spec] of Object.entries(columns)) {
    const type = need(column);
    if (!storageMatches(spec.storage, type)) {
      throw new TypeError(
        `column ${JSON.stringify(column)} of ${rel} is ${type}, but its spec says ${spec.storage}`,
      );
    }
    let index: { name: string; q: string } | undefined;
    if (spec.blindIndex !== undefined) {
      const t = need(spec.blindIndex.column);
      if (t !== 'bytea') {
        throw new TypeError(
          `blind index column ${JSON.stringify(spec.blindIndex.column)} of ${rel} must be bytea, got ${t}`,
        );
      }
      index = { name: spec.blindIndex.column, q: quoteIdent(spec.blindIndex.column) };
    }
    planned.push({ name: column, q: quoteIdent(column), storage: spec.storage, ...(index ? { index } : {}) });
  }
  return { rel, pk: quoteIdent(primaryKey), pkType, columns: planned, types };
}

/** @internal */
export function checkTable(table: unknown): EncryptedTable {
  if (!(table instanceof EncryptedTable)) {
    throw new TypeError(`"table" must be an EncryptedTable, got ${describeValue(table)}`);
  }
  return table;
}

/** Batch size, worker id, signal and callbacks, checked. @internal */
export interface JobOptions {
  batchSize: number;
  concurrency: number;
  workerId: string;
  signal: AbortSignal | undefined;
  onProgress: ((p: RotationProgress) => void) | undefined;
  onBatch: ((b: BatchInfo) => void) | undefined;
}

function callbackOption<T>(name: string, value: unknown): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function')
    throw new TypeError(`"${name}" must be a function, got ${describeValue(value)}`);
  return value as T;
}

/** @internal */
export function jobOptions(options: unknown): JobOptions {
  const o = plainObject('options', options);
  const batchSize =
    o.batchSize === undefined
      ? DEFAULT_BATCH_SIZE
      : integer('options.batchSize', o.batchSize, 1, MAX_BATCH_SIZE);
  const concurrency =
    o.concurrency === undefined ? 1 : integer('options.concurrency', o.concurrency, 1, MAX_CONCURRENCY);
  let workerId: string;
  if (o.workerId === undefined) workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  else if (typeof o.workerId === 'string' && o.workerId !== '') workerId = o.workerId;
  else throw new TypeError(`"options.workerId" must be a non-empty string, got ${describeValue(o.workerId)}`);
  const signal = o.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`"options.signal" must be an AbortSignal, got ${describeValue(signal)}`);
  }
  return {
    batchSize,
    concurrency,
    workerId,
    signal,
    onProgress: callbackOption('options.onProgress', o.onProgress),
    onBatch: callbackOption('options.onBatch', o.onBatch),
  };
}

/** Several batches at once need several connections: a single client has one transaction at a time. @internal */
export function checkConcurrency(db: Db, o: JobOptions): void {
  if (o.concurrency > 1 && db.kind === 'pg-client') {
    throw new TypeError(
      '"options.concurrency" above 1 needs a pg.Pool (a single client runs one transaction at a time)',
    );
  }
}

/** What a failure says: the error's class and message. coffer's messages never hold secrets. @internal */
export function failureText(err: unknown): string {
  if (err instanceof CofferError || err instanceof TypeError || err instanceof RangeError) {
    return `${err.name}: ${err.message}`;
  }
  return 'Error';
}

/** A bytea array parameter: pg takes Buffers, PGlite Uint8Arrays; the client adapter converts. @internal */
export type Column = (string | Uint8Array | null)[];

/**
 * The batched, resumable loop shared by rotation and migration. `select(cursor, exclude)` locks and reads
 * the next batch after `cursor` (the last primary key seen, as text; `null` starts at the beginning) and
 * `write` processes and updates it, both in one transaction; it returns the pks written. A pass ends when
 * a batch comes back empty; the job ends when a pass from the beginning finds nothing to do (rows that
 * another worker held during the previous pass are picked up by that last pass if it let them go).
 * @internal
 */
export async function runBatches(
  db: Db,
  o: JobOptions,
  count: () => Promise<number>,
  batch: (
    tx: Db,
    cursor: string | null,
    exclude: readonly string[],
  ) => Promise<{ seen: string[]; written: string[] }>,
  failed: readonly string[],
): Promise<{
  rotated: number;
  batches: number;
  seconds: number;
  rowsPerSecond: number;
  remaining: number;
  aborted: boolean;
}> {
  const progress = new ProgressCounter(await count());
  let aborted = false;
  let failure: { error: unknown } | undefined;
  // Each loop is one worker of its own (own transactions, own cursor); SKIP LOCKED keeps them apart, as
  // it does separate processes. A failed loop stops the others after their current batch.
  const loop = async (): Promise<void> => {
    let cursor: string | null = null;
    while (failure === undefined) {
      if (o.signal?.aborted) {
        aborted = true;
        return;
      }
      const { seen, written } = await db.transaction((tx) => batch(tx, cursor, failed));
      if (seen.length === 0) {
        if (cursor === null) return;
        cursor = null;
        progress.recount(await count());
        continue;
      }
      cursor = seen[seen.length - 1]!;
      progress.batch(written.length);
      if (written.length > 0) o.onBatch?.({ workerId: o.workerId, pks: written });
      o.onProgress?.(progress.snapshot());
    }
  };
  await Promise.all(
    Array.from({ length: o.concurrency }, () =>
      loop().catch((error: unknown) => {
        failure ??= { error };
      }),
    ),
  );
  if (failure !== undefined) throw failure.error;
  const remaining = await count();
  progress.recount(remaining);
  const p = progress.snapshot();
  return {
    rotated: p.done,
    batches: p.batches,
    seconds: progress.seconds,
    rowsPerSecond: p.rowsPerSecond,
    remaining,
    aborted,
  };
}

// ---------------------------------------------------------------------------------------------------

/**
 * The number of rows with a sealed value or a blind index under a key other than the keyring's primary:
 * what a rotation still has to do, as the database says (a sequential scan: it reads every row).
 * @throws {TypeError} when `db` is not a supported client or `table` not an EncryptedTable; the driver's
 *   error when the query fails (a missing table, say).
 * @example
 * ```ts
 * import { countStale } from 'coffer/postgres';
 * if ((await countStale(pool, users)) === 0) keyring.retire(oldKeyId);
 * ```
 */
export async function countStale(db: unknown, table: EncryptedTable): Promise<number> {
  const d = database(db);
  const t = checkTable(table);
  const { rows } = await d.query<{ n: string | number }>(
    `SELECT count(*)::text AS n FROM ${t.sqlName} WHERE ${t.staleSql(1)}`,
    [keyIdBytes(t.keyring.primaryKeyId)],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Re-seals every value of `table` that is under an old key to the keyring's primary key, and recomputes
 * the blind indexes of those rows, in batches of `batchSize` rows, each its own transaction. Run it after
 * `keyring.rotate()` (every process that writes the table must already seal with the new primary, or
 * rows keep arriving under the old key). Run it again, or in several processes at once, as you like: it
 * resumes from what the database holds. A row that does not open is left as it was and listed in
 * `failures` (the job goes on); run {@link verifyTable} to see every such row.
 *
 * @throws {TypeError} when `db` is not a supported client, `table` not an EncryptedTable, an option has
 *   the wrong type, or the table's columns do not match the spec. @throws {RangeError} when `batchSize`
 *   is outside 1..100,000. The driver's error when a query fails (the batch in progress rolls back).
 * @example
 * ```ts
 * import { rotateTable } from 'coffer/postgres';
 * const report = await rotateTable(pool, users, {
 *   batchSize: 2000,
 *   onProgress: (p) => console.error(`${p.done} done, ${p.left} left, ETA ${p.etaSeconds}s`),
 * });
 * ```
 */
export async function rotateTable(
  db: unknown,
  table: EncryptedTable,
  options: RotationOptions = {},
): Promise<RotationReport> {
  const d = database(db);
  const t = checkTable(table);
  const o = jobOptions(options);
  checkConcurrency(d, o);
  const plan = await tablePlan(d, t);
  const keyring = t.keyring;
  const primaryId = keyIdBytes(keyring.primaryKeyId);
  const primaryText = keyring.primaryKeyId;
  const failures: RowFailure[] = [];
  const failed: string[] = [];

  const selectList = [`${plan.pk}::text AS pk`];
  plan.columns.forEach((c, i) => {
    selectList.push(`${c.q} AS v${i}`);
    if (c.index) selectList.push(`${c.index.q} AS x${i}`);
  });
  // The UPDATE joins on the primary key in its own type, so the primary key index finds each row.
  const unnestTypes = ['text[]'];
  const sets: string[] = [];
  const aliases = ['pk'];
  plan.columns.forEach((c, i) => {
    unnestTypes.push(c.storage === 'bytea' ? 'bytea[]' : 'text[]');
    aliases.push(`v${i}`);
    sets.push(`${c.q} = u.v${i}`);
    if (c.index) {
      unnestTypes.push('bytea[]');
      aliases.push(`x${i}`);
      sets.push(`${c.index.q} = u.x${i}`);
    }
  });
  const updateSql =
    `UPDATE ${plan.rel} AS t SET ${sets.join(', ')} FROM unnest(${unnestTypes.map((ty, i) => `$${i + 1}::${ty}`).join(', ')}) ` +
    `AS u(${aliases.join(', ')}) WHERE t.${plan.pk} = u.pk::${plan.pkType}`;

  const batch = async (tx: Db, cursor: string | null, exclude: readonly string[]) => {
    const params: unknown[] = [primaryId, o.batchSize];
    let where = t.staleSql(1);
    if (cursor !== null) {
      params.push(cursor);
      where += ` AND ${plan.pk} > $${params.length}::${plan.pkType}`;
    }
    if (exclude.length > 0) {
      params.push(exclude);
      where += ` AND ${plan.pk}::text <> ALL($${params.length}::text[])`;
    }
    const { rows } = await tx.query<Record<string, unknown>>(
      `SELECT ${selectList.join(', ')} FROM ${plan.rel} WHERE ${where} ORDER BY ${plan.pk} LIMIT $2 FOR UPDATE SKIP LOCKED`,
      params,
    );
    const seen: string[] = [];
    const written: string[] = [];
    const out: Column[] = [[]];
    for (let k = 1; k < unnestTypes.length; k++) out.push([]);
    const row: (string | Uint8Array | null)[] = [];
    for (const r of rows) {
      const pk = r.pk as string;
      seen.push(pk);
      row.length = 0;
      let ok = true;
      for (let i = 0; i < plan.columns.length && ok; i++) {
        const c = plan.columns[i]!;
        const stored = r[`v${i}`] as string | Uint8Array | null;
        try {
          if (!c.index) {
            row.push(t.reseal(c.name, pk, stored));
          } else if (stored === null) {
            row.push(null, null);
          } else {
            // Open once: the plaintext gives both the new token and the new index.
            const plain = t.open(c.name, pk, stored)!;
            const fresh = keyring.keyIdOf(stored) === primaryText ? stored : t.seal(c.name, pk, plain);
            row.push(fresh, t.blindIndex(c.name, plain));
            plain.fill(0);
          }
        } catch (err) {
          ok = false;
          failures.push(Object.freeze({ pk, column: c.name, error: failureText(err) }));
          failed.push(pk);
        }
      }
      if (!ok) continue;
      written.push(pk);
      out[0]!.push(pk);
      for (let k = 0; k < row.length; k++) out[k + 1]!.push(row[k]!);
    }
    if (written.length > 0) await tx.query(updateSql, out);
    return { seen, written };
  };

  const result = await runBatches(d, o, () => countStale(d, t), batch, failed);
  return Object.freeze({ workerId: o.workerId, ...result, failures: Object.freeze(failures) });
}

/** Options of {@link verifyTable}. */
export interface VerifyOptions {
  /** Rows read per query, 1 to 100,000. Default 1000. */
  batchSize?: number;
  /** Stops after the batch in progress. */
  signal?: AbortSignal;
  /** Called after each batch (`left` counts the rows not yet read). */
  onProgress?: (progress: RotationProgress) => void;
  /** Most failures listed (the count goes on). Default 1000. */
  maxFailures?: number;
}

/** What {@link verifyTable} found. */
export interface VerifyReport {
  /** Rows read. */
  readonly rows: number;
  /** Non-null sealed values per key id (from the token headers): after a rotation, only the primary's. */
  readonly byKeyId: Readonly<Record<string, number>>;
  /** Rows with any value or blind index not under the primary key. */
  readonly stale: number;
  /** Rows with at least one failure. */
  readonly failed: number;
  /** The failures, at most `maxFailures` of them, in primary key order. */
  readonly failures: readonly RowFailure[];
  /** True when `signal` stopped it early. */
  readonly aborted: boolean;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * Opens every sealed value of the table (reading it in primary key order, without locks) and checks each
 * blind index against its value. Reports the number of values under each key id and every row that fails:
 * a value that does not open (tampered, copied from another row or column, under a missing or disabled
 * key) or an index that does not match its value. Read-only.
 * @throws {TypeError | RangeError} on bad arguments, as {@link rotateTable}; the driver's error when a
 *   query fails.
 * @example
 * ```ts
 * import { verifyTable } from 'coffer/postgres';
 * const { rows, byKeyId, failures } = await verifyTable(pool, users);
 * if (failures.length > 0) console.error(failures); // [{ pk: '42', column: 'email', error: 'InvalidToken: …' }]
 * ```
 */
export async function verifyTable(
  db: unknown,
  table: EncryptedTable,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const d = database(db);
  const t = checkTable(table);
  const raw = plainObject('options', options);
  const o = jobOptions({
    batchSize: raw.batchSize,
    signal: raw.signal,
    onProgress: raw.onProgress,
    workerId: 'verify',
  });
  const maxFailures =
    raw.maxFailures === undefined
      ? 1000
      : integer('options.maxFailures', raw.maxFailures, 0, Number.MAX_SAFE_INTEGER);
  const plan = await tablePlan(d, t);
  const primary = t.keyring.primaryKeyId;
  const selectList = [`${plan.pk}::text AS pk`];
  plan.columns.forEach((c, i) => {
    selectList.push(`${c.q} AS v${i}`);
    if (c.index) selectList.push(`${c.index.q} AS x${i}`);
  });
  const total = Number(
    (await d.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${plan.rel}`)).rows[0]?.n ?? 0,
  );
  const progress = new ProgressCounter(total);
  const byKeyId: Record<string, number> = Object.create(null);
  const failures: RowFailure[] = [];
  let rowsRead = 0;
  let stale = 0;
  let failed = 0;
  let cursor: string | null = null;
  let aborted = false;
  for (;;) {
    if (o.signal?.aborted) {
      aborted = true;
      break;
    }
    const params: unknown[] = [o.batchSize];
    if (cursor !== null) params.push(cursor);
    const { rows } = await d.query<Record<string, unknown>>(
      `SELECT ${selectList.join(', ')} FROM ${plan.rel}${cursor === null ? '' : ` WHERE ${plan.pk} > $2::${plan.pkType}`} ORDER BY ${plan.pk} LIMIT $1`,
      params,
    );
    if (rows.length === 0) break;
    for (const r of rows) {
      const pk = r.pk as string;
      let rowFailed = false;
      let rowStale = false;
      const fail = (column: string, error: string): void => {
        rowFailed = true;
        if (failures.length < maxFailures) failures.push(Object.freeze({ pk, column, error }));
      };
      for (let i = 0; i < plan.columns.length; i++) {
        const c = plan.columns[i]!;
        const stored = r[`v${i}`] as string | Uint8Array | null;
        const index = c.index ? (r[`x${i}`] as Uint8Array | null) : undefined;
        if (stored === null) {
          if (index != null) fail(c.index!.name, 'a blind index without a value');
          continue;
        }
        let plain: Uint8Array | null = null;
        try {
          const id = t.keyring.keyIdOf(stored);
          byKeyId[id] = (byKeyId[id] ?? 0) + 1;
          if (id !== primary) rowStale = true;
          plain = t.open(c.name, pk, stored);
        } catch (err) {
          fail(c.name, failureText(err));
          continue;
        }
        if (c.index && plain !== null) {
          try {
            if (index == null) fail(c.index.name, 'a value without its blind index');
            else {
              const candidates = t.blindIndexCandidates(c.name, plain);
              if (!candidates.some((x) => sameBytes(x, index)))
                fail(c.index.name, 'the blind index does not match its value');
              else if (!sameBytes(candidates[0]!, index)) rowStale = true;
            }
          } catch (err) {
            fail(c.index.name, failureText(err));
          }
        }
        plain?.fill(0);
      }
      if (rowFailed) failed++;
      if (rowStale) stale++;
    }
    rowsRead += rows.length;
    cursor = rows[rows.length - 1]!.pk as string;
    progress.batch(rows.length);
    o.onProgress?.(progress.snapshot());
  }
  return Object.freeze({
    rows: rowsRead,
    byKeyId: Object.freeze({ ...byKeyId }),
    stale,
    failed,
    failures: Object.freeze(failures),
    aborted,
  });
}
