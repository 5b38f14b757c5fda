/**
 * OpenSSH key formats, as pure encoders and decoders over JWK objects (RFC 7517/7518/8037):
 * - public key lines (`ssh-ed25519 AAAA… comment`) and the wire blobs inside them (RFC 4253 §6.6,
 *   RFC 5656 §3.1, RFC 8709 §4) for `ssh-ed25519`, `ecdsa-sha2-nistp256/384/521` and `ssh-rsa`;
 * - `SHA256:` fingerprints, as `ssh-keygen -l` prints them;
 * - private keys in OpenSSH's own format (`-----BEGIN OPENSSH PRIVATE KEY-----`, PROTOCOL.key), plain or
 *   protected by a passphrase through bcrypt-pbkdf and AES (aes256-ctr, as ssh-keygen writes by default;
 *   aes128/192/256-ctr, -cbc and aes128/256-gcm@openssh.com are read too).
 *
 * The module holds no policy and no key objects: it turns text into JWKs and back, which node:crypto
 * imports with `createPrivateKey({ key: jwk, format: 'jwk' })`. Most callers want the key classes and
 * `loadSshPublicKey` / `loadSshPrivateKey` in `coffer/hazmat/serialization` instead.
 *
 * Limits (each refused with a `DecodeError` before any work is done): text up to 1 MiB, RSA moduli up to
 * 16384 bits, bcrypt-pbkdf rounds up to {@link MAX_BCRYPT_ROUNDS} (about 25 ms a round), salts up to 1 KiB.
 *
 * bcrypt-pbkdf comes from the optional package `bcrypt-pbkdf` (OpenSSL has no eksblowfish, which the KDF
 * needs); without it, passphrase-protected keys raise `UnsupportedAlgorithm`.
 *
 * @example
 * ```ts
 * import { createPrivateKey, sign } from 'node:crypto';
 * import { parseSshPrivateKey, encodeSshPublicKey } from 'coffer/formats/openssh';
 * const { jwk, comment } = await parseSshPrivateKey(pemText, passphrase);
 * const key = createPrivateKey({ key: jwk, format: 'jwk' });
 * const line = encodeSshPublicKey(jwk, comment); // 'ssh-ed25519 AAAAC3Nza… me@host'
 * ```
 * @module
 */
import { DecodeError, InvalidKey, UnsupportedAlgorithm } from '../errors.ts';
import {
  aesCbc,
  aesCtr,
  aesGcmOpen,
  aesGcmSeal,
  bcryptPbkdf,
  randomBytes,
  sha256,
} from '../internal/backend-openssh.ts';
import { bytes, concat, describeValue, integer, isBytes, plainObject, string } from '../internal/bytes.ts';
import {
  bigintOf,
  bytesOfBigint,
  MAX_MPINT_BYTES,
  mpint,
  SshReader,
  sshString,
  u32,
} from '../internal/ssh-wire.ts';
import { base64Decode, base64urlDecode } from './encoding.ts';

/** An OpenSSH-representable key as a JWK: public, or private when `d` (and for RSA the CRT fields) is set. */
export type SshJwk =
  | { kty: 'OKP'; crv: 'Ed25519'; x: string; d?: string }
  | { kty: 'EC'; crv: 'P-256' | 'P-384' | 'P-521'; x: string; y: string; d?: string }
  | {
      kty: 'RSA';
      n: string;
      e: string;
      d?: string;
      p?: string;
      q?: string;
      dp?: string;
      dq?: string;
      qi?: string;
    };

/** The OpenSSH key types this module reads and writes. */
export type SshKeyType =
  | 'ssh-ed25519'
  | 'ecdsa-sha2-nistp256'
  | 'ecdsa-sha2-nistp384'
  | 'ecdsa-sha2-nistp521'
  | 'ssh-rsa';

/** Largest text any parser here accepts: 1 MiB. */
export const MAX_SSH_TEXT_LENGTH = 1 << 20;
/** Most bcrypt-pbkdf rounds read from a file or used to write one (ssh-keygen's default is 16). */
export const MAX_BCRYPT_ROUNDS = 1000;
/** Rounds written by default, as ssh-keygen. */
export const DEFAULT_BCRYPT_ROUNDS = 16;
const MAX_SALT = 1024;
const PUBLIC = 'invalid OpenSSH public key';
const PRIVATE = 'invalid OpenSSH private key';
const MAGIC = new TextEncoder().encode('openssh-key-v1\0');
const BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const END = '-----END OPENSSH PRIVATE KEY-----';

