// Live interop with pyca/cryptography: random inputs through every hash, HMAC and KDF in both
// libraries, outputs compared byte for byte. Input bytes come from node:crypto's CSPRNG; the lengths
// and parameters are drawn from a seeded generator (COFFER_TEST_SEED, printed in the suite names), so
// a run's shape is reproducible and every failure message carries the exact inputs as hex.
// Each section batches its cases into one python3 process (runPython with a JSON list).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import {
  BLAKE2b,
  BLAKE2s,
  Hash,
  type HashAlgorithm,
  hash,
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
import { HMAC, hmac } from '../../src/hazmat/hmac.ts';
import {
  ConcatKDFHash,
  ConcatKDFHMAC,
  CounterLocation,
  HKDF,
  HKDFExpand,
  KBKDFHMAC,
  Mode,
  PBKDF2HMAC,
  Scrypt,
  X963KDF,
} from '../../src/hazmat/kdf.ts';
import { hasDigest } from '../../src/internal/backend.ts';
import { prng, testSeed } from '../helpers/prng.ts';
import { pycaSkip, runPython } from '../helpers/python.ts';
import { hex, toHex } from '../helpers/vectors.ts';

const SEED = testSeed(0xc0ffe4);

const bytes = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

/** Every fixed-output hash coffer offers, by pyca name. SHAKE is handled apart. */
const FIXED: ReadonlyArray<() => HashAlgorithm> = [
  () => new SHA1(),
  () => new SHA224(),
  () => new SHA256(),
  () => new SHA384(),
  () => new SHA512(),
  () => new SHA512_224(),
  () => new SHA512_256(),
  () => new SHA3_224(),
  () => new SHA3_256(),
  () => new SHA3_384(),
  () => new SHA3_512(),
  () => new BLAKE2b(),
  () => new BLAKE2s(),
  () => new MD5(),
];
// FIPS 202 rates in bytes: the SHAKE "block" sizes that coffer (like pyca) leaves undefined.
const SHAKE_RATE = { shake128: 168, shake256: 136 } as const;

function available(alg: HashAlgorithm): boolean {
  return hasDigest(alg.opensslName);
}
const FIXED_AVAILABLE = FIXED.map((make) => make()).filter(available);
const FIXED_MISSING = FIXED.map((make) => make())
  .filter((a) => !available(a))
  .map((a) => a.name);

// The python side: maps pyca names to hash objects, shared by every section.
const PY_PRELUDE = `
import json, sys
from cryptography.hazmat.primitives import hashes, hmac
def alg(name, size=None):
    return {
        'sha1': hashes.SHA1, 'sha224': hashes.SHA224, 'sha256': hashes.SHA256,
        'sha384': hashes.SHA384, 'sha512': hashes.SHA512,
        'sha512-224': hashes.SHA512_224, 'sha512-256': hashes.SHA512_256,
        'sha3-224': hashes.SHA3_224, 'sha3-256': hashes.SHA3_256,
        'sha3-384': hashes.SHA3_384, 'sha3-512': hashes.SHA3_512,
        'md5': hashes.MD5,
        'blake2b': lambda: hashes.BLAKE2b(64), 'blake2s': lambda: hashes.BLAKE2s(32),
        'shake128': lambda: hashes.SHAKE128(size), 'shake256': lambda: hashes.SHAKE256(size),
    }[name]()
def b(x):
    return None if x is None else bytes.fromhex(x)
cases = json.load(sys.stdin)
`;

/**
 * One interop section: builds its cases, runs them all through python in one process before the tests,
 * then declares one test per case comparing coffer's output with pyca's.
 */
function section<C extends { name: string }>(
  title: string,
  pythonBody: string,
  cases: C[],
  coffer: (c: C) => Uint8Array,
): void {
  const skip = pycaSkip();
  if (skip) {
    test(`${title}: coffer vs pyca`, { skip }, () => {});
    return;
  }
  describe(`${title}: coffer vs pyca (seed ${SEED})`, () => {
    let expected: string[] = [];
    before(() => {
      expected = runPython<string[]>(PY_PRELUDE + pythonBody, cases);
      assert.equal(expected.length, cases.length);
    });
    cases.forEach((c, i) => {
      test(`#${i} ${c.name}`, () => {
        assert.equal(toHex(coffer(c)), expected[i], `inputs: ${JSON.stringify(c)}`);
      });
    });
  });
}

