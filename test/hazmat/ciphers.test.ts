// coffer/hazmat/ciphers: known answers (NIST SP 800-38A for the AES modes, IEEE 1619 for XTS, RFC 8439
// for ChaCha20; test/vectors/*.json name their sources), the context rules pyca has (updateInto,
// AlreadyFinalized, GCM's tag handling), parameter checks, and the streaming forms, whose output must
// equal one-shot output for any chunking (fast-check).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { AlreadyFinalized, InvalidTag, UnsupportedAlgorithm } from '../../src/errors.ts';
import {
  type AEADDecryptionContext,
  type AEADEncryptionContext,
  AES,
  AES128,
  AES256,
  Camellia,
  CBC,
  CFB,
  CFB8,
  ChaCha20,
  Cipher,
  type CipherContext,
  type CipherTransform,
  type CipherTransformStream,
  CTR,
  DEFAULT_MAX_BUFFERED_BYTES,
  decryptStream,
  decryptWebStream,
  ECB,
  encryptStream,
  encryptWebStream,
  GCM,
  type Mode,
  OFB,
  XTS,
} from '../../src/hazmat/ciphers.ts';
import { concat } from '../../src/internal/bytes.ts';
import { SecretKey } from '../../src/keys/secret-key.ts';
import { hex, loadOwnJson, toHex } from '../helpers/vectors.ts';

const rand = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

/** Runs a whole message through a context: update, then finalize. */
function run(ctx: CipherContext, data: Uint8Array): Uint8Array {
  return concat(ctx.update(data), ctx.finalize());
}

function modeFor(name: string, iv: Uint8Array | null): Mode {
  switch (name) {
    case 'ECB':
      return new ECB();
    case 'CBC':
      return new CBC(iv!);
    case 'CFB8':
      return new CFB8(iv!);
    case 'CFB':
      return new CFB(iv!);
    case 'OFB':
      return new OFB(iv!);
    case 'CTR':
      return new CTR(iv!);
    default:
      throw new Error(`no mode ${name}`);
  }
}

interface VectorFile<T> {
  description: string;
  source: string;
  cases: T[];
}

// ---------------------------------------------------------------------------------------------------
// Known answers.

describe('NIST SP 800-38A Appendix F (test/vectors/sp800-38a.json)', () => {
  const file =
    loadOwnJson<
      VectorFile<{
        id: string;
        name: string;
        mode: string;
        key: string;
        iv: string | null;
        plaintext: string;
        ciphertext: string;
      }>
    >('sp800-38a.json');
  assert.equal(file.cases.length, 18);
  for (const v of file.cases) {
    test(`${v.id} ${v.name}`, () => {
      const cipher = new Cipher(new AES(hex(v.key)), modeFor(v.mode, v.iv === null ? null : hex(v.iv)));
      const pt = hex(v.plaintext);
      assert.equal(toHex(run(cipher.encryptor(), pt)), v.ciphertext);
      assert.equal(toHex(run(cipher.decryptor(), hex(v.ciphertext))), v.plaintext);
      // The same, one byte per update (a block mode returns nothing until a block is whole).
      const enc = cipher.encryptor();
      const parts = Array.from(pt, (b) => enc.update(Uint8Array.of(b)));
      assert.equal(toHex(concat(...parts, enc.finalize())), v.ciphertext);
    });
  }
});

describe('XTS-AES, IEEE 1619 Annex B (test/vectors/xts-ieee1619.json)', () => {
  const file =
    loadOwnJson<
      VectorFile<{
        name: string;
        key: string;
        tweak: string;
        plaintext: string;
        ciphertext: string;
        equalHalves: boolean;
      }>
    >('xts-ieee1619.json');
  for (const v of file.cases) {
    test(v.name, () => {
      const cipher = new Cipher(new AES(hex(v.key)), new XTS(hex(v.tweak)));
      assert.equal(toHex(run(cipher.decryptor(), hex(v.ciphertext))), v.plaintext);
      if (v.equalHalves) {
        assert.throws(() => cipher.encryptor(), { name: 'RangeError', message: /"key" halves must differ/ });
      } else {
        assert.equal(toHex(run(cipher.encryptor(), hex(v.plaintext))), v.ciphertext);
      }
    });
  }
});

describe('ChaCha20, RFC 8439 (test/vectors/chacha20-rfc8439.json)', () => {
  const file =
    loadOwnJson<
      VectorFile<{
        name: string;
        key: string;
        counter: number;
        nonce: string;
        plaintext: string;
        ciphertext: string;
      }>
    >('chacha20-rfc8439.json');
  for (const v of file.cases) {
    test(v.name, () => {
      // pyca's and OpenSSL's 16-byte nonce: the 32-bit counter little-endian, then the RFC's 12 bytes.
      const counter = new Uint8Array(4);
      new DataView(counter.buffer).setUint32(0, v.counter, true);
      const cipher = new Cipher(new ChaCha20(hex(v.key), concat(counter, hex(v.nonce))), null);
      assert.equal(toHex(run(cipher.encryptor(), hex(v.plaintext))), v.ciphertext);
      assert.equal(toHex(run(cipher.decryptor(), hex(v.ciphertext))), v.plaintext);
    });
  }
});

