// Chromium for benchmarks: Debian's browser (CHROMIUM_PATH overrides) through playwright-core, headless with
// a fake camera and microphone and autoplay allowed, and the client built when its sources are newer than
// the build. Small on purpose: the browser tests have their own helpers, which scripts do not import.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Debian's Chromium as the tests and benchmarks run it: headless, fake camera and microphone, autoplay allowed. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

const FLAGS = [
  ...CHROMIUM_FLAGS,
  // Pages in background tabs must not be throttled: every display is "on screen".
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', headless: true, args: FLAGS });
}

/** Builds dist/client when it is missing or older than a file under client/ (and stamps it, as setup does). */
export function buildClientIfStale(): void {
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
      ),
    );
  const stamp = join(ROOT, 'dist/client/index.html');
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= newest(join(ROOT, 'client'))) return;
  execFileSync(join(ROOT, 'node_modules/.bin/vite'), ['build', '--config', 'client/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  writeFileSync(join(ROOT, 'dist/client/.built'), '');
}

/** A page in its own context (its own renderer, as a separate PC would be), camera and microphone allowed. */
export async function openPage(browser: Browser, url: string, errors: string[], label: string, init?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, permissions: ['camera', 'microphone'] });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(`${label}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${label} console: ${message.text().split('\n')[0]}`);
  });
  await page.goto(url);
  return page;
}
