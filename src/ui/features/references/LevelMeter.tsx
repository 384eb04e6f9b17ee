const FLOOR_DB = -60;

/** Input level in dBFS as a bar, with a clipping indicator that stays lit for the take. */
export function LevelMeter({
  levelDb,
  clipped,
  active,
}: {
  levelDb: number;
  clipped: boolean;
  active: boolean;
}) {
  const fraction = Math.min(1, Math.max(0, (levelDb - FLOOR_DB) / -FLOOR_DB));
  const colour = levelDb > -3 ? 'bg-red-500' : levelDb > -12 ? 'bg-amber-400' : 'bg-emerald-500';
  return (
    <div className="flex items-center gap-3">
      <div
        role="meter"
        aria-label="Input level"
        aria-valuemin={FLOOR_DB}
        aria-valuemax={0}
        aria-valuenow={Math.round(levelDb)}
        aria-valuetext={active ? `${Math.round(levelDb)} dBFS` : 'not recording'}
        className="h-2.5 flex-1 overflow-hidden rounded bg-zinc-800"
        data-testid="level-meter"
      >
        <div className={`h-full ${colour}`} style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
      </div>
      <span
        className={`rounded px-1.5 py-0.5 text-xs font-bold ${clipped ? 'bg-red-600 text-white' : 'bg-zinc-800 text-zinc-400'}`}
        data-testid="clip-indicator"
        data-clipped={clipped}
      >
        CLIP
      </span>
      <span role="status" className="text-xs text-red-300">
        {clipped ? 'Clipping: move back or lower the gain.' : ''}
      </span>
    </div>
  );
}
