// Interop both ways with the `standardwebhooks` npm package (1.1.1, the Standard Webhooks reference
// library for JavaScript): its signatures verify in coffer and coffer's verify in it, for random secrets
// of every allowed size, ids, bodies and timestamps within the tolerance, with rotation headers built by
// either side. The reference library reads the clock itself, so timestamps here are near now.
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  Webhook as Reference,
  WebhookVerificationError as ReferenceVerificationError,
} from 'standardwebhooks';
import { Webhook, WebhookVerificationError } from '../../src/index.ts';

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-';

function randomId(): string {
  const n = randomInt(1, 40);
  return `msg_${Array.from({ length: n }, () => ID_CHARS[randomInt(ID_CHARS.length)]).join('')}`;
}

function randomBody(i: number): string {
  if (i % 7 === 0) return '';
  const value = {
    type: 'invoice.paid',
    n: i,
    text: 'ünïcödé 🎉 "quoted" \\ back',
    filler: 'x'.repeat(randomInt(0, 5000)),
  };
  return i % 2 === 0 ? JSON.stringify(value) : JSON.stringify(value, null, 2);
}

function randomSecret(): string {
  return `whsec_${randomBytes(randomInt(24, 65)).toString('base64')}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('standardwebhooks (reference) <-> coffer', () => {
  test('reference signatures verify in coffer (200 random messages)', () => {
    for (let i = 0; i < 200; i++) {
      const secret = randomSecret();
      const id = randomId();
      const body = randomBody(i);
      const ts = nowSeconds() + randomInt(-290, 290);
      const signature = new Reference(secret).sign(id, new Date(ts * 1000), body);
      const headers = { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signature };
      assert.deepEqual(new Webhook(secret).verify(body, headers), { id, timestamp: ts });
      assert.deepEqual(new Webhook(secret).verify(new TextEncoder().encode(body), headers), {
        id,
        timestamp: ts,
      });
      assert.equal(new Webhook(secret).sign(id, ts, body), signature);
    }
  });

  test('coffer signatures verify in the reference (200 random messages)', () => {
    for (let i = 0; i < 200; i++) {
      const secret = randomSecret();
      const id = randomId();
      const body = randomBody(i);
      const ts = nowSeconds() + randomInt(-290, 290);
      const headers = {
        'webhook-id': id,
        'webhook-timestamp': String(ts),
        'webhook-signature': new Webhook(secret).sign(id, ts, body),
      };
      const ref = new Reference(secret);
      ref.verify(body, headers, { jsonParse: false });
      ref.verify(Buffer.from(body), headers, { jsonParse: false });
      // The reference takes the secret without its prefix too.
      new Reference(secret.slice('whsec_'.length)).verify(body, headers, { jsonParse: false });
    }
  });

  test('rotation headers built by either side verify in the other', () => {
    const old = randomSecret();
    const fresh = randomSecret();
    const id = randomId();
    const body = randomBody(1);
    const ts = nowSeconds();
    // coffer signs with both secrets; the reference, holding either one, accepts.
    const both = new Webhook([fresh, old]).sign(id, ts, body);
    assert.equal(both.split(' ').length, 2);
    const cofferHeaders = { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': both };
    new Reference(old).verify(body, cofferHeaders, { jsonParse: false });
    new Reference(fresh).verify(body, cofferHeaders, { jsonParse: false });
    // The reference signs once per secret; joined as the spec says, coffer with either secret accepts.
    const date = new Date(ts * 1000);
    const joined = `${new Reference(fresh).sign(id, date, body)} ${new Reference(old).sign(id, date, body)}`;
    const refHeaders = { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': joined };
    new Webhook(old).verify(body, refHeaders);
    new Webhook(fresh).verify(body, refHeaders);
    new Webhook([fresh, old]).verify(body, refHeaders);
  });

  test('both refuse the same tampering', () => {
    const secret = randomSecret();
    const id = randomId();
    const body = '{"amount":42}';
    const ts = nowSeconds();
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': new Webhook(secret).sign(id, ts, body),
    };
    const tampered: Array<[string, Record<string, string>]> = [
      ['{"amount":4200}', headers],
      [body, { ...headers, 'webhook-id': `${id}x` }],
      [body, { ...headers, 'webhook-timestamp': String(ts + 1) }],
      [body, { ...headers, 'webhook-signature': new Webhook(randomSecret()).sign(id, ts, body) }],
      [
        body,
        {
          ...headers,
          'webhook-timestamp': String(ts - 400),
          'webhook-signature': new Webhook(secret).sign(id, ts - 400, body),
        },
      ],
      [
        body,
        {
          ...headers,
          'webhook-timestamp': String(ts + 400),
          'webhook-signature': new Webhook(secret).sign(id, ts + 400, body),
        },
      ],
    ];
    for (const [payload, h] of tampered) {
      assert.throws(() => new Reference(secret).verify(payload, h), ReferenceVerificationError);
      assert.throws(() => new Webhook(secret).verify(payload, h), WebhookVerificationError);
    }
  });

  test('recorded difference: bodies that are not UTF-8', () => {
    // The spec signs the payload as sent. coffer signs the bytes; the reference package turns a Buffer into
    // a string first, so invalid UTF-8 becomes U+FFFD and its signature covers other bytes. Valid UTF-8
    // (every JSON body) is signed identically, as the tests above show.
    const secret = randomSecret();
    const body = Buffer.from([0x7b, 0xff, 0x7d]);
    const ts = nowSeconds();
    const cofferSig = new Webhook(secret).sign('m', ts, body);
    const referenceSig = new Reference(secret).sign('m', new Date(ts * 1000), body);
    assert.notEqual(cofferSig, referenceSig);
    assert.equal(referenceSig, new Webhook(secret).sign('m', ts, body.toString()));
  });
});
