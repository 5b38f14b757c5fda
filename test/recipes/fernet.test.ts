// Fernet and MultiFernet: the shared Fernet vectors (one test each), time semantics, MultiFernet rotation,
// hostile inputs, fast-check properties and redaction. Live interop with pyca is in fernet-pyca.test.ts.
import assert from 'node:assert/strict';
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import fc from 'fast-check';
import {
  encodeFernetToken,
  MAX_PLAINTEXT_BYTES,
  MIN_TOKEN_BYTES,
  parseFernetToken,
  readTimestampBig,
} from '../../src/formats/fernet-token.ts';
import { DecodeError, Fernet, InvalidToken, MultiFernet } from '../../src/index.ts';
import { encryptWithIv } from '../../src/recipes/fernet.ts';
import {
  expectTypedRejection,
  hostileBytesLike,
  hostileInstances,
  hostileIntegers,
  integerKind,
  SECRET_MARKER,
} from '../helpers/hostile.ts';
import { loadJson, vectorSkip } from '../helpers/vectors.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();
const TOKEN_MESSAGE = new InvalidToken().message;

/** Asserts `fn` throws InvalidToken with the one fixed message and no cause. */
function assertInvalid(fn: () => unknown, what = ''): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught !== undefined, `expected InvalidToken, got success ${what}`);
  assert.ok(caught instanceof InvalidToken, `expected InvalidToken, got ${String(caught)} ${what}`);
  assert.equal(caught.message, TOKEN_MESSAGE);
  assert.equal(caught.code, 'ERR_INVALID_TOKEN');
  assert.equal(caught.cause, undefined);
  assert.ok(!Object.hasOwn(caught, 'cause'));
}

const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
const padded = (b: Uint8Array): string => {
  const s = b64url(b);
  return s + '='.repeat((4 - (s.length % 4)) % 4);
};
const fromToken = (t: string): Buffer => Buffer.from(t, 'base64url');
const unixOf = (iso: string): number => Date.parse(iso) / 1000;

/** A token built straight from node:crypto, for timestamps and layouts the recipe will not write. */
function forge(key: Uint8Array, timestamp: bigint, plaintext: Uint8Array, iv = randomBytes(16)): string {
  const c = createCipheriv('aes-128-cbc', key.subarray(16), iv);
  const ciphertext = Buffer.concat([c.update(plaintext), c.final()]);
  const header = Buffer.alloc(9);
  header[0] = 0x80;
  header.writeBigUInt64BE(timestamp, 1);
  const mac = createHmac('sha256', key.subarray(0, 16))
    .update(Buffer.concat([header, iv, ciphertext]))
    .digest();
  return encodeFernetToken({ timestamp, iv, ciphertext, hmac: mac });
}

// ---------------------------------------------------------------------------------------------------------
// Shared vectors

interface GenerateVector {
  token: string;
  now: string;
  iv: number[];
  src: string;
  secret: string;
}
interface VerifyVector {
  token: string;
  now: string;
  ttl_sec: number;
  src: string;
  secret: string;
}
interface InvalidVector {
  desc: string;
  token: string;
  now: string;
  ttl_sec: number;
  secret: string;
}

describe('Fernet vectors: generate.json', { skip: vectorSkip('fernet/generate.json') }, () => {
  const vectors = vectorSkip('fernet/generate.json')
    ? []
    : loadJson<GenerateVector[]>('fernet/generate.json');
  vectors.forEach((v, i) => {
    test(`generate #${i}: ${JSON.stringify(v.src)} at ${v.now}`, () => {
      const f = new Fernet(v.secret);
      const token = encryptWithIv(f, v.src, unixOf(v.now), Uint8Array.from(v.iv));
      assert.equal(token, v.token);
      assert.equal(dec.decode(f.decrypt(token)), v.src);
      assert.equal(f.extractTimestamp(token), unixOf(v.now));
    });
  });
});

describe('Fernet vectors: verify.json', { skip: vectorSkip('fernet/verify.json') }, () => {
  const vectors = vectorSkip('fernet/verify.json') ? [] : loadJson<VerifyVector[]>('fernet/verify.json');
  vectors.forEach((v, i) => {
    test(`verify #${i}: ${JSON.stringify(v.src)} at ${v.now}, ttl ${v.ttl_sec}`, () => {
      const f = new Fernet(v.secret);
      const at = unixOf(v.now);
      assert.equal(dec.decode(f.decryptAtTime(v.token, v.ttl_sec, at)), v.src);
      assert.equal(dec.decode(f.decryptAtTime(enc.encode(v.token), v.ttl_sec, at)), v.src);
      assert.equal(dec.decode(new MultiFernet([f]).decryptAtTime(v.token, v.ttl_sec, at)), v.src);
      assert.equal(dec.decode(f.decrypt(v.token)), v.src);
    });
  });
});

