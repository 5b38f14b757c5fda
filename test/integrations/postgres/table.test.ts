// EncryptedTable on both backends (PGlite always, the real server when COFFER_PG_URL is set): bytea and text
// storage, NULL stays NULL, the context binds (schema, table, column, pk) so swapped ciphertexts fail, tampered
// ones fail, blind-index lookups survive a key rotation, and the key-id SQL agrees with the token headers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { InvalidToken, KeyDisabled } from '../../../src/errors.ts';
import {
  blindIndexKeyId,
  type Db,
  database,
  EncryptedTable,
  keyIdBytes,
  quoteIdent,
} from '../../../src/integrations/postgres/index.ts';
import { Keyring } from '../../../src/recipes/keyring.ts';
import { freshDatabase, pglite, pgSkip } from '../../helpers/postgres.ts';

const SPEC = {
  table: 'people',
  primaryKey: 'id',
  columns: {
    email: {
      storage: 'text' as const,
      blindIndex: { column: 'email_idx', normalize: (s: string) => s.trim().toLowerCase() },
    },
    nickname: { storage: 'text' as const },
    phone: { storage: 'bytea' as const },
    photo: { storage: 'bytea' as const, value: 'bytes' as const },
  },
};

const DDL = `CREATE TABLE people (
  id bigint PRIMARY KEY, name text, email text, email_idx bytea, nickname text, phone bytea, photo bytea)`;

async function invalidToken(fn: () => unknown): Promise<void> {
  await assert.rejects(
    async () => fn(),
    (err: unknown) => err instanceof InvalidToken && err.message === 'token is invalid',
  );
}

