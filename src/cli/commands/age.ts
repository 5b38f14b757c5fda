// `coffer keygen`, `coffer encrypt` and `coffer decrypt`: files in the age v1 format, with age's flags so
// that scripts port over (`-r`, `-R`, `-p`, `-a`, `-o`, `-i`). Streaming in constant memory, with progress
// on stderr for long work.
import { statSync } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CofferError } from '../../errors.ts';
import { ageIdentitySecretString } from '../../internal/age-secret.ts';
import {
  type AgeIdentity,
  type AgeRecipient,
  createDecryptStream,
  createEncryptStream,
  generateX25519Identity,
  ScryptIdentity,
  ScryptRecipient,
  X25519Identity,
  X25519Recipient,
} from '../../recipes/age.ts';
import {
  describeOptions,
  flag,
  list,
  type OptionSpec,
  type Parsed,
  parseArgs,
  str,
  UsageError,
} from '../args.ts';
import {
  CliFailure,
  EXIT,
  inputStream,
  ioReason,
  openOutput,
  PASSPHRASE_OPTIONS,
  Progress,
  passphrase,
  QUIET_OPTION,
  quietProgress,
  readTextFile,
  writeNewSecretFile,
} from '../io.ts';

// ---------------------------------------------------------------------------------------------------
// keygen

const KEYGEN_OPTIONS: readonly OptionSpec[] = [
  {
    long: 'output',
    short: 'o',
    value: 'FILE',
    help: 'write the identity to FILE (created 0600, never overwritten)',
  },
  { long: 'convert', short: 'y', help: 'print the recipients of the identity file(s) given as arguments' },
];

export const KEYGEN_HELP = `usage: coffer keygen [-o FILE]
       coffer keygen -y IDENTITY_FILE…

Makes an age X25519 identity ("AGE-SECRET-KEY-1…"), with its public key (the recipient, "age1…") in a
comment, as age-keygen does. -y prints the recipient of each identity in the files.

${describeOptions(KEYGEN_OPTIONS)}

examples:
  coffer keygen -o key.txt
  coffer keygen -y key.txt > recipients.txt`;

export async function keygenCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv, KEYGEN_OPTIONS);
  if (flag(parsed, 'convert')) {
    if (parsed.operands.length === 0)
      throw new UsageError('-y needs identity files', 'coffer keygen -y key.txt');
    for (const file of parsed.operands) {
      for (const id of identitiesIn(file)) {
        if (id instanceof X25519Identity) process.stdout.write(`${id.recipient().toString()}\n`);
      }
    }
    return EXIT.ok;
  }
  if (parsed.operands.length > 0)
    throw new UsageError(`unexpected argument ${JSON.stringify(parsed.operands[0])}`);
  const identity = generateX25519Identity();
  const recipient = identity.recipient().toString();
  const text = `# created: ${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')}\n# public key: ${recipient}\n${ageIdentitySecretString(identity)!}\n`;
  const output = str(parsed, 'output');
  if (output === undefined || output === '-') {
    process.stdout.write(text);
  } else {
    writeNewSecretFile(output, text);
    process.stderr.write(`Public key: ${recipient}\n`);
  }
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------------
// Recipient and identity files (age's formats: one per line, `#` comments and blank lines ignored).

function linesOf(text: string): { line: string; number: number }[] {
  return text
    .split('\n')
    .map((raw, i) => ({ line: raw.replace(/\r$/, '').trim(), number: i + 1 }))
    .filter(({ line }) => line !== '' && !line.startsWith('#'));
}

function recipient(text: string, where: string): AgeRecipient {
  if (text.startsWith('age1')) {
    try {
      return X25519Recipient.fromString(text);
    } catch {
      throw new CliFailure(`${where}: malformed recipient ${JSON.stringify(text.slice(0, 80))}`);
    }
  }
  if (/^(ssh-|ecdsa-)/.test(text)) {
    throw new CliFailure(
      `${where}: SSH recipients are not supported yet`,
      'use an age recipient (coffer keygen)',
    );
  }
  throw new CliFailure(
    `${where}: unknown recipient type ${JSON.stringify(text.slice(0, 20))}`,
    'recipients look like age1…',
  );
}

