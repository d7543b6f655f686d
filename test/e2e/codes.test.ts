// Join codes from the host console in Chromium, for both seed plans (Đồng Nai: province + 11 districts; MTTQ:
// centre, two central-side points, 63 provinces): the host gives a point's technician (Xuân Lộc, Hà Nội) a new
// code in one click; the console shows it with its link and a QR code that decodes (jsQR on the canvas's pixels)
// to that link; the old technician page's session ends at once and a second page joins with the new code; "codes
// for the day" opens a Vietnamese sheet with every point of the conference, its codes, links and QR codes (12
// points for Đồng Nai, 66 for MTTQ), one A4 page per point when printed; no CSP violation anywhere. One hub and
// one browser for both plans. Screenshots go to /tmp/shots/ (or DIEMCAU_SHOTS).
import { join } from 'node:path';
import jsqrModule from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import type { Role } from '../../shared/domain.ts';
import type { Hub } from '../../server/hub.ts';
import { hubAndBrowser } from '../helpers/test-hub.ts';

/** jsqr is CommonJS with an ES default: the function itself, or under `default` where the loader wraps it. */
const jsQR = ((jsqrModule as unknown as { default?: typeof jsqrModule }).default ?? jsqrModule) as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

const SHOTS = process.env['DIEMCAU_SHOTS'] ?? '/tmp/shots';
const FULL_HD = { width: 1920, height: 1080 };
const LAPTOP = { width: 1366, height: 768 };

let hub: Hub;
let url: string;
let browser: Browser;

const PLANS = [
  {
    plan: 'Đồng Nai',
    slug: 'dong-nai',
    conference: 'dong-nai-tap-huan-bau-cu',
    centre: 'tinh-dong-nai',
    point: 'xuan-loc',
    pointName: 'Điểm cầu huyện Xuân Lộc',
    level: 'Huyện',
    other: 'bien-hoa',
    count: 12,
  },
  {
    plan: 'MTTQ',
    slug: 'mttq',
    conference: 'mttq-giam-sat-bau-cu-dot-1',
    centre: 'trung-uong',
    point: 'ha-noi',
    pointName: 'Ủy ban MTTQ Việt Nam thành phố Hà Nội',
    level: 'Tỉnh',
    other: 'an-giang',
    count: 66,
  },
] as const;

/** What one plan's pages recorded: page errors, CSP violations, every confirmation asked (accepted), the pages. */
interface Recorded {
  errors: string[];
  violations: string[];
  dialogs: string[];
  pages: Page[];
}

