// Strict hex, base64 and base64url: one value, one encoding. Hand-written rejections first, then
// fast-check properties: round trips for every encoder/decoder pair, decoders that only ever throw
// DecodeError (for strings) or TypeError (for non-strings), and canonical re-encoding of anything accepted.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../src/errors.ts';
import {
  base64Decode,
  base64Encode,
  base64urlDecode,
  base64urlEncode,
  hexDecode,
  hexEncode,
} from '../src/formats/encoding.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);
const ascii = (s: string) => new TextEncoder().encode(s);

function rejects(decode: (text: string) => Uint8Array, text: string): void {
  assert.throws(
    () => decode(text),
    (err: unknown) => {
      assert.ok(err instanceof DecodeError, `${JSON.stringify(text)}: ${String(err)}`);
      assert.equal(err.code, 'ERR_DECODE');
      // The input may be secret (a key in hex): the message never repeats it.
      if (text.length >= 3) assert.ok(!err.message.includes(text), err.message);
      return true;
    },
    JSON.stringify(text),
  );
}

/** Decoded bytes are a plain Uint8Array that owns its memory (never a slice of Buffer's shared pool). */
function assertOwned(out: Uint8Array): void {
  assert.equal(out.constructor, Uint8Array);
  assert.equal(out.byteOffset, 0);
  assert.equal(out.buffer.byteLength, out.byteLength);
}

// RFC 4648 §10.
const RFC4648: ReadonlyArray<[string, string, string]> = [
  ['', '', ''],
  ['f', 'Zg==', '66'],
  ['fo', 'Zm8=', '666f'],
  ['foo', 'Zm9v', '666f6f'],
  ['foob', 'Zm9vYg==', '666f6f62'],
  ['fooba', 'Zm9vYmE=', '666f6f6261'],
  ['foobar', 'Zm9vYmFy', '666f6f626172'],
];

describe('hex', () => {
  test('RFC 4648 §10 vectors, both ways', () => {
    for (const [plain, , hex] of RFC4648) {
      assert.equal(hexEncode(ascii(plain)), hex);
      assert.deepEqual(hexDecode(hex), ascii(plain));
    }
  });

  test('encodes lowercase; decodes either case', () => {
    assert.equal(hexEncode(bytes(0xab, 0xcd, 0xef)), 'abcdef');
    assert.deepEqual(hexDecode('ABCDEF'), bytes(0xab, 0xcd, 0xef));
    assert.deepEqual(hexDecode('aBcD'), bytes(0xab, 0xcd));
  });

  test('rejects odd lengths, whitespace, prefixes and non-hex characters', () => {
    for (const text of [
      'a',
      'abc',
      '0',
      ' 00',
      '00 ',
      '0 0',
      '00\n',
      '\t00',
      '00\r\n',
      '0x00',
      '\\x00',
      'zz',
      'g0',
      '0g',
      '+0',
      '-0',
      '00=',
      'ab;',
      '\u0660\u0661', // Arabic-Indic digits
      '\uFF10\uFF10', // fullwidth zeros
      'ａｂ', // fullwidth a b
      '00\u0000',
      '\u00e9\u00e9',
      'deadbeefzz',
    ]) {
      rejects(hexDecode, text);
    }
  });

  test('the empty string is the empty array', () => {
    assert.deepEqual(hexDecode(''), new Uint8Array(0));
    assert.equal(hexEncode(new Uint8Array(0)), '');
  });

  test('encodes views at an offset, and Buffers', () => {
    const big = bytes(1, 2, 3, 4, 5);
    assert.equal(hexEncode(big.subarray(1, 3)), '0203');
    assert.equal(hexEncode(Buffer.from([0xff])), 'ff');
  });

  test('decoded bytes are a plain Uint8Array that owns its memory', () => {
    assertOwned(hexDecode('00ff'));
    assertOwned(hexDecode('ab'.repeat(5000)));
  });
});

