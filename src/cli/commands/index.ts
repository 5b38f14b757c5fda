// The command table: name, one-line summary, and the module that holds its help text and its function.
// Modules load only when their command runs (or shows its help): a command pays for its own imports, not
// for every command's, which keeps start-up time and memory down (the age commands stream 1 GiB files
// within 100 MiB of RSS).

export interface CommandModule {
  readonly help: string;
  run(argv: readonly string[]): Promise<number>;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  load(): Promise<CommandModule>;
}

const age = () => import('./age.ts');
const recipes = () => import('./recipes.ts');
const ssh = () => import('./ssh-sign.ts');

export const COMMANDS: readonly Command[] = [
  {
    name: 'keygen',
    summary: 'make an age identity (X25519 key pair)',
    load: async () => ({ help: (await age()).KEYGEN_HELP, run: (await age()).keygenCommand }),
  },
  {
    name: 'encrypt',
    summary: 'encrypt a file in the age format (-r, -R, -p, -a, -o)',
    load: async () => ({ help: (await age()).ENCRYPT_HELP, run: (await age()).encryptCommand }),
  },
  {
    name: 'decrypt',
    summary: 'decrypt an age file (-i, -o)',
    load: async () => ({ help: (await age()).DECRYPT_HELP, run: (await age()).decryptCommand }),
  },
  {
    name: 'sign',
    summary: 'make an SSH signature (ssh-keygen -Y sign compatible)',
    load: async () => ({ help: (await ssh()).SIGN_HELP, run: (await ssh()).signCommand }),
  },
  {
    name: 'verify',
    summary: 'check an SSH signature against an allowed-signers file',
    load: async () => ({ help: (await ssh()).VERIFY_HELP, run: (await ssh()).verifyCommand }),
  },
  {
    name: 'hash',
    summary: 'print or check file hashes (sha256sum format)',
    load: async () => {
      const m = await import('./hash.ts');
      return { help: m.HASH_HELP, run: m.hashCommand };
    },
  },
  {
    name: 'fernet',
    summary: 'Fernet keys and tokens (keygen, encrypt, decrypt)',
    load: async () => ({ help: (await recipes()).FERNET_HELP, run: (await recipes()).fernetCommand }),
  },
  {
    name: 'keyring',
    summary: 'keyrings of rotating keys (new, list, rotate, disable, seal, open)',
    load: async () => ({ help: (await recipes()).KEYRING_HELP, run: (await recipes()).keyringCommand }),
  },
  {
    name: 'password',
    summary: 'hash and verify passwords (argon2id by default)',
    load: async () => ({ help: (await recipes()).PASSWORD_HELP, run: (await recipes()).passwordCommand }),
  },
  {
    name: 'totp',
    summary: 'time-based one-time passwords (new, uri, code)',
    load: async () => ({ help: (await recipes()).TOTP_HELP, run: (await recipes()).totpCommand }),
  },
  {
    name: 'pg',
    summary: 'PostgreSQL key rotation job and verification (rotate, verify)',
    load: async () => {
      const m = await import('./pg.ts');
      return { help: m.PG_HELP, run: m.pgCommand };
    },
  },
  {
    name: 'doctor',
    summary: 'show the crypto backend, OpenSSL version and CPU features in use',
    load: async () => {
      const m = await import('./doctor.ts');
      return { help: m.DOCTOR_HELP, run: m.doctorCommand };
    },
  },
];
