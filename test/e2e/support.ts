/**
 * Helpers of the browser tests: a fake `window.burnrate` (the popover's preload API), console
 * error collection, the real `burnrate demo` server, screenshots (compared with baselines, or
 * checked as images), and money formatting for
 * expected strings (independent of the renderer's own formatter on purpose).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { expect, type Locator, type Page } from 'playwright/test';
import { z } from 'zod';
import { statusDocumentSchema } from '../../main/providers/burnrate/burnrate.schema';
import type { AppSnapshot, StatusDocument } from '../../preload/api';
import { HANG_GUARD_EXPECT_MS } from '../support/hangGuards';

/** What the fixture file holds: an AppSnapshot whose status is checked by the StatusDocument's own schema. */
const fixtureSchema = z.object({
  status: statusDocumentSchema,
  selectedWorkspaceId: z.string().nullable(),
  refreshing: z.boolean(),
  fromCache: z.boolean(),
});

/**
 * Validates a snapshot fixture against the StatusDocument schema the `burnrate` connection parses
 * servers with (main/providers/burnrate/burnrate.schema.ts). The schema drops unknown keys (newer
 * servers may add some), so a key it dropped here is a typo or a stale field: that fails too.
 */
export function parseSnapshotFixture(raw: unknown, file = 'the fixture'): AppSnapshot {
  const parsed = fixtureSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${file} is not a valid AppSnapshot:\n${z.prettifyError(parsed.error)}`);
  if (!isDeepStrictEqual(parsed.data, raw)) throw new Error(`${file} has fields the StatusDocument does not define (preload/api.ts)`);
  return parsed.data;
}

/** The fixture snapshot: demo data plus a failing, a stale and a credits-only connection. Validated, not cast. */
export function fixtureSnapshot(): AppSnapshot {
  const file = 'test/e2e/fixtures/snapshot.json';
  return parseSnapshotFixture(JSON.parse(readFileSync(resolve(file), 'utf8')), file);
}

/** Options of the fake preload API. */
export interface FakeApiOptions {
  readonly snapshot: AppSnapshot;
  /** getSnapshot answers this error this many times before succeeding. */
  readonly failGetSnapshot?: { readonly times: number; readonly kind: string; readonly message: string };
  /** refreshNow stays pending until the test calls `window.__finishRefresh()`. */
  readonly holdRefresh?: boolean;
  /** refreshNow answers this error. */
  readonly failRefresh?: { readonly kind: string; readonly message: string };
}

/** One recorded call of the fake API. */
export interface RecordedCall {
  readonly method: string;
  readonly args: unknown[];
}

/** Installs a fake `window.burnrate` before any page script runs; calls are recorded. */
export async function installFakeApi(page: Page, options: FakeApiOptions): Promise<void> {
  // The page's clock stands still at the snapshot's time, so every picture of it is the same.
  await page.clock.setFixedTime(new Date(options.snapshot.status.generatedAt));
  await page.addInitScript((opts: FakeApiOptions) => {
    type Listener = (snapshot: AppSnapshot) => void;
    const calls: RecordedCall[] = [];
    const listeners = new Set<Listener>();
    let snapshot = opts.snapshot;
    let failuresLeft = opts.failGetSnapshot?.times ?? 0;
    let finishRefresh: (() => void) | null = null;
    const ok = <T,>(value: T) => ({ ok: true as const, value });
    const record = (method: string, ...args: unknown[]) => calls.push({ method, args });
    const testWindow = window as unknown as Record<string, unknown>;
    testWindow.__burnrateCalls = calls;
    testWindow.__pushSnapshot = (next: AppSnapshot) => {
      snapshot = next;
      for (const listener of listeners) listener(next);
    };
    testWindow.__finishRefresh = () => finishRefresh?.();
    testWindow.__listenerCount = () => listeners.size;
    const api = {
      async getSnapshot() {
        record('getSnapshot');
        if (failuresLeft > 0 && opts.failGetSnapshot) {
          failuresLeft -= 1;
          return { ok: false as const, error: { kind: opts.failGetSnapshot.kind, message: opts.failGetSnapshot.message } };
        }
        return ok(snapshot);
      },
      async refreshNow() {
        record('refreshNow');
        if (opts.holdRefresh) await new Promise<void>((done) => (finishRefresh = done));
        if (opts.failRefresh) return { ok: false as const, error: opts.failRefresh };
        return ok(null);
      },
      async selectWorkspace(workspaceId: string | null) {
        record('selectWorkspace', workspaceId);
        return ok(null);
      },
      async hidePopover() {
        record('hidePopover');
        return ok(null);
      },
      async setPopoverOpen(open: boolean) {
        record('setPopoverOpen', open);
        return ok(null);
      },
      onSnapshot(listener: Listener) {
        listeners.add(listener);
        return () => {
          listeners.delete(listener);
        };
      },
    };
    // Like contextBridge: a frozen object the page cannot alter.
    Object.defineProperty(window, 'burnrate', { value: Object.freeze(api), writable: false, configurable: false });
  }, options);
}

/** The calls the fake API has recorded so far. */
export async function recordedCalls(page: Page): Promise<RecordedCall[]> {
  return page.evaluate(() => (window as unknown as { __burnrateCalls: RecordedCall[] }).__burnrateCalls.slice());
}

/** Collects console errors and uncaught exceptions (CSP violations are console errors). */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/**
 * Dollars as the renderer must show them, computed here independently.
 * @example usd(1247.834) //=> '$1,247.83'
 */
export function usd(value: number): string {
  const text = Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${value < 0 ? '-' : ''}$${text}`;
}

