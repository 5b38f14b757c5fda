// The `coffer` command, tested through transcripts: the command, its stdout, stderr and exit status.
// Peers: sha256sum/sha512sum/b2sum for the hash format, pyca for Fernet tokens and TOTP codes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { assertCleanError, root, runCoffer } from '../helpers/cli.ts';
import { pycaSkip, runPython } from '../helpers/python.ts';
import { toolSkip } from '../helpers/tools.ts';

const dir = mkdtempSync(join(tmpdir(), 'coffer-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const coffer = (
  args: readonly string[],
  options: { input?: string | Uint8Array; env?: Record<string, string> } = {},
) => runCoffer(dir, args, options);

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('coffer: usage', () => {
  test('no command prints the overview and exits 2', () => {
    const t = coffer([]);
    assert.equal(t.status, 2);
    assert.match(t.stdout, /usage: coffer <command>/);
    assert.match(t.stdout, /exit status: 0 success/);
  });
  test('help for each command', () => {
    for (const c of ['hash', 'fernet', 'keyring', 'password', 'totp']) {
      const t = coffer(['help', c]);
      assert.equal(t.status, 0);
      assert.match(t.stdout, new RegExp(`usage: coffer ${c}`));
    }
  });
  test('--version', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    assert.equal(coffer(['--version']).stdout, `coffer ${pkg.version}\n`);
  });
  test('unknown command and unknown option are usage errors with a hint', () => {
    assertCleanError(coffer(['frobnicate']), 2, /no command "frobnicate"/);
    const t = coffer(['hash', '--bogus']);
    assertCleanError(t, 2, /unknown option --bogus/);
    assert.match(t.stderr, /^coffer: hint: /m);
  });
  test('there is no way to pass a secret on argv', () => {
    assertCleanError(
      coffer(['keyring', 'new', '-o', 'k', '--passphrase', 'x']),
      2,
      /unknown option --passphrase/,
    );
    assertCleanError(coffer(['fernet', 'encrypt', '--key', 'x']), 2, /unknown option --key/);
  });
});

describe('coffer hash', () => {
  const a = file('a.txt', 'hello\n');
  const b = file('b with space.bin', new Uint8Array(200_000).fill(7));
  const peers: [string, string, string][] = [
    ['sha256', 'sha256sum', 'coreutils'],
    ['sha512', 'sha512sum', 'coreutils'],
    ['blake2b', 'b2sum', 'coreutils'],
  ];
  for (const [alg, tool, pkg] of peers) {
    test(`-a ${alg} prints what ${tool} prints`, { skip: toolSkip(tool, pkg) }, () => {
      const ours = coffer(['hash', '-a', alg, 'a.txt', 'b with space.bin']);
      assert.equal(ours.status, 0, ours.stderr);
      const theirs = spawnSync(tool, ['a.txt', 'b with space.bin'], { cwd: dir, encoding: 'utf8' }).stdout;
      assert.equal(ours.stdout, theirs);
      // and --check reads the peer's sum file
      const sums = file(`${alg}.sums`, theirs);
      const check = coffer(['hash', '-a', alg, '-c', sums]);
      assert.equal(check.status, 0, check.stderr);
      assert.equal(check.stdout, 'a.txt: OK\nb with space.bin: OK\n');
    });
  }
  test('standard input', () => {
    const t = coffer(['hash'], { input: 'hello\n' });
    assert.equal(t.stdout, `5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03  -\n`);
  });
  test('--check reports a mismatch, a missing file and a malformed line, and exits 1', () => {
    const good = coffer(['hash', a]).stdout;
    const bad = `${'0'.repeat(64)}  ${b}\n`;
    const sums = file(
      'mixed.sums',
      `${good}${bad}${'1'.repeat(64)}  ${join(dir, 'missing')}\nnot a sum line\n`,
    );
    const t = coffer(['hash', '-c', sums]);
    assert.equal(t.status, 1);
    assert.match(t.stdout, /a\.txt: OK/);
    assert.match(t.stdout, /b with space\.bin: FAILED\n/);
    assert.match(t.stdout, /missing: FAILED open or read/);
    assert.match(t.stderr, /1 line is improperly formatted/);
    assert.match(t.stderr, /1 computed checksum did NOT match/);
    assert.match(t.stderr, /1 listed file could not be read/);
  });
  test('--check with the wrong algorithm says so', () => {
    const sums = file('s512', coffer(['hash', '-a', 'sha512', a]).stdout);
    assertCleanError(coffer(['hash', '-c', sums]), 1, /no properly formatted sha256 checksum lines/);
  });
  test('a missing file is an I/O error (status 3), the others are still hashed', () => {
    const t = coffer(['hash', 'nope', 'a.txt']);
    assert.equal(t.status, 3);
    assert.match(t.stderr, /coffer: error: nope: no such file/);
    assert.match(t.stdout, /a\.txt\n$/);
  });
  test('unknown algorithm', () => {
    assertCleanError(coffer(['hash', '-a', 'sha7', a]), 2, /unknown hash algorithm "sha7"/);
  });
  test('a name with a newline is escaped as sha256sum escapes it', {
    skip: toolSkip('sha256sum', 'coreutils'),
  }, () => {
    file('odd\nname', 'x');
    const ours = coffer(['hash', 'odd\nname']).stdout;
    const theirs = spawnSync('sha256sum', ['odd\nname'], { cwd: dir, encoding: 'utf8' }).stdout;
    assert.equal(ours, theirs);
    const check = coffer(['hash', '-c', file('odd.sums', ours)]);
    assert.equal(check.status, 0, check.stderr);
  });
});

