/**
 * Certificate pinning for HTTPS clients (`pin-sha256`, RFC 7469 §2.4): an `https.Agent` and an undici
 * connector for `fetch` that refuse a TLS server unless its certificate chain holds a pinned public key,
 * on every connection, resumed TLS sessions included. Ordinary CA validation and hostname checking stay
 * on: a pin narrows whom you trust, it never widens it.
 *
 * A pin is the base64 SHA-256 of a DER SubjectPublicKeyInfo, so it survives a certificate's renewal with
 * the same key. A certificate counts when it is the leaf, or an intermediate or trust anchor whose key
 * signed the leaf (directly or through the chain): each link's signature is checked again here, so a
 * certificate merely appended to what the server sends never matches. At least two pins are required, one
 * of them for a backup key kept offline (OWASP), so that losing a key does not lock clients out.
 *
 * When to pin: server-to-server calls to peers you run or contract with, where you control both ends and
 * their key rotation. Rarely for public websites: their keys and CAs change without notice to you. See
 * docs/pinning.md.
 *
 * @example
 * ```ts
 * import https from 'node:https';
 * import { createPinnedAgent, pinFromPublicKey, pinsFromPemFile } from 'coffer/pinning';
 * const current = (await pinsFromPemFile('/etc/peer/chain.pem')).map((p) => p.pin);
 * const backup = pinFromPublicKey(backupPublicKey);
 * const agent = createPinnedAgent({ pins: [...current, backup], keepAlive: true });
 * https.get('https://peer.internal/health', { agent }, (res) => res.resume());
 * ```
 * @module
 */
