// X.509: parsing one DER certificate, and verifying a 3-certificate chain (root → intermediate → leaf, all
// ECDSA P-256 with SHA-256), through coffer/x509, node's X509Certificate, and pyca's `x509` module, on the
// same certificates: the chain is built once at startup with coffer's CertificateBuilder and its DER is
// handed to pyca inside the snippet.
//
// What each column does per operation:
// - parse: coffer's `loadDerX509Certificate` decodes the whole TBSCertificate, extensions included; node's
//   `new X509Certificate` runs OpenSSL's d2i_X509 (which also caches the extensions); pyca's
//   `load_der_x509_certificate` decodes the structure but leaves extension values for later access. The
//   `parse+fields` row then reads the same fields on all three (subject CN, first SAN DNS name, notAfter),
//   which evens out that laziness.
// - verify chain: coffer's ServerVerifier and pyca's server verifier (built once, outside the loop, with a
//   fixed validation time) build and check the path: signatures, validity, basic constraints, key usage,
//   EKU, the DNS name. Node has no path validation, so the `node` column is the hand-written subset a user
//   would reach for (checkIssued + verify per link, validity dates, checkHost): a floor, not an equal, hence
//   the wider `maxRatio`.
// Outputs compared before timing: `parse` returns a constant once parsing succeeded (the pyca snippet checks
// the serial number it reads), `parse+fields` the fields read, `verify chain` the chain found, as indexes.
import { generateKeyPairSync, type KeyObject, X509Certificate } from 'node:crypto';
import {
  type Certificate,
  CertificateBuilder,
  ExtendedKeyUsageOID,
  ExtensionOID,
  generalNames,
  loadDerX509Certificate,
  NameOID,
  nameFrom,
  PolicyBuilder,
  Store,
} from '../../src/x509/index.ts';
import { defineCases, py } from '../case.ts';

const ONE = Uint8Array.of(1);
/** The operation's constant output, once `_` has been computed without throwing. */
const done = (_: unknown): Uint8Array => ONE;
const HOST = 'bench.coffer.test';
/** The validation time on every side, inside every certificate's validity. */
const AT = new Date('2026-06-01T00:00:00Z');
const AT_PY = 'datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)';

const ec = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
function ca(cn: string, key: { publicKey: KeyObject; privateKey: KeyObject }, issuer?: Issuer): Certificate {
  return new CertificateBuilder()
    .subjectName(nameFrom({ CN: cn, O: 'coffer bench' }))
    .publicKey(key.publicKey)
    .notValidBefore(new Date('2025-01-01T00:00:00Z'))
    .notValidAfter(new Date('2035-01-01T00:00:00Z'))
    .basicConstraints(true, issuer ? 0 : null)
    .keyUsage(['keyCertSign', 'cRLSign'])
    .sign(issuer?.key ?? key.privateKey, issuer ? { issuer: issuer.cert } : {});
}
interface Issuer {
  cert: Certificate;
  key: KeyObject;
}

const rootKey = ec();
const root = ca('coffer bench root', rootKey);
const interKey = ec();
const inter = ca('coffer bench intermediate', interKey, { cert: root, key: rootKey.privateKey });
// A leaf shaped like a Web PKI server certificate, short of the AIA, policy and SCT extensions.
const leaf = new CertificateBuilder()
  .subjectName(nameFrom({ CN: HOST }))
  .publicKey(ec().publicKey)
  .notValidBefore(new Date('2026-01-01T00:00:00Z'))
  .notValidAfter(new Date('2026-12-31T00:00:00Z'))
  .basicConstraints(false, null)
  .keyUsage(['digitalSignature'])
  .extendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH])
  .subjectAlternativeName(generalNames([`DNS:${HOST}`, `DNS:www.${HOST}`, 'IP:127.0.0.1']))
  .sign(interKey.privateKey, { issuer: inter });
const leafDer = leaf.der;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// --- parse ---

function cofferFields(): Uint8Array {
  const c = loadDerX509Certificate(leafDer);
  const cn = c.subject.getAttributesForOid(NameOID.COMMON_NAME)[0]!.value;
  const san = c.extensions.value(ExtensionOID.SUBJECT_ALTERNATIVE_NAME) ?? [];
  const dns = san.find((n) => n.type === 'dns')!.value as string;
  return new TextEncoder().encode(`${cn}|${dns}|${Math.floor(c.notValidAfter.getTime() / 1000)}`);
}

