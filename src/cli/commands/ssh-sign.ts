// `coffer sign` and `coffer verify`: SSH signatures (OpenSSH's PROTOCOL.sshsig), interoperable with
// `ssh-keygen -Y sign` and `ssh-keygen -Y verify`. Keys are OpenSSH private keys or PEM (PKCS#8 or
// traditional); signers are checked against an allowed-signers file, as ssh-keygen does.
import { DecodeError } from '../../errors.ts';
import { sshFingerprint } from '../../formats/openssh.ts';
import {
  encodeSshSignature,
  findAllowedSigner,
  parseAllowedSigners,
  parseSshSignature,
  type SshsigHash,
  sshsigSignedData,
} from '../../formats/sshsig.ts';
import { ECDSA, EllipticCurvePrivateKey, EllipticCurvePublicKey } from '../../hazmat/asymmetric/ec.ts';
import { Ed25519PrivateKey, Ed25519PublicKey } from '../../hazmat/asymmetric/ed25519.ts';
import { PKCS1v15 } from '../../hazmat/asymmetric/padding.ts';
import { RSAPrivateKey, RSAPublicKey } from '../../hazmat/asymmetric/rsa.ts';
import type { PrivateKeyTypes, PublicKeyTypes } from '../../hazmat/asymmetric/types.ts';
import { type HashAlgorithm, SHA256, SHA384, SHA512 } from '../../hazmat/hashes.ts';
import { keyToJwk, loadJwk, loadPemPrivateKey, loadSshPrivateKey } from '../../hazmat/serialization.ts';
import { describeOptions, type OptionSpec, type Parsed, parseArgs, str, UsageError } from '../args.ts';
import {
  CliFailure,
  EXIT,
  openOutput,
  PASSPHRASE_OPTIONS,
  passphrase,
  readAll,
  readTextFile,
} from '../io.ts';

const SIGN_OPTIONS: readonly OptionSpec[] = [
  {
    long: 'key',
    short: 'k',
    value: 'FILE',
    help: 'the private key: OpenSSH or PEM (Ed25519, ECDSA P-256/384/521, RSA)',
  },
  {
    long: 'namespace',
    short: 'n',
    value: 'NAMESPACE',
    help: 'what the signature is for (default "file"; git uses "git")',
  },
  { long: 'hash', value: 'ALG', help: 'sha512 (default) or sha256' },
  {
    long: 'output',
    short: 'o',
    value: 'FILE',
    help: 'where to write the signature (default FILE.sig, or standard output)',
  },
  ...PASSPHRASE_OPTIONS,
];

const VERIFY_OPTIONS: readonly OptionSpec[] = [
  {
    long: 'allowed-signers',
    short: 'f',
    value: 'FILE',
    help: 'the allowed-signers file (ssh-keygen format)',
  },
  {
    long: 'identity',
    short: 'I',
    value: 'PRINCIPAL',
    help: 'who must have signed (matched against the file)',
  },
  {
    long: 'namespace',
    short: 'n',
    value: 'NAMESPACE',
    help: 'the namespace the signature must carry (default "file")',
  },
  { long: 'signature', short: 's', value: 'FILE', help: 'the signature file (default FILE.sig)' },
];

export const SIGN_HELP = `usage: coffer sign -k KEY [-n NAMESPACE] [-o OUT] [FILE]

Makes an SSH signature (-----BEGIN SSH SIGNATURE-----) over FILE (or standard input), as
"ssh-keygen -Y sign -f KEY -n NAMESPACE FILE" does: FILE.sig is written beside FILE.
An encrypted key's passphrase is asked on the terminal (or --passphrase-env / --passphrase-file).

${describeOptions(SIGN_OPTIONS)}

examples:
  coffer sign -k ~/.ssh/id_ed25519 release.tar        # writes release.tar.sig`;

export const VERIFY_HELP = `usage: coffer verify -f ALLOWED_SIGNERS -I PRINCIPAL [-n NAMESPACE] [-s SIG] [FILE]

Checks an SSH signature over FILE (or standard input), as "ssh-keygen -Y verify" does: the signer's key
must be listed for PRINCIPAL (and the namespace) in the allowed-signers file. Status 0 and "Good …" on
success; status 1 otherwise.

${describeOptions(VERIFY_OPTIONS)}

examples:
  coffer verify -f allowed_signers -I alice@example.com release.tar`;

