/**
 * The tray app end to end through the harness (issue 12's list): first run → demo, switching
 * workspaces from the menu / a shortcut / the popover, one notification per crossing that opens
 * its workspace, pause and quiet hours holding it back, quit flushing, relaunch from the cache.
 * Providers are loopback fakes over real HTTP; the app is the built bundle.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect, test, type Page } from 'playwright/test';
import type { SpendApi } from '../../preload/api';
import { startTeam, TEAM_KEYS, type TeamFakes } from './fixtures';
import { launchDesktop, stopAll, type DesktopApp, type LaunchOptions } from './harness';

const SHOTS = 'test-results/desktop';
let team: TeamFakes | undefined;

test.afterEach(async () => {
  await stopAll();
  await team?.stop();
  team = undefined;
});

type BurnrateWindow = Window & { burnrate: SpendApi };

/** The app configured with the two-workspace team (imported from the CLI config on first start). */
async function launchTeam(browser: Parameters<typeof launchDesktop>[0], dir: string, options: Partial<LaunchOptions> = {}): Promise<DesktopApp> {
  const configFile = join(dir, 'cli-config.json');
  if (!team) team = await startTeam(configFile);
  return launchDesktop(browser, { dir, env: { BURNRATE_CONFIG: configFile }, ...options });
}

/** Waits until both workspaces have fresh numbers in the tray menu. */
async function waitForNumbers(app: DesktopApp): Promise<void> {
  await app.waitForTray('both workspaces with spend', (tray) => {
    const labels = (tray.menu ?? []).map((item) => item.label);
    return labels.some((l) => /^Research — \$[1-9]/.test(l)) && labels.some((l) => /^Prod — \$[1-9]/.test(l));
  });
}

const requestCount = (): number => (team ? team.research.server.requests.length + team.prod.server.requests.length : 0);

/** Refreshes through the popover's own API (resolves once the refresh has finished), then syncs the state. */
async function refresh(app: DesktopApp, page: Page): Promise<void> {
  const result = await page.evaluate(() => (window as unknown as BurnrateWindow).burnrate.refreshNow());
  expect(result.ok).toBe(true);
  await app.syncState();
}

