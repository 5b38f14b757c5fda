// One-time passwords and Standard Webhooks: verification, the operation a server runs per login or per
// delivery.
//
// TOTP: coffer's `TOTP#verifyAtTime` against the HOTP a user would write with node:crypto (HMAC of the
// 8-byte step, dynamic truncation, a constant-time compare), and pyca's `TOTP.verify`. pyca checks one step;
// its ±1 row is the loop a Python user writes around it. All three return the matched step as decimal text.
//
// Webhooks: coffer's `Webhook#verify` (headers, timestamp window, HMAC-SHA256, constant-time compare of
// every signature in the header) against the same checks written over node:crypto, and beside the bare
// HMAC-SHA256 over `id.timestamp.body` underneath. pyca's row is its HMAC verify over the same content.
// All return the webhook id.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { TOTP } from '../../src/recipes/otp.ts';
import { Webhook } from '../../src/recipes/webhooks.ts';
import { defineCases, pattern, py } from '../case.ts';

// ---------------------------------------------------------------------------------------------------
// TOTP

const OTP_KEY = pattern(20, 8);
const T = 1_700_000_000;
const totp = new TOTP(OTP_KEY);
const CODE = totp.generateAtTime(T);
const stepText = (step: number): Uint8Array => Buffer.from(String(step));

/** RFC 4226 §5.3 in plain node:crypto: what a careful user writes without a library. */
function rawHotp(key: Uint8Array, counter: number): Buffer {
  const message = Buffer.alloc(8);
  message.writeUInt32BE(Math.floor(counter / 2 ** 32), 0);
  message.writeUInt32BE(counter >>> 0, 4);
  const hs = createHmac('sha1', key).update(message).digest();
  const offset = hs[hs.length - 1]! & 0x0f;
  const value = (hs.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return Buffer.from(String(value).padStart(6, '0'));
}

function rawTotpVerify(code: string, at: number, window: number): Uint8Array {
  const given = Buffer.from(code);
  const step = Math.floor(at / 30);
  let matched = -1;
  for (let s = step - window; s <= step + window; s++) {
    const expected = rawHotp(OTP_KEY, s);
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = s;
  }
  if (matched < 0) throw new Error('invalid code');
  return stepText(matched);
}

const pycaTotp = py`
  from cryptography.hazmat.primitives.twofactor import InvalidToken
  from cryptography.hazmat.primitives.twofactor.totp import TOTP
  T = ${T}
  totp = TOTP(pattern(20, 8), 6, hashes.SHA1(), 30)
  code = totp.generate(T)
`;

// ---------------------------------------------------------------------------------------------------
// Webhooks

const WH_KEY = pattern(32, 9);
const WH_SECRET = `whsec_${Buffer.from(WH_KEY).toString('base64')}`;
const WH_ID = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
const WH_TS = 1_700_000_000;
const hook = new Webhook(WH_SECRET, { clock: () => new Date(WH_TS * 1000) });
const idBytes = Buffer.from(WH_ID);
const OK = new Uint8Array(idBytes);

function headersFor(body: Uint8Array): Record<string, string> {
  return {
    'webhook-id': WH_ID,
    'webhook-timestamp': String(WH_TS),
    'webhook-signature': hook.sign(WH_ID, WH_TS, body),
  };
}

/** The same checks as `Webhook#verify`, written over node:crypto. */
function rawWebhookVerify(body: Uint8Array, headers: Record<string, string>): Uint8Array {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures) throw new Error('missing header');
  if (!/^[0-9]+$/.test(timestamp) || Math.abs(WH_TS - Number(timestamp)) > 300) throw new Error('timestamp');
  const expected = Buffer.from(
    createHmac('sha256', WH_KEY).update(`${id}.${timestamp}.`).update(body).digest('base64'),
  );
  let ok = false;
  for (const entry of signatures.split(' ')) {
    const [version, sig] = entry.split(',');
    if (version !== 'v1' || sig === undefined) continue;
    const given = Buffer.from(sig);
    if (given.length === expected.length && timingSafeEqual(given, expected)) ok = true;
  }
  if (!ok) throw new Error('no matching signature');
  return Buffer.from(id);
}

/** Only the HMAC-SHA256 under the verification: the primitive's cost, for scale. */
function bareHmac(body: Uint8Array): Uint8Array {
  createHmac('sha256', WH_KEY).update(`${WH_ID}.${WH_TS}.`).update(body).digest();
  return idBytes;
}

const pycaWebhook = py`
  import base64
  key = pattern(32, 9)
  data = pattern(SIZE, 1)
  prefix = b"${WH_ID}.${WH_TS}."
  h = hmac.HMAC(key, hashes.SHA256())
  h.update(prefix)
  h.update(data)
  header = "v1," + base64.b64encode(h.finalize()).decode()
  def op():
      sig = base64.b64decode(header.split(",", 1)[1])
      h = hmac.HMAC(key, hashes.SHA256())
      h.update(prefix)
      h.update(data)
      h.verify(sig)
      return b"${WH_ID}"
`;

const sizes = [1024, 64 * 1024];

export default defineCases([
  {
    name: 'totp verify (exact step)',
    size: CODE.length,
    throughput: false,
    coffer: () => stepText(totp.verifyAtTime(CODE, T, { window: 0 })),
    raw: () => rawTotpVerify(CODE, T, 0),
    pyca: `${pycaTotp}def op():\n    totp.verify(code, T)\n    return str(T // 30).encode()\n`,
  },
  {
    name: 'totp verify (window ±1)',
    size: CODE.length,
    throughput: false,
    coffer: () => stepText(totp.verifyAtTime(CODE, T)),
    raw: () => rawTotpVerify(CODE, T, 1),
    pyca:
      pycaTotp +
      py`
        def op():
            matched = -1
            for s in (-1, 0, 1):
                try:
                    totp.verify(code, T + 30 * s)
                    matched = T // 30 + s
                except InvalidToken:
                    pass
            return str(matched).encode()
      `,
  },
  ...sizes.flatMap((size) => {
    const body = pattern(size, 1);
    const headers = headersFor(body);
    return [
      {
        name: 'webhook verify',
        size,
        coffer: () => (hook.verify(body, headers).id === WH_ID ? OK : new Uint8Array()),
        raw: () => rawWebhookVerify(body, headers),
        pyca: pycaWebhook,
      },
      {
        // Not an equivalent: the primitive alone, to show what parsing and checking add on top of it.
        name: 'webhook verify vs bare HMAC',
        size,
        maxRatio: 2,
        coffer: () => (hook.verify(body, headers).id === WH_ID ? OK : new Uint8Array()),
        raw: () => bareHmac(body),
      },
    ];
  }),
]);
