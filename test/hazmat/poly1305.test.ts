// Poly1305 (coffer/hazmat/poly1305): the RFC 8439 §2.5.2 and Appendix A.3 known answers
// (test/vectors/poly1305.json), the one-key-one-tag rule (what is refused, what is not, and the bound on
// what is remembered), verification, single use, and live interop with pyca's Poly1305 in one python
// process.
//
// Every test that produces a tag uses a key of its own: in one process a key produces one tag. Known
// answers whose key another vector shares (A.3 #5/#9, #7/#8, #10/#11) are checked by verification, which
// does not use the key up; the rest are checked with generateTag too.
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { AlreadyFinalized, InvalidSignature } from '../../src/errors.ts';
import { POLY1305_REMEMBERED_KEYS, Poly1305 } from '../../src/hazmat/poly1305.ts';
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

const REUSED = {
  name: 'AlreadyFinalized',
  message: 'Poly1305 one-time key has already been finalized',
} as const;

const kat = loadOwnJson<KatFile>('poly1305.json');
const keyCount = new Map<string, number>();
for (const c of kat.cases) keyCount.set(c.key, (keyCount.get(c.key) ?? 0) + 1);

describe(`known answers: ${kat.source}`, () => {
  for (const c of kat.cases) {
    test(c.id, () => {
      const key = hex(c.key);
      const msg = hex(c.message);
      const tag = hex(c.tag);
      Poly1305.verifyTag(key, msg, tag);
      Poly1305.verifyTag(SecretKey.fromBytes(key), msg, tag);
      for (const split of [0, 1, 15, 16, 17, msg.length >> 1, msg.length]) {
        const s = Math.min(split, msg.length);
        new Poly1305(key).update(msg.subarray(0, s)).update(msg.subarray(s)).verify(tag);
      }
      for (let bit = 0; bit < 128; bit++) {
        assert.throws(() => Poly1305.verifyTag(key, msg, flipBit(tag, bit)), InvalidSignature, `bit ${bit}`);
      }
      if (keyCount.get(c.key) === 1) {
        assert.equal(toHex(Poly1305.generateTag(key, msg)), c.tag);
        // The key has now produced its tag: a second one is refused, verification still works.
        assert.throws(() => Poly1305.generateTag(key, msg), REUSED);
        Poly1305.verifyTag(key, msg, tag);
      }
    });
  }

  test('RFC 8439 A.3 #5 and #9 share a key: the first tag is given, the second refused', () => {
    const first = kat.cases.find((c) => c.id === 'RFC 8439 A.3 #5')!;
    const second = kat.cases.find((c) => c.id === 'RFC 8439 A.3 #9')!;
    assert.equal(first.key, second.key);
    assert.equal(toHex(Poly1305.generateTag(hex(first.key), hex(first.message))), first.tag);
    assert.throws(() => Poly1305.generateTag(hex(second.key), hex(second.message)), REUSED);
    Poly1305.verifyTag(hex(second.key), hex(second.message), hex(second.tag));
  });
});

describe('one key, one tag', () => {
  test('generateTag twice with one key is refused, even for the same message', () => {
    const key = rand(32);
    Poly1305.generateTag(key, 'message');
    assert.throws(() => Poly1305.generateTag(key, 'message'), REUSED);
    assert.throws(() => Poly1305.generateTag(key, 'another message'), REUSED);
  });

  test('finalize and generateTag share the record; bytes and SecretKey are the same key', () => {
    const key = rand(32);
    new Poly1305(SecretKey.fromBytes(key)).update('a').finalize();
    assert.throws(() => Poly1305.generateTag(key, 'b'), REUSED);
    assert.throws(() => new Poly1305(Uint8Array.from(key)).update('c').finalize(), REUSED);
  });

  test('two contexts on one key: the first to finalize gets the tag, the other is refused', () => {
    const key = rand(32);
    const a = new Poly1305(key).update('a');
    const b = new Poly1305(key).update('b');
    b.finalize();
    assert.throws(() => a.finalize(), REUSED);
    // A refused finalize used the context up: no tag was computed and none ever will be.
    assert.throws(() => a.finalize(), {
      name: 'AlreadyFinalized',
      message: 'Poly1305 has already been finalized',
    });
  });

  test('the key is fingerprinted at construction: wiping the caller array afterwards changes nothing', () => {
    const key = rand(32);
    const copy = Uint8Array.from(key);
    const ctx = new Poly1305(key).update('data');
    key.fill(0);
    const tag = ctx.finalize();
    Poly1305.verifyTag(copy, 'data', tag);
    assert.throws(() => Poly1305.generateTag(copy, 'data'), REUSED);
  });

  test('verification never uses the key up, before or after its tag', () => {
    const key = rand(32);
    const other = rand(32);
    const wrong = Poly1305.generateTag(other, 'data');
    for (let i = 0; i < 3; i++) assert.throws(() => Poly1305.verifyTag(key, 'data', wrong), InvalidSignature);
    const tag = Poly1305.generateTag(key, 'data');
    for (let i = 0; i < 3; i++) {
      Poly1305.verifyTag(key, 'data', tag);
      new Poly1305(key).update('data').verify(tag);
    }
    assert.throws(() => new Poly1305(key).update('data').finalize(), REUSED);
  });

  test('a call refused for a bad argument does not use the key up', () => {
    const key = rand(32);
    assert.throws(() => Poly1305.generateTag(key, 42 as never), TypeError);
    const ctx = new Poly1305(key);
    assert.throws(() => ctx.update(null as never), TypeError);
    assert.throws(() => ctx.verify('tag' as never), {
      name: 'TypeError',
      message: '"tag" must be a Uint8Array, got string',
    });
    const tag = ctx.update('x').finalize();
    Poly1305.verifyTag(key, 'x', tag);
  });

  test(`the record is bounded: the oldest key is forgotten after ${POLY1305_REMEMBERED_KEYS} others`, () => {
    const first = rand(32);
    Poly1305.generateTag(first, 'x');
    const empty = new Uint8Array(0);
    const keys = new Uint8Array(32 * 1024);
    let made = 0;
    // Fill the record with fresh keys, one short of pushing `first` out; it is still refused.
    while (made < POLY1305_REMEMBERED_KEYS - 1) {
      globalThis.crypto.getRandomValues(keys);
      for (let off = 0; off < keys.length && made < POLY1305_REMEMBERED_KEYS - 1; off += 32, made++) {
        Poly1305.generateTag(keys.subarray(off, off + 32), empty);
      }
    }
    assert.throws(() => Poly1305.generateTag(first, 'x'), REUSED);
    // That refusal recorded nothing new; one more key now pushes `first` out.
    Poly1305.generateTag(rand(32), empty);
    Poly1305.generateTag(first, 'x');
  });
});

