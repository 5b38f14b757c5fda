// Keyring: sealed-token round trips (fast-check), tamper and truncation resistance, context binding, the
// rotation story (seal under A, rotate to B, reseal, disable A), key management, hostile inputs and
// redaction. Storage is in keyring-file.test.ts, audit events in keyring-audit.test.ts, the wire format's
// vectors in sealed-token-vectors.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { InvalidToken, KeyDisabled, KeyNotFound, KeyringError } from '../../src/errors.ts';
import { encodeContext } from '../../src/formats/sealed-token.ts';
import { exportKeyringCleartext } from '../../src/hazmat/insecure-export.ts';
import { type KeyMetadata, Keyring, MAX_CONTEXT_BYTES, SEALED_ALGORITHM } from '../../src/recipes/keyring.ts';
import {
  expectTypedRejection,
  type Hostile,
  hostileBytesLike,
  hostileObjects,
  hostileStrings,
  SECRET_MARKER,
} from '../helpers/hostile.ts';

type Context = Record<string, string>;

/** A clock that starts at a fixed time and advances one second per call. */
function steppingClock(start = '2026-03-01T12:00:00.000Z'): () => Date {
  let t = Date.parse(start);
  return () => {
    const d = new Date(t);
    t += 1000;
    return d;
  };
}

/** Every secret key of a keyring in every text encoding someone might print it in. */
function secretForms(keyring: Keyring): string[] {
  const doc = JSON.parse(exportKeyringCleartext(keyring)) as { secrets: Record<string, string> };
  const out: string[] = [];
  for (const b64url of Object.values(doc.secrets)) {
    const raw = Buffer.from(b64url, 'base64url');
    assert.equal(raw.length, 32);
    out.push(b64url, raw.toString('hex'), raw.toString('hex').toUpperCase(), raw.toString('base64'));
    out.push(raw.toString('base64').replace(/=+$/, ''), raw.subarray(0, 12).toString('hex'));
  }
  return out;
}

function assertNoSecrets(text: string, keyring: Keyring, where: string): void {
  for (const s of secretForms(keyring)) assert.ok(!text.includes(s), `${where} leaks key bytes`);
}

const isInvalidToken = (err: unknown): boolean => {
  assert.ok(err instanceof InvalidToken, `expected InvalidToken, got ${String(err)}`);
  assert.equal(err.message, new InvalidToken().message);
  assert.equal(err.cause, undefined);
  return true;
};

function sameMap(a: Context, b: Context): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

// Arbitraries. Strings are well-formed Unicode (astral characters and combining marks included); lone
// surrogates are refused by the keyring and tested on their own below.
const text = (maxLength: number) => fc.string({ unit: 'grapheme', maxLength });
const contextArb: fc.Arbitrary<Context> = fc.dictionary(text(10), text(20), { maxKeys: 6 });
// A tiny alphabet, so that pairs of contexts often differ by one delimiter-like character or one split.
const tinyString = fc.string({
  unit: fc.constantFrom('a', 'b', ',', '=', '\u0000', 'é', '😀'),
  maxLength: 4,
});
const tinyContextArb: fc.Arbitrary<Context> = fc.dictionary(tinyString, tinyString, { maxKeys: 3 });
const plaintextArb = fc.uint8Array({ maxLength: 400 });

describe('round trips (fast-check)', () => {
  const keyring = Keyring.generate({ label: 'props' });

  test('bytes, both forms, arbitrary contexts', () => {
    fc.assert(
      fc.property(plaintextArb, contextArb, (pt, context) => {
        const textToken = keyring.seal(pt, { context });
        const binToken = keyring.sealToBytes(pt, { context });
        assert.equal(typeof textToken, 'string');
        assert.match(textToken, /^[A-Za-z0-9_-]+$/);
        assert.ok(binToken instanceof Uint8Array);
        assert.equal(binToken.length, pt.length + 77);
        assert.equal(textToken.length, Math.ceil(((pt.length + 77) * 4) / 3));
        const a = keyring.open(textToken, { context });
        const b = keyring.open(binToken, { context });
        assert.equal(a.constructor, Uint8Array);
        assert.deepEqual(a, pt);
        assert.deepEqual(b, pt);
        assert.equal(keyring.keyIdOf(textToken), keyring.primaryKeyId);
        assert.equal(keyring.keyIdOf(binToken), keyring.primaryKeyId);
      }),
    );
  });

  test('strings, both forms, arbitrary contexts', () => {
    fc.assert(
      fc.property(text(200), contextArb, (pt, context) => {
        assert.equal(keyring.openText(keyring.seal(pt, { context }), { context }), pt);
        assert.equal(keyring.openText(keyring.sealToBytes(pt, { context }), { context }), pt);
        assert.deepEqual(
          keyring.open(keyring.seal(pt, { context }), { context }),
          new TextEncoder().encode(pt),
        );
      }),
    );
  });

  test('the text and binary forms are the same token', () => {
    fc.assert(
      fc.property(plaintextArb, contextArb, (pt, context) => {
        const bin = keyring.sealToBytes(pt, { context });
        const asText = Buffer.from(bin).toString('base64url');
        assert.deepEqual(keyring.open(asText, { context }), pt);
        assert.deepEqual(
          keyring.open(new Uint8Array(Buffer.from(keyring.seal(pt, { context }), 'base64url')), { context }),
          pt,
        );
      }),
      { numRuns: 50 },
    );
  });

  test('two seals of the same value differ (fresh nonce)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(keyring.seal('same', { context: {} }));
    assert.equal(seen.size, 200);
  });

  test('a Buffer, a view into a larger buffer and a plain Uint8Array all open', () => {
    const token = keyring.sealToBytes('x', { context: { a: 'b' } });
    const big = new Uint8Array(token.length + 20);
    big.set(token, 7);
    for (const t of [Buffer.from(token), big.subarray(7, 7 + token.length), Uint8Array.from(token)]) {
      assert.equal(keyring.openText(t, { context: { a: 'b' } }), 'x');
    }
  });

  test('openText refuses a plaintext that is not UTF-8, with InvalidToken', () => {
    const token = keyring.seal(Uint8Array.of(0xff, 0xfe), { context: {} });
    assert.throws(() => keyring.openText(token, { context: {} }), isInvalidToken);
  });
});

