// hashPassword / verifyPassword / needsRehash / configurePasswordHashing: formats, failures, peppers,
// normalization, limits, backends and the concurrency limit. Interop with other implementations is in
// passwords-interop.test.ts. Argon2 costs are tiny here unless the test is about the defaults.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as nodeCrypto from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  configurePasswordHashing,
  DecodeError,
  hashPassword,
  InvalidKey,
  KeyDisabled,
  KeyNotFound,
  Keyring,
  MAX_PASSWORD_BYTES,
  needsRehash,
  type PasswordPolicy,
  UnsupportedAlgorithm,
  verifyPassword,
} from '../../src/index.ts';
import { Limiter } from '../../src/internal/limiter.ts';
import { SecretKey } from '../../src/keys/secret-key.ts';
import { loadOwnJson } from '../helpers/vectors.ts';

const FAST = { argon2: { memoryCost: 64, iterations: 1 } } as const;
const FAST_SCRYPT = { algorithm: 'scrypt', scrypt: { n: 16, r: 1, p: 1 } } as const;
const FAST_PBKDF2 = { algorithm: 'pbkdf2-sha256', pbkdf2: { iterations: 10 } } as const;
const PW = 'correct horse battery staple';
const B64 = '[A-Za-z0-9+/]';

const initial = configurePasswordHashing();
after(() => configurePasswordHashing({ concurrency: initial.concurrency, argon2Backend: 'auto' }));

async function rejectsWith(promise: Promise<unknown>, cls: new (...args: never[]) => Error): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof cls, `expected ${cls.name}, got ${String(err)}`);
    return err;
  }
  assert.fail(`expected ${cls.name}, resolved instead`);
}

describe('hashPassword at the defaults', () => {
  test('Argon2id m=19456 t=2 p=1, 16-byte salt, 32-byte hash; verifies; salts differ', async () => {
    const a = await hashPassword(PW);
    const b = await hashPassword(PW);
    assert.match(a, new RegExp(`^\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$${B64}{22}\\$${B64}{43}$`));
    assert.notEqual(a, b);
    await verifyPassword(PW, a);
    assert.equal(needsRehash(a), false);
  });

  test('scrypt defaults: ln=17, r=8, p=1 (N = 2^17, 128 MiB)', async () => {
    const h = await hashPassword(PW, { algorithm: 'scrypt' });
    assert.match(h, new RegExp(`^\\$scrypt\\$ln=17,r=8,p=1\\$${B64}{22}\\$${B64}{43}$`));
    await verifyPassword(PW, h);
    assert.equal(needsRehash(h, { algorithm: 'scrypt' }), false);
    assert.equal(needsRehash(h), true);
  });

  test('pbkdf2-sha256 defaults: 600,000 rounds, passlib form', async () => {
    const h = await hashPassword(PW, { algorithm: 'pbkdf2-sha256' });
    assert.match(h, /^\$pbkdf2-sha256\$600000\$[A-Za-z0-9./]{22}\$[A-Za-z0-9./]{43}$/);
    await verifyPassword(PW, h);
    assert.equal(needsRehash(h, { algorithm: 'pbkdf2-sha256' }), false);
    assert.equal(needsRehash(h), true);
  });
});

