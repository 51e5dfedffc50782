/**
 * The tray app's settings in plain Node: first-start import, the settings screen's operations,
 * masking, consent without a keychain, and "Test connection" against the real Baseten fake over
 * loopback HTTP. The vault is an in-memory stand-in for safeStorage (a port, not the thing tested).
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionInput, SettingsChange, WorkspaceInput } from '../../preload/api';
import { startBasetenFake, type BasetenFake } from '../providers/baseten/baseten.fake';
import { createHttpClient } from '../providers/http';
import { DesktopSettings, coerceProviderSettings, idFromName, maskSecret, type SettingsResolution, type SettingsStore } from './desktopSettings';
import type { Logger, SecretProtection, SecretVault } from './ports';

class MemoryVault implements SecretVault {
  constructor(readonly protection: SecretProtection = 'os-keychain') {}
  readonly secrets = new Map<string, string>();
  async get(id: string) {
    return this.secrets.get(id);
  }
  async set(id: string, secret: string) {
    this.secrets.set(id, secret);
  }
  async delete(id: string) {
    this.secrets.delete(id);
  }
}

class MemoryStore implements SettingsStore {
  value: unknown = undefined;
  writes = 0;
  read() {
    return this.value === undefined ? undefined : JSON.parse(JSON.stringify(this.value));
  }
  write(value: unknown) {
    this.writes += 1;
    this.value = JSON.parse(JSON.stringify(value));
  }
}

const NOW = Date.UTC(2026, 10, 21, 21, 44, 40);
const SECRET = 'bt_live_0123456789ab7f3a';
const LM_SECRET = 'lmtry_sk_abcdefgh1234';
const lines: string[] = [];
const logger: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
const http = createHttpClient({ timeoutMs: 5000 });
let dir: string;
let fake: BasetenFake;

beforeAll(async () => {
  fake = await startBasetenFake({ apiKey: SECRET, now: () => NOW });
});
afterAll(async () => {
  await fake.stop();
  await http.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-settings-'));
  lines.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cliFile = () => join(dir, 'config.json');
/** Writes the CLI config, last modified an hour before NOW (or at `modifiedMs`). */
function writeCli(value: unknown, modifiedMs = NOW - 3_600_000) {
  writeFileSync(cliFile(), JSON.stringify(value));
  chmodSync(cliFile(), 0o600);
  utimesSync(cliFile(), modifiedMs / 1000, modifiedMs / 1000);
}
const sample = {
  refreshIntervalSeconds: 120,
  workspaces: [
    {
      id: 'research',
      name: 'Research',
      timeZone: 'UTC',
      budget: { amountUsd: 2000 },
      connections: [
        { id: 'bt', provider: 'baseten', apiKey: SECRET },
        { id: 'lm', provider: 'limitry', apiKeyEnv: 'LIMITRY_KEY' },
      ],
    },
  ],
};

function make(options: { store?: MemoryStore; vault?: MemoryVault; env?: Record<string, string>; utcOffsetMinutes?: number } = {}) {
  const store = options.store ?? new MemoryStore();
  const vault = options.vault ?? new MemoryVault();
  const settings = new DesktopSettings({
    store,
    vault,
    settingsFile: join(dir, 'settings.json'),
    cliConfigFile: cliFile(),
    exportFile: join(dir, 'export.json'),
    configFolder: dir,
    logFolder: join(dir, 'logs'),
    env: options.env ?? {},
    logger,
    clock: { now: () => NOW },
    http,
    systemTimeZone: 'Europe/Berlin',
    utcOffsetMinutes: () => options.utcOffsetMinutes ?? 60,
  });
  return { store, vault, settings };
}

const workspace = (patch: Partial<WorkspaceInput> = {}): WorkspaceInput => ({
  id: null,
  name: 'Research',
  timeZone: null,
  budget: null,
  period: 'month',
  forecastAlerts: false,
  ...patch,
});
const connection = (patch: Partial<ConnectionInput> = {}): ConnectionInput => ({
  workspaceId: 'research',
  id: null,
  provider: 'baseten',
  name: null,
  settings: { baseUrl: fake.baseUrl },
  apiKey: SECRET,
  apiKeyEnv: null,
  allowObfuscatedKey: false,
  ...patch,
});
function ok(change: SettingsChange) {
  if (!change.ok) throw new Error(`expected a saved change, got ${change.reason}: ${change.message}`);
  return change.settings;
}

