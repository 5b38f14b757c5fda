// Streaming forms of Cipher: node Transform streams and web TransformStreams over one cipher context.
// Re-exported by src/hazmat/ciphers.ts.
import { Transform, type TransformCallback } from 'node:stream';
import { bytes, describeValue, integer, optionalBytes, plainObject } from './bytes.ts';
import {
  type AEADDecryptionContext,
  type AEADEncryptionContext,
  type Cipher,
  type CipherContext,
  cipherShape,
  isCipher,
} from './cipher.ts';

/** Options for the streaming forms. */
export interface CipherStreamOptions {
  /** GCM only: associated data, authenticated but not encrypted. */
  aad?: Uint8Array;
  /**
   * GCM decryption only: the most plaintext held back until the tag verifies, in bytes. Default 64 MiB,
   * at most 4 GiB. A longer stream fails with a `RangeError` and releases nothing.
   */
  maxBufferedBytes?: number;
}

/** The default ceiling on plaintext a GCM decryption stream holds back: 64 MiB. */
export const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
const MAX_BUFFERED_CEILING = 2 ** 32;

/** A node Transform over a cipher context. For GCM encryption, `tag` is readable once the stream ends. */
export interface CipherTransform extends Transform {
  readonly tag: Uint8Array;
}

/** A web TransformStream over a cipher context. For GCM encryption, `tag` is readable once it closes. */
export interface CipherTransformStream extends TransformStream<Uint8Array, Uint8Array> {
  readonly tag: Uint8Array;
}

/** One context, fed chunk by chunk: what both stream forms share. */
interface Engine {
  write(chunk: Uint8Array): Uint8Array | undefined;
  end(): Uint8Array[];
  readonly tag: Uint8Array;
}

function makeEngine(cipherValue: unknown, decrypt: boolean, optionsValue: unknown): Engine {
  if (!isCipher(cipherValue)) {
    throw new TypeError(`"cipher" must be a Cipher, got ${describeValue(cipherValue)}`);
  }
  const cipher: Cipher = cipherValue;
  const options = optionsValue === undefined ? {} : plainObject('options', optionsValue);
  const aad = optionalBytes('options.aad', options.aad);
  const limit =
    options.maxBufferedBytes === undefined
      ? undefined
      : integer('options.maxBufferedBytes', options.maxBufferedBytes, 0, MAX_BUFFERED_CEILING);
  const shape = cipherShape(cipher);
  const gcm = shape.mode === 'GCM';
  if (shape.mode === 'XTS') {
    throw new TypeError(
      '"cipher" must not be XTS for a stream: XTS takes each data unit whole, with its own tweak',
    );
  }
  if (aad !== undefined && !gcm) throw new TypeError('"options.aad" is for GCM only');
  if (limit !== undefined && !(gcm && decrypt)) {
    throw new TypeError('"options.maxBufferedBytes" is for GCM decryption streams only');
  }
  if (gcm && decrypt && !shape.gcmTag) {
    throw new TypeError('"cipher" needs its tag for a GCM decryption stream: new GCM(iv, tag)');
  }

  if (gcm && decrypt) {
    const ctx = cipher.decryptor() as AEADDecryptionContext;
    if (aad !== undefined) ctx.authenticateAdditionalData(aad);
    return heldBack(ctx, limit ?? DEFAULT_MAX_BUFFERED_BYTES);
  }
  const ctx = decrypt ? cipher.decryptor() : cipher.encryptor();
  if (aad !== undefined) (ctx as AEADEncryptionContext).authenticateAdditionalData(aad);
  return {
    write: (chunk) => {
      const out = ctx.update(chunk);
      return out.length === 0 ? undefined : out;
    },
    end: () => {
      const last = ctx.finalize();
      return last.length === 0 ? [] : [last];
    },
    get tag(): Uint8Array {
      if (!gcm || decrypt) throw new TypeError('"tag": only a GCM encryption stream has one');
      try {
        return (ctx as AEADEncryptionContext).tag;
      } catch {
        throw new TypeError('"tag" is available once the stream has ended');
      }
    },
  };
}

/**
 * GCM decryption that releases nothing before the tag verifies: plaintext is held until the end, then
 * given out whole, or wiped when the tag fails (STYLE.md: never emit unverified plaintext).
 */
