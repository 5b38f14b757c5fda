// Command-line tools some interop tests drive (Debian's `argon2`, `htpasswd` from apache2-utils). When one
// is missing, its tests skip with a visible reason; under CI=true, where .ci/run installs them, they fail.
import { spawnSync } from 'node:child_process';

const cached = new Map<string, string | false>();

/** `false` when `command` runs, else the reason to skip (announced once). */
export function toolSkip(command: string, aptPackage: string): string | false {
  let reason = cached.get(command);
  if (reason === undefined) {
    const r = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
    reason =
      r.status === 0
        ? false
        : `${command} not found (apt-get install ${aptPackage}): its interop tests are SKIPPED`;
    if (reason !== false) {
      if (process.env.CI === 'true') throw new Error(`${reason}; CI requires it`);
      process.stderr.write(`\n!!!!! ${reason} !!!!!\n\n`);
    }
    cached.set(command, reason);
  }
  return reason;
}

/** Runs a command with `input` on stdin; returns stdout, or throws with stderr. */
export function run(command: string, args: readonly string[], input = ''): string {
  const r = spawnSync(command, args, { input, encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${command} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
