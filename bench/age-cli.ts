// The `coffer` command against the `age` tool (issue 8): encrypt and decrypt a 1 GiB file with each, in one
// run, and report throughput (MB/s, 10^6 bytes a second, wall clock, process start included), peak RSS and
// the ratios coffer/age. Targets: at least age's throughput, at most age's peak memory.
//
//   npm run build && node --import tsx bench/age-cli.ts
//
// Environment: BENCH_AGE_MIB (file size in MiB, default 1024), BENCH_AGE_ROUNDS (default 3; the table shows
// medians of throughput and the largest peak RSS). coffer runs as users run it, `node dist/cli/main.js`;
// age is Debian's (`apt-get install age`). Peak RSS comes from `/usr/bin/time -f %M` (Debian package
// `time`), else from polling VmHWM in /proc/<pid>/status. Both tools decrypt the same file (age's), and
// every output is checked by SHA-256. The order of the tools alternates from round to round.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const v = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer`);
  return v;
}

const MIB = envInt('BENCH_AGE_MIB', 1024);
const ROUNDS = envInt('BENCH_AGE_ROUNDS', 3);
const SIZE = MIB * 1024 * 1024;
const root = fileURLToPath(new URL('..', import.meta.url));
const main = join(root, 'dist/cli/main.js');
const TIME = '/usr/bin/time';

interface Run {
  seconds: number;
  peakKiB: number;
}

