/**
 * `EncryptedTable`: the columns of one PostgreSQL table that hold sealed values, and how to seal, open
 * and look them up. Each value is a sealed token (docs/sealed-token.md) bound to its place, the context
 * `{ schema, table, column, pk }`: a token copied to another row or column does not open there.
 *
 * - `bytea` columns hold the binary token, `text` columns its unpadded base64url form.
 * - SQL `NULL` stays `NULL`: it is not sealed and opens as `null`.
 * - A column may have a blind index (`bytea`), for equality lookups (see `blind-index.ts`).
 * - The primary key is a single column; its value is bound as text (`String(pk)`: `42`, `42n` and `'42'`
 *   are the same row).
 *
 * @example
 * ```ts
 * import { Keyring } from 'coffer';
 * import { database, EncryptedTable } from 'coffer/postgres';
 * const users = new EncryptedTable(keyring, {
 *   table: 'users',
 *   primaryKey: 'id',
 *   columns: { email: { storage: 'text', blindIndex: { column: 'email_idx', normalize: (s) => s.toLowerCase() } } },
 * });
 * await users.insert(db, { id: 1, name: 'Ada', email: 'ada@example.com' });
 * const [ada] = await users.findBy(db, 'email', 'ADA@example.com'); // { id: 1, name: 'Ada', email: 'ada@example.com' }
 * ```
 * @module
 */
import { inspect } from 'node:util';
import { formatKeyId, parseKeyId } from '../../formats/sealed-token.ts';
import { describeValue, isBytes, plainObject } from '../../internal/bytes.ts';
import { isKeyring, type Keyring, type SealContext } from '../../recipes/keyring.ts';
import {
  BLIND_INDEX_DEFAULT_BYTES,
  BLIND_INDEX_MAX_BYTES,
  BLIND_INDEX_MIN_BYTES,
  blindIndex,
  blindIndexCandidates,
  columnLabel,
} from './blind-index.ts';
import { database, quoteIdent } from './client.ts';

/** A blind index beside a sealed column. */
export interface BlindIndexSpec {
  /** The `bytea` column that holds the index. */
  column: string;
  /** HMAC bytes kept, 8 to 32 (default 16). */
  bytes?: number;
  /**
   * Applied to a string value before indexing and before comparing in `findBy` (for example
   * `s => s.trim().toLowerCase()` for emails). Bytes values are read as UTF-8 first. It must be
   * deterministic; changing it means rebuilding the index.
   */
  normalize?: (value: string) => string;
}

/** One sealed column. */
export interface ColumnSpec {
  /** `bytea` stores the binary token; `text` its base64url form (103 characters more than the value). */
  storage: 'bytea' | 'text';
  /** What the row helpers (`openRow`, `get`, `findBy`) return for it: a string (default) or bytes. */
  value?: 'text' | 'bytes';
  blindIndex?: BlindIndexSpec;
}

/** Which table, its primary key, and its sealed columns. */
export interface TableSpec {
  /** Default `public`. */
  schema?: string;
  table: string;
  /** A single-column primary key. */
  primaryKey: string;
  columns: Record<string, ColumnSpec>;
}

/** A column spec with its defaults filled in. */
export interface ResolvedColumnSpec {
  readonly storage: 'bytea' | 'text';
  readonly value: 'text' | 'bytes';
  readonly blindIndex?: {
    readonly column: string;
    readonly bytes: number;
    readonly normalize?: (value: string) => string;
  };
}

/** A table spec with its defaults filled in (frozen). */
export interface ResolvedTableSpec {
  readonly schema: string;
  readonly table: string;
  readonly primaryKey: string;
  readonly columns: Readonly<Record<string, ResolvedColumnSpec>>;
}

/** A primary key value: a string, a safe integer or a bigint. */
export type PrimaryKey = string | number | bigint;

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function identifier(label: string, value: unknown): string {
  if (typeof value !== 'string')
    throw new TypeError(`"${label}" must be a string, got ${describeValue(value)}`);
  try {
    quoteIdent(value);
  } catch (err) {
    if (err instanceof RangeError) throw new RangeError(`"${label}" must be at most 63 bytes`);
    throw new TypeError(`"${label}" must be a non-empty name without NUL`);
  }
  return value;
}

