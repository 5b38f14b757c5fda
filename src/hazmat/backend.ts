/**
 * Which backend serves coffer's OpenSSL calls in this process, and what the CPU offers it.
 *
 * > **Hazmat.** This module only reports; nothing here encrypts. To encrypt values use `Keyring`
 * > (`seal`/`open`) from `coffer`; both backends give byte-identical results.
 *
 * coffer calls OpenSSL either through node:crypto or, when its native addon loaded, through that addon
 * directly (AES-GCM, ChaCha20-Poly1305, XAES-256-GCM for sealed tokens, HMAC-SHA256/512, SHA-256/512),
 * which saves node:crypto's per-call cost. The addon uses the OpenSSL inside the running node, so
 * `openssl` below is the same library either way. Set `COFFER_BACKEND=js` to force node:crypto, or
 * `COFFER_BACKEND=native` to make an unusable addon an error at startup.
 *
 * @example
 * ```ts
 * import { backendInfo } from 'coffer/hazmat/backend';
 * const info = backendInfo();
 * console.log(info.backend, info.openssl, info.cpu?.vaes); // 'native' 'OpenSSL 3.0.19 27 Jan 2026' true
 * ```
 * @module
 */
import { readFileSync } from 'node:fs';
import { nativeStatus } from '../internal/native.ts';

/** CPU features that decide OpenSSL's AES-GCM, ChaCha20 and SHA speed (from /proc/cpuinfo's flags). */
export interface CpuFeatures {
  /** AES-NI: hardware AES rounds. */
  readonly aes: boolean;
  /** Carry-less multiply, for GHASH. */
  readonly pclmulqdq: boolean;
  /** AVX2 (ChaCha20-Poly1305's wide paths). */
  readonly avx2: boolean;
  /** Vector AES (OpenSSL 3.5's AVX-512 AES-GCM). */
  readonly vaes: boolean;
  /** Vector carry-less multiply (the same path's GHASH). */
  readonly vpclmulqdq: boolean;
  /** AVX-512 Foundation. */
  readonly avx512f: boolean;
  /** SHA extensions (SHA-1 and SHA-256 in hardware). */
  readonly shaNi: boolean;
}

/** What {@link backendInfo} reports. */
export interface BackendInfo {
  /** `'native'` when coffer's addon serves its AEAD, HMAC and hash calls, else `'node:crypto'`. */
  readonly backend: 'native' | 'node:crypto';
  /** Why the addon is not in use (`'COFFER_BACKEND=js'`, a load error); `undefined` when it is. */
  readonly reason: string | undefined;
  /** The path of the loaded addon, when there is one. */
  readonly addon: string | undefined;
  /** The OpenSSL version string of the running node (the library both backends call). */
  readonly openssl: string;
  /** node's version (`process.version`). */
  readonly node: string;
  /** The CPU's relevant features, or `undefined` where they cannot be read (not Linux x86). */
  readonly cpu: CpuFeatures | undefined;
}

let cpuCache: CpuFeatures | null | undefined;

function cpuFeatures(): CpuFeatures | undefined {
  if (cpuCache === undefined) {
    cpuCache = null;
    try {
      const line = /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'latin1'));
      if (line !== null) {
        const flags = new Set(line[1]!.trim().split(/\s+/));
        cpuCache = Object.freeze({
          aes: flags.has('aes'),
          pclmulqdq: flags.has('pclmulqdq'),
          avx2: flags.has('avx2'),
          vaes: flags.has('vaes'),
          vpclmulqdq: flags.has('vpclmulqdq'),
          avx512f: flags.has('avx512f'),
          shaNi: flags.has('sha_ni'),
        });
      }
    } catch {
      // No /proc/cpuinfo (macOS, Windows, a sandbox): report the features as unknown.
    }
  }
  return cpuCache ?? undefined;
}

/**
 * Reports the active backend, the OpenSSL version and the CPU's AES features; `coffer doctor` prints it.
 * Takes no arguments and never throws.
 *
 * @example
 * ```ts
 * import { backendInfo } from 'coffer/hazmat/backend';
 * if (backendInfo().backend !== 'native') console.warn('coffer: native addon not loaded');
 * ```
 */
export function backendInfo(): BackendInfo {
  const b = nativeStatus.binding;
  return {
    backend: b === undefined ? 'node:crypto' : 'native',
    reason: nativeStatus.reason,
    addon: nativeStatus.path,
    openssl: b === undefined ? `OpenSSL ${process.versions.openssl}` : b.info().openssl,
    node: process.version,
    cpu: cpuFeatures(),
  };
}
