// Hostile input straight into the C functions (the raw binding, past every TypeScript check) and into the
// TypeScript wrappers: wrong types, foreign `this`, detached and short buffers, wrong lengths, bad
// offsets, partial overlaps, use after destroy(). Each must be a TypeError, a RangeError or the
// documented destroyed-context Error, never a crash, and no message may carry a byte of the key.
import assert from 'node:assert/strict';
import * as nc from 'node:crypto';
import { describe, test } from 'node:test';
import { type Binding, NativeAead, NativeHmac, native } from '../../src/internal/native.ts';
import { nativeSkip } from '../helpers/native.ts';

const skip = nativeSkip();
const KEY = new Uint8Array(32).fill(0x5a);
const KEY_HEX = Buffer.from(KEY).toString('hex');

/** A Uint8Array whose ArrayBuffer has been transferred away (length 0, no backing store). */
function detached(n: number): Uint8Array {
  const b = new Uint8Array(n);
  structuredClone(b.buffer, { transfer: [b.buffer] });
  return b;
}

const notBytes: ReadonlyArray<[string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['a number', 32],
  ['NaN', Number.NaN],
  ['a string', 'x'.repeat(32)],
  ['a bigint', 32n],
  ['a symbol', Symbol('k')],
  ['a plain object', { length: 32 }],
  ['an array', Array(32).fill(0)],
  ['an ArrayBuffer', new ArrayBuffer(32)],
  ['a DataView', new DataView(new ArrayBuffer(32))],
  ['an Int8Array', new Int8Array(32)],
  ['a Uint8ClampedArray', new Uint8ClampedArray(32)],
  ['a Uint16Array', new Uint16Array(16)],
  ['a Float64Array', new Float64Array(4)],
  ['a BigUint64Array', new BigUint64Array(4)],
  ['Object.create(Uint8Array.prototype)', Object.create(Uint8Array.prototype)],
  ['a Proxy of a Uint8Array', new Proxy(new Uint8Array(32), {})],
  ['a function', () => KEY],
];

const badKinds: ReadonlyArray<[string, unknown, 'TypeError' | 'RangeError']> = [
  ['undefined', undefined, 'TypeError'],
  ['a string', '2', 'TypeError'],
  ['null', null, 'TypeError'],
  ['an object', { valueOf: () => 2 }, 'TypeError'],
  ['-1', -1, 'RangeError'],
  ['5', 5, 'RangeError'],
  ['1.5', 1.5, 'RangeError'],
  ['NaN', Number.NaN, 'RangeError'],
  ['Infinity', Number.POSITIVE_INFINITY, 'RangeError'],
  ['2^32 + 2', 2 ** 32 + 2, 'RangeError'],
  ['-0.5', -0.5, 'RangeError'],
];

/** Runs `f`, which must throw `kind`; the message must not contain the key. */
function refuses(f: () => unknown, kind: 'TypeError' | 'RangeError' | 'Error', what: string): void {
  let thrown: unknown;
  try {
    f();
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown instanceof Error, `${what}: did not throw`);
  assert.equal(thrown.constructor.name, kind, `${what}: ${thrown.constructor.name}: ${thrown.message}`);
  assert.ok(!thrown.message.includes(KEY_HEX) && !thrown.message.includes('ZZZZ'), `${what}: message leaks`);
}

