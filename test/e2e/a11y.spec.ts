/**
 * Accessibility of every view, in Chromium: axe-core scans (0 serious or critical violations in
 * light and dark), scroll containment (End, PageDown and Space scroll the panel, never the page)
 * and keyboard reach (every control and scroll region reachable with Tab, with a visible focus
 * ring). Screenshots of each view in both themes go to test-results/screenshots/.
 */
import { expect, test, type Page } from 'playwright/test';
import type { AppSnapshot } from '../../preload/api';
import { seriousViolations } from './axe';
import { fixtureSnapshot, installFakeApi, liveScreenshot, screenshot, startDemoServer, type DemoServer, type FakeApiOptions } from './support';

test.use({ viewport: { width: 380, height: 560 }, locale: 'en-US', timezoneId: 'America/New_York' });

async function open(page: Page, options: Partial<FakeApiOptions> = {}): Promise<void> {
  await installFakeApi(page, { snapshot: fixtureSnapshot(), ...options });
  await page.goto('/index.html');
}

function withSelection(snapshot: AppSnapshot, selectedWorkspaceId: string | null): AppSnapshot {
  return { ...snapshot, selectedWorkspaceId };
}

const emptySnapshot = (): AppSnapshot => {
  const snapshot = fixtureSnapshot();
  return { ...snapshot, status: { generatedAt: snapshot.status.generatedAt, workspaces: [] } };
};

const VIEWS: ReadonlyArray<{ name: string; options: () => Partial<FakeApiOptions>; ready: (page: Page) => Promise<void> }> = [
  { name: 'glance', options: () => ({ snapshot: withSelection(fixtureSnapshot(), 'prod') }), ready: (page) => expect(page.getByTestId('spent')).toHaveText('$16,339.20') },
  { name: 'all', options: () => ({}), ready: (page) => expect(page.getByTestId('spent')).toHaveText('$28,827.37') },
  { name: 'research', options: () => ({ snapshot: withSelection(fixtureSnapshot(), 'research') }), ready: (page) => expect(page.getByTestId('spent')).toHaveText('$12,075.82') },
  { name: 'sandbox', options: () => ({ snapshot: withSelection(fixtureSnapshot(), 'sandbox') }), ready: (page) => expect(page.getByTestId('spent')).toHaveText('$412.35') },
  { name: 'empty', options: () => ({ snapshot: emptySnapshot() }), ready: (page) => expect(page.getByTestId('empty-state')).toBeVisible() },
  {
    name: 'error',
    options: () => ({ failGetSnapshot: { times: 99, kind: 'internal', message: 'The spend service is not running.' } }),
    ready: (page) => expect(page.getByTestId('error-state')).toBeVisible(),
  },
];

for (const colorScheme of ['light', 'dark'] as const) {
  for (const view of VIEWS) {
    test(`axe: ${view.name} view has no serious or critical violations (${colorScheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await open(page, view.options());
      await view.ready(page);
      await screenshot(page, `a11y-${view.name}-${colorScheme}`);
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
}

test('End, PageDown and Space scroll the panel, never the page: the header stays', async ({ page }) => {
  await open(page, { snapshot: withSelection(fixtureSnapshot(), 'prod') });
  await expect(page.getByTestId('spent')).toHaveText('$16,339.20');
  const header = page.locator('header').first();
  const headerTop = async () => (await header.boundingBox())?.y;
  const before = await headerTop();
  const scrollable = await page.evaluate(() => {
    const panel = document.querySelector<HTMLElement>('[data-testid="panel"]')!;
    return panel.scrollHeight > panel.clientHeight;
  });
  expect(scrollable, 'the fixture panel must overflow for this test to mean anything').toBe(true);
  // Focus on the page itself (nothing focused), then on the panel.
  for (const target of ['body', 'panel'] as const) {
    if (target === 'body') await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    else await page.getByTestId('panel').focus();
    for (const key of ['End', 'PageDown', 'Space', 'Home', 'End']) {
      await page.keyboard.press(key);
      expect(await page.evaluate(() => [document.documentElement.scrollTop, document.body.scrollTop, window.scrollY])).toEqual([0, 0, 0]);
      expect(await headerTop()).toBe(before);
    }
  }
  // The panel itself did scroll.
  expect(await page.getByTestId('panel').evaluate((element) => element.scrollTop)).toBeGreaterThan(0);
  await expect(header).toBeInViewport();
});

test('every control and scroll region is reachable with Tab and shows a focus ring', async ({ page }) => {
  await open(page, { snapshot: withSelection(fixtureSnapshot(), 'prod') });
  await expect(page.getByTestId('spent')).toHaveText('$16,339.20');
  const reached = new Set<string>();
  const noRing: string[] = [];
  for (let i = 0; i < 80; i += 1) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1) || style.boxShadow !== 'none';
      return { key: el.dataset.focusKey ?? el.id ?? '', label: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}[${el.getAttribute('aria-label') ?? el.textContent?.slice(0, 30) ?? ''}]`, ring, marker: el.getAttribute('data-a11y-marker') };
    });
    if (!info) continue;
    if (reached.has(info.label)) break;
    reached.add(info.label);
    if (!info.ring) noRing.push(info.label);
  }
  expect(noRing, 'focused elements without a visible focus ring').toEqual([]);
  // Every interactive element and every scroll region of the page was reached.
  const expected = await page.evaluate(() => {
    const all = [...document.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea, [tabindex], [role="tab"]')].filter((el) => el.offsetParent !== null && !(el as HTMLButtonElement).disabled);
    const scrollers = [...document.querySelectorAll<HTMLElement>('*')].filter((el) => {
      const style = getComputedStyle(el);
      return /(auto|scroll)/.test(style.overflowY + style.overflowX) && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1);
    });
    return { interactive: all.filter((el) => el.getAttribute('role') !== 'tab' || el.getAttribute('aria-selected') === 'true').length, scrollers: scrollers.map((el) => el.tabIndex) };
  });
  expect(expected.scrollers.every((index) => index >= 0), 'every scroll region is focusable').toBe(true);
  expect(reached.size).toBeGreaterThanOrEqual(expected.interactive);
});

