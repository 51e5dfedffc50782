/**
 * The Electron popover's renderer, in real Chromium: the built renderer served as static files,
 * with a fake `window.burnrate` (the preload API) that serves a fixture snapshot and records calls.
 */
import { expect, test as base, type Page } from 'playwright/test';
import type { AppSnapshot } from '../../preload/api';
import { collectErrors, fixtureSnapshot, installFakeApi, recordedCalls, screenshot, type FakeApiOptions } from './support';

const test = base.extend<{ errors: string[] }>({
  // Every test fails on a console error or an uncaught exception (CSP violations included).
  errors: [
    async ({ page }, use) => {
      const errors = collectErrors(page);
      await use(errors);
      expect(errors, 'console errors').toEqual([]);
    },
    { auto: true },
  ],
});

test.use({ viewport: { width: 380, height: 560 }, locale: 'en-US', timezoneId: 'America/New_York', colorScheme: 'dark' });

function withSelection(snapshot: AppSnapshot, selectedWorkspaceId: string | null): AppSnapshot {
  return { ...snapshot, selectedWorkspaceId };
}

async function open(page: Page, options: Partial<FakeApiOptions> = {}): Promise<void> {
  await installFakeApi(page, { snapshot: fixtureSnapshot(), ...options });
  await page.goto('/index.html');
}

const panel = (page: Page) => page.getByTestId('panel');
const tab = (page: Page, name: string | RegExp) => page.getByRole('tab', { name });