/** A page in its own context (its own storage), recording CSP violations and page errors; dialogs accepted. */
async function open(record: Recorded, label: string, path: string, viewport = LAPTOP): Promise<Page> {
  const { errors, violations, dialogs, pages } = record;
  const context = await browser.newContext({ viewport, permissions: ['camera', 'microphone'] });
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => {
    (window.__csp ??= []).push(e.violatedDirective + ' ' + e.blockedURI);
  });`);
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(`${label}: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(`${label}: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.accept();
  });
  await page.goto(`${url}${path}`);
  pages.push(page);
  return page;
}

/** Waits until `expression` is true in the page (evaluated by the browser's devtools, so the page's CSP allows it). */
async function until(page: Page, expression: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The QR canvas's pixels decoded by jsQR. */
async function decodeQr(page: Page, selector: string): Promise<string | null> {
  const image = (await page.evaluate(`(() => {
    const canvas = document.querySelector(${JSON.stringify(selector)});
    const data = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height);
    return data ? { width: data.width, height: data.height, pixels: Array.from(data.data) } : null;
  })()`)) as { width: number; height: number; pixels: number[] } | null;
  if (!image) return null;
  return jsQR(Uint8ClampedArray.from(image.pixels), image.width, image.height)?.data ?? null;
}

hubAndBrowser((started) => ({ hub, url, browser } = started), [SHOTS], 180_000);

describe.each(PLANS)('codes and links from the console: $plan', ({ slug, conference: CONF, centre: CENTRE, point: POINT, ...plan }) => {
  let host: Page;
  const record: Recorded = { errors: [], violations: [], dialogs: [], pages: [] };
  const { errors, violations, dialogs, pages } = record;
  const issue = (pointId: string, role: Role) => hub.credentials.issue({ conferenceId: CONF, pointId, role }, 3600);
  const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}-${slug}.png`) });

  it('reissues a technician code: the old session ends, the QR code decodes to the link, a second page joins with it', async () => {
    host = await open(record, 'host', `/?code=${(await issue(CENTRE, 'host')).code}`, FULL_HD);
    await host.waitForSelector('[data-view="host"]');
    const old = await open(record, 'old technician', `/?code=${(await issue(POINT, 'technician')).code}`);
    await old.waitForSelector('[data-view="point"]');

    await host.click('[data-tab="codes"]');
    const row = `.codes-point[data-point-id="${POINT}"] .codes-row[data-role="technician"]`;
    await until(host, `document.querySelector(${JSON.stringify(row)})?.textContent?.includes('Đã dùng lúc')`);
    await host.click(`${row} [data-action="reissue"]`);
    const card = await host.waitForSelector(`.codes-card[data-point-id="${POINT}"][data-role="technician"]`);
    const code = (await card.getAttribute('data-code')) ?? '';
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await host.textContent('[data-fresh="code"]')).toBe(code);
    const link = `${url}/?code=${code}`;
    expect(await host.textContent('[data-fresh="link"]')).toBe(link);
    await until(host, `(document.querySelector('.codes-card canvas')?.width ?? 0) > 0`);
    expect(await decodeQr(host, '.codes-card canvas')).toBe(link);

    await old.waitForSelector('.notice');
    expect(await old.textContent('.notice')).toContain('Một kết nối mới của điểm cầu này đã thay thế kết nối này.');

    const second = await open(record, 'new technician', `/?code=${code}`);
    await second.waitForSelector('[data-view="point"]');
    await until(host, `document.querySelector(${JSON.stringify(row)})?.textContent?.includes('Đã dùng lúc')`);
    expect(await host.textContent(`.codes-card h3`)).toBe(`Mã mới cho Kỹ thuật viên – ${plan.pointName}`);
    await shot(host, 'codes-host-1920');
    await host.setViewportSize(LAPTOP);
    await shot(host, 'codes-host-1366');
    await host.setViewportSize(FULL_HD);
  }, 120_000);

  it('prints the day’s codes: every point of the conference with its codes, links and QR codes, in Vietnamese', async () => {
    const conference = hub.conferences.get(CONF);
    if (!conference) throw new Error('no demo conference');
    await host.click('[data-action="issue-all"]');
    await host.waitForSelector('#print .print-point');
    const points = (await host.evaluate(`[...document.querySelectorAll('#print .print-point')].map((el) => ({
      pointId: el.dataset.pointId,
      name: el.querySelector('.print-name')?.textContent,
      roles: [...el.querySelectorAll('.print-code')].map((c) => [c.dataset.role, c.dataset.code]),
    }))`)) as Array<{ pointId: string; name: string; roles: Array<[string, string]> }>;
    expect(points.map((p) => p.pointId)).toEqual(conference.spec.points.map((p) => p.id));
    expect(points.length).toBe(plan.count);
    expect(points[0]?.pointId).toBe(CENTRE);
    expect(points[0]?.roles.map(([role]) => role)).toEqual(['viewer']);
    // The centre and the central-side points (MTTQ's two co-host points) have no technician nor secretary.
    const centralSide = new Set(conference.spec.points.filter((p) => p.centralSide).map((p) => p.id));
    for (const p of points.slice(1)) {
      const roles = centralSide.has(p.pointId) ? ['viewer'] : ['technician', 'secretary', 'viewer'];
      expect(
        p.roles.map(([role]) => role),
        p.pointId,
      ).toEqual(roles);
    }
    expect(points.find((p) => p.pointId === POINT)?.name).toBe(`${plan.pointName} (${plan.level})`);
    const text = (await host.textContent('#print')) ?? '';
    for (const words of ['MÃ THAM GIA HỘI NGHỊ', 'Kỹ thuật viên', 'Thư ký', 'Màn hình phòng họp', 'Dùng một lần', conference.spec.title]) {
      expect(text.toUpperCase()).toContain(words.toUpperCase());
    }
    const [, secretary] = points.find((p) => p.pointId === plan.other)?.roles.find(([role]) => role === 'secretary') ?? [];
    const selector = `#print .print-point[data-point-id="${plan.other}"] .print-code[data-role="secretary"] canvas`;
    await until(host, `(document.querySelector(${JSON.stringify(selector)})?.width ?? 0) > 0`);
    expect(await decodeQr(host, selector)).toBe(`${url}/?code=${secretary}`);
    await shot(host, 'codes-print-sheet-1920');

    await host.emulateMedia({ media: 'print' });
    await shot(host, 'codes-print-media');
    const pdf = (await host.pdf({ format: 'A4' })).toString('latin1');
    expect(pdf.match(/\/Type\s*\/Page[^s]/g)?.length).toBe(conference.spec.points.length);
    await host.emulateMedia({ media: 'screen' });
  }, 120_000);

  it('had no CSP violation, page error or English dialog on any page', async () => {
    for (const page of pages) {
      if (page.isClosed()) continue;
      violations.push(...((await page.evaluate('window.__csp ?? []')) as string[]));
    }
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    expect(dialogs.length).toBeGreaterThanOrEqual(2);
    for (const message of dialogs) expect(message).toMatch(/[ạảấầẩẫậắằẳẵặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữựđ]/);
    expect(dialogs[0]).toContain('máy đang dùng mã cũ sẽ bị ngắt');
  });
});