describe('verification', () => {
  for (const [name, policy] of [
    ['argon2id', FAST],
    ['scrypt', FAST_SCRYPT],
    ['pbkdf2-sha256', FAST_PBKDF2],
  ] as const) {
    test(`${name}: the right password resolves to nothing; others reject with InvalidKey`, async () => {
      const h = await hashPassword(PW, policy);
      assert.equal(await verifyPassword(PW, h), undefined);
      await verifyPassword(Buffer.from(PW), h);
      for (const wrong of ['', 'Correct horse battery staple', `${PW} `, PW.slice(0, -1), '\u0000']) {
        await rejectsWith(verifyPassword(wrong, h), InvalidKey);
      }
    });
  }

  test('every mismatch gives the same error: same class, code and message, no cause', async () => {
    const h = await hashPassword(PW, FAST);
    const other = await hashPassword('another password', FAST);
    const parts = h.split('$');
    const head = parts.slice(0, 4).join('$');
    const [salt, hash] = [parts[4]!, parts[5]!];
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    const failures = [
      verifyPassword('wrong', h),
      verifyPassword('', h),
      verifyPassword(PW, other),
      verifyPassword(PW, `${head}$${flip(salt)}$${hash}`),
      verifyPassword(PW, `${head}$${salt}$${flip(hash)}`),
      // 32 bytes cut to 24: still a well-formed hash, just not this one.
      verifyPassword(PW, `${head}$${salt}$${hash.slice(0, 32)}`),
      verifyPassword(PW, h.replace('t=1', 't=2')),
      verifyPassword(PW, h.replace('$argon2id$', '$argon2i$')),
    ];
    const errors = await Promise.all(failures.map((p) => rejectsWith(p, InvalidKey)));
    for (const err of errors) {
      assert.equal(err.message, 'key did not match');
      assert.equal((err as InvalidKey).code, 'ERR_INVALID_KEY');
      assert.equal(err.cause, undefined);
    }
  });

  test('a malformed or over-ceiling hash is a DecodeError, at once, before any hashing', async () => {
    const h = await hashPassword(PW, FAST);
    const start = performance.now();
    for (const bad of [
      h.replace('m=64', 'm=4294967295'),
      h.replace('t=1', 't=1000000000'),
      h.replace('p=1', 'p=255'),
      h.replace('$v=19', ''),
      h.slice(0, 20),
      '$md5$salt$hash',
      '',
    ]) {
      await rejectsWith(verifyPassword(PW, bad), DecodeError);
    }
    assert.ok(performance.now() - start < 1000);
  });
});

describe('passwords: normalization, length, type', () => {
  test('strings are NFC-normalized: composed and decomposed forms verify alike', async () => {
    const composed = 'caf\u00e9 \uAC00'; // é, and the Hangul syllable GA
    const decomposed = 'cafe\u0301 \u1100\u1161';
    assert.notEqual(composed, decomposed);
    assert.equal(composed, decomposed.normalize('NFC'));
    const h1 = await hashPassword(composed, FAST);
    await verifyPassword(decomposed, h1);
    const h2 = await hashPassword(decomposed, FAST);
    await verifyPassword(composed, h2);
    // Bytes are taken as they are: the NFC bytes verify, the NFD bytes do not.
    await verifyPassword(new TextEncoder().encode(composed), h1);
    await rejectsWith(verifyPassword(new TextEncoder().encode(decomposed), h1), InvalidKey);
  });

  test('NFKC is not applied: compatibility forms stay distinct', async () => {
    const h = await hashPassword('\uFB01', FAST); // the "fi" ligature
    await rejectsWith(verifyPassword('fi', h), InvalidKey);
  });

  test(`${MAX_PASSWORD_BYTES} bytes are accepted; one more is a RangeError, for hashing and verifying`, async () => {
    const h = await hashPassword('a'.repeat(MAX_PASSWORD_BYTES), FAST);
    await verifyPassword('a'.repeat(MAX_PASSWORD_BYTES), h);
    await verifyPassword(new Uint8Array(MAX_PASSWORD_BYTES).fill(0x61), h);
    for (const tooLong of [
      'a'.repeat(MAX_PASSWORD_BYTES + 1),
      '\u20ac'.repeat(1366), // 4098 bytes of UTF-8 in 1366 characters
      'a'.repeat(10 * MAX_PASSWORD_BYTES),
      new Uint8Array(MAX_PASSWORD_BYTES + 1),
    ]) {
      const e1 = await rejectsWith(hashPassword(tooLong, FAST), RangeError);
      assert.match(e1.message, /"password" must be at most 4096 bytes/);
      await rejectsWith(verifyPassword(tooLong, h), RangeError);
    }
  });

  test('the limit counts bytes after normalization', async () => {
    // 2000 decomposed é: 4000 UTF-16 units and 6000 bytes, but 4000 bytes in NFC.
    const h = await hashPassword('e\u0301'.repeat(2000), FAST);
    await verifyPassword('\u00e9'.repeat(2000), h);
  });

  test('a lone surrogate is a TypeError (UTF-8 would turn it into U+FFFD)', async () => {
    await rejectsWith(hashPassword('pass\uD800word', FAST), TypeError);
    const h = await hashPassword('pass\uFFFDword', FAST);
    await rejectsWith(verifyPassword('pass\uD800word', h), TypeError);
  });

  test('errors never repeat the password', async () => {
    const secret = 'hunter2-very-secret';
    const errors = await Promise.all([
      hashPassword(`${secret}\uD800`).catch((e: Error) => e),
      hashPassword(secret, { algorithm: secret as never }).catch((e: Error) => e),
      verifyPassword(secret, secret).catch((e: Error) => e),
      verifyPassword(secret.repeat(1000), '$x').catch((e: Error) => e),
    ]);
    for (const err of errors) assert.ok(!String(err).includes(secret), String(err));
  });
});

