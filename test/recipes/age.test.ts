// coffer/age on its own: keys and their strings, what never leaks, the recipient rules, the two errors
// and which part they name, truncation at every byte and bit flips, trailing data, the work-factor bound,
// fast-check round trips and mutations (whole-buffer and streamed in random pieces, binary and armored),
// header and armor encoder/decoder round trips, and the hostile-input table for the module.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { DecodeError } from '../../src/errors.ts';
import {
  ArmorDecoder,
  armorDecode,
  armorEncode,
  encodeHeader,
  headerLength,
  parseHeader,
  type Stanza,
} from '../../src/formats/age-header.ts';
import { bech32Decode, bech32Encode } from '../../src/formats/bech32.ts';
import { ageIdentitySecretString } from '../../src/internal/age-secret.ts';
import * as age from '../../src/recipes/age.ts';
import {
  AgeFileDamaged,
  createDecryptStream,
  createDecryptWebStream,
  createEncryptStream,
  createEncryptWebStream,
  decrypt,
  encrypt,
  generateX25519Identity,
  NoIdentityMatch,
  ScryptIdentity,
  ScryptRecipient,
  X25519Identity,
  X25519Recipient,
} from '../../src/recipes/age.ts';
import { hostileInstances } from '../helpers/hostile.ts';
import {
  bytesLikeParam,
  type Case,
  checkCoverage,
  cofferCase,
  decodeCase,
  intParam,
  optionsArg,
  type Param,
  rangeCase,
  runTargets,
  stringParam,
  type Target,
  type,
  typeCase,
} from '../helpers/hostile-table.ts';

const id = generateX25519Identity();
const other = generateX25519Identity();

/** Feeds `data` to a node stream in the given piece sizes; returns what it released and how it ended. */
async function throughNode(
  stream: import('node:stream').Transform,
  data: Uint8Array,
  sizes: readonly number[] = [data.length || 1],
): Promise<{ out: Buffer; error?: unknown }> {
  const out: Buffer[] = [];
  stream.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<unknown>((resolve) => {
    stream.on('error', resolve);
    stream.on('end', () => resolve(undefined));
  });
  let i = 0;
  let k = 0;
  while (i < data.length) {
    const n = Math.max(1, sizes[k++ % sizes.length] as number);
    stream.write(data.subarray(i, i + n));
    i += n;
  }
  stream.end();
  const error = await done;
  return error === undefined ? { out: Buffer.concat(out) } : { out: Buffer.concat(out), error };
}

async function throughWeb(
  stream: TransformStream<Uint8Array, Uint8Array>,
  data: Uint8Array,
): Promise<Buffer> {
  const out: Uint8Array[] = [];
  const readable = new Blob([data]).stream().pipeThrough(stream);
  for await (const c of readable as unknown as AsyncIterable<Uint8Array>) out.push(c);
  return Buffer.concat(out);
}

describe('bech32', () => {
  test('BIP 173 valid strings decode and re-encode', () => {
    for (const s of ['a12uel5l', 'abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw', 'A12UEL5L']) {
      const { prefix, data } = bech32Decode(s);
      assert.equal(bech32Encode(prefix, data), s.toLowerCase());
    }
  });
  test('BIP 173 invalid strings are refused', () => {
    for (const s of ['A12uEL5L', 'a12uel5m', '1qzzfhee', 'a1', 'abc1\x7fqqqqqq', 'x1b4n0q5v', 'li1dgmt3']) {
      assert.throws(() => bech32Decode(s), DecodeError, s);
    }
  });
  test('round trip (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 100 }),
        fc.constantFrom('age', 'age-secret-key-', 'x'),
        (d, p) => {
          const back = bech32Decode(bech32Encode(p, d));
          assert.equal(back.prefix, p);
          assert.deepEqual(back.data, d);
        },
      ),
    );
  });
});

