// Unit tests for coffer/hazmat/serialization: every format round trip, and the named errors for wrong
// passwords, wrong labels, truncation and trailing data.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { DecodeError, InvalidKey, UnsupportedAlgorithm } from '../../../src/errors.ts';
import { DHParameterNumbers } from '../../../src/hazmat/asymmetric/dh.ts';
import { BrainpoolP256R1, EllipticCurvePrivateKey, SECP256R1 } from '../../../src/hazmat/asymmetric/ec.ts';
import { Ed448PrivateKey } from '../../../src/hazmat/asymmetric/ed448.ts';
import { Ed25519PrivateKey } from '../../../src/hazmat/asymmetric/ed25519.ts';
import { RSAPrivateKey } from '../../../src/hazmat/asymmetric/rsa.ts';
import type { PrivateKeyTypes } from '../../../src/hazmat/asymmetric/types.ts';
import { X25519PrivateKey } from '../../../src/hazmat/asymmetric/x25519.ts';
import { SHA256 } from '../../../src/hazmat/hashes.ts';
import {
  BestAvailableEncryption,
  Encoding,
  jwkThumbprint,
  keyToJwk,
  loadDerPrivateKey,
  loadDerPublicKey,
  loadJwk,
  loadPemParameters,
  loadPemPrivateKey,
  loadPemPublicKey,
  loadSshPrivateKey,
  loadSshPublicKey,
  NoEncryption,
  ParameterFormat,
  PrivateFormat,
  PublicFormat,
  privateKeyToJwk,
  serializeSshPrivateKey,
  sshFingerprint,
} from '../../../src/hazmat/serialization.ts';

const PW = 'correct horse';

const keys: Array<[string, () => PrivateKeyTypes]> = [
  ['Ed25519', () => Ed25519PrivateKey.generate()],
  ['Ed448', () => Ed448PrivateKey.generate()],
  ['X25519', () => X25519PrivateKey.generate()],
  ['P-256', () => EllipticCurvePrivateKey.generate(new SECP256R1())],
  ['brainpoolP256r1', () => EllipticCurvePrivateKey.generate(new BrainpoolP256R1())],
  ['RSA-1024', () => RSAPrivateKey.generate({ keySize: 1024 })],
];

const samePublic = (a: PrivateKeyTypes, b: PrivateKeyTypes) =>
  assert.ok((a.publicKey() as { equals(o: unknown): boolean }).equals(b.publicKey()));

describe('PEM and DER round trips', () => {
  for (const [name, make] of keys) {
    test(name, () => {
      const key = make();
      const pub = key.publicKey();
      for (const enc of [new NoEncryption(), new BestAvailableEncryption(PW)]) {
        const pw = enc instanceof NoEncryption ? undefined : PW;
        const pem = key.privateBytes(Encoding.PEM, PrivateFormat.PKCS8, enc);
        assert.match(pem, pw ? /BEGIN ENCRYPTED PRIVATE KEY/ : /BEGIN PRIVATE KEY/);
        samePublic(loadPemPrivateKey(pem, pw), key);
        const der = key.privateBytes(Encoding.DER, PrivateFormat.PKCS8, enc);
        assert.equal(der.constructor, Uint8Array);
        samePublic(loadDerPrivateKey(der, pw), key);
        if (name === 'P-256' || name.startsWith('RSA') || name.startsWith('brainpool')) {
          const trad = key.privateBytes(Encoding.PEM, PrivateFormat.TraditionalOpenSSL, enc);
          assert.match(trad, name.startsWith('RSA') ? /BEGIN RSA PRIVATE KEY/ : /BEGIN EC PRIVATE KEY/);
          if (pw) assert.match(trad, /Proc-Type: 4,ENCRYPTED/);
          samePublic(loadPemPrivateKey(trad, pw), key);
          if (!pw)
            samePublic(
              loadDerPrivateKey(key.privateBytes(Encoding.DER, PrivateFormat.TraditionalOpenSSL, enc)),
              key,
            );
        } else {
          assert.throws(
            () => key.privateBytes(Encoding.PEM, PrivateFormat.TraditionalOpenSSL, enc),
            TypeError,
          );
        }
      }
      const spki = pub.publicBytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo);
      assert.ok((loadPemPublicKey(spki) as typeof pub).equals(pub as never));
      assert.ok(
        (
          loadDerPublicKey(pub.publicBytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)) as typeof pub
        ).equals(pub as never),
      );
      if (name.startsWith('RSA')) {
        assert.ok(
          (loadPemPublicKey(pub.publicBytes(Encoding.PEM, PublicFormat.PKCS1)) as typeof pub).equals(
            pub as never,
          ),
        );
      }
    });
  }

  test('no silent plaintext: privateBytes needs an encryption marker', () => {
    const key = Ed25519PrivateKey.generate();
    assert.throws(() => key.privateBytes(Encoding.PEM, PrivateFormat.PKCS8, undefined as never), TypeError);
    assert.throws(() => key.privateBytes(Encoding.PEM, PrivateFormat.PKCS8, {} as never), TypeError);
    assert.throws(() => key.privateBytes(Encoding.PEM, PrivateFormat.OpenSSH, new NoEncryption()), TypeError);
    assert.throws(
      () => key.privateBytes(Encoding.Raw, PrivateFormat.Raw, new BestAvailableEncryption(PW)),
      TypeError,
    );
    assert.throws(() => key.privateBytes(Encoding.PEM, PrivateFormat.Raw, new NoEncryption()), TypeError);
    assert.throws(() => new BestAvailableEncryption(''), RangeError);
    assert.equal(String(new BestAvailableEncryption(PW)), 'BestAvailableEncryption');
    assert.equal(JSON.stringify(new BestAvailableEncryption(PW)), '{"type":"BestAvailableEncryption"}');
  });
});

