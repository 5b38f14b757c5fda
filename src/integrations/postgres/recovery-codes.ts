/**
 * `RecoveryCodeStore`: the recovery-code workflow on PostgreSQL, on top of the recovery-code recipe
 * (`coffer`'s `regenerateRecoveryCodes` and `recoveryCodeLookup`).
 *
 * - **Storage**: each code is a row `(user_id, key_id, code_hash)`, the hash an HMAC-SHA256 under a key
 *   derived from the pepper (a Keyring or SecretKey kept outside the database). Optionally the code is also
 *   sealed (`sealed_code`), bound to its row, for products that must show codes again.
 * - **Redeem** is one SQL statement: a `DELETE … RETURNING` of the matching row, feeding the audit
 *   `INSERT`. PostgreSQL's row lock makes concurrent redemptions of one code wait for each other; the
 *   first deletes the row, the others then find it gone. Exactly one succeeds, with no read-then-write race.
 * - **Regenerate** replaces the whole set in one transaction (serialized per user by an advisory lock):
 *   when it commits the old codes are gone, all at once.
 * - **Audit**: one event row per issue, regeneration, redemption and rejected attempt; never a secret.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { migrate, RecoveryCodeStore } from 'coffer/postgres';
 * const pool = new pg.Pool();
 * await migrate(pool);
 * const store = new RecoveryCodeStore(pool, { pepper });
 * const codes = await store.issue('user-42'); // show these once
 * await store.redeem('user-42', typed);        // throws InvalidKey when wrong or already used
 * await store.remaining('user-42');            // 9
 * ```
 * @module
 */
import { InvalidKey } from '../../errors.ts';
import { describeValue, integer, plainObject } from '../../internal/bytes.ts';
import { pepperOption } from '../../internal/pepper.ts';
import type { SecretKey } from '../../keys/secret-key.ts';
import { isKeyring, type Keyring, type SealContext } from '../../recipes/keyring.ts';
import {
  MAX_RECOVERY_CODES,
  normalizeRecoveryCode,
  recoveryCodeLookup,
  regenerateRecoveryCodes,
} from '../../recipes/recovery-codes.ts';
import { type Db, database } from './client.ts';
import {
  type RecoveryCodeEvent,
  type RecoveryCodeTables,
  type ResolvedRecoveryCodeTables,
  recoveryCodeTables,
} from './schema.ts';
import { EncryptedTable } from './table.ts';

/** Options of {@link RecoveryCodeStore}. */
export interface RecoveryCodeStoreOptions {
  /** The key (or keyring, to rotate) codes are HMACed under. Keep it outside the database. */
  pepper: Keyring | SecretKey;
  /**
   * Also seal each code (so `reveal` can show the set again), with this keyring or the keyring of this
   * table. Leave unset unless the product must: a sealed code can be recovered by whoever holds the key.
   */
  sealWith?: Keyring | EncryptedTable;
  /** Table names (defaults `public.coffer_recovery_codes` and `public.coffer_recovery_code_events`). */
  tables?: RecoveryCodeTables;
}

/** Longest user id accepted, in characters. */
export const MAX_USER_ID_LENGTH = 1024;

const DEFAULT_COUNT = 10;

function userIdOf(value: unknown): string {
  if (typeof value !== 'string')
    throw new TypeError(`"userId" must be a string, got ${describeValue(value)}`);
  if (value === '' || value.includes('\0'))
    throw new TypeError('"userId" must be a non-empty string without NUL');
  if (value.length > MAX_USER_ID_LENGTH)
    throw new RangeError(`"userId" must be at most ${MAX_USER_ID_LENGTH} characters, got ${value.length}`);
  return value;
}

function countOf(options: unknown): number {
  if (options === undefined) return DEFAULT_COUNT;
  const o = plainObject('options', options);
  return o.count === undefined ? DEFAULT_COUNT : integer('options.count', o.count, 1, MAX_RECOVERY_CODES);
}

/**
 * Recovery codes of many users in PostgreSQL: issue, redeem (atomically), count, regenerate, reveal (when
 * sealed), with an audit trail. Create the tables first with `migrate`.
 */
export class RecoveryCodeStore {
  readonly #db: Db;
  readonly #pepper: Keyring | SecretKey;
  readonly #sealer: Keyring | undefined;
  readonly #t: ResolvedRecoveryCodeTables;

