// Sealed-token v1 against the project's own vectors (test/vectors/sealed-token.json, docs/sealed-token.md):
// one test per vector. Valid vectors open in both forms, name their key, and are reproduced byte for byte
// by sealRaw with the vector's nonce; invalid vectors raise exactly the error class the file names.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidToken, KeyNotFound } from '../../src/errors.ts';
import { encodeContext } from '../../src/formats/sealed-token.ts';
import { importKeyringCleartext } from '../../src/hazmat/insecure-export.ts';
import type { Keyring } from '../../src/recipes/keyring.ts';
import { sealingKey, sealRaw } from '../../src/recipes/sealed-token.ts';
import type { SealedVectorFile } from '../helpers/sealed-vectors.ts';
import { hex, loadOwnJson, toHex } from '../helpers/vectors.ts';

type VectorFile = SealedVectorFile;

const file = loadOwnJson<VectorFile>('sealed-token.json');

/** A keyring holding exactly one key (as primary) with the given id and bytes, built from cleartext JSON. */
function keyringWith(id: string, keyHex: string): Keyring {
  const cleartext = {
    format: 'coffer-keyring-cleartext',
    version: 1,
    keys: [
      {
        id,
        label: 'vector',
        algorithm: 'XAES-256-GCM',
        created: '2026-01-01T00:00:00.000Z',
        status: 'primary',
      },
    ],
    secrets: { [id]: Buffer.from(keyHex, 'hex').toString('base64url') },
  };
  return importKeyringCleartext(JSON.stringify(cleartext));
}

const rings = new Map<string, Keyring>();
function ring(name: 'A' | "A'" | 'B'): Keyring {
  let k = rings.get(name);
  if (k === undefined) {
    k = keyringWith(file.keys[name].id, file.keys[name].key);
    rings.set(name, k);
  }
  return k;
}

test('the vector file has the cases docs/sealed-token.md promises', () => {
  assert.ok(file.valid.length >= 10);
  const names = file.invalid.map((v) => v.name);
  assert.equal(new Set(names).size, names.length, 'invalid vector names are unique');
  assert.equal(new Set(file.valid.map((v) => v.name)).size, file.valid.length, 'valid names are unique');
  for (const needle of ['wrong context', 'wrong key', 'unknown key id', 'truncated', 'flipped', 'version']) {
    assert.ok(
      names.some((n) => n.includes(needle)),
      `an invalid vector about "${needle}"`,
    );
  }
  assert.ok(file.invalid.some((v) => v.error === 'KeyNotFound'));
  assert.notEqual(file.keys.A.key, file.keys["A'"].key);
  assert.equal(file.keys.A.id, file.keys["A'"].id);
});

describe('context encodings', () => {
  for (const [i, { context, encoding }] of file.contextEncodings.entries()) {
    test(`context encoding ${i}: ${JSON.stringify(context)}`, () => {
      assert.equal(toHex(encodeContext(context)), encoding);
      // The same map with its fields written in reverse order encodes the same.
      const reversed = Object.fromEntries(Object.entries(context).reverse());
      assert.equal(toHex(encodeContext(reversed)), encoding);
    });
  }
  test('the empty context is four zero bytes', () => {
    assert.equal(toHex(encodeContext({})), '00000000');
  });
});

describe('valid vectors', () => {
  for (const v of file.valid) {
    test(v.name, () => {
      const keyring = keyringWith(v.keyId, v.key);
      const plaintext = hex(v.plaintext);
      assert.equal(Buffer.from(hex(v.token)).toString('base64url'), v.text, 'text is base64url of token');
      assert.deepEqual(keyring.open(hex(v.token), { context: v.context }), plaintext);
      assert.deepEqual(keyring.open(v.text, { context: v.context }), plaintext);
      assert.equal(keyring.keyIdOf(hex(v.token)), v.keyId);
      assert.equal(keyring.keyIdOf(v.text), v.keyId);
      // Field order in the caller's object does not matter.
      const reordered = Object.fromEntries(Object.entries(v.context).reverse());
      assert.deepEqual(keyring.open(v.text, { context: reordered }), plaintext);
      // sealRaw with the vector's nonce reproduces the token exactly.
      const sealing = sealingKey(Number.parseInt(v.keyId, 16), hex(v.key));
      const again = sealRaw(sealing, plaintext, encodeContext(v.context), hex(v.nonce));
      assert.equal(toHex(again), v.token);
      // A reseal under the same (primary) key verifies and returns the token as it was.
      assert.equal(keyring.reseal(v.text, { context: v.context }), v.text);
    });
  }
});

describe('invalid vectors', () => {
  const messages = new Set<string>();
  const classes = { InvalidToken, KeyNotFound } as const;
  for (const v of file.invalid) {
    test(v.name, () => {
      const keyring = ring(v.keyring);
      const token = hex(v.token);
      const expected = classes[v.error];
      for (const form of [token, Buffer.from(token).toString('base64url')]) {
        assert.throws(
          () => keyring.open(form, { context: v.context }),
          (err: unknown) => {
            assert.ok(err instanceof expected, `expected ${v.error}, got ${String(err)}`);
            assert.equal((err as Error).constructor, expected, 'exactly the class named');
            if (err instanceof InvalidToken) {
              assert.equal(err.cause, undefined);
              assert.equal(Object.hasOwn(err, 'cause'), false);
              messages.add(err.message);
            } else if (err instanceof KeyNotFound) {
              // The id is public: named in the error, and equal to what keyIdOf reports.
              assert.equal(err.keyId, keyring.keyIdOf(token));
              assert.ok(err.message.includes(err.keyId));
            }
            return true;
          },
        );
        assert.throws(() => keyring.reseal(form, { context: v.context }), expected);
      }
    });
  }
  test('every InvalidToken has one and the same message', () => {
    assert.deepEqual([...messages], [new InvalidToken().message]);
  });
});
