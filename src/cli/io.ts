// Input, output and secrets for the `coffer` command.
//
// - Secrets never come from argv: a prompt on the terminal (no echo), an environment variable named by a
//   flag (`--passphrase-env NAME`), or a file (`--passphrase-file FILE`).
// - Key files are created with mode 0600 and never overwritten silently.
// - Output files are written beside their destination and renamed into place only on success, so a failed
//   decryption leaves nothing behind.
// - Binary output is refused on a terminal.
import {
  closeSync,
  constants,
  createReadStream,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { open as openAsync } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { ReadStream } from 'node:tty';
import { randomBytes } from '../internal/backend.ts';
import { type OptionSpec, type Parsed, str, UsageError } from './args.ts';

/** Exit statuses (documented in `coffer help` and the README). */
export const EXIT = {
  ok: 0,
  /** The operation ran and said no: wrong key, damaged input, bad signature, checksum mismatch. */
  failed: 1,
  /** A usage mistake: unknown option, missing argument, a secret offered on argv. */
  usage: 2,
  /** A file could not be read or written. */
  io: 3,
  /** A bug in coffer (the stack trace shows with COFFER_DEBUG=1). */
  internal: 70,
} as const;

/** The operation failed for a reason the user should see (exit 1, or the status given). */
export class CliFailure extends Error {
  readonly hint: string | undefined;
  readonly status: number;
  constructor(message: string, hint?: string, status: number = EXIT.failed) {
    super(message);
    this.name = 'CliFailure';
    this.hint = hint;
    this.status = status;
  }
}

export function say(line: string): void {
  process.stderr.write(`coffer: ${line}\n`);
}

// ---------------------------------------------------------------------------------------------------
// Secrets.

/** The options every command that needs a passphrase accepts. */
export const PASSPHRASE_OPTIONS: readonly OptionSpec[] = [
  { long: 'passphrase-env', value: 'NAME', help: 'read the passphrase from environment variable NAME' },
  { long: 'passphrase-file', value: 'FILE', help: 'read the passphrase from FILE (first line)' },
];

function firstLine(text: string): string {
  const nl = text.search(/\r?\n/);
  return nl === -1 ? text : text.slice(0, nl);
}

/** Reads a file holding a secret: its first line (a trailing newline is not part of the secret). */
export function readSecretFile(path: string, what: string): string {
  let text: string;
  try {
    text = readFileText(path);
  } catch (err) {
    throw new CliFailure(
      `cannot read ${what} file ${JSON.stringify(path)}: ${ioReason(err)}`,
      undefined,
      EXIT.io,
    );
  }
  const secret = firstLine(text);
  if (secret === '') throw new CliFailure(`${what} file ${JSON.stringify(path)} is empty`);
  return secret;
}

function readFileText(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(65536);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(Buffer.from(buf.subarray(0, n)));
      if (chunks.length > 16) throw new Error('file too large for a secret');
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Prompts on the controlling terminal without echo. Throws a usage error when there is none. */
export async function promptSecret(prompt: string, hint: string): Promise<string> {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    throw new UsageError('no terminal to ask for a secret on', hint);
  }
  const input = new ReadStream(fd);
  input.setRawMode(true);
  writeSync(fd, prompt);
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      input.on('data', (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            resolve(value);
            return;
          }
          if (ch === '\u0003') {
            reject(new CliFailure('interrupted', undefined, 130));
            return;
          }
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
          else if (ch === '\u0015') value = '';
          else value += ch;
        }
      });
      input.on('error', reject);
    });
  } finally {
    input.setRawMode(false);
    writeSync(fd, '\n');
    input.destroy();
  }
}

/**
 * The passphrase for a command: from `--passphrase-env`, `--passphrase-file`, or a prompt (asked twice when
 * `confirm`, for a new secret).
 */
export async function passphrase(parsed: Parsed, what: string, confirm = false): Promise<string> {
  const envName = str(parsed, 'passphrase-env');
  const file = str(parsed, 'passphrase-file');
  if (envName !== undefined && file !== undefined) {
    throw new UsageError('give --passphrase-env or --passphrase-file, not both');
  }
  if (envName !== undefined) {
    const value = process.env[envName];
    if (value === undefined || value === '') {
      throw new UsageError(
        `environment variable ${envName} is not set or empty`,
        `export ${envName}=…, or use --passphrase-file`,
      );
    }
    return value;
  }
  if (file !== undefined) return readSecretFile(file, 'passphrase');
  const hint = 'use --passphrase-env NAME or --passphrase-file FILE when there is no terminal';
  const first = await promptSecret(`Enter ${what}: `, hint);
  if (first === '') throw new UsageError(`empty ${what}`);
  if (confirm) {
    const second = await promptSecret(`Confirm ${what}: `, hint);
    if (second !== first) throw new CliFailure(`the two ${what}s differ`);
  }
  return first;
}

// ---------------------------------------------------------------------------------------------------
// Files.

