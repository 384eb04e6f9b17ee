/** Page object for the studio, and helpers shared by the specs. */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

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

/** axe's serious and critical WCAG 2.1 A/AA violations on the page, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join(' | ')}`,
    );
}

export class Studio {
  constructor(readonly page: Page) {}

  /**
   * Opens the studio on `modelBase`. On the webgpu project WebGPU is asked for explicitly
   * (`backend=webgpu`): 'auto' never picks this machine's software adapter. `extra` may
   * carry its own `&backend=…`, which then wins.
   */
  async open(modelBase = FIXTURE_MODELS, extra = ''): Promise<void> {
    const forceWebGpu = test.info().project.name === 'webgpu' && !extra.includes('backend=');
    await this.page.goto(
      `/?models=${encodeURIComponent(modelBase)}${forceWebGpu ? '&backend=webgpu' : ''}${extra}`,
    );
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

  /** Selects a studio tab by the start of its label (a tab may carry a badge such as "● Recording"). */
  async openTab(label: string): Promise<void> {
    const tab = this.page.getByRole('tab', { name: new RegExp(`^${label}`) });
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    // The panel follows (a first visit loads its code and mounts at transition priority).
    const panel = this.page.locator(`#${await tab.getAttribute('aria-controls')}`);
    await expect(panel).toBeVisible();
    await expect(panel.getByTestId('panel-loading')).toHaveCount(0);
  }
}

/** The References and Clone tabs, for the clone specs. */
export class CloneStudio {
  readonly studio: Studio;
  constructor(readonly page: Page) {
    this.studio = new Studio(page);
  }

  /**
   * 'auto' unless `extra` says otherwise: a clone renders hundreds of times, and 'auto' keeps
   * the clone worker off a software WebGPU adapter (as a user's studio would).
   */
  async open(modelBase = FIXTURE_MODELS, extra = ''): Promise<void> {
    await this.studio.open(modelBase, extra.includes('backend=') ? extra : `&backend=auto${extra}`);
  }

  async openTab(name: 'References' | 'Clone' | 'Voices'): Promise<void> {
    await this.page.getByRole('tab', { name, exact: true }).click();
  }

  /** Uploads a file in the References tab, waits for the clean-up, saves it as a clip of the selected (or a new) target. */
  async addReferenceClip(file: string | { name: string; buffer: Buffer }): Promise<void> {
    await this.openTab('References');
    const input = this.page.getByTestId('upload-input');
    if (typeof file === 'string') await input.setInputFiles(file);
    else
      await input.setInputFiles({
        name: file.name,
        mimeType: 'application/octet-stream',
        buffer: file.buffer,
      });
    await expect(this.page.getByTestId('draft-result')).toBeVisible({ timeout: 60_000 });
    const before = await this.page.getByTestId('clip-row').count();
    await this.page.getByTestId('save-clip').click();
    await expect(this.page.getByTestId('clip-row')).toHaveCount(before + 1);
  }

  async setTranscript(text: string): Promise<void> {
    await this.page.getByTestId('target-transcript').fill(text);
    await this.page.getByTestId('target-transcript').blur();
    await expect(this.page.getByTestId('transcript-status')).toHaveText('Transcript saved');
  }

  /** Starts a clone, confirming consent first when the target has none yet. */
  async startClone(): Promise<void> {
    const consent = this.page.getByTestId('clone-consent');
    await expect(consent.or(this.page.getByTestId('clone-consent-given'))).toBeVisible();
    if (await consent.isVisible()) await consent.check();
    await this.page.getByTestId('clone-start').click();
  }

  /** Points in the clone plot (one per search evaluation). */
  async plotPoints(): Promise<number> {
    return Number(await this.page.getByTestId('clone-plot').getAttribute('data-points'));
  }

  /** Waits until the plot has more than `count` points; returns how many it has. */
  async waitPlotAbove(count: number, timeout = 120_000): Promise<number> {
    await expect
      .poll(() => this.plotPoints(), { timeout, message: `plot points above ${count}` })
      .toBeGreaterThan(count);
    return this.plotPoints();
  }

  async waitJobState(state: string, timeout = 240_000): Promise<void> {
    await expect(this.page.getByTestId('clone-job')).toHaveAttribute('data-state', state, { timeout });
  }

  /** The score shown in an A/B row (NaN when it shows none). */
  async abScore(row: 'nearest' | 'instant' | 'best'): Promise<number> {
    const value = await this.page
      .getByTestId(`clone-ab-${row}`)
      .getByTestId('clone-ab-score')
      .getAttribute('data-value');
    return value ? Number(value) : Number.NaN;
  }
}

/**
 * Stops the page's clock (timers, animation frames and Date as the app sees them; Playwright's
 * own waiting is unaffected) so a real-time window such as Undo cannot run out while a busy
 * machine delays the next action. Needs `page.clock.install()` before the page loads.
 */
export async function freezePageClock(page: Page): Promise<void> {
  // pauseAt fast-forwards to a moment that must still be ahead of the page's clock when the
  // call arrives (a busy renderer can take a while): a few seconds ahead, tried again if not.
  for (let attempt = 0; ; attempt++) {
    const now = await page.evaluate(() => Date.now());
    try {
      await page.clock.pauseAt(now + 3_000);
      return;
    } catch (error) {
      if (attempt >= 2 || !String(error).includes('past')) throw error;
    }
  }
}

/**
 * On a frozen page clock (freezePageClock): the toast still offers Undo just before `windowMs`
 * of page time and is gone just after it. runFor also fires the animation frames that mark the
 * toast as on screen.
 */
export async function expectUndoWindowRunsOut(
  page: Page,
  toastTestId: string,
  windowMs: number,
): Promise<void> {
  await page.clock.runFor(windowMs - 500);
  await expect(page.getByTestId(toastTestId)).toBeVisible();
  await page.clock.runFor(1_000);
  await expect(page.getByTestId(toastTestId)).toHaveCount(0);
}

/** The number in the matrix cell of `row` (label prefix) and `column` (exact label). */
export function matrixValue(page: Page, row: string, column: string): Promise<number> {
  return page.evaluate(
    ([r, c]) => {
      const table = document.querySelector('[data-testid=similarity-matrix]')!;
      const heads = Array.from(table.querySelectorAll('thead th'), (h) => h.textContent);
      const rowEl = Array.from(table.querySelectorAll('tbody tr')).find((tr) =>
        tr.querySelector('th')?.textContent?.startsWith(r!),
      );
      return Number(rowEl!.querySelectorAll('td')[heads.indexOf(c!)]!.textContent);
    },
    [row, column],
  );
}
