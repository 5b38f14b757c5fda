// HOTP and TOTP: every vector of ../shared/vectors/otp/rfc-vectors.json (RFC 4226 Appendix D, RFC 6238
// Appendix B), one test each, read in place; then windows, replay refusal, the secret length policy,
// otpauth URIs through the recipe, redaction and time injection.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import { DecodeError, HOTP, InvalidToken, parseOtpauthUri, TOTP } from '../../src/index.ts';
import { SecretKey } from '../../src/keys/secret-key.ts';
import { hex, loadJson, vectorSkip } from '../helpers/vectors.ts';

interface Seed {
  ascii: string;
  hex: string;
  base32: string;
}
interface OtpVectors {
  hotp: {
    algorithm: 'SHA1';
    digits: number;
    secret: Seed;
    vectors: Array<{ counter: number; hotp: string; truncatedDecimal: number }>;
  };
  totp: {
    timeStepSeconds: number;
    t0: number;
    digits: number;
    seeds: Record<'SHA1' | 'SHA256' | 'SHA512', Seed>;
    vectors: Array<{
      time: number;
      timeStepHex: string;
      algorithm: 'SHA1' | 'SHA256' | 'SHA512';
      totp: string;
    }>;
  };
}

const FILE = 'otp/rfc-vectors.json';
const skip = vectorSkip(FILE);
const data = skip ? undefined : loadJson<OtpVectors>(FILE);

describe('RFC 4226 Appendix D (HOTP)', { skip }, () => {
  const v = data!.hotp;
  const hotp = new HOTP(hex(v.secret.hex), { digits: v.digits, algorithm: v.algorithm });
  for (const vector of v.vectors) {
    test(`counter ${vector.counter}: ${vector.hotp}`, () => {
      assert.equal(hotp.generate(vector.counter), vector.hotp);
      assert.equal(Number(vector.hotp), vector.truncatedDecimal % 10 ** v.digits);
      assert.equal(hotp.verify(vector.hotp, vector.counter), vector.counter);
      // Found by look-ahead from any earlier counter within the window.
      assert.equal(hotp.verify(vector.hotp, 0, { window: 9 }), vector.counter);
    });
  }
});

describe('RFC 6238 Appendix B (TOTP)', { skip }, () => {
  const v = data!.totp;
  for (const vector of v.vectors) {
    test(`${vector.algorithm} at ${vector.time}: ${vector.totp}`, () => {
      const seed = v.seeds[vector.algorithm];
      const totp = new TOTP(hex(seed.hex), {
        algorithm: vector.algorithm,
        digits: v.digits,
        step: v.timeStepSeconds,
        t0: v.t0,
      });
      const step = Number.parseInt(vector.timeStepHex, 16);
      assert.equal(totp.stepAt(vector.time), step);
      assert.equal(totp.generateAtTime(vector.time), vector.totp);
      assert.equal(totp.verifyAtTime(vector.totp, vector.time, { window: 0 }), step);
      // The base32 seed, through an otpauth URI, gives the same code.
      const uri = `otpauth://totp/RFC:6238?secret=${seed.base32}&algorithm=${vector.algorithm}&digits=8&period=30`;
      assert.equal(TOTP.fromUri(uri).generateAtTime(vector.time), vector.totp);
    });
  }
});

const SECRET = new Uint8Array(Buffer.from('12345678901234567890'));