describe('keys', () => {
  test('identity strings round trip; the recipient follows', () => {
    const secret = ageIdentitySecretString(id) as string;
    assert.match(secret, /^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
    const again = X25519Identity.fromString(`  ${secret}\n`);
    assert.equal(String(again.recipient()), String(id.recipient()));
    assert.match(String(id.recipient()), /^age1[0-9a-z]{58}$/);
    assert.equal(String(X25519Recipient.fromString(String(id.recipient()))), String(id.recipient()));
  });

  test("RFC 7748 §6.1: Alice's key gives her public key", () => {
    const scalar = Buffer.from('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', 'hex');
    const alice = X25519Identity.fromString(bech32Encode('age-secret-key-', scalar).toUpperCase());
    const pub = bech32Decode(String(alice.recipient())).data;
    assert.equal(
      Buffer.from(pub).toString('hex'),
      '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
    );
  });

  test('secrets never show in toString, toJSON or inspect', () => {
    const secret = ageIdentitySecretString(id) as string;
    for (const shown of [String(id), JSON.stringify(id), inspect(id), inspect({ id }), `${id}`]) {
      assert.ok(!shown.includes(secret.slice(16, 40)), shown);
      assert.ok(!shown.toUpperCase().includes(secret.slice(16, 40)));
    }
    const pw = 'correct horse battery staple';
    for (const o of [new ScryptRecipient(pw), new ScryptIdentity(pw)]) {
      for (const shown of [String(o), JSON.stringify(o), inspect(o)]) assert.ok(!shown.includes(pw), shown);
    }
  });

  test('wrong case, wrong type and wrong length are refused', () => {
    const secret = ageIdentitySecretString(id) as string;
    assert.throws(() => X25519Identity.fromString(secret.toLowerCase()), DecodeError);
    assert.throws(() => X25519Identity.fromString(String(id.recipient())), DecodeError);
    assert.throws(() => X25519Recipient.fromString(String(id.recipient()).toUpperCase()), DecodeError);
    assert.throws(() => X25519Recipient.fromString(secret), DecodeError);
    assert.throws(() => X25519Recipient.fromString(bech32Encode('age', new Uint8Array(31))), DecodeError);
    assert.throws(
      () => X25519Identity.fromString(bech32Encode('age-secret-key-', new Uint8Array(33)).toUpperCase()),
      DecodeError,
    );
    // The message never repeats the key.
    try {
      X25519Identity.fromString(`${secret.slice(0, -1)}q`);
      assert.fail('accepted a bad checksum');
    } catch (err) {
      assert.ok(!(err as Error).message.includes(secret.slice(16, 40)));
    }
  });

  test('a low-order recipient cannot be encrypted to', async () => {
    const low = X25519Recipient.fromString(bech32Encode('age', new Uint8Array(32)));
    await assert.rejects(encrypt('x', low), DecodeError);
  });
});

describe('recipient rules and errors', () => {
  test('a ScryptRecipient must be alone', async () => {
    await assert.rejects(
      encrypt('x', [new ScryptRecipient('pw', { workFactor: 1 }), id.recipient()]),
      TypeError,
    );
    await assert.rejects(
      encrypt('x', [
        new ScryptRecipient('a', { workFactor: 1 }),
        new ScryptRecipient('b', { workFactor: 1 }),
      ]),
      TypeError,
    );
  });

  test('no match and damage are told apart', async () => {
    const file = await encrypt(randomBytes(100), id.recipient());
    await assert.rejects(decrypt(file, other), NoIdentityMatch);
    await assert.rejects(decrypt(file, new ScryptIdentity('pw')), { code: 'ERR_NO_IDENTITY_MATCH' });
    const badMac = Uint8Array.from(file);
    const macAt = Buffer.from(file).indexOf('\n--- ') + 6;
    badMac[macAt] = badMac[macAt] === 0x41 ? 0x42 : 0x41;
    await assert.rejects(decrypt(badMac, id), { code: 'ERR_AGE_FILE_DAMAGED', part: 'mac' });
    await assert.rejects(decrypt(file.subarray(0, 30), id), { code: 'ERR_AGE_FILE_DAMAGED', part: 'header' });
    await assert.rejects(decrypt(Buffer.concat([file, Buffer.of(0)]), id), { part: 'payload' });
    const armored = Buffer.from(await encrypt('hi', id.recipient(), { armor: true })).toString();
    await assert.rejects(decrypt(armored.replace('\n', '\n\n'), id), { part: 'armor' });
    // Each part has one fixed message.
    assert.equal(new AgeFileDamaged('payload').message, new AgeFileDamaged('payload').message);
    assert.notEqual(new NoIdentityMatch().code, new AgeFileDamaged('header').code);
  });

  test('the scrypt work factor is bounded before any work', async () => {
    const file = await encrypt('x', new ScryptRecipient('pw', { workFactor: 12 }));
    await assert.rejects(decrypt(file, new ScryptIdentity('pw', { maxWorkFactor: 11 })), {
      code: 'ERR_AGE_FILE_DAMAGED',
      part: 'work-factor',
    });
    assert.deepEqual(
      Buffer.from(await decrypt(file, new ScryptIdentity('pw', { maxWorkFactor: 12 }))).toString(),
      'x',
    );
  });

  test('truncation at every length of a two-chunk file is refused, and releases only verified chunks', async () => {
    const plain = randomBytes(65536 + 100);
    const file = await encrypt(plain, id.recipient());
    const header = headerLength(file, 0);
    // Every cut in the header and nonce, and every 97th byte in the payload plus the edges.
    const cuts = new Set<number>();
    for (let n = 0; n < header + 16; n++) cuts.add(n);
    for (let n = header + 16; n < file.length; n += 97) cuts.add(n);
    for (const n of [file.length - 1, file.length - 16, header + 16 + 65552, header + 16 + 65551])
      cuts.add(n);
    for (const n of cuts) {
      await assert.rejects(decrypt(file.subarray(0, n), id), AgeFileDamaged, `cut at ${n}`);
      const { out, error } = await throughNode(createDecryptStream(id), file.subarray(0, n), [4096]);
      assert.ok(error instanceof AgeFileDamaged, `stream cut at ${n}`);
      assert.ok(out.length === 0 || out.length === 65536, `released ${out.length} at ${n}`);
      assert.equal(Buffer.compare(out, plain.subarray(0, out.length)), 0);
    }
  });

  test('a full final chunk then trailing data: the chunk verified, then the error', async () => {
    const plain = randomBytes(65536);
    const file = await encrypt(plain, id.recipient());
    const { out, error } = await throughNode(createDecryptStream(id), Buffer.concat([file, Buffer.of(1)]));
    assert.ok(error instanceof AgeFileDamaged && error.part === 'payload');
    assert.equal(Buffer.compare(out, plain), 0);
    await assert.rejects(decrypt(Buffer.concat([file, Buffer.of(1)]), id), { part: 'payload' });
  });
});

describe('round trips and mutations (fast-check)', () => {
  const sizes = fc.oneof(
    fc.integer({ min: 0, max: 300 }),
    fc.constantFrom(65535, 65536, 65537, 131072, 131073),
  );

  test('encrypt then decrypt, whole and streamed in random pieces, binary and armored', async () => {
    await fc.assert(
      fc.asyncProperty(
        sizes,
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 70000 }), { minLength: 1, maxLength: 5 }),
        async (n, armor, pieces) => {
          const plain = randomBytes(n);
          const enc = await throughNode(
            createEncryptStream([other.recipient(), id.recipient()], { armor }),
            plain,
            pieces,
          );
          assert.equal(enc.error, undefined);
          assert.equal(Buffer.compare(await decrypt(enc.out, id), plain), 0);
          const dec = await throughNode(createDecryptStream([id], armor ? { armor } : {}), enc.out, pieces);
          assert.equal(dec.error, undefined);
          assert.equal(Buffer.compare(dec.out, plain), 0);
          const viaWeb = await throughWeb(createEncryptWebStream(id.recipient(), { armor }), plain);
          assert.equal(Buffer.compare(await throughWeb(createDecryptWebStream(id), viaWeb), plain), 0);
        },
      ),
      { numRuns: 25 },
    );
  });

  test('a flipped bit anywhere is refused with one of the two errors, and never yields plaintext', async () => {
    const plain = randomBytes(70000);
    const file = await encrypt(plain, id.recipient());
    const armored = await encrypt(plain.subarray(0, 200), id.recipient(), { armor: true });
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 7 }), async (arm, at, bit) => {
        const bad = Uint8Array.from(arm ? armored : file);
        const i = at % bad.length;
        bad[i] = (bad[i] as number) ^ (1 << bit);
        try {
          await decrypt(bad, id);
        } catch (err) {
          assert.ok(err instanceof AgeFileDamaged || err instanceof NoIdentityMatch, String(err));
          return;
        }
        // Armor: flipping a line end between CR-less forms cannot happen; any accepted change is an error.
        assert.fail(`bit ${bit} of byte ${i} flipped and the file still decrypted`);
      }),
      { numRuns: 300 },
    );
  });

  test('headers round trip through encode and parse', () => {
    const arg = fc.stringMatching(/^[\x21-\x7e]{1,20}$/);
    const stanza = fc.record({
      type: arg,
      args: fc.array(arg, { maxLength: 4 }),
      body: fc.uint8Array({ maxLength: 200 }),
    });
    fc.assert(
      fc.property(
        fc.array(stanza, { minLength: 1, maxLength: 6 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (stanzas, mac) => {
          const bytes = encodeHeader(stanzas as Stanza[], mac);
          assert.equal(headerLength(bytes, 0), bytes.length);
          const h = parseHeader(bytes);
          assert.deepEqual(h.mac, mac);
          assert.deepEqual(
            h.stanzas.map((s) => ({ ...s, body: Uint8Array.from(s.body) })),
            stanzas.map((s) => ({ ...s, body: Uint8Array.from(s.body) })),
          );
        },
      ),
    );
  });

  test('armor round trips, in any pieces', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), fc.integer({ min: 1, max: 80 }), (data, piece) => {
        const text = Buffer.from(armorEncode(data), 'latin1');
        assert.deepEqual(Uint8Array.from(armorDecode(text)), data);
        const d = new ArmorDecoder();
        const parts: Uint8Array[] = [];
        for (let i = 0; i < text.length; i += piece) parts.push(d.push(text.subarray(i, i + piece)));
        d.end();
        assert.deepEqual(Uint8Array.from(Buffer.concat(parts)), data);
      }),
    );
  });

  test('header parsing never throws anything but DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (junk) => {
        const bytes = Buffer.concat([Buffer.from('age-encryption.org/v1\n-> '), junk, Buffer.from('\n--- ')]);
        try {
          parseHeader(bytes);
        } catch (err) {
          assert.ok(err instanceof DecodeError, String(err));
        }
      }),
    );
  });
});

