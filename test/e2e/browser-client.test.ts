// The browser client end to end in a real browser: a real hub (createHub, mediasoup, socket.io) serving
// the built client, and Debian's Chromium driven by playwright-core with its fake camera and microphone.
// The host at the provincial hall, three district technicians and one room display, each in its own
// browser context. What is checked is what a person would see: the banner, then video that is actually
// playing (frames advancing), the speaking point taking the stage and the stage returning to the centre
// when its time runs out, and a question going from a point to the host and back answered.
// Screenshots of every view are saved under test-results/e2e/.
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Role } from '../../shared/domain.ts';
import type { Hub } from '../../server/hub.ts';

import { ensureClientBuilt, launch, openPage, waitPlaying } from '../helpers/browser.ts';
import { startHub } from '../helpers/test-hub.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'test-results/e2e');

const CONFERENCE = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
const DISTRICTS = ['bien-hoa', 'long-khanh', 'xuan-loc'] as const;
/** Where the room display is. */
const ROOM = 'bien-hoa';
/**
 * Who asks for the floor: another district, since the hub sends a point's stage to the sessions of
 * other points only (a room must not hear its own microphone back).
 */
const SPEAKER = 'xuan-loc';
/** Who asks a question. */
const ASKER = 'long-khanh';
const GRANT_SECONDS = 10;

let hub: Hub;
let url: string;
let browser: Browser;
let display: Page;
let host: Page;
const points = new Map<string, Page>();
const pageErrors: string[] = [];
const started = Date.now();
const timings: Record<string, number> = {};

async function credential(pointId: string, role: Role): Promise<{ token: string; code: string }> {
  return hub.credentials.issue({ conferenceId: CONFERENCE, pointId, role }, 3600);
}

/** A page in its own context, at full HD for the screenshots. */
const open = (label: string, path: string): Promise<Page> =>
  openPage(browser, `${url}${path}`, pageErrors, label, undefined, { width: 1920, height: 1080 });

const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(OUT, `${name}.png`) });

const mark = (name: string): void => {
  timings[name] = Math.round((Date.now() - started) / 100) / 10;
};

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  ensureClientBuilt();
  ({ hub, url } = await startHub());
  browser = await launch();
  mark('ready');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hub?.close('test over');
  console.info('e2e timings (s since start):', timings);
}, 60_000);

