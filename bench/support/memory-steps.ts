/**
 * The studio steps of bench/memory.ts, driven as the e2e specs drive them (the page objects of
 * e2e/studio.ts where they fit; their clicks replicated where a page object needs the test
 * runner, as `Studio.open` does for the project name).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { DEFAULT_FIXTURES_DIR } from '../../scripts/make-fixtures';
import { SHARED_DIR } from '../../src/test-support/shared';
import { CloneStudio, Studio } from '../../e2e/studio';

/** How long each wait may take: the real models on two busy cores are much slower than the fixtures. */
export interface StepLimits {
  readyMs: number;
  speakMs: number;
  previewMs: number;
  analyseMs: number;
  cloneEngineMs: number;
  cloneMs: number;
  abMs: number;
  /** At most this long for the baseline's memory to settle after loading. */
  settleMs: number;
}

export const FIXTURE_LIMITS: StepLimits = {
  readyMs: 180_000,
  speakMs: 240_000,
  previewMs: 120_000,
  analyseMs: 120_000,
  cloneEngineMs: 240_000,
  cloneMs: 900_000,
  abMs: 120_000,
  settleMs: 120_000,
};

export const REAL_LIMITS: StepLimits = {
  readyMs: 600_000,
  speakMs: 900_000,
  previewMs: 300_000,
  analyseMs: 300_000,
  cloneEngineMs: 900_000,
  cloneMs: 7_200_000,
  abMs: 300_000,
  settleMs: 240_000,
};

/** Four Harvard sentences (about 12 s of speech). */
export const PARAGRAPH =
  'The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background. It is easy to tell the depth of a well. These days a chicken leg is a rare dish.';
export const SHORT_SENTENCE = 'The birch canoe slid on the smooth planks.';
export const PREVIEW_SENTENCE = 'Hello there, this is the blend.';
export const BLEND = 'af_bella + am_adam';

/** The reference clip: the fixture clone reference (with its transcript), or a LibriSpeech clip as the real e2e uses. */
export interface ReferenceClip {
  path: string;
  transcript: string | undefined;
}

export function referenceClip(real: boolean): ReferenceClip {
  if (real) {
    const path = join(SHARED_DIR, 'speech/librispeech-test-other/2609/2609-156975-0001.flac');
    if (!existsSync(path)) throw new Error(`Missing ${path}: is ../shared beside the checkout?`);
    return { path, transcript: undefined }; // no transcript: the clone renders the studio's probe sentences
  }
  const path = join(DEFAULT_FIXTURES_DIR, 'audio/clone-reference.wav');
  if (!existsSync(path)) throw new Error(`Missing ${path}: run npm run fixtures`);
  return { path, transcript: readFileSync(path.replace(/\.wav$/, '.txt'), 'utf8').trim() };
}

export class MemoryStudio {
  readonly studio: Studio;
  readonly clone: CloneStudio;
  constructor(
    readonly page: Page,
    readonly real: boolean,
    readonly limits: StepLimits,
  ) {
    this.studio = new Studio(page);
    this.clone = new CloneStudio(page);
  }

  /** Opens the studio (WASM, the given query) and waits for Kokoro in the TTS worker. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.page.getByTestId('backend-badge')).toBeVisible({ timeout: this.limits.readyMs });
    await expect(this.page.getByTestId('backend-badge')).toContainText('WASM');
    await expect(this.page.getByTestId('generate')).toBeEnabled({ timeout: 30_000 });
  }

  async speak(text: string): Promise<void> {
    await this.studio.openTab('Speak');
    await this.studio.setText(text);
    await this.page.getByTestId('generate').click();
    await expect(this.page.getByTestId('synthesis-status')).toContainText('Done', {
      timeout: this.limits.speakMs,
    });
  }

  /** A blend in the Voices tab: waits for its preview to render, then for it to play. */
  async playBlend(): Promise<void> {
    await this.clone.openTab('Voices');
    await expect(this.page.getByTestId('voices-panel')).toBeVisible();
    await this.page.getByTestId('preview-text').fill(PREVIEW_SENTENCE);
    await this.page.getByTestId('blend-expression').fill(BLEND);
    const status = this.page.getByTestId('preview-status');
    await expect
      .poll(async () => Number(await status.getAttribute('data-renders')), { timeout: this.limits.previewMs })
      .toBeGreaterThan(0);
    await expect(status).toHaveAttribute('data-phase', 'ready', { timeout: this.limits.previewMs });
    // The preview plays by itself once rendered; a short sentence may already have ended.
    const play = this.page.getByTestId('preview-play');
    if ((await play.textContent()) !== 'Stop') await play.click();
    await expect(play).toHaveText('Stop', { timeout: 10_000 });
  }

