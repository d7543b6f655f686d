// The organiser page in Chromium, from nothing to the day (issue #15): the first account made with the CLI
// signs in; a new conference is created from scratch with the Đồng Nai plan's title, dates and banner; its
// points come from an .xlsx the test writes (the province hall and its 11 districts, Vietnamese headers, one
// bad row whose problem is shown in Vietnamese with its spreadsheet row); the province becomes the central
// point and the placeholder is removed; two agenda items; saved; the banner preview says what the halls will
// show (checked against a real room display of a district); the day's codes are issued and printed; then the
// host and a district's technician join with the printed codes and see that conference. No page error, no CSP
// violation. Screenshots go to /tmp/shots/ (or DIEMCAU_SHOTS).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import writeXlsxFile from 'write-excel-file/node';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConferenceSpec } from '../../shared/domain.ts';
import type { Hub } from '../../server/hub.ts';
import { runCli } from '../../server/cli.ts';
import { hubAndBrowser } from '../helpers/test-hub.ts';

const SHOTS = process.env['DIEMCAU_SHOTS'] ?? '/tmp/shots';
const FULL_HD = { width: 1920, height: 1080 };
const LAPTOP = { width: 1366, height: 768 };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const seed = JSON.parse(
  readFileSync(new URL('../../config/demo/dong-nai-tap-huan-bau-cu.json', import.meta.url), 'utf8'),
) as ConferenceSpec;
const province = seed.points.find((p) => p.level === 'province');
const districts = seed.points.filter((p) => p.level === 'district');
const CONF = 'dong-nai-tap-huan-2026';
const PROVINCE_ID = 'diem-cau-tinh-dong-nai';
const XUAN_LOC = 'diem-cau-huyen-xuan-loc';
const BANNER = 'Tập huấn nghiệp vụ bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân các cấp';
const USER = 'vanphong';
const PASSWORD = 'mat-khau-thu-nghiem-15';

let hub: Hub;
let url: string;
let browser: Browser;
const errors: string[] = [];
const pages: Page[] = [];

hubAndBrowser((started) => ({ hub, url, browser } = started), [SHOTS], 180_000);
afterAll(async () => {
  for (const page of pages) await page.context().close();
});

/** A page in its own context, recording page errors and CSP violations; confirmations accepted. */
async function open(label: string, path: string, viewport = FULL_HD): Promise<Page> {
  const context = await browser.newContext({ viewport, permissions: ['camera', 'microphone'], locale: 'vi-VN' });
  const page = await context.newPage();
  pages.push(page);
  page.on('pageerror', (error) => errors.push(`${label}: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) errors.push(`${label}: ${message.text()}`);
  });
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(`${url}${path}`);
  return page;
}

const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`) });
const text = async (page: Page, selector: string): Promise<string> => ((await page.textContent(selector)) ?? '').trim();

/** The province's list as an office keeps it: no ids, Vietnamese headers and levels, parents by name, a bad row. */
function spreadsheet(): Promise<Buffer> {
  const header = ['STT', 'Tên điểm cầu', 'Cấp', 'Trực thuộc', 'Địa điểm', 'Người chủ trì', 'Số đại biểu'];
  const hall = province as (typeof seed.points)[number];
  const rows: Array<Array<string | number>> = [[1, hall.name, 'Tỉnh', '', hall.venue, hall.presiding, hall.expectedAttendance]];
  for (const [i, d] of districts.entries()) {
    const level = /thành phố/i.test(d.name) ? 'Thành phố thuộc tỉnh' : 'Huyện';
    rows.push([i + 2, d.name, level, hall.name, d.venue, d.presiding, d.expectedAttendance]);
  }
  rows.push([13, 'Tổ dân phố 5', 'Thôn', hall.name, '', '', 20]);
  return writeXlsxFile([header, ...rows]).toBuffer();
}

