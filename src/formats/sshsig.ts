/**
 * SSH signatures (OpenSSH's PROTOCOL.sshsig, what `ssh-keygen -Y sign` writes) and the allowed-signers
 * file that `ssh-keygen -Y verify` reads. Pure format code: it builds the bytes to sign, armors and reads
 * signatures, and parses allowed-signers lines; the signing and verifying are the caller's, with
 * node:crypto (or coffer's key classes) and the digest this module names.
 *
 * To sign: `data = sshsigSignedData(message, { namespace })`, sign `data` with the key
 * (`crypto.sign(sshsigDigest(type), data, key)`, ECDSA with `dsaEncoding: 'ieee-p1363'`), then
 * `encodeSshSignature({ publicKey, namespace, signature })`. To verify: `sig = parseSshSignature(text)`,
 * check `sig.publicKeyBlob` against the allowed signers (`findAllowedSigner`), then
 * `crypto.verify(sig.digest, sshsigSignedData(message, sig), publicKey, sig.signature)`.
 *
 * Key types: ssh-ed25519, ecdsa-sha2-nistp256/384/521, and ssh-rsa signing with rsa-sha2-512 (ssh-keygen's
 * choice) or rsa-sha2-256. ECDSA signatures are given and returned as IEEE P1363 (r ‖ s, each the field
 * size), node's `dsaEncoding: 'ieee-p1363'`.
 *
 * @example
 * ```ts
 * import { createPrivateKey, sign } from 'node:crypto';
 * import { encodeSshSignature, sshsigDigest, sshsigSignedData } from 'coffer/formats/sshsig';
 * const data = sshsigSignedData(message, { namespace: 'file' });
 * const signature = sign(sshsigDigest('ssh-ed25519'), data, createPrivateKey({ key: jwk, format: 'jwk' }));
 * const armored = encodeSshSignature({ publicKey: jwk, namespace: 'file', signature });
 * ```
 * @module
 */
import { DecodeError, UnsupportedAlgorithm } from '../errors.ts';
import { sha256, sha512 } from '../internal/backend-openssh.ts';
import { bytes, bytesLike, concat, describeValue, plainObject, string } from '../internal/bytes.ts';
import { bigintOf, bytesOfBigint, mpint, SshReader, sshString, u32 } from '../internal/ssh-wire.ts';
import { base64Decode } from './encoding.ts';
import {
  MAX_SSH_TEXT_LENGTH,
  parseSshPublicKey,
  parseSshPublicKeyBlob,
  type SshJwk,
  type SshKeyType,
  sshPublicKeyBlob,
} from './openssh.ts';

/** The message hashes PROTOCOL.sshsig allows. */
export type SshsigHash = 'sha256' | 'sha512';

/** The signature algorithms this module reads and writes. */
export type SshsigAlgorithm =
  | 'ssh-ed25519'
  | 'ecdsa-sha2-nistp256'
  | 'ecdsa-sha2-nistp384'
  | 'ecdsa-sha2-nistp521'
  | 'rsa-sha2-256'
  | 'rsa-sha2-512';

const MAGIC = new TextEncoder().encode('SSHSIG');
const VERSION = 1;
const BEGIN = '-----BEGIN SSH SIGNATURE-----';
const END = '-----END SSH SIGNATURE-----';
const WHAT = 'invalid SSH signature';
const NAMESPACE_MAX = 256;

const ECDSA_SIZE: Readonly<Record<string, number>> = {
  'ecdsa-sha2-nistp256': 32,
  'ecdsa-sha2-nistp384': 48,
  'ecdsa-sha2-nistp521': 66,
};

/**
 * The digest node:crypto's `sign`/`verify` take for a signature algorithm (RFC 5656 §6.2.1 for ECDSA,
 * RFC 8332 for RSA): `null` for Ed25519.
 * @throws {TypeError} when `algorithm` is not one of {@link SshsigAlgorithm} or an SSH key type.
 * @example
 * ```ts
 * import { sshsigDigest } from 'coffer/formats/sshsig';
 * sshsigDigest('ecdsa-sha2-nistp384'); // 'sha384'
 * ```
 */