interface Curve {
  readonly crv: 'P-256' | 'P-384' | 'P-521';
  readonly id: string;
  readonly type: SshKeyType;
  readonly size: number;
}
const CURVES: readonly Curve[] = [
  { crv: 'P-256', id: 'nistp256', type: 'ecdsa-sha2-nistp256', size: 32 },
  { crv: 'P-384', id: 'nistp384', type: 'ecdsa-sha2-nistp384', size: 48 },
  { crv: 'P-521', id: 'nistp521', type: 'ecdsa-sha2-nistp521', size: 66 },
];

// Types OpenSSH knows that this module does not read: named, so the error says "unsupported" rather
// than "malformed". Anything else unknown is unsupported too; this list only shapes the message.
const KNOWN_UNSUPPORTED =
  /^(?:ssh-dss|sk-|.*-cert-v01@openssh\.com$|ssh-xmss|ecdsa-sha2-|ssh-ed448|rsa-sha2-)/;

function unsupportedType(type: string): never {
  const hint = KNOWN_UNSUPPORTED.test(type) ? '' : ' (unknown key type)';
  throw new UnsupportedAlgorithm(
    `OpenSSH key type "${type}" is not supported${hint}: coffer reads ssh-ed25519, ` +
      'ecdsa-sha2-nistp256/384/521 and ssh-rsa',
  );
}

// ---------------------------------------------------------------------------------------------------
// JWK fields.

function b64u(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64url');
}

function jwkField(jwk: Record<string, unknown>, name: string): Uint8Array {
  const value = jwk[name];
  if (typeof value !== 'string') {
    throw new TypeError(`"jwk.${name}" must be a string, got ${describeValue(value)}`);
  }
  if (value.length > 4 * MAX_MPINT_BYTES) throw new DecodeError(`invalid JWK: "${name}" is too long`);
  try {
    return base64urlDecode(value, { padding: 'none' });
  } catch {
    throw new DecodeError(`invalid JWK: "${name}" is not unpadded base64url`);
  }
}

function fixedField(jwk: Record<string, unknown>, name: string, size: number): Uint8Array {
  const b = jwkField(jwk, name);
  if (b.length !== size)
    throw new DecodeError(`invalid JWK: "${name}" must be ${size} bytes, got ${b.length}`);
  return b;
}

/** An RSA integer field: at most 16384 bits, leading zeros tolerated (some JWK writers add one). */
function intField(jwk: Record<string, unknown>, name: string): Uint8Array {
  const b = jwkField(jwk, name);
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  const m = b.subarray(i);
  if (m.length === 0) throw new DecodeError(`invalid JWK: "${name}" is zero`);
  if (m.length > MAX_MPINT_BYTES) throw new DecodeError(`invalid JWK: "${name}" is larger than 16384 bits`);
  return m;
}

type Parsed =
  | { kind: 'ed25519'; x: Uint8Array; d?: Uint8Array }
  | { kind: 'ec'; curve: Curve; x: Uint8Array; y: Uint8Array; d?: Uint8Array }
  | {
      kind: 'rsa';
      n: Uint8Array;
      e: Uint8Array;
      priv?: { d: Uint8Array; p: Uint8Array; q: Uint8Array; qi: Uint8Array };
    };

/** Validates a JWK and pulls out its fields; `needPrivate` requires the private ones. */
function readJwk(value: unknown, needPrivate: boolean): Parsed {
  const jwk = plainObject('jwk', value);
  const kty = jwk.kty;
  if (typeof kty !== 'string') throw new TypeError(`"jwk.kty" must be a string, got ${describeValue(kty)}`);
  // Checked once the key type is known to be supported, so an unsupported JWK says so first.
  const requirePrivate = () => {
    if (needPrivate && jwk.d === undefined) {
      throw new TypeError('"jwk" must be a private key JWK (it has no "d")');
    }
  };
  switch (kty) {
    case 'OKP': {
      const crv = string('jwk.crv', jwk.crv);
      if (crv !== 'Ed25519') throw new UnsupportedAlgorithm(`OpenSSH has no key type for OKP curve "${crv}"`);
      requirePrivate();
      const x = fixedField(jwk, 'x', 32);
      return needPrivate ? { kind: 'ed25519', x, d: fixedField(jwk, 'd', 32) } : { kind: 'ed25519', x };
    }
    case 'EC': {
      const crv = string('jwk.crv', jwk.crv);
      const curve = CURVES.find((c) => c.crv === crv);
      if (curve === undefined)
        throw new UnsupportedAlgorithm(`OpenSSH has no key type for EC curve "${crv}"`);
      requirePrivate();
      const x = fixedField(jwk, 'x', curve.size);
      const y = fixedField(jwk, 'y', curve.size);
      if (!needPrivate) return { kind: 'ec', curve, x, y };
      return { kind: 'ec', curve, x, y, d: fixedField(jwk, 'd', curve.size) };
    }
    case 'RSA': {
      requirePrivate();
      const n = intField(jwk, 'n');
      const e = intField(jwk, 'e');
      if (!needPrivate) return { kind: 'rsa', n, e };
      for (const f of ['p', 'q', 'qi']) {
        if (jwk[f] === undefined) {
          throw new TypeError(
            `"jwk.${f}" is required: OpenSSH stores the RSA primes and the CRT coefficient`,
          );
        }
      }
      const priv = {
        d: intField(jwk, 'd'),
        p: intField(jwk, 'p'),
        q: intField(jwk, 'q'),
        qi: intField(jwk, 'qi'),
      };
      return { kind: 'rsa', n, e, priv };
    }
    default:
      throw new UnsupportedAlgorithm(`OpenSSH has no key type for JWK key type "${kty}"`);
  }
}

