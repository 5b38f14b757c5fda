// `coffer pg rotate | verify`: the command-line front of the PostgreSQL key rotation job. The table is
// described by a JSON file (the same fields as `EncryptedTable`'s spec); the server by a connection URL
// in an environment variable (DATABASE_URL by default: a URL may hold a password, so never argv); the
// keyring by its file and passphrase. Needs the `pg` package (an optional peer dependency of coffer).
import { hostname } from 'node:os';
import { progressLine } from '../../integrations/postgres/progress.ts';
import { rotateTable, verifyTable } from '../../integrations/postgres/rotation.ts';
import { type ColumnSpec, EncryptedTable, type TableSpec } from '../../integrations/postgres/table.ts';
import { Keyring } from '../../recipes/keyring.ts';
import { describeOptions, flag, type OptionSpec, type Parsed, parseArgs, str, UsageError } from '../args.ts';
import { CliFailure, EXIT, PASSPHRASE_OPTIONS, passphrase, QUIET_OPTION, readTextFile } from '../io.ts';

const OPTIONS: readonly OptionSpec[] = [
  {
    long: 'keyring',
    short: 'k',
    value: 'FILE',
    help: 'the keyring file (its passphrase is asked, or --passphrase-env/-file)',
  },
  {
    long: 'table',
    short: 't',
    value: 'SPEC.json',
    help: 'the table: {"schema","table","primaryKey","columns":{…}}',
  },
  {
    long: 'database-url-env',
    value: 'NAME',
    help: 'environment variable holding the connection URL (default DATABASE_URL)',
  },
  {
    long: 'batch-size',
    short: 'b',
    value: 'N',
    help: 'rows per batch, each batch one transaction (default 1000)',
  },
  { long: 'worker-id', value: 'ID', help: 'rotate: a name for this worker in reports (default host:pid)' },
  ...PASSPHRASE_OPTIONS,
  QUIET_OPTION,
];

export const PG_HELP = `usage: coffer pg rotate -k KEYRING -t TABLE.json [-b N] [--worker-id ID]
       coffer pg verify -k KEYRING -t TABLE.json [-b N]

rotate re-seals every value (and blind index) still under an old key to the keyring's primary key, in
batches of one transaction each. It is resumable (the database says what is left), safe to kill at any
moment, and several workers may run at once, on any machines (row locks with SKIP LOCKED).
verify opens every row and prints the number of values under each key id, and every failure.
Progress (rows done and left, rows/s, ETA) goes to stderr. Status 1 when a row failed or is left.

TABLE.json: {"schema": "public", "table": "users", "primaryKey": "id",
             "columns": {"email": {"storage": "text", "blindIndex": {"column": "email_idx", "normalize": "trim-lowercase"}}}}
normalize (must match the application's): none, trim, lowercase, trim-lowercase.

${describeOptions(OPTIONS)}

examples:
  DATABASE_URL=postgres://app@db/prod coffer pg rotate -k ring.json -t users.json -b 2000
  coffer pg verify -k ring.json -t users.json`;

const NORMALIZERS: Readonly<Record<string, ((s: string) => string) | undefined>> = {
  none: undefined,
  trim: (s) => s.trim(),
  lowercase: (s) => s.toLowerCase(),
  'trim-lowercase': (s) => s.trim().toLowerCase(),
};

function tableSpec(path: string): TableSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(readTextFile(path, 'table spec'));
  } catch (err) {
    if (err instanceof CliFailure) throw err;
    throw new CliFailure(`table spec ${JSON.stringify(path)} is not JSON: ${(err as Error).message}`);
  }
  const spec = raw as { columns?: Record<string, ColumnSpec & { blindIndex?: { normalize?: unknown } }> };
  if (
    typeof spec !== 'object' ||
    spec === null ||
    typeof spec.columns !== 'object' ||
    spec.columns === null
  ) {
    throw new CliFailure(`table spec ${JSON.stringify(path)} needs "table", "primaryKey" and "columns"`);
  }
  for (const [name, column] of Object.entries(spec.columns)) {
    const bi = column?.blindIndex as { normalize?: unknown } | undefined;
    if (bi?.normalize === undefined) continue;
    if (typeof bi.normalize !== 'string' || !(bi.normalize in NORMALIZERS)) {
      throw new CliFailure(
        `column ${JSON.stringify(name)}: normalize must be one of ${Object.keys(NORMALIZERS).join(', ')}`,
      );
    }
    const fn = NORMALIZERS[bi.normalize];
    if (fn === undefined) delete bi.normalize;
    else bi.normalize = fn;
  }
  return raw as TableSpec;
}

