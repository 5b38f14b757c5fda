/**
 * File encryption in the age v1 format (age-encryption.org/v1), interoperable with the `age` tool: X25519
 * recipients (`age1…`) and identities (`AGE-SECRET-KEY-1…`), passphrases through scrypt, the header MAC,
 * 64 KiB ChaCha20-Poly1305 STREAM chunks and ASCII armor. Whole-buffer functions and streams (node
 * `Transform` and web `TransformStream`), the streams in constant memory for any file size.
 *
 * What a reader never does: release a chunk before its tag verifies; accept a truncated file, an empty final
 * chunk (except for an empty file), or data after the final chunk; spend more on scrypt than its
 * `maxWorkFactor` allows. Errors tell apart {@link NoIdentityMatch} (intact file, not for these keys) and
 * {@link AgeFileDamaged} (with `part`: `armor`, `header`, `mac`, `payload` or `work-factor`).
 *
 * @example
 * ```ts
 * import { decrypt, encrypt, generateX25519Identity } from 'coffer/age';
 * const identity = generateX25519Identity();
 * const file = await encrypt('hello', [identity.recipient()], { armor: true });
 * const plain = await decrypt(file, [identity]); // Uint8Array of 'hello'
 * ```
 * @module
 */
import { Transform, type TransformCallback } from 'node:stream';
import { inspect } from 'node:util';
import { AgeFileDamaged, type CofferError, DecodeError, NoIdentityMatch } from '../errors.ts';
import {
  ArmorDecoder,
  ArmorEncoder,
  base64NoPadDecode,
  base64NoPadEncode,
  encodeHeader,
  encodeHeaderForMac,
  headerLength,
  MAX_HEADER_SIZE,
  parseHeader,
  type Stanza,
  VERSION_LINE,
} from '../formats/age-header.ts';
import { bech32Decode, bech32Encode } from '../formats/bech32.ts';
import { rememberScalar } from '../internal/age-secret.ts';
import { randomBytes, timingSafeEqual } from '../internal/backend.ts';
import {
  chachaOpen,
  chachaSeal,
  hkdfSha256,
  hmacSha256,
  scryptR8P1,
  secretKeyObject,
  type X25519PrivateKey,
  x25519,
  x25519Generate,
  x25519PrivateKey,
  x25519PublicOf,
} from '../internal/backend-age.ts';
import { bytes, bytesLike, concat, integer, isBytes, plainObject, string } from '../internal/bytes.ts';

const FILE_KEY_SIZE = 16;
/** age-encryption.org/v1 §"Payload": 64 KiB of plaintext per STREAM chunk, plus a 16-byte tag. */
const CHUNK_SIZE = 64 * 1024;
const TAG_SIZE = 16;
const CHUNK_CT = CHUNK_SIZE + TAG_SIZE;
const NONCE_SIZE = 16;
const X25519_LABEL = Buffer.from('age-encryption.org/v1/X25519', 'latin1');
const SCRYPT_LABEL = Buffer.from('age-encryption.org/v1/scrypt', 'latin1');
const HEADER_INFO = Buffer.from('header', 'latin1');
const PAYLOAD_INFO = Buffer.from('payload', 'latin1');
// Stanza keys are used once, so ChaCha20-Poly1305's nonce is zero (age-encryption.org/v1 §"X25519").
const ZERO_NONCE = new Uint8Array(12);
// ML-KEM-768 + X25519 hybrid stanzas (age 1.3): parsed and checked for shape, not yet opened (Node 20's
// OpenSSL has no ML-KEM). `enc` is the ML-KEM ciphertext (1088 bytes) and an X25519 share (32).
const MLKEM768X25519_ENC = 1088 + 32;

/** The default scrypt work factor for new files (log2 N), as age's. */
export const DEFAULT_WORK_FACTOR = 18;
/** The default ceiling on a file's scrypt work factor when decrypting, as age's (log2 N ≤ 22). */
export const DEFAULT_MAX_WORK_FACTOR = 22;
/** The largest work factor coffer computes at all (scrypt then needs 128 GiB). */
const WORK_FACTOR_LIMIT = 30;

const TOKEN = Symbol('coffer/age');
const customInspect = inspect.custom;

// ---------------------------------------------------------------------------------------------------
// Recipients and identities.

// Filled in by the classes' static blocks, which alone see the #private fields.
let wrapX25519: (r: X25519Recipient, fileKey: Uint8Array) => Stanza;
let unwrapX25519: (i: X25519Identity, s: Stanza) => Uint8Array | null;
let wrapScrypt: (r: ScryptRecipient, fileKey: Uint8Array) => Promise<Stanza>;
let unwrapScrypt: (i: ScryptIdentity, s: Stanza) => Promise<Uint8Array | null>;
// Brand checks: `instanceof` is fooled by Object.create(X.prototype); a private field is not.
let isX25519Recipient: (v: object) => boolean;
let isX25519Identity: (v: object) => boolean;
let isScryptRecipient: (v: object) => boolean;
let isScryptIdentity: (v: object) => boolean;

