// Keyring audit events: one structured event per seal, failed open, reseal and key-management call, to a
// function or a pino-shaped logger. Events name keys and context fields, never plaintexts, context
// values, key bytes or tokens. Successful opens are silent; a sink that throws breaks nothing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidToken, KeyDisabled, KeyNotFound, KeyringError } from '../../src/errors.ts';
import { exportKeyringCleartext } from '../../src/hazmat/insecure-export.ts';
import { type AuditEvent, Keyring, type KeyringOptions } from '../../src/recipes/keyring.ts';

function recorder(options: KeyringOptions & { label?: string } = {}): {
  keyring: Keyring;
  events: AuditEvent[];
} {
  const events: AuditEvent[] = [];
  const keyring = Keyring.generate({ ...options, audit: (e) => events.push(e) });
  return { keyring, events };
}

/** Takes the events recorded since the last call. */
function drain(events: AuditEvent[]): AuditEvent[] {
  return events.splice(0, events.length);
}

function only(events: AuditEvent[]): AuditEvent {
  const got = drain(events);
  assert.equal(got.length, 1, `expected one event, got ${JSON.stringify(got)}`);
  const e = got[0]!;
  assert.equal(e.event, 'coffer.keyring');
  assert.equal(typeof e.durationMs, 'number');
  assert.ok(Number.isFinite(e.durationMs) && e.durationMs >= 0, `durationMs ${e.durationMs}`);
  return e;
}

/** The event without its timing, for deepEqual. */
function shape(e: AuditEvent): Omit<AuditEvent, 'durationMs'> {
  const { durationMs: _, ...rest } = e;
  return rest;
}

const context = { table: 'users', column: 'recovery', id: '987654321-secret' };