function typeOf(k: Parsed): SshKeyType {
  return k.kind === 'ed25519' ? 'ssh-ed25519' : k.kind === 'ec' ? k.curve.type : 'ssh-rsa';
}

function blobOf(k: Parsed): Uint8Array {
  switch (k.kind) {
    case 'ed25519':
      return concat(sshString('ssh-ed25519'), sshString(k.x));
    case 'ec':
      return concat(
        sshString(k.curve.type),
        sshString(k.curve.id),
        sshString(concat(Uint8Array.of(4), k.x, k.y)),
      );
    case 'rsa':
      // RFC 4253 §6.6: e before n.
      return concat(sshString('ssh-rsa'), mpint(k.e), mpint(k.n));
  }
}

// ---------------------------------------------------------------------------------------------------
// Public keys.

/** Reads the key fields of a public blob after its type (shared with the private section, whose public
 * part has the same layout for Ed25519 and ECDSA). */
function readPublicFields(r: SshReader, type: string): SshJwk {
  if (type === 'ssh-ed25519') {
    const x = r.string('the Ed25519 public key', 64);
    if (x.length !== 32) r.fail(`the Ed25519 public key must be 32 bytes, got ${x.length}`);
    return { kty: 'OKP', crv: 'Ed25519', x: b64u(x) };
  }
  const curve = CURVES.find((c) => c.type === type);
  if (curve !== undefined) {
    const id = r.name('the curve name');
    if (id !== curve.id) r.fail(`the curve name "${id}" does not match the key type ${type}`);
    const q = r.string('the EC point', 1 + 2 * curve.size);
    if (q.length !== 1 + 2 * curve.size || q[0] !== 4) {
      r.fail(`the EC point must be an uncompressed ${curve.crv} point of ${1 + 2 * curve.size} bytes`);
    }
    return {
      kty: 'EC',
      crv: curve.crv,
      x: b64u(q.subarray(1, 1 + curve.size)),
      y: b64u(q.subarray(1 + curve.size)),
    };
  }
  if (type === 'ssh-rsa') {
    const e = r.mpint('the RSA public exponent');
    const n = r.mpint('the RSA modulus');
    if (e.length === 0 || !(e[e.length - 1]! & 1)) r.fail('the RSA public exponent must be odd');
    if (n.length === 0) r.fail('the RSA modulus is zero');
    return { kty: 'RSA', n: b64u(n), e: b64u(e) };
  }
  return unsupportedType(type);
}

function parseBlob(blob: Uint8Array, what: string): { jwk: SshJwk; type: SshKeyType } {
  const r = new SshReader(blob, what);
  const type = r.name('the key type');
  const jwk = readPublicFields(r, type);
  r.end('the public key');
  return { jwk, type: type as SshKeyType };
}

/**
 * Reads an SSH public key wire blob (the bytes inside the base64 of a public key line).
 * @throws {DecodeError} when the blob is malformed (truncated, trailing data, bad point or integer).
 * @throws {UnsupportedAlgorithm} for key types other than ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa.
 * @throws {TypeError} when `blob` is not a Uint8Array.
 * @example
 * ```ts
 * import { parseSshPublicKeyBlob } from 'coffer/formats/openssh';
 * const { jwk, type } = parseSshPublicKeyBlob(blob); // type: 'ssh-ed25519'
 * ```
 */
export function parseSshPublicKeyBlob(blob: Uint8Array): { jwk: SshJwk; type: SshKeyType } {
  bytes('blob', blob);
  if (blob.length > MAX_SSH_TEXT_LENGTH) throw new DecodeError(`${PUBLIC}: longer than 1 MiB`);
  return parseBlob(blob, PUBLIC);
}