async function saveMenuShot(app: DesktopApp, page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const text = app.menuText();
  writeFileSync(join(SHOTS, `${name}.txt`), `${app.state.tray?.title ?? ''}\n\n${text}\n`);
  const shot = await page.context().newPage();
  await shot.setContent(`<pre style="font: 14px/1.5 monospace; padding: 12px; margin: 0; background: #f4f6f8">${escapeHtml(`Tray title: ${app.state.tray?.title ?? ''}\n\n${text}`)}</pre>`);
  await shot.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await shot.close();
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

test('1. first run: nothing configured, onboarding in the popover; choosing demo data marks the tray title DEMO', async ({ browser }, testInfo) => {
  const app = await launchDesktop(browser, { dir: testInfo.outputPath('app') });
  const tray = await app.waitForTray('first-run tooltip', (t) => t.tooltip.includes('no workspaces'));
  expect(tray.title).toBe('');
  expect(tray.menu?.map((item) => item.label)).not.toContain('All workspaces');
  await app.clickTray();
  const page = await app.popover();
  await app.waitFor('popover shown', (state) => state.windows[0]?.visible);
  const snapshot = await page.evaluate(() => (window as unknown as BurnrateWindow).burnrate.getSnapshot());
  expect(snapshot).toMatchObject({ ok: true, value: { setup: { mode: 'unconfigured' } } });
  await page.screenshot({ path: join(SHOTS, 'onboarding.png') });

  expect(await page.evaluate(() => (window as unknown as BurnrateWindow).burnrate.chooseDemo(true).then((r) => r.ok))).toBe(true);
  const demo = await app.waitForTray('DEMO title with numbers', (t) => /^DEMO (⚠ |! )?\$[1-9]/.test(t.title));
  expect(demo.tooltip).toContain('demo data');
  await saveMenuShot(app, page, 'tray-menu-demo');
  await page.screenshot({ path: join(SHOTS, 'glance-demo.png') });
});

test('3. switching workspaces from the tray menu, a global shortcut and the popover never refetches', async ({ browser }, testInfo) => {
  const app = await launchTeam(browser, testInfo.outputPath('app'));
  await waitForNumbers(app);
  expect(app.state.shortcuts).toEqual(expect.arrayContaining(['CommandOrControl+Alt+B', 'CommandOrControl+Alt+1', 'CommandOrControl+Alt+2']));
  // The numbers show once this period is in; each connection then fetches the previous period (for
  // the forecast) in the same refresh. A refresh now joins those in flight and ends when all have.
  await refresh(app, await app.popover());
  const before = requestCount();

  await app.clickMenuItem('Prod');
  const prod = await app.waitForTray('Prod selected', (t) => t.tooltip.includes('Prod:') && !t.tooltip.includes('Research:'));
  expect(prod.menu?.find((item) => item.label.startsWith('Prod — '))?.checked).toBe(true);

  await app.fireShortcut('CommandOrControl+Alt+1');
  await app.waitForTray('Research selected', (t) => t.tooltip.includes('Research:') && !t.tooltip.includes('Prod:'));
  await app.waitFor('the shortcut shows the popover', (state) => state.windows[0]?.visible);

  const page = await app.popover();
  await page.getByRole('tab', { name: /Prod/ }).click();
  await app.waitForTray('Prod selected from the popover', (t) => t.tooltip.includes('Prod:') && !t.tooltip.includes('Research:'));
  await page.getByRole('tab', { name: /^All/ }).click();
  await app.waitForTray('all workspaces', (t) => t.tooltip.includes('Prod:') && t.tooltip.includes('Research:'));

  await app.fireShortcut('CommandOrControl+Alt+B');
  await app.waitFor('the toggle shortcut hides the popover', (state) => state.windows[0]?.visible === false);
  expect(requestCount()).toBe(before);
  await page.screenshot({ path: join(SHOTS, 'glance.png') });
  await saveMenuShot(app, page, 'tray-menu');
});

test('4. a budget threshold crossed in the fake: exactly one notification; clicking it opens that workspace', async ({ browser }, testInfo) => {
  const app = await launchTeam(browser, testInfo.outputPath('app'));
  await waitForNumbers(app);
  const page = await app.popover();
  team!.crossThreshold();
  // A crossing is confirmed by two consecutive complete observations.
  await refresh(app, page);
  await app.waitForTray('warning icon', (t) => t.iconPath?.endsWith('trayWarningTemplate.png') ?? false);
  await refresh(app, page);
  const [notification] = await app.waitForNotifications(1);
  expect(notification?.title).toMatch(/^Research passed 50% of its \$[\d,]+ budget$/);
  expect(notification?.wait).toBe(true);
  await refresh(app, page);
  expect((await app.syncState()).notifications).toHaveLength(1);

  await app.clickMenuItem('Prod');
  await app.waitForTray('Prod selected', (t) => !t.tooltip.includes('Research:'));
  await app.clickNotification(notification!.id);
  await app.waitFor('the popover opened', (state) => state.windows[0]?.visible);
  await app.waitForTray('Research selected by the click', (t) => t.tooltip.includes('Research:') && !t.tooltip.includes('Prod:'));
  await expect(page.getByRole('tab', { name: /Research/, selected: true })).toBeVisible();
});

test('5. pause and quiet hours hold the next notification back; it is shown once they end', async ({ browser }, testInfo) => {
  const app = await launchTeam(browser, testInfo.outputPath('app'));
  await waitForNumbers(app);
  const page = await app.popover();
  await app.clickMenuItem('Pause notifications', 'For 1 hour');
  await app.waitForTray('paused in the menu', (t) => t.menu?.some((item) => item.label === 'Notifications paused') ?? false);
  team!.crossThreshold();
  await refresh(app, page);
  await refresh(app, page);
  await refresh(app, page);
  expect(app.state.notifications).toEqual([]);

  // Quiet hours around now (local time of this machine), then resume the pause: still held.
  const now = new Date();
  const hhmm = (d: Date) => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  const quietHours = { enabled: true, start: hhmm(new Date(now.getTime() - 3_600_000)), end: hhmm(new Date(now.getTime() + 3_600_000)) };
  const saved = await page.evaluate((q) => (window as unknown as BurnrateWindow).burnrate.savePreferences({ notifications: { quietHours: q } }), quietHours);
  expect(saved.ok).toBe(true);
  await app.clickMenuItem('Notifications paused', 'Resume notifications');
  await app.waitForTray('resumed', (t) => t.menu?.some((item) => item.label === 'Pause notifications') ?? false);
  await refresh(app, page);
  expect(app.state.notifications).toEqual([]);

  await page.evaluate((q) => (window as unknown as BurnrateWindow).burnrate.savePreferences({ notifications: { quietHours: { ...q, enabled: false } } }), quietHours);
  await refresh(app, page);
  const shown = await app.waitForNotifications(1);
  expect(shown.map((n) => n.title)).toEqual([expect.stringMatching(/^Research passed 50%/)]);
});

test('6 + 7. quit waits for the final save; a relaunch shows the cached numbers before any request finishes', async ({ browser }, testInfo) => {
  const dir = testInfo.outputPath('app');
  const app = await launchTeam(browser, dir);
  await waitForNumbers(app);
  const before = app.state.tray!;
  const database = join(dir, 'userData', 'burnrate.sqlite');
  // Refreshes are committed to the spend database's write-ahead log as they happen; only a clean
  // close (the final save) folds the log into the database file and removes it.
  await expect.poll(() => existsSync(`${database}-wal`)).toBe(true);
  await app.clickMenuItem('Quit Burnrate');
  expect(await app.exited).toBe(0);
  expect(existsSync(`${database}-wal`)).toBe(false);
  const db = new DatabaseSync(database, { readOnly: true });
  const saved = db.prepare("SELECT key FROM connections WHERE namespace = 'desktop' ORDER BY key").all().map((row) => row.key);
  const fetched = db.prepare("SELECT COUNT(*) AS n FROM fetches WHERE slot = 'current'").get() as { n: number };
  db.close();
  expect(saved).toContain('research/baseten');
  expect(fetched.n).toBeGreaterThan(0);
  const bytes = readFileSync(database, 'latin1');
  for (const key of TEAM_KEYS) expect(bytes).not.toContain(key);

  // Every provider now hangs: whatever the relaunch shows comes from the cache.
  team!.research.server.inject({ type: 'hang' }, { times: Number.POSITIVE_INFINITY });
  team!.prod.server.inject({ type: 'hang' }, { times: Number.POSITIVE_INFINITY });
  const requestsBefore = requestCount();
  const again = await launchTeam(browser, dir);
  const cached = await again.waitForTray('cached numbers', (t) => t.title !== '');
  expect(cached.title.split(' · ')[0]).toBe(before.title.split(' · ')[0]);
  expect(again.state.tray?.menu?.map((item) => item.label)).toEqual(before.menu?.map((item) => item.label));
  await again.clickTray();
  const page = await again.popover();
  await expect(page.getByText(/\$[1-9]/).first()).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'glance-from-cache.png') });
  // The relaunch did ask the providers; none has answered.
  await expect.poll(() => requestCount()).toBeGreaterThan(requestsBefore);
  const snapshot = await page.evaluate(() => (window as unknown as BurnrateWindow).burnrate.getSnapshot());
  expect(snapshot).toMatchObject({ ok: true, value: { fromCache: true } });
});

