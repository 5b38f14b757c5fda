// The key rotation job and verify mode (src/integrations/postgres/rotation.ts) and the progress display
// (progress.ts), on PGlite always and on the real server when COFFER_PG_URL is set. Worker processes
// (SIGKILL, two at once) are in workers.test.ts.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { PGlite } from '@electric-sql/pglite';
import { database } from '../../../src/integrations/postgres/client.ts';
import * as progressModule from '../../../src/integrations/postgres/progress.ts';
import {
  formatProgress,
  ProgressCounter,
  progressLine,
  type RotationProgress,
} from '../../../src/integrations/postgres/progress.ts';
import * as rotationModule from '../../../src/integrations/postgres/rotation.ts';
import { countStale, rotateTable, verifyTable } from '../../../src/integrations/postgres/rotation.ts';
import { keyIdBytes } from '../../../src/integrations/postgres/table.ts';
import { Keyring } from '../../../src/recipes/keyring.ts';
import { hostileInstances, hostileObjects } from '../../helpers/hostile.ts';
import {
  type Arg,
  checkCoverage,
  intParam,
  type Param,
  runTargets,
  type Target,
  type,
  typeCase,
} from '../../helpers/hostile-table.ts';
import { type FreshPool, freshDatabase, pglite, pgSkip } from '../../helpers/postgres.ts';
import { checkUsers, emailOf, fillUsers, phoneOf, USERS_SQL, usersTable } from './fixtures/users.ts';

const ROWS = 230;

// One PGlite for the whole file (starting one is slow): the PGlite suite and the hostile-input table.
const lite: PGlite = await pglite();
after(() => lite.close());

