// The Key URI format of Google Authenticator (github.com/google/google-authenticator/wiki/Key-Uri-Format):
//
//   otpauth://TYPE/LABEL?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30   (or &counter=N)
//
// A pure format: text in, fields out, and back. No policy beyond what the format itself says (key length
// rules belong to the OTP recipe). Parsing is strict where a mistake would change the key or hide a
// tampered label, and follows the document (and pyca's `get_provisioning_uri` output) where it is lax:
//   - scheme, type and the algorithm name are case-insensitive; parameter names are not;
//   - the secret is RFC 4648 base32; lowercase letters and correct `=` padding are accepted (pyca pads),
//     anything else is refused: a typo must not silently become another key;
//   - the label is `account` or `issuer:account` (the colon literal or %3A, spaces may follow it);
//     an `issuer` parameter that disagrees with the label's prefix is refused;
//   - query values are form-encoded (`+` is a space, as Python's urlencode writes them), the label
//     percent-encoded only;
//   - unknown parameters (`image`, `color`...) are ignored; `period` on an HOTP key and `counter` on a TOTP
//     key do not apply and are ignored too; a known parameter given twice is refused;
//   - control characters are refused everywhere (they would reach UIs and logs), and so is a fragment.
import { DecodeError } from '../errors.ts';
import { bytes, describeValue, integer, plainObject, string } from '../internal/bytes.ts';
import { base32Decode, base32Encode } from './base32.ts';

export type OtpauthType = 'hotp' | 'totp';
export type OtpauthAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** What an otpauth URI says. */
export interface OtpauthKey {
  readonly type: OtpauthType;
  /** The shared secret (decoded from base32). */
  readonly secret: Uint8Array;
  /** The account the key belongs to (the label without its issuer prefix). */
  readonly accountName: string;
  /** The provider, from the `issuer` parameter or the label's prefix; `undefined` when neither is there. */
  readonly issuer?: string | undefined;
  /** Default `'SHA1'`. */
  readonly algorithm: OtpauthAlgorithm;
  /** Default 6. */
  readonly digits: number;
  /** TOTP only: the time step in seconds, default 30. */
  readonly period?: number | undefined;
  /** HOTP only (required there): the initial counter. */
  readonly counter?: number | undefined;
}

/** Longest URI `decodeOtpauthUri` reads, in characters: a bound on the work a hostile URI can ask for. */
export const MAX_OTPAUTH_URI_LENGTH = 4096;
/** Largest `period` accepted, in seconds (one day). */
export const MAX_OTPAUTH_PERIOD = 86_400;
/** Fewest digits a code may have (RFC 4226 §5.3 asks for at least 6). */
export const MIN_OTP_DIGITS = 6;
/** Most digits a code may have. */
export const MAX_OTP_DIGITS = 8;

const ALGORITHMS: readonly OtpauthAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];
// Unicode category Cc: the C0 controls, DEL and the C1 controls.
const CONTROL = /\p{Cc}/u;
const LONE_SURROGATE = /\p{Cs}/u;
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;
const KNOWN_PARAMETERS = new Set(['secret', 'issuer', 'algorithm', 'digits', 'period', 'counter']);

function fail(message: string): never {
  throw new DecodeError(`invalid otpauth URI: ${message}`);
}

function percentDecode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return fail(`malformed percent-encoding in the ${what}`);
  }
}

function decimal(text: string, what: string, min: number, max: number): number {
  if (!DECIMAL.test(text) || text.length > 16) fail(`"${what}" must be a decimal integer`);
  const n = Number(text);
  if (n < min || n > max) fail(`"${what}" must be between ${min} and ${max}`);
  return n;
}

/**
 * Parses an `otpauth://` URI.
 * @throws {DecodeError} when the text is not a well-formed key URI; the message names what is wrong and
 * never repeats the secret.
 * @throws {TypeError} when `uri` is not a string.
 */
