// Live interop with pyca/cryptography for coffer/hazmat/ciphers: random keys, IVs and messages through
// every algorithm × mode both libraries offer (AES in CBC, ECB, CTR, OFB, CFB, CFB8, XTS and GCM;
// Camellia in CBC, ECB, OFB and CFB; ChaCha20; TripleDES in CBC, ECB, OFB, CFB and CFB8), outputs
// compared byte for byte. Blowfish, CAST5 and SEED are in test/hazmat/decrepit.test.ts (they need
// OpenSSL's legacy provider). Bytes come from the CSPRNG; lengths from a seeded generator
// (COFFER_TEST_SEED). All cases go through one python3 process; coffer splits each input in two
// updates at a random point, and decrypts its own output back.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import {
  type AEADEncryptionContext,
  AES,
  Camellia,
  CBC,
  CFB,
  CFB8,
  ChaCha20,
  Cipher,
  type CipherAlgorithm,
  CTR,
  ECB,
  GCM,
  type Mode,
  OFB,
  XTS,
} from '../../src/hazmat/ciphers.ts';
import { TripleDES } from '../../src/hazmat/decrepit.ts';
import { concat } from '../../src/internal/bytes.ts';
import { prng, testSeed } from '../helpers/prng.ts';
import { pycaSkip, runPython } from '../helpers/python.ts';
import { hex, toHex } from '../helpers/vectors.ts';

const SEED = testSeed(0xc1f4);

const bytes = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

interface Case {
  name: string;
  alg: 'AES' | 'camellia' | 'ChaCha20' | '3DES';
  mode: 'CBC' | 'ECB' | 'CTR' | 'OFB' | 'CFB' | 'CFB8' | 'XTS' | 'GCM' | null;
  key: string;
  /** IV, nonce, tweak, or ChaCha20's 16-byte nonce; null for ECB. */
  iv: string | null;
  aad: string;
  pt: string;
  split: number;
  /** GCM: the tag length coffer checks the pyca tag at (a prefix), as minTagLength too. */
  tagLength: number;
}

function cases(): Case[] {
  const r = prng(SEED);
  const out: Case[] = [];
  const add = (
    c: Omit<Case, 'name' | 'split' | 'aad' | 'tagLength'> & { aad?: string; tagLength?: number },
  ) => {
    const len = c.pt.length / 2;
    const bits = c.mode === 'XTS' ? (c.key.length / 2) * 4 : (c.key.length / 2) * 8;
    out.push({
      aad: '',
      tagLength: 16,
      ...c,
      name: `${c.alg}-${bits}${c.mode === null ? '' : `-${c.mode}`} ${len} bytes`,
      split: r.int(0, len),
    });
  };

  // AES in the confidentiality modes, every key size, lengths around the block.
  for (const keyBytes of [16, 24, 32]) {
    for (const mode of ['CBC', 'ECB', 'CTR', 'OFB', 'CFB', 'CFB8'] as const) {
      const aligned = mode === 'CBC' || mode === 'ECB';
      const lengths = aligned
        ? [0, 16, 16 * r.int(2, 8), 16 * r.int(9, 64)]
        : [0, 1, 15, 17, r.int(18, 1000)];
      for (const len of lengths) {
        add({
          alg: 'AES',
          mode,
          key: toHex(bytes(keyBytes)),
          iv: mode === 'ECB' ? null : toHex(bytes(16)),
          pt: toHex(bytes(len)),
        });
      }
    }
    // CTR's 128-bit counter carries across all 16 bytes: start a few blocks below the wrap.
    const nearWrap = concat(new Uint8Array(15).fill(0xff), Uint8Array.of(0xfd));
    add({ alg: 'AES', mode: 'CTR', key: toHex(bytes(keyBytes)), iv: toHex(nearWrap), pt: toHex(bytes(100)) });
  }
  // XTS-AES-128 and -256: one data unit each, including lengths that need ciphertext stealing.
  for (const keyBytes of [32, 64]) {
    for (const len of [16, 17, 31, 32, r.int(33, 600)]) {
      add({
        alg: 'AES',
        mode: 'XTS',
        key: toHex(bytes(keyBytes)),
        iv: toHex(bytes(16)),
        pt: toHex(bytes(len)),
      });
    }
  }
  // GCM: IVs of 8 to 128 bytes, associated data, and tags checked at every length from 4 to 16.
  for (let i = 0; i < 26; i++) {
    const ivLength = [8, 12, 12, 12, 16, 60, 128][i % 7] ?? 12;
    add({
      alg: 'AES',
      mode: 'GCM',
      key: toHex(bytes([16, 24, 32][i % 3] ?? 16)),
      iv: toHex(bytes(ivLength)),
      aad: toHex(bytes(r.int(0, 3) === 0 ? 0 : r.int(1, 100))),
      pt: toHex(bytes(r.int(0, 3) === 0 ? 0 : r.int(1, 400))),
      tagLength: 4 + (i % 13),
    });
  }
  // Camellia in the modes pyca offers it in.
  for (const keyBytes of [16, 24, 32]) {
    for (const mode of ['CBC', 'ECB', 'OFB', 'CFB'] as const) {
      const aligned = mode === 'CBC' || mode === 'ECB';
      for (const len of aligned ? [16, 16 * r.int(2, 20)] : [1, r.int(2, 500)]) {
        add({
          alg: 'camellia',
          mode,
          key: toHex(bytes(keyBytes)),
          iv: mode === 'ECB' ? null : toHex(bytes(16)),
          pt: toHex(bytes(len)),
        });
      }
    }
  }
  // ChaCha20: random nonces, and a counter that crosses 2^32 within the message (OpenSSL carries it on).
  for (let i = 0; i < 6; i++) {
    const nonce = bytes(16);
    if (i >= 4) nonce.set([0xfe, 0xff, 0xff, 0xff]);
    add({
      alg: 'ChaCha20',
      mode: null,
      key: toHex(bytes(32)),
      iv: toHex(nonce),
      pt: toHex(bytes(i === 0 ? 0 : r.int(1, 700))),
    });
  }
  // TripleDES (OpenSSL's default provider has it) in its five modes.
  for (const mode of ['CBC', 'ECB', 'OFB', 'CFB', 'CFB8'] as const) {
    const aligned = mode === 'CBC' || mode === 'ECB';
    for (const len of aligned ? [8, 8 * r.int(2, 40)] : [1, r.int(2, 300)]) {
      add({
        alg: '3DES',
        mode,
        key: toHex(bytes(24)),
        iv: mode === 'ECB' ? null : toHex(bytes(8)),
        pt: toHex(bytes(len)),
      });
    }
  }
  return out;
}