export function sshsigDigest(algorithm: SshsigAlgorithm | SshKeyType): string | null {
  switch (string('algorithm', algorithm)) {
    case 'ssh-ed25519':
      return null;
    case 'ecdsa-sha2-nistp256':
    case 'rsa-sha2-256':
      return 'sha256';
    case 'ecdsa-sha2-nistp384':
      return 'sha384';
    case 'ecdsa-sha2-nistp521':
    case 'rsa-sha2-512':
    case 'ssh-rsa':
      // For an ssh-rsa key, SSHSIG signs with rsa-sha2-512, as ssh-keygen.
      return 'sha512';
    default:
      throw new TypeError(`"algorithm" must be an SSHSIG signature algorithm or an SSH key type`);
  }
}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function checkNamespace(value: unknown): string {
  const ns = string('namespace', value);
  if (ns.length === 0 || ns.length > NAMESPACE_MAX || hasControl(ns)) {
    throw new RangeError(`"namespace" must be 1 to ${NAMESPACE_MAX} printable characters`);
  }
  return ns;
}

function checkHash(value: unknown): SshsigHash {
  if (value === undefined) return 'sha512';
  if (value !== 'sha256' && value !== 'sha512')
    throw new TypeError(`"hashAlgorithm" must be 'sha256' or 'sha512'`);
  return value;
}

/**
 * The bytes to sign (and verify) for `message` under `namespace` (PROTOCOL.sshsig: "SSHSIG" ‖
 * string namespace ‖ string reserved ‖ string hash_algorithm ‖ string H(message)).
 * @param options `namespace` (required, e.g. `'file'`, `'git'`), `hashAlgorithm` (default `'sha512'`, as
 *   ssh-keygen). A parsed signature can be passed as the options.
 * @throws {TypeError} when `message` is not bytes or a string, or an option has the wrong type.
 * @throws {RangeError} when `namespace` is empty, longer than 256 characters or has control characters.
 * @example
 * ```ts
 * import { sshsigSignedData } from 'coffer/formats/sshsig';
 * const data = sshsigSignedData(readFileSync('release.tar'), { namespace: 'file' });
 * ```
 */
export function sshsigSignedData(
  message: Uint8Array | string,
  options: { namespace: string; hashAlgorithm?: SshsigHash },
): Uint8Array {
  const m = bytesLike('message', message);
  const o = plainObject('options', options);
  const namespace = checkNamespace(o.namespace);
  const hash = checkHash(o.hashAlgorithm);
  const digest = hash === 'sha512' ? sha512(m) : sha256(m);
  return concat(MAGIC, sshString(namespace), sshString(''), sshString(hash), sshString(digest));
}

/** A parsed SSH signature. */
export interface ParsedSshSignature {
  /** The signer's public key. */
  jwk: SshJwk;
  publicKeyType: SshKeyType;
  /** The public key's wire blob (for matching allowed signers and fingerprints). */
  publicKeyBlob: Uint8Array;
  namespace: string;
  hashAlgorithm: SshsigHash;
  signatureAlgorithm: SshsigAlgorithm;
  /** Raw signature: Ed25519 64 bytes, ECDSA IEEE P1363 r ‖ s, RSA the modulus-sized block. */
  signature: Uint8Array;
  /** The digest for node:crypto's `verify` (`null` for Ed25519). */
  digest: string | null;
}

function algorithmFor(type: SshKeyType, algorithm: string, fail: (m: string) => never): SshsigAlgorithm {
  if (type === 'ssh-rsa') {
    if (algorithm === 'rsa-sha2-256' || algorithm === 'rsa-sha2-512') return algorithm;
    if (algorithm === 'ssh-rsa') {
      // OpenSSH refuses SHA-1 RSA signatures in SSHSIG.
      throw new UnsupportedAlgorithm('SSH signatures with ssh-rsa (SHA-1) are not supported');
    }
    return fail(`signature algorithm "${algorithm}" does not fit an ssh-rsa key`);
  }
  if (algorithm !== type) fail(`signature algorithm "${algorithm}" does not fit a ${type} key`);
  return algorithm as SshsigAlgorithm;
}

