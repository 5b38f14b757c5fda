// Keyring storage (docs/keyring-file.md): save/load under a passphrase (scrypt) or a key-encryption key,
// inspect without unlocking, and a file that was edited in any field never loads. Hostile scrypt
// parameters are refused before any scrypt work, and the saved JSON never holds key bytes.
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { DecodeError, KeyDisabled, KeyringError } from '../../src/errors.ts';
import { exportKeyringCleartext, importKeyringCleartext } from '../../src/hazmat/insecure-export.ts';
import { SecretKey } from '../../src/keys/secret-key.ts';
import { Keyring } from '../../src/recipes/keyring.ts';
import { MAX_KEYRING_FILE } from '../../src/recipes/keyring-file.ts';
import {
  expectTypedRejection,
  type Hostile,
  hostileBytes,
  hostileLengths,
  hostileObjects,
  hostileStrings,
  integerKind,
  SECRET_MARKER,
} from '../helpers/hostile.ts';

// scrypt n = 2^14 (the smallest a file may name) keeps each save or load near 30 ms.
const FAST = { n: 2 ** 14 } as const;
const PASSPHRASE = 'correct-passphrase-for-tests';

type Json = Record<string, unknown>;
interface FileDoc {
  format: unknown;
  version: unknown;
  protection: Json;
  keys: Json[];
  nonce: unknown;
  sealed: unknown;
  [extra: string]: unknown;
}

function steppingClock(start = '2026-02-02T10:00:00.000Z'): () => Date {
  let t = Date.parse(start) - 1000;
  return () => {
    t += 1000;
    return new Date(t);
  };
}

/** A keyring with one key in every state, and a token under each key that can still open. */
function richKeyring(): { keyring: Keyring; tokens: Map<string, string> } {
  const keyring = Keyring.generate({ label: 'first', clock: steppingClock() });
  const tokens = new Map<string, string>();
  const seal = () =>
    tokens.set(keyring.primaryKeyId, keyring.seal(`v-${keyring.primaryKeyId}`, { context: {} }));
  seal();
  const first = keyring.primaryKeyId;
  keyring.rotate({ label: 'zweite – ünïcode 🔐' });
  seal();
  const second = keyring.primaryKeyId;
  keyring.rotate({ label: 'third' });
  seal();
  const third = keyring.primaryKeyId;
  keyring.rotate({ label: 'primary' });
  seal();
  keyring.add({ label: '' });
  keyring.disable(second);
  keyring.retire(third);
  tokens.delete(third);
  void first;
  return { keyring, tokens };
}

function secretsOf(keyring: Keyring): Record<string, string> {
  return (JSON.parse(exportKeyringCleartext(keyring)) as { secrets: Record<string, string> }).secrets;
}

/** Every key in every encoding a leak might use. */
function secretForms(keyring: Keyring): string[] {
  return Object.values(secretsOf(keyring)).flatMap((b64url) => {
    const raw = Buffer.from(b64url, 'base64url');
    const b64 = raw.toString('base64');
    return [b64url, b64, b64.replace(/=+$/, ''), raw.toString('hex'), raw.toString('hex').toUpperCase()];
  });
}

function assertSameKeyring(a: Keyring, b: Keyring): void {
  assert.deepEqual(b.list(), a.list());
  assert.equal(b.primaryKeyId, a.primaryKeyId);
  assert.deepEqual(secretsOf(b), secretsOf(a));
}

function assertTokensOpen(keyring: Keyring, tokens: Map<string, string>): void {
  for (const [id, token] of tokens) {
    const status = keyring.list().find((k) => k.id === id)!.status;
    if (status === 'disabled') assert.throws(() => keyring.open(token, { context: {} }), KeyDisabled);
    else assert.equal(keyring.openText(token, { context: {} }), `v-${id}`);
  }
}

const kekBytes = () => new Uint8Array(randomBytes(32));

// The wrapping key and associated data exactly as docs/keyring-file.md states them, for reading and
// forging files independently of coffer's code.
function wrappingKey(kek: Uint8Array, salt: string): Buffer {
  return Buffer.from(hkdfSync('sha256', kek, Buffer.from(salt, 'base64url'), 'coffer/v1/keyring-wrap', 32));
}
function associatedData(doc: FileDoc): Buffer {
  const p = doc.protection;
  const protection =
    p.method === 'scrypt'
      ? { method: p.method, salt: p.salt, n: p.n, r: p.r, p: p.p }
      : { method: p.method, salt: p.salt, ...(p.kekId === undefined ? {} : { kekId: p.kekId }) };
  const keys = doc.keys.map((k) => ({
    id: k.id,
    label: k.label,
    algorithm: k.algorithm,
    created: k.created,
    status: k.status,
  }));
  return Buffer.from(JSON.stringify({ format: doc.format, version: doc.version, protection, keys }));
}
function decryptPayload(doc: FileDoc, kek: Uint8Array): string {
  const sealed = Buffer.from(doc.sealed as string, 'base64url');
  const d = createDecipheriv(
    'aes-256-gcm',
    wrappingKey(kek, doc.protection.salt as string),
    Buffer.from(doc.nonce as string, 'base64url'),
  );
  d.setAAD(associatedData(doc));
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]).toString('utf8');
}
/** Re-encrypts `payload` under the KEK for the (possibly edited) metadata in `doc`: a validly sealed file. */
function forge(doc: FileDoc, payload: string | Uint8Array, kek: Uint8Array): string {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', wrappingKey(kek, doc.protection.salt as string), nonce);
  c.setAAD(associatedData(doc));
  const ct = Buffer.concat([c.update(Buffer.from(payload)), c.final(), c.getAuthTag()]);
  return JSON.stringify({ ...doc, nonce: nonce.toString('base64url'), sealed: ct.toString('base64url') });
}

