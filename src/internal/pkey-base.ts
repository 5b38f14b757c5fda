// The shared base of every asymmetric key class: the KeyObject kept in a #private field, the guard that
// keeps constructors private, debug output that never shows key bytes, and the generic PEM/DER/Raw/OpenSSH
// encoders behind `privateBytes` and `publicBytes`. The serialization enums and encryption markers live
// here (re-exported by coffer/hazmat/serialization) so key modules can use them without an import cycle.
// src/internal/pkey.ts adds `wrapKeyObject`, which needs every key module.
import { inspect } from 'node:util';
import { UnsupportedAlgorithm } from '../errors.ts';
import { base64urlDecode, base64urlEncode } from '../formats/encoding.ts';
import { encodeSshPublicKey, type SshJwk } from '../formats/openssh.ts';
import * as be from './backend-pkey.ts';
import { bytesLike, describeValue, u8 } from './bytes.ts';

/** Passed by key modules to the base constructor; anything else means a caller used `new` directly. */
export const CONSTRUCT: unique symbol = Symbol('coffer/pkey');

let readKeyObject: (key: AsymmetricKey) => be.NodeKeyObject;
let hasKeyObject: (value: unknown) => value is AsymmetricKey;

/**
 * Base of every asymmetric key class. Holds node's KeyObject (OpenSSL's EVP_PKEY) privately; instances
 * are frozen, and `toString`, `toJSON` and `util.inspect` name only the type (and curve or size).
 */
export abstract class AsymmetricKey {
  readonly #ko: be.NodeKeyObject;

  static {
    readKeyObject = (key) => key.#ko;
    // A brand check, not instanceof: Object.create(Ed25519PublicKey.prototype) has no #ko.
    hasKeyObject = (value): value is AsymmetricKey =>
      typeof value === 'object' && value !== null && #ko in value;
  }

  /** @internal Instances come from `generate`, `from…` factories and loaders, never from `new`. */
  constructor(guard: typeof CONSTRUCT, ko: be.NodeKeyObject) {
    if (guard !== CONSTRUCT) {
      throw new TypeError(
        `${new.target.name} has no public constructor: use its static factories or a loader from coffer/hazmat/serialization`,
      );
    }
    this.#ko = ko;
    Object.freeze(this);
  }

  /** @internal What debug output shows after the class name: a curve or size, never key material. */
  protected get details(): string | undefined {
    return undefined;
  }

  toString(): string {
    const d = this.details;
    return d === undefined ? this.constructor.name : `${this.constructor.name}(${d})`;
  }

