// Wycheproof suites for coffer/hazmat/aead, read in place from the shared vectors (never copied). One
// node:test test per vector, named by file, tcId and comment. A `valid` vector must encrypt to exactly
// ct ‖ tag and decrypt back; an `invalid` one must be refused, with InvalidTag (same message whatever
// the cause), or with a RangeError where coffer refuses the parameter size itself. Per family:
//
//   aes_gcm             AESGCM. Nonces are 8 to 128 bytes, as in pyca: the valid vectors with 1- to
//                       7-byte nonces and the one with a 257-byte nonce are parameter sizes coffer
//                       refuses, so both encrypt and decrypt must throw RangeError for them (they are not
//                       wrong answers; a short GCM nonce is a footgun, pyca refuses them too). The empty
//                       nonce (invalid) is a RangeError as well; every other invalid vector is InvalidTag.
//   aes_ccm             AESCCM(key, tagSize / 8). Invalid tag sizes (odd, or 2 bytes) are RangeErrors
//                       from the constructor; nonce sizes outside 7..13 are RangeErrors from decrypt;
//                       everything else invalid is InvalidTag.
//   chacha20_poly1305   ChaCha20Poly1305; the invalid nonce sizes (anything but 12 bytes) are RangeErrors.
//   xchacha20_poly1305  XChaCha20Poly1305; likewise for anything but 24 bytes.
//   aes_gcm_siv         AESGCMSIV: every vector has a 16- or 32-byte key and a 12-byte nonce.
//   aes_siv_cmac        AESSIV, deterministic: `aad` is the one associated-data component, always passed
//                       (an empty string is one empty component, not none), and `ct` is SIV ‖ ciphertext.
//   aead_aes_siv_cmac   AESSIV used nonce-based as RFC 5297 §3 describes it: the associated data is
//                       [aad, iv], the nonce as the last component (as PyCryptodome's MODE_SIV with a
//                       nonce does), and the output is tag (the SIV) ‖ ct. All 900 vectors hold with
//                       that mapping, 1-byte and 40-byte "nonces" included, since S2V takes any length.
//
// None of these files holds an `acceptable` vector. Should an updated file bring one, it is run and
// must either give the exact output or be refused with InvalidTag or RangeError: coffer takes no
// position on it beyond never returning a wrong answer.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidTag } from '../../src/errors.ts';
import {
  AESCCM,
  AESGCM,
  AESGCMSIV,
  AESSIV,
  ChaCha20Poly1305,
  XChaCha20Poly1305,
} from '../../src/hazmat/aead.ts';
import { hex, loadJson, toHex, vectorSkip } from '../helpers/vectors.ts';

type Result = 'valid' | 'invalid' | 'acceptable';

interface AeadVector {
  tcId: number;
  comment: string;
  flags: string[];
  key: string;
  iv: string;
  aad: string;
  msg: string;
  ct: string;
  tag: string;
  result: Result;
}

interface DaeadVector {
  tcId: number;
  comment: string;
  key: string;
  aad: string;
  msg: string;
  ct: string;
  result: Result;
}

interface Group<T> {
  keySize: number;
  ivSize?: number;
  tagSize?: number;
  tests: T[];
}

interface WycheproofFile<T> {
  algorithm: string;
  numberOfTests: number;
  testGroups: Array<Group<T>>;
}

/** The common shape of every nonce-taking AEAD here. */
interface Aead {
  encrypt(nonce: Uint8Array, data: Uint8Array, aad?: Uint8Array | null): Uint8Array;
  decrypt(nonce: Uint8Array, data: Uint8Array, aad?: Uint8Array | null): Uint8Array;
}

const name = (file: string, t: { tcId: number; comment: string; result: Result }) =>
  `${file} tcId ${t.tcId}: ${t.comment || '(no comment)'} [${t.result}]`;

const isInvalidTag = (err: unknown) => {
  assert.ok(err instanceof InvalidTag, `expected InvalidTag, got ${String(err)}`);
  assert.equal(err.message, new InvalidTag().message);
  return true;
};
const isRangeError = (err: unknown) => {
  assert.ok(err instanceof RangeError, `expected RangeError, got ${String(err)}`);
  return true;
};

/** Declares one suite per file, or one skipped test saying why (the shared vectors are absent). */
function suite<T extends { tcId: number; comment: string; result: Result }>(
  file: string,
  body: (group: Group<T>, t: T) => void,
  expectedCount: number,
): void {
  const missing = vectorSkip(`wycheproof/${file}`);
  if (missing) {
    test(`${file}`, { skip: missing }, () => {});
    return;
  }
  const doc = loadJson<WycheproofFile<T>>(`wycheproof/${file}`);
  describe(`Wycheproof ${file} (${doc.algorithm})`, () => {
    test('the file holds the expected number of vectors', () => {
      const count = doc.testGroups.reduce((n, g) => n + g.tests.length, 0);
      assert.equal(count, doc.numberOfTests);
      assert.equal(count, expectedCount);
    });
    for (const group of doc.testGroups) {
      for (const t of group.tests) test(name(file, t), () => body(group, t));
    }
  });
}

