// Mutation fuzzing (fast-check) of every key loader and decoder in coffer/hazmat/serialization and
// coffer/hazmat/asymmetric: valid inputs (fresh node:crypto keys in every form, coffer's own OpenSSH output,
// JWKs, EC points, DSS signatures) are truncated, bit-flipped, spliced, extended and re-armoured, and
// whatever comes out, a loader may only succeed or throw a typed error: a CofferError, or a TypeError /
// RangeError raised by coffer with a message (never node's ERR_OSSL_* / ERR_INVALID_ARG_* errors, never
// anything else). Inputs are bounded (a mutation adds at most 64 bytes to inputs of a few KiB), so no
// case can be slow by size; each test has a generous timeout as a hang guard, not a timing assertion.
//
// Runs: COFFER_FUZZ_RUNS (default 150 per loader); failures replay with fast-check's printed seed/path.
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import {
  EllipticCurvePublicKey,
  SECP256K1,
  SECP256R1,
  SECP384R1,
  SECP521R1,
} from '../../../src/hazmat/asymmetric/ec.ts';
import { Ed25519PrivateKey } from '../../../src/hazmat/asymmetric/ed25519.ts';
import { decodeDssSignature, encodeDssSignature } from '../../../src/hazmat/asymmetric/utils.ts';
import {
  BestAvailableEncryption,
  loadDerPrivateKey,
  loadDerPublicKey,
  loadJwk,
  loadPemPrivateKey,
  loadPemPublicKey,
  loadSshPrivateKey,
  loadSshPublicKey,
  NoEncryption,
  serializeSshPrivateKey,
} from '../../../src/hazmat/serialization.ts';
import { describeError, isTypedRefusal } from './wycheproof-common.ts';

const RUNS = Number(process.env.COFFER_FUZZ_RUNS ?? 150);
const TIMEOUT = 10 * 60 * 1000;
const PASSWORD = 'fuzz-password';
const pw = new TextEncoder().encode(PASSWORD);

/** Asserts `run` either returns or throws a typed error. */
function typedOnly(run: () => unknown): void {
  try {
    run();
  } catch (err) {
    assert.ok(isTypedRefusal(err), `untyped error escaped: ${describeError(err)}`);
  }
}
async function typedOnlyAsync(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    assert.ok(isTypedRefusal(err), `untyped error escaped: ${describeError(err)}`);
  }
}

// Mutations ---------------------------------------------------------------------------------------------

type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; value: number }
  | { op: 'truncate'; at: number }
  | { op: 'delete'; at: number; length: number }
  | { op: 'insert'; at: number; data: Uint8Array }
  | { op: 'duplicate'; at: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    op: fc.constant('set' as const),
    at: fc.nat(),
    value: fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0xff, 0x30, 0x02, 0x04, 0x05, 0x06),
  }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    data: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
);

function applyMutations(seed: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  let b = seed.slice();
  for (const m of ms) {
    const at = b.length === 0 ? 0 : m.at % (b.length + 1);
    switch (m.op) {
      case 'flip':
        if (b.length > 0) b[at % b.length]! ^= 1 << m.bit;
        break;
      case 'set':
        if (b.length > 0) b[at % b.length] = m.value;
        break;
      case 'truncate':
        b = b.slice(0, at);
        break;
      case 'delete':
        b = new Uint8Array([...b.slice(0, at), ...b.slice(at + m.length)]);
        break;
      case 'insert':
        b = new Uint8Array([...b.slice(0, at), ...m.data, ...b.slice(at)]);
        break;
      case 'duplicate':
        b = new Uint8Array([...b.slice(0, at), ...b.slice(at, at + m.length), ...b.slice(at)]);
        break;
    }
  }
  return b;
}

/** A mutated copy of one of `seeds` (1 to 4 mutations). */
const mutatedBytes = (seeds: () => readonly Uint8Array[]): fc.Arbitrary<Uint8Array> =>
  fc.tuple(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([i, ms]) => {
    const s = seeds();
    return applyMutations(s[i % s.length]!, ms);
  });

