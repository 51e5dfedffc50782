/**
 * The settings screen inside the popover: Connections, Workspaces, Notifications, General.
 * Escape or "Done" goes back to the numbers (Escape here never closes the popover).
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { TransportError, type SettingsTransport } from '../../spendApi';
import { ConnectionsSection } from './ConnectionsSection';
import { GeneralSection } from './GeneralSection';
import { NotificationsSection } from './NotificationsSection';
import { useSettings } from './useSettings';
import { WorkspacesSection } from './WorkspacesSection';
import './settings.css';

/** The sections, in tab order. */
export const SETTINGS_TABS = ['connections', 'workspaces', 'notifications', 'general'] as const;
/** One section of the settings screen. */
export type SettingsTab = (typeof SETTINGS_TABS)[number];
const TAB_LABEL: Readonly<Record<SettingsTab, string>> = { connections: 'Connections', workspaces: 'Workspaces', notifications: 'Notifications', general: 'General' };

/** Props of {@link SettingsPanel}. */
export interface SettingsPanelProps {
  readonly transport: SettingsTransport;
  readonly initialTab?: SettingsTab;
  /** Open "Add a provider" at once (onboarding). */
  readonly startAdding?: boolean;
  readonly onClose: () => void;
  /** "Now" for pause state (the snapshot's time, so tests are deterministic). */
  readonly nowMs: number;
}

/** The settings screen. */
export function SettingsPanel({ transport, initialTab = 'connections', startAdding = false, onClose, nowMs }: SettingsPanelProps) {
  const model = useSettings(transport);
  const [tab, setTab] = useState<SettingsTab>(initialTab);
  const heading = useRef<HTMLHeadingElement>(null);
  const { view, apply, run, error, message } = model;

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const onTransportError = useCallback((failure: unknown) => {
    model.say(null);
    void run(() => Promise.reject(failure instanceof TransportError ? failure : new TransportError('internal', String(failure))));
  }, [model, run]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  };

  const onTabKey = (event: KeyboardEvent) => {
    const index = SETTINGS_TABS.indexOf(tab);
    let next: SettingsTab | undefined;
    if (event.key === 'ArrowRight') next = SETTINGS_TABS[(index + 1) % SETTINGS_TABS.length];
    else if (event.key === 'ArrowLeft') next = SETTINGS_TABS[(index - 1 + SETTINGS_TABS.length) % SETTINGS_TABS.length];
    else if (event.key === 'Home') next = SETTINGS_TABS[0];
    else if (event.key === 'End') next = SETTINGS_TABS[SETTINGS_TABS.length - 1];
    if (!next) return;
    event.preventDefault();
    setTab(next);
    document.getElementById(`settings-tab-${next}`)?.focus();
  };

  return (
    <main className="settings" aria-labelledby="settings-title" onKeyDown={onKeyDown} data-testid="settings">
      <div className="settings__bar">
        <h2 className="settings__title" id="settings-title" tabIndex={-1} ref={heading}>
          Settings
        </h2>
        <button type="button" className="button button--compact" onClick={onClose}>
          Done
        </button>
      </div>
      <div className="settings__tabs" role="tablist" aria-label="Settings sections" onKeyDown={onTabKey}>
        {SETTINGS_TABS.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`settings-tab-${t}`}
            aria-selected={t === tab}
            aria-controls="settings-panel"
            tabIndex={t === tab ? 0 : -1}
            className={`settings__tab${t === tab ? ' is-selected' : ''}`}
            onClick={() => setTab(t)}
          >
            {TAB_LABEL[t]}
          </button>
        ))}
      </div>
      <div className="settings__body" id="settings-panel" role="tabpanel" aria-labelledby={`settings-tab-${tab}`}>
        <p className="visually-hidden" role="status">
          {message ?? ''}
        </p>
        {error ? (
          <div className="settings-note settings-note--error" role="alert" data-testid="settings-error">
            {error}{' '}
            <button type="button" className="button button--compact" onClick={model.reload}>
              Try again
            </button>
          </div>
        ) : null}
        {!view ? (
          error ? null : <p className="settings-empty">Loading settings…</p>
        ) : tab === 'connections' ? (
          <ConnectionsSection transport={transport} view={view} apply={apply} run={run} onTransportError={onTransportError} startAdding={startAdding} onConnectionSaved={startAdding ? onClose : undefined} />
        ) : tab === 'workspaces' ? (
          <WorkspacesSection transport={transport} view={view} apply={apply} run={run} />
        ) : tab === 'notifications' ? (
          <NotificationsSection transport={transport} view={view} apply={apply} run={run} nowMs={nowMs} />
        ) : (
          <GeneralSection transport={transport} view={view} apply={apply} run={run} />
        )}
      </div>
    </main>
  );
}
