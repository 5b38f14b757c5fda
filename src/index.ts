/**
 * coffer: dependable cryptography recipes for Node.js.
 *
 * The root export holds the recipes and the errors, nothing sharp. Primitives live under
 * `coffer/hazmat/*`.
 *
 * - Encrypt data at rest: `Keyring` (sealed tokens bound to a context) or `Fernet` for pyca interop.
 * - Store passwords: `hashPassword` / `verifyPassword` (one-way; never encryption).
 * - Prove integrity: `signMessage` / `verifyMessage` (a MAC; not secrecy).
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