// The hostile-input table for coffer/age.

const notRecipients = (name: string): Param => ({
  name,
  cases: [
    ...hostileInstances,
    rangeCase('empty array', []),
    typeCase('Object.create(X25519Recipient.prototype)', Object.create(X25519Recipient.prototype)),
    typeCase('an identity', id),
    typeCase('ScryptRecipient with another recipient', [
      new ScryptRecipient('pw', { workFactor: 1 }),
      id.recipient(),
    ]),
    typeCase('array with a string', ['age1qqqq']),
  ],
  kind: (v) => (Array.isArray(v) && v.length === 0 ? 'RangeError' : 'TypeError'),
});

const notIdentities = (name: string): Param => ({
  name,
  cases: [
    ...hostileInstances,
    rangeCase('empty array', []),
    typeCase('Object.create(X25519Identity.prototype)', Object.create(X25519Identity.prototype)),
    typeCase('Object.create(ScryptIdentity.prototype)', Object.create(ScryptIdentity.prototype)),
    typeCase('a recipient', id.recipient()),
    typeCase('array with a secret string', [ageIdentitySecretString(id)]),
  ],
  kind: (v) => (Array.isArray(v) && v.length === 0 ? 'RangeError' : 'TypeError'),
});

const armorField: Param = {
  name: 'armor',
  cases: [typeCase('"yes"', 'yes'), typeCase('1', 1), typeCase('null', null)],
  kind: type,
  optional: true,
};
const optionsParam = (valid: () => Record<string, unknown>) => optionsArg(valid, { armor: armorField }, true);

