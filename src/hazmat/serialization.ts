/**
 * Loading and writing asymmetric keys, after pyca's `cryptography.hazmat.primitives.serialization`:
 * PEM and DER (PKCS#8, encrypted PKCS#8, SubjectPublicKeyInfo, traditional PKCS#1/SEC1/DSA including
 * legacy encrypted PEM for loading), OpenSSH public and private keys with `SHA256:` fingerprints, and JWK
 * (RFC 7517/7518/8037) with RFC 7638 thumbprints.
 *
 * > **Hazmat.** A private key written without a passphrase is a secret in a file: choose
 * > `BestAvailableEncryption` unless something else protects it. There is no silent plaintext: writing a
 * > private key always takes an explicit `BestAvailableEncryption` or `NoEncryption`.
 *
 * Errors: malformed input is a `DecodeError` naming the problem (wrong PEM label, truncated DER, trailing
 * data); a wrong passphrase is `InvalidKey`; an unsupported key type or curve is `UnsupportedAlgorithm`; a
 * password given for an unencrypted key, or missing for an encrypted one, is a `TypeError` (as pyca).
 * Inputs are capped at 1 MiB.
 *
 * @example
 * ```ts
 * import { Ed25519PrivateKey } from 'coffer/hazmat/asymmetric/ed25519';
 * import {
 *   BestAvailableEncryption, Encoding, PrivateFormat, loadPemPrivateKey,
 * } from 'coffer/hazmat/serialization';
 * const key = Ed25519PrivateKey.generate();
 * const pem = key.privateBytes(Encoding.PEM, PrivateFormat.PKCS8, new BestAvailableEncryption('hunter2'));
 * const again = loadPemPrivateKey(pem, 'hunter2');
 * ```
 * @module
 */
import { DecodeError, InvalidKey, UnsupportedAlgorithm } from '../errors.ts';
import { DerReader, Tag } from '../formats/der.ts';
import { base64urlDecode, base64urlEncode } from '../formats/encoding.ts';
import {
  encodeSshPrivateKey,
  sshFingerprint as opensshFingerprint,
  parseSshPrivateKey,
  parseSshPublicKey,
  sshPublicKeyBlob,
} from '../formats/openssh.ts';
import * as be from '../internal/backend-pkey.ts';
import { bytesLike, describeValue, isBytes, plainObject, string, u8 } from '../internal/bytes.ts';
import { type HashAlgorithm, hashAlgorithm, SHA256 } from '../internal/hash.ts';
import { wrapKeyObject } from '../internal/pkey.ts';
import {
  AsymmetricPrivateKey,
  encryptionPassword,
  isAsymmetricKey,
  keyObjectOf,
  passwordBytes,
  pemEncode,
  sshJwkOf,
} from '../internal/pkey-base.ts';
import { DHParameterNumbers, type DHParameters } from './asymmetric/dh.ts';
import { getCurveForOid } from './asymmetric/ec.ts';
import type { PrivateKeyTypes, PublicKeyTypes } from './asymmetric/types.ts';

export {
  BestAvailableEncryption,
  Encoding,
  KeySerializationEncryption,
  NoEncryption,
  ParameterFormat,
  PrivateFormat,
  PublicFormat,
} from '../internal/pkey-base.ts';

/** Largest input any loader here accepts: 1 MiB. */
export const MAX_KEY_INPUT_BYTES = 1 << 20;

// ---------------------------------------------------------------------------------------------------
// Input and PEM.

function inputText(name: string, data: unknown): string {
  if (typeof data === 'string') {
    if (data.length > MAX_KEY_INPUT_BYTES) throw new DecodeError(`${name} is larger than 1 MiB`);
    return data;
  }
  if (!isBytes(data))
    throw new TypeError(`"${name}" must be a string or a Uint8Array, got ${describeValue(data)}`);
  if (data.length > MAX_KEY_INPUT_BYTES) throw new DecodeError(`${name} is larger than 1 MiB`);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
}

function inputBytes(name: string, data: unknown): Uint8Array {
  if (!isBytes(data)) throw new TypeError(`"${name}" must be a Uint8Array, got ${describeValue(data)}`);
  if (data.length > MAX_KEY_INPUT_BYTES) throw new DecodeError(`${name} is larger than 1 MiB`);
  return data;
}

