// The console's recording tab and the press page in Chromium, against a hub without a recorder process
// (DIEMCAU_RECORDING=0; where a running recorder matters, the test reports for it through the hub's own
// `report`, as the recorder would): the host adds a live output with a bad address (the problem next to the
// field, nothing sent to the hub), then a good one (listed with its stream key hidden); switches the press
// link on (the link and a QR code that decodes to it); records twice with a real MP4 written where the hub
// expects the part (length, size and SHA-256 listed; the download through a ticket gives the same bytes; the
// delete asks first); the press page says "chưa phát" for the right key and "liên kết đã tắt" for a wrong one,
// refuses an unknown code in words and, with a room display code, shows the conference's title; a co-host sees
// the tab with every control disabled. Chapters and clips: with the conference live, a point asks for the floor
// through the protocol and the host grants and revokes it in the console while a part is recorded (a real
// 6 s fragmented MP4 put where the hub expects it): the turn is listed in the part, "đang diễn ra" until the
// revoke; once the part is closed the host cuts it by the chapter and by a range (bad ranges said by their
// fields, nothing sent), each clip listed "đang cắt…" then with its length, size, SHA-256 and source, cut by
// the hub's ffmpeg and downloaded with the same bytes.
// A second hub that needs more free disk than there is refuses the start, in Vietnamese, under the button.
// The console's doc screenshots are taken with a real recorder by test/e2e/live-output.test.ts.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import jsqrModule from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type HubClient } from '../../scripts/lib/hub-client.ts';
import type { Hub } from '../../server/hub.ts';
import { ensureClientBuilt, launch } from '../helpers/browser.ts';
import { makeProgrammeFile, probe } from '../helpers/programme-file.ts';
import { startHub } from '../helpers/test-hub.ts';
import { waitFor } from '../helpers/wait.ts';

const jsQR = ((jsqrModule as unknown as { default?: typeof jsqrModule }).default ?? jsqrModule) as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

const CONF = 'dong-nai-tap-huan-bau-cu';
const CENTRE = 'tinh-dong-nai';
const SHOTS = process.env['DIEMCAU_SHOTS'] ?? '/tmp/shots';
const FULL_HD = { width: 1920, height: 1080 };
const LAPTOP = { width: 1366, height: 768 };

let browser: Browser;
let hub: Hub;
let url: string;
let tight: { hub: Hub; url: string };
const clients: HubClient[] = [];
const errors: string[] = [];
const dialogs: string[] = [];
const pages: Page[] = [];

beforeAll(async () => {
  ensureClientBuilt();
  [{ hub, url }, tight] = await Promise.all([startHub(), startHub({ DIEMCAU_RECORDING_MIN_FREE_MB: '99999999' })]);
  browser = await launch();
}, 120_000);

afterAll(async () => {
  for (const client of clients) client.close();
  await browser?.close();
  await hub?.close('test over');
  await tight?.hub.close('test over');
}, 60_000);

