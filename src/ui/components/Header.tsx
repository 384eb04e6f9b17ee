import { useStudio } from '../store/studio-store';

interface HeaderProps {
  onOpenModels: () => void;
}

export function Header({ onOpenModels }: HeaderProps) {
  const status = useStudio((s) => s.status);
  const phase = useStudio((s) => s.phase);
  return (
    <header className="flex flex-wrap items-center gap-3 border-b border-zinc-800 px-6 py-4">
      <h1 className="text-xl font-bold tracking-tight">
        <span className="text-amber-400">Timbre</span>{' '}
        <span className="font-normal text-zinc-400">voice studio</span>
      </h1>
      <div className="ml-auto flex items-center gap-2 text-xs">
        {status && (
          <span
            data-testid="backend-badge"
            title={status.fallbackReason ?? `Kokoro ${status.variant} on ${status.backend}`}
            className={`rounded-full px-2.5 py-1 font-semibold ${status.backend === 'webgpu' ? 'bg-emerald-900 text-emerald-200' : 'bg-sky-900 text-sky-200'}`}
          >
            {status.backend === 'webgpu' ? 'WebGPU' : 'WASM'} · {status.variant}
          </span>
        )}
        {phase === 'loading' && <span className="text-zinc-400">loading model…</span>}
        <button
          type="button"
          onClick={onOpenModels}
          className="rounded border border-zinc-700 px-3 py-1 text-zinc-200 hover:bg-zinc-800"
        >
          Models & settings
        </button>
      </div>
    </header>
  );
}
