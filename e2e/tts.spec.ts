/**
 * The foundation end to end, through the UI of the production build, on the fixture
 * models served from another origin (the same loader, progress and cache code as for the
 * real models). Runs in both projects: `webgpu` (SwiftShader adapter) and `wasm`.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { decodeWav } from '../src/engine/audio/wav';
import {
  FIXTURE_MODELS,
  FIXTURE_ORIGIN,
  Studio,
  fixtureLog,
  progressSeen,
  recordModelProgress,
  resetFixtureLog,
} from './studio';

const THREE_SENTENCES =
  'The quick brown fox jumps over the lazy dog. A second sentence follows the first one closely. Finally, the third sentence ends it.';

test.describe('text to speech', () => {
  test('a model source from a link is for this visit only, under a banner, until kept', async ({ page }) => {
    const studio = new Studio(page);
    await studio.open(); // ?models=<fixture server>
    const banner = page.getByTestId('link-source-banner');
    await expect(banner).toContainText(FIXTURE_ORIGIN);
    await expect(banner.getByRole('button', { name: 'Back to the default' })).toBeVisible();
    const stored = () =>
      page.evaluate(
        () =>
          (JSON.parse(localStorage.getItem('timbre-studio') ?? '{}') as { state?: { modelBase?: string } })
            .state?.modelBase,
      );
    // Used now, not stored: a plain visit later would not come back to it.
    await studio.waitReady();
    expect(await stored()).toBeUndefined();
    await page.getByRole('button', { name: 'Models & settings' }).click();
    await expect(page.getByTestId('model-source-now')).toContainText('for this visit only');
    await page.keyboard.press('Escape');
    // Kept on purpose: stored, and the banner goes.
    await banner.getByRole('button', { name: 'Keep using it' }).click();
    await expect(banner).toHaveCount(0);
    expect(await stored()).toContain(FIXTURE_ORIGIN);
  });

  test('Models & settings links the licence and the third-party notices made from the bundle', async ({
    page,
  }) => {
    const studio = new Studio(page);
    await studio.open();
    await page.getByRole('button', { name: 'Models & settings' }).click();
    const link = page.getByTestId('notices-link');
    await expect(link).toHaveText('Licences and third-party notices');
    const response = await page.request.get(new URL((await link.getAttribute('href'))!, page.url()).href);
    expect(response.ok()).toBe(true);
    const notices = await response.text();
    expect(notices).toContain('GNU General Public License, version 3 or later');
    // Packages from the main bundle and from the workers', and the models loaded at run time.
    for (const name of [
      'react@',
      'zustand@',
      'onnxruntime-web@',
      'phonemizer@',
      'compromise@',
      '@echogarden/fvad-wasm@',
    ])
      expect(notices).toContain(name);
    for (const model of ['Kokoro-82M', 'WeSpeaker', 'Resemblyzer', 'eSpeak NG', 'misaki'])
      expect(notices).toContain(model);
  });

  test('models load with visible progress, on the expected backend', async ({ page }, testInfo) => {
    await recordModelProgress(page);
    const studio = new Studio(page);
    await studio.open();
    await studio.waitReady();
    const seen = await progressSeen(page);
    expect(seen.some((s) => s.includes('Downloading') || s.includes('browser cache'))).toBe(true);
    expect(seen.some((s) => s.includes('kokoro/onnx/'))).toBe(true);
    const badge = page.getByTestId('backend-badge');
    if (testInfo.project.name === 'webgpu') {
      await expect(badge).toContainText('WebGPU');
      await expect(badge).toContainText('fp32');
    } else {
      await expect(badge).toContainText('WASM');
      await expect(badge).toContainText('q8');
      await expect(page.getByTestId('backend-notice')).toContainText('no WebGPU');
    }
    await expect(page.getByTestId('fixture-banner')).toBeVisible();
  });

  test("'auto' runs Kokoro on WASM when the only WebGPU adapter is software or there is none, and says why", async ({
    page,
  }) => {
    const studio = new Studio(page);
    await studio.open(FIXTURE_MODELS, '&backend=auto');
    await studio.waitReady();
    // Asked after the engine's own probe, so the two do not compete for a slow adapter.
    const adapter = await page.evaluate(async () => {
      const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      const found = (await gpu?.requestAdapter()) as
        { info?: { isFallbackAdapter?: boolean; architecture?: string } } | null | undefined;
      if (!found) return 'none';
      const software =
        found.info?.isFallbackAdapter === true ||
        (found as { isFallbackAdapter?: boolean }).isFallbackAdapter === true ||
        found.info?.architecture === 'swiftshader';
      return software ? 'software' : 'hardware';
    });
    const badge = page.getByTestId('backend-badge');
    if (adapter === 'hardware') {
      // A real GPU (not this CI machine): 'auto' takes it.
      await expect(badge).toContainText('WebGPU');
      return;
    }
    await expect(badge).toContainText('WASM');
    // (A software adapter too slow to answer the engine's 4 s probe is also left for WASM.)
    await expect(page.getByTestId('backend-notice')).toContainText(
      adapter === 'software' ? /software renderer|did not answer/ : /no WebGPU/,
    );
  });

  test('three sentences stream: playback starts before the last one is synthesised; WAV downloads', async ({
    page,
  }, testInfo) => {
    const studio = new Studio(page);
    await studio.open();
    await studio.waitReady();
    await studio.setText(THREE_SENTENCES);
    await studio.generateAndWait();
    // One part per sentence; on a software WebGPU adapter long sentences are cut shorter (parts of
    // at most 32 phoneme tokens), so there may be more parts there.
    const status = (await page.getByTestId('synthesis-status').textContent()) ?? '';
    const parts = Number(/Done: (\d+) parts?/.exec(status)?.[1]);
    if (testInfo.project.name === 'webgpu') expect(parts).toBeGreaterThanOrEqual(3);
    else expect(parts).toBe(3);
    const marks = await studio.marks();
    expect(marks['timbre:chunk-0']).toBeDefined();
    expect(marks[`timbre:chunk-${parts - 1}`]).toBeDefined();
    expect(marks[`timbre:chunk-${parts}`]).toBeUndefined();
    expect(marks['timbre:playback-start']!).toBeLessThan(marks[`timbre:chunk-${parts - 1}`]!);

    const shownSeconds = Number(
      (await page.getByTestId('take-duration').textContent())!.replace(/[^\d.]/g, ''),
    );
    const downloadPromise = page.waitForEvent('download');
    await page.getByTestId('download-wav').click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toMatch(/\.wav$/);
    const bytes = new Uint8Array(readFileSync((await download.path())!));
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('RIFF');
    expect(new TextDecoder().decode(bytes.subarray(8, 12))).toBe('WAVE');
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(view.getUint16(22, true)).toBe(1); // mono
    expect(view.getUint32(24, true)).toBe(24_000);
    expect(view.getUint16(34, true)).toBe(16);
    const wav = decodeWav(bytes);
    const seconds = wav.channels[0]!.length / wav.sampleRateHz;
    expect(seconds).toBeGreaterThan(1);
    expect(Math.abs(seconds - shownSeconds)).toBeLessThan(0.1);
  });

  test('after a reload the models come from the browser cache, with no network', async ({ page }) => {
    const studio = new Studio(page);
    await studio.open();
    await studio.waitReady();
    await studio.setText('Warm the voice cache.');
    await studio.generateAndWait();
    await resetFixtureLog();
    await page.reload();
    await studio.waitReady();
    await studio.generateAndWait();
    const log = await fixtureLog();
    const modelRequests = Object.entries(log).filter(([path]) => /\.(onnx|bin)$/.test(path));
    expect(modelRequests).toEqual([]);
  });

  test('50,000 characters stream with progress, and Stop works and keeps the audio so far', async ({
    page,
  }) => {
    const studio = new Studio(page);
    await studio.open();
    await studio.waitReady();
    const sentence = 'This long passage keeps going so that the studio must split it into many parts. ';
    const text = sentence.repeat(Math.ceil(50_000 / sentence.length)).slice(0, 50_000);
    await studio.setText(text);
    await expect(page.getByTestId('counts')).toContainText('50,000 characters');
    await page.getByTestId('generate').click();
    await expect(page.getByTestId('synthesis-status')).toContainText(/part ([2-9]|\d{2,}) of \d{2,}/, {
      timeout: 180_000,
    });
    await page.getByTestId('stop').click();
    await expect(page.getByTestId('synthesis-status')).toContainText('Stopped after');
    await expect(page.getByTestId('download-wav')).toBeVisible();
    await expect(studio.text()).toHaveValue(text);
  });

  test('Stop in the middle of a long sentence leaves nothing running: another tab speaks at once, and this one again', async ({
    page,
    context,
  }) => {
    const studio = new Studio(page);
    await studio.open();
    await studio.waitReady();
    // One sentence with no break in it: after the short first part, parts as long as the backend allows.
    const text = `${'and the long line keeps on going '.repeat(80).trim()}.`;
    await studio.setText(text);
    await page.getByTestId('generate').click();
    const stop = page.getByTestId('stop');
    await expect(page.getByTestId('synthesis-status')).toBeVisible();
    const stopBox = await stop.boundingBox();
    await expect(page.getByTestId('synthesis-status')).toContainText(/Synthesising part [2-9] of \d+/, {
      timeout: 120_000,
    });
    // Playback has started and says what it plays, without moving Stop from under the pointer.
    await expect(page.getByTestId('now-speaking')).toHaveAttribute('data-speaking', 'true');
    await expect(page.getByTestId('now-speaking')).toContainText(/Now speaking: .*(long|line|keeps|going)/);
    expect(await stop.boundingBox()).toEqual(stopBox);
    // An edit while it plays changes neither what the caption says is playing nor where Stop is.
    await studio.setText('Something else entirely.');
    await expect(page.getByTestId('now-speaking')).toContainText(/Now speaking: .*(long|line|keeps|going)/);
    await expect(page.getByTestId('now-speaking')).not.toContainText('else');
    expect(await stop.boundingBox()).toEqual(stopBox);
    await stop.click();
    await expect(page.getByTestId('synthesis-status')).toContainText(/Stopped after \d+ of \d+ parts\./);
    expect(await stop.boundingBox()).toEqual(stopBox); // "Generating…" back to "Generate" moves nothing either

    // A second tab, right away: its speech is not stuck behind the stopped run.
    const other = await context.newPage();
    const second = new Studio(other);
    await second.open();
    await second.waitReady();
    await second.setText('A new tab speaks.');
    await second.generateAndWait();
    await other.close();

    await studio.setText('And this one speaks again.');
    await studio.generateAndWait();
    await expect(page.getByTestId('synthesis-status')).toContainText('Done: 1 part.');
  });

  test('empty text disables Generate with a hint', async ({ page }) => {
    const studio = new Studio(page);
    await studio.open();
    await studio.waitReady();
    await studio.setText('   ');
    await expect(page.getByTestId('generate')).toBeDisabled();
    await expect(page.getByTestId('empty-hint')).toContainText('Type some text');
  });

  test('text with nothing Kokoro can say gives a clear message', async ({ page }) => {
    const studio = new Studio(page);
    await studio.open();
    await studio.waitReady();
    await studio.setText('🙂🙂🙂');
    await page.getByTestId('generate').click();
    await expect(page.getByTestId('synthesis-error')).toContainText('nothing Kokoro can say');
  });

  test('a model that cannot be fetched (404) names the file and how to self-host', async ({ page }) => {
    const studio = new Studio(page);
    await studio.open(`${FIXTURE_ORIGIN}/missing/`);
    const error = page.getByTestId('model-error');
    await expect(error).toBeVisible();
    await expect(error).toContainText('kokoro/onnx/model');
    await expect(error).toContainText('was not found');
    await expect(error).toContainText('To self-host it');
  });

  test('a corrupted model file is rejected with a clear error and not cached', async ({ page }) => {
    const studio = new Studio(page);
    await studio.open(`${FIXTURE_ORIGIN}/corrupt/`);
    const error = page.getByTestId('model-error');
    await expect(error).toBeVisible();
    await expect(error).toContainText(/SHA-256|corrupt|integrity/i);
    await page.getByRole('button', { name: 'Models & settings' }).click();
    await expect(page.getByTestId('cached-files')).not.toContainText('corrupt/kokoro');
  });
});

test.describe("the take's player", () => {
  // A first visit, before a service worker holds the app (it would answer from its cache).
  test.use({ serviceWorkers: 'block' });

  test("the take's Play works before the waveform's code has arrived, ends the live playback, and pauses", async ({
    page,
  }, testInfo) => {
    // Hold WaveSurfer's chunk (fetched while the take is made) until Play has been pressed.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let asked = false;
    await page.route(/wavesurfer[^/]*\.js$/, async (route) => {
      asked = true;
      await held;
      await route.continue();
    });
    const studio = new Studio(page);
    await studio.open();
    await studio.waitReady();
    await studio.setText(THREE_SENTENCES); // seconds of audio: still playing when checked
    await studio.generateAndWait();
    const result = page.getByRole('region', { name: 'Result' });
    const play = result.getByRole('button', { name: 'Play' });
    await expect(play).toBeEnabled();
    expect(asked).toBe(true);
    // On WASM the fixture synthesises far faster than real time: the live playback is still on
    // its last parts when synthesis is done. (A software WebGPU adapter can be slower than real
    // time, and its last part may have ended by now.)
    const nowSpeaking = page.getByTestId('now-speaking');
    if (testInfo.project.name === 'wasm') await expect(nowSpeaking).toHaveAttribute('data-speaking', 'true');
    const wasSpeaking = (await nowSpeaking.getAttribute('data-speaking')) === 'true';
    // The waveform is not drawn yet: Play loads the take itself. An impatient second press
    // while it loads still means "play".
    await play.click();
    await play.click();
    release();
    await expect(result.getByRole('button', { name: 'Pause' })).toBeVisible();
    // One voice at a time: the live playback ended when the take started from here (at once:
    // left alone, the fixture's live playback runs on for seconds).
    if (wasSpeaking) await expect(nowSpeaking).toHaveAttribute('data-speaking', 'false', { timeout: 1_000 });
    await result.getByRole('button', { name: 'Pause' }).click();
    await expect(play).toBeVisible();
    await expect(result.getByRole('alert')).toHaveCount(0);
    // A new take pauses the one playing here: its live playback is the only voice.
    await play.click();
    await expect(result.getByRole('button', { name: 'Pause' })).toBeVisible();
    await page.getByTestId('generate').click();
    await expect(result.getByRole('button', { name: 'Play' })).toBeVisible({ timeout: 1_000 });
  });
});

test.describe('one voice at a time', () => {
  test('the take, the blend preview and a new take stop each other; the take pauses out of sight', async ({
    page,
  }) => {
    const studio = new Studio(page);
    await studio.open();
    await studio.waitReady();
    await studio.setText(THREE_SENTENCES);
    await studio.generateAndWait();
    const result = page.getByRole('region', { name: 'Result' });
    const takePlay = result.getByRole('button', { name: 'Play' });
    const takePause = result.getByRole('button', { name: 'Pause' });
    await takePlay.click();
    await expect(takePause).toBeVisible();
    // Out of sight, the take does not play on (the tab pauses the media in its panel).
    await studio.openTab('Voices');
    await studio.openTab('Speak');
    await expect(takePlay).toBeVisible();

    // The blend preview, looping: it would play on for as long as nothing stops it.
    await studio.openTab('Voices');
    await page.getByRole('checkbox', { name: 'Loop' }).check();
    await page.getByTestId('preview-text').fill('Hello there, this is the blend.');
    await page.getByTestId('blend-expression').fill('af_bella + am_adam');
    const previewPlay = page.getByTestId('preview-play');
    await expect(previewPlay).toHaveText('Stop', { timeout: 30_000 });

    // Playing the take stops the preview.
    await studio.openTab('Speak');
    await takePlay.click();
    await expect(takePause).toBeVisible();
    await studio.openTab('Voices');
    await expect(previewPlay).toHaveText('Play', { timeout: 1_000 });

    // The preview again, then a new take: its live playback stops the preview.
    await previewPlay.click();
    await expect(previewPlay).toHaveText('Stop');
    await studio.openTab('Speak');
    await page.getByTestId('generate').click();
    await studio.openTab('Voices');
    await expect(previewPlay).toHaveText('Play', { timeout: 1_000 });
  });
});
