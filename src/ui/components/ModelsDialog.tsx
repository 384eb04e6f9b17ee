import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { CachedFile, BackendChoice } from '../../workers/protocol';
import { errorMessage, initEngine, restartTtsWorker, ttsWorker } from '../clients/tts-client';
import { clearBlocker, useBusyState } from '../features/storage/storage-actions';
import { StorageSection } from '../features/storage/StorageSection';
import { studio, useStudio } from '../store/studio-store';
import { formatBytes } from './format';

interface ModelsDialogProps {
  open: boolean;
  onClose: () => void;
}

/**
 * What the browser stores (each store with a Clear) and each cached model file, and the
 * engine settings (backend, variant, source).
 */
export function ModelsDialog({ open, onClose }: ModelsDialogProps) {
  const id = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const [files, setFiles] = useState<CachedFile[]>();
  const [listError, setListError] = useState<string>();
  const status = useStudio((s) => s.status);
  const backend = useStudio((s) => s.backend);
  const variant = useStudio((s) => s.variant);
  const modelBase = useStudio((s) => s.modelBase);
  const fromLink = useStudio((s) => s.modelBaseFromLink);
  const [draftBase, setDraftBase] = useState(modelBase ?? '');
  // A file may not go while a model loads or a clone job uses them (the Models row's rule).
  const deleteBlocked = clearBlocker('models', useBusyState());

  const refresh = useCallback(async () => {
    try {
      setFiles(await ttsWorker().listCached());
      setListError(undefined);
    } catch (error) {
      setListError(errorMessage(error));
    }
  }, []);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      void refresh();
    } else if (!open && dialog.open) dialog.close();
  }, [open, refresh]);

  const remove = async (url: string) => {
    if (deleteBlocked) return;
    await ttsWorker().deleteCached(url);
    await refresh();
  };

  const apply = (patch: {
    backend?: BackendChoice;
    variant?: string | undefined;
    modelBase?: string | undefined;
    webgpuUnreliable?: undefined;
  }) => {
    // A source typed here is the user's choice: it replaces one a link set for this visit.
    studio.set('modelBase' in patch ? { ...patch, modelBaseFromLink: undefined } : patch);
    restartTtsWorker();
    void initEngine();
  };

  const total = files?.reduce((sum, f) => sum + f.bytes, 0) ?? 0;
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby={`${id}-title`}
      className="m-auto w-full max-w-2xl rounded-xl border border-zinc-700 bg-zinc-900 p-0 text-zinc-100 backdrop:bg-black/70"
    >
      <div className="flex items-center justify-between border-b border-zinc-800 px-5 py-3">
        <h2 id={`${id}-title`} className="text-lg font-semibold">
          Models & settings
        </h2>
        <button
          type="button"
          onClick={onClose}
          className="rounded px-2 py-1 hover:bg-zinc-800"
          aria-label="Close"
        >
          ✕
        </button>
      </div>
      <div className="flex flex-col gap-6 p-5 text-sm">
        {open && <StorageSection modelFiles={files} modelFilesError={listError} onModelsChanged={refresh} />}

        <section aria-labelledby={`${id}-cache`}>
          <h3 id={`${id}-cache`} className="mb-2 font-semibold text-zinc-300">
            Model files ({formatBytes(total)})
          </h3>
          {listError && <p role="alert">{listError}</p>}
          {files && files.length === 0 && <p className="text-zinc-400">Nothing is cached yet.</p>}
          <ul className="divide-y divide-zinc-800" data-testid="cached-files">
            {files?.map((f) => (
              <li key={f.url} className="flex items-center gap-3 py-1.5">
                <span className="flex-1 truncate" title={f.url}>
                  {f.path}
                </span>
                <span className="text-zinc-400">{formatBytes(f.bytes)}</span>
                <button
                  type="button"
                  onClick={() => void remove(f.url)}
                  aria-label={`Delete ${f.path} from the cache`}
                  aria-disabled={deleteBlocked !== undefined}
                  title={deleteBlocked}
                  className={`rounded border border-zinc-700 px-2 py-0.5 ${deleteBlocked ? 'cursor-not-allowed text-zinc-400' : 'hover:bg-zinc-800'}`}
                >
                  Delete
                </button>
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby={`${id}-engine`} className="grid grid-cols-2 gap-3">
          <h3 id={`${id}-engine`} className="col-span-2 font-semibold text-zinc-300">
            Engine
          </h3>
          <label className="flex flex-col gap-1">
            Backend
            <select
              value={backend}
              onChange={(e) =>
                apply({ backend: e.target.value as BackendChoice, webgpuUnreliable: undefined })
              }
              className="rounded border border-zinc-700 bg-zinc-950 p-1.5"
            >
              <option value="auto">Automatic (WebGPU on a hardware GPU)</option>
              <option value="webgpu">WebGPU</option>
              <option value="wasm">WASM (CPU)</option>
            </select>
          </label>
          <p className="col-span-2 text-xs text-zinc-400" data-testid="backend-rule">
            One engine runs every model for Speak, Voices, References and Clone, one at a time, your playback
            and previews first. Automatic: Kokoro on WebGPU when the GPU adapter is a real one, on WASM
            otherwise (a software adapter is slower than the CPU); the speaker encoder on WASM; GE2E always on
            WASM. WebGPU runs Kokoro and the encoder on WebGPU when there is an adapter.{' '}
            {status && (
              <span data-testid="backend-now">
                Now: Kokoro {status.variant} on {status.backend === 'webgpu' ? 'WebGPU' : 'WASM'}
                {status.fallbackReason ? ` (${status.fallbackReason.replace(/\.$/, '')})` : ''}.
              </span>
            )}
          </p>
          <label className="flex flex-col gap-1">
            Kokoro precision
            <select
              value={variant ?? ''}
              onChange={(e) => apply({ variant: e.target.value || undefined })}
              className="rounded border border-zinc-700 bg-zinc-950 p-1.5"
            >
              <option value="">Recommended for the backend</option>
              {status?.manifest.kokoro.variants.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.label} ({formatBytes(v.bytes)})
                </option>
              ))}
            </select>
          </label>
        </section>

        <section aria-labelledby={`${id}-source`} className="flex flex-col gap-2">
          <h3 id={`${id}-source`} className="font-semibold text-zinc-300">
            Model source
          </h3>
          <p className="text-zinc-400">
            By default Timbre uses files self-hosted under <code>/models/</code> and otherwise downloads them
            from the model hub. To self-host, run <code>npm run models:fetch</code> or copy the files into{' '}
            <code>public/models/</code>. A custom source is a folder URL with a <code>manifest.json</code>.
          </p>
          <form
            className="flex gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              apply({ modelBase: draftBase.trim() || undefined });
            }}
          >
            <input
              type="url"
              value={draftBase}
              onChange={(e) => setDraftBase(e.target.value)}
              placeholder="Default: self-hosted, then the model hub"
              aria-label="Custom model source URL"
              className="flex-1 rounded border border-zinc-700 bg-zinc-950 p-1.5"
            />
            <button type="submit" className="rounded border border-zinc-600 px-3 hover:bg-zinc-800">
              Use
            </button>
          </form>
          <p className="text-zinc-400" data-testid="model-source-now">
            Now: {status?.source ?? modelBase ?? 'self-hosted, then the model hub'}
            {fromLink ? ' (set by a link, for this visit only)' : ''}
          </p>
        </section>

        <section className="flex flex-col gap-1 text-xs text-zinc-400" aria-label="Licences">
          <p>
            Timbre is free software under the GNU GPL, version 3 or later (it ships eSpeak NG, GPL-3.0).
            Kokoro-82M and its voices: Apache-2.0 (hexgrad). Speaker encoders: WeSpeaker ResNet34-LM, CC BY
            4.0 (VoxCeleb); Resemblyzer GE2E, Apache-2.0. misaki lexicons: Apache-2.0.
          </p>
          <a
            href="third-party-notices.txt"
            target="_blank"
            rel="noreferrer"
            className="text-zinc-300 underline"
            data-testid="notices-link"
          >
            Licences and third-party notices
          </a>
        </section>
      </div>
    </dialog>
  );
}
