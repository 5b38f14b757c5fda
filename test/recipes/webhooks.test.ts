// Standard Webhooks: the reference library's known answer, secrets, the signature header (several
// signatures, other schemes skipped), each refusal reason with its fixed message, the tolerance
// boundaries, the replay store and its bound, the web Request helper, and redaction.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import {
  DecodeError,
  MemoryReplayStore,
  Webhook,
  type WebhookFailureReason,
  WebhookVerificationError,
} from '../../src/index.ts';
import { SecretKey } from '../../src/keys/secret-key.ts';

// From the Standard Webhooks reference tests (libraries/javascript/src/webhook.test.ts, "sign function
// works"): the one published known answer.
const KAT = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  payload: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const NOW = 1_700_000_000;
const at = (seconds: number) => () => new Date(seconds * 1000);
const SECRET = KAT.secret;
const OTHER = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

function headersFor(hook: Webhook, id: string, timestamp: number, body: string | Uint8Array) {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': hook.sign(id, timestamp, body),
  };
}

function refusal(fn: () => unknown, reason: WebhookFailureReason): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof WebhookVerificationError, String(err));
    assert.equal(err.reason, reason);
    assert.equal(err.code, 'ERR_WEBHOOK_VERIFICATION');
    return true;
  });
}

async function refusalAsync(promise: Promise<unknown>, reason: WebhookFailureReason): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof WebhookVerificationError, String(err));
    assert.equal(err.reason, reason);
    return true;
  });
}

describe('the known answer', () => {
  test('sign matches the reference library', () => {
    const hook = new Webhook(KAT.secret);
    assert.equal(hook.sign(KAT.id, new Date(KAT.timestamp * 1000), KAT.payload), KAT.signature);
    assert.equal(hook.sign(KAT.id, KAT.timestamp, new TextEncoder().encode(KAT.payload)), KAT.signature);
  });

  test('verify accepts it at its time, with or without the whsec_ prefix', () => {
    for (const secret of [KAT.secret, KAT.secret.slice('whsec_'.length)]) {
      const hook = new Webhook(secret, { clock: at(KAT.timestamp + 10) });
      const headers = {
        'webhook-id': KAT.id,
        'webhook-timestamp': String(KAT.timestamp),
        'webhook-signature': KAT.signature,
      };
      assert.deepEqual(hook.verify(KAT.payload, headers), { id: KAT.id, timestamp: KAT.timestamp });
    }
  });

  test('the signature is HMAC-SHA256 over id.timestamp.body, by hand', () => {
    const key = Buffer.from(KAT.secret.slice(6), 'base64');
    const mac = createHmac('sha256', key)
      .update(`${KAT.id}.${KAT.timestamp}.${KAT.payload}`)
      .digest('base64');
    assert.equal(`v1,${mac}`, KAT.signature);
  });
});

describe('secrets', () => {
  test('whsec_ strings, raw bytes and SecretKeys of 24 to 64 bytes', () => {
    const raw = Buffer.from(KAT.secret.slice(6), 'base64');
    const expected = new Webhook(KAT.secret).sign('m', 1, 'x');
    assert.equal(new Webhook(new Uint8Array(raw)).sign('m', 1, 'x'), expected);
    assert.equal(new Webhook(SecretKey.fromBytes(raw)).sign('m', 1, 'x'), expected);
    new Webhook(new Uint8Array(64));
    assert.throws(() => new Webhook(new Uint8Array(23)), RangeError);
    assert.throws(() => new Webhook(new Uint8Array(65)), RangeError);
    assert.throws(() => new Webhook(`whsec_${Buffer.alloc(16).toString('base64')}`), /24 to 64 bytes/);
    assert.throws(() => new Webhook(''), RangeError);
  });

  test('malformed secret strings are DecodeErrors that do not repeat the secret', () => {
    for (const bad of [
      'whsec_not base64!',
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS',
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n',
    ]) {
      assert.throws(
        () => new Webhook(bad),
        (err: unknown) => err instanceof DecodeError && !err.message.includes('MfKQ'),
      );
    }
    assert.throws(() => new Webhook('whsk_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'), /asymmetric/);
    assert.throws(() => new Webhook('whpk_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'), /asymmetric/);
  });

  test('generateSecret makes a whsec_ secret of 32 random bytes', () => {
    const a = Webhook.generateSecret();
    assert.match(a, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(a.slice(6), 'base64').length, 32);
    assert.notEqual(a, Webhook.generateSecret());
    new Webhook(a);
  });

  test('the secret never shows in String, JSON or inspect', () => {
    const hook = new Webhook([SECRET, OTHER], { replayStore: new MemoryReplayStore() });
    for (const text of [String(hook), JSON.stringify(hook), inspect(hook, { showHidden: true, depth: 5 })]) {
      assert.ok(!text.includes('MfKQ'), text);
      assert.ok(!text.includes('BwcH'), text);
    }
    assert.equal(String(hook), 'Webhook(2 secrets, tolerance 300 s, replay store)');
  });
});