function heldBack(ctx: CipherContext, limit: number): Engine {
  let held: Uint8Array[] = [];
  let total = 0;
  const wipe = () => {
    for (const part of held) part.fill(0);
    held = [];
  };
  return {
    write: (chunk) => {
      const out = ctx.update(chunk);
      total += out.length;
      if (total > limit) {
        wipe();
        throw new RangeError(
          `"options.maxBufferedBytes" is ${limit}: a GCM decryption stream holds its plaintext until the ` +
            'tag verifies, and this one is longer (use a chunked AEAD format for large data)',
        );
      }
      if (out.length > 0) held.push(out);
      return undefined;
    },
    end: () => {
      try {
        const last = ctx.finalize();
        if (last.length > 0) held.push(last);
      } catch (err) {
        wipe();
        throw err;
      }
      const out = held;
      held = [];
      return out;
    },
    get tag(): Uint8Array {
      throw new TypeError('"tag": only a GCM encryption stream has one');
    },
  };
}

class NodeCipherTransform extends Transform implements CipherTransform {
  readonly #engine: Engine;

  constructor(engine: Engine) {
    super();
    this.#engine = engine;
  }

  override _transform(chunk: unknown, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      const out = this.#engine.write(bytes('chunk', chunk));
      if (out !== undefined) this.push(out);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      for (const part of this.#engine.end()) this.push(part);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  get tag(): Uint8Array {
    return this.#engine.tag;
  }
}

class WebCipherTransformStream
  extends TransformStream<Uint8Array, Uint8Array>
  implements CipherTransformStream
{
  readonly #engine: Engine;

  constructor(engine: Engine) {
    super({
      transform(chunk, controller) {
        const out = engine.write(bytes('chunk', chunk));
        if (out !== undefined) controller.enqueue(out);
      },
      flush(controller) {
        for (const part of engine.end()) controller.enqueue(part);
      },
    });
    this.#engine = engine;
  }

  get tag(): Uint8Array {
    return this.#engine.tag;
  }
}

/**
 * Encrypts a node stream through `cipher` (a fresh encryption context): use it with `pipeline`. For GCM,
 * read `tag` after the stream ends. CBC and ECB do not pad: the input must total a multiple of the block.
 * @example
 * ```ts
 * import { pipeline } from 'node:stream/promises';
 * import { createReadStream, createWriteStream } from 'node:fs';
 * import { AES, Cipher, GCM, encryptStream } from 'coffer/hazmat/ciphers';
 * const enc = encryptStream(new Cipher(new AES(key), new GCM(iv)));
 * await pipeline(createReadStream('in.bin'), enc, createWriteStream('in.bin.enc'));
 * const tag = enc.tag; // store it beside the IV
 * ```
 * @throws {TypeError} when `cipher` is not a Cipher, is XTS or GCM with a tag, or an option does not fit.
 * @throws {RangeError} on a bad option value. The stream errors with the context's own errors.
 */
export function encryptStream(cipher: Cipher, options?: CipherStreamOptions): CipherTransform {
  return new NodeCipherTransform(makeEngine(cipher, false, options));
}

/**
 * Decrypts a node stream through `cipher` (a fresh decryption context). **GCM** needs the tag in its mode
 * (`new GCM(iv, tag)`) and emits nothing until the tag verifies at the end: plaintext is held back, up to
 * `options.maxBufferedBytes` (64 MiB by default), and a bad tag fails the stream with `InvalidTag` and
 * releases nothing. **Other modes** are unauthenticated: plaintext flows as it is decrypted, and tampering
 * goes unnoticed.
 * @throws {TypeError} when `cipher` is not a Cipher, is XTS, or is GCM without a tag.
 * @throws {RangeError} on a bad option value.
 */
export function decryptStream(cipher: Cipher, options?: CipherStreamOptions): CipherTransform {
  return new NodeCipherTransform(makeEngine(cipher, true, options));
}

/**
 * `encryptStream` as a web `TransformStream` (for `ReadableStream.pipeThrough`). Chunks must be Uint8Arrays.
 * @throws {TypeError} as `encryptStream`.
 */
export function encryptWebStream(cipher: Cipher, options?: CipherStreamOptions): CipherTransformStream {
  return new WebCipherTransformStream(makeEngine(cipher, false, options));
}

/**
 * `decryptStream` as a web `TransformStream`: GCM holds plaintext back until the tag verifies.
 * @throws {TypeError} as `decryptStream`.
 */
export function decryptWebStream(cipher: Cipher, options?: CipherStreamOptions): CipherTransformStream {
  return new WebCipherTransformStream(makeEngine(cipher, true, options));
}
