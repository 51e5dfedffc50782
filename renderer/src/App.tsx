import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type ComponentProps } from 'react';
import { DemoBanner } from './features/header/DemoBanner';
import { DemoSetupBar } from './features/onboarding/DemoSetupBar';
import { formatTime } from './formatTime';
import type { SettingsTab } from './features/settings/SettingsPanel';
import { Header } from './features/header/Header';
import { ActionErrorBar } from './features/states/ErrorState';
import { LoadingState } from './features/states/LoadingState';
import { tabId, WorkspaceTabs } from './features/workspaces/WorkspaceTabs';
import { useWorkspaceKeys } from './features/workspaces/useWorkspaceKeys';
import type { WorkspaceStatus } from '../../preload/api';
import type { SpendTransport } from './spendApi';
import { useMediaQuery } from './useMediaQuery';
import { useSpend } from './useSpend';

// The panel's content is its own chunk, fetched now, while the first snapshot is asked for: the
// first JavaScript is React and this shell only (budget: 75 KB gzip, test/unit/rendererSize.test.ts).
let loadedPanel: (typeof import('./features/panel/PanelContent'))['default'] | null = null;
/** The panel's module, requested as this module loads (main.tsx may wait for it before the first render). */
export const loadPanel = import('./features/panel/PanelContent').then((module) => {
  loadedPanel = module.default;
  return module;
});
const LazyPanelContent = lazy(() => loadPanel);

/**
 * The panel: rendered directly when its chunk is already there as it mounts (a page served with
 * its numbers: no loading frame, and no reveal held back by React's Suspense throttle, ~300 ms),
 * else through React.lazy. The choice is kept for the mount, so the content never remounts.
 */
function PanelContent(props: ComponentProps<typeof LazyPanelContent>) {
  const [Loaded] = useState(() => loadedPanel);
  return Loaded ? <Loaded {...props} /> : <LazyPanelContent {...props} />;
}
// Settings load on first open: the popover's first paint carries only what it shows (JS budget 75 KB gzip).
const SettingsPanel = lazy(() => import('./features/settings/SettingsPanel').then((module) => ({ default: module.SettingsPanel })));
const PANEL_ID = 'workspace-panel';
const NO_WORKSPACES: readonly WorkspaceStatus[] = [];
/** Wide enough for the two-column dashboard (served mode only; the popover is 380 px). */
const WIDE_QUERY = '(min-width: 760px)';

/** Props of {@link App}. */
export interface AppProps {
  readonly transport: SpendTransport;
}

/**
 * The popover (Electron) and the served dashboard: one app, two transports. Answers at a glance:
 * what have we spent, how fast are we burning, where will we land, and which resource does it.
 */