describe('signing', () => {
  const hook = new Webhook(SECRET);

  test('ids must be printable ASCII without spaces or "." (the spec asks senders to keep "." out)', () => {
    assert.throws(() => hook.sign('msg.1', 1, 'x'), TypeError);
    assert.throws(() => hook.sign('msg 1', 1, 'x'), TypeError);
    assert.throws(() => hook.sign('msg\n1', 1, 'x'), TypeError);
    assert.throws(() => hook.sign('', 1, 'x'), TypeError);
    assert.throws(() => hook.sign('é', 1, 'x'), TypeError);
    assert.throws(() => hook.sign('m'.repeat(257), 1, 'x'), RangeError);
    hook.sign('m'.repeat(256), 1, 'x');
  });

  test('timestamps are Dates or Unix seconds', () => {
    assert.equal(hook.sign('m', new Date(1500), 'x'), hook.sign('m', 1, 'x'));
    assert.throws(() => hook.sign('m', new Date(Number.NaN), 'x'), RangeError);
    assert.throws(() => hook.sign('m', -1, 'x'), RangeError);
    assert.throws(() => hook.sign('m', 1.5, 'x'), RangeError);
    assert.throws(() => hook.sign('m', '1' as never, 'x'), TypeError);
  });

  test('several secrets sign once each, space-separated, in order', () => {
    const both = new Webhook([SECRET, OTHER]).sign('m', 1, 'x');
    assert.equal(both, `${new Webhook(SECRET).sign('m', 1, 'x')} ${new Webhook(OTHER).sign('m', 1, 'x')}`);
    assert.throws(() => new Webhook([]), RangeError);
    assert.throws(() => new Webhook(Array(17).fill(SECRET)), RangeError);
  });

  test('the body is signed as bytes: not-UTF-8 bodies sign and verify', () => {
    const body = Uint8Array.of(0xff, 0xfe, 0x00, 0x80);
    const h = new Webhook(SECRET, { clock: at(NOW) });
    h.verify(body, headersFor(h, 'm', NOW, body));
    refusal(
      () => h.verify(Uint8Array.of(0xff, 0xfe, 0x00, 0x81), headersFor(h, 'm', NOW, body)),
      'no-matching-signature',
    );
  });
});