test('ChaCha20 past 2^32 blocks: the counter carries into the first nonce word (OpenSSL, as pyca)', () => {
  const key = rand(32);
  const tail = rand(8);
  const at = (counter: string, word: string) =>
    new Cipher(new ChaCha20(key, concat(hex(counter), hex(word), tail)), null).encryptor();
  const across = at('ffffffff', '05000000').update(new Uint8Array(128));
  assert.deepEqual(across.subarray(64), at('00000000', '06000000').update(new Uint8Array(64)));
});

// ---------------------------------------------------------------------------------------------------
// Contexts.

const key16 = () => rand(16);
const cbc = () => new Cipher(new AES(key16()), new CBC(rand(16)));

describe('contexts are single use (AlreadyFinalized)', () => {
  const contexts: Array<[string, () => CipherContext]> = [
    ['CBC encryptor', () => cbc().encryptor()],
    ['CTR decryptor', () => new Cipher(new AES(key16()), new CTR(rand(16))).decryptor()],
    ['ChaCha20 encryptor', () => new Cipher(new ChaCha20(rand(32), rand(16)), null).encryptor()],
    ['XTS encryptor', () => new Cipher(new AES(rand(32)), new XTS(rand(16))).encryptor()],
    ['GCM encryptor', () => new Cipher(new AES(key16()), new GCM(rand(12))).encryptor()],
  ];
  for (const [name, make] of contexts) {
    test(name, () => {
      const ctx = make();
      ctx.finalize();
      assert.throws(() => ctx.update(new Uint8Array(16)), AlreadyFinalized);
      assert.throws(() => ctx.updateInto(new Uint8Array(16), new Uint8Array(64)), AlreadyFinalized);
      assert.throws(() => ctx.finalize(), AlreadyFinalized);
      assert.throws(() => ctx.finalize(), { code: 'ERR_ALREADY_FINALIZED' });
    });
  }

  test('GCM: authenticateAdditionalData and finalizeWithTag after finalize, and after a failed tag', () => {
    const key = key16();
    const iv = rand(12);
    const enc = new Cipher(new AES(key), new GCM(iv)).encryptor();
    enc.finalize();
    assert.throws(() => enc.authenticateAdditionalData(new Uint8Array(1)), AlreadyFinalized);
    const dec = new Cipher(new AES(key), new GCM(iv)).decryptor();
    assert.throws(() => dec.finalizeWithTag(new Uint8Array(16)), InvalidTag);
    assert.throws(() => dec.finalizeWithTag(enc.tag), AlreadyFinalized);
    assert.throws(() => dec.authenticateAdditionalData(new Uint8Array(1)), AlreadyFinalized);
    assert.throws(() => dec.update(new Uint8Array(1)), AlreadyFinalized);
  });

  test('a refused call does not use the context up', () => {
    const cipher = cbc();
    const ctx = cipher.encryptor();
    assert.throws(() => ctx.update('not bytes' as never), TypeError);
    assert.throws(() => ctx.updateInto(new Uint8Array(16), new Uint8Array(30)), RangeError);
    assert.deepEqual(run(ctx, new Uint8Array(16)), run(cipher.encryptor(), new Uint8Array(16)));
  });
});

