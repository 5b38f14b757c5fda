/**
 * `Keyring`: labeled, rotating keys and sealed tokens bound to their context. The recommended way to keep a
 * value secret at rest (a recovery code, an email address in a database column).
 *
 * @example
 * ```ts
 * import { Keyring } from 'coffer';
 * const keyring = Keyring.generate({ label: 'users-2026' });
 * const context = { table: 'users', column: 'email', id: '42' };
 * const token = keyring.seal('ada@example.com', { context });
 * keyring.openText(token, { context }); // 'ada@example.com'
 * keyring.rotate({ label: 'users-2027' }); // new primary; old tokens still open
 * const fresh = keyring.reseal(token, { context }); // now under the new primary
 * ```
 * @module
 */
import { performance } from 'node:perf_hooks';
import { inspect } from 'node:util';
import {
  CofferError,
  type CofferErrorCode,
  DecodeError,
  InvalidToken,
  KeyDisabled,
  KeyNotFound,
  KeyringError,
} from '../errors.ts';
import { base64urlDecode } from '../formats/encoding.ts';
import {
  contextSize,
  encodeContextEntries,
  formatKeyId,
  OVERHEAD_BYTES,
  parseKeyId,
  parseSealed,
  peekKeyId,
} from '../formats/sealed-token.ts';
import { randomBytes } from '../internal/backend.ts';
import { bytesLike, describeValue, isBytes, plainObject, string } from '../internal/bytes.ts';
import {
  inspectKeyring,
  type KeyringProtection,
  type KeyringUnlock,
  loadKeyring,
  saveKeyring,
} from './keyring-file.ts';
import {
  AAD_RESERVE,
  MAX_SEALED_PLAINTEXT,
  openParts,
  type SealingKey,
  sealingKey,
  sealWithAad,
} from './sealed-token.ts';

export { MAX_SEALED_PLAINTEXT };

/** Tokens under one key before it must be rotated: 2^48 (nonce collision chance stays below 2^-97). */
export const MAX_MESSAGES_PER_KEY = 2 ** 48;
/** The algorithm name recorded for keyring keys. */
export const SEALED_ALGORITHM = 'XAES-256-GCM';
/** Longest label accepted. */
export const MAX_LABEL_LENGTH = 200;
/** Longest context accepted, encoded: 64 KiB. */
export const MAX_CONTEXT_BYTES = 64 * 1024;

/** A key's state. `primary` seals and opens; `active` opens; `disabled` refuses until re-enabled; `retired` keeps only its metadata. */
export type KeyStatus = 'primary' | 'active' | 'disabled' | 'retired';

/** What `list()` shows of a key: never its bytes. */
export interface KeyMetadata {
  readonly id: string;
  readonly label: string;
  readonly algorithm: string;
  /** ISO 8601 creation time. */
  readonly created: string;
  readonly status: KeyStatus;
}

/** A context: field names and string values, such as `{ table: 'users', column: 'email', id: '42' }`. */
export type SealContext = Readonly<Record<string, string>>;

export interface SealOptions {
  /** Where the value lives. The token opens only with the same context. Use `{}` for none. */
  context: SealContext;
}

export type AuditOperation =
  | 'seal'
  | 'open'
  | 'reseal'
  | 'add'
  | 'rotate'
  | 'promote'
  | 'disable'
  | 'enable'
  | 'retire'
  | 'remove';

/** One structured audit event. Never holds plaintext, key bytes or context values. */
export interface AuditEvent {
  readonly event: 'coffer.keyring';
  readonly operation: AuditOperation;
  /** The key the operation used or changed (for `reseal`, the key the token is now under). */
  readonly keyId?: string;
  /** For `reseal` and `rotate`/`promote`: the key before. */
  readonly previousKeyId?: string;
  /** The names (never the values) of the context fields. */
  readonly contextFields?: readonly string[];
  readonly outcome: 'success' | 'failure';
  /** The error code on failure. */
  readonly error?: CofferErrorCode | 'ERR_TYPE' | 'ERR_RANGE' | 'ERR_UNKNOWN';
  readonly durationMs: number;
}

/** Where audit events go: a function, or a logger with pino's shape (`info`/`warn(obj, msg)`). */
export type AuditSink =
  | ((event: AuditEvent) => void)
  | { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };

export interface KeyringOptions {
  /** Receives one event per seal (succeeded or failed), failed open, reseal, and key-management operation. */
  audit?: AuditSink;
  /** The clock for `created` times. Default `() => new Date()`. */
  clock?: () => Date;
}

