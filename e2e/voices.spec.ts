/**
 * The Voices tab end to end on the fixture models, in both projects: voice arithmetic with
 * live playback, the library in IndexedDB across reloads, voice files out and back in, the
 * map, and bad input that must leave the library as it was.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { float32Checksum } from '../src/engine/voices/checksum';
import { importVoiceFile, PACK_LENGTH } from '../src/engine/voices/formats';
import { aliasBomb, deflatedPt, manyEntryNpz, markBomb } from '../src/test-support/hostile-voice-files';
import { sharedPath } from '../src/test-support/shared';
import { FIXTURE_MODELS, freezePageClock, Studio } from './studio';

const INTEROP = sharedPath('interop');
const SCREENSHOTS = process.env.TIMBRE_SCREENSHOTS ?? '/tmp';
const ENGINE_READY_MS = 120_000;
const RENDER_MS = 120_000;
const SHORT_PREVIEW = 'Hello there.';

/**
 * Opens the Voices tab with a short preview sentence: on SwiftShader's software WebGPU one
 * render of a whole sentence can take half a minute on a busy machine.
 */
async function openVoices(page: Page): Promise<void> {
  await new Studio(page).open(process.env.TIMBRE_FIXTURE_MODELS ?? FIXTURE_MODELS);
  await page.getByRole('tab', { name: 'Voices' }).click();
  await voicesReady(page);
  await page.getByTestId('preview-text').fill(SHORT_PREVIEW);
}

/** The Voices tab is up, the engine ready and the library read (after a reload the tab stays open). */
async function voicesReady(page: Page): Promise<void> {
  // Compiling the fixture on SwiftShader's WebGPU can take a while on a busy machine.
  await expect(page.getByTestId('backend-badge')).toBeVisible({ timeout: ENGINE_READY_MS });
  await expect(page.getByTestId('voices-panel')).toBeVisible();
  await expect(page.getByTestId('library-count')).not.toContainText('opening');
}

function previewStatus(page: Page) {
  return page.getByTestId('preview-status');
}

async function renders(page: Page): Promise<number> {
  return Number(await previewStatus(page).getAttribute('data-renders'));
}

/** Waits until the preview has rendered more than `after` times and is idle; returns its checksum. */
async function settledPreview(
  page: Page,
  after: number,
): Promise<{ checksum: string; rms: number; renders: number }> {
  await expect.poll(() => renders(page), { timeout: RENDER_MS }).toBeGreaterThan(after);
  await expect(previewStatus(page)).toHaveAttribute('data-phase', 'ready', { timeout: RENDER_MS });
  return {
    checksum: (await previewStatus(page).getAttribute('data-checksum')) ?? '',
    rms: Number(await previewStatus(page).getAttribute('data-rms')),
    renders: await renders(page),
  };
}

async function userVoiceCount(page: Page): Promise<number> {
  return Number(await page.getByTestId('library-count').getAttribute('data-user-count'));
}

async function buildWithRows(page: Page): Promise<void> {
  const rows = page.getByTestId('blend-row');
  for (const voice of ['af_bella', 'af_sky', 'am_adam']) {
    await page.getByTestId('blend-add-row').click();
    await rows.last().getByTestId('blend-row-voice').selectOption(voice);
  }
  await rows.nth(0).getByTestId('blend-row-number').fill('1');
  await rows.nth(1).getByTestId('blend-row-number').fill('-1');
  await rows.nth(2).getByTestId('blend-row-number').fill('1');
}

