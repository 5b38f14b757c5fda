/**
 * One small interface over the PostgreSQL clients coffer works with: node-postgres (`pg.Pool`, `pg.Client`,
 * a pool's client) and PGlite (`@electric-sql/pglite`, PostgreSQL compiled to WebAssembly). coffer imports
 * neither: it takes the object you already have and recognizes it by its shape.
 *
 * Two differences are smoothed over: bytes go in as `Buffer` for `pg` and as `Uint8Array` for PGlite, and
 * `bytea` values always come back as plain `Uint8Array`s.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { database } from 'coffer/postgres';
 * const db = database(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await db.transaction(async (tx) => {
 *   await tx.query('UPDATE accounts SET n = n + 1 WHERE id = $1', [42]);
 * });
 * ```
 * @module
 */
import { types } from 'node:util';
import { describeValue } from '../../internal/bytes.ts';

/** What a query returns: the rows (with `bytea` as `Uint8Array`) and how many rows it touched. */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** A database handle: queries, and transactions on one connection. */
export interface Db {
  /**
   * Runs one statement with `$1`-style parameters. `Uint8Array` parameters are sent as `bytea`.
   * Errors are the driver's own (a PostgreSQL error, a closed connection).
   */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /**
   * Runs `fn` in one transaction on one connection: BEGIN, then COMMIT, or ROLLBACK when `fn` throws (the
   * error is rethrown). Nested calls use a savepoint.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Which driver sits underneath. */
  readonly kind: 'pg-pool' | 'pg-client' | 'pglite';
}

// Duck-typed shapes of the drivers: only what we call.
interface RawResult {
  rows?: unknown[];
  rowCount?: number | null;
  affectedRows?: number;
}
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<RawResult>;
}
interface PgPoolLike extends Queryable {
  connect(): Promise<PgClientLike & { release(err?: unknown): void }>;
}
type PgClientLike = Queryable;
interface PGliteLike extends Queryable {
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

const dbs = new WeakSet<object>();

function isFn(o: object, name: string): boolean {
  return typeof (o as Record<string, unknown>)[name] === 'function';
}

// pg sends a Buffer as bytea; a bare Uint8Array would be sent as text by older pg versions. PGlite wants
// Uint8Array (a Buffer is one, so it also works there, but we hand it the plain type).
function toPg(value: unknown): unknown {
  if (types.isUint8Array(value) && !Buffer.isBuffer(value)) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  if (Array.isArray(value)) return value.map(toPg);
  return value;
}

// pg returns bytea as Buffer: hand out plain Uint8Array views (no copy), also inside arrays.
function fromPg(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) return value.map(fromPg);
  return value;
}

function fixRows(rows: unknown[] | undefined, convert: boolean): Record<string, unknown>[] {
  const out = (rows ?? []) as Record<string, unknown>[];
  if (!convert) return out;
  for (const row of out) {
    for (const k of Object.keys(row)) {
      const v = row[k];
      if (typeof v === 'object' && v !== null) row[k] = fromPg(v);
    }
  }
  return out;
}

function sqlText(sql: unknown): string {
  if (typeof sql !== 'string') throw new TypeError(`"sql" must be a string, got ${describeValue(sql)}`);
  return sql;
}

function paramList(params: unknown): unknown[] {
  if (params === undefined) return [];
  if (!Array.isArray(params)) throw new TypeError(`"params" must be an array, got ${describeValue(params)}`);
  return params;
}

function pgQuery(target: Queryable): Db['query'] {
  return async <R>(sql: string, params?: readonly unknown[]) => {
    const result = await target.query(sqlText(sql), paramList(params).map(toPg));
    const rows = fixRows(result.rows, true) as R[];
    return { rows, rowCount: typeof result.rowCount === 'number' ? result.rowCount : rows.length };
  };
}

function pgliteQuery(target: Queryable): Db['query'] {
  return async <R>(sql: string, params?: readonly unknown[]) => {
    const result = await target.query(sqlText(sql), paramList(params));
    const rows = fixRows(result.rows, false) as R[];
    // PGlite reports affectedRows for INSERT/UPDATE/DELETE and 0 for SELECT.
    const affected = typeof result.affectedRows === 'number' ? result.affectedRows : 0;
    return { rows, rowCount: Math.max(affected, rows.length) };
  };
}

let savepoints = 0;

// A transaction already open on one connection: nested transactions become savepoints.
function inTransaction(query: Db['query'], kind: Db['kind']): Db {
  const db: Db = {
    kind,
    query,
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      callback(fn);
      const name = `coffer_sp_${++savepoints}`;
      await query(`SAVEPOINT ${name}`);
      try {
        const out = await fn(db);
        await query(`RELEASE SAVEPOINT ${name}`);
        return out;
      } catch (err) {
        await query(`ROLLBACK TO SAVEPOINT ${name}`);
        throw err;
      }
    },
  };
  dbs.add(db);
  return Object.freeze(db);
}

