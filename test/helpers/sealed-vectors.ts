// The shape of test/vectors/sealed-token.json (written by scripts/gen-sealed-vectors.ts).

export interface SealedValidVector {
  name: string;
  keyId: string;
  key: string;
  nonce: string;
  context: Record<string, string>;
  plaintext: string;
  token: string;
  text: string;
}

export interface SealedInvalidVector {
  name: string;
  token: string;
  context: Record<string, string>;
  /** Which keys the keyring holds: "A", "A'" (other bytes under A's id) or "B". */
  keyring: 'A' | "A'" | 'B';
  error: 'InvalidToken' | 'KeyNotFound';
}

export interface SealedVectorFile {
  keys: Record<'A' | "A'" | 'B', { id: string; key: string }>;
  contextEncodings: { context: Record<string, string>; encoding: string }[];
  valid: SealedValidVector[];
  invalid: SealedInvalidVector[];
}