function batchSize(parsed: Parsed): number | undefined {
  const text = str(parsed, 'batch-size');
  if (text === undefined) return undefined;
  if (!/^\d{1,6}$/.test(text) || Number(text) < 1 || Number(text) > 100_000) {
    throw new UsageError('--batch-size must be a whole number from 1 to 100000');
  }
  return Number(text);
}

interface PgPool {
  end(): Promise<void>;
}

async function connect(parsed: Parsed): Promise<PgPool> {
  const envName = str(parsed, 'database-url-env') ?? 'DATABASE_URL';
  const url = process.env[envName];
  if (url === undefined || url === '') {
    throw new UsageError(
      `environment variable ${envName} is not set`,
      `export ${envName}=postgres://user@host/db`,
    );
  }
  let pg: { default?: { Pool: new (o: object) => PgPool }; Pool?: new (o: object) => PgPool };
  try {
    pg = (await import('pg' as string)) as typeof pg;
  } catch {
    throw new CliFailure(
      'the "pg" package is not installed',
      'npm install pg (an optional peer dependency of coffer)',
    );
  }
  const Pool = pg.default?.Pool ?? pg.Pool;
  if (Pool === undefined) throw new CliFailure('the "pg" package has no Pool export');
  return new Pool({ connectionString: url, max: 2 });
}

function quietLine(parsed: Parsed, label: string): ReturnType<typeof progressLine> {
  if (!flag(parsed, 'quiet')) return progressLine({ label });
  return { update: () => {}, done: () => {} };
}

export async function pgCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'rotate' && sub !== 'verify') {
    throw new UsageError(
      sub === undefined ? '"coffer pg" needs a subcommand' : `unknown subcommand "pg ${sub}"`,
      'rotate or verify',
    );
  }
  const parsed = parseArgs(rest, OPTIONS);
  if (parsed.operands.length > 0)
    throw new UsageError(`unexpected argument ${JSON.stringify(parsed.operands[0])}`);
  const keyringFile = str(parsed, 'keyring');
  const specFile = str(parsed, 'table');
  if (keyringFile === undefined || specFile === undefined) {
    throw new UsageError(`pg ${sub} needs -k KEYRING and -t TABLE.json`, 'see "coffer help pg"');
  }
  const spec = tableSpec(specFile);
  const size = batchSize(parsed);
  const keyringText = readTextFile(keyringFile, 'keyring');
  // A wrong passphrase is the library's KeyringError, whose message says so.
  const keyring = await Keyring.load(keyringText, {
    passphrase: await passphrase(parsed, 'keyring passphrase'),
  });
  let table: EncryptedTable;
  try {
    table = new EncryptedTable(keyring, spec);
  } catch (err) {
    if (err instanceof TypeError || err instanceof RangeError)
      throw new CliFailure(`table spec: ${err.message}`);
    throw err;
  }
  const pool = await connect(parsed);
  const name = `${table.spec.schema}.${table.spec.table}`;
  const stop = new AbortController();
  const onSignal = () => {
    process.stderr.write('\ncoffer: stopping after the batch in progress commits (again to quit now)\n');
    stop.abort();
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  try {
    if (sub === 'rotate') {
      const line = quietLine(parsed, `rotating ${name}`);
      const report = await rotateTable(pool, table, {
        ...(size === undefined ? {} : { batchSize: size }),
        workerId: str(parsed, 'worker-id') ?? `${hostname()}:${process.pid}`,
        signal: stop.signal,
        onProgress: line.update,
      });
      line.done();
      process.stdout.write(
        `rotated ${report.rotated} rows in ${report.batches} batches (${Math.round(report.rowsPerSecond)} rows/s); ` +
          `${report.remaining} left under old keys; ${report.failures.length} failed\n`,
      );
      for (const f of report.failures)
        process.stdout.write(`failed: ${f.column} of row ${f.pk}: ${f.error}\n`);
      return report.failures.length > 0 || report.remaining > 0 ? EXIT.failed : EXIT.ok;
    }
    const line = quietLine(parsed, `verifying ${name}`);
    const report = await verifyTable(pool, table, {
      ...(size === undefined ? {} : { batchSize: size }),
      signal: stop.signal,
      onProgress: line.update,
    });
    line.done();
    process.stdout.write(`${report.rows} rows; ${report.stale} under an old key; ${report.failed} failed\n`);
    for (const [id, n] of Object.entries(report.byKeyId)) {
      process.stdout.write(`key ${id}${id === keyring.primaryKeyId ? ' (primary)' : ''}: ${n} values\n`);
    }
    for (const f of report.failures) process.stdout.write(`failed: ${f.column} of row ${f.pk}: ${f.error}\n`);
    return report.failed > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    process.off('SIGINT', onSignal);
    await pool.end();
  }
}
