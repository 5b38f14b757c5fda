// An independent implementation of docs/sealed-token.md in Python with pyca/cryptography, written from the
// document alone (not from coffer's source), checked against coffer both ways: it opens every valid vector
// and live coffer tokens, coffer opens what it seals, and it rejects the invalid vectors. One python
// process per direction: every case is batched into one JSON request.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { exportKeyringCleartext, importKeyringCleartext } from '../../src/hazmat/insecure-export.ts';
import { Keyring } from '../../src/recipes/keyring.ts';
import { pycaSkip, runPython } from '../helpers/python.ts';
import { hex, loadOwnJson, toHex } from '../helpers/vectors.ts';

const skip = pycaSkip();

// docs/sealed-token.md, version 1. Input: {"ops": [...]}; output: one result per op.
//   {"op": "open", "key", "keyId", "token" (hex) | "text", "context"} -> {"ok": plaintext hex} | {"error": name}
//   {"op": "seal", "key", "keyId", "nonce"?, "plaintext", "context"} -> {"token": hex, "text": base64url}
// "key"/"plaintext"/"nonce" are hex; "keyId" is 8 hex digits.
const PY = `
import base64, hmac, json, os, re, struct, sys
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hmac import HMAC
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand

LABEL = b"coffer/v1/sealed-token"
VERSION = 0x01
HEADER = 1 + 4 + 24
OVERHEAD = HEADER + 32 + 16
MAX_CONTEXT = 64 * 1024

class InvalidToken(Exception): pass
class KeyNotFound(Exception): pass

def prk_of(key):
    # HKDF-Extract(salt, IKM) = HMAC-Hash(salt, IKM)  (RFC 5869 2.2)
    h = HMAC(LABEL, hashes.SHA512())
    h.update(key)
    return h.finalize()

def okm_of(prk, header):
    # HKDF-Expand-SHA512(PRK, info = LABEL || header, L = 64), through pyca's HKDFExpand
    return HKDFExpand(hashes.SHA512(), 64, LABEL + header).derive(prk)

def u32(n):
    return struct.pack(">I", n)

def encode_context(ctx):
    items = sorted((k.encode("utf-8"), v.encode("utf-8")) for k, v in ctx.items())
    out = u32(len(items))
    for k, v in items:
        out += u32(len(k)) + k + u32(len(v)) + v
    if len(out) > MAX_CONTEXT:
        raise ValueError("context too large")
    return out

B64URL = re.compile(r"^[A-Za-z0-9_-]*$")

def b64url_decode(text):
    # RFC 4648 5, unpadded: no "=", nothing outside the alphabet, no length = 1 mod 4, zero trailing bits
    if not B64URL.match(text) or len(text) % 4 == 1:
        raise InvalidToken()
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != text:
        raise InvalidToken()
    return raw

def seal(key, key_id, plaintext, ctx, nonce=None):
    n = os.urandom(24) if nonce is None else nonce
    assert len(n) == 24
    header = bytes([VERSION]) + u32(key_id) + n
    okm = okm_of(prk_of(key), header)
    ct_tag = AESGCM(okm[:32]).encrypt(n[12:24], plaintext, header + encode_context(ctx))
    return header + okm[32:64] + ct_tag

def open_token(keys, token, ctx):
    # keys: {key_id (int): key bytes}
    if isinstance(token, str):
        token = b64url_decode(token)
    if len(token) < OVERHEAD or token[0] != VERSION:
        raise InvalidToken()
    header = token[:HEADER]
    key_id = struct.unpack(">I", token[1:5])[0]
    if key_id not in keys:
        raise KeyNotFound()
    okm = okm_of(prk_of(keys[key_id]), header)
    if not hmac.compare_digest(okm[32:64], token[HEADER:HEADER + 32]):
        raise InvalidToken()
    try:
        return AESGCM(okm[:32]).decrypt(header[17:29], token[HEADER + 32:], header + encode_context(ctx))
    except InvalidTag:
        raise InvalidToken()

def run(op):
    ctx = op["context"]
    key = bytes.fromhex(op["key"])
    key_id = int(op["keyId"], 16)
    if op["op"] == "seal":
        nonce = bytes.fromhex(op["nonce"]) if "nonce" in op else None
        t = seal(key, key_id, bytes.fromhex(op["plaintext"]), ctx, nonce)
        return {"token": t.hex(), "text": base64.urlsafe_b64encode(t).rstrip(b"=").decode("ascii")}
    token = op["text"] if "text" in op else bytes.fromhex(op["token"])
    try:
        return {"ok": open_token({key_id: key}, token, ctx).hex()}
    except InvalidToken:
        return {"error": "InvalidToken"}
    except KeyNotFound:
        return {"error": "KeyNotFound"}

req = json.load(sys.stdin)
json.dump([run(op) for op in req["ops"]], sys.stdout)
`;

