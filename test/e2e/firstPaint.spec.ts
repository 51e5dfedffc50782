/**
 * The served dashboard's first paint (renderer/src/firstPaint.ts): the page `burnrate demo` sends
 * with its status document draws the header, banner, tabs and overview before React has loaded,
 * and they are the app's own: the same markup and texts, the spend at the same place, for the All
 * view and a workspace chosen by the URL hash, wide and narrow. Both loads of a comparison get the
 * same page (one fetched HTML, so one status document): the first with the app's script refused
 * (only the first paint can draw), the second whole (the app replaces the first paint).
 */
import { expect, test, type Page } from 'playwright/test';
import type { StatusDocument } from '../../preload/api';
import { seriousViolations } from './axe';
import { collectErrors, liveScreenshot, startDemoServer, usd, type DemoServer } from './support';

test.describe.configure({ mode: 'serial' });
test.use({ locale: 'en-US', timezoneId: 'UTC', colorScheme: 'dark' });

let server: DemoServer;
/** One page as the server sent it, with its data block. */
let html: string;
let status: StatusDocument;

test.beforeAll(async () => {
  server = await startDemoServer();
  // The page carries its document (and the first paint) once every connection has answered.
  await expect
    .poll(async () => {
      html = await (await fetch(server.url)).text();
      return html.includes('id="burnrate-status"');
    })
    .toBe(true);
  status = JSON.parse(/<script type="application\/json" id="burnrate-status">([\s\S]*?)<\/script>/.exec(html)![1]!) as StatusDocument;
});

test.afterAll(async () => {
  await server?.stop();
});

/** Opens the dashboard with `page` answering `body` for the page itself; `app: false` refuses the app's script. */
async function open(page: Page, hash: string, app: boolean, body = html): Promise<void> {
  await page.route(
    (url) => url.pathname === '/',
    (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body }),
  );
  if (!app) await page.route(/\/assets\/index-[\w-]+\.js/, (route) => route.abort());
  await page.goto(`${server.url}${hash}`);
}

interface Screen {
  readonly overview: string;
  readonly brand: string;
  readonly freshness: string;
  readonly banner: string | null;
  readonly tabs: Array<{ text: string; selected: string | null }>;
  readonly grid: string;
  readonly title: string;
  readonly spent: { x: number; y: number; width: number; height: number };
}

/** What a screen shows at the top: markup of the overview, brand and banner, the tabs, the layout and where the spend sits. */
async function screen(page: Page, root: string): Promise<Screen> {
  const spent = await page.locator(`${root} [data-testid="spent"]`).boundingBox();
  const facts = await page.evaluate((selector) => {
    const scope = document.querySelector(selector)!;
    const html = (css: string) => scope.querySelector(css)?.outerHTML ?? null;
    return {
      overview: html('section.overview')!,
      brand: html('.header__brand')!,
      freshness: scope.querySelector('.header__freshness')?.textContent ?? '',
      banner: html('.demo-banner'),
      tabs: [...scope.querySelectorAll('.tabs .tab')].map((tab) => ({ text: tab.textContent ?? '', selected: tab.getAttribute('aria-selected') })),
      grid: scope.querySelector('.panel-grid')!.className,
      title: document.title,
    };
  }, root);
  return { ...facts, spent: spent! };
}

for (const view of [
  { name: 'All, wide', hash: '', viewport: { width: 1180, height: 860 } },
  { name: 'All, narrow', hash: '', viewport: { width: 380, height: 640 } },
  { name: 'a workspace chosen by the hash, wide', hash: 'second', viewport: { width: 1180, height: 860 } },
]) {
  test(`the first paint is the app's first screen: ${view.name}`, async ({ page }) => {
    await page.setViewportSize(view.viewport);
    const hash = view.hash === 'second' ? `#w=${encodeURIComponent(status.workspaces[1]!.id)}` : '';
    const selected = view.hash === 'second' ? status.workspaces[1]! : null;

    // The app's script refused: what shows is the first paint alone, with the real numbers.
    await open(page, hash, false);
    const first = page.getByTestId('first-paint');
    await expect(first).toBeVisible();
    await expect(page.getByTestId('spent')).toHaveText(usd(selected ? selected.spentUsd : status.all!.spentUsd));
    // The dates follow the frame that shows the numbers.
    await expect(first.getByTestId('freshness')).toHaveText(/^Updated /);
    const painted = await screen(page, '[data-testid="first-paint"]');
    await liveScreenshot(page, `first-paint-${view.viewport.width}${view.hash ? '-workspace' : ''}`);
    // What people meet first is accessible too (its tabs are hidden from assistive technology until the real ones come).
    expect(await seriousViolations(page)).toEqual([]);

    // The whole page: the app replaces the first paint with the same screen.
    const errors = collectErrors(page);
    await page.unrouteAll();
    // A fresh document (the same URL with a hash would only be a fragment navigation).
    await page.goto('about:blank');
    // Records whether the first paint was drawn before the app's commit replaced it.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelector('[data-testid="first-paint"] [data-testid="spent"]')) {
          (window as unknown as { __firstPaint: boolean }).__firstPaint = true;
          observer.disconnect();
        }
      }).observe(document, { subtree: true, childList: true });
    });
    await open(page, hash, true);
    await expect(page.getByRole('tab', { name: selected ? new RegExp(selected.name) : 'All' })).toHaveAttribute('aria-selected', 'true');
    await expect(first).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __firstPaint?: boolean }).__firstPaint)).toBe(true);
    const live = await screen(page, '#root');
    expect(painted.overview).toBe(live.overview);
    expect(painted.brand).toBe(live.brand);
    expect(painted.freshness).toBe(live.freshness);
    expect(painted.banner).toBe(live.banner);
    expect(painted.tabs).toEqual(live.tabs);
    expect(painted.grid).toBe(live.grid);
    expect(painted.title).toBe(live.title);
    // The spend does not move when the app takes over.
    for (const key of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(painted.spent[key] - live.spent[key]), key).toBeLessThanOrEqual(1);
    expect(errors).toEqual([]);
  });
}

