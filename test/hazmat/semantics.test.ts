// How the hazmat objects behave over their lifetime: Hash update/copy/finalize, streaming sources, HMAC
// verify, single-use KDFs, constant-time comparison, randomness, and the error taxonomy.
import assert from 'node:assert/strict';
import { createHash, createHmac, pbkdf2Sync, scryptSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import * as errors from '../../src/errors.ts';
import {
  AlreadyFinalized,
  CofferError,
  DecodeError,
  InvalidKey,
  InvalidSignature,
  InvalidTag,
  InvalidToken,
  InvalidUnwrap,
  KeyDisabled,
  KeyNotFound,
  UnsupportedAlgorithm,
} from '../../src/errors.ts';
import { bytesEqual } from '../../src/hazmat/constant-time.ts';
import {
  BLAKE2b,
  Hash,
  hash,
  hashFile,
  hashStream,
  MD5,
  SHA1,
  SHA3_256,
  SHA256,
  SHA512,
  SHA512_224,
  SHAKE128,
  SHAKE256,
} from '../../src/hazmat/hashes.ts';
import { HMAC, hmac, hmacVerify } from '../../src/hazmat/hmac.ts';
import {
  ConcatKDFHash,
  ConcatKDFHMAC,
  CounterLocation,
  HKDF,
  HKDFExpand,
  KBKDFHMAC,
  Mode,
  PBKDF2HMAC,
  Scrypt,
  X963KDF,
} from '../../src/hazmat/kdf.ts';
import { MAX_RANDOM_BYTES, randomBytes, randomToken } from '../../src/hazmat/random.ts';
import { SecretKey } from '../../src/keys/secret-key.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const utf8 = (s: string) => new TextEncoder().encode(s);

// ---------------------------------------------------------------------------------------------------
describe('Hash', () => {
  test('update in pieces equals the one-shot hash; update returns this', () => {
    const h = new Hash(new SHA256());
    assert.equal(h.update('hel'), h);
    h.update(utf8('lo')).update(new Uint8Array(0)).update('');
    assert.deepEqual(h.finalize(), hash(new SHA256(), 'hello'));
    assert.equal(hex(hash(new SHA256(), 'hello')), createHash('sha256').update('hello').digest('hex'));
  });

  test('finalize returns a plain Uint8Array of digestSize bytes', () => {
    for (const alg of [
      new SHA1(),
      new SHA256(),
      new SHA512(),
      new SHA512_224(),
      new SHA3_256(),
      new BLAKE2b(),
      new MD5(),
    ]) {
      const out = new Hash(alg).update('x').finalize();
      assert.equal(out.constructor, Uint8Array, alg.name);
      assert.equal(out.length, alg.digestSize, alg.name);
      assert.deepEqual(out, hash(alg, 'x'), alg.name);
    }
  });

  test('copy forks the state: the two continue independently', () => {
    const a = new Hash(new SHA256()).update('common-');
    const b = a.copy();
    assert.ok(b instanceof Hash);
    assert.equal(b.algorithm, a.algorithm);
    a.update('left');
    b.update('right');
    assert.deepEqual(a.finalize(), hash(new SHA256(), 'common-left'));
    assert.deepEqual(b.finalize(), hash(new SHA256(), 'common-right'));
  });

  test('a copy outlives its original, and copies of copies work', () => {
    const a = new Hash(new SHA512()).update('a');
    const b = a.copy();
    a.finalize();
    const c = b.update('b').copy();
    assert.deepEqual(b.finalize(), hash(new SHA512(), 'ab'));
    assert.deepEqual(c.update('c').finalize(), hash(new SHA512(), 'abc'));
  });

  test('a fresh Hash after a copy starts empty (copy state does not leak into the next constructor)', () => {
    const a = new Hash(new SHA256()).update('state');
    a.copy();
    assert.deepEqual(new Hash(new SHA256()).finalize(), hash(new SHA256(), ''));
  });

  test('after finalize: update, copy and finalize throw AlreadyFinalized', () => {
    const h = new Hash(new SHA256());
    h.finalize();
    assert.throws(() => h.update('x'), AlreadyFinalized);
    assert.throws(() => h.copy(), AlreadyFinalized);
    assert.throws(() => h.finalize(), AlreadyFinalized);
    assert.throws(() => h.finalize(), {
      name: 'AlreadyFinalized',
      code: 'ERR_ALREADY_FINALIZED',
      message: 'Hash has already been finalized',
    });
  });

  test('SHAKE output length is honoured, through copy too', () => {
    for (const [Alg, name] of [
      [SHAKE128, 'shake128'],
      [SHAKE256, 'shake256'],
    ] as const) {
      for (const size of [1, 17, 32, 100, 1000]) {
        const expected = createHash(name, { outputLength: size }).update('abc').digest();
        assert.deepEqual(Buffer.from(hash(new Alg(size), 'abc')), expected);
        const h = new Hash(new Alg(size)).update('a');
        const c = h.copy();
        assert.deepEqual(Buffer.from(h.update('bc').finalize()), expected);
        const out = c.update('bc').finalize();
        assert.equal(out.length, size);
        assert.deepEqual(Buffer.from(out), expected);
      }
    }
  });

  test('SHAKE digests of different lengths are prefixes of one another', () => {
    const long = hash(new SHAKE256(64), 'x');
    assert.deepEqual(hash(new SHAKE256(32), 'x'), long.subarray(0, 32));
  });
});

// ---------------------------------------------------------------------------------------------------
describe('hashStream and hashFile', () => {
  const chunks = [utf8('alpha-'), 'beta-', utf8(''), new Uint8Array(70_000).fill(9), 'gamma'];
  const whole = Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : Buffer.from(c))));
  const expected = hash(new SHA256(), whole);

  test('a node Readable (byte chunks and strings)', async () => {
    assert.deepEqual(await hashStream(new SHA256(), Readable.from(chunks)), expected);
    assert.deepEqual(await hashStream(new SHA256(), Readable.from([whole])), expected);
  });

  test('a non-object-mode Readable that yields Buffers', async () => {
    const r = new Readable({ read() {} });
    r.push(whole.subarray(0, 1000));
    r.push(whole.subarray(1000));
    r.push(null);
    assert.deepEqual(await hashStream(new SHA256(), r), expected);
  });

  test('a web ReadableStream', async () => {
    const stream = new ReadableStream<Uint8Array | string>({
      start(controller) {
        for (const c of chunks) controller.enqueue(c);
        controller.close();
      },
    });
    assert.deepEqual(await hashStream(new SHA256(), stream as never), expected);
  });

  test('a sync generator, an async generator, and an array', async () => {
    assert.deepEqual(
      await hashStream(
        new SHA256(),
        (function* () {
          yield* chunks;
        })(),
      ),
      expected,
    );
    assert.deepEqual(
      await hashStream(
        new SHA256(),
        (async function* () {
          for (const c of chunks) yield c;
        })(),
      ),
      expected,
    );
    assert.deepEqual(await hashStream(new SHA256(), chunks), expected);
  });

  test('an empty source hashes the empty string; SHAKE length is honoured', async () => {
    assert.deepEqual(await hashStream(new SHA256(), []), hash(new SHA256(), ''));
    assert.equal((await hashStream(new SHAKE128(77), chunks)).length, 77);
  });

  test('an error from the source propagates as is', async () => {
    const failing = (async function* () {
      yield 'a';
      throw new Error('disk on fire');
    })();
    await assert.rejects(hashStream(new SHA256(), failing), /disk on fire/);
  });

  describe('hashFile', () => {
    let dir = '';
    let path = '';
    let content: Uint8Array = new Uint8Array(0);
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'coffer-hashfile-'));
      path = join(dir, 'big.bin');
      content = randomBytes(3 * 1024 * 1024 + 12345); // over 3 MiB: several 1 MiB reads
      await writeFile(path, content);
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    test('a file over 3 MiB matches the one-shot hash', async () => {
      for (const alg of [new SHA256(), new SHA3_256(), new SHAKE256(48)]) {
        assert.deepEqual(await hashFile(alg, path), hash(alg, content), alg.name);
      }
    });

    test('an empty file', async () => {
      const empty = join(dir, 'empty');
      await writeFile(empty, '');
      assert.deepEqual(await hashFile(new SHA256(), empty), hash(new SHA256(), ''));
    });

    test('a missing file rejects with the file system error (ENOENT)', async () => {
      await assert.rejects(hashFile(new SHA256(), join(dir, 'missing')), { code: 'ENOENT' });
    });

    test('a directory rejects with the file system error', async () => {
      await assert.rejects(hashFile(new SHA256(), dir), (err: unknown) => {
        assert.ok(err instanceof Error);
        assert.match(String((err as { code?: unknown }).code), /^E[A-Z]+$/);
        return true;
      });
    });
  });
});