function optionalPassword(value: unknown): Uint8Array | undefined {
  return value === undefined || value === null ? undefined : passwordBytes('password', value);
}

interface PemBlock {
  label: string;
  headers: ReadonlyMap<string, string>;
  der: Uint8Array;
}

const LABEL = /^[A-Z0-9][A-Z0-9 ]{0,63}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MAX_PEM_BLOCKS = 64;

/** Every PEM block in `text` (RFC 7468, with RFC 1421 headers), strictly decoded. */
function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let pos = 0;
  for (;;) {
    const begin = text.indexOf('-----BEGIN ', pos);
    if (begin === -1) break;
    if (blocks.length === MAX_PEM_BLOCKS) throw new DecodeError(`PEM has more than ${MAX_PEM_BLOCKS} blocks`);
    const labelEnd = text.indexOf('-----', begin + 11);
    const label = labelEnd === -1 ? '' : text.slice(begin + 11, labelEnd);
    if (!LABEL.test(label)) throw new DecodeError('PEM has a malformed BEGIN line');
    const footer = `-----END ${label}-----`;
    const end = text.indexOf(footer, labelEnd + 5);
    if (end === -1) {
      throw new DecodeError(
        text.indexOf('-----END ', labelEnd) === -1
          ? `PEM block "${label}" has no END line (truncated?)`
          : `PEM block "${label}" ends with a different label`,
      );
    }
    const body = text.slice(labelEnd + 5, end);
    const lines = body.split(/\r?\n/);
    if (lines[0]?.trim() !== '') throw new DecodeError(`PEM block "${label}" has text after its BEGIN line`);
    const headers = new Map<string, string>();
    let i = 1;
    if (lines.some((l) => l.includes(':'))) {
      for (; i < lines.length && lines[i]!.trim() !== ''; i++) {
        const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(lines[i]!);
        if (m === null) throw new DecodeError(`PEM block "${label}" has a malformed header`);
        headers.set(m[1]!, m[2]!.trim());
      }
    }
    const b64 = lines
      .slice(i)
      .join('')
      .replace(/[ \t\r]/g, '');
    if (b64 === '' || !BASE64.test(b64)) throw new DecodeError(`PEM block "${label}" is not valid base64`);
    blocks.push({ label, headers, der: u8(Buffer.from(b64, 'base64')) });
    pos = end + footer.length;
  }
  return blocks;
}

function pemBlock(text: string, accepted: readonly string[], what: string): PemBlock {
  const blocks = pemBlocks(text);
  const found = blocks.find((b) => accepted.includes(b.label));
  if (found !== undefined) return found;
  if (blocks.length === 0) throw new DecodeError(`no PEM block found (expected ${what})`);
  throw new DecodeError(
    `wrong PEM label: expected ${accepted.map((l) => `"${l}"`).join(', ')}, got ${blocks
      .map((b) => `"${b.label}"`)
      .join(', ')}`,
  );
}

// ---------------------------------------------------------------------------------------------------
// Structure checks before OpenSSL: name the problem, refuse unsupported algorithms and curves.

const KEY_OIDS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.10': 'RSA-PSS',
  '1.2.840.10045.2.1': 'EC',
  '1.2.840.10040.4.1': 'DSA',
  '1.2.840.113549.1.3.1': 'DH',
  '1.3.101.110': 'X25519',
  '1.3.101.111': 'X448',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};

/** Checks an AlgorithmIdentifier: a supported key OID and, for EC, a supported named curve. */
function checkAlgorithm(alg: DerReader): void {
  const oid = alg.readOid();
  const name = KEY_OIDS[oid];
  if (name === undefined) {
    if (oid === '1.2.840.10046.2.1') throw new UnsupportedAlgorithm('X9.42 DH keys are not supported');
    throw new UnsupportedAlgorithm(`unsupported key algorithm (OID ${oid})`);
  }
  if (name === 'EC') checkCurve(alg);
}

function checkCurve(params: DerReader): void {
  const tag = params.peekTag();
  if (tag === Tag.SEQUENCE)
    throw new UnsupportedAlgorithm('explicit EC curve parameters are not supported: use a named curve');
  if (tag !== Tag.OID) params.fail('EC parameters must name a curve');
  getCurveForOid(params.readOid());
}