describe('one event per operation', () => {
  test('seal and sealToBytes', () => {
    const { keyring, events } = recorder();
    keyring.seal('x', { context });
    assert.deepEqual(shape(only(events)), {
      event: 'coffer.keyring',
      operation: 'seal',
      keyId: keyring.primaryKeyId,
      contextFields: ['table', 'column', 'id'],
      outcome: 'success',
    });
    keyring.sealToBytes('x', { context: {} });
    assert.deepEqual(shape(only(events)), {
      event: 'coffer.keyring',
      operation: 'seal',
      keyId: keyring.primaryKeyId,
      contextFields: [],
      outcome: 'success',
    });
  });

  test('successful opens emit nothing', () => {
    const { keyring, events } = recorder();
    const text = keyring.seal('x', { context });
    const bin = keyring.sealToBytes('x', { context });
    drain(events);
    keyring.open(text, { context });
    keyring.open(bin, { context });
    keyring.openText(text, { context });
    keyring.keyIdOf(text);
    keyring.list();
    assert.deepEqual(events, []);
  });

  test('failed open: InvalidToken (wrong context, tampering, garbage)', () => {
    const { keyring, events } = recorder();
    const token = keyring.seal('x', { context });
    drain(events);
    assert.throws(() => keyring.open(token, { context: { ...context, id: '1' } }), InvalidToken);
    assert.deepEqual(shape(only(events)), {
      event: 'coffer.keyring',
      operation: 'open',
      keyId: keyring.primaryKeyId,
      contextFields: ['table', 'column', 'id'],
      outcome: 'failure',
      error: 'ERR_INVALID_TOKEN',
    });
    // Garbage names no key: the event has no keyId.
    assert.throws(() => keyring.openText('garbage!', { context: {} }), InvalidToken);
    assert.deepEqual(shape(only(events)), {
      event: 'coffer.keyring',
      operation: 'open',
      contextFields: [],
      outcome: 'failure',
      error: 'ERR_INVALID_TOKEN',
    });
  });

  test('failed open: KeyNotFound', () => {
    const { keyring, events } = recorder();
    const other = Keyring.generate();
    const token = other.seal('x', { context });
    assert.throws(() => keyring.open(token, { context }), KeyNotFound);
    assert.deepEqual(shape(only(events)), {
      event: 'coffer.keyring',
      operation: 'open',
      keyId: other.primaryKeyId,
      contextFields: ['table', 'column', 'id'],
      outcome: 'failure',
      error: 'ERR_KEY_NOT_FOUND',
    });
  });

  test('failed open: KeyDisabled (disabled and retired)', () => {
    const { keyring, events } = recorder();
    const A = keyring.primaryKeyId;
    const token = keyring.seal('x', { context });
    keyring.rotate();
    keyring.disable(A);
    drain(events);
    for (const change of [() => {}, () => keyring.retire(A)]) {
      change();
      drain(events);
      assert.throws(() => keyring.openText(token, { context }), KeyDisabled);
      assert.deepEqual(shape(only(events)), {
        event: 'coffer.keyring',
        operation: 'open',
        keyId: A,
        contextFields: ['table', 'column', 'id'],
        outcome: 'failure',
        error: 'ERR_KEY_DISABLED',
      });
    }
  });

  test('failed open: a programmer error is recorded as ERR_TYPE', () => {
    const { keyring, events } = recorder();
    assert.throws(() => keyring.open(42 as never, { context }), TypeError);
    assert.deepEqual(shape(only(events)), {
      event: 'coffer.keyring',
      operation: 'open',
      contextFields: ['table', 'column', 'id'],
      outcome: 'failure',
      error: 'ERR_TYPE',
    });
    assert.throws(() => keyring.open('x', { context: { a: 'x'.repeat(70_000) } }), RangeError);
    assert.equal(only(events).error, 'ERR_RANGE');
  });

  test('reseal: the new key and the previous one; a no-op reseal is silent; failures are recorded', () => {
    const { keyring, events } = recorder();
    const A = keyring.primaryKeyId;
    const token = keyring.seal('x', { context });
    keyring.rotate();
    const B = keyring.primaryKeyId;
    drain(events);
    const fresh = keyring.reseal(token, { context });
    assert.deepEqual(shape(only(events)), {
      event: 'coffer.keyring',
      operation: 'reseal',
      keyId: B,
      previousKeyId: A,
      contextFields: ['table', 'column', 'id'],
      outcome: 'success',
    });
    // Already under the primary: returned as is, nothing to record.
    assert.equal(keyring.reseal(fresh, { context }), fresh);
    assert.deepEqual(drain(events), []);
    assert.throws(() => keyring.reseal(token, { context: {} }), InvalidToken);
    assert.deepEqual(shape(only(events)), {
      event: 'coffer.keyring',
      operation: 'reseal',
      keyId: A,
      contextFields: [],
      outcome: 'failure',
      error: 'ERR_INVALID_TOKEN',
    });
  });

  test('add and rotate', () => {
    const { keyring, events } = recorder();
    const A = keyring.primaryKeyId;
    assert.deepEqual(events, [], 'generate emits nothing');
    const added = keyring.add({ label: 'spare' });
    assert.deepEqual(shape(only(events)), {
      event: 'coffer.keyring',
      operation: 'add',
      keyId: added.id,
      outcome: 'success',
    });
    const rotated = keyring.rotate({ label: 'next' });
    assert.deepEqual(shape(only(events)), {
      event: 'coffer.keyring',
      operation: 'rotate',
      keyId: rotated.id,
      previousKeyId: A,
      outcome: 'success',
    });
  });

  test('promote names the key before', () => {
    const { keyring, events } = recorder();
    const A = keyring.primaryKeyId;
    const B = keyring.add().id;
    drain(events);
    keyring.promote(B);
    assert.deepEqual(shape(only(events)), {
      event: 'coffer.keyring',
      operation: 'promote',
      keyId: B,
      previousKeyId: A,
      outcome: 'success',
    });
    keyring.promote(B);
    assert.deepEqual(shape(only(events)), {
      event: 'coffer.keyring',
      operation: 'promote',
      keyId: B,
      outcome: 'success',
    });
  });

  test('disable, enable, retire, remove', () => {
    const { keyring, events } = recorder();
    const id = keyring.add().id;
    drain(events);
    for (const operation of ['disable', 'enable', 'retire', 'remove'] as const) {
      keyring[operation](id);
      assert.deepEqual(shape(only(events)), {
        event: 'coffer.keyring',
        operation,
        keyId: id,
        outcome: 'success',
      });
    }
  });

  test('failed management calls are recorded with their error code', () => {
    const { keyring, events } = recorder();
    const P = keyring.primaryKeyId;
    const absent = P === '0badf00d' ? '0badf00e' : '0badf00d';
    for (const operation of ['disable', 'retire', 'remove'] as const) {
      assert.throws(() => keyring[operation](P), KeyringError);
      assert.deepEqual(shape(only(events)), {
        event: 'coffer.keyring',
        operation,
        keyId: P,
        outcome: 'failure',
        error: 'ERR_KEYRING',
      });
    }
    for (const operation of ['promote', 'disable', 'enable', 'retire', 'remove'] as const) {
      assert.throws(() => keyring[operation](absent), KeyNotFound);
      assert.deepEqual(shape(only(events)), {
        event: 'coffer.keyring',
        operation,
        outcome: 'failure',
        error: 'ERR_KEY_NOT_FOUND',
      });
      assert.throws(() => keyring[operation](42 as never), TypeError);
      assert.equal(only(events).error, 'ERR_TYPE');
    }
  });

  test('every event has a numeric durationMs >= 0', () => {
    const { keyring, events } = recorder();
    const t = keyring.seal('x', { context });
    keyring.rotate();
    keyring.reseal(t, { context });
    assert.throws(() => keyring.open(t, { context: {} }));
    keyring.add();
    assert.equal(events.length, 5);
    for (const e of events) assert.ok(typeof e.durationMs === 'number' && e.durationMs >= 0);
  });
});

