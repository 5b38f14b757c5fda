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