const isUnlockFailure = (err: unknown): boolean => {
  assert.ok(err instanceof KeyringError, `expected KeyringError, got ${String(err)}`);
  assert.equal(err.code, 'ERR_KEYRING');
  assert.match(err.message, /could not be unlocked/);
  return true;
};

// Shared fixtures: one file of each kind, saved once.
const rich = richKeyring();
const kek = kekBytes();
const kekFile = rich.keyring.save({ kek, kekId: 'kms://test/kek-1' });
const passFile = rich.keyring.save({ passphrase: PASSPHRASE, scrypt: FAST });

describe('round trips', () => {
  test('under a passphrase', async () => {
    const text = await passFile;
    const loaded = await Keyring.load(text, { passphrase: PASSPHRASE });
    assertSameKeyring(rich.keyring, loaded);
    assertTokensOpen(loaded, rich.tokens);
    // And the loaded keyring seals tokens the original opens.
    assert.equal(
      rich.keyring.openText(loaded.seal('back', { context: { a: 'b' } }), { context: { a: 'b' } }),
      'back',
    );
    const doc = JSON.parse(text) as FileDoc;
    assert.deepEqual(Object.keys(doc), ['format', 'version', 'protection', 'keys', 'nonce', 'sealed']);
    assert.deepEqual(doc.protection, { method: 'scrypt', salt: doc.protection.salt, n: 2 ** 14, r: 8, p: 1 });
    assert.ok(text.endsWith('\n'));
  });

  test('under a 32-byte KEK as a Uint8Array, with kekId', async () => {
    const loaded = await Keyring.load(await kekFile, { kek });
    assertSameKeyring(rich.keyring, loaded);
    assertTokensOpen(loaded, rich.tokens);
    const doc = JSON.parse(await kekFile) as FileDoc;
    assert.deepEqual(doc.protection, { method: 'kek', salt: doc.protection.salt, kekId: 'kms://test/kek-1' });
  });

  test('under a KEK held in a SecretKey (either form unlocks)', async () => {
    const raw = kekBytes();
    const secret = SecretKey.fromBytes(raw, { algorithm: 'KEK' });
    const text = await rich.keyring.save({ kek: secret });
    assert.equal((JSON.parse(text) as FileDoc).protection.kekId, undefined);
    assertSameKeyring(rich.keyring, await Keyring.load(text, { kek: secret }));
    assertSameKeyring(rich.keyring, await Keyring.load(text, { kek: raw }));
    const text2 = await rich.keyring.save({ kek: raw, kekId: '' });
    assertSameKeyring(rich.keyring, await Keyring.load(text2, { kek: secret }));
  });

  test('custom scrypt r and p are recorded and honoured', async () => {
    const keyring = Keyring.generate();
    const text = await keyring.save({ passphrase: 'pw', scrypt: { n: 2 ** 14, r: 4, p: 2 } });
    const p = (JSON.parse(text) as FileDoc).protection;
    assert.deepEqual([p.n, p.r, p.p], [2 ** 14, 4, 2]);
    assertSameKeyring(keyring, await Keyring.load(text, { passphrase: 'pw' }));
  });

  test('every save draws a new salt and nonce', async () => {
    const a = JSON.parse(await rich.keyring.save({ kek })) as FileDoc;
    const b = JSON.parse(await rich.keyring.save({ kek })) as FileDoc;
    assert.notEqual(a.protection.salt, b.protection.salt);
    assert.notEqual(a.nonce, b.nonce);
    assert.notEqual(a.sealed, b.sealed);
  });

  test('load passes audit and clock options to the loaded keyring', async () => {
    const events: unknown[] = [];
    const loaded = await Keyring.load(
      await kekFile,
      { kek },
      { audit: (e) => events.push(e), clock: () => new Date('2040-01-01T00:00:00.000Z') },
    );
    const added = loaded.add({ label: 'later' });
    assert.equal(added.created, '2040-01-01T00:00:00.000Z');
    assert.equal(events.length, 1);
  });

  test('retired keys survive a round trip as metadata only', async () => {
    const retired = rich.keyring.list().find((k) => k.status === 'retired')!;
    for (const [text, unlock] of [
      [await kekFile, { kek }],
      [await passFile, { passphrase: PASSPHRASE }],
    ] as const) {
      const loaded = await Keyring.load(text, unlock);
      assert.deepEqual(
        loaded.list().find((k) => k.id === retired.id),
        retired,
      );
      assert.equal(secretsOf(loaded)[retired.id], undefined);
      assert.throws(() => loaded.enable(retired.id), KeyringError);
    }
    // The payload itself holds no bytes for the retired key.
    const payload = JSON.parse(decryptPayload(JSON.parse(await kekFile) as FileDoc, kek)) as {
      keys: Record<string, string>;
    };
    assert.deepEqual(Object.keys(payload), ['keys']);
    assert.deepEqual(payload.keys, secretsOf(rich.keyring));
    assert.equal(payload.keys[retired.id], undefined);
  });

  test('a token under a retired key fails with KeyDisabled ("retired") after a round trip', async () => {
    const keyring = Keyring.generate();
    const old = keyring.primaryKeyId;
    const token = keyring.seal('gone', { context: {} });
    keyring.rotate();
    keyring.retire(old);
    const loaded = await Keyring.load(await keyring.save({ kek }), { kek });
    assert.throws(() => loaded.open(token, { context: {} }), /retired/);
    assert.throws(() => loaded.open(token, { context: {} }), KeyDisabled);
  });

  test('cleartext export and import round trip', () => {
    const text = exportKeyringCleartext(rich.keyring);
    const doc = JSON.parse(text) as { format: string; version: number; keys: unknown; secrets: Json };
    assert.equal(doc.format, 'coffer-keyring-cleartext');
    assert.equal(doc.version, 1);
    assert.deepEqual(doc.keys, rich.keyring.list());
    const imported = importKeyringCleartext(text);
    assertSameKeyring(rich.keyring, imported);
    assertTokensOpen(imported, rich.tokens);
    assert.deepEqual(JSON.parse(exportKeyringCleartext(imported)), doc);
    for (const bad of ['', '{}', 'null', '[]', text.replace('coffer-keyring-cleartext', 'coffer-keyring')]) {
      assert.throws(() => importKeyringCleartext(bad), DecodeError);
    }
  });
});

