import { expect, test } from 'playwright/test';
import { launchDesktop, stopAll } from './harness';

test.afterEach(async () => {
  await stopAll();
});

test('the page sees window.burnrate and no require, process or ipcRenderer', async ({ browser }, testInfo) => {
  const app = await launchDesktop(browser, { dir: testInfo.outputPath('app') });
  const page = await app.popover();
  await expect.poll(() => page.evaluate(() => typeof (window as unknown as { burnrate?: unknown }).burnrate)).toBe('object');
  const globals = await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return { require: typeof w.require, process: typeof w.process, ipcRenderer: typeof w.ipcRenderer, module: typeof w.module, keys: Object.keys(w.burnrate as object).sort() };
  });
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', ipcRenderer: 'undefined', module: 'undefined', keys: expect.arrayContaining(['getSnapshot', 'onSnapshot']) });
  console.log(app.menuText(), app.state.tray);
});

test('shot', async ({ browser }, testInfo) => {
  const t0 = Date.now();
  const app = await launchDesktop(browser, { dir: testInfo.outputPath('app') });
  await app.waitForTray('title', (t) => t.title !== '');
  console.log('title after', Date.now() - t0, app.state.tray?.title);
  await app.clickTray();
  const page = await app.popover();
  console.log('popover after', Date.now() - t0);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: 'test-results/desktop/scratch.png' });
  console.log(app.menuText(), await app.consoleErrors());
  console.log(app.logs.slice(-2000));
});
