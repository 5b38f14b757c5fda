// The node:crypto calls age needs that backend.ts and backend-aead.ts do not already make: X25519 from
// raw 32-byte keys. Node 20's JWK import insists on the public `x` beside `d`, so raw keys go in through
// the fixed DER prefixes of RFC 8410 (PKCS #8 and SPKI for id-X25519, OID 1.3.101.110) instead.
import * as nc from 'node:crypto';
import { hkdf, hmac, type KeyInput, scryptAsync } from './backend.ts';
import { aeadOpen, aeadSeal } from './backend-aead.ts';

const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');

export type X25519PrivateKey = nc.KeyObject;

/** Imports a raw X25519 private scalar (RFC 7748 §5: clamping is OpenSSL's, at use). */
export function x25519PrivateKey(scalar: Uint8Array): X25519PrivateKey {
  const der = Buffer.concat([PKCS8_X25519, scalar]);
  try {
    return nc.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
}

/** A fresh X25519 key pair: the private KeyObject, its raw scalar and its raw public key. */
export function x25519Generate(): {
  privateKey: X25519PrivateKey;
  scalar: Uint8Array;
  publicKey: Uint8Array;
} {
  const { privateKey, publicKey } = nc.generateKeyPairSync('x25519');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const scalar = Uint8Array.from(der.subarray(PKCS8_X25519.length));
  der.fill(0);
  return { privateKey, scalar, publicKey: rawPublic(publicKey) };
}

function rawPublic(key: nc.KeyObject): Uint8Array {
  return new Uint8Array(key.export({ format: 'der', type: 'spki' }).subarray(SPKI_X25519.length));
}

/** The raw public key of a private key. */
export function x25519PublicOf(privateKey: X25519PrivateKey): Uint8Array {
  return rawPublic(nc.createPublicKey(privateKey));
}

/**
 * X25519(private, public), or null when the result is all zeros (a low-order or identity point). OpenSSL
 * refuses to derive an all-zero secret; that refusal is the only failure left once sizes are checked.
 */
export function x25519(privateKey: X25519PrivateKey, publicKey: Uint8Array): Uint8Array | null {
  const pub = nc.createPublicKey({
    key: Buffer.concat([SPKI_X25519, publicKey]),
    format: 'der',
    type: 'spki',
  });
  let shared: Buffer;
  try {
    shared = nc.diffieHellman({ privateKey, publicKey: pub });
  } catch {
    return null;
  }
  if (shared.every((b) => b === 0)) return null;
  return new Uint8Array(shared.buffer, shared.byteOffset, shared.byteLength);
}

export const hkdfSha256 = (ikm: KeyInput, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array =>
  hkdf('sha256', ikm, salt, info, length);

export const hmacSha256 = (key: KeyInput, data: Uint8Array): Uint8Array => hmac('sha256', key, data);

/** scrypt with r = 8, p = 1 (age's parameters) and enough `maxmem` for N. */
export function scryptR8P1(passphrase: Uint8Array, salt: Uint8Array, logN: number): Promise<Uint8Array> {
  const n = 2 ** logN;
  return scryptAsync(passphrase, salt, 32, { n, r: 8, p: 1, maxmem: 128 * 8 * n + 2 * 1024 * 1024 });
}

/** ChaCha20-Poly1305 (RFC 8439) seal: ciphertext ‖ 16-byte tag. */
export const chachaSeal = (key: KeyInput, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array =>
  aeadSeal('chacha20-poly1305', false, key, nonce, plaintext, undefined, 16);

/** ChaCha20-Poly1305 open of ciphertext ‖ tag; null when the tag does not verify. */
export function chachaOpen(key: KeyInput, nonce: Uint8Array, sealed: Uint8Array): Uint8Array | null {
  if (sealed.length < 16) return null;
  const body = sealed.length - 16;
  return aeadOpen(
    'chacha20-poly1305',
    false,
    key,
    nonce,
    sealed.subarray(0, body),
    sealed.subarray(body),
    undefined,
  );
}

/** A key handle for a key used many times (the payload key), made once. */
export function secretKeyObject(key: Uint8Array): nc.KeyObject {
  return nc.createSecretKey(key);
}
