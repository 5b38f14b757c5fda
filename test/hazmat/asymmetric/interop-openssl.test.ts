// Live interop with the openssl CLI, both ways, for every key family coffer/hazmat/asymmetric offers:
//   - keys `openssl genpkey` makes, in every form openssl writes them (PKCS#8 PEM and DER, encrypted PKCS#8
//     under -v2 aes-256-cbc and under scrypt, traditional PEM, legacy encrypted PEM from `openssl rsa|ec
//     -aes256`, SPKI PEM and DER, PKCS#1 `RSA PUBLIC KEY`) load in coffer as the same key;
//   - keys coffer generates and writes, in every form it writes, load in `openssl pkey` as the same key;
//   - signatures (dgst -sign/-verify; pkeyutl -rawin for EdDSA; PSS through -sigopt), OAEP ciphertexts
//     (pkeyutl -encrypt/-decrypt) and ECDH/XDH secrets (pkeyutl -derive) agree in both directions.
// Keys and messages are fresh each run (openssl's and node:crypto's randomness); nothing here is a vector.
// Without an openssl binary the suite skips with a loud reason (and fails under CI=true).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { InvalidKey, InvalidSignature } from '../../../src/errors.ts';
import {
  BrainpoolP256R1,
  BrainpoolP384R1,
  ECDH,
  ECDSA,
  EllipticCurvePrivateKey,
  SECP256K1,
  SECP256R1,
  SECP384R1,
  SECP521R1,
} from '../../../src/hazmat/asymmetric/ec.ts';
import { Ed448PrivateKey } from '../../../src/hazmat/asymmetric/ed448.ts';
import { Ed25519PrivateKey } from '../../../src/hazmat/asymmetric/ed25519.ts';
import { MGF1, OAEP, PKCS1v15, PSS } from '../../../src/hazmat/asymmetric/padding.ts';
import { RSAPrivateKey, type RSAPublicKey } from '../../../src/hazmat/asymmetric/rsa.ts';
import { X448PrivateKey } from '../../../src/hazmat/asymmetric/x448.ts';
import { X25519PrivateKey } from '../../../src/hazmat/asymmetric/x25519.ts';
import { type HashAlgorithm, SHA256, SHA384, SHA512 } from '../../../src/hazmat/hashes.ts';
import {
  BestAvailableEncryption,
  Encoding,
  loadDerPrivateKey,
  loadDerPublicKey,
  loadPemPrivateKey,
  loadPemPublicKey,
  NoEncryption,
  PrivateFormat,
  PublicFormat,
} from '../../../src/hazmat/serialization.ts';
import { toolSkip } from '../../helpers/tools.ts';
import { toHex } from '../../helpers/vectors.ts';

const skip = toolSkip('openssl', 'openssl');
const PASSWORD = `pw-${randomBytes(6).toString('hex')}`;
const pw = new TextEncoder().encode(PASSWORD);

// The shapes every key class shares (coffer's classes differ only in sign/exchange arguments).
interface AnyPublic {
  publicBytes(encoding: string, format: string): string | Uint8Array;
  equals(other: unknown): boolean;
}
interface AnyPrivate {
  publicKey(): AnyPublic;
  privateBytes(encoding: string, format: string, encryption: unknown): string | Uint8Array;
}

let dir = '';
const path = (name: string) => join(dir, name);

/** Runs openssl; returns stdout (binary-safe), or throws with its stderr. */
function openssl(args: readonly string[], input?: Uint8Array): Buffer {
  const r = spawnSync('openssl', args, { cwd: dir, input });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
/** openssl's exit status only (for verify commands that must fail). */
function opensslStatus(args: readonly string[]): number | null {
  return spawnSync('openssl', args, { cwd: dir }).status;
}

const spkiDer = (key: AnyPublic) =>
  toHex(key.publicBytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo) as Uint8Array);

type Sig = { kind: 'eddsa' } | { kind: 'ecdsa'; hash: () => HashAlgorithm; dgst: string } | { kind: 'rsa' };

