// `coffer doctor`: what coffer runs on here. The crypto backend (the native addon over node's own OpenSSL,
// or node:crypto), the OpenSSL and Node versions, the CPU features that decide AES-GCM speed, and which
// optional packages are present.
import { backendInfo } from '../../hazmat/backend.ts';
import { configurePasswordHashing } from '../../recipes/passwords.ts';
import { parseArgs, UsageError } from '../args.ts';
import { EXIT } from '../io.ts';

export const DOCTOR_HELP = `usage: coffer doctor

Prints the active crypto backend (native addon or node:crypto, and why), OpenSSL and Node versions, the
CPU's AES/SHA features, and the password-hashing backend. COFFER_BACKEND=js forces node:crypto.

examples:
  coffer doctor
  COFFER_BACKEND=js coffer doctor`;

async function present(name: string): Promise<boolean> {
  try {
    await import(name);
    return true;
  } catch {
    return false;
  }
}

export async function doctorCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv, []);
  if (parsed.operands.length > 0) throw new UsageError('doctor takes no arguments');
  const info = backendInfo();
  const out: string[] = [];
  out.push(`backend:   ${info.backend}${info.reason === undefined ? '' : ` (${info.reason})`}`);
  if (info.addon !== undefined) out.push(`addon:     ${info.addon}`);
  out.push(`node:      ${info.node}`);
  out.push(`openssl:   ${info.openssl}`);
  if (info.cpu === undefined) out.push('cpu:       features unknown');
  else {
    const on = Object.entries(info.cpu)
      .filter(([, v]) => v)
      .map(([k]) => k);
    out.push(`cpu:       ${on.length > 0 ? on.join(' ') : 'no AES/SHA acceleration'}`);
  }
  const pw = configurePasswordHashing();
  out.push(`passwords: argon2 on ${(pw as { argon2Backend?: string }).argon2Backend ?? 'unknown'}`);
  const optional = ['@node-rs/argon2', '@node-rs/bcrypt', 'bcrypt-pbkdf', 'pg', '@electric-sql/pglite'];
  const found = await Promise.all(optional.map(present));
  out.push(`optional:  ${optional.map((n, i) => `${n} ${found[i] ? 'yes' : 'no'}`).join(', ')}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return EXIT.ok;
}
