// Where the shared test vectors live: $COFFER_VECTORS, else ../shared/vectors beside the repository.
// They are read in place, never copied into the repository. Absent vectors are announced loudly and the
// vector tests skip; under CI=true they fail instead.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export const vectorsDir = resolve(process.env.COFFER_VECTORS ?? join(repoRoot, '..', 'shared', 'vectors'));
export const vectorsPresent = existsSync(vectorsDir);

let warned = false;
/** `false` when the vector file exists; otherwise the reason to skip (and a loud warning once). */
export function vectorSkip(relPath: string): string | false {
  const full = join(vectorsDir, relPath);
  if (existsSync(full)) return false;
  const reason = `TEST VECTORS ABSENT: ${full} not found (set COFFER_VECTORS)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI requires the shared vectors`);
  if (!warned) {
    warned = true;
    process.stderr.write(`\n!!!!! ${reason}: vector tests are SKIPPED !!!!!\n\n`);
  }
  return reason;
}

export function vectorPath(relPath: string): string {
  return join(vectorsDir, relPath);
}

export function loadJson<T = unknown>(relPath: string): T {
  return JSON.parse(readFileSync(join(vectorsDir, relPath), 'utf8')) as T;
}

/** The repository's own vectors under test/vectors/. */
export function loadOwnJson<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(join(repoRoot, 'test', 'vectors', name), 'utf8')) as T;
}

export const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
export const toHex = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
