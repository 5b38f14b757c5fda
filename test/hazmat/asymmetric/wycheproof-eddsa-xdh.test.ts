// Wycheproof EdDSA (ed25519, ed448) and XDH (x25519*, x448*) suites for coffer/hazmat/asymmetric, read in
// place from the shared vectors. One test per tcId, named by file and tcId; each file's describe name
// carries its counts and its last test reports how its `acceptable` vectors came out.
//
// EdDSA. Each group's key is loaded from its raw bytes (fromPublicBytes), and a group test checks that
// loadDerPublicKey, loadPemPublicKey and loadJwk give an equal key. `valid` must verify; every `invalid`
// (malleable S >= L, truncated or padded signatures, non-canonical encodings) must throw InvalidSignature
// with its one fixed message. Neither file has `acceptable` vectors.
//
// XDH. x25519_test/x448_test: raw bytes through fromPrivateBytes/fromPublicBytes; *_asn: PKCS#8 and SPKI
// DER through loadDerPrivateKey/loadDerPublicKey; *_pem: loadPemPrivateKey/loadPemPublicKey; *_jwk: loadJwk.
// `valid` must give the shared secret. `invalid` (a key for another curve, a 57-byte X448 public key, a
// JWK missing a field) must be refused at load or exchange with a typed error. `acceptable` per flag:
//   ZeroSharedSecret / LowOrderPublic  the shared secret is all zero: coffer must throw InvalidKey (RFC 7748
//                                      §6.1 check; pyca does the same). These are not "either way" here.
//   Twist, SmallPublicKey, NonCanonicalPublic, SpecialPublicKey, EdgeCase*
//                                      RFC 7748 says to accept any 32/56-byte string and mask the top bit,
//                                      so coffer must give the exact secret (a refusal is tallied and shown).
import assert from 'node:assert/strict';
import { InvalidKey, InvalidSignature } from '../../../src/errors.ts';
import { Ed448PublicKey } from '../../../src/hazmat/asymmetric/ed448.ts';
import { Ed25519PublicKey } from '../../../src/hazmat/asymmetric/ed25519.ts';
import { X448PrivateKey, X448PublicKey } from '../../../src/hazmat/asymmetric/x448.ts';
import { X25519PrivateKey, X25519PublicKey } from '../../../src/hazmat/asymmetric/x25519.ts';
import {
  Encoding,
  loadDerPrivateKey,
  loadDerPublicKey,
  loadJwk,
  loadPemPrivateKey,
  loadPemPublicKey,
  PublicFormat,
} from '../../../src/hazmat/serialization.ts';
import { hex, toHex } from '../../helpers/vectors.ts';
import {
  acceptable,
  assertTypedRefusal,
  attempt,
  describeError,
  type Vector,
  why,
  wycheproofSuite,
} from './wycheproof-common.ts';

const isInvalidSignature = (err: unknown) => {
  assert.ok(err instanceof InvalidSignature, `expected InvalidSignature, got ${describeError(err)}`);
  assert.equal(err.message, new InvalidSignature().message);
  return true;
};
const isInvalidKey = (err: unknown) => {
  assert.ok(err instanceof InvalidKey, `expected InvalidKey, got ${describeError(err)}`);
  return true;
};

// EdDSA ------------------------------------------------------------------------------------------------

interface EddsaVector extends Vector {
  msg: string;
  sig: string;
}
interface EddsaGroup {
  publicKey: { pk: string };
  publicKeyDer: string;
  publicKeyPem: string;
  publicKeyJwk: Record<string, string>;
  tests: EddsaVector[];
}

interface EdPublic {
  verify(signature: Uint8Array, data: Uint8Array): void;
  equals(other: unknown): boolean;
  publicBytes(encoding: typeof Encoding.Raw, format: typeof PublicFormat.Raw): Uint8Array;
}

function eddsaFile(
  file: string,
  expectedCount: number,
  cls: { fromPublicBytes(b: Uint8Array): EdPublic },
): void {
  wycheproofSuite<EddsaGroup, EddsaVector, EdPublic>(file, {
    expectedCount,
    groupTest: (g) => {
      const raw = cls.fromPublicBytes(hex(g.publicKey.pk));
      assert.equal(toHex(raw.publicBytes(Encoding.Raw, PublicFormat.Raw)), g.publicKey.pk);
      for (const [how, key] of [
        ['DER', loadDerPublicKey(hex(g.publicKeyDer))],
        ['PEM', loadPemPublicKey(g.publicKeyPem)],
        ['JWK', loadJwk(g.publicKeyJwk)],
      ] as const) {
        assert.ok(raw.equals(key), `${how} loads the same key as the raw bytes`);
      }
    },
    group: (g) => cls.fromPublicBytes(hex(g.publicKey.pk)),
    vector: (key, t) => {
      const verify = () => key.verify(hex(t.sig), hex(t.msg));
      if (t.result === 'valid') verify();
      else if (t.result === 'invalid') assert.throws(verify, isInvalidSignature);
      else assert.fail('no acceptable EdDSA vectors are expected');
    },
  });
}