describe('tampering and truncation', () => {
  const keyring = Keyring.generate();
  const context = { table: 'users', column: 'recovery', id: '42' };

  test('every single-bit flip of a token is rejected (all bit positions, a few tokens)', () => {
    const samples = [new Uint8Array(0), ...fc.sample(fc.uint8Array({ minLength: 1, maxLength: 40 }), 3)];
    for (const pt of samples) {
      const token = keyring.sealToBytes(pt, { context });
      for (let bit = 0; bit < token.length * 8; bit++) {
        const t = Uint8Array.from(token);
        t[bit >> 3]! ^= 1 << (bit & 7);
        const inKeyId = bit >= 8 && bit < 40;
        assert.throws(
          () => keyring.open(t, { context }),
          (err: unknown) => {
            if (inKeyId) {
              assert.ok(err instanceof KeyNotFound, `bit ${bit}: expected KeyNotFound, got ${String(err)}`);
              assert.equal(err.keyId, keyring.keyIdOf(t));
              return true;
            }
            return isInvalidToken(err);
          },
          `bit ${bit} of a ${token.length}-byte token`,
        );
      }
    }
  });

  test('every one-character change of a text token is rejected', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const token = keyring.seal('K7PD-2MWX', { context });
    const original = Buffer.from(token, 'base64url');
    for (let i = 0; i < token.length; i++) {
      for (const replacement of [
        alphabet[(alphabet.indexOf(token[i]!) + 1) % 64]!,
        '=',
        '+',
        '/',
        '.',
        ' ',
      ]) {
        const t = token.slice(0, i) + replacement + token.slice(i + 1);
        // The key is looked up before anything is verified: KeyNotFound whenever the change decodes
        // canonically, keeps the version, and alters a key-id byte (bytes 1..4); InvalidToken otherwise.
        const decoded = Buffer.from(t, 'base64url');
        const canonical = /^[A-Za-z0-9_-]*$/.test(t) && decoded.toString('base64url') === t;
        const idChanged = !decoded.subarray(1, 5).equals(original.subarray(1, 5));
        const namesOtherKey = canonical && decoded.length >= 77 && decoded[0] === 1 && idChanged;
        assert.throws(
          () => keyring.open(t, { context }),
          namesOtherKey ? KeyNotFound : isInvalidToken,
          `character ${i} -> ${JSON.stringify(replacement)}`,
        );
      }
    }
  });

  test('every truncation is rejected, in both forms', () => {
    for (const pt of [
      new Uint8Array(0),
      new Uint8Array(1),
      ...fc.sample(fc.uint8Array({ maxLength: 60 }), 3),
    ]) {
      const token = keyring.sealToBytes(pt, { context });
      const textToken = Buffer.from(token).toString('base64url');
      for (let len = 0; len < token.length; len++) {
        assert.throws(
          () => keyring.open(token.subarray(0, len), { context }),
          isInvalidToken,
          `${len} bytes`,
        );
        assert.throws(() => keyring.reseal(token.subarray(0, len), { context }), isInvalidToken);
      }
      for (let len = 0; len < textToken.length; len++) {
        assert.throws(
          () => keyring.open(textToken.slice(0, len), { context }),
          isInvalidToken,
          `${len} chars`,
        );
      }
      // Dropping the front is no better. (When the key id happens to start with 0x01, the shifted bytes read
      // as a v1 token naming an unknown key: KeyNotFound, which the spec checks first.)
      assert.throws(
        () => keyring.open(token.subarray(1), { context }),
        // (isInvalidToken asserts rather than returning false, so the KeyNotFound case must come first.)
        (err: unknown) => (err instanceof KeyNotFound && token[1] === 0x01) || isInvalidToken(err),
      );
    }
  });

  test('appended bytes and characters are rejected', () => {
    const token = keyring.sealToBytes('value', { context });
    for (const extra of [[0], [0, 0, 0, 0], [0x41]]) {
      assert.throws(() => keyring.open(Uint8Array.from([...token, ...extra]), { context }), isInvalidToken);
    }
    const textToken = keyring.seal('value', { context });
    for (const extra of ['A', 'AA', 'AAAA', '=', '==', '\n']) {
      assert.throws(() => keyring.open(textToken + extra, { context }), isInvalidToken);
    }
  });

  test('non-token strings and bytes are InvalidToken, the same message every time', () => {
    const messages = new Set<string>();
    for (const t of [
      '',
      'A',
      'AA==',
      '!!!!',
      'not a token',
      '😀',
      SECRET_MARKER,
      'A'.repeat(103),
      '\u0000',
    ]) {
      assert.throws(
        () => keyring.open(t, { context }),
        (e: unknown) => isInvalidToken(e) && messages.add((e as Error).message) !== undefined,
      );
    }
    for (const t of [new Uint8Array(0), new Uint8Array(77), new Uint8Array(200).fill(2)]) {
      assert.throws(
        () => keyring.open(t, { context }),
        (e: unknown) => isInvalidToken(e) && messages.add((e as Error).message) !== undefined,
      );
    }
    assert.equal(messages.size, 1);
    assert.ok(![...messages][0]!.includes(SECRET_MARKER));
  });
});

