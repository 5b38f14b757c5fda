// PostgreSQL benchmark, on a real server with a 100,000-row table:
// - inserts of sealed rows (email as text with its blind index, phone as bytea) beside the same inserts of
//   the plaintext, both as multi-row `INSERT … SELECT * FROM unnest(…)` of BENCH_PG_BATCH rows, with the
//   next batch prepared (sealed) while the server runs the current INSERT, as an application would;
// - the rotation job (rotateTable) over the whole table with 1 and with 2 worker processes.
// Targets (issue 7): crypto overhead at most 25% of the plain SQL time; rotation at least 10,000 rows/s
// with 2 workers.
//
//   scripts/with-postgres.sh node --import tsx bench/postgres.ts
//
// Environment: COFFER_PG_URL (scripts/with-postgres.sh sets it), BENCH_PG_ROWS (default 100000),
// BENCH_PG_BATCH (rows per INSERT, default 1000), BENCH_PG_ROUNDS (insert rounds, median, default 3),
// BENCH_PG_ROTATE_BATCH (rows per rotation batch, default 1000).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { rotateTable } from '../src/integrations/postgres/rotation.ts';
import { EncryptedTable } from '../src/integrations/postgres/table.ts';
import { Keyring } from '../src/recipes/keyring.ts';

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const v = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer`);
  return v;
}

const ROWS = envInt('BENCH_PG_ROWS', 100_000);
const BATCH = envInt('BENCH_PG_BATCH', 1000);
const ROUNDS = envInt('BENCH_PG_ROUNDS', 3);
const ROTATE_BATCH = envInt('BENCH_PG_ROTATE_BATCH', 1000);
const SELF = fileURLToPath(import.meta.url);
const utf8 = new TextEncoder();

function table(keyring: Keyring, name: string): EncryptedTable {
  return new EncryptedTable(keyring, {
    table: name,
    primaryKey: 'id',
    columns: {
      email: { storage: 'text', blindIndex: { column: 'email_idx' } },
      phone: { storage: 'bytea', value: 'bytes' },
    },
  });
}

const emailOf = (id: number): string => `user${id}@example.com`;
const phoneOf = (id: number): Uint8Array => utf8.encode(`+1555${String(id).padStart(7, '0')}`);

const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
};

// ---- worker mode: `bench/postgres.ts --worker URL KEYRING_FILE TABLE` (passphrase in the environment).
if (process.argv[2] === '--worker') {
  const [, , , url, file, name, inFlight] = process.argv;
  const keyring = await Keyring.load(readFileSync(file!, 'utf8'), {
    passphrase: process.env.BENCH_PG_PASSPHRASE!,
  });
  const concurrency = Number(inFlight ?? 1);
  const pool = new pg.Pool({ connectionString: url, max: concurrency + 1 });
  await pool.query('SELECT 1');
  process.stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) if (line === 'go') break;
  lines.close();
  const started = process.cpuUsage();
  const report = await rotateTable(pool, table(keyring, name!), { batchSize: ROTATE_BATCH, concurrency });
  process.stdout.write(
    `done ${JSON.stringify({ rotated: report.rotated, failures: report.failures.length, cpu: cpuSeconds(started) })}\n`,
  );
  await pool.end();
  process.exit(0);
}

// ---- the benchmark.
const url = process.env.COFFER_PG_URL;
if (!url) {
  console.error(
    'bench/postgres.ts needs a server: run it as scripts/with-postgres.sh node --import tsx bench/postgres.ts',
  );
  process.exit(2);
}
const dbName = `coffer_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const dbUrl = new URL(url);
dbUrl.pathname = `/${dbName}`;
const pool = new pg.Pool({ connectionString: dbUrl.href, max: 4 });
const dir = mkdtempSync(join(tmpdir(), 'coffer-bench-'));

