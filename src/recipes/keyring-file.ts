// Keyring storage (docs/keyring-file.md): JSON whose metadata is readable without unlocking and whose key
// bytes are AES-256-GCM encrypted under a key derived from a passphrase (scrypt) or from a caller's
// key-encryption key (HKDF-SHA256). All metadata is bound as associated data, so editing any of it, or
// the protection parameters, makes the file fail to load.
import { DecodeError, KeyringError } from '../errors.ts';
import { base64urlDecode, base64urlEncode } from '../formats/encoding.ts';
import { formatKeyId, KEY_ID_PATTERN, parseKeyId } from '../formats/sealed-token.ts';
import { gcmDecrypt, gcmEncrypt, hkdf, randomBytes, scryptAsync } from '../internal/backend.ts';
import { exactLength, integer, plainObject, string } from '../internal/bytes.ts';
import { keyBytes, type SecretKey } from '../keys/secret-key.ts';
import {
  type KeyMetadata,
  type Keyring,
  type KeyringEntry,
  type KeyringOptions,
  type KeyStatus,
  keyringEntries,
  MAX_LABEL_LENGTH,
  restoreKeyring,
  SEALED_ALGORITHM,
} from './keyring.ts';
import { sealingKey } from './sealed-token.ts';

export const KEYRING_FORMAT = 'coffer-keyring';
export const KEYRING_VERSION = 1;
/** Largest keyring file accepted: 16 MiB. */
export const MAX_KEYRING_FILE = 16 * 1024 * 1024;
/** Most keys in one keyring file. */
export const MAX_KEYRING_KEYS = 10_000;
/**
 * scrypt parameters accepted from a file: n in [2^14, 2^20], r in [1, 32], p in [1, 4], and scrypt's
 * memory, 128·n·r bytes, at most 1 GiB (n = 2^20 with r = 32 alone would be 4 GiB).
 */
export const KEYRING_SCRYPT_BOUNDS = {
  minN: 2 ** 14,
  maxN: 2 ** 20,
  maxR: 32,
  maxP: 4,
  maxMemory: 2 ** 30,
} as const;
/** Default scrypt parameters when saving under a passphrase (about 0.3 s, 128 MiB). */
export const KEYRING_SCRYPT_DEFAULT = { n: 2 ** 17, r: 8, p: 1 } as const;

/** How a saved keyring is protected. */
export type KeyringProtection =
  | { passphrase: string; scrypt?: { n?: number; r?: number; p?: number } }
  | { kek: Uint8Array | SecretKey; kekId?: string };

/** How to unlock a saved keyring: the same passphrase or key-encryption key. */
export type KeyringUnlock = { passphrase: string } | { kek: Uint8Array | SecretKey };

type Protection =
  | { method: 'scrypt'; salt: string; n: number; r: number; p: number }
  | { method: 'kek'; salt: string; kekId?: string };

interface FileMeta {
  format: typeof KEYRING_FORMAT;
  version: typeof KEYRING_VERSION;
  protection: Protection;
  keys: KeyMetadata[];
}

const STATUSES: readonly KeyStatus[] = ['primary', 'active', 'disabled', 'retired'];
const WRAP_INFO = new TextEncoder().encode('coffer/v1/keyring-wrap');

function has(o: object, k: string): boolean {
  return Object.hasOwn(o, k);
}

function onlyKeys(where: string, o: Record<string, unknown>, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k))
      throw new DecodeError(`keyring file: unexpected field ${JSON.stringify(k)} in ${where}`);
  }
}

