// coffer/hazmat/decrepit: TripleDES, Blowfish, CAST5 and SEED. Known answers (test/vectors/
// decrepit-ciphers.json) and live interop with pyca for every algorithm × mode.
//
// Blowfish, CAST5 and SEED live in OpenSSL 3's "legacy" provider, which node loads only with
// --openssl-legacy-provider. Without it (the default on Node 20 and 24), this file checks that coffer
// says so with UnsupportedAlgorithm, then runs the same checks in a child node started with the flag:
// this file again, in child mode (COFFER_DECREPIT_CHILD=1), reading cases on stdin and writing results
// on stdout. If even that child cannot load them, the tests skip with the reason.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { UnsupportedAlgorithm } from '../../src/errors.ts';
import {
  CBC,
  Cipher,
  type CipherAlgorithm,
  CFB as CipherCFB,
  OFB as CipherOFB,
  ECB,
  type Mode,
} from '../../src/hazmat/ciphers.ts';
import { Blowfish, CAST5, CFB, CFB8, OFB, SEED, TripleDES } from '../../src/hazmat/decrepit.ts';
import { concat } from '../../src/internal/bytes.ts';
import { pycaSkip, runPython } from '../helpers/python.ts';
import { hex, loadOwnJson, toHex } from '../helpers/vectors.ts';

type AlgName = 'TripleDES' | 'Blowfish' | 'CAST5' | 'SEED';
type ModeName = 'CBC' | 'ECB' | 'OFB' | 'CFB' | 'CFB8';

/** One encryption to do: the child (or this process) encrypts, then decrypts its output back. */
interface Job {
  alg: AlgName;
  mode: ModeName;
  key: string;
  iv: string | null;
  pt: string;
}
interface JobResult {
  ct: string;
  back: string;
}

const CLASSES: Readonly<Record<AlgName, new (key: Uint8Array) => CipherAlgorithm>> = {
  TripleDES,
  Blowfish,
  CAST5,
  SEED,
};

function modeFor(name: ModeName, iv: Uint8Array): Mode {
  switch (name) {
    case 'CBC':
      return new CBC(iv);
    case 'ECB':
      return new ECB();
    case 'OFB':
      return new OFB(iv);
    case 'CFB':
      return new CFB(iv);
    case 'CFB8':
      return new CFB8(iv);
  }
}

function runJob(job: Job): JobResult {
  const cipher = new Cipher(new CLASSES[job.alg](hex(job.key)), modeFor(job.mode, hex(job.iv ?? '')));
  const pt = hex(job.pt);
  const enc = cipher.encryptor();
  const ct = concat(enc.update(pt), enc.finalize());
  const dec = cipher.decryptor();
  return { ct: toHex(ct), back: toHex(concat(dec.update(ct), dec.finalize())) };
}

// ---------------------------------------------------------------------------------------------------

const LEGACY: readonly AlgName[] = ['Blowfish', 'CAST5', 'SEED'];
const MODES: Readonly<Record<AlgName, readonly ModeName[]>> = {
  TripleDES: ['CBC', 'ECB', 'OFB', 'CFB', 'CFB8'],
  Blowfish: ['CBC', 'ECB', 'OFB', 'CFB'],
  CAST5: ['CBC', 'ECB', 'OFB', 'CFB'],
  SEED: ['CBC', 'ECB', 'OFB', 'CFB'],
};
const KEY_LENGTHS: Readonly<Record<AlgName, readonly number[]>> = {
  TripleDES: [24],
  Blowfish: [4, 5, 16, 32, 56],
  CAST5: [5, 10, 11, 16],
  SEED: [16],
};
const BLOCK: Readonly<Record<AlgName, number>> = { TripleDES: 8, Blowfish: 8, CAST5: 8, SEED: 16 };

const rand = (n: number) => toHex(new Uint8Array(randomBytes(n)));

