/**
 * The renderer's only door to the data: the ONLY file that touches `window.burnrate`.
 *
 * Two transports behind one interface:
 * - popover (Electron): `window.burnrate` from preload. Main owns the state and pushes snapshots;
 *   every call answers an `IpcResult`, turned here into a value or a {@link TransportError}.
 * - served (`burnrate serve` / `burnrate demo`): no preload, so the page reads our own loopback
 *   API, `GET /api/status` with the access token from `?token=` as a Bearer header, every 30 s.
 *   The server polls the providers; the page never does. The page the server sends carries the
 *   status document of that moment in a JSON data block (`#burnrate-status`): the first snapshot
 *   comes from it, with no request; the polls after it ask /api/status. The selected workspace is kept in the
 *   page (and in the URL hash, `#w=<id>`), since there is no main process to own it.
 */
import type {
  AppSnapshot,
  ConnectionInput,
  ConnectionTestResult,
  ExportResult,
  IpcResult,
  NotificationPause,
  PopoverView,
  PreferencesInput,
  SettingsChange,
  SettingsView,
  SpendApi,
  StatusDocument,
  WorkspaceInput,
} from '../../preload/api';
import { awaitingFirstRefresh } from '../../preload/servedPage';
import { inlineStatus, inlineStatusIsKept, isStatusDocument, workspaceFromHash } from './servedPage';

/** A failure to reach the data (not a provider failure: those are values in the snapshot). */
export class TransportError extends Error {
  /** IPC error kind (`forbidden`, `internal`…) or HTTP-side kind (`unauthorized`, `network`, `http`, `bad_response`, `no_token`). */
  readonly kind: string;

  constructor(kind: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportError';
    this.kind = kind;
  }
}

/** What the UI needs, whichever transport serves it. */
export interface SpendTransport {
  /** `popover` inside Electron, `served` when the dashboard is opened in a browser. */
  readonly mode: 'popover' | 'served';
  /** The current snapshot. Rejects with TransportError. */
  getSnapshot(): Promise<AppSnapshot>;
  /**
   * Receives every new snapshot (pushed by main, or polled from the API) and every failure to get
   * one after the first; returns the unsubscribe function. Polling runs only while subscribed.
   */
  subscribe(onSnapshot: (snapshot: AppSnapshot) => void, onError: (error: TransportError) => void): () => void;
  /** The snapshot the page came with, at once (the served page's data block); null or absent when there is none. */
  initialSnapshot?(): AppSnapshot | null;
  /** Asks for fresh numbers now. Resolves when the refresh has finished; rejects with TransportError. */
  refreshNow(): Promise<void>;
  /** Selects a workspace (null = all). Rejects with TransportError. */
  selectWorkspace(workspaceId: string | null): Promise<void>;
  /** Tells main whether the popover is visible (it refreshes more often then). No-op when served. */
  setPopoverOpen(open: boolean): void;
  /** Closes the popover (Escape). No-op when served: a browser tab stays open. */
  hidePopover(): void;
  /** Settings and onboarding: only inside the tray app. Null in the served dashboard (read-only). */
  readonly settings: SettingsTransport | null;
  /** Main asks for a view (tray menu "Settings…", a notification click); returns the unsubscribe function. */
  onShowView(listener: (view: PopoverView) => void): () => void;
  /** Where the spend export (CSV) downloads from, with the token; null in the popover. */
  readonly exportUrl?: string | null;
}