type PrivateStructure = 'pkcs8' | 'encrypted-pkcs8' | 'pkcs1' | 'sec1' | 'dsa';

/** What a private-key DER is, checked down to the algorithm, with no trailing data. */
function privateStructure(der: Uint8Array, what: string): PrivateStructure {
  const top = new DerReader(der, what);
  const seq = top.readSequence();
  top.end();
  if (seq.peekTag() === Tag.SEQUENCE) {
    // EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING } (RFC 5958 §3).
    seq.readSequence().readOid();
    seq.readOctetString();
    seq.end();
    return 'encrypted-pkcs8';
  }
  const version = seq.readInteger('version');
  const next = seq.peekTag();
  if (next === Tag.SEQUENCE) {
    // PrivateKeyInfo (RFC 5958 §2): version 0 or 1, AlgorithmIdentifier, OCTET STRING, ...
    if (version !== 0n && version !== 1n) seq.fail('unknown PKCS#8 version');
    checkAlgorithm(seq.readSequence());
    seq.readOctetString();
    return 'pkcs8';
  }
  if (next === Tag.OCTET_STRING) {
    // SEC 1 §C.4 ECPrivateKey: version 1, OCTET STRING, [0] parameters, [1] public key.
    if (version !== 1n) seq.fail('unknown SEC1 version');
    seq.readOctetString();
    const params = seq.readOptionalExplicit(0);
    if (params !== undefined) checkCurve(params);
    else throw new UnsupportedAlgorithm('SEC1 EC keys without curve parameters are not supported');
    return 'sec1';
  }
  let ints = 0;
  while (!seq.done) {
    seq.readInteger();
    ints++;
  }
  if (version === 0n && ints === 8) return 'pkcs1';
  if (version === 1n && ints > 8) throw new UnsupportedAlgorithm('multi-prime RSA keys are not supported');
  if (version === 0n && ints === 5) return 'dsa';
  return seq.fail('not a private key structure (PKCS#8, PKCS#1, SEC1 or DSA)');
}

function publicStructure(der: Uint8Array, what: string): 'spki' | 'pkcs1' {
  const top = new DerReader(der, what);
  const seq = top.readSequence();
  top.end();
  if (seq.peekTag() === Tag.SEQUENCE) {
    // SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).
    checkAlgorithm(seq.readSequence());
    seq.readBitString();
    seq.end();
    return 'spki';
  }
  // RSAPublicKey ::= SEQUENCE { modulus, publicExponent } (RFC 8017 §A.1.1).
  seq.readInteger();
  seq.readInteger();
  seq.end();
  return 'pkcs1';
}

function refused(what: string, err: unknown): DecodeError {
  return new DecodeError(`malformed ${what}: ${be.nodeReason(err)}`);
}

const PRIVATE_PEM_TYPE: Readonly<Record<string, PrivateStructure>> = {
  'PRIVATE KEY': 'pkcs8',
  'ENCRYPTED PRIVATE KEY': 'encrypted-pkcs8',
  'RSA PRIVATE KEY': 'pkcs1',
  'EC PRIVATE KEY': 'sec1',
  'DSA PRIVATE KEY': 'dsa',
};

function notEncrypted(password: Uint8Array | undefined): void {
  if (password !== undefined) throw new TypeError('"password" was given but the key is not encrypted');
}

function needPassword(password: Uint8Array | undefined): Uint8Array {
  if (password === undefined) throw new TypeError('"password" is required: the key is encrypted');
  return password;
}

/** Imports checked private DER; `password` only for encrypted PKCS#8. */
function importPrivateDer(
  der: Uint8Array,
  kind: PrivateStructure,
  password: Uint8Array | undefined,
  what: string,
) {
  if (kind === 'encrypted-pkcs8') {
    const pw = needPassword(password);
    let ko: be.NodeKeyObject;
    try {
      ko = be.privateFromDer(der, 'pkcs8', pw);
    } catch {
      // A wrong passphrase and a corrupted ciphertext cannot be told apart after decryption.
      throw new InvalidKey();
    }
    // The decrypted PrivateKeyInfo is checked like any other.
    const inner = be.exportDer(ko, 'pkcs8');
    try {
      privateStructure(inner, what);
    } finally {
      inner.fill(0);
    }
    return ko;
  }
  notEncrypted(password);
  try {
    // node takes OpenSSL's DSA structure only as PEM.
    if (kind === 'dsa') return be.privateFromPem(pemEncode('DSA PRIVATE KEY', der));
    return be.privateFromDer(der, kind);
  } catch (err) {
    throw refused(what, err);
  }
}

