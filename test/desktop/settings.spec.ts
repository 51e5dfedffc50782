/**
 * Setup from inside the tray app, end to end through the desktop harness: the built main bundle,
 * the real preload and renderer, IPC over the wire, the stand-in's safeStorage (reversible test
 * cipher) and electron-store files on disk, and a Baseten fake on loopback.
 *
 * Issue 12 steps 1 (first run, demo, then onboarding), 2 (a wrong key in words, then the right
 * key: live numbers and a new tray title), 8 (an imported config's inline keys end up only as
 * ciphertext) and 9 (basic_text asks for consent first).
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from 'playwright/test';
import { startBasetenFake, type BasetenFake } from '../../main/providers/baseten/baseten.fake';
import { launchDesktop, stopAll, type DesktopApp } from './harness';

const GOOD_KEY = 'bt_live_0123456789ab7f3a';
const WRONG_KEY = 'bt_live_wrong_key_0000000';
const SHOTS = resolve('test-results/desktop');
let fake: BasetenFake;

test.beforeAll(async () => {
  fake = await startBasetenFake({ apiKey: GOOD_KEY });
  mkdirSync(SHOTS, { recursive: true });
});
test.afterAll(async () => {
  await fake.stop();
});
test.afterEach(async () => {
  await stopAll();
});

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), animations: 'disabled' });
}

/** Every file under a folder, recursively, as text. */
function filesUnder(dir: string): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push({ file: path, text: readFileSync(path, 'latin1') });
  }
  return out;
}

/** The stand-in's cipher: "burnrate-test-cipher:" + bytes XOR 0x5a, stored base64 by the vault. */
function decipher(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  const prefix = 'burnrate-test-cipher:';
  expect(bytes.subarray(0, prefix.length).toString('latin1')).toBe(prefix);
  return Buffer.from(bytes.subarray(prefix.length).map((b) => b ^ 0x5a)).toString('utf8');
}

async function addBaseten(page: Page, key: string): Promise<void> {
  const form = page.getByTestId('connection-form');
  await form.getByRole('radio', { name: 'Baseten' }).check();
  await form.getByLabel('API base URL (optional)').fill(fake.baseUrl);
  await form.getByLabel('Baseten API key').fill(key);
}

function userDataOf(app: DesktopApp): string {
  return app.config.userData;
}

test('first run: onboarding, then demo data, then the way to add a provider (step 1)', async ({ browser }, testInfo) => {
  const app = await launchDesktop(browser, { dir: testInfo.outputPath('app') });
  const page = await app.popover();
  const onboarding = page.getByTestId('onboarding');
  await expect(onboarding.getByRole('button', { name: 'Try demo data' })).toBeVisible();
  await expect(onboarding.getByRole('button', { name: 'Add a provider' })).toBeVisible();
  await shot(page, 'onboarding');
  await onboarding.getByRole('button', { name: 'Try demo data' }).click();
  await expect(page.getByRole('note', { name: 'Demo data' })).toBeVisible();
  await expect(page.getByTestId('spent')).toBeVisible();
  await page.getByTestId('demo-setup').getByRole('button', { name: 'Add a provider' }).click();
  await expect(page.getByTestId('connection-form').getByRole('radio', { name: 'Baseten' })).toBeVisible();
  await shot(page, 'settings-add-provider');
  // The tray menu's "Settings…" opens the settings screen in the popover.
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('settings')).toHaveCount(0);
  await app.clickMenuItem('Settings…');
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await page.getByRole('tab', { name: 'General' }).click();
  await shot(page, 'settings-general');
});

