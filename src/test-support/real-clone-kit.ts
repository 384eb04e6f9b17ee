/**
 * The real models wired up for cloning in Node (tests and the real-model clone benchmark): the
 * int8 Kokoro-82M through the studio's renderer, Resemblyzer's GE2E through the studio's port
 * (`embed_utterance(preprocess_wav(...))`, libfvad for the silence trim), the clone library the
 * app uses (English stock voices), and the app's probe sentences made by the app's text
 * frontend. Everything here is the app's own configuration (src/engine/clone/config.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { librarySeed } from '../engine/clone/job';
import { createKokoroRenderer, checkedEmbedder } from '../engine/clone/render';
import { cloneProbes, isLibraryVoice, transcriptProbeTokens, type CloneProbes } from '../engine/clone/config';
import type { Embedder, NamedPack, Probe, Renderer } from '../engine/clone/types';
import { FBANK_SAMPLE_RATE_HZ } from '../engine/audio/fbank';
import { embedUtterance, preprocessWav } from '../engine/speaker/ge2e';
import type { TextFrontend } from '../engine/text';
import { createWebRtcVad } from '../workers/audio/webrtc-vad';
import { realGe2eRunner, realKokoroRunner } from './real-models';
import { readStockVoice, REPO_ROOT, STOCK_VOICE_NAMES } from './shared';
import { createBenchFrontend, createDiskLexiconLoader } from './text-frontend';

export interface RealCloneKit {
  renderer: Renderer;
  /** GE2E on 16 kHz audio. */
  embedder: Embedder;
  /** The clone library: the English stock voices, as the app's clone worker loads them. */
  library: NamedPack[];
  /** The app's fixed probes. */
  probes: CloneProbes;
  frontend: TextFrontend;
  /** A text as the chunks a full rendering of it speaks (sentence chunks). */
  chunksOf(text: string, id: string): Promise<Probe[]>;
  /** The transcript probe's tokens the app's search renders: the transcript's first words (config.ts). */
  transcriptTokens(text: string): Promise<number[]>;
  /**
   * The instant estimate's seed the app's clone worker uses for `library` (librarySeed of the
   * voices' ids and the hub manifest's file hashes): the benchmark trains the same map.
   */
  librarySeed(library: readonly NamedPack[]): number;
}

/** The voices' file hashes in the hub manifest (public/models/manifest.json), the app's library fingerprints. */
function readHubVoiceHashes(): Map<string, string> {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'public/models/manifest.json'), 'utf8')) as {
    voices: { id: string; file: { sha256?: string; bytes: number } }[];
  };
  // As the clone worker: the SHA-256, or the size when the manifest has none.
  return new Map(manifest.voices.map((v) => [v.id, v.file.sha256 ?? `${v.file.bytes}b`]));
}

export async function createRealCloneKit(threads = 1): Promise<RealCloneKit> {
  const hubVoiceHashes = readHubVoiceHashes();
  const runner = await realKokoroRunner(threads);
  const ge2e = await realGe2eRunner(threads);
  const vad = await createWebRtcVad();
  const frontend = await createBenchFrontend(createDiskLexiconLoader());
  const embedder = checkedEmbedder('ge2e-real@node', async (pcm16k) => {
    const wav = preprocessWav(pcm16k, FBANK_SAMPLE_RATE_HZ, vad);
    if (wav.length === 0) throw new Error('There is no speech to embed (silent after trimming).');
    return embedUtterance(wav, ge2e);
  });
  return {
    renderer: createKokoroRenderer(runner, 'kokoro-int8-real@node'),
    embedder,
    library: STOCK_VOICE_NAMES.filter(isLibraryVoice).map((id) => ({ id, pack: readStockVoice(id) })),
    probes: await cloneProbes(frontend, 'en-us'),
    frontend,
    async chunksOf(text, id) {
      const prepared = await frontend.prepare(text, 'en-us', { chunking: 'sentence' });
      return prepared.chunks
        .filter((c) => c.tokenIds.length > 0)
        .map((c, i) => ({ id: `${id}-${i}`, tokenIds: c.tokenIds }));
    },
    librarySeed(library) {
      return librarySeed(library.map(({ id }) => ({ id, fingerprint: hubVoiceHashes.get(id) ?? '' })));
    },
    async transcriptTokens(text) {
      const tokens = await transcriptProbeTokens(frontend, text, 'en-us');
      if (!tokens) throw new Error(`The text frontend made nothing of "${text.slice(0, 40)}".`);
      return tokens;
    },
  };
}
