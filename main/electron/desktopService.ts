/**
 * Builds the tray app's SpendService: settings in electron-store, API keys as safeStorage
 * ciphertext (SafeStorageVault), snapshots and alert state in userData, notifications through
 * node-notifier, a redacting log file. With nothing configured it runs on demo data.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { app } from 'electron';
import Store from 'electron-store';
import type { AppSnapshot } from '../../preload/api';
import { startDemo, type Demo } from '../../test/fakes/demo';
import { createHttpClient } from '../providers/http';
import { parseConfig, resolveConfigPath, type BurnrateConfig } from '../services/config';
import { resolveDesktopConfig } from '../services/desktopConfig';
import { createLogger } from '../services/logger';
import { createNodeNotifier } from '../services/nodeNotifier';
import { systemClock, type ActivityState, type SpendService } from '../services/ports';
import { Runtime } from '../services/runtime';
import { SnapshotStore } from '../services/snapshotStore';
import { resolveResourcesDir } from './resources';
import { SafeStorageVault, type SecretStoreShape } from './vault';

/** Creates the engine for the tray app. Call after `app.whenReady()` (safeStorage needs it). */
export async function createDesktopService(options: { mainDir: string }): Promise<SpendService> {
  const userData = app.getPath('userData');
  const logsDir = app.getPath('logs');
  mkdirSync(logsDir, { recursive: true });
  let secrets: readonly string[] = [];
  const logger = createLogger({
    write: (line) => appendFileSync(join(logsDir, 'burnrate.log'), `${line}\n`),
    secrets: () => secrets,
    timestamps: true,
  });

  const settingsStore = new Store<Record<string, unknown>>({ name: 'settings' });
  const vault = new SafeStorageVault(new Store<SecretStoreShape>({ name: 'secrets', defaults: { secrets: {} } }));
  if (vault.protection !== 'os-keychain') {
    logger.warn('No system keychain is available: API keys are stored obfuscated, not encrypted.');
  }
  const resolved = await resolveDesktopConfig({
    settings: { read: () => settingsStore.get('settings'), write: (value) => settingsStore.set('settings', value) },
    vault,
    cliConfigFile: resolveConfigPath(undefined),
    env: process.env,
    logger,
  });

  let demo: Demo | undefined;
  let config: BurnrateConfig;
  if (resolved.kind === 'configured') {
    config = resolved.config;
  } else {
    if (resolved.kind === 'invalid') logger.error(`Configuration problem, showing demo data instead:\n${resolved.error.message}`);
    demo = await startDemo();
    config = parseConfig(demo.config, 'demo configuration');
  }
  secrets = config.secrets;

  const http = createHttpClient({ userAgent: `Burnrate/${app.getVersion()}` });
  const runtime = new Runtime({
    config,
    http,
    clock: systemClock,
    logger,
    store: new SnapshotStore(join(userData, demo ? 'demo-snapshots.json' : 'snapshots.json'), logger),
    notifier: createNodeNotifier({ appName: 'Burnrate', icon: join(resolveResourcesDir(join(options.mainDir, '../../build/tray')), 'tray-32.png') }),
    demo: demo !== undefined,
  });
  // Cache first (the constructor loaded the snapshots), then revalidate in the background.
  void runtime.start();

  return {
    snapshot: (): AppSnapshot => runtime.snapshot(),
    refreshNow: () => runtime.refreshNow(),
    selectWorkspace: (workspaceId) => runtime.selectWorkspace(workspaceId),
    setActivity: (patch: Partial<ActivityState>) => runtime.setActivity(patch),
    onSnapshot: (listener) => runtime.onSnapshot(listener),
    stop: async () => {
      await runtime.stop();
      await http.close();
      await demo?.stop();
    },
  };
}
