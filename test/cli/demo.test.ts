/**
 * `burnrate demo` end to end: built-in fakes, no keys needed, "demo data" wherever numbers show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusDocument } from '../../preload/api';
import { assertFreshBuild, cleanupTempDirs, isolatedEnv, LiveCli, runCli, tempDir } from './helpers';

beforeAll(() => {
  assertFreshBuild();
});

afterAll(() => {
  cleanupTempDirs();
});

describe.concurrent('burnrate demo', () => {
  it('--once --json prints the status document flagged "demo": true, every connection ok', async () => {
    const [json, table] = await Promise.all([
      runCli(['demo', '--once', '--json'], isolatedEnv(tempDir())),
      runCli(['demo', '--once'], isolatedEnv(tempDir())),
    ]);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as StatusDocument;
    expect(doc.demo).toBe(true);
    expect(doc.workspaces.map((w) => w.id)).toEqual(['research', 'prod']);
    const providers = new Set(doc.workspaces.flatMap((w) => w.connections.map((c) => c.provider)));
    expect([...providers].sort()).toEqual(['baseten', 'civis', 'limitry', 'simplismart', 'tensorone']);
    for (const c of doc.workspaces.flatMap((w) => w.connections)) expect(c, c.id).toMatchObject({ status: 'ok', error: null });
    expect(json.stderr).toMatch(/demo data/i);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^Demo data/);
  });

  it('serves the demo: says "demo data", prints a working URL, and exits 0 on SIGINT', async () => {
    const demo = new LiveCli(['demo', '--port', '0'], isolatedEnv(tempDir()));
    try {
      const match = await demo.waitForStdout(/Burnrate dashboard: (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)\n/);
      expect(demo.stdout).toMatch(/demo data/i);
      const url = new URL(match[1]!);
      const [page, status, metrics] = await Promise.all([
        fetch(url),
        fetch(new URL(`/api/status?${url.searchParams}`, url)),
        fetch(new URL('/metrics', url), { headers: { authorization: `Bearer ${url.searchParams.get('token')}` } }),
      ]);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      expect(status.status).toBe(200);
      expect(((await status.json()) as StatusDocument).demo).toBe(true);
      expect(await metrics.text()).toContain('burnrate_info{demo="true"} 1');
      const result = await demo.stop('SIGINT');
      expect(result).toMatchObject({ code: 0, signal: null });
    } finally {
      demo.kill();
    }
  });
});
