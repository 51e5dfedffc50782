/**
 * Onboarding and settings of the tray app, in real Chromium against the built renderer, with a
 * fake preload API that answers like main (test/e2e/settingsFake.ts). What main does with the
 * answers (vault, schema, engine) is tested in main/services; here: what a person sees and does.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type Page } from 'playwright/test';
import type { AppSnapshot, SettingsView, SetupState } from '../../preload/api';
import { emptySettingsView, installSettingsFake, type SettingsFakeOptions } from './settingsFake';
import { collectErrors, fixtureSnapshot, installFakeApi, recordedCalls, screenshot } from './support';

const test = base.extend<{ errors: string[] }>({
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

const GOOD_KEY = 'bt_live_0123456789ab7f3a';

function live(): AppSnapshot {
  const snapshot = fixtureSnapshot();
  return { ...snapshot, status: { ...snapshot.status, demo: false } };
}

async function open(page: Page, options: { setup?: SetupState; settings?: SettingsView; holdTest?: boolean } = {}): Promise<void> {
  const fake: SettingsFakeOptions = {
    liveSnapshot: live(),
    setup: options.setup ?? { mode: 'unconfigured', problems: [] },
    settings: options.settings ?? emptySettingsView(),
    goodKey: GOOD_KEY,
    ...(options.holdTest ? { holdTest: true } : {}),
  };
  await installSettingsFake(page, fake);
  await page.goto('/index.html');
}

/** axe-core findings as "rule: element" lines (empty when the page passes). */
async function accessibilityViolations(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

const calls = async (page: Page, method: string) => (await recordedCalls(page)).filter((c) => c.method === method).map((c) => c.args);

/** A configured app: one workspace with a stored Baseten key. */
function configuredSettings(patch: Partial<SettingsView> = {}): SettingsView {
  return emptySettingsView({
    workspaces: [
      {
        id: 'research',
        name: 'Research',
        timeZone: null,
        budget: { amountUsd: 20000, period: 'month', cycleStartDay: null, thresholdsPercent: [50, 75, 90, 100] },
        period: 'month',
        forecastAlerts: true,
        connections: [{ id: 'baseten', provider: 'baseten', name: null, settings: {}, key: { source: 'keychain', masked: '••••7f3a' } }],
      },
      { id: 'prod', name: 'Prod', timeZone: 'UTC', budget: null, period: 'month', forecastAlerts: false, connections: [] },
    ],
    ...patch,
  });
}

async function openSettings(page: Page, tab?: string): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeFocused();
  if (tab) await page.getByRole('tab', { name: tab }).click();
}

test('first run offers "Try demo data" and "Add a provider", never demo numbers on its own', async ({ page }) => {
  await open(page);
  const onboarding = page.getByTestId('onboarding');
  await expect(onboarding.getByRole('heading', { name: 'Welcome to Burnrate' })).toBeVisible();
  await expect(onboarding.getByRole('button', { name: 'Add a provider' })).toBeVisible();
  await expect(onboarding.getByRole('button', { name: 'Try demo data' })).toBeVisible();
  await expect(page.getByRole('note', { name: 'Demo data' })).toHaveCount(0);
  await expect(page.getByTestId('spent')).toHaveCount(0);
  await screenshot(page, 'onboarding-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await screenshot(page, 'onboarding-light');
  expect(await accessibilityViolations(page)).toEqual([]);
});

test('"Try demo data" shows labelled demo numbers and the way to add a provider', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Try demo data' }).click();
  await expect(page.getByRole('note', { name: 'Demo data' })).toBeVisible();
  await expect(page.getByTestId('spent')).toHaveText('$28,827.37');
  expect(await calls(page, 'chooseDemo')).toEqual([[true]]);
  await page.getByTestId('demo-setup').getByRole('button', { name: 'Add a provider' }).click();
  await expect(page.getByTestId('connection-form').getByRole('heading', { name: 'Add a provider' })).toBeVisible();
});

