/**
 * The age v1 file format's text parts (age-encryption.org/v1): the header (version line, recipient
 * stanzas, MAC line), its unpadded base64, and the ASCII armor. Pure format code: no keys, no policy, no
 * cryptography. The recipe in `src/recipes/age.ts` gives the stanzas meaning and checks the MAC.
 *
 * The parsers are strict, as the spec asks, so that every header has exactly one encoding (the header MAC
 * is computed over the bytes as they are): canonical base64 only, no padding, 64-column body lines ending
 * in a short line, arguments of visible ASCII, LF line ends. They are bounded: a header longer than
 * {@link MAX_HEADER_SIZE} bytes or with more than {@link MAX_STANZAS} stanzas is refused before it is
 * buffered whole. Every failure is a `DecodeError` whose message names the rule, never the input.
 *
 * @example
 * ```ts
 * import { encodeHeader, headerLength, parseHeader } from './age-header.ts';
 * const bytes = encodeHeader([{ type: 'X25519', args: ['…'], body: new Uint8Array(32) }], mac);
 * const header = parseHeader(bytes.subarray(0, headerLength(bytes, 0)));
 * ```
 * @module
 */
import { DecodeError } from '../errors.ts';

/** The first line of every age v1 file. */
export const VERSION_LINE = 'age-encryption.org/v1';
/** Largest header accepted (1 MiB): far above any real header, and a ceiling on what a reader buffers. */
export const MAX_HEADER_SIZE = 1024 * 1024;
/** Most stanzas accepted in one header. */
export const MAX_STANZAS = 1024;
/** Columns of base64 per stanza body line and per armor line (age-encryption.org/v1 §"Header"). */
export const COLUMNS = 64;

export const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
export const ARMOR_END = '-----END AGE ENCRYPTED FILE-----';
/** Whitespace accepted before and after an armored file, at most this many bytes each side. */
export const MAX_ARMOR_WHITESPACE = 1024;

/** One recipient stanza: a type, its arguments, and a body of any length. */
export interface Stanza {
  readonly type: string;
  readonly args: readonly string[];
  readonly body: Uint8Array;
}

/** A parsed header: the stanzas, the bytes the MAC covers (through `---`), and the MAC itself. */
export interface Header {
  readonly stanzas: readonly Stanza[];
  readonly macInput: Uint8Array;
  readonly mac: Uint8Array;
}

const B64_CHARS = /^[A-Za-z0-9+/]*$/;
const ARG = /^[\x21-\x7e]+$/;

/** Unpadded standard base64 (RFC 4648 §4 without `=`), as the header uses it. */
export function base64NoPadEncode(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64').replace(/=+$/, '');
}

/**
 * Strict unpadded base64: the standard alphabet only, no `=`, no impossible length, no unused bits set.
 * @throws {DecodeError} on anything else.
 */
