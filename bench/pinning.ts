// What certificate pinning adds to an HTTPS request's latency: a local https server (in a worker thread, so
// it has its own event loop and core) with a coffer-built chain (root → intermediate → leaf, ECDSA P-256),
// and N sequential GETs, each on a fresh connection (keepAlive off), through a plain `https.Agent` and
// through `createPinnedAgent` with the same CA. Two modes: every handshake full (maxCachedSessions: 0), and
// TLS session resumption allowed (both agents' default cache). Run by hand:
//
//   node --import tsx bench/pinning.ts
//   BENCH_PIN_N=1000 node --import tsx bench/pinning.ts
//
// The two agents alternate request by request (plain, pinned, then pinned, plain, ...), so drift on a
// shared machine falls on both alike; "paired" is the median of the pinned − plain differences of
// neighbouring requests. This is a measuring tool, not a test: nothing asserts on time.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import https from 'node:https';
import { cpus, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  type Certificate,
  CertificateBuilder,
  ExtendedKeyUsageOID,
  generalNames,
  nameFrom,
} from '../src/x509/index.ts';
import { createPinnedAgent, pinFromCertificate, pinFromPublicKey } from '../src/x509/pinning.ts';

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const v = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isSafeInteger(v) || v < 1)
    throw new RangeError(`${name} must be a positive integer, got ${raw}`);
  return v;
}

const N = envInt('BENCH_PIN_N', 300);
/** Requests per agent before measuring: JIT, OpenSSL's lazy initialisation, the first session tickets. */
const WARMUP = envInt('BENCH_PIN_WARMUP', 30);

// --- The chain ---

const DAY = 86400e3;
const now = Date.now();
const ec = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
interface Issuer {
  cert: Certificate;
  key: KeyObject;
}
function ca(cn: string, key: { publicKey: KeyObject; privateKey: KeyObject }, issuer?: Issuer): Certificate {
  return new CertificateBuilder()
    .subjectName(nameFrom({ CN: cn }))
    .publicKey(key.publicKey)
    .notValidBefore(new Date(now - DAY))
    .notValidAfter(new Date(now + 30 * DAY))
    .basicConstraints(true, issuer ? 0 : null)
    .keyUsage(['keyCertSign', 'cRLSign'])
    .sign(issuer?.key ?? key.privateKey, issuer ? { issuer: issuer.cert } : {});
}
const rootKey = ec();
const root = ca('coffer bench root', rootKey);
const interKey = ec();
const inter = ca('coffer bench intermediate', interKey, { cert: root, key: rootKey.privateKey });
const leafKey = ec();
const leaf = new CertificateBuilder()
  .subjectName(nameFrom({ CN: 'localhost' }))
  .publicKey(leafKey.publicKey)
  .notValidBefore(new Date(now - DAY))
  .notValidAfter(new Date(now + 10 * DAY))
  .keyUsage(['digitalSignature'])
  .extendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH])
  .subjectAlternativeName(generalNames(['DNS:localhost', 'IP:127.0.0.1']))
  .sign(interKey.privateKey, { issuer: inter });
const CA = root.toPem();
// The leaf's key and an offline backup key, as the docs recommend. Which certificate of the chain a pin
// names does not change the cost: the whole chain is walked before the pins are compared.
const PINS = [pinFromCertificate(leaf), pinFromPublicKey(ec().publicKey)];

// --- The server: a worker thread answering every request with "ok" and closing the connection ---

const SERVER = `
const https = require('node:https');
const { parentPort, workerData } = require('node:worker_threads');
const server = https.createServer({ key: workerData.key, cert: workerData.cert }, (req, res) => {
  res.writeHead(200, { 'content-length': '2', connection: 'close' });
  res.end('ok');
});
server.keepAliveTimeout = 0;
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', () => server.close(() => process.exit(0)));
`;

