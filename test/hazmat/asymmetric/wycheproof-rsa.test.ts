// Wycheproof RSA suites for coffer/hazmat/asymmetric/rsa, read in place from the shared vectors. One test
// per tcId, named by file and tcId; each file's describe name carries its counts and its last test reports
// how the `acceptable` vectors came out. Per family:
//
// rsa_signature_*  PKCS#1 v1.5 verify with the group's key loaded by loadDerPublicKey (SPKI). A group test
//                  loads the same key through loadPemPublicKey, an `RSA PUBLIC KEY` PEM of publicKeyAsn
//                  (PKCS#1) and loadJwk, and checks publicNumbers(). Every invalid vector must throw
//                  InvalidSignature. Acceptable: MissingNull (a DigestInfo without the NULL parameter, which
//                  RFC 8017 §9.2 note 2 allows verifiers to accept): exact verify or InvalidSignature.
// rsa_pkcs1_*_sig_gen  PKCS#1 v1.5 signing is deterministic: coffer's signature must equal the vector's, and
//                  verify under the public key. The private key is loaded from the traditional PEM
//                  (`RSA PRIVATE KEY`), and a group test checks that the PKCS#8 DER and the JWK give the
//                  same key. Acceptable: WeakHash (SHA-1) and SmallPublicKey (e = 3): exact or refused.
// rsa_pss_*        PSS verify with MGF1(mgfSha) and the explicit salt length sLen. In *_params files the key
//                  is an id-RSASSA-PSS SPKI carrying its parameters; coffer must load it (OpenSSL's rsa-pss
//                  key type) and verify with the matching parameters. The SHAKE files (RFC 8702: SHAKE as
//                  the hash and as the mask generator, no MGF1) cannot be expressed with coffer's PSS, which
//                  like pyca's takes MGF1 only: every vector there, valid or not, must be refused with a typed
//                  error (UnsupportedAlgorithm or TypeError), never accepted. They are counted in the summary.
//                  Where the MGF1 hash differs from the PSS hash (mgf1sha1 with SHA-256, and a _params
//                  file), node:crypto has no way to ask for it, so coffer may answer UnsupportedAlgorithm:
//                  such refusals are tallied in the summary (as for OAEP below).
// rsa_oaep_*       OAEP decrypt with the private key loaded by loadPemPrivateKey (PKCS#8); a group test checks
//                  the PKCS#8 DER and the JWK (where present). Every invalid ciphertext must throw the one
//                  opaque DecodeError('decryption failed'), the same message whatever the cause. Files whose
//                  MGF1 hash differs from the OAEP hash (SHA-1 MGF1 with SHA-256/384/512: Java's default
//                  OAEPWithSHA-256AndMGF1Padding) need a knob node:crypto lacks: coffer may refuse them with
//                  UnsupportedAlgorithm, tallied in the summary; anything else is checked as usual.
// rsa_pkcs1_<n>_test  PKCS#1 v1.5 decryption (legacy). Node 20 refuses it outright (CVE-2023-46809) unless
//                  OpenSSL has implicit rejection; then coffer must throw UnsupportedAlgorithm for every
//                  valid vector (a malformed ciphertext may meet the opaque DecodeError first). Where the runtime allows it (implicit rejection, OpenSSL >= 3.2), a valid vector
//                  must decrypt exactly and an invalid one must either throw DecodeError or return a
//                  synthetic message that is not the vector's plaintext (that is what implicit rejection
//                  is: no error to observe).
import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, privateDecrypt, publicEncrypt } from 'node:crypto';
import { test } from 'node:test';
import { DecodeError, InvalidSignature, UnsupportedAlgorithm } from '../../../src/errors.ts';
import { MGF1, OAEP, PKCS1v15, PSS } from '../../../src/hazmat/asymmetric/padding.ts';
import { RSAPrivateKey, RSAPublicKey } from '../../../src/hazmat/asymmetric/rsa.ts';
import {
  loadDerPrivateKey,
  loadDerPublicKey,
  loadJwk,
  loadPemPrivateKey,
  loadPemPublicKey,
} from '../../../src/hazmat/serialization.ts';
import { hex, toHex } from '../../helpers/vectors.ts';
import {
  acceptable,
  assertTypedRefusal,
  attempt,
  bigFromHex,
  describeError,
  hashFor,
  type Tally,
  type Vector,
  why,
  wycheproofSuite,
} from './wycheproof-common.ts';

