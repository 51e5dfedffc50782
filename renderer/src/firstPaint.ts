/**
 * The served dashboard's first paint, before React (issue 11: `serve`, start to first render with
 * data). `burnrate serve` puts this small script before the app's in the page it sends with the
 * status document (main/services/httpServer.ts); the popover never loads it. It reads the
 * document from the page's data block and the selected workspace from the URL hash, exactly as
 * the app does, and draws the app's own first screen without its behaviour: the header, the demo
 * banner, the workspace tabs and the overview (spent, the estimate now, pace and projection),
 * with the app's markup and classes and the overview's texts from the same function
 * (features/overview/overviewText.ts). So the spend is on screen as soon as the page is parsed.
 * After that frame it writes the dates (the period line, "Updated …") and loads the app, which the
 * page does not load by itself (main/services/dashboardPage.ts); React's first commit replaces all
 * of it (createRoot clears the container) with the same screen, now live, and the rest of the panel.
 *
 * Safe with hostile names: every text goes in through textContent or an attribute value, never
 * as markup, and the page's Content-Security-Policy is unchanged (this is a file of our own, not
 * an inline script). test/e2e/firstPaint.spec.ts holds this screen equal to the app's.
 */
import type { StatusDocument } from '../../preload/api';
import { FLAME_PATH } from './features/common/iconPaths';
import { NOWCAST_TITLE, overviewTexts, periodText, SPENT_LABEL, type OverviewTexts } from './features/overview/overviewText';
import { allSummary, workspaceSummary, type ViewSummary } from './features/overview/summary';
import { tabFlag } from './features/overview/tone';
import { formatUsd } from './format';
import { formatTime } from './formatTime';
import { inlineStatus, workspaceFromHash } from './servedPage';

/** The app's query for its two-column layout (WIDE_QUERY of App.tsx). */
const WIDE_QUERY = '(min-width: 760px)';

type Child = Node | string | null;

/** An element with attributes (null or false: left out) and children (null: left out). */
function el(tag: string, attributes: Record<string, string | null | false>, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== null && value !== false) element.setAttribute(name, value);
  for (const child of children) if (child !== null) element.append(child);
  return element;
}

