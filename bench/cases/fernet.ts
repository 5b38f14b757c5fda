// Fernet: coffer's `Fernet.encrypt` / `Fernet.decrypt` against the plain node:crypto a user would write
// for the same token format, and pyca's `Fernet`.
//
// A token holds a fresh random IV, so two encryptions never give the same bytes: the encrypt cases
// return the token's length (as decimal text) so the three outputs can still be compared. The decrypt
// cases return the plaintext. The plain version is what a careful user writes without coffer; coffer's
// decrypt also checks the text is the one canonical spelling and returns plaintext in its own ArrayBuffer
// (not Node's shared pool).
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Fernet } from '../../src/recipes/fernet.ts';
import { defineCases, pattern, py } from '../case.ts';

const keyBytes = pattern(32, 3);
const key = `${Buffer.from(keyBytes).toString('base64url')}=`;
const signing = keyBytes.subarray(0, 16);
const encryption = keyBytes.subarray(16);
const fernet = new Fernet(key);
const NOW = 1_700_000_000;

const PAD = ['', '==', '='];

function rawEncrypt(data: Uint8Array): string {
  const header = Buffer.alloc(9);
  header[0] = 0x80;
  header.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000)), 1);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-128-cbc', encryption, iv);
  const body = Buffer.concat([header, iv, cipher.update(data), cipher.final()]);
  const token = Buffer.concat([body, createHmac('sha256', signing).update(body).digest()]);
  return token.toString('base64url') + PAD[token.length % 3];
}

function rawDecrypt(text: string): Uint8Array {
  const token = Buffer.from(text, 'base64url');
  if (token.length < 73 || token[0] !== 0x80) throw new Error('invalid token');
  const end = token.length - 32;
  const mac = createHmac('sha256', signing).update(token.subarray(0, end)).digest();
  if (!timingSafeEqual(mac, token.subarray(end))) throw new Error('invalid token');
  const decipher = createDecipheriv('aes-128-cbc', encryption, token.subarray(9, 25));
  return Buffer.concat([decipher.update(token.subarray(25, end)), decipher.final()]);
}

const setup = py`
  import base64
  from cryptography.fernet import Fernet
  f = Fernet(base64.urlsafe_b64encode(pattern(32, 3)))
  data = pattern(SIZE, 1)
`;

const lengthText = (token: string): Uint8Array => Buffer.from(String(token.length));

const sizes = [64, 1024, 1024 * 1024];

export default defineCases([
  ...sizes.map((size) => {
    const data = pattern(size, 1);
    return {
      name: 'fernet encrypt',
      size,
      coffer: () => lengthText(fernet.encrypt(data)),
      raw: () => lengthText(rawEncrypt(data)),
      pyca: `${setup}def op():\n    return str(len(f.encrypt(data))).encode()\n`,
    };
  }),
  ...sizes.map((size) => {
    const token = fernet.encryptAtTime(pattern(size, 1), NOW);
    return {
      name: 'fernet decrypt',
      size,
      coffer: () => fernet.decrypt(token),
      raw: () => rawDecrypt(token),
      pyca: `${setup}token = f.encrypt(data)\ndef op():\n    return f.decrypt(token)\n`,
    };
  }),
]);