eddsaFile(
  'ed25519_test.json',
  151,
  Ed25519PublicKey as unknown as { fromPublicBytes(b: Uint8Array): EdPublic },
);
eddsaFile('ed448_test.json', 87, Ed448PublicKey as unknown as { fromPublicBytes(b: Uint8Array): EdPublic });

// XDH --------------------------------------------------------------------------------------------------

interface XdhVector extends Vector {
  public: string | Record<string, string>;
  private: string | Record<string, string>;
  shared: string;
}
interface XdhGroup {
  curve: string;
  tests: XdhVector[];
}

interface XPrivate {
  exchange(peer: unknown): Uint8Array;
}
interface XClasses {
  priv: { fromPrivateBytes(b: Uint8Array): XPrivate };
  pub: { fromPublicBytes(b: Uint8Array): unknown };
}

type KeyForm = 'raw' | 'asn' | 'pem' | 'jwk';

function loadXdh(cls: XClasses, encoding: KeyForm, t: XdhVector): () => Uint8Array {
  return () => {
    let priv: XPrivate;
    let pub: unknown;
    switch (encoding) {
      case 'raw':
        priv = cls.priv.fromPrivateBytes(hex(t.private as string));
        pub = cls.pub.fromPublicBytes(hex(t.public as string));
        break;
      case 'asn':
        priv = loadDerPrivateKey(hex(t.private as string)) as unknown as XPrivate;
        pub = loadDerPublicKey(hex(t.public as string));
        break;
      case 'pem':
        priv = loadPemPrivateKey(t.private as string) as unknown as XPrivate;
        pub = loadPemPublicKey(t.public as string);
        break;
      case 'jwk':
        priv = loadJwk(t.private as Record<string, string>) as unknown as XPrivate;
        pub = loadJwk(t.public as Record<string, string>);
        break;
    }
    return priv.exchange(pub);
  };
}

const ZERO_FLAGS = ['ZeroSharedSecret', 'LowOrderPublic'];

function xdhFile(file: string, expectedCount: number, cls: XClasses, encoding: KeyForm): void {
  wycheproofSuite<XdhGroup, XdhVector, null>(file, {
    expectedCount,
    note: 'an all-zero shared secret (ZeroSharedSecret / LowOrderPublic) must always be InvalidKey',
    group: () => null,
    vector: (_, t, _g, tally) => {
      const exchange = loadXdh(cls, encoding, t);
      if (t.result === 'valid') {
        assert.equal(toHex(exchange()), t.shared);
      } else if (t.result === 'invalid') {
        const r = attempt(exchange);
        assert.ok(!r.ok, `an invalid vector gave a shared secret ${r.ok ? toHex(r.value) : ''}`);
        assertTypedRefusal(r.error);
      } else if (/^0+$/.test(t.shared)) {
        // RFC 7748 §6: the all-zero output must be detected and refused.
        assert.ok(t.flags.some((f) => ZERO_FLAGS.includes(f)));
        assert.throws(exchange, isInvalidKey);
        acceptable(tally, 'ZeroSharedSecret (InvalidKey)', () => {
          throw new InvalidKey();
        });
      } else {
        acceptable(tally, why(t), () => assert.equal(toHex(exchange()), t.shared));
      }
    },
  });
}

const X25519 = { priv: X25519PrivateKey, pub: X25519PublicKey } as unknown as XClasses;
const X448 = { priv: X448PrivateKey, pub: X448PublicKey } as unknown as XClasses;

xdhFile('x25519_test.json', 518, X25519, 'raw');
xdhFile('x25519_asn_test.json', 537, X25519, 'asn');
xdhFile('x25519_pem_test.json', 518, X25519, 'pem');
xdhFile('x25519_jwk_test.json', 531, X25519, 'jwk');
xdhFile('x448_test.json', 510, X448, 'raw');
xdhFile('x448_asn_test.json', 529, X448, 'asn');
xdhFile('x448_pem_test.json', 510, X448, 'pem');
xdhFile('x448_jwk_test.json', 523, X448, 'jwk');
