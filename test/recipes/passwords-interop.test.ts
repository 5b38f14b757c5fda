// Password hashes across implementations: pyca's Argon2id both ways (derive_phc_encoded / verify_phc_encoded),
// Debian's `argon2` command-line tool, bcrypt from `htpasswd -B`, passlib's scrypt and pbkdf2-sha256 forms
// recomputed by Python's hashlib, the documented pepper encoding recomputed in Python, and the committed
// vectors (test/vectors/password-hashes.json). Missing tools skip with a visible reason (CI fails instead).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { exportSecretKeyBytes } from '../../src/hazmat/insecure-export.ts';
import { hashPassword, InvalidKey, verifyPassword } from '../../src/index.ts';
import { SecretKey } from '../../src/keys/secret-key.ts';
import { pycaSkip, python, runPython } from '../helpers/python.ts';
import { run, toolSkip } from '../helpers/tools.ts';
import { loadOwnJson } from '../helpers/vectors.ts';

const PASSWORDS = ['correct horse battery staple', 'pässwörd', '密码 🔑', 'x', ' spaced out '];

async function mismatch(password: string, phc: string): Promise<void> {
  await assert.rejects(verifyPassword(password, phc), InvalidKey);
}

const hasPythonArgon2 = (): string | false => {
  const base = pycaSkip();
  if (base) return base;
  const r = runPython<boolean>(
    `import json, sys
json.load(sys.stdin)
try:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
    ok = hasattr(Argon2id, 'derive_phc_encoded') and hasattr(Argon2id, 'verify_phc_encoded')
except ImportError:
    ok = False
print(json.dumps(ok))`,
    null,
  );
  if (r) return false;
  // Not a CI failure: Debian's python3-cryptography (38 in bookworm), which .ci/run may install, predates
  // Argon2 in pyca. Said loudly instead.
  const reason = `pyca Argon2 interop skipped: ${python}'s cryptography has no Argon2id.derive_phc_encoded (too old)`;
  process.stderr.write(`\n!!!!! ${reason} !!!!!\n\n`);
  return reason;
};
const pycaArgon2 = hasPythonArgon2();

describe('pyca Argon2id', { skip: pycaArgon2 }, () => {
  test('coffer → pyca: verify_phc_encoded accepts coffer strings, default and custom costs', async () => {
    const made: Array<{ password: string; phc: string }> = [];
    made.push({ password: PASSWORDS[0]!, phc: await hashPassword(PASSWORDS[0]!) });
    for (const [i, password] of PASSWORDS.entries()) {
      const argon2 = { memoryCost: 64 + 64 * i, iterations: 1 + (i % 3), lanes: 1 + (i % 4) };
      made.push({ password, phc: await hashPassword(password, { argon2 }) });
    }
    const result = runPython<Array<[boolean, boolean]>>(
      `import json, sys
from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
out = []
for item in json.load(sys.stdin):
    pw = item['password'].encode('utf-8')
    Argon2id.verify_phc_encoded(pw, item['phc'])
    try:
        Argon2id.verify_phc_encoded(pw + b'!', item['phc'])
        wrong = True
    except InvalidKey:
        wrong = False
    out.append([True, wrong])
print(json.dumps(out))`,
      made,
    );
    assert.deepEqual(
      result,
      made.map(() => [true, false]),
    );
  });

  test('pyca → coffer: derive_phc_encoded strings verify; a wrong password is InvalidKey', async () => {
    const cases = PASSWORDS.map((password, i) => ({
      password,
      memory: [19456, 64, 1024, 8 * 4, 4096][i]!,
      iterations: [2, 1, 3, 1, 2][i]!,
      lanes: [1, 2, 1, 4, 1][i]!,
      length: [32, 16, 64, 32, 48][i]!,
      salt: randomBytes(8 + 4 * i).toString('hex'),
    }));
    const made = runPython<string[]>(
      `import json, sys
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
out = []
for c in json.load(sys.stdin):
    k = Argon2id(salt=bytes.fromhex(c['salt']), length=c['length'], iterations=c['iterations'], lanes=c['lanes'], memory_cost=c['memory'])
    out.append(k.derive_phc_encoded(c['password'].encode('utf-8')))
print(json.dumps(out))`,
      cases,
    );
    for (const [i, phc] of made.entries()) {
      assert.match(phc, /^\$argon2id\$v=19\$/);
      await verifyPassword(cases[i]!.password, phc);
      await mismatch(`${cases[i]!.password}!`, phc);
    }
  });

  test('the pepper encoding is as documented: HMAC-SHA256 under HKDF(key, "coffer/v1/password-pepper")', async () => {
    const key = SecretKey.generate(32, { id: 'pepper-1' });
    const phc = await hashPassword('pässwörd', { argon2: { memoryCost: 256, iterations: 1 }, pepper: key });
    assert.ok(phc.includes(',keyid=pepper-1$'));
    const ok = runPython<boolean>(
      `import json, sys, unicodedata
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
c = json.load(sys.stdin)
k = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b'coffer/v1/password-pepper').derive(bytes.fromhex(c['key']))
m = hmac.HMAC(k, hashes.SHA256())
m.update(unicodedata.normalize('NFC', c['password']).encode('utf-8'))
Argon2id.verify_phc_encoded(m.finalize(), c['phc'].replace(',keyid=pepper-1', ''))
print(json.dumps(True))`,
      { key: Buffer.from(exportSecretKeyBytes(key)).toString('hex'), password: 'pässwörd', phc },
    );
    assert.equal(ok, true);
  });
});

