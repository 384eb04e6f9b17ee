import { useEffect, useId, useRef, useState } from 'react';
import { formatBytes } from '../../../engine/models/format';
import { confirmText, emptyOrUnknownReason, holdsParts, STORE_INFO } from './storage-text';
import type { StoreId, StoreUsage } from './storage-usage';

interface StoreRowProps {
  id: StoreId;
  /** Undefined while measuring. */
  usage: StoreUsage | undefined;
  /** Set when the store could not be measured. */
  error?: string | undefined;
  /** Why Clear cannot run now (something uses the store), shown under the name. */
  busyReason: string | undefined;
  clearing: boolean;
  onClear: (id: StoreId) => Promise<void>;
  /** Tells the panel's live region something (a refused Clear). */
  announce: (message: string) => void;
}

/**
 * One store in the storage table: what it holds, its size, and Clear behind a confirmation
 * (a second row under it; focus goes to the safe choice, Escape keeps the data). A Clear that
 * cannot run stays focusable (aria-disabled) and says why.
 */
export function StoreRow({ id, usage, error, busyReason, clearing, onClear, announce }: StoreRowProps) {
  const domId = useId();
  const info = STORE_INFO[id];
  const [confirming, setConfirming] = useState(false);
  const keepRef = useRef<HTMLButtonElement>(null);
  const clearRef = useRef<HTMLButtonElement>(null);
  const refusal = busyReason ?? (error ? 'It could not be measured.' : emptyOrUnknownReason(usage));
  const blocked = refusal !== undefined || clearing;
  // Something that started using the store meanwhile takes the question back.
  const asking = confirming && refusal === undefined && usage !== undefined;

  useEffect(() => {
    if (asking) keepRef.current?.focus();
  }, [asking]);

  const cancel = () => {
    setConfirming(false);
    clearRef.current?.focus();
  };
  const confirm = async () => {
    setConfirming(false);
    clearRef.current?.focus();
    await onClear(id);
  };

  return (
    <>
      <tr
        data-testid={`store-${id}`}
        data-bytes={usage?.bytes ?? ''}
        data-state={error ? 'error' : usage ? 'measured' : 'measuring'}
        className="border-t border-zinc-800 align-top"
      >
        <th scope="row" className="py-2 pr-3 text-left font-normal">
          <span className="font-medium text-zinc-100">{info.title}</span>
          <span className="block text-xs text-zinc-400">{info.description}</span>
          {busyReason && (
            <span id={`${domId}-busy`} className="block text-xs text-amber-300" data-testid="store-busy">
              {busyReason}
            </span>
          )}
        </th>
        <td className="py-2 pr-3 text-zinc-300" data-testid="store-holds">
          {error ? (
            <span className="text-red-300">{error}</span>
          ) : usage ? (
            <Holds usage={usage} />
          ) : (
            'Measuring…'
          )}
        </td>
        <td className="py-2 pr-3 text-right whitespace-nowrap tabular-nums" data-testid="store-size">
          {usage ? formatBytes(usage.bytes) : error ? '—' : 'Measuring…'}
        </td>
        <td className="py-2 text-right">
          <button
            ref={clearRef}
            type="button"
            aria-label={`Clear ${info.title.toLowerCase()}`}
            aria-disabled={blocked}
            aria-describedby={busyReason ? `${domId}-busy` : undefined}
            aria-expanded={asking}
            aria-controls={asking ? `${domId}-confirm` : undefined}
            data-testid="store-clear"
            onClick={() => {
              if (clearing) return;
              if (refusal) announce(`${info.title} cannot be cleared now. ${refusal}`);
              else setConfirming(true);
            }}
            className={`rounded border px-2.5 py-0.5 ${
              blocked
                ? 'cursor-not-allowed border-zinc-800 text-zinc-400'
                : 'border-red-800 text-red-200 hover:bg-red-950'
            }`}
          >
            {clearing ? 'Clearing…' : 'Clear'}
          </button>
        </td>
      </tr>
      {asking && (
        <tr>
          <td colSpan={4} className="pb-3">
            <div
              id={`${domId}-confirm`}
              role="group"
              aria-label={`Clear ${info.title.toLowerCase()}?`}
              data-testid="store-confirm"
              onKeyDown={(event) => {
                // Escape answers this question; it must not close the whole dialog.
                if (event.key !== 'Escape') return;
                event.preventDefault();
                event.stopPropagation();
                cancel();
              }}
              className="flex flex-wrap items-center gap-3 rounded-lg border border-red-900 bg-red-950/50 p-3"
            >
              <p className="flex-1 basis-64 text-red-100">{confirmText(id, usage)}</p>
              <button
                type="button"
                onClick={() => void confirm()}
                data-testid="store-confirm-clear"
                className="rounded bg-red-700 px-3 py-1 font-medium text-white hover:bg-red-600"
              >
                Clear {info.title.toLowerCase()}
              </button>
              <button
                ref={keepRef}
                type="button"
                onClick={cancel}
                data-testid="store-confirm-keep"
                className="rounded border border-zinc-600 px-3 py-1 hover:bg-zinc-800"
              >
                Keep it
              </button>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}

/** "2 voices · 1 direction", each part kept on one line. */
function Holds({ usage }: { usage: StoreUsage }) {
  const parts = holdsParts(usage);
  if (parts.length === 0) return <>Empty</>;
  return (
    <>
      {parts.map((part, index) => (
        <span key={part} className="whitespace-nowrap">
          {index > 0 ? ' · ' : ''}
          {part}
        </span>
      ))}
    </>
  );
}