  toJSON(): { type: string; details?: string } {
    const d = this.details;
    return d === undefined ? { type: this.constructor.name } : { type: this.constructor.name, details: d };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** Internal: the KeyObject inside a coffer key. @throws {TypeError} for anything else. */
export function keyObjectOf(key: unknown, name = 'key'): be.NodeKeyObject {
  if (!hasKeyObject(key))
    throw new TypeError(`"${name}" must be a coffer asymmetric key, got ${describeValue(key)}`);
  return readKeyObject(key);
}

/** Internal: true for a real coffer asymmetric key (brand check). */
export function isAsymmetricKey(value: unknown): value is AsymmetricKey {
  return hasKeyObject(value);
}

/** Internal: `value` as an instance of `cls` (brand-checked), or a labelled TypeError. */
export function keyArg<T extends AsymmetricKey>(
  name: string,
  value: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: any constructor signature (they are private).
  cls: abstract new (...args: any[]) => T,
): T {
  if (!hasKeyObject(value) || !(value instanceof cls)) {
    throw new TypeError(`"${name}" must be a ${cls.name}, got ${describeValue(value)}`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------
// Serialization vocabulary (pyca's serialization.Encoding, PrivateFormat, PublicFormat).

/** How key bytes are written. */
export const Encoding = Object.freeze({
  PEM: 'PEM',
  DER: 'DER',
  OpenSSH: 'OpenSSH',
  Raw: 'Raw',
  X962: 'X962',
} as const);
export type Encoding = (typeof Encoding)[keyof typeof Encoding];

/** Structures a private key can be written in. */
export const PrivateFormat = Object.freeze({
  PKCS8: 'PKCS8',
  TraditionalOpenSSL: 'TraditionalOpenSSL',
  OpenSSH: 'OpenSSH',
  Raw: 'Raw',
} as const);
export type PrivateFormat = (typeof PrivateFormat)[keyof typeof PrivateFormat];

/** Structures a public key can be written in. */
export const PublicFormat = Object.freeze({
  SubjectPublicKeyInfo: 'SubjectPublicKeyInfo',
  PKCS1: 'PKCS1',
  OpenSSH: 'OpenSSH',
  Raw: 'Raw',
  CompressedPoint: 'CompressedPoint',
  UncompressedPoint: 'UncompressedPoint',
} as const);
export type PublicFormat = (typeof PublicFormat)[keyof typeof PublicFormat];

/** Structures DH parameters can be written in. */
export const ParameterFormat = Object.freeze({ PKCS3: 'PKCS3' } as const);
export type ParameterFormat = (typeof ParameterFormat)[keyof typeof ParameterFormat];

function enumValue<T extends string>(name: string, value: unknown, values: Readonly<Record<string, T>>): T {
  const all = Object.values(values);
  if (typeof value !== 'string' || !all.includes(value as T)) {
    throw new TypeError(`"${name}" must be one of ${all.join(', ')}, got ${describeValue(value)}`);
  }
  return value as T;
}

/** Longest passphrase accepted: OpenSSL's PEM passphrase buffer holds 1023 bytes (PEM_BUFSIZE - 1). */
export const MAX_PASSWORD_BYTES = 1023;

/** Internal: a password argument as bytes (a string is UTF-8), 1 to 1023 bytes. */
export function passwordBytes(name: string, value: unknown): Uint8Array {
  const b = bytesLike(name, value);
  if (b.length < 1 || b.length > MAX_PASSWORD_BYTES) {
    throw new RangeError(`"${name}" must be 1 to ${MAX_PASSWORD_BYTES} bytes, got ${b.length}`);
  }
  return b;
}

let readPassword: (e: KeySerializationEncryption) => Uint8Array | undefined;
let isEncryption: (value: unknown) => value is KeySerializationEncryption;

/**
 * How a private key is protected when written. There is no default: pass `new BestAvailableEncryption(pw)`
 * or, to write plaintext on purpose, `new NoEncryption()`.
 */
export abstract class KeySerializationEncryption {
  readonly #password: Uint8Array | undefined;
  static {
    readPassword = (e) => e.#password;
    isEncryption = (v): v is KeySerializationEncryption =>
      typeof v === 'object' && v !== null && #password in v;
  }
  /** @internal */
  constructor(password: Uint8Array | undefined) {
    this.#password = password;
    Object.freeze(this);
  }
  toString(): string {
    return this.constructor.name;
  }
  toJSON(): { type: string } {
    return { type: this.constructor.name };
  }
  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * Encrypts with the best scheme the format has: PKCS#8 PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC); traditional
 * PEM's legacy `DEK-Info: AES-256-CBC`; OpenSSH's bcrypt-pbkdf with aes256-ctr.
 * @example
 * ```ts
 * import { BestAvailableEncryption, Encoding, PrivateFormat } from 'coffer/hazmat/serialization';
 * const pem = key.privateBytes(Encoding.PEM, PrivateFormat.PKCS8, new BestAvailableEncryption('hunter2'));
 * ```
 */
export class BestAvailableEncryption extends KeySerializationEncryption {
  /** @throws {TypeError} when `password` is not bytes or a string. @throws {RangeError} unless 1 to 1023 bytes. */
  constructor(password: Uint8Array | string) {
    super(Uint8Array.from(passwordBytes('password', password)));
  }
}

/** Writes the private key in the clear, on purpose. */
export class NoEncryption extends KeySerializationEncryption {
  constructor() {
    super(undefined);
  }
}

/** Internal: the password of a `BestAvailableEncryption`, `undefined` for `NoEncryption`. */
export function encryptionPassword(name: string, value: unknown): Uint8Array | undefined {
  if (!isEncryption(value) || !(value instanceof KeySerializationEncryption)) {
    throw new TypeError(
      `"${name}" must be new BestAvailableEncryption(password) or new NoEncryption(), got ${describeValue(value)}`,
    );
  }
  return readPassword(value);
}

// ---------------------------------------------------------------------------------------------------
// PEM and numbers.

/** RFC 7468 §2: base64 in 64-character lines between BEGIN and END lines. */
export function pemEncode(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function bytesToBigint(b: Uint8Array): bigint {
  return b.length === 0
    ? 0n
    : BigInt(`0x${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')}`);
}

/** Big-endian bytes of a non-negative bigint, left-padded to `length` (minimal when omitted, 1 byte for 0). */
export function bigintToBytes(value: bigint, length?: number): Uint8Array {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (length !== undefined) hex = hex.padStart(length * 2, '0');
  return u8(Buffer.from(hex, 'hex'));
}

export const b64uToBigint = (s: string): bigint => bytesToBigint(base64urlDecode(s));
export const bigintToB64u = (v: bigint, length?: number): string => base64urlEncode(bigintToBytes(v, length));

/** Internal: a non-negative bigint argument. */
export function bigintArg(name: string, value: unknown): bigint {
  if (typeof value !== 'bigint')
    throw new TypeError(`"${name}" must be a bigint, got ${describeValue(value)}`);
  if (value < 0n) throw new RangeError(`"${name}" must not be negative`);
  return value;
}

/** Bit length of a positive bigint. */
export function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

// ---------------------------------------------------------------------------------------------------
// The generic private/public encoders.

type PrivateResult<E> = E extends 'PEM' ? string : Uint8Array;
type PublicResult<E> = E extends 'PEM' | 'OpenSSH' ? string : Uint8Array;

/** Base of private key classes: `privateBytes` for every format node and coffer can write. */
export abstract class AsymmetricPrivateKey extends AsymmetricKey {
  /** @internal Raw private bytes, for the key types that have them (Ed25519, Ed448, X25519, X448). */
  protected rawPrivateBytes(): Uint8Array {
    throw new TypeError(
      `"format" Raw is only for Ed25519, Ed448, X25519 and X448 keys, not ${this.constructor.name}`,
    );
  }

  /** @internal The traditional OpenSSL structure: node's 'pkcs1'/'sec1', or DER coffer builds itself. */
  protected traditional(): { type: 'pkcs1' | 'sec1' } | { label: string; der: Uint8Array } {
    throw new TypeError(
      `"format" TraditionalOpenSSL is only for RSA, EC and DSA keys, not ${this.constructor.name}: use PKCS8`,
    );
  }

  /**
   * The private key as PEM (a string) or DER/Raw bytes. Encryption must be chosen explicitly.
   * OpenSSH private keys are written by the async `serializeSshPrivateKey` in coffer/hazmat/serialization.
   * @throws {TypeError} on an unknown encoding/format/encryption or a combination that does not exist
   * (Raw needs Encoding.Raw and NoEncryption; DER traditional keys cannot be encrypted).
   * @throws {UnsupportedAlgorithm} for an encrypted traditional DSA key.
   * @example
   * ```ts
   * import { Encoding, NoEncryption, PrivateFormat } from 'coffer/hazmat/serialization';
   * const pem = key.privateBytes(Encoding.PEM, PrivateFormat.PKCS8, new NoEncryption());
   * ```
   */
  privateBytes<E extends Encoding>(
    encoding: E,
    format: PrivateFormat,
    encryption: KeySerializationEncryption,
  ): PrivateResult<E>;
  privateBytes(
    encoding: Encoding,
    format: PrivateFormat,
    encryption: KeySerializationEncryption,
  ): string | Uint8Array {
    const enc = enumValue('encoding', encoding, Encoding);
    const fmt = enumValue('format', format, PrivateFormat);
    const password = encryptionPassword('encryption', encryption);
    const ko = keyObjectOf(this);
    if (fmt === PrivateFormat.OpenSSH) {
      throw new TypeError(
        '"format" OpenSSH private keys are written by the async serializeSshPrivateKey() from coffer/hazmat/serialization',
      );
    }
    if (fmt === PrivateFormat.Raw || enc === Encoding.Raw) {
      if (fmt !== PrivateFormat.Raw || enc !== Encoding.Raw) {
        throw new TypeError('"encoding" Raw and "format" Raw go together');
      }
      if (password !== undefined)
        throw new TypeError('"encryption" must be NoEncryption for Raw private keys');
      return this.rawPrivateBytes();
    }
    if (enc !== Encoding.PEM && enc !== Encoding.DER) {
      throw new TypeError(`"encoding" must be PEM or DER for ${fmt} private keys, got ${enc}`);
    }
    const pem = enc === Encoding.PEM;
    if (fmt === PrivateFormat.PKCS8) {
      if (password !== undefined) {
        const out = be.exportEncrypted(ko, pem ? 'pem' : 'der', 'pkcs8', password);
        return typeof out === 'string' ? out : u8(out);
      }
      return pem ? be.exportPem(ko, 'pkcs8') : u8(be.exportDer(ko, 'pkcs8'));
    }
    // TraditionalOpenSSL: PKCS#1 RSA, SEC1 EC, OpenSSL's DSA structure.
    const t = this.traditional();
    if (password !== undefined && !pem) {
      throw new TypeError('"encryption" is not available for DER TraditionalOpenSSL keys: use PKCS8 or PEM');
    }
    if ('type' in t) {
      if (password !== undefined) return be.exportEncrypted(ko, 'pem', t.type, password) as string;
      return pem ? be.exportPem(ko, t.type) : u8(be.exportDer(ko, t.type));
    }
    if (password !== undefined) {
      throw new UnsupportedAlgorithm(
        `encrypted ${t.label} is not supported: use PKCS8 with BestAvailableEncryption`,
      );
    }
    return pem ? pemEncode(t.label, t.der) : t.der;
  }
}

/** Base of public key classes: `publicBytes` and `equals`. */
export abstract class AsymmetricPublicKey extends AsymmetricKey {
  /** @internal Raw public bytes (Ed25519, Ed448, X25519, X448). */
  protected rawPublicBytes(): Uint8Array {
    throw new TypeError(
      `"format" Raw is only for Ed25519, Ed448, X25519 and X448 keys, not ${this.constructor.name}`,
    );
  }

  /** @internal The SEC1 point (EC keys). */
  protected encodedPoint(_compressed: boolean): Uint8Array {
    throw new TypeError(
      `"format" CompressedPoint/UncompressedPoint is only for EC keys, not ${this.constructor.name}`,
    );
  }

  /**
   * The public key as PEM or OpenSSH text, or DER/Raw/X9.62 bytes.
   * @throws {TypeError} on an unknown encoding or format, or a combination that does not exist.
   * @throws {UnsupportedAlgorithm} for OpenSSH encoding of a key type OpenSSH does not have.
   * @example
   * ```ts
   * import { Encoding, PublicFormat } from 'coffer/hazmat/serialization';
   * const line = publicKey.publicBytes(Encoding.OpenSSH, PublicFormat.OpenSSH); // "ssh-ed25519 AAAA..."
   * ```
   */
  publicBytes<E extends Encoding>(encoding: E, format: PublicFormat): PublicResult<E>;
  publicBytes(encoding: Encoding, format: PublicFormat): string | Uint8Array {
    const enc = enumValue('encoding', encoding, Encoding);
    const fmt = enumValue('format', format, PublicFormat);
    const ko = keyObjectOf(this);
    const mismatch = () => new TypeError(`"format" ${fmt} cannot be written with "encoding" ${enc}`);
    switch (fmt) {
      case PublicFormat.SubjectPublicKeyInfo:
      case PublicFormat.PKCS1: {
        if (enc !== Encoding.PEM && enc !== Encoding.DER) throw mismatch();
        const type = fmt === PublicFormat.PKCS1 ? 'pkcs1' : 'spki';
        if (type === 'pkcs1' && ko.asymmetricKeyType !== 'rsa') {
          throw new TypeError(`"format" PKCS1 is only for RSA keys, not ${this.constructor.name}`);
        }
        return enc === Encoding.PEM ? be.exportPem(ko, type) : u8(be.exportDer(ko, type));
      }
      case PublicFormat.OpenSSH:
        if (enc !== Encoding.OpenSSH) throw mismatch();
        return encodeSshPublicKey(sshJwkOf(ko));
      case PublicFormat.Raw:
        if (enc !== Encoding.Raw) throw mismatch();
        return this.rawPublicBytes();
      default:
        if (enc !== Encoding.X962) throw mismatch();
        return this.encodedPoint(fmt === PublicFormat.CompressedPoint);
    }
  }

  /** True when `other` is the same public key (same type and value). @throws {TypeError} when it is not a key. */
  equals(other: AsymmetricPublicKey): boolean {
    const theirs = keyObjectOf(other, 'other');
    return keyObjectOf(this).equals(theirs);
  }
}

const SSH_CURVES: ReadonlySet<string> = new Set(['P-256', 'P-384', 'P-521']);

/** Internal: a KeyObject as the JWK that src/formats/openssh.ts speaks. */
export function sshJwkOf(ko: be.NodeKeyObject): SshJwk {
  const type = ko.asymmetricKeyType;
  if (type !== 'ed25519' && type !== 'rsa' && type !== 'ec') {
    throw new UnsupportedAlgorithm(
      `OpenSSH has no encoding for ${type} keys here (Ed25519, ECDSA P-256/384/521, RSA)`,
    );
  }
  if (type === 'ec') {
    const curve = ko.asymmetricKeyDetails?.namedCurve;
    if (curve !== 'prime256v1' && curve !== 'secp384r1' && curve !== 'secp521r1') {
      throw new UnsupportedAlgorithm(`OpenSSH has no encoding for EC keys on ${curve}`);
    }
  }
  const jwk = be.exportJwk(ko) as Record<string, unknown>;
  if (jwk.kty === 'EC' && !SSH_CURVES.has(jwk.crv as string)) throw new UnsupportedAlgorithm('curve');
  return jwk as SshJwk;
}

// ---------------------------------------------------------------------------------------------------
// Ed25519, Ed448, X25519, X448 (RFC 8410): fixed DER around raw bytes, so import is one OpenSSL call.

export type OkpType = 'ed25519' | 'ed448' | 'x25519' | 'x448';

const OKP: Readonly<Record<OkpType, { oid: number; size: number }>> = {
  x25519: { oid: 0x6e, size: 32 },
  x448: { oid: 0x6f, size: 56 },
  ed25519: { oid: 0x70, size: 32 },
  ed448: { oid: 0x71, size: 57 },
};

/** Internal: a private KeyObject from raw bytes (length already checked). */
export function okpPrivateFromRaw(type: OkpType, raw: Uint8Array): be.NodeKeyObject {
  const { oid, size } = OKP[type];
  // RFC 8410 §7: OneAsymmetricKey v1 { 0, { id }, OCTET STRING { OCTET STRING raw } }.
  const der = Uint8Array.of(0x30, size + 14, 2, 1, 0, 0x30, 5, 6, 3, 0x2b, 0x65, oid, 4, size + 2, 4, size);
  const buf = new Uint8Array(der.length + size);
  buf.set(der);
  buf.set(raw, der.length);
  try {
    return be.privateFromDer(buf, 'pkcs8');
  } finally {
    buf.fill(0);
  }
}

/** Internal: a public KeyObject from raw bytes (length already checked). */
export function okpPublicFromRaw(type: OkpType, raw: Uint8Array): be.NodeKeyObject {
  const { oid, size } = OKP[type];
  // RFC 8410 §4: SubjectPublicKeyInfo { { id }, BIT STRING raw }.
  const der = Uint8Array.of(0x30, size + 10, 0x30, 5, 6, 3, 0x2b, 0x65, oid, 3, size + 1, 0);
  const buf = new Uint8Array(der.length + size);
  buf.set(der);
  buf.set(raw, der.length);
  return be.publicFromDer(buf, 'spki');
}

/** Internal: raw bytes of an OKP KeyObject (`d` for private, `x` for public). */
export function okpRaw(ko: be.NodeKeyObject, part: 'd' | 'x'): Uint8Array {
  const v = be.exportJwk(ko)[part];
  if (typeof v !== 'string') throw new TypeError(`"key" has no ${part === 'd' ? 'private' : 'public'} part`);
  return base64urlDecode(v);
}
