import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from './ports';
import { securePrivateDir } from './privateFile';
import { SnapshotStore } from './snapshotStore';

const lines: string[] = [];
const logger: Logger = { info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`), error: (m) => lines.push(`error: ${m}`) };
const modeOf = (path: string) => statSync(path).mode & 0o777;

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'burnrate-private-'));
  lines.length = 0;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('securePrivateDir', () => {
  it('creates a missing folder as 0700', () => {
    const dir = join(root, 'state', 'burnrate');
    securePrivateDir(dir, logger);
    expect(modeOf(dir)).toBe(0o700);
    expect(lines).toEqual([]);
  });

  it('repairs a 0755 folder and 0644 files to 0700 and 0600, with a warning for each', () => {
    const dir = join(root, 'state');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'settings.json'), '{}', { mode: 0o644 });
    writeFileSync(join(dir, 'secrets.json'), '{}', { mode: 0o666 });
    chmodSync(join(dir, 'secrets.json'), 0o666);
    const report = securePrivateDir(dir, logger);
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(join(dir, 'settings.json'))).toBe(0o600);
    expect(modeOf(join(dir, 'secrets.json'))).toBe(0o600);
    expect(report.repaired).toHaveLength(3);
    expect(lines.filter((l) => l.startsWith('warn: '))).toEqual([
      `warn: The folder ${dir} was mode 755 (other users could read it); set it to 700.`,
      expect.stringMatching(/^warn: The file .*secrets\.json was mode 666 .*set it to 600\.$/),
      expect.stringMatching(/^warn: The file .*settings\.json was mode 644 .*set it to 600\.$/),
    ]);
    // Checked at every start: a second pass has nothing to say.
    lines.length = 0;
    expect(securePrivateDir(dir, logger).repaired).toEqual([]);
    expect(lines).toEqual([]);
  });

  it("leaves files it does not own (Chromium's) and symlinks alone", () => {
    const dir = join(root, 'userData');
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'Preferences'), '{}', { mode: 0o644 });
    const outside = join(root, 'outside.json');
    writeFileSync(outside, '{}', { mode: 0o644 });
    symlinkSync(outside, join(dir, 'settings.json'));
    securePrivateDir(dir, logger, { owns: (name) => name.startsWith('settings.json') });
    expect(modeOf(join(dir, 'Preferences'))).toBe(0o644);
    expect(modeOf(outside)).toBe(0o644);
  });

  it('removes temp files left by crashed writers, never one a running process is writing', () => {
    const dir = join(root, 'state');
    mkdirSync(dir, { mode: 0o700 });
    for (const name of ['snapshots-a.json.4000001.tmp', 'snapshots-a.json.4000002.tmp', 'settings.json.tmp-1764150000abc123', 'snapshots-a.json']) {
      writeFileSync(join(dir, name), '{', { mode: 0o600 });
    }
    const report = securePrivateDir(dir, logger, { isRunning: (pid) => pid === 4000002 });
    expect(readdirSync(dir).sort()).toEqual(['snapshots-a.json', 'snapshots-a.json.4000002.tmp']);
    expect(report.removedTemp).toHaveLength(2);
    expect(lines).toEqual([`info: Removed 2 temporary file(s) left by an interrupted write in ${dir}.`]);
  });
});

describe('SnapshotStore at start', () => {
  it('makes its folder 0700 and its file 0600, and removes its own crash leftovers', () => {
    const dir = join(root, 'state');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const file = join(dir, 'snapshots.json');
    writeFileSync(file, JSON.stringify({ version: 1, connections: {}, alerts: null, outbox: [] }), { mode: 0o644 });
    writeFileSync(`${file}.999999999.tmp`, '{"half', { mode: 0o644 });
    const store = new SnapshotStore(file, logger);
    expect(store.load()).toMatchObject({ version: 1 });
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['snapshots.json']);
    expect(lines.filter((l) => l.startsWith('warn: '))).toHaveLength(2);
  });

  it('writes 0600 even over a leftover temp file of its own pid', () => {
    const dir = join(root, 'state');
    const file = join(dir, 'snapshots.json');
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(`${file}.${process.pid}.tmp`, 'x', { mode: 0o644 });
    new SnapshotStore(file, logger).save({ version: 1, connections: {}, alerts: null, outbox: [] });
    expect(modeOf(file)).toBe(0o600);
  });
});
