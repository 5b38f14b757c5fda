// What a benchmark case is, and the helpers case files share. A case file under bench/cases/ default-exports
// `defineCases([...])`; run.ts finds every such file, so adding an operation is adding one file.

/** One operation measured three ways: coffer's public API, the raw node:crypto a user would write, and pyca. */
export interface BenchCase {
  /** Row label, and what the command-line filter matches (with the size): `sha256`, `hmac-sha256`. */
  readonly name: string;
  /** Input bytes per operation: the size column, and the numerator of MB/s. */
  readonly size: number;
  /**
   * Whether MB/s means anything. False for password KDFs, whose cost is the work factor, not the input.
   * Default true.
   */
  readonly throughput?: boolean;
  /**
   * Largest acceptable coffer time / raw time. Default {@link defaultMaxRatio}: 1.1 at 1 MiB and above,
   * 1.5 below, where fixed per-call costs (validation, object creation) show.
   */
  readonly maxRatio?: number;
  /** The operation through coffer's public API. Its output must equal `raw()`'s. */
  coffer(): Uint8Array;
  /** The same work in the plain node:crypto a user would write without coffer. */
  raw(): Uint8Array;
  /**
   * Python source, run with pyca `cryptography`, that defines `op()` returning the same bytes. It runs with
   * `SIZE` (this case's size), `pattern(n, seed)` (the same bytes as this module's {@link pattern}) and pyca's
   * `hashes` and `hmac` modules in scope; it imports anything else itself. Build inputs at top level, not in
   * `op()`, as the TypeScript side does. Omit when pyca has no equivalent.
   */
  readonly pyca?: string;
}

/** Identity, for type checking a case file's default export. */
export function defineCases(cases: readonly BenchCase[]): readonly BenchCase[] {
  return cases;
}

export function defaultMaxRatio(size: number): number {
  return size >= 1024 * 1024 ? 1.1 : 1.5;
}

/**
 * Deterministic input bytes, so all three implementations hash the same data and their outputs can be
 * compared. Byte i is (131·i + 7·seed + 1) mod 256; pyca-runner.py computes the same.
 */
export function pattern(length: number, seed = 0): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (131 * i + 7 * seed + 1) & 0xff;
  return out;
}

/**
 * Tagged template for the `pyca` snippet: strips the common indentation so Python source can sit indented
 * inside TypeScript. Backslashes reach Python unchanged (`b'\x00'`); interpolated values go in as text.
 */
export function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw(strings, ...values);
  const lines = text
    .replace(/^\n/, '')
    .replace(/\n\s*$/, '')
    .split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length === 0 ? 0 : Math.min(...indents);
  return `${lines.map((l) => l.slice(cut)).join('\n')}\n`;
}

/** `64 B`, `32 KiB`, `1 MiB`. */
export function formatSize(size: number): string {
  if (size >= 1024 * 1024 && size % (1024 * 1024) === 0) return `${size / (1024 * 1024)} MiB`;
  if (size >= 1024 && size % 1024 === 0) return `${size / 1024} KiB`;
  return `${size} B`;
}

/** The case's identity for filtering and for the JSON results: `sha256 1 MiB`. */
export function caseId(c: BenchCase): string {
  return `${c.name} ${formatSize(c.size)}`;
}
