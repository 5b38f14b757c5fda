// Run by test/helpers/native.ts's runOnBackend in a child process whose COFFER_BACKEND picks the backend:
// reads a list of operations as JSON on stdin and answers with their outputs (hex), or the error class
// name for a refusal, so the parent can compare the two backends byte for byte.
import { readFileSync } from 'node:fs';
import { AESGCM, ChaCha20Poly1305 } from '../../src/hazmat/aead.ts';
import { backendInfo } from '../../src/hazmat/backend.ts';
import { hash, SHA256, SHA512 } from '../../src/hazmat/hashes.ts';
import { hmac } from '../../src/hazmat/hmac.ts';
import { openRaw, sealingKey, sealRaw } from '../../src/recipes/sealed-token.ts';

export type ChildOp =
  | {
      op: 'encrypt' | 'decrypt';
      alg: 'AESGCM' | 'ChaCha20Poly1305';
      key: string;
      nonce: string;
      data: string;
      aad: string | null;
    }
  | { op: 'hmac'; hash: 'sha256' | 'sha512'; key: string; data: string }
  | { op: 'hash'; hash: 'sha256' | 'sha512'; data: string }
  | { op: 'seal'; id: number; key: string; plaintext: string; context: string; nonce: string }
  | { op: 'open'; id: number; key: string; token: string; context: string };

export interface ChildAnswer {
  backend: string;
  results: string[];
}

const bytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const algorithm = (name: string) => (name === 'sha256' ? new SHA256() : new SHA512());

function run(op: ChildOp): string {
  try {
    switch (op.op) {
      case 'encrypt':
      case 'decrypt': {
        const aead = op.alg === 'AESGCM' ? new AESGCM(bytes(op.key)) : new ChaCha20Poly1305(bytes(op.key));
        const aad = op.aad === null ? undefined : bytes(op.aad);
        return hex(
          op.op === 'encrypt'
            ? aead.encrypt(bytes(op.nonce), bytes(op.data), aad)
            : aead.decrypt(bytes(op.nonce), bytes(op.data), aad),
        );
      }
      case 'hmac':
        return hex(hmac(algorithm(op.hash), bytes(op.key), bytes(op.data)));
      case 'hash':
        return hex(hash(algorithm(op.hash), bytes(op.data)));
      case 'seal':
        return hex(
          sealRaw(sealingKey(op.id, bytes(op.key)), bytes(op.plaintext), bytes(op.context), bytes(op.nonce)),
        );
      case 'open':
        return hex(openRaw(sealingKey(op.id, bytes(op.key)), bytes(op.token), bytes(op.context)));
    }
  } catch (err) {
    return err instanceof Error ? err.constructor.name : 'thrown';
  }
}

const ops = JSON.parse(readFileSync(0, 'utf8')) as ChildOp[];
const answer: ChildAnswer = { backend: backendInfo().backend, results: ops.map(run) };
process.stdout.write(JSON.stringify(answer));