export function base64NoPadDecode(text: string): Uint8Array {
  if (!B64_CHARS.test(text) || text.length % 4 === 1) throw new DecodeError('invalid base64 in age header');
  const out = Buffer.from(text, 'base64');
  // Re-encoding catches non-zero trailing bits: the spec wants canonical encodings only.
  if (base64NoPadEncode(out) !== text) throw new DecodeError('non-canonical base64 in age header');
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

function checkArg(arg: string): void {
  if (!ARG.test(arg)) throw new DecodeError('invalid age stanza argument');
}

/** A stanza's text: `-> type args…`, then its body wrapped at 64 columns, always ending in a short line. */
export function encodeStanza(stanza: Stanza): string {
  checkArg(stanza.type);
  for (const a of stanza.args) checkArg(a);
  let out = `-> ${[stanza.type, ...stanza.args].join(' ')}\n`;
  const b64 = base64NoPadEncode(stanza.body);
  // A body whose base64 fills whole lines still ends with an empty short line, so readers know it ended.
  for (let i = 0; i <= b64.length; i += COLUMNS) out += `${b64.slice(i, i + COLUMNS)}\n`;
  return out;
}

/** The header through `---`: the bytes the header MAC covers. */
export function encodeHeaderForMac(stanzas: readonly Stanza[]): Uint8Array {
  let text = `${VERSION_LINE}\n`;
  for (const s of stanzas) text += encodeStanza(s);
  return Buffer.from(`${text}---`, 'latin1');
}

/** The whole header, MAC line included, given the MAC over {@link encodeHeaderForMac}'s bytes. */
export function encodeHeader(stanzas: readonly Stanza[], mac: Uint8Array): Uint8Array {
  const head = encodeHeaderForMac(stanzas);
  const tail = Buffer.from(` ${base64NoPadEncode(mac)}\n`, 'latin1');
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

const NL = 0x0a;
const FOOTER = Buffer.from('\n---', 'latin1');

/**
 * Where the header ends in `buf` (the index just past the MAC line's LF), or -1 when it has not all
 * arrived. `from` lets a reader resume: pass the length seen last time; the search backs up far enough
 * to find a footer split across pushes. The footer is the first line that starts with `---`: no stanza
 * line or base64 body line can.
 */
export function headerLength(buf: Uint8Array, from: number): number {
  const start = Math.max(0, from - (FOOTER.length + COLUMNS));
  const footer = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).indexOf(FOOTER, start);
  if (footer === -1) return -1;
  const end = buf.indexOf(NL, footer + FOOTER.length);
  return end === -1 ? -1 : end + 1;
}

/**
 * Parses a complete header (exactly the bytes {@link headerLength} measured).
 * @throws {DecodeError} when the header is malformed in any way, too large, or of an unknown version.
 */
export function parseHeader(bytes: Uint8Array): Header {
  if (bytes.length > MAX_HEADER_SIZE) throw new DecodeError('age header is too large');
  for (const b of bytes) if (b > 0x7f) throw new DecodeError('age header is not ASCII');
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (!text.endsWith('\n')) throw new DecodeError('age header is incomplete');
  const lines = text.slice(0, -1).split('\n');
  const version = lines[0] ?? '';
  if (version !== VERSION_LINE) {
    throw new DecodeError(
      version.startsWith('age-encryption.org/') ? 'unsupported age version' : 'not an age file',
    );
  }
  const stanzas: Stanza[] = [];
  let offset = version.length + 1;
  let i = 1;
  for (;;) {
    const line = lines[i++];
    if (line === undefined) throw new DecodeError('age header has no MAC line');
    if (line.startsWith('---')) {
      if (i !== lines.length) throw new DecodeError('data after the age header MAC line');
      if (!line.startsWith('--- ')) throw new DecodeError('malformed age header MAC line');
      const mac = base64NoPadDecode(line.slice(4));
      if (mac.length !== 32) throw new DecodeError('age header MAC must be 32 bytes');
      if (stanzas.length === 0) throw new DecodeError('age header has no recipient stanzas');
      return { stanzas, macInput: bytes.subarray(0, offset + 3), mac };
    }
    offset += line.length + 1;
    if (!line.startsWith('-> ')) throw new DecodeError('malformed age stanza line');
    if (stanzas.length === MAX_STANZAS) throw new DecodeError('too many stanzas in age header');
    const words = line.slice(3).split(' ');
    for (const w of words) checkArg(w);
    // age-encryption.org/v1: body lines are full 64-column lines, then exactly one shorter (maybe empty).
    let b64 = '';
    for (;;) {
      const bodyLine = lines[i++];
      if (bodyLine === undefined || bodyLine.startsWith('---')) {
        throw new DecodeError('age stanza body is not terminated');
      }
      offset += bodyLine.length + 1;
      if (bodyLine.length > COLUMNS) throw new DecodeError('age stanza body line is too long');
      if (!B64_CHARS.test(bodyLine)) throw new DecodeError('invalid base64 in age header');
      b64 += bodyLine;
      if (bodyLine.length < COLUMNS) break;
    }
    const [type, ...args] = words as [string, ...string[]];
    stanzas.push({ type, args, body: base64NoPadDecode(b64) });
  }
}

// ---------------------------------------------------------------------------------------------------
// ASCII armor: a strict subset of PEM (RFC 7468) with the type "AGE ENCRYPTED FILE": padded base64 in
// lines of exactly 64 columns but the last (1 to 64), no headers, LF or CRLF line ends, whitespace
// accepted only before BEGIN and after END.

const ARMOR_BEGIN_BYTES = Buffer.from(ARMOR_BEGIN, 'latin1');

/** True when `prefix` (leading whitespace skipped) starts like an armored file. */
export function looksArmored(prefix: Uint8Array): boolean {
  let i = 0;
  while (i < prefix.length && isSpace(prefix[i] as number)) i++;
  const rest = prefix.subarray(i, i + ARMOR_BEGIN_BYTES.length);
  return rest.length > 0 && ARMOR_BEGIN_BYTES.subarray(0, rest.length).equals(rest);
}

const isSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

const EVERY_LINE = /.{64}/g;
const RUN_WINDOW = 1024 * (COLUMNS + 2);
const B64_TABLE = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')
  B64_TABLE[c.charCodeAt(0)] = 1;

const latin1 = (data: Uint8Array, start: number, end: number): string =>
  Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('latin1');

/** The end of the run of whole lines (64 base64 characters, then LF or CRLF) from `start`, within `limit`. */
function fullLinesEnd(data: Uint8Array, start: number, limit: number): number {
  let p = start;
  for (;;) {
    let q = p + COLUMNS;
    if (q >= limit) return p;
    for (let k = p; k < q; k++) if (B64_TABLE[data[k] as number] === 0) return p;
    if (data[q] === 0x0d) q++;
    if (q >= limit || data[q] !== NL) return p;
    p = q + 1;
  }
}
const LAST_LINE = /^[A-Za-z0-9+/]*={0,2}$/;

/** Streaming armor encoder: `push` bytes, then `end`; each returns the armor text produced so far. */
export class ArmorEncoder {
  #pending = new Uint8Array(0);
  #started = false;

  push(data: Uint8Array): string {
    let out = '';
    if (!this.#started) {
      this.#started = true;
      out = `${ARMOR_BEGIN}\n`;
    }
    let buf = data;
    if (this.#pending.length > 0) {
      buf = new Uint8Array(this.#pending.length + data.length);
      buf.set(this.#pending);
      buf.set(data, this.#pending.length);
    }
    // 48 bytes make one 64-column line. A whole last line is held back for end(), which must see it.
    const whole = buf.length - (buf.length % 48 || 48);
    if (whole > 0) {
      out += Buffer.from(buf.buffer, buf.byteOffset, whole).toString('base64').replace(EVERY_LINE, '$&\n');
    }
    this.#pending = buf.slice(Math.max(0, whole));
    return out;
  }

  end(): string {
    let out = this.#started ? '' : `${ARMOR_BEGIN}\n`;
    this.#started = true;
    if (this.#pending.length > 0) out += `${Buffer.from(this.#pending).toString('base64')}\n`;
    this.#pending = new Uint8Array(0);
    return `${out}${ARMOR_END}\n`;
  }
}

/** Armors a whole binary age file. */
export function armorEncode(data: Uint8Array): string {
  const e = new ArmorEncoder();
  return e.push(data) + e.end();
}

/**
 * Streaming armor decoder: `push` text bytes, get back the binary bytes they decode to; `end` checks the
 * armor was complete. Memory is bounded by one line; nothing is buffered beyond it.
 * @throws {DecodeError} from `push` or `end` on any departure from the strict form.
 */
export class ArmorDecoder {
  #state: 'lead' | 'begin' | 'body' | 'trail' = 'lead';
  #line: number[] = [];
  #spaces = 0;
  #lastShort = false;

  push(data: Uint8Array): Uint8Array {
    const out: Buffer[] = [];
    let i = 0;
    while (i < data.length) {
      if (this.#state === 'lead' || this.#state === 'trail') {
        const b = data[i] as number;
        if (isSpace(b)) {
          if (++this.#spaces > MAX_ARMOR_WHITESPACE)
            throw new DecodeError('too much whitespace around armor');
          i++;
          continue;
        }
        if (this.#state === 'trail') throw new DecodeError('data after the armor end line');
        this.#state = 'begin';
        this.#spaces = 0;
      }
      // Fast path for runs of whole 64-column lines in the body: checked with a table, then decoded a
      // window at a time (node's base64 decoder skips the line ends), not line by line.
      if (this.#state === 'body' && this.#line.length === 0 && !this.#lastShort) {
        while (i < data.length) {
          const run = fullLinesEnd(data, i, Math.min(data.length, i + RUN_WINDOW));
          if (run === i) break;
          out.push(Buffer.from(latin1(data, i, run), 'base64'));
          i = run;
        }
        if (i >= data.length) break;
      }
      const nl = data.indexOf(NL, i);
      const end = nl === -1 ? data.length : nl;
      for (let j = i; j < end; j++) this.#line.push(data[j] as number);
      if (this.#line.length > COLUMNS + 1) throw new DecodeError('armor line is too long');
      i = end;
      if (nl === -1) break;
      i++;
      const decoded = this.#takeLine();
      if (decoded !== undefined) out.push(decoded);
    }
    const joined = out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out);
    return new Uint8Array(joined.buffer, joined.byteOffset, joined.byteLength);
  }

  end(): void {
    // armor_no_eol: the END line may lack its final newline.
    if (this.#line.length > 0) this.#takeLine();
    if (this.#state !== 'trail') throw new DecodeError('armor is truncated');
  }

  #takeLine(): Buffer | undefined {
    let bytes = this.#line;
    this.#line = [];
    if (bytes[bytes.length - 1] === 0x0d) bytes = bytes.slice(0, -1);
    const line = String.fromCharCode(...bytes);
    if (this.#state === 'begin') {
      if (line !== ARMOR_BEGIN) throw new DecodeError('invalid armor begin line');
      this.#state = 'body';
      return undefined;
    }
    if (this.#state !== 'body') throw new DecodeError('data after the armor end line');
    if (line === ARMOR_END) {
      this.#state = 'trail';
      return undefined;
    }
    if (this.#lastShort) throw new DecodeError('armor line after the last line');
    if (line.length === 0 || line.length > COLUMNS || line.length % 4 !== 0 || !LAST_LINE.test(line)) {
      throw new DecodeError('invalid armor line');
    }
    if (line.length < COLUMNS || line.endsWith('=')) this.#lastShort = true;
    const out = Buffer.from(line, 'base64');
    if (out.toString('base64') !== line) throw new DecodeError('non-canonical base64 in armor');
    return out;
  }
}

/**
 * Removes the armor from a whole armored file.
 * @throws {DecodeError} when the armor is malformed.
 */
export function armorDecode(text: Uint8Array): Uint8Array {
  const d = new ArmorDecoder();
  const out = d.push(text);
  d.end();
  return out;
}