interface Backend {
  name: string;
  skip: string | false;
  open(): Promise<{ db: Db; close(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'PGlite',
    skip: false,
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
  describe(`EncryptedTable on ${backend.name}`, { skip: backend.skip }, () => {
    let db: Db;
    let close: () => Promise<void>;
    const keyring = Keyring.generate({ label: 'people-1' });
    const people = new EncryptedTable(keyring, SPEC);

    before(async () => {
      ({ db, close } = await backend.open());
      await db.query(DDL);
      await db.query('CREATE SCHEMA other');
      await db.query(DDL.replace('people', 'other.people'));
      await people.insert(db, {
        id: 1,
        name: 'Ada',
        email: 'ada@example.com',
        nickname: 'countess',
        phone: '+44 20 7946 0001',
        photo: new Uint8Array([0, 1, 2, 255]),
      });
      await people.insert(db, { id: 2, name: 'Bob', email: 'Bob@Example.com', nickname: null, phone: null });
      await people.insert(db, { id: 3n, name: 'Cy', email: 'cy@example.com', nickname: 'cy', phone: '' });
    });
    after(async () => close?.());

    test('the table holds no plaintext: text columns are base64url tokens, bytea columns binary tokens', async () => {
      const { rows } = await db.query('SELECT * FROM people ORDER BY id');
      const dump = JSON.stringify(rows, (_k, v) =>
        v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
      );
      for (const secret of ['ada@example', 'countess', '7946', 'Bob@', 'bob@'])
        assert.ok(!dump.includes(secret));
      assert.match(rows[0]!.email as string, /^[A-Za-z0-9_-]+$/);
      assert.ok(rows[0]!.phone instanceof Uint8Array);
      assert.equal(
        (rows[0]!.phone as Uint8Array).constructor,
        Uint8Array,
        'bytea comes back as a plain Uint8Array',
      );
      assert.equal((rows[0]!.email_idx as Uint8Array).length, 20);
    });

    test('NULL stays NULL in the database and opens as null', async () => {
      const { rows } = await db.query(
        'SELECT nickname IS NULL AS n, phone IS NULL AS p, photo IS NULL AS f FROM people WHERE id = 2',
      );
      assert.deepEqual(rows[0], { n: true, p: true, f: true });
      const bob = await people.get(db, 2);
      assert.deepEqual(bob, {
        id: bob!.id,
        name: 'Bob',
        email: 'Bob@Example.com',
        nickname: null,
        phone: null,
        photo: null,
      });
      assert.equal(people.seal('phone', 2, null), null);
      assert.equal(people.open('phone', 2, null), null);
    });

    test('round trip: strings, the empty string, and bytes; number, bigint and string keys are the same row', async () => {
      const ada = await people.get(db, '1');
      assert.equal(ada!.email, 'ada@example.com');
      assert.equal(ada!.phone, '+44 20 7946 0001');
      assert.deepEqual(ada!.photo, new Uint8Array([0, 1, 2, 255]));
      assert.equal((await people.get(db, 3))!.phone, '');
      assert.equal((await people.get(db, 3n))!.nickname, 'cy');
      assert.equal(await people.get(db, 99), null);
    });

    test('a ciphertext copied to another row does not open there (both storages)', async () => {
      await db.query(
        'UPDATE people SET email = (SELECT email FROM people WHERE id = 1), phone = (SELECT phone FROM people WHERE id = 1) WHERE id = 3',
      );
      const { rows } = await db.query('SELECT email, phone FROM people WHERE id = 3');
      await invalidToken(() => people.open('email', 3, rows[0]!.email as string));
      await invalidToken(() => people.open('phone', 3, rows[0]!.phone as Uint8Array));
      await invalidToken(() => people.get(db, 3));
      // It still opens where it belongs.
      assert.equal(people.openText('email', 1, rows[0]!.email as string), 'ada@example.com');
      await people.update(db, 3, { email: 'cy@example.com', phone: '' });
    });

    test('a ciphertext copied to another column of the same row does not open there', async () => {
      await db.query('UPDATE people SET nickname = email WHERE id = 1');
      const { rows } = await db.query('SELECT nickname FROM people WHERE id = 1');
      await invalidToken(() => people.openText('nickname', 1, rows[0]!.nickname as string));
      await invalidToken(() => people.get(db, 1));
      await people.update(db, 1, { nickname: 'countess' });
    });

    test('a ciphertext copied to the same row and column of a table in another schema does not open there', async () => {
      const elsewhere = new EncryptedTable(keyring, { ...SPEC, schema: 'other' });
      await db.query('INSERT INTO other.people SELECT * FROM public.people WHERE id = 1');
      const { rows } = await db.query('SELECT * FROM other.people WHERE id = 1');
      await invalidToken(() => elsewhere.openRow(rows[0]!));
      assert.equal(elsewhere.context('email', 1).schema, 'other');
    });

    test('tampered ciphertexts do not open: a flipped bit in bytea, a changed character in text, truncation', async () => {
      await db.query('UPDATE people SET phone = set_byte(phone, 30, get_byte(phone, 30) # 1) WHERE id = 1');
      await invalidToken(() => people.get(db, 1));
      await db.query('UPDATE people SET phone = substring(phone from 1 for 40) WHERE id = 1');
      await invalidToken(() => people.get(db, 1));
      await people.update(db, 1, { phone: '+44 20 7946 0001' });
      const { rows } = await db.query<{ email: string }>('SELECT email FROM people WHERE id = 1');
      const e = rows[0]!.email;
      const flipped = e.slice(0, 50) + (e[50] === 'A' ? 'B' : 'A') + e.slice(51);
      await db.query('UPDATE people SET email = $1 WHERE id = 1', [flipped]);
      await invalidToken(() => people.get(db, 1));
      await db.query('UPDATE people SET email = $1 WHERE id = 1', [e.slice(0, -3)]);
      await invalidToken(() => people.get(db, 1));
      await db.query('UPDATE people SET email = $1 WHERE id = 1', [e]);
      assert.equal((await people.get(db, 1))!.email, 'ada@example.com');
    });

    test('blind index: equality lookup with normalization; no false positives', async () => {
      assert.deepEqual(
        (await people.findBy(db, 'email', '  BOB@example.COM ')).map((r) => r.name),
        ['Bob'],
      );
      assert.deepEqual(
        (await people.findBy(db, 'email', 'ada@example.com')).map((r) => r.name),
        ['Ada'],
      );
      assert.deepEqual(await people.findBy(db, 'email', 'nobody@example.com'), []);
    });

    test('blind index rotates with the keyring: old indexes still match, fresh ones use the new key', async () => {
      const before = keyring.primaryKeyId;
      keyring.rotate({ label: 'people-2' });
      // Not rotated yet: found through the old key's candidate.
      assert.deepEqual(
        (await people.findBy(db, 'email', 'bob@example.com')).map((r) => r.name),
        ['Bob'],
      );
      const stale = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM people WHERE ${people.staleSql(1)}`,
        [keyIdBytes(keyring.primaryKeyId)],
      );
      assert.equal(Number(stale.rows[0]!.n), 3);
      // Rewrite Bob's email: seal and index under the new key.
      await people.update(db, 2, { email: 'bob@example.com' });
      const { rows } = await db.query('SELECT email, email_idx FROM people WHERE id = 2');
      assert.equal(blindIndexKeyId(rows[0]!.email_idx as Uint8Array), keyring.primaryKeyId);
      assert.equal(keyring.keyIdOf(rows[0]!.email as string), keyring.primaryKeyId);
      assert.deepEqual(
        (await people.findBy(db, 'email', 'BOB@example.com')).map((r) => r.name),
        ['Bob'],
      );
      // The SQL key-id expressions agree with the token headers, for each storage and the index.
      const ids = await db.query<Record<string, Uint8Array | null>>(
        `SELECT id, ${people.keyIdSql('email')} AS e, ${people.keyIdSql('phone')} AS p, ${people.keyIdSql('email_idx')} AS i, ${people.keyIdSql('nickname')} AS n FROM people ORDER BY id`,
      );
      const hex = (b: unknown) => (b === null ? null : Buffer.from(b as Uint8Array).toString('hex'));
      assert.deepEqual(
        ids.rows.map((r) => [hex(r.e), hex(r.p), hex(r.i), hex(r.n)]),
        [
          [before, before, before, before],
          [keyring.primaryKeyId, null, keyring.primaryKeyId, null],
          [before, before, before, before],
        ],
      );
      // A disabled old key: rows under it no longer open, and no longer match by index.
      keyring.disable(before);
      await assert.rejects(people.get(db, 1), KeyDisabled);
      assert.deepEqual(await people.findBy(db, 'email', 'ada@example.com'), []);
      keyring.enable(before);
    });

    test('quoted identifiers: a table whose names need quoting works', async () => {
      await db.query(
        `CREATE TABLE ${quoteIdent('Odd "Table"')} (${quoteIdent('the id')} text PRIMARY KEY, ${quoteIdent('e-mail')} bytea)`,
      );
      const odd = new EncryptedTable(keyring, {
        table: 'Odd "Table"',
        primaryKey: 'the id',
        columns: { 'e-mail': { storage: 'bytea' } },
      });
      await odd.insert(db, { 'the id': 'x', 'e-mail': 'a@b' });
      assert.deepEqual(await odd.get(db, 'x'), { 'the id': 'x', 'e-mail': 'a@b' });
    });

    test('Db.transaction commits, rolls back on throw, and nests with savepoints', async () => {
      await db.transaction(async (tx) => {
        await tx.query("UPDATE people SET name = 'Ada L' WHERE id = 1");
        await assert.rejects(
          tx.transaction(async (inner) => {
            await inner.query("UPDATE people SET name = 'nope' WHERE id = 1");
            throw new Error('inner');
          }),
          /inner/,
        );
      });
      assert.equal((await db.query('SELECT name FROM people WHERE id = 1')).rows[0]!.name, 'Ada L');
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query("UPDATE people SET name = 'gone' WHERE id = 1");
          throw new Error('outer');
        }),
        /outer/,
      );
      assert.equal((await db.query('SELECT name FROM people WHERE id = 1')).rows[0]!.name, 'Ada L');
    });
  });
}

describe('without a database', () => {
  const keyring = Keyring.generate();
  const t = new EncryptedTable(keyring, SPEC);

  test('the context is exactly { schema, table, column, pk }', () => {
    assert.deepEqual(t.context('email', 42), {
      schema: 'public',
      table: 'people',
      column: 'email',
      pk: '42',
    });
    assert.deepEqual(t.context('email', 42n), t.context('email', '42'));
    assert.equal(t.spec.schema, 'public');
    assert.ok(Object.isFrozen(t.spec));
  });

  test('seal gives the form of the storage; the token opens with a plain keyring under the same context', () => {
    const text = t.seal('email', 7, 'x@y');
    const bin = t.seal('phone', 7, 'x@y');
    assert.equal(typeof text, 'string');
    assert.ok(bin instanceof Uint8Array);
    assert.equal(keyring.openText(text as string, { context: t.context('email', 7) }), 'x@y');
    assert.equal(keyring.openText(bin as Uint8Array, { context: t.context('phone', 7) }), 'x@y');
  });

  test('property: any value and key round-trips, and never opens under another pk or column', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.uint8Array({ maxLength: 64 })),
        fc.oneof(fc.string({ minLength: 1 }), fc.integer({ min: 0 })),
        fc.integer({ min: 1, max: 1000 }),
        (value, pk, other) => {
          for (const column of ['phone', 'nickname'] as const) {
            const stored = t.seal(column, pk, value)!;
            const opened = t.open(column, pk, stored)!;
            const expect = typeof value === 'string' ? new TextEncoder().encode(value) : value;
            assert.deepEqual(opened, expect);
            assert.throws(() => t.open(column, `${String(pk)}:${other}`, stored), InvalidToken);
          }
          const text = t.seal('nickname', pk, value) as string;
          assert.throws(() => t.open('email', pk, text), InvalidToken);
        },
      ),
      { numRuns: 50 },
    );
  });

  test('keyIdBytes gives the 4 bytes of a key id', () => {
    assert.deepEqual(keyIdBytes('0a1b2c3d'), new Uint8Array([0x0a, 0x1b, 0x2c, 0x3d]));
    assert.throws(() => keyIdBytes('0A1B2C3D'), TypeError);
  });

  test('staleSql lists every sealed column and index', () => {
    const sql = t.staleSql(1);
    for (const c of ['"email"', '"email_idx"', '"nickname"', '"phone"', '"photo"'])
      assert.ok(sql.includes(c), c);
  });
});
