// RecoveryCodeStore on both backends: the schema and its migration, issue (keyed hashes from the recipe,
// optionally sealed), redeem, replay, remaining, regenerate, reveal, pepper rotation, and an audit trail that
// holds no secret. (Concurrent redemption over many connections: concurrency.test.ts.)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InvalidKey, InvalidToken } from '../../../src/errors.ts';
import {
  type Db,
  database,
  migrate,
  RecoveryCodeStore,
  recoveryCodeSchemaSql,
} from '../../../src/integrations/postgres/index.ts';
import { SecretKey } from '../../../src/keys/secret-key.ts';
import { Keyring } from '../../../src/recipes/keyring.ts';
import { recoveryCodeLookup } from '../../../src/recipes/recovery-codes.ts';
import { freshDatabase, pglite, pgSkip } from '../../helpers/postgres.ts';

async function invalidKey(p: Promise<unknown>): Promise<void> {
  await assert.rejects(p, (err: unknown) => err instanceof InvalidKey && err.message === 'key did not match');
}

const backends = [
  {
    name: 'PGlite',
    skip: false as string | false,
    async open() {
      const lite = await pglite();
      return { db: database(lite), close: () => lite.close() };
    },
  },
  {
    name: 'PostgreSQL',
    get skip() {
      return pgSkip();
    },
    async open() {
      const pool = await freshDatabase();
      return { db: database(pool), close: () => pool.drop() };
    },
  },
];

