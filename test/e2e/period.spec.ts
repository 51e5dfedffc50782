/**
 * The period chart (uPlot, loaded lazily): cumulative spend against the budget with its alert
 * marks and the projection band, daily bars per provider, a legend, and a data table reachable by
 * keyboard; axe-clean in both themes. Screenshots go to test-results/screenshots/.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from 'playwright/test';
import type { AppSnapshot } from '../../preload/api';
import { firstRefreshDone, fixtureSnapshot, installFakeApi, liveScreenshot, screenshot, startDemoServer, usd } from './support';

test.use({ viewport: { width: 380, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });

/** The fixture with 21 days of daily spend on Prod, split between two providers. */
function withDaily(): AppSnapshot {
  const snapshot = fixtureSnapshot();
  const workspaces = snapshot.status.workspaces.map((w) => {
    if (w.id !== 'prod') return w;
    const start = Date.parse(w.period.start);
    const daily = Array.from({ length: 21 }, (_, i) => {
      const tensorone = 500 + i * 10;
      const limitry = 100 + (i % 3) * 20;
      return { start: new Date(start + i * 86_400_000).toISOString(), spentUsd: tensorone + limitry, byProvider: { tensorone, limitry } };
    });
    return { ...w, dailySpendUsd: daily };
  });
  return { ...snapshot, selectedWorkspaceId: 'prod', status: { ...snapshot.status, workspaces } };
}

