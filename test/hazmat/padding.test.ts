// coffer/hazmat/padding: PKCS #7 and ANSI X9.23 against pyca (the same bytes from every update and
// finalize, for random data, block sizes and chunkings), the branch-free padding check against a plain
// reference on every 2-byte block and on random blocks, the one error for all bad padding, and
// fast-check round trips.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { AlreadyFinalized } from '../../src/errors.ts';
import { ANSIX923, INVALID_PADDING, type PaddingContext, PKCS7 } from '../../src/hazmat/padding.ts';
import { concat } from '../../src/internal/bytes.ts';
import { pycaSkip, runPython } from '../helpers/python.ts';
import { hex, toHex } from '../helpers/vectors.ts';

type Scheme = 'PKCS7' | 'ANSIX923';
const make = (scheme: Scheme, bits: number) => (scheme === 'PKCS7' ? new PKCS7(bits) : new ANSIX923(bits));

function all(ctx: PaddingContext, chunks: Uint8Array[]): Uint8Array {
  return concat(...chunks.map((c) => ctx.update(c)), ctx.finalize());
}

/** Plain (branching) statement of each rule, to check the branch-free one against. */
function reference(scheme: Scheme, block: Uint8Array): number {
  const n = block.length;
  const pad = block[n - 1] ?? 0;
  if (pad < 1 || pad > n) return -1;
  for (let i = n - pad; i < n - 1; i++) {
    if ((scheme === 'PKCS7' && block[i] !== pad) || (scheme === 'ANSIX923' && block[i] !== 0)) return -1;
  }
  return pad;
}

function unpadOutcome(scheme: Scheme, bits: number, data: Uint8Array): Uint8Array | 'invalid' {
  try {
    return all(make(scheme, bits).unpadder(), [data]);
  } catch (err) {
    assert.ok(err instanceof RangeError, String(err));
    assert.equal(err.message, INVALID_PADDING);
    assert.equal(err.cause, undefined);
    return 'invalid';
  }
}

describe('known forms', () => {
  test('PKCS #7: n bytes of n; aligned input gains a whole block', () => {
    assert.equal(toHex(all(new PKCS7(128).padder(), [])), '10'.repeat(16));
    assert.equal(
      toHex(all(new PKCS7(64).padder(), [hex('dddddddddddddddddddddddd')])),
      'dddddddddddddddddddddddd04040404',
    );
    assert.equal(toHex(all(new PKCS7(8).padder(), [hex('aabb')])), 'aabb01');
    assert.equal(all(new PKCS7(2040).padder(), [new Uint8Array(0)])[254], 255);
  });

  test('ANSI X9.23: zeros, then the count', () => {
    assert.equal(
      toHex(all(new ANSIX923(64).padder(), [hex('dddddddddddddddddddddddd')])),
      'dddddddddddddddddddddddd00000004',
    );
    assert.equal(toHex(all(new ANSIX923(128).padder(), [])), `${'00'.repeat(15)}10`);
  });

  test('block sizes are bits: a multiple of 8 from 8 to 2040 (pyca takes 0 too, and then panics)', () => {
    for (const Scheme of [PKCS7, ANSIX923]) {
      assert.equal(new Scheme(8).blockSize, 8);
      for (const bad of [0, 4, 12, 2041, 2048])
        assert.throws(() => new Scheme(bad), { name: 'RangeError', message: /"blockSize"/ });
      assert.throws(() => new Scheme('128' as never), { name: 'TypeError', message: /"blockSize"/ });
    }
  });
});

