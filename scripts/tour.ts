// `npm run demo`: a short tour of what coffer does today, through the public package exports, with real
// operations and a line for each. (Once the PostgreSQL integration lands this becomes the recovery-codes demo.)
import {
  Fernet,
  hashPassword,
  InvalidKey,
  InvalidToken,
  KeyDisabled,
  Keyring,
  randomToken,
  regenerateRecoveryCodes,
  TOTP,
  verifyPassword,
  verifyRecoveryCode,
  Webhook,
} from 'coffer';
import { base64urlEncode } from 'coffer/encoding';
import { AESGCM } from 'coffer/hazmat/aead';
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

step('Passwords are hashed, never encrypted: Argon2id, verified in constant time');
const phc = await hashPassword('correct horse battery staple');
show('hashPassword', `${phc.slice(0, 40)}…`);
await verifyPassword('correct horse battery staple', phc);
show('verify(right password)', 'ok');
try {
  await verifyPassword('Tr0ub4dor&3', phc);
} catch (err) {
  show('verify(wrong password)', `${(err as Error).name} (${err instanceof InvalidKey})`);
}

step('Recovery codes: shown once, stored as keyed hashes under a pepper from the keyring');
const { codes, stored } = await regenerateRecoveryCodes({ count: 3, pepper: keyring });
show('codes to show the user', codes.join('  '));
show('what the database keeps', `${JSON.stringify(stored[0])} …`);
const typed = codes[1]!.toLowerCase().replaceAll('-', ' ');
show(
  `verify("${typed}")`,
  `matches stored code #${await verifyRecoveryCode(typed, stored, { pepper: keyring })}`,
);

step('One-time passwords (TOTP, RFC 6238) and signed webhooks (Standard Webhooks)');
const totp = TOTP.generate();
const now = Math.floor(Date.now() / 1000);
const code = totp.generateAtTime(now);
show('TOTP code now', `${code} (matched step ${totp.verifyAtTime(code, now)})`);
const webhookSecret = Webhook.generateSecret();
const hook = new Webhook(webhookSecret);
const body = '{"type":"invoice.paid","amount":4200}';
const signature = hook.sign('msg_demo_1', new Date(), body);
show('webhook-signature', signature);
show(
  'verify',
  JSON.stringify(
    hook.verify(body, {
      'webhook-id': 'msg_demo_1',
      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      'webhook-signature': signature,
    }),
  ).slice(0, 60),
);

step('Hazmat AEAD, for those who must manage nonces themselves');
const aead = new AESGCM(AESGCM.generateKey(256));
const nonce = new Uint8Array(12).fill(7);
const ct = aead.encrypt(nonce, new TextEncoder().encode('raw AES-256-GCM'), null);
show('AESGCM encrypt', `${ct.length} bytes (plaintext + 16-byte tag)`);
show('AESGCM decrypt', new TextDecoder().decode(aead.decrypt(nonce, ct, null)));

step('Random tokens from the OS CSPRNG');
show('randomToken()', randomToken());
console.log('\nDone.');