describe('coffer fernet', () => {
  test('keygen writes a 0600 file and never overwrites it', () => {
    const t = coffer(['fernet', 'keygen', '-o', 'f.key']);
    assert.equal(t.status, 0, t.stderr);
    assert.equal(statSync(join(dir, 'f.key')).mode & 0o777, 0o600);
    assertCleanError(coffer(['fernet', 'keygen', '-o', 'f.key']), 3, /already exists/);
  });
  test('encrypt then decrypt; a tampered token fails with status 1', () => {
    coffer(['fernet', 'keygen', '-o', 'g.key']);
    const enc = coffer(['fernet', 'encrypt', '-k', 'g.key'], { input: 'attack at dawn' });
    assert.equal(enc.status, 0, enc.stderr);
    const dec = coffer(['fernet', 'decrypt', '-k', 'g.key'], { input: enc.stdout });
    assert.equal(dec.stdout, 'attack at dawn');
    const token = enc.stdout.trim();
    const flipped = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21);
    assertCleanError(
      coffer(['fernet', 'decrypt', '-k', 'g.key'], { input: flipped }),
      1,
      /decryption failed/,
    );
  });
  test('the key can come from an environment variable named by a flag', () => {
    const key = coffer(['fernet', 'keygen']).stdout.trim();
    const enc = coffer(['fernet', 'encrypt', '--key-env', 'FK'], { input: 'x', env: { FK: key } });
    assert.equal(
      coffer(['fernet', 'decrypt', '--key-env', 'FK'], { input: enc.stdout, env: { FK: key } }).stdout,
      'x',
    );
    assertCleanError(
      coffer(['fernet', 'encrypt', '--key-env', 'UNSET_VAR_X'], { input: 'x' }),
      2,
      /UNSET_VAR_X is not set/,
    );
  });
  test('tokens interoperate with pyca both ways', { skip: pycaSkip() }, () => {
    const key = coffer(['fernet', 'keygen']).stdout.trim();
    const enc = coffer(['fernet', 'encrypt', '--key-env', 'FK'], { input: 'from coffer', env: { FK: key } });
    const out = runPython<{ plain: string; token: string }>(
      `import json, sys
from cryptography.fernet import Fernet
a = json.load(sys.stdin)
f = Fernet(a["key"].encode())
print(json.dumps({"plain": f.decrypt(a["token"].encode()).decode(), "token": f.encrypt(b"from pyca").decode()}))`,
      { key, token: enc.stdout.trim() },
    );
    assert.equal(out.plain, 'from coffer');
    assert.equal(
      coffer(['fernet', 'decrypt', '--key-env', 'FK'], { input: out.token, env: { FK: key } }).stdout,
      'from pyca',
    );
  });
});

