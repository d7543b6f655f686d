// Records out over real HTTP: questions (JSON and spreadsheet-safe CSV) and the conference report (JSON
// and printable HTML), after real socket.io points asked, answered, reported attendance and confirmed a
// roll call, and the floor went from point to point.
import { parse } from 'csv-parse/sync';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Role } from '../../shared/domain.ts';
import type { QuestionView } from '../../shared/records.ts';
import type { Hub } from '../../server/hub.ts';
import { rotateAdminKey } from '../../server/http/admin-key.ts';
import { csvCell } from '../../server/http/csv.ts';
import { escapeHtml } from '../../server/report/html.ts';
import { ConferenceReport } from '../../server/report/schema.ts';

import { connect, type HubClient as SignalClient, must } from '../../scripts/lib/hub-client.ts';
import { sleep } from '../helpers/wait.ts';
import { startHub } from '../helpers/test-hub.ts';

const CONF = 'bao-cao';
const SQL = "'; DROP TABLE questions; --";
const SCRIPT = '<script>alert("x")</script>';
const FORMULA = '=HYPERLINK("http://evil.example","bấm vào đây")';

let hub: Hub;
let base: string;
let admin: string;
const clients: SignalClient[] = [];
let written: QuestionView;
let other: QuestionView;

async function join(pointId: string, role: Role): Promise<SignalClient> {
  const { token } = await hub.credentials.issue({ conferenceId: CONF, pointId, role }, 600);
  const client = await connect(base, { token });
  clients.push(client);
  return client;
}

const token = async (pointId: string, role: Role): Promise<string> =>
  (await hub.credentials.issue({ conferenceId: CONF, pointId, role }, 600)).token;

