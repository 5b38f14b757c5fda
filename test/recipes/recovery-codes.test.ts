// Recovery codes: generation and its encoding, typing forgiveness, peppered (HMAC) and unpeppered
// (Argon2id) storage, lookup, verification over a set, rotation, and the stored form recomputed in Python.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { encodeRecoveryCode, parseRecoveryCode } from '../../src/formats/recovery-code.ts';
import { exportSecretKeyBytes } from '../../src/hazmat/insecure-export.ts';
import {
  DecodeError,
  generateRecoveryCodes,
  hashPassword,
  hashRecoveryCodes,
  InvalidKey,
  KeyDisabled,
  KeyNotFound,
  Keyring,
  MAX_RECOVERY_CODES,
  normalizeRecoveryCode,
  RECOVERY_CODE_BITS,
  recoveryCodeLookup,
  regenerateRecoveryCodes,
  type StoredRecoveryCode,
  verifyRecoveryCode,
} from '../../src/index.ts';
import { SecretKey } from '../../src/keys/secret-key.ts';
import { pycaSkip, runPython } from '../helpers/python.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE = /^[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

async function invalid(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(
    promise,
    (err: unknown) => err instanceof InvalidKey && err.message === 'key did not match',
  );
}

/** The reference encoding: the 80-bit big-endian number in base 32, 16 digits, Crockford's symbols. */
function reference(bytes: Uint8Array): string {
  let n = BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out = ALPHABET[Number(n & 31n)]! + out;
    n >>= 5n;
  }
  return out.replace(/(.{4})(?!$)/g, '$1-');
}

describe('generation', () => {
  test('ten codes by default, 80 bits each, four dashed groups of Crockford base32, all distinct', () => {
    const codes = generateRecoveryCodes();
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const c of codes) assert.match(c, CODE);
    assert.equal(RECOVERY_CODE_BITS, 80);
    assert.equal(32 ** 16, 2 ** 80);
  });

  test('count from 1 to 100; anything else is refused', () => {
    assert.equal(generateRecoveryCodes({ count: 1 }).length, 1);
    assert.equal(generateRecoveryCodes({ count: MAX_RECOVERY_CODES }).length, 100);
    for (const count of [0, 101, -1, 1.5, Number.NaN]) {
      assert.throws(() => generateRecoveryCodes({ count }), RangeError);
    }
    assert.throws(() => generateRecoveryCodes({ count: '5' as never }), TypeError);
    assert.throws(() => generateRecoveryCodes(null as never), TypeError);
  });

  test('every symbol is used about equally (no bias from the encoding)', () => {
    const counts = new Map<string, number>();
    const codes = Array.from({ length: 40 }, () => generateRecoveryCodes({ count: 100 })).flat();
    for (const c of codes) for (const ch of c.replaceAll('-', '')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    assert.equal(counts.size, 32);
    const expected = (codes.length * 16) / 32; // 2000
    // Chi-square with 31 degrees of freedom: 61.1 is the 0.1% tail.
    let chi2 = 0;
    for (const n of counts.values()) chi2 += (n - expected) ** 2 / expected;
    assert.ok(chi2 < 61.1, `chi-square ${chi2.toFixed(1)}`);
  });

  test('known answers and fast-check against a BigInt reference', () => {
    assert.equal(encodeRecoveryCode(new Uint8Array(10)), '0000-0000-0000-0000');
    assert.equal(encodeRecoveryCode(new Uint8Array(10).fill(0xff)), 'ZZZZ-ZZZZ-ZZZZ-ZZZZ');
    assert.equal(
      encodeRecoveryCode(Uint8Array.of(0x08, 0x42, 0x10, 0x84, 0x21, 0x08, 0x42, 0x10, 0x84, 0x21)),
      '1111-1111-1111-1111',
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 10, maxLength: 10 }), (b) => {
        const code = encodeRecoveryCode(b);
        assert.equal(code, reference(b));
        assert.equal(parseRecoveryCode(code), code.replaceAll('-', ''));
      }),
      { numRuns: 1000 },
    );
    assert.throws(() => encodeRecoveryCode(new Uint8Array(9)), RangeError);
  });
});