const passphraseParam = bytesLikeParam('passphrase', {}) as Param;
const passphraseCases: Param = {
  ...passphraseParam,
  cases: [...passphraseParam.cases, rangeCase('empty', '')],
};

let validFile: Uint8Array = new Uint8Array();
const notAge: readonly Case[] = [
  cofferCase('ERR_AGE_FILE_DAMAGED', 'empty', new Uint8Array(0)),
  cofferCase('ERR_AGE_FILE_DAMAGED', 'random bytes', randomBytes(100)),
  cofferCase('ERR_AGE_FILE_DAMAGED', 'an armored header only', '-----BEGIN AGE ENCRYPTED FILE-----\n'),
];

const TARGETS: readonly Target[] = [
  {
    name: 'X25519Recipient.fromString',
    covers: ['age:X25519Recipient'],
    args: [
      {
        ...stringParam('recipient'),
        cases: [
          ...stringParam('recipient').cases,
          decodeCase('empty', ''),
          decodeCase('age1 and junk', 'age1xyz'),
          decodeCase('an identity string', ageIdentitySecretString(id)),
        ],
        valid: () => String(id.recipient()),
      },
    ],
    call: (s) => X25519Recipient.fromString(s as string),
  },
  {
    name: 'X25519Identity.fromString',
    covers: ['age:X25519Identity'],
    args: [
      {
        ...stringParam('identity'),
        cases: [
          ...stringParam('identity').cases,
          decodeCase('empty', ''),
          decodeCase('a recipient string', String(id.recipient())),
          decodeCase('lowercase', (ageIdentitySecretString(id) as string).toLowerCase()),
        ],
        valid: () => ageIdentitySecretString(id),
      },
    ],
    call: (s) => X25519Identity.fromString(s as string),
  },
  {
    name: 'generateX25519Identity',
    covers: ['age:generateX25519Identity'],
    args: [],
    call: () => generateX25519Identity(),
  },
  {
    name: 'new ScryptRecipient',
    covers: ['age:ScryptRecipient'],
    args: [
      { ...passphraseCases, valid: () => 'pw' },
      optionsArg(
        () => ({ workFactor: 2 }),
        { workFactor: intParam('workFactor', [rangeCase('0', 0), rangeCase('31', 31)], { optional: true }) },
        true,
      ),
    ],
    call: (p, o) => new ScryptRecipient(p as string, o as never),
  },
  {
    name: 'new ScryptIdentity',
    covers: ['age:ScryptIdentity'],
    args: [
      { ...passphraseCases, valid: () => 'pw' },
      optionsArg(
        () => ({ maxWorkFactor: 20 }),
        {
          maxWorkFactor: intParam('maxWorkFactor', [rangeCase('0', 0), rangeCase('31', 31)], {
            optional: true,
          }),
        },
        true,
      ),
    ],
    call: (p, o) => new ScryptIdentity(p as string, o as never),
  },
  {
    name: 'encrypt',
    covers: ['age:encrypt'],
    async: true,
    args: [
      { ...bytesLikeParam('plaintext'), valid: () => 'hello' },
      { ...notRecipients('recipients'), valid: () => [id.recipient()] },
      optionsParam(() => ({ armor: true })),
    ],
    call: (p, r, o) => encrypt(p as string, r as never, o as never),
  },
  {
    name: 'decrypt',
    covers: ['age:decrypt'],
    async: true,
    args: [
      {
        ...bytesLikeParam('ciphertext'),
        cases: [...bytesLikeParam('ciphertext').cases, ...notAge],
        valid: () => validFile,
      },
      { ...notIdentities('identities'), valid: () => [id] },
      optionsParam(() => ({})),
    ],
    call: (c, i, o) => decrypt(c as Uint8Array, i as never, o as never),
  },
  {
    name: 'createEncryptStream',
    covers: ['age:createEncryptStream'],
    args: [{ ...notRecipients('recipients'), valid: () => id.recipient() }, optionsParam(() => ({}))],
    call: (r, o) => createEncryptStream(r as never, o as never),
  },
  {
    name: 'createDecryptStream',
    covers: ['age:createDecryptStream'],
    args: [{ ...notIdentities('identities'), valid: () => id }, optionsParam(() => ({ armor: false }))],
    call: (i, o) => createDecryptStream(i as never, o as never),
  },
  {
    name: 'createEncryptWebStream',
    covers: ['age:createEncryptWebStream'],
    args: [{ ...notRecipients('recipients'), valid: () => [id.recipient()] }, optionsParam(() => ({}))],
    call: (r, o) => createEncryptWebStream(r as never, o as never),
  },
  {
    name: 'createDecryptWebStream',
    covers: ['age:createDecryptWebStream'],
    args: [{ ...notIdentities('identities'), valid: () => [id] }, optionsParam(() => ({}))],
    call: (i, o) => createDecryptWebStream(i as never, o as never),
  },
];

describe('hostile inputs (coffer/age)', async () => {
  validFile = await encrypt('hello', id.recipient());
  runTargets(TARGETS);
  checkCoverage({ age }, TARGETS, {}, 'test/recipes/age.test.ts');

  test('web stream chunks that are not bytes fail the stream with TypeError', async () => {
    const t = createDecryptWebStream(id);
    const read = t.readable.getReader().read();
    const writer = t.writable.getWriter();
    await assert.rejects(writer.write('a string' as never), TypeError);
    await assert.rejects(read, TypeError);
  });
});
