// Hash algorithms and contexts. The public surface is src/hazmat/hashes.ts, which re-exports all of this
// except the shared argument validator `hashAlgorithm`.
import { createReadStream } from 'node:fs';
import { AlreadyFinalized } from '../errors.ts';
import { createHash, digest, type NodeHash } from './backend.ts';
import { bytesLike, describeValue, integer, u8 } from './bytes.ts';

/** Base of every hash algorithm object. Create one with `new SHA256()` and friends. */
export abstract class HashAlgorithm {
  /** pyca's name for the algorithm (`'sha256'`, `'sha3-256'`, `'shake128'`, `'blake2b'`). */
  abstract readonly name: string;
  /** Output length in bytes. */
  abstract readonly digestSize: number;
  /** Internal block length in bytes (`undefined` for the SHAKE XOFs, as in pyca). */
  abstract readonly blockSize: number | undefined;
  /** @internal OpenSSL's name. */
  abstract readonly opensslName: string;
  /** True for extendable-output functions (SHAKE), whose `digestSize` is chosen by the caller. */
  get isXof(): boolean {
    return false;
  }
  toString(): string {
    return `${this.constructor.name}`;
  }
}

function fixed(name: string, openssl: string, digestSize: number, blockSize: number) {
  return class extends HashAlgorithm {
    readonly name = name;
    readonly digestSize = digestSize;
    readonly blockSize: number | undefined = blockSize;
    readonly opensslName = openssl;
  };
}

/** SHA-1. Broken for collision resistance: for interop only (HMAC-SHA1, legacy fingerprints). */
export class SHA1 extends fixed('sha1', 'sha1', 20, 64) {}
/** SHA-224 (FIPS 180-4). */
export class SHA224 extends fixed('sha224', 'sha224', 28, 64) {}
/** SHA-256 (FIPS 180-4). */
export class SHA256 extends fixed('sha256', 'sha256', 32, 64) {}
/** SHA-384 (FIPS 180-4). */
export class SHA384 extends fixed('sha384', 'sha384', 48, 128) {}
/** SHA-512 (FIPS 180-4). */
export class SHA512 extends fixed('sha512', 'sha512', 64, 128) {}
/** SHA-512/224 (FIPS 180-4). */
export class SHA512_224 extends fixed('sha512-224', 'sha512-224', 28, 128) {}
/** SHA-512/256 (FIPS 180-4). */
export class SHA512_256 extends fixed('sha512-256', 'sha512-256', 32, 128) {}
/** SHA3-224 (FIPS 202). */
export class SHA3_224 extends fixed('sha3-224', 'sha3-224', 28, 144) {}
/** SHA3-256 (FIPS 202). */
export class SHA3_256 extends fixed('sha3-256', 'sha3-256', 32, 136) {}
/** SHA3-384 (FIPS 202). */
export class SHA3_384 extends fixed('sha3-384', 'sha3-384', 48, 104) {}
/** SHA3-512 (FIPS 202). */
export class SHA3_512 extends fixed('sha3-512', 'sha3-512', 64, 72) {}
/** MD5. **Broken**: collisions are cheap. Kept only for interop with old formats; never use it for security. */
export class MD5 extends fixed('md5', 'md5', 16, 64) {}

/** BLAKE2b with a 64-byte digest (the only size OpenSSL and pyca offer). */
export class BLAKE2b extends fixed('blake2b', 'blake2b512', 64, 128) {
  /** @throws {RangeError} unless `digestSize` is 64. */
  constructor(digestSize = 64) {
    super();
    if (integer('digestSize', digestSize, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) !== 64)
      throw new RangeError(`"digestSize" must be 64 for BLAKE2b, got ${digestSize}`);
  }
}

/** BLAKE2s with a 32-byte digest (the only size OpenSSL and pyca offer). */
export class BLAKE2s extends fixed('blake2s', 'blake2s256', 32, 64) {
  /** @throws {RangeError} unless `digestSize` is 32. */
  constructor(digestSize = 32) {
    super();
    if (integer('digestSize', digestSize, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) !== 32)
      throw new RangeError(`"digestSize" must be 32 for BLAKE2s, got ${digestSize}`);
  }
}

/** Largest SHAKE output coffer produces in one call: 16 MiB. */
export const MAX_XOF_OUTPUT = 16 * 1024 * 1024;

abstract class Shake extends HashAlgorithm {
  readonly blockSize: number | undefined = undefined;
  readonly digestSize: number;
  constructor(digestSize: number) {
    super();
    this.digestSize = integer('digestSize', digestSize, 1, MAX_XOF_OUTPUT);
  }
  override get isXof(): boolean {
    return true;
  }
}

/** SHAKE128 (FIPS 202) with a caller-chosen output length in bytes. */
export class SHAKE128 extends Shake {
  readonly name = 'shake128';
  readonly opensslName = 'shake128';
}

/** SHAKE256 (FIPS 202) with a caller-chosen output length in bytes. */
export class SHAKE256 extends Shake {
  readonly name = 'shake256';
  readonly opensslName = 'shake256';
}

