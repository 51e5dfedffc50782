/**
 * The configuration file: workspaces, budgets and connections (README "Configuration").
 * Validated with zod; unknown keys are errors that name them; every problem carries the JSON path.
 * Keys may be inline (`apiKey`) or named by environment variable (`apiKeyEnv`).
 */
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { suggest } from '../core/suggest';
import { unitsToMicros } from '../core/money';
import { DEFAULT_THRESHOLDS_PERCENT, isValidTimeZone, type Budget, type Workspace } from '../core/workspace';
import { formatIssuePath } from '../providers/schema';
import { adapterFor, PROVIDER_IDS, type ProviderId } from '../providers/registry';

/** A configuration problem: the file, the JSON path and what is wrong. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/** Thrown for a configuration that cannot be used. `problems` lists every issue found. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(problems.map((p) => `${file}: ${p.path}: ${p.message}`).join('\n'));
  }
}

/**
 * Limits on a configuration file, so a hostile or broken one is refused at once (exit 2 naming
 * the limit) instead of running for minutes and dying: a 9 MB file with 250,000 workspaces once
 * took 78 s and 8.3 GB before a stack overflow.
 */
export const CONFIG_LIMITS = {
  /** Largest file accepted, bytes (1 MiB; a large real config is a few KiB). */
  maxFileBytes: 1024 * 1024,
  /** Most workspaces in one file. */
  maxWorkspaces: 100,
  /** Most connections in one workspace. */
  maxConnectionsPerWorkspace: 50,
  /** Most connections in the whole file. */
  maxConnections: 500,
  /** Deepest nesting of objects and arrays (the root object is depth 1). */
  maxDepth: 16,
} as const;

/** One connection, ready to poll. `apiKey` is resolved; `keyProblem` says why it could not be. */
export interface ConnectionConfig {
  readonly id: string;
  readonly provider: ProviderId;
  /** Display name (defaults to the provider's). */
  readonly name: string;
  /** Resolved secret, or undefined when `keyProblem` is set. Never print it. */
  readonly apiKey: string | undefined;
  /** Why the key is unavailable (environment variable unset…); the connection reports kind `config`. */
  readonly keyProblem: string | undefined;
  /** Provider-specific settings, parsed by the adapter's schema (defaults filled in). */
  readonly settings: unknown;
  /** Stable fingerprint of provider + settings: cached data of an edited connection is not reused. */
  readonly fingerprint: string;
}

/** One workspace with its connections. */
export interface WorkspaceConfig {
  readonly workspace: Workspace;
  readonly connections: readonly ConnectionConfig[];
}

/** The whole validated configuration. */
export interface BurnrateConfig {
  readonly file: string;
  readonly workspaces: readonly WorkspaceConfig[];
  /** Default refresh interval (ms) before the refresh policy adjusts it. */
  readonly refreshIntervalMs: number;
  readonly alerts: { readonly spikeFactor: number; readonly spikeMinMicros: number };
  /** Secrets to redact from everything printed or logged. */
  readonly secrets: readonly string[];
  /** Non-fatal warnings (file permissions…). */
  readonly warnings: readonly string[];
}

const ID = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, "-", "_" or "." (starting with a letter or digit)');

const budgetSchema = z.strictObject({
  amountUsd: z.number().positive('must be a positive amount in USD').max(1e9, 'must be at most 1,000,000,000'),
  period: z.enum(['day', 'week', 'month']).default('month'),
  cycleStartDay: z.number().int().min(1).max(28).optional(),
  thresholdsPercent: z
    .array(z.number().int('must be whole percentages').min(1).max(1000))
    .min(1)
    .default([...DEFAULT_THRESHOLDS_PERCENT])
    .transform((values) => [...new Set(values)].sort((a, b) => a - b)),
});

const connectionCommon = z.looseObject({
  id: ID,
  provider: z.enum(PROVIDER_IDS, {
    error: `must be one of ${PROVIDER_IDS.join(', ')}`,
  }),
  name: z.string().min(1).max(80).optional(),
  apiKey: z.string().min(1, 'must not be empty').optional(),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
    .optional(),
});

const COMMON_KEYS = new Set(['id', 'provider', 'name', 'apiKey', 'apiKeyEnv']);
/** Keys that object copies treat specially; never a setting. */
const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