import { createHash, createPublicKey, KeyObject, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { DecodeError, PinMismatch } from '../errors.ts';
import { contextTag, DerReader, Tag } from '../formats/der.ts';
import { Certificate, parsePem } from './certificate.ts';
import { describeValue, hasDer, integer, isBytes, plainObject, string } from './validate.ts';

/** A certificate's pin and names, as `pinsFromPemFile` and `pinsFromServer` report them. */
export interface PinInfo {
  /** `pin-sha256`: base64 of SHA-256 over the DER SubjectPublicKeyInfo. */
  readonly pin: string;
  /** The subject, one `TYPE=value` per attribute, comma separated (for people, not for parsing). */
  readonly subject: string;
  readonly issuer: string;
}

/** The pin policy shared by `createPinnedAgent`, `createPinnedConnect` and `createPinnedDispatcher`. */
export interface PinOptions {
  /** `pin-sha256` values (44 characters of base64); at least two distinct, one for a backup key. */
  readonly pins: readonly string[];
  /**
   * Report mismatches without failing the connection, to roll pinning out safely. Default false.
   * Mismatches go to `onPinMismatch`, else to `process.emitWarning`.
   */
  readonly reportOnly?: boolean;
  /** Called with every mismatch, enforced or reported (for logs and metrics). Its exceptions are ignored. */
  readonly onPinMismatch?: (error: PinMismatch) => void;
}

/** Options of `createPinnedAgent`: the pin policy plus any `https.Agent` option. */
export interface PinnedAgentOptions extends PinOptions, https.AgentOptions {}

/** Options of `createPinnedConnect`: the pin policy plus TLS options (`ca`, `cert`, `key`, ...). */
export interface PinnedConnectOptions extends PinOptions, tls.ConnectionOptions {
  /** Milliseconds before an unfinished TCP + TLS connection is abandoned. Default 10 000 (undici's). */
  readonly connectTimeout?: number;
  /** TLS sessions kept for resumption, one per origin. Default 100; 0 turns resumption off. */
  readonly maxCachedSessions?: number;
}

/** What undici passes to a `connect` function (`buildConnector.Options`). */
export interface ConnectorOptions {
  readonly hostname: string;
  readonly host?: string;
  readonly protocol: string;
  readonly port: string | number;
  readonly servername?: string | null;
  readonly localAddress?: string | null;
  readonly httpSocket?: Socket;
}

/** An undici `connect` function: `new Agent({ connect })`. */
export type PinnedConnector = (
  options: ConnectorOptions,
  callback: (error: Error | null, socket: tls.TLSSocket | null) => void,
) => void;

/** Longest chain walked (the verifier's default depth plus leaf, anchor and slack). */
const MAX_CHAIN = 16;
/** Most pins in one policy: a pin set is configuration, not data. */
const MAX_PINS = 1024;
const PIN_RE = /^[A-Za-z0-9+/]{43}=$/;

function sha256Base64(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('base64');
}

/**
 * The DER SubjectPublicKeyInfo of a certificate, exactly as encoded in it (RFC 7469 §2.4 hashes those
 * bytes). Only the TBSCertificate's framing is read, so a certificate that OpenSSL accepted in a handshake
 * is not refused here for a profile detail the pin does not depend on.
 */
function spkiOfCertificate(derBytes: Uint8Array): Uint8Array {
  const tbs = new DerReader(derBytes, 'certificate').readSequence().readSequence('TBSCertificate');
  if (tbs.peekTag() === contextTag(0, true)) tbs.readElement(); // version
  for (let i = 0; i < 5; i++) tbs.readElement(); // serial, signature, issuer, validity, subject
  return tbs.expect(Tag.SEQUENCE, 'subjectPublicKeyInfo').raw;
}

function names(der: Uint8Array): { subject: string; issuer: string } {
  try {
    const x = new X509Certificate(der);
    return { subject: x.subject.split('\n').join(', '), issuer: x.issuer.split('\n').join(', ') };
  } catch {
    throw new DecodeError('certificate: OpenSSL cannot parse it');
  }
}

function infoOf(der: Uint8Array): PinInfo {
  return { pin: sha256Base64(spkiOfCertificate(der)), ...names(der) };
}

/**
 * The `pin-sha256` of a certificate's public key: base64 of SHA-256 over its DER SubjectPublicKeyInfo,
 * the value `openssl x509 -pubkey | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary |
 * base64` prints.
 * @param certificate a `Certificate` from `coffer/x509`, one PEM `CERTIFICATE` block, or DER bytes.
 * @throws {TypeError} when `certificate` is none of those.
 * @throws {DecodeError} when the PEM or DER is malformed, or the PEM does not hold exactly one certificate.
 * @example
 * ```ts
 * import { pinFromCertificate } from 'coffer/pinning';
 * pinFromCertificate(readFileSync('server.pem', 'utf8')); // 'Ha2vF1...='
 * ```
 */
export function pinFromCertificate(certificate: Certificate | string | Uint8Array): string {
  if (certificate instanceof Certificate && hasDer(certificate)) {
    return sha256Base64(certificate.publicKeyInfo.der);
  }
  if (typeof certificate === 'string') {
    const blocks = parsePem(certificate).filter((b) => b.label === 'CERTIFICATE');
    if (blocks.length !== 1) {
      throw new DecodeError(`certificate: expected one PEM CERTIFICATE block, found ${blocks.length}`);
    }
    return sha256Base64(spkiOfCertificate((blocks[0] as { der: Uint8Array }).der));
  }
  if (isBytes(certificate)) return sha256Base64(spkiOfCertificate(certificate));
  throw new TypeError(
    `"certificate" must be a Certificate, a PEM string or DER bytes, got ${describeValue(certificate)}`,
  );
}

/**
 * The `pin-sha256` of a public key (or of a private key's public half): for the backup key, which has no
 * certificate yet.
 * @throws {TypeError} when `key` is not an asymmetric node `KeyObject`.
 * @example
 * ```ts
 * import { createPublicKey } from 'node:crypto';
 * import { pinFromPublicKey } from 'coffer/pinning';
 * pinFromPublicKey(createPublicKey(readFileSync('backup-key.pub.pem')));
 * ```
 */
export function pinFromPublicKey(key: KeyObject): string {
  if (!(key instanceof KeyObject) || key.type === 'secret') {
    throw new TypeError(`"key" must be an asymmetric KeyObject, got ${describeValue(key)}`);
  }
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return sha256Base64(pub.export({ type: 'spki', format: 'der' }));
}

/**
 * The pins of every certificate in a PEM file (a bundle or a single certificate), in file order.
 * @throws {TypeError} when `path` is not a string or URL.
 * @throws {DecodeError} when the file holds no `CERTIFICATE` block or a malformed one.
 * @example
 * ```ts
 * import { pinsFromPemFile } from 'coffer/pinning';
 * for (const { pin, subject } of await pinsFromPemFile('chain.pem')) console.log(pin, subject);
 * ```
 */
export async function pinsFromPemFile(path: string | URL): Promise<PinInfo[]> {
  if (typeof path !== 'string' && !(path instanceof URL)) {
    throw new TypeError(`"path" must be a string or a URL, got ${describeValue(path)}`);
  }
  if (path === '') throw new RangeError(`"path" must not be empty`);
  const text = await readFile(path, 'utf8');
  const blocks = parsePem(text).filter((b) => b.label === 'CERTIFICATE');
  if (blocks.length === 0) throw new DecodeError('no PEM CERTIFICATE block found');
  return blocks.map((b) => infoOf(b.der));
}

/** Options of `pinsFromServer`. */
export interface PinsFromServerOptions {
  /** SNI and the name the certificate must match. Default: `host` unless it is an IP address. */
  readonly servername?: string;
  /** Trust anchors (PEM) instead of Node's default CA list, for a private CA. */
  readonly ca?: string | Uint8Array | readonly (string | Uint8Array)[];
  /** Milliseconds of silence before giving up. Default 10 000. */
  readonly timeout?: number;
}

/**
 * Connects to `host:port` with TLS and returns the pins of the chain the server presents, leaf first, up
 * to the trust anchor, with subjects: for an operator to copy into configuration. The chain must pass
 * CA validation and the hostname check (pass `ca` for a private CA), but what it proves is only what this
 * one connection saw: **trust on first use**. Compare the pins out of band (with the peer's operator, or
 * from the certificate files) before relying on them.
 * @throws {TypeError} for a non-string `host`, a non-integer `port` or a malformed option (as a rejection).
 * @throws {RangeError} for an empty `host` or a `port` outside 1..65535 (as a rejection).
 * @example
 * ```ts
 * import { pinsFromServer } from 'coffer/pinning';
 * const chain = await pinsFromServer('peer.internal', 443, { servername: 'peer.internal' });
 * // [{ pin: 'r/mIkG3...=', subject: 'CN=peer.internal', issuer: 'CN=Example CA' }, ...]
 * ```
 */
export async function pinsFromServer(
  host: string,
  port: number,
  options: PinsFromServerOptions = {},
): Promise<PinInfo[]> {
  string('host', host);
  if (host === '') throw new RangeError(`"host" must not be empty`);
  integer('port', port, 1, 65535);
  plainObject('options', options);
  const servername = options.servername;
  if (servername !== undefined) {
    string('servername', servername);
    if (servername === '') throw new RangeError(`"servername" must not be empty`);
  }
  const ca = caOption(options.ca);
  const timeout =
    options.timeout === undefined ? 10_000 : integer('timeout', options.timeout, 1, 2 ** 31 - 1);
  return new Promise<PinInfo[]>((resolve, reject) => {
    const sni = servername ?? (isIP(host) ? undefined : host);
    const socket = tls.connect({
      host,
      port,
      ...(sni === undefined ? {} : { servername: sni }),
      ...(ca === undefined ? {} : { ca }),
      rejectUnauthorized: true,
    });
    socket.setTimeout(timeout, () =>
      socket.destroy(new Error(`TLS connection to ${host}:${port} timed out after ${timeout} ms`)),
    );
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      const chain = walkChain(socket.getPeerCertificate(true));
      socket.end();
      resolve(chain.map((c) => ({ pin: c.pin, ...names(c.der) })));
    });
  });
}

