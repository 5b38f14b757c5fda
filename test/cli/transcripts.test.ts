// Transcript tests for the `coffer` command: each test/cli/transcripts/*.txt file is a session at a shell,
// with the commands, their standard input, the expected standard output and error, and the exit status.
// Each file runs in a fresh temporary directory (the commands' working directory), top to bottom; its
// commands run one after another, each as a test named by its line. Run them with
// `node scripts/run-tests.mjs transcripts`.
//
// The format, line by line (a line's first characters say what it is):
//
//   # text                a comment; comments and blank lines are ignored everywhere
//   @needs TOOL PACKAGE   the file needs TOOL (from the apt PACKAGE): without it the file is skipped loudly
//                         (a failure under CI=true), as test/helpers/tools.ts does
//   @env NAME VALUE       set an environment variable for the commands below (VALUE is the rest of the
//                         line, ${NAME} expanded)
//   @file NAME TEXT       create the file NAME holding TEXT, where \n, \t, \\ and \xHH are escapes and
//                         ${NAME} is expanded; no newline is added: write `@file msg.txt hello\n`
//   @append NAME TEXT     add TEXT (escapes as for @file) to the end of the file
//   @copy FROM TO         copy a file
//   @flip NAME OFFSET     flip the low bit of the byte at OFFSET (negative: from the end)
//   @truncate NAME SIZE   cut the file to SIZE bytes (negative: drop that many from the end)
//   @absent NAME          assert that the file does not exist (nothing left behind after a failure)
//   @exists NAME [MODE]   assert that the file exists, with octal permission bits MODE (`600`) if given
//
//   $ coffer ARGS…        run the command (as test/helpers/cli.ts runs it: dist/ when current). ARGS are
//                         split like a POSIX shell's: '…' is literal, "…" and bare words expand $NAME and
//                         ${NAME}, a backslash escapes the next character. No globs, pipes or redirections.
//   $ tty coffer ARGS…    the same inside a pseudo-terminal (`script -qec`), so standard input, output and
//                         error are a terminal: the command's stdout and stderr arrive merged, as `>` lines
//                         (`!` lines are not allowed there); the file needs `@needs script bsdutils`
//
// and, after a `$` line, what belongs to that command (in any order; each kind keeps its own order):
//
//   < TEXT                a line of standard input (each `<` line adds TEXT, ${NAME} expanded, and a
//                         newline); no `<` line means empty standard input
//   <@ NAME               standard input is the file NAME (for binary input)
//   > TEXT                a line of standard output, exactly (`>` alone: an empty line)
//   >~ REGEX              a line of standard output matching REGEX (the whole line: ^…$ are implied)
//   >...                  any number of standard output lines, none included
//   ! TEXT, !~ REGEX, !...  the same for standard error
//   ? STATUS              the exit status (0 when there is no `?` line)
//
// When a command has no `>` lines its standard output must be empty, and the same for `!` lines and
// standard error. Output that does not end in a newline gets a last line `\ no newline at end` (as diff
// writes it), so `> \ no newline at end` states that.
//
// Variables. $TMP is the temporary directory: in commands it expands to the path, and in the output the
// path is replaced by the literal text `$TMP`, so an expected line reads `> cannot read $TMP/x`. A named
// group in a regex line sets a variable for the lines and commands after it: `!~ Public key: (?<ME>age1\w+)`
// sets ME, used as `-r $ME` in a command, `${ME}` in a TEXT line (expected output, standard input, @env, @file),
// and `${ME}` (matched literally) in a REGEX. Names are upper case: [A-Z][A-Z0-9_]*. Other `$` signs in expected lines are literal.
// Use regex lines wherever the output is random (keys, tokens, times, hashes with a salt).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../../src/cli/commands/index.ts';
import { cliArgs } from '../helpers/cli.ts';
import { toolSkip } from '../helpers/tools.ts';

const TRANSCRIPTS = fileURLToPath(new URL('./transcripts/', import.meta.url));

// ---------------------------------------------------------------------------------------------------
// Parsing.

type Matcher = { kind: 'text'; text: string } | { kind: 'regex'; source: string } | { kind: 'any' };

interface Step {
  line: number;
  source: string;
}

interface Directive extends Step {
  kind: 'directive';
  name: string;
  args: string[];
  rest: string;
}

interface Run extends Step {
  kind: 'run';
  tty: boolean;
  args: string;
  stdin: string[];
  stdinFile: string | undefined;
  stdout: Matcher[];
  stderr: Matcher[];
  status: number;
}

interface Transcript {
  needs: [tool: string, aptPackage: string][];
  steps: (Directive | Run)[];
}

