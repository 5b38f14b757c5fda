/**
 * Blind indexes: equality lookup on an encrypted column without decrypting it. Beside the sealed column
 * (say `email`) a `bytea` column (`email_idx`) holds a keyed HMAC of the plaintext, so
 * `WHERE email_idx = ANY($1)` finds a user by email; nothing else about the value can be read from it.
 *
 * Construction (docs/postgres.md, "Blind index"; vectors in test/vectors/blind-index.json), for a keyring
 * key `K` with 4-byte id `I`:
 * - `Kbi  = HKDF-SHA256(ikm = K, salt = empty, info = "coffer/v1/blind-index", L = 32)`
 * - `Kcol = HMAC-SHA256(Kbi, "coffer/v1/blind-index/column" ‖ u16(len schema) ‖ schema ‖ u16(len table) ‖
 *   table ‖ u16(len column) ‖ column)` (names in UTF-8, lengths in bytes, big-endian)
 * - `index = I ‖ HMAC-SHA256(Kcol, value)[0..n)`, n = 16 by default (8 to 32).
 *
 * **Leakage**: equal values in one column under one key have equal indexes, so anyone who reads the table
 * sees which rows share a value (and how many distinct values there are); the first 4 bytes name the key.
 * Indexes in different columns, tables or keyrings are unrelated. Truncation makes false matches possible
 * (about rows / 2^(8n) per lookup), so a lookup also opens each match and compares
 * ({@link EncryptedTable.findBy} does).
 *
 * @example
 * ```ts
 * import { Keyring } from 'coffer';
 * import { blindIndex } from 'coffer/postgres';
 * const keyring = Keyring.generate();
 * const idx = blindIndex(keyring, { schema: 'public', table: 'users', column: 'email' }, 'ada@example.com');
 * idx.length; // 20: the 4-byte key id and 16 bytes of HMAC
 * ```
 * @module
 */
import { InvalidToken } from '../../errors.ts';
import { parseKeyId } from '../../formats/sealed-token.ts';
import { hmac, type KeyInput, keyHandle } from '../../internal/backend.ts';
import { bytesLike, describeValue, integer, isBytes, plainObject, u8 } from '../../internal/bytes.ts';
import { currentPepper, type PepperKey, usablePeppers } from '../../internal/pepper.ts';
import { isKeyring, type Keyring } from '../../recipes/keyring.ts';

/** Bytes of HMAC kept in an index by default: 16 (128 bits). */
export const BLIND_INDEX_DEFAULT_BYTES = 16;
/** Fewest HMAC bytes allowed: 8. */
export const BLIND_INDEX_MIN_BYTES = 8;
/** Most HMAC bytes allowed: 32 (the whole HMAC-SHA256). */
export const BLIND_INDEX_MAX_BYTES = 32;
/** Bytes of key id before the HMAC. */
export const BLIND_INDEX_KEY_ID_BYTES = 4;

/** The column a blind index belongs to: the sealed column's schema, table and name. */
export interface BlindIndexColumn {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
}

/** Options of {@link blindIndex}. */
export interface BlindIndexOptions {
  /** HMAC bytes kept, 8 to 32. Default 16. */
  bytes?: number;
}

const utf8 = new TextEncoder();
const COLUMN_LABEL = utf8.encode('coffer/v1/blind-index/column');
const LONE_SURROGATE = /\p{Cs}/u;

/** Longest schema, table or column name, in UTF-8 bytes: PostgreSQL's identifier limit. */
const MAX_NAME_BYTES = 63;

function nameBytes(label: string, value: unknown): Uint8Array {
  if (typeof value !== 'string')
    throw new TypeError(`"${label}" must be a string, got ${describeValue(value)}`);
  if (value === '' || value.includes('\0') || LONE_SURROGATE.test(value)) {
    throw new TypeError(`"${label}" must be a non-empty, well-formed name without NUL`);
  }
  const b = utf8.encode(value);
  if (b.length > MAX_NAME_BYTES)
    throw new RangeError(`"${label}" must be at most ${MAX_NAME_BYTES} bytes, got ${b.length}`);
  return b;
}

/** The encoded column label, checked: the HMAC input for Kcol. */
export function columnLabel(where: unknown): Uint8Array {
  const w = plainObject('column', where);
  const parts = [
    nameBytes('column.schema', w.schema),
    nameBytes('column.table', w.table),
    nameBytes('column.column', w.column),
  ];
  let size = COLUMN_LABEL.length;
  for (const p of parts) size += 2 + p.length;
  const out = new Uint8Array(size);
  out.set(COLUMN_LABEL, 0);
  let at = COLUMN_LABEL.length;
  for (const p of parts) {
    out[at] = p.length >> 8;
    out[at + 1] = p.length & 0xff;
    out.set(p, at + 2);
    at += 2 + p.length;
  }
  return out;
}