function asPrivate(ko: be.NodeKeyObject): PrivateKeyTypes {
  return wrapKeyObject(ko) as PrivateKeyTypes;
}

function asPublic(ko: be.NodeKeyObject): PublicKeyTypes {
  return wrapKeyObject(ko) as PublicKeyTypes;
}

// ---------------------------------------------------------------------------------------------------
// Loaders.

/**
 * Loads a PEM private key: `PRIVATE KEY` (PKCS#8), `ENCRYPTED PRIVATE KEY`, or traditional `RSA PRIVATE KEY`,
 * `EC PRIVATE KEY`, `DSA PRIVATE KEY` (legacy `Proc-Type: 4,ENCRYPTED` PEM included). Other blocks before
 * the key (such as `EC PARAMETERS`) are skipped.
 * @throws {TypeError} on wrong types, a `password` for an unencrypted key or none for an encrypted one.
 * @throws {RangeError} when `password` is empty or over 1023 bytes.
 * @throws {InvalidKey} on a wrong password. @throws {DecodeError} on malformed input.
 * @throws {UnsupportedAlgorithm} for unsupported key types, curves or sizes.
 * @example
 * ```ts
 * import { loadPemPrivateKey } from 'coffer/hazmat/serialization';
 * const key = loadPemPrivateKey(readFileSync('key.pem', 'utf8'), 'passphrase');
 * ```
 */
export function loadPemPrivateKey(
  data: string | Uint8Array,
  password?: Uint8Array | string,
): PrivateKeyTypes {
  const text = inputText('data', data);
  const pw = optionalPassword(password);
  const block = pemBlock(text, Object.keys(PRIVATE_PEM_TYPE), 'a private key');
  const what = `PEM "${block.label}"`;
  const kind = PRIVATE_PEM_TYPE[block.label]!;
  const procType = block.headers.get('Proc-Type');
  if (procType !== undefined) {
    // RFC 1421 §4.6.1.1 legacy encryption: only for the traditional structures.
    if (kind === 'pkcs8' || kind === 'encrypted-pkcs8' || procType !== '4,ENCRYPTED') {
      throw new DecodeError(`${what} has an unexpected Proc-Type header`);
    }
    const dek = block.headers.get('DEK-Info');
    if (dek === undefined || !/^[A-Z0-9-]{1,32},[0-9A-Fa-f]{16,64}$/.test(dek)) {
      throw new DecodeError(`${what} has a missing or malformed DEK-Info header`);
    }
    const secret = needPassword(pw);
    // Rebuilt from the checked parts, so OpenSSL's PEM reader sees nothing we did not validate.
    const pem = pemEncode(block.label, block.der).replace(
      '-----\n',
      `-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: ${dek}\n\n`,
    );
    let ko: be.NodeKeyObject;
    try {
      ko = be.privateFromPem(pem, secret);
    } catch {
      throw new InvalidKey();
    }
    return asPrivate(ko);
  }
  if (block.headers.size > 0) throw new DecodeError(`${what} has unexpected headers`);
  const actual = privateStructure(block.der, what);
  if (actual !== kind) throw new DecodeError(`${what} does not hold a ${kind} structure`);
  return asPrivate(importPrivateDer(block.der, kind, pw, what));
}

/**
 * Loads a DER private key: PKCS#8 (encrypted or not), PKCS#1 RSA, SEC1 EC or OpenSSL's DSA structure.
 * @throws {TypeError} on wrong types, a `password` for an unencrypted key or none for an encrypted one.
 * @throws {RangeError} when `password` is empty or over 1023 bytes.
 * @throws {InvalidKey} on a wrong password. @throws {DecodeError} on malformed DER (truncated, trailing data).
 * @throws {UnsupportedAlgorithm} for unsupported key types, curves or sizes.
 * @example
 * ```ts
 * import { loadDerPrivateKey } from 'coffer/hazmat/serialization';
 * const key = loadDerPrivateKey(readFileSync('key.der'));
 * ```
 */