describe('typing forgiveness', () => {
  test('case, spaces and dashes are ignored; O reads as 0, I and L as 1', () => {
    const same = [
      '7KQ4-M2XD-9PRT-HV3C',
      '7kq4-m2xd-9prt-hv3c',
      '7KQ4M2XD9PRTHV3C',
      ' 7KQ4 M2XD 9PRT HV3C ',
      '7KQ4 - M2XD\t9PRT\u2013HV3C', // en dash from a word processor
      '7KQ4\u2010M2XD\u2011\u00a09PRT-HV3C', // hyphen, non-breaking hyphen, no-break space
    ];
    for (const t of same) assert.equal(normalizeRecoveryCode(t), '7KQ4-M2XD-9PRT-HV3C', t);
    assert.equal(normalizeRecoveryCode('oOiI-lL00-1111-0000'), '0011-1100-1111-0000');
  });

  test('anything else is not a code: DecodeError from normalize, InvalidKey from verify', async () => {
    const ring = Keyring.generate();
    const { stored } = await regenerateRecoveryCodes({ count: 2, pepper: ring });
    for (const bad of [
      '',
      '7KQ4-M2XD-9PRT-HV3',
      '7KQ4-M2XD-9PRT-HV3CC',
      '7KQ4-M2XD-9PRT-HV3U', // U is not in Crockford's alphabet
      '7KQ4-M2XD-9PRT-HV3*',
      '7KQ4-M2XD-9PRT-HV3É',
      '7KQ4_M2XD_9PRT_HV3C',
      `7KQ4-M2XD-9PRT-HV3C${' '.repeat(60)}`, // over 64 characters
      '\uD800'.repeat(16),
    ]) {
      assert.throws(() => normalizeRecoveryCode(bad), DecodeError, bad);
      await invalid(verifyRecoveryCode(bad, stored, { pepper: ring }));
      assert.throws(() => recoveryCodeLookup(bad, { pepper: ring }), InvalidKey);
    }
    assert.throws(() => normalizeRecoveryCode(42 as never), TypeError);
  });
});