for (const backend of backends) {
  describe(`RecoveryCodeStore on ${backend.name}`, { skip: backend.skip }, () => {
    let db: Db;
    let close: () => Promise<void>;
    const pepper = Keyring.generate({ label: 'pepper-1' });

    before(async () => {
      ({ db, close } = await backend.open());
      await migrate(db);
    });
    after(async () => close?.());

    test('migrate is idempotent and creates the documented columns', async () => {
      await migrate(db);
      await Promise.all([migrate(db), migrate(db)]);
      const { rows } = await db.query<{ table_name: string; column_name: string; data_type: string }>(
        `SELECT table_name, column_name, data_type FROM information_schema.columns
         WHERE table_name LIKE 'coffer_recovery_code%' ORDER BY table_name, ordinal_position`,
      );
      assert.deepEqual(
        rows.map((r) => `${r.table_name}.${r.column_name}:${r.data_type}`),
        [
          'coffer_recovery_code_events.id:bigint',
          'coffer_recovery_code_events.user_id:text',
          'coffer_recovery_code_events.event:text',
          'coffer_recovery_code_events.key_id:text',
          'coffer_recovery_code_events.at:timestamp with time zone',
          'coffer_recovery_codes.user_id:text',
          'coffer_recovery_codes.key_id:text',
          'coffer_recovery_codes.code_hash:text',
          'coffer_recovery_codes.sealed_code:text',
          'coffer_recovery_codes.created_at:timestamp with time zone',
        ],
      );
    });

    test('issue stores keyed hashes (the recipe’s lookup values), no plaintext, no seal by default', async () => {
      const store = new RecoveryCodeStore(db, { pepper });
      const codes = await store.issue('alice', { count: 8 });
      assert.equal(codes.length, 8);
      const { rows } = await db.query<{ key_id: string; code_hash: string; sealed_code: string | null }>(
        "SELECT key_id, code_hash, sealed_code FROM coffer_recovery_codes WHERE user_id = 'alice'",
      );
      assert.equal(rows.length, 8);
      const stored = new Set(rows.map((r) => `${r.key_id}:${r.code_hash}`));
      for (const code of codes) {
        const [lookup] = recoveryCodeLookup(code, { pepper });
        assert.ok(stored.has(`${lookup!.keyId}:${lookup!.hash}`));
      }
      for (const r of rows) assert.equal(r.sealed_code, null);
      const dump = JSON.stringify(rows);
      for (const code of codes) assert.ok(!dump.includes(code) && !dump.includes(code.replaceAll('-', '')));
      assert.equal(await store.remaining('alice'), 8);
    });

    test('redeem uses a code up; a replay, a wrong code and junk are one InvalidKey', async () => {
      const store = new RecoveryCodeStore(db, { pepper });
      const codes = await store.issue('bob', { count: 3 });
      assert.equal(await store.redeem('bob', ` ${codes[1]!.toLowerCase()} `), 2);
      await invalidKey(store.redeem('bob', codes[1]!));
      await invalidKey(store.redeem('bob', '0000-0000-0000-0000'));
      await invalidKey(store.redeem('bob', 'not a code at all'));
      // Another user's code is not this user's.
      const carol = await store.issue('carol', { count: 1 });
      await invalidKey(store.redeem('bob', carol[0]!));
      assert.equal(await store.remaining('bob'), 2);
      assert.equal(await store.remaining('carol'), 1);
      assert.equal(await store.redeem('bob', codes[0]!), 1);
      assert.equal(await store.redeem('bob', codes[2]!), 0);
      await invalidKey(store.redeem('bob', codes[2]!));
      assert.equal(await store.remaining('nobody'), 0);
    });

    test('the audit trail: one row per event, with no code, hash or sealed value', async () => {
      const store = new RecoveryCodeStore(db, { pepper, sealWith: pepper });
      const codes = await store.issue('dave', { count: 2 });
      await store.redeem('dave', codes[0]!);
      await invalidKey(store.redeem('dave', codes[0]!));
      await store.regenerate('dave', { count: 2 });
      const events = await store.events('dave');
      assert.deepEqual(
        events.map((e) => [e.event, e.keyId]),
        [
          ['issued', pepper.primaryKeyId],
          ['redeemed', pepper.primaryKeyId],
          ['rejected', null],
          ['regenerated', pepper.primaryKeyId],
        ],
      );
      for (const e of events) assert.ok(e.at instanceof Date && !Number.isNaN(e.at.getTime()));
      const { rows } = await db.query("SELECT * FROM coffer_recovery_code_events WHERE user_id = 'dave'");
      const { rows: hashes } = await db.query<{ code_hash: string }>(
        'SELECT code_hash FROM coffer_recovery_codes',
      );
      const dump = JSON.stringify(rows);
      for (const code of codes) assert.ok(!dump.includes(code));
      for (const h of hashes) assert.ok(!dump.includes(h.code_hash));
      assert.deepEqual(Object.keys(rows[0]!).sort(), ['at', 'event', 'id', 'key_id', 'user_id']);
    });

    test('regenerate: the old set stops working at once, the new one works', async () => {
      const store = new RecoveryCodeStore(db, { pepper });
      const old = await store.issue('erin', { count: 5 });
      const fresh = await store.regenerate('erin', { count: 4 });
      assert.equal(await store.remaining('erin'), 4);
      for (const code of old) await invalidKey(store.redeem('erin', code));
      assert.equal(await store.redeem('erin', fresh[0]!), 3);
    });

    test('sealed codes: reveal opens them; a sealed code moved to another user does not open', async () => {
      const sealer = Keyring.generate();
      const store = new RecoveryCodeStore(db, { pepper, sealWith: sealer });
      const codes = await store.issue('frank', { count: 4 });
      assert.deepEqual(await store.reveal('frank'), [...codes].sort());
      await store.redeem('frank', codes[0]!);
      assert.deepEqual(await store.reveal('frank'), codes.slice(1).sort());
      // Move one of frank's sealed codes onto another user's row.
      await store.issue('grace', { count: 1 });
      await db.query(
        `UPDATE coffer_recovery_codes SET sealed_code = (SELECT sealed_code FROM coffer_recovery_codes WHERE user_id = 'frank' LIMIT 1)
         WHERE user_id = 'grace'`,
      );
      await assert.rejects(store.reveal('grace'), InvalidToken);
      const unsealed = new RecoveryCodeStore(db, { pepper });
      await assert.rejects(unsealed.reveal('frank'), TypeError);
    });

    test('the pepper rotates: codes peppered under the old key still redeem; new sets use the new key', async () => {
      const ring = Keyring.generate();
      const store = new RecoveryCodeStore(db, { pepper: ring });
      const old = await store.issue('heidi', { count: 3 });
      const oldId = ring.primaryKeyId;
      ring.rotate();
      assert.equal(await store.redeem('heidi', old[0]!), 2);
      ring.disable(oldId);
      await invalidKey(store.redeem('heidi', old[1]!));
      ring.enable(oldId);
      await store.regenerate('heidi');
      const { rows } = await db.query<{ key_id: string }>(
        "SELECT DISTINCT key_id FROM coffer_recovery_codes WHERE user_id = 'heidi'",
      );
      assert.deepEqual(
        rows.map((r) => r.key_id),
        [ring.primaryKeyId],
      );
      assert.equal(await store.remaining('heidi'), 10);
    });

    test('a SecretKey pepper and custom table names', async () => {
      const tables = { schema: 'mfa', codes: 'codes', events: 'code_events' };
      await migrate(db, tables);
      const key = SecretKey.generate(32, { id: 'pepper-2026' });
      const store = new RecoveryCodeStore(db, { pepper: key, tables });
      const codes = await store.issue('ivan', { count: 2 });
      assert.equal(await store.redeem('ivan', codes[0]!), 1);
      const { rows } = await db.query<{ key_id: string }>('SELECT key_id FROM mfa.codes');
      assert.deepEqual(
        rows.map((r) => r.key_id),
        ['pepper-2026'],
      );
      assert.equal((await db.query('SELECT * FROM mfa.code_events')).rows.length, 2);
    });
  });
}

describe('schema SQL', () => {
  test('names are quoted; the codes table keys (user_id, key_id, code_hash)', () => {
    const sql = recoveryCodeSchemaSql({ schema: 'a"b', codes: 'c' }).join(';\n');
    assert.ok(sql.includes('"a""b"."c"'));
    assert.match(sql, /PRIMARY KEY \(user_id, key_id, code_hash\)/);
    assert.throws(() => recoveryCodeSchemaSql({ codes: 'x', events: 'x' }), TypeError);
  });
});