interface ValidVector {
  name: string;
  keyId: string;
  key: string;
  nonce: string;
  context: Record<string, string>;
  plaintext: string;
  token: string;
  text: string;
}
interface InvalidVector {
  name: string;
  token: string;
  context: Record<string, string>;
  keyring: 'A' | "A'" | 'B';
  error: 'InvalidToken' | 'KeyNotFound';
}
interface VectorFile {
  keys: Record<'A' | "A'" | 'B', { id: string; key: string }>;
  valid: ValidVector[];
  invalid: InvalidVector[];
}
type Op =
  | { op: 'open'; key: string; keyId: string; token?: string; text?: string; context: Record<string, string> }
  | {
      op: 'seal';
      key: string;
      keyId: string;
      nonce?: string;
      plaintext: string;
      context: Record<string, string>;
    };
type Result = { ok: string } | { error: string } | { token: string; text: string };

const file = loadOwnJson<VectorFile>('sealed-token.json');

/** The id and bytes of a keyring's primary key, through the cleartext export. */
function primaryKey(keyring: Keyring): { keyId: string; key: string } {
  const doc = JSON.parse(exportKeyringCleartext(keyring)) as { secrets: Record<string, string> };
  const id = keyring.primaryKeyId;
  return { keyId: id, key: toHex(new Uint8Array(Buffer.from(doc.secrets[id]!, 'base64url'))) };
}

// Contexts and plaintexts for live tokens: unicode (astral too), empty names and values, odd field order.
const contextArb = fc.dictionary(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 24 }),
  { maxKeys: 5 },
);
const plaintextArb = fc.uint8Array({ maxLength: 300 });