function parseTranscript(text: string, where: string): Transcript {
  const needs: [string, string][] = [];
  const steps: (Directive | Run)[] = [];
  let current: Run | undefined;
  const fail = (n: number, message: string): never => {
    throw new Error(`${where}:${n}: ${message}`);
  };
  const matcher = (body: string): Matcher => {
    if (body === '...') return { kind: 'any' };
    if (body.startsWith('~ ')) return { kind: 'regex', source: body.slice(2) };
    if (body === '') return { kind: 'text', text: '' };
    if (body.startsWith(' ')) return { kind: 'text', text: body.slice(1) };
    return { kind: 'text', text: body };
  };
  text.split('\n').forEach((raw, i) => {
    const n = i + 1;
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) return;
    if (line.startsWith('$ ')) {
      const command = line.slice(2).trim();
      const m = /^(tty\s+)?coffer(?:\s+(.*))?$/.exec(command);
      if (m === null) fail(n, `a command must start with "coffer" or "tty coffer": ${command}`);
      current = {
        kind: 'run',
        line: n,
        source: command,
        tty: m![1] !== undefined,
        args: m![2] ?? '',
        stdin: [],
        stdinFile: undefined,
        stdout: [],
        stderr: [],
        status: 0,
      };
      steps.push(current);
      return;
    }
    if (line.startsWith('@')) {
      current = undefined;
      const space = line.indexOf(' ');
      const name = space === -1 ? line.slice(1) : line.slice(1, space);
      const rest = space === -1 ? '' : line.slice(space + 1);
      const args = rest.split(/\s+/).filter((a) => a !== '');
      const arity: Record<string, [number, number]> = {
        needs: [2, 2],
        env: [1, Infinity],
        file: [1, Infinity],
        append: [2, Infinity],
        copy: [2, 2],
        flip: [2, 2],
        truncate: [2, 2],
        absent: [1, 1],
        exists: [1, 2],
      };
      const range = arity[name];
      if (range === undefined) fail(n, `unknown directive @${name}`);
      if (args.length < range![0] || args.length > range![1])
        fail(n, `@${name} takes ${range![0]}..${range![1]} arguments`);
      if (name === 'needs') needs.push([args[0]!, args[1]!]);
      else steps.push({ kind: 'directive', line: n, source: line, name, args, rest });
      return;
    }
    if (current === undefined) fail(n, `"${line}" belongs to no command (start one with "$ coffer")`);
    const run = current!;
    if (line.startsWith('<@ ')) run.stdinFile = line.slice(3).trim();
    else if (line === '<' || line.startsWith('< ')) run.stdin.push(line.slice(2));
    else if (line.startsWith('>')) run.stdout.push(matcher(line.slice(1)));
    else if (line.startsWith('!')) {
      if (run.tty) fail(n, 'a tty command has its stderr merged into stdout: use ">" lines');
      run.stderr.push(matcher(line.slice(1)));
    } else if (line.startsWith('? ')) {
      const status = line.slice(2).trim();
      if (!/^\d+$/.test(status)) fail(n, `bad status ${JSON.stringify(status)}`);
      run.status = Number(status);
    } else fail(n, `cannot read this line: ${line}`);
  });
  return { needs, steps };
}

// ---------------------------------------------------------------------------------------------------
// Variables and shell-like words.

type Vars = Map<string, string>;

function lookup(vars: Vars, name: string, where: string): string {
  const v = vars.get(name);
  if (v === undefined) throw new Error(`${where}: variable $${name} is not set`);
  return v;
}

/** Splits a command line as a POSIX shell would, for quotes, backslashes and $NAME / ${NAME}. */
function shellWords(input: string, vars: Vars, where: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const variable = (): string => {
    // at a `$`: ${NAME} or $NAME
    const m = /^\$(?:\{([A-Z][A-Z0-9_]*)\}|([A-Z][A-Z0-9_]*))/.exec(input.slice(i));
    if (m === null) {
      i++;
      return '$';
    }
    i += m[0].length;
    return lookup(vars, (m[1] ?? m[2])!, where);
  };
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = input.indexOf("'", i + 1);
      if (end === -1) throw new Error(`${where}: unterminated '`);
      word += input.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < input.length && input[i] !== '"') {
        if (input[i] === '\\' && /["\\$`]/.test(input[i + 1] ?? '')) {
          word += input[i + 1];
          i += 2;
        } else if (input[i] === '$') word += variable();
        else word += input[i++];
      }
      if (i >= input.length) throw new Error(`${where}: unterminated "`);
      i++;
    } else if (c === '\\') {
      word += input[i + 1] ?? '';
      i += 2;
    } else if (c === '$') word += variable();
    else {
      word += c;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

function unescapeText(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = text[++i];
    if (next === 'n') bytes.push(10);
    else if (next === 't') bytes.push(9);
    else if (next === '\\') bytes.push(92);
    else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else throw new Error(`bad escape \\${next ?? ''} in ${JSON.stringify(text)}`);
  }
  return Buffer.from(bytes);
}

