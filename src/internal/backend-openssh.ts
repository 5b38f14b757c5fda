// The calls the OpenSSH formats make below themselves: AES-CTR, AES-CBC and AES-GCM through node:crypto
// (OpenSSL), SHA-256/SHA-512 through backend.ts, and bcrypt-pbkdf from the optional package `bcrypt-pbkdf`.
//
// Why a package for bcrypt-pbkdf: OpenSSH's KDF (PROTOCOL.key, OpenBSD's bcrypt_pbkdf.c) hashes with
// "bcrypt_hash", a custom use of Blowfish's expensive key schedule (eksblowfish) that OpenSSL does not
// expose; node:crypto has no way to run it. `bcrypt-pbkdf` 1.0.2 (joyent, BSD-3-Clause, used by ssh2 and
// sshpk) is a small, long-stable port of the OpenBSD C code. It is imported lazily, only when a
// passphrase-protected key is read or written.
import * as nc from 'node:crypto';
import { UnsupportedAlgorithm } from '../errors.ts';
import { digest, type GcmCipherName, gcmDecrypt, gcmEncrypt, randomBytes } from './backend.ts';

export { randomBytes };

/** SHA-256 of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  return digest('sha256', data);
}

/** SHA-512 of `data`. */
export function sha512(data: Uint8Array): Uint8Array {
  return digest('sha512', data);
}

export type AesBits = 128 | 192 | 256;

/** AES-CTR (a 16-byte big-endian counter block, as OpenSSH's aesctr): encryption and decryption alike. */
export function aesCtr(bits: AesBits, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  const c = nc.createCipheriv(`aes-${bits}-ctr`, key, iv);
  const body = c.update(data);
  const last = c.final();
  return last.length === 0 ? body : Buffer.concat([body, last]);
}

/** Raw AES-CBC without padding (the caller's data is a whole number of blocks). */
export function aesCbc(
  bits: AesBits,
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
  encrypt: boolean,
): Buffer {
  const c = encrypt
    ? nc.createCipheriv(`aes-${bits}-cbc`, key, iv)
    : nc.createDecipheriv(`aes-${bits}-cbc`, key, iv);
  c.setAutoPadding(false);
  const body = c.update(data);
  const last = c.final();
  return last.length === 0 ? body : Buffer.concat([body, last]);
}

function gcmName(bits: AesBits): GcmCipherName {
  return `aes-${bits}-gcm`;
}

/** AES-GCM with a 12-byte IV and no associated data: ciphertext ‖ 16-byte tag. */
export function aesGcmSeal(bits: AesBits, key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Buffer {
  const [body, tag] = gcmEncrypt(gcmName(bits), key, iv, plaintext, undefined);
  return Buffer.concat([body, tag]);
}

/** AES-GCM opening; null (and no plaintext) when the tag does not verify. */
export function aesGcmOpen(
  bits: AesBits,
  key: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
): Buffer | null {
  return gcmDecrypt(gcmName(bits), key, iv, ciphertext, tag, undefined);
}

interface BcryptPbkdfModule {
  pbkdf(
    pass: Uint8Array,
    passlen: number,
    salt: Uint8Array,
    saltlen: number,
    key: Uint8Array,
    keylen: number,
    rounds: number,
  ): number;
}

let bcryptModule: Promise<BcryptPbkdfModule | null> | undefined;

function loadBcryptPbkdf(): Promise<BcryptPbkdfModule | null> {
  bcryptModule ??= (async () => {
    // A variable specifier: the package ships no types and is optional, so TypeScript must not resolve it.
    const specifier = 'bcrypt-pbkdf';
    try {
      const m = (await import(specifier)) as { default?: unknown; pbkdf?: unknown };
      const mod = (typeof m.pbkdf === 'function' ? m : m.default) as BcryptPbkdfModule | undefined;
      return mod !== undefined && typeof mod.pbkdf === 'function' ? mod : null;
    } catch {
      return null;
    }
  })();
  return bcryptModule;
}

/**
 * OpenBSD's bcrypt_pbkdf(passphrase, salt, rounds) → `length` bytes. The caller has bounded `rounds`,
 * `salt.length` (1 to 1 KiB) and `length` (at most 1 KiB), and made sure `passphrase` is not empty.
 * CPU-bound: about 25 ms a round in this pure-JS implementation.
 */
export async function bcryptPbkdf(
  passphrase: Uint8Array,
  salt: Uint8Array,
  rounds: number,
  length: number,
): Promise<Uint8Array> {
  const m = await loadBcryptPbkdf();
  if (m === null) {
    throw new UnsupportedAlgorithm(
      'passphrase-protected OpenSSH keys need bcrypt-pbkdf, from the optional package bcrypt-pbkdf, ' +
        'which is not installed (hint: npm install bcrypt-pbkdf)',
    );
  }
  const out = new Uint8Array(length);
  const rc = m.pbkdf(passphrase, passphrase.length, salt, salt.length, out, length, rounds);
  if (rc !== 0) throw new UnsupportedAlgorithm('bcrypt-pbkdf refused its parameters');
  return out;
}
