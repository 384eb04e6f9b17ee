import { useEffect, useId, useState } from 'react';
import { float32Checksum } from '../../../engine/voices/checksum';
import type { VoiceExportFormat } from '../../../engine/voices/formats';
import { parseTags } from '../../../engine/voices/library';
import { studio } from '../../store/studio-store';
import type { LibraryVoice } from '../../store/slices/voices';
import { addRow } from './blend-actions';
import { downloadRecipe, downloadVoice, recipeOf } from './files-actions';
import { deleteVoice, duplicateVoice, renameVoice, setVoiceTags } from './library-actions';
import { ensureStockPacks, packForKey, type VoiceKey } from './pack-registry';
import { listen } from './preview';

const FORMATS: readonly VoiceExportFormat[] = ['pt', 'bin', 'npy'];
const small = 'rounded border border-zinc-600 px-2 py-1 text-xs hover:bg-zinc-800';

function RenameForm({ voice }: { voice: LibraryVoice }) {
  const id = useId();
  const [name, setName] = useState(voice.name);
  const [tags, setTags] = useState(voice.tags.join(', '));
  const [problem, setProblem] = useState<string>();
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        void (async () => {
          const renamed = await renameVoice(voice.id, name);
          setProblem(renamed);
          if (!renamed && parseTags(tags).join(',') !== voice.tags.join(','))
            await setVoiceTags(voice.id, parseTags(tags));
        })();
      }}
    >
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-name`} className="text-xs text-zinc-400">
          Name
        </label>
        <input
          id={`${id}-name`}
          data-testid="details-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={problem ? true : undefined}
          className="w-40 rounded border border-zinc-700 bg-zinc-900 p-1 text-sm"
        />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-tags`} className="text-xs text-zinc-400">
          Tags
        </label>
        <input
          id={`${id}-tags`}
          data-testid="details-tags"
          value={tags}
          onChange={(e) => setTags(e.target.value)}
          className="w-40 rounded border border-zinc-700 bg-zinc-900 p-1 text-sm"
        />
      </div>
      <button type="submit" data-testid="details-apply" className={small}>
        Apply
      </button>
      {problem && (
        <p role="alert" className="w-full text-xs text-red-200">
          {problem}
        </p>
      )}
    </form>
  );
}

/** Everything about one voice: fingerprint, origin, rename and tags, copies, downloads, delete. */
export function VoiceDetails({
  voiceKey,
  name,
  user,
}: {
  voiceKey: VoiceKey;
  name: string;
  user?: LibraryVoice;
}) {
  const [stockChecksum, setStockChecksum] = useState<string>();
  useEffect(() => {
    if (user) return;
    let live = true;
    void ensureStockPacks([name]).then(() => {
      if (live) setStockChecksum(maybeChecksum(voiceKey));
    });
    return () => {
      live = false;
    };
  }, [voiceKey, name, user]);
  const checksum = user?.checksum ?? stockChecksum;
  const recipe = user?.kind === 'blend' ? recipeOf(voiceKey) : undefined;
  return (
    <div
      className="flex flex-col gap-2 border-t border-zinc-800 px-2 pb-2 pt-2 text-sm"
      data-testid="voice-details"
    >
      <dl className="grid grid-cols-[6rem_minmax(0,1fr)] gap-x-2 gap-y-1 text-xs">
        <dt className="text-zinc-400">Fingerprint</dt>
        <dd className="font-mono text-zinc-300" data-testid="voice-checksum">
          {checksum ?? 'loading…'}
        </dd>
        {user && (
          <>
            <dt className="text-zinc-400">Origin</dt>
            <dd className="break-words text-zinc-300">{user.originText}</dd>
            <dt className="text-zinc-400">Created</dt>
            <dd className="text-zinc-300">
              {/* eslint-disable-next-line no-restricted-syntax -- a date in the reader's own format, shown on demand, never at start-up */}
              {new Date(user.createdAt).toLocaleString()}
            </dd>
          </>
        )}
      </dl>
      {user && <RenameForm key={`${user.id}:${user.updatedAt}`} voice={user} />}
      <div className="flex flex-wrap gap-1.5" role="group" aria-label={`Actions for ${name}`}>
        <button type="button" className={small} onClick={() => addRow(name)}>
          Add to blend
        </button>
        <button
          type="button"
          className={small}
          onClick={() => {
            studio.set({ abOther: voiceKey });
            void listen('other');
          }}
        >
          Compare as B
        </button>
        <button
          type="button"
          className={small}
          data-testid="details-duplicate"
          onClick={() => void duplicateVoice(voiceKey)}
        >
          Duplicate
        </button>
        {user && (
          <button
            type="button"
            className={`${small} border-red-500/60 text-red-200 hover:bg-red-950`}
            data-testid="details-delete"
            onClick={() => void deleteVoice(user.id)}
          >
            Delete
          </button>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label={`Download ${name}`}>
        <span className="text-xs text-zinc-400">Download</span>
        {FORMATS.map((format) => (
          <button
            key={format}
            type="button"
            className={small}
            data-testid={`details-download-${format}`}
            onClick={() => downloadVoice(voiceKey, format)}
          >
            .{format}
          </button>
        ))}
        {recipe && (
          <button
            type="button"
            className={small}
            data-testid="details-download-recipe"
            onClick={() => downloadRecipe(recipe)}
          >
            recipe
          </button>
        )}
      </div>
    </div>
  );
}

function maybeChecksum(key: string): string | undefined {
  const pack = packForKey(key);
  return pack ? float32Checksum(pack) : undefined;
}
