// coffer/pinning: pins from certificates, files and live servers; a pinned https.Agent and undici connector
// against local TLS servers with coffer-built certificates (CA, intermediate, leaf with SAN), including
// TLS session resumption, where Node skips checkServerIdentity.
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import { PinMismatch } from '../../src/errors.ts';
import {
  type Certificate,
  CertificateBuilder,
  ExtendedKeyUsageOID,
  generalNames,
  nameFrom,
} from '../../src/x509/index.ts';
import {
  type ConnectorOptions,
  createPinnedAgent,
  createPinnedConnect,
  createPinnedDispatcher,
  pinFromCertificate,
  pinFromPublicKey,
  pinsFromPemFile,
  pinsFromServer,
} from '../../src/x509/pinning.ts';
import { run, toolSkip } from '../helpers/tools.ts';

const DAY = 86400e3;
const now = Date.now();
const ec = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = (k: KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }) as string;

function ca(cn: string, key: { publicKey: KeyObject; privateKey: KeyObject }, issuer?: Issuer): Certificate {
  return new CertificateBuilder()
    .subjectName(nameFrom({ CN: cn }))
    .publicKey(key.publicKey)
    .notValidBefore(new Date(now - DAY))
    .notValidAfter(new Date(now + 30 * DAY))
    .basicConstraints(true, issuer ? 0 : 1)
    .keyUsage(['keyCertSign', 'cRLSign'])
    .sign(issuer?.key ?? key.privateKey, issuer ? { issuer: issuer.cert } : {});
}
interface Issuer {
  cert: Certificate;
  key: KeyObject;
}
function leafFor(
  publicKey: KeyObject,
  issuer: Issuer,
  sans = ['DNS:localhost', 'IP:127.0.0.1'],
): Certificate {
  return new CertificateBuilder()
    .subjectName(nameFrom({ CN: 'localhost' }))
    .publicKey(publicKey)
    .notValidBefore(new Date(now - DAY))
    .notValidAfter(new Date(now + 10 * DAY))
    .keyUsage(['digitalSignature'])
    .extendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH])
    .subjectAlternativeName(generalNames(sans))
    .sign(issuer.key, { issuer: issuer.cert });
}

const rootKey = ec();
const root = ca('coffer pinning root', rootKey);
const icaKey = ec();
const ica = ca('coffer pinning intermediate', icaKey, { cert: root, key: rootKey.privateKey });
const icaIssuer = { cert: ica, key: icaKey.privateKey };
const leafKey = ec();
const leaf = leafFor(leafKey.publicKey, icaIssuer);
// The same key, re-issued: a renewal.
const renewed = leafFor(leafKey.publicKey, icaIssuer, ['DNS:localhost', 'IP:127.0.0.1', 'DNS:renewed.test']);
// The backup key, kept offline until the rotation.
const backupKey = ec();
const backupLeaf = leafFor(backupKey.publicKey, icaIssuer);
// A CA the clients do not trust, issuing for the same name and the same leaf key.
const rogueKey = ec();
const rogue = ca('rogue root', rogueKey);
const rogueLeaf = leafFor(leafKey.publicKey, { cert: rogue, key: rogueKey.privateKey });

const PIN = {
  leaf: pinFromCertificate(leaf),
  ica: pinFromCertificate(ica),
  root: pinFromCertificate(root),
  backup: pinFromPublicKey(backupKey.publicKey),
  unrelated1: pinFromPublicKey(ec().publicKey),
  unrelated2: pinFromPublicKey(ec().publicKey),
};
const CA = root.toPem();

// --- A local TLS server that answers any HTTP request with 200 "ok" and counts the bytes it received. ---