describe('first start', () => {
  it('is unconfigured (onboarding) with nothing stored and no config file, never demo data', async () => {
    const { settings } = make();
    expect(await settings.load()).toEqual({ mode: 'unconfigured', problems: [] });
  });

  it('imports the CLI config, moving inline keys into the vault and leaving the file as it was', async () => {
    writeCli(sample);
    const { settings, store, vault } = make({ env: { LIMITRY_KEY: LM_SECRET } });
    const resolution = await settings.load();
    expect(resolution.mode).toBe('configured');
    if (resolution.mode !== 'configured') return;
    expect(vault.secrets.get('research/bt')).toBe(SECRET);
    expect(JSON.stringify(store.value)).not.toContain(SECRET);
    const [bt, lm] = resolution.config.workspaces[0]!.connections;
    expect(bt?.apiKey).toBe(SECRET);
    expect(lm?.apiKey).toBe(LM_SECRET);
    expect(resolution.config.refreshIntervalMs).toBe(120_000);
    expect(resolution.config.secrets).toContain(SECRET);
    expect(readFileSync(cliFile(), 'utf8')).toContain(SECRET);
    expect(lines.join('\n')).toMatch(/Imported .*config\.json/);
    expect(lines.join('\n')).not.toContain(SECRET);
    expect((await settings.view()).importedFrom).toEqual({ file: cliFile(), at: '2026-11-21T21:44:40.000Z', changedSince: false });
  });

  it('shows a broken config file in words, with the file and the JSON path, and stores nothing', async () => {
    writeCli({ workspaces: [{ id: 'x', connections: [{ id: 'a', provider: 'baseten', apiKey: SECRET, colour: 'red' }] }] });
    const { settings, store, vault } = make();
    const resolution = await settings.load();
    expect(resolution).toEqual({ mode: 'invalid', problems: [{ file: cliFile(), path: 'workspaces[0].connections[0]', message: 'unknown key "colour"' }] });
    expect(store.value).toBeUndefined();
    expect(vault.secrets.size).toBe(0);
    expect(JSON.stringify(resolution)).not.toContain(SECRET);
  });

  it('reports a config file that is not JSON by line and column without quoting it', async () => {
    writeFileSync(cliFile(), `{"workspaces": [{"id": "x", "connections": [{"apiKey": ${SECRET}}]}]}`);
    const { settings } = make();
    const resolution = await settings.load();
    expect(resolution.mode).toBe('invalid');
    expect(resolution.problems[0]?.message).toMatch(/not valid JSON: .* line 1, column \d+/);
    expect(JSON.stringify(resolution)).not.toContain(SECRET);
  });

  it('asks before importing inline keys when there is no keychain (basic_text), and imports nothing meanwhile', async () => {
    writeCli(sample);
    const { settings, vault, store } = make({ vault: new MemoryVault('obfuscation-only') });
    const resolution = await settings.load();
    expect(resolution.mode).toBe('unconfigured');
    expect(resolution.problems[0]).toMatchObject({ file: cliFile(), path: '(file)', message: expect.stringMatching(/holds API keys\. This system has no keychain .* only obfuscate/) });
    expect(vault.secrets.size).toBe(0);
    expect(store.value).toBeUndefined();
    const change = await settings.importConfig(cliFile(), true);
    expect(ok(change).keyStorage).toEqual({ protection: 'obfuscation-only', obfuscationAccepted: true });
    expect(vault.secrets.get('research/bt')).toBe(SECRET);
    expect((await settings.resolve()).mode).toBe('configured');
  });
});

