/**
 * The studio on the real models, as a user who self-hosts them would run it: no model-source
 * override, so the app finds what `npm run models:real` laid out under /models (the real
 * Kokoro-82M int8, which stands in for the hub's q8), on WASM. Project `real` only.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { checkAudio } from '../src/engine/tts/audio-check';
import { decodeWav } from '../src/engine/audio/wav';
import { CloneStudio, Studio } from './studio';

/** Human speech (LibriSpeech test-other, CC BY 4.0, via Resemblyzer's repository). */
const SPEECH = new URL('../../shared/speech/librispeech-test-other/', import.meta.url).pathname;
const speech = (speaker: string, clip: string) => `${SPEECH}${speaker}/${speaker}-${clip}.flac`;

/** The number in the matrix cell of `row` (label prefix) and `column` (label prefix). */
function matrixValue(page: Page, row: string, column: string): Promise<number> {
  return page.evaluate(
    ([r, c]) => {
      const table = document.querySelector('[data-testid=similarity-matrix]')!;
      const heads = Array.from(table.querySelectorAll('thead th'), (h) => h.textContent ?? '');
      const rowEl = Array.from(table.querySelectorAll('tbody tr')).find((tr) =>
        tr.querySelector('th')?.textContent?.startsWith(r!),
      );
      const column = heads.findIndex((h) => h.startsWith(c!));
      return Number(rowEl!.querySelectorAll('td')[column]!.textContent);
    },
    [row, column],
  );
}

/** Search evaluations of the tiny clone (after ranking and the instant estimate). */
const TINY_CLONE_BUDGET = 4;

const THREE_SENTENCES =
  'The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background. It is easy to tell the depth of a well.';