/**
 * Reads one public key line, as in `id_ed25519.pub` or `authorized_keys` without options:
 * `<type> <base64 blob> [comment]`. One trailing newline is allowed.
 * @returns the key, the comment (`''` when absent) and the key type.
 * @throws {DecodeError} when the line is malformed, spans several lines, or names a type that differs
 *   from the blob's.
 * @throws {UnsupportedAlgorithm} for key types this module does not read.
 * @throws {TypeError} when `text` is not a string.
 * @example
 * ```ts
 * import { parseSshPublicKey } from 'coffer/formats/openssh';
 * const { jwk, comment } = parseSshPublicKey(readFileSync('id_ed25519.pub', 'utf8'));
 * ```
 */
export function parseSshPublicKey(text: string): { jwk: SshJwk; comment: string; type: SshKeyType } {
  string('text', text);
  if (text.length > MAX_SSH_TEXT_LENGTH) throw new DecodeError(`${PUBLIC}: longer than 1 MiB`);
  const line = text.replace(/\r?\n$/, '');
  if (/[\r\n\0]/.test(line)) throw new DecodeError(`${PUBLIC}: expected a single line`);
  const m = /^[ \t]*(\S+)[ \t]+([A-Za-z0-9+/=]+)(?:[ \t]+(.*?))?[ \t]*$/.exec(line);
  if (m === null) throw new DecodeError(`${PUBLIC}: expected "<type> <base64> [comment]"`);
  const [, lineType, b64, comment = ''] = m;
  let blob: Uint8Array;
  try {
    blob = base64Decode(b64!);
  } catch {
    throw new DecodeError(`${PUBLIC}: the key is not valid base64`);
  }
  const { jwk, type } = parseBlob(blob, PUBLIC);
  if (lineType !== type) throw new DecodeError(`${PUBLIC}: the line says ${lineType} but the key is ${type}`);
  return { jwk, comment, type };
}

/**
 * The SSH wire blob of a key given as a JWK (public, or private: the private fields are ignored).
 * @throws {TypeError} when `jwk` is not an object or a field is missing or not a string.
 * @throws {DecodeError} when a field is not unpadded base64url or has the wrong size.
 * @throws {UnsupportedAlgorithm} for JWKs OpenSSH cannot hold (Ed448, X25519, secp256k1, oct…).
 * @example
 * ```ts
 * import { sshPublicKeyBlob, sshFingerprint } from 'coffer/formats/openssh';
 * sshFingerprint(sshPublicKeyBlob(jwk)); // 'SHA256:…'
 * ```
 */
export function sshPublicKeyBlob(jwk: SshJwk): Uint8Array {
  return blobOf(readJwk(jwk, false));
}

function checkComment(comment: unknown): string {
  const c = string('comment', comment);
  if (/[\r\n\0]/.test(c)) throw new TypeError('"comment" must be a single line without NUL');
  if (c.length > 4096) throw new RangeError(`"comment" must be at most 4096 characters, got ${c.length}`);
  return c;
}

/**
 * The one-line OpenSSH public key of a JWK: `<type> <base64 blob>[ <comment>]`, without a newline.
 * @throws {TypeError} when `jwk` is malformed (see {@link sshPublicKeyBlob}) or `comment` is not a
 *   single-line string.
 * @throws {RangeError} when `comment` is longer than 4096 characters.
 * @throws {DecodeError} / {UnsupportedAlgorithm} as {@link sshPublicKeyBlob}.
 * @example
 * ```ts
 * import { encodeSshPublicKey } from 'coffer/formats/openssh';
 * encodeSshPublicKey(jwk, 'me@host'); // 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI… me@host'
 * ```
 */
export function encodeSshPublicKey(jwk: SshJwk, comment?: string): string {
  const k = readJwk(jwk, false);
  const c = comment === undefined ? '' : checkComment(comment);
  const line = `${typeOf(k)} ${Buffer.from(blobOf(k)).toString('base64')}`;
  return c === '' ? line : `${line} ${c}`;
}

/**
 * OpenSSH's SHA-256 fingerprint of a public key blob, as `ssh-keygen -l` prints it:
 * `SHA256:` followed by the unpadded base64 of SHA-256(blob).
 * @throws {TypeError} when `blob` is not a Uint8Array.
 * @example
 * ```ts
 * import { sshFingerprint, parseSshPublicKey, sshPublicKeyBlob } from 'coffer/formats/openssh';
 * sshFingerprint(sshPublicKeyBlob(parseSshPublicKey(line).jwk)); // 'SHA256:uP4wX…'
 * ```
 */
export function sshFingerprint(blob: Uint8Array): string {
  bytes('blob', blob);
  return `SHA256:${Buffer.from(sha256(blob)).toString('base64').replace(/=+$/, '')}`;
}

// ---------------------------------------------------------------------------------------------------
// Private keys (PROTOCOL.key).