function caOption(value: unknown): string | Buffer | (string | Buffer)[] | undefined {
  if (value === undefined) return undefined;
  const one = (v: unknown) => (typeof v === 'string' ? v : isBytes(v) ? Buffer.from(v) : undefined);
  const single = one(value);
  if (single !== undefined) return single;
  if (Array.isArray(value) && value.length > 0) {
    const all = value.map(one);
    if (all.every((v) => v !== undefined)) return all as (string | Buffer)[];
  }
  throw new TypeError(
    `"ca" must be PEM text, bytes or a non-empty array of them, got ${describeValue(value)}`,
  );
}

// --- The pin policy ---

interface PinPolicy {
  readonly pins: ReadonlySet<string>;
  readonly reportOnly: boolean;
  readonly onPinMismatch: ((error: PinMismatch) => void) | undefined;
}

function pinPolicy(options: Record<string, unknown>): PinPolicy {
  const pins = options.pins;
  if (!Array.isArray(pins)) {
    throw new TypeError(`"pins" must be an array of pin-sha256 strings, got ${describeValue(pins)}`);
  }
  if (pins.length > MAX_PINS) throw new RangeError(`"pins" must hold at most ${MAX_PINS} pins`);
  const set = new Set<string>();
  pins.forEach((p: unknown, i) => {
    if (typeof p !== 'string') throw new TypeError(`"pins" must hold strings, got ${describeValue(p)}`);
    // Canonical base64 of 32 bytes only: a pin that could never match is a configuration error.
    if (!PIN_RE.test(p) || Buffer.from(p, 'base64').toString('base64') !== p) {
      throw new RangeError(`"pins" entry ${i} is not a pin-sha256 value (base64 of 32 bytes)`);
    }
    set.add(p);
  });
  // OWASP Pinning Cheat Sheet and RFC 7469 §4.3: a backup pin, or one lost key locks every client out.
  if (set.size < 2) {
    throw new RangeError(`"pins" must hold at least 2 distinct pins, one for a backup key, got ${set.size}`);
  }
  const reportOnly = options.reportOnly;
  if (reportOnly !== undefined && typeof reportOnly !== 'boolean') {
    throw new TypeError(`"reportOnly" must be a boolean, got ${describeValue(reportOnly)}`);
  }
  const onPinMismatch = options.onPinMismatch;
  if (onPinMismatch !== undefined && typeof onPinMismatch !== 'function') {
    throw new TypeError(`"onPinMismatch" must be a function, got ${describeValue(onPinMismatch)}`);
  }
  // Pinning adds to CA validation; it must never be the only check.
  if (options.rejectUnauthorized !== undefined && options.rejectUnauthorized !== true) {
    throw new TypeError(`"rejectUnauthorized" must be true or absent: pins add to CA validation`);
  }
  const extra = options.checkServerIdentity;
  if (extra !== undefined && typeof extra !== 'function') {
    throw new TypeError(`"checkServerIdentity" must be a function, got ${describeValue(extra)}`);
  }
  return {
    pins: set,
    reportOnly: reportOnly === true,
    onPinMismatch: onPinMismatch as PinPolicy['onPinMismatch'],
  };
}