function field<T>(
  where: string,
  o: Record<string, unknown>,
  k: string,
  check: (v: unknown) => v is T,
  what: string,
): T {
  const v = o[k];
  if (!check(v)) throw new DecodeError(`keyring file: ${where}.${k} must be ${what}`);
  return v;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
// Exactly what Date#toISOString writes for the years 0 to 9999, as Keyring records it: one spelling per
// instant, because list() orders keys by comparing these strings and hands them out as ISO 8601.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
// The pattern alone lets through 2026-02-30, which Date.parse reads as March 2: the round trip refuses it.
const isIsoTime = (v: unknown): v is string =>
  isString(v) && ISO_TIME.test(v) && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v;

// The canonical bytes bound as associated data: rebuilt from validated fields in a fixed order, so
// the file's own whitespace and key order do not matter but every value does.
function canonical(meta: FileMeta): Uint8Array {
  const p = meta.protection;
  const protection =
    p.method === 'scrypt'
      ? { method: p.method, salt: p.salt, n: p.n, r: p.r, p: p.p }
      : { method: p.method, salt: p.salt, ...(p.kekId === undefined ? {} : { kekId: p.kekId }) };
  const keys = meta.keys.map((k) => ({
    id: k.id,
    label: k.label,
    algorithm: k.algorithm,
    created: k.created,
    status: k.status,
  }));
  return new TextEncoder().encode(
    JSON.stringify({ format: meta.format, version: meta.version, protection, keys }),
  );
}

function parseMeta(text: unknown): { meta: FileMeta; nonce: Uint8Array; sealed: Uint8Array } {
  string('text', text);
  const t = text as string;
  if (t.length > MAX_KEYRING_FILE)
    throw new DecodeError(`keyring file is larger than ${MAX_KEYRING_FILE} bytes`);
  let doc: unknown;
  try {
    doc = JSON.parse(t);
  } catch {
    throw new DecodeError('keyring file is not valid JSON');
  }
  if (!isObject(doc)) throw new DecodeError('keyring file must be a JSON object');
  onlyKeys('the file', doc, ['format', 'version', 'protection', 'keys', 'nonce', 'sealed']);
  if (doc.format !== KEYRING_FORMAT)
    throw new DecodeError(`keyring file: "format" must be "${KEYRING_FORMAT}"`);
  if (doc.version !== KEYRING_VERSION)
    throw new DecodeError(`keyring file: unsupported version ${JSON.stringify(doc.version)}`);
  const prot = field('file', doc, 'protection', isObject, 'an object');
  const method = field('protection', prot, 'method', isString, 'a string');
  const salt = field('protection', prot, 'salt', isString, 'a string');
  b64(salt, 'protection.salt', 16);
  let protection: Protection;
  if (method === 'scrypt') {
    onlyKeys('protection', prot, ['method', 'salt', 'n', 'r', 'p']);
    const n = field('protection', prot, 'n', isInt, 'an integer');
    const r = field('protection', prot, 'r', isInt, 'an integer');
    const p = field('protection', prot, 'p', isInt, 'an integer');
    const B = KEYRING_SCRYPT_BOUNDS;
    if (n < B.minN || n > B.maxN || (n & (n - 1)) !== 0) {
      throw new DecodeError(
        `keyring file: scrypt n must be a power of 2 in [${B.minN}, ${B.maxN}], got ${n}`,
      );
    }
    if (r < 1 || r > B.maxR)
      throw new DecodeError(`keyring file: scrypt r must be in [1, ${B.maxR}], got ${r}`);
    if (p < 1 || p > B.maxP)
      throw new DecodeError(`keyring file: scrypt p must be in [1, ${B.maxP}], got ${p}`);
    if (128 * n * r > B.maxMemory)
      throw new DecodeError(`keyring file: scrypt n * r must be at most ${B.maxMemory / 128}, got ${n * r}`);
    protection = { method, salt, n, r, p };
  } else if (method === 'kek') {
    onlyKeys('protection', prot, ['method', 'salt', 'kekId']);
    const kekId =
      prot.kekId === undefined ? undefined : field('protection', prot, 'kekId', isString, 'a string');
    protection = { method, salt, ...(kekId === undefined ? {} : { kekId }) };
  } else throw new DecodeError(`keyring file: unknown protection method ${JSON.stringify(method)}`);
  const keys = parseKeys(doc.keys);
  const nonce = b64(field('file', doc, 'nonce', isString, 'a string'), 'nonce', 12);
  const sealed = b64(field('file', doc, 'sealed', isString, 'a string'), 'sealed');
  if (sealed.length < 16) throw new DecodeError('keyring file: "sealed" is too short');
  return { meta: { format: KEYRING_FORMAT, version: KEYRING_VERSION, protection, keys }, nonce, sealed };
}

function parseKeys(rawKeys: unknown): KeyMetadata[] {
  if (!Array.isArray(rawKeys) || rawKeys.length === 0 || rawKeys.length > MAX_KEYRING_KEYS) {
    throw new DecodeError(`keyring file: "keys" must be a list of 1 to ${MAX_KEYRING_KEYS} keys`);
  }
  const seen = new Set<string>();
  let primaries = 0;
  const keys = rawKeys.map((k, i): KeyMetadata => {
    const where = `keys[${i}]`;
    if (!isObject(k)) throw new DecodeError(`keyring file: ${where} must be an object`);
    onlyKeys(where, k, ['id', 'label', 'algorithm', 'created', 'status']);
    const id = field(
      where,
      k,
      'id',
      (v): v is string => isString(v) && KEY_ID_PATTERN.test(v),
      '8 lowercase hex digits',
    );
    if (seen.has(id)) throw new DecodeError(`keyring file: key id ${id} appears twice`);
    seen.add(id);
    const label = field(
      where,
      k,
      'label',
      (v): v is string => isString(v) && v.length <= MAX_LABEL_LENGTH,
      'a short string',
    );
    const algorithm = field(
      where,
      k,
      'algorithm',
      (v): v is string => v === SEALED_ALGORITHM,
      `"${SEALED_ALGORITHM}"`,
    );
    const created = field(
      where,
      k,
      'created',
      isIsoTime,
      'an ISO 8601 UTC time as Date#toISOString writes it (2026-01-31T12:00:00.000Z)',
    );
    const status = field(
      where,
      k,
      'status',
      (v): v is KeyStatus => STATUSES.includes(v as KeyStatus),
      'a key status',
    );
    if (status === 'primary') primaries++;
    return { id, label, algorithm, created, status };
  });
  if (primaries !== 1)
    throw new DecodeError(`keyring file: exactly one key must be primary, found ${primaries}`);
  return keys;
}

function b64(text: string, name: string, length?: number): Uint8Array {
  let out: Uint8Array;
  try {
    out = base64urlDecode(text, { padding: 'none' });
  } catch {
    throw new DecodeError(`keyring file: "${name}" must be unpadded base64url`);
  }
  if (length !== undefined && out.length !== length) {
    throw new DecodeError(`keyring file: "${name}" must be ${length} bytes, got ${out.length}`);
  }
  return out;
}

async function wrappingKey(protection: Protection, unlock: unknown): Promise<Uint8Array> {
  const u = plainObject('unlock', unlock);
  const salt = base64urlDecode(protection.salt, { padding: 'none' });
  if (protection.method === 'scrypt') {
    if (!has(u, 'passphrase'))
      throw new TypeError('"unlock" must have "passphrase": this keyring is protected by a passphrase');
    const pass = new TextEncoder().encode(string('passphrase', u.passphrase).normalize('NFC'));
    const { n, r, p } = protection;
    return new Uint8Array(
      await scryptAsync(pass, salt, 32, { n, r, p, maxmem: 128 * r * (n + p + 2) + 2 ** 20 }),
    );
  }
  if (!has(u, 'kek'))
    throw new TypeError('"unlock" must have "kek": this keyring is protected by a key-encryption key');
  const kek = exactLength('kek', keyBytes('kek', u.kek), 32);
  return hkdf('sha256', kek, salt, WRAP_INFO, 32);
}

/** Saves a keyring, encrypted. */
export async function saveKeyring(keyring: Keyring, protection: KeyringProtection): Promise<string> {
  const p = plainObject('protection', protection);
  const salt = base64urlEncode(randomBytes(16));
  let prot: Protection;
  if (has(p, 'passphrase')) {
    const pass = string('protection.passphrase', p.passphrase);
    if (pass.length === 0) throw new RangeError('"protection.passphrase" must not be empty');
    const s = p.scrypt === undefined ? {} : plainObject('protection.scrypt', p.scrypt);
    const B = KEYRING_SCRYPT_BOUNDS;
    const n =
      s.n === undefined ? KEYRING_SCRYPT_DEFAULT.n : integer('protection.scrypt.n', s.n, B.minN, B.maxN);
    if ((n & (n - 1)) !== 0) throw new RangeError(`"protection.scrypt.n" must be a power of 2, got ${n}`);
    const r = s.r === undefined ? KEYRING_SCRYPT_DEFAULT.r : integer('protection.scrypt.r', s.r, 1, B.maxR);
    const pp = s.p === undefined ? KEYRING_SCRYPT_DEFAULT.p : integer('protection.scrypt.p', s.p, 1, B.maxP);
    if (128 * n * r > B.maxMemory) {
      throw new RangeError(
        `"protection.scrypt" n * r must be at most ${B.maxMemory / 128} (1 GiB of memory), got ${n * r}`,
      );
    }
    prot = { method: 'scrypt', salt, n, r, p: pp };
  } else if (has(p, 'kek')) {
    exactLength('protection.kek', keyBytes('protection.kek', p.kek), 32);
    const kekId = p.kekId === undefined ? undefined : string('protection.kekId', p.kekId);
    prot = { method: 'kek', salt, ...(kekId === undefined ? {} : { kekId }) };
  } else throw new TypeError('"protection" must have "passphrase" or "kek"');
  const entries = keyringEntries(keyring);
  const meta: FileMeta = {
    format: KEYRING_FORMAT,
    version: KEYRING_VERSION,
    protection: prot,
    keys: keyring.list(),
  };
  const secrets: Record<string, string> = {};
  for (const e of entries) if (e.material !== null) secrets[e.idText] = base64urlEncode(e.material);
  const plaintext = new TextEncoder().encode(JSON.stringify({ keys: secrets }));
  const key = await wrappingKey(prot, has(p, 'passphrase') ? { passphrase: p.passphrase } : { kek: p.kek });
  const nonce = randomBytes(12);
  const [ct, tag] = gcmEncrypt('aes-256-gcm', key, nonce, plaintext, canonical(meta));
  key.fill(0);
  plaintext.fill(0);
  const doc = { ...meta, nonce: base64urlEncode(nonce), sealed: base64urlEncode(Buffer.concat([ct, tag])) };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Reads a saved keyring's metadata without unlocking it. */
export function inspectKeyring(text: string): {
  keys: KeyMetadata[];
  protection: { method: 'scrypt' | 'kek'; kekId?: string };
} {
  const { meta } = parseMeta(text);
  const p = meta.protection;
  return {
    keys: meta.keys,
    protection: {
      method: p.method,
      ...(p.method === 'kek' && p.kekId !== undefined ? { kekId: p.kekId } : {}),
    },
  };
}

/** Unlocks a saved keyring. */
export async function loadKeyring(
  text: string,
  unlock: KeyringUnlock,
  options: KeyringOptions = {},
): Promise<Keyring> {
  const { meta, nonce, sealed } = parseMeta(text);
  const key = await wrappingKey(meta.protection, unlock);
  const pt = gcmDecrypt(
    'aes-256-gcm',
    key,
    nonce,
    sealed.subarray(0, sealed.length - 16),
    sealed.subarray(sealed.length - 16),
    canonical(meta),
  );
  key.fill(0);
  if (pt === null) {
    throw new KeyringError(
      'keyring could not be unlocked: wrong passphrase or key-encryption key, or the file was modified',
    );
  }
  const secrets = decodeSecrets(pt);
  pt.fill(0);
  return restoreKeyring(entriesFrom(meta.keys, secrets), options);
}

function decodeSecrets(pt: Uint8Array): Map<string, Uint8Array> {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(pt));
  } catch {
    throw new DecodeError('keyring secrets are not valid JSON');
  }
  if (!isObject(doc) || !isObject(doc.keys)) throw new DecodeError('keyring secrets are malformed');
  const out = new Map<string, Uint8Array>();
  for (const [id, v] of Object.entries(doc.keys)) {
    if (!KEY_ID_PATTERN.test(id) || typeof v !== 'string')
      throw new DecodeError('keyring secrets are malformed');
    out.set(id, b64(v, `secret ${id}`, 32));
  }
  return out;
}

