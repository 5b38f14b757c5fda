/**
 * coffer: dependable cryptography recipes for Node.js.
 *
 * The root export holds the recipes and the errors, nothing sharp. Primitives live under
 * `coffer/hazmat/*`.
 *
 * - Encrypt data at rest: `Keyring` (sealed tokens bound to a context) or `Fernet` for pyca interop.
 * - Store passwords: `hashPassword` / `verifyPassword` (one-way; never encryption).
 * - Prove integrity of webhooks: `Webhook` (Standard Webhooks, a MAC; not secrecy).
 * - Second factors and backup codes: `TOTP` / `HOTP`, `regenerateRecoveryCodes` / `verifyRecoveryCode`.
 *
 * @module
 */
export * from './errors.ts';
export { randomToken } from './hazmat/random.ts';
export { Fernet, MultiFernet } from './recipes/fernet.ts';
export {
  type AuditEvent,
  type AuditOperation,
  type AuditSink,
  type KeyMetadata,
  Keyring,
  type KeyringOptions,
  type KeyringProtection,
  type KeyringUnlock,
  type KeyStatus,
  MAX_MESSAGES_PER_KEY,
  MAX_SEALED_PLAINTEXT,
  type SealContext,
  type SealOptions,
} from './recipes/keyring.ts';
export {
  HOTP,
  type HOTPOptions,
  type HOTPUriOptions,
  type HOTPVerifyOptions,
  MAX_HOTP_WINDOW,
  MAX_OTP_SECRET_BYTES,
  MAX_TOTP_WINDOW,
  MIN_OTP_SECRET_BYTES,
  type OtpAlgorithm,
  type OtpauthKeyInfo,
  type OtpUriOptions,
  parseOtpauthUri,
  TOTP,
  type TOTPOptions,
  type TOTPVerifyOptions,
} from './recipes/otp.ts';
export {
  type Argon2Backend,
  type Argon2Costs,
  configurePasswordHashing,
  hashPassword,
  MAX_PASSWORD_BYTES,
  needsRehash,
  type PasswordAlgorithm,
  type PasswordHashingOptions,
  type PasswordHashingSettings,
  type PasswordPolicy,
  type Pbkdf2Costs,
  type ScryptCosts,
  type VerifyPasswordOptions,
  verifyPassword,
} from './recipes/passwords.ts';
export {
  generateRecoveryCodes,
  hashRecoveryCodes,
  MAX_RECOVERY_CODES,
  normalizeRecoveryCode,
  RECOVERY_CODE_BITS,
  type RecoveryCodeOptions,
  recoveryCodeLookup,
  regenerateRecoveryCodes,
  type StoredRecoveryCode,
  verifyRecoveryCode,
} from './recipes/recovery-codes.ts';
export {
  MAX_WEBHOOK_ID_LENGTH,
  MAX_WEBHOOK_SECRETS,
  MAX_WEBHOOK_SIGNATURE_HEADER_LENGTH,
  MemoryReplayStore,
  type VerifiedWebhook,
  type VerifiedWebhookRequest,
  WEBHOOK_DEFAULT_MAX_BODY_BYTES,
  WEBHOOK_MAX_BODY_BYTES,
  WEBHOOK_SECRET_MAX_BYTES,
  WEBHOOK_SECRET_MIN_BYTES,
  WEBHOOK_TOLERANCE_SECONDS,
  Webhook,
  type WebhookHeaders,
  type WebhookOptions,
  type WebhookReplayStore,
  type WebhookSecret,
} from './recipes/webhooks.ts';