describe('coffer keyring', () => {
  const env = { KP: 'correct horse battery staple' };
  test('new, list, seal, rotate, open, disable', () => {
    const made = coffer(['keyring', 'new', '-o', 'ring.json', '--passphrase-env', 'KP', '-l', 'first'], {
      env,
    });
    assert.equal(made.status, 0, made.stderr);
    assert.equal(statSync(join(dir, 'ring.json')).mode & 0o777, 0o600);
    const first = /key ([0-9a-f]{8})/.exec(made.stderr)![1]!;
    const listed = coffer(['keyring', 'list', 'ring.json']);
    assert.match(listed.stdout, new RegExp(`^${first}  primary .* first\\n$`));

    const sealed = coffer(
      ['keyring', 'seal', 'ring.json', '--passphrase-env', 'KP', '-c', 'table=users', '-c', 'id=7'],
      {
        env,
        input: 'user@example.com',
      },
    );
    assert.equal(sealed.status, 0, sealed.stderr);
    assert.doesNotMatch(sealed.stdout, /example/);

    const rotated = coffer(['keyring', 'rotate', 'ring.json', '--passphrase-env', 'KP'], { env });
    assert.equal(rotated.status, 0, rotated.stderr);
    assert.equal(statSync(join(dir, 'ring.json')).mode & 0o777, 0o600);
    const lines = coffer(['keyring', 'list', 'ring.json']).stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines.find((l) => l.startsWith(first))!, /active/);

    const opened = coffer(
      ['keyring', 'open', 'ring.json', '--passphrase-env', 'KP', '-c', 'table=users', '-c', 'id=7'],
      {
        env,
        input: sealed.stdout,
      },
    );
    assert.equal(opened.stdout, 'user@example.com');

    const wrongRow = coffer(
      ['keyring', 'open', 'ring.json', '--passphrase-env', 'KP', '-c', 'table=users', '-c', 'id=8'],
      {
        env,
        input: sealed.stdout,
      },
    );
    assertCleanError(wrongRow, 1, /decryption failed/);

    assert.equal(
      coffer(['keyring', 'disable', 'ring.json', first, '--passphrase-env', 'KP'], { env }).status,
      0,
    );
    const disabled = coffer(
      ['keyring', 'open', 'ring.json', '--passphrase-env', 'KP', '-c', 'table=users', '-c', 'id=7'],
      {
        env,
        input: sealed.stdout,
      },
    );
    assertCleanError(disabled, 1, new RegExp(`key "${first}" is disabled`));
  });
  test('a wrong passphrase is status 1 and says so; the passphrase file form works', () => {
    coffer(['keyring', 'new', '-o', 'r2.json', '--passphrase-env', 'KP'], { env });
    assertCleanError(
      coffer(['keyring', 'rotate', 'r2.json', '--passphrase-env', 'KP'], { env: { KP: 'nope' } }),
      1,
      /wrong passphrase/,
    );
    const pf = file('pass.txt', 'correct horse battery staple\n');
    assert.equal(coffer(['keyring', 'rotate', 'r2.json', '--passphrase-file', pf]).status, 0);
  });
  test('without a terminal or a passphrase flag, a clear usage error', () => {
    const t = coffer(['keyring', 'new', '-o', 'r3.json']);
    assertCleanError(t, 2, /no terminal to ask for a secret on/);
    assert.match(t.stderr, /hint: use --passphrase-env/);
  });
  test('a file that is not a keyring', () => {
    assertCleanError(
      coffer(['keyring', 'rotate', file('junk.json', '{}'), '--passphrase-env', 'KP'], { env }),
      1,
      /not a coffer keyring file/,
    );
  });
});

