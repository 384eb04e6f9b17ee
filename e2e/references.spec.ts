/**
 * Reference voices end to end, on the production build with fixture models: a recording
 * through Chromium's fake microphone (fed from a WAV by a launch flag) becomes a trimmed,
 * embedded clip; WAV, MP3 and OGG uploads of the same speech agree on duration; clips
 * survive a reload; bad input gets a clear message; the similarity matrix separates speakers;
 * a recording survives a trip to another tab; clean-up still trims when Silero cannot load.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test as base, type Page, type TestInfo } from '@playwright/test';
import { encodeWav } from '../src/engine/audio/wav';
import { espeakSpeech } from '../src/test-support/audio';
import { UNDO_WINDOW_MS } from '../src/ui/components/undo-window';
import { expectUndoWindowRunsOut, FIXTURE_ORIGIN, freezePageClock, matrixValue, Studio } from './studio';

const AUDIO_DIR = fileURLToPath(new URL('./fixtures-audio/', import.meta.url));
const MIC_WAV = `${AUDIO_DIR}mic-speech.wav`;
const UPLOADS = ['speech.wav', 'speech.mp3', 'speech.ogg'] as const;
const SCREENSHOT_DIR = '/tmp';

function screenshotPath(name: string, testInfo: TestInfo): string {
  return `${SCREENSHOT_DIR}/references-${name}-${testInfo.project.name}.png`;
}

/** Auto-accepts the microphone prompt; without it Playwright's default (deny) applies. */
const FAKE_UI_FLAG = '--use-fake-ui-for-media-stream';

/** The project's own launch options (executable, args, WebGPU flag) plus the fake-microphone file. */
const test = base.extend<object, object>({
  launchOptions: [
    async ({ launchOptions }, use) => {
      await use({
        ...launchOptions,
        args: [...(launchOptions.args ?? []), `--use-file-for-fake-audio-capture=${MIC_WAV}`],
      });
    },
    { scope: 'worker' },
  ],
});

class References {
  readonly studio: Studio;
  constructor(readonly page: Page) {
    this.studio = new Studio(page);
  }

  async open(modelBase?: string): Promise<void> {
    await this.studio.open(modelBase);
    await this.page.getByRole('tab', { name: 'References' }).click();
  }

  async waitEncoder(): Promise<void> {
    await expect(this.page.getByTestId('encoder-status')).toHaveAttribute('data-phase', 'ready', {
      timeout: 60_000,
    });
  }

  async upload(name: string, buffer?: Buffer): Promise<void> {
    const input = this.page.getByTestId('upload-input');
    if (buffer) await input.setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
    else await input.setInputFiles(`${AUDIO_DIR}${name}`);
  }

  async waitCleaned(): Promise<{ sourceS: number; keptS: number; speechS: number }> {
    const result = this.page.getByTestId('draft-result');
    await expect(result).toBeVisible({ timeout: 60_000 });
    const sourceS = Number(await this.page.getByTestId('draft-source-duration').getAttribute('data-seconds'));
    return {
      sourceS,
      keptS: Number(await result.getAttribute('data-duration')),
      speechS: Number(await result.getAttribute('data-speech')),
    };
  }

  async save(): Promise<void> {
    const before = await this.page.getByTestId('clip-row').count();
    await this.page.getByTestId('save-clip').click();
    await expect(this.page.getByTestId('clip-row')).toHaveCount(before + 1);
    await expect(this.page.getByTestId('draft')).toHaveCount(0);
  }

  async waitAllEmbedded(): Promise<void> {
    const rows = this.page.getByTestId('clip-status');
    const n = await rows.count();
    for (let i = 0; i < n; i++)
      await expect(rows.nth(i)).toHaveAttribute('data-state', 'embedded', { timeout: 60_000 });
  }
}

const lowVoice = (text: string) =>
  wavBuffer(espeakSpeech(text, 24000, { voice: 'en-us+m3', pitch: 35 }).pcm, 24000);
const highVoice = (text: string) =>
  wavBuffer(espeakSpeech(text, 24000, { voice: 'en-us+f3', pitch: 70 }).pcm, 24000);