describe('inspect', () => {
  test('shows metadata without unlocking', async () => {
    assert.deepEqual(Keyring.inspect(await passFile), {
      keys: rich.keyring.list(),
      protection: { method: 'scrypt' },
    });
    assert.deepEqual(Keyring.inspect(await kekFile), {
      keys: rich.keyring.list(),
      protection: { method: 'kek', kekId: 'kms://test/kek-1' },
    });
    for (const s of secretForms(rich.keyring))
      assert.ok(!JSON.stringify(Keyring.inspect(await kekFile)).includes(s));
  });

  test('rejects malformed files with DecodeError', () => {
    for (const bad of ['', 'null', '[]', '{', '"x"', '{}', SECRET_MARKER]) {
      assert.throws(
        () => Keyring.inspect(bad),
        (err: unknown) => err instanceof DecodeError && !err.message.includes(SECRET_MARKER),
      );
    }
  });
});

describe('unlocking', () => {
  test('a wrong passphrase is a KeyringError', async () => {
    const text = await passFile;
    for (const passphrase of ['wrong', `${PASSPHRASE} `, PASSPHRASE.toUpperCase(), PASSPHRASE.slice(0, -1)]) {
      await assert.rejects(Keyring.load(text, { passphrase }), isUnlockFailure);
    }
  });

  test('a wrong KEK is a KeyringError', async () => {
    const text = await kekFile;
    const near = Uint8Array.from(kek);
    near[31]! ^= 1;
    for (const wrong of [kekBytes(), near, SecretKey.fromBytes(kekBytes())]) {
      await assert.rejects(Keyring.load(text, { kek: wrong }), isUnlockFailure);
    }
  });

  test('the wrong kind of secret, or a KEK of the wrong size, is a programmer error', async () => {
    await expectTypedRejection(() => Keyring.load(kekFile as never, { kek }), {
      kind: 'TypeError',
      label: 'text',
    });
    await expectTypedRejection(async () => Keyring.load(await kekFile, { passphrase: PASSPHRASE }), {
      kind: 'TypeError',
      label: 'unlock',
    });
    await expectTypedRejection(async () => Keyring.load(await passFile, { kek }), {
      kind: 'TypeError',
      label: 'unlock',
    });
    for (const size of [0, 16, 31, 33, 64]) {
      await expectTypedRejection(async () => Keyring.load(await kekFile, { kek: new Uint8Array(size) }), {
        kind: 'RangeError',
        label: 'kek',
      });
      await expectTypedRejection(() => rich.keyring.save({ kek: new Uint8Array(size) }), {
        kind: 'RangeError',
        label: 'protection.kek',
      });
    }
  });

  test('the passphrase is NFC-normalized: the NFD spelling unlocks', async () => {
    const nfc = 'Pässwörter café Ωμέγα'.normalize('NFC');
    const nfd = nfc.normalize('NFD');
    assert.notEqual(nfc, nfd);
    const keyring = Keyring.generate();
    const fromNfc = await keyring.save({ passphrase: nfc, scrypt: FAST });
    assertSameKeyring(keyring, await Keyring.load(fromNfc, { passphrase: nfd }));
    const fromNfd = await keyring.save({ passphrase: nfd, scrypt: FAST });
    assertSameKeyring(keyring, await Keyring.load(fromNfd, { passphrase: nfc }));
    await assert.rejects(Keyring.load(fromNfc, { passphrase: 'Passworter cafe Ωμέγα' }), isUnlockFailure);
  });
});

describe('no key bytes in saved files', () => {
  test('neither the passphrase nor the KEK file holds a key in hex, base64 or base64url', async () => {
    const forms = secretForms(rich.keyring);
    assert.equal(forms.length, 5 * 4, 'four keys hold bytes');
    for (const text of [await passFile, await kekFile]) {
      for (const s of forms) assert.ok(!text.includes(s), 'saved file leaks a key');
      assert.ok(!text.includes(Buffer.from(kek).toString('base64url')));
      assert.ok(!text.includes(Buffer.from(kek).toString('hex')));
      assert.ok(!text.includes(PASSPHRASE));
    }
  });
});

