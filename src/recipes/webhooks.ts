/**
 * Signed webhooks, exactly as the Standard Webhooks specification (standardwebhooks.com, v1.0.0) defines
 * them, so coffer interoperates with every sender and receiver that follows it (Svix, the reference
 * libraries, the `standardwebhooks` npm package):
 *
 * - three headers: `webhook-id` (the message id, unchanged across retries), `webhook-timestamp` (Unix
 *   seconds of this attempt) and `webhook-signature`;
 * - the signature `v1,<base64>` is HMAC-SHA256 under the secret over the bytes `{id}.{timestamp}.{body}`;
 * - secrets are `whsec_` followed by base64 of 24 to 64 random bytes;
 * - the signature header may hold several space-separated signatures (secret rotation): a webhook is
 *   authentic if any `v1` signature matches under any of this receiver's secrets. Every candidate is
 *   compared, in constant time, with no early exit; other schemes (`v1a`) are skipped;
 * - a timestamp more than 5 minutes (the default tolerance) from the receiver's clock, either way, is
 *   refused.
 *
 * Verification throws {@link WebhookVerificationError}, whose `reason` says why: `missing-header`,
 * `malformed-header`, `timestamp-too-old`, `timestamp-too-new`, `body-too-large`, `no-matching-signature`
 * or `replayed`. Suggested HTTP answers: 400 for the header reasons, 401 for the timestamp and signature
 * reasons, 413 for `body-too-large` (with `Connection: close`, as the rest of the body is not read), and
 * 409 for `replayed` (the sender retries later; see {@link WebhookReplayStore}).
 *
 * Sign and verify the **raw body bytes** as they travel: a body parsed and serialized again rarely has
 * the same bytes. `verifyIncomingMessage` and `verifyRequest` read the raw body themselves, with a size
 * limit, and check the headers and timestamp before reading it.
 *
 * **Limits**: `webhook-id` at most 256 characters, printable ASCII without `.` (the spec asks senders to
 * keep `.` out of ids, which would make `{id}.{timestamp}.{body}` ambiguous); `webhook-signature` at most
 * 4096 characters; bodies read by the request helpers at most `maxBodyBytes` (1 MiB by default); up to 16
 * secrets per receiver.
 *
 * @example
 * ```ts
 * import http from 'node:http';
 * import { MemoryReplayStore, Webhook, WebhookVerificationError } from 'coffer';
 *
 * const hooks = new Webhook(process.env.WEBHOOK_SECRET!, { replayStore: new MemoryReplayStore() });
 * http.createServer(async (req, res) => {
 *   try {
 *     const { id, body } = await hooks.verifyIncomingMessage(req);
 *     await handle(id, JSON.parse(new TextDecoder().decode(body)));
 *     res.writeHead(204).end();
 *   } catch (err) {
 *     if (!(err instanceof WebhookVerificationError)) throw err;
 *     const status =
 *       { 'missing-header': 400, 'malformed-header': 400, 'body-too-large': 413, replayed: 409 }[err.reason] ?? 401;
 *     res.writeHead(status, { connection: 'close' }).end();
 *   }
 * });
 * ```
 * @module
 */
import { IncomingMessage } from 'node:http';
import { inspect } from 'node:util';
import { DecodeError, WebhookVerificationError } from '../errors.ts';
import { base64Decode } from '../formats/encoding.ts';
import { createHmac, type KeyInput, keyHandle, randomBytes, timingSafeEqual } from '../internal/backend.ts';
import { bytesLike, describeValue, integer, isBytes, plainObject, string } from '../internal/bytes.ts';
import { isSecretKey, type SecretKey, secretKeyBytes } from '../keys/secret-key.ts';

/** A Standard Webhooks secret: `whsec_<base64>` (the prefix may be left off), raw bytes, or a SecretKey. */
export type WebhookSecret = string | Uint8Array | SecretKey;

