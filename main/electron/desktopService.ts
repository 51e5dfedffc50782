/**
 * Builds the tray app's SpendService and settings: the settings document in electron-store
 * (`settings.json`, mode 0600), API keys as safeStorage ciphertext (SafeStorageVault,
 * `secrets.json`, mode 0600), the spend database (history, alert state, outbox) in userData, notifications through
 * node-notifier, a redacting log file. With nothing configured the popover offers onboarding;
 * a configuration problem is shown there in words, never replaced by demo data.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { app, shell } from 'electron';
import Store from 'electron-store';
import { startDemo } from '../demo/demo';
import { createHttpClient } from '../providers/http';
import { parseConfig, resolveConfigPath, systemTimeZone } from '../services/config';
import { DesktopEngine } from '../services/desktopEngine';
import { DesktopSettings } from '../services/desktopSettings';
import { createLogger } from '../services/logger';
import { createNodeNotifier } from '../services/nodeNotifier';
import { systemClock, type NotificationMessage, type SpendService } from '../services/ports';
import { startStatusServer, type StatusServer } from '../services/httpServer';
import { notificationVerdict } from '../core/notificationGate';
import type { AlertNotification } from '../core/alerts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, securePrivateDir } from '../services/privateFile';
import { Runtime } from '../services/runtime';
import { SpendDb, SPEND_DB_FILE } from '../services/spendDb';
import { openSpendStore } from '../services/spendStore';
import { APP_USER_MODEL_ID, resolveResourcesDir } from './resources';
import { SafeStorageVault, type SecretStoreShape } from './vault';

/** The engine and the settings of the tray app. */
export interface DesktopParts {
  readonly service: SpendService;
  readonly settings: DesktopSettings;
  /** Opens the config or log folder in the file manager. */
  readonly openFolder: (folder: 'config' | 'logs') => Promise<void>;
  /** Starts (once) the loopback dashboard of `burnrate serve` over this engine; resolves with its URL (token included). */
  readonly openDashboard: () => Promise<string>;
  /** Stops the dashboard server if it runs. */
  readonly closeDashboard: () => Promise<void>;
  /** Resolves once the engine runs what the settings say (every change so far applied). */
  readonly settled: () => Promise<void>;
}

/** Options of {@link createDesktopService}. */
export interface DesktopServiceOptions {
  readonly mainDir: string;
  /** The person clicked a notification (macOS and Windows report clicks; notify-send does not). */
  readonly onNotificationClick?: (message: NotificationMessage) => void;
}

/** The files Burnrate keeps in userData (electron-store's settings and secrets, snapshots), with their temp and corrupt-copy forms. */
const DESKTOP_FILES = /^(?:settings|secrets|snapshots|demo-snapshots)\.json(?:$|\.)/;