if (FIXED_MISSING.length > 0) {
  test('hashes missing from this runtime', {
    skip: `not in this OpenSSL: ${FIXED_MISSING.join(', ')}`,
  }, () => {});
}

// ---------------------------------------------------------------------------------------------------
// Hashes: every fixed hash at lengths 0, 1, around one and two blocks, and random; SHAKE with random
// output lengths around its rate. coffer hashes each input one-shot and again streamed in two pieces.

interface HashCase {
  name: string;
  alg: string;
  size: number | null;
  msg: string;
  split: number;
}

function hashCases(): HashCase[] {
  const r = prng(SEED ^ 0x1);
  const out: HashCase[] = [];
  const add = (alg: HashAlgorithm, len: number, size: number | null) => {
    const msg = bytes(len);
    out.push({
      name: `${alg.name}${size === null ? '' : `(${size})`} msg ${len} bytes`,
      alg: alg.name,
      size,
      msg: toHex(msg),
      split: r.int(0, len),
    });
  };
  for (const alg of FIXED_AVAILABLE) {
    const bs = alg.blockSize ?? 64;
    for (const len of [0, 1, bs - 1, bs, bs + 1, 2 * bs, r.int(2, 4 * bs), r.int(4 * bs, 40 * bs)]) {
      add(alg, len, null);
    }
  }
  for (const [name, rate] of Object.entries(SHAKE_RATE)) {
    const sizes = [1, 16, rate - 1, rate, rate + 1, 2 * rate + 3, r.int(2, 600), r.int(600, 4000)];
    for (const size of sizes) {
      const alg = name === 'shake128' ? new SHAKE128(size) : new SHAKE256(size);
      if (!available(alg)) continue;
      add(alg, r.pick([0, 1, rate - 1, rate, rate + 1, r.int(2, 3 * rate)]), size);
    }
  }
  return out;
}

function fixedHash(name: string): HashAlgorithm {
  const found = FIXED_AVAILABLE.find((a) => a.name === name);
  if (found === undefined) throw new Error(`unknown hash ${name}`);
  return found;
}

function makeHash(c: HashCase): HashAlgorithm {
  if (c.alg === 'shake128') return new SHAKE128(c.size ?? 0);
  if (c.alg === 'shake256') return new SHAKE256(c.size ?? 0);
  return fixedHash(c.alg);
}

section(
  'hashes',
  `
out = []
for c in cases:
    ctx = hashes.Hash(alg(c['alg'], c['size']))
    ctx.update(bytes.fromhex(c['msg']))
    out.append(ctx.finalize().hex())
json.dump(out, sys.stdout)
`,
  hashCases(),
  (c) => {
    const alg = makeHash(c);
    const msg = hex(c.msg);
    const oneShot = hash(alg, msg);
    const streamed = new Hash(alg).update(msg.subarray(0, c.split)).update(msg.subarray(c.split)).finalize();
    assert.equal(toHex(streamed), toHex(oneShot), 'streamed and one-shot differ');
    return oneShot;
  },
);

// ---------------------------------------------------------------------------------------------------
// HMAC over every non-XOF hash: keys from empty to longer than a block (RFC 2104 hashes those first).

interface HmacCase {
  name: string;
  alg: string;
  key: string;
  msg: string;
}

function hmacCases(): HmacCase[] {
  const r = prng(SEED ^ 0x2);
  const out: HmacCase[] = [];
  for (const alg of FIXED_AVAILABLE) {
    const bs = alg.blockSize ?? 64;
    for (const keyLen of [0, 1, alg.digestSize, bs - 1, bs, bs + 1, 2 * bs + 3, r.int(1, 3 * bs)]) {
      const msgLen = r.pick([0, 1, bs, r.int(0, 3 * bs)]);
      out.push({
        name: `HMAC-${alg.name} key ${keyLen} bytes, msg ${msgLen} bytes`,
        alg: alg.name,
        key: toHex(bytes(keyLen)),
        msg: toHex(bytes(msgLen)),
      });
    }
  }
  return out;
}

section(
  'HMAC',
  `
out = []
for c in cases:
    m = hmac.HMAC(bytes.fromhex(c['key']), alg(c['alg']))
    m.update(bytes.fromhex(c['msg']))
    out.append(m.finalize().hex())
json.dump(out, sys.stdout)
`,
  hmacCases(),
  (c) => {
    const alg = fixedHash(c.alg);
    const key = hex(c.key);
    const msg = hex(c.msg);
    const tag = hmac(alg, key, msg);
    new HMAC(key, alg).update(msg).verify(tag);
    return tag;
  },
);