describe('context binding (fast-check)', () => {
  const keyring = Keyring.generate();

  test('a token never opens under a different context', () => {
    for (const arb of [contextArb, tinyContextArb]) {
      fc.assert(
        fc.property(
          fc.tuple(arb, arb).filter(([a, b]) => !sameMap(a, b)),
          fc.boolean(),
          ([a, b], asText) => {
            const token = asText
              ? keyring.seal('v', { context: a })
              : keyring.sealToBytes('v', { context: a });
            assert.throws(() => keyring.open(token, { context: b }), isInvalidToken);
            assert.throws(() => keyring.reseal(token, { context: b }), isInvalidToken);
          },
        ),
        { numRuns: 150 },
      );
    }
  });

  test('the order in which context fields are written does not matter', () => {
    const arb = contextArb.chain((ctx) => {
      const entries = Object.entries(ctx);
      return fc
        .shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length })
        .map((shuffled) => [ctx, Object.fromEntries(shuffled)] as const);
    });
    fc.assert(
      fc.property(arb, ([ctx, shuffled]) => {
        assert.deepEqual(encodeContext(shuffled), encodeContext(ctx));
        assert.equal(keyring.openText(keyring.seal('v', { context: ctx }), { context: shuffled }), 'v');
      }),
    );
  });

  test('no two different contexts encode alike', () => {
    for (const arb of [contextArb, tinyContextArb]) {
      fc.assert(
        fc.property(arb, arb, (a, b) => {
          const same = Buffer.from(encodeContext(a)).equals(encodeContext(b));
          assert.equal(same, sameMap(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
        }),
        { numRuns: 1000 },
      );
    }
  });

  test('the cases docs/sealed-token.md names', () => {
    const pairs: [Context, Context][] = [
      [{ a: 'b,c' }, { a: 'b', c: '' }],
      [{ ab: '' }, { a: 'b' }],
      [{ a: '' }, {}],
      [{ '': '' }, {}],
      [
        { a: 'b', c: 'd' },
        { a: 'bc', '': 'd' },
      ],
      [{ id: '42' }, { id: '42 ' }],
      [{ é: 'x' }, { 'e\u0301': 'x' }], // no Unicode normalization: NFC and NFD differ
    ];
    for (const [a, b] of pairs) {
      assert.notDeepEqual(encodeContext(a), encodeContext(b));
      const token = keyring.seal('v', { context: a });
      assert.throws(() => keyring.open(token, { context: b }), isInvalidToken);
      assert.equal(keyring.openText(token, { context: a }), 'v');
    }
  });

  test('contexts with lone surrogates are refused (UTF-8 cannot tell them apart)', () => {
    // '\uD800' and '\uDBFF' would both become U+FFFD: a token for one row would open for the other.
    for (const context of [{ id: '\uD800' }, { id: 'a\uDFFF' }, { '\uDC00': 'x' }, { id: '\uDE00\uD83D' }]) {
      assert.throws(() => keyring.seal('v', { context }), TypeError);
      assert.throws(() => keyring.sealToBytes('v', { context }), TypeError);
      assert.throws(() => keyring.open(keyring.seal('v', { context: {} }), { context }), TypeError);
    }
    // A well-formed surrogate pair is ordinary text.
    const context = { id: '\uD83D\uDE00' };
    assert.equal(keyring.openText(keyring.seal('v', { context }), { context }), 'v');
  });

  test('a context getter is read once: the value checked is the value bound', () => {
    let reads = 0;
    const context = Object.defineProperty({}, 'id', {
      enumerable: true,
      get() {
        reads++;
        return reads === 1 ? '42' : (43 as unknown as string);
      },
    }) as Context;
    const token = keyring.seal('v', { context });
    assert.equal(reads, 1);
    assert.equal(keyring.openText(token, { context: { id: '42' } }), 'v');
  });

  test('contexts up to 64 KiB encoded are accepted; beyond, RangeError', () => {
    // count (4) + name length (4) + "a" (1) + value length (4) + value
    const fits = { a: 'x'.repeat(MAX_CONTEXT_BYTES - 13) };
    assert.equal(encodeContext(fits).length, MAX_CONTEXT_BYTES);
    assert.equal(keyring.openText(keyring.seal('v', { context: fits }), { context: fits }), 'v');
    const tooBig = [
      { a: 'x'.repeat(MAX_CONTEXT_BYTES - 12) },
      { a: 'é'.repeat(40_000) },
      Object.fromEntries(Array.from({ length: 9000 }, (_, i) => [`f${i}`, 'v'])),
    ];
    const token = keyring.seal('v', { context: {} });
    for (const context of tooBig) {
      assert.throws(() => keyring.seal('v', { context }), RangeError);
      assert.throws(() => keyring.sealToBytes('v', { context }), RangeError);
      assert.throws(() => keyring.open(token, { context }), RangeError);
      assert.throws(() => keyring.reseal(token, { context }), RangeError);
    }
  });
});

