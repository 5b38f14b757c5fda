// AEADs, AES-256-GCM and ChaCha20-Poly1305 at 64 B, 1 KiB, 64 KiB and 1 MiB: coffer's
// `encrypt(nonce, data)` (ciphertext ‖ tag) and `decrypt` against the node:crypto a user would write for
// the same bytes (createCipheriv with the raw key, then Buffer.concat of update, final and the tag) and
// pyca's AESGCM / ChaCha20Poly1305. coffer runs on its native addon when it is loaded (the header line
// says which backend); `COFFER_BACKEND=js npm run bench -- aes` measures its node:crypto path. A fixed nonce keeps the three outputs comparable; it is a benchmark, not a
// protocol. bench/openssl-speed.ts puts `openssl speed -evp` beside these rows (run.ts prints it last).
import { type CipherGCMTypes, createCipheriv, createDecipheriv } from 'node:crypto';
import { AESGCM, ChaCha20Poly1305 } from '../../src/hazmat/aead.ts';
import { defineCases, pattern, py } from '../case.ts';

const key = pattern(32, 5);
const nonce = pattern(12, 3);
const sizes = [64, 1024, 64 * 1024, 1024 * 1024];

function raw(name: 'aes-256-gcm' | 'chacha20-poly1305', data: Uint8Array): Uint8Array {
  // (Typed as a GCM name: @types/node has no overload for the union.)
  const c = createCipheriv(name as CipherGCMTypes, key, nonce, { authTagLength: 16 });
  const body = c.update(data);
  const last = c.final();
  return Buffer.concat([body, last, c.getAuthTag()]);
}

function rawOpen(name: 'aes-256-gcm' | 'chacha20-poly1305', sealed: Uint8Array): Uint8Array {
  const cut = sealed.length - 16;
  const d = createDecipheriv(name as CipherGCMTypes, key, nonce, { authTagLength: 16 });
  d.setAuthTag(sealed.subarray(cut));
  const body = d.update(sealed.subarray(0, cut));
  const last = d.final();
  return last.length === 0 ? body : Buffer.concat([body, last]);
}

const pyca = (cls: string) => py`
  from cryptography.hazmat.primitives.ciphers.aead import ${cls}
  aead = ${cls}(pattern(32, 5))
  nonce = pattern(12, 3)
  data = pattern(SIZE, 1)
  def op():
      return aead.encrypt(nonce, data, None)
`;

const pycaOpen = (cls: string) => py`
  from cryptography.hazmat.primitives.ciphers.aead import ${cls}
  aead = ${cls}(pattern(32, 5))
  nonce = pattern(12, 3)
  sealed = aead.encrypt(nonce, pattern(SIZE, 1), None)
  def op():
      return aead.decrypt(nonce, sealed, None)
`;

const gcm = new AESGCM(key);
const chacha = new ChaCha20Poly1305(key);

export default defineCases([
  ...sizes.map((size) => {
    const data = pattern(size, 1);
    return {
      name: 'aes-256-gcm encrypt',
      size,
      coffer: () => gcm.encrypt(nonce, data),
      raw: () => raw('aes-256-gcm', data),
      pyca: pyca('AESGCM'),
    };
  }),
  ...sizes.map((size) => {
    const data = pattern(size, 1);
    return {
      name: 'chacha20-poly1305 encrypt',
      size,
      coffer: () => chacha.encrypt(nonce, data),
      raw: () => raw('chacha20-poly1305', data),
      pyca: pyca('ChaCha20Poly1305'),
    };
  }),
  ...sizes.map((size) => {
    const sealed = gcm.encrypt(nonce, pattern(size, 1));
    return {
      name: 'aes-256-gcm decrypt',
      size,
      coffer: () => gcm.decrypt(nonce, sealed),
      raw: () => rawOpen('aes-256-gcm', sealed),
      pyca: pycaOpen('AESGCM'),
    };
  }),
  ...sizes.map((size) => {
    const sealed = chacha.encrypt(nonce, pattern(size, 1));
    return {
      name: 'chacha20-poly1305 decrypt',
      size,
      coffer: () => chacha.decrypt(nonce, sealed),
      raw: () => rawOpen('chacha20-poly1305', sealed),
      pyca: pycaOpen('ChaCha20Poly1305'),
    };
  }),
]);
