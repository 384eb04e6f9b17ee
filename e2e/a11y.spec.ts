/**
 * Accessibility: axe (@axe-core/playwright) on every tab of the studio and on Models &
 * settings, with no serious or critical violations; and the tabs work from the keyboard.
 */
import { expect, test } from '@playwright/test';
import { seriousViolations, Studio } from './studio';

test.describe('accessibility', () => {
  test('axe finds no serious violations on any tab or in Models & settings', async ({ page }) => {
    const studio = new Studio(page);
    await studio.open();
    await studio.waitReady();
    const found: Record<string, string[]> = {};
    found.Speak = await seriousViolations(page);
    for (const tab of ['Voices', 'References', 'Clone'] as const) {
      await studio.openTab(tab);
      await expect(page.getByRole('tabpanel', { name: tab })).toBeVisible();
      found[tab] = await seriousViolations(page);
    }
    await page.getByRole('button', { name: 'Models & settings' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    found['Models & settings'] = await seriousViolations(page);
    expect(found).toEqual({ Speak: [], Voices: [], References: [], Clone: [], 'Models & settings': [] });
  });

  test('the tabs are reached and switched from the keyboard, and focus stays visible', async ({ page }) => {
    const studio = new Studio(page);
    await studio.open();
    await studio.waitReady();
    const speak = page.getByRole('tab', { name: 'Speak' });
    await speak.focus();
    for (const next of ['Voices', 'References', 'Clone']) {
      await page.keyboard.press('ArrowRight');
      const tab = page.getByRole('tab', { name: next, exact: true });
      await expect(tab).toBeFocused();
      await expect(tab).toHaveAttribute('aria-selected', 'true');
    }
    await page.keyboard.press('Home');
    await expect(speak).toBeFocused();
    await expect(speak).toHaveAttribute('aria-selected', 'true');
  });
});