describe('later starts', () => {
  it('read keys from the vault; edits of the config file are not read until "Import again"', async () => {
    writeCli(sample);
    const store = new MemoryStore();
    const vault = new MemoryVault();
    await make({ store, vault }).settings.load();
    writeCli({ ...sample, workspaces: [{ ...sample.workspaces[0]!, name: 'Renamed in the file' }] }, NOW + 60_000);
    const again = make({ store, vault }).settings;
    const resolution = await again.load();
    expect((await again.view()).importedFrom?.changedSince).toBe(true);
    expect(resolution.mode === 'configured' && resolution.config.workspaces[0]!.workspace.name).toBe('Research');
    expect(resolution.mode === 'configured' && resolution.config.workspaces[0]!.connections[0]!.apiKey).toBe(SECRET);
    ok(await again.importConfig(cliFile(), false));
    const reimported = await again.resolve();
    expect(reimported.mode === 'configured' && reimported.config.workspaces[0]!.workspace.name).toBe('Renamed in the file');
  });

  it('report a key missing from the vault as a problem of that connection, in words', async () => {
    writeCli(sample);
    const { settings, vault } = make();
    await settings.load();
    vault.secrets.clear();
    const resolution = await settings.resolve();
    expect(resolution.mode).toBe('configured');
    if (resolution.mode !== 'configured') return;
    const bt = resolution.config.workspaces[0]!.connections[0]!;
    expect(bt.apiKey).toBeUndefined();
    expect(bt.keyProblem).toMatch(/missing from the keychain: open Settings/);
    expect((await settings.view()).workspaces[0]!.connections[0]!.key).toEqual({ source: 'missing' });
  });

  it('upgrade a version 1 document and write it back', async () => {
    const store = new MemoryStore();
    store.value = { version: 1, config: { workspaces: [{ id: 'research', connections: [{ id: 'bt', provider: 'baseten' }] }] } };
    const vault = new MemoryVault();
    vault.secrets.set('research/bt', SECRET);
    const resolution = await make({ store, vault }).settings.load();
    expect(resolution.mode).toBe('configured');
    expect((store.value as { version: number }).version).toBe(2);
  });

  it('show a broken settings file with its place and leave it untouched', async () => {
    const store = new MemoryStore();
    store.value = { version: 2, config: { workspaces: 'none' } };
    const { settings } = make({ store });
    const resolution = await settings.load();
    expect(resolution).toEqual({
      mode: 'invalid',
      problems: [{ file: join(dir, 'settings.json'), path: 'config.workspaces', message: expect.stringMatching(/expected array/) }],
    });
    expect(store.writes).toBe(0);
  });
});

describe('keys are write-only', () => {
  it('masks a key as dots and its last 4 characters, and short keys entirely', () => {
    expect(maskSecret(SECRET)).toBe('••••7f3a');
    expect(maskSecret('abc123')).toBe('••••');
  });

  it('never puts a stored key into the settings view', async () => {
    writeCli(sample);
    const { settings } = make({ env: { LIMITRY_KEY: LM_SECRET } });
    await settings.load();
    const view = await settings.view();
    expect(view.workspaces[0]!.connections.map((c) => c.key)).toEqual([
      { source: 'keychain', masked: '••••7f3a' },
      { source: 'environment', variable: 'LIMITRY_KEY', set: true },
    ]);
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(JSON.stringify(view)).not.toContain(LM_SECRET);
  });

  // Found by the IPC fuzzing: a key pasted as a setting's name came back in "Unknown setting …".
  it('does not repeat a key given where a setting name belongs', async () => {
    writeCli(sample);
    const { settings } = make();
    await settings.load();
    const input = { workspaceId: 'research', id: 'bt', provider: 'baseten', name: null, settings: { [SECRET]: 1, colour: 'red' }, apiKey: null, apiKeyEnv: null, allowObfuscatedKey: false };
    for (const answer of [await settings.saveConnection(input), await settings.testConnection(input)]) {
      expect(answer).toMatchObject({ ok: false });
      expect(JSON.stringify(answer)).toContain('Unknown setting: Baseten takes baseUrl');
      expect(JSON.stringify(answer)).not.toContain(SECRET.slice(0, 8));
    }
  });
});

