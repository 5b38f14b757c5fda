// coffer/x509: build, parse and verify; hostile certificates; interop with the openssl CLI and pyca.
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DecodeError } from '../../src/errors.ts';
import {
  type Certificate,
  CertificateBuilder,
  CertificateRevocationListBuilder,
  CertificateSigningRequestBuilder,
  ExtendedKeyUsageOID,
  ExtensionOID,
  generalNames,
  loadDerX509Certificate,
  loadPemX509Certificate,
  loadPemX509Certificates,
  loadPemX509Crl,
  loadPemX509Csr,
  nameFrom,
  PolicyBuilder,
  Store,
  VerificationError,
} from '../../src/x509/index.ts';
import { pycaSkip, runPython } from '../helpers/python.ts';
import { run, toolSkip } from '../helpers/tools.ts';

const DAY = 86400e3;
const now = new Date();

interface Pki {
  rootKey: KeyObject;
  root: Certificate;
  icaKey: KeyObject;
  ica: Certificate;
  leafKey: KeyObject;
  leaf: Certificate;
}

function makePki(kind: 'ec' | 'ed25519' | 'rsa-pss' | 'rsa-pkcs1'): Pki {
  const gen = () =>
    kind === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : kind === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const opts = { rsaPadding: kind === 'rsa-pkcs1' ? ('pkcs1' as const) : ('pss' as const) };
  const r = gen();
  const rootName = nameFrom({ CN: `coffer test root ${kind}`, O: 'coffer' });
  const root = new CertificateBuilder()
    .subjectName(rootName)
    .publicKey(r.publicKey)
    .notValidBefore(new Date(now.getTime() - DAY))
    .notValidAfter(new Date(now.getTime() + 30 * DAY))
    .basicConstraints(true, 1)
    .keyUsage(['keyCertSign', 'cRLSign'])
    .sign(r.privateKey, opts);
  const i = gen();
  const ica = new CertificateBuilder()
    .subjectName(nameFrom({ CN: 'coffer test intermediate' }))
    .publicKey(i.publicKey)
    .notValidBefore(new Date(now.getTime() - DAY))
    .notValidAfter(new Date(now.getTime() + 20 * DAY))
    .basicConstraints(true, 0)
    .keyUsage(['keyCertSign', 'cRLSign'])
    .sign(r.privateKey, { ...opts, issuer: root });
  const l = gen();
  const leaf = new CertificateBuilder()
    .subjectName(nameFrom({ CN: 'localhost' }))
    .publicKey(l.publicKey)
    .notValidBefore(new Date(now.getTime() - DAY))
    .notValidAfter(new Date(now.getTime() + 10 * DAY))
    .keyUsage(['digitalSignature'])
    .extendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH])
    .subjectAlternativeName(generalNames(['DNS:localhost', 'DNS:*.example.com', 'IP:127.0.0.1', 'IP:::1']))
    .sign(i.privateKey, { ...opts, issuer: ica });
  return { rootKey: r.privateKey, root, icaKey: i.privateKey, ica, leafKey: l.privateKey, leaf };
}

const pkis = { ec: makePki('ec'), ed25519: makePki('ed25519') };

