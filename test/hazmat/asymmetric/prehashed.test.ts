// Prehashed ECDSA (from @noble/curves) against OpenSSL's ECDSA over the message (through node:crypto):
// a signature over a digest must be an ordinary ECDSA signature of the message, both ways.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidSignature, UnsupportedAlgorithm } from '../../../src/errors.ts';
import {
  BrainpoolP256R1,
  ECDSA,
  EllipticCurvePrivateKey,
  SECP256K1,
  SECP256R1,
  SECP384R1,
  SECP521R1,
} from '../../../src/hazmat/asymmetric/ec.ts';
import { Prehashed } from '../../../src/hazmat/asymmetric/utils.ts';
import { hash, SHA256, SHA384, SHA512 } from '../../../src/hazmat/hashes.ts';

const message = new TextEncoder().encode('prehashed ECDSA must equal ECDSA over the message');
const CASES = [
  { curve: new SECP256R1(), hash: () => new SHA256() },
  { curve: new SECP384R1(), hash: () => new SHA384() },
  { curve: new SECP521R1(), hash: () => new SHA512() },
  { curve: new SECP256K1(), hash: () => new SHA256() },
  { curve: new SECP256R1(), hash: () => new SHA512() }, // a digest longer than the order: truncated (bits2int)
  { curve: new SECP521R1(), hash: () => new SHA256() },
] as const;

describe('Prehashed ECDSA', () => {
  for (const { curve, hash: h } of CASES) {
    for (const signatureEncoding of ['der', 'ieee-p1363'] as const) {
      test(`${curve.name} with ${h().name}, ${signatureEncoding}: agrees with OpenSSL both ways`, () => {
        const key = EllipticCurvePrivateKey.generate(curve);
        const digest = hash(h(), message);
        const pre = new ECDSA(new Prehashed(h()), { signatureEncoding });
        const plain = new ECDSA(h(), { signatureEncoding });
        // noble signs the digest; OpenSSL verifies over the message
        const fromDigest = key.sign(digest, pre);
        key.publicKey().verify(fromDigest, message, plain);
        // OpenSSL signs the message; noble verifies over the digest
        const fromMessage = key.sign(message, plain);
        key.publicKey().verify(fromMessage, digest, pre);
        // and a different digest fails
        const other = Uint8Array.from(digest);
        other[0]! ^= 1;
        assert.throws(() => key.publicKey().verify(fromMessage, other, pre), InvalidSignature);
        const flipped = Uint8Array.from(fromMessage);
        flipped[flipped.length - 1]! ^= 1;
        assert.throws(() => key.publicKey().verify(flipped, digest, pre), InvalidSignature);
      });
    }
  }
  test('signatures are randomized (hedged), not repeated', () => {
    const key = EllipticCurvePrivateKey.generate(new SECP256R1());
    const pre = new ECDSA(new Prehashed(new SHA256()));
    const d = hash(new SHA256(), message);
    assert.notDeepEqual(key.sign(d, pre), key.sign(d, pre));
  });
  test('a digest of the wrong size is a RangeError', () => {
    const key = EllipticCurvePrivateKey.generate(new SECP256R1());
    const pre = new ECDSA(new Prehashed(new SHA256()));
    assert.throws(
      () => key.sign(new Uint8Array(31), pre),
      /"data" must be the 32-byte sha256 digest, got 31 bytes/,
    );
    assert.throws(() => key.publicKey().verify(new Uint8Array(64), new Uint8Array(33), pre), RangeError);
  });
  test('brainpool curves refuse Prehashed', () => {
    const key = EllipticCurvePrivateKey.generate(new BrainpoolP256R1());
    const pre = new ECDSA(new Prehashed(new SHA256()));
    assert.throws(() => key.sign(new Uint8Array(32), pre), UnsupportedAlgorithm);
  });
});