describe('pepper', () => {
  test('a keyring peppers with its primary key, whose id goes into the string as keyid', async () => {
    const ring = Keyring.generate();
    const h = await hashPassword(PW, { ...FAST, pepper: ring });
    assert.match(h, new RegExp(`^\\$argon2id\\$v=19\\$m=64,t=1,p=1,keyid=${ring.primaryKeyId}\\$`));
    await verifyPassword(PW, h, { pepper: ring });
    await rejectsWith(verifyPassword('wrong', h, { pepper: ring }), InvalidKey);
    // Without the keyid the string is an ordinary unpeppered hash, of a different input.
    await rejectsWith(verifyPassword(PW, h.replace(`,keyid=${ring.primaryKeyId}`, '')), InvalidKey);
  });

  test('rotation: old hashes verify under their key and need a rehash; disabled and retired keys refuse', async () => {
    const ring = Keyring.generate();
    const policy = { ...FAST, pepper: ring };
    const old = await hashPassword(PW, policy);
    const oldKey = ring.primaryKeyId;
    assert.equal(needsRehash(old, policy), false);
    ring.rotate();
    assert.equal(needsRehash(old, policy), true);
    await verifyPassword(PW, old, { pepper: ring });
    const fresh = await hashPassword(PW, policy);
    assert.ok(fresh.includes(`keyid=${ring.primaryKeyId}`));
    assert.equal(needsRehash(fresh, policy), false);

    ring.disable(oldKey);
    const disabled = await rejectsWith(verifyPassword(PW, old, { pepper: ring }), KeyDisabled);
    assert.match(disabled.message, /is disabled/);
    ring.enable(oldKey);
    ring.retire(oldKey);
    const retired = await rejectsWith(verifyPassword(PW, old, { pepper: ring }), KeyDisabled);
    assert.match(retired.message, /is retired/);
  });

  test('missing or unknown pepper keys are configuration errors, not mismatches', async () => {
    const ring = Keyring.generate();
    const h = await hashPassword(PW, { ...FAST, pepper: ring });
    const missing = await rejectsWith(verifyPassword(PW, h), TypeError);
    assert.match(missing.message, /"options\.pepper"/);
    const unknown = await rejectsWith(verifyPassword(PW, h, { pepper: Keyring.generate() }), KeyNotFound);
    assert.equal((unknown as KeyNotFound).keyId, ring.primaryKeyId);
  });

  test('a SecretKey with an id peppers too; ids that cannot be written, and short keys, are refused', async () => {
    const key = SecretKey.generate(32, { id: 'pepper-2026.1' });
    const h = await hashPassword(PW, { ...FAST, pepper: key });
    assert.ok(h.includes(',keyid=pepper-2026.1$'));
    await verifyPassword(PW, h, { pepper: key });
    await rejectsWith(
      verifyPassword(PW, h, { pepper: SecretKey.generate(32, { id: 'other' }) }),
      KeyNotFound,
    );
    await rejectsWith(
      verifyPassword(PW, h, { pepper: SecretKey.generate(32, { id: 'pepper-2026.1' }) }),
      InvalidKey,
    );
    await rejectsWith(hashPassword(PW, { pepper: SecretKey.generate(32) }), TypeError);
    await rejectsWith(hashPassword(PW, { pepper: SecretKey.generate(32, { id: 'has space' }) }), TypeError);
    await rejectsWith(
      hashPassword(PW, { pepper: SecretKey.generate(32, { id: 'x'.repeat(65) }) }),
      TypeError,
    );
    await rejectsWith(hashPassword(PW, { pepper: SecretKey.generate(16, { id: 'short' }) }), RangeError);
  });

  test('scrypt takes a pepper; pbkdf2-sha256 does not (passlib has no field for it)', async () => {
    const ring = Keyring.generate();
    const h = await hashPassword(PW, { ...FAST_SCRYPT, pepper: ring });
    assert.match(h, new RegExp(`^\\$scrypt\\$ln=4,r=1,p=1,keyid=${ring.primaryKeyId}\\$`));
    await verifyPassword(PW, h, { pepper: ring });
    const err = await rejectsWith(hashPassword(PW, { ...FAST_PBKDF2, pepper: ring }), TypeError);
    assert.match(err.message, /pbkdf2-sha256/);
  });

  test('unpeppered hashes still verify when a pepper is configured, and need a rehash', async () => {
    const ring = Keyring.generate();
    const plain = await hashPassword(PW, FAST);
    await verifyPassword(PW, plain, { pepper: ring });
    assert.equal(needsRehash(plain, { ...FAST, pepper: ring }), true);
    // And the reverse: dropping the pepper from the policy flags peppered hashes.
    const peppered = await hashPassword(PW, { ...FAST, pepper: ring });
    assert.equal(needsRehash(peppered, FAST), true);
  });

  test('the pepper key is derived per purpose: the keyring key itself is never the HMAC key', async () => {
    // A keyring sealing data and peppering passwords uses unrelated keys; nothing here can show the
    // derived key, but the keyring still seals and opens as before.
    const ring = Keyring.generate();
    await hashPassword(PW, { ...FAST, pepper: ring });
    assert.equal(ring.openText(ring.seal('x', { context: {} }), { context: {} }), 'x');
  });
});

