// Between coffer's asymmetric key classes and node's KeyObjects: `keyObjectOf` reads the KeyObject out of a
// key, `wrapKeyObject` puts one into the right class by its `asymmetricKeyType`. Serialization and later
// modules (X.509, age, the CLI) use these; they are not part of the package's exports.
import { UnsupportedAlgorithm } from '../errors.ts';
import { DHPrivateKey, DHPublicKey, MAX_DH_KEY_SIZE } from '../hazmat/asymmetric/dh.ts';
import { DSAPrivateKey, DSAPublicKey, MAX_DSA_KEY_SIZE } from '../hazmat/asymmetric/dsa.ts';
import { EllipticCurvePrivateKey, EllipticCurvePublicKey, getCurveForOid } from '../hazmat/asymmetric/ec.ts';
import { Ed448PrivateKey, Ed448PublicKey } from '../hazmat/asymmetric/ed448.ts';
import { Ed25519PrivateKey, Ed25519PublicKey } from '../hazmat/asymmetric/ed25519.ts';
import { MAX_RSA_KEY_SIZE, RSAPrivateKey, RSAPublicKey } from '../hazmat/asymmetric/rsa.ts';
import type { PrivateKeyTypes, PublicKeyTypes } from '../hazmat/asymmetric/types.ts';
import { X448PrivateKey, X448PublicKey } from '../hazmat/asymmetric/x448.ts';
import { X25519PrivateKey, X25519PublicKey } from '../hazmat/asymmetric/x25519.ts';
import type { NodeKeyObject } from './backend-pkey.ts';
import { CONSTRUCT } from './pkey-base.ts';

export { isAsymmetricKey, keyObjectOf } from './pkey-base.ts';

type Ctor<T> = new (guard: typeof CONSTRUCT, ko: NodeKeyObject) => T;

const CLASSES: Readonly<Record<string, readonly [Ctor<PrivateKeyTypes>, Ctor<PublicKeyTypes>]>> = {
  ed25519: [Ed25519PrivateKey, Ed25519PublicKey],
  ed448: [Ed448PrivateKey, Ed448PublicKey],
  x25519: [X25519PrivateKey, X25519PublicKey],
  x448: [X448PrivateKey, X448PublicKey],
  ec: [EllipticCurvePrivateKey, EllipticCurvePublicKey],
  rsa: [RSAPrivateKey, RSAPublicKey],
  // id-RSASSA-PSS keys: RSA keys that OpenSSL restricts to PSS (and to their parameters, if any).
  'rsa-pss': [RSAPrivateKey, RSAPublicKey],
  dsa: [DSAPrivateKey, DSAPublicKey],
  dh: [DHPrivateKey, DHPublicKey],
};

const CURVE_NAMES = new Set(
  ['1.2.840.10045.3.1.7', '1.3.132.0.34', '1.3.132.0.35', '1.3.132.0.10']
    .concat(['1.3.36.3.3.2.8.1.1.7', '1.3.36.3.3.2.8.1.1.11', '1.3.36.3.3.2.8.1.1.13'])
    .map((oid) => getCurveForOid(oid).opensslName),
);

/**
 * The coffer key class for a KeyObject. Refuses what coffer does not support, and sizes that would make
 * every later call a denial of service.
 * @throws {UnsupportedAlgorithm} for other key types (RSA-PSS-restricted keys, X9.42 DH, SM2, ...),
 * curves outside the supported list, and RSA/DSA/DH keys above their size limits.
 */
export function wrapKeyObject(ko: NodeKeyObject): PrivateKeyTypes | PublicKeyTypes {
  const type = ko.asymmetricKeyType as string | undefined;
  const pair = type === undefined ? undefined : CLASSES[type];
  if (pair === undefined || (ko.type !== 'private' && ko.type !== 'public')) {
    throw new UnsupportedAlgorithm(`unsupported key type ${String(type)}`);
  }
  const details = ko.asymmetricKeyDetails ?? {};
  if (type === 'ec' && !CURVE_NAMES.has(details.namedCurve ?? '')) {
    throw new UnsupportedAlgorithm(`unsupported curve ${String(details.namedCurve)}`);
  }
  const bits = details.modulusLength ?? 0;
  const max =
    type === 'rsa' || type === 'rsa-pss'
      ? MAX_RSA_KEY_SIZE
      : type === 'dsa'
        ? MAX_DSA_KEY_SIZE
        : MAX_DH_KEY_SIZE;
  if ((type === 'rsa' || type === 'rsa-pss' || type === 'dsa' || type === 'dh') && bits > max) {
    throw new UnsupportedAlgorithm(
      `${type.toUpperCase()} keys over ${max} bits are not supported (got ${bits})`,
    );
  }
  const C = pair[ko.type === 'private' ? 0 : 1];
  return new C(CONSTRUCT, ko);
}