describe('tampering', () => {
  type Expect = typeof KeyringError | typeof DecodeError;
  interface Edit {
    name: string;
    edit: (doc: FileDoc) => void;
    expect: Expect;
  }
  const otherB64 = (n: number) => randomBytes(n).toString('base64url');
  const del = (o: Json, k: string) => {
    delete o[k];
  };
  const set = (o: object, k: string, v: unknown) => {
    (o as Json)[k] = v;
  };
  // Edits that apply to any file.
  const common: Edit[] = [
    { name: 'format: other name', edit: (d) => set(d, 'format', 'coffer-keyring2'), expect: DecodeError },
    { name: 'format: number', edit: (d) => set(d, 'format', 1), expect: DecodeError },
    { name: 'format: removed', edit: (d) => del(d, 'format'), expect: DecodeError },
    { name: 'version: 2', edit: (d) => set(d, 'version', 2), expect: DecodeError },
    { name: 'version: 0', edit: (d) => set(d, 'version', 0), expect: DecodeError },
    { name: 'version: "1"', edit: (d) => set(d, 'version', '1'), expect: DecodeError },
    { name: 'version: removed', edit: (d) => del(d, 'version'), expect: DecodeError },
    { name: 'protection: null', edit: (d) => set(d, 'protection', null), expect: DecodeError },
    { name: 'protection: array', edit: (d) => set(d, 'protection', []), expect: DecodeError },
    { name: 'protection: removed', edit: (d) => del(d, 'protection'), expect: DecodeError },
    {
      name: 'protection.method: unknown',
      edit: (d) => set(d.protection, 'method', 'pbkdf2'),
      expect: DecodeError,
    },
    { name: 'protection.method: removed', edit: (d) => del(d.protection, 'method'), expect: DecodeError },
    {
      name: 'protection.salt: other 16 bytes',
      edit: (d) => set(d.protection, 'salt', otherB64(16)),
      expect: KeyringError,
    },
    {
      name: 'protection.salt: 15 bytes',
      edit: (d) => set(d.protection, 'salt', otherB64(15)),
      expect: DecodeError,
    },
    {
      name: 'protection.salt: padded',
      edit: (d) => set(d.protection, 'salt', `${d.protection.salt}==`),
      expect: DecodeError,
    },
    {
      name: 'protection.salt: standard base64',
      edit: (d) =>
        set(d.protection, 'salt', Buffer.from(d.protection.salt as string, 'base64url').toString('base64')),
      expect: DecodeError,
    },
    { name: 'protection.salt: number', edit: (d) => set(d.protection, 'salt', 16), expect: DecodeError },
    { name: 'protection.salt: removed', edit: (d) => del(d.protection, 'salt'), expect: DecodeError },
    {
      name: 'protection: extra field',
      edit: (d) => set(d.protection, 'extra', 1),
      expect: DecodeError,
    },
    { name: 'keys: empty', edit: (d) => set(d, 'keys', []), expect: DecodeError },
    { name: 'keys: object', edit: (d) => set(d, 'keys', {}), expect: DecodeError },
    { name: 'keys: removed', edit: (d) => del(d, 'keys'), expect: DecodeError },
    { name: 'keys: reversed', edit: (d) => void d.keys.reverse(), expect: KeyringError },
    { name: 'keys: one removed', edit: (d) => void d.keys.pop(), expect: KeyringError },
    {
      name: 'keys: one duplicated',
      edit: (d) => void d.keys.push({ ...d.keys.at(-1)! }),
      expect: DecodeError,
    },
    {
      name: 'keys: duplicate id',
      edit: (d) => set(d.keys[1]!, 'id', d.keys[2]!.id),
      expect: DecodeError,
    },
    {
      name: 'keys: no primary',
      edit: (d) => set(d.keys[0]!, 'status', 'active'),
      expect: DecodeError,
    },
    {
      name: 'keys: two primaries',
      edit: (d) => set(d.keys[1]!, 'status', 'primary'),
      expect: DecodeError,
    },
    { name: 'keys: a key is null', edit: (d) => set(d.keys, '1', null), expect: DecodeError },
    { name: 'nonce: other 12 bytes', edit: (d) => set(d, 'nonce', otherB64(12)), expect: KeyringError },
    { name: 'nonce: 11 bytes', edit: (d) => set(d, 'nonce', otherB64(11)), expect: DecodeError },
    { name: 'nonce: 16 bytes', edit: (d) => set(d, 'nonce', otherB64(16)), expect: DecodeError },
    { name: 'nonce: number', edit: (d) => set(d, 'nonce', 0), expect: DecodeError },
    { name: 'nonce: removed', edit: (d) => del(d, 'nonce'), expect: DecodeError },
    {
      name: 'sealed: one bit flipped',
      edit: (d) => {
        const b = Buffer.from(d.sealed as string, 'base64url');
        b[5]! ^= 1;
        d.sealed = b.toString('base64url');
      },
      expect: KeyringError,
    },
    {
      name: 'sealed: tag bit flipped',
      edit: (d) => {
        const b = Buffer.from(d.sealed as string, 'base64url');
        b[b.length - 1]! ^= 0x80;
        d.sealed = b.toString('base64url');
      },
      expect: KeyringError,
    },
    {
      name: 'sealed: a byte appended',
      edit: (d) =>
        set(
          d,
          'sealed',
          Buffer.concat([Buffer.from(d.sealed as string, 'base64url'), Buffer.of(0)]).toString('base64url'),
        ),
      expect: KeyringError,
    },
    {
      name: 'sealed: truncated by a byte',
      edit: (d) =>
        set(
          d,
          'sealed',
          Buffer.from(d.sealed as string, 'base64url')
            .subarray(0, -1)
            .toString('base64url'),
        ),
      expect: KeyringError,
    },
    { name: 'sealed: 15 bytes', edit: (d) => set(d, 'sealed', otherB64(15)), expect: DecodeError },
    { name: 'sealed: empty', edit: (d) => set(d, 'sealed', ''), expect: DecodeError },
    { name: 'sealed: not base64url', edit: (d) => set(d, 'sealed', `${d.sealed}!`), expect: DecodeError },
    { name: 'sealed: removed', edit: (d) => del(d, 'sealed'), expect: DecodeError },
    { name: 'extra top-level field', edit: (d) => set(d, 'comment', 'hi'), expect: DecodeError },
    { name: 'extra top-level field, null', edit: (d) => set(d, 'kek', null), expect: DecodeError },
  ];
  // Each field of each key.
  for (const i of [0, 1, 4]) {
    const k = (d: FileDoc) => d.keys[i]!;
    common.push(
      { name: `keys[${i}].id: other id`, edit: (d) => set(k(d), 'id', '0badf00d'), expect: KeyringError },
      {
        name: `keys[${i}].id: upper case`,
        edit: (d) => set(k(d), 'id', (k(d).id as string).toUpperCase().replace(/^[0-9]/, 'A')),
        expect: DecodeError,
      },
      { name: `keys[${i}].id: 7 digits`, edit: (d) => set(k(d), 'id', '0badf00'), expect: DecodeError },
      { name: `keys[${i}].id: number`, edit: (d) => set(k(d), 'id', 12345678), expect: DecodeError },
      { name: `keys[${i}].id: removed`, edit: (d) => del(k(d), 'id'), expect: DecodeError },
      { name: `keys[${i}].label: changed`, edit: (d) => set(k(d), 'label', 'evil'), expect: KeyringError },
      {
        name: `keys[${i}].label: too long`,
        edit: (d) => set(k(d), 'label', 'x'.repeat(201)),
        expect: DecodeError,
      },
      { name: `keys[${i}].label: number`, edit: (d) => set(k(d), 'label', 7), expect: DecodeError },
      { name: `keys[${i}].label: removed`, edit: (d) => del(k(d), 'label'), expect: DecodeError },
      {
        name: `keys[${i}].algorithm: changed`,
        edit: (d) => set(k(d), 'algorithm', 'AES-128-GCM/HKDF-SHA256'),
        expect: DecodeError,
      },
      { name: `keys[${i}].algorithm: removed`, edit: (d) => del(k(d), 'algorithm'), expect: DecodeError },
      {
        name: `keys[${i}].created: other time`,
        edit: (d) => set(k(d), 'created', '1999-12-31T23:59:59.000Z'),
        expect: KeyringError,
      },
      {
        name: `keys[${i}].created: not a time`,
        edit: (d) => set(k(d), 'created', 'yesterday'),
        expect: DecodeError,
      },
      { name: `keys[${i}].created: number`, edit: (d) => set(k(d), 'created', 0), expect: DecodeError },
      { name: `keys[${i}].created: removed`, edit: (d) => del(k(d), 'created'), expect: DecodeError },
      { name: `keys[${i}].status: bogus`, edit: (d) => set(k(d), 'status', 'enabled'), expect: DecodeError },
      { name: `keys[${i}].status: removed`, edit: (d) => del(k(d), 'status'), expect: DecodeError },
      { name: `keys[${i}]: extra field`, edit: (d) => set(k(d), 'secret', 'x'), expect: DecodeError },
    );
  }
  // Every change of status: two primaries or none is malformed; anything else fails authentication.
  const statuses = rich.keyring.list().map((k) => k.status);
  assert.deepEqual(statuses, ['primary', 'active', 'active', 'disabled', 'retired']);
  for (const i of [1, 2, 3, 4]) {
    for (const status of ['active', 'disabled', 'retired'].filter((s) => s !== statuses[i])) {
      common.push({
        name: `keys[${i}].status -> ${status}`,
        edit: (d) => set(d.keys[i]!, 'status', status),
        expect: KeyringError,
      });
    }
  }
  const kekOnly: Edit[] = [
    {
      name: 'protection.kekId: changed',
      edit: (d) => set(d.protection, 'kekId', 'kms://other'),
      expect: KeyringError,
    },
    { name: 'protection.kekId: removed', edit: (d) => del(d.protection, 'kekId'), expect: KeyringError },
    { name: 'protection.kekId: number', edit: (d) => set(d.protection, 'kekId', 1), expect: DecodeError },
    { name: 'protection.kekId: null', edit: (d) => set(d.protection, 'kekId', null), expect: DecodeError },
    {
      name: 'protection.method: scrypt',
      edit: (d) => set(d.protection, 'method', 'scrypt'),
      expect: DecodeError,
    },
    { name: 'protection: scrypt n added', edit: (d) => set(d.protection, 'n', 16384), expect: DecodeError },
  ];
  const scryptOnly: Edit[] = [
    { name: 'protection.n: 2^15', edit: (d) => set(d.protection, 'n', 2 ** 15), expect: KeyringError },
    { name: 'protection.r: 9', edit: (d) => set(d.protection, 'r', 9), expect: KeyringError },
    { name: 'protection.p: 2', edit: (d) => set(d.protection, 'p', 2), expect: KeyringError },
    { name: 'protection.n: removed', edit: (d) => del(d.protection, 'n'), expect: DecodeError },
    { name: 'protection.r: removed', edit: (d) => del(d.protection, 'r'), expect: DecodeError },
    { name: 'protection.p: removed', edit: (d) => del(d.protection, 'p'), expect: DecodeError },
    { name: 'protection.n: "16384"', edit: (d) => set(d.protection, 'n', '16384'), expect: DecodeError },
    { name: 'protection.r: 8.5', edit: (d) => set(d.protection, 'r', 8.5), expect: DecodeError },
    { name: 'protection.p: null', edit: (d) => set(d.protection, 'p', null), expect: DecodeError },
    { name: 'protection.kekId added', edit: (d) => set(d.protection, 'kekId', 'k'), expect: DecodeError },
    { name: 'protection.method: kek', edit: (d) => set(d.protection, 'method', 'kek'), expect: DecodeError },
  ];

  async function check(text: string, unlock: object, { name, edit, expect }: Edit): Promise<void> {
    const doc = JSON.parse(text) as FileDoc;
    edit(doc);
    const edited = JSON.stringify(doc);
    assert.notEqual(edited, JSON.stringify(JSON.parse(text)), `${name}: the edit changed something`);
    await assert.rejects(
      Keyring.load(edited, unlock as never),
      (err: unknown) => {
        assert.ok(err instanceof expect, `${name}: expected ${expect.name}, got ${String(err)}`);
        assert.ok(err.message.length > 0);
        for (const s of secretForms(rich.keyring)) assert.ok(!err.message.includes(s));
        return true;
      },
      name,
    );
    // inspect reads only metadata: malformed metadata is refused there too.
    if (expect === DecodeError) assert.throws(() => Keyring.inspect(edited), DecodeError, name);
  }

  test('every field of a KEK-protected file', async () => {
    const text = await kekFile;
    assert.equal((JSON.parse(text) as FileDoc).keys.length, 5);
    for (const e of [...common, ...kekOnly]) await check(text, { kek }, e);
  });

  test('the protection fields of a passphrase file, and a sample of the rest', async () => {
    const text = await passFile;
    const sample = common.filter((e) => e.expect === KeyringError).filter((_, i) => i % 4 === 0);
    for (const e of [...scryptOnly, ...sample]) await check(text, { passphrase: PASSPHRASE }, e);
  });

  test('whitespace and key order in the JSON do not matter; values do', async () => {
    const doc = JSON.parse(await kekFile) as FileDoc;
    const { sealed, nonce, keys, protection, version, format } = doc;
    const reordered = JSON.stringify({ sealed, nonce, keys, protection, version, format });
    assertSameKeyring(rich.keyring, await Keyring.load(reordered, { kek }));
  });
});