function callback(fn: unknown): void {
  if (typeof fn !== 'function') throw new TypeError(`"fn" must be a function, got ${describeValue(fn)}`);
}

// BEGIN … COMMIT on one connection. `broken` is called when the connection is left in an unknown state
// (BEGIN, COMMIT or ROLLBACK itself failed), so a pool can drop it instead of reusing it.
async function runOn<T>(
  client: Queryable,
  fn: (tx: Db) => Promise<T>,
  broken?: (err: unknown) => void,
): Promise<T> {
  const query = pgQuery(client);
  const control = async (sql: string): Promise<void> => {
    try {
      await query(sql);
    } catch (err) {
      broken?.(err);
      throw err;
    }
  };
  await control('BEGIN');
  let out: T;
  try {
    out = await fn(inTransaction(query, 'pg-client'));
  } catch (err) {
    await control('ROLLBACK');
    throw err;
  }
  await control('COMMIT');
  return out;
}

function fromPool(pool: PgPoolLike): Db {
  const db: Db = {
    kind: 'pg-pool',
    query: pgQuery(pool),
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      callback(fn);
      const client = await pool.connect();
      let broken: unknown;
      try {
        return await runOn(client, fn, (err) => {
          broken = err;
        });
      } finally {
        client.release(broken);
      }
    },
  };
  return db;
}

function fromClient(client: PgClientLike): Db {
  return {
    kind: 'pg-client',
    query: pgQuery(client),
    transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      callback(fn);
      return runOn(client, fn);
    },
  };
}

function fromPGlite(pglite: PGliteLike): Db {
  return {
    kind: 'pglite',
    query: pgliteQuery(pglite),
    transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      callback(fn);
      return pglite.transaction((tx) => fn(inTransaction(pgliteQuery(tx), 'pglite')));
    },
  };
}

/**
 * Wraps a PostgreSQL client in coffer's {@link Db} interface. Accepts a `pg.Pool`, a `pg.Client` (or a
 * client checked out of a pool; connect it first), a `PGlite` instance, or a `Db` (returned as is).
 *
 * With a pool, each `query` may run on a different connection and `transaction` checks one out for its
 * whole length. With a single client, do not run two `transaction`s at once on it (PostgreSQL has one
 * transaction per connection); use a pool for concurrent work.
 *
 * @throws {TypeError} when `client` is none of these.
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { database } from 'coffer/postgres';
 * const db = database(new PGlite());
 * const { rows } = await db.query<{ n: number }>('SELECT 1 AS n');
 * ```
 */
export function database(client: unknown): Db {
  if (typeof client !== 'object' || client === null) {
    throw new TypeError(
      `"client" must be a pg Pool or Client, or a PGlite instance, got ${describeValue(client)}`,
    );
  }
  if (dbs.has(client)) return client as Db;
  let db: Db | undefined;
  if (isFn(client, 'query')) {
    // PGlite: query + exec + transaction(callback). pg: query + connect; a Pool also counts its clients.
    if (isFn(client, 'exec') && isFn(client, 'transaction')) db = fromPGlite(client as PGliteLike);
    else if (isFn(client, 'connect') && typeof (client as { totalCount?: unknown }).totalCount === 'number')
      db = fromPool(client as PgPoolLike);
    else if (isFn(client, 'connect') || isFn(client, 'release')) db = fromClient(client as PgClientLike);
  }
  if (db === undefined) {
    throw new TypeError(
      `"client" must be a pg Pool or Client, or a PGlite instance, got ${describeValue(client)}`,
    );
  }
  dbs.add(db);
  return Object.freeze(db);
}

/**
 * Quotes an SQL identifier (a schema, table or column name) the way PostgreSQL's `quote_ident` does
 * always: in double quotes, with inner double quotes doubled. coffer never interpolates values into SQL;
 * names go through this.
 * @throws {TypeError} when `name` is not a string, is empty, or holds a NUL character.
 * @throws {RangeError} when it is longer than 63 bytes (PostgreSQL would silently truncate it).
 * @example
 * ```ts
 * import { quoteIdent } from 'coffer/postgres';
 * quoteIdent('users'); // '"users"'
 * ```
 */
export function quoteIdent(name: string): string {
  if (typeof name !== 'string' || name === '' || name.includes('\0')) {
    throw new TypeError(
      `"name" must be a non-empty string without NUL (an SQL identifier), got ${typeof name === 'string' ? 'an invalid string' : describeValue(name)}`,
    );
  }
  const length = Buffer.byteLength(name, 'utf8');
  if (length > 63) throw new RangeError(`"name" must be at most 63 bytes (an SQL identifier), got ${length}`);
  return `"${name.replaceAll('"', '""')}"`;
}