const PYTHON = `
import json, sys, warnings
warnings.simplefilter('ignore')
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.decrepit.ciphers import algorithms as dalg, modes as dmodes
b = bytes.fromhex
def algorithm(c):
    k = b(c['key'])
    if c['alg'] == 'AES': return algorithms.AES(k)
    if c['alg'] == 'camellia': return dalg.Camellia(k)
    if c['alg'] == '3DES': return dalg.TripleDES(k)
    return algorithms.ChaCha20(k, b(c['iv']))
def mode(c):
    m = c['mode']
    iv = None if c['iv'] is None else b(c['iv'])
    return {
        None: lambda: None, 'ECB': lambda: modes.ECB(), 'CBC': lambda: modes.CBC(iv),
        'CTR': lambda: modes.CTR(iv), 'XTS': lambda: modes.XTS(iv), 'GCM': lambda: modes.GCM(iv),
        'OFB': lambda: dmodes.OFB(iv), 'CFB': lambda: dmodes.CFB(iv), 'CFB8': lambda: dmodes.CFB8(iv),
    }[m]()
out = []
for c in json.load(sys.stdin):
    enc = Cipher(algorithm(c), mode(c)).encryptor()
    if c['mode'] == 'GCM' and c['aad']:
        enc.authenticate_additional_data(b(c['aad']))
    ct = enc.update(b(c['pt'])) + enc.finalize()
    out.append({'ct': ct.hex(), 'tag': enc.tag.hex() if c['mode'] == 'GCM' else None})
json.dump(out, sys.stdout)
`;

function algorithmFor(c: Case): CipherAlgorithm {
  const key = hex(c.key);
  switch (c.alg) {
    case 'AES':
      return new AES(key);
    case 'camellia':
      return new Camellia(key);
    case '3DES':
      return new TripleDES(key);
    case 'ChaCha20':
      return new ChaCha20(key, hex(c.iv ?? ''));
  }
}

function modeFor(c: Case, tag?: Uint8Array): Mode | null {
  const iv = hex(c.iv ?? '');
  switch (c.mode) {
    case null:
      return null;
    case 'ECB':
      return new ECB();
    case 'CBC':
      return new CBC(iv);
    case 'CTR':
      return new CTR(iv);
    case 'OFB':
      return new OFB(iv);
    case 'CFB':
      return new CFB(iv);
    case 'CFB8':
      return new CFB8(iv);
    case 'XTS':
      return new XTS(iv);
    case 'GCM':
      return new GCM(iv, tag, tag === undefined ? 16 : tag.length);
  }
}

const ALL = cases();
const skip = pycaSkip();

if (skip) {
  test('ciphers: coffer vs pyca', { skip }, () => {});
} else {
  describe(`ciphers: coffer vs pyca (seed ${SEED}, ${ALL.length} cases)`, () => {
    let expected: Array<{ ct: string; tag: string | null }> = [];
    before(() => {
      expected = runPython(PYTHON, ALL);
      assert.equal(expected.length, ALL.length);
    });
    ALL.forEach((c, i) => {
      test(`#${i} ${c.name}`, () => {
        const want = expected[i]!;
        const pt = hex(c.pt);
        const aad = hex(c.aad);
        const inputs = `inputs: ${JSON.stringify(c)}`;

        const enc = new Cipher(algorithmFor(c), modeFor(c)).encryptor();
        if (c.mode === 'GCM' && aad.length > 0)
          (enc as AEADEncryptionContext).authenticateAdditionalData(aad);
        // XTS takes its data unit whole; every other mode is split in two updates.
        const parts =
          c.mode === 'XTS'
            ? [enc.update(pt)]
            : [enc.update(pt.subarray(0, c.split)), enc.update(pt.subarray(c.split))];
        const ct = concat(...parts, enc.finalize());
        assert.equal(toHex(ct), want.ct, inputs);
        if (c.mode === 'GCM') assert.equal(toHex((enc as AEADEncryptionContext).tag), want.tag, inputs);

        // coffer decrypts pyca's ciphertext; GCM checks pyca's tag cut to c.tagLength bytes.
        const tag = want.tag === null ? undefined : hex(want.tag).subarray(0, c.tagLength);
        const dec = new Cipher(algorithmFor(c), modeFor(c, tag)).decryptor();
        if (c.mode === 'GCM' && aad.length > 0)
          (dec as AEADEncryptionContext).authenticateAdditionalData(aad);
        assert.equal(toHex(concat(dec.update(hex(want.ct)), dec.finalize())), c.pt, inputs);
      });
    });
  });
}