describe('authenticated but malformed payloads (forged with the KEK, per docs/keyring-file.md)', () => {
  const base = async () => JSON.parse(await kekFile) as FileDoc;

  test('the documented wrapping key and associated data open a coffer file', async () => {
    const doc = await base();
    const payload = decryptPayload(doc, kek);
    assert.deepEqual(JSON.parse(payload), { keys: secretsOf(rich.keyring) });
    // Re-sealed by this test with the same construction, it still loads.
    assertSameKeyring(rich.keyring, await Keyring.load(forge(doc, payload, kek), { kek }));
  });

  test('each payload defect is a DecodeError', async () => {
    const doc = await base();
    const secrets = secretsOf(rich.keyring);
    const ids = Object.keys(secrets);
    const retired = rich.keyring.list().find((k) => k.status === 'retired')!.id;
    const withKeys = (keys: unknown) => JSON.stringify({ keys });
    const { [ids[0]!]: _dropped, ...missingOne } = secrets;
    const cases: [string, string | Uint8Array][] = [
      ['not JSON', 'not json'],
      ['not UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])],
      ['null', 'null'],
      ['no keys', '{}'],
      ['keys is an array', withKeys([])],
      ['a key without material', withKeys(missingOne)],
      [
        'material for a retired key',
        withKeys({ ...secrets, [retired]: Buffer.alloc(32).toString('base64url') }),
      ],
      [
        'material without metadata',
        withKeys({ ...secrets, '0badf00d': Buffer.alloc(32).toString('base64url') }),
      ],
      ['material of 31 bytes', withKeys({ ...secrets, [ids[0]!]: Buffer.alloc(31).toString('base64url') })],
      ['material padded', withKeys({ ...secrets, [ids[0]!]: `${Buffer.alloc(32).toString('base64url')}=` })],
      ['material is a number', withKeys({ ...secrets, [ids[0]!]: 1 })],
      ['an id in upper case', withKeys({ ...secrets, ABCDEF01: Buffer.alloc(32).toString('base64url') })],
    ];
    for (const [name, payload] of cases) {
      await assert.rejects(Keyring.load(forge(doc, payload, kek), { kek }), DecodeError, name);
    }
  });
});

describe('hostile scrypt parameters are refused before any scrypt work', () => {
  const hostile: [string, Json][] = [
    ['n = 2^30', { n: 2 ** 30 }],
    ['n = 2^21', { n: 2 ** 21 }],
    ['n = 2^53', { n: 2 ** 53 }],
    ['n = 1e300', { n: 1e300 }],
    ['n = 2^13', { n: 2 ** 13 }],
    ['n = 1', { n: 1 }],
    ['n = 0', { n: 0 }],
    ['n = -16384', { n: -16384 }],
    ['n not a power of 2 (3 * 2^14)', { n: 3 * 2 ** 14 }],
    ['n not a power of 2 (2^14 + 1)', { n: 2 ** 14 + 1 }],
    ['n = 2^32 + 2^14', { n: 2 ** 32 + 2 ** 14 }],
    ['r = 10^6', { r: 1e6 }],
    ['r = 33', { r: 33 }],
    ['r = 0', { r: 0 }],
    ['r = -1', { r: -1 }],
    ['p = 2^40', { p: 2 ** 40 }],
    ['p = 17', { p: 17 }],
    ['p = 0', { p: 0 }],
    ['p = 1.5', { p: 1.5 }],
    ['all at once', { n: 2 ** 30, r: 1e6, p: 2 ** 40 }],
    // Each bound alone allows these; together they would need 128·n·r = 4 GiB, 2 GiB, 1.1 GiB.
    ['n = 2^20 with r = 32', { n: 2 ** 20, r: 32 }],
    ['n = 2^19 with r = 32', { n: 2 ** 19, r: 32, p: 16 }],
    ['n = 2^20 with r = 9', { n: 2 ** 20, r: 9 }],
  ];
  for (const [name, params] of hostile) {
    test(name, async () => {
      const doc = JSON.parse(await passFile) as FileDoc;
      Object.assign(doc.protection, params);
      const text = JSON.stringify(doc);
      // The passphrase is read only to start scrypt: if the getter never runs, scrypt never ran.
      let read = false;
      const unlock = {
        get passphrase() {
          read = true;
          return PASSPHRASE;
        },
      };
      await assert.rejects(Keyring.load(text, unlock), (err: unknown) => {
        assert.ok(err instanceof DecodeError, String(err));
        assert.match(err.message, /scrypt|protection\.[nrp]/);
        return true;
      });
      assert.equal(read, false, 'the passphrase was read: key derivation started');
      assert.throws(() => Keyring.inspect(text), DecodeError);
    });
  }

  test('the largest parameters within bounds (1 GiB) do reach key derivation', async () => {
    const doc = JSON.parse(await passFile) as FileDoc;
    Object.assign(doc.protection, { n: 2 ** 20, r: 8, p: 1 });
    // The getter throws, so the test stops at the point where scrypt would start.
    const unlock = {
      get passphrase(): string {
        throw new Error('reached key derivation');
      },
    };
    await assert.rejects(Keyring.load(JSON.stringify(doc), unlock), /reached key derivation/);
  });

  test('the same parameters are refused when saving, with RangeError', async () => {
    const keyring = Keyring.generate();
    for (const scrypt of [
      { n: 2 ** 21 },
      { n: 2 ** 13 },
      { n: 3 * 2 ** 14 },
      { r: 33 },
      { r: 0 },
      { p: 17 },
      { p: 0 },
      { n: 2 ** 20, r: 32 },
      { n: 2 ** 20, r: 9 },
    ]) {
      await expectTypedRejection(() => keyring.save({ passphrase: 'pw', scrypt }), { kind: 'RangeError' });
    }
  });
});

describe('size limits', () => {
  test('a file over 16 MiB is refused without parsing', async () => {
    const text = await kekFile;
    const huge = text + ' '.repeat(MAX_KEYRING_FILE - text.length + 1);
    assert.equal(huge.length, MAX_KEYRING_FILE + 1);
    await assert.rejects(Keyring.load(huge, { kek }), (err: unknown) => {
      assert.ok(err instanceof DecodeError);
      assert.match(err.message, /larger/);
      return true;
    });
    assert.throws(() => Keyring.inspect(huge), DecodeError);
    // Exactly at the limit the size is fine (trailing whitespace is valid JSON).
    const atLimit = text + ' '.repeat(MAX_KEYRING_FILE - text.length);
    assert.equal(Keyring.inspect(atLimit).keys.length, 5);
  });

  test('more than 10,000 keys is refused', () => {
    const doc = {
      format: 'coffer-keyring',
      version: 1,
      protection: { method: 'kek', salt: otherSalt() },
      keys: Array.from({ length: 10_001 }, (_, i) => ({
        id: i.toString(16).padStart(8, '0'),
        label: '',
        algorithm: 'XAES-256-GCM',
        created: '2026-01-01T00:00:00.000Z',
        status: i === 0 ? 'primary' : 'active',
      })),
      nonce: Buffer.alloc(12).toString('base64url'),
      sealed: Buffer.alloc(16).toString('base64url'),
    };
    assert.throws(() => Keyring.inspect(JSON.stringify(doc)), DecodeError);
    doc.keys.pop();
    assert.equal(Keyring.inspect(JSON.stringify(doc)).keys.length, 10_000);
  });
});

function otherSalt(): string {
  return randomBytes(16).toString('base64url');
}

describe('hostile inputs: save, load, inspect', () => {
  const h = (label: string, value: unknown): Hostile => ({ label, value });
  const notKeys: readonly Hostile[] = [
    ...hostileBytes,
    h('Object.create(SecretKey.prototype)', Object.create(SecretKey.prototype)),
  ];

  test('Keyring.inspect(text)', async () => {
    for (const { value } of hostileStrings) {
      await expectTypedRejection(() => Keyring.inspect(value as never), { kind: 'TypeError', label: 'text' });
    }
  });

  test('Keyring.load(text, unlock, options)', async () => {
    const text = await kekFile;
    for (const { value } of hostileStrings) {
      await expectTypedRejection(() => Keyring.load(value as never, { kek }), {
        kind: 'TypeError',
        label: 'text',
      });
    }
    for (const { value } of [...hostileObjects, h('undefined', undefined), h('array', [])]) {
      await expectTypedRejection(() => Keyring.load(text, value as never), {
        kind: 'TypeError',
        label: 'unlock',
      });
    }
    for (const { value } of notKeys) {
      await expectTypedRejection(() => Keyring.load(text, { kek: value as never }), {
        kind: 'TypeError',
        label: 'kek',
      });
    }
    const pass = await passFile;
    for (const { value } of hostileStrings) {
      await expectTypedRejection(() => Keyring.load(pass, { passphrase: value as never }), {
        kind: 'TypeError',
        label: 'passphrase',
      });
    }
    for (const { value } of [...hostileObjects, h('array', [])]) {
      await expectTypedRejection(() => Keyring.load(text, { kek }, value as never), {
        kind: 'TypeError',
        label: 'options',
      });
    }
    await expectTypedRejection(() => Keyring.load(text, { kek }, { audit: 'log' as never }), {
      kind: 'TypeError',
      label: 'options.audit',
    });
  });

  test('keyring.save(protection)', async () => {
    const keyring = Keyring.generate();
    const save = (p: unknown) => keyring.save(p as never);
    for (const { value } of [...hostileObjects, h('undefined', undefined), h('array', [])]) {
      await expectTypedRejection(() => save(value), { kind: 'TypeError', label: 'protection' });
    }
    await expectTypedRejection(() => save({}), { kind: 'TypeError', label: 'protection' });
    for (const { value } of hostileStrings) {
      await expectTypedRejection(() => save({ passphrase: value }), {
        kind: 'TypeError',
        label: 'protection.passphrase',
      });
    }
    await expectTypedRejection(() => save({ passphrase: '' }), {
      kind: 'RangeError',
      label: 'protection.passphrase',
    });
    for (const { value } of [...hostileObjects, h('array', [])]) {
      await expectTypedRejection(() => save({ passphrase: 'pw', scrypt: value }), {
        kind: 'TypeError',
        label: 'protection.scrypt',
      });
    }
    for (const field of ['n', 'r', 'p']) {
      for (const { value } of hostileLengths.filter((x) => x.value !== undefined)) {
        await expectTypedRejection(() => save({ passphrase: 'pw', scrypt: { [field]: value } }), {
          kind: integerKind(value),
          label: `protection.scrypt.${field}`,
        });
      }
    }
    for (const { value } of notKeys) {
      await expectTypedRejection(() => save({ kek: value }), { kind: 'TypeError', label: 'protection.kek' });
    }
    for (const { value } of hostileStrings.filter((x) => x.value !== undefined)) {
      await expectTypedRejection(() => save({ kek, kekId: value }), {
        kind: 'TypeError',
        label: 'protection.kekId',
      });
    }
  });
});

describe('strict metadata', () => {
  const withCreated = (text: string, created: string): string => {
    const doc = JSON.parse(text) as FileDoc;
    doc.keys[0]!.created = created;
    return JSON.stringify(doc);
  };
  const namesCreated = (err: unknown): boolean =>
    err instanceof DecodeError && /keys\[0\]\.created must be an ISO 8601 UTC time/.test(err.message);

  // Each of these is a time Date.parse reads, so the old check let it through.
  const notToISOString = [
    '2026-01-01',
    '2026-01-01T00:00:00Z',
    '2026-01-01T00:00:00.000+00:00',
    '2026-01-01T01:00:00.000+01:00',
    '2026-01-01T00:00:00.0000Z',
    '2026-01-01 00:00:00.000Z',
    '2026-01-01t00:00:00.000z',
    'Thu, 01 Jan 2026 00:00:00 GMT',
    'January 1, 2026',
    '+002026-01-01T00:00:00.000Z',
    // The right shape, but not a date toISOString writes: Date.parse moves them to another day.
    '2026-02-30T00:00:00.000Z',
    '2025-02-29T00:00:00.000Z',
    '2026-01-01T24:00:00.000Z',
  ];

  test('created must be exactly what Date#toISOString writes: DecodeError from inspect, load and import', async () => {
    const file = await kekFile;
    const cleartext = exportKeyringCleartext(rich.keyring);
    for (const created of notToISOString) {
      assert.ok(!Number.isNaN(Date.parse(created)), `Date.parse reads ${JSON.stringify(created)}`);
      assert.throws(() => Keyring.inspect(withCreated(file, created)), namesCreated, created);
      await assert.rejects(Keyring.load(withCreated(file, created), { kek }), namesCreated, created);
      assert.throws(() => importKeyringCleartext(withCreated(cleartext, created)), namesCreated, created);
    }
  });

  test('the extreme toISOString times are accepted, and a forged file with one loads', async () => {
    const doc = JSON.parse(await kekFile) as FileDoc;
    const payload = decryptPayload(doc, kek);
    for (const created of [
      '0000-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '2024-02-29T12:00:00.000Z',
    ]) {
      doc.keys[0]!.created = created;
      const loaded = await Keyring.load(forge(doc, payload, kek), { kek });
      assert.equal(loaded.list()[0]!.created, created);
      assert.equal(Keyring.inspect(JSON.stringify(doc)).keys[0]!.created, created);
    }
  });

  test('a clock outside the years 0 to 9999 is refused, so every saved keyring loads again', async () => {
    for (const year of [10_000, 275_759, -1, -271_820]) {
      const clock = () => new Date(Date.UTC(year, 0, 1));
      assert.throws(() => Keyring.generate({ clock }), {
        name: 'RangeError',
        message: `"clock" must return a date in the years 0 to 9999, got year ${year}`,
      });
    }
    let t = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
    const keyring = Keyring.generate({ clock: () => new Date(t) });
    const k = kekBytes();
    const loaded = await Keyring.load(await keyring.save({ kek: k }), { kek: k });
    assert.equal(loaded.list()[0]!.created, '9999-12-31T23:59:59.999Z');
    t += 1;
    assert.throws(() => keyring.add(), RangeError);
    assert.throws(() => keyring.rotate(), RangeError);
    assert.equal(keyring.list().length, 1, 'a refused add or rotate adds no key');
  });

  test('importKeyringCleartext refuses an unknown top-level field, naming it, as the file loader does', async () => {
    const cleartext = JSON.parse(exportKeyringCleartext(rich.keyring)) as Json;
    for (const field of ['comment', 'protection', 'nonce', 'sealed', '__proto__x', 'Keys']) {
      const text = JSON.stringify({ ...cleartext, [field]: 'x' });
      assert.throws(
        () => importKeyringCleartext(text),
        (err: unknown) =>
          err instanceof DecodeError && err.message.includes(`unexpected field ${JSON.stringify(field)}`),
        field,
      );
    }
    const file = JSON.parse(await kekFile) as Json;
    await assert.rejects(Keyring.load(JSON.stringify({ ...file, comment: 'x' }), { kek }), {
      name: 'DecodeError',
      message: /unexpected field "comment"/,
    });
    // The exported form itself, in any key order, still imports.
    const reordered = Object.fromEntries(Object.entries(cleartext).reverse());
    assertSameKeyring(rich.keyring, importKeyringCleartext(JSON.stringify(reordered)));
  });
});
