// Live interop with OpenSSH's ssh-keygen, both ways, through coffer/hazmat/serialization:
//   - keys `ssh-keygen -t ed25519|ecdsa (256/384/521)|rsa` writes, with and without `-N passphrase`, load
//     through loadSshPrivateKey and match the .pub line ssh-keygen wrote (loadSshPublicKey, and coffer's
//     own OpenSSH public encoding of the loaded key, comment aside);
//   - sshFingerprint equals `ssh-keygen -l -E sha256`;
//   - keys coffer writes with serializeSshPrivateKey (plain and passphrase-protected) are accepted by
//     `ssh-keygen -y -f` (with `-P`), which prints coffer's public line;
//   - a signature made with a loaded ssh key verifies in `openssl dgst`/`pkeyutl` with the PEM public key
//     coffer exports;
//   - a wrong passphrase is InvalidKey, a missing one a DecodeError that says a passphrase is required.
// Keys are fresh each run. Without ssh-keygen (or openssl, for the signature test) the suite skips loudly.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DecodeError, InvalidKey } from '../../../src/errors.ts';
import {
  ECDSA,
  EllipticCurvePrivateKey,
  SECP256R1,
  SECP384R1,
  SECP521R1,
} from '../../../src/hazmat/asymmetric/ec.ts';
import { Ed25519PrivateKey } from '../../../src/hazmat/asymmetric/ed25519.ts';
import { PKCS1v15 } from '../../../src/hazmat/asymmetric/padding.ts';
import { RSAPrivateKey } from '../../../src/hazmat/asymmetric/rsa.ts';
import { type HashAlgorithm, SHA256, SHA384, SHA512 } from '../../../src/hazmat/hashes.ts';
import {
  BestAvailableEncryption,
  Encoding,
  loadSshPrivateKey,
  loadSshPublicKey,
  NoEncryption,
  PublicFormat,
  serializeSshPrivateKey,
  sshFingerprint,
} from '../../../src/hazmat/serialization.ts';
import { toolSkip } from '../../helpers/tools.ts';

const skip = toolSkip('ssh-keygen', 'openssh-client') || toolSkip('openssl', 'openssl');
const PASSPHRASE = `ssh-${randomBytes(6).toString('hex')}`;
const pass = new TextEncoder().encode(PASSPHRASE);

interface AnyPublic {
  publicBytes(encoding: string, format: string): string | Uint8Array;
  equals(other: unknown): boolean;
}
interface AnyPrivate {
  publicKey(): AnyPublic;
  sign(...args: unknown[]): Uint8Array;
}

let dir = '';
const path = (name: string) => join(dir, name);