/** Headers as Node gives them (`req.headers`), as a plain object, or a web `Headers`. Names are case-insensitive. */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Where ids of accepted webhooks are remembered, so that a captured request sent again is refused.
 * Implement it over Redis (`SET id 1 NX EXAT expiresAt`) or a database for several processes; the
 * default {@link MemoryReplayStore} serves one process.
 */
export interface WebhookReplayStore {
  /**
   * Records `id` and answers whether it was new: `true` the first time, `false` while an earlier record
   * of it lives. Must be atomic (two concurrent claims of one id: one wins). Keep the record at least
   * until `expiresAt` (Unix seconds): after that the timestamp check refuses a replay on its own. `now`
   * is the verifier's clock.
   */
  claim(id: string, expiresAt: number, now: number): boolean | Promise<boolean>;
  /** Optional: forgets `id`, so that the sender's retry is accepted after your handler failed. */
  release?(id: string): void | Promise<void>;
}

export interface WebhookOptions {
  /** Largest accepted distance between `webhook-timestamp` and the clock, either way, in seconds. Default 300. */
  toleranceSeconds?: number;
  /**
   * Remember ids of accepted webhooks and refuse them a second time (`replayed`). The ids are claimed
   * only after the signature verifies, so forged requests cannot fill the store or block a real id.
   * With a store, use the async methods (`verifyAsync`, `verifyIncomingMessage`, `verifyRequest`).
   */
  replayStore?: WebhookReplayStore;
  /** Largest body `verifyIncomingMessage` and `verifyRequest` read, in bytes. Default 1 MiB, at most 64 MiB. */
  maxBodyBytes?: number;
  /** The clock. Default `() => new Date()`. */
  clock?: () => Date;
}

/** What a verified webhook says about itself. */
export interface VerifiedWebhook {
  /** `webhook-id`: use it as the idempotency key when you process the event. */
  readonly id: string;
  /** `webhook-timestamp`, Unix seconds. */
  readonly timestamp: number;
}

/** A verified webhook read from a request, with its raw body. */
export interface VerifiedWebhookRequest extends VerifiedWebhook {
  readonly body: Uint8Array;
}

/** Shortest secret the specification allows: 24 bytes (192 bits). */
export const WEBHOOK_SECRET_MIN_BYTES = 24;
/** Longest secret the specification allows: 64 bytes (512 bits). */
export const WEBHOOK_SECRET_MAX_BYTES = 64;
/** Default timestamp tolerance, in seconds, either way (the specification's 5 minutes). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
/** Longest `webhook-id` accepted, in characters. */
export const MAX_WEBHOOK_ID_LENGTH = 256;
/** Longest `webhook-signature` header accepted, in characters. */
export const MAX_WEBHOOK_SIGNATURE_HEADER_LENGTH = 4096;
/** Default `maxBodyBytes`: 1 MiB (the specification recommends payloads under 20 kB). */
export const WEBHOOK_DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Largest `maxBodyBytes` accepted: 64 MiB. */
export const WEBHOOK_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Most secrets one `Webhook` holds. */
export const MAX_WEBHOOK_SECRETS = 16;

const PREFIX = 'whsec_';
const SIGNATURE_LENGTH = 44; // base64 of a 32-byte HMAC-SHA256, padded
const ID = /^[\x21-\x2d\x2f-\x7e]+$/; // printable ASCII, no space, no '.'
const TIMESTAMP = /^(?:0|[1-9][0-9]{0,14})$/;
const MAX_TOLERANCE = 7 * 24 * 3600;
type HeaderName = 'webhook-id' | 'webhook-timestamp' | 'webhook-signature';

