// OpenSSH key formats (src/formats/openssh.ts) against the real ssh-keygen, both ways: keys ssh-keygen
// writes (plain and passphrase-protected) parse here, keys written here load in ssh-keygen, public lines
// and fingerprints match byte for byte, and the JWKs round-trip through node:crypto to sign and verify.
// Hostile inputs and the fuzz live in openssh-hostile.test.ts.
import assert from 'node:assert/strict';
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DecodeError, InvalidKey, UnsupportedAlgorithm } from '../../src/errors.ts';
import {
  encodeSshPrivateKey,
  encodeSshPublicKey,
  parseSshPrivateKey,
  parseSshPublicKey,
  parseSshPublicKeyBlob,
  type SshJwk,
  sshFingerprint,
  sshPublicKeyBlob,
} from '../../src/formats/openssh.ts';
import { run, toolSkip } from '../helpers/tools.ts';

const skip = toolSkip('ssh-keygen', 'openssh-client');
const dir = mkdtempSync(join(tmpdir(), 'coffer-openssh-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const PASS = 'correct-pass';
const pass = Buffer.from(PASS);

interface Spec {
  readonly name: string;
  readonly args: readonly string[];
  readonly type: string;
  /** node:crypto's digest for sign/verify (null for Ed25519). */
  readonly hash: string | null;
}
const SPECS: readonly Spec[] = [
  { name: 'ed25519', args: ['-t', 'ed25519'], type: 'ssh-ed25519', hash: null },
  { name: 'ecdsa-256', args: ['-t', 'ecdsa', '-b', '256'], type: 'ecdsa-sha2-nistp256', hash: 'sha256' },
  { name: 'ecdsa-384', args: ['-t', 'ecdsa', '-b', '384'], type: 'ecdsa-sha2-nistp384', hash: 'sha384' },
  { name: 'ecdsa-521', args: ['-t', 'ecdsa', '-b', '521'], type: 'ecdsa-sha2-nistp521', hash: 'sha512' },
  { name: 'rsa-2048', args: ['-t', 'rsa', '-b', '2048'], type: 'ssh-rsa', hash: 'sha256' },
];

let counter = 0;
/** Runs ssh-keygen to make a key; returns the private key file's path. */
function keygen(spec: Spec, extra: readonly string[] = []): string {
  const file = join(dir, `${spec.name}-${counter++}`);
  run('ssh-keygen', ['-q', ...spec.args, '-C', `${spec.name}@coffer test`, ...extra, '-f', file]);
  return file;
}

function writeKey(text: string): string {
  const file = join(dir, `written-${counter++}`);
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

/** `ssh-keygen -l -E sha256` of a file: the fingerprint field. */
function keygenFingerprint(file: string): string {
  const fields = run('ssh-keygen', ['-l', '-E', 'sha256', '-f', file]).split(' ');
  return fields[1]!;
}

/** The first two fields of a public key line. */
const keyPart = (line: string) => line.trim().split(' ').slice(0, 2).join(' ');

function signVerify(spec: Spec, privateJwk: SshJwk, publicKey: KeyObject): void {
  const priv = createPrivateKey({ key: privateJwk as never, format: 'jwk' });
  const data = Buffer.from(`signed by ${spec.name}`);
  const signature = sign(spec.hash, data, priv);
  assert.equal(verify(spec.hash, data, publicKey, signature), true);
  assert.equal(verify(spec.hash, Buffer.from('other data'), publicKey, signature), false);
}

describe('keys written by ssh-keygen', { skip }, () => {
  for (const spec of SPECS) {
    for (const encrypted of [false, true]) {
      // Default rounds (16) for one key; 4 for the rest, to keep the run short.
      const rounds = spec.name === 'ed25519' ? [] : ['-a', '4'];
      const label = `${spec.name}, ${encrypted ? 'passphrase-protected' : 'unencrypted'}`;
      test(label, async () => {
        const file = keygen(spec, ['-N', encrypted ? PASS : '', ...(encrypted ? rounds : [])]);
        const pubLine = readFileSync(`${file}.pub`, 'utf8');
        const parsed = await parseSshPrivateKey(readFileSync(file, 'utf8'), encrypted ? pass : undefined);
        assert.equal(parsed.type, spec.type);
        assert.equal(parsed.encrypted, encrypted);
        assert.equal(parsed.comment, `${spec.name}@coffer test`);

        // The public line: same key, type and comment; our encoding is byte-identical to ssh-keygen's.
        const pub = parseSshPublicKey(pubLine);
        assert.equal(pub.type, spec.type);
        assert.equal(pub.comment, `${spec.name}@coffer test`);
        assert.equal(encodeSshPublicKey(pub.jwk, pub.comment), pubLine.trim());
        assert.equal(encodeSshPublicKey(parsed.jwk, parsed.comment), pubLine.trim());

        // Fingerprint as ssh-keygen -l -E sha256 prints it.
        const blob = sshPublicKeyBlob(pub.jwk);
        assert.equal(sshFingerprint(blob), keygenFingerprint(`${file}.pub`));
        assert.deepEqual(parseSshPublicKeyBlob(blob), { jwk: pub.jwk, type: spec.type });

        // node:crypto: the private JWK imports, signs; the public key from the line verifies.
        const publicKey = createPublicKey({ key: pub.jwk as never, format: 'jwk' });
        signVerify(spec, parsed.jwk, publicKey);
        // And node derives the same public key from the private JWK.
        const derived = createPublicKey(createPrivateKey({ key: parsed.jwk as never, format: 'jwk' }));
        assert.ok(derived.equals(publicKey));

        // Re-encoded (plain, then under a new passphrase) the key loads in ssh-keygen, same key and
        // fingerprint.
        for (const options of [{ comment: 'again' }, { passphrase: Buffer.from('new pass'), rounds: 2 }]) {
          const out = writeKey(await encodeSshPrivateKey(parsed.jwk, options));
          const again = run('ssh-keygen', ['-y', '-P', 'new pass', '-f', out]);
          assert.equal(keyPart(again), keyPart(pubLine));
          assert.equal(keygenFingerprint(out), sshFingerprint(blob));
        }
        if (encrypted) {
          await assert.rejects(
            parseSshPrivateKey(readFileSync(file, 'utf8'), Buffer.from('wrong')),
            InvalidKey,
          );
          await assert.rejects(
            parseSshPrivateKey(readFileSync(file, 'utf8')),
            (e: unknown) =>
              e instanceof DecodeError && e.message === 'the key is encrypted: a passphrase is required',
          );
        } else {
          // A passphrase given for a plain key is ignored, as ssh-keygen does.
          assert.deepEqual((await parseSshPrivateKey(readFileSync(file), pass)).jwk, parsed.jwk);
        }
      });
    }
  }

  const ed = SPECS[0]!;
  for (const cipher of [
    'aes256-gcm@openssh.com',
    'aes128-gcm@openssh.com',
    'aes128-ctr',
    'aes192-ctr',
    'aes256-cbc',
  ]) {
    test(`ssh-keygen -Z ${cipher} is read`, async () => {
      const file = keygen(ed, ['-N', PASS, '-a', '2', '-Z', cipher]);
      const parsed = await parseSshPrivateKey(readFileSync(file, 'utf8'), pass);
      assert.equal(
        encodeSshPublicKey(parsed.jwk, parsed.comment),
        readFileSync(`${file}.pub`, 'utf8').trim(),
      );
      await assert.rejects(parseSshPrivateKey(readFileSync(file, 'utf8'), Buffer.from('nope')), InvalidKey);
    });
  }

  test('ssh-keygen -Z chacha20-poly1305@openssh.com is refused as unsupported', async () => {
    const file = keygen(ed, ['-N', PASS, '-a', '1', '-Z', 'chacha20-poly1305@openssh.com']);
    await assert.rejects(
      parseSshPrivateKey(readFileSync(file, 'utf8'), pass),
      (e: unknown) => e instanceof UnsupportedAlgorithm && /chacha20-poly1305/.test(e.message),
    );
  });

  test('an empty passphrase for an encrypted key is a wrong passphrase', async () => {
    const file = keygen(ed, ['-N', PASS, '-a', '1']);
    await assert.rejects(parseSshPrivateKey(readFileSync(file, 'utf8'), new Uint8Array(0)), InvalidKey);
  });

  test('ssh-keygen -p re-encrypts a key written here; the result still parses', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const jwk = privateKey.export({ format: 'jwk' }) as SshJwk;
    const file = writeKey(await encodeSshPrivateKey(jwk, { passphrase: pass, rounds: 1, comment: 'p' }));
    run('ssh-keygen', ['-p', '-q', '-a', '1', '-P', PASS, '-N', 'other', '-f', file]);
    const parsed = await parseSshPrivateKey(readFileSync(file, 'utf8'), Buffer.from('other'));
    assert.deepEqual(parsed.jwk, jwk);
    assert.equal(parsed.comment, 'p');
  });
});

describe('keys generated by node:crypto, written here', { skip }, () => {
  const cases: ReadonlyArray<[string, () => KeyObject, Spec]> = [
    ['ed25519', () => generateKeyPairSync('ed25519').privateKey, SPECS[0]!],
    ['P-256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, SPECS[1]!],
    ['P-384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey, SPECS[2]!],
    ['P-521', () => generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey, SPECS[3]!],
    ['RSA-2048', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, SPECS[4]!],
    [
      'RSA-3072, exponent 3',
      () => generateKeyPairSync('rsa', { modulusLength: 3072, publicExponent: 3 }).privateKey,
      SPECS[4]!,
    ],
  ];
  for (const [name, generate, spec] of cases) {
    test(`${name}: ssh-keygen reads the private key, plain and encrypted (ctr and gcm)`, async () => {
      const key = generate();
      const jwk = key.export({ format: 'jwk' }) as SshJwk;
      const publicLine = encodeSshPublicKey(createPublicKey(key).export({ format: 'jwk' }) as SshJwk, 'c');
      const pubFile = writeKey(`${publicLine}\n`);
      assert.equal(keygenFingerprint(pubFile), sshFingerprint(sshPublicKeyBlob(jwk)));
      for (const options of [
        {},
        { passphrase: pass, rounds: 1 },
        { passphrase: pass, rounds: 1, cipher: 'aes256-gcm@openssh.com' as const },
      ]) {
        const text = await encodeSshPrivateKey(jwk, { ...options, comment: 'c' });
        assert.match(
          text,
          /^-----BEGIN OPENSSH PRIVATE KEY-----\n(?:[A-Za-z0-9+/=]{1,70}\n)+-----END OPENSSH PRIVATE KEY-----\n$/,
        );
        const file = writeKey(text);
        assert.equal(run('ssh-keygen', ['-y', '-P', PASS, '-f', file]).trim(), publicLine);
        // Our own parser gives back the exact JWK node exported (RSA: all CRT fields).
        const back = await parseSshPrivateKey(text, pass);
        assert.deepEqual(back.jwk, jwk);
        assert.equal(back.comment, 'c');
        signVerify(spec, back.jwk, createPublicKey(key));
      }
    });
  }

  test('the checkints and salt are random: two encodings differ, both parse', async () => {
    const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) as SshJwk;
    const a = await encodeSshPrivateKey(jwk, {});
    const b = await encodeSshPrivateKey(jwk, {});
    assert.notEqual(a, b);
    assert.deepEqual((await parseSshPrivateKey(a)).jwk, (await parseSshPrivateKey(b)).jwk);
  });
});

describe('fixed expectations', () => {
  test('public line: comment with spaces, tabs, CRLF and no comment', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const line = encodeSshPublicKey(privateKey.export({ format: 'jwk' }) as SshJwk);
    assert.equal(line.split(' ').length, 2);
    assert.equal(parseSshPublicKey(line).comment, '');
    assert.equal(parseSshPublicKey(`${line} two words\r\n`).comment, 'two words');
    assert.equal(parseSshPublicKey(`\t${line}\tx y  \n`).comment, 'x y');
  });

  test('fingerprints are unpadded base64 of SHA-256 over the blob', () => {
    assert.equal(sshFingerprint(new Uint8Array(0)), 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU');
  });

  test('JWKs OpenSSH cannot hold are unsupported', () => {
    for (const jwk of [
      generateKeyPairSync('ed448').privateKey.export({ format: 'jwk' }),
      generateKeyPairSync('x25519').privateKey.export({ format: 'jwk' }),
      generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ format: 'jwk' }),
      { kty: 'oct', k: 'AAAA' },
    ]) {
      assert.throws(() => sshPublicKeyBlob(jwk as SshJwk), UnsupportedAlgorithm);
    }
  });
});
