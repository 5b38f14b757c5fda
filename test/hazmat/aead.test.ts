// coffer/hazmat/aead: the RFC known answers in test/vectors/rfc-aead.json (one test per vector), then the
// semantics every class shares (round trips, plain outputs, tampering, one opaque InvalidTag, redaction,
// key handling) and the limits particular to AES-CCM, AES-SIV and the 2^31 - 1 ceiling. Wycheproof is in
// wycheproof-aead.test.ts, live pyca interop in aead-pyca.test.ts, hostile inputs in test/hostile.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { InvalidTag } from '../../src/errors.ts';
import {
  AESCCM,
  AESGCM,
  AESGCMSIV,
  AESOCB3,
  AESSIV,
  ChaCha20Poly1305,
  MAX_AEAD_DATA,
  XChaCha20Poly1305,
} from '../../src/hazmat/aead.ts';
import { hasCipher } from '../../src/internal/backend-aead.ts';
import { SecretKey } from '../../src/keys/secret-key.ts';
import { hex, loadOwnJson, toHex } from '../helpers/vectors.ts';

interface Kat {
  algorithm: 'ChaCha20Poly1305' | 'AESSIV' | 'AESGCMSIV';
  source: string;
  key: string;
  nonce?: string;
  aad?: string;
  associatedData?: string[];
  plaintext: string;
  output: string;
}

const kats = loadOwnJson<{ description: string; source: string; cases: Kat[] }>('rfc-aead.json');

/** A nonce-taking AEAD, whatever its class. */
interface Aead {
  encrypt(nonce: Uint8Array, data: Uint8Array, associatedData?: Uint8Array | null): Uint8Array;
  decrypt(nonce: Uint8Array, data: Uint8Array, associatedData?: Uint8Array | null): Uint8Array;
}

/** AESSIV seen through the same shape: the "nonce" is ignored. */
function sivAsAead(siv: AESSIV): Aead {
  return {
    encrypt: (_n, d, a) => siv.encrypt(d, a === undefined || a === null ? a : [a]),
    decrypt: (_n, d, a) => siv.decrypt(d, a === undefined || a === null ? a : [a]),
  };
}

interface Spec {
  name: string;
  keyLengths: number[];
  nonceLength: number;
  tagLength: number;
  /** Longest message for this nonce length, where shorter than MAX_AEAD_DATA. */
  maxMessage?: number;
  make(key: Uint8Array | SecretKey): Aead & object;
  generateKey(): Uint8Array;
  available: boolean;
}

const SPECS: Spec[] = [
  {
    name: 'AESGCM',
    keyLengths: [16, 24, 32],
    nonceLength: 12,
    tagLength: 16,
    make: (k) => new AESGCM(k),
    generateKey: () => AESGCM.generateKey(),
    available: true,
  },
  {
    name: 'ChaCha20Poly1305',
    keyLengths: [32],
    nonceLength: 12,
    tagLength: 16,
    make: (k) => new ChaCha20Poly1305(k),
    generateKey: () => ChaCha20Poly1305.generateKey(),
    available: true,
  },
  {
    name: 'AESCCM',
    keyLengths: [16, 24, 32],
    nonceLength: 13,
    tagLength: 16,
    maxMessage: 65_535,
    make: (k) => new AESCCM(k),
    generateKey: () => AESCCM.generateKey(),
    available: true,
  },
  {
    name: 'AESCCM (8-byte tag)',
    keyLengths: [16],
    nonceLength: 7,
    tagLength: 8,
    make: (k) => new AESCCM(k, 8),
    generateKey: () => AESCCM.generateKey(128),
    available: true,
  },
  {
    name: 'AESOCB3',
    keyLengths: [16, 24, 32],
    nonceLength: 15,
    tagLength: 16,
    make: (k) => new AESOCB3(k),
    generateKey: () => AESOCB3.generateKey(),
    available: hasCipher('aes-128-ocb'),
  },
  {
    name: 'AESSIV',
    keyLengths: [32, 48, 64],
    nonceLength: 0,
    tagLength: 16,
    make: (k) => sivAsAead(new AESSIV(k)),
    generateKey: () => AESSIV.generateKey(),
    available: true,
  },
  {
    name: 'AESGCMSIV',
    keyLengths: [16, 32],
    nonceLength: 12,
    tagLength: 16,
    make: (k) => new AESGCMSIV(k),
    generateKey: () => AESGCMSIV.generateKey(),
    available: true,
  },
  {
    name: 'XChaCha20Poly1305',
    keyLengths: [32],
    nonceLength: 24,
    tagLength: 16,
    make: (k) => new XChaCha20Poly1305(k),
    generateKey: () => XChaCha20Poly1305.generateKey(),
    available: true,
  },
];

