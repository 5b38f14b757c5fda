// SSH signatures (src/formats/sshsig.ts) against `ssh-keygen -Y sign` and `ssh-keygen -Y verify`, both
// ways, with the signing and verifying done by node:crypto; the allowed-signers parser and matcher; and
// hostile input with a mutation fuzz.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
import fc from 'fast-check';
import { DecodeError, UnsupportedAlgorithm } from '../../src/errors.ts';
import {
  encodeSshPrivateKey,
  encodeSshPublicKey,
  parseSshPrivateKey,
  type SshJwk,
} from '../../src/formats/openssh.ts';
import * as sshsig from '../../src/formats/sshsig.ts';
import {
  encodeSshSignature,
  findAllowedSigner,
  parseAllowedSigners,
  parseSshSignature,
  sshsigDigest,
  sshsigSignedData,
} from '../../src/formats/sshsig.ts';
import { sshString } from '../../src/internal/ssh-wire.ts';
import {
  bytesParam,
  checkCoverage,
  enumParam,
  optionsArg,
  rangeCase,
  runTargets,
  stringParam,
  type Target,
  typeCase,
} from '../helpers/hostile-table.ts';
import { run, toolSkip } from '../helpers/tools.ts';

const skip = toolSkip('ssh-keygen', 'openssh-client');
const dir = mkdtempSync(join(tmpdir(), 'coffer-sshsig-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const file = (name: string, content?: string | Uint8Array) => {
  const f = join(dir, `${counter++}-${name}`);
  if (content !== undefined) writeFileSync(f, content, { mode: 0o600 });
  return f;
};

const MESSAGE = Buffer.from('the release tarball\n');
const p1363 = (key: KeyObject) => ({ key, dsaEncoding: 'ieee-p1363' as const });

const KEYS: ReadonlyArray<[string, () => KeyObject]> = [
  ['ed25519', () => generateKeyPairSync('ed25519').privateKey],
  ['P-256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey],
  ['P-384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey],
  ['P-521', () => generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey],
  ['RSA-2048', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey],
];

/** `ssh-keygen -Y verify`: exit status and output. */
function keygenVerify(
  allowed: string,
  principal: string,
  namespace: string,
  sigFile: string,
  message: Uint8Array,
) {
  return spawnSync(
    'ssh-keygen',
    ['-Y', 'verify', '-f', allowed, '-I', principal, '-n', namespace, '-s', sigFile],
    {
      input: message,
      encoding: 'utf8',
    },
  );
}

describe('interop with ssh-keygen -Y', { skip }, () => {
  for (const [name, generate] of KEYS) {
    test(`${name}: ssh-keygen signs, we parse and node verifies; we sign, ssh-keygen verifies`, async () => {
      const key = generate();
      const jwk = key.export({ format: 'jwk' }) as SshJwk;
      const keyFile = file('id', await encodeSshPrivateKey(jwk, { comment: 'alice' }));
      const pubLine = encodeSshPublicKey(jwk, 'alice');
      const allowed = file('allowed', `alice@example.com namespaces="file,git" ${pubLine}\n`);
      const msgFile = file('msg', MESSAGE);

      // ssh-keygen -Y sign → parse → node verifies.
      run('ssh-keygen', ['-q', '-Y', 'sign', '-f', keyFile, '-n', 'file', msgFile]);
      const theirs = parseSshSignature(readFileSync(`${msgFile}.sig`, 'utf8'));
      assert.equal(theirs.namespace, 'file');
      assert.equal(theirs.hashAlgorithm, 'sha512');
      assert.equal(encodeSshPublicKey(theirs.jwk, 'alice'), pubLine);
      const publicKey = p1363(createPublicKey({ key: theirs.jwk as never, format: 'jwk' }));
      assert.equal(
        verify(theirs.digest, sshsigSignedData(MESSAGE, theirs), publicKey, theirs.signature),
        true,
      );
      assert.equal(
        verify(theirs.digest, sshsigSignedData('other', theirs), publicKey, theirs.signature),
        false,
      );
      assert.equal(
        verify(
          theirs.digest,
          sshsigSignedData(MESSAGE, { ...theirs, namespace: 'git' }),
          publicKey,
          theirs.signature,
        ),
        false,
      );
      const signers = parseAllowedSigners(readFileSync(allowed, 'utf8'));
      assert.ok(
        findAllowedSigner(signers, {
          principal: 'alice@example.com',
          namespace: theirs.namespace,
          publicKeyBlob: theirs.publicKeyBlob,
        }),
      );
      // Re-encoding their signature gives their text back (ECDSA's mpints are re-derived from r ‖ s).
      assert.equal(
        encodeSshSignature({
          publicKey: theirs.jwk,
          namespace: 'file',
          signatureAlgorithm: theirs.signatureAlgorithm,
          signature: theirs.signature,
        }),
        readFileSync(`${msgFile}.sig`, 'utf8'),
      );

      // We sign (sha512 and sha256) → ssh-keygen -Y verify accepts; wrong namespace and message refused.
      for (const hashAlgorithm of ['sha512', 'sha256'] as const) {
        const data = sshsigSignedData(MESSAGE, { namespace: 'git', hashAlgorithm });
        const type = theirs.publicKeyType;
        const signature = sign(
          sshsigDigest(type),
          data,
          p1363(createPrivateKey({ key: jwk as never, format: 'jwk' })),
        );
        const sigFile = file(
          'ours.sig',
          encodeSshSignature({ publicKey: jwk, namespace: 'git', hashAlgorithm, signature }),
        );
        const ok = keygenVerify(allowed, 'alice@example.com', 'git', sigFile, MESSAGE);
        assert.equal(ok.status, 0, ok.stderr);
        assert.match(ok.stdout, /Good "git" signature for alice@example.com/);
        assert.notEqual(keygenVerify(allowed, 'alice@example.com', 'file', sigFile, MESSAGE).status, 0);
        assert.notEqual(
          keygenVerify(allowed, 'alice@example.com', 'git', sigFile, Buffer.from('x')).status,
          0,
        );
        assert.notEqual(keygenVerify(allowed, 'bob@example.com', 'git', sigFile, MESSAGE).status, 0);
      }
    });
  }

  test('RSA with rsa-sha2-256 verifies in ssh-keygen', async () => {
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const jwk = key.export({ format: 'jwk' }) as SshJwk;
    const allowed = file('allowed', `* ${encodeSshPublicKey(jwk)}\n`);
    const data = sshsigSignedData(MESSAGE, { namespace: 'file' });
    const signature = sign('sha256', data, key);
    const text = encodeSshSignature({
      publicKey: jwk,
      namespace: 'file',
      signatureAlgorithm: 'rsa-sha2-256',
      signature,
    });
    assert.equal(parseSshSignature(text).digest, 'sha256');
    const r = keygenVerify(allowed, 'anyone', 'file', file('sig', text), MESSAGE);
    assert.equal(r.status, 0, r.stderr);
  });

  test('a key ssh-keygen generated, loaded with our private key parser, signs for ssh-keygen', async () => {
    const keyFile = file('gen');
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
    const { jwk } = await parseSshPrivateKey(readFileSync(keyFile, 'utf8'));
    const data = sshsigSignedData(MESSAGE, { namespace: 'file' });
    const signature = sign(null, data, createPrivateKey({ key: jwk as never, format: 'jwk' }));
    const allowed = file('allowed', `me ${readFileSync(`${keyFile}.pub`, 'utf8')}`);
    const r = keygenVerify(
      allowed,
      'me',
      'file',
      file('sig', encodeSshSignature({ publicKey: jwk, namespace: 'file', signature })),
      MESSAGE,
    );
    assert.equal(r.status, 0, r.stderr);
  });
});

describe('allowed signers', () => {
  const ed = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) as SshJwk;
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
    format: 'jwk',
  }) as SshJwk;
  const text = [
    '# a comment',
    '',
    `alice@example.com,*@corp.example,!mallory@corp.example ${encodeSshPublicKey(ed, 'alice key')}`,
    `"bob@example.com" NAMESPACES="git",valid-after="20200101",valid-before="20300101Z" ${encodeSshPublicKey(ec)}`,
    `ca@example.com cert-authority ${encodeSshPublicKey(ec)}`,
  ].join('\n');
  const signers = parseAllowedSigners(text);
  const edBlob = signers[0]!.publicKeyBlob;
  const ecBlob = signers[1]!.publicKeyBlob;

  test('fields', () => {
    assert.equal(signers.length, 3);
    assert.deepEqual(signers[0]!.principals, [
      'alice@example.com',
      '*@corp.example',
      '!mallory@corp.example',
    ]);
    assert.equal(signers[0]!.comment, 'alice key');
    assert.equal(signers[0]!.line, 3);
    assert.deepEqual(signers[1]!.namespaces, ['git']);
    assert.equal(signers[1]!.validAfter, '20200101');
    assert.equal(signers[1]!.validBefore, '20300101Z');
    assert.equal(signers[2]!.certAuthority, true);
  });

  test('matching: principals with wildcards and negation, namespaces, validity, key', () => {
    const q = (principal: string, namespace: string, publicKeyBlob: Uint8Array, at?: Date) =>
      findAllowedSigner(signers, { principal, namespace, publicKeyBlob, ...(at ? { at } : {}) })?.line;
    assert.equal(q('alice@example.com', 'file', edBlob), 3);
    assert.equal(q('eve@corp.example', 'anything', edBlob), 3);
    assert.equal(q('mallory@corp.example', 'file', edBlob), undefined);
    assert.equal(q('alice@example.com', 'file', ecBlob), undefined);
    assert.equal(q('bob@example.com', 'git', ecBlob, new Date('2025-01-01')), 4);
    assert.equal(q('bob@example.com', 'file', ecBlob, new Date('2025-01-01')), undefined);
    assert.equal(q('bob@example.com', 'git', ecBlob, new Date('2019-01-01')), undefined);
    assert.equal(q('bob@example.com', 'git', ecBlob, new Date('2031-01-01')), undefined);
    assert.equal(q('ca@example.com', 'git', ecBlob), undefined);
  });

  test('malformed lines name the line', () => {
    const line = encodeSshPublicKey(ed);
    for (const [bad, pattern] of [
      [`a ${line.replace('ssh-ed25519 ', 'ssh-ed25519 !!')}`, /line 1/],
      [`\n"a ${line}`, /line 2: unterminated quote/],
      [`a unknown-option ${line}`, /unknown or malformed option/],
      [`a valid-after="2020" ${line}`, /valid-after/],
      [`a,,b ${line}`, /empty principal/],
      ['a', /line 1/],
    ] as const) {
      assert.throws(
        () => parseAllowedSigners(bad),
        (e: unknown) => e instanceof DecodeError && pattern.test((e as Error).message),
        bad,
      );
    }
    assert.throws(
      () => parseAllowedSigners(`a ssh-dss ${Buffer.from(sshString('ssh-dss')).toString('base64')}`),
      UnsupportedAlgorithm,
    );
  });
});

