/**
 * Moving an existing plaintext column into a sealed one, in the same batched, resumable, kill-safe style
 * as the rotation job: each batch locks rows whose sealed column is still `NULL` while the plaintext
 * column is not (`FOR UPDATE SKIP LOCKED`), seals them (and fills the blind index), and commits. Run it
 * again after a crash, or in several processes at once.
 *
 * The usual sequence: add the sealed column (and its blind index column) as nullable; make the
 * application write both; run {@link encryptPlaintextColumn}; switch reads to the sealed column; stop
 * writing the plaintext; run it once more with `dropPlaintext: true`.
 *
 * @example
 * ```ts
 * import { EncryptedTable, encryptPlaintextColumn } from 'coffer/postgres';
 * const users = new EncryptedTable(keyring, {
 *   table: 'users', primaryKey: 'id',
 *   columns: { email: { storage: 'text', blindIndex: { column: 'email_idx' } } },
 * });
 * const report = await encryptPlaintextColumn(pool, users, { from: 'email_plain', to: 'email' });
 * report.remaining; // 0: every plaintext value has its sealed twin
 * ```
 * @module
 */
import { describeValue, plainObject } from '../../internal/bytes.ts';
import { type Db, database, quoteIdent } from './client.ts';
import type { RotationProgress } from './progress.ts';
import {
  type BatchInfo,
  type Column,
  checkConcurrency,
  checkTable,
  failureText,
  jobOptions,
  type RowFailure,
  runBatches,
  tablePlan,
} from './rotation.ts';
import type { EncryptedTable } from './table.ts';

/** Options of {@link encryptPlaintextColumn}. */
export interface MigrationOptions {
  /** The plaintext column (any type; non-`bytea` values are sealed as their text form). */
  from: string;
  /** The sealed column of the table spec that receives the values. */
  to: string;
  /** Set the plaintext to NULL in the same UPDATE that fills the sealed column. Default false. */
  clearPlaintext?: boolean;
  /**
   * When every row is done, `ALTER TABLE … DROP COLUMN` the plaintext column. Default false. Use it in a
   * final run with no other worker going (their next batch would fail on the missing column). PostgreSQL
   * keeps dropped data in the table's pages until they are rewritten (`VACUUM FULL`).
   */
  dropPlaintext?: boolean;
  /** Rows per batch (per transaction), 1 to 100,000. Default 1000. */
  batchSize?: number;
  /** A name for this worker in reports. Default `host:pid:random`. */
  workerId?: string;
  /** Batches in flight at once on a `pg.Pool`, 1 to 16 (default 1), as for {@link rotateTable}. */
  concurrency?: number;
  /** Stops after the batch in progress commits. */
  signal?: AbortSignal;
  onProgress?: (progress: RotationProgress) => void;
  /** Called after each committed batch with the rows it sealed. */
  onBatch?: (batch: BatchInfo) => void;
}

/** What a migration run did. */
export interface MigrationReport {
  readonly workerId: string;
  /** Rows this worker sealed. */
  readonly encrypted: number;
  readonly batches: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  /** Rows still with plaintext and no sealed value, counted by the database at the end. */
  readonly remaining: number;
  /** Rows that could not be sealed (a value over the size limit); left as they were. */
  readonly failures: readonly RowFailure[];
  /** True when the plaintext column was dropped. */
  readonly dropped: boolean;
  readonly aborted: boolean;
}

