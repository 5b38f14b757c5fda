// Unit tests for the asymmetric key classes: round trips, sign/verify, exchange, numbers, points, debug
// output that hides secrets, size limits, and PKCS#1 v1.5 decryption on this runtime.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import { DecodeError, InvalidKey, InvalidSignature, UnsupportedAlgorithm } from '../../../src/errors.ts';
import { DHParameterNumbers } from '../../../src/hazmat/asymmetric/dh.ts';
import { DSAPrivateKey } from '../../../src/hazmat/asymmetric/dsa.ts';
import {
  BrainpoolP256R1,
  BrainpoolP384R1,
  BrainpoolP512R1,
  ECDH,
  ECDSA,
  type EllipticCurve,
  EllipticCurvePrivateKey,
  EllipticCurvePrivateNumbers,
  EllipticCurvePublicKey,
  EllipticCurvePublicNumbers,
  getCurveForOid,
  SECP256K1,
  SECP256R1,
  SECP384R1,
  SECP521R1,
} from '../../../src/hazmat/asymmetric/ec.ts';
import { Ed448PrivateKey, Ed448PublicKey } from '../../../src/hazmat/asymmetric/ed448.ts';
import { Ed25519PrivateKey, Ed25519PublicKey } from '../../../src/hazmat/asymmetric/ed25519.ts';
import {
  calculateMaxPssSaltLength,
  MGF1,
  OAEP,
  PKCS1v15,
  PSS,
} from '../../../src/hazmat/asymmetric/padding.ts';
import {
  RSAPrivateKey,
  RSAPrivateNumbers,
  RSAPublicNumbers,
  rsaCrtDmp1,
  rsaCrtDmq1,
  rsaCrtIqmp,
  rsaRecoverPrimeFactors,
} from '../../../src/hazmat/asymmetric/rsa.ts';
import { decodeDssSignature, encodeDssSignature, Prehashed } from '../../../src/hazmat/asymmetric/utils.ts';
import { X448PrivateKey, X448PublicKey } from '../../../src/hazmat/asymmetric/x448.ts';
import { X25519PrivateKey, X25519PublicKey } from '../../../src/hazmat/asymmetric/x25519.ts';
import { hash, SHA1, SHA256, SHA384, SHA512 } from '../../../src/hazmat/hashes.ts';
import { Encoding, NoEncryption, PrivateFormat, PublicFormat } from '../../../src/hazmat/serialization.ts';

const flip = (b: Uint8Array, i = b.length - 1): Uint8Array => {
  const c = Uint8Array.from(b);
  c[i]! ^= 1;
  return c;
};
const raw = (k: { privateBytes(e: 'Raw', f: 'Raw', n: NoEncryption): Uint8Array }) =>
  k.privateBytes(Encoding.Raw, PrivateFormat.Raw, new NoEncryption());

/** Nothing that shows a key may contain its secret bytes in any common encoding. */
function assertHidden(key: object, secret: Uint8Array | bigint): void {
  const shown = [String(key), inspect(key, { depth: 5, showHidden: true }), JSON.stringify(key)].join('\n');
  const forms =
    typeof secret === 'bigint'
      ? [secret.toString(), secret.toString(16)]
      : [
          Buffer.from(secret).toString('hex'),
          Buffer.from(secret).toString('base64'),
          Buffer.from(secret).toString('base64url'),
        ];
  for (const f of forms) assert.ok(!shown.includes(f), `secret visible in ${shown}`);
}

