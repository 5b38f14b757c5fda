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
import type { SealedVectorFile } from '../helpers/sealed-vectors.ts';
import { hex, loadOwnJson, toHex } from '../helpers/vectors.ts';

const skip = pycaSkip();

// docs/sealed-token.md, version 1. Input: {"ops": [...]}; output: one result per op.
//   {"op": "open", "key", "keyId", "token" (hex) | "text", "context"}
//     -> {"ok": plaintext hex} | {"error": "InvalidToken" | "KeyNotFound" | "ContextTooLarge" | "MalformedContext"}
//   {"op": "seal", "key", "keyId", "nonce"?, "plaintext", "context"} -> {"token": hex, "text": base64url}
// "key"/"plaintext"/"nonce" are hex; "keyId" is 8 hex digits. The python keyring holds exactly the op's key.
// XAES-256-GCM is composed here from the C2SP description (AES-256-ECB for the subkey, then AESGCM),
// independently of src/internal/xaes.ts. No backslashes below: this is a JS template literal.
const PY = `
import base64, hmac, json, os, re, struct, sys
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = 0x01
NONCE = 24
COMMITMENT = 32
HEADER = 1 + 4 + NONCE + COMMITMENT  # version, key_id, N, C: 61
TAG = 16
OVERHEAD = HEADER + TAG  # 77
MAX_PLAINTEXT = 256 * 1024 * 1024
MAX_CONTEXT = 65536  # inclusive

class InvalidToken(Exception): pass
class KeyNotFound(Exception): pass
class ContextTooLarge(Exception): pass
class MalformedContext(Exception): pass

# Keys: HKDF-SHA256 (RFC 5869), empty salt, L = 32, ASCII info without terminator.
def hkdf_sha256(ikm, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"", info=info).derive(ikm)

class SealingKey:
    def __init__(self, key):
        assert len(key) == 32
        self.kenc = hkdf_sha256(key, b"coffer/v1/sealed-token/xaes-key")
        self.commitment = hkdf_sha256(key, b"coffer/v1/sealed-token/commitment")

MASK128 = (1 << 128) - 1

# XAES-256-GCM (c2sp.org/XAES-256-GCM, "Detailed key derivation algorithm"), from AES-256 in ECB mode.
def xaes_subkey(k, n):
    assert len(k) == 32 and len(n) == 24
    aes = Cipher(algorithms.AES(k), modes.ECB()).encryptor()
    l = int.from_bytes(aes.update(bytes(16)), "big")           # 1. L = AES-256_K(0^128)
    k1 = ((l << 1) & MASK128) ^ (0x87 if l >> 127 else 0)      # 2. K1 = L << 1 (^ 0x87 if MSB(L) = 1)
    m1 = bytes([0x00, 0x01, 0x58, 0x00]) + n[:12]              # 3. M1 = 0x00 || 0x01 || "X" || 0x00 || N[:12]
    m2 = bytes([0x00, 0x02, 0x58, 0x00]) + n[:12]              # 4. M2 = 0x00 || 0x02 || "X" || 0x00 || N[:12]
    blocks = b"".join((int.from_bytes(m, "big") ^ k1).to_bytes(16, "big") for m in (m1, m2))
    kx = aes.update(blocks) + aes.finalize()                   # 5. Kx = AES_K(M1 ^ K1) || AES_K(M2 ^ K1)
    return kx, n[12:]                                          # 6. Nx = N[12:]

def xaes_encrypt(k, n, plaintext, aad):
    kx, nx = xaes_subkey(k, n)
    return AESGCM(kx).encrypt(nx, plaintext, aad)

def xaes_decrypt(k, n, ct_tag, aad):
    kx, nx = xaes_subkey(k, n)
    return AESGCM(kx).decrypt(nx, ct_tag, aad)  # InvalidTag before any plaintext

def u32(n):
    return struct.pack(">I", n)

def utf8(s):
    try:
        return s.encode("utf-8")  # a lone surrogate does not encode: rejected, never replaced
    except UnicodeEncodeError:
        raise MalformedContext()

def encode_context(ctx):
    if isinstance(ctx, DuplicateNames):
        raise MalformedContext()
    items = sorted((utf8(k), utf8(v)) for k, v in ctx.items())  # by the UTF-8 bytes of the name
    out = u32(len(items))
    for k, v in items:
        out += u32(len(k)) + k + u32(len(v)) + v
    if len(out) > MAX_CONTEXT:
        raise ContextTooLarge()
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

def b64url_encode(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

def seal(key_id, sk, plaintext, ctx, nonce=None):
    context = encode_context(ctx)
    if len(plaintext) > MAX_PLAINTEXT:
        raise ValueError("plaintext too large")
    n = os.urandom(NONCE) if nonce is None else nonce                   # 1.
    assert len(n) == NONCE
    header = bytes([VERSION]) + u32(key_id) + n + sk.commitment        # 2.
    ct_tag = xaes_encrypt(sk.kenc, n, plaintext, header + context)     # 3.
    return header + ct_tag                                             # 4.

def open_token(keys, token, ctx):
    # keys: {key_id (int): SealingKey}
    context = encode_context(ctx)  # a caller error, checked before any token is read
    if isinstance(token, str):
        token = b64url_decode(token)                                                     # 1.
    if len(token) < OVERHEAD or len(token) > OVERHEAD + MAX_PLAINTEXT or token[0] != VERSION:
        raise InvalidToken()                                                             # 2.
    key_id = struct.unpack(">I", token[1:5])[0]
    if key_id not in keys:
        raise KeyNotFound()                                                              # 3.
    sk = keys[key_id]
    header = token[:HEADER]
    n, c = header[5:5 + NONCE], header[5 + NONCE:HEADER]
    if not hmac.compare_digest(c, sk.commitment):
        raise InvalidToken()                                                             # 4.
    try:
        return xaes_decrypt(sk.kenc, n, token[HEADER:], header + context)                # 5.
    except InvalidTag:
        raise InvalidToken()

def run(op):
    key_id = int(op["keyId"], 16)
    sk = SealingKey(bytes.fromhex(op["key"]))
    try:
        if op["op"] == "seal":
            nonce = bytes.fromhex(op["nonce"]) if "nonce" in op else None
            t = seal(key_id, sk, bytes.fromhex(op["plaintext"]), op["context"], nonce)
            return {"token": t.hex(), "text": b64url_encode(t)}
        token = op["text"] if "text" in op else bytes.fromhex(op["token"])
        return {"ok": open_token({key_id: sk}, token, op["context"]).hex()}
    except InvalidToken:
        return {"error": "InvalidToken"}
    except KeyNotFound:
        return {"error": "KeyNotFound"}
    except ContextTooLarge:
        return {"error": "ContextTooLarge"}
    except MalformedContext:
        return {"error": "MalformedContext"}

# JSON objects may repeat a name; a context that does is refused, never silently merged.
class DuplicateNames(dict): pass

def pairs(items):
    d = dict(items)
    return d if len(d) == len(items) else DuplicateNames(d)

req = json.load(sys.stdin, object_pairs_hook=pairs)
json.dump([run(op) for op in req["ops"]], sys.stdout)
`;

