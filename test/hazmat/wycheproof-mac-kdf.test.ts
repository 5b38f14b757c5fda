// Wycheproof suites for HMAC, HKDF and PBKDF2, read in place from the shared vectors (never copied).
// One node:test test per vector, named by file, tcId and comment. Every `valid` vector must match
// exactly and every `invalid` one must be rejected:
//   - HMAC: tags are truncated to tagSize/8 bytes; an invalid (modified) tag must differ from our
//     truncated HMAC, and at full length hmacVerify and HMAC#verify must throw InvalidSignature.
//     coffer verifies full-length tags only, so a truncated tag, even a valid one, fails verification.
//   - HKDF: the invalid vectors ask for more than 255 * HashLen bytes; the constructor must throw
//     RangeError before any work is done.
//   - PBKDF2: the files hold only valid vectors.
// The files contain no `acceptable` vectors; one would be run and reported, never asserted either way.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidKey, InvalidSignature } from '../../src/errors.ts';
import {
  type HashAlgorithm,
  SHA1,
  SHA3_224,
  SHA3_256,
  SHA3_384,
  SHA3_512,
  SHA224,
  SHA256,
  SHA384,
  SHA512,
} from '../../src/hazmat/hashes.ts';
import { HMAC, hmac, hmacVerify } from '../../src/hazmat/hmac.ts';
import { HKDF, HKDFExpand, PBKDF2HMAC } from '../../src/hazmat/kdf.ts';
import { hasDigest } from '../../src/internal/backend.ts';
import { SecretKey } from '../../src/keys/secret-key.ts';
import { hex, loadJson, toHex, vectorSkip } from '../helpers/vectors.ts';

type Result = 'valid' | 'invalid' | 'acceptable';

interface WycheproofFile<T> {
  algorithm: string;
  numberOfTests: number;
  testGroups: Array<{ tests: T[] } & Record<string, unknown>>;
}

interface MacTest {
  tcId: number;
  comment: string;
  flags: string[];
  key: string;
  msg: string;
  tag: string;
  result: Result;
}

interface HkdfTest {
  tcId: number;
  comment: string;
  flags: string[];
  ikm: string;
  salt: string;
  info: string;
  size: number;
  okm: string;
  result: Result;
}

interface PbkdfTest {
  tcId: number;
  comment: string;
  flags: string[];
  password: string;
  salt: string;
  iterationCount: number;
  dkLen: number;
  dk: string;
  result: Result;
}

// RFC 6070's 16,777,216-iteration PBKDF2-SHA1 vector (tcId 4 of pbkdf2_hmacsha1_test.json) costs about
// 10 s of one core; it runs only when asked for.
const SLOW = process.env.COFFER_SLOW_TESTS === '1';
const SLOW_ITERATIONS = 1_000_000;

const HMAC_FILES: ReadonlyArray<readonly [string, () => HashAlgorithm]> = [
  ['hmac_sha1_test.json', () => new SHA1()],
  ['hmac_sha224_test.json', () => new SHA224()],
  ['hmac_sha256_test.json', () => new SHA256()],
  ['hmac_sha384_test.json', () => new SHA384()],
  ['hmac_sha512_test.json', () => new SHA512()],
  ['hmac_sha3_224_test.json', () => new SHA3_224()],
  ['hmac_sha3_256_test.json', () => new SHA3_256()],
  ['hmac_sha3_384_test.json', () => new SHA3_384()],
  ['hmac_sha3_512_test.json', () => new SHA3_512()],
];

const HKDF_FILES: ReadonlyArray<readonly [string, () => HashAlgorithm]> = [
  ['hkdf_sha1_test.json', () => new SHA1()],
  ['hkdf_sha256_test.json', () => new SHA256()],
  ['hkdf_sha384_test.json', () => new SHA384()],
  ['hkdf_sha512_test.json', () => new SHA512()],
];

const PBKDF2_FILES: ReadonlyArray<readonly [string, () => HashAlgorithm]> = [
  ['pbkdf2_hmacsha1_test.json', () => new SHA1()],
  ['pbkdf2_hmacsha224_test.json', () => new SHA224()],
  ['pbkdf2_hmacsha256_test.json', () => new SHA256()],
  ['pbkdf2_hmacsha384_test.json', () => new SHA384()],
  ['pbkdf2_hmacsha512_test.json', () => new SHA512()],
];

const name = (file: string, t: { tcId: number; comment: string; result: Result }) =>
  `${file} tcId ${t.tcId}: ${t.comment || '(no comment)'} [${t.result}]`;

/**
 * Declares one suite per vector file and hands its tests (with their group) to `body`, or declares a
 * single skipped test saying why not: the file is absent, or the runtime's OpenSSL lacks the hash.
 */
function suite<T>(
  file: string,
  makeAlgorithm: () => HashAlgorithm,
  body: (algorithm: HashAlgorithm, tests: Array<{ group: Record<string, unknown>; t: T }>) => void,
): void {
  const rel = `wycheproof/${file}`;
  const missing = vectorSkip(rel);
  if (missing) {
    test(file, { skip: missing }, () => {});
    return;
  }
  const algorithm = makeAlgorithm();
  if (!hasDigest(algorithm.opensslName)) {
    test(file, { skip: `${algorithm.name} is not available in this runtime's OpenSSL` }, () => {});
    return;
  }
  const data = loadJson<WycheproofFile<T>>(rel);
  const tests = data.testGroups.flatMap((group) => group.tests.map((t) => ({ group, t })));
  describe(file, () => {
    test(`${file}: runs all ${data.numberOfTests} vectors of ${data.algorithm}`, () => {
      assert.equal(tests.length, data.numberOfTests);
    });
    body(algorithm, tests);
  });
}