describe('updateInto (pyca semantics)', () => {
  test('writes what update would return and says how many bytes', () => {
    const cipher = cbc();
    const data = rand(40);
    const expected = run(cipher.encryptor(), data.subarray(0, 32));
    const ctx = cipher.encryptor();
    const buf = new Uint8Array(100).fill(0xee);
    assert.equal(ctx.updateInto(data.subarray(0, 20), buf), 16);
    assert.equal(ctx.updateInto(data.subarray(20, 32), buf.subarray(16)), 16);
    assert.deepEqual(buf.subarray(0, 32), expected);
    assert.equal(buf[32], 0xee, 'nothing past what was written');
    assert.equal(ctx.finalize().length, 0);
  });

  test('buf must hold data.length + blockSize - 1 bytes: 16-byte blocks for CBC and ECB, 1 for the rest', () => {
    assert.throws(() => cbc().encryptor().updateInto(new Uint8Array(16), new Uint8Array(30)), {
      name: 'RangeError',
      message: '"buf" must be at least 31 bytes (data length + block size - 1), got 30',
    });
    assert.equal(cbc().encryptor().updateInto(new Uint8Array(16), new Uint8Array(31)), 16);
    const ecb = new Cipher(new AES(key16()), new ECB());
    assert.throws(() => ecb.decryptor().updateInto(new Uint8Array(32), new Uint8Array(46)), RangeError);
    const stream: Array<[string, () => CipherContext]> = [
      ['CTR', () => new Cipher(new AES(key16()), new CTR(rand(16))).encryptor()],
      ['CFB8', () => new Cipher(new AES(key16()), new CFB8(rand(16))).encryptor()],
      ['GCM', () => new Cipher(new AES(key16()), new GCM(rand(12))).encryptor()],
      ['GCM decryptor', () => new Cipher(new AES(key16()), new GCM(rand(12))).decryptor()],
      ['ChaCha20', () => new Cipher(new ChaCha20(rand(32), rand(16)), null).encryptor()],
    ];
    for (const [name, make] of stream) {
      assert.equal(make().updateInto(new Uint8Array(16), new Uint8Array(16)), 16, name);
      assert.throws(() => make().updateInto(new Uint8Array(16), new Uint8Array(15)), RangeError, name);
    }
  });

  test('GCM updateInto gives the same ciphertext and tag as update', () => {
    const cipher = new Cipher(new AES(key16()), new GCM(rand(12)));
    const data = rand(50);
    const a = cipher.encryptor();
    const expected = run(a, data);
    const b = cipher.encryptor();
    const buf = new Uint8Array(50);
    assert.equal(b.updateInto(data, buf), 50);
    assert.equal(b.finalize().length, 0);
    assert.deepEqual(buf, expected);
    assert.deepEqual(b.tag, a.tag);
    const d = cipher.decryptor();
    const out = new Uint8Array(50);
    assert.equal(d.updateInto(buf, out), 50);
    d.finalizeWithTag(a.tag);
    assert.deepEqual(out, data);
  });
});

describe('no padding in block modes (pyca): pad with coffer/hazmat/padding', () => {
  for (const mode of ['CBC', 'ECB'] as const) {
    test(`${mode}: data that is not whole blocks fails at finalize with a RangeError`, () => {
      const cipher = new Cipher(new AES(key16()), mode === 'CBC' ? new CBC(rand(16)) : new ECB());
      for (const n of [1, 15, 17, 33]) {
        const enc = cipher.encryptor();
        enc.update(new Uint8Array(n));
        assert.throws(() => enc.finalize(), {
          name: 'RangeError',
          message: /multiple of the 16-byte AES block/,
        });
        assert.throws(() => enc.finalize(), AlreadyFinalized);
        const dec = cipher.decryptor();
        dec.update(new Uint8Array(n));
        assert.throws(() => dec.finalize(), RangeError);
      }
      assert.equal(run(cipher.encryptor(), new Uint8Array(0)).length, 0);
      assert.equal(run(cipher.encryptor(), new Uint8Array(48)).length, 48);
    });
  }

  test('stream-like modes take any length', () => {
    for (const mode of [new CTR(rand(16)), new OFB(rand(16)), new CFB(rand(16)), new CFB8(rand(16))]) {
      const cipher = new Cipher(new AES(key16()), mode);
      for (const n of [0, 1, 15, 17, 100]) {
        const data = rand(n);
        const ct = run(cipher.encryptor(), data);
        assert.equal(ct.length, n);
        assert.deepEqual(run(cipher.decryptor(), ct), data);
      }
    }
  });
});

