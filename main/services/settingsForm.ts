/**
 * The settings screen's forms, pure (main/services/desktopSettings.ts does the storing): masked
 * keys, ids from names, form values coerced to what a provider's schema wants, a connection form
 * checked field by field, and problems named by the form field they belong to.
 */
import type { ConnectionInput, FieldProblem, NotificationPause, PreferencesInput, ProviderView, SettingsChange, WorkspaceInput } from '../../preload/api';
import { adapterFor, PROVIDER_IDS, type ProviderId } from '../providers/registry';
import type { SettingField } from '../providers/types';
import type { SettingsDocument, StoredConnection, StoredWorkspace } from './settingsDocument';

/** Shortest key whose last 4 characters are shown; shorter keys show only the dots. */
const MASK_MIN_LENGTH = 12;

/**
 * The form of a stored key the renderer may see: dots and the last 4 characters.
 * @example maskSecret('bt_live_0123456789ab7f3a') //=> '••••7f3a'
 * @example maskSecret('short') //=> '••••'
 */
export function maskSecret(secret: string): string {
  return secret.length >= MASK_MIN_LENGTH ? `••••${secret.slice(-4)}` : '••••';
}

/**
 * Makes an id from a name: lower case letters, digits and "-", unique among `taken`.
 * @example idFromName('Research Team', ['research-team']) //=> 'research-team-2'
 */
export function idFromName(name: string, taken: readonly string[]): string {
  const base =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'workspace';
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.includes(`${base}-${n}`)) return `${base}-${n}`;
}

/** Converts form values to the types a provider schema expects (numbers, lists, booleans). */
export function coerceProviderSettings(fields: readonly SettingField[], raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const field = fields.find((f) => f.key === key);
    if (value === '' || value === null || value === undefined) continue;
    if (!field) {
      out[key] = value;
      continue;
    }
    if ((field.kind === 'number' || field.kind === 'integer') && typeof value === 'string') {
      const number = Number(value.trim());
      out[key] = value.trim() !== '' && Number.isFinite(number) ? number : value;
    } else if (field.kind === 'string-list' && typeof value === 'string') {
      out[key] = value
        .split(/[\n,]/)
        .map((item) => item.trim())
        .filter(Boolean);
    } else if (field.kind === 'text' && (field.defaultValue === 'true' || field.defaultValue === 'false') && (value === 'true' || value === 'false')) {
      // A yes/no setting described as text (Simplismart's includeAllStatuses): the schema wants a boolean.
      out[key] = value === 'true';
    } else out[key] = value;
  }
  return out;
}

/** Checks a connection form: the provider's settings schema, the name and the key source. */
export function checkConnectionForm(input: ConnectionInput): { problems: FieldProblem[]; settings: Record<string, unknown>; provider: ProviderId | undefined } {
  const problems: FieldProblem[] = [];
  const provider = (PROVIDER_IDS as readonly string[]).includes(input.provider) ? (input.provider as ProviderId) : undefined;
  if (!provider) return { problems: [{ field: 'provider', message: `Choose a provider (${PROVIDER_IDS.join(', ')}).` }], settings: {}, provider };
  const adapter = adapterFor(provider);
  const settings = coerceProviderSettings(adapter.settings, input.settings);
  const parsed = adapter.settingsSchema.safeParse(settings);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.code === 'unrecognized_keys' ? 'settings' : String(issue.path[0] ?? 'settings');
      // An unknown name is not repeated back (it may be a key pasted in the wrong place): the known ones are listed.
      const known = adapter.settings.map((setting) => setting.key).join(', ');
      problems.push({ field, message: issue.code === 'unrecognized_keys' ? `Unknown setting: ${adapter.displayName} takes ${known}.` : issue.message });
    }
  }
  if (input.name !== null && input.name.trim().length > 80) problems.push({ field: 'name', message: 'Use at most 80 characters.' });
  if (input.apiKeyEnv !== null && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(input.apiKeyEnv)) {
    problems.push({ field: 'apiKeyEnv', message: 'Must be an environment variable name such as BASETEN_API_KEY.' });
  }
  if (input.apiKey !== null && input.apiKey.trim() !== input.apiKey) problems.push({ field: 'apiKey', message: 'The key starts or ends with a space: paste it again.' });
  return { problems, settings, provider };
}

