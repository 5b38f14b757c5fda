// The recipe commands: `fernet`, `keyring`, `password`, `totp`. Secrets come from files, environment
// variables named by a flag, or a prompt; never from argv.
import { InvalidKey } from '../../errors.ts';
import { base32Decode, base32Encode } from '../../formats/base32.ts';
import { randomBytes } from '../../internal/backend.ts';
import { Fernet } from '../../recipes/fernet.ts';
import { Keyring, type SealContext } from '../../recipes/keyring.ts';
import { TOTP } from '../../recipes/otp.ts';
import { hashPassword, type PasswordAlgorithm, verifyPassword } from '../../recipes/passwords.ts';
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
  openOutput,
  PASSPHRASE_OPTIONS,
  passphrase,
  promptSecret,
  readAll,
  readSecretFile,
  readTextFile,
  replaceSecretFile,
  writeNewSecretFile,
} from '../io.ts';

function subcommand(
  argv: readonly string[],
  known: readonly string[],
  group: string,
): [string, readonly string[]] {
  const [sub, ...rest] = argv;
  if (sub === undefined || !known.includes(sub)) {
    throw new UsageError(
      sub === undefined ? `"coffer ${group}" needs a subcommand` : `unknown subcommand "${group} ${sub}"`,
      `one of: ${known.join(', ')} (see "coffer help ${group}")`,
    );
  }
  return [sub, rest];
}

function noOperands(parsed: Parsed, usage: string): void {
  if (parsed.operands.length > 0)
    throw new UsageError(`unexpected argument ${JSON.stringify(parsed.operands[0])}`, usage);
}

async function writeText(path: string | undefined, text: string): Promise<void> {
  const out = await openOutput(path, { binary: false, mode: 0o644 });
  out.stream.write(text);
  await out.commit();
}

// ---------------------------------------------------------------------------------------------------
// fernet

const KEY_OPTIONS: readonly OptionSpec[] = [
  { long: 'key-file', short: 'k', value: 'FILE', help: 'read the key from FILE' },
  { long: 'key-env', value: 'NAME', help: 'read the key from environment variable NAME' },
];
const FERNET_OPTIONS: readonly OptionSpec[] = [
  ...KEY_OPTIONS,
  { long: 'output', short: 'o', value: 'FILE', help: 'write to FILE (created 0600 for keys)' },
  { long: 'ttl', value: 'SECONDS', help: 'decrypt: refuse tokens older than SECONDS' },
];

export const FERNET_HELP = `usage: coffer fernet keygen [-o FILE]
       coffer fernet encrypt (-k FILE | --key-env NAME) [-o FILE] [INPUT]
       coffer fernet decrypt (-k FILE | --key-env NAME) [--ttl SECONDS] [-o FILE] [INPUT]

Fernet tokens, wire-compatible with Python's cryptography.fernet.

${describeOptions(FERNET_OPTIONS)}

examples:
  coffer fernet keygen -o f.key
  echo secret | coffer fernet encrypt -k f.key > token
  coffer fernet decrypt -k f.key --ttl 3600 token`;

function secretFrom(parsed: Parsed, what: string): string {
  const file = str(parsed, 'key-file');
  const env = str(parsed, 'key-env');
  if (file !== undefined && env !== undefined) throw new UsageError('give --key-file or --key-env, not both');
  if (file !== undefined) return readSecretFile(file, what);
  if (env !== undefined) {
    const v = process.env[env];
    if (v === undefined || v === '') throw new UsageError(`environment variable ${env} is not set or empty`);
    return v.trim();
  }
  throw new UsageError(
    `a ${what} is needed`,
    'give -k FILE or --key-env NAME (never the key itself on the command line)',
  );
}