interface Entry {
  readonly id: number;
  readonly idText: string;
  label: string;
  readonly created: string;
  status: KeyStatus;
  material: Uint8Array | null;
  sealing: SealingKey | null;
}

function label(value: unknown): string {
  if (value === undefined) return '';
  const s = string('label', value);
  if (s.length > MAX_LABEL_LENGTH)
    throw new RangeError(`"label" must be at most ${MAX_LABEL_LENGTH} characters, got ${s.length}`);
  return s;
}

// A cheap code-unit scan first; the Unicode-aware test only for strings that hold a surrogate at all.
const ANY_SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /\p{Cs}/u;

function contextOf(options: unknown): { encoded: Uint8Array; fields: string[] } {
  const o = plainObject('options', options);
  const ctx = plainObject('options.context', o.context);
  // A Map, Date or class instance has no own enumerable fields and would seal as the empty context.
  const proto = Object.getPrototypeOf(ctx);
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(`"options.context" must be a plain object of strings, got ${describeValue(ctx)}`);
  }
  // Each value is read once into a snapshot, so a getter cannot pass validation with one value and be
  // encoded with another.
  const fields = Object.keys(ctx);
  const values: string[] = new Array(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const v = ctx[f];
    if (typeof v !== 'string') {
      throw new TypeError(`"options.context.${f}" must be a string, got ${describeValue(v)}`);
    }
    // UTF-8 cannot encode a lone surrogate (it becomes U+FFFD), so two different contexts would encode
    // alike and a token would open under both.
    if (
      (ANY_SURROGATE.test(f) && LONE_SURROGATE.test(f)) ||
      (ANY_SURROGATE.test(v) && LONE_SURROGATE.test(v))
    ) {
      throw new TypeError(
        '"options.context" names and values must be well-formed Unicode (no lone surrogates)',
      );
    }
    values[i] = v;
  }
  // UTF-8 has at least one byte per UTF-16 unit, so this lower bound rejects a huge context before any
  // allocation; the exact size is checked after encoding (whose buffer is at most 3x the limit).
  let units = 4;
  for (let i = 0; i < fields.length; i++) units += 8 + fields[i]!.length + values[i]!.length;
  if (units > MAX_CONTEXT_BYTES) {
    const size = contextSize(fields, values);
    throw new RangeError(`"options.context" must encode to at most ${MAX_CONTEXT_BYTES} bytes, got ${size}`);
  }
  const encoded = encodeContextEntries(fields, values, AAD_RESERVE);
  if (encoded.length - AAD_RESERVE > MAX_CONTEXT_BYTES) {
    throw new RangeError(
      `"options.context" must encode to at most ${MAX_CONTEXT_BYTES} bytes, got ${encoded.length - AAD_RESERVE}`,
    );
  }
  return { encoded, fields };
}

function plaintextOf(value: unknown): Uint8Array {
  const pt = bytesLike('plaintext', value);
  if (pt.length > MAX_SEALED_PLAINTEXT) {
    throw new RangeError(`"plaintext" must be at most ${MAX_SEALED_PLAINTEXT} bytes, got ${pt.length}`);
  }
  return pt;
}

// Text tokens: unpadded base64url. Any decoding problem is the opaque InvalidToken.
function tokenBytes(token: unknown): { bytes: Uint8Array; text: boolean } {
  if (typeof token === 'string') {
    if (token.length > ((MAX_SEALED_PLAINTEXT + OVERHEAD_BYTES) * 4) / 3 + 4) throw new InvalidToken();
    try {
      return { bytes: base64urlDecode(token, { padding: 'none' }), text: true };
    } catch {
      throw new InvalidToken();
    }
  }
  if (isBytes(token)) {
    if (token.length > MAX_SEALED_PLAINTEXT + OVERHEAD_BYTES) throw new InvalidToken();
    return { bytes: token, text: false };
  }
  throw new TypeError(`"token" must be a string or a Uint8Array, got ${describeValue(token)}`);
}

function errorCode(err: unknown): NonNullable<AuditEvent['error']> {
  if (err instanceof CofferError) return err.code;
  if (err instanceof TypeError) return 'ERR_TYPE';
  if (err instanceof RangeError) return 'ERR_RANGE';
  return 'ERR_UNKNOWN';
}