/**
 * Reads an armored SSH signature (`-----BEGIN SSH SIGNATURE-----`), as `ssh-keygen -Y sign` writes.
 * Nothing here checks the signature: verify it with `result.digest` over
 * `sshsigSignedData(message, result)`, after matching the key against the allowed signers.
 * @throws {DecodeError} when the text is malformed (armor, base64, magic, truncation, trailing data, a
 *   signature algorithm that does not fit the key, a signature of the wrong size).
 * @throws {UnsupportedAlgorithm} for other versions, hash algorithms, key types (security keys,
 *   certificates) and ssh-rsa (SHA-1) signatures.
 * @throws {TypeError} when `text` is not a string.
 * @example
 * ```ts
 * import { verify, createPublicKey } from 'node:crypto';
 * import { parseSshSignature, sshsigSignedData } from 'coffer/formats/sshsig';
 * const sig = parseSshSignature(armored);
 * const ok = verify(sig.digest, sshsigSignedData(message, sig), { key: createPublicKey({ key: sig.jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, sig.signature);
 * ```
 */
export function parseSshSignature(text: string): ParsedSshSignature {
  string('text', text);
  if (text.length > MAX_SSH_TEXT_LENGTH) throw new DecodeError(`${WHAT}: longer than 1 MiB`);
  const lines = text.trim().split(/\r?\n/);
  if (lines[0] !== BEGIN) throw new DecodeError(`${WHAT}: expected "${BEGIN}"`);
  if (lines.length < 2 || lines[lines.length - 1] !== END)
    throw new DecodeError(`${WHAT}: expected "${END}" last`);
  let blob: Uint8Array;
  try {
    blob = base64Decode(
      lines
        .slice(1, -1)
        .map((l) => l.trim())
        .join(''),
    );
  } catch {
    throw new DecodeError(`${WHAT}: the body is not valid base64`);
  }
  const r = new SshReader(blob, WHAT);
  const magic = r.raw(Math.min(MAGIC.length, r.remaining), 'the magic');
  if (Buffer.compare(magic, MAGIC) !== 0) r.fail('missing the "SSHSIG" magic');
  const version = r.u32('the version');
  if (version !== VERSION)
    throw new UnsupportedAlgorithm(`SSH signature version ${version} is not supported`);
  const publicKeyBlob = r.string('the public key');
  const namespaceBytes = r.string('the namespace', NAMESPACE_MAX);
  r.string('the reserved field');
  const hash = r.name('the hash algorithm');
  const sigBlob = r.string('the signature');
  r.end('the signature');

  const namespace = new TextDecoder('utf-8', { fatal: false }).decode(namespaceBytes);
  if (namespace.length === 0) r.fail('the namespace is empty');
  if (hash !== 'sha256' && hash !== 'sha512') {
    throw new UnsupportedAlgorithm(`SSH signature hash "${hash}" is not supported`);
  }
  let key: { jwk: SshJwk; type: SshKeyType };
  try {
    key = parseSshPublicKeyBlob(publicKeyBlob);
  } catch (e) {
    if (e instanceof DecodeError) r.fail(`the public key: ${e.message}`);
    throw e;
  }
  const s = new SshReader(sigBlob, `${WHAT}: the signature`);
  const algorithm = algorithmFor(key.type, s.name('the signature algorithm'), (m) => s.fail(m));
  const raw = s.string('the signature bytes');
  s.end('the signature bytes');
  let signature: Uint8Array;
  if (algorithm === 'ssh-ed25519') {
    if (raw.length !== 64) s.fail(`an Ed25519 signature must be 64 bytes, got ${raw.length}`);
    signature = raw.slice();
  } else if (algorithm.startsWith('ecdsa-')) {
    // RFC 5656 §3.1.2: string(mpint r ‖ mpint s).
    const size = ECDSA_SIZE[algorithm]!;
    const e = new SshReader(raw, `${WHAT}: the ECDSA signature`);
    const rr = e.mpint('r', size);
    const ss = e.mpint('s', size);
    e.end('s');
    if (rr.length === 0 || ss.length === 0) e.fail('r or s is zero');
    signature = concat(bytesOfBigint(bigintOf(rr), size), bytesOfBigint(bigintOf(ss), size));
  } else {
    const n = Buffer.from((key.jwk as { n: string }).n, 'base64url');
    if (raw.length === 0 || raw.length > n.length) s.fail(`an RSA signature must be 1 to ${n.length} bytes`);
    // OpenSSH accepts a short signature and left-pads it; node wants the full modulus length.
    signature = bytesOfBigint(bigintOf(raw), n.length);
  }
  return {
    jwk: key.jwk,
    publicKeyType: key.type,
    publicKeyBlob: publicKeyBlob.slice(),
    namespace,
    hashAlgorithm: hash,
    signatureAlgorithm: algorithm,
    signature,
    digest: sshsigDigest(algorithm),
  };
}