/** The error to fail the connection with, or undefined when a pin matched or the policy only reports. */
function judge(
  policy: PinPolicy,
  host: string,
  seen: readonly string[] | undefined,
  reason: 'mismatch' | 'unchecked-session' = 'mismatch',
): PinMismatch | undefined {
  if (seen?.some((p) => policy.pins.has(p))) return undefined;
  const error = new PinMismatch(host, seen ?? [], seen === undefined ? 'unchecked-session' : reason);
  try {
    if (policy.onPinMismatch) policy.onPinMismatch(error);
    else if (policy.reportOnly) process.emitWarning(error.message, { type: 'PinMismatch', code: error.code });
  } catch {
    // A reporter must not change the outcome of the check.
  }
  return policy.reportOnly ? undefined : error;
}

// --- The chain and the check ---

interface ChainLink {
  readonly pin: string;
  readonly der: Uint8Array;
}

/**
 * The leaf, then each certificate whose key signed the previous one, following Node's issuer links
 * (the certificates the server sent, then the anchor from the CA store). Node links by name and key
 * identifier without checking signatures, so each signature is checked here (OpenSSL's X509_verify);
 * the walk stops at the first link that does not verify.
 */
function walkChain(leaf: tls.DetailedPeerCertificate | tls.PeerCertificate | undefined): ChainLink[] {
  const out: ChainLink[] = [];
  let cert = leaf as tls.DetailedPeerCertificate | undefined;
  let below: X509Certificate | undefined;
  for (let i = 0; i < MAX_CHAIN && cert && isBytes(cert.raw) && cert.raw.length > 0; i++) {
    let x: X509Certificate;
    let pin: string;
    try {
      x = new X509Certificate(cert.raw);
      if (below && !below.verify(x.publicKey)) break;
      pin = sha256Base64(spkiOfCertificate(cert.raw));
    } catch {
      break;
    }
    out.push({ pin, der: cert.raw });
    const next = cert.issuerCertificate;
    // Node ends the chain with a self-signed anchor whose issuerCertificate is itself.
    if (!next || next === cert || next.fingerprint256 === cert.fingerprint256) break;
    below = x;
    cert = next;
  }
  return out;
}