describe('Poly1305 contexts and arguments', () => {
  test('single use: any call after finalize or verify throws AlreadyFinalized', () => {
    const done = new Poly1305(rand(32));
    done.finalize();
    for (const call of [
      () => done.update('x'),
      () => done.finalize(),
      () => done.verify(new Uint8Array(16)),
    ]) {
      assert.throws(call, { name: 'AlreadyFinalized', message: 'Poly1305 has already been finalized' });
    }
    const verified = new Poly1305(rand(32));
    assert.throws(() => verified.verify(new Uint8Array(16)), InvalidSignature);
    assert.throws(() => verified.verify(new Uint8Array(16)), AlreadyFinalized);
  });

  test('keys that are not 32 bytes are labelled RangeErrors', () => {
    for (const n of [0, 1, 16, 31, 33, 64]) {
      const message = `"key" must be 32 bytes, got ${n}`;
      assert.throws(() => new Poly1305(new Uint8Array(n)), { name: 'RangeError', message });
      assert.throws(() => Poly1305.generateTag(new Uint8Array(n), 'x'), { name: 'RangeError', message });
      assert.throws(() => Poly1305.verifyTag(new Uint8Array(n), 'x', new Uint8Array(16)), {
        name: 'RangeError',
        message,
      });
    }
  });

  test('wrong tag lengths raise InvalidSignature', () => {
    const key = rand(32);
    const tag = Poly1305.generateTag(key, 'data');
    for (const n of [0, 1, 15]) {
      assert.throws(() => Poly1305.verifyTag(key, 'data', tag.subarray(0, n)), InvalidSignature);
    }
    const longer = new Uint8Array(17);
    longer.set(tag);
    assert.throws(() => Poly1305.verifyTag(key, 'data', longer), InvalidSignature);
  });

  test('strings are read as UTF-8', () => {
    const key = rand(32);
    const tag = Poly1305.generateTag(key, 'héllo');
    Poly1305.verifyTag(key, new TextEncoder().encode('héllo'), tag);
    new Poly1305(key).update('hé').update('llo').verify(tag);
  });
});

// ---------------------------------------------------------------------------------------------------
// Live interop with pyca, in one python process. pyca tags with generate_tag; coffer must give the same
// bytes (each key is fresh, so generateTag may), and verify pyca's tag when fed in two pieces.

interface PolyCase {
  name: string;
  key: string;
  msg: string;
  split: number;
}

function cases(): PolyCase[] {
  const lengths = [0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255, 256, 1000, 4096];
  for (let i = 0; i < 15; i++) lengths.push(randomInt(0, 3000));
  return lengths.map((n) => ({
    name: `msg ${n} bytes`,
    key: toHex(rand(32)),
    msg: toHex(rand(n)),
    split: randomInt(0, n + 1),
  }));
}

const PYTHON = `
import json, sys
from cryptography.hazmat.primitives.poly1305 import Poly1305
out = []
for c in json.load(sys.stdin):
    key, msg = bytes.fromhex(c['key']), bytes.fromhex(c['msg'])
    tag = Poly1305.generate_tag(key, msg)
    Poly1305.verify_tag(key, msg, tag)
    out.append(tag.hex())
json.dump(out, sys.stdout)
`;

describe('live interop with pyca Poly1305', () => {
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
      const theirs = hex(expected[i]!);
      new Poly1305(key).update(msg.subarray(0, c.split)).update(msg.subarray(c.split)).verify(theirs);
      assert.equal(toHex(Poly1305.generateTag(key, msg)), expected[i], `inputs: ${JSON.stringify(c)}`);
    });
  });
});