test('loads under its CSP and shows the all-workspaces roll-up', async ({ page }) => {
  await open(page);
  await expect(page.getByRole('heading', { name: 'Burnrate' })).toBeVisible();
  await expect(tab(page, 'All')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab')).toHaveText(['All', '1Research', '2Prod, a connection failed', '3Sandbox, a connection failed']);
  await expect(page.getByTestId('spent')).toHaveText('$28,827.37');
  await expect(page.getByTestId('burn-rate')).toHaveText('$58.62/h');
  await expect(page.getByTestId('projected')).toHaveText('$41,643.01');
  await expect(page.getByTestId('nowcast')).toHaveText('≈$28,849.10');
  await expect(page.getByTestId('workspace-card-prod')).toContainText('$16,339.20');
  await expect(page.getByTestId('workspace-card-prod')).toContainText('81.7% used');
  await expect(page.getByTestId('workspace-card-prod')).toContainText('118% projected of $20K');
  // The headline says what it leaves out.
  await expect(page.getByTestId('coverage')).toContainText('Partial total: 2 of 9 connections missing');
  const calls = (await recordedCalls(page)).map((c) => c.method);
  expect(calls).toContain('getSnapshot');
  expect(await recordedCalls(page)).toContainEqual({ method: 'setPopoverOpen', args: [true] });
  expect(await page.evaluate(() => (window as unknown as { __listenerCount: () => number }).__listenerCount())).toBe(1);
});

test('shows a workspace: spent, burn rate, estimate, projection, budget, trend and top spenders', async ({ page }) => {
  await open(page, { snapshot: withSelection(fixtureSnapshot(), 'research') });
  await expect(tab(page, /Research/)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('spent')).toHaveText('$12,075.82');
  await expect(page.getByTestId('period')).toHaveText('Nov 1 – Nov 30 · 9 days left');
  await expect(page.getByTestId('burn-rate')).toHaveText('$23.14/h');
  await expect(page.getByTestId('nowcast')).toHaveText('≈$12,075.82');
  await expect(panel(page).getByText('Now, estimated')).toBeVisible();
  await expect(page.getByTestId('projected')).toHaveText('$17,237.88');
  await expect(page.getByTestId('projected-range')).toHaveText('$17.1K – $17.4K (range $17,117.02 – $17,358.75)');
  await expect(page.getByTestId('projection-method')).toHaveText('Projection: blend · 99% confidence');
  await expect(page.getByTestId('budget-used')).toHaveText('60.4% used');
  await expect(page.getByTestId('budget-projected')).toHaveText('86.2% projected · $2,762.12 to spare');
  await expect(page.getByRole('meter', { name: 'Budget used' })).toHaveAttribute('aria-valuetext', '60.4% used, 86.2% projected');
  await expect(page.getByTestId('budget-crossing')).toHaveCount(0);
  await expect(page.getByTestId('sparkline').locator('rect')).toHaveCount(48);
  await expect(page.getByTestId('trend-stats')).toContainText('peak $19.29/h');
  const spenders = page.getByRole('region', { name: 'Top spenders' }).getByRole('listitem');
  await expect(spenders).toHaveCount(5);
  await expect(spenders.first()).toContainText('my-training-project / sft-run-12');
  await expect(spenders.first()).toContainText('training job · Baseten');
  await expect(spenders.first()).toContainText('$3,403.67');
  await expect(spenders.first()).toContainText('28%');
  await expect(page.getByTestId('connection-civis')).toContainText('$855.17');
  await expect(page.getByTestId('connection-civis')).toContainText('Dollar amounts are Civis credits × $0.5 per credit');
});

test('says when the budget will be crossed, in local time', async ({ page }) => {
  await open(page, { snapshot: withSelection(fixtureSnapshot(), 'prod') });
  await expect(page.getByTestId('spent')).toHaveText('$16,339.20');
  await expect(page.getByTestId('budget-used')).toHaveText('81.7% used');
  await expect(page.getByTestId('budget-projected')).toHaveText('118% projected · $3,624.72 over');
  // 2026-11-26T08:12:12Z is 3:12 AM in New York (EST).
  await expect(page.getByTestId('budget-crossing')).toHaveText('Crosses the budget in 4 days 10 h · Thu 3:12 AM · 100% chance of going over');
});

test('switches workspaces with one keystroke or click and tells main', async ({ page }) => {
  await open(page);
  await expect(page.getByTestId('spent')).toHaveText('$28,827.37');

  await page.keyboard.press('2');
  await expect(tab(page, /Prod/)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('spent')).toHaveText('$16,339.20');
  await expect(panel(page)).toHaveAttribute('aria-labelledby', 'tab-ws-prod');

  await page.keyboard.press('0');
  await expect(tab(page, 'All')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(tab(page, /Research/)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(tab(page, /Sandbox/)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('a');
  await expect(tab(page, 'All')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('9'); // no ninth workspace: nothing happens
  await expect(tab(page, 'All')).toHaveAttribute('aria-selected', 'true');

  await tab(page, /Sandbox/).click();
  await expect(page.getByTestId('spent')).toHaveText('$412.35');
  await page.getByTestId('panel').focus();
  await page.keyboard.press('1');
  await expect(page.getByTestId('spent')).toHaveText('$12,075.82');
  // The All tab's cards open their workspace too.
  await page.keyboard.press('0');
  await page.getByTestId('workspace-card-prod').click();
  await expect(tab(page, /Prod/)).toHaveAttribute('aria-selected', 'true');

  const selections = (await recordedCalls(page)).filter((c) => c.method === 'selectWorkspace').map((c) => c.args[0]);
  expect(selections).toEqual(['prod', null, 'research', null, 'sandbox', null, 'sandbox', 'research', null, 'prod']);
});

test('moves focus along the tabs with the arrow keys', async ({ page }) => {
  await open(page);
  await tab(page, 'All').focus();
  await page.keyboard.press('ArrowRight');
  await expect(tab(page, /Research/)).toBeFocused();
  await expect(tab(page, /Research/)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(tab(page, /Sandbox/)).toBeFocused();
  await page.keyboard.press('Home');
  await expect(tab(page, 'All')).toBeFocused();
});

test('closes the popover with Escape', async ({ page }) => {
  await open(page);
  await expect(page.getByTestId('spent')).toHaveText('$28,827.37');
  expect((await recordedCalls(page)).filter((c) => c.method === 'hidePopover')).toHaveLength(0);
  await page.keyboard.press('Escape');
  await expect.poll(async () => (await recordedCalls(page)).filter((c) => c.method === 'hidePopover').length).toBe(1);
});

test('refreshes with R and shows progress until the refresh ends', async ({ page }) => {
  await open(page, { holdRefresh: true });
  await expect(page.getByTestId('spent')).toHaveText('$28,827.37');
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await page.keyboard.press('r');
  await expect(page.getByRole('progressbar', { name: 'Refreshing spend data' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Refresh now' })).toBeDisabled();
  await expect(page.getByTestId('freshness')).toHaveText('Refreshing…');
  expect((await recordedCalls(page)).filter((c) => c.method === 'refreshNow')).toHaveLength(1);
  await page.evaluate(() => (window as unknown as { __finishRefresh: () => void }).__finishRefresh());
  await expect(page.getByRole('progressbar')).toHaveCount(0);

  await page.getByRole('button', { name: 'Refresh now' }).click();
  await expect(page.getByRole('progressbar')).toBeVisible();
  expect((await recordedCalls(page)).filter((c) => c.method === 'refreshNow')).toHaveLength(2);
});

test('keeps the numbers and says why when a refresh fails', async ({ page }) => {
  await open(page, { failRefresh: { kind: 'internal', message: 'The refresh was cancelled.' } });
  await expect(page.getByTestId('spent')).toHaveText('$28,827.37');
  await page.keyboard.press('R');
  await expect(page.getByTestId('action-error')).toHaveText("Couldn't update. The refresh was cancelled.Retry");
  await expect(page.getByTestId('spent')).toHaveText('$28,827.37');
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('action-error')).toHaveCount(0);
});

test("shows main's refreshing flag and every pushed snapshot", async ({ page }) => {
  await open(page);
  await expect(page.getByTestId('spent')).toHaveText('$28,827.37');
  const pushed = fixtureSnapshot();
  const research = pushed.status.workspaces[0]!;
  const next: AppSnapshot = {
    ...pushed,
    refreshing: true,
    status: { ...pushed.status, all: { ...pushed.status.all!, spentUsd: 30_001.5 }, workspaces: [{ ...research, spentUsd: 13_000.5 }, ...pushed.status.workspaces.slice(1)] },
  };
  await page.evaluate((snapshot) => (window as unknown as { __pushSnapshot: (s: AppSnapshot) => void }).__pushSnapshot(snapshot), next);
  await expect(page.getByTestId('spent')).toHaveText('$30,001.50');
  await expect(page.getByRole('progressbar')).toBeVisible();

  // main changes the selection (tray menu): the popover follows.
  await page.evaluate((snapshot) => (window as unknown as { __pushSnapshot: (s: AppSnapshot) => void }).__pushSnapshot(snapshot), { ...next, refreshing: false, selectedWorkspaceId: 'research' });
  await expect(tab(page, /Research/)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('spent')).toHaveText('$13,000.50');
  await expect(page.getByRole('progressbar')).toHaveCount(0);
});

test('shows failing, stale and credits-only connections with their messages', async ({ page }) => {
  await open(page, { snapshot: withSelection(fixtureSnapshot(), 'prod') });
  const limitry = page.getByTestId('connection-limitry');
  await expect(limitry).toContainText('Rate limited: Limitry answered 429 Too Many Requests; retrying in 60 s.');
  // fetchedAt 21:15Z is 4:15 PM in New York, the same day as the document.
  await expect(limitry).toContainText('Showing last good values from 4:15 PM');
  await expect(limitry).toContainText('$2,136.10');
  await expect(page.getByRole('region', { name: 'Connections' })).toContainText('1 failing · 2 ok');
  await expect(page.getByTestId('connection-tensorone')).toContainText('Today\'s TensorOne figures are provisional');
  await page.getByTestId('panel').evaluate((element) => element.scrollTo(0, element.scrollHeight));
  await screenshot(page, 'popover-prod-bottom-dark');

  await page.keyboard.press('3');
  const tensorone = page.getByTestId('connection-tensorone-sandbox');
  await expect(tensorone).toContainText('Key refused: TensorOne rejected the API key (401 Unauthorized).');
  await expect(tensorone).toContainText('No data yet: not included in the totals.');
  const civis = page.getByTestId('connection-civis-sandbox');
  await expect(civis).toContainText('120.50 credits');
  await expect(civis).toContainText('Reports credits: set usdPerCredit to include it in money totals.');
  await expect(page.getByTestId('budget-used')).toHaveCount(0);
  await page.getByTestId('panel').evaluate((element) => element.scrollTo(0, element.scrollHeight));
  await screenshot(page, 'popover-sandbox-bottom-dark');
});

test('shows the demo banner for demo data only', async ({ page }) => {
  const snapshot = fixtureSnapshot();
  await open(page, { snapshot: { ...snapshot, status: { ...snapshot.status, demo: false } } });
  await expect(page.getByTestId('spent')).toHaveText('$28,827.37');
  await expect(page.getByRole('note', { name: 'Demo data' })).toHaveCount(0);
});

test('shows the demo banner for demo data', async ({ page }) => {
  await open(page);
  await expect(page.getByRole('note', { name: 'Demo data' })).toHaveText('Demo dataFake providers, not real spend.');
});

test('shows how to add a config file when there are no workspaces', async ({ page }) => {
  const snapshot = fixtureSnapshot();
  await open(page, { snapshot: { ...snapshot, status: { generatedAt: snapshot.status.generatedAt, workspaces: [] } } });
  await expect(page.getByTestId('empty-state')).toContainText('No workspaces yet');
  await expect(page.getByTestId('empty-state')).toContainText('Add a config file');
  await expect(page.getByTestId('config-path')).toHaveText('~/.config/burnrate/config.json');
  await expect(page.getByRole('tab')).toHaveCount(0);
  await screenshot(page, 'popover-empty-dark');
});

test('shows a transport failure with its message, then retries', async ({ page }) => {
  await open(page, { failGetSnapshot: { times: 1, kind: 'internal', message: 'The spend service is not running.' } });
  await expect(page.getByTestId('error-state')).toContainText("Can't load spend");
  await expect(page.getByTestId('error-message')).toHaveText('The spend service is not running.');
  await screenshot(page, 'popover-error-dark');
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('spent')).toHaveText('$28,827.37');
  expect((await recordedCalls(page)).filter((c) => c.method === 'getSnapshot')).toHaveLength(2);
});

for (const colorScheme of ['dark', 'light'] as const) {
  test(`screenshots of the popover (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await open(page, { snapshot: withSelection(fixtureSnapshot(), 'prod') });
    await expect(page.getByTestId('spent')).toHaveText('$16,339.20');
    await screenshot(page, `popover-${colorScheme}`);
    await page.keyboard.press('0');
    await expect(page.getByTestId('spent')).toHaveText('$28,827.37');
    await screenshot(page, `popover-all-${colorScheme}`);
    await page.keyboard.press('1');
    await expect(page.getByTestId('spent')).toHaveText('$12,075.82');
    await screenshot(page, `popover-research-${colorScheme}`);
    await page.getByTestId('panel').evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await screenshot(page, `popover-research-bottom-${colorScheme}`);
  });
}