test('from nothing to live numbers: pick a provider, a wrong key is refused in words, the right one brings the numbers', async ({ page }) => {
  await open(page, { holdTest: true });
  await page.getByRole('button', { name: 'Add a provider' }).click();
  const form = page.getByTestId('connection-form');
  await form.getByRole('radio', { name: 'Baseten' }).check();
  await expect(form.getByLabel('Baseten API key')).toHaveAttribute('type', 'password');
  // The generated form: Baseten's one setting, with its default as placeholder.
  await expect(form.getByLabel('API base URL (optional)')).toHaveAttribute('placeholder', 'https://api.baseten.co');
  await form.getByLabel('Baseten API key').fill('bt_live_wrong_key_000000');
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByRole('progressbar', { name: 'Testing the Baseten connection' })).toBeVisible();
  await expect(form.getByRole('button', { name: 'Test connection' })).toBeDisabled();
  await page.evaluate(() => (window as unknown as { __finishTest: () => void }).__finishTest());
  await expect(form.getByRole('alert')).toHaveText('Key refused: Baseten rejected the API key (401 Unauthorized).');
  await expect(form.getByLabel('Baseten API key')).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, 'settings-wrong-key-dark');

  await form.getByLabel('Baseten API key').fill(GOOD_KEY);
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('spent')).toHaveText('$28,827.37');
  await expect(page.getByTestId('settings')).toHaveCount(0);
  expect(await calls(page, 'saveWorkspace')).toEqual([[{ id: null, name: 'My workspace', timeZone: null, budget: null, period: 'month', forecastAlerts: false }]]);
  const [[saved]] = (await calls(page, 'saveConnection')) as [[Record<string, unknown>]];
  expect(saved).toEqual({ workspaceId: 'my-workspace', id: null, provider: 'baseten', name: null, settings: {}, apiKey: GOOD_KEY, apiKeyEnv: null, allowObfuscatedKey: false });

  // The key never comes back: settings show it masked only.
  await openSettings(page);
  await expect(page.getByTestId('connection-row-baseten')).toContainText('Key ••••7f3a');
  await expect(page.locator('body')).not.toContainText(GOOD_KEY);
});

test('each provider gets its own form; the schema problem appears beside its field', async ({ page }) => {
  await open(page, { setup: { mode: 'configured', problems: [] }, settings: configuredSettings() });
  await openSettings(page);
  await page.getByRole('button', { name: 'Add a provider' }).click();
  const form = page.getByTestId('connection-form');
  await form.getByRole('radio', { name: 'Simplismart' }).check();
  await expect(form.getByRole('group', { name: 'Plan types (optional)' }).getByRole('checkbox')).toHaveCount(6);
  await expect(form.getByLabel('Deployment ids (optional)')).toBeVisible();
  await form.getByRole('radio', { name: 'Civis' }).check();
  await expect(form.getByLabel('Organization ID', { exact: true })).toHaveAttribute('aria-required', 'true');
  await form.getByLabel('Civis API key').fill('civis_key_1234567890');
  await form.getByLabel('US dollars per credit (optional)').fill('0.5');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByLabel('Organization ID', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('orgId is required: the numeric id of your Civis organization')).toBeVisible();
  await form.getByLabel('Organization ID', { exact: true }).fill('7');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('connection-row-civis')).toContainText('Key ••••7890');
  const saves = (await calls(page, 'saveConnection')).map(([input]) => (input as { settings: unknown }).settings);
  expect(saves).toEqual([{ usdPerCredit: '0.5' }, { orgId: '7', usdPerCredit: '0.5' }]);
});

