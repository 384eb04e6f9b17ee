import { describe, expect, it } from 'vitest';
import { extractVoiceFeatures } from '../audio/features';
import { createFakeCloneKit, randomNamedPacks, styleRowEmbedding } from '../../test-support/clone-fixtures';
import { evaluateFinal, renderText, type FinalEvaluationSetup } from './final-evaluation';
import { cosine } from './linalg';
import { combineSimilarities, SCORE_PRESETS } from './score';
import type { Probe } from './types';

const transcript: Probe[] = [
  { id: 'transcript-0', tokenIds: [50, 51, 52, 16, 53] },
  { id: 'transcript-1', tokenIds: [54, 55, 16, 56, 57, 58, 4] },
];
const other: Probe[] = [{ id: 'other-0', tokenIds: [60, 61, 62, 63, 4] }];

function setup(embeddingOf = styleRowEmbedding('other-0')) {
  const kit = createFakeCloneKit(embeddingOf);
  const [target, candidate] = randomNamedPacks(2, 7);
  const base: FinalEvaluationSetup = {
    renderer: kit.renderer,
    embedder: kit.embedder,
    target: {
      embedding: embeddingOf(target!.pack, transcript[1]!),
      features: extractVoiceFeatures(kit.audio),
    },
    transcript,
    otherText: other,
  };
  return { kit, base, target: target!, candidate: candidate! };
}

describe('evaluateFinal', () => {
  it('renders every chunk of the transcript and the other text, and scores as KVoiceWalk does', async () => {
    const { kit, base, candidate } = setup();
    const result = await evaluateFinal(candidate.pack, base);
    // Two transcript chunks and one chunk of the other text, in order.
    expect(kit.renderer.probes).toEqual(['transcript-0', 'transcript-1', 'other-0']);
    expect(result.audio.transcript.length).toBe(2 * kit.audio.length);
    expect(result.audio.otherText.length).toBe(kit.audio.length);
    expect(result.targetSimilarity).toBeCloseTo(
      cosine(result.embeddings.transcript, base.target.embedding),
      6,
    );
    expect(result.selfSimilarity).toBeCloseTo(
      cosine(result.embeddings.transcript, result.embeddings.otherText),
      6,
    );
    expect(result.score).toBeCloseTo(
      combineSimilarities(
        result.targetSimilarity,
        result.selfSimilarity,
        result.featureSimilarity,
        SCORE_PRESETS.kvoicewalk,
      ),
      9,
    );
  });

  it('gives the target pack a higher target similarity than another pack', async () => {
    const { base, target, candidate } = setup();
    const own = await evaluateFinal(target.pack, base);
    const otherVoice = await evaluateFinal(candidate.pack, base);
    expect(own.targetSimilarity).toBeGreaterThan(otherVoice.targetSimilarity);
    expect(own.targetSimilarity).toBeGreaterThan(0.99);
  });

  it('takes the feature similarity from a judge when one is given', async () => {
    const { base, candidate } = setup();
    const seen: number[] = [];
    const result = await evaluateFinal(candidate.pack, {
      ...base,
      featureJudge: async (pcm) => {
        seen.push(pcm.length);
        return 0.47;
      },
    });
    expect(result.featureSimilarity).toBe(0.47);
    expect(seen).toEqual([result.audio.transcript.length]);
  });

  it('refuses a text with no chunks and stops when aborted', async () => {
    const { kit, base, candidate } = setup();
    await expect(renderText(kit.renderer, candidate.pack, [])).rejects.toThrow(RangeError);
    const controller = new AbortController();
    controller.abort('stop');
    await expect(evaluateFinal(candidate.pack, base, controller.signal)).rejects.toBeDefined();
    expect(kit.renderer.calls).toBe(0);
  });
});
