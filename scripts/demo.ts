// `npm run demo`: a short tour of what coffer does today, through the public package exports, with real
// operations and a line for each. (Once the PostgreSQL integration lands this becomes the recovery-codes demo.)
import { Fernet, InvalidToken, KeyDisabled, Keyring, randomToken } from 'coffer';
import { base64urlEncode } from 'coffer/encoding';
import { hash, SHA3_256, SHA256 } from 'coffer/hazmat/hashes';
import { hmac, hmacVerify } from 'coffer/hazmat/hmac';
import { HKDF, Scrypt } from 'coffer/hazmat/kdf';
import { SecretKey } from 'coffer/keys';

const step = (title: string) => console.log(`\n== ${title}`);
const show = (label: string, value: unknown) => console.log(`   ${label.padEnd(28)} ${String(value)}`);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

step('Hashing is one-way: the same input always gives the same digest, and nothing gives the input back');
show('SHA-256("coffer")', hex(hash(new SHA256(), 'coffer')));
show('SHA3-256("coffer")', hex(hash(new SHA3_256(), 'coffer')));

step('A MAC proves integrity: only holders of the key can make or check the tag');
const macKey = SecretKey.generate(32, { algorithm: 'HMAC-SHA256', id: 'webhooks-demo' });
const tag = hmac(new SHA256(), macKey, '{"event":"paid","amount":42}');
show('HMAC-SHA256 tag', hex(tag));
hmacVerify(new SHA256(), macKey, '{"event":"paid","amount":42}', tag);
show('verify(original)', 'ok');
try {
  hmacVerify(new SHA256(), macKey, '{"event":"paid","amount":4200}', tag);
} catch (err) {
  show('verify(tampered)', `${(err as Error).name}: ${(err as Error).message}`);
}
show('the key prints as', macKey);
show('JSON.stringify(key)', JSON.stringify(macKey));

step('Key derivation: one secret, many independent keys');
const master = SecretKey.generate(32, { id: 'master' });
const k1 = new HKDF({ algorithm: new SHA256(), length: 32, salt: null, info: 'coffer/v1/demo/email' }).derive(
  master,
);
const k2 = new HKDF({ algorithm: new SHA256(), length: 32, salt: null, info: 'coffer/v1/demo/phone' }).derive(
  master,
);
show('HKDF(info=email)', base64urlEncode(k1));
show('HKDF(info=phone)', base64urlEncode(k2));
const t0 = performance.now();
const salt = new Uint8Array(16);
await new Scrypt({ salt, length: 32, n: 2 ** 15, r: 8, p: 1 }).deriveAsync('correct horse battery staple');
show('scrypt n=2^15 (off-loop)', `${(performance.now() - t0).toFixed(0)} ms`);

step('Encryption is reversible with the key: a keyring of labeled, rotating keys');
const keyring = Keyring.generate({ label: 'users-2026' });
const context = { table: 'users', column: 'recovery_codes', id: '42' };
const token = keyring.seal('K7PD-2MWX-9QRT', { context });
show('sealed token (text form)', `${token.slice(0, 48)}… (${token.length} chars)`);
show('token names key', keyring.keyIdOf(token));
show('open(same row)', keyring.openText(token, { context }));
try {
  keyring.open(token, { context: { ...context, id: '43' } });
} catch (err) {
  show('open(copied to row 43)', `${(err as Error).name} (${err instanceof InvalidToken})`);
}
const oldKey = keyring.primaryKeyId;
keyring.rotate({ label: 'users-2027' });
show('rotated: primary is now', keyring.primaryKeyId);
show('old token still opens', keyring.openText(token, { context }));
const resealed = keyring.reseal(token, { context });
show('resealed under', keyring.keyIdOf(resealed));
keyring.disable(oldKey);
try {
  keyring.open(token, { context });
} catch (err) {
  show('old key disabled', `${(err as Error).message} (${err instanceof KeyDisabled})`);
}
show('resealed token opens', keyring.openText(resealed, { context }));
for (const k of keyring.list()) show(`key ${k.id}`, `${k.status.padEnd(8)} ${k.label} ${k.created}`);
const saved = await keyring.save({ kek: SecretKey.generate(32), kekId: 'demo-kek' });
show('saved keyring', `${saved.length} bytes of JSON, key bytes encrypted`);
show(
  'metadata without unlocking',
  Keyring.inspect(saved)
    .keys.map((k) => `${k.id}:${k.status}`)
    .join(', '),
);

step('Fernet, wire-compatible with Python cryptography');
const fernetKey = Fernet.generateKey();
const f = new Fernet(fernetKey);
const ft = f.encrypt('hello from coffer');
show('Fernet token', `${ft.slice(0, 40)}…`);
show('decrypt', new TextDecoder().decode(f.decrypt(ft)));
show('fernet object prints as', f);

step('Random tokens from the OS CSPRNG');
show('randomToken()', randomToken());
console.log('\nDone.');