test('editing a connection keeps its key unless a new one is typed; removing asks first', async ({ page }) => {
  await open(page, { setup: { mode: 'configured', problems: [] }, settings: configuredSettings() });
  await openSettings(page);
  await page.getByRole('button', { name: 'Edit Baseten' }).click();
  const form = page.getByTestId('connection-form');
  await expect(form.getByLabel('Baseten API key')).toHaveValue('');
  await expect(form.getByLabel('Baseten API key')).toHaveAttribute('placeholder', '••••7f3a');
  await expect(form.getByText('Stored: ••••7f3a. Leave empty to keep it.')).toBeVisible();
  await form.getByLabel('Name (optional)').fill('Team account');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('connection-row-baseten')).toContainText('Team account');
  expect(((await calls(page, 'saveConnection'))[0]![0] as { apiKey: unknown }).apiKey).toBeNull();

  await page.getByRole('button', { name: 'Remove Team account' }).click();
  await expect(page.getByRole('group', { name: 'Remove Team account?' })).toContainText('Remove Team account and its stored key?');
  await page.getByRole('button', { name: 'Keep' }).click();
  await expect(page.getByTestId('connection-row-baseten')).toBeVisible();
  await page.getByRole('button', { name: 'Remove Team account' }).click();
  await page.getByRole('group', { name: 'Remove Team account?' }).getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByTestId('connection-row-baseten')).toHaveCount(0);
  expect(await calls(page, 'removeConnection')).toEqual([['research', 'baseten']]);
});

test('without a keychain the app says keys would only be obfuscated and asks before storing one', async ({ page }) => {
  await open(page, { settings: emptySettingsView({ keyStorage: { protection: 'obfuscation-only', obfuscationAccepted: false } }) });
  await page.getByRole('button', { name: 'Add a provider' }).click();
  const form = page.getByTestId('connection-form');
  await form.getByRole('radio', { name: 'Baseten' }).check();
  await expect(form.getByRole('note')).toHaveText('This system has no keychain: a stored key would only be obfuscated. Burnrate asks before storing one.');
  await form.getByLabel('Baseten API key').fill(GOOD_KEY);
  await form.getByRole('button', { name: 'Save' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'No keychain on this system' });
  await expect(dialog).toContainText('can only obfuscate API keys on disk');
  await expect(dialog.getByRole('button', { name: "Don't store" })).toBeFocused();
  await screenshot(page, 'settings-consent-dark');
  await dialog.getByRole('button', { name: 'Store obfuscated' }).click();
  await expect(page.getByTestId('spent')).toHaveText('$28,827.37');
  expect((await calls(page, 'saveConnection')).map(([input]) => (input as { allowObfuscatedKey: boolean; workspaceId: string }).allowObfuscatedKey)).toEqual([false, true]);
  // One workspace made for the first connection, reused for the second attempt.
  expect(await calls(page, 'saveWorkspace')).toHaveLength(1);
  expect(new Set((await calls(page, 'saveConnection')).map(([input]) => (input as { workspaceId: string }).workspaceId))).toEqual(new Set(['my-workspace']));
});

test('workspaces: add with a budget, rename, reorder and remove', async ({ page }) => {
  await open(page, { setup: { mode: 'configured', problems: [] }, settings: configuredSettings() });
  await openSettings(page, 'Workspaces');
  await expect(page.getByTestId('workspace-row-research')).toContainText('$20,000 per month · 1 connection · America/New_York (system)');
  await page.getByRole('button', { name: 'Add workspace' }).click();
  const form = page.getByTestId('workspace-form');
  await form.getByLabel('Name').fill('Sandbox');
  await form.getByLabel('Time zone').fill('Europe/Berlin');
  await form.getByLabel('Budget (USD)').fill('-5');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText('must be a positive amount in USD')).toBeVisible();
  await form.getByLabel('Budget (USD)').fill('1,500');
  await form.getByLabel('Per').selectOption('week');
  await form.getByLabel('Cycle starts on').fill('3');
  await form.getByLabel('Notify at (% of budget)').fill('80, 100');
  await form.getByLabel(/Forecast alerts/).check();
  await screenshot(page, 'settings-workspace-form-dark');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('workspace-row-sandbox')).toContainText('$1,500 per week · 0 connections · Europe/Berlin');
  expect((await calls(page, 'saveWorkspace')).at(-1)).toEqual([
    { id: null, name: 'Sandbox', timeZone: 'Europe/Berlin', budget: { amountUsd: 1500, period: 'week', cycleStartDay: 3, thresholdsPercent: [80, 100] }, period: 'week', forecastAlerts: true },
  ]);

  await page.getByRole('button', { name: 'Edit Prod' }).click();
  await page.getByTestId('workspace-form').getByLabel('Name').fill('Production');
  await page.getByTestId('workspace-form').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('workspace-row-prod')).toContainText('Production');

  await page.getByRole('button', { name: 'Move Sandbox up' }).click();
  await expect(page.getByRole('list', { name: 'Workspaces' }).getByRole('listitem')).toHaveCount(3);
  await expect(page.getByRole('list', { name: 'Workspaces' }).locator('.settings-list__name')).toHaveText(['Research', 'Sandbox', 'Production']);
  expect(await calls(page, 'reorderWorkspaces')).toEqual([[['research', 'sandbox', 'prod']]]);
  await expect(page.getByRole('button', { name: 'Move Research up' })).toBeDisabled();

  await page.getByRole('button', { name: 'Remove Production' }).click();
  await page.getByRole('group', { name: 'Remove Production?' }).getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByTestId('workspace-row-prod')).toHaveCount(0);
  await screenshot(page, 'settings-workspaces-dark');
});

