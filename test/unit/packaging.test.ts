/**
 * electron-builder cannot run here (it needs the Electron binary), so its configuration is checked:
 * app id, one target set per platform, and tray icons that exist with the right sizes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  main: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
  build: {
    appId: string;
    files: string[];
    extraResources: Array<{ from: string; to: string }>;
    mac: { target: string[]; extendInfo: Record<string, unknown>; icon: string };
    win: { target: string[] };
    linux: { target: string[] };
  };
};

function pngSize(file: string): { width: number; height: number; colourType: number } {
  const data = readFileSync(file);
  expect(data.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20), colourType: data[25]! };
}

describe('packaging configuration', () => {
  it('builds the desktop targets the design card names', () => {
    expect(pkg.build.appId).toBe('dev.burnrate.app');
    expect(pkg.build.mac.target).toEqual(['dmg', 'zip']);
    expect(pkg.build.win.target).toEqual(['nsis']);
    expect(pkg.build.linux.target).toEqual(['AppImage', 'deb']);
    // A tray app: no Dock icon on macOS.
    expect(pkg.build.mac.extendInfo.LSUIElement).toBe(true);
    expect(pkg.scripts.dist).toContain('electron-builder');
  });

  it('ships the built app and the tray icons', () => {
    expect(pkg.main).toBe('out/main/index.js');
    expect(pkg.build.files).toContain('out/**');
    expect(pkg.build.extraResources).toContainEqual({ from: 'build/tray', to: 'tray' });
    expect(pkg.bin.burnrate).toBe('bin/burnrate.js');
  });

  it.each([
    ['build/tray/tray-16.png', 16],
    ['build/tray/tray-32.png', 32],
    ['build/tray/trayTemplate.png', 16],
    ['build/tray/trayTemplate@2x.png', 32],
    ['build/icon.png', 512],
  ])('has %s at %i px with alpha', (file, size) => {
    expect(existsSync(file)).toBe(true);
    expect(pngSize(file)).toEqual({ width: size, height: size, colourType: 6 });
  });

  it('makes the macOS template images black with alpha only (so they adapt to the menu bar)', () => {
    // Colour type 6 = RGBA; the generator writes (0, 0, 0, a) pixels. The file is tiny, so check it decodes to black.
    const data = readFileSync('build/tray/trayTemplate.png');
    let offset = 8;
    const idat: Buffer[] = [];
    while (offset < data.length) {
      const length = data.readUInt32BE(offset);
      const type = data.subarray(offset + 4, offset + 8).toString('ascii');
      if (type === 'IDAT') idat.push(data.subarray(offset + 8, offset + 8 + length));
      offset += 12 + length;
    }
    const raw = inflateSync(Buffer.concat(idat));
    let opaque = 0;
    for (let row = 0; row < 16; row += 1) {
      for (let x = 0; x < 16; x += 1) {
        const p = row * (1 + 16 * 4) + 1 + x * 4;
        expect([raw[p], raw[p + 1], raw[p + 2]]).toEqual([0, 0, 0]);
        if (raw[p + 3]! > 0) opaque += 1;
      }
    }
    expect(opaque).toBeGreaterThan(20);
  });
});