// ---------------------------------------------------------------------------------------------------
describe('HMAC', () => {
  const key = randomBytes(32);
  const message = 'the quick brown fox';

  test('streaming equals one-shot equals node', () => {
    for (const alg of [new SHA256(), new SHA512(), new SHA1(), new SHA3_256()]) {
      const h = new HMAC(key, alg);
      assert.equal(h.update('the quick '), h);
      h.update(utf8('brown fox'));
      const tag = h.finalize();
      assert.deepEqual(tag, hmac(alg, key, message), alg.name);
      assert.equal(hex(tag), createHmac(alg.name, key).update(message).digest('hex'));
      assert.equal(tag.length, alg.digestSize);
      assert.equal(tag.constructor, Uint8Array);
    }
  });

  test('a SecretKey and its bytes give the same tag', () => {
    const k = SecretKey.fromBytes(key);
    assert.deepEqual(hmac(new SHA256(), k, message), hmac(new SHA256(), key, message));
    new HMAC(k, new SHA256()).update(message).verify(hmac(new SHA256(), key, message));
  });

  test('verify accepts the right tag, once', () => {
    const tag = hmac(new SHA256(), key, message);
    const h = new HMAC(key, new SHA256()).update(message);
    h.verify(tag);
    assert.throws(() => h.verify(tag), AlreadyFinalized);
    assert.throws(() => h.update('x'), AlreadyFinalized);
    assert.throws(() => h.finalize(), AlreadyFinalized);
    hmacVerify(new SHA256(), key, message, tag);
  });

  test('verify throws InvalidSignature for a wrong tag, a wrong length, a wrong key or wrong data', () => {
    const tag = hmac(new SHA256(), key, message);
    const flipped = Uint8Array.from(tag);
    flipped[31] = (flipped[31] ?? 0) ^ 0x80;
    const cases: Array<[string, () => void]> = [
      ['flipped last bit', () => new HMAC(key, new SHA256()).update(message).verify(flipped)],
      ['truncated', () => new HMAC(key, new SHA256()).update(message).verify(tag.subarray(0, 16))],
      ['extended', () => new HMAC(key, new SHA256()).update(message).verify(Uint8Array.of(...tag, 0))],
      ['empty', () => new HMAC(key, new SHA256()).update(message).verify(new Uint8Array(0))],
      ['wrong key', () => new HMAC(randomBytes(32), new SHA256()).update(message).verify(tag)],
      ['wrong data', () => new HMAC(key, new SHA256()).update(`${message}.`).verify(tag)],
      ['other hash', () => new HMAC(key, new SHA512()).update(message).verify(tag)],
      ['one-shot, flipped', () => hmacVerify(new SHA256(), key, message, flipped)],
      ['one-shot, truncated', () => hmacVerify(new SHA256(), key, message, tag.subarray(0, 31))],
      ['one-shot, wrong key', () => hmacVerify(new SHA256(), new Uint8Array(32), message, tag)],
    ];
    for (const [name, call] of cases) {
      assert.throws(call, (err: unknown) => {
        assert.ok(err instanceof InvalidSignature, name);
        assert.equal(err.message, 'signature did not verify');
        assert.equal(err.cause, undefined);
        return true;
      });
    }
  });

  test('after a failed verify the context is finalized', () => {
    const h = new HMAC(key, new SHA256()).update(message);
    assert.throws(() => h.verify(new Uint8Array(32)), InvalidSignature);
    assert.throws(() => h.verify(hmac(new SHA256(), key, message)), AlreadyFinalized);
  });

  test('after finalize, everything throws AlreadyFinalized', () => {
    const h = new HMAC(key, new SHA256());
    h.finalize();
    assert.throws(() => h.update('x'), {
      name: 'AlreadyFinalized',
      message: 'HMAC has already been finalized',
    });
    assert.throws(() => h.finalize(), AlreadyFinalized);
    assert.throws(() => h.verify(new Uint8Array(32)), AlreadyFinalized);
  });

  test('XOFs are refused; keys of any length are accepted (RFC 2104)', () => {
    assert.throws(() => new HMAC(key, new SHAKE128(32)), TypeError);
    for (const length of [0, 1, 64, 65, 1000]) {
      const k = new Uint8Array(length).fill(3);
      assert.equal(hex(hmac(new SHA256(), k, 'm')), createHmac('sha256', k).update('m').digest('hex'));
    }
  });
});