function flip(b: Uint8Array): Uint8Array {
  const out = Uint8Array.from(b);
  out[out.length - 1] = (out[out.length - 1] ?? 0) ^ 1;
  return out;
}

// ---------------------------------------------------------------------------------------------------
// HMAC

for (const [file, makeAlgorithm] of HMAC_FILES) {
  suite<MacTest>(file, makeAlgorithm, (algorithm, tests) => {
    for (const { group, t } of tests) {
      const tagSize = group.tagSize as number;
      test(name(file, t), () => {
        const key = hex(t.key);
        const msg = hex(t.msg);
        const tag = hex(t.tag);
        const tagBytes = tagSize / 8;
        const full = hmac(algorithm, key, msg);
        assert.equal(full.length, algorithm.digestSize);
        const truncated = toHex(full.subarray(0, tagBytes));

        // The streaming context, keyed by a SecretKey and fed in two pieces, must agree with the one-shot.
        const split = Math.floor(msg.length / 3);
        const streamed = new HMAC(SecretKey.fromBytes(key), algorithm)
          .update(msg.subarray(0, split))
          .update(msg.subarray(split))
          .finalize();
        assert.equal(toHex(streamed), toHex(full));

        const fullLength = tagBytes === algorithm.digestSize;
        if (t.result === 'valid') {
          assert.equal(truncated, t.tag);
          if (fullLength) {
            hmacVerify(algorithm, key, msg, tag);
            new HMAC(key, algorithm).update(msg).verify(tag);
            assert.throws(() => hmacVerify(algorithm, key, msg, flip(tag)), InvalidSignature);
          } else {
            // No truncated-tag API: a short tag is a length mismatch, rejected like any wrong tag.
            assert.throws(() => hmacVerify(algorithm, key, msg, tag), InvalidSignature);
          }
        } else if (t.result === 'invalid') {
          assert.notEqual(truncated, t.tag, 'an invalid tag matched the computed HMAC');
          assert.throws(() => hmacVerify(algorithm, key, msg, tag), InvalidSignature);
          assert.throws(() => new HMAC(key, algorithm).update(msg).verify(tag), InvalidSignature);
        }
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// HKDF

for (const [file, makeAlgorithm] of HKDF_FILES) {
  suite<HkdfTest>(file, makeAlgorithm, (algorithm, tests) => {
    for (const { t } of tests) {
      test(name(file, t), () => {
        const ikm = hex(t.ikm);
        const salt = hex(t.salt);
        const info = hex(t.info);
        const options = { algorithm, length: t.size, salt, info };

        if (t.result === 'invalid') {
          // Wycheproof's invalid HKDF vectors exceed RFC 5869 §2.3's L <= 255 * HashLen.
          assert.ok(t.size > 255 * algorithm.digestSize, 'unexpected kind of invalid HKDF vector');
          assert.throws(() => new HKDF(options), RangeError);
          assert.throws(() => new HKDFExpand({ algorithm, length: t.size, info }), RangeError);
          return;
        }

        const okm = new HKDF(options).derive(ikm);
        if (t.result === 'acceptable') return;
        assert.equal(toHex(okm), t.okm);

        // An empty salt and a null salt are the same thing (RFC 5869 §2.2: HashLen zero bytes).
        if (salt.length === 0) {
          assert.equal(toHex(new HKDF({ ...options, salt: null }).derive(ikm)), t.okm);
        }
        new HKDF(options).verify(ikm, okm);
        assert.throws(() => new HKDF(options).verify(ikm, flip(okm)), InvalidKey);

        // Extract with HMAC, then expand with HKDFExpand: the two halves must compose to the same key.
        const prk = hmac(algorithm, salt.length > 0 ? salt : new Uint8Array(algorithm.digestSize), ikm);
        assert.equal(toHex(new HKDFExpand({ algorithm, length: t.size, info }).derive(prk)), t.okm);
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// PBKDF2

for (const [file, makeAlgorithm] of PBKDF2_FILES) {
  suite<PbkdfTest>(file, makeAlgorithm, (algorithm, tests) => {
    for (const { t } of tests) {
      const slow = t.iterationCount > SLOW_ITERATIONS && !SLOW;
      const skip = slow
        ? `${t.iterationCount} iterations take about 10 s: set COFFER_SLOW_TESTS=1 to run it`
        : false;
      test(name(file, t), { skip }, () => {
        const make = () =>
          new PBKDF2HMAC({ algorithm, length: t.dkLen, salt: hex(t.salt), iterations: t.iterationCount });
        if (t.result === 'invalid') {
          let dk: Uint8Array | undefined;
          try {
            dk = make().derive(hex(t.password));
          } catch {
            return; // rejected outright: fine
          }
          assert.notEqual(toHex(dk), t.dk, 'an invalid PBKDF2 vector was accepted');
          return;
        }
        const dk = make().derive(hex(t.password));
        if (t.result === 'acceptable') return;
        assert.equal(toHex(dk), t.dk);
      });
    }
  });
}
