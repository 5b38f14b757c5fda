// Live interop with pyca/cryptography for every AEAD both libraries have: AESGCM, ChaCha20Poly1305,
// AESCCM, AESOCB3, AESSIV and AESGCMSIV (XChaCha20Poly1305 is coffer's alone; Wycheproof covers it).
// Keys, nonces, messages and associated data are random (node:crypto's CSPRNG); their lengths and the
// parameters (key size, nonce length, CCM tag length, the SIV list) come from a seeded generator
// (COFFER_TEST_SEED, printed in the suite name), so a run's shape is reproducible and every failure
// message carries the exact inputs as hex.
//
// Every case goes through one python3 process, which for each case encrypts with pyca (the output must
// equal coffer's byte for byte), decrypts coffer's output (must give the message back), and tries
// coffer's output with one bit flipped (pyca must raise InvalidTag). coffer then decrypts pyca's output
// and refuses it with a bit flipped. Some cases hand coffer its key as a SecretKey, the rest as bytes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { InvalidTag } from '../../src/errors.ts';
import { AESCCM, AESGCM, AESGCMSIV, AESOCB3, AESSIV, ChaCha20Poly1305 } from '../../src/hazmat/aead.ts';
import { hasCipher } from '../../src/internal/backend-aead.ts';
import { SecretKey } from '../../src/keys/secret-key.ts';
import { prng, testSeed } from '../helpers/prng.ts';
import { pycaSkip, runPython } from '../helpers/python.ts';
import { hex, toHex } from '../helpers/vectors.ts';

const SEED = testSeed(0xaead);

const rand = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

type Algorithm = 'AESGCM' | 'ChaCha20Poly1305' | 'AESCCM' | 'AESOCB3' | 'AESSIV' | 'AESGCMSIV';

/** One case, all bytes as hex; `aad` null means "not given" (pyca's None). */
interface Case {
  name: string;
  alg: Algorithm;
  key: string;
  secretKey: boolean;
  nonce: string | null;
  msg: string;
  aad: string | null;
  /** AESSIV only: the associated-data list, or null. */
  ad: string[] | null;
  tagLength: number;
  /** The bit of the sealed output to flip for the tamper check. */
  flip: number;
}

interface PyResult {
  out: string;
  decrypted: string;
  tamperRejected: boolean;
}

const CASES_PER_ALGORITHM = 40;

function messageLength(r: ReturnType<typeof prng>, i: number, max: number): number {
  const fixed = [0, 1, 15, 16, 17, 31, 32, 33, 64, 255, 256, 1000, 4096];
  if (i < fixed.length) return Math.min(fixed[i]!, max);
  if (i === CASES_PER_ALGORITHM - 1) return Math.min(256 * 1024, max); // one long message per algorithm
  return r.int(0, Math.min(600, max));
}

function cases(): Case[] {
  const r = prng(SEED);
  const out: Case[] = [];
  const algorithms: Algorithm[] = ['AESGCM', 'ChaCha20Poly1305', 'AESCCM', 'AESSIV', 'AESGCMSIV'];
  if (hasCipher('aes-128-ocb')) algorithms.push('AESOCB3');
  for (const alg of algorithms) {
    for (let i = 0; i < CASES_PER_ALGORITHM; i++) {
      let keyLength = 16;
      let nonceLength: number | null = 12;
      let tagLength = 16;
      let maxLength = 1 << 20;
      switch (alg) {
        case 'AESGCM':
          keyLength = r.pick([16, 24, 32]);
          nonceLength = r.pick([12, 12, 12, 8, 16, r.int(8, 128)]);
          break;
        case 'ChaCha20Poly1305':
          keyLength = 32;
          break;
        case 'AESCCM':
          keyLength = r.pick([16, 24, 32]);
          nonceLength = r.int(7, 13);
          tagLength = r.pick([4, 6, 8, 10, 12, 14, 16]);
          maxLength = 2 ** (8 * (15 - nonceLength)) - 1; // RFC 3610 §2
          break;
        case 'AESOCB3':
          keyLength = r.pick([16, 24, 32]);
          nonceLength = r.int(12, 15);
          break;
        case 'AESSIV':
          keyLength = r.pick([32, 48, 64]);
          nonceLength = null;
          break;
        case 'AESGCMSIV':
          keyLength = r.pick([16, 32]);
          break;
      }
      const msgLength = messageLength(r, i, maxLength);
      const aadKind = r.int(0, 3); // none, empty, short, longer
      const aad = aadKind === 0 ? null : toHex(rand([0, 0, r.int(1, 40), r.int(41, 300)][aadKind]!));
      const ad =
        alg === 'AESSIV'
          ? r.int(0, 4) === 0
            ? null
            : Array.from({ length: r.int(0, 5) }, () => toHex(rand(r.pick([0, 1, 16, r.int(2, 100)]))))
          : null;
      out.push({
        name: `${alg} key ${keyLength}, nonce ${nonceLength ?? '-'}, msg ${msgLength}, ${
          alg === 'AESSIV'
            ? `ad ${ad === null ? 'None' : `[${ad.length} items]`}`
            : `aad ${aad === null ? 'None' : aad.length / 2}`
        }${alg === 'AESCCM' ? `, tag ${tagLength}` : ''}`,
        alg,
        key: toHex(rand(keyLength)),
        secretKey: i % 3 === 0,
        nonce: nonceLength === null ? null : toHex(rand(nonceLength)),
        msg: toHex(rand(msgLength)),
        aad,
        ad,
        tagLength,
        flip: r.int(0, (msgLength + tagLength) * 8 - 1),
      });
    }
  }
  return out;
}

