// Hostile input for the OpenSSH key formats (src/formats/openssh.ts): every truncation of a small key,
// bit flips, huge length prefixes, crafted structures for each documented error, a fast-check mutation
// fuzz of valid encodings, and the argument table over every export. Only DecodeError, InvalidKey and
// UnsupportedAlgorithm may come out of a parser, never a crash or a hang.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type CofferError, DecodeError, InvalidKey, UnsupportedAlgorithm } from '../../src/errors.ts';
import * as openssh from '../../src/formats/openssh.ts';
import {
  encodeSshPrivateKey,
  encodeSshPublicKey,
  parseSshPrivateKey,
  parseSshPublicKey,
  parseSshPublicKeyBlob,
  type SshJwk,
  sshPublicKeyBlob,
} from '../../src/formats/openssh.ts';
import { concat } from '../../src/internal/bytes.ts';
import { mpint, sshString, u32 } from '../../src/internal/ssh-wire.ts';
import { hostileBytesLike, hostileObjects } from '../helpers/hostile.ts';
import {
  bytesParam,
  type Case,
  checkCoverage,
  cofferCase,
  decodeCase,
  enumParam,
  intParam,
  optionsArg,
  type Param,
  rangeCase,
  runTargets,
  stringParam,
  type Target,
  type,
  typeCase,
} from '../helpers/hostile-table.ts';

const BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const END = '-----END OPENSSH PRIVATE KEY-----';
const armor = (blob: Uint8Array) => `${BEGIN}\n${Buffer.from(blob).toString('base64')}\n${END}\n`;
const unarmor = (text: string) =>
  new Uint8Array(Buffer.from(text.split('\n').slice(1, -2).join(''), 'base64'));

const jwkOf = (k: ReturnType<typeof generateKeyPairSync>['privateKey']) =>
  k.export({ format: 'jwk' }) as SshJwk;
const ED = jwkOf(generateKeyPairSync('ed25519').privateKey) as Extract<SshJwk, { kty: 'OKP' }>;
const EC = jwkOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
const RSA = jwkOf(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey);
const PASS = Buffer.from('pass');

const ED_PLAIN = unarmor(await encodeSshPrivateKey(ED, { comment: 'c' }));
const ED_SEALED = unarmor(await encodeSshPrivateKey(ED, { passphrase: PASS, rounds: 1, comment: 'c' }));
const ED_GCM = unarmor(
  await encodeSshPrivateKey(ED, { passphrase: PASS, rounds: 1, cipher: 'aes256-gcm@openssh.com' }),
);
const EC_PLAIN = unarmor(await encodeSshPrivateKey(EC, { comment: 'ec' }));
const RSA_PLAIN = unarmor(await encodeSshPrivateKey(RSA, { comment: 'rsa' }));

const typed = (e: unknown) =>
  e instanceof DecodeError || e instanceof InvalidKey || e instanceof UnsupportedAlgorithm;

/** Parses; success or one of the three typed errors is fine, anything else is returned as a problem. */
async function outcome(text: string | Uint8Array, passphrase?: Uint8Array): Promise<string> {
  try {
    await parseSshPrivateKey(text, passphrase);
    return 'ok';
  } catch (e) {
    if (typed(e)) return (e as CofferError).code;
    throw e;
  }
}

// A structure builder: the plain private section of a key, with every field replaceable.
interface Parts {
  magic?: Uint8Array;
  cipher?: string;
  kdf?: string;
  kdfOptions?: Uint8Array;
  count?: number;
  publicBlob?: Uint8Array;
  section?: Uint8Array;
  tail?: Uint8Array;
}
const edX = Buffer.from(ED.x, 'base64url');
const edD = Buffer.from(ED.d!, 'base64url');
const edBlob = sshPublicKeyBlob(ED);
function section(fields: Uint8Array, { check2 = 7, pad }: { check2?: number; pad?: Uint8Array } = {}) {
  const body = concat(u32(7), u32(check2), fields, sshString('c'));
  const padding = pad ?? Uint8Array.from({ length: (8 - (body.length % 8)) % 8 }, (_, i) => i + 1);
  return concat(body, padding);
}
const edFields = concat(sshString('ssh-ed25519'), sshString(edX), sshString(concat(edD, edX)));
function build(p: Parts = {}): string {
  return armor(
    concat(
      p.magic ?? new TextEncoder().encode('openssh-key-v1\0'),
      sshString(p.cipher ?? 'none'),
      sshString(p.kdf ?? 'none'),
      sshString(p.kdfOptions ?? new Uint8Array(0)),
      u32(p.count ?? 1),
      sshString(p.publicBlob ?? edBlob),
      sshString(p.section ?? section(edFields)),
      p.tail ?? new Uint8Array(0),
    ),
  );
}

