// ECDSA over a caller's digest (pyca's `Prehashed`), from the audited @noble/curves (pinned exactly).
// OpenSSL can do this, but node:crypto cannot: its sign/verify always hash the input first. So only this
// one mode comes from noble, for the curves noble has (P-256, P-384, P-521, secp256k1); the rest of ECDSA
// stays on OpenSSL. Signatures are hedged (RFC 6979 with 32 extra bytes from node's CSPRNG) and not
// normalized to low-s, so they are ordinary OpenSSL-compatible ECDSA signatures. Callers check every
// argument first.
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { randomBytes } from './backend.ts';

type NobleEcdsa = typeof p256;

const CURVES: Readonly<Record<string, NobleEcdsa>> = {
  secp256r1: p256,
  secp384r1: p384,
  secp521r1: p521,
  secp256k1: secp256k1 as unknown as NobleEcdsa,
};

/** True when `curve` (pyca's name) can sign and verify prehashed digests. */
export function hasPrehashedCurve(curve: string): boolean {
  return Object.hasOwn(CURVES, curve);
}

function format(encoding: 'der' | 'ieee-p1363'): 'der' | 'compact' {
  return encoding === 'der' ? 'der' : 'compact';
}

/** Signs `digest` with the private scalar (big-endian, the curve's byte length). */
export function signDigest(
  curve: string,
  scalar: Uint8Array,
  digest: Uint8Array,
  encoding: 'der' | 'ieee-p1363',
): Uint8Array {
  const c = CURVES[curve]!;
  return c.sign(digest, scalar, {
    prehash: false,
    lowS: false,
    format: format(encoding),
    extraEntropy: randomBytes(32),
  });
}

/** Verifies a signature over `digest` with an uncompressed SEC1 public point; false on any failure. */
export function verifyDigest(
  curve: string,
  point: Uint8Array,
  digest: Uint8Array,
  signature: Uint8Array,
  encoding: 'der' | 'ieee-p1363',
): boolean {
  const c = CURVES[curve]!;
  try {
    return c.verify(signature, digest, point, { prehash: false, lowS: false, format: format(encoding) });
  } catch {
    return false;
  }
}
