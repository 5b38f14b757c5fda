// The command table: name, one-line summary, help text, and the function that runs it.
import { HASH_HELP, hashCommand } from './hash.ts';
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

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  run(argv: readonly string[]): Promise<number>;
}

export const COMMANDS: readonly Command[] = [
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
];