function wavBuffer(pcm: Float32Array, rate: number): Buffer {
  return Buffer.from(encodeWav(pcm, rate));
}

/** Width in pixels of the canvases wavesurfer drew inside `testId` (it renders in a shadow root). */
function waveformWidth(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((el) => {
    let width = 0;
    for (const host of Array.from(el.querySelectorAll('*'))) {
      const canvases = host.shadowRoot ? Array.from(host.shadowRoot.querySelectorAll('canvas')) : [];
      for (const canvas of canvases) width += canvas.clientWidth;
    }
    return width;
  });
}

/** Silences (seconds) and espeak-ng sentences in a row, as a 16 kHz WAV. */
function speechWithSilences(layout: readonly (number | string)[]): { wav: Buffer; silenceS: number } {
  const rate = 16000;
  const parts = layout.map((p) =>
    typeof p === 'number' ? new Float32Array(p * rate) : espeakSpeech(p, rate).pcm,
  );
  const pcm = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    pcm.set(part, offset);
    offset += part.length;
  }
  const silenceS = layout.reduce<number>((n, p) => n + (typeof p === 'number' ? p : 0), 0);
  return { wav: wavBuffer(pcm, rate), silenceS };
}

test.describe('reference voices', () => {
  test('a recording through the fake microphone becomes a trimmed, embedded clip', async ({
    page,
  }, testInfo) => {
    const refs = new References(page);
    await refs.open();
    await refs.waitEncoder();
    await page.getByTestId('record-start').click();
    await expect(page.getByTestId('record-stop')).toBeVisible();
    // The fake microphone loops 1.5 s silence, a 4 s sentence, 2 s silence.
    // At least 5 s (a loaded machine may skip timer updates, so no exact value).
    await expect(page.getByTestId('record-timer')).toHaveText(/^0:(0[5-9]|[1-5]\d) /, { timeout: 30_000 });
    await expect(page.getByTestId('level-meter')).not.toHaveAttribute('aria-valuenow', '-60');
    await page.screenshot({ path: screenshotPath('recording', testInfo), fullPage: true });
    await page.getByTestId('record-stop').click();

    const cleaned = await refs.waitCleaned();
    expect(cleaned.sourceS).toBeGreaterThan(4.5);
    expect(cleaned.speechS).toBeGreaterThan(2.5);
    // At least the leading silence went; the speech stayed.
    expect(cleaned.keptS).toBeLessThan(cleaned.sourceS - 1.2);
    expect(cleaned.keptS).toBeGreaterThan(cleaned.speechS);
    // Noise suppression (RNNoise, WASM in the clean-up worker) keeps the speech.
    await page.getByTestId('option-denoise').check();
    const denoised = page.locator('[data-testid=draft-result][data-denoised=true]');
    await expect(denoised).toBeVisible({ timeout: 60_000 });
    expect(Number(await denoised.getAttribute('data-speech'))).toBeGreaterThan(2.5);
    const keptS = Number(await denoised.getAttribute('data-duration'));
    await expect(page.getByTestId('play-after')).toBeEnabled();
    await refs.save();
    await expect(page.getByTestId('clip-name')).toHaveValue('Recording 1');
    await refs.waitAllEmbedded();
    const duration = Number(await page.getByTestId('clip-duration').getAttribute('data-seconds'));
    expect(Math.abs(duration - keptS)).toBeLessThan(0.01);
  });

  test('WAV, MP3 and OGG uploads of the same speech have the same duration; clips survive a reload', async ({
    page,
  }, testInfo) => {
    // The page's clock is frozen for the Undo below, so the window cannot race the test.
    await page.clock.install();
    const refs = new References(page);
    await refs.open();
    const durations: number[] = [];
    const kept: number[] = [];
    const speech: number[] = [];
    for (const name of UPLOADS) {
      await refs.upload(name);
      await expect(page.getByTestId('draft-source-duration')).toBeVisible();
      const cleaned = await refs.waitCleaned();
      if (name === 'speech.wav') {
        await page.getByTestId('draft').scrollIntoViewIfNeeded();
        await page.screenshot({ path: screenshotPath('draft', testInfo), fullPage: true });
      }
      durations.push(cleaned.sourceS);
      kept.push(cleaned.keptS);
      speech.push(cleaned.speechS);
      await refs.save();
    }
    expect(Math.max(...durations) - Math.min(...durations)).toBeLessThan(0.05);
    expect(Math.max(...kept) - Math.min(...kept)).toBeLessThan(0.05);
    await refs.waitAllEmbedded();
    const names = await page
      .getByTestId('clip-name')
      .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(names).toEqual(['speech', 'speech', 'speech']);

    await page.getByTestId('clip-name').first().fill('First take');
    await page.getByTestId('clip-name').first().press('Enter');
    await page
      .getByTestId('target-transcript')
      .fill('Please call Stella and ask her to bring these things with her.');
    await page.getByTestId('target-transcript').blur();
    // Written on blur (and after a pause in typing); the status says when it is stored.
    await expect(page.getByTestId('transcript-status')).toHaveText('Transcript saved');
    await page.reload();
    await page.getByRole('tab', { name: 'References' }).click();
    await expect(page.getByTestId('clip-row')).toHaveCount(3);
    await expect(page.getByTestId('clip-name').first()).toHaveValue('First take');
    await expect(page.getByTestId('target-transcript')).toHaveValue(/Stella/);
    await refs.waitAllEmbedded(); // from the IndexedDB cache
    // A pause in typing saves too (a tab closed without leaving the field keeps the words).
    await page.getByTestId('target-transcript').pressSequentially(' Thanks.');
    await expect(page.getByTestId('transcript-status')).toHaveText('Transcript saved');
    await expect(page.getByTestId('target-transcript')).toBeFocused();
    // The transcript is checked against the clips' speech: three takes of ~7 s (20-21 s of speech,
    // as the VAD found it on this machine) and one take's 13 words is flagged beside the field
    // (and read with it), as is a far too long one; a plausible length is not.
    const speechS = speech.reduce((a, b) => a + b, 0);
    expect(speechS).toBeGreaterThan(18);
    expect(speechS).toBeLessThan(23);
    const warning = page.getByTestId('target-transcript-warning');
    await expect(warning).toContainText(`13 words for ${Math.round(speechS)} s of speech`);
    await expect(warning).toContainText('much shorter than the speech in the clips');
    await expect(page.getByTestId('target-transcript')).toHaveAttribute(
      'aria-describedby',
      (await warning.getAttribute('id'))!,
    );
    const spoken = 'Please call Stella and ask her to bring these things with her. Thanks.';
    await page.getByTestId('target-transcript').fill(`${spoken} ${spoken} ${spoken}`);
    await expect(warning).toHaveCount(0);
    await page.getByTestId('target-transcript').fill(`${spoken} ${'And then some more words. '.repeat(40)}`);
    await expect(warning).toContainText('much longer than the speech in the clips');
    await page.getByTestId('target-transcript').fill(spoken);
    await page.getByTestId('target-transcript').blur();
    await expect(page.getByTestId('transcript-status')).toHaveText('Transcript saved');

    // Delete with Undo, on a frozen page clock: a renderer busy compiling the models' WebAssembly
    // can delay frames (and so the click) by many seconds; on-screen time is what the window counts.
    await freezePageClock(page);
    await page.getByTestId('clip-delete').first().click();
    await expect(page.getByTestId('clip-row')).toHaveCount(2);
    await page.getByTestId('undo-delete').click();
    await expect(page.getByTestId('clip-row')).toHaveCount(3);
    await expect(page.getByTestId('clip-name').first()).toHaveValue('First take');
    // Without Undo the window runs out after UNDO_WINDOW_MS of page time and the clip stays deleted.
    await page.getByTestId('clip-delete').last().click();
    await expect(page.getByTestId('clip-row')).toHaveCount(2);
    await expectUndoWindowRunsOut(page, 'references-toast', UNDO_WINDOW_MS);
    await page.clock.resume();
    await page.reload();
    await page.getByRole('tab', { name: 'References' }).click();
    await expect(page.getByTestId('clip-row')).toHaveCount(2);
  });

  test('hostile audio: NaN samples and an over-long compressed file are refused by name, nothing changes', async ({
    page,
  }) => {
    const refs = new References(page);
    await refs.open();
    await refs.upload('speech.wav');
    const before = await refs.waitCleaned();
    const error = page.getByTestId('upload-error');

    // A float WAV with a NaN and an infinity among its samples.
    const frames = 8000;
    const data = Buffer.alloc(frames * 4);
    for (let i = 0; i < frames; i++) data.writeFloatLE(0.2 * Math.sin(i / 10), i * 4);
    data.writeFloatLE(Number.NaN, 400);
    data.writeFloatLE(Number.POSITIVE_INFINITY, 800);
    const header = Buffer.alloc(44);
    header.write('RIFF', 0);
    header.writeUInt32LE(36 + data.length, 4);
    header.write('WAVEfmt ', 8);
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(3, 20); // IEEE float
    header.writeUInt16LE(1, 22);
    header.writeUInt32LE(8000, 24);
    header.writeUInt32LE(32000, 28);
    header.writeUInt16LE(4, 32);
    header.writeUInt16LE(32, 34);
    header.write('data', 36);
    header.writeUInt32LE(data.length, 40);
    await refs.upload('nan-samples.wav', Buffer.concat([header, data]));
    await expect(error).toContainText('“nan-samples.wav” holds samples that are not numbers');
    expect((await refs.waitCleaned()).keptS).toBe(before.keptS);

    // 16 minutes of MP3 (about 1 MB at 8 kbit/s): refused from its header, before decoding.
    const dir = mkdtempSync(join(tmpdir(), 'timbre-long-'));
    const mp3 = join(dir, 'sixteen-minutes.mp3');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'anullsrc=r=8000:cl=mono',
      '-t',
      '960',
      '-b:a',
      '8k',
      mp3,
    ]);
    await refs.upload('sixteen-minutes.mp3', readFileSync(mp3));
    await expect(error).toContainText('“sixteen-minutes.mp3” is 16:00 long');
    await expect(error).toContainText('up to 15 minutes');
    expect((await refs.waitCleaned()).keptS).toBe(before.keptS);
  });

  test('bad and weak input: corrupt file, no speech, short speech, clipping, over 5 minutes', async ({
    page,
  }, testInfo) => {
    const refs = new References(page);
    await refs.open();

    // A corrupt file: a clear message, and the draft already open stays as it was.
    await refs.upload('speech.wav');
    const before = await refs.waitCleaned();
    await refs.upload('broken.mp3', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    await expect(page.getByTestId('upload-error')).toContainText('could not be read as audio');
    await expect(page.getByTestId('upload-error')).toContainText(
      'WAV, MP3, OGG/Opus, FLAC, M4A/AAC and WebM',
    );
    expect((await refs.waitCleaned()).keptS).toBe(before.keptS);
    await refs.upload('broken.wav', Buffer.from('RIFF\u0010\u0000\u0000\u0000WAVEfmt garbage'));
    await expect(page.getByTestId('upload-error')).toContainText('broken.wav');
    await refs.save();

    // Silence only: no speech, nothing to save.
    await refs.upload('silence.wav', wavBuffer(new Float32Array(3 * 16000), 16000));
    await expect(page.getByTestId('draft-warnings')).toContainText('No speech was found');
    await expect(page.getByTestId('save-clip')).toBeDisabled();

    // Short speech: a warning, still savable.
    const short = espeakSpeech('Hello there.', 24000).pcm;
    await refs.upload('short.wav', wavBuffer(short, 24000));
    await expect(page.getByTestId('draft-warnings')).toContainText('clone from less than 3 s will be weak');
    await refs.save();

    // Clipping: speech driven far past full scale.
    const loud = espeakSpeech('This sentence was recorded much too loud for its own good.', 24000).pcm.map(
      (x) => Math.max(-1, Math.min(1, x * 12)),
    );
    await refs.upload('too-loud.wav', wavBuffer(loud, 24000));
    await expect(page.getByTestId('draft-warnings')).toContainText('The audio clips');
    await refs.save();

    // Over five minutes: the first five are kept, with a notice.
    const rate = 8000;
    const long = new Float32Array(310 * rate);
    long.set(espeakSpeech('Only the beginning of this long file is kept by the studio.', rate).pcm, rate);
    await refs.upload('long.wav', wavBuffer(long, rate));
    await expect(page.getByTestId('draft-warnings')).toContainText(
      '5:10 long: only the first 5 minutes are kept',
      { timeout: 90_000 },
    );
    const truncated = await refs.waitCleaned();
    expect(truncated.sourceS).toBeCloseTo(310, 1);
    await refs.save();

    await expect(page.getByTestId('clip-warnings')).toHaveCount(3);
    await page.getByRole('heading', { name: /^Clips/ }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('clip-warnings', testInfo), fullPage: true });
  });

  test('the similarity matrix: clips of one speaker stand out against another speaker and library voices', async ({
    page,
  }, testInfo) => {
    const refs = new References(page);
    await refs.open();
    await refs.waitEncoder();
    await expect(page.getByTestId('backend-badge')).toBeVisible({ timeout: 60_000 }); // Kokoro renders the library voices

    await page.getByTestId('target-new').click();
    await page.getByTestId('target-name').fill('Low voice');
    await page.getByTestId('target-name').press('Enter');
    for (const [name, audio] of [
      ['low-1.wav', lowVoice('The quick brown fox jumps over the lazy dog while the farmer watches.')],
      ['low-2.wav', lowVoice('A rainbow is a division of white light into many beautiful colours.')],
    ] as const) {
      await refs.upload(name, audio);
      await refs.waitCleaned();
      await refs.save();
    }
    await page.getByTestId('target-new').click();
    await page.getByTestId('target-name').fill('High voice');
    await page.getByTestId('target-name').press('Enter');
    for (const [name, audio] of [
      [
        'high-1.wav',
        highVoice('Please call Stella and ask her to bring these things with her from the store.'),
      ],
      ['high-2.wav', highVoice('When the sunlight strikes raindrops in the air, they act as a prism.')],
    ] as const) {
      await refs.upload(name, audio);
      await refs.waitCleaned();
      await refs.save();
    }
    await refs.waitAllEmbedded();

    // One library voice keeps the run short (Kokoro renders it; slow on SwiftShader WebGPU).
    await page.getByText(/Library voices to include/).click();
    await page.getByLabel('am_michael').uncheck();
    await page.getByTestId('compare-run').click();
    const matrix = page.getByTestId('similarity-matrix');
    await expect(matrix).toBeVisible({ timeout: 240_000 });
    await expect(matrix).toHaveAttribute('data-measure', 'encoder');
    // 4 clips + 2 averaged voices + 1 library voice.
    await expect(matrix.locator('tbody tr')).toHaveCount(7);
    await expect(matrix.locator('tbody th').filter({ hasText: 'af_heart' })).toHaveCount(1);
    await expect(page.getByTestId('verification-summary')).toContainText('Same-speaker pairs stand out');
    await expect(page.getByTestId('verification-summary')).toContainText(
      '4 of 4 clips match their own speaker best',
    );
    expect(await matrixValue(page, 'low-1', 'low-2')).toBeGreaterThan(
      await matrixValue(page, 'low-1', 'high-1'),
    );
    expect(await matrixValue(page, 'high-1', 'high-2')).toBeGreaterThan(
      await matrixValue(page, 'high-1', 'low-2'),
    );
    await matrix.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('matrix', testInfo), fullPage: true });

    // The model-free measure, labelled as such.
    await page.getByLabel('Voice features (no model)').check();
    await page.getByTestId('compare-run').click();
    await expect(matrix).toHaveAttribute('data-measure', 'features', { timeout: 60_000 });
    await expect(matrix.locator('caption')).toContainText('no model');
  });
});