function bytesOption(options: unknown): number {
  if (options === undefined) return BLIND_INDEX_DEFAULT_BYTES;
  const o = plainObject('options', options);
  return o.bytes === undefined
    ? BLIND_INDEX_DEFAULT_BYTES
    : integer('options.bytes', o.bytes, BLIND_INDEX_MIN_BYTES, BLIND_INDEX_MAX_BYTES);
}

function keyringOf(value: unknown): Keyring {
  if (!isKeyring(value)) throw new TypeError(`"keyring" must be a Keyring, got ${describeValue(value)}`);
  return value;
}

// Kcol per (Kbi, column label): HMAC once per column and key, then kept as a KeyObject.
const columnKeys = new WeakMap<object, Map<string, KeyInput>>();

function columnKey(kbi: PepperKey, label: Uint8Array): KeyInput {
  const owner = kbi.key as object;
  let byLabel = columnKeys.get(owner);
  if (byLabel === undefined) {
    byLabel = new Map();
    columnKeys.set(owner, byLabel);
  }
  const name = Buffer.from(label).toString('latin1');
  let key = byLabel.get(name);
  if (key === undefined) {
    const raw = hmac('sha256', kbi.key, label);
    key = keyHandle(u8(raw));
    raw.fill(0);
    byLabel.set(name, key);
  }
  return key;
}

function indexUnder(kbi: PepperKey, label: Uint8Array, value: Uint8Array, n: number): Uint8Array {
  const mac = hmac('sha256', columnKey(kbi, label), value);
  const out = new Uint8Array(BLIND_INDEX_KEY_ID_BYTES + n);
  const id = parseKeyId(kbi.id)!;
  out[0] = id >>> 24;
  out[1] = (id >>> 16) & 0xff;
  out[2] = (id >>> 8) & 0xff;
  out[3] = id & 0xff;
  out.set(mac.subarray(0, n), BLIND_INDEX_KEY_ID_BYTES);
  return out;
}

/**
 * The blind index of `value` (bytes, or a string as UTF-8) for a column, under the keyring's primary key:
 * 4 bytes of key id, then `options.bytes` (default 16) bytes of HMAC. Store it in a `bytea` column.
 * The value is used exactly as given: normalize it first (for example lowercase an email) if equal
 * values may be written differently.
 * @throws {TypeError} when `keyring` is not a Keyring, `value` is neither a string nor a Uint8Array, or a
 *   name is not a non-empty string. @throws {RangeError} when `bytes` is outside 8..32 or a name is over
 *   63 bytes.
 * @example
 * ```ts
 * import { blindIndex } from 'coffer/postgres';
 * const idx = blindIndex(keyring, { schema: 'public', table: 'users', column: 'email' }, email, { bytes: 16 });
 * ```
 */
export function blindIndex(
  keyring: Keyring,
  column: BlindIndexColumn,
  value: string | Uint8Array,
  options?: BlindIndexOptions,
): Uint8Array {
  const ring = keyringOf(keyring);
  const label = columnLabel(column);
  const n = bytesOption(options);
  const v = bytesLike('value', value);
  return indexUnder(currentPepper(ring, 'blind-index'), label, v, n);
}

/**
 * The blind index of `value` under each usable key of the keyring (primary first, then the active
 * keys): during a rotation a row's index may still be under an older key, so look up with
 * `WHERE idx = ANY($1)` and these candidates. Disabled and retired keys give no candidate.
 * @throws as {@link blindIndex}.
 * @example
 * ```ts
 * import { blindIndexCandidates } from 'coffer/postgres';
 * const where = { schema: 'public', table: 'users', column: 'email' };
 * await db.query('SELECT id FROM users WHERE email_idx = ANY($1)', [blindIndexCandidates(keyring, where, email)]);
 * ```
 */
export function blindIndexCandidates(
  keyring: Keyring,
  column: BlindIndexColumn,
  value: string | Uint8Array,
  options?: BlindIndexOptions,
): Uint8Array[] {
  const ring = keyringOf(keyring);
  const label = columnLabel(column);
  const n = bytesOption(options);
  const v = bytesLike('value', value);
  return usablePeppers(ring, 'blind-index').map((k) => indexUnder(k, label, v, n));
}

/**
 * The key id a stored blind index names (its first 4 bytes, as 8 hex digits). Key ids are public.
 * @throws {InvalidToken} when `index` is not 12 to 36 bytes long. @throws {TypeError} when it is not a
 *   Uint8Array.
 * @example
 * ```ts
 * import { blindIndexKeyId } from 'coffer/postgres';
 * blindIndexKeyId(row.email_idx) === keyring.primaryKeyId; // false: the row still needs rotating
 * ```
 */
export function blindIndexKeyId(index: Uint8Array): string {
  if (!isBytes(index)) throw new TypeError(`"index" must be a Uint8Array, got ${describeValue(index)}`);
  const n = index.length - BLIND_INDEX_KEY_ID_BYTES;
  if (n < BLIND_INDEX_MIN_BYTES || n > BLIND_INDEX_MAX_BYTES) throw new InvalidToken();
  return Buffer.from(index.subarray(0, BLIND_INDEX_KEY_ID_BYTES)).toString('hex');
}