function parseKeyString(text: unknown, what: string, prefix: string, upper: boolean): Uint8Array {
  const s = string(what, text).trim();
  let decoded: { prefix: string; data: Uint8Array };
  try {
    decoded = bech32Decode(s);
  } catch {
    throw new DecodeError(`invalid ${what}: not a valid Bech32 string`);
  }
  if (decoded.prefix !== prefix || s !== (upper ? s.toUpperCase() : s.toLowerCase())) {
    throw new DecodeError(`invalid ${what}: wrong type or case`);
  }
  if (decoded.data.length !== 32) throw new DecodeError(`invalid ${what}: must hold 32 bytes`);
  return decoded.data;
}

/**
 * An X25519 recipient: the public `age1…` string that files are encrypted to.
 * @example
 * ```ts
 * import { X25519Recipient, encrypt } from 'coffer/age';
 * const r = X25519Recipient.fromString('age1…');
 * const file = await encrypt(data, [r]);
 * ```
 */
export class X25519Recipient {
  readonly #publicKey: Uint8Array;

  /** Not for direct use: see {@link X25519Recipient.fromString} and {@link X25519Identity.recipient}. */
  constructor(token: typeof TOKEN, publicKey: Uint8Array) {
    if (token !== TOKEN) throw new TypeError('use X25519Recipient.fromString() or identity.recipient()');
    this.#publicKey = Uint8Array.from(publicKey);
  }

  /**
   * Parses an `age1…` recipient.
   * @throws {TypeError} when `text` is not a string.
   * @throws {DecodeError} when it is not a lowercase Bech32 `age1…` string holding 32 bytes.
   */
  static fromString(text: string): X25519Recipient {
    return new X25519Recipient(TOKEN, parseKeyString(text, 'recipient', 'age', false));
  }

