/**
 * The served dashboard's HTTP transport when things go wrong, against the static server with
 * /api/status routed by the test (no preload API on the page, so the HTTP transport is used).
 */
import { expect, test, type Page, type Route } from 'playwright/test';
import type { StatusDocument } from '../../preload/api';
import { collectErrors, fixtureSnapshot, usd } from './support';

test.use({ viewport: { width: 380, height: 560 }, locale: 'en-US', timezoneId: 'UTC' });

/** Console errors other than the browser's own "Failed to load resource" for a refused request. */
function unexpected(errors: readonly string[]): string[] {
  return errors.filter((e) => !e.startsWith('Failed to load resource'));
}

async function routeStatus(page: Page, answer: (route: Route) => Promise<void>): Promise<string[]> {
  const authorizations: string[] = [];
  await page.route('**/api/status', async (route) => {
    authorizations.push((await route.request().headerValue('authorization')) ?? '');
    await answer(route);
  });
  return authorizations;
}

/** Serves index.html as `serve` does with a document: in a JSON data block, marked `data-kept` when an earlier run kept it. */
async function withDataBlock(page: Page, document: StatusDocument, kept: boolean): Promise<void> {
  await page.route('**/index.html*', async (route) => {
    const html = await (await route.fetch()).text();
    const block = `<script type="application/json" id="burnrate-status"${kept ? ' data-kept' : ''}>${JSON.stringify(document).replace(/</g, '\\u003c')}</script>`;
    await route.fulfill({ status: 200, contentType: 'text/html', body: html.replace('</head>', () => `${block}</head>`) });
  });
}

/** Installs the page clock standing still: no timer fires but through `page.clock.runFor`. */
async function standingClock(page: Page): Promise<void> {
  await page.clock.install({ time: new Date('2026-03-31T09:00:00Z') });
  await page.clock.pauseAt(new Date('2026-03-31T09:00:01Z'));
}

/** The next answer to /api/status the page receives. */
const statusAnswer = (page: Page) => page.waitForResponse((response) => new URL(response.url()).pathname === '/api/status');

/** Advances the page clock by `ms` and waits for the answer to the /api/status poll it fires. */
async function pollAfter(page: Page, ms: number): Promise<void> {
  const poll = statusAnswer(page);
  await page.clock.runFor(ms);
  await poll;
}

const fulfilStatus = (route: Route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(fixtureSnapshot().status) });

test('asks for the token when the URL has none, without calling the API', async ({ page }) => {
  const errors = collectErrors(page);
  const authorizations = await routeStatus(page, fulfilStatus);
  await page.goto('/index.html');
  await expect(page.getByTestId('error-message')).toContainText('This page needs its access token');
  expect(authorizations).toEqual([]);
  expect(errors).toEqual([]);
});

test('says so when the server refuses the token', async ({ page }) => {
  const errors = collectErrors(page);
  await routeStatus(page, (route) => route.fulfill({ status: 401, contentType: 'application/json', body: '{"error":"Unauthorized"}' }));
  await page.goto('/index.html?token=stale-token');
  await expect(page.getByTestId('error-message')).toContainText('The server refused the access token');
  expect(unexpected(errors)).toEqual([]);
});

test('polls every 30 s, keeps the numbers when a poll fails, and retries', async ({ page }) => {
  const errors = collectErrors(page);
  await page.clock.install();
  let failing = false;
  const authorizations = await routeStatus(page, (route) => (failing ? route.fulfill({ status: 503, body: 'down' }) : fulfilStatus(route)));
  await page.goto('/index.html?token=t0k3n#w=prod');
  const prod = fixtureSnapshot().status.workspaces.find((w) => w.id === 'prod')!;
  await expect(page.getByTestId('spent')).toHaveText(usd(prod.spentUsd));
  expect(authorizations).toEqual(['Bearer t0k3n']);

  failing = true;
  // Each count is read after the answer it counts has arrived (the route records before it answers):
  // asserting on the page alone raced the retry's request on a busy machine (2 counted, 3 expected).
  await pollAfter(page, 30_000);
  await expect(page.getByTestId('action-error')).toContainText("Couldn't update. The Burnrate server answered 503");
  await expect(page.getByTestId('spent')).toHaveText(usd(prod.spentUsd));
  expect(authorizations).toHaveLength(2);

  failing = false;
  const retry = statusAnswer(page);
  await page.getByTestId('action-error').getByRole('button', { name: 'Retry' }).click();
  await retry;
  await expect(page.getByTestId('action-error')).toHaveCount(0);
  expect(authorizations).toEqual(['Bearer t0k3n', 'Bearer t0k3n', 'Bearer t0k3n']);
  expect(unexpected(errors)).toEqual([]);
});

