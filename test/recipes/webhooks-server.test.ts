// A real HTTP server on 127.0.0.1 (an ephemeral port) verifying Standard Webhooks with
// `verifyIncomingMessage` and a MemoryReplayStore, answering as the module documentation suggests:
// 204 processed, 400 header problems, 401 stale/future/unsigned, 409 replayed, 413 too large. Genuine,
// tampered, replayed (also concurrently), stale, future, oversized (declared and streamed) and header-less
// requests each get their answer, and only genuine ones are processed, once.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  MemoryReplayStore,
  Webhook,
  type WebhookFailureReason,
  WebhookVerificationError,
} from '../../src/index.ts';

const SECRET = Webhook.generateSecret();
const MAX_BODY = 4096;
const STATUS: Record<WebhookFailureReason, number> = {
  'missing-header': 400,
  'malformed-header': 400,
  'timestamp-too-old': 401,
  'timestamp-too-new': 401,
  'no-matching-signature': 401,
  'body-too-large': 413,
  replayed: 409,
};

const sender = new Webhook(SECRET);
const processed: string[] = [];
let server: http.Server;
let port: number;

before(async () => {
  const receiver = new Webhook(SECRET, { replayStore: new MemoryReplayStore(), maxBodyBytes: MAX_BODY });
  server = http.createServer(async (req, res) => {
    try {
      if (req.url === '/consumed') {
        // A body parser ran first: the helper must refuse rather than wait for data that never comes.
        for await (const _ of req);
      }
      const { id, body } = await receiver.verifyIncomingMessage(req);
      processed.push(`${id}:${new TextDecoder().decode(body)}`);
      res.writeHead(204).end();
    } catch (err) {
      if (err instanceof WebhookVerificationError) {
        res.writeHead(STATUS[err.reason], { 'x-reason': err.reason, connection: 'close' }).end(err.message);
      } else {
        res.writeHead(500, { 'x-error': (err as Error).constructor.name, connection: 'close' }).end();
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

interface Answer {
  status: number;
  reason: string | undefined;
  error: string | undefined;
}

/** Sends one POST. `chunks` are written one by one without a Content-Length (chunked). */
function post(
  headers: Record<string, string>,
  body: string | readonly Buffer[],
  path = '/hooks',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        agent: false,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        answered = true;
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            reason: res.headers['x-reason'] as string | undefined,
            error: res.headers['x-error'] as string | undefined,
          }),
        );
      },
    );
    // The server answers 413 and closes without reading the rest: a write may then fail. Only an error
    // before any answer is a failure.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    if (typeof body === 'string') {
      req.setHeader('content-length', Buffer.byteLength(body));
      req.end(body);
    } else {
      for (const chunk of body) req.write(chunk);
      req.end();
    }
  });
}

const now = () => Math.floor(Date.now() / 1000);

function signed(id: string, body: string, ts = now()): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': sender.sign(id, ts, body),
  };
}

describe('a webhook receiver on 127.0.0.1', () => {
  const body = JSON.stringify({ type: 'invoice.paid', data: { id: 'inv_1', amount: 4200 } });
  const genuine = signed('msg_genuine', body);

  test('genuine: 204, processed', async () => {
    assert.deepEqual(await post(genuine, body), { status: 204, reason: undefined, error: undefined });
    assert.deepEqual(processed, [`msg_genuine:${body}`]);
  });

  test('replayed (the same request again): 409, not processed again', async () => {
    assert.deepEqual(await post(genuine, body), { status: 409, reason: 'replayed', error: undefined });
    assert.equal(processed.length, 1);
  });

  test('tampered body: 401', async () => {
    const h = signed('msg_tampered', body);
    const r = await post(h, body.replace('4200', '4201'));
    assert.equal(r.status, 401);
    assert.equal(r.reason, 'no-matching-signature');
  });

  test('tampered signature, tampered id, signed with another secret: 401', async () => {
    const h = signed('msg_sig', body);
    const sig = h['webhook-signature']!;
    const flipped = `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;
    for (const headers of [
      { ...h, 'webhook-signature': flipped },
      { ...h, 'webhook-id': 'msg_other' },
      { ...h, 'webhook-signature': new Webhook(Webhook.generateSecret()).sign('msg_sig', now(), body) },
    ]) {
      const r = await post(headers, body);
      assert.deepEqual([r.status, r.reason], [401, 'no-matching-signature']);
    }
  });

  test('stale and future timestamps (correctly signed): 401', async () => {
    const stale = await post(signed('msg_stale', body, now() - 600), body);
    assert.deepEqual([stale.status, stale.reason], [401, 'timestamp-too-old']);
    const future = await post(signed('msg_future', body, now() + 600), body);
    assert.deepEqual([future.status, future.reason], [401, 'timestamp-too-new']);
  });

  test('oversized, declared by Content-Length: 413 before the body is read', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(64 * 1024) });
    const r = await post(signed('msg_big', big), big);
    assert.deepEqual([r.status, r.reason], [413, 'body-too-large']);
  });

  test('oversized, streamed without a Content-Length: 413 once the limit is passed', async () => {
    const chunks = Array.from({ length: 32 }, () => Buffer.alloc(1024, 0x20));
    const full = Buffer.concat(chunks).toString();
    const r = await post(signed('msg_stream', full), chunks);
    assert.deepEqual([r.status, r.reason], [413, 'body-too-large']);
  });

  test('a streamed body under the limit is read whole', async () => {
    const chunks = [Buffer.from('{"a":'), Buffer.from('"'), Buffer.alloc(2000, 0x61), Buffer.from('"}')];
    const full = Buffer.concat(chunks).toString();
    const r = await post(signed('msg_chunked', full), chunks);
    assert.equal(r.status, 204);
    assert.equal(processed.at(-1), `msg_chunked:${full}`);
  });

  test('missing or malformed headers: 400', async () => {
    const h = signed('msg_headers', body);
    const { 'webhook-signature': _, ...unsigned } = h;
    const missing = await post(unsigned, body);
    assert.deepEqual([missing.status, missing.reason], [400, 'missing-header']);
    const malformed = await post({ ...h, 'webhook-timestamp': 'yesterday' }, body);
    assert.deepEqual([malformed.status, malformed.reason], [400, 'malformed-header']);
    const dotted = await post({ ...h, 'webhook-id': 'msg.headers' }, body);
    assert.deepEqual([dotted.status, dotted.reason], [400, 'malformed-header']);
  });

  test('a body already consumed by a parser: the helper refuses (500 here), it does not hang', async () => {
    const r = await post(signed('msg_consumed', body), body, '/consumed');
    assert.deepEqual([r.status, r.error], [500, 'TypeError']);
  });

  test('the same genuine request sent 10 times at once: processed once, 9 × 409', async () => {
    const h = signed('msg_race', body);
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(h, body)));
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [204, ...Array(9).fill(409)]);
    assert.equal(processed.filter((p) => p.startsWith('msg_race:')).length, 1);
  });

  test('only the genuine requests were processed', () => {
    assert.deepEqual(
      processed.map((p) => p.slice(0, p.indexOf(':'))),
      ['msg_genuine', 'msg_chunked', 'msg_race'],
    );
  });
});
