// Wycheproof ECDSA suites for coffer/hazmat/asymmetric/ec, read in place from the shared vectors.
// One test per tcId, named by file and tcId; each file's describe name carries its valid/invalid/acceptable
// counts and its last test reports how the acceptable vectors came out. (ECDSA and ECDH are two files so
// the test runner can run them side by side: the ECDH files are the slowest asymmetric vectors.)
//
// ECDSA (ecdsa_<curve>_<hash>_test.json, DER signatures; *_p1363_test.json, raw r‖s through
// `signatureEncoding: 'ieee-p1363'`). Each group's key is loaded through loadDerPublicKey (the key the
// vectors use), and a group test checks that loadPemPublicKey, loadJwk (where the file has a JWK) and
// EllipticCurvePublicKey.fromEncodedPoint give an equal key with the file's (wx, wy). `valid` must verify;
// every `invalid` must throw InvalidSignature, with its one fixed message (malformed DER, BER, wrong sizes,
// out-of-range r or s alike: the signature is attacker input). None of these files has `acceptable` vectors.
//
// Bitcoin (ecdsa_secp256k1_sha256_bitcoin_test.json). Bitcoin additionally refuses high-s signatures
// (s > n/2, BIP 62/146), which ECDSA itself, OpenSSL and pyca accept. coffer's ECDSA does not impose that
// rule (it is a consensus rule of one protocol, not of ECDSA), so this suite applies it the way a caller
// would: decodeDssSignature from coffer/hazmat/asymmetric/utils, then `s <= n/2`, then verify. The
// invalid vectors that coffer's plain verify accepts must all be high-s (the SignatureMalleabilityBitcoin
// ones, and one ArithmeticError edge case): the summary counts them, per flag, as rejected by the low-s
// rule alone. Every other invalid vector must be rejected by coffer's verify itself (InvalidSignature).
import assert from 'node:assert/strict';
import { InvalidSignature } from '../../../src/errors.ts';
import {
  ECDSA,
  type EllipticCurve,
  EllipticCurvePublicKey,
  SECP256K1,
  SECP256R1,
  SECP384R1,
  SECP521R1,
} from '../../../src/hazmat/asymmetric/ec.ts';
import { decodeDssSignature } from '../../../src/hazmat/asymmetric/utils.ts';
import { loadDerPublicKey, loadJwk, loadPemPublicKey } from '../../../src/hazmat/serialization.ts';
import { hex } from '../../helpers/vectors.ts';
import {
  acceptable,
  attempt,
  bigFromHex,
  describeError,
  hashFor,
  type Vector,
  wycheproofSuite,
} from './wycheproof-common.ts';

const CURVES: Record<string, () => EllipticCurve> = {
  secp256r1: () => new SECP256R1(),
  'P-256': () => new SECP256R1(),
  secp384r1: () => new SECP384R1(),
  'P-384': () => new SECP384R1(),
  secp521r1: () => new SECP521R1(),
  'P-521': () => new SECP521R1(),
  secp256k1: () => new SECP256K1(),
};
const curveFor = (n: string): EllipticCurve => {
  const make = CURVES[n];
  if (make === undefined) throw new Error(`no curve for ${n}`);
  return make();
};

/** The group orders, for the Bitcoin low-s rule (SEC 2). */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const isInvalidSignature = (err: unknown) => {
  assert.ok(err instanceof InvalidSignature, `expected InvalidSignature, got ${describeError(err)}`);
  assert.equal(err.message, new InvalidSignature().message);
  return true;
};

// ECDSA ------------------------------------------------------------------------------------------------

interface EcdsaVector extends Vector {
  msg: string;
  sig: string;
}
interface EcdsaGroup {
  publicKey: { curve: string; uncompressed: string; wx: string; wy: string };
  publicKeyDer: string;
  publicKeyPem: string;
  publicKeyJwk?: Record<string, string>;
  sha: string;
  tests: EcdsaVector[];
}

function ecdsaGroupTest(g: EcdsaGroup): void {
  const der = loadDerPublicKey(hex(g.publicKeyDer)) as EllipticCurvePublicKey;
  assert.ok(der instanceof EllipticCurvePublicKey, 'loadDerPublicKey gives an EllipticCurvePublicKey');
  assert.equal(der.curve.name, curveFor(g.publicKey.curve).name);
  const numbers = der.publicNumbers();
  assert.equal(numbers.x, bigFromHex(g.publicKey.wx));
  assert.equal(numbers.y, bigFromHex(g.publicKey.wy));
  const pem = loadPemPublicKey(g.publicKeyPem);
  assert.ok(der.equals(pem as EllipticCurvePublicKey), 'PEM and DER load the same key');
  const point = EllipticCurvePublicKey.fromEncodedPoint(
    curveFor(g.publicKey.curve),
    hex(g.publicKey.uncompressed),
  );
  assert.ok(der.equals(point), 'the SEC1 point and DER load the same key');
  if (g.publicKeyJwk !== undefined) {
    const jwk = loadJwk(g.publicKeyJwk);
    assert.ok(der.equals(jwk as EllipticCurvePublicKey), 'the JWK and DER load the same key');
  }
}