/** What {@link encodeSshSignature} writes. */
export interface SshSignatureFields {
  /** The signer's public key (a private JWK is accepted; its private fields are ignored). */
  publicKey: SshJwk;
  namespace: string;
  /** Default `'sha512'`; must be what `sshsigSignedData` used. */
  hashAlgorithm?: SshsigHash;
  /** For RSA keys: `'rsa-sha2-512'` (default) or `'rsa-sha2-256'`. Other keys have one algorithm. */
  signatureAlgorithm?: SshsigAlgorithm;
  /** Raw signature over `sshsigSignedData(...)`: ECDSA in IEEE P1363 form (r ‖ s). */
  signature: Uint8Array;
}

/**
 * Armors a signature made over `sshsigSignedData(message, { namespace, hashAlgorithm })`, as
 * `ssh-keygen -Y sign` does (text ending in a newline).
 * @throws {TypeError} when a field has the wrong type, or `signatureAlgorithm` does not fit the key.
 * @throws {RangeError} when `namespace` is invalid or `signature` has the wrong size for the key.
 * @throws {DecodeError} / {UnsupportedAlgorithm} when the JWK is malformed or OpenSSH cannot hold it.
 * @example
 * ```ts
 * import { encodeSshSignature } from 'coffer/formats/sshsig';
 * writeFileSync('release.tar.sig', encodeSshSignature({ publicKey: jwk, namespace: 'file', signature }));
 * ```
 */
export function encodeSshSignature(fields: SshSignatureFields): string {
  const f = plainObject('fields', fields);
  const blob = sshPublicKeyBlob(f.publicKey as SshJwk);
  const { jwk, type } = parseSshPublicKeyBlob(blob);
  const namespace = checkNamespace(f.namespace);
  const hash = checkHash(f.hashAlgorithm);
  const signature = bytes('signature', f.signature);
  let algorithm: SshsigAlgorithm;
  if (type === 'ssh-rsa') {
    const a = f.signatureAlgorithm ?? 'rsa-sha2-512';
    if (a !== 'rsa-sha2-512' && a !== 'rsa-sha2-256') {
      throw new TypeError(`"signatureAlgorithm" must be 'rsa-sha2-512' or 'rsa-sha2-256' for an RSA key`);
    }
    algorithm = a;
  } else {
    if (f.signatureAlgorithm !== undefined && f.signatureAlgorithm !== type) {
      throw new TypeError(
        `"signatureAlgorithm" must be ${type} for this key, got ${describeValue(f.signatureAlgorithm)}`,
      );
    }
    algorithm = type;
  }
  let sigBytes: Uint8Array;
  if (type === 'ssh-ed25519') {
    if (signature.length !== 64)
      throw new RangeError(`"signature" must be 64 bytes, got ${signature.length}`);
    sigBytes = signature;
  } else if (type === 'ssh-rsa') {
    const n = Buffer.from((jwk as { n: string }).n, 'base64url').length;
    if (signature.length !== n)
      throw new RangeError(`"signature" must be ${n} bytes, got ${signature.length}`);
    sigBytes = signature;
  } else {
    const size = ECDSA_SIZE[type]!;
    if (signature.length !== 2 * size) {
      throw new RangeError(
        `"signature" must be ${2 * size} bytes (IEEE P1363 r ‖ s), got ${signature.length}`,
      );
    }
    sigBytes = concat(mpint(signature.subarray(0, size)), mpint(signature.subarray(size)));
  }
  const body = concat(
    MAGIC,
    u32(VERSION),
    sshString(blob),
    sshString(namespace),
    sshString(''),
    sshString(hash),
    sshString(concat(sshString(algorithm), sshString(sigBytes))),
  );
  const b64 = Buffer.from(body).toString('base64');
  const lines = [BEGIN];
  // ssh-keygen wraps at 70 columns.
  for (let i = 0; i < b64.length; i += 70) lines.push(b64.slice(i, i + 70));
  lines.push(END, '');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Allowed signers (ssh-keygen(1), "ALLOWED SIGNERS").

/** One line of an allowed-signers file. */
export interface AllowedSigner {
  /** Principal patterns (`*` and `?` wildcards, `!` negation), as written. */
  principals: string[];
  /** `cert-authority`: the key signs certificates; coffer does not read SSH certificates. */
  certAuthority: boolean;
  /** `namespaces="a,b"` patterns; absent: any namespace. */
  namespaces?: string[];
  /** `valid-after` / `valid-before`, as written (`YYYYMMDD[HHMM[SS]][Z]`). */
  validAfter?: string;
  validBefore?: string;
  jwk: SshJwk;
  type: SshKeyType;
  publicKeyBlob: Uint8Array;
  comment: string;
  /** 1-based line number in the file. */
  line: number;
}

const TIME = /^\d{8}(?:\d{4}(?:\d{2})?)?Z?$/;

/** Splits at unquoted whitespace-separated tokens, honouring double quotes as OpenSSH does. */
function nextToken(s: string, fail: (m: string) => never): [string, string] {
  let i = 0;
  let quoted = false;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ' ' || c === '\t')) break;
    i++;
  }
  if (quoted) fail('unterminated quote');
  return [s.slice(0, i), s.slice(i).replace(/^[ \t]+/, '')];
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

