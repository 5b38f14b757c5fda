// The hostile-input table for coffer/x509 and coffer/pinning: every exported function and class, every
// argument position, against the shared hostile lists (test/helpers/hostile.ts). Each call must throw (or
// reject with) a labelled TypeError/RangeError or a CofferError, never node's own errors or a silent
// success. The coverage check at the end fails while an export has no entry here.
import { createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import tls from 'node:tls';
import { DerReader } from '../../src/formats/der.ts';
import * as x509 from '../../src/x509/index.ts';
import {
  Certificate,
  CertificateBuilder,
  CertificateRevocationList,
  CertificateRevocationListBuilder,
  CertificateSigningRequest,
  CertificateSigningRequestBuilder,
  Extension,
  ExtensionOID,
  Extensions,
  encodeName,
  encodePem,
  formatIp,
  generalNames,
  isDnsName,
  isKnownExtension,
  keyIdentifier,
  loadDerX509Certificate,
  loadDerX509Crl,
  loadDerX509Csr,
  loadPemX509Certificate,
  loadPemX509Certificates,
  loadPemX509Crl,
  loadPemX509Csr,
  Name,
  nameFrom,
  PolicyBuilder,
  parseIp,
  parsePem,
  readExtensions,
  readGeneralName,
  readName,
  Store,
  signatureScheme,
  verifySignature,
} from '../../src/x509/index.ts';
import * as pinning from '../../src/x509/pinning.ts';
import {
  createPinnedAgent,
  createPinnedConnect,
  createPinnedDispatcher,
  pinFromCertificate,
  pinFromPublicKey,
  pinsFromPemFile,
  pinsFromServer,
} from '../../src/x509/pinning.ts';
import { hostileInstances, hostileNullish, hostileObjects, hostileStrings } from '../helpers/hostile.ts';
import {
  type Arg,
  bytesParam,
  type Case,
  checkCoverage,
  decodeCase,
  intParam,
  optionsArg,
  type Param,
  rangeCase,
  runTargets,
  stringParam,
  type Target,
  type,
  typeCase,
} from '../helpers/hostile-table.ts';

// --- Fixtures: one EC chain, a CSR and a CRL. ---

const DAY = 86400e3;
const now = Date.now();
const rootKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const leafKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const root = new CertificateBuilder()
  .subjectName(nameFrom({ CN: 'hostile root' }))
  .publicKey(rootKey.publicKey)
  .notValidBefore(new Date(now - DAY))
  .notValidAfter(new Date(now + 30 * DAY))
  .basicConstraints(true, 0)
  .keyUsage(['keyCertSign', 'cRLSign'])
  .sign(rootKey.privateKey);
const leaf = new CertificateBuilder()
  .subjectName(nameFrom({ CN: 'localhost' }))
  .publicKey(leafKey.publicKey)
  .notValidBefore(new Date(now - DAY))
  .notValidAfter(new Date(now + 10 * DAY))
  .subjectAlternativeName(generalNames(['DNS:localhost', 'IP:127.0.0.1']))
  .sign(rootKey.privateKey, { issuer: root });
const csr = new CertificateSigningRequestBuilder()
  .subjectName(nameFrom({ CN: 'csr' }))
  .sign(leafKey.privateKey);
const crl = new CertificateRevocationListBuilder()
  .lastUpdate(new Date(now - DAY))
  .nextUpdate(new Date(now + DAY))
  .addRevokedCertificate(5n, new Date(now - DAY))
  .sign(root, rootKey.privateKey);
const secretKey = createSecretKey(new Uint8Array(32));
const PIN_A = pinFromCertificate(leaf);
const PIN_B = pinFromCertificate(root);

const dir = mkdtempSync(join(tmpdir(), 'coffer-x509-hostile-'));
const bundlePath = join(dir, 'bundle.pem');
writeFileSync(bundlePath, leaf.toPem() + root.toPem());
const emptyPath = join(dir, 'empty.pem');
writeFileSync(emptyPath, 'no certificates here\n');

const server = tls.createServer(
  {
    key: leafKey.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    cert: leaf.toPem(),
  },
  (s) => s.end(),
);
server.on('tlsClientError', () => {});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as { port: number }).port;
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

// --- Parameter vocabulary for X.509 objects. ---

const instanceParam = (name: string, extra: readonly Case[] = []): Param => ({
  name,
  cases: [...hostileInstances, ...extra],
  kind: type,
});
const certificateParam = (name: string) =>
  instanceParam(name, [
    typeCase('Object.create(Certificate.prototype)', Object.create(Certificate.prototype)),
    typeCase('a CSR', csr),
  ]);
