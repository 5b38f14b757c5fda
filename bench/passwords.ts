// Password hashing benchmark: hashPassword and verifyPassword at the defaults (Argon2id, m = 19456 KiB,
// t = 2, p = 1) beside the Argon2 backend called directly and pyca's Argon2id, then every Argon2 backend
// this runtime has, then sustained verifications per second under the concurrency limit. The operations
// are async, which bench/run.ts's cases cannot express, so this script drives bench/measure.ts itself.
//
//   node --import tsx bench/passwords.ts
//   /tmp/n24/node_modules/.bin/node --import tsx bench/passwords.ts    (another Node line)
//
// Environment: BENCH_TIME_MS (one sample, default 1000), BENCH_SAMPLES (default 5), BENCH_CLOCK=cpu, BENCH_PYCA=0,
// BENCH_SUSTAIN_MS (each sustained run, default 4000), COFFER_PYTHON.
import { pbkdf2, timingSafeEqual } from 'node:crypto';
import { availableParallelism, cpus } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { decodePasswordHash } from '../src/formats/phc.ts';
import { configurePasswordHashing, hashPassword, verifyPassword } from '../src/index.ts';
import { type Argon2Backend, argon2 } from '../src/internal/password-backend.ts';
import { pattern } from './case.ts';
import {
  type Clock,
  type Measurement,
  measureInterleaved,
  median,
  pairedRatio,
  type Sampler,
} from './measure.ts';
import { PycaProcess, pycaUnavailable } from './pyca.ts';

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const v = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer`);
  return v;
}

const clock: Clock = process.env.BENCH_CLOCK === 'cpu' ? 'cpu' : 'wall';
const options = {
  sampleMs: envInt('BENCH_TIME_MS', 1000),
  samples: envInt('BENCH_SAMPLES', 5),
  clock,
};
const sustainMs = envInt('BENCH_SUSTAIN_MS', 4000);

const PASSWORD = 'correct horse battery staple';
const passwordBytes = new TextEncoder().encode(PASSWORD);
const salt = pattern(16, 4);
const M = 19456;
const T = 2;
const P = 1;

/**
 * A sampler for an async operation, one at a time. The cpu clock counts every thread of the process, so
 * work on libuv's pool is included, as pyca's process_time includes its own.
 */
function asyncSampler(op: () => Promise<unknown>): Sampler {
  const run = async (n: number) => {
    if (clock === 'cpu') {
      const start = process.cpuUsage();
      for (let i = 0; i < n; i++) await op();
      const used = process.cpuUsage(start);
      return (used.user + used.system) / 1e6;
    }
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await op();
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  return {
    async calibrate(warmSeconds, sliceSeconds) {
      let n = 1;
      let elapsed = await run(n);
      while (elapsed < warmSeconds) {
        n *= 2;
        elapsed = await run(n);
      }
      const batch = Math.max(1, Math.round((n * sliceSeconds) / elapsed));
      return { batch, batchSeconds: (batch * elapsed) / n };
    },
    slice: run,
  };
}

const ms = (m: Measurement) => 1000 / m.opsPerSec;
const fmt = (x: number, digits = 1) => x.toFixed(digits);

interface Row {
  what: string;
  coffer: string;
  raw: string;
  pyca: string;
  ratio: string;
}

function pycaSource(op: string): string {
  return [
    'from cryptography.hazmat.primitives.kdf.argon2 import Argon2id',
    'salt = pattern(16, 4)',
    `password = ${JSON.stringify(PASSWORD)}.encode()`,
    `stored = Argon2id(salt=salt, length=32, iterations=${T}, lanes=${P}, memory_cost=${M}).derive_phc_encoded(password)`,
    'def op():',
    `    ${op}`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const cpu = cpus();
  const settings = configurePasswordHashing();
  console.log(
    `coffer password bench: node ${process.version} (OpenSSL ${process.versions.openssl}), ` +
      `${cpu[0]?.model.trim() ?? 'cpu'} × ${availableParallelism()}`,
  );
  console.log(
    `Argon2id m=${M} KiB, t=${T}, p=${P}; backend ${settings.argon2Backend} ` +
      `(available: ${settings.argon2Backends.join(', ')}); concurrency limit ${settings.concurrency}; ` +
      `${options.samples} samples of ~${options.sampleMs} ms (${clock} clock), interleaved, medians`,
  );

  const unavailable = pycaUnavailable();
  let pyca: PycaProcess | undefined;
  if (unavailable === undefined) {
    pyca = await PycaProcess.start(
      [
        {
          id: 'hash',
          size: 0,
          source: pycaSource(
            'return Argon2id(salt=salt, length=32, iterations=2, lanes=1, memory_cost=19456).derive_phc_encoded(password).encode()',
          ),
        },
        {
          id: 'verify',
          size: 0,
          source: pycaSource('Argon2id.verify_phc_encoded(password, stored); return b"ok"'),
        },
      ],
      clock,
    );
    console.log(`pyca: cryptography ${pyca.versions.cryptography} (${pyca.versions.openssl})`);
  } else console.log(`pyca skipped: ${unavailable}`);

  const stored = await hashPassword(PASSWORD);
  const decoded = decodePasswordHash(stored);
  if (decoded.scheme !== 'argon2') throw new Error('unexpected scheme');
  const params = { variant: 'argon2id', memoryCost: M, iterations: T, lanes: P, length: 32 } as const;
  const backend = settings.argon2Backend;
  const rawHash = () => argon2(backend, passwordBytes, salt, params);
  const rawVerify = async () => {
    const k = await argon2(backend, passwordBytes, decoded.salt, params);
    if (!timingSafeEqual(k, decoded.hash)) throw new Error('mismatch');
  };

  const samplers = (
    coffer: () => Promise<unknown>,
    raw: () => Promise<unknown>,
    pycaCase: string,
  ): Record<string, Sampler> => ({
    coffer: asyncSampler(coffer),
    raw: asyncSampler(raw),
    ...(pyca ? { pyca: pyca.sampler(pycaCase) } : {}),
  });

  const rows: Row[] = [];
  const row = (what: string, m: Record<string, Measurement>) => {
    const c = m.coffer!;
    rows.push({
      what,
      coffer: fmt(ms(c)),
      raw: m.raw === undefined ? '—' : `${fmt(ms(m.raw))} (${fmt(pairedRatio(m.raw, c), 2)}x)`,
      pyca: m.pyca === undefined ? '—' : fmt(ms(m.pyca)),
      // coffer time / pyca time, round by round.
      ratio: m.pyca === undefined ? '—' : `${fmt(pairedRatio(m.pyca, c), 2)}x`,
    });
  };

  process.stderr.write('  hashPassword\n');
  row(
    `hashPassword (${backend})`,
    await measureInterleaved(
      samplers(() => hashPassword(PASSWORD), rawHash, 'hash'),
      options,
    ),
  );
  process.stderr.write('  verifyPassword\n');
  row(
    `verifyPassword (${backend})`,
    await measureInterleaved(
      samplers(() => verifyPassword(PASSWORD, stored), rawVerify, 'verify'),
      options,
    ),
  );
  for (const b of settings.argon2Backends) {
    if (b === backend) continue;
    process.stderr.write(`  hashPassword on ${b}\n`);
    configurePasswordHashing({ argon2Backend: b });
    const few = b === '@noble/hashes' ? { ...options, samples: 3 } : options;
    row(
      `hashPassword (${b})`,
      await measureInterleaved(
        samplers(
          () => hashPassword(PASSWORD),
          () => argon2(b as Argon2Backend, passwordBytes, salt, params),
          'hash',
        ),
        few,
      ),
    );
  }
  configurePasswordHashing({ argon2Backend: 'auto' });
  pyca?.close();

  console.log(
    '\n| operation | coffer ms | backend called directly, ms (coffer time / its time) | pyca ms | coffer time / pyca time |',
  );
  console.log('| :-- | --: | --: | --: | --: |');
  for (const r of rows) console.log(`| ${r.what} | ${r.coffer} | ${r.raw} | ${r.pyca} | ${r.ratio} |`);

  // A control: plain node:crypto PBKDF2 on 1 thread and on every core. When it does not scale, other work
  // holds the cores (a shared machine) and the sustained figures below say little.
  const control = async (threads: number) => {
    const op = () => new Promise((resolve) => pbkdf2('pw', 'saltsaltsalt', 50_000, 32, 'sha256', resolve));
    const n = 8 * threads;
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: threads }, async () => {
        while (next++ < n) await op();
      }),
    );
    return n / (performance.now() - t0);
  };
  const scale = (await control(availableParallelism())) / (await control(1));
  console.log(
    `\nControl: PBKDF2 on ${availableParallelism()} threads runs ${fmt(scale, 2)}x as fast as on 1 ` +
      `(${availableParallelism()}x when the cores are free).`,
  );

  // Sustained load: many clients at once, each verifying in a loop, for a fixed time.
  console.log(
    `\nSustained verifyPassword, 64 concurrent clients for ${sustainMs / 1000} s each, ${availableParallelism()} cores:`,
  );
  console.log(
    '\n| concurrency limit | verifications/s | p50 latency ms | p99 latency ms | event-loop delay p99 ms | RSS peak MiB |',
  );
  console.log('| --: | --: | --: | --: | --: | --: |');
  const cores = availableParallelism();
  const limits = [...new Set([1, cores, cores + 1, 2 * cores, 4 * cores, settings.concurrency])].sort(
    (a, b) => a - b,
  );
  for (const limit of limits) {
    process.stderr.write(`  sustained, limit ${limit}\n`);
    configurePasswordHashing({ concurrency: limit });
    const latencies: number[] = [];
    let rss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      rss = Math.max(rss, process.memoryUsage().rss);
    }, 20);
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const end = performance.now() + sustainMs;
    let done = 0;
    const client = async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await verifyPassword(PASSWORD, stored);
        latencies.push(performance.now() - t0);
        done++;
      }
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: 64 }, client));
    const seconds = (performance.now() - start) / 1000;
    lag.disable();
    clearInterval(sampler);
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))]!;
    console.log(
      `| ${limit}${limit === settings.concurrency ? ' (default)' : ''} | ${fmt(done / seconds, 0)} | ${fmt(median(latencies), 0)} | ${fmt(p99, 0)} | ${fmt(lag.percentile(99) / 1e6, 1)} | ${fmt(rss / 2 ** 20, 0)} |`,
    );
  }
  configurePasswordHashing({ concurrency: settings.concurrency });
}

await main();