test('notifications: one switch per rule, quiet hours, pause for an hour', async ({ page }) => {
  await open(page, { setup: { mode: 'configured', problems: [] }, settings: configuredSettings() });
  await openSettings(page, 'Notifications');
  const section = page.getByTestId('notifications-section');
  await expect(section.getByRole('switch')).toHaveCount(6);
  await section.getByRole('switch', { name: /^Spikes/ }).uncheck();
  await expect(section.getByRole('switch', { name: /^Spikes/ })).not.toBeChecked();
  await section.getByRole('switch', { name: /Hold notifications back at night/ }).check();
  await expect(section.getByRole('switch', { name: /Hold notifications back at night/ })).toBeChecked();
  await section.getByRole('button', { name: 'Pause for 1 hour' }).click();
  // The fixture's time is 2026-11-21T21:47:44Z: one hour later is 5:47 PM in New York.
  await expect(section.getByTestId('pause-state')).toHaveText('Paused until 5:47 PM.');
  await section.getByRole('button', { name: 'Resume' }).click();
  await expect(section.getByTestId('pause-state')).toHaveText('Notifications are on.');
  expect(await calls(page, 'savePreferences')).toEqual([
    [{ notifications: { rules: { spike: false } } }],
    [{ notifications: { quietHours: { enabled: true, start: '22:00', end: '07:00' } } }],
  ]);
  expect(await calls(page, 'pauseNotifications')).toEqual([['hour'], ['off']]);
  await screenshot(page, 'settings-notifications-dark');
});

test('general: tray title format, refresh interval, launch at login, import and export in words, folders', async ({ page }) => {
  await open(page, { setup: { mode: 'configured', problems: [] }, settings: configuredSettings() });
  await openSettings(page, 'General');
  const section = page.getByTestId('general-section');
  await section.getByRole('radio', { name: 'Icon only' }).check();
  await section.getByLabel('Refresh').selectOption('600');
  await section.getByRole('switch', { name: 'Launch at login' }).check();
  await expect(section.getByRole('switch', { name: 'Launch at login' })).toBeChecked();
  expect(await calls(page, 'savePreferences')).toEqual([[{ trayTitleFormat: 'icon-only' }], [{ refreshIntervalSeconds: 600 }], [{ launchAtLogin: true }]]);

  await section.getByLabel('File to import').fill('/home/ada/broken.json');
  await section.getByRole('button', { name: 'Import' }).click();
  await expect(section.getByTestId('import-result')).toHaveText('/home/ada/broken.json: workspaces[0].budget.amountUsd: must be a positive amount in USD');
  await section.getByRole('button', { name: 'Export without keys' }).click();
  await expect(section.getByTestId('export-result')).toHaveText('/home/ada/.config/burnrate/burnrate-export.json already exists. Export again to replace it.');
  await section.getByRole('button', { name: 'Replace' }).click();
  await expect(section.getByTestId('export-result')).toHaveText('Exported to /home/ada/.config/burnrate/burnrate-export.json, without keys.');
  await section.getByRole('button', { name: 'Open log folder' }).click();
  await expect.poll(async () => calls(page, 'openFolder')).toEqual([['logs']]);
  await screenshot(page, 'settings-general-dark');
});