async function rejectsWith(
  text: string | Uint8Array,
  cls: typeof CofferError,
  pattern: RegExp,
  pass?: Uint8Array,
) {
  await assert.rejects(parseSshPrivateKey(text, pass), (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    assert.match((e as Error).message, pattern);
    return true;
  });
}

describe('crafted private keys: each problem has its error', () => {
  test('the builder makes a valid key', async () => {
    assert.deepEqual((await parseSshPrivateKey(build())).jwk, ED);
  });
  const decodeCases: Array<[string, Parts, RegExp]> = [
    ['bad magic', { magic: new TextEncoder().encode('openssh-key-v2\0') }, /magic/],
    ['two keys', { count: 2 }, /2 keys/],
    ['zero keys', { count: 0 }, /0 keys/],
    ['trailing data', { tail: Uint8Array.of(0) }, /trailing/],
    ['checkints differ, no passphrase', { section: section(edFields, { check2: 8 }) }, /check integers/],
    ['padding bytes wrong', { section: section(edFields, { pad: Uint8Array.of(1, 2, 4, 4) }) }, /padding/],
    [
      'over 255 bytes of padding',
      { section: section(edFields, { pad: Uint8Array.from({ length: 12 + 256 }, (_, i) => i + 1) }) },
      /more than 255/,
    ],
    [
      'section not a multiple of 8',
      { section: section(edFields, { pad: Uint8Array.of(1) }) },
      /multiple of 8/,
    ],
    [
      'private type differs from public type',
      { publicBlob: sshPublicKeyBlob(EC) },
      /private key is ssh-ed25519 but the public key is ecdsa-sha2-nistp256/,
    ],
    [
      'private key differs from public key',
      { publicBlob: sshPublicKeyBlob(jwkOf(generateKeyPairSync('ed25519').privateKey)) },
      /does not match the public key/,
    ],
    [
      'Ed25519 secret holds another public key',
      {
        section: section(concat(sshString('ssh-ed25519'), sshString(edX), sshString(concat(edD, edD)))),
      },
      /different public key/,
    ],
    ['KDF set without cipher', { kdf: 'bcrypt' }, /names the KDF/],
    ['KDF options without cipher', { kdfOptions: Uint8Array.of(1) }, /KDF options/],
    ['cipher without KDF', { cipher: 'aes256-ctr' }, /names no KDF/],
    [
      'rounds above the cap',
      { cipher: 'aes256-ctr', kdf: 'bcrypt', kdfOptions: concat(sshString(new Uint8Array(16)), u32(1001)) },
      /rounds 1001 exceed/,
    ],
    [
      'rounds 2^32-1',
      {
        cipher: 'aes256-ctr',
        kdf: 'bcrypt',
        kdfOptions: concat(sshString(new Uint8Array(16)), u32(0xffffffff)),
      },
      /exceed/,
    ],
    [
      'rounds 0',
      { cipher: 'aes256-ctr', kdf: 'bcrypt', kdfOptions: concat(sshString(new Uint8Array(16)), u32(0)) },
      /at least 1/,
    ],
    [
      'empty salt',
      { cipher: 'aes256-ctr', kdf: 'bcrypt', kdfOptions: concat(sshString(new Uint8Array(0)), u32(16)) },
      /salt is empty/,
    ],
    [
      'salt over 1 KiB',
      { cipher: 'aes256-ctr', kdf: 'bcrypt', kdfOptions: concat(sshString(new Uint8Array(1025)), u32(16)) },
      /limit/,
    ],
    [
      'KDF options trailing',
      {
        cipher: 'aes256-ctr',
        kdf: 'bcrypt',
        kdfOptions: concat(sshString(new Uint8Array(16)), u32(16), Uint8Array.of(0)),
      },
      /trailing/,
    ],
    ['non-printable cipher name', { cipher: 'aes\u0001' }, /printable/],
    ['empty cipher name', { cipher: '' }, /empty/],
  ];
  for (const [name, parts, pattern] of decodeCases) {
    test(`DecodeError: ${name}`, async () => {
      await rejectsWith(build(parts), DecodeError, pattern, PASS);
    });
  }
  const unsupported: Array<[string, Parts, RegExp]> = [
    ['unknown cipher', { cipher: 'twofish-ctr', kdf: 'bcrypt' }, /cipher "twofish-ctr"/],
    ['chacha20-poly1305', { cipher: 'chacha20-poly1305@openssh.com', kdf: 'bcrypt' }, /chacha20/],
    ['unknown KDF', { cipher: 'aes256-ctr', kdf: 'scrypt' }, /KDF "scrypt"/],
    ['ssh-dss public key', { publicBlob: concat(sshString('ssh-dss'), mpint(Uint8Array.of(5))) }, /ssh-dss/],
    ['security-key type', { publicBlob: sshString('sk-ssh-ed25519@openssh.com') }, /sk-ssh-ed25519/],
    ['certificate', { publicBlob: sshString('ssh-ed25519-cert-v01@openssh.com') }, /cert/],
  ];
  for (const [name, parts, pattern] of unsupported) {
    test(`UnsupportedAlgorithm: ${name}`, async () => {
      await rejectsWith(build(parts), UnsupportedAlgorithm, pattern, PASS);
    });
  }

  test('armor problems', async () => {
    const good = build();
    await rejectsWith('', DecodeError, /expected "-----BEGIN/);
    await rejectsWith(good.replace('BEGIN OPENSSH', 'BEGIN RSA'), DecodeError, /BEGIN/);
    await rejectsWith(good.replace(END, ''), DecodeError, /missing/);
    await rejectsWith(`${good}extra\n`, DecodeError, /after/);
    await rejectsWith(good.replace(/\n([A-Za-z0-9])/, '\n!$1'), DecodeError, /base64/);
    await rejectsWith(`${BEGIN}\n${END}\n`, DecodeError, /magic/);
    await rejectsWith('x'.repeat(2 ** 20 + 1), DecodeError, /1 MiB/);
    // Surrounding whitespace and CRLF line ends are fine, as are 70-column lines.
    assert.deepEqual((await parseSshPrivateKey(`\n  ${good.replace(/\n/g, '\r\n')}  \n`)).jwk, ED);
  });

  test('a wrong passphrase is InvalidKey for ctr and gcm; a missing one is the documented DecodeError', async () => {
    for (const blob of [ED_SEALED, ED_GCM]) {
      await assert.rejects(parseSshPrivateKey(armor(blob), Buffer.from('wrong')), InvalidKey);
      await rejectsWith(armor(blob), DecodeError, /^the key is encrypted: a passphrase is required$/);
      assert.deepEqual((await parseSshPrivateKey(armor(blob), PASS)).jwk, ED);
    }
  });

  test('a flipped GCM tag or ciphertext bit is InvalidKey (tag check before anything is read)', async () => {
    for (const at of [ED_GCM.length - 1, ED_GCM.length - 20]) {
      const b = ED_GCM.slice();
      b[at]! ^= 1;
      await assert.rejects(parseSshPrivateKey(armor(b), PASS), InvalidKey);
    }
  });

  test('RSA: inconsistent fields are refused', async () => {
    const f = (k: string) => Buffer.from((RSA as Record<string, string>)[k]!, 'base64url');
    const rsaFields = (over: Record<string, Uint8Array> = {}) =>
      concat(sshString('ssh-rsa'), ...['n', 'e', 'd', 'qi', 'p', 'q'].map((k) => mpint(over[k] ?? f(k))));
    const rsaBlob = sshPublicKeyBlob(RSA);
    const make = (over: Record<string, Uint8Array>) =>
      build({ publicBlob: rsaBlob, section: section(rsaFields(over)) });
    assert.deepEqual((await parseSshPrivateKey(make({}))).jwk, RSA);
    await rejectsWith(make({ p: f('q'), q: f('p') }), DecodeError, /CRT coefficient/);
    await rejectsWith(make({ p: Uint8Array.of(3) }), DecodeError, /primes/);
    await rejectsWith(make({ qi: Uint8Array.of(1) }), DecodeError, /CRT coefficient/);
    await rejectsWith(make({ d: new Uint8Array(0) }), DecodeError, /zero/);
    await rejectsWith(make({ d: concat(Uint8Array.of(1), f('n')) }), DecodeError, /below the modulus/);
  });
});

describe('crafted public keys', () => {
  const line = (blob: Uint8Array, type = 'ssh-ed25519') => `${type} ${Buffer.from(blob).toString('base64')}`;
  const P256_POINT = concat(
    Uint8Array.of(4),
    Buffer.from((EC as { x: string }).x, 'base64url'),
    Buffer.from((EC as { y: string }).y, 'base64url'),
  );
  const cases: Array<[string, string, typeof CofferError, RegExp]> = [
    ['empty', '', DecodeError, /expected/],
    ['no blob', 'ssh-ed25519', DecodeError, /expected/],
    ['two lines', `${encodeSshPublicKey(ED)}\n${encodeSshPublicKey(ED)}`, DecodeError, /single line/],
    ['bad base64', 'ssh-ed25519 AAAA=AAA', DecodeError, /base64/],
    [
      'line type differs from blob',
      line(edBlob, 'ssh-rsa'),
      DecodeError,
      /says ssh-rsa but the key is ssh-ed25519/,
    ],
    ['trailing data', line(concat(edBlob, Uint8Array.of(0))), DecodeError, /trailing/],
    [
      'short Ed25519 key',
      line(concat(sshString('ssh-ed25519'), sshString(new Uint8Array(31)))),
      DecodeError,
      /32 bytes/,
    ],
    [
      'huge length prefix',
      line(concat(sshString('ssh-ed25519'), u32(0xffffffff), new Uint8Array(32))),
      DecodeError,
      /claims 4294967295/,
    ],
    [
      'curve name mismatch',
      line(
        concat(sshString('ecdsa-sha2-nistp256'), sshString('nistp384'), sshString(P256_POINT)),
        'ecdsa-sha2-nistp256',
      ),
      DecodeError,
      /curve name/,
    ],
    [
      'compressed point',
      line(
        concat(
          sshString('ecdsa-sha2-nistp256'),
          sshString('nistp256'),
          sshString(concat(Uint8Array.of(2), P256_POINT.subarray(1, 33))),
        ),
        'ecdsa-sha2-nistp256',
      ),
      DecodeError,
      /uncompressed/,
    ],
    [
      'RSA negative exponent',
      line(concat(sshString('ssh-rsa'), sshString(Uint8Array.of(0x81)), mpint(Uint8Array.of(77))), 'ssh-rsa'),
      DecodeError,
      /negative/,
    ],
    [
      'RSA non-minimal mpint',
      line(concat(sshString('ssh-rsa'), sshString(Uint8Array.of(0, 3)), mpint(Uint8Array.of(77))), 'ssh-rsa'),
      DecodeError,
      /leading zero/,
    ],
    [
      'RSA even exponent',
      line(concat(sshString('ssh-rsa'), mpint(Uint8Array.of(4)), mpint(Uint8Array.of(77))), 'ssh-rsa'),
      DecodeError,
      /odd/,
    ],
    [
      'RSA modulus over 16384 bits',
      line(
        concat(sshString('ssh-rsa'), mpint(Uint8Array.of(3)), mpint(new Uint8Array(2049).fill(1))),
        'ssh-rsa',
      ),
      DecodeError,
      /larger than 16384 bits|limit/,
    ],
    ['ssh-dss', line(sshString('ssh-dss'), 'ssh-dss'), UnsupportedAlgorithm, /ssh-dss/],
    ['unknown type', line(sshString('ssh-foo'), 'ssh-foo'), UnsupportedAlgorithm, /unknown key type/],
  ];
  for (const [name, text, cls, pattern] of cases) {
    test(`${cls.name}: ${name}`, () => {
      assert.throws(
        () => parseSshPublicKey(text),
        (e: unknown) => e instanceof cls && pattern.test((e as Error).message),
      );
    });
  }
});

describe('truncations, bit flips and huge lengths never crash', () => {
  const keys: Array<[string, Uint8Array]> = [
    ['ed25519 plain', ED_PLAIN],
    ['ecdsa plain', EC_PLAIN],
    ['rsa plain', RSA_PLAIN],
  ];
  for (const [name, blob] of keys) {
    test(`${name}: every truncation is a DecodeError`, async () => {
      for (let n = 0; n < blob.length; n++) {
        await assert.rejects(parseSshPrivateKey(armor(blob.subarray(0, n))), DecodeError, `length ${n}`);
      }
    });
  }

  test('encrypted ed25519: every truncation is a DecodeError, found before the KDF runs', async () => {
    for (const blob of [ED_SEALED, ED_GCM]) {
      for (let n = 0; n < blob.length; n++) {
        await assert.rejects(
          parseSshPrivateKey(armor(blob.subarray(0, n)), PASS),
          DecodeError,
          `length ${n}`,
        );
      }
    }
  });

  test('public blobs and lines: every truncation is a DecodeError', () => {
    for (const jwk of [ED, EC, RSA]) {
      const blob = sshPublicKeyBlob(jwk);
      for (let n = 0; n < blob.length; n++) {
        assert.throws(() => parseSshPublicKeyBlob(blob.subarray(0, n)), DecodeError);
      }
    }
  });

  test('ed25519 plain: every single bit flip parses or throws a typed error', async () => {
    const seen = new Map<string, number>();
    for (let bit = 0; bit < ED_PLAIN.length * 8; bit++) {
      const b = ED_PLAIN.slice();
      b[bit >> 3]! ^= 1 << (bit & 7);
      const o = await outcome(armor(b));
      seen.set(o, (seen.get(o) ?? 0) + 1);
    }
    // Flips in the secret seed or the comment still parse; the rest are caught.
    assert.ok((seen.get('ERR_DECODE') ?? 0) > ED_PLAIN.length * 4, JSON.stringify([...seen]));
  });

  test('encrypted ed25519: sampled bit flips parse, or throw InvalidKey/DecodeError', async () => {
    for (const blob of [ED_SEALED, ED_GCM]) {
      for (let at = 0; at < blob.length; at += 5) {
        const b = blob.slice();
        b[at]! ^= 0x10;
        await outcome(armor(b), PASS);
      }
    }
  });

  test('every 32-bit field set to huge values', async () => {
    // Walk the plain ed25519 structure: each offset where a uint32 could sit gets 0xffffffff, 2^31 and
    // a length just past the end.
    for (let at = 0; at + 4 <= ED_PLAIN.length; at++) {
      for (const v of [0xffffffff, 0x80000000, ED_PLAIN.length]) {
        const b = ED_PLAIN.slice();
        new DataView(b.buffer).setUint32(at, v);
        await outcome(armor(b));
      }
    }
  });
});

describe('fast-check: mutated valid encodings only ever throw typed errors', () => {
  const mutation = (base: Uint8Array) =>
    fc.oneof(
      fc.record({
        kind: fc.constant('flip' as const),
        at: fc.nat(base.length - 1),
        value: fc.integer({ min: 1, max: 255 }),
      }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat(base.length), value: fc.constant(0) }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(base.length),
        value: fc.integer({ min: 0, max: 255 }),
      }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(base.length - 1), value: fc.constant(0) }),
    );
  function apply(
    base: Uint8Array,
    ms: ReadonlyArray<{ kind: string; at: number; value: number }>,
  ): Uint8Array {
    let b: Uint8Array = base.slice();
    for (const m of ms) {
      const at = Math.min(m.at, b.length);
      if (m.kind === 'flip' && at < b.length) b[at]! ^= m.value;
      else if (m.kind === 'cut') b = b.slice(0, at);
      else if (m.kind === 'insert') b = concat(b.subarray(0, at), Uint8Array.of(m.value), b.subarray(at));
      else if (m.kind === 'delete') b = concat(b.subarray(0, at), b.subarray(at + 1));
    }
    return b;
  }
  for (const [name, base] of [
    ['ed25519', ED_PLAIN],
    ['ecdsa', EC_PLAIN],
    ['rsa', RSA_PLAIN],
  ] as const) {
    test(`private ${name} blobs`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(mutation(base), { minLength: 1, maxLength: 4 }), async (ms) => {
          await outcome(armor(apply(base, ms)));
        }),
        { numRuns: 400 },
      );
    });
  }

  test('private key text (character mutations of the armor)', async () => {
    const text = armor(ED_PLAIN);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(text.length - 1),
        fc.string({ maxLength: 3 }),
        fc.nat(3),
        async (at, insert, drop) => {
          await outcome(text.slice(0, at) + insert + text.slice(at + drop));
        },
      ),
      { numRuns: 400 },
    );
  });

  test('public blobs and lines', () => {
    for (const jwk of [ED, EC, RSA]) {
      const blob = sshPublicKeyBlob(jwk);
      fc.assert(
        fc.property(
          fc.array(mutation(blob), { minLength: 1, maxLength: 4 }),
          fc.string({ maxLength: 20 }),
          (ms, comment) => {
            const b = apply(blob, ms);
            for (const f of [
              () => parseSshPublicKeyBlob(b),
              () => parseSshPublicKey(`ssh-ed25519 ${Buffer.from(b).toString('base64')} ${comment}`),
            ]) {
              try {
                f();
              } catch (e) {
                if (!typed(e)) throw e;
              }
            }
          },
        ),
        { numRuns: 300 },
      );
    }
  });

  test('round trip: encode then parse gives back the key and comment', async () => {
    const comment = fc.string({ maxLength: 40 }).filter((s) => !/[\r\n\0]/.test(s));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(ED, EC, RSA), comment, async (jwk, c) => {
        const back = await parseSshPrivateKey(await encodeSshPrivateKey(jwk, { comment: c }));
        assert.deepEqual(back.jwk, jwk);
        assert.equal(back.comment, c);
        const line = parseSshPublicKey(encodeSshPublicKey(jwk, c));
        assert.equal(line.comment, c.replace(/^[ \t]+|[ \t]+$/g, ''));
        assert.deepEqual(sshPublicKeyBlob(line.jwk), sshPublicKeyBlob(jwk));
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// The argument table.

const jwkCases: readonly Case[] = [
  ...hostileObjects.map((h) => ({ ...h, kind: 'TypeError' as const })),
  typeCase('empty array', []),
  typeCase('{} (no kty)', {}),
  typeCase('kty not a string', { kty: 1 }),
  typeCase('OKP without x', { kty: 'OKP', crv: 'Ed25519' }),
  typeCase('EC with a numeric y', { ...EC, y: 5 }),
  cofferCase('ERR_UNSUPPORTED_ALGORITHM', 'kty oct', { kty: 'oct', k: 'AAAA' }),
  cofferCase('ERR_UNSUPPORTED_ALGORITHM', 'crv Ed448', { kty: 'OKP', crv: 'Ed448', x: 'AAAA' }),
  cofferCase('ERR_UNSUPPORTED_ALGORITHM', 'crv secp256k1', { ...EC, crv: 'secp256k1' }),
  decodeCase('x of 31 bytes', { ...ED, x: Buffer.alloc(31).toString('base64url') }),
  decodeCase('x padded base64url', { ...ED, x: `${ED.x}=` }),
  decodeCase('x in standard base64 alphabet', { ...ED, x: '+'.repeat(43) }),
  decodeCase('RSA n of zero', { ...RSA, n: 'AA' }),
  decodeCase('RSA n over 16384 bits', { ...RSA, n: Buffer.alloc(2049, 1).toString('base64url') }),
];
const jwkParam = (valid: SshJwk, privateOnly: boolean): Omit<Param, 'name'> & { valid: () => unknown } => ({
  valid: () => valid,
  cases: privateOnly
    ? [
        ...jwkCases,
        typeCase('a public JWK', { kty: 'OKP', crv: 'Ed25519', x: ED.x }),
        typeCase('RSA without p', { ...RSA, p: undefined }),
      ]
    : jwkCases,
  kind: type,
  label: ['jwk', 'jwk.kty', 'jwk.crv', 'jwk.x', 'jwk.y', 'jwk.p'],
});

const TARGETS: readonly Target[] = [
  {
    name: 'parseSshPublicKey',
    covers: ['openssh:parseSshPublicKey'],
    args: [
      {
        ...stringParam('text'),
        valid: () => encodeSshPublicKey(ED, 'c'),
        cases: [
          ...stringParam('text').cases,
          decodeCase('empty string', ''),
          decodeCase('a private key', armor(ED_PLAIN)),
          decodeCase('over 1 MiB', `ssh-ed25519 ${'A'.repeat(2 ** 20)}`),
        ],
      },
    ],
    call: (text) => parseSshPublicKey(text as string),
  },
  {
    name: 'parseSshPublicKeyBlob',
    covers: ['openssh:parseSshPublicKeyBlob'],
    args: [{ ...bytesParam('blob', {}, [decodeCase('empty', new Uint8Array(0))]), valid: () => edBlob }],
    call: (blob) => parseSshPublicKeyBlob(blob as Uint8Array),
  },
  {
    name: 'sshPublicKeyBlob',
    covers: ['openssh:sshPublicKeyBlob'],
    args: [{ name: 'jwk', ...jwkParam(ED, false) }],
    call: (jwk) => sshPublicKeyBlob(jwk as SshJwk),
  },
  {
    name: 'encodeSshPublicKey',
    covers: ['openssh:encodeSshPublicKey'],
    args: [
      { name: 'jwk', ...jwkParam(EC, false) },
      {
        ...stringParam('comment', { optional: true }),
        valid: () => 'me@host',
        cases: [
          ...stringParam('comment').cases,
          typeCase('two lines', 'a\nb'),
          typeCase('NUL', 'a\0b'),
          rangeCase('4097 characters', 'x'.repeat(4097)),
        ],
      },
    ],
    call: (jwk, comment) => encodeSshPublicKey(jwk as SshJwk, comment as string),
  },
  {
    name: 'sshFingerprint',
    covers: ['openssh:sshFingerprint'],
    args: [{ ...bytesParam('blob'), valid: () => edBlob }],
    call: (blob) => openssh.sshFingerprint(blob as Uint8Array),
  },
  {
    name: 'parseSshPrivateKey',
    covers: ['openssh:parseSshPrivateKey'],
    async: true,
    args: [
      {
        name: 'text',
        valid: () => armor(ED_SEALED),
        cases: [
          ...hostileBytesLike.map((h) => ({ ...h, kind: 'TypeError' as const })),
          decodeCase('empty string', ''),
          decodeCase('empty bytes', new Uint8Array(0)),
          decodeCase('a public key line', encodeSshPublicKey(ED)),
          decodeCase('over 1 MiB of bytes', new Uint8Array(2 ** 20 + 1)),
        ],
        kind: type,
      },
      {
        ...bytesParam('passphrase', { optional: true }, [
          cofferCase('ERR_INVALID_KEY', 'wrong passphrase', Buffer.from('nope')),
        ]),
        valid: () => PASS,
      },
    ],
    call: (text, passphrase) => parseSshPrivateKey(text as string, passphrase as Uint8Array),
  },
  {
    name: 'encodeSshPrivateKey',
    covers: ['openssh:encodeSshPrivateKey'],
    async: true,
    args: [
      { name: 'jwk', ...jwkParam(RSA, true) },
      optionsArg(
        () => ({ passphrase: PASS, rounds: 1, comment: 'c', cipher: 'aes256-ctr' }),
        {
          passphrase: bytesParam('passphrase', { optional: true }, [rangeCase('empty', new Uint8Array(0))]),
          comment: {
            ...stringParam('comment', { optional: true }),
            cases: [...stringParam('comment').cases, typeCase('newline', 'a\n')],
          },
          rounds: intParam('rounds', [rangeCase('0', 0), rangeCase('1001', 1001)], { optional: true }),
          cipher: enumParam('cipher', ['aes256-cbc', 'chacha20-poly1305@openssh.com', 'none'], {
            optional: true,
          }),
        },
        true,
      ),
    ],
    call: (jwk, options) => encodeSshPrivateKey(jwk as SshJwk, options as openssh.SshPrivateKeyOptions),
  },
];

runTargets(TARGETS);
checkCoverage({ openssh }, TARGETS, {}, 'test/formats/openssh-hostile.test.ts');
