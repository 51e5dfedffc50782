/**
 * What an update re-renders (issue 11: the popover's update cost). A new snapshot in which only
 * the headline moved (one workspace's spend, the All total, and the document's time within the
 * same minute) must re-render the sections that show those numbers and skip the others.
 *
 * Which components rendered is read from React itself, through the hook React calls at every
 * commit when the React DevTools are installed (`__REACT_DEVTOOLS_GLOBAL_HOOK__`, installed here
 * before the page's scripts run; the production build calls it too). A function component
 * rendered in a commit when its props or its hook list are new objects (a skipped memo keeps
 * both). Components are named by their first element with a data-testid or a class (the testid,
 * else its first class), as the built code's function names are minified.
 */
import { expect, test, type Page } from 'playwright/test';
import type { AppSnapshot } from '../../preload/api';
import { fixtureSnapshot, installFakeApi } from './support';

test.use({ viewport: { width: 380, height: 560 }, locale: 'en-US', timezoneId: 'America/New_York', colorScheme: 'dark' });

/** Installs the hook: window.__rendered() answers the components rendered since the last call. */
async function recordRenders(page: Page): Promise<void> {
  await page.addInitScript(() => {
    interface Fiber {
      tag: number;
      child: Fiber | null;
      sibling: Fiber | null;
      alternate: Fiber | null;
      memoizedProps: unknown;
      memoizedState: unknown;
      stateNode: unknown;
    }
    // React's work tags of components that run a function when they render:
    // FunctionComponent, ForwardRef, MemoComponent, SimpleMemoComponent.
    const COMPONENT_TAGS = new Set([0, 11, 14, 15]);
    const HOST_COMPONENT = 5;
    const seen = new WeakMap<Fiber, readonly [unknown, unknown]>();
    let rendered: string[] = [];
    // The first element down the first-child line that has a data-testid or a class.
    const nameOf = (fiber: Fiber): string => {
      for (let f: Fiber | null = fiber.child; f; f = f.child) {
        if (f.tag === HOST_COMPONENT && f.stateNode instanceof Element) {
          const element = f.stateNode;
          const name = element.getAttribute('data-testid') ?? element.classList[0];
          if (name) return name;
        }
      }
      return '?';
    };
    const visit = (fiber: Fiber | null): void => {
      for (let f = fiber; f; f = f.sibling) {
        if (COMPONENT_TAGS.has(f.tag)) {
          const now = [f.memoizedProps, f.memoizedState] as const;
          // A fiber seen for the first time may be the alternate of one seen before: a skipped
          // memo's new alternate holds the same props and hooks.
          const before = seen.get(f) ?? (f.alternate ? seen.get(f.alternate) : undefined);
          if (before === undefined || before[0] !== now[0] || before[1] !== now[1]) rendered.push(nameOf(f));
          // The fiber and its alternate are the same component (React double-buffers its tree).
          seen.set(f, now);
          if (f.alternate) seen.set(f.alternate, now);
        }
        visit(f.child);
      }
    };
    const testWindow = window as unknown as Record<string, unknown>;
    testWindow.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
      isDisabled: false,
      supportsFiber: true,
      renderers: new Map(),
      inject: () => 1,
      onCommitFiberRoot: (_id: number, root: { current: Fiber }) => visit(root.current.child),
      onCommitFiberUnmount: () => undefined,
      onPostCommitFiberRoot: () => undefined,
      checkDCE: () => undefined,
    };
    testWindow.__rendered = () => {
      const names = rendered;
      rendered = [];
      return names;
    };
  });
}

const rendered = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { __rendered: () => string[] }).__rendered());
const push = (page: Page, snapshot: AppSnapshot): Promise<void> =>
  page.evaluate((next) => (window as unknown as { __pushSnapshot: (s: AppSnapshot) => void }).__pushSnapshot(next), snapshot);

/** The fixture with the Research workspace's spend (and the All total) raised by `usd`, `seconds` later in the same minute. */
function raised(snapshot: AppSnapshot, usd: number, seconds: number): AppSnapshot {
  const copy = structuredClone(snapshot);
  const status = copy.status as unknown as { generatedAt: string; all?: { spentUsd: number }; workspaces: Array<{ id: string; spentUsd: number }> };
  status.generatedAt = new Date(Date.parse(status.generatedAt) + seconds * 1000).toISOString();
  status.workspaces.find((w) => w.id === 'research')!.spentUsd += usd;
  if (status.all) status.all.spentUsd += usd;
  return copy;
}

/** The fixture with an idle deployment (cost, no request) in Research, so the breakdown lists idle deployments. */
function withIdle(): AppSnapshot {
  const snapshot = structuredClone(fixtureSnapshot());
  const research = snapshot.status.workspaces.find((w) => w.id === 'research')! as { topResources?: unknown[] };
  research.topResources = [...(research.topResources ?? []), { id: 'idle-1', name: 'forgotten-llama', kind: 'deployment', spentUsd: 42.5, requests: 0, connectionId: 'baseten' }];
  return snapshot;
}

test('an update in which only the headline moved re-renders what shows it, and skips the rest', async ({ page }) => {
  const snapshot = withIdle();
  // 21:47:44 in the fixture: 10 s later is the same minute, so the header's "Updated" time stays.
  expect(new Date(snapshot.status.generatedAt).getUTCSeconds()).toBeLessThan(50);
  await recordRenders(page);
  await installFakeApi(page, { snapshot });
  await page.goto('/index.html');
  await expect(page.getByTestId('spent')).toHaveText('$28,827.37');
  await expect(page.getByTestId('idle')).toContainText('forgotten-llama');
  const first = await rendered(page);
  // The hook sees React's renders at all (the mount rendered every section).
  expect(first).toEqual(expect.arrayContaining(['header', 'overview', 'trend', 'connections', 'idle', 'resources__filter', 'workspace-card-research', 'workspace-card-prod']));

  await push(page, raised(snapshot, 1, 10));
  await expect(page.getByTestId('spent')).toHaveText('$28,828.37');
  await expect(page.getByTestId('workspace-card-research')).toContainText('$12,076.82');
  const update = await rendered(page);
  // What shows the new numbers rendered...
  expect(update).toEqual(expect.arrayContaining(['overview', 'workspace-card-research', 'breakdown']));
  // ...and what did not change was skipped: the header (same minute), the 48-hour trend, the
  // connections, the other workspaces' cards, the breakdown's provider filter and idle list.
  for (const skipped of ['header', 'trend', 'connections', 'workspace-card-prod', 'workspace-card-sandbox', 'idle', 'resources__filter']) {
    expect(update, `${skipped} re-rendered`).not.toContain(skipped);
  }

  // A new minute re-renders the header (it shows the time).
  await push(page, raised(snapshot, 2, 70));
  await expect(page.getByTestId('spent')).toHaveText('$28,829.37');
  expect(await rendered(page)).toContain('header');
});
