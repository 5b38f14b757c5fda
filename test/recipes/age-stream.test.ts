// Streaming in constant memory: a generated plaintext flows through the encrypt stream and straight into
// the decrypt stream, and memory (JS heap plus ArrayBuffers) is sampled as it goes. The peak above the
// starting point must stay under a fixed ceiling and must not grow with the size of the stream: a small
// and a six-times-larger run are compared. No timing is asserted.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  createDecryptStream,
  createDecryptWebStream,
  createEncryptStream,
  createEncryptWebStream,
  generateX25519Identity,
} from '../../src/recipes/age.ts';

const MiB = 1024 * 1024;
const id = generateX25519Identity();

function* plaintext(total: number): Generator<Buffer> {
  // Odd-sized pieces, so chunk boundaries never line up with the writes.
  const piece = 100_003;
  for (let done = 0, k = 0; done < total; k++) {
    const n = Math.min(piece, total - done);
    const b = Buffer.allocUnsafe(n);
    b.fill(k & 0xff);
    done += n;
    yield b;
  }
}

// What the streams retain, not what the collector has yet to sweep: a full GC before each sample (garbage
// alone made the peak swing by tens of MiB from run to run, with the same code).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const used = () => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

async function roundTrip(total: number, armor: boolean): Promise<{ peak: number; ok: boolean }> {
  const expected = createHash('sha256');
  for (const b of plaintext(total)) expected.update(b);
  const want = expected.digest('hex');
  const base = used();
  let peak = 0;
  let seen = 0;
  let next = 0;
  const got = createHash('sha256');
  await pipeline(
    Readable.from(plaintext(total)),
    createEncryptStream(id.recipient(), { armor }),
    createDecryptStream(id, { armor }),
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        got.update(chunk);
        seen += chunk.length;
        if (seen >= next) {
          peak = Math.max(peak, used() - base);
          next += 2 * MiB;
        }
        cb();
      },
    }),
  );
  return { peak, ok: seen === total && got.digest('hex') === want };
}

describe('age streams in constant memory', { timeout: 300_000 }, () => {
  for (const armor of [false, true]) {
    test(`node streams, ${armor ? 'armored' : 'binary'}: 24 MiB and 144 MiB peak alike`, async () => {
      const small = await roundTrip(24 * MiB, armor);
      const large = await roundTrip(144 * MiB, armor);
      assert.ok(small.ok && large.ok, 'round trip');
      // A reader that buffered would hold 144 MiB or more; this one holds a chunk or two and garbage.
      assert.ok(large.peak < 64 * MiB, `peak ${(large.peak / MiB).toFixed(1)} MiB`);
      assert.ok(large.peak < small.peak + 32 * MiB, `grew from ${small.peak} to ${large.peak}`);
    });
  }

  test('web streams: 64 MiB round trip without buffering it', async () => {
    const total = 64 * MiB;
    const base = used();
    let peak = 0;
    let seen = 0;
    const source = ReadableStream.from(plaintext(total)) as ReadableStream<Uint8Array>;
    const out = source
      .pipeThrough(createEncryptWebStream(id.recipient()))
      .pipeThrough(createDecryptWebStream(id));
    for await (const chunk of out as unknown as AsyncIterable<Uint8Array>) {
      seen += chunk.length;
      if (seen % (4 * MiB) < chunk.length) peak = Math.max(peak, used() - base);
    }
    assert.equal(seen, total);
    assert.ok(peak < 64 * MiB, `peak ${(peak / MiB).toFixed(1)} MiB`);
  });
});
