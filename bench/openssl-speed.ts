// `openssl speed` beside the AEAD rows of the benchmark: what OpenSSL itself does on this machine, the
// ceiling for anything built on node:crypto. Two figures per size:
//   -evp    `openssl speed -evp <cipher> -bytes N`: EVP_EncryptUpdate over the buffer in one long-lived
//           context, no per-message setup or tag. The yardstick ("90% of openssl speed -evp").
//   -aead   the same with `-aead`: a full message each time (init with a nonce, AAD, update, final, tag),
//           as a one-shot AEAD call does. The fair ceiling at small sizes.
// Run by bench/run.ts after its table when AEAD cases were selected, or on its own:
//
//   node --import tsx bench/openssl-speed.ts            every cipher and size below
//
// The `openssl` binary is $OPENSSL, else `openssl` on the PATH; when it is missing or fails, the section
// says so and the benchmark goes on. Its version is printed: compare it with node's.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatSize } from './case.ts';

const openssl = process.env.OPENSSL ?? 'openssl';

/** Benchmark case names (bench/cases/aead.ts) and the OpenSSL cipher each one runs. */
export const OPENSSL_CIPHERS: Readonly<Record<string, string>> = {
  'aes-256-gcm encrypt': 'aes-256-gcm',
  'chacha20-poly1305 encrypt': 'chacha20-poly1305',
};

export const OPENSSL_SIZES: readonly number[] = [64, 16 * 1024, 1024 * 1024];

export interface SpeedFigure {
  readonly cipher: string;
  readonly size: number;
  /** Bytes per second, or null when that run failed. */
  readonly evp: number | null;
  readonly aead: number | null;
}

/** `openssl version`, or why it cannot be run. */
export function opensslVersion(): { version: string } | { missing: string } {
  const r = spawnSync(openssl, ['version'], { encoding: 'utf8' });
  if (r.error !== undefined) return { missing: `${openssl}: ${r.error.message}` };
  if (r.status !== 0) return { missing: `${openssl} version exited with ${r.status}` };
  return { version: r.stdout.trim() };
}

/** One `openssl speed` run in machine-readable form (-mr): bytes per second from its `+F:` line. */
function speed(cipher: string, size: number, aead: boolean, seconds: number): number | null {
  const args = ['speed', '-mr', '-seconds', String(seconds), '-bytes', String(size), '-evp', cipher];
  if (aead) args.push('-aead');
  const r = spawnSync(openssl, args, { encoding: 'utf8', timeout: (seconds + 30) * 1000 });
  if (r.error !== undefined || r.status !== 0) return null;
  // +F:<index>:<name>:<bytes per second for each size asked for>
  const line = r.stdout.split('\n').find((l) => l.startsWith('+F:'));
  const value = Number(line?.split(':').pop());
  return Number.isFinite(value) && value > 0 ? value : null;
}

/** Measures every cipher and size asked for, one second per figure. */
export function measureOpenssl(
  wanted: ReadonlyArray<{ cipher: string; size: number }>,
  seconds = 1,
): SpeedFigure[] {
  return wanted.map(({ cipher, size }) => ({
    cipher,
    size,
    evp: speed(cipher, size, false, seconds),
    aead: speed(cipher, size, true, seconds),
  }));
}

const mbps = (bytesPerSecond: number | null) =>
  bytesPerSecond === null ? 'failed' : (bytesPerSecond / 1e6).toFixed(bytesPerSecond >= 1e8 ? 0 : 1);
const percent = (a: number, b: number | null) => (b === null ? '—' : `${((100 * a) / b).toFixed(0)}%`);

/** A benchmark row, as much of it as this section reads. */
export interface RowLike {
  readonly name: string;
  readonly size: number;
  readonly coffer: { readonly opsPerSec: number };
  readonly raw: { readonly opsPerSec: number };
}

/**
 * The section run.ts prints: for each AEAD row measured, OpenSSL's figures and coffer's and node's share
 * of them. Returns the text, or `undefined` when no AEAD row was measured.
 */