export async function fernetCommand(argv: readonly string[]): Promise<number> {
  const [sub, rest] = subcommand(argv, ['keygen', 'encrypt', 'decrypt'], 'fernet');
  const parsed = parseArgs(rest, FERNET_OPTIONS);
  const output = str(parsed, 'output');
  if (sub === 'keygen') {
    noOperands(parsed, 'coffer fernet keygen [-o FILE]');
    const key = Fernet.generateKey();
    if (output === undefined) process.stdout.write(`${key}\n`);
    else writeNewSecretFile(output, `${key}\n`);
    return EXIT.ok;
  }
  if (parsed.operands.length > 1) throw new UsageError('one input at most');
  let fernet: Fernet;
  try {
    fernet = new Fernet(secretFrom(parsed, 'Fernet key'));
  } catch (err) {
    if (err instanceof UsageError || err instanceof CliFailure) throw err;
    throw new CliFailure(
      'the Fernet key is not 32 bytes of url-safe base64',
      'make one with "coffer fernet keygen"',
    );
  }
  const input = await readAll(parsed.operands[0]);
  if (sub === 'encrypt') {
    if (str(parsed, 'ttl') !== undefined) throw new UsageError('--ttl applies to decrypt');
    await writeText(output, `${fernet.encrypt(input)}\n`);
    return EXIT.ok;
  }
  const ttlText = str(parsed, 'ttl');
  let ttl: number | undefined;
  if (ttlText !== undefined) {
    if (!/^\d{1,15}$/.test(ttlText)) throw new UsageError('--ttl must be a whole number of seconds');
    ttl = Number(ttlText);
  }
  const plain =
    ttl === undefined
      ? fernet.decrypt(input.toString('latin1').trim())
      : fernet.decrypt(input.toString('latin1').trim(), ttl);
  const out = await openOutput(output, { binary: false });
  out.stream.write(plain);
  await out.commit();
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------------
// keyring

const KEYRING_OPTIONS: readonly OptionSpec[] = [
  ...PASSPHRASE_OPTIONS,
  {
    long: 'output',
    short: 'o',
    value: 'FILE',
    help: 'new: the keyring file to create; seal/open: where to write',
  },
  { long: 'label', short: 'l', value: 'TEXT', help: 'new/rotate: a label for the new key' },
  {
    long: 'context',
    short: 'c',
    value: 'NAME=VALUE',
    repeat: true,
    help: 'seal/open: one context field (repeatable)',
  },
];

export const KEYRING_HELP = `usage: coffer keyring new -o FILE [-l LABEL]
       coffer keyring list FILE
       coffer keyring rotate FILE [-l LABEL]
       coffer keyring disable|enable|retire FILE KEY_ID
       coffer keyring seal FILE -c NAME=VALUE… [-o OUT] [INPUT]
       coffer keyring open FILE -c NAME=VALUE… [-o OUT] [INPUT]

A keyring file holds keys encrypted under a passphrase (scrypt). "list" needs no passphrase.
Sealed tokens open only with the same context fields.

${describeOptions(KEYRING_OPTIONS)}

examples:
  coffer keyring new -o ring.json -l users-2026
  coffer keyring rotate ring.json -l users-2027
  echo -n ada@example.com | coffer keyring seal ring.json -c table=users -c id=42`;

function contextOf(parsed: Parsed): SealContext {
  const ctx: Record<string, string> = {};
  for (const item of list(parsed, 'context')) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`context field ${JSON.stringify(item)} is not NAME=VALUE`);
    const name = item.slice(0, eq);
    if (Object.hasOwn(ctx, name)) throw new UsageError(`context field ${JSON.stringify(name)} given twice`);
    ctx[name] = item.slice(eq + 1);
  }
  return ctx;
}

async function loadKeyring(path: string, parsed: Parsed): Promise<{ keyring: Keyring; secret: string }> {
  const text = readTextFile(path, 'keyring');
  let meta: ReturnType<typeof Keyring.inspect>;
  try {
    meta = Keyring.inspect(text);
  } catch {
    throw new CliFailure(`${JSON.stringify(path)} is not a coffer keyring file`);
  }
  if (meta.protection.method !== 'scrypt') {
    throw new CliFailure(
      'this keyring is protected by a key-encryption key, not a passphrase',
      'unlock it from your application with { kek }',
    );
  }
  const secret = await passphrase(parsed, 'keyring passphrase');
  // A wrong passphrase is the library's KeyringError, whose message says so.
  return { keyring: await Keyring.load(text, { passphrase: secret }), secret };
}