async function get(path: string, bearer = admin): Promise<Response> {
  return fetch(`${base}/api/conferences/${CONF}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
}

beforeAll(async () => {
  ({ hub, url: base } = await startHub({ DIEMCAU_DEMO: 'false' }));
  admin = rotateAdminKey(hub.db);
  const created = await fetch(`${base}/api/conferences`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      id: CONF,
      title: `Tập huấn ${SCRIPT}`,
      organiser: 'Ủy ban bầu cử tỉnh',
      startsAt: '2026-05-01T08:00:00+07:00',
      centralPointId: 'tinh',
      questionCategories: ['Danh sách cử tri', 'Khác'],
      agenda: [{ id: 'khai-mac', title: 'Khai mạc', plannedMinutes: 10, rapporteur: 'Chủ tịch' }],
      points: [
        { id: 'tinh', name: 'Điểm cầu tỉnh', level: 'province', expectedAttendance: 50 },
        { id: 'phia-nam', name: 'Điểm cầu phụ', level: 'province', parentId: 'tinh', centralSide: true, expectedAttendance: 5 },
        { id: 'bien-hoa', name: 'Điểm cầu Biên Hòa', level: 'district', parentId: 'tinh', expectedAttendance: 30 },
        { id: 'long-khanh', name: SCRIPT, level: 'district', parentId: 'tinh', expectedAttendance: 20 },
      ],
    }),
  });
  expect(created.status).toBe(201);

  const host = await join('tinh', 'host');
  const secretary = await join('bien-hoa', 'secretary');
  const technician = await join('bien-hoa', 'technician');
  await join('long-khanh', 'technician'); // the floor goes only to a connected point
  written = await must(secretary.request('question.submit', { asker: SQL, unit: SCRIPT, category: 'Danh sách cử tri', text: FORMULA }));
  other = await must(
    secretary.request('question.submit', {
      asker: 'Ông A',
      unit: 'Phường 1',
      category: 'Khác',
      text: '+84 là mã vùng; "trích dẫn", dấu phẩy',
    }),
  );
  await must(host.request('question.accept', { questionId: written.id }));
  await must(host.request('question.answered', { questionId: written.id, mode: 'written', answer: `Trả lời ${SCRIPT}` }));
  await must(host.request('question.dismiss', { questionId: other.id, reason: '-trùng lặp' }));
  await must(technician.request('attendance.report', { present: 27, groups: { 'cấp xã': 20 } }));
  await must(host.request('agenda.goto', { itemId: 'khai-mac' }));
  await must(host.request('rollcall.start', { seconds: 30 }));
  await must(technician.request('rollcall.confirm', {}));

  const conference = hub.conferences.get(CONF);
  conference?.floor.grant('bien-hoa', 60, null);
  await sleep(250);
  conference?.floor.grant('long-khanh', 60, null);
  await sleep(150);
  conference?.floor.revoke(null);
});

afterAll(async () => {
  for (const c of clients) c.close();
  await hub?.close('test done');
});

describe('questions export', () => {
  it('gives JSON to the admin, host and co-host, filtered by status, category and point', async () => {
    for (const bearer of [admin, await token('tinh', 'host'), await token('phia-nam', 'cohost')]) {
      const res = await get('/questions', bearer);
      expect(res.status).toBe(200);
      const { questions } = (await res.json()) as { questions: QuestionView[] };
      expect(questions.map((q) => q.id)).toEqual([written.id, other.id]);
      expect(questions[0]).toMatchObject({
        asker: SQL,
        unit: SCRIPT,
        text: FORMULA,
        status: 'answered',
        answerMode: 'written',
        answer: `Trả lời ${SCRIPT}`,
      });
    }
    const answered = (await (await get('/questions?status=answered')).json()) as { questions: QuestionView[] };
    expect(answered.questions.map((q) => q.id)).toEqual([written.id]);
    const byCategory = (await (await get(`/questions?category=${encodeURIComponent('Khác')}`)).json()) as { questions: QuestionView[] };
    expect(byCategory.questions.map((q) => q.id)).toEqual([other.id]);
    const byPoint = (await (await get('/questions?pointId=long-khanh')).json()) as { questions: QuestionView[] };
    expect(byPoint.questions).toEqual([]);
  });

  it.each([
    ['an unknown category', `/questions?category=${encodeURIComponent(SQL)}`, 400, 'invalid'],
    ['an unknown point', '/questions?pointId=khong-co', 404, 'not_found'],
    ['an unknown status', '/questions?status=deleted', 400, 'invalid'],
    ['an unknown format', '/questions?format=xlsx', 400, 'invalid'],
    ['an unknown parameter', '/questions?sort=asc', 400, 'invalid'],
    ['an oversized category', `/questions?category=${'x'.repeat(101)}`, 400, 'invalid'],
  ])('refuses %s', async (_what, path, status, code) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error: { code } });
  });

  it('refuses a technician, a secretary and a viewer', async () => {
    for (const role of ['technician', 'secretary', 'viewer'] as const) {
      expect((await get('/questions', await token('bien-hoa', role))).status).toBe(403);
    }
  });

  it('gives CSV with proper quoting, a BOM and formula-injection guarded cells', async () => {
    const res = await get('/questions?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="questions-${CONF}.csv"`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""bấm vào đây"")"`);
    const rows = parse(text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      id: written.id,
      pointName: 'Điểm cầu Biên Hòa',
      asker: SQL,
      unit: SCRIPT,
      text: `'${FORMULA}`,
      status: 'answered',
      answerMode: 'written',
    });
    expect(rows[1]).toMatchObject({
      text: `'+84 là mã vùng; "trích dẫn", dấu phẩy`,
      status: 'dismissed',
      dismissReason: "'-trùng lặp",
      position: '',
    });
  });

  it('csvCell guards every formula start and leaves numbers alone', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'].map(csvCell)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", `"'\rx"`]);
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell(null)).toBe('');
  });
});

