// The monitoring wall at national size in Chromium: the MTTQ host console (centre + 2 central-side points +
// 63 provinces) with a few points connected as headless SRTP points. At 1920×1080 every point's name is on
// screen at once (in the viewport, not clipped, nothing scrolled); at a technician's 1366×768 at least 24
// are, and the hub is told which tiles are on screen (wall.visible) so it sends video for those only.
// Saves docs/screenshots/host-console-1920.png when DIEMCAU_DOC_SHOTS=1 (a plain run leaves the tree clean).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../server/hub.ts';
import { HeadlessPoint } from '../../scripts/lib/headless/point.ts';
import { ensureClientBuilt, launch, openPage } from '../helpers/browser.ts';
import { startHub } from '../helpers/test-hub.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'test-results/e2e');
const CONFERENCE = 'mttq-giam-sat-bau-cu-dot-1';
const CENTRE = 'trung-uong';
/** Connected as headless technicians (the rest never connect): two publish video. */
const ONLINE = ['an-giang', 'ha-noi', 'da-nang', 'can-tho', 'ca-mau', 'lao-cai'] as const;
const PUBLISHING = ['ha-noi', 'an-giang'] as const;

let hub: Hub;
let url: string;
let browser: Browser;
let host: Page;
const headless: HeadlessPoint[] = [];
const pageErrors: string[] = [];

/** Every point name the page shows in full on screen: wall tiles whose short name is not clipped, and the header. */
const NAMES_ON_SCREEN = `(() => {
  const vw = innerWidth, vh = innerHeight;
  const inView = (r) => r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= vw && r.bottom <= vh;
  const grid = document.querySelector('.wall-grid');
  const box = grid.getBoundingClientRect();
  const names = [];
  for (const tile of document.querySelectorAll('.wall .tile')) {
    const name = tile.querySelector('.tile-name');
    const r = name.getBoundingClientRect();
    const insideWall = r.top >= box.top && r.bottom <= box.bottom && r.left >= box.left && r.right <= box.right;
    if (!tile.hidden && inView(r) && insideWall && name.scrollWidth <= name.clientWidth && name.textContent) names.push(tile.title);
  }
  const who = document.querySelector('.header-who');
  return {
    names,
    who: inView(who.getBoundingClientRect()) ? who.textContent : '',
    wallScrolled: grid.scrollTop,
    wallOverflows: grid.scrollHeight > grid.clientHeight,
    pageOverflows: document.documentElement.scrollHeight > vh || document.documentElement.scrollWidth > vw,
  };
})()`;

interface OnScreen {
  names: string[];
  who: string;
  wallScrolled: number;
  wallOverflows: boolean;
  pageOverflows: boolean;
}