describe('build, parse, verify', () => {
  for (const [kind, pki] of Object.entries(pkis)) {
    test(`${kind}: fields round-trip through PEM`, () => {
      const leaf = loadPemX509Certificate(pki.leaf.toPem());
      assert.equal(leaf.version, 'v3');
      assert.ok(leaf.serialNumber > 0n && leaf.serialNumber < 1n << 159n);
      assert.equal(leaf.subject.rfc4514String(), 'CN=localhost');
      assert.equal(leaf.issuer.rfc4514String(), 'CN=coffer test intermediate');
      assert.deepEqual(
        leaf.extensions.value(ExtensionOID.SUBJECT_ALTERNATIVE_NAME)?.map((n) => n.type),
        ['dns', 'dns', 'ip', 'ip'],
      );
      assert.deepEqual(
        leaf.extensions.value(ExtensionOID.AUTHORITY_KEY_IDENTIFIER)?.keyIdentifier,
        pki.ica.extensions.value(ExtensionOID.SUBJECT_KEY_IDENTIFIER),
      );
      assert.equal(leaf.extensions.value(ExtensionOID.KEY_USAGE)?.digitalSignature, true);
      assert.equal(leaf.fingerprint().length, 32);
      assert.equal(String(leaf.publicKey()), kind === 'ec' ? String(leaf.publicKey()) : 'Ed25519PublicKey');
      assert.deepEqual(loadPemX509Certificates(pki.leaf.toPem() + pki.ica.toPem()).length, 2);
      leaf.verifyDirectlyIssuedBy(pki.ica);
      pki.ica.verifyDirectlyIssuedBy(pki.root);
    });
    test(`${kind}: server and client verification`, () => {
      const b = new PolicyBuilder().store(new Store([pki.root])).time(now);
      for (const subject of [
        { dns: 'localhost' },
        { dns: 'foo.example.com' },
        { ip: '127.0.0.1' },
        { ip: '::1' },
      ]) {
        assert.equal(b.buildServerVerifier(subject).verify(pki.leaf, [pki.ica]).length, 3);
      }
      for (const subject of [{ dns: 'example.com' }, { dns: 'a.b.example.com' }, { ip: '127.0.0.2' }]) {
        assert.throws(
          () => b.buildServerVerifier(subject).verify(pki.leaf, [pki.ica]),
          (e: unknown) => e instanceof VerificationError && e.check === 'subject-name',
        );
      }
      assert.equal(b.buildClientVerifier().verify(pki.leaf, [pki.ica]).chain.length, 3);
      assert.throws(
        () => b.buildServerVerifier({ dns: 'localhost' }).verify(pki.leaf, []),
        (e: unknown) => e instanceof VerificationError && e.check === 'untrusted',
      );
      assert.throws(
        () =>
          b
            .time(new Date(now.getTime() + 15 * DAY))
            .buildServerVerifier({ dns: 'localhost' })
            .verify(pki.leaf, [pki.ica]),
        (e: unknown) => e instanceof VerificationError && e.check === 'validity',
      );
      assert.throws(
        () => b.maxChainDepth(0).buildServerVerifier({ dns: 'localhost' }).verify(pki.leaf, [pki.ica]),
        (e: unknown) => e instanceof VerificationError && e.check === 'max-depth',
      );
    });
  }
  test('a CRL revokes the leaf', () => {
    const pki = pkis.ec;
    const crl = new CertificateRevocationListBuilder()
      .lastUpdate(new Date(now.getTime() - DAY))
      .nextUpdate(new Date(now.getTime() + DAY))
      .addRevokedCertificate(pki.leaf.serialNumber, now)
      .sign(pki.ica, pki.icaKey);
    const parsed = loadPemX509Crl(crl.toPem());
    assert.equal(parsed.revokedCertificates.length, 1);
    assert.throws(
      () =>
        new PolicyBuilder()
          .store(new Store([pki.root]))
          .crls([parsed])
          .buildServerVerifier({ dns: 'localhost' })
          .verify(pki.leaf, [pki.ica]),
      (e: unknown) => e instanceof VerificationError && e.check === 'revocation',
    );
  });
  test('RSA PSS and PKCS#1 chains', () => {
    for (const kind of ['rsa-pss', 'rsa-pkcs1'] as const) {
      const pki = makePki(kind);
      new PolicyBuilder()
        .store(new Store([pki.root]))
        .buildServerVerifier({ dns: 'localhost' })
        .verify(pki.leaf, [pki.ica]);
    }
  });
  test('CSR round trip', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const csr = new CertificateSigningRequestBuilder()
      .subjectName(nameFrom({ CN: 'req.example', C: 'NL' }))
      .subjectAlternativeName(generalNames(['DNS:req.example']))
      .sign(privateKey, { hash: 'sha384' });
    const back = loadPemX509Csr(csr.toPem());
    assert.equal(back.isSignatureValid, true);
    assert.equal(back.subject.rfc4514String(), 'C=NL,CN=req.example');
    assert.deepEqual(back.extensions.value(ExtensionOID.SUBJECT_ALTERNATIVE_NAME), [
      { type: 'dns', value: 'req.example' },
    ]);
  });
});

describe('hostile certificates', () => {
  const derBytes = pkis.ec.leaf.der;
  test('every truncation is a DecodeError', () => {
    for (let n = 0; n < derBytes.length; n++) {
      assert.throws(() => loadDerX509Certificate(derBytes.subarray(0, n)), DecodeError);
    }
  });
  test('trailing data is a DecodeError', () => {
    assert.throws(() => loadDerX509Certificate(Uint8Array.from([...derBytes, 0])), /trailing data/);
  });
  test('bit flips: DecodeError or a certificate that no longer verifies', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: derBytes.length * 8 - 1 }), (bit) => {
        const b = Uint8Array.from(derBytes);
        b[bit >> 3] = (b[bit >> 3] as number) ^ (1 << (bit & 7));
        let c: Certificate;
        try {
          c = loadDerX509Certificate(b);
          for (const e of c.extensions) void e.value;
        } catch (e) {
          assert.ok(e instanceof DecodeError || e instanceof RangeError, String(e));
          return;
        }
        assert.throws(() =>
          new PolicyBuilder()
            .store(new Store([pkis.ec.root]))
            .time(now)
            .buildServerVerifier({ dns: 'localhost' })
            .verify(c, [pkis.ec.ica]),
        );
      }),
      { numRuns: 300 },
    );
  });
  test('wrong types are TypeErrors', () => {
    for (const v of [null, undefined, 42, {}, [1, 2]]) {
      assert.throws(() => loadDerX509Certificate(v as never), TypeError);
      assert.throws(() => loadPemX509Certificate(v as never), TypeError);
      assert.throws(() => new Store(v as never), TypeError);
      assert.throws(() => new PolicyBuilder().store(v as never), TypeError);
    }
    assert.throws(() => new PolicyBuilder().buildServerVerifier({ dns: 'x' }), TypeError);
    const b = new PolicyBuilder().store(new Store([pkis.ec.root]));
    assert.throws(() => b.buildServerVerifier({ dns: 'bad_name.example' }), RangeError);
    assert.throws(() => b.buildServerVerifier({ ip: '1.2.3' }), RangeError);
    assert.throws(() => b.maxChainDepth(-1), RangeError);
    assert.throws(() => b.buildServerVerifier({ dns: 'localhost' }).verify('x' as never), TypeError);
  });
  test('PEM with bad base64 or no block', () => {
    assert.throws(
      () => loadPemX509Certificate('-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n'),
      /invalid base64/,
    );
    assert.throws(() => loadPemX509Certificate('nothing here'), /expected one PEM CERTIFICATE block/);
  });
});