const keyParam = (name: string, privateOnly: boolean): Param =>
  instanceParam(name, [
    typeCase('a secret KeyObject', secretKey),
    typeCase('a PEM string', leafKey.publicKey.export({ type: 'spki', format: 'pem' })),
    ...(privateOnly ? [typeCase('a public KeyObject', leafKey.publicKey)] : []),
  ]);
const dateParam = (name: string): Param => ({
  name,
  cases: [
    ...hostileNullish,
    typeCase('a number', now),
    typeCase('an ISO string', '2030-01-01T00:00:00Z'),
    typeCase('{}', {}),
    rangeCase('an invalid Date', new Date(Number.NaN)),
  ],
  kind: type,
});
const bigintParam = (name: string, extra: readonly Case[] = []): Param => ({
  name,
  cases: [
    ...hostileNullish,
    typeCase('number 5', 5),
    typeCase('string "5"', '5'),
    typeCase('{}', {}),
    ...extra,
  ],
  kind: type,
});
const booleanParam = (name: string, optional = false): Param => ({
  name,
  cases: [
    ...(optional ? [] : hostileNullish),
    typeCase('0', 0),
    typeCase('1', 1),
    typeCase('"true"', 'true'),
    typeCase('{}', {}),
  ],
  kind: type,
  optional,
});
const stringArrayParam = (name: string, wrongEntries: readonly Case[] = []): Param => ({
  name,
  cases: [
    ...hostileObjects.filter((c) => c.value !== null),
    ...hostileNullish,
    typeCase('a string', 'digitalSignature'),
    typeCase('an array holding a number', [1]),
    typeCase('an array holding null', [null]),
    ...wrongEntries,
  ],
  kind: type,
});
const oidParam = (name: string): Param =>
  stringParam(name, {
    cases: [
      ...hostileStrings,
      rangeCase('"not.an.oid"', 'not.an.oid'),
      rangeCase('empty', ''),
      rangeCase('"1"', '1'),
    ],
  });
const readerParam = (name: string, malformed: Uint8Array): Param => ({
  name,
  cases: [
    ...hostileInstances,
    typeCase('Object.create(DerReader.prototype)', Object.create(DerReader.prototype)),
    {
      label: 'a reader over malformed DER',
      get value() {
        return new DerReader(malformed);
      },
      kind: 'CofferError',
      code: 'ERR_DECODE',
    },
  ],
  kind: type,
});
const truncated = (der: Uint8Array) => der.subarray(0, der.length - 5);
const flipped = (der: Uint8Array) => {
  const out = Uint8Array.from(der);
  out[1] = (out[1] as number) ^ 0x01;
  return out;
};
const derParam = (name: string, der: Uint8Array): Param =>
  bytesParam(name, {}, [
    decodeCase('empty', new Uint8Array(0)),
    decodeCase('truncated', truncated(der)),
    decodeCase('length bit-flipped', flipped(der)),
    decodeCase('trailing byte', Uint8Array.from([...der, 0])),
    decodeCase(
      'a random blob',
      Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff),
    ),
  ]);
const pemParam = (name: string, wrongPem: string): Param =>
  stringParam(name, {
    cases: [
      ...hostileStrings,
      decodeCase('no PEM block', 'hello'),
      decodeCase('a PEM block of another kind', wrongPem),
      decodeCase('bad base64 body', '-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n'),
    ],
  });
const arg = (param: Param, valid: () => unknown, more: Partial<Arg> = {}): Arg => ({
  ...param,
  valid,
  ...more,
});

const builder = () =>
  new CertificateBuilder()
    .subjectName(nameFrom({ CN: 'x' }))
    .publicKey(leafKey.publicKey)
    .notValidAfter(new Date(now + DAY));
const crlBuilder = () =>
  new CertificateRevocationListBuilder().lastUpdate(new Date(now - DAY)).nextUpdate(new Date(now + DAY));
const policy = () => new PolicyBuilder().store(new Store([root])).time(new Date(now));

