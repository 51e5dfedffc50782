/**
 * The secrets sweep (issue 10), tray-app part, through the desktop harness: the built app with the
 * real preload and renderer, IPC over the wire, the stand-in's safeStorage and electron-store files.
 *
 * Keys enter the app both ways a person gives them: a CLI config file imported on first start
 * (a connection to every registered provider's fake, and to a hostile fake of every provider that
 * echoes the Authorization header, raw, base64 and URL-encoded, in an error body and headers), and
 * a key typed into the settings form (to a hostile Baseten fake; "Test connection", then Save).
 * Then settings, a connection test and an export are asked for through `window.burnrate`, a
 * notification is shown, and the loopback dashboard is opened from the tray menu and read.
 *
 * Scanned with the CLI sweep's scanner (test/support/secretScanner.ts; every form of every key and
 * any 8-character fragment): the renderer's DOM (HTML and text), its console, every IPC message main
 * sent it (invoke answers and pushes), the app's stdout/stderr, the tray and notification state,
 * the dashboard's answers, and every file under the app's folder (userData with electron-store's
 * settings.json and secrets.json and the spend database, logs, HOME), before and after quitting.
 * The config file the test wrote (keys inline, on purpose) is the one file not scanned. 0 hits.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'playwright/test';
import type { FakeRequest, Fault } from '../../main/providers/fake/harness';
import { PROVIDER_IDS, providerEntry, type ProviderId } from '../../main/providers/registry';
import type { ProviderFake } from '../../main/providers/types';
import type { SpendApi } from '../../preload/api';
import { describeHits, distinctiveKey, filesUnder, scanForSecrets, type SweepItem, type SweepSecret } from '../support/secretScanner';
import { launchDesktop, stopAll } from './harness';

const keyOf = (label: string) => distinctiveKey(`${label.slice(0, 2)}D`, createHash('sha512').update(`desktop secrets sweep ${label}`).digest());
const goodKeys = Object.fromEntries(PROVIDER_IDS.map((id) => [id, keyOf(`${id} good`)])) as Record<ProviderId, string>;
const hostileKeys = Object.fromEntries(PROVIDER_IDS.map((id) => [id, keyOf(`${id} hostile`)])) as Record<ProviderId, string>;
const TYPED_KEY = keyOf('baseten typed');
const secrets: SweepSecret[] = [
  ...PROVIDER_IDS.map((id) => ({ label: `${id} (imported)`, value: goodKeys[id] })),
  ...PROVIDER_IDS.map((id) => ({ label: `${id} (imported, hostile provider)`, value: hostileKeys[id] })),
  { label: 'baseten (typed in the form, hostile provider)', value: TYPED_KEY },
];

/** Every answer echoes the Authorization header it received (401 for most, 500 for some). */
function echo(index: number): (request: FakeRequest) => Fault {
  return (request) => {
    const auth = request.headers.authorization ?? '';
    const text = `you sent ${auth} (base64 ${Buffer.from(auth).toString('base64')}, url ${encodeURIComponent(auth)})`;
    return { type: 'status', status: index % 3 === 1 ? 500 : 401, body: { error: text, detail: text, message: text }, headers: { 'x-echo-authorization': encodeURIComponent(auth) } };
  };
}

const fakes: ProviderFake[] = [];

test.beforeAll(async () => {
  for (const [index, id] of PROVIDER_IDS.entries()) {
    const entry = providerEntry(id);
    fakes.push(await entry.fake.start({ apiKey: goodKeys[id], lagMs: entry.fake.lagMs }));
    const hostile = await entry.fake.start({ apiKey: hostileKeys[id], lagMs: entry.fake.lagMs });
    hostile.server.chaos(echo(index));
    fakes.push(hostile);
  }
  const typed = await providerEntry('baseten').fake.start({ apiKey: TYPED_KEY, lagMs: 0 });
  typed.server.chaos(echo(0));
  fakes.push(typed);
});
test.afterAll(async () => {
  await Promise.all(fakes.map((fake) => fake.stop()));
});
test.afterEach(async () => {
  await stopAll();
});

function connection(id: ProviderId, fake: ProviderFake, apiKey: string, suffix: string): Record<string, unknown> {
  const entry = providerEntry(id);
  return { id: `${id}${suffix}`, provider: id, apiKey, baseUrl: fake.baseUrl, ...entry.fake.settings, ...entry.demo.settings };
}

/** The stand-in's cipher: "burnrate-test-cipher:" + bytes XOR 0x5a, stored base64 by the vault. */
function decipher(base64: string): string {
  const bytes = Buffer.from(base64, 'base64').subarray('burnrate-test-cipher:'.length);
  return Buffer.from(bytes.map((b) => b ^ 0x5a)).toString('utf8');
}

