// coffer/hazmat/backend: backendInfo's report, and the module's hostile-input table (it takes no
// arguments, so the table holds one target that must simply succeed).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as backendModule from '../../src/hazmat/backend.ts';
import { backendInfo } from '../../src/hazmat/backend.ts';
import { nativeStatus } from '../../src/internal/native.ts';
import { checkCoverage, runTargets, type Target } from '../helpers/hostile-table.ts';

const TARGETS: Target[] = [
  { name: 'backendInfo', covers: ['backend:backendInfo'], args: [], call: () => backendInfo() },
];

describe('backendInfo', () => {
  test('reports the backend in use, the OpenSSL, node and CPU features', () => {
    const info = backendInfo();
    assert.equal(info.backend, nativeStatus.binding === undefined ? 'node:crypto' : 'native');
    assert.equal(info.node, process.version);
    assert.ok(info.openssl.includes(process.versions.openssl), info.openssl);
    if (info.backend === 'native') {
      assert.equal(info.reason, undefined);
      assert.ok(info.addon?.endsWith('coffer.node'));
    } else {
      assert.equal(typeof info.reason, 'string');
      assert.equal(info.addon, undefined);
    }
    if (info.cpu !== undefined) {
      for (const v of Object.values(info.cpu)) assert.equal(typeof v, 'boolean');
      assert.deepEqual(Object.keys(info.cpu).sort(), [
        'aes',
        'avx2',
        'avx512f',
        'pclmulqdq',
        'shaNi',
        'vaes',
        'vpclmulqdq',
      ]);
    } else {
      assert.notEqual(process.platform, 'linux');
    }
  });

  test('the report is plain data (JSON round-trips it) and is fresh each call', () => {
    const a = backendInfo();
    assert.deepEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(backendInfo())));
    assert.notEqual(a, backendInfo());
  });
});

runTargets(TARGETS);
checkCoverage({ backend: backendModule }, TARGETS, {}, 'test/hazmat/backend.test.ts');
