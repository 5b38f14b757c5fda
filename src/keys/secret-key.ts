// SecretKey: the one object that holds symmetric key bytes. The bytes live in a #private field and never
// appear in toString, toJSON, util.inspect or error messages. Internal modules read them through
// `secretKeyBytes`, which this file exports but the package's exports map does not.
import { inspect } from 'node:util';
import { type KeyInput, keyHandle, randomBytes, timingSafeEqual } from '../internal/backend.ts';
import { bytes, integer, string } from '../internal/bytes.ts';

let readBytes: (key: SecretKey) => Uint8Array;
let readHandle: (key: SecretKey) => KeyInput;
let isKey: (value: unknown) => value is SecretKey;
// Only this module can construct a SecretKey: the constructor is private to TypeScript, not to JavaScript.
const constructing = Symbol('SecretKey');

/** Key sizes accepted by `SecretKey`: 1 byte to 64 KiB (HMAC keys may be long; cipher code checks its own). */
export const SECRET_KEY_MAX_BYTES = 65536;

export interface SecretKeyOptions {
  /** What the key is for, shown in debug output (`'AES-256-GCM'`, `'HMAC-SHA256'`). Default `'secret'`. */
  algorithm?: string;
  /** A public identifier, shown in debug output and error messages. */
  id?: string;
}

/**
 * Symmetric key material that cannot leak by accident: `String(key)`, `JSON.stringify(key)` and
 * `util.inspect(key)` show only its algorithm, id and length. Compare keys with `equals` (constant time).
 * Raw bytes come out only through `exportSecretKeyBytes` in `coffer/hazmat/insecure-export`.
 *
 * @example
 * ```ts
 * import { SecretKey } from 'coffer/keys';
 * const key = SecretKey.generate(32, { algorithm: 'HMAC-SHA256', id: 'webhooks-2026' });
 * console.log(`${key}`); // SecretKey(HMAC-SHA256, id=webhooks-2026, 32 bytes)
 * ```
 */
export class SecretKey {
  readonly #bytes: Uint8Array;
  // node's own copy of the bytes as a KeyObject, made on first use (see keyHandle: much faster per call on
  // Node 24). Private fields stay writable on a frozen object.
  #handle: KeyInput | undefined;
  /** What the key is for; informational. */
  readonly algorithm: string;
  /** Public identifier, or `undefined`. */
  readonly id: string | undefined;

  static {
    readBytes = (key) => key.#bytes;
    readHandle = (key) => {
      key.#handle ??= keyHandle(key.#bytes);
      return key.#handle;
    };
    // A brand check, not instanceof: Object.create(SecretKey.prototype) has no #bytes.
    isKey = (value): value is SecretKey => typeof value === 'object' && value !== null && #bytes in value;
  }

  private constructor(guard: symbol, material: Uint8Array, options: SecretKeyOptions) {
    if (guard !== constructing) {
      throw new TypeError(
        'SecretKey has no public constructor: use "SecretKey.generate" or "SecretKey.fromBytes"',
      );
    }
    this.#bytes = material;
    this.algorithm = options.algorithm ?? 'secret';
    this.id = options.id;
    Object.freeze(this);
  }

  /**
   * Wraps a copy of `material` (the caller may wipe its own array afterwards).
   * @throws {TypeError} when `material` is not a Uint8Array. @throws {RangeError} when it is empty or over 64 KiB.
   */
  static fromBytes(material: Uint8Array, options: SecretKeyOptions = {}): SecretKey {
    bytes('material', material);
    if (material.length < 1 || material.length > SECRET_KEY_MAX_BYTES) {
      throw new RangeError(
        `"material" must be between 1 and ${SECRET_KEY_MAX_BYTES} bytes, got ${material.length}`,
      );
    }
    checkOptions(options);
    return new SecretKey(constructing, Uint8Array.from(material), options);
  }

  /**
   * A fresh random key of `length` bytes from the OS CSPRNG.
   * @throws {RangeError} when `length` is not an integer in [1, 64 KiB].
   */
  static generate(length: number, options: SecretKeyOptions = {}): SecretKey {
    integer('length', length, 1, SECRET_KEY_MAX_BYTES);
    checkOptions(options);
    const buf = randomBytes(length);
    return new SecretKey(constructing, new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), options);
  }

  /** Length of the key in bytes. */
  get length(): number {
    return this.#bytes.length;
  }

  /** Constant-time comparison of key material (lengths are public). Metadata is not compared. */
  equals(other: SecretKey): boolean {
    if (!isKey(other)) throw new TypeError('"other" must be a SecretKey');
    const a = this.#bytes;
    const b = other.#bytes;
    return a.length === b.length && timingSafeEqual(a, b);
  }

  toString(): string {
    const id = this.id === undefined ? '' : `, id=${this.id}`;
    return `SecretKey(${this.algorithm}${id}, ${this.#bytes.length} bytes)`;
  }

  toJSON(): { type: 'SecretKey'; algorithm: string; id?: string; length: number } {
    const out: { type: 'SecretKey'; algorithm: string; id?: string; length: number } = {
      type: 'SecretKey',
      algorithm: this.algorithm,
      length: this.#bytes.length,
    };
    if (this.id !== undefined) out.id = this.id;
    return out;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  get [Symbol.toStringTag](): string {
    return 'SecretKey';
  }
}

function checkOptions(options: SecretKeyOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('"options" must be an object');
  if (options.algorithm !== undefined) string('options.algorithm', options.algorithm);
  if (options.id !== undefined) string('options.id', options.id);
}

/** Internal: the key's bytes, without a copy. Never exported from the package. */
export function secretKeyBytes(key: SecretKey): Uint8Array {
  return readBytes(key);
}

/** Internal: true for a real SecretKey (brand check); look-alikes built from its prototype are not. */
export function isSecretKey(value: unknown): value is SecretKey {
  return isKey(value);
}

/** Internal: accepts a SecretKey or raw bytes where a key is expected; returns the bytes. */
export function keyBytes(name: string, key: unknown): Uint8Array {
  if (isKey(key)) return readBytes(key);
  return bytes(name, key);
}

/** Internal: like `keyBytes`, but a SecretKey comes as its cached KeyObject handle. */
export function keyInput(name: string, key: unknown): KeyInput {
  if (isKey(key)) return readHandle(key);
  return bytes(name, key);
}