// ---------------------------------------------------------------------------------------------------
// Matching output lines against matchers, with `...` and named captures.

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function expandText(text: string, vars: Vars, where: string): string {
  return text.replace(/\$\{([A-Z][A-Z0-9_]*)\}/g, (_, name: string) => lookup(vars, name, where));
}

function expandRegex(source: string, vars: Vars, where: string): RegExp {
  const expanded = source.replace(/\$\{([A-Z][A-Z0-9_]*)\}/g, (_, name: string) =>
    escapeRegex(lookup(vars, name, where)),
  );
  return new RegExp(`^(?:${expanded})$`, 'u');
}

/** The captures of a match of all of `lines` by `matchers`, or undefined when they do not match. */
function matchLines(
  lines: readonly string[],
  matchers: readonly Matcher[],
  vars: Vars,
  where: string,
): Map<string, string> | undefined {
  const go = (li: number, mi: number, captured: Map<string, string>): Map<string, string> | undefined => {
    if (mi === matchers.length) return li === lines.length ? captured : undefined;
    const m = matchers[mi]!;
    if (m.kind === 'any') {
      for (let skip = li; skip <= lines.length; skip++) {
        const found = go(skip, mi + 1, captured);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    if (li === lines.length) return undefined;
    const scope = new Map([...vars, ...captured]);
    if (m.kind === 'text') {
      return expandText(m.text, scope, where) === lines[li] ? go(li + 1, mi + 1, captured) : undefined;
    }
    const r = expandRegex(m.source, scope, where).exec(lines[li]!);
    if (r === null) return undefined;
    const next = new Map(captured);
    for (const [name, value] of Object.entries(r.groups ?? {})) {
      if (value !== undefined) next.set(name, value);
    }
    return go(li + 1, mi + 1, next);
  };
  return go(0, 0, new Map());
}

function outputLines(text: string, dir: string): string[] {
  if (text === '') return [];
  const normalized = text.split(dir).join('$TMP');
  const lines = normalized.split('\n');
  if (lines.at(-1) === '') lines.pop();
  else lines.push('\\ no newline at end');
  return lines;
}

function showMatchers(matchers: readonly Matcher[], prefix: string): string {
  if (matchers.length === 0) return '    (nothing)';
  return matchers
    .map((m) =>
      m.kind === 'any'
        ? `    ${prefix}...`
        : m.kind === 'regex'
          ? `    ${prefix}~ ${m.source}`
          : `    ${prefix} ${m.text}`,
    )
    .join('\n');
}

function showLines(lines: readonly string[], prefix: string): string {
  return lines.length === 0 ? '    (nothing)' : lines.map((l) => `    ${prefix} ${l}`).join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Running.

interface Result {
  stdout: string;
  stderr: string;
  status: number | null;
}

function execute(
  argv: readonly string[],
  options: { cwd: string; input: Buffer; env: Record<string, string> },
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      // A new session without a controlling terminal: the command cannot open /dev/tty and prompt, even
      // when the tests run from a terminal (a `tty` step gets its own terminal from `script`).
      detached: true,
      env: { ...process.env, COFFER_PROGRESS: '0', ...options.env },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        status,
      }),
    );
    child.stdin.on('error', () => {}); // a command that does not read its input closes the pipe early
    child.stdin.end(options.input);
  });
}

const shellQuote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;

async function runStep(run: Run, dir: string, vars: Vars, env: Record<string, string>, where: string) {
  const args = shellWords(run.args, vars, where);
  const input =
    run.stdinFile !== undefined
      ? readFileSync(join(dir, run.stdinFile))
      : Buffer.from(run.stdin.map((l) => `${expandText(l, vars, where)}\n`).join(''));
  const command = [process.execPath, ...cliArgs, ...args];
  const argv = run.tty ? ['script', '-qec', command.map(shellQuote).join(' '), '/dev/null'] : command;
  const r = await execute(argv, { cwd: dir, input, env });
  // A terminal turns \n into \r\n.
  const stdout = outputLines(run.tty ? r.stdout.replace(/\r\n/g, '\n') : r.stdout, dir);
  const stderr = outputLines(r.stderr, dir);
  const report = () =>
    [
      `${where}: $ ${run.source}`,
      `  exit status ${r.status} (expected ${run.status})`,
      '  expected stdout:',
      showMatchers(run.stdout, '>'),
      '  actual stdout:',
      showLines(stdout, '>'),
      '  expected stderr:',
      showMatchers(run.stderr, '!'),
      '  actual stderr:',
      showLines(stderr, '!'),
    ].join('\n');
  const outCaptures = matchLines(stdout, run.stdout, vars, where);
  const errCaptures = matchLines(stderr, run.stderr, vars, where);
  if (r.status !== run.status || outCaptures === undefined || errCaptures === undefined) {
    assert.fail(report());
  }
  // A user error never shows a stack trace, whatever the transcript says.
  assert.doesNotMatch(r.stderr + (run.tty ? r.stdout : ''), /\n\s+at .+:\d+:\d+\)?\n/, report());
  for (const [name, value] of [...outCaptures, ...errCaptures]) vars.set(name, value);
}