interface Cipher {
  readonly mode: 'ctr' | 'cbc' | 'gcm';
  readonly bits: 128 | 192 | 256;
  readonly keyLength: number;
  readonly ivLength: number;
  readonly tagLength: number;
}
const CIPHERS: Readonly<Record<string, Cipher>> = {
  'aes128-ctr': { mode: 'ctr', bits: 128, keyLength: 16, ivLength: 16, tagLength: 0 },
  'aes192-ctr': { mode: 'ctr', bits: 192, keyLength: 24, ivLength: 16, tagLength: 0 },
  'aes256-ctr': { mode: 'ctr', bits: 256, keyLength: 32, ivLength: 16, tagLength: 0 },
  'aes128-cbc': { mode: 'cbc', bits: 128, keyLength: 16, ivLength: 16, tagLength: 0 },
  'aes192-cbc': { mode: 'cbc', bits: 192, keyLength: 24, ivLength: 16, tagLength: 0 },
  'aes256-cbc': { mode: 'cbc', bits: 256, keyLength: 32, ivLength: 16, tagLength: 0 },
  'aes128-gcm@openssh.com': { mode: 'gcm', bits: 128, keyLength: 16, ivLength: 12, tagLength: 16 },
  'aes256-gcm@openssh.com': { mode: 'gcm', bits: 256, keyLength: 32, ivLength: 12, tagLength: 16 },
};
const CIPHER_BLOCK = 16;
const PLAIN_BLOCK = 8;

/** Ciphers {@link encodeSshPrivateKey} can write. */
export type SshPrivateKeyCipher = 'aes256-ctr' | 'aes256-gcm@openssh.com';

/** Options for {@link encodeSshPrivateKey}. */
export interface SshPrivateKeyOptions {
  /** Encrypts the key with bcrypt-pbkdf and `cipher`. Absent: the key is written in the clear. */
  passphrase?: Uint8Array;
  /** Stored beside the key, in the clear inside the encrypted part. Default `''`. */
  comment?: string;
  /** bcrypt-pbkdf rounds, 1 to {@link MAX_BCRYPT_ROUNDS}. Default 16, as ssh-keygen. */
  rounds?: number;
  /** Default `'aes256-ctr'`, as ssh-keygen. */
  cipher?: SshPrivateKeyCipher;
}

/** Result of {@link parseSshPrivateKey}. */
export interface ParsedSshPrivateKey {
  jwk: SshJwk;
  comment: string;
  type: SshKeyType;
  /** Whether the file was passphrase-protected. */
  encrypted: boolean;
}

function unarmor(input: string | Uint8Array): Uint8Array {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else if (isBytes(input)) {
    if (input.length > MAX_SSH_TEXT_LENGTH) throw new DecodeError(`${PRIVATE}: longer than 1 MiB`);
    text = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
  } else {
    throw new TypeError(`"text" must be a string or a Uint8Array, got ${describeValue(input)}`);
  }
  if (text.length > MAX_SSH_TEXT_LENGTH) throw new DecodeError(`${PRIVATE}: longer than 1 MiB`);
  const lines = text.trim().split(/\r?\n/);
  if (lines[0] !== BEGIN) throw new DecodeError(`${PRIVATE}: expected "${BEGIN}"`);
  const end = lines.indexOf(END);
  if (end === -1) throw new DecodeError(`${PRIVATE}: missing "${END}"`);
  if (end !== lines.length - 1) throw new DecodeError(`${PRIVATE}: data after "${END}"`);
  const body = lines
    .slice(1, end)
    .map((l) => l.trim())
    .join('');
  try {
    return base64Decode(body);
  } catch {
    throw new DecodeError(`${PRIVATE}: the body is not valid base64`);
  }
}