describe('coffer password', () => {
  test('hash and verify from standard input (never argv)', () => {
    const h = coffer(['password', 'hash', '--stdin'], { input: 'hunter2\n' });
    assert.equal(h.status, 0, h.stderr);
    assert.match(h.stdout, /^\$argon2id\$v=19\$/);
    const stored = h.stdout.trim();
    const ok = coffer(['password', 'verify', stored, '--stdin'], { input: 'hunter2\n' });
    assert.deepEqual([ok.status, ok.stdout], [0, 'OK\n']);
    const bad = coffer(['password', 'verify', stored, '--stdin'], { input: 'hunter3\n' });
    assert.deepEqual([bad.status, bad.stdout], [1, 'FAILED\n']);
  });
  test('scrypt and pbkdf2 on request; a malformed hash is a clean error', () => {
    assert.match(
      coffer(['password', 'hash', '-a', 'scrypt', '--stdin'], { input: 'x\n' }).stdout,
      /^\$scrypt\$/,
    );
    assertCleanError(
      coffer(['password', 'verify', '$nope$', '--stdin'], { input: 'x\n' }),
      1,
      /malformed input/,
    );
    assertCleanError(
      coffer(['password', 'hash', '-a', 'md5', '--stdin'], { input: 'x\n' }),
      2,
      /unknown password hash/,
    );
  });
});

describe('coffer totp', () => {
  test('new writes a 0600 secret; uri and code use it; codes match pyca', { skip: pycaSkip() }, () => {
    assert.equal(coffer(['totp', 'new', '-o', 'totp.secret']).status, 0);
    assert.equal(statSync(join(dir, 'totp.secret')).mode & 0o777, 0o600);
    const uri = coffer([
      'totp',
      'uri',
      '-s',
      'totp.secret',
      '--account',
      'alice@example.com',
      '--issuer',
      'Example',
    ]);
    assert.match(
      uri.stdout,
      /^otpauth:\/\/totp\/Example:alice%40example\.com\?secret=[A-Z2-7]+&issuer=Example/,
    );
    const code = coffer(['totp', 'code', '-s', 'totp.secret']).stdout.trim();
    assert.match(code, /^\d{6}$/);
    const secret = readFileSync(join(dir, 'totp.secret'), 'utf8').trim();
    const theirs = runPython<string[]>(
      `import json, sys, time, base64
from cryptography.hazmat.primitives.twofactor.totp import TOTP
from cryptography.hazmat.primitives.hashes import SHA1
s = json.load(sys.stdin)
key = base64.b32decode(s + "=" * (-len(s) % 8))
t = TOTP(key, 6, SHA1(), 30)
now = int(time.time())
print(json.dumps([t.generate(now + d).decode() for d in (-30, 0, 30)]))`,
      secret,
    );
    assert.ok(theirs.includes(code), `${code} not in ${theirs}`);
  });
});

describe('coffer doctor', () => {
  test('reports the backend, OpenSSL and Node versions', () => {
    const t = coffer(['doctor']);
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stdout, /^backend: {3}(native|node:crypto)/);
    assert.ok(t.stdout.includes(`openssl:   OpenSSL ${process.versions.openssl.split('+')[0]}`), t.stdout);
    assert.ok(t.stdout.includes(`node:      ${process.version}`));
  });
  test('COFFER_BACKEND=js forces node:crypto', () => {
    const t = coffer(['doctor'], { env: { COFFER_BACKEND: 'js' } });
    assert.match(t.stdout, /^backend: {3}node:crypto \(COFFER_BACKEND=js\)/);
  });
});
