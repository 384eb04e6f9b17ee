import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { formatBytes } from '../../../engine/models/format';
import type { StorageEstimateLike } from '../../../engine/storage/download-fit';
import type { CachedFile } from '../../../workers/protocol';
import { errorMessage } from '../../clients/tts-client';
import { useStudio } from '../../store/studio-store';
import { askPersistence, readEstimate, readPersistence } from './persistence';
import { clearBlocker, clearStore, useBusyState } from './storage-actions';
import { STORE_INFO } from './storage-text';
import { measureDatabase, STORE_IDS, type DbUsage, type StoreId, type StoreUsage } from './storage-usage';
import { StoreRow } from './StoreRow';

interface StorageSectionProps {
  /** The model files in Cache Storage (listed by the model worker); undefined while listing. */
  modelFiles: CachedFile[] | undefined;
  modelFilesError: string | undefined;
  /** Lists the model files again (after Clear). */
  onModelsChanged: () => Promise<void>;
}

function modelUsage(files: CachedFile[] | undefined): StoreUsage | undefined {
  if (!files) return undefined;
  return { counts: { files: files.length }, bytes: files.reduce((sum, file) => sum + file.bytes, 0) };
}

/**
 * What Timbre keeps in this browser: whether the browser keeps it persistently (and asking it
 * to), how much it allows, and each store's counts and size with a Clear. Mounted while Models
 * & settings is open and measured when it mounts, asynchronously ("Measuring…"), never on a hot path.
 */