describe('the rotation story', () => {
  test('seal under A, rotate to B, reseal, disable A', () => {
    const keyring = Keyring.generate({ label: 'A', clock: steppingClock() });
    const A = keyring.primaryKeyId;
    const ctx = (id: number): Context => ({ table: 'users', column: 'recovery', id: String(id) });

    // Tokens under A, half text and half binary.
    const aTokens = Array.from({ length: 6 }, (_, i) =>
      i % 2 === 0
        ? keyring.seal(`code-${i}`, { context: ctx(i) })
        : keyring.sealToBytes(`code-${i}`, { context: ctx(i) }),
    );
    for (const t of aTokens) assert.equal(keyring.keyIdOf(t), A);

    // Rotate: B is primary, A stays active and still opens.
    const b = keyring.rotate({ label: 'B' });
    const B = keyring.primaryKeyId;
    assert.equal(b.id, B);
    assert.equal(b.status, 'primary');
    assert.notEqual(A, B);
    assert.deepEqual(
      keyring.list().map((k) => [k.id, k.status, k.label]),
      [
        [B, 'primary', 'B'],
        [A, 'active', 'A'],
      ],
    );
    for (const [i, t] of aTokens.entries())
      assert.equal(keyring.openText(t, { context: ctx(i) }), `code-${i}`);

    // New tokens go under B.
    const bText = keyring.seal('fresh', { context: ctx(100) });
    const bBin = keyring.sealToBytes('fresh', { context: ctx(100) });
    assert.equal(keyring.keyIdOf(bText), B);
    assert.equal(keyring.keyIdOf(bBin), B);

    // Reseal the first four A tokens to B; the form (text or binary) is kept.
    const resealed = aTokens.slice(0, 4).map((t, i) => {
      const r = keyring.reseal(t, { context: ctx(i) });
      assert.equal(typeof r, typeof t);
      assert.equal(r instanceof Uint8Array, t instanceof Uint8Array);
      assert.equal(keyring.keyIdOf(r), B);
      assert.notDeepEqual(r, t);
      assert.equal(keyring.openText(r, { context: ctx(i) }), `code-${i}`);
      return r;
    });
    // Resealing a B token returns it unchanged (the very same value).
    assert.equal(keyring.reseal(bText, { context: ctx(100) }), bText);
    assert.equal(keyring.reseal(bBin, { context: ctx(100) }), bBin);
    assert.equal(keyring.reseal(resealed[0]!, { context: ctx(0) }), resealed[0]);
    // Resealing still checks the context.
    assert.throws(() => keyring.reseal(aTokens[4]!, { context: ctx(5) }), isInvalidToken);
    assert.throws(() => keyring.reseal(bText, { context: ctx(5) }), isInvalidToken);

    // Disable A: B tokens (new and resealed) open; A tokens that were not resealed do not.
    keyring.disable(A);
    assert.equal(keyring.list().find((k) => k.id === A)!.status, 'disabled');
    assert.equal(keyring.openText(bText, { context: ctx(100) }), 'fresh');
    assert.equal(keyring.openText(bBin, { context: ctx(100) }), 'fresh');
    for (const [i, t] of resealed.entries())
      assert.equal(keyring.openText(t, { context: ctx(i) }), `code-${i}`);
    for (const [i, t] of aTokens.slice(4).entries()) {
      for (const call of [
        () => keyring.open(t, { context: ctx(i + 4) }),
        () => keyring.openText(t, { context: ctx(i + 4) }),
        () => keyring.reseal(t, { context: ctx(i + 4) }),
      ]) {
        assert.throws(call, (err: unknown) => {
          assert.ok(err instanceof KeyDisabled, String(err));
          assert.equal(err.code, 'ERR_KEY_DISABLED');
          assert.equal(err.name, 'KeyDisabled');
          assert.equal(err.keyId, A);
          assert.ok(err.message.includes(A), err.message);
          assert.ok(err.message.includes('disabled'), err.message);
          return true;
        });
      }
      // The disabled key is still named by the token.
      assert.equal(keyring.keyIdOf(t), A);
    }

    // Enabling A brings its tokens back.
    keyring.enable(A);
    assert.equal(keyring.openText(aTokens[5]!, { context: ctx(5) }), 'code-5');
  });
});