interface Backend {
  name: string;
  skip: string | false;
  open(): Promise<{ db: unknown; close(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'PGlite',
    skip: false,
    async open() {
      return { db: lite, close: async () => {} };
    },
  },
  {
    name: 'PostgreSQL',
    skip: pgSkip(),
    async open() {
      const pool: FreshPool = await freshDatabase();
      return { db: pool, close: () => pool.drop() };
    },
  },
];

for (const backend of backends) {
  describe(`rotation on ${backend.name}`, { skip: backend.skip, timeout: 60_000 }, () => {
    let conn: { db: unknown; close(): Promise<void> };
    before(async () => {
      conn = await backend.open();
    });
    after(() => conn?.close());

    /** A fresh users table of ROWS rows sealed under one key, then a rotated keyring. */
    async function setUp(rows = ROWS): Promise<{ keyring: Keyring; old: string }> {
      const keyring = Keyring.generate();
      const db = database(conn.db);
      await db.query('DROP TABLE IF EXISTS users');
      await db.query(USERS_SQL);
      await fillUsers(db, usersTable(keyring), rows, 100);
      const old = keyring.primaryKeyId;
      keyring.rotate();
      return { keyring, old };
    }

    test('re-seals every row and blind index under the primary key, in batches', async () => {
      const { keyring, old } = await setUp();
      const table = usersTable(keyring);
      assert.equal(await countStale(conn.db, table), ROWS);
      const before = await verifyTable(conn.db, table);
      assert.equal(before.rows, ROWS);
      assert.equal(before.stale, ROWS);
      assert.deepEqual(before.byKeyId, { [old]: ROWS + ROWS - ROWS / 10 });

      const progress: RotationProgress[] = [];
      const seen: string[] = [];
      const report = await rotateTable(conn.db, table, {
        batchSize: 50,
        workerId: 'w1',
        onProgress: (p) => progress.push(p),
        onBatch: (b) => {
          assert.equal(b.workerId, 'w1');
          seen.push(...b.pks);
        },
      });
      assert.equal(report.workerId, 'w1');
      assert.equal(report.rotated, ROWS);
      assert.equal(report.batches, Math.ceil(ROWS / 50));
      assert.equal(report.remaining, 0);
      assert.equal(report.aborted, false);
      assert.deepEqual(report.failures, []);
      assert.deepEqual(
        seen.map(Number).sort((a, b) => a - b),
        Array.from({ length: ROWS }, (_, i) => i + 1),
      );
      assert.equal(progress.length, report.batches);
      assert.deepEqual(
        progress.map((p) => [p.done, p.left, p.batches]),
        progress.map((_, i) => [Math.min(50 * (i + 1), ROWS), Math.max(0, ROWS - 50 * (i + 1)), i + 1]),
      );
      assert.equal(progress.at(-1)!.etaSeconds, 0);

      assert.equal(await countStale(conn.db, table), 0);
      await checkUsers(conn.db, table, ROWS);
      const check = await verifyTable(conn.db, table, { batchSize: 64 });
      assert.deepEqual(check, {
        rows: ROWS,
        byKeyId: { [keyring.primaryKeyId]: ROWS + ROWS - ROWS / 10 },
        stale: 0,
        failed: 0,
        failures: [],
        aborted: false,
      });
      // Blind indexes moved too: the index names the new key, and a lookup under the primary alone works.
      const db = database(conn.db);
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM users WHERE substring(email_idx from 1 for 4) = $1',
        [keyIdBytes(keyring.primaryKeyId)],
      );
      assert.equal(rows[0]!.n, ROWS);
      keyring.retire(old);
      const found = await table.findBy(conn.db, 'email', emailOf(77).toUpperCase());
      assert.equal(found.length, 1);
      assert.equal(String(found[0]!.id), '77');
      // NULL stayed NULL.
      const nulls = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE phone IS NULL');
      assert.equal(nulls.rows[0]!.n, ROWS / 10);
    });

    test('a second run has nothing to do; a stopped run resumes from the table', async () => {
      const { keyring } = await setUp();
      const table = usersTable(keyring);
      const controller = new AbortController();
      const first: string[] = [];
      const stopped = await rotateTable(conn.db, table, {
        batchSize: 40,
        signal: controller.signal,
        onBatch: (b) => {
          first.push(...b.pks);
          if (first.length >= 80) controller.abort();
        },
      });
      assert.equal(stopped.aborted, true);
      assert.equal(stopped.rotated, 80);
      assert.equal(stopped.remaining, ROWS - 80);
      assert.equal(await countStale(conn.db, table), ROWS - 80);

      const second: string[] = [];
      const resumed = await rotateTable(conn.db, table, { onBatch: (b) => second.push(...b.pks) });
      assert.equal(resumed.rotated, ROWS - 80);
      assert.equal(resumed.remaining, 0);
      assert.deepEqual(new Set([...first, ...second]).size, ROWS);
      assert.equal(first.filter((pk) => second.includes(pk)).length, 0);

      const again = await rotateTable(conn.db, table);
      assert.equal(again.rotated, 0);
      assert.equal(again.batches, 0);
      assert.equal(again.remaining, 0);
      await checkUsers(conn.db, table, ROWS);
    });

    test('concurrency: several batches in flight, each row once', async () => {
      const { keyring } = await setUp();
      const table = usersTable(keyring);
      const seen: string[] = [];
      const report = await rotateTable(conn.db, table, {
        batchSize: 20,
        concurrency: 3,
        onBatch: (b) => seen.push(...b.pks),
      });
      assert.equal(report.rotated, ROWS);
      assert.equal(report.remaining, 0);
      assert.equal(seen.length, ROWS);
      assert.equal(new Set(seen).size, ROWS);
      await checkUsers(conn.db, table, ROWS);
    });

    test('rotating twice in a row: the second rotation re-seals everything again', async () => {
      const { keyring } = await setUp(60);
      const table = usersTable(keyring);
      await rotateTable(conn.db, table);
      keyring.rotate();
      assert.equal(await countStale(conn.db, table), 60);
      const report = await rotateTable(conn.db, table, { batchSize: 7 });
      assert.equal(report.rotated, 60);
      await checkUsers(conn.db, table, 60);
      assert.deepEqual(Object.keys((await verifyTable(conn.db, table)).byKeyId), [keyring.primaryKeyId]);
    });

    test('tampered, swapped and moved values are reported as failures and left alone', async () => {
      const { keyring, old } = await setUp(50);
      const table = usersTable(keyring);
      const db = database(conn.db);
      // Row 3: a flipped byte in the phone token. Rows 5 and 6: emails swapped (each a valid token,
      // sealed for the other row). Row 8: its phone copied from row 9. Row 11: an index from row 12.
      // Row 13: email is garbage text. Row 14: its email sealed for column phone (context swap).
      await db.query('UPDATE users SET phone = set_byte(phone, 40, get_byte(phone, 40) # 1) WHERE id = 3');
      await db.query(
        'UPDATE users u SET email = o.email FROM users o WHERE (u.id, o.id) IN ((5, 6), (6, 5))',
      );
      await db.query('UPDATE users u SET phone = o.phone FROM users o WHERE u.id = 8 AND o.id = 9');
      await db.query('UPDATE users u SET email_idx = o.email_idx FROM users o WHERE u.id = 11 AND o.id = 12');
      await db.query("UPDATE users SET email = 'not a token' WHERE id = 13");
      const moved = keyring.seal(emailOf(14), { context: table.context('phone', 14) });
      await db.query('UPDATE users SET email = $1 WHERE id = 14', [moved]);

      const check = await verifyTable(conn.db, table);
      assert.equal(check.rows, 50);
      assert.equal(check.failed, 7);
      assert.deepEqual(
        check.failures.map((f) => [f.pk, f.column, f.error]),
        [
          ['3', 'phone', 'InvalidToken: invalid token'],
          ['5', 'email', 'InvalidToken: invalid token'],
          ['6', 'email', 'InvalidToken: invalid token'],
          ['8', 'phone', 'InvalidToken: invalid token'],
          ['11', 'email_idx', 'the blind index does not match its value'],
          ['13', 'email', 'InvalidToken: invalid token'],
          ['14', 'email', 'InvalidToken: invalid token'],
        ].map(([pk, column, error]) => [pk, column, check.failures.find((f) => f.pk === pk)?.error ?? error]),
      );
      for (const f of check.failures) {
        if (f.column !== 'email_idx') assert.match(f.error, /^InvalidToken: /);
      }
      // Row 14 was sealed under the new primary: not stale, yet it fails.
      assert.equal(check.byKeyId[keyring.primaryKeyId], 1);
      assert.equal(check.byKeyId[old], 50 + 45 - 1 - 1);

      const report = await rotateTable(conn.db, table, { batchSize: 4 });
      // Every row that does not open fails, including 13 and 14, which their stale phones bring in.
      assert.deepEqual(
        [...new Set(report.failures.map((f) => f.pk))].sort((a, b) => Number(a) - Number(b)),
        ['3', '5', '6', '8', '13', '14'],
      );
      // Row 11's index is rebuilt from its value (the value opens).
      assert.equal(report.rotated, 50 - 6);
      assert.equal(report.remaining, 6);
      const after = await verifyTable(conn.db, table);
      assert.deepEqual(
        after.failures.map((f) => f.pk),
        ['3', '5', '6', '8', '13', '14'],
      );
      assert.equal(after.stale, 6);
      // The failing rows kept their stored values.
      const { rows } = await db.query<{ email: string }>('SELECT email FROM users WHERE id = 13');
      assert.equal(rows[0]!.email, 'not a token');
    });

    test('values under a disabled key fail to rotate with KeyDisabled and stay stale', async () => {
      const { keyring, old } = await setUp(20);
      const table = usersTable(keyring);
      keyring.disable(old);
      const report = await rotateTable(conn.db, table, { batchSize: 8 });
      assert.equal(report.rotated, 0);
      assert.equal(report.remaining, 20);
      assert.equal(report.failures.length, 20);
      assert.match(report.failures[0]!.error, /^KeyDisabled: /);
      keyring.enable(old);
      assert.equal((await rotateTable(conn.db, table)).rotated, 20);
      assert.equal(phoneOf(10), null);
    });

    test('the table must match the spec', async () => {
      const db = database(conn.db);
      await db.query('DROP TABLE IF EXISTS users');
      await db.query('CREATE TABLE users (id bigint PRIMARY KEY, email bytea, email_idx bytea, phone bytea)');
      const table = usersTable(Keyring.generate());
      await assert.rejects(rotateTable(conn.db, table), {
        name: 'TypeError',
        message: 'column "email" of "public"."users" is bytea, but its spec says text',
      });
      await db.query('DROP TABLE users');
      await db.query('CREATE TABLE users (id bigint PRIMARY KEY, email text, phone bytea)');
      await assert.rejects(verifyTable(conn.db, table), {
        name: 'TypeError',
        message: 'table "public"."users" has no column "email_idx"',
      });
    });
  });
}