/** PEM mutated two ways: its text directly, or its DER body then re-armoured under the same label. */
const mutatedPem = (seeds: () => readonly string[]): fc.Arbitrary<string> =>
  fc
    .tuple(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean())
    .map(([i, ms, inner]) => {
      const s = seeds();
      const text = s[i % s.length]!;
      if (!inner)
        return Buffer.from(applyMutations(new Uint8Array(Buffer.from(text, 'latin1')), ms)).toString(
          'latin1',
        );
      const m = /^(-----BEGIN [^-]+-----\n)((?:[A-Za-z-]+:.*\n)*\n?)([\s\S]*?)(-----END [^-]+-----\n?)$/.exec(
        text,
      );
      if (!m) return text;
      const der = applyMutations(new Uint8Array(Buffer.from(m[3]!, 'base64')), ms);
      const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n');
      return `${m[1]}${m[2]}${b64}${m[4]}`;
    });

// Seeds -------------------------------------------------------------------------------------------------

const pairs: KeyObject[][] = [];
const privatePem: string[] = [];
const privateDer: Uint8Array[] = [];
const encryptedPem: string[] = [];
const encryptedDer: Uint8Array[] = [];
const legacyPem: string[] = [];
const publicPem: string[] = [];
const publicDer: Uint8Array[] = [];
const jwks: Array<Record<string, unknown>> = [];
const sshPublic: string[] = [];
const sshPrivate: string[] = [];
const sshEncrypted: string[] = [];
const points: Array<{ curve: () => unknown; point: Uint8Array }> = [];
const dss: Uint8Array[] = [];

before(async () => {
  const gen = (type: string, options: object) => {
    const { privateKey, publicKey } = generateKeyPairSync(type as 'ec', options as { namedCurve: string });
    pairs.push([privateKey, publicKey]);
    privatePem.push(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    privateDer.push(new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' })));
    encryptedPem.push(
      privateKey.export({
        type: 'pkcs8',
        format: 'pem',
        cipher: 'aes-256-cbc',
        passphrase: PASSWORD,
      }) as string,
    );
    encryptedDer.push(
      new Uint8Array(
        privateKey.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: PASSWORD }),
      ),
    );
    if (type === 'rsa' || type === 'ec') {
      const trad = type === 'rsa' ? 'pkcs1' : 'sec1';
      privatePem.push(privateKey.export({ type: trad, format: 'pem' }) as string);
      legacyPem.push(
        privateKey.export({
          type: trad,
          format: 'pem',
          cipher: 'aes-256-cbc',
          passphrase: PASSWORD,
        }) as string,
      );
    }
    publicPem.push(publicKey.export({ type: 'spki', format: 'pem' }) as string);
    publicDer.push(new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })));
    if (type === 'rsa') publicPem.push(publicKey.export({ type: 'pkcs1', format: 'pem' }) as string);
    jwks.push(privateKey.export({ format: 'jwk' }) as Record<string, unknown>);
    jwks.push(publicKey.export({ format: 'jwk' }) as Record<string, unknown>);
  };
  gen('ed25519', {});
  gen('ed448', {});
  gen('x25519', {});
  gen('x448', {});
  for (const namedCurve of ['P-256', 'P-384', 'P-521', 'secp256k1']) gen('ec', { namedCurve });
  gen('rsa', { modulusLength: 1024 });

  for (const [curve, namedCurve] of [
    [() => new SECP256R1(), 'P-256'],
    [() => new SECP384R1(), 'P-384'],
    [() => new SECP521R1(), 'P-521'],
    [() => new SECP256K1(), 'secp256k1'],
  ] as const) {
    const jwk = generateKeyPairSync('ec', { namedCurve }).publicKey.export({ format: 'jwk' });
    const x = Buffer.from(jwk.x!, 'base64url');
    const y = Buffer.from(jwk.y!, 'base64url');
    points.push({ curve, point: new Uint8Array([4, ...x, ...y]) });
    points.push({ curve, point: new Uint8Array([2 + ((y.at(-1) ?? 0) & 1), ...x]) });
  }
  for (const [r, s] of [
    [1n, 1n],
    [0x7fn, 0x80n],
    [2n ** 255n - 19n, 2n ** 252n + 27742317777372353535851937790883648493n],
    [2n ** 520n + 12345n, 2n ** 519n],
  ] as const) {
    dss.push(encodeDssSignature(r, s));
  }

  const ed = Ed25519PrivateKey.generate();
  for (const pem of privatePem.slice(0, 8)) {
    const key = loadPemPrivateKey(pem) as unknown as {
      publicKey(): { publicBytes(e: string, f: string): string };
    };
    try {
      sshPublic.push(`${key.publicKey().publicBytes('OpenSSH', 'OpenSSH')} comment`);
    } catch {
      // Not an OpenSSH key type (Ed448, X25519, X448, secp256k1).
    }
  }
  sshPrivate.push(
    await serializeSshPrivateKey(ed as never, { encryption: new NoEncryption(), comment: 'fuzz' }),
  );
  const ec = loadPemPrivateKey(privatePem[4]!);
  sshPrivate.push(
    await serializeSshPrivateKey(ec as never, { encryption: new NoEncryption(), comment: 'ec' }),
  );
  const rsa = loadPemPrivateKey(privatePem.find((p) => p.includes('BEGIN RSA PRIVATE KEY'))!);
  sshPrivate.push(await serializeSshPrivateKey(rsa as never, { encryption: new NoEncryption() }));
  sshEncrypted.push(
    await serializeSshPrivateKey(ed as never, {
      encryption: new BestAvailableEncryption(pw),
      comment: 'enc',
    }),
  );
});

