// Cipher algorithms, modes and contexts, after pyca's cryptography.hazmat.primitives.ciphers (its
// `algorithms`, `modes` and `Cipher`). The public surfaces are src/hazmat/ciphers.ts and
// src/hazmat/decrepit.ts, which re-export the public names; the validators and accessors the streaming
// layer shares stay here. Every cipher and mode is OpenSSL's, reached through backend-ciphers.ts.
import { inspect } from 'node:util';
import { AlreadyFinalized, InvalidTag, UnsupportedAlgorithm } from '../errors.ts';
import { isSecretKey, keyBytes, keyInput, type SecretKey } from '../keys/secret-key.ts';
import { type KeyInput, timingSafeEqual } from './backend.ts';
import {
  cipherBlockBytes,
  cipherKeyHandle,
  createRawCipher,
  finalOrNull,
  hasCipher,
  type RawCipher,
  type RawGcm,
} from './backend-ciphers.ts';
import { bytes, describeValue, exactLength, integer, u8 } from './bytes.ts';

/** Key material for a cipher algorithm: raw bytes (copied) or a `SecretKey`. */
export type CipherKey = Uint8Array | SecretKey;

/** The modes coffer offers, by pyca's names. */
export type ModeName = 'CBC' | 'CTR' | 'OFB' | 'CFB' | 'CFB8' | 'ECB' | 'XTS' | 'GCM';

/** @internal The algorithm families coffer maps onto OpenSSL names. */
export type CipherFamily = 'aes' | 'camellia' | 'chacha20' | 'tripledes' | 'blowfish' | 'cast5' | 'seed';

const SUFFIX: Readonly<Record<ModeName, string>> = {
  CBC: 'cbc',
  CTR: 'ctr',
  OFB: 'ofb',
  CFB: 'cfb',
  CFB8: 'cfb8',
  ECB: 'ecb',
  XTS: 'xts',
  GCM: 'gcm',
};

interface FamilySpec {
  /** The modes coffer allows with the family; OpenSSL must also offer the combination at run time. */
  readonly modes: ReadonlySet<ModeName>;
  /** OpenSSL's name for the family in `mode` with a key of `keyBytes` bytes. */
  readonly openssl: (mode: ModeName, keyBytes: number) => string;
  /** Lives in OpenSSL 3's "legacy" provider, which node loads only with --openssl-legacy-provider. */
  readonly legacy: boolean;
  /** A stream cipher's OpenSSL name, used with no mode. */
  readonly stream?: string;
}

const modes = (...names: ModeName[]): ReadonlySet<ModeName> => new Set(names);
const named =
  (prefix: string) =>
  (mode: ModeName): string =>
    `${prefix}-${SUFFIX[mode]}`;

const FAMILIES: Readonly<Record<CipherFamily, FamilySpec>> = {
  aes: {
    modes: modes('CBC', 'CTR', 'OFB', 'CFB', 'CFB8', 'ECB', 'XTS', 'GCM'),
    // An XTS key is two AES keys: 32 bytes is AES-128-XTS, 64 bytes AES-256-XTS.
    openssl: (mode, keyBytes) => `aes-${mode === 'XTS' ? keyBytes * 4 : keyBytes * 8}-${SUFFIX[mode]}`,
    legacy: false,
  },
  camellia: {
    modes: modes('CBC', 'CTR', 'OFB', 'CFB', 'CFB8', 'ECB'),
    openssl: (mode, keyBytes) => `camellia-${keyBytes * 8}-${SUFFIX[mode]}`,
    legacy: false,
  },
  chacha20: { modes: modes(), openssl: () => 'chacha20', legacy: false, stream: 'chacha20' },
  tripledes: { modes: modes('CBC', 'OFB', 'CFB', 'CFB8', 'ECB'), openssl: named('des-ede3'), legacy: false },
  blowfish: { modes: modes('CBC', 'OFB', 'CFB', 'ECB'), openssl: named('bf'), legacy: true },
  cast5: { modes: modes('CBC', 'OFB', 'CFB', 'ECB'), openssl: named('cast5'), legacy: true },
  seed: { modes: modes('CBC', 'OFB', 'CFB', 'ECB'), openssl: named('seed'), legacy: true },
};

/** @internal What a concrete algorithm class tells its base class. */
export interface AlgorithmSpec {
  /** pyca's name: `'AES'`, `'camellia'`, `'ChaCha20'`, `'3DES'`, `'Blowfish'`, `'CAST5'`, `'SEED'`. */
  readonly name: string;
  readonly family: CipherFamily;
  /** Accepted key lengths in bytes, ascending. */
  readonly keyBytes: readonly number[];
  /** Block size in bits; absent for a stream cipher. */
  readonly blockSize?: number;
}

function lengthList(lengths: readonly number[]): string {
  const first = lengths[0] ?? 0;
  const last = lengths[lengths.length - 1] ?? 0;
  if (lengths.length > 3 && last - first === lengths.length - 1) return `between ${first} and ${last}`;
  if (lengths.length === 1) return String(first);
  return `${lengths.slice(0, -1).join(', ')} or ${last}`;
}

// ---------------------------------------------------------------------------------------------------
// Algorithms.

