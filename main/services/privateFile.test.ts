import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writePrivateFile } from './privateFile';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-private-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(process.platform === 'win32')('writePrivateFile', () => {
  it('creates the file 0600 in a new folder 0700, leaving no temporary file', () => {
    const file = join(dir, 'new', 'settings.json');
    writePrivateFile(file, '{}');
    expect(readFileSync(file, 'utf8')).toBe('{}');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'new')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(dir, 'new'))).toEqual(['settings.json']);
  });

  it('makes an existing readable file private', () => {
    const file = join(dir, 'old.json');
    writeFileSync(file, 'old', { mode: 0o644 });
    writePrivateFile(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
