// The command table: name, one-line summary, help text, and the function that runs it.
import {
  DECRYPT_HELP,
  decryptCommand,
  ENCRYPT_HELP,
  encryptCommand,
  KEYGEN_HELP,
  keygenCommand,
} from './age.ts';
import { DOCTOR_HELP, doctorCommand } from './doctor.ts';
import { HASH_HELP, hashCommand } from './hash.ts';
import { PG_HELP, pgCommand } from './pg.ts';
import {
  FERNET_HELP,
  fernetCommand,
  KEYRING_HELP,
  keyringCommand,
  PASSWORD_HELP,
  passwordCommand,
  TOTP_HELP,
  totpCommand,
} from './recipes.ts';
import { SIGN_HELP, signCommand, VERIFY_HELP, verifyCommand } from './ssh-sign.ts';

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  run(argv: readonly string[]): Promise<number>;
}

export const COMMANDS: readonly Command[] = [
  {
    name: 'keygen',
    summary: 'make an age identity (X25519 key pair)',
    help: KEYGEN_HELP,
    run: keygenCommand,
  },
  {
    name: 'encrypt',
    summary: 'encrypt a file in the age format (-r, -R, -p, -a, -o)',
    help: ENCRYPT_HELP,
    run: encryptCommand,
  },
  { name: 'decrypt', summary: 'decrypt an age file (-i, -o)', help: DECRYPT_HELP, run: decryptCommand },
  {
    name: 'sign',
    summary: 'make an SSH signature (ssh-keygen -Y sign compatible)',
    help: SIGN_HELP,
    run: signCommand,
  },
  {
    name: 'verify',
    summary: 'check an SSH signature against an allowed-signers file',
    help: VERIFY_HELP,
    run: verifyCommand,
  },
  {
    name: 'hash',
    summary: 'print or check file hashes (sha256sum format)',
    help: HASH_HELP,
    run: hashCommand,
  },
  {
    name: 'fernet',
    summary: 'Fernet keys and tokens (keygen, encrypt, decrypt)',
    help: FERNET_HELP,
    run: fernetCommand,
  },
  {
    name: 'keyring',
    summary: 'keyrings of rotating keys (new, list, rotate, disable, seal, open)',
    help: KEYRING_HELP,
    run: keyringCommand,
  },
  {
    name: 'password',
    summary: 'hash and verify passwords (argon2id by default)',
    help: PASSWORD_HELP,
    run: passwordCommand,
  },
  {
    name: 'totp',
    summary: 'time-based one-time passwords (new, uri, code)',
    help: TOTP_HELP,
    run: totpCommand,
  },
  {
    name: 'pg',
    summary: 'PostgreSQL key rotation job and verification (rotate, verify)',
    help: PG_HELP,
    run: pgCommand,
  },
  {
    name: 'doctor',
    summary: 'show the crypto backend, OpenSSL version and CPU features in use',
    help: DOCTOR_HELP,
    run: doctorCommand,
  },
];