export function opensslSection(rows: readonly RowLike[]): string | undefined {
  const mine = rows.filter((r) => OPENSSL_CIPHERS[r.name] !== undefined);
  if (mine.length === 0) return undefined;
  const v = opensslVersion();
  if ('missing' in v) return `openssl speed: skipped (${v.missing})`;
  process.stderr.write(`  openssl speed (${mine.length * 2} runs of 1 s)\n`);
  const figures = measureOpenssl(mine.map((r) => ({ cipher: OPENSSL_CIPHERS[r.name]!, size: r.size })));
  const header = [
    'operation',
    'size',
    'openssl -evp MB/s',
    'openssl -aead MB/s',
    'coffer MB/s',
    'node MB/s',
    'coffer/-evp',
    'coffer/-aead',
    'node/-evp',
  ];
  const lines = mine.map((r, i) => {
    const f = figures[i]!;
    const coffer = r.coffer.opsPerSec * r.size;
    const node = r.raw.opsPerSec * r.size;
    return [
      r.name,
      formatSize(r.size),
      mbps(f.evp),
      mbps(f.aead),
      mbps(coffer),
      mbps(node),
      percent(coffer, f.evp),
      percent(coffer, f.aead),
      percent(node, f.evp),
    ];
  });
  const table = [header, ...lines];
  const widths = header.map((_, i) => Math.max(...table.map((l) => l[i]!.length)));
  const text = table.map((l) =>
    l.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '),
  );
  text.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const markdown = [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i < 2 ? ':--' : '--:')).join(' | ')} |`,
    ...lines.map((l) => `| ${l.join(' | ')} |`),
  ];
  return [
    `openssl speed beside coffer (${v.version}; node's is OpenSSL ${process.versions.openssl}):`,
    '',
    ...text,
    '',
    '-evp: one EVP context streaming the buffer (no per-message setup or tag); -aead: a whole AEAD message',
    'each time (init, AAD, update, final, tag), as one encrypt() call. MB = 10^6 B.',
    '',
    'Markdown:',
    '',
    ...markdown,
  ].join('\n');
}

// Signatures and key agreement (bench/cases/asymmetric.ts): `openssl speed -mr -seconds 1 ed25519
// ecdsap256 ecdhx25519 rsa2048` in one run, ops/s per operation, beside coffer's and node's rows. The
// issue's targets: at least 90% of OpenSSL's ops/s for Ed25519 and X25519, 85% for ECDSA; for RSA, ahead
// of pyca (judged in the main table's "vs pyca" column, repeated here).

/** Benchmark case names and the `openssl speed` figure each one sits beside, with its target share. */
export const OPENSSL_ASYM: Readonly<Record<string, { figure: string; target: number | null }>> = {
  'ed25519 sign': { figure: 'ed25519 sign', target: 0.9 },
  'ed25519 verify': { figure: 'ed25519 verify', target: 0.9 },
  'ecdsa-p256 sign': { figure: 'ecdsap256 sign', target: 0.85 },
  'ecdsa-p256 verify': { figure: 'ecdsap256 verify', target: 0.85 },
  'x25519 exchange': { figure: 'ecdhx25519', target: 0.9 },
  'rsa2048-pss sign': { figure: 'rsa2048 sign', target: null },
  'rsa2048-pss verify': { figure: 'rsa2048 verify', target: null },
};

/**
 * One `openssl speed -mr` run over the asymmetric algorithms; ops/s by figure name. Its machine-readable
 * lines: `+F2:k:bits:sign/s:verify/s` (RSA), `+F4:k:bits:sign/s:verify/s` (ECDSA), `+F5:k:bits:ops/s:s/op`
 * (ECDH), `+F6:k:bits:name:sign/s:verify/s` (EdDSA).
 */
export function measureOpensslAsym(seconds = 1): Map<string, number> {
  const args = ['speed', '-mr', '-seconds', String(seconds), 'ed25519', 'ecdsap256', 'ecdhx25519', 'rsa2048'];
  const r = spawnSync(openssl, args, { encoding: 'utf8', timeout: (8 * seconds + 60) * 1000 });
  const out = new Map<string, number>();
  if (r.error !== undefined || r.status !== 0) return out;
  for (const line of r.stdout.split('\n')) {
    const f = line.split(':');
    const num = (i: number) => Number(f[i]);
    if (f[0] === '+F2' && f[2] === '2048') {
      out.set('rsa2048 sign', num(3));
      out.set('rsa2048 verify', num(4));
    } else if (f[0] === '+F4' && f[2] === '256') {
      out.set('ecdsap256 sign', num(3));
      out.set('ecdsap256 verify', num(4));
    } else if (f[0] === '+F5' && f[2] === '253') {
      out.set('ecdhx25519', num(3));
    } else if (f[0] === '+F6' && f[3] === 'Ed25519') {
      out.set('ed25519 sign', num(4));
      out.set('ed25519 verify', num(5));
    }
  }
  return out;
}