describe('needsRehash', () => {
  const vectors = loadOwnJson<{ vectors: Array<{ id: string; hash: string }> }>(
    'password-hashes.json',
  ).vectors;
  const byId = (id: string) => vectors.find((v) => v.id === id)!.hash;
  const owasp = byId('pyca-argon2id-owasp');

  test('reads the string only', () => {
    assert.equal(needsRehash(owasp), false);
    assert.equal(needsRehash(owasp, { argon2: { memoryCost: 19456, iterations: 2, lanes: 4 } }), false);
    assert.equal(needsRehash(owasp, { argon2: { memoryCost: 65536 } }), true);
    assert.equal(needsRehash(owasp, { argon2: { iterations: 3 } }), true);
    assert.equal(needsRehash(owasp, { algorithm: 'scrypt' }), true);
    assert.equal(needsRehash(byId('htpasswd-bcrypt-2y-cost-4')), true);
    assert.equal(needsRehash(byId('passlib-pbkdf2-sha256')), true);
    assert.equal(needsRehash(byId('passlib-pbkdf2-sha256'), { algorithm: 'pbkdf2-sha256' }), true);
    assert.equal(
      needsRehash(byId('passlib-pbkdf2-sha256'), { algorithm: 'pbkdf2-sha256', pbkdf2: { iterations: 12 } }),
      false,
    );
    assert.equal(needsRehash(byId('passlib-scrypt')), true);
    assert.equal(needsRehash(byId('passlib-scrypt'), { algorithm: 'scrypt' }), true);
    assert.equal(needsRehash(byId('passlib-scrypt'), { algorithm: 'scrypt', scrypt: { n: 2 ** 16 } }), false);
    assert.equal(
      needsRehash(byId('argon2-cli-argon2i-utf8'), { argon2: { memoryCost: 8, iterations: 1 } }),
      true,
    );
    // pyca's 4-lane vector: an 8-byte salt and a 16-byte hash fall short of what coffer writes.
    assert.equal(
      needsRehash(byId('pyca-argon2id-4-lanes-short'), { argon2: { memoryCost: 8, iterations: 1 } }),
      true,
    );
  });

  test('stronger than the policy is fine', async () => {
    const h = await hashPassword(PW, { argon2: { memoryCost: 32768, iterations: 3 } });
    assert.equal(needsRehash(h), false);
    assert.equal(needsRehash(await hashPassword(PW, FAST)), true);
  });

  test('a malformed hash is a DecodeError; a malformed policy a TypeError or RangeError', () => {
    assert.throws(
      () => needsRehash('$argon2id$v=19$m=4294967295,t=2,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA'),
      DecodeError,
    );
    assert.throws(() => needsRehash(42 as never), TypeError);
    assert.throws(() => needsRehash(owasp, { algorithm: 'bcrypt' as never }), TypeError);
    assert.throws(() => needsRehash(owasp, { argon2: { memoryCost: 2 ** 30 } }), RangeError);
  });
});