test('Enter on a workspace card opens it and keeps focus in the tab strip', async ({ page }) => {
  await open(page);
  await expect(page.getByTestId('spent')).toHaveText('$28,827.37');
  await page.getByTestId('workspace-card-prod').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: /Prod/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab', { name: /Prod/ })).toBeFocused();
});

test.describe('served dashboard', () => {
  let server: DemoServer;
  test.beforeAll(async () => {
    server = await startDemoServer();
  });
  test.afterAll(async () => {
    await server?.stop();
  });
  test('the Export CSV button downloads the spend export', async ({ page }) => {
    await page.goto(server.url);
    // The app itself, not the served first paint that shows the spend before it (renderer/src/firstPaint.ts).
    await expect(page.getByTestId('panel').getByTestId('spent')).toBeVisible();
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Export CSV' }).click();
    const file = await (await download).path();
    const text = (await import('node:fs')).readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^workspace_id,connection_id,provider,start,end,cost_usd/);
    expect(text.split('\n').length).toBeGreaterThan(10);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const viewport of [{ width: 380, height: 640 }, { width: 1200, height: 900 }]) {
      test(`axe: the served demo dashboard has no serious or critical violations (${colorScheme}, ${viewport.width} px)`, async ({ page }) => {
        await page.emulateMedia({ colorScheme });
        await page.setViewportSize(viewport);
        await page.goto(server.url);
        // The app itself, not the served first paint that shows the spend before it (renderer/src/firstPaint.ts).
        await expect(page.getByTestId('panel').getByTestId('spent')).toBeVisible();
        await liveScreenshot(page, `served-${viewport.width}-${colorScheme}`);
        expect(await seriousViolations(page)).toEqual([]);
        await page.getByRole('tab').nth(1).click();
        await expect(page.getByRole('tab').nth(1)).toHaveAttribute('aria-selected', 'true');
        await liveScreenshot(page, `served-${viewport.width}-workspace-${colorScheme}`);
        expect(await seriousViolations(page)).toEqual([]);
      });
    }
  }
});

test('a strip of many workspaces shows that it scrolls, on the side that hides tabs', async ({ page }) => {
  const snapshot = fixtureSnapshot();
  const base = snapshot.status.workspaces[0]!;
  const many = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'].map((id) => ({ ...base, id, name: `Team ${id}` }));
  await open(page, { snapshot: { ...snapshot, status: { ...snapshot.status, workspaces: many } } });
  await expect(page.getByRole('tab')).toHaveCount(7);
  await expect(page.getByTestId('tabs-more-right')).toBeVisible();
  await expect(page.getByTestId('tabs-more-left')).toHaveCount(0);
  await page.getByRole('tab', { name: 'All' }).focus();
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { name: /Team foxtrot/ })).toBeFocused();
  await expect(page.getByRole('tab', { name: /Team foxtrot/ })).toBeInViewport();
  await expect(page.getByTestId('tabs-more-left')).toBeVisible();
  await expect(page.getByTestId('tabs-more-right')).toHaveCount(0);
  await screenshot(page, 'tabs-overflow-light');
});

test('the hourly chart reads each hour by keyboard without switching workspaces', async ({ page }) => {
  await open(page, { snapshot: withSelection(fixtureSnapshot(), 'research') });
  await expect(page.getByTestId('spent')).toHaveText('$12,075.82');
  const hours = fixtureSnapshot().status.workspaces.find((w) => w.id === 'research')!.hourlySpendUsd!;
  const last = hours[hours.length - 1]!;
  const beforeLast = hours[hours.length - 2]!;
  await page.getByTestId('sparkline-focus').focus();
  await page.keyboard.press('ArrowRight');
  const hourText = (iso: string) => new Date(iso).toLocaleString('en-US', { timeZone: 'America/New_York', month: 'short', day: 'numeric', hour: 'numeric' });
  await expect(page.getByTestId('trend-readout')).toHaveText(`${hourText(last.start)}: $${last.spentUsd.toFixed(2)}`);
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('trend-readout')).toHaveText(`${hourText(beforeLast.start)}: $${beforeLast.spentUsd.toFixed(2)}`);
  await page.keyboard.press('Home');
  await expect(page.getByTestId('trend-readout')).toContainText(hourText(hours[0]!.start));
  // The arrows stayed in the chart: still on Research.
  await expect(page.getByRole('tab', { name: /Research/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('region', { name: 'Last 48 hours' })).toContainText('48 h ago');
});

test('top-spender bars are the share of the total, not of the largest item', async ({ page }) => {
  await open(page, { snapshot: withSelection(fixtureSnapshot(), 'research') });
  const first = page.getByRole('region', { name: 'Top spenders' }).getByRole('listitem').first();
  await expect(first).toContainText('28%');
  const ratio = await first.evaluate((item) => {
    const bar = item.querySelector<HTMLElement>('.resource__bar')!;
    return bar.getBoundingClientRect().width / item.getBoundingClientRect().width;
  });
  expect(ratio).toBeGreaterThan(0.27);
  expect(ratio).toBeLessThan(0.29);
});
