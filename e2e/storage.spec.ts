/**
 * Storage the user can see and keep (issue 13): Models & settings shows what each store holds
 * and clears one store without touching the others; persistent storage is asked for and shown;
 * a model download that would not fit in the browser's quota is refused up front, with the numbers.
 */
import { expect, test, type Page } from '@playwright/test';
import { FIXTURE_MODELS, Studio } from './studio';

const SCREENSHOTS = process.env.TIMBRE_SCREENSHOTS ?? '/tmp';
const STORES = ['models', 'voices', 'references', 'checkpoints', 'measurements'] as const;
type Store = (typeof STORES)[number];

/** Writes records into the studio's IndexedDB as the features would (the app has opened it). */
async function seedDatabase(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('timbre', 1);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const names = ['voices', 'directions', 'targets', 'clips', 'embeddings', 'checkpoints'];
    const tx = db.transaction(names, 'readwrite');
    const pack = () => new Float32Array(510 * 256).fill(0.01);
    for (const id of ['seed-voice-1', 'seed-voice-2'])
      tx.objectStore('voices').put({
        id,
        name: `Seeded ${id.slice(-1)}`,
        tags: [],
        origin: { kind: 'import', fileName: `${id}.bin` },
        createdAt: 1,
        updatedAt: 1,
        pack: pack(),
      });
    tx.objectStore('directions').put({ id: 'seed-dir', name: 'brighter', createdAt: 1, vector: pack() });
    tx.objectStore('targets').put({ id: 'seed-target', name: 'Seeded target', createdAt: 1 });
    tx.objectStore('clips').put({
      id: 'seed-clip',
      targetId: 'seed-target',
      name: 'seeded clip',
      createdAt: 2,
      source: 'upload',
      sampleRateHz: 24000,
      pcm: new Float32Array(2 * 24000).fill(0.1),
      durationS: 2,
      warnings: [],
    });
    for (const key of ['clone:a', 'clone:b', 'clone:c'])
      tx.objectStore('embeddings').put({ key, createdAt: 1, usedAt: 1, vector: new Float32Array(256) });
    tx.objectStore('checkpoints').put({
      id: 'seed-job',
      targetId: 'seed-target',
      method: 'timbre',
      updatedAt: 1,
      evaluations: 10,
      bestScore: 0.5,
      best: pack(),
      state: { version: 0 },
    });
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  });
}

function row(page: Page, store: Store) {
  return page.getByTestId(`store-${store}`);
}

async function storeBytes(page: Page): Promise<Record<Store, number>> {
  const sizes = {} as Record<Store, number>;
  for (const store of STORES) sizes[store] = Number(await row(page, store).getAttribute('data-bytes'));
  return sizes;
}

async function openStorage(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Models & settings' }).click();
  for (const store of STORES) await expect(row(page, store)).toHaveAttribute('data-state', 'measured');
}

test.describe('storage', () => {
  test('Models & settings shows what each store holds, and clearing one empties it and no other', async ({
    page,
  }) => {
    const studio = new Studio(page);
    await studio.open();
    await studio.waitReady();
    // The studio asked for persistent storage by itself, before the first download, and remembers it.
    const askedAt = await page.evaluate(
      () =>
        (
          JSON.parse(localStorage.getItem('timbre-studio') ?? '{}') as {
            state?: { storagePersistAskedAt?: number };
          }
        ).state?.storagePersistAskedAt,
    );
    expect(typeof askedAt).toBe('number');
    await studio.openTab('Voices'); // the library opens the database
    await expect(page.getByTestId('library-count')).not.toContainText('opening');
    await seedDatabase(page);
    await page.reload();
    await expect(page.getByTestId('library-count')).toHaveAttribute('data-user-count', '2');
    await expect(page.getByTestId('backend-badge')).toBeVisible({ timeout: 120_000 }); // models not in use

    await openStorage(page);
    await expect(row(page, 'models').getByTestId('store-holds')).toContainText(/\d+ files?/);
    await expect(row(page, 'voices').getByTestId('store-holds')).toHaveText('2 voices · 1 direction');
    await expect(row(page, 'references').getByTestId('store-holds')).toHaveText('1 target voice · 1 clip');
    await expect(row(page, 'checkpoints').getByTestId('store-holds')).toHaveText('1 saved search');
    await expect(row(page, 'measurements').getByTestId('store-holds')).toHaveText('3 measurements');
    const before = await storeBytes(page);
    for (const store of STORES) expect(before[store]).toBeGreaterThan(0);
    // Three packs of 510*256 float32 (two voices and a direction) and their names.
    expect(before.voices).toBeGreaterThan(3 * 510 * 256 * 4);
    expect(before.voices).toBeLessThan(3 * 510 * 256 * 4 + 1_000);
    await expect(page.getByTestId('storage-total')).not.toHaveText('Measuring…');
    await expect(page.getByTestId('storage-quota')).toContainText(
      /The browser counts [\d.]+ [kMG]B for this site/,
    );
    await expect(page.getByTestId('storage-status')).toHaveText('Storage measured.');

    // Persistence: shown, and asked again on request when the browser did not agree.
    const persistence = page.getByTestId('storage-persistence');
    await expect(persistence).toContainText(/Stored persistently|may clear this under storage pressure/);
    const askAgain = page.getByRole('button', { name: 'Ask again to keep it' });
    if (await askAgain.isVisible()) {
      await askAgain.click();
      await expect(page.getByTestId('storage-status')).toContainText('The browser');
    }
    console.log('storage sizes shown (bytes):', JSON.stringify(before));
    await page.getByTestId('storage-section').screenshot({ path: `${SCREENSHOTS}/storage-panel.png` });
    await page.locator('dialog[open]').screenshot({ path: `${SCREENSHOTS}/storage-dialog.png` });

    // Clear asks first; Escape keeps the data (and the dialog open); focus goes back to Clear.
    const clear = row(page, 'voices').getByRole('button', { name: 'Clear voice library' });
    await clear.click();
    const confirm = page.getByTestId('store-confirm');
    await expect(confirm).toContainText('Delete 2 voices and 1 direction');
    await page.getByTestId('storage-table').screenshot({ path: `${SCREENSHOTS}/storage-confirm.png` });
    await expect(page.getByTestId('store-confirm-keep')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(confirm).toHaveCount(0);
    await expect(page.locator('dialog[open]')).toHaveCount(1);
    await expect(clear).toBeFocused();
    expect(await storeBytes(page)).toEqual(before);

    // From the keyboard: Enter opens the question, Tab back to the red button, Enter clears.
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('store-confirm-keep')).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(page.getByTestId('store-confirm-clear')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('storage-status')).toHaveText(
      'Voice library cleared: it now holds nothing. The other stores are unchanged.',
    );
    await expect(row(page, 'voices')).toHaveAttribute('data-bytes', '0');
    await expect(row(page, 'voices').getByTestId('store-holds')).toHaveText('Empty');
    const after = await storeBytes(page);
    console.log('storage sizes after clearing the voice library (bytes):', JSON.stringify(after));
    for (const store of STORES.filter((s) => s !== 'voices')) expect(after[store]).toBe(before[store]);

    // The Voices tab forgot them too, and a reload finds none.
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('library-count')).toHaveAttribute('data-user-count', '0');
    await page.reload();
    await expect(page.getByTestId('library-count')).toHaveAttribute('data-user-count', '0');
  });
});

