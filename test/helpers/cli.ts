// Runs the `coffer` command (from source, through tsx) and returns its transcript.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** The newest modification time of any file under `dir`. */
function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return t;
}

// The built command when dist/ is current (`npm test` builds first): it starts in a fraction of the time
// tsx takes, and the CLI suites spawn it hundreds of times. From source, through tsx, when dist/ is missing
// or older than any file in src/ (a test run without a build must never test stale code).
const distMain = join(root, 'dist/cli/main.js');
const distCurrent = existsSync(distMain) && statSync(distMain).mtimeMs >= newest(join(root, 'src'));
export const cliArgs = distCurrent
  ? [distMain]
  : ['--import', import.meta.resolve('tsx'), join(root, 'src/cli/main.ts')];

export interface Transcript {
  stdout: string;
  stderr: string;
  status: number | null;
}

export function runCoffer(
  cwd: string,
  args: readonly string[],
  options: { input?: string | Uint8Array; env?: Record<string, string> } = {},
): Transcript {
  const r = spawnSync(process.execPath, [...cliArgs, ...args], {
    cwd,
    input: options.input ?? '',
    env: { ...process.env, COFFER_PROGRESS: '0', ...options.env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Every failure is reported as `coffer: error:` lines, never a stack trace. */
export function assertCleanError(t: Transcript, status: number, pattern: RegExp): void {
  assert.equal(t.status, status, `status; stderr: ${t.stderr}`);
  assert.match(t.stderr, /^coffer: error: /m);
  assert.match(t.stderr, pattern);
  assert.doesNotMatch(t.stderr, /\n\s+at /, 'no stack trace');
}