function ecdsaFile(file: string, expectedCount: number, encoding: 'der' | 'ieee-p1363'): void {
  wycheproofSuite<EcdsaGroup, EcdsaVector, { key: EllipticCurvePublicKey; ecdsa: ECDSA }>(file, {
    expectedCount,
    groupTest: ecdsaGroupTest,
    group: (g) => ({
      key: loadDerPublicKey(hex(g.publicKeyDer)) as EllipticCurvePublicKey,
      ecdsa: new ECDSA(hashFor(g.sha), { signatureEncoding: encoding }),
    }),
    vector: ({ key, ecdsa }, t) => {
      const verify = () => key.verify(hex(t.sig), hex(t.msg), ecdsa);
      if (t.result === 'valid') verify();
      else if (t.result === 'invalid') assert.throws(verify, isInvalidSignature);
      else assert.fail('no acceptable ECDSA vectors are expected');
    },
  });
}

ecdsaFile('ecdsa_secp256k1_sha256_test.json', 476, 'der');
ecdsaFile('ecdsa_secp256k1_sha512_test.json', 546, 'der');
ecdsaFile('ecdsa_secp256r1_sha256_test.json', 484, 'der');
ecdsaFile('ecdsa_secp256r1_sha512_test.json', 554, 'der');
ecdsaFile('ecdsa_secp384r1_sha256_test.json', 472, 'der');
ecdsaFile('ecdsa_secp384r1_sha384_test.json', 504, 'der');
ecdsaFile('ecdsa_secp384r1_sha512_test.json', 542, 'der');
ecdsaFile('ecdsa_secp521r1_sha512_test.json', 542, 'der');
ecdsaFile('ecdsa_secp256k1_sha256_p1363_test.json', 252, 'ieee-p1363');
ecdsaFile('ecdsa_secp256k1_sha512_p1363_test.json', 322, 'ieee-p1363');
ecdsaFile('ecdsa_secp256r1_sha256_p1363_test.json', 262, 'ieee-p1363');
ecdsaFile('ecdsa_secp256r1_sha512_p1363_test.json', 332, 'ieee-p1363');
ecdsaFile('ecdsa_secp384r1_sha384_p1363_test.json', 280, 'ieee-p1363');
ecdsaFile('ecdsa_secp384r1_sha512_p1363_test.json', 318, 'ieee-p1363');
ecdsaFile('ecdsa_secp521r1_sha512_p1363_test.json', 318, 'ieee-p1363');

// Bitcoin: ECDSA plus the low-s rule, applied on top by the caller (see the header).
wycheproofSuite<EcdsaGroup, EcdsaVector, { key: EllipticCurvePublicKey; ecdsa: ECDSA }>(
  'ecdsa_secp256k1_sha256_bitcoin_test.json',
  {
    expectedCount: 463,
    groupTest: ecdsaGroupTest,
    note:
      'high-s (SignatureMalleabilityBitcoin) vectors verify under plain ECDSA, as in OpenSSL and pyca; ' +
      'the Bitcoin low-s rule (decodeDssSignature, s <= n/2) rejects them',
    group: (g) => ({
      key: loadDerPublicKey(hex(g.publicKeyDer)) as EllipticCurvePublicKey,
      ecdsa: new ECDSA(hashFor(g.sha)),
    }),
    vector: ({ key, ecdsa }, t, _g, tally) => {
      const verify = () => key.verify(hex(t.sig), hex(t.msg), ecdsa);
      const lowS = () => {
        const { s } = decodeDssSignature(hex(t.sig));
        return s <= SECP256K1_N / 2n;
      };
      if (t.result === 'valid') {
        verify();
        assert.ok(lowS(), 'a valid Bitcoin signature is low-s');
        return;
      }
      const r = attempt(verify);
      if (r.ok) {
        // Plain ECDSA accepts the high-s twin; the low-s rule is what rejects it.
        assert.equal(lowS(), false, 'an invalid vector that verifies under plain ECDSA must be high-s');
        acceptable(tally, `invalid only by the low-s rule (${t.flags.join(', ')})`, () => {
          throw new InvalidSignature();
        });
      } else {
        isInvalidSignature(r.error);
        assert.ok(!t.flags.includes('SignatureMalleabilityBitcoin') || !lowS());
      }
    },
  },
);
