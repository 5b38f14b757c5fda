/**
 * `coffer/postgres`: field encryption for PostgreSQL with `pg` or PGlite. Sealed columns bound to their
 * row and column, blind indexes for equality lookups, recovery codes stored as keyed hashes with atomic
 * redemption, and a batched, resumable key rotation job. See docs/postgres.md.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { Keyring } from 'coffer';
 * import { database, EncryptedTable, RecoveryCodeStore, migrate } from 'coffer/postgres';
 * const db = database(new PGlite());
 * await migrate(db);
 * const codes = new RecoveryCodeStore(db, { pepper: Keyring.generate() });
 * const set = await codes.issue('user-1', { count: 10 }); // show once
 * await codes.redeem('user-1', set[0]!); // codes left (9); the same code again throws InvalidKey
 * ```
 * @module
 */
export {
  BLIND_INDEX_DEFAULT_BYTES,
  BLIND_INDEX_KEY_ID_BYTES,
  BLIND_INDEX_MAX_BYTES,
  BLIND_INDEX_MIN_BYTES,
  type BlindIndexColumn,
  type BlindIndexOptions,
  blindIndex,
  blindIndexCandidates,
  blindIndexKeyId,
} from './blind-index.ts';
export { type Db, database, type QueryResult, quoteIdent } from './client.ts';
// rotation
export { encryptPlaintextColumn, type MigrationOptions, type MigrationReport } from './migrate.ts';
export {
  formatProgress,
  type ProgressLine,
  type ProgressLineOptions,
  progressLine,
  type RotationProgress,
} from './progress.ts';
export {
  MAX_USER_ID_LENGTH,
  RecoveryCodeStore,
  type RecoveryCodeStoreOptions,
} from './recovery-codes.ts';
export {
  type BatchInfo,
  countStale,
  DEFAULT_BATCH_SIZE,
  MAX_BATCH_SIZE,
  MAX_CONCURRENCY,
  type RotationOptions,
  type RotationReport,
  type RowFailure,
  rotateTable,
  type VerifyOptions,
  type VerifyReport,
  verifyTable,
} from './rotation.ts';
export {
  DEFAULT_RECOVERY_CODE_TABLES,
  migrate,
  type RecoveryCodeEvent,
  type RecoveryCodeTables,
  type ResolvedRecoveryCodeTables,
  recoveryCodeSchemaSql,
  recoveryCodeTables,
} from './schema.ts';
export {
  type BlindIndexSpec,
  type ColumnSpec,
  EncryptedTable,
  keyIdBytes,
  type PrimaryKey,
  type ResolvedColumnSpec,
  type ResolvedTableSpec,
  type TableSpec,
} from './table.ts';
