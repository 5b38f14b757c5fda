// Blind index v1 against the project's own vectors (test/vectors/blind-index.json, made from the documented
// construction with node:crypto alone): one test per vector. Then rotation (candidates per usable key),
// the key id prefix, and properties of the construction.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { InvalidToken } from '../../../src/errors.ts';
import { importKeyringCleartext } from '../../../src/hazmat/insecure-export.ts';
import {
  BLIND_INDEX_DEFAULT_BYTES,
  blindIndex,
  blindIndexCandidates,
  blindIndexKeyId,
} from '../../../src/integrations/postgres/index.ts';
import { Keyring } from '../../../src/recipes/keyring.ts';
import { hex, loadOwnJson, toHex } from '../../helpers/vectors.ts';

interface VectorFile {
  keys: Record<'A' | 'B', { id: string; key: string; kbi: string }>;
  cases: {
    name: string;
    key: 'A' | 'B';
    schema: string;
    table: string;
    column: string;
    value: string;
    bytes: number;
    kcol: string;
    index: string;
  }[];
}

const file = loadOwnJson<VectorFile>('blind-index.json');

/** A keyring with the vector keys: `primary` as primary, the others active. */
function keyringWith(primary: 'A' | 'B', others: ('A' | 'B')[] = []): Keyring {
  const names = [primary, ...others];
  return importKeyringCleartext(
    JSON.stringify({
      format: 'coffer-keyring-cleartext',
      version: 1,
      keys: names.map((n, i) => ({
        id: file.keys[n].id,
        label: `vector ${n}`,
        algorithm: 'XAES-256-GCM',
        created: `2026-01-0${i + 1}T00:00:00.000Z`,
        status: n === primary ? 'primary' : 'active',
      })),
      secrets: Object.fromEntries(
        names.map((n) => [file.keys[n].id, Buffer.from(file.keys[n].key, 'hex').toString('base64url')]),
      ),
    }),
  );
}

describe('vectors', () => {
  test('the file has the cases docs/postgres.md promises', () => {
    assert.ok(file.cases.length >= 10);
    const byName = new Map(file.cases.map((c) => [c.name, c]));
    assert.equal(byName.size, file.cases.length, 'names are unique');
    // Other column, table, schema, key: all different indexes for the same value.
    const same = file.cases.filter((c) => c.value === file.cases[0]!.value);
    assert.ok(same.length >= 5);
    assert.equal(new Set(same.map((c) => c.index.slice(8))).size, same.length);
    // The length prefix keeps (ab, c) and (a, bc) apart.
    assert.notEqual(
      byName.get('name boundaries differ (ab|c vs a|bc)')!.kcol,
      byName.get('name boundaries differ (a|bc)')!.kcol,
    );
  });

  for (const v of file.cases) {
    test(v.name, () => {
      const ring = keyringWith(v.key);
      const where = { schema: v.schema, table: v.table, column: v.column };
      const idx = blindIndex(ring, where, hex(v.value), { bytes: v.bytes });
      assert.equal(toHex(idx), v.index);
      assert.equal(idx.length, 4 + v.bytes);
      assert.equal(blindIndexKeyId(idx), file.keys[v.key].id);
      // A string value is its UTF-8 bytes.
      const text = Buffer.from(v.value, 'hex').toString('utf8');
      if (Buffer.from(text, 'utf8').toString('hex') === v.value) {
        assert.equal(toHex(blindIndex(ring, where, text, { bytes: v.bytes })), v.index);
      }
    });
  }
});

describe('rotation', () => {
  test('candidates: one per usable key, primary first; disabled and retired keys give none', () => {
    const v = file.cases[0]!;
    const where = { schema: v.schema, table: v.table, column: v.column };
    const underB = file.cases.find((c) => c.name === 'same value under key B')!;
    const ring = keyringWith('B', ['A']);
    const c = blindIndexCandidates(ring, where, hex(v.value));
    assert.deepEqual(c.map(toHex), [underB.index, v.index]);
    assert.equal(toHex(blindIndex(ring, where, hex(v.value))), underB.index, 'new indexes use the primary');
    ring.disable(file.keys.A.id);
    assert.deepEqual(blindIndexCandidates(ring, where, hex(v.value)).map(toHex), [underB.index]);
    ring.enable(file.keys.A.id);
    ring.retire(file.keys.A.id);
    assert.deepEqual(blindIndexCandidates(ring, where, hex(v.value)).map(toHex), [underB.index]);
  });

  test('blindIndexKeyId reads the prefix and refuses sizes no index has', () => {
    const ring = Keyring.generate();
    const idx = blindIndex(ring, { schema: 's', table: 't', column: 'c' }, 'v');
    assert.equal(blindIndexKeyId(idx), ring.primaryKeyId);
    assert.equal(idx.length, 4 + BLIND_INDEX_DEFAULT_BYTES);
    for (const n of [0, 4, 11, 37]) assert.throws(() => blindIndexKeyId(new Uint8Array(n)), InvalidToken);
  });
});

describe('properties', () => {
  const ring = Keyring.generate();
  test('deterministic, 4 + n bytes, and bound to the column', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.uint8Array({ maxLength: 100 })),
        fc.integer({ min: 8, max: 32 }),
        fc.stringMatching(/^[a-z_]{1,20}$/),
        (value, bytes, column) => {
          const where = { schema: 'public', table: 't', column };
          const a = blindIndex(ring, where, value, { bytes });
          assert.equal(a.length, 4 + bytes);
          assert.deepEqual(blindIndex(ring, where, value, { bytes }), a);
          const other = blindIndex(ring, { ...where, column: `${column}x` }, value, { bytes });
          assert.notDeepEqual(other.subarray(4), a.subarray(4));
          // A shorter index is a prefix of a longer one (truncation, not a different function).
          assert.deepEqual(blindIndex(ring, where, value, { bytes: 8 }), a.subarray(0, 12));
        },
      ),
      { numRuns: 100 },
    );
  });

  test('different values give different indexes (no collision among 2,000 values at 16 bytes)', () => {
    const where = { schema: 'public', table: 't', column: 'c' };
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(toHex(blindIndex(ring, where, `user${i}@example.com`)));
    assert.equal(seen.size, 2000);
  });

  test('keyrings with different keys give unrelated indexes', () => {
    const where = { schema: 'public', table: 't', column: 'c' };
    const a = blindIndex(Keyring.generate(), where, 'same');
    const b = blindIndex(Keyring.generate(), where, 'same');
    assert.notDeepEqual(a.subarray(4), b.subarray(4));
  });
});