/** `where` names an entry of a secret list in messages (` (entry 2)`), after the quoted parameter name. */
function secretBytes(value: unknown, where: string): Uint8Array {
  let material: Uint8Array;
  if (typeof value === 'string') {
    if (value.startsWith('whsk_') || value.startsWith('whpk_')) {
      throw new DecodeError(`"secret"${where} is an asymmetric (v1a) key; only whsec_ secrets are supported`);
    }
    const text = value.startsWith(PREFIX) ? value.slice(PREFIX.length) : value;
    try {
      material = base64Decode(text);
    } catch {
      throw new DecodeError(`"secret"${where} must be "whsec_" followed by standard base64`);
    }
  } else if (isSecretKey(value)) {
    material = secretKeyBytes(value);
  } else if (isBytes(value)) {
    material = value;
  } else {
    throw new TypeError(
      `"secret"${where} must be a whsec_ string, a Uint8Array or a SecretKey, got ${describeValue(value)}`,
    );
  }
  if (material.length < WEBHOOK_SECRET_MIN_BYTES || material.length > WEBHOOK_SECRET_MAX_BYTES) {
    throw new RangeError(
      `"secret"${where} must be ${WEBHOOK_SECRET_MIN_BYTES} to ${WEBHOOK_SECRET_MAX_BYTES} bytes ` +
        `(Standard Webhooks), got ${material.length}`,
    );
  }
  return material;
}

function secretList(value: unknown): KeyInput[] {
  if (!Array.isArray(value)) return [keyHandle(Uint8Array.from(secretBytes(value, '')))];
  if (value.length < 1 || value.length > MAX_WEBHOOK_SECRETS) {
    throw new RangeError(`"secret" must hold 1 to ${MAX_WEBHOOK_SECRETS} secrets, got ${value.length}`);
  }
  return value.map((s, i) => keyHandle(Uint8Array.from(secretBytes(s, ` (entry ${i})`))));
}

function idArg(value: unknown): string {
  string('id', value);
  const id = value as string;
  if (id.length > MAX_WEBHOOK_ID_LENGTH) {
    throw new RangeError(`"id" must be at most ${MAX_WEBHOOK_ID_LENGTH} characters, got ${id.length}`);
  }
  if (!ID.test(id)) throw new TypeError('"id" must be printable ASCII without spaces or "."');
  return id;
}

function timestampArg(value: unknown): number {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('"timestamp" must be a valid date after 1970');
    return Math.floor(ms / 1000);
  }
  if (typeof value !== 'number') {
    throw new TypeError(`"timestamp" must be a Date or Unix seconds, got ${describeValue(value)}`);
  }
  return integer('timestamp', value, 0, 10 ** 15 - 1);
}

/** The header's single value, `undefined` when absent; a repeated header is malformed. */
function header(headers: unknown, name: HeaderName): string | undefined {
  let value: unknown;
  if (headers instanceof Headers) {
    value = headers.get(name) ?? undefined;
  } else {
    // Own properties only: nothing inherited (a polluted Object.prototype) can pose as a header.
    const h = headers as Record<string, unknown>;
    value = Object.hasOwn(h, name) ? h[name] : undefined;
    if (value === undefined) {
      // Not Node's lowercase keys: look case-insensitively.
      for (const key of Object.keys(h)) {
        if (key.length === name.length && key.toLowerCase() === name) {
          value = h[key];
          break;
        }
      }
    }
  }
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    if (value.length > 1 || typeof value[0] !== 'string')
      throw new WebhookVerificationError('malformed-header', name);
    return value[0];
  }
  if (typeof value !== 'string') {
    throw new TypeError(`"headers" values must be strings, got ${describeValue(value)} for ${name}`);
  }
  return value;
}

function headersArg(headers: unknown): unknown {
  if (headers instanceof Headers) return headers;
  return plainObject('headers', headers);
}

interface Parsed {
  readonly id: string;
  readonly timestampText: string;
  readonly timestamp: number;
  readonly signatures: string;
}

