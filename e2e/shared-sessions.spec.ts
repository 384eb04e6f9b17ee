/**
 * One Kokoro session serves Speak and the Clone search (issue 14), on the fixture models: with a
 * clone search running, Speak's sentences go before the clone's renderings (the inference
 * worker's scheduler: interactive before background, and a synthesis holds clone work back
 * between its sentences), so time to first audio and the whole synthesis stay within one clone
 * evaluation of what they are with nothing else running, the take plays without a gap (no
 * underrun of the stream player), and the clone goes on afterwards.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { CloneStudio } from './studio';

const REFERENCE_WAV = fileURLToPath(new URL('../.fixtures/audio/clone-reference.wav', import.meta.url));
const REFERENCE_TXT = fileURLToPath(new URL('../.fixtures/audio/clone-reference.txt', import.meta.url));
/** Ten sentences, read three times over (a take of ~30 runs): clone renderings slipped in between them would show. */
const SENTENCES = [
  'The quick brown fox jumps over the lazy dog.',
  'A second sentence follows the first one closely.',
  'The third one talks about the weather in spring.',
  'Rain fell on the hills for most of the morning.',
  'By noon the clouds had moved away to the east.',
  'Children ran out to play in the wet green fields.',
  'Their parents watched from the porch with cups of tea.',
  'A dog barked twice and then went back to sleep.',
  'The evening came slowly, orange and then deep blue.',
  'Finally, the tenth sentence ends this little story.',
].join(' ');
const TAKE = [SENTENCES, SENTENCES, SENTENCES].join(' ');
/** Enough evaluations that the search still runs while Speak speaks; at most Quick (120), so no short-speech prompt. */
const BUDGET = 110;
/** How long the clone's pace is watched before Speak (page time). */
const PACE_WINDOW_MS = 6_000;
/** Room for a machine shared with other work: a share of the idle time, and a fixed part (ms). */
const SLACK_RATIO = 0.25;
// The fixed part covers message latency on a loaded 2-core machine (seen: 967 ms before the
// first sentence with a 631 ms evaluation under way during a CI run).
const SLACK_MS = 1000;

interface SpeakTiming {
  firstAudioMs: number;
  totalMs: number;
  /** Clone evaluations that completed while Speak ran (the Clone panel stays mounted, hidden). */
  cloneEvaluations: number;
  /** Gaps in the take's playback (ms): sentences scheduled after the audio before them ran out (stream-player.ts). */
  underrunsMs: number[];
}

const UNDERRUN_MARK = 'timbre:playback-underrun';

/** The clone plot's points, read in the page (0 without a plot). */
function plotPointsNow(page: Page): Promise<number> {
  return page.evaluate(() =>
    Number(document.querySelector('[data-testid="clone-plot"]')?.getAttribute('data-points') ?? 0),
  );
}

/** Generate in the Speak tab; times measured in the page (click to first chunk, click to done). */
async function speakTimed(page: Page): Promise<SpeakTiming> {
  await page.getByTestId('text-input').fill(TAKE);
  const pointsBefore = await plotPointsNow(page);
  await page.evaluate((name) => performance.clearMarks(name), UNDERRUN_MARK);
  const clickedAt = await page.evaluate(() => performance.now());
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('synthesis-status')).toContainText('Done', { timeout: 240_000 });
  const pointsAfter = await plotPointsNow(page);
  const marks = await page.evaluate(() =>
    Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])),
  );
  const underrunsMs = await page.evaluate(
    (name) =>
      performance
        .getEntriesByName(name)
        .map((m) => ((m as PerformanceMark).detail as { gapMs: number }).gapMs),
    UNDERRUN_MARK,
  );
  const first = marks['timbre:chunk-0'];
  const done = marks['timbre:synthesis-done'];
  expect(first, 'a first chunk').toBeDefined();
  expect(done, 'the end of the synthesis').toBeDefined();
  return {
    firstAudioMs: first! - clickedAt,
    totalMs: done! - clickedAt,
    cloneEvaluations: pointsAfter - pointsBefore,
    underrunsMs,
  };
}

test('with a clone running, Speak is served before the clone: first audio and the whole take stay within one evaluation of an idle Speak', async ({
  page,
}, testInfo) => {
  test.setTimeout(testInfo.project.name === 'webgpu' ? 480_000 : 300_000);
  const clone = new CloneStudio(page);
  // 'auto' for both (on the webgpu project that is WASM: the adapter is software), so Speak and
  // the clone ask for the same Kokoro: one session.
  await clone.open(undefined, `&cloneBudget=${BUDGET}`);
  await clone.studio.openTab('Speak');
  await clone.studio.waitReady();
  // Twice idle: the first pays for compiling new shapes; the second is the reference.
  await speakTimed(page);
  const idle = await speakTimed(page);

  await clone.addReferenceClip(REFERENCE_WAV);
  await clone.setTranscript(readFileSync(REFERENCE_TXT, 'utf8').trim());
  await page.getByTestId('target-clone').click();
  await page.getByTestId('clone-budget-test').check();
  await expect(page.getByTestId('budget-estimate').first()).toHaveText(/~\d+ (s|min)|<1 s/, {
    timeout: 180_000,
  });
  await clone.startClone();
  await clone.waitJobState('running');
  // The search proper: one evaluation after another, each two renderings and two embeddings.
  const started = await clone.waitPlotAbove(1, 300_000);
  const startedAt = await page.evaluate(() => performance.now());
  await page.waitForTimeout(PACE_WINDOW_MS);
  const watched = await clone.plotPoints();
  const watchedAt = await page.evaluate(() => performance.now());
  expect(watched, 'the search runs').toBeGreaterThan(started);
  const msPerEvaluation = (watchedAt - startedAt) / (watched - started);

  await clone.studio.openTab('Speak');
  const busy = await speakTimed(page);
  const report = { idle, busy, msPerEvaluation: Math.round(msPerEvaluation) };
  console.log(`[${testInfo.project.name}] Speak while cloning: ${JSON.stringify(report)}`);
  testInfo.annotations.push({ type: 'timings', description: JSON.stringify(report) });
  // At most the clone run already under way (less than an evaluation) comes before Speak's
  // first sentence, and nothing of the clone's comes between its sentences.
  // (Renderings slipped in between the sentences, as a first-in-first-out queue or two
  // workers sharing the CPU would do, add about one clone rendering per sentence.)
  const bound = (idleMs: number) => idleMs * (1 + SLACK_RATIO) + msPerEvaluation + SLACK_MS;
  expect(busy.firstAudioMs).toBeLessThan(bound(idle.firstAudioMs));
  expect(busy.totalMs).toBeLessThan(bound(idle.totalMs));
  // The clone's progress during the take (busy.cloneEvaluations) is reported, not asserted: the
  // plot it is read from lives in the hidden Clone tab, whose count lags by several evaluations
  // on a loaded machine (3 and 4 seen with the priority queue, where at most the evaluation
  // under way can finish), so it cannot tell the queue's order apart reliably; the scheduler's
  // unit tests and the timings above do.
  // And the take plays without a gap while the clone runs: every sentence was scheduled before
  // the audio ahead of it ran out (the stream player marks each underrun).
  expect(busy.underrunsMs, 'gaps in playback while cloning (ms)').toEqual([]);

  // The clone was only held back: it goes on.
  await clone.openTab('Clone');
  await clone.waitJobState('running', 10_000);
  await clone.waitPlotAbove(await clone.plotPoints(), 60_000);
  await page.getByTestId('clone-cancel').click();
});