test('a second launch opens the running popover and exits', async ({ browser }, testInfo) => {
  const dir = testInfo.outputPath('app');
  const first = await launchDesktop(browser, { dir });
  await first.waitForTray('tray', () => true);
  await first.popover();
  expect(first.state.windows[0]?.visible).toBe(false);
  const second = await launchDesktop(browser, { dir });
  expect(await second.exited).toBe(0);
  await first.waitFor('the first instance shows its popover', (state) => state.windows[0]?.visible);
});

test('a shortcut the OS refuses is said in words; the others still work; another one chosen in Settings works at once', async ({ browser }, testInfo) => {
  const app = await launchDesktop(browser, { dir: testInfo.outputPath('app'), refusedShortcuts: ['CommandOrControl+Alt+B'] });
  const tray = await app.waitForTray('notice in the menu', (t) => t.menu?.[0]?.label.startsWith('⚠') ?? false);
  expect(tray.menu?.[0]).toMatchObject({ label: '⚠ The shortcut Cmd+Option+B is taken by another app or the system. Choose another one in Settings.', enabled: false });
  expect(app.state.shortcuts).not.toContain('CommandOrControl+Alt+B');
  expect(app.state.shortcuts).toContain('CommandOrControl+Alt+1');
  await expect.poll(() => app.logs).toContain('The shortcut Cmd+Option+B is taken');
  const page = await app.popover();
  await expect(page.getByTestId('shell-notice')).toHaveText('The shortcut Cmd+Option+B is taken by another app or the system. Choose another one in Settings.');

  // Choosing another one in Settings registers it at once, and the notice goes away.
  const saved = await page.evaluate(() =>
    (window as unknown as BurnrateWindow).burnrate.savePreferences({ shortcuts: { togglePopover: 'CommandOrControl+Alt+P', workspacePrefix: 'CommandOrControl+Shift' } }),
  );
  expect(saved.ok).toBe(true);
  const state = await app.waitFor('new shortcuts', (s) => (s.shortcuts.includes('CommandOrControl+Alt+P') ? s : undefined));
  expect(state.shortcuts).toContain('CommandOrControl+Shift+1');
  expect(state.shortcuts).not.toContain('CommandOrControl+Alt+1');
  await app.waitForTray('notice gone', (t) => !(t.menu?.[0]?.label.startsWith('⚠') ?? true));
  await app.fireShortcut('CommandOrControl+Alt+P');
  await app.waitFor('the new shortcut toggles the popover', (s) => s.windows[0]?.visible);
});