const X509_TARGETS: Target[] = [
  // PEM
  {
    name: 'parsePem',
    covers: ['x509:parsePem'],
    args: [
      arg(
        stringParam('pem', {
          cases: [...hostileStrings, decodeCase('bad base64', '-----BEGIN X-----\n@@\n-----END X-----\n')],
        }),
        () => leaf.toPem(),
      ),
    ],
    call: (t) => parsePem(t as string),
  },
  {
    name: 'encodePem',
    covers: ['x509:encodePem'],
    args: [
      arg(
        stringParam('label', {
          cases: [...hostileStrings, rangeCase('lower case', 'cert'), rangeCase('with dashes', 'A-----B')],
        }),
        () => 'CERTIFICATE',
      ),
      arg(bytesParam('der'), () => leaf.der),
    ],
    call: (l, d) => encodePem(l as string, d as Uint8Array),
  },
  // Loading
  ...(
    [
      ['loadDerX509Certificate', loadDerX509Certificate, leaf.der],
      ['loadDerX509Csr', loadDerX509Csr, csr.der],
      ['loadDerX509Crl', loadDerX509Crl, crl.der],
    ] as const
  ).map(
    ([name, fn, der]): Target => ({
      name,
      covers: [`x509:${name}`],
      args: [arg(derParam('data', der), () => der)],
      call: (d) => fn(d as Uint8Array),
    }),
  ),
  ...(
    [
      ['loadPemX509Certificate', loadPemX509Certificate, leaf.toPem(), csr.toPem()],
      ['loadPemX509Certificates', loadPemX509Certificates, leaf.toPem() + root.toPem(), csr.toPem()],
      ['loadPemX509Csr', loadPemX509Csr, csr.toPem(), leaf.toPem()],
      ['loadPemX509Crl', loadPemX509Crl, crl.toPem(), leaf.toPem()],
    ] as const
  ).map(
    ([name, fn, pem, wrong]): Target => ({
      name,
      covers: [`x509:${name}`],
      args: [arg(pemParam('pem', wrong), () => pem)],
      call: (p) => fn(p as string),
    }),
  ),
  ...(
    [
      ['Certificate', Certificate, leaf.der],
      ['CertificateSigningRequest', CertificateSigningRequest, csr.der],
      ['CertificateRevocationList', CertificateRevocationList, crl.der],
    ] as const
  ).map(
    ([name, Ctor, der]): Target => ({
      name: `new ${name}`,
      covers: [`x509:${name}`],
      args: [arg(derParam('der', der), () => der)],
      call: (d) => new (Ctor as new (d: Uint8Array) => unknown)(d as Uint8Array),
    }),
  ),
  {
    name: 'Certificate#fingerprint',
    covers: [],
    args: [
      arg(
        stringParam('algorithm', {
          cases: [...hostileStrings.filter((c) => c.value !== undefined), typeCase('"md5"', 'md5')],
        }),
        () => 'sha256',
      ),
    ],
    call: (a) => leaf.fingerprint(a as string),
  },
  {
    name: 'Certificate#verifyDirectlyIssuedBy',
    covers: [],
    args: [arg(certificateParam('issuer'), () => root)],
    call: (i) => leaf.verifyDirectlyIssuedBy(i as Certificate),
  },
  {
    name: 'CertificateRevocationList#isSignatureValid',
    covers: [],
    args: [arg(keyParam('issuerKey', false), () => rootKey.publicKey)],
    call: (k) => crl.isSignatureValid(k as KeyObject),
  },
  {
    name: 'CertificateRevocationList#getRevokedCertificateBySerialNumber',
    covers: [],
    args: [arg(bigintParam('serial'), () => 5n)],
    call: (s) => crl.getRevokedCertificateBySerialNumber(s as bigint),
  },
  // Signatures
  {
    name: 'signatureScheme',
    covers: ['x509:signatureScheme'],
    args: [
      arg(
        instanceParam('algorithm', [
          typeCase('{oid: 1}', { oid: 1, parameters: null }),
          typeCase('{oid, parameters: "x"}', { oid: '1.2.840.10045.4.3.2', parameters: 'x' }),
          {
            label: 'an unknown algorithm',
            value: { oid: '1.2.3.4', parameters: null, der: new Uint8Array(0) },
            kind: 'CofferError',
            code: 'ERR_UNSUPPORTED_ALGORITHM',
          },
        ]),
        () => leaf.signatureAlgorithm,
      ),
    ],
    call: (a) => signatureScheme(a as never),
  },
  {
    name: 'verifySignature',
    covers: ['x509:verifySignature'],
    args: [
      arg(
        instanceParam('algorithm', [typeCase('{oid: 1}', { oid: 1, parameters: null })]),
        () => leaf.signatureAlgorithm,
      ),
      arg(keyParam('key', false), () => rootKey.publicKey),
      arg(bytesParam('data'), () => leaf.tbsCertificateBytes),
      arg(
        bytesParam('signature', {}, [
          {
            label: 'a wrong signature',
            value: new Uint8Array(70),
            kind: 'CofferError',
            code: 'ERR_INVALID_SIGNATURE',
          },
        ]),
        () => leaf.signature,
      ),
    ],
    call: (a, k, d, s) => verifySignature(a as never, k as KeyObject, d as Uint8Array, s as Uint8Array),
  },
  // Names and extensions
  {
    name: 'new Name',
    covers: ['x509:Name'],
    args: [
      arg(
        {
          name: 'rdns',
          cases: [
            ...hostileObjects,
            typeCase('an array of strings', ['CN=x']),
            typeCase('an RDN that is not an array', [{ oid: '2.5.4.3', value: 'x', tag: 12 }]),
            typeCase('an attribute without a value', [[{ oid: '2.5.4.3', tag: 12 }]]),
            rangeCase('an attribute with a bad OID', [[{ oid: 'cn', value: 'x', tag: 12 }]]),
          ],
          kind: type,
        },
        () => [[{ oid: '2.5.4.3', value: 'x', tag: 12 }]],
      ),
      arg(bytesParam('der', { optional: true }), () => undefined),
    ],
    call: (r, d) => new Name(r as never, d as Uint8Array | undefined),
  },
  {
    name: 'encodeName',
    covers: ['x509:encodeName'],
    args: [
      arg(
        { name: 'rdns', cases: [...hostileObjects, typeCase('an array of strings', ['CN=x'])], kind: type },
        () => [[{ oid: '2.5.4.3', value: 'x', tag: 12 }]],
      ),
    ],
    call: (r) => encodeName(r as never),
  },
  {
    name: 'nameFrom',
    covers: ['x509:nameFrom'],
    args: [
      arg(
        {
          name: 'attrs',
          cases: [
            ...hostileObjects,
            typeCase('an unknown attribute', { XX: 'y' }),
            typeCase('a number value', { CN: 5 }),
          ],
          kind: type,
          label: null,
        },
        () => ({ CN: 'x', O: 'y' }),
      ),
    ],
    call: (a) => nameFrom(a as never),
  },
  {
    name: 'generalNames',
    covers: ['x509:generalNames'],
    args: [
      arg(
        stringArrayParam('spec', [
          typeCase('no type', ['example.com']),
          typeCase('an unknown type', ['FOO:x']),
          rangeCase('a bad IP', ['IP:1.2.3']),
        ]),
        () => ['DNS:example.com'],
        { label: null },
      ),
    ],
    call: (s) => generalNames(s as string[]),
  },
  {
    name: 'keyIdentifier',
    covers: ['x509:keyIdentifier'],
    args: [arg(keyParam('key', false), () => leafKey.publicKey)],
    call: (k) => keyIdentifier(k as KeyObject),
  },
  {
    name: 'new Extension',
    covers: ['x509:Extension'],
    args: [
      arg(oidParam('oid'), () => ExtensionOID.SUBJECT_ALTERNATIVE_NAME),
      arg(booleanParam('critical'), () => false),
      arg(bytesParam('rawValue'), () => new Uint8Array([0x30, 0])),
    ],
    call: (o, c, r) => new Extension(o as string, c as boolean, r as Uint8Array),
  },
  {
    name: 'new Extensions',
    covers: ['x509:Extensions'],
    args: [
      arg(
        {
          name: 'list',
          cases: [
            ...hostileObjects,
            ...hostileNullish,
            typeCase('an array of numbers', [1]),
            typeCase('an array of plain objects', [
              { oid: '1.2.3', critical: false, rawValue: new Uint8Array(0) },
            ]),
          ],
          kind: type,
        },
        () => [new Extension('1.2.3', false, new Uint8Array(0))],
      ),
    ],
    call: (l) => new Extensions(l as Extension[]),
  },
  {
    name: 'isKnownExtension',
    covers: ['x509:isKnownExtension'],
    args: [arg(stringParam('oid'), () => ExtensionOID.KEY_USAGE)],
    call: (o) => isKnownExtension(o as string),
  },
  {
    name: 'readExtensions',
    covers: ['x509:readExtensions'],
    args: [
      arg(
        readerParam('reader', new Uint8Array([0x30, 0x00])),
        () => new DerReader(Uint8Array.from([0x30, 0x08, 0x30, 0x06, 0x06, 0x01, 0x2a, 0x04, 0x01, 0x00])),
      ),
    ],
    call: (r) => readExtensions(r as DerReader),
  },
  {
    name: 'readGeneralName',
    covers: ['x509:readGeneralName'],
    args: [
      arg(
        readerParam('reader', new Uint8Array([0x82, 0x05, 0x61])),
        () => new DerReader(Uint8Array.from([0x82, 0x01, 0x61])),
      ),
    ],
    call: (r) => readGeneralName(r as DerReader),
  },
  {
    name: 'readName',
    covers: ['x509:readName'],
    args: [arg(readerParam('reader', new Uint8Array([0x31, 0x00])), () => new DerReader(leaf.subject.der))],
    call: (r) => readName(r as DerReader),
  },
  // Builders
  {
    name: 'CertificateBuilder#subjectName',
    covers: ['x509:CertificateBuilder'],
    args: [arg(instanceParam('name', [typeCase('a string', 'CN=x')]), () => nameFrom({ CN: 'x' }))],
    call: (n) => new CertificateBuilder().subjectName(n as Name),
  },
  {
    name: 'CertificateBuilder#issuerName',
    covers: [],
    args: [arg(instanceParam('name'), () => nameFrom({ CN: 'x' }))],
    call: (n) => new CertificateBuilder().issuerName(n as Name),
  },
  {
    name: 'CertificateBuilder#publicKey',
    covers: [],
    args: [arg(keyParam('key', false), () => leafKey.publicKey)],
    call: (k) => new CertificateBuilder().publicKey(k as KeyObject),
  },
  {
    name: 'CertificateBuilder#serialNumber',
    covers: [],
    args: [
      arg(
        bigintParam('serial', [
          rangeCase('0n', 0n),
          rangeCase('-1n', -1n),
          rangeCase('2n**159n', 2n ** 159n),
        ]),
        () => 5n,
      ),
    ],
    call: (s) => new CertificateBuilder().serialNumber(s as bigint),
  },
  {
    name: 'CertificateBuilder#notValidBefore',
    covers: [],
    args: [arg(dateParam('date'), () => new Date(now))],
    call: (d) => new CertificateBuilder().notValidBefore(d as Date),
  },
  {
    name: 'CertificateBuilder#notValidAfter',
    covers: [],
    args: [arg(dateParam('date'), () => new Date(now))],
    call: (d) => new CertificateBuilder().notValidAfter(d as Date),
  },
  {
    name: 'CertificateBuilder#addExtension',
    covers: [],
    args: [
      arg(oidParam('oid'), () => '1.2.3.4'),
      arg(booleanParam('critical'), () => false),
      arg(bytesParam('value'), () => new Uint8Array([5, 0])),
    ],
    call: (o, c, v) => new CertificateBuilder().addExtension(o as string, c as boolean, v as Uint8Array),
  },
  {
    name: 'CertificateBuilder#basicConstraints',
    covers: [],
    args: [arg(booleanParam('ca'), () => true), arg(intParam('pathLength', [], { nullable: true }), () => 1)],
    call: (c, p) => new CertificateBuilder().basicConstraints(c as boolean, p as number | null),
  },
  {
    name: 'CertificateBuilder#keyUsage',
    covers: [],
    args: [
      arg(
        stringArrayParam('usages', [typeCase('an unknown usage', ['sign']), rangeCase('empty', [])]),
        () => ['digitalSignature'],
        { label: null },
      ),
    ],
    call: (u) => new CertificateBuilder().keyUsage(u as string[]),
  },
  {
    name: 'CertificateBuilder#extendedKeyUsage',
    covers: [],
    args: [
      arg(stringArrayParam('oids', [rangeCase('a malformed OID', ['serverAuth'])]), () => [
        '1.3.6.1.5.5.7.3.1',
      ]),
    ],
    call: (o) => new CertificateBuilder().extendedKeyUsage(o as string[]),
  },
  {
    name: 'CertificateBuilder#subjectAlternativeName',
    covers: [],
    args: [
      arg(
        {
          name: 'names',
          cases: [
            ...hostileObjects,
            ...hostileNullish,
            typeCase('strings', ['DNS:x']),
            typeCase('an unknown type', [{ type: 'x400', value: 'x' }]),
            typeCase('a DNS name that is not a string', [{ type: 'dns', value: 5 }]),
          ],
          kind: type,
        },
        () => generalNames(['DNS:x.example']),
      ),
      arg(booleanParam('critical', true), () => undefined),
    ],
    call: (n, c) => new CertificateBuilder().subjectAlternativeName(n as never, c as boolean | undefined),
  },
  {
    name: 'CertificateBuilder#sign',
    covers: [],
    args: [
      arg(keyParam('privateKey', true), () => rootKey.privateKey),
      optionsArg(
        () => ({ issuer: root }),
        {
          hash: {
            name: 'hash',
            cases: [...hostileStrings.filter((c) => c.value !== undefined), typeCase('"sha1"', 'sha1')],
            kind: type,
            optional: true,
          },
          rsaPadding: {
            name: 'rsaPadding',
            cases: [typeCase('"oaep"', 'oaep'), typeCase('5', 5)],
            kind: type,
            optional: true,
          },
          issuer: { ...certificateParam('issuer'), optional: true },
        },
        true,
      ),
    ],
    call: (k, o) => builder().sign(k as KeyObject, o as never),
  },
  {
    name: 'CertificateSigningRequestBuilder',
    covers: ['x509:CertificateSigningRequestBuilder'],
    args: [arg(keyParam('privateKey', true), () => leafKey.privateKey), optionsArg(() => ({}), {}, true)],
    call: (k, o) =>
      new CertificateSigningRequestBuilder()
        .subjectName(nameFrom({ CN: 'x' }))
        .sign(k as KeyObject, o as never),
  },
  {
    name: 'CertificateSigningRequestBuilder#subjectName',
    covers: [],
    args: [arg(instanceParam('name'), () => nameFrom({ CN: 'x' }))],
    call: (n) => new CertificateSigningRequestBuilder().subjectName(n as Name),
  },
  {
    name: 'CertificateRevocationListBuilder#lastUpdate',
    covers: ['x509:CertificateRevocationListBuilder'],
    args: [arg(dateParam('date'), () => new Date(now))],
    call: (d) => new CertificateRevocationListBuilder().lastUpdate(d as Date),
  },
  {
    name: 'CertificateRevocationListBuilder#nextUpdate',
    covers: [],
    args: [arg(dateParam('date'), () => new Date(now))],
    call: (d) => new CertificateRevocationListBuilder().nextUpdate(d as Date),
  },
  {
    name: 'CertificateRevocationListBuilder#crlNumber',
    covers: [],
    args: [arg(bigintParam('n', [rangeCase('-1n', -1n), rangeCase('2n**159n', 2n ** 159n)]), () => 2n)],
    call: (n) => new CertificateRevocationListBuilder().crlNumber(n as bigint),
  },
  {
    name: 'CertificateRevocationListBuilder#addRevokedCertificate',
    covers: [],
    args: [
      arg(bigintParam('serial', [rangeCase('-1n', -1n)]), () => 5n),
      arg(dateParam('revocationDate'), () => new Date(now)),
    ],
    call: (s, d) => new CertificateRevocationListBuilder().addRevokedCertificate(s as bigint, d as Date),
  },
  {
    name: 'CertificateRevocationListBuilder#sign',
    covers: [],
    args: [
      arg(certificateParam('issuer'), () => root),
      arg(keyParam('privateKey', true), () => rootKey.privateKey),
      optionsArg(() => ({}), {}, true),
    ],
    call: (i, k, o) => crlBuilder().sign(i as Certificate, k as KeyObject, o as never),
  },
  // Verification
  {
    name: 'new Store',
    covers: ['x509:Store'],
    args: [
      arg(
        {
          name: 'certs',
          cases: [
            ...hostileObjects,
            ...hostileNullish,
            typeCase('empty', []),
            typeCase('a PEM string in an array', [root.toPem()]),
          ],
          kind: type,
        },
        () => [root],
      ),
    ],
    call: (c) => new Store(c as Certificate[]),
  },
  {
    name: 'PolicyBuilder#store',
    covers: ['x509:PolicyBuilder'],
    args: [
      arg(instanceParam('store', [typeCase('an array of certificates', [root])]), () => new Store([root])),
    ],
    call: (s) => new PolicyBuilder().store(s as Store),
  },
  {
    name: 'PolicyBuilder#time',
    covers: [],
    args: [
      arg(
        {
          ...dateParam('time'),
          cases: dateParam('time').cases.map((c) =>
            c.label === 'an invalid Date' ? typeCase(c.label, c.value) : c,
          ),
        },
        () => new Date(now),
      ),
    ],
    call: (t) => new PolicyBuilder().time(t as Date),
  },
  {
    name: 'PolicyBuilder#maxChainDepth',
    covers: [],
    args: [arg(intParam('depth', [rangeCase('256', 256)]), () => 3)],
    call: (d) => new PolicyBuilder().maxChainDepth(d as number),
  },
  {
    name: 'PolicyBuilder#crls',
    covers: [],
    args: [
      arg(
        {
          name: 'crls',
          cases: [
            ...hostileObjects,
            ...hostileNullish,
            typeCase('an array holding a certificate', [root]),
            typeCase('an array of strings', [crl.toPem()]),
          ],
          kind: type,
        },
        () => [crl],
      ),
    ],
    call: (c) => new PolicyBuilder().crls(c as CertificateRevocationList[]),
  },
  {
    name: 'PolicyBuilder#buildServerVerifier',
    covers: ['x509:ServerVerifier'],
    args: [
      arg(
        {
          name: 'subject',
          cases: [
            ...hostileObjects,
            ...hostileNullish,
            typeCase('a string', 'localhost'),
            typeCase('{dns: 5}', { dns: 5 }),
            rangeCase('{dns: "bad name"}', { dns: 'bad name' }),
            rangeCase('{ip: "1.2.3"}', { ip: '1.2.3' }),
          ],
          kind: type,
          label: ['subject', 'subject.dns', 'subject.ip'],
        },
        () => ({ dns: 'localhost' }),
      ),
    ],
    call: (s) => policy().buildServerVerifier(s as never),
  },
  {
    name: 'ServerVerifier#verify',
    covers: [],
    args: [
      arg(certificateParam('leaf'), () => leaf),
      arg(
        {
          name: 'intermediates',
          cases: [
            ...hostileObjects.filter((c) => c.value !== undefined),
            typeCase('an array of strings', [root.toPem()]),
          ],
          kind: type,
          optional: true,
        },
        () => [],
      ),
    ],
    call: (l, i) =>
      policy()
        .buildServerVerifier({ dns: 'localhost' })
        .verify(l as Certificate, i as Certificate[]),
  },
  {
    name: 'ClientVerifier#verify',
    covers: ['x509:ClientVerifier'],
    args: [
      arg(certificateParam('leaf'), () => leaf),
      arg(
        {
          name: 'intermediates',
          cases: [...hostileObjects.filter((c) => c.value !== undefined), typeCase('[null]', [null])],
          kind: type,
          optional: true,
        },
        () => [],
      ),
    ],
    call: (l, i) =>
      policy()
        .buildClientVerifier()
        .verify(l as Certificate, i as Certificate[]),
  },
  {
    name: 'isDnsName',
    covers: ['x509:isDnsName'],
    args: [arg(stringParam('name'), () => 'example.com'), arg(booleanParam('allowWildcard'), () => true)],
    call: (n, w) => isDnsName(n as string, w as boolean),
  },
  {
    name: 'parseIp',
    covers: ['x509:parseIp'],
    args: [arg(stringParam('text'), () => '127.0.0.1')],
    call: (t) => parseIp(t as string),
  },
  {
    name: 'formatIp',
    covers: ['x509:formatIp'],
    args: [
      arg(
        bytesParam('address', {}, [
          rangeCase('5 bytes', new Uint8Array(5)),
          rangeCase('empty', new Uint8Array(0)),
        ]),
        () => Uint8Array.of(127, 0, 0, 1),
      ),
    ],
    call: (b) => formatIp(b as Uint8Array),
  },
];