export function loadDerPrivateKey(data: Uint8Array, password?: Uint8Array | string): PrivateKeyTypes {
  const der = inputBytes('data', data);
  const pw = optionalPassword(password);
  const kind = privateStructure(der, 'DER private key');
  return asPrivate(importPrivateDer(der, kind, pw, 'DER private key'));
}

/**
 * Loads a PEM public key: `PUBLIC KEY` (SubjectPublicKeyInfo) or `RSA PUBLIC KEY` (PKCS#1).
 * @throws {TypeError} on wrong types. @throws {DecodeError} on malformed input or an invalid point.
 * @throws {UnsupportedAlgorithm} for unsupported key types, curves or sizes.
 * @example
 * ```ts
 * import { loadPemPublicKey } from 'coffer/hazmat/serialization';
 * const publicKey = loadPemPublicKey(readFileSync('pub.pem', 'utf8'));
 * ```
 */
export function loadPemPublicKey(data: string | Uint8Array): PublicKeyTypes {
  const text = inputText('data', data);
  const block = pemBlock(text, ['PUBLIC KEY', 'RSA PUBLIC KEY'], 'a public key');
  const what = `PEM "${block.label}"`;
  if (block.headers.size > 0) throw new DecodeError(`${what} has unexpected headers`);
  const kind = publicStructure(block.der, what);
  if (kind !== (block.label === 'PUBLIC KEY' ? 'spki' : 'pkcs1')) {
    throw new DecodeError(
      `${what} does not hold a ${block.label === 'PUBLIC KEY' ? 'SubjectPublicKeyInfo' : 'PKCS#1'} structure`,
    );
  }
  return importPublicDer(block.der, kind, what);
}

function importPublicDer(der: Uint8Array, kind: 'spki' | 'pkcs1', what: string): PublicKeyTypes {
  let ko: be.NodeKeyObject;
  try {
    ko = be.publicFromDer(der, kind);
  } catch (err) {
    throw refused(what, err);
  }
  return asPublic(ko);
}

/**
 * Loads a DER public key: SubjectPublicKeyInfo or PKCS#1 `RSAPublicKey`.
 * @throws {TypeError} on wrong types. @throws {DecodeError} on malformed DER or an invalid point.
 * @throws {UnsupportedAlgorithm} for unsupported key types, curves or sizes.
 * @example
 * ```ts
 * import { loadDerPublicKey } from 'coffer/hazmat/serialization';
 * const publicKey = loadDerPublicKey(spkiBytes);
 * ```
 */
export function loadDerPublicKey(data: Uint8Array): PublicKeyTypes {
  const der = inputBytes('data', data);
  const kind = publicStructure(der, 'DER public key');
  return importPublicDer(der, kind, 'DER public key');
}

/**
 * Loads PKCS #3 `DH PARAMETERS` (PEM).
 * @throws {TypeError} on wrong types. @throws {DecodeError} on malformed input.
 * @throws {RangeError} when p is outside 512 to 10000 bits.
 * @example
 * ```ts
 * import { loadPemParameters } from 'coffer/hazmat/serialization';
 * const params = loadPemParameters(readFileSync('dhparams.pem', 'utf8'));
 * ```
 */
export function loadPemParameters(data: string | Uint8Array): DHParameters {
  const text = inputText('data', data);
  const block = pemBlock(text, ['DH PARAMETERS'], 'DH parameters');
  const top = new DerReader(block.der, 'PEM "DH PARAMETERS"');
  const seq = top.readSequence();
  top.end();
  const p = seq.readInteger();
  const g = seq.readInteger();
  if (!seq.done) seq.readInteger(); // privateValueLength, optional (PKCS #3 §9)
  seq.end();
  if (p < 0n || g < 0n) top.fail('negative INTEGER');
  return new DHParameterNumbers(p, g).parameters();
}

// ---------------------------------------------------------------------------------------------------
// OpenSSH.

function sshImport(jwk: unknown, isPrivate: boolean): be.NodeKeyObject {
  try {
    return isPrivate ? be.privateFromJwk(jwk as be.NodeJwk) : be.publicFromJwk(jwk as be.NodeJwk);
  } catch (err) {
    throw refused('OpenSSH key', err);
  }
}