describe('organiser page: the Đồng Nai conference from nothing', () => {
  let organiser: Page;
  let codes: Array<{ pointId: string; role: string; code: string }> = [];

  it('makes the first account with the CLI, signs in, and creates the conference from scratch', async () => {
    const out: string[] = [];
    const env = { DIEMCAU_DATA_DIR: dirname(hub.db.file), DIEMCAU_ORGANISER_PASSWORD: PASSWORD };
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t) };
    expect(await runCli(['organiser', 'add', USER, '--name', 'Văn phòng UBND tỉnh', '--admin'], env, io)).toBe(0);

    organiser = await open('organiser', '/organiser.html');
    await organiser.fill('form.org-signin input[name=username]', USER);
    await organiser.fill('form.org-signin input[name=password]', 'sai-mat-khau-123');
    await organiser.click('[data-action=sign-in]');
    await organiser.waitForSelector('.org-signin-error[data-reason="organiser.signin_failed"]');
    expect(await text(organiser, '.org-signin-error')).toBe('Tên đăng nhập hoặc mật khẩu không đúng.');
    await organiser.fill('form.org-signin input[name=password]', PASSWORD);
    await organiser.click('[data-action=sign-in]');
    await organiser.waitForSelector('body[data-signed-in] .org-list');
    await shot(organiser, 'organiser-list-1920');

    await organiser.click('[data-action=create]');
    await organiser.check('input[name=source][value=blank]');
    await organiser.fill('[data-field=title]', seed.title);
    await organiser.fill('[data-field=id]', CONF);
    await organiser.fill('[data-field=startsAt] input[name=date]', '2026-12-20');
    await organiser.fill('[data-field=startsAt] input[name=time]', '08:00');
    await organiser.click('[data-action=continue]');
    await organiser.waitForSelector('.org-editor [data-field=banner]');
  }, 60_000);

  it('imports the points from the province’s .xlsx, with the bad row named in Vietnamese', async () => {
    await organiser.click('button[role=tab][data-tab=points]');
    await organiser.setInputFiles('input[data-action=import-file]', {
      name: 'diem-cau-dong-nai.xlsx',
      mimeType: XLSX,
      buffer: await spreadsheet(),
    });
    await organiser.waitForSelector('[data-import=preview]');
    expect(await organiser.locator('.orgp-preview tr[data-point-id]').count()).toBe(12);
    const problems = organiser.locator('.orgp-problems li[data-row]');
    expect(await problems.count()).toBe(1);
    expect(await problems.first().getAttribute('data-row')).toBe('14');
    expect(await problems.first().textContent()).toContain('Dòng 14, cột Cấp');
    await shot(organiser, 'organiser-import-1920');
    await organiser.click('[data-action=import-confirm]');
    await organiser.waitForSelector(`.orgp-tree tr[data-point-id="${XUAN_LOC}"][data-level=district]`);

    // The province hall becomes the central point; the blank conference's placeholder goes.
    await organiser.click('button[role=tab][data-tab=general]');
    await organiser.selectOption('[data-field=centralPointId]', PROVINCE_ID);
    await organiser.click('button[role=tab][data-tab=points]');
    await organiser.click('.orgp-tree tr[data-point-id=trung-tam] [data-action=remove-point]');
    await organiser.waitForSelector('.orgp-tree tr[data-point-id=trung-tam]', { state: 'detached' });
    expect(await organiser.locator('.orgp-tree tbody tr[data-point-id]').count()).toBe(12);
    expect(await organiser.getAttribute('.orgp-count[data-level=district]', 'data-count')).toBe('11');
    await shot(organiser, 'organiser-points-1920');
  }, 60_000);

  it('fills the general tab and the agenda, previews the banner and saves', async () => {
    await organiser.click('button[role=tab][data-tab=general]');
    await organiser.fill('[data-field=organiser]', seed.organiser);
    await organiser.fill('[data-field=content]', seed.content);
    await organiser.fill('[data-field=rehearsalAt] input[name=date]', '2026-12-18');
    await organiser.fill('[data-field=rehearsalAt] input[name=time]', '14:00');
    await organiser.fill('[data-field=banner]', BANNER);
    await organiser.fill('[data-field=floorSeconds]', '7');
    const preview = '.org-banner-frame';
    expect(await text(organiser, `${preview} .banner-subject`)).toBe(BANNER);
    expect(await text(organiser, `${preview} .banner-region`)).toBe('TỈNH ĐỒNG NAI');
    await organiser.selectOption('[data-field=previewPoint]', XUAN_LOC);
    expect(await text(organiser, `${preview} .banner-region`)).toBe('HUYỆN XUÂN LỘC');
    expect(await text(organiser, `${preview} .banner-date`)).toBe('Xuân Lộc, ngày 20 tháng 12 năm 2026');
    await shot(organiser, 'organiser-general-1920');

    await organiser.click('button[role=tab][data-tab=agenda]');
    for (const [i, item] of seed.agenda.slice(0, 2).entries()) {
      await organiser.click('[data-action=add-item]');
      await organiser.fill(`[data-field="agenda.${i}.title"]`, item.title);
      await organiser.fill(`[data-field="agenda.${i}.plannedMinutes"]`, String(item.plannedMinutes));
    }
    await organiser.click('[data-action=save]');
    await organiser.waitForSelector('.org-save-state[data-state=saved]');
    await organiser.waitForSelector(`.org-editor[data-conference="${CONF}"]`);

    const stored = hub.conferences.get(CONF)?.spec;
    expect(stored).toMatchObject({
      title: seed.title,
      banner: BANNER,
      organiser: seed.organiser,
      centralPointId: PROVINCE_ID,
      floorSeconds: 420,
    });
    expect(stored?.startsAt).toMatch(/^2026-12-20T08:00/);
    expect(stored?.rehearsalAt).toMatch(/^2026-12-18T14:00/);
    expect(stored?.points.map((p) => p.id)).toHaveLength(12);
    expect(stored?.points.filter((p) => p.parentId === PROVINCE_ID)).toHaveLength(11);
    expect(stored?.agenda.map((a) => a.title)).toEqual(seed.agenda.slice(0, 2).map((a) => a.title));
  }, 60_000);

  it('issues the day’s codes and prints the sheet', async () => {
    await organiser.click('button[role=tab][data-tab=codes]');
    await organiser.click('[data-action=issue-all]');
    await organiser.waitForSelector('#print .print-point');
    codes = (await organiser.evaluate(`[...document.querySelectorAll('#print .print-code')].map((el) => ({
      pointId: el.closest('.print-point').dataset.pointId, role: el.dataset.role, code: el.dataset.code,
    }))`)) as typeof codes;
    expect(new Set(codes.map((c) => c.pointId)).size).toBe(12);
    expect(codes.some((c) => c.pointId === PROVINCE_ID && c.role === 'host')).toBe(true);
    expect(await text(organiser, '#print')).toContain(seed.title);
    await shot(organiser, 'organiser-codes-sheet-1920');
    await organiser.click('[data-action=close-print]');
    await organiser.setViewportSize(LAPTOP);
    await shot(organiser, 'organiser-codes-1366');
  }, 60_000);

  it('the host and a district join with the printed codes and see that conference; the hall shows the previewed banner', async () => {
    const code = (pointId: string, role: string): string => codes.find((c) => c.pointId === pointId && c.role === role)?.code ?? '';
    const host = await open('host', `/?code=${code(PROVINCE_ID, 'host')}`);
    await host.waitForSelector('[data-view="host"]');
    expect(await text(host, '.header-title')).toContain('tập huấn nghiệp vụ bầu cử');

    const technician = await open('technician', `/?code=${code(XUAN_LOC, 'technician')}`, LAPTOP);
    await technician.waitForSelector('[data-view="point"]');
    expect(await text(technician, '.header-title')).toContain('tập huấn nghiệp vụ bầu cử');
    expect(await text(technician, '.header-who')).toContain('Điểm cầu huyện Xuân Lộc');

    const hall = await open('hall', `/?code=${code(XUAN_LOC, 'viewer')}`);
    await hall.waitForSelector('[data-view="display"] .banner-subject');
    expect(await text(hall, '.banner-region')).toBe('HUYỆN XUÂN LỘC');
    expect(await text(hall, '.banner-subject')).toBe(BANNER);
    expect(await text(hall, '.banner-date')).toBe('Xuân Lộc, ngày 20 tháng 12 năm 2026');

    // The organiser watches the points come in during the connection tests.
    await organiser.setViewportSize(FULL_HD);
    await organiser.click('button[role=tab][data-tab=readiness]');
    await organiser.waitForSelector(`.orgp-ready tr[data-point-id="${XUAN_LOC}"][data-connection=connected]`, { timeout: 15_000 });
    // Points connected: the editor now allows only what cannot break a session (and says so).
    await organiser.waitForSelector('.org-editor[data-mode=in_use] .org-notice', { timeout: 15_000 });
    await shot(organiser, 'organiser-readiness-1920');
    expect(errors).toEqual([]);
  }, 90_000);
});
