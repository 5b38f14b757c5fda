/**
 * Helpers for asymmetric signatures, after pyca's `cryptography.hazmat.primitives.asymmetric.utils`:
 * `Prehashed` (sign a digest you computed yourself) and the DER `Dss-Sig-Value` codec for ECDSA and DSA.
 *
 * > **Hazmat.** Prefer signing the message itself; prehash only when the data is too large to pass in one
 * > piece, and keep the hash the verifier expects.
 *
 * @example
 * ```ts
 * import { decodeDssSignature, encodeDssSignature } from 'coffer/hazmat/asymmetric/utils';
 * const der = encodeDssSignature(1n, 2n);
 * decodeDssSignature(der); // { r: 1n, s: 2n }
 * ```
 * @module
 */
import { DerReader, der } from '../../formats/der.ts';
import { bytes } from '../../internal/bytes.ts';
import { bigintArg } from '../../internal/pkey-base.ts';

export { Prehashed } from '../../internal/prehashed.ts';

/**
 * DER `Dss-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 3279 §2.2.2, RFC 5480).
 * @throws {TypeError} when `r` or `s` is not a bigint. @throws {RangeError} when one is negative.
 */
export function encodeDssSignature(r: bigint, s: bigint): Uint8Array {
  bigintArg('r', r);
  bigintArg('s', s);
  return der.sequence([der.integer(r), der.integer(s)]);
}

/**
 * The `r` and `s` of a DER `Dss-Sig-Value`, strictly: minimal lengths and integers, no trailing data.
 * @throws {TypeError} when `signature` is not a Uint8Array.
 * @throws {DecodeError} when it is not exactly one well-formed DER signature with non-negative values.
 */
export function decodeDssSignature(signature: Uint8Array): { r: bigint; s: bigint } {
  bytes('signature', signature);
  const top = new DerReader(signature, 'DSS signature');
  const seq = top.readSequence();
  top.end();
  const r = seq.readInteger();
  const s = seq.readInteger();
  seq.end();
  if (r < 0n || s < 0n) top.fail('negative INTEGER');
  return { r, s };
}