const fill = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 29 + seed) & 0xff);

/** A plain Uint8Array over an ArrayBuffer of exactly its own bytes: no Buffer, no shared pool. */
function assertPlain(value: Uint8Array, length: number): void {
  assert.equal(value.constructor, Uint8Array);
  assert.equal(value.length, length);
  assert.equal(value.byteOffset, 0);
  assert.equal(value.buffer.byteLength, length);
}

const TAG_MESSAGE = new InvalidTag().message;
/** InvalidTag, with the one fixed message and no cause. */
function isInvalidTag(err: unknown): boolean {
  assert.ok(err instanceof InvalidTag, `expected InvalidTag, got ${String(err)}`);
  assert.equal(err.message, TAG_MESSAGE);
  assert.equal(err.code, 'ERR_INVALID_TAG');
  assert.equal(err.cause, undefined);
  return true;
}

describe(`RFC known answers (${kats.cases.length} vectors, test/vectors/rfc-aead.json)`, () => {
  kats.cases.forEach((c, i) => {
    test(`#${i} ${c.algorithm}: ${c.source}`, () => {
      const pt = hex(c.plaintext);
      let seal: () => Uint8Array;
      let open: (data: Uint8Array) => Uint8Array;
      if (c.algorithm === 'AESSIV') {
        const siv = new AESSIV(hex(c.key));
        const ad = (c.associatedData ?? []).map(hex);
        seal = () => siv.encrypt(pt, ad);
        open = (d) => siv.decrypt(d, ad);
      } else {
        const aead =
          c.algorithm === 'AESGCMSIV' ? new AESGCMSIV(hex(c.key)) : new ChaCha20Poly1305(hex(c.key));
        const nonce = hex(c.nonce ?? '');
        const aad = hex(c.aad ?? '');
        seal = () => aead.encrypt(nonce, pt, aad);
        open = (d) => aead.decrypt(nonce, d, aad);
      }
      assert.equal(toHex(seal()), c.output);
      assert.equal(toHex(open(hex(c.output))), c.plaintext);
      // Every byte of the output is authenticated.
      for (let i = 0; i < c.output.length / 2; i++) {
        const bad = hex(c.output);
        bad[i]! ^= 0x80;
        assert.throws(() => open(bad), isInvalidTag, `byte ${i}`);
      }
    });
  });
});