/**
 * A Standard Webhooks signer and verifier for one endpoint's secret (or several, while rotating). Its
 * shape follows the `standardwebhooks` package: `new Webhook(secret)`, `sign`, `verify`.
 *
 * @example
 * ```ts
 * import { Webhook } from 'coffer';
 * const secret = Webhook.generateSecret(); // 'whsec_…': give it to the receiver once
 * const sender = new Webhook(secret);
 * const body = '{"type":"invoice.paid"}';
 * const headers = {
 *   'webhook-id': 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
 *   'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
 *   'webhook-signature': sender.sign('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', new Date(), body),
 * };
 * new Webhook(secret).verify(body, headers); // { id, timestamp }, or throws WebhookVerificationError
 * ```
 */
export class Webhook {
  readonly #keys: KeyInput[];
  readonly #tolerance: number;
  readonly #store: WebhookReplayStore | undefined;
  readonly #maxBody: number;
  readonly #clock: () => Date;

  /**
   * @param secret a `whsec_…` secret, raw bytes or a SecretKey; or an array of them while rotating
   * (signing then emits one signature per secret; verifying accepts a match under any).
   * @throws {DecodeError} when a secret string is not `whsec_` + base64.
   * @throws {RangeError} when a secret is not 24 to 64 bytes, or an option is out of range.
   * @throws {TypeError} on wrong types.
   */
  constructor(secret: WebhookSecret | readonly WebhookSecret[], options: WebhookOptions = {}) {
    const o = plainObject('options', options);
    this.#tolerance =
      o.toleranceSeconds === undefined
        ? WEBHOOK_TOLERANCE_SECONDS
        : integer('toleranceSeconds', o.toleranceSeconds, 0, MAX_TOLERANCE);
    this.#maxBody =
      o.maxBodyBytes === undefined
        ? WEBHOOK_DEFAULT_MAX_BODY_BYTES
        : integer('maxBodyBytes', o.maxBodyBytes, 0, WEBHOOK_MAX_BODY_BYTES);
    const store = o.replayStore;
    if (
      store !== undefined &&
      (typeof store !== 'object' ||
        store === null ||
        typeof (store as WebhookReplayStore).claim !== 'function')
    ) {
      throw new TypeError(
        `"replayStore" must be an object with a claim() method, got ${describeValue(store)}`,
      );
    }
    this.#store = store as WebhookReplayStore | undefined;
    if (o.clock !== undefined && typeof o.clock !== 'function') {
      throw new TypeError(`"clock" must be a function, got ${describeValue(o.clock)}`);
    }
    this.#clock = (o.clock as (() => Date) | undefined) ?? (() => new Date());
    this.#keys = secretList(secret);
    Object.freeze(this);
  }

  /** A new random secret: `whsec_` and base64 of 32 bytes from the OS CSPRNG. */
  static generateSecret(): string {
    return PREFIX + randomBytes(32).toString('base64');
  }

  /**
   * The `webhook-signature` header value for a message: `v1,<base64>`, one per secret, space-separated.
   * @param id the `webhook-id` (printable ASCII, no spaces or `.`, at most 256 characters).
   * @param timestamp the `webhook-timestamp` to send, as a Date or Unix seconds.
   * @param payload the exact body bytes (a string is sent as UTF-8).
   * @throws {TypeError | RangeError} on a bad id, timestamp or payload.
   */
  sign(id: string, timestamp: Date | number, payload: string | Uint8Array): string {
    const i = idArg(id);
    const t = timestampArg(timestamp);
    const body = bytesLike('payload', payload);
    const prefix = `${i}.${t}.`;
    return this.#keys.map((k) => `v1,${mac(k, prefix, body)}`).join(' ');
  }

