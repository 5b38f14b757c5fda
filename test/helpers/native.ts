// The native backend in tests: whether it is loaded, and a child process that runs coffer on the other
// backend. Native tests skip with a loud reason when the addon is missing (no compiler, not built) and
// fail instead under CI=true, unless the run is the deliberate COFFER_BACKEND=js one.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { nativeStatus } from '../../src/internal/native.ts';

let cached: string | false | undefined;

/** `false` when the native addon is loaded, else the reason to skip (announced once). */
export function nativeSkip(): string | false {
  if (cached !== undefined) return cached;
  if (nativeStatus.binding !== undefined) cached = false;
  else if (process.env.COFFER_BACKEND === 'js') cached = 'COFFER_BACKEND=js: native-only tests do not apply';
  else {
    cached = `native addon not loaded (${nativeStatus.reason}; run node scripts/build-native.mjs): native tests are SKIPPED`;
    if (process.env.CI === 'true') throw new Error(`${cached}; CI requires the native addon`);
    process.stderr.write(`\n!!!!! ${cached} !!!!!\n\n`);
  }
  return cached;
}

const childScript = fileURLToPath(new URL('./native-child.ts', import.meta.url));

/**
 * Runs test/helpers/native-child.ts under `backend` (`js` or `native`) with `input` as JSON on stdin;
 * returns its JSON answer.
 */
export function runOnBackend<T>(backend: 'js' | 'native', input: unknown, node = process.execPath): T {
  const r = spawnSync(node, ['--import', 'tsx', childScript], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    env: { ...process.env, COFFER_BACKEND: backend },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`child on ${backend} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
