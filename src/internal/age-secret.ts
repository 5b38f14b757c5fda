// The raw scalars of age X25519 identities, kept out of the objects' reach so that no public method hands
// them out. The one way out is `ageIdentitySecretString`, meant for coffer/hazmat/insecure-export and the
// CLI's keygen, where writing the secret is the point.
import { bech32Encode } from '../formats/bech32.ts';

const scalars = new WeakMap<object, Uint8Array>();

export function rememberScalar(identity: object, scalar: Uint8Array): void {
  scalars.set(identity, Uint8Array.from(scalar));
}

/** `AGE-SECRET-KEY-1…` for an identity made by coffer/age, or undefined for anything else. */
export function ageIdentitySecretString(identity: object): string | undefined {
  const scalar = scalars.get(identity);
  return scalar === undefined ? undefined : bech32Encode('age-secret-key-', scalar).toUpperCase();
}