test.describe('tabs keep their work', () => {
  test('a recording keeps going on another tab, and is there to stop and save on return', async ({
    page,
  }, testInfo) => {
    const refs = new References(page);
    await refs.open();
    await page.getByTestId('record-start').click();
    await expect(page.getByTestId('record-stop')).toBeVisible();
    await expect(page.getByTestId('record-timer')).toHaveText(/^0:0[1-9] /, { timeout: 15_000 });

    await refs.studio.openTab('Speak');
    await expect(page.getByTestId('text-input')).toBeVisible();
    await expect(page.getByTestId('record-stop')).toBeHidden();
    await expect(page.getByTestId('tab-badge-references')).toHaveText('● Recording');
    await expect(page.getByRole('tab', { name: 'References Recording' })).toBeVisible();
    // Still recording out of sight: the (hidden) timer runs on. The fake microphone loops
    // 1.5 s silence, a 4 s sentence, 2 s silence, so 6 s hold a whole sentence.
    await expect(page.getByTestId('record-timer')).toHaveText(/^0:(0[6-9]|[1-5]\d) /, { timeout: 30_000 });
    await page.screenshot({ path: screenshotPath('recording-elsewhere', testInfo) });

    await refs.studio.openTab('References');
    await expect(page.getByTestId('tab-badge-references')).toHaveCount(0);
    await expect(page.getByTestId('record-waveform')).toBeVisible();
    await expect.poll(() => waveformWidth(page, 'record-waveform')).toBeGreaterThan(100); // redrawn
    await page.getByTestId('record-stop').click();
    const cleaned = await refs.waitCleaned();
    expect(cleaned.sourceS).toBeGreaterThan(5.5);
    expect(cleaned.speechS).toBeGreaterThan(2.5);

    // The draft survives a trip away too (its player stops when out of sight), and its
    // waveform is drawn again on return.
    await page.getByTestId('play-before').click();
    await expect(page.getByTestId('play-before')).toHaveAttribute('aria-pressed', 'true');
    await refs.studio.openTab('Voices');
    await expect(page.getByTestId('play-before')).toHaveAttribute('aria-pressed', 'false');
    await expect(page.getByTestId('draft')).toBeHidden();
    await refs.studio.openTab('References');
    await expect(page.getByTestId('draft-result')).toBeVisible();
    await expect.poll(() => waveformWidth(page, 'draft-waveform')).toBeGreaterThan(100);
    await page.getByTestId('draft').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('draft-after-tabs', testInfo) });
    await refs.save();
    await expect(page.getByTestId('clip-name')).toHaveValue('Recording 1');

    // Tab semantics: one panel per tab, only the selected one shown; arrow keys still move.
    const tabs = page.getByRole('tab');
    const count = await tabs.count();
    await expect(page.locator('[role=tabpanel]')).toHaveCount(count);
    await expect(page.locator('[role=tabpanel]:not([hidden])')).toHaveCount(1);
    for (let i = 0; i < count; i++) {
      const panelId = await tabs.nth(i).getAttribute('aria-controls');
      await expect(page.locator(`#${panelId}`)).toHaveAttribute(
        'aria-labelledby',
        (await tabs.nth(i).getAttribute('id'))!,
      );
    }
    await page.getByRole('tab', { name: 'References' }).focus();
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByRole('tab', { name: 'Voices' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tab', { name: 'Voices' })).toBeFocused();
    await expect(page.locator('#panel-voices')).toBeVisible();
    await expect(page.locator('#panel-references')).toBeHidden();
    await page.keyboard.press('Home');
    await expect(page.getByRole('tab', { name: 'Speak' })).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowLeft'); // wraps to the last tab
    await expect(tabs.nth(count - 1)).toHaveAttribute('aria-selected', 'true');
  });
});

