/**
 * The SQL schema of the recovery-codes workflow (docs/postgres.md, "Schema"), and `migrate` to apply it.
 *
 * Two tables, names configurable:
 * - `coffer_recovery_codes`: one row per unused code, `(user_id, key_id, code_hash)` the primary key. The
 *   hash is the code's HMAC under the pepper key `key_id`; `sealed_code` the code itself, sealed, only when
 *   the product must show codes again.
 * - `coffer_recovery_code_events`: the audit trail, one row per issue, regeneration, redemption and
 *   rejected attempt. It holds no code, no hash and no sealed value: only who, what, which key and when.
 *
 * @example
 * ```ts
 * import { database, migrate } from 'coffer/postgres';
 * await migrate(database(pool)); // safe to run on every start
 * ```
 * @module
 */
import { describeValue, plainObject } from '../../internal/bytes.ts';
import { database, quoteIdent } from './client.ts';

/** Where the recovery-code tables live. */
export interface RecoveryCodeTables {
  /** Default `public`. */
  schema?: string;
  /** Default `coffer_recovery_codes`. */
  codes?: string;
  /** Default `coffer_recovery_code_events`. */
  events?: string;
}

/** The table names, resolved and quoted for SQL. */
export interface ResolvedRecoveryCodeTables {
  readonly schema: string;
  readonly codes: string;
  readonly events: string;
  /** `"schema"."codes"`. */
  readonly codesSql: string;
  /** `"schema"."events"`. */
  readonly eventsSql: string;
}

/** The default table names. */
export const DEFAULT_RECOVERY_CODE_TABLES = Object.freeze({
  schema: 'public',
  codes: 'coffer_recovery_codes',
  events: 'coffer_recovery_code_events',
});

/** The audit events. */
export type RecoveryCodeEvent = 'issued' | 'redeemed' | 'regenerated' | 'rejected';

function name(label: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
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

/**
 * Resolves table names (defaults filled in) and their quoted SQL forms.
 * @throws {TypeError} when a name is not a non-empty string or the two tables share a name.
 * @throws {RangeError} when a name is over 63 bytes (PostgreSQL would truncate it).
 */
export function recoveryCodeTables(tables: RecoveryCodeTables = {}): ResolvedRecoveryCodeTables {
  const t = plainObject('tables', tables);
  const schema = name('tables.schema', t.schema, DEFAULT_RECOVERY_CODE_TABLES.schema);
  const codes = name('tables.codes', t.codes, DEFAULT_RECOVERY_CODE_TABLES.codes);
  const events = name('tables.events', t.events, DEFAULT_RECOVERY_CODE_TABLES.events);
  if (codes === events) throw new TypeError('"tables.codes" and "tables.events" must differ');
  // Index names are derived from the table names; keep them within PostgreSQL's 63 bytes too.
  name('tables.events', `${events}_user_at`, '');
  return Object.freeze({
    schema,
    codes,
    events,
    codesSql: `${quoteIdent(schema)}.${quoteIdent(codes)}`,
    eventsSql: `${quoteIdent(schema)}.${quoteIdent(events)}`,
  });
}

/**
 * The statements that create the recovery-code tables (each `IF NOT EXISTS`, so they can run again).
 * @throws as {@link recoveryCodeTables}.
 * @example
 * ```ts
 * import { recoveryCodeSchemaSql } from 'coffer/postgres';
 * console.log(recoveryCodeSchemaSql().join(';\n')); // for a migration tool of your own
 * ```
 */
export function recoveryCodeSchemaSql(tables: RecoveryCodeTables = {}): string[] {
  const t = recoveryCodeTables(tables);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(t.schema)}`,
    `CREATE TABLE IF NOT EXISTS ${t.codesSql} (
  user_id     text        NOT NULL,
  key_id      text        NOT NULL,
  code_hash   text        NOT NULL,
  sealed_code text        NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key_id, code_hash)
)`,
    `CREATE TABLE IF NOT EXISTS ${t.eventsSql} (
  id      bigserial   PRIMARY KEY,
  user_id text        NOT NULL,
  event   text        NOT NULL CHECK (event IN ('issued', 'redeemed', 'regenerated', 'rejected')),
  key_id  text        NULL,
  at      timestamptz NOT NULL DEFAULT now()
)`,
    `CREATE INDEX IF NOT EXISTS ${quoteIdent(`${t.events}_user_at`)} ON ${t.eventsSql} (user_id, at)`,
  ];
}

/**
 * Creates the recovery-code tables if they are missing, in one transaction. Idempotent, and safe when
 * several processes start at once (a transaction-scoped advisory lock serializes them).
 * @throws {TypeError | RangeError} as {@link recoveryCodeTables}, or when `db` is not a client;
 *   the driver's error when a statement fails (for example, no CREATE privilege).
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { migrate } from 'coffer/postgres';
 * await migrate(new PGlite(), { codes: 'mfa_recovery_codes' });
 * ```
 */
export async function migrate(db: unknown, tables: RecoveryCodeTables = {}): Promise<void> {
  const d = database(db);
  const statements = recoveryCodeSchemaSql(tables);
  await d.transaction(async (tx) => {
    // Two concurrent CREATE TABLE IF NOT EXISTS can both pass the check and one then fails on the catalog's
    // unique index: take a lock first.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('coffer/v1/migrate'))`);
    for (const sql of statements) await tx.query(sql);
  });
}
