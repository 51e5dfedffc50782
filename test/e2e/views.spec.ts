/**
 * The time dimension and the breakdown, in Chromium against the built renderer: past periods
 * against their budget, "this period vs. the same point last period", every resource (expandable,
 * filterable by provider, bars scaled to share) and the idle deployments; the same against the
 * real `burnrate demo` server (its spend database); and axe (0 serious or critical) with a
 * screenshot of these views and of settings and onboarding, in light and dark.
 */
import { expect, test, type Page } from 'playwright/test';
import type { AppSnapshot, ResourceStatus, WorkspaceStatus } from '../../preload/api';
import { seriousViolations } from './axe';
import { emptySettingsView, installSettingsFake } from './settingsFake';
import { collectErrors, fixtureSnapshot, installFakeApi, screenshot, startDemoServer } from './support';

test.use({ viewport: { width: 380, height: 560 }, locale: 'en-US', timezoneId: 'America/New_York' });

/** Research's resources beyond the top five: 10 more, two of them deployments without a request. */
function moreResources(): ResourceStatus[] {
  const extra: ResourceStatus[] = Array.from({ length: 8 }, (_, i) => ({
    id: `m${i}`,
    name: `batch-model-${i}`,
    kind: 'model',
    spentUsd: 400 - i * 40,
    connectionId: i % 2 === 0 ? 'baseten' : 'simplismart',
    ...(i % 2 === 0 ? { requests: 100 + i } : {}),
  }));
  return [
    ...extra,
    { id: 'idle-1', name: 'whisper-large-v3 / staging', kind: 'deployment', spentUsd: 745.93, connectionId: 'baseten', dedicated: true, requests: 0 },
    { id: 'idle-2', name: 'mixtral-8x7b / canary', kind: 'deployment', spentUsd: 61.5, connectionId: 'simplismart', dedicated: true, requests: 0 },
  ];
}

/** The fixture with Research's full resource list, three past periods and a comparison. */
function richSnapshot(selected: string | null = 'research'): AppSnapshot {
  const snapshot = fixtureSnapshot();
  const workspaces = snapshot.status.workspaces.map((w): WorkspaceStatus => {
    if (w.id !== 'research') return w;
    return {
      ...w,
      resources: [...(w.topResources ?? []).map((r) => ({ ...r, ...(r.connectionId === 'baseten' ? { requests: 5000 } : {}) })), ...moreResources()].sort((a, b) => b.spentUsd - a.spentUsd),
      history: [
        { start: '2026-10-01T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z', spentUsd: 18182.23, budgetUsd: 20000, usedPercent: 90.91, connections: 3 },
        { start: '2026-09-01T00:00:00.000Z', end: '2026-10-01T00:00:00.000Z', spentUsd: 21450.1, budgetUsd: 20000, usedPercent: 107.25, connections: 3 },
        { start: '2026-08-01T00:00:00.000Z', end: '2026-09-01T00:00:00.000Z', spentUsd: 9120.4, budgetUsd: 20000, usedPercent: 45.6, connections: 2 },
      ],
      comparison: { currentUsd: 12075.82, previousUsd: 10782.0, changePercent: 12, elapsedHours: 501.8 },
    };
  });
  return { ...snapshot, selectedWorkspaceId: selected, status: { ...snapshot.status, workspaces } };
}

async function open(page: Page, snapshot: AppSnapshot = richSnapshot()): Promise<void> {
  await installFakeApi(page, { snapshot });
  await page.goto('/index.html');
}

const breakdown = (page: Page) => page.getByRole('region', { name: 'Top spenders' });
const history = (page: Page) => page.getByRole('region', { name: 'Past periods' });

test('past periods show their spend against the budget, and this period vs. the same point last period', async ({ page }) => {
  const errors = collectErrors(page);
  await open(page);
  await expect(page.getByTestId('spent')).toHaveText('$12,075.82');
  await expect(page.getByTestId('comparison')).toHaveText('+12% vs. the same point last period ($10,782.00 then)');
  const periods = history(page).getByRole('listitem');
  await expect(periods).toHaveCount(3);
  await expect(periods.nth(0)).toContainText('Oct 1 – Oct 31');
  await expect(periods.nth(0)).toContainText('$18,182.23');
  await expect(periods.nth(0)).toContainText('90.9% used of $20K');
  await expect(periods.nth(1)).toContainText('107% used of $20K');
  // Bars share one scale: September (over budget) is the longest.
  const widths = await periods.evaluateAll((items) => items.map((item) => item.querySelector<HTMLElement>('.history__bar')!.getBoundingClientRect().width));
  expect(widths[1]).toBeGreaterThan(widths[0]!);
  expect(widths[0]).toBeGreaterThan(widths[2]!);
  expect(errors).toEqual([]);
});

test('a workspace without history shows no past periods and no comparison', async ({ page }) => {
  await open(page, { ...fixtureSnapshot(), selectedWorkspaceId: 'prod' });
  await expect(page.getByTestId('spent')).toHaveText('$16,339.20');
  await expect(breakdown(page)).toBeVisible();
  await expect(history(page)).toHaveCount(0);
  await expect(page.getByTestId('comparison')).toHaveCount(0);
});