const isInvalidSignature = (err: unknown) => {
  assert.ok(err instanceof InvalidSignature, `expected InvalidSignature, got ${describeError(err)}`);
  assert.equal(err.message, new InvalidSignature().message);
  return true;
};
const OPAQUE = 'decryption failed';
const isOpaqueDecodeError = (err: unknown) => {
  assert.ok(err instanceof DecodeError, `expected DecodeError, got ${describeError(err)}`);
  assert.equal(err.message, OPAQUE);
  assert.equal(err.cause, undefined);
  return true;
};

const pem = (label: string, der: Uint8Array) => {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64.replace(/\n$/, '')}\n-----END ${label}-----\n`;
};

interface RsaPublicNumbersHex {
  modulus: string;
  publicExponent: string;
}

function checkPublicRoutes(
  key: RSAPublicKey,
  routes: ReadonlyArray<readonly [string, () => unknown]>,
  numbers: RsaPublicNumbersHex,
): void {
  assert.ok(key instanceof RSAPublicKey);
  const n = key.publicNumbers();
  assert.equal(n.n, bigFromHex(numbers.modulus));
  assert.equal(n.e, bigFromHex(numbers.publicExponent));
  for (const [how, load] of routes) {
    assert.ok(key.equals(load() as RSAPublicKey), `${how} loads the same key`);
  }
}

/**
 * MGF1 over a different hash than the PSS/OAEP hash (Java's default OAEP is SHA-256 with MGF1-SHA-1):
 * node:crypto has no option for it, so coffer may refuse these with UnsupportedAlgorithm. When it does, the
 * refusal is tallied (and shown in the summary) and the vector ends there; when it does not, the vector is
 * checked like any other. Returns whether coffer refused.
 */
function refusedMixedHash(tally: Tally, t: Vector, run: () => unknown): boolean {
  const r = attempt(run);
  if (r.ok || !(r.error instanceof UnsupportedAlgorithm)) return false;
  acceptable(tally, `MGF1 hash differs (${t.result}): UnsupportedAlgorithm`, () => {
    throw r.error;
  });
  return true;
}

// PKCS#1 v1.5 signatures --------------------------------------------------------------------------------

interface SigVector extends Vector {
  msg: string;
  sig: string;
}
interface SigGroup {
  publicKey: RsaPublicNumbersHex;
  publicKeyDer: string;
  publicKeyPem: string;
  publicKeyAsn: string;
  publicKeyJwk?: Record<string, string>;
  keyJwk?: Record<string, string>;
  sha: string;
  tests: SigVector[];
}

function rsaSignatureFile(file: string, expectedCount: number): void {
  wycheproofSuite<SigGroup, SigVector, RSAPublicKey>(file, {
    expectedCount,
    groupTest: (g) => {
      const key = loadDerPublicKey(hex(g.publicKeyDer)) as RSAPublicKey;
      const jwk = g.keyJwk ?? g.publicKeyJwk;
      checkPublicRoutes(
        key,
        [
          ['PEM', () => loadPemPublicKey(g.publicKeyPem)],
          ['RSA PUBLIC KEY PEM', () => loadPemPublicKey(pem('RSA PUBLIC KEY', hex(g.publicKeyAsn)))],
          ...(jwk ? [['JWK', () => loadJwk(jwk)] as const] : []),
        ],
        g.publicKey,
      );
    },
    group: (g) => loadDerPublicKey(hex(g.publicKeyDer)) as RSAPublicKey,
    vector: (key, t, g, tally) => {
      const verify = () => key.verify(hex(t.sig), hex(t.msg), new PKCS1v15(), hashFor(g.sha));
      if (t.result === 'valid') verify();
      else if (t.result === 'invalid') assert.throws(verify, isInvalidSignature);
      else acceptable(tally, why(t), verify);
    },
  });
}

for (const bits of [2048, 3072, 4096]) {
  for (const [sha, count] of [
    [256, { 2048: 259, 3072: 259, 4096: 258 }],
    [384, { 2048: 258, 3072: 259, 4096: 259 }],
    [512, { 2048: 259, 3072: 260, 4096: 259 }],
  ] as const) {
    rsaSignatureFile(`rsa_signature_${bits}_sha${sha}_test.json`, count[bits as 2048 | 3072 | 4096]);
  }
}

// PKCS#1 v1.5 signature generation -----------------------------------------------------------------------

interface SigGenGroup {
  privateKeyPem: string;
  privateKeyPkcs8: string;
  privateKeyJwk?: Record<string, string>;
  keyDer: string;
  keyPem: string;
  keyJwk?: Record<string, string>;
  sha: string;
  tests: SigVector[];
}

function sigGenFile(file: string, expectedCount: number): void {
  wycheproofSuite<SigGenGroup, SigVector, { priv: RSAPrivateKey; pub: RSAPublicKey } | { error: unknown }>(
    file,
    {
      expectedCount,
      groupTest: (g) => {
        const priv = loadPemPrivateKey(g.privateKeyPem) as RSAPrivateKey;
        assert.ok(priv instanceof RSAPrivateKey);
        const pub = priv.publicKey();
        for (const [how, load] of [
          ['PKCS#8 DER', () => (loadDerPrivateKey(hex(g.privateKeyPkcs8)) as RSAPrivateKey).publicKey()],
          ['SPKI DER', () => loadDerPublicKey(hex(g.keyDer))],
          ['SPKI PEM', () => loadPemPublicKey(g.keyPem)],
          ...(g.privateKeyJwk
            ? [['private JWK', () => (loadJwk(g.privateKeyJwk!) as RSAPrivateKey).publicKey()] as const]
            : []),
        ] as const) {
          assert.ok(pub.equals(load() as RSAPublicKey), `${how} loads the same key`);
        }
      },
      // Keys with e = 3 or a small modulus may be refused at load: the vectors' `acceptable` then holds.
      group: (g) => {
        const r = attempt(() => {
          const priv = loadPemPrivateKey(g.privateKeyPem) as RSAPrivateKey;
          return { priv, pub: priv.publicKey() };
        });
        return r.ok ? r.value : { error: r.error };
      },
      vector: (ctx, t, g, tally) => {
        const run = () => {
          if ('error' in ctx) throw ctx.error;
          const sig = ctx.priv.sign(hex(t.msg), new PKCS1v15(), hashFor(g.sha));
          assert.equal(toHex(sig), t.sig);
          ctx.pub.verify(sig, hex(t.msg), new PKCS1v15(), hashFor(g.sha));
        };
        if (t.result === 'valid') run();
        else if (t.result === 'acceptable') acceptable(tally, why(t), run);
        else assert.fail('no invalid signature-generation vectors are expected');
      },
    },
  );
}

sigGenFile('rsa_pkcs1_2048_sig_gen_test.json', 43);
sigGenFile('rsa_pkcs1_3072_sig_gen_test.json', 26);
sigGenFile('rsa_pkcs1_4096_sig_gen_test.json', 24);

// PSS ---------------------------------------------------------------------------------------------------

interface PssGroup extends SigGroup {
  mgf: string;
  mgfSha: string;
  sLen: number;
}

function pssFile(file: string, expectedCount: number): void {
  const shake = file.includes('shake');
  wycheproofSuite<PssGroup, SigVector, RSAPublicKey>(file, {
    expectedCount,
    note: shake
      ? 'RFC 8702 SHAKE PSS has no MGF1 and is not expressible with coffer PSS: every vector refused'
      : undefined,
    groupTest: (g) => {
      const key = loadDerPublicKey(hex(g.publicKeyDer)) as RSAPublicKey;
      checkPublicRoutes(
        key,
        [
          ['PEM', () => loadPemPublicKey(g.publicKeyPem)],
          ...(g.publicKeyJwk ? [['JWK', () => loadJwk(g.publicKeyJwk!)] as const] : []),
        ],
        g.publicKey,
      );
    },
    group: (g) => loadDerPublicKey(hex(g.publicKeyDer)) as RSAPublicKey,
    vector: (key, t, g, tally) => {
      if (shake) {
        assert.equal(g.mgf, g.sha);
        const r = attempt(() => {
          const h = hashFor(g.sha);
          const padding = new PSS({ mgf: new MGF1(h), saltLength: g.sLen });
          key.verify(hex(t.sig), hex(t.msg), padding, h);
        });
        assert.ok(!r.ok, 'coffer has no RFC 8702 SHAKE PSS: MGF1(SHAKE) must not verify these');
        assertTypedRefusal(r.error);
        acceptable(tally, `SHAKE PSS ${t.result} (unsupported)`, () => {
          throw r.error;
        });
        return;
      }
      assert.equal(g.mgf, 'MGF1');
      const verify = () =>
        key.verify(
          hex(t.sig),
          hex(t.msg),
          new PSS({ mgf: new MGF1(hashFor(g.mgfSha)), saltLength: g.sLen }),
          hashFor(g.sha),
        );
      if (g.mgfSha !== g.sha && refusedMixedHash(tally, t, verify)) return;
      if (t.result === 'valid') verify();
      else if (t.result === 'invalid') assert.throws(verify, isInvalidSignature);
      else acceptable(tally, why(t), verify);
    },
  });
}

for (const [file, count] of [
  ['rsa_pss_2048_sha1_mgf1_20_params_test.json', 88],
  ['rsa_pss_2048_sha1_mgf1_20_test.json', 88],
  ['rsa_pss_2048_sha256_mgf1_0_params_test.json', 103],
  ['rsa_pss_2048_sha256_mgf1_0_test.json', 103],
  ['rsa_pss_2048_sha256_mgf1_32_params_test.json', 108],
  ['rsa_pss_2048_sha256_mgf1_32_test.json', 108],
  ['rsa_pss_2048_sha256_mgf1sha1_20_test.json', 108],
  ['rsa_pss_2048_sha384_mgf1_48_test.json', 141],
  ['rsa_pss_2048_sha512_224_mgf1_28_test.json', 100],
  ['rsa_pss_2048_sha512_256_mgf1_32_test.json', 115],
  ['rsa_pss_2048_sha512_mgf1sha256_32_params_test.json', 178],
  ['rsa_pss_2048_shake128_test.json', 114],
  ['rsa_pss_2048_shake256_test.json', 184],
  ['rsa_pss_3072_sha256_mgf1_32_params_test.json', 108],
  ['rsa_pss_3072_sha256_mgf1_32_test.json', 108],
  ['rsa_pss_3072_shake128_test.json', 114],
  ['rsa_pss_3072_shake256_test.json', 184],
  ['rsa_pss_4096_sha256_mgf1_32_test.json', 108],
  ['rsa_pss_4096_sha384_mgf1_48_test.json', 141],
  ['rsa_pss_4096_sha512_mgf1_32_params_test.json', 177],
  ['rsa_pss_4096_sha512_mgf1_32_test.json', 177],
  ['rsa_pss_4096_sha512_mgf1_64_params_test.json', 179],
  ['rsa_pss_4096_sha512_mgf1_64_test.json', 179],
  ['rsa_pss_4096_shake256_test.json', 184],
] as const) {
  pssFile(file, count);
}

// OAEP --------------------------------------------------------------------------------------------------

interface DecryptVector extends Vector {
  msg: string;
  ct: string;
  label?: string;
}
interface DecryptGroup {
  privateKeyPem: string;
  privateKeyPkcs8: string;
  privateKeyJwk?: Record<string, string>;
  sha?: string;
  mgfSha?: string;
  tests: DecryptVector[];
}

function privateRoutesAgree(g: DecryptGroup): void {
  const priv = loadPemPrivateKey(g.privateKeyPem) as RSAPrivateKey;
  assert.ok(priv instanceof RSAPrivateKey);
  const pub = priv.publicKey();
  const der = loadDerPrivateKey(hex(g.privateKeyPkcs8)) as RSAPrivateKey;
  assert.ok(pub.equals(der.publicKey()), 'PKCS#8 DER loads the same key');
  if (g.privateKeyJwk) {
    const jwk = loadJwk(g.privateKeyJwk) as RSAPrivateKey;
    assert.ok(pub.equals(jwk.publicKey()), 'the JWK loads the same key');
  }
}

function oaepFile(file: string, expectedCount: number): void {
  wycheproofSuite<DecryptGroup, DecryptVector, RSAPrivateKey>(file, {
    expectedCount,
    groupTest: privateRoutesAgree,
    group: (g) => loadPemPrivateKey(g.privateKeyPem) as RSAPrivateKey,
    vector: (priv, t, g, tally) => {
      const padding = new OAEP({
        mgf: new MGF1(hashFor(g.mgfSha!)),
        algorithm: hashFor(g.sha!),
        ...(t.label ? { label: hex(t.label) } : {}),
      });
      const decrypt = () => toHex(priv.decrypt(hex(t.ct), padding));
      if (g.mgfSha !== g.sha && refusedMixedHash(tally, t, decrypt)) return;
      if (t.result === 'valid') assert.equal(decrypt(), t.msg);
      else if (t.result === 'invalid') assert.throws(decrypt, isOpaqueDecodeError);
      else assert.fail('no acceptable OAEP vectors are expected');
    },
  });
}

for (const [bits, sha, mgf, count] of [
  [2048, 256, 1, 31],
  [2048, 256, 256, 37],
  [2048, 384, 1, 31],
  [2048, 384, 384, 34],
  [2048, 512, 1, 31],
  [2048, 512, 512, 33],
  [3072, 256, 1, 32],
  [3072, 256, 256, 37],
  [3072, 512, 1, 31],
  [3072, 512, 512, 33],
  [4096, 256, 1, 32],
  [4096, 256, 256, 37],
  [4096, 512, 1, 31],
  [4096, 512, 512, 36],
] as const) {
  oaepFile(`rsa_oaep_${bits}_sha${sha}_mgf1sha${mgf}_test.json`, count);
}

// PKCS#1 v1.5 decryption (legacy) -----------------------------------------------------------------------

/** Whether this runtime lets OpenSSL do PKCS#1 v1.5 decryption at all (implicit rejection, or a revert). */
const pkcs1DecryptionAllowed = (() => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const ct = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from('x'));
  try {
    privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, ct);
    return true;
  } catch {
    return false;
  }
})();

test(`PKCS#1 v1.5 decryption on node ${process.version} (OpenSSL ${process.versions.openssl}): ${pkcs1DecryptionAllowed ? 'allowed (implicit rejection)' : 'refused by the runtime: coffer must throw UnsupportedAlgorithm'}`, () => {});