function resolveSpec(spec: unknown): ResolvedTableSpec {
  const s = plainObject('spec', spec);
  const schema = s.schema === undefined ? 'public' : identifier('spec.schema', s.schema);
  const table = identifier('spec.table', s.table);
  const primaryKey = identifier('spec.primaryKey', s.primaryKey);
  const cols = plainObject('spec.columns', s.columns);
  const names = Object.keys(cols);
  if (names.length === 0) throw new TypeError('"spec.columns" must name at least one sealed column');
  const used = new Map([[primaryKey, 'spec.primaryKey']]);
  const claim = (label: string, name: string): void => {
    const other = used.get(name);
    if (other !== undefined)
      throw new TypeError(`"${other}" and "${label}" both name column ${JSON.stringify(name)}`);
    used.set(name, label);
  };
  const columns: Record<string, ResolvedColumnSpec> = {};
  for (const name of names) {
    const label = `spec.columns.${name}`;
    identifier(label, name);
    claim(label, name);
    const c = plainObject(label, cols[name]);
    if (c.storage !== 'bytea' && c.storage !== 'text') {
      throw new TypeError(`"${label}.storage" must be 'bytea' or 'text', got ${describeValue(c.storage)}`);
    }
    if (c.value !== undefined && c.value !== 'text' && c.value !== 'bytes') {
      throw new TypeError(`"${label}.value" must be 'text' or 'bytes', got ${describeValue(c.value)}`);
    }
    let bi: ResolvedColumnSpec['blindIndex'];
    if (c.blindIndex !== undefined) {
      const b = plainObject(`${label}.blindIndex`, c.blindIndex);
      const column = identifier(`${label}.blindIndex.column`, b.column);
      claim(`${label}.blindIndex.column`, column);
      let bytes = BLIND_INDEX_DEFAULT_BYTES;
      if (b.bytes !== undefined) {
        if (typeof b.bytes !== 'number')
          throw new TypeError(
            `"${label}.blindIndex.bytes" must be an integer, got ${describeValue(b.bytes)}`,
          );
        if (
          !Number.isSafeInteger(b.bytes) ||
          b.bytes < BLIND_INDEX_MIN_BYTES ||
          b.bytes > BLIND_INDEX_MAX_BYTES
        )
          throw new RangeError(
            `"${label}.blindIndex.bytes" must be an integer between ${BLIND_INDEX_MIN_BYTES} and ${BLIND_INDEX_MAX_BYTES}, got ${b.bytes}`,
          );
        bytes = b.bytes;
      }
      if (b.normalize !== undefined && typeof b.normalize !== 'function') {
        throw new TypeError(
          `"${label}.blindIndex.normalize" must be a function, got ${describeValue(b.normalize)}`,
        );
      }
      bi = Object.freeze({
        column,
        bytes,
        ...(b.normalize === undefined ? {} : { normalize: b.normalize as (v: string) => string }),
      });
    }
    columns[name] = Object.freeze({
      storage: c.storage,
      value: c.value ?? 'text',
      ...(bi === undefined ? {} : { blindIndex: bi }),
    });
  }
  // Check the names once here (well-formed Unicode too), so every later call can trust them.
  for (const column of names) columnLabel({ schema, table, column });
  return Object.freeze({ schema, table, primaryKey, columns: Object.freeze(columns) });
}

function pkText(pk: unknown): string {
  if (typeof pk === 'string') return pk;
  if (typeof pk === 'bigint') return pk.toString();
  if (typeof pk === 'number') {
    if (!Number.isSafeInteger(pk))
      throw new RangeError(`"pk" must be a safe integer, got ${Number.isNaN(pk) ? 'NaN' : String(pk)}`);
    return String(pk);
  }
  throw new TypeError(`"pk" must be a string, a number or a bigint, got ${describeValue(pk)}`);
}

/** The 4 bytes of a key id (8 hex digits), for comparing with {@link EncryptedTable.keyIdSql}. */
export function keyIdBytes(id: string): Uint8Array {
  const n = typeof id === 'string' ? parseKeyId(id) : null;
  if (n === null) throw new TypeError('"id" must be a key id: 8 lowercase hex digits');
  return new Uint8Array(Buffer.from(formatKeyId(n), 'hex'));
}

