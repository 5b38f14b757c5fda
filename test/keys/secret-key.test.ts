// SecretKey must never show its bytes: not through any string form, debug output, serialization or error
// message. Each string form is checked against every encoding of the key (and of 8-byte slices of it).
import assert from 'node:assert/strict';
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import util from 'node:util';
import v8 from 'node:v8';
import { base64Encode, base64urlEncode, hexEncode } from '../../src/formats/encoding.ts';
import { bytesEqual } from '../../src/hazmat/constant-time.ts';
import { hash, SHA256 } from '../../src/hazmat/hashes.ts';
import { HMAC, hmac, hmacVerify } from '../../src/hazmat/hmac.ts';
import { exportSecretKeyBytes } from '../../src/hazmat/insecure-export.ts';
import { HKDF, PBKDF2HMAC } from '../../src/hazmat/kdf.ts';
import { randomBytes } from '../../src/hazmat/random.ts';
import { SecretKey as PublicSecretKey } from '../../src/keys/index.ts';
import { SecretKey, secretKeyBytes } from '../../src/keys/secret-key.ts';

/** Every way the bytes could show up in text. */
function leakForms(raw: Uint8Array): string[] {
  const forms = new Set<string>();
  const add = (bytes: Uint8Array) => {
    const b = Buffer.from(bytes);
    const hex = b.toString('hex');
    forms.add(hex);
    forms.add(hex.toUpperCase());
    forms.add([...b].map((x) => x.toString(16).padStart(2, '0')).join(' ')); // <Buffer 41 41 ...>
    forms.add([...b].map((x) => `0x${x.toString(16).padStart(2, '0')}`).join(', '));
    forms.add(b.toString('base64'));
    forms.add(b.toString('base64').replace(/=+$/, ''));
    forms.add(b.toString('base64url'));
    forms.add(b.toString('latin1'));
    forms.add(b.toString('utf8'));
    forms.add([...b].join(','));
    forms.add([...b].join(', '));
  };
  add(raw);
  for (let i = 0; i + 8 <= raw.length; i += 8) add(raw.subarray(i, i + 8));
  // Shorter than 8 characters would match by chance (and `utf8` of random bytes is mostly U+FFFD).
  return [...forms].filter((f) => f.length >= 8 && !/^\uFFFD+$/.test(f));
}

function assertNoLeak(text: string, raw: Uint8Array, where: string): void {
  for (const form of leakForms(raw)) {
    assert.ok(
      !text.includes(form),
      `${where} contains the key bytes as ${JSON.stringify(form.slice(0, 24))}…`,
    );
  }
}

function captureConsole(write: (c: Console) => void): string {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out += chunk.toString('utf8');
      done();
    },
  });
  write(new Console({ stdout: sink, stderr: sink, colorMode: false }));
  return out;
}

interface Subject {
  readonly name: string;
  readonly make: () => { key: SecretKey; raw: Uint8Array };
}

const SUBJECTS: readonly Subject[] = [
  {
    name: 'fromBytes, 32 × 0x41',
    make: () => {
      const raw = new Uint8Array(32).fill(0x41);
      return { key: SecretKey.fromBytes(raw), raw };
    },
  },
  {
    name: 'fromBytes, random, with algorithm and id',
    make: () => {
      const raw = randomBytes(64);
      return { key: SecretKey.fromBytes(raw, { algorithm: 'HMAC-SHA512', id: 'webhooks-2026' }), raw };
    },
  },
  {
    name: 'generate(32)',
    make: () => {
      const key = SecretKey.generate(32);
      return { key, raw: exportSecretKeyBytes(key) };
    },
  },
  {
    name: 'generate(16) with an id',
    make: () => {
      const key = SecretKey.generate(16, { id: 'k1' });
      return { key, raw: exportSecretKeyBytes(key) };
    },
  },
];