type VectorFile = SealedVectorFile;
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

  test('agrees with coffer on the context limits and on lone surrogates', { skip }, () => {
    const keyring = Keyring.generate();
    const { key, keyId } = primaryKey(keyring);
    // u32(count) ‖ u32(1) ‖ "v" ‖ u32(len) ‖ value: 13 bytes of framing, so 65,523 value bytes is the limit.
    const atLimit = { v: 'x'.repeat(65536 - 13) };
    const overLimit = { v: 'x'.repeat(65536 - 12) };
    const loneSurrogate = { id: '\uD800' };
    const pt = new Uint8Array([1, 2, 3]);
    const token = keyring.seal(pt, { context: atLimit });
    const out = runPython<Result[]>(PY, {
      ops: [
        { op: 'open', key, keyId, context: atLimit, text: token },
        { op: 'seal', key, keyId, context: atLimit, plaintext: toHex(pt) },
        // The context is refused before the token is read: this token is not even base64url.
        { op: 'open', key, keyId, context: overLimit, text: '!' },
        { op: 'open', key, keyId, context: loneSurrogate, text: token },
      ],
    });
    assert.deepEqual(out[0], { ok: toHex(pt) }, 'python opens at the limit (inclusive)');
    const sealed = out[1] as { token: string; text: string };
    assert.deepEqual(keyring.open(sealed.text, { context: atLimit }), pt, 'coffer opens at the limit');
    assert.deepEqual(out[2], { error: 'ContextTooLarge' });
    assert.throws(() => keyring.open('!', { context: overLimit }), RangeError);
    assert.throws(() => keyring.seal(pt, { context: overLimit }), RangeError);
    assert.deepEqual(out[3], { error: 'MalformedContext' });
    assert.throws(() => keyring.open(token, { context: loneSurrogate }), TypeError);
  });
});
