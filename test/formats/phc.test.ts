// The PHC codec (src/formats/phc.ts): the generic grammar, the four schemes, their ceilings, and hostile
// strings. Pure: nothing here hashes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../../src/errors.ts';
import {
  type Argon2Hash,
  decodePasswordHash,
  decodePhc,
  encodePasswordHash,
  encodePhc,
  MAX_PHC_LENGTH,
  PASSWORD_HASH_LIMITS,
  type PasswordHash,
  type PhcString,
  type ScryptHash,
} from '../../src/formats/phc.ts';
import { loadOwnJson } from '../helpers/vectors.ts';

interface Vector {
  id: string;
  hash: string;
  scheme: string;
  params: Record<string, unknown>;
}
const { vectors } = loadOwnJson<{ vectors: Vector[] }>('password-hashes.json');

const ARGON2 =
  '$argon2id$v=19$m=19456,t=2,p=1$cHljYSBzYWx0IDE2IGJ5dA$0ClPyN4gIfjmGbQFc8ueJ1XdwiBo6oGlmLXFBFu1+XA';
const SCRYPT = '$scrypt$ln=16,r=8,p=1$cmFuZG9tc2FsdGlzaGFyZA$Rh+NnJNo1I6nRwaNqbDm6kmADswD1+7FTKZ7Ln9D8nQ';
const PBKDF2 = '$pbkdf2-sha256$12$cmFuZG9tc2FsdGlzaGFyZA$OFvEcLOIPFd/oq8egf10i.qJLI7A8nDjPLnolCWarQY';
const BCRYPT = '$2y$04$woN//NE.ZKw4.GnaKjsnPeVSiPvixB8QyMby2fCtj8qkJJzM4Gwze';
const SALT16 = 'cHljYSBzYWx0IDE2IGJ5dA';
const HASH32 = '0ClPyN4gIfjmGbQFc8ueJ1XdwiBo6oGlmLXFBFu1+XA';
const b64 = (n: number, fill = 0x41) => Buffer.alloc(n, fill).toString('base64').replace(/=+$/, '');
const argon2 = (params: string, salt = SALT16, hash = HASH32, head = '$argon2id$v=19') =>
  `${head}$${params}$${salt}$${hash}`;
const scrypt = (params: string) => `$scrypt$${params}$${SALT16}$${HASH32}`;

function rejects(text: string, why: string): void {
  assert.throws(
    () => decodePasswordHash(text),
    (err: unknown) => err instanceof DecodeError && err.message.startsWith('invalid password hash: '),
    why,
  );
}