/**
 * Parses an allowed-signers file: `principals [options] keytype base64 [comment]` per line, `#` comments
 * and blank lines skipped. Options: `cert-authority`, `namespaces="…"`, `valid-after="…"`,
 * `valid-before="…"` (case-insensitive, comma-separated).
 * @throws {DecodeError} naming the line for a malformed line or option.
 * @throws {UnsupportedAlgorithm} for a key type coffer does not read (naming the line).
 * @throws {TypeError} when `text` is not a string.
 * @example
 * ```ts
 * import { parseAllowedSigners } from 'coffer/formats/sshsig';
 * const signers = parseAllowedSigners('alice@example.com namespaces="git" ssh-ed25519 AAAAC3Nza…');
 * ```
 */
export function parseAllowedSigners(text: string): AllowedSigner[] {
  string('text', text);
  if (text.length > MAX_SSH_TEXT_LENGTH) throw new DecodeError('invalid allowed signers: longer than 1 MiB');
  const out: AllowedSigner[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const fail = (m: string): never => {
      throw new DecodeError(`invalid allowed signers, line ${line}: ${m}`);
    };
    const s = raw.trim();
    if (s === '' || s.startsWith('#')) return;
    let [principalField, rest] = nextToken(s, fail);
    const principals = unquote(principalField).split(',');
    if (principals.some((p) => p === '')) fail('empty principal');
    const entry: Partial<AllowedSigner> & { certAuthority: boolean } = { certAuthority: false };
    // Options come before the key type; a key type never contains '=' or a comma.
    const [maybeOptions] = nextToken(rest, fail);
    if (!/^(?:ssh-|ecdsa-|sk-)/.test(maybeOptions)) {
      rest = nextToken(rest, fail)[1];
      const options = maybeOptions.match(/(?:[^,"]|"[^"]*")+/g) ?? fail('empty options');
      if (options.join(',') !== maybeOptions) fail('malformed options');
      for (const option of options) {
        const eq = option.indexOf('=');
        const name = (eq === -1 ? option : option.slice(0, eq)).toLowerCase();
        const value = eq === -1 ? undefined : option.slice(eq + 1);
        if (name === 'cert-authority' && value === undefined) {
          entry.certAuthority = true;
        } else if (name === 'namespaces' && value !== undefined) {
          entry.namespaces = unquote(value).split(',');
        } else if ((name === 'valid-after' || name === 'valid-before') && value !== undefined) {
          const v = unquote(value);
          if (!TIME.test(v)) fail(`${name} must be YYYYMMDD[HHMM[SS]][Z]`);
          if (name === 'valid-after') entry.validAfter = v;
          else entry.validBefore = v;
        } else {
          fail(`unknown or malformed option "${name.slice(0, 32)}"`);
        }
      }
    }
    try {
      const key = parseSshPublicKey(rest);
      out.push({
        principals,
        certAuthority: entry.certAuthority,
        ...(entry.namespaces === undefined ? {} : { namespaces: entry.namespaces }),
        ...(entry.validAfter === undefined ? {} : { validAfter: entry.validAfter }),
        ...(entry.validBefore === undefined ? {} : { validBefore: entry.validBefore }),
        jwk: key.jwk,
        type: key.type,
        publicKeyBlob: sshPublicKeyBlob(key.jwk),
        comment: key.comment,
        line,
      });
    } catch (e) {
      if (e instanceof DecodeError) fail(e.message);
      if (e instanceof UnsupportedAlgorithm)
        throw new UnsupportedAlgorithm(`allowed signers, line ${line}: ${e.message}`);
      throw e;
    }
  });
  return out;
}

/** OpenSSH's match_pattern: `*` any run, `?` one character. */
function matchPattern(text: string, pattern: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    's',
  );
  return re.test(text);
}

