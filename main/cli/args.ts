/**
 * The command line's grammar: every command with its options and help, and the parser that turns
 * argv into values. Our own parser (not `util.parseArgs`) so that every mistake reads in words,
 * names the command, suggests the nearest name ("did you mean"), and no short flag exists that
 * the help does not list.
 */
import { version as packageVersion } from '../../package.json';
import { suggest } from '../core/suggest';

/** One option of a command. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** Placeholder of the value in help ("FILE"); string options only. */
  readonly value?: string;
  readonly description: string;
  /** May be given more than once; the values are joined with commas. */
  readonly repeatable?: boolean;
}

/** One command: its name, one-line summary, options and help text. */
export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** More lines for `burnrate <command> --help`. */
  readonly details?: readonly string[];
  readonly options: Readonly<Record<string, OptionSpec>>;
}

const CONFIG: OptionSpec = { type: 'string', value: 'FILE', description: 'config file (default: $BURNRATE_CONFIG, else <OS config dir>/burnrate/config.json)' };
const PORT: OptionSpec = { type: 'string', value: 'N', description: 'port on 127.0.0.1 (default 8787; 0 picks a free one)' };

/** Every command, in help order. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'status',
    summary: 'Print spend, burn rate, projection and budget: from the spend database for connections refreshed within the refresh interval, refreshing the others.',
    options: {
      config: CONFIG,
      workspace: { type: 'string', value: 'ID', description: 'only this workspace' },
      json: { type: 'boolean', description: 'print the status document (USD numbers, ISO-8601 UTC times)' },
      check: { type: 'boolean', description: 'exit 1 when a workspace is over its budget (actual spend)' },
      cached: { type: 'boolean', description: 'answer from the spend database only: no request, values marked stale' },
      refresh: { type: 'boolean', description: 'refresh every connection, however recent its data' },
    },
    details: ['Exit codes: 0 ok, 1 --check found a workspace over budget, 2 bad usage or config, 3 a connection failed.'],
  },
  {
    name: 'watch',
    summary: 'Keep polling and send desktop notifications until interrupted (Ctrl+C).',
    options: { config: CONFIG },
    details: ['Notifications: thresholds, forecast, spikes, idle GPUs and connection trouble. One line per change on stdout.'],
  },
  {
    name: 'serve',
    summary: 'Dashboard, JSON API and Prometheus metrics on 127.0.0.1, behind an access token.',
    options: {
      config: CONFIG,
      port: PORT,
      listen: { type: 'string', value: 'HOST:PORT', description: 'address to listen on (default 127.0.0.1:8787; IPv6 in brackets)' },
      'public-host': {
        type: 'string',
        value: 'NAME',
        repeatable: true,
        description: 'a name clients use for this server (Host check); required with a non-loopback --listen',
      },
      'token-file': { type: 'string', value: 'FILE', description: 'keep the access token in FILE (created 0600 with a random token, reused after)' },
    },
    details: [
      'The token: $BURNRATE_TOKEN, else the content of --token-file, else a new random one per start.',
      'Team server: a non-loopback --listen needs a stable token (BURNRATE_TOKEN or --token-file) and',
      '--public-host; it speaks plain HTTP, so terminate TLS in front of it (a reverse proxy).',
      'Paths: / (dashboard), /api/status (JSON), /api/export.csv, /metrics (Prometheus), /healthz (no token).',
    ],
  },
  {
    name: 'demo',
    summary: 'Start built-in fake providers with demo data and serve them (or print their status once).',
    options: {
      port: PORT,
      once: { type: 'boolean', description: 'print the status table once and exit' },
      json: { type: 'boolean', description: 'with --once: print the status document instead' },
    },
  },
  {
    name: 'export',
    summary: 'Write spend per connection and time bucket to stdout (CSV or JSON).',
    options: {
      config: CONFIG,
      workspace: { type: 'string', value: 'ID', description: 'only this workspace' },
      format: { type: 'string', value: 'csv|json', description: 'output format (default csv)' },
      from: { type: 'string', value: 'ISO', description: 'start of the range, ISO-8601 (default: the current period)' },
      to: { type: 'string', value: 'ISO', description: 'end of the range, exclusive, ISO-8601 (default: now)' },
    },
    details: [
      'Columns: workspace_id,connection_id,provider,start,end,cost_usd,stale,note (times ISO-8601 UTC).',
      "Without --from/--to: each workspace's current period; each connection's rows add up to its",
      'spentUsd in `status --json`. Credits-only and failed connections have no dollar rows.',
    ],
  },
  {
    name: 'init',
    summary: 'Write a commented starter config (mode 0600); never overwrites a file.',
    options: { config: { type: 'string', value: 'FILE', description: 'where to write it (default: $BURNRATE_CONFIG, else <OS config dir>/burnrate/config.json)' } },
    details: ['JSON has no comments: the explanations are "$comment" entries, which the config allows in any object.'],
  },
  {
    name: 'doctor',
    summary: 'Check the config and test each connection with one request, in plain words.',
    options: { config: CONFIG },
    details: ['Exit codes: 0 all good, 2 the config is invalid, 3 a connection failed its test.'],
  },
];

/** Bad command-line usage: printed with a pointer to the right help, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The command whose help to point at, when known. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

/** Parsed values: option name → string (string options) or true (boolean options). */
export type ParsedOptions = Readonly<Record<string, string | boolean | undefined>> & { readonly help?: boolean };