describe('GCM', () => {
  const key = rand(32);
  const iv = rand(12);
  const aad = rand(20);
  const pt = rand(70);
  const sealed = (() => {
    const enc = new Cipher(new AES(key), new GCM(iv)).encryptor();
    enc.authenticateAdditionalData(aad);
    const ct = run(enc, pt);
    return { ct, tag: enc.tag };
  })();

  function open(
    options: { key?: Uint8Array; iv?: Uint8Array; aad?: Uint8Array; ct?: Uint8Array },
    tag: Uint8Array,
    min = 16,
  ) {
    const dec = new Cipher(new AES(options.key ?? key), new GCM(options.iv ?? iv, tag, min)).decryptor();
    dec.authenticateAdditionalData(options.aad ?? aad);
    return run(dec, options.ct ?? sealed.ct);
  }

  test('the tag is 16 bytes, readable after finalize only', () => {
    const enc = new Cipher(new AES(key), new GCM(iv)).encryptor();
    assert.throws(() => enc.tag, { name: 'TypeError', message: '"tag" is available only after finalize()' });
    enc.update(pt);
    enc.finalize();
    assert.equal(enc.tag.length, 16);
    assert.deepEqual(open({}, sealed.tag), pt);
  });

  test('a tag in the mode (finalize) or a late one (finalizeWithTag) both verify', () => {
    const dec = new Cipher(new AES(key), new GCM(iv)).decryptor();
    dec.authenticateAdditionalData(aad);
    assert.deepEqual(concat(dec.update(sealed.ct), dec.finalizeWithTag(sealed.tag)), pt);
  });

  test('every change raises InvalidTag with one message: key, IV, AAD, ciphertext, tag, truncation', () => {
    const flip = (b: Uint8Array, i = 0) => {
      const c = Uint8Array.from(b);
      c[i]! ^= 1;
      return c;
    };
    const attempts: Array<() => unknown> = [
      () => open({ key: flip(key) }, sealed.tag),
      () => open({ iv: flip(iv) }, sealed.tag),
      () => open({ aad: flip(aad) }, sealed.tag),
      () => open({ aad: new Uint8Array(0) }, sealed.tag),
      () => open({ ct: flip(sealed.ct, 69) }, sealed.tag),
      () => open({ ct: sealed.ct.subarray(0, 69) }, sealed.tag),
      () => open({}, flip(sealed.tag, 15)),
      () => open({}, flip(sealed.tag.subarray(0, 12)), 12),
    ];
    for (const attempt of attempts) {
      assert.throws(attempt, (err: unknown) => {
        assert.ok(err instanceof InvalidTag);
        assert.equal(err.message, 'authentication tag did not verify');
        assert.equal(err.cause, undefined);
        return true;
      });
    }
  });

  test('truncated tags down to minTagLength verify, at every length node can and cannot set', () => {
    for (let n = 4; n <= 16; n++) {
      assert.deepEqual(open({}, sealed.tag.subarray(0, n), n), pt, `tag of ${n} bytes in the mode`);
      const dec = new Cipher(new AES(key), new GCM(iv, null, 4)).decryptor();
      dec.authenticateAdditionalData(aad);
      dec.update(sealed.ct);
      dec.finalizeWithTag(sealed.tag.subarray(0, n));
      const bad = Uint8Array.from(sealed.tag.subarray(0, n));
      bad[n - 1]! ^= 0x80;
      assert.throws(() => open({}, bad, n), InvalidTag, `bad tag of ${n} bytes`);
      const late = new Cipher(new AES(key), new GCM(iv, undefined, 4)).decryptor();
      late.authenticateAdditionalData(aad);
      late.update(sealed.ct);
      assert.throws(() => late.finalizeWithTag(bad), InvalidTag);
    }
  });

  test('tag lengths below minTagLength or over 16 bytes are RangeErrors, as in pyca', () => {
    assert.throws(() => new GCM(iv, sealed.tag.subarray(0, 15)), {
      name: 'RangeError',
      message: '"tag" must be 16 bytes (see GCM\'s minTagLength), got 15',
    });
    assert.throws(() => new GCM(iv, new Uint8Array(17), 4), RangeError);
    assert.throws(() => new GCM(iv, new Uint8Array(4), 3), { name: 'RangeError', message: /"minTagLength"/ });
    const dec = new Cipher(new AES(key), new GCM(iv, null, 12)).decryptor();
    assert.throws(() => dec.finalizeWithTag(sealed.tag.subarray(0, 11)), RangeError);
    assert.throws(() => dec.finalizeWithTag(new Uint8Array(17)), RangeError);
    dec.authenticateAdditionalData(aad);
    dec.update(sealed.ct);
    assert.equal(
      dec.finalizeWithTag(sealed.tag.subarray(0, 12)).length,
      0,
      'the refused calls used nothing up',
    );
  });

  test('IVs of 8 to 128 bytes, as OpenSSL 3 and pyca allow', () => {
    for (const n of [8, 12, 16, 128]) {
      const cipher = new Cipher(new AES(key), new GCM(rand(n)));
      const enc = cipher.encryptor();
      const ct = run(enc, pt);
      const dec = cipher.decryptor();
      assert.deepEqual(concat(dec.update(ct), dec.finalizeWithTag(enc.tag)), pt);
    }
    for (const n of [0, 7, 129]) assert.throws(() => new GCM(new Uint8Array(n)), RangeError);
  });

  test('associated data only before update, in any number of pieces', () => {
    const enc = new Cipher(new AES(key), new GCM(iv)).encryptor();
    enc.authenticateAdditionalData(aad.subarray(0, 7));
    enc.authenticateAdditionalData(new Uint8Array(0));
    enc.authenticateAdditionalData(aad.subarray(7));
    enc.update(pt.subarray(0, 1));
    assert.throws(() => enc.authenticateAdditionalData(aad), {
      name: 'TypeError',
      message: '"authenticateAdditionalData" must be called before the first update',
    });
    enc.update(pt.subarray(1));
    enc.finalize();
    assert.deepEqual(enc.tag, sealed.tag);
  });

  test('misuse: a tag when encrypting, no tag or two tags when decrypting', () => {
    assert.throws(() => new Cipher(new AES(key), new GCM(iv, sealed.tag)).encryptor(), TypeError);
    const noTag = new Cipher(new AES(key), new GCM(iv)).decryptor();
    assert.throws(() => noTag.finalize(), { name: 'TypeError', message: /"tag" is needed/ });
    noTag.authenticateAdditionalData(aad);
    noTag.update(sealed.ct);
    assert.equal(noTag.finalizeWithTag(sealed.tag).length, 0, 'the refused finalize used nothing up');
    const twice = new Cipher(new AES(key), new GCM(iv, sealed.tag)).decryptor();
    assert.throws(() => twice.finalizeWithTag(sealed.tag), { name: 'TypeError', message: /already given/ });
  });

  test('GCM is for AES: Camellia in GCM is UnsupportedAlgorithm', () => {
    assert.throws(() => new Cipher(new Camellia(key), new GCM(iv)), UnsupportedAlgorithm);
  });

  test('decryption streams plaintext before the tag is checked (hazmat, as pyca); the stream form does not', () => {
    const dec = new Cipher(new AES(key), new GCM(iv, sealed.tag)).decryptor();
    dec.authenticateAdditionalData(aad);
    assert.equal(dec.update(sealed.ct).length, sealed.ct.length);
  });
});