test('a wrong key is refused in words; the right key brings live numbers and a new tray title (step 2)', async ({ browser }, testInfo) => {
  const app = await launchDesktop(browser, { dir: testInfo.outputPath('app'), platform: 'darwin' });
  const page = await app.popover();
  await page.getByTestId('onboarding').getByRole('button', { name: 'Add a provider' }).click();
  await addBaseten(page, WRONG_KEY);
  const form = page.getByTestId('connection-form');
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.getByRole('alert')).toContainText(/^Key refused: Baseten .*API key.*401/);
  await shot(page, 'settings-wrong-key');
  const untitled = app.state.tray?.title ?? '';

  // Saved anyway: the popover shows the refusal in words on the connection.
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('connection-baseten')).toContainText(/Key refused: .*Baseten/);

  // The right key: edit the connection, type the new key (the old one is never shown).
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Edit Baseten' }).click();
  await expect(page.getByTestId('connection-form').getByLabel('Baseten API key')).toHaveValue('');
  await page.getByTestId('connection-form').getByLabel('Baseten API key').fill(GOOD_KEY);
  await page.getByTestId('connection-form').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('connection-row-baseten')).toContainText('Key ••••7f3a');
  await shot(page, 'settings-connections');
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('connection-baseten')).not.toContainText('Key refused');
  await expect(page.getByTestId('spent')).toHaveText(/^\$[\d,]+\.\d\d$/);
  const tray = await app.waitForTray('a spend title', (t) => /\$[\d,.]+ · \$[\d,.]+\/h/.test(t.title));
  expect(tray.title).not.toBe(untitled);
  await shot(page, 'glance-after-setup');

  // No renderer-bound message, file or log line of the app holds a key.
  for (const { file, text } of filesUnder(userDataOf(app))) {
    expect(text, file).not.toContain(GOOD_KEY);
    expect(text, file).not.toContain(WRONG_KEY);
  }
  expect(app.logs).not.toContain(GOOD_KEY);
  expect(await page.content()).not.toContain(GOOD_KEY);
});

test('importing a config with inline keys leaves only ciphertext in the settings files (step 8)', async ({ browser }, testInfo) => {
  const dir = testInfo.outputPath('app');
  const app = await launchDesktop(browser, { dir });
  const page = await app.popover();
  await expect(page.getByTestId('onboarding')).toBeVisible();
  const file = join(dir, 'team-config.json');
  writeFileSync(
    file,
    JSON.stringify({
      workspaces: [{ id: 'research', name: 'Research', timeZone: 'UTC', budget: { amountUsd: 2000 }, connections: [{ id: 'bt', provider: 'baseten', apiKey: GOOD_KEY, baseUrl: fake.baseUrl }] }],
    }),
  );
  await page.getByRole('button', { name: 'Import a burnrate config file…' }).click();
  await page.getByLabel('File to import').fill(file);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByTestId('import-result')).toHaveText(`Imported 1 workspace from ${file}.`);
  await shot(page, 'settings-import');

  const userData = userDataOf(app);
  const settings = JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8')) as { settings: { config: { workspaces: Array<{ connections: unknown[] }> } } };
  expect(settings.settings.config.workspaces[0]!.connections).toEqual([{ id: 'bt', provider: 'baseten', baseUrl: fake.baseUrl }]);
  const secrets = JSON.parse(readFileSync(join(userData, 'secrets.json'), 'utf8')) as { secrets: Record<string, string> };
  expect(Object.keys(secrets.secrets)).toEqual(['research/bt']);
  expect(decipher(secrets.secrets['research/bt']!)).toBe(GOOD_KEY);
  for (const { file: path, text } of filesUnder(userData)) expect(text, path).not.toContain(GOOD_KEY);
  for (const name of ['settings.json', 'secrets.json']) expect(statSync(join(userData, name)).mode & 0o777, name).toBe(0o600);
  // The imported key works: live numbers.
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('spent')).toHaveText(/^\$[\d,]+\.\d\d$/);
});

test('without a keychain (basic_text) the app asks before storing a key (step 9)', async ({ browser }, testInfo) => {
  const app = await launchDesktop(browser, { dir: testInfo.outputPath('app'), platform: 'linux', safeStorage: { available: true, backend: 'basic_text' } });
  const page = await app.popover();
  await page.getByTestId('onboarding').getByRole('button', { name: 'Add a provider' }).click();
  await addBaseten(page, GOOD_KEY);
  await expect(page.getByTestId('connection-form').getByRole('note')).toContainText('a stored key would only be obfuscated');
  await page.getByTestId('connection-form').getByRole('button', { name: 'Save' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'No keychain on this system' });
  await expect(dialog).toContainText('can only obfuscate API keys on disk');
  await shot(page, 'settings-consent-basic-text');
  const secretsFile = join(userDataOf(app), 'secrets.json');
  const stored = () => (JSON.parse(readFileSync(secretsFile, 'utf8')) as { secrets: Record<string, string> }).secrets;
  expect(stored()).toEqual({});
  await dialog.getByRole('button', { name: 'Store obfuscated' }).click();
  await expect(page.getByTestId('spent')).toBeVisible();
  expect(Object.keys(stored())).toEqual(['my-workspace/baseten']);
  expect(decipher(stored()['my-workspace/baseten']!)).toBe(GOOD_KEY);
});