function readPrivateFields(r: SshReader, type: string): { jwk: SshJwk; publicBlob: Uint8Array } {
  if (type === 'ssh-ed25519') {
    const x = r.string('the Ed25519 public key', 64);
    if (x.length !== 32) r.fail(`the Ed25519 public key must be 32 bytes, got ${x.length}`);
    const sk = r.string('the Ed25519 private key', 128);
    // OpenSSH stores seed ‖ public key, as the ref10 code does.
    if (sk.length !== 64) r.fail(`the Ed25519 private key must be 64 bytes, got ${sk.length}`);
    if (Buffer.compare(sk.subarray(32), x) !== 0)
      r.fail('the Ed25519 private key holds a different public key');
    const jwk: SshJwk = { kty: 'OKP', crv: 'Ed25519', x: b64u(x), d: b64u(sk.subarray(0, 32)) };
    return { jwk, publicBlob: concat(sshString(type), sshString(x)) };
  }
  const curve = CURVES.find((c) => c.type === type);
  if (curve !== undefined) {
    const pub = readPublicFields(r, type) as Extract<SshJwk, { kty: 'EC' }>;
    const d = r.mpint('the EC private scalar', curve.size);
    if (d.length === 0) r.fail('the EC private scalar is zero');
    const jwk: SshJwk = { ...pub, d: b64u(bytesOfBigint(bigintOf(d), curve.size)) };
    return { jwk, publicBlob: blobOf(readJwk(pub, false)) };
  }
  if (type === 'ssh-rsa') {
    const n = r.mpint('the RSA modulus');
    const e = r.mpint('the RSA public exponent');
    const d = r.mpint('the RSA private exponent');
    const iqmp = r.mpint('the RSA CRT coefficient');
    const p = r.mpint('the RSA prime p');
    const q = r.mpint('the RSA prime q');
    if (n.length === 0 || e.length === 0 || d.length === 0 || p.length === 0 || q.length === 0) {
      r.fail('an RSA integer is zero');
    }
    if (!(e[e.length - 1]! & 1)) r.fail('the RSA public exponent must be odd');
    // Format arithmetic, not cryptography: the fields must describe one key, and JWK needs the CRT
    // exponents OpenSSH leaves out (RFC 8017 §3.2: dP = d mod (p−1), dQ = d mod (q−1)).
    const [N, D, P, Q, QI] = [n, d, p, q, iqmp].map(bigintOf) as [bigint, bigint, bigint, bigint, bigint];
    if (P < 2n || Q < 2n || P * Q !== N) r.fail('the RSA primes do not multiply to the modulus');
    if (D >= N) r.fail('the RSA private exponent is not below the modulus');
    if (QI === 0n || QI >= P || (QI * Q) % P !== 1n) r.fail('the RSA CRT coefficient is wrong');
    const jwk: SshJwk = {
      kty: 'RSA',
      n: b64u(n),
      e: b64u(e),
      d: b64u(d),
      p: b64u(p),
      q: b64u(q),
      dp: b64u(bytesOfBigint(D % (P - 1n))),
      dq: b64u(bytesOfBigint(D % (Q - 1n))),
      qi: b64u(iqmp),
    };
    return { jwk, publicBlob: concat(sshString(type), mpint(e), mpint(n)) };
  }
  return unsupportedType(type);
}

async function decrypt(
  cipher: Cipher,
  passphrase: Uint8Array,
  salt: Uint8Array,
  rounds: number,
  encrypted: Uint8Array,
  tag: Uint8Array,
): Promise<Uint8Array> {
  // bcrypt_pbkdf refuses an empty passphrase; so does ssh-keygen ("incorrect passphrase").
  if (passphrase.length === 0) throw new InvalidKey();
  const km = await bcryptPbkdf(passphrase, salt, rounds, cipher.keyLength + cipher.ivLength);
  const key = km.subarray(0, cipher.keyLength);
  const iv = km.subarray(cipher.keyLength);
  try {
    if (cipher.mode === 'gcm') {
      const plain = aesGcmOpen(cipher.bits, key, iv, encrypted, tag);
      if (plain === null) throw new InvalidKey();
      return plain;
    }
    return cipher.mode === 'ctr'
      ? aesCtr(cipher.bits, key, iv, encrypted)
      : aesCbc(cipher.bits, key, iv, encrypted, false);
  } finally {
    km.fill(0);
  }
}

/**
 * Reads an OpenSSH private key (`-----BEGIN OPENSSH PRIVATE KEY-----`), decrypting it with `passphrase`
 * when it is protected. A passphrase given for an unprotected key is ignored (`encrypted` says which it
 * was). bcrypt-pbkdf runs synchronously inside this async function: about 25 ms a round, 0.4 s at
 * ssh-keygen's default of 16.
 * @param text the file's text, or its bytes.
 * @returns the key as a private JWK (RSA keys with all CRT fields), its comment, type, and whether it was
 *   encrypted.
 * @throws {DecodeError} when the text is malformed (armor, base64, truncation, trailing data, padding,
 *   mismatched check integers in an unencrypted key, a private key that differs from the public one,
 *   more than one key, bcrypt rounds above {@link MAX_BCRYPT_ROUNDS}), or when the key is encrypted and
 *   no passphrase was given (`the key is encrypted: a passphrase is required`).
 * @throws {InvalidKey} when the passphrase is wrong.
 * @throws {UnsupportedAlgorithm} for unknown key types, ciphers and KDFs, or when the optional package
 *   bcrypt-pbkdf is missing.
 * @throws {TypeError} when `text` or `passphrase` has the wrong type.
 * @example
 * ```ts
 * import { parseSshPrivateKey } from 'coffer/formats/openssh';
 * const { jwk } = await parseSshPrivateKey(readFileSync('id_ed25519', 'utf8'), Buffer.from('hunter2'));
 * ```
 */
