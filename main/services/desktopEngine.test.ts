/**
 * Onboarding end to end in plain Node: the real settings, the real Runtime and the real demo and
 * Baseten fakes over loopback HTTP. Only the vault and the settings store are in memory.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppSnapshot } from '../../preload/api';
import { startBasetenFake, type BasetenFake } from '../providers/baseten/baseten.fake';
import { startDemo } from '../demo/demo';
import { createHttpClient } from '../providers/http';
import { parseConfig } from './config';
import { DesktopEngine, type EngineFactory } from './desktopEngine';
import { DesktopSettings } from './desktopSettings';
import type { Logger, SecretVault } from './ports';
import { Runtime } from './runtime';

const SECRET = 'bt_live_0123456789ab7f3a';
const logger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const clock = { now: () => Date.now() };
const http = createHttpClient({ timeoutMs: 5000 });
let fake: BasetenFake;
let dir: string;

beforeAll(async () => {
  fake = await startBasetenFake({ apiKey: SECRET });
});
afterAll(async () => {
  await fake.stop();
  await http.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-engine-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const factory: EngineFactory = {
  runtime: (config, demo) => new Runtime({ config, http, clock, logger, demo }),
  startDemo: async () => {
    const demo = await startDemo();
    return { config: parseConfig(demo.config, 'demo'), stop: () => demo.stop() };
  },
};

function setup() {
  const secrets = new Map<string, string>();
  const vault: SecretVault = {
    protection: 'os-keychain',
    get: async (id) => secrets.get(id),
    set: async (id, secret) => void secrets.set(id, secret),
    delete: async (id) => void secrets.delete(id),
  };
  let stored: unknown;
  const settings = new DesktopSettings({
    store: { read: () => stored, write: (value) => (stored = value) },
    vault,
    settingsFile: join(dir, 'settings.json'),
    cliConfigFile: join(dir, 'config.json'),
    exportFile: join(dir, 'export.json'),
    configFolder: dir,
    logFolder: dir,
    env: {},
    logger,
    clock,
    http,
    systemTimeZone: 'UTC',
  });
  const engine = new DesktopEngine(factory, clock, logger);
  settings.onChange((resolution) => void engine.apply(resolution));
  const snapshots: AppSnapshot[] = [];
  engine.onSnapshot((snapshot) => snapshots.push(snapshot));
  /** Resolves with the first pushed snapshot that passes `test` (now or later). */
  const next = (test: (snapshot: AppSnapshot) => boolean) =>
    new Promise<AppSnapshot>((resolve) => {
      const now = engine.snapshot();
      if (test(now)) return resolve(now);
      const off = engine.onSnapshot((snapshot) => {
        if (test(snapshot)) {
          off();
          resolve(snapshot);
        }
      });
    });
  return { settings, engine, snapshots, next };
}

describe('the desktop engine', () => {
  it('goes from nothing to demo data to live numbers, never hiding the setup state', async () => {
    const { settings, engine, next } = setup();
    await engine.apply(await settings.load());
    expect(engine.snapshot()).toMatchObject({ setup: { mode: 'unconfigured', problems: [] }, status: { workspaces: [] } });

    await settings.chooseDemo(true);
    const demo = await next((s) => s.setup?.mode === 'demo' && s.status.workspaces.length > 0 && s.status.workspaces[0]!.spentUsd > 0);
    expect(demo.status.demo).toBe(true);

    await settings.saveWorkspace({ id: null, name: 'Research', timeZone: 'UTC', budget: null, period: 'month', forecastAlerts: false });
    await settings.saveConnection({
      workspaceId: 'research',
      id: null,
      provider: 'baseten',
      name: null,
      settings: { baseUrl: fake.baseUrl },
      apiKey: SECRET,
      apiKeyEnv: null,
      allowObfuscatedKey: false,
    });
    const live = await next((s) => s.setup?.mode === 'configured' && s.status.workspaces[0]?.connections[0]?.fetchedAt != null);
    expect(live.status.demo).toBeUndefined();
    expect(live.status.workspaces.map((w) => w.id)).toEqual(['research']);
    expect(live.status.workspaces[0]!.connections[0]).toMatchObject({ status: 'ok', error: null });
    await engine.stop();
  });

  it('shows a broken config file as a problem, not as demo data', async () => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ workspaces: [{ id: 'x', budget: { amountUsd: 'lots' } }] }));
    const { settings, engine } = setup();
    await engine.apply(await settings.load());
    const snapshot = engine.snapshot();
    expect(snapshot.status.demo).toBeUndefined();
    expect(snapshot.status.workspaces).toEqual([]);
    expect(snapshot.setup).toEqual({
      mode: 'invalid',
      problems: [{ file: join(dir, 'config.json'), path: 'workspaces[0].budget.amountUsd', message: expect.stringMatching(/expected number/) }],
    });
    await engine.stop();
  });

  it('keeps the selected workspace across a settings change when it still exists', async () => {
    const { settings, engine, next } = setup();
    await engine.apply(await settings.load());
    await settings.saveWorkspace({ id: null, name: 'A', timeZone: 'UTC', budget: null, period: 'month', forecastAlerts: false });
    await settings.saveWorkspace({ id: null, name: 'B', timeZone: 'UTC', budget: null, period: 'month', forecastAlerts: false });
    await next((s) => s.status.workspaces.length === 2);
    engine.selectWorkspace('b');
    await settings.saveWorkspace({ id: 'a', name: 'A renamed', timeZone: 'UTC', budget: null, period: 'month', forecastAlerts: false });
    const renamed = await next((s) => s.status.workspaces[0]?.name === 'A renamed');
    expect(renamed.selectedWorkspaceId).toBe('b');
    await settings.removeWorkspace('b');
    const removed = await next((s) => s.status.workspaces.length === 1);
    expect(removed.selectedWorkspaceId).toBeNull();
    await engine.stop();
  });
});