for (const subject of SUBJECTS) {
  describe(`redaction: ${subject.name}`, () => {
    const { key: k, raw } = subject.make();

    test('the fixture really holds the bytes it checks for', () => {
      assert.deepEqual(exportSecretKeyBytes(k), raw);
      assert.ok(leakForms(raw).length > 10);
    });

    const forms: Array<[string, () => string]> = [
      ['String(k)', () => String(k)],
      ['template string', () => `${k}`],
      ['[k].join()', () => [k].join('')],
      ['k.toString()', () => k.toString()],
      ['JSON.stringify(k)', () => JSON.stringify(k)],
      ['JSON.stringify({k})', () => JSON.stringify({ k })],
      ['JSON.stringify([k], null, 2)', () => JSON.stringify([k], null, 2)],
      ['util.inspect(k)', () => util.inspect(k)],
      [
        'util.inspect showHidden depth Infinity',
        () => util.inspect(k, { showHidden: true, depth: Infinity }),
      ],
      [
        'util.inspect customInspect:false getters:true',
        () => util.inspect(k, { customInspect: false, showHidden: true, getters: true, depth: Infinity }),
      ],
      [
        'util.inspect nested in an object',
        () => util.inspect({ deep: { k, list: [k] } }, { depth: Infinity }),
      ],
      ['util.format %o %O %j %s', () => util.format('%o %O %j %s', k, k, k, k)],
      ['util.format %d %i %f', () => util.format('%d %i %f', k, k, k)],
      [
        'console.log / error / dir / table',
        () =>
          captureConsole((c) => {
            c.log(k);
            c.log('key: %s %o', k, k);
            c.error({ k });
            c.dir(k, { showHidden: true, depth: null });
            c.table([k]);
          }),
      ],
      ['Object.prototype.toString', () => Object.prototype.toString.call(k)],
      ['Object.keys', () => JSON.stringify(Object.keys(k))],
      ['Object.entries', () => util.inspect(Object.entries(k), { depth: Infinity })],
      ['Reflect.ownKeys values', () => util.inspect(Reflect.ownKeys(k).map((p) => Reflect.get(k, p)))],
      ['{...k}', () => util.inspect({ ...k }, { showHidden: true })],
      ['structuredClone(k)', () => util.inspect(structuredClone(k), { showHidden: true, depth: Infinity })],
      ['v8.serialize(k)', () => v8.serialize(k).toString('latin1')],
    ];
    for (const [name, render] of forms) {
      test(`${name} does not contain the key`, () => {
        const text = render();
        assertNoLeak(text, raw, name);
      });
    }

    test('the global console.log does not print the key', (t) => {
      let out = '';
      t.mock.method(process.stdout, 'write', (chunk: string | Uint8Array) => {
        out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
        return true;
      });
      console.log(k);
      console.log('%o %O %s %j', k, k, k, k);
      console.log({ nested: [k] });
      t.mock.restoreAll();
      assert.match(out, /SecretKey\(/);
      assertNoLeak(out, raw, 'console.log');
    });

    test('toString and toJSON show the algorithm, id and length only', () => {
      const id = k.id === undefined ? '' : `, id=${k.id}`;
      assert.equal(String(k), `SecretKey(${k.algorithm}${id}, ${raw.length} bytes)`);
      assert.equal(util.inspect(k), String(k));
      const json = JSON.parse(JSON.stringify(k)) as Record<string, unknown>;
      assert.deepEqual(
        Object.keys(json).sort(),
        k.id === undefined ? ['algorithm', 'length', 'type'] : ['algorithm', 'id', 'length', 'type'],
      );
      assert.equal(json.length, raw.length);
    });

    test('no own property holds bytes, and the object is frozen', () => {
      for (const p of Reflect.ownKeys(k)) {
        const value = Reflect.get(k, p);
        assert.ok(!(value instanceof Uint8Array) && !ArrayBuffer.isView(value), `property ${String(p)}`);
      }
      assert.ok(Object.isFrozen(k));
    });

    // structuredClone (and postMessage, v8.serialize) copy own enumerable fields only: the #private bytes
    // stay behind, and the clone is a plain object that no coffer function accepts as a key.
    test('structuredClone gives a plain object without the bytes, unusable as a key', () => {
      const clone = structuredClone(k) as unknown;
      assert.ok(!(clone instanceof SecretKey));
      assert.deepEqual(clone, { algorithm: k.algorithm, id: k.id });
      assert.throws(() => new HMAC(clone as never, new SHA256()), TypeError);
      assert.throws(() => exportSecretKeyBytes(clone as never), TypeError);
    });

    test('array-like conversions produce zeros, not the key', () => {
      // `length` is a getter, so Buffer.from and TypedArray.from treat the key as an array-like of holes.
      for (const view of [Buffer.from(k as never), Uint8Array.from(k as never), new Uint8Array(k as never)]) {
        assert.ok(view.every((b: number) => b === 0));
      }
      assert.throws(() => [...(k as unknown as Iterable<number>)], TypeError);
    });

    test('error messages from passing the key where bytes belong name the type only', () => {
      const sha = new SHA256();
      const misuses: Array<[string, () => unknown]> = [
        ['hexEncode', () => hexEncode(k as never)],
        ['base64Encode', () => base64Encode(k as never)],
        ['base64urlEncode', () => base64urlEncode(k as never)],
        ['bytesEqual', () => bytesEqual(k as never, k as never)],
        ['hash', () => hash(sha, k as never)],
        ['SecretKey.fromBytes', () => SecretKey.fromBytes(k as never)],
        ['SecretKey.generate', () => SecretKey.generate(k as never)],
        ['randomBytes', () => randomBytes(k as never)],
        ['HKDF salt', () => new HKDF({ algorithm: sha, length: 32, salt: k as never })],
        [
          'PBKDF2 password',
          () => new PBKDF2HMAC({ algorithm: sha, length: 32, salt: raw, iterations: 1 }).derive(k as never),
        ],
        ['hmacVerify signature', () => hmacVerify(sha, k, 'x', k as never)],
        ['HMAC#verify signature', () => new HMAC(k, sha).verify(k as never)],
      ];
      for (const [name, misuse] of misuses) {
        assert.throws(misuse, (err: unknown) => {
          assert.ok(err instanceof TypeError, name);
          assert.match(err.message, /^"[\w.]+" must be .*got SecretKey$/, name);
          assertNoLeak(`${err.message}\n${err.stack}\n${util.inspect(err)}`, raw, name);
          return true;
        });
      }
    });

    test('a key is accepted where a key belongs (HMAC and KDF input)', () => {
      const sha = new SHA256();
      assert.deepEqual(hmac(sha, k, 'msg'), hmac(sha, raw, 'msg'));
      assert.deepEqual(
        new HKDF({ algorithm: sha, length: 32 }).derive(k),
        new HKDF({ algorithm: sha, length: 32 }).derive(raw),
      );
    });
  });
}

describe('SecretKey#equals', () => {
  const raw = randomBytes(32);
  const k = SecretKey.fromBytes(raw);

  test('same bytes: true, whatever the metadata', () => {
    assert.equal(k.equals(k), true);
    assert.equal(k.equals(SecretKey.fromBytes(raw)), true);
    assert.equal(k.equals(SecretKey.fromBytes(raw, { algorithm: 'AES-256-GCM', id: 'other' })), true);
  });

  test('different bytes: false (first byte, last byte, all bytes)', () => {
    for (const index of [0, 31]) {
      const other = Uint8Array.from(raw);
      other[index] = (other[index] ?? 0) ^ 1;
      assert.equal(k.equals(SecretKey.fromBytes(other)), false);
    }
    assert.equal(k.equals(SecretKey.generate(32)), false);
  });

  test('different length: false, no exception', () => {
    assert.equal(k.equals(SecretKey.fromBytes(raw.subarray(0, 31))), false);
    assert.equal(k.equals(SecretKey.fromBytes(Uint8Array.of(...raw, 0))), false);
    assert.equal(SecretKey.fromBytes(Uint8Array.of(1)).equals(k), false);
  });

  test('a non-SecretKey is a TypeError, bytes included', () => {
    const others: unknown[] = [
      raw,
      Buffer.from(raw),
      null,
      undefined,
      String(k),
      k.toJSON(),
      { ...k },
      structuredClone(k),
      Object.create(SecretKey.prototype),
    ];
    for (const other of others) {
      assert.throws(() => k.equals(other as never), {
        name: 'TypeError',
        message: '"other" must be a SecretKey',
      });
    }
  });

  test('compares the bytes in constant time (through timingSafeEqual)', () => {
    // Behavioural stand-in: equal-length keys differing only in the last byte still compare false.
    const a = new Uint8Array(4096).fill(7);
    const b = Uint8Array.from(a);
    b[4095] = 8;
    assert.equal(SecretKey.fromBytes(a).equals(SecretKey.fromBytes(b)), false);
  });
});

describe('copies', () => {
  test('fromBytes copies its input: mutating the source does not change the key', () => {
    const source = new Uint8Array(32).fill(9);
    const k = SecretKey.fromBytes(source);
    source.fill(0);
    assert.deepEqual(exportSecretKeyBytes(k), new Uint8Array(32).fill(9));
  });

  test('fromBytes copies a Buffer out of the shared pool', () => {
    const pooled = Buffer.from('0123456789abcdef0123456789abcdef'); // small Buffers share a pool slab
    const k = SecretKey.fromBytes(pooled);
    const inner = secretKeyBytes(k);
    assert.equal(inner.buffer.byteLength, 32, 'the key owns its ArrayBuffer');
    assert.notEqual(inner.buffer, pooled.buffer);
  });

  test('generate: the key owns its ArrayBuffer (no shared pool slab)', () => {
    for (const length of [1, 16, 32, 64]) {
      const inner = secretKeyBytes(SecretKey.generate(length));
      assert.equal(inner.length, length);
      assert.equal(inner.buffer.byteLength, length);
    }
  });

  test('exportSecretKeyBytes returns a fresh copy each time', () => {
    const k = SecretKey.fromBytes(new Uint8Array(16).fill(3));
    const first = exportSecretKeyBytes(k);
    first.fill(0);
    const second = exportSecretKeyBytes(k);
    assert.deepEqual(second, new Uint8Array(16).fill(3));
    assert.notEqual(first.buffer, second.buffer);
    assert.notEqual(second.buffer, secretKeyBytes(k).buffer);
    assert.equal(second.constructor, Uint8Array);
  });

  test('the key object is frozen: metadata cannot be rewritten', () => {
    const k = SecretKey.generate(16, { algorithm: 'HMAC-SHA256', id: 'a' });
    assert.throws(() => {
      (k as { id: string }).id = 'b';
    }, TypeError);
    assert.equal(k.id, 'a');
  });
});

describe('construction', () => {
  test('the public subpath exports the same class', () => {
    assert.equal(PublicSecretKey, SecretKey);
  });

  test('length and metadata', () => {
    const k = SecretKey.generate(48, { algorithm: 'AES-256-GCM', id: 'x' });
    assert.equal(k.length, 48);
    assert.equal(k.algorithm, 'AES-256-GCM');
    assert.equal(k.id, 'x');
    assert.equal(SecretKey.generate(1).algorithm, 'secret');
    assert.equal(SecretKey.generate(1).id, undefined);
  });

  test('generate gives distinct keys', () => {
    const a = SecretKey.generate(32);
    const b = SecretKey.generate(32);
    assert.equal(a.equals(b), false);
  });

  test('size limits: 1 byte to 64 KiB', () => {
    assert.equal(SecretKey.fromBytes(new Uint8Array(1)).length, 1);
    assert.equal(SecretKey.fromBytes(new Uint8Array(65536)).length, 65536);
    assert.throws(() => SecretKey.fromBytes(new Uint8Array(0)), {
      name: 'RangeError',
      message: '"material" must be between 1 and 65536 bytes, got 0',
    });
    assert.throws(() => SecretKey.generate(65537), RangeError);
  });
});
