// XAES-256-GCM (src/internal/xaes.ts) against the C2SP specification, https://c2sp.org/XAES-256-GCM:
// the two published vectors with their intermediate values (test/vectors/xaes-256-gcm.json), the
// 10,000-iteration accumulated randomized test, tamper rejection, and a cross-check against an
// independent composition with pyca/cryptography (AES-256-ECB for the subkey derivation, then AESGCM).
import assert from 'node:assert/strict';
import { createCipheriv, createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Xaes256Gcm } from '../../src/internal/xaes.ts';
import { pycaSkip, runPython } from '../helpers/python.ts';
import { hex, loadOwnJson, toHex } from '../helpers/vectors.ts';

interface XaesVector {
  name: string;
  key: string;
  nonce: string;
  L: string;
  K1: string;
  M1: string;
  M2: string;
  Kx: string;
  Nx: string;
  plaintext: string;
  aad: string;
  ciphertext: string;
}
interface AccumulatedVector {
  iterations: number;
  rngStreamStart: string;
  hash: string;
}
interface VectorFile {
  description: string;
  source: string;
  cases: XaesVector[];
  accumulated: AccumulatedVector[];
}

const file = loadOwnJson<VectorFile>('xaes-256-gcm.json');
const TAG = 16;

/** AES-256 on whole blocks with node:crypto directly: the vectors' own arithmetic, not coffer's code. */
function aes256(key: Uint8Array, blocks: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-256-ecb', key, null);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(blocks), c.final()]));
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  return a.map((x, i) => x ^ b[i]!);
}

/** The same bytes with one bit flipped. */
function flip(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  out[bit >>> 3]! ^= 1 << (bit & 7);
  return out;
}

function sealed(x: Xaes256Gcm, nonce: Uint8Array, pt: Uint8Array, aad: Uint8Array | undefined): string {
  const [ct, tag] = x.seal(nonce, pt, aad);
  assert.equal(tag.length, TAG);
  return toHex(ct) + toHex(tag);
}

test('the vector file names its source', () => {
  assert.match(file.source, /https:\/\/c2sp\.org\/XAES-256-GCM/);
  assert.equal(file.cases.length, 2);
  // One vector per branch of the CMAC subkey doubling (C2SP: "MSB₁(L) = 0", then "MSB₁ = 1").
  assert.deepEqual(
    file.cases.map((v) => hex(v.L)[0]! >>> 7),
    [0, 1],
  );
});

