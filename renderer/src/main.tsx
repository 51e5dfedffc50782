import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createSpendTransport } from './spendApi';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
const transport = createSpendTransport();
createRoot(root).render(
  <StrictMode>
    <App transport={transport} />
  </StrictMode>,
);
