/**
 * Key objects. `SecretKey` wraps symmetric key bytes so that they never show in logs or errors.
 * @module
 */
export { SecretKey, type SecretKeyOptions } from './secret-key.ts';
