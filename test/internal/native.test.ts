// Differential tests of the native backend (src/native/coffer.c through src/internal/native.ts) against
// node:crypto called directly: every AEAD, XAES-256-GCM, HMAC and the hashes, on random sizes from 0 to
// just over 1 MiB with random associated data, every truncation of the tag, and a flipped bit in every
// byte of short messages. Then the public API on both backends at once: the same operations run in a
// child process with COFFER_BACKEND=js and must give the same bytes, sealed tokens included.
import assert from 'node:assert/strict';
import * as nc from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { InvalidTag } from '../../src/errors.ts';
import { AESGCM, ChaCha20Poly1305 } from '../../src/hazmat/aead.ts';
import { aeadOpen, aeadSeal } from '../../src/internal/backend-aead.ts';
import { NativeAead, NativeHmac, nativeDigest, nativeHmac } from '../../src/internal/native.ts';
import { Xaes256Gcm } from '../../src/internal/xaes.ts';
import { openRaw, sealingKey, sealRaw } from '../../src/recipes/sealed-token.ts';
import { nativeSkip, runOnBackend } from '../helpers/native.ts';
import type { ChildAnswer, ChildOp } from '../helpers/native-child.ts';
import { prng, testSeed } from '../helpers/prng.ts';

const skip = nativeSkip();
const MiB = 1024 * 1024;
const AEADS = ['aes-128-gcm', 'aes-192-gcm', 'aes-256-gcm', 'chacha20-poly1305'] as const;
const KEY_BYTES: Record<string, number> = {
  'aes-128-gcm': 16,
  'aes-192-gcm': 24,
  'aes-256-gcm': 32,
  'chacha20-poly1305': 32,
  'xaes-256-gcm': 32,
};
const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const rand = (n: number) => new Uint8Array(nc.randomBytes(n));

// ---------------------------------------------------------------------------------------------------
// References: node:crypto, called the way its documentation shows, nothing of coffer's.

function refSeal(name: string, key: Uint8Array, nonce: Uint8Array, pt: Uint8Array, aad?: Uint8Array): Buffer {
  const c = nc.createCipheriv(name as nc.CipherGCMTypes, key, nonce, { authTagLength: 16 });
  if (aad !== undefined) c.setAAD(aad);
  return Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
}

function refOpen(
  name: string,
  key: Uint8Array,
  nonce: Uint8Array,
  ct: Uint8Array,
  tag: Uint8Array,
  aad?: Uint8Array,
): Buffer | null {
  try {
    const d = nc.createDecipheriv(name as nc.CipherGCMTypes, key, nonce, { authTagLength: 16 });
    d.setAuthTag(tag);
    if (aad !== undefined) d.setAAD(aad);
    return Buffer.concat([d.update(ct), d.final()]);
  } catch {
    return null;
  }
}

/** XAES-256-GCM composed from node's AES-256-ECB and AES-256-GCM (c2sp.org/XAES-256-GCM). */
function refXaesKey(key: Uint8Array, nonce: Uint8Array): Buffer {
  const ecb = (b: Uint8Array) => {
    const c = nc.createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
    return Buffer.concat([c.update(b), c.final()]);
  };
  const l = ecb(new Uint8Array(16));
  const k1 = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) k1[i] = ((l[i]! << 1) | (i < 15 ? l[i + 1]! >>> 7 : 0)) & 0xff;
  if (l[0]! & 0x80) k1[15]! ^= 0x87;
  const m = Buffer.alloc(32);
  for (const [half, i] of [
    [0, 1],
    [16, 2],
  ] as const) {
    m.set([0, i, 0x58, 0], half);
    m.set(nonce.subarray(0, 12), half + 4);
    for (let j = 0; j < 16; j++) m[half + j]! ^= k1[j]!;
  }
  return ecb(m);
}

const refXaesSeal = (key: Uint8Array, nonce: Uint8Array, pt: Uint8Array, aad?: Uint8Array) =>
  refSeal('aes-256-gcm', refXaesKey(key, nonce), nonce.subarray(12), pt, aad);

/** A size: mostly small, often around block and chunk edges, sometimes up to just over 1 MiB. */
const sizeArb = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 300 }) },
  { weight: 2, arbitrary: fc.integer({ min: 4000, max: 70_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 15, 16, 17, 4095, 4096, 65536, MiB - 1, MiB, MiB + 17) },
  { weight: 1, arbitrary: fc.integer({ min: 70_000, max: MiB + 64 }) },
);
const aadArb = fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined });

describe('native AEAD contexts against node:crypto', { skip }, () => {
  for (const name of [...AEADS, 'xaes-256-gcm'] as const) {
    const nonceBytes = name === 'xaes-256-gcm' ? 24 : 12;
    const ref = (k: Uint8Array, n: Uint8Array, p: Uint8Array, a?: Uint8Array) =>
      name === 'xaes-256-gcm' ? refXaesSeal(k, n, p, a) : refSeal(name, k, n, p, a);

    test(`${name}: random sizes 0..1 MiB + 64, random AAD, every form`, () => {
      const key = rand(KEY_BYTES[name]!);
      const ctx = new NativeAead(name, key);
      fc.assert(
        fc.property(sizeArb, aadArb, fc.integer({ min: 0, max: 40 }), (size, aadSize, offset) => {
          const nonce = rand(nonceBytes);
          const pt = rand(size);
          const aad = aadSize === undefined ? undefined : rand(aadSize);
          const want = ref(key, nonce, pt, aad);
          assert.equal(hex(ctx.seal(nonce, pt, aad)), hex(want));
          // Into a caller's buffer at an offset, bytes around it untouched.
          const out = new Uint8Array(offset + want.length + 3).fill(0xee);
          ctx.sealInto(nonce, pt, aad, out, offset);
          assert.equal(hex(out.subarray(offset, offset + want.length)), hex(want));
          assert.deepEqual(
            [...out.subarray(0, offset), ...out.subarray(offset + want.length)],
            [...new Uint8Array(offset + 3).fill(0xee)],
          );
          const ct = want.subarray(0, size);
          const tag = want.subarray(size);
          assert.equal(hex(ctx.open(nonce, ct, tag, aad)!), hex(pt));
          const back = new Uint8Array(offset + size);
          assert.equal(ctx.openInto(nonce, ct, tag, aad, back, offset), true);
          assert.equal(hex(back.subarray(offset)), hex(pt));
        }),
        { numRuns: 40 },
      );
      ctx.destroy();
    });

    test(`${name}: every truncation of the tag and a flipped bit in every byte is refused`, () => {
      const key = rand(KEY_BYTES[name]!);
      const ctx = new NativeAead(name, key);
      for (const size of [0, 1, 15, 16, 17, 33]) {
        const nonce = rand(nonceBytes);
        const pt = rand(size);
        const aad = rand(size % 7);
        const sealed = ctx.seal(nonce, pt, aad);
        const ct = sealed.subarray(0, size);
        const tag = sealed.subarray(size);
        for (let t = 0; t < 16; t++) {
          // The native call takes whole tags only: a short one is a RangeError, never a weaker check.
          assert.throws(() => ctx.open(nonce, ct, tag.subarray(0, t), aad), RangeError);
        }
        const flipAt = (b: Uint8Array, i: number) => {
          const c = b.slice();
          c[i]! ^= 1 << (i % 8);
          return c;
        };
        for (let i = 0; i < sealed.length; i++) {
          const bad = flipAt(sealed, i);
          assert.equal(ctx.open(nonce, bad.subarray(0, size), bad.subarray(size), aad), null, `byte ${i}`);
          if (name !== 'xaes-256-gcm') {
            assert.equal(refOpen(name, key, nonce, bad.subarray(0, size), bad.subarray(size), aad), null);
          }
        }
        for (let i = 0; i < nonceBytes; i++) assert.equal(ctx.open(flipAt(nonce, i), ct, tag, aad), null);
        for (let i = 0; i < aad.length; i++) assert.equal(ctx.open(nonce, ct, tag, flipAt(aad, i)), null);
        // A failed open wipes what it wrote into the caller's buffer.
        const out = new Uint8Array(size).fill(0xaa);
        assert.equal(ctx.openInto(nonce, ct, flipAt(tag, 0), aad, out, 0), false);
        assert.deepEqual(out, new Uint8Array(size));
      }
      ctx.destroy();
    });
  }

  test('in-place sealing and opening (out is the input) give the same bytes', () => {
    const key = rand(32);
    const ctx = new NativeAead('aes-256-gcm', key);
    const nonce = rand(12);
    const pt = rand(1000);
    const buf = new Uint8Array(1016);
    buf.set(pt);
    ctx.sealInto(nonce, buf.subarray(0, 1000), undefined, buf, 0);
    assert.equal(hex(buf), hex(refSeal('aes-256-gcm', key, nonce, pt)));
    assert.equal(ctx.openInto(nonce, buf.subarray(0, 1000), buf.slice(1000), undefined, buf, 0), true);
    assert.equal(hex(buf.subarray(0, 1000)), hex(pt));
  });

  test('XAES-256-GCM: deriveKey matches the composition from node:crypto', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 24, maxLength: 24 }),
        (k, n) => {
          const ctx = new NativeAead('xaes-256-gcm', k);
          assert.equal(hex(ctx.deriveKey(n)), hex(refXaesKey(k, n)));
          ctx.destroy();
        },
      ),
      { numRuns: 200 },
    );
  });

  test('the adapter (backend-aead) serves 12-byte nonces natively, other shapes through node:crypto', () => {
    const key = nc.createSecretKey(rand(32));
    const raw = key.export();
    for (const [nonceBytes, tagLength] of [
      [12, 16],
      [8, 16],
      [16, 16],
      [12, 12],
    ] as const) {
      const nonce = rand(nonceBytes);
      const pt = rand(100);
      const sealed = aeadSeal('aes-256-gcm', false, key, nonce, pt, undefined, tagLength);
      const c = nc.createCipheriv('aes-256-gcm', raw, nonce, { authTagLength: tagLength });
      assert.equal(hex(sealed), hex(Buffer.concat([c.update(pt), c.final(), c.getAuthTag()])));
      const opened = aeadOpen(
        'aes-256-gcm',
        false,
        key,
        nonce,
        sealed.subarray(0, 100),
        sealed.subarray(100),
        undefined,
      );
      assert.equal(hex(opened!), hex(pt));
    }
  });
});