/** The host session's visible set as the hub keeps it. */
function hubVisible(): number | undefined {
  const session = hub.conferences
    .get(CONFERENCE)
    ?.sessions()
    .find((s) => s.role === 'host');
  return session?.wallVisible?.size;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  ensureClientBuilt();
  ({ hub, url } = await startHub());
  browser = await launch();
  for (const pointId of ONLINE) {
    const { token } = await hub.credentials.issue({ conferenceId: CONFERENCE, pointId, role: 'technician' }, 3600);
    const point = await HeadlessPoint.join(url, token, { label: pointId, maxSendMs: 120_000 });
    headless.push(point);
    if ((PUBLISHING as readonly string[]).includes(pointId)) await point.publish({ audio: true, video: true });
    await point.call('attendance.report', { present: 20 + headless.length, groups: {} });
  }
  await headless[0]?.call('floor.request', { note: '' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(headless.map((p) => p.close()));
  await hub?.close('test over');
}, 60_000);

describe('the wall at national size (MTTQ, 66 points)', () => {
  it('at 1920×1080 every point name is on screen at once, nothing scrolled', async () => {
    const { token } = await hub.credentials.issue({ conferenceId: CONFERENCE, pointId: CENTRE, role: 'host' }, 3600);
    host = await openPage(browser, `${url}/?video=360#token=${token}`, pageErrors, 'host', undefined, { width: 1920, height: 1080 });
    await host.locator('.wall .tile').nth(64).waitFor({ timeout: 20_000 });
    // Headless points send marked packets, not pictures: the wall's consumer arriving is what is checked here
    // (test/e2e/browser-client.test.ts sees real tiles play).
    for (const pointId of PUBLISHING) await host.locator(`.tile[data-point-id="${pointId}"][data-video="on"]`).waitFor({ timeout: 30_000 });
    await host
      .locator('.wall-summary [data-figure="connected"] .sum-value')
      .filter({ hasText: `${ONLINE.length}/65` })
      .waitFor();
    await host.locator(`.tile[data-point-id="${ONLINE[0]}"].raised`).waitFor();
    await host.waitForTimeout(500); // fonts and the wide tiles settle
    if (process.env['DIEMCAU_DOC_SHOTS']) await host.screenshot({ path: join(ROOT, 'docs/screenshots/host-console-1920.png') });

    const seen = (await host.evaluate(NAMES_ON_SCREEN)) as OnScreen;
    const spec = hub.conferences.get(CONFERENCE)?.view().points ?? [];
    expect(spec).toHaveLength(66);
    const remote = spec.filter((p) => p.id !== CENTRE).map((p) => p.name);
    expect(seen.names.sort()).toEqual(remote.sort());
    expect(seen.who).toContain('Điểm cầu Trung ương');
    expect(seen).toMatchObject({ wallScrolled: 0, wallOverflows: false, pageOverflows: false });
    expect(await host.locator('.wall-summary [data-figure="hands"] .sum-value').innerText()).toBe('1');
    // Every tile is on screen, and the hub was told so.
    await until(() => hubVisible() === 65, 'the hub to know all 65 tiles are shown');
  }, 120_000);

  it('at 1366×768 at least 24 names are on screen, and only those tiles are asked for', async () => {
    await host.setViewportSize({ width: 1366, height: 768 });
    await host.waitForTimeout(800);
    await host.screenshot({ path: join(OUT, 'host-wall-1366.png') });
    const seen = (await host.evaluate(NAMES_ON_SCREEN)) as OnScreen;
    expect(seen.names.length).toBeGreaterThanOrEqual(24);
    expect(seen.pageOverflows).toBe(false);
    await until(() => (hubVisible() ?? 65) < 65, 'the hub to drop the tiles scrolled out of view');
    const visible = hubVisible() ?? 0;
    expect(visible).toBeGreaterThanOrEqual(seen.names.length);
    expect(visible).toBeLessThanOrEqual(seen.names.length + 12); // plus tiles partly in view
  }, 60_000);

  it('filters, list view, problems first, and the controls reachable by keyboard', async () => {
    await host.selectOption('select[name="wall-level"]', 'central');
    await until(async () => (await host.locator('.wall .tile:not([hidden])').count()) === 2, 'two central-side tiles');
    await host.selectOption('select[name="wall-level"]', '');
    await host.selectOption('select[name="wall-state"]', 'raised');
    await until(async () => (await host.locator('.wall .tile:not([hidden])').count()) === 1, 'one raised hand');
    await host.selectOption('select[name="wall-state"]', 'all');
    await host.click('.wall-modes [data-mode="list"]');
    expect(await host.locator('.wall').getAttribute('data-mode')).toBe('list');
    await host.screenshot({ path: join(OUT, 'host-wall-list-1366.png') });
    await host.click('.wall-modes [data-mode="grid"]');
    const grant = host.locator(`.tile[data-point-id="${ONLINE[1]}"] [data-action="grant"]`);
    await grant.focus();
    expect(await host.evaluate('getComputedStyle(document.activeElement.parentElement).opacity')).toBe('1');
    await host.keyboard.press('Enter');
    await host.locator(`.tile[data-point-id="${ONLINE[1]}"].speaking`).waitFor({ timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
