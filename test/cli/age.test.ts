// `coffer keygen | encrypt | decrypt` against the `age` tool, through transcripts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { assertCleanError, cliArgs, runCoffer } from '../helpers/cli.ts';
import { toolSkip } from '../helpers/tools.ts';

const dir = mkdtempSync(join(tmpdir(), 'coffer-cli-age-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const coffer = (
  args: readonly string[],
  options: { input?: string | Uint8Array; env?: Record<string, string> } = {},
) => runCoffer(dir, args, options);
const path = (name: string) => join(dir, name);

function age(
  args: readonly string[],
  input?: Uint8Array,
): { status: number | null; stdout: Buffer; stderr: string } {
  const r = spawnSync('age', args, {
    cwd: dir,
    input: input ?? Buffer.alloc(0),
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

const skipAge = toolSkip('age', 'age');

/** Deterministic test data (SHA-256 in counter mode over a label): sizes and contents repeat run to run. */
function seededBytes(label: string, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0, block = 0; i < size; block++, i += 32) {
    const h = createHash('sha256').update(`${label}/${block}`).digest();
    out.set(h.subarray(0, Math.min(32, size - i)), i);
  }
  return out;
}

describe('coffer keygen', () => {
  test('writes an identity file 0600 with its public key in a comment, as age-keygen does', () => {
    const t = coffer(['keygen', '-o', 'id.txt']);
    assert.equal(t.status, 0, t.stderr);
    assert.equal(statSync(path('id.txt')).mode & 0o777, 0o600);
    const text = readFileSync(path('id.txt'), 'utf8');
    assert.match(
      text,
      /^# created: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n# public key: age1[0-9a-z]{58}\nAGE-SECRET-KEY-1[0-9A-Z]{58}\n$/,
    );
    const recipient = /public key: (age1\S+)/.exec(text)![1]!;
    assert.equal(t.stderr, `Public key: ${recipient}\n`);
    assert.equal(coffer(['keygen', '-y', 'id.txt']).stdout, `${recipient}\n`);
    assertCleanError(coffer(['keygen', '-o', 'id.txt']), 3, /already exists/);
  });
  test('age-keygen -y agrees on the recipient', { skip: toolSkip('age-keygen', 'age') }, () => {
    coffer(['keygen', '-o', 'id2.txt']);
    const theirs = spawnSync('age-keygen', ['-y', path('id2.txt')], { encoding: 'utf8' }).stdout;
    assert.equal(coffer(['keygen', '-y', 'id2.txt']).stdout, theirs);
  });
});

describe('coffer encrypt / decrypt with age', { skip: skipAge }, () => {
  coffer(['keygen', '-o', 'me.txt']);
  spawnSync('age-keygen', ['-o', path('them.txt')]);
  const me = () => /public key: (age1\S+)/.exec(readFileSync(path('me.txt'), 'utf8'))![1]!;
  const them = () => /public key: (age1\S+)/.exec(readFileSync(path('them.txt'), 'utf8'))![1]!;

  for (const size of [0, 1, 65535, 65536, 65537, 1_100_000]) {
    test(`${size} bytes: coffer → age and age → coffer`, () => {
      const data = seededBytes(`age-cli-${size}`, size);
      writeFileSync(path(`in-${size}`), data);
      // coffer encrypts to two recipients; age decrypts with either identity
      const enc = coffer(['encrypt', '-r', me(), '-r', them(), '-o', `c-${size}.age`, `in-${size}`]);
      assert.equal(enc.status, 0, enc.stderr);
      const byAge = age(['-d', '-i', 'them.txt', `c-${size}.age`]);
      assert.equal(byAge.status, 0, byAge.stderr);
      assert.deepEqual(new Uint8Array(byAge.stdout), data);
      // age encrypts; coffer decrypts
      assert.equal(age(['-r', me(), '-o', `a-${size}.age`, `in-${size}`]).status, 0);
      const dec = coffer(['decrypt', '-i', 'me.txt', '-o', `out-${size}`, `a-${size}.age`]);
      assert.equal(dec.status, 0, dec.stderr);
      assert.deepEqual(new Uint8Array(readFileSync(path(`out-${size}`))), data);
    });
  }

  test('armor both ways; -R reads a recipients file', () => {
    writeFileSync(path('recipients.txt'), `# team\n${me()}\n\n${them()}\n`);
    const enc = coffer(['encrypt', '-R', 'recipients.txt', '-a'], { input: 'armored hello' });
    assert.equal(enc.status, 0, enc.stderr);
    assert.match(enc.stdout, /^-----BEGIN AGE ENCRYPTED FILE-----\n/);
    assert.equal(age(['-d', '-i', 'them.txt'], Buffer.from(enc.stdout)).stdout.toString(), 'armored hello');
    const theirs = age(['-a', '-r', me()], Buffer.from('from age, armored')).stdout;
    assert.equal(coffer(['decrypt', '-i', 'me.txt'], { input: theirs }).stdout, 'from age, armored');
  });

  test('a passphrase from an environment variable round-trips (scrypt recipient)', () => {
    const enc = spawnSync(process.execPath, [...cliArgs, 'encrypt', '--passphrase-env', 'P', '-a'], {
      cwd: dir,
      input: 'secret words',
      env: { ...process.env, P: 'correct horse' },
      encoding: 'utf8',
    });
    assert.equal(enc.status, 0, enc.stderr);
    assert.match(enc.stdout, /BEGIN AGE/);
    const dec = coffer(['decrypt', '--passphrase-env', 'P'], {
      input: enc.stdout,
      env: { P: 'correct horse' },
    });
    assert.equal(dec.stdout, 'secret words');
    assertCleanError(
      coffer(['decrypt', '--passphrase-env', 'P'], { input: enc.stdout, env: { P: 'wrong' } }),
      1,
      /no identity matched/,
    );
  });

  test('the wrong identity: "no identity matched", status 1, no output file', () => {
    writeFileSync(path('w.txt'), 'x');
    assert.equal(age(['-r', them(), '-o', 'w.age', 'w.txt']).status, 0);
    const t = coffer(['decrypt', '-i', 'me.txt', '-o', 'w.out', 'w.age']);
    assertCleanError(t, 1, /no identity matched/);
    assert.match(t.stderr, /hint: /);
    assert.equal(existsSync(path('w.out')), false);
  });

  test('a damaged or truncated file: "damaged", status 1, nothing left behind', () => {
    const data = seededBytes('age-cli-damage', 200_000);
    writeFileSync(path('d.txt'), data);
    coffer(['encrypt', '-r', me(), '-o', 'd.age', 'd.txt']);
    const full = readFileSync(path('d.age'));
    writeFileSync(path('trunc.age'), full.subarray(0, full.length - 100));
    const flipped = Buffer.from(full);
    flipped[flipped.length - 70_000]! ^= 1;
    writeFileSync(path('flip.age'), flipped);
    writeFileSync(path('trail.age'), Buffer.concat([full, Buffer.from([0])]));
    for (const name of ['trunc.age', 'flip.age', 'trail.age']) {
      const t = coffer(['decrypt', '-i', 'me.txt', '-o', `${name}.out`, name]);
      assertCleanError(t, 1, /age file is damaged/);
      assert.equal(existsSync(path(`${name}.out`)), false, name);
    }
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.part')),
      [],
      'no partial files',
    );
  });

  test('usage errors: no recipient, -p with -r, a malformed recipient', () => {
    assertCleanError(coffer(['encrypt', '-a'], { input: 'x' }), 2, /no recipients/);
    assertCleanError(coffer(['encrypt', '-p', '-r', me(), '-a'], { input: 'x' }), 2, /-p cannot be combined/);
    assertCleanError(coffer(['encrypt', '-r', 'age1nope', '-a'], { input: 'x' }), 1, /malformed recipient/);
  });

  test('binary ciphertext is refused on a terminal, with a hint at -a', {
    skip: toolSkip('script', 'bsdutils'),
  }, () => {
    const command = [process.execPath, ...cliArgs, 'encrypt', '-r', me(), path('w.txt')]
      .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
      .join(' ');
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stdout, /coffer: error: refusing to write binary ciphertext to a terminal/);
    assert.match(r.stdout, /coffer: hint: use -a\/--armor/);
  });

  test('progress goes to stderr on request', () => {
    writeFileSync(path('p.bin'), seededBytes('age-cli-progress', 8_000_000));
    const t = coffer(['encrypt', '-r', me(), '-o', 'p.age', 'p.bin'], { env: { COFFER_PROGRESS: '1' } });
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stderr, /encrypting: .* of 7\.6 MiB/);
  });
});
