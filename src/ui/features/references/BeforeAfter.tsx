import { useEffect, useRef, useState } from 'react';
import { CLIP_SAMPLE_RATE_HZ } from '../../../engine/reference/clip-policy';
import { focusMediaElement } from '../../audio/playback-focus';
import { useStudio } from '../../store/studio-store';
import { wavUrl } from './audio-url';
import { draftAudio, draftCleaned } from './draft-registry';

type Which = 'before' | 'after';

/** Listen to the kept region as recorded and after clean-up, to hear what the clean-up did. */
export function BeforeAfter() {
  const player = useRef<HTMLAudioElement>(null);
  const [playing, setPlaying] = useState<Which>();
  const cleaned = useStudio((s) => s.refCleaned);
  const region = useStudio((s) => s.refRegion);
  const [urls, setUrls] = useState<Record<Which, string>>();
  // One voice at a time: this player pauses when another starts, and playing it stops the other.
  useEffect(() => (player.current ? focusMediaElement(player.current) : undefined), []);

  useEffect(() => {
    const audio = draftAudio();
    const after = draftCleaned();
    if (!audio || !after || !cleaned) return;
    const rate = CLIP_SAMPLE_RATE_HZ;
    const start = Math.round((region?.startS ?? 0) * rate);
    const end = region ? Math.round(region.endS * rate) : audio.pcm.length;
    const next = { before: wavUrl(audio.pcm.subarray(start, end), rate), after: wavUrl(after.pcm, rate) };
    setUrls(next);
    const element = player.current;
    return () => {
      element?.pause();
      URL.revokeObjectURL(next.before);
      URL.revokeObjectURL(next.after);
    };
  }, [cleaned, region]);

  const toggle = (which: Which) => {
    const audio = player.current;
    if (!audio || !urls) return;
    if (playing === which) {
      audio.pause();
      return;
    }
    audio.src = urls[which];
    void audio
      .play()
      .then(() => setPlaying(which))
      .catch(() => setPlaying(undefined));
  };

  const button = (which: Which, label: string) => (
    <button
      type="button"
      disabled={!urls || (which === 'after' && (cleaned?.durationS ?? 0) === 0)}
      aria-pressed={playing === which}
      onClick={() => toggle(which)}
      className="rounded border border-zinc-600 px-3 py-1.5 text-sm hover:bg-zinc-800 disabled:opacity-40 aria-pressed:border-amber-400 aria-pressed:text-amber-300"
      data-testid={`play-${which}`}
    >
      {playing === which ? 'Pause' : label}
    </button>
  );

  return (
    <div className="flex items-center gap-2">
      {button('before', 'Play before')}
      {button('after', 'Play after clean-up')}
      <audio
        ref={player}
        onPause={() => setPlaying(undefined)}
        onEnded={() => setPlaying(undefined)}
        className="hidden"
      />
    </div>
  );
}
