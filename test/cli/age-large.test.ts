// Constant memory (issue 8): a 1 GiB file is encrypted and decrypted through the `coffer` command with a
// peak RSS under 100 MiB for each command, measured, and the round trip checked by SHA-256.
//
// Slow (about 15 s here, 2 GiB of temporary files at most): runs only with COFFER_SLOW_TESTS=1. It runs
// the built command (dist/cli/main.js, as users do; `npm test` builds it first) because tsx's on-the-fly
// compilation costs some 40 MiB of its own. Peak RSS comes from `/usr/bin/time -f %M` (Debian package
// `time`) when present, else from polling VmHWM in /proc/<pid>/status (the kernel's own high-water mark,
// so a poll that misses the peak still reads it).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { root } from '../helpers/cli.ts';

const SIZE = 1024 * 1024 * 1024;
const LIMIT_KIB = 100 * 1024;
const main = join(root, 'dist/cli/main.js');
const TIME = '/usr/bin/time';

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function skipReason(): string | false {
  if (process.env.COFFER_SLOW_TESTS !== '1') {
    return 'encrypts and decrypts 1 GiB through the command (about 15 s, 2 GiB of disk): set COFFER_SLOW_TESTS=1 to run it';
  }
  let reason: string | false = false;
  if (!existsSync(main)) reason = 'dist/cli/main.js is missing: run "npm run build"';
  else if (statSync(main).mtimeMs < newestSource(join(root, 'src'))) {
    reason = 'dist/ is older than src/: run "npm run build"';
  }
  if (reason !== false) {
    if (process.env.CI === 'true') throw new Error(`${reason}; CI requires it`);
    process.stderr.write(`\n!!!!! ${reason}: the 1 GiB constant-memory test is SKIPPED !!!!!\n\n`);
  }
  return reason;
}

interface Measured {
  status: number | null;
  stderr: string;
  peakKiB: number;
  seconds: number;
  how: string;
}

/** Runs `node dist/cli/main.js ARGS` and measures its peak resident set. */
function measure(args: readonly string[], cwd: string): Promise<Measured> {
  const useTime = existsSync(TIME);
  const rssFile = join(cwd, `rss-${process.hrtime.bigint()}.txt`);
  const argv = useTime
    ? [TIME, '-f', '%M', '-o', rssFile, process.execPath, main, ...args]
    : [process.execPath, main, ...args];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
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
            // the process has just exited
          }
        }, 20);
    child.on('error', reject);
    child.on('close', (status) => {
      if (poll !== undefined) clearInterval(poll);
      const seconds = (performance.now() - started) / 1000;
      let peakKiB = polled;
      if (useTime) {
        // `time` writes "Command exited with non-zero status N" before the number when the command fails.
        const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
        peakKiB = Number(lines.at(-1));
        rmSync(rssFile, { force: true });
      }
      resolve({ status, stderr, peakKiB, seconds, how: useTime ? '/usr/bin/time %M' : 'VmHWM polling' });
    });
  });
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

const skip = skipReason();

describe('coffer encrypt / decrypt of 1 GiB in constant memory', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-age-large-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const path = (name: string) => join(dir, name);
  let expected = '';

  test('setup: a 1 GiB file, written a MiB at a time, and an identity', async () => {
    if (!existsSync(TIME)) {
      process.stderr.write(
        `\n!!!!! ${TIME} not found (apt-get install time): peak RSS is read by polling VmHWM instead !!!!!\n\n`,
      );
    }
    const chunk = new Uint8Array(1 << 20);
    const h = createHash('sha256');
    const fd = openSync(path('big.bin'), 'w');
    try {
      for (let i = 0; i < SIZE / chunk.length; i++) {
        // Each MiB differs (its index, spread over it), so a misplaced chunk would change the digest.
        for (let j = 0; j < chunk.length; j += 4096) chunk[j] = (i + j / 4096) & 0xff;
        chunk.fill(i & 0xff, 1, 8);
        writeSync(fd, chunk);
        h.update(chunk);
      }
    } finally {
      closeSync(fd);
    }
    expected = h.digest('hex');
    const keygen = await measure(['keygen', '-o', 'id.txt'], dir);
    assert.equal(keygen.status, 0, keygen.stderr);
  });

  test('encrypt: peak RSS under 100 MiB', async () => {
    const recipient = /public key: (age1\S+)/.exec(readFileSync(path('id.txt'), 'utf8'))![1]!;
    const r = await measure(['encrypt', '-r', recipient, '-o', 'big.age', 'big.bin'], dir);
    process.stderr.write(
      `coffer encrypt 1 GiB: ${(r.peakKiB / 1024).toFixed(1)} MiB peak RSS (${r.how}), ${r.seconds.toFixed(1)} s\n`,
    );
    assert.equal(r.status, 0, r.stderr);
    rmSync(path('big.bin'));
    assert.ok(statSync(path('big.age')).size > SIZE, 'the ciphertext is there');
    assert.ok(r.peakKiB > 0, 'peak RSS was measured');
    assert.ok(r.peakKiB < LIMIT_KIB, `peak RSS ${r.peakKiB} KiB must stay under ${LIMIT_KIB} KiB`);
  });

  test('decrypt: peak RSS under 100 MiB, and the SHA-256 matches', async () => {
    const r = await measure(['decrypt', '-i', 'id.txt', '-o', 'big.out', 'big.age'], dir);
    process.stderr.write(
      `coffer decrypt 1 GiB: ${(r.peakKiB / 1024).toFixed(1)} MiB peak RSS (${r.how}), ${r.seconds.toFixed(1)} s\n`,
    );
    assert.equal(r.status, 0, r.stderr);
    rmSync(path('big.age'));
    assert.equal(statSync(path('big.out')).size, SIZE);
    assert.equal(await sha256File(path('big.out')), expected);
    assert.ok(r.peakKiB > 0, 'peak RSS was measured');
    assert.ok(r.peakKiB < LIMIT_KIB, `peak RSS ${r.peakKiB} KiB must stay under ${LIMIT_KIB} KiB`);
  });
});