/** A row as this section reads it, pyca's figure included. */
export interface AsymRowLike extends RowLike {
  readonly pyca: { readonly opsPerSec: number } | string | null;
}

/** The section run.ts prints beside the asymmetric rows, or `undefined` when none was measured. */
export function opensslAsymSection(rows: readonly AsymRowLike[]): string | undefined {
  const mine = rows.filter((r) => OPENSSL_ASYM[r.name] !== undefined);
  if (mine.length === 0) return undefined;
  const v = opensslVersion();
  if ('missing' in v) return `openssl speed (asymmetric): skipped (${v.missing})`;
  process.stderr.write('  openssl speed ed25519 ecdsap256 ecdhx25519 rsa2048 (about 8 s)\n');
  const figures = measureOpensslAsym();
  const ops = (x: number | undefined) =>
    x === undefined || !Number.isFinite(x) ? '—' : x >= 100 ? x.toFixed(0) : x.toFixed(1);
  const header = [
    'operation',
    'openssl speed ops/s',
    'coffer ops/s',
    'node ops/s',
    'pyca ops/s',
    'coffer/openssl',
    'node/openssl',
    'target',
    'verdict',
  ];
  const lines = mine.map((r) => {
    const spec = OPENSSL_ASYM[r.name]!;
    const o = figures.get(spec.figure);
    const py = typeof r.pyca === 'object' && r.pyca !== null ? r.pyca.opsPerSec : undefined;
    let target: string;
    let verdict: string;
    if (spec.target !== null) {
      target = `>= ${(spec.target * 100).toFixed(0)}% openssl`;
      verdict = o === undefined ? 'n/a' : r.coffer.opsPerSec >= spec.target * o ? 'PASS' : 'MISS';
    } else {
      target = '> pyca';
      verdict = py === undefined ? 'n/a' : r.coffer.opsPerSec > py ? 'PASS' : 'MISS';
    }
    return [
      `${r.name} (${spec.figure})`,
      ops(o),
      ops(r.coffer.opsPerSec),
      ops(r.raw.opsPerSec),
      ops(py),
      o === undefined ? '—' : percent(r.coffer.opsPerSec, o),
      o === undefined ? '—' : percent(r.raw.opsPerSec, o),
      target,
      verdict,
    ];
  });
  const table = [header, ...lines];
  const widths = header.map((_, i) => Math.max(...table.map((l) => l[i]!.length)));
  const text = table.map((l) =>
    l.map((c, i) => (i === 0 || i >= 7 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '),
  );
  text.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const markdown = [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 || i >= 7 ? ':--' : '--:')).join(' | ')} |`,
    ...lines.map((l) => `| ${l.join(' | ')} |`),
  ];
  return [
    `openssl speed beside the signature and key-agreement rows (${v.version}; node's is OpenSSL ${process.versions.openssl}):`,
    '',
    ...text,
    '',
    'openssl speed signs and verifies a 32-byte digest (ECDSA, RSA) or a short message (Ed25519) in a loop in C;',
    'coffer and node hash a 64-byte message first. RSA: openssl speed times PKCS#1 v1.5, the rows PSS.',
    'Verdicts are single-run point estimates (no interval): re-run before acting on a near miss.',
    '',
    'Markdown:',
    '',
    ...markdown,
  ].join('\n');
}

// Standalone: every cipher at every size.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const v = opensslVersion();
  if ('missing' in v) {
    console.log(`openssl speed: skipped (${v.missing})`);
  } else {
    console.log(`${v.version} (node's: OpenSSL ${process.versions.openssl})`);
    const wanted = Object.values(OPENSSL_CIPHERS).flatMap((cipher) =>
      OPENSSL_SIZES.map((size) => ({ cipher, size })),
    );
    for (const f of measureOpenssl(wanted)) {
      console.log(
        `${f.cipher.padEnd(18)} ${formatSize(f.size).padEnd(7)} -evp ${mbps(f.evp).padStart(7)} MB/s   -aead ${mbps(f.aead).padStart(7)} MB/s`,
      );
    }
  }
}
