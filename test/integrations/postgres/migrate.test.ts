// The plaintext-to-sealed migration (src/integrations/postgres/migrate.ts), on PGlite always and on the
// real server when COFFER_PG_URL is set.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PGlite } from '@electric-sql/pglite';
import { database } from '../../../src/integrations/postgres/client.ts';
import * as migrateModule from '../../../src/integrations/postgres/migrate.ts';
import { encryptPlaintextColumn } from '../../../src/integrations/postgres/migrate.ts';
import { verifyTable } from '../../../src/integrations/postgres/rotation.ts';
import { Keyring } from '../../../src/recipes/keyring.ts';
import { hostileInstances, hostileObjects, hostileStrings } from '../../helpers/hostile.ts';
import {
  checkCoverage,
  intParam,
  type Param,
  runTargets,
  type Target,
  type,
  typeCase,
} from '../../helpers/hostile-table.ts';
import { type FreshPool, freshDatabase, pglite, pgSkip } from '../../helpers/postgres.ts';
import { checkUsers, emailOf, phoneOf, USERS_SQL, usersTable } from './fixtures/users.ts';

const ROWS = 120;

// One PGlite for the whole file (starting one is slow).
const lite: PGlite = await pglite();
after(() => lite.close());

const backends = [
  {
    name: 'PGlite',
    skip: false as string | false,
    open: async () => ({ db: lite as unknown, close: async () => {} }),
  },
  {
    name: 'PostgreSQL',
    skip: pgSkip(),
    open: async () => {
      const pool: FreshPool = await freshDatabase();
      return { db: pool as unknown, close: () => pool.drop() };
    },
  },
];

/** A users table whose email_plain and phone_plain hold plaintext; the sealed columns are NULL. */
async function plainUsers(db: unknown, rows = ROWS): Promise<void> {
  const d = database(db);
  await d.query('DROP TABLE IF EXISTS users');
  await d.query(USERS_SQL);
  const ids = Array.from({ length: rows }, (_, i) => String(i + 1));
  await d.query(
    'INSERT INTO users (id, email_plain, phone_plain) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bytea[])',
    [ids, ids.map((id) => emailOf(Number(id))), ids.map((id) => phoneOf(Number(id)))],
  );
}

for (const backend of backends) {
  describe(`encryptPlaintextColumn on ${backend.name}`, { skip: backend.skip, timeout: 60_000 }, () => {
    let conn: { db: unknown; close(): Promise<void> };
    before(async () => {
      conn = await backend.open();
    });
    after(() => conn?.close());

    test('seals every plaintext value into its column, with its blind index', async () => {
      await plainUsers(conn.db);
      const keyring = Keyring.generate();
      const table = usersTable(keyring);
      const pks: string[] = [];
      const email = await encryptPlaintextColumn(conn.db, table, {
        from: 'email_plain',
        to: 'email',
        batchSize: 25,
        workerId: 'm1',
        concurrency: 2,
        onBatch: (b) => pks.push(...b.pks),
      });
      assert.equal(email.workerId, 'm1');
      assert.equal(email.encrypted, ROWS);
      // Two batches in flight at once: at least ceil(rows / batch) batches (a pass may end on a partial one).
      assert.ok(email.batches >= Math.ceil(ROWS / 25));
      assert.equal(email.remaining, 0);
      assert.equal(email.dropped, false);
      assert.deepEqual(email.failures, []);
      assert.equal(new Set(pks).size, ROWS);
      // NULL plaintext stays NULL: phone_plain is NULL in every tenth row.
      const phone = await encryptPlaintextColumn(conn.db, table, { from: 'phone_plain', to: 'phone' });
      assert.equal(phone.encrypted, ROWS - ROWS / 10);
      assert.equal(phone.remaining, 0);

      await checkUsers(conn.db, table, ROWS);
      const check = await verifyTable(conn.db, table);
      assert.deepEqual(check.failures, []);
      assert.deepEqual(check.byKeyId, { [keyring.primaryKeyId]: ROWS + ROWS - ROWS / 10 });
      const found = await table.findBy(conn.db, 'email', emailOf(42));
      assert.equal(String(found[0]!.id), '42');
      // The plaintext is still there until asked otherwise.
      const { rows } = await database(conn.db).query<{ n: number }>(
        'SELECT count(*)::int AS n FROM users WHERE email_plain IS NOT NULL',
      );
      assert.equal(rows[0]!.n, ROWS);
    });

    test('resumable: a stopped run leaves sealed rows sealed and the next run does the rest', async () => {
      await plainUsers(conn.db);
      const table = usersTable(Keyring.generate());
      const controller = new AbortController();
      const stopped = await encryptPlaintextColumn(conn.db, table, {
        from: 'email_plain',
        to: 'email',
        batchSize: 30,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.done >= 60) controller.abort();
        },
      });
      assert.equal(stopped.aborted, true);
      assert.equal(stopped.encrypted, 60);
      assert.equal(stopped.remaining, ROWS - 60);
      // A value written meanwhile by the application (already sealed) is not touched.
      const d = database(conn.db);
      const sealed = table.seal('email', 100, emailOf(100));
      await d.query('UPDATE users SET email = $1 WHERE id = 100', [sealed]);
      const rest = await encryptPlaintextColumn(conn.db, table, {
        from: 'email_plain',
        to: 'email',
        clearPlaintext: true,
      });
      assert.equal(rest.encrypted, ROWS - 60 - 1);
      const { rows } = await d.query<{ email: string }>('SELECT email FROM users WHERE id = 100');
      assert.equal(rows[0]!.email, sealed);
      const cleared = await d.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM users WHERE email_plain IS NULL',
      );
      assert.equal(cleared.rows[0]!.n, ROWS - 60 - 1);
      assert.equal(
        (await encryptPlaintextColumn(conn.db, table, { from: 'email_plain', to: 'email' })).encrypted,
        0,
      );
    });

    test('dropPlaintext drops the column once nothing is left; other types seal as text', async () => {
      const d = database(conn.db);
      await d.query('DROP TABLE IF EXISTS users');
      await d.query(`${USERS_SQL.slice(0, -1)}, age integer)`);
      await d.query('INSERT INTO users (id, age) VALUES (1, 37), (2, NULL), (3, -5)');
      const table = usersTable(Keyring.generate());
      const report = await encryptPlaintextColumn(conn.db, table, {
        from: 'age',
        to: 'email',
        dropPlaintext: true,
      });
      assert.equal(report.encrypted, 2);
      assert.equal(report.dropped, true);
      const { rows } = await d.query<{ id: number | string; email: string | null }>(
        'SELECT id, email FROM users ORDER BY id',
      );
      assert.deepEqual(
        rows.map((r) => table.openText('email', r.id as number, r.email)),
        ['37', null, '-5'],
      );
      assert.equal(Object.keys(rows[0]!).includes('age'), false);
      const cols = await d.query(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'age'",
      );
      assert.equal(cols.rows.length, 0);
    });

    test('names are checked against the spec and the table', async () => {
      await plainUsers(conn.db, 3);
      const table = usersTable(Keyring.generate());
      await assert.rejects(
        encryptPlaintextColumn(conn.db, table, { from: 'email_plain', to: 'email_plain' }),
        {
          name: 'TypeError',
          message: '"options.to" must be a sealed column of "public"."users", got "email_plain"',
        },
      );
      await assert.rejects(encryptPlaintextColumn(conn.db, table, { from: 'nope', to: 'email' }), {
        name: 'TypeError',
        message: 'table "public"."users" has no column "nope"',
      });
      for (const from of ['email', 'email_idx', 'id']) {
        await assert.rejects(encryptPlaintextColumn(conn.db, table, { from, to: 'email' }), {
          name: 'TypeError',
          message: `"options.from" must be a plaintext column, got "${from}"`,
        });
      }
    });
  });
}