test('while the server runs its first refresh, asks every 2 s; once every connection has numbers, every 30 s', async ({ page }) => {
  const errors = collectErrors(page);
  await page.clock.install();
  const full = fixtureSnapshot().status;
  // As `serve`/`demo` answer on an empty database: every connection waits for its first refresh.
  const waiting = { ...full, workspaces: full.workspaces.map((w) => ({ ...w, connections: w.connections.map((c) => ({ ...c, fetchedAt: null, error: null })) })) };
  let ready = false;
  const authorizations = await routeStatus(page, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(ready ? full : waiting) }));
  await page.goto('/index.html?token=t0k3n');
  // The first answer is on screen, so the page has set its next timer (after the fetch settled) and
  // its response event has reached the test: the next waitForResponse can only match the next poll.
  await expect(page.getByTestId('spent')).toHaveText(usd(waiting.all!.spentUsd));
  expect(authorizations).toHaveLength(1);

  await pollAfter(page, 2_000);
  expect(authorizations).toHaveLength(2);

  ready = true;
  await pollAfter(page, 2_000);
  await expect(page.getByTestId('spent')).toHaveText(usd(full.all!.spentUsd));
  expect(authorizations).toHaveLength(3);

  // Numbers for every connection: back to the 30 s poll (no quick poll in between).
  await pollAfter(page, 30_000);
  expect(authorizations).toHaveLength(4);
  expect(unexpected(errors)).toEqual([]);
});

test('a page served with the document an earlier run kept shows it at once, asks for a live one after 2 s, then every 30 s', async ({ page }) => {
  const errors = collectErrors(page);
  // A poll due only at 30 s cannot pass for the one at 2 s.
  await standingClock(page);
  const live = fixtureSnapshot().status;
  const kept = { ...live, generatedAt: '2026-03-31T08:00:00.000Z', all: { ...live.all!, spentUsd: 1234.5 } };
  // The page as `serve` sends it on starting with a kept document: its data block marked data-kept.
  await withDataBlock(page, kept, true);
  const authorizations = await routeStatus(page, fulfilStatus);
  await page.goto('/index.html?token=t0k3n');
  await expect(page.getByTestId('spent')).toHaveText(usd(1234.5));
  expect(authorizations).toEqual([]);

  await pollAfter(page, 2_000);
  await expect(page.getByTestId('spent')).toHaveText(usd(live.all!.spentUsd));
  expect(authorizations).toHaveLength(1);

  // Live now: the next poll is the regular one.
  await pollAfter(page, 30_000);
  expect(authorizations).toHaveLength(2);
  expect(unexpected(errors)).toEqual([]);
});

test('a page served with a live document asks again only after 30 s', async ({ page }) => {
  const errors = collectErrors(page);
  await standingClock(page);
  const live = fixtureSnapshot().status;
  await withDataBlock(page, live, false);
  const authorizations = await routeStatus(page, fulfilStatus);
  await page.goto('/index.html?token=t0k3n');
  await expect(page.getByTestId('spent')).toHaveText(usd(live.all!.spentUsd));
  await pollAfter(page, 30_000);
  // One poll in 30 s: none at 2 s.
  expect(authorizations).toHaveLength(1);
  expect(unexpected(errors)).toEqual([]);
});

test('shows a readable message when the server cannot be reached, then retries', async ({ page }) => {
  collectErrors(page);
  let reachable = false;
  await routeStatus(page, (route) => (reachable ? fulfilStatus(route) : route.abort('connectionrefused')));
  await page.goto('/index.html?token=t0k3n');
  await expect(page.getByTestId('error-message')).toHaveText('Cannot reach the Burnrate server. Is `burnrate serve` still running?');
  reachable = true;
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('spent')).toHaveText(usd(fixtureSnapshot().status.all!.spentUsd));
});