/** Internal hand-off for the storage module: build a keyring from decoded entries. */
let restoreKeyring: (entries: Entry[], options: KeyringOptions) => Keyring;
/** Internal: a keyring's entries (with material) for the storage module. */
let keyringEntries: (keyring: Keyring) => readonly Entry[];
/** Internal: a brand check. `instanceof` accepts `Object.create(Keyring.prototype)`, which has no entries. */
let isKeyring: (value: unknown) => value is Keyring;

/**
 * A set of AES-256 keys, each with a public id (8 hex digits) and a label, one of them primary.
 * `seal` uses the primary; `open` uses whichever key the token names, so old tokens keep opening after
 * `rotate()` until their key is disabled or retired. `reseal` moves a token to the primary key.
 *
 * Limits: plaintexts up to {@link MAX_SEALED_PLAINTEXT} (256 MiB); up to {@link MAX_MESSAGES_PER_KEY}
 * (2^48) tokens per key; contexts up to 64 KiB encoded. Each token adds 77 bytes (103 characters in text
 * form, about 4/3 of the binary size).
 *
 * Persist with `saveKeyring`/`loadKeyring` (encrypted under a passphrase or a key-encryption key).
 */
export class Keyring {
  readonly #entries = new Map<number, Entry>();
  #primary: Entry | null = null;
  readonly #audit: ((event: AuditEvent) => void) | undefined;
  readonly #clock: () => Date;

