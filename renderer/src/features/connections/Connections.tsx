import { memo } from 'react';
import type { ConnectionStatus, StatusErrorKind } from '../../../../preload/api';
import { formatCredits, formatTime, formatUsd } from '../../format';
import { AlertIcon, ClockIcon, InfoIcon } from '../common/Icons';
import type { ConnectionLine } from '../overview/summary';
import { ProviderFacts } from './ProviderFacts';
import './connections.css';

/** Props of {@link Connections}. */
export interface ConnectionsProps {
  readonly lines: readonly ConnectionLine[];
  /**
   * "Now" to the day, for time formatting (a time of another day is prefixed with its date): any
   * moment of the document's local day. The same Date while the day lasts, so a new document of
   * the same day does not re-render the rows.
   */
  readonly today: Date;
}

const ERROR_LABELS: Readonly<Record<StatusErrorKind, string>> = {
  auth: 'Key refused',
  rate_limited: 'Rate limited',
  bad_request: 'Request rejected',
  server: 'Provider error',
  network: 'Unreachable',
  bad_response: 'Unexpected answer',
  config: 'Configuration',
};

function errorLabel(kind: string): string {
  return (ERROR_LABELS as Readonly<Record<string, string>>)[kind] ?? 'Error';
}

function state(connection: ConnectionStatus): 'ok' | 'stale' | 'error' {
  if (connection.status === 'error') return 'error';
  return connection.stale ? 'stale' : 'ok';
}

function amount(connection: ConnectionStatus): string {
  if (connection.spentUsd !== null) return formatUsd(connection.spentUsd);
  if (connection.spentCredits !== null) return formatCredits(connection.spentCredits);
  return '—';
}

const ConnectionRow = memo(function ConnectionRow({ line, today: now }: { line: ConnectionLine; today: Date }) {
  const { connection } = line;
  const tone = state(connection);
  const name = connection.providerName ?? connection.provider;
  const qualifier = [connection.id !== connection.provider ? connection.id : null, line.workspaceName].filter(Boolean).join(' · ');
  const statusText = tone === 'error' ? 'failing' : tone === 'stale' ? 'stale' : 'ok';
  const lastGood = connection.fetchedAt ?? connection.dataThrough;
  return (
    <li className={`connection connection--${tone}`} data-testid={`connection-${connection.id}`}>
      <span className="connection__dot" aria-hidden="true" />
      <div className="connection__body">
        <div className="connection__line">
          <span className="connection__name">
            {name}
            {qualifier ? <span className="connection__id"> {qualifier}</span> : null}
            <span className="visually-hidden">: {statusText}</span>
          </span>
          <span className="connection__amount">{amount(connection)}</span>
        </div>
        {connection.error ? (
          <p className="connection__detail connection__detail--error" role="status">
            <AlertIcon size={12} className="connection__icon" />
            <span>
              <strong>{errorLabel(connection.error.kind)}:</strong> {connection.error.message}
            </span>
          </p>
        ) : null}
        {connection.stale ? (
          <p className="connection__detail connection__detail--stale">
            <ClockIcon size={12} className="connection__icon" />
            <span>{lastGood ? `Showing last good values from ${formatTime(lastGood, now)}` : 'Showing last good values'}</span>
          </p>
        ) : null}
        {!connection.error && !connection.stale && connection.dataThrough ? (
          <p className="connection__detail">Data through {formatTime(connection.dataThrough, now)}</p>
        ) : null}
        {connection.status === 'error' && !connection.stale && connection.spentUsd === null && connection.spentCredits === null ? (
          <p className="connection__detail">No data yet: not included in the totals.</p>
        ) : null}
        {connection.status === 'ok' || connection.stale ? <ProviderFacts connection={connection} today={now} /> : null}
        {(connection.notes ?? []).map((note) => (
          <p key={note} className="connection__detail connection__detail--note">
            <InfoIcon size={12} className="connection__icon" />
            <span>{note}</span>
          </p>
        ))}
      </div>
    </li>
  );
});

/** Every connection with its health: ok, failing (with the provider's message), or stale. Memoized: rows whose line did not change are skipped. */
export const Connections = memo(function Connections({ lines, today }: ConnectionsProps) {
  const failing = lines.filter((l) => l.connection.status === 'error').length;
  const stale = lines.filter((l) => l.connection.status !== 'error' && l.connection.stale).length;
  const ok = lines.length - failing - stale;
  const summary = [failing > 0 ? `${failing} failing` : null, stale > 0 ? `${stale} stale` : null, ok > 0 ? `${ok} ok` : null].filter(Boolean).join(' · ');
  return (
    <section className="connections" aria-labelledby="connections-title">
      <div className="connections__head">
        <h2 className="section-title" id="connections-title">
          Connections
        </h2>
        <span className={`connections__summary${failing > 0 ? ' text-danger' : ''}`}>{summary}</span>
      </div>
      {lines.length === 0 ? (
        <p className="connections__empty">No connections in this workspace.</p>
      ) : (
        <ul className="connections__list">
          {lines.map((line) => (
            <ConnectionRow key={`${line.workspaceId}/${line.connection.id}`} line={line} today={today} />
          ))}
        </ul>
      )}
    </section>
  );
});