for (const spec of SPECS) {
  const skip = spec.available ? false : "this runtime's OpenSSL has no AES-OCB";
  describe(spec.name, { skip }, () => {
    const nonce = fill(spec.nonceLength, 1);
    const aad = fill(21, 2);

    test('round trips at every key size and message length, with plain Uint8Array outputs', () => {
      for (const keyLength of spec.keyLengths) {
        const aead = spec.make(fill(keyLength, 3));
        // 65,536 and up cross the 64 KiB pieces node:crypto encrypts long messages in.
        for (const length of [0, 1, 15, 16, 17, 64, 1000, 65_535, 65_536, 65_537, 131_073]) {
          if (length > (spec.maxMessage ?? Number.POSITIVE_INFINITY)) continue;
          const msg = fill(length, length);
          const before = toHex(msg);
          const sealed = aead.encrypt(nonce, msg, aad);
          assertPlain(sealed, length + spec.tagLength);
          assert.equal(toHex(msg), before, 'the input is not modified');
          const opened = aead.decrypt(nonce, sealed, aad);
          assertPlain(opened, length);
          assert.equal(toHex(opened), before);
          // A Buffer works wherever a Uint8Array does.
          assert.equal(
            toHex(aead.decrypt(Buffer.from(nonce), Buffer.from(sealed), Buffer.from(aad))),
            before,
          );
        }
      }
    });

    test('a SecretKey gives the same output as its bytes; later changes to a raw key array do not count', () => {
      const raw = fill(spec.keyLengths[0]!, 4);
      const msg = fill(40, 5);
      const expected = toHex(spec.make(raw).encrypt(nonce, msg, aad));
      assert.equal(toHex(spec.make(SecretKey.fromBytes(raw)).encrypt(nonce, msg, aad)), expected);
      const mine = Uint8Array.from(raw);
      const aead = spec.make(mine);
      mine.fill(0);
      assert.equal(toHex(aead.encrypt(nonce, msg, aad)), expected);
    });

    test('every flipped bit, truncation and extension raises the same InvalidTag', () => {
      const aead = spec.make(fill(spec.keyLengths[0]!, 6));
      const sealed = aead.encrypt(nonce, fill(20, 7), aad);
      for (let bit = 0; bit < sealed.length * 8; bit++) {
        const bad = Uint8Array.from(sealed);
        bad[bit >> 3]! ^= 1 << (bit & 7);
        assert.throws(() => aead.decrypt(nonce, bad, aad), isInvalidTag, `bit ${bit}`);
      }
      for (let length = 0; length < sealed.length; length++) {
        assert.throws(() => aead.decrypt(nonce, sealed.subarray(0, length), aad), isInvalidTag, `${length}`);
      }
      const longer = new Uint8Array(sealed.length + 1);
      longer.set(sealed);
      assert.throws(() => aead.decrypt(nonce, longer, aad), isInvalidTag);
    });

    test('a wrong key, nonce or associated data raises the same InvalidTag', () => {
      const key = fill(spec.keyLengths[0]!, 8);
      const aead = spec.make(key);
      const msg = fill(33, 9);
      const sealed = aead.encrypt(nonce, msg, aad);
      const otherKey = Uint8Array.from(key);
      otherKey[0]! ^= 1;
      assert.throws(() => spec.make(otherKey).decrypt(nonce, sealed, aad), isInvalidTag);
      assert.throws(() => aead.decrypt(nonce, sealed, fill(21, 3)), isInvalidTag);
      assert.throws(() => aead.decrypt(nonce, sealed), isInvalidTag);
      if (spec.nonceLength > 0) {
        const otherNonce = Uint8Array.from(nonce);
        otherNonce[spec.nonceLength - 1]! ^= 1;
        assert.throws(() => aead.decrypt(otherNonce, sealed, aad), isInvalidTag);
      }
    });

    test('associated data: omitted and null are the same; empty is the same as none except for AES-SIV', () => {
      const aead = spec.make(fill(spec.keyLengths[0]!, 10));
      const msg = fill(10, 11);
      const none = toHex(aead.encrypt(nonce, msg));
      assert.equal(toHex(aead.encrypt(nonce, msg, null)), none);
      assert.equal(toHex(aead.encrypt(nonce, msg, undefined)), none);
      const empty = toHex(aead.encrypt(nonce, msg, new Uint8Array(0)));
      // AES-SIV: [empty] is one (empty) component, which RFC 5297's S2V tells apart from none.
      if (spec.name === 'AESSIV') assert.notEqual(empty, none);
      else assert.equal(empty, none);
    });

    test('an empty array without memory behind it is an empty message (node passes OpenSSL NULL)', () => {
      // Regression: OpenSSL's CCM took update(NULL, 0) for a length-setting call and failed "tag not set".
      const aead = spec.make(fill(spec.keyLengths[0]!, 14));
      const bare = () => new Uint8Array(new ArrayBuffer(0));
      const expected = toHex(aead.encrypt(nonce, new Uint8Array(0), aad));
      assert.equal(toHex(aead.encrypt(nonce, bare(), aad)), expected);
      assert.equal(
        toHex(aead.encrypt(nonce, bare(), bare())),
        toHex(aead.encrypt(nonce, Uint8Array.of(), Uint8Array.of())),
      );
      assert.equal(aead.decrypt(nonce, hex(expected), aad).length, 0);
    });

    test('generateKey: fresh random keys of the default size, as plain Uint8Arrays', () => {
      const a = spec.generateKey();
      const b = spec.generateKey();
      assertPlain(a, a.length);
      assert.ok(spec.keyLengths.includes(a.length));
      assert.notEqual(toHex(a), toHex(b));
      spec.make(a); // usable as is
    });

    test('redaction: String, JSON and inspect show the class name only', () => {
      const key = fill(spec.keyLengths[0]!, 12);
      const label = spec.name.split(' ')[0]!;
      const object = spec.name === 'AESSIV' ? new AESSIV(key) : spec.make(key);
      assert.equal(String(object), label);
      assert.equal(JSON.stringify(object), JSON.stringify({ type: label }));
      assert.equal(inspect(object), label);
      assert.equal(Object.prototype.toString.call(object), `[object ${label}]`);
      for (const text of [String(object), JSON.stringify(object), inspect(object, { showHidden: true })]) {
        assert.ok(!text.includes(toHex(key)), text);
      }
      assert.deepEqual(Object.keys(object), []);
    });
  });
}

