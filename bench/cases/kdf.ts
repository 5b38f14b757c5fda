// Key derivation: HKDF, PBKDF2 and scrypt, each a fresh single-use object per derivation as in pyca.
import { hkdfSync, pbkdf2Sync, scryptSync } from 'node:crypto';
import { SHA256 } from '../../src/hazmat/hashes.ts';
import { HKDF, PBKDF2HMAC, Scrypt } from '../../src/hazmat/kdf.ts';
import { defineCases, pattern, py } from '../case.ts';

const ikm = pattern(32, 3);
const salt = pattern(16, 4);
const info = new TextEncoder().encode('coffer/v1/bench');
const password = new TextEncoder().encode('correct horse battery staple');

// OWASP's 2023 figure for PBKDF2-HMAC-SHA256, and scrypt at 2^17 (128 MiB), the interactive-login ballpark.
const ITERATIONS = 600_000;
const N = 2 ** 17;
const R = 8;

export default defineCases([
  {
    name: 'hkdf-sha256 L=32',
    size: ikm.length,
    coffer: () => new HKDF({ algorithm: new SHA256(), length: 32, salt, info }).derive(ikm),
    raw: () => new Uint8Array(hkdfSync('sha256', ikm, salt, info, 32)),
    pyca: py`
      from cryptography.hazmat.primitives.kdf.hkdf import HKDF
      ikm = pattern(32, 3)
      salt = pattern(16, 4)
      info = b'coffer/v1/bench'
      def op():
          return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)
    `,
  },
  {
    name: `pbkdf2-sha256 ${ITERATIONS / 1000}k it`,
    size: password.length,
    throughput: false,
    // The work factor dominates: any per-call overhead is noise, so hold coffer to the large-input target.
    maxRatio: 1.1,
    coffer: () =>
      new PBKDF2HMAC({ algorithm: new SHA256(), length: 32, salt, iterations: ITERATIONS }).derive(password),
    raw: () => pbkdf2Sync(password, salt, ITERATIONS, 32, 'sha256'),
    pyca: py`
      from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
      password = b'correct horse battery staple'
      salt = pattern(16, 4)
      def op():
          return PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=${ITERATIONS}).derive(password)
    `,
  },
  {
    name: 'scrypt N=2^17 r=8 p=1',
    size: password.length,
    throughput: false,
    maxRatio: 1.1,
    coffer: () => new Scrypt({ salt, length: 32, n: N, r: R, p: 1 }).derive(password),
    // node's default maxmem (32 MiB) is below the 128 MiB these parameters need.
    raw: () => scryptSync(password, salt, 32, { N, r: R, p: 1, maxmem: 256 * 1024 * 1024 }),
    pyca: py`
      from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
      password = b'correct horse battery staple'
      salt = pattern(16, 4)
      def op():
          return Scrypt(salt=salt, length=32, n=${N}, r=${R}, p=1).derive(password)
    `,
  },
]);