const workspaceSchema = z.strictObject({
  id: ID,
  name: z.string().min(1).max(80).optional(),
  timeZone: z
    .string()
    .refine(isValidTimeZone, 'must be an IANA time zone such as "Europe/Berlin" or "UTC"')
    .optional(),
  budget: budgetSchema.optional(),
  period: z.enum(['day', 'week', 'month']).optional(),
  cycleStartDay: z.number().int().min(1).max(28).optional(),
  forecastAlerts: z.boolean().default(false),
  connections: z
    .array(z.unknown())
    .max(
      CONFIG_LIMITS.maxConnectionsPerWorkspace,
      `lists more than ${CONFIG_LIMITS.maxConnectionsPerWorkspace} connections (the limit of connections per workspace)`,
    )
    .default([]),
});

const fileSchema = z.strictObject({
  $schema: z.string().optional(),
  refreshIntervalSeconds: z.number().int().min(60).max(86_400).default(300),
  alerts: z
    .strictObject({
      spikeFactor: z.number().min(1.5).max(100).default(3),
      spikeMinUsd: z.number().min(0).max(1e6).default(5),
    })
    .default({ spikeFactor: 3, spikeMinUsd: 5 }),
  workspaces: z
    .array(z.unknown())
    .min(1, 'must list at least one workspace')
    .max(CONFIG_LIMITS.maxWorkspaces, `lists more than ${CONFIG_LIMITS.maxWorkspaces} workspaces (the limit of workspaces per file)`),
});

/** Keys of an object schema (for "did you mean"); empty for schemas that are not plain objects. */
function keysOf(schema: unknown): string[] {
  const shape = (schema as { shape?: unknown }).shape;
  return typeof shape === 'object' && shape !== null ? Object.keys(shape) : [];
}

/** Keys allowed at a JSON path, by schema: the top level, a workspace, its budget, or alerts. */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  const names = path.filter((p) => typeof p === 'string');
  const last = names[names.length - 1];
  if (names.length === 0) return keysOf(fileSchema);
  if (last === 'alerts') return ['spikeFactor', 'spikeMinUsd'];
  if (last === 'budget') return keysOf(budgetSchema);
  if (last === 'workspaces') return keysOf(workspaceSchema);
  return [];
}