describe('key management', () => {
  test('promote makes an active key primary; promoting the primary is a no-op', () => {
    const keyring = Keyring.generate({ label: 'A' });
    const A = keyring.primaryKeyId;
    const B = keyring.rotate({ label: 'B' }).id;
    keyring.promote(A);
    assert.equal(keyring.primaryKeyId, A);
    assert.equal(keyring.keyIdOf(keyring.seal('x', { context: {} })), A);
    assert.deepEqual(
      keyring.list().map((k) => k.status),
      ['primary', 'active'],
    );
    keyring.promote(A);
    assert.equal(keyring.primaryKeyId, A);
    assert.equal(keyring.list().filter((k) => k.status === 'primary').length, 1);
    keyring.disable(B);
    assert.throws(() => keyring.promote(B), KeyringError);
    keyring.enable(B);
    keyring.promote(B);
    assert.equal(keyring.primaryKeyId, B);
  });

  test('add() adds an active key that opens but does not seal until promoted', () => {
    const keyring = Keyring.generate({ label: 'A', clock: steppingClock() });
    const A = keyring.primaryKeyId;
    const added = keyring.add({ label: 'standby' });
    assert.equal(added.status, 'active');
    assert.equal(added.label, 'standby');
    assert.equal(added.algorithm, SEALED_ALGORITHM);
    assert.notEqual(added.id, A);
    assert.equal(keyring.primaryKeyId, A);
    assert.equal(keyring.keyIdOf(keyring.seal('x', { context: {} })), A);
    keyring.promote(added.id);
    const t = keyring.seal('x', { context: {} });
    assert.equal(keyring.keyIdOf(t), added.id);
    assert.equal(keyring.add().label, '', 'label defaults to empty');
  });

  test('retire wipes a key for good: KeyDisabled mentioning "retired"; it cannot be enabled', () => {
    const keyring = Keyring.generate({ label: 'A' });
    const A = keyring.primaryKeyId;
    const token = keyring.seal('old', { context: {} });
    keyring.rotate({ label: 'B' });
    keyring.retire(A);
    assert.equal(keyring.list().find((k) => k.id === A)!.status, 'retired');
    assert.throws(
      () => keyring.open(token, { context: {} }),
      (err: unknown) => {
        assert.ok(err instanceof KeyDisabled);
        assert.equal(err.code, 'ERR_KEY_DISABLED');
        assert.ok(err.message.includes('retired'), err.message);
        assert.ok(err.message.includes(A), err.message);
        return true;
      },
    );
    assert.throws(() => keyring.reseal(token, { context: {} }), KeyDisabled);
    assert.throws(() => keyring.enable(A), KeyringError);
    assert.throws(() => keyring.disable(A), KeyringError);
    assert.throws(() => keyring.promote(A), KeyringError);
    assert.equal(keyring.list().find((k) => k.id === A)!.status, 'retired');
    // Retiring twice is harmless; the key's bytes are gone from exports.
    keyring.retire(A);
    const doc = JSON.parse(exportKeyringCleartext(keyring)) as { secrets: Record<string, string> };
    assert.deepEqual(Object.keys(doc.secrets), [keyring.primaryKeyId]);
  });

  test('a disabled key can be retired', () => {
    const keyring = Keyring.generate();
    const A = keyring.primaryKeyId;
    keyring.rotate();
    keyring.disable(A);
    keyring.retire(A);
    assert.equal(keyring.list()[1]!.status, 'retired');
  });

  test('remove deletes a key: its tokens then fail with KeyNotFound', () => {
    const keyring = Keyring.generate({ label: 'A' });
    const A = keyring.primaryKeyId;
    const token = keyring.sealToBytes('old', { context: {} });
    keyring.rotate({ label: 'B' });
    keyring.remove(A);
    assert.deepEqual(
      keyring.list().map((k) => k.label),
      ['B'],
    );
    assert.throws(
      () => keyring.open(token, { context: {} }),
      (err: unknown) => {
        assert.ok(err instanceof KeyNotFound);
        assert.equal(err.code, 'ERR_KEY_NOT_FOUND');
        assert.equal(err.keyId, A);
        assert.ok(err.message.includes(A));
        return true;
      },
    );
    assert.equal(keyring.keyIdOf(token), A);
    assert.throws(() => keyring.remove(A), KeyNotFound);
    assert.throws(() => keyring.enable(A), KeyNotFound);
  });

  test('the primary key cannot be disabled, retired or removed', () => {
    const keyring = Keyring.generate();
    const P = keyring.primaryKeyId;
    const token = keyring.seal('x', { context: {} });
    for (const op of ['disable', 'retire', 'remove'] as const) {
      assert.throws(
        () => keyring[op](P),
        (err: unknown) => {
          assert.ok(err instanceof KeyringError, String(err));
          assert.equal(err.code, 'ERR_KEYRING');
          assert.ok(err.message.includes(P));
          return true;
        },
      );
    }
    assert.equal(keyring.primaryKeyId, P);
    assert.equal(keyring.list()[0]!.status, 'primary');
    assert.equal(keyring.openText(token, { context: {} }), 'x');
  });

  test('enable of an active key is a no-op; disable is idempotent', () => {
    const keyring = Keyring.generate();
    const A = keyring.primaryKeyId;
    keyring.rotate();
    keyring.enable(A);
    assert.equal(keyring.list()[1]!.status, 'active');
    keyring.disable(A);
    keyring.disable(A);
    assert.equal(keyring.list()[1]!.status, 'disabled');
  });

  test('an unknown id in any management call is KeyNotFound; a malformed one a TypeError', () => {
    const keyring = Keyring.generate();
    const absent = keyring.primaryKeyId === 'deadbeef' ? 'feedface' : 'deadbeef';
    const malformed = [
      'DEADBEEF',
      '',
      'not-an-id',
      '0',
      '123456789',
      ` ${absent}`,
      `A${keyring.primaryKeyId.slice(1)}`, // upper case: never a valid id
    ];
    for (const op of ['promote', 'disable', 'enable', 'retire', 'remove'] as const) {
      assert.throws(
        () => keyring[op](absent),
        (err: unknown) => {
          assert.ok(err instanceof KeyNotFound, `${op}(${absent}): ${String(err)}`);
          assert.equal(err.code, 'ERR_KEY_NOT_FOUND');
          assert.equal(err.keyId, absent);
          assert.ok(err.message.includes(absent));
          return true;
        },
      );
      for (const id of malformed) {
        assert.throws(
          () => keyring[op](id),
          (err: unknown) => {
            assert.ok(err instanceof TypeError, `${op}(${JSON.stringify(id)}): ${String(err)}`);
            assert.match(err.message, /"id"/);
            if (id !== '') assert.ok(!err.message.includes(id), 'a malformed id is not repeated');
            return true;
          },
        );
      }
    }
    assert.equal(keyring.list().length, 1);
  });

  test('list(): primary first, then active, disabled, retired, each by creation time; metadata only', () => {
    const clock = steppingClock('2026-05-05T05:05:05.000Z');
    const keyring = Keyring.generate({ label: 'k0', clock });
    const ids = [keyring.primaryKeyId];
    for (let i = 1; i <= 6; i++) ids.push(keyring.add({ label: `k${i}` }).id);
    keyring.promote(ids[3]!);
    keyring.disable(ids[5]!);
    keyring.disable(ids[1]!);
    keyring.retire(ids[2]!);
    const list = keyring.list();
    assert.deepEqual(
      list.map((k) => [k.label, k.status]),
      [
        ['k3', 'primary'],
        ['k0', 'active'],
        ['k4', 'active'],
        ['k6', 'active'],
        ['k1', 'disabled'],
        ['k5', 'disabled'],
        ['k2', 'retired'],
      ],
    );
    for (const k of list) {
      assert.deepEqual(Object.keys(k).sort(), ['algorithm', 'created', 'id', 'label', 'status']);
      assert.match(k.id, /^[0-9a-f]{8}$/);
      assert.equal(k.algorithm, 'XAES-256-GCM');
      assert.ok(Object.isFrozen(k));
    }
    assert.equal(new Set(list.map((k) => k.id)).size, 7);
    // Mutating what list() returned changes nothing.
    (list as KeyMetadata[]).pop();
    assert.equal(keyring.list().length, 7);
    assertNoSecrets(JSON.stringify(list), keyring, 'list()');
  });

  test('created comes from the injectable clock', () => {
    const keyring = Keyring.generate({ label: 'A', clock: steppingClock('2030-01-02T03:04:05.000Z') });
    keyring.add({ label: 'B' });
    keyring.rotate({ label: 'C' });
    assert.deepEqual(
      keyring.list().map((k) => [k.label, k.created]),
      [
        ['C', '2030-01-02T03:04:07.000Z'],
        ['A', '2030-01-02T03:04:05.000Z'],
        ['B', '2030-01-02T03:04:06.000Z'],
      ],
    );
  });

  test('a clock that returns something other than a valid Date is a TypeError', () => {
    for (const bad of [() => 'now', () => Date.now(), () => new Date(Number.NaN), () => null]) {
      assert.throws(() => Keyring.generate({ clock: bad as () => Date }), TypeError);
    }
    let first = true;
    const keyring = Keyring.generate({
      clock: () => {
        if (first) {
          first = false;
          return new Date(0);
        }
        return new Date(Number.NaN);
      },
    });
    assert.throws(() => keyring.add(), TypeError);
    assert.throws(() => keyring.rotate(), TypeError);
    assert.equal(keyring.list().length, 1, 'a failed add leaves no half-made key');
  });

  test('labels: up to 200 characters', () => {
    const keyring = Keyring.generate({ label: 'x'.repeat(200) });
    assert.equal(keyring.list()[0]!.label.length, 200);
    assert.throws(() => Keyring.generate({ label: 'x'.repeat(201) }), RangeError);
    assert.throws(() => keyring.add({ label: 'x'.repeat(201) }), RangeError);
    assert.throws(() => keyring.rotate({ label: 'x'.repeat(201) }), RangeError);
    assert.equal(keyring.list().length, 1);
  });

  test('keyIdOf reads the id without a key; garbage is InvalidToken', () => {
    const keyring = Keyring.generate();
    const other = Keyring.generate();
    const token = other.seal('x', { context: {} });
    assert.equal(keyring.keyIdOf(token), other.primaryKeyId);
    for (const garbage of ['', 'A', '!!', 'AAAA', 'not base64!', `${token}=`, token.slice(0, 102)]) {
      assert.throws(() => keyring.keyIdOf(garbage), isInvalidToken);
    }
    const bytes = other.sealToBytes('x', { context: {} });
    for (const garbage of [
      new Uint8Array(0),
      bytes.subarray(0, 76),
      Uint8Array.from([2, ...bytes.subarray(1)]),
    ]) {
      assert.throws(() => keyring.keyIdOf(garbage), isInvalidToken);
    }
  });

  test('ids are 8 lowercase hex digits and unique across a large keyring', () => {
    const keyring = Keyring.generate();
    for (let i = 0; i < 300; i++) keyring.add();
    const ids = keyring.list().map((k) => k.id);
    assert.equal(new Set(ids).size, 301);
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}$/);
  });
});