// ---------------------------------------------------------------------------------------------------
describe('KDFs are single-use', () => {
  const salt = new Uint8Array(16).fill(5);
  const ikm = new Uint8Array(32).fill(6);
  interface Kdf {
    derive(material: never): Uint8Array;
    verify(material: never, expected: Uint8Array): void;
  }
  const FACTORIES: ReadonlyArray<[string, () => Kdf, Uint8Array | string]> = [
    ['HKDF', () => new HKDF({ algorithm: new SHA256(), length: 32, salt, info: 'coffer/v1/test' }), ikm],
    ['HKDFExpand', () => new HKDFExpand({ algorithm: new SHA256(), length: 32, info: 'x' }), ikm],
    [
      'PBKDF2HMAC',
      () => new PBKDF2HMAC({ algorithm: new SHA256(), length: 32, salt, iterations: 10 }),
      'password',
    ],
    ['Scrypt', () => new Scrypt({ salt, length: 32, n: 16, r: 1, p: 1 }), 'password'],
    ['ConcatKDFHash', () => new ConcatKDFHash({ algorithm: new SHA256(), length: 48, otherInfo: salt }), ikm],
    ['ConcatKDFHMAC', () => new ConcatKDFHMAC({ algorithm: new SHA256(), length: 48, salt }), ikm],
    ['X963KDF', () => new X963KDF({ algorithm: new SHA256(), length: 48, sharedInfo: salt }), ikm],
    [
      'KBKDFHMAC',
      () =>
        new KBKDFHMAC({
          algorithm: new SHA256(),
          mode: Mode.CounterMode,
          length: 48,
          rlen: 4,
          llen: 4,
          location: CounterLocation.BeforeFixed,
          label: utf8('label'),
          context: utf8('context'),
        }),
      ikm,
    ],
  ];

  for (const [name, make, material] of FACTORIES) {
    describe(name, () => {
      const m = material as never;
      const expected = make().derive(m);

      test('derive is deterministic', () => {
        assert.deepEqual(make().derive(m), expected);
        assert.equal(expected.constructor, Uint8Array);
      });

      test('a second derive throws AlreadyFinalized', () => {
        const k = make();
        k.derive(m);
        assert.throws(() => k.derive(m), { name: 'AlreadyFinalized', code: 'ERR_ALREADY_FINALIZED' });
        assert.throws(() => k.verify(m, expected), AlreadyFinalized);
      });

      test('verify succeeds once, then AlreadyFinalized', () => {
        const k = make();
        k.verify(m, expected);
        assert.throws(() => k.verify(m, expected), AlreadyFinalized);
        assert.throws(() => k.derive(m), AlreadyFinalized);
      });

      test('verify throws InvalidKey on a mismatch (content or length), which also uses the object up', () => {
        const wrong = Uint8Array.from(expected);
        wrong[0] = (wrong[0] ?? 0) ^ 1;
        for (const candidate of [wrong, expected.subarray(0, expected.length - 1), new Uint8Array(0)]) {
          const k = make();
          assert.throws(
            () => k.verify(m, candidate),
            (err: unknown) =>
              err instanceof InvalidKey && err.message === 'key did not match' && err.cause === undefined,
          );
          assert.throws(() => k.derive(m), AlreadyFinalized);
        }
      });

      test('different key material derives something else', () => {
        const other = typeof material === 'string' ? `${material}!` : Uint8Array.of(...material, 1);
        assert.notDeepEqual(make().derive(other as never), expected);
      });
    });
  }

  for (const [name, make] of [
    ['PBKDF2HMAC', () => new PBKDF2HMAC({ algorithm: new SHA512(), length: 40, salt, iterations: 50 })],
    ['Scrypt', () => new Scrypt({ salt, length: 40, n: 1024, r: 8, p: 1 })],
  ] as const) {
    describe(`${name} async`, () => {
      const expected = make().derive('pw');

      test('deriveAsync equals derive, and equals node', async () => {
        assert.deepEqual(await make().deriveAsync('pw'), expected);
        assert.deepEqual(await make().deriveAsync(utf8('pw')), expected);
        const node =
          name === 'Scrypt'
            ? scryptSync('pw', salt, 40, { N: 1024, r: 8, p: 1 })
            : pbkdf2Sync('pw', salt, 50, 40, 'sha512');
        assert.deepEqual(Buffer.from(expected), node);
      });

      test('deriveAsync is single-use, with derive and verify alike', async () => {
        const k = make();
        await k.deriveAsync('pw');
        await assert.rejects(k.deriveAsync('pw'), AlreadyFinalized);
        await assert.rejects(k.verifyAsync('pw', expected), AlreadyFinalized);
        assert.throws(() => k.derive('pw'), AlreadyFinalized);
        const j = make();
        j.derive('pw');
        await assert.rejects(j.deriveAsync('pw'), AlreadyFinalized);
      });

      test('verifyAsync resolves on a match and rejects with InvalidKey otherwise', async () => {
        await make().verifyAsync('pw', expected);
        await assert.rejects(make().verifyAsync('pW', expected), InvalidKey);
        await assert.rejects(make().verifyAsync('pw', expected.subarray(1)), InvalidKey);
      });

      test('two concurrent deriveAsync calls on one object: one wins, one is AlreadyFinalized', async () => {
        const k = make();
        const results = await Promise.allSettled([k.deriveAsync('pw'), k.deriveAsync('pw')]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        const rejected = results.find((r) => r.status === 'rejected');
        assert.ok(rejected?.status === 'rejected' && rejected.reason instanceof AlreadyFinalized);
      });
    });
  }

  test('HKDF with info longer than node accepts (1024 bytes) still matches RFC 5869', () => {
    // Compare the HMAC fallback against node's native HKDF at the boundary and by composition.
    const info = new Uint8Array(1025).fill(0x61);
    const out = new HKDF({ algorithm: new SHA256(), length: 80, salt, info }).derive(ikm);
    const prk = createHmac('sha256', salt).update(ikm).digest();
    let t = Buffer.alloc(0);
    const okm: Buffer[] = [];
    for (let i = 1; okm.reduce((n, b) => n + b.length, 0) < 80; i++) {
      t = createHmac('sha256', prk).update(t).update(info).update(Uint8Array.of(i)).digest();
      okm.push(t);
    }
    assert.deepEqual(Buffer.from(out), Buffer.concat(okm).subarray(0, 80));
  });
});

// ---------------------------------------------------------------------------------------------------
describe('bytesEqual', () => {
  test('equal, unequal, different lengths, empty', () => {
    assert.equal(bytesEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3)), true);
    assert.equal(bytesEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4)), false);
    assert.equal(bytesEqual(Uint8Array.of(0, 2, 3), Uint8Array.of(1, 2, 3)), false);
    assert.equal(bytesEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2)), false);
    assert.equal(bytesEqual(new Uint8Array(0), new Uint8Array(0)), true);
    assert.equal(bytesEqual(new Uint8Array(0), Uint8Array.of(0)), false);
  });

  test('a Buffer and a Uint8Array with the same bytes are equal; views compare their window only', () => {
    assert.equal(bytesEqual(Buffer.from([9, 8]), Uint8Array.of(9, 8)), true);
    const big = Uint8Array.of(0, 9, 8, 0);
    assert.equal(bytesEqual(big.subarray(1, 3), Uint8Array.of(9, 8)), true);
  });

  test('non-bytes are a TypeError naming the argument', () => {
    assert.throws(() => bytesEqual('ab' as never, Uint8Array.of(1)), { name: 'TypeError', message: /^"a"/ });
    assert.throws(() => bytesEqual(Uint8Array.of(1), [1] as never), { name: 'TypeError', message: /^"b"/ });
  });
});