/** OpenSSH's match_pattern_list: a `!` pattern that matches vetoes; else any positive match wins. */
function matchList(text: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (matchPattern(text, p.slice(1))) return false;
    } else if (matchPattern(text, p)) {
      matched = true;
    }
  }
  return matched;
}

/** `YYYYMMDD[HHMM[SS]][Z]` to a Date: UTC with `Z`, else local time, as ssh-keygen. */
function parseTime(v: string): Date {
  const utc = v.endsWith('Z');
  const d = utc ? v.slice(0, -1) : v;
  const n = (a: number, b: number) => (d.length >= b ? Number(d.slice(a, b)) : 0);
  const parts = [n(0, 4), n(4, 6) - 1, n(6, 8), n(8, 10), n(10, 12), n(12, 14)] as const;
  return utc ? new Date(Date.UTC(...parts)) : new Date(...parts);
}

/**
 * The allowed-signers entry that lets `publicKeyBlob` sign for `principal` in `namespace` at `at`, or
 * `undefined` (as `ssh-keygen -Y verify -I principal -n namespace`). `cert-authority` entries never match:
 * coffer does not read SSH certificates.
 * @throws {TypeError} when an argument has the wrong type.
 * @example
 * ```ts
 * import { findAllowedSigner, parseAllowedSigners, parseSshSignature } from 'coffer/formats/sshsig';
 * const sig = parseSshSignature(armored);
 * const who = findAllowedSigner(parseAllowedSigners(file), { principal: 'alice@example.com', namespace: sig.namespace, publicKeyBlob: sig.publicKeyBlob });
 * ```
 */
export function findAllowedSigner(
  signers: readonly AllowedSigner[],
  query: { principal: string; namespace: string; publicKeyBlob: Uint8Array; at?: Date },
): AllowedSigner | undefined {
  if (!Array.isArray(signers))
    throw new TypeError(`"signers" must be an array, got ${describeValue(signers)}`);
  const q = plainObject('query', query);
  const principal = string('principal', q.principal);
  const namespace = string('namespace', q.namespace);
  const blob = bytes('publicKeyBlob', q.publicKeyBlob);
  const at = q.at === undefined ? new Date() : q.at;
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new TypeError('"at" must be a valid Date');
  return signers.find(
    (s) =>
      !s.certAuthority &&
      Buffer.compare(s.publicKeyBlob, blob) === 0 &&
      matchList(principal, s.principals) &&
      (s.namespaces === undefined || matchList(namespace, s.namespaces)) &&
      (s.validAfter === undefined || at >= parseTime(s.validAfter)) &&
      (s.validBefore === undefined || at <= parseTime(s.validBefore)),
  );
}
