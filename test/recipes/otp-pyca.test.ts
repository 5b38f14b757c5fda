// Live interop with pyca's cryptography.hazmat.primitives.twofactor (HOTP and TOTP), both ways, in one
// python call: codes coffer makes verify in pyca and pyca's verify in coffer, across SHA1/SHA256/SHA512,
// 6 to 8 digits, random secrets of 16 to 64 bytes, counters up to 2^53 - 1, times up to 2^40 and steps of
// 1 s to one day; otpauth URIs from pyca's get_provisioning_uri parse in coffer (same codes), and coffer's
// toUri output, read by Python's urllib and base64, makes the same codes in pyca.
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { describe, test } from 'node:test';
import { HOTP, InvalidToken, type OtpAlgorithm, parseOtpauthUri, TOTP } from '../../src/index.ts';
import { pycaSkip, runPython } from '../helpers/python.ts';
import { toHex } from '../helpers/vectors.ts';

const skip = pycaSkip();

const ALGORITHMS: readonly OtpAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];
const NAMES = ['ada@example.com', 'Ada Lovelace', 'jürgen+otp@example.de', 'a&b=c?d', '用户', "o'brien #1"];
const ISSUERS = [null, 'Example', 'ACME Co', 'Bäckerei & Söhne', '100% legit'];

interface Case {
  type: 'hotp' | 'totp';
  key: string;
  algorithm: OtpAlgorithm;
  digits: number;
  step: number;
  at: number; // counter (HOTP) or Unix seconds (TOTP)
  account: string;
  issuer: string | null;
  cofferCode: string;
  cofferWrong: string;
  cofferUri: string;
}

interface Result {
  pycaCode: string;
  pycaAcceptsCoffer: boolean;
  pycaRefusesWrong: boolean;
  pycaUri: string;
  pycaCodeFromCofferUri: string;
}

const PY = `
import base64, json, sys
from urllib.parse import parse_qs, unquote, urlparse
from cryptography.hazmat.primitives.hashes import SHA1, SHA256, SHA512
from cryptography.hazmat.primitives.twofactor import InvalidToken
from cryptography.hazmat.primitives.twofactor.hotp import HOTP
from cryptography.hazmat.primitives.twofactor.totp import TOTP

ALGS = {"SHA1": SHA1, "SHA256": SHA256, "SHA512": SHA512}

def make(kind, key, digits, alg, step):
    if kind == "hotp":
        return HOTP(key, digits, ALGS[alg]())
    return TOTP(key, digits, ALGS[alg](), step)

def verifies(otp, code, at):
    try:
        otp.verify(code.encode(), at)
        return True
    except InvalidToken:
        return False

def from_uri(uri, at):
    # What a Python client does with an otpauth URI: urllib for the parts, base64 for the secret.
    u = urlparse(uri)
    q = {k: v[0] for k, v in parse_qs(u.query, strict_parsing=True).items()}
    secret = q["secret"].upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    otp = make(u.netloc, key, int(q.get("digits", "6")), q.get("algorithm", "SHA1"), int(q.get("period", "30")))
    return otp.generate(at).decode()

out = []
for c in json.load(sys.stdin):
    key = bytes.fromhex(c["key"])
    otp = make(c["type"], key, c["digits"], c["algorithm"], c["step"])
    at = c["at"]
    if c["type"] == "hotp":
        uri = otp.get_provisioning_uri(c["account"], at, c["issuer"])
    else:
        uri = otp.get_provisioning_uri(c["account"], c["issuer"])
    out.append({
        "pycaCode": otp.generate(at).decode(),
        "pycaAcceptsCoffer": verifies(otp, c["cofferCode"], at),
        "pycaRefusesWrong": not verifies(otp, c["cofferWrong"], at),
        "pycaUri": uri,
        "pycaCodeFromCofferUri": from_uri(c["cofferUri"], at),
    })
json.dump(out, sys.stdout)
`;

