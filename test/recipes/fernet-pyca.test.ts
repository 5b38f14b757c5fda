// Live interop with pyca's cryptography.fernet, both ways, one python process per direction (every case
// batched into one JSON request): tokens made by coffer open in pyca and the other way round, with and
// without a ttl, across random keys and data lengths 0..~3000 (every block boundary up to 48 and around
// the larger ones); MultiFernet.rotate output from either side opens in both; extract_timestamp agrees;
// the ttl/clock-skew boundaries agree. The last test records which token spellings pyca tolerates that
// coffer refuses (coffer accepts only the canonical text).
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { describe, test } from 'node:test';
import { Fernet, InvalidToken, MultiFernet } from '../../src/index.ts';
import { pycaSkip, runPython } from '../helpers/python.ts';
import { toHex } from '../helpers/vectors.ts';

const skip = pycaSkip();

const LENGTHS = [
  ...Array.from({ length: 49 }, (_, i) => i),
  63,
  64,
  65,
  127,
  128,
  129,
  255,
  256,
  257,
  1023,
  1024,
  1025,
  2047,
  2048,
  2049,
  3071,
  3072,
  3073,
  ...Array.from({ length: 24 }, () => randomInt(0, 3100)),
];

/** Random timestamps: some fixed edges, the rest anywhere a safe integer reaches. */
function randomTime(i: number): number | null {
  if (i % 3 === 0) return null; // encrypt(): now
  const edges = [0, 1, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER - 100];
  return i < 3 * edges.length ? edges[Math.floor(i / 3) % edges.length]! : randomInt(0, 2 ** 47);
}

// ---------------------------------------------------------------------------------------------------------
// coffer -> pyca

interface ToPycaCase {
  key: string;
  token: string;
  at: number | null;
  newKey: string;
  otherKey: string;
  cofferRotated: string;
}
interface ToPycaResult {
  plain: string;
  plainFromBytes: string;
  plainWithTtl: string;
  plainMulti: string;
  ts: number;
  rotated: string;
  cofferRotated: string;
  cofferRotatedTs: number;
}

const PY_OPEN = `
import json, sys
from cryptography.fernet import Fernet, MultiFernet, InvalidToken

req = json.load(sys.stdin)
out = {"cases": [], "boundaries": [], "variants": []}
for c in req["cases"]:
    f = Fernet(c["key"])
    new = Fernet(c["newKey"])
    token = c["token"]
    r = {
        "plain": f.decrypt(token).hex(),
        "plainFromBytes": f.decrypt(token.encode()).hex(),
        "ts": f.extract_timestamp(token),
        "plainMulti": MultiFernet([Fernet(c["otherKey"]), f]).decrypt(token).hex(),
    }
    if c["at"] is None:
        r["plainWithTtl"] = f.decrypt(token, ttl=3600).hex()
    else:
        r["plainWithTtl"] = f.decrypt_at_time(token, 60, c["at"] + 30).hex()
    # pyca rotates coffer's token; coffer checks the result.
    r["rotated"] = MultiFernet([new, f]).rotate(token).decode()
    # coffer rotated its own token to newKey; pyca checks it.
    r["cofferRotated"] = new.decrypt(c["cofferRotated"]).hex()
    r["cofferRotatedTs"] = new.extract_timestamp(c["cofferRotated"])
    out["cases"].append(r)
for b in req["boundaries"]:
    try:
        Fernet(b["key"]).decrypt_at_time(b["token"], b["ttl"], b["at"])
        out["boundaries"].append(True)
    except InvalidToken:
        out["boundaries"].append(False)
for v in req["variants"]:
    try:
        Fernet(v["key"]).decrypt(v["token"])
        out["variants"].append("accepted")
    except InvalidToken:
        out["variants"].append("InvalidToken")
    except Exception as e:
        out["variants"].append(type(e).__name__)
print(json.dumps(out))
`;

