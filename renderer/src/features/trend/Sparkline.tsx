import { formatHour, formatUsd, formatUsdPerHour } from '../../format';
import './trend.css';

/** Props of {@link Sparkline}. */
export interface SparklineProps {
  /** Hourly spend, oldest first. */
  readonly hours: readonly { readonly start: string; readonly spentUsd: number }[];
}

const WIDTH = 480;
const HEIGHT = 48;
const GAP = 2;

/**
 * Hourly spend of the last hours as small bars (newest highlighted), with day boundaries and
 * a tooltip per hour. Answers "is the burn steady, rising, or spiking?".
 */
export function Sparkline({ hours }: SparklineProps) {
  const count = hours.length;
  const peak = hours.reduce((max, h) => Math.max(max, h.spentUsd), 0);
  const total = hours.reduce((sum, h) => sum + h.spentUsd, 0);
  const latest = hours[count - 1];
  const slot = count > 0 ? WIDTH / count : WIDTH;
  const description =
    count > 0 && latest
      ? `Hourly spend over the last ${count} hours: ${formatUsd(total)} in total, peak ${formatUsdPerHour(peak)}, latest hour ${formatUsd(latest.spentUsd)}.`
      : 'No hourly data yet.';

  return (
    <section className="trend" aria-label="Hourly spend">
      <div className="trend__head">
        <span className="section-title">Last {count > 0 ? `${count} hours` : '48 hours'}</span>
        {count > 0 ? (
          <span className="trend__stats" data-testid="trend-stats">
            {formatUsd(total)} · peak {formatUsdPerHour(peak)}
          </span>
        ) : null}
      </div>
      {count > 0 ? (
        <>
          <svg className="trend__chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={description} data-testid="sparkline">
            {hours.map((hour, index) => {
              const isMidnight = index > 0 && new Date(hour.start).getHours() === 0;
              return isMidnight ? <line key={`d${hour.start}`} className="trend__day" x1={index * slot - GAP / 2} x2={index * slot - GAP / 2} y1={0} y2={HEIGHT} /> : null;
            })}
            {hours.map((hour, index) => {
              const height = peak > 0 ? Math.max(1.5, (hour.spentUsd / peak) * (HEIGHT - 2)) : 1.5;
              return (
                <rect
                  key={hour.start}
                  className={index === count - 1 ? 'trend__bar trend__bar--latest' : 'trend__bar'}
                  x={index * slot + GAP / 2}
                  y={HEIGHT - height}
                  width={Math.max(1, slot - GAP)}
                  height={height}
                  rx={1}
                >
                  <title>{`${formatHour(hour.start)}: ${formatUsd(hour.spentUsd)}`}</title>
                </rect>
              );
            })}
          </svg>
          <div className="trend__axis" aria-hidden="true">
            <span>{count} h ago</span>
            <span>latest {latest ? formatUsd(latest.spentUsd) : ''}</span>
          </div>
        </>
      ) : (
        <p className="trend__empty">No hourly data yet: it appears after the first complete hour.</p>
      )}
    </section>
  );
}