describe('generateKey sizes', () => {
  test('each class makes the key sizes it accepts, and refuses the others', () => {
    const table: Array<[string, (bits?: number) => Uint8Array, number[], number, number[]]> = [
      ['AESGCM', (b) => AESGCM.generateKey(b), [128, 192, 256], 256, [0, 64, 255, 512]],
      ['AESCCM', (b) => AESCCM.generateKey(b), [128, 192, 256], 256, [96, 384]],
      ['AESOCB3', (b) => AESOCB3.generateKey(b), [128, 192, 256], 256, [512]],
      ['AESSIV', (b) => AESSIV.generateKey(b), [256, 384, 512], 512, [128, 192]],
      ['AESGCMSIV', (b) => AESGCMSIV.generateKey(b), [128, 256], 256, [192, 512]],
    ];
    for (const [name, generate, sizes, fallback, wrong] of table) {
      for (const bits of sizes) assert.equal(generate(bits).length, bits / 8, `${name} ${bits}`);
      assert.equal(generate().length, fallback / 8, `${name} default`);
      for (const bits of wrong) {
        assert.throws(
          () => generate(bits),
          (err: unknown) => err instanceof RangeError && err.message.includes('"bitLength"'),
          `${name} ${bits}`,
        );
      }
    }
    assert.equal(ChaCha20Poly1305.generateKey().length, 32);
    assert.equal(XChaCha20Poly1305.generateKey().length, 32);
  });
});