describe('peppered storage (HMAC-SHA256)', () => {
  test('each code is stored as { keyId, hash }; every typed form of it finds its index', async () => {
    const ring = Keyring.generate();
    const { codes, stored } = await regenerateRecoveryCodes({ count: 8, pepper: ring });
    assert.equal(codes.length, 8);
    assert.equal(stored.length, 8);
    for (const s of stored) {
      assert.equal(s.keyId, ring.primaryKeyId);
      assert.match(s.hash, /^[A-Za-z0-9_-]{43}$/);
    }
    for (const [i, code] of codes.entries()) {
      assert.equal(await verifyRecoveryCode(code, stored, { pepper: ring }), i);
      assert.equal(
        await verifyRecoveryCode(code.toLowerCase().replaceAll('-', ' '), stored, { pepper: ring }),
        i,
      );
    }
    await invalid(verifyRecoveryCode(generateRecoveryCodes({ count: 1 })[0]!, stored, { pepper: ring }));
    await invalid(verifyRecoveryCode(codes[0]!, [], { pepper: ring }));
  });

  test('hashing is deterministic under one key: typed and canonical forms store alike', async () => {
    const key = SecretKey.generate(32, { id: 'codes-1' });
    const [a, b] = await Promise.all([
      hashRecoveryCodes(['7KQ4-M2XD-9PRT-HV3C'], { pepper: key }),
      hashRecoveryCodes([' 7kq4m2xd 9prt hv3c'], { pepper: key }),
    ]);
    assert.deepEqual(a, b);
    assert.equal(a[0]!.keyId, 'codes-1');
    await assert.rejects(hashRecoveryCodes(['not a code'], { pepper: key }), DecodeError);
  });

  test('lookup: the value to find with one indexed equality is the stored one', async () => {
    const ring = Keyring.generate();
    const { codes, stored } = await regenerateRecoveryCodes({ count: 3, pepper: ring });
    const found = recoveryCodeLookup(codes[1]!, { pepper: ring });
    assert.deepEqual(found, [stored[1]]);
    assert.throws(() => recoveryCodeLookup(codes[1]!, {} as never), TypeError);
  });

  test('rotation: old codes still verify and are found; disabled and retired keys refuse', async () => {
    const ring = Keyring.generate();
    const before = await regenerateRecoveryCodes({ count: 3, pepper: ring });
    const oldKey = ring.primaryKeyId;
    ring.rotate();
    const lookups = recoveryCodeLookup(before.codes[2]!, { pepper: ring });
    assert.deepEqual(
      lookups.map((l) => l.keyId),
      [ring.primaryKeyId, oldKey],
    );
    assert.deepEqual(lookups[1], before.stored[2]);
    assert.equal(await verifyRecoveryCode(before.codes[2]!, before.stored, { pepper: ring }), 2);
    const after = await regenerateRecoveryCodes({ count: 3, pepper: ring });
    assert.ok(after.stored.every((s) => s.keyId === ring.primaryKeyId));

    ring.disable(oldKey);
    await assert.rejects(verifyRecoveryCode(before.codes[0]!, before.stored, { pepper: ring }), KeyDisabled);
    assert.equal(recoveryCodeLookup(before.codes[0]!, { pepper: ring }).length, 1);
    ring.enable(oldKey);
    ring.retire(oldKey);
    await assert.rejects(verifyRecoveryCode(before.codes[0]!, before.stored, { pepper: ring }), /is retired/);
  });

  test('configuration errors are not mismatches', async () => {
    const ring = Keyring.generate();
    const { codes, stored } = await regenerateRecoveryCodes({ count: 2, pepper: ring });
    await assert.rejects(verifyRecoveryCode(codes[0]!, stored), TypeError);
    await assert.rejects(verifyRecoveryCode(codes[0]!, stored, { pepper: Keyring.generate() }), KeyNotFound);
    await assert.rejects(
      verifyRecoveryCode(codes[0]!, stored, { pepper: SecretKey.generate(32, { id: 'other' }) }),
      KeyNotFound,
    );
    // Reported whatever was typed, so a configuration problem cannot hide behind a typo.
    await assert.rejects(verifyRecoveryCode('not a code', stored), TypeError);
  });

  test('the pepper key is derived per purpose: password pepper and code pepper differ', async () => {
    const key = SecretKey.generate(32, { id: 'k' });
    const [stored] = await hashRecoveryCodes(['0000-0000-0000-0000'], { pepper: key });
    const out = runPythonHmac(key, '0000000000000000', 'coffer/v1/password-pepper');
    if (out !== undefined) assert.notEqual(stored!.hash, out);
  });
});

function runPythonHmac(key: SecretKey, canonical: string, info: string): string | undefined {
  if (pycaSkip()) return undefined;
  return runPython<string>(
    `import json, sys, base64
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
c = json.load(sys.stdin)
k = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=c['info'].encode()).derive(bytes.fromhex(c['key']))
m = hmac.HMAC(k, hashes.SHA256())
m.update(c['code'].encode('ascii'))
print(json.dumps(base64.urlsafe_b64encode(m.finalize()).decode().rstrip('=')))`,
    { key: Buffer.from(exportSecretKeyBytes(key)).toString('hex'), code: canonical, info },
  );
}

describe('the stored form, recomputed with pyca', { skip: pycaSkip() }, () => {
  test('hash = base64url(HMAC-SHA256(HKDF-SHA256(key, info = "coffer/v1/recovery-code"), canonical code))', async () => {
    const key = SecretKey.generate(32, { id: 'codes-2026' });
    const codes = generateRecoveryCodes({ count: 5 });
    const stored = await hashRecoveryCodes(codes, { pepper: key });
    for (const [i, code] of codes.entries()) {
      assert.equal(stored[i]!.hash, runPythonHmac(key, code.replaceAll('-', ''), 'coffer/v1/recovery-code'));
    }
  });
});