interface Family {
  label: string;
  file: string;
  genpkey: readonly string[];
  /** coffer's own generator, when coffer generates this family. */
  generate?: () => AnyPrivate;
  /** `openssl rsa` / `openssl ec`: traditional and legacy encrypted PEM exist. */
  legacy?: 'rsa' | 'ec';
  sig?: Sig;
  derive?: 'xdh' | 'ecdh';
}

const ec = (curve: () => unknown) => () =>
  EllipticCurvePrivateKey.generate(curve() as never) as unknown as AnyPrivate;

const FAMILIES: readonly Family[] = [
  {
    label: 'Ed25519',
    file: 'ed25519',
    genpkey: ['-algorithm', 'ed25519'],
    generate: () => Ed25519PrivateKey.generate() as unknown as AnyPrivate,
    sig: { kind: 'eddsa' },
  },
  {
    label: 'Ed448',
    file: 'ed448',
    genpkey: ['-algorithm', 'ed448'],
    generate: () => Ed448PrivateKey.generate() as unknown as AnyPrivate,
    sig: { kind: 'eddsa' },
  },
  {
    label: 'X25519',
    file: 'x25519',
    genpkey: ['-algorithm', 'x25519'],
    generate: () => X25519PrivateKey.generate() as unknown as AnyPrivate,
    derive: 'xdh',
  },
  {
    label: 'X448',
    file: 'x448',
    genpkey: ['-algorithm', 'x448'],
    generate: () => X448PrivateKey.generate() as unknown as AnyPrivate,
    derive: 'xdh',
  },
  ...(
    [
      ['P-256', 'prime256v1', () => new SECP256R1(), () => new SHA256(), 'sha256'],
      ['P-384', 'secp384r1', () => new SECP384R1(), () => new SHA384(), 'sha384'],
      ['P-521', 'secp521r1', () => new SECP521R1(), () => new SHA512(), 'sha512'],
      ['secp256k1', 'secp256k1', () => new SECP256K1(), () => new SHA256(), 'sha256'],
      ['brainpoolP256r1', 'brainpoolP256r1', () => new BrainpoolP256R1(), () => new SHA256(), 'sha256'],
      ['brainpoolP384r1', 'brainpoolP384r1', () => new BrainpoolP384R1(), () => new SHA384(), 'sha384'],
    ] as const
  ).map(
    ([label, curve, make, hash, dgst]): Family => ({
      label: `EC ${label}`,
      file: `ec-${curve}`,
      genpkey: [
        '-algorithm',
        'EC',
        '-pkeyopt',
        `ec_paramgen_curve:${curve}`,
        '-pkeyopt',
        'ec_param_enc:named_curve',
      ],
      generate: ec(make),
      legacy: 'ec',
      sig: { kind: 'ecdsa', hash, dgst },
      derive: 'ecdh',
    }),
  ),
  {
    label: 'RSA 2048',
    file: 'rsa',
    genpkey: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
    generate: () => RSAPrivateKey.generate({ publicExponent: 65537, keySize: 2048 }) as unknown as AnyPrivate,
    legacy: 'rsa',
    sig: { kind: 'rsa' },
  },
  {
    // An RSA-PSS key (id-RSASSA-PSS SPKI/PKCS#8): loads in coffer as an RSA key usable for PSS only.
    label: 'RSA-PSS 2048',
    file: 'rsapss',
    genpkey: ['-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048'],
    sig: { kind: 'rsa' },
  },
];