// The hostile-input table for migrate.ts.
const users = usersTable(Keyring.generate());
const fnParam = (name: string): Param => ({
  name,
  cases: [typeCase('a string', 'f'), typeCase('null', null)],
  kind: type,
  optional: true,
});
const boolParam = (name: string): Param => ({
  name,
  cases: [typeCase('"true"', 'true'), typeCase('1', 1), typeCase('null', null)],
  kind: type,
  optional: true,
});
const TARGETS: Target[] = [
  {
    name: 'encryptPlaintextColumn',
    covers: ['migrate:encryptPlaintextColumn'],
    async: true,
    args: [
      { name: 'client', valid: () => lite, cases: hostileInstances, kind: type },
      {
        name: 'table',
        valid: () => users,
        cases: [...hostileInstances, typeCase('a spec', { ...users.spec })],
        kind: type,
      },
      {
        name: 'options',
        valid: () => ({ from: 'email_plain', to: 'email' }),
        cases: [...hostileObjects, { label: 'undefined', value: undefined }],
        kind: type,
        fields: {
          from: { name: 'options.from', cases: [...hostileStrings, typeCase('empty', '')], kind: type },
          to: {
            name: 'options.to',
            cases: [...hostileStrings, typeCase('empty', ''), typeCase('"phone_plain"', 'phone_plain')],
            kind: type,
          },
          clearPlaintext: boolParam('options.clearPlaintext'),
          dropPlaintext: boolParam('options.dropPlaintext'),
          batchSize: {
            ...intParam('options.batchSize', [{ label: '0', value: 0, kind: 'RangeError' }]),
            optional: true,
          },
          workerId: {
            name: 'options.workerId',
            cases: [typeCase('empty', ''), typeCase('1', 1)],
            kind: type,
            optional: true,
          },
          signal: { name: 'options.signal', cases: [typeCase('{}', {})], kind: type, optional: true },
          onProgress: fnParam('options.onProgress'),
          onBatch: fnParam('options.onBatch'),
          concurrency: {
            ...intParam('options.concurrency', [{ label: '0', value: 0, kind: 'RangeError' }]),
            optional: true,
          },
        },
      },
    ],
    call: (d, t, o) => encryptPlaintextColumn(d, t as never, o as never),
  },
];

describe('hostile inputs', () => {
  before(async () => {
    await plainUsers(lite, 2);
  });
  runTargets(TARGETS);
  checkCoverage({ migrate: migrateModule }, TARGETS, {}, 'test/integrations/postgres/migrate.test.ts');
});
