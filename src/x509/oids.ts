/**
 * Object identifiers used by `coffer/x509`, after pyca's `NameOID`, `ExtensionOID`, `ExtendedKeyUsageOID`
 * and `SignatureAlgorithmOID`.
 * @module
 */

/** Attribute types in names (RFC 5280 §4.1.2.4, RFC 4519). */
export const NameOID = {
  COMMON_NAME: '2.5.4.3',
  SURNAME: '2.5.4.4',
  SERIAL_NUMBER: '2.5.4.5',
  COUNTRY_NAME: '2.5.4.6',
  LOCALITY_NAME: '2.5.4.7',
  STATE_OR_PROVINCE_NAME: '2.5.4.8',
  STREET_ADDRESS: '2.5.4.9',
  ORGANIZATION_NAME: '2.5.4.10',
  ORGANIZATIONAL_UNIT_NAME: '2.5.4.11',
  TITLE: '2.5.4.12',
  GIVEN_NAME: '2.5.4.42',
  INITIALS: '2.5.4.43',
  GENERATION_QUALIFIER: '2.5.4.44',
  DN_QUALIFIER: '2.5.4.46',
  PSEUDONYM: '2.5.4.65',
  USER_ID: '0.9.2342.19200300.100.1.1',
  DOMAIN_COMPONENT: '0.9.2342.19200300.100.1.25',
  EMAIL_ADDRESS: '1.2.840.113549.1.9.1',
  JURISDICTION_COUNTRY_NAME: '1.3.6.1.4.1.311.60.2.1.3',
  BUSINESS_CATEGORY: '2.5.4.15',
  POSTAL_CODE: '2.5.4.17',
  ORGANIZATION_IDENTIFIER: '2.5.4.97',
} as const;

/** Short names RFC 4514 §3 uses in string forms (and the common extras OpenSSL prints). */
export const NAME_SHORT: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

/** Certificate and CRL extensions (RFC 5280 §4.2, §5.2). */
export const ExtensionOID = {
  SUBJECT_KEY_IDENTIFIER: '2.5.29.14',
  KEY_USAGE: '2.5.29.15',
  SUBJECT_ALTERNATIVE_NAME: '2.5.29.17',
  ISSUER_ALTERNATIVE_NAME: '2.5.29.18',
  BASIC_CONSTRAINTS: '2.5.29.19',
  CRL_NUMBER: '2.5.29.20',
  CRL_REASON: '2.5.29.21',
  DELTA_CRL_INDICATOR: '2.5.29.27',
  ISSUING_DISTRIBUTION_POINT: '2.5.29.28',
  NAME_CONSTRAINTS: '2.5.29.30',
  CRL_DISTRIBUTION_POINTS: '2.5.29.31',
  CERTIFICATE_POLICIES: '2.5.29.32',
  POLICY_MAPPINGS: '2.5.29.33',
  AUTHORITY_KEY_IDENTIFIER: '2.5.29.35',
  POLICY_CONSTRAINTS: '2.5.29.36',
  EXTENDED_KEY_USAGE: '2.5.29.37',
  FRESHEST_CRL: '2.5.29.46',
  INHIBIT_ANY_POLICY: '2.5.29.54',
  AUTHORITY_INFORMATION_ACCESS: '1.3.6.1.5.5.7.1.1',
  SUBJECT_INFORMATION_ACCESS: '1.3.6.1.5.5.7.1.11',
  OCSP_NO_CHECK: '1.3.6.1.5.5.7.48.1.5',
  TLS_FEATURE: '1.3.6.1.5.5.7.1.24',
  PRECERT_SIGNED_CERTIFICATE_TIMESTAMPS: '1.3.6.1.4.1.11129.2.4.2',
  PRECERT_POISON: '1.3.6.1.4.1.11129.2.4.3',
} as const;

/** Extended key usages (RFC 5280 §4.2.1.12). */
export const ExtendedKeyUsageOID = {
  SERVER_AUTH: '1.3.6.1.5.5.7.3.1',
  CLIENT_AUTH: '1.3.6.1.5.5.7.3.2',
  CODE_SIGNING: '1.3.6.1.5.5.7.3.3',
  EMAIL_PROTECTION: '1.3.6.1.5.5.7.3.4',
  TIME_STAMPING: '1.3.6.1.5.5.7.3.8',
  OCSP_SIGNING: '1.3.6.1.5.5.7.3.9',
  ANY_EXTENDED_KEY_USAGE: '2.5.29.37.0',
} as const;

/** Access methods in AIA/SIA. */
export const AuthorityInformationAccessOID = {
  OCSP: '1.3.6.1.5.5.7.48.1',
  CA_ISSUERS: '1.3.6.1.5.5.7.48.2',
} as const;

/** Signature algorithms (RFC 4055, RFC 5758, RFC 8410). */
export const SignatureAlgorithmOID = {
  RSA_WITH_MD5: '1.2.840.113549.1.1.4',
  RSA_WITH_SHA1: '1.2.840.113549.1.1.5',
  RSA_WITH_SHA224: '1.2.840.113549.1.1.14',
  RSA_WITH_SHA256: '1.2.840.113549.1.1.11',
  RSA_WITH_SHA384: '1.2.840.113549.1.1.12',
  RSA_WITH_SHA512: '1.2.840.113549.1.1.13',
  RSASSA_PSS: '1.2.840.113549.1.1.10',
  ECDSA_WITH_SHA1: '1.2.840.10045.4.1',
  ECDSA_WITH_SHA224: '1.2.840.10045.4.3.1',
  ECDSA_WITH_SHA256: '1.2.840.10045.4.3.2',
  ECDSA_WITH_SHA384: '1.2.840.10045.4.3.3',
  ECDSA_WITH_SHA512: '1.2.840.10045.4.3.4',
  DSA_WITH_SHA1: '1.2.840.10040.4.3',
  DSA_WITH_SHA256: '2.16.840.1.101.3.4.3.2',
  ED25519: '1.3.101.112',
  ED448: '1.3.101.113',
} as const;

/** SubjectPublicKeyInfo algorithms and named curves. */
export const PublicKeyAlgorithmOID = {
  RSA: '1.2.840.113549.1.1.1',
  RSASSA_PSS: '1.2.840.113549.1.1.10',
  EC: '1.2.840.10045.2.1',
  DSA: '1.2.840.10040.4.1',
  ED25519: '1.3.101.112',
  ED448: '1.3.101.113',
  X25519: '1.3.101.110',
  X448: '1.3.101.111',
} as const;

export const CurveOID = {
  SECP256R1: '1.2.840.10045.3.1.7',
  SECP384R1: '1.3.132.0.34',
  SECP521R1: '1.3.132.0.35',
  SECP192R1: '1.2.840.10045.3.1.1',
  SECP256K1: '1.3.132.0.10',
} as const;

/** Hash algorithm OIDs (NIST) with node:crypto names and digest sizes. */
export const HASH_BY_OID: Readonly<Record<string, { name: string; size: number }>> = {
  '1.3.14.3.2.26': { name: 'sha1', size: 20 },
  '2.16.840.1.101.3.4.2.4': { name: 'sha224', size: 28 },
  '2.16.840.1.101.3.4.2.1': { name: 'sha256', size: 32 },
  '2.16.840.1.101.3.4.2.2': { name: 'sha384', size: 48 },
  '2.16.840.1.101.3.4.2.3': { name: 'sha512', size: 64 },
};
export const HASH_OID: Readonly<Record<string, string>> = {
  sha1: '1.3.14.3.2.26',
  sha224: '2.16.840.1.101.3.4.2.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};
export const MGF1_OID = '1.2.840.113549.1.1.8';