const PY = `
import json, sys
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import (
    AESCCM, AESGCM, AESGCMSIV, AESOCB3, AESSIV, ChaCha20Poly1305)
def b(x):
    return None if x is None else bytes.fromhex(x)
def flipped(data, bit):
    out = bytearray(data)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)
results = []
for c in json.load(sys.stdin):
    key = b(c['key'])
    if c['alg'] == 'AESSIV':
        aead = AESSIV(key)
        ad = None if c['ad'] is None else [b(x) for x in c['ad']]
        seal = lambda m: aead.encrypt(m, ad)
        open_ = lambda d: aead.decrypt(d, ad)
    else:
        if c['alg'] == 'AESCCM':
            aead = AESCCM(key, c['tagLength'])
        else:
            aead = {'AESGCM': AESGCM, 'ChaCha20Poly1305': ChaCha20Poly1305, 'AESOCB3': AESOCB3,
                    'AESGCMSIV': AESGCMSIV}[c['alg']](key)
        nonce, aad = b(c['nonce']), b(c['aad'])
        seal = lambda m: aead.encrypt(nonce, m, aad)
        open_ = lambda d: aead.decrypt(nonce, d, aad)
    out = seal(b(c['msg']))
    coffer = b(c['coffer'])
    decrypted = open_(coffer).hex()
    try:
        open_(flipped(coffer, c['flip']))
        rejected = False
    except InvalidTag:
        rejected = True
    results.append({'out': out.hex(), 'decrypted': decrypted, 'tamperRejected': rejected})
json.dump(results, sys.stdout)
`;

function make(c: Case): {
  seal(msg: Uint8Array): Uint8Array;
  open(data: Uint8Array): Uint8Array;
} {
  const raw = hex(c.key);
  const key = c.secretKey ? SecretKey.fromBytes(raw, { algorithm: c.alg }) : raw;
  const nonce = c.nonce === null ? new Uint8Array(0) : hex(c.nonce);
  // null and "not given" are the same to coffer; alternate between them.
  const aad = c.aad === null ? (c.secretKey ? undefined : null) : hex(c.aad);
  if (c.alg === 'AESSIV') {
    const siv = new AESSIV(key);
    const ad = c.ad === null ? null : c.ad.map(hex);
    return { seal: (m) => siv.encrypt(m, ad), open: (d) => siv.decrypt(d, ad) };
  }
  const classes = { AESGCM, ChaCha20Poly1305, AESOCB3, AESGCMSIV };
  const aead =
    c.alg === 'AESCCM' ? new AESCCM(key, c.tagLength) : new classes[c.alg as keyof typeof classes](key);
  return { seal: (m) => aead.encrypt(nonce, m, aad), open: (d) => aead.decrypt(nonce, d, aad) };
}

function flip(data: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(data);
  out[bit >> 3]! ^= 1 << (bit & 7);
  return out;
}

const skip = pycaSkip();
if (skip) {
  test('AEADs: coffer vs pyca', { skip }, () => {});
} else {
  const all = cases();
  describe(`AEADs: coffer vs pyca (seed ${SEED}, ${all.length} cases)`, () => {
    const sealed = all.map((c) => make(c).seal(hex(c.msg)));
    let results: PyResult[] = [];
    before(() => {
      results = runPython<PyResult[]>(
        PY,
        all.map((c, i) => ({ ...c, coffer: toHex(sealed[i]!) })),
      );
      assert.equal(results.length, all.length);
    });
    if (!hasCipher('aes-128-ocb')) {
      test('AESOCB3', { skip: "this runtime's OpenSSL has no AES-OCB" }, () => {});
    }
    all.forEach((c, i) => {
      test(`#${i} ${c.name}`, () => {
        const inputs = `inputs: ${JSON.stringify(c).slice(0, 2000)}`;
        const py = results[i]!;
        assert.equal(toHex(sealed[i]!), py.out, `coffer and pyca encrypt differently; ${inputs}`);
        assert.equal(py.decrypted, c.msg, `pyca does not decrypt coffer's output; ${inputs}`);
        assert.ok(py.tamperRejected, `pyca accepted coffer's output with bit ${c.flip} flipped; ${inputs}`);
        const aead = make(c);
        const pycaOut = hex(py.out);
        assert.equal(toHex(aead.open(pycaOut)), c.msg, `coffer does not decrypt pyca's output; ${inputs}`);
        assert.throws(() => aead.open(flip(pycaOut, c.flip)), InvalidTag);
      });
    });
  });
}
