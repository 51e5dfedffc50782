/**
 * The settings screen's state: the settings view from main (keys only masked), reloaded after
 * every change, and a one-line status message for screen readers.
 */
import { useCallback, useEffect, useState } from 'react';
import type { SettingsChange, SettingsView } from '../../../../preload/api';
import { TransportError, type SettingsTransport } from '../../spendApi';

/** State and helpers of {@link useSettings}. */
export interface SettingsModel {
  readonly view: SettingsView | null;
  /** Why the settings could not be loaded or a change could not be sent. */
  readonly error: string | null;
  /** The last confirmation ("Connection added."), announced politely. */
  readonly message: string | null;
  /** Applies a change answer: a saved change replaces the view; returns the answer. */
  apply(change: SettingsChange): SettingsChange;
  /** Runs a transport call, turning a transport failure into `error` (resolves undefined then). */
  run<T>(call: () => Promise<T>): Promise<T | undefined>;
  reload(): void;
  say(message: string | null): void;
}

/** Loads the settings once and keeps them current. */
export function useSettings(transport: SettingsTransport): SettingsModel {
  const [view, setView] = useState<SettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    transport.get().then(
      (loaded) => {
        if (live) {
          setView(loaded);
          setError(null);
        }
      },
      (failure: unknown) => {
        if (live) setError(failure instanceof TransportError ? failure.message : String(failure));
      },
    );
    return () => {
      live = false;
    };
  }, [transport, attempt]);

  const apply = useCallback((change: SettingsChange) => {
    if (change.ok) {
      setView(change.settings);
      setError(null);
      if (change.message) setMessage(change.message);
    }
    return change;
  }, []);

  const run = useCallback(async <T,>(call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (failure) {
      setError(failure instanceof TransportError ? failure.message : String(failure));
      return undefined;
    }
  }, []);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { view, error, message, apply, run, reload, say: setMessage };
}