test.describe('voices', () => {
  // Each test loads the engine (twice when it reloads) and all 54 stock packs for the map.
  test.describe.configure({ timeout: 300_000 });

  test('af_bella - af_sky + am_adam built with rows plays, and the audio changes when a slider moves', async ({
    page,
  }) => {
    await openVoices(page);
    await expect(page.getByTestId('library-empty')).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/voices-empty.png`, fullPage: true });

    await buildWithRows(page);
    await expect(page.getByTestId('blend-expression')).toHaveValue('af_bella - af_sky + am_adam');
    const first = await settledPreview(page, 0);
    expect(first.rms).toBeGreaterThan(0.001);
    await expect(previewStatus(page)).toHaveAttribute('data-source', 'result');

    // Four arrow presses on am_adam's slider: 1 -> 0.8, in fine steps of 0.05.
    const adam = page.getByTestId('blend-row').nth(2);
    await adam.getByTestId('blend-row-slider').focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
    await expect(adam.getByTestId('blend-row-number')).toHaveValue('0.8');
    await expect(page.getByTestId('blend-expression')).toHaveValue('af_bella - af_sky + 0.8*am_adam');
    const moved = await settledPreview(page, first.renders);
    expect(moved.checksum).not.toBe(first.checksum);

    // The expression drives the rows too.
    await page.getByTestId('blend-expression').fill('af_bella - 0.5*af_sky + am_adam');
    await expect(page.getByTestId('blend-row').nth(1).getByTestId('blend-row-number')).toHaveValue('-0.5');
    await settledPreview(page, moved.renders);
    await page.screenshot({ path: `${SCREENSHOTS}/voices-blend.png`, fullPage: true });

    // The map: every stock voice a focusable point, the blend a point of its own.
    await expect(page.getByTestId('voice-map')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('map-point')).toHaveCount(54);
    await expect(page.getByTestId('map-result')).toBeVisible();

    // A built-in direction (computed in the inference worker) moves the blend, by keyboard: the
    // audio changes and the blend's point moves on the map.
    const gender = page.locator('[data-testid=direction][data-direction=female-male] input[type=range]');
    const resultAt = () => page.getByTestId('map-result').getAttribute('style');
    const placed = await resultAt();
    const beforeDirection = await settledPreview(page, (await renders(page)) - 1);
    await gender.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowLeft');
    await expect(gender).toHaveAttribute('aria-valuetext', /-0\.50 \(toward male\)/);
    const directed = await settledPreview(page, beforeDirection.renders);
    expect(directed.checksum).not.toBe(beforeDirection.checksum);
    await expect.poll(resultAt).not.toBe(placed);
    await page.getByRole('button', { name: /^Reset Gender/ }).click();
    await settledPreview(page, directed.renders);
    const bella = page.locator('[data-testid=map-point][data-voice-name=af_bella]');
    await expect(bella).toHaveAttribute('aria-label', /af_bella: Bella, American English female/);
    const before = await renders(page);
    await bella.focus();
    await expect(page.getByTestId('map-caption')).toContainText('af_bella');
    await page.keyboard.press('Enter');
    await expect(previewStatus(page)).toHaveAttribute('data-source', 'stock:af_bella', {
      timeout: RENDER_MS,
    });
    expect(await renders(page)).toBeGreaterThan(before);
    await page.getByTestId('voice-map').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}/voices-map.png`, fullPage: true });

    // A/B: back to the blend instantly (its render is kept).
    await page.getByTestId('ab-a').click();
    await expect(previewStatus(page)).toHaveAttribute('data-source', 'result');
  });

  test('a saved blend survives a reload; its .pt download re-imports as the same voice', async ({ page }) => {
    await openVoices(page);
    await page.getByTestId('blend-expression').fill('af_bella - af_sky + am_adam');
    await expect(page.getByTestId('result-checksum')).toHaveText(/^[0-9a-f]{16}$/, { timeout: 60_000 });
    const blendChecksum = await page.getByTestId('result-checksum').textContent();
    await page.getByTestId('save-name').fill('Bright mix');
    await page.getByTestId('save-tags').fill('bright, test');
    await page.getByTestId('save-result').click();
    await expect(page.getByTestId('voices-notice')).toContainText('Saved “Bright mix”');

    await page.reload();
    await voicesReady(page);
    const saved = page.locator('[data-testid=library-item][data-voice-name="Bright mix"]');
    await expect(saved).toBeVisible();
    await expect(saved).toContainText('#bright #test');
    await saved.getByTestId('library-details').click();
    await expect(saved.getByTestId('voice-checksum')).toHaveText(blendChecksum!);

    const downloadPromise = page.waitForEvent('download');
    await saved.getByTestId('details-download-pt').click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toBe('Bright_mix.pt');
    const path = (await download.path())!;
    const [pack] = importVoiceFile('Bright_mix.pt', new Uint8Array(readFileSync(path)));
    expect(pack!.data.length).toBe(PACK_LENGTH);
    expect(float32Checksum(pack!.data)).toBe(blendChecksum);

    await page.getByTestId('import-input').setInputFiles(path);
    await expect(page.getByTestId('voices-notice')).toContainText('Imported');
    const reimported = page.locator('[data-testid=library-item][data-kind=import]');
    await expect(reimported).toHaveCount(1);
    await reimported.getByTestId('library-details').click();
    await expect(reimported.getByTestId('voice-checksum')).toHaveText(blendChecksum!);
    expect(await userVoiceCount(page)).toBe(2);
  });

  test('bad files, a bad expression, a recipe naming a missing voice, a full disk: clear messages, library untouched', async ({
    page,
  }) => {
    // A full disk, on demand: the second voice written while the flag is set fails as a
    // browser over its quota would (the first one was already queued in the same transaction).
    await page.addInitScript(() => {
      const flags = window as unknown as { __quotaFull?: boolean; __voicePuts?: number };
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (
        this: IDBObjectStore,
        ...args: Parameters<IDBObjectStore['put']>
      ) {
        if (
          flags.__quotaFull &&
          this.name === 'voices' &&
          (flags.__voicePuts = (flags.__voicePuts ?? 0) + 1) >= 2
        ) {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        }
        return put.apply(this, args);
      };
    });
    await openVoices(page);
    await page.getByTestId('import-input').setInputFiles(`${INTEROP}/af_heart.pt`);
    await expect(page.getByTestId('voices-notice')).toContainText('Imported “af_heart_2”');
    expect(await userVoiceCount(page)).toBe(1);

    const nan = new Float32Array(PACK_LENGTH).fill(0.1);
    nan[777] = Number.NaN;
    const corruptZip = new Uint8Array(readFileSync(`${INTEROP}/voices_bundle.npz`)).slice(0, 5000);
    const CASES = [
      {
        name: 'short.bin',
        buffer: Buffer.alloc(1000),
        message: /short\.bin: expected 510×1×256 float32 \(522,240 bytes\), got 1,000 bytes/,
      },
      { name: 'nan.bin', buffer: Buffer.from(nan.buffer), message: /nan\.bin: contains NaN at row 3/ },
      {
        name: 'broken.npz',
        buffer: Buffer.from(corruptZip),
        message: /broken\.npz: the zip archive is damaged/,
      },
      {
        name: 'hostile_os_system.pt',
        buffer: readFileSync(`${INTEROP}/hostile_os_system.pt`),
        message: /hostile_os_system\.pt: refused.*os\.system/,
      },
      {
        name: 'wrong_shape.pt',
        buffer: readFileSync(`${INTEROP}/wrong_shape.pt`),
        message: /wrong_shape\.pt: expected 510×1×256.*got 100×256/,
      },
      {
        name: 'lost.recipe.json',
        buffer: Buffer.from(
          JSON.stringify({
            version: 1,
            name: 'Lost',
            expression: 'af_bella + nobody_here',
            normalise: 'none',
          }),
        ),
        message: /lost\.recipe\.json: the recipe needs voice not in your library: nobody_here/,
      },
    ];
    for (const { name, buffer, message } of CASES) {
      await page
        .getByTestId('import-input')
        .setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
      await expect(page.getByTestId('voices-error')).toContainText(message);
      expect(await userVoiceCount(page)).toBe(1);
    }

    await page.evaluate(() => ((window as unknown as { __quotaFull: boolean }).__quotaFull = true));
    await page.getByTestId('import-input').setInputFiles(`${INTEROP}/voices_bundle.npz`);
    await expect(page.getByTestId('voices-error')).toContainText(
      'storage for this site is full, so the import of 3 voices was not saved',
    );
    expect(await userVoiceCount(page)).toBe(1);
    await page.evaluate(() => ((window as unknown as { __quotaFull: boolean }).__quotaFull = false));

    const expression = page.getByTestId('blend-expression');
    await expression.fill('af_bella + af_bellx');
    await expect(expression).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('blend-expression-error')).toContainText(
      "Unknown voice 'af_bellx' — did you mean af_bella? (at character 12)",
    );
    await page.screenshot({ path: `${SCREENSHOTS}/voices-error.png`, fullPage: true });
    await page.reload();
    await voicesReady(page);
    await expect(page.locator('[data-testid=library-item][data-kind=import]')).toHaveCount(1);
    await expect(page.locator('[data-testid=library-item][data-voice-name=af_bella_2]')).toHaveCount(0);
  });

  test('voice-file bombs are parsed in a worker and refused at their caps; the tab lives, the library is untouched', async ({
    page,
  }) => {
    await openVoices(page);
    await page.getByTestId('import-input').setInputFiles(`${INTEROP}/af_nicole_fp16.pt`);
    await expect(page.getByTestId('voices-notice')).toContainText('Imported “af_nicole_fp16”');
    // The parse ran in the voice-file worker, not on the page.
    expect(page.workers().some((worker) => worker.url().includes('voice-file'))).toBe(true);

    // The issue's own example: a ~200 KB .pt whose data.pkl inflates to 200 MB of MARK opcodes.
    const markPt = deflatedPt(markBomb(200 * 1024 * 1024), new Uint8Array(4), 9);
    expect(markPt.length).toBeLessThan(300 * 1024);
    const CASES = [
      {
        name: 'marks.pt',
        bytes: markPt,
        message: /marks\.pt: refused: bomb\/data\.pkl claims 209,715,200 bytes/,
      },
      {
        name: 'ratio.pt',
        bytes: deflatedPt(markBomb(8 * 1024 * 1024), new Uint8Array(4)),
        message: /ratio\.pt: refused: bomb\/data\.pkl would expand \d+-fold.*zip bomb/,
      },
      {
        name: 'legacy-marks.pt',
        bytes: markBomb(16 * 1024 * 1024),
        message:
          /legacy-marks\.pt: refused: the tensor description \(pickle\) nests more than 64 levels deep/,
      },
      {
        name: 'aliases.pt',
        bytes: deflatedPt(aliasBomb(20_000)),
        message: /aliases\.pt: refused: the file holds 20,000 entries; a voice file holds at most 256 voices/,
      },
      {
        name: 'entries.npz',
        bytes: manyEntryNpz(5_000),
        message: /entries\.npz: refused: the archive lists 5,000 entries/,
      },
    ];
    for (const { name, bytes, message } of CASES) {
      await page
        .getByTestId('import-input')
        .setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
      await expect(page.getByTestId('voices-error')).toContainText(message);
      expect(await userVoiceCount(page)).toBe(1);
    }
    // The page still works: the expression field answers, and the one good import is still there.
    const expression = page.getByTestId('blend-expression');
    await expression.fill('af_bella + af_nicole_fp16');
    await expect(expression).not.toHaveAttribute('aria-invalid', 'true');
    await page.screenshot({ path: `${SCREENSHOTS}/voices-bombs.png`, fullPage: true });
    await page.reload();
    await voicesReady(page);
    await expect(page.locator('[data-testid=library-item][data-kind=import]')).toHaveCount(1);
  });

  test('a voices bundle imports several voices at once; delete has Undo; timbre of A + prosody of B is one click', async ({
    page,
  }) => {
    await page.clock.install();
    await openVoices(page);
    await page.getByTestId('import-input').setInputFiles(`${INTEROP}/voices_bundle.npz`);
    await expect(page.getByTestId('voices-notice')).toContainText(
      'Imported 3 voices: af_bella_2, am_michael_2, bf_isabella_2',
    );
    // Drag and drop works like the picker.
    const npy = [...readFileSync(`${INTEROP}/af_sky.npy`)];
    await page.getByTestId('import-drop').evaluate((zone, bytes) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(bytes)], 'af_sky.npy'));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, npy);
    await expect(page.getByTestId('voices-notice')).toContainText('Imported “af_sky_2”');
    await page.getByTestId('library-kind').selectOption('import');
    await page.getByTestId('library-filter').fill('michael');
    await expect(page.getByTestId('library-item')).toHaveCount(1);
    const michael = page.getByTestId('library-item');
    await michael.getByTestId('library-details').click();
    await freezePageClock(page); // the Undo window cannot run out before the click
    await michael.getByTestId('details-delete').click();
    await expect(page.getByTestId('voices-toast')).toContainText('Deleted “am_michael_2”');
    expect(await userVoiceCount(page)).toBe(3);
    await page.getByTestId('voices-undo').click();
    await expect(page.getByTestId('library-item')).toHaveCount(1);
    expect(await userVoiceCount(page)).toBe(4);
    await page.clock.resume();

    await page.getByTestId('helper-timbre').selectOption('af_heart');
    await page.getByTestId('helper-prosody').selectOption('am_michael_2');
    await page.getByTestId('helper-apply').click();
    await expect(page.getByTestId('blend-expression')).toHaveValue(
      'timbre(af_heart) + prosody(am_michael_2)',
    );
    await settledPreview(page, 0);
  });
});