/**
 * Loads one OpenSSH public key line (`ssh-ed25519 AAAA... comment`, `ecdsa-sha2-nistp256`, `ssh-rsa`).
 * @throws {TypeError} on wrong types. @throws {DecodeError} on malformed input or an invalid point.
 * @throws {UnsupportedAlgorithm} for other key types.
 * @example
 * ```ts
 * import { loadSshPublicKey } from 'coffer/hazmat/serialization';
 * const publicKey = loadSshPublicKey(readFileSync('id_ed25519.pub', 'utf8'));
 * ```
 */
export function loadSshPublicKey(data: string | Uint8Array): PublicKeyTypes {
  const text = inputText('data', data);
  const { jwk } = parseSshPublicKey(text.trim());
  return asPublic(sshImport(jwk, false));
}

/**
 * Loads an `OPENSSH PRIVATE KEY` (ssh-keygen's format), decrypting it with bcrypt-pbkdf when protected.
 * Async: bcrypt-pbkdf takes about a second at ssh-keygen's 16 rounds.
 * @throws {TypeError} on wrong types, or a `password` for an unencrypted key.
 * @throws {DecodeError} on malformed input, or when the key is encrypted and no password was given.
 * @throws {InvalidKey} on a wrong password. @throws {UnsupportedAlgorithm} for other key types.
 * @example
 * ```ts
 * import { loadSshPrivateKey } from 'coffer/hazmat/serialization';
 * const key = await loadSshPrivateKey(readFileSync('id_ed25519', 'utf8'), 'passphrase');
 * ```
 */
export async function loadSshPrivateKey(
  data: string | Uint8Array,
  password?: Uint8Array | string,
): Promise<PrivateKeyTypes> {
  const text = inputText('data', data);
  const pw = optionalPassword(password);
  const parsed = await parseSshPrivateKey(text, pw === undefined ? undefined : Uint8Array.from(pw));
  if (pw !== undefined && !parsed.encrypted) notEncrypted(pw);
  return asPrivate(sshImport(parsed.jwk, true));
}

/** Options for {@link serializeSshPrivateKey}. */
export interface SshPrivateKeySerializeOptions {
  /** `new BestAvailableEncryption(pw)` (bcrypt-pbkdf, aes256-ctr) or `new NoEncryption()`. Required. */
  encryption: import('../internal/pkey-base.ts').KeySerializationEncryption;
  /** Stored with the key. Default `''`. */
  comment?: string;
}

/**
 * Writes an Ed25519, ECDSA (P-256/384/521) or RSA private key as `OPENSSH PRIVATE KEY`, as ssh-keygen does.
 * @throws {TypeError} on wrong types or a missing encryption choice.
 * @throws {UnsupportedAlgorithm} for key types OpenSSH does not have.
 * @example
 * ```ts
 * import { BestAvailableEncryption, serializeSshPrivateKey } from 'coffer/hazmat/serialization';
 * const text = await serializeSshPrivateKey(key, { encryption: new BestAvailableEncryption('pw'), comment: 'me@host' });
 * ```
 */
export async function serializeSshPrivateKey(
  key: PrivateKeyTypes,
  options: SshPrivateKeySerializeOptions,
): Promise<string> {
  if (!(isAsymmetricKey(key) && key instanceof AsymmetricPrivateKey)) {
    throw new TypeError(`"key" must be a private key, got ${describeValue(key)}`);
  }
  const o = plainObject('options', options);
  const passphrase = encryptionPassword('encryption', o.encryption);
  const comment = o.comment === undefined ? undefined : string('comment', o.comment);
  const jwk = sshJwkOf(keyObjectOf(key));
  const opts: { passphrase?: Uint8Array; comment?: string } = {};
  if (passphrase !== undefined) opts.passphrase = passphrase;
  if (comment !== undefined) opts.comment = comment;
  return encodeSshPrivateKey(jwk, opts);
}

/**
 * OpenSSH's fingerprint of a public key (or a private key's public half): `SHA256:` and the unpadded
 * base64 of SHA-256 over the key blob, as `ssh-keygen -l` prints it.
 * @throws {TypeError} when `key` is not a key. @throws {UnsupportedAlgorithm} for types OpenSSH lacks.
 * @example
 * ```ts
 * import { sshFingerprint } from 'coffer/hazmat/serialization';
 * sshFingerprint(publicKey); // 'SHA256:...'
 * ```
 */
