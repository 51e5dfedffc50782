import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { autostartEntry, autostartFile, quoteExecArgument, setAutostart } from './autostart';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-autostart-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('launch at login on Linux', () => {
  it('places the entry in $XDG_CONFIG_HOME/autostart, else ~/.config/autostart', () => {
    expect(autostartFile({ XDG_CONFIG_HOME: '/x/cfg', HOME: '/home/a' })).toBe('/x/cfg/autostart/burnrate.desktop');
    expect(autostartFile({ HOME: '/home/a' })).toBe('/home/a/.config/autostart/burnrate.desktop');
  });

  it('quotes Exec arguments as the Desktop Entry spec says', () => {
    expect(quoteExecArgument('/usr/bin/burnrate')).toBe('/usr/bin/burnrate');
    expect(quoteExecArgument('/opt/Burnrate App/burnrate')).toBe('"/opt/Burnrate App/burnrate"');
    expect(quoteExecArgument('/a/$HOME"x')).toBe('"/a/\\$HOME\\"x"');
    expect(quoteExecArgument('/a/100%')).toBe('/a/100%%');
  });

  it('writes the entry (0600) when turned on and removes it when turned off', () => {
    const env = { XDG_CONFIG_HOME: dir };
    setAutostart(true, ['/opt/Burnrate/burnrate'], env);
    const file = join(dir, 'autostart', 'burnrate.desktop');
    expect(readFileSync(file, 'utf8')).toBe(autostartEntry(['/opt/Burnrate/burnrate']));
    expect(readFileSync(file, 'utf8')).toMatch(/^\[Desktop Entry\]\nType=Application\nName=Burnrate\n.*\nExec=\/opt\/Burnrate\/burnrate\n/);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    setAutostart(false, [], env);
    expect(existsSync(file)).toBe(false);
    setAutostart(false, [], env);
  });
});