async function open(page: Page): Promise<void> {
  await installFakeApi(page, { snapshot: withDaily() });
  await page.goto('/index.html');
  await expect(page.getByTestId('spent')).toHaveText('$16,339.20');
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`draws the period chart with a legend and a keyboard-reachable table, axe-clean (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await open(page);
    const chart = page.getByTestId('period-chart');
    await expect(chart.locator('canvas').first()).toBeVisible();
    const legend = chart.getByRole('list', { name: 'Legend of the period chart' });
    for (const entry of ['spent so far', 'projected, with its 80% range', 'budget $20K', 'alerts at 50%, 75%, 90%', 'TensorOne per day', 'Limitry per day']) {
      await expect(legend).toContainText(entry);
    }
    await chart.scrollIntoViewIfNeeded();
    await screenshot(page, `period-chart-${colorScheme}`);
    // The table, by keyboard: focus the summary, open it with Enter.
    await chart.locator('summary').focus();
    await page.keyboard.press('Enter');
    const table = chart.getByRole('table');
    await expect(table).toBeVisible();
    await expect(table.getByRole('row')).toHaveCount(22);
    await expect(table.getByRole('row').nth(1)).toContainText('$500.00');
    await expect(table.getByRole('row').nth(1)).toContainText('$600.00');
    await expect(table.getByRole('columnheader')).toHaveText(['Day', 'TensorOne', 'Limitry', 'Day total', 'So far']);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });
}

test('the served demo dashboard shows the period chart (screenshots)', async ({ page }) => {
  const server = await startDemoServer();
  try {
    // Pictures of a settled page: while the demo's first refresh runs, the page reads every 2 s and
    // the layout grows as connections answer (under load it grew between a screenshot and its check).
    await firstRefreshDone(server);
    await page.setViewportSize({ width: 1200, height: 1000 });
    await page.goto(server.url);
    // The app itself, not the served first paint that shows the spend before it (renderer/src/firstPaint.ts).
    await expect(page.getByTestId('panel').getByTestId('spent')).toBeVisible();
    await page.getByRole('tab').nth(2).click();
    const chart = page.getByTestId('period-chart');
    await expect(chart.locator('canvas').first()).toBeVisible();
    // The README's pictures are copied from these (docs/dashboard-period.png, docs/period-chart.png).
    await liveScreenshot(page, 'served-period-light');
    await liveScreenshot(page, 'period-chart-served-light', chart);
  } finally {
    await server.stop();
  }
});

test('a new status document redraws the same chart instead of rebuilding it (update cost)', async ({ page }) => {
  await open(page);
  const canvas = page.getByTestId('period-chart').locator('canvas').first();
  await expect(canvas).toBeVisible();
  const drawn = await canvas.evaluate((element: HTMLCanvasElement) => element.toDataURL());
  const handle = await canvas.elementHandle();
  // Prod spends $1,000 more on its last day (the providers reported more).
  const next = withDaily();
  const workspaces = next.status.workspaces.map((w) =>
    w.id === 'prod'
      ? { ...w, spentUsd: w.spentUsd + 1000, dailySpendUsd: (w.dailySpendUsd ?? []).map((d, i, all) => (i === all.length - 1 ? { ...d, spentUsd: d.spentUsd + 1000, byProvider: { ...d.byProvider, tensorone: (d.byProvider.tensorone ?? 0) + 1000 } } : d)) }
      : w,
  );
  await page.evaluate((snapshot) => (window as unknown as { __pushSnapshot: (s: unknown) => void }).__pushSnapshot(snapshot), { ...next, status: { ...next.status, workspaces } });
  await expect(page.getByTestId('spent')).toHaveText('$17,339.20');
  // The same canvas element, with a new drawing.
  expect(await handle!.evaluate((element) => element.isConnected)).toBe(true);
  await expect.poll(() => handle!.evaluate((element: HTMLCanvasElement) => element.toDataURL())).not.toBe(drawn);
});

test('a redrawn chart has the same pixels as one drawn afresh with the same numbers (paths kept across redraws)', async ({ page }) => {
  const pixels = (target: Page) => target.getByTestId('period-chart').locator('canvas').first().evaluate((element: HTMLCanvasElement) => element.toDataURL());
  const prod = (snapshot: AppSnapshot) => snapshot.status.workspaces.find((w) => w.id === 'prod')!;
  const withProd = (snapshot: AppSnapshot, change: (w: AppSnapshot['status']['workspaces'][number]) => object): AppSnapshot => ({
    ...snapshot,
    status: { ...snapshot.status, workspaces: snapshot.status.workspaces.map((w) => (w.id === 'prod' ? { ...w, ...change(w) } : w)) },
  });
  const start = withDaily();
  // Only the headline moved (the bars and the budget lines keep their paths); then today's bar grew
  // (the bars are built again); then a bigger budget (the scale of the lines moved). Steps large
  // enough to move pixels, so each redraw is seen.
  const headline = withProd(start, (w) => ({ spentUsd: w.spentUsd + 500 }));
  const today = withProd(headline, (w) => ({
    spentUsd: w.spentUsd + 400,
    dailySpendUsd: (w.dailySpendUsd ?? []).map((d, i, all) => (i === all.length - 1 ? { ...d, spentUsd: d.spentUsd + 400, byProvider: { ...d.byProvider, limitry: (d.byProvider.limitry ?? 0) + 400 } } : d)),
  }));
  const budget = withProd(today, (w) => ({ budget: { ...w.budget!, amountUsd: 40_000 } }));
  await open(page);
  await expect(page.getByTestId('period-chart').locator('canvas').first()).toBeVisible();
  let drawn = await pixels(page);
  for (const next of [headline, today, budget]) {
    await page.evaluate((snapshot) => (window as unknown as { __pushSnapshot: (s: unknown) => void }).__pushSnapshot(snapshot), next);
    await expect(page.getByTestId('spent')).toHaveText(usd(prod(next).spentUsd));
    await expect.poll(() => pixels(page)).not.toBe(drawn);
    drawn = await pixels(page);
    // The same numbers in a new page: a chart drawn once, from new paths.
    const fresh = await page.context().newPage();
    await installFakeApi(fresh, { snapshot: next });
    await fresh.goto('/index.html');
    await expect(fresh.getByTestId('spent')).toHaveText(usd(prod(next).spentUsd));
    await expect(fresh.getByTestId('period-chart').locator('canvas').first()).toBeVisible();
    await expect.poll(() => pixels(fresh)).toBe(drawn);
    await fresh.close();
  }
});

test('numbers that move no pixel of the chart leave its drawing as it is, the picture a fresh chart draws from them (update cost)', async ({ page }) => {
  // Counts the redraws of the period chart: uPlot clears its whole canvas at each one.
  await page.addInitScript(() => {
    const clearRect = CanvasRenderingContext2D.prototype.clearRect;
    let clears = 0;
    CanvasRenderingContext2D.prototype.clearRect = function (this: CanvasRenderingContext2D, ...args: Parameters<typeof clearRect>) {
      if (this.canvas.closest('[data-testid="period-canvas"]')) clears += 1;
      clearRect.apply(this, args);
    };
    (window as unknown as { __chartClears: () => number }).__chartClears = () => clears;
  });
  const clears = () => page.evaluate(() => (window as unknown as { __chartClears: () => number }).__chartClears());
  const pixels = (target: Page) => target.getByTestId('period-chart').locator('canvas').first().evaluate((element: HTMLCanvasElement) => element.toDataURL());
  const push = (snapshot: AppSnapshot) => page.evaluate((next) => (window as unknown as { __pushSnapshot: (s: unknown) => void }).__pushSnapshot(next), snapshot);
  const prodSpent = (snapshot: AppSnapshot, usdMore: number): AppSnapshot => ({
    ...snapshot,
    status: { ...snapshot.status, workspaces: snapshot.status.workspaces.map((w) => (w.id === 'prod' ? { ...w, spentUsd: w.spentUsd + usdMore } : w)) },
  });
  await open(page);
  await expect(page.getByTestId('period-chart').locator('canvas').first()).toBeVisible();
  const drawn = await pixels(page);
  const before = await clears();
  expect(before).toBeGreaterThan(0);

  // $1 more on a chart of $20,000 (a pixel is about $130): today's point and the projection stay on their pixels.
  const dollar = prodSpent(withDaily(), 1);
  await push(dollar);
  await expect(page.getByTestId('spent')).toHaveText('$16,340.20');
  // A fresh chart of these numbers draws what is on the canvas.
  const fresh = await page.context().newPage();
  await installFakeApi(fresh, { snapshot: dollar });
  await fresh.goto('/index.html');
  await expect(fresh.getByTestId('spent')).toHaveText('$16,340.20');
  await expect(fresh.getByTestId('period-chart').locator('canvas').first()).toBeVisible();
  await expect.poll(() => pixels(fresh)).toBe(drawn);
  await fresh.close();

  // $500 more moves the line: one redraw, the only one since the page's first drawing.
  await push(prodSpent(withDaily(), 500));
  await expect(page.getByTestId('spent')).toHaveText('$16,839.20');
  await expect.poll(() => pixels(page)).not.toBe(drawn);
  expect(await clears()).toBe(before + 1);
});
