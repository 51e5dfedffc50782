import './header.css';

/** The unmistakable "this is not real spend" strip shown when `status.demo` is true. */
export function DemoBanner() {
  return (
    <div className="demo-banner" role="note" aria-label="Demo data" title="The numbers come from the built-in fake providers of `burnrate demo`, not from real accounts.">
      <strong className="demo-banner__label">Demo data</strong>
      <span className="demo-banner__text">Fake providers, not real spend.</span>
    </div>
  );
}