// --- coffer/pinning ---

const pinsParam: Param = {
  name: 'pins',
  cases: [
    ...hostileObjects,
    ...hostileNullish,
    typeCase('a single pin string', PIN_A),
    typeCase('an array holding a number', [PIN_A, 5]),
    rangeCase('one pin', [PIN_A]),
    rangeCase('the same pin twice', [PIN_A, PIN_A]),
    rangeCase('hex instead of base64', [PIN_A, 'ab'.repeat(32)]),
    rangeCase('a "sha256/" prefix', [PIN_A, `sha256/${PIN_B}`]),
    rangeCase('base64url', [PIN_A, `${'-_'.repeat(21)}A=`]),
    rangeCase('base64 of 31 bytes', [PIN_A, Buffer.alloc(31, 1).toString('base64')]),
  ],
  kind: type,
};
const policyFields: Record<string, Param> = {
  pins: pinsParam,
  reportOnly: booleanParam('reportOnly', true),
  onPinMismatch: {
    name: 'onPinMismatch',
    cases: [typeCase('a string', 'log'), typeCase('{}', {}), typeCase('null', null)],
    kind: type,
    optional: true,
  },
  rejectUnauthorized: {
    name: 'rejectUnauthorized',
    cases: [typeCase('false', false), typeCase('0', 0), typeCase('null', null)],
    kind: type,
    optional: true,
  },
  checkServerIdentity: {
    name: 'checkServerIdentity',
    cases: [typeCase('a string', 'x'), typeCase('null', null)],
    kind: type,
    optional: true,
  },
  maxCachedSessions: intParam('maxCachedSessions', [], { optional: true }),
};
const pinOptions = () => ({ pins: [PIN_A, PIN_B] });
const fakeUndici = {
  Agent: class {
    readonly options: unknown;
    constructor(options: unknown) {
      this.options = options;
    }
  },
};