// The loaders ------------------------------------------------------------------------------------------

describe('fuzz: key loaders only ever throw typed errors', () => {
  test('the seeds load cleanly (so mutations start from valid input)', async () => {
    for (const p of privatePem) loadPemPrivateKey(p);
    for (const d of privateDer) loadDerPrivateKey(d);
    for (const p of encryptedPem) loadPemPrivateKey(p, pw);
    for (const d of encryptedDer) loadDerPrivateKey(d, pw);
    for (const p of legacyPem) loadPemPrivateKey(p, pw);
    for (const p of publicPem) loadPemPublicKey(p);
    for (const d of publicDer) loadDerPublicKey(d);
    for (const j of jwks) loadJwk(j as never);
    for (const l of sshPublic) loadSshPublicKey(l);
    for (const s of sshPrivate) await loadSshPrivateKey(s);
    for (const s of sshEncrypted) await loadSshPrivateKey(s, pw);
    for (const { curve, point } of points) EllipticCurvePublicKey.fromEncodedPoint(curve() as never, point);
    for (const d of dss) decodeDssSignature(d);
    assert.ok(sshPublic.length >= 4, 'OpenSSH public seeds');
  });

  test('loadPemPrivateKey (PKCS#8, traditional)', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(
        mutatedPem(() => privatePem),
        (t) => typedOnly(() => loadPemPrivateKey(t)),
      ),
      {
        numRuns: RUNS,
      },
    );
  });
  test('loadDerPrivateKey', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(
        mutatedBytes(() => privateDer),
        (d) => typedOnly(() => loadDerPrivateKey(d)),
      ),
      {
        numRuns: RUNS,
      },
    );
  });
  test('loadPemPrivateKey, encrypted PKCS#8 (with the password, without, with a wrong one)', {
    timeout: TIMEOUT,
  }, () => {
    fc.assert(
      fc.property(
        mutatedPem(() => encryptedPem),
        fc.constantFrom(pw, undefined, new Uint8Array([1])),
        (t, p) => typedOnly(() => loadPemPrivateKey(t, p)),
      ),
      { numRuns: RUNS },
    );
  });
  test('loadDerPrivateKey, encrypted PKCS#8', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(
        mutatedBytes(() => encryptedDer),
        fc.constantFrom(pw, undefined),
        (d, p) => typedOnly(() => loadDerPrivateKey(d, p)),
      ),
      { numRuns: RUNS },
    );
  });
  test('loadPemPrivateKey, legacy encrypted PEM (Proc-Type/DEK-Info)', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(
        mutatedPem(() => legacyPem),
        fc.constantFrom(pw, undefined),
        (t, p) => typedOnly(() => loadPemPrivateKey(t, p)),
      ),
      { numRuns: RUNS },
    );
  });
  test('loadPemPublicKey (SPKI, PKCS#1)', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(
        mutatedPem(() => publicPem),
        (t) => typedOnly(() => loadPemPublicKey(t)),
      ),
      {
        numRuns: RUNS,
      },
    );
  });
  test('loadDerPublicKey', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(
        mutatedBytes(() => publicDer),
        (d) => typedOnly(() => loadDerPublicKey(d)),
      ),
      {
        numRuns: RUNS,
      },
    );
  });
  test('loadSshPublicKey', { timeout: TIMEOUT }, () => {
    const asText = (b: Uint8Array) => Buffer.from(b).toString('latin1');
    fc.assert(
      fc.property(
        mutatedBytes(() => sshPublic.map((l) => new Uint8Array(Buffer.from(l, 'latin1')))),
        fc.boolean(),
        (b, inner) => {
          // Either the text itself, or the base64 blob mutated and re-encoded (reaches the wire parser).
          let line = asText(b);
          if (inner) {
            const [type, blob, ...rest] = (sshPublic[b.length % sshPublic.length] ?? '').split(' ');
            const mutatedBlob = applyMutations(new Uint8Array(Buffer.from(blob ?? '', 'base64')), [
              { op: 'flip', at: b.length * 7, bit: b.length % 8 },
              { op: 'truncate', at: b.length * 13 },
            ]);
            line = [type, Buffer.from(mutatedBlob).toString('base64'), ...rest].join(' ');
          }
          typedOnly(() => loadSshPublicKey(line));
        },
      ),
      { numRuns: RUNS },
    );
  });
  test('loadSshPrivateKey (unencrypted)', { timeout: TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(
        mutatedPem(() => sshPrivate),
        (t) => typedOnlyAsync(() => loadSshPrivateKey(t)),
      ),
      { numRuns: RUNS },
    );
  });
  test('loadSshPrivateKey (passphrase-protected; few runs, bcrypt-pbkdf is slow by design)', {
    timeout: TIMEOUT,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(
        mutatedPem(() => sshEncrypted),
        fc.constantFrom(pw, undefined),
        (t, p) => typedOnlyAsync(() => loadSshPrivateKey(t, p)),
      ),
      { numRuns: Math.min(RUNS, 15) },
    );
  });
  test('loadJwk (fields dropped, replaced, retyped; values mutated)', { timeout: TIMEOUT }, () => {
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc
        .base64String({ maxLength: 200 })
        .map((s) => s.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')),
      fc.constantFrom('OKP', 'EC', 'RSA', 'oct', 'Ed25519', 'X25519', 'P-256', 'P-384', 'secp256k1', ''),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
      fc.constant({}),
    );
    fc.assert(
      fc.property(
        fc.nat(),
        fc.array(
          fc.tuple(
            fc.constantFrom(
              'kty',
              'crv',
              'x',
              'y',
              'd',
              'n',
              'e',
              'p',
              'q',
              'dp',
              'dq',
              'qi',
              'alg',
              'use',
              'key_ops',
            ),
            fc.option(value),
          ),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (i, edits) => {
          const jwk: Record<string, unknown> = { ...jwks[i % jwks.length]! };
          for (const [k, v] of edits) {
            if (v === null) delete jwk[k];
            else jwk[k] = v;
          }
          typedOnly(() => loadJwk(jwk as never));
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });
  test('loadJwk (base64url values truncated and bit-flipped)', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.constantFrom('x', 'y', 'd', 'n', 'e', 'p', 'q', 'dp', 'dq', 'qi'),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (i, field, ms) => {
          const jwk: Record<string, unknown> = { ...jwks[i % jwks.length]! };
          const v = jwk[field];
          if (typeof v !== 'string') return;
          jwk[field] = Buffer.from(applyMutations(new Uint8Array(Buffer.from(v, 'base64url')), ms)).toString(
            'base64url',
          );
          typedOnly(() => loadJwk(jwk as never));
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });
  test('EllipticCurvePublicKey.fromEncodedPoint', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.nat(), (i, ms, c) => {
        const { point } = points[i % points.length]!;
        // Sometimes a point offered to the wrong curve.
        const curve = points[c % points.length]!.curve;
        typedOnly(() => EllipticCurvePublicKey.fromEncodedPoint(curve() as never, applyMutations(point, ms)));
      }),
      { numRuns: RUNS * 2 },
    );
  });
  test('decodeDssSignature (strict DER)', { timeout: TIMEOUT }, () => {
    fc.assert(
      fc.property(
        mutatedBytes(() => dss),
        (d) => {
          let out: { r: bigint; s: bigint } | undefined;
          typedOnly(() => {
            out = decodeDssSignature(d);
          });
          // Strict DER: whatever decodes re-encodes to the same bytes.
          if (out) assert.deepEqual(encodeDssSignature(out.r, out.s), d);
        },
      ),
      { numRuns: RUNS * 4 },
    );
  });
  test('arbitrary bytes and strings into every loader', { timeout: TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), fc.string({ maxLength: 512 }), async (b, s) => {
        typedOnly(() => loadDerPrivateKey(b));
        typedOnly(() => loadDerPublicKey(b));
        typedOnly(() => loadPemPrivateKey(s));
        typedOnly(() => loadPemPublicKey(s));
        typedOnly(() => loadSshPublicKey(s));
        typedOnly(() => decodeDssSignature(b));
        await typedOnlyAsync(() => loadSshPrivateKey(s));
      }),
      { numRuns: RUNS },
    );
  });
});