describe('hostile input into the C functions', { skip }, () => {
  const b = native as Binding;
  const nonce = new Uint8Array(12);
  const data = new Uint8Array(40);
  const tag = new Uint8Array(16);
  const out = () => new Uint8Array(56);

  test('constructors: kinds, keys, and a call without new', () => {
    for (const [label, kind, expected] of badKinds) {
      refuses(() => new b.Aead(kind as number, KEY), expected, `Aead kind ${label}`);
      refuses(() => new b.Hmac(kind as number, KEY), expected, `Hmac kind ${label}`);
      refuses(() => b.hmac(kind as number, KEY, data), expected, `hmac kind ${label}`);
      refuses(() => b.digest(kind as number, data), expected, `digest kind ${label}`);
    }
    refuses(() => new b.Hmac(2, KEY), 'RangeError', 'Hmac kind 2');
    for (const [label, key] of notBytes) {
      refuses(() => new b.Aead(2, key as Uint8Array), 'TypeError', `Aead key ${label}`);
      refuses(() => new b.Hmac(0, key as Uint8Array), 'TypeError', `Hmac key ${label}`);
      refuses(() => b.hmac(0, key as Uint8Array, data), 'TypeError', `hmac key ${label}`);
    }
    for (const [kind, size] of [
      [0, 16],
      [1, 24],
      [2, 32],
      [3, 32],
      [4, 32],
    ]) {
      for (const n of [0, size! - 1, size! + 1, 64]) {
        refuses(() => new b.Aead(kind!, new Uint8Array(n).fill(0x5a)), 'RangeError', `kind ${kind} key ${n}`);
      }
      refuses(() => new b.Aead(kind!, detached(size!)), 'RangeError', `kind ${kind} detached key`);
    }
    const Aead = b.Aead as unknown as (kind: number, key: Uint8Array) => unknown;
    const Hmac = b.Hmac as unknown as (kind: number, key: Uint8Array) => unknown;
    refuses(() => Aead(2, KEY), 'TypeError', 'Aead without new');
    refuses(() => Hmac(0, KEY), 'TypeError', 'Hmac without new');
    refuses(() => Aead.call({}, 2, KEY), 'TypeError', 'Aead.call(object)');
    // A detached HMAC key is the empty key (any length is a valid HMAC key).
    assert.equal(
      b.hmac(0, detached(32), data).toString('hex'),
      nc.createHmac('sha256', Buffer.alloc(0)).update(data).digest('hex'),
    );
  });

  test('methods refuse a foreign or wrong-class `this`', () => {
    const aead = new b.Aead(2, KEY);
    const hmac = new b.Hmac(0, KEY);
    const aeadProto = Object.getPrototypeOf(aead) as Record<string, (...a: unknown[]) => unknown>;
    const hmacProto = Object.getPrototypeOf(hmac) as Record<string, (...a: unknown[]) => unknown>;
    const strangers: unknown[] = [
      undefined,
      null,
      42,
      'aead',
      {},
      Object.create(aeadProto),
      Object.create(hmacProto),
      nc.createSecretKey(KEY),
      new Uint8Array(64),
      () => 0,
    ];
    for (const self of [...strangers, hmac]) {
      for (const m of ['seal', 'open', 'sealAlloc', 'openAlloc', 'deriveKey']) {
        refuses(() => aeadProto[m]!.call(self, nonce, data, undefined, out(), 0), 'TypeError', `Aead ${m}`);
      }
    }
    for (const self of [...strangers, aead]) {
      refuses(() => hmacProto.mac!.call(self, data), 'TypeError', 'Hmac mac');
    }
    for (const self of strangers) {
      refuses(() => aeadProto.destroy!.call(self), 'TypeError', 'Aead destroy');
      refuses(() => hmacProto.destroy!.call(self), 'TypeError', 'Hmac destroy');
    }
    aead.destroy();
    hmac.destroy();
  });

  test('seal and open: wrong types and lengths in every position', () => {
    const ctx = new b.Aead(2, KEY);
    const xaes = new b.Aead(4, KEY);
    for (const [label, v] of notBytes) {
      const x = v as Uint8Array;
      refuses(() => ctx.seal(x, data, undefined, out(), 0), 'TypeError', `seal nonce ${label}`);
      refuses(() => ctx.sealAlloc(x, data, undefined), 'TypeError', `sealAlloc nonce ${label}`);
      refuses(() => ctx.open(x, data, tag, undefined, out(), 0), 'TypeError', `open nonce ${label}`);
      refuses(() => ctx.openAlloc(x, data, tag, undefined), 'TypeError', `openAlloc nonce ${label}`);
      refuses(() => xaes.deriveKey(x, out(), 0), 'TypeError', `deriveKey nonce ${label}`);
      refuses(() => ctx.seal(nonce, x, undefined, out(), 0), 'TypeError', `seal data ${label}`);
      refuses(() => ctx.sealAlloc(nonce, x, undefined), 'TypeError', `sealAlloc data ${label}`);
      refuses(() => ctx.open(nonce, x, tag, undefined, out(), 0), 'TypeError', `open data ${label}`);
      refuses(() => ctx.openAlloc(nonce, x, tag, undefined), 'TypeError', `openAlloc data ${label}`);
      refuses(() => ctx.open(nonce, data, x, undefined, out(), 0), 'TypeError', `open tag ${label}`);
      refuses(() => ctx.openAlloc(nonce, data, x, undefined), 'TypeError', `openAlloc tag ${label}`);
      refuses(() => ctx.seal(nonce, data, undefined, x, 0), 'TypeError', `seal out ${label}`);
      refuses(() => ctx.open(nonce, data, tag, undefined, x, 0), 'TypeError', `open out ${label}`);
      refuses(() => b.digest(0, x), 'TypeError', `digest data ${label}`);
      refuses(() => b.hmac(0, KEY, x), 'TypeError', `hmac data ${label}`);
      if (v !== undefined && v !== null) {
        refuses(() => ctx.seal(nonce, data, x, out(), 0), 'TypeError', `seal aad ${label}`);
        refuses(() => ctx.openAlloc(nonce, data, tag, x), 'TypeError', `openAlloc aad ${label}`);
      }
    }
    for (const n of [0, 8, 11, 13, 16, 24]) {
      refuses(() => ctx.seal(new Uint8Array(n), data, undefined, out(), 0), 'RangeError', `nonce ${n}`);
      refuses(() => ctx.openAlloc(new Uint8Array(n), data, tag, undefined), 'RangeError', `nonce ${n}`);
    }
    refuses(() => ctx.seal(detached(12), data, undefined, out(), 0), 'RangeError', 'detached nonce');
    for (const n of [0, 12, 15, 17, 32]) {
      refuses(() => xaes.sealAlloc(new Uint8Array(n), data, undefined), 'RangeError', `xaes nonce ${n}`);
    }
    for (const t of [0, 1, 4, 8, 12, 15, 17, 32]) {
      refuses(() => ctx.openAlloc(nonce, data, new Uint8Array(t), undefined), 'RangeError', `tag ${t}`);
      refuses(() => ctx.open(nonce, data, new Uint8Array(t), undefined, out(), 0), 'RangeError', `tag ${t}`);
    }
    refuses(() => ctx.openAlloc(nonce, data, detached(16), undefined), 'RangeError', 'detached tag');
    refuses(() => ctx.deriveKey(new Uint8Array(24), out(), 0), 'TypeError', 'deriveKey on GCM');
    ctx.destroy();
    xaes.destroy();
  });

  test('out and offset: short, detached, out of range, partly overlapping', () => {
    const ctx = new b.Aead(3, KEY);
    const badOffsets: ReadonlyArray<[string, unknown, 'TypeError' | 'RangeError']> = [
      ['undefined', undefined, 'TypeError'],
      ['a string', '0', 'TypeError'],
      ['null', null, 'TypeError'],
      ['a bigint', 0n, 'TypeError'],
      ['-1', -1, 'RangeError'],
      ['0.5', 0.5, 'RangeError'],
      ['NaN', Number.NaN, 'RangeError'],
      ['Infinity', Number.POSITIVE_INFINITY, 'RangeError'],
      ['2^53', 2 ** 53, 'RangeError'],
      ['1 (no room left)', 1, 'RangeError'],
      ['57 (past the end)', 57, 'RangeError'],
    ];
    for (const [label, off, kind] of badOffsets) {
      refuses(() => ctx.seal(nonce, data, undefined, out(), off as number), kind, `seal offset ${label}`);
      refuses(
        () => ctx.open(nonce, data, tag, undefined, new Uint8Array(40), off as number),
        kind === 'TypeError' ? kind : 'RangeError',
        `open offset ${label}`,
      );
    }
    for (const n of [0, 16, 40, 55]) {
      refuses(() => ctx.seal(nonce, data, undefined, new Uint8Array(n), 0), 'RangeError', `out of ${n}`);
    }
    refuses(() => ctx.seal(nonce, data, undefined, detached(56), 0), 'RangeError', 'detached out');
    refuses(() => ctx.open(nonce, data, tag, undefined, detached(40), 0), 'RangeError', 'detached out');
    // Output over the input, shifted: OpenSSL's in-place contract is exact aliasing only.
    const buf = new Uint8Array(200);
    refuses(() => ctx.seal(nonce, buf.subarray(0, 40), undefined, buf, 1), 'RangeError', 'overlap +1');
    refuses(() => ctx.seal(nonce, buf.subarray(10, 50), undefined, buf, 0), 'RangeError', 'overlap -10');
    refuses(
      () => ctx.open(nonce, buf.subarray(5, 45), tag, undefined, buf, 20),
      'RangeError',
      'open overlap',
    );
    // Detached inputs read as empty: a valid empty message, never a read of freed memory.
    const sealed = ctx.sealAlloc(nonce, detached(40), detached(3));
    assert.equal(sealed.length, 16);
    assert.deepEqual(ctx.openAlloc(nonce, new Uint8Array(0), sealed, undefined), new Uint8Array(0));
    ctx.destroy();
  });

  test('destroy() then use: a labelled error every time; destroy() twice is harmless', () => {
    const ctx = new b.Aead(4, KEY);
    const hmac = new b.Hmac(1, KEY);
    ctx.destroy();
    ctx.destroy();
    hmac.destroy();
    hmac.destroy();
    const destroyed = { code: 'ERR_COFFER_DESTROYED' };
    assert.throws(() => ctx.sealAlloc(new Uint8Array(24), data, undefined), destroyed);
    assert.throws(() => ctx.seal(new Uint8Array(24), data, undefined, out(), 0), destroyed);
    assert.throws(() => ctx.openAlloc(new Uint8Array(24), data, tag, undefined), destroyed);
    assert.throws(() => ctx.open(new Uint8Array(24), data, tag, undefined, out(), 0), destroyed);
    assert.throws(() => ctx.deriveKey(new Uint8Array(24), out(), 0), destroyed);
    assert.throws(() => hmac.mac(data), destroyed);
  });
});