describe('base64', () => {
  test('RFC 4648 §10 vectors, both ways', () => {
    for (const [plain, b64] of RFC4648) {
      assert.equal(base64Encode(ascii(plain)), b64);
      assert.deepEqual(base64Decode(b64), ascii(plain));
    }
  });

  test('uses the standard alphabet with padding', () => {
    assert.equal(base64Encode(bytes(0xfb, 0xff)), '+/8=');
    assert.equal(base64Encode(bytes(0xfb, 0xff, 0xbf)), '+/+/');
    assert.deepEqual(base64Decode('+/8='), bytes(0xfb, 0xff));
  });

  test('rejects missing padding', () => {
    for (const text of ['Zg', 'Zm8', 'Zm9vYg', 'Zm9vYmE']) rejects(base64Decode, text);
  });

  test('rejects wrong padding', () => {
    for (const text of [
      'Zg=',
      'Zg===',
      'Zm8==',
      'Zm9v=',
      'Zm9v==',
      '=',
      '==',
      '====',
      'Z===',
      'Zg==Zg==',
      '=Zg=',
    ]) {
      rejects(base64Decode, text);
    }
  });

  test('rejects the url-safe alphabet', () => {
    for (const text of ['-_8=', '-/8=', '+_8=', '____', '----']) rejects(base64Decode, text);
  });

  test('rejects whitespace and characters outside the alphabet', () => {
    for (const text of [
      ' Zm9v',
      'Zm9v ',
      'Zm 9v',
      'Zm9v\n',
      'Zm9v\r\n',
      'Zg==\n',
      'Zm9\tv',
      'Zm9*',
      'Zm9.',
      'Zm9!',
      'Zm9\u0000',
      'Zm9\u00e9',
      'Zm9€',
      'Zm9\uD83D',
    ]) {
      rejects(base64Decode, text);
    }
  });

  test('rejects non-zero trailing bits (non-canonical encodings)', () => {
    // 'QQ==' is [0x41]; 'QR==' decodes to the same byte under a lenient decoder.
    assert.deepEqual(base64Decode('QQ=='), bytes(0x41));
    for (const text of ['QR==', 'QT==', 'Q/==', 'Zh==', 'Zm9=', 'Zm9vYh==', 'Zm9vYmF=', 'AB==', 'AAB=']) {
      rejects(base64Decode, text);
    }
    assert.deepEqual(Buffer.from('QR==', 'base64'), Buffer.from([0x41]), 'node alone would accept it');
  });

  test('the empty string is the empty array', () => {
    assert.deepEqual(base64Decode(''), new Uint8Array(0));
  });

  test('decoded bytes are a plain Uint8Array that owns its memory', () => {
    assertOwned(base64Decode('QUJD'));
    assertOwned(base64Decode('A'.repeat(8000)));
  });
});

