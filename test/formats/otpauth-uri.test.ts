// otpauth:// key URIs (Google Authenticator's Key URI format): the document's own examples, the lax
// spellings it allows, every malformed shape refused with a DecodeError that names the problem and never
// the secret, and fast-check round trips. Interop with pyca's get_provisioning_uri is in
// test/recipes/otp-pyca.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../../src/errors.ts';
import { base32Encode } from '../../src/formats/base32.ts';
import { decodeOtpauthUri, encodeOtpauthUri, type OtpauthKey } from '../../src/formats/otpauth-uri.ts';

const SECRET = 'JBSWY3DPEHPK3PXP'; // the format document's example: "Hello!\xde\xad\xbe\xef"
const SECRET_BYTES = new Uint8Array([0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x21, 0xde, 0xad, 0xbe, 0xef]);

describe('the Key URI format document', () => {
  test('its TOTP example', () => {
    const key = decodeOtpauthUri(`otpauth://totp/Example:alice@google.com?secret=${SECRET}&issuer=Example`);
    assert.deepEqual(key, {
      type: 'totp',
      secret: SECRET_BYTES,
      accountName: 'alice@google.com',
      issuer: 'Example',
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    });
  });

  test('its example with every parameter', () => {
    const key = decodeOtpauthUri(
      'otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ' +
        '&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30',
    );
    assert.equal(key.issuer, 'ACME Co');
    assert.equal(key.accountName, 'john.doe@email.com');
    assert.equal(key.secret.length, 20);
  });

  test('an HOTP key needs its counter', () => {
    const key = decodeOtpauthUri(`otpauth://hotp/alice?secret=${SECRET}&counter=42`);
    assert.equal(key.type, 'hotp');
    assert.equal(key.counter, 42);
    assert.equal(key.issuer, undefined);
    assert.throws(() => decodeOtpauthUri(`otpauth://hotp/alice?secret=${SECRET}`), /counter/);
  });
});

describe('spellings the format allows', () => {
  const base = `secret=${SECRET}`;
  const cases: ReadonlyArray<[string, string, Partial<OtpauthKey>]> = [
    [
      'the colon percent-encoded',
      `otpauth://totp/Example%3Aalice?${base}`,
      { issuer: 'Example', accountName: 'alice' },
    ],
    ['spaces after the colon', `otpauth://totp/Example:%20%20alice?${base}`, { accountName: 'alice' }],
    ['a literal space after the colon', `otpauth://totp/Example: alice?${base}`, { accountName: 'alice' }],
    ['no issuer at all', `otpauth://totp/alice?${base}`, { issuer: undefined, accountName: 'alice' }],
    ['the issuer only as a parameter', `otpauth://totp/alice?${base}&issuer=Ex`, { issuer: 'Ex' }],
    [
      'a form-encoded issuer (+ is a space)',
      `otpauth://totp/A%20B:alice?${base}&issuer=A+B`,
      { issuer: 'A B' },
    ],
    ['a lowercase secret', `otpauth://totp/alice?secret=${SECRET.toLowerCase()}`, { secret: SECRET_BYTES }],
    [
      'a padded secret (pyca writes =)',
      `otpauth://totp/alice?secret=${base32Encode(SECRET_BYTES.subarray(0, 9)).replace(/=/g, '%3D')}`,
      { secret: SECRET_BYTES.subarray(0, 9) },
    ],
    ['upper-case scheme and type', `OTPAUTH://TOTP/alice?${base}`, { type: 'totp' }],
    ['a lowercase algorithm', `otpauth://totp/alice?${base}&algorithm=sha512`, { algorithm: 'SHA512' }],
    [
      '8 digits and a 60 s period',
      `otpauth://totp/alice?${base}&digits=8&period=60`,
      { digits: 8, period: 60 },
    ],
    ['7 digits', `otpauth://totp/alice?${base}&digits=7`, { digits: 7 }],
    ['unknown parameters (ignored)', `otpauth://totp/alice?${base}&image=https%3A%2F%2Fx&color=red`, {}],
    ['a repeated unknown parameter', `otpauth://totp/alice?${base}&image=a&image=b`, {}],
    ['parameters in any order', `otpauth://totp/alice?digits=8&${base}`, { digits: 8 }],
    [
      'a period on an HOTP key (ignored)',
      `otpauth://hotp/alice?${base}&counter=0&period=60`,
      { period: undefined },
    ],
    ['a counter on a TOTP key (ignored)', `otpauth://totp/alice?${base}&counter=5`, { counter: undefined }],
    [
      'a non-ASCII account name',
      `otpauth://totp/Caf%C3%A9:J%C3%BCrgen?${base}`,
      { issuer: 'Café', accountName: 'Jürgen' },
    ],
    ['an empty trailing &', `otpauth://totp/alice?${base}&`, {}],
  ];
  for (const [name, uri, expected] of cases) {
    test(name, () => {
      const key = decodeOtpauthUri(uri);
      for (const [field, value] of Object.entries(expected)) {
        assert.deepEqual(key[field as keyof OtpauthKey], value, field);
      }
    });
  }
});