function run(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** "type base64" without the comment. */
const typeAndBlob = (line: string) => line.trim().split(/\s+/).slice(0, 2).join(' ');

interface SshFamily {
  label: string;
  keygen: readonly string[];
  generate: () => AnyPrivate;
  /** How to sign with the loaded key and the openssl command that checks it. */
  sign: (key: AnyPrivate, msg: Uint8Array) => Uint8Array;
  opensslVerify: (pub: string, msg: string, sig: string) => string[];
}

const ecdsaFamily = (
  bits: 256 | 384 | 521,
  curve: () => unknown,
  hash: () => HashAlgorithm,
  dgst: string,
) => ({
  label: `ecdsa ${bits}`,
  keygen: ['-t', 'ecdsa', '-b', String(bits)],
  generate: () => EllipticCurvePrivateKey.generate(curve() as never) as unknown as AnyPrivate,
  sign: (key: AnyPrivate, msg: Uint8Array) => key.sign(msg, new ECDSA(hash())),
  opensslVerify: (pub: string, msg: string, sig: string) => [
    'dgst',
    `-${dgst}`,
    '-verify',
    pub,
    '-signature',
    sig,
    msg,
  ],
});

const FAMILIES: readonly SshFamily[] = [
  {
    label: 'ed25519',
    keygen: ['-t', 'ed25519'],
    generate: () => Ed25519PrivateKey.generate() as unknown as AnyPrivate,
    sign: (key, msg) => key.sign(msg),
    opensslVerify: (pub, msg, sig) => [
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      pub,
      '-rawin',
      '-in',
      msg,
      '-sigfile',
      sig,
    ],
  },
  ecdsaFamily(
    256,
    () => new SECP256R1(),
    () => new SHA256(),
    'sha256',
  ),
  ecdsaFamily(
    384,
    () => new SECP384R1(),
    () => new SHA384(),
    'sha384',
  ),
  ecdsaFamily(
    521,
    () => new SECP521R1(),
    () => new SHA512(),
    'sha512',
  ),
  {
    label: 'rsa 2048',
    keygen: ['-t', 'rsa', '-b', '2048'],
    generate: () => RSAPrivateKey.generate({ publicExponent: 65537, keySize: 2048 }) as unknown as AnyPrivate,
    sign: (key, msg) => key.sign(msg, new PKCS1v15(), new SHA256()),
    opensslVerify: (pub, msg, sig) => ['dgst', '-sha256', '-verify', pub, '-signature', sig, msg],
  },
];

describe('ssh-keygen interop', { skip }, () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'coffer-ssh-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const f of FAMILIES) {
    const file = f.label.replace(' ', '-');
    for (const encrypted of [false, true]) {
      const how = encrypted ? 'with -N passphrase' : 'without a passphrase';
      test(`${f.label}: ssh-keygen ${how} → loadSshPrivateKey; .pub line, fingerprint, signature`, async () => {
        const name = `${file}${encrypted ? '-enc' : ''}`;
        const comment = `coffer-test-${name}@example`;
        run('ssh-keygen', [...f.keygen, '-q', '-N', encrypted ? PASSPHRASE : '', '-C', comment, '-f', name]);
        const text = readFileSync(path(name), 'utf8');
        const pubLine = readFileSync(path(`${name}.pub`), 'utf8').trim();

        const key = (await loadSshPrivateKey(text, encrypted ? pass : undefined)) as unknown as AnyPrivate;
        const pub = loadSshPublicKey(pubLine) as unknown as AnyPublic;
        assert.ok(key.publicKey().equals(pub), 'the private key matches the .pub line');
        const line = key.publicKey().publicBytes(Encoding.OpenSSH, PublicFormat.OpenSSH) as string;
        assert.equal(typeAndBlob(line), typeAndBlob(pubLine), 'coffer writes the same public line');

        const fp = run('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${name}.pub`]).split(/\s+/)[1];
        assert.equal(sshFingerprint(pub as never), fp);

        if (encrypted) {
          await assert.rejects(loadSshPrivateKey(text, new TextEncoder().encode('wrong')), InvalidKey);
          await assert.rejects(loadSshPrivateKey(text), (err: unknown) => {
            assert.ok(err instanceof DecodeError, `expected DecodeError, got ${String(err)}`);
            assert.match(err.message, /passphrase/);
            return true;
          });
        }

        // A signature from the loaded ssh key, checked by openssl with coffer's PEM public key.
        const msg = new Uint8Array(randomBytes(100));
        writeFileSync(path('msg'), msg);
        writeFileSync(path('sig'), f.sign(key, msg));
        writeFileSync(
          path(`${name}.spki.pem`),
          key.publicKey().publicBytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo),
        );
        run('openssl', f.opensslVerify(`${name}.spki.pem`, 'msg', 'sig'));
      });

      test(`${f.label}: coffer serializeSshPrivateKey ${how} → ssh-keygen -y`, async () => {
        const key = f.generate();
        const comment = `written-by-coffer-${file}`;
        const text = await serializeSshPrivateKey(key as never, {
          encryption: encrypted ? new BestAvailableEncryption(pass) : new NoEncryption(),
          comment,
        });
        assert.match(text, /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
        const name = `coffer-${file}${encrypted ? '-enc' : ''}`;
        writeFileSync(path(name), text, { mode: 0o600 });
        const args = ['-y', '-f', name, ...(encrypted ? ['-P', PASSPHRASE] : ['-P', ''])];
        const printed = run('ssh-keygen', args).trim();
        const mine = key.publicKey().publicBytes(Encoding.OpenSSH, PublicFormat.OpenSSH) as string;
        assert.equal(typeAndBlob(printed), typeAndBlob(mine));
        // ssh-keygen prints the stored comment after the key.
        assert.ok(printed.endsWith(comment), `ssh-keygen shows the comment: ${printed}`);
        if (encrypted) {
          const wrong = spawnSync('ssh-keygen', ['-y', '-f', name, '-P', 'wrong'], { cwd: dir });
          assert.notEqual(
            wrong.status,
            0,
            'ssh-keygen refuses a wrong passphrase: the key is really encrypted',
          );
        }
        // And coffer reads its own file back.
        const back = (await loadSshPrivateKey(text, encrypted ? pass : undefined)) as unknown as AnyPrivate;
        assert.ok(back.publicKey().equals(key.publicKey()));
      });
    }

    test(`${f.label}: public lines round-trip (coffer ↔ ssh-keygen)`, () => {
      const key = f.generate();
      const line = key.publicKey().publicBytes(Encoding.OpenSSH, PublicFormat.OpenSSH) as string;
      assert.doesNotMatch(line, /\n/);
      writeFileSync(path('rt.pub'), `${line} round-trip\n`);
      // ssh-keygen -l reads coffer's line; -e/-i converts it through RFC 4716 and back.
      const fp = run('ssh-keygen', ['-l', '-E', 'sha256', '-f', 'rt.pub']).split(/\s+/)[1];
      assert.equal(sshFingerprint(key.publicKey() as never), fp);
      const rfc4716 = run('ssh-keygen', ['-e', '-f', 'rt.pub']);
      writeFileSync(path('rt.rfc4716'), rfc4716);
      const back = run('ssh-keygen', ['-i', '-f', 'rt.rfc4716']).trim();
      assert.equal(typeAndBlob(back), typeAndBlob(line));
      assert.ok((loadSshPublicKey(back) as unknown as AnyPublic).equals(key.publicKey()));
    });
  }
});
