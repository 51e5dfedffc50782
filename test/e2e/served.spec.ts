/**
 * The dashboard served by the real `burnrate demo` (the same server as `burnrate serve`): no
 * preload here, so the page reads /api/status with the token from its URL. Once every connection
 * has answered, the page comes with the status document in a JSON data block and renders it
 * without asking /api/status first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, test, type Page, type Request } from 'playwright/test';
import type { StatusDocument } from '../../preload/api';
import { collectErrors, firstRefreshDone, liveScreenshot, startDemoServer, usd, type DemoServer } from './support';

test.describe.configure({ mode: 'serial' });
test.use({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1180, height: 860 }, colorScheme: 'dark' });

let server: DemoServer;

test.beforeAll(async () => {
  server = await startDemoServer();
  // The demo's first refresh: until every connection has answered, the page carries no data block.
  await firstRefreshDone(server);
});

/** The status document the page was served with (its `#burnrate-status` data block). */
async function inlined(page: Page): Promise<StatusDocument> {
  return JSON.parse((await page.locator('#burnrate-status').textContent()) ?? '') as StatusDocument;
}

test.afterAll(async () => {
  await server?.stop();
});

function isStatusRequest(request: Request): boolean {
  return new URL(request.url()).pathname === '/api/status';
}

test('serves the demo dashboard with real numbers read with the token', async ({ page }) => {
  const errors = collectErrors(page);
  const statusRequests: Request[] = [];
  page.on('request', (request) => {
    if (isStatusRequest(request)) statusRequests.push(request);
  });
  await page.goto(server.url);
  const status = await inlined(page);
  expect(status.demo).toBe(true);
  await expect(page.getByRole('note', { name: 'Demo data' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'All' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('spent')).toHaveText(usd(status.all!.spentUsd));
  await expect(page.getByTestId('burn-rate')).toHaveText(`${usd(status.all!.burnRateUsdPerHour)}/h`);
  await expect(page.getByTestId('projected')).toHaveText(usd(status.all!.projectedUsd));
  await expect(page).toHaveTitle(`${usd(status.all!.spentUsd)} · All workspaces · Burnrate`);
  // The first render came from the page itself: no request for the numbers yet.
  expect(statusRequests).toEqual([]);
  for (const workspace of status.workspaces) {
    await expect(page.getByRole('tab', { name: new RegExp(workspace.name) })).toBeVisible();
  }
  await liveScreenshot(page, 'served-dashboard-all');

  // Switch by keystroke: the hash keeps the choice.
  const second = status.workspaces[1]!;
  await page.keyboard.press('2');
  await expect(page.getByRole('tab', { name: new RegExp(second.name) })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('spent')).toHaveText(usd(second.spentUsd));
  expect(new URL(page.url()).hash).toBe(`#w=${second.id}`);
  expect(new URL(page.url()).searchParams.get('token')).toBe(server.token);
  await expect(page.getByTestId('burn-rate')).toHaveText(`${usd(second.burnRateUsdPerHour)}/h`);
  await liveScreenshot(page, 'served-dashboard');

  // Click works too, and the refresh button reads the API again.
  const first = status.workspaces[0]!;
  await page.getByRole('tab', { name: new RegExp(first.name) }).click();
  await expect(page.getByTestId('spent')).not.toHaveText(usd(second.spentUsd));
  expect(new URL(page.url()).hash).toBe(`#w=${first.id}`);
  const before = statusRequests.length;
  const refreshed = page.waitForResponse((r) => isStatusRequest(r.request()));
  await page.getByRole('button', { name: 'Refresh now' }).click();
  expect((await refreshed).status()).toBe(200);
  expect(statusRequests.length).toBe(before + 1);
  // The token travels as a Bearer header, not in the API URL.
  const request = statusRequests.at(-1)!;
  expect(await request.headerValue('authorization')).toBe(`Bearer ${server.token}`);
  expect(new URL(request.url()).search).toBe('');
  expect(errors).toEqual([]);
});

test('a page served with its numbers shows the dashboard in its first frame, never a loading state', async ({ page }) => {
  const errors = collectErrors(page);
  // Records, from before the page's script runs, every loading placeholder ever attached.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { loadingSeen: string[] }).loadingSeen = seen;
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node instanceof Element && (node.matches('.state--loading') || node.querySelector('.state--loading'))) seen.push('loading');
        }
      }
    }).observe(document, { subtree: true, childList: true });
  });
  await page.goto(server.url);
  const status = await inlined(page);
  await expect(page.getByTestId('spent')).toHaveText(usd(status.all!.spentUsd));
  expect(await page.evaluate(() => (window as unknown as { loadingSeen: string[] }).loadingSeen)).toEqual([]);
  expect(errors).toEqual([]);
});