  /**
   * Verifies a webhook whose raw body you already hold. Does not consult a replay store: with one
   * configured, use {@link Webhook.verifyAsync}.
   * @throws {WebhookVerificationError} when a header is missing or malformed, the timestamp is outside
   * the tolerance, or no signature matches.
   * @throws {TypeError} when arguments have the wrong type, or a replay store is configured.
   */
  verify(payload: string | Uint8Array, headers: WebhookHeaders): VerifiedWebhook {
    if (this.#store !== undefined) {
      throw new TypeError(
        'this Webhook has a replayStore: use verifyAsync, verifyIncomingMessage or verifyRequest',
      );
    }
    const body = bytesLike('payload', payload);
    const parsed = this.#check(headersArg(headers));
    this.#authenticate(parsed, body);
    return { id: parsed.id, timestamp: parsed.timestamp };
  }

  /**
   * {@link Webhook.verify}, then the replay store (when configured) claims the id.
   * @throws {WebhookVerificationError} as `verify`, and `replayed` when the id was already accepted.
   */
  async verifyAsync(payload: string | Uint8Array, headers: WebhookHeaders): Promise<VerifiedWebhook> {
    const body = bytesLike('payload', payload);
    const parsed = this.#check(headersArg(headers));
    this.#authenticate(parsed, body);
    await this.#claim(parsed);
    return { id: parsed.id, timestamp: parsed.timestamp };
  }