describe('pyca/cryptography implementation of docs/sealed-token.md', () => {
  test('opens every valid vector (binary and text) and reproduces its token from the nonce', { skip }, () => {
    const ops: Op[] = [];
    for (const v of file.valid) {
      const base = { key: v.key, keyId: v.keyId, context: v.context };
      ops.push({ op: 'open', ...base, token: v.token });
      ops.push({ op: 'open', ...base, text: v.text });
      ops.push({ op: 'seal', ...base, nonce: v.nonce, plaintext: v.plaintext });
    }
    const out = runPython<Result[]>(PY, { ops });
    file.valid.forEach((v, i) => {
      assert.deepEqual(out[3 * i], { ok: v.plaintext }, `${v.name} (binary)`);
      assert.deepEqual(out[3 * i + 1], { ok: v.plaintext }, `${v.name} (text)`);
      assert.deepEqual(out[3 * i + 2], { token: v.token, text: v.text }, `${v.name} (seal)`);
    });
  });

  test('rejects every invalid vector with the error the file names', { skip }, () => {
    const ops: Op[] = [];
    for (const v of file.invalid) {
      const k = file.keys[v.keyring];
      ops.push({ op: 'open', key: k.key, keyId: k.id, context: v.context, token: v.token });
      ops.push({
        op: 'open',
        key: k.key,
        keyId: k.id,
        context: v.context,
        text: Buffer.from(hex(v.token)).toString('base64url'),
      });
    }
    const out = runPython<Result[]>(PY, { ops });
    file.invalid.forEach((v, i) => {
      assert.deepEqual(out[2 * i], { error: v.error }, `${v.name} (binary)`);
      assert.deepEqual(out[2 * i + 1], { error: v.error }, `${v.name} (text)`);
    });
  });

  test('rejects malformed text forms (padding, foreign characters, non-zero trailing bits)', { skip }, () => {
    const v = file.valid[1]!;
    const base = { op: 'open' as const, key: v.key, keyId: v.keyId, context: v.context };
    // The vector's text length is not a multiple of 4, so a trailing "=" is padding.
    assert.notEqual(v.text.length % 4, 0);
    const last = v.text.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // Same bytes when decoded leniently, but with the lowest (always unused) trailing bit flipped.
    const sloppy = v.text.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1];
    const bad = [`${v.text}=`, `${v.text.slice(0, 10)}+${v.text.slice(11)}`, ` ${v.text}`, sloppy, 'A'];
    const keyring = importKeyringCleartext(
      JSON.stringify({
        format: 'coffer-keyring-cleartext',
        version: 1,
        keys: [
          {
            id: v.keyId,
            label: '',
            algorithm: 'XAES-256-GCM',
            created: '2026-01-01T00:00:00.000Z',
            status: 'primary',
          },
        ],
        secrets: { [v.keyId]: Buffer.from(v.key, 'hex').toString('base64url') },
      }),
    );
    const out = runPython<Result[]>(PY, { ops: bad.map((text) => ({ ...base, text })) });
    bad.forEach((text, i) => {
      assert.deepEqual(out[i], { error: 'InvalidToken' }, `python accepted ${JSON.stringify(text)}`);
      assert.throws(() => keyring.open(text, { context: v.context }), { name: 'InvalidToken' });
    });
  });

  test('opens live coffer tokens with random plaintexts and contexts', { skip }, () => {
    const keyring = Keyring.generate();
    const { key, keyId } = primaryKey(keyring);
    const samples = fc.sample(fc.tuple(plaintextArb, contextArb, fc.boolean()), { numRuns: 200, seed: 7 });
    const ops: Op[] = samples.map(([pt, context, asText]) =>
      asText
        ? { op: 'open', key, keyId, context, text: keyring.seal(pt, { context }) }
        : { op: 'open', key, keyId, context, token: toHex(keyring.sealToBytes(pt, { context })) },
    );
    // And a fresh random sample with no fixed seed, so each run covers new ground.
    for (let i = 0; i < 50; i++) {
      const pt = new Uint8Array(randomBytes(i * 7));
      const context = { table: 't', id: String(i), 'ünï-😀': randomBytes(3).toString('hex') };
      samples.push([pt, context, true]);
      ops.push({ op: 'open', key, keyId, context, text: keyring.seal(pt, { context }) });
    }
    const out = runPython<Result[]>(PY, { ops });
    samples.forEach(([pt, context], i) => {
      assert.deepEqual(out[i], { ok: toHex(pt) }, `live token ${i}, context ${JSON.stringify(context)}`);
    });
  });

  test('coffer opens tokens python seals, in both forms, and only under their context', { skip }, () => {
    const keyring = Keyring.generate();
    const { key, keyId } = primaryKey(keyring);
    const samples = fc.sample(fc.tuple(plaintextArb, contextArb), { numRuns: 200, seed: 11 });
    const ops: Op[] = samples.map(([pt, context]) => ({
      op: 'seal',
      key,
      keyId,
      plaintext: toHex(pt),
      context,
    }));
    const out = runPython<{ token: string; text: string }[]>(PY, { ops });
    samples.forEach(([pt, context], i) => {
      const { token, text } = out[i]!;
      assert.equal(keyring.keyIdOf(text), keyId);
      assert.deepEqual(keyring.open(hex(token), { context }), pt);
      assert.deepEqual(keyring.open(text, { context }), pt);
      assert.throws(
        () => keyring.open(text, { context: { ...context, 'a-name-longer-than-any-generated': '' } }),
        {
          name: 'InvalidToken',
        },
      );
    });
    // Two python tokens of the same plaintext differ: the nonce is fresh.
    assert.notEqual(out[0]!.token, runPython<{ token: string }[]>(PY, { ops: [ops[0]] })[0]!.token);
  });
});
