import { type KeyboardEvent, memo, useState } from 'react';
import { formatHour, formatUsd, formatUsdCompact, formatUsdPerHour } from '../../format';
import './trend.css';

/** Props of {@link Sparkline}. */
export interface SparklineProps {
  /** Hourly spend, oldest first. */
  readonly hours: readonly { readonly start: string; readonly spentUsd: number }[];
}

const WIDTH = 480;
const HEIGHT = 48;
const GAP = 2;
/** The window the view is about, whatever the number of complete hours available. */
const WINDOW_HOURS = 48;

/**
 * Hourly spend of the last 48 hours as small bars (newest highlighted), with a scale (the peak
 * at the top), dotted lines at local midnight and a legend. The hours are readable by keyboard:
 * focus the chart and move with ←/→ (Home/End), the value of the chosen hour is shown and read
 * out; the mouse shows the same readout. Answers "is the burn steady, rising, or spiking?".
 */
export const Sparkline = memo(function Sparkline({ hours }: SparklineProps) {
  const count = hours.length;
  const [cursor, setCursor] = useState<number | null>(null);
  const peak = hours.reduce((max, h) => Math.max(max, h.spentUsd), 0);
  const total = hours.reduce((sum, h) => sum + h.spentUsd, 0);
  const latest = hours[count - 1];
  const slot = count > 0 ? WIDTH / count : WIDTH;
  const active = cursor !== null && cursor < count ? cursor : null;
  const activeHour = active !== null ? hours[active] : undefined;
  const description =
    count > 0 && latest
      ? `Hourly spend, ${count} complete hours: ${formatUsd(total)} in total, peak ${formatUsdPerHour(peak)}, latest hour ${formatUsd(latest.spentUsd)}. Use the arrow keys to read each hour.`
      : 'No hourly data yet.';

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (count === 0) return;
    const from = active ?? count;
    let next: number | null = null;
    if (event.key === 'ArrowLeft') next = Math.max(0, from - 1);
    else if (event.key === 'ArrowRight') next = Math.min(count - 1, active === null ? count - 1 : from + 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = count - 1;
    else if (event.key === 'Escape' && active !== null) next = -1;
    if (next === null) return;
    // Handled here: the window's ←/→ (switch workspace) and Escape (close) must not fire too.
    event.preventDefault();
    event.stopPropagation();
    setCursor(next < 0 ? null : next);
  };

  return (
    <section className="trend" aria-labelledby="trend-title">
      <div className="trend__head">
        <h2 className="section-title" id="trend-title">
          Last {WINDOW_HOURS} hours
        </h2>
        {count > 0 ? (
          <span className="trend__stats" data-testid="trend-stats">
            {formatUsd(total)} · peak {formatUsdPerHour(peak)}
          </span>
        ) : null}
      </div>
      {count > 0 ? (
        <>
          <div className="trend__plot">
            <div className="trend__scale" aria-hidden="true">
              <span>{formatUsdCompact(peak)}</span>
              <span>{formatUsdCompact(0)}</span>
            </div>
            <div
              className="trend__focus"
              role="img"
              tabIndex={0}
              aria-label={description}
              aria-describedby="trend-readout"
              onKeyDown={onKeyDown}
              onMouseLeave={() => setCursor(null)}
              onBlur={() => setCursor(null)}
              data-testid="sparkline-focus"
            >
              <svg className="trend__chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" aria-hidden="true" data-testid="sparkline">
                <line className="trend__gridline" x1={0} x2={WIDTH} y1={0.5} y2={0.5} />
                {hours.map((hour, index) => {
                  const isMidnight = index > 0 && new Date(hour.start).getHours() === 0;
                  return isMidnight ? <line key={`d${hour.start}`} className="trend__day" x1={index * slot - GAP / 2} x2={index * slot - GAP / 2} y1={0} y2={HEIGHT} /> : null;
                })}
                {hours.map((hour, index) => {
                  const height = peak > 0 ? Math.max(1.5, (hour.spentUsd / peak) * (HEIGHT - 2)) : 1.5;
                  const classes = ['trend__bar', index === count - 1 ? 'trend__bar--latest' : '', index === active ? 'trend__bar--active' : ''].filter(Boolean).join(' ');
                  return (
                    <rect
                      key={hour.start}
                      className={classes}
                      x={index * slot + GAP / 2}
                      y={HEIGHT - height}
                      width={Math.max(1, slot - GAP)}
                      height={height}
                      rx={1}
                      onMouseEnter={() => setCursor(index)}
                    />
                  );
                })}
              </svg>
            </div>
          </div>
          <div className="trend__axis">
            <span>{WINDOW_HOURS} h ago</span>
            <span id="trend-readout" className="trend__readout" aria-live="polite" data-testid="trend-readout">
              {activeHour ? `${formatHour(activeHour.start)}: ${formatUsd(activeHour.spentUsd)}` : latest ? `latest hour ${formatUsd(latest.spentUsd)}` : ''}
            </span>
            <span>now</span>
          </div>
          <ul className="legend trend__legend" aria-label="Legend of the hourly chart">
            <li><span className="legend__swatch legend__swatch--bar" aria-hidden="true" />spend per hour</li>
            <li><span className="legend__swatch legend__swatch--latest" aria-hidden="true" />latest complete hour</li>
            <li><span className="legend__swatch legend__swatch--midnight" aria-hidden="true" />midnight</li>
          </ul>
        </>
      ) : (
        <p className="trend__empty">No hourly data yet: it appears after the first complete hour.</p>
      )}
    </section>
  );
});