test.describe('the real models', () => {
  test('three sentences play before the last is synthesised, with the real Kokoro; the WAV is real speech', async ({
    page,
  }) => {
    const studio = new Studio(page);
    await page.goto('/');
    await studio.waitReady();
    const badge = page.getByTestId('backend-badge');
    await expect(badge).toContainText('WASM');
    await expect(badge).toContainText('int8');
    await expect(page.getByTestId('fixture-banner')).toHaveCount(0);
    await studio.setText(THREE_SENTENCES);
    await studio.generateAndWait();
    const marks = await studio.marks();
    expect(marks['timbre:chunk-2']).toBeDefined();
    expect(marks['timbre:playback-start']!).toBeLessThan(marks['timbre:chunk-2']!);
    await page.screenshot({ path: '/tmp/real-speak.png', fullPage: true });
    const download = page.waitForEvent('download');
    await page.getByTestId('download-wav').click();
    const wav = decodeWav(new Uint8Array(readFileSync((await (await download).path())!)));
    const pcm = wav.channels[0]!;
    const seconds = pcm.length / wav.sampleRateHz;
    // Three read sentences of ~40 phonemes each: about 3 s apiece.
    expect(seconds).toBeGreaterThan(6);
    expect(seconds).toBeLessThan(15);
    expect(checkAudio(pcm).ok).toBe(true);
  });

  test('a blend previews with the real Kokoro, and moving a slider changes the audio', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('tab', { name: 'Voices' }).click();
    await expect(page.getByTestId('backend-badge')).toBeVisible({ timeout: 120_000 });
    const rows = page.getByTestId('blend-row');
    await page.getByTestId('blend-expression').fill('af_bella + am_adam');
    await expect(rows).toHaveCount(2);
    const status = page.getByTestId('preview-status');
    const settled = async (after: number) => {
      await expect
        .poll(async () => Number(await status.getAttribute('data-renders')), { timeout: 120_000 })
        .toBeGreaterThan(after);
      await expect(status).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
      return {
        checksum: (await status.getAttribute('data-checksum')) ?? '',
        rms: Number(await status.getAttribute('data-rms')),
        renders: Number(await status.getAttribute('data-renders')),
      };
    };
    const first = await settled(0);
    expect(first.rms).toBeGreaterThan(0.01); // real speech, not the fixture's tones
    const adam = rows.nth(1);
    await adam.getByTestId('blend-row-slider').focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('blend-expression')).toHaveValue('af_bella + 0.7*am_adam');
    const moved = await settled(first.renders);
    expect(moved.checksum).not.toBe(first.checksum);
    await page.screenshot({ path: '/tmp/real-voices.png', fullPage: true });
  });

  test('GE2E, picked in References, ranks two clips of one speaker above clips of another', async ({
    page,
  }) => {
    await page.goto('/');
    await page.getByRole('tab', { name: 'References', exact: true }).click();
    const encoder = page.getByTestId('encoder-status');
    await page.getByTestId('encoder-variant').selectOption('ge2e');
    await expect(encoder).toHaveAttribute('data-phase', 'ready', { timeout: 120_000 });
    await expect(encoder).toContainText('GE2E (Resemblyzer)');
    await expect(encoder).toContainText('WASM');
    await expect(page.getByTestId('model-credits')).toContainText('Resemblyzer');
    const clips: [string, string[]][] = [
      ['Speaker 1688', [speech('1688', '142285-0003'), speech('1688', '142285-0004')]],
      ['Speaker 2033', [speech('2033', '164914-0001'), speech('2033', '164914-0003')]],
    ];
    for (const [name, files] of clips) {
      await page.getByTestId('target-new').click();
      await page.getByTestId('target-name').fill(name);
      await page.getByTestId('target-name').press('Enter');
      for (const file of files) {
        await page.getByTestId('upload-input').setInputFiles(file);
        await expect(page.getByTestId('draft-result')).toBeVisible({ timeout: 60_000 });
        const before = await page.getByTestId('clip-row').count();
        await page.getByTestId('save-clip').click();
        await expect(page.getByTestId('clip-row')).toHaveCount(before + 1);
      }
      // The list shows the selected target's clips: both embedded by GE2E.
      const statuses = page.getByTestId('clip-status');
      await expect(statuses).toHaveCount(2);
      for (let i = 0; i < 2; i++) {
        await expect(statuses.nth(i)).toHaveAttribute('data-state', 'embedded', { timeout: 120_000 });
        await expect(statuses.nth(i)).toContainText('ge2e');
      }
    }

    // The clips alone: no library voice (each would be a real Kokoro rendering).
    const library = page.locator('details', { hasText: 'Library voices to include' });
    await library.locator('summary').click();
    await expect(library.getByRole('checkbox').first()).toBeVisible({ timeout: 120_000 });
    const checked = library.getByRole('checkbox', { checked: true });
    while ((await checked.count()) > 0) await checked.first().uncheck();
    await expect(library.locator('summary')).toContainText('(0)');
    await page.getByTestId('compare-run').click();
    const matrix = page.getByTestId('similarity-matrix');
    await expect(matrix).toBeVisible({ timeout: 120_000 });
    await expect(matrix).toHaveAttribute('data-measure', 'encoder');
    await expect(page.getByTestId('verification-summary')).toContainText(
      '4 of 4 clips match their own speaker best',
    );
    const same = [
      await matrixValue(page, '1688-142285-0003', '1688-142285-0004'),
      await matrixValue(page, '2033-164914-0001', '2033-164914-0003'),
    ];
    const different = [
      await matrixValue(page, '1688-142285-0003', '2033-164914-0001'),
      await matrixValue(page, '1688-142285-0004', '2033-164914-0003'),
    ];
    console.log(`GE2E in Chromium: same-speaker ${same.join(', ')}; different ${different.join(', ')}`);
    expect(Math.min(...same)).toBeGreaterThan(Math.max(...different));
    await matrix.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/real-ge2e.png', fullPage: true });
  });

  test('a clone with a tiny budget, judged by GE2E, scores at least as high as the nearest stock voice', async ({
    page,
  }) => {
    test.setTimeout(1_200_000);
    const clone = new CloneStudio(page);
    await page.goto(`/?cloneBudget=${TINY_CLONE_BUDGET}`);
    // A LibriSpeech speaker with no transcript, as a user without one would clone: the clone
    // renders the studio's own probe sentences.
    await clone.addReferenceClip(speech('2609', '156975-0001'));
    await page.getByTestId('target-clone').click();
    await expect(page.getByRole('tab', { name: 'Clone', exact: true })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await page.getByTestId('clone-encoder').selectOption('ge2e');
    const engine = page.getByTestId('clone-engine');
    await expect(engine).toHaveAttribute('data-phase', 'ready', { timeout: 180_000 });
    await expect(engine).toContainText('GE2E');
    await expect(page.getByTestId('clone-speed')).toContainText('One evaluation takes', { timeout: 180_000 });
    console.log(`Clone on the real models: ${await page.getByTestId('clone-speed').textContent()}`);
    await page.getByTestId('clone-budget-test').check();
    await page.screenshot({ path: '/tmp/real-clone-setup.png', fullPage: true });
    const started = Date.now();
    await page.getByTestId('clone-start').click();
    await clone.waitJobState('running');
    await clone.waitJobState('done', 1_080_000);
    console.log(
      `Clone of ${TINY_CLONE_BUDGET} search evaluations took ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    const nearest = await clone.abScore('nearest');
    const best = await clone.abScore('best');
    const instant = await clone.abScore('instant');
    console.log(`GE2E clone scores: nearest stock ${nearest}, instant ${instant}, searched ${best}`);
    expect(best).toBeGreaterThan(0);
    expect(best).toBeGreaterThanOrEqual(nearest);
    await page.getByTestId('clone-plot').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/real-clone-done.png', fullPage: true });
  });
});
