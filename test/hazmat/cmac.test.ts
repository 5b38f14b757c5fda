// AES-CMAC (coffer/hazmat/cmac): the NIST SP 800-38B Appendix D known answers (test/vectors/cmac-aes.json),
// streaming at every split point, verification (InvalidSignature for any flipped bit or wrong length),
// single use, key sizes, and live interop with pyca's CMAC(AES) in one python process. Wycheproof's
// aes_cmac runs in wycheproof-keywrap-mac.test.ts.
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { AlreadyFinalized, InvalidSignature } from '../../src/errors.ts';
import { CMAC, cmac, cmacVerify } from '../../src/hazmat/cmac.ts';
import { SecretKey } from '../../src/keys/secret-key.ts';
import { pycaSkip, runPython } from '../helpers/python.ts';
import { hex, loadOwnJson, toHex } from '../helpers/vectors.ts';

interface KatFile {
  description: string;
  source: string;
  cases: Array<{ id: string; key: string; message: string; tag: string; source: string }>;
}

const rand = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

function flipBit(b: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(b);
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

const kat = loadOwnJson<KatFile>('cmac-aes.json');

describe(`known answers: ${kat.source}`, () => {
  for (const c of kat.cases) {
    test(c.id, () => {
      const key = hex(c.key);
      const msg = hex(c.message);
      const tag = hex(c.tag);
      assert.equal(toHex(cmac(key, msg)), c.tag);
      assert.equal(toHex(cmac(SecretKey.fromBytes(key), msg)), c.tag);
      assert.equal(toHex(new CMAC(key).update(msg).finalize()), c.tag);
      // Every split point, and one byte at a time: CMAC keeps the last full block back until finalize.
      for (let i = 0; i <= msg.length; i++) {
        const ctx = new CMAC(key).update(msg.subarray(0, i)).update(msg.subarray(i));
        assert.equal(toHex(ctx.finalize()), c.tag, `split at ${i}`);
      }
      const bytewise = new CMAC(key);
      for (const byte of msg) bytewise.update(Uint8Array.of(byte));
      assert.equal(toHex(bytewise.finalize()), c.tag, 'one byte at a time');
      cmacVerify(key, msg, tag);
      new CMAC(key).update(msg).verify(tag);
    });

    test(`${c.id}: every flipped tag bit, and every wrong tag length, raises InvalidSignature`, () => {
      const key = hex(c.key);
      const msg = hex(c.message);
      const tag = hex(c.tag);
      for (let bit = 0; bit < 128; bit++) {
        assert.throws(() => cmacVerify(key, msg, flipBit(tag, bit)), InvalidSignature, `bit ${bit}`);
      }
      for (const n of [0, 1, 8, 15]) {
        assert.throws(() => cmacVerify(key, msg, tag.subarray(0, n)), InvalidSignature, `${n} bytes`);
        assert.throws(() => new CMAC(key).update(msg).verify(tag.subarray(0, n)), InvalidSignature);
      }
      const longer = new Uint8Array(17);
      longer.set(tag);
      assert.throws(() => cmacVerify(key, msg, longer), InvalidSignature, '17 bytes');
      if (msg.length > 0) {
        assert.throws(() => cmacVerify(key, flipBit(msg, 0), tag), InvalidSignature, 'message changed');
      }
    });
  }
});

describe('CMAC', () => {
  test('strings are read as UTF-8', () => {
    const key = rand(16);
    assert.deepEqual(cmac(key, 'héllo'), cmac(key, new TextEncoder().encode('héllo')));
    assert.deepEqual(new CMAC(key).update('hé').update('llo').finalize(), cmac(key, 'héllo'));
  });

  test('single use: any call after finalize or verify throws AlreadyFinalized', () => {
    const key = rand(24);
    const done = new CMAC(key);
    const tag = done.finalize();
    assert.throws(() => done.update('x'), AlreadyFinalized);
    assert.throws(() => done.finalize(), AlreadyFinalized);
    assert.throws(() => done.verify(tag), AlreadyFinalized);
    const verified = new CMAC(key);
    verified.verify(tag);
    assert.throws(() => verified.finalize(), {
      name: 'AlreadyFinalized',
      message: 'CMAC has already been finalized',
    });
    const failed = new CMAC(key).update('x');
    assert.throws(() => failed.verify(tag), InvalidSignature);
    assert.throws(() => failed.verify(tag), AlreadyFinalized);
  });

  test('a wrongly typed tag is a TypeError and leaves the context usable', () => {
    const key = rand(16);
    const ctx = new CMAC(key).update('data');
    assert.throws(() => ctx.verify('tag' as never), {
      name: 'TypeError',
      message: '"signature" must be a Uint8Array, got string',
    });
    ctx.verify(cmac(key, 'data'));
  });

  test('keys that are not 16, 24 or 32 bytes are labelled RangeErrors', () => {
    for (const n of [0, 1, 8, 15, 17, 20, 31, 33, 40, 64]) {
      const message = `"key" must be 16, 24 or 32 bytes (an AES key), got ${n}`;
      assert.throws(() => new CMAC(new Uint8Array(n)), { name: 'RangeError', message });
      assert.throws(() => cmac(new Uint8Array(n), 'x'), { name: 'RangeError', message });
      assert.throws(() => cmacVerify(new Uint8Array(n), 'x', new Uint8Array(16)), {
        name: 'RangeError',
        message,
      });
    }
  });

  test('tags own their memory and do not change with the caller key array', () => {
    const key = rand(32);
    const ctx = new CMAC(key).update('data');
    const expected = cmac(key, 'data');
    key.fill(0);
    const tag = ctx.finalize();
    assert.deepEqual(tag, expected);
    assert.equal(tag.constructor, Uint8Array);
    assert.equal(tag.buffer.byteLength, 16);
  });
});

// ---------------------------------------------------------------------------------------------------
// Live interop with pyca, in one python process.

interface CmacCase {
  name: string;
  key: string;
  msg: string;
  split: number;
}

function cases(): CmacCase[] {
  const out: CmacCase[] = [];
  for (const keyLen of [16, 24, 32]) {
    for (const n of [0, 1, 15, 16, 17, 31, 32, 33, 48, 64, randomInt(0, 200), randomInt(200, 5000)]) {
      out.push({
        name: `AES-${keyLen * 8} msg ${n} bytes`,
        key: toHex(rand(keyLen)),
        msg: toHex(rand(n)),
        split: randomInt(0, n + 1),
      });
    }
  }
  return out;
}

const PYTHON = `
import json, sys
from cryptography.hazmat.primitives.cmac import CMAC
from cryptography.hazmat.primitives.ciphers.algorithms import AES
out = []
for c in json.load(sys.stdin):
    m = CMAC(AES(bytes.fromhex(c['key'])))
    m.update(bytes.fromhex(c['msg']))
    out.append(m.finalize().hex())
json.dump(out, sys.stdout)
`;

describe('live interop with pyca CMAC(AES)', () => {
  const skip = pycaSkip();
  if (skip) {
    test('coffer vs pyca', { skip }, () => {});
    return;
  }
  const all = cases();
  let expected: string[] = [];
  before(() => {
    expected = runPython<string[]>(PYTHON, all);
    assert.equal(expected.length, all.length);
  });
  all.forEach((c, i) => {
    test(`#${i} ${c.name}`, () => {
      const key = hex(c.key);
      const msg = hex(c.msg);
      assert.equal(toHex(cmac(key, msg)), expected[i], `inputs: ${JSON.stringify(c)}`);
      const streamed = new CMAC(key).update(msg.subarray(0, c.split)).update(msg.subarray(c.split));
      streamed.verify(hex(expected[i]!));
    });
  });
});
