/**
 * The studio on the real models, as a user who self-hosts them would run it: no model-source
 * override, so the app finds what `npm run models:real` laid out under /models (the real
 * Kokoro-82M int8, which stands in for the hub's q8), on WASM. Project `real` only.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { checkAudio } from '../src/engine/tts/audio-check';
import { decodeWav } from '../src/engine/audio/wav';
import { Studio } from './studio';

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
});