function entriesFrom(keys: readonly KeyMetadata[], secrets: Map<string, Uint8Array>): KeyringEntry[] {
  const entries = keys.map((k): KeyringEntry => {
    const id = parseKeyId(k.id)!;
    const material = secrets.get(k.id) ?? null;
    if (k.status !== 'retired' && material === null)
      throw new DecodeError(`keyring file: key ${k.id} has no key material`);
    if (k.status === 'retired' && material !== null)
      throw new DecodeError(`keyring file: retired key ${k.id} still has key material`);
    secrets.delete(k.id);
    return {
      id,
      idText: formatKeyId(id),
      label: k.label,
      created: k.created,
      status: k.status,
      material,
      sealing: material === null ? null : sealingKey(id, material),
    };
  });
  if (secrets.size > 0) throw new DecodeError('keyring file: key material without metadata');
  return entries;
}

/** Cleartext export for `coffer/hazmat/insecure-export`. */
export function keyringToCleartext(keyring: Keyring): string {
  const secrets: Record<string, string> = {};
  for (const e of keyringEntries(keyring))
    if (e.material !== null) secrets[e.idText] = base64urlEncode(e.material);
  return `${JSON.stringify({ format: `${KEYRING_FORMAT}-cleartext`, version: KEYRING_VERSION, keys: keyring.list(), secrets }, null, 2)}\n`;
}

export function keyringFromCleartext(text: string, options: KeyringOptions = {}): Keyring {
  string('text', text);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new DecodeError('cleartext keyring is not valid JSON');
  }
  if (
    !isObject(doc) ||
    doc.format !== `${KEYRING_FORMAT}-cleartext` ||
    doc.version !== KEYRING_VERSION ||
    !isObject(doc.secrets)
  ) {
    throw new DecodeError('not a cleartext coffer keyring (version 1)');
  }
  onlyKeys('the cleartext keyring', doc, ['format', 'version', 'keys', 'secrets']);
  const keys = parseKeys(doc.keys);
  const secrets = new Map<string, Uint8Array>();
  for (const [id, v] of Object.entries(doc.secrets)) {
    if (!KEY_ID_PATTERN.test(id) || typeof v !== 'string')
      throw new DecodeError('cleartext keyring: malformed secrets');
    secrets.set(id, b64(v, `secret ${id}`, 32));
  }
  return restoreKeyring(entriesFrom(keys, secrets), options);
}
