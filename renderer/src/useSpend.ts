/**
 * The app's state: the latest snapshot from the transport, the workspace selection, and the
 * loading / error / refreshing flags the UI shows.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppSnapshot } from '../../preload/api';
import { shareStructure } from './shareStructure';
import { TransportError, type SpendTransport } from './spendApi';

/** What the UI renders. */
export type SpendState =
  | { readonly phase: 'loading' }
  /** No data at all: the transport failed before the first snapshot. */
  | { readonly phase: 'error'; readonly error: TransportError }
  | {
      readonly phase: 'ready';
      readonly snapshot: AppSnapshot;
      /** A later failure (poll, refresh, selection) while the last snapshot stays on screen. */
      readonly actionError: TransportError | null;
    };

/** State plus the actions of {@link useSpend}. */
export interface SpendModel {
  readonly state: SpendState;
  /** Selected workspace id; null = all workspaces. */
  readonly selectedWorkspaceId: string | null;
  /** True while a refresh runs (main's flag, or our own request still pending). */
  readonly refreshing: boolean;
  readonly mode: SpendTransport['mode'];
  refresh(): void;
  select(workspaceId: string | null): void;
  /** Loads again after a failure. */
  retry(): void;
  dismissError(): void;
}

function asTransportError(error: unknown): TransportError {
  return error instanceof TransportError ? error : new TransportError('internal', error instanceof Error ? error.message : String(error));
}

/** Subscribes to the transport for the lifetime of the component. */
export function useSpend(transport: SpendTransport): SpendModel {
  // A page served with its numbers starts ready: its first frame is the dashboard, not a loading state.
  const [initial] = useState(() => transport.initialSnapshot?.() ?? null);
  const [state, setState] = useState<SpendState>(initial ? { phase: 'ready', snapshot: initial, actionError: null } : { phase: 'loading' });
  const [selectedWorkspaceId, setSelected] = useState<string | null>(initial?.selectedWorkspaceId ?? null);
  const [requestPending, setRequestPending] = useState(false);
  const [attempt, setAttempt] = useState(0);
  // The selection main last reported: a change there (tray menu) wins over the local choice.
  const reportedSelection = useRef<string | null | undefined>(initial ? initial.selectedWorkspaceId : undefined);
  // The last snapshot accepted: a new one is merged against it (structural sharing), so what did
  // not change keeps its identity and the memoized sections skip it.
  const lastSnapshot = useRef<AppSnapshot | null>(initial);

  const accept = useCallback((incoming: AppSnapshot) => {
    const snapshot = shareStructure(lastSnapshot.current, incoming);
    lastSnapshot.current = snapshot;
    if (snapshot.selectedWorkspaceId !== reportedSelection.current) {
      reportedSelection.current = snapshot.selectedWorkspaceId;
      setSelected(snapshot.selectedWorkspaceId);
    }
    setState((previous) => (previous.phase === 'ready' && previous.snapshot === snapshot && previous.actionError === null ? previous : { phase: 'ready', snapshot, actionError: null }));
  }, []);

  const report = useCallback((error: TransportError) => {
    setState((previous) => (previous.phase === 'ready' ? { ...previous, actionError: error } : { phase: 'error', error }));
  }, []);

  useEffect(() => {
    let live = true;
    const unsubscribe = transport.subscribe(
      (snapshot) => {
        if (live) accept(snapshot);
      },
      (error) => {
        if (live) report(error);
      },
    );
    transport.getSnapshot().then(
      (snapshot) => {
        if (live) accept(snapshot);
      },
      (error: unknown) => {
        if (live) report(asTransportError(error));
      },
    );
    return () => {
      live = false;
      unsubscribe();
    };
  }, [transport, accept, report, attempt]);

  useEffect(() => {
    if (transport.mode !== 'popover') return;
    const update = (): void => transport.setPopoverOpen(document.visibilityState === 'visible');
    update();
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, [transport]);

  const refresh = useCallback(() => {
    setRequestPending(true);
    transport
      .refreshNow()
      .then(
        () => setState((previous) => (previous.phase === 'ready' ? { ...previous, actionError: null } : previous)),
        (error: unknown) => report(asTransportError(error)),
      )
      .finally(() => setRequestPending(false));
  }, [transport, report]);

  const select = useCallback(
    (workspaceId: string | null) => {
      setSelected(workspaceId);
      transport.selectWorkspace(workspaceId).catch((error: unknown) => report(asTransportError(error)));
    },
    [transport, report],
  );

  const retry = useCallback(() => {
    setState({ phase: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  const dismissError = useCallback(() => {
    setState((previous) => (previous.phase === 'ready' ? { ...previous, actionError: null } : previous));
  }, []);

  const refreshing = requestPending || (state.phase === 'ready' && state.snapshot.refreshing);
  return { state, selectedWorkspaceId, refreshing, mode: transport.mode, refresh, select, retry, dismissError };
}
