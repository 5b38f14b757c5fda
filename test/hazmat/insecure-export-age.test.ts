// exportAgeIdentity: the one way to get an age identity's secret out, for storing it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { exportAgeIdentity } from '../../src/hazmat/insecure-export.ts';
import { generateX25519Identity, X25519Identity } from '../../src/recipes/age.ts';

test('exportAgeIdentity round-trips through X25519Identity.fromString; nothing else shows the secret', () => {
  const identity = generateX25519Identity();
  const secret = exportAgeIdentity(identity);
  assert.match(secret, /^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
  const again = X25519Identity.fromString(secret);
  assert.equal(String(again.recipient()), String(identity.recipient()));
  assert.equal(exportAgeIdentity(again), secret);
  for (const shown of [String(identity), JSON.stringify(identity), inspect(identity)]) {
    assert.ok(!shown.includes(secret.slice(16)), shown);
  }
});