// ---------------------------------------------------------------------------------------------------
// Parameters.

describe('parameter checks', () => {
  test('key lengths per algorithm, labelled', () => {
    assert.throws(() => new AES(new Uint8Array(20)), {
      name: 'RangeError',
      message: '"key" must be 16, 24, 32 or 64 bytes for AES, got 20',
    });
    assert.throws(() => new AES128(new Uint8Array(32)), {
      message: '"key" must be 16 bytes for AES, got 32',
    });
    assert.throws(() => new AES256(new Uint8Array(16)), RangeError);
    assert.throws(() => new Camellia(new Uint8Array(64)), RangeError);
    assert.throws(() => new ChaCha20(new Uint8Array(16), new Uint8Array(16)), RangeError);
    assert.throws(() => new ChaCha20(new Uint8Array(32), new Uint8Array(12)), {
      message: '"nonce" must be 16 bytes, got 12',
    });
    assert.equal(new AES(new Uint8Array(24)).keySize, 192);
    assert.deepEqual([...new AES(new Uint8Array(16)).keySizes], [128, 192, 256, 512]);
    assert.equal(new Camellia(new Uint8Array(16)).blockSize, 128);
    assert.equal(new Camellia(new Uint8Array(16)).name, 'camellia');
  });

  test('IV and nonce lengths are checked against the block size when the Cipher is built', () => {
    const aes = new AES(key16());
    for (const mode of [new CBC(rand(8)), new OFB(rand(15)), new CFB(rand(17)), new CFB8(rand(0))]) {
      assert.throws(() => new Cipher(aes, mode), {
        name: 'RangeError',
        message: /"initializationVector" must be 16 bytes/,
      });
    }
    assert.throws(() => new Cipher(aes, new CTR(rand(12))), {
      message: '"nonce" must be 16 bytes (the AES block size) for CTR, got 12',
    });
    assert.throws(() => new XTS(rand(12)), { message: '"tweak" must be 16 bytes, got 12' });
  });

  test('AES key sizes per mode: 64 bytes for XTS only; XTS takes 32 or 64 and the AES class', () => {
    assert.throws(() => new Cipher(new AES(rand(64)), new CBC(rand(16))), {
      message: '"key" must be 16, 24 or 32 bytes for AES in CBC mode (64 is for XTS), got 64',
    });
    assert.throws(() => new Cipher(new AES(rand(16)), new XTS(rand(16))), RangeError);
    assert.throws(() => new Cipher(new AES(rand(24)), new XTS(rand(16))), RangeError);
    assert.throws(() => new Cipher(new AES256(rand(32)), new XTS(rand(16))), TypeError);
    assert.throws(() => new Cipher(new AES128(rand(16)), new XTS(rand(16))), TypeError);
  });

  test('ChaCha20 takes null (or no) mode; block ciphers need one', () => {
    const chacha = new ChaCha20(rand(32), rand(16));
    assert.throws(() => new Cipher(chacha, new CBC(rand(16)) as never), {
      name: 'TypeError',
      message: '"mode" must be null for ChaCha20, a stream cipher, got CBC',
    });
    assert.ok(new Cipher(chacha, undefined as never));
    assert.throws(() => new Cipher(new AES(key16()), null), {
      name: 'TypeError',
      message: '"mode" must be a Mode such as new CBC(iv) for AES, got null',
    });
  });

  test('pairs coffer does not make are UnsupportedAlgorithm; Cipher.isSupported says so first', () => {
    const camellia = new Camellia(key16());
    assert.equal(Cipher.isSupported(new AES(key16()), new GCM(rand(12))), true);
    assert.equal(Cipher.isSupported(new AES(rand(64)), new XTS(rand(16))), true);
    assert.equal(Cipher.isSupported(new AES(rand(64)), new CBC(rand(16))), false);
    assert.equal(Cipher.isSupported(camellia, new XTS(rand(16))), false);
    assert.equal(Cipher.isSupported(new ChaCha20(rand(32), rand(16)), null), true);
    assert.equal(Cipher.isSupported(new ChaCha20(rand(32), rand(16)), new ECB()), false);
    assert.equal(Cipher.isSupported(new AES(key16()), null), false);
    assert.throws(() => new Cipher(camellia, new XTS(rand(16))), {
      name: 'UnsupportedAlgorithm',
      message: 'cipher camellia in XTS mode is not supported',
    });
  });

  test('Camellia in every mode this OpenSSL offers it', (t) => {
    const offered = [
      new CBC(rand(16)),
      new CTR(rand(16)),
      new OFB(rand(16)),
      new CFB(rand(16)),
      new CFB8(rand(16)),
      new ECB(),
    ];
    const camellia = new Camellia(rand(32));
    const usable = offered.filter((m) => Cipher.isSupported(camellia, m));
    if (usable.length === 0) {
      t.skip(`this OpenSSL (${process.versions.openssl}) offers no Camellia`);
      assert.throws(() => new Cipher(camellia, new CBC(rand(16))), UnsupportedAlgorithm);
      return;
    }
    for (const mode of usable) {
      const cipher = new Cipher(camellia, mode);
      const data = rand(64);
      assert.deepEqual(run(cipher.decryptor(), run(cipher.encryptor(), data)), data, mode.name);
    }
  });

  test('XTS: one data unit of 16 bytes to 16 MiB per context', () => {
    const cipher = new Cipher(new AES(rand(64)), new XTS(rand(16)));
    const ctx = cipher.encryptor();
    assert.equal(ctx.update(new Uint8Array(0)).length, 0);
    assert.throws(() => ctx.update(new Uint8Array(15)), {
      name: 'RangeError',
      message: /between 16 and 16777216/,
    });
    assert.equal(ctx.update(new Uint8Array(33)).length, 33);
    assert.throws(() => ctx.update(new Uint8Array(16)), { name: 'TypeError', message: /reuse the tweak/ });
    assert.equal(ctx.finalize().length, 0);
    assert.throws(() => cipher.encryptor().update(new Uint8Array(2 ** 24 + 16)), RangeError);
  });
});