/** The settings operations (tray app only). Every call rejects with TransportError when main cannot be reached. */
export interface SettingsTransport {
  get(): Promise<SettingsView>;
  saveWorkspace(workspace: WorkspaceInput): Promise<SettingsChange>;
  removeWorkspace(workspaceId: string): Promise<SettingsChange>;
  reorderWorkspaces(workspaceIds: readonly string[]): Promise<SettingsChange>;
  saveConnection(connection: ConnectionInput): Promise<SettingsChange>;
  removeConnection(workspaceId: string, connectionId: string): Promise<SettingsChange>;
  testConnection(connection: ConnectionInput): Promise<ConnectionTestResult>;
  savePreferences(preferences: PreferencesInput): Promise<SettingsChange>;
  pauseNotifications(pause: NotificationPause): Promise<SettingsChange>;
  chooseDemo(demo: boolean): Promise<SettingsChange>;
  importConfig(file: string, allowObfuscatedKeys: boolean): Promise<SettingsChange>;
  exportConfig(file: string, overwrite: boolean): Promise<ExportResult>;
  openFolder(folder: 'config' | 'logs'): Promise<void>;
}

// The served page's data block and hash (own module: the served first paint reads them too).
export { INLINE_STATUS_ID, inlineStatus, workspaceFromHash } from './servedPage';

/** How often the served dashboard reads /api/status (the server itself refreshes providers). */
export const SERVED_POLL_INTERVAL_MS = 30_000;
/**
 * While a connection still waits for its first refresh (no numbers and no error yet, as right after
 * `burnrate serve` or `demo` starts on an empty database), the page asks this often instead, so the
 * numbers show seconds after the server has them rather than up to a poll interval later. Also
 * while the page shows the document an earlier run kept (`serve` showed it at once on starting).
 */
export const SERVED_FIRST_DATA_POLL_MS = 2_000;
/** The quick polls stop after this many (a connection the server never fetches must not keep the page polling every 2 s). */
export const SERVED_FIRST_DATA_POLLS = 60;
/** A fetch of /api/status that takes longer than this is abandoned. */
export const SERVED_FETCH_TIMEOUT_MS = 10_000;

function unwrap<T>(result: IpcResult<T>): T {
  if (result.ok) return result.value;
  throw new TransportError(result.error.kind, result.error.message);
}

