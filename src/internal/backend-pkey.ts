// The adapter over node:crypto's asymmetric keys (KeyObjects, OpenSSL's EVP_PKEY). Every asymmetric call
// into OpenSSL goes through here, like src/internal/backend.ts for the symmetric side. Callers validate
// their arguments first and turn node's errors into coffer's (see `nodeReason`).
import * as nc from 'node:crypto';

export type NodeKeyObject = nc.KeyObject;
export type NodeJwk = nc.JsonWebKey;

export const constants = nc.constants;

export function isKeyObject(value: unknown): value is nc.KeyObject {
  return value instanceof nc.KeyObject;
}

// ---------------------------------------------------------------------------------------------------
// Import and export.

export function privateFromDer(
  der: Uint8Array,
  type: 'pkcs8' | 'pkcs1' | 'sec1',
  passphrase?: Uint8Array,
): nc.KeyObject {
  return nc.createPrivateKey(
    passphrase === undefined
      ? { key: Buffer.from(der.buffer, der.byteOffset, der.byteLength), format: 'der', type }
      : {
          key: Buffer.from(der.buffer, der.byteOffset, der.byteLength),
          format: 'der',
          type,
          passphrase: Buffer.from(passphrase),
        },
  );
}

export function privateFromPem(pem: string, passphrase?: Uint8Array): nc.KeyObject {
  return nc.createPrivateKey(
    passphrase === undefined
      ? { key: pem, format: 'pem' }
      : { key: pem, format: 'pem', passphrase: Buffer.from(passphrase) },
  );
}

export function publicFromDer(der: Uint8Array, type: 'spki' | 'pkcs1'): nc.KeyObject {
  return nc.createPublicKey({
    key: Buffer.from(der.buffer, der.byteOffset, der.byteLength),
    format: 'der',
    type,
  });
}

export function privateFromJwk(jwk: NodeJwk): nc.KeyObject {
  return nc.createPrivateKey({ key: jwk, format: 'jwk' });
}

export function publicFromJwk(jwk: NodeJwk): nc.KeyObject {
  return nc.createPublicKey({ key: jwk, format: 'jwk' });
}

/** The public half of a private KeyObject (or the same public KeyObject). */
export function publicOf(key: nc.KeyObject): nc.KeyObject {
  return nc.createPublicKey(key);
}

export function exportDer(key: nc.KeyObject, type: 'pkcs8' | 'pkcs1' | 'sec1' | 'spki'): Buffer {
  return key.export({ format: 'der', type } as nc.KeyExportOptions<'der'>) as Buffer;
}

export function exportPem(key: nc.KeyObject, type: 'pkcs8' | 'pkcs1' | 'sec1' | 'spki'): string {
  return key.export({ format: 'pem', type } as nc.KeyExportOptions<'pem'>) as string;
}

/** Encrypted export: PKCS#8 PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) or, for pkcs1/sec1 PEM, legacy PEM. */
export function exportEncrypted(
  key: nc.KeyObject,
  format: 'pem' | 'der',
  type: 'pkcs8' | 'pkcs1' | 'sec1',
  passphrase: Uint8Array,
): string | Buffer {
  return key.export({
    format,
    type,
    cipher: 'aes-256-cbc',
    passphrase: Buffer.from(passphrase),
  } as nc.KeyExportOptions<'pem'>);
}

export function exportJwk(key: nc.KeyObject): NodeJwk {
  return key.export({ format: 'jwk' });
}

// ---------------------------------------------------------------------------------------------------
// Generation.

export function generate(
  type: 'ed25519' | 'ed448' | 'x25519' | 'x448' | 'ec' | 'rsa' | 'dsa' | 'dh',
  options?: Record<string, unknown>,
): nc.KeyObject {
  // biome-ignore lint/suspicious/noExplicitAny: node's overloads are per literal type; options were checked.
  return (nc.generateKeyPairSync as any)(type, options ?? {}).privateKey as nc.KeyObject;
}

// ---------------------------------------------------------------------------------------------------
// Operations. One-shots only: no Sign/Verify objects, so each call is one trip into OpenSSL.

export type SignKey = nc.KeyObject | nc.SignKeyObjectInput;
export type VerifyKey = nc.KeyObject | nc.VerifyKeyObjectInput;

export function sign(algorithm: string | null, data: Uint8Array, key: SignKey): Buffer {
  return nc.sign(algorithm, data, key);
}

export function verify(
  algorithm: string | null,
  data: Uint8Array,
  key: VerifyKey,
  signature: Uint8Array,
): boolean {
  return nc.verify(algorithm, data, key, signature);
}

export function derive(privateKey: nc.KeyObject, publicKey: nc.KeyObject): Buffer {
  return nc.diffieHellman({ privateKey, publicKey });
}

export function publicEncrypt(options: nc.RsaPublicKey | nc.KeyObject, data: Uint8Array): Buffer {
  return nc.publicEncrypt(options as nc.RsaPublicKey, data);
}

export function privateDecrypt(options: nc.RsaPrivateKey, data: Uint8Array): Buffer {
  return nc.privateDecrypt(options, data);
}

/** RSA private-key operation with PKCS#1 v1.5 type 1 padding (a signature over a prepared DigestInfo). */
export function privateEncrypt(options: nc.RsaPrivateKey, data: Uint8Array): Buffer {
  return nc.privateEncrypt(options, data);
}

export function publicDecrypt(options: nc.RsaPublicKey, data: Uint8Array): Buffer {
  return nc.publicDecrypt(options, data);
}

/** Re-encodes an EC point (validating it is on the curve) as compressed or uncompressed SEC1. */
export function convertPoint(curve: string, point: Uint8Array, form: 'compressed' | 'uncompressed'): Buffer {
  return nc.ECDH.convertKey(point as NodeJS.ArrayBufferView, curve, undefined, undefined, form) as Buffer;
}

/**
 * The uncompressed public point for a private scalar. node checks 1 <= d < n here (ECDH's
 * IsKeyValidForCurve), which a SEC1 import alone does not.
 */
export function ecPublicPoint(curve: string, scalar: Uint8Array): Buffer {
  const ecdh = nc.createECDH(curve);
  ecdh.setPrivateKey(scalar);
  return ecdh.getPublicKey();
}

export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return nc.timingSafeEqual(a, b);
}

export function digest(name: string, data: Uint8Array): Buffer {
  return nc.createHash(name).update(data).digest();
}

/** OpenSSL's reason string from a node crypto error, for DecodeError messages (never key material). */
export function nodeReason(err: unknown): string {
  if (!(err instanceof Error)) return 'unknown error';
  const e = err as Error & { reason?: unknown };
  if (typeof e.reason === 'string' && e.reason !== '') return e.reason;
  return e.message.replace(/^error:[0-9A-F]+:[^:]*:[^:]*:/, '');
}

/** node's error code, if any. */
export function nodeCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