describe('sinks', () => {
  test('a pino-shaped logger gets info for successes and warn for failures', () => {
    const calls: { level: 'info' | 'warn'; obj: AuditEvent; msg: string | undefined }[] = [];
    const logger = {
      info: (obj: object, msg?: string) => calls.push({ level: 'info', obj: obj as AuditEvent, msg }),
      warn: (obj: object, msg?: string) => calls.push({ level: 'warn', obj: obj as AuditEvent, msg }),
    };
    const keyring = Keyring.generate({ audit: logger });
    const token = keyring.seal('x', { context });
    keyring.open(token, { context });
    assert.throws(() => keyring.open(token, { context: {} }), InvalidToken);
    keyring.rotate();
    assert.throws(() => keyring.disable(keyring.primaryKeyId), KeyringError);
    assert.deepEqual(
      calls.map((c) => [c.level, c.obj.operation, c.obj.outcome]),
      [
        ['info', 'seal', 'success'],
        ['warn', 'open', 'failure'],
        ['info', 'rotate', 'success'],
        ['warn', 'disable', 'failure'],
      ],
    );
    for (const c of calls) {
      assert.equal(typeof c.msg, 'string');
      assert.equal(c.obj.event, 'coffer.keyring');
      assert.ok(c.obj.durationMs >= 0);
    }
  });

  test('a throwing sink breaks nothing', () => {
    for (const audit of [
      () => {
        throw new Error('sink down');
      },
      {
        info: () => {
          throw new Error('info down');
        },
        warn: () => {
          throw new Error('warn down');
        },
      },
    ]) {
      const keyring = Keyring.generate({ audit });
      const token = keyring.seal('still works', { context });
      assert.equal(keyring.openText(token, { context }), 'still works');
      // A failure still raises its own error, not the sink's.
      assert.throws(() => keyring.open(token, { context: {} }), InvalidToken);
      keyring.rotate();
      const fresh = keyring.reseal(token, { context });
      assert.equal(keyring.openText(fresh, { context }), 'still works');
      const id = keyring.add().id;
      keyring.promote(id);
      assert.equal(keyring.primaryKeyId, id);
      assert.throws(() => keyring.remove(id), KeyringError);
    }
  });

  test('a keyring loaded from a file audits too', async () => {
    const kek = new Uint8Array(32).fill(9);
    const text = await Keyring.generate().save({ kek });
    const events: AuditEvent[] = [];
    const keyring = await Keyring.load(text, { kek }, { audit: (e) => events.push(e) });
    keyring.seal('x', { context });
    assert.equal(only(events).operation, 'seal');
  });
});