describe('loader errors', () => {
  const key = EllipticCurvePrivateKey.generate(new SECP256R1());
  const plain = key.privateBytes(Encoding.PEM, PrivateFormat.PKCS8, new NoEncryption());
  const encrypted = key.privateBytes(Encoding.PEM, PrivateFormat.PKCS8, new BestAvailableEncryption(PW));
  const legacy = key.privateBytes(
    Encoding.PEM,
    PrivateFormat.TraditionalOpenSSL,
    new BestAvailableEncryption(PW),
  );
  const der = key.privateBytes(Encoding.DER, PrivateFormat.PKCS8, new NoEncryption());
  const encDer = key.privateBytes(Encoding.DER, PrivateFormat.PKCS8, new BestAvailableEncryption(PW));

  test('wrong password is InvalidKey (PKCS#8 PEM/DER, legacy PEM)', () => {
    assert.throws(() => loadPemPrivateKey(encrypted, 'wrong'), InvalidKey);
    assert.throws(() => loadDerPrivateKey(encDer, 'wrong'), InvalidKey);
    assert.throws(() => loadPemPrivateKey(legacy, 'wrong'), InvalidKey);
  });

  test('password missing for an encrypted key, or given for a plain one: TypeError', () => {
    assert.throws(() => loadPemPrivateKey(encrypted), /"password" is required/);
    assert.throws(() => loadPemPrivateKey(legacy), /"password" is required/);
    assert.throws(() => loadDerPrivateKey(encDer), TypeError);
    assert.throws(() => loadPemPrivateKey(plain, PW), /"password" was given/);
    assert.throws(() => loadDerPrivateKey(der, PW), TypeError);
  });

  test('wrong label, truncation, trailing data, bad base64', () => {
    const pub = key.publicKey().publicBytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo);
    assert.throws(() => loadPemPrivateKey(pub), /wrong PEM label.*"PUBLIC KEY"/);
    assert.throws(() => loadPemPublicKey(plain), /wrong PEM label/);
    assert.throws(() => loadPemPrivateKey('no pem here'), /no PEM block/);
    assert.throws(() => loadPemPrivateKey(plain.slice(0, plain.length - 30)), /no END line/);
    assert.throws(() => loadPemPrivateKey(plain.replace('END PRIVATE KEY', 'END PUBLIC KEY')), DecodeError);
    assert.throws(() => loadPemPrivateKey(plain.replace(/\n[A-Za-z0-9]/, '\n*')), /not valid base64/);
    assert.throws(() => loadDerPrivateKey(der.subarray(0, der.length - 1)), /truncated/);
    assert.throws(() => loadDerPrivateKey(Uint8Array.from([...der, 0])), /trailing data/);
    assert.throws(() => loadDerPublicKey(der), DecodeError);
    assert.throws(() => loadDerPrivateKey(new Uint8Array(0)), DecodeError);
    assert.throws(() => loadPemPrivateKey('x'.repeat((1 << 20) + 1)), /larger than 1 MiB/);
    // Other blocks before the key are skipped (openssl ecparam -genkey writes EC PARAMETERS first).
    const params = '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n';
    samePublic(
      loadPemPrivateKey(
        params + key.privateBytes(Encoding.PEM, PrivateFormat.TraditionalOpenSSL, new NoEncryption()),
      ),
      key,
    );
  });

  test('unsupported algorithms and curves', () => {
    const sm = generateKeyPairSync('ec', { namedCurve: 'secp224r1' });
    assert.throws(
      () => loadPemPrivateKey(sm.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string),
      UnsupportedAlgorithm,
    );
    assert.throws(
      () => loadDerPublicKey(sm.publicKey.export({ type: 'spki', format: 'der' })),
      UnsupportedAlgorithm,
    );
    // An explicit-parameters curve.
    const explicit = generateKeyPairSync('ec', { namedCurve: 'P-256', paramEncoding: 'explicit' });
    assert.throws(
      () => loadPemPublicKey(explicit.publicKey.export({ type: 'spki', format: 'pem' }) as string),
      UnsupportedAlgorithm,
    );
  });

  test('DH parameters round trip through PEM', () => {
    // RFC 2409 §6.2 (Oakley group 2), 1024 bits.
    const p = BigInt(
      '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF',
    );
    const pem = new DHParameterNumbers(p, 2n)
      .parameters()
      .parameterBytes('PEM', ParameterFormat.PKCS3) as string;
    assert.match(pem, /BEGIN DH PARAMETERS/);
    const loaded = loadPemParameters(pem).parameterNumbers();
    assert.equal(loaded.p, p);
    assert.equal(loaded.g, 2n);
    assert.throws(() => loadPemParameters(pem.replace('DH PARAMETERS', 'DH PARAMETERZ')), DecodeError);
  });
});