export async function parseSshPrivateKey(
  text: string | Uint8Array,
  passphrase?: Uint8Array,
): Promise<ParsedSshPrivateKey> {
  if (passphrase !== undefined) bytes('passphrase', passphrase);
  const data = unarmor(text);
  const r = new SshReader(data, PRIVATE);
  const magic = r.raw(Math.min(MAGIC.length, r.remaining), 'the magic');
  if (Buffer.compare(magic, MAGIC) !== 0) r.fail('missing the "openssh-key-v1" magic');
  const cipherName = r.name('the cipher name');
  const kdfName = r.name('the KDF name');
  const kdfOptions = r.string('the KDF options', MAX_SALT + 16);
  const count = r.u32('the number of keys');
  if (count !== 1) r.fail(`holds ${count} keys; exactly one is supported`);
  const publicBlob = r.string('the public key');
  const { type } = parseBlob(publicBlob, PRIVATE);

  let cipher: Cipher | undefined;
  let salt: Uint8Array = new Uint8Array(0);
  let rounds = 0;
  if (cipherName === 'none') {
    if (kdfName !== 'none') r.fail(`an unencrypted key names the KDF "${kdfName}"`);
    if (kdfOptions.length !== 0) r.fail('an unencrypted key has KDF options');
  } else {
    cipher = CIPHERS[cipherName];
    if (cipher === undefined)
      throw new UnsupportedAlgorithm(`OpenSSH key cipher "${cipherName}" is not supported`);
    if (kdfName === 'none') r.fail(`an encrypted key (${cipherName}) names no KDF`);
    if (kdfName !== 'bcrypt') throw new UnsupportedAlgorithm(`OpenSSH key KDF "${kdfName}" is not supported`);
    const k = new SshReader(kdfOptions, `${PRIVATE}: KDF options`);
    salt = k.string('the salt', MAX_SALT);
    rounds = k.u32('the rounds');
    k.end('the rounds');
    if (salt.length === 0) r.fail('the bcrypt salt is empty');
    if (rounds === 0) r.fail('bcrypt rounds must be at least 1');
    if (rounds > MAX_BCRYPT_ROUNDS)
      r.fail(`bcrypt rounds ${rounds} exceed the limit of ${MAX_BCRYPT_ROUNDS}`);
  }
  const block = cipher === undefined ? PLAIN_BLOCK : CIPHER_BLOCK;
  const sealed = r.string('the private keys');
  const tag = r.raw(cipher?.tagLength ?? 0, 'the authentication tag');
  r.end('the private keys');
  if (sealed.length === 0 || sealed.length % block !== 0) {
    r.fail(`the private section is ${sealed.length} bytes, not a multiple of ${block}`);
  }

  let plain: Uint8Array = sealed;
  if (cipher !== undefined) {
    if (passphrase === undefined) throw new DecodeError('the key is encrypted: a passphrase is required');
    plain = await decrypt(cipher, passphrase, salt, rounds, sealed, tag);
  }
  try {
    const p = new SshReader(plain, PRIVATE);
    const check1 = p.u32('the first check integer');
    const check2 = p.u32('the second check integer');
    if (check1 !== check2) {
      // With a passphrase, a mismatch is how a wrong one shows (CTR and CBC carry no tag).
      if (cipher !== undefined) throw new InvalidKey();
      p.fail('the check integers do not match');
    }
    const privateType = p.name('the private key type');
    if (privateType !== type) p.fail(`the private key is ${privateType} but the public key is ${type}`);
    const { jwk, publicBlob: derived } = readPrivateFields(p, privateType);
    if (Buffer.compare(derived, publicBlob) !== 0) p.fail('the private key does not match the public key');
    const comment = p.text('the comment', 64 * 1024);
    // PROTOCOL.key: padding 1, 2, 3, … to a multiple of the block size. Writers differ on an aligned key
    // (pyca adds a whole block, ssh-keygen none) and OpenSSH accepts any run of 1, 2, 3, …: so do we, up
    // to 255 (the largest byte the sequence can hold).
    const pad = p.remaining;
    if (pad > 255) p.fail(`${pad} bytes of padding, more than 255`);
    const padding = p.raw(pad, 'the padding');
    for (let i = 0; i < pad; i++) if (padding[i] !== i + 1) p.fail('the padding bytes are not 1, 2, 3, …');
    return { jwk, comment, type, encrypted: cipher !== undefined };
  } finally {
    if (plain !== sealed) plain.fill(0);
  }
}

function privateFieldsOf(k: Parsed): Uint8Array {
  switch (k.kind) {
    case 'ed25519':
      return concat(sshString('ssh-ed25519'), sshString(k.x), sshString(concat(k.d!, k.x)));
    case 'ec':
      return concat(
        sshString(k.curve.type),
        sshString(k.curve.id),
        sshString(concat(Uint8Array.of(4), k.x, k.y)),
        mpint(k.d!),
      );
    case 'rsa': {
      const { d, p, q, qi } = k.priv!;
      return concat(sshString('ssh-rsa'), mpint(k.n), mpint(k.e), mpint(d), mpint(qi), mpint(p), mpint(q));
    }
  }
}