function issuesOf(error: z.ZodError, prefix: readonly PropertyKey[], known?: readonly string[]): ConfigProblem[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const candidates = known ?? knownKeysAt(path);
      const hints = issue.keys.map((k) => suggest(k, candidates)).filter((k): k is string => k !== null);
      const hint = hints.length > 0 ? ` (did you mean ${hints.map((k) => `"${k}"`).join(', ')}?)` : '';
      return { path: formatIssuePath(path), message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${hint}` };
    }
    return { path: formatIssuePath(path), message: issue.message };
  });
}

/** Validates a workspace's connections, adding every problem to `problems` (with JSON paths). */
function parseConnections(
  rawConnections: readonly unknown[],
  wsPath: readonly PropertyKey[],
  problems: ConfigProblem[],
  secrets: Set<string>,
  env: Readonly<Record<string, string | undefined>>,
): ConnectionConfig[] {
  const connections: ConnectionConfig[] = [];
  const connectionIds = new Set<string>();
  rawConnections.forEach((rawConnection, ci) => {
    const cPath = [...wsPath, 'connections', ci];
    // JSON.parse makes "__proto__" an own key, but zod's loose object drops it on copy: it would
    // vanish silently instead of being the unknown-key error it is everywhere else.
    const reserved = rawConnection !== null && typeof rawConnection === 'object' ? RESERVED_KEYS.filter((key) => Object.hasOwn(rawConnection, key)) : [];
    if (reserved.length > 0) {
      problems.push({ path: formatIssuePath(cPath), message: `unknown key${reserved.length > 1 ? 's' : ''} ${reserved.map((k) => `"${k}"`).join(', ')}` });
      return;
    }
    const common = connectionCommon.safeParse(rawConnection);
    if (!common.success) {
      problems.push(...issuesOf(common.error, cPath));
      return;
    }
    const c = common.data;
    if (connectionIds.has(c.id)) problems.push({ path: formatIssuePath([...cPath, 'id']), message: `duplicate connection id "${c.id}" in this workspace` });
    connectionIds.add(c.id);
    if ((c.apiKey === undefined) === (c.apiKeyEnv === undefined)) {
      problems.push({ path: formatIssuePath(cPath), message: 'give exactly one of "apiKey" or "apiKeyEnv"' });
    }
    const adapter = adapterFor(c.provider);
    const rest = Object.fromEntries(Object.entries(c).filter(([key]) => !COMMON_KEYS.has(key)));
    const settings = adapter.settingsSchema.safeParse(rest);
    if (!settings.success) {
      problems.push(...issuesOf(settings.error, cPath, [...COMMON_KEYS, ...keysOf(adapter.settingsSchema)]));
      return;
    }
    let apiKey = c.apiKey;
    let keyProblem: string | undefined;
    if (c.apiKeyEnv !== undefined) {
      apiKey = env[c.apiKeyEnv];
      if (!apiKey) keyProblem = `environment variable ${c.apiKeyEnv} is not set`;
    }
    if (apiKey) secrets.add(apiKey);
    connections.push({
      id: c.id,
      provider: c.provider,
      name: c.name ?? adapter.displayName,
      apiKey: keyProblem ? undefined : apiKey,
      keyProblem,
      settings: settings.data,
      fingerprint: JSON.stringify([c.provider, settings.data]),
    });
  });
  return connections;
}

/** The key JSON has no comments for: allowed in any object of the file, with a string or strings. */
export const COMMENT_KEY = '$comment';

/**
 * The file without its `"$comment"` entries (JSON has no comments; `burnrate init` writes its
 * explanations there). A `$comment` that is not text stays, and is reported as an unknown key.
 */
function withoutComments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutComments);
  if (typeof value !== 'object' || value === null) return value;
  const isText = (v: unknown) => typeof v === 'string' || (Array.isArray(v) && v.every((line) => typeof line === 'string'));
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, v]) => !(key === COMMENT_KEY && isText(v)))
      .map(([key, v]) => [key, withoutComments(v)]),
  );
}

/** The system's IANA time zone (falls back to UTC). */
export function systemTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isValidTimeZone(zone) ? zone : 'UTC';
}

/**
 * The JSON path of the first value nested deeper than `maxDepth` (objects and arrays count, the
 * root is depth 1), or undefined. Iterative: a hostile file must not overflow the stack here.
 */
function firstPathDeeperThan(raw: unknown, maxDepth: number): string | undefined {
  const stack: Array<{ value: unknown; path: PropertyKey[] }> = [{ value: raw, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (path.length + 1 > maxDepth) return formatIssuePath(path.slice(0, maxDepth)) || '(root)';
    const entries: Array<[PropertyKey, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [key, child] of entries) if (child !== null && typeof child === 'object') stack.push({ value: child, path: [...path, key] });
  }
  return undefined;
}

/**
 * Validates a parsed configuration object. Throws ConfigError listing every problem.
 * `env` resolves `apiKeyEnv`; an unset variable is not a file error: that connection reports
 * a `config` error and the others still run.
 */
export function parseConfig(rawWithComments: unknown, file: string, env: Readonly<Record<string, string | undefined>> = process.env): BurnrateConfig {
  // The depth check comes first: everything after it (comment removal, zod) recurses.
  const tooDeep = firstPathDeeperThan(rawWithComments, CONFIG_LIMITS.maxDepth);
  if (tooDeep) throw new ConfigError(file, [{ path: tooDeep, message: `nested more than ${CONFIG_LIMITS.maxDepth} levels deep (the nesting limit)` }]);
  const raw = withoutComments(rawWithComments);
  const problems: ConfigProblem[] = [];
  const top = fileSchema.safeParse(raw);
  if (!top.success) throw new ConfigError(file, issuesOf(top.error, []));
  const connectionCount = top.data.workspaces.reduce<number>(
    (sum, w) => sum + (w !== null && typeof w === 'object' && Array.isArray((w as { connections?: unknown }).connections) ? (w as { connections: unknown[] }).connections.length : 0),
    0,
  );
  if (connectionCount > CONFIG_LIMITS.maxConnections) {
    throw new ConfigError(file, [
      { path: 'workspaces', message: `lists ${connectionCount} connections, more than ${CONFIG_LIMITS.maxConnections} (the limit of connections per file)` },
    ]);
  }

  const workspaces: WorkspaceConfig[] = [];
  const secrets = new Set<string>();
  const workspaceIds = new Set<string>();
  top.data.workspaces.forEach((rawWorkspace, wi) => {
    const wsPath = ['workspaces', wi];
    const parsed = workspaceSchema.safeParse(rawWorkspace);
    if (!parsed.success) {
      problems.push(...issuesOf(parsed.error, wsPath));
      // Still check the id and the connections, so one run lists every problem of the file.
      const rawId = (rawWorkspace as { id?: unknown } | null)?.id;
      if (typeof rawId === 'string') workspaceIds.add(rawId);
      const rawConnections = (rawWorkspace as { connections?: unknown } | null)?.connections;
      if (Array.isArray(rawConnections)) parseConnections(rawConnections, wsPath, problems, secrets, env);
      return;
    }
    const w = parsed.data;
    if (workspaceIds.has(w.id)) problems.push({ path: formatIssuePath([...wsPath, 'id']), message: `duplicate workspace id "${w.id}"` });
    workspaceIds.add(w.id);
    if (w.budget && w.period && w.period !== w.budget.period) {
      problems.push({ path: formatIssuePath([...wsPath, 'period']), message: `differs from budget.period "${w.budget.period}"; set only one` });
    }

    const connections = parseConnections(w.connections, wsPath, problems, secrets, env);

    const budget: Budget | null = w.budget
      ? {
          amountMicros: unitsToMicros(w.budget.amountUsd),
          period: w.budget.period,
          thresholdsPercent: w.budget.thresholdsPercent,
          ...(w.budget.cycleStartDay === undefined ? {} : { cycleStartDay: w.budget.cycleStartDay }),
        }
      : null;
    const cycleStartDay = w.budget?.cycleStartDay ?? w.cycleStartDay;
    workspaces.push({
      workspace: {
        id: w.id,
        name: w.name ?? w.id,
        timeZone: w.timeZone ?? systemTimeZone(),
        currency: 'USD',
        budget,
        period: w.budget?.period ?? w.period ?? 'month',
        ...(cycleStartDay === undefined ? {} : { cycleStartDay }),
        forecastAlerts: w.forecastAlerts,
        connectionIds: connections.map((cc) => cc.id),
      },
      connections,
    });
  });
  if (problems.length > 0) throw new ConfigError(file, problems);
  return {
    file,
    workspaces,
    refreshIntervalMs: top.data.refreshIntervalSeconds * 1000,
    alerts: { spikeFactor: top.data.alerts.spikeFactor, spikeMinMicros: unitsToMicros(top.data.alerts.spikeMinUsd) },
    secrets: [...secrets],
    warnings: [],
  };
}

/** Per-OS folders: config (settings) and state (snapshots, alert state). */
export function osDirs(env: Readonly<Record<string, string | undefined>> = process.env, platform = process.platform): { config: string; state: string } {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  if (platform === 'win32') {
    const roaming = env.APPDATA ?? join(home, 'AppData', 'Roaming');
    const local = env.LOCALAPPDATA ?? join(home, 'AppData', 'Local');
    return { config: join(roaming, 'burnrate'), state: join(local, 'burnrate') };
  }
  if (platform === 'darwin') {
    const base = join(home, 'Library', 'Application Support', 'burnrate');
    return { config: base, state: base };
  }
  return {
    config: join(env.XDG_CONFIG_HOME || join(home, '.config'), 'burnrate'),
    state: join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'burnrate'),
  };
}

/** Which file to read: `--config`, else `$BURNRATE_CONFIG`, else `<OS config dir>/burnrate/config.json`. */
export function resolveConfigPath(flag: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env): string {
  return flag ?? (env.BURNRATE_CONFIG || join(osDirs(env).config, 'config.json'));
}

/**
 * Explains a JSON syntax error by line and column, WITHOUT quoting the file: V8's messages quote
 * the text around the error ("Unexpected token 'b', ..."apiKey": bt_live_12"..."), and the text
 * around a typo in a config file is often an API key.
 * @example describeJsonError('{"a": tru}', "Unexpected token '}', ...") //=> "not valid JSON: unexpected '}' at line 1, column 10"
 */
export function describeJsonError(text: string, message: string): string {
  let position: number | undefined;
  let reason: string;
  const token = /^Unexpected token '([^']+)', (\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON$/.exec(message);
  if (token) {
    const [, character = '', ellipsis, excerpt = ''] = token;
    reason = `unexpected '${character}'`;
    // V8 shows up to 10 characters before the offending one; locate the excerpt to get the offset.
    const index = text.indexOf(excerpt);
    if (index >= 0 && excerpt) position = index + (ellipsis ? Math.min(10, excerpt.length - 1) : Math.max(0, excerpt.indexOf(character)));
  } else {
    const at = /\bat position (\d+)/.exec(message);
    if (at) position = Number(at[1]);
    // Keep V8's explanation, drop its position (reported as line and column) and any quoted text.
    reason = message.replace(/\s*(?:in JSON )?at position[\s\S]*$/, '').replace(/,?\s*(?:\.\.\.)?"[\s\S]*$/, '');
    reason = reason.charAt(0).toLowerCase() + reason.slice(1);
  }
  if (position === undefined || position > text.length) return `not valid JSON: ${reason}`;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `not valid JSON: ${reason} at line ${line}, column ${column}`;
}

/**
 * Reads a configuration file's text: only a regular file (a FIFO would block forever, a device
 * never end) of at most {@link CONFIG_LIMITS}.maxFileBytes. Opened non-blocking and checked on
 * the open descriptor, so a FIFO put in place between a check and the read cannot hang it.
 * Throws ConfigError for those two limits and the file system's error (with `code`) otherwise.
 */
export function readConfigText(file: string): string {
  const nonBlocking = process.platform === 'win32' ? 0 : fsConstants.O_NONBLOCK;
  const fd = openSync(file, fsConstants.O_RDONLY | nonBlocking);
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!stat.isFile()) {
      throw new ConfigError(file, [{ path: '(file)', message: 'is not a regular file (a FIFO, socket or device); only regular files are read' }]);
    }
    if (stat.size > CONFIG_LIMITS.maxFileBytes) {
      throw new ConfigError(file, [{ path: '(file)', message: `is ${stat.size} bytes, more than the 1 MiB limit of a configuration file` }]);
    }
    const buffer = Buffer.alloc(CONFIG_LIMITS.maxFileBytes + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > CONFIG_LIMITS.maxFileBytes) {
        throw new ConfigError(file, [{ path: '(file)', message: `is more than the 1 MiB limit of a configuration file` }]);
      }
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a configuration file as JSON, without validating its content. Throws ConfigError naming
 * the file for anything unreadable; a syntax error is explained by line and column, never by
 * quoting the file (its text may hold API keys).
 */
export function readConfigJson(file: string): unknown {
  let text: string;
  try {
    text = readConfigText(file);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'file not found (create it, or pass --config FILE; see README "Configuration")'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'is a directory, not a file'
            : `cannot be read (${code ?? 'unknown error'})`;
    throw new ConfigError(file, [{ path: '(file)', message }]);
  }
  try {
    // A byte-order mark (Notepad's UTF-8) is not JSON, but nobody means anything by it.
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    throw new ConfigError(file, [{ path: '(root)', message: describeJsonError(text, (error as Error).message) }]);
  }
}

/** Reads and validates the configuration file. Throws ConfigError (with the file name) for every problem. */
export function loadConfig(file: string, env: Readonly<Record<string, string | undefined>> = process.env): BurnrateConfig {
  const raw = readConfigJson(file);
  const config = parseConfig(raw, file, env);
  const warnings = [...config.warnings];
  if (process.platform !== 'win32') {
    const mode = statSync(file).mode;
    if ((mode & 0o077) !== 0) {
      // Readable: others can copy the keys. Writable only: others can point a key at their own server.
      const exposure = (mode & 0o044) !== 0 ? 'is readable by other users' : 'can be changed by other users';
      warnings.push(`${file} ${exposure} (mode ${(mode & 0o777).toString(8)}); it may hold API keys: run chmod 600 "${file}"`);
    }
  }
  return { ...config, warnings };
}
