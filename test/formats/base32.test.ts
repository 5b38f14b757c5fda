// Strict base32 (RFC 4648 §6): the RFC's own test vectors (§10), what the decoder refuses and why,
// fast-check round trips, and Python's base64.b32encode/b32decode as a peer on random data (one python
// call; skipped visibly when python3 is missing).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../../src/errors.ts';
import { base32Decode, base32Encode } from '../../src/formats/encoding.ts';
import { python } from '../helpers/python.ts';
import { toHex } from '../helpers/vectors.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

// RFC 4648 §10.
const RFC_VECTORS: ReadonlyArray<[string, string]> = [
  ['', ''],
  ['f', 'MY======'],
  ['fo', 'MZXQ===='],
  ['foo', 'MZXW6==='],
  ['foob', 'MZXW6YQ='],
  ['fooba', 'MZXW6YTB'],
  ['foobar', 'MZXW6YTBOI======'],
];

describe('RFC 4648 §10 vectors', () => {
  for (const [plain, encoded] of RFC_VECTORS) {
    test(`BASE32("${plain}") = "${encoded}"`, () => {
      assert.equal(base32Encode(utf8(plain)), encoded);
      assert.equal(base32Encode(utf8(plain), { padding: 'required' }), encoded);
      assert.equal(base32Encode(utf8(plain), { padding: 'none' }), encoded.replace(/=+$/, ''));
      assert.deepEqual(base32Decode(encoded), utf8(plain));
      assert.deepEqual(base32Decode(encoded, { padding: 'required' }), utf8(plain));
      assert.deepEqual(base32Decode(encoded.replace(/=+$/, '')), utf8(plain));
      assert.deepEqual(base32Decode(encoded.replace(/=+$/, ''), { padding: 'none' }), utf8(plain));
    });
  }
});

describe('the decoder refuses every other spelling', () => {
  const refused: ReadonlyArray<[string, string, { padding?: 'none' | 'required' | 'optional' }?]> = [
    ['lowercase', 'mzxw6ytboi'],
    ['mixed case', 'MZXW6ytb'],
    ['a space', 'MZXW 6YTB'],
    ['a newline', 'MZXW6YTB\n'],
    ['a dash', 'MZXW-6YTB'],
    ['the digit 0', 'MZXW0YTB'],
    ['the digit 1', 'MZXW1YTB'],
    ['the digit 8', 'MZXW8YTB'],
    ['base32hex alphabet', 'CPNMUOJ1'.replace('1', '9')],
    ['padding in the middle', 'MY======MY======'],
    ['padding after a whole group', 'MZXW6YTB========'],
    ['too much padding', 'MY=======' /* 9 chars */],
    ['too little padding', 'MY====='],
    ['padding with a whole group before a short one', 'MZXW6YTBMY==='],
    ['1 character', 'M'],
    ['3 characters', 'MZX'],
    ['6 characters', 'MZXW6Y'],
    ['9 characters', 'MZXW6YTBO'],
    ['1 character and padding', 'M======='],
    ['non-zero unused bits (2 chars)', 'MZ'],
    ['non-zero unused bits (4 chars)', 'MZXR'],
    ['non-zero unused bits (5 chars)', 'MZXW7'],
    ['non-zero unused bits (7 chars)', 'MZXW6YR'],
    ['non-ASCII letter', 'MZXW6YTBÖ'],
    ['a lookalike (Cyrillic М)', '\u041cZXW6YTB'],
    ['a full-width letter', '\uff2dZXW6YTB'],
    ['padded input with padding "none"', 'MY======', { padding: 'none' }],
    ['unpadded input with padding "required"', 'MY', { padding: 'required' }],
    ['only padding', '========'],
  ];
  for (const [name, text, options] of refused) {
    test(name, () => {
      assert.throws(() => base32Decode(text, options ?? {}), DecodeError);
    });
  }

  test('messages never repeat the input', () => {
    const secret = 'JBSWY3DPEHPK3PXPjbswy3dpehpk3pxp';
    try {
      base32Decode(secret);
      assert.fail('decoded');
    } catch (err) {
      assert.ok(err instanceof DecodeError);
      assert.ok(!err.message.includes('JBSW'), err.message);
    }
  });
});

describe('fast-check', () => {
  test('decode(encode(x)) = x, padded and unpadded', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (data) => {
        const padded = base32Encode(data);
        const bare = base32Encode(data, { padding: 'none' });
        assert.equal(padded.length % 8, 0);
        assert.equal(padded.replace(/=+$/, ''), bare);
        assert.deepEqual(base32Decode(padded), data);
        assert.deepEqual(base32Decode(bare), data);
        assert.deepEqual(base32Decode(padded, { padding: 'required' }), data);
        assert.deepEqual(base32Decode(bare, { padding: 'none' }), data);
      }),
      { numRuns: 2000 },
    );
  });

  test('whatever decodes re-encodes to the same text: one spelling per value', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567=a0 ';
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 40 }), (text) => {
        let decoded: Uint8Array;
        try {
          decoded = base32Decode(text);
        } catch (err) {
          assert.ok(err instanceof DecodeError);
          return;
        }
        const again = text.endsWith('=') ? base32Encode(decoded) : base32Encode(decoded, { padding: 'none' });
        assert.equal(again, text);
      }),
      { numRuns: 5000 },
    );
  });
});

// Python's base64 module is RFC 4648 too: it must agree on random data, both ways.
const probe = spawnSync(python, ['-c', 'import base64'], { encoding: 'utf8' });
const noPython =
  probe.error || probe.status !== 0 ? `python interop skipped: ${python} not available` : false;
if (noPython) process.stderr.write(`\n!!!!! ${noPython} !!!!!\n\n`);

describe('Python base64 as a peer', { skip: noPython }, () => {
  test('b32encode matches base32Encode, and b32decode reads it, for lengths 0..80 and random data', () => {
    const inputs = [
      ...Array.from({ length: 81 }, (_, n) => randomBytes(n)),
      ...Array.from({ length: 40 }, () => randomBytes(randomInt(0, 4096))),
    ].map((b) => new Uint8Array(b));
    const script = `
import base64, json, sys
req = json.load(sys.stdin)
out = []
for h in req:
    data = bytes.fromhex(h)
    enc = base64.b32encode(data).decode()
    out.append({"enc": enc, "dec": base64.b32decode(enc).hex()})
json.dump(out, sys.stdout)
`;
    const r = spawnSync(python, ['-c', script], {
      input: JSON.stringify(inputs.map(toHex)),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Array<{ enc: string; dec: string }>;
    inputs.forEach((data, i) => {
      const py = out[i]!;
      assert.equal(base32Encode(data), py.enc, `length ${data.length}`);
      assert.deepEqual(base32Decode(py.enc), data);
      assert.equal(py.dec, toHex(data));
    });
  });
});