// ---------------------------------------------------------------------------------------------------
// KDFs: HKDF (including info past node's 1024-byte native limit), HKDFExpand, PBKDF2HMAC with small
// iteration counts, Scrypt with small n, ConcatKDFHash/HMAC, X963KDF and KBKDFHMAC in every location.

type KdfCase =
  | {
      name: string;
      kdf: 'hkdf';
      alg: string;
      length: number;
      salt: string | null;
      info: string | null;
      ikm: string;
    }
  | { name: string; kdf: 'hkdf_expand'; alg: string; length: number; info: string | null; ikm: string }
  | {
      name: string;
      kdf: 'pbkdf2';
      alg: string;
      length: number;
      salt: string;
      iterations: number;
      ikm: string;
    }
  | {
      name: string;
      kdf: 'scrypt';
      length: number;
      salt: string;
      n: number;
      r: number;
      p: number;
      ikm: string;
    }
  | { name: string; kdf: 'concat_hash'; alg: string; length: number; otherinfo: string | null; ikm: string }
  | {
      name: string;
      kdf: 'concat_hmac';
      alg: string;
      length: number;
      salt: string | null;
      otherinfo: string | null;
      ikm: string;
    }
  | { name: string; kdf: 'x963'; alg: string; length: number; sharedinfo: string | null; ikm: string }
  | {
      name: string;
      kdf: 'kbkdf';
      alg: string;
      length: number;
      rlen: number;
      llen: number | null;
      location: CounterLocation;
      label: string | null;
      context: string | null;
      fixed: string | null;
      break_location: number | null;
      ikm: string;
    };