describe('contexts', () => {
  test('the unpadder always holds the last block back (as pyca)', () => {
    const u = new PKCS7(128).unpadder();
    assert.equal(u.update(new Uint8Array(15)).length, 0);
    assert.equal(u.update(new Uint8Array(2)).length, 0);
    assert.equal(u.update(new Uint8Array(15)).length, 16);
    assert.throws(() => u.finalize(), { name: 'RangeError', message: INVALID_PADDING });
  });

  test('single use: AlreadyFinalized after finalize, even a failed one', () => {
    for (const ctx of [new PKCS7(128).padder(), new ANSIX923(64).unpadder()]) {
      try {
        ctx.finalize();
      } catch {}
      assert.throws(() => ctx.update(new Uint8Array(1)), AlreadyFinalized);
      assert.throws(() => ctx.finalize(), AlreadyFinalized);
    }
  });

  test('outputs and held bytes are copies: the caller may reuse its buffers', () => {
    const data = Buffer.alloc(20, 7);
    const p = new PKCS7(128).padder();
    const out = p.update(data);
    const u = new PKCS7(128).unpadder();
    const padded = Buffer.from(concat(out, p.finalize()));
    const first = u.update(padded);
    data.fill(0);
    padded.fill(0);
    assert.deepEqual(out, new Uint8Array(20).fill(7));
    assert.deepEqual(concat(first, u.finalize()), new Uint8Array(20).fill(7));
  });

  test('bytes only, labelled', () => {
    assert.throws(() => new PKCS7(128).padder().update('text' as never), {
      name: 'TypeError',
      message: '"data" must be a Uint8Array, got string',
    });
  });
});

describe('every bad padding raises one RangeError with one message', () => {
  const cases: Array<[Scheme, number, string, string]> = [
    ['PKCS7', 128, 'empty input', ''],
    ['PKCS7', 128, 'not whole blocks', '00'.repeat(17)],
    ['PKCS7', 128, 'last byte 0', '00'.repeat(16)],
    ['PKCS7', 128, 'last byte 17', `${'11'.repeat(16)}`],
    ['PKCS7', 128, 'last byte 0xff', `${'00'.repeat(15)}ff`],
    ['PKCS7', 128, 'one wrong pad byte, first', `${'00'.repeat(12)}03040404`],
    ['PKCS7', 128, 'one wrong pad byte, last but one', `${'00'.repeat(12)}04040304`],
    ['PKCS7', 128, 'a block of 16s with one 15', `${'10'.repeat(15).replace(/^10/, '0f')}10`],
    ['PKCS7', 64, 'valid for 16-byte blocks, 8-byte block size', '10'.repeat(16)],
    ['ANSIX923', 128, 'empty input', ''],
    ['ANSIX923', 128, 'last byte 0', '00'.repeat(16)],
    ['ANSIX923', 128, 'last byte 17', `${'00'.repeat(15)}11`],
    ['ANSIX923', 128, 'a non-zero pad byte', `${'00'.repeat(12)}00010004`],
    ['ANSIX923', 128, 'PKCS #7 padding', `${'00'.repeat(12)}04040404`],
  ];
  for (const [scheme, bits, name, data] of cases) {
    test(`${scheme}(${bits}): ${name}`, () => {
      assert.equal(unpadOutcome(scheme, bits, hex(data)), 'invalid');
    });
  }
});

describe('the branch-free check agrees with the plain rule', () => {
  for (const scheme of ['PKCS7', 'ANSIX923'] as const) {
    test(`${scheme}: all 65536 blocks of 2 bytes`, () => {
      const block = new Uint8Array(2);
      for (let v = 0; v < 65536; v++) {
        block[0] = v >> 8;
        block[1] = v & 0xff;
        const want = reference(scheme, block);
        const got = unpadOutcome(scheme, 16, block);
        if (want < 0) assert.equal(got, 'invalid', toHex(block));
        else assert.deepEqual(got, block.subarray(0, 2 - want), toHex(block));
      }
    });

    test(`${scheme}: random 16- and 255-byte blocks, padded and corrupted (fast-check)`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom(16, 255),
          fc.integer({ min: 1, max: 255 }),
          fc.nat(),
          fc.integer({ min: 0, max: 255 }),
          fc.boolean(),
          (n, padIn, where, value, corrupt) => {
            const pad = ((padIn - 1) % n) + 1;
            const block = new Uint8Array(randomBytes(n));
            block.fill(scheme === 'PKCS7' ? pad : 0, n - pad);
            block[n - 1] = pad;
            if (corrupt) block[where % n] = value;
            const want = reference(scheme, block);
            const got = unpadOutcome(scheme, n * 8, block);
            if (want < 0) assert.equal(got, 'invalid');
            else assert.deepEqual(got, block.subarray(0, n - want));
          },
        ),
        { numRuns: 2000 },
      );
    });
  }
});

