// Wycheproof's AES-GCM and ChaCha20-Poly1305 families straight through the native contexts (the
// hazmat suite, test/hazmat/wycheproof-aead.test.ts, runs them through whichever backend is active).
// The addon serves 12-byte nonces with 16-byte tags: those groups run here, one test per vector; the
// other shapes go to node:crypto, and here the native context must refuse them with a RangeError
// rather than ever give an answer.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NativeAead, type NativeAeadName } from '../../src/internal/native.ts';
import { nativeSkip } from '../helpers/native.ts';
import { hex, loadJson, toHex, vectorSkip } from '../helpers/vectors.ts';

interface Vector {
  tcId: number;
  comment: string;
  key: string;
  iv: string;
  aad: string;
  msg: string;
  ct: string;
  tag: string;
  result: 'valid' | 'invalid' | 'acceptable';
}
interface Group {
  keySize: number;
  ivSize: number;
  tagSize: number;
  tests: Vector[];
}

function family(file: string, nameFor: (keyBits: number) => NativeAeadName | undefined): void {
  const skip = nativeSkip() || vectorSkip(`wycheproof/${file}`);
  describe(`native ${file}`, { skip }, () => {
    if (skip) return;
    const doc = loadJson<{ testGroups: Group[] }>(`wycheproof/${file}`);
    let served = 0;
    for (const group of doc.testGroups) {
      const name = nameFor(group.keySize);
      for (const v of group.tests) {
        const label = `tcId ${v.tcId} ${v.comment}`.trim();
        if (name === undefined) continue;
        const key = hex(v.key);
        const iv = hex(v.iv);
        if (group.ivSize !== 96 || group.tagSize !== 128 || iv.length !== 12) {
          test(`${label}: not a native shape, refused`, () => {
            const ctx = new NativeAead(name, key);
            assert.throws(() => ctx.seal(iv, hex(v.msg), hex(v.aad)), RangeError);
            assert.throws(() => ctx.open(iv, hex(v.ct), hex(v.tag), hex(v.aad)), RangeError);
            ctx.destroy();
          });
          continue;
        }
        served++;
        test(label, () => {
          const ctx = new NativeAead(name, key);
          const opened = ctx.open(iv, hex(v.ct), hex(v.tag), hex(v.aad));
          if (v.result === 'valid') {
            assert.equal(toHex(ctx.seal(iv, hex(v.msg), hex(v.aad))), v.ct + v.tag);
            assert.equal(opened === null ? null : toHex(opened), v.msg);
          } else if (v.result === 'invalid') {
            assert.equal(opened, null);
          } else {
            assert.ok(opened === null || toHex(opened) === v.msg, 'acceptable: refused or exact');
          }
          ctx.destroy();
        });
      }
    }
    test('the family has native-shaped vectors', () => assert.ok(served > 50, `${served} served`));
  });
}

family('aes_gcm_test.json', (bits) =>
  bits === 128 ? 'aes-128-gcm' : bits === 192 ? 'aes-192-gcm' : bits === 256 ? 'aes-256-gcm' : undefined,
);
family('chacha20_poly1305_test.json', (bits) => (bits === 256 ? 'chacha20-poly1305' : undefined));