export async function keyringCommand(argv: readonly string[]): Promise<number> {
  const [sub, rest] = subcommand(
    argv,
    ['new', 'list', 'rotate', 'disable', 'enable', 'retire', 'seal', 'open'],
    'keyring',
  );
  const parsed = parseArgs(rest, KEYRING_OPTIONS);
  const label = str(parsed, 'label');
  if (sub === 'new') {
    const out = str(parsed, 'output') ?? parsed.operands[0];
    if (out === undefined) throw new UsageError('where should the keyring go?', 'coffer keyring new -o FILE');
    const secret = await passphrase(parsed, 'new keyring passphrase', true);
    const keyring = Keyring.generate(label === undefined ? {} : { label });
    writeNewSecretFile(out, await keyring.save({ passphrase: secret }));
    process.stderr.write(`coffer: created ${out} with key ${keyring.primaryKeyId}\n`);
    return EXIT.ok;
  }
  const file = parsed.operands[0];
  if (file === undefined) throw new UsageError('which keyring file?', `coffer keyring ${sub} FILE …`);
  if (sub === 'list') {
    const meta = Keyring.inspect(readTextFile(file, 'keyring'));
    for (const k of meta.keys) {
      process.stdout.write(`${k.id}  ${k.status.padEnd(8)}  ${k.created}  ${k.label}\n`);
    }
    return EXIT.ok;
  }
  const { keyring, secret } = await loadKeyring(file, parsed);
  if (sub === 'rotate' || sub === 'disable' || sub === 'enable' || sub === 'retire') {
    if (sub === 'rotate') {
      const meta = keyring.rotate(label === undefined ? {} : { label });
      process.stderr.write(`coffer: new primary key ${meta.id}\n`);
    } else {
      const id = parsed.operands[1];
      if (id === undefined)
        throw new UsageError(
          'which key id?',
          `coffer keyring ${sub} FILE KEY_ID (see "coffer keyring list FILE")`,
        );
      keyring[sub](id);
    }
    replaceSecretFile(file, await keyring.save({ passphrase: secret }));
    return EXIT.ok;
  }
  const context = contextOf(parsed);
  const input = await readAll(parsed.operands[1]);
  if (sub === 'seal') {
    await writeText(str(parsed, 'output'), `${keyring.seal(input, { context })}\n`);
    return EXIT.ok;
  }
  const plain = keyring.open(input.toString('latin1').trim(), { context });
  const out = await openOutput(str(parsed, 'output'), { binary: false });
  out.stream.write(plain);
  await out.commit();
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------------
// password

const PASSWORD_OPTIONS: readonly OptionSpec[] = [
  { long: 'stdin', help: 'read the password from the first line of standard input instead of a prompt' },
  { long: 'algorithm', short: 'a', value: 'ALG', help: 'hash: argon2id (default), scrypt or pbkdf2-sha256' },
];

export const PASSWORD_HELP = `usage: coffer password hash [-a ALG] [--stdin]
       coffer password verify HASH [--stdin]

Hashes a password for storage (one-way: it cannot be decrypted) and checks a password against a stored hash.
The password comes from a prompt, or with --stdin from standard input; never from the command line.

${describeOptions(PASSWORD_OPTIONS)}

examples:
  coffer password hash
  printf '%s\\n' "$PW" | coffer password verify '$argon2id$v=19$…' --stdin`;

async function readPassword(parsed: Parsed, confirm: boolean): Promise<string> {
  if (flag(parsed, 'stdin')) {
    const text = (await readAll('-', 64 * 1024)).toString('utf8');
    const nl = text.search(/\r?\n/);
    const pw = nl === -1 ? text : text.slice(0, nl);
    if (pw === '') throw new UsageError('empty password on standard input');
    return pw;
  }
  const hint = 'pipe it with --stdin when there is no terminal';
  const pw = await promptSecret('Password: ', hint);
  if (confirm && (await promptSecret('Confirm password: ', hint)) !== pw)
    throw new CliFailure('the two passwords differ');
  return pw;
}

export async function passwordCommand(argv: readonly string[]): Promise<number> {
  const [sub, rest] = subcommand(argv, ['hash', 'verify'], 'password');
  const parsed = parseArgs(rest, PASSWORD_OPTIONS);
  if (sub === 'hash') {
    noOperands(parsed, 'coffer password hash [-a ALG] [--stdin]');
    const alg = str(parsed, 'algorithm') ?? 'argon2id';
    if (!['argon2id', 'scrypt', 'pbkdf2-sha256'].includes(alg)) {
      throw new UsageError(
        `unknown password hash ${JSON.stringify(alg)}`,
        'one of argon2id, scrypt, pbkdf2-sha256',
      );
    }
    const pw = await readPassword(parsed, true);
    process.stdout.write(`${await hashPassword(pw, { algorithm: alg as PasswordAlgorithm })}\n`);
    return EXIT.ok;
  }
  if (str(parsed, 'algorithm') !== undefined)
    throw new UsageError('verify reads the algorithm from the hash');
  const stored = parsed.operands[0];
  if (stored === undefined || parsed.operands.length > 1) {
    throw new UsageError('give the stored hash as the one argument', "coffer password verify '$argon2id$…'");
  }
  const pw = await readPassword(parsed, false);
  try {
    await verifyPassword(pw, stored);
  } catch (err) {
    if (err instanceof InvalidKey) {
      process.stdout.write('FAILED\n');
      return EXIT.failed;
    }
    throw err;
  }
  process.stdout.write('OK\n');
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------------
// totp

const TOTP_OPTIONS: readonly OptionSpec[] = [
  {
    long: 'secret-file',
    short: 's',
    value: 'FILE',
    help: 'the base32 secret (as authenticator apps show it)',
  },
  { long: 'secret-env', value: 'NAME', help: 'the base32 secret from environment variable NAME' },
  { long: 'output', short: 'o', value: 'FILE', help: 'new: the secret file to create (0600)' },
  { long: 'account', value: 'NAME', help: 'uri: the account name shown in the app' },
  { long: 'issuer', value: 'NAME', help: 'uri: the issuer shown in the app' },
];

export const TOTP_HELP = `usage: coffer totp new -o FILE
       coffer totp uri (-s FILE | --secret-env NAME) --account NAME [--issuer NAME]
       coffer totp code (-s FILE | --secret-env NAME)

Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s, as authenticator apps expect).
The otpauth:// URI holds the secret: show it once (as a QR code), never log it.

${describeOptions(TOTP_OPTIONS)}

examples:
  coffer totp new -o alice.totp
  coffer totp uri -s alice.totp --account alice@example.com --issuer Example
  coffer totp code -s alice.totp`;

function totpFrom(parsed: Parsed): TOTP {
  const file = str(parsed, 'secret-file');
  const env = str(parsed, 'secret-env');
  if (file !== undefined && env !== undefined)
    throw new UsageError('give --secret-file or --secret-env, not both');
  let text: string | undefined;
  if (file !== undefined) text = readSecretFile(file, 'TOTP secret');
  else if (env !== undefined) text = process.env[env];
  if (text === undefined || text === '') {
    throw new UsageError(
      'a TOTP secret is needed',
      'give -s FILE or --secret-env NAME (make one with "coffer totp new -o FILE")',
    );
  }
  let secret: Uint8Array;
  try {
    secret = base32Decode(text.replace(/[\s-]/g, '').toUpperCase());
  } catch {
    throw new CliFailure('the TOTP secret is not base32');
  }
  try {
    return new TOTP(secret);
  } catch (err) {
    throw new CliFailure(`the TOTP secret is unusable: ${(err as Error).message}`);
  }
}

export async function totpCommand(argv: readonly string[]): Promise<number> {
  const [sub, rest] = subcommand(argv, ['new', 'uri', 'code'], 'totp');
  const parsed = parseArgs(rest, TOTP_OPTIONS);
  noOperands(parsed, `coffer totp ${sub} …`);
  if (sub === 'new') {
    const out = str(parsed, 'output');
    if (out === undefined) throw new UsageError('where should the secret go?', 'coffer totp new -o FILE');
    const secret = randomBytes(20);
    writeNewSecretFile(out, `${base32Encode(secret, { padding: 'none' })}\n`);
    return EXIT.ok;
  }
  const totp = totpFrom(parsed);
  if (sub === 'code') {
    process.stdout.write(`${totp.generate()}\n`);
    return EXIT.ok;
  }
  const account = str(parsed, 'account');
  if (account === undefined) throw new UsageError('uri needs --account NAME');
  const issuer = str(parsed, 'issuer');
  try {
    process.stdout.write(
      `${totp.toUri(issuer === undefined ? { accountName: account } : { accountName: account, issuer })}\n`,
    );
  } catch (err) {
    if (err instanceof TypeError) throw new UsageError(err.message);
    throw err;
  }
  return EXIT.ok;
}
