// Every public function and constructor, every argument position in turn, against the shared hostile
// list (test/helpers/hostile.ts), with the other arguments valid. Each call must throw (or reject with) a
// labelled TypeError/RangeError from coffer's own validation, or a CofferError: never a bare Error, never
// node's ERR_* escaping, never a silent success.
//
// To cover a new module, add one entry to TARGETS (and its namespace to MODULES): the coverage test at the
// end fails while an exported function or class has no entry.
import assert from 'node:assert/strict';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { types } from 'node:util';
import * as errors from '../src/errors.ts';
import { UnsupportedAlgorithm } from '../src/errors.ts';
import * as encoding from '../src/formats/encoding.ts';
import {
  base64Decode,
  base64Encode,
  base64urlDecode,
  base64urlEncode,
  hexDecode,
  hexEncode,
} from '../src/formats/encoding.ts';
import * as aeadModule from '../src/hazmat/aead.ts';
import {
  AESCCM,
  AESGCM,
  AESGCMSIV,
  AESOCB3,
  AESSIV,
  ChaCha20Poly1305,
  XChaCha20Poly1305,
} from '../src/hazmat/aead.ts';
import * as ciphersModule from '../src/hazmat/ciphers.ts';
import * as cmacModule from '../src/hazmat/cmac.ts';
import { CMAC, cmac, cmacVerify } from '../src/hazmat/cmac.ts';
import * as constantTime from '../src/hazmat/constant-time.ts';
import { bytesEqual } from '../src/hazmat/constant-time.ts';
import * as decrepitModule from '../src/hazmat/decrepit.ts';
import * as hashes from '../src/hazmat/hashes.ts';
import {
  BLAKE2b,
  BLAKE2s,
  Hash,
  HashAlgorithm,
  hash,
  hashFile,
  hashStream,
  MAX_XOF_OUTPUT,
  SHA256,
  SHA512,
  SHAKE128,
  SHAKE256,
} from '../src/hazmat/hashes.ts';
import * as hmacModule from '../src/hazmat/hmac.ts';
import { HMAC, hmac, hmacVerify } from '../src/hazmat/hmac.ts';
import * as insecureExport from '../src/hazmat/insecure-export.ts';
import {
  exportAgeIdentity,
  exportKeyringCleartext,
  exportSecretKeyBytes,
  importKeyringCleartext,
} from '../src/hazmat/insecure-export.ts';
import * as kdf from '../src/hazmat/kdf.ts';
import {
  ConcatKDFHash,
  ConcatKDFHMAC,
  CounterLocation,
  HKDF,
  HKDFExpand,
  KBKDFHMAC,
  MAX_KDF_OUTPUT,
  MAX_PBKDF2_ITERATIONS,
  Mode,
  PBKDF2HMAC,
  Scrypt,
  X963KDF,
} from '../src/hazmat/kdf.ts';
import * as keywrap from '../src/hazmat/keywrap.ts';
import {
  aesKeyUnwrap,
  aesKeyUnwrapWithPadding,
  aesKeyWrap,
  aesKeyWrapWithPadding,
  MAX_KEY_WRAP_BYTES,
} from '../src/hazmat/keywrap.ts';
import * as paddingModule from '../src/hazmat/padding.ts';
import * as poly1305Module from '../src/hazmat/poly1305.ts';
import { Poly1305 } from '../src/hazmat/poly1305.ts';
import * as random from '../src/hazmat/random.ts';
import { MAX_RANDOM_BYTES, randomBytes, randomToken } from '../src/hazmat/random.ts';
import * as root from '../src/index.ts';
import { hasCipher } from '../src/internal/backend-aead.ts';
import * as keys from '../src/keys/index.ts';
import { SECRET_KEY_MAX_BYTES, SecretKey } from '../src/keys/secret-key.ts';
import { generateX25519Identity } from '../src/recipes/age.ts';
import { Fernet, MultiFernet } from '../src/recipes/fernet.ts';
import { Keyring, MAX_CONTEXT_BYTES, MAX_LABEL_LENGTH } from '../src/recipes/keyring.ts';
import {
  expectTypedRejection,
  hostileBytes,
  hostileBytesLike,
  hostileInstances,
  hostileIntegers,
  hostileObjects,
  hostileStrings,
  hugeLengths,
  integerKind,
  SECRET_MARKER as SECRET_MARKER_TEXT,
} from './helpers/hostile.ts';
import {
  type Arg,
  algorithmParam,
  bytesLikeParam,
  bytesParam,
  type Case,
  checkCoverage,
  cofferCase,
  decodeCase,
  enumParam,
  intParam,
  keyParam,
  optionsArg,
  type Param,
  rangeCase,
  runTargets,
  secretKeyParam,
  stringParam,
  type Target,
  tokenCase,
  type,
  typeCase,
} from './helpers/hostile-table.ts';

// ---------------------------------------------------------------------------------------------------
// Valid values.

const sha = () => new SHA256();
const bytes16 = () => new Uint8Array(16).fill(1);
const thisFile = fileURLToPath(import.meta.url);

const hmacTag = hmac(new SHA256(), bytes16(), 'data');
const paddingOptions = (): Record<string, unknown> => ({ padding: 'optional' });
const paddingField = {
  padding: enumParam('padding', ['', 'NONE', 'Required', 'yes', '='], { optional: true }),
};

// ---------------------------------------------------------------------------------------------------
// KDF entries: the constructor's options (each field), derive, verify, and the async pair where present.

interface KdfSpec {
  readonly name: string;
  readonly make: (options: Record<string, unknown>) => kdf.HKDF | kdf.PBKDF2HMAC;
  readonly options: () => Record<string, unknown>;
  readonly fields: Record<string, Param>;
  /** Password KDFs take bytes or strings; the others bytes or a SecretKey. */
  readonly password: boolean;
  readonly covers: string;
}

const lengthExtras = (max: number): Case[] => [rangeCase('0', 0), rangeCase(`${max} + 1`, max + 1)];

const KDFS: readonly KdfSpec[] = [
  {
    name: 'HKDF',
    covers: 'kdf:HKDF',
    make: (o) => new HKDF(o as never),
    options: () => ({ algorithm: sha(), length: 32, salt: bytes16(), info: 'coffer/v1/test' }),
    fields: {
      algorithm: algorithmParam('algorithm', { xofAllowed: false }),
      length: intParam('length', lengthExtras(255 * 32)),
      salt: bytesParam('salt', { nullable: true }),
      info: bytesLikeParam('info', { nullable: true }),
    },
    password: false,
  },
  {
    name: 'HKDFExpand',
    covers: 'kdf:HKDFExpand',
    make: (o) => new HKDFExpand(o as never) as never,
    options: () => ({ algorithm: sha(), length: 32, info: bytes16() }),
    fields: {
      algorithm: algorithmParam('algorithm', { xofAllowed: false }),
      length: intParam('length', lengthExtras(255 * 32)),
      info: bytesLikeParam('info', { nullable: true }),
    },
    password: false,
  },
  {
    name: 'PBKDF2HMAC',
    covers: 'kdf:PBKDF2HMAC',
    make: (o) => new PBKDF2HMAC(o as never),
    options: () => ({ algorithm: sha(), length: 32, salt: bytes16(), iterations: 2 }),
    fields: {
      algorithm: algorithmParam('algorithm', { xofAllowed: false }),
      length: intParam('length', lengthExtras(MAX_KDF_OUTPUT)),
      salt: bytesParam('salt'),
      iterations: intParam('iterations', [rangeCase('0', 0), rangeCase('2**31', MAX_PBKDF2_ITERATIONS + 1)]),
    },
    password: true,
  },
  {
    name: 'Scrypt',
    covers: 'kdf:Scrypt',
    make: (o) => new Scrypt(o as never) as never,
    options: () => ({ salt: bytes16(), length: 32, n: 16, r: 1, p: 1, maxMemory: 1 << 20 }),
    fields: {
      salt: bytesParam('salt'),
      length: intParam('length', lengthExtras(MAX_KDF_OUTPUT)),
      // A huge but valid power of two trips the memory ceiling instead: still a labelled RangeError.
      n: intParam('n', [rangeCase('0', 0), rangeCase('1', 1), rangeCase('3', 3), rangeCase('1000', 1000)], {
        label: ['n', 'maxMemory'],
      }),
      r: intParam('r', [rangeCase('0', 0), rangeCase('2**30 + 1', 2 ** 30 + 1)], {
        label: ['r', 'p', 'maxMemory'],
      }),
      p: intParam('p', [rangeCase('0', 0), rangeCase('2**30 + 1', 2 ** 30 + 1)], {
        label: ['p', 'maxMemory'],
      }),
      // Lengths such as 2**31 are valid ceilings, so only the always-wrong integers and the very large.
      maxMemory: intParam(
        'maxMemory',
        [
          rangeCase('0', 0),
          rangeCase('1 (below the need)', 1),
          rangeCase('2**48 + 1', 2 ** 48 + 1),
          ...hugeLengths.filter((x) => (x.value as number) > 2 ** 48),
        ],
        { huge: false, optional: true },
      ),
    },
    password: true,
  },
  {
    name: 'ConcatKDFHash',
    covers: 'kdf:ConcatKDFHash',
    make: (o) => new ConcatKDFHash(o as never) as never,
    options: () => ({ algorithm: sha(), length: 32, otherInfo: bytes16() }),
    fields: {
      algorithm: algorithmParam('algorithm', { xofAllowed: false }),
      length: intParam('length', lengthExtras(MAX_KDF_OUTPUT)),
      otherInfo: bytesParam('otherInfo', { nullable: true }),
    },
    password: false,
  },
  {
    name: 'ConcatKDFHMAC',
    covers: 'kdf:ConcatKDFHMAC',
    make: (o) => new ConcatKDFHMAC(o as never) as never,
    options: () => ({ algorithm: sha(), length: 32, otherInfo: bytes16(), salt: bytes16() }),
    fields: {
      algorithm: algorithmParam('algorithm', { xofAllowed: false }),
      length: intParam('length', lengthExtras(MAX_KDF_OUTPUT)),
      otherInfo: bytesParam('otherInfo', { nullable: true }),
      salt: bytesParam('salt', { nullable: true }),
    },
    password: false,
  },
  {
    name: 'X963KDF',
    covers: 'kdf:X963KDF',
    make: (o) => new X963KDF(o as never) as never,
    options: () => ({ algorithm: sha(), length: 32, sharedInfo: bytes16() }),
    fields: {
      algorithm: algorithmParam('algorithm', { xofAllowed: false }),
      length: intParam('length', lengthExtras(MAX_KDF_OUTPUT)),
      sharedInfo: bytesParam('sharedInfo', { nullable: true }),
    },
    password: false,
  },
  {
    // label ‖ 0x00 ‖ context ‖ L is 3 + 1 + 3 + 4 = 11 bytes; the counter goes in the middle.
    name: 'KBKDFHMAC (label/context, MiddleFixed)',
    covers: 'kdf:KBKDFHMAC',
    make: (o) => new KBKDFHMAC(o as never) as never,
    options: () => ({
      algorithm: sha(),
      mode: Mode.CounterMode,
      length: 32,
      rlen: 4,
      llen: 4,
      location: CounterLocation.MiddleFixed,
      label: new Uint8Array([1, 2, 3]),
      context: new Uint8Array([4, 5, 6]),
      breakLocation: 1,
    }),
    fields: {
      algorithm: algorithmParam('algorithm', { xofAllowed: false }),
      mode: enumParam('mode', ['Counter', 'counter_mode', 'CounterMode', '']),
      length: intParam('length', lengthExtras(MAX_KDF_OUTPUT)),
      rlen: intParam('rlen', [rangeCase('0', 0), rangeCase('5', 5)]),
      llen: intParam('llen', [rangeCase('0', 0), rangeCase('5', 5), rangeCase('1 (256 bits do not fit)', 1)]),
      location: enumParam('location', ['before', 'BeforeFixed', 'middle', '']),
      label: bytesParam('label', { nullable: true }),
      context: bytesParam('context', { nullable: true }),
      breakLocation: intParam('breakLocation', [rangeCase('12 (past the fixed input)', 12)]),
    },
    password: false,
  },
  {
    name: 'KBKDFHMAC (fixed, BeforeFixed)',
    covers: 'kdf:KBKDFHMAC',
    make: (o) => new KBKDFHMAC(o as never) as never,
    options: () => ({
      algorithm: sha(),
      mode: Mode.CounterMode,
      length: 32,
      rlen: 1,
      llen: null,
      location: CounterLocation.BeforeFixed,
      fixed: bytes16(),
    }),
    fields: {
      rlen: intParam('rlen', [rangeCase('0', 0), rangeCase('5', 5)]),
      length: intParam('length', lengthExtras(255 * 32)),
      // Without `fixed` the construction needs `llen`, which is null here: either name may be quoted.
      fixed: bytesParam('fixed', { label: ['fixed', 'llen'] }),
      llen: intParam('llen', [rangeCase('0', 0), rangeCase('5', 5)], { nullable: true }),
      label: bytesParam('label', { nullable: true }, [typeCase('bytes alongside "fixed"', bytes16())]),
      context: bytesParam('context', { nullable: true }, [typeCase('bytes alongside "fixed"', bytes16())]),
      // Only MiddleFixed takes a break location: any value at all is a mistake here.
      breakLocation: {
        name: 'breakLocation',
        cases: [...hostileIntegers, typeCase('0', 0)],
        kind: type,
        nullable: true,
      },
    },
    password: false,
  },
];