async function cleanup(): Promise<void> {
  await pool.end();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

type Batch = unknown[][];
const INSERT = {
  plain:
    'INSERT INTO bench_plain (id, email, phone) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bytea[])',
  sealed:
    'INSERT INTO bench_sealed (id, email, email_idx, phone) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bytea[], $4::bytea[])',
};

function plainBatch(start: number, end: number): Batch {
  const ids: string[] = [];
  const emails: string[] = [];
  const phones: Buffer[] = [];
  for (let id = start; id < end; id++) {
    ids.push(String(id));
    emails.push(emailOf(id));
    phones.push(Buffer.from(phoneOf(id)));
  }
  return [ids, emails, phones];
}

function sealedBatch(t: EncryptedTable, start: number, end: number): Batch {
  const ids: string[] = [];
  const emails: unknown[] = [];
  const idx: Buffer[] = [];
  const phones: Buffer[] = [];
  for (let id = start; id < end; id++) {
    const email = emailOf(id);
    ids.push(String(id));
    emails.push(t.seal('email', id, email));
    idx.push(Buffer.from(t.blindIndex('email', email)!));
    phones.push(Buffer.from(t.seal('phone', id, phoneOf(id)) as Uint8Array));
  }
  return [ids, emails, idx, phones];
}

/**
 * Inserts ROWS rows in batches, preparing batch n+1 while batch n's INSERT runs; returns seconds.
 * `prepareSeconds` adds up the time spent building batches (the crypto, for sealed rows).
 */
async function insertAll(
  sql: string,
  make: (start: number, end: number) => Batch,
): Promise<{ seconds: number; prepare: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  let prepare = 0;
  const build = (start: number): Batch => {
    const t0 = performance.now();
    const b = make(start, Math.min(start + BATCH, ROWS + 1));
    prepare += performance.now() - t0;
    return b;
  };
  const t0 = performance.now();
  let next = build(1);
  for (let start = 1; start <= ROWS; start += BATCH) {
    const pending = pool.query(sql, next);
    // Build the next batch while the server works on this one (pg sends the query right away).
    if (start + BATCH <= ROWS) next = build(start + BATCH);
    await pending;
  }
  const cpu = process.cpuUsage(cpu0);
  return {
    seconds: (performance.now() - t0) / 1000,
    prepare: prepare / 1000,
    cpu: (cpu.user + cpu.system) / 1e6,
  };
}

async function resetTables(): Promise<void> {
  await pool.query('DROP TABLE IF EXISTS bench_plain, bench_sealed');
  await pool.query('CREATE TABLE bench_plain (id bigint PRIMARY KEY, email text, phone bytea)');
  await pool.query(
    'CREATE TABLE bench_sealed (id bigint PRIMARY KEY, email text, email_idx bytea, phone bytea)',
  );
}

interface RunningWorker {
  ready: Promise<void>;
  done: Promise<{ rotated: number; failures: number; cpu: number }>;
  go(): void;
}

function worker(file: string, passphrase: string, inFlight: number): RunningWorker {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', SELF, '--worker', dbUrl.href, file, 'bench_sealed', String(inFlight)],
    {
      env: { ...process.env, BENCH_PG_PASSPHRASE: passphrase },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  let onReady!: () => void;
  let onDone!: (r: { rotated: number; failures: number; cpu: number }) => void;
  const ready = new Promise<void>((r) => {
    onReady = r;
  });
  const done = new Promise<{ rotated: number; failures: number; cpu: number }>((resolve, reject) => {
    onDone = resolve;
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`worker exited with ${code}`));
    });
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line === 'ready') onReady();
    else if (line.startsWith('done ')) onDone(JSON.parse(line.slice(5)));
  });
  return { ready, done, go: () => child.stdin!.write('go\n') };
}

/** Rotates bench_sealed with `n` worker processes; returns seconds from "go" to the last one done. */
async function rotateWith(
  n: number,
  keyring: Keyring,
  inFlight = 1,
): Promise<{ seconds: number; rotated: number[]; cpu: number }> {
  keyring.rotate();
  const passphrase = randomBytes(12).toString('base64url');
  const file = join(dir, `keyring-${n}.json`);
  writeFileSync(file, await keyring.save({ passphrase, scrypt: { n: 2 ** 14 } }), { mode: 0o600 });
  await pool.query('VACUUM ANALYZE bench_sealed');
  const workers = Array.from({ length: n }, () => worker(file, passphrase, inFlight));
  await Promise.all(workers.map((w) => w.ready));
  const t0 = performance.now();
  for (const w of workers) w.go();
  const reports = await Promise.all(workers.map((w) => w.done));
  const seconds = (performance.now() - t0) / 1000;
  const { rows } = await pool.query(
    `SELECT count(*)::int AS n FROM bench_sealed WHERE substring(phone from 2 for 4) <> $1 OR substring(email_idx from 1 for 4) <> $1`,
    [Buffer.from(keyring.primaryKeyId, 'hex')],
  );
  if (rows[0].n !== 0 || reports.some((r) => r.failures > 0)) throw new Error('rotation left rows behind');
  return { seconds, rotated: reports.map((r) => r.rotated), cpu: reports.reduce((a, r) => a + r.cpu, 0) };
}