describe('verify', () => {
  const totp = new TOTP(SECRET, { digits: 8 });
  const T = 1_111_111_109; // step 0x23523EC
  const step = totp.stepAt(T);

  test('accepts the steps within the window, refuses the ones past it', () => {
    for (const d of [-1, 0, 1]) {
      const code = totp.generateAtTime(T + 30 * d);
      assert.equal(totp.verifyAtTime(code, T), step + d);
    }
    for (const d of [-2, 2]) {
      assert.throws(() => totp.verifyAtTime(totp.generateAtTime(T + 30 * d), T), InvalidToken);
    }
    assert.equal(totp.verifyAtTime(totp.generateAtTime(T - 60), T, { window: 2 }), step - 2);
    assert.throws(() => totp.verifyAtTime(totp.generateAtTime(T - 30), T, { window: 0 }), InvalidToken);
  });

  test('`after` refuses the step that was already used, and every earlier one', () => {
    const code = totp.generateAtTime(T);
    const used = totp.verifyAtTime(code, T);
    assert.throws(() => totp.verifyAtTime(code, T, { after: used }), InvalidToken);
    assert.throws(() => totp.verifyAtTime(code, T + 30, { after: used }), InvalidToken);
    // The next step's code is still fine.
    assert.equal(totp.verifyAtTime(totp.generateAtTime(T + 30), T + 30, { after: used }), used + 1);
    // An older code cannot come back after a newer one was used.
    const earlier = totp.generateAtTime(T - 30);
    assert.throws(() => totp.verifyAtTime(earlier, T, { after: used }), InvalidToken);
  });

  test('HOTP: the counter passed is the lower bound, so an old code fails', () => {
    const hotp = new HOTP(SECRET);
    const next = hotp.verify(hotp.generate(5), 3, { window: 5 }) + 1;
    assert.equal(next, 6);
    assert.throws(() => hotp.verify(hotp.generate(5), next, { window: 5 }), InvalidToken);
    assert.throws(() => hotp.verify(hotp.generate(12), next, { window: 5 }), InvalidToken);
    assert.equal(hotp.verify(hotp.generate(11), next, { window: 5 }), 11);
  });

  test('when one code is valid at two counters, the later counter is returned', () => {
    // Search for a key whose 101-counter window holds one 6-digit code twice (about 0.5% of keys).
    for (let attempt = 0; attempt < 5000; attempt++) {
      const hotp = new HOTP(new Uint8Array(randomBytes(20)));
      const seen = new Map<string, number>();
      for (let c = 0; c <= 100; c++) {
        const code = hotp.generate(c);
        const first = seen.get(code);
        if (first !== undefined) {
          assert.equal(hotp.verify(code, 0, { window: 100 }), c);
          assert.equal(hotp.verify(code, 0, { window: c - 1 }), first);
          return;
        }
        seen.set(code, c);
      }
    }
    assert.fail('no collision found');
  });

  test('every failure is the same InvalidToken, with the same message', () => {
    const good = totp.generateAtTime(T);
    const wrong = String((Number(good) + 1) % 1e8).padStart(8, '0');
    const failures = [
      wrong,
      good.slice(1),
      `${good}0`,
      ` ${good.slice(1)}`,
      `${good.slice(0, 4)} ${good.slice(5)}`,
      '',
      '１２３４５６７８', // full-width digits
      '-1234567',
      '1e+07000',
      totp.generateAtTime(T + 3600),
    ];
    const messages = new Set<string>();
    for (const code of failures) {
      assert.throws(
        () => totp.verifyAtTime(code, T),
        (err: unknown) => {
          assert.ok(err instanceof InvalidToken);
          messages.add(err.message);
          return true;
        },
        JSON.stringify(code),
      );
    }
    assert.deepEqual([...messages], ['token is invalid']);
  });

  test('a code that is not a string is a TypeError (a programmer mistake)', () => {
    assert.throws(() => totp.verifyAtTime(12345678 as never, T), TypeError);
    assert.throws(() => new HOTP(SECRET).verify(Buffer.from('755224') as never, 0), TypeError);
  });

  test('windows and counters are bounded', () => {
    const hotp = new HOTP(SECRET);
    assert.throws(() => totp.verifyAtTime('12345678', T, { window: 11 }), RangeError);
    assert.throws(() => hotp.verify('755224', 0, { window: 101 }), RangeError);
    assert.throws(() => hotp.verify('755224', -1), RangeError);
    assert.throws(() => hotp.generate(2 ** 53), RangeError);
    assert.throws(() => totp.verifyAtTime('12345678', T, { after: -1 }), RangeError);
    // The top of the counter range works, and the window stops there.
    const top = Number.MAX_SAFE_INTEGER;
    assert.equal(hotp.verify(hotp.generate(top), top - 3, { window: 100 }), top);
  });
});

describe('time', () => {
  test('generate() and verify() read the clock; the AtTime twins agree with it', () => {
    const totp = TOTP.generate();
    const before = Math.floor(Date.now() / 1000);
    const code = totp.generate();
    const after = Math.floor(Date.now() / 1000);
    assert.ok([totp.generateAtTime(before), totp.generateAtTime(after)].includes(code));
    const step = totp.verify(code);
    assert.ok(step >= totp.stepAt(before) - 1 && step <= totp.stepAt(after) + 1);
  });

  test('step and t0', () => {
    const a = new TOTP(SECRET, { step: 60, t0: 1000 });
    const b = new TOTP(SECRET, { step: 30 });
    assert.equal(a.stepAt(1000), 0);
    assert.equal(a.stepAt(1059), 0);
    assert.equal(a.stepAt(1060), 1);
    assert.equal(a.generateAtTime(1000 + 60 * 7), b.generateAtTime(30 * 7));
    assert.throws(() => a.generateAtTime(999), RangeError);
    assert.throws(() => a.verifyAtTime('123456', 999), RangeError);
    assert.throws(() => a.toUri({ accountName: 'a' }), RangeError);
  });

  test('the step is 1 s to one day', () => {
    assert.throws(() => new TOTP(SECRET, { step: 0 }), RangeError);
    assert.throws(() => new TOTP(SECRET, { step: 86_401 }), RangeError);
    assert.equal(new TOTP(SECRET, { step: 86_400 }).stepAt(86_400 * 3 + 5), 3);
  });
});