describe('C2SP XAES-256-GCM vectors', () => {
  for (const v of file.cases) {
    const key = hex(v.key);
    const nonce = hex(v.nonce);
    const plaintext = hex(v.plaintext);
    const aad = hex(v.aad);
    const expected = hex(v.ciphertext);
    const ct = expected.subarray(0, expected.length - TAG);
    const tag = expected.subarray(expected.length - TAG);

    test(`${v.name}: the intermediate values follow the detailed key derivation`, () => {
      // Steps 1-6 of "Detailed key derivation algorithm", computed here from AES-256 alone.
      assert.equal(toHex(aes256(key, new Uint8Array(16))), v.L, 'L = AES-256_K(0^128)');
      const l = BigInt(`0x${v.L}`);
      const k1 = ((l << 1n) & ((1n << 128n) - 1n)) ^ (l >> 127n === 1n ? 0x87n : 0n);
      assert.equal(k1.toString(16).padStart(32, '0'), v.K1, 'K1 = L << 1, ⊕ 0x87 when MSB(L) = 1');
      assert.equal(v.M1, `00015800${toHex(nonce.subarray(0, 12))}`);
      assert.equal(v.M2, `00025800${toHex(nonce.subarray(0, 12))}`);
      const blocks = new Uint8Array(32);
      blocks.set(xor(hex(v.M1), hex(v.K1)), 0);
      blocks.set(xor(hex(v.M2), hex(v.K1)), 16);
      assert.equal(toHex(aes256(key, blocks)), v.Kx, 'Kx = AES-256_K(M1 ⊕ K1) ‖ AES-256_K(M2 ⊕ K1)');
      assert.equal(toHex(nonce.subarray(12)), v.Nx, 'Nx = N[12:]');
    });

    test(`${v.name}: deriveKey gives Kx`, () => {
      assert.equal(toHex(new Xaes256Gcm(key).deriveKey(nonce)), v.Kx);
    });

    test(`${v.name}: seal gives the ciphertext and tag, open round-trips`, () => {
      const x = new Xaes256Gcm(key);
      assert.equal(sealed(x, nonce, plaintext, aad), v.ciphertext);
      // The same key object again (its AES context and K1 are reused across messages).
      assert.equal(sealed(x, nonce, plaintext, aad), v.ciphertext);
      if (aad.length === 0) assert.equal(sealed(x, nonce, plaintext, undefined), v.ciphertext);
      assert.deepEqual(new Uint8Array(x.open(nonce, ct, tag, aad)!), plaintext);
      assert.deepEqual(new Uint8Array(new Xaes256Gcm(key).open(nonce, ct, tag, aad)!), plaintext);
    });

    test(`${v.name}: open returns null for one flipped bit anywhere, or the wrong key`, () => {
      const x = new Xaes256Gcm(key);
      for (let bit = 0; bit < ct.length * 8; bit++) {
        assert.equal(x.open(nonce, flip(ct, bit), tag, aad), null, `ciphertext bit ${bit}`);
      }
      for (let bit = 0; bit < TAG * 8; bit++) {
        assert.equal(x.open(nonce, ct, flip(tag, bit), aad), null, `tag bit ${bit}`);
      }
      // Bits 0..95 change the derived key, 96..191 the GCM IV.
      for (let bit = 0; bit < nonce.length * 8; bit++) {
        assert.equal(x.open(flip(nonce, bit), ct, tag, aad), null, `nonce bit ${bit}`);
      }
      for (let bit = 0; bit < aad.length * 8; bit++) {
        assert.equal(x.open(nonce, ct, tag, flip(aad, bit)), null, `aad bit ${bit}`);
      }
      const longer = new Uint8Array(aad.length + 1);
      longer.set(aad);
      assert.equal(x.open(nonce, ct, tag, longer), null, 'aad with a zero byte appended');
      // Not tested: a truncated tag. open() passes the tag's length to OpenSSL, which accepts GCM tags
      // of 4, 8 and 12-16 bytes; callers (parseSealed) always hand it exactly 16.
      assert.equal(new Xaes256Gcm(flip(key, 0)).open(nonce, ct, tag, aad), null, 'other key');
      // Untouched, it still opens.
      assert.deepEqual(new Uint8Array(x.open(nonce, ct, tag, aad)!), plaintext);
    });
  }

  test('the key must be 32 bytes', () => {
    for (const n of [0, 16, 31, 33, 64]) {
      assert.throws(() => new Xaes256Gcm(new Uint8Array(n)), {
        name: 'RangeError',
        message: `"key" must be 32 bytes, got ${n}`,
      });
    }
  });
});

describe('C2SP accumulated randomized test', () => {
  for (const acc of file.accumulated) {
    test(`${acc.iterations} iterations hash to ${acc.hash.slice(0, 16)}…`, () => {
      // The RNG is one SHAKE-128 instance with empty input, read as a stream. node's XOF cannot be
      // squeezed incrementally, so one long output is drawn up front: an iteration reads at most
      // 32 + 24 + (1 + 255) + (1 + 255) = 568 bytes, so 570 per iteration always suffices.
      const stream = createHash('shake128', { outputLength: acc.iterations * 570 }).digest();
      assert.equal(stream.subarray(0, 16).toString('hex'), acc.rngStreamStart);
      let at = 0;
      const read = (n: number): Uint8Array => {
        const out = stream.subarray(at, at + n);
        at += n;
        return out;
      };
      // opaque key[32]; opaque nonce[24]; opaque plaintext<0..255>; opaque aad<0..255> (RFC 8446 §3).
      const hash = createHash('shake128', { outputLength: 32 });
      for (let i = 0; i < acc.iterations; i++) {
        const key = read(32);
        const nonce = read(24);
        const plaintext = read(read(1)[0]!);
        const aad = read(read(1)[0]!);
        const [ct, tag] = new Xaes256Gcm(key).seal(nonce, plaintext, aad);
        hash.update(ct);
        hash.update(tag);
      }
      assert.ok(at <= stream.length);
      assert.equal(hash.digest('hex'), acc.hash);
    });
  }
});