/**
 * Adds (id null) or edits a connection. A typed key goes into the vault; a null key keeps the

/** What the settings screen shows of a provider: its name and its form fields. */
export function providerView(id: ProviderId): ProviderView {
  const adapter = adapterFor(id);
  return { id, displayName: adapter.displayName, fields: adapter.settings.map((field) => ({ ...field })) };
}

/** A refused change: the problems, each naming its form field. */
export function invalid(problems: readonly FieldProblem[]): SettingsChange {
  return { ok: false, reason: 'invalid', message: problems.map((p) => p.message).join(' '), problems };
}

/** A refused change: the workspace or connection is not there. */
export function notFound(message: string): SettingsChange {
  return { ok: false, reason: 'not_found', message, problems: [] };
}

/** The form field of a config path inside the given prefix (`workspaces[0].budget.amountUsd` → `budget.amountUsd`). */
export function fieldWithin(path: string, prefix: string): string | undefined {
  if (path.startsWith(prefix)) return path.slice(prefix.length);
  if (path.startsWith('config.')) return fieldWithin(path.slice('config.'.length), prefix);
  return undefined;
}

/** The stored workspace of a checked workspace form (`name` trimmed, `id` chosen), keeping its `connections`. */
export function workspaceFromInput(input: WorkspaceInput, id: string, name: string, connections: StoredConnection[]): StoredWorkspace {
  return {
    id,
    name,
    ...(input.timeZone ? { timeZone: input.timeZone } : {}),
    ...(input.budget
      ? {
          budget: {
            amountUsd: input.budget.amountUsd,
            period: input.budget.period,
            ...(input.budget.cycleStartDay === null ? {} : { cycleStartDay: input.budget.cycleStartDay }),
            thresholdsPercent: [...input.budget.thresholdsPercent],
          },
        }
      : { period: input.period }),
    forecastAlerts: input.forecastAlerts,
    connections,
  };
}

/** The stored connection of a checked connection form (`settings` coerced, `id` chosen); never its key. */
export function connectionFromInput(input: ConnectionInput, id: string, provider: ProviderId, settings: Record<string, unknown>): StoredConnection {
  return {
    id,
    provider,
    ...(input.name?.trim() ? { name: input.name.trim() } : {}),
    ...(input.apiKeyEnv !== null ? { apiKeyEnv: input.apiKeyEnv } : {}),
    ...settings,
  };
}

/** Applies a preferences form to a document copy (only the fields given). */
export function applyPreferences(next: SettingsDocument, input: PreferencesInput): void {
  if (input.refreshIntervalSeconds !== undefined) next.config.refreshIntervalSeconds = input.refreshIntervalSeconds;
  if (input.trayTitleFormat !== undefined) next.preferences.trayTitleFormat = input.trayTitleFormat;
  if (input.launchAtLogin !== undefined) next.preferences.launchAtLogin = input.launchAtLogin;
  if (input.notifications?.rules) next.preferences.notifications.rules = { ...next.preferences.notifications.rules, ...input.notifications.rules };
  if (input.notifications?.quietHours) next.preferences.notifications.quietHours = { ...input.notifications.quietHours };
  if (input.shortcuts) next.preferences.shortcuts = { ...input.shortcuts };
}

/**
 * When a notification pause ends: in an hour, at the next local midnight, or null to resume.
 * `utcOffsetMinutes` is local time's offset from UTC at an instant.
 * @example pausedUntilMs('hour', 0, () => 0) //=> 3_600_000
 */
export function pausedUntilMs(pause: NotificationPause, nowMs: number, utcOffsetMinutes: (atMs: number) => number): number | null {
  let until: number | null = null;
  if (pause === 'hour') until = nowMs + 3_600_000;
  else if (pause === 'tomorrow') {
    const offsetMs = utcOffsetMinutes(nowMs) * 60_000;
    const localDayStart = Math.floor((nowMs + offsetMs) / 86_400_000) * 86_400_000 - offsetMs;
    until = localDayStart + 86_400_000;
  }
  return until;
}