describe('keys', () => {
  test('a SecretKey works as the key, and gives what its bytes give', () => {
    const bytes = rand(32);
    const iv = rand(16);
    const a = run(
      new Cipher(new AES(SecretKey.fromBytes(bytes)), new CTR(iv)).encryptor(),
      new Uint8Array(40),
    );
    const b = run(new Cipher(new AES(bytes), new CTR(iv)).encryptor(), new Uint8Array(40));
    assert.deepEqual(a, b);
  });

  test('raw key bytes are copied: changing the caller’s array later changes nothing', () => {
    const bytes = rand(16);
    const iv = rand(16);
    const aes = new AES(bytes);
    const before = run(new Cipher(aes, new CBC(iv)).encryptor(), new Uint8Array(16));
    bytes.fill(0);
    assert.deepEqual(run(new Cipher(aes, new CBC(iv)).encryptor(), new Uint8Array(16)), before);
  });

  test('algorithm objects never show their key', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + (i % 16));
    const keyHex = toHex(key);
    const ciphers = [
      new Cipher(new AES(key), new ECB()),
      new Cipher(new AES256(key), new ECB()),
      new Cipher(new Camellia(key), new ECB()),
      new Cipher(new ChaCha20(key, rand(16)), null),
    ];
    for (const cipher of ciphers) {
      const alg = cipher.algorithm;
      const texts = [
        String(alg),
        JSON.stringify(alg),
        inspect(alg, { showHidden: true }),
        String(cipher),
        inspect(cipher),
      ];
      for (const text of texts) {
        // Neither the hex nor node's decimal rendering of the key bytes (0xa0 is 160).
        assert.ok(!text.includes(keyHex.slice(0, 8)) && !/\b16[0-9]\b/.test(text), `${alg.name}: ${text}`);
      }
    }
    assert.equal(String(new AES(key)), 'AES(256-bit key)');
    assert.deepEqual(JSON.parse(JSON.stringify(new AES(key))), { algorithm: 'AES', keySize: 256 });
  });
});

// ---------------------------------------------------------------------------------------------------
// Streaming.