describe('workspaces', () => {
  it('adds, renames, reorders and removes workspaces; removing one deletes its keys', async () => {
    const { settings, vault } = make();
    await settings.load();
    const changes: SettingsResolution[] = [];
    settings.onChange((resolution) => changes.push(resolution));
    ok(await settings.saveWorkspace(workspace({ name: 'Research', budget: { amountUsd: 2000, period: 'month', cycleStartDay: 15, thresholdsPercent: [90, 50] } })));
    ok(await settings.saveWorkspace(workspace({ name: 'Prod Team', timeZone: 'America/New_York', forecastAlerts: true })));
    let view = ok(await settings.saveWorkspace(workspace({ id: 'research', name: 'Research & ML', budget: { amountUsd: 2500, period: 'week', cycleStartDay: 1, thresholdsPercent: [80] } })));
    expect(view.workspaces.map((w) => [w.id, w.name])).toEqual([
      ['research', 'Research & ML'],
      ['prod-team', 'Prod Team'],
    ]);
    expect(view.workspaces[0]!.budget).toEqual({ amountUsd: 2500, period: 'week', cycleStartDay: 1, thresholdsPercent: [80] });
    expect(view.workspaces[1]).toMatchObject({ timeZone: 'America/New_York', forecastAlerts: true, budget: null });
    ok(await settings.saveConnection(connection()));
    view = ok(await settings.reorderWorkspaces(['prod-team', 'research']));
    expect(view.workspaces.map((w) => w.id)).toEqual(['prod-team', 'research']);
    expect((await settings.reorderWorkspaces(['research'])).ok).toBe(false);
    expect(vault.secrets.has('research/bt')).toBe(false);
    expect(vault.secrets.has('research/baseten')).toBe(true);
    view = ok(await settings.removeWorkspace('research'));
    expect(view.workspaces.map((w) => w.id)).toEqual(['prod-team']);
    expect(vault.secrets.size).toBe(0);
    expect(changes.at(-1)?.mode).toBe('configured');
  });

  it('says which field is wrong, in words', async () => {
    const { settings, store } = make();
    await settings.load();
    expect(await settings.saveWorkspace(workspace({ name: '  ' }))).toMatchObject({ ok: false, problems: [{ field: 'name', message: 'Give the workspace a name.' }] });
    expect(await settings.saveWorkspace(workspace({ timeZone: 'Mars/Olympus' }))).toMatchObject({ ok: false, problems: [{ field: 'timeZone' }] });
    const budget = await settings.saveWorkspace(workspace({ budget: { amountUsd: -5, period: 'month', cycleStartDay: 40, thresholdsPercent: [50] } }));
    expect(budget.ok).toBe(false);
    if (budget.ok) return;
    expect(budget.problems.map((p) => p.field).sort()).toEqual(['budget.amountUsd', 'budget.cycleStartDay']);
    expect(budget.problems.find((p) => p.field === 'budget.amountUsd')?.message).toBe('must be a positive amount in USD');
    expect(store.writes).toBe(0);
    expect((await settings.saveWorkspace(workspace({ id: 'nope' }))).ok).toBe(false);
  });
});

