import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { registerServiceWorker } from './app-update';
import { applyUrlOverrides } from './url-overrides';

/** Applies the link's overrides, registers the service worker and renders the studio into `root`. */
export function start(root: HTMLElement): void {
  applyUrlOverrides();
  registerServiceWorker();
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
