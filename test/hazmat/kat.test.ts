// coffer's own known-answer vectors (test/vectors/*.json) for what Wycheproof does not cover: SHA-1,
// SHA-2 (incl. SHA-512/t), SHA-3, SHAKE, BLAKE2, MD5, scrypt, ConcatKDF, X9.63 and KBKDF. Each file
// names its source at the top and each case names the published entry it was taken from. One test per
// vector; every hash is checked one-shot, streamed in pieces, forked with copy() and through hashStream.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidKey } from '../../src/errors.ts';
import {
  BLAKE2b,
  BLAKE2s,
  Hash,
  type HashAlgorithm,
  hash,
  hashStream,
  MD5,
  SHA1,
  SHA3_224,
  SHA3_256,
  SHA3_384,
  SHA3_512,
  SHA224,
  SHA256,
  SHA384,
  SHA512,
  SHA512_224,
  SHA512_256,
  SHAKE128,
  SHAKE256,
} from '../../src/hazmat/hashes.ts';
import {
  ConcatKDFHash,
  ConcatKDFHMAC,
  CounterLocation,
  KBKDFHMAC,
  Mode,
  Scrypt,
  X963KDF,
} from '../../src/hazmat/kdf.ts';
import { hasDigest } from '../../src/internal/backend.ts';
import { concat, uintBE } from '../../src/internal/bytes.ts';
import { hex, loadOwnJson, toHex } from '../helpers/vectors.ts';

interface VectorFile<T> {
  description: string;
  source: string;
  cases: T[];
}

const SLOW = process.env.COFFER_SLOW_TESTS === '1';
const utf8 = (s: string) => new TextEncoder().encode(s);

function algorithm(name: string, outputLength?: number): HashAlgorithm {
  switch (name) {
    case 'md5':
      return new MD5();
    case 'sha1':
      return new SHA1();
    case 'sha224':
      return new SHA224();
    case 'sha256':
      return new SHA256();
    case 'sha384':
      return new SHA384();
    case 'sha512':
      return new SHA512();
    case 'sha512-224':
      return new SHA512_224();
    case 'sha512-256':
      return new SHA512_256();
    case 'sha3-224':
      return new SHA3_224();
    case 'sha3-256':
      return new SHA3_256();
    case 'sha3-384':
      return new SHA3_384();
    case 'sha3-512':
      return new SHA3_512();
    case 'shake128':
      return new SHAKE128(required(outputLength));
    case 'shake256':
      return new SHAKE256(required(outputLength));
    case 'blake2b':
      return new BLAKE2b();
    case 'blake2s':
      return new BLAKE2s();
    default:
      throw new Error(`vector names an unknown algorithm: ${name}`);
  }
}

function required(n: number | undefined): number {
  if (n === undefined) throw new Error('SHAKE vector without outputLength');
  return n;
}

/** The skip reason when this runtime's OpenSSL lacks the hash, else false. */
function unavailable(alg: HashAlgorithm): string | false {
  return hasDigest(alg.opensslName) ? false : `${alg.name} is not available in this runtime's OpenSSL`;
}

/** Declares a describe block for one vector file, checking its header first. */
function vectorFile<T>(file: string, body: (cases: T[]) => void): void {
  const data = loadOwnJson<VectorFile<T>>(file);
  describe(file, () => {
    test(`${file} names its source and has cases`, () => {
      assert.equal(typeof data.source, 'string');
      assert.ok(data.source.length > 0);
      assert.ok(data.cases.length > 0);
    });
    body(data.cases);
  });
}

// ---------------------------------------------------------------------------------------------------
// Hashes

interface HashCase {
  algorithm: string;
  msg: string;
  repeat?: number;
  outputLength?: number;
  digest: string;
  source: string;
}

/** Cuts `msg` into pieces whose sizes cycle through `sizes`. */
function* pieces(msg: Uint8Array, sizes: readonly number[]): Generator<Uint8Array> {
  let offset = 0;
  for (let i = 0; offset < msg.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length] ?? 1);
    yield msg.subarray(offset, offset + size);
    offset += size;
  }
}