/** What a full handshake's check established, kept with the TLS sessions it produced. */
interface Checked {
  readonly host: string;
  readonly seen: readonly string[];
}

/**
 * Sessions from connections whose chain this module walked. A resumed TLS session carries no
 * certificates (Node's `getPeerCertificate` is empty and `checkServerIdentity` is skipped), so a resumed
 * connection is judged by the chain of the full handshake that created its session; a session this module
 * did not create is never offered. Keyed by the session Buffer object, so it is forgotten with it.
 */
const CHECKED_SESSIONS = new WeakMap<object, Checked>();

function hostOf(options: tls.ConnectionOptions): string {
  // The name Node's own hostname check uses (lib/_tls_wrap.js, onConnectSecure).
  return (options.servername || options.host || 'localhost').toLowerCase();
}

/**
 * tls.connect with the pin check. A full handshake is checked in `checkServerIdentity`, after Node's
 * hostname check and any `checkServerIdentity` of the caller; Node then destroys the socket before
 * 'secureConnect'. A resumed handshake is checked on 'secureConnect', which Node emits synchronously from
 * the handshake callback, before any buffered request byte can be written. `onSession` receives the
 * sessions worth caching: those of connections that passed.
 */
function pinnedTlsConnect(
  policy: PinPolicy,
  options: tls.ConnectionOptions,
  onSession?: (session: Buffer) => void,
): tls.TLSSocket {
  const host = hostOf(options);
  const offered = options.session;
  const prior = offered === undefined ? undefined : CHECKED_SESSIONS.get(offered);
  const session = prior !== undefined && prior.host === host ? offered : undefined;
  const extra = options.checkServerIdentity;
  let checked: Checked | undefined;
  let failed = false;
  const socket = tls.connect({
    ...options,
    session,
    rejectUnauthorized: true,
    checkServerIdentity(hostname, cert) {
      const nameError = tls.checkServerIdentity(hostname, cert) ?? extra?.(hostname, cert);
      if (nameError) return nameError;
      const seen = walkChain(cert).map((c) => c.pin);
      checked = { host: hostname.toLowerCase(), seen };
      const error = judge(policy, hostname, seen);
      failed = error !== undefined;
      return error;
    },
  });
  socket.once('secureConnect', () => {
    if (socket.isSessionReused()) {
      // The server accepted a session we offered: only ones recorded above are ever offered.
      checked = session === undefined ? undefined : CHECKED_SESSIONS.get(session);
      const error = judge(policy, host, checked?.seen);
      if (error) {
        failed = true;
        socket.destroy(error);
      }
    } else if (checked === undefined) {
      // Node always calls checkServerIdentity on a full handshake; refuse if that ever changes.
      failed = true;
      socket.destroy(new PinMismatch(host, [], 'unchecked-session'));
    }
  });
  socket.on('session', (s: Buffer) => {
    if (checked === undefined || failed) return;
    CHECKED_SESSIONS.set(s, checked);
    onSession?.(s);
  });
  return socket;
}

