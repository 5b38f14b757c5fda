// Backend selection, in child processes so that each starts with its own COFFER_BACKEND: `js` forces
// node:crypto (and everything still works), `native` insists on the addon, unset picks the addon when it
// loads. The same operations give the same bytes under each.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nativeSkip, runOnBackend } from '../helpers/native.ts';
import type { ChildAnswer, ChildOp } from '../helpers/native-child.ts';

const ops: ChildOp[] = [
  {
    op: 'encrypt',
    alg: 'AESGCM',
    key: '11'.repeat(32),
    nonce: '22'.repeat(12),
    data: '33'.repeat(100),
    aad: '44',
  },
  { op: 'hmac', hash: 'sha256', key: '55'.repeat(20), data: '66'.repeat(64) },
  { op: 'hash', hash: 'sha512', data: '77'.repeat(3) },
  {
    op: 'seal',
    id: 9,
    key: '88'.repeat(32),
    plaintext: '99'.repeat(10),
    context: 'aa',
    nonce: 'bb'.repeat(24),
  },
];

describe('COFFER_BACKEND', () => {
  test('js forces node:crypto, and every operation still works', () => {
    const answer = runOnBackend<ChildAnswer>('js', ops);
    assert.equal(answer.backend, 'node:crypto');
    for (const r of answer.results) assert.match(r, /^[0-9a-f]+$/);
  });

  test('native insists on the addon and gives the same bytes', { skip: nativeSkip() }, () => {
    const mine = runOnBackend<ChildAnswer>('native', ops);
    assert.equal(mine.backend, 'native');
    assert.deepEqual(mine.results, runOnBackend<ChildAnswer>('js', ops).results);
  });
});