describe('no secrets in events', () => {
  test('plaintexts, context values, key bytes and tokens never appear', () => {
    const events: AuditEvent[] = [];
    const logged: unknown[] = [];
    const keyring = Keyring.generate({ label: 'audited', audit: (e) => events.push(e) });
    const pino = Keyring.generate({
      audit: { info: (o: object) => logged.push(o), warn: (o: object) => logged.push(o) },
    });
    const plaintexts = ['SECRET-PLAINTEXT-12345', 'ünïcode-SECRET-ÿ-🔐', 'x'];
    const values = ['987654321-secret', 'tenant-SECRET-77', 'SECRET-column'];
    const ctx = { id: values[0]!, tenant: values[1]!, column: values[2]! };
    const wrongCtx = { id: 'SECRET-wrong-row-31337', tenant: values[1]!, column: values[2]! };
    const tokens: (string | Uint8Array)[] = [];
    for (const k of [keyring, pino]) {
      for (const pt of plaintexts) {
        tokens.push(k.seal(pt, { context: ctx }), k.sealToBytes(pt, { context: ctx }));
        tokens.push(k.sealToBytes(Buffer.from(pt), { context: ctx }));
      }
      const first = tokens.at(-1)!;
      assert.throws(() => k.open(first, { context: wrongCtx }), InvalidToken);
      assert.throws(() => k.open(`${tokens.at(-3)}A`, { context: ctx }), InvalidToken);
      k.rotate();
      tokens.push(k.reseal(first, { context: ctx }), k.reseal(tokens.at(-4)!, { context: ctx }));
      assert.throws(() => k.reseal(first, { context: wrongCtx }), InvalidToken);
      const old = k.list()[1]!.id;
      k.disable(old);
      assert.throws(() => k.open(first, { context: ctx }), KeyDisabled);
      k.add({ label: 'spare' });
    }
    assert.ok(events.length >= 10);
    assert.ok(logged.length >= 10);
    const dump = JSON.stringify([events, logged]);
    const forbidden: string[] = [...plaintexts.filter((p) => p.length > 1), ...values, wrongCtx.id];
    for (const k of [keyring, pino]) {
      const secrets = (JSON.parse(exportKeyringCleartext(k)) as { secrets: Record<string, string> }).secrets;
      for (const b64url of Object.values(secrets)) {
        const raw = Buffer.from(b64url, 'base64url');
        forbidden.push(b64url, raw.toString('base64'), raw.toString('hex'));
      }
    }
    for (const t of tokens) {
      const b = typeof t === 'string' ? Buffer.from(t, 'base64url') : Buffer.from(t);
      forbidden.push(b.toString('base64url'), b.toString('hex'), b.toString('base64'));
      // Any recognisable piece of a token: its commitment and its ciphertext.
      forbidden.push(
        b.subarray(29, 61).toString('base64url').slice(0, 20),
        b.subarray(29, 61).toString('hex'),
      );
    }
    for (const s of forbidden) assert.ok(!dump.includes(s), `an audit event contains ${JSON.stringify(s)}`);
    assert.ok(!/SECRET/.test(dump), 'no SECRET-marked value anywhere');
    // The context field names are there; the values are not.
    assert.ok(dump.includes('"contextFields":["id","tenant","column"]'));
  });
});

describe('failed seals', () => {
  test('each failed seal or sealToBytes emits one failure event with its error code', () => {
    const { keyring, events } = recorder();
    drain(events);
    const cases: Array<[() => unknown, Omit<AuditEvent, 'event' | 'durationMs' | 'outcome' | 'operation'>]> =
      [
        // All refused while the arguments are read: no key was used and no context was read whole.
        [() => keyring.seal(42 as never, { context }), { error: 'ERR_TYPE' }],
        [() => keyring.sealToBytes(null as never, { context }), { error: 'ERR_TYPE' }],
        [() => keyring.seal('x', undefined as never), { error: 'ERR_TYPE' }],
        [() => keyring.seal('x', { context: new Map() as never }), { error: 'ERR_TYPE' }],
        [() => keyring.seal('x', { context: { id: 42 as never } }), { error: 'ERR_TYPE' }],
        [() => keyring.seal('x', { context: { a: 'x'.repeat(70_000) } }), { error: 'ERR_RANGE' }],
      ];
    for (const [call, expected] of cases) {
      assert.throws(call);
      assert.deepEqual(shape(only(events)), {
        event: 'coffer.keyring',
        operation: 'seal',
        outcome: 'failure',
        ...expected,
      });
    }
  });

  test('no event names a key for a seal that never used one; the values stay out', () => {
    const { keyring, events } = recorder();
    drain(events);
    assert.throws(
      () => keyring.seal('secret plaintext', { context: { id: 'x', bad: 1 as never } }),
      TypeError,
    );
    const e = only(events);
    assert.equal(e.keyId, undefined);
    assert.equal(e.contextFields, undefined);
    assert.ok(!JSON.stringify(e).includes('secret plaintext'));
  });

  test('a pino-shaped logger gets warn for a failed seal; a throwing sink leaves the error as it was', () => {
    const warned: object[] = [];
    const keyring = Keyring.generate({ audit: { info: () => {}, warn: (obj) => warned.push(obj) } });
    assert.throws(() => keyring.seal('x', { context: null as never }), TypeError);
    assert.equal(warned.length, 1);
    assert.equal((warned[0] as AuditEvent).operation, 'seal');
    const throwing = Keyring.generate({
      audit: () => {
        throw new Error('sink down');
      },
    });
    assert.throws(() => throwing.seal(42 as never, { context }), {
      name: 'TypeError',
      message: /"plaintext"/,
    });
    assert.equal(typeof throwing.seal('x', { context }), 'string');
  });

  test('without a sink a failed seal throws the same error and nothing else changes', () => {
    const keyring = Keyring.generate();
    assert.throws(() => keyring.seal('x', { context: { id: 42 as never } }), {
      name: 'TypeError',
      message: '"options.context.id" must be a string, got number',
    });
    assert.equal(keyring.openText(keyring.seal('x', { context }), { context }), 'x');
  });
});