  /**
   * Uploads the clip in References (clean-up worker), saves it (a new target) and waits until
   * the speaker worker's encoder has embedded it. The real models self-host GE2E only (WeSpeaker
   * is on the model hub), so `--real` picks GE2E first.
   */
  async analyse(clip: ReferenceClip): Promise<void> {
    await this.clone.openTab('References');
    const encoder = this.page.getByTestId('encoder-status');
    if (this.real) await this.page.getByTestId('encoder-variant').selectOption('ge2e');
    await expect(encoder).toHaveAttribute('data-phase', 'ready', { timeout: this.limits.analyseMs });
    const input = this.page.getByTestId('upload-input');
    await input.setInputFiles(clip.path);
    await expect(this.page.getByTestId('draft-result')).toBeVisible({ timeout: this.limits.analyseMs });
    const before = await this.page.getByTestId('clip-row').count();
    await this.page.getByTestId('save-clip').click();
    await expect(this.page.getByTestId('clip-row')).toHaveCount(before + 1, { timeout: 30_000 });
    if (clip.transcript) await this.clone.setTranscript(clip.transcript);
    const statuses = this.page.getByTestId('clip-status');
    await expect(statuses.last()).toHaveAttribute('data-state', 'embedded', {
      timeout: this.limits.analyseMs,
    });
  }

  /** From the References target to the Clone tab; waits for the clone worker's engine (its own Kokoro and encoder). */
  async openClone(): Promise<void> {
    await this.page.getByTestId('target-clone').click();
    await expect(this.page.getByRole('tab', { name: 'Clone', exact: true })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    if (this.real) await this.page.getByTestId('clone-encoder').selectOption('ge2e');
    await this.page.getByTestId('clone-budget-test').check();
    await expect(this.page.getByTestId('clone-engine')).toHaveAttribute('data-phase', 'ready', {
      timeout: this.limits.cloneEngineMs,
    });
  }

  async startClone(): Promise<void> {
    const consent = this.page.getByTestId('clone-consent');
    await expect(consent.or(this.page.getByTestId('clone-consent-given'))).toBeVisible({ timeout: 30_000 });
    if (await consent.isVisible()) await consent.check();
    await this.page.getByTestId('clone-start').click();
    // A job starts once the device's speed is measured (six renderings, in the background
    // queue behind anything interactive): with the real Kokoro on a loaded 2-core machine
    // that took over a minute.
    await expect(this.page.getByTestId('clone-job')).toHaveAttribute('data-state', /running|done/, {
      timeout: this.limits.cloneEngineMs,
    });
  }

  /** The job's state, all its evaluations (ranking and instant map included) and the search's plot points. */
  async job(): Promise<{ state: string; evaluations: number; points: number }> {
    const job = this.page.getByTestId('clone-job');
    const plot = this.page.getByTestId('clone-plot');
    return {
      state: (await job.getAttribute('data-state')) ?? '',
      evaluations: Number(await job.getAttribute('data-evaluations')),
      points: (await plot.count()) > 0 ? Number(await plot.getAttribute('data-points')) : 0,
    };
  }

  /**
   * Plays one A/B row while the search runs: the searched clone when there is one, else the
   * nearest stock voice (both rendered by the TTS worker's Kokoro), else the reference.
   * Returns the row once it plays (■).
   */
  async playAbRow(): Promise<string> {
    for (const row of ['best', 'nearest', 'reference'] as const) {
      const play = this.page.getByTestId(`clone-ab-play-${row}`);
      if ((await play.count()) === 0 || !(await play.isEnabled())) continue;
      await play.click();
      await expect(play).toHaveText('■', { timeout: this.limits.abMs });
      return row;
    }
    throw new Error('no A/B row could be played');
  }

  async cancelClone(): Promise<void> {
    await this.page.getByTestId('clone-cancel').click();
    await expect(this.page.getByTestId('clone-job')).toHaveAttribute('data-state', 'cancelled', {
      timeout: 120_000,
    });
  }
}
