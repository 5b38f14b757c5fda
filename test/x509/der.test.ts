// The strict DER reader/writer (src/formats/der.ts): one encoding per value, named errors for the rest,
// and fast-check round trips plus random-byte fuzzing (only DecodeError may escape).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../../src/errors.ts';
import { DER_LIMITS, DerReader, der } from '../../src/formats/der.ts';

const h = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
function rejects(hex: string, re: RegExp, read: (r: DerReader) => unknown = (r) => r.readElement()): void {
  assert.throws(
    () => {
      const r = new DerReader(h(hex));
      read(r);
      r.end();
    },
    (e: unknown) => e instanceof DecodeError && re.test(e.message),
    `${hex} should fail with ${re}`,
  );
}

describe('DER reader rejects non-DER', () => {
  test('lengths', () => {
    rejects('0480', /indefinite length/);
    rejects('04 81 05 0102030405', /non-minimal length/);
    rejects('04 82 0005 0102030405', /non-minimal length/);
    rejects('04 85 0000000001 00', /too large/);
    rejects('04 05 0102', /truncated/);
    rejects('04', /truncated/);
    rejects('04 82 01', /truncated/);
    rejects('0400 00', /trailing data/);
    rejects('1f2200', /high tag number/);
  });
  test('INTEGER', () => {
    rejects('0200', /empty INTEGER/, (r) => r.readInteger());
    rejects('0202 007f', /non-minimal INTEGER/, (r) => r.readInteger());
    rejects('0202 ff80', /non-minimal INTEGER/, (r) => r.readInteger());
    assert.equal(new DerReader(h('0202 0080')).readInteger(), 128n);
    assert.equal(new DerReader(h('0201 ff')).readInteger(), -1n);
  });
  test('OID', () => {
    rejects('0600', /empty OBJECT IDENTIFIER/, (r) => r.readOid());
    rejects('0602 2a80', /truncated OBJECT IDENTIFIER/, (r) => r.readOid());
    rejects('0603 2a 8001', /non-minimal OBJECT IDENTIFIER/, (r) => r.readOid());
    assert.equal(new DerReader(h('0603 551d11')).readOid(), '2.5.29.17');
    assert.equal(new DerReader(der.oid('2.999.3')).readOid(), '2.999.3');
  });
  test('BOOLEAN, NULL, BIT STRING', () => {
    rejects('0101 01', /0x00 or 0xff/, (r) => r.readBoolean());
    rejects('0102 ffff', /one octet/, (r) => r.readBoolean());
    rejects('0501 00', /NULL must be empty/, (r) => r.readNull());
    rejects('0300', /unused-bits octet/, (r) => r.readBitString());
    rejects('0302 08 00', /above 7/, (r) => r.readBitString());
    rejects('0302 01 01', /non-zero unused bits/, (r) => r.readBitString());
    rejects('0301 01', /empty BIT STRING with unused bits/, (r) => r.readBitString());
  });
  test('times', () => {
    const t = (s: string, tag = 0x17) =>
      Buffer.concat([Buffer.of(tag, s.length), Buffer.from(s)]).toString('hex');
    rejects(t('2401010000Z'), /UTCTime/, (r) => r.readTime());
    rejects(t('240101000000+0100'), /UTCTime/, (r) => r.readTime());
    rejects(t('241301000000Z'), /out of range/, (r) => r.readTime());
    rejects(t('240230000000Z'), /out of range/, (r) => r.readTime());
    rejects(t('20240101000000.10Z', 0x18), /GeneralizedTime/, (r) => r.readTime());
    rejects(t('20240101000000.Z', 0x18), /GeneralizedTime/, (r) => r.readTime());
    rejects(t('20240101000000', 0x18), /GeneralizedTime/, (r) => r.readTime());
    assert.equal(
      new DerReader(h(t('500101000000Z'))).readTime().date.toISOString(),
      '1950-01-01T00:00:00.000Z',
    );
    assert.equal(
      new DerReader(h(t('491231235959Z'))).readTime().date.toISOString(),
      '2049-12-31T23:59:59.000Z',
    );
    assert.equal(new DerReader(h(t('20240229000000.5Z', 0x18))).readTime().fractional, true);
  });
  test('depth and size are bounded', () => {
    let x: Uint8Array = der.null();
    for (let i = 0; i < DER_LIMITS.maxDepth + 2; i++) x = der.sequence([x]);
    assert.throws(() => {
      let r = new DerReader(x);
      for (;;) r = r.readSequence();
    }, /nesting deeper/);
    assert.throws(() => new DerReader(new Uint8Array(DER_LIMITS.maxSize + 1)), DecodeError);
    assert.throws(() => new DerReader('30' as unknown as Uint8Array), TypeError);
  });
});

describe('DER round trips (fast-check)', () => {
  test('INTEGER', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 300n), max: 1n << 300n }), (v) => {
        const r = new DerReader(der.integer(v));
        assert.equal(r.readInteger(), v);
        r.end();
      }),
    );
  });
  test('OID', () => {
    const arc = fc.bigInt({ min: 0n, max: 1n << 64n });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 39 }),
        fc.array(arc, { maxLength: 8 }),
        (a, b, rest) => {
          const oid = [a, b, ...rest].join('.');
          assert.equal(new DerReader(der.oid(oid)).readOid(), oid);
        },
      ),
    );
  });
  test('times and strings', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1950-01-01Z'), max: new Date('9999-12-31Z'), noInvalidDate: true }),
        (d) => {
          const whole = new Date(Math.floor(d.getTime() / 1000) * 1000);
          assert.equal(new DerReader(der.time(whole)).readTime().date.getTime(), whole.getTime());
        },
      ),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const r = new DerReader(der.utf8String(s));
        const el = r.readElement();
        assert.equal(new TextDecoder().decode(el.contents), s);
      }),
    );
  });
  test('random bytes only ever raise DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        try {
          const r = new DerReader(b);
          while (!r.done) {
            const el = r.readElement();
            if (el.tag & 0x20) r.child(el).readElement();
          }
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