/**
 * Makes the browser report this quota on the page and in every worker it starts (the model
 * store asks in the worker). A worker is started from a small module that patches
 * StorageManager first, then imports the real worker script. (Routing the worker script
 * instead would cost the worker its cross-origin fetches in Chromium.)
 */
async function fakeQuota(page: Page, usage: number, quota: number): Promise<void> {
  await page.addInitScript(
    ([usedBytes, quotaBytes]) => {
      const patch = `StorageManager.prototype.estimate = async () => ({ usage: ${usedBytes}, quota: ${quotaBytes} });`;
      StorageManager.prototype.estimate = async () => ({ usage: usedBytes, quota: quotaBytes });
      const RealWorker = window.Worker;
      const moduleUrl = (source: string) =>
        URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
      const patchUrl = moduleUrl(patch);
      window.Worker = class extends RealWorker {
        constructor(url: string | URL, options?: WorkerOptions) {
          const script = JSON.stringify(new URL(String(url), location.href).href);
          const wrapped = moduleUrl(`import ${JSON.stringify(patchUrl)};\nimport ${script};`);
          super(options?.type === 'module' ? wrapped : url, options);
        }
      };
    },
    [usage, quota] as const,
  );
}

test('a model download that would not fit in the quota is refused up front, with the numbers', async ({
  page,
}) => {
  const USAGE_BYTES = 2_000_000;
  await fakeQuota(page, USAGE_BYTES, USAGE_BYTES + 10_000); // 10 kB left; the fixture Kokoro is 19-28 kB
  const modelGets: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'GET' && /kokoro\/onnx\/.*\.onnx$/.test(request.url()))
      modelGets.push(request.url());
  });
  const studio = new Studio(page);
  await studio.open(FIXTURE_MODELS);
  const error = page.getByTestId('model-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText(
    /Kokoro \w+ \(kokoro\/onnx\/[\w.]+\.onnx\) needs \d+\.\d kB but the browser allows only 10\.0 kB more for this site/,
  );
  await expect(error).toContainText('Nothing was downloaded and nothing already stored was removed');
  console.log('refusal shown:', await error.textContent());
  await error.screenshot({ path: `${SCREENSHOTS}/storage-refused.png` });
  await expect(error).toHaveAttribute('role', 'alert');
  expect(modelGets).toEqual([]);

  // Something stored meanwhile stays through another refused attempt.
  await studio.openTab('Voices');
  await expect(page.getByTestId('library-count')).not.toContainText('opening');
  await seedDatabase(page);
  await studio.openTab('Speak');
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('model-error')).toContainText('needs');
  expect(modelGets).toEqual([]);
  await page.getByRole('button', { name: 'Models & settings' }).click();
  await expect(row(page, 'voices').getByTestId('store-holds')).toHaveText('2 voices · 1 direction');
  await expect(row(page, 'models').getByTestId('store-holds')).not.toContainText(/[1-9]/);
  await expect(page.getByTestId('cached-files')).not.toContainText('kokoro/onnx');
  await expect(page.getByTestId('storage-quota')).toContainText('counts 2.0 MB for this site');
  await expect(page.getByTestId('storage-quota')).toContainText('of the 2.0 MB it allows');
});