describe('passlib forms, recomputed with Python hashlib', { skip: pycaSkip() }, () => {
  test('coffer scrypt and pbkdf2-sha256 strings match hashlib; hashlib-made strings verify in coffer', async () => {
    const mine = [
      await hashPassword('pässwörd', { algorithm: 'scrypt', scrypt: { n: 1024, r: 4, p: 2 } }),
      await hashPassword('pässwörd', { algorithm: 'pbkdf2-sha256', pbkdf2: { iterations: 1000 } }),
    ];
    const out = runPython<{ checked: boolean[]; made: string[] }>(
      `import json, sys, base64, hashlib, os
def b64d(s, adapted=False):
    s = s.replace('.', '+') if adapted else s
    return base64.b64decode(s + '=' * (-len(s) % 4))
def b64e(b, adapted=False):
    s = base64.b64encode(b).decode().rstrip('=')
    return s.replace('+', '.') if adapted else s
pw = 'pässwörd'.encode('utf-8')
checked = []
for phc in json.load(sys.stdin):
    parts = phc.split('$')
    if parts[1] == 'scrypt':
        params = dict(p.split('=') for p in parts[2].split(','))
        salt, want = b64d(parts[3]), b64d(parts[4])
        got = hashlib.scrypt(pw, salt=salt, n=2 ** int(params['ln']), r=int(params['r']), p=int(params['p']), dklen=len(want))
    else:
        salt, want = b64d(parts[3], True), b64d(parts[4], True)
        got = hashlib.pbkdf2_hmac('sha256', pw, salt, int(parts[2]), len(want))
    checked.append(got == want)
salt = os.urandom(16)
made = [
    '$scrypt$ln=10,r=8,p=1$%s$%s' % (b64e(salt), b64e(hashlib.scrypt(pw, salt=salt, n=1024, r=8, p=1, dklen=32))),
    '$pbkdf2-sha256$2000$%s$%s' % (b64e(salt, True), b64e(hashlib.pbkdf2_hmac('sha256', pw, salt, 2000, 32), True)),
]
print(json.dumps({'checked': checked, 'made': made}))`,
      mine,
    );
    assert.deepEqual(out.checked, [true, true]);
    for (const phc of out.made) {
      await verifyPassword('pässwörd', phc);
      await mismatch('passwörd', phc);
    }
  });
});

describe("Debian's argon2 command-line tool", { skip: toolSkip('argon2', 'argon2') }, () => {
  const runs: Array<{ variant: string; flags: string[]; password: string; salt: string }> = [
    {
      variant: 'argon2id',
      flags: ['-id', '-t', '2', '-k', '19456', '-p', '1'],
      password: PASSWORDS[0]!,
      salt: 'somesaltsomesalt',
    },
    {
      variant: 'argon2id',
      flags: ['-id', '-t', '1', '-m', '10', '-p', '4', '-l', '64'],
      password: PASSWORDS[1]!,
      salt: 'eight ch',
    },
    {
      variant: 'argon2i',
      flags: ['-t', '3', '-m', '12'],
      password: PASSWORDS[2]!,
      salt: 'the default variant is i',
    },
    {
      variant: 'argon2d',
      flags: ['-d', '-t', '1', '-k', '64', '-l', '16'],
      password: PASSWORDS[3]!,
      salt: 'argon2d salt',
    },
    {
      variant: 'argon2id',
      flags: ['-id', '-t', '2', '-k', '256', '-p', '2'],
      password: 'p',
      salt: 'one-character password',
    },
  ];
  for (const r of runs) {
    test(`argon2 ${r.flags.join(' ')}: verifies in coffer; a wrong password is InvalidKey`, async () => {
      // The tool reads the password from stdin, byte for byte (no newline).
      const phc = run('argon2', [r.salt, ...r.flags, '-e'], r.password).trim();
      assert.ok(phc.startsWith(`$${r.variant}$v=19$`), phc);
      await verifyPassword(r.password, phc);
      await mismatch(`${r.password}x`, phc);
    });
  }
});

describe('bcrypt from htpasswd -B', { skip: toolSkip('htpasswd', 'apache2-utils') }, () => {
  for (const [cost, password] of [
    [4, PASSWORDS[0]!],
    [5, PASSWORDS[1]!],
    [6, PASSWORDS[2]!],
    [4, 'a'.repeat(72)],
  ] as const) {
    test(`htpasswd -nbB -C ${cost}: verifies in coffer; a wrong password is InvalidKey`, async () => {
      const line = run('htpasswd', ['-nbB', '-C', String(cost), 'user', password]).trim();
      const phc = line.slice('user:'.length);
      assert.match(phc, new RegExp(`^\\$2y\\$0${cost}\\$`));
      await verifyPassword(password, phc);
      await mismatch(`!${password}`, phc);
    });
  }

  test('bcrypt reads 72 bytes: longer passwords verify on their first 72 (legacy behaviour, needsRehash)', async () => {
    const long = 'b'.repeat(72);
    const phc = run('htpasswd', ['-nbB', '-C', '4', 'user', long]).trim().slice('user:'.length);
    await verifyPassword(`${long}anything after byte 72`, phc);
  });
});

describe('committed vectors (test/vectors/password-hashes.json)', () => {
  const { vectors } = loadOwnJson<{ vectors: Array<{ id: string; password: string; hash: string }> }>(
    'password-hashes.json',
  );
  for (const v of vectors) {
    test(`${v.id}: verifies; a wrong password is InvalidKey`, async () => {
      await verifyPassword(v.password, v.hash);
      await mismatch(`${v.password}.`, v.hash);
    });
  }
});