let readKey: (algorithm: CipherAlgorithm) => Uint8Array;
let readHandle: (algorithm: CipherAlgorithm) => KeyInput;
let readSpec: (algorithm: CipherAlgorithm) => AlgorithmSpec;
let isAlgorithm: (value: unknown) => value is CipherAlgorithm;

/**
 * Base of every cipher algorithm. An algorithm object holds its key: the bytes stay in a private field
 * and never appear in `toString`, `toJSON` or `util.inspect`, which show the name and key size only.
 */
export abstract class CipherAlgorithm {
  /** pyca's name for the algorithm (`'AES'`, `'camellia'`, `'ChaCha20'`, `'3DES'`, ...). */
  readonly name: string;
  /** The key sizes the algorithm accepts, in bits (as pyca's `key_sizes`). */
  readonly keySizes: ReadonlySet<number>;
  readonly #key: Uint8Array;
  readonly #secret: SecretKey | undefined;
  readonly #spec: AlgorithmSpec;
  // A KeyObject made on first use where that pays (Node 24+), else the bytes: see cipherKeyHandle.
  #handle: KeyInput | undefined;

  static {
    readKey = (a) => a.#key;
    readHandle = (a) => {
      if (a.#handle === undefined) {
        a.#handle = a.#secret === undefined ? cipherKeyHandle(a.#key) : keyInput('key', a.#secret);
      }
      return a.#handle;
    };
    readSpec = (a) => a.#spec;
    // A brand check: Object.create(AES.prototype) has no key.
    isAlgorithm = (v): v is CipherAlgorithm => typeof v === 'object' && v !== null && #key in v;
  }

  /**
   * @throws {TypeError} when `key` is neither a Uint8Array nor a SecretKey.
   * @throws {RangeError} when its length is not one the algorithm takes.
   */
  protected constructor(key: CipherKey, spec: AlgorithmSpec) {
    const material = keyBytes('key', key);
    if (!spec.keyBytes.includes(material.length)) {
      throw new RangeError(
        `"key" must be ${lengthList(spec.keyBytes)} bytes for ${spec.name}, got ${material.length}`,
      );
    }
    // Raw bytes are copied, so the caller may wipe or reuse its array; a SecretKey's bytes never change.
    this.#secret = isSecretKey(key) ? key : undefined;
    this.#key = this.#secret === undefined ? new Uint8Array(material) : material;
    this.#spec = spec;
    this.name = spec.name;
    this.keySizes = new Set(spec.keyBytes.map((n) => n * 8));
  }

  /** The key size in bits (as pyca's `key_size`). */
  get keySize(): number {
    return this.#key.length * 8;
  }

  toString(): string {
    return `${this.constructor.name}(${this.keySize}-bit key)`;
  }

