/**
 * The dashboard served by the real `burnrate demo` (the same server as `burnrate serve`): no
 * preload here, so the page reads /api/status with the token from its URL.
 */
import { expect, test, type Request } from 'playwright/test';
import type { StatusDocument } from '../../preload/api';
import { collectErrors, liveScreenshot, startDemoServer, usd, type DemoServer } from './support';

test.describe.configure({ mode: 'serial' });
test.use({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1180, height: 860 }, colorScheme: 'dark' });

let server: DemoServer;

test.beforeAll(async () => {
  test.setTimeout(60_000);
  server = await startDemoServer();
});

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
  const firstResponse = page.waitForResponse((response) => isStatusRequest(response.request()));
  await page.goto(server.url);
  const response = await firstResponse;
  expect(response.status()).toBe(200);
  const status = (await response.json()) as StatusDocument;
  expect(status.demo).toBe(true);

  // The token travels as a Bearer header, not in the API URL.
  const request = statusRequests[0]!;
  expect(await request.headerValue('authorization')).toBe(`Bearer ${server.token}`);
  expect(new URL(request.url()).search).toBe('');

  await expect(page.getByRole('note', { name: 'Demo data' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'All' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('spent')).toHaveText(usd(status.all!.spentUsd));
  await expect(page.getByTestId('burn-rate')).toHaveText(`${usd(status.all!.burnRateUsdPerHour)}/h`);
  await expect(page.getByTestId('projected')).toHaveText(usd(status.all!.projectedUsd));
  await expect(page).toHaveTitle(`${usd(status.all!.spentUsd)} · All workspaces · Burnrate`);
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
  expect(await statusRequests.at(-1)!.headerValue('authorization')).toBe(`Bearer ${server.token}`);
  expect(errors).toEqual([]);
});

test('opens the workspace named in the URL hash', async ({ page }) => {
  const errors = collectErrors(page);
  const response = page.waitForResponse((r) => isStatusRequest(r.request()));
  await page.goto(`${server.url}#w=prod`);
  const status = (await (await response).json()) as StatusDocument;
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
  await expect(page.getByTestId('spent')).toBeVisible();
  await liveScreenshot(page, 'served-dashboard-light');
  await page.setViewportSize({ width: 380, height: 560 });
  await liveScreenshot(page, 'served-narrow-light');
});
