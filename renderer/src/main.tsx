import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, loadPanel } from './App';
import { createSpendTransport, inlineStatus } from './spendApi';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
const transport = createSpendTransport();
const start = (): void => {
  createRoot(root).render(
    <StrictMode>
      <App transport={transport} />
    </StrictMode>,
  );
};
// A page served with its numbers (the #burnrate-status data block) waits for the panel's chunk,
// already requested by App, so its first frames are the dashboard rather than a loading state.
if (transport.mode === 'served' && inlineStatus(document) !== null) void loadPanel.then(start, start);
else start();