for (const file of ['sha1-sha2.json', 'sha3-shake.json', 'blake2.json', 'md5.json']) {
  vectorFile<HashCase>(file, (cases) => {
    cases.forEach((c, i) => {
      const alg = algorithm(c.algorithm, c.outputLength);
      const label =
        c.repeat === undefined ? `${c.msg.length / 2} bytes` : `${c.repeat} x ${c.msg.length / 2} bytes`;
      test(`${file} #${i} ${alg.name} ${label}${c.outputLength ? ` -> ${c.outputLength}` : ''}: ${c.source}`, {
        skip: unavailable(alg),
      }, async () => {
        const msg = hex(c.msg);
        const repeat = c.repeat ?? 1;
        const whole = new Uint8Array(msg.length * repeat);
        for (let r = 0; r < repeat; r++) whole.set(msg, r * msg.length);

        assert.equal(toHex(hash(alg, whole)), c.digest, 'one-shot hash()');

        // Streamed in uneven pieces that straddle the block boundary.
        const block = alg.blockSize ?? 136;
        const sizes = [1, block - 1, 2, block, 7];
        const ctx = new Hash(alg);
        for (const piece of pieces(whole, sizes)) ctx.update(piece);
        assert.equal(toHex(ctx.finalize()), c.digest, 'streaming Hash');

        // Forked half way: both the copy and the original must finish with the same answer.
        const half = Math.floor(whole.length / 2);
        const head = new Hash(alg).update(whole.subarray(0, half));
        const fork = head.copy();
        fork.update(whole.subarray(half));
        head.update(whole.subarray(half));
        assert.equal(toHex(fork.finalize()), c.digest, 'Hash#copy');
        assert.equal(toHex(head.finalize()), c.digest, 'Hash after copy');

        assert.equal(toHex(await hashStream(alg, pieces(whole, [block + 1]))), c.digest, 'hashStream');
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// scrypt (RFC 7914 §12)

interface ScryptCase {
  password: string;
  salt: string;
  n: number;
  r: number;
  p: number;
  length: number;
  key: string;
  source: string;
  slow?: boolean;
  maxMemory?: number;
}

vectorFile<ScryptCase>('scrypt.json', (cases) => {
  cases.forEach((c, i) => {
    const skip = c.slow && !SLOW ? 'needs 1 GiB and about 10 s: set COFFER_SLOW_TESTS=1 to run it' : false;
    test(`scrypt.json #${i} N=${c.n} r=${c.r} p=${c.p}: ${c.source}`, { skip }, async () => {
      const options = {
        salt: utf8(c.salt),
        length: c.length,
        n: c.n,
        r: c.r,
        p: c.p,
        ...(c.maxMemory === undefined ? {} : { maxMemory: c.maxMemory }),
      };
      assert.equal(toHex(new Scrypt(options).derive(c.password)), c.key);
      if (c.slow) return; // once is enough for the 1 GiB vector
      assert.equal(toHex(await new Scrypt(options).deriveAsync(utf8(c.password))), c.key);
      await new Scrypt(options).verifyAsync(c.password, hex(c.key));
      await assert.rejects(new Scrypt(options).verifyAsync(`${c.password}!`, hex(c.key)), InvalidKey);
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// ConcatKDF (NIST SP 800-56C one-step KDF)

interface ConcatCase {
  kdf: 'ConcatKDFHash' | 'ConcatKDFHMAC';
  algorithm: string;
  z: string;
  salt?: string | null;
  otherInfo?: string;
  fixedInfo?: {
    t: string;
    uPartyId: string;
    uEphemeralData: string;
    vPartyId: string;
    vEphemeralData: string;
    l: number;
  };
  length: number;
  okm: string;
  source: string;
}

/** ACVP fixedInfo, pattern t||uPartyInfo||vPartyInfo||l with concatenation encoding. */
function otherInfo(c: ConcatCase): Uint8Array {
  if (c.otherInfo !== undefined) return hex(c.otherInfo);
  const f = c.fixedInfo;
  if (f === undefined) throw new Error('ConcatKDF vector without otherInfo or fixedInfo');
  return concat(
    hex(f.t),
    hex(f.uPartyId),
    hex(f.uEphemeralData),
    hex(f.vPartyId),
    hex(f.vEphemeralData),
    uintBE(f.l, 4),
  );
}

vectorFile<ConcatCase>('concatkdf.json', (cases) => {
  cases.forEach((c, i) => {
    const alg = algorithm(c.algorithm);
    const salt = c.salt === undefined || c.salt === null ? null : hex(c.salt);
    test(`concatkdf.json #${i} ${c.kdf} ${alg.name}${c.kdf === 'ConcatKDFHMAC' && salt === null ? ' (default salt)' : ''}: ${c.source}`, {
      skip: unavailable(alg),
    }, () => {
      const z = hex(c.z);
      const info = otherInfo(c);
      const make = (length: number) =>
        c.kdf === 'ConcatKDFHash'
          ? new ConcatKDFHash({ algorithm: alg, length, otherInfo: info })
          : new ConcatKDFHMAC({ algorithm: alg, length, otherInfo: info, salt });
      assert.equal(toHex(make(c.length).derive(z)), c.okm);
      make(c.length).verify(z, hex(c.okm));
      // The output stream does not depend on the requested length: a shorter key is a prefix.
      const short = alg.digestSize + 1;
      if (short < c.length) assert.equal(toHex(make(short).derive(z)), c.okm.slice(0, 2 * short));
      if (c.kdf === 'ConcatKDFHMAC' && salt === null) {
        // The default salt is blockSize zero bytes, spelled out.
        const explicit = new ConcatKDFHMAC({
          algorithm: alg,
          length: c.length,
          otherInfo: info,
          salt: new Uint8Array(alg.blockSize ?? 0),
        });
        assert.equal(toHex(explicit.derive(z)), c.okm);
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// ANSI X9.63

interface X963Case {
  algorithm: string;
  z: string;
  sharedInfo: string;
  length: number;
  okm: string;
  source: string;
}

vectorFile<X963Case>('x963kdf.json', (cases) => {
  cases.forEach((c, i) => {
    const alg = algorithm(c.algorithm);
    test(`x963kdf.json #${i} ${alg.name}: ${c.source}`, { skip: unavailable(alg) }, () => {
      const z = hex(c.z);
      const sharedInfo = c.sharedInfo === '' ? null : hex(c.sharedInfo);
      assert.equal(toHex(new X963KDF({ algorithm: alg, length: c.length, sharedInfo }).derive(z)), c.okm);
      if (sharedInfo === null) {
        const empty = new X963KDF({ algorithm: alg, length: c.length, sharedInfo: new Uint8Array(0) });
        assert.equal(toHex(empty.derive(z)), c.okm, 'empty sharedInfo equals absent sharedInfo');
      }
      new X963KDF({ algorithm: alg, length: c.length, sharedInfo }).verify(z, hex(c.okm));
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// KBKDF, counter mode, HMAC PRF (NIST SP 800-108)

interface KbkdfCase {
  algorithm: string;
  location: CounterLocation;
  rlen: number;
  llen?: number | null;
  label?: string | null;
  context?: string | null;
  fixed?: string;
  breakLocation?: number;
  length: number;
  key: string;
  okm: string;
  source?: string;
  comment?: string;
}

const LOCATIONS: readonly string[] = Object.values(CounterLocation);

for (const file of ['kbkdf-hmac-counter.json', 'kbkdf-hmac-label-context.json']) {
  vectorFile<KbkdfCase>(file, (cases) => {
    cases.forEach((c, i) => {
      const alg = algorithm(c.algorithm);
      const what = c.source ?? c.comment ?? '';
      test(`${file} #${i} ${alg.name} ${c.location} rlen=${c.rlen} llen=${c.llen ?? '-'}: ${what}`, {
        skip: unavailable(alg),
      }, () => {
        assert.ok(LOCATIONS.includes(c.location), `unknown location ${c.location}`);
        const kdf = new KBKDFHMAC({
          algorithm: alg,
          mode: Mode.CounterMode,
          length: c.length,
          rlen: c.rlen,
          llen: c.llen ?? null,
          location: c.location,
          label: c.label === undefined || c.label === null ? null : hex(c.label),
          context: c.context === undefined || c.context === null ? null : hex(c.context),
          fixed: c.fixed === undefined ? null : hex(c.fixed),
          breakLocation: c.breakLocation ?? null,
        });
        assert.equal(toHex(kdf.derive(hex(c.key))), c.okm);
      });
    });
  });
}