  /**
   * Verifies a Node request (`http.IncomingMessage`, or Express's `req` before any body parser): checks
   * the headers and timestamp, reads the raw body up to `maxBodyBytes`, verifies the signature, then
   * claims the id in the replay store. On `body-too-large` the rest of the body is left unread: answer
   * 413 with `Connection: close`.
   * @throws {WebhookVerificationError} for every reason above.
   * @throws {TypeError} when `request` is not an IncomingMessage, or its body was already read.
   */
  async verifyIncomingMessage(request: IncomingMessage): Promise<VerifiedWebhookRequest> {
    const notIncoming = () =>
      new TypeError(`"request" must be a readable http.IncomingMessage, got ${describeValue(request)}`);
    if (!(request instanceof IncomingMessage)) throw notIncoming();
    let state: 'fresh' | 'read' | 'unreadable';
    try {
      // instanceof alone accepts Object.create(IncomingMessage.prototype): it has no stream state, and
      // waiting for its body would never end.
      if (request.readableEnded || request.readableDidRead) state = 'read';
      else if (!request.readable || typeof request.headers !== 'object' || request.headers === null)
        state = 'unreadable';
      else state = 'fresh';
    } catch {
      state = 'unreadable';
    }
    if (state === 'unreadable') throw notIncoming();
    if (state === 'read') {
      throw new TypeError('"request" body has already been read: verify before any body parser runs');
    }
    const parsed = this.#check(request.headers);
    declaredLength(request.headers['content-length'], this.#maxBody);
    const body = await readNode(request, this.#maxBody);
    this.#authenticate(parsed, body);
    await this.#claim(parsed);
    return { id: parsed.id, timestamp: parsed.timestamp, body };
  }

  /**
   * Verifies a web `Request` (fetch API: Node's global `Request`, Deno, Bun, edge runtimes) the same way
   * as {@link Webhook.verifyIncomingMessage}. On `body-too-large` the body stream is cancelled.
   * @throws {WebhookVerificationError} for every reason above.
   * @throws {TypeError} when `request` is not a Request, or its body was already read.
   */
  async verifyRequest(request: Request): Promise<VerifiedWebhookRequest> {
    let used: boolean;
    try {
      // instanceof alone accepts Object.create(Request.prototype), whose getters throw.
      used = request.bodyUsed;
    } catch {
      throw new TypeError(`"request" must be a Request, got ${describeValue(request)}`);
    }
    if (!(request instanceof Request)) {
      throw new TypeError(`"request" must be a Request, got ${describeValue(request)}`);
    }
    if (used) throw new TypeError('"request" body has already been read');
    const parsed = this.#check(request.headers);
    declaredLength(request.headers.get('content-length') ?? undefined, this.#maxBody);
    const body = await readWeb(request.body, this.#maxBody);
    this.#authenticate(parsed, body);
    await this.#claim(parsed);
    return { id: parsed.id, timestamp: parsed.timestamp, body };
  }

  /** Headers present and well-formed, timestamp within the tolerance. Cheap: runs before the body is read. */
  #check(headers: unknown): Parsed {
    const id = header(headers, 'webhook-id');
    const timestampText = header(headers, 'webhook-timestamp');
    const signatures = header(headers, 'webhook-signature');
    if (id === undefined || id === '') throw new WebhookVerificationError('missing-header', 'webhook-id');
    if (timestampText === undefined || timestampText === '') {
      throw new WebhookVerificationError('missing-header', 'webhook-timestamp');
    }
    if (signatures === undefined || signatures === '') {
      throw new WebhookVerificationError('missing-header', 'webhook-signature');
    }
    if (id.length > MAX_WEBHOOK_ID_LENGTH || !ID.test(id)) {
      throw new WebhookVerificationError('malformed-header', 'webhook-id');
    }
    if (!TIMESTAMP.test(timestampText))
      throw new WebhookVerificationError('malformed-header', 'webhook-timestamp');
    if (signatures.length > MAX_WEBHOOK_SIGNATURE_HEADER_LENGTH) {
      throw new WebhookVerificationError('malformed-header', 'webhook-signature');
    }
    const timestamp = Number(timestampText);
    const now = this.#now();
    if (now - timestamp > this.#tolerance) throw new WebhookVerificationError('timestamp-too-old');
    if (timestamp - now > this.#tolerance) throw new WebhookVerificationError('timestamp-too-new');
    return { id, timestampText, timestamp, signatures };
  }

  /**
   * Compares every `v1` signature in the header with the expected one under every secret, in constant
   * time and without stopping at a match, so the time taken says nothing about which one matched.
   */
  #authenticate(parsed: Parsed, body: Uint8Array): void {
    const prefix = `${parsed.id}.${parsed.timestampText}.`;
    const expected = this.#keys.map((k) => Buffer.from(mac(k, prefix, body), 'latin1'));
    let matched = 0;
    for (const entry of parsed.signatures.split(' ')) {
      if (!entry.startsWith('v1,')) continue; // another scheme (v1a) or version
      const given = Buffer.from(entry.slice(3), 'latin1');
      const sameLength = given.length === SIGNATURE_LENGTH ? 1 : 0;
      for (const e of expected) {
        // Same work whatever the length: a wrong-length candidate is compared as the expected value itself.
        matched |= (timingSafeEqual(e, sameLength === 1 ? given : e) ? 1 : 0) & sameLength;
      }
    }
    if (matched === 0) throw new WebhookVerificationError('no-matching-signature');
  }

  async #claim(parsed: Parsed): Promise<void> {
    if (this.#store === undefined) return;
    const fresh = await this.#store.claim(parsed.id, parsed.timestamp + this.#tolerance, this.#now());
    if (fresh !== true) throw new WebhookVerificationError('replayed');
  }

  #now(): number {
    const date = this.#clock();
    if (!(date instanceof Date) || !Number.isFinite(date.getTime())) {
      throw new TypeError('"clock" must return a valid Date');
    }
    return Math.floor(date.getTime() / 1000);
  }

  toString(): string {
    const n = this.#keys.length;
    return `Webhook(${n} secret${n === 1 ? '' : 's'}, tolerance ${this.#tolerance} s${this.#store ? ', replay store' : ''})`;
  }

  toJSON(): { type: 'Webhook'; secrets: number; toleranceSeconds: number } {
    return { type: 'Webhook', secrets: this.#keys.length, toleranceSeconds: this.#tolerance };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** base64(HMAC-SHA256(key, prefix ‖ body)). The prefix is ASCII (id and timestamp are checked first). */
function mac(key: KeyInput, prefix: string, body: Uint8Array): string {
  return createHmac('sha256', key).update(prefix).update(body).digest('base64');
}

/** A declared Content-Length over the limit is refused before a byte is read. */
function declaredLength(value: string | undefined, max: number): void {
  if (value !== undefined && /^[0-9]{1,16}$/.test(value) && Number(value) > max) {
    throw new WebhookVerificationError('body-too-large');
  }
}

function join(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** Reads a Node request body up to `max` bytes. Over the limit, stops reading (the socket stays usable to answer). */
function readNode(request: IncomingMessage, max: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    const onData = (chunk: Buffer | string) => {
      const c = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += c.length;
      if (total > max) {
        cleanup();
        request.pause();
        reject(new WebhookVerificationError('body-too-large'));
        return;
      }
      chunks.push(c);
    };
    const onEnd = () => {
      cleanup();
      resolve(join(chunks, total));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onClose = () => {
      cleanup();
      reject(new Error('the request was closed before its body was read'));
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}

async function readWeb(stream: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array> {
  if (stream === null) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw new WebhookVerificationError('body-too-large');
    }
    chunks.push(value);
  }
  return join(chunks, total);
}

/**
 * The default replay store: ids in memory, in one process, each kept until its message's timestamp
 * falls out of the tolerance (after which the timestamp check refuses a replay by itself).
 *
 * **Bounded**: at most `maxEntries` ids (default 100,000). Expired ids go first; when every id is still
 * live, the oldest is dropped and counted in `evictions`, and a replay of that one message would pass
 * until its timestamp expires. Size it above your peak rate × (2 × tolerance): the default covers about
 * 160 webhooks a second at the 5-minute tolerance. Memory is about 100 bytes plus the id per entry
 * (roughly 14 MB at 100,000 ids of 32 characters; ids are capped at 256 characters).
 *
 * This is replay protection, not idempotency: a sender's retry carries a fresh timestamp and is refused
 * only while the first delivery's record lives. For exactly-once processing, record `webhook-id` in your
 * database.
 */
export class MemoryReplayStore implements WebhookReplayStore {
  /** The bound on remembered ids. */
  readonly maxEntries: number;
  // id → expiry (Unix seconds). A Map iterates in insertion order, which is close to expiry order.
  readonly #seen = new Map<string, number>();
  #evictions = 0;

  /** @throws {TypeError | RangeError} when `maxEntries` is not an integer in [1, 10,000,000]. */
  constructor(options: { maxEntries?: number } = {}) {
    const o = plainObject('options', options);
    this.maxEntries =
      o.maxEntries === undefined ? 100_000 : integer('maxEntries', o.maxEntries, 1, 10_000_000);
  }

  /** Ids currently remembered. */
  get size(): number {
    return this.#seen.size;
  }

  /** How many live ids were dropped to respect `maxEntries`. Non-zero means the bound is too small. */
  get evictions(): number {
    return this.#evictions;
  }

  /**
   * See {@link WebhookReplayStore.claim}. Synchronous, so atomic within the process.
   * @throws {TypeError | RangeError} on a non-string id or non-integer times.
   */
  claim(id: string, expiresAt: number, now: number): boolean {
    string('id', id);
    integer('expiresAt', expiresAt, 0, Number.MAX_SAFE_INTEGER);
    integer('now', now, 0, Number.MAX_SAFE_INTEGER);
    const seen = this.#seen;
    const previous = seen.get(id);
    if (previous !== undefined) {
      if (previous >= now) return false;
      seen.delete(id);
    }
    for (const [oldId, expiry] of seen) {
      if (expiry >= now && seen.size < this.maxEntries) break;
      seen.delete(oldId);
      if (expiry >= now) this.#evictions++;
    }
    seen.set(id, expiresAt);
    return true;
  }

  /** Forgets `id` (after your handler failed), so that the sender's retry is accepted. */
  release(id: string): void {
    string('id', id);
    this.#seen.delete(id);
  }

  toString(): string {
    return `MemoryReplayStore(${this.#seen.size}/${this.maxEntries} ids)`;
  }
}