describe('base64url', () => {
  test('RFC 4648 §10 vectors: unpadded by default, padded on request', () => {
    for (const [plain, b64] of RFC4648) {
      const unpadded = b64.replace(/=+$/, '');
      assert.equal(base64urlEncode(ascii(plain)), unpadded);
      assert.equal(base64urlEncode(ascii(plain), { padding: 'none' }), unpadded);
      assert.equal(base64urlEncode(ascii(plain), { padding: 'optional' }), unpadded);
      assert.equal(base64urlEncode(ascii(plain), { padding: 'required' }), b64);
      assert.deepEqual(base64urlDecode(unpadded), ascii(plain));
      assert.deepEqual(base64urlDecode(b64), ascii(plain));
    }
  });

  test('uses the url-safe alphabet', () => {
    assert.equal(base64urlEncode(bytes(0xfb, 0xff)), '-_8');
    assert.deepEqual(base64urlDecode('-_8'), bytes(0xfb, 0xff));
  });

  test('padding "optional" (the default): either form, when the padding is right', () => {
    assert.deepEqual(base64urlDecode('Zg'), ascii('f'));
    assert.deepEqual(base64urlDecode('Zg=='), ascii('f'));
    assert.deepEqual(base64urlDecode('Zg==', { padding: 'optional' }), ascii('f'));
    for (const text of ['Zg=', 'Zg===', 'Zm8==', 'Zm9v=', '=', '====', 'Z', 'Zm9vY', 'Zg==Zg']) {
      rejects(base64urlDecode, text);
    }
  });

  test('padding "none": any "=" is refused', () => {
    assert.deepEqual(base64urlDecode('Zm8', { padding: 'none' }), ascii('fo'));
    assert.deepEqual(base64urlDecode('Zm9v', { padding: 'none' }), ascii('foo'));
    for (const text of ['Zg==', 'Zm8=', '=', 'Zm9v===='])
      rejects((t) => base64urlDecode(t, { padding: 'none' }), text);
  });

  test('padding "required": short groups must be padded; whole groups need none', () => {
    const required = (t: string) => base64urlDecode(t, { padding: 'required' });
    assert.deepEqual(required('Zg=='), ascii('f'));
    assert.deepEqual(required('Zm8='), ascii('fo'));
    assert.deepEqual(required('Zm9v'), ascii('foo'));
    assert.deepEqual(required('Zm9vYmFy'), ascii('foobar'));
    assert.deepEqual(required(''), new Uint8Array(0));
    for (const text of ['Zg', 'Zm8', 'Zm9vYg', 'Zg=', 'Zm9v=']) rejects(required, text);
  });

  test('rejects the standard alphabet', () => {
    for (const text of ['+_8', '-/8', '+/8=', '++++', '////']) rejects(base64urlDecode, text);
  });

  test('rejects whitespace and characters outside the alphabet', () => {
    for (const text of [
      ' Zg',
      'Zg ',
      'Z g',
      'Zg\n',
      'Zm9v\r\n',
      'Zm9.',
      'Zm9*',
      'Zm9~',
      'Zm9\u00e9',
      'Zm9\uDC00',
    ]) {
      rejects(base64urlDecode, text);
    }
  });

  test('rejects non-zero trailing bits (non-canonical encodings)', () => {
    assert.deepEqual(base64urlDecode('QQ'), bytes(0x41));
    for (const text of ['QR', 'QR==', 'Q_', 'Zh', 'Zm9', 'Zm9=', 'Zm9vYh', 'AB'])
      rejects(base64urlDecode, text);
  });

  test('decoded bytes are a plain Uint8Array that owns its memory', () => {
    assertOwned(base64urlDecode('QUJD'));
    assertOwned(base64urlDecode('_'.repeat(8000)));
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties.

interface Pair {
  readonly name: string;
  readonly encode: (data: Uint8Array) => string;
  readonly decode: (text: string) => Uint8Array;
  /** What the decoder's accepted text re-encodes to (hex decodes either case; base64url drops padding). */
  readonly canonical: (text: string) => string;
  readonly alphabet: RegExp;
}

const PAIRS: readonly Pair[] = [
  {
    name: 'hex',
    encode: hexEncode,
    decode: hexDecode,
    canonical: (t) => t.toLowerCase(),
    alphabet: /^[0-9a-f]*$/,
  },
  {
    name: 'base64',
    encode: base64Encode,
    decode: base64Decode,
    canonical: (t) => t,
    alphabet: /^[A-Za-z0-9+/]*={0,2}$/,
  },
  {
    name: 'base64url (padding none)',
    encode: (d) => base64urlEncode(d, { padding: 'none' }),
    decode: (t) => base64urlDecode(t, { padding: 'none' }),
    canonical: (t) => t,
    alphabet: /^[A-Za-z0-9_-]*$/,
  },
  {
    name: 'base64url (padding required)',
    encode: (d) => base64urlEncode(d, { padding: 'required' }),
    decode: (t) => base64urlDecode(t, { padding: 'required' }),
    canonical: (t) => t,
    alphabet: /^[A-Za-z0-9_-]*={0,2}$/,
  },
  {
    name: 'base64url (padding optional)',
    encode: (d) => base64urlEncode(d),
    decode: (t) => base64urlDecode(t),
    canonical: (t) => t.replace(/=+$/, ''),
    alphabet: /^[A-Za-z0-9_-]*$/,
  },
];

// Full Unicode (astral planes included), lone surrogates, and strings near each alphabet so that the
// accepted branch is reached often.
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const nearAlphabet = fc.constantFrom(...'AQRZgm89aF+/-_= \n\t.'.split(''));
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), loneSurrogate),
    maxLength: 20,
  }),
  fc.string({ unit: nearAlphabet, maxLength: 16 }),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFg '.split('')), maxLength: 16 }),
);