// An independent XAES-256-GCM from the C2SP text with pyca/cryptography. Input: a list of
// {key, nonce, plaintext, aad} (hex); output: one {kx, ciphertext (‖ tag), msb} per case.
// No backslashes below: this is a JS template literal.
const PY = `
import json, sys
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MASK128 = (1 << 128) - 1

def xaes_subkey(k, n):
    aes = Cipher(algorithms.AES(k), modes.ECB()).encryptor()
    l = int.from_bytes(aes.update(bytes(16)), "big")
    k1 = ((l << 1) & MASK128) ^ (0x87 if l >> 127 else 0)
    m1 = bytes([0x00, 0x01, 0x58, 0x00]) + n[:12]
    m2 = bytes([0x00, 0x02, 0x58, 0x00]) + n[:12]
    blocks = b"".join((int.from_bytes(m, "big") ^ k1).to_bytes(16, "big") for m in (m1, m2))
    return aes.update(blocks) + aes.finalize(), n[12:], l >> 127

def run(case):
    k, n = bytes.fromhex(case["key"]), bytes.fromhex(case["nonce"])
    assert len(k) == 32 and len(n) == 24
    kx, nx, msb = xaes_subkey(k, n)
    ct = AESGCM(kx).encrypt(nx, bytes.fromhex(case["plaintext"]), bytes.fromhex(case["aad"]))
    return {"kx": kx.hex(), "ciphertext": ct.hex(), "msb": msb}

json.dump([run(c) for c in json.load(sys.stdin)], sys.stdout)
`;

describe('pyca/cryptography composition (AES-256-ECB + AESGCM)', () => {
  const skip = pycaSkip();

  test('agrees with the C2SP vectors and with coffer on 200 random cases', { skip }, () => {
    const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
    const random = fc.sample(
      fc.record({ key: bytes(32, 32), nonce: bytes(24, 24), plaintext: bytes(0, 100), aad: bytes(0, 64) }),
      { numRuns: 200, seed: 0x7ae5 },
    );
    const cases = [
      ...file.cases.map((v) => ({ key: v.key, nonce: v.nonce, plaintext: v.plaintext, aad: v.aad })),
      ...random.map((c) => ({
        key: toHex(c.key),
        nonce: toHex(c.nonce),
        plaintext: toHex(c.plaintext),
        aad: toHex(c.aad),
      })),
    ];
    const out = runPython<{ kx: string; ciphertext: string; msb: number }[]>(PY, cases);
    assert.equal(out.length, cases.length);
    file.cases.forEach((v, i) => {
      assert.deepEqual(out[i], { kx: v.Kx, ciphertext: v.ciphertext, msb: hex(v.L)[0]! >>> 7 }, v.name);
    });
    cases.forEach((c, i) => {
      const x = new Xaes256Gcm(hex(c.key));
      const nonce = hex(c.nonce);
      assert.equal(toHex(x.deriveKey(nonce)), out[i]!.kx, `case ${i}: Kx`);
      assert.equal(sealed(x, nonce, hex(c.plaintext), hex(c.aad)), out[i]!.ciphertext, `case ${i}: seal`);
      const ctTag = hex(out[i]!.ciphertext);
      const pt = x.open(nonce, ctTag.subarray(0, -TAG), ctTag.subarray(-TAG), hex(c.aad));
      assert.equal(pt === null ? null : toHex(pt), c.plaintext, `case ${i}: open`);
    });
    // Both branches of the K1 doubling were exercised by the random keys.
    assert.deepEqual(new Set(out.map((r) => r.msb)), new Set([0, 1]));
  });
});
