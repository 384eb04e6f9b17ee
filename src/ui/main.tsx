import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { registerServiceWorker } from './app-update';
import { applyUrlOverrides } from './url-overrides';
import './styles.css';

applyUrlOverrides();
registerServiceWorker();
const root = document.getElementById('root');
if (!root) throw new Error('No #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