function kdfCases(): KdfCase[] {
  const r = prng(SEED ^ 0x3);
  const out: KdfCase[] = [];
  const maybe = (n: number): string | null => (r.int(0, 3) === 0 ? null : toHex(bytes(n)));

  for (const alg of FIXED_AVAILABLE) {
    const d = alg.digestSize;
    const bs = alg.blockSize ?? 64;
    const a = alg.name;

    // HKDF: info at node's native limit (1024) and past it (coffer composes HMAC there).
    for (const [length, saltLen, infoLen] of [
      [1, -1, -1],
      [d, 16, 30],
      [d + 1, 0, 1024],
      [255 * d, bs + 5, 1025],
      [r.int(1, 255 * d), r.int(0, 2 * bs), r.int(1026, 3000)],
    ] as const) {
      const ikmLen = r.pick([0, 1, 22, d, bs + 1]);
      out.push({
        name: `HKDF-${a} L=${length} salt=${saltLen < 0 ? 'null' : saltLen} info=${infoLen < 0 ? 'null' : infoLen} ikm=${ikmLen}`,
        kdf: 'hkdf',
        alg: a,
        length,
        salt: saltLen < 0 ? null : toHex(bytes(saltLen)),
        info: infoLen < 0 ? null : toHex(bytes(infoLen)),
        ikm: toHex(bytes(ikmLen)),
      });
    }
    for (const length of [1, d, 255 * d, r.int(2, 255 * d)]) {
      const infoLen = r.pick([0, 7, 1025]);
      out.push({
        name: `HKDFExpand-${a} L=${length} info=${infoLen}`,
        kdf: 'hkdf_expand',
        alg: a,
        length,
        info: maybe(infoLen),
        ikm: toHex(bytes(r.int(d, 2 * d))),
      });
    }
    for (const iterations of [1, 2, r.int(3, 50), 1000]) {
      const length = r.pick([1, d, d + 1, 3 * d + 5]);
      const pwLen = r.pick([0, 1, bs, bs + 1, 2 * bs + 1]);
      const saltLen = r.pick([0, 8, 16, 64]);
      out.push({
        name: `PBKDF2-${a} iterations=${iterations} L=${length} password=${pwLen} salt=${saltLen}`,
        kdf: 'pbkdf2',
        alg: a,
        length,
        salt: toHex(bytes(saltLen)),
        iterations,
        ikm: toHex(bytes(pwLen)),
      });
    }
    for (const length of [1, d, d + 1, r.int(2, 5 * d)]) {
      const zLen = r.pick([1, 16, 66]);
      out.push({
        name: `ConcatKDFHash-${a} L=${length} z=${zLen}`,
        kdf: 'concat_hash',
        alg: a,
        length,
        otherinfo: maybe(r.int(0, 80)),
        ikm: toHex(bytes(zLen)),
      });
      // pyca refuses SHA-3 in ConcatKDFHMAC (it has no block size there); concatkdf.json covers it
      // against NIST ACVP answers instead.
      if (!a.startsWith('sha3-')) {
        out.push({
          name: `ConcatKDFHMAC-${a} L=${length} z=${zLen}`,
          kdf: 'concat_hmac',
          alg: a,
          length,
          salt: maybe(r.pick([1, d, bs, bs + 9])),
          otherinfo: maybe(r.int(0, 80)),
          ikm: toHex(bytes(zLen)),
        });
      }
      out.push({
        name: `X963KDF-${a} L=${length} z=${zLen}`,
        kdf: 'x963',
        alg: a,
        length,
        sharedinfo: maybe(r.int(0, 80)),
        ikm: toHex(bytes(zLen)),
      });
    }

    // KBKDF: three random profiles per hash plus fixed corner cases.
    const locations = Object.values(CounterLocation);
    for (let i = 0; i < 3; i++) {
      const rlen = r.int(1, 4);
      const llen = r.int(1, 4);
      const maxLength = Math.min((2 ** (8 * rlen) - 1) * d, Math.floor((2 ** (8 * llen) - 1) / 8), 3 * d + 7);
      const length = r.int(1, maxLength);
      const location = r.pick(locations);
      const useFixed = r.int(0, 3) === 0;
      const label = useFixed ? null : maybe(r.int(1, 24));
      const context = useFixed ? null : maybe(r.int(1, 40));
      // Non-empty: pyca releases before its Rust KBKDF read an empty fixed input as absent.
      const fixed = useFixed ? toHex(bytes(r.int(1, 60))) : null;
      const fixedLen = useFixed
        ? (fixed?.length ?? 0) / 2
        : (label?.length ?? 0) / 2 + 1 + (context?.length ?? 0) / 2 + llen;
      const breakLocation = location === CounterLocation.MiddleFixed ? r.int(0, fixedLen) : null;
      out.push({
        name: `KBKDFHMAC-${a} ${location} rlen=${rlen} llen=${useFixed ? 'fixed' : llen} L=${length}${breakLocation === null ? '' : ` break=${breakLocation}`}`,
        kdf: 'kbkdf',
        alg: a,
        length,
        rlen,
        llen: useFixed ? null : llen,
        location,
        label,
        context,
        fixed,
        break_location: breakLocation,
        ikm: toHex(bytes(r.pick([0, 16, d, bs + 1]))),
      });
    }
  }

  // KBKDF corners on SHA-256: the largest output an 8-bit counter allows, the largest L an 8-bit llen
  // encodes, the counter at either end of the fixed input, and llen given alongside fixed.
  const kb = (
    name: string,
    o: Partial<Extract<KdfCase, { kdf: 'kbkdf' }>> & Pick<Extract<KdfCase, { kdf: 'kbkdf' }>, 'location'>,
  ) =>
    out.push({
      name: `KBKDFHMAC-sha256 ${name}`,
      kdf: 'kbkdf',
      alg: 'sha256',
      length: 32,
      rlen: 4,
      llen: 4,
      label: toHex(bytes(9)),
      context: toHex(bytes(11)),
      fixed: null,
      break_location: null,
      ikm: toHex(bytes(32)),
      ...o,
    });
  kb('rlen=1 L=255*32 (2^8-1 blocks)', { location: CounterLocation.BeforeFixed, rlen: 1, length: 255 * 32 });
  kb('llen=1 L=31 (248 bits)', { location: CounterLocation.AfterFixed, llen: 1, length: 31 });
  kb('middle break=0', { location: CounterLocation.MiddleFixed, break_location: 0 });
  kb('middle break=end', { location: CounterLocation.MiddleFixed, break_location: 9 + 1 + 11 + 4 });
  kb('label and context null', { location: CounterLocation.BeforeFixed, label: null, context: null });
  kb('fixed with llen given (ignored)', {
    location: CounterLocation.AfterFixed,
    label: null,
    context: null,
    llen: 2,
    fixed: toHex(bytes(40)),
  });

  // scrypt: small n, r and p only, so the whole section stays fast.
  for (const [n, rr, p] of [
    [2, 1, 1],
    [4, 1, 3],
    [16, 2, 2],
    [256, 3, 1],
    [1024, 8, 1],
    [r.pick([8, 32, 64]), r.int(1, 4), r.int(1, 3)],
  ] as const) {
    const length = r.pick([1, 16, 64, 100]);
    const pwLen = r.pick([0, 1, 20, 129]);
    const saltLen = r.pick([0, 16, 32]);
    out.push({
      name: `Scrypt n=${n} r=${rr} p=${p} L=${length} password=${pwLen} salt=${saltLen}`,
      kdf: 'scrypt',
      length,
      salt: toHex(bytes(saltLen)),
      n,
      r: rr,
      p,
      ikm: toHex(bytes(pwLen)),
    });
  }
  return out;
}

