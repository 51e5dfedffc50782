import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveDesktopConfig, type SettingsStore } from './desktopConfig';
import type { Logger, SecretVault } from './ports';

/** An in-memory vault standing in for safeStorage (the port, not the thing under test). */
class MemoryVault implements SecretVault {
  readonly protection = 'os-keychain' as const;
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

class MemorySettings implements SettingsStore {
  value: unknown = undefined;
  read() {
    return this.value;
  }
  write(value: unknown) {
    this.value = JSON.parse(JSON.stringify(value));
  }
}

const lines: string[] = [];
const logger: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-desktop-'));
  lines.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = 'bt_live_0123456789abcdef';
const configFile = () => join(dir, 'config.json');
function writeConfig(value: unknown) {
  writeFileSync(configFile(), JSON.stringify(value));
  chmodSync(configFile(), 0o600);
}
const sample = {
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

describe('resolveDesktopConfig', () => {
  it('runs on demo data when nothing is configured', async () => {
    const result = await resolveDesktopConfig({ settings: new MemorySettings(), vault: new MemoryVault(), cliConfigFile: configFile(), env: {}, logger });
    expect(result.kind).toBe('demo');
  });

  it('imports the CLI config on first start, moving inline keys into the vault', async () => {
    writeConfig(sample);
    const settings = new MemorySettings();
    const vault = new MemoryVault();
    const result = await resolveDesktopConfig({ settings, vault, cliConfigFile: configFile(), env: { LIMITRY_KEY: 'lm_key_123456' }, logger });
    expect(result.kind).toBe('configured');
    if (result.kind !== 'configured') return;
    expect(result.imported).toBe(true);
    expect(vault.secrets.get('research/bt')).toBe(SECRET);
    expect(JSON.stringify(settings.value)).not.toContain(SECRET);
    const [bt, lm] = result.config.workspaces[0]!.connections;
    expect(bt?.apiKey).toBe(SECRET);
    expect(lm?.apiKey).toBe('lm_key_123456');
    expect(result.config.secrets).toContain(SECRET);
    // The user's file is left as it was.
    expect(readFileSync(configFile(), 'utf8')).toContain(SECRET);
    expect(lines.join('\n')).not.toContain(SECRET);
  });

  it('reads keys from the vault on later starts without the config file', async () => {
    writeConfig(sample);
    const settings = new MemorySettings();
    const vault = new MemoryVault();
    await resolveDesktopConfig({ settings, vault, cliConfigFile: configFile(), env: {}, logger });
    rmSync(configFile());
    const again = await resolveDesktopConfig({ settings, vault, cliConfigFile: configFile(), env: {}, logger });
    expect(again.kind === 'configured' && again.imported).toBe(false);
    expect(again.kind === 'configured' && again.config.workspaces[0]!.connections[0]!.apiKey).toBe(SECRET);
  });

  it('reports a key missing from the vault as a connection problem, not a broken config', async () => {
    writeConfig(sample);
    const settings = new MemorySettings();
    const vault = new MemoryVault();
    await resolveDesktopConfig({ settings, vault, cliConfigFile: configFile(), env: {}, logger });
    vault.secrets.clear();
    const result = await resolveDesktopConfig({ settings, vault, cliConfigFile: configFile(), env: {}, logger });
    expect(result.kind).toBe('configured');
    if (result.kind !== 'configured') return;
    const bt = result.config.workspaces[0]!.connections[0]!;
    expect(bt.apiKey).toBeUndefined();
    expect(bt.keyProblem).toMatch(/missing from the keychain/);
  });

  it('returns an invalid config with its JSON path and stores nothing', async () => {
    writeConfig({ workspaces: [{ id: 'x', connections: [{ id: 'a', provider: 'baseten', apiKey: SECRET, colour: 'red' }] }] });
    const settings = new MemorySettings();
    const vault = new MemoryVault();
    const result = await resolveDesktopConfig({ settings, vault, cliConfigFile: configFile(), env: {}, logger });
    expect(result.kind).toBe('invalid');
    if (result.kind !== 'invalid') return;
    expect(result.error.problems[0]?.path).toBe('workspaces[0].connections[0]');
    expect(result.error.problems[0]?.message).toMatch(/"colour"/);
    expect(settings.value).toBeUndefined();
    expect(vault.secrets.size).toBe(0);
  });
});