  /**
   * @throws {TypeError} when `db` is not a pg Pool/Client or PGlite, `pepper` is not a Keyring or a
   *   SecretKey with an id, `sealWith` is not a Keyring or EncryptedTable, or a table name is malformed.
   * @throws {RangeError} when a SecretKey pepper is under 32 bytes or a table name over 63 bytes.
   * @example
   * ```ts
   * import { RecoveryCodeStore } from 'coffer/postgres';
   * const store = new RecoveryCodeStore(pool, { pepper, sealWith: keyring });
   * ```
   */
  constructor(db: unknown, options: RecoveryCodeStoreOptions) {
    this.#db = database(db);
    const o = plainObject('options', options);
    this.#pepper = pepperOption('options.pepper', o.pepper);
    if (o.sealWith === undefined) this.#sealer = undefined;
    else if (isKeyring(o.sealWith)) this.#sealer = o.sealWith;
    else if (o.sealWith instanceof EncryptedTable) this.#sealer = o.sealWith.keyring;
    else
      throw new TypeError(
        `"options.sealWith" must be a Keyring or an EncryptedTable, got ${describeValue(o.sealWith)}`,
      );
    this.#t = recoveryCodeTables(o.tables === undefined ? {} : (o.tables as RecoveryCodeTables));
  }

  /** The resolved table names. */
  get tables(): ResolvedRecoveryCodeTables {
    return this.#t;
  }