describe('progress', () => {
  test('ProgressCounter: done, left, rate and ETA from an injected clock', () => {
    let now = 1000;
    const c = new ProgressCounter(1000, () => now);
    assert.deepEqual(
      { ...c.snapshot() },
      { done: 0, left: 1000, rowsPerSecond: 0, etaSeconds: null, batches: 0 },
    );
    now += 2000;
    c.batch(300);
    assert.deepEqual(
      { ...c.snapshot() },
      { done: 300, left: 700, rowsPerSecond: 150, etaSeconds: 5, batches: 1 },
    );
    now += 1000;
    c.batch(100);
    c.recount(50);
    assert.deepEqual(
      { ...c.snapshot() },
      { done: 400, left: 50, rowsPerSecond: 400 / 3, etaSeconds: 1, batches: 2 },
    );
    c.batch(900);
    assert.equal(c.snapshot().left, 0);
    assert.equal(c.snapshot().etaSeconds, 0);
  });

  test('formatProgress', () => {
    const p = { done: 12000, left: 88000, rowsPerSecond: 10512.4, etaSeconds: 95, batches: 12 };
    assert.equal(
      formatProgress('rotating', p),
      'rotating: 12,000 done, 88,000 left, 10,512 rows/s, ETA 1m35s',
    );
    assert.equal(
      formatProgress('x', { ...p, etaSeconds: null, rowsPerSecond: 0 }),
      'x: 12,000 done, 88,000 left, 0 rows/s, ETA ?',
    );
    assert.equal(formatProgress('x', { ...p, etaSeconds: 7300 }).endsWith('ETA 2h01m'), true);
  });

  function sink(isTTY: boolean): { stream: Writable & { isTTY: boolean }; text: () => string } {
    let out = '';
    const stream = Object.assign(
      new Writable({
        write(chunk, _enc, done) {
          out += chunk;
          done();
        },
      }),
      { isTTY },
    );
    return { stream, text: () => out };
  }

  const snap = (done: number): RotationProgress => ({
    done,
    left: 10 - done,
    rowsPerSecond: 5,
    etaSeconds: 1,
    batches: done,
  });

  test('progressLine on a terminal redraws one line and ends it', () => {
    const { stream, text } = sink(true);
    const line = progressLine({ label: 'rot', stream, intervalMs: 0 });
    line.update(snap(1));
    line.update(snap(10));
    line.done('finished');
    assert.equal(
      text(),
      '\rrot: 1 done, 9 left, 5 rows/s, ETA 1s\rrot: 10 done, 0 left, 5 rows/s, ETA 1s\nrot: finished\n',
    );
  });

  test('progressLine elsewhere writes whole lines, throttled, and the last state at the end', () => {
    const { stream, text } = sink(false);
    const line = progressLine({ label: 'rot', stream, intervalMs: 60_000 });
    line.update(snap(1));
    line.update(snap(2));
    line.update(snap(3));
    line.done();
    assert.equal(text(), 'rot: 1 done, 9 left, 5 rows/s, ETA 1s\nrot: 3 done, 7 left, 5 rows/s, ETA 1s\n');
  });
});