test('a packaged build ignores ELECTRON_RENDERER_URL and loads its own renderer', async ({ browser }, testInfo) => {
  const app = await launchDesktop(browser, { dir: testInfo.outputPath('app'), isPackaged: true, env: { ELECTRON_RENDERER_URL: 'http://127.0.0.1:9/evil' } });
  const page = await app.popover();
  expect(page.url()).toMatch(/^http:\/\/burnrate\.invalid\/index\.html$/);
  expect(app.state.windows[0]?.url).toMatch(/^file:\/\/.*\/out\/renderer\/index\.html$/);
  await expect.poll(() => app.logs).toContain('ELECTRON_RENDERER_URL is ignored in a packaged build');
  // Packaged icons come from the resources folder.
  expect(app.state.tray?.iconPath).toContain(join('resources', 'tray'));
});

test('menu: Settings… opens the popover, About names the version, Refresh now asks the providers, resume after sleep refreshes', async ({ browser }, testInfo) => {
  const app = await launchTeam(browser, testInfo.outputPath('app'));
  await waitForNumbers(app);
  const page = await app.popover();
  await app.clickMenuItem('Settings…');
  await app.waitFor('popover shown for settings', (state) => state.windows[0]?.visible);
  await expect(page.getByTestId('settings')).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'settings.png') });
  // A shortcut to a workspace goes back to the glance view.
  await app.fireShortcut('CommandOrControl+Alt+2');
  await expect(page.getByTestId('settings')).toHaveCount(0);
  await expect(page.getByRole('tab', { name: /Prod/, selected: true })).toBeVisible();
  const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
  await app.clickMenuItem(`About Burnrate ${version}`);
  await app.waitFor('about panel', (state) => state.shellCalls.find((c) => c.api === 'showAboutPanel'));
  expect(app.state.shellCalls).toContainEqual({ api: 'showAboutPanel', target: `Burnrate ${version}` });

  const before = requestCount();
  await app.clickMenuItem('Refresh now');
  await expect.poll(() => requestCount()).toBeGreaterThan(before);

  const beforeResume = requestCount();
  await app.power('suspend');
  await app.power('resume');
  await expect.poll(() => requestCount()).toBeGreaterThan(beforeResume);
});

test('a notification the OS cannot show is logged once and breaks nothing', async ({ browser }, testInfo) => {
  const app = await launchTeam(browser, testInfo.outputPath('app'), { notificationFailure: 'notify-send: org.freedesktop.Notifications is not available' });
  await waitForNumbers(app);
  const page = await app.popover();
  team!.crossThreshold();
  await refresh(app, page);
  await refresh(app, page);
  await app.waitForNotifications(1);
  await refresh(app, page);
  await refresh(app, page);
  const log = readFileSync(join(testInfo.outputPath('app'), 'userData', 'logs', 'burnrate.log'), 'utf8');
  expect(log.match(/Notification not shown/g)).toHaveLength(1);
  expect(app.state.notifications.every((n) => !n.delivered)).toBe(true);
  await app.waitForTray('still running, over the threshold', (t) => t.iconPath?.endsWith('trayWarningTemplate.png') ?? false);
});