  // A sealed code is bound to its row: (schema, table, column, user, hash). Copied to another user or
  // next to another hash, it does not open.
  #context(userId: string, hash: string): SealContext {
    return {
      schema: this.#t.schema,
      table: this.#t.codes,
      column: 'sealed_code',
      pk: userId,
      code_hash: hash,
    };
  }

  async #replace(userId: unknown, options: unknown, event: RecoveryCodeEvent): Promise<string[]> {
    const user = userIdOf(userId);
    const count = countOf(options);
    const { codes, stored } = await regenerateRecoveryCodes({ count, pepper: this.#pepper });
    const sealed = codes.map((code, i) =>
      this.#sealer === undefined
        ? null
        : this.#sealer.seal(code, { context: this.#context(user, stored[i]!.hash) }),
    );
    await this.#db.transaction(async (tx) => {
      // One replacement per user at a time: without the lock, two concurrent regenerations could each
      // delete what they saw and both insert, leaving two live sets.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [this.#t.codesSql, user]);
      await tx.query(`DELETE FROM ${this.#t.codesSql} WHERE user_id = $1`, [user]);
      await tx.query(
        `INSERT INTO ${this.#t.codesSql} (user_id, key_id, code_hash, sealed_code)
         SELECT $1, k, h, s FROM unnest($2::text[], $3::text[], $4::text[]) AS u(k, h, s)`,
        [user, stored.map((s) => s.keyId), stored.map((s) => s.hash), sealed],
      );
      await tx.query(`INSERT INTO ${this.#t.eventsSql} (user_id, event, key_id) VALUES ($1, $2, $3)`, [
        user,
        event,
        stored[0]!.keyId,
      ]);
    });
    return codes;
  }

  /**
   * Issues a set of codes for a user (default 10, at most 100) and returns them, to show once. Any set
   * the user had is replaced in the same transaction. Audited as `issued`.
   * @throws {TypeError | RangeError} for a bad user id (a non-empty string of at most 1024 characters) or
   *   count; the driver's error when the transaction fails (then nothing changed).
   * @example
   * ```ts
   * const codes = await store.issue('user-42', { count: 10 });
   * ```
   */
  issue(userId: string, options?: { count?: number }): Promise<string[]> {
    return this.#replace(userId, options, 'issued');
  }

  /**
   * Replaces the user's set with a new one and returns the new codes. The old codes stop working when
   * this returns (they are deleted in the transaction that inserts the new ones). Audited as
   * `regenerated`.
   * @throws as `issue`.
   */
  regenerate(userId: string, options?: { count?: number }): Promise<string[]> {
    return this.#replace(userId, options, 'regenerated');
  }

  /**
   * Uses up a code: deletes it and records a `redeemed` event, in one statement. Of any number of
   * concurrent redemptions of one code, exactly one succeeds. Codes peppered under any usable key of a
   * keyring pepper are accepted (so the pepper can rotate).
   * Returns how many codes the user has left.
   * @throws {InvalidKey} when the code is wrong, already used, or not a recovery code at all (one error,
   *   one message; a `rejected` event is recorded). @throws {TypeError | RangeError} for a bad user id or
   *   a code that is not a string.
   * @example
   * ```ts
   * try {
   *   const left = await store.redeem('user-42', typed);
   * } catch (err) {
   *   if (err instanceof InvalidKey) { ... } // count the failure, lock after a few
   * }
   * ```
   */
  async redeem(userId: string, code: string): Promise<number> {
    const user = userIdOf(userId);
    if (typeof code !== 'string') throw new TypeError(`"code" must be a string, got ${describeValue(code)}`);
    let lookup: { keyId: string | null; hash: string }[];
    try {
      lookup = recoveryCodeLookup(code, { pepper: this.#pepper });
    } catch (err) {
      if (!(err instanceof InvalidKey)) throw err;
      await this.#db.query(`INSERT INTO ${this.#t.eventsSql} (user_id, event) VALUES ($1, 'rejected')`, [
        user,
      ]);
      throw err;
    }
    // One statement: the DELETE takes the row lock; a concurrent redemption of the same code waits, then
    // re-checks the row (READ COMMITTED) and finds it deleted. The event row is written either way.
    // The remaining count reads the statement's snapshot, minus what this statement deleted.
    const { rows } = await this.#db.query<{ event: string; remaining: number }>(
      `WITH used AS (
         DELETE FROM ${this.#t.codesSql}
         WHERE user_id = $1 AND (key_id, code_hash) IN (SELECT * FROM unnest($2::text[], $3::text[]))
         RETURNING key_id
       ), logged AS (
         INSERT INTO ${this.#t.eventsSql} (user_id, event, key_id)
         SELECT $1, CASE WHEN u.key_id IS NULL THEN 'rejected' ELSE 'redeemed' END, u.key_id
         FROM (SELECT 1) AS one LEFT JOIN (SELECT key_id FROM used LIMIT 1) AS u ON true
         RETURNING event
       )
       SELECT (SELECT event FROM logged) AS event,
              ((SELECT count(*) FROM ${this.#t.codesSql} WHERE user_id = $1) - (SELECT count(*) FROM used))::int AS remaining`,
      [user, lookup.map((l) => l.keyId), lookup.map((l) => l.hash)],
    );
    if (rows[0]?.event !== 'redeemed') throw new InvalidKey();
    return Math.max(0, Number(rows[0].remaining));
  }

  /**
   * How many unused codes the user has.
   * @throws {TypeError | RangeError} for a bad user id.
   */
  async remaining(userId: string): Promise<number> {
    const user = userIdOf(userId);
    const { rows } = await this.#db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${this.#t.codesSql} WHERE user_id = $1`,
      [user],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * The user's unused codes, opened from their sealed copies (sorted; only codes issued while `sealWith`
   * was set have one). For products that must show codes again; each call is a disclosure, so audit it.
   * @throws {TypeError} when the store has no `sealWith`, or for a bad user id.
   * @throws {InvalidToken} when a sealed code does not open (tampered, or moved to another row).
   * @throws {KeyNotFound | KeyDisabled} when its key is missing, disabled or retired.
   */
  async reveal(userId: string): Promise<string[]> {
    const user = userIdOf(userId);
    const sealer = this.#sealer;
    if (sealer === undefined)
      throw new TypeError('this RecoveryCodeStore does not seal codes (no "sealWith")');
    const { rows } = await this.#db.query<{ code_hash: string; sealed_code: string }>(
      `SELECT code_hash, sealed_code FROM ${this.#t.codesSql} WHERE user_id = $1 AND sealed_code IS NOT NULL`,
      [user],
    );
    const codes = rows.map((r) =>
      normalizeRecoveryCode(sealer.openText(r.sealed_code, { context: this.#context(user, r.code_hash) })),
    );
    return codes.sort();
  }

  /**
   * The user's audit trail, oldest first: events with their key id and time, never a code or hash.
   * @throws {TypeError | RangeError} for a bad user id or limit (1 to 10000, default 100).
   */
  async events(
    userId: string,
    options: { limit?: number } = {},
  ): Promise<{ event: RecoveryCodeEvent; keyId: string | null; at: Date }[]> {
    const user = userIdOf(userId);
    const o = plainObject('options', options);
    const limit = o.limit === undefined ? 100 : integer('options.limit', o.limit, 1, 10000);
    const { rows } = await this.#db.query<{
      event: RecoveryCodeEvent;
      key_id: string | null;
      at: Date | string;
    }>(`SELECT event, key_id, at FROM ${this.#t.eventsSql} WHERE user_id = $1 ORDER BY id LIMIT ${limit}`, [
      user,
    ]);
    return rows.map((r) => ({ event: r.event, keyId: r.key_id, at: new Date(r.at) }));
  }

  toString(): string {
    return `RecoveryCodeStore(${this.#t.codesSql})`;
  }
}
