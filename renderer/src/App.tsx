export function App() {
  return (
    <main className="app">
      <h1>Burnrate</h1>
      <p data-testid="placeholder">Spend, pace and projections will appear here.</p>
    </main>
  );
}
