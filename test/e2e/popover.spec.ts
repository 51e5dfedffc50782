import { expect, test } from 'playwright/test';

test('the built renderer loads under its Content-Security-Policy', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/index.html');
  await expect(page.getByRole('heading', { name: 'Burnrate' })).toBeVisible();
  expect(errors).toEqual([]);
});