function recipientsIn(file: string): AgeRecipient[] {
  const text = file === '-' ? undefined : readTextFile(file, 'recipients file');
  if (text === undefined) throw new UsageError('-R - (standard input) is not supported', 'give a file');
  const out = linesOf(text).map(({ line, number }) => recipient(line, `${file}:${number}`));
  if (out.length === 0) throw new CliFailure(`recipients file ${JSON.stringify(file)} holds no recipient`);
  return out;
}

function identitiesIn(file: string): AgeIdentity[] {
  const text = readTextFile(file, 'identity file');
  const out = linesOf(text).map(({ line, number }) => {
    if (!line.startsWith('AGE-SECRET-KEY-1')) {
      if (line.startsWith('-----BEGIN') || line.startsWith('age-encryption.org')) {
        throw new CliFailure(`${file}: encrypted identity files and SSH identities are not supported yet`);
      }
      throw new CliFailure(`${file}:${number}: not an age identity`);
    }
    try {
      return X25519Identity.fromString(line);
    } catch {
      throw new CliFailure(`${file}:${number}: malformed age identity`);
    }
  });
  if (out.length === 0) throw new CliFailure(`identity file ${JSON.stringify(file)} holds no identity`);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// encrypt / decrypt

const ENCRYPT_OPTIONS: readonly OptionSpec[] = [
  {
    long: 'recipient',
    short: 'r',
    value: 'RECIPIENT',
    repeat: true,
    help: 'encrypt to RECIPIENT (age1…), repeatable',
  },
  {
    long: 'recipients-file',
    short: 'R',
    value: 'FILE',
    repeat: true,
    help: 'encrypt to the recipients listed in FILE',
  },
  { long: 'passphrase', short: 'p', help: 'encrypt with a passphrase (scrypt), asked on the terminal' },
  ...PASSPHRASE_OPTIONS,
  { long: 'armor', short: 'a', help: 'write PEM-style ASCII armor' },
  { long: 'output', short: 'o', value: 'FILE', help: 'write to FILE (default standard output)' },
  QUIET_OPTION,
];

const DECRYPT_OPTIONS: readonly OptionSpec[] = [
  { long: 'identity', short: 'i', value: 'FILE', repeat: true, help: 'an identity file (repeatable)' },
  ...PASSPHRASE_OPTIONS,
  {
    long: 'output',
    short: 'o',
    value: 'FILE',
    help: 'write to FILE (default standard output); nothing is left on failure',
  },
  QUIET_OPTION,
];

export const ENCRYPT_HELP = `usage: coffer encrypt (-r RECIPIENT | -R FILE)… [-a] [-o OUTPUT] [INPUT]
       coffer encrypt -p [-a] [-o OUTPUT] [INPUT]

Encrypts a file in the age v1 format (age-encryption.org/v1), readable by age and rage.
Binary output is refused on a terminal: use -a or -o. A passphrase file must have only that recipient.

${describeOptions(ENCRYPT_OPTIONS)}

examples:
  coffer encrypt -r age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p -o backup.tar.age backup.tar
  tar c docs | coffer encrypt -R team.txt -a > docs.tar.age`;

export const DECRYPT_HELP = `usage: coffer decrypt -i IDENTITY_FILE… [-o OUTPUT] [INPUT]
       coffer decrypt [--passphrase-env NAME | --passphrase-file FILE] [-o OUTPUT] [INPUT]

Decrypts an age file (binary or armored). Without -i the file must be passphrase-encrypted and the
passphrase is asked on the terminal. Every chunk is verified before it is written; a damaged file fails
with status 1 and, with -o, leaves no output file.

${describeOptions(DECRYPT_OPTIONS)}

examples:
  coffer decrypt -i key.txt -o backup.tar backup.tar.age
  COFFER_PW=… coffer decrypt --passphrase-env COFFER_PW secret.age`;

function usesPassphraseFlags(parsed: Parsed): boolean {
  return str(parsed, 'passphrase-env') !== undefined || str(parsed, 'passphrase-file') !== undefined;
}

/** Counts bytes for the progress line as they pass. */
function counter(progress: Progress): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      progress.add(chunk.length);
      done(null, chunk);
    },
  });
}

