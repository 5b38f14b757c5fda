// Wycheproof suites for AES key wrap (aes_wrap: RFC 3394 / KW, aes_kwp: RFC 5649 / KWP) and AES-CMAC
// (aes_cmac), read in place from the shared vectors (never copied). One node:test test per vector, named
// by file, tcId and comment. Every `valid` vector must give the exact output both ways and every `invalid`
// one must be rejected with the typed error:
//   - aes_wrap, aes_kwp: unwrapping `ct` throws InvalidUnwrap; wrapping `msg` either refuses it with a
//     RangeError (a length KW cannot wrap: empty, under 16 bytes, not a multiple of 8) or gives bytes
//     other than `ct`.
//   - aes_cmac: the modified tags throw InvalidSignature from cmacVerify and CMAC#verify. The vectors
//     flagged InvalidKeySize (keys of 0, 1, 8, 20 and 40 bytes) are refused with a RangeError from the
//     constructor and the one-shot functions: a key size is the caller's parameter, not input an attacker
//     controls, so it is a programmer mistake and never an InvalidSignature.
// `acceptable` vectors (only in aes_wrap): the three flagged ShortKey wrap an 8-byte key as one AES
// block, as RFC 3394 §2 allows and NIST SP 800-38F does not define. coffer follows SP 800-38F and pyca:
// aesKeyWrap refuses 8-byte keys with a RangeError and aesKeyUnwrap refuses 16-byte input with
// InvalidUnwrap. Use aesKeyWrapWithPadding (RFC 5649) for keys shorter than 16 bytes. The tests assert
// exactly that behaviour.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidSignature, InvalidUnwrap } from '../../src/errors.ts';
import { CMAC, cmac, cmacVerify } from '../../src/hazmat/cmac.ts';
import {
  aesKeyUnwrap,
  aesKeyUnwrapWithPadding,
  aesKeyWrap,
  aesKeyWrapWithPadding,
} from '../../src/hazmat/keywrap.ts';
import { SecretKey } from '../../src/keys/secret-key.ts';
import { hex, loadJson, toHex, vectorSkip } from '../helpers/vectors.ts';

type Result = 'valid' | 'invalid' | 'acceptable';

interface WycheproofFile<T> {
  algorithm: string;
  numberOfTests: number;
  testGroups: Array<{ tests: T[] } & Record<string, unknown>>;
}

interface KeywrapTest {
  tcId: number;
  comment: string;
  flags: string[];
  key: string;
  msg: string;
  ct: string;
  result: Result;
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

const name = (file: string, t: { tcId: number; comment: string; flags: string[]; result: Result }) =>
  `${file} tcId ${t.tcId}: ${t.comment || t.flags.join(', ') || '(no comment)'} [${t.result}]`;

/** One suite per file, or a single skipped test saying the file is absent. */
function suite<T>(
  file: string,
  body: (tests: Array<{ group: Record<string, unknown>; t: T }>) => void,
): void {
  const rel = `wycheproof/${file}`;
  const missing = vectorSkip(rel);
  if (missing) {
    test(file, { skip: missing }, () => {});
    return;
  }
  const data = loadJson<WycheproofFile<T>>(rel);
  const tests = data.testGroups.flatMap((group) => group.tests.map((t) => ({ group, t })));
  describe(file, () => {
    test(`${file}: runs all ${data.numberOfTests} vectors of ${data.algorithm}`, () => {
      assert.equal(tests.length, data.numberOfTests);
    });
    body(tests);
  });
}

const isUnwrapFailure = (err: unknown) => err instanceof InvalidUnwrap && err.message === 'key unwrap failed';

function flip(b: Uint8Array): Uint8Array {
  const out = Uint8Array.from(b);
  out[out.length - 1] = (out[out.length - 1] ?? 0) ^ 1;
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Key wrap

const KEYWRAP_FILES = [
  { file: 'aes_wrap_test.json', wrap: aesKeyWrap, unwrap: aesKeyUnwrap },
  { file: 'aes_kwp_test.json', wrap: aesKeyWrapWithPadding, unwrap: aesKeyUnwrapWithPadding },
] as const;

for (const { file, wrap, unwrap } of KEYWRAP_FILES) {
  suite<KeywrapTest>(file, (tests) => {
    for (const { t } of tests) {
      test(name(file, t), () => {
        const kek = hex(t.key);
        const msg = hex(t.msg);
        const ct = hex(t.ct);
        if (t.result === 'valid') {
          assert.equal(toHex(wrap(kek, msg)), t.ct);
          assert.equal(toHex(unwrap(kek, ct)), t.msg);
          assert.equal(toHex(unwrap(SecretKey.fromBytes(kek), ct)), t.msg);
          assert.throws(() => unwrap(kek, flip(ct)), isUnwrapFailure);
          return;
        }
        if (t.result === 'acceptable') {
          // ShortKey: an 8-byte key as one AES block (RFC 3394 §2). coffer refuses both directions.
          assert.deepEqual(t.flags, ['ShortKey']);
          assert.throws(() => wrap(kek, msg), {
            name: 'RangeError',
            message: '"keyToWrap" must be at least 16 bytes, got 8',
          });
          assert.throws(() => unwrap(kek, ct), isUnwrapFailure);
          return;
        }
        assert.throws(() => unwrap(kek, ct), isUnwrapFailure);
        let ours: Uint8Array | undefined;
        try {
          ours = wrap(kek, msg);
        } catch (err) {
          assert.ok(err instanceof RangeError && /^"keyToWrap" must be/.test(err.message), String(err));
        }
        if (ours !== undefined) assert.notEqual(toHex(ours), t.ct, 'an invalid ciphertext matched our wrap');
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// AES-CMAC

suite<MacTest>('aes_cmac_test.json', (tests) => {
  for (const { group, t } of tests) {
    test(name('aes_cmac_test.json', t), () => {
      const key = hex(t.key);
      const msg = hex(t.msg);
      const tag = hex(t.tag);
      const keySize = group.keySize as number;
      assert.equal(group.tagSize, 128, 'coffer has no truncated CMAC tags; every file tag is 16 bytes');
      if (![128, 192, 256].includes(keySize)) {
        assert.equal(t.result, 'invalid');
        const message = `"key" must be 16, 24 or 32 bytes (an AES key), got ${key.length}`;
        assert.throws(() => new CMAC(key), { name: 'RangeError', message });
        assert.throws(() => cmac(key, msg), { name: 'RangeError', message });
        assert.throws(() => cmacVerify(key, msg, tag), { name: 'RangeError', message });
        return;
      }
      const ours = cmac(key, msg);
      const split = msg.length >> 1;
      const streamed = new CMAC(SecretKey.fromBytes(key))
        .update(msg.subarray(0, split))
        .update(msg.subarray(split));
      assert.equal(toHex(streamed.finalize()), toHex(ours));
      if (t.result === 'valid') {
        assert.equal(toHex(ours), t.tag);
        cmacVerify(key, msg, tag);
        new CMAC(key).update(msg).verify(tag);
        assert.throws(() => cmacVerify(key, msg, flip(tag)), InvalidSignature);
      } else {
        assert.equal(t.result, 'invalid');
        assert.notEqual(toHex(ours), t.tag, 'an invalid tag matched the computed CMAC');
        assert.throws(() => cmacVerify(key, msg, tag), InvalidSignature);
        assert.throws(() => new CMAC(key).update(msg).verify(tag), InvalidSignature);
      }
    });
  }
});
