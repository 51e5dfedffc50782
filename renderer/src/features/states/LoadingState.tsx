import './states.css';

/** Placeholder while the first snapshot loads: the layout's shape, shimmering. */
export function LoadingState() {
  return (
    <div className="state state--loading" role="status" aria-live="polite" aria-busy="true">
      <span className="visually-hidden">Loading spend…</span>
      <div className="skeleton skeleton--label" />
      <div className="skeleton skeleton--hero" />
      <div className="skeleton-row">
        <div className="skeleton skeleton--stat" />
        <div className="skeleton skeleton--stat" />
        <div className="skeleton skeleton--stat" />
      </div>
      <div className="skeleton skeleton--bar" />
      <div className="skeleton skeleton--chart" />
      <p className="state__hint" aria-hidden="true">
        Loading spend…
      </p>
    </div>
  );
}
