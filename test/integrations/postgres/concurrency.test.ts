// Concurrent redemption, the issue's headline guarantee: of many concurrent redemptions of one recovery
// code, each on its own connection to a real PostgreSQL server, exactly one succeeds. Also: redemptions
// racing a regeneration, and two regenerations racing each other, leave exactly one live set. PGlite
// (one connection, statements serialized) runs the same races as a baseline.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { InvalidKey } from '../../../src/errors.ts';
import { database, migrate, RecoveryCodeStore } from '../../../src/integrations/postgres/index.ts';
import { Keyring } from '../../../src/recipes/keyring.ts';
import { type FreshPool, freshDatabase, pglite, pgSkip } from '../../helpers/postgres.ts';

const REDEEMERS = 60;

/** true for a success, false for the opaque InvalidKey; anything else fails the test. */
async function attempt(store: RecoveryCodeStore, user: string, code: string): Promise<boolean> {
  try {
    await store.redeem(user, code);
    return true;
  } catch (err) {
    if (err instanceof InvalidKey) return false;
    throw err;
  }
}

async function eventCounts(db: ReturnType<typeof database>, user: string): Promise<Record<string, number>> {
  const { rows } = await db.query<{ event: string; n: number }>(
    'SELECT event, count(*)::int AS n FROM coffer_recovery_code_events WHERE user_id = $1 GROUP BY event',
    [user],
  );
  return Object.fromEntries(rows.map((r) => [r.event, Number(r.n)]));
}

describe('real PostgreSQL: concurrent redemption over separate connections', { skip: pgSkip() }, () => {
  let pool: FreshPool;
  const clients: pg.Client[] = [];
  const pepper = Keyring.generate();

  before(async () => {
    pool = await freshDatabase({ max: 4 });
    await migrate(pool);
    // One dedicated connection per redeemer, all open before the race starts.
    for (let i = 0; i < REDEEMERS; i++) {
      const c = new pg.Client({ connectionString: pool.url });
      clients.push(c);
    }
    await Promise.all(clients.map((c) => c.connect()));
    const pids = await Promise.all(
      clients.map(async (c) => (await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number),
    );
    assert.equal(new Set(pids).size, REDEEMERS, 'every redeemer has its own server backend');
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await pool?.drop();
  });

  test(`${REDEEMERS} concurrent redemptions of one code: exactly 1 succeeds, the rest get InvalidKey`, async () => {
    const admin = new RecoveryCodeStore(pool, { pepper });
    const codes = await admin.issue('race-1', { count: 10 });
    const stores = clients.map((c) => new RecoveryCodeStore(c, { pepper }));
    // Mixed typings of the same code: they are one code.
    const typed = (i: number) => (i % 2 === 0 ? codes[3]! : codes[3]!.toLowerCase().replaceAll('-', ' '));
    const results = await Promise.all(stores.map((s, i) => attempt(s, 'race-1', typed(i))));
    assert.equal(results.filter(Boolean).length, 1);
    assert.equal(await admin.remaining('race-1'), 9);
    const events = await eventCounts(database(pool), 'race-1');
    assert.deepEqual(events, { issued: 1, redeemed: 1, rejected: REDEEMERS - 1 });
  });

  test('concurrent redemptions of different codes of one user all succeed, each once', async () => {
    const admin = new RecoveryCodeStore(pool, { pepper });
    const codes = await admin.issue('race-2', { count: 20 });
    const stores = clients.map((c) => new RecoveryCodeStore(c, { pepper }));
    // Each code is tried by three connections at once.
    const results = await Promise.all(stores.map((s, i) => attempt(s, 'race-2', codes[i % 20]!)));
    const wins = new Map<number, number>();
    results.forEach((ok, i) => {
      if (ok) wins.set(i % 20, (wins.get(i % 20) ?? 0) + 1);
    });
    assert.equal(wins.size, 20, 'every code was redeemed');
    for (const n of wins.values()) assert.equal(n, 1, 'no code was redeemed twice');
    assert.equal(await admin.remaining('race-2'), 0);
  });

  test('redemptions racing a regeneration: old codes never work after it commits', async () => {
    const admin = new RecoveryCodeStore(pool, { pepper });
    const old = await admin.issue('race-3', { count: 10 });
    const stores = clients.map((c) => new RecoveryCodeStore(c, { pepper }));
    const [fresh, ...results] = await Promise.all([
      admin.regenerate('race-3', { count: 10 }),
      ...stores.map((s, i) => attempt(s, 'race-3', old[i % 10]!)),
    ]);
    // Whatever raced, each old code was redeemed at most once, and none works now.
    const wins = (results as boolean[]).filter(Boolean).length;
    assert.ok(wins <= 10);
    for (const code of old) assert.equal(await attempt(admin, 'race-3', code), false);
    assert.equal(await admin.remaining('race-3'), 10);
    assert.equal(await attempt(admin, 'race-3', (fresh as string[])[0]!), true);
  });

  test('concurrent regenerations leave exactly one live set', async () => {
    const user = 'race-4';
    const stores = clients.slice(0, 8).map((c) => new RecoveryCodeStore(c, { pepper }));
    const sets = await Promise.all(stores.map((s) => s.regenerate(user, { count: 5 })));
    const admin = new RecoveryCodeStore(pool, { pepper });
    assert.equal(await admin.remaining(user), 5);
    const live = [];
    for (const set of sets) if (await attempt(admin, user, set[0]!)) live.push(set);
    assert.equal(live.length, 1, 'one set won; every other set is dead');
  });
});

describe('PGlite: the same races on one embedded connection', () => {
  test('50 concurrent redemptions of one code: exactly 1 succeeds', async () => {
    const lite = await pglite();
    try {
      await migrate(lite);
      const store = new RecoveryCodeStore(lite, { pepper: Keyring.generate() });
      const codes = await store.issue('u', { count: 3 });
      const results = await Promise.all(Array.from({ length: 50 }, () => attempt(store, 'u', codes[1]!)));
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal(await store.remaining('u'), 2);
      assert.deepEqual(await eventCounts(database(lite), 'u'), { issued: 1, redeemed: 1, rejected: 49 });
    } finally {
      await lite.close();
    }
  });
});
