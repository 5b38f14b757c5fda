// Interop both ways with the `age` and `age-keygen` commands (Debian's age 1.1): files coffer writes open
// in age, files age writes open in coffer, for X25519 (binary and armored, one and several recipients)
// and passphrases, at the sizes around STREAM's 64 KiB chunk boundary and past 1 MiB. age reads a
// passphrase only from a terminal, so those runs go through a pseudo-terminal (python3's pty module).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ageIdentitySecretString } from '../../src/internal/age-secret.ts';
import {
  decrypt,
  encrypt,
  generateX25519Identity,
  ScryptIdentity,
  ScryptRecipient,
  X25519Identity,
  X25519Recipient,
} from '../../src/recipes/age.ts';
import { toolSkip } from '../helpers/tools.ts';

const skip = toolSkip('age', 'age') || toolSkip('age-keygen', 'age') || toolSkip('python3', 'python3');
const SIZES = [0, 1, 65535, 65536, 65537, 1024 * 1024 + 12345];

const dir = skip === false ? mkdtempSync(join(tmpdir(), 'coffer-age-')) : '';
after(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

function age(args: readonly string[], input?: Uint8Array): Buffer {
  const r = spawnSync('age', args, { input, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`age ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** An age-keygen key: its file, the parsed identity and recipient. */
function ageKey(name: string): { file: string; identity: X25519Identity; recipient: string } {
  const file = join(dir, name);
  rmSync(file, { force: true });
  const r = spawnSync('age-keygen', ['-o', file]);
  if (r.status !== 0) throw new Error(`age-keygen failed: ${r.stderr}`);
  const text = readFileSync(file, 'utf8');
  const secret = text.split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-1')) ?? '';
  const recipient = spawnSync('age-keygen', ['-y', file], { encoding: 'utf8' }).stdout.trim();
  return { file, identity: X25519Identity.fromString(secret), recipient };
}

/** Runs age under a pseudo-terminal, answering every passphrase prompt with `passphrase`. */
function ageWithPassphrase(args: readonly string[], passphrase: string): void {
  const driver = `
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp('age', ['age'] + sys.argv[2:])
buf = b''
while True:
    try:
        data = os.read(fd, 1024)
    except OSError:
        break
    if not data:
        break
    buf += data
    if buf.rstrip().endswith(b':'):
        os.write(fd, sys.argv[1].encode() + b'\\n')
        buf = b''
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
`;
  const r = spawnSync('python3', ['-c', driver, passphrase, ...args], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0)
    throw new Error(`age (pty) ${args.join(' ')} failed (${r.status}): ${r.stdout}${r.stderr}`);
}

describe('age CLI interop', { skip }, () => {
  const a = skip === false ? ageKey('a.txt') : undefined;
  const b = skip === false ? ageKey('b.txt') : undefined;
  const mine = generateX25519Identity();

  for (const size of SIZES) {
    for (const armor of [false, true]) {
      const form = armor ? 'armored' : 'binary';
      test(`coffer -> age, X25519, ${form}, ${size} bytes`, async () => {
        const plain = randomBytes(size);
        const file = await encrypt(plain, [X25519Recipient.fromString(a!.recipient)], { armor });
        if (armor)
          assert.match(Buffer.from(file).toString('latin1'), /^-----BEGIN AGE ENCRYPTED FILE-----\n/);
        const path = join(dir, `c-${size}-${form}.age`);
        writeFileSync(path, file);
        assert.equal(Buffer.compare(age(['-d', '-i', a!.file, path]), plain), 0);
      });

      test(`age -> coffer, X25519, ${form}, ${size} bytes`, async () => {
        const plain = randomBytes(size);
        const file = age(['-r', a!.recipient, ...(armor ? ['-a'] : [])], plain);
        assert.equal(Buffer.compare(await decrypt(file, [a!.identity]), plain), 0);
        assert.equal(Buffer.compare(await decrypt(file, [a!.identity], { armor }), plain), 0);
      });
    }
  }

  test('coffer -> age, several recipients: each key opens the file', async () => {
    const plain = randomBytes(70_000);
    const file = await encrypt(plain, [
      X25519Recipient.fromString(a!.recipient),
      mine.recipient(),
      X25519Recipient.fromString(b!.recipient),
    ]);
    const path = join(dir, 'multi.age');
    writeFileSync(path, file);
    assert.equal(Buffer.compare(age(['-d', '-i', a!.file, path]), plain), 0);
    assert.equal(Buffer.compare(age(['-d', '-i', b!.file, path]), plain), 0);
    assert.equal(Buffer.compare(await decrypt(file, [mine]), plain), 0);
  });

  test('a coffer-generated identity works in age, both ways', async () => {
    const keyFile = join(dir, 'mine.txt');
    writeFileSync(keyFile, `${ageIdentitySecretString(mine)}\n`, { mode: 0o600 });
    const recipient = spawnSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' }).stdout.trim();
    assert.equal(recipient, String(mine.recipient()));
    const plain = randomBytes(1000);
    const file = age(['-r', String(mine.recipient())], plain);
    assert.equal(Buffer.compare(await decrypt(file, mine), plain), 0);
    const path = join(dir, 'mine.age');
    writeFileSync(path, await encrypt(plain, mine.recipient()));
    assert.equal(Buffer.compare(age(['-d', '-i', keyFile, path]), plain), 0);
  });

  test('age -> coffer, several recipients, opened with the second key and with a list', async () => {
    const plain = randomBytes(65536 * 3);
    const file = age(['-r', a!.recipient, '-r', b!.recipient, '-r', String(mine.recipient())], plain);
    assert.equal(Buffer.compare(await decrypt(file, [b!.identity]), plain), 0);
    assert.equal(Buffer.compare(await decrypt(file, [generateX25519Identity(), mine]), plain), 0);
  });

  test('coffer -> age, passphrase (age under a pty)', async () => {
    const plain = randomBytes(65537);
    const file = await encrypt(plain, [new ScryptRecipient('correct horse', { workFactor: 12 })], {
      armor: true,
    });
    const path = join(dir, 'pass.age');
    const out = join(dir, 'pass.out');
    writeFileSync(path, file);
    ageWithPassphrase(['-d', '-o', out, path], 'correct horse');
    assert.equal(Buffer.compare(readFileSync(out), plain), 0);
  });

  test('age -> coffer, passphrase (age under a pty, its default work factor 18)', async () => {
    const plain = randomBytes(100_000);
    const input = join(dir, 'pass-in');
    const path = join(dir, 'pass2.age');
    writeFileSync(input, plain);
    ageWithPassphrase(['-p', '-o', path, input], 'hunter2 hunter2');
    const file = readFileSync(path);
    assert.equal(Buffer.compare(await decrypt(file, new ScryptIdentity('hunter2 hunter2')), plain), 0);
    // The work factor bound holds against a real age file too.
    await assert.rejects(decrypt(file, new ScryptIdentity('hunter2 hunter2', { maxWorkFactor: 17 })), {
      code: 'ERR_AGE_FILE_DAMAGED',
      part: 'work-factor',
    });
    await assert.rejects(decrypt(file, new ScryptIdentity('wrong')), { code: 'ERR_NO_IDENTITY_MATCH' });
  });

  test('age refuses a coffer file whose payload was modified; coffer refuses the same', async () => {
    const plain = randomBytes(5000);
    const file = await encrypt(plain, [X25519Recipient.fromString(a!.recipient)]);
    file[file.length - 20] = (file[file.length - 20] as number) ^ 1;
    const path = join(dir, 'bad.age');
    writeFileSync(path, file);
    assert.notEqual(spawnSync('age', ['-d', '-i', a!.file, path]).status, 0);
    await assert.rejects(decrypt(file, a!.identity), { code: 'ERR_AGE_FILE_DAMAGED', part: 'payload' });
  });
});
