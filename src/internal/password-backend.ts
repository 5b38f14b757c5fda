// The password-hashing backends, kept beside backend.ts as part of the one adapter layer. Argon2 has three:
//
// - node:crypto's `argon2` (OpenSSL 3.2+), where the running Node has it (Node 24: feature-detected);
// - @node-rs/argon2 (an optional, prebuilt native package: the Rust `argon2` crate), elsewhere: on these
//   machines the fastest implementation for Node 20 (bench/passwords.ts);
// - @noble/hashes' pure-JS argon2 (a dependency, so always present), last: several times slower, and it
//   runs on the main thread, yielding to the event loop every few milliseconds instead of leaving it.
//
// bcrypt is verify-only, through the optional @node-rs/bcrypt. Optional packages load lazily, inside a
// try, so coffer works when they are absent. scrypt and PBKDF2 are OpenSSL's, through backend.ts.
import * as nc from 'node:crypto';
import { createRequire } from 'node:module';
import { UnsupportedAlgorithm } from '../errors.ts';
import type { Argon2Variant } from '../formats/phc.ts';

/** Where Argon2 runs. */
export type Argon2Backend = 'node:crypto' | '@node-rs/argon2' | '@noble/hashes';

export interface Argon2Params {
  readonly variant: Argon2Variant;
  /** KiB. */
  readonly memoryCost: number;
  readonly iterations: number;
  readonly lanes: number;
  readonly length: number;
}

type NodeArgon2 = (
  algorithm: Argon2Variant,
  parameters: {
    message: Uint8Array;
    nonce: Uint8Array;
    parallelism: number;
    tagLength: number;
    memory: number;
    passes: number;
  },
  callback: (err: Error | null, key: Buffer) => void,
) => void;

// @types/node 20 does not know crypto.argon2 (Node >= 24.7).
const nodeArgon2: NodeArgon2 | undefined =
  typeof (nc as { argon2?: unknown }).argon2 === 'function'
    ? (nc as unknown as { argon2: NodeArgon2 }).argon2
    : undefined;

interface NodeRsArgon2 {
  hashRaw(
    password: Uint8Array,
    options: {
      salt: Uint8Array;
      memoryCost: number;
      timeCost: number;
      parallelism: number;
      outputLen: number;
      algorithm: number;
      version: number;
    },
  ): Promise<Buffer>;
}

interface NodeRsBcrypt {
  verify(password: Uint8Array, hash: string): Promise<boolean>;
}

const require = createRequire(import.meta.url);

/** Loads an optional package once; `null` when it is absent or does not have the expected shape. */
function optional<T>(name: string, check: (m: Record<string, unknown>) => boolean): () => T | null {
  let loaded: T | null | undefined;
  return () => {
    if (loaded === undefined) {
      try {
        const m = require(name) as Record<string, unknown>;
        loaded = typeof m === 'object' && m !== null && check(m) ? (m as T) : null;
      } catch {
        loaded = null;
      }
    }
    return loaded;
  };
}

const nodeRsArgon2 = optional<NodeRsArgon2>('@node-rs/argon2', (m) => typeof m.hashRaw === 'function');
const nodeRsBcrypt = optional<NodeRsBcrypt>('@node-rs/bcrypt', (m) => typeof m.verify === 'function');

/** The Argon2 backends this runtime can use, in order of preference. */
export function argon2Backends(): Argon2Backend[] {
  const out: Argon2Backend[] = [];
  if (nodeArgon2 !== undefined) out.push('node:crypto');
  if (nodeRsArgon2() !== null) out.push('@node-rs/argon2');
  out.push('@noble/hashes');
  return out;
}

/** True when the backend can run here. */
export function hasArgon2Backend(backend: Argon2Backend): boolean {
  return argon2Backends().includes(backend);
}

// @node-rs/argon2's enums (declared `const enum`, so not importable under isolatedModules).
const NODE_RS_ALGORITHM: Record<Argon2Variant, number> = { argon2d: 0, argon2i: 1, argon2id: 2 };
const NODE_RS_V0X13 = 1;

/**
 * Argon2 (version 0x13) of `password` and `salt` on the chosen backend. Callers validate every parameter
 * first (formats/phc.ts ceilings): the backends' own errors are not part of coffer's contract.
 */
export async function argon2(
  backend: Argon2Backend,
  password: Uint8Array,
  salt: Uint8Array,
  params: Argon2Params,
): Promise<Uint8Array> {
  switch (backend) {
    case 'node:crypto': {
      const run = nodeArgon2;
      if (run === undefined) throw new UnsupportedAlgorithm('node:crypto has no Argon2 in this Node version');
      const key = await new Promise<Buffer>((resolve, reject) =>
        run(
          params.variant,
          {
            message: password,
            nonce: salt,
            parallelism: params.lanes,
            tagLength: params.length,
            memory: params.memoryCost,
            passes: params.iterations,
          },
          (err, k) => (err ? reject(err) : resolve(k)),
        ),
      );
      return new Uint8Array(key.buffer, key.byteOffset, key.byteLength);
    }
    case '@node-rs/argon2': {
      const m = nodeRsArgon2();
      if (m === null) throw new UnsupportedAlgorithm('the optional package @node-rs/argon2 is not installed');
      const key = await m.hashRaw(password, {
        salt,
        memoryCost: params.memoryCost,
        timeCost: params.iterations,
        parallelism: params.lanes,
        outputLen: params.length,
        algorithm: NODE_RS_ALGORITHM[params.variant],
        version: NODE_RS_V0X13,
      });
      return new Uint8Array(key.buffer, key.byteOffset, key.byteLength);
    }
    case '@noble/hashes': {
      const noble = await import('@noble/hashes/argon2.js');
      const fn =
        params.variant === 'argon2id'
          ? noble.argon2idAsync
          : params.variant === 'argon2i'
            ? noble.argon2iAsync
            : noble.argon2dAsync;
      return fn(password, salt, {
        m: params.memoryCost,
        t: params.iterations,
        p: params.lanes,
        dkLen: params.length,
        version: 0x13,
        // noble's own ceiling (1 GiB by default) would refuse the largest memory coffer accepts.
        maxmem: params.memoryCost * 1024 + 1024 * 1024,
        asyncTick: 10,
      });
    }
  }
}

/** True when @node-rs/bcrypt is installed. */
export function hasBcrypt(): boolean {
  return nodeRsBcrypt() !== null;
}

/**
 * Whether `password` matches the bcrypt string `encoded` ($2a$, $2b$ or $2y$), through @node-rs/bcrypt's
 * verify (the Rust bcrypt crate, which compares in constant time). The caller has checked the string's
 * form and cost.
 */
export async function bcryptVerify(password: Uint8Array, encoded: string): Promise<boolean> {
  const m = nodeRsBcrypt();
  if (m === null) {
    throw new UnsupportedAlgorithm(
      'bcrypt hashes need the optional package @node-rs/bcrypt, which is not installed ' +
        '(hint: npm install @node-rs/bcrypt)',
    );
  }
  return m.verify(password, encoded);
}
