// Live interop with pyca/cryptography through a python3 subprocess. The interpreter is $COFFER_PYTHON,
// else python3. When it or the package is missing, interop tests skip with a visible reason (and fail
// under CI=true, where .ci/run guarantees them).
import { spawnSync } from 'node:child_process';

export const python = process.env.COFFER_PYTHON ?? 'python3';

function probe(): string | false {
  const r = spawnSync(python, ['-c', 'import cryptography; print(cryptography.__version__)'], {
    encoding: 'utf8',
  });
  if (r.error || r.status !== 0) {
    const reason = `pyca interop skipped: ${python} with the cryptography package is not available`;
    if (process.env.CI === 'true') throw new Error(`${reason}; CI requires it`);
    process.stderr.write(`\n!!!!! ${reason} !!!!!\n\n`);
    return reason;
  }
  return false;
}

let cached: string | false | undefined;
/** `false` when pyca is usable, else the skip reason. */
export function pycaSkip(): string | false {
  if (cached === undefined) cached = probe();
  return cached;
}

/**
 * Runs a Python script that reads one JSON value on stdin and writes one JSON value on stdout.
 */
export function runPython<T = unknown>(script: string, input: unknown): T {
  const r = spawnSync(python, ['-c', script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