describe('Ed25519 and Ed448', () => {
  for (const [name, Priv, Pub, size, sigSize] of [
    ['Ed25519', Ed25519PrivateKey, Ed25519PublicKey, 32, 64],
    ['Ed448', Ed448PrivateKey, Ed448PublicKey, 57, 114],
  ] as const) {
    test(`${name}: sign, verify, raw round trip, tamper detection`, () => {
      const key = Priv.generate();
      const sig = key.sign('message');
      assert.equal(sig.length, sigSize);
      assert.equal(sig.constructor, Uint8Array);
      key.publicKey().verify(sig, 'message');
      key.publicKey().verify(sig, new TextEncoder().encode('message'));
      assert.throws(() => key.publicKey().verify(flip(sig), 'message'), InvalidSignature);
      assert.throws(() => key.publicKey().verify(sig, 'messagf'), InvalidSignature);
      assert.throws(() => key.publicKey().verify(sig.subarray(1), 'message'), InvalidSignature);
      assert.throws(() => key.publicKey().verify(new Uint8Array(0), 'message'), InvalidSignature);
      const bytes = raw(key);
      assert.equal(bytes.length, size);
      const again = Priv.fromPrivateBytes(bytes);
      assert.deepEqual(again.sign('message'), sig, 'deterministic (RFC 8032)');
      const pub = key.publicKey().publicBytes(Encoding.Raw, PublicFormat.Raw);
      assert.ok(Pub.fromPublicBytes(pub).equals(key.publicKey()));
      assert.ok(!Pub.fromPublicBytes(pub).equals(Priv.generate().publicKey()));
      assert.throws(() => Priv.fromPrivateBytes(new Uint8Array(size - 1)), RangeError);
      assert.throws(() => Pub.fromPublicBytes(new Uint8Array(size + 1)), RangeError);
      assertHidden(key, bytes);
      assert.equal(String(key), `${name}PrivateKey`);
    });
  }

  test('RFC 8032 §7.1 test 1 (Ed25519)', () => {
    const sk = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
    const key = Ed25519PrivateKey.fromPrivateBytes(sk);
    assert.equal(
      Buffer.from(key.publicKey().publicBytes(Encoding.Raw, PublicFormat.Raw)).toString('hex'),
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    );
    assert.equal(
      Buffer.from(key.sign(new Uint8Array(0))).toString('hex'),
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
  });

  test('constructors are not public', () => {
    for (const C of [
      Ed25519PrivateKey,
      Ed25519PublicKey,
      X25519PrivateKey,
      RSAPrivateKey,
      EllipticCurvePublicKey,
    ]) {
      assert.throws(() => new (C as unknown as new () => unknown)(), TypeError);
    }
  });
});

describe('X25519 and X448', () => {
  for (const [name, Priv, Pub, size] of [
    ['X25519', X25519PrivateKey, X25519PublicKey, 32],
    ['X448', X448PrivateKey, X448PublicKey, 56],
  ] as const) {
    test(`${name}: exchange agrees, raw round trip, low-order points rejected`, () => {
      const a = Priv.generate();
      const b = Priv.generate();
      const ab = a.exchange(b.publicKey() as never);
      assert.equal(ab.length, size);
      assert.deepEqual(ab, b.exchange(a.publicKey() as never));
      const a2 = Priv.fromPrivateBytes(raw(a));
      assert.deepEqual(a2.exchange(b.publicKey() as never), ab);
      // u = 0 and u = 1 have small order: the shared secret is all zeros (RFC 7748 §6).
      for (const u of [0, 1]) {
        const point = new Uint8Array(size);
        point[0] = u;
        assert.throws(() => a.exchange(Pub.fromPublicBytes(point) as never), InvalidKey);
      }
      assert.throws(() => a.exchange(Ed25519PrivateKey.generate().publicKey() as never), TypeError);
      assertHidden(a, raw(a));
    });
  }

  test('RFC 7748 §6.1 (X25519)', () => {
    const alice = X25519PrivateKey.fromPrivateBytes(
      Buffer.from('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', 'hex'),
    );
    const bob = X25519PublicKey.fromPublicBytes(
      Buffer.from('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f', 'hex'),
    );
    assert.equal(
      Buffer.from(alice.exchange(bob)).toString('hex'),
      '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742',
    );
  });
});

const CURVES: readonly (() => EllipticCurve)[] = [
  () => new SECP256R1(),
  () => new SECP384R1(),
  () => new SECP521R1(),
  () => new SECP256K1(),
  () => new BrainpoolP256R1(),
  () => new BrainpoolP384R1(),
  () => new BrainpoolP512R1(),
];

describe('elliptic curves', () => {
  for (const curve of CURVES) {
    const c = curve();
    test(`${c.name}: ECDSA DER and P1363, ECDH, numbers, points`, () => {
      const key = EllipticCurvePrivateKey.generate(c);
      assert.equal(key.curve.name, c.name);
      assert.equal(key.keySize, c.keySize);
      assert.equal(String(key), `EllipticCurvePrivateKey(${c.name})`);
      const n = Math.ceil(c.keySize / 8);
      for (const enc of ['der', 'ieee-p1363'] as const) {
        const alg = new ECDSA(new SHA256(), { signatureEncoding: enc });
        const sig = key.sign('data', alg);
        if (enc === 'ieee-p1363') assert.equal(sig.length, 2 * n);
        else decodeDssSignature(sig);
        key.publicKey().verify(sig, 'data', alg);
        assert.throws(() => key.publicKey().verify(flip(sig, 5), 'data', alg), InvalidSignature);
        assert.throws(() => key.publicKey().verify(sig, 'date', alg), InvalidSignature);
      }
      // ECDH
      const peer = EllipticCurvePrivateKey.generate(c);
      const shared = key.exchange(new ECDH(), peer.publicKey());
      assert.equal(shared.length, n);
      assert.deepEqual(shared, peer.exchange(new ECDH(), key.publicKey()));
      // Numbers round trip.
      const numbers = key.privateNumbers();
      assertHidden(numbers, numbers.privateValue);
      assertHidden(key, numbers.privateValue);
      const again = numbers.privateKey();
      assert.ok(again.publicKey().equals(key.publicKey()));
      assert.ok(
        EllipticCurvePrivateKey.fromPrivateValue(numbers.privateValue, c).publicKey().equals(key.publicKey()),
      );
      const pn = key.publicKey().publicNumbers();
      assert.ok(pn.publicKey().equals(key.publicKey()));
      // Points: compressed and uncompressed round trips; a flipped y is off the curve.
      const un = key.publicKey().publicBytes(Encoding.X962, PublicFormat.UncompressedPoint);
      const co = key.publicKey().publicBytes(Encoding.X962, PublicFormat.CompressedPoint);
      assert.equal(un.length, 1 + 2 * n);
      assert.equal(co.length, 1 + n);
      assert.ok(EllipticCurvePublicKey.fromEncodedPoint(c, un).equals(key.publicKey()));
      assert.ok(EllipticCurvePublicKey.fromEncodedPoint(c, co).equals(key.publicKey()));
      assert.throws(() => EllipticCurvePublicKey.fromEncodedPoint(c, flip(un)), DecodeError);
      assert.throws(
        () => EllipticCurvePublicKey.fromEncodedPoint(c, un.subarray(0, un.length - 1)),
        DecodeError,
      );
      assert.throws(() => EllipticCurvePublicKey.fromEncodedPoint(c, Uint8Array.of(0)), DecodeError);
      assert.throws(() => new EllipticCurvePublicNumbers(pn.x, pn.y + 1n, c).publicKey(), DecodeError);
      assert.equal(getCurveForOid(c.oid).name, c.name);
    });
  }

  test('fromPrivateValue range and consistency checks', () => {
    const c = new SECP256R1();
    assert.throws(() => EllipticCurvePrivateKey.fromPrivateValue(0n, c), RangeError);
    // n itself, and anything at or above it, is out of range.
    const order = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
    assert.throws(() => EllipticCurvePrivateKey.fromPrivateValue(order, c), RangeError);
    assert.throws(() => EllipticCurvePrivateKey.fromPrivateValue(2n ** 256n, c), RangeError);
    EllipticCurvePrivateKey.fromPrivateValue(order - 1n, c);
    const other = EllipticCurvePrivateKey.generate(c).publicKey().publicNumbers();
    assert.throws(() => new EllipticCurvePrivateNumbers(5n, other).privateKey(), RangeError);
  });

  test('exchange refuses a peer on another curve; Prehashed ECDSA signs digests (prehashed.test.ts)', () => {
    const a = EllipticCurvePrivateKey.generate(new SECP256R1());
    const b = EllipticCurvePrivateKey.generate(new SECP384R1());
    assert.throws(() => a.exchange(new ECDH(), b.publicKey()), TypeError);
    const pre = new ECDSA(new Prehashed(new SHA256()));
    a.publicKey().verify(a.sign(new Uint8Array(32), pre), new Uint8Array(32), pre);
    assert.throws(() => getCurveForOid('1.2.3.4'), UnsupportedAlgorithm);
  });
});

describe('RSA', () => {
  const key = RSAPrivateKey.generate({ keySize: 2048 });
  const pub = key.publicKey();

  test('PSS (every salt-length option) and PKCS#1 v1.5 signatures', () => {
    for (const alg of [new SHA1(), new SHA256(), new SHA384(), new SHA512()]) {
      for (const saltLength of [PSS.MAX_LENGTH, PSS.DIGEST_LENGTH, 0, 17] as const) {
        const pss = new PSS({ mgf: new MGF1(alg), saltLength });
        const sig = key.sign('data', pss, alg);
        assert.equal(sig.length, 256);
        pub.verify(sig, 'data', pss, alg);
        pub.verify(sig, 'data', new PSS({ mgf: new MGF1(alg), saltLength: PSS.AUTO }), alg);
        assert.throws(() => pub.verify(flip(sig), 'data', pss, alg), InvalidSignature);
      }
      const sig = key.sign('data', new PKCS1v15(), alg);
      pub.verify(sig, 'data', new PKCS1v15(), alg);
      assert.throws(() => pub.verify(sig, 'dat', new PKCS1v15(), alg), InvalidSignature);
      // Prehashed PKCS#1 v1.5 gives the same signature.
      const digest = hash(alg, 'data');
      assert.deepEqual(key.sign(digest, new PKCS1v15(), new Prehashed(alg)), sig);
      pub.verify(sig, digest, new PKCS1v15(), new Prehashed(alg));
      assert.throws(
        () => pub.verify(flip(sig), digest, new PKCS1v15(), new Prehashed(alg)),
        InvalidSignature,
      );
    }
    assert.equal(calculateMaxPssSaltLength(key, new SHA256()), 222);
    assert.throws(
      () => key.sign('d', new PSS({ mgf: new MGF1(new SHA256()), saltLength: PSS.AUTO }), new SHA256()),
      TypeError,
    );
    assert.throws(
      () => key.sign('d', new PSS({ mgf: new MGF1(new SHA1()), saltLength: 0 }), new SHA256()),
      UnsupportedAlgorithm,
    );
    assert.throws(
      () => key.sign('d', new PSS({ mgf: new MGF1(new SHA256()), saltLength: 223 }), new SHA256()),
      RangeError,
    );
  });

  test('OAEP with each hash and a label; one opaque error for every failure', () => {
    for (const alg of [new SHA1(), new SHA256(), new SHA384(), new SHA512()]) {
      const oaep = new OAEP({ mgf: new MGF1(alg), algorithm: alg, label: new TextEncoder().encode('label') });
      const ct = pub.encrypt(new Uint8Array(32).fill(9), oaep);
      assert.deepEqual(key.decrypt(ct, oaep), new Uint8Array(32).fill(9));
      const noLabel = new OAEP({ mgf: new MGF1(alg), algorithm: alg });
      const failures = [
        () => key.decrypt(ct, noLabel),
        () => key.decrypt(flip(ct), oaep),
        () => key.decrypt(ct.subarray(1), oaep),
        () => key.decrypt(new Uint8Array(256), oaep),
      ];
      const messages = failures.map((f) => assert.throws(f, DecodeError) ?? f);
      void messages;
      for (const f of failures) {
        try {
          f();
        } catch (e) {
          assert.equal((e as Error).message, 'decryption failed');
        }
      }
      const max = 256 - 2 * alg.digestSize - 2;
      pub.encrypt(new Uint8Array(max), oaep);
      assert.throws(() => pub.encrypt(new Uint8Array(max + 1), oaep), RangeError);
    }
  });

  test('PKCS#1 v1.5 decryption: implicit rejection where available, UnsupportedAlgorithm otherwise', () => {
    const ct = pub.encrypt(new Uint8Array(16).fill(3), new PKCS1v15());
    let supported = true;
    try {
      assert.deepEqual(key.decrypt(ct, new PKCS1v15()), new Uint8Array(16).fill(3));
    } catch (e) {
      assert.ok(e instanceof UnsupportedAlgorithm, String(e));
      supported = false;
    }
    const major = Number(process.versions.node.split('.')[0]);
    if (major >= 24) assert.ok(supported, 'Node 24 (OpenSSL 3.5) has implicit rejection');
    if (supported) {
      // Implicit rejection: a bad ciphertext decrypts to random-looking bytes, never an error.
      const out = key.decrypt(flip(ct, 100), new PKCS1v15());
      assert.ok(out instanceof Uint8Array);
    }
  });

  test('numbers round trip and hide secrets; CRT helpers; factor recovery', () => {
    const numbers = key.privateNumbers();
    assertHidden(numbers, numbers.d);
    assertHidden(key, numbers.d);
    assert.ok(numbers.privateKey().publicKey().equals(pub));
    assert.ok(numbers.publicNumbers.publicKey().equals(pub));
    assert.equal(rsaCrtIqmp(numbers.p, numbers.q), numbers.iqmp);
    assert.equal(rsaCrtDmp1(numbers.d, numbers.p), numbers.dmp1);
    assert.equal(rsaCrtDmq1(numbers.d, numbers.q), numbers.dmq1);
    const { p, q } = rsaRecoverPrimeFactors(numbers.publicNumbers.n, numbers.publicNumbers.e, numbers.d);
    assert.deepEqual(new Set([p, q]), new Set([numbers.p, numbers.q]));
    assert.ok(p > q);
    const bad = new RSAPrivateNumbers({
      p: numbers.p,
      q: numbers.q + 2n,
      d: numbers.d,
      dmp1: numbers.dmp1,
      dmq1: numbers.dmq1,
      iqmp: numbers.iqmp,
      publicNumbers: numbers.publicNumbers,
    });
    assert.throws(() => bad.privateKey(), RangeError);
    assert.throws(() => new RSAPublicNumbers(4n, numbers.publicNumbers.n).publicKey(), RangeError);
    assert.equal(String(key), 'RSAPrivateKey(2048 bits)');
  });

  test('keySize limits for generate', () => {
    assert.throws(() => RSAPrivateKey.generate({ keySize: 512 }), RangeError);
    assert.throws(() => RSAPrivateKey.generate({ keySize: 1023 }), RangeError);
    assert.throws(() => RSAPrivateKey.generate({ keySize: 16385 }), RangeError);
    assert.throws(() => RSAPrivateKey.generate({ publicExponent: 5 }), RangeError);
    assert.equal(
      RSAPrivateKey.generate({ keySize: 1024, publicExponent: 3 }).publicKey().publicNumbers().e,
      3n,
    );
  });
});

describe('DSA and DH', () => {
  test('DSA: load from node, sign/verify DER, numbers round trip', () => {
    const { privateKey } = generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    // Through the loader, then numbers.
    return import('../../../src/hazmat/serialization.ts').then(({ loadPemPrivateKey }) => {
      const key = loadPemPrivateKey(pem) as DSAPrivateKey;
      assert.ok(key instanceof DSAPrivateKey);
      const sig = key.sign('m', new SHA256());
      key.publicKey().verify(sig, 'm', new SHA256());
      assert.throws(() => key.publicKey().verify(sig, 'n', new SHA256()), InvalidSignature);
      const n = key.privateNumbers();
      assertHidden(n, n.x);
      assert.ok(n.privateKey().publicKey().equals(key.publicKey()));
      const trad = key.privateBytes(Encoding.PEM, PrivateFormat.TraditionalOpenSSL, new NoEncryption());
      assert.match(trad, /BEGIN DSA PRIVATE KEY/);
      assert.ok(loadPemPrivateKey(trad).privateBytes(Encoding.DER, PrivateFormat.PKCS8, new NoEncryption()));
    });
  });

  test('DH: keys for RFC 3526 group 14, exchange agrees and is padded to |p|', () => {
    const p = BigInt(
      `0x${'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF'}`,
    );
    const params = new DHParameterNumbers(p, 2n).parameters();
    const a = params.generatePrivateKey();
    const b = params.generatePrivateKey();
    const s = a.exchange(b.publicKey());
    assert.equal(s.length, 256);
    assert.deepEqual(s, b.exchange(a.publicKey()));
    const n = a.privateNumbers();
    assert.ok(n.privateKey().publicKey().equals(a.publicKey()));
    assertHidden(n, n.x);
  });
});

describe('utils', () => {
  test('DSS signature codec is strict', () => {
    const d = encodeDssSignature(1n, 2n ** 255n);
    assert.deepEqual(decodeDssSignature(d), { r: 1n, s: 2n ** 255n });
    assert.throws(() => decodeDssSignature(Uint8Array.from([...d, 0])), DecodeError);
    assert.throws(() => decodeDssSignature(d.subarray(0, d.length - 1)), DecodeError);
    // Non-minimal INTEGER (leading zero).
    assert.throws(() => decodeDssSignature(Uint8Array.of(0x30, 7, 2, 2, 0, 1, 2, 1, 1)), DecodeError);
    // Negative r.
    assert.throws(() => decodeDssSignature(Uint8Array.of(0x30, 6, 2, 1, 0xff, 2, 1, 1)), DecodeError);
    assert.throws(() => encodeDssSignature(-1n, 1n), RangeError);
  });
});
