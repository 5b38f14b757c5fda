// Signatures and key agreement: Ed25519 sign/verify, ECDSA P-256 (SHA-256) sign/verify, X25519 exchange and
// RSA-2048 PSS (SHA-256, MGF1-SHA-256, salt = digest length) sign/verify, through coffer's key classes, the
// node:crypto calls a user would write (crypto.sign/verify/diffieHellman on KeyObjects), and pyca. After the
// table, bench/openssl-speed.ts prints `openssl speed ed25519 ecdsap256 ecdhx25519 rsa2048` beside these rows.
//
// Ed25519 signatures and X25519 secrets are deterministic, so all three compute the same bytes from the same
// keys (seeded from `pattern`). ECDSA and PSS signatures are randomized: sign rows return a constant (1) once
// the signature has the expected length; verify rows return 1 when the signature verifies.
import {
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  constants as nodeConstants,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import { ECDSA, EllipticCurvePrivateKey, SECP256R1 } from '../../src/hazmat/asymmetric/ec.ts';
import { Ed25519PrivateKey } from '../../src/hazmat/asymmetric/ed25519.ts';
import { MGF1, PSS } from '../../src/hazmat/asymmetric/padding.ts';
import { RSAPrivateKey } from '../../src/hazmat/asymmetric/rsa.ts';
import { X25519PrivateKey } from '../../src/hazmat/asymmetric/x25519.ts';
import { SHA256 } from '../../src/hazmat/hashes.ts';
import { Encoding, NoEncryption, PrivateFormat } from '../../src/hazmat/serialization.ts';
import { defineCases, pattern, py } from '../case.ts';

const MESSAGE = 64;
const data = pattern(MESSAGE, 1);
const ONE = Uint8Array.of(1);
const ZERO = Uint8Array.of(0);

/** A node KeyObject pair for a coffer private key, through its own PKCS#8: the raw side's keys are the same. */
function nodeKeys(key: { privateBytes(e: 'DER', f: 'PKCS8', enc: NoEncryption): string | Uint8Array }) {
  const der = key.privateBytes(Encoding.DER, PrivateFormat.PKCS8, new NoEncryption()) as Uint8Array;
  const privateKey = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

// Ed25519: the same 32-byte seed on all three sides.
const edSeed = pattern(32, 3);
const ed = Ed25519PrivateKey.fromPrivateBytes(edSeed);
const edPub = ed.publicKey();
const edNode = nodeKeys(ed as never);
const edSig = ed.sign(data);

// ECDSA P-256.
const ec = EllipticCurvePrivateKey.generate(new SECP256R1());
const ecPub = ec.publicKey();
const ecNode = nodeKeys(ec as never);
const ecdsa = new ECDSA(new SHA256());
const ecSig = ec.sign(data, ecdsa);

// X25519: private pattern(32, 4), peer private pattern(32, 5), on all three sides.
const xa = X25519PrivateKey.fromPrivateBytes(pattern(32, 4));
const xb = X25519PrivateKey.fromPrivateBytes(pattern(32, 5));
const xbPub = xb.publicKey();
const xaNode = nodeKeys(xa as never).privateKey;
const xbNode = nodeKeys(xb as never).publicKey;

// RSA-2048 PSS.
const rsa = RSAPrivateKey.generate({ publicExponent: 65537, keySize: 2048 });
const rsaPub = rsa.publicKey();
const rsaNode = nodeKeys(rsa as never);
const pss = new PSS({ mgf: new MGF1(new SHA256()), saltLength: PSS.DIGEST_LENGTH });
const rsaSig = rsa.sign(data, pss, new SHA256());
const rsaNodeOptions = { padding: nodeConstants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };

const PY_KEYS = py`
  from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, x25519
  data = pattern(SIZE, 1)
`;

export default defineCases([
  {
    name: 'ed25519 sign',
    size: MESSAGE,
    throughput: false,
    coffer: () => ed.sign(data),
    raw: () => nodeSign(null, data, edNode.privateKey),
    pyca: `${PY_KEYS}key = ed25519.Ed25519PrivateKey.from_private_bytes(pattern(32, 3))
def op():
    return key.sign(data)
`,
  },
  {
    name: 'ed25519 verify',
    size: MESSAGE,
    throughput: false,
    coffer: () => {
      edPub.verify(edSig, data);
      return ONE;
    },
    raw: () => (nodeVerify(null, data, edNode.publicKey, edSig) ? ONE : ZERO),
    pyca: `${PY_KEYS}key = ed25519.Ed25519PrivateKey.from_private_bytes(pattern(32, 3))
pub = key.public_key()
sig = key.sign(data)
def op():
    pub.verify(sig, data)
    return b'\\x01'
`,
  },
  {
    name: 'ecdsa-p256 sign',
    size: MESSAGE,
    throughput: false,
    coffer: () => (ec.sign(data, ecdsa).length >= 8 ? ONE : ZERO),
    raw: () => (nodeSign('sha256', data, ecNode.privateKey).length >= 8 ? ONE : ZERO),
    pyca: `${PY_KEYS}from cryptography.hazmat.primitives import hashes
key = ec.generate_private_key(ec.SECP256R1())
alg = ec.ECDSA(hashes.SHA256())
def op():
    return b'\\x01' if len(key.sign(data, alg)) >= 8 else b'\\x00'
`,
  },
  {
    name: 'ecdsa-p256 verify',
    size: MESSAGE,
    throughput: false,
    coffer: () => {
      ecPub.verify(ecSig, data, ecdsa);
      return ONE;
    },
    raw: () => (nodeVerify('sha256', data, ecNode.publicKey, ecSig) ? ONE : ZERO),
    pyca: `${PY_KEYS}from cryptography.hazmat.primitives import hashes
key = ec.generate_private_key(ec.SECP256R1())
pub = key.public_key()
alg = ec.ECDSA(hashes.SHA256())
sig = key.sign(data, alg)
def op():
    pub.verify(sig, data, alg)
    return b'\\x01'
`,
  },
  {
    name: 'x25519 exchange',
    size: 32,
    throughput: false,
    coffer: () => xa.exchange(xbPub),
    raw: () => diffieHellman({ privateKey: xaNode, publicKey: xbNode }),
    pyca: py`
      from cryptography.hazmat.primitives.asymmetric import x25519
      a = x25519.X25519PrivateKey.from_private_bytes(pattern(32, 4))
      b = x25519.X25519PrivateKey.from_private_bytes(pattern(32, 5)).public_key()
      def op():
          return a.exchange(b)
    `,
  },
  {
    name: 'rsa2048-pss sign',
    size: MESSAGE,
    throughput: false,
    coffer: () => Uint8Array.of(rsa.sign(data, pss, new SHA256()).length / 8),
    raw: () =>
      Uint8Array.of(nodeSign('sha256', data, { key: rsaNode.privateKey, ...rsaNodeOptions }).length / 8),
    pyca: `${PY_KEYS}from cryptography.hazmat.primitives import hashes
key = rsa.generate_private_key(65537, 2048)
pad = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH)
def op():
    return bytes([len(key.sign(data, pad, hashes.SHA256())) // 8])
`,
  },
  {
    name: 'rsa2048-pss verify',
    size: MESSAGE,
    throughput: false,
    coffer: () => {
      rsaPub.verify(rsaSig, data, pss, new SHA256());
      return ONE;
    },
    raw: () =>
      nodeVerify('sha256', data, { key: rsaNode.publicKey, ...rsaNodeOptions }, rsaSig) ? ONE : ZERO,
    pyca: `${PY_KEYS}from cryptography.hazmat.primitives import hashes
key = rsa.generate_private_key(65537, 2048)
pub = key.public_key()
pad = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH)
sig = key.sign(data, pad, hashes.SHA256())
def op():
    pub.verify(sig, data, pad, hashes.SHA256())
    return b'\\x01'
`,
  },
]);
