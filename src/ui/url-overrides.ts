import { studio } from './store/studio-store';

/**
 * `?models=<base URL>` points the studio at another model source (a folder with a
 * manifest.json), e.g. a mirror or the test fixtures; `?models=default` goes back to
 * self-hosted-then-hub. `?backend=wasm|webgpu|auto` overrides the backend.
 */
export function applyUrlOverrides(): void {
  const params = new URLSearchParams(window.location.search);
  const models = params.get('models');
  if (models === 'default') studio.set({ modelBase: undefined });
  else if (models) studio.set({ modelBase: new URL(models, window.location.href).href });
  const backend = params.get('backend');
  if (backend === 'wasm' || backend === 'webgpu' || backend === 'auto') studio.set({ backend });
}