test('the spend is drawn before any Intl format exists and before the app is fetched (en-US)', async ({ page }) => {
  // The first Intl format of a fresh page costs 30-70 ms of ICU set-up, and the app is 240 KB:
  // both come after the frame that shows the numbers.
  await page.addInitScript(() => {
    const seen: { spentMs?: number; intlWithSpend?: boolean[]; intlByFrameTask?: number } = {};
    (window as unknown as { __seen: typeof seen }).__seen = seen;
    const spent = () => document.querySelector('[data-testid="first-paint"] [data-testid="spent"]') !== null;
    for (const name of ['NumberFormat', 'DateTimeFormat', 'PluralRules'] as const) {
      const Original = Intl[name] as unknown as new (...args: unknown[]) => object;
      const Wrapped = function (...args: unknown[]) {
        (seen.intlWithSpend ??= []).push(seen.spentMs !== undefined || spent());
        return new Original(...args);
      };
      Object.defineProperty(Intl, name, { value: Wrapped, configurable: true, writable: true });
    }
    new MutationObserver((_, observer) => {
      if (spent()) {
        seen.spentMs = performance.now();
        observer.disconnect();
        // A task queued by the frame that shows the spend (as a page's own work or input would be).
        requestAnimationFrame(() => setTimeout(() => (seen.intlByFrameTask = seen.intlWithSpend?.length ?? 0), 0));
      }
    }).observe(document, { subtree: true, childList: true });
  });
  await open(page, '', true);
  await expect(page.locator('[data-testid="panel"] [data-testid="spent"]')).toBeVisible();
  const seen = await page.evaluate(() => {
    const { spentMs, intlWithSpend, intlByFrameTask } = (window as unknown as { __seen: { spentMs?: number; intlWithSpend?: boolean[]; intlByFrameTask?: number } }).__seen;
    const app = performance.getEntriesByType('resource').find((entry) => /\/assets\/index-[\w-]+\.js/.test(entry.name));
    return { spentMs, intlWithSpend, intlByFrameTask, appFetchMs: app?.startTime };
  });
  expect(seen.spentMs).toBeDefined();
  // Formats were made (the dates, then the app), every one of them after the spend was drawn.
  expect(seen.intlWithSpend?.length).toBeGreaterThan(0);
  expect(seen.intlWithSpend?.every(Boolean)).toBe(true);
  expect(seen.appFetchMs).toBeGreaterThan(seen.spentMs!);
  // The dates' ICU set-up is a task of its own: a task queued by that frame runs before it.
  expect(seen.intlByFrameTask).toBe(0);
});

test('hostile names stay text in the first paint, under the page CSP', async ({ page }) => {
  const hostile = '<img src=x onerror="window.__pwned=1"></span><script>window.__pwned=2</script>';
  const document = { ...status, workspaces: status.workspaces.map((w, i) => (i === 0 ? { ...w, name: hostile } : w)) };
  // The same escaping as the server's data block (main/services/dashboardPage.ts, inlineJson).
  const block = JSON.stringify(document).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  const body = html.replace(/(<script type="application\/json" id="burnrate-status">)[\s\S]*?(<\/script>)/, (_, open: string, close: string) => `${open}${block}${close}`);
  await open(page, `#w=${encodeURIComponent(status.workspaces[0]!.id)}`, false, body);
  await expect(page.getByTestId('first-paint')).toBeVisible();
  await expect(page.locator('[data-testid="first-paint"] .tab__name').first()).toHaveText(hostile);
  await expect(page.locator('[data-testid="first-paint"] section.overview')).toHaveAttribute('aria-label', `${hostile} spend`);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(page.locator('[data-testid="first-paint"] img, [data-testid="first-paint"] script')).toHaveCount(0);
});