describe('connections', () => {
  async function withWorkspace(options: Parameters<typeof make>[0] = {}) {
    const made = make(options);
    await made.settings.load();
    ok(await made.settings.saveWorkspace(workspace()));
    return made;
  }

  it('stores a new key in the vault only, keeps it when editing without a key, replaces it when a new one is typed', async () => {
    const { settings, vault, store } = await withWorkspace();
    let view = ok(await settings.saveConnection(connection({ name: 'Team account' })));
    expect(view.workspaces[0]!.connections).toEqual([
      { id: 'baseten', provider: 'baseten', name: 'Team account', settings: { baseUrl: fake.baseUrl }, key: { source: 'keychain', masked: '••••7f3a' } },
    ]);
    expect(JSON.stringify(store.value)).not.toContain(SECRET);
    view = ok(await settings.saveConnection(connection({ id: 'baseten', name: 'Renamed', apiKey: null })));
    expect(vault.secrets.get('research/baseten')).toBe(SECRET);
    expect(view.workspaces[0]!.connections[0]!.name).toBe('Renamed');
    ok(await settings.saveConnection(connection({ id: 'baseten', apiKey: 'bt_live_new_key_99998888' })));
    expect(vault.secrets.get('research/baseten')).toBe('bt_live_new_key_99998888');
    const resolution = await settings.resolve();
    expect(resolution.mode === 'configured' && resolution.config.workspaces[0]!.connections[0]!.apiKey).toBe('bt_live_new_key_99998888');
  });

  it('needs a key for a new keychain connection', async () => {
    const { settings } = await withWorkspace();
    expect(await settings.saveConnection(connection({ apiKey: null }))).toMatchObject({ ok: false, problems: [{ field: 'apiKey', message: 'Type the API key.' }] });
  });

  it("checks the provider's own settings schema and names the field", async () => {
    const { settings, vault } = await withWorkspace();
    const change = await settings.saveConnection(connection({ provider: 'civis', settings: { usdPerCredit: '0.5' } }));
    expect(change).toMatchObject({ ok: false, reason: 'invalid', problems: [{ field: 'orgId', message: expect.stringMatching(/orgId is required/) }] });
    expect(vault.secrets.size).toBe(0);
    const saved = ok(await settings.saveConnection(connection({ provider: 'civis', settings: { orgId: '7', usdPerCredit: '0.5', baseUrl: '' } })));
    expect(saved.workspaces[0]!.connections[0]).toMatchObject({ id: 'civis', settings: { orgId: 7, usdPerCredit: 0.5 } });
  });

  it('removes a connection together with its ciphertext', async () => {
    const { settings, vault } = await withWorkspace();
    ok(await settings.saveConnection(connection()));
    expect(vault.secrets.size).toBe(1);
    const view = ok(await settings.removeConnection('research', 'baseten'));
    expect(view.workspaces[0]!.connections).toEqual([]);
    expect(vault.secrets.size).toBe(0);
  });

  it('asks before storing a key obfuscated only (no keychain), then remembers the answer', async () => {
    const { settings, vault } = await withWorkspace({ vault: new MemoryVault('obfuscation-only') });
    const refused = await settings.saveConnection(connection());
    expect(refused).toMatchObject({ ok: false, reason: 'consent_required', message: expect.stringMatching(/only obfuscate API keys/) });
    expect(vault.secrets.size).toBe(0);
    const view = ok(await settings.saveConnection(connection({ allowObfuscatedKey: true })));
    expect(view.keyStorage).toEqual({ protection: 'obfuscation-only', obfuscationAccepted: true });
    ok(await settings.saveConnection(connection({ provider: 'limitry', settings: {}, apiKey: LM_SECRET })));
  });

  it('leaves demo data once a real connection is saved', async () => {
    const { settings } = await withWorkspace();
    ok(await settings.chooseDemo(true));
    expect((await settings.resolve()).mode).toBe('demo');
    ok(await settings.saveConnection(connection()));
    expect((await settings.resolve()).mode).toBe('configured');
  });

  it('tests a connection with one real request and shows a refused key in words', async () => {
    const { settings } = await withWorkspace();
    const wrong = await settings.testConnection(connection({ apiKey: 'bt_live_wrong_key_000000' }));
    expect(wrong).toMatchObject({ ok: false, kind: 'auth', message: expect.stringMatching(/Baseten .*API key/i) });
    expect(JSON.stringify(wrong)).not.toContain('bt_live_wrong_key_000000');
    const right = await settings.testConnection(connection());
    expect(right).toMatchObject({ ok: true, message: expect.stringMatching(/^Connected: Baseten answered\. \$[\d,]+\.\d\d in the last 24 hours\.$/) });
    expect(right.ok && right.spentUsd).toBeGreaterThan(0);
  });

  it('tests a saved connection with its stored key when none is typed', async () => {
    const { settings } = await withWorkspace();
    ok(await settings.saveConnection(connection()));
    expect((await settings.testConnection(connection({ id: 'baseten', apiKey: null }))).ok).toBe(true);
    expect(await settings.testConnection(connection({ apiKey: null }))).toMatchObject({ ok: false, kind: 'config', message: 'Type the API key first.' });
    expect(await settings.testConnection(connection({ provider: 'civis', settings: {} }))).toMatchObject({ ok: false, kind: 'invalid', problems: [{ field: 'orgId' }] });
  });

  it('reads a key from an environment variable instead of the keychain', async () => {
    const { settings, vault } = await withWorkspace({ env: { BT_KEY: SECRET } });
    const view = ok(await settings.saveConnection(connection({ apiKey: null, apiKeyEnv: 'BT_KEY' })));
    expect(view.workspaces[0]!.connections[0]!.key).toEqual({ source: 'environment', variable: 'BT_KEY', set: true });
    expect(vault.secrets.size).toBe(0);
    expect((await settings.saveConnection(connection({ apiKeyEnv: 'not a name' }))).ok).toBe(false);
  });
});