describe('native HMAC and hashes against node:crypto', { skip }, () => {
  for (const [name, kind] of [
    ['sha256', 0],
    ['sha512', 1],
  ] as const) {
    test(`${name}: one-shot hash, one-shot HMAC and keyed HMAC on random sizes`, () => {
      fc.assert(
        fc.property(sizeArb, fc.integer({ min: 0, max: 200 }), (size, keySize) => {
          const data = rand(size);
          const key = rand(keySize);
          const want = nc.createHmac(name, key).update(data).digest('hex');
          assert.equal(
            nativeDigest(kind, data).toString('hex'),
            nc.createHash(name).update(data).digest('hex'),
          );
          assert.equal(nativeHmac(kind, key, data).toString('hex'), want);
          const keyed = new NativeHmac(name, key);
          assert.equal(keyed.mac(data).toString('hex'), want);
          assert.equal(keyed.mac(data).toString('hex'), want, 'a second call starts from the same key');
          assert.equal(keyed.mac(new Uint8Array(0)).toString('hex'), nc.createHmac(name, key).digest('hex'));
          keyed.destroy();
        }),
        { numRuns: 40 },
      );
    });
  }

  test("an empty HMAC key is the empty key, never the previous call's key", () => {
    const data = rand(50);
    nativeHmac(0, rand(32), data);
    assert.equal(
      nativeHmac(0, new Uint8Array(0), data).toString('hex'),
      nc.createHmac('sha256', Buffer.alloc(0)).update(data).digest('hex'),
    );
    assert.equal(
      nativeHmac(0, new Uint8Array(new ArrayBuffer(0)), data).toString('hex'),
      nc.createHmac('sha256', Buffer.alloc(0)).update(data).digest('hex'),
    );
  });
});

