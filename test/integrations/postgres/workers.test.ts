// Rotation workers as separate processes on the real server (COFFER_PG_URL; see test/helpers/postgres.ts):
// one SIGKILLed part-way through a 20,000-row table and then resumed, and two rotating one table at once.
// Each worker reports the primary keys of every batch it committed; the tests count from those reports.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { countStale, rotateTable, verifyTable } from '../../../src/integrations/postgres/rotation.ts';
import { Keyring } from '../../../src/recipes/keyring.ts';
import { type FreshPool, freshDatabase, pgSkip } from '../../helpers/postgres.ts';
import { checkUsers, fillUsers, USERS_SQL, usersTable } from './fixtures/users.ts';

const ROWS = 20_000;
const WORKER = fileURLToPath(new URL('./fixtures/rotate-worker.ts', import.meta.url));

interface Worker {
  child: ChildProcess;
  /** The pks of each batch the worker reported, in order. */
  batches: string[][];
  ready: Promise<void>;
  /** Resolves after `count` batches have been reported. */
  batchesReached(count: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; report: unknown }>;
}

function startWorker(
  url: string,
  keyringFile: string,
  passphrase: string,
  id: string,
  wait: boolean,
): Worker {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', WORKER, url, keyringFile, '500', id, ...(wait ? ['--wait'] : [])],
    { env: { ...process.env, COFFER_TEST_KEYRING_PASSPHRASE: passphrase }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const batches: string[][] = [];
  let stderr = '';
  let report: unknown;
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const waiters: { count: number; resolve: () => void }[] = [];
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line === 'ready') onReady();
    else if (line.startsWith('batch ')) {
      batches.push(line.slice(6).split(','));
      for (const w of waiters.filter((x) => batches.length >= x.count)) w.resolve();
    } else if (line.startsWith('done ')) report = JSON.parse(line.slice(5));
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; report: unknown }>(
    (resolve) => {
      child.on('exit', (code, signal) => {
        if (code !== 0 && signal === null) process.stderr.write(`worker ${id} failed:\n${stderr}\n`);
        resolve({ code, signal, report });
      });
    },
  );
  return {
    child,
    batches,
    ready: Promise.race([
      ready,
      exited.then(({ code }) => {
        throw new Error(`worker ${id} exited (${code}) before it was ready: ${stderr}`);
      }),
    ]),
    batchesReached: (count) =>
      batches.length >= count
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            waiters.push({ count, resolve });
            void exited.then(() => reject(new Error(`worker ${id} exited after ${batches.length} batches`)));
          }),
    exited,
  };
}

describe('rotation worker processes on PostgreSQL', { skip: pgSkip(), timeout: 120_000 }, () => {
  let db: FreshPool;
  let dir: string;
  const passphrase = randomBytes(12).toString('base64url');

  before(async () => {
    db = await freshDatabase();
    dir = mkdtempSync(join(tmpdir(), 'coffer-workers-'));
  });
  after(async () => {
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh users table of ROWS rows under an old key; returns the rotated keyring and its file. */
  async function setUp(): Promise<{ keyring: Keyring; file: string }> {
    const keyring = Keyring.generate();
    await db.query('DROP TABLE IF EXISTS users');
    await db.query(USERS_SQL);
    await fillUsers(db, usersTable(keyring), ROWS);
    keyring.rotate();
    const file = join(dir, `keyring-${randomBytes(4).toString('hex')}.json`);
    // The minimum scrypt cost the file format allows: the workers unlock it in milliseconds.
    writeFileSync(file, await keyring.save({ passphrase, scrypt: { n: 2 ** 14 } }), { mode: 0o600 });
    return { keyring, file };
  }

  async function waitForBackendsToGo(): Promise<void> {
    // A SIGKILLed client's backend notices the closed socket, rolls back and releases its row locks; wait
    // until only our own pool's connections remain so the resumed run sees every row unlocked.
    for (let i = 0; i < 200; i++) {
      const { rows } = await db.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
      );
      if (rows[0].n === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  test('a worker SIGKILLed part-way loses nothing; a second run finishes the job', async () => {
    const { keyring, file } = await setUp();
    const table = usersTable(keyring);
    assert.equal(await countStale(db, table), ROWS);

    const worker = startWorker(db.url, file, passphrase, 'doomed', false);
    await worker.ready;
    await worker.batchesReached(6);
    worker.child.kill('SIGKILL');
    const { signal } = await worker.exited;
    assert.equal(signal, 'SIGKILL');
    await waitForBackendsToGo();

    const left = await countStale(db, table);
    assert.ok(left > 0 && left < ROWS, `killed part-way: ${left} of ${ROWS} rows still stale`);
    // The batches it reported are committed: none of those rows is stale.
    const reported = worker.batches.flat();
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM users WHERE id = ANY($1::bigint[]) AND ${table.staleSql(2)}`,
      [reported, Buffer.from(keyring.primaryKeyId, 'hex')],
    );
    assert.equal(rows[0].n, 0);
    // Nothing is half-done: every row opens, under either key.
    await checkUsers(db, table, ROWS);

    const resumed = await rotateTable(db, table, { batchSize: 1000 });
    assert.equal(resumed.remaining, 0);
    assert.deepEqual(resumed.failures, []);
    assert.equal(resumed.rotated, left);
    await checkUsers(db, table, ROWS);
    const check = await verifyTable(db, table, { batchSize: 5000 });
    assert.equal(check.rows, ROWS);
    assert.deepEqual(check.failures, []);
    assert.equal(check.stale, 0);
    assert.deepEqual(Object.keys(check.byKeyId), [keyring.primaryKeyId]);
  });

  test('two workers at once: every row rotated exactly once, none missed', async () => {
    const { keyring, file } = await setUp();
    const table = usersTable(keyring);
    const a = startWorker(db.url, file, passphrase, 'a', true);
    const b = startWorker(db.url, file, passphrase, 'b', true);
    await Promise.all([a.ready, b.ready]);
    a.child.stdin!.write('go\n');
    b.child.stdin!.write('go\n');
    const [ra, rb] = await Promise.all([a.exited, b.exited]);
    assert.equal(ra.code, 0);
    assert.equal(rb.code, 0);

    const pa = a.batches.flat();
    const pb = b.batches.flat();
    const all = [...pa, ...pb];
    const distinct = new Set(all);
    assert.equal(all.length, ROWS, `reported ${pa.length} + ${pb.length} rows`);
    assert.equal(distinct.size, ROWS, 'a row was processed twice');
    for (let id = 1; id <= ROWS; id++) assert.ok(distinct.has(String(id)), `row ${id} missed`);
    // Both took part (they start together on a barrier; 20,000 rows is 40 batches).
    assert.ok(pa.length > 0 && pb.length > 0, `a: ${pa.length} rows, b: ${pb.length} rows`);
    assert.equal((ra.report as { rotated: number }).rotated, pa.length);
    assert.equal((rb.report as { rotated: number }).rotated, pb.length);

    assert.equal(await countStale(db, table), 0);
    await checkUsers(db, table, ROWS);
    const check = await verifyTable(db, table, { batchSize: 5000 });
    assert.deepEqual(check.failures, []);
    assert.deepEqual(Object.keys(check.byKeyId), [keyring.primaryKeyId]);
  });
});