describe('preferences', () => {
  it('changes only the given preferences and validates them', async () => {
    const { settings } = make();
    await settings.load();
    const view = ok(
      await settings.savePreferences({ trayTitleFormat: 'icon-only', refreshIntervalSeconds: 600, notifications: { rules: { spike: false }, quietHours: { enabled: true, start: '22:30', end: '07:00' } } }),
    );
    expect(view.preferences).toEqual({
      refreshIntervalSeconds: 600,
      trayTitleFormat: 'icon-only',
      launchAtLogin: false,
      shortcuts: { togglePopover: 'CommandOrControl+Alt+B', workspacePrefix: 'CommandOrControl+Alt' },
      notifications: {
        rules: { threshold: true, forecast: true, spike: false, idle: true, connection: true },
        quietHours: { enabled: true, start: '22:30', end: '07:00' },
        pausedUntil: null,
      },
    });
    ok(await settings.saveWorkspace(workspace()));
    expect(await settings.savePreferences({ refreshIntervalSeconds: 10 })).toMatchObject({ ok: false, problems: [{ field: 'refreshIntervalSeconds' }] });
  });

  it('pauses notifications for an hour or until the next local midnight, and resumes them', async () => {
    const { settings } = make({ utcOffsetMinutes: 60 });
    await settings.load();
    expect(ok(await settings.pauseNotifications('hour')).preferences.notifications.pausedUntil).toBe('2026-11-21T22:44:40.000Z');
    // 21:44Z is 22:44 in UTC+1: the next local midnight is 23:00Z.
    expect(ok(await settings.pauseNotifications('tomorrow')).preferences.notifications.pausedUntil).toBe('2026-11-21T23:00:00.000Z');
    expect(ok(await settings.pauseNotifications('off')).preferences.notifications.pausedUntil).toBeNull();
  });
});

describe('export', () => {
  it('writes a CLI config without keys, mode 0600, and does not overwrite without being asked', async () => {
    writeCli(sample);
    const { settings } = make();
    await settings.load();
    const file = join(dir, 'out', 'burnrate.json');
    expect(await settings.exportConfig(file, false)).toEqual({ ok: true, file });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(JSON.parse(text).workspaces[0].connections).toEqual([
      { id: 'bt', provider: 'baseten', apiKeyEnv: 'BURNRATE_RESEARCH_BT_API_KEY' },
      { id: 'lm', provider: 'limitry', apiKeyEnv: 'LIMITRY_KEY' },
    ]);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await settings.exportConfig(file, false)).toMatchObject({ ok: false, reason: 'exists' });
    expect((await settings.exportConfig(file, true)).ok).toBe(true);
  });
});

describe('helpers', () => {
  it('makes unique ids from names', () => {
    expect(idFromName('Research Team', [])).toBe('research-team');
    expect(idFromName('Research Team', ['research-team', 'research-team-2'])).toBe('research-team-3');
    expect(idFromName('!!!', [])).toBe('workspace');
  });

  it('turns form text into the types of the provider schema', () => {
    const fields = [
      { key: 'orgId', label: 'Org', kind: 'integer', required: true },
      { key: 'ids', label: 'Ids', kind: 'string-list', required: false },
      { key: 'all', label: 'All', kind: 'text', required: false, defaultValue: 'false' },
    ] as const;
    expect(coerceProviderSettings(fields, { orgId: '7', ids: 'a, b\nc', all: 'true', empty: '' })).toEqual({ orgId: 7, ids: ['a', 'b', 'c'], all: true });
    expect(coerceProviderSettings(fields, { orgId: 'seven' })).toEqual({ orgId: 'seven' });
  });
});