interface StreamCase {
  name: string;
  make: () => { enc: Cipher; dec: (tag?: Uint8Array) => Cipher; block: number; gcm: boolean };
}

const AES_STREAM_MODES: ReadonlyArray<[string, (iv: Uint8Array) => Mode, number]> = [
  ['CBC', (iv) => new CBC(iv), 16],
  ['ECB', () => new ECB(), 16],
  ['CTR', (iv) => new CTR(iv), 1],
  ['OFB', (iv) => new OFB(iv), 1],
  ['CFB', (iv) => new CFB(iv), 1],
  ['CFB8', (iv) => new CFB8(iv), 1],
];
const STREAM_CASES: StreamCase[] = AES_STREAM_MODES.map(([name, mode, block]) => ({
  name: `AES-${name}`,
  make: () => {
    const key = rand(32);
    const iv = rand(16);
    return {
      enc: new Cipher(new AES(key), mode(iv)),
      dec: () => new Cipher(new AES(key), mode(iv)),
      block,
      gcm: false,
    };
  },
}));
STREAM_CASES.push(
  {
    name: 'ChaCha20',
    make: () => {
      const key = rand(32);
      const nonce = rand(16);
      const c = () => new Cipher(new ChaCha20(key, nonce), null);
      return { enc: c(), dec: c, block: 1, gcm: false };
    },
  },
  {
    name: 'AES-GCM',
    make: () => {
      const key = rand(16);
      const iv = rand(12);
      return {
        enc: new Cipher(new AES(key), new GCM(iv)),
        dec: (tag) => new Cipher(new AES(key), new GCM(iv, tag)),
        block: 1,
        gcm: true,
      };
    },
  },
);

/** Splits `data` at the given cut points (any order, any repeats: empty chunks are fine too). */
function chunk(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [0, ...cuts.map((c) => c % (data.length + 1)).sort((a, b) => a - b), data.length];
  return points.slice(1).map((end, i) => data.subarray(points[i], end));
}

async function throughNode(transform: CipherTransform, chunks: Uint8Array[]): Promise<Uint8Array> {
  const out: Uint8Array[] = [];
  await pipeline(
    Readable.from(chunks.map((c) => Buffer.from(c))),
    transform,
    async (source: AsyncIterable<Buffer>) => {
      for await (const part of source) out.push(part);
    },
  );
  return concat(...out);
}

async function throughWeb(transform: CipherTransformStream, chunks: Uint8Array[]): Promise<Uint8Array> {
  const input = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
  const out: Uint8Array[] = [];
  for await (const part of input.pipeThrough(transform)) out.push(part);
  return concat(...out);
}

describe('streams equal one-shot output for any chunking (fast-check)', () => {
  for (const c of STREAM_CASES) {
    test(c.name, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 40 }),
          fc.array(fc.nat(), { maxLength: 8 }),
          fc.array(fc.nat(), { maxLength: 8 }),
          fc.boolean(),
          async (blocks, cutsIn, cutsOut, web) => {
            const { enc, dec, block, gcm } = c.make();
            const data = rand(block === 1 ? blocks * 7 + (blocks % 5) : blocks * block);
            const one = enc.encryptor();
            const expected = run(one, data);
            const tag = gcm ? (one as AEADEncryptionContext).tag : undefined;
            const e = web ? encryptWebStream(enc) : encryptStream(enc);
            const ct = web
              ? await throughWeb(e as CipherTransformStream, chunk(data, cutsIn))
              : await throughNode(e as CipherTransform, chunk(data, cutsIn));
            assert.deepEqual(ct, expected);
            if (tag !== undefined) assert.deepEqual(e.tag, tag);
            const d = web ? decryptWebStream(dec(tag)) : decryptStream(dec(tag));
            const back = web
              ? await throughWeb(d as CipherTransformStream, chunk(ct, cutsOut))
              : await throughNode(d as CipherTransform, chunk(ct, cutsOut));
            assert.deepEqual(back, data);
          },
        ),
        { numRuns: 20 },
      );
    });
  }
});