test('the breakdown lists every resource on demand, filters by provider, scales bars to share and names idle deployments', async ({ page }) => {
  await open(page);
  const items = breakdown(page).locator('.resources__list > li');
  await expect(items).toHaveCount(5);
  const toggle = breakdown(page).getByRole('button', { name: 'Show all 15 resources' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(items).toHaveCount(15);
  await expect(breakdown(page).getByRole('button', { name: 'Show the top 5' })).toHaveAttribute('aria-expanded', 'true');
  // Each bar is the resource's share of the total spend: $745.93 of $12,075.82 is 6.2 %.
  const whisper = items.filter({ hasText: 'whisper-large-v3 / staging' });
  await expect(whisper).toContainText('6% of spend');
  await expect(whisper).toContainText('0 requests');
  const ratio = await whisper.evaluate((item) => item.querySelector<HTMLElement>('.resource__bar')!.getBoundingClientRect().width / item.getBoundingClientRect().width);
  expect(ratio).toBeGreaterThan(0.055);
  expect(ratio).toBeLessThan(0.068);

  await breakdown(page).getByRole('combobox').selectOption('Simplismart');
  await expect(items).toHaveCount(8);
  for (const text of await items.allInnerTexts()) expect(text).toContain('Simplismart');

  await breakdown(page).getByRole('combobox').selectOption('');
  const idle = page.getByRole('region', { name: /Idle deployments/ }).getByRole('listitem');
  await expect(idle).toHaveCount(2);
  await expect(idle.nth(0)).toContainText('whisper-large-v3 / staging');
  await expect(idle.nth(0)).toContainText('$745.93');
  await expect(idle.nth(1)).toContainText('mixtral-8x7b / canary');
  // A model without a request count (the provider does not report it) is never called idle.
  await expect(page.getByRole('region', { name: /Idle deployments/ })).not.toContainText('batch-model');
});

test('the served demo dashboard shows past periods from its spend database and the same-point comparison', async ({ page }) => {
  const server = await startDemoServer();
  try {
    await page.goto(server.url);
    await page.getByRole('tab', { name: /Research/ }).click();
    await expect(history(page).getByRole('listitem').first()).toContainText('used of $20K');
    await expect(page.getByTestId('comparison')).toHaveText(/^[+−±][\d.,]+% vs\. the same point last period \(\$[\d,]+\.\d\d then\)$/);
    await expect(breakdown(page).getByRole('button', { name: /^Show all \d+ resources$/ })).toBeVisible();
    await expect(page.getByRole('region', { name: /Idle deployments/ })).toContainText('whisper-large-v3 / staging');
  } finally {
    await server.stop();
  }
});

test('every percentage on screen says what it is: used, projected, a share, a chance or a change', async ({ page }) => {
  for (const selected of ['research', 'prod', null]) {
    await open(page, richSnapshot(selected));
    await expect(page.getByTestId('spent')).toBeVisible();
    await breakdown(page).getByRole('heading', { name: 'Top spenders' }).waitFor();
    // Each visible text node holding a percentage, with the text of the line it sits in.
    const lines = await page.getByTestId('panel').evaluate((panel) => {
      const found: string[] = [];
      const walker = document.createTreeWalker(panel, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement!;
        if (!/\d\s?%/.test(node.textContent ?? '') || parent.closest('[aria-hidden="true"], .visually-hidden')) continue;
        found.push((parent.closest('li, p, dd, span, div') ?? parent).textContent!.replace(/\s+/g, ' ').trim());
      }
      return found;
    });
    expect(lines.length, `percentages in the ${selected ?? 'all'} view`).toBeGreaterThan(2);
    for (const line of lines) expect(line).toMatch(/% (used|projected|of spend|chance|confidence|vs\. the same point)|alerts at|Alert at/);
  }
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe: history and breakdown views (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await open(page);
    await breakdown(page).getByRole('button', { name: 'Show all 15 resources' }).click();
    await breakdown(page).scrollIntoViewIfNeeded();
    await screenshot(page, `breakdown-${colorScheme}`);
    await page.getByRole('region', { name: /Idle deployments/ }).scrollIntoViewIfNeeded();
    await screenshot(page, `idle-${colorScheme}`);
    await history(page).scrollIntoViewIfNeeded();
    await screenshot(page, `history-${colorScheme}`);
    expect(await seriousViolations(page)).toEqual([]);
  });

  test(`axe: settings and onboarding (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    const snapshot = fixtureSnapshot();
    await installSettingsFake(page, { liveSnapshot: { ...snapshot, status: { ...snapshot.status, demo: false } }, setup: { mode: 'unconfigured', problems: [] }, settings: emptySettingsView(), goodKey: 'bt_live_0123456789ab7f3a' });
    await page.goto('/index.html');
    await expect(page.getByTestId('onboarding')).toBeVisible();
    await screenshot(page, `onboarding-${colorScheme}`);
    expect((await seriousViolations(page)).map((v) => `onboarding: ${v}`)).toEqual([]);
    await page.getByRole('button', { name: 'Settings' }).click();
    for (const tab of ['Connections', 'Workspaces', 'Notifications', 'General']) {
      await page.getByRole('tab', { name: tab }).click();
      await expect(page.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
      await screenshot(page, `settings-${tab.toLowerCase()}-${colorScheme}`);
      expect((await seriousViolations(page)).map((v) => `${tab}: ${v}`)).toEqual([]);
    }
  });
}