describe('hostile inputs', () => {
  const keyring = Keyring.generate();
  const token = keyring.seal('x', { context: {} });
  const h = (label: string, value: unknown): Hostile => ({ label, value });

  // Values that are not a plain object of strings, for `options.context`.
  const hostileContexts: readonly Hostile[] = [
    ...hostileObjects,
    h('undefined', undefined),
    h('empty array', []),
    h('array of strings', ['a', 'b']),
    h('Map', new Map([['a', 'b']])),
    h('empty Map', new Map()),
    h('Set', new Set(['a'])),
    h('Date', new Date(0)),
    h('RegExp', /a/),
    h('Error', new Error('x')),
    h('class instance', new (class Ctx {})()),
    h('Promise', Promise.resolve({})),
    h('String object', new String('ab')),
    h('Uint8Array', Uint8Array.of(1)),
    h('Buffer', Buffer.from('a')),
  ];
  // Values that are not strings, for a context field.
  const hostileValues: readonly Hostile[] = [
    h('undefined', undefined),
    h('null', null),
    h('number', 42),
    h('NaN', Number.NaN),
    h('true', true),
    h('BigInt', 1n),
    h('Symbol', Symbol('v')),
    h('nested object', { b: 'c' }),
    h('empty object', {}),
    h('array', ['42']),
    h('String object', new String('42')),
    h('Buffer', Buffer.from('42')),
    h('Uint8Array', Uint8Array.of(0x34, 0x32)),
    h('function', () => '42'),
    h('Date', new Date(0)),
  ];
  const ctx = (value: unknown) => ({ context: value }) as never;

  const sealers = {
    seal: (pt: unknown, o: unknown) => keyring.seal(pt as never, o as never),
    sealToBytes: (pt: unknown, o: unknown) => keyring.sealToBytes(pt as never, o as never),
  };
  const openers = {
    open: (t: unknown, o: unknown) => keyring.open(t as never, o as never),
    openText: (t: unknown, o: unknown) => keyring.openText(t as never, o as never),
    reseal: (t: unknown, o: unknown) => keyring.reseal(t as never, o as never),
  };

  for (const [name, fn] of Object.entries(sealers)) {
    test(`${name}: plaintext, options, context and context values`, async () => {
      for (const { value } of hostileBytesLike) {
        await expectTypedRejection(() => fn(value, { context: {} }), {
          kind: 'TypeError',
          label: 'plaintext',
        });
      }
      for (const { value } of [...hostileObjects, h('undefined', undefined), h('array', [])]) {
        await expectTypedRejection(() => fn('x', value), { kind: 'TypeError', label: 'options' });
      }
      for (const { value } of hostileContexts) {
        await expectTypedRejection(() => fn('x', ctx(value)), {
          kind: 'TypeError',
          label: 'options.context',
        });
      }
      for (const { value } of hostileValues) {
        await expectTypedRejection(() => fn('x', ctx({ ok: 'fine', id: value })), {
          kind: 'TypeError',
          label: 'options.context.id',
        });
      }
      await expectTypedRejection(() => fn('x', ctx({ a: 'x'.repeat(70_000) })), { kind: 'RangeError' });
      // A throwing getter's own error is the caller's; it must not be swallowed as success.
      assert.throws(() =>
        fn(
          'x',
          ctx(
            Object.defineProperty({}, 'id', {
              enumerable: true,
              get() {
                throw new Error('getter');
              },
            }),
          ),
        ),
      );
    });
  }

  for (const [name, fn] of Object.entries(openers)) {
    test(`${name}: token, options, context and context values`, async () => {
      for (const { value } of hostileBytesLike) {
        await expectTypedRejection(() => fn(value, { context: {} }), { kind: 'TypeError', label: 'token' });
      }
      for (const { value } of [...hostileObjects, h('undefined', undefined), h('array', [])]) {
        await expectTypedRejection(() => fn(token, value), { kind: 'TypeError', label: 'options' });
      }
      for (const { value } of hostileContexts) {
        await expectTypedRejection(() => fn(token, ctx(value)), {
          kind: 'TypeError',
          label: 'options.context',
        });
      }
      for (const { value } of hostileValues) {
        await expectTypedRejection(() => fn(token, ctx({ id: value })), {
          kind: 'TypeError',
          label: 'options.context.id',
        });
      }
      await expectTypedRejection(() => fn(token, ctx({ a: 'x'.repeat(70_000) })), { kind: 'RangeError' });
      for (const s of [SECRET_MARKER, '', '   ', 'AAAA', '\u0000', '\uD800']) {
        await expectTypedRejection(() => fn(s, { context: {} }), { kind: 'CofferError' });
      }
    });
  }

  test('keyIdOf: non-tokens', async () => {
    for (const { value } of hostileBytesLike) {
      await expectTypedRejection(() => keyring.keyIdOf(value as never), {
        kind: 'TypeError',
        label: 'token',
      });
    }
    await expectTypedRejection(() => keyring.keyIdOf(SECRET_MARKER), { kind: 'CofferError' });
  });

  test('generate, add, rotate: options and label', async () => {
    const makers = {
      generate: (o: unknown) => Keyring.generate(o as never),
      add: (o: unknown) => keyring.add(o as never),
      rotate: (o: unknown) => keyring.rotate(o as never),
    };
    const before = keyring.list().length;
    const primary = keyring.primaryKeyId;
    for (const fn of Object.values(makers)) {
      for (const { value } of [...hostileObjects, h('array', [])]) {
        await expectTypedRejection(() => fn(value), { kind: 'TypeError', label: 'options' });
      }
      for (const { value } of hostileStrings.filter((x) => x.value !== undefined)) {
        await expectTypedRejection(() => fn({ label: value }), { kind: 'TypeError', label: 'label' });
      }
      await expectTypedRejection(() => fn({ label: 'x'.repeat(201) }), {
        kind: 'RangeError',
        label: 'label',
      });
    }
    assert.equal(keyring.list().length, before, 'failed add/rotate calls add no key');
    assert.equal(keyring.primaryKeyId, primary);
  });

  test('generate: audit and clock options', async () => {
    for (const bad of [
      1,
      'log',
      null,
      {},
      { info: () => {} },
      { warn: () => {} },
      [],
      { info: 1, warn: 2 },
    ]) {
      await expectTypedRejection(() => Keyring.generate({ audit: bad as never }), {
        kind: 'TypeError',
        label: 'options.audit',
      });
    }
    for (const bad of [1, 'now', null, {}, new Date(), []]) {
      await expectTypedRejection(() => Keyring.generate({ clock: bad as never }), {
        kind: 'TypeError',
        label: 'options.clock',
      });
    }
  });

  test('promote, disable, enable, retire, remove: ids', async () => {
    for (const op of ['promote', 'disable', 'enable', 'retire', 'remove'] as const) {
      for (const { value } of hostileStrings) {
        await expectTypedRejection(() => keyring[op](value as never), { kind: 'TypeError', label: 'id' });
      }
      await expectTypedRejection(() => keyring[op](SECRET_MARKER), { kind: 'TypeError', label: 'id' });
      await expectTypedRejection(() => keyring[op]('0badf00d'), { kind: 'CofferError' });
    }
  });
});