describe('hostile signatures', () => {
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const jwk = key.export({ format: 'jwk' }) as SshJwk;
  const signature = sign('sha256', sshsigSignedData(MESSAGE, { namespace: 'file' }), p1363(key));
  const text = encodeSshSignature({ publicKey: jwk, namespace: 'file', signature });
  const blob = new Uint8Array(Buffer.from(text.split('\n').slice(1, -2).join(''), 'base64'));
  const armor = (b: Uint8Array) =>
    `-----BEGIN SSH SIGNATURE-----\n${Buffer.from(b).toString('base64')}\n-----END SSH SIGNATURE-----\n`;
  const typed = (e: unknown) => e instanceof DecodeError || e instanceof UnsupportedAlgorithm;

  test('round trip', () => {
    const back = parseSshSignature(text);
    assert.deepEqual(back.signature, new Uint8Array(signature));
    assert.equal(
      verify('sha256', sshsigSignedData(MESSAGE, back), p1363(createPublicKey(key)), back.signature),
      true,
    );
  });

  test('every truncation is a DecodeError', () => {
    for (let n = 0; n < blob.length; n++)
      assert.throws(() => parseSshSignature(armor(blob.subarray(0, n))), DecodeError, `length ${n}`);
  });

  test('bit flips and mutations only throw typed errors', () => {
    for (let bit = 0; bit < blob.length * 8; bit++) {
      const b = blob.slice();
      b[bit >> 3]! ^= 1 << (bit & 7);
      try {
        parseSshSignature(armor(b));
      } catch (e) {
        if (!typed(e)) throw e;
      }
    }
    fc.assert(
      fc.property(fc.nat(blob.length), fc.uint8Array({ maxLength: 8 }), fc.nat(8), (at, insert, drop) => {
        const b = new Uint8Array([...blob.subarray(0, at), ...insert, ...blob.subarray(at + drop)]);
        try {
          parseSshSignature(armor(b));
        } catch (e) {
          if (!typed(e)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });

  test('allowed-signers fuzz only throws typed errors', () => {
    const good = `a,b namespaces="x" ${encodeSshPublicKey(jwk)}`;
    fc.assert(
      fc.property(fc.nat(good.length), fc.string({ maxLength: 4 }), fc.nat(4), (at, insert, drop) => {
        try {
          parseAllowedSigners(good.slice(0, at) + insert + good.slice(at + drop));
        } catch (e) {
          if (!typed(e)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });

  test('specific refusals', () => {
    const swap = (from: string, to: string) => {
      const s = Buffer.from(blob).toString('latin1').replace(from, to);
      return armor(new Uint8Array(Buffer.from(s, 'latin1')));
    };
    assert.throws(() => parseSshSignature(swap('SSHSIG', 'SSHSIH')), /magic/);
    assert.throws(() => parseSshSignature(swap('sha512', 'sha384')), UnsupportedAlgorithm);
    assert.throws(() => parseSshSignature(armor(new Uint8Array([...blob, 0]))), /trailing/);
    assert.throws(() => parseSshSignature(text.replace('-----END SSH SIGNATURE-----', '')), DecodeError);
    const v2 = blob.slice();
    v2[9] = 2;
    assert.throws(() => parseSshSignature(armor(v2)), UnsupportedAlgorithm);
  });
});

const edJwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) as SshJwk;
const edSig = new Uint8Array(64);
const TARGETS: readonly Target[] = [
  {
    name: 'sshsigDigest',
    covers: ['sshsig:sshsigDigest'],
    args: [
      { ...enumParam('algorithm', ['ssh-rsa-cert', 'sha256', 'rsa-sha2-384']), valid: () => 'ssh-ed25519' },
    ],
    call: (a) => sshsigDigest(a as 'ssh-ed25519'),
  },
  {
    name: 'sshsigSignedData',
    covers: ['sshsig:sshsigSignedData'],
    args: [
      {
        name: 'message',
        valid: () => MESSAGE,
        cases: bytesParam('x').cases.filter((c) => typeof c.value !== 'string'),
        kind: () => 'TypeError',
      },
      optionsArg(() => ({ namespace: 'file', hashAlgorithm: 'sha512' }), {
        namespace: {
          ...stringParam('namespace'),
          cases: [...stringParam('namespace').cases, rangeCase('empty', ''), rangeCase('newline', 'a\nb')],
        },
        hashAlgorithm: enumParam('hashAlgorithm', ['sha384', 'SHA512', 'md5'], { optional: true }),
      }),
    ],
    call: (m, o) => sshsigSignedData(m as Uint8Array, o as { namespace: string }),
  },
  {
    name: 'parseSshSignature',
    covers: ['sshsig:parseSshSignature'],
    args: [
      {
        ...stringParam('text'),
        valid: () => encodeSshSignature({ publicKey: edJwk, namespace: 'file', signature: edSig }),
      },
    ],
    call: (t) => parseSshSignature(t as string),
  },
  {
    name: 'encodeSshSignature',
    covers: ['sshsig:encodeSshSignature'],
    args: [
      optionsArg(
        () => ({ publicKey: edJwk, namespace: 'file', signature: edSig }),
        {
          namespace: stringParam('namespace'),
          signature: bytesParam('signature', {}, [rangeCase('63 bytes', new Uint8Array(63))]),
          hashAlgorithm: enumParam('hashAlgorithm', ['sha1'], { optional: true }),
          signatureAlgorithm: {
            ...enumParam('signatureAlgorithm', ['rsa-sha2-512']),
            optional: true,
            label: null,
          },
        },
        false,
        'fields',
      ),
    ],
    call: (f) => encodeSshSignature(f as sshsig.SshSignatureFields),
  },
  {
    name: 'parseAllowedSigners',
    covers: ['sshsig:parseAllowedSigners'],
    args: [{ ...stringParam('text'), valid: () => `a ${encodeSshPublicKey(edJwk)}` }],
    call: (t) => parseAllowedSigners(t as string),
  },
  {
    name: 'findAllowedSigner',
    covers: ['sshsig:findAllowedSigner'],
    args: [
      {
        name: 'signers',
        valid: () => [],
        cases: [typeCase('null', null), typeCase('object', {}), typeCase('string', 'a')],
        kind: () => 'TypeError',
      },
      optionsArg(
        () => ({ principal: 'a', namespace: 'file', publicKeyBlob: new Uint8Array(1) }),
        {
          principal: stringParam('principal'),
          namespace: stringParam('namespace'),
          publicKeyBlob: bytesParam('publicKeyBlob'),
          at: {
            name: 'at',
            cases: [
              typeCase('number', 0),
              typeCase('invalid Date', new Date(Number.NaN)),
              typeCase('string', '2020'),
            ],
            kind: () => 'TypeError',
            optional: true,
          },
        },
        false,
        'query',
      ),
    ],
    call: (s, q) => findAllowedSigner(s as [], q as never),
  },
];
runTargets(TARGETS);
checkCoverage({ sshsig }, TARGETS, {}, 'test/formats/openssh-sshsig.test.ts');