async function call<T>(what: string, invoke: () => Promise<IpcResult<T>>): Promise<T> {
  let result: IpcResult<T>;
  try {
    result = await invoke();
  } catch (error) {
    // preload never throws by contract; if it does anyway, say what failed rather than crash.
    throw new TransportError('ipc', `Could not ${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return unwrap(result);
}

/** The settings half of the Electron transport. */
function createSettingsTransport(api: SpendApi): SettingsTransport {
  return {
    get: () => call('load the settings', () => api.getSettings()),
    saveWorkspace: (workspace) => call('save the workspace', () => api.saveWorkspace(workspace)),
    removeWorkspace: (workspaceId) => call('remove the workspace', () => api.removeWorkspace(workspaceId)),
    reorderWorkspaces: (workspaceIds) => call('reorder the workspaces', () => api.reorderWorkspaces(workspaceIds)),
    saveConnection: (connection) => call('save the connection', () => api.saveConnection(connection)),
    removeConnection: (workspaceId, connectionId) => call('remove the connection', () => api.removeConnection(workspaceId, connectionId)),
    testConnection: (connection) => call('test the connection', () => api.testConnection(connection)),
    savePreferences: (preferences) => call('save the preferences', () => api.savePreferences(preferences)),
    pauseNotifications: (pause) => call('pause notifications', () => api.pauseNotifications(pause)),
    chooseDemo: (demo) => call(demo ? 'start the demo' : 'leave the demo', () => api.chooseDemo(demo)),
    importConfig: (file, allowObfuscatedKeys) => call('import the config file', () => api.importConfig(file, allowObfuscatedKeys)),
    exportConfig: (file, overwrite) => call('export the config file', () => api.exportConfig(file, overwrite)),
    async openFolder(folder) {
      await call('open the folder', () => api.openFolder(folder));
    },
  };
}

/** The Electron transport over the preload API. */
export function createIpcTransport(api: SpendApi): SpendTransport {
  return {
    mode: 'popover',
    // An older preload without the settings functions: the popover still shows spend.
    settings: typeof api.getSettings === 'function' ? createSettingsTransport(api) : null,
    onShowView: (listener) => (typeof api.onShowView === 'function' ? api.onShowView(listener) : () => undefined),
    getSnapshot: () => call('load the spend snapshot', () => api.getSnapshot()),
    subscribe(onSnapshot) {
      return api.onSnapshot(onSnapshot);
    },
    async refreshNow() {
      await call('refresh', () => api.refreshNow());
    },
    async selectWorkspace(workspaceId) {
      await call('switch workspace', () => api.selectWorkspace(workspaceId));
    },
    setPopoverOpen(open) {
      // Fire and forget: main also learns visibility from the window's show/hide events.
      api.setPopoverOpen(open).then(
        (result) => {
          if (!result.ok) console.warn(`setPopoverOpen failed: ${result.error.kind}`);
        },
        (error: unknown) => console.warn('setPopoverOpen failed', error),
      );
    },
    hidePopover() {
      api.hidePopover().then(
        (result) => {
          if (!result.ok) console.warn(`hidePopover failed: ${result.error.kind}`);
        },
        (error: unknown) => console.warn('hidePopover failed', error),
      );
    },
  };
}

/** Dependencies of the HTTP transport; the browser's by default. */
export interface HttpTransportEnvironment {
  readonly location: Pick<Location, 'search' | 'hash' | 'pathname'>;
  readonly history: Pick<History, 'replaceState'>;
  readonly fetch: typeof fetch;
  readonly addEventListener: (type: 'hashchange', listener: () => void) => void;
  readonly removeEventListener: (type: 'hashchange', listener: () => void) => void;
  /** The status document the page was served with (its `#burnrate-status` data block), if any: the first snapshot. */
  readonly initialStatus?: StatusDocument | null;
  /** True when that document is the one an earlier run kept (`serve` just started): the first poll comes soon, as during a first refresh. */
  readonly initialStatusKept?: boolean;
}

/** The served-dashboard transport: polls our own loopback API. */
export function createHttpTransport(env: HttpTransportEnvironment, pollIntervalMs = SERVED_POLL_INTERVAL_MS): SpendTransport {
  const token = new URLSearchParams(env.location.search).get('token');
  let status: StatusDocument | null = null;
  // The document the page came with answers the first getSnapshot (once: later ones fetch).
  let served: StatusDocument | null = env.initialStatus ?? null;
  // Shown until a live document replaces it: polled for as soon as a first refresh would be.
  const kept = env.initialStatusKept === true ? served : null;
  let selectedWorkspaceId = workspaceFromHash(env.location.hash);
  let refreshing = false;
  const snapshotListeners = new Set<(snapshot: AppSnapshot) => void>();
  const errorListeners = new Set<(error: TransportError) => void>();

  const snapshot = (document: StatusDocument): AppSnapshot => ({ status: document, selectedWorkspaceId, refreshing, fromCache: false });
  const emit = (): void => {
    if (!status) return;
    const current = snapshot(status);
    for (const listener of snapshotListeners) listener(current);
  };
  const fail = (error: TransportError): void => {
    for (const listener of errorListeners) listener(error);
  };

  /** Set by subscribe: the poll timer, set again after each fetch. */
  let onFetchSettled: (() => void) | null = null;
  const fetchStatus = async (): Promise<StatusDocument> => {
    try {
      return await fetchStatusOnce();
    } finally {
      onFetchSettled?.();
    }
  };
  const fetchStatusOnce = async (): Promise<StatusDocument> => {
    if (!token) {
      throw new TransportError('no_token', 'This page needs its access token. Open the dashboard URL that `burnrate serve` printed (it ends in ?token=…).');
    }
    let response: Response;
    try {
      response = await env.fetch('/api/status', {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        cache: 'no-store',
        signal: AbortSignal.timeout(SERVED_FETCH_TIMEOUT_MS),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new TransportError(
        'network',
        timedOut ? 'The Burnrate server did not answer in time.' : 'Cannot reach the Burnrate server. Is `burnrate serve` still running?',
        { cause: error },
      );
    }
    if (response.status === 401) {
      throw new TransportError('unauthorized', 'The server refused the access token. Open the URL printed by the latest `burnrate serve` (the token changes on every start).');
    }
    if (!response.ok) throw new TransportError('http', `The Burnrate server answered ${response.status} ${response.statusText}.`.replace(/ \.$/, '.'));
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw new TransportError('bad_response', 'The Burnrate server sent something that is not JSON.', { cause: error });
    }
    if (!isStatusDocument(body)) throw new TransportError('bad_response', 'The Burnrate server sent an unexpected status document.');
    status = body;
    return body;
  };

  const writeHash = (): void => {
    const hash = selectedWorkspaceId === null ? '' : `#w=${encodeURIComponent(selectedWorkspaceId)}`;
    // replaceState keeps the token in the query and adds no history entry per click.
    env.history.replaceState(null, '', `${env.location.pathname}${env.location.search}${hash}`);
  };

  return {
    mode: 'served',
    // The served dashboard is read-only: settings live in the tray app.
    settings: null,
    onShowView: () => () => undefined,
    exportUrl: token ? `/api/export.csv?token=${encodeURIComponent(token)}` : null,
    initialSnapshot() {
      return served !== null && token ? snapshot(served) : null;
    },
    async getSnapshot() {
      if (served !== null && token) {
        status = served;
        served = null;
        return snapshot(status);
      }
      return snapshot(await fetchStatus());
    },
    subscribe(onSnapshot, onError) {
      snapshotListeners.add(onSnapshot);
      errorListeners.add(onError);
      // One timer at a time, set again whenever a fetch of the document settles (a poll, the
      // first load, Retry): every pollIntervalMs, or sooner while a first refresh is still running
      // on the server.
      let quickPolls = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const poll = (): void => {
        fetchStatus().then(emit, fail);
      };
      const schedule = (): void => {
        clearTimeout(timer);
        // What the page shows: the last document fetched, else the one it was served with.
        const shown = status ?? served;
        const quick = shown !== null && (shown === kept || awaitingFirstRefresh(shown)) && quickPolls < SERVED_FIRST_DATA_POLLS;
        if (quick) quickPolls += 1;
        timer = setTimeout(poll, quick ? Math.min(SERVED_FIRST_DATA_POLL_MS, pollIntervalMs) : pollIntervalMs);
      };
      onFetchSettled = schedule;
      schedule();
      const onHashChange = (): void => {
        const next = workspaceFromHash(env.location.hash);
        if (next === selectedWorkspaceId) return;
        selectedWorkspaceId = next;
        emit();
      };
      env.addEventListener('hashchange', onHashChange);
      return () => {
        if (onFetchSettled === schedule) onFetchSettled = null;
        clearTimeout(timer);
        env.removeEventListener('hashchange', onHashChange);
        snapshotListeners.delete(onSnapshot);
        errorListeners.delete(onError);
      };
    },
    async refreshNow() {
      refreshing = true;
      emit();
      try {
        await fetchStatus();
      } finally {
        refreshing = false;
        emit();
      }
    },
    async selectWorkspace(workspaceId) {
      selectedWorkspaceId = workspaceId;
      writeHash();
      emit();
    },
    setPopoverOpen() {
      // A browser tab has no popover; the server refreshes on its own schedule.
    },
    hidePopover() {
      // A browser tab is not a popover: Escape leaves it open.
    },
  };
}

/** The transport for this page: Electron's preload API when present, else the served HTTP API. */
export function createSpendTransport(win: Window = window): SpendTransport {
  const api = win.burnrate;
  if (api) return createIpcTransport(api);
  return createHttpTransport({
    location: win.location,
    history: win.history,
    fetch: win.fetch.bind(win),
    addEventListener: (type, listener) => win.addEventListener(type, listener),
    removeEventListener: (type, listener) => win.removeEventListener(type, listener),
    initialStatus: inlineStatus(win.document),
    initialStatusKept: inlineStatusIsKept(win.document),
  });
}