describe('hostile input into the TypeScript wrappers', { skip }, () => {
  test('NativeAead and NativeHmac check before calling into C', () => {
    refuses(() => new NativeAead('aes-256-ocb' as 'aes-256-gcm', KEY), 'TypeError', 'unknown AEAD');
    refuses(() => new NativeAead('__proto__' as 'aes-256-gcm', KEY), 'TypeError', 'prototype name');
    refuses(() => new NativeAead('aes-128-gcm', KEY), 'RangeError', 'key length');
    refuses(() => new NativeHmac('md5', KEY), 'TypeError', 'unknown digest');
    const ctx = new NativeAead('aes-256-gcm', KEY);
    for (const [label, v] of notBytes) {
      if (v === undefined || v === null) continue;
      const x = v as Uint8Array;
      refuses(() => ctx.seal(x, new Uint8Array(1)), 'TypeError', `nonce ${label}`);
      refuses(() => ctx.seal(new Uint8Array(12), x), 'TypeError', `data ${label}`);
      refuses(() => ctx.seal(new Uint8Array(12), new Uint8Array(1), x), 'TypeError', `aad ${label}`);
      refuses(() => ctx.open(new Uint8Array(12), new Uint8Array(1), x), 'TypeError', `tag ${label}`);
      refuses(
        () => ctx.sealInto(new Uint8Array(12), new Uint8Array(1), undefined, x, 0),
        'TypeError',
        `out ${label}`,
      );
    }
    refuses(
      () => ctx.sealInto(new Uint8Array(12), new Uint8Array(1), undefined, new Uint8Array(16), 0),
      'RangeError',
      'short out',
    );
    refuses(
      () => ctx.sealInto(new Uint8Array(12), new Uint8Array(1), undefined, new Uint8Array(17), -1),
      'TypeError',
      'offset -1',
    );
    refuses(
      () =>
        ctx.openInto(
          new Uint8Array(12),
          new Uint8Array(1),
          new Uint8Array(16),
          undefined,
          new Uint8Array(1),
          1,
        ),
      'RangeError',
      'offset at end',
    );
    ctx.destroy();
    assert.throws(() => ctx.seal(new Uint8Array(12), new Uint8Array(1)), { code: 'ERR_COFFER_DESTROYED' });
  });
});