describe('verification', () => {
  const hook = new Webhook(SECRET, { clock: at(NOW) });
  const body = '{"type":"invoice.paid","amount":4200}';
  const good = headersFor(hook, 'msg_1', NOW, body);

  test('a genuine webhook returns its id and timestamp', () => {
    assert.deepEqual(hook.verify(body, good), { id: 'msg_1', timestamp: NOW });
  });

  test('header names are case-insensitive; a web Headers works too', () => {
    const upper = {
      'Webhook-Id': good['webhook-id'],
      'WEBHOOK-TIMESTAMP': good['webhook-timestamp'],
      'webhook-Signature': good['webhook-signature'],
    };
    hook.verify(body, upper);
    hook.verify(body, new Headers(good));
    hook.verify(body, { ...good, 'webhook-id': ['msg_1'] });
  });

  test('missing headers: missing-header, naming the header', () => {
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
      const { [name]: _, ...rest } = good;
      assert.throws(
        () => hook.verify(body, rest),
        (err: unknown) =>
          err instanceof WebhookVerificationError && err.reason === 'missing-header' && err.header === name,
      );
      refusal(() => hook.verify(body, { ...good, [name]: '' }), 'missing-header');
    }
  });

  test('malformed headers: malformed-header', () => {
    const cases: Array<Record<string, string | string[]>> = [
      { 'webhook-timestamp': 'hello' },
      { 'webhook-timestamp': `0${NOW}` },
      { 'webhook-timestamp': `${NOW}.0` },
      { 'webhook-timestamp': `+${NOW}` },
      { 'webhook-timestamp': ` ${NOW}` },
      { 'webhook-timestamp': '1e9' },
      { 'webhook-timestamp': '-1' },
      { 'webhook-id': 'msg.1' },
      { 'webhook-id': 'msg 1' },
      { 'webhook-id': 'x'.repeat(257) },
      { 'webhook-id': ['msg_1', 'msg_2'] },
      { 'webhook-signature': `${good['webhook-signature']} `.repeat(100) },
    ];
    for (const change of cases) refusal(() => hook.verify(body, { ...good, ...change }), 'malformed-header');
  });

  test('the tolerance is 5 minutes each way, boundaries included', () => {
    for (const [offset, reason] of [
      [-300, null],
      [300, null],
      [-301, 'timestamp-too-old'],
      [301, 'timestamp-too-new'],
      [-86_400, 'timestamp-too-old'],
      [10 ** 9, 'timestamp-too-new'],
    ] as const) {
      const ts = NOW + offset;
      const headers = headersFor(hook, 'msg_1', ts, body);
      if (reason === null) assert.equal(hook.verify(body, headers).timestamp, ts);
      else refusal(() => hook.verify(body, headers), reason);
    }
    const strict = new Webhook(SECRET, { clock: at(NOW), toleranceSeconds: 10 });
    refusal(() => strict.verify(body, headersFor(strict, 'm', NOW - 11, body)), 'timestamp-too-old');
  });

  test('anything changed: no-matching-signature, always the same message', () => {
    const sig = good['webhook-signature'];
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    const cases: Array<[string, string | Uint8Array, Record<string, string>]> = [
      ['body', `${body} `, good],
      ['body as other bytes', new TextEncoder().encode(body.toUpperCase()), good],
      ['id', body, { ...good, 'webhook-id': 'msg_2', 'webhook-signature': sig }],
      ['timestamp', body, { ...good, 'webhook-timestamp': String(NOW - 1) }],
      ['first signature byte', body, { ...good, 'webhook-signature': flip(sig, 3) }],
      ['last signature byte', body, { ...good, 'webhook-signature': flip(sig, sig.length - 2) }],
      ['truncated signature', body, { ...good, 'webhook-signature': sig.slice(0, -1) }],
      ['signature without padding', body, { ...good, 'webhook-signature': sig.replace(/=$/, '') }],
      ['signature with a prefix', body, { ...good, 'webhook-signature': `v1,x${sig.slice(3)}` }],
      ['version v2', body, { ...good, 'webhook-signature': sig.replace('v1,', 'v2,') }],
      ['version V1', body, { ...good, 'webhook-signature': sig.replace('v1,', 'V1,') }],
      ['v1a (asymmetric) only', body, { ...good, 'webhook-signature': sig.replace('v1,', 'v1a,') }],
      ['no comma', body, { ...good, 'webhook-signature': sig.replace('v1,', 'v1') }],
      ['hex instead of base64', body, { ...good, 'webhook-signature': `v1,${'ab'.repeat(32)}` }],
      ['comma-joined, no space', body, { ...good, 'webhook-signature': `v1,AAAA,${sig}` }],
      ['other secret', body, headersFor(new Webhook(OTHER), 'msg_1', NOW, body)],
    ];
    const messages = new Set<string>();
    for (const [name, payload, headers] of cases) {
      assert.throws(
        () => hook.verify(payload, headers),
        (err: unknown) => {
          assert.ok(err instanceof WebhookVerificationError, name);
          assert.equal(err.reason, 'no-matching-signature', name);
          assert.equal(err.header, undefined);
          messages.add(err.message);
          return true;
        },
      );
    }
    assert.deepEqual([...messages], ['no matching webhook signature']);
  });

  test('several signatures: any v1 match passes, wherever it sits; other schemes are skipped', () => {
    const sig = good['webhook-signature'];
    const decoy = 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=';
    for (const list of [
      [decoy, sig],
      [sig, decoy],
      [decoy, 'v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=', sig, decoy],
      ['v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==', sig],
      ['', sig, ''],
    ]) {
      hook.verify(body, { ...good, 'webhook-signature': list.join(' ') });
    }
  });

  test('rotation: a receiver holding old and new secrets accepts either signature', () => {
    const rotating = new Webhook([OTHER, SECRET], { clock: at(NOW) });
    rotating.verify(body, headersFor(new Webhook(SECRET), 'm', NOW, body));
    rotating.verify(body, headersFor(new Webhook(OTHER), 'm', NOW, body));
    rotating.verify(body, headersFor(rotating, 'm', NOW, body));
    refusal(
      () => rotating.verify(body, headersFor(new Webhook(Webhook.generateSecret()), 'm', NOW, body)),
      'no-matching-signature',
    );
  });

  test('wrong argument types are TypeErrors', () => {
    assert.throws(() => hook.verify(42 as never, good), TypeError);
    assert.throws(() => hook.verify(body, null as never), TypeError);
    assert.throws(() => hook.verify(body, 'webhook-id: 1' as never), TypeError);
    assert.throws(() => hook.verify(body, { ...good, 'webhook-id': 42 } as never), TypeError);
  });

  test('a clock that returns no valid Date is a TypeError', () => {
    const broken = new Webhook(SECRET, { clock: () => new Date(Number.NaN) });
    assert.throws(() => broken.verify(body, good), TypeError);
    assert.throws(() => new Webhook(SECRET, { clock: 'now' as never }), TypeError);
  });
});