try {
  const server = (await pool.query('SHOW server_version')).rows[0].server_version;
  console.log(
    `PostgreSQL ${server}, node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} x${availableParallelism()}; ` +
      `${ROWS.toLocaleString('en-US')} rows, ${BATCH} per INSERT, ${ROUNDS} rounds (medians)`,
  );
  const keyring = Keyring.generate();
  const sealedTable = table(keyring, 'bench_sealed');

  const plain: number[] = [];
  const plainCpu: number[] = [];
  const sealed: number[] = [];
  const sealedCpu: number[] = [];
  const crypto: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await resetTables();
    // Alternate the order so that neither variant always runs on a warmer server.
    const order = round % 2 === 0 ? (['plain', 'sealed'] as const) : (['sealed', 'plain'] as const);
    for (const which of order) {
      if (which === 'plain') {
        const r = await insertAll(INSERT.plain, plainBatch);
        plain.push(r.seconds);
        plainCpu.push(r.cpu);
      } else {
        const r = await insertAll(INSERT.sealed, (s, e) => sealedBatch(sealedTable, s, e));
        sealed.push(r.seconds);
        sealedCpu.push(r.cpu);
        crypto.push(r.prepare);
      }
    }
  }
  const tPlain = median(plain);
  const tSealed = median(sealed);
  const tCrypto = median(crypto);

  const one = await rotateWith(1, keyring);
  const oneOverlapped = await rotateWith(1, keyring, 2);
  const two = await rotateWith(2, keyring);

  const rate = (s: number): string => Math.round(ROWS / s).toLocaleString('en-US');
  // Client CPU per row (node's user + system time): independent of other load on the machine.
  const perRow = (cpuSeconds: number): string => ((cpuSeconds / ROWS) * 1e6).toFixed(1);
  const rows: string[][] = [
    ['insert, plaintext (plain SQL)', tPlain.toFixed(2), rate(tPlain), '1.00', perRow(median(plainCpu))],
    [
      'insert, sealed + blind index',
      tSealed.toFixed(2),
      rate(tSealed),
      (tSealed / tPlain).toFixed(2),
      perRow(median(sealedCpu)),
    ],
    [
      '  of which building the sealed batches',
      tCrypto.toFixed(2),
      rate(tCrypto),
      (tCrypto / tPlain).toFixed(2),
      '',
    ],
    ['rotation, 1 worker', one.seconds.toFixed(2), rate(one.seconds), '1.00', perRow(one.cpu)],
    [
      'rotation, 1 worker, concurrency 2',
      oneOverlapped.seconds.toFixed(2),
      rate(oneOverlapped.seconds),
      (one.seconds / oneOverlapped.seconds).toFixed(2),
      perRow(oneOverlapped.cpu),
    ],
    [
      'rotation, 2 workers',
      two.seconds.toFixed(2),
      rate(two.seconds),
      (one.seconds / two.seconds).toFixed(2),
      perRow(two.cpu),
    ],
  ];
  const head = ['', 'seconds', 'rows/s', 'ratio', 'client CPU µs/row'];
  const widths = head.map((h, i) => Math.max(...rows.map((r) => r[i]!.length), h.length));
  const line = (r: string[]): string =>
    `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log();
  console.log(line(head));
  console.log(
    `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
  );
  for (const r of rows) console.log(line(r));
  console.log();
  const overhead = (tSealed - tPlain) / tPlain;
  const rot2 = ROWS / two.seconds;
  console.log(
    `crypto overhead: ${(overhead * 100).toFixed(0)}% of the plain SQL time (target <= 25%): ${overhead <= 0.25 ? 'met' : 'NOT met'}`,
  );
  console.log(
    `rotation with 2 workers: ${rate(two.seconds)} rows/s (target >= 10,000): ${rot2 >= 10_000 ? 'met' : 'NOT met'}`,
  );
  console.log(
    `rows per worker with 2 workers: ${two.rotated.join(' + ')}; rotation ratio = speed-up over 1 worker`,
  );
} finally {
  await cleanup();
}