test('secrets sweep: no key in the DOM, console, IPC to the renderer, logs, notifications, dashboard or files', async ({ browser }, testInfo) => {
  const dir = testInfo.outputPath('app');
  const configFile = join(dir, 'input', 'config.json');
  mkdirSync(join(dir, 'input'), { recursive: true });
  writeFileSync(
    configFile,
    JSON.stringify({
      workspaces: [
        { id: 'team', name: 'Team', timeZone: 'UTC', budget: { amountUsd: 1, thresholdsPercent: [50] }, connections: PROVIDER_IDS.map((id, i) => connection(id, fakes[2 * i]!, goodKeys[id], '')) },
        { id: 'hostile', name: 'Hostile', timeZone: 'UTC', connections: PROVIDER_IDS.map((id, i) => connection(id, fakes[2 * i + 1]!, hostileKeys[id], '-hostile')) },
      ],
    }),
    { mode: 0o600 },
  );
  const app = await launchDesktop(browser, { dir, env: { BURNRATE_CONFIG: configFile } });
  const page = await app.popover();
  // A rejected key is connection trouble at once: a notification (the stand-in records it).
  await app.waitForNotifications(1);

  // A key typed into the settings form, tested against a provider that echoes it, then saved.
  await app.clickMenuItem('Settings…');
  await page.getByRole('button', { name: 'Add a provider' }).click();
  const form = page.getByTestId('connection-form');
  await form.getByRole('radio', { name: 'Baseten' }).check();
  await form.getByLabel('API base URL (optional)').fill(fakes[fakes.length - 1]!.baseUrl);
  await form.getByLabel('Baseten API key').fill(TYPED_KEY);
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.getByRole('alert')).toContainText('[redacted]');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('connection-form')).toHaveCount(0);

  // Settings, a connection test with a stored key and an export, through the preload's API.
  const exportFile = join(dir, 'export.json');
  const answers = await page.evaluate(async (file) => {
    const api = (window as unknown as { burnrate: SpendApi }).burnrate;
    const connection = { workspaceId: 'hostile', id: 'limitry-hostile', provider: 'limitry', name: null, settings: {}, apiKey: null, apiKeyEnv: null, allowObfuscatedKey: false };
    return JSON.stringify([await api.getSettings(), await api.testConnection(connection), await api.exportConfig(file, true), await api.getSnapshot()]);
  }, exportFile);
  expect(answers).toContain('[redacted]');
  // The typed key was stored: the settings show it masked only.
  expect(answers).toContain(`••••${TYPED_KEY.slice(-4)}`);

  // The loopback dashboard, opened from the tray menu, and its JSON API.
  await app.clickMenuItem('Open dashboard in browser');
  const opened = await app.waitFor('the dashboard opened', (state) => state.shellCalls.find((call) => call.api === 'openExternal'));
  const dashboard = new URL(opened.target);
  const token = dashboard.searchParams.get('token')!;
  const served: SweepItem[] = [];
  for (const path of ['/', '/api/status', '/metrics', '/nope', '/api/status?token=wrong']) {
    const url = new URL(path, dashboard);
    if (!url.searchParams.has('token')) url.searchParams.set('token', token);
    const response = await fetch(url);
    served.push({ where: `dashboard ${path} (${response.status})`, content: `${JSON.stringify([...response.headers])}\n${await response.text()}` });
  }

  // Sanity: the keys really are in the app (as ciphertext), so the sweep is not vacuous.
  const vault = JSON.parse(readFileSync(join(app.config.userData, 'secrets.json'), 'utf8')) as { secrets: Record<string, string> };
  const stored = Object.values(vault.secrets).map(decipher);
  for (const secret of secrets) expect(stored, secret.label).toContain(secret.value);

  const observed = async (): Promise<SweepItem[]> => [
    { where: 'renderer DOM (HTML)', content: await page.content() },
    { where: 'renderer DOM (text)', content: await page.locator('body').innerText() },
    { where: 'renderer console', content: app.rendererConsole.join('\n') },
    { where: 'IPC messages to the renderer', content: app.ipcToRenderer.join('\n') },
    { where: 'answers through window.burnrate', content: answers },
    { where: 'app stdout/stderr', content: app.logs },
    { where: 'tray, menu and notifications', content: `${JSON.stringify(app.state)}\n${app.menuText()}` },
    ...served,
  ];
  const files = () => filesUnder(dir, (path) => path === configFile);
  const running = [...(await observed()), ...files()];
  expect(app.ipcToRenderer.join('\n')).toContain('[redacted]');
  expect(running.some((item) => /secrets\.json/.test(item.where))).toBe(true);
  expect(running.some((item) => /burnrate\.log/.test(item.where))).toBe(true);
  const hits = scanForSecrets(secrets, running);
  expect(hits, describeHits(hits)).toEqual([]);

  expect(await app.quit()).toBe(0);
  const after = scanForSecrets(secrets, [{ where: 'app stdout/stderr after quit', content: app.logs }, ...files()]);
  expect(after, describeHits(after)).toEqual([]);
  console.log(`desktop secrets sweep: ${secrets.length} keys, ${running.length} outputs and files scanned, 0 hits`);
});