describe('report', () => {
  it('has floor segments, questions with answers, attendance by point and level, roll call and connections', async () => {
    const res = await get('/report', await token('phia-nam', 'cohost'));
    expect(res.status).toBe(200);
    const report = ConferenceReport.parse(await res.json());
    const [first, second] = report.floor.segments;
    expect(report.floor.segments).toHaveLength(2);
    expect(first).toMatchObject({ pointId: 'bien-hoa', pointName: 'Điểm cầu Biên Hòa', level: 'district', endedBy: 'grant' });
    expect(second).toMatchObject({ pointId: 'long-khanh', pointName: SCRIPT, endedBy: 'revoke' });
    expect(first?.end).toBe(second?.start);
    expect(first?.seconds).toBeGreaterThanOrEqual(0.2);
    expect(first?.seconds).toBeLessThan(5);
    expect(report.floor.byPoint.map((p) => p.pointId)).toEqual(['bien-hoa', 'long-khanh']);

    expect(report.questions.total).toBe(2);
    expect(report.questions.items[0]).toMatchObject({
      asker: SQL,
      status: 'answered',
      answerMode: 'written',
      answer: `Trả lời ${SCRIPT}`,
      answeredAt: expect.any(Number),
    });
    expect(report.questions.stats.byStatus).toEqual({ answered: 1, dismissed: 1 });

    const point = report.attendance.points.find((p) => p.pointId === 'bien-hoa');
    expect(point).toMatchObject({ expected: 30, present: 27, groups: { 'cấp xã': 20 } });
    expect(report.attendance.points.find((p) => p.pointId === 'long-khanh')).toMatchObject({ expected: 20, present: null });
    expect(report.attendance.byLevel).toEqual([
      { level: 'province', points: 2, reported: 0, present: 0, expected: 55 },
      { level: 'district', points: 2, reported: 1, present: 27, expected: 50 },
    ]);
    expect(report.attendance.totals).toEqual({ points: 4, reported: 1, present: 27, expected: 105 });

    expect(report.rollCalls).toHaveLength(1);
    expect(report.rollCalls[0]?.confirmed.map((c) => c.pointId)).toEqual(['bien-hoa']);
    expect(report.rollCalls[0]?.missing.map((c) => c.pointId)).toEqual(['long-khanh']);
    expect(report.agenda).toMatchObject([{ itemId: 'khai-mac', title: 'Khai mạc', end: null }]);
    expect(report.connections.find((c) => c.pointId === 'bien-hoa')).toMatchObject({
      firstConnectedAt: expect.any(Number),
      lastState: 'connected',
    });
    expect(report.connections.find((c) => c.pointId === 'phia-nam')).toMatchObject({
      firstConnectedAt: null,
      lastState: 'never',
      connectedSeconds: 0,
    });
  });

  it('refuses a technician and a foreign host', async () => {
    expect((await get('/report', await token('bien-hoa', 'technician'))).status).toBe(403);
    expect((await get('/report.html', await token('bien-hoa', 'viewer'))).status).toBe(403);
  });

  it('renders a printable page with Vietnamese headings, every user string escaped, under a strict CSP', async () => {
    const res = await get('/report.html', await token('tinh', 'host'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/unsafe|script-src/);
    const html = await res.text();
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('Phát biểu tại các điểm cầu');
    expect(html).toContain('Câu hỏi và trả lời');
    expect(html).toContain('Tham dự theo cấp');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&#39;; DROP TABLE questions; --');
    expect(html).toContain('Trả lời &lt;script&gt;');
    expect(html).toMatch(/Lập báo cáo lúc<\/td><td>\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d</);
  });

  it('ends an open floor segment when the conference ends', async () => {
    const conference = hub.conferences.get(CONF);
    conference?.floor.grant('bien-hoa', 60, null);
    await sleep(100);
    conference?.setStatus('ended', null);
    const report = ConferenceReport.parse(await (await get('/report')).json());
    expect(report.conference).toMatchObject({ status: 'ended', endedAt: expect.any(Number) });
    expect(report.floor.segments.at(-1)).toMatchObject({ pointId: 'bien-hoa', endedBy: 'conference_end', end: report.conference.endedAt });
    expect(report.agenda[0]).toMatchObject({ end: report.conference.endedAt });
  });
});

describe('escapeHtml', () => {
  it('escapes markup and both quotes', () => {
    expect(escapeHtml(`<script>alert('x')</script> & "y"`)).toBe('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;');
    expect(escapeHtml('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });
});
