import { useId, useMemo } from 'react';
import type { VoiceEntry } from '../../../engine/models/manifest';
import { matchesVoiceFilter, VOICE_KINDS, type VoiceKind } from '../../../engine/voices/library';
import { LANGUAGE_NAMES, groupVoices } from '../../components/voices';
import { studio, useStudio } from '../../store/studio-store';
import type { LibraryVoice } from '../../store/slices/voices';
import { downloadBundle } from './files-actions';
import { stockKey, userKey, type VoiceKey } from './pack-registry';
import { playVoice } from './preview';
import { VoiceDetails } from './VoiceDetails';

interface Entry {
  key: VoiceKey;
  /** The name used in expressions. */
  name: string;
  title: string;
  subtitle: string;
  tags: string[];
  kind: VoiceKind;
  user?: LibraryVoice;
}

const KIND_LABELS: Record<VoiceKind, string> = {
  stock: 'stock',
  blend: 'blend',
  clone: 'clone',
  import: 'imported',
  duplicate: 'copy',
};

function stockEntry(v: VoiceEntry): Entry {
  const subtitle = `${LANGUAGE_NAMES[v.language]} · ${v.gender}${v.grade ? ` · grade ${v.grade}` : ''}`;
  return { key: stockKey(v.id), name: v.id, title: `${v.id} · ${v.name}`, subtitle, tags: [], kind: 'stock' };
}

function userEntry(v: LibraryVoice): Entry {
  return {
    key: userKey(v.id),
    name: v.name,
    title: v.name,
    subtitle: v.originText,
    tags: v.tags,
    kind: v.kind,
    user: v,
  };
}

function Filters({ tags }: { tags: string[] }) {
  const id = useId();
  const filter = useStudio((s) => s.voiceFilter);
  const set = (patch: Partial<typeof filter>) => studio.set({ voiceFilter: { ...filter, ...patch } });
  return (
    <div className="flex flex-wrap gap-2 text-sm" role="search" aria-label="Filter voices">
      <label htmlFor={`${id}-text`} className="sr-only">
        Find a voice
      </label>
      <input
        id={`${id}-text`}
        type="search"
        data-testid="library-filter"
        placeholder="Find a voice…"
        value={filter.text}
        onChange={(e) => set({ text: e.target.value })}
        className="min-w-0 flex-1 rounded border border-zinc-700 bg-zinc-900 p-1.5"
      />
      <select
        aria-label="Kind of voice"
        data-testid="library-kind"
        value={filter.kind}
        onChange={(e) => set({ kind: e.target.value as VoiceKind | 'all' })}
        className="rounded border border-zinc-700 bg-zinc-900 p-1.5"
      >
        <option value="all">All kinds</option>
        {VOICE_KINDS.map((kind) => (
          <option key={kind} value={kind}>
            {KIND_LABELS[kind]}
          </option>
        ))}
      </select>
      <select
        aria-label="Tag"
        data-testid="library-tag"
        value={filter.tag}
        onChange={(e) => set({ tag: e.target.value })}
        className="rounded border border-zinc-700 bg-zinc-900 p-1.5"
      >
        <option value="">Any tag</option>
        {tags.map((tag) => (
          <option key={tag} value={tag}>
            {tag}
          </option>
        ))}
      </select>
    </div>
  );
}