test.describe('without Silero VAD', () => {
  test('clean-up finds speech by loudness, says so, and the clip can be saved', async ({
    page,
  }, testInfo) => {
    // The VAD model ships with the app as a hashed asset: make every request for it fail.
    let refused = 0;
    await page.context().route(/silero_vad_v5[^/]*\.onnx$/, (route) => {
      refused++;
      return route.fulfill({ status: 404, body: 'Not found' });
    });
    const refs = new References(page);
    await refs.open();
    const { wav, silenceS } = speechWithSilences([
      1.5,
      'The quick brown fox jumps over the lazy dog while the farmer watches.',
      2,
      'Please call Stella and ask her to bring these things with her.',
      1.5,
    ]);
    await refs.upload('gaps.wav', wav);
    const cleaned = await refs.waitCleaned();
    expect(refused).toBeGreaterThan(0);
    await expect(page.getByTestId('vad-fallback-note')).toHaveText(
      'Silero VAD could not load (HTTP 404); speech was found by loudness instead.',
    );
    await expect(page.getByTestId('draft-error')).toHaveCount(0);
    // Most of the inserted silence went (pauses keep 0.3 s, segments 0.1 s of padding); the speech stayed.
    expect(cleaned.sourceS - cleaned.keptS).toBeGreaterThan(silenceS - 1.5);
    expect(cleaned.speechS).toBeGreaterThan(5);
    expect(cleaned.keptS).toBeGreaterThan(cleaned.speechS);
    await page.getByTestId('draft').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('vad-fallback', testInfo), fullPage: true });
    await refs.save();
    await expect(page.getByTestId('clip-warnings')).toContainText('speech was found by loudness');
  });
});