describe('key and nonce sizes', () => {
  const refuses = (fn: () => unknown, label: string, text: string) =>
    assert.throws(fn, (err: unknown) => {
      assert.ok(err instanceof RangeError, String(err));
      assert.ok(err.message.includes(`"${label}"`), err.message);
      assert.ok(err.message.includes(text), err.message);
      return true;
    });

  test('labelled RangeErrors name the sizes allowed and the size given', () => {
    refuses(() => new AESGCM(new Uint8Array(17)), 'key', 'must be 16, 24 or 32 bytes, got 17');
    refuses(() => new ChaCha20Poly1305(new Uint8Array(16)), 'key', 'must be 32 bytes, got 16');
    refuses(() => new AESSIV(new Uint8Array(16)), 'key', 'must be 32, 48 or 64 bytes, got 16');
    refuses(() => new AESGCMSIV(new Uint8Array(24)), 'key', 'must be 16 or 32 bytes, got 24');
    refuses(() => new XChaCha20Poly1305(SecretKey.generate(31)), 'key', 'got 31');
    const msg = new Uint8Array(1);
    refuses(
      () => new ChaCha20Poly1305(new Uint8Array(32)).encrypt(new Uint8Array(8), msg),
      'nonce',
      'must be 12 bytes, got 8',
    );
    refuses(
      () => new AESGCM(new Uint8Array(16)).encrypt(new Uint8Array(7), msg),
      'nonce',
      'between 8 and 128 bytes, got 7',
    );
    refuses(
      () => new AESGCM(new Uint8Array(16)).decrypt(new Uint8Array(129), new Uint8Array(16)),
      'nonce',
      'got 129',
    );
    refuses(
      () => new AESCCM(new Uint8Array(16)).encrypt(new Uint8Array(14), msg),
      'nonce',
      'between 7 and 13 bytes, got 14',
    );
    refuses(
      () => new AESCCM(new Uint8Array(16)).decrypt(new Uint8Array(6), new Uint8Array(16)),
      'nonce',
      'got 6',
    );
    refuses(
      () => new AESGCMSIV(new Uint8Array(16)).encrypt(new Uint8Array(16), msg),
      'nonce',
      'must be 12 bytes, got 16',
    );
    refuses(
      () => new XChaCha20Poly1305(new Uint8Array(32)).encrypt(new Uint8Array(12), msg),
      'nonce',
      'must be 24 bytes, got 12',
    );
    refuses(() => new AESCCM(new Uint8Array(16), 5), 'tagLength', 'must be 4, 6, 8, 10, 12, 14 or 16, got 5');
    refuses(() => new AESCCM(new Uint8Array(16), 18), 'tagLength', 'got 18');
    if (hasCipher('aes-128-ocb')) {
      refuses(
        () => new AESOCB3(new Uint8Array(16)).encrypt(new Uint8Array(11), msg),
        'nonce',
        'between 12 and 15 bytes, got 11',
      );
    }
  });

  test('AESCCM tag lengths: the output carries exactly that many tag bytes', () => {
    for (const tagLength of [4, 6, 8, 10, 12, 14, 16]) {
      const aead = new AESCCM(new Uint8Array(16), tagLength);
      const sealed = aead.encrypt(new Uint8Array(12), new Uint8Array(5));
      assert.equal(sealed.length, 5 + tagLength);
      assert.equal(aead.decrypt(new Uint8Array(12), sealed).length, 5);
      assert.throws(() => aead.decrypt(new Uint8Array(12), sealed.subarray(0, tagLength - 1)), isInvalidTag);
    }
  });
});

describe('AESCCM: the message must fit the length field (RFC 3610 §2, L = 15 - nonce length)', () => {
  const aead = new AESCCM(new Uint8Array(16));
  test('13-byte nonce: 65,535 bytes are accepted, 65,536 refused both ways', () => {
    const nonce = new Uint8Array(13);
    const sealed = aead.encrypt(nonce, new Uint8Array(65_535));
    assert.equal(aead.decrypt(nonce, sealed).length, 65_535);
    const label = /"data" must be at most 65535 bytes with a 13-byte nonce, got 65536/;
    assert.throws(() => aead.encrypt(nonce, new Uint8Array(65_536)), label);
    assert.throws(() => aead.decrypt(nonce, new Uint8Array(65_536 + 16)), label);
  });
  test('12-byte nonce: 2^24 - 1 bytes are accepted, 2^24 refused', () => {
    const nonce = new Uint8Array(12);
    assert.equal(aead.encrypt(nonce, new Uint8Array(2 ** 24 - 1)).length, 2 ** 24 - 1 + 16);
    assert.throws(() => aead.encrypt(nonce, new Uint8Array(2 ** 24)), RangeError);
  });
});

