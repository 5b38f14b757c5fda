// Lifecycle of native contexts: a million created and destroyed (COFFER_SLOW_TESTS; 100,000 otherwise),
// as many more left to the garbage collector's finalizers, with resident memory staying flat; one context
// shared by many interleaved async callers; and the addon loaded and used in worker threads, including
// one terminated with contexts still alive. Memory is measured in a child process run with --expose-gc,
// so the measurement is not at the mercy of when V8 chooses to collect. No timing is asserted.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as nc from 'node:crypto';
import { describe, test } from 'node:test';

import { Worker } from 'node:worker_threads';
import { NativeAead, nativeStatus } from '../../src/internal/native.ts';
import { nativeSkip } from '../helpers/native.ts';

const skip = nativeSkip();
const slow = process.env.COFFER_SLOW_TESTS === '1';
const nativeModule = new URL('../../src/internal/native.ts', import.meta.url).href;

/** Runs `body` (ES module source) in a child node with --expose-gc; returns its JSON output. */
function child<T>(body: string): T {
  const source = `import { native } from ${JSON.stringify(nativeModule)};\n${body}`;
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', source],
    {
      encoding: 'utf8',
      timeout: 600_000,
    },
  );
  if (r.status !== 0) throw new Error(`child failed (${r.status ?? r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

describe('native context lifecycle', { skip, timeout: 900_000 }, () => {
  test(`${slow ? '1,000,000' : '100,000'} contexts created and destroyed, as many finalized: RSS stays flat`, () => {
    const rounds = slow ? 10 : 2;
    const perRound = slow ? 100_000 : 50_000;
    const result = child<{ rss: number[] }>(`
      const key = new Uint8Array(32).fill(3), nonce = new Uint8Array(12), data = new Uint8Array(64);
      const settle = async () => { for (let i = 0; i < 3; i++) { globalThis.gc(); await new Promise((r) => setImmediate(r)); } };
      const rss = [];
      for (let round = 0; round < ${rounds}; round++) {
        for (let i = 0; i < ${perRound}; i++) {
          const c = new native.Aead(i % 5, key.subarray(0, [16, 24, 32, 32, 32][i % 5]));
          c.sealAlloc(i % 5 === 4 ? new Uint8Array(24) : nonce, data, undefined);
          c.destroy();
          const h = new native.Hmac(i & 1, key);
          h.mac(data);
          h.destroy();
        }
        // The same again with no destroy(): the finalizers must free them.
        for (let i = 0; i < ${perRound}; i++) new native.Aead(2, key).sealAlloc(nonce, data, undefined);
        await settle();
        rss.push(process.memoryUsage().rss);
      }
      process.stdout.write(JSON.stringify({ rss }));
    `);
    const first = result.rss[0]!;
    const last = result.rss[result.rss.length - 1]!;
    // A leak of one 2 KiB context per iteration would be hundreds of MiB; allocator noise is a few.
    assert.ok(last - first < 48 * 1024 * 1024, `RSS grew from ${first} to ${last}`);
  });

  test('one context shared by 2,000 interleaved async callers', async () => {
    const key = new Uint8Array(nc.randomBytes(32));
    const ctx = new NativeAead('chacha20-poly1305', key);
    const results = await Promise.all(
      Array.from({ length: 2000 }, async (_, i) => {
        const nonce = new Uint8Array(nc.randomBytes(12));
        const pt = new Uint8Array(nc.randomBytes(i % 300));
        await new Promise((r) => setImmediate(r));
        const sealed = ctx.seal(nonce, pt, Uint8Array.of(i & 0xff));
        await Promise.resolve();
        const back = ctx.open(
          nonce,
          sealed.subarray(0, pt.length),
          sealed.subarray(pt.length),
          Uint8Array.of(i & 0xff),
        );
        const c = nc.createCipheriv('chacha20-poly1305' as nc.CipherGCMTypes, key, nonce, {
          authTagLength: 16,
        });
        c.setAAD(Uint8Array.of(i & 0xff));
        const want = Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
        return want.equals(sealed) && back !== null && Buffer.from(pt).equals(back);
      }),
    );
    ctx.destroy();
    assert.ok(results.every(Boolean));
  });

  test('worker threads load the addon, compute the same bytes, and may exit with contexts alive', async () => {
    const key = new Uint8Array(32).fill(9);
    const nonce = new Uint8Array(12).fill(1);
    const data = new Uint8Array(1000).fill(2);
    const here = new NativeAead('aes-256-gcm', key).seal(nonce, data);
    // Plain JavaScript: tsx's loader does not reach worker threads on every Node line. The worker
    // loads the same addon file in its own environment, leaves contexts alive for teardown to free,
    // and, when asked, never exits (it is then terminated).
    const workerSource = `
      const { parentPort, workerData } = require('node:worker_threads');
      const b = require(${JSON.stringify(nativeStatus.path)});
      const { key, nonce, data, hang } = workerData;
      const out = new b.Aead(2, key).sealAlloc(nonce, data, undefined);
      for (let i = 0; i < 1000; i++) new b.Aead(4, key);
      parentPort.postMessage({ loaded: true, out });
      if (hang) setInterval(() => {}, 1000);
    `;
    const run = (hang: boolean) =>
      new Promise<{ loaded: boolean; out: Uint8Array }>((resolve, reject) => {
        const w = new Worker(workerSource, {
          eval: true,
          workerData: { key, nonce, data, hang },
        });
        w.once('message', (m) => {
          if (hang) void w.terminate();
          resolve(m);
        });
        w.once('error', reject);
      });
    const results = await Promise.all([run(false), run(false), run(true)]);
    for (const r of results) {
      assert.equal(r.loaded, true);
      assert.deepEqual(new Uint8Array(r.out), here);
    }
  });
});