interface Server {
  port: number;
  /** Application bytes received over all connections. */
  received: number;
  /** One entry per completed handshake: was the session resumed? */
  resumed: boolean[];
  /** Resolves once every connection accepted so far has closed (so all it sent was counted). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

async function serve(
  chain: readonly Certificate[],
  key: KeyObject,
  maxVersion: tls.SecureVersion = 'TLSv1.3',
): Promise<Server> {
  const state = { received: 0, resumed: [] as boolean[] };
  const server = tls.createServer(
    { key: pem(key), cert: chain.map((c) => c.toPem()).join(''), maxVersion },
    (socket) => {
      let text = '';
      socket.on('error', () => {});
      socket.on('data', (d: Buffer) => {
        state.received += d.length;
        text += d.toString('latin1');
        if (text.includes('\r\n\r\n')) {
          socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
        }
      });
    },
  );
  server.on('secureConnection', (s) => state.resumed.push(s.isSessionReused()));
  let open = 0;
  const waiters: (() => void)[] = [];
  server.on('connection', (raw: import('node:net').Socket) => {
    open++;
    raw.once('close', () => {
      open--;
      if (open === 0) for (const w of waiters.splice(0)) w();
    });
  });
  const idle = () => new Promise<void>((resolve) => (open === 0 ? resolve() : waiters.push(resolve)));
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return Object.assign(state, {
    port,
    idle,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

interface Reply {
  status: number;
  body: string;
  /** The client's view: was the TLS session resumed? */
  resumed: boolean;
  session: Buffer | undefined;
}

/** The client's view of the latest handshake made by `get`, kept when the request then fails. */
let lastHandshake: { resumed: boolean } | undefined;

function get(agent: https.Agent, port: number, extra: https.RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let resumed = false;
    let session: Buffer | undefined;
    lastHandshake = undefined;
    const req = https.get(
      { host: '127.0.0.1', port, servername: 'localhost', path: '/', agent, ...extra },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, resumed, session }));
      },
    );
    req.on('socket', (s) => {
      // Prepended: the pinned agent's own listener may destroy the socket, after which Node can no
      // longer say whether the session was resumed.
      s.prependListener('secureConnect', () => {
        resumed = (s as tls.TLSSocket).isSessionReused();
        lastHandshake = { resumed };
      });
      s.on('session', (b: Buffer) => {
        session = b;
      });
    });
    req.on('error', reject);
  });
}

const agentFor = (pins: string[], more: Parameters<typeof createPinnedAgent>[0] | object = {}) =>
  createPinnedAgent({ pins, ca: CA, ...more });

async function rejectsWithPinMismatch(p: Promise<unknown>, seen?: string[]): Promise<PinMismatch> {
  let error: unknown;
  await p.then(
    () => assert.fail('the request succeeded'),
    (e: unknown) => {
      error = e;
    },
  );
  assert.ok(error instanceof PinMismatch, `expected PinMismatch, got ${String(error)}`);
  assert.equal(error.code, 'ERR_PIN_MISMATCH');
  if (seen) assert.deepEqual(error.seen, seen);
  return error;
}