/** The command spec by name, with a "did you mean" error for an unknown one. */
export function commandNamed(name: string): CommandSpec {
  const found = COMMANDS.find((c) => c.name === name);
  if (found) return found;
  const near = suggest(name, COMMANDS.map((c) => c.name));
  throw new UsageError(`unknown command "${name}"${near ? `. Did you mean "${near}"?` : ''}`);
}

/**
 * Parses a command's arguments: `--name value`, `--name=value`, boolean `--flag`, and `-h`/`--help`.
 * @example parseOptions(commandNamed('status'), ['--json', '--config', 'a.json']) //=> { json: true, config: 'a.json' }
 */
export function parseOptions(spec: CommandSpec, args: readonly string[]): ParsedOptions {
  const values: Record<string, string | boolean> = {};
  const names = Object.keys(spec.options);
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '-h' || arg === '--help') {
      values.help = true;
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      const near = arg.startsWith('-') ? suggest(arg.replace(/^-+/, ''), names) : null;
      throw new UsageError(
        arg.startsWith('-')
          ? `unknown option "${arg}" for "${spec.name}"${near ? `. Did you mean "--${near}"?` : ''}`
          : `"${spec.name}" takes no argument "${arg}"`,
        spec.name,
      );
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const option = spec.options[name];
    if (!option) {
      const near = suggest(name, [...names, 'help']);
      throw new UsageError(`unknown option "--${name}" for "${spec.name}"${near ? `. Did you mean "--${near}"?` : ''}`, spec.name);
    }
    if (option.type === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`, spec.name);
      values[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < args.length && !args[i + 1]!.startsWith('--')) value = args[(i += 1)];
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value (${option.value ?? 'VALUE'})`, spec.name);
    values[name] = option.repeatable && typeof values[name] === 'string' ? `${values[name] as string},${value}` : value;
  }
  return values;
}

function optionLines(spec: CommandSpec): string[] {
  const rows: [string, string][] = Object.entries(spec.options).map(([name, option]) => [`--${name}${option.value ? ` ${option.value}` : ''}`, option.description]);
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

/** `burnrate <command> --help`. */
export function commandHelp(spec: CommandSpec): string {
  const usage = Object.entries(spec.options)
    .map(([name, option]) => `[--${name}${option.value ? ` ${option.value}` : ''}]`)
    .join(' ');
  return [`Usage: burnrate ${spec.name} ${usage}`.trimEnd(), '', spec.summary, ...(spec.details ? ['', ...spec.details] : []), '', 'Options:', ...optionLines(spec), ''].join('\n');
}

/** `burnrate --help`: the commands with their summaries. */
export function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: burnrate <command> [options]',
    '',
    'What your GPU and AI-inference providers cost right now.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show help (also: burnrate <command> --help, burnrate help <command>)',
    '  --version      print the version',
    '',
    'Config: --config FILE, else $BURNRATE_CONFIG, else <OS config dir>/burnrate/config.json.',
    'Colour: on for a terminal; NO_COLOR=1 turns it off, FORCE_COLOR=1 forces it on.',
    'Exit codes: 0 ok, 1 --check failed, 2 bad usage or config, 3 one or more connections failed, 70 a bug.',
    '',
  ].join('\n');
}

/** Burnrate's version (package.json). */
export const VERSION: string = packageVersion;

/** The value of a text option, or undefined when it was not given. */
export const optionText = (values: ParsedOptions, name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
/** Whether a flag was given. */
export const optionFlag = (values: ParsedOptions, name: string): boolean => values[name] === true;
