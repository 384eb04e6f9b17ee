import { useState } from 'react';
import { dropLinkModelSource, keepLinkModelSource, sourceOrigin } from '../model-source';
import { reloadToUpdate, updateBlocker } from '../app-update';
import { useStudio } from '../store/studio-store';

/** A new version is installed: reload when nothing is running. */
function UpdateBanner() {
  const blocker = useStudio((s) => updateBlocker(s));
  return (
    <section
      aria-label="Update"
      data-testid="update-banner"
      className="flex flex-wrap items-center gap-3 bg-emerald-950 px-6 py-2 text-sm text-emerald-50"
    >
      <p className="flex-1" role="status">
        A new version of Timbre is ready.
        {blocker ? ` ${blocker}` : ' Reloading keeps your voices, clips and text.'}
      </p>
      <button
        type="button"
        onClick={() => void reloadToUpdate()}
        aria-disabled={blocker ? true : undefined}
        className="rounded bg-emerald-400 px-3 py-1 font-medium text-zinc-950 hover:bg-emerald-300 aria-disabled:cursor-not-allowed aria-disabled:opacity-50"
        data-testid="update-reload"
      >
        Reload to update
      </button>
    </section>
  );
}

/** A model source from a `?models=` link: used for this visit only, until the user keeps it. */
function LinkSourceBanner({ base, previous }: { base: string; previous?: string | undefined }) {
  return (
    <section
      aria-label="Model source from a link"
      data-testid="link-source-banner"
      className="flex flex-wrap items-center gap-3 bg-amber-950 px-6 py-2 text-sm text-amber-50"
    >
      <p className="flex-1">
        A link set where models come from, for this visit only: <strong>{sourceOrigin(base)}</strong>. Models,
        voices and the manifest load from there. Keep it only if you trust that site.
      </p>
      <button
        type="button"
        onClick={keepLinkModelSource}
        className="rounded border border-amber-300/60 px-3 py-1 hover:bg-amber-900"
        data-testid="link-source-keep"
      >
        Keep using it
      </button>
      <button
        type="button"
        onClick={dropLinkModelSource}
        className="rounded bg-amber-400 px-3 py-1 font-medium text-zinc-950 hover:bg-amber-300"
        data-testid="link-source-default"
      >
        {previous ? `Back to ${sourceOrigin(previous)}` : 'Back to the default'}
      </button>
    </section>
  );
}

/**
 * A notice that can arrive while the user works (a new version, WebGPU dropped) is held back
 * while speech is being generated: a banner appearing above the page then would push Stop from
 * under the pointer (the header's badge says WASM at once). Once shown it stays, whatever runs next.
 */
function useHeldWhileGenerating<T>(value: T | undefined): T | undefined {
  const generating = useStudio((s) => s.synthesisPhase === 'generating');
  const [shown, setShown] = useState(false);
  const visible = value !== undefined && (shown || !generating);
  if (visible && !shown) setShown(true); // remembered in render: React re-renders at once
  return visible ? value : undefined;
}

/** Standing notices: a model source from a link, fixture models, WebGPU fallback. */
export function Notices() {
  const status = useStudio((s) => s.status);
  const backendNotice = useHeldWhileGenerating(useStudio((s) => s.backendNotice));
  const fromLink = useStudio((s) => s.modelBaseFromLink);
  const update = useHeldWhileGenerating(useStudio((s) => (s.appUpdate === 'ready' ? true : undefined)));
  return (
    <>
      {update && <UpdateBanner />}
      {fromLink && <LinkSourceBanner base={fromLink.base} previous={fromLink.previous} />}
      {status?.manifest.fixture && (
        <div
          role="status"
          data-testid="fixture-banner"
          className="bg-fuchsia-900 px-6 py-2 text-sm text-fuchsia-50"
        >
          Test fixture models from {status.source}: this is not Kokoro and does not sound like speech.
        </div>
      )}
      {backendNotice && (
        <div role="status" data-testid="backend-notice" className="bg-sky-950 px-6 py-2 text-sm text-sky-100">
          {backendNotice}
        </div>
      )}
    </>
  );
}