function pkcs1DecryptFile(file: string, expectedCount: number): void {
  wycheproofSuite<DecryptGroup, DecryptVector, RSAPrivateKey>(file, {
    expectedCount,
    note: pkcs1DecryptionAllowed
      ? 'invalid ciphertexts: DecodeError or a synthetic message (implicit rejection)'
      : 'this runtime refuses PKCS#1 v1.5 decryption: every vector is UnsupportedAlgorithm',
    groupTest: privateRoutesAgree,
    group: (g) => loadPemPrivateKey(g.privateKeyPem) as RSAPrivateKey,
    vector: (priv, t) => {
      const decrypt = () => toHex(priv.decrypt(hex(t.ct), new PKCS1v15()));
      if (!pkcs1DecryptionAllowed) {
        // Valid ciphertexts must meet the refusal. A malformed one (wrong length: public information) may
        // be turned away first with the opaque DecodeError; it never decrypts.
        assert.throws(decrypt, (err: unknown) => {
          if (t.result !== 'valid' && err instanceof DecodeError) return isOpaqueDecodeError(err);
          assert.ok(
            err instanceof UnsupportedAlgorithm,
            `expected UnsupportedAlgorithm, got ${describeError(err)}`,
          );
          return true;
        });
      } else if (t.result === 'valid') {
        assert.equal(decrypt(), t.msg);
      } else if (t.result === 'invalid') {
        const r = attempt(decrypt);
        if (r.ok) assert.notEqual(r.value, t.msg, 'implicit rejection must not give the plaintext');
        else isOpaqueDecodeError(r.error);
      } else {
        assert.fail('no acceptable PKCS#1 decryption vectors are expected');
      }
    },
  });
}

pkcs1DecryptFile('rsa_pkcs1_2048_test.json', 67);
pkcs1DecryptFile('rsa_pkcs1_3072_test.json', 67);
pkcs1DecryptFile('rsa_pkcs1_4096_test.json', 67);
