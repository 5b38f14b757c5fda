// Command-line parsing for `coffer`: GNU-style short and long options, as age and OpenSSL users expect.
// `-o FILE`, `-oFILE`, `--output FILE`, `--output=FILE`; flags combine (`-ap`); `--` ends the options;
// `-` alone is an operand (standard input or output). Every option is declared; an unknown one is a usage
// error, never silently ignored.

/** A usage mistake: printed as `coffer: error: …` with a hint, exit status 2. */
export class UsageError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'UsageError';
    this.hint = hint;
  }
}

export interface OptionSpec {
  /** The long name, without dashes (`output`). */
  readonly long: string;
  /** The one-letter short name, without the dash (`o`). */
  readonly short?: string;
  /** Takes a value (`-o FILE`); otherwise a flag. */
  readonly value?: string;
  /** May be given more than once (values collect in order). */
  readonly repeat?: boolean;
  readonly help: string;
}

export interface Parsed {
  /** Flags as `true`, single values as strings, repeated values as arrays. */
  readonly options: Readonly<Record<string, string | boolean | string[]>>;
  readonly operands: readonly string[];
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): Parsed {
  const options: Record<string, string | boolean | string[]> = {};
  const operands: string[] = [];
  const byLong = new Map(specs.map((s) => [s.long, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));

  const set = (spec: OptionSpec, value: string | true, shown: string): void => {
    if (spec.repeat) {
      const list = (options[spec.long] as string[] | undefined) ?? [];
      list.push(value as string);
      options[spec.long] = list;
      return;
    }
    if (options[spec.long] !== undefined) throw new UsageError(`option ${shown} given more than once`);
    options[spec.long] = value;
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq === -1 ? undefined : eq);
      const spec = byLong.get(name);
      if (spec === undefined) throw new UsageError(`unknown option --${name}`, 'see "coffer help"');
      if (spec.value === undefined) {
        if (eq !== -1) throw new UsageError(`option --${name} takes no value`);
        set(spec, true, `--${name}`);
        continue;
      }
      let value: string | undefined;
      if (eq !== -1) value = arg.slice(eq + 1);
      else value = argv[++i];
      if (value === undefined) throw new UsageError(`option --${name} needs a value (${spec.value})`);
      set(spec, value, `--${name}`);
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j]!;
        const spec = byShort.get(letter);
        if (spec === undefined) throw new UsageError(`unknown option -${letter}`, 'see "coffer help"');
        if (spec.value === undefined) {
          set(spec, true, `-${letter}`);
          continue;
        }
        let value: string | undefined = arg.slice(j + 1);
        if (value === '') value = argv[++i];
        if (value === undefined) throw new UsageError(`option -${letter} needs a value (${spec.value})`);
        set(spec, value, `-${letter}`);
        break;
      }
      continue;
    }
    operands.push(arg);
  }
  return { options, operands };
}

/** The value of a single-valued option, or undefined. */
export function str(parsed: Parsed, name: string): string | undefined {
  const v = parsed.options[name];
  return typeof v === 'string' ? v : undefined;
}

export function flag(parsed: Parsed, name: string): boolean {
  return parsed.options[name] === true;
}

export function list(parsed: Parsed, name: string): string[] {
  const v = parsed.options[name];
  return Array.isArray(v) ? v : [];
}

/** Renders the options of a command for its help text. */
export function describeOptions(specs: readonly OptionSpec[]): string {
  const rows = specs.map((s) => {
    const names = `${s.short ? `-${s.short}, ` : '    '}--${s.long}${s.value ? ` ${s.value}` : ''}`;
    return [names, s.help] as const;
  });
  const width = Math.max(...rows.map(([n]) => n.length));
  return rows.map(([n, h]) => `  ${n.padEnd(width)}  ${h}`).join('\n');
}
