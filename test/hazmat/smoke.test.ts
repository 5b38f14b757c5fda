import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hash, SHA256 } from '../../src/hazmat/hashes.ts';

test('sha256 of abc', () => {
  assert.equal(
    Buffer.from(hash(new SHA256(), 'abc')).toString('hex'),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
});