  static {
    restoreKeyring = (entries, options) => {
      const k = new Keyring(options);
      for (const e of entries) {
        k.#entries.set(e.id, e);
        if (e.status === 'primary') k.#primary = e;
      }
      if (k.#primary === null) throw new DecodeError('keyring has no primary key');
      return k;
    };
    keyringEntries = (k) => [...k.#entries.values()];
    isKeyring = (value): value is Keyring => typeof value === 'object' && value !== null && #entries in value;
  }

  private constructor(options: KeyringOptions = {}) {
    plainObject('options', options);
    const sink = options.audit;
    if (sink === undefined) this.#audit = undefined;
    else if (typeof sink === 'function') this.#audit = sink;
    else if (
      typeof sink === 'object' &&
      sink !== null &&
      typeof sink.info === 'function' &&
      typeof sink.warn === 'function'
    ) {
      this.#audit = (e) =>
        e.outcome === 'success' ? sink.info(e, 'coffer keyring') : sink.warn(e, 'coffer keyring');
    } else throw new TypeError('"options.audit" must be a function or a logger with info() and warn()');
    if (options.clock !== undefined && typeof options.clock !== 'function') {
      throw new TypeError('"options.clock" must be a function');
    }
    this.#clock = options.clock ?? (() => new Date());
  }

  /**
   * A new keyring with one fresh primary key.
   * @throws {TypeError} on bad options, or when `clock` returns something other than a valid Date.
   * @throws {RangeError} when the label is over 200 characters, or the clock's date is outside the years
   *   0 to 9999 (the same for `add` and `rotate`).
   */
  static generate(options: KeyringOptions & { label?: string } = {}): Keyring {
    const k = new Keyring(options);
    const e = k.#newEntry(label(options.label));
    e.status = 'primary';
    k.#primary = e;
    return k;
  }

  #newEntry(text: string, material: Uint8Array = randomBytes(32)): Entry {
    let id: number;
    do {
      id = randomBytes(4).readUInt32BE(0);
    } while (this.#entries.has(id));
    const created = this.#clock();
    if (!(created instanceof Date) || Number.isNaN(created.getTime()))
      throw new TypeError('"clock" must return a valid Date');
    // Keyring files accept only the four-digit-year form of toISOString (keyring-file.ts): a key created
    // outside it would make a keyring that saves but never loads again.
    const year = created.getUTCFullYear();
    if (year < 0 || year > 9999)
      throw new RangeError(`"clock" must return a date in the years 0 to 9999, got year ${year}`);
    const m = Uint8Array.from(material);
    const e: Entry = {
      id,
      idText: formatKeyId(id),
      label: text,
      created: created.toISOString(),
      status: 'active',
      material: m,
      sealing: sealingKey(id, m),
    };
    this.#entries.set(id, e);
    return e;
  }

  #emit(event: Omit<AuditEvent, 'event' | 'durationMs'>, started: number): void {
    if (this.#audit === undefined) return;
    try {
      this.#audit({ event: 'coffer.keyring', ...event, durationMs: performance.now() - started });
    } catch {
      // An audit sink that throws must not turn a completed operation into a failure.
    }
  }

  #lookup(id: unknown): Entry {
    const text = string('id', id);
    const n = parseKeyId(text);
    // Not an id at all (a swapped argument, perhaps a secret): say so without repeating it.
    if (n === null) throw new TypeError('"id" must be a key id: 8 lowercase hex digits');
    const e = this.#entries.get(n);
    if (e === undefined) throw new KeyNotFound(text);
    return e;
  }

  // `change` may return the id of the key it replaced (promote), reported as `previousKeyId`.
  #manage(operation: AuditOperation, id: unknown, change: (e: Entry) => unknown): void {
    const started = this.#audit ? performance.now() : 0;
    let keyId: string | undefined;
    try {
      const e = this.#lookup(id);
      keyId = e.idText;
      const previousKeyId = change(e);
      this.#emit(
        {
          operation,
          keyId,
          ...(typeof previousKeyId === 'string' ? { previousKeyId } : {}),
          outcome: 'success',
        },
        started,
      );
    } catch (err) {
      this.#emit(
        { operation, ...(keyId === undefined ? {} : { keyId }), outcome: 'failure', error: errorCode(err) },
        started,
      );
      throw err;
    }
  }

  /** Adds a fresh key as `active` (opens, does not seal). Returns its metadata. */
  add(options: { label?: string } = {}): KeyMetadata {
    const started = this.#audit ? performance.now() : 0;
    plainObject('options', options);
    const e = this.#newEntry(label(options.label));
    this.#emit({ operation: 'add', keyId: e.idText, outcome: 'success' }, started);
    return metadata(e);
  }

  /** Adds a fresh key and makes it primary. The old primary stays `active` for opening. */
  rotate(options: { label?: string } = {}): KeyMetadata {
    const started = this.#audit ? performance.now() : 0;
    plainObject('options', options);
    const previous = this.#primary!;
    const e = this.#newEntry(label(options.label));
    previous.status = 'active';
    e.status = 'primary';
    this.#primary = e;
    this.#emit(
      { operation: 'rotate', keyId: e.idText, previousKeyId: previous.idText, outcome: 'success' },
      started,
    );
    return metadata(e);
  }

  /**
   * Makes an `active` key primary; the old primary becomes `active`.
   * @throws {KeyNotFound} for an unknown id. @throws {KeyringError} when the key is disabled or retired.
   * @throws {TypeError} when `id` is not a key id (8 lowercase hex digits), here and in the calls below.
   */
  promote(id: string): void {
    this.#manage('promote', id, (e) => {
      if (e.status === 'primary') return undefined;
      if (e.status !== 'active')
        throw new KeyringError(`key ${JSON.stringify(e.idText)} is ${e.status}; enable it before promoting`);
      const previous = this.#primary!;
      previous.status = 'active';
      e.status = 'primary';
      this.#primary = e;
      return previous.idText;
    });
  }

  /**
   * Disables a key: it stays in the keyring but refuses to open tokens (`KeyDisabled`) until `enable`.
   * @throws {KeyringError} for the primary key (rotate or promote another first) or a retired key.
   */
  disable(id: string): void {
    this.#manage('disable', id, (e) => {
      if (e.status === 'primary')
        throw new KeyringError(`key ${JSON.stringify(e.idText)} is primary; promote another key first`);
      if (e.status === 'retired') throw new KeyringError(`key ${JSON.stringify(e.idText)} is retired`);
      e.status = 'disabled';
    });
  }

  /** Re-enables a disabled key (it becomes `active`). @throws {KeyringError} when the key is retired. */
  enable(id: string): void {
    this.#manage('enable', id, (e) => {
      if (e.status === 'retired')
        throw new KeyringError(`key ${JSON.stringify(e.idText)} is retired and cannot be enabled`);
      if (e.status === 'disabled') e.status = 'active';
    });
  }

  /**
   * Retires a key for good: its bytes are wiped and only its metadata remains, so tokens under it can
   * never open again (`KeyDisabled`, with status `retired`). Reseal its tokens first.
   * @throws {KeyringError} for the primary key.
   */
  retire(id: string): void {
    this.#manage('retire', id, (e) => {
      if (e.status === 'primary')
        throw new KeyringError(`key ${JSON.stringify(e.idText)} is primary; promote another key first`);
      e.material?.fill(0);
      e.material = null;
      e.sealing = null;
      e.status = 'retired';
    });
  }

  /** Removes a key and its metadata entirely. @throws {KeyringError} for the primary key. */
  remove(id: string): void {
    this.#manage('remove', id, (e) => {
      if (e.status === 'primary')
        throw new KeyringError(`key ${JSON.stringify(e.idText)} is primary; promote another key first`);
      e.material?.fill(0);
      this.#entries.delete(e.id);
    });
  }

  /** Metadata of every key, primary first, then by creation time. Never key bytes. */
  list(): KeyMetadata[] {
    const order: Record<KeyStatus, number> = { primary: 0, active: 1, disabled: 2, retired: 3 };
    return [...this.#entries.values()]
      .sort((a, b) => order[a.status] - order[b.status] || a.created.localeCompare(b.created))
      .map(metadata);
  }

  /** The primary key's id. */
  get primaryKeyId(): string {
    return this.#primary!.idText;
  }

  #seal(plaintext: unknown, options: unknown): Uint8Array {
    const started = this.#audit ? performance.now() : 0;
    let fields: string[] | undefined;
    try {
      const pt = plaintextOf(plaintext);
      const ctx = contextOf(options);
      fields = ctx.fields;
      const primary = this.#primary!;
      const token = sealWithAad(primary.sealing!, pt, ctx.encoded);
      if (this.#audit)
        this.#emit(
          { operation: 'seal', keyId: primary.idText, contextFields: ctx.fields, outcome: 'success' },
          started,
        );
      return token;
    } catch (err) {
      // Like #open: the fields are named once the context has been read; no key was used.
      this.#emit(
        {
          operation: 'seal',
          ...(fields === undefined ? {} : { contextFields: fields }),
          outcome: 'failure',
          error: errorCode(err),
        },
        started,
      );
      throw err;
    }
  }

  /**
   * Encrypts `plaintext` (bytes, or a string as UTF-8) under the primary key, bound to `options.context`.
   * Returns the text form (unpadded base64url), for `text` columns.
   * @throws {TypeError} when the plaintext or a context value has the wrong type.
   * @throws {RangeError} when the plaintext exceeds 256 MiB or the context 64 KiB.
   */
  seal(plaintext: Uint8Array | string, options: SealOptions): string {
    return Buffer.from(this.#seal(plaintext, options).buffer).toString('base64url');
  }

  /** Like `seal`, returning the binary form, for `bytea` columns. */
  sealToBytes(plaintext: Uint8Array | string, options: SealOptions): Uint8Array {
    return this.#seal(plaintext, options);
  }

  #open(
    token: unknown,
    options: unknown,
    operation: 'open' | 'reseal',
  ): { plaintext: Uint8Array; entry: Entry; text: boolean; ctx: Uint8Array; fields: string[] } {
    const started = this.#audit ? performance.now() : 0;
    let keyId: string | undefined;
    let fields: string[] | undefined;
    try {
      const ctx = contextOf(options);
      fields = ctx.fields;
      const { bytes, text } = tokenBytes(token);
      const parts = parseSealed(bytes);
      if (parts === null) throw new InvalidToken();
      const id = parts.keyId;
      keyId = formatKeyId(id);
      const entry = this.#entries.get(id);
      if (entry === undefined) throw new KeyNotFound(keyId);
      if (entry.status === 'disabled') throw new KeyDisabled(keyId);
      if (entry.sealing === null) throw new KeyDisabled(keyId, 'retired');
      const plaintext = openParts(entry.sealing, parts, ctx.encoded);
      return { plaintext, entry, text, ctx: ctx.encoded, fields };
    } catch (err) {
      this.#emit(
        {
          operation,
          ...(keyId === undefined ? {} : { keyId }),
          ...(fields === undefined ? {} : { contextFields: fields }),
          outcome: 'failure',
          error: errorCode(err),
        },
        started,
      );
      throw err;
    }
  }

  /**
   * Decrypts a token (text or binary form) sealed with the same context.
   * @throws {InvalidToken} for any token that does not open: malformed, truncated, tampered, wrong
   *   context, wrong key, unknown version. One message, whatever the cause.
   * @throws {KeyNotFound} when the token names a key id this keyring does not hold.
   * @throws {KeyDisabled} when that key is disabled or retired.
   * @throws {TypeError} when `token` is neither a string nor a Uint8Array, or the context is malformed.
   */
  open(token: string | Uint8Array, options: SealOptions): Uint8Array {
    return this.#open(token, options, 'open').plaintext;
  }

  /**
   * Like `open`, decoding the plaintext as UTF-8 (invalid UTF-8 is an `InvalidToken`: it cannot come from `seal` of a string).
   */
  openText(token: string | Uint8Array, options: SealOptions): string {
    const pt = this.open(token, options);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(pt);
    } catch {
      throw new InvalidToken();
    }
  }

  /**
   * Re-encrypts a token under the primary key, in the same form (text or binary) and with the same
   * context. A token already under the primary key is returned unchanged (after it is verified): the same
   * string, or the same array object.
   *
   * A re-encrypted binary token is a plain `Uint8Array`, whatever the input's class: a `Buffer` in gives
   * a `Uint8Array` out, not a `Buffer`.
   * @throws the same errors as `open`.
   */
  reseal(token: string, options: SealOptions): string;
  reseal(token: Uint8Array, options: SealOptions): Uint8Array;
  reseal(token: string | Uint8Array, options: SealOptions): string | Uint8Array;
  reseal(token: string | Uint8Array, options: SealOptions): string | Uint8Array {
    const started = this.#audit ? performance.now() : 0;
    const opened = this.#open(token, options, 'reseal');
    const primary = this.#primary!;
    if (opened.entry === primary) {
      opened.plaintext.fill(0);
      return token;
    }
    const fresh = sealWithAad(primary.sealing!, opened.plaintext, opened.ctx);
    opened.plaintext.fill(0);
    this.#emit(
      {
        operation: 'reseal',
        keyId: primary.idText,
        previousKeyId: opened.entry.idText,
        contextFields: opened.fields,
        outcome: 'success',
      },
      started,
    );
    return opened.text ? Buffer.from(fresh.buffer).toString('base64url') : fresh;
  }

  /**
   * The id of the key a token names, read from its header without decrypting (ids are public).
   * @throws {InvalidToken} when the input is not a sealed token. @throws {TypeError} on a wrong type.
   */
  keyIdOf(token: string | Uint8Array): string {
    const id = peekKeyId(tokenBytes(token).bytes);
    if (id === null) throw new InvalidToken();
    return formatKeyId(id);
  }

  /**
   * Serializes the keyring as JSON, its key bytes encrypted (AES-256-GCM) under a key derived from a
   * passphrase (scrypt, n = 2^17, r = 8, p = 1 by default) or from a 32-byte key-encryption key (HKDF-SHA256),
   * for example one a KMS hands out. The metadata stays readable (`Keyring.inspect`) and is authenticated.
   * @throws {TypeError | RangeError} on a bad protection argument.
   * @example
   * ```ts
   * import { Keyring } from 'coffer';
   * const json = await Keyring.generate().save({ passphrase: process.env.KEYRING_PASSPHRASE! });
   * ```
   */
  save(protection: KeyringProtection): Promise<string> {
    return saveKeyring(this, protection);
  }

  /**
   * Unlocks a keyring saved by `save`. Stored scrypt parameters are bounded (n ≤ 2^20, r ≤ 32, p ≤ 4,
   * memory 128·n·r ≤ 1 GiB) so a hostile file cannot demand unbounded work.
   * @throws {KeyringError} for a wrong passphrase or KEK, or a modified file (indistinguishable by design).
   * @throws {DecodeError} when the file is not a well-formed keyring file (the message names the problem).
   */
  static load(text: string, unlock: KeyringUnlock, options: KeyringOptions = {}): Promise<Keyring> {
    return loadKeyring(text, unlock, options);
  }

  /**
   * Reads a saved keyring's metadata (ids, labels, statuses, protection method) without unlocking it.
   * @throws {DecodeError} when the file is malformed.
   */
  static inspect(text: string): ReturnType<typeof inspectKeyring> {
    return inspectKeyring(text);
  }

  toString(): string {
    return `Keyring(${this.#entries.size} keys, primary=${this.#primary?.idText ?? 'none'})`;
  }

  toJSON(): { type: 'Keyring'; keys: KeyMetadata[] } {
    return { type: 'Keyring', keys: this.list() };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

function metadata(e: Entry): KeyMetadata {
  return Object.freeze({
    id: e.idText,
    label: e.label,
    algorithm: SEALED_ALGORITHM,
    created: e.created,
    status: e.status,
  });
}

export type { KeyringProtection, KeyringUnlock };
/** @internal */
export { type Entry as KeyringEntry, isKeyring, keyringEntries, restoreKeyring };
