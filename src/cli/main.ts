#!/usr/bin/env node
// The `coffer` command. Problems go to stderr as `coffer: error: …` and `coffer: hint: …`, with the exit
// statuses in EXIT (io.ts); a user error never prints a stack trace (COFFER_DEBUG=1 shows one for bugs).
import { readFileSync } from 'node:fs';
import {
  CofferError,
  DecodeError,
  InvalidKey,
  InvalidSignature,
  InvalidTag,
  InvalidToken,
  NoIdentityMatch,
} from '../errors.ts';
import { UsageError } from './args.ts';
import { COMMANDS, type Command } from './commands/index.ts';
import { CliFailure, EXIT } from './io.ts';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}

const EXIT_HELP = `exit status: 0 success; 1 the operation said no (wrong key or passphrase, damaged input, bad
signature, checksum mismatch); 2 usage error; 3 a file could not be read or written; 70 a bug in coffer.`;

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: coffer <command> [options]\n\n${lines.join('\n')}\n\n"coffer help <command>" shows a command's options.\n${EXIT_HELP}\n`;
}

function find(name: string | undefined): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

function report(kind: 'error' | 'hint', message: string): void {
  process.stderr.write(`coffer: ${kind}: ${message}\n`);
}

/** What a library error means to a person at a shell. */
function explain(err: CofferError): { message: string; hint?: string } {
  if (err instanceof InvalidToken || err instanceof InvalidTag) {
    return { message: 'decryption failed: wrong key, wrong context, or the data was damaged or altered' };
  }
  if (err instanceof NoIdentityMatch) {
    return {
      message: err.message,
      hint: 'the file was encrypted to other keys: check -i (or the passphrase)',
    };
  }
  if (err instanceof InvalidSignature) return { message: 'signature did not verify' };
  if (err instanceof InvalidKey) return { message: 'wrong key or passphrase' };
  if (err instanceof DecodeError) return { message: `malformed input: ${err.message}` };
  return { message: err.message };
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '-h' || name === '--help') {
      process.stdout.write(overview());
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    if (name === '--version' || name === '-V') {
      process.stdout.write(`coffer ${version()}\n`);
      return EXIT.ok;
    }
    if (name === 'help') {
      const target = find(rest[0]);
      if (rest[0] !== undefined && target === undefined)
        throw new UsageError(`no command "${rest[0]}"`, 'see "coffer help"');
      process.stdout.write(target === undefined ? overview() : `${(await target.load()).help}\n`);
      return EXIT.ok;
    }
    const command = find(name);
    if (command === undefined) throw new UsageError(`no command "${name}"`, 'see "coffer help"');
    const loaded = await command.load();
    // `--help` counts before a `--` only: after it, it is an operand (a file named --help).
    const end = rest.indexOf('--');
    const options = end === -1 ? rest : rest.slice(0, end);
    if (options.includes('-h') || options.includes('--help')) {
      process.stdout.write(`${loaded.help}\n`);
      return EXIT.ok;
    }
    return await loaded.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      report('error', err.message);
      if (err.hint !== undefined) report('hint', err.hint);
      return EXIT.usage;
    }
    if (err instanceof CliFailure) {
      report('error', err.message);
      if (err.hint !== undefined) report('hint', err.hint);
      return err.status;
    }
    if (err instanceof CofferError) {
      const { message, hint } = explain(err);
      report('error', message);
      if (hint !== undefined) report('hint', hint);
      return EXIT.failed;
    }
    if ((err as { code?: string }).code === 'EPIPE') return EXIT.ok;
    report('error', `internal error: ${err instanceof Error ? err.message : String(err)}`);
    report('hint', 'this is a bug in coffer; run with COFFER_DEBUG=1 for details and report it');
    if (process.env.COFFER_DEBUG === '1') process.stderr.write(`${(err as Error).stack ?? err}\n`);
    return EXIT.internal;
  }
}

// A stray rejection (a stream error nobody awaited) must not print node's stack trace either.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (err: unknown) => {
    const known =
      err instanceof CofferError
        ? explain(err).message
        : `internal error: ${err instanceof Error ? err.message : String(err)}`;
    report('error', known);
    if (process.env.COFFER_DEBUG === '1') process.stderr.write(`${(err as Error)?.stack ?? err}\n`);
    process.exit(err instanceof CofferError ? EXIT.failed : EXIT.internal);
  });
}

const status = await main(process.argv.slice(2));
process.exitCode = status;