function armor(data: Uint8Array): string {
  const b64 = Buffer.from(data).toString('base64');
  const lines: string[] = [BEGIN];
  // ssh-keygen wraps at 70 columns.
  for (let i = 0; i < b64.length; i += 70) lines.push(b64.slice(i, i + 70));
  lines.push(END, '');
  return lines.join('\n');
}

/**
 * Writes a private JWK as an OpenSSH private key file (text ending in a newline), as ssh-keygen does:
 * in the clear without a passphrase, else with bcrypt-pbkdf (`rounds`, a random 16-byte salt) and
 * aes256-ctr (or aes256-gcm@openssh.com). The check integers are random.
 * @throws {TypeError} when `jwk` is not a private JWK of a supported shape (RSA needs `p`, `q`, `qi`),
 *   or an option has the wrong type or names an unknown cipher.
 * @throws {RangeError} when `passphrase` is empty, `rounds` is outside 1 to {@link MAX_BCRYPT_ROUNDS},
 *   or `comment` is longer than 4096 characters.
 * @throws {DecodeError} when a JWK field is not unpadded base64url or has the wrong size.
 * @throws {UnsupportedAlgorithm} for JWKs OpenSSH cannot hold, or when bcrypt-pbkdf is missing.
 * @example
 * ```ts
 * import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
 * import { encodeSshPrivateKey } from 'coffer/formats/openssh';
 * const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
 * const text = await encodeSshPrivateKey(jwk as SshJwk, { passphrase: Buffer.from('hunter2'), comment: 'me@host' });
 * ```
 */
export async function encodeSshPrivateKey(jwk: SshJwk, options: SshPrivateKeyOptions = {}): Promise<string> {
  const o = plainObject('options', options);
  const k = readJwk(jwk, true);
  const passphrase = o.passphrase === undefined ? undefined : bytes('passphrase', o.passphrase);
  if (passphrase !== undefined && passphrase.length === 0) {
    throw new RangeError('"passphrase" must not be empty (omit it to write the key in the clear)');
  }
  const comment = o.comment === undefined ? '' : checkComment(o.comment);
  const rounds =
    o.rounds === undefined ? DEFAULT_BCRYPT_ROUNDS : integer('rounds', o.rounds, 1, MAX_BCRYPT_ROUNDS);
  const cipherName = o.cipher === undefined ? 'aes256-ctr' : o.cipher;
  if (cipherName !== 'aes256-ctr' && cipherName !== 'aes256-gcm@openssh.com') {
    throw new TypeError(`"cipher" must be 'aes256-ctr' or 'aes256-gcm@openssh.com'`);
  }
  const cipher = passphrase === undefined ? undefined : CIPHERS[cipherName]!;
  const check = randomBytes(4);
  const body = concat(check, check, privateFieldsOf(k), sshString(comment));
  const block = cipher === undefined ? PLAIN_BLOCK : CIPHER_BLOCK;
  const padLength = (block - (body.length % block)) % block;
  const plain = concat(
    body,
    Uint8Array.from({ length: padLength }, (_, i) => i + 1),
  );
  body.fill(0);
  const publicBlob = blobOf(k);
  try {
    if (cipher === undefined || passphrase === undefined) {
      return armor(
        concat(
          MAGIC,
          sshString('none'),
          sshString('none'),
          sshString(''),
          u32(1),
          sshString(publicBlob),
          sshString(plain),
        ),
      );
    }
    const salt = randomBytes(16);
    const km = await bcryptPbkdf(passphrase, salt, rounds, cipher.keyLength + cipher.ivLength);
    const key = km.subarray(0, cipher.keyLength);
    const iv = km.subarray(cipher.keyLength);
    let sealed: Uint8Array;
    let tag: Uint8Array = new Uint8Array(0);
    if (cipher.mode === 'gcm') {
      const out = aesGcmSeal(cipher.bits, key, iv, plain);
      sealed = out.subarray(0, plain.length);
      tag = out.subarray(plain.length);
    } else {
      sealed = aesCtr(cipher.bits, key, iv, plain);
    }
    km.fill(0);
    const kdfOptions = concat(sshString(salt), u32(rounds));
    return armor(
      concat(
        MAGIC,
        sshString(cipherName),
        sshString('bcrypt'),
        sshString(kdfOptions),
        u32(1),
        sshString(publicBlob),
        sshString(sealed),
        tag,
      ),
    );
  } finally {
    plain.fill(0);
  }
}