describe('bcrypt', () => {
  test('verify-only: $2a$, $2b$ and $2y$ are the same algorithm', async () => {
    const h = loadOwnJson<{ vectors: Array<{ id: string; hash: string; password: string }> }>(
      'password-hashes.json',
    ).vectors.find((v) => v.id === 'htpasswd-bcrypt-2y-cost-4')!;
    for (const prefix of ['$2a$', '$2b$', '$2y$']) {
      await verifyPassword(h.password, h.hash.replace('$2y$', prefix));
      await rejectsWith(verifyPassword('wrong', h.hash.replace('$2y$', prefix)), InvalidKey);
    }
  });

  test('without the optional packages: bcrypt is UnsupportedAlgorithm with a hint, Argon2 falls back to noble', () => {
    // A child process in which resolving @node-rs/* fails, as when optional dependencies were not
    // installed. Only module resolution changes; coffer runs as shipped.
    const dir = mkdtempSync(join(tmpdir(), 'coffer-no-native-'));
    const hide = join(dir, 'hide.cjs');
    writeFileSync(
      hide,
      `const M = require('node:module');
const resolve = M._resolveFilename;
M._resolveFilename = function (request, ...rest) {
  if (request.startsWith('@node-rs/')) {
    const err = new Error('Cannot find module ' + request);
    err.code = 'MODULE_NOT_FOUND';
    throw err;
  }
  return resolve.call(this, request, ...rest);
};
`,
    );
    const index = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
    const script = `
      const c = await import(${JSON.stringify(index)});
      const s = c.configurePasswordHashing();
      const out = { backends: s.argon2Backends };
      const h = await c.hashPassword('pw', { argon2: { memoryCost: 64, iterations: 1 } });
      await c.verifyPassword('pw', h);
      out.noble = h.startsWith('$argon2id$');
      try {
        await c.verifyPassword('pw', '$2y$04$woN//NE.ZKw4.GnaKjsnPeVSiPvixB8QyMby2fCtj8qkJJzM4Gwze');
      } catch (e) { out.bcrypt = [e.name, e.message]; }
      try { c.configurePasswordHashing({ argon2Backend: '@node-rs/argon2' }); } catch (e) { out.choose = e.name; }
      console.log(JSON.stringify(out));
    `;
    const r = spawnSync(
      process.execPath,
      ['--require', hide, '--import', 'tsx', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      backends: string[];
      noble: boolean;
      bcrypt: string[];
      choose: string;
    };
    assert.ok(!out.backends.includes('@node-rs/argon2'));
    assert.equal(out.backends.at(-1), '@noble/hashes');
    assert.equal(out.noble, true);
    assert.equal(out.bcrypt[0], 'UnsupportedAlgorithm');
    assert.match(out.bcrypt[1]!, /@node-rs\/bcrypt.*npm install @node-rs\/bcrypt/);
    assert.equal(out.choose, 'UnsupportedAlgorithm');
  });
});

describe('Argon2 backends', () => {
  const backends = initial.argon2Backends;

  test(`every backend here (${backends.join(', ')}) computes the same hashes`, async () => {
    const made: string[] = [];
    for (const b of backends) {
      configurePasswordHashing({ argon2Backend: b });
      assert.equal(configurePasswordHashing().argon2Backend, b);
      made.push(await hashPassword(PW, { argon2: { memoryCost: 256, iterations: 2, lanes: 2 } }));
    }
    const vectors = loadOwnJson<{ vectors: Array<{ hash: string; password: string; scheme: string }> }>(
      'password-hashes.json',
    ).vectors.filter((v) => v.scheme === 'argon2' && !v.hash.includes('m=19456'));
    for (const b of backends) {
      configurePasswordHashing({ argon2Backend: b });
      for (const h of made) await verifyPassword(PW, h);
      for (const v of vectors) await verifyPassword(v.password, v.hash);
    }
    configurePasswordHashing({ argon2Backend: 'auto' });
  });

  test('auto prefers node:crypto, then @node-rs/argon2, then @noble/hashes', () => {
    const s = configurePasswordHashing({ argon2Backend: 'auto' });
    assert.equal(s.argon2Backend, s.argon2Backends[0]);
    const order = ['node:crypto', '@node-rs/argon2', '@noble/hashes'];
    assert.deepEqual(
      [...s.argon2Backends],
      order.filter((b) => s.argon2Backends.includes(b as never)),
    );
    const hasNodeArgon2 = typeof (nodeCrypto as { argon2?: unknown }).argon2 === 'function';
    assert.equal(s.argon2Backends.includes('node:crypto'), hasNodeArgon2);
  });

  test('a backend this runtime lacks is UnsupportedAlgorithm; a name that is none is a TypeError', () => {
    if (!initial.argon2Backends.includes('node:crypto')) {
      assert.throws(() => configurePasswordHashing({ argon2Backend: 'node:crypto' }), UnsupportedAlgorithm);
    }
    assert.throws(() => configurePasswordHashing({ argon2Backend: 'argon2' as never }), TypeError);
    assert.equal(configurePasswordHashing().argon2Backend, initial.argon2Backend);
  });

  for (const b of backends) {
    test(`${b}: the event loop keeps turning while a hash runs`, async () => {
      configurePasswordHashing({ argon2Backend: b });
      let turns = 0;
      let stop = false;
      const spin = () => {
        turns++;
        if (!stop) setImmediate(spin);
      };
      setImmediate(spin);
      await hashPassword(PW, { argon2: { memoryCost: b === '@noble/hashes' ? 8192 : 65536, iterations: 2 } });
      stop = true;
      configurePasswordHashing({ argon2Backend: 'auto' });
      assert.ok(turns > 5, `only ${turns} turns of the event loop`);
    });
  }
});

describe('concurrency limit', () => {
  test('defaults to the number of CPUs, at most UV_THREADPOOL_SIZE - 1; configurable; reported', () => {
    const pool = Number(process.env.UV_THREADPOOL_SIZE) || 4;
    assert.equal(initial.concurrency, Math.max(1, Math.min(availableParallelism(), pool - 1)));
    const index = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
    const script = `const c = await import(${JSON.stringify(index)}); console.log(c.configurePasswordHashing().concurrency);`;
    for (const [size, want] of [
      ['2', 1],
      ['64', availableParallelism()],
      ['not a number', Math.min(availableParallelism(), 3)],
    ] as const) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        encoding: 'utf8',
        env: { ...process.env, UV_THREADPOOL_SIZE: size },
      });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(Number(r.stdout.trim()), want, `UV_THREADPOOL_SIZE=${size}`);
    }
    const s = configurePasswordHashing({ concurrency: 3 });
    assert.equal(s.concurrency, 3);
    assert.equal(
      configurePasswordHashing({ concurrency: initial.concurrency }).concurrency,
      initial.concurrency,
    );
    assert.throws(() => configurePasswordHashing({ concurrency: 0 }), RangeError);
    assert.throws(() => configurePasswordHashing({ concurrency: 1025 }), RangeError);
    assert.throws(() => configurePasswordHashing({ concurrency: '2' as never }), TypeError);
  });

  test('a burst waits its turn: never more than the limit at once', async () => {
    configurePasswordHashing({ concurrency: 2 });
    let peak = 0;
    let sawWaiting = 0;
    const watch = setInterval(() => {
      const s = configurePasswordHashing();
      peak = Math.max(peak, s.active);
      sawWaiting = Math.max(sawWaiting, s.waiting);
    }, 1);
    const policy = { argon2: { memoryCost: 8192, iterations: 1 } };
    const all = await Promise.all(Array.from({ length: 12 }, (_, i) => hashPassword(`pw${i}`, policy)));
    clearInterval(watch);
    configurePasswordHashing({ concurrency: initial.concurrency });
    assert.equal(all.length, 12);
    assert.ok(peak <= 2, `peak ${peak}`);
    assert.ok(sawWaiting > 0, 'nothing ever waited');
    const s = configurePasswordHashing();
    assert.equal(s.active, 0);
    assert.equal(s.waiting, 0);
  });

  test('Limiter: first come first served, limit changes apply to waiters, failures free their slot', async () => {
    const limiter = new Limiter(1);
    const order: number[] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => {
      open = r;
    });
    const tasks = [0, 1, 2, 3, 4].map((i) =>
      limiter.run(async () => {
        order.push(i);
        await gate;
        if (i === 2) throw new Error('task failed');
      }),
    );
    const failed = assert.rejects(tasks[2]!, /task failed/);
    const tick = () => new Promise((r) => setImmediate(r));
    await tick();
    assert.deepEqual(order, [0]);
    assert.deepEqual([limiter.active, limiter.waiting], [1, 4]);
    limiter.limit = 3; // two more start at once, in arrival order
    await tick();
    assert.deepEqual(order, [0, 1, 2]);
    assert.deepEqual([limiter.active, limiter.waiting], [3, 2]);
    limiter.limit = 1; // running tasks finish; the waiters then go one at a time
    open();
    await failed;
    await Promise.all([tasks[0], tasks[1], tasks[3], tasks[4]]);
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
    assert.deepEqual([limiter.active, limiter.waiting], [0, 0]);
  });

  test('Limiter: a long queue drains in order', async () => {
    const limiter = new Limiter(3);
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 5000 }, (_, i) =>
        limiter.run(async () => {
          seen.push(i);
        }),
      ),
    );
    assert.deepEqual(
      seen,
      Array.from({ length: 5000 }, (_, i) => i),
    );
  });
});