describe('JWK', () => {
  test('RFC 7638 §3.1 thumbprint example', () => {
    const jwk = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    assert.equal(jwkThumbprint(jwk), 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
    assert.equal(jwkThumbprint(loadJwk(jwk)), 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
    assert.equal(jwkThumbprint(jwk, new SHA256()), jwkThumbprint(jwk));
  });

  for (const [name, make] of keys) {
    if (name.startsWith('brainpool')) continue;
    test(`${name}: public and private JWK round trips`, () => {
      const key = make();
      const pub = keyToJwk(key.publicKey());
      assert.equal(pub.d, undefined);
      assert.ok((loadJwk(pub) as { equals(o: unknown): boolean }).equals(key.publicKey()));
      const priv = privateKeyToJwk(key, new NoEncryption());
      samePublic(loadJwk(priv) as PrivateKeyTypes, key);
      assert.equal(jwkThumbprint(key), jwkThumbprint(pub));
      assert.throws(() => privateKeyToJwk(key, new BestAvailableEncryption(PW) as never), TypeError);
    });
  }

  test('bad JWKs', () => {
    assert.throws(() => loadJwk({ kty: 'oct', k: 'AAAA' }), UnsupportedAlgorithm);
    assert.throws(() => loadJwk({ kty: 'OKP', crv: 'Ed25519', x: 'not base64url!' }), DecodeError);
    assert.throws(() => loadJwk({ kty: 'OKP', crv: 'Ed25519', x: 'AAAA' }), DecodeError);
    assert.throws(() => loadJwk({ kty: 'OKP', crv: 'Ed25519' }), TypeError);
    assert.throws(() => loadJwk({ kty: 'EC', crv: 'P-192', x: 'AA', y: 'AA' }), UnsupportedAlgorithm);
    const ec = keyToJwk(EllipticCurvePrivateKey.generate(new SECP256R1()).publicKey());
    assert.throws(() => loadJwk({ ...ec, y: ec.x }), DecodeError, 'a point off the curve');
    assert.throws(
      () => keyToJwk(EllipticCurvePrivateKey.generate(new BrainpoolP256R1()).publicKey()),
      UnsupportedAlgorithm,
    );
  });
});

describe('OpenSSH glue', () => {
  for (const [name, make] of keys.filter(([n]) => ['Ed25519', 'P-256', 'RSA-1024'].includes(n))) {
    test(`${name}: public line, fingerprint, private round trip with and without a passphrase`, async () => {
      const key = make();
      const line = key.publicKey().publicBytes(Encoding.OpenSSH, PublicFormat.OpenSSH);
      assert.match(line, /^(ssh-ed25519|ecdsa-sha2-nistp256|ssh-rsa) AAAA/);
      const loaded = loadSshPublicKey(`${line} me@host\n`);
      assert.ok((loaded as { equals(o: unknown): boolean }).equals(key.publicKey()));
      assert.match(sshFingerprint(key.publicKey()), /^SHA256:[A-Za-z0-9+/]{43}$/);
      assert.equal(sshFingerprint(key), sshFingerprint(key.publicKey()));
      const text = await serializeSshPrivateKey(key, { encryption: new NoEncryption(), comment: 'c' });
      assert.match(text, /BEGIN OPENSSH PRIVATE KEY/);
      samePublic(await loadSshPrivateKey(text), key);
      await assert.rejects(loadSshPrivateKey(text, PW), TypeError);
      if (name === 'Ed25519') {
        const enc = await serializeSshPrivateKey(key, { encryption: new BestAvailableEncryption(PW) });
        samePublic(await loadSshPrivateKey(enc, PW), key);
        await assert.rejects(loadSshPrivateKey(enc, 'wrong'), InvalidKey);
        await assert.rejects(loadSshPrivateKey(enc), DecodeError);
      }
    });
  }

  test('key types OpenSSH lacks', async () => {
    const x = X25519PrivateKey.generate();
    assert.throws(
      () => x.publicKey().publicBytes(Encoding.OpenSSH, PublicFormat.OpenSSH),
      UnsupportedAlgorithm,
    );
    await assert.rejects(serializeSshPrivateKey(x, { encryption: new NoEncryption() }), UnsupportedAlgorithm);
    await assert.rejects(serializeSshPrivateKey(x, {} as never), TypeError);
  });
});