  toJSON(): { algorithm: string; keySize: number } {
    return { algorithm: this.name, keySize: this.keySize };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** Base of the block ciphers: everything but ChaCha20. */
export abstract class BlockCipherAlgorithm extends CipherAlgorithm {
  /** The block size in bits (as pyca's `block_size`): 128 for AES, Camellia and SEED, 64 for the rest. */
  readonly blockSize: number;

  protected constructor(key: CipherKey, spec: AlgorithmSpec) {
    super(key, spec);
    this.blockSize = spec.blockSize ?? 128;
  }
}

/**
 * AES (FIPS 197) with a 128-, 192- or 256-bit key, chosen by the key's length (16, 24 or 32 bytes).
 * A 64-byte key is accepted for XTS only (two AES-256 keys); XTS with a 32-byte key is AES-128-XTS.
 * @throws {TypeError} when `key` is not bytes or a SecretKey. @throws {RangeError} on another length.
 */
export class AES extends BlockCipherAlgorithm {
  constructor(key: CipherKey) {
    super(key, { name: 'AES', family: 'aes', keyBytes: [16, 24, 32, 64], blockSize: 128 });
  }
}

/**
 * AES with exactly a 128-bit key: a type that says so. Not for XTS (use `AES`), as in pyca.
 * @throws {TypeError} when `key` is not bytes or a SecretKey. @throws {RangeError} unless it is 16 bytes.
 */
export class AES128 extends BlockCipherAlgorithm {
  constructor(key: CipherKey) {
    super(key, { name: 'AES', family: 'aes', keyBytes: [16], blockSize: 128 });
  }
}

/**
 * AES with exactly a 256-bit key: a type that says so. Not for XTS (use `AES`), as in pyca.
 * @throws {TypeError} when `key` is not bytes or a SecretKey. @throws {RangeError} unless it is 32 bytes.
 */
export class AES256 extends BlockCipherAlgorithm {
  constructor(key: CipherKey) {
    super(key, { name: 'AES', family: 'aes', keyBytes: [32], blockSize: 128 });
  }
}

/**
 * Camellia (RFC 3713) with a 128-, 192- or 256-bit key, where this runtime's OpenSSL offers it (Node 20
 * and 24 do, in CBC, CTR, OFB, CFB, CFB8 and ECB; pyca offers CBC, OFB, CFB and ECB). A `Cipher` over a
 * combination OpenSSL lacks throws `UnsupportedAlgorithm`.
 * @throws {TypeError} when `key` is not bytes or a SecretKey. @throws {RangeError} on another length.
 */
export class Camellia extends BlockCipherAlgorithm {
  constructor(key: CipherKey) {
    super(key, { name: 'camellia', family: 'camellia', keyBytes: [16, 24, 32], blockSize: 128 });
  }
}

let readNonce: (algorithm: CipherAlgorithm) => Uint8Array | undefined;

/**
 * ChaCha20 (RFC 8439 §2.4) as a stream cipher, used with `mode` null. The 16-byte `nonce` is pyca's and
 * OpenSSL's: a 4-byte little-endian initial block counter followed by RFC 8439's 12-byte nonce (so
 * `00000000 ‖ nonce` starts at block 0; RFC 8439's examples start at block 1). Past 2^32 blocks OpenSSL
 * carries the counter into the first nonce word (a 64-bit counter, as in the original ChaCha), for
 * pyca and coffer alike; stay under 256 GiB per (key, nonce) for RFC 8439 compatibility.
 * It has no authentication: use `ChaCha20Poly1305` for that.
 * @throws {TypeError} when `key` or `nonce` is not bytes. @throws {RangeError} unless they are 32 and 16 bytes.
 */
export class ChaCha20 extends CipherAlgorithm {
  readonly #nonce: Uint8Array;

  static {
    readNonce = (a) => (#nonce in a ? a.#nonce : undefined);
  }

  constructor(key: CipherKey, nonce: Uint8Array) {
    super(key, { name: 'ChaCha20', family: 'chacha20', keyBytes: [32] });
    this.#nonce = new Uint8Array(exactLength('nonce', bytes('nonce', nonce), 16));
  }

  /** The 16-byte counter ‖ nonce block (a copy). */
  get nonce(): Uint8Array {
    return new Uint8Array(this.#nonce);
  }
}

// ---------------------------------------------------------------------------------------------------
// Modes.

let readMode: (mode: Mode) => { name: ModeName; iv: Uint8Array | null };
let isMode: (value: unknown) => value is Mode;

/** Base of every mode. Modes hold only public values (IVs, nonces, tweaks, tags). */
export abstract class Mode {
  readonly #name: ModeName;
  readonly #iv: Uint8Array | null;

  static {
    readMode = (m) => ({ name: m.#name, iv: m.#iv });
    isMode = (v): v is Mode => typeof v === 'object' && v !== null && #name in v;
  }

  protected constructor(name: ModeName, iv: Uint8Array | null) {
    this.#name = name;
    this.#iv = iv;
  }

  /** pyca's name for the mode (`'CBC'`, `'GCM'`, ...). */
  get name(): ModeName {
    return this.#name;
  }

  toString(): string {
    return this.#name;
  }
}

function ivCopy(name: string, value: unknown): Uint8Array {
  return new Uint8Array(bytes(name, value));
}

/** A mode whose only parameter is a one-block IV (CBC, OFB, CFB, CFB8). */
abstract class IvMode extends Mode {
  /** The IV (a copy of the caller's bytes). */
  readonly initializationVector: Uint8Array;
  protected constructor(name: 'CBC' | 'OFB' | 'CFB' | 'CFB8', initializationVector: Uint8Array) {
    const iv = ivCopy('initializationVector', initializationVector);
    super(name, iv);
    this.initializationVector = iv;
  }
}

/**
 * Cipher block chaining (SP 800-38A §6.2). The IV is one block and must be unpredictable. No padding:
 * data must total a multiple of the block size (pad with `coffer/hazmat/padding`), and CBC has no
 * integrity (an attacker who can submit ciphertexts and watch for padding errors reads the plaintext).
 * @throws {TypeError} when `initializationVector` is not bytes (its length is checked by `Cipher`).
 */
export class CBC extends IvMode {
  constructor(initializationVector: Uint8Array) {
    super('CBC', initializationVector);
  }
}

/**
 * Counter mode (SP 800-38A §6.5). `nonce` is the full initial counter block (one block), incremented as
 * a 128-bit big-endian integer, as in pyca and OpenSSL. Never reuse a (key, nonce) pair.
 * @throws {TypeError} when `nonce` is not bytes (its length is checked by `Cipher`).
 */
export class CTR extends Mode {
  /** The initial counter block (a copy of the caller's bytes). */
  readonly nonce: Uint8Array;
  constructor(nonce: Uint8Array) {
    const n = ivCopy('nonce', nonce);
    super('CTR', n);
    this.nonce = n;
  }
}

/**
 * Output feedback (SP 800-38A §6.4). Kept for interop; pyca 48 lists it under `decrepit`.
 * @throws {TypeError} when `initializationVector` is not bytes (its length is checked by `Cipher`).
 */
export class OFB extends IvMode {
  constructor(initializationVector: Uint8Array) {
    super('OFB', initializationVector);
  }
}

/**
 * Cipher feedback with a full-block segment, CFB128 for AES (SP 800-38A §6.3). Kept for interop; pyca 48
 * lists it under `decrepit`.
 * @throws {TypeError} when `initializationVector` is not bytes (its length is checked by `Cipher`).
 */
export class CFB extends IvMode {
  constructor(initializationVector: Uint8Array) {
    super('CFB', initializationVector);
  }
}

/**
 * Cipher feedback with an 8-bit segment (SP 800-38A §6.3): one block-cipher call per byte. Kept for
 * interop; pyca 48 lists it under `decrepit`.
 * @throws {TypeError} when `initializationVector` is not bytes (its length is checked by `Cipher`).
 */
export class CFB8 extends IvMode {
  constructor(initializationVector: Uint8Array) {
    super('CFB8', initializationVector);
  }
}

/**
 * Electronic codebook (SP 800-38A §6.1): each block on its own, so equal plaintext blocks give equal
 * ciphertext blocks. Only for single-block operations such as key derivations. No padding.
 */
export class ECB extends Mode {
  constructor() {
    super('ECB', null);
  }
}

/**
 * XTS-AES (IEEE 1619, SP 800-38E) for storage: `tweak` is the 16-byte data-unit (sector) number in
 * OpenSSL's little-endian form. Use with `AES` and a 32-byte (AES-128-XTS) or 64-byte (AES-256-XTS) key
 * whose halves differ. One `update` is one whole data unit of 16 bytes to 16 MiB; a second non-empty
 * `update` on the same context is refused (it would reuse the tweak). XTS has no integrity.
 * @throws {TypeError} when `tweak` is not bytes. @throws {RangeError} unless it is 16 bytes.
 */
export class XTS extends Mode {
  readonly tweak: Uint8Array;
  constructor(tweak: Uint8Array) {
    const t = new Uint8Array(exactLength('tweak', bytes('tweak', tweak), 16));
    super('XTS', t);
    this.tweak = t;
  }
}

/** GCM tag lengths node accepts when it is told the length up front (SP 800-38D §5.2.1.2). */
const NODE_GCM_TAG_LENGTHS: ReadonlySet<number> = new Set([4, 8, 12, 13, 14, 15, 16]);

let readGcm: (mode: Mode) => { tag: Uint8Array | undefined; minTagLength: number } | undefined;

/**
 * Galois/counter mode (SP 800-38D) for AES: encryption with authentication. `initializationVector` is
 * 8 to 128 bytes (12 is the norm; never reuse one with a key). To decrypt, give the `tag` here or later
 * to `finalizeWithTag`; tags shorter than `minTagLength` (default 16, at least 4) are refused, as in pyca.
 * Prefer `AESGCM`, which cannot be finalized without its tag.
 * @throws {TypeError} when `initializationVector` or `tag` is not bytes.
 * @throws {RangeError} on an IV outside 8..128 bytes, `minTagLength` outside 4..16, or a tag shorter than
 * `minTagLength` or longer than 16 bytes.
 */
export class GCM extends Mode {
  readonly initializationVector: Uint8Array;
  /** The tag to check when decrypting, or `undefined`. */
  readonly tag: Uint8Array | undefined;
  readonly minTagLength: number;
  readonly #checked = true;

  static {
    readGcm = (m) => (#checked in m ? { tag: m.tag, minTagLength: m.minTagLength } : undefined);
  }

  constructor(initializationVector: Uint8Array, tag?: Uint8Array | null, minTagLength = 16) {
    const iv = bytes('initializationVector', initializationVector);
    // OpenSSL 3 takes GCM IVs of 8 to 128 bytes; pyca enforces the same range.
    if (iv.length < 8 || iv.length > 128) {
      throw new RangeError(
        `"initializationVector" must be between 8 and 128 bytes for GCM, got ${iv.length}`,
      );
    }
    const t = tag === undefined || tag === null ? undefined : bytes('tag', tag);
    integer('minTagLength', minTagLength, 4, 16);
    if (t !== undefined) checkTagLength(t, minTagLength);
    const ivc = new Uint8Array(iv);
    super('GCM', ivc);
    this.initializationVector = ivc;
    this.tag = t === undefined ? undefined : new Uint8Array(t);
    this.minTagLength = minTagLength;
  }
}

function checkTagLength(tag: Uint8Array, minTagLength: number): void {
  if (tag.length < minTagLength || tag.length > 16) {
    const range = minTagLength === 16 ? '16 bytes' : `between ${minTagLength} and 16 bytes`;
    throw new RangeError(`"tag" must be ${range} (see GCM's minTagLength), got ${tag.length}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Cipher and its contexts.

/** What `update`, `updateInto` and `finalize` do on every context. */
export interface CipherContext {
  /** Encrypts or decrypts `data`; returns what is ready (block modes hold back a partial block). */
  update(data: Uint8Array): Uint8Array;
  /**
   * `update` writing into `buf`, which must have room for `data.length + blockSize - 1` bytes (block size
   * in bytes: 16 for AES-CBC and -ECB, 1 for stream-like modes), as in pyca. Returns the bytes written.
   */
  updateInto(data: Uint8Array, buf: Uint8Array): number;
  /** Finishes; the context cannot be used afterwards. */
  finalize(): Uint8Array;
}

/** A GCM context: `CipherContext` plus associated data, which must all come before the first `update`. */
export interface AEADContext extends CipherContext {
  authenticateAdditionalData(data: Uint8Array): void;
}

/** A GCM encryption context. `tag` (16 bytes) is readable after `finalize`. */
export interface AEADEncryptionContext extends AEADContext {
  readonly tag: Uint8Array;
}

/** A GCM decryption context: `finalize` checks the mode's tag, or `finalizeWithTag` checks one given late. */
export interface AEADDecryptionContext extends AEADContext {
  finalizeWithTag(tag: Uint8Array): Uint8Array;
}

type EncryptorOf<M> = [M] extends [GCM] ? AEADEncryptionContext : CipherContext;
type DecryptorOf<M> = [M] extends [GCM] ? AEADDecryptionContext : CipherContext;

/** Everything a context needs, worked out once when the Cipher is built. */
interface Plan {
  readonly openssl: string;
  readonly algorithm: CipherAlgorithm;
  readonly mode: ModeName | null;
  readonly iv: Uint8Array | null;
  /** OpenSSL's block size in bytes (pyca's slack for updateInto). */
  readonly blockBytes: number;
  /** CBC and ECB: the data must total a multiple of this; 0 otherwise. */
  readonly align: number;
  readonly gcm: { tag: Uint8Array | undefined; minTagLength: number } | undefined;
}

function describeArgument(value: unknown): string {
  if (isMode(value) || isAlgorithm(value)) return String(value);
  return describeValue(value);
}

/** The OpenSSL name for the pair, or undefined when coffer does not pair them at all. */
function opensslName(algorithm: CipherAlgorithm, mode: Mode | null): string | undefined {
  const spec = readSpec(algorithm);
  const family = FAMILIES[spec.family];
  const keyLength = readKey(algorithm).length;
  if (mode === null) return family.stream;
  const name = readMode(mode).name;
  if (spec.blockSize === undefined || !family.modes.has(name)) return undefined;
  return family.openssl(name, keyLength);
}

function algorithmArgument(algorithm: unknown): CipherAlgorithm {
  if (!isAlgorithm(algorithm)) {
    throw new TypeError(
      `"algorithm" must be a CipherAlgorithm such as new AES(key), got ${describeArgument(algorithm)}`,
    );
  }
  return algorithm;
}

function modeArgument(algorithm: CipherAlgorithm, mode: unknown): Mode | null {
  const stream = readSpec(algorithm).blockSize === undefined;
  if (stream) {
    if (mode !== null && mode !== undefined) {
      throw new TypeError(
        `"mode" must be null for ${algorithm.name}, a stream cipher, got ${describeArgument(mode)}`,
      );
    }
    return null;
  }
  if (!isMode(mode)) {
    throw new TypeError(
      `"mode" must be a Mode such as new CBC(iv) for ${algorithm.name}, got ${describeArgument(mode)}`,
    );
  }
  return mode;
}

function legacyHint(algorithm: CipherAlgorithm): string {
  return (
    `OpenSSL ${process.versions.openssl} keeps ${algorithm.name} in its "legacy" provider, which node ` +
    'loads only when started with --openssl-legacy-provider'
  );
}

function makePlan(algorithmValue: unknown, modeValue: unknown): Plan {
  const algorithm = algorithmArgument(algorithmValue);
  const mode = modeArgument(algorithm, modeValue);
  const spec = readSpec(algorithm);
  const family = FAMILIES[spec.family];
  const keyLength = readKey(algorithm).length;

  if (mode === null) {
    const nonce = readNonce(algorithm);
    if (nonce === undefined)
      throw new TypeError(`"algorithm" ${algorithm.name} is not a usable stream cipher`);
    const openssl = family.stream ?? '';
    if (!hasCipher(openssl)) {
      throw new UnsupportedAlgorithm(`cipher ${algorithm.name} is not available in this runtime`);
    }
    return { openssl, algorithm, mode: null, iv: nonce, blockBytes: 1, align: 0, gcm: undefined };
  }

  const { name, iv } = readMode(mode);
  if (!family.modes.has(name)) {
    throw new UnsupportedAlgorithm(`cipher ${algorithm.name} in ${name} mode is not supported`);
  }
  if (spec.family === 'aes') {
    if (name === 'XTS') {
      // pyca's rule: the fixed-size classes name one AES key, and an XTS key is two.
      if (algorithm instanceof AES128 || algorithm instanceof AES256) {
        throw new TypeError(
          '"algorithm" must be AES (not AES128 or AES256) for XTS, whose key is two AES keys',
        );
      }
      if (keyLength !== 32 && keyLength !== 64) {
        throw new RangeError(
          `"key" must be 32 or 64 bytes for XTS (two AES-128 or two AES-256 keys), got ${keyLength}`,
        );
      }
    } else if (keyLength === 64) {
      throw new RangeError(
        `"key" must be 16, 24 or 32 bytes for AES in ${name} mode (64 is for XTS), got 64`,
      );
    }
  }
  const block = (spec.blockSize ?? 128) / 8;
  if (name === 'CBC' || name === 'OFB' || name === 'CFB' || name === 'CFB8' || name === 'CTR') {
    const label = name === 'CTR' ? 'nonce' : 'initializationVector';
    const length = iv?.length ?? 0;
    if (length !== block) {
      throw new RangeError(
        `"${label}" must be ${block} bytes (the ${algorithm.name} block size) for ${name}, got ${length}`,
      );
    }
  }
  // A Mode subclass of the caller's own must still carry what the mode needs.
  if (name === 'XTS' && iv?.length !== 16)
    throw new RangeError(`"tweak" must be 16 bytes, got ${iv?.length ?? 0}`);
  const gcm = name === 'GCM' ? readGcm(mode) : undefined;
  if (name === 'GCM' && gcm === undefined) throw new TypeError('"mode" must be a GCM instance for GCM');
  const openssl = family.openssl(name, keyLength);
  if (!hasCipher(openssl)) {
    const why = family.legacy
      ? legacyHint(algorithm)
      : `OpenSSL ${process.versions.openssl} does not offer "${openssl}"`;
    throw new UnsupportedAlgorithm(`cipher ${algorithm.name} in ${name} mode is not available here: ${why}`);
  }
  return {
    openssl,
    algorithm,
    mode: name,
    iv,
    blockBytes: cipherBlockBytes(openssl),
    align: name === 'CBC' || name === 'ECB' ? block : 0,
    gcm,
  };
}

let readPlan: (cipher: Cipher) => Plan;
let isCipherValue: (value: unknown) => value is Cipher;

/**
 * A block or stream cipher in a mode, after pyca's `Cipher(algorithm, mode)`: `encryptor()` and
 * `decryptor()` return single-use contexts. ChaCha20 takes `null` as its mode.
 *
 * Modes without authentication (everything but GCM) give no integrity: anyone can change the ciphertext
 * undetected. Block modes (CBC, ECB) do not pad: pad with `coffer/hazmat/padding` first.
 *
 * @example
 * ```ts
 * import { AES, CBC, Cipher } from 'coffer/hazmat/ciphers';
 * import { randomBytes } from 'coffer/hazmat/random';
 * const cipher = new Cipher(new AES(randomBytes(32)), new CBC(randomBytes(16)));
 * const enc = cipher.encryptor();
 * const ct = Buffer.concat([enc.update(new Uint8Array(32)), enc.finalize()]);
 * ```
 * @throws {TypeError} when `algorithm` is not a CipherAlgorithm, `mode` not a Mode (or not null for
 * ChaCha20), or AES128/AES256 is used with XTS.
 * @throws {RangeError} when the IV, nonce or key length does not fit the pair.
 * @throws {UnsupportedAlgorithm} when coffer does not pair them (3DES with CTR, Camellia with GCM) or this
 * runtime's OpenSSL does not offer the pair (Blowfish, CAST5 and SEED without the legacy provider).
 */
export class Cipher<M extends Mode | null = Mode | null> {
  readonly algorithm: CipherAlgorithm;
  readonly mode: M;
  readonly #plan: Plan;

  static {
    readPlan = (c) => c.#plan;
    isCipherValue = (v): v is Cipher => typeof v === 'object' && v !== null && #plan in v;
  }

  constructor(algorithm: CipherAlgorithm, mode: M) {
    this.#plan = makePlan(algorithm, mode);
    this.algorithm = algorithm;
    this.mode = mode;
  }

  /**
   * True when coffer pairs the algorithm and mode and this runtime's OpenSSL offers them (pyca's
   * `backend.cipher_supported`). IV lengths are not looked at.
   * @throws {TypeError} when `algorithm` is not a CipherAlgorithm or `mode` not a Mode or null.
   */
  static isSupported(algorithm: CipherAlgorithm, mode: Mode | null): boolean {
    const alg = algorithmArgument(algorithm);
    if (mode !== null && !isMode(mode)) {
      throw new TypeError(`"mode" must be a Mode or null, got ${describeArgument(mode)}`);
    }
    const name = opensslName(alg, mode);
    return name !== undefined && hasCipher(name);
  }

  /**
   * A new encryption context.
   * @throws {TypeError} when the mode is GCM with a tag (a tag is for decryption).
   * @throws {RangeError} for XTS with equal key halves (IEEE 1619 forbids it; OpenSSL refuses too).
   */
  encryptor(): EncryptorOf<M> {
    const plan = this.#plan;
    if (plan.gcm !== undefined) {
      if (plan.gcm.tag !== undefined) {
        throw new TypeError(
          '"mode" must have no tag when encrypting: use new GCM(iv); the tag comes from finalize',
        );
      }
      return new GcmEncryptor(plan) as unknown as EncryptorOf<M>;
    }
    if (plan.mode === 'XTS') {
      const key = readKey(plan.algorithm);
      const half = key.length / 2;
      if (timingSafeEqual(key.subarray(0, half), key.subarray(half))) {
        throw new RangeError(
          `"key" halves must differ for XTS encryption (IEEE 1619 §5.1), got two equal halves`,
        );
      }
    }
    return new BasicContext(plan, false) as unknown as EncryptorOf<M>;
  }

  /**
   * A new decryption context. XTS with equal key halves is allowed here, as in pyca, so that such data
   * can still be read.
   */
  decryptor(): DecryptorOf<M> {
    const plan = this.#plan;
    if (plan.gcm !== undefined) return new GcmDecryptor(plan) as unknown as DecryptorOf<M>;
    return new BasicContext(plan, true) as unknown as DecryptorOf<M>;
  }

  toString(): string {
    return `Cipher(${this.algorithm}, ${this.mode === null ? 'null' : this.mode})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** @internal True for a real Cipher (brand check). */
export function isCipher(value: unknown): value is Cipher {
  return isCipherValue(value);
}

/** @internal The facts about a Cipher that the streaming layer needs. */
export function cipherShape(cipher: Cipher): { mode: ModeName | null; gcmTag: boolean } {
  const plan = readPlan(cipher);
  return { mode: plan.mode, gcmTag: plan.gcm?.tag !== undefined };
}

const EMPTY = new Uint8Array(0);
// node takes at most INT_MAX bytes per update; larger inputs go through in 1 GiB pieces.
const MAX_UPDATE = 1 << 30;
// OpenSSL 3 and IEEE 1619 §5.1 cap an XTS data unit at 2^20 blocks.
const XTS_MAX_BYTES = 2 ** 20 * 16;
// SP 800-38D §5.2.1.1, as in pyca: at most 2^39 - 256 bits of plaintext and 2^64 - 1 bits of AAD.
const GCM_MAX_BYTES = (2 ** 39 - 256) / 8;
const GCM_MAX_AAD_BYTES = 2 ** 61 - 1;

function feed(raw: RawCipher, data: Uint8Array): Buffer {
  if (data.length <= MAX_UPDATE) return raw.update(data);
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += MAX_UPDATE) parts.push(raw.update(data.subarray(i, i + MAX_UPDATE)));
  return Buffer.concat(parts);
}

function roomFor(data: Uint8Array, buf: Uint8Array, blockBytes: number): void {
  const need = data.length + blockBytes - 1;
  if (buf.length < need) {
    throw new RangeError(
      `"buf" must be at least ${need} bytes (data length + block size - 1), got ${buf.length}`,
    );
  }
}

function newRaw(plan: Plan, decrypt: boolean, authTagLength?: number): RawCipher {
  return createRawCipher(plan.openssl, readHandle(plan.algorithm), plan.iv, decrypt, authTagLength);
}

/** Every mode but GCM. */
class BasicContext implements CipherContext {
  #raw: RawCipher | null;
  readonly #plan: Plan;
  /** Bytes fed so far, modulo the block size (CBC and ECB). */
  #pending = 0;
  #xtsUsed = false;

  constructor(plan: Plan, decrypt: boolean) {
    this.#plan = plan;
    this.#raw = newRaw(plan, decrypt);
  }

  update(data: Uint8Array): Uint8Array {
    const input = bytes('data', data);
    return u8(this.#run(this.#live(), input));
  }

  updateInto(data: Uint8Array, buf: Uint8Array): number {
    const input = bytes('data', data);
    const out = bytes('buf', buf);
    const raw = this.#live();
    roomFor(input, out, this.#plan.blockBytes);
    const result = this.#run(raw, input);
    out.set(result);
    return result.length;
  }

  finalize(): Uint8Array {
    const raw = this.#live();
    this.#raw = null;
    const { align, mode, algorithm } = this.#plan;
    if (align > 0 && this.#pending !== 0) {
      throw new RangeError(
        `"data" must total a multiple of the ${align}-byte ${algorithm.name} block in ${mode} mode ` +
          `(pad it with coffer/hazmat/padding), ${this.#pending} bytes left over`,
      );
    }
    return u8(raw.final());
  }

  #run(raw: RawCipher, input: Uint8Array): Uint8Array {
    const plan = this.#plan;
    if (plan.mode === 'XTS') {
      if (input.length === 0) return EMPTY;
      if (this.#xtsUsed) {
        throw new TypeError(
          '"data": an XTS context takes one data unit; a second update would reuse the tweak',
        );
      }
      if (input.length < 16 || input.length > XTS_MAX_BYTES) {
        throw new RangeError(
          `"data" must be between 16 and ${XTS_MAX_BYTES} bytes for XTS, got ${input.length}`,
        );
      }
      this.#xtsUsed = true;
    }
    if (plan.align > 0) this.#pending = (this.#pending + input.length) % plan.align;
    return feed(raw, input);
  }

  #live(): RawCipher {
    if (this.#raw === null) throw new AlreadyFinalized('CipherContext');
    return this.#raw;
  }
}

/** Shared by both GCM directions: associated data first, then the byte ceilings. */
abstract class GcmBase {
  #updated = false;
  #aadBytes = 0;
  #dataBytes = 0;

  protected abstract live(): RawGcm;
  protected abstract feedAad(raw: RawGcm, data: Uint8Array): void;

  authenticateAdditionalData(data: Uint8Array): void {
    const input = bytes('data', data);
    const raw = this.live();
    if (this.#updated) {
      throw new TypeError('"authenticateAdditionalData" must be called before the first update');
    }
    if (this.#aadBytes + input.length > GCM_MAX_AAD_BYTES) {
      throw new RangeError(`"data" would take GCM's associated data past ${GCM_MAX_AAD_BYTES} bytes`);
    }
    this.#aadBytes += input.length;
    if (input.length > 0) this.feedAad(raw, input);
  }

  /** Counts `n` more bytes of data against SP 800-38D's ceiling. */
  protected count(n: number): void {
    if (this.#dataBytes + n > GCM_MAX_BYTES) {
      throw new RangeError(`"data" would take GCM past ${GCM_MAX_BYTES} bytes under one (key, IV)`);
    }
    this.#dataBytes += n;
    this.#updated = true;
  }
}

class GcmEncryptor extends GcmBase implements AEADEncryptionContext {
  #raw: RawGcm | null;
  #tag: Uint8Array | undefined;

  constructor(plan: Plan) {
    super();
    this.#raw = newRaw(plan, false, 16) as RawGcm;
  }

  protected live(): RawGcm {
    if (this.#raw === null) throw new AlreadyFinalized('CipherContext');
    return this.#raw;
  }

  protected feedAad(raw: RawGcm, data: Uint8Array): void {
    raw.setAAD(data);
  }

  update(data: Uint8Array): Uint8Array {
    const input = bytes('data', data);
    const raw = this.live();
    this.count(input.length);
    return u8(feed(raw, input));
  }

  updateInto(data: Uint8Array, buf: Uint8Array): number {
    const input = bytes('data', data);
    const out = bytes('buf', buf);
    const raw = this.live();
    roomFor(input, out, 1);
    this.count(input.length);
    const result = feed(raw, input);
    out.set(result);
    return result.length;
  }

  finalize(): Uint8Array {
    const raw = this.live();
    this.#raw = null;
    const last = raw.final();
    this.#tag = u8(raw.getAuthTag());
    return u8(last);
  }

  /** The 16-byte tag; truncate it yourself if a protocol wants fewer bytes. */
  get tag(): Uint8Array {
    if (this.#tag === undefined) throw new TypeError('"tag" is available only after finalize()');
    return new Uint8Array(this.#tag);
  }
}

/**
 * GCM decryption. node checks a tag whose length it knows when the context is made (4, 8 or 12 to 16
 * bytes). Any other case (a tag of 5 to 7 or 9 to 11 bytes, or a late tag shorter than 16 bytes, which
 * node 24 deprecates without a length up front) runs a second GCM context that re-encrypts the
 * plaintext: its ciphertext is the input again and its full tag is the one expected, whose prefix is
 * compared in constant time. OpenSSL does the cryptography either way.
 */
class GcmDecryptor extends GcmBase implements AEADDecryptionContext {
  #raw: RawGcm | null;
  readonly #shadow: RawGcm | null;
  readonly #tag: Uint8Array | undefined;
  readonly #minTagLength: number;

  constructor(plan: Plan) {
    super();
    const { tag, minTagLength } = plan.gcm ?? { tag: undefined, minTagLength: 16 };
    this.#tag = tag;
    this.#minTagLength = minTagLength;
    const known = tag !== undefined ? tag.length : minTagLength === 16 ? 16 : undefined;
    if (known !== undefined && NODE_GCM_TAG_LENGTHS.has(known)) {
      this.#raw = newRaw(plan, true, known) as RawGcm;
      if (tag !== undefined) this.#raw.setAuthTag(tag);
      this.#shadow = null;
    } else {
      this.#raw = newRaw(plan, true) as RawGcm;
      this.#shadow = newRaw(plan, false, 16) as RawGcm;
    }
  }

  protected live(): RawGcm {
    if (this.#raw === null) throw new AlreadyFinalized('CipherContext');
    return this.#raw;
  }

  protected feedAad(raw: RawGcm, data: Uint8Array): void {
    raw.setAAD(data);
    this.#shadow?.setAAD(data);
  }

  update(data: Uint8Array): Uint8Array {
    const input = bytes('data', data);
    const raw = this.live();
    this.count(input.length);
    return u8(this.#decrypt(raw, input));
  }

  updateInto(data: Uint8Array, buf: Uint8Array): number {
    const input = bytes('data', data);
    const out = bytes('buf', buf);
    const raw = this.live();
    roomFor(input, out, 1);
    this.count(input.length);
    const result = this.#decrypt(raw, input);
    out.set(result);
    return result.length;
  }

  /**
   * Checks the tag given to GCM and returns the last plaintext.
   * @throws {InvalidTag} when the tag does not verify. @throws {TypeError} when GCM was given no tag.
   */
  finalize(): Uint8Array {
    const raw = this.live();
    if (this.#tag === undefined) {
      throw new TypeError('"tag" is needed to finish GCM decryption: give it to GCM or call finalizeWithTag');
    }
    this.#raw = null;
    return this.#verify(raw, this.#tag, false);
  }

  /**
   * Checks `tag` (at least `minTagLength` bytes, at most 16) and returns the last plaintext.
   * @throws {InvalidTag} when it does not verify. @throws {TypeError} when GCM was already given a tag.
   */
  finalizeWithTag(tag: Uint8Array): Uint8Array {
    const t = bytes('tag', tag);
    const raw = this.live();
    if (this.#tag !== undefined) {
      throw new TypeError('"tag" was already given to GCM: call finalize() instead of finalizeWithTag');
    }
    checkTagLength(t, this.#minTagLength);
    this.#raw = null;
    return this.#verify(raw, t, true);
  }

  #decrypt(raw: RawGcm, input: Uint8Array): Buffer {
    const plaintext = feed(raw, input);
    if (this.#shadow !== null) feed(this.#shadow, plaintext);
    return plaintext;
  }

  #verify(raw: RawGcm, tag: Uint8Array, late: boolean): Uint8Array {
    const shadow = this.#shadow;
    if (shadow !== null) {
      shadow.final();
      const full = shadow.getAuthTag();
      if (!timingSafeEqual(full.subarray(0, tag.length), tag)) throw new InvalidTag();
      return EMPTY;
    }
    if (late) raw.setAuthTag(tag);
    const last = finalOrNull(raw);
    if (last === null) throw new InvalidTag();
    return u8(last);
  }
}