describe('malformed URIs: a DecodeError that says what is wrong, never the secret', () => {
  const s = `secret=${SECRET}`;
  const cases: ReadonlyArray<[string, string, RegExp]> = [
    ['not otpauth', `https://example.com/totp/alice?${s}`, /otpauth:\/\//],
    ['no label slash', `otpauth://totp?${s}`, /otpauth:\/\//],
    ['an unknown type', `otpauth://motp/alice?${s}`, /type/],
    ['an empty type', `otpauth:///alice?${s}`, /type/],
    ['no secret', 'otpauth://totp/alice?issuer=Ex', /secret/],
    ['an empty secret', 'otpauth://totp/alice?secret=', /secret/],
    ['a secret with a space', 'otpauth://totp/alice?secret=JBSW%20Y3DP', /base32/],
    ['a secret with a non-alphabet character', 'otpauth://totp/alice?secret=JBSWY3DP0', /base32/],
    ['a secret of impossible length', 'otpauth://totp/alice?secret=JBS', /base32/],
    ['a secret with non-zero unused bits', 'otpauth://totp/alice?secret=JBSWY3DPEHPK3PR', /base32/],
    ['a secret with a dotless i (not folded to I)', 'otpauth://totp/alice?secret=%C4%B1BSWY3DP', /base32/],
    ['the secret twice', `otpauth://totp/alice?${s}&${s}`, /twice/],
    ['digits twice', `otpauth://totp/alice?${s}&digits=6&digits=8`, /twice/],
    ['two colons in the label', `otpauth://totp/a:b:c?${s}`, /":"/],
    ['an encoded colon too many', `otpauth://totp/a%3Ab:c?${s}`, /":"/],
    ['no account name', `otpauth://totp/Example:?${s}`, /account/],
    ['an empty label', `otpauth://totp/?${s}`, /account/],
    ['an empty issuer prefix', `otpauth://totp/:alice?${s}`, /issuer/],
    ['issuers that disagree', `otpauth://totp/Example:alice?${s}&issuer=Other`, /disagree/],
    ['an empty issuer parameter', `otpauth://totp/alice?${s}&issuer=`, /issuer/],
    ['a colon in the issuer parameter', `otpauth://totp/alice?${s}&issuer=a%3Ab`, /":"/],
    ['an unknown algorithm', `otpauth://totp/alice?${s}&algorithm=MD5`, /algorithm/],
    ['SHA-256 spelled with a dash', `otpauth://totp/alice?${s}&algorithm=SHA-256`, /algorithm/],
    ['5 digits', `otpauth://totp/alice?${s}&digits=5`, /digits/],
    ['9 digits', `otpauth://totp/alice?${s}&digits=9`, /digits/],
    ['digits with a leading zero', `otpauth://totp/alice?${s}&digits=06`, /digits/],
    ['digits as a word', `otpauth://totp/alice?${s}&digits=six`, /digits/],
    ['a zero period', `otpauth://totp/alice?${s}&period=0`, /period/],
    ['a negative period', `otpauth://totp/alice?${s}&period=-30`, /period/],
    ['a fractional period', `otpauth://totp/alice?${s}&period=30.5`, /period/],
    ['a period over a day', `otpauth://totp/alice?${s}&period=86401`, /period/],
    ['a negative counter', `otpauth://hotp/alice?${s}&counter=-1`, /counter/],
    ['a counter past 2^53', `otpauth://hotp/alice?${s}&counter=9007199254740992`, /counter/],
    ['a counter in hex', `otpauth://hotp/alice?${s}&counter=0x10`, /counter/],
    ['bad percent-encoding in the label', `otpauth://totp/al%E0%A4ice?${s}`, /percent/],
    ['bad percent-encoding in a value', `otpauth://totp/alice?${s}&issuer=%ZZ`, /percent/],
    ['a fragment', `otpauth://totp/alice?${s}#x`, /fragment/],
    ['a raw newline', `otpauth://totp/alice\n?${s}`, /control/],
    ['an encoded newline in the label', `otpauth://totp/ali%0Ace?${s}`, /control/],
    ['an encoded NUL in the issuer', `otpauth://totp/alice?${s}&issuer=E%00x`, /control/],
    ['a C1 control in the label', `otpauth://totp/ali%C2%85ce?${s}`, /control/],
    ['over 4096 characters', `otpauth://totp/${'a'.repeat(4096)}?${s}`, /4096/],
  ];
  for (const [name, uri, pattern] of cases) {
    test(name, () => {
      assert.throws(
        () => decodeOtpauthUri(uri),
        (err: unknown) =>
          err instanceof DecodeError &&
          pattern.test(err.message) &&
          err.message.startsWith('invalid otpauth URI: ') &&
          !err.message.includes('JBSW'),
      );
    });
  }

  test('a value that is not a string is a TypeError, not a DecodeError', () => {
    assert.throws(() => decodeOtpauthUri(42 as never), TypeError);
  });
});

describe('encoding', () => {
  test('label, unpadded secret and every parameter, percent-encoded', () => {
    const uri = encodeOtpauthUri({
      type: 'totp',
      secret: SECRET_BYTES.subarray(0, 9),
      accountName: 'ada lovelace+1@example.com',
      issuer: 'Example & Co',
      algorithm: 'SHA256',
      digits: 8,
      period: 60,
    });
    assert.equal(
      uri,
      'otpauth://totp/Example%20%26%20Co:ada%20lovelace%2B1%40example.com?secret=JBSWY3DPEHPK3PQ' +
        '&issuer=Example%20%26%20Co&algorithm=SHA256&digits=8&period=60',
    );
    assert.equal(decodeOtpauthUri(uri).accountName, 'ada lovelace+1@example.com');
  });

  test('programmer mistakes are TypeError / RangeError', () => {
    const key: OtpauthKey = {
      type: 'hotp',
      secret: SECRET_BYTES,
      accountName: 'a',
      algorithm: 'SHA1',
      digits: 6,
      counter: 0,
    };
    assert.throws(() => encodeOtpauthUri({ ...key, accountName: 'a:b' }), TypeError);
    assert.throws(() => encodeOtpauthUri({ ...key, issuer: 'a:b' }), TypeError);
    assert.throws(() => encodeOtpauthUri({ ...key, issuer: '' }), TypeError);
    assert.throws(() => encodeOtpauthUri({ ...key, accountName: 'a\nb' }), TypeError);
    assert.throws(() => encodeOtpauthUri({ ...key, accountName: 'a\ud800' }), TypeError);
    assert.throws(() => encodeOtpauthUri({ ...key, counter: undefined }), TypeError);
    assert.throws(() => encodeOtpauthUri({ ...key, counter: -1 }), RangeError);
    assert.throws(() => encodeOtpauthUri({ ...key, digits: 9 }), RangeError);
    assert.throws(() => encodeOtpauthUri({ ...key, secret: new Uint8Array(0) }), RangeError);
    assert.throws(() => encodeOtpauthUri({ ...key, algorithm: 'MD5' as never }), TypeError);
    assert.throws(() => encodeOtpauthUri({ ...key, type: 'motp' as never }), TypeError);
  });
});

describe('fast-check', () => {
  // Label parts: any well-formed Unicode without ':' or control characters, not starting with a space
  // (the format lets spaces follow the colon, so a leading space cannot survive a round trip).
  const part = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 24 })
    .filter((s) => !s.includes(':') && !/\p{Cc}/u.test(s) && !s.startsWith(' '));
  const key = fc.record({
    type: fc.constantFrom('hotp' as const, 'totp' as const),
    secret: fc.uint8Array({ minLength: 1, maxLength: 80 }),
    accountName: part,
    issuer: fc.option(part, { nil: undefined }),
    algorithm: fc.constantFrom('SHA1' as const, 'SHA256' as const, 'SHA512' as const),
    digits: fc.integer({ min: 6, max: 8 }),
    period: fc.integer({ min: 1, max: 86_400 }),
    counter: fc.maxSafeNat(),
  });

  test('decode(encode(key)) = key', () => {
    fc.assert(
      fc.property(key, (k) => {
        const input: OtpauthKey =
          k.type === 'totp' ? { ...k, counter: undefined } : { ...k, period: undefined };
        const decoded = decodeOtpauthUri(encodeOtpauthUri(input));
        const expected =
          k.type === 'totp'
            ? {
                type: k.type,
                secret: k.secret,
                accountName: k.accountName,
                issuer: k.issuer,
                algorithm: k.algorithm,
                digits: k.digits,
                period: k.period,
              }
            : {
                type: k.type,
                secret: k.secret,
                accountName: k.accountName,
                issuer: k.issuer,
                algorithm: k.algorithm,
                digits: k.digits,
                counter: k.counter,
              };
        assert.deepEqual(decoded, expected);
      }),
      { numRuns: 2000 },
    );
  });

  test('arbitrary text never escapes as anything but a DecodeError', () => {
    const pieces = fc.constantFrom(
      'otpauth://',
      'totp',
      'hotp',
      '/',
      ':',
      '?',
      '&',
      '=',
      '#',
      '%',
      '%3A',
      '%3D',
      '%ZZ',
      '+',
      ' ',
      'secret',
      'issuer',
      'digits',
      'period',
      'counter',
      'algorithm',
      'JBSWY3DP',
      'SHA1',
      '6',
      '30',
      'é',
      '\n',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 20 }), (parts) => {
        const text = parts.join('');
        try {
          const k = decodeOtpauthUri(text);
          // Whatever is accepted encodes again and decodes to the same key.
          assert.deepEqual(decodeOtpauthUri(encodeOtpauthUri(k)), k);
        } catch (err) {
          assert.ok(err instanceof DecodeError, String(err));
        }
      }),
      { numRuns: 5000 },
    );
  });
});
