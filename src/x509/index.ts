/**
 * X.509 for Node.js after pyca's `cryptography.x509`: parse certificates, CSRs and CRLs (PEM or DER,
 * single or bundles), read typed fields and extensions, and validate certificate paths for TLS servers and
 * clients with a Web PKI profile.
 *
 * @example
 * ```ts
 * import { loadPemX509Certificate, PolicyBuilder, Store } from 'coffer/x509';
 * const cert = loadPemX509Certificate(pem);
 * cert.subject.rfc4514String(); // 'CN=example.com,O=Example'
 * cert.extensions.value('2.5.29.17'); // [{ type: 'dns', value: 'example.com' }]
 * new PolicyBuilder().store(new Store([root])).buildServerVerifier({ dns: 'example.com' }).verify(cert, []);
 * ```
 * @module
 */

export * from './builder.ts';
export * from './certificate.ts';
export * from './extensions.ts';
export * from './name.ts';
export * from './oids.ts';
export * from './verify.ts';