/**
 * The usual AEAD check. `refuses(group, vector)` says whether coffer refuses this vector's parameter
 * sizes with a RangeError (encrypt and decrypt alike).
 */
function checkAead(
  make: (key: Uint8Array, group: Group<AeadVector>) => Aead,
  t: AeadVector,
  group: Group<AeadVector>,
  refuses: boolean,
): void {
  const aead = make(hex(t.key), group);
  const nonce = hex(t.iv);
  const aad = hex(t.aad);
  const msg = hex(t.msg);
  const sealed = hex(t.ct + t.tag);
  if (refuses) {
    assert.throws(() => aead.decrypt(nonce, sealed, aad), isRangeError);
    assert.throws(() => aead.encrypt(nonce, msg, aad), isRangeError);
    return;
  }
  if (t.result === 'valid') {
    assert.equal(toHex(aead.encrypt(nonce, msg, aad)), t.ct + t.tag);
    assert.equal(toHex(aead.decrypt(nonce, sealed, aad)), t.msg);
  } else if (t.result === 'invalid') {
    assert.throws(() => aead.decrypt(nonce, sealed, aad), isInvalidTag);
  } else {
    acceptable(() => toHex(aead.decrypt(nonce, sealed, aad)), t.msg);
  }
}

/** An `acceptable` vector: the exact answer, or a typed refusal; never anything else. */
function acceptable(run: () => string, expected: string): void {
  let out: string;
  try {
    out = run();
  } catch (err) {
    assert.ok(err instanceof InvalidTag || err instanceof RangeError, String(err));
    return;
  }
  assert.equal(out, expected);
}

suite<AeadVector>(
  'aes_gcm_test.json',
  (group, t) => {
    const nonceBytes = t.iv.length / 2;
    checkAead((key) => new AESGCM(key), t, group, nonceBytes < 8 || nonceBytes > 128);
  },
  316,
);

suite<AeadVector>(
  'aes_ccm_test.json',
  (group, t) => {
    const tagLength = (group.tagSize ?? 0) / 8;
    if (![4, 6, 8, 10, 12, 14, 16].includes(tagLength)) {
      assert.equal(t.result, 'invalid');
      assert.throws(() => new AESCCM(hex(t.key), tagLength), isRangeError);
      return;
    }
    const nonceBytes = t.iv.length / 2;
    checkAead((key) => new AESCCM(key, tagLength), t, group, nonceBytes < 7 || nonceBytes > 13);
  },
  552,
);

suite<AeadVector>(
  'chacha20_poly1305_test.json',
  (group, t) => checkAead((key) => new ChaCha20Poly1305(key), t, group, t.iv.length !== 24),
  325,
);

suite<AeadVector>(
  'xchacha20_poly1305_test.json',
  (group, t) => checkAead((key) => new XChaCha20Poly1305(key), t, group, t.iv.length !== 48),
  315,
);

suite<AeadVector>(
  'aes_gcm_siv_test.json',
  (group, t) => checkAead((key) => new AESGCMSIV(key), t, group, false),
  202,
);

suite<DaeadVector>(
  'aes_siv_cmac_test.json',
  (_group, t) => {
    const siv = new AESSIV(hex(t.key));
    const ad = [hex(t.aad)];
    if (t.result === 'valid') {
      assert.equal(toHex(siv.encrypt(hex(t.msg), ad)), t.ct);
      assert.equal(toHex(siv.decrypt(hex(t.ct), ad)), t.msg);
    } else if (t.result === 'invalid') {
      assert.throws(() => siv.decrypt(hex(t.ct), ad), isInvalidTag);
    } else {
      acceptable(() => toHex(siv.decrypt(hex(t.ct), ad)), t.msg);
    }
  },
  442,
);

suite<AeadVector>(
  'aead_aes_siv_cmac_test.json',
  (_group, t) => {
    const siv = new AESSIV(hex(t.key));
    const ad = [hex(t.aad), hex(t.iv)];
    const sealed = t.tag + t.ct;
    if (t.result === 'valid') {
      assert.equal(toHex(siv.encrypt(hex(t.msg), ad)), sealed);
      assert.equal(toHex(siv.decrypt(hex(sealed), ad)), t.msg);
    } else if (t.result === 'invalid') {
      assert.throws(() => siv.decrypt(hex(sealed), ad), isInvalidTag);
    } else {
      acceptable(() => toHex(siv.decrypt(hex(sealed), ad)), t.msg);
    }
  },
  900,
);