describe('GCM streams', () => {
  const key = rand(32);
  const iv = rand(12);
  const aad = rand(9);
  const data = rand(5000);
  const sealed = (() => {
    const enc = new Cipher(new AES(key), new GCM(iv)).encryptor();
    enc.authenticateAdditionalData(aad);
    return { ct: run(enc, data), tag: enc.tag };
  })();
  const pieces = (b: Uint8Array) => chunk(b, [1, 100, 2048, 4096]);

  test('associated data through options.aad; tag after the end', async () => {
    const e = encryptStream(new Cipher(new AES(key), new GCM(iv)), { aad });
    assert.throws(() => e.tag, {
      name: 'TypeError',
      message: '"tag" is available once the stream has ended',
    });
    assert.deepEqual(await throughNode(e, pieces(data)), sealed.ct);
    assert.deepEqual(e.tag, sealed.tag);
    const d = decryptStream(new Cipher(new AES(key), new GCM(iv, sealed.tag)), { aad });
    assert.deepEqual(await throughNode(d, pieces(sealed.ct)), data);
    assert.throws(() => d.tag, TypeError);
  });

  test('tampering fails the stream with InvalidTag at the end, and no plaintext comes out (node and web)', async () => {
    const tampered = Uint8Array.from(sealed.ct);
    tampered[4321]! ^= 0x20;
    const cases: Array<[string, Uint8Array, Uint8Array, Uint8Array]> = [
      ['a flipped ciphertext bit', tampered, sealed.tag, aad],
      ['a truncated ciphertext', sealed.ct.subarray(0, 4999), sealed.tag, aad],
      ['a wrong tag', sealed.ct, new Uint8Array(16), aad],
      ['other associated data', sealed.ct, sealed.tag, new Uint8Array(9)],
    ];
    for (const [name, ct, tag, extra] of cases) {
      const emitted: Uint8Array[] = [];
      const d = decryptStream(new Cipher(new AES(key), new GCM(iv, tag)), { aad: extra });
      d.on('data', (part: Uint8Array) => emitted.push(part));
      await assert.rejects(
        pipeline(Readable.from(pieces(ct).map((p) => Buffer.from(p))), d),
        InvalidTag,
        name,
      );
      assert.equal(emitted.length, 0, `${name}: nothing released`);

      const web = decryptWebStream(new Cipher(new AES(key), new GCM(iv, tag)), { aad: extra });
      const reader = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const p of pieces(ct)) controller.enqueue(p);
          controller.close();
        },
      })
        .pipeThrough(web)
        .getReader();
      await assert.rejects(reader.read(), InvalidTag, `${name} (web)`);
    }
  });

  test('the held-back plaintext has a ceiling: options.maxBufferedBytes', async () => {
    assert.equal(DEFAULT_MAX_BUFFERED_BYTES, 64 * 1024 * 1024);
    const d = decryptStream(new Cipher(new AES(key), new GCM(iv, sealed.tag)), {
      aad,
      maxBufferedBytes: 4999,
    });
    const emitted: Uint8Array[] = [];
    d.on('data', (part: Uint8Array) => emitted.push(part));
    await assert.rejects(pipeline(Readable.from(pieces(sealed.ct).map((p) => Buffer.from(p))), d), {
      name: 'RangeError',
      message: /"options.maxBufferedBytes" is 4999/,
    });
    assert.equal(emitted.length, 0);
    const exact = decryptStream(new Cipher(new AES(key), new GCM(iv, sealed.tag)), {
      aad,
      maxBufferedBytes: 5000,
    });
    assert.deepEqual(await throughNode(exact, pieces(sealed.ct)), data);
  });

  test('what a stream refuses up front', () => {
    const gcmNoTag = new Cipher(new AES(key), new GCM(iv));
    assert.throws(() => decryptStream(gcmNoTag), { name: 'TypeError', message: /needs its tag/ });
    assert.throws(() => encryptStream(new Cipher(new AES(key), new GCM(iv, sealed.tag))), TypeError);
    const xts = new Cipher(new AES(rand(32)), new XTS(rand(16)));
    assert.throws(() => encryptStream(xts), { name: 'TypeError', message: /must not be XTS/ });
    assert.throws(() => decryptWebStream(xts), TypeError);
    assert.throws(() => encryptStream(cbc(), { aad }), { message: '"options.aad" is for GCM only' });
    assert.throws(() => encryptStream(gcmNoTag, { maxBufferedBytes: 10 }), TypeError);
    assert.throws(() => encryptStream(cbc().encryptor() as never), { message: /"cipher" must be a Cipher/ });
  });

  test('CBC streams do not pad: a partial last block errors the stream', async () => {
    await assert.rejects(throughNode(encryptStream(cbc()), [new Uint8Array(20)]), RangeError);
  });

  test('a web stream refuses chunks that are not Uint8Arrays', async () => {
    const bad = new ReadableStream<unknown>({
      start(controller) {
        controller.enqueue('text');
        controller.close();
      },
    });
    const reader = bad
      .pipeThrough(encryptWebStream(cbc()) as never as TransformStream<unknown, Uint8Array>)
      .getReader();
    await assert.rejects(reader.read(), { name: 'TypeError', message: /"chunk" must be a Uint8Array/ });
  });

  test('the decryptor and finalizeWithTag path agree with the stream', () => {
    const dec = new Cipher(new AES(key), new GCM(iv)).decryptor() as AEADDecryptionContext;
    dec.authenticateAdditionalData(aad);
    assert.deepEqual(concat(dec.update(sealed.ct), dec.finalizeWithTag(sealed.tag)), data);
  });
});