export function StorageSection({ modelFiles, modelFilesError, onModelsChanged }: StorageSectionProps) {
  const id = useId();
  const persistence = useStudio((s) => s.storagePersistence);
  const askedAt = useStudio((s) => s.storagePersistAskedAt);
  const busy = useBusyState();
  const [db, setDb] = useState<DbUsage>();
  const [dbError, setDbError] = useState<string>();
  const [estimate, setEstimate] = useState<StorageEstimateLike>();
  const [clearing, setClearing] = useState<StoreId>();
  const [asking, setAsking] = useState(false);
  const [message, setMessage] = useState('Measuring what Timbre stores in this browser…');
  const measureRun = useRef(0);

  /** Measures every store again; `announce` says so when done (the first time, not after a Clear). */
  const measure = useCallback((announce: boolean): Promise<void> => {
    const run = ++measureRun.current;
    void readPersistence();
    // The browser's own count is read after the walk, so it includes what was written meanwhile.
    const measured = measureDatabase().then(async (usage) => [usage, await readEstimate()] as const);
    return measured.then(
      ([usage, latest]) => {
        if (run !== measureRun.current) return;
        setDb(usage);
        setEstimate(latest);
        setDbError(undefined);
        if (announce) setMessage('Storage measured.');
      },
      (error: unknown) => {
        if (run !== measureRun.current) return;
        setDbError(`Could not measure: ${errorMessage(error)}`);
        if (announce) setMessage('');
      },
    );
  }, []);

  useEffect(() => {
    void measure(true);
  }, [measure]);
  // The model list changes on its own (a file deleted below): the browser's totals change with it.
  useEffect(() => {
    if (modelFiles) void readEstimate().then(setEstimate);
  }, [modelFiles]);

  const usageOf = (store: StoreId): StoreUsage | undefined =>
    store === 'models' ? modelUsage(modelFiles) : db?.[store];

  const clear = async (store: StoreId) => {
    const title = STORE_INFO[store].title;
    setClearing(store);
    setMessage(`Clearing ${title.toLowerCase()}…`);
    try {
      await clearStore(store);
      if (store === 'models') await onModelsChanged();
      else setDb((current) => (current ? { ...current, [store]: emptied(current[store]) } : current));
      setMessage(`${title} cleared: it now holds nothing. The other stores are unchanged.`);
      void measure(false);
    } catch (error) {
      setMessage(`${title} was not cleared: ${errorMessage(error)}`);
    } finally {
      setClearing(undefined);
    }
  };

  const ask = async () => {
    if (asking) return;
    setAsking(true);
    const answer = await askPersistence();
    setAsking(false);
    setMessage(
      answer === 'persistent'
        ? 'The browser agreed: Timbre’s storage is now kept until you clear it.'
        : 'The browser did not agree, so it may still clear this under storage pressure. Browsers agree more readily for sites that are installed or bookmarked, or used often.',
    );
  };

  const measured = STORE_IDS.map(usageOf);
  const total = measured.every((usage) => usage !== undefined)
    ? measured.reduce((sum, usage) => sum + usage.bytes, 0)
    : undefined;

  return (
    <section aria-labelledby={`${id}-title`} className="flex flex-col gap-3" data-testid="storage-section">
      <h3 id={`${id}-title`} className="font-semibold text-zinc-300">
        Stored in this browser
      </h3>
      <div className="flex flex-wrap items-center gap-3" data-testid="storage-persistence">
        {persistence === undefined ? (
          <p className="flex-1 text-zinc-400">Checking whether the browser keeps it…</p>
        ) : persistence === 'persistent' ? (
          <p className="flex-1 text-emerald-300">
            <span aria-hidden="true">● </span>Stored persistently: the browser keeps it until you clear it.
          </p>
        ) : (
          <>
            <p className="flex-1 basis-64 text-amber-200">
              <span aria-hidden="true">● </span>The browser may clear this under storage pressure
              {persistence === 'unsupported' ? ' (it cannot be asked to keep it).' : '.'}
            </p>
            {persistence === 'best-effort' && (
              <button
                type="button"
                onClick={() => void ask()}
                aria-disabled={asking}
                data-testid="storage-persist"
                className="rounded border border-zinc-600 px-3 py-1 hover:bg-zinc-800"
              >
                {asking ? 'Asking…' : askedAt ? 'Ask again to keep it' : 'Ask the browser to keep it'}
              </button>
            )}
          </>
        )}
      </div>
      {estimate?.quota !== undefined && (
        <p className="text-zinc-400" data-testid="storage-quota">
          The browser counts {formatBytes(estimate.usage ?? 0)} for this site (it may store data compressed),
          of the {formatBytes(estimate.quota)} it allows.
        </p>
      )}
      {dbError && <p role="alert">{dbError}</p>}
      <table className="w-full text-sm" data-testid="storage-table">
        <caption className="sr-only">What each store holds, its size, and clearing it</caption>
        <thead className="text-xs text-zinc-400">
          <tr>
            <th scope="col" className="pb-1 text-left font-normal">
              Store
            </th>
            <th scope="col" className="pb-1 text-left font-normal">
              Holds
            </th>
            <th scope="col" className="pb-1 text-right font-normal">
              Size
            </th>
            <th scope="col" className="pb-1 text-right font-normal">
              <span className="sr-only">Clear</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {STORE_IDS.map((store) => (
            <StoreRow
              key={store}
              id={store}
              usage={usageOf(store)}
              error={store === 'models' ? modelFilesError : dbError}
              busyReason={clearBlocker(store, busy)}
              clearing={clearing === store}
              onClear={clear}
              announce={setMessage}
            />
          ))}
        </tbody>
        <tfoot>
          <tr className="border-t border-zinc-700">
            <th scope="row" className="pt-2 text-left font-medium">
              In all
            </th>
            <td />
            <td className="pt-2 text-right font-medium tabular-nums" data-testid="storage-total">
              {total === undefined ? 'Measuring…' : formatBytes(total)}
            </td>
            <td />
          </tr>
        </tfoot>
      </table>
      <p role="status" aria-live="polite" className="min-h-5 text-zinc-300" data-testid="storage-status">
        {message}
      </p>
    </section>
  );
}

function emptied(usage: StoreUsage): StoreUsage {
  return { counts: Object.fromEntries(Object.keys(usage.counts).map((kind) => [kind, 0])), bytes: 0 };
}