export function ioReason(err: unknown): string {
  const code = (err as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'EEXIST':
      return 'already exists';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/** Creates a new file with mode 0600 holding `data`; refuses to overwrite. */
export function writeNewSecretFile(path: string, data: string | Uint8Array): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (err) {
    const exists = (err as { code?: string }).code === 'EEXIST';
    throw new CliFailure(
      `cannot create ${JSON.stringify(path)}: ${ioReason(err)}`,
      exists ? 'coffer never overwrites a key file: choose another name or remove the old one' : undefined,
      EXIT.io,
    );
  }
  try {
    if (typeof data === 'string') writeSync(fd, data);
    else writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replaces a file atomically (temp file in the same folder, mode 0600, fsync, rename). */
export function replaceSecretFile(path: string, data: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new CliFailure(`cannot replace ${JSON.stringify(path)}: ${ioReason(err)}`, undefined, EXIT.io);
  }
}

export function readTextFile(path: string, what: string): string {
  try {
    return readFileText(path);
  } catch (err) {
    throw new CliFailure(`cannot read ${what} ${JSON.stringify(path)}: ${ioReason(err)}`, undefined, EXIT.io);
  }
}

/** The input named by an operand: standard input for `-` or none. */
export function inputStream(operand: string | undefined): Readable {
  if (operand === undefined || operand === '-') return process.stdin;
  const stream = createReadStream(operand);
  return stream;
}

/** Reads a whole input (for the small-message commands: Fernet, keyring seal/open). */
export async function readAll(operand: string | undefined, limit = 256 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of inputStream(operand)) {
      const b = chunk as Buffer;
      total += b.length;
      if (total > limit)
        throw new CliFailure(
          `input is larger than ${limit} bytes`,
          'use a streaming command such as "coffer encrypt"',
        );
      chunks.push(b);
    }
  } catch (err) {
    if (err instanceof CliFailure) throw err;
    throw new CliFailure(
      `cannot read ${operand === undefined || operand === '-' ? 'standard input' : JSON.stringify(operand)}: ${ioReason(err)}`,
      undefined,
      EXIT.io,
    );
  }
  return Buffer.concat(chunks);
}

/** An output: standard output, or a file that appears only when `commit` is called. */
export interface Output {
  readonly stream: Writable;
  readonly isTerminal: boolean;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Opens the output for `-o PATH` (or standard output). `binary` output is refused on a terminal, with a hint.
 */
export async function openOutput(
  path: string | undefined,
  options: { binary: boolean; mode?: number },
): Promise<Output> {
  if (path === undefined || path === '-') {
    const isTerminal = process.stdout.isTTY === true;
    if (options.binary && isTerminal) {
      throw new UsageError(
        'refusing to write binary output to a terminal',
        'use -a/--armor for text output, or -o FILE',
      );
    }
    const stream = process.stdout;
    return {
      stream,
      isTerminal,
      commit: async () => {},
      abort: async () => {},
    };
  }
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.part`);
  let handle: Awaited<ReturnType<typeof openAsync>>;
  try {
    handle = await openAsync(
      tmp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
      options.mode ?? 0o600,
    );
  } catch (err) {
    throw new CliFailure(`cannot write ${JSON.stringify(path)}: ${ioReason(err)}`, undefined, EXIT.io);
  }
  const stream = handle.createWriteStream();
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  // A failed pipeline destroys this stream with its error before abort() listens: never let that
  // rejection go unheard (commit() still awaits it and sees the error).
  finished.catch(() => {});
  return {
    stream,
    isTerminal: false,
    commit: async () => {
      if (!stream.writableEnded) stream.end();
      await finished;
      try {
        renameSync(tmp, path);
      } catch (err) {
        rmSync(tmp, { force: true });
        throw new CliFailure(`cannot write ${JSON.stringify(path)}: ${ioReason(err)}`, undefined, EXIT.io);
      }
    },
    abort: async () => {
      stream.destroy();
      await finished.catch(() => {});
      rmSync(tmp, { force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Progress on stderr, for long work: only on a terminal (or with COFFER_PROGRESS=1), at most 10 redraws a second.

function human(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? n.toFixed(0) : n.toFixed(1)} ${units[i]}`;
}

let quiet = false;
/** `--quiet`: no progress lines, whatever stderr is. */
export function quietProgress(): void {
  quiet = true;
}

/** The `--quiet` option of the commands that show progress. */
export const QUIET_OPTION: OptionSpec = { long: 'quiet', short: 'q', help: 'no progress on stderr' };

export class Progress {
  readonly #total: number | undefined;
  readonly #label: string;
  readonly #enabled: boolean;
  readonly #started = performance.now();
  #done = 0;
  #last = 0;

  constructor(label: string, total?: number) {
    this.#label = label;
    this.#total = total;
    this.#enabled = !quiet && (process.stderr.isTTY === true || process.env.COFFER_PROGRESS === '1');
  }

  add(n: number): void {
    this.#done += n;
    const now = performance.now();
    // Short work shows nothing: a line only for inputs of 4 MiB or more, or work past a second; then at
    // most 10 a second.
    const long = (this.#total !== undefined && this.#total >= 4 * 1024 * 1024) || now - this.#started > 1000;
    if (this.#enabled && long && now - this.#last > 100) {
      this.#last = now;
      this.#draw(now);
    }
  }

  #draw(now: number): void {
    const seconds = (now - this.#started) / 1000;
    const rate = seconds > 0 ? this.#done / seconds : 0;
    let line = `${this.#label}: ${human(this.#done)}`;
    if (this.#total !== undefined && this.#total > 0) {
      const pct = Math.min(100, (100 * this.#done) / this.#total);
      const eta = rate > 0 ? Math.max(0, (this.#total - this.#done) / rate) : undefined;
      line += ` of ${human(this.#total)} (${pct.toFixed(0)}%)`;
      if (eta !== undefined) line += `, ETA ${eta.toFixed(0)} s`;
    }
    line += `, ${human(rate)}/s`;
    process.stderr.write(`\r\x1b[2K${line}`);
  }

  end(): void {
    if (this.#enabled && this.#last !== 0) {
      this.#draw(performance.now());
      process.stderr.write('\n');
    }
  }
}
