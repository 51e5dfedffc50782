import { describe, expect, it } from 'vitest';
import { NOTIFICATION_RULES } from '../../preload/api';
import { ALERT_RULES } from '../core/alerts';
import { DEFAULT_PREFERENCES, MIGRATIONS, SETTINGS_VERSION, emptySettingsDocument, loadSettingsDocument, settingsDocumentSchema } from './settingsDocument';

const v1 = {
  version: 1,
  config: {
    refreshIntervalSeconds: 120,
    workspaces: [{ id: 'research', name: 'Research', budget: { amountUsd: 2000 }, connections: [{ id: 'bt', provider: 'baseten' }, { id: 'lm', provider: 'limitry', apiKeyEnv: 'LM' }] }],
  },
};

describe('the settings document', () => {
  it('has one migration per older version, ending at the current one', () => {
    expect(MIGRATIONS.map((m) => m.from)).toEqual(Array.from({ length: SETTINGS_VERSION - 1 }, (_, i) => i + 1));
  });

  it('reads nothing stored as a first start', () => {
    expect(loadSettingsDocument(undefined)).toEqual({ kind: 'empty' });
  });

  it('migrates version 1 to 2: keeps the workspaces, adds default preferences, no demo, no consent', () => {
    const loaded = loadSettingsDocument(structuredClone(v1));
    expect(loaded.kind).toBe('ok');
    if (loaded.kind !== 'ok') return;
    expect(loaded.migratedFrom).toBe(1);
    expect(loaded.document).toEqual({
      version: 2,
      config: v1.config,
      preferences: DEFAULT_PREFERENCES,
      demo: false,
      obfuscatedKeysAccepted: false,
      importedFrom: null,
    });
  });

  it('runs the version 1 migration on its own as a pure function', () => {
    const input = structuredClone(v1);
    const output = MIGRATIONS[0]!.migrate(input);
    expect(output.version).toBe(2);
    expect(input.version).toBe(1);
    expect(settingsDocumentSchema.safeParse(output).success).toBe(true);
  });

  it('reads a version 2 document written before shortcuts were settings with the default shortcuts', () => {
    const { shortcuts: _shortcuts, ...olderPreferences } = DEFAULT_PREFERENCES;
    const loaded = loadSettingsDocument({ ...emptySettingsDocument(), preferences: olderPreferences });
    expect(loaded.kind).toBe('ok');
    if (loaded.kind !== 'ok') return;
    expect(loaded.document.preferences.shortcuts).toEqual({ togglePopover: 'CommandOrControl+Alt+B', workspacePrefix: 'CommandOrControl+Alt' });
  });

  it('refuses a shortcut that is not an accelerator', () => {
    const document = { ...emptySettingsDocument(), preferences: { ...DEFAULT_PREFERENCES, shortcuts: { togglePopover: 'Ctrl + B; rm', workspacePrefix: null } } };
    expect(loadSettingsDocument(document).kind).toBe('invalid');
  });

  it('reads the current version as is, without a migration', () => {
    const document = { ...emptySettingsDocument(), demo: true };
    expect(loadSettingsDocument(document)).toEqual({ kind: 'ok', document, migratedFrom: undefined });
  });

  it('fills the defaults of the current version: every rule on, tray "spend · pace", not paused', () => {
    expect(DEFAULT_PREFERENCES).toEqual({
      trayTitleFormat: 'spend-pace',
      notifications: {
        rules: { threshold: true, forecast: true, spike: true, idle: true, connection: true },
        quietHours: { enabled: false, start: '22:00', end: '07:00' },
        pausedUntil: null,
      },
      launchAtLogin: false,
      shortcuts: { togglePopover: 'CommandOrControl+Alt+B', workspacePrefix: 'CommandOrControl+Alt' },
    });
  });

  it('refuses a document written by a newer Burnrate and says so', () => {
    const loaded = loadSettingsDocument({ version: SETTINGS_VERSION + 1, config: { workspaces: [] } });
    expect(loaded).toEqual({ kind: 'invalid', problems: [{ path: 'version', message: expect.stringMatching(/newer Burnrate/) }] });
  });

  it('names every problem of a broken document by its path', () => {
    const loaded = loadSettingsDocument({ version: 2, config: { workspaces: [] }, preferences: { trayTitleFormat: 'huge', colour: 1 } });
    expect(loaded.kind).toBe('invalid');
    if (loaded.kind !== 'invalid') return;
    expect(loaded.problems.map((p) => p.path).sort()).toEqual(['preferences', 'preferences.trayTitleFormat']);
    expect(loaded.problems.find((p) => p.path === 'preferences')?.message).toBe('unknown key "colour"');
    expect(loadSettingsDocument('text')).toMatchObject({ kind: 'invalid', problems: [{ path: '(root)' }] });
    expect(loadSettingsDocument({ config: {} })).toMatchObject({ kind: 'invalid', problems: [{ path: 'version' }] });
  });

  it('never accepts an inline API key, in any version', () => {
    const withKey = structuredClone(v1) as { config: { workspaces: Array<{ connections: Array<Record<string, unknown>> }> } };
    withKey.config.workspaces[0]!.connections[0]!.apiKey = 'bt_live_secret_1234';
    const loaded = loadSettingsDocument(withKey);
    expect(loaded.kind).toBe('invalid');
    if (loaded.kind !== 'invalid') return;
    expect(loaded.problems[0]?.path).toBe('config.workspaces[0].connections[0].apiKey');
    expect(JSON.stringify(loaded)).not.toContain('bt_live_secret_1234');
  });

  it('checks quiet hours as HH:MM', () => {
    const document = { ...emptySettingsDocument(), preferences: { ...DEFAULT_PREFERENCES, notifications: { ...DEFAULT_PREFERENCES.notifications, quietHours: { enabled: true, start: '24:00', end: '7:00' } } } };
    const loaded = loadSettingsDocument(document);
    expect(loaded.kind === 'invalid' && loaded.problems.map((p) => p.path)).toEqual(['preferences.notifications.quietHours.start', 'preferences.notifications.quietHours.end']);
  });

  it('offers one switch per alert rule of the engine', () => {
    expect([...NOTIFICATION_RULES]).toEqual([...ALERT_RULES]);
  });
});