describe('the public API on both backends gives identical bytes', { skip }, () => {
  test('AESGCM, ChaCha20Poly1305, hmac, hash and sealed tokens: native here, COFFER_BACKEND=js in a child', () => {
    const r = prng(testSeed(0x6e617469));
    const ops: ChildOp[] = [];
    const hx = (n: number) => nc.randomBytes(n).toString('hex');
    for (let i = 0; i < 60; i++) {
      const size = r.pick([
        0,
        1,
        16,
        64,
        1000,
        4096,
        70_000,
        r.int(0, 3000),
        ...(i % 20 === 0 ? [MiB + 5] : []),
      ]);
      const alg = r.pick(['AESGCM', 'ChaCha20Poly1305'] as const);
      const key = hx(alg === 'AESGCM' ? r.pick([16, 24, 32]) : 32);
      const aad = r.pick([null, hx(0), hx(r.int(1, 300))]);
      const nonce = hx(12);
      const data = hx(size);
      ops.push({ op: 'encrypt', alg, key, nonce, data, aad });
      // Decrypt a forgery and a truncation too: both backends must refuse alike.
      const sealed = hex(
        alg === 'AESGCM'
          ? new AESGCM(Buffer.from(key, 'hex')).encrypt(
              Buffer.from(nonce, 'hex'),
              Buffer.from(data, 'hex'),
              aad === null ? null : Buffer.from(aad, 'hex'),
            )
          : new ChaCha20Poly1305(Buffer.from(key, 'hex')).encrypt(
              Buffer.from(nonce, 'hex'),
              Buffer.from(data, 'hex'),
              aad === null ? null : Buffer.from(aad, 'hex'),
            ),
      );
      ops.push({ op: 'decrypt', alg, key, nonce, data: sealed, aad });
      ops.push({ op: 'decrypt', alg, key, nonce, data: sealed.slice(0, -2 * r.int(1, 16)), aad });
      const bad = Buffer.from(sealed, 'hex');
      bad[r.int(0, bad.length - 1)]! ^= 1 << r.int(0, 7);
      ops.push({ op: 'decrypt', alg, key, nonce, data: bad.toString('hex'), aad });
      const hash = r.pick(['sha256', 'sha512'] as const);
      ops.push({ op: 'hmac', hash, key: hx(r.int(0, 200)), data: hx(size) });
      ops.push({ op: 'hash', hash, data: hx(size) });
      const tokenKey = hx(32);
      const context = hx(r.int(0, 100));
      ops.push({
        op: 'seal',
        id: r.int(0, 2 ** 31),
        key: tokenKey,
        plaintext: hx(Math.min(size, 5000)),
        context,
        nonce: hx(24),
      });
    }
    const mine = runOnBackend<ChildAnswer>('native', ops);
    const theirs = runOnBackend<ChildAnswer>('js', ops);
    assert.equal(mine.backend, 'native');
    assert.equal(theirs.backend, 'node:crypto');
    assert.equal(mine.results.length, ops.length);
    for (let i = 0; i < ops.length; i++) {
      assert.equal(mine.results[i], theirs.results[i], `operation ${i} (${ops[i]!.op})`);
    }
    assert.ok(theirs.results.includes('InvalidTag'));
    // Tokens sealed by one backend open on the other.
    const opens: ChildOp[] = [];
    ops.forEach((op, i) => {
      if (op.op === 'seal')
        opens.push({ op: 'open', id: op.id, key: op.key, token: mine.results[i]!, context: op.context });
    });
    const opened = runOnBackend<ChildAnswer>('js', opens);
    opens.forEach((op, i) => {
      const seal = ops.find((o) => o.op === 'seal' && o.key === (op as { key: string }).key) as {
        plaintext: string;
      };
      assert.equal(opened.results[i], seal.plaintext);
    });
  });

  test('sealed tokens in this process: native seal, open, and refusal of a changed byte', () => {
    const key = sealingKey(7, rand(32));
    const context = rand(20);
    for (const size of [0, 1, 100, 5000, 200_000]) {
      const pt = rand(size);
      const token = sealRaw(key, pt, context);
      assert.deepEqual(openRaw(key, token, context), pt);
      const bad = token.slice();
      bad[token.length - 1]! ^= 1;
      assert.throws(() => openRaw(key, bad, context), { name: 'InvalidToken' });
    }
  });

  test('Xaes256Gcm serves seal, sealInto and open through the native context', () => {
    const k = rand(32);
    const x = new Xaes256Gcm(k);
    const nonce = rand(24);
    const pt = rand(333);
    const [ct, tag] = x.seal(nonce, pt, undefined);
    assert.equal(hex(Buffer.concat([ct, tag])), hex(refXaesSeal(k, nonce, pt)));
    const out = new Uint8Array(10 + 333 + 16);
    x.sealInto(nonce, pt, undefined, out, 10);
    assert.equal(hex(out.subarray(10)), hex(refXaesSeal(k, nonce, pt)));
    assert.equal(hex(x.open(nonce, ct, tag, undefined)!), hex(pt));
    assert.equal(x.open(nonce, ct, tag.subarray(0, 12), undefined), null, 'a truncated tag never verifies');
    assert.throws(() => new AESGCM(new Uint8Array(32)).decrypt(rand(12), rand(15)), InvalidTag);
  });
});