// ---------------------------------------------------------------------------------------------------
describe('randomness', () => {
  test('randomBytes: exact lengths, plain Uint8Array, bounds', () => {
    for (const n of [0, 1, 16, 33, 4096, 70_000]) {
      const b = randomBytes(n);
      assert.equal(b.length, n);
      assert.equal(b.constructor, Uint8Array);
    }
    assert.equal(randomBytes(MAX_RANDOM_BYTES).length, MAX_RANDOM_BYTES);
    assert.throws(() => randomBytes(MAX_RANDOM_BYTES + 1), {
      name: 'RangeError',
      message: /^"n" must be between 0 and/,
    });
    assert.throws(() => randomBytes(-1), RangeError);
    assert.throws(() => randomBytes('16' as never), TypeError);
  });

  test('randomBytes: distinct draws, not all zero', () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    assert.notDeepEqual(a, b);
    assert.ok(a.some((x) => x !== 0));
  });

  test('randomToken: 256 bits by default, unpadded base64url', () => {
    const t = randomToken();
    assert.equal(t.length, 43);
    assert.match(t, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(t, 'base64url').length, 32);
    assert.notEqual(randomToken(), randomToken());
  });

  test('randomToken: length follows the byte count, at both bounds', () => {
    for (const n of [16, 17, 18, 32, 100, 1024]) {
      const t = randomToken(n);
      assert.equal(t.length, Math.ceil((n * 4) / 3), `bytes=${n}`);
      assert.match(t, /^[A-Za-z0-9_-]+$/);
      assert.equal(Buffer.from(t, 'base64url').length, n);
    }
  });

  test('randomToken: fewer than 128 bits, or more than 1024 bytes, is a RangeError', () => {
    for (const n of [0, 1, 15, 1025]) {
      assert.throws(() => randomToken(n), {
        name: 'RangeError',
        message: /^"bytes" must be between 16 and 1024/,
      });
    }
  });

  test('randomToken uses the whole alphabet (over many draws)', () => {
    const seen = new Set(Array.from({ length: 200 }, () => randomToken(64)).join(''));
    assert.equal(seen.size, 64);
  });
});