test('a broken configuration is shown in words with its file and JSON path, not replaced by demo data', async ({ page }) => {
  const file = '/home/ada/.config/burnrate/config.json';
  await open(page, {
    setup: {
      mode: 'invalid',
      problems: [
        { file, path: 'workspaces[0].budget.amountUsd', message: 'must be a positive amount in USD' },
        { file, path: 'workspaces[1].connections[0]', message: 'unknown key "colour"' },
      ],
    },
  });
  const screen = page.getByTestId('setup-invalid');
  await expect(screen.getByRole('heading', { name: 'The configuration needs fixing' })).toBeVisible();
  await expect(screen.getByTestId('setup-problems')).toContainText(file);
  await expect(screen.getByRole('listitem')).toHaveText(['workspaces[0].budget.amountUsd: must be a positive amount in USD', 'workspaces[1].connections[0]: unknown key "colour"']);
  await expect(page.getByRole('note', { name: 'Demo data' })).toHaveCount(0);
  await screenshot(page, 'setup-invalid-dark');
  await screen.getByRole('button', { name: 'Import again' }).click();
  expect(await calls(page, 'importConfig')).toEqual([[file, false]]);
  expect(await accessibilityViolations(page)).toEqual([]);
});

test('settings work from the keyboard; Escape leaves settings without closing the popover', async ({ page }) => {
  await open(page, { setup: { mode: 'configured', problems: [] }, settings: configuredSettings() });
  await expect(page.getByTestId('spent')).toHaveText('$28,827.37');
  await page.getByRole('button', { name: 'Settings' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeFocused();
  await page.getByRole('tab', { name: 'Connections' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Workspaces' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Workspaces' })).toHaveAttribute('aria-selected', 'true');
  // Digits select workspaces on the glance view, never while settings are open.
  await page.keyboard.press('2');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('settings')).toHaveCount(0);
  await expect(page.getByTestId('spent')).toHaveText('$28,827.37');
  expect(await calls(page, 'hidePopover')).toEqual([]);
  expect(await calls(page, 'selectWorkspace')).toEqual([]);
  await page.keyboard.press('Escape');
  await expect.poll(async () => (await calls(page, 'hidePopover')).length).toBe(1);
});

test('every settings section passes the axe accessibility rules', async ({ page }) => {
  // Four full axe runs: on a loaded 2-core machine they need more than the default 30 s.
  test.slow();
  await open(page, { setup: { mode: 'configured', problems: [] }, settings: configuredSettings() });
  await page.getByRole('button', { name: 'Settings' }).click();
  for (const tab of ['Connections', 'Workspaces', 'Notifications', 'General']) {
    await page.getByRole('tab', { name: tab }).click();
    expect((await accessibilityViolations(page)).map((v) => `${tab}: ${v}`)).toEqual([]);
  }
});

test('a preload without settings (older build) shows no settings button and no onboarding', async ({ page }) => {
  const snapshot = fixtureSnapshot();
  await installFakeApi(page, { snapshot: { ...snapshot, setup: { mode: 'unconfigured', problems: [] }, status: { generatedAt: snapshot.status.generatedAt, workspaces: [] } } });
  await page.goto('/index.html');
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Settings' })).toHaveCount(0);
  await expect(page.getByTestId('onboarding')).toHaveCount(0);
});

test('the tray menu\'s "Settings…" opens settings, and a notification click brings the numbers back', async ({ page }) => {
  await open(page, { setup: { mode: 'configured', problems: [] }, settings: configuredSettings() });
  await expect(page.getByTestId('spent')).toHaveText('$28,827.37');
  const showView = (view: string) => page.evaluate((v) => (window as unknown as { __showView: (view: string) => void }).__showView(v), view);
  await showView('settings');
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeFocused();
  await expect(page.getByTestId('connections-section')).toBeVisible();
  await showView('glance');
  await expect(page.getByTestId('settings')).toHaveCount(0);
  await expect(page.getByTestId('spent')).toHaveText('$28,827.37');
});