const opensslSkip = toolSkip('openssl', 'openssl');
describe('openssl interop', { skip: opensslSkip }, () => {
  test('x509 -text, verify -CAfile, req -verify, crl', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-x509-'));
    try {
      for (const [kind, pki] of Object.entries({ ...pkis, rsa: makePki('rsa-pss') })) {
        writeFileSync(join(dir, 'root.pem'), pki.root.toPem());
        writeFileSync(join(dir, 'ica.pem'), pki.ica.toPem());
        writeFileSync(join(dir, 'leaf.pem'), pki.leaf.toPem());
        const text = run('openssl', ['x509', '-in', join(dir, 'leaf.pem'), '-text', '-noout']);
        assert.match(text, /DNS:localhost/, kind);
        assert.match(text, /IP Address:127\.0\.0\.1/, kind);
        const out = run('openssl', [
          'verify',
          '-CAfile',
          join(dir, 'root.pem'),
          '-untrusted',
          join(dir, 'ica.pem'),
          '-purpose',
          'sslserver',
          '-verify_hostname',
          'localhost',
          join(dir, 'leaf.pem'),
        ]);
        assert.match(out, /leaf\.pem: OK/, kind);
        // openssl → coffer
        const back = loadPemX509Certificate(run('openssl', ['x509', '-in', join(dir, 'leaf.pem')]));
        assert.ok(back.equals(pki.leaf));
      }
      const { privateKey } = generateKeyPairSync('ed25519');
      const csr = new CertificateSigningRequestBuilder()
        .subjectName(nameFrom({ CN: 'csr' }))
        .sign(privateKey);
      writeFileSync(join(dir, 'req.pem'), csr.toPem());
      // Exits non-zero (and `run` throws) when the self-signature does not verify.
      run('openssl', ['req', '-in', join(dir, 'req.pem'), '-verify', '-noout']);
      // openssl-made certificate → coffer verifier
      run('openssl', [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        join(dir, 'k.pem'),
        '-out',
        join(dir, 'o.pem'),
        '-subj',
        '/CN=openssl',
        '-days',
        '2',
        '-addext',
        'subjectAltName=DNS:openssl.test',
        '-addext',
        'basicConstraints=critical,CA:FALSE',
      ]);
      const o = loadPemX509Certificate(run('openssl', ['x509', '-in', join(dir, 'o.pem')]));
      assert.equal(o.subject.rfc4514String(), 'CN=openssl');
      assert.deepEqual(o.extensions.value(ExtensionOID.SUBJECT_ALTERNATIVE_NAME), [
        { type: 'dns', value: 'openssl.test' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const pySkip = pycaSkip();
describe('pyca interop', { skip: pySkip }, () => {
  test('pyca loads coffer certificates and its PolicyBuilder verifies coffer chains', () => {
    const pki = pkis.ec;
    const script = `
import json, sys, datetime
from cryptography import x509
from cryptography.x509.verification import PolicyBuilder, Store
d = json.load(sys.stdin)
root = x509.load_pem_x509_certificate(d['root'].encode())
ica = x509.load_pem_x509_certificate(d['ica'].encode())
leaf = x509.load_pem_x509_certificate(d['leaf'].encode())
v = PolicyBuilder().store(Store([root])).build_server_verifier(x509.DNSName('localhost'))
chain = v.verify(leaf, [ica])
print(json.dumps({'len': len(chain), 'serial': str(leaf.serial_number), 'subject': leaf.subject.rfc4514_string(),
  'san': [str(n.value) for n in leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value]}))
`;
    const out = runPython<{ len: number; serial: string; subject: string; san: string[] }>(script, {
      root: pki.root.toPem(),
      ica: pki.ica.toPem(),
      leaf: pki.leaf.toPem(),
    });
    assert.equal(out.len, 3);
    assert.equal(out.serial, pki.leaf.serialNumber.toString());
    assert.equal(out.subject, pki.leaf.subject.rfc4514String());
    assert.deepEqual(out.san, ['localhost', '*.example.com', '127.0.0.1', '::1']);
  });
});
