// The two PostgreSQL backends the integration tests run on: PGlite (embedded, always available) and a real
// server named by COFFER_PG_URL, which `scripts/with-postgres.sh` starts (`.ci/run` wraps the suites in it;
// locally: `scripts/with-postgres.sh node scripts/run-tests.mjs postgres`). Without COFFER_PG_URL the
// real-server tests skip with a loud reason; under CI=true they fail instead.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export const pgUrl = process.env.COFFER_PG_URL ?? '';

// A synchronous probe (a child node process connects once) so that the result can go straight into
// `describe(name, { skip: pgSkip() }, ...)`.
function probe(): string | false {
  let reason: string | false = false;
  if (!pgUrl) {
    reason =
      'COFFER_PG_URL is not set: real-PostgreSQL tests are SKIPPED (run them with scripts/with-postgres.sh)';
  } else {
    const script =
      'const pg=require("pg");const c=new pg.Client({connectionString:process.env.COFFER_PG_URL,connectionTimeoutMillis:5000});' +
      'c.connect().then(()=>c.query("select 1")).then(()=>c.end()).then(()=>process.exit(0),(e)=>{console.error(e.message);process.exit(1)})';
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 15_000 });
    if (r.status !== 0) {
      reason = `PostgreSQL at COFFER_PG_URL is not reachable (${(r.stderr || String(r.error)).trim()}): real-PostgreSQL tests are SKIPPED`;
    }
  }
  if (reason !== false) {
    if (process.env.CI === 'true') throw new Error(`${reason}; CI requires it`);
    process.stderr.write(`\n!!!!! ${reason} !!!!!\n\n`);
  }
  return reason;
}

let cached: string | false | undefined;
/** `false` when the server at COFFER_PG_URL answers, else the skip reason (announced once per process). */
export function pgSkip(): string | false {
  if (cached === undefined) cached = probe();
  return cached;
}

/** A pool on a database of its own; `drop()` ends the pool and drops the database. */
export type FreshPool = pg.Pool & { readonly url: string; readonly database: string; drop(): Promise<void> };

/**
 * Creates a database with a random name on the COFFER_PG_URL server and returns a pool on it, so test files
 * running at once never see each other's tables. Call `drop()` in an `after` hook.
 */
export async function freshDatabase(options: { max?: number } = {}): Promise<FreshPool> {
  if (!pgUrl) throw new Error('freshDatabase: COFFER_PG_URL is not set (check pgSkip() first)');
  const name = `coffer_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.href, max: options.max ?? 10 });
  // An idle client whose connection the server ends (DROP DATABASE … WITH (FORCE) in drop(), a server
  // shutdown) makes the pool emit 'error'; unheard, that would be an uncaught exception in the test process.
  pool.on('error', () => {});
  let dropped = false;
  return Object.assign(pool, {
    url: url.href,
    database: name,
    async drop(): Promise<void> {
      if (dropped) return;
      dropped = true;
      await pool.end();
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  });
}

// A new PGlite runs initdb in WebAssembly: seconds, or tens of seconds on a loaded machine. The first
// instance's fresh data directory is saved in the temp folder (per PGlite version) and later instances,
// in this process or another, start from that copy instead.
const pgliteVersion: string = JSON.parse(
  readFileSync(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8'),
).version;
const pgliteCache = join(tmpdir(), `coffer-pglite-${pgliteVersion}-${process.getuid?.() ?? 0}.tar`);

/** A new in-memory PGlite instance, ready for queries. Close it with `close()`. */
export async function pglite(): Promise<PGlite> {
  let saved: Buffer | undefined;
  try {
    saved = readFileSync(pgliteCache);
  } catch {
    // No copy yet.
  }
  if (saved !== undefined) {
    try {
      const db = new PGlite({ loadDataDir: new Blob([saved]) });
      await db.waitReady;
      return db;
    } catch {
      // A damaged copy: start from scratch and replace it.
    }
  }
  const db = new PGlite();
  await db.waitReady;
  try {
    const dump = Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer());
    const temp = `${pgliteCache}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(temp, dump);
    renameSync(temp, pgliteCache);
  } catch {
    // The copy only saves time.
  }
  return db;
}