describe('replay protection', () => {
  const body = '{"n":1}';

  test('verifyAsync claims the id once the signature verifies; the same id again is replayed', async () => {
    const store = new MemoryReplayStore();
    const hook = new Webhook(SECRET, { clock: at(NOW), replayStore: store });
    const headers = headersFor(hook, 'msg_1', NOW, body);
    assert.deepEqual(await hook.verifyAsync(body, headers), { id: 'msg_1', timestamp: NOW });
    await refusalAsync(hook.verifyAsync(body, headers), 'replayed');
    // A sender retry (same id, new timestamp and signature) within the window is refused too.
    await refusalAsync(hook.verifyAsync(body, headersFor(hook, 'msg_1', NOW + 5, body)), 'replayed');
    // After release (the handler failed), the retry is accepted.
    store.release('msg_1');
    await hook.verifyAsync(body, headersFor(hook, 'msg_1', NOW + 5, body));
  });

  test('forged requests never reach the store, so they cannot block a real id', async () => {
    const store = new MemoryReplayStore();
    const hook = new Webhook(SECRET, { clock: at(NOW), replayStore: store });
    const forged = { ...headersFor(new Webhook(OTHER), 'msg_9', NOW, body) };
    await refusalAsync(hook.verifyAsync(body, forged), 'no-matching-signature');
    await refusalAsync(
      hook.verifyAsync(body, { ...forged, 'webhook-timestamp': String(NOW - 3600) }),
      'timestamp-too-old',
    );
    assert.equal(store.size, 0);
    await hook.verifyAsync(body, headersFor(hook, 'msg_9', NOW, body));
  });

  test('sync verify refuses to run without the store it was given', () => {
    const hook = new Webhook(SECRET, { clock: at(NOW), replayStore: new MemoryReplayStore() });
    assert.throws(() => hook.verify(body, headersFor(hook, 'm', NOW, body)), /verifyAsync/);
  });

  test('an async store (Redis-like) works, and a store answering anything but true means replayed', async () => {
    const seen = new Set<string>();
    const calls: Array<[string, number, number]> = [];
    const asyncStore = {
      claim: async (id: string, expiresAt: number, now: number) => {
        calls.push([id, expiresAt, now]);
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      },
    };
    const hook = new Webhook(SECRET, { clock: at(NOW), replayStore: asyncStore });
    await hook.verifyAsync(body, headersFor(hook, 'a', NOW - 20, body));
    await refusalAsync(hook.verifyAsync(body, headersFor(hook, 'a', NOW - 20, body)), 'replayed');
    assert.deepEqual(calls[0], ['a', NOW - 20 + 300, NOW]);
    const odd = new Webhook(SECRET, { clock: at(NOW), replayStore: { claim: () => 'yes' as never } });
    await refusalAsync(odd.verifyAsync(body, headersFor(odd, 'b', NOW, body)), 'replayed');
    assert.throws(() => new Webhook(SECRET, { replayStore: {} as never }), TypeError);
  });

  test('MemoryReplayStore: ids expire with their timestamp, and the bound holds', () => {
    const store = new MemoryReplayStore({ maxEntries: 3 });
    assert.equal(store.claim('a', 100, 10), true);
    assert.equal(store.claim('a', 100, 50), false);
    assert.equal(store.claim('a', 100, 100), false); // still live at its expiry second
    assert.equal(store.claim('a', 200, 101), true); // expired: a new claim
    assert.equal(store.claim('b', 200, 101), true);
    assert.equal(store.claim('c', 200, 101), true);
    assert.equal(store.size, 3);
    assert.equal(store.claim('d', 200, 101), true); // full of live ids: the oldest goes
    assert.equal(store.size, 3);
    assert.equal(store.evictions, 1);
    assert.equal(store.claim('a', 200, 101), true); // the evicted one, accepted again
    assert.equal(store.claim('d', 200, 150), false);
    // Expired ids are dropped first, without counting as evictions.
    const evictions = store.evictions;
    assert.equal(store.claim('e', 900, 500), true);
    assert.equal(store.evictions, evictions);
    assert.equal(store.size, 1);
  });

  test('MemoryReplayStore stays within maxEntries under a flood', () => {
    const store = new MemoryReplayStore({ maxEntries: 1000 });
    for (let i = 0; i < 20_000; i++) store.claim(`msg_${i}`, NOW + 300, NOW);
    assert.equal(store.size, 1000);
    assert.equal(store.evictions, 19_000);
    assert.equal(store.claim('msg_19999', NOW + 300, NOW), false);
    assert.equal(String(store), 'MemoryReplayStore(1000/1000 ids)');
    assert.throws(() => new MemoryReplayStore({ maxEntries: 0 }), RangeError);
  });
});