function LibraryItem({ entry, open }: { entry: Entry; open: boolean }) {
  const engineReady = useStudio((s) => s.phase === 'ready');
  const playingThis = useStudio((s) => s.previewPlaying && s.previewSource === entry.key);
  return (
    <li
      data-testid="library-item"
      data-voice-name={entry.name}
      data-kind={entry.kind}
      className={`rounded ${entry.user ? 'bg-amber-400/5' : ''}`}
    >
      <div className="flex items-center gap-2 px-2 py-1.5">
        <button
          type="button"
          aria-label={`Play ${entry.name}`}
          data-testid="library-play"
          disabled={!engineReady}
          onClick={() => void playVoice(entry.key)}
          className="flex h-7 w-7 shrink-0 items-center justify-center rounded-full border border-zinc-600 text-xs hover:bg-zinc-800 disabled:opacity-40"
        >
          {playingThis ? '♪' : '▶'}
        </button>
        <div className="min-w-0 flex-1">
          <p className="truncate text-sm text-zinc-100">
            {entry.title}
            <span
              className={`ml-2 rounded px-1.5 py-0.5 text-[10px] uppercase tracking-wide ${entry.kind === 'stock' ? 'bg-zinc-800 text-zinc-400' : 'bg-amber-400/20 text-amber-200'}`}
            >
              {KIND_LABELS[entry.kind]}
            </span>
          </p>
          <p className="truncate text-xs text-zinc-400">
            {entry.subtitle}
            {entry.tags.length > 0 && <span className="ml-1 text-zinc-400">#{entry.tags.join(' #')}</span>}
          </p>
        </div>
        <button
          type="button"
          aria-expanded={open}
          aria-label={`Details of ${entry.name}`}
          data-testid="library-details"
          onClick={() => studio.set({ voiceSelected: open ? undefined : entry.key })}
          className="rounded px-2 py-1 text-xs text-zinc-400 hover:bg-zinc-800 hover:text-zinc-100"
        >
          {open ? 'Close' : 'Details'}
        </button>
      </div>
      {open && (
        <VoiceDetails voiceKey={entry.key} name={entry.name} {...(entry.user ? { user: entry.user } : {})} />
      )}
    </li>
  );
}

/** The library: the user's voices first, then the stock voices; filters; details per voice. */
export function LibraryPanel() {
  const id = useId();
  const stock = useStudio((s) => s.status?.manifest.voices);
  const library = useStudio((s) => s.voiceLibrary);
  const state = useStudio((s) => s.voiceLibraryState);
  const filter = useStudio((s) => s.voiceFilter);
  const selected = useStudio((s) => s.voiceSelected);
  const entries = useMemo(() => {
    const stockEntries = groupVoices(stock ?? []).flatMap((g) => g.voices.map(stockEntry));
    return [...library.map(userEntry), ...stockEntries];
  }, [library, stock]);
  const tags = useMemo(() => [...new Set(library.flatMap((v) => v.tags))].sort(), [library]);
  const shown = entries.filter((e) =>
    matchesVoiceFilter({ name: e.name, id: e.title, tags: e.tags, kind: e.kind }, filter),
  );
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="flex flex-col gap-3 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4"
    >
      <div className="flex items-center justify-between">
        <h2 id={`${id}-title`} className="text-sm font-semibold text-zinc-300">
          Library
        </h2>
        <span className="text-xs text-zinc-400" data-testid="library-count" data-user-count={library.length}>
          {state === 'loading' ? 'opening…' : `${library.length} of yours · ${stock?.length ?? 0} stock`}
        </span>
      </div>
      <Filters tags={tags} />
      {library.length === 0 && state === 'ready' && (
        <p className="text-sm text-zinc-400" data-testid="library-empty">
          Your library is empty. Save a blend, or import voice files below.
        </p>
      )}
      <ul className="flex max-h-[32rem] flex-col gap-0.5 overflow-y-auto pr-1" aria-label="Voices">
        {shown.map((entry) => (
          <LibraryItem key={entry.key} entry={entry} open={selected === entry.key} />
        ))}
        {shown.length === 0 && <li className="p-2 text-sm text-zinc-400">No voice matches the filter.</li>}
      </ul>
      {library.length > 0 && (
        <button
          type="button"
          onClick={downloadBundle}
          className="self-start rounded border border-zinc-600 px-2 py-1 text-xs hover:bg-zinc-800"
        >
          Download all your voices (.npz)
        </button>
      )}
    </section>
  );
}
