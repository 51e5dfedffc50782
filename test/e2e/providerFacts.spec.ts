/**
 * Issue 9, item 8: what the provider APIs give beside the numbers, in the popover. Against the real
 * `burnrate demo` server (its loopback fakes over real HTTP): Civis's credit limit has its own bar
 * (credits used out of the limit), Baseten's credits show as an amount, and TensorOne's own
 * projection stands beside Burnrate's.
 */
import { expect, test } from 'playwright/test';
import { liveScreenshot, startDemoServer } from './support';

test.use({ viewport: { width: 380, height: 900 }, locale: 'en-US', timezoneId: 'America/New_York' });

test('the Civis credit limit is its own bar; TensorOne projection and Baseten credits are shown', async ({ page }) => {
  const server = await startDemoServer();
  try {
    const status = (await (await fetch(`${server.origin}/api/status`, { headers: { authorization: `Bearer ${server.token}` } })).json()) as {
      workspaces: Array<{ id: string; connections: Array<{ id: string; provider: string; creditLimit?: { usedCredits: number; limitCredits: number } }> }>;
    };
    await page.goto(server.url);
    await page.getByRole('tab', { name: /Research/ }).click();
    const meter = page.getByRole('meter', { name: 'Civis credit limit' });
    await expect(meter).toBeVisible();
    const civis = status.workspaces.flatMap((w) => w.connections).find((c) => c.provider === 'civis');
    if (civis?.creditLimit) await expect(meter).toHaveAttribute('aria-valuemax', String(civis.creditLimit.limitCredits));
    await expect(meter).toHaveAttribute('aria-valuetext', /^[\d,.]+ credits of [\d,.]+ credits \([\d.]+%\) used$/);
    await expect(page.getByTestId('credit-limit')).toContainText('Credit limit');
    // The label stays on one line in the 380 px popover: the value beside it wraps instead.
    const labelLines = await page
      .getByTestId('credit-limit')
      .getByText('Credit limit', { exact: true })
      .evaluate((label) => {
        const range = document.createRange();
        range.selectNodeContents(label);
        return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
      });
    expect(labelLines).toBe(1);
    await liveScreenshot(page, 'provider-facts-civis', page.getByTestId('credit-limit'));
    // TensorOne and Baseten bill the Prod team in the demo.
    await page.getByRole('tab', { name: /Prod/ }).click();
    const facts = page.locator('[data-testid^="provider-facts-"]');
    await expect(facts.filter({ hasText: /TensorOne projects \$[\d,]+\.\d\d .*· Burnrate: \$[\d,]+\.\d\d/ }).first()).toBeVisible();
    await liveScreenshot(page, 'provider-facts-prod', page.getByRole('region', { name: 'Connections' }));
  } finally {
    await server.stop();
  }
});