function name(label: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`"${label}" must be a non-empty column name, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Seals the values of plaintext column `from` into sealed column `to` (bound to each row's context, with
 * its blind index), for every row where `to` is NULL and `from` is not, in batches of `batchSize`, each
 * its own transaction. Resumable and safe to run in several workers at once, like {@link rotateTable}.
 *
 * @throws {TypeError} when `db` is not a supported client, `table` not an EncryptedTable, `to` not one of
 *   its sealed columns, `from` missing from the table or the same as `to`, or an option of the wrong type.
 *   @throws {RangeError} when `batchSize` is outside 1..100,000. The driver's error when a query fails.
 * @example
 * ```ts
 * import { encryptPlaintextColumn, progressLine } from 'coffer/postgres';
 * const line = progressLine({ label: 'encrypting users.email' });
 * await encryptPlaintextColumn(pool, users, { from: 'email_plain', to: 'email', onProgress: line.update });
 * line.done();
 * ```
 */
export async function encryptPlaintextColumn(
  db: unknown,
  table: EncryptedTable,
  options: MigrationOptions,
): Promise<MigrationReport> {
  const d = database(db);
  const t = checkTable(table);
  const raw = plainObject('options', options);
  const from = name('options.from', raw.from);
  const to = name('options.to', raw.to);
  for (const flag of ['clearPlaintext', 'dropPlaintext'] as const) {
    if (raw[flag] !== undefined && typeof raw[flag] !== 'boolean') {
      throw new TypeError(`"options.${flag}" must be a boolean, got ${describeValue(raw[flag])}`);
    }
  }
  const o = jobOptions({
    batchSize: raw.batchSize,
    concurrency: raw.concurrency,
    workerId: raw.workerId,
    signal: raw.signal,
    onProgress: raw.onProgress,
    onBatch: raw.onBatch,
  });
  if (!Object.hasOwn(t.spec.columns, to)) {
    throw new TypeError(`"options.to" must be a sealed column of ${t.sqlName}, got ${JSON.stringify(to)}`);
  }
  const spec = t.spec.columns[to]!;
  if (from === to || from === t.spec.primaryKey || from === spec.blindIndex?.column) {
    throw new TypeError(`"options.from" must be a plaintext column, got ${JSON.stringify(from)}`);
  }
  checkConcurrency(d, o);
  const plan = await tablePlan(d, t);
  const fromType = plan.types.get(from);
  if (fromType === undefined) throw new TypeError(`table ${plan.rel} has no column ${JSON.stringify(from)}`);
  const qFrom = quoteIdent(from);
  const qTo = quoteIdent(to);
  const qIndex = spec.blindIndex ? quoteIdent(spec.blindIndex.column) : undefined;
  const failures: RowFailure[] = [];
  const failed: string[] = [];

  // bytea stays bytes; anything else is sealed as PostgreSQL's text form of the value.
  const fromExpr = fromType === 'bytea' ? qFrom : `${qFrom}::text`;
  const todo = `${qTo} IS NULL AND ${qFrom} IS NOT NULL`;
  const sets = [`${qTo} = u.v`];
  const types = ['text[]', spec.storage === 'bytea' ? 'bytea[]' : 'text[]'];
  const aliases = ['pk', 'v'];
  if (qIndex) {
    sets.push(`${qIndex} = u.x`);
    types.push('bytea[]');
    aliases.push('x');
  }
  if (raw.clearPlaintext === true) sets.push(`${qFrom} = NULL`);
  const updateSql =
    `UPDATE ${plan.rel} AS t SET ${sets.join(', ')} FROM unnest(${types.map((ty, i) => `$${i + 1}::${ty}`).join(', ')}) ` +
    `AS u(${aliases.join(', ')}) WHERE t.${plan.pk} = u.pk::${plan.pkType}`;

  const count = async (): Promise<number> => {
    const { rows } = await d.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${plan.rel} WHERE ${todo}`,
    );
    return Number(rows[0]?.n ?? 0);
  };

  const batch = async (tx: Db, cursor: string | null, exclude: readonly string[]) => {
    const params: unknown[] = [o.batchSize];
    let where = todo;
    if (cursor !== null) {
      params.push(cursor);
      where += ` AND ${plan.pk} > $${params.length}::${plan.pkType}`;
    }
    if (exclude.length > 0) {
      params.push(exclude);
      where += ` AND ${plan.pk}::text <> ALL($${params.length}::text[])`;
    }
    const { rows } = await tx.query<{ pk: string; v: string | Uint8Array }>(
      `SELECT ${plan.pk}::text AS pk, ${fromExpr} AS v FROM ${plan.rel} WHERE ${where} ORDER BY ${plan.pk} LIMIT $1 FOR UPDATE SKIP LOCKED`,
      params,
    );
    const seen: string[] = [];
    const written: string[] = [];
    const out: Column[] = types.map(() => []);
    for (const r of rows) {
      seen.push(r.pk);
      let sealed: string | Uint8Array | null;
      let index: Uint8Array | null = null;
      try {
        sealed = t.seal(to, r.pk, r.v);
        if (qIndex) index = t.blindIndex(to, r.v);
      } catch (err) {
        failures.push(Object.freeze({ pk: r.pk, column: to, error: failureText(err) }));
        failed.push(r.pk);
        continue;
      }
      written.push(r.pk);
      out[0]!.push(r.pk);
      out[1]!.push(sealed);
      if (qIndex) out[2]!.push(index);
    }
    if (written.length > 0) await tx.query(updateSql, out);
    return { seen, written };
  };

  const result = await runBatches(d, o, count, batch, failed);
  let dropped = false;
  if (raw.dropPlaintext === true && !result.aborted && result.remaining === 0) {
    await d.query(`ALTER TABLE ${plan.rel} DROP COLUMN IF EXISTS ${qFrom}`);
    dropped = true;
  }
  const { rotated, ...rest } = result;
  return Object.freeze({
    workerId: o.workerId,
    encrypted: rotated,
    ...rest,
    failures: Object.freeze(failures),
    dropped,
  });
}