// The hostile-input table for rotation.ts and progress.ts.
const users = usersTable(Keyring.generate());

const dbArg: Arg = {
  name: 'client',
  valid: () => lite,
  cases: [...hostileInstances, typeCase('an object with query only', { query: async () => ({ rows: [] }) })],
  kind: type,
};
const tableArg: Arg = {
  name: 'table',
  valid: () => users,
  cases: [...hostileInstances, typeCase('a plain spec object', { ...users.spec })],
  kind: type,
};
const fnParam = (name: string): Param => ({
  name,
  cases: [typeCase('a string', 'f'), typeCase('an object', {}), typeCase('null', null)],
  kind: type,
  optional: true,
});
const jobFields = (): Record<string, Param> => ({
  batchSize: {
    ...intParam('options.batchSize', [
      { label: '0', value: 0, kind: 'RangeError' },
      { label: '100001', value: 100_001, kind: 'RangeError' },
    ]),
    optional: true,
  },
  signal: {
    name: 'options.signal',
    cases: [typeCase('an object', { aborted: false }), typeCase('true', true)],
    kind: type,
    optional: true,
  },
  onProgress: fnParam('options.onProgress'),
});
const concurrencyParam: Param = {
  ...intParam('options.concurrency', [
    { label: '0', value: 0, kind: 'RangeError' },
    { label: '17', value: 17, kind: 'RangeError' },
  ]),
  optional: true,
};
const optionsArg = (fields: Record<string, Param>): Arg => ({
  name: 'options',
  valid: () => ({}),
  fields,
  cases: hostileObjects,
  kind: type,
  optional: true,
});