describe('redaction', () => {
  test('String, inspect and JSON of a Keyring show no key bytes', () => {
    const keyring = Keyring.generate({ label: 'visible-label' });
    keyring.add({ label: 'second' });
    keyring.rotate();
    const shown = [
      String(keyring),
      `${keyring}`,
      inspect(keyring),
      inspect(keyring, { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true }),
      inspect({ nested: [keyring] }),
      JSON.stringify(keyring),
      JSON.stringify({ keyring }),
      Object.prototype.toString.call(keyring),
    ];
    for (const s of shown) assertNoSecrets(s, keyring, s.slice(0, 40));
    assert.match(String(keyring), /Keyring\(3 keys, primary=[0-9a-f]{8}\)/);
    const json = JSON.parse(JSON.stringify(keyring)) as { type: string; keys: KeyMetadata[] };
    assert.equal(json.type, 'Keyring');
    assert.deepEqual(json.keys, keyring.list());
    assert.deepEqual(Object.keys(keyring), []);
  });

  test('error messages never carry plaintext, context values or key bytes', () => {
    const keyring = Keyring.generate();
    const token = keyring.seal(SECRET_MARKER, { context: { id: 'ctx-value-123' } });
    const errors: string[] = [];
    for (const call of [
      () => keyring.open(token, { context: { id: 'ctx-value-124' } }),
      () => keyring.open(`${token}x`, { context: { id: 'ctx-value-123' } }),
      () => keyring.seal(SECRET_MARKER, { context: { id: 42 as never } }),
    ]) {
      try {
        call();
      } catch (err) {
        errors.push(`${String(err)} ${inspect(err)}`);
      }
    }
    assert.equal(errors.length, 3);
    for (const e of errors) {
      assert.ok(!e.includes(SECRET_MARKER));
      assert.ok(!e.includes('ctx-value'));
      assertNoSecrets(e, keyring, 'an error');
    }
  });
});