describe('generic PHC grammar', () => {
  test('a full string splits into its fields', () => {
    assert.deepEqual(decodePhc(ARGON2), {
      id: 'argon2id',
      version: 19,
      params: [
        ['m', '19456'],
        ['t', '2'],
        ['p', '1'],
      ],
      salt: SALT16,
      hash: HASH32,
    });
  });

  test('optional fields may be absent', () => {
    assert.deepEqual(decodePhc('$argon2id'), { id: 'argon2id', params: [] });
    assert.deepEqual(decodePhc('$x$v=1'), { id: 'x', version: 1, params: [] });
    assert.deepEqual(decodePhc('$x$a=1'), { id: 'x', params: [['a', '1']] });
    assert.deepEqual(decodePhc('$x$salt'), { id: 'x', params: [], salt: 'salt' });
    assert.deepEqual(decodePhc('$x$salt$hash'), { id: 'x', params: [], salt: 'salt', hash: 'hash' });
  });

  const malformed: Array<[string, string]> = [
    ['', 'empty'],
    ['argon2id', 'no leading $'],
    ['$', 'empty id'],
    ['$Argon2id', 'uppercase id'],
    [`$${'a'.repeat(33)}`, 'id over 32 characters'],
    ['$x$v=', 'empty version'],
    ['$x$v=019', 'leading zero in the version'],
    ['$x$v=-1', 'negative version'],
    ['$x$v=4294967296', 'version of 2^32'],
    ['$x$v=1,a=2', 'version joined to parameters'],
    ['$x$a=1,a=2', 'duplicate parameter'],
    ['$x$a=', 'empty parameter value'],
    ['$x$=1', 'empty parameter name'],
    ['$x$a=1,,b=2', 'empty pair'],
    ['$x$A=1', 'uppercase parameter name'],
    ['$x$a=1$', 'empty salt'],
    ['$x$a=1$salt$', 'empty hash'],
    ['$x$a=1$salt$hash$', 'trailing $'],
    ['$x$a=1$sa_lt$hash', 'salt outside the alphabet'],
    ['$x$a=1$salt$ha.sh', 'hash outside base64'],
    ['$x$a=1$salt$hash=', 'padded hash'],
    ['$x$v=1$a=1$s$h$extra', 'seven fields'],
    [`$x$${Array.from({ length: 17 }, (_, i) => `p${i}=1`).join(',')}`, 'seventeen parameters'],
    [`$x$a=${'1'.repeat(65)}`, 'parameter value over 64 characters'],
    [`$x$${'s'.repeat(129)}`, 'salt over 128 characters'],
  ];
  for (const [text, why] of malformed) {
    test(`refuses ${why}`, () => {
      assert.throws(() => decodePhc(text), DecodeError);
    });
  }

  test('refuses a string over the length ceiling before reading it', () => {
    assert.throws(() => decodePhc(`$x$${'s'.repeat(MAX_PHC_LENGTH)}`), /longer than 512/);
  });

  const id = fc.stringMatching(/^[a-z0-9-]{1,32}$/);
  const name = fc.stringMatching(/^[a-z0-9-]{1,32}$/).filter((n) => n !== 'v');
  const value = fc.stringMatching(/^[a-zA-Z0-9/+.-]{1,64}$/);
  const phcString: fc.Arbitrary<PhcString> = fc
    .record(
      {
        id,
        version: fc.integer({ min: 0, max: 0xffffffff }),
        params: fc.uniqueArray(fc.tuple(name, value), { maxLength: 4, selector: ([n]) => n }),
        salt: fc.stringMatching(/^[a-zA-Z0-9/+.-]{1,40}$/),
        hash: fc.stringMatching(/^[A-Za-z0-9+/]{1,40}$/),
      },
      { requiredKeys: ['id', 'params'] },
    )
    .map((p) => {
      // A hash only follows a salt.
      if (p.salt === undefined) {
        const { hash: _, ...rest } = p;
        return { ...rest } as PhcString;
      }
      return { ...p } as PhcString;
    });

  test('fast-check: decodePhc(encodePhc(x)) equals x', () => {
    fc.assert(
      fc.property(phcString, (p) => {
        assert.deepEqual(decodePhc(encodePhc(p)), p);
      }),
      { numRuns: 500 },
    );
  });

  test('fast-check: any text that decodes re-encodes to itself (one spelling per value)', () => {
    const text = fc.string({ unit: fc.constantFrom(...'$$$av=,01239+/.-_ xA'.split('')), maxLength: 40 });
    fc.assert(
      fc.property(text, (t) => {
        let parsed: PhcString;
        try {
          parsed = decodePhc(t);
        } catch (err) {
          assert.ok(err instanceof DecodeError);
          return;
        }
        assert.equal(encodePhc(parsed), t);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('schemes', () => {
  test('argon2id with a keyid', () => {
    const h = decodePasswordHash(argon2('m=19456,t=2,p=1,keyid=8cb8f9f5')) as Argon2Hash;
    assert.equal(h.scheme, 'argon2');
    assert.equal(h.variant, 'argon2id');
    assert.deepEqual([h.memoryCost, h.iterations, h.lanes, h.keyId], [19456, 2, 1, '8cb8f9f5']);
    assert.equal(h.salt.length, 16);
    assert.equal(h.hash.length, 32);
    assert.equal(encodePasswordHash(h), argon2('m=19456,t=2,p=1,keyid=8cb8f9f5'));
  });

  test('scrypt, pbkdf2-sha256 and bcrypt', () => {
    const s = decodePasswordHash(SCRYPT) as ScryptHash;
    assert.deepEqual([s.scheme, s.ln, s.r, s.p, s.keyId], ['scrypt', 16, 8, 1, undefined]);
    assert.equal(Buffer.from(s.salt).toString(), 'randomsaltishard');
    const k = decodePasswordHash(PBKDF2);
    assert.equal(k.scheme, 'pbkdf2-sha256');
    assert.equal(k.scheme === 'pbkdf2-sha256' && k.iterations, 12);
    const b = decodePasswordHash(BCRYPT);
    assert.deepEqual(b, { scheme: 'bcrypt', variant: '2y', cost: 4, encoded: BCRYPT });
    for (const text of [ARGON2, SCRYPT, PBKDF2, BCRYPT])
      assert.equal(encodePasswordHash(decodePasswordHash(text)), text);
  });

  for (const v of vectors) {
    test(`vector ${v.id}: decodes with its parameters and re-encodes to itself`, () => {
      const h = decodePasswordHash(v.hash) as PasswordHash & Record<string, unknown>;
      assert.equal(h.scheme, v.scheme);
      for (const [key, want] of Object.entries(v.params)) assert.equal(h[key], want, key);
      assert.equal(encodePasswordHash(h), v.hash);
    });
  }

  const bytesOf = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
  const binary = {
    salt: bytesOf(PASSWORD_HASH_LIMITS.minSalt, PASSWORD_HASH_LIMITS.maxSalt),
    hash: bytesOf(PASSWORD_HASH_LIMITS.minHash, PASSWORD_HASH_LIMITS.maxHash),
  };
  const keyId = fc.option(fc.stringMatching(/^[A-Za-z0-9./+-]{1,64}$/), { nil: undefined });
  const withKeyId = <T extends { keyId?: string | undefined }>(h: T): T => {
    if (h.keyId !== undefined) return h;
    const { keyId: _, ...rest } = h;
    return rest as T;
  };
  const argon2Hash: fc.Arbitrary<PasswordHash> = fc
    .record({
      variant: fc.constantFrom('argon2id', 'argon2i', 'argon2d'),
      lanes: fc.integer({ min: 1, max: 16 }),
      memoryCost: fc.integer({ min: 128, max: 1024 * 1024 }),
      iterations: fc.integer({ min: 1, max: 64 }),
      keyId,
      ...binary,
    })
    .filter((h) => h.memoryCost * h.iterations <= PASSWORD_HASH_LIMITS.argon2.maxWork)
    .map((h) => withKeyId({ scheme: 'argon2' as const, version: 19 as const, ...h }) as PasswordHash);
  const scryptHash: fc.Arbitrary<PasswordHash> = fc
    .record({
      ln: fc.integer({ min: 1, max: 20 }),
      r: fc.integer({ min: 1, max: 32 }),
      p: fc.integer({ min: 1, max: 16 }),
      keyId,
      ...binary,
    })
    .filter(
      (h) => h.ln < 16 * h.r && 128 * 2 ** h.ln * h.r <= 2 ** 30 && 128 * 2 ** h.ln * h.r * h.p <= 2 ** 32,
    )
    .map((h) => withKeyId({ scheme: 'scrypt' as const, ...h }) as PasswordHash);
  const pbkdf2Hash: fc.Arbitrary<PasswordHash> = fc
    .record({ iterations: fc.integer({ min: 1, max: 10_000_000 }), ...binary })
    .map((h) => ({ scheme: 'pbkdf2-sha256' as const, ...h }));

  test('fast-check: decodePasswordHash(encodePasswordHash(h)) equals h, for every scheme', () => {
    fc.assert(
      fc.property(fc.oneof(argon2Hash, scryptHash, pbkdf2Hash), (h) => {
        const text = encodePasswordHash(h);
        assert.ok(text.length <= MAX_PHC_LENGTH);
        assert.deepEqual(decodePasswordHash(text), h);
      }),
      { numRuns: 500 },
    );
  });

  test('fast-check: a mutated hash string is refused with DecodeError or reads back canonically', () => {
    const mutation = fc.record({
      base: fc.constantFrom(ARGON2, SCRYPT, PBKDF2, BCRYPT, argon2('m=64,t=1,p=1,keyid=a.b-c')),
      at: fc.nat(),
      op: fc.constantFrom('delete', 'replace', 'insert'),
      char: fc.constantFrom(...'$=,.+/-0123456789abzAZ_ \u0000é'.split('')),
    });
    fc.assert(
      fc.property(mutation, ({ base, at, op, char }) => {
        const i = at % base.length;
        const text =
          op === 'delete'
            ? base.slice(0, i) + base.slice(i + 1)
            : op === 'replace'
              ? base.slice(0, i) + char + base.slice(i + 1)
              : base.slice(0, i) + char + base.slice(i);
        let h: PasswordHash;
        try {
          h = decodePasswordHash(text);
        } catch (err) {
          assert.ok(err instanceof DecodeError, String(err));
          return;
        }
        assert.equal(encodePasswordHash(h), text);
      }),
      { numRuns: 3000 },
    );
  });

  test('encodePasswordHash refuses what decodePasswordHash would refuse', () => {
    const h = decodePasswordHash(ARGON2) as Argon2Hash;
    assert.throws(() => encodePasswordHash({ ...h, memoryCost: 2 ** 20 + 1 }), RangeError);
    assert.throws(() => encodePasswordHash({ ...h, memoryCost: 2 ** 20, iterations: 5 }), RangeError);
    assert.throws(() => encodePasswordHash({ ...h, lanes: 17 }), RangeError);
    assert.throws(() => encodePasswordHash({ ...h, salt: new Uint8Array(7) }), RangeError);
    assert.throws(() => encodePasswordHash({ ...h, hash: new Uint8Array(65) }), RangeError);
    assert.throws(() => encodePasswordHash({ ...h, keyId: 'not an id' }), RangeError);
  });
});

describe('hostile stored hashes: DecodeError before any work', () => {
  const cases: Array<[string, string]> = [
    // Costs above the ceilings.
    [argon2('m=4294967295,t=2,p=1'), 'm = 2^32 - 1 KiB (4 TiB)'],
    [argon2('m=1048577,t=1,p=1'), 'm one KiB over 1 GiB'],
    [argon2('m=1048576,t=5,p=1'), 'm · t over 4 GiB-passes'],
    [argon2('m=19456,t=65,p=1'), 't = 65'],
    [argon2('m=19456,t=4294967295,p=1'), 't = 2^32 - 1'],
    [argon2('m=19456,t=2,p=17'), 'p = 17'],
    [argon2('m=19456,t=2,p=16777215'), 'p = 2^24 - 1'],
    [argon2('m=99999999999,t=2,p=1'), 'm with 11 digits'],
    [argon2('m=19456,t=0,p=1'), 't = 0'],
    [argon2('m=19456,t=2,p=0'), 'p = 0'],
    [argon2('m=7,t=2,p=1'), 'm below 8 · p'],
    [argon2('m=127,t=1,p=16'), 'm below 8 · p with 16 lanes'],
    // Malformed numbers and parameters.
    [argon2('m=019456,t=2,p=1'), 'leading zero'],
    [argon2('m=+19456,t=2,p=1'), 'plus sign'],
    [argon2('m=-1,t=2,p=1'), 'negative'],
    [argon2('m=1e5,t=2,p=1'), 'exponent'],
    [argon2('m=0x4c00,t=2,p=1'), 'hex'],
    [argon2('t=2,m=19456,p=1'), 'parameters out of order'],
    [argon2('m=19456,t=2'), 'p missing'],
    [argon2('m=19456,t=2,p=1,m=19456'), 'm twice'],
    [argon2('m=19456,t=2,p=1,data=AAAA'), 'the data parameter'],
    [argon2('m=19456,t=2,p=1,keyid=a,x=1'), 'a parameter after keyid'],
    [argon2('keyid=a,m=19456,t=2,p=1'), 'keyid first'],
    [argon2('m=19456,t=2,p=1', SALT16, HASH32, '$argon2id'), 'no version (0x10 in the reference code)'],
    [argon2('m=19456,t=2,p=1', SALT16, HASH32, '$argon2id$v=16'), 'version 16'],
    [argon2('m=19456,t=2,p=1', SALT16, HASH32, '$argon2id$v=20'), 'version 20'],
    [argon2('m=19456,t=2,p=1', SALT16, HASH32, '$argon2id$v=019'), 'version with a leading zero'],
    [argon2('m=19456,t=2,p=1', SALT16, HASH32, '$argon2$v=19'), 'plain "argon2"'],
    [argon2('m=19456,t=2,p=1', SALT16, HASH32, '$argon2ID$v=19'), 'uppercase variant'],
    // Salt and hash.
    [argon2('m=19456,t=2,p=1', b64(7)), 'a 7-byte salt'],
    [argon2('m=19456,t=2,p=1', b64(65)), 'a 65-byte salt'],
    [argon2('m=19456,t=2,p=1', SALT16, b64(15)), 'a 15-byte hash'],
    [argon2('m=19456,t=2,p=1', SALT16, b64(65)), 'a 65-byte hash'],
    [argon2('m=19456,t=2,p=1', `${SALT16.slice(0, -1)}B`), 'salt with set trailing bits'],
    [argon2('m=19456,t=2,p=1', SALT16, `${HASH32.slice(0, -1)}B`), 'hash with set trailing bits'],
    [argon2('m=19456,t=2,p=1', `${SALT16}==`), 'padded salt'],
    [argon2('m=19456,t=2,p=1', SALT16.replace('c', '.')), 'salt with a . (adapted base64)'],
    [argon2('m=19456,t=2,p=1', `${SALT16}AAA`), 'salt of 4k + 1 characters'],
    [argon2('m=19456,t=2,p=1', SALT16, ''), 'empty hash'],
    [`$argon2id$v=19$m=19456,t=2,p=1$${SALT16}`, 'no hash'],
    [`$argon2id$v=19$m=19456,t=2,p=1`, 'no salt'],
    [`${ARGON2}$`, 'trailing $'],
    [`${ARGON2}\n`, 'trailing newline'],
    [` ${ARGON2}`, 'leading space'],
    [ARGON2.replace('$v=19', '$v=19 '), 'space in the version'],
    // scrypt.
    [scrypt('ln=21,r=8,p=1'), 'scrypt N = 2^21'],
    [scrypt('ln=20,r=9,p=1'), 'scrypt over 1 GiB'],
    [scrypt('ln=17,r=33,p=1'), 'scrypt r = 33'],
    [scrypt('ln=17,r=8,p=17'), 'scrypt p = 17'],
    [scrypt('ln=20,r=8,p=5'), 'scrypt 128·N·r·p over 4 GiB'],
    [scrypt('ln=16,r=1,p=1'), 'scrypt N ≥ 2^(16·r)'],
    [scrypt('ln=0,r=8,p=1'), 'scrypt N = 1'],
    [scrypt('n=131072,r=8,p=1'), 'scrypt with n instead of ln'],
    [scrypt('ln=17,r=8'), 'scrypt without p'],
    [`$scrypt$v=1$ln=17,r=8,p=1$${SALT16}$${HASH32}`, 'scrypt with a version'],
    // pbkdf2-sha256.
    ['$pbkdf2-sha256$0$cmFuZG9tc2FsdGlzaGFyZA$OFvEcLOIPFd/oq8egf10i.qJLI7A8nDjPLnolCWarQY', 'zero rounds'],
    [
      '$pbkdf2-sha256$10000001$cmFuZG9tc2FsdGlzaGFyZA$OFvEcLOIPFd/oq8egf10i.qJLI7A8nDjPLnolCWarQY',
      'rounds over 10^7',
    ],
    [
      '$pbkdf2-sha256$012$cmFuZG9tc2FsdGlzaGFyZA$OFvEcLOIPFd/oq8egf10i.qJLI7A8nDjPLnolCWarQY',
      'rounds with a leading zero',
    ],
    [
      '$pbkdf2-sha256$12$cmFuZG9tc2FsdGlzaGFyZA$OFvEcLOIPFd/oq8egf10i+qJLI7A8nDjPLnolCWarQY',
      'a + in adapted base64',
    ],
    [
      '$pbkdf2-sha256$i=12$cmFuZG9tc2FsdGlzaGFyZA$OFvEcLOIPFd/oq8egf10i.qJLI7A8nDjPLnolCWarQY',
      'rounds as a parameter',
    ],
    ['$pbkdf2-sha256$12$cmFuZG9tc2FsdGlzaGFyZA', 'pbkdf2 without a hash'],
    // bcrypt.
    [BCRYPT.replace('$2y$', '$2x$'), 'bcrypt 2x (the broken variant)'],
    [BCRYPT.replace('$2y$', '$2$'), 'bcrypt 2 (no minor)'],
    [BCRYPT.replace('$04$', '$17$'), 'bcrypt cost 17'],
    [BCRYPT.replace('$04$', '$31$'), 'bcrypt cost 31'],
    [BCRYPT.replace('$04$', '$03$'), 'bcrypt cost 3'],
    [BCRYPT.replace('$04$', '$4$'), 'bcrypt cost in one digit'],
    [BCRYPT.slice(0, -1), 'bcrypt truncated by one'],
    [`${BCRYPT}A`, 'bcrypt with an extra character'],
    [BCRYPT.replace('woN//NE.ZKw4.GnaKjsnPe', 'woN//NE.ZKw4.GnaKjsnPf'), 'bcrypt salt with set spare bits'],
    [`${BCRYPT.slice(0, -1)}f`, 'bcrypt hash with set spare bits'],
    // Other schemes and plain junk.
    ['$1$saltsalt$abcdefghijklmnopqrstuv', 'md5-crypt'],
    ['$5$rounds=5000$salt$hash', 'sha256-crypt'],
    ['$6$salt$hash', 'sha512-crypt'],
    ['$md5$salt$hash', 'unknown scheme'],
    ['$pbkdf2-sha512$12$cmFuZG9tc2FsdGlzaGFyZA$OFvEcLOIPFd', 'pbkdf2-sha512'],
    ['{SSHA}abcdef', 'LDAP form'],
    ['5f4dcc3b5aa765d61d8327deb882cf99', 'a bare md5 hex digest'],
    ['', 'empty'],
    ['$', 'a lone $'],
    ['\u0000', 'NUL'],
    ['\uD800', 'a lone surrogate'],
  ];
  for (const [text, why] of cases) {
    test(why, () => rejects(text, why));
  }

  test('every truncation of a valid string is refused, except a shorter hash of at least 16 bytes', () => {
    for (const text of [ARGON2, SCRYPT, PBKDF2, BCRYPT, argon2('m=64,t=1,p=1,keyid=8cb8f9f5')]) {
      const full = decodePasswordHash(text);
      for (let i = 0; i < text.length; i++) {
        const cut = text.slice(0, i);
        let h: PasswordHash;
        try {
          h = decodePasswordHash(cut);
        } catch (err) {
          assert.ok(err instanceof DecodeError);
          continue;
        }
        // Cut inside the hash field: still well formed, a different (shorter) hash that will not verify.
        assert.ok(h.scheme !== 'bcrypt' && full.scheme !== 'bcrypt', cut);
        assert.ok(h.hash.length >= 16 && h.hash.length < full.hash.length, cut);
        assert.deepEqual(h.salt, full.salt);
      }
    }
  });

  test('a 1 MiB string and 10,000 hostile strings are refused at once: no hang, no backtracking', () => {
    const start = performance.now();
    rejects(`$argon2id$v=19$m=${'9'.repeat(1 << 20)}`, '1 MiB');
    rejects('$'.repeat(1 << 20), '1 MiB of $');
    for (let i = 0; i < 10_000; i++) rejects(argon2(`m=${1048577 + i},t=1,p=1`), 'huge m');
    const nearMax = `$argon2id$v=19$${'m=1,'.repeat(120)}`;
    rejects(nearMax.slice(0, MAX_PHC_LENGTH), 'many parameters');
    assert.ok(performance.now() - start < 5000, `took ${performance.now() - start} ms`);
  });

  test('messages name the problem, never the string', () => {
    const secretish = argon2('m=19456,t=2,p=1,keyid=SECRETSECRET', b64(7));
    assert.throws(
      () => decodePasswordHash(secretish),
      (err: unknown) =>
        err instanceof DecodeError &&
        !err.message.includes('SECRETSECRET') &&
        !err.message.includes('$argon2id$'),
    );
  });

  test('non-strings are a TypeError', () => {
    for (const value of [null, undefined, 42, Buffer.from(ARGON2), { toString: () => ARGON2 }]) {
      assert.throws(() => decodePasswordHash(value as never), TypeError);
      assert.throws(() => decodePhc(value as never), TypeError);
    }
  });
});
