// `coffer pg rotate | verify` against a real PostgreSQL server (scripts/with-postgres.sh), through transcripts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EncryptedTable } from '../../src/integrations/postgres/table.ts';
import { Keyring } from '../../src/recipes/keyring.ts';
import { assertCleanError, runCoffer } from '../helpers/cli.ts';
import { type FreshPool, freshDatabase, pgSkip } from '../helpers/postgres.ts';

const dir = mkdtempSync(join(tmpdir(), 'coffer-cli-pg-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SPEC = {
  schema: 'public',
  table: 'users',
  primaryKey: 'id',
  columns: {
    email: { storage: 'text', blindIndex: { column: 'email_idx', normalize: 'trim-lowercase' } },
    phone: { storage: 'bytea' },
  },
} as const;
const ROWS = 2500;
const PASS = 'pg cli test passphrase';
const fast = { scrypt: { n: 2 ** 14, r: 8, p: 1 } };

describe('coffer pg', { skip: pgSkip() }, () => {
  let pool: FreshPool;
  let keyring: Keyring;
  let env: Record<string, string>;

  before(async () => {
    pool = await freshDatabase();
    env = { DATABASE_URL: pool.url, KP: PASS };
    keyring = Keyring.generate({ label: 'first' });
    const table = new EncryptedTable(keyring, {
      ...SPEC,
      columns: {
        email: {
          storage: 'text',
          blindIndex: { column: 'email_idx', normalize: (s) => s.trim().toLowerCase() },
        },
        phone: { storage: 'bytea' },
      },
    });
    await pool.query('CREATE TABLE users (id bigint PRIMARY KEY, email text, email_idx bytea, phone bytea)');
    for (let i = 1; i <= ROWS; i++) {
      await table.insert(pool, {
        id: i,
        email: `user${i}@example.com`,
        phone: i % 3 === 0 ? null : `+1555${i}`,
      });
    }
    keyring.rotate({ label: 'second' });
    writeFileSync(join(dir, 'ring.json'), await keyring.save({ passphrase: PASS, ...fast }));
    writeFileSync(join(dir, 'users.json'), JSON.stringify(SPEC));
  });
  after(async () => {
    await pool?.drop();
  });

  const pgCli = (args: string[]) =>
    runCoffer(dir, ['pg', ...args, '-k', 'ring.json', '-t', 'users.json', '--passphrase-env', 'KP'], { env });

  test('verify before: every value under the old key', () => {
    const t = pgCli(['verify']);
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stdout, new RegExp(`^${ROWS} rows; ${ROWS} under an old key; 0 failed\\n`));
  });

  test('rotate moves every row to the primary key, with progress on stderr', () => {
    const t = runCoffer(
      dir,
      ['pg', 'rotate', '-k', 'ring.json', '-t', 'users.json', '--passphrase-env', 'KP', '-b', '500'],
      {
        env: { ...env, COFFER_PROGRESS: '1' },
      },
    );
    assert.equal(t.status, 0, t.stderr);
    assert.match(
      t.stdout,
      new RegExp(`^rotated ${ROWS} rows in 5 batches .*; 0 left under old keys; 0 failed\\n`),
    );
    assert.match(t.stderr, /rotating public\.users: [\d,]+ done, [\d,]+ left, [\d,]+ rows\/s, ETA/);
    const v = pgCli(['verify']);
    assert.equal(v.status, 0, v.stderr);
    assert.match(v.stdout, new RegExp(`^${ROWS} rows; 0 under an old key; 0 failed\\n`));
    assert.match(v.stdout, new RegExp(`key ${keyring.primaryKeyId} \\(primary\\): \\d+ values`));
  });

  test('a value copied to another row is reported by verify (status 1)', async () => {
    await pool.query('UPDATE users SET email = (SELECT email FROM users WHERE id = 1) WHERE id = 2');
    const t = pgCli(['verify']);
    assert.equal(t.status, 1, t.stderr);
    assert.match(t.stdout, /1 failed/);
    assert.match(t.stdout, /failed: email of row 2: InvalidToken/);
  });

  test('usage and configuration errors are clean', () => {
    assertCleanError(runCoffer(dir, ['pg', 'rotate'], { env }), 2, /needs -k KEYRING and -t TABLE\.json/);
    assertCleanError(
      runCoffer(dir, ['pg', 'verify', '-k', 'ring.json', '-t', 'users.json', '--passphrase-env', 'KP'], {
        env: { KP: PASS },
      }),
      2,
      /DATABASE_URL is not set/,
    );
    assertCleanError(
      runCoffer(dir, ['pg', 'verify', '-k', 'ring.json', '-t', 'users.json', '--passphrase-env', 'KP'], {
        env: { ...env, KP: 'x' },
      }),
      1,
      /could not be unlocked: wrong passphrase/,
    );
  });
});