describe('AESSIV: the associated-data list', () => {
  const siv = new AESSIV(new Uint8Array(32).fill(1));
  const msg = fill(9, 13);
  test('omitted, null and [] mean none; [a, b] differs from [a ‖ b]; output is deterministic', () => {
    const none = toHex(siv.encrypt(msg));
    assert.equal(toHex(siv.encrypt(msg, null)), none);
    assert.equal(toHex(siv.encrypt(msg, [])), none);
    const a = fill(5, 1);
    const b = fill(7, 2);
    const ab = Uint8Array.from([...a, ...b]);
    assert.notEqual(toHex(siv.encrypt(msg, [a, b])), toHex(siv.encrypt(msg, [ab])));
    assert.notEqual(toHex(siv.encrypt(msg, [a, b])), toHex(siv.encrypt(msg, [b, a])));
    assert.equal(toHex(siv.encrypt(msg, [a, b])), toHex(siv.encrypt(msg, [a, b])));
    assert.throws(() => siv.decrypt(siv.encrypt(msg, [a, b]), [a]), isInvalidTag);
  });
  test('126 items are accepted, 127 refused (RFC 5297 §7)', () => {
    const items = Array.from({ length: 126 }, (_, i) => Uint8Array.of(i));
    assert.equal(toHex(siv.decrypt(siv.encrypt(msg, items), items)), toHex(msg));
    const more = [...items, new Uint8Array(0)];
    assert.throws(() => siv.encrypt(msg, more), /"associatedData" must hold at most 126 items, got 127/);
    assert.throws(() => siv.decrypt(new Uint8Array(32), more), RangeError);
  });
  test('an item that is not a Uint8Array is named by its index', () => {
    assert.throws(
      () => siv.encrypt(msg, [new Uint8Array(1), 'x' as never]),
      /"associatedData" item 1 must be a Uint8Array, got string/,
    );
  });
});

describe(`the ${MAX_AEAD_DATA}-byte ceiling (pyca's and node:crypto's)`, () => {
  // 2 GiB, allocated lazily by the OS and never touched: validation reads only the length.
  const huge = new Uint8Array(MAX_AEAD_DATA + 1);
  test('data and associated data over 2^31 - 1 bytes are RangeErrors before any work', () => {
    const over = /must be at most 2147483647 bytes, got 2147483648/;
    const small = new Uint8Array(1);
    assert.throws(() => new AESGCM(new Uint8Array(16)).encrypt(new Uint8Array(12), huge), over);
    assert.throws(() => new AESGCM(new Uint8Array(16)).decrypt(new Uint8Array(12), huge), over);
    assert.throws(
      () => new ChaCha20Poly1305(new Uint8Array(32)).encrypt(new Uint8Array(12), small, huge),
      over,
    );
    assert.throws(() => new AESCCM(new Uint8Array(16)).encrypt(new Uint8Array(7), huge), over);
    assert.throws(() => new XChaCha20Poly1305(new Uint8Array(32)).encrypt(new Uint8Array(24), huge), over);
    assert.throws(() => new AESGCMSIV(new Uint8Array(16)).decrypt(new Uint8Array(12), small, huge), over);
    assert.throws(() => new AESSIV(new Uint8Array(32)).encrypt(huge), over);
    assert.throws(
      () => new AESSIV(new Uint8Array(32)).encrypt(small, [small, huge]),
      /item 1 must be at most/,
    );
  });
});

describe('the TSDoc examples run', () => {
  // Each ```ts block in src/hazmat/aead.ts, with its imports pointed at the sources.
  const source = fileURLToPath(new URL('../../src/hazmat/aead.ts', import.meta.url));
  const random = fileURLToPath(new URL('../../src/hazmat/random.ts', import.meta.url));
  const blocks = [...readFileSync(source, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) =>
    (m[1] ?? '').replace(/^\s*\* ?/gm, ''),
  );
  const dir = mkdtempSync(join(tmpdir(), 'coffer-aead-examples-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  test('there is one per class and one for the module', () => assert.equal(blocks.length, 8));
  blocks.forEach((block, i) => {
    test(`example ${i + 1}: ${block.split('\n')[0]}`, async () => {
      const code = block
        .replaceAll("'coffer/hazmat/aead'", JSON.stringify(pathToFileURL(source).href))
        .replaceAll("'coffer/hazmat/random'", JSON.stringify(pathToFileURL(random).href));
      assert.ok(!code.includes("'coffer"), 'every import is rewritten');
      const file = join(dir, `example-${i}.ts`);
      writeFileSync(file, code);
      await import(pathToFileURL(file).href);
    });
  });
});