/** Where people look at the screenshots (the UX issue asks for every view, light and dark). */
const SCREENSHOT_DIR = resolve('test-results/screenshots');

async function saveScreenshot(target: Page | Locator, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await target.screenshot({ path, animations: 'disabled', caret: 'hide' });
  return path;
}

/**
 * A page whose data is fixed (the fixture snapshot, the page clock fixed at its `generatedAt`):
 * compared with its committed baseline, test/e2e/__screenshots__/<spec>/<name>.png (tolerance in
 * playwright.config.ts), then saved under test-results/screenshots/ for people to look at.
 * After a deliberate change of the UI: `npx playwright test --update-snapshots`, look at the
 * new PNGs, commit them.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  await expect(page).toHaveScreenshot(`${name}.png`);
  return saveScreenshot(page, name);
}

/** What {@link imageFacts} measures of a PNG. */
export interface ImageFacts {
  readonly width: number;
  readonly height: number;
  /** Distinct colours, each channel quantized to 4 bits. */
  readonly distinctColors: number;
  /** Share of the pixels of the most common (quantized) colour: 1 for a blank image. */
  readonly dominantShare: number;
  /** Mean relative luminance, 0 (black) to 1 (white). */
  readonly meanLuminance: number;
}

/** Decodes a PNG in a blank page of the browser (no image library needed) and measures it. */
export async function imageFacts(page: Page, png: Buffer): Promise<ImageFacts> {
  const probe = await page.context().newPage();
  try {
    await probe.goto('about:blank');
    return await probe.evaluate(async (base64: string) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
      const counts = new Map<number, number>();
      let luminance = 0;
      for (let i = 0; i < data.length; i += 4) {
        const r = data[i]!;
        const g = data[i + 1]!;
        const b = data[i + 2]!;
        luminance += (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
        const key = ((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const pixels = data.length / 4;
      return {
        width: canvas.width,
        height: canvas.height,
        distinctColors: counts.size,
        dominantShare: Math.max(...counts.values()) / pixels,
        meanLuminance: luminance / pixels,
      };
    }, png.toString('base64'));
  } finally {
    await probe.close();
  }
}

/**
 * A page whose numbers move (the live `burnrate demo` server: its fakes follow the wall clock),
 * where a pixel baseline would be brittle: saved under test-results/screenshots/, and the image
 * itself is checked: the size asked for, something drawn (not one flat colour, text and shapes in
 * several colours), and for a whole page the theme it was given (dark: a dark image, light: a light one).
 */
export async function liveScreenshot(page: Page, name: string, target: Page | Locator = page): Promise<string> {
  const path = await saveScreenshot(target, name);
  const facts = await imageFacts(page, readFileSync(path));
  const box = target === page ? page.viewportSize() : await (target as Locator).boundingBox();
  expect(box, `${name}: nothing to measure`).not.toBeNull();
  expect(Math.abs(facts.width - Math.round(box!.width)), `${name}: width`).toBeLessThanOrEqual(1);
  expect(Math.abs(facts.height - Math.round(box!.height)), `${name}: height`).toBeLessThanOrEqual(1);
  expect(facts.dominantShare, `${name}: one colour covers almost all of it (a blank page?)`).toBeLessThan(0.97);
  expect(facts.distinctColors, `${name}: too few colours for text and charts`).toBeGreaterThanOrEqual(16);
  if (target === page) {
    // A whole page is mostly background: its theme shows in the mean (a part may be a dark bar).
    const dark = await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches);
    if (dark) expect(facts.meanLuminance, `${name}: a dark page should look dark`).toBeLessThan(0.4);
    else expect(facts.meanLuminance, `${name}: a light page should look light`).toBeGreaterThan(0.6);
  }
  return path;
}

/** A running `burnrate demo` server. */
export interface DemoServer {
  /** Dashboard URL with the token, as printed. */
  readonly url: string;
  readonly token: string;
  readonly origin: string;
  stop(): Promise<void>;
}

/** Waits until the demo's first refresh has ended: every connection has answered (numbers or an error). */
export async function firstRefreshDone(server: DemoServer): Promise<void> {
  await expect
    .poll(async () => {
      const response = await fetch(`${server.origin}/api/status`, { headers: { authorization: `Bearer ${server.token}` } });
      const status = (await response.json()) as StatusDocument;
      return status.workspaces.every((w) => w.connections.every((c) => c.status === 'error' || c.fetchedAt !== null));
    })
    .toBe(true);
}

/**
 * Starts the real `node bin/burnrate.js demo --port 0` with this test runner's Node (the
 * project's Node 24) and waits for the printed dashboard URL.
 */
export async function startDemoServer(timeoutMs = HANG_GUARD_EXPECT_MS): Promise<DemoServer> {
  const child: ChildProcess = spawn(process.execPath, ['bin/burnrate.js', 'demo', '--port', '0'], {
    cwd: resolve('.'),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`burnrate demo printed no dashboard URL within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /Burnrate dashboard: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        done(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`burnrate demo exited with ${code} before serving:\n${output}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    token: parsed.searchParams.get('token') ?? '',
    origin: parsed.origin,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          done();
          return;
        }
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(force);
          done();
        });
        child.kill('SIGINT');
      }),
  };
}
