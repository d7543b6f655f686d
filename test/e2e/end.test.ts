// The end settles, in Chromium on both seed plans (MTTQ: centre, two central-side points, 63 provinces;
// Đồng Nai: province + 11 districts; one hub and one browser for both): the host ends the conference; the floor
// timer and lower third stop, the floor controls go, every point reads "Đã kết thúc" (not reconnecting) on the
// console, the technician's page says the conference ended, and the host opens the report from its own session
// (no typed header): the printable page styled, and the connection tests by level. Screenshots at 1920×1080
// (host) and 1366×768 (technician) go to /tmp/shots/ (or DIEMCAU_SHOTS).
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../shared/domain.ts';
import type { Hub } from '../../server/hub.ts';
import { connect } from '../../scripts/lib/hub-client.ts';
import { openPage } from '../helpers/browser.ts';
import { hubAndBrowser } from '../helpers/test-hub.ts';

const SHOTS = process.env['DIEMCAU_SHOTS'] ?? '/tmp/shots';
const FULL_HD = { width: 1920, height: 1080 };
const LAPTOP = { width: 1366, height: 768 };

/** Per plan: the points, the remote ones (all but the centre), and the level whose row the report menu shows. */
const PLANS = [
  {
    plan: 'MTTQ',
    slug: 'mttq',
    conference: 'mttq-giam-sat-bau-cu-dot-1',
    centre: 'trung-uong',
    speaker: 'an-giang',
    tested: 'cao-bang',
    points: 66,
    remote: 65,
    level: { id: 'province', name: 'Tỉnh', points: 63 },
  },
  {
    plan: 'Đồng Nai',
    slug: 'dong-nai',
    conference: 'dong-nai-tap-huan-bau-cu',
    centre: 'tinh-dong-nai',
    speaker: 'xuan-loc',
    tested: 'cam-my',
    points: 12,
    remote: 11,
    level: { id: 'district', name: 'Huyện', points: 11 },
  },
] as const;

let hub: Hub;
let url: string;
let browser: Browser;

hubAndBrowser((started) => ({ hub, url, browser } = started), [SHOTS]);

describe.each(PLANS)('the end settles: $plan', (plan) => {
  const { slug, conference: CONFERENCE, centre: CENTRE, speaker: SPEAKER, level } = plan;
  const pageErrors: string[] = [];
  const credential = (pointId: string, role: Role): Promise<{ token: string; code: string }> =>
    hub.credentials.issue({ conferenceId: CONFERENCE, pointId, role }, 3600);
  const open = (label: string, path: string, viewport: { width: number; height: number }): Promise<Page> =>
    openPage(browser, `${url}${path}`, pageErrors, label, undefined, viewport);
  const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}-${slug}.png`) });

  it('stops the floor, shows every point ended, and opens the report from the console', async () => {
    const host = await open('host', `/?video=360#token=${(await credential(CENTRE, 'host')).token}`, FULL_HD);
    await host.locator('.host-console').waitFor({ timeout: 20_000 });
    await host.click('[data-action="start"]');
    await host.locator('.badge.status[data-status="live"]').waitFor({ timeout: 10_000 });
    const point = await open('technician', `/?video=360&code=${(await credential(SPEAKER, 'technician')).code}`, LAPTOP);
    await point.locator('.point-console').waitFor({ timeout: 20_000 });
    // A readiness result for one province (district), so the by-level count has something in it.
    const tester = await connect(url, { token: (await credential(plan.tested, 'technician')).token });
    await tester.call('readiness.report', {
      signallingRoundTripMs: 20,
      send: { bitrateKbps: 1500, lossPercent: 0, jitterMs: 3, roundTripMs: 20 },
      receive: { bitrateKbps: 1500, lossPercent: 0, jitterMs: 3, roundTripMs: 20 },
      microphoneLevelDb: -30,
    });
    tester.close();
    await host.locator(`.tile[data-point-id="${SPEAKER}"] [data-action="grant"]`).dispatchEvent('click');
    await host.locator('.floor-countdown').waitFor({ state: 'visible', timeout: 10_000 });

    await host.click('[data-tab="agenda"]');
    await host.locator('.agenda-item [data-action="goto"]').first().click();
    await host.locator('.agenda-elapsed').waitFor({ timeout: 10_000 });

    host.once('dialog', (dialog) => void dialog.accept());
    await host.click('[data-action="end"]');
    await host.locator('.badge.status[data-status="ended"]').waitFor({ timeout: 10_000 });
    // The floor is back at the centre with its countdown and controls gone; the lower third is off.
    await host.locator('.floor-countdown').waitFor({ state: 'hidden', timeout: 10_000 });
    expect(await host.locator('.stage .lower-third').isHidden()).toBe(true);
    expect(await host.locator('[data-action="end"]').isHidden()).toBe(true);
    expect(await host.locator('input[name="floor-seconds"]').isDisabled()).toBe(true);
    // The agenda stands still: no elapsed time counting on, nothing to move to.
    await host.locator('.agenda-elapsed').waitFor({ state: 'detached', timeout: 10_000 });
    expect(await host.locator('.agenda-item [data-action="goto"]:visible').count()).toBe(0);

    // Every point ended, not reconnecting, on the console; the point's own page says the conference ended.
    const points = hub.conferences.get(CONFERENCE)?.view().points ?? [];
    expect(points.length).toBe(plan.points);
    expect(points.filter((p) => p.connection !== 'ended').map((p) => p.id)).toEqual([]);
    await host.locator('[data-tab="attendance"]').dispatchEvent('click');
    await host.locator(`[data-conn="ended"]`).first().waitFor({ timeout: 10_000 });
    expect(await host.locator('[data-conn="reconnecting"]').count()).toBe(0);
    await point.locator('.badge.status[data-status="ended"]').waitFor({ timeout: 10_000 });
    expect(await point.locator('.badge.link').isHidden()).toBe(true);
    await shot(point, 'end-point-1366');

    // The report menu opens by itself at the end, with the connection tests by level.
    const menu = host.locator('.report-menu[open]');
    await menu.waitFor({ timeout: 10_000 });
    const total = host.locator('.report-levels tr[data-level="total"]');
    const remote = plan.remote;
    expect((await total.innerText()).split(/\s+/)).toEqual(['Tổng', 'cộng', `${remote}`, '1', '0', `${remote - 1}`]);
    expect((await host.locator(`.report-levels tr[data-level="${level.id}"]`).innerText()).split(/\s+/)).toEqual([
      level.name,
      `${level.points}`,
      '1',
      '0',
      `${level.points - 1}`,
    ]);
    await shot(host, 'end-host-report-menu');

    const [report] = await Promise.all([host.context().waitForEvent('page'), host.click('[data-report="page"]')]);
    await report.waitForURL(/^blob:/, { timeout: 10_000 });
    await report.locator('h1').waitFor({ timeout: 10_000 });
    expect(await report.locator('h1').textContent()).toContain('BÁO CÁO');
    // Styled by the hub's /api/report.css (the page's inline style cannot run from a blob): the title centred.
    expect(await report.evaluate("getComputedStyle(document.querySelector('h1')).textAlign")).toBe('center');
    const css = await fetch(`${url}/api/report.css`);
    expect(css.headers.get('content-type')).toContain('text/css');
    await report.setViewportSize(FULL_HD);
    await shot(report, 'end-report-page');
    expect(pageErrors).toEqual([]);
    // This plan's pages go, so the next plan's run has the machine to itself.
    for (const page of [host, point]) await page.context().close();
  }, 120_000);
});
