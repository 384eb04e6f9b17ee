/** Page object for the studio, and helpers shared by the specs. */
import { expect, type Page } from '@playwright/test';

export const FIXTURE_ORIGIN = process.env.TIMBRE_FIXTURE_ORIGIN ?? 'http://127.0.0.1:4174';
export const FIXTURE_MODELS = `${FIXTURE_ORIGIN}/models/`;

export interface FixtureRequestLog {
  [path: string]: number;
}

export async function resetFixtureLog(): Promise<void> {
  await fetch(`${FIXTURE_ORIGIN}/__reset`, { method: 'POST' });
}

export async function fixtureLog(): Promise<FixtureRequestLog> {
  const res = await fetch(`${FIXTURE_ORIGIN}/__requests`);
  return (await res.json()) as FixtureRequestLog;
}

/** Records every value the model progress bar shows, even if it is on screen only briefly. */
export async function recordModelProgress(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __progressSeen: string[] }).__progressSeen = seen;
    new MutationObserver(() => {
      const label = document.querySelector('#model-progress-label, [data-testid=model-progress] p');
      const bar = document.querySelector('[data-testid=model-progress] [role=progressbar]');
      if (label) seen.push(`${bar?.getAttribute('aria-valuenow') ?? ''}|${label.textContent ?? ''}`);
    }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

export async function progressSeen(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __progressSeen: string[] }).__progressSeen ?? []);
}

export class Studio {
  constructor(readonly page: Page) {}

  async open(modelBase = FIXTURE_MODELS, extra = ''): Promise<void> {
    await this.page.goto(`/?models=${encodeURIComponent(modelBase)}${extra}`);
  }

  async waitReady(): Promise<void> {
    await expect(this.page.getByTestId('backend-badge')).toBeVisible({ timeout: 120_000 });
    await expect(this.page.getByTestId('generate')).toBeEnabled();
  }

  text() {
    return this.page.getByTestId('text-input');
  }

  async setText(text: string): Promise<void> {
    await this.text().fill(text);
  }

  async generateAndWait(): Promise<void> {
    await this.page.getByTestId('generate').click();
    await expect(this.page.getByTestId('synthesis-status')).toContainText('Done', { timeout: 240_000 });
  }

  async marks(): Promise<Record<string, number>> {
    return this.page.evaluate(() =>
      Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])),
    );
  }
}