/** The ways openssl writes a private key, each with how coffer loads it. */
function opensslPrivateForms(f: Family): Array<{ form: string; load: () => unknown }> {
  const k = `${f.file}.pem`;
  const forms: Array<{ form: string; args: string[]; load: (file: string) => unknown }> = [
    { form: 'PKCS#8 PEM (genpkey)', args: [], load: (x) => loadPemPrivateKey(readFileSync(x, 'utf8')) },
    {
      form: 'PKCS#8 DER',
      args: ['pkey', '-in', k, '-outform', 'DER'],
      load: (x) => loadDerPrivateKey(readFileSync(x)),
    },
    {
      form: 'PKCS#8 PEM via pkcs8 -topk8 -nocrypt',
      args: ['pkcs8', '-topk8', '-nocrypt', '-in', k],
      load: (x) => loadPemPrivateKey(readFileSync(x, 'utf8')),
    },
    {
      form: 'encrypted PKCS#8 PEM (-v2 aes-256-cbc)',
      args: ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-in', k, '-passout', `pass:${PASSWORD}`],
      load: (x) => loadPemPrivateKey(readFileSync(x, 'utf8'), pw),
    },
    {
      form: 'encrypted PKCS#8 DER (-v2 aes-256-cbc)',
      args: [
        'pkcs8',
        '-topk8',
        '-v2',
        'aes-256-cbc',
        '-outform',
        'DER',
        '-in',
        k,
        '-passout',
        `pass:${PASSWORD}`,
      ],
      load: (x) => loadDerPrivateKey(readFileSync(x), pw),
    },
    {
      form: 'encrypted PKCS#8 PEM (-scrypt)',
      args: ['pkcs8', '-topk8', '-scrypt', '-in', k, '-passout', `pass:${PASSWORD}`],
      load: (x) => loadPemPrivateKey(readFileSync(x, 'utf8'), pw),
    },
  ];
  if (f.legacy) {
    forms.push(
      {
        form: `traditional PEM (pkey -traditional)`,
        args: ['pkey', '-in', k, '-traditional'],
        load: (x) => loadPemPrivateKey(readFileSync(x, 'utf8')),
      },
      {
        form: `legacy encrypted PEM (openssl ${f.legacy} -aes256)`,
        args: [f.legacy, '-in', k, '-aes256', '-passout', `pass:${PASSWORD}`],
        load: (x) => loadPemPrivateKey(readFileSync(x, 'utf8'), pw),
      },
    );
  }
  return forms.map(({ form, args, load }, i) => {
    const out = args.length === 0 ? k : `${f.file}.form${i}`;
    return {
      form,
      load: () => {
        if (args.length > 0) writeFileSync(path(out), openssl(args));
        return load(path(out));
      },
    };
  });
}

/** coffer signs `msg` with `key` for this family. */
function cofferSign(f: Family, key: unknown, msg: Uint8Array, pss: boolean): Uint8Array {
  const sig = f.sig!;
  const k = key as { sign(...args: unknown[]): Uint8Array };
  if (sig.kind === 'eddsa') return k.sign(msg);
  if (sig.kind === 'ecdsa') return k.sign(msg, new ECDSA(sig.hash()));
  return pss
    ? k.sign(msg, new PSS({ mgf: new MGF1(new SHA256()), saltLength: 32 }), new SHA256())
    : k.sign(msg, new PKCS1v15(), new SHA256());
}
function cofferVerify(f: Family, pub: unknown, sig: Uint8Array, msg: Uint8Array, pss: boolean): void {
  const s = f.sig!;
  const k = pub as { verify(...args: unknown[]): void };
  if (s.kind === 'eddsa') k.verify(sig, msg);
  else if (s.kind === 'ecdsa') k.verify(sig, msg, new ECDSA(s.hash()));
  else if (pss) k.verify(sig, msg, new PSS({ mgf: new MGF1(new SHA256()), saltLength: 32 }), new SHA256());
  else k.verify(sig, msg, new PKCS1v15(), new SHA256());
}
const PSS_OPTS = ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'];
/** openssl's sign command for this family: key file, message file → signature bytes. */
function opensslSign(f: Family, keyFile: string, msgFile: string, pss: boolean): Buffer {
  const s = f.sig!;
  if (s.kind === 'eddsa') return openssl(['pkeyutl', '-sign', '-inkey', keyFile, '-rawin', '-in', msgFile]);
  const dgst = s.kind === 'ecdsa' ? s.dgst : 'sha256';
  return openssl(['dgst', `-${dgst}`, '-sign', keyFile, ...(pss ? PSS_OPTS : []), msgFile]);
}
function opensslVerifyArgs(
  f: Family,
  pubFile: string,
  msgFile: string,
  sigFile: string,
  pss: boolean,
): string[] {
  const s = f.sig!;
  if (s.kind === 'eddsa') {
    return ['pkeyutl', '-verify', '-pubin', '-inkey', pubFile, '-rawin', '-in', msgFile, '-sigfile', sigFile];
  }
  const dgst = s.kind === 'ecdsa' ? s.dgst : 'sha256';
  return ['dgst', `-${dgst}`, '-verify', pubFile, ...(pss ? PSS_OPTS : []), '-signature', sigFile, msgFile];
}