describe('secrets', () => {
  test('at least 16 bytes unless enforceKeyLength is off, as in pyca; at most 1024', () => {
    assert.throws(() => new HOTP(new Uint8Array(15)), /at least 16 bytes/);
    assert.throws(() => new TOTP(new Uint8Array(10)), RangeError);
    new HOTP(new Uint8Array(16));
    const legacy = new TOTP(new Uint8Array(10).fill(1), { enforceKeyLength: false });
    assert.equal(legacy.generateAtTime(0).length, 6);
    assert.throws(() => new HOTP(new Uint8Array(0), { enforceKeyLength: false }), RangeError);
    assert.throws(() => new HOTP(new Uint8Array(1025)), RangeError);
    assert.throws(() => new HOTP(SECRET, { enforceKeyLength: 'no' as never }), TypeError);
  });

  test('generate() makes 20, 32 or 64 bytes, as the RFC 6238 reference seeds', () => {
    for (const [algorithm, bytes] of [
      ['SHA1', 20],
      ['SHA256', 32],
      ['SHA512', 64],
    ] as const) {
      const uri = TOTP.generate({ algorithm }).toUri({ accountName: 'a' });
      const secret = new URL(uri).searchParams.get('secret')!;
      assert.equal(secret.length, Math.ceil((bytes * 8) / 5), algorithm);
    }
    assert.notEqual(
      HOTP.generate().toUri({ accountName: 'a', counter: 0 }),
      HOTP.generate().toUri({ accountName: 'a', counter: 0 }),
    );
  });

  test('a SecretKey works, and the instance keeps its own copy of raw bytes', () => {
    const bytes = new Uint8Array(SECRET);
    const fromBytes = new HOTP(bytes);
    const fromKey = new HOTP(SecretKey.fromBytes(SECRET));
    bytes.fill(0);
    assert.equal(fromBytes.generate(0), '755224');
    assert.equal(fromKey.generate(0), '755224');
  });

  test('the secret never shows in String, JSON or inspect', () => {
    const totp = new TOTP(SECRET, { digits: 8, algorithm: 'SHA256' });
    const hotp = new HOTP(SECRET);
    for (const text of [
      String(totp),
      JSON.stringify(totp),
      inspect(totp, { showHidden: true, depth: 5 }),
      String(hotp),
      JSON.stringify(hotp),
      inspect(hotp, { showHidden: true, depth: 5 }),
    ]) {
      assert.ok(!text.includes('GEZDGNBV'), text);
      assert.ok(!text.includes('3132333435'), text);
      assert.ok(!text.includes('1234567890'), text);
    }
    assert.equal(String(totp), 'TOTP(SHA256, 8 digits, 30 s)');
    assert.deepEqual(JSON.parse(JSON.stringify(hotp)), { type: 'HOTP', algorithm: 'SHA1', digits: 6 });
  });
});

describe('otpauth URIs through the recipe', () => {
  test('toUri / fromUri round trip keeps every parameter', () => {
    const totp = new TOTP(SECRET, { algorithm: 'SHA512', digits: 7, step: 45 });
    const uri = totp.toUri({ accountName: 'ada@example.com', issuer: 'Example' });
    assert.match(
      uri,
      /^otpauth:\/\/totp\/Example:ada%40example.com\?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&/,
    );
    const again = TOTP.fromUri(uri);
    assert.equal(String(again), 'TOTP(SHA512, 7 digits, 45 s)');
    assert.equal(again.generateAtTime(1_234_567_890), totp.generateAtTime(1_234_567_890));
  });

  test('parseOtpauthUri returns the key, the label and the HOTP counter', () => {
    const hotp = new HOTP(SECRET, { digits: 8 });
    const info = parseOtpauthUri(hotp.toUri({ accountName: 'ada', issuer: 'Ex', counter: 7 }));
    assert.equal(info.type, 'hotp');
    assert.equal(info.accountName, 'ada');
    assert.equal(info.issuer, 'Ex');
    if (info.type !== 'hotp') return;
    assert.equal(info.counter, 7);
    assert.equal(info.otp.generate(7), hotp.generate(7));
    assert.throws(() => TOTP.fromUri(hotp.toUri({ accountName: 'ada', counter: 0 })), DecodeError);
  });

  test('a URI with an 80-bit secret needs enforceKeyLength: false', () => {
    const uri = 'otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example';
    assert.throws(
      () => TOTP.fromUri(uri),
      (err: unknown) => err instanceof DecodeError && /80 bits/.test(err.message),
    );
    assert.equal(TOTP.fromUri(uri, { enforceKeyLength: false }).generateAtTime(0).length, 6);
  });

  test('toUri refuses label parts the format cannot carry', () => {
    const totp = new TOTP(SECRET);
    assert.throws(() => totp.toUri({ accountName: 'a:b' }), TypeError);
    assert.throws(() => totp.toUri({ accountName: 'a', issuer: 'x:y' }), TypeError);
    assert.throws(() => totp.toUri({ accountName: '' }), TypeError);
    assert.throws(() => new HOTP(SECRET).toUri({ accountName: 'a' } as never), TypeError);
  });
});