/** Runs jobs here when this runtime offers the legacy ciphers, else in a child node with the flag. */
function runJobs(jobs: Job[]): { results: JobResult[] } | { skip: string } {
  const here = jobs.every((j) =>
    Cipher.isSupported(new CLASSES[j.alg](hex(j.key)), modeFor(j.mode, new Uint8Array(BLOCK[j.alg]))),
  );
  if (here) return { results: jobs.map(runJob) };
  const child = spawnSync(
    process.execPath,
    ['--openssl-legacy-provider', '--import', 'tsx', fileURLToPath(import.meta.url)],
    {
      input: JSON.stringify(jobs),
      encoding: 'utf8',
      env: { ...process.env, COFFER_DECREPIT_CHILD: '1' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (child.status !== 0) {
    const why =
      (child.stderr || String(child.error)).split('\n').find((l) => /Error|error/.test(l)) ??
      'no reason given';
    return { skip: `node --openssl-legacy-provider could not run the legacy ciphers: ${why}` };
  }
  return { results: JSON.parse(child.stdout) as JobResult[] };
}

function declareTests(): void {
  describe('algorithm objects', () => {
    test('names, block sizes and key sizes as pyca', () => {
      const t = new TripleDES(new Uint8Array(24));
      assert.deepEqual([t.name, t.blockSize, t.keySize, [...t.keySizes]], ['3DES', 64, 192, [192]]);
      const b = new Blowfish(new Uint8Array(7));
      assert.deepEqual([b.name, b.blockSize, b.keySize], ['Blowfish', 64, 56]);
      assert.equal(b.keySizes.size, 53);
      assert.ok(b.keySizes.has(32) && b.keySizes.has(448) && !b.keySizes.has(456));
      const c = new CAST5(new Uint8Array(5));
      assert.deepEqual(
        [c.name, c.blockSize, c.keySize, Math.min(...c.keySizes), Math.max(...c.keySizes)],
        ['CAST5', 64, 40, 40, 128],
      );
      const s = new SEED(new Uint8Array(16));
      assert.deepEqual([s.name, s.blockSize, s.keySize], ['SEED', 128, 128]);
    });

    test('key lengths are checked, labelled', () => {
      assert.throws(() => new TripleDES(new Uint8Array(16)), {
        name: 'RangeError',
        message: '"key" must be 24 bytes for 3DES, got 16',
      });
      assert.throws(() => new TripleDES(new Uint8Array(8)), RangeError);
      assert.throws(() => new Blowfish(new Uint8Array(3)), {
        message: '"key" must be between 4 and 56 bytes for Blowfish, got 3',
      });
      assert.throws(() => new Blowfish(new Uint8Array(57)), RangeError);
      assert.throws(() => new CAST5(new Uint8Array(4)), {
        message: '"key" must be between 5 and 16 bytes for CAST5, got 4',
      });
      assert.throws(() => new CAST5(new Uint8Array(17)), RangeError);
      assert.throws(() => new SEED(new Uint8Array(32)), RangeError);
      assert.throws(() => new SEED('0'.repeat(16) as never), { name: 'TypeError', message: /"key"/ });
    });

    test('keys never show', () => {
      const key = new Uint8Array(24).fill(0xc3);
      for (const text of [
        String(new TripleDES(key)),
        JSON.stringify(new TripleDES(key)),
        inspect(new TripleDES(key)),
      ]) {
        assert.ok(!/c3c3|195/.test(text), text);
      }
    });

    test('OFB, CFB and CFB8 here are the ciphers module’s (pyca 48 lists them in both)', () => {
      assert.equal(OFB, CipherOFB);
      assert.equal(CFB, CipherCFB);
    });

    test('pairs OpenSSL has no mode for are UnsupportedAlgorithm (3DES-CTR, Blowfish-CFB8, SEED-GCM)', async () => {
      const { CTR, GCM } = await import('../../src/hazmat/ciphers.ts');
      assert.throws(() => new Cipher(new TripleDES(new Uint8Array(24)), new CTR(new Uint8Array(8))), {
        name: 'UnsupportedAlgorithm',
        message: 'cipher 3DES in CTR mode is not supported',
      });
      assert.throws(
        () => new Cipher(new Blowfish(new Uint8Array(16)), new CFB8(new Uint8Array(8))),
        UnsupportedAlgorithm,
      );
      assert.throws(
        () => new Cipher(new SEED(new Uint8Array(16)), new GCM(new Uint8Array(12))),
        UnsupportedAlgorithm,
      );
    });

    test('IVs are one block: 8 bytes for the 64-bit ciphers', () => {
      assert.throws(() => new Cipher(new TripleDES(new Uint8Array(24)), new CBC(new Uint8Array(16))), {
        message: '"initializationVector" must be 8 bytes (the 3DES block size) for CBC, got 16',
      });
    });
  });

  describe('the legacy provider', () => {
    const offered = Cipher.isSupported(new Blowfish(new Uint8Array(16)), new CBC(new Uint8Array(8)));
    test(`without it, Blowfish, CAST5 and SEED raise UnsupportedAlgorithm naming the flag (OpenSSL ${process.versions.openssl})`, {
      skip: offered ? 'this process has the legacy provider loaded' : false,
    }, () => {
      for (const alg of [
        new Blowfish(new Uint8Array(16)),
        new CAST5(new Uint8Array(16)),
        new SEED(new Uint8Array(16)),
      ]) {
        const iv = new Uint8Array(alg.blockSize / 8);
        assert.equal(Cipher.isSupported(alg, new CBC(iv)), false);
        assert.throws(
          () => new Cipher(alg, new CBC(iv)),
          (err: unknown) => {
            assert.ok(err instanceof UnsupportedAlgorithm);
            assert.match(err.message, /legacy" provider/);
            assert.match(err.message, /--openssl-legacy-provider/);
            return true;
          },
        );
      }
    });
    test('TripleDES needs no legacy provider', () => {
      assert.ok(Cipher.isSupported(new TripleDES(new Uint8Array(24)), new CBC(new Uint8Array(8))));
    });
  });

  describe('known answers (test/vectors/decrepit-ciphers.json)', () => {
    const file = loadOwnJson<{
      cases: Array<{
        algorithm: AlgName;
        source: string;
        key: string;
        plaintext: string;
        ciphertext: string;
      }>;
    }>('decrepit-ciphers.json');
    const jobs: Job[] = file.cases.map((c) => ({
      alg: c.algorithm,
      mode: 'ECB',
      key: c.key,
      iv: null,
      pt: c.plaintext,
    }));
    let outcome: { results: JobResult[] } | { skip: string } = { skip: 'not run' };
    before(() => {
      outcome = runJobs(jobs);
    });
    file.cases.forEach((c, i) => {
      test(`${c.algorithm}: ${c.source}`, (t) => {
        if ('skip' in outcome) {
          if (!LEGACY.includes(c.algorithm)) assert.fail(outcome.skip);
          t.skip(outcome.skip);
          return;
        }
        const r = outcome.results[i]!;
        assert.equal(r.ct, c.ciphertext);
        assert.equal(r.back, c.plaintext);
      });
    });
  });

  const skip = pycaSkip();
  describe('interop with pyca: random keys, IVs and messages through every algorithm × mode', () => {
    const jobs: Job[] = [];
    for (const alg of ['TripleDES', ...LEGACY] as AlgName[]) {
      for (const mode of MODES[alg]) {
        for (const keyLength of KEY_LENGTHS[alg]) {
          const block = BLOCK[alg];
          const aligned = mode === 'CBC' || mode === 'ECB';
          const length = aligned ? block * (1 + (randomBytes(1)[0]! % 12)) : randomBytes(1)[0]! % 200;
          jobs.push({
            alg,
            mode,
            key: rand(keyLength),
            iv: mode === 'ECB' ? null : rand(block),
            pt: rand(length),
          });
        }
      }
    }
    let ours: { results: JobResult[] } | { skip: string } = { skip: 'not run' };
    let theirs: string[] = [];
    before(() => {
      if (skip) return;
      ours = runJobs(jobs);
      theirs = runPython<string[]>(
        `
import json, sys, warnings
warnings.simplefilter('ignore')
from cryptography.hazmat.primitives.ciphers import Cipher, modes
from cryptography.hazmat.decrepit.ciphers import algorithms as a, modes as dm
out = []
for j in json.load(sys.stdin):
    key = bytes.fromhex(j['key'])
    alg = {'TripleDES': a.TripleDES, 'Blowfish': a.Blowfish, 'CAST5': a.CAST5, 'SEED': a.SEED}[j['alg']](key)
    iv = None if j['iv'] is None else bytes.fromhex(j['iv'])
    mode = {'CBC': lambda: modes.CBC(iv), 'ECB': lambda: modes.ECB(), 'OFB': lambda: dm.OFB(iv),
            'CFB': lambda: dm.CFB(iv), 'CFB8': lambda: dm.CFB8(iv)}[j['mode']]()
    enc = Cipher(alg, mode).encryptor()
    out.append((enc.update(bytes.fromhex(j['pt'])) + enc.finalize()).hex())
json.dump(out, sys.stdout)
`,
        jobs,
      );
    });
    jobs.forEach((j, i) => {
      test(`${j.alg}-${j.mode} key ${j.key.length / 2} bytes, ${j.pt.length / 2} bytes`, (t) => {
        if (skip) {
          t.skip(skip);
          return;
        }
        if ('skip' in ours) {
          if (!LEGACY.includes(j.alg)) assert.fail(ours.skip);
          t.skip(ours.skip);
          return;
        }
        const r = ours.results[i]!;
        assert.equal(r.ct, theirs[i], `inputs: ${JSON.stringify(j)}`);
        assert.equal(r.back, j.pt);
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// Child mode: run the jobs on stdin, print the results, declare no tests.

if (process.env.COFFER_DECREPIT_CHILD === '1') {
  const jobs = JSON.parse(readFileSync(0, 'utf8')) as Job[];
  process.stdout.write(JSON.stringify(jobs.map(runJob)));
} else {
  declareTests();
}