function run(argv: readonly string[], cwd: string): Promise<Run> {
  const useTime = existsSync(TIME);
  const rssFile = join(cwd, 'rss.txt');
  const full = useTime ? [TIME, '-f', '%M', '-o', rssFile, ...argv] : [...argv];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(full[0]!, full.slice(1), {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, COFFER_PROGRESS: '0' },
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    let polled = 0;
    const poll = useTime
      ? undefined
      : setInterval(() => {
          try {
            const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m !== null) polled = Math.max(polled, Number(m[1]));
          } catch {
            // exited
          }
        }, 20);
    child.on('error', reject);
    child.on('close', (status) => {
      const seconds = (performance.now() - started) / 1000;
      if (poll !== undefined) clearInterval(poll);
      if (status !== 0) {
        reject(new Error(`${argv.join(' ')} failed (${status}): ${stderr}`));
        return;
      }
      let peakKiB = polled;
      if (useTime) {
        peakKiB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1));
        rmSync(rssFile, { force: true });
      }
      resolve({ seconds, peakKiB });
    });
  });
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function benchmark(): Promise<void> {
  if (!existsSync(main)) throw new Error('dist/cli/main.js is missing: run "npm run build" first');
  if (spawnSync('sh', ['-c', 'command -v age && command -v age-keygen']).status !== 0) {
    throw new Error('age not found: apt-get install age');
  }
  const ageVersion = spawnSync('age', ['--version'], { encoding: 'utf8' }).stdout.trim();
  const cofferVersion = spawnSync(process.execPath, [main, '--version'], { encoding: 'utf8' }).stdout.trim();
  const dir = mkdtempSync(join(tmpdir(), 'coffer-bench-age-'));
  const path = (name: string) => join(dir, name);
  try {
    process.stdout.write(
      `${cofferVersion} (node ${process.version}) vs age ${ageVersion}; ${MIB} MiB, ${ROUNDS} rounds; ` +
        `${cpus()[0]?.model ?? 'unknown CPU'}; peak RSS by ${existsSync(TIME) ? '/usr/bin/time %M' : 'VmHWM polling'}\n`,
    );
    // The input: random, written a MiB at a time (never held in memory).
    const chunk = Buffer.alloc(1 << 20);
    const h = createHash('sha256');
    const fd = openSync(path('in.bin'), 'w');
    for (let i = 0; i < MIB; i++) {
      randomFillSync(chunk);
      writeSync(fd, chunk);
      h.update(chunk);
    }
    closeSync(fd);
    const expected = h.digest('hex');
    spawnSync('age-keygen', ['-o', path('id.txt')], { stdio: 'ignore' });
    const recipient = /public key: (age1\S+)/.exec(readFileSync(path('id.txt'), 'utf8'))![1]!;

    const tools = {
      coffer: {
        encrypt: [process.execPath, main, 'encrypt', '-r', recipient, '-o', 'out.age', 'in.bin'],
        decrypt: [process.execPath, main, 'decrypt', '-i', 'id.txt', '-o', 'out.bin', 'ref.age'],
      },
      age: {
        encrypt: ['age', '-r', recipient, '-o', 'out.age', 'in.bin'],
        decrypt: ['age', '-d', '-i', 'id.txt', '-o', 'out.bin', 'ref.age'],
      },
    } as const;
    // The common ciphertext both decrypt.
    await run(tools.age.encrypt, dir);
    rmSync(path('ref.age'), { force: true });
    spawnSync('mv', [path('out.age'), path('ref.age')]);

    type Tool = keyof typeof tools;
    type Op = 'encrypt' | 'decrypt';
    const results: Record<Tool, Record<Op, Run[]>> = {
      coffer: { encrypt: [], decrypt: [] },
      age: { encrypt: [], decrypt: [] },
    };
    for (let round = 0; round < ROUNDS; round++) {
      const order: Tool[] = round % 2 === 0 ? ['coffer', 'age'] : ['age', 'coffer'];
      for (const op of ['encrypt', 'decrypt'] as const) {
        for (const tool of order) {
          const r = await run(tools[tool][op], dir);
          results[tool][op].push(r);
          process.stderr.write(
            `round ${round + 1} ${tool} ${op}: ${r.seconds.toFixed(2)} s, ${(r.peakKiB / 1024).toFixed(1)} MiB\n`,
          );
          if (op === 'decrypt' && round === 0) {
            const got = await sha256File(path('out.bin'));
            if (got !== expected) throw new Error(`${tool} decrypt: the SHA-256 does not match`);
          }
          if (op === 'encrypt' && round === 0) {
            // Each tool's ciphertext decrypts (with age, the reference) to the input.
            spawnSync('age', ['-d', '-i', path('id.txt'), '-o', path('check.bin'), path('out.age')]);
            const got = await sha256File(path('check.bin'));
            rmSync(path('check.bin'), { force: true });
            if (got !== expected) throw new Error(`${tool} encrypt: the round trip does not match`);
          }
          rmSync(path('out.age'), { force: true });
          rmSync(path('out.bin'), { force: true });
        }
      }
    }

    const mbps = (runs: Run[]) => median(runs.map((r) => SIZE / 1e6 / r.seconds));
    const peak = (runs: Run[]) => Math.max(...runs.map((r) => r.peakKiB)) / 1024;
    const rows: string[][] = [];
    let met = true;
    for (const op of ['encrypt', 'decrypt'] as const) {
      const c = results.coffer[op];
      const a = results.age[op];
      const speed = mbps(c) / mbps(a);
      const memory = peak(c) / peak(a);
      met &&= speed >= 1 && memory <= 1;
      rows.push([
        op,
        mbps(c).toFixed(0),
        mbps(a).toFixed(0),
        `${speed.toFixed(2)}x ${speed >= 1 ? 'ok' : 'MISSED'}`,
        peak(c).toFixed(1),
        peak(a).toFixed(1),
        `${memory.toFixed(2)}x ${memory <= 1 ? 'ok' : 'MISSED'}`,
      ]);
    }
    const header = [
      'operation',
      'coffer MB/s',
      'age MB/s',
      'speed coffer/age',
      'coffer peak RSS MiB',
      'age peak RSS MiB',
      'RSS coffer/age',
    ];
    const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(width[i]!)).join(' | ')} |`;
    process.stdout.write(
      `\n${[line(header), `| ${width.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n')}\n`,
    );
    process.stdout.write(
      `\ntargets (at least age's throughput, at most age's peak RSS): ${met ? 'met' : 'NOT met'}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await benchmark();