async function open(base: string, path: string, label: string, viewport = FULL_HD, before?: (page: Page) => void): Promise<Page> {
  const context = await browser.newContext({ viewport, permissions: ['camera', 'microphone'], acceptDownloads: true });
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => {
    (window.__csp ??= []).push(e.violatedDirective + ' ' + e.blockedURI);
  });`);
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(`${label}: ${error.message}`));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.accept();
  });
  before?.(page);
  await page.goto(`${base}${path}`);
  pages.push(page);
  return page;
}

async function until(page: Page, expression: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const text = async (page: Page, selector: string): Promise<string> => ((await page.textContent(selector)) ?? '').trim();

/** The host console of `base`'s hub with the recording tab open and its view loaded. */
async function hostConsole(target: Hub, base: string, viewport = FULL_HD, before?: (page: Page) => void): Promise<Page> {
  const { code } = await target.credentials.issue({ conferenceId: CONF, pointId: CENTRE, role: 'host' }, 3600);
  const page = await open(base, `/?code=${code}`, 'host', viewport, before);
  await page.waitForSelector('[data-view="host"]');
  await page.click('[data-tab="recording"]');
  await page.waitForSelector('.recording[data-recorder]');
  return page;
}

const part = (target: Hub) => {
  const conference = target.conferences.get(CONF);
  if (!conference) throw new Error('no demo conference');
  return target.recording.of(conference);
};

describe('the recording tab of the host console', () => {
  let host: Page;
  /** Every request the console sent over socket.io, by name. */
  const sent: string[] = [];

  it('checks a live output’s address in the browser, then adds a good one with its stream key hidden', async () => {
    host = await hostConsole(hub, url, FULL_HD, (page) =>
      page.on('websocket', (ws) =>
        ws.on('framesent', ({ payload }) => {
          const name = /^\d*\["([\w.]+)"/.exec(String(payload))?.[1];
          if (name) sent.push(name);
        }),
      ),
    );

    await host.fill('input[name="output-label"]', 'Đài PT-TH Đồng Nai');
    await host.fill('input[name="output-url"]', 'http://stream.example.vn/live/khoa-bi-mat');
    await host.click('.rec-add button[type="submit"]');
    await host.waitForSelector('#rec-output-url-error:not([hidden])');
    expect(await text(host, '#rec-output-url-error')).toBe('Địa chỉ phải bắt đầu bằng rtmp:// hoặc rtmps://.');
    expect(await host.getAttribute('input[name="output-url"]', 'aria-invalid')).toBe('true');
    await host.fill('input[name="output-url"]', 'rtmp://stream.example.vn');
    await host.click('.rec-add button[type="submit"]');
    await until(host, `document.querySelector('#rec-output-url-error')?.dataset.problem === 'path'`);
    expect(await text(host, '#rec-output-url-error')).toContain('thiếu tên ứng dụng và khoá luồng');
    expect(sent).not.toContain('recording.addOutput');
    expect(part(hub).view().outputs).toEqual([]);

    await host.fill('input[name="output-url"]', 'rtmp://stream.example.vn:1935/live/khoa-bi-mat-123');
    await host.click('.rec-add button[type="submit"]');
    await host.waitForSelector('.rec-output');
    expect(sent).toContain('recording.addOutput');
    expect(await host.isHidden('#rec-output-url-error')).toBe(true);
    expect(await text(host, '.rec-output-label')).toBe('Đài PT-TH Đồng Nai');
    expect(await text(host, '.rec-output-url')).toBe('rtmp://stream.example.vn:1935/live/••••');
    expect(await text(host, '.rec-chip')).toBe('đang kết nối');
    expect(await host.textContent('body')).not.toContain('khoa-bi-mat-123');
    expect(await host.inputValue('input[name="output-url"]')).toBe('');
    expect(await host.evaluate("document.querySelector('.rec-add-box').open")).toBe(false);
  }, 60_000);

  it('switches the press link on: the link with its key, and a QR code that decodes to it', async () => {
    await host.click('input[name="press-enabled"]');
    await host.waitForSelector('[data-press="link"]');
    const key = part(hub).view().press.key;
    expect(key).toBeTruthy();
    const link = `${url}/press.html?c=${CONF}&k=${key}`;
    expect(await text(host, '[data-press="link"]')).toBe(link);
    expect(await text(host, '.rec-press')).toContain('Tắt rồi bật lại sẽ tạo liên kết mới');
    await until(host, `(document.querySelector('.rec-press-qr canvas')?.width ?? 0) > 0`);
    const image = (await host.evaluate(`(() => {
      const c = document.querySelector('.rec-press-qr canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      return { width: d.width, height: d.height, pixels: Array.from(d.data) };
    })()`)) as { width: number; height: number; pixels: number[] };
    expect(jsQR(Uint8ClampedArray.from(image.pixels), image.width, image.height)?.data).toBe(link);
  }, 30_000);

  it('shows the press page "chưa phát" for the right key and "liên kết đã tắt" for a wrong one', async () => {
    const key = part(hub).view().press.key ?? '';
    const right = await open(url, `/press.html?c=${CONF}&k=${key}`, 'press', LAPTOP);
    await until(right, `document.body.dataset.state === 'idle'`);
    expect(await text(right, '.press-state')).toBe('Chưa phát');
    expect(await text(right, '.press-overlay')).toContain('Chương trình chưa được phát');
    // The public link shows the conference's title (…/live/:key/about).
    expect(await text(right, '.press-title')).toMatch(/^Hội nghị trực tuyến tập huấn/);
    expect(await text(right, '[data-action="sound"]')).toBe('Bật tiếng');
    const wrong = await open(url, `/press.html?c=${CONF}&k=khong-dung`, 'press wrong key', LAPTOP);
    await until(wrong, `document.body.dataset.state === 'off'`);
    expect(await text(wrong, '.press-state')).toBe('Liên kết đã tắt');
    mkdirSync(SHOTS, { recursive: true });
    await right.screenshot({ path: join(SHOTS, 'press-idle-1366.png') });
    await wrong.screenshot({ path: join(SHOTS, 'press-off-1366.png') });
    const form = await open(url, '/press.html', 'press code form', LAPTOP);
    await form.waitForSelector('form.press-join input[name="code"]');
    expect(await text(form, 'form.press-join')).toContain('Mã xem');
    await form.fill('input[name="code"]', 'ABCD-EFGH');
    await form.click('form.press-join button[type="submit"]');
    await form.waitForSelector('form.press-join .error:not([hidden])');
    expect(await form.getAttribute('form.press-join .error', 'data-reason')).toBe('join.code_unknown');
    // A room display code: the page joins once for a session token, then asks for the programme with it.
    const viewer = await hub.credentials.issue({ conferenceId: CONF, pointId: 'xuan-loc', role: 'viewer' }, 3600);
    await form.fill('input[name="code"]', viewer.code);
    await form.click('form.press-join button[type="submit"]');
    await until(form, `document.body.dataset.state === 'idle'`);
    expect(await text(form, '.press-title')).toBe(hub.conferences.get(CONF)?.spec.title);
  }, 40_000);

  it('records twice: REC with its time, the files with length, size and SHA-256, a download and a delete', async () => {
    await host.click('[data-action="record"]');
    await host.waitForSelector('.recording[data-recording="true"] .rec-live:not([hidden])');
    expect(await text(host, '[data-action="record"]')).toBe('■ Dừng ghi');
    const first = part(hub)
      .view()
      .files.find((f) => f.open);
    const absolute = first ? part(hub).file(first.id)?.absolute : undefined;
    if (!first || !absolute) throw new Error('no open part');
    mkdirSync(dirname(absolute), { recursive: true });
    const args = ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25', '-t', '3', '-pix_fmt', 'yuv420p', '-y', absolute];
    execFileSync('ffmpeg', args);
    await until(host, `/0:00:0\\d/.test(document.querySelector('.rec-elapsed')?.textContent ?? '')`);
    await host.click('[data-action="record"]');
    await until(host, `document.querySelector('.recording')?.dataset.recording === 'false'`);
    expect(dialogs.at(-1)).toContain('Dừng ghi hình?');
    const row = `.rec-file[data-file-id="${first.id}"]`;
    await until(host, `!!document.querySelector('${row} .rec-sha')`, 20_000);
    const sha = createHash('sha256').update(readFileSync(absolute)).digest('hex');
    expect(await host.getAttribute(`${row} .rec-sha`, 'title')).toBe(sha);
    expect(await text(host, `${row} .rec-sha`)).toBe(`${sha.slice(0, 8)}…${sha.slice(-4)}`);
    expect(await text(host, `${row} td:nth-child(2)`)).toBe('0:00:03');
    expect(await text(host, `${row} td:nth-child(3)`)).toMatch(/^\d+,\d MB$/);

    const [download] = await Promise.all([host.waitForEvent('download'), host.click(`${row} [data-action="download"]`)]);
    expect(download.suggestedFilename()).toBe(first.name);
    const saved = await download.path();
    expect(createHash('sha256').update(readFileSync(saved)).digest('hex')).toBe(sha);

    // A second recording, running as the recorder would report it, with the push live: the documentation's picture.
    await host.click('[data-action="record"]');
    await host.waitForSelector('.rec-file[data-open="true"]');
    const output = part(hub).view().outputs[0];
    if (!output) throw new Error('no output');
    // Its writer started when the part opened (not earlier: the newest recording stays listed first).
    const segmentStartedAt = part(hub)
      .view()
      .files.find((f) => f.open)?.startedAt;
    if (segmentStartedAt === undefined) throw new Error('no open part');
    const report = { state: 'running', segment: 1, segmentStartedAt, writtenMs: 2_000, fps: 25, hls: true } as const;
    part(hub).report({ ...report, outputs: [{ id: output.id, state: 'live', attempt: 0, error: null }] });
    await until(host, `document.querySelector('.rec-chip')?.textContent === 'đang phát'`);
    expect(await text(host, '.rec-recorder')).toBe('Bộ ghi hình: đang chạy');
    expect(await text(host, '.rec-meta')).toBe('Phần 1 · 25 khung hình/giây');
    expect(await host.getAttribute('[data-tab="recording"]', 'data-rec')).toBe('true');
    expect(await host.isDisabled('.rec-file[data-open="true"] [data-action="delete-file"]')).toBe(true);
    expect(await text(host, '.rec-file[data-open="true"] td:nth-child(2)')).toBe('đang ghi 0:00:02');
    part(hub).report({ ...report, outputs: [{ id: output.id, state: 'retrying', attempt: 3, error: 'REJECTED' }] });
    await until(host, `document.querySelector('.rec-chip')?.textContent === 'thử lại lần 3'`);
    expect(await text(host, '.rec-output-error')).toBe('Lỗi: máy chủ nhận từ chối (kiểm tra lại khoá luồng)');
    part(hub).report({ ...report, outputs: [{ id: output.id, state: 'live', attempt: 0, error: null }] });
    await until(host, `document.querySelector('.rec-chip')?.textContent === 'đang phát'`);

    await host.click(`${row} [data-action="delete-file"]`);
    await host.waitForSelector(row, { state: 'detached' });
    expect(dialogs.at(-1)).toContain(`Xoá hẳn tệp "${first.name}"`);
    expect(part(hub).file(first.id)).toBeUndefined();
  }, 90_000);

  it('lists a speaking turn as a chapter of the part and cuts clips by chapter and by range, cut by the hub', async () => {
    // The second recording of the test before ends; the conference goes live; Xuân Lộc's technician asks to speak.
    await host.click('[data-action="record"]');
    await until(host, `document.querySelector('.recording')?.dataset.recording === 'false'`);
    await host.click('[data-action="start"]');
    await waitFor(() => hub.conferences.get(CONF)?.view().status === 'live', 'the conference live');
    const { token } = await hub.credentials.issue({ conferenceId: CONF, pointId: 'xuan-loc', role: 'technician' }, 3600);
    const point = await connect(url, { token });
    clients.push(point);
    await point.call('floor.request', { note: '' });

    // A third recording; its part is given a real programme file while the turn goes on.
    await host.click('[data-action="record"]');
    await until(host, `document.querySelector('.recording')?.dataset.recording === 'true'`);
    const programme = part(hub)
      .view()
      .files.find((f) => f.open && f.kind === 'programme');
    const absolute = programme ? part(hub).file(programme.id)?.absolute : undefined;
    if (!programme || !absolute) throw new Error('no open part');
    const tools = `.rec-part-tools[data-file-id="${programme.id}"]`;
    await host.click('.floor-request[data-point-id="xuan-loc"] [data-action="grant"]');
    await host.waitForSelector(`${tools} .rec-chapter[data-open="true"]`);
    expect(await text(host, `${tools} .rec-chapter-kind`)).toBe('Lượt phát biểu');
    expect(await text(host, `${tools} .rec-chapter-title`)).toBe('Điểm cầu huyện Xuân Lộc');
    expect(await text(host, `${tools} .rec-chapter-time`)).toMatch(/^0:00:0\d – đang diễn ra$/);
    expect(await text(host, `${tools} .rec-chapters-note`)).toContain('Phần này đang ghi');
    expect(await host.isDisabled(`${tools} [data-action="clip-chapter"]`)).toBe(true);
    expect(await host.isHidden(`${tools} .rec-clip-form`)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await host.click('.floor-panel [data-action="revoke"]');
    await host.waitForSelector(`${tools} .rec-chapter[data-open="false"]`);
    const [chapter] = part(hub)
      .chapters()
      .filter((c) => c.fileId === programme.id);
    expect(chapter).toMatchObject({ kind: 'turn', pointId: 'xuan-loc', title: 'Điểm cầu huyện Xuân Lộc' });
    await makeProgrammeFile(absolute, 6);
    await host.click('[data-action="record"]');
    await until(host, `document.querySelector('.recording')?.dataset.recording === 'false'`);
    const row = `.rec-file[data-file-id="${programme.id}"]`;
    await host.waitForSelector(`${row} .rec-sha`, { timeout: 20_000 });
    expect(await text(host, `${row} td:nth-child(2)`)).toBe('0:00:06');
    await host.waitForSelector(`${tools} .rec-chapters[data-ready="true"]`);
    const closed = part(hub)
      .chapters()
      .find((c) => c.fileId === programme.id);
    if (!closed?.endMs) throw new Error('the chapter did not close');
    expect(closed.endMs - closed.startMs).toBeGreaterThan(1_000);
    const hms = (ms: number): string => `0:00:0${Math.floor(ms / 1000)}`;
    expect(await text(host, `${tools} .rec-chapter-time`)).toBe(`${hms(closed.startMs)} – ${hms(closed.endMs)}`);
    expect(await host.isHidden(`${tools} .rec-chapters-note`)).toBe(true);

    // Every text the clips' length cells show, to see "đang cắt…" however quick the cut is.
    await host.evaluate(`(() => {
      window.__lengths = [];
      new MutationObserver(() => {
        const cells = document.querySelectorAll('.rec-file[data-kind="clip"] td:nth-child(2)');
        for (const cell of cells) window.__lengths.push(cell.textContent);
      }).observe(document.querySelector('.rec-files'), { subtree: true, childList: true, characterData: true });
    })()`);
    const clipsBefore = sent.filter((name) => name === 'recording.clip').length;
    await host.click(`${tools} [data-action="clip-chapter"]`);
    await waitFor(
      () =>
        part(hub)
          .view()
          .files.some((f) => f.kind === 'clip'),
      'the chapter clip listed',
      5_000,
    );
    const first = part(hub)
      .view()
      .files.find((f) => f.kind === 'clip');
    if (!first) throw new Error('no clip');
    const [from, to] = [Math.floor(closed.startMs / 1000), Math.floor(closed.endMs / 1000)];
    expect(first.name).toBe(`Điểm-cầu-huyện-Xuân-Lộc-00000${from}-00000${to}.mp4`);
    await checkClip(first.id, `${hms(closed.startMs)} – ${hms(closed.endMs)}`, programme.startedAt);
    expect(await host.evaluate('window.__lengths')).toContain('đang cắt…');

    // The range form: each problem under its field, nothing sent; then a good range with a name.
    const form = `.rec-clip-form[data-file-id="${programme.id}"]`;
    await host.fill(`${form} input[name="clip-from"]`, 'abc');
    await host.fill(`${form} input[name="clip-to"]`, '');
    await host.click(`${form} button[type="submit"]`);
    expect(await text(host, `${form} .rec-clip-from-error`)).toBe('Thời điểm bắt đầu viết dạng g:pp:gg (0:01:30) hoặc p:gg (1:30).');
    expect(await text(host, `${form} .rec-clip-to-error`)).toBe('Hãy nhập thời điểm kết thúc.');
    expect(await host.getAttribute(`${form} input[name="clip-from"]`, 'aria-invalid')).toBe('true');
    await host.fill(`${form} input[name="clip-from"]`, '0:00:04');
    await host.fill(`${form} input[name="clip-to"]`, '0:02');
    await host.click(`${form} button[type="submit"]`);
    expect(await host.isHidden(`${form} .rec-clip-from-error`)).toBe(true);
    expect(await text(host, `${form} .rec-clip-to-error`)).toBe('Thời điểm kết thúc phải sau thời điểm bắt đầu.');
    await host.fill(`${form} input[name="clip-to"]`, '0:00:09');
    await host.click(`${form} button[type="submit"]`);
    expect(await text(host, `${form} .rec-clip-to-error`)).toBe('Phần này chỉ dài 0:00:06; thời điểm kết thúc không được quá.');
    expect(await host.getAttribute(`${form} .rec-clip-to-error`, 'data-problem')).toBe('past');
    expect(sent.filter((name) => name === 'recording.clip').length).toBe(clipsBefore + 1);
    expect(
      part(hub)
        .view()
        .files.filter((f) => f.kind === 'clip'),
    ).toHaveLength(1);

    await host.fill(`${form} input[name="clip-from"]`, '0:02');
    await host.fill(`${form} input[name="clip-to"]`, '0:00:05');
    await host.fill(`${form} input[name="clip-name"]`, 'Phát biểu tổng kết');
    await host.click(`${form} button[type="submit"]`);
    await waitFor(
      () =>
        part(hub)
          .view()
          .files.some((f) => f.kind === 'clip' && f.name.startsWith('Phát')),
      'the range clip listed',
      5_000,
    );
    const second = part(hub)
      .view()
      .files.find((f) => f.kind === 'clip' && f.name.startsWith('Phát'));
    if (!second) throw new Error('no range clip');
    expect(second.name).toBe('Phát-biểu-tổng-kết-000002-000005.mp4');
    await checkClip(second.id, '0:00:02 – 0:00:05', programme.startedAt);
    expect(await host.isHidden(`${form} .rec-clip-to-error`)).toBe(true);
    expect(await host.inputValue(`${form} input[name="clip-name"]`)).toBe('');
    expect(sent.filter((name) => name === 'recording.clip').length).toBe(clipsBefore + 2);
    expect(await host.isHidden(`${tools} .rec-clip-error`)).toBe(true);
    expect(await text(host, '.rec-files tbody:last-child .rec-group')).toBe('Đoạn cắt');
    mkdirSync(SHOTS, { recursive: true });
    await host.screenshot({ path: join(SHOTS, 'host-recording-clips-1920.png'), fullPage: true });
    await host.setViewportSize(LAPTOP);
    await host.screenshot({ path: join(SHOTS, 'host-recording-clips-1366.png'), fullPage: true });
    await host.setViewportSize(FULL_HD);

    /** The clip's row once cut: length, size, SHA-256 and source; the download has its bytes; ffprobe reads it. */
    async function checkClip(id: string, range: string, partStart: number): Promise<void> {
      const clipRow = `.rec-file[data-file-id="${id}"]`;
      await host.waitForSelector(`${clipRow} .rec-sha`, { timeout: 20_000 });
      const file = part(hub).file(id);
      if (!file) throw new Error('no clip file');
      const sha = createHash('sha256').update(readFileSync(file.absolute)).digest('hex');
      expect(await host.getAttribute(`${clipRow} .rec-sha`, 'title')).toBe(sha);
      expect(await text(host, `${clipRow} td:nth-child(2)`)).toMatch(/^0:00:0[1-6]$/);
      expect(await text(host, `${clipRow} td:nth-child(3)`)).toMatch(/^\d+,\d MB$/);
      const d = new Date(partStart);
      const time = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
      expect(await text(host, `${clipRow} .rec-clip-source`)).toBe(`Cắt từ phần 1 (${time}), ${range}`);
      const [download] = await Promise.all([host.waitForEvent('download'), host.click(`${clipRow} [data-action="download"]`)]);
      expect(download.suggestedFilename()).toBe(file.name);
      const saved = await download.path();
      expect(createHash('sha256').update(readFileSync(saved)).digest('hex')).toBe(sha);
      const probed = await probe(saved);
      expect(probed.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
      expect(probed.durationMs).toBeGreaterThan(900);
    }
  }, 90_000);

  it('says in Vietnamese why a hub short of disk refuses to start, under the record button', async () => {
    const page = await hostConsole(tight.hub, tight.url, LAPTOP);
    await page.waitForSelector('.rec-disk[data-level="out"]');
    expect(await text(page, '.rec-disk')).toContain('Không đủ chỗ để ghi');
    await page.click('[data-action="record"]');
    await page.waitForSelector('.rec-error:not([hidden])');
    expect(await page.getAttribute('.rec-error', 'data-reason')).toBe('recording.disk_low');
    const said = await text(page, '.rec-error');
    expect(said).toMatch(/^Không thực hiện được: Ổ đĩa còn trống [\d.]+ MB, cần ít nhất 99\.999\.999 MB để ghi hình\.$/);
    expect(await page.getAttribute('.recording', 'data-recording')).toBe('false');
  }, 40_000);

  it('shows a co-host the same tab with every control disabled', async () => {
    const conferenceId = 'mttq-giam-sat-bau-cu-dot-1';
    const { code } = await hub.credentials.issue({ conferenceId, pointId: 'ban-cong-tac-phia-nam', role: 'cohost' }, 3600);
    const page = await open(url, `/?code=${code}`, 'cohost', LAPTOP);
    await page.waitForSelector('[data-view="host"]');
    await page.click('[data-tab="recording"]');
    await page.waitForSelector('.recording[data-recorder]');
    expect(await page.isDisabled('[data-action="record"]')).toBe(true);
    expect(await page.isDisabled('input[name="auto-start"]')).toBe(true);
    expect(await page.isDisabled('input[name="press-enabled"]')).toBe(true);
    expect(await page.isHidden('.rec-add-box')).toBe(true);
    expect(await text(page, '.rec-host-only')).toBe('Chỉ chủ trì điều khiển được ghi hình; đồng chủ trì chỉ xem.');
  }, 40_000);

  it('had no CSP violation nor page error', async () => {
    const violations: string[] = [];
    for (const page of pages) if (!page.isClosed()) violations.push(...((await page.evaluate('window.__csp ?? []')) as string[]));
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
});