export function App({ transport }: AppProps) {
  const model = useSpend(transport);
  const { state, refreshing, refresh, select, retry, dismissError } = model;
  const snapshot = state.phase === 'ready' ? state.snapshot : null;
  const status = snapshot?.status ?? null;
  // The snapshot is structurally shared with the previous one (useSpend): an unchanged list keeps its identity.
  const workspaces = status?.workspaces ?? NO_WORKSPACES;
  const workspaceIds = useMemo(() => workspaces.map((w) => w.id), [workspaces]);
  // A selection that no longer exists (workspace removed from the config) falls back to All.
  const selectedId = model.selectedWorkspaceId !== null && workspaceIds.includes(model.selectedWorkspaceId) ? model.selectedWorkspaceId : null;
  const wide = useMediaQuery(WIDE_QUERY) && transport.mode === 'served';
  // Settings and onboarding exist only in the tray app; the served dashboard stays read-only.
  const settings = transport.settings;
  const setup = settings ? (snapshot?.setup ?? null) : null;
  const [settingsOpen, setSettingsOpen] = useState<{ readonly tab: SettingsTab; readonly adding: boolean } | null>(null);
  const showSettings = settings !== null && settingsOpen !== null;
  // The tray menu's "Settings…" opens settings; a notification click asks for the numbers.
  useEffect(
    () => transport.onShowView((view) => setSettingsOpen(view === 'settings' ? { tab: 'connections', adding: false } : null)),
    [transport],
  );
  const canRefresh = state.phase === 'ready' && (setup === null || setup.mode === 'demo' || setup.mode === 'configured');

  // R while a refresh runs does nothing, like the disabled button.
  // Enter on a workspace card opens it; focus moves to its tab (the card itself goes away).
  const openWorkspace = useCallback(
    (workspaceId: string) => {
      select(workspaceId);
      document.getElementById(tabId(workspaceId))?.focus();
    },
    [select],
  );

  // Single keys (1–9, A, R, arrows) are off while settings are open.
  useWorkspaceKeys({
    workspaceIds: showSettings ? [] : workspaceIds,
    selectedId,
    onSelect: showSettings ? () => undefined : select,
    onRefresh: canRefresh && !refreshing && !showSettings ? refresh : null,
  });

  const panelRef = useRef<HTMLDivElement>(null);
  // Escape closes the popover like a native menu-bar popover (the served dashboard ignores it).
  // Scroll keys pressed with nothing focused go to the panel: the page itself never scrolls, so
  // the header, banner and tabs always stay in view.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) transport.hidePopover();
      const panel = panelRef.current;
      if (panel && !event.defaultPrevented && (event.target === document.body || event.target === document.documentElement)) {
        const page = Math.max(40, panel.clientHeight - 40);
        const step: Record<string, number> = { PageDown: page, PageUp: -page, ' ': event.shiftKey ? -page : page, ArrowDown: 40, ArrowUp: -40 };
        if (event.key === 'End' || event.key === 'Home') {
          event.preventDefault();
          panel.scrollTop = event.key === 'End' ? panel.scrollHeight : 0;
        } else if (step[event.key] !== undefined && !event.altKey && !event.ctrlKey && !event.metaKey) {
          event.preventDefault();
          panel.scrollTop += step[event.key]!;
        }
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [transport]);

  // Stable callbacks and props: the memoized panel and header re-render only when their data changes.
  const addProvider = useCallback(() => setSettingsOpen({ tab: 'connections', adding: true }), []);
  const openGeneralSettings = useCallback(() => setSettingsOpen({ tab: 'general', adding: false }), []);
  const openSettings = useCallback(() => setSettingsOpen({ tab: 'connections', adding: false }), []);
  const error = state.phase === 'error' ? state.error : null;
  const panelState = useMemo(
    () => (snapshot ? ({ phase: 'ready', snapshot } as const) : error ? ({ phase: 'error', error } as const) : null),
    [snapshot, error],
  );
  const content =
    panelState === null ? (
      <LoadingState />
    ) : (
      <Suspense fallback={<LoadingState />}>
        <PanelContent
          state={panelState}
          workspaces={workspaces}
          selectedId={selectedId}
          wide={wide}
          mode={transport.mode}
          settings={settings}
          setup={setup}
          onRetry={retry}
          onOpenWorkspace={openWorkspace}
          onAddProvider={addProvider}
          onOpenGeneralSettings={openGeneralSettings}
        />
      </Suspense>
    );

  const hasTabs = workspaces.length > 0;
  // The header shows the time as text: a new document of the same minute does not re-render it.
  const updatedAt = status ? formatTime(status.generatedAt) : null;
  if (showSettings) {
    return (
      <div className={`app app--${transport.mode}`}>
        <Header updatedAt={updatedAt} refreshing={refreshing} fromCache={snapshot?.fromCache ?? false} onRefresh={null} />
        <Suspense fallback={<LoadingState />}>
          <SettingsPanel
            transport={settings}
            initialTab={settingsOpen.tab}
            startAdding={settingsOpen.adding}
            onClose={() => setSettingsOpen(null)}
            nowMs={status ? Date.parse(status.generatedAt) : Date.now()}
          />
        </Suspense>
      </div>
    );
  }
  return (
    <div className={`app app--${transport.mode}`}>
      <Header
        updatedAt={updatedAt}
        refreshing={refreshing}
        fromCache={snapshot?.fromCache ?? false}
        onRefresh={canRefresh ? refresh : null}
        exportUrl={transport.exportUrl ?? null}
        onOpenSettings={settings ? openSettings : null}
      />
      {/* One main landmark holds everything below the header; the panel inside it is the only
          scrolling element, so keys and wheels never move the header, banner or tabs. */}
      <main className="main">
        {status?.demo ? <DemoBanner /> : null}
        {status?.demo && settings && setup?.mode === 'demo' ? <DemoSetupBar onAddProvider={addProvider} /> : null}
        {(snapshot?.notices ?? []).map((notice) => (
          <div key={notice} className="action-error" role="status" data-testid="shell-notice">
            <span className="action-error__text">{notice}</span>
          </div>
        ))}
        {state.phase === 'ready' && state.actionError ? <ActionErrorBar error={state.actionError} onRetry={refresh} onDismiss={dismissError} /> : null}
        {hasTabs ? <WorkspaceTabs workspaces={workspaces} selectedId={selectedId} onSelect={select} panelId={PANEL_ID} /> : null}
        <div
          className="content"
          id={PANEL_ID}
          ref={panelRef}
          {...(hasTabs ? { role: 'tabpanel', 'aria-labelledby': tabId(selectedId) } : { role: 'region', 'aria-label': 'Spend' })}
          // In the tab order: the panel scrolls, and keyboard users scroll it with the arrow keys.
          tabIndex={0}
          aria-busy={refreshing}
          data-testid="panel"
        >
          {content}
        </div>
      </main>
    </div>
  );
}