function makeCases(): Array<{ c: Case; otp: HOTP | TOTP }> {
  const cases: Array<{ c: Case; otp: HOTP | TOTP }> = [];
  const counters = [0, 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 48 + 7, Number.MAX_SAFE_INTEGER];
  const steps = [30, 60, 1, 86_400];
  for (let i = 0; i < 240; i++) {
    const type = i % 2 === 0 ? 'hotp' : 'totp';
    const algorithm = ALGORITHMS[i % 3]!;
    const digits = 6 + ((i >> 1) % 3);
    const key = new Uint8Array(randomBytes(randomInt(16, 65)));
    const step = i < 32 ? steps[(i >> 1) % steps.length]! : randomInt(1, 86_401);
    const at =
      type === 'hotp'
        ? i < 2 * counters.length
          ? counters[i >> 1]!
          : randomInt(0, 2 ** 47)
        : randomInt(0, 2 ** 40);
    const account = NAMES[i % NAMES.length]!;
    const issuer = ISSUERS[i % ISSUERS.length]!;
    const otp =
      type === 'hotp' ? new HOTP(key, { algorithm, digits }) : new TOTP(key, { algorithm, digits, step });
    const code = otp instanceof HOTP ? otp.generate(at) : otp.generateAtTime(at);
    const wrong = String((Number(code) + 1) % 10 ** digits).padStart(digits, '0');
    const uriOptions = issuer === null ? { accountName: account } : { accountName: account, issuer };
    const cofferUri = otp instanceof HOTP ? otp.toUri({ ...uriOptions, counter: at }) : otp.toUri(uriOptions);
    cases.push({
      c: {
        type,
        key: toHex(key),
        algorithm,
        digits,
        step,
        at,
        account,
        issuer,
        cofferCode: code,
        cofferWrong: wrong,
        cofferUri,
      },
      otp,
    });
  }
  return cases;
}

describe('pyca twofactor interop', { skip }, () => {
  const cases = skip ? [] : makeCases();
  const results = skip
    ? []
    : runPython<Result[]>(
        PY,
        cases.map((x) => x.c),
      );

  test('coffer -> pyca: pyca verifies every code coffer makes, and refuses a wrong one', () => {
    const bad = cases.filter((_, i) => !results[i]!.pycaAcceptsCoffer || !results[i]!.pycaRefusesWrong);
    assert.deepEqual(
      bad.map((x) => x.c),
      [],
    );
  });

  test('pyca -> coffer: coffer verifies every code pyca makes, and they are the same codes', () => {
    cases.forEach(({ c, otp }, i) => {
      const code = results[i]!.pycaCode;
      assert.equal(code, c.cofferCode, JSON.stringify(c));
      if (otp instanceof HOTP) {
        assert.equal(otp.verify(code, c.at), c.at);
      } else {
        assert.equal(otp.verifyAtTime(code, c.at, { window: 0 }), otp.stepAt(c.at));
      }
    });
  });

  test("pyca's get_provisioning_uri parses in coffer: same key, label and parameters", () => {
    cases.forEach(({ c }, i) => {
      const uri = results[i]!.pycaUri;
      const info = parseOtpauthUri(uri);
      assert.equal(info.type, c.type, uri);
      assert.equal(info.accountName, c.account, uri);
      assert.equal(info.issuer, c.issuer ?? undefined, uri);
      const code = info.type === 'hotp' ? info.otp.generate(c.at) : info.otp.generateAtTime(c.at);
      assert.equal(code, c.cofferCode, uri);
      if (info.type === 'hotp') assert.equal(info.counter, c.at);
      else assert.equal(info.otp.step, c.step);
    });
  });

  test("coffer's toUri, read by Python's urllib and base64, makes the same codes in pyca", () => {
    cases.forEach(({ c }, i) => {
      assert.equal(results[i]!.pycaCodeFromCofferUri, c.cofferCode, c.cofferUri);
    });
  });

  test('a pyca code for another step or counter is refused by coffer', () => {
    const { c, otp } = cases.find((x) => x.c.type === 'totp')!;
    assert.throws(
      () =>
        (otp as TOTP).verifyAtTime(results[cases.findIndex((x) => x.c === c)]!.pycaCode, c.at + 10 * c.step),
      InvalidToken,
    );
  });
});