export function sshFingerprint(key: PublicKeyTypes | PrivateKeyTypes): string {
  const ko = keyObjectOf(key);
  return opensshFingerprint(sshPublicKeyBlob(sshJwkOf(ko.type === 'private' ? be.publicOf(ko) : ko)));
}

// ---------------------------------------------------------------------------------------------------
// JWK.

/** A JSON Web Key as coffer reads and writes it (RFC 7517, 7518 §6, 8037). */
export interface Jwk {
  kty: 'OKP' | 'EC' | 'RSA';
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
  d?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
  [member: string]: unknown;
}

const JWK_CURVES: Readonly<Record<string, readonly string[]>> = {
  OKP: ['Ed25519', 'Ed448', 'X25519', 'X448'],
  EC: ['P-256', 'P-384', 'P-521', 'secp256k1'],
};
const JWK_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  OKP: ['crv', 'x'],
  EC: ['crv', 'x', 'y'],
  RSA: ['n', 'e'],
};
const JWK_PRIVATE: Readonly<Record<string, readonly string[]>> = {
  OKP: ['d'],
  EC: ['d'],
  RSA: ['d', 'p', 'q', 'dp', 'dq', 'qi'],
};

/** The members node needs, each a strict base64url string; `kty`/`crv` supported. */
function checkJwk(value: unknown): { jwk: Record<string, string>; isPrivate: boolean } {
  const o = plainObject('jwk', value);
  const kty = o.kty;
  if (typeof kty !== 'string') throw new TypeError(`"jwk.kty" must be a string, got ${describeValue(kty)}`);
  const required = JWK_MEMBERS[kty];
  if (required === undefined)
    throw new UnsupportedAlgorithm(`unsupported JWK kty ${JSON.stringify(kty.slice(0, 16))}`);
  const out: Record<string, string> = { kty };
  for (const m of required) {
    const v = o[m];
    if (typeof v !== 'string') throw new TypeError(`"jwk.${m}" must be a string, got ${describeValue(v)}`);
    if (v.length > MAX_KEY_INPUT_BYTES) throw new DecodeError(`JWK member "${m}" is too long`);
    if (m !== 'crv') base64urlDecode(v, { padding: 'none' });
    out[m] = v;
  }
  if (out.crv !== undefined && !JWK_CURVES[kty]!.includes(out.crv)) {
    throw new UnsupportedAlgorithm(`unsupported JWK curve ${JSON.stringify(out.crv.slice(0, 16))}`);
  }
  const isPrivate = o.d !== undefined;
  if (isPrivate) {
    for (const m of JWK_PRIVATE[kty]!) {
      const v = o[m];
      if (typeof v !== 'string') throw new TypeError(`"jwk.${m}" must be a string, got ${describeValue(v)}`);
      if (v.length > MAX_KEY_INPUT_BYTES) throw new DecodeError(`JWK member "${m}" is too long`);
      base64urlDecode(v, { padding: 'none' });
      out[m] = v;
    }
  }
  return { jwk: out, isPrivate };
}

/**
 * A key from a JWK: private when it has `d`, public otherwise. OKP (Ed25519, Ed448, X25519, X448), EC
 * (P-256, P-384, P-521, secp256k1) and RSA (private keys with all CRT members).
 * @throws {TypeError} when `jwk` or a member has the wrong type.
 * @throws {DecodeError} on bad base64url or values OpenSSL refuses (a point off the curve, wrong sizes).
 * @throws {UnsupportedAlgorithm} for other `kty`/`crv` values.
 * @example
 * ```ts
 * import { loadJwk } from 'coffer/hazmat/serialization';
 * const publicKey = loadJwk({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' });
 * ```
 */
export function loadJwk(jwk: Jwk | Readonly<Record<string, unknown>>): PrivateKeyTypes | PublicKeyTypes {
  const { jwk: checked, isPrivate } = checkJwk(jwk);
  let ko: be.NodeKeyObject;
  try {
    ko = isPrivate ? be.privateFromJwk(checked) : be.publicFromJwk(checked);
  } catch (err) {
    throw refused('JWK', err);
  }
  return wrapKeyObject(ko);
}