describe('policy options', () => {
  const cases: Array<[string, PasswordPolicy, typeof TypeError | typeof RangeError]> = [
    ['unknown algorithm', { algorithm: 'bcrypt' as never }, TypeError],
    ['memoryCost below 8 · lanes', { argon2: { memoryCost: 15, lanes: 2 } }, RangeError],
    ['memoryCost above 1 GiB', { argon2: { memoryCost: 2 ** 20 + 1 } }, RangeError],
    [
      'memoryCost · iterations above 4 GiB-passes',
      { argon2: { memoryCost: 2 ** 20, iterations: 5 } },
      RangeError,
    ],
    ['iterations 0', { argon2: { iterations: 0 } }, RangeError],
    ['lanes 17', { argon2: { lanes: 17 } }, RangeError],
    ['scrypt n not a power of 2', { scrypt: { n: 1000 } }, RangeError],
    ['scrypt n = 2^21', { scrypt: { n: 2 ** 21 } }, RangeError],
    ['scrypt n ≥ 2^(16 r)', { scrypt: { n: 2 ** 16, r: 1 } }, RangeError],
    ['scrypt over 1 GiB', { scrypt: { n: 2 ** 20, r: 9 } }, RangeError],
    ['pbkdf2 iterations 0', { pbkdf2: { iterations: 0 } }, RangeError],
    ['pbkdf2 iterations 10^7 + 1', { pbkdf2: { iterations: 10_000_001 } }, RangeError],
    ['argon2 not an object', { argon2: 5 as never }, TypeError],
    ['pepper not a key', { pepper: new Uint8Array(32) as never }, TypeError],
  ];
  for (const [name, policy, cls] of cases) {
    test(`${name}: ${cls.name}, as a rejection`, async () => {
      const p = hashPassword(PW, policy);
      assert.ok(p instanceof Promise);
      await rejectsWith(p, cls);
    });
  }

  test('the largest accepted costs write strings that read back', async () => {
    const h = await hashPassword(PW, { algorithm: 'pbkdf2-sha256', pbkdf2: { iterations: 1 } });
    await verifyPassword(PW, h);
    // Parameters at the ceilings are accepted (not run here: 1 GiB).
    assert.equal(needsRehash(h.replace('$1$', '$10000000$'), { algorithm: 'pbkdf2-sha256' }), false);
  });
});
