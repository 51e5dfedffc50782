/**
 * Connections of one workspace: the list (keys only masked), edit, remove (its stored key goes
 * with it), and "Add a provider".
 */
import { useState } from 'react';
import type { ConnectionView, SettingsChange, SettingsView } from '../../../../preload/api';
import type { SettingsTransport } from '../../spendApi';
import { ConnectionForm } from './ConnectionForm';

/** Props of {@link ConnectionsSection}. */
export interface ConnectionsSectionProps {
  readonly transport: SettingsTransport;
  readonly view: SettingsView;
  readonly apply: (change: SettingsChange) => SettingsChange;
  readonly run: <T>(call: () => Promise<T>) => Promise<T | undefined>;
  readonly onTransportError: (error: unknown) => void;
  /** Open the "Add a provider" form at once (onboarding). */
  readonly startAdding?: boolean;
  /** Called after a connection was saved (onboarding closes settings to show the numbers). */
  readonly onConnectionSaved?: () => void;
}

function keyText(connection: ConnectionView): string {
  switch (connection.key.source) {
    case 'keychain':
      return `Key ${connection.key.masked}`;
    case 'environment':
      return `Key from $${connection.key.variable}${connection.key.set ? '' : ' (not set)'}`;
    default:
      return 'Key missing: edit to type it again';
  }
}

/** The connections list and form. */
export function ConnectionsSection({ transport, view, apply, run, onTransportError, startAdding, onConnectionSaved }: ConnectionsSectionProps) {
  const [workspaceId, setWorkspaceId] = useState<string | null>(view.workspaces[0]?.id ?? null);
  const [editing, setEditing] = useState<ConnectionView | 'new' | null>(startAdding ? 'new' : null);
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null);
  const workspace = view.workspaces.find((w) => w.id === workspaceId) ?? view.workspaces[0];

  if (editing) {
    return (
      <ConnectionForm
        key={editing === 'new' ? 'new' : editing.id}
        transport={transport}
        view={view}
        workspaceId={workspace?.id ?? null}
        {...(editing === 'new' ? {} : { existing: editing })}
        onSaved={(change) => {
          apply(change);
          setEditing(null);
          onConnectionSaved?.();
        }}
        onCancel={() => setEditing(null)}
        onTransportError={onTransportError}
      />
    );
  }

  const remove = async (connectionId: string) => {
    if (!workspace) return;
    const change = await run(() => transport.removeConnection(workspace.id, connectionId));
    if (change) apply(change);
    setConfirmRemove(null);
  };

  return (
    <div className="settings-section" data-testid="connections-section">
      {view.workspaces.length > 1 ? (
        <label className="field">
          <span className="field__label">Workspace</span>
          <select className="input" value={workspace?.id ?? ''} onChange={(event) => setWorkspaceId(event.target.value)}>
            {view.workspaces.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {workspace && workspace.connections.length > 0 ? (
        <ul className="settings-list" aria-label={`Connections of ${workspace.name}`}>
          {workspace.connections.map((c) => {
            const providerName = view.providers.find((p) => p.id === c.provider)?.displayName ?? c.provider;
            const label = c.name ?? providerName;
            return (
              <li key={c.id} className="settings-list__item" data-testid={`connection-row-${c.id}`}>
                <div className="settings-list__main">
                  <span className="settings-list__name">{label}</span>
                  <span className="settings-list__meta">
                    {c.name ? `${providerName} · ` : ''}
                    {keyText(c)}
                  </span>
                </div>
                {confirmRemove === c.id ? (
                  <div className="settings-list__confirm" role="group" aria-label={`Remove ${label}?`}>
                    <span>Remove {label} and its stored key?</span>
                    <button type="button" className="button button--danger button--compact" onClick={() => void remove(c.id)}>
                      Remove
                    </button>
                    <button type="button" className="button button--compact" onClick={() => setConfirmRemove(null)} autoFocus>
                      Keep
                    </button>
                  </div>
                ) : (
                  <div className="settings-list__actions">
                    <button type="button" className="text-button" aria-label={`Edit ${label}`} onClick={() => setEditing(c)}>
                      Edit
                    </button>
                    <button type="button" className="text-button text-button--danger" aria-label={`Remove ${label}`} onClick={() => setConfirmRemove(c.id)}>
                      Remove
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="settings-empty">{workspace ? `No connections in ${workspace.name} yet.` : 'No workspace yet: adding a provider creates "My workspace".'}</p>
      )}
      <div className="settings-actions settings-actions--start">
        <button type="button" className="button button--primary" onClick={() => setEditing('new')}>
          Add a provider
        </button>
      </div>
    </div>
  );
}
