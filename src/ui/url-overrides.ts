import { studio } from './store/studio-store';

/**
 * `?models=<base URL>` points the studio at another model source (a folder with a
 * manifest.json), e.g. a mirror or the test fixtures, for this visit only: a banner names its
 * origin and offers to keep it or go back (a crafted link must not take over the studio for
 * good). `?models=default` goes back to self-hosted-then-hub. `?backend=wasm|webgpu|auto`
 * overrides the backend.
 */
export function applyUrlOverrides(): void {
  const params = new URLSearchParams(window.location.search);
  const models = params.get('models');
  if (models === 'default') studio.set({ modelBase: undefined, modelBaseFromLink: undefined });
  else if (models) {
    let base: string | undefined;
    try {
      const url = new URL(models, window.location.href);
      if (url.protocol === 'https:' || url.protocol === 'http:') base = url.href;
    } catch {
      base = undefined; // not a URL: ignored
    }
    const chosen = studio.get().modelBase;
    if (base && base !== chosen)
      studio.set({ modelBase: base, modelBaseFromLink: { base, ...(chosen ? { previous: chosen } : {}) } });
  }
  const backend = params.get('backend');
  if (backend === 'wasm' || backend === 'webgpu' || backend === 'auto') studio.set({ backend });
}