function exportJwkOf(ko: be.NodeKeyObject): Jwk {
  const type = ko.asymmetricKeyType as string;
  if (type === 'dsa' || type === 'dh')
    throw new UnsupportedAlgorithm(`JWK has no representation for ${type.toUpperCase()} keys`);
  try {
    return be.exportJwk(ko) as Jwk;
  } catch {
    throw new UnsupportedAlgorithm(
      `JWK has no representation for this key (${ko.asymmetricKeyDetails?.namedCurve ?? type})`,
    );
  }
}

/**
 * The public JWK of a public key (or of a private key's public half).
 * @throws {TypeError} when `key` is not a key. @throws {UnsupportedAlgorithm} for DSA, DH and brainpool keys.
 * @example
 * ```ts
 * import { keyToJwk } from 'coffer/hazmat/serialization';
 * keyToJwk(publicKey); // { kty: 'OKP', crv: 'Ed25519', x: '...' }
 * ```
 */
export function keyToJwk(publicKey: PublicKeyTypes): Jwk {
  const ko = keyObjectOf(publicKey, 'publicKey');
  return exportJwkOf(ko.type === 'private' ? be.publicOf(ko) : ko);
}

/**
 * The private JWK of a private key, in the clear: pass `new NoEncryption()` to say so.
 * @throws {TypeError} when `privateKey` is not a private key, or `encryption` is not `NoEncryption`.
 * @throws {UnsupportedAlgorithm} for DSA, DH and brainpool keys.
 * @example
 * ```ts
 * import { NoEncryption, privateKeyToJwk } from 'coffer/hazmat/serialization';
 * const jwk = privateKeyToJwk(key, new NoEncryption());
 * ```
 */
export function privateKeyToJwk(
  privateKey: PrivateKeyTypes,
  encryption: import('../internal/pkey-base.ts').NoEncryption,
): Jwk {
  if (!(isAsymmetricKey(privateKey) && privateKey instanceof AsymmetricPrivateKey)) {
    throw new TypeError(`"privateKey" must be a private key, got ${describeValue(privateKey)}`);
  }
  if (encryptionPassword('encryption', encryption) !== undefined) {
    throw new TypeError('"encryption" must be NoEncryption: a JWK cannot be encrypted here');
  }
  return exportJwkOf(keyObjectOf(privateKey));
}

/**
 * The RFC 7638 thumbprint of a key or JWK: the base64url hash of its required public members in
 * lexicographic order (`crv,kty,x,y` for EC, `crv,kty,x` for OKP, `e,kty,n` for RSA).
 * @throws {TypeError} on wrong types. @throws {UnsupportedAlgorithm} for other key types.
 * @throws {DecodeError} when a JWK member is not base64url.
 * @example
 * ```ts
 * import { jwkThumbprint } from 'coffer/hazmat/serialization';
 * jwkThumbprint({ kty: 'RSA', n: '0vx7...', e: 'AQAB' }); // 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'
 * ```
 */
export function jwkThumbprint(
  keyOrJwk: PublicKeyTypes | PrivateKeyTypes | Jwk | Readonly<Record<string, unknown>>,
  algorithm: HashAlgorithm = new SHA256(),
): string {
  const alg = hashAlgorithm('algorithm', algorithm);
  if (alg.isXof) throw new TypeError(`"algorithm" must not be an XOF, got ${alg.name}`);
  let jwk: Record<string, unknown>;
  if (isAsymmetricKey(keyOrJwk)) {
    const ko = keyObjectOf(keyOrJwk);
    jwk = exportJwkOf(ko.type === 'private' ? be.publicOf(ko) : ko);
  } else {
    if (isBytes(keyOrJwk)) throw new TypeError('"keyOrJwk" must be a key or a JWK object, got Uint8Array');
    jwk = plainObject('keyOrJwk', keyOrJwk);
  }
  const { jwk: checked } = checkJwk({
    ...Object.fromEntries(Object.entries(jwk).filter(([k]) => k !== 'd')),
  });
  // RFC 7638 §3.2: required members only, sorted, no whitespace.
  const members = ['kty', ...JWK_MEMBERS[checked.kty!]!].sort();
  const canonical = `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify(checked[m])}`).join(',')}}`;
  return base64urlEncode(u8(be.digest(alg.opensslName, bytesLike('jwk', canonical))));
}