function applyDirective(
  d: Directive,
  dir: string,
  vars: Vars,
  env: Record<string, string>,
  where: string,
): void {
  const path = (name: string) => join(dir, name);
  const [a, b] = d.args;
  switch (d.name) {
    case 'env': {
      const space = d.rest.indexOf(' ');
      const value = space === -1 ? '' : expandText(d.rest.slice(space + 1), vars, where);
      env[space === -1 ? d.rest : d.rest.slice(0, space)] = value;
      return;
    }
    case 'file': {
      const space = d.rest.indexOf(' ');
      const text = space === -1 ? '' : expandText(d.rest.slice(space + 1), vars, where);
      writeFileSync(path(a!), unescapeText(text));
      return;
    }
    case 'append': {
      const space = d.rest.indexOf(' ');
      appendFileSync(path(a!), unescapeText(expandText(d.rest.slice(space + 1), vars, where)));
      return;
    }
    case 'copy':
      copyFileSync(path(a!), path(b!));
      return;
    case 'flip': {
      const data = readFileSync(path(a!));
      const offset = Number(b);
      const at = offset < 0 ? data.length + offset : offset;
      if (!Number.isInteger(offset) || at < 0 || at >= data.length)
        throw new Error(`${where}: offset ${b} is outside ${a} (${data.length} bytes)`);
      data[at]! ^= 1;
      writeFileSync(path(a!), data);
      return;
    }
    case 'truncate': {
      const size = Number(b);
      const length = statSync(path(a!)).size;
      truncateSync(path(a!), size < 0 ? Math.max(0, length + size) : size);
      return;
    }
    case 'absent':
      assert.equal(existsSync(path(a!)), false, `${where}: ${a} should not exist`);
      return;
    case 'exists':
      assert.equal(existsSync(path(a!)), true, `${where}: ${a} should exist`);
      if (b !== undefined) {
        const mode = (statSync(path(a!)).mode & 0o777).toString(8);
        assert.equal(mode, b, `${where}: mode of ${a}`);
      }
      return;
  }
}

// ---------------------------------------------------------------------------------------------------
// The tests: one suite per file, one test per command or assertion, in order.

const files = readdirSync(TRANSCRIPTS)
  .filter((f) => f.endsWith('.txt'))
  .sort();

test('there are transcripts', () => assert.ok(files.length > 0));

// The files run side by side (each is a sequence of dependent steps, in its own directory): most of the time
// goes to starting node and tsx, about a second a command.
describe('transcripts', { concurrency: 2 }, () => {
  for (const file of files) {
    const name = basename(file, '.txt');
    const transcript = parseTranscript(readFileSync(join(TRANSCRIPTS, file), 'utf8'), `transcripts/${file}`);
    const skip = transcript.needs.map(([tool, pkg]) => toolSkip(tool, pkg)).find((s) => s !== false) ?? false;
    describe(`transcript ${name}`, { skip, concurrency: 1 }, () => {
      const dir = mkdtempSync(join(tmpdir(), `coffer-transcript-${name}-`));
      after(() => rmSync(dir, { recursive: true, force: true }));
      const vars: Vars = new Map([['TMP', dir]]);
      const env: Record<string, string> = {};
      for (const step of transcript.steps) {
        const where = `transcripts/${file}:${step.line}`;
        const label = step.kind === 'run' ? `$ ${step.source}` : step.source;
        test(`${file}:${step.line} ${label}`, async () => {
          if (step.kind === 'run') await runStep(step, dir, vars, env, where);
          else applyDirective(step, dir, vars, env, where);
        });
      }
    });
  }
});

// The issue asks that `--help` on every command show an example. The transcripts check the usage line; this
// checks for an example (an `example:` or `examples:` section), straight from the command table.
describe('every command help', () => {
  for (const command of COMMANDS) {
    test(`coffer ${command.name} --help has a usage line and an example`, async () => {
      const { help } = await command.load();
      assert.match(help, new RegExp(`^usage: coffer ${command.name}\\b`));
      assert.match(help, /^examples?:\n {2}\S/m, `coffer ${command.name} --help shows no example`);
    });
  }
});