describe('unpeppered storage (Argon2id)', () => {
  test('each code is an Argon2id PHC string with keyId null; verify finds the index', async () => {
    const { codes, stored } = await regenerateRecoveryCodes({ count: 3 });
    for (const s of stored) {
      assert.equal(s.keyId, null);
      assert.match(s.hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    }
    assert.equal(await verifyRecoveryCode(codes[2]!.toLowerCase(), stored), 2);
    await invalid(verifyRecoveryCode(generateRecoveryCodes({ count: 1 })[0]!, stored));
  });

  test('a set may mix both forms (codes stored before a pepper was introduced)', async () => {
    const ring = Keyring.generate();
    const plain = await hashRecoveryCodes(['0000-0000-0000-0001']);
    const peppered = await hashRecoveryCodes(['0000-0000-0000-0002'], { pepper: ring });
    const set = [...peppered, ...plain];
    assert.equal(await verifyRecoveryCode('0000-0000-0000-0001', set, { pepper: ring }), 1);
    assert.equal(await verifyRecoveryCode('0000-0000-0000-0002', set, { pepper: ring }), 0);
  });
});

describe('verification over a whole set', () => {
  test('every entry is read before any comparison: a bad entry after the match is still reported', async () => {
    const ring = Keyring.generate();
    const { codes, stored } = await regenerateRecoveryCodes({ count: 3, pepper: ring });
    const bad: StoredRecoveryCode[] = [...stored, { keyId: ring.primaryKeyId, hash: 'short' }];
    await assert.rejects(verifyRecoveryCode(codes[0]!, bad, { pepper: ring }), DecodeError);
  });

  test('a duplicated code returns its first index', async () => {
    const ring = Keyring.generate();
    const stored = await hashRecoveryCodes(
      ['0000-0000-0000-0003', '0000-0000-0000-0004', '0000-0000-0000-0003'],
      {
        pepper: ring,
      },
    );
    assert.equal(await verifyRecoveryCode('0000-0000-0000-0003', stored, { pepper: ring }), 0);
  });

  test('malformed stored sets are refused with typed errors', async () => {
    const ring = Keyring.generate();
    const { codes, stored } = await regenerateRecoveryCodes({ count: 1, pepper: ring });
    const code = codes[0]!;
    const id = ring.primaryKeyId;
    const cases: Array<[unknown, new (...a: never[]) => Error]> = [
      [null, TypeError],
      [stored[0], TypeError],
      [Array.from({ length: 101 }, () => stored[0]), RangeError],
      [[null], TypeError],
      [['a string'], TypeError],
      [[{ keyId: id }], TypeError],
      [[{ keyId: 42, hash: stored[0]!.hash }], TypeError],
      [[{ keyId: id, hash: `${stored[0]!.hash}=` }], DecodeError],
      [[{ keyId: id, hash: stored[0]!.hash.slice(0, 42) }], DecodeError],
      [[{ keyId: id, hash: Buffer.alloc(33).toString('base64url') }], DecodeError],
      [[{ keyId: null, hash: stored[0]!.hash }], DecodeError],
      [
        [
          {
            keyId: null,
            hash: '$pbkdf2-sha256$12$cmFuZG9tc2FsdGlzaGFyZA$OFvEcLOIPFd/oq8egf10i.qJLI7A8nDjPLnolCWarQY',
          },
        ],
        DecodeError,
      ],
      [
        [{ keyId: null, hash: '$argon2id$v=19$m=4294967295,t=2,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA' }],
        DecodeError,
      ],
    ];
    for (const [set, cls] of cases) {
      await assert.rejects(
        verifyRecoveryCode(code, set as never, { pepper: ring }),
        cls,
        JSON.stringify(set)?.slice(0, 80),
      );
    }
  });

  test('an Argon2 entry peppered like a password needs the pepper', async () => {
    const ring = Keyring.generate();
    const phc = await hashPassword('0000000000000005', {
      pepper: ring,
      argon2: { memoryCost: 64, iterations: 1 },
    });
    assert.equal(
      await verifyRecoveryCode('0000-0000-0000-0005', [{ keyId: null, hash: phc }], { pepper: ring }),
      0,
    );
  });
});
