// `coffer sign` / `coffer verify` against `ssh-keygen -Y sign` / `ssh-keygen -Y verify`, both ways.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { assertCleanError, runCoffer } from '../helpers/cli.ts';
import { toolSkip } from '../helpers/tools.ts';

const dir = mkdtempSync(join(tmpdir(), 'coffer-cli-sshsig-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const coffer = (args: readonly string[], options: { input?: string; env?: Record<string, string> } = {}) =>
  runCoffer(dir, args, options);
const path = (name: string) => join(dir, name);

function sshKeygen(
  args: readonly string[],
  input = '',
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('ssh-keygen', args, { cwd: dir, input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const KEYS: readonly { name: string; args: string[]; label: string }[] = [
  { name: 'ed', args: ['-t', 'ed25519'], label: 'ED25519' },
  { name: 'p256', args: ['-t', 'ecdsa', '-b', '256'], label: 'ECDSA' },
  { name: 'p384', args: ['-t', 'ecdsa', '-b', '384'], label: 'ECDSA' },
  { name: 'p521', args: ['-t', 'ecdsa', '-b', '521'], label: 'ECDSA' },
  { name: 'rsa', args: ['-t', 'rsa', '-b', '2048'], label: 'RSA' },
];

describe('coffer sign / verify with ssh-keygen', { skip: toolSkip('ssh-keygen', 'openssh-client') }, () => {
  const signers: string[] = [];
  for (const k of KEYS) {
    for (const pass of ['', 'pass phrase']) {
      const file = `${k.name}${pass ? '-enc' : ''}`;
      sshKeygen(['-q', ...k.args, '-N', pass, '-C', file, '-f', path(file)]);
      const pub = readFileSync(path(`${file}.pub`), 'utf8')
        .trim()
        .split(' ');
      signers.push(`${file}@example.com namespaces="file,git" ${pub[0]} ${pub[1]}`);
    }
  }
  writeFileSync(path('allowed'), `# test signers\n${signers.join('\n')}\n`);
  writeFileSync(path('msg'), 'release 1.2.3\n');

  for (const k of KEYS) {
    for (const pass of ['', 'pass phrase']) {
      const file = `${k.name}${pass ? '-enc' : ''}`;
      const env = { KP: pass };
      const passArgs = pass ? ['--passphrase-env', 'KP'] : [];
      test(`${file}: coffer signs, ssh-keygen verifies; ssh-keygen signs, coffer verifies`, () => {
        const signed = coffer(['sign', '-k', file, '-o', `${file}.sig`, ...passArgs, 'msg'], { env });
        assert.equal(signed.status, 0, signed.stderr);
        const theirs = sshKeygen(
          ['-Y', 'verify', '-f', 'allowed', '-I', `${file}@example.com`, '-n', 'file', '-s', `${file}.sig`],
          'release 1.2.3\n',
        );
        assert.equal(theirs.status, 0, theirs.stderr);

        rmSync(path('msg.sig'), { force: true });
        const made = sshKeygen(['-Y', 'sign', '-f', file, '-n', 'git', '-P', pass, 'msg']);
        assert.equal(made.status, 0, made.stderr);
        const ours = coffer(['verify', '-f', 'allowed', '-I', `${file}@example.com`, '-n', 'git', 'msg']);
        assert.equal(ours.status, 0, ours.stderr);
        assert.match(
          ours.stdout,
          new RegExp(`^Good "git" signature for ${file}@example.com with ${k.label} key SHA256:`),
        );
        // the fingerprint printed is ssh-keygen's
        const fp = sshKeygen(['-l', '-E', 'sha256', '-f', `${file}.pub`]).stdout.split(' ')[1]!;
        assert.ok(ours.stdout.includes(fp), `${ours.stdout} vs ${fp}`);
      });
    }
  }

  test('a changed message, the wrong principal and the wrong namespace all fail with status 1', () => {
    coffer(['sign', '-k', 'ed', '-o', 'm.sig', 'msg']);
    assertCleanError(
      coffer(['verify', '-f', 'allowed', '-I', 'ed@example.com', '-s', 'm.sig'], {
        input: 'release 1.2.4\n',
      }),
      1,
      /signature did not verify/,
    );
    assertCleanError(
      coffer(['verify', '-f', 'allowed', '-I', 'p256@example.com', '-s', 'm.sig', 'msg']),
      1,
      /is not allowed for "p256@example.com"/,
    );
    assertCleanError(
      coffer(['verify', '-f', 'allowed', '-I', 'ed@example.com', '-n', 'git', '-s', 'm.sig', 'msg']),
      1,
      /namespace "file", not "git"/,
    );
  });

  test('a signature for a namespace the signer is not allowed in is refused', () => {
    writeFileSync(
      path('allowed-git'),
      `${signers[0]!.replace('namespaces="file,git"', 'namespaces="git"')}\n`,
    );
    const t = coffer(['verify', '-f', 'allowed-git', '-I', 'ed@example.com', '-s', 'm.sig', 'msg']);
    assertCleanError(t, 1, /not allowed/);
  });

  test('a PEM key (openssl genpkey) signs; ssh-keygen verifies', {
    skip: toolSkip('openssl', 'openssl'),
  }, () => {
    spawnSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', path('pem.key')]);
    const signed = coffer(['sign', '-k', 'pem.key', '-o', 'pem.sig', 'msg']);
    assert.equal(signed.status, 0, signed.stderr);
    const line = readFileSync(path('pem.sig'), 'utf8');
    assert.match(line, /BEGIN SSH SIGNATURE/);
    const sig = sshKeygen(['-Y', 'check-novalidate', '-n', 'file', '-s', 'pem.sig'], 'release 1.2.3\n');
    assert.equal(sig.status, 0, sig.stderr);
  });

  test('a wrong passphrase is a clean failure; a missing key is a usage error', () => {
    assertCleanError(
      coffer(['sign', '-k', 'ed-enc', '--passphrase-env', 'KP', 'msg'], { env: { KP: 'nope' } }),
      1,
      /wrong key or passphrase/,
    );
    assertCleanError(coffer(['sign', 'msg']), 2, /which key signs/);
    assertCleanError(coffer(['verify', 'msg']), 2, /needs -f ALLOWED_SIGNERS and -I PRINCIPAL/);
  });
});