export function decodeOtpauthUri(uri: string): OtpauthKey {
  string('uri', uri);
  if (uri.length > MAX_OTPAUTH_URI_LENGTH) fail(`longer than ${MAX_OTPAUTH_URI_LENGTH} characters`);
  if (CONTROL.test(uri)) fail('control characters are not allowed');
  const m = /^otpauth:\/\/([^/?#]*)\/([^?#]*)(?:\?([^#]*))?(#.*)?$/i.exec(uri);
  if (m === null) fail('expected otpauth://TYPE/LABEL?PARAMETERS');
  const [, rawType = '', rawLabel = '', rawQuery = '', fragment] = m;
  if (fragment !== undefined) fail('a fragment (#) is not allowed');
  const lower = rawType.toLowerCase();
  if (lower !== 'hotp' && lower !== 'totp') fail('the type must be "hotp" or "totp"');
  const type: OtpauthType = lower;

  // Label: "account" or "issuer:account", percent-encoded.
  const label = percentDecode(rawLabel, 'label');
  if (CONTROL.test(label)) fail('control characters are not allowed in the label');
  const parts = label.split(':');
  if (parts.length > 2) fail('the label holds more than one ":"');
  const accountName = (parts.length === 2 ? parts[1]! : parts[0]!).replace(/^ +/, '');
  const labelIssuer = parts.length === 2 ? parts[0]! : undefined;
  if (accountName === '') fail('the label has no account name');
  if (labelIssuer === '') fail('the label has an empty issuer prefix');

  // Parameters: form-encoded, each at most once.
  const params = new Map<string, string>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? '' : pair.slice(eq + 1);
    const name = percentDecode(key.replace(/\+/g, ' '), 'parameters');
    if (!KNOWN_PARAMETERS.has(name)) continue;
    if (params.has(name)) fail(`the parameter "${name}" appears twice`);
    params.set(name, percentDecode(value.replace(/\+/g, ' '), 'parameters'));
  }

  const secretText = params.get('secret');
  if (secretText === undefined || secretText === '') fail('the "secret" parameter is missing');
  let secret: Uint8Array;
  try {
    // ASCII letters only: toUpperCase would also map 'ı' to 'I' and 'ſ' to 'S'.
    secret = base32Decode(secretText.replace(/[a-z]/g, (c) => c.toUpperCase()));
  } catch {
    fail('the "secret" parameter is not base32 (RFC 4648)');
  }

  let issuer = labelIssuer;
  const issuerParam = params.get('issuer');
  if (issuerParam !== undefined) {
    if (CONTROL.test(issuerParam)) fail('control characters are not allowed in "issuer"');
    if (issuerParam === '') fail('the "issuer" parameter is empty');
    if (issuerParam.includes(':')) fail('the "issuer" parameter holds a ":"');
    if (labelIssuer !== undefined && labelIssuer !== issuerParam) {
      fail('the "issuer" parameter and the label prefix disagree');
    }
    issuer = issuerParam;
  }

  const algorithmText = params.get('algorithm');
  const algorithm = algorithmText === undefined ? 'SHA1' : algorithmText.toUpperCase();
  if (!(ALGORITHMS as readonly string[]).includes(algorithm)) {
    fail('"algorithm" must be SHA1, SHA256 or SHA512');
  }

  const digitsText = params.get('digits');
  const digits = digitsText === undefined ? 6 : decimal(digitsText, 'digits', MIN_OTP_DIGITS, MAX_OTP_DIGITS);

  const base = { type, secret, accountName, issuer, algorithm: algorithm as OtpauthAlgorithm, digits };
  if (type === 'totp') {
    const periodText = params.get('period');
    const period = periodText === undefined ? 30 : decimal(periodText, 'period', 1, MAX_OTPAUTH_PERIOD);
    return { ...base, period };
  }
  const counterText = params.get('counter');
  if (counterText === undefined) fail('an HOTP key needs a "counter" parameter');
  return { ...base, counter: decimal(counterText, 'counter', 0, Number.MAX_SAFE_INTEGER) };
}

/** A label part: a non-empty string without ':' or control characters. */
function labelPart(name: string, value: unknown): string {
  string(name, value);
  const text = value as string;
  if (text === '') throw new TypeError(`"${name}" must not be empty`);
  if (text.includes(':')) throw new TypeError(`"${name}" must not contain ":" (the label's separator)`);
  if (CONTROL.test(text)) throw new TypeError(`"${name}" must not contain control characters`);
  if (LONE_SURROGATE.test(text)) throw new TypeError(`"${name}" must be well-formed Unicode`);
  return text;
}

/**
 * Formats an `otpauth://` URI: the label `issuer:account` (or `account`), then `secret` (unpadded
 * base32), `issuer`, `algorithm`, `digits` and `period` (TOTP) or `counter` (HOTP), all percent-encoded.
 * @throws {TypeError} when a field has the wrong type, or a label part is empty or holds ":" or control
 * characters.
 * @throws {RangeError} when `digits`, `period` or `counter` is out of range, or the secret is empty.
 */
export function encodeOtpauthUri(key: OtpauthKey): string {
  const k = plainObject('key', key);
  const type = k.type;
  if (type !== 'hotp' && type !== 'totp') {
    throw new TypeError(`"type" must be 'hotp' or 'totp', got ${describeValue(type)}`);
  }
  const secret = bytes('secret', k.secret);
  if (secret.length === 0) throw new RangeError('"secret" must not be empty');
  const account = labelPart('accountName', k.accountName);
  const issuer = k.issuer === undefined ? undefined : labelPart('issuer', k.issuer);
  const algorithm = k.algorithm ?? 'SHA1';
  if (!(ALGORITHMS as readonly unknown[]).includes(algorithm)) {
    throw new TypeError(`"algorithm" must be 'SHA1', 'SHA256' or 'SHA512'`);
  }
  const digits = integer('digits', k.digits ?? 6, MIN_OTP_DIGITS, MAX_OTP_DIGITS);
  const enc = encodeURIComponent;
  const label = issuer === undefined ? enc(account) : `${enc(issuer)}:${enc(account)}`;
  let query = `secret=${base32Encode(secret, { padding: 'none' })}`;
  if (issuer !== undefined) query += `&issuer=${enc(issuer)}`;
  query += `&algorithm=${algorithm}&digits=${digits}`;
  if (type === 'totp') {
    query += `&period=${integer('period', k.period ?? 30, 1, MAX_OTPAUTH_PERIOD)}`;
  } else {
    if (k.counter === undefined) throw new TypeError('"counter" is required for an HOTP key');
    query += `&counter=${integer('counter', k.counter, 0, Number.MAX_SAFE_INTEGER)}`;
  }
  return `otpauth://${type}/${label}?${query}`;
}
