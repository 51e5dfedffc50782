import type { ConnectionStatus } from '../../../../preload/api';
import { formatCredits, formatPercent, formatRatio, formatTime, formatUsd } from '../../format';
import { AlertIcon, InfoIcon } from '../common/Icons';

const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Tone of a limit bar: warn from 80 %, over from 100 %. */
function limitTone(percent: number): 'ok' | 'warn' | 'over' {
  return percent >= 100 ? 'over' : percent >= 80 ? 'warn' : 'ok';
}

/** Civis: credits used this period out of the organization's LLM credit limit, as its own bar. */
function CreditLimitBar({ name, limit }: { name: string; limit: NonNullable<ConnectionStatus['creditLimit']> }) {
  const tone = limitTone(limit.usedPercent);
  const text = `${formatCredits(limit.usedCredits)} of ${formatCredits(limit.limitCredits)} (${formatPercent(limit.usedPercent)})`;
  return (
    <div className="connection__limit" data-testid="credit-limit">
      <div className="connection__limit-head">
        <span>Credit limit</span>
        <span className={`connection__limit-value connection__limit-value--${tone}`}>{text}</span>
      </div>
      <div
        className={`limit-bar limit-bar--${tone}`}
        role="meter"
        aria-label={`${name} credit limit`}
        aria-valuemin={0}
        aria-valuemax={limit.limitCredits}
        aria-valuenow={Math.min(limit.usedCredits, limit.limitCredits)}
        aria-valuetext={`${text} used`}
      >
        <div className="limit-bar__used" style={{ width: `${Math.max(0, Math.min(100, limit.usedPercent))}%` }} />
      </div>
    </div>
  );
}

/**
 * What the provider's API says beside the numbers: a credit limit (with its bar), credits applied,
 * the provider's own projection and alerts (beside Burnrate's), matching records, refused plan
 * types and a low rate-limit budget. Nothing when the document carries none of them.
 * `today`: any moment of the document's local day (a reset time on another day gets its date).
 */
export function ProviderFacts({ connection, today: now }: { connection: ConnectionStatus; readonly today: Date }) {
  const name = connection.providerName ?? connection.provider;
  const lines: Array<{ key: string; text: string; alert?: boolean }> = [];
  if (connection.creditsUsd !== undefined && connection.creditsUsd !== 0) {
    lines.push({ key: 'credits', text: `Credits applied: ${formatUsd(connection.creditsUsd)} (spend shown before credits)` });
  }
  const projection = connection.providerProjection;
  if (projection) {
    const details = [
      projection.confidence === null ? null : `confidence ${formatRatio(projection.confidence)}`,
      projection.trend ? `trend ${projection.trend}` : null,
    ].filter(Boolean);
    const ours = connection.projectedUsd === null || connection.projectedUsd === undefined ? '' : ` · Burnrate: ${formatUsd(connection.projectedUsd)}`;
    lines.push({
      key: 'projection',
      text: `${name} projects ${formatUsd(projection.projectedUsd)}${details.length > 0 ? ` (${details.join(', ')})` : ''}${ours}`,
    });
  }
  for (const [index, alert] of (connection.providerAlerts ?? []).entries()) {
    lines.push({ key: `alert-${index}`, text: `${name} alert (${alert.severity}): ${alert.message}`, alert: true });
  }
  if (connection.matchingRecords) {
    const tasks = Object.entries(connection.matchingRecords.byTask).map(([task, records]) => `${task} ${COUNT.format(records)}`);
    lines.push({
      key: 'matching',
      text: `Matching: ${COUNT.format(connection.matchingRecords.total)} records${tasks.length > 0 ? ` (${tasks.join(' · ')})` : ''}`,
    });
  }
  const rate = connection.rateLimit;
  if (rate && rate.limit !== null && rate.remaining !== null && rate.remaining * 5 <= rate.limit) {
    lines.push({
      key: 'rate',
      text: `API reads left: ${COUNT.format(rate.remaining)} of ${COUNT.format(rate.limit)}${rate.resetAt ? ` until ${formatTime(rate.resetAt, now)}` : ''}; refreshing less often`,
    });
  }
  if (!connection.creditLimit && lines.length === 0) return null;
  return (
    <div className="connection__facts" data-testid={`provider-facts-${connection.id}`}>
      {connection.creditLimit ? <CreditLimitBar name={name} limit={connection.creditLimit} /> : null}
      {lines.map((line) => (
        <p key={line.key} className={`connection__detail${line.alert ? ' connection__detail--warn' : ''}`}>
          {line.alert ? <AlertIcon size={12} className="connection__icon" /> : <InfoIcon size={12} className="connection__icon" />}
          <span>{line.text}</span>
        </p>
      ))}
    </div>
  );
}