/**
 * The sealed columns of one table, bound to a keyring. Stateless apart from its spec: share one instance.
 *
 * Limits: values up to 256 MiB (the keyring's), a single-column primary key, names up to 63 bytes.
 */
export class EncryptedTable {
  /** The spec, defaults filled in, frozen. */
  readonly spec: ResolvedTableSpec;
  /** The keyring values are sealed with (its primary) and opened with (any enabled key). */
  readonly keyring: Keyring;
  readonly #sqlName: string;

  /**
   * @throws {TypeError} when `keyring` is not a Keyring, or the spec is malformed (a missing name, an
   *   unknown storage, a column named twice). @throws {RangeError} when a name is over 63 bytes or a blind
   *   index size is outside 8..32.
   * @example
   * ```ts
   * import { EncryptedTable } from 'coffer/postgres';
   * const users = new EncryptedTable(keyring, { table: 'users', primaryKey: 'id', columns: { phone: { storage: 'bytea' } } });
   * ```
   */
  constructor(keyring: Keyring, spec: TableSpec) {
    if (!isKeyring(keyring))
      throw new TypeError(`"keyring" must be a Keyring, got ${describeValue(keyring)}`);
    this.keyring = keyring;
    this.spec = resolveSpec(spec);
    this.#sqlName = `${quoteIdent(this.spec.schema)}.${quoteIdent(this.spec.table)}`;
  }

  /** The quoted, schema-qualified table name for SQL: `"public"."users"`. */
  get sqlName(): string {
    return this.#sqlName;
  }

