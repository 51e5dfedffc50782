import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import e2eConfig from '../../playwright.config';
import desktopConfig from '../desktop/playwright.config';
import { HANG_GUARD_EXPECT_MS, HANG_GUARD_TEST_MS } from '../support/hangGuards';

const ROOT = join(__dirname, '..', '..');

function browserTestFiles(): string[] {
  const files: string[] = [];
  for (const dir of ['test/e2e', 'test/desktop']) {
    const walk = (at: string): void => {
      for (const entry of readdirSync(at, { withFileTypes: true })) {
        const path = join(at, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts')) files.push(path);
      }
    };
    walk(join(ROOT, dir));
  }
  return files;
}

/** Every place a browser test sets a time limit below the hang guards, as `file:line: text`. */
function loweredTimeouts(file: string, source: string): string[] {
  const found: string[] = [];
  source.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(/test\.setTimeout\(\s*([\d_]+)\s*\)/g)) {
      if (Number(match[1]!.replaceAll('_', '')) < HANG_GUARD_TEST_MS) found.push(`${file}:${index + 1}: ${line.trim()}`);
    }
    for (const match of line.matchAll(/\btimeout:\s*([\d_]+)/g)) {
      if (Number(match[1]!.replaceAll('_', '')) < HANG_GUARD_EXPECT_MS) found.push(`${file}:${index + 1}: ${line.trim()}`);
    }
  });
  return found;
}

describe('browser suites: time limits are hang guards, not performance bounds (issue 10)', () => {
  it('both Playwright configs use the hang guards for tests, expects and the web server', () => {
    expect(e2eConfig.timeout).toBe(HANG_GUARD_TEST_MS);
    expect(e2eConfig.expect?.timeout).toBe(HANG_GUARD_EXPECT_MS);
    const webServer = Array.isArray(e2eConfig.webServer) ? e2eConfig.webServer[0] : e2eConfig.webServer;
    expect(webServer?.timeout).toBe(HANG_GUARD_EXPECT_MS);
    expect(desktopConfig.timeout).toBe(HANG_GUARD_TEST_MS);
    expect(desktopConfig.expect?.timeout).toBe(HANG_GUARD_EXPECT_MS);
  });

  it('finds a lowered limit when there is one', () => {
    expect(loweredTimeouts('x.spec.ts', "  test.setTimeout(60_000);\n  await expect(a).toBeVisible({ timeout: 5000 });\n  test.setTimeout(300_000);")).toEqual([
      'x.spec.ts:1: test.setTimeout(60_000);',
      'x.spec.ts:2: await expect(a).toBeVisible({ timeout: 5000 });',
    ]);
  });

  it('no spec or helper lowers them', () => {
    const found = browserTestFiles().flatMap((file) => loweredTimeouts(relative(ROOT, file), readFileSync(file, 'utf8')));
    expect(found).toEqual([]);
  });
});
