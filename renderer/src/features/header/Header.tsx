import { memo } from 'react';
import { FlameIcon, GearIcon, RefreshIcon } from '../common/Icons';
import './header.css';

/** Props of {@link Header}. */
export interface HeaderProps {
  /**
   * When the shown numbers were assembled, as shown ("9:41 PM", formatTime of the document's
   * generatedAt), or null before the first snapshot. The text, not the instant: a new document of
   * the same minute leaves the header as it is, without a render.
   */
  readonly updatedAt: string | null;
  readonly refreshing: boolean;
  /** True while the numbers come from the snapshot cache, before the first refresh finished. */
  readonly fromCache: boolean;
  /** Null hides the refresh button (nothing to refresh yet). */
  readonly onRefresh: (() => void) | null;
  /** Opens settings; absent or null hides the button (the served dashboard has no settings). */
  readonly onOpenSettings?: (() => void) | null;
  /** The CSV export's URL (served dashboard only); null hides the link. */
  readonly exportUrl?: string | null;
}

/** Title bar: brand, freshness and the refresh button, with a progress line while refreshing. */
export const Header = memo(function Header({ updatedAt, refreshing, fromCache, onRefresh, onOpenSettings = null, exportUrl = null }: HeaderProps) {
  const freshness = refreshing ? 'Refreshing…' : updatedAt ? `Updated ${updatedAt}` : '';
  return (
    <header className="header">
      <div className="header__brand">
        <span className="header__mark">
          <FlameIcon size={16} />
        </span>
        <h1 className="header__title">Burnrate</h1>
      </div>
      <div className="header__side">
        {fromCache && !refreshing ? <span className="header__chip" title="Showing the values saved at the last run until every connection has refreshed">Cached</span> : null}
        <span className="header__freshness" aria-live="polite" data-testid="freshness">
          {freshness}
        </span>
        {exportUrl ? (
          <a className="button button--small header__export" href={exportUrl} download="burnrate-export.csv" data-testid="export-csv">
            Export CSV
          </a>
        ) : null}
        {onRefresh ? (
          <button
            type="button"
            className={`icon-button${refreshing ? ' is-spinning' : ''}`}
            onClick={onRefresh}
            disabled={refreshing}
            aria-label="Refresh now"
            aria-keyshortcuts="R"
            title="Refresh now (R)"
          >
            <RefreshIcon size={16} />
          </button>
        ) : null}
        {onOpenSettings ? (
          <button type="button" className="icon-button" onClick={onOpenSettings} aria-label="Settings" title="Settings">
            <GearIcon size={16} />
          </button>
        ) : null}
      </div>
      {refreshing ? <div className="header__progress" role="progressbar" aria-label="Refreshing spend data" /> : null}
    </header>
  );
});