test.describe('without the speaker encoder', () => {
  test('clips get model-free voice features and the matrix says so', async ({ page }) => {
    const refs = new References(page);
    await refs.open(`${FIXTURE_ORIGIN}/missing/`); // a model source without the encoder
    await expect(page.getByTestId('encoder-error')).toContainText('voice features (no model)');
    const uploads = [
      ['low-1.wav', lowVoice('The quick brown fox jumps over the lazy dog while the farmer watches.')],
      ['low-2.wav', lowVoice('A rainbow is a division of white light into many beautiful colours.')],
      [
        'high-1.wav',
        highVoice('Please call Stella and ask her to bring these things with her from the store.'),
      ],
    ] as const;
    for (const [name, audio] of uploads) {
      await refs.upload(name, audio);
      await refs.waitCleaned();
      await refs.save();
    }
    const states = page.getByTestId('clip-status');
    for (let i = 0; i < uploads.length; i++)
      await expect(states.nth(i)).toHaveAttribute('data-state', 'features');
    await page.getByTestId('compare-run').click();
    const matrix = page.getByTestId('similarity-matrix');
    await expect(matrix).toHaveAttribute('data-measure', 'features');
    await expect(matrix.locator('caption')).toContainText('no model');
    await expect(page.getByTestId('compare-fallback')).toContainText(
      'the speaker encoder could not be loaded',
    );
    await expect(page.getByTestId('compare-status')).toContainText('Kokoro is not loaded');
    // Even without a model, two clips of one voice resemble each other more than another voice.
    expect(await matrixValue(page, 'low-1', 'low-2')).toBeGreaterThan(
      await matrixValue(page, 'low-1', 'high-1'),
    );
  });
});

test.describe('microphone denied', () => {
  test('shows what went wrong and how to allow the microphone', async ({
    playwright,
    launchOptions,
    baseURL,
  }, testInfo) => {
    // A browser of its own, launched without the flag that accepts the permission prompt.
    const browser = await playwright.chromium.launch({
      ...launchOptions,
      args: (launchOptions.args ?? []).filter((a) => a !== FAKE_UI_FLAG),
    });
    const context = await browser.newContext({
      ...(baseURL ? { baseURL } : {}),
      viewport: { width: 1280, height: 720 },
    });
    const page = await context.newPage();
    const refs = new References(page);
    await refs.open();
    await page.getByTestId('record-start').click();
    const error = page.getByTestId('mic-error');
    await expect(error).toContainText('Microphone access was denied');
    await expect(error).toContainText('set Microphone to Allow');
    await expect(error).toContainText('upload a recording instead');
    await expect(page.getByTestId('record-start')).toBeEnabled();
    await page.screenshot({ path: screenshotPath('mic-denied', testInfo), fullPage: true });
    await browser.close();
  });
});
