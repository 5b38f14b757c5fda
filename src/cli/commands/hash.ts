// `coffer hash [-a ALG] FILES…` prints `sha256sum`'s format (`<hex>  <name>`); `--check FILE` verifies a
// sum file as `sha256sum -c` does: `<name>: OK` / `<name>: FAILED`, a warning count on stderr, exit 1 when
// anything failed.
import { statSync } from 'node:fs';
import { hexEncode } from '../../formats/encoding.ts';
import {
  BLAKE2b,
  BLAKE2s,
  Hash,
  type HashAlgorithm,
  MD5,
  SHA1,
  SHA3_256,
  SHA3_384,
  SHA3_512,
  SHA224,
  SHA256,
  SHA384,
  SHA512,
} from '../../hazmat/hashes.ts';
import { describeOptions, flag, type OptionSpec, parseArgs, str, UsageError } from '../args.ts';
import {
  CliFailure,
  EXIT,
  inputStream,
  ioReason,
  Progress,
  quietProgress,
  readTextFile,
  say,
} from '../io.ts';

const ALGORITHMS: Readonly<Record<string, () => HashAlgorithm>> = {
  sha256: () => new SHA256(),
  sha512: () => new SHA512(),
  sha384: () => new SHA384(),
  sha224: () => new SHA224(),
  'sha3-256': () => new SHA3_256(),
  'sha3-384': () => new SHA3_384(),
  'sha3-512': () => new SHA3_512(),
  blake2b: () => new BLAKE2b(64),
  blake2s: () => new BLAKE2s(32),
  sha1: () => new SHA1(),
  md5: () => new MD5(),
};

const OPTIONS: readonly OptionSpec[] = [
  {
    long: 'algorithm',
    short: 'a',
    value: 'ALG',
    help: `hash algorithm: ${Object.keys(ALGORITHMS).join(', ')} (default sha256)`,
  },
  { long: 'check', short: 'c', help: 'read sums from the FILES and check them' },
  { long: 'quiet', short: 'q', help: 'no progress on stderr; with --check, no OK lines either' },
];

export const HASH_HELP = `usage: coffer hash [-a ALG] [FILE…]
       coffer hash -c [-a ALG] [SUMFILE…]

Prints one "<hex>  <name>" line per file, as sha256sum does ("-" or no FILE reads standard input).
sha1 and md5 are broken for collision resistance: use them only to match old sums.

${describeOptions(OPTIONS)}

examples:
  coffer hash -a sha256 *.tar > SHA256SUMS
  coffer hash -c SHA256SUMS`;

function algorithm(name: string | undefined): HashAlgorithm {
  const make = ALGORITHMS[(name ?? 'sha256').toLowerCase()];
  if (make === undefined) {
    throw new UsageError(
      `unknown hash algorithm ${JSON.stringify(name)}`,
      `choose one of ${Object.keys(ALGORITHMS).join(', ')}`,
    );
  }
  return make();
}

async function digestOf(alg: HashAlgorithm, name: string): Promise<string> {
  const h = new Hash(alg);
  let total: number | undefined;
  if (name !== '-') {
    try {
      total = statSync(name).size;
    } catch (err) {
      throw new CliFailure(`${name}: ${ioReason(err)}`, undefined, EXIT.io);
    }
  }
  const progress = new Progress(name === '-' ? 'stdin' : name, total);
  try {
    for await (const chunk of inputStream(name)) {
      h.update(chunk as Buffer);
      progress.add((chunk as Buffer).length);
    }
  } catch (err) {
    throw new CliFailure(`${name}: ${ioReason(err)}`, undefined, EXIT.io);
  } finally {
    progress.end();
  }
  return hexEncode(h.finalize());
}

// sha256sum escapes a name holding a backslash or newline, and marks the line with a leading backslash.
function sumLine(hex: string, name: string): string {
  if (!/[\\\n\r]/.test(name)) return `${hex}  ${name}\n`;
  const escaped = name.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  return `\\${hex}  ${escaped}\n`;
}

function unescapeName(name: string): string {
  return name.replace(/\\(\\|n|r)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : '\\'));
}

export async function hashCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv, OPTIONS);
  const alg = algorithm(str(parsed, 'algorithm'));
  if (flag(parsed, 'quiet')) quietProgress();
  const files = parsed.operands.length === 0 ? ['-'] : parsed.operands;
  if (!flag(parsed, 'check')) {
    let status: number = EXIT.ok;
    for (const file of files) {
      try {
        process.stdout.write(sumLine(await digestOf(alg, file), file));
      } catch (err) {
        if (!(err instanceof CliFailure)) throw err;
        say(`error: ${err.message}`);
        status = err.status;
      }
    }
    return status;
  }

  const hexLength = alg.digestSize * 2;
  let failed = 0;
  let unreadable = 0;
  let malformed = 0;
  let checked = 0;
  for (const sumFile of files) {
    const text = sumFile === '-' ? await readStdinText() : readTextFile(sumFile, 'sum file');
    for (const raw of text.split('\n')) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === '' || line.startsWith('#')) continue;
      const escaped = line.startsWith('\\');
      const body = escaped ? line.slice(1) : line;
      const m = /^([0-9a-fA-F]+) [ *](.+)$/.exec(body);
      if (m === null || m[1]!.length !== hexLength) {
        malformed++;
        continue;
      }
      const name = escaped ? unescapeName(m[2]!) : m[2]!;
      checked++;
      let actual: string;
      try {
        actual = await digestOf(alg, name);
      } catch (err) {
        if (!(err instanceof CliFailure)) throw err;
        say(`error: ${err.message}`);
        process.stdout.write(`${name}: FAILED open or read\n`);
        unreadable++;
        continue;
      }
      if (actual === m[1]!.toLowerCase()) {
        if (!flag(parsed, 'quiet')) process.stdout.write(`${name}: OK\n`);
      } else {
        process.stdout.write(`${name}: FAILED\n`);
        failed++;
      }
    }
  }
  if (malformed > 0)
    say(`warning: ${malformed} line${malformed === 1 ? ' is' : 's are'} improperly formatted`);
  if (unreadable > 0)
    say(`warning: ${unreadable} listed file${unreadable === 1 ? '' : 's'} could not be read`);
  if (failed > 0) say(`warning: ${failed} computed checksum${failed === 1 ? '' : 's'} did NOT match`);
  if (checked === 0) {
    throw new CliFailure(
      `no properly formatted ${alg.name} checksum lines found`,
      `pick the algorithm with -a (the sums are ${hexLength / 2}-byte ${alg.name} here)`,
    );
  }
  return failed > 0 || unreadable > 0 ? EXIT.failed : EXIT.ok;
}

async function readStdinText(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