test('opens the workspace named in the URL hash', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(`${server.url}#w=prod`);
  const status = await inlined(page);
  const prod = status.workspaces.find((w) => w.id === 'prod')!;
  await expect(page.getByRole('tab', { name: new RegExp(prod.name) })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('spent')).toHaveText(usd(prod.spentUsd));
  await page.evaluate(() => (location.hash = '#w=research'));
  await expect(page.getByRole('tab', { name: /Research/ })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('a');
  expect(new URL(page.url()).hash).toBe('');
  expect(errors).toEqual([]);
});

test('the served dashboard in light mode and at popover size', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${server.url}#w=prod`);
  // The app itself, not the served first paint that shows the spend before it (renderer/src/firstPaint.ts).
  await expect(page.getByTestId('panel').getByTestId('spent')).toBeVisible();
  await liveScreenshot(page, 'served-dashboard-light');
  await page.setViewportSize({ width: 380, height: 560 });
  await liveScreenshot(page, 'served-narrow-light');
});

test.describe('the status document in the page', () => {
  /** A workspace name that ends a script element or an HTML comment, or is a replacement pattern, when not escaped. */
  const HOSTILE = `</script><script>document.title='pwned'</script><!-- $& $' \u2028`;
  let dir: string;
  let child: ChildProcess | undefined;

  test.afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child!.once('exit', done));
      child.kill('SIGINT');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('carries names as text: escaped JSON, no script run, no CSP violation', async ({ page }) => {
    dir = mkdtempSync(join(tmpdir(), 'burnrate-e2e-inline-'));
    const file = join(dir, 'config.json');
    // Connections that fail at once (nothing listens on port 9): every connection answers, with an error.
    const connection = { id: 'bt', provider: 'baseten', apiKey: 'k', baseUrl: 'http://127.0.0.1:9' };
    const config = { workspaces: [{ id: 'evil', name: HOSTILE, connections: [connection] }, { id: 'plain', name: 'Plain', connections: [connection] }] };
    writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
    mkdirSync(join(dir, 'state'), { mode: 0o700 });
    child = spawn(process.execPath, ['bin/burnrate.js', 'serve', '--port', '0', '--config', file], {
      cwd: resolve('.'),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOME: dir, XDG_CACHE_HOME: join(dir, 'cache'), BURNRATE_STATE_DIR: join(dir, 'state'), NO_COLOR: '1' },
    });
    child.stderr!.resume();
    const lines = createInterface({ input: child.stdout! });
    const url = new URL(
      await new Promise<string>((done, fail) => {
        lines.on('line', (line) => {
          const match = /Burnrate dashboard: (\S+)/.exec(line);
          if (match) done(match[1]!);
        });
        child!.once('exit', (code) => fail(new Error(`serve exited ${code}`)));
      }),
    );
    const token = url.searchParams.get('token')!;
    await expect
      .poll(async () => {
        const status = (await (await fetch(`${url.origin}/api/status`, { headers: { authorization: `Bearer ${token}` } })).json()) as StatusDocument;
        return status.workspaces.every((w) => w.connections.every((c) => c.status === 'error'));
      })
      .toBe(true);
    const errors = collectErrors(page);
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(url.href);
    const status = await inlined(page);
    expect(status.workspaces.map((w) => w.name)).toEqual([HOSTILE, 'Plain']);
    await expect(page.getByRole('tab', { name: 'Plain' })).toBeVisible();
    await expect(page.getByRole('tab').filter({ hasText: "document.title='pwned'" })).toHaveCount(1);
    expect(await page.title()).not.toContain('pwned');
    // One data block and the page's own module script (the first paint's, which imported the
    // app): the name opened no element.
    const scripts = await page.locator('script').evaluateAll((all) => all.map((s) => (s.getAttribute('src') ?? `${s.getAttribute('type')}#${s.id}`).replace(/-[\w-]+\.js\?.*$/, '')));
    expect(scripts).toEqual(['./assets/firstPaint', 'application/json#burnrate-status']);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
});