/** A bounded map from an origin key to its latest TLS session, oldest evicted first. */
class SessionCache {
  readonly #map = new Map<string, Buffer>();
  readonly #max: number;
  constructor(max: number) {
    this.#max = max;
  }
  get(key: string): Buffer | undefined {
    return this.#map.get(key);
  }
  set(key: string, session: Buffer): void {
    if (this.#max === 0) return;
    this.#map.delete(key);
    this.#map.set(key, session);
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value as string);
  }
  delete(key: string): void {
    this.#map.delete(key);
  }
}

class PinnedAgent extends https.Agent {
  readonly #policy: PinPolicy;
  readonly #sessions: SessionCache;

  constructor(policy: PinPolicy, options: https.AgentOptions) {
    super({ ...options, rejectUnauthorized: true });
    this.#policy = policy;
    this.#sessions = new SessionCache(options.maxCachedSessions ?? 100);
  }

  // Replaces https.Agent's createConnection (and so its session cache): every socket goes through the
  // pin check, and only sessions of connections that passed are cached.
  override createConnection(options: https.RequestOptions): Duplex {
    const key = this.getName(options);
    // A caller's `session` request option wins, as in https.Agent; pinnedTlsConnect offers it only if
    // this module checked the handshake that created it.
    const session = (options as tls.ConnectionOptions).session ?? this.#sessions.get(key);
    const socket = pinnedTlsConnect(
      this.#policy,
      { ...(options as tls.ConnectionOptions), session, rejectUnauthorized: true },
      (s) => this.#sessions.set(key, s),
    );
    socket.once('close', (hadError: boolean) => {
      if (hadError) this.#sessions.delete(key);
    });
    return socket;
  }
}

/**
 * An `https.Agent` that checks pins on every TLS connection, resumed sessions included, on top of
 * ordinary CA validation and hostname checking (`rejectUnauthorized` is forced on). A mismatch fails the
 * request with `PinMismatch` before any request byte is sent (unless `reportOnly`).
 * @param options the pins, `reportOnly`, `onPinMismatch` and any `https.Agent` option (`ca`, `keepAlive`,
 *   `maxCachedSessions`, a `checkServerIdentity` run after Node's own, ...).
 * @throws {TypeError} for malformed options, or `rejectUnauthorized: false`.
 * @throws {RangeError} for a malformed pin or fewer than two distinct pins.
 * @example
 * ```ts
 * import https from 'node:https';
 * import { createPinnedAgent } from 'coffer/pinning';
 * const agent = createPinnedAgent({ pins: [leafPin, backupPin], ca: privateCaPem, keepAlive: true });
 * https.get('https://peer.internal/', { agent }, (res) => res.resume())
 *   .on('error', (err) => { if (err.code === 'ERR_PIN_MISMATCH') alert(err.message); });
 * ```
 */
export function createPinnedAgent(options: PinnedAgentOptions): https.Agent {
  plainObject('options', options);
  const policy = pinPolicy(options as unknown as Record<string, unknown>);
  const { pins: _p, reportOnly: _r, onPinMismatch: _o, ...agentOptions } = options;
  if (agentOptions.maxCachedSessions !== undefined) {
    integer('maxCachedSessions', agentOptions.maxCachedSessions, 0, 1 << 20);
  }
  return new PinnedAgent(policy, agentOptions);
}

/**
 * An undici `connect` function that opens pinned TLS connections, for `new Agent({ connect })` from the
 * `undici` package (Node's built-in `fetch` does not export its Agent). The socket is handed to undici
 * only after the pin check, so nothing is sent to a server that fails it. Plain `http:` origins are
 * refused with `PinMismatch` (reason `not-tls`).
 * @param options the pins, `reportOnly`, `onPinMismatch`, TLS options (`ca`, `cert`, `key`,
 *   `ALPNProtocols`, ...), `connectTimeout` and `maxCachedSessions`.
 * @throws {TypeError} for malformed options, or `rejectUnauthorized: false`.
 * @throws {RangeError} for a malformed pin or fewer than two distinct pins.
 * @example
 * ```ts
 * import { Agent } from 'undici';
 * import { createPinnedConnect } from 'coffer/pinning';
 * const dispatcher = new Agent({ connect: createPinnedConnect({ pins: [leafPin, backupPin] }) });
 * await fetch('https://peer.internal/', { dispatcher });
 * ```
 */
