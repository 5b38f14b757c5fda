// Regenerates test/vectors/blind-index.json from docs/postgres.md's blind-index construction, with fixed keys, using
// node:crypto alone (not coffer's code), so the vectors check the implementation independently.
// Run: node --import tsx scripts/gen-blind-index-vectors.ts
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const fixed = (label: string, n: number) => createHash('sha512').update(label).digest().subarray(0, n);
const keys = {
  A: { id: '0a1b2c3d', key: fixed('coffer blind-index vector key A', 32).toString('hex') },
  B: { id: '7f000001', key: fixed('coffer blind-index vector key B', 32).toString('hex') },
};
const u16 = (b: Buffer) => Buffer.from([b.length >> 8, b.length & 255]);
function label(schema: string, table: string, column: string): Buffer {
  const parts = [schema, table, column].map((s) => Buffer.from(s, 'utf8'));
  return Buffer.concat([Buffer.from('coffer/v1/blind-index/column'), ...parts.flatMap((p) => [u16(p), p])]);
}
const kbi = (k: { key: string }) =>
  Buffer.from(hkdfSync('sha256', Buffer.from(k.key, 'hex'), Buffer.alloc(0), 'coffer/v1/blind-index', 32));
const cases: unknown[] = [];
const add = (
  name: string,
  key: 'A' | 'B',
  schema: string,
  table: string,
  column: string,
  value: Buffer,
  bytes: number,
) => {
  const kcol = createHmac('sha256', kbi(keys[key]))
    .update(label(schema, table, column))
    .digest();
  const mac = createHmac('sha256', kcol).update(value).digest();
  cases.push({
    name,
    key,
    schema,
    table,
    column,
    value: value.toString('hex'),
    bytes,
    kcol: kcol.toString('hex'),
    index: Buffer.concat([Buffer.from(keys[key].id, 'hex'), mac.subarray(0, bytes)]).toString('hex'),
  });
};
const utf = (s: string) => Buffer.from(s, 'utf8');
add('email, default 16 bytes', 'A', 'public', 'users', 'email', utf('ada@example.com'), 16);
add('same value under key B', 'B', 'public', 'users', 'email', utf('ada@example.com'), 16);
add('same value, other column', 'A', 'public', 'users', 'backup_email', utf('ada@example.com'), 16);
add('same value, other table', 'A', 'public', 'admins', 'email', utf('ada@example.com'), 16);
add('same value, other schema', 'A', 'billing', 'users', 'email', utf('ada@example.com'), 16);
add('name boundaries differ (ab|c vs a|bc)', 'A', 'public', 'ab', 'c', utf('x'), 16);
add('name boundaries differ (a|bc)', 'A', 'public', 'a', 'bc', utf('x'), 16);
add('empty value', 'A', 'public', 'users', 'email', Buffer.alloc(0), 16);
add('shortest: 8 bytes', 'A', 'public', 'users', 'phone', utf('+44 20 7946 0001'), 8);
add('longest: 32 bytes', 'A', 'public', 'users', 'phone', utf('+44 20 7946 0001'), 32);
add('unicode names and value', 'A', 'données', 'utilisateurs', 'courriel', utf('élodie@exemple.fr'), 16);
add('binary value', 'B', 'public', 'docs', 'hash', Buffer.from([0, 255, 0, 1]), 20);
const out = {
  description:
    'Blind index v1 vectors (docs/postgres.md, "Blind index"). Generated with node:crypto alone from the documented construction: Kbi = HKDF-SHA256(key, salt empty, info "coffer/v1/blind-index", 32); Kcol = HMAC-SHA256(Kbi, "coffer/v1/blind-index/column" || u16 len || schema || u16 len || table || u16 len || column); index = key id (4 bytes) || HMAC-SHA256(Kcol, value)[0..bytes). value is hex.',
  keys: Object.fromEntries(Object.entries(keys).map(([n, k]) => [n, { ...k, kbi: kbi(k).toString('hex') }])),
  cases,
};
writeFileSync('test/vectors/blind-index.json', `${JSON.stringify(out, null, 2)}\n`);