describe('openssl CLI interop', { skip }, () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'coffer-openssl-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const f of FAMILIES) {
    describe(f.label, () => {
      const k = `${f.file}.pem`;
      const pubPem = `${f.file}.pub.pem`;
      let expectedSpki = '';
      before(() => {
        writeFileSync(path(k), openssl(['genpkey', ...f.genpkey]));
        writeFileSync(path(pubPem), openssl(['pkey', '-in', k, '-pubout']));
        expectedSpki = openssl(['pkey', '-in', k, '-pubout', '-outform', 'DER']).toString('hex');
      });

      // openssl → coffer: private keys in every form.
      for (const { form, load } of opensslPrivateForms(f)) {
        test(`openssl ${form} loads in coffer as the same key`, () => {
          const key = load() as AnyPrivate;
          assert.equal(spkiDer(key.publicKey()), expectedSpki);
        });
      }

      test('openssl public keys (SPKI PEM and DER) load in coffer', () => {
        const pem = loadPemPublicKey(readFileSync(path(pubPem), 'utf8')) as unknown as AnyPublic;
        assert.equal(spkiDer(pem), expectedSpki);
        const der = loadDerPublicKey(Buffer.from(expectedSpki, 'hex')) as unknown as AnyPublic;
        assert.ok(der.equals(pem));
        if (f.legacy === 'rsa') {
          const pkcs1 = openssl(['rsa', '-in', k, '-RSAPublicKey_out']).toString('utf8');
          assert.match(pkcs1, /BEGIN RSA PUBLIC KEY/);
          assert.ok((loadPemPublicKey(pkcs1) as unknown as AnyPublic).equals(pem));
        }
      });

      test('encrypted openssl keys: wrong passphrase is InvalidKey, missing passphrase is a TypeError', () => {
        const enc = openssl([
          'pkcs8',
          '-topk8',
          '-v2',
          'aes-256-cbc',
          '-in',
          k,
          '-passout',
          `pass:${PASSWORD}`,
        ]);
        const text = enc.toString('utf8');
        assert.throws(() => loadPemPrivateKey(text, new TextEncoder().encode(`${PASSWORD}x`)), InvalidKey);
        assert.throws(() => loadPemPrivateKey(text), TypeError);
        assert.throws(() => loadPemPrivateKey(readFileSync(path(k), 'utf8'), pw), TypeError);
        if (f.legacy) {
          const legacy = openssl([f.legacy, '-in', k, '-aes256', '-passout', `pass:${PASSWORD}`]).toString();
          assert.throws(() => loadPemPrivateKey(legacy, new TextEncoder().encode('wrong')), InvalidKey);
          assert.throws(() => loadPemPrivateKey(legacy), TypeError);
        }
      });

      // coffer → openssl: every form coffer writes.
      if (f.generate) {
        test('coffer-written private keys load in openssl pkey as the same key', () => {
          const key = f.generate!();
          const spki = spkiDer(key.publicKey());
          const writes: Array<[string, string | Uint8Array, string[]]> = [
            ['PKCS#8 PEM', key.privateBytes(Encoding.PEM, PrivateFormat.PKCS8, new NoEncryption()), []],
            [
              'PKCS#8 DER',
              key.privateBytes(Encoding.DER, PrivateFormat.PKCS8, new NoEncryption()),
              ['-inform', 'DER'],
            ],
            [
              'encrypted PKCS#8 PEM',
              key.privateBytes(Encoding.PEM, PrivateFormat.PKCS8, new BestAvailableEncryption(pw)),
              ['-passin', `pass:${PASSWORD}`],
            ],
            [
              'encrypted PKCS#8 DER',
              key.privateBytes(Encoding.DER, PrivateFormat.PKCS8, new BestAvailableEncryption(pw)),
              ['-inform', 'DER', '-passin', `pass:${PASSWORD}`],
            ],
          ];
          if (f.legacy) {
            writes.push([
              'traditional PEM',
              key.privateBytes(Encoding.PEM, PrivateFormat.TraditionalOpenSSL, new NoEncryption()),
              [],
            ]);
          }
          for (const [form, data, args] of writes) {
            const file = path(`${f.file}.coffer.${form.replace(/\W+/g, '_')}`);
            writeFileSync(file, data);
            if (typeof data === 'string' && form.startsWith('encrypted')) {
              assert.match(data, /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
            }
            openssl(['pkey', '-in', file, '-noout', ...args]);
            const out = openssl(['pkey', '-in', file, ...args, '-pubout', '-outform', 'DER']).toString('hex');
            assert.equal(out, spki, `${form}: openssl reads the same key`);
          }
          // openssl must refuse the encrypted ones under a wrong passphrase (it is really encrypted).
          const enc = path(`${f.file}.coffer.encrypted_PKCS_8_PEM`);
          assert.notEqual(opensslStatus(['pkey', '-in', enc, '-noout', '-passin', 'pass:wrong']), 0);
          // The encrypted PKCS#8 uses PBES2 with AES-256-CBC, as the design says.
          const parsed = openssl(['asn1parse', '-in', enc]).toString();
          assert.match(parsed, /PBES2/);
          assert.match(parsed, /aes-256-cbc/);
        });

        test('coffer-written public keys load in openssl', () => {
          const pub = f.generate!().publicKey();
          const pem = pub.publicBytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo) as string;
          assert.match(pem, /^-----BEGIN PUBLIC KEY-----\n/);
          writeFileSync(path(`${f.file}.cpub.pem`), pem);
          writeFileSync(
            path(`${f.file}.cpub.der`),
            pub.publicBytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo),
          );
          const spki = spkiDer(pub);
          for (const args of [
            ['-in', `${f.file}.cpub.pem`],
            ['-inform', 'DER', '-in', `${f.file}.cpub.der`],
          ]) {
            assert.equal(openssl(['pkey', '-pubin', ...args, '-outform', 'DER']).toString('hex'), spki);
          }
          if (f.legacy === 'rsa') {
            const pkcs1 = pub.publicBytes(Encoding.PEM, PublicFormat.PKCS1) as string;
            assert.match(pkcs1, /^-----BEGIN RSA PUBLIC KEY-----\n/);
            writeFileSync(path('rsa.cpub1.pem'), pkcs1);
            const back = openssl([
              'rsa',
              '-RSAPublicKey_in',
              '-in',
              'rsa.cpub1.pem',
              '-pubout',
              '-outform',
              'DER',
            ]);
            assert.equal(back.toString('hex'), spki);
          }
        });
      }

      if (f.sig) {
        const variants = f.sig.kind === 'rsa' ? (f.file === 'rsapss' ? [true] : [false, true]) : [false];
        for (const pss of variants) {
          const what = f.sig.kind === 'rsa' ? (pss ? ' (PSS, salt 32)' : ' (PKCS#1 v1.5)') : '';
          test(`signatures${what}: openssl signs, coffer verifies; coffer signs, openssl verifies`, () => {
            const msg = new Uint8Array(randomBytes(1 + (randomBytes(1)[0] ?? 0)));
            writeFileSync(path('msg'), msg);
            const priv = loadPemPrivateKey(readFileSync(path(k), 'utf8'));
            const pub = loadPemPublicKey(readFileSync(path(pubPem), 'utf8'));
            // openssl → coffer
            const theirs = new Uint8Array(opensslSign(f, k, 'msg', pss));
            cofferVerify(f, pub, theirs, msg, pss);
            const tampered = msg.slice();
            tampered[0] = (tampered[0] ?? 0) ^ 1;
            assert.throws(() => cofferVerify(f, pub, theirs, tampered, pss), InvalidSignature);
            // coffer → openssl
            const mine = cofferSign(f, priv, msg, pss);
            writeFileSync(path('sig'), mine);
            openssl(opensslVerifyArgs(f, pubPem, 'msg', 'sig', pss));
            writeFileSync(path('msg2'), tampered);
            assert.notEqual(opensslStatus(opensslVerifyArgs(f, pubPem, 'msg2', 'sig', pss)), 0);
          });
        }
      }

      if (f.legacy === 'rsa') {
        for (const [label, hashName, make] of [
          ['SHA-256, no label', 'sha256', () => new SHA256()],
          ['SHA-512 with a label', 'sha512', () => new SHA512()],
        ] as const) {
          test(`OAEP (${label}): openssl encrypts, coffer decrypts; coffer encrypts, openssl decrypts`, () => {
            const withLabel = label.includes('with');
            const lbl = new Uint8Array(randomBytes(12));
            const opts = [
              '-pkeyopt',
              'rsa_padding_mode:oaep',
              '-pkeyopt',
              `rsa_oaep_md:${hashName}`,
              '-pkeyopt',
              `rsa_mgf1_md:${hashName}`,
              ...(withLabel ? ['-pkeyopt', `rsa_oaep_label:${toHex(lbl)}`] : []),
            ];
            const padding = () =>
              new OAEP({ mgf: new MGF1(make()), algorithm: make(), ...(withLabel ? { label: lbl } : {}) });
            const msg = new Uint8Array(randomBytes(40));
            writeFileSync(path('pt'), msg);
            const priv = loadPemPrivateKey(readFileSync(path(k), 'utf8')) as RSAPrivateKey;
            const pub = loadPemPublicKey(readFileSync(path(pubPem), 'utf8')) as RSAPublicKey;
            const ct = openssl(['pkeyutl', '-encrypt', '-pubin', '-inkey', pubPem, '-in', 'pt', ...opts]);
            assert.equal(toHex(priv.decrypt(new Uint8Array(ct), padding())), toHex(msg));
            writeFileSync(path('ct'), pub.encrypt(msg, padding()));
            const pt = openssl(['pkeyutl', '-decrypt', '-inkey', k, '-in', 'ct', ...opts]);
            assert.equal(pt.toString('hex'), toHex(msg));
          });
        }
      }

      if (f.derive && f.generate) {
        test('key agreement: openssl pkeyutl -derive and coffer exchange agree, both ways', () => {
          const mine = f.generate!();
          writeFileSync(
            path(`${f.file}.mine.pub.pem`),
            mine.publicKey().publicBytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo),
          );
          const theirs = loadPemPrivateKey(readFileSync(path(k), 'utf8'));
          const theirPub = loadPemPublicKey(readFileSync(path(pubPem), 'utf8'));
          const exchange = (a: unknown, b: unknown) =>
            f.derive === 'ecdh'
              ? (a as { exchange(e: ECDH, p: unknown): Uint8Array }).exchange(new ECDH(), b)
              : (a as { exchange(p: unknown): Uint8Array }).exchange(b);
          const fromOpenssl = openssl([
            'pkeyutl',
            '-derive',
            '-inkey',
            k,
            '-peerkey',
            `${f.file}.mine.pub.pem`,
          ]);
          assert.equal(toHex(exchange(mine, theirPub)), fromOpenssl.toString('hex'));
          assert.equal(toHex(exchange(theirs, mine.publicKey())), fromOpenssl.toString('hex'));
          // coffer's private key through its own PKCS#8 into openssl's -derive.
          writeFileSync(
            path(`${f.file}.mine.pem`),
            mine.privateBytes(Encoding.PEM, PrivateFormat.PKCS8, new NoEncryption()),
          );
          const back = openssl(['pkeyutl', '-derive', '-inkey', `${f.file}.mine.pem`, '-peerkey', pubPem]);
          assert.equal(back.toString('hex'), fromOpenssl.toString('hex'));
        });
      }
    });
  }
});