describe('reseal: typed by the form it is given', () => {
  // True only when A and B are the same type (not merely assignable), checked by tsc.
  type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
  const context = { table: 'users', id: '7' };

  test('a Buffer token comes back re-encrypted as a plain Uint8Array, not a Buffer', () => {
    const keyring = Keyring.generate();
    const buffer = Buffer.from(keyring.sealToBytes('x', { context }));
    keyring.rotate();
    const fresh = keyring.reseal(buffer, { context });
    const typed: Equal<typeof fresh, Uint8Array> = true;
    assert.ok(typed);
    assert.equal(Object.getPrototypeOf(fresh), Uint8Array.prototype);
    assert.ok(!Buffer.isBuffer(fresh));
    assert.equal(keyring.keyIdOf(fresh), keyring.primaryKeyId);
    assert.equal(keyring.openText(fresh, { context }), 'x');
    // Already under the primary key: verified, then returned as is (the same object, Buffer or not).
    const again = Buffer.from(fresh);
    assert.equal(keyring.reseal(again, { context }), again);
  });

  test('a string comes back a string; a union-typed token comes back the union', () => {
    const keyring = Keyring.generate();
    const text = keyring.seal('x', { context });
    keyring.rotate();
    const fresh = keyring.reseal(text, { context });
    const typed: Equal<typeof fresh, string> = true;
    assert.ok(typed);
    assert.equal(typeof fresh, 'string');
    assert.equal(keyring.keyIdOf(fresh), keyring.primaryKeyId);
    const either = [text, keyring.sealToBytes('y', { context })] as Array<string | Uint8Array>;
    const out = either.map((t) => keyring.reseal(t, { context }));
    const union: Equal<(typeof out)[number], string | Uint8Array> = true;
    assert.ok(union);
    assert.deepEqual(
      out.map((t) => keyring.openText(t, { context })),
      ['x', 'y'],
    );
  });
});
