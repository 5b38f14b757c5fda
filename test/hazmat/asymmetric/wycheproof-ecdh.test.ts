// Wycheproof ECDH suites for coffer/hazmat/asymmetric/ec, read in place from the shared vectors.
// One test per tcId, named by file and tcId; each file's describe name carries its valid/invalid/acceptable
// counts and its last test reports how the acceptable vectors came out. (ECDSA and ECDH are two files so
// the test runner can run them side by side: the ECDH files are the slowest asymmetric vectors.)
//
// ECDH (ecdh_<curve>_test.json: SPKI DER public, big-endian private scalar; *_pem: PEM both; *_ecpoint:
// a raw SEC1 point through fromEncodedPoint; *_webcrypto: JWK both through loadJwk, with Wycheproof's
// draft curve name P-256K renamed to RFC 8812's secp256k1). `valid` must give the
// shared secret; `invalid` (point not on the curve, wrong curve, invalid encoding, unsupported curve) must be
// refused at load or at exchange with a coffer error or a labelled TypeError/RangeError, never an answer.
// `acceptable` (tallied per flag in the summary):
//   CompressedPublic/CompressedPoint  a compressed point; coffer accepts it (OpenSSL decompresses) or refuses.
//   InvalidAsn / InvalidPem           unusual but parseable DER (in these files mostly BER-ish lengths and
//                                     odd parameter encodings); accepted only with the exact secret.
//   UnnamedCurve, UnusedParam, Modified*, WrongOrder, NoCofactor
//                                     explicit curve parameters; a named-curve library may refuse them and
//                                     coffer should (OpenSSL 3 loads explicit params that match a named
//                                     curve). Either way, never a wrong secret.
import assert from 'node:assert/strict';
import {
  ECDH,
  type EllipticCurve,
  EllipticCurvePrivateKey,
  EllipticCurvePublicKey,
  SECP256K1,
  SECP256R1,
  SECP384R1,
  SECP521R1,
} from '../../../src/hazmat/asymmetric/ec.ts';
import {
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
  type Vector,
  why,
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
  'P-256K': () => new SECP256K1(),
};
const curveFor = (n: string): EllipticCurve => {
  const make = CURVES[n];
  if (make === undefined) throw new Error(`no curve for ${n}`);
  return make();
};

// ECDH -------------------------------------------------------------------------------------------------

interface EcdhVector extends Vector {
  public: string | Record<string, string>;
  private: string | Record<string, string>;
  shared: string;
}
interface EcdhGroup {
  curve: string;
  encoding: 'asn' | 'pem' | 'ecpoint' | 'webcrypto';
  tests: EcdhVector[];
}

/**
 * Wycheproof's secp256k1 JWKs say `"crv": "P-256K"`, the name of an early JOSE draft; RFC 8812 §3.1
 * registered `secp256k1`, the name coffer (and node) read. The suite renames it; nothing else changes.
 */
function jwkCurveName(jwk: Record<string, string>): Record<string, string> {
  return jwk.crv === 'P-256K' ? { ...jwk, crv: 'secp256k1' } : jwk;
}

/**
 * The private keys repeat (20 to 37 distinct per file, against hundreds of vectors: the vectors vary the
 * public key), and loading one costs a scalar multiplication, so each is loaded once and reused. Only
 * successes are cached: a refusal is recomputed, so every vector sees its own error.
 */
const privateCache = new Map<string, EllipticCurvePrivateKey>();

function loadPrivate(g: EcdhGroup, t: EcdhVector): EllipticCurvePrivateKey {
  const id = `${g.curve}/${g.encoding}/${JSON.stringify(t.private)}`;
  const hit = privateCache.get(id);
  if (hit !== undefined) return hit;
  let key: EllipticCurvePrivateKey;
  switch (g.encoding) {
    case 'asn':
    case 'ecpoint':
      key = EllipticCurvePrivateKey.fromPrivateValue(bigFromHex(t.private as string), curveFor(g.curve));
      break;
    case 'pem':
      key = loadPemPrivateKey(t.private as string) as EllipticCurvePrivateKey;
      break;
    case 'webcrypto':
      key = loadJwk(jwkCurveName(t.private as Record<string, string>)) as EllipticCurvePrivateKey;
      break;
  }
  privateCache.set(id, key);
  return key;
}

function loadPublic(g: EcdhGroup, t: EcdhVector): EllipticCurvePublicKey {
  switch (g.encoding) {
    case 'asn':
      return loadDerPublicKey(hex(t.public as string)) as EllipticCurvePublicKey;
    case 'ecpoint':
      return EllipticCurvePublicKey.fromEncodedPoint(curveFor(g.curve), hex(t.public as string));
    case 'pem':
      return loadPemPublicKey(t.public as string) as EllipticCurvePublicKey;
    case 'webcrypto':
      return loadJwk(jwkCurveName(t.public as Record<string, string>)) as EllipticCurvePublicKey;
  }
}

function ecdhFile(file: string, expectedCount: number): void {
  wycheproofSuite<EcdhGroup, EcdhVector, null>(file, {
    expectedCount,
    group: () => null,
    vector: (_, t, g, tally) => {
      const exchange = () => {
        const priv = loadPrivate(g, t);
        const pub = loadPublic(g, t);
        return toHex(priv.exchange(new ECDH(), pub));
      };
      if (t.result === 'valid') {
        assert.equal(exchange(), t.shared);
      } else if (t.result === 'invalid') {
        const r = attempt(exchange);
        assert.ok(!r.ok, `an invalid vector gave a shared secret ${r.ok ? r.value : ''}`);
        assertTypedRefusal(r.error);
      } else {
        acceptable(tally, why(t), () => assert.equal(exchange(), t.shared));
      }
    },
  });
}

ecdhFile('ecdh_secp256k1_test.json', 752);
ecdhFile('ecdh_secp256k1_webcrypto_test.json', 496);
ecdhFile('ecdh_secp256r1_test.json', 612);
ecdhFile('ecdh_secp256r1_ecpoint_test.json', 355);
ecdhFile('ecdh_secp256r1_pem_test.json', 612);
ecdhFile('ecdh_secp256r1_webcrypto_test.json', 353);
ecdhFile('ecdh_secp384r1_test.json', 1047);
ecdhFile('ecdh_secp384r1_ecpoint_test.json', 790);
ecdhFile('ecdh_secp384r1_pem_test.json', 1047);
ecdhFile('ecdh_secp384r1_webcrypto_test.json', 794);
ecdhFile('ecdh_secp521r1_test.json', 916);
ecdhFile('ecdh_secp521r1_ecpoint_test.json', 661);
ecdhFile('ecdh_secp521r1_pem_test.json', 916);
ecdhFile('ecdh_secp521r1_webcrypto_test.json', 655);
