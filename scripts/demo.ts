// `npm run demo`: the recovery-codes and field-encryption story of coffer/postgres, end to end, narrated.
// It runs on PGlite (PostgreSQL compiled to WebAssembly, in this process: no server needed), or on the
// server named by DATABASE_URL (with `pg`), in a schema of its own that it drops at the end.
// The keyring passphrase comes from COFFER_DEMO_PASSPHRASE, or is generated and shown.
// (The tour of the other recipes is `scripts/tour.ts`.)
import { randomBytes } from 'node:crypto';
import { InvalidKey, InvalidToken, Keyring } from 'coffer';
import {
  countStale,
  type Db,
  database,
  EncryptedTable,
  formatProgress,
  migrate,
  RecoveryCodeStore,
  rotateTable,
  verifyTable,
} from 'coffer/postgres';

const USERS = 300;
const SCHEMA = `coffer_demo_${randomBytes(3).toString('hex')}`;

let stepNo = 0;
const step = (title: string) => console.log(`\n${String(++stepNo).padStart(2)}. ${title}`);
const say = (text: string) => console.log(`    ${text}`);
const show = (label: string, value: unknown) => console.log(`    ${label.padEnd(24)} ${String(value)}`);
const short = (s: string, n = 48) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);
const hex = (b: Uint8Array, n = 24) => {
  const h = Buffer.from(b).toString('hex');
  return h.length > n * 2 ? `\\x${h.slice(0, n * 2)}… (${b.length} bytes)` : `\\x${h}`;
};
function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`demo check failed: ${what}`);
}