/** @internal Validates an algorithm argument. */
export function hashAlgorithm(name: string, value: unknown): HashAlgorithm {
  // instanceof alone admits Object.create(SHA256.prototype), which has no name or size of its own.
  if (
    !(value instanceof HashAlgorithm) ||
    typeof value.opensslName !== 'string' ||
    !Number.isSafeInteger(value.digestSize) ||
    value.digestSize < 1
  ) {
    throw new TypeError(
      `"${name}" must be a HashAlgorithm such as new SHA256(), got ${describeValue(value)}`,
    );
  }
  return value;
}

// Hand-off from copy() to the constructor, so the constructor's public signature stays (algorithm) only.
let forkedContext: NodeHash | undefined;

/**
 * A streaming hash context. `update` any number of times, then `finalize` once; `copy` forks the state.
 * @throws {AlreadyFinalized} from `update`, `copy` or `finalize` after `finalize`.
 */
export class Hash {
  readonly algorithm: HashAlgorithm;
  #ctx: NodeHash | null;

  /** @throws {TypeError} when `algorithm` is not a HashAlgorithm. @throws {UnsupportedAlgorithm} when the runtime lacks it. */
  constructor(algorithm: HashAlgorithm) {
    this.algorithm = hashAlgorithm('algorithm', algorithm);
    const forked = forkedContext;
    forkedContext = undefined;
    this.#ctx = forked ?? newContext(algorithm);
  }

  /** Feeds bytes (or a string, as UTF-8). Returns `this` for chaining. */
  update(data: Uint8Array | string): this {
    const ctx = this.#live();
    ctx.update(bytesLike('data', data));
    return this;
  }

  /** An independent copy of the current state. */
  copy(): Hash {
    const ctx = this.#live();
    const copied = this.algorithm.isXof ? ctx.copy({ outputLength: this.algorithm.digestSize }) : ctx.copy();
    forkedContext = copied;
    return new Hash(this.algorithm);
  }

  /** The digest. The context cannot be used afterwards. */
  finalize(): Uint8Array {
    const ctx = this.#live();
    this.#ctx = null;
    return u8(ctx.digest());
  }

  #live(): NodeHash {
    if (this.#ctx === null) throw new AlreadyFinalized('Hash');
    return this.#ctx;
  }
}

function newContext(algorithm: HashAlgorithm): NodeHash {
  return createHash(algorithm.opensslName, algorithm.isXof ? algorithm.digestSize : undefined);
}

/**
 * One-shot digest of `data` (bytes, or a string as UTF-8).
 * @throws {TypeError} on a wrong argument type. @throws {UnsupportedAlgorithm} when the runtime lacks the hash.
 * @example
 * ```ts
 * import { hash, SHA3_256 } from 'coffer/hazmat/hashes';
 * hash(new SHA3_256(), new Uint8Array([1, 2, 3]));
 * ```
 */
export function hash(algorithm: HashAlgorithm, data: Uint8Array | string): Uint8Array {
  hashAlgorithm('algorithm', algorithm);
  const input = bytesLike('data', data);
  return u8(digest(algorithm.opensslName, input, algorithm.isXof ? algorithm.digestSize : undefined));
}

/** Anything `hashStream` can read: a Node `Readable`, a web `ReadableStream`, or any async iterable of chunks. */
export type ByteSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/**
 * Hashes a stream chunk by chunk, in constant memory.
 * @throws {TypeError} when `source` is not iterable or yields something other than bytes or strings.
 * @example
 * ```ts
 * import { hashStream, SHA256 } from 'coffer/hazmat/hashes';
 * import { Readable } from 'node:stream';
 * await hashStream(new SHA256(), Readable.from(['a', 'b']));
 * ```
 */
export async function hashStream(algorithm: HashAlgorithm, source: ByteSource): Promise<Uint8Array> {
  const ctx = new Hash(algorithm);
  if (
    source === null ||
    typeof source !== 'object' ||
    !(
      typeof (source as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function' ||
      typeof (source as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
    )
  ) {
    throw new TypeError(`"source" must be an async iterable or a stream, got ${describeValue(source)}`);
  }
  for await (const chunk of source) ctx.update(chunk);
  return ctx.finalize();
}

/**
 * Hashes a file without reading it into memory.
 * @throws {TypeError} when `path` is not a string. Rejects with the file system's error when unreadable.
 * @example
 * ```ts
 * import { hashFile, SHA256 } from 'coffer/hazmat/hashes';
 * const digest = await hashFile(new SHA256(), '/etc/hostname');
 * ```
 */
export async function hashFile(algorithm: HashAlgorithm, path: string): Promise<Uint8Array> {
  if (typeof path !== 'string') throw new TypeError(`"path" must be a string, got ${describeValue(path)}`);
  hashAlgorithm('algorithm', algorithm);
  return hashStream(algorithm, createReadStream(path, { highWaterMark: 1 << 20 }));
}
