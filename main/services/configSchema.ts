/**
 * The zod schema of the configuration file (README "Configuration") and the checks around it:
 * unknown keys named with a "did you mean", every problem with its JSON path, `"$comment"` entries
 * dropped, nesting depth checked before anything recurses, connections validated by their
 * provider's settings schema with the key resolved from the file or the environment.
 */
import { z } from 'zod';
import { suggest } from '../core/suggest';
import { DEFAULT_THRESHOLDS_PERCENT, isValidTimeZone } from '../core/workspace';
import { formatIssuePath } from '../providers/schema';
import { adapterFor, PROVIDER_IDS } from '../providers/registry';
import type { ConnectionConfig } from './config';
import { CONFIG_LIMITS, type ConfigProblem } from './configLimits';

/**
 * zod's options for a config, which a process parses once: without zod's compiled fast path, whose
 * generation (code built and compiled per schema at its first parse) cost more than the parse
 * itself: 18 of the 26 ms `burnrate serve` spent in zod before printing its URL (CPU profile).
 */
export const PARSED_ONCE = { jitless: true } as const;

const ID = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, "-", "_" or "." (starting with a letter or digit)');

/** A workspace's budget: amount in USD (turned into micro-USD later), period, cycle start, alert thresholds. */
export const budgetSchema = z.strictObject({
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
  token: z.string().min(1, 'must not be empty').optional(),
  tokenEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
    .optional(),
});

const COMMON_KEYS = new Set(['id', 'provider', 'name', 'apiKey', 'apiKeyEnv', 'token', 'tokenEnv']);
/** Keys that object copies treat specially; never a setting. */
const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** One workspace; its connections are checked one by one by {@link parseConnections}. */
export const workspaceSchema = z.strictObject({
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

/** The top level of the file; workspaces are checked one by one against {@link workspaceSchema}. */
export const fileSchema = z.strictObject({
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

/** The problems of a zod error, at `prefix`; unknown keys get a "did you mean" among `known` (default: by path). */
export function issuesOf(error: z.ZodError, prefix: readonly PropertyKey[], known?: readonly string[]): ConfigProblem[] {
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
export function parseConnections(
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
    const common = connectionCommon.safeParse(rawConnection, PARSED_ONCE);
    if (!common.success) {
      problems.push(...issuesOf(common.error, cPath));
      return;
    }
    const c = common.data;
    if (connectionIds.has(c.id)) problems.push({ path: formatIssuePath([...cPath, 'id']), message: `duplicate connection id "${c.id}" in this workspace` });
    connectionIds.add(c.id);
    const adapter = adapterFor(c.provider);
    // A team server's connection holds its token: `token` / `tokenEnv` name it (README "Team server").
    const usesToken = c.token !== undefined || c.tokenEnv !== undefined;
    if (usesToken && !adapter.tokenKeys) {
      problems.push({ path: formatIssuePath(cPath), message: `"token" and "tokenEnv" are for team-server connections ("provider": "burnrate"); a ${adapter.displayName} connection takes "apiKey" or "apiKeyEnv"` });
    } else if ([c.apiKey, c.apiKeyEnv, c.token, c.tokenEnv].filter((v) => v !== undefined).length !== 1) {
      problems.push({ path: formatIssuePath(cPath), message: adapter.tokenKeys ? 'give exactly one of "tokenEnv" or "token" (or "apiKeyEnv" / "apiKey")' : 'give exactly one of "apiKey" or "apiKeyEnv"' });
    }
    const rest = Object.fromEntries(Object.entries(c).filter(([key]) => !COMMON_KEYS.has(key)));
    const settings = adapter.settingsSchema.safeParse(rest, PARSED_ONCE);
    if (!settings.success) {
      problems.push(...issuesOf(settings.error, cPath, [...COMMON_KEYS, ...keysOf(adapter.settingsSchema)]));
      return;
    }
    let apiKey = c.apiKey ?? c.token;
    let keyProblem: string | undefined;
    const keyEnv = c.apiKeyEnv ?? c.tokenEnv;
    if (keyEnv !== undefined) {
      apiKey = env[keyEnv];
      if (!apiKey) keyProblem = `environment variable ${keyEnv} is not set`;
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
export function withoutComments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutComments);
  if (typeof value !== 'object' || value === null) return value;
  const isText = (v: unknown) => typeof v === 'string' || (Array.isArray(v) && v.every((line) => typeof line === 'string'));
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, v]) => !(key === COMMENT_KEY && isText(v)))
      .map(([key, v]) => [key, withoutComments(v)]),
  );
}

/**
 * The JSON path of the first value nested deeper than `maxDepth` (objects and arrays count, the
 * root is depth 1), or undefined. Iterative: a hostile file must not overflow the stack here.
 */
export function firstPathDeeperThan(raw: unknown, maxDepth: number): string | undefined {
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
