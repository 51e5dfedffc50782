/**
 * What the settings screen shows of the stored workspaces and connections: every field as the form
 * wants it, defaults filled in, and each key only as where it comes from or masked (`••••7f3a`).
 */
import type { ConnectionView, WorkspaceView } from '../../preload/api';
import type { SettingsDocument, StoredConnection } from './settingsDocument';
import { maskSecret } from './settingsForm';

/**
 * The workspaces of the settings document as the settings screen shows them. `readKey` reads a
 * keychain key (undefined when missing); `env` answers whether an `apiKeyEnv` variable is set.
 */
export async function workspaceViews(
  config: SettingsDocument['config'],
  env: Readonly<Record<string, string | undefined>>,
  readKey: (workspaceId: string, connectionId: string) => Promise<string | undefined>,
): Promise<WorkspaceView[]> {
  const workspaces: WorkspaceView[] = [];
  for (const w of config.workspaces) {
    const connections: ConnectionView[] = [];
    for (const c of w.connections) {
      const { id, provider, name, apiKeyEnv, ...settings } = c as StoredConnection & { name?: string; apiKeyEnv?: string };
      let key: ConnectionView['key'];
      if (typeof apiKeyEnv === 'string') key = { source: 'environment', variable: apiKeyEnv, set: Boolean(env[apiKeyEnv]) };
      else {
        const secret = await readKey(w.id, id);
        key = secret ? { source: 'keychain', masked: maskSecret(secret) } : { source: 'missing' };
      }
      connections.push({ id, provider, name: typeof name === 'string' ? name : null, settings, key });
    }
    const budget = w.budget as { amountUsd: number; period?: 'day' | 'week' | 'month'; cycleStartDay?: number; thresholdsPercent?: number[] } | undefined;
    workspaces.push({
      id: w.id,
      name: typeof w.name === 'string' ? w.name : w.id,
      timeZone: typeof w.timeZone === 'string' ? w.timeZone : null,
      budget: budget
        ? {
            amountUsd: budget.amountUsd,
            period: budget.period ?? 'month',
            cycleStartDay: budget.cycleStartDay ?? null,
            thresholdsPercent: budget.thresholdsPercent ?? [50, 75, 90, 100],
          }
        : null,
      period: (w.period as 'day' | 'week' | 'month' | undefined) ?? budget?.period ?? 'month',
      forecastAlerts: w.forecastAlerts === true,
      connections,
    });
  }
  return workspaces;
}
