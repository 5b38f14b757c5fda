/**
 * coffer's error taxonomy. Every error thrown on purpose by coffer is one of these classes (or a plain
 * `TypeError`/`RangeError` for programmer mistakes), each with a stable string `code` you can switch on.
 *
 * Authentication failures (`InvalidTag`, `InvalidSignature`, `InvalidToken`, `InvalidKey`) are opaque on
 * purpose: one fixed message, no `cause`, nothing that says which byte or which check failed.
 *
 * @example
 * ```ts
 * import { CofferError, InvalidToken } from 'coffer';
 * try {
 *   keyring.open(token, { context });
 * } catch (err) {
 *   if (err instanceof InvalidToken) console.log(err.code); // 'ERR_INVALID_TOKEN'
 * }
 * ```
 */

/** Every stable error code coffer throws. */
export type CofferErrorCode =
  | 'ERR_INVALID_TAG'
  | 'ERR_INVALID_SIGNATURE'
  | 'ERR_INVALID_TOKEN'
  | 'ERR_INVALID_KEY'
  | 'ERR_INVALID_UNWRAP'
  | 'ERR_ALREADY_FINALIZED'
  | 'ERR_UNSUPPORTED_ALGORITHM'
  | 'ERR_DECODE'
  | 'ERR_KEY_NOT_FOUND'
  | 'ERR_KEY_DISABLED'
  | 'ERR_KEYRING'
  | 'ERR_WEBHOOK_VERIFICATION'
  | 'ERR_NO_IDENTITY_MATCH'
  | 'ERR_AGE_FILE_DAMAGED'
  | 'ERR_X509_VERIFICATION'
  | 'ERR_PIN_MISMATCH';