describe('round trips for any data and chunking (fast-check)', () => {
  for (const scheme of ['PKCS7', 'ANSIX923'] as const) {
    test(scheme, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 255 }),
          fc.uint8Array({ maxLength: 600 }),
          fc.array(fc.nat(), { maxLength: 6 }),
          (blockBytes, data, cuts) => {
            const split = (b: Uint8Array) => {
              const points = [0, ...cuts.map((c) => c % (b.length + 1)).sort((x, y) => x - y), b.length];
              return points.slice(1).map((end, i) => b.subarray(points[i], end));
            };
            const padded = all(make(scheme, blockBytes * 8).padder(), split(data));
            assert.equal(padded.length % blockBytes, 0);
            assert.ok(padded.length > data.length && padded.length <= data.length + blockBytes);
            assert.deepEqual(all(make(scheme, blockBytes * 8).unpadder(), split(padded)), data);
          },
        ),
        { numRuns: 300 },
      );
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// pyca: the same bytes out of every update and finalize.

interface PyCase {
  scheme: Scheme;
  bits: number;
  chunks: string[];
  /** Unpad this instead (a padded message, possibly corrupted). */
  unpad: string | null;
}

function pyCases(): PyCase[] {
  const out: PyCase[] = [];
  for (let i = 0; i < 60; i++) {
    const scheme: Scheme = i % 2 === 0 ? 'PKCS7' : 'ANSIX923';
    const bits = [8, 64, 128, 136, 1024, 2040][i % 6] ?? 128;
    const chunks = Array.from({ length: 1 + (i % 4) }, () =>
      toHex(new Uint8Array(randomBytes((i * 7) % 90))),
    );
    out.push({ scheme, bits, chunks, unpad: null });
    // Unpadding: pyca's own padded output, and the same with its last byte or a pad byte changed.
    const padded = all(make(scheme, bits).padder(), chunks.map(hex));
    out.push({ scheme, bits, chunks: [], unpad: toHex(padded) });
    const bad = Uint8Array.from(padded);
    bad[bad.length - 1 - (i % Math.min(3, padded.length))]! ^= 1 << (i % 8);
    out.push({ scheme, bits, chunks: [], unpad: toHex(bad) });
  }
  return out;
}

const PYTHON = `
import json, sys
from cryptography.hazmat.primitives import padding
out = []
for c in json.load(sys.stdin):
    scheme = padding.PKCS7 if c['scheme'] == 'PKCS7' else padding.ANSIX923
    if c['unpad'] is None:
        p = scheme(c['bits']).padder()
        out.append([p.update(bytes.fromhex(x)).hex() for x in c['chunks']] + [p.finalize().hex()])
    else:
        u = scheme(c['bits']).unpadder()
        data = bytes.fromhex(c['unpad'])
        try:
            out.append([u.update(data).hex(), u.finalize().hex()])
        except ValueError:
            out.append('invalid')
json.dump(out, sys.stdout)
`;

const skip = pycaSkip();
if (skip) {
  test('padding: coffer vs pyca', { skip }, () => {});
} else {
  describe('padding: coffer vs pyca', () => {
    const cases = pyCases();
    let expected: Array<string[] | 'invalid'> = [];
    before(() => {
      expected = runPython(PYTHON, cases);
    });
    cases.forEach((c, i) => {
      const what = c.unpad === null ? `pad ${c.chunks.length} chunks` : 'unpad';
      test(`#${i} ${c.scheme}(${c.bits}) ${what}`, () => {
        const want = expected[i];
        if (c.unpad === null) {
          const p = make(c.scheme, c.bits).padder();
          const got = [...c.chunks.map((x) => toHex(p.update(hex(x)))), toHex(p.finalize())];
          assert.deepEqual(got, want);
          return;
        }
        const u = make(c.scheme, c.bits).unpadder();
        const first = toHex(u.update(hex(c.unpad)));
        let got: string[] | 'invalid';
        try {
          got = [first, toHex(u.finalize())];
        } catch (err) {
          assert.ok(err instanceof RangeError && err.message === INVALID_PADDING, String(err));
          got = 'invalid';
        }
        assert.deepEqual(got, want, `input ${c.unpad}`);
      });
    });
  });
}