/** Creates the engine for the tray app. Call after `app.whenReady()` (safeStorage needs it). */
export async function createDesktopService(options: DesktopServiceOptions): Promise<DesktopParts> {
  const userData = app.getPath('userData');
  const logsDir = app.getPath('logs');
  mkdirSync(userData, { recursive: true, mode: PRIVATE_DIR_MODE });
  mkdirSync(logsDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  let secrets: readonly string[] = [];
  const logger = createLogger({
    write: (line) => appendFileSync(join(logsDir, 'burnrate.log'), `${line}\n`, { mode: PRIVATE_FILE_MODE }),
    secrets: () => secrets,
    timestamps: true,
  });

  // Settings, key store, snapshots and the log are one person's: folders 0700, files 0600, checked
  // and repaired (with a warning) at every start, crash leftovers removed. userData also holds
  // Chromium's own files, which are left as Chromium made them.
  securePrivateDir(userData, logger, { owns: (name) => DESKTOP_FILES.test(name) });
  securePrivateDir(logsDir, logger, { owns: (name) => name.startsWith('burnrate.log') });

  // Both stores are created 0600, and conf re-applies the mode on every write (older files too).
  const settingsStore = new Store<Record<string, unknown>>({ name: 'settings', configFileMode: PRIVATE_FILE_MODE });
  const vault = new SafeStorageVault(new Store<SecretStoreShape>({ name: 'secrets', defaults: { secrets: {} }, configFileMode: PRIVATE_FILE_MODE }));
  if (vault.protection !== 'os-keychain') {
    logger.warn('No system keychain is available: API keys would only be obfuscated; the app asks before storing one.');
  }
  const http = createHttpClient({ userAgent: `Burnrate/${app.getVersion()}`, now: () => systemClock.now() });
  const cliConfigFile = resolveConfigPath(undefined);
  const settings = new DesktopSettings({
    store: { read: () => settingsStore.get('settings'), write: (value) => settingsStore.set('settings', value) },
    vault,
    settingsFile: settingsStore.path,
    cliConfigFile,
    exportFile: join(dirname(cliConfigFile), 'burnrate-export.json'),
    configFolder: dirname(settingsStore.path),
    logFolder: logsDir,
    env: process.env,
    logger,
    clock: systemClock,
    http,
    systemTimeZone: systemTimeZone(),
  });

  const db = SpendDb.open(join(userData, SPEND_DB_FILE), { logger });
  const notifier = createNodeNotifier({
    appName: 'Burnrate',
    icon: join(resolveResourcesDir(join(options.mainDir, '../../build/tray')), 'tray-32.png'),
    ...(options.onNotificationClick ? { onClick: options.onNotificationClick } : {}),
    reportClicks: process.platform !== 'linux',
    appId: APP_USER_MODEL_ID,
  });
  // Pause, quiet hours (local time of this machine) and rule switches, read at each delivery.
  const notificationGate = (notification: AlertNotification): 'show' | 'hold' | 'drop' => {
    const nowMs = systemClock.now();
    const local = new Date(nowMs);
    return notificationVerdict(settings.preferences.notifications, notification.rule, nowMs, local.getHours() * 60 + local.getMinutes()).action;
  };
  const engine = new DesktopEngine(
    {
      runtime: (config, demo) => {
        secrets = config.secrets;
        return new Runtime({
          config,
          http,
          clock: systemClock,
          logger,
          // One spend database in userData (demo data in its own namespace); the JSON snapshots
          // of earlier versions are imported once.
          store: openSpendStore({
            db,
            namespace: demo ? 'demo' : 'desktop',
            config,
            logger,
            legacyFiles: [{ file: join(userData, demo ? 'demo-snapshots.json' : 'snapshots.json'), withAlerts: true }],
          }),
          notifier,
          notificationGate,
          demo,
        });
      },
      startDemo: async () => {
        const demo = await startDemo();
        return { config: parseConfig(demo.config, 'demo configuration'), stop: () => demo.stop() };
      },
    },
    systemClock,
    logger,
  );
  settings.onChange((resolution) => void engine.apply(resolution));
  const resolution = await settings.load();
  if (resolution.mode === 'invalid') {
    logger.error(`Configuration problem (shown in the popover): ${resolution.problems.map((p) => `${p.file}: ${p.path}: ${p.message}`).join('; ')}`);
  }
  await engine.apply(resolution);

  let dashboard: Promise<StatusServer> | undefined;
  return {
    service: {
      snapshot: () => engine.snapshot(),
      refreshNow: () => engine.refreshNow(),
      selectWorkspace: (workspaceId) => engine.selectWorkspace(workspaceId),
      setActivity: (patch) => engine.setActivity(patch),
      onSnapshot: (listener) => engine.onSnapshot(listener),
      stop: async () => {
        await engine.stop();
        db.close();
        await http.close();
      },
    },
    settings,
    settled: () => engine.settled(),
    openDashboard: async () => {
      dashboard ??= startStatusServer({
        status: () => engine.snapshot().status,
        rendererDir: join(options.mainDir, '../renderer'),
        port: 0,
        logger,
        version: app.getVersion(),
      });
      return (await dashboard).url;
    },
    closeDashboard: async () => {
      const running = dashboard;
      dashboard = undefined;
      if (running) await (await running).close();
    },
    openFolder: async (folder) => {
      const path = folder === 'config' ? dirname(settingsStore.path) : logsDir;
      const error = await shell.openPath(path);
      if (error) throw new Error(`Could not open ${path}: ${error}`);
    },
  };
}
