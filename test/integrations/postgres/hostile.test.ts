// The hostile-input table for coffer/postgres's core modules (client, table, blind-index, recovery-codes,
// schema): every exported function, class and public method, every argument, every hostile value, refused
// with a labelled TypeError/RangeError or the documented CofferError. The rotation modules keep their own.
import { after } from 'node:test';
import * as blindIndexModule from '../../../src/integrations/postgres/blind-index.ts';
import * as clientModule from '../../../src/integrations/postgres/client.ts';
import * as recoveryModule from '../../../src/integrations/postgres/recovery-codes.ts';
import * as schemaModule from '../../../src/integrations/postgres/schema.ts';
import * as tableModule from '../../../src/integrations/postgres/table.ts';
import { SecretKey } from '../../../src/keys/secret-key.ts';
import { Keyring } from '../../../src/recipes/keyring.ts';
import { hostileInstances, hostileObjects, hostileStrings } from '../../helpers/hostile.ts';
import {
  bytesLikeParam,
  bytesParam,
  type Case,
  checkCoverage,
  cofferCase,
  intParam,
  optionsArg,
  type Param,
  rangeCase,
  runTargets,
  stringParam,
  type Target,
  tokenCase,
  type,
  typeCase,
} from '../../helpers/hostile-table.ts';
import { pglite } from '../../helpers/postgres.ts';

const { EncryptedTable, keyIdBytes } = tableModule;
const { RecoveryCodeStore } = recoveryModule;

const lite = await pglite();
after(() => lite.close());
const db = clientModule.database(lite);
await db.query('CREATE TABLE t (id bigint PRIMARY KEY, e text, e_idx bytea, b bytea)');
await schemaModule.migrate(db);

const keyring = Keyring.generate();
const SPEC = {
  table: 't',
  primaryKey: 'id',
  columns: {
    e: { storage: 'text' as const, blindIndex: { column: 'e_idx' } },
    b: { storage: 'bytea' as const },
  },
};
const table = new EncryptedTable(keyring, SPEC);
await table.insert(db, { id: 1, e: 'x@y', b: 'bin' });
const stored = (await db.query<{ e: string; b: Uint8Array }>('SELECT e, b FROM t WHERE id = 1')).rows[0]!;
const store = new RecoveryCodeStore(db, { pepper: keyring, sealWith: keyring });
const codes = await store.issue('u', { count: 100 });
let nextCode = 0;

const where = () => ({ schema: 'public', table: 't', column: 'e' });
const long = 'x'.repeat(64);
const nameParam = (name: string, more: Partial<Param> = {}): Param =>
  stringParam(name, {
    cases: [...hostileStrings, typeCase('empty', ''), typeCase('NUL', 'a\0b'), rangeCase('64 bytes', long)],
    ...more,
  });
const dbArg = { name: 'db', valid: () => lite, cases: hostileInstances, kind: type, label: 'client' };
const keyringArg = {
  name: 'keyring',
  valid: () => keyring,
  cases: [
    ...hostileInstances,
    typeCase('Object.create(Keyring.prototype)', Object.create(Keyring.prototype)),
  ],
  kind: type,
};
const columnArg = {
  ...stringParam('column'),
  cases: [...hostileStrings, typeCase('unknown column', 'nope'), typeCase('the primary key', 'id')],
  valid: () => 'e',
};
const indexedColumnArg = { ...columnArg, cases: [...columnArg.cases, typeCase('no blind index', 'b')] };
const pkCases: Case[] = [
  typeCase('null', null),
  typeCase('undefined', undefined),
  typeCase('true', true),
  typeCase('Symbol', Symbol('pk')),
  typeCase('object', { id: 1 }),
  typeCase('Uint8Array', new Uint8Array(1)),
  rangeCase('NaN', Number.NaN),
  rangeCase('1.5', 1.5),
  rangeCase('2^53', 2 ** 53),
];
const pkArg = { name: 'pk', valid: () => 1, cases: pkCases, kind: type };
const valueCases: Case[] = [
  typeCase('undefined', undefined),
  typeCase('number', 1),
  typeCase('object', {}),
  typeCase('array', ['x']),
  typeCase('Uint16Array', new Uint16Array(2)),
  typeCase('Symbol', Symbol('v')),
];
const userArg = {
  ...stringParam('userId'),
  cases: [
    ...hostileStrings,
    typeCase('empty', ''),
    typeCase('NUL', 'a\0'),
    rangeCase('too long', 'u'.repeat(1025)),
  ],
  valid: () => 'u',
};
const tablesArg = optionsArg(
  () => ({}),
  {
    schema: nameParam('tables.schema', { optional: true }),
    codes: nameParam('tables.codes', { optional: true }),
    events: nameParam('tables.events', {
      optional: true,
      cases: [...nameParam('x').cases, typeCase('same as codes', 'coffer_recovery_codes')],
    }),
  },
  true,
  'tables',
);
const countOptions = optionsArg(
  () => ({ count: 2 }),
  { count: intParam('options.count', [rangeCase('0', 0), rangeCase('101', 101)], { optional: true }) },
  true,
);