describe('verifyRequest (web Request)', () => {
  const hook = new Webhook(SECRET, {
    clock: at(NOW),
    maxBodyBytes: 1024,
    replayStore: new MemoryReplayStore(),
  });
  const body = JSON.stringify({ type: 'user.created', data: { id: 'u_1' } });
  const request = (payload: string | ReadableStream<Uint8Array> | null, headers: Record<string, string>) =>
    new Request('https://example.com/hooks', {
      method: 'POST',
      body: payload,
      headers,
      duplex: 'half',
    } as RequestInit);

  test('genuine: returns id, timestamp and the raw body', async () => {
    const r = await hook.verifyRequest(request(body, headersFor(hook, 'req_1', NOW, body)));
    assert.equal(r.id, 'req_1');
    assert.equal(new TextDecoder().decode(r.body), body);
  });

  test('tampered, stale, replayed', async () => {
    const headers = headersFor(hook, 'req_2', NOW, body);
    await refusalAsync(hook.verifyRequest(request(`${body}x`, headers)), 'no-matching-signature');
    await refusalAsync(
      hook.verifyRequest(request(body, headersFor(hook, 'req_3', NOW - 301, body))),
      'timestamp-too-old',
    );
    await hook.verifyRequest(request(body, headers));
    await refusalAsync(hook.verifyRequest(request(body, headers)), 'replayed');
  });

  test('oversized: by Content-Length, or while streaming without one', async () => {
    const big = 'x'.repeat(2048);
    await refusalAsync(
      hook.verifyRequest(request(big, headersFor(hook, 'req_4', NOW, big))),
      'body-too-large',
    );
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(512));
        if (pulled > 1000) controller.close();
      },
    });
    await refusalAsync(
      hook.verifyRequest(request(stream, headersFor(hook, 'req_5', NOW, big))),
      'body-too-large',
    );
    assert.ok(pulled < 10, `read ${pulled} chunks`);
  });

  test('a body already read, or not a Request, is a TypeError', async () => {
    const r = request(body, headersFor(hook, 'req_6', NOW, body));
    await r.text();
    await assert.rejects(hook.verifyRequest(r), TypeError);
    await assert.rejects(hook.verifyRequest({ headers: new Headers() } as never), TypeError);
  });

  test('an empty body verifies when it was signed empty', async () => {
    const plain = new Webhook(SECRET, { clock: at(NOW) });
    const r = await plain.verifyRequest(request(null, headersFor(plain, 'req_7', NOW, '')));
    assert.equal(r.body.length, 0);
  });
});