function flameIcon(): SVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  for (const [name, value] of Object.entries({ width: '16', height: '16', viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' })) svg.setAttribute(name, value);
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('d', FLAME_PATH);
  svg.append(path);
  return svg;
}

/** The header of the app (Header.tsx) as it first shows: brand and freshness (its text comes with the dates); its buttons come with the app. */
function header(): HTMLElement {
  return el(
    'header',
    { class: 'header' },
    el('div', { class: 'header__brand' }, el('span', { class: 'header__mark' }, flameIcon()), el('h1', { class: 'header__title' }, 'Burnrate')),
    el('div', { class: 'header__side' }, el('span', { class: 'header__freshness', 'data-testid': 'freshness' })),
  );
}

/** The tabs of WorkspaceTabs.tsx, drawn only (hidden from assistive technology until the real ones, which work, arrive). */
function tabs(status: StatusDocument, selectedId: string | null): HTMLElement {
  const tab = (selected: boolean, ...children: Child[]) => el('span', { class: 'tab', role: 'tab', 'aria-selected': String(selected) }, ...children);
  return el(
    'div',
    { class: 'tabs-wrap', 'aria-hidden': 'true' },
    el(
      'div',
      { class: 'tabs', role: 'tablist' },
      tab(selectedId === null, 'All'),
      ...status.workspaces.map((workspace, index) => {
        const { flag, text } = tabFlag(workspace);
        return tab(
          selectedId === workspace.id,
          index < 9 ? el('kbd', { class: 'tab__key' }, String(index + 1)) : null,
          el('span', { class: 'tab__name' }, workspace.name),
          flag ? el('span', { class: `tab__flag tab__flag--${flag}` }, el('span', { class: 'visually-hidden' }, `, ${text}`)) : null,
        );
      }),
    ),
  );
}

/** The markup of Overview.tsx for these texts. */
export function overviewElement(text: OverviewTexts): HTMLElement {
  return el(
    'section',
    { class: 'overview', 'aria-label': text.ariaLabel },
    el(
      'div',
      { class: 'overview__head' },
      el('span', { class: 'overview__label' }, SPENT_LABEL),
      text.period !== null ? el('span', { class: 'overview__period', 'data-testid': 'period' }, text.period) : null,
    ),
    el(
      'div',
      { class: 'overview__hero' },
      el(
        'div',
        { class: 'overview__total' },
        el('p', { class: 'overview__spent', 'data-testid': 'spent' }, text.spent),
        text.partial
          ? el(
              'p',
              { class: 'overview__partial', 'data-testid': 'coverage', title: text.partial.excluded.join('\n') },
              text.partial.text,
              el('span', { class: 'visually-hidden' }, ` (${text.partial.excluded.join('; ')})`),
            )
          : null,
      ),
      text.nowcast
        ? el(
            'div',
            { class: 'nowcast', title: NOWCAST_TITLE },
            el('span', { class: 'nowcast__label' }, 'Now, estimated'),
            el('span', { class: 'nowcast__value', 'data-testid': 'nowcast' }, text.nowcast.value),
            text.nowcast.unreported !== null ? el('span', { class: 'nowcast__sub' }, text.nowcast.unreported) : null,
          )
        : null,
    ),
    text.comparison !== null ? el('p', { class: 'overview__compare', 'data-testid': 'comparison' }, text.comparison) : null,
    el(
      'dl',
      { class: 'stats' },
      el('div', { class: 'stat' }, el('dt', {}, 'Burn rate'), el('dd', { class: 'stat__value', 'data-testid': 'burn-rate' }, text.burnRate), el('dd', { class: 'stat__sub' }, text.perDay)),
      el(
        'div',
        { class: 'stat' },
        el('dt', {}, 'Projected by period end'),
        el('dd', { class: 'stat__value', 'data-testid': 'projected' }, text.projected),
        el(
          'dd',
          { class: 'stat__sub', 'data-testid': 'projected-range', title: text.exactRange !== null ? `Range ${text.exactRange}` : null },
          text.range,
          text.exactRange !== null ? el('span', { class: 'visually-hidden' }, ` (range ${text.exactRange})`) : null,
        ),
      ),
    ),
    text.method !== null ? el('p', { class: 'overview__method', 'data-testid': 'projection-method' }, text.method) : null,
  );
}

/** The view the app opens with: the hash's workspace when it exists, else All (App.tsx). */
function selectedView(status: StatusDocument, hash: string): { readonly id: string | null; readonly summary: ViewSummary } {
  const id = workspaceFromHash(hash);
  const workspace = id === null ? undefined : status.workspaces.find((w) => w.id === id);
  return workspace ? { id: workspace.id, summary: workspaceSummary(workspace) } : { id: null, summary: allSummary(status) };
}

/**
 * Draws the first screen into `root` when the page carries a status document with at least one
 * workspace and React has not rendered yet. Returns null when it drew nothing, else the step that
 * writes its dates (the period line and "Updated …"), for after the frame that shows the numbers:
 * the first Intl format a fresh page makes costs 30–70 ms of ICU set-up (measured in Chromium,
 * any format), and the numbers need none in en-US (./format.ts).
 */
export function paintFirstView(root: HTMLElement, doc: Document, hash: string, wide: boolean): { readonly writeDates: () => void } | null {
  const status = inlineStatus(doc);
  if (status === null || status.workspaces.length === 0 || root.childNodes.length > 0) return null;
  const { id, summary } = selectedView(status, hash);
  const now = new Date(status.generatedAt);
  const overview = overviewElement(overviewTexts(summary, now, 'later'));
  const grid = wide
    ? el('div', { class: 'panel-grid panel-grid--wide' }, el('div', { class: 'panel-column' }, overview))
    : el('div', { class: 'panel-grid' }, overview);
  root.append(
    el(
      'div',
      { class: 'app app--served', 'data-testid': 'first-paint' },
      header(),
      el(
        'main',
        { class: 'main' },
        status.demo
          ? el(
              'div',
              { class: 'demo-banner', role: 'note', 'aria-label': 'Demo data', title: 'The numbers come from the built-in fake providers of `burnrate demo`, not from real accounts.' },
              el('strong', { class: 'demo-banner__label' }, 'Demo data'),
              el('span', { class: 'demo-banner__text' }, 'Fake providers, not real spend.'),
            )
          : null,
        tabs(status, id),
        el('div', { class: 'content' }, grid),
      ),
    ),
  );
  // As PanelContent does for the served dashboard: the headline number in the tab's title.
  doc.title = `${formatUsd(summary.spentUsd)} · ${summary.title} · Burnrate`;
  const app = root.firstElementChild!;
  return {
    writeDates: () => {
      const period = app.querySelector('[data-testid="period"]');
      if (period) period.textContent = periodText(summary, now);
      app.querySelector('[data-testid="freshness"]')!.textContent = `Updated ${formatTime(status.generatedAt)}`;
    },
  };
}

/**
 * Loads the app: its entry is named by this script's tag (`data-app-src`, main/services/dashboardPage.ts).
 * The served page has no script tag of the app's own, so that its 240 KB do not compete with the
 * first paint for the network and the main thread (measured: the spend on screen ~55 ms sooner).
 */
export function loadApp(doc: Document): void {
  const src = doc.querySelector('script[data-app-src]')?.getAttribute('data-app-src');
  if (src) void import(/* @vite-ignore */ new URL(src, doc.baseURI).href);
}

const root = document.getElementById('root');
const painted = root ? paintFirstView(root, document, location.hash, matchMedia(WIDE_QUERY).matches) : null;
if (painted) {
  // After the frame that shows the numbers: the app's fetch starts (it replaces all of this once
  // loaded), and the dates are written meanwhile (ICU's set-up, while the app's script downloads),
  // in a task of their own: the 30-100 ms of ICU set-up is not one long task with the fetch's
  // start, and whatever else waits for that frame (input, the page's other tasks) runs before it.
  requestAnimationFrame(() =>
    setTimeout(() => {
      loadApp(document);
      setTimeout(() => painted.writeDates(), 0);
    }, 0),
  );
} else {
  loadApp(document);
}
