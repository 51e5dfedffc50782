import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { App, loadPanel } from './App';
import { createSpendTransport, inlineStatus } from './spendApi';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
const transport = createSpendTransport();
const app = (
  <StrictMode>
    <App transport={transport} />
  </StrictMode>
);
// A page served with its numbers (the #burnrate-status data block) already shows them, drawn by
// the first paint (./firstPaint.ts) while this script loaded. React waits for the panel's chunk,
// already requested by App, so its first frame is the whole dashboard rather than a loading
// state, and renders it as a transition: in slices that leave the page responsive (the headline
// is on screen meanwhile); its commit replaces the first paint's screen with the live one.
if (transport.mode === 'served' && inlineStatus(document) !== null) {
  const start = (): void => startTransition(() => createRoot(root).render(app));
  void loadPanel.then(start, start);
} else {
  createRoot(root).render(app);
}