function nodeFields(): Uint8Array {
  const x = new X509Certificate(leafDer);
  // node gives text: `CN=...` lines and `DNS:a, DNS:b, IP Address:...`.
  const cn = /^CN=(.*)$/m.exec(x.subject)![1];
  const dns = /(?:^|, )DNS:([^,]*)/.exec(x.subjectAltName ?? '')![1];
  return new TextEncoder().encode(`${cn}|${dns}|${Math.floor(Date.parse(x.validTo) / 1000)}`);
}

// --- verify chain ---

const verifier = new PolicyBuilder()
  .store(new Store([root]))
  .time(AT)
  .buildServerVerifier({ dns: HOST });
const nodeRoot = new X509Certificate(root.der);
const nodeInter = new X509Certificate(inter.der);
const nodeLeaf = new X509Certificate(leaf.der);
const atMs = AT.getTime();

/** The chain leaf first as indexes (leaf 1, intermediate 2, root 3), the output all three must agree on. */
const CHAIN = Uint8Array.of(1, 2, 3);
const chainIndexes = (chain: readonly Certificate[]): Uint8Array =>
  Uint8Array.from(chain, (c) => (c === leaf ? 1 : c === inter ? 2 : c === root ? 3 : 0));

function nodeVerifyChain(): Uint8Array {
  for (const [child, parent] of [
    [nodeLeaf, nodeInter],
    [nodeInter, nodeRoot],
  ] as const) {
    if (!child.checkIssued(parent) || !child.verify(parent.publicKey)) throw new Error('bad link');
  }
  for (const x of [nodeLeaf, nodeInter, nodeRoot]) {
    if (Date.parse(x.validFrom) > atMs || Date.parse(x.validTo) < atMs) throw new Error('expired');
  }
  if (nodeLeaf.checkHost(HOST) === undefined) throw new Error('wrong host');
  return CHAIN;
}

const PY_CERTS = py`
  import datetime
  from cryptography import x509
  from cryptography.x509.oid import NameOID
  from cryptography.x509.verification import PolicyBuilder, Store
  leaf_der = bytes.fromhex('${hex(leaf.der)}')
  inter_der = bytes.fromhex('${hex(inter.der)}')
  root_der = bytes.fromhex('${hex(root.der)}')
  assert x509.load_der_x509_certificate(leaf_der).serial_number == ${leaf.serialNumber.toString()}
`;

export default defineCases([
  {
    name: 'x509 parse',
    size: leafDer.length,
    throughput: false,
    coffer: () => done(loadDerX509Certificate(leafDer)),
    raw: () => done(new X509Certificate(leafDer)),
    pyca: `${PY_CERTS}${py`
      def op():
          x509.load_der_x509_certificate(leaf_der)
          return b'\x01'
    `}`,
  },
  {
    name: 'x509 parse+fields',
    size: leafDer.length,
    throughput: false,
    coffer: cofferFields,
    raw: nodeFields,
    pyca: `${PY_CERTS}${py`
      def op():
          c = x509.load_der_x509_certificate(leaf_der)
          cn = c.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
          san = c.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
          dns = san.get_values_for_type(x509.DNSName)[0]
          return f'{cn}|{dns}|{int(c.not_valid_after_utc.timestamp())}'.encode()
    `}`,
  },
  {
    name: 'x509 verify chain',
    size: leaf.der.length + inter.der.length + root.der.length,
    throughput: false,
    // The node column checks a subset (see the top of the file): coffer doing the whole job within 3x of it
    // is the target, pyca's speed the other.
    maxRatio: 3,
    coffer: () => chainIndexes(verifier.verify(leaf, [inter])),
    raw: nodeVerifyChain,
    pyca: `${PY_CERTS}${py`
      leaf = x509.load_der_x509_certificate(leaf_der)
      inter = x509.load_der_x509_certificate(inter_der)
      root = x509.load_der_x509_certificate(root_der)
      verifier = PolicyBuilder().store(Store([root])).time(${AT_PY}).build_server_verifier(x509.DNSName('${HOST}'))
      def op():
          chain = verifier.verify(leaf, [inter])
          return bytes(1 if c == leaf else 2 if c == inter else 3 if c == root else 0 for c in chain)
    `}`,
  },
]);
