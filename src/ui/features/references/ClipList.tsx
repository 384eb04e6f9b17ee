import { useStudio } from '../../store/studio-store';
import { ClipRow } from './ClipRow';

/** The clips of the selected target voice. */
export function ClipList() {
  const targetId = useStudio((s) => s.refTargetId);
  const target = useStudio((s) => s.refTargets.find((t) => t.id === s.refTargetId));
  const allClips = useStudio((s) => s.refClips);
  const loaded = useStudio((s) => s.refLoaded);
  const clips = allClips.filter((c) => c.targetId === targetId);
  return (
    <section
      aria-labelledby="clips-heading"
      className="flex flex-col gap-3 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4"
    >
      <h3 id="clips-heading" className="text-sm font-semibold text-zinc-300">
        Clips{target ? ` of ${target.name}` : ''}
      </h3>
      {!loaded ? (
        <p className="text-sm text-zinc-400">Loading saved clips…</p>
      ) : clips.length === 0 ? (
        <p className="text-sm text-zinc-400" data-testid="clips-empty">
          No clips yet. 10 to 30 seconds of clear speech from one speaker is a good start; several clips are
          averaged.
        </p>
      ) : (
        <ul className="flex flex-col gap-2" data-testid="clip-list">
          {clips.map((clip) => (
            <ClipRow key={clip.id} clip={clip} />
          ))}
        </ul>
      )}
    </section>
  );
}
