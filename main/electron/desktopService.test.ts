/**
 * The tray app's files are one person's (issue 10, defect 4): electron-store's settings and key
 * store, snapshots and the log are 0600 in 0700 folders, and looser ones left by an older version
 * are repaired at start with a warning. Electron is replaced by a typed stand-in (app paths in a
 * temp folder, a reversible safeStorage); electron-store, the engine and the demo fakes are real.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const root = mkdtempSync(join(tmpdir(), 'burnrate-desktop-files-'));
const paths: Record<string, string> = { userData: join(root, 'userData'), logs: join(root, 'logs') };

vi.mock('electron', () => {
  const app = { getPath: (name: string) => paths[name] ?? join(root, name), getVersion: () => '0.0.0-test' };
  const safeStorage = {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => 'gnome_libsecret',
    encryptString: (text: string) => Buffer.from(text, 'utf8').reverse(),
    decryptString: (buffer: Buffer) => Buffer.from(buffer).reverse().toString('utf8'),
  };
  const ipcMain = { on: () => undefined, handle: () => undefined };
  return { app, safeStorage, ipcMain, shell: {}, default: { app, safeStorage, ipcMain, shell: {} } };
});

const { createDesktopService } = await import('./desktopService');

afterAll(() => rmSync(root, { recursive: true, force: true }));

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('the tray app at start', () => {
  it('repairs 0644 settings files in a 0755 folder to 0600 in 0700, with a warning, and writes its stores 0600', async () => {
    mkdirSync(paths.userData!, { recursive: true, mode: 0o755 });
    chmodSync(paths.userData!, 0o755);
    // An older version's settings document (not understood: the app falls back to demo data).
    writeFileSync(join(paths.userData!, 'settings.json'), '{}', { mode: 0o644 });
    chmodSync(join(paths.userData!, 'settings.json'), 0o644);
    writeFileSync(join(paths.userData!, 'Preferences'), '{}', { mode: 0o644 });
    const previousConfig = process.env.BURNRATE_CONFIG;
    process.env.BURNRATE_CONFIG = join(root, 'no-config.json');
    const parts = await createDesktopService({ mainDir: join(root, 'out', 'main') });
    try {
      expect(modeOf(paths.userData!)).toBe(0o700);
      expect(modeOf(join(paths.userData!, 'settings.json'))).toBe(0o600);
      // Created by electron-store with configFileMode.
      expect(modeOf(join(paths.userData!, 'secrets.json'))).toBe(0o600);
      expect(modeOf(paths.logs!)).toBe(0o700);
      expect(modeOf(join(paths.logs!, 'burnrate.log'))).toBe(0o600);
      // Chromium's own files are not Burnrate's to change.
      expect(modeOf(join(paths.userData!, 'Preferences'))).toBe(0o644);
      const log = readFileSync(join(paths.logs!, 'burnrate.log'), 'utf8');
      expect(log).toMatch(/warning: The folder .*userData was mode 755 .*set it to 700\./);
      expect(log).toMatch(/warning: The file .*settings\.json was mode 644 .*set it to 600\./);
    } finally {
      await parts.service.stop();
      if (previousConfig === undefined) delete process.env.BURNRATE_CONFIG;
      else process.env.BURNRATE_CONFIG = previousConfig;
    }
  });
});