const TARGETS: Target[] = [
  {
    name: 'database',
    covers: ['client:database'],
    args: [
      {
        name: 'client',
        valid: () => lite,
        cases: [...hostileInstances, typeCase('{ query }', { query: () => 1 })],
        kind: type,
      },
    ],
    call: (c) => clientModule.database(c),
  },
  {
    name: 'quoteIdent',
    covers: ['client:quoteIdent'],
    args: [{ ...nameParam('name'), valid: () => 'users' }],
    call: (n) => clientModule.quoteIdent(n as string),
  },
  ...(['blindIndex', 'blindIndexCandidates'] as const).map(
    (fn): Target => ({
      name: fn,
      covers: [`blind-index:${fn}`],
      args: [
        keyringArg,
        optionsArg(
          where,
          {
            schema: nameParam('column.schema'),
            table: nameParam('column.table'),
            column: nameParam('column.column', {
              cases: [...nameParam('x').cases, typeCase('lone surrogate', '\uD800')],
            }),
          },
          false,
          'column',
        ),
        { ...bytesLikeParam('value'), valid: () => 'v' },
        optionsArg(
          () => ({ bytes: 16 }),
          { bytes: intParam('options.bytes', [rangeCase('7', 7), rangeCase('33', 33)], { optional: true }) },
          true,
        ),
      ],
      call: (k, c, v, o) =>
        (fn === 'blindIndex' ? blindIndexModule.blindIndex : blindIndexModule.blindIndexCandidates)(
          k as Keyring,
          c as never,
          v as string,
          o as never,
        ),
    }),
  ),
  {
    name: 'columnLabel',
    covers: ['blind-index:columnLabel'],
    args: [optionsArg(where, { table: nameParam('column.table') }, false, 'column')],
    call: (c) => blindIndexModule.columnLabel(c),
  },
  {
    name: 'blindIndexKeyId',
    covers: ['blind-index:blindIndexKeyId'],
    args: [
      {
        ...bytesParam('index', {}, [
          tokenCase('11 bytes', new Uint8Array(11)),
          tokenCase('37 bytes', new Uint8Array(37)),
        ]),
        valid: () => table.blindIndex('e', 'v'),
      },
    ],
    call: (i) => blindIndexModule.blindIndexKeyId(i as Uint8Array),
  },
  {
    name: 'keyIdBytes',
    covers: ['table:keyIdBytes'],
    args: [
      {
        ...stringParam('id'),
        cases: [...hostileStrings, typeCase('upper case', 'ABCDEF01'), typeCase('7 digits', 'abcdef0')],
        valid: () => keyring.primaryKeyId,
      },
    ],
    call: (id) => keyIdBytes(id as string),
  },
  {
    name: 'new EncryptedTable',
    covers: ['table:EncryptedTable'],
    args: [
      keyringArg,
      optionsArg(
        () => SPEC,
        {
          schema: nameParam('spec.schema', { optional: true }),
          table: nameParam('spec.table'),
          primaryKey: nameParam('spec.primaryKey', {
            cases: [...nameParam('x').cases, typeCase('a sealed column', 'e')],
          }),
          columns: { name: 'spec.columns', cases: [...hostileObjects, typeCase('empty', {})], kind: type },
          'columns.e': { name: 'spec.columns.e', cases: hostileObjects, kind: type },
          'columns.e.storage': {
            name: 'spec.columns.e.storage',
            cases: [...hostileStrings, typeCase('"varchar"', 'varchar')],
            kind: type,
          },
          'columns.e.blindIndex.column': nameParam('spec.columns.e.blindIndex.column', {
            cases: [...nameParam('x').cases, typeCase('the column itself', 'e')],
          }),
          'columns.e.blindIndex.bytes': intParam(
            'spec.columns.e.blindIndex.bytes',
            [rangeCase('7', 7), rangeCase('33', 33)],
            { optional: true, huge: false },
          ),
        },
        false,
        'spec',
      ),
    ],
    call: (k, s) => new EncryptedTable(k as Keyring, s as never),
  },
  {
    name: 'EncryptedTable#context',
    covers: [],
    args: [columnArg, pkArg],
    call: (c, p) => table.context(c as string, p as never),
  },
  {
    name: 'EncryptedTable#seal',
    covers: [],
    args: [
      columnArg,
      pkArg,
      { name: 'value', valid: () => 'v', cases: valueCases, kind: type, nullable: true },
    ],
    call: (c, p, v) => table.seal(c as string, p as never, v as string),
  },
  ...(['open', 'openText', 'reseal'] as const).map(
    (m): Target => ({
      name: `EncryptedTable#${m}`,
      covers: [],
      args: [
        {
          ...columnArg,
          valid: () => 'b',
          cases: columnArg.cases.filter((c) => c.value !== 'nope' && c.value !== 'id'),
        },
        pkArg,
        {
          name: 'stored',
          valid: () => stored.b,
          cases: [
            typeCase('a string in a bytea column', 'AQ'),
            typeCase('number', 1),
            typeCase('undefined', undefined),
            tokenCase('10 zero bytes', new Uint8Array(10)),
            tokenCase('another column’s token', table.seal('b', 2, 'x')),
          ],
          kind: type,
          nullable: true,
        },
      ],
      call: (c, p, s) => table[m](c as string, p as never, s as Uint8Array),
    }),
  ),
  {
    name: 'EncryptedTable#blindIndex',
    covers: [],
    args: [
      indexedColumnArg,
      { name: 'value', valid: () => 'v', cases: valueCases, kind: type, nullable: true },
    ],
    call: (c, v) => table.blindIndex(c as string, v as string),
  },
  {
    name: 'EncryptedTable#blindIndexCandidates',
    covers: [],
    args: [
      indexedColumnArg,
      { name: 'value', valid: () => 'v', cases: [typeCase('null', null), ...valueCases], kind: type },
    ],
    call: (c, v) => table.blindIndexCandidates(c as string, v as string),
  },
  {
    name: 'EncryptedTable#keyIdSql',
    covers: [],
    args: [columnArg],
    call: (c) => table.keyIdSql(c as string),
  },
  {
    name: 'EncryptedTable#staleSql',
    covers: [],
    args: [
      {
        name: 'param',
        valid: () => 1,
        cases: [
          rangeCase('0', 0),
          rangeCase('1.5', 1.5),
          rangeCase('NaN', Number.NaN),
          rangeCase('65536', 65536),
          rangeCase('string', '1'),
        ],
        kind: () => 'RangeError',
      },
    ],
    call: (p) => table.staleSql(p as number),
  },
  {
    name: 'EncryptedTable#sealRow',
    covers: [],
    args: [
      pkArg,
      { name: 'values', valid: () => ({ e: 'a', b: null, other: 1 }), cases: hostileObjects, kind: type },
    ],
    call: (p, v) => table.sealRow(p as never, v as never),
  },
  {
    name: 'EncryptedTable#openRow',
    covers: [],
    args: [
      {
        name: 'row',
        valid: () => ({ id: 1, ...stored }),
        cases: [
          ...hostileObjects,
          typeCase('no primary key', { e: stored.e }),
          tokenCase('another row’s values', { id: 2, ...stored }),
        ],
        kind: type,
      },
    ],
    call: (r) => table.openRow(r as never),
  },
  {
    name: 'EncryptedTable#insert',
    covers: [],
    async: true,
    args: [
      dbArg,
      {
        name: 'row',
        valid: () => ({ id: 100 + Math.floor(Math.random() * 1e9), e: 'a' }),
        cases: [...hostileObjects, typeCase('no primary key', { e: 'a' })],
        kind: type,
      },
    ],
    call: (d, r) => table.insert(d, r as never),
  },
  {
    name: 'EncryptedTable#update',
    covers: [],
    async: true,
    args: [
      dbArg,
      pkArg,
      {
        name: 'values',
        valid: () => ({ e: 'x@y' }),
        cases: [...hostileObjects, typeCase('empty', {})],
        kind: type,
      },
    ],
    call: (d, p, v) => table.update(d, p as never, v as never),
  },
  {
    name: 'EncryptedTable#get',
    covers: [],
    async: true,
    args: [dbArg, pkArg],
    call: (d, p) => table.get(d, p as never),
  },
  {
    name: 'EncryptedTable#findBy',
    covers: [],
    async: true,
    args: [
      dbArg,
      indexedColumnArg,
      { name: 'value', valid: () => 'x@y', cases: [typeCase('null', null), ...valueCases], kind: type },
      optionsArg(
        () => ({ limit: 5 }),
        {
          limit: {
            name: 'options.limit',
            cases: [
              rangeCase('0', 0),
              rangeCase('1.5', 1.5),
              rangeCase('NaN', Number.NaN),
              rangeCase('string', '5'),
            ],
            kind: () => 'RangeError',
            optional: true,
          },
        },
        true,
      ),
    ],
    call: (d, c, v, o) => table.findBy(d, c as string, v as string, o as never),
  },
  {
    name: 'new RecoveryCodeStore',
    covers: ['recovery-codes:RecoveryCodeStore'],
    args: [
      dbArg,
      optionsArg(() => ({ pepper: keyring }), {
        pepper: {
          name: 'options.pepper',
          cases: [
            ...hostileInstances,
            rangeCase('a 16-byte SecretKey', SecretKey.generate(16, { id: 'short' })),
            typeCase('a SecretKey without id', SecretKey.generate(32)),
          ],
          kind: type,
        },
        sealWith: {
          name: 'options.sealWith',
          cases: hostileInstances.filter((c) => c.value !== undefined),
          kind: type,
          optional: true,
        },
        'tables.codes': nameParam('tables.codes', { optional: true }),
      }),
    ],
    call: (d, o) => new RecoveryCodeStore(d, o as never),
  },
  ...(['issue', 'regenerate'] as const).map(
    (m): Target => ({
      name: `RecoveryCodeStore#${m}`,
      covers: [],
      async: true,
      args: [{ ...userArg, valid: () => 'v' }, countOptions],
      call: (u, o) => store[m](u as string, o as never),
    }),
  ),
  {
    name: 'RecoveryCodeStore#redeem',
    covers: [],
    async: true,
    args: [
      userArg,
      {
        ...stringParam('code'),
        cases: [
          ...hostileStrings,
          cofferCase('ERR_INVALID_KEY', 'not a code', 'hello'),
          cofferCase('ERR_INVALID_KEY', 'a wrong code', '0000-0000-0000-0000'),
          cofferCase('ERR_INVALID_KEY', 'a code of 17 symbols', '0000-0000-0000-00000'),
        ],
        valid: () => codes[nextCode++]!,
      },
    ],
    call: (u, c) => store.redeem(u as string, c as string),
  },
  ...(['remaining', 'reveal'] as const).map(
    (m): Target => ({
      name: `RecoveryCodeStore#${m}`,
      covers: [],
      async: true,
      args: [userArg],
      call: (u) => store[m](u as string),
    }),
  ),
  {
    name: 'RecoveryCodeStore#events',
    covers: [],
    async: true,
    args: [
      userArg,
      optionsArg(
        () => ({ limit: 5 }),
        {
          limit: intParam('options.limit', [rangeCase('0', 0), rangeCase('10001', 10001)], {
            optional: true,
          }),
        },
        true,
      ),
    ],
    call: (u, o) => store.events(u as string, o as never),
  },
  {
    name: 'migrate',
    covers: ['schema:migrate'],
    async: true,
    args: [dbArg, tablesArg],
    call: (d, t) => schemaModule.migrate(d, t as never),
  },
  {
    name: 'recoveryCodeSchemaSql',
    covers: ['schema:recoveryCodeSchemaSql'],
    args: [tablesArg],
    call: (t) => schemaModule.recoveryCodeSchemaSql(t as never),
  },
  {
    name: 'recoveryCodeTables',
    covers: ['schema:recoveryCodeTables'],
    args: [tablesArg],
    call: (t) => schemaModule.recoveryCodeTables(t as never),
  },
];

runTargets(TARGETS);

checkCoverage(
  {
    client: clientModule,
    table: tableModule,
    'blind-index': blindIndexModule,
    'recovery-codes': recoveryModule,
    schema: schemaModule,
  },
  TARGETS,
  {},
  'test/integrations/postgres/hostile.test.ts',
);