async function run(
  input: string | undefined,
  output: string | undefined,
  binary: boolean,
  engine: Transform,
  label: string,
): Promise<void> {
  let total: number | undefined;
  if (input !== undefined && input !== '-') {
    try {
      total = statSync(input).size;
    } catch (err) {
      throw new CliFailure(`cannot read ${JSON.stringify(input)}: ${ioReason(err)}`, undefined, EXIT.io);
    }
  }
  const out = await openOutput(output, { binary });
  const progress = new Progress(label, total);
  try {
    await pipeline(inputStream(input), counter(progress), engine, out.stream, {
      end: out.stream !== process.stdout,
    });
    await out.commit();
  } catch (err) {
    await out.abort();
    const code = (err as { code?: unknown }).code;
    // A system error (ENOENT, EACCES…) from reading the input; coffer's own errors keep their meaning.
    if (!(err instanceof CofferError) && typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      const what = input === undefined || input === '-' ? 'standard input' : JSON.stringify(input);
      throw new CliFailure(`cannot read ${what}: ${ioReason(err)}`, undefined, EXIT.io);
    }
    throw err;
  } finally {
    progress.end();
  }
}

export async function encryptCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv, ENCRYPT_OPTIONS);
  if (flag(parsed, 'quiet')) quietProgress();
  if (parsed.operands.length > 1)
    throw new UsageError('one input at most', 'coffer encrypt -r age1… -o out.age in.txt');
  const recipients: AgeRecipient[] = [
    ...list(parsed, 'recipient').map((r, i) => recipient(r, `-r #${i + 1}`)),
    ...list(parsed, 'recipients-file').flatMap(recipientsIn),
  ];
  const withPassphrase = flag(parsed, 'passphrase') || usesPassphraseFlags(parsed);
  if (withPassphrase && recipients.length > 0) {
    throw new UsageError(
      '-p cannot be combined with -r or -R',
      'a passphrase-encrypted file has only that one recipient',
    );
  }
  if (!withPassphrase && recipients.length === 0) {
    throw new UsageError('no recipients', 'give -r age1…, -R FILE, or -p for a passphrase');
  }
  const armor = flag(parsed, 'armor');
  const output = str(parsed, 'output');
  // Check the output before asking for a passphrase: a refused terminal should not cost a prompt.
  if ((output === undefined || output === '-') && !armor && process.stdout.isTTY === true) {
    throw new UsageError(
      'refusing to write binary ciphertext to a terminal',
      'use -a/--armor for text output, or -o FILE',
    );
  }
  if (withPassphrase) recipients.push(new ScryptRecipient(await passphrase(parsed, 'passphrase', true)));
  await run(parsed.operands[0], output, !armor, createEncryptStream(recipients, { armor }), 'encrypting');
  return EXIT.ok;
}

export async function decryptCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv, DECRYPT_OPTIONS);
  if (flag(parsed, 'quiet')) quietProgress();
  if (parsed.operands.length > 1)
    throw new UsageError('one input at most', 'coffer decrypt -i key.txt -o out in.age');
  const files = list(parsed, 'identity');
  if (files.length > 0 && usesPassphraseFlags(parsed)) {
    throw new UsageError('give identity files or a passphrase, not both');
  }
  const identities: AgeIdentity[] =
    files.length > 0
      ? files.flatMap(identitiesIn)
      : [new ScryptIdentity(await passphrase(parsed, 'passphrase'))];
  await run(parsed.operands[0], str(parsed, 'output'), false, createDecryptStream(identities), 'decrypting');
  return EXIT.ok;
}