const PINNING_TARGETS: Target[] = [
  {
    name: 'pinFromCertificate',
    covers: ['pinning:pinFromCertificate'],
    args: [
      arg(
        bytesParam('certificate', { kind: (v) => (typeof v === 'string' ? 'CofferError' : 'TypeError') }, [
          typeCase('Object.create(Certificate.prototype)', Object.create(Certificate.prototype)),
          decodeCase('truncated DER', truncated(leaf.der)),
          decodeCase('a CSR PEM', csr.toPem()),
          decodeCase('two certificates', leaf.toPem() + root.toPem()),
        ]),
        () => leaf,
      ),
    ],
    call: (c) => pinFromCertificate(c as Certificate),
  },
  {
    name: 'pinFromPublicKey',
    covers: ['pinning:pinFromPublicKey'],
    args: [arg(keyParam('key', false), () => leafKey.publicKey)],
    call: (k) => pinFromPublicKey(k as KeyObject),
  },
  {
    name: 'pinsFromPemFile',
    covers: ['pinning:pinsFromPemFile'],
    async: true,
    args: [
      arg(
        stringParam('path', {
          cases: [
            ...hostileStrings,
            rangeCase('empty', ''),
            decodeCase('a file without certificates', emptyPath),
          ],
        }),
        () => bundlePath,
      ),
    ],
    call: (p) => pinsFromPemFile(p as string),
  },
  {
    name: 'pinsFromServer',
    covers: ['pinning:pinsFromServer'],
    async: true,
    args: [
      arg(stringParam('host', { cases: [...hostileStrings, rangeCase('empty', '')] }), () => '127.0.0.1'),
      arg(intParam('port', [rangeCase('0', 0), rangeCase('65536', 65536)]), () => port),
      optionsArg(
        () => ({ servername: 'localhost', ca: root.toPem() }),
        {
          servername: stringParam('servername', {
            optional: true,
            cases: [...hostileStrings, rangeCase('empty', '')],
          }),
          ca: {
            name: 'ca',
            cases: [
              typeCase('a number', 5),
              typeCase('an empty array', []),
              typeCase('[null]', [null]),
              typeCase('{}', {}),
            ],
            kind: type,
            optional: true,
          },
          timeout: intParam('timeout', [rangeCase('0', 0)], { optional: true }),
        },
        true,
      ),
    ],
    call: (h, p, o) => pinsFromServer(h as string, p as number, o as never),
  },
  {
    name: 'createPinnedAgent',
    covers: ['pinning:createPinnedAgent'],
    args: [optionsArg(pinOptions, policyFields)],
    call: (o) => createPinnedAgent(o as never),
  },
  {
    name: 'createPinnedConnect',
    covers: ['pinning:createPinnedConnect'],
    args: [
      optionsArg(pinOptions, {
        ...policyFields,
        connectTimeout: intParam('connectTimeout', [rangeCase('0', 0)], { optional: true }),
      }),
    ],
    call: (o) => createPinnedConnect(o as never),
  },
  {
    name: 'createPinnedDispatcher',
    covers: ['pinning:createPinnedDispatcher'],
    args: [
      arg(
        instanceParam('undici', [typeCase('{Agent: 5}', { Agent: 5 }), typeCase('{}', {})]),
        () => fakeUndici,
      ),
      optionsArg(pinOptions, {
        pins: pinsParam,
        agentOptions: {
          name: 'agentOptions',
          cases: hostileObjects.filter((c) => c.value !== null),
          kind: type,
          optional: true,
        },
      }),
    ],
    call: (u, o) => createPinnedDispatcher(u as never, o as never),
  },
];

runTargets([...X509_TARGETS, ...PINNING_TARGETS]);

checkCoverage(
  { x509: x509 as Record<string, unknown>, pinning: pinning as Record<string, unknown> },
  [...X509_TARGETS, ...PINNING_TARGETS],
  {},
  'test/x509/hostile.test.ts',
);