async function startServer(): Promise<{ port: number; stop(): Promise<void> }> {
  const worker = new Worker(SERVER, {
    eval: true,
    workerData: {
      key: leafKey.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      cert: leaf.toPem() + inter.toPem(),
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    port,
    stop: async () => {
      worker.postMessage('stop');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

// --- One request ---

interface Timing {
  ms: number;
  /** CPU time of the whole process (client and server thread) over the request. */
  cpu: number;
  resumed: boolean;
}

function request(agent: https.Agent, port: number): Promise<Timing> {
  return new Promise((resolve, reject) => {
    let resumed = false;
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const req = https.get({ host: '127.0.0.1', port, servername: 'localhost', path: '/', agent }, (res) => {
      res.resume();
      res.on('end', () => {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        const used = process.cpuUsage(cpu);
        resolve({ ms, cpu: (used.user + used.system) / 1e3, resumed });
      });
    });
    req.on('socket', (s) => {
      s.once('secureConnect', () => {
        resumed = (s as import('node:tls').TLSSocket).isSessionReused();
      });
    });
    req.on('error', reject);
  });
}

// --- Statistics ---

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo]! + (s[Math.ceil(i)]! - s[lo]!) * (i - lo);
}

interface Result {
  mode: string;
  agent: string;
  median: number;
  p95: number;
  mean: number;
  cpu: number;
  resumed: number;
}

async function measure(
  mode: string,
  agents: { plain: https.Agent; pinned: https.Agent },
  port: number,
): Promise<{ rows: Result[]; paired: { median: number; p95: number } }> {
  for (let i = 0; i < WARMUP; i++) {
    await request(agents.plain, port);
    await request(agents.pinned, port);
  }
  const t: Record<'plain' | 'pinned', Timing[]> = { plain: [], pinned: [] };
  for (let i = 0; i < N; i++) {
    const order = i % 2 === 0 ? (['plain', 'pinned'] as const) : (['pinned', 'plain'] as const);
    for (const name of order) t[name].push(await request(agents[name], port));
  }
  const rows = (['plain', 'pinned'] as const).map((name) => {
    const ms = t[name].map((x) => x.ms);
    return {
      mode,
      agent: name === 'plain' ? 'https.Agent' : 'createPinnedAgent',
      median: quantile(ms, 0.5),
      p95: quantile(ms, 0.95),
      mean: ms.reduce((a, b) => a + b, 0) / ms.length,
      cpu: quantile(
        t[name].map((x) => x.cpu),
        0.5,
      ),
      resumed: t[name].filter((x) => x.resumed).length / N,
    };
  });
  const diffs = t.pinned.map((x, i) => x.ms - t.plain[i]!.ms);
  return { rows, paired: { median: quantile(diffs, 0.5), p95: quantile(diffs, 0.95) } };
}

// --- Main ---

const cpu = cpus();
console.log(
  `coffer pinning bench: node ${process.version} (OpenSSL ${process.versions.openssl}), ` +
    `${cpu[0]?.model.trim() ?? 'unknown'} × ${cpu.length}, load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
);
console.log(
  `${N} sequential GETs per agent and mode on fresh connections (keepAlive off), agents alternating, ` +
    `after ${WARMUP} warm-up requests each; server in a worker thread; chain root → intermediate → leaf, P-256`,
);

const server = await startServer();
const results: Result[] = [];
const paired: { mode: string; median: number; p95: number }[] = [];
try {
  for (const [mode, maxCachedSessions] of [
    ['full handshake', 0],
    ['resumption allowed', 100],
  ] as const) {
    const common = { ca: CA, keepAlive: false, maxCachedSessions };
    const agents = {
      plain: new https.Agent(common),
      pinned: createPinnedAgent({ pins: PINS, ...common }),
    };
    const r = await measure(mode, agents, server.port);
    results.push(...r.rows);
    paired.push({ mode, ...r.paired });
    agents.plain.destroy();
    agents.pinned.destroy();
  }
} finally {
  await server.stop();
}

const f = (x: number) => x.toFixed(3);
const header = ['mode', 'agent', 'median ms', 'p95 ms', 'mean ms', 'cpu ms', 'resumed'];
const body: string[][] = [];
for (const mode of new Set(results.map((r) => r.mode))) {
  const [plain, pinned] = results.filter((r) => r.mode === mode) as [Result, Result];
  for (const r of [plain, pinned]) {
    body.push([
      r.mode,
      r.agent,
      f(r.median),
      f(r.p95),
      f(r.mean),
      f(r.cpu),
      `${Math.round(r.resumed * 100)}%`,
    ]);
  }
  const p = paired.find((x) => x.mode === mode)!;
  body.push([
    mode,
    'pinned − plain',
    `${f(pinned.median - plain.median)} (paired ${f(p.median)})`,
    f(pinned.p95 - plain.p95),
    f(pinned.mean - plain.mean),
    f(pinned.cpu - plain.cpu),
    '',
  ]);
}
const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
const line = (cells: string[]) =>
  cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
for (const row of body) console.log(line(row));
console.log(`\nMarkdown:\n\n| ${header.join(' | ')} |\n| :-- | :-- | --: | --: | --: | --: | --: |`);
for (const row of body) console.log(`| ${row.join(' | ')} |`);
console.log(
  '\npaired: median of pinned − plain over neighbouring requests. cpu: median CPU time of the process (client' +
    '\nand server thread) per request, steadier than wall time on a loaded machine. resumed: share of' +
    '\nhandshakes that resumed a TLS session. A resumed pinned connection is judged by the chain its session' +
    '\nwas created with, so its check costs a map lookup.',
);
console.log(
  `load after: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
