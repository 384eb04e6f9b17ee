/**
 * How the browser tests and the browser benchmarks launch Chromium: machines without internet
 * cannot download Playwright's browser, so Debian's is used when present; and the flags every
 * run shares (no background traffic, autoplay, a fake microphone). No side effects: both
 * playwright.config.ts and bench/memory.ts import it.
 */
import { existsSync } from 'node:fs';

export const SYSTEM_CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium when installed, else Playwright's own (undefined). */
export function chromiumExecutable(): string | undefined {
  return existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined;
}

export const CHROMIUM_BASE_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
];