describe('coffer tokens open in pyca', { skip }, () => {
  const cases: ToPycaCase[] = [];
  const data: Uint8Array[] = [];
  const makers: Fernet[] = [];
  LENGTHS.forEach((n, i) => {
    const keyBytes = randomBytes(32);
    const key = `${keyBytes.toString('base64url')}=`;
    // Alternate the key forms coffer takes; pyca always gets the text.
    const f = i % 2 === 0 ? new Fernet(key) : new Fernet(new Uint8Array(keyBytes));
    const newKey = Fernet.generateKey();
    const at = randomTime(i);
    const plain = new Uint8Array(randomBytes(n));
    const token = at === null ? f.encrypt(plain) : f.encryptAtTime(plain, at);
    const cofferRotated = new MultiFernet([new Fernet(newKey), f]).rotate(token);
    cases.push({ key, token, at, newKey, otherKey: Fernet.generateKey(), cofferRotated });
    data.push(plain);
    makers.push(f);
  });

  // ttl and clock-skew boundaries, asked of both sides.
  const bKey = Fernet.generateKey();
  const bf = new Fernet(bKey);
  const T = 1_000_000_000;
  const bToken = bf.encryptAtTime('boundary', T);
  const boundaries = [
    { ttl: 10, at: T + 10 },
    { ttl: 10, at: T + 11 },
    { ttl: 0, at: T },
    { ttl: 0, at: T + 1 },
    { ttl: 10, at: T - 60 },
    { ttl: 10, at: T - 61 },
    { ttl: 1_000_000, at: T - 59 },
    { ttl: 10 ** 12, at: 10 ** 12 },
  ].map((b) => ({ key: bKey, token: bToken, ...b }));

  // Spellings of one token that coffer refuses: what does pyca make of them?
  const vToken = bf.encryptAtTime(new Uint8Array(20), T);
  const spellings: [string, string][] = [
    ['trailing newline', `${vToken}\n`],
    ['leading space', ` ${vToken}`],
    ['space inside', `${vToken.slice(0, 10)} ${vToken.slice(10)}`],
    ['+ and / alphabet', vToken.replace(/-/g, '+').replace(/_/g, '/')],
    ['extra padding', `${vToken}==`],
    ['data after padding', `${vToken}AAAA`],
    ['padding removed', vToken.replace(/=+$/, '')],
    ['stray %', `${vToken.slice(0, 10)}%${vToken.slice(10)}`],
    ['non-ASCII é', `${vToken.slice(0, 10)}é${vToken.slice(10)}`],
  ];
  const variants = spellings.map(([, token]) => ({ key: bKey, token }));

  type Result = { cases: ToPycaResult[]; boundaries: boolean[]; variants: string[] };
  let result: Result | undefined;
  const py = (): Result => {
    result ??= runPython<Result>(PY_OPEN, { cases, boundaries, variants });
    return result;
  };

  test(`${cases.length} tokens (lengths 0..${Math.max(...LENGTHS)}, random keys and times) decrypt in pyca`, () => {
    const out = py().cases;
    assert.equal(out.length, cases.length);
    out.forEach((r, i) => {
      const expected = toHex(data[i]!);
      const what = `case ${i} (${data[i]!.length} bytes)`;
      assert.equal(r.plain, expected, what);
      assert.equal(r.plainFromBytes, expected, what);
      assert.equal(r.plainWithTtl, expected, what);
      assert.equal(r.plainMulti, expected, what);
      assert.equal(r.ts, makers[i]!.extractTimestamp(cases[i]!.token), what);
      const at = cases[i]!.at;
      if (at !== null) assert.equal(r.ts, at, what);
    });
  });

  test('MultiFernet.rotate: pyca opens coffer rotations, coffer opens pyca rotations, timestamps kept', () => {
    py().cases.forEach((r, i) => {
      const c = cases[i]!;
      const newer = new Fernet(c.newKey);
      const ts = makers[i]!.extractTimestamp(c.token);
      assert.equal(r.cofferRotated, toHex(data[i]!));
      assert.equal(r.cofferRotatedTs, ts);
      assert.deepEqual(newer.decrypt(r.rotated), data[i]);
      assert.equal(newer.extractTimestamp(r.rotated), ts);
      assert.throws(() => makers[i]!.decrypt(r.rotated), InvalidToken);
    });
  });

  test('ttl and clock-skew boundaries: same verdicts', () => {
    const verdicts = boundaries.map((b) => {
      try {
        bf.decryptAtTime(b.token, b.ttl, b.at);
        return true;
      } catch (err) {
        assert.ok(err instanceof InvalidToken);
        return false;
      }
    });
    assert.deepEqual(verdicts, py().boundaries);
    assert.deepEqual(verdicts, [true, false, true, false, true, false, true, true]);
  });

  test('lenient spellings: coffer refuses each; whatever pyca refuses, coffer refuses', (t) => {
    const pyca = py().variants;
    spellings.forEach(([what, token], i) => {
      assert.throws(() => bf.decrypt(token), InvalidToken, what);
      t.diagnostic(`${what}: pyca ${pyca[i]}, coffer InvalidToken`);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// pyca -> coffer

interface FromPycaToken {
  key: string;
  newKey: string;
  data: string;
  token: string;
  at: number | null;
  ts: number;
  rotated: string;
  rotatedTs: number;
}

const PY_SEAL = `
import json, os, sys
from cryptography.fernet import Fernet, MultiFernet

req = json.load(sys.stdin)
out = []
for spec in req:
    key = Fernet.generate_key()
    new_key = Fernet.generate_key()
    f = Fernet(key)
    data = os.urandom(spec["length"])
    token = f.encrypt(data) if spec["at"] is None else f.encrypt_at_time(data, spec["at"])
    rotated = MultiFernet([Fernet(new_key), f]).rotate(token)
    out.append({
        "key": key.decode(),
        "newKey": new_key.decode(),
        "data": data.hex(),
        "token": token.decode(),
        "at": spec["at"],
        "ts": f.extract_timestamp(token),
        "rotated": rotated.decode(),
        "rotatedTs": Fernet(new_key).extract_timestamp(rotated),
    })
print(json.dumps(out))
`;

describe('pyca tokens open in coffer', { skip }, () => {
  const specs = LENGTHS.map((length, i) => ({ length, at: randomTime(i) }));
  let tokens: FromPycaToken[] | undefined;
  const py = () => {
    tokens ??= runPython<FromPycaToken[]>(PY_SEAL, specs);
    return tokens;
  };

  test(`${specs.length} pyca tokens decrypt in coffer, with and without ttl, as text and bytes`, () => {
    const made = py();
    assert.equal(made.length, specs.length);
    for (const [i, p] of made.entries()) {
      const f = new Fernet(p.key);
      const g = new Fernet(new Uint8Array(Buffer.from(p.key, 'base64url')));
      const what = `case ${i} (${specs[i]!.length} bytes)`;
      assert.equal(toHex(f.decrypt(p.token)), p.data, what);
      assert.equal(toHex(g.decrypt(new TextEncoder().encode(p.token))), p.data, what);
      if (p.at === null) assert.equal(toHex(f.decrypt(p.token, 3600)), p.data, what);
      else assert.equal(toHex(f.decryptAtTime(p.token, 60, p.at + 30)), p.data, what);
      assert.equal(f.extractTimestamp(p.token), p.ts, what);
      if (p.at !== null) assert.equal(p.ts, p.at, what);
      const mf = new MultiFernet([new Fernet(Fernet.generateKey()), f]);
      assert.equal(toHex(mf.decrypt(p.token)), p.data, what);
      assert.throws(() => new Fernet(Fernet.generateKey()).decrypt(p.token), InvalidToken, what);
    }
  });

  test('pyca rotations open in coffer with the new key, timestamps kept; coffer re-rotates them', () => {
    for (const p of py()) {
      const newer = new Fernet(p.newKey);
      assert.equal(toHex(newer.decrypt(p.rotated)), p.data);
      assert.equal(newer.extractTimestamp(p.rotated), p.ts);
      assert.equal(p.rotatedTs, p.ts);
      const again = new MultiFernet([new Fernet(p.key), newer]).rotate(p.rotated);
      assert.equal(new Fernet(p.key).extractTimestamp(again), p.ts);
      assert.equal(toHex(new Fernet(p.key).decrypt(again)), p.data);
    }
  });
});
