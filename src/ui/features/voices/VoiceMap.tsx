import { useMemo, useState, type KeyboardEvent } from 'react';
import type { LanguageCode } from '../../../engine/models/manifest';
import { project } from '../../../engine/voices/pca';
import { LANGUAGE_NAMES } from '../../components/voices';
import { useStudio } from '../../store/studio-store';
import { currentResultPack } from './blend-actions';
import { loadStockMap, packForKey, stockKey, userKey } from './pack-registry';
import { listen, playVoice } from './preview';

const WIDTH = 560;
const HEIGHT = 340;
const PAD = 24;
const POINT_R = 6;

export const LANGUAGE_COLOURS: Record<LanguageCode, string> = {
  'en-us': '#60a5fa',
  'en-gb': '#f87171',
  es: '#fb923c',
  fr: '#c084fc',
  hi: '#34d399',
  it: '#a3e635',
  ja: '#f472b6',
  'pt-br': '#fde047',
  zh: '#22d3ee',
};

interface MapPoint {
  key: string;
  name: string;
  description: string;
  x: number;
  y: number;
  kind: 'stock' | 'user' | 'result';
  colour: string;
  gender?: 'female' | 'male';
}

function onActivate(action: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      action();
    }
  };
}

/** A 2-D PCA map of the library (fitted on the stock voices); the blend moves as you edit it. */
export function VoiceMap() {
  const stock = useStudio((s) => s.status?.manifest.voices);
  const loaded = useStudio((s) => s.stockPacksLoaded);
  const total = useStudio((s) => s.stockPacksTotal);
  const loadError = useStudio((s) => s.stockPacksError);
  const library = useStudio((s) => s.voiceLibrary);
  const blendChecksum = useStudio((s) => s.blendChecksum);
  const stockMap = useStudio((s) => s.stockMap);
  const [focus, setFocus] = useState<MapPoint>();

  // Fitted in the inference worker (on every stock pack); here only the voices' entries are matched.
  const model = useMemo(() => {
    if (!stockMap || !stock) return undefined;
    const entries = new Map(stock.map((v) => [v.id, v]));
    const voices = stockMap.points.flatMap((p) => {
      const entry = entries.get(p.id);
      return entry ? [{ entry, x: p.x, y: p.y }] : [];
    });
    return voices.length < 3 ? undefined : { voices, pca: stockMap.pca };
  }, [stockMap, stock]);

  const layout = useMemo(() => {
    if (!model) return undefined;
    const raw: MapPoint[] = model.voices.map(({ entry: v, x, y }) => {
      const description = `${v.name}, ${LANGUAGE_NAMES[v.language]} ${v.gender}`;
      return {
        key: stockKey(v.id),
        name: v.id,
        description,
        x,
        y,
        kind: 'stock',
        colour: LANGUAGE_COLOURS[v.language],
        gender: v.gender,
      };
    });
    for (const voice of library) {
      const pack = packForKey(userKey(voice.id));
      if (!pack) continue;
      const [x, y] = project(model.pca, pack) as [number, number];
      raw.push({
        key: userKey(voice.id),
        name: voice.name,
        description: `your voice (${voice.originText})`,
        x,
        y,
        kind: 'user',
        colour: '#fbbf24',
      });
    }
    const xs = raw.map((p) => p.x);
    const ys = raw.map((p) => p.y);
    const bounds = {
      minX: Math.min(...xs),
      maxX: Math.max(...xs),
      minY: Math.min(...ys),
      maxY: Math.max(...ys),
    };
    const sx = (x: number) =>
      PAD + ((x - bounds.minX) / (bounds.maxX - bounds.minX || 1)) * (WIDTH - 2 * PAD);
    // SVG y grows downward; flip so the second component points up.
    const sy = (y: number) =>
      HEIGHT - PAD - ((y - bounds.minY) / (bounds.maxY - bounds.minY || 1)) * (HEIGHT - 2 * PAD);
    const clamp = (v: number, max: number) => Math.min(max - 6, Math.max(6, v));
    const place = (p: MapPoint): MapPoint => ({ ...p, x: clamp(sx(p.x), WIDTH), y: clamp(sy(p.y), HEIGHT) });
    return { points: raw.map(place), place };
  }, [model, library]);

  const result = useMemo(() => {
    const pack = blendChecksum ? currentResultPack() : undefined;
    if (!pack || !model || !layout) return undefined;
    const [x, y] = project(model.pca, pack) as [number, number];
    return layout.place({
      key: 'result',
      name: 'the blend',
      description: 'the current blend',
      x,
      y,
      kind: 'result',
      colour: '#ffffff',
    });
  }, [blendChecksum, model, layout]);

  const languages = useMemo(() => [...new Set((stock ?? []).map((v) => v.language))], [stock]);
  const variance = model ? model.pca.variances.map((v) => (100 * v) / model.pca.totalVariance) : [];

  return (
    <section
      aria-labelledby="voice-map-title"
      className="flex flex-col gap-3 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4"
    >
      <div className="flex items-center justify-between">
        <h2 id="voice-map-title" className="text-sm font-semibold text-zinc-300">
          Voice map
        </h2>
        {model && (
          <span className="text-xs text-zinc-400">
            PCA of the stock voices: {variance.map((v) => `${v.toFixed(0)}%`).join(' + ')} of the variance
          </span>
        )}
      </div>
      {!layout && loadError ? (
        <div
          role="alert"
          data-testid="map-error"
          className="flex flex-col items-start gap-2 text-sm text-red-200"
        >
          <p>The map needs every stock voice, and one could not be loaded: {loadError}</p>
          <button
            type="button"
            onClick={() => void loadStockMap()}
            className="rounded border border-red-400/60 px-3 py-1 text-red-100 hover:bg-red-950"
          >
            Try again
          </button>
        </div>
      ) : !layout ? (
        <p className="text-sm text-zinc-400" aria-live="polite" data-testid="map-loading">
          {total > 0
            ? `Loading the stock voices for the map: ${loaded} of ${total}…`
            : 'The map appears once the voice model is ready.'}
        </p>
      ) : (
        <svg
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          className="w-full rounded bg-zinc-950"
          data-testid="voice-map"
          role="group"
          aria-label="Voice map: each point is a voice; press Enter to hear it"
        >
          {layout.points.map((p) => (
            <g
              key={p.key}
              role="button"
              tabIndex={0}
              aria-label={`${p.name}: ${p.description}. Play`}
              data-testid="map-point"
              data-kind={p.kind}
              data-voice-name={p.name}
              transform={`translate(${p.x.toFixed(1)} ${p.y.toFixed(1)})`}
              onClick={() => void playVoice(p.key)}
              onKeyDown={onActivate(() => void playVoice(p.key))}
              onFocus={() => setFocus(p)}
              onBlur={() => setFocus(undefined)}
              onMouseEnter={() => setFocus(p)}
              onMouseLeave={() => setFocus(undefined)}
              className="cursor-pointer outline-none [&:focus-visible>.ring]:opacity-100"
            >
              <circle
                className="ring opacity-0"
                r={POINT_R + 4}
                fill="none"
                stroke="#fbbf24"
                strokeWidth={2}
              />
              {p.kind === 'user' ? (
                <path
                  d={`M0 ${-POINT_R - 2} L${POINT_R + 2} 0 L0 ${POINT_R + 2} L${-POINT_R - 2} 0 Z`}
                  fill={p.colour}
                  stroke="#fff"
                  strokeWidth={1.5}
                />
              ) : p.gender === 'male' ? (
                <rect
                  x={-POINT_R + 1}
                  y={-POINT_R + 1}
                  width={2 * POINT_R - 2}
                  height={2 * POINT_R - 2}
                  fill={p.colour}
                  fillOpacity={0.85}
                />
              ) : (
                <circle r={POINT_R - 1} fill={p.colour} fillOpacity={0.85} />
              )}
            </g>
          ))}
          {result && (
            <g
              role="button"
              tabIndex={0}
              aria-label="The current blend. Play"
              data-testid="map-result"
              style={{
                transform: `translate(${result.x}px, ${result.y}px)`,
                transition: 'transform 150ms ease-out',
              }}
              onClick={() => void listen('result')}
              onKeyDown={onActivate(() => void listen('result'))}
              onFocus={() => setFocus(result)}
              onBlur={() => setFocus(undefined)}
              onMouseEnter={() => setFocus(result)}
              onMouseLeave={() => setFocus(undefined)}
              className="cursor-pointer outline-none"
            >
              <circle r={9} fill="none" stroke="#fff" strokeWidth={2} />
              <path d="M-13 0 H-5 M5 0 H13 M0 -13 V-5 M0 5 V13" stroke="#fff" strokeWidth={2} />
            </g>
          )}
          {focus && (
            <text
              x={Math.min(focus.x + 10, WIDTH - 120)}
              y={Math.max(focus.y - 10, 14)}
              fill="#fafafa"
              fontSize={13}
              paintOrder="stroke"
              stroke="#09090b"
              strokeWidth={3}
              pointerEvents="none"
            >
              {focus.name}
            </text>
          )}
        </svg>
      )}
      <p className="min-h-5 text-sm text-zinc-300" aria-live="polite" data-testid="map-caption">
        {focus ? `${focus.name}: ${focus.description}` : ''}
      </p>
      {layout && (
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-400" aria-label="Legend">
          {languages.map((language) => (
            <li key={language} className="flex items-center gap-1.5">
              <span
                className="inline-block h-2.5 w-2.5 rounded-full"
                style={{ background: LANGUAGE_COLOURS[language] }}
              />
              {LANGUAGE_NAMES[language]}
            </li>
          ))}
          <li className="flex items-center gap-1.5">
            <span className="inline-block h-2.5 w-2.5 rounded-full bg-zinc-400" /> female
          </li>
          <li className="flex items-center gap-1.5">
            <span className="inline-block h-2.5 w-2.5 bg-zinc-400" /> male
          </li>
          <li className="flex items-center gap-1.5">
            <span className="inline-block h-2.5 w-2.5 rotate-45 border border-white bg-amber-400" /> your
            voices
          </li>
          <li className="flex items-center gap-1.5">
            <span className="inline-block h-3 w-3 rounded-full border-2 border-white" /> the blend
          </li>
        </ul>
      )}
    </section>
  );
}