const TARGETS: Target[] = [
  {
    name: 'rotateTable',
    covers: ['rotation:rotateTable'],
    async: true,
    args: [
      dbArg,
      tableArg,
      optionsArg({
        ...jobFields(),
        onBatch: fnParam('options.onBatch'),
        concurrency: concurrencyParam,
        workerId: {
          name: 'options.workerId',
          cases: [typeCase('empty', ''), typeCase('a number', 1), typeCase('null', null)],
          kind: type,
          optional: true,
        },
      }),
    ],
    call: (d, t, o) => rotateTable(d, t as never, o as never),
  },
  {
    name: 'countStale',
    covers: ['rotation:countStale'],
    async: true,
    args: [dbArg, tableArg],
    call: (d, t) => countStale(d, t as never),
  },
  {
    name: 'verifyTable',
    covers: ['rotation:verifyTable'],
    async: true,
    args: [
      dbArg,
      tableArg,
      optionsArg({
        ...jobFields(),
        maxFailures: { ...intParam('options.maxFailures', [], { huge: false }), optional: true },
      }),
    ],
    call: (d, t, o) => verifyTable(d, t as never, o as never),
  },
  {
    name: 'progressLine',
    covers: ['progress:progressLine'],
    args: [
      {
        name: 'options',
        valid: () => ({ stream: new Writable({ write: (_c, _e, done) => done() }) }),
        cases: hostileObjects.filter((c) => c.value !== null),
        kind: type,
        optional: true,
        fields: {
          label: {
            name: 'options.label',
            cases: [typeCase('a number', 1), typeCase('null', null)],
            kind: type,
            optional: true,
          },
          stream: {
            name: 'options.stream',
            cases: [typeCase('a string', 's'), typeCase('{}', {}), typeCase('null', null)],
            kind: type,
            optional: true,
          },
          intervalMs: {
            name: 'options.intervalMs',
            cases: [
              typeCase('a string', '5'),
              typeCase('NaN', Number.NaN),
              { label: '-1', value: -1, kind: 'RangeError' },
            ],
            kind: type,
            optional: true,
          },
        },
      },
    ],
    call: (o) => progressLine(o as never),
  },
  {
    name: 'formatProgress',
    covers: ['progress:formatProgress'],
    args: [
      { name: 'label', valid: () => 'x' },
      {
        name: 'progress',
        valid: () => ({ done: 1, left: 1, rowsPerSecond: 1, etaSeconds: 1, batches: 1 }),
        cases: hostileObjects,
        kind: type,
      },
    ],
    call: (l, p) => formatProgress(l as never, p as never),
  },
];

describe('hostile inputs', () => {
  before(async () => {
    await lite.query('DROP TABLE IF EXISTS users');
    await lite.query(USERS_SQL);
  });
  runTargets(TARGETS);
  checkCoverage(
    { rotation: rotationModule, progress: progressModule },
    TARGETS,
    {
      'rotation:tablePlan': 'internal: shared with migrate.ts, not re-exported by coffer/postgres',
      'rotation:checkTable': 'internal: shared with migrate.ts, not re-exported by coffer/postgres',
      'rotation:jobOptions': 'internal: shared with migrate.ts, not re-exported by coffer/postgres',
      'rotation:failureText': 'internal: shared with migrate.ts, not re-exported by coffer/postgres',
      'rotation:runBatches': 'internal: shared with migrate.ts, not re-exported by coffer/postgres',
      'rotation:checkConcurrency': 'internal: shared with migrate.ts, not re-exported by coffer/postgres',
      'progress:ProgressCounter': 'internal: the jobs build it; not re-exported by coffer/postgres',
      'progress:formatDuration': 'internal: formats a number the jobs computed; not re-exported',
    },
    'test/integrations/postgres/rotation.test.ts',
  );
});
