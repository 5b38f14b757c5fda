// Drives pyca-runner.py: one python process for the whole run, given every case up front, then asked for
// calibrations and slices one line at a time so its samples interleave with node's. The interpreter is
// $COFFER_PYTHON, else python3, as in the tests.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Calibration, Clock, Sampler } from './measure.ts';

const python = process.env.COFFER_PYTHON ?? 'python3';
const runner = fileURLToPath(new URL('./pyca-runner.py', import.meta.url));

export interface PycaCase {
  readonly id: string;
  readonly size: number;
  readonly source: string;
}

export interface PycaVersions {
  readonly python: string;
  readonly cryptography: string;
  readonly openssl: string;
}

/** `undefined` when pyca can be used, else why not. */
export function pycaUnavailable(): string | undefined {
  if (process.env.BENCH_PYCA === '0') return 'BENCH_PYCA=0';
  const r = spawnSync(python, ['-c', 'import cryptography'], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) {
    return `${python} with the cryptography package is not importable`;
  }
  return undefined;
}

type Loaded = { output: string } | { error: string };
interface Hello {
  versions: PycaVersions;
  cases: Record<string, Loaded>;
}

export class PycaProcess {
  readonly versions: PycaVersions;
  /** Per case id: hex of `op()`'s output, or the error its snippet raised. */
  readonly loaded: ReadonlyMap<string, Loaded>;
  readonly #child: ChildProcess;
  readonly #lines: AsyncIterator<string>;

  private constructor(child: ChildProcess, lines: AsyncIterator<string>, hello: Hello) {
    this.#child = child;
    this.#lines = lines;
    this.versions = hello.versions;
    this.loaded = new Map(Object.entries(hello.cases));
  }

  static async start(cases: readonly PycaCase[], clock: Clock): Promise<PycaProcess> {
    const child = spawn(python, [runner], { stdio: ['pipe', 'pipe', 'inherit'] });
    // A failed spawn or a dead runner surfaces below as the end of its output; keep these from crashing us.
    child.on('error', (err) => process.stderr.write(`bench: ${python}: ${err.message}\n`));
    child.stdin!.on('error', () => {});
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const hello = await ask(child, lines, { cases, clock });
    return new PycaProcess(child, lines, hello as Hello);
  }

  /** A sampler for one loaded case. */
  sampler(id: string): Sampler {
    return {
      calibrate: async (warmSeconds, sliceSeconds) =>
        (await this.#ask({ calibrate: id, warmSeconds, sliceSeconds })) as Calibration,
      slice: async (batch) => ((await this.#ask({ slice: id, batch })) as { seconds: number }).seconds,
    };
  }

  #ask(message: unknown): Promise<unknown> {
    return ask(this.#child, this.#lines, message);
  }

  close(): void {
    this.#child.stdin!.end();
  }
}

async function ask(child: ChildProcess, lines: AsyncIterator<string>, message: unknown): Promise<unknown> {
  child.stdin!.write(`${JSON.stringify(message)}\n`);
  const next = await lines.next();
  if (next.done === true) {
    throw new Error(
      `${python} ${runner} stopped (exit status ${String(child.exitCode)}); see its stderr above`,
    );
  }
  return JSON.parse(next.value);
}
