/**
 * The harness itself, and the popover's hardening as the built app sets it up: the preload's
 * isolation, IPC validation over the wire, the CSP header, navigation and window.open denial.
 */
import { expect, test } from 'playwright/test';
import { APP_ORIGIN, launchDesktop, stopAll } from './harness';

test.afterEach(async () => {
  await stopAll();
});

type BurnrateWindow = Window & { burnrate: { selectWorkspace(id: unknown): Promise<unknown>; getSnapshot(): Promise<{ ok: boolean }> } };

test('the page sees window.burnrate and no require, process or ipcRenderer', async ({ browser }, testInfo) => {
  const app = await launchDesktop(browser, { dir: testInfo.outputPath('app') });
  const page = await app.popover();
  await expect.poll(() => page.evaluate(() => typeof (window as unknown as { burnrate?: unknown }).burnrate)).toBe('object');
  const globals = await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return {
      require: typeof w.require,
      process: typeof w.process,
      ipcRenderer: typeof w.ipcRenderer,
      module: typeof w.module,
      electron: typeof w.electron,
      frozen: Object.isFrozen(w.burnrate),
      keys: Object.keys(w.burnrate as object).sort(),
    };
  });
  expect(globals).toEqual({
    require: 'undefined',
    process: 'undefined',
    ipcRenderer: 'undefined',
    module: 'undefined',
    electron: 'undefined',
    frozen: true,
    keys: expect.arrayContaining(['getSnapshot', 'onSnapshot', 'refreshNow', 'selectWorkspace']),
  });
  // Over the wire to main and back: a real snapshot (first run: nothing configured yet).
  const snapshot = await page.evaluate(() => (window as unknown as BurnrateWindow).burnrate.getSnapshot());
  expect(snapshot).toMatchObject({ ok: true, value: { status: { workspaces: [] }, selectedWorkspaceId: null } });
});

test('main validates what the page sends: a malformed request is refused with a value, not a crash', async ({ browser }, testInfo) => {
  const app = await launchDesktop(browser, { dir: testInfo.outputPath('app') });
  const page = await app.popover();
  const answers = await page.evaluate(async () => {
    const api = (window as unknown as BurnrateWindow).burnrate;
    return [await api.selectWorkspace(42), await api.selectWorkspace('x'.repeat(500)), await api.selectWorkspace('no-such-workspace')];
  });
  expect(answers).toEqual([
    { ok: false, error: { kind: 'bad_request', field: 'workspaceId', message: 'Invalid request for burnrate:select-workspace: workspaceId must be a string.' } },
    { ok: false, error: { kind: 'bad_request', field: 'workspaceId', message: 'Invalid request for burnrate:select-workspace: workspaceId is too long or too large.' } },
    { ok: false, error: { kind: 'internal', message: 'Unknown workspace "no-such-workspace".' } },
  ]);
  // Still alive and answering.
  expect(await page.evaluate(() => (window as unknown as BurnrateWindow).burnrate.getSnapshot().then((r) => r.ok))).toBe(true);
});

test('the popover gets the CSP header, and may neither navigate away nor open windows', async ({ browser }, testInfo) => {
  const app = await launchDesktop(browser, { dir: testInfo.outputPath('app') });
  const page = await app.popover();
  const csp = await page.evaluate(async () => (await fetch('./index.html')).headers.get('content-security-policy'));
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");

  const before = page.url();
  await page.evaluate((origin) => {
    location.href = `${origin}/assets/elsewhere.html`;
  }, APP_ORIGIN);
  await expect.poll(() => page.evaluate(() => typeof (window as unknown as { burnrate?: unknown }).burnrate)).toBe('object');
  expect(page.url()).toBe(before);

  // Electron asks setWindowOpenHandler before any window exists; the harness closes a refused one.
  const popup = page.waitForEvent('popup');
  await page.evaluate(() => void window.open('https://example.com/', '_blank'));
  const opened = await popup;
  if (!opened.isClosed()) await opened.waitForEvent('close');
  expect(app.openRequests.map((r) => r.allowed)).toEqual([false]);
});