describe('properties', () => {
  for (const pair of PAIRS) {
    describe(pair.name, () => {
      test('decode(encode(bytes)) returns the bytes; the text stays in the alphabet', () => {
        fc.assert(
          fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
            const text = pair.encode(data);
            assert.match(text, pair.alphabet);
            assert.deepEqual(pair.decode(text), data);
          }),
          { numRuns: 300 },
        );
      });

      test('any string: either DecodeError, or bytes that re-encode to the same text', () => {
        fc.assert(
          fc.property(anyText, (text) => {
            let out: Uint8Array;
            try {
              out = pair.decode(text);
            } catch (err) {
              assert.ok(err instanceof DecodeError, `${JSON.stringify(text)} threw ${String(err)}`);
              return;
            }
            assert.ok(out instanceof Uint8Array);
            assert.equal(pair.encode(out), pair.canonical(text), JSON.stringify(text));
          }),
          { numRuns: 2000 },
        );
      });

      test('any non-string: TypeError naming "text"', () => {
        fc.assert(
          fc.property(
            fc.anything().filter((v) => typeof v !== 'string'),
            (value) => {
              assert.throws(() => pair.decode(value as never), {
                name: 'TypeError',
                message: /^"text" must be a string/,
              });
            },
          ),
          { numRuns: 200 },
        );
      });
    });
  }

  test('the decoders agree with node on every text they accept', () => {
    const node: ReadonlyArray<[(t: string) => Uint8Array, BufferEncoding]> = [
      [hexDecode, 'hex'],
      [base64Decode, 'base64'],
      [base64urlDecode, 'base64url'],
    ];
    fc.assert(
      fc.property(anyText, (text) => {
        for (const [decode, encoding] of node) {
          let out: Uint8Array | undefined;
          try {
            out = decode(text);
          } catch {
            continue;
          }
          assert.deepEqual(Buffer.from(out), Buffer.from(text, encoding));
        }
      }),
      { numRuns: 1000 },
    );
  });

  test('every byte string has exactly one accepted base64 text (no two texts decode alike)', () => {
    // Flipping the trailing bits of a canonical encoding must be refused.
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 40 }).filter((d) => d.length % 3 !== 0),
        (data) => {
          const text = base64Encode(data);
          const stripped = text.replace(/=+$/, '');
          const last = stripped.at(-1) ?? 'A';
          const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
          const index = alphabet.indexOf(last);
          const pad = text.slice(stripped.length);
          const unused = pad.length === 2 ? 0b1111 : 0b11; // RFC 4648 §3.5
          for (let bits = 1; bits <= unused; bits++) {
            const variant = stripped.slice(0, -1) + alphabet[index ^ bits] + pad;
            if (variant === text) continue;
            assert.throws(() => base64Decode(variant), DecodeError, variant);
            assert.throws(
              () => base64urlDecode(variant.replace(/\+/g, '-').replace(/\//g, '_')),
              DecodeError,
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('options and argument types', () => {
  test('unknown padding modes are a TypeError naming "padding"', () => {
    for (const padding of ['', 'NONE', 'yes', 'true', null, 0, true]) {
      assert.throws(() => base64urlEncode(bytes(1), { padding } as never), {
        name: 'TypeError',
        message: /^"padding" must be/,
      });
      assert.throws(() => base64urlDecode('AQ', { padding } as never), {
        name: 'TypeError',
        message: /^"padding" must be/,
      });
    }
  });

  test('options must be an object', () => {
    for (const options of [null, 'required', 1, true]) {
      assert.throws(() => base64urlEncode(bytes(1), options as never), {
        name: 'TypeError',
        message: /^"options"/,
      });
      assert.throws(() => base64urlDecode('AQ', options as never), {
        name: 'TypeError',
        message: /^"options"/,
      });
    }
  });

  test('encoders take a Uint8Array only', () => {
    for (const encode of [hexEncode, base64Encode, base64urlEncode]) {
      for (const value of ['abc', [1, 2], new Uint16Array(2), new ArrayBuffer(2), null]) {
        assert.throws(() => encode(value as never), {
          name: 'TypeError',
          message: /^"data" must be a Uint8Array/,
        });
      }
    }
  });
});