// ---------------------------------------------------------------------------------------------------
describe('error classes', () => {
  interface ErrorSpec {
    readonly make: () => CofferError;
    readonly code: string;
    /** Opaque: a fixed message whatever the arguments, and no cause. */
    readonly opaque?: string;
  }
  const SPECS: Record<string, ErrorSpec> = {
    InvalidTag: {
      make: () => new InvalidTag(),
      code: 'ERR_INVALID_TAG',
      opaque: 'authentication tag did not verify',
    },
    InvalidSignature: {
      make: () => new InvalidSignature(),
      code: 'ERR_INVALID_SIGNATURE',
      opaque: 'signature did not verify',
    },
    InvalidToken: { make: () => new InvalidToken(), code: 'ERR_INVALID_TOKEN', opaque: 'token is invalid' },
    InvalidKey: { make: () => new InvalidKey(), code: 'ERR_INVALID_KEY', opaque: 'key did not match' },
    InvalidUnwrap: {
      make: () => new InvalidUnwrap(),
      code: 'ERR_INVALID_UNWRAP',
      opaque: 'key unwrap failed',
    },
    AlreadyFinalized: { make: () => new AlreadyFinalized(), code: 'ERR_ALREADY_FINALIZED' },
    UnsupportedAlgorithm: {
      make: () => new UnsupportedAlgorithm('no such thing'),
      code: 'ERR_UNSUPPORTED_ALGORITHM',
    },
    DecodeError: { make: () => new DecodeError('bad hex'), code: 'ERR_DECODE' },
    KeyNotFound: { make: () => new KeyNotFound('k1'), code: 'ERR_KEY_NOT_FOUND' },
    KeyDisabled: { make: () => new KeyDisabled('k1'), code: 'ERR_KEY_DISABLED' },
    NoIdentityMatch: { make: () => new errors.NoIdentityMatch(), code: 'ERR_NO_IDENTITY_MATCH' },
    AgeFileDamaged: { make: () => new errors.AgeFileDamaged('mac'), code: 'ERR_AGE_FILE_DAMAGED' },
    PinMismatch: { make: () => new errors.PinMismatch('example.com', ['pin']), code: 'ERR_PIN_MISMATCH' },
  };

  /** Every error class errors.ts exports, found by walking the module (new classes are picked up). */
  const exported = Object.entries(errors as Record<string, unknown>).filter(
    (entry): entry is [string, new (...args: never[]) => CofferError] =>
      typeof entry[1] === 'function' && entry[1].prototype instanceof CofferError,
  );

  test('the known classes are all exported', () => {
    const names = new Set(exported.map(([name]) => name));
    for (const name of Object.keys(SPECS)) assert.ok(names.has(name), name);
  });

  for (const [name, Class] of exported) {
    test(`${name}: name, code, prototype chain`, () => {
      const spec = SPECS[name];
      const err = spec ? spec.make() : new (Class as unknown as new (m: string) => CofferError)('message');
      assert.equal(err.name, name);
      assert.equal(err.constructor, Class);
      assert.ok(err instanceof CofferError);
      assert.ok(err instanceof Error);
      assert.match(err.code, /^ERR_[A-Z_]+$/);
      if (spec) assert.equal(err.code, spec.code);
      assert.ok(err.stack?.startsWith(`${name}: `));
      assert.equal(Object.prototype.toString.call(err), '[object Error]');
    });
  }

  test('codes are distinct across classes', () => {
    const codes = exported.map(([name]) => {
      const spec = SPECS[name];
      return spec ? spec.make().code : undefined;
    });
    const known = codes.filter((c) => c !== undefined);
    assert.equal(new Set(known).size, known.length);
  });

  test('opaque errors: one fixed message whatever they are given, and no cause', () => {
    for (const [name, spec] of Object.entries(SPECS)) {
      if (spec.opaque === undefined) continue;
      const Class = (errors as unknown as Record<string, new (...args: unknown[]) => CofferError>)[name];
      assert.ok(Class);
      const plain = spec.make();
      const provoked = new Class('byte 7 of the tag differed', { cause: new Error('secret detail') });
      for (const err of [plain, provoked]) {
        assert.equal(err.message, spec.opaque, name);
        assert.ok(!('cause' in err), `${name} has a cause`);
        assert.deepEqual(Object.keys(err).sort(), ['code', 'name'], `${name} own keys`);
      }
    }
  });

  test('KeyNotFound and KeyDisabled carry the (public) key id', () => {
    const nf = new KeyNotFound('webhooks-2026');
    assert.equal(nf.keyId, 'webhooks-2026');
    assert.equal(nf.message, 'no key with id "webhooks-2026" in this keyring');
    const d = new KeyDisabled('k"1');
    assert.equal(d.keyId, 'k"1');
    assert.match(d.message, /^key "k\\"1" is disabled$/);
  });

  test('AlreadyFinalized names what was finalized', () => {
    assert.equal(new AlreadyFinalized().message, 'context has already been finalized');
    assert.equal(new AlreadyFinalized('HKDF').message, 'HKDF has already been finalized');
  });

  test('the base class keeps an optional cause (for non-opaque errors only)', () => {
    const cause = new Error('inner');
    const err = new CofferError('ERR_DECODE', 'outer', { cause });
    assert.equal(err.cause, cause);
    assert.equal(err.name, 'CofferError');
  });
});
