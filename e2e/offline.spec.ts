/**
 * Offline: after one visit the service worker has the app shell, workers, WASM and lexicons,
 * and the model store has the models. With the network gone the studio reloads, speaks, opens
 * the library and plays a saved voice. With the network back, a new version is offered with
 * "Reload to update", which is held while speech is being generated.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { sharedPath } from '../src/test-support/shared';
import { FIXTURE_ORIGIN, Studio } from './studio';

async function waitControlled(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) return;
    await new Promise<void>((resolve) =>
      navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }),
    );
  });
}

test('after one visit the studio works offline: reload, speak, library, play; back online an update is offered', async ({
  page,
  context,
}) => {
  test.setTimeout(300_000);
  const studio = new Studio(page);
  await studio.open();
  await studio.waitReady();
  await waitControlled(page);
  await studio.setText('The first visit.');
  await studio.generateAndWait();
  // A voice of the user's own, to find again offline.
  await studio.openTab('Voices');
  await page.getByTestId('import-input').setInputFiles({
    name: 'offline_heart.pt',
    mimeType: 'application/octet-stream',
    buffer: readFileSync(sharedPath('interop', 'af_heart.pt')),
  });
  await expect(page.getByTestId('voices-notice')).toContainText('Imported “offline_heart”');

  // The network goes: neither the app's server nor the model server can be reached.
  await context.setOffline(true);
  const reachable = await page.evaluate(
    (url) =>
      fetch(url, { cache: 'no-store' }).then(
        () => true,
        () => false,
      ),
    `${FIXTURE_ORIGIN}/models/manifest.json`,
  );
  expect(reachable).toBe(false);

  await page.reload();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  // The cached page keeps its COOP/COEP headers: still cross-origin isolated (threaded WASM).
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await studio.openTab('Speak');
  await studio.waitReady();
  await studio.setText('Spoken without a network.');
  await studio.generateAndWait();
  await expect(page.getByTestId('download-wav')).toBeVisible();

  await studio.openTab('Voices');
  const saved = page.locator('[data-testid=library-item][data-voice-name=offline_heart]');
  await expect(saved).toBeVisible();
  await saved.getByTestId('library-play').click();
  await expect(saved.getByTestId('library-play')).toHaveText('♪', { timeout: 120_000 });
  await page.screenshot({ path: `${process.env.TIMBRE_SCREENSHOTS ?? '/tmp'}/offline-library.png` });

  // Back online, and the host now serves a new version: its service worker differs by a byte.
  await context.setOffline(false);
  const swPath = join(process.env.TIMBRE_DIST ?? 'dist', 'sw.js');
  const original = readFileSync(swPath, 'utf8');
  try {
    writeFileSync(swPath, `${original}\n// the next version\n`);
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      await registration.update();
    });
    const banner = page.getByTestId('update-banner');
    await expect(banner).toContainText('A new version of Timbre is ready', { timeout: 60_000 });
    // Not under running work: while speech is generated the reload waits, and says why.
    await studio.openTab('Speak');
    await studio.setText('A long text keeps the engine busy for a while. '.repeat(60));
    await page.getByTestId('generate').click();
    await expect(banner).toContainText('Speech is being generated');
    // aria-disabled: still focusable and pressable (a user learns why); force skips Playwright's wait for enabled.
    await page.getByTestId('update-reload').click({ force: true });
    await expect(page.getByTestId('synthesis-status')).toContainText('Synthesising part');
    await expect(banner).toContainText('Speech is being generated');
    await page.getByTestId('stop').click();
    await expect(banner).toContainText('Reloading keeps your voices');
    // The new version activates, takes control, and the page reloads itself: wait for that
    // reload (a loaded machine took over 30 s once), then the banner is gone.
    const reloaded = page.waitForEvent('load', { timeout: 120_000 });
    await page.getByTestId('update-reload').click();
    await reloaded;
    await studio.waitReady();
    const workers = () =>
      page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        return {
          installing: registration?.installing?.state ?? null,
          waiting: registration?.waiting?.state ?? null,
          active: registration?.active?.state ?? null,
          controlled: navigator.serviceWorker.controller !== null,
        };
      });
    // If the banner stays, the failure shows the service workers' states (polled, like the banner).
    await expect
      .poll(async () => ({ banner: await page.getByTestId('update-banner').count(), ...(await workers()) }))
      .toEqual({ banner: 0, installing: null, waiting: null, active: 'activated', controlled: true });
  } finally {
    writeFileSync(swPath, original);
  }
});

test.describe('a tab whose code cannot be fetched', () => {
  // A first visit, before a service worker holds the app (it would answer from its cache).
  test.use({ serviceWorkers: 'block' });

  test('the tab says so with a reload, the other tabs and the text typed go on', async ({ page }) => {
    // Voices loads its code on first visit: a dropped connection (or a version deployed
    // meanwhile) makes that fetch fail. Before the service worker can answer for it.
    await page.route(/\/assets\/VoicesPanel-[^/]+\.js$/, (route) => route.abort('internetdisconnected'));
    const studio = new Studio(page);
    await studio.open();
    await studio.waitReady();
    await page.getByTestId('text-input').fill('Still here after the failure.');

    await studio.openTab('Voices');
    const voices = page.getByRole('tabpanel', { name: 'Voices' });
    await expect(voices.getByRole('alert')).toContainText('The Voices tab could not load.');
    await expect(voices.getByRole('button', { name: 'Reload the studio' })).toBeVisible();

    // The rest of the studio lives: References opens, Speak still has its text and speaks.
    await studio.openTab('References');
    await expect(page.getByTestId('encoder-status')).toBeVisible();
    await expect(page.getByRole('tabpanel', { name: 'References' }).getByTestId('panel-error')).toHaveCount(
      0,
    );
    await studio.openTab('Speak');
    await expect(page.getByTestId('text-input')).toHaveValue('Still here after the failure.');
    await page.getByTestId('generate').click();
    await expect(page.getByTestId('synthesis-status')).toContainText('Done', { timeout: 60_000 });
  });
});
