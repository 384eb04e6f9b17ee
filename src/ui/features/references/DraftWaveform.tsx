import { useEffect, useRef } from 'react';
import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin, { type Region } from 'wavesurfer.js/dist/plugins/regions.esm.js';
import { CLIP_SAMPLE_RATE_HZ } from '../../../engine/reference/clip-policy';
import { useStudio } from '../../store/studio-store';
import { waveformPeaks } from './audio-url';
import { setRegion } from './draft-actions';
import { draftAudio } from './draft-registry';

const KEEP_ID = 'keep';
const KEEP_COLOUR = 'rgba(251, 191, 36, 0.18)';

/**
 * The draft's waveform with the region to keep (drag its edges, drag it, or drag on the
 * waveform to draw a new one) and, below it, the speech the VAD found inside that region.
 */
export function DraftWaveform() {
  const container = useRef<HTMLDivElement>(null);
  const keep = useRef<Region | null>(null);
  const draft = useStudio((s) => s.refDraft);
  const region = useStudio((s) => s.refRegion);
  const segments = useStudio((s) => s.refCleaned?.segments);
  const durationS = draft?.ingestedS ?? 0;

  useEffect(() => {
    const audio = draftAudio();
    if (!container.current || !audio || !draft) return;
    const ws = WaveSurfer.create({
      container: container.current,
      height: 96,
      waveColor: '#a1a1aa',
      progressColor: '#a1a1aa',
      cursorWidth: 0,
      normalize: true,
      interact: false,
    });
    const regions = ws.registerPlugin(RegionsPlugin.create());
    const seconds = audio.pcm.length / CLIP_SAMPLE_RATE_HZ;
    ws.on('ready', () => {
      keep.current = regions.addRegion({
        id: KEEP_ID,
        start: 0,
        end: seconds,
        color: KEEP_COLOUR,
        drag: true,
        resize: true,
        minLength: 0.5,
      });
    });
    const commit = (r: Region) =>
      setRegion(r.start <= 0.001 && r.end >= seconds - 0.001 ? undefined : { startS: r.start, endS: r.end });
    regions.on('region-updated', (r) => {
      if (r.id === KEEP_ID) commit(r);
    });
    regions.on('region-created', (r) => {
      if (r.id === KEEP_ID) return;
      // A region drawn by dragging replaces the one to keep.
      keep.current?.remove();
      r.remove();
      keep.current = regions.addRegion({
        id: KEEP_ID,
        start: r.start,
        end: r.end,
        color: KEEP_COLOUR,
        drag: true,
        resize: true,
        minLength: 0.5,
      });
      commit(keep.current);
    });
    const stopDragSelection = regions.enableDragSelection({ color: KEEP_COLOUR });
    void ws.load('', [waveformPeaks(audio.pcm)], seconds).catch(() => undefined);
    return () => {
      stopDragSelection();
      ws.destroy();
      keep.current = null;
    };
  }, [draft]);

  // Keep the drawn region in step with the number inputs.
  useEffect(() => {
    const r = keep.current;
    if (!r) return;
    const start = region?.startS ?? 0;
    const end = region?.endS ?? durationS;
    if (Math.abs(r.start - start) > 0.005 || Math.abs(r.end - end) > 0.005) r.setOptions({ start, end });
  }, [region, durationS]);

  const offset = region?.startS ?? 0;
  return (
    <div className="flex flex-col gap-1">
      <div
        ref={container}
        role="img"
        aria-label="Waveform of the audio; the highlighted region is what will be kept"
        className="rounded bg-zinc-950"
        data-testid="draft-waveform"
      />
      <div
        className="relative h-2 rounded bg-zinc-800"
        aria-hidden="true"
        title="Speech found by the voice-activity detector"
      >
        {durationS > 0 &&
          segments?.map((s, i) => (
            <div
              key={i}
              className="absolute top-0 h-full rounded bg-emerald-500"
              style={{
                left: `${((offset + s.startS) / durationS) * 100}%`,
                width: `${((s.endS - s.startS) / durationS) * 100}%`,
              }}
            />
          ))}
      </div>
    </div>
  );
}