  #column(column: unknown): ResolvedColumnSpec {
    if (typeof column !== 'string')
      throw new TypeError(`"column" must be a string, got ${describeValue(column)}`);
    const c = Object.hasOwn(this.spec.columns, column) ? this.spec.columns[column] : undefined;
    if (c === undefined)
      throw new TypeError(
        `"column" must be a sealed column of ${this.#sqlName}, got ${JSON.stringify(column)}`,
      );
    return c;
  }

  #indexed(column: unknown): NonNullable<ResolvedColumnSpec['blindIndex']> {
    const c = this.#column(column);
    if (c.blindIndex === undefined)
      throw new TypeError(`"column" must be a column with a blind index, got ${JSON.stringify(column)}`);
    return c.blindIndex;
  }

  /**
   * The context a value in `column` of row `pk` is sealed under: `{ schema, table, column, pk }`.
   * @throws {TypeError} for an unknown column or a pk that is not a string, number or bigint.
   * @throws {RangeError} for a number pk that is not a safe integer.
   * @example
   * ```ts
   * users.context('email', 42); // { schema: 'public', table: 'users', column: 'email', pk: '42' }
   * ```
   */
  context(column: string, pk: PrimaryKey): SealContext {
    this.#column(column);
    return { schema: this.spec.schema, table: this.spec.table, column, pk: pkText(pk) };
  }

  /**
   * Seals a value for `column` of row `pk` under the keyring's primary key: a `Uint8Array` for `bytea`
   * columns, a string for `text` columns. `null` stays `null`.
   * @throws {TypeError} for an unknown column, a bad pk, or a value that is not a string, bytes or null.
   * @throws {RangeError} for a value over 256 MiB.
   * @example
   * ```ts
   * await db.query('UPDATE users SET email = $1 WHERE id = $2', [users.seal('email', 42, email), 42]);
   * ```
   */
  seal(column: string, pk: PrimaryKey, value: string | Uint8Array | null): string | Uint8Array | null {
    const c = this.#column(column);
    const context = this.context(column, pk);
    if (value === null) return null;
    if (typeof value !== 'string' && !isBytes(value))
      throw new TypeError(`"value" must be a string, a Uint8Array or null, got ${describeValue(value)}`);
    return c.storage === 'bytea'
      ? this.keyring.sealToBytes(value, { context })
      : this.keyring.seal(value, { context });
  }

  #stored(c: ResolvedColumnSpec, stored: unknown): string | Uint8Array {
    if (c.storage === 'bytea') {
      if (!isBytes(stored))
        throw new TypeError(`"stored" must be a Uint8Array (bytea) or null, got ${describeValue(stored)}`);
    } else if (typeof stored !== 'string') {
      throw new TypeError(`"stored" must be a string (text) or null, got ${describeValue(stored)}`);
    }
    return stored;
  }

  /**
   * Opens a stored value of `column` in row `pk`. `null` opens as `null`.
   * @throws {InvalidToken} when it does not open: tampered, truncated, or sealed for another row, column
   *   or table (one message whatever the cause). @throws {KeyNotFound | KeyDisabled} when its key is
   *   missing from the keyring, disabled or retired.
   * @throws {TypeError} for an unknown column, a bad pk, or a stored value of the wrong type for the
   *   column's storage.
   * @example
   * ```ts
   * const { rows } = await db.query('SELECT phone FROM users WHERE id = $1', [42]);
   * users.open('phone', 42, rows[0].phone); // Uint8Array | null
   * ```
   */
  open(column: string, pk: PrimaryKey, stored: string | Uint8Array | null): Uint8Array | null {
    const c = this.#column(column);
    const context = this.context(column, pk);
    if (stored === null) return null;
    return this.keyring.open(this.#stored(c, stored), { context });
  }

  /**
   * Like `open`, decoding the value as UTF-8.
   * @throws as `open`; {InvalidToken} also when the value is not UTF-8.
   */
  openText(column: string, pk: PrimaryKey, stored: string | Uint8Array | null): string | null {
    const c = this.#column(column);
    const context = this.context(column, pk);
    if (stored === null) return null;
    return this.keyring.openText(this.#stored(c, stored), { context });
  }

  /**
   * Re-seals a stored value under the keyring's primary key, in the same form; `null` stays `null`, and a
   * value already under the primary key comes back unchanged.
   * @throws as `open`.
   */
  reseal(column: string, pk: PrimaryKey, stored: string | Uint8Array | null): string | Uint8Array | null {
    const c = this.#column(column);
    const context = this.context(column, pk);
    if (stored === null) return null;
    return this.keyring.reseal(this.#stored(c, stored), { context });
  }

  #normalized(spec: NonNullable<ResolvedColumnSpec['blindIndex']>, value: unknown): string | Uint8Array {
    if (typeof value !== 'string' && !isBytes(value))
      throw new TypeError(`"value" must be a string or a Uint8Array, got ${describeValue(value)}`);
    if (spec.normalize === undefined) return value;
    let text: string;
    if (typeof value === 'string') text = value;
    else {
      try {
        text = utf8Strict.decode(value);
      } catch {
        throw new TypeError('"value" must be UTF-8 when the blind index normalizes');
      }
    }
    const out = spec.normalize(text);
    if (typeof out !== 'string')
      throw new TypeError(`the blind index's "normalize" must return a string, got ${describeValue(out)}`);
    return out;
  }

  /**
   * The blind index of a plaintext value for `column` (normalized first, if the spec says so), under the
   * primary key: 4 bytes of key id and `bytes` bytes of HMAC, for the index column (`bytea`). `null`
   * gives `null`.
   * @throws {TypeError} for a column without a blind index, or a value that is not a string, bytes or
   *   null.
   */
  blindIndex(column: string, value: string | Uint8Array | null): Uint8Array | null {
    const spec = this.#indexed(column);
    if (value === null) return null;
    const v = this.#normalized(spec, value);
    return blindIndex(this.keyring, this.#where(column), v, { bytes: spec.bytes });
  }

  /**
   * The blind index of `value` under each usable key (primary first), for `WHERE idx = ANY($1)`: rows
   * not yet rotated still match.
   * @throws as `blindIndex` (a `null` value is a TypeError here).
   */
  blindIndexCandidates(column: string, value: string | Uint8Array): Uint8Array[] {
    const spec = this.#indexed(column);
    const v = this.#normalized(spec, value);
    return blindIndexCandidates(this.keyring, this.#where(column), v, { bytes: spec.bytes });
  }

  #where(column: string): { schema: string; table: string; column: string } {
    return { schema: this.spec.schema, table: this.spec.table, column };
  }

  /**
   * An SQL expression giving the 4-byte key id (`bytea`) that a stored value names, for a sealed column
   * or a blind index column: compare it with {@link keyIdBytes}. `NULL` for a `NULL` value (and for a
   * `text` value too short or not base64url to carry a header).
   * @throws {TypeError} when `column` is neither a sealed column nor a blind index column of this table.
   * @example
   * ```ts
   * await db.query(`SELECT count(*) FROM users WHERE ${users.keyIdSql('email')} <> $1`, [keyIdBytes(keyring.primaryKeyId)]);
   * ```
   */
  keyIdSql(column: string): string {
    if (typeof column === 'string') {
      for (const c of Object.values(this.spec.columns)) {
        if (c.blindIndex?.column === column) return `substring(${quoteIdent(column)} from 1 for 4)`;
      }
    }
    const c = this.#column(column);
    const q = quoteIdent(column);
    if (c.storage === 'bytea') return `substring(${q} from 2 for 4)`;
    // The first 8 base64url characters are exactly the first 6 bytes: version and key id.
    return `(CASE WHEN ${q} ~ '^[A-Za-z0-9_-]{8}' THEN substring(decode(translate(left(${q}, 8), '-_', '+/'), 'base64') from 2 for 4) END)`;
  }

  /**
   * An SQL condition true for the rows with any sealed value or blind index not under the key whose id is
   * parameter `$n` (pass `keyIdBytes(keyring.primaryKeyId)`): the rows a rotation still has to do.
   * @throws {RangeError} when `param` is not an integer from 1 to 65535.
   */
  staleSql(param: number): string {
    if (!Number.isSafeInteger(param) || param < 1 || param > 65535)
      throw new RangeError(`"param" must be an integer between 1 and 65535, got ${String(param)}`);
    const parts: string[] = [];
    for (const [name, c] of Object.entries(this.spec.columns)) {
      parts.push(`${this.keyIdSql(name)} <> $${param}`);
      if (c.blindIndex !== undefined) parts.push(`${this.keyIdSql(c.blindIndex.column)} <> $${param}`);
    }
    return `(${parts.join(' OR ')})`;
  }

  /**
   * The stored form of some sealed columns of row `pk`: each value sealed, and each blind index column
   * filled. Columns not named in `values` are left out; other keys of `values` are copied as they are.
   * @throws as `seal` and `blindIndex`.
   */
  sealRow(pk: PrimaryKey, values: Record<string, unknown>): Record<string, unknown> {
    const v = plainObject('values', values);
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(v)) {
      const c = Object.hasOwn(this.spec.columns, name) ? this.spec.columns[name] : undefined;
      if (c === undefined) {
        out[name] = value;
        continue;
      }
      out[name] = this.seal(name, pk, value as string | Uint8Array | null);
      if (c.blindIndex !== undefined)
        out[c.blindIndex.column] = this.blindIndex(name, value as string | Uint8Array | null);
    }
    return out;
  }

  /**
   * Opens the sealed columns present in a row read from the table (the row must hold the primary key):
   * each becomes a string or bytes (per the column's `value`), or `null`. Blind index columns are
   * dropped; other columns are copied.
   * @throws as `open`, and {TypeError} when the row has no primary key value.
   */
  openRow(row: Record<string, unknown>): Record<string, unknown> {
    const r = plainObject('row', row);
    const pk = r[this.spec.primaryKey];
    if (pk === undefined || pk === null)
      throw new TypeError(`"row" must hold the primary key ${JSON.stringify(this.spec.primaryKey)}`);
    const indexes = new Set<string>();
    for (const c of Object.values(this.spec.columns)) if (c.blindIndex) indexes.add(c.blindIndex.column);
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(r)) {
      if (indexes.has(name)) continue;
      const c = Object.hasOwn(this.spec.columns, name) ? this.spec.columns[name] : undefined;
      if (c === undefined) out[name] = value;
      else if (c.value === 'bytes')
        out[name] = this.open(name, pk as PrimaryKey, value as Uint8Array | string | null);
      else out[name] = this.openText(name, pk as PrimaryKey, value as Uint8Array | string | null);
    }
    return out;
  }

  /**
   * Inserts one row: sealed columns are sealed and their blind indexes filled; other columns go in as
   * they are. The row must hold the primary key (its value is the context's `pk`).
   * @throws as `sealRow`; the driver's error when the INSERT fails.
   * @example
   * ```ts
   * await users.insert(db, { id: 42, name: 'Ada', email: 'ada@example.com', phone: null });
   * ```
   */
  async insert(db: unknown, row: Record<string, unknown>): Promise<void> {
    const d = database(db);
    const r = plainObject('row', row);
    const pk = r[this.spec.primaryKey];
    if (pk === undefined || pk === null)
      throw new TypeError(`"row" must hold the primary key ${JSON.stringify(this.spec.primaryKey)}`);
    const stored = this.sealRow(pk as PrimaryKey, r);
    const names = Object.keys(stored);
    const cols = names.map(quoteIdent).join(', ');
    const params = names.map((n) => (n === this.spec.primaryKey ? pkText(stored[n]) : stored[n]));
    const marks = names.map((_, i) => `$${i + 1}`).join(', ');
    await d.query(`INSERT INTO ${this.#sqlName} (${cols}) VALUES (${marks})`, params);
  }

  /**
   * Updates some columns of row `pk` (sealing the sealed ones and refreshing their blind indexes).
   * Returns whether the row exists.
   * @throws as `sealRow`; the driver's error when the UPDATE fails.
   */
  async update(db: unknown, pk: PrimaryKey, values: Record<string, unknown>): Promise<boolean> {
    const d = database(db);
    const stored = this.sealRow(pk, values);
    const names = Object.keys(stored);
    if (names.length === 0) throw new TypeError('"values" must name at least one column');
    const sets = names.map((n, i) => `${quoteIdent(n)} = $${i + 2}`).join(', ');
    const result = await d.query(
      `UPDATE ${this.#sqlName} SET ${sets} WHERE ${quoteIdent(this.spec.primaryKey)} = $1`,
      [pkText(pk), ...names.map((n) => stored[n])],
    );
    return result.rowCount > 0;
  }

  /**
   * Reads row `pk` and opens its sealed columns (see `openRow`), or `null` when there is no such row.
   * @throws as `openRow`.
   */
  async get(db: unknown, pk: PrimaryKey): Promise<Record<string, unknown> | null> {
    const d = database(db);
    const { rows } = await d.query(
      `SELECT * FROM ${this.#sqlName} WHERE ${quoteIdent(this.spec.primaryKey)} = $1`,
      [pkText(pk)],
    );
    return rows.length === 0 ? null : this.openRow(rows[0]!);
  }

  /**
   * Finds the rows whose `column` equals `value` through its blind index, under any usable key (so it
   * works during a rotation), then opens each match and keeps only true matches (a truncated index can
   * collide). Returns the opened rows, at most `limit` (default 100) candidates examined.
   * @throws as `blindIndexCandidates` and `openRow`: a matching row that does not open is an
   *   {InvalidToken}, not a silent miss.
   * @example
   * ```ts
   * const [user] = await users.findBy(db, 'email', 'ada@example.com');
   * ```
   */
  async findBy(
    db: unknown,
    column: string,
    value: string | Uint8Array,
    options: { limit?: number } = {},
  ): Promise<Record<string, unknown>[]> {
    const d = database(db);
    const spec = this.#indexed(column);
    const candidates = this.blindIndexCandidates(column, value);
    const o = plainObject('options', options);
    const limit = o.limit === undefined ? 100 : (o.limit as number);
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new RangeError(`"options.limit" must be a positive integer, got ${String(limit)}`);
    const { rows } = await d.query(
      `SELECT * FROM ${this.#sqlName} WHERE ${quoteIdent(spec.column)} = ANY($1::bytea[]) ORDER BY ${quoteIdent(this.spec.primaryKey)} LIMIT ${limit}`,
      [candidates],
    );
    const want = this.#normalized(spec, value);
    const wantBytes = typeof want === 'string' ? utf8.encode(want) : want;
    const out: Record<string, unknown>[] = [];
    for (const row of rows) {
      const pk = row[this.spec.primaryKey] as PrimaryKey;
      const plain = this.open(column, pk, row[column] as string | Uint8Array | null);
      if (plain === null) continue;
      const got = this.#normalized(spec, plain);
      const gotBytes = typeof got === 'string' ? utf8.encode(got) : got;
      if (Buffer.compare(gotBytes, wantBytes) === 0) out.push(this.openRow(row));
    }
    return out;
  }

  toString(): string {
    return `EncryptedTable(${this.#sqlName}, columns=${Object.keys(this.spec.columns).join(',')})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