function cofferKdf(c: KdfCase): Uint8Array {
  const ikm = hex(c.ikm);
  const b = (x: string | null) => (x === null ? null : hex(x));
  if (c.kdf === 'scrypt') {
    return new Scrypt({ salt: hex(c.salt), length: c.length, n: c.n, r: c.r, p: c.p }).derive(ikm);
  }
  const algorithm = fixedHash(c.alg);
  switch (c.kdf) {
    case 'hkdf':
      return new HKDF({ algorithm, length: c.length, salt: b(c.salt), info: b(c.info) }).derive(ikm);
    case 'hkdf_expand':
      return new HKDFExpand({ algorithm, length: c.length, info: b(c.info) }).derive(ikm);
    case 'pbkdf2':
      return new PBKDF2HMAC({
        algorithm,
        length: c.length,
        salt: hex(c.salt),
        iterations: c.iterations,
      }).derive(ikm);
    case 'concat_hash':
      return new ConcatKDFHash({ algorithm, length: c.length, otherInfo: b(c.otherinfo) }).derive(ikm);
    case 'concat_hmac':
      return new ConcatKDFHMAC({
        algorithm,
        length: c.length,
        salt: b(c.salt),
        otherInfo: b(c.otherinfo),
      }).derive(ikm);
    case 'x963':
      return new X963KDF({ algorithm, length: c.length, sharedInfo: b(c.sharedinfo) }).derive(ikm);
    case 'kbkdf':
      return new KBKDFHMAC({
        algorithm,
        mode: Mode.CounterMode,
        length: c.length,
        rlen: c.rlen,
        llen: c.llen,
        location: c.location,
        label: b(c.label),
        context: b(c.context),
        fixed: b(c.fixed),
        breakLocation: c.break_location,
      }).derive(ikm);
  }
}

section(
  'KDFs',
  `
from cryptography.hazmat.primitives.kdf.concatkdf import ConcatKDFHash, ConcatKDFHMAC
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand
from cryptography.hazmat.primitives.kdf.kbkdf import KBKDFHMAC, CounterLocation, Mode
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.kdf.x963kdf import X963KDF
def make(c):
    k = c['kdf']
    if k == 'scrypt':
        return Scrypt(b(c['salt']), c['length'], c['n'], c['r'], c['p'])
    a = alg(c['alg'])
    if k == 'hkdf':
        return HKDF(a, c['length'], b(c['salt']), b(c['info']))
    if k == 'hkdf_expand':
        return HKDFExpand(a, c['length'], b(c['info']))
    if k == 'pbkdf2':
        return PBKDF2HMAC(a, c['length'], b(c['salt']), c['iterations'])
    if k == 'concat_hash':
        return ConcatKDFHash(a, c['length'], b(c['otherinfo']))
    if k == 'concat_hmac':
        return ConcatKDFHMAC(a, c['length'], b(c['salt']), b(c['otherinfo']))
    if k == 'x963':
        return X963KDF(a, c['length'], b(c['sharedinfo']))
    if k == 'kbkdf':
        extra = {} if c['break_location'] is None else {'break_location': c['break_location']}
        return KBKDFHMAC(a, Mode.CounterMode, c['length'], c['rlen'], c['llen'], CounterLocation(c['location']),
                         b(c['label']), b(c['context']), b(c['fixed']), **extra)
    raise ValueError(k)
json.dump([make(c).derive(bytes.fromhex(c['ikm'])).hex() for c in cases], sys.stdout)
`,
  kdfCases(),
  cofferKdf,
);