  /** The `age1…` string. */
  toString(): string {
    return bech32Encode('age', this.#publicKey);
  }

  toJSON(): string {
    return this.toString();
  }

  [customInspect](): string {
    return `X25519Recipient(${this.toString()})`;
  }

  static {
    isX25519Recipient = (v) => #publicKey in v;
    wrapX25519 = (r, fileKey) => {
      const eph = x25519Generate();
      eph.scalar.fill(0);
      const shared = x25519(eph.privateKey, r.#publicKey);
      // Only a low-order recipient key gives an all-zero secret: no valid age1 key is one.
      if (shared === null) throw new DecodeError('invalid recipient: X25519 low-order point');
      const salt = concat(eph.publicKey, r.#publicKey);
      const key = hkdfSha256(shared, salt, X25519_LABEL, 32);
      shared.fill(0);
      const body = chachaSeal(key, ZERO_NONCE, fileKey);
      key.fill(0);
      return { type: 'X25519', args: [base64NoPadEncode(eph.publicKey)], body };
    };
  }
}

/**
 * An X25519 identity: the secret key (`AGE-SECRET-KEY-1…`) that opens files sent to its recipient. The
 * secret never appears in `toString`, `toJSON` or `util.inspect`, which show the public recipient only.
 * @example
 * ```ts
 * import { X25519Identity, decrypt } from 'coffer/age';
 * const id = X25519Identity.fromString(process.env.AGE_KEY ?? '');
 * const plain = await decrypt(file, [id]);
 * ```
 */
export class X25519Identity {
  readonly #key: X25519PrivateKey;
  readonly #publicKey: Uint8Array;

  /** Not for direct use: see {@link generateX25519Identity} and {@link X25519Identity.fromString}. */
  constructor(token: typeof TOKEN, key: X25519PrivateKey, scalar: Uint8Array) {
    if (token !== TOKEN) throw new TypeError('use generateX25519Identity() or X25519Identity.fromString()');
    this.#key = key;
    this.#publicKey = x25519PublicOf(key);
    rememberScalar(this, scalar);
  }

  /**
   * Parses an `AGE-SECRET-KEY-1…` identity (surrounding whitespace is ignored).
   * @throws {TypeError} when `text` is not a string.
   * @throws {DecodeError} when it is not an uppercase Bech32 `AGE-SECRET-KEY-1…` string holding 32 bytes;
   *   the message never repeats the text.
   */
  static fromString(text: string): X25519Identity {
    const scalar = parseKeyString(text, 'identity', 'age-secret-key-', true);
    try {
      return new X25519Identity(TOKEN, x25519PrivateKey(scalar), scalar);
    } finally {
      scalar.fill(0);
    }
  }

  /** The public recipient (`age1…`) that files for this identity are encrypted to. */
  recipient(): X25519Recipient {
    return new X25519Recipient(TOKEN, this.#publicKey);
  }

  toString(): string {
    return `X25519Identity(${bech32Encode('age', this.#publicKey)})`;
  }

  toJSON(): { type: 'X25519Identity'; recipient: string } {
    return { type: 'X25519Identity', recipient: bech32Encode('age', this.#publicKey) };
  }

  [customInspect](): string {
    return this.toString();
  }

  static {
    isX25519Identity = (v) => #key in v;
    unwrapX25519 = (id, stanza) => {
      if (stanza.type !== 'X25519') return null;
      const share = base64NoPadDecode(stanza.args[0] as string);
      const shared = x25519(id.#key, share);
      // age-encryption.org/v1 §"X25519": an all-zero shared secret must be rejected, not just skipped.
      if (shared === null) throw new AgeFileDamaged('header');
      const key = hkdfSha256(shared, concat(share, id.#publicKey), X25519_LABEL, 32);
      shared.fill(0);
      const fileKey = chachaOpen(key, ZERO_NONCE, stanza.body);
      key.fill(0);
      return fileKey;
    };
  }
}

/**
 * A new random X25519 identity.
 * @example
 * ```ts
 * import { generateX25519Identity } from 'coffer/age';
 * const id = generateX25519Identity();
 * console.log(String(id.recipient())); // age1…
 * ```
 */
export function generateX25519Identity(): X25519Identity {
  const { privateKey, scalar } = x25519Generate();
  try {
    return new X25519Identity(TOKEN, privateKey, scalar);
  } finally {
    scalar.fill(0);
  }
}

function passphraseBytes(value: unknown): Uint8Array {
  const b = Uint8Array.from(bytesLike('passphrase', value));
  if (b.length === 0) throw new RangeError('"passphrase" must not be empty');
  return b;
}

function workFactorOption(options: unknown, name: string, fallback: number): number {
  const value = plainObject('options', options)[name];
  return value === undefined ? fallback : integer(name, value, 1, WORK_FACTOR_LIMIT);
}

/**
 * A passphrase recipient (age's `-p`), through scrypt with N = 2^workFactor, r = 8, p = 1. It must be the
 * only recipient of a file. The passphrase is never shown by `toString`, `toJSON` or `util.inspect`.
 * @example
 * ```ts
 * import { ScryptRecipient, encrypt } from 'coffer/age';
 * const file = await encrypt(data, [new ScryptRecipient(passphrase)]);
 * ```
 */
export class ScryptRecipient {
  readonly #passphrase: Uint8Array;
  /** log2 of scrypt's N for new files. */
  readonly workFactor: number;

  /**
   * @param options.workFactor log2 N, 1 to 30 (default 18, as age; each step doubles time and memory).
   * @throws {TypeError} when `passphrase` is not a string or Uint8Array, or `options` is not an object.
   * @throws {RangeError} when `passphrase` is empty or `workFactor` is out of range.
   */
  constructor(passphrase: string | Uint8Array, options: { workFactor?: number } = {}) {
    this.#passphrase = passphraseBytes(passphrase);
    this.workFactor = workFactorOption(options, 'workFactor', DEFAULT_WORK_FACTOR);
  }

  toString(): string {
    return `ScryptRecipient(workFactor=${this.workFactor})`;
  }

  toJSON(): { type: 'ScryptRecipient'; workFactor: number } {
    return { type: 'ScryptRecipient', workFactor: this.workFactor };
  }

  [customInspect](): string {
    return this.toString();
  }

  static {
    isScryptRecipient = (v) => #passphrase in v;
    wrapScrypt = async (r, fileKey) => {
      const salt = randomBytes(16);
      const key = await scryptR8P1(r.#passphrase, concat(SCRYPT_LABEL, salt), r.workFactor);
      const body = chachaSeal(key, ZERO_NONCE, fileKey);
      key.fill(0);
      return { type: 'scrypt', args: [base64NoPadEncode(salt), String(r.workFactor)], body };
    };
  }
}

/**
 * A passphrase identity. A file whose scrypt work factor is above `maxWorkFactor` is refused with
 * `AgeFileDamaged` (`part: 'work-factor'`) before any scrypt work, so a hostile file cannot stall the reader.
 * @example
 * ```ts
 * import { ScryptIdentity, decrypt } from 'coffer/age';
 * const plain = await decrypt(file, [new ScryptIdentity(passphrase)]);
 * ```
 */
export class ScryptIdentity {
  readonly #passphrase: Uint8Array;
  /** The largest log2 N this identity will compute. */
  readonly maxWorkFactor: number;

  /**
   * @param options.maxWorkFactor 1 to 30 (default 22, as age: 4 GiB and seconds of CPU at the top).
   * @throws {TypeError} when `passphrase` is not a string or Uint8Array, or `options` is not an object.
   * @throws {RangeError} when `passphrase` is empty or `maxWorkFactor` is out of range.
   */
  constructor(passphrase: string | Uint8Array, options: { maxWorkFactor?: number } = {}) {
    this.#passphrase = passphraseBytes(passphrase);
    this.maxWorkFactor = workFactorOption(options, 'maxWorkFactor', DEFAULT_MAX_WORK_FACTOR);
  }

  toString(): string {
    return `ScryptIdentity(maxWorkFactor=${this.maxWorkFactor})`;
  }

  toJSON(): { type: 'ScryptIdentity'; maxWorkFactor: number } {
    return { type: 'ScryptIdentity', maxWorkFactor: this.maxWorkFactor };
  }

  [customInspect](): string {
    return this.toString();
  }

  static {
    isScryptIdentity = (v) => #passphrase in v;
    unwrapScrypt = async (id, stanza) => {
      if (stanza.type !== 'scrypt') return null;
      const logN = Number(stanza.args[1]);
      if (logN > id.maxWorkFactor) throw new AgeFileDamaged('work-factor');
      const salt = concat(SCRYPT_LABEL, base64NoPadDecode(stanza.args[0] as string));
      const key = await scryptR8P1(id.#passphrase, salt, logN);
      const fileKey = chachaOpen(key, ZERO_NONCE, stanza.body);
      key.fill(0);
      return fileKey;
    };
  }
}

/** What files can be encrypted to. */
export type AgeRecipient = X25519Recipient | ScryptRecipient;
/** What opens files. */
export type AgeIdentity = X25519Identity | ScryptIdentity;

function recipientList(value: unknown): readonly AgeRecipient[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  if (list.length === 0) throw new RangeError('"recipients" must hold at least one recipient');
  for (const r of list) {
    if (typeof r !== 'object' || r === null || !(isX25519Recipient(r) || isScryptRecipient(r))) {
      throw new TypeError('"recipients" must hold X25519Recipient or ScryptRecipient instances');
    }
  }
  // age-encryption.org/v1 §"scrypt": a passphrase stanza must be alone, or it would not prove the
  // passphrase holder alone could have written the file.
  if (list.length > 1 && list.some((r) => isScryptRecipient(r as object))) {
    throw new TypeError('"recipients": a ScryptRecipient must be the only recipient');
  }
  return list as AgeRecipient[];
}

function identityList(value: unknown): readonly AgeIdentity[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  if (list.length === 0) throw new RangeError('"identities" must hold at least one identity');
  for (const i of list) {
    if (typeof i !== 'object' || i === null || !(isX25519Identity(i) || isScryptIdentity(i))) {
      throw new TypeError('"identities" must hold X25519Identity or ScryptIdentity instances');
    }
  }
  return list as AgeIdentity[];
}

// ---------------------------------------------------------------------------------------------------
// The file: header, unwrapping and the STREAM payload.

const damaged = (part: 'armor' | 'header' | 'mac' | 'payload'): AgeFileDamaged => new AgeFileDamaged(part);

/**
 * Checks the shape of every stanza coffer knows, whichever identities are at hand, so that a malformed
 * stanza is a damaged header and never a silent "no match". Unknown types are skipped (age's grease).
 */
function checkStanzas(stanzas: readonly Stanza[]): void {
  const decoded = (arg: string | undefined, length: number): boolean => {
    try {
      return arg !== undefined && base64NoPadDecode(arg).length === length;
    } catch {
      return false;
    }
  };
  for (const s of stanzas) {
    let ok = true;
    switch (s.type) {
      case 'X25519':
        ok = s.args.length === 1 && decoded(s.args[0], 32);
        break;
      case 'scrypt':
        // age-encryption.org/v1 §"scrypt": decimal work factor, no leading zeros or signs.
        ok = s.args.length === 2 && decoded(s.args[0], 16) && /^[1-9][0-9]?$/.test(s.args[1] as string);
        if (stanzas.length !== 1) ok = false;
        break;
      case 'mlkem768x25519':
        ok = s.args.length === 1 && decoded(s.args[0], MLKEM768X25519_ENC);
        break;
      default:
        continue;
    }
    // The wrapped file key is 16 bytes plus the tag: anything else is refused before decrypting it.
    if (!ok || s.body.length !== FILE_KEY_SIZE + TAG_SIZE) throw damaged('header');
  }
}

async function unwrapFileKey(
  stanzas: readonly Stanza[],
  identities: readonly AgeIdentity[],
): Promise<Uint8Array> {
  checkStanzas(stanzas);
  for (const id of identities) {
    for (const s of stanzas) {
      const fileKey = isX25519Identity(id)
        ? unwrapX25519(id as X25519Identity, s)
        : await unwrapScrypt(id as ScryptIdentity, s);
      if (fileKey !== null) return fileKey;
    }
  }
  throw new NoIdentityMatch();
}

const headerMacKey = (fileKey: Uint8Array): Uint8Array =>
  hkdfSha256(fileKey, new Uint8Array(0), HEADER_INFO, 32);
const payloadKey = (fileKey: Uint8Array, nonce: Uint8Array) =>
  secretKeyObject(hkdfSha256(fileKey, nonce, PAYLOAD_INFO, 32));

/** STREAM nonce: an 11-byte big-endian chunk counter, then 1 for the final chunk, else 0. */
function nextNonce(nonce: Uint8Array): void {
  for (let i = 10; i >= 0; i--) {
    nonce[i] = ((nonce[i] as number) + 1) & 0xff;
    if (nonce[i] !== 0) return;
  }
  // 2^88 chunks of 64 KiB: unreachable, but wrapping around would reuse nonces.
  throw new RangeError('age STREAM counter overflow');
}

type Key = ReturnType<typeof secretKeyObject>;

/** The encrypting engine behind every encrypt form: push plaintext, get ciphertext (armored if asked). */
class Encryptor {
  readonly #recipients: readonly AgeRecipient[];
  readonly #armor: ArmorEncoder | null;
  #key: Key | null = null;
  readonly #nonce = new Uint8Array(12);
  readonly #stage = new Uint8Array(CHUNK_SIZE);
  #fill = 0;
  #done = false;

  constructor(recipients: readonly AgeRecipient[], armor: boolean) {
    this.#recipients = recipients;
    this.#armor = armor ? new ArmorEncoder() : null;
  }

  async #start(out: Uint8Array[]): Promise<Key> {
    const fileKey = randomBytes(FILE_KEY_SIZE);
    const stanzas: Stanza[] = [];
    for (const r of this.#recipients) {
      stanzas.push(
        isX25519Recipient(r)
          ? wrapX25519(r as X25519Recipient, fileKey)
          : await wrapScrypt(r as ScryptRecipient, fileKey),
      );
    }
    const macKey = headerMacKey(fileKey);
    const mac = hmacSha256(macKey, encodeHeaderForMac(stanzas));
    macKey.fill(0);
    const nonce = randomBytes(NONCE_SIZE);
    const key = payloadKey(fileKey, nonce);
    fileKey.fill(0);
    this.#emit(out, encodeHeader(stanzas, mac));
    this.#emit(out, nonce);
    this.#key = key;
    return key;
  }

  #emit(out: Uint8Array[], data: Uint8Array): void {
    if (this.#armor === null) {
      out.push(data);
      return;
    }
    const text = this.#armor.push(data);
    if (text.length > 0) out.push(Buffer.from(text, 'latin1'));
  }

  #seal(out: Uint8Array[], key: Key, length: number, last: boolean): void {
    this.#nonce[11] = last ? 1 : 0;
    this.#emit(out, chachaSeal(key, this.#nonce, this.#stage.subarray(0, length)));
    nextNonce(this.#nonce);
  }

  /** Appends the ciphertext produced to `out`. */
  async push(data: Uint8Array, out: Uint8Array[]): Promise<void> {
    if (this.#done) throw new TypeError('write after end');
    const key = this.#key ?? (await this.#start(out));
    let i = 0;
    while (i < data.length) {
      // A full chunk is sealed only once more data follows: the last chunk must carry the final flag.
      if (this.#fill === CHUNK_SIZE) {
        this.#seal(out, key, CHUNK_SIZE, false);
        this.#fill = 0;
      }
      const n = Math.min(CHUNK_SIZE - this.#fill, data.length - i);
      this.#stage.set(data.subarray(i, i + n), this.#fill);
      this.#fill += n;
      i += n;
    }
  }

  async end(out: Uint8Array[]): Promise<void> {
    const key = this.#key ?? (await this.#start(out));
    this.#done = true;
    // An empty file is one empty final chunk; otherwise the final chunk is never empty.
    this.#seal(out, key, this.#fill, true);
    this.#stage.fill(0);
    if (this.#armor !== null) out.push(Buffer.from(this.#armor.end(), 'latin1'));
  }
}

const VERSION_PREFIX = Buffer.from(`${VERSION_LINE}\n`, 'latin1');
const isSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/** The decrypting engine behind every decrypt form: push ciphertext, get verified plaintext. */
class Decryptor {
  readonly #identities: readonly AgeIdentity[];
  #mode: 'auto' | 'armor' | 'binary';
  #armor: ArmorDecoder | null = null;
  #state: 'header' | 'nonce' | 'payload' | 'done' = 'header';
  #failure: CofferError | null = null;
  #head = new Uint8Array(4096);
  #fileKey: Uint8Array | null = null;
  #headFill = 0;
  #key: Key | null = null;
  readonly #nonce = new Uint8Array(12);
  readonly #stage = new Uint8Array(CHUNK_CT);
  #fill = 0;
  #lastSeen = false;

  constructor(identities: readonly AgeIdentity[], armor: boolean | undefined) {
    this.#identities = identities;
    this.#mode = armor === undefined ? 'auto' : armor ? 'armor' : 'binary';
    if (armor === true) this.#armor = new ArmorDecoder();
  }

  /**
   * Appends the verified plaintext produced to `out`, which keeps what verified before any failure:
   * streams release it, then report the error.
   */
  async push(data: Uint8Array, out: Uint8Array[]): Promise<void> {
    return this.#guard(async () => {
      if (this.#state === 'done') throw new TypeError('write after end');
      await this.#input(data, out);
    });
  }

  async end(out: Uint8Array[]): Promise<void> {
    return this.#guard(async () => {
      if (this.#mode === 'auto') this.#mode = 'binary';
      if (this.#armor !== null) {
        const a = this.#armor;
        this.#armor = null;
        try {
          a.end();
        } catch {
          throw damaged('armor');
        }
      }
      if (this.#state === 'header' && this.#headFill > 0) {
        // The header may have been held back waiting for the mode decision.
        await this.#binary(new Uint8Array(0), out);
      }
      // A missing or short nonce is a header-level failure (the testkit's stream_no_nonce).
      if (this.#state === 'header' || this.#state === 'nonce') throw damaged('header');
      if (this.#state === 'payload' && !this.#lastSeen) {
        const key = this.#key as Key;
        // No final chunk (truncated, or no chunk at all), a final chunk shorter than its tag, or an empty
        // final chunk after others.
        if (this.#fill < TAG_SIZE) throw damaged('payload');
        const plain = this.#open(key, this.#fill, true);
        if (plain.length === 0 && this.#nonce.subarray(0, 11).some((b) => b !== 0)) throw damaged('payload');
        nextNonce(this.#nonce);
        if (plain.length > 0) out.push(plain);
      }
      this.#state = 'done';
      this.#stage.fill(0);
    });
  }

  async #guard(work: () => Promise<void>): Promise<void> {
    if (this.#failure !== null) throw this.#failure;
    try {
      await work();
    } catch (err) {
      if (err instanceof AgeFileDamaged || err instanceof NoIdentityMatch) {
        this.#failure = err;
        this.#stage.fill(0);
      }
      throw err;
    }
  }

  async #input(data: Uint8Array, out: Uint8Array[]): Promise<void> {
    if (this.#mode === 'auto') {
      // Armor is told from binary by its first non-space byte: '-' (of -----BEGIN) or 'a' (of age-…).
      const first = data.findIndex((b) => !isSpace(b));
      if (first === -1 && this.#headFill + data.length <= 1024) {
        this.#appendHead(data);
        return;
      }
      this.#mode = first !== -1 && data[first] === 0x2d ? 'armor' : 'binary';
      if (this.#mode === 'armor') {
        this.#armor = new ArmorDecoder();
        const held = this.#head.slice(0, this.#headFill);
        this.#headFill = 0;
        data = concat(held, data);
      }
    }
    if (this.#armor !== null) {
      let decoded: Uint8Array;
      try {
        decoded = this.#armor.push(data);
      } catch {
        throw damaged('armor');
      }
      await this.#binary(decoded, out);
      return;
    }
    await this.#binary(data, out);
  }

  #appendHead(data: Uint8Array): void {
    if (this.#headFill + data.length > this.#head.length) {
      const grown = new Uint8Array(Math.max(this.#head.length * 2, this.#headFill + data.length));
      grown.set(this.#head.subarray(0, this.#headFill));
      this.#head = grown;
    }
    this.#head.set(data, this.#headFill);
    this.#headFill += data.length;
  }

  async #binary(data: Uint8Array, out: Uint8Array[]): Promise<void> {
    let rest = data;
    if (this.#state === 'header') {
      const seen = this.#headFill;
      // Take no more than the header can still be, so a huge push is not copied whole.
      const take = Math.min(rest.length, MAX_HEADER_SIZE + 1 - seen);
      this.#appendHead(rest.subarray(0, take));
      const head = this.#head.subarray(0, this.#headFill);
      const prefix = Math.min(head.length, VERSION_PREFIX.length);
      if (!VERSION_PREFIX.subarray(0, prefix).equals(head.subarray(0, prefix))) throw damaged('header');
      const length = headerLength(head, seen);
      if (length === -1) {
        if (head.length > MAX_HEADER_SIZE) throw damaged('header');
        return;
      }
      let header: ReturnType<typeof parseHeader>;
      try {
        header = parseHeader(head.subarray(0, length));
      } catch (err) {
        if (err instanceof DecodeError) throw damaged('header');
        throw err;
      }
      const fileKey = await unwrapFileKey(header.stanzas, this.#identities);
      const macKey = headerMacKey(fileKey);
      const mac = hmacSha256(macKey, header.macInput);
      macKey.fill(0);
      if (!timingSafeEqual(mac, header.mac)) {
        fileKey.fill(0);
        throw damaged('mac');
      }
      // What followed the header in the buffer, then what was not yet taken from this push.
      rest = concat(head.subarray(length), rest.subarray(take));
      this.#fileKey = fileKey; // kept until the nonce arrives; wiped then
      this.#head = new Uint8Array(0);
      this.#headFill = 0;
      this.#state = 'nonce';
    }
    if (this.#state === 'nonce') {
      const fileKey = this.#fileKey as Uint8Array;
      const n = Math.min(NONCE_SIZE - this.#fill, rest.length);
      this.#stage.set(rest.subarray(0, n), this.#fill);
      this.#fill += n;
      rest = rest.subarray(n);
      if (this.#fill < NONCE_SIZE) return;
      this.#key = payloadKey(fileKey, this.#stage.subarray(0, NONCE_SIZE));
      fileKey.fill(0);
      this.#fileKey = null;
      this.#fill = 0;
      this.#state = 'payload';
    }
    if (this.#state === 'payload') this.#payload(rest, out);
  }

  #payload(data: Uint8Array, out: Uint8Array[]): void {
    const key = this.#key as Key;
    let i = 0;
    while (i < data.length) {
      if (this.#lastSeen) throw damaged('payload'); // trailing data after the final chunk
      const n = Math.min(CHUNK_CT - this.#fill, data.length - i);
      this.#stage.set(data.subarray(i, i + n), this.#fill);
      this.#fill += n;
      i += n;
      if (this.#fill === CHUNK_CT) {
        // A full chunk is normally not the last; if it does not open as such, it may be a full final
        // chunk (age's reader does the same, so a file of whole chunks needs no look-ahead). Either way
        // it is released only once its tag has verified.
        this.#nonce[11] = 0;
        let plain = chachaOpen(key, this.#nonce, this.#stage);
        if (plain === null) {
          plain = this.#open(key, CHUNK_CT, true);
          this.#lastSeen = true;
        }
        out.push(plain);
        nextNonce(this.#nonce);
        this.#fill = 0;
      }
    }
  }

  #open(key: Key, length: number, last: boolean): Uint8Array {
    this.#nonce[11] = last ? 1 : 0;
    const plain = chachaOpen(key, this.#nonce, this.#stage.subarray(0, length));
    if (plain === null) throw damaged('payload');
    return plain;
  }
}

// ---------------------------------------------------------------------------------------------------
// The public forms.

/** Options for encrypting. */
export interface EncryptOptions {
  /** ASCII armor (`-----BEGIN AGE ENCRYPTED FILE-----`), as `age -a`. Default false. */
  armor?: boolean;
}

/** Options for decrypting. */
export interface DecryptOptions {
  /** true: the input must be armored; false: it must be binary; undefined (default): either, detected. */
  armor?: boolean;
}

function encryptOptions(options: unknown): boolean {
  const armor = plainObject('options', options).armor;
  if (armor !== undefined && typeof armor !== 'boolean') throw new TypeError('"armor" must be a boolean');
  return armor === true;
}

function decryptOptions(options: unknown): boolean | undefined {
  const armor = plainObject('options', options).armor;
  if (armor !== undefined && typeof armor !== 'boolean') throw new TypeError('"armor" must be a boolean');
  return armor as boolean | undefined;
}

function newEncryptor(recipients: unknown, options: unknown): Encryptor {
  return new Encryptor(recipientList(recipients), encryptOptions(options));
}

const collect = (parts: Uint8Array[]): Uint8Array =>
  parts.length === 1 ? (parts[0] as Uint8Array) : concat(...parts);

/**
 * Encrypts `plaintext` (bytes, or a string as UTF-8) to the recipients. Returns the age file; with
 * `{ armor: true }` its bytes are the ASCII armor.
 * @throws {TypeError} (by rejecting) when `plaintext` is not bytes or a string, `recipients` holds
 *   anything but coffer/age recipients, a ScryptRecipient is not alone, or `options` is malformed.
 * @throws {RangeError} (by rejecting) when `recipients` is empty.
 * @throws {DecodeError} (by rejecting) when an X25519 recipient is a low-order point.
 * @example
 * ```ts
 * import { encrypt, X25519Recipient } from 'coffer/age';
 * const file = await encrypt(data, [X25519Recipient.fromString('age1…')], { armor: true });
 * ```
 */
export async function encrypt(
  plaintext: Uint8Array | string,
  recipients: AgeRecipient | readonly AgeRecipient[],
  options: EncryptOptions = {},
): Promise<Uint8Array> {
  const data = bytesLike('plaintext', plaintext);
  const e = newEncryptor(recipients, options);
  const parts: Uint8Array[] = [];
  await e.push(data, parts);
  await e.end(parts);
  return collect(parts);
}

/**
 * Decrypts a whole age file (binary or armored; a string is read as its bytes). Returns the plaintext, or
 * nothing at all on failure.
 * @throws {TypeError} (by rejecting) when `ciphertext` is not bytes or a string, `identities` holds
 *   anything but coffer/age identities, or `options` is malformed.
 * @throws {RangeError} (by rejecting) when `identities` is empty.
 * @throws {NoIdentityMatch} (by rejecting) when no identity opens any stanza.
 * @throws {AgeFileDamaged} (by rejecting) when the file is malformed, modified, truncated, has trailing
 *   data, or asks for more scrypt work than allowed.
 * @example
 * ```ts
 * import { decrypt, X25519Identity } from 'coffer/age';
 * const plain = await decrypt(file, [X25519Identity.fromString(secret)]);
 * ```
 */
export async function decrypt(
  ciphertext: Uint8Array | string,
  identities: AgeIdentity | readonly AgeIdentity[],
  options: DecryptOptions = {},
): Promise<Uint8Array> {
  const data = bytesLike('ciphertext', ciphertext);
  const d = new Decryptor(identityList(identities), decryptOptions(options));
  const parts: Uint8Array[] = [];
  await d.push(data, parts);
  await d.end(parts);
  return collect(parts);
}

class AgeTransform extends Transform {
  readonly #engine: Encryptor | Decryptor;

  constructor(engine: Encryptor | Decryptor) {
    super();
    this.#engine = engine;
  }

  #run(work: (out: Uint8Array[]) => Promise<void>, callback: TransformCallback): void {
    const out: Uint8Array[] = [];
    // What verified before a failure is released first, then the error.
    work(out).then(
      () => {
        for (const p of out) this.push(p);
        callback();
      },
      (err: Error) => {
        for (const p of out) this.push(p);
        callback(err);
      },
    );
  }

  override _transform(chunk: unknown, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!isBytes(chunk)) {
      callback(new TypeError('"chunk" must be a Uint8Array'));
      return;
    }
    this.#run((out) => this.#engine.push(chunk, out), callback);
  }

  override _flush(callback: TransformCallback): void {
    this.#run((out) => this.#engine.end(out), callback);
  }
}

function webStream(engine: Encryptor | Decryptor): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      const out: Uint8Array[] = [];
      try {
        await engine.push(bytes('chunk', chunk), out);
      } finally {
        for (const p of out) controller.enqueue(p);
      }
    },
    async flush(controller) {
      const out: Uint8Array[] = [];
      try {
        await engine.end(out);
      } finally {
        for (const p of out) controller.enqueue(p);
      }
    },
  });
}

/**
 * A node Transform that encrypts what is written to it, in constant memory (one 64 KiB chunk).
 * @throws {TypeError} as {@link encrypt}, at once; a non-Uint8Array chunk fails the stream with TypeError.
 * @throws {RangeError} when `recipients` is empty.
 * @example
 * ```ts
 * import { pipeline } from 'node:stream/promises';
 * import { createReadStream, createWriteStream } from 'node:fs';
 * import { createEncryptStream, X25519Recipient } from 'coffer/age';
 * await pipeline(createReadStream('in'), createEncryptStream([recipient]), createWriteStream('in.age'));
 * ```
 */
export function createEncryptStream(
  recipients: AgeRecipient | readonly AgeRecipient[],
  options: EncryptOptions = {},
): Transform {
  return new AgeTransform(newEncryptor(recipients, options));
}

/**
 * A node Transform that decrypts an age file, in constant memory. Each 64 KiB chunk is released only after
 * its tag verifies; the stream fails with `NoIdentityMatch` or `AgeFileDamaged` (after releasing the chunks
 * that verified, when the damage is in the payload).
 * @throws {TypeError} as {@link decrypt}, at once.
 * @throws {RangeError} when `identities` is empty.
 * @example
 * ```ts
 * import { pipeline } from 'node:stream/promises';
 * import { createReadStream, createWriteStream } from 'node:fs';
 * import { createDecryptStream } from 'coffer/age';
 * await pipeline(createReadStream('in.age'), createDecryptStream([identity]), createWriteStream('out'));
 * ```
 */
export function createDecryptStream(
  identities: AgeIdentity | readonly AgeIdentity[],
  options: DecryptOptions = {},
): Transform {
  return new AgeTransform(new Decryptor(identityList(identities), decryptOptions(options)));
}

/**
 * {@link createEncryptStream} as a web `TransformStream`.
 * @throws {TypeError} and {@link RangeError} as {@link createEncryptStream}.
 * @example
 * ```ts
 * import { createEncryptWebStream } from 'coffer/age';
 * const encrypted = readable.pipeThrough(createEncryptWebStream([recipient]));
 * ```
 */
export function createEncryptWebStream(
  recipients: AgeRecipient | readonly AgeRecipient[],
  options: EncryptOptions = {},
): TransformStream<Uint8Array, Uint8Array> {
  return webStream(newEncryptor(recipients, options));
}

/**
 * {@link createDecryptStream} as a web `TransformStream`: chunks are released only once verified.
 * @throws {TypeError} and {@link RangeError} as {@link createDecryptStream}.
 * @example
 * ```ts
 * import { createDecryptWebStream } from 'coffer/age';
 * const plain = response.body.pipeThrough(createDecryptWebStream([identity]));
 * ```
 */
export function createDecryptWebStream(
  identities: AgeIdentity | readonly AgeIdentity[],
  options: DecryptOptions = {},
): TransformStream<Uint8Array, Uint8Array> {
  return webStream(new Decryptor(identityList(identities), decryptOptions(options)));
}

export { AgeFileDamaged, NoIdentityMatch } from '../errors.ts';