/** Base class of every coffer error. `name` is the class name; `code` is stable across releases. */
export class CofferError extends Error {
  readonly code: CofferErrorCode;
  constructor(code: CofferErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** An AEAD tag did not verify: wrong key, wrong nonce, wrong associated data or tampered data. */
export class InvalidTag extends CofferError {
  constructor() {
    super('ERR_INVALID_TAG', 'authentication tag did not verify');
  }
}

/** A signature or MAC did not verify. */
export class InvalidSignature extends CofferError {
  constructor() {
    super('ERR_INVALID_SIGNATURE', 'signature did not verify');
  }
}

/**
 * A token (Fernet, sealed token) could not be opened. The same message is used whatever the cause:
 * bad encoding, unknown version, truncation, wrong key, wrong context, bad MAC, expiry.
 */
export class InvalidToken extends CofferError {
  constructor() {
    super('ERR_INVALID_TOKEN', 'token is invalid');
  }
}

/** A derived key (KDF `verify`) or a stored password hash did not match. */
export class InvalidKey extends CofferError {
  constructor() {
    super('ERR_INVALID_KEY', 'key did not match');
  }
}

/** An AES key unwrap (RFC 3394 / RFC 5649) failed its integrity check. */
export class InvalidUnwrap extends CofferError {
  constructor() {
    super('ERR_INVALID_UNWRAP', 'key unwrap failed');
  }
}

/** A single-use context (hash, MAC, KDF, cipher) was used after it finished. */
export class AlreadyFinalized extends CofferError {
  constructor(what = 'context') {
    super('ERR_ALREADY_FINALIZED', `${what} has already been finalized`);
  }
}

/** The algorithm, mode or parameter set is not available in this runtime or not supported by coffer. */
export class UnsupportedAlgorithm extends CofferError {
  constructor(message: string) {
    super('ERR_UNSUPPORTED_ALGORITHM', message);
  }
}

/**
 * Malformed non-secret input: PEM, DER, hex, base64, a keyring file, a PHC string. The message names the
 * problem; it never contains secret material.
 */
export class DecodeError extends CofferError {
  constructor(message: string) {
    super('ERR_DECODE', message);
  }
}

/** A token names a key id that this keyring does not hold. Key ids are public, so the id is in the message. */
export class KeyNotFound extends CofferError {
  readonly keyId: string;
  constructor(keyId: string) {
    super('ERR_KEY_NOT_FOUND', `no key with id ${JSON.stringify(keyId)} in this keyring`);
    this.keyId = keyId;
  }
}

/**
 * A token names a key that is present but disabled (re-enable it to open the token) or retired (its
 * bytes are gone for good).
 */
export class KeyDisabled extends CofferError {
  readonly keyId: string;
  constructor(keyId: string, state: 'disabled' | 'retired' = 'disabled') {
    super('ERR_KEY_DISABLED', `key ${JSON.stringify(keyId)} is ${state}`);
    this.keyId = keyId;
  }
}

/**
 * A keyring operation that cannot be done in the keyring's state (disabling the primary key, promoting a
 * retired one), or a stored keyring that cannot be unlocked (wrong passphrase or key-encryption key, or a
 * modified file: the two cannot be told apart, by design).
 */
export class KeyringError extends CofferError {
  constructor(message: string) {
    super('ERR_KEYRING', message);
  }
}

/** Why a webhook was refused (see {@link WebhookVerificationError}). */
export type WebhookFailureReason =
  | 'missing-header'
  | 'malformed-header'
  | 'timestamp-too-old'
  | 'timestamp-too-new'
  | 'body-too-large'
  | 'no-matching-signature'
  | 'replayed';

const WEBHOOK_MESSAGES: Readonly<Record<WebhookFailureReason, string>> = {
  'missing-header': 'webhook is missing a required header',
  'malformed-header': 'webhook has a malformed header',
  'timestamp-too-old': 'webhook timestamp is too old',
  'timestamp-too-new': 'webhook timestamp is too far in the future',
  'body-too-large': 'webhook body is larger than the limit',
  'no-matching-signature': 'no matching webhook signature',
  replayed: 'webhook was already received',
};

/**
 * A webhook (Standard Webhooks) was refused. `reason` says why, for logs and for the HTTP answer; `header`
 * names the header at fault for `missing-header` and `malformed-header`. Each reason has one fixed message
 * that never repeats request data; `no-matching-signature` says nothing about which signature or byte
 * failed.
 */
export class WebhookVerificationError extends CofferError {
  readonly reason: WebhookFailureReason;
  /** `webhook-id`, `webhook-timestamp` or `webhook-signature` for the header reasons; otherwise undefined. */
  readonly header: 'webhook-id' | 'webhook-timestamp' | 'webhook-signature' | undefined;
  constructor(
    reason: WebhookFailureReason,
    header?: 'webhook-id' | 'webhook-timestamp' | 'webhook-signature',
  ) {
    const message = WEBHOOK_MESSAGES[reason] ?? 'webhook verification failed';
    super('ERR_WEBHOOK_VERIFICATION', header === undefined ? message : `${message}: ${header}`);
    this.reason = reason;
    this.header = header;
  }
}

/**
 * No identity given could open any recipient stanza of an age file: the file is (as far as can be told)
 * intact, but it was not encrypted to these keys or this passphrase. Nothing was decrypted.
 */
export class NoIdentityMatch extends CofferError {
  constructor() {
    super('ERR_NO_IDENTITY_MATCH', "no identity matched any of the age file's recipients");
  }
}

/** Where an age file was found damaged (see {@link AgeFileDamaged}). */
export type AgeDamage = 'armor' | 'header' | 'mac' | 'payload' | 'work-factor';

const AGE_DAMAGE_MESSAGES: Readonly<Record<AgeDamage, string>> = {
  armor: 'age file is damaged: invalid armor',
  header: 'age file is damaged: invalid header',
  mac: 'age file is damaged: header MAC did not verify',
  payload: 'age file is damaged: payload did not verify (truncated, modified or trailing data)',
  'work-factor': 'age file asks for an scrypt work factor above the limit',
};

/**
 * An age file could not be read: malformed armor or header, a header MAC or payload chunk that does not
 * verify, truncation, trailing data, or an scrypt work factor above the reader's limit. `part` says which;
 * each part has one fixed message that never repeats file data. A stream that fails in `payload` may
 * already have released earlier chunks, each verified before release.
 */
export class AgeFileDamaged extends CofferError {
  readonly part: AgeDamage;
  constructor(part: AgeDamage) {
    super('ERR_AGE_FILE_DAMAGED', AGE_DAMAGE_MESSAGES[part] ?? 'age file is damaged');
    this.part = part;
  }
}

/** Why a TLS connection was refused by `coffer/pinning` (see {@link PinMismatch}). */
export type PinFailure = 'mismatch' | 'unchecked-session' | 'not-tls';

const PIN_MESSAGES: Readonly<Record<PinFailure, string>> = {
  mismatch: 'no certificate in the chain matches a pin',
  'unchecked-session': 'resumed TLS session whose certificates were never checked against the pins',
  'not-tls': 'a pinned connection must use TLS (https:)',
};

/**
 * A TLS server's certificate chain matched none of the configured pins (`coffer/pinning`). Pins are
 * hashes of public keys, public by nature, so the message names the host and lists every pin seen, leaf
 * first, for an operator to compare with the configured ones.
 */
export class PinMismatch extends CofferError {
  readonly host: string;
  /** `pin-sha256` values of the checked chain, leaf first (empty when nothing could be checked). */
  readonly seen: readonly string[];
  readonly reason: PinFailure;
  constructor(host: string, seen: readonly string[], reason: PinFailure = 'mismatch') {
    const pins = seen.length === 0 ? 'none' : seen.join(', ');
    super(
      'ERR_PIN_MISMATCH',
      `${PIN_MESSAGES[reason] ?? 'pin check failed'} for ${JSON.stringify(host)}; pins seen (leaf first): ${pins}`,
    );
    this.host = host;
    this.seen = Object.freeze([...seen]);
    this.reason = reason;
  }
}