async function connect(): Promise<{ db: Db; where: string; close(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    const db = database(pool);
    const { rows } = await db.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    return { db, where: `PostgreSQL ${rows[0]!.v} at DATABASE_URL (pg)`, close: () => pool.end() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const lite = new PGlite();
  await lite.waitReady;
  const db = database(lite);
  const { rows } = await db.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  return {
    db,
    where: `PGlite (PostgreSQL ${rows[0]!.v} in WebAssembly, in this process)`,
    close: () => lite.close(),
  };
}

const started = Date.now();
console.log('coffer/postgres demo: recovery codes and encrypted columns, end to end');
const { db, where, close } = await connect();
console.log(`database: ${where}; schema ${SCHEMA} (dropped at the end)`);

try {
  // ------------------------------------------------------------------------------------------------
  step('A keyring, saved encrypted under a passphrase');
  let passphrase = process.env.COFFER_DEMO_PASSPHRASE;
  if (passphrase) say('passphrase: from COFFER_DEMO_PASSPHRASE');
  else {
    passphrase = randomBytes(18).toString('base64url');
    say(`passphrase: generated, shown once: ${passphrase}`);
    say('(set COFFER_DEMO_PASSPHRASE to choose it; a real app reads it from a secret store)');
  }
  const saved = await Keyring.generate({ label: 'app-2026' }).save({ passphrase });
  const keyring = await Keyring.load(saved, { passphrase });
  show('keyring file', `${saved.length} bytes of JSON, key bytes AES-256-GCM-encrypted (scrypt)`);
  show(
    'keys',
    keyring
      .list()
      .map((k) => `${k.id} ${k.label} (${k.status})`)
      .join(', '),
  );
  say('one keyring seals the columns, keys the blind index and peppers the recovery codes:');
  say('each job uses its own key derived from it (HKDF, "coffer/v1/<purpose>").');

  // ------------------------------------------------------------------------------------------------
  step(`Users, with encrypted email (text) and phone (bytea) columns: ${USERS} of them`);
  await db.query(`CREATE SCHEMA ${SCHEMA}`);
  await db.query(
    `CREATE TABLE ${SCHEMA}.users (id bigint PRIMARY KEY, name text NOT NULL, email text, email_idx bytea, phone bytea)`,
  );
  const users = new EncryptedTable(keyring, {
    schema: SCHEMA,
    table: 'users',
    primaryKey: 'id',
    columns: {
      email: {
        storage: 'text',
        blindIndex: { column: 'email_idx', normalize: (s) => s.trim().toLowerCase() },
      },
      phone: { storage: 'bytea' },
    },
  });
  const names = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Edsger Dijkstra'];
  await db.transaction(async (tx) => {
    for (let id = 1; id <= USERS; id++) {
      const name = names[id - 1] ?? `User ${id}`;
      const email = `${name.split(' ')[0]!.toLowerCase()}${id > names.length ? id : ''}@example.com`;
      // Every seventh user has no phone: NULL stays NULL.
      const phone = id % 7 === 0 ? null : `+1 555 01${String(id).padStart(3, '0')}`;
      await users.insert(tx, { id, name, email, phone });
    }
  });
  show('inserted', `${USERS} users, each value sealed to (schema, table, column, id)`);
  show('Ada', JSON.stringify(await users.get(db, 1)));

  // ------------------------------------------------------------------------------------------------
  step('Recovery codes for Ada: stored as keyed hashes (and sealed, so the product can show them again)');
  const codesTables = { schema: SCHEMA };
  await migrate(db, codesTables);
  const recovery = new RecoveryCodeStore(db, { pepper: keyring, sealWith: keyring, tables: codesTables });
  const codes = await recovery.issue('1', { count: 10 });
  say('shown to Ada once:');
  for (let i = 0; i < codes.length; i += 5) say(`  ${codes.slice(i, i + 5).join('  ')}`);
  show('remaining', await recovery.remaining('1'));

  // ------------------------------------------------------------------------------------------------
  step('What the database really holds: no plaintext');
  const raw = await db.query<Record<string, unknown>>(
    `SELECT * FROM ${SCHEMA}.users WHERE id IN (1, 7) ORDER BY id`,
  );
  for (const r of raw.rows) {
    say(`users id=${r.id} name=${r.name}`);
    show('  email', short(r.email as string));
    show('  email_idx', hex(r.email_idx as Uint8Array));
    show('  phone', r.phone === null ? 'NULL' : hex(r.phone as Uint8Array));
  }
  const rc = await db.query<Record<string, unknown>>(
    `SELECT key_id, code_hash, sealed_code FROM ${SCHEMA}.coffer_recovery_codes WHERE user_id = '1' LIMIT 1`,
  );
  say('coffer_recovery_codes (one of 10 rows for Ada):');
  show('  key_id', rc.rows[0]!.key_id);
  show('  code_hash', `${rc.rows[0]!.code_hash} (HMAC-SHA256, peppered)`);
  show('  sealed_code', short(rc.rows[0]!.sealed_code as string));
  const dump = JSON.stringify(
    [
      (await db.query(`SELECT * FROM ${SCHEMA}.users`)).rows,
      (await db.query(`SELECT * FROM ${SCHEMA}.coffer_recovery_codes`)).rows,
      (await db.query(`SELECT * FROM ${SCHEMA}.coffer_recovery_code_events`)).rows,
    ],
    (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v),
  );
  const leaks = [
    'ada@example.com',
    'grace@example.com',
    '+1 555',
    ...codes,
    ...codes.map((c) => c.replaceAll('-', '')),
  ];
  const found = leaks.filter((s) => dump.includes(s));
  check(found.length === 0, 'plaintext in the database');
  show('scan of every table', `none of ${leaks.length} secrets (emails, phones, codes) appears`);

  // ------------------------------------------------------------------------------------------------
  step('Ada redeems a code (typed sloppily: lower case, spaces)');
  const typed = codes[3]!.toLowerCase().replaceAll('-', ' ');
  show('typed', JSON.stringify(typed));
  const left = await recovery.redeem('1', typed);
  show('accepted; codes left', left);
  say('one SQL statement: DELETE … RETURNING feeds the audit INSERT. Of any number of concurrent');
  say('redemptions of one code, exactly one deletes the row (tested with 60 connections).');

  // ------------------------------------------------------------------------------------------------
  step('The same code again: refused');
  try {
    await recovery.redeem('1', codes[3]!);
    check(false, 'a replayed code was accepted');
  } catch (err) {
    check(err instanceof InvalidKey, 'replay gives InvalidKey');
    show('replay', `${(err as Error).name}: ${(err as Error).message}`);
  }
  show('remaining', await recovery.remaining('1'));
  say('audit trail (no code, no hash in it):');
  for (const e of await recovery.events('1'))
    say(`  ${e.at.toISOString()}  ${e.event.padEnd(9)} key ${e.keyId ?? '-'}`);

  // ------------------------------------------------------------------------------------------------
  step("An attacker with SQL access copies Ada's encrypted email into Grace's row");
  await db.query(
    `UPDATE ${SCHEMA}.users SET email = (SELECT email FROM ${SCHEMA}.users WHERE id = 1) WHERE id = 2`,
  );
  try {
    await users.get(db, 2);
    check(false, 'a copied ciphertext opened');
  } catch (err) {
    check(err instanceof InvalidToken, 'copied ciphertext gives InvalidToken');
    show("opening Grace's row", `${(err as Error).name}: ${(err as Error).message}`);
  }
  say('the token is bound to (schema, table, column, id = 1): under id = 2 it does not open.');
  await users.update(db, 2, { email: 'grace@example.com' });
  show('Grace repaired', (await users.get(db, 2))!.email);

  // ------------------------------------------------------------------------------------------------
  step('Find a user by email, through the blind index');
  const query = '  GRACE@Example.com ';
  const candidates = users.blindIndexCandidates('email', query);
  show('looking for', JSON.stringify(query));
  show('index (normalized)', hex(candidates[0]!));
  say(`SQL: SELECT * FROM ${SCHEMA}.users WHERE email_idx = ANY($1)`);
  const hits = await users.findBy(db, 'email', query);
  check(hits.length === 1 && hits[0]!.name === 'Grace Hopper', 'blind index lookup');
  show('found', JSON.stringify(hits[0]));
  say('leakage: rows with equal emails have equal indexes (visible as equal); nothing more.');

  // ------------------------------------------------------------------------------------------------
  step('Rotate the key');
  const oldId = keyring.primaryKeyId;
  keyring.rotate({ label: 'app-2027' });
  show(
    'keys',
    keyring
      .list()
      .map((k) => `${k.id} ${k.label} (${k.status})`)
      .join(', '),
  );
  show('rows under an old key', await countStale(db, users));
  show('Ada still opens', (await users.get(db, 1))!.email);
  show('Grace still found', (await users.findBy(db, 'email', 'grace@example.com')).length === 1);
  show('codes still redeem', `${await recovery.redeem('1', codes[4]!)} left (peppered under ${oldId})`);

  // ------------------------------------------------------------------------------------------------
  step('The rotation job: batches of 50 rows, one transaction each, resumable, kill-safe');
  let lastLine = '';
  const report = await rotateTable(db, users, {
    batchSize: 50,
    workerId: 'demo',
    onProgress: (p) => {
      lastLine = formatProgress('    rotating', p);
      console.log(lastLine);
    },
  });
  show(
    'rotated',
    `${report.rotated} rows in ${report.batches} batches, ${Math.round(report.rowsPerSecond)} rows/s`,
  );
  show('left (the database says)', report.remaining);
  check(report.remaining === 0 && report.failures.length === 0, 'rotation complete');

  // ------------------------------------------------------------------------------------------------
  step('Verify every row');
  const verified = await verifyTable(db, users);
  show('rows opened', verified.rows);
  show('values per key id', JSON.stringify(verified.byKeyId));
  show('stale rows', verified.stale);
  show('failures', verified.failures.length);
  check(verified.failures.length === 0 && verified.stale === 0, 'verification');
  check(
    Object.keys(verified.byKeyId).every((id) => id === keyring.primaryKeyId),
    'all under the primary',
  );
  keyring.disable(oldId);
  show(`with ${oldId} disabled`, `Ada opens: ${(await users.get(db, 1))!.email}`);
  const fresh = await recovery.regenerate('1', { count: 10 });
  show('codes regenerated', `${fresh.length} new codes under ${keyring.primaryKeyId}; the old set is dead`);
  check(
    await recovery.redeem('1', codes[5]!).then(
      () => false,
      (e) => e instanceof InvalidKey,
    ),
    'old set dead after regeneration',
  );

  console.log(`\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
} finally {
  await db.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
  await close();
}