describe('pins', () => {
  test('one pin from a Certificate, its PEM and its DER', () => {
    assert.equal(pinFromCertificate(leaf.toPem()), PIN.leaf);
    assert.equal(pinFromCertificate(leaf.der), PIN.leaf);
    assert.equal(PIN.leaf, pinFromPublicKey(leafKey.publicKey));
    assert.equal(PIN.leaf, pinFromPublicKey(leafKey.privateKey));
    assert.match(PIN.leaf, /^[A-Za-z0-9+/]{43}=$/);
  });

  test('a renewal with the same key keeps the pin', () => {
    assert.notDeepEqual(renewed.der, leaf.der);
    assert.equal(pinFromCertificate(renewed), PIN.leaf);
    assert.notEqual(pinFromCertificate(backupLeaf), PIN.leaf);
  });

  test('pinsFromPemFile: every certificate of a bundle, as the openssl pipeline computes it', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-pins-'));
    try {
      const path = join(dir, 'chain.pem');
      writeFileSync(path, `# a bundle comment\n${leaf.toPem()}${ica.toPem()}${root.toPem()}`);
      const infos = await pinsFromPemFile(path);
      assert.deepEqual(
        infos.map((i) => i.pin),
        [PIN.leaf, PIN.ica, PIN.root],
      );
      assert.deepEqual(
        infos.map((i) => i.subject),
        ['CN=localhost', 'CN=coffer pinning intermediate', 'CN=coffer pinning root'],
      );
      assert.equal(infos[0]?.issuer, 'CN=coffer pinning intermediate');
      const skip = toolSkip('openssl', 'openssl');
      if (skip) return t.skip(skip);
      for (const [i, cert] of [leaf, ica, root].entries()) {
        const one = join(dir, `${i}.pem`);
        writeFileSync(one, cert.toPem());
        const pin = run('sh', [
          '-c',
          `openssl x509 -in "${one}" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`,
        ]).trim();
        assert.equal(pin, infos[i]?.pin);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('createPinnedAgent', () => {
  let server: Server;
  before(async () => {
    server = await serve([leaf, ica], leafKey.privateKey);
  });
  after(() => server.close());

  for (const [which, pin] of [
    ['leaf', PIN.leaf],
    ['intermediate', PIN.ica],
    ['trust anchor', PIN.root],
  ] as const) {
    test(`a pin on the ${which} passes`, async () => {
      const reply = await get(agentFor([pin, PIN.backup]), server.port);
      assert.equal(reply.status, 200);
      assert.equal(reply.body, 'ok');
    });
  }

  test('a wrong pin fails though the CA is valid, before any request byte is sent', async () => {
    const before = server.received;
    const error = await rejectsWithPinMismatch(get(agentFor([PIN.unrelated1, PIN.unrelated2]), server.port), [
      PIN.leaf,
      PIN.ica,
      PIN.root,
    ]);
    assert.equal(error.host, 'localhost');
    assert.equal(error.reason, 'mismatch');
    assert.match(error.message, /"localhost"/);
    assert.ok(error.message.includes(PIN.leaf) && error.message.includes(PIN.ica));
    await server.idle();
    assert.equal(server.received, before, 'the server received application data');
  });

  test('a wrong hostname is still rejected when the pin matches', async () => {
    await assert.rejects(get(agentFor([PIN.leaf, PIN.backup]), server.port, { servername: 'other.test' }), {
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
  });

  test('an untrusted CA is still rejected when the pin matches', async () => {
    const rogueServer = await serve([rogueLeaf], leafKey.privateKey);
    try {
      await assert.rejects(get(agentFor([PIN.leaf, PIN.backup]), rogueServer.port), {
        code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      });
      // Trusting the rogue CA too: the leaf key is pinned, so it passes; the intermediate pin does not.
      const both = { ca: [CA, rogue.toPem()] };
      assert.equal((await get(agentFor([PIN.leaf, PIN.backup], both), rogueServer.port)).status, 200);
      await rejectsWithPinMismatch(get(agentFor([PIN.ica, PIN.backup], both), rogueServer.port), [
        PIN.leaf,
        pinFromCertificate(rogue),
      ]);
    } finally {
      await rogueServer.close();
    }
  });

  test('a renewed certificate (same key) passes; a rotation to the backup key passes', async () => {
    const agent = agentFor([PIN.leaf, PIN.backup]);
    for (const [cert, key] of [
      [renewed, leafKey.privateKey],
      [backupLeaf, backupKey.privateKey],
    ] as const) {
      const s = await serve([cert, ica], key);
      try {
        assert.equal((await get(agent, s.port)).status, 200);
      } finally {
        await s.close();
      }
    }
    // Without the backup pin, the rotation is refused.
    const s = await serve([backupLeaf, ica], backupKey.privateKey);
    try {
      await rejectsWithPinMismatch(get(agentFor([PIN.leaf, PIN.unrelated1]), s.port));
    } finally {
      await s.close();
    }
  });

  test('report-only: a mismatch is reported and the request goes through', async () => {
    const reports: PinMismatch[] = [];
    const agent = agentFor([PIN.unrelated1, PIN.unrelated2], {
      reportOnly: true,
      onPinMismatch: (e: PinMismatch) => reports.push(e),
    });
    assert.equal((await get(agent, server.port)).status, 200);
    assert.equal(reports.length, 1);
    assert.deepEqual(reports[0]?.seen, [PIN.leaf, PIN.ica, PIN.root]);
    // onPinMismatch also hears enforced mismatches.
    const heard: PinMismatch[] = [];
    await rejectsWithPinMismatch(
      get(
        agentFor([PIN.unrelated1, PIN.unrelated2], { onPinMismatch: (e: PinMismatch) => heard.push(e) }),
        server.port,
      ),
    );
    assert.equal(heard.length, 1);
  });

  test('configuration mistakes are refused', () => {
    assert.throws(() => createPinnedAgent({ pins: [PIN.leaf] }), RangeError);
    assert.throws(() => createPinnedAgent({ pins: [PIN.leaf, PIN.leaf] }), /at least 2 distinct/);
    assert.throws(() => createPinnedAgent({ pins: [PIN.leaf, 'sha256/abc'] }), RangeError);
    assert.throws(
      () => createPinnedAgent({ pins: [PIN.leaf, PIN.backup], rejectUnauthorized: false }),
      /"rejectUnauthorized"/,
    );
  });
});

describe('TLS session resumption: Node skips checkServerIdentity, the pins still hold', () => {
  for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
    describe(version, () => {
      let server: Server;
      before(async () => {
        server = await serve([leaf, ica], leafKey.privateKey, version);
      });
      after(() => server.close());

      test('a naive pin check in checkServerIdentity is bypassed by a resumed session', async () => {
        let pins = new Set([PIN.leaf]);
        const naive = new https.Agent({
          ca: CA,
          checkServerIdentity: (host, cert) =>
            tls.checkServerIdentity(host, cert) ??
            (pins.has(pinFromCertificate(cert.raw)) ? undefined : new Error('pin mismatch')),
        });
        assert.equal((await get(naive, server.port)).resumed, false);
        pins = new Set([PIN.unrelated1]);
        const second = await get(naive, server.port);
        // This is the hole: the session was resumed and no pin was checked.
        assert.equal(second.resumed, true);
        assert.equal(second.status, 200);
      });

      test('the same pinned agent resumes, and each resumed connection is checked', async () => {
        const agent = agentFor([PIN.ica, PIN.backup]);
        const first = await get(agent, server.port);
        const second = await get(agent, server.port);
        assert.equal(first.resumed, false);
        assert.equal(second.resumed, true);
        assert.equal(server.resumed.at(-1), true);
        assert.equal(second.status, 200);
      });

      test('a resumed session is refused when the pin set no longer matches', async () => {
        const first = await get(agentFor([PIN.leaf, PIN.backup]), server.port);
        assert.ok(first.session, 'the server issued no session');
        const before = server.received;
        const error = await rejectsWithPinMismatch(
          get(agentFor([PIN.unrelated1, PIN.unrelated2]), server.port, {
            session: first.session,
          } as https.RequestOptions),
          [PIN.leaf, PIN.ica, PIN.root],
        );
        assert.equal(error.host, 'localhost');
        // The session was resumed (no certificate was sent), and the client still refused it before
        // writing the request.
        assert.equal(lastHandshake?.resumed, true);
        await server.idle();
        assert.equal(server.received, before, 'the server received application data');
      });

      test('a session this module did not check is never offered', async () => {
        const plain = await get(new https.Agent({ ca: CA }), server.port);
        assert.ok(plain.session);
        await rejectsWithPinMismatch(
          get(agentFor([PIN.unrelated1, PIN.unrelated2]), server.port, {
            session: plain.session,
          } as https.RequestOptions),
          [PIN.leaf, PIN.ica, PIN.root],
        );
        // Refused in checkServerIdentity, which Node runs on full handshakes only.
        assert.equal(lastHandshake, undefined);
        const ok = await get(agentFor([PIN.leaf, PIN.backup]), server.port, {
          session: plain.session,
        } as https.RequestOptions);
        assert.equal(ok.resumed, false);
        assert.equal(ok.status, 200);
      });

      test('a session is not resumed for another host name', async () => {
        const first = await get(agentFor([PIN.leaf, PIN.backup]), server.port);
        assert.ok(first.session);
        await assert.rejects(
          get(agentFor([PIN.leaf, PIN.backup]), server.port, {
            servername: 'other.test',
            session: first.session,
          } as https.RequestOptions),
          { code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
        );
      });
    });
  }
});

// --- The undici connector, driven directly with a raw request (undici is not a dependency). ---

function connectWith(
  connect: ReturnType<typeof createPinnedConnect>,
  port: number,
  more: Partial<ConnectorOptions> = {},
): Promise<{ socket: tls.TLSSocket; reply: string }> {
  return new Promise((resolve, reject) => {
    connect(
      {
        hostname: '127.0.0.1',
        host: `127.0.0.1:${port}`,
        protocol: 'https:',
        port: String(port),
        servername: 'localhost',
        ...more,
      },
      (error, socket) => {
        if (error || !socket) return reject(error);
        let reply = '';
        socket.setEncoding('latin1');
        socket.on('data', (d: string) => {
          reply += d;
        });
        socket.on('end', () => resolve({ socket, reply }));
        socket.on('error', reject);
        socket.write('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
      },
    );
  });
}

describe('createPinnedConnect (undici connect function)', () => {
  let server: Server;
  before(async () => {
    server = await serve([leaf, ica], leafKey.privateKey);
  });
  after(() => server.close());

  test('a matching pin connects, and the next connection resumes and is checked', async () => {
    const connect = createPinnedConnect({ pins: [PIN.leaf, PIN.backup], ca: CA });
    const first = await connectWith(connect, server.port);
    assert.match(first.reply, /^HTTP\/1\.1 200 OK/);
    assert.equal(first.socket.isSessionReused(), false);
    const second = await connectWith(connect, server.port);
    assert.match(second.reply, /^HTTP\/1\.1 200 OK/);
    assert.equal(second.socket.isSessionReused(), true);
  });

  test('a mismatch is reported to undici as PinMismatch; nothing reaches the server', async () => {
    const before = server.received;
    await rejectsWithPinMismatch(
      connectWith(createPinnedConnect({ pins: [PIN.unrelated1, PIN.unrelated2], ca: CA }), server.port),
      [PIN.leaf, PIN.ica, PIN.root],
    );
    await server.idle();
    assert.equal(server.received, before);
  });

  test('CA and hostname checks stay on', async () => {
    const connect = createPinnedConnect({ pins: [PIN.leaf, PIN.backup], ca: CA });
    await assert.rejects(connectWith(connect, server.port, { servername: 'other.test' }), {
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    const untrusting = createPinnedConnect({ pins: [PIN.leaf, PIN.backup], ca: rogue.toPem() });
    await assert.rejects(connectWith(untrusting, server.port), { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' });
  });

  test('plain http: is refused', async () => {
    const connect = createPinnedConnect({ pins: [PIN.leaf, PIN.backup], ca: CA });
    const error = await rejectsWithPinMismatch(connectWith(connect, server.port, { protocol: 'http:' }));
    assert.equal(error.reason, 'not-tls');
  });
});

describe('fetch through createPinnedDispatcher', () => {
  test('with the undici package, https and fetch behave the same', async (t) => {
    let undici: { Agent: new (o: object) => unknown; fetch: typeof fetch } | undefined;
    try {
      undici = (await import('undici' as string)) as typeof undici;
    } catch {
      const reason =
        'the undici package is not installed: the fetch test is SKIPPED (createPinnedConnect is tested directly above)';
      process.stderr.write(`\n!!!!! ${reason} !!!!!\n\n`);
      return t.skip(reason);
    }
    if (!undici) return;
    const server = await serve([leaf, ica], leafKey.privateKey);
    try {
      const url = `https://localhost:${server.port}/`;
      const good = createPinnedDispatcher(undici, { pins: [PIN.ica, PIN.backup], ca: CA });
      const res = await undici.fetch(url, { dispatcher: good } as RequestInit);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), 'ok');
      const bad = createPinnedDispatcher(undici, { pins: [PIN.unrelated1, PIN.unrelated2], ca: CA });
      await assert.rejects(undici.fetch(url, { dispatcher: bad } as RequestInit), (e: unknown) => {
        const cause = (e as { cause?: unknown }).cause;
        return cause instanceof PinMismatch;
      });
    } finally {
      await server.close();
    }
  });
});

describe('pinsFromServer (trust on first use)', () => {
  test('returns the presented chain, leaf first, with subjects', async () => {
    const server = await serve([leaf, ica], leafKey.privateKey);
    try {
      const chain = await pinsFromServer('127.0.0.1', server.port, { servername: 'localhost', ca: CA });
      assert.deepEqual(
        chain.map((c) => [c.pin, c.subject]),
        [
          [PIN.leaf, 'CN=localhost'],
          [PIN.ica, 'CN=coffer pinning intermediate'],
          [PIN.root, 'CN=coffer pinning root'],
        ],
      );
      // The chain must still validate: an untrusted server is refused, not pinned.
      await assert.rejects(pinsFromServer('127.0.0.1', server.port, { servername: 'localhost' }));
    } finally {
      await server.close();
    }
  });
});