describe('browser client: host, three points and a room display in Chromium', () => {
  it('the room display shows the banner, then the centre video playing once the host starts', async () => {
    const viewer = await credential(ROOM, 'viewer');
    display = await open('display', `/?code=${viewer.code}`);
    const banner = display.locator('.banner');
    await banner.waitFor({ state: 'visible', timeout: 20_000 });
    const text = await banner.innerText();
    expect(text).toContain('THÀNH PHỐ BIÊN HÒA');
    expect(text).toContain('HỘI NGHỊ TRỰC TUYẾN');
    expect(text).toContain('Tập huấn nghiệp vụ bầu cử');
    expect(text).toContain('Biên Hòa, ngày 28 tháng 4 năm 2021');
    const colours = await display.evaluate(
      `(() => { const s = getComputedStyle(document.querySelector('.banner')); return [s.backgroundColor, s.color]; })()`,
    );
    expect(colours).toEqual(['rgb(255, 212, 0)', 'rgb(200, 16, 46)']);
    await shot(display, 'display-banner');
    mark('banner');

    const hostCredential = await credential(CENTRE, 'host');
    host = await open('host', `/?video=360#token=${hostCredential.token}`);
    await waitPlaying(host, '.stage video[data-slot="main"]', CENTRE);
    // Before the start the room keeps its banner even though the centre already publishes.
    expect(await banner.isVisible()).toBe(true);
    await host.click('[data-action="start"]');
    await banner.waitFor({ state: 'hidden', timeout: 20_000 });
    const centre = await waitPlaying(display, '.stage video[data-slot="main"]', CENTRE);
    expect(centre.width).toBeGreaterThan(0);
    expect(await display.locator('.autoplay').count()).toBe(0);
    await shot(display, 'display-centre');
    mark('centre on display');
  }, 90_000);

  it('the host wall shows every point playing', async () => {
    for (const pointId of DISTRICTS) {
      const technician = await credential(pointId, 'technician');
      points.set(pointId, await open(pointId, `/?video=360&code=${technician.code}`));
    }
    // Wall tiles and the self preview carry no point on the <video> itself (pointId '').
    for (const pointId of DISTRICTS) await waitPlaying(host, `.tile[data-point-id="${pointId}"] video`, '', 40_000);
    await waitPlaying(points.get(ROOM) as Page, '.preview video', '', 20_000);
    await shot(host, 'host-wall');
    mark('wall');
  }, 90_000);

  it('the host moves to an agenda item and the rooms show it', async () => {
    await host.click('[data-tab="agenda"]');
    const first = host.locator('.agenda-item').first();
    const title = (await first.locator('.agenda-title').textContent()) ?? '';
    expect(title.length).toBeGreaterThan(0);
    await first.locator('[data-action="goto"]').click();
    await host.locator('.agenda-item.current .agenda-elapsed').waitFor({ timeout: 10_000 });
    await display.locator('.display-agenda').filter({ hasText: title }).waitFor({ timeout: 10_000 });
    await (points.get(ASKER) as Page).locator('.agenda-line').filter({ hasText: title }).waitFor({ timeout: 10_000 });
    await shot(host, 'host-agenda');
    await host.click('[data-tab="questions"]');
  }, 30_000);

  it('a point asks to speak, the host grants, and the room display shows that point with the centre beside it', async () => {
    const speaker = points.get(SPEAKER) as Page;
    await speaker.fill('input[name="floor-note"]', 'Hỏi về danh sách cử tri');
    await speaker.click('[data-action="ask"]');
    await speaker.locator('.floor-position').filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
    const request = host.locator(`.floor-request[data-point-id="${SPEAKER}"]`);
    await request.waitFor({ timeout: 10_000 });
    expect(await host.locator(`.tile[data-point-id="${SPEAKER}"].raised`).count()).toBe(1);
    await shot(host, 'host-queue');
    await shot(speaker, 'point-queued');

    await host.fill('input[name="floor-seconds"]', String(GRANT_SECONDS));
    await request.locator('[data-action="grant"]').click();
    const granted = Date.now();
    mark('granted');

    await speaker.locator('.on-air').waitFor({ state: 'visible', timeout: 10_000 });
    const onStage = await waitPlaying(display, '.stage video[data-slot="main"]', SPEAKER);
    expect(onStage.width).toBeGreaterThan(0);
    await waitPlaying(display, '.stage video[data-slot="side"]', CENTRE);
    const lower = display.locator('.lower-third');
    await lower.waitFor({ state: 'visible' });
    expect(await lower.innerText()).toContain('Điểm cầu huyện Xuân Lộc');
    expect(await display.locator('.lower-time').innerText()).toMatch(/^0:(0\d|10)$/);
    await waitPlaying(host, '.stage video[data-slot="main"]', SPEAKER);
    timings['speaker visible after grant (s)'] = Math.round((Date.now() - granted) / 100) / 10;
    await Promise.all([shot(display, 'display-speaker'), shot(host, 'host-speaker'), shot(speaker, 'point-on-air')]);
    mark('speaker on display');
  }, 60_000);

  it('when the time runs out the stage returns to the centre', async () => {
    const speaker = points.get(SPEAKER) as Page;
    await display.locator('.lower-third').waitFor({ state: 'hidden', timeout: (GRANT_SECONDS + 10) * 1000 });
    await waitPlaying(display, '.stage video[data-slot="main"]', CENTRE, 15_000);
    expect(await display.locator('.stage video[data-slot="side"]').isHidden()).toBe(true);
    await speaker.locator('.on-air').waitFor({ state: 'hidden', timeout: 5000 });
    expect(await host.locator('.floor-holder').getAttribute('data-point-id')).toBe('');
    await shot(display, 'display-back-to-centre');
    mark('back to centre');
  }, 60_000);

  it('a question from a point reaches the host, is answered, and the point sees it answered', async () => {
    const asker = points.get(ASKER) as Page;
    const question = 'Cử tri tạm trú dưới 12 tháng có được ghi tên vào danh sách cử tri không?';
    const answer = 'Được, nếu có đăng ký tạm trú theo quy định của Luật Bầu cử.';
    await asker.click('[data-tab="questions"]');
    await asker.fill('input[name="asker"]', 'Nguyễn Văn An');
    await asker.fill('input[name="unit"]', 'Ủy ban bầu cử xã Bảo Quang');
    await asker.fill('textarea[name="text"]', question);
    await asker.click('[data-action="submit-question"]');
    const mine = asker.locator('.my-questions .question').filter({ hasText: question });
    await mine.waitFor({ timeout: 10_000 });

    const card = host.locator('.questions .question').filter({ hasText: question });
    await card.waitFor({ timeout: 10_000 });
    expect(await card.innerText()).toContain('Điểm cầu thành phố Long Khánh');
    await card.locator('[data-action="accept"]').click();
    await host.locator('.questions .question[data-status="queued"]').filter({ hasText: question }).waitFor({ timeout: 10_000 });
    await mine.and(asker.locator('[data-status="queued"]')).waitFor({ timeout: 10_000 });
    await host.locator('.questions .question').filter({ hasText: question }).locator('[data-action="written"]').click();
    await host.fill('.questions textarea[name="answer"]', answer);
    await host.locator('.questions [data-form="written"] button[type="submit"]').click();
    await host.locator('.questions .question[data-status="answered"]').filter({ hasText: answer }).waitFor({ timeout: 10_000 });

    const answered = asker.locator('.my-questions .question[data-status="answered"]').filter({ hasText: question });
    await answered.waitFor({ timeout: 10_000 });
    expect(await answered.innerText()).toContain(answer);
    await Promise.all([shot(asker, 'point-question-answered'), shot(host, 'host-questions')]);
    mark('question answered');
  }, 60_000);

  it('the room display reconnects by itself when the hub drops its connection', async () => {
    const viewerSockets = (): string[] =>
      [...hub.io.sockets.sockets.values()].filter((s) => s.data.session?.role === 'viewer').map((s) => s.id);
    const [before] = viewerSockets();
    expect(before).toBeDefined();
    hub.io.sockets.sockets.get(before as string)?.disconnect(true);
    const dropped = Date.now();
    const deadline = Date.now() + 20_000;
    while (viewerSockets().filter((id) => id !== before).length === 0 && Date.now() < deadline) await display.waitForTimeout(200);
    expect(viewerSockets()).not.toContain(before);
    await waitPlaying(display, '.stage video[data-slot="main"]', CENTRE, 20_000);
    timings['display playing again after drop (s)'] = Math.round((Date.now() - dropped) / 100) / 10;
    expect(await display.locator('.banner').isVisible()).toBe(false);
    mark('display reconnected');
  }, 60_000);

  it('the other views render, and no page reported an error', async () => {
    const tester = points.get(ROOM) as Page;
    await tester.click('[data-tab="test"]');
    await tester.click('[data-action="test"]');
    await tester.locator('.test-results[data-state="ready"], .test-results[data-state="not_ready"]').waitFor({ timeout: 20_000 });
    expect(await tester.locator('.test-results').innerText()).toMatch(/kbit\/s/);
    await shot(tester, 'point-connection-test');
    await host.click('[data-tab="attendance"]');
    await host.locator(`.board tr[data-point-id="${ROOM}"] .badge.ready:not([data-state="not_tested"])`).waitFor({ timeout: 10_000 });
    await shot(host, 'host-attendance');
    // A document the host uploads appears at the points and downloads with its bytes intact.
    const file = join(OUT, 'display-banner.png');
    await host.click('[data-tab="documents"]');
    await host.setInputFiles('.doc-upload input[type="file"]', file);
    await host.click('.doc-upload button[type="submit"]');
    await host.locator('.doc-list .doc').filter({ hasText: 'display-banner.png' }).waitFor({ timeout: 10_000 });
    const reader = points.get(ASKER) as Page;
    await reader.click('[data-tab="documents"]');
    await reader.locator('.doc-list .doc').filter({ hasText: 'display-banner.png' }).waitFor({ timeout: 10_000 });
    const [download] = await Promise.all([host.waitForEvent('download'), host.click('.doc-list .doc button')]);
    expect(statSync((await download.path()) as string).size).toBe(statSync(file).size);
    await shot(reader, 'point-documents');

    const secretaryCredential = await credential(ASKER, 'secretary');
    const secretary = await open('secretary', `/?code=${secretaryCredential.code}`);
    await secretary.locator('.my-questions .question[data-status="answered"]').first().waitFor({ timeout: 15_000 });
    await waitPlaying(secretary, '.stage video[data-slot="main"]', CENTRE, 20_000);
    await shot(secretary, 'secretary');
    const joinPage = await open('join', '/');
    await joinPage.locator('input[name="code"]').waitFor();
    expect(await joinPage.locator('.join h2').textContent()).toBe('Tham gia hội nghị trực tuyến');
    await joinPage.click('.join .lang');
    expect(await joinPage.locator('.join h2').textContent()).toBe('Join the online conference');
    await shot(joinPage, 'join-form-en');

    // The host ends the conference: every room goes back to its banner, with the end announced.
    host.once('dialog', (dialog) => void dialog.accept());
    await host.click('[data-action="end"]');
    await display.locator('.banner').waitFor({ state: 'visible', timeout: 10_000 });
    await display.locator('.banner-note').filter({ hasText: 'Hội nghị đã kết thúc' }).waitFor({ timeout: 10_000 });
    await shot(display, 'display-ended');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