export function createPinnedConnect(options: PinnedConnectOptions): PinnedConnector {
  plainObject('options', options);
  const policy = pinPolicy(options as unknown as Record<string, unknown>);
  const {
    pins: _p,
    reportOnly: _r,
    onPinMismatch: _o,
    connectTimeout,
    maxCachedSessions,
    ...tlsOptions
  } = options;
  const timeout =
    connectTimeout === undefined ? 10_000 : integer('connectTimeout', connectTimeout, 1, 2 ** 31 - 1);
  const sessions = new SessionCache(
    maxCachedSessions === undefined ? 100 : integer('maxCachedSessions', maxCachedSessions, 0, 1 << 20),
  );
  return (opts, callback) => {
    const hostname = String(opts?.hostname ?? '').replace(/^\[(.*)\]$/, '$1');
    if (opts?.protocol !== 'https:') {
      callback(new PinMismatch(hostname, [], 'not-tls'), null);
      return;
    }
    const servername = opts.servername || (isIP(hostname) ? undefined : hostname);
    const port = Number(opts.port) || 443;
    const key = `${servername ?? ''}|${hostname}:${port}`;
    const socket = pinnedTlsConnect(
      policy,
      {
        ALPNProtocols: ['http/1.1'],
        ...tlsOptions,
        host: hostname,
        port,
        ...(servername === undefined ? {} : { servername }),
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
        ...(opts.httpSocket ? { socket: opts.httpSocket } : {}),
        session: sessions.get(key),
      },
      (s) => sessions.set(key, s),
    );
    let settled = false;
    const settle = (error: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) sessions.delete(key);
      callback(error, error ? null : socket);
    };
    const timer = setTimeout(() => {
      const error = new Error(`TLS connection to ${hostname}:${port} timed out after ${timeout} ms`);
      socket.destroy(error);
      settle(error);
    }, timeout);
    timer.unref?.();
    socket.once('error', (error) => settle(error));
    // Registered after pinnedTlsConnect's own listener: a socket failing the check is destroyed first.
    socket.once('secureConnect', () => {
      if (!socket.destroyed) settle(null);
    });
  };
}

/** An undici module, or anything with its `Agent` constructor. */
export interface UndiciLike<D> {
  readonly Agent: new (options: { connect: PinnedConnector } & Record<string, unknown>) => D;
}

/**
 * An undici `Agent` (a `Dispatcher` for `fetch`) whose connections are pinned: shorthand for
 * `new undici.Agent({ ...agentOptions, connect: createPinnedConnect(options) })`. coffer does not depend
 * on undici; pass the module you use, so that its Agent and your `fetch` agree on a version.
 * @param undici the `undici` module (or any object with its `Agent` class).
 * @param options as `createPinnedConnect`, plus `agentOptions` for the undici Agent itself.
 * @throws {TypeError} when `undici` has no `Agent` constructor, or for malformed options.
 * @throws {RangeError} for a malformed pin or fewer than two distinct pins.
 * @example
 * ```ts
 * import * as undici from 'undici';
 * import { createPinnedDispatcher } from 'coffer/pinning';
 * const dispatcher = createPinnedDispatcher(undici, { pins: [leafPin, backupPin] });
 * const res = await undici.fetch('https://peer.internal/', { dispatcher });
 * ```
 */
export function createPinnedDispatcher<D>(
  undici: UndiciLike<D>,
  options: PinnedConnectOptions & { readonly agentOptions?: Record<string, unknown> },
): D {
  if (typeof undici !== 'object' || undici === null || typeof undici.Agent !== 'function') {
    throw new TypeError(
      `"undici" must be the undici module (with an Agent class), got ${describeValue(undici)}`,
    );
  }
  plainObject('options', options);
  const { agentOptions, ...connectOptions } = options;
  if (agentOptions !== undefined) plainObject('agentOptions', agentOptions);
  const connect = createPinnedConnect(connectOptions);
  return new undici.Agent({ ...agentOptions, connect });
}