function namespaceOf(parsed: Parsed): string {
  const ns = str(parsed, 'namespace') ?? 'file';
  if (ns === '' || /[\s"]/.test(ns))
    throw new UsageError(`namespace ${JSON.stringify(ns)} must be non-empty, without spaces or quotes`);
  return ns;
}

async function loadPrivateKey(path: string, parsed: Parsed): Promise<PrivateKeyTypes> {
  const text = readTextFile(path, 'key file');
  const isSsh = text.includes('-----BEGIN OPENSSH PRIVATE KEY-----');
  const encrypted = isSsh ? undefined : /ENCRYPTED/.test(text);
  const load = (pass?: string) =>
    isSsh ? loadSshPrivateKey(text, pass) : Promise.resolve(loadPemPrivateKey(text, pass));
  if (encrypted === true) return load(await passphrase(parsed, `passphrase for ${path}`));
  try {
    return await load();
  } catch (err) {
    // OpenSSH keys say they are encrypted only once parsed.
    if (isSsh && err instanceof DecodeError && /passphrase is required/.test(err.message)) {
      return load(await passphrase(parsed, `passphrase for ${path}`));
    }
    throw err;
  }
}

function ecdsaHash(keySize: number): HashAlgorithm {
  // RFC 5656 §6.2.1: the hash follows the curve size.
  return keySize <= 256 ? new SHA256() : keySize <= 384 ? new SHA384() : new SHA512();
}

function signWith(key: PrivateKeyTypes, data: Uint8Array): Uint8Array {
  if (key instanceof Ed25519PrivateKey) return key.sign(data);
  if (key instanceof EllipticCurvePrivateKey) {
    if (!['secp256r1', 'secp384r1', 'secp521r1'].includes(key.curve.name)) {
      throw new CliFailure(`SSH signatures support the NIST curves, not ${key.curve.name}`);
    }
    return key.sign(data, new ECDSA(ecdsaHash(key.keySize), { signatureEncoding: 'ieee-p1363' }));
  }
  if (key instanceof RSAPrivateKey) return key.sign(data, new PKCS1v15(), new SHA512());
  throw new CliFailure('SSH signatures need an Ed25519, ECDSA (P-256/384/521) or RSA key');
}

function verifyWith(key: PublicKeyTypes, signature: Uint8Array, data: Uint8Array, algorithm: string): void {
  if (key instanceof Ed25519PublicKey) {
    key.verify(signature, data);
  } else if (key instanceof EllipticCurvePublicKey) {
    key.verify(signature, data, new ECDSA(ecdsaHash(key.keySize), { signatureEncoding: 'ieee-p1363' }));
  } else if (key instanceof RSAPublicKey) {
    key.verify(signature, data, new PKCS1v15(), algorithm === 'rsa-sha2-256' ? new SHA256() : new SHA512());
  } else {
    throw new CliFailure('unsupported signer key type');
  }
}

export async function signCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv, SIGN_OPTIONS);
  const keyFile = str(parsed, 'key');
  if (keyFile === undefined)
    throw new UsageError('which key signs?', 'coffer sign -k ~/.ssh/id_ed25519 FILE');
  if (parsed.operands.length > 1) throw new UsageError('one file at a time', 'run coffer sign once per file');
  const hash = (str(parsed, 'hash') ?? 'sha512') as SshsigHash;
  if (hash !== 'sha512' && hash !== 'sha256') throw new UsageError('--hash must be sha512 or sha256');
  const namespace = namespaceOf(parsed);
  const key = await loadPrivateKey(keyFile, parsed);
  const input = parsed.operands[0];
  const message = await readAll(input, Number.MAX_SAFE_INTEGER);
  const signed = sshsigSignedData(message, { namespace, hashAlgorithm: hash });
  const jwk = keyToJwk(key.publicKey());
  const armored = encodeSshSignature({
    publicKey: jwk as never,
    namespace,
    hashAlgorithm: hash,
    signature: signWith(key, signed),
  });
  const output = str(parsed, 'output') ?? (input === undefined || input === '-' ? undefined : `${input}.sig`);
  const out = await openOutput(output, { binary: false, mode: 0o644 });
  out.stream.write(armored);
  await out.commit();
  if (output !== undefined) process.stderr.write(`Signed ${input ?? 'data'}; signature in ${output}\n`);
  return EXIT.ok;
}

export async function verifyCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv, VERIFY_OPTIONS);
  const signersFile = str(parsed, 'allowed-signers');
  const principal = str(parsed, 'identity');
  if (signersFile === undefined || principal === undefined) {
    throw new UsageError(
      'verify needs -f ALLOWED_SIGNERS and -I PRINCIPAL',
      'coffer verify -f allowed_signers -I alice@example.com FILE',
    );
  }
  if (parsed.operands.length > 1) throw new UsageError('one file at a time');
  const input = parsed.operands[0];
  const sigFile =
    str(parsed, 'signature') ?? (input === undefined || input === '-' ? undefined : `${input}.sig`);
  if (sigFile === undefined)
    throw new UsageError('which signature?', 'give -s FILE.sig when the data comes from standard input');
  const namespace = namespaceOf(parsed);
  const signature = parseSshSignature(readTextFile(sigFile, 'signature'));
  const signers = parseAllowedSigners(readTextFile(signersFile, 'allowed-signers file'));
  const fingerprint = sshFingerprint(signature.publicKeyBlob);
  const fail = (why: string): never => {
    throw new CliFailure(`Signature verification failed: ${why}`);
  };
  if (signature.namespace !== namespace) {
    fail(
      `the signature is for namespace ${JSON.stringify(signature.namespace)}, not ${JSON.stringify(namespace)}`,
    );
  }
  const signer = findAllowedSigner(signers, { principal, namespace, publicKeyBlob: signature.publicKeyBlob });
  if (signer === undefined)
    fail(
      `${signature.publicKeyType} key ${fingerprint} is not allowed for ${JSON.stringify(principal)} in namespace ${JSON.stringify(namespace)}`,
    );
  const message = await readAll(input, Number.MAX_SAFE_INTEGER);
  const key = loadJwk(signature.jwk as never) as PublicKeyTypes;
  verifyWith(
    key,
    signature.signature,
    sshsigSignedData(message, { namespace, hashAlgorithm: signature.hashAlgorithm }),
    signature.signatureAlgorithm,
  );
  const kind =
    signature.publicKeyType === 'ssh-ed25519'
      ? 'ED25519'
      : signature.publicKeyType === 'ssh-rsa'
        ? 'RSA'
        : 'ECDSA';
  process.stdout.write(`Good "${namespace}" signature for ${principal} with ${kind} key ${fingerprint}\n`);
  return EXIT.ok;
}