function kdfTargets(spec: KdfSpec): Target[] {
  const material = spec.password ? bytesLikeParam('keyMaterial') : keyParam('keyMaterial');
  const validMaterial = () => (spec.password ? 'password' : bytes16());
  const expected = () => spec.make(spec.options()).derive(validMaterial() as never);
  const out: Target[] = [
    {
      name: `${spec.name} constructor`,
      covers: [spec.covers],
      args: [optionsArg(spec.options, spec.fields)],
      call: (o) => spec.make(o as Record<string, unknown>),
    },
    {
      name: `${spec.name}#derive`,
      covers: [],
      args: [{ ...material, valid: validMaterial }],
      call: (m) => spec.make(spec.options()).derive(m as never),
    },
    {
      name: `${spec.name}#verify`,
      covers: [],
      args: [
        { ...material, valid: validMaterial },
        { ...bytesParam('expectedKey'), valid: expected },
      ],
      call: (m, e) => spec.make(spec.options()).verify(m as never, e as never),
    },
  ];
  if (spec.password) {
    const make = () => spec.make(spec.options()) as kdf.PBKDF2HMAC;
    out.push(
      {
        name: `${spec.name}#deriveAsync`,
        covers: [],
        args: [{ ...material, valid: validMaterial }],
        call: (m) => make().deriveAsync(m as never),
      },
      {
        name: `${spec.name}#verifyAsync`,
        covers: [],
        args: [
          { ...material, valid: validMaterial },
          { ...bytesParam('expectedKey'), valid: expected },
        ],
        call: (m, e) => make().verifyAsync(m as never, e as never),
      },
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Recipes: Keyring, its storage and cleartext export, Fernet and MultiFernet.

const bytes32 = () => new Uint8Array(32).fill(3);
const fixedClock = () => new Date('2026-01-01T00:00:00.000Z');

/** True for the plain objects a context may be; the table tries their field values one by one instead. */
function plainRecord(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || types.isProxy(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// A keyring with a key in every state, kept as cleartext so that each call starts from a fresh copy
// with the same, known ids.
const fixtureText = (() => {
  const k = Keyring.generate({ label: 'primary', clock: fixedClock });
  k.add({ label: 'active' });
  k.disable(k.add({ label: 'disabled' }).id);
  k.retire(k.add({ label: 'retired' }).id);
  return exportKeyringCleartext(k);
})();
const fixture = () => importKeyringCleartext(fixtureText);
const KEY = Object.fromEntries(
  fixture()
    .list()
    .map((k) => [k.label, k.id]),
) as Record<'primary' | 'active' | 'disabled' | 'retired', string>;
const unknownKeyId = ['0badf00d', '0badf00e'].find((id) => !Object.values(KEY).includes(id))!;

// A keyring whose tokens sit under an active key (so reseal re-encrypts) and a disabled one.
const CONTEXT = { table: 'users', column: 'email', id: '42' };
const sealOptions = () => ({ context: { ...CONTEXT } });
const ring = Keyring.generate({ label: 'disabled' });
const disabledToken = ring.seal('x', { context: CONTEXT });
const disabledKey = ring.primaryKeyId;
ring.rotate({ label: 'active' });
const activeToken = ring.seal('ada@example.com', { context: CONTEXT });
const activeTokenBytes = ring.sealToBytes('ada@example.com', { context: CONTEXT });
const binaryPlaintextToken = ring.seal(Uint8Array.of(0xff, 0xfe), { context: CONTEXT });
ring.rotate({ label: 'primary' });
ring.disable(disabledKey);

function flipLast(token: Uint8Array): Uint8Array {
  const out = Uint8Array.from(token);
  out[out.length - 1]! ^= 1;
  return out;
}

/** Not a sealed token: wrong types (TypeError), then text and bytes that do not parse (InvalidToken). */
const malformedSealedTokens: readonly Case[] = [
  ...hostileBytesLike,
  tokenCase('empty string', ''),
  tokenCase('secret-looking string', SECRET_MARKER_TEXT),
  tokenCase('"AAAA"', 'AAAA'),
  tokenCase('NUL', '\u0000'),
  tokenCase('lone surrogate', '\uD800'),
  tokenCase('padded base64url', `${activeToken}=`),
  tokenCase('standard base64 (padded)', Buffer.from(activeTokenBytes).toString('base64')),
  tokenCase('empty Uint8Array', new Uint8Array(0)),
  tokenCase('32 zero bytes', new Uint8Array(32)),
  tokenCase('a Fernet token', new Fernet(Fernet.generateKey()).encrypt('x')),
];
/** Sealed tokens that parse but must not open here. */
const unopenableSealedTokens: readonly Case[] = [
  ...malformedSealedTokens,
  tokenCase('truncated by one byte', activeTokenBytes.subarray(0, activeTokenBytes.length - 1)),
  tokenCase('last bit flipped', flipLast(activeTokenBytes)),
  tokenCase('sealed under another context', ring.seal('x', { context: { other: 'context' } })),
  cofferCase('ERR_KEY_NOT_FOUND', 'from another keyring', Keyring.generate().seal('x', { context: CONTEXT })),
  cofferCase('ERR_KEY_DISABLED', 'under a disabled key', disabledToken),
];
const sealedTokenParam = (extra: readonly Case[] = []): Param => ({
  name: 'token',
  cases: [...unopenableSealedTokens, ...extra],
  kind: type,
});

/** `options.context`: not a plain object, or one whose content cannot be bound. */
const contextParam: Param = {
  name: 'options.context',
  cases: [
    ...hostileBytes.filter((x) => !plainRecord(x.value)),
    typeCase(
      'class instance with an id',
      new (class Row {
        id = '42';
      })(),
    ),
    typeCase('Map of strings', new Map([['id', '42']])),
    typeCase('lone surrogate in a value', { id: '\uD800' }),
    typeCase('lone surrogate in a name', { '\uDC00': '42' }),
    rangeCase('over 64 KiB encoded', { id: 'x'.repeat(MAX_CONTEXT_BYTES) }),
  ],
  kind: type,
};
const sealOptionsArg = (): Arg =>
  optionsArg(sealOptions, {
    context: contextParam,
    'context.id': stringParam('options.context.id'),
  });

const labelParam = (): Param => ({
  ...stringParam('label', { optional: true }),
  cases: [
    ...hostileStrings,
    rangeCase(`${MAX_LABEL_LENGTH + 1} characters`, 'x'.repeat(MAX_LABEL_LENGTH + 1)),
  ],
});
/** Not a function and not a logger with info() and warn(). */
const auditParam: Param = {
  name: 'options.audit',
  cases: [
    ...hostileBytes.filter((x) => typeof x.value !== 'function'),
    typeCase('{info} without warn', { info() {} }),
    typeCase('{warn} without info', { warn() {} }),
    typeCase('{info: 1, warn: 2}', { info: 1, warn: 2 }),
  ],
  kind: type,
  optional: true,
};
/**
 * Not a function; where the clock is read at once (generate), also a function that returns no valid
 * Date, or one outside the years a keyring file can record. That message names it `"clock"`.
 */
function clockParam({ called }: { called: boolean }): Param {
  const returns = called
    ? [
        typeCase('() => null', () => null),
        typeCase('() => Date.now()', () => Date.now()),
        typeCase('() => an ISO string', () => '2026-01-01T00:00:00.000Z'),
        typeCase('() => Invalid Date', () => new Date(Number.NaN)),
        rangeCase('() => year 10000', () => new Date(Date.UTC(10_000, 0, 1))),
        rangeCase('() => year -1', () => new Date(Date.UTC(-1, 0, 1))),
      ]
    : [];
  return {
    name: 'options.clock',
    label: ['options.clock', 'clock'],
    cases: [...hostileBytes.filter((x) => typeof x.value !== 'function'), ...returns],
    kind: type,
    optional: true,
  };
}
const keyringOptions = () => ({ audit: () => {}, clock: fixedClock });

/** A key id: not a string or not an id (TypeError), or a well-formed id the call refuses (CofferError). */
function idParam(stateErrors: readonly Case[]): Param {
  return {
    name: 'id',
    cases: [
      ...hostileStrings,
      typeCase('empty string', ''),
      typeCase('secret-looking string', SECRET_MARKER_TEXT),
      typeCase('uppercase hex', 'DEADBEEF'),
      typeCase('9 hex digits', '0deadbeef'),
      typeCase('7 hex digits', 'deadbee'),
      cofferCase('ERR_KEY_NOT_FOUND', 'an unknown id', unknownKeyId),
      ...stateErrors,
    ],
    kind: type,
  };
}
const stateError = (state: keyof typeof KEY): Case =>
  cofferCase('ERR_KEYRING', `the ${state} key`, KEY[state]);

// Saved keyrings: scrypt at its smallest file cost (n = 2^14, r = 1), so a wrong passphrase is cheap.
const PASSPHRASE = 'passphrase for the hostile table';
const FAST_SCRYPT = { n: 2 ** 14, r: 1, p: 1 };
const KEK = bytes32();
const passFile = await fixture().save({ passphrase: PASSPHRASE, scrypt: FAST_SCRYPT });
const kekFile = await fixture().save({ kek: KEK, kekId: 'kms/key-1' });
function editFile(text: string, edit: (doc: Record<string, unknown>) => void): string {
  const doc = JSON.parse(text) as Record<string, unknown>;
  edit(doc);
  return JSON.stringify(doc);
}
const firstKey = (doc: Record<string, unknown>) => (doc.keys as Array<Record<string, unknown>>)[0]!;

/** Keyring file text: not a string (TypeError), not a well-formed file (DecodeError). */
function keyringTextParam(file: string, unlockable: boolean): Param {
  return {
    name: 'text',
    cases: [
      ...hostileStrings,
      decodeCase('empty string', ''),
      decodeCase('secret-looking string', SECRET_MARKER_TEXT),
      decodeCase('"null"', 'null'),
      decodeCase('"[]"', '[]'),
      decodeCase('"{}"', '{}'),
      decodeCase('truncated', file.slice(0, file.length / 2)),
      decodeCase('cleartext keyring', fixtureText),
      decodeCase(
        'unknown top-level field',
        editFile(file, (d) => Object.assign(d, { extra: 1 })),
      ),
      decodeCase(
        'unknown version',
        editFile(file, (d) => Object.assign(d, { version: 2 })),
      ),
      decodeCase(
        'created not in toISOString form',
        editFile(file, (d) => Object.assign(firstKey(d), { created: '2026-01-01' })),
      ),
      decodeCase(
        'no primary key',
        editFile(file, (d) => Object.assign(firstKey(d), { status: 'active' })),
      ),
      ...(unlockable
        ? [
            cofferCase(
              'ERR_KEYRING',
              'a label edited',
              editFile(file, (d) => Object.assign(firstKey(d), { label: 'edited' })),
            ),
          ]
        : []),
    ],
    kind: type,
  };
}

/** Cleartext keyring text: not a string (TypeError), not a cleartext keyring (DecodeError). */
const cleartextParam: Param = {
  name: 'text',
  cases: [
    ...hostileStrings,
    decodeCase('empty string', ''),
    decodeCase('secret-looking string', SECRET_MARKER_TEXT),
    decodeCase('"{}"', '{}'),
    decodeCase('an encrypted keyring file', kekFile),
    decodeCase(
      'unknown top-level field',
      editFile(fixtureText, (d) => Object.assign(d, { extra: 1 })),
    ),
    decodeCase(
      'created not in toISOString form',
      editFile(fixtureText, (d) => Object.assign(firstKey(d), { created: 'Thu, 01 Jan 2026 00:00:00 GMT' })),
    ),
    decodeCase(
      'created on 2026-02-30',
      editFile(fixtureText, (d) => Object.assign(firstKey(d), { created: '2026-02-30T00:00:00.000Z' })),
    ),
    decodeCase(
      'a secret without metadata',
      editFile(fixtureText, (d) =>
        Object.assign(d.secrets as object, { [unknownKeyId]: Buffer.alloc(32).toString('base64url') }),
      ),
    ),
    decodeCase(
      'a secret of 16 bytes',
      editFile(fixtureText, (d) =>
        Object.assign(d.secrets as object, { [KEY.primary]: Buffer.alloc(16).toString('base64url') }),
      ),
    ),
  ],
  kind: type,
};

const notKeyrings: readonly Case[] = [
  ...hostileInstances,
  typeCase('Object.create(Keyring.prototype)', Object.create(Keyring.prototype)),
  typeCase('a Fernet', new Fernet(Fernet.generateKey())),
  typeCase('Keyring.inspect output', Keyring.inspect(kekFile)),
  typeCase('cleartext keyring text', fixtureText),
];

/** Key-encryption keys: not bytes or a SecretKey (TypeError), not 32 bytes (RangeError). */
function kekParam(name: string, wrong: readonly Case[] = []): Param {
  return {
    ...keyParam(name),
    cases: [
      ...keyParam(name).cases,
      rangeCase('16 bytes', new Uint8Array(16)),
      rangeCase('empty Uint8Array', new Uint8Array(0)),
      rangeCase('SecretKey of 16 bytes', SecretKey.generate(16)),
      ...wrong,
    ],
  };
}

// Fernet. Timestamps are non-negative safe integers: 2^31, 2^40 and MAX_SAFE_INTEGER are valid times.
const fernetKey = Fernet.generateKey();
const fernet = new Fernet(fernetKey);
const otherFernet = new Fernet(Fernet.generateKey());
const strangerFernet = new Fernet(Fernet.generateKey());
const nowSeconds = () => Math.floor(Date.now() / 1000);
const secondsParam = (name: string, extra: readonly Case[] = [], optional = false): Param =>
  intParam(name, extra, { huge: false, optional });

/** Not a Fernet token: wrong types (TypeError), then anything this key cannot open (InvalidToken). */
function fernetTokens(extra: readonly Case[] = []): Param {
  const token = fernet.encryptAtTime('x', 1000);
  return {
    name: 'token',
    cases: [
      ...hostileBytesLike,
      tokenCase('empty string', ''),
      tokenCase('secret-looking string', SECRET_MARKER_TEXT),
      tokenCase('"gAAAAA=="', 'gAAAAA=='),
      tokenCase('non-ASCII bytes', Uint8Array.of(0xff, 0xfe, 0xfd, 0xfc)),
      tokenCase('empty Uint8Array', new Uint8Array(0)),
      tokenCase('without its padding', token.replace(/=+$/, '')),
      tokenCase(
        'with a character changed',
        `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`,
      ),
      tokenCase('a "+" in place of the first character', `+${token.slice(1)}`),
      tokenCase('under a key not in use here', strangerFernet.encryptAtTime('x', 1000)),
      tokenCase('a sealed keyring token', activeToken),
      ...extra,
    ],
    kind: type,
  };
}

/** Neither an array nor any iterable of Fernet. An empty iterable is a RangeError. */
const fernetLists: Param = {
  name: 'fernets',
  cases: [
    ...hostileBytes,
    typeCase('a single Fernet', fernet),
    typeCase('array holding Object.create(Fernet.prototype)', [Object.create(Fernet.prototype)]),
    typeCase('[Fernet, null]', [fernet, null]),
    typeCase('array of key strings', [fernetKey]),
    typeCase('array holding a MultiFernet', [new MultiFernet([fernet])]),
    rangeCase('empty Set', new Set()),
  ],
  kind: (v) =>
    (Array.isArray(v) && v.length === 0) || types.isGeneratorObject(v) ? 'RangeError' : 'TypeError',
};
const multi = () => new MultiFernet([otherFernet, fernet]);

// ---------------------------------------------------------------------------------------------------
// Key wrap, CMAC and Poly1305.

/** Not an AES key: not bytes or a SecretKey (TypeError), or not 16, 24 or 32 bytes (RangeError). */
function aesKeyParam(name: string): Param {
  return {
    ...keyParam(name),
    cases: [
      ...keyParam(name).cases,
      rangeCase('empty Uint8Array', new Uint8Array(0)),
      rangeCase('8 bytes', new Uint8Array(8)),
      rangeCase('20 bytes', new Uint8Array(20)),
      rangeCase('33 bytes', new Uint8Array(33)),
      rangeCase('SecretKey of 64 bytes', SecretKey.generate(64)),
    ],
  };
}
const unwrapCase = (label: string, value: unknown): Case => cofferCase('ERR_INVALID_UNWRAP', label, value);
const signatureCase = (label: string, value: unknown): Case =>
  cofferCase('ERR_INVALID_SIGNATURE', label, value);

const wrapKek = bytes16();
const wrappedKey = aesKeyWrap(wrapKek, bytes32());
const paddedWrappedKey = aesKeyWrapWithPadding(wrapKek, new Uint8Array(5).fill(9));

/** A key to wrap: not bytes or a SecretKey (TypeError), or a length the wrap refuses (RangeError). */
function keyToWrapParam(wrongLengths: readonly number[]): Param {
  return {
    ...keyParam('keyToWrap'),
    cases: [
      ...keyParam('keyToWrap').cases,
      ...wrongLengths.map((n) => rangeCase(`${n} bytes`, new Uint8Array(n))),
    ],
  };
}
/** Wrapped input: not bytes (TypeError), or anything this wrapping key did not wrap (InvalidUnwrap). */
function wrappedParam(valid: Uint8Array, shortest: number): Param {
  return bytesParam('wrappedKey', {}, [
    unwrapCase('empty Uint8Array', new Uint8Array(0)),
    unwrapCase('8 bytes', new Uint8Array(8)),
    unwrapCase(`${shortest - 1} bytes`, new Uint8Array(shortest - 1)),
    unwrapCase('25 bytes', new Uint8Array(25)),
    unwrapCase('32 zero bytes', new Uint8Array(32)),
    unwrapCase('last bit flipped', flipLast(valid)),
    unwrapCase('truncated by 8 bytes', valid.subarray(0, valid.length - 8)),
    unwrapCase('the other form of key wrap', valid === wrappedKey ? paddedWrappedKey : wrappedKey),
    unwrapCase('over the size limit', new Uint8Array(MAX_KEY_WRAP_BYTES + 16)),
  ]);
}

const cmacTag = cmac(bytes16(), 'data');
/** A MAC tag: not bytes (TypeError), or not the tag (InvalidSignature, whatever its length). */
function tagParam(name: string, tag: Uint8Array): Param {
  return bytesParam(name, {}, [
    signatureCase('empty Uint8Array', new Uint8Array(0)),
    signatureCase('15 bytes', tag.subarray(0, 15)),
    signatureCase('17 bytes', Uint8Array.of(...tag, 0)),
    signatureCase('last bit flipped', flipLast(tag)),
    signatureCase('32 bytes (an HMAC-SHA256 tag)', hmacTag),
  ]);
}

// Poly1305 keys produce one tag each: calls that tag get a fresh key; `polyKey` has produced its tag.
const polyKey = new Uint8Array(32).fill(5);
const polyTag = Poly1305.generateTag(polyKey, 'data');
const freshPolyKey = () => randomBytes(32);
/** Not a Poly1305 key: not bytes or a SecretKey (TypeError), or not 32 bytes (RangeError). */
function polyKeyParam(extra: readonly Case[] = []): Param {
  return {
    ...keyParam('key'),
    cases: [
      ...keyParam('key').cases,
      rangeCase('empty Uint8Array', new Uint8Array(0)),
      rangeCase('16 bytes', new Uint8Array(16)),
      rangeCase('31 bytes', new Uint8Array(31)),
      rangeCase('33 bytes', new Uint8Array(33)),
      rangeCase('SecretKey of 64 bytes', SecretKey.generate(64)),
      ...extra,
    ],
  };
}

// ---------------------------------------------------------------------------------------------------
// AEADs (coffer/hazmat/aead): for each class its constructor, generateKey, encrypt and decrypt.

const hasOcb = hasCipher('aes-128-ocb');
const aeadTagCase = (label: string, value: unknown): Case => cofferCase('ERR_INVALID_TAG', label, value);

/** Not a key for this AEAD: not bytes or a SecretKey (TypeError), or a size it does not take (RangeError). */
function aeadKeyParam(wrongSizes: readonly number[]): Param {
  return {
    ...keyParam('key'),
    cases: [
      ...keyParam('key').cases,
      ...wrongSizes.map((n) => rangeCase(`${n} bytes`, new Uint8Array(n))),
      rangeCase('SecretKey of 20 bytes', SecretKey.generate(20)),
    ],
  };
}
const aeadNonceParam = (wrongSizes: readonly number[]): Param =>
  bytesParam(
    'nonce',
    {},
    wrongSizes.map((n) => rangeCase(`${n} bytes`, new Uint8Array(n))),
  );
const aeadBitsParam = (wrong: readonly number[]): Param =>
  intParam(
    'bitLength',
    wrong.map((n) => rangeCase(String(n), n)),
    { optional: true },
  );

/** Nonce-taking AEAD classes, as the table sees them. */
interface NonceAead {
  encrypt(nonce: unknown, data: unknown, associatedData?: unknown): Uint8Array;
  decrypt(nonce: unknown, data: unknown, associatedData?: unknown): Uint8Array;
}
interface AeadSpec {
  readonly name: 'AESGCM' | 'ChaCha20Poly1305' | 'AESCCM' | 'AESOCB3' | 'AESGCMSIV' | 'XChaCha20Poly1305';
  readonly make: (key: unknown) => NonceAead;
  readonly keyLength: number;
  readonly wrongKeys: readonly number[];
  readonly nonceLength: number;
  readonly wrongNonces: readonly number[];
  /** generateKey's valid and wrong bit lengths; absent when it takes no argument. */
  readonly bits?: { readonly valid: number; readonly wrong: readonly number[] };
  readonly generateKey: (bits?: unknown) => Uint8Array;
  /** Extra cases for `data`, where the class has a limit of its own. */
  readonly encryptData?: readonly Case[];
  readonly decryptData?: readonly Case[];
}

const AEAD_SPECS: readonly AeadSpec[] = [
  {
    name: 'AESGCM',
    make: (k) => new AESGCM(k as never),
    keyLength: 16,
    wrongKeys: [0, 8, 20, 33],
    nonceLength: 12,
    wrongNonces: [0, 7, 129],
    bits: { valid: 128, wrong: [0, 64, 100, 512] },
    generateKey: (b) => AESGCM.generateKey(b as never),
  },
  {
    name: 'ChaCha20Poly1305',
    make: (k) => new ChaCha20Poly1305(k as never),
    keyLength: 32,
    wrongKeys: [0, 16, 31, 33, 64],
    nonceLength: 12,
    wrongNonces: [0, 8, 11, 13, 24],
    generateKey: () => ChaCha20Poly1305.generateKey(),
  },
  {
    name: 'AESCCM',
    make: (k) => new AESCCM(k as never),
    keyLength: 24,
    wrongKeys: [0, 8, 20, 48],
    nonceLength: 13,
    wrongNonces: [0, 6, 14, 16],
    bits: { valid: 192, wrong: [0, 100, 384] },
    generateKey: (b) => AESCCM.generateKey(b as never),
    encryptData: [rangeCase('65,536 bytes (over a 13-byte nonce length field)', new Uint8Array(65_536))],
    decryptData: [rangeCase('65,536 + 16 bytes (13-byte nonce)', new Uint8Array(65_536 + 16))],
  },
  ...(hasOcb
    ? [
        {
          name: 'AESOCB3',
          make: (k: unknown) => new AESOCB3(k as never),
          keyLength: 32,
          wrongKeys: [0, 8, 20, 64],
          nonceLength: 15,
          wrongNonces: [0, 11, 16],
          bits: { valid: 256, wrong: [0, 255, 512] },
          generateKey: (b: unknown) => AESOCB3.generateKey(b as never),
        } as const,
      ]
    : []),
  {
    name: 'AESGCMSIV',
    make: (k) => new AESGCMSIV(k as never),
    keyLength: 32,
    wrongKeys: [0, 8, 24, 64],
    nonceLength: 12,
    wrongNonces: [0, 8, 16, 24],
    bits: { valid: 256, wrong: [0, 192, 512] },
    generateKey: (b) => AESGCMSIV.generateKey(b as never),
  },
  {
    name: 'XChaCha20Poly1305',
    make: (k) => new XChaCha20Poly1305(k as never),
    keyLength: 32,
    wrongKeys: [0, 16, 31, 33],
    nonceLength: 24,
    wrongNonces: [0, 12, 23, 25],
    generateKey: () => XChaCha20Poly1305.generateKey(),
  },
];

function aeadTargets(spec: AeadSpec): Target[] {
  const key = () => new Uint8Array(spec.keyLength).fill(7);
  const nonce = () => new Uint8Array(spec.nonceLength).fill(1);
  const aead = spec.make(key());
  const sealed = aead.encrypt(nonce(), bytes16(), bytes16());
  const underOtherKey = spec
    .make(new Uint8Array(spec.keyLength).fill(8))
    .encrypt(nonce(), bytes16(), bytes16());
  const nonceArg: Arg = { ...aeadNonceParam(spec.wrongNonces), valid: nonce };
  const aadParam = (extra: readonly Case[] = []) => bytesParam('associatedData', { nullable: true }, extra);
  const bits = spec.bits;
  return [
    {
      name: `${spec.name} constructor`,
      covers: [`aead:${spec.name}`],
      args: [{ ...aeadKeyParam(spec.wrongKeys), valid: key }],
      call: (k) => spec.make(k),
    },
    {
      name: `${spec.name}.generateKey`,
      covers: [],
      args: bits === undefined ? [] : [{ ...aeadBitsParam(bits.wrong), valid: () => bits.valid }],
      call: (b) => spec.generateKey(b),
    },
    {
      name: `${spec.name}#encrypt`,
      covers: [],
      args: [
        nonceArg,
        { ...bytesParam('data', {}, spec.encryptData ?? []), valid: bytes16 },
        { ...aadParam(), valid: bytes16 },
      ],
      call: (n, d, a) => aead.encrypt(n, d, a),
    },
    {
      name: `${spec.name}#decrypt`,
      covers: [],
      args: [
        {
          ...nonceArg,
          cases: [...nonceArg.cases!, aeadTagCase('another nonce', new Uint8Array(spec.nonceLength))],
        },
        {
          ...bytesParam('data', {}, [
            aeadTagCase('empty Uint8Array', new Uint8Array(0)),
            aeadTagCase('15 bytes (shorter than a tag)', new Uint8Array(15)),
            aeadTagCase('last bit flipped', flipLast(sealed)),
            aeadTagCase('truncated by one byte', sealed.subarray(0, sealed.length - 1)),
            aeadTagCase('sealed under another key', underOtherKey),
            ...(spec.decryptData ?? []),
          ]),
          valid: () => sealed,
        },
        { ...aadParam([aeadTagCase('other associated data', bytes32())]), valid: bytes16 },
      ],
      call: (n, d, a) => aead.decrypt(n, d, a),
    },
  ];
}

/** AESSIV's list of associated-data items: not an array of Uint8Array (TypeError), or over 126 items. */
function sivListParam(extra: readonly Case[] = []): Param {
  const validList = (v: unknown) => Array.isArray(v) && v.every((x) => types.isUint8Array(x));
  return {
    name: 'associatedData',
    cases: [
      ...hostileBytes.filter((x) => !validList(x.value)),
      typeCase('array holding null', [null]),
      typeCase('array holding a string', ['x']),
      typeCase('array holding a Uint16Array', [new Uint16Array(2)]),
      typeCase('array holding Object.create(Uint8Array.prototype)', [Object.create(Uint8Array.prototype)]),
      typeCase('a Set of Uint8Array', new Set([bytes16()])),
      typeCase('a lone Uint8Array', bytes16()),
      rangeCase(
        '127 items',
        Array.from({ length: 127 }, () => new Uint8Array(0)),
      ),
      ...extra,
    ],
    kind: type,
    nullable: true,
  };
}
const siv = new AESSIV(new Uint8Array(64).fill(7));
const sivSealed = siv.encrypt(bytes16(), [bytes16()]);

const AEAD_TARGETS: readonly Target[] = [
  ...AEAD_SPECS.flatMap(aeadTargets),
  {
    name: 'AESCCM constructor with a tag length',
    covers: [],
    args: [
      { ...aeadKeyParam([0, 8, 20]), valid: () => new Uint8Array(16).fill(7) },
      {
        ...intParam(
          'tagLength',
          [0, 2, 3, 5, 15, 17, 18, 32].map((n) => rangeCase(String(n), n)),
          { optional: true },
        ),
        valid: () => 8,
      },
    ],
    call: (k, t) => new AESCCM(k as never, t as never),
  },
  {
    name: 'AESSIV constructor',
    covers: ['aead:AESSIV'],
    args: [{ ...aeadKeyParam([0, 16, 24, 33, 65]), valid: () => new Uint8Array(48).fill(7) }],
    call: (k) => new AESSIV(k as never),
  },
  {
    name: 'AESSIV.generateKey',
    covers: [],
    args: [{ ...aeadBitsParam([0, 128, 192, 1024]), valid: () => 384 }],
    call: (b) => AESSIV.generateKey(b as never),
  },
  {
    name: 'AESSIV#encrypt',
    covers: [],
    args: [
      { ...bytesParam('data'), valid: bytes16 },
      { ...sivListParam(), valid: () => [bytes16(), new Uint8Array(0)] },
    ],
    call: (d, a) => siv.encrypt(d as never, a as never),
  },
  {
    name: 'AESSIV#decrypt',
    covers: [],
    args: [
      {
        ...bytesParam('data', {}, [
          aeadTagCase('empty Uint8Array', new Uint8Array(0)),
          aeadTagCase('15 bytes (shorter than the SIV)', new Uint8Array(15)),
          aeadTagCase('last bit flipped', flipLast(sivSealed)),
          aeadTagCase('truncated by one byte', sivSealed.subarray(0, sivSealed.length - 1)),
        ]),
        valid: () => sivSealed,
      },
      {
        ...sivListParam([
          aeadTagCase('[] (none)', []),
          aeadTagCase('the item twice', [bytes16(), bytes16()]),
          aeadTagCase('another item', [bytes32()]),
        ]),
        valid: () => [bytes16()],
      },
    ],
    call: (d, a) => siv.decrypt(d as never, a as never),
  },
];

// ---------------------------------------------------------------------------------------------------
// Ciphers, modes and streams (coffer/hazmat/ciphers), the legacy ciphers (coffer/hazmat/decrepit) and
// padding (coffer/hazmat/padding).

const cm = ciphersModule;
/** Not a key for this cipher: not bytes or a SecretKey (TypeError), or a size it does not take (RangeError). */
function cipherKeyParam(wrongSizes: readonly number[]): Param {
  return {
    ...keyParam('key'),
    cases: [
      ...keyParam('key').cases,
      ...wrongSizes.map((n) => rangeCase(`${n} bytes`, new Uint8Array(n))),
      ...wrongSizes
        .filter((n) => n > 0)
        .map((n) => rangeCase(`SecretKey of ${n} bytes`, SecretKey.generate(n))),
    ],
  };
}
const cipherKeyTarget = (
  name: string,
  make: (key: unknown) => unknown,
  validLength: number,
  wrongSizes: readonly number[],
): Target => ({
  name: `${name} constructor`,
  covers: [name.includes(':') ? name : `ciphers:${name}`],
  args: [{ ...cipherKeyParam(wrongSizes), valid: () => new Uint8Array(validLength).fill(3) }],
  call: (k) => make(k),
});
/** An IV-like mode argument: the mode checks only the type; `Cipher` checks the length. */
const modeIvTarget = (name: string, make: (iv: unknown) => unknown, param: string): Target => ({
  name: `${name} constructor`,
  covers: [`ciphers:${name}`],
  args: [{ ...bytesParam(param), valid: bytes16 }],
  call: (iv) => make(iv),
});

const notAlgorithms: readonly Case[] = [
  ...hostileInstances,
  typeCase('Object.create(AES.prototype)', Object.create(cm.AES.prototype)),
  typeCase('the class AES itself', cm.AES),
  typeCase('a hash algorithm', new SHA256()),
  typeCase('a mode', new cm.ECB()),
  typeCase('{name: "AES", keySize: 128}', { name: 'AES', keySize: 128, blockSize: 128 }),
];
const notModes: readonly Case[] = [
  ...hostileInstances,
  typeCase('Object.create(CBC.prototype)', Object.create(cm.CBC.prototype)),
  typeCase('the class CBC itself', cm.CBC),
  typeCase('string "CBC"', 'CBC'),
  typeCase('an algorithm', new cm.AES(bytes16())),
  typeCase('{name: "CBC", initializationVector}', { name: 'CBC', initializationVector: bytes16() }),
];

const gcmKey = bytes32();
const gcmIv = new Uint8Array(12).fill(4);
const gcmSealed = (() => {
  const enc = new cm.Cipher(new cm.AES(gcmKey), new cm.GCM(gcmIv)).encryptor();
  const ct = enc.update(bytes16()); // GCM's finalize adds nothing
  enc.finalize();
  return { ct, tag: enc.tag };
})();
const cipherTagCase = (label: string, value: unknown): Case => cofferCase('ERR_INVALID_TAG', label, value);
/** 32 bytes whose halves differ, as an XTS key must when encrypting. */
const xtsKey = () => Uint8Array.from({ length: 32 }, (_, i) => i);
const gcmCipher = () => new cm.Cipher(new cm.AES(gcmKey), new cm.GCM(gcmIv));
const gcmTagged = () => new cm.Cipher(new cm.AES(gcmKey), new cm.GCM(gcmIv, gcmSealed.tag));
const cbcCipher = () => new cm.Cipher(new cm.AES(bytes16()), new cm.CBC(bytes16()));

/** Not a usable Cipher for a stream. */
const notStreamCiphers: readonly Case[] = [
  ...hostileInstances,
  typeCase('Object.create(Cipher.prototype)', Object.create(cm.Cipher.prototype)),
  typeCase('an encryption context', cbcCipher().encryptor()),
  typeCase('an algorithm', new cm.AES(bytes16())),
  typeCase('an XTS cipher', new cm.Cipher(new cm.AES(bytes32()), new cm.XTS(bytes16()))),
];
const streamAad = (): Param => bytesParam('options.aad', { optional: true });
const maxBufferedParam = (): Param =>
  intParam(
    'options.maxBufferedBytes',
    [
      rangeCase('2**32 + 1', 2 ** 32 + 1),
      rangeCase('2**40', 2 ** 40),
      rangeCase('MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER),
    ],
    { huge: false, optional: true },
  );
const streamTargets = (
  name: 'encryptStream' | 'decryptStream' | 'encryptWebStream' | 'decryptWebStream',
): Target[] => {
  const decrypt = name.startsWith('decrypt');
  const fn = {
    encryptStream: cm.encryptStream,
    decryptStream: cm.decryptStream,
    encryptWebStream: cm.encryptWebStream,
    decryptWebStream: cm.decryptWebStream,
  }[name] as (cipher: unknown, options?: unknown) => unknown;
  const wrongGcm = decrypt
    ? typeCase('GCM without its tag', gcmCipher())
    : typeCase('GCM with a tag', gcmTagged());
  return [
    {
      name: `${name} (GCM)`,
      covers: [`ciphers:${name}`],
      args: [
        {
          name: 'cipher',
          label: ['cipher', 'mode'],
          cases: [...notStreamCiphers, wrongGcm],
          kind: type,
          valid: decrypt ? gcmTagged : gcmCipher,
        },
        optionsArg(
          () => (decrypt ? { aad: bytes16(), maxBufferedBytes: 1024 } : { aad: bytes16() }),
          decrypt ? { aad: streamAad(), maxBufferedBytes: maxBufferedParam() } : { aad: streamAad() },
          true,
        ),
      ],
      call: (c, o) => fn(c, o),
    },
    {
      name: `${name} (CBC)`,
      covers: [],
      args: [
        { name: 'cipher', cases: notStreamCiphers, kind: type, valid: cbcCipher },
        {
          ...optionsArg(() => ({}), {}, true),
          cases: [
            ...hostileObjects,
            typeCase('{aad} for CBC', { aad: bytes16() }),
            typeCase('{maxBufferedBytes} for CBC', { maxBufferedBytes: 10 }),
          ],
          label: ['options', 'options.aad', 'options.maxBufferedBytes'],
        },
      ],
      call: (c, o) => fn(c, o),
    },
  ];
};

/** A context's `update(data)` and `updateInto(data, buf)`, for one way of making the context. */
const contextTargets = (
  name: string,
  make: () => ciphersModule.CipherContext,
  blockBytes: number,
): Target[] => [
  {
    name: `${name}#update`,
    covers: [],
    args: [{ ...bytesParam('data'), valid: bytes16 }],
    call: (d) => make().update(d as never),
  },
  {
    name: `${name}#updateInto`,
    covers: [],
    args: [
      { ...bytesParam('data'), valid: bytes16 },
      {
        ...bytesParam('buf', {}, [
          rangeCase('empty Uint8Array', new Uint8Array(0)),
          rangeCase(`${15 + blockBytes - 1} bytes`, new Uint8Array(15 + blockBytes - 1)),
        ]),
        valid: () => new Uint8Array(16 + blockBytes - 1),
      },
    ],
    call: (d, b) => make().updateInto(d as never, b as never),
  },
];

const CIPHER_TARGETS: readonly Target[] = [
  cipherKeyTarget('AES', (k) => new cm.AES(k as never), 16, [0, 8, 20, 33, 48, 65]),
  cipherKeyTarget('AES128', (k) => new cm.AES128(k as never), 16, [0, 24, 32]),
  cipherKeyTarget('AES256', (k) => new cm.AES256(k as never), 32, [0, 16, 24, 64]),
  cipherKeyTarget('Camellia', (k) => new cm.Camellia(k as never), 24, [0, 8, 20, 64]),
  {
    name: 'ChaCha20 constructor',
    covers: ['ciphers:ChaCha20'],
    args: [
      { ...cipherKeyParam([0, 16, 31, 33]), valid: bytes32 },
      {
        ...bytesParam('nonce', {}, [
          rangeCase('12 bytes (an RFC 8439 nonce)', new Uint8Array(12)),
          rangeCase('0 bytes', new Uint8Array(0)),
        ]),
        valid: bytes16,
      },
    ],
    call: (k, n) => new cm.ChaCha20(k as never, n as never),
  },
  modeIvTarget('CBC', (iv) => new cm.CBC(iv as never), 'initializationVector'),
  modeIvTarget('OFB', (iv) => new cm.OFB(iv as never), 'initializationVector'),
  modeIvTarget('CFB', (iv) => new cm.CFB(iv as never), 'initializationVector'),
  modeIvTarget('CFB8', (iv) => new cm.CFB8(iv as never), 'initializationVector'),
  modeIvTarget('CTR', (iv) => new cm.CTR(iv as never), 'nonce'),
  {
    name: 'XTS constructor',
    covers: ['ciphers:XTS'],
    args: [
      {
        ...bytesParam('tweak', {}, [
          rangeCase('15 bytes', new Uint8Array(15)),
          rangeCase('32 bytes', bytes32()),
        ]),
        valid: bytes16,
      },
    ],
    call: (t) => new cm.XTS(t as never),
  },
  {
    name: 'GCM constructor',
    covers: ['ciphers:GCM'],
    args: [
      {
        ...bytesParam('initializationVector', {}, [
          rangeCase('empty Uint8Array', new Uint8Array(0)),
          rangeCase('7 bytes', new Uint8Array(7)),
          rangeCase('129 bytes', new Uint8Array(129)),
        ]),
        valid: () => gcmIv,
      },
      {
        ...bytesParam('tag', { nullable: true }, [
          rangeCase('empty Uint8Array', new Uint8Array(0)),
          rangeCase('3 bytes', new Uint8Array(3)),
          rangeCase('17 bytes', new Uint8Array(17)),
        ]),
        valid: () => gcmSealed.tag.subarray(0, 12),
      },
      {
        ...intParam(
          'minTagLength',
          [rangeCase('0', 0), rangeCase('3', 3), rangeCase('13 (over the tag)', 13), rangeCase('17', 17)],
          { optional: true },
        ),
        label: ['minTagLength', 'tag'],
        valid: () => 12,
      },
    ],
    call: (iv, t, m) => new cm.GCM(iv as never, t as never, m as never),
  },
  {
    name: 'Cipher constructor',
    covers: ['ciphers:Cipher'],
    args: [
      { name: 'algorithm', cases: notAlgorithms, kind: type, valid: () => new cm.AES(bytes16()) },
      {
        name: 'mode',
        label: ['mode', 'initializationVector', 'nonce', 'key'],
        cases: [
          ...notModes,
          rangeCase('CBC with an 8-byte IV', new cm.CBC(new Uint8Array(8))),
          rangeCase('CTR with a 12-byte nonce', new cm.CTR(new Uint8Array(12))),
          rangeCase('XTS (a 16-byte key is not an XTS key)', new cm.XTS(bytes16())),
        ],
        kind: type,
        valid: () => new cm.CBC(bytes16()),
      },
    ],
    call: (a, m) => new cm.Cipher(a as never, m as never),
  },
  {
    name: 'Cipher constructor (ChaCha20)',
    covers: [],
    args: [
      {
        name: 'algorithm',
        cases: notAlgorithms,
        kind: type,
        valid: () => new cm.ChaCha20(bytes32(), bytes16()),
      },
      {
        name: 'mode',
        cases: [
          ...notModes.filter((x) => x.value !== null && x.value !== undefined),
          typeCase('CBC', new cm.CBC(bytes16())),
        ],
        kind: type,
        valid: () => null,
      },
    ],
    call: (a, m) => new cm.Cipher(a as never, m as never),
  },
  {
    name: 'Cipher.isSupported',
    covers: [],
    args: [
      { name: 'algorithm', cases: notAlgorithms, kind: type, valid: () => new cm.Camellia(bytes16()) },
      {
        name: 'mode',
        cases: notModes.filter((x) => x.value !== null),
        kind: type,
        valid: () => new cm.ECB(),
      },
    ],
    call: (a, m) => cm.Cipher.isSupported(a as never, m as never),
  },
  ...contextTargets('CBC encryptor', () => cbcCipher().encryptor(), 16),
  ...contextTargets(
    'ECB decryptor',
    () => new cm.Cipher(new cm.AES(bytes16()), new cm.ECB()).decryptor(),
    16,
  ),
  ...contextTargets(
    'CTR encryptor',
    () => new cm.Cipher(new cm.AES(bytes32()), new cm.CTR(bytes16())).encryptor(),
    1,
  ),
  ...contextTargets(
    'ChaCha20 decryptor',
    () => new cm.Cipher(new cm.ChaCha20(bytes32(), bytes16()), null).decryptor(),
    1,
  ),
  ...contextTargets(
    'XTS encryptor',
    () => new cm.Cipher(new cm.AES(xtsKey()), new cm.XTS(bytes16())).encryptor(),
    1,
  ),
  ...contextTargets('GCM encryptor', () => gcmCipher().encryptor(), 1),
  ...contextTargets('GCM decryptor', () => gcmTagged().decryptor(), 1),
  {
    name: 'GCM encryptor#authenticateAdditionalData',
    covers: [],
    args: [{ ...bytesParam('data'), valid: bytes16 }],
    call: (d) =>
      gcmCipher()
        .encryptor()
        .authenticateAdditionalData(d as never),
  },
  {
    name: 'GCM decryptor#authenticateAdditionalData',
    covers: [],
    args: [{ ...bytesParam('data'), valid: bytes16 }],
    call: (d) =>
      gcmCipher()
        .decryptor()
        .authenticateAdditionalData(d as never),
  },
  {
    name: 'GCM decryptor#finalizeWithTag',
    covers: [],
    args: [
      {
        ...bytesParam('tag', {}, [
          rangeCase('empty Uint8Array', new Uint8Array(0)),
          rangeCase('15 bytes (under minTagLength)', gcmSealed.tag.subarray(0, 15)),
          rangeCase('17 bytes', new Uint8Array(17)),
          cipherTagCase('16 zero bytes', new Uint8Array(16)),
          cipherTagCase('last bit flipped', flipLast(gcmSealed.tag)),
        ]),
        valid: () => gcmSealed.tag,
      },
    ],
    call: (t) => {
      const dec = gcmCipher().decryptor();
      dec.update(gcmSealed.ct);
      return dec.finalizeWithTag(t as never);
    },
  },
  ...streamTargets('encryptStream'),
  ...streamTargets('decryptStream'),
  ...streamTargets('encryptWebStream'),
  ...streamTargets('decryptWebStream'),

  // coffer/hazmat/decrepit
  cipherKeyTarget('decrepit:TripleDES', (k) => new decrepitModule.TripleDES(k as never), 24, [0, 8, 16, 32]),
  cipherKeyTarget('decrepit:Blowfish', (k) => new decrepitModule.Blowfish(k as never), 16, [0, 3, 57]),
  cipherKeyTarget('decrepit:CAST5', (k) => new decrepitModule.CAST5(k as never), 16, [0, 4, 17]),
  cipherKeyTarget('decrepit:SEED', (k) => new decrepitModule.SEED(k as never), 16, [0, 8, 24, 32]),

  // coffer/hazmat/padding
  ...(
    [
      ['PKCS7', paddingModule.PKCS7],
      ['ANSIX923', paddingModule.ANSIX923],
    ] as const
  ).flatMap(([scheme, Scheme]): Target[] => {
    return [
      {
        name: `${scheme} constructor`,
        covers: [`padding:${scheme}`],
        args: [
          {
            ...intParam('blockSize', [
              rangeCase('0', 0),
              rangeCase('4', 4),
              rangeCase('12', 12),
              rangeCase('2048', 2048),
            ]),
            valid: () => 128,
          },
        ],
        call: (b) => new Scheme(b as never),
      },
      {
        name: `${scheme}#padder#update`,
        covers: [],
        args: [{ ...bytesParam('data'), valid: bytes16 }],
        call: (d) => new Scheme(128).padder().update(d as never),
      },
      {
        name: `${scheme}#unpadder#update`,
        covers: [],
        args: [{ ...bytesParam('data'), valid: bytes16 }],
        call: (d) => new Scheme(64).unpadder().update(d as never),
      },
    ];
  }),
];

// ---------------------------------------------------------------------------------------------------
// One-time passwords and webhooks (coffer), base32 (coffer/encoding).

const { HOTP, TOTP, Webhook, MemoryReplayStore, parseOtpauthUri } = root;
const OTP_SECRET = () => new Uint8Array(Buffer.from('12345678901234567890')); // RFC 4226 Appendix D
const OTP_TIME = 1_111_111_109; // RFC 6238 Appendix B
const otpHotp = new HOTP(OTP_SECRET());
const otpTotp = new TOTP(OTP_SECRET());
const OTP_URI = otpTotp.toUri({ accountName: 'ada@example.com', issuer: 'Example' });

/** An OTP secret: not bytes or a SecretKey (TypeError), or a length the recipe refuses (RangeError). */
const otpSecretParam: Param = {
  ...keyParam('secret'),
  cases: [
    ...keyParam('secret').cases,
    rangeCase('empty Uint8Array', new Uint8Array(0)),
    rangeCase('15 bytes (under 128 bits)', new Uint8Array(15)),
    rangeCase('10 bytes (an old 80-bit key)', new Uint8Array(10)),
    rangeCase('SecretKey of 8 bytes', SecretKey.generate(8)),
    rangeCase('1025 bytes', new Uint8Array(1025)),
  ],
};
/** Not a boolean. */
function booleanParam(name: string): Param {
  return {
    name,
    cases: [
      { label: 'null', value: null },
      typeCase('"true"', 'true'),
      typeCase('"false"', 'false'),
      typeCase('1', 1),
      typeCase('0', 0),
      typeCase('Boolean object', new Boolean(false)),
      typeCase('{}', {}),
      typeCase('Symbol', Symbol('b')),
    ],
    kind: type,
    optional: true,
  };
}
const otpFields = {
  digits: intParam('digits', [rangeCase('5', 5), rangeCase('9', 9), rangeCase('0', 0)], { optional: true }),
  algorithm: enumParam('algorithm', ['sha1', 'SHA-1', 'SHA384', 'MD5', ''], { optional: true }),
};
const totpFields = {
  ...otpFields,
  step: intParam('step', [rangeCase('0', 0), rangeCase('86401', 86_401)], { optional: true }),
  t0: intParam('t0', [], { huge: false, optional: true }),
};
/** A code: not a string (TypeError), or not the code (InvalidToken, one message whatever the cause). */
function otpCodeParam(): Param {
  return {
    ...stringParam('code'),
    cases: [
      ...hostileStrings,
      tokenCase('empty string', ''),
      tokenCase('secret-looking string', SECRET_MARKER_TEXT),
      tokenCase('5 digits', '75522'),
      tokenCase('7 digits', '7552240'),
      tokenCase('another code', '755225'),
      tokenCase('letters', 'abcdef'),
      tokenCase('with a space', '755 24'),
      tokenCase('full-width digits', '７５５２２４'),
      tokenCase('a million digits', '7'.repeat(1_000_000)),
    ],
  };
}
const uriLabelFields = (issuerOptional = true) => ({
  accountName: {
    ...stringParam('accountName'),
    cases: [
      ...hostileStrings,
      typeCase('empty string', ''),
      typeCase('with ":"', 'a:b'),
      typeCase('with a newline', 'a\nb'),
      typeCase('a lone surrogate', 'a\ud800'),
    ],
  },
  issuer: {
    ...stringParam('issuer', { optional: issuerOptional }),
    cases: [...hostileStrings, typeCase('empty string', ''), typeCase('with ":"', 'Ex:ample')],
  },
});
const otpUriParam: Param = {
  ...stringParam('uri'),
  cases: [
    ...hostileStrings,
    decodeCase('empty string', ''),
    decodeCase('secret-looking string', SECRET_MARKER_TEXT),
    decodeCase('an https URL', 'https://example.com/totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'),
    decodeCase('an 80-bit secret', 'otpauth://totp/a?secret=JBSWY3DPEHPK3PXP'),
    decodeCase('a secret that is not base32', 'otpauth://totp/a?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ1'),
    decodeCase('no secret', 'otpauth://totp/a?issuer=x'),
    decodeCase(
      'a megabyte long',
      `otpauth://totp/${'a'.repeat(1 << 20)}?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ`,
    ),
  ],
};

// Webhooks: a receiver without a store (sync verify) and one with a store (the async methods).
const WH_SECRET = `whsec_${Buffer.alloc(24, 9).toString('base64')}`;
const whSender = new Webhook(WH_SECRET);
const whReceiver = new Webhook(WH_SECRET);
const whGuarded = new Webhook(WH_SECRET, { replayStore: new MemoryReplayStore(), maxBodyBytes: 64 });
const WH_BODY = '{"type":"test"}';
let whCounter = 0;
/** Fresh, correctly signed headers (a new id each time, so the replay store never refuses a valid call). */
function whHeaders(body: string = WH_BODY, shift = 0): Record<string, string> {
  const id = `msg_hostile_${++whCounter}`;
  const ts = nowSeconds() + shift;
  return {
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': whSender.sign(id, ts, body),
  };
}
const whCase = (label: string, value: unknown): Case => cofferCase('ERR_WEBHOOK_VERIFICATION', label, value);
/** A case whose value is built on each use (requests are single-use). */
const lazyCase = (label: string, make: () => unknown, more: Partial<Case> = {}): Case => ({
  label,
  get value() {
    return make();
  },
  ...more,
});
const lazyHeaders = (label: string, make: () => unknown): Case =>
  lazyCase(label, make, { kind: 'CofferError', code: 'ERR_WEBHOOK_VERIFICATION' });
function incoming(headers: Record<string, string>, body: string): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.headers = headers;
  req.push(body);
  req.push(null);
  return req;
}
function webRequest(headers: Record<string, string>, body: string): Request {
  return new Request('https://example.com/hooks', { method: 'POST', headers, body });
}

/** Not a webhook secret: wrong types (TypeError), wrong text (DecodeError), wrong sizes (RangeError). */
const whSecretParam: Param = {
  name: 'secret',
  cases: [
    ...hostileBytes.filter((x) => typeof x.value !== 'string' && !Array.isArray(x.value)),
    typeCase('Object.create(SecretKey.prototype)', Object.create(SecretKey.prototype)),
    typeCase('array of numbers', [1, 2, 3]),
    typeCase('[null]', [null]),
    typeCase('[secret, {}]', [WH_SECRET, {}]),
    rangeCase('empty array', []),
    rangeCase('17 secrets', new Array(17).fill(WH_SECRET)),
    rangeCase('empty string', ''),
    rangeCase('16 bytes', new Uint8Array(16)),
    rangeCase('65 bytes', new Uint8Array(65)),
    rangeCase('whsec_ of 16 bytes', `whsec_${Buffer.alloc(16).toString('base64')}`),
    rangeCase('SecretKey of 16 bytes', SecretKey.generate(16)),
    decodeCase('secret-looking string', SECRET_MARKER_TEXT),
    decodeCase('whsec_ and base64url', `whsec_${Buffer.alloc(24, 0xfb).toString('base64url')}`),
    decodeCase('whsec_ and a space', `whsec_ ${WH_SECRET.slice(6)}`),
    decodeCase('an asymmetric whsk_ key', `whsk_${WH_SECRET.slice(6)}`),
  ],
  kind: type,
};
const whHeadersParam = (sync: boolean): Param => ({
  name: 'headers',
  cases: [
    ...hostileObjects,
    typeCase('array', []),
    typeCase('a header that is a number', { ...whHeaders(), 'webhook-timestamp': nowSeconds() }),
    typeCase('a header that is an object', { ...whHeaders(), 'webhook-id': {} }),
    whCase('{}', {}),
    whCase('a Headers without the webhook headers', new Headers({ 'content-type': 'application/json' })),
    // Built when used: a signed timestamp must be fresh whenever this test runs.
    lazyHeaders('no signature', () => ({ ...whHeaders(), 'webhook-signature': undefined })),
    lazyHeaders('a malformed timestamp', () => ({ ...whHeaders(), 'webhook-timestamp': 'soon' })),
    lazyHeaders('ten minutes old', () => whHeaders(WH_BODY, -600)),
    lazyHeaders('ten minutes ahead', () => whHeaders(WH_BODY, 600)),
    lazyHeaders('signed for another body', () => whHeaders('{}')),
    ...(sync
      ? []
      : [
          lazyHeaders('a replay', () => {
            const h = whHeaders();
            // The store claims the id synchronously, before this promise settles.
            void whGuarded.verifyAsync(WH_BODY, h);
            return h;
          }),
        ]),
  ],
  kind: type,
});
const whPayloadParam: Param = bytesLikeParam('payload', {});
const whPayloadCases: Param = {
  ...whPayloadParam,
  cases: [...whPayloadParam.cases, whCase('another body', '{"type":"other"}'), whCase('empty', '')],
};

const OTP_WEBHOOK_TARGETS: readonly Target[] = [
  // coffer/encoding: base32
  {
    name: 'base32Encode',
    covers: ['encoding:base32Encode'],
    args: [{ ...bytesParam('data'), valid: bytes16 }, optionsArg(paddingOptions, paddingField, true)],
    call: (d, o) => encoding.base32Encode(d as never, o as never),
  },
  {
    name: 'base32Decode',
    covers: ['encoding:base32Decode'],
    args: [
      {
        ...stringParam('text'),
        cases: [
          ...hostileStrings,
          decodeCase('secret-looking string', SECRET_MARKER_TEXT),
          decodeCase('lowercase', 'my======'),
          decodeCase('one character', 'M'),
          decodeCase('non-zero unused bits', 'MZ'),
          decodeCase('wrong padding', 'MY====='),
          decodeCase('base64', 'Zm9vYmFy'),
        ],
        valid: () => 'MY',
      },
      optionsArg(paddingOptions, paddingField, true),
    ],
    call: (t, o) => encoding.base32Decode(t as never, o as never),
  },

  // coffer: HOTP
  {
    name: 'HOTP constructor',
    covers: ['root:HOTP'],
    args: [
      { ...otpSecretParam, valid: OTP_SECRET },
      optionsArg(
        () => ({ digits: 6, algorithm: 'SHA1', enforceKeyLength: true }),
        { ...otpFields, enforceKeyLength: booleanParam('enforceKeyLength') },
        true,
      ),
    ],
    call: (s, o) => new HOTP(s as never, o as never),
  },
  {
    name: 'HOTP.generate',
    covers: [],
    args: [optionsArg(() => ({ digits: 8, algorithm: 'SHA256' }), otpFields, true)],
    call: (o) => HOTP.generate(o as never),
  },
  {
    name: 'HOTP#generate',
    covers: [],
    args: [{ ...intParam('counter', [], { huge: false }), valid: () => 0 }],
    call: (c) => otpHotp.generate(c as never),
  },
  {
    name: 'HOTP#verify',
    covers: [],
    args: [
      { ...otpCodeParam(), valid: () => '755224' },
      {
        ...intParam('counter', [tokenCase('a later counter', 1), tokenCase('2**40', 2 ** 40)], {
          huge: false,
        }),
        valid: () => 0,
      },
      optionsArg(
        () => ({ window: 2 }),
        { window: intParam('window', [rangeCase('101', 101)], { optional: true }) },
        true,
      ),
    ],
    call: (c, n, o) => otpHotp.verify(c as never, n as never, o as never),
  },
  {
    name: 'HOTP#toUri',
    covers: [],
    args: [
      optionsArg(() => ({ accountName: 'ada', issuer: 'Example', counter: 0 }), {
        ...uriLabelFields(),
        counter: intParam('counter', [], { huge: false }),
      }),
    ],
    call: (o) => otpHotp.toUri(o as never),
  },

  // coffer: TOTP
  {
    name: 'TOTP constructor',
    covers: ['root:TOTP'],
    args: [
      { ...otpSecretParam, valid: OTP_SECRET },
      optionsArg(
        () => ({ digits: 8, algorithm: 'SHA512', step: 60, t0: 10, enforceKeyLength: true }),
        { ...totpFields, enforceKeyLength: booleanParam('enforceKeyLength') },
        true,
      ),
    ],
    call: (s, o) => new TOTP(s as never, o as never),
  },
  {
    name: 'TOTP.generate',
    covers: [],
    args: [optionsArg(() => ({ digits: 7, step: 45 }), totpFields, true)],
    call: (o) => TOTP.generate(o as never),
  },
  {
    name: 'TOTP.fromUri',
    covers: [],
    args: [
      { ...otpUriParam, valid: () => OTP_URI },
      optionsArg(
        () => ({ enforceKeyLength: true }),
        { enforceKeyLength: booleanParam('enforceKeyLength') },
        true,
      ),
    ],
    call: (u, o) => TOTP.fromUri(u as never, o as never),
  },
  {
    name: 'TOTP#stepAt',
    covers: [],
    args: [{ ...intParam('unixSeconds', [], { huge: false }), valid: () => OTP_TIME }],
    call: (t) => otpTotp.stepAt(t as never),
  },
  {
    name: 'TOTP#generateAtTime',
    covers: [],
    args: [{ ...intParam('unixSeconds', [], { huge: false }), valid: () => OTP_TIME }],
    call: (t) => otpTotp.generateAtTime(t as never),
  },
  {
    name: 'TOTP#verify',
    covers: [],
    args: [
      { ...otpCodeParam(), valid: () => otpTotp.generate() },
      optionsArg(
        () => ({ window: 1 }),
        {
          window: intParam('window', [rangeCase('11', 11)], { optional: true }),
          after: intParam('after', [tokenCase('2**40 (nothing after it matches)', 2 ** 40)], {
            huge: false,
            optional: true,
          }),
        },
        true,
      ),
    ],
    call: (c, o) => otpTotp.verify(c as never, o as never),
  },
  {
    name: 'TOTP#verifyAtTime',
    covers: [],
    args: [
      { ...otpCodeParam(), valid: () => otpTotp.generateAtTime(OTP_TIME) },
      {
        ...intParam('unixSeconds', [tokenCase('an hour later', OTP_TIME + 3600)], { huge: false }),
        valid: () => OTP_TIME,
      },
      optionsArg(
        () => ({ window: 0, after: 0 }),
        {
          window: intParam('window', [rangeCase('11', 11)], { optional: true }),
          after: intParam('after', [tokenCase('the matching step', otpTotp.stepAt(OTP_TIME))], {
            huge: false,
            optional: true,
          }),
        },
        true,
      ),
    ],
    call: (c, t, o) => otpTotp.verifyAtTime(c as never, t as never, o as never),
  },
  {
    name: 'TOTP#toUri',
    covers: [],
    args: [optionsArg(() => ({ accountName: 'ada', issuer: 'Example' }), uriLabelFields())],
    call: (o) => otpTotp.toUri(o as never),
  },
  {
    name: 'parseOtpauthUri',
    covers: ['root:parseOtpauthUri'],
    args: [
      { ...otpUriParam, valid: () => otpHotp.toUri({ accountName: 'a', counter: 3 }) },
      optionsArg(
        () => ({ enforceKeyLength: true }),
        { enforceKeyLength: booleanParam('enforceKeyLength') },
        true,
      ),
    ],
    call: (u, o) => parseOtpauthUri(u as never, o as never),
  },

  // coffer: Webhook and MemoryReplayStore
  {
    name: 'Webhook constructor',
    covers: ['root:Webhook'],
    args: [
      { ...whSecretParam, valid: () => WH_SECRET },
      optionsArg(
        () => ({
          toleranceSeconds: 60,
          maxBodyBytes: 1024,
          replayStore: new MemoryReplayStore(),
          clock: fixedClock,
        }),
        {
          toleranceSeconds: intParam('toleranceSeconds', [rangeCase('8 days', 8 * 86_400)], {
            optional: true,
          }),
          maxBodyBytes: intParam('maxBodyBytes', [rangeCase('64 MiB + 1', 64 * 1024 * 1024 + 1)], {
            optional: true,
          }),
          replayStore: {
            name: 'replayStore',
            cases: [
              ...hostileObjects,
              typeCase('{}', {}),
              typeCase('{claim: 1}', { claim: 1 }),
              typeCase('a Set', new Set()),
            ],
            kind: type,
            optional: true,
          },
          clock: clockParam({ called: false }),
        },
        true,
      ),
    ],
    call: (s, o) => new Webhook(s as never, o as never),
  },
  { name: 'Webhook.generateSecret', covers: [], args: [], call: () => Webhook.generateSecret() },
  {
    name: 'Webhook#sign',
    covers: [],
    args: [
      {
        ...stringParam('id'),
        cases: [
          ...hostileStrings,
          typeCase('empty string', ''),
          typeCase('with a "."', 'msg.1'),
          typeCase('with a space', 'msg 1'),
          typeCase('with a newline', 'msg\n1'),
          typeCase('non-ASCII', 'msg_é'),
          typeCase('secret-looking string', SECRET_MARKER_TEXT),
          rangeCase('257 characters', 'm'.repeat(257)),
        ],
        valid: () => 'msg_1',
      },
      {
        name: 'timestamp',
        cases: [
          ...hostileIntegers.filter((x) => !(x.value instanceof Date)),
          rangeCase('Invalid Date', new Date(Number.NaN)),
          rangeCase('a date before 1970', new Date(-1000)),
          rangeCase('10**15', 10 ** 15),
        ],
        kind: integerKind,
        valid: () => nowSeconds(),
      },
      { ...bytesLikeParam('payload'), valid: () => WH_BODY },
    ],
    call: (i, t, p) => whSender.sign(i as never, t as never, p as never),
  },
  {
    name: 'Webhook#verify',
    covers: [],
    args: [
      { ...whPayloadCases, valid: () => WH_BODY },
      { ...whHeadersParam(true), valid: () => whHeaders() },
    ],
    call: (p, h) => whReceiver.verify(p as never, h as never),
  },
  {
    name: 'Webhook#verifyAsync',
    covers: [],
    async: true,
    args: [
      { ...whPayloadCases, valid: () => WH_BODY },
      { ...whHeadersParam(false), valid: () => whHeaders() },
    ],
    call: (p, h) => whGuarded.verifyAsync(p as never, h as never),
  },
  {
    name: 'Webhook#verifyIncomingMessage',
    covers: [],
    async: true,
    args: [
      {
        name: 'request',
        cases: [
          ...hostileInstances,
          typeCase('Object.create(IncomingMessage.prototype)', Object.create(IncomingMessage.prototype)),
          lazyCase('a web Request', () => webRequest(whHeaders(), WH_BODY), { kind: 'TypeError' }),
          typeCase('{headers, body}', { headers: whHeaders(), body: WH_BODY }),
          lazyCase(
            'a request whose body was read',
            () => {
              const r = incoming(whHeaders(), WH_BODY);
              r.read();
              return r;
            },
            { kind: 'TypeError' },
          ),
          lazyCase('a tampered body', () => incoming(whHeaders(), '{"type":"x"}'), {
            kind: 'CofferError',
            code: 'ERR_WEBHOOK_VERIFICATION',
          }),
          lazyCase('a body over maxBodyBytes', () => incoming(whHeaders('x'.repeat(65)), 'x'.repeat(65)), {
            kind: 'CofferError',
            code: 'ERR_WEBHOOK_VERIFICATION',
          }),
          lazyCase('stale', () => incoming(whHeaders(WH_BODY, -600), WH_BODY), {
            kind: 'CofferError',
            code: 'ERR_WEBHOOK_VERIFICATION',
          }),
        ],
        kind: type,
        valid: () => incoming(whHeaders(), WH_BODY),
      },
    ],
    call: (r) => whGuarded.verifyIncomingMessage(r as never),
  },
  {
    name: 'Webhook#verifyRequest',
    covers: [],
    async: true,
    args: [
      {
        name: 'request',
        cases: [
          ...hostileInstances,
          typeCase('Object.create(Request.prototype)', Object.create(Request.prototype)),
          lazyCase('an IncomingMessage', () => incoming(whHeaders(), WH_BODY), { kind: 'TypeError' }),
          typeCase('{headers, body}', { headers: new Headers(whHeaders()), body: WH_BODY }),
          lazyCase('a tampered body', () => webRequest(whHeaders(), '{"type":"x"}'), {
            kind: 'CofferError',
            code: 'ERR_WEBHOOK_VERIFICATION',
          }),
          lazyCase('a body over maxBodyBytes', () => webRequest(whHeaders('x'.repeat(65)), 'x'.repeat(65)), {
            kind: 'CofferError',
            code: 'ERR_WEBHOOK_VERIFICATION',
          }),
        ],
        kind: type,
        valid: () => webRequest(whHeaders(), WH_BODY),
      },
    ],
    call: (r) => whGuarded.verifyRequest(r as never),
  },
  {
    name: 'MemoryReplayStore constructor',
    covers: ['root:MemoryReplayStore'],
    args: [
      optionsArg(
        () => ({ maxEntries: 10 }),
        {
          maxEntries: intParam('maxEntries', [rangeCase('0', 0), rangeCase('10,000,001', 10_000_001)], {
            optional: true,
          }),
        },
        true,
      ),
    ],
    call: (o) => new MemoryReplayStore(o as never),
  },
  {
    name: 'MemoryReplayStore#claim',
    covers: [],
    args: [
      { ...stringParam('id'), valid: () => `id_${++whCounter}` },
      { ...intParam('expiresAt', [], { huge: false }), valid: () => 2000 },
      { ...intParam('now', [], { huge: false }), valid: () => 1000 },
    ],
    call: (i, e, n) => new MemoryReplayStore().claim(i as never, e as never, n as never),
  },
  {
    name: 'MemoryReplayStore#release',
    covers: [],
    args: [{ ...stringParam('id'), valid: () => 'id' }],
    call: (i) => new MemoryReplayStore().release(i as never),
  },
];

// ---------------------------------------------------------------------------------------------------
// The table.

// ---------------------------------------------------------------------------------------------------
// Passwords and recovery codes (coffer root). Argon2 costs are tiny; every hostile case fails before any
// hashing starts.

const PW_COSTS = () => ({ argon2: { memoryCost: 64, iterations: 1 } });
const pwRing = Keyring.generate({ label: 'pepper' });
const pwStored = await root.hashPassword('password', PW_COSTS());
const pwPeppered = await root.hashPassword('password', { ...PW_COSTS(), pepper: pwRing });
const pwOther = await root.hashPassword('another password', PW_COSTS());
const pwForeign = await root.hashPassword('password', { ...PW_COSTS(), pepper: Keyring.generate() });
const invalidKeyCase = (label: string, value: unknown): Case => cofferCase('ERR_INVALID_KEY', label, value);

function passwordParam(extra: readonly Case[] = []): Param {
  return {
    name: 'password',
    cases: [
      ...hostileBytesLike,
      typeCase('lone surrogate', 'pass\uD800word'),
      rangeCase(`${root.MAX_PASSWORD_BYTES + 1} ASCII characters`, 'a'.repeat(root.MAX_PASSWORD_BYTES + 1)),
      rangeCase('1366 euro signs (4098 bytes)', '\u20ac'.repeat(1366)),
      rangeCase(`${root.MAX_PASSWORD_BYTES + 1} bytes`, new Uint8Array(root.MAX_PASSWORD_BYTES + 1)),
      rangeCase('1 MiB string', 'a'.repeat(1 << 20)),
      ...extra,
    ],
    kind: type,
  };
}

/** Stored hashes that do not parse, or ask for more than the ceilings: DecodeError before any work. */
const hostilePhc: readonly Case[] = [
  ...hostileStrings,
  decodeCase('empty string', ''),
  decodeCase('secret-looking string', SECRET_MARKER_TEXT),
  decodeCase('m = 4 GiB', pwStored.replace('m=64', 'm=4194304')),
  decodeCase('t = 2^32 - 1', pwStored.replace('t=1', 't=4294967295')),
  decodeCase('p = 255', pwStored.replace('p=1', 'p=255')),
  decodeCase('no version', pwStored.replace('$v=19', '')),
  decodeCase('truncated', pwStored.slice(0, 40)),
  decodeCase('padded salt', pwStored.replace(/\$([^$]+)\$([^$]+)$/, '$$$1==$$$2')),
  decodeCase('unknown scheme', '$md5$salt$hash'),
  decodeCase('bcrypt cost 31', '$2b$31$woN//NE.ZKw4.GnaKjsnPeVSiPvixB8QyMby2fCtj8qkJJzM4Gwze'),
  decodeCase(
    'scrypt N = 2^30',
    '$scrypt$ln=30,r=8,p=1$cmFuZG9tc2FsdGlzaGFyZA$Rh+NnJNo1I6nRwaNqbDm6kmADswD1+7FTKZ7Ln9D8nQ',
  ),
  decodeCase(
    'pbkdf2 2^31 rounds',
    '$pbkdf2-sha256$2147483648$cmFuZG9tc2FsdGlzaGFyZA$OFvEcLOIPFd/oq8egf10i.qJLI7A8nDjPLnolCWarQY',
  ),
  decodeCase('1 MiB', `$argon2id$${'a'.repeat(1 << 20)}`),
];

/** Not a pepper: not a Keyring or a SecretKey, or a SecretKey that cannot pepper. */
function pepperParam(name: string, more: Partial<Param> = {}): Param {
  return {
    name,
    cases: [
      ...hostileInstances,
      typeCase('Object.create(SecretKey.prototype)', Object.create(SecretKey.prototype)),
      typeCase('Object.create(Keyring.prototype)', Object.create(Keyring.prototype)),
      typeCase('SecretKey without an id', SecretKey.generate(32)),
      typeCase('SecretKey whose id has a space', SecretKey.generate(32, { id: 'my pepper' })),
      rangeCase('16-byte SecretKey', SecretKey.generate(16, { id: 'short' })),
    ],
    kind: type,
    optional: true,
    ...more,
  };
}

/** The fields of a password policy, as `hashPassword` options or a `needsRehash` policy. */
function policyFields(prefix: string): Record<string, Param> {
  const opt = { optional: true };
  return {
    algorithm: enumParam(
      `${prefix}.algorithm`,
      ['Argon2id', 'argon2', 'bcrypt', 'pbkdf2', 'scrypt ', ''],
      opt,
    ),
    argon2: {
      name: `${prefix}.argon2`,
      cases: [...hostileObjects, typeCase('array', [])],
      kind: type,
      optional: true,
    },
    'argon2.memoryCost': intParam(
      `${prefix}.argon2.memoryCost`,
      [rangeCase('0', 0), rangeCase('7', 7), rangeCase('2**20 + 1', 2 ** 20 + 1)],
      opt,
    ),
    'argon2.iterations': intParam(
      `${prefix}.argon2.iterations`,
      [rangeCase('0', 0), rangeCase('65', 65)],
      opt,
    ),
    'argon2.lanes': intParam(`${prefix}.argon2.lanes`, [rangeCase('0', 0), rangeCase('17', 17)], opt),
    scrypt: {
      name: `${prefix}.scrypt`,
      cases: [...hostileObjects, typeCase('array', [])],
      kind: type,
      optional: true,
    },
    'scrypt.n': intParam(
      `${prefix}.scrypt.n`,
      [rangeCase('0', 0), rangeCase('1', 1), rangeCase('1000', 1000), rangeCase('2**21', 2 ** 21)],
      opt,
    ),
    'scrypt.r': intParam(`${prefix}.scrypt.r`, [rangeCase('0', 0), rangeCase('33', 33)], {
      ...opt,
      label: [`${prefix}.scrypt.r`, `${prefix}.scrypt.n`],
    }),
    'scrypt.p': intParam(`${prefix}.scrypt.p`, [rangeCase('0', 0), rangeCase('17', 17)], opt),
    pbkdf2: {
      name: `${prefix}.pbkdf2`,
      cases: [...hostileObjects, typeCase('array', [])],
      kind: type,
      optional: true,
    },
    'pbkdf2.iterations': intParam(
      `${prefix}.pbkdf2.iterations`,
      [rangeCase('0', 0), rangeCase('10**7 + 1', 10_000_001)],
      opt,
    ),
    pepper: pepperParam(`${prefix}.pepper`),
  };
}

const rcRing = Keyring.generate({ label: 'recovery codes' });
const rcSet = await root.regenerateRecoveryCodes({ count: 3, pepper: rcRing });
const rcCode = rcSet.codes[0]!;
const rcOtherCode = root.generateRecoveryCodes({ count: 1 })[0]!;

/** Typed recovery codes: not a string (TypeError), or not a code that matches (InvalidKey). */
const typedCodeParam: Param = {
  name: 'code',
  cases: [
    ...hostileStrings,
    invalidKeyCase('empty string', ''),
    invalidKeyCase('secret-looking string', SECRET_MARKER_TEXT),
    invalidKeyCase('U, outside the alphabet', '7KQ4-M2XD-9PRT-HV3U'),
    invalidKeyCase('15 symbols', rcCode.slice(0, -1)),
    invalidKeyCase('1 MiB', 'A'.repeat(1 << 20)),
  ],
  kind: type,
};

/** Stored sets: not an array of entries (TypeError), too many (RangeError), malformed (DecodeError). */
const storedSetParam: Param = {
  name: 'stored',
  cases: [
    ...hostileBytes.filter((x) => !(Array.isArray(x.value) && x.value.length === 0)),
    invalidKeyCase('empty array', []),
    typeCase('array holding null', [null]),
    typeCase('an entry without hash', [{ keyId: rcRing.primaryKeyId }]),
    typeCase('an entry whose keyId is a number', [{ keyId: 1, hash: rcSet.stored[0]!.hash }]),
    rangeCase(
      '101 entries',
      Array.from({ length: 101 }, () => rcSet.stored[0]),
    ),
    decodeCase('HMAC entry of 31 bytes', [
      { keyId: rcRing.primaryKeyId, hash: Buffer.alloc(31).toString('base64url') },
    ]),
    decodeCase('HMAC entry in padded base64url', [
      { keyId: rcRing.primaryKeyId, hash: `${rcSet.stored[0]!.hash}=` },
    ]),
    decodeCase('Argon2 entry over the ceilings', [
      { keyId: null, hash: pwStored.replace('m=64', 'm=4194304') },
    ]),
    decodeCase('keyId null, hash not a PHC string', [{ keyId: null, hash: rcSet.stored[0]!.hash }]),
    cofferCase('ERR_KEY_NOT_FOUND', 'entries under another key', [
      { keyId: '0badf00d', hash: rcSet.stored[0]!.hash },
    ]),
    invalidKeyCase('another set', (await root.regenerateRecoveryCodes({ count: 2, pepper: rcRing })).stored),
  ],
  kind: type,
};

const PASSWORD_TARGETS: readonly Target[] = [
  {
    name: 'hashPassword',
    covers: ['root:hashPassword'],
    async: true,
    args: [
      { ...passwordParam(), valid: () => 'password' },
      optionsArg(() => ({ ...PW_COSTS(), pepper: pwRing }), policyFields('options'), true),
    ],
    call: (p, o) => root.hashPassword(p as never, o as never),
  },
  {
    name: 'hashPassword (pbkdf2-sha256 refuses a pepper)',
    covers: [],
    async: true,
    args: [
      { ...passwordParam(), valid: () => 'password' },
      optionsArg(
        () => ({ algorithm: 'pbkdf2-sha256', pbkdf2: { iterations: 1 } }),
        {
          pepper: pepperParam('options.pepper', {
            cases: [...pepperParam('options.pepper').cases, typeCase('a keyring', pwRing)],
          }),
        },
        true,
      ),
    ],
    call: (p, o) => root.hashPassword(p as never, o as never),
  },
  {
    name: 'verifyPassword',
    covers: ['root:verifyPassword'],
    async: true,
    args: [
      {
        ...passwordParam([
          invalidKeyCase('a wrong password', 'wrong'),
          invalidKeyCase('the secret-looking string', SECRET_MARKER_TEXT),
          invalidKeyCase('empty', ''),
        ]),
        valid: () => 'password',
      },
      {
        name: 'phc',
        cases: [
          ...hostilePhc,
          invalidKeyCase("another password's hash", pwOther),
          cofferCase('ERR_KEY_NOT_FOUND', 'peppered under another keyring', pwForeign),
        ],
        kind: type,
        valid: () => pwPeppered,
      },
      optionsArg(() => ({ pepper: pwRing }), { pepper: pepperParam('options.pepper') }, true),
    ],
    call: (p, h, o) => root.verifyPassword(p as never, h as never, o as never),
  },
  {
    name: 'needsRehash',
    covers: ['root:needsRehash'],
    args: [
      { name: 'phc', cases: hostilePhc, kind: type, valid: () => pwPeppered },
      optionsArg(() => ({ ...PW_COSTS(), pepper: pwRing }), policyFields('policy'), true, 'policy'),
    ],
    call: (h, p) => root.needsRehash(h as never, p as never),
  },
  {
    name: 'configurePasswordHashing',
    covers: ['root:configurePasswordHashing'],
    args: [
      optionsArg(
        () => ({ concurrency: root.configurePasswordHashing().concurrency, argon2Backend: 'auto' }),
        {
          concurrency: intParam('options.concurrency', [rangeCase('0', 0), rangeCase('1025', 1025)], {
            optional: true,
          }),
          argon2Backend: enumParam('options.argon2Backend', ['Auto', 'argon2', 'node-rs', 'noble', ''], {
            optional: true,
          }),
        },
        true,
      ),
    ],
    call: (o) => root.configurePasswordHashing(o as never),
  },
  {
    name: 'generateRecoveryCodes',
    covers: ['root:generateRecoveryCodes'],
    args: [
      optionsArg(
        () => ({ count: 3 }),
        { count: intParam('options.count', [rangeCase('0', 0), rangeCase('101', 101)], { optional: true }) },
        true,
      ),
    ],
    call: (o) => root.generateRecoveryCodes(o as never),
  },
  {
    name: 'normalizeRecoveryCode',
    covers: ['root:normalizeRecoveryCode'],
    args: [
      {
        name: 'code',
        cases: [
          ...hostileStrings,
          decodeCase('empty string', ''),
          decodeCase('secret-looking string', SECRET_MARKER_TEXT),
          decodeCase('U, outside the alphabet', '7KQ4-M2XD-9PRT-HV3U'),
          decodeCase('17 symbols', '7KQ4-M2XD-9PRT-HV3CC'),
          decodeCase('1 MiB', 'A'.repeat(1 << 20)),
        ],
        kind: type,
        valid: () => rcCode,
      },
    ],
    call: (c) => root.normalizeRecoveryCode(c as never),
  },
  {
    name: 'hashRecoveryCodes',
    covers: ['root:hashRecoveryCodes'],
    async: true,
    args: [
      {
        name: 'codes',
        cases: [
          ...hostileBytes.filter((x) => !(Array.isArray(x.value) && x.value.length === 0)),
          rangeCase('empty array', []),
          rangeCase(
            '101 codes',
            Array.from({ length: 101 }, () => rcCode),
          ),
          typeCase('array holding null', [null]),
          typeCase('array holding a String object', [new String(rcCode)]),
          decodeCase('array holding a non-code', [SECRET_MARKER_TEXT]),
        ],
        kind: type,
        valid: () => [rcCode],
      },
      optionsArg(() => ({ pepper: rcRing }), { pepper: pepperParam('options.pepper') }, true),
    ],
    call: (c, o) => root.hashRecoveryCodes(c as never, o as never),
  },
  {
    name: 'regenerateRecoveryCodes',
    covers: ['root:regenerateRecoveryCodes'],
    async: true,
    args: [
      optionsArg(
        () => ({ count: 2, pepper: rcRing }),
        {
          count: intParam('options.count', [rangeCase('0', 0), rangeCase('101', 101)], { optional: true }),
          pepper: pepperParam('options.pepper'),
        },
        true,
      ),
    ],
    call: (o) => root.regenerateRecoveryCodes(o as never),
  },
  {
    name: 'recoveryCodeLookup',
    covers: ['root:recoveryCodeLookup'],
    args: [
      { ...typedCodeParam, valid: () => rcCode },
      optionsArg(() => ({ pepper: rcRing }), { pepper: pepperParam('options.pepper', { optional: false }) }),
    ],
    call: (c, o) => root.recoveryCodeLookup(c as never, o as never),
  },
  {
    name: 'verifyRecoveryCode',
    covers: ['root:verifyRecoveryCode'],
    async: true,
    args: [
      {
        ...typedCodeParam,
        cases: [...typedCodeParam.cases, invalidKeyCase('a code from another set', rcOtherCode)],
        valid: () => rcCode,
      },
      { ...storedSetParam, valid: () => rcSet.stored },
      optionsArg(
        () => ({ pepper: rcRing }),
        {
          pepper: pepperParam('options.pepper', {
            cases: [
              ...pepperParam('options.pepper').cases,
              cofferCase('ERR_KEY_NOT_FOUND', 'another keyring', Keyring.generate()),
            ],
          }),
        },
        true,
      ),
    ],
    call: (c, s, o) => root.verifyRecoveryCode(c as never, s as never, o as never),
  },
];

const TARGETS: readonly Target[] = [
  ...PASSWORD_TARGETS,
  // coffer: HOTP, TOTP, Webhook, MemoryReplayStore; coffer/encoding: base32
  ...OTP_WEBHOOK_TARGETS,
  // coffer/hazmat/ciphers, coffer/hazmat/decrepit, coffer/hazmat/padding
  ...CIPHER_TARGETS,
  // coffer/hazmat/aead
  ...AEAD_TARGETS,

  // coffer/encoding
  {
    name: 'hexEncode',
    covers: ['encoding:hexEncode'],
    args: [{ ...bytesParam('data'), valid: bytes16 }],
    call: (d) => hexEncode(d as never),
  },
  {
    name: 'hexDecode',
    covers: ['encoding:hexDecode'],
    args: [{ ...stringParam('text'), valid: () => '00ff' }],
    call: (t) => hexDecode(t as never),
  },
  {
    name: 'base64Encode',
    covers: ['encoding:base64Encode'],
    args: [{ ...bytesParam('data'), valid: bytes16 }],
    call: (d) => base64Encode(d as never),
  },
  {
    name: 'base64Decode',
    covers: ['encoding:base64Decode'],
    args: [{ ...stringParam('text'), valid: () => 'QQ==' }],
    call: (t) => base64Decode(t as never),
  },
  {
    name: 'base64urlEncode',
    covers: ['encoding:base64urlEncode'],
    args: [{ ...bytesParam('data'), valid: bytes16 }, optionsArg(paddingOptions, paddingField, true)],
    call: (d, o) => base64urlEncode(d as never, o as never),
  },
  {
    name: 'base64urlDecode',
    covers: ['encoding:base64urlDecode'],
    args: [{ ...stringParam('text'), valid: () => 'QQ' }, optionsArg(paddingOptions, paddingField, true)],
    call: (t, o) => base64urlDecode(t as never, o as never),
  },

  // coffer/keys
  {
    name: 'SecretKey.generate',
    covers: ['keys:SecretKey'],
    args: [
      {
        ...intParam('length', [rangeCase('0', 0), rangeCase('64 KiB + 1', SECRET_KEY_MAX_BYTES + 1)]),
        valid: () => 32,
      },
      optionsArg(
        () => ({ algorithm: 'HMAC-SHA256', id: 'k1' }),
        {
          algorithm: stringParam('options.algorithm', { optional: true }),
          id: stringParam('options.id', { optional: true }),
        },
        true,
      ),
    ],
    call: (n, o) => SecretKey.generate(n as never, o as never),
  },
  {
    name: 'SecretKey.fromBytes',
    covers: [],
    args: [
      {
        ...bytesParam('material', {}, [
          rangeCase('empty Uint8Array', new Uint8Array(0)),
          rangeCase('64 KiB + 1 bytes', new Uint8Array(SECRET_KEY_MAX_BYTES + 1)),
        ]),
        valid: bytes16,
      },
      optionsArg(
        () => ({ algorithm: 'HMAC-SHA256', id: 'k1' }),
        {
          algorithm: stringParam('options.algorithm', { optional: true }),
          id: stringParam('options.id', { optional: true }),
        },
        true,
      ),
    ],
    call: (m, o) => SecretKey.fromBytes(m as never, o as never),
  },
  {
    name: 'SecretKey#equals',
    covers: [],
    args: [{ ...secretKeyParam('other'), valid: () => SecretKey.generate(16) }],
    call: (other) => SecretKey.generate(16).equals(other as never),
  },

  // coffer/hazmat/insecure-export
  {
    name: 'exportSecretKeyBytes',
    covers: ['insecure-export:exportSecretKeyBytes'],
    args: [{ ...secretKeyParam('key'), valid: () => SecretKey.generate(16) }],
    call: (k) => exportSecretKeyBytes(k as never),
  },
  {
    name: 'exportAgeIdentity',
    covers: ['insecure-export:exportAgeIdentity'],
    args: [
      {
        name: 'identity',
        valid: () => generateX25519Identity(),
        cases: [...hostileInstances, typeCase('an X25519Recipient', generateX25519Identity().recipient())],
        kind: type,
      },
    ],
    call: (i) => exportAgeIdentity(i as never),
  },

  // coffer/hazmat/constant-time
  {
    name: 'bytesEqual',
    covers: ['constant-time:bytesEqual'],
    args: [
      { ...bytesParam('a'), valid: bytes16 },
      { ...bytesParam('b'), valid: bytes16 },
    ],
    call: (a, b) => bytesEqual(a as never, b as never),
  },

  // coffer/hazmat/random and coffer (randomToken is re-exported at the root)
  {
    name: 'randomBytes',
    covers: ['random:randomBytes'],
    args: [{ ...intParam('n', [rangeCase('64 MiB + 1', MAX_RANDOM_BYTES + 1)]), valid: () => 16 }],
    call: (n) => randomBytes(n as never),
  },
  {
    name: 'randomToken',
    covers: ['random:randomToken', 'root:randomToken'],
    args: [
      {
        ...intParam(
          'bytes',
          [rangeCase('0', 0), rangeCase('15 (under 128 bits)', 15), rangeCase('1025', 1025)],
          {
            optional: true,
          },
        ),
        valid: () => 16,
      },
    ],
    call: (n) => randomToken(n as never),
  },
  {
    name: 'randomToken (root export)',
    covers: [],
    args: [{ ...intParam('bytes', [rangeCase('15', 15)], { optional: true }), valid: () => 16 }],
    call: (n) => root.randomToken(n as never),
  },

  // coffer/hazmat/hashes
  {
    name: 'SHAKE128',
    covers: ['hashes:SHAKE128'],
    args: [{ ...intParam('digestSize', lengthExtras(MAX_XOF_OUTPUT)), valid: () => 32 }],
    call: (n) => new SHAKE128(n as never),
  },
  {
    name: 'SHAKE256',
    covers: ['hashes:SHAKE256'],
    args: [{ ...intParam('digestSize', lengthExtras(MAX_XOF_OUTPUT)), valid: () => 64 }],
    call: (n) => new SHAKE256(n as never),
  },
  {
    name: 'BLAKE2b',
    covers: ['hashes:BLAKE2b'],
    args: [
      {
        ...intParam('digestSize', [rangeCase('32', 32), rangeCase('63', 63), rangeCase('65', 65)], {
          optional: true,
        }),
        valid: () => 64,
      },
    ],
    call: (n) => new BLAKE2b(n as never),
  },
  {
    name: 'BLAKE2s',
    covers: ['hashes:BLAKE2s'],
    args: [
      {
        ...intParam('digestSize', [rangeCase('16', 16), rangeCase('64', 64)], { optional: true }),
        valid: () => 32,
      },
    ],
    call: (n) => new BLAKE2s(n as never),
  },
  {
    name: 'Hash constructor',
    covers: ['hashes:Hash'],
    args: [{ ...algorithmParam(), valid: sha }],
    call: (a) => new Hash(a as never),
  },
  {
    name: 'Hash#update',
    covers: [],
    args: [{ ...bytesLikeParam('data'), valid: bytes16 }],
    call: (d) => new Hash(sha()).update(d as never),
  },
  {
    name: 'hash',
    covers: ['hashes:hash'],
    args: [
      { ...algorithmParam(), valid: sha },
      { ...bytesLikeParam('data'), valid: bytes16 },
    ],
    call: (a, d) => hash(a as never, d as never),
  },
  {
    name: 'hashStream',
    covers: ['hashes:hashStream'],
    args: [
      { ...algorithmParam(), valid: sha },
      {
        name: 'source',
        // Chunks are checked as they arrive, under the name "data".
        label: ['source', 'data'],
        kind: type,
        cases: hostileSources(),
        valid: () => [bytes16(), 'text'],
      },
    ],
    call: (a, s) => hashStream(a as never, s as never),
  },
  {
    name: 'hashFile',
    covers: ['hashes:hashFile'],
    args: [
      { ...algorithmParam(), valid: sha },
      { ...stringParam('path'), valid: () => thisFile },
    ],
    call: (a, p) => hashFile(a as never, p as never),
  },

  // coffer/hazmat/hmac
  {
    name: 'HMAC constructor',
    covers: ['hmac:HMAC'],
    args: [
      { ...keyParam('key'), valid: bytes16 },
      { ...algorithmParam('algorithm', { xofAllowed: false }), valid: sha },
    ],
    call: (k, a) => new HMAC(k as never, a as never),
  },
  {
    name: 'HMAC#update',
    covers: [],
    args: [{ ...bytesLikeParam('data'), valid: bytes16 }],
    call: (d) => new HMAC(bytes16(), sha()).update(d as never),
  },
  {
    name: 'HMAC#verify',
    covers: [],
    args: [{ ...bytesParam('signature'), valid: () => hmacTag }],
    call: (s) => new HMAC(bytes16(), sha()).update('data').verify(s as never),
  },
  {
    name: 'hmac',
    covers: ['hmac:hmac'],
    args: [
      { ...algorithmParam('algorithm', { xofAllowed: false }), valid: sha },
      { ...keyParam('key'), valid: bytes16 },
      { ...bytesLikeParam('data'), valid: () => 'data' },
    ],
    call: (a, k, d) => hmac(a as never, k as never, d as never),
  },
  {
    name: 'hmacVerify',
    covers: ['hmac:hmacVerify'],
    args: [
      { ...algorithmParam('algorithm', { xofAllowed: false }), valid: sha },
      { ...keyParam('key'), valid: bytes16 },
      { ...bytesLikeParam('data'), valid: () => 'data' },
      { ...bytesParam('signature'), valid: () => hmacTag },
    ],
    call: (a, k, d, s) => hmacVerify(a as never, k as never, d as never, s as never),
  },

  // coffer/hazmat/kdf
  ...KDFS.flatMap(kdfTargets),

  // coffer/hazmat/keywrap
  {
    name: 'aesKeyWrap',
    covers: ['keywrap:aesKeyWrap'],
    args: [
      { ...aesKeyParam('wrappingKey'), valid: bytes16 },
      { ...keyToWrapParam([0, 8, 15, 20, MAX_KEY_WRAP_BYTES + 8]), valid: bytes32 },
    ],
    call: (k, d) => aesKeyWrap(k as never, d as never),
  },
  {
    name: 'aesKeyUnwrap',
    covers: ['keywrap:aesKeyUnwrap'],
    args: [
      { ...aesKeyParam('wrappingKey'), valid: () => wrapKek },
      { ...wrappedParam(wrappedKey, 24), valid: () => wrappedKey },
    ],
    call: (k, w) => aesKeyUnwrap(k as never, w as never),
  },
  {
    name: 'aesKeyWrapWithPadding',
    covers: ['keywrap:aesKeyWrapWithPadding'],
    args: [
      { ...aesKeyParam('wrappingKey'), valid: bytes16 },
      { ...keyToWrapParam([0, MAX_KEY_WRAP_BYTES + 1]), valid: bytes16 },
    ],
    call: (k, d) => aesKeyWrapWithPadding(k as never, d as never),
  },
  {
    name: 'aesKeyUnwrapWithPadding',
    covers: ['keywrap:aesKeyUnwrapWithPadding'],
    args: [
      { ...aesKeyParam('wrappingKey'), valid: () => wrapKek },
      { ...wrappedParam(paddedWrappedKey, 16), valid: () => paddedWrappedKey },
    ],
    call: (k, w) => aesKeyUnwrapWithPadding(k as never, w as never),
  },

  // coffer/hazmat/cmac
  {
    name: 'CMAC constructor',
    covers: ['cmac:CMAC'],
    args: [{ ...aesKeyParam('key'), valid: bytes16 }],
    call: (k) => new CMAC(k as never),
  },
  {
    name: 'CMAC#update',
    covers: [],
    args: [{ ...bytesLikeParam('data'), valid: bytes16 }],
    call: (d) => new CMAC(bytes16()).update(d as never),
  },
  {
    name: 'CMAC#verify',
    covers: [],
    args: [{ ...tagParam('signature', cmacTag), valid: () => cmacTag }],
    call: (s) => new CMAC(bytes16()).update('data').verify(s as never),
  },
  {
    name: 'cmac',
    covers: ['cmac:cmac'],
    args: [
      { ...aesKeyParam('key'), valid: bytes16 },
      { ...bytesLikeParam('data'), valid: () => 'data' },
    ],
    call: (k, d) => cmac(k as never, d as never),
  },
  {
    name: 'cmacVerify',
    covers: ['cmac:cmacVerify'],
    args: [
      {
        ...aesKeyParam('key'),
        cases: [...aesKeyParam('key').cases, signatureCase('another key', bytes32())],
        valid: bytes16,
      },
      { ...bytesLikeParam('data'), valid: () => 'data' },
      { ...tagParam('signature', cmacTag), valid: () => cmacTag },
    ],
    call: (k, d, s) => cmacVerify(k as never, d as never, s as never),
  },

  // coffer/hazmat/poly1305
  {
    name: 'Poly1305 constructor',
    covers: ['poly1305:Poly1305'],
    args: [{ ...polyKeyParam(), valid: freshPolyKey }],
    call: (k) => new Poly1305(k as never),
  },
  {
    name: 'Poly1305.generateTag',
    covers: [],
    args: [
      {
        ...polyKeyParam([cofferCase('ERR_ALREADY_FINALIZED', 'a key that has produced a tag', polyKey)]),
        valid: freshPolyKey,
      },
      { ...bytesLikeParam('data'), valid: () => 'data' },
    ],
    call: (k, d) => Poly1305.generateTag(k as never, d as never),
  },
  {
    name: 'Poly1305.verifyTag',
    covers: [],
    args: [
      { ...polyKeyParam([signatureCase('another key', freshPolyKey())]), valid: () => polyKey },
      { ...bytesLikeParam('data'), valid: () => 'data' },
      { ...tagParam('tag', polyTag), valid: () => polyTag },
    ],
    call: (k, d, t) => Poly1305.verifyTag(k as never, d as never, t as never),
  },
  {
    name: 'Poly1305#update',
    covers: [],
    args: [{ ...bytesLikeParam('data'), valid: bytes16 }],
    call: (d) => new Poly1305(freshPolyKey()).update(d as never),
  },
  {
    name: 'Poly1305#verify',
    covers: [],
    args: [{ ...tagParam('tag', polyTag), valid: () => polyTag }],
    call: (t) => new Poly1305(polyKey).update('data').verify(t as never),
  },

  // coffer: Keyring
  {
    name: 'Keyring.generate',
    covers: ['root:Keyring'],
    args: [
      optionsArg(
        () => ({ label: 'users', ...keyringOptions() }),
        { label: labelParam(), audit: auditParam, clock: clockParam({ called: true }) },
        true,
      ),
    ],
    call: (o) => Keyring.generate(o as never),
  },
  {
    name: 'Keyring#add',
    covers: [],
    args: [optionsArg(() => ({ label: 'next' }), { label: labelParam() }, true)],
    call: (o) => fixture().add(o as never),
  },
  {
    name: 'Keyring#rotate',
    covers: [],
    args: [optionsArg(() => ({ label: 'next' }), { label: labelParam() }, true)],
    call: (o) => fixture().rotate(o as never),
  },
  {
    name: 'Keyring#promote',
    covers: [],
    args: [{ ...idParam([stateError('disabled'), stateError('retired')]), valid: () => KEY.active }],
    call: (id) => fixture().promote(id as never),
  },
  {
    name: 'Keyring#disable',
    covers: [],
    args: [{ ...idParam([stateError('primary'), stateError('retired')]), valid: () => KEY.active }],
    call: (id) => fixture().disable(id as never),
  },
  {
    name: 'Keyring#enable',
    covers: [],
    args: [{ ...idParam([stateError('retired')]), valid: () => KEY.disabled }],
    call: (id) => fixture().enable(id as never),
  },
  {
    name: 'Keyring#retire',
    covers: [],
    args: [{ ...idParam([stateError('primary')]), valid: () => KEY.active }],
    call: (id) => fixture().retire(id as never),
  },
  {
    name: 'Keyring#remove',
    covers: [],
    args: [{ ...idParam([stateError('primary')]), valid: () => KEY.retired }],
    call: (id) => fixture().remove(id as never),
  },
  {
    name: 'Keyring#list',
    covers: [],
    args: [],
    call: () => fixture().list(),
  },
  {
    name: 'Keyring#seal',
    covers: [],
    args: [{ ...bytesLikeParam('plaintext'), valid: () => 'ada@example.com' }, sealOptionsArg()],
    call: (pt, o) => ring.seal(pt as never, o as never),
  },
  {
    name: 'Keyring#sealToBytes',
    covers: [],
    args: [{ ...bytesLikeParam('plaintext'), valid: bytes16 }, sealOptionsArg()],
    call: (pt, o) => ring.sealToBytes(pt as never, o as never),
  },
  {
    name: 'Keyring#open',
    covers: [],
    args: [{ ...sealedTokenParam(), valid: () => activeToken }, sealOptionsArg()],
    call: (t, o) => ring.open(t as never, o as never),
  },
  {
    name: 'Keyring#openText',
    covers: [],
    args: [
      {
        ...sealedTokenParam([tokenCase('sealed bytes that are not UTF-8', binaryPlaintextToken)]),
        valid: () => activeTokenBytes,
      },
      sealOptionsArg(),
    ],
    call: (t, o) => ring.openText(t as never, o as never),
  },
  {
    name: 'Keyring#reseal',
    covers: [],
    args: [{ ...sealedTokenParam(), valid: () => activeToken }, sealOptionsArg()],
    call: (t, o) => ring.reseal(t as never, o as never),
  },
  {
    name: 'Keyring#keyIdOf',
    covers: [],
    // Only the header is read: a token under another context or key still names its key.
    args: [{ name: 'token', cases: malformedSealedTokens, kind: type, valid: () => activeTokenBytes }],
    call: (t) => ring.keyIdOf(t as never),
  },
  {
    name: 'Keyring#save (passphrase)',
    covers: [],
    async: true,
    args: [
      {
        ...optionsArg(
          () => ({ passphrase: PASSPHRASE, scrypt: { ...FAST_SCRYPT } }),
          {
            passphrase: {
              ...stringParam('protection.passphrase'),
              cases: [...hostileStrings, rangeCase('empty string', '')],
            },
            scrypt: {
              name: 'protection.scrypt',
              cases: [...hostileObjects, typeCase('array', [])],
              kind: type,
              optional: true,
            },
            'scrypt.n': intParam(
              'protection.scrypt.n',
              [
                rangeCase('2**13', 2 ** 13),
                rangeCase('2**14 + 1', 2 ** 14 + 1),
                rangeCase('3 * 2**14', 3 * 2 ** 14),
                rangeCase('2**21', 2 ** 21),
              ],
              { optional: true },
            ),
            'scrypt.r': intParam('protection.scrypt.r', [rangeCase('0', 0), rangeCase('33', 33)], {
              optional: true,
            }),
            'scrypt.p': intParam('protection.scrypt.p', [rangeCase('0', 0), rangeCase('5', 5)], {
              optional: true,
            }),
          },
          false,
          'protection',
        ),
        cases: [
          ...hostileObjects,
          typeCase('undefined', undefined),
          typeCase('array', []),
          typeCase('{}', {}),
        ],
      },
    ],
    call: (p) => ring.save(p as never),
  },
  {
    name: 'Keyring#save (key-encryption key)',
    covers: [],
    async: true,
    args: [
      optionsArg(
        () => ({ kek: bytes32(), kekId: 'kms/key-1' }),
        {
          kek: kekParam('protection.kek'),
          kekId: stringParam('protection.kekId', { optional: true }),
        },
        false,
        'protection',
      ),
    ],
    call: (p) => ring.save(p as never),
  },
  {
    name: 'Keyring.load (passphrase)',
    covers: [],
    async: true,
    args: [
      { ...keyringTextParam(passFile, true), valid: () => passFile },
      {
        ...optionsArg(
          () => ({ passphrase: PASSPHRASE }),
          {
            passphrase: {
              ...stringParam('passphrase'),
              cases: [
                ...hostileStrings,
                cofferCase('ERR_KEYRING', 'a wrong passphrase', 'wrong passphrase'),
                cofferCase('ERR_KEYRING', 'the secret-looking string', SECRET_MARKER_TEXT),
              ],
            },
          },
          false,
          'unlock',
        ),
        cases: [
          ...hostileObjects,
          typeCase('undefined', undefined),
          typeCase('array', []),
          typeCase('{kek} for a passphrase file', { kek: KEK }),
        ],
      },
    ],
    call: (t, u) => Keyring.load(t as never, u as never),
  },
  {
    name: 'Keyring.load (key-encryption key)',
    covers: [],
    async: true,
    args: [
      { ...keyringTextParam(kekFile, true), valid: () => kekFile },
      {
        ...optionsArg(
          () => ({ kek: KEK }),
          {
            kek: kekParam('kek', [
              cofferCase('ERR_KEYRING', 'a wrong 32-byte KEK', new Uint8Array(32)),
              cofferCase('ERR_KEYRING', 'a wrong SecretKey', SecretKey.generate(32)),
            ]),
          },
          false,
          'unlock',
        ),
        cases: [
          ...hostileObjects,
          typeCase('undefined', undefined),
          typeCase('array', []),
          typeCase('{passphrase} for a KEK file', { passphrase: PASSPHRASE }),
        ],
      },
      optionsArg(keyringOptions, { audit: auditParam, clock: clockParam({ called: false }) }, true),
    ],
    call: (t, u, o) => Keyring.load(t as never, u as never, o as never),
  },
  {
    name: 'Keyring.inspect',
    covers: [],
    args: [{ ...keyringTextParam(passFile, false), valid: () => passFile }],
    call: (t) => Keyring.inspect(t as never),
  },

  // coffer/hazmat/insecure-export: keyrings
  {
    name: 'exportKeyringCleartext',
    covers: ['insecure-export:exportKeyringCleartext'],
    args: [{ name: 'keyring', cases: notKeyrings, kind: type, valid: fixture }],
    call: (k) => exportKeyringCleartext(k as never),
  },
  {
    name: 'importKeyringCleartext',
    covers: ['insecure-export:importKeyringCleartext'],
    args: [
      { ...cleartextParam, valid: () => fixtureText },
      optionsArg(keyringOptions, { audit: auditParam, clock: clockParam({ called: false }) }, true),
    ],
    call: (t, o) => importKeyringCleartext(t as never, o as never),
  },

  // coffer: Fernet
  {
    name: 'Fernet constructor',
    covers: ['root:Fernet'],
    args: [
      {
        name: 'key',
        cases: [
          ...hostileBytesLike,
          decodeCase('secret-looking string', SECRET_MARKER_TEXT),
          decodeCase('standard base64 (+ and /)', Buffer.alloc(32, 0xfb).toString('base64')),
          decodeCase('key with a space', ` ${fernetKey}`),
          rangeCase('empty string', ''),
          rangeCase('hex string (24 bytes decoded)', 'deadbeefdeadbeefdeadbeefdeadbeef'),
          rangeCase('16 bytes', new Uint8Array(16)),
          rangeCase('the key text as 44 bytes', Buffer.from(fernetKey)),
        ],
        kind: type,
        valid: () => fernetKey,
      },
    ],
    call: (k) => new Fernet(k as never),
  },
  { name: 'Fernet.generateKey', covers: [], args: [], call: () => Fernet.generateKey() },
  {
    name: 'Fernet#encrypt',
    covers: [],
    args: [{ ...bytesLikeParam('data'), valid: () => 'data' }],
    call: (d) => fernet.encrypt(d as never),
  },
  {
    name: 'Fernet#encryptAtTime',
    covers: [],
    args: [
      { ...bytesLikeParam('data'), valid: bytes16 },
      { ...secondsParam('unixSeconds'), valid: () => 1000 },
    ],
    call: (d, t) => fernet.encryptAtTime(d as never, t as never),
  },
  {
    name: 'Fernet#decrypt',
    covers: [],
    args: [
      {
        ...fernetTokens([
          tokenCase('older than the ttl', fernet.encryptAtTime('x', 0)),
          tokenCase('an hour in the future', fernet.encryptAtTime('x', nowSeconds() + 3600)),
        ]),
        valid: () => fernet.encrypt('x'),
      },
      { ...secondsParam('ttl', [], true), valid: () => 3600 },
    ],
    call: (t, ttl) => fernet.decrypt(t as never, ttl as never),
  },
  {
    name: 'Fernet#decryptAtTime',
    covers: [],
    args: [
      {
        ...fernetTokens([tokenCase('older than the ttl', fernet.encryptAtTime('x', 900))]),
        valid: () => fernet.encryptAtTime('x', 1000),
      },
      { ...secondsParam('ttl', [tokenCase('0 (the token is 30 s old)', 0)]), valid: () => 60 },
      {
        ...secondsParam('unixSeconds', [
          tokenCase('past the ttl', 5000),
          tokenCase('over 60 s before the token', 0),
        ]),
        valid: () => 1030,
      },
    ],
    call: (t, ttl, now) => fernet.decryptAtTime(t as never, ttl as never, now as never),
  },
  {
    name: 'Fernet#extractTimestamp',
    covers: [],
    args: [{ ...fernetTokens(), valid: () => fernet.encryptAtTime('x', 0) }],
    call: (t) => fernet.extractTimestamp(t as never),
  },

  // coffer: MultiFernet
  {
    name: 'MultiFernet constructor',
    covers: ['root:MultiFernet'],
    args: [{ ...fernetLists, valid: () => [otherFernet, fernet] }],
    call: (f) => new MultiFernet(f as never),
  },
  {
    name: 'MultiFernet#encrypt',
    covers: [],
    args: [{ ...bytesLikeParam('data'), valid: () => 'data' }],
    call: (d) => multi().encrypt(d as never),
  },
  {
    name: 'MultiFernet#encryptAtTime',
    covers: [],
    args: [
      { ...bytesLikeParam('data'), valid: bytes16 },
      { ...secondsParam('unixSeconds'), valid: () => 1000 },
    ],
    call: (d, t) => multi().encryptAtTime(d as never, t as never),
  },
  {
    name: 'MultiFernet#decrypt',
    covers: [],
    args: [
      {
        ...fernetTokens([tokenCase('older than the ttl', fernet.encryptAtTime('x', 0))]),
        valid: () => fernet.encrypt('x'),
      },
      { ...secondsParam('ttl', [], true), valid: () => 3600 },
    ],
    call: (t, ttl) => multi().decrypt(t as never, ttl as never),
  },
  {
    name: 'MultiFernet#decryptAtTime',
    covers: [],
    args: [
      { ...fernetTokens(), valid: () => fernet.encryptAtTime('x', 1000) },
      { ...secondsParam('ttl', [tokenCase('0 (the token is 30 s old)', 0)]), valid: () => 60 },
      { ...secondsParam('unixSeconds', [tokenCase('past the ttl', 5000)]), valid: () => 1030 },
    ],
    call: (t, ttl, now) => multi().decryptAtTime(t as never, ttl as never, now as never),
  },
  {
    name: 'MultiFernet#rotate',
    covers: [],
    args: [{ ...fernetTokens(), valid: () => fernet.encryptAtTime('x', 0) }],
    call: (t) => multi().rotate(t as never),
  },
  {
    name: 'MultiFernet#extractTimestamp',
    covers: [],
    args: [{ ...fernetTokens(), valid: () => fernet.encryptAtTime('x', 0) }],
    call: (t) => multi().extractTimestamp(t as never),
  },
];

/** Sources `hashStream` must refuse: non-iterables, fake iterables, and iterables of bad chunks. */
function hostileSources(): Case[] {
  // Built on each access: generators and streams are single-use.
  const lazy = (label: string, make: () => unknown): Case => ({
    label,
    get value() {
      return make();
    },
  });
  return [
    ...hostileStrings.filter((x) => typeof x.value !== 'object' || x.value === null),
    ...hostileBytesLike.filter((x) => x.value === null || typeof x.value !== 'object'),
    typeCase('string (iterable, but not a stream of chunks)', 'abc'),
    typeCase('{}', {}),
    typeCase('Promise', Promise.resolve([new Uint8Array(1)])),
    typeCase('{[Symbol.iterator]: 1}', { [Symbol.iterator]: 1 }),
    typeCase('{[Symbol.asyncIterator]: "x"}', { [Symbol.asyncIterator]: 'x' }),
    lazy('Uint8Array (an iterable of numbers)', () => new Uint8Array(4)),
    lazy('array of numbers', () => [1, 2, 3]),
    lazy('array holding null', () => [new Uint8Array(1), null]),
    lazy('array of Uint16Array', () => [new Uint16Array(2)]),
    lazy('generator yielding an object', () =>
      (function* () {
        yield new Uint8Array(1);
        yield { length: 1 };
      })(),
    ),
    lazy('async generator yielding a number', () =>
      (async function* () {
        yield 'a';
        yield 42;
      })(),
    ),
    lazy('object-mode Readable of numbers', () => Readable.from([1, 2, 3])),
    lazy(
      'web ReadableStream of numbers',
      () =>
        new ReadableStream({
          start(controller) {
            controller.enqueue(1);
            controller.close();
          },
        }),
    ),
  ];
}

runTargets(TARGETS);

// ---------------------------------------------------------------------------------------------------
// Limits that need more than one field, and behaviours a table cannot express.

describe('KDF output limits', () => {
  const algorithms = [new SHA256(), new SHA512(), new hashes.SHA1()];
  for (const alg of algorithms) {
    test(`HKDF and HKDFExpand with ${alg.name}: 255 × ${alg.digestSize} accepted, one more refused`, async () => {
      const max = 255 * alg.digestSize; // RFC 5869 §2.3
      assert.equal(new HKDF({ algorithm: alg, length: max, salt: null }).derive(bytes16()).length, max);
      assert.equal(new HKDFExpand({ algorithm: alg, length: max }).derive(bytes16()).length, max);
      await expectTypedRejection(() => new HKDF({ algorithm: alg, length: max + 1 }), {
        kind: 'RangeError',
        label: 'length',
      });
      await expectTypedRejection(() => new HKDFExpand({ algorithm: alg, length: max + 1 }), {
        kind: 'RangeError',
        label: 'length',
      });
    });
  }

  test('every KDF refuses MAX_KDF_OUTPUT + 1 bytes at construction', async () => {
    const over = MAX_KDF_OUTPUT + 1;
    const alg = new SHA512();
    const makers: Array<[string, () => unknown]> = [
      ['PBKDF2HMAC', () => new PBKDF2HMAC({ algorithm: alg, length: over, salt: bytes16(), iterations: 1 })],
      ['Scrypt', () => new Scrypt({ salt: bytes16(), length: over, n: 16, r: 1, p: 1 })],
      ['ConcatKDFHash', () => new ConcatKDFHash({ algorithm: alg, length: over })],
      ['ConcatKDFHMAC', () => new ConcatKDFHMAC({ algorithm: alg, length: over })],
      ['X963KDF', () => new X963KDF({ algorithm: alg, length: over })],
      [
        'KBKDFHMAC',
        () =>
          new KBKDFHMAC({
            algorithm: alg,
            mode: Mode.CounterMode,
            length: over,
            rlen: 4,
            llen: 4,
            location: CounterLocation.BeforeFixed,
          }),
      ],
    ];
    for (const [name, make] of makers) {
      await expectTypedRejection(make, { kind: 'RangeError', label: 'length' });
      assert.ok(name);
    }
  });

  test('PBKDF2HMAC derives exactly MAX_KDF_OUTPUT bytes when asked', () => {
    const k = new PBKDF2HMAC({
      algorithm: new SHA256(),
      length: MAX_KDF_OUTPUT,
      salt: bytes16(),
      iterations: 1,
    });
    assert.equal(k.derive('pw').length, MAX_KDF_OUTPUT);
  });

  test('KBKDFHMAC: at most (2^(8·rlen) - 1) blocks (SP 800-108 §4.1)', async () => {
    const options = {
      algorithm: new SHA256(),
      mode: Mode.CounterMode,
      rlen: 1,
      llen: 4,
      location: CounterLocation.BeforeFixed,
    } as const;
    assert.equal(new KBKDFHMAC({ ...options, length: 255 * 32 }).derive(bytes16()).length, 255 * 32);
    await expectTypedRejection(() => new KBKDFHMAC({ ...options, length: 255 * 32 + 1 }), {
      kind: 'RangeError',
      label: 'length',
    });
  });

  test('huge PBKDF2 iteration counts are refused at construction', async () => {
    for (const iterations of [MAX_PBKDF2_ITERATIONS + 1, 2 ** 32, 2 ** 53, Number.POSITIVE_INFINITY]) {
      await expectTypedRejection(
        () => new PBKDF2HMAC({ algorithm: new SHA256(), length: 32, salt: bytes16(), iterations }),
        { kind: 'RangeError', label: 'iterations' },
      );
    }
  });
});

describe('scrypt parameter ceilings', () => {
  const base = { salt: bytes16(), length: 32, r: 1, p: 1 };

  test('n must be a power of 2', async () => {
    for (const n of [3, 6, 12, 1000, 2 ** 14 + 1, 2 ** 20 - 1, 2 ** 31 - 1]) {
      await expectTypedRejection(() => new Scrypt({ ...base, r: 8, n, maxMemory: 2 ** 48 }), {
        kind: 'RangeError',
        label: 'n',
      });
    }
  });

  test('n must be below 2^(16·r) (RFC 7914 §2), checked at construction', async () => {
    await expectTypedRejection(() => new Scrypt({ ...base, n: 2 ** 16, r: 1 }), {
      kind: 'RangeError',
      label: 'n',
    });
    assert.equal(new Scrypt({ ...base, n: 2 ** 15, r: 1 }).derive('pw').length, 32);
  });

  test('n above what node accepts (2^31) is refused at construction', async () => {
    for (const n of [2 ** 32, 2 ** 40]) {
      await expectTypedRejection(() => new Scrypt({ ...base, n, r: 4, maxMemory: 2 ** 48 }), {
        kind: 'RangeError',
        label: 'n',
      });
    }
  });

  // A synchronous throw from the constructor is the "before any work" guarantee: nothing was allocated.
  test('memory over the default 1 GiB (+1 MiB) cap throws RangeError from the constructor', () => {
    // n = 2^20, r = 8, p = 1 needs 1 GiB + 3 KiB and is allowed; doubling r is not.
    assert.doesNotThrow(() => new Scrypt({ ...base, n: 2 ** 20, r: 8, p: 1 }));
    for (const [n, r, p] of [
      [2 ** 20, 16, 1],
      [2 ** 31, 8, 1],
      [2 ** 14, 1024, 1],
      [2 ** 10, 1, 2 ** 24],
    ] as const) {
      assert.throws(
        () => new Scrypt({ ...base, n, r, p }),
        (err: unknown) => err instanceof RangeError && /maxMemory/.test(err.message),
        `n=${n} r=${r} p=${p}`,
      );
    }
  });

  test('an explicit maxMemory is honoured, both ways', () => {
    // 128 · 8 · (2^14 + 1 + 2) bytes ≈ 16 MiB.
    assert.throws(() => new Scrypt({ ...base, n: 2 ** 14, r: 8, maxMemory: 1 << 20 }), RangeError);
    assert.equal(new Scrypt({ ...base, n: 2 ** 10, r: 8, maxMemory: 2 << 20 }).derive('pw').length, 32);
  });

  test('p · r too large (RFC 7914 §2) is refused', async () => {
    await expectTypedRejection(
      () => new Scrypt({ ...base, n: 2, r: 2 ** 15, p: 2 ** 15, maxMemory: 2 ** 48 }),
      {
        kind: 'RangeError',
        label: 'p',
      },
    );
  });
});

describe('constructors that are not public', () => {
  test('new SecretKey(...) is refused at run time, not only by the type checker', async () => {
    const Ctor = SecretKey as unknown as new (...args: unknown[]) => SecretKey;
    for (const args of [[], [new Uint8Array(0), {}], ['not bytes', {}], [new Uint8Array(32), {}]]) {
      await expectTypedRejection(() => new Ctor(...args), { kind: 'TypeError' });
    }
  });
});

describe('hash algorithms the runtime lacks', () => {
  class Missing extends HashAlgorithm {
    readonly name = 'missing';
    readonly digestSize = 32;
    readonly blockSize = 64;
    readonly opensslName = 'no-such-hash';
  }
  test('raise UnsupportedAlgorithm, before any data is read', async () => {
    const calls: Array<() => unknown> = [
      () => hash(new Missing(), 'x'),
      () => new Hash(new Missing()),
      () => new HMAC(bytes16(), new Missing()),
      () => hmac(new Missing(), bytes16(), 'x'),
      () => new HKDF({ algorithm: new Missing(), length: 32 }).derive(bytes16()),
      () => hashStream(new Missing(), [new Uint8Array(1)]),
    ];
    for (const call of calls) {
      await expectTypedRejection(call, { kind: 'CofferError' });
      await assert.rejects(async () => call(), UnsupportedAlgorithm);
    }
  });
});

describe('messages describe the refused value by its type, never its content', () => {
  const u8 = new Uint8Array(4);
  const cases: Array<[string, unknown, string]> = [
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['NaN', Number.NaN, 'NaN'],
    ['a string', SECRET_MARKER_TEXT, 'string'],
    ['a Uint16Array', new Uint16Array(2), 'Uint16Array'],
    ['an ArrayBuffer', new ArrayBuffer(2), 'ArrayBuffer'],
    ['a plain object', { length: 4 }, 'Object'],
    ['Object.create(null)', Object.create(null), 'object'],
    ['a Proxy around a Uint8Array', new Proxy(u8, {}), 'Proxy'],
    [
      'Object.create(Uint8Array.prototype)',
      Object.create(Uint8Array.prototype),
      'an object posing as Uint8Array',
    ],
    ['a SecretKey', SecretKey.generate(16), 'SecretKey'],
    [
      'an object whose constructor getter throws',
      Object.defineProperty({}, 'constructor', {
        get() {
          throw new Error('getter ran');
        },
      }),
      'object',
    ],
  ];
  for (const [name, value, described] of cases) {
    test(name, () => {
      assert.throws(() => hexEncode(value as never), {
        name: 'TypeError',
        message: `"data" must be a Uint8Array, got ${described}`,
      });
    });
  }
});

describe('a refused call does not use up a single-use object', () => {
  test('KDFs, Hash and HMAC still work after a hostile argument', async () => {
    const k = new HKDF({ algorithm: new SHA256(), length: 32 });
    await expectTypedRejection(() => k.derive('string ikm' as never));
    await expectTypedRejection(() => k.verify(bytes16(), 'not bytes' as never));
    assert.equal(k.derive(bytes16()).length, 32);

    const p = new PBKDF2HMAC({ algorithm: new SHA256(), length: 32, salt: bytes16(), iterations: 1 });
    await expectTypedRejection(() => p.deriveAsync(42 as never));
    await expectTypedRejection(() => p.verifyAsync('pw', null as never));
    assert.equal((await p.deriveAsync('pw')).length, 32);

    const h = new Hash(new SHA256()).update('a');
    await expectTypedRejection(() => h.update(null as never));
    assert.deepEqual(h.finalize(), hash(new SHA256(), 'a'));

    const m = new HMAC(bytes16(), new SHA256()).update('data');
    await expectTypedRejection(() => m.verify('tag' as never));
    m.verify(hmacTag);
  });
});

// ---------------------------------------------------------------------------------------------------
// Coverage: every exported function or class of every public module has an entry above.

const MODULES: Record<string, Record<string, unknown>> = {
  root,
  errors,
  keys,
  encoding,
  hashes,
  hmac: hmacModule,
  kdf,
  'constant-time': constantTime,
  random,
  'insecure-export': insecureExport,
  aead: aeadModule,
  keywrap,
  cmac: cmacModule,
  poly1305: poly1305Module,
  ciphers: ciphersModule,
  decrepit: decrepitModule,
  padding: paddingModule,
};

/** Exports that take no hostile input, with the reason. */
const EXEMPT: Record<string, string> = {
  ...Object.fromEntries(
    ['SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512', 'SHA512_224', 'SHA512_256', 'SHA3_224', 'SHA3_256']
      .concat(['SHA3_384', 'SHA3_512', 'MD5'])
      .map((n) => [`hashes:${n}`, 'constructor takes no arguments']),
  ),
  'hashes:HashAlgorithm': 'abstract base class; its instances are covered as hostile algorithms',
  'ciphers:CipherAlgorithm': 'abstract base class; its instances are covered as hostile algorithms',
  'ciphers:BlockCipherAlgorithm': 'abstract base class; its instances are covered as hostile algorithms',
  'ciphers:Mode': 'abstract base class; its instances are covered as hostile modes',
  'ciphers:ECB': 'constructor takes no arguments',
  ...(hasOcb ? {} : { 'aead:AESOCB3': "this runtime's OpenSSL has no AES-OCB: the constructor only throws" }),
};

checkCoverage(MODULES, TARGETS, EXEMPT, 'test/hostile.test.ts');