describe('Fernet vectors: invalid.json', { skip: vectorSkip('fernet/invalid.json') }, () => {
  const vectors = vectorSkip('fernet/invalid.json') ? [] : loadJson<InvalidVector[]>('fernet/invalid.json');
  const messages = new Set<string>();
  for (const v of vectors) {
    test(v.desc, () => {
      const f = new Fernet(v.secret);
      const at = unixOf(v.now);
      for (const token of [v.token, enc.encode(v.token)]) {
        assertInvalid(() => f.decryptAtTime(token, v.ttl_sec, at));
        assertInvalid(() => new MultiFernet([f]).decryptAtTime(token, v.ttl_sec, at));
      }
      try {
        f.decryptAtTime(v.token, v.ttl_sec, at);
      } catch (err) {
        messages.add((err as Error).message);
      }
    });
  }
  test('every invalid vector fails with the identical message', () => {
    assert.equal(messages.size, 1);
    assert.deepEqual([...messages], [TOKEN_MESSAGE]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Keys

describe('Fernet keys', () => {
  test('generateKey: 32 random bytes as padded url-safe base64 (44 characters)', () => {
    const keys = new Set<string>();
    for (let i = 0; i < 64; i++) {
      const k = Fernet.generateKey();
      assert.match(k, /^[A-Za-z0-9_-]{43}=$/);
      assert.equal(Buffer.from(k, 'base64url').length, 32);
      keys.add(k);
    }
    assert.equal(keys.size, 64);
  });

  test('the padded text, the unpadded text and the raw bytes are the same key', () => {
    const raw = randomBytes(32);
    const forms = [new Fernet(padded(raw)), new Fernet(b64url(raw)), new Fernet(new Uint8Array(raw))];
    for (const a of forms) {
      const token = a.encrypt('same key');
      for (const b of forms) assert.equal(dec.decode(b.decrypt(token)), 'same key');
    }
  });

  test('raw key bytes are copied: wiping the caller array changes nothing', () => {
    const raw = new Uint8Array(randomBytes(32));
    const f = new Fernet(raw);
    const token = f.encrypt('x');
    raw.fill(0);
    assert.equal(dec.decode(f.decrypt(token)), 'x');
    assert.throws(() => new Fernet(raw).decrypt(token), InvalidToken);
  });

  test('keys of the wrong length are RangeErrors', () => {
    for (const n of [0, 1, 16, 31, 33, 43, 44, 64]) {
      assert.throws(() => new Fernet(new Uint8Array(n)), {
        name: 'RangeError',
        message: new RegExp(`^"key" must be 32 bytes, got ${n}`),
      });
    }
    assert.throws(() => new Fernet(Buffer.from(Fernet.generateKey())), /pass a base64url key as a string/);
    for (const n of [0, 1, 16, 31, 33, 48, 64]) {
      const text = padded(randomBytes(n));
      assert.throws(() => new Fernet(text), {
        name: 'RangeError',
        message: `"key" must decode to 32 bytes, got ${n}`,
      });
    }
  });

  test('malformed key text is a DecodeError that never repeats the key', () => {
    const good = Fernet.generateKey();
    const raw = fromToken(good);
    const lastIndex = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(good[42]!);
    const bad = [
      `${good}\n`,
      ` ${good}`,
      `${good.slice(0, 20)} ${good.slice(20)}`,
      raw.toString('base64'), // standard alphabet (may hold + or /)
      `${good.slice(0, 42)}${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[lastIndex | 1]}=`,
      `${good}=`,
      `${good.slice(0, 43)}==`,
      '%'.repeat(44),
      `${good.slice(0, 40)}é${good.slice(41)}`,
      raw.toString('hex'), // 64 hex digits: valid base64url of 48 bytes, so a RangeError
    ];
    for (const text of bad) {
      if (text === raw.toString('base64') && !/[+/]/.test(text)) continue; // no + or / this time
      let caught: unknown;
      try {
        new Fernet(text);
      } catch (err) {
        caught = err;
      }
      assert.ok(
        caught instanceof DecodeError || caught instanceof RangeError,
        `${JSON.stringify(text)}: ${String(caught)}`,
      );
      const message = (caught as Error).message;
      assert.match(message, /^"key" /);
      for (let i = 0; i + 8 <= good.length; i++) assert.ok(!message.includes(good.slice(i, i + 8)), message);
      assert.ok(!message.includes(raw.toString('hex').slice(0, 16)), message);
    }
  });

  test('keys that are neither text nor bytes are TypeErrors naming "key"', async () => {
    for (const h of hostileBytesLike) {
      await expectTypedRejection(() => new Fernet(h.value as string), { kind: 'TypeError', label: 'key' });
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Round trips and time

describe('Fernet round trips', () => {
  const f = new Fernet(Fernet.generateKey());

  test('every length 0..100 and around block boundaries, bytes and strings', () => {
    const lengths = [...Array(101).keys(), 127, 128, 129, 255, 256, 257, 1023, 1024, 1025, 4095, 4096, 4097];
    for (const n of lengths) {
      const data = new Uint8Array(randomBytes(n));
      const token = f.encrypt(data);
      assert.equal(fromToken(token).length, 57 + 16 * (Math.floor(n / 16) + 1));
      assert.match(token, /^[A-Za-z0-9_-]*={0,2}$/);
      assert.equal(token.length % 4, 0);
      const out = f.decrypt(token);
      assert.equal(out.constructor, Uint8Array);
      assert.deepEqual(out, data);
      assert.deepEqual(f.decrypt(enc.encode(token)), data);
    }
    assert.equal(dec.decode(f.decrypt(f.encrypt('héllo wörld ✓'))), 'héllo wörld ✓');
    assert.equal(f.decrypt(f.encrypt('')).length, 0);
  });

  test('plaintext is never in a buffer shared with other data', () => {
    for (const n of [0, 5, 64, 3000, 10_000]) {
      const out = f.decrypt(f.encrypt(new Uint8Array(n).fill(9)));
      assert.equal(out.byteOffset, 0);
      assert.equal(out.buffer.byteLength, n);
    }
  });

  test('two encryptions of the same data differ (fresh IV)', () => {
    const a = f.encryptAtTime('same', 1000);
    const b = f.encryptAtTime('same', 1000);
    assert.notEqual(a, b);
    assert.notDeepEqual(parseFernetToken(a)!.iv, parseFernetToken(b)!.iv);
  });

  test('encrypt stamps the current time; extractTimestamp reads it after the HMAC', () => {
    const before = Math.floor(Date.now() / 1000);
    const token = f.encrypt('now');
    const after = Math.floor(Date.now() / 1000);
    const ts = f.extractTimestamp(token);
    assert.ok(ts >= before && ts <= after);
    assert.equal(f.extractTimestamp(f.encryptAtTime('x', 0)), 0);
    assert.equal(f.extractTimestamp(f.encryptAtTime('x', Number.MAX_SAFE_INTEGER)), Number.MAX_SAFE_INTEGER);
    assertInvalid(() => new Fernet(Fernet.generateKey()).extractTimestamp(token));
    const tampered = fromToken(token);
    tampered[tampered.length - 1]! ^= 1;
    assertInvalid(() => f.extractTimestamp(padded(tampered)));
  });

  test('ttl: expired exactly when timestamp + ttl < now (pyca)', () => {
    const T = 1_000_000;
    const token = f.encryptAtTime('t', T);
    assert.equal(dec.decode(f.decryptAtTime(token, 10, T + 10)), 't');
    assertInvalid(() => f.decryptAtTime(token, 10, T + 11));
    assert.equal(dec.decode(f.decryptAtTime(token, 0, T)), 't');
    assertInvalid(() => f.decryptAtTime(token, 0, T + 1));
    // Without a ttl the timestamp is not looked at.
    assert.equal(dec.decode(f.decrypt(token)), 't');
  });

  test('ttl: refused when more than 60 s in the future (pyca _MAX_CLOCK_SKEW)', () => {
    const T = 1_000_000;
    const token = f.encryptAtTime('t', T);
    assert.equal(dec.decode(f.decryptAtTime(token, 10, T - 60)), 't');
    assertInvalid(() => f.decryptAtTime(token, 10, T - 61));
    assertInvalid(() => f.decryptAtTime(token, Number.MAX_SAFE_INTEGER, 0));
    const future = f.encryptAtTime('t', Math.floor(Date.now() / 1000) + 3600);
    assert.equal(dec.decode(f.decrypt(future)), 't');
    assertInvalid(() => f.decrypt(future, 7200));
  });

  test('decrypt(token, ttl) uses the current clock', () => {
    const now = Math.floor(Date.now() / 1000);
    assert.equal(dec.decode(f.decrypt(f.encrypt('fresh'), 5)), 'fresh');
    assertInvalid(() => f.decrypt(f.encryptAtTime('old', now - 100), 10));
    assert.equal(dec.decode(f.decrypt(f.encryptAtTime('old', now - 100), 1000)), 'old');
  });

  test('timestamps beyond 2^53 (only a key holder can write them) are handled exactly', () => {
    const key = new Uint8Array(randomBytes(32));
    const g = new Fernet(key);
    for (const ts of [2n ** 53n, 2n ** 53n + 1n, 2n ** 64n - 1n]) {
      const token = forge(key, ts, enc.encode('far'));
      assert.equal(dec.decode(g.decrypt(token)), 'far');
      assertInvalid(() => g.decryptAtTime(token, 10, 2 ** 53 - 100));
      assert.throws(() => g.extractTimestamp(token), { name: 'RangeError', message: /MAX_SAFE_INTEGER/ });
      const rotated = new MultiFernet([new Fernet(Fernet.generateKey()), g]).rotate(token);
      assert.equal(readTimestampBig(fromToken(rotated)), ts);
    }
    // 2^53 is within 60 s of now = 2^53 - 1 and so is not too far ahead.
    const edge = forge(key, 2n ** 53n + 58n, enc.encode('edge'));
    assert.equal(dec.decode(g.decryptAtTime(edge, 0, Number.MAX_SAFE_INTEGER)), 'edge');
    assertInvalid(() =>
      g.decryptAtTime(forge(key, 2n ** 53n + 60n, enc.encode('x')), 0, Number.MAX_SAFE_INTEGER),
    );
  });

  test('too-large plaintext is a RangeError before any work', () => {
    assert.ok(MAX_PLAINTEXT_BYTES > 300 * 1024 * 1024);
    const fake = new Uint8Array(new ArrayBuffer(8));
    Object.defineProperty(fake, 'length', { value: MAX_PLAINTEXT_BYTES + 1 });
    assert.throws(() => f.encrypt(fake), { name: 'RangeError', message: /"data" must be at most/ });
  });
});

// ---------------------------------------------------------------------------------------------------------
// MultiFernet

describe('MultiFernet', () => {
  const a = new Fernet(Fernet.generateKey());
  const b = new Fernet(Fernet.generateKey());
  const c = new Fernet(Fernet.generateKey());

  test('encrypts with the first key, decrypts with any', () => {
    const mf = new MultiFernet([a, b]);
    const token = mf.encrypt('hi');
    assert.equal(dec.decode(a.decrypt(token)), 'hi');
    assertInvalid(() => b.decrypt(token));
    assert.equal(dec.decode(mf.decrypt(b.encrypt('from b'))), 'from b');
    assert.equal(dec.decode(mf.decrypt(b.encrypt('from b'), 60)), 'from b');
    assertInvalid(() => mf.decrypt(c.encrypt('from c')));
    assert.equal(mf.extractTimestamp(b.encryptAtTime('x', 1234)), 1234);
    assertInvalid(() => mf.extractTimestamp(c.encryptAtTime('x', 1234)));
    assert.equal(a.extractTimestamp(mf.encryptAtTime('x', 99)), 99);
    assert.equal(dec.decode(mf.decryptAtTime(b.encryptAtTime('x', 99), 1, 100)), 'x');
    assertInvalid(() => mf.decryptAtTime(b.encryptAtTime('x', 99), 1, 101));
  });

  test('rotate re-encrypts under the first key and keeps the timestamp', () => {
    const old = b.encryptAtTime('rotate me', 123_456);
    const mf = new MultiFernet([a, b]);
    const rotated = mf.rotate(old);
    assert.notEqual(rotated, old);
    assert.equal(dec.decode(a.decrypt(rotated)), 'rotate me');
    assert.equal(a.extractTimestamp(rotated), 123_456);
    assertInvalid(() => b.decrypt(rotated));
    // An expired token still rotates (pyca does not check age there) and stays expired.
    assertInvalid(() => a.decryptAtTime(rotated, 10, 200_000));
    // Rotating a token already under the first key gives a fresh token.
    const again = mf.rotate(rotated);
    assert.notEqual(again, rotated);
    assert.equal(a.extractTimestamp(again), 123_456);
    assertInvalid(() => mf.rotate(c.encrypt('unknown key')));
    assertInvalid(() => mf.rotate('not a token'));
  });

  test('a key whose HMAC verifies but whose padding fails does not stop the search (as pyca)', () => {
    const signing = new Uint8Array(16).fill(0x11);
    const k1 = new Uint8Array(32);
    const k2 = new Uint8Array(32);
    k1.set(signing);
    k2.set(signing);
    k1.fill(0x22, 16);
    k2.fill(0x33, 16);
    const f1 = new Fernet(k1);
    const f2 = new Fernet(k2);
    const token = encryptWithIv(f2, 'second key', 1000, new Uint8Array(16).fill(0x44));
    assert.equal(f1.extractTimestamp(token), 1000); // the shared signing half verifies
    assertInvalid(() => f1.decrypt(token)); // but the padding under the wrong half does not
    assert.equal(dec.decode(new MultiFernet([f1, f2]).decrypt(token)), 'second key');
  });

  test('takes any iterable of Fernet; refuses empty lists and impostors', async () => {
    assert.equal(dec.decode(new MultiFernet(new Set([a])).decrypt(a.encrypt('s'))), 's');
    assert.equal(
      dec.decode(
        new MultiFernet(
          (function* () {
            yield b;
            yield a;
          })(),
        ).decrypt(a.encrypt('g')),
      ),
      'g',
    );
    assert.throws(() => new MultiFernet([]), {
      name: 'RangeError',
      message: /"fernets" must hold at least one/,
    });
    for (const h of hostileInstances) {
      await expectTypedRejection(() => new MultiFernet([a, h.value as Fernet]), {
        kind: 'TypeError',
        label: 'fernets',
      });
    }
    for (const value of [null, undefined, 0, 'abc', a, {}, Fernet.generateKey()]) {
      await expectTypedRejection(() => new MultiFernet(value as unknown as Fernet[]), {
        kind: 'TypeError',
        label: 'fernets',
      });
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Hostile tokens: every way to be wrong is the same InvalidToken

describe('hostile tokens', () => {
  const key = new Uint8Array(randomBytes(32));
  const f = new Fernet(key);
  const mf = new MultiFernet([new Fernet(Fernet.generateKey()), f]);
  // 37 bytes: 3 blocks, 105-byte token, text ends in one "=" (and one with "==", and one with none).
  const tokens = [
    f.encryptAtTime(new Uint8Array(37), 1000),
    f.encryptAtTime('x', 1000),
    f.encryptAtTime(new Uint8Array(20), 1000),
  ];
  const endings = tokens.map((t) => t.length - t.replace(/=+$/, '').length).sort();
  const paths: [string, (t: string | Uint8Array) => unknown][] = [
    ['decrypt', (t) => f.decrypt(t)],
    ['decrypt ttl', (t) => f.decrypt(t, 10 ** 12)],
    ['decryptAtTime', (t) => f.decryptAtTime(t, 10 ** 9, 1000)],
    ['extractTimestamp', (t) => f.extractTimestamp(t)],
    ['MultiFernet.decrypt', (t) => mf.decrypt(t)],
    ['MultiFernet.decryptAtTime', (t) => mf.decryptAtTime(t, 10 ** 9, 1000)],
    ['MultiFernet.rotate', (t) => mf.rotate(t)],
    ['MultiFernet.extractTimestamp', (t) => mf.extractTimestamp(t)],
  ];
  const rejectEverywhere = (t: string | Uint8Array, what: string) => {
    for (const [name, fn] of paths) assertInvalid(() => fn(t), `${name}: ${what}`);
  };

  test('the tokens under test cover all three paddings and open on every path', () => {
    assert.deepEqual(endings, [0, 1, 2]);
    for (const t of tokens) for (const [, fn] of paths) fn(t);
  });

  test('truncated text at every length', () => {
    for (const t of tokens) {
      for (let n = 0; n < t.length; n++) rejectEverywhere(t.slice(0, n), `text[0..${n}]`);
    }
  });

  test('truncated bytes at every length, canonically re-encoded', () => {
    for (const t of tokens) {
      const raw = fromToken(t);
      for (let n = 0; n < raw.length; n++) rejectEverywhere(padded(raw.subarray(0, n)), `bytes[0..${n}]`);
      for (let n = 1; n < raw.length; n++) rejectEverywhere(padded(raw.subarray(n)), `bytes[${n}..]`);
    }
  });

  test('every single-bit flip of the token bytes', () => {
    for (const t of tokens) {
      const raw = fromToken(t);
      for (let i = 0; i < raw.length * 8; i++) {
        const flipped = Buffer.from(raw);
        flipped[i >> 3]! ^= 1 << (i & 7);
        rejectEverywhere(padded(flipped), `bit ${i}`);
      }
    }
  });

  test('every single-bit flip of every character of the text (trailing bits included)', () => {
    for (const t of tokens) {
      for (let i = 0; i < t.length; i++) {
        for (let bit = 0; bit < 16; bit++) {
          const ch = String.fromCharCode(t.charCodeAt(i) ^ (1 << bit));
          const variant = t.slice(0, i) + ch + t.slice(i + 1);
          assert.notEqual(variant, t);
          assertInvalid(() => f.decrypt(variant), `char ${i} bit ${bit}`);
          if (bit < 8) assertInvalid(() => f.decrypt(Buffer.from(variant, 'latin1')), `byte ${i} bit ${bit}`);
        }
      }
    }
  });

  test('every other character (0..0x1FF, and a few beyond) in every position of a short token', () => {
    const t = tokens[1]!;
    const extra = [
      0x2b, 0x2f, 0x3d, 0x20, 0x0a, 0x09, 0x00, 0xe9, 0x12b, 0x12d, 0x15f, 0x2028, 0xfeff, 0xd800, 0xffff,
    ];
    for (let i = 0; i < t.length; i++) {
      for (const code of [...Array(0x200).keys(), ...extra]) {
        const ch = String.fromCharCode(code);
        if (ch === t[i]) continue;
        const variant = t.slice(0, i) + ch + t.slice(i + 1);
        let ok = false;
        try {
          f.decrypt(variant);
          ok = true;
        } catch (err) {
          if (!(err instanceof InvalidToken)) throw err;
        }
        assert.equal(ok, false, `U+${code.toString(16)} at ${i}`);
      }
    }
  });

  test('spellings pyca tolerates and we do not: whitespace, +/, missing or extra padding, stray characters', () => {
    for (const t of tokens) {
      const body = t.replace(/=+$/, '');
      const variants = [
        `${t}\n`,
        `${t}\r\n`,
        ` ${t}`,
        `\t${t}`,
        `${t.slice(0, 10)} ${t.slice(10)}`,
        `${t.slice(0, 10)}\n${t.slice(10)}`,
        `${t}=`,
        `${t}==`,
        `${t}====`,
        `${t}AAAA`,
        t.replace(/-/g, '+').replace(/_/g, '/'),
        `${t.slice(0, 10)}%${t.slice(10)}`,
        `${t.slice(0, 10)}é${t.slice(10)}`,
        `${t.slice(0, 10)}\u0141${t.slice(10)}`,
        `${t.slice(0, 10)}😀${t.slice(10)}`,
        `${t.slice(0, 10)}\0${t.slice(10)}`,
      ];
      if (body !== t) variants.push(body, `${body}=`.slice(0, body.length + 1));
      for (const v of variants) {
        if (v === t) continue;
        rejectEverywhere(v, JSON.stringify(v.slice(-6)));
        rejectEverywhere(Buffer.from(v, 'utf8'), `bytes ${JSON.stringify(v.slice(-6))}`);
      }
    }
  });

  test('non-base64, empty, wrong version, wrong key, wrong layout', () => {
    const t = tokens[0]!;
    const raw = fromToken(t);
    const cases: [string, string][] = [
      ['empty', ''],
      ['=', '='],
      ['====', '===='],
      ['%%%%', '%%%%'],
      ['not a token', 'not a token'],
      ['json', '{"token":1}'],
      ['version 0x81', padded(Buffer.concat([Buffer.of(0x81), raw.subarray(1)]))],
      ['version 0x00', padded(Buffer.concat([Buffer.of(0x00), raw.subarray(1)]))],
      ['wrong key', new Fernet(Fernet.generateKey()).encryptAtTime('x', 1000)],
      [
        'ciphertext not whole blocks',
        padded(Buffer.concat([raw.subarray(0, 30), raw.subarray(raw.length - 32)])),
      ],
      ['no ciphertext', padded(Buffer.concat([raw.subarray(0, 25), raw.subarray(raw.length - 32)]))],
      ['one extra byte', padded(Buffer.concat([raw, Buffer.of(0)]))],
      ['one extra block', padded(Buffer.concat([raw.subarray(0, 25), Buffer.alloc(16), raw.subarray(25)]))],
      ['all-zero MAC', padded(Buffer.concat([raw.subarray(0, raw.length - 32), Buffer.alloc(32)]))],
      ['minimum size of zeros', padded(Buffer.concat([Buffer.of(0x80), Buffer.alloc(MIN_TOKEN_BYTES - 1)]))],
      ['standard base64', raw.toString('base64')],
    ];
    for (const [what, token] of cases) {
      if (token === t) continue;
      rejectEverywhere(token, what);
    }
  });

  test('a token sealed with a valid HMAC over a bad padding is InvalidToken', () => {
    // HMAC valid, padding byte 0x00: only a key holder could write this, and it must still fail cleanly.
    const iv = Buffer.alloc(16, 1);
    const c = createCipheriv('aes-128-cbc', key.subarray(16), iv).setAutoPadding(false);
    const ciphertext = Buffer.concat([c.update(Buffer.alloc(16, 0)), c.final()]);
    const header = Buffer.concat([Buffer.of(0x80), Buffer.alloc(8), iv, ciphertext]);
    const mac = createHmac('sha256', key.subarray(0, 16)).update(header).digest();
    const token = padded(Buffer.concat([header, mac]));
    assert.equal(f.extractTimestamp(token), 0);
    assertInvalid(() => f.decrypt(token));
    assertInvalid(() => mf.decrypt(token));
    assertInvalid(() => mf.rotate(token));
  });

  test('oversized tokens fail quickly', () => {
    const big = 'A'.repeat(8 * 1024 * 1024);
    rejectEverywhere(big, '8 MiB of A');
    const raw = randomBytes(6 * 1024 * 1024 + 9);
    raw[0] = 0x80;
    const bogus = padded(raw.subarray(0, 57 + 16 * Math.floor((raw.length - 57) / 16)));
    const start = process.hrtime.bigint();
    rejectEverywhere(bogus, '6 MiB random with a version byte');
    assert.ok(Number(process.hrtime.bigint() - start) / 1e9 < 10);
  });

  test('tokens of the wrong type are TypeErrors naming "token"', async () => {
    for (const h of hostileBytesLike) {
      for (const [, fn] of paths) {
        await expectTypedRejection(() => fn(h.value as string), { kind: 'TypeError', label: 'token' });
      }
    }
  });

  test('ttl and unixSeconds must be non-negative safe integers', async () => {
    const t = tokens[0]!;
    for (const h of hostileIntegers) {
      const kind = integerKind(h.value);
      if (h.value !== undefined) {
        await expectTypedRejection(() => f.decrypt(t, h.value as number), { kind, label: 'ttl' });
        await expectTypedRejection(() => mf.decrypt(t, h.value as number), { kind, label: 'ttl' });
      }
      await expectTypedRejection(() => f.decryptAtTime(t, h.value as number, 1000), { kind, label: 'ttl' });
      await expectTypedRejection(() => mf.decryptAtTime(t, h.value as number, 1000), { kind, label: 'ttl' });
      await expectTypedRejection(() => f.decryptAtTime(t, 10, h.value as number), {
        kind,
        label: 'unixSeconds',
      });
      await expectTypedRejection(() => f.encryptAtTime('x', h.value as number), {
        kind,
        label: 'unixSeconds',
      });
      await expectTypedRejection(() => mf.encryptAtTime('x', h.value as number), {
        kind,
        label: 'unixSeconds',
      });
    }
    // Argument errors win over a bad token: a mistake is loud whatever the token is.
    assert.throws(() => f.decrypt('garbage', -1), RangeError);
    assert.throws(() => f.decryptAtTime('garbage', 10, -1), RangeError);
  });

  test('data that is neither bytes nor a string is a TypeError naming "data"', async () => {
    for (const h of hostileBytesLike) {
      await expectTypedRejection(() => f.encrypt(h.value as string), { kind: 'TypeError', label: 'data' });
      await expectTypedRejection(() => mf.encrypt(h.value as string), { kind: 'TypeError', label: 'data' });
      await expectTypedRejection(() => f.encryptAtTime(h.value as string, 1), {
        kind: 'TypeError',
        label: 'data',
      });
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties

describe('properties (fast-check)', () => {
  const f = new Fernet(Fernet.generateKey());
  const mf = new MultiFernet([new Fernet(Fernet.generateKey()), f]);

  test('round trip for arbitrary bytes, strings and times', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        (data, at) => {
          const token = f.encryptAtTime(data, at);
          assert.deepEqual(f.decrypt(token), data);
          assert.deepEqual(f.decryptAtTime(token, 0, at), data);
          assert.equal(f.extractTimestamp(token), at);
          assert.deepEqual(mf.decrypt(mf.rotate(token)), data);
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        assert.equal(dec.decode(f.decrypt(f.encrypt(text))), text);
      }),
      { numRuns: 200 },
    );
  });

  test('random strings and bytes never throw anything but InvalidToken', () => {
    const alphabet = fc.constantFrom(
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ \n%é'.split(''),
    );
    const arbitraryText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: alphabet, minLength: 90, maxLength: 200 }),
      fc.string({ unit: 'grapheme-ascii', maxLength: 300 }),
      fc.uint8Array({ minLength: 73, maxLength: 200 }).map((b) => {
        b[0] = 0x80;
        return padded(b);
      }),
    );
    fc.assert(
      fc.property(arbitraryText, (text) => {
        for (const token of [text, Buffer.from(text, 'utf8')]) {
          for (const fn of [
            () => f.decrypt(token, 10),
            () => mf.decrypt(token),
            () => f.extractTimestamp(token),
          ]) {
            try {
              fn();
              assert.fail('a random token opened');
            } catch (err) {
              assert.ok(err instanceof InvalidToken, String(err));
            }
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  test('mutated tokens are InvalidToken unless unchanged', () => {
    const data = enc.encode('mutation target');
    const token = f.encryptAtTime(data, 5000);
    fc.assert(
      fc.property(
        fc.nat(token.length - 1),
        fc.nat(token.length),
        fc.string({ maxLength: 3 }),
        (at, cut, insert) => {
          const variant = token.slice(0, at) + insert + token.slice(Math.min(token.length, at + (cut % 4)));
          if (variant === token) {
            assert.deepEqual(f.decrypt(variant), data);
            return;
          }
          assertInvalid(() => f.decrypt(variant), JSON.stringify(variant));
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('format: encodeFernetToken and parseFernetToken round-trip', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc
          .integer({ min: 1, max: 40 })
          .chain((blocks) => fc.uint8Array({ minLength: blocks * 16, maxLength: blocks * 16 })),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (timestamp, iv, ciphertext, hmac) => {
          const text = encodeFernetToken({ timestamp, iv, ciphertext, hmac });
          const back = parseFernetToken(text);
          assert.ok(back !== null);
          assert.equal(back.timestamp, timestamp);
          assert.deepEqual(new Uint8Array(back.iv), iv);
          assert.deepEqual(new Uint8Array(back.ciphertext), ciphertext);
          assert.deepEqual(new Uint8Array(back.hmac), hmac);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('format: encodeFernetToken rejects fields of the wrong size', () => {
    const ok = {
      timestamp: 0n,
      iv: new Uint8Array(16),
      ciphertext: new Uint8Array(16),
      hmac: new Uint8Array(32),
    };
    assert.throws(() => encodeFernetToken({ ...ok, timestamp: -1n }), RangeError);
    assert.throws(() => encodeFernetToken({ ...ok, timestamp: 2n ** 64n }), RangeError);
    assert.throws(() => encodeFernetToken({ ...ok, iv: new Uint8Array(15) }), RangeError);
    assert.throws(() => encodeFernetToken({ ...ok, ciphertext: new Uint8Array(0) }), RangeError);
    assert.throws(() => encodeFernetToken({ ...ok, ciphertext: new Uint8Array(17) }), RangeError);
    assert.throws(() => encodeFernetToken({ ...ok, hmac: new Uint8Array(31) }), RangeError);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Redaction

describe('redaction', () => {
  test('String, inspect and JSON of Fernet and MultiFernet show no key material', () => {
    const raw = randomBytes(32);
    const text = padded(raw);
    const f = new Fernet(text);
    const g = new Fernet(new Uint8Array(raw));
    const mf = new MultiFernet([f, new Fernet(Fernet.generateKey())]);
    const secrets = [raw, raw.subarray(0, 16), raw.subarray(16)].flatMap((b) => [
      b.toString('hex'),
      b.toString('base64'),
      b.toString('base64url'),
    ]);
    secrets.push(text);
    for (const obj of [f, g, mf]) {
      const shown = [
        String(obj),
        `${obj}`,
        inspect(obj),
        inspect(obj, { showHidden: true, depth: Number.POSITIVE_INFINITY, customInspect: true }),
        JSON.stringify(obj),
        JSON.stringify({ nested: [obj] }),
        Object.prototype.toString.call(obj),
        JSON.stringify(Object.keys(obj)),
        JSON.stringify(Object.getOwnPropertyNames(obj)),
      ];
      for (const s of shown) {
        for (const secret of secrets) assert.ok(!s.includes(secret), `${s} contains key material`);
        assert.ok(!s.includes(SECRET_MARKER));
      }
    }
    assert.equal(String(f), 'Fernet(AES-128-CBC, HMAC-SHA256)');
    assert.equal(inspect(mf), 'MultiFernet(2 keys)');
    assert.equal(JSON.stringify(f), '{"type":"Fernet"}');
    assert.equal(JSON.stringify(mf), '{"type":"MultiFernet","keys":2}');
    assert.deepEqual(Reflect.ownKeys(f), []);
    assert.deepEqual(Reflect.ownKeys(mf), []);
  });

  test('error messages never contain key or token material', () => {
    const key = Fernet.generateKey();
    const f = new Fernet(key);
    const token = f.encrypt(SECRET_MARKER);
    for (const fn of [
      () => f.decrypt(`${token}x`),
      () => new Fernet(`${key}x`),
      () => new Fernet(key.slice(0, 40)),
    ]) {
      try {
        fn();
        assert.fail('should throw');
      } catch (err) {
        const m = (err as Error).message;
        assert.ok(
          !m.includes(key.slice(0, 10)) && !m.includes(token.slice(10, 30)) && !m.includes(SECRET_MARKER),
          m,
        );
      }
    }
  });
});
