// Questions, attendance, roll call, readiness and agenda over the real protocol, stored in a real
// database file: what each role may do, what each side sees live, and bad input that stores nothing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Role } from '../../shared/domain.ts';
import type { QuestionView } from '../../shared/records.ts';
import type { Hub } from '../../server/hub.ts';

import { connect, type HubClient as SignalClient, must, nextEvent } from '../../scripts/lib/hub-client.ts';
import { startHub } from '../helpers/test-hub.ts';

const CONF = 'dong-nai-tap-huan-bau-cu';
let hub: Hub;
let url: string;
const open: SignalClient[] = [];

beforeAll(async () => {
  ({ hub, url } = await startHub());
});

afterAll(async () => {
  for (const c of open) c.close();
  await hub?.close('test done');
});

async function join(role: Role, pointId: string): Promise<SignalClient> {
  const { token } = await hub.credentials.issue({ conferenceId: CONF, pointId, role }, 600);
  const client = await connect(url, { token });
  open.push(client);
  return client;
}

const rowCount = (table: string): number => (hub.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`) ?? { n: -1 }).n;

describe('questions', () => {
  it('go from a point through moderation, and the asking point sees every change', async () => {
    const host = await join('host', 'tinh-dong-nai');
    const secretary = await join('secretary', 'bien-hoa');
    const other = await join('secretary', 'long-khanh');

    const submitted = await must(
      secretary.request('question.submit', {
        asker: 'Tổ thư ký điểm cầu Biên Hòa',
        unit: 'Ủy ban bầu cử phường',
        category: 'Danh sách cử tri',
        text: 'Cử tri tạm trú dưới 12 tháng có được ghi tên vào danh sách cử tri không?',
      }),
    );
    expect(submitted).toMatchObject({ status: 'submitted', pointId: 'bien-hoa', position: null });
    const second = await must(
      secretary.request('question.submit', {
        asker: 'Tổ thư ký',
        category: 'Kiểm phiếu và xác định kết quả',
        text: 'Phiếu gạch hết tên xử lý thế nào?',
      }),
    );

    // The point corrects its question while it is only submitted; another point may not.
    expect(await other.request('question.edit', { questionId: submitted.id, text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', reason: 'question.not_own' },
    });
    const edited = await must(secretary.request('question.edit', { questionId: second.id, text: 'Phiếu gạch hết tên thì xử lý thế nào?' }));
    expect(edited.text).toBe('Phiếu gạch hết tên thì xử lý thế nào?');

    const seen: QuestionView[] = [];
    secretary.socket.on('question.updated', (q) => seen.push(q));
    await must(host.request('question.accept', { questionId: submitted.id }));
    await must(host.request('question.accept', { questionId: second.id }));
    expect((await must(host.request('question.reorder', { questionId: second.id, position: 1 }))).position).toBe(1);
    await must(host.request('question.categorise', { questionId: submitted.id, category: 'Quy trình bầu cử' }));
    await join('technician', 'bien-hoa'); // the floor goes only to a point that is connected
    const answering = await must(host.request('question.answering', { questionId: submitted.id, giveFloor: true, seconds: 60 }));
    expect(answering).toMatchObject({ status: 'answering', position: null });
    expect(hub.conferences.get(CONF)?.view().floor.pointId).toBe('bien-hoa');
    const answered = await must(
      host.request('question.answered', { questionId: submitted.id, mode: 'written', answer: 'Được, theo Điều 29 Luật bầu cử.' }),
    );
    expect(answered).toMatchObject({ status: 'answered', answerMode: 'written', answer: 'Được, theo Điều 29 Luật bầu cử.' });
    await nextEvent(secretary, 'question.updated', (q) => q.id === submitted.id && q.status === 'answered');
    expect(seen.map((q) => `${q.id === submitted.id ? 'A' : 'B'}:${q.status}`)).toEqual(
      expect.arrayContaining(['A:queued', 'B:queued', 'A:answering', 'A:answered']),
    );
    // The other point heard nothing of it.
    expect(other.received.filter((e) => e.event === 'question.updated')).toEqual([]);

    // Written answer needs its text; a closed question stays closed.
    expect(await host.request('question.answered', { questionId: second.id, mode: 'written' })).toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
    expect(await host.request('question.dismiss', { questionId: submitted.id, reason: 'trùng' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', reason: 'question.closed', params: { status: 'answered' } },
    });
    await must(host.request('question.dismiss', { questionId: second.id, reason: 'Đã trả lời trong báo cáo' }));

    const stats = await must(host.request('question.stats', {}));
    expect(stats.byPoint['bien-hoa']).toBe(2);
    expect(stats.byStatus).toMatchObject({ answered: 1, dismissed: 1 });
    const own = await must(other.request('question.list', {}));
    expect(own.questions).toEqual([]);
    expect(await other.request('question.list', { pointId: 'bien-hoa' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', reason: 'question.others' },
    });
    await must(host.request('floor.revoke', {}));
  });

  it('refuses bad questions with typed errors and stores nothing', async () => {
    const secretary = await join('secretary', 'xuan-loc');
    const before = rowCount('questions');
    const events = rowCount('events');
    for (const [params, code] of [
      [{ asker: 'A', category: 'Không có', text: 'x' }, 'invalid'],
      [{ asker: 'A', category: 'Khác', text: 'x'.repeat(2001) }, 'invalid'],
      [{ asker: '', category: 'Khác', text: 'x' }, 'invalid'],
      [{ asker: 'A', category: 'Khác', text: 'x', status: 'answered' }, 'invalid'],
      [{ asker: 'A', category: 'Khác' }, 'invalid'],
    ] as const) {
      expect(await secretary.raw('question.submit', params)).toMatchObject({ ok: false, error: { code } });
    }
    expect(rowCount('questions')).toBe(before);
    expect(rowCount('events')).toBe(events);
    // SQL- and HTML-shaped text is just text.
    const text = `'; DROP TABLE questions; -- <img src=x onerror=alert(1)>`;
    const q = await must(secretary.request('question.submit', { asker: '<b>Tổ</b>', category: 'Khác', text }));
    expect(q.text).toBe(text);
    expect(hub.db.get<{ text: string }>('SELECT text FROM questions WHERE id = ?', q.id)?.text).toBe(text);
    expect(rowCount('questions')).toBe(before + 1);
  });

  it('merges a duplicate into another question', async () => {
    const host = await join('host', 'tinh-dong-nai');
    const a = await join('secretary', 'cam-my');
    const q1 = await must(a.request('question.submit', { asker: 'A', category: 'Khác', text: 'Hỏi một' }));
    const q2 = await must(a.request('question.submit', { asker: 'B', category: 'Khác', text: 'Hỏi một (trùng)' }));
    expect(await host.request('question.merge', { questionId: q1.id, intoId: q1.id })).toMatchObject({
      ok: false,
      error: { code: 'invalid', reason: 'question.merge_self' },
    });
    expect(await must(host.request('question.merge', { questionId: q2.id, intoId: q1.id }))).toMatchObject({
      status: 'merged',
      mergedInto: q1.id,
    });
  });
});

describe('monitoring wall', () => {
  it("shows a point's own microphone level while its audio is paused at the hub", async () => {
    const host = await join('host', 'tinh-dong-nai');
    const tech = await join('technician', 'trang-bom');
    const viewer = await join('viewer', 'trang-bom');
    const level = nextEvent(host, 'wall.levels', (p) => p.levels.some((l) => l.pointId === 'trang-bom'));
    expect(await tech.request('media.reportLevel', { volume: -23 })).toEqual({ ok: true, data: {} });
    expect((await level).levels).toEqual([{ pointId: 'trang-bom', volume: -23 }]);
    expect(await tech.raw('media.reportLevel', { volume: 5 })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await viewer.request('media.reportLevel', { volume: -20 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(viewer.received.some((e) => e.event === 'wall.levels')).toBe(false);
  });
});

describe('attendance, roll call, readiness, agenda', () => {
  it('records attendance and a roll call confirmed within its window', async () => {
    const host = await join('host', 'tinh-dong-nai');
    const tech = await join('technician', 'vinh-cuu');
    const attendance = await must(tech.request('attendance.report', { present: 38, groups: { 'cấp huyện': 20, 'cấp xã': 18 } }));
    expect(attendance).toMatchObject({ pointId: 'vinh-cuu', present: 38 });
    const call = await must(host.request('rollcall.start', { seconds: 10 }));
    expect(call.open).toBe(true);
    expect(await host.request('rollcall.start', { seconds: 10 })).toMatchObject({
      ok: false,
      error: { code: 'conflict', reason: 'rollcall.open' },
    });
    const confirmed = await must(tech.request('rollcall.confirm', {}));
    expect(Object.keys(confirmed.confirmed)).toEqual(['vinh-cuu']);
    const snapshot = await must(host.request('records.snapshot', {}));
    expect(snapshot.attendance.find((a) => a.pointId === 'vinh-cuu')?.present).toBe(38);
    expect(snapshot.rollCall?.confirmed['vinh-cuu']).toBeTypeOf('number');
  });

  it('judges a connection test and lists every point on the readiness board', async () => {
    const host = await join('host', 'tinh-dong-nai');
    const tech = await join('technician', 'long-thanh');
    const pong = await must(tech.request('readiness.ping', { sentAt: 123 }));
    expect(pong.sentAt).toBe(123);
    const good = { bitrateKbps: 1200, lossPercent: 0.2, jitterMs: 8, roundTripMs: 30 };
    const ready = await must(
      tech.request('readiness.report', { signallingRoundTripMs: 25, send: good, receive: good, microphoneLevelDb: -28 }),
    );
    expect(ready).toMatchObject({ state: 'ready', reasons: [] });
    const poor = await must(
      tech.request('readiness.report', {
        signallingRoundTripMs: 25,
        send: { ...good, lossPercent: 12 },
        receive: good,
        microphoneLevelDb: -90,
      }),
    );
    expect(poor.state).toBe('not_ready');
    expect(poor.reasons).toEqual([
      { code: 'loss_high', direction: 'send', value: 12, limit: 5 },
      { code: 'microphone_silent', direction: null, value: -90, limit: -60 },
    ]);
    const board = (await must(host.request('records.snapshot', {}))).readiness;
    // Every point, the centre first (it checks itself too since #12), then the 11 districts.
    expect(board).toHaveLength(12);
    expect(board[0]?.pointId).toBe('tinh-dong-nai');
    expect(board.find((r) => r.pointId === 'long-thanh')?.state).toBe('not_ready');
    expect(board.find((r) => r.pointId === 'tan-phu')?.state).toBe('not_tested');
  });

  it('moves through the agenda and everyone sees the current item', async () => {
    const host = await join('host', 'tinh-dong-nai');
    const viewer = await join('viewer', 'dinh-quan');
    expect(viewer.welcome.conference.agenda.items.map((i) => i.id)).toContain('truoc-ngay-bau-cu');
    const seen = nextEvent(viewer, 'agenda.updated');
    await must(host.request('agenda.goto', { itemId: 'truoc-ngay-bau-cu' }));
    expect((await seen).currentItemId).toBe('truoc-ngay-bau-cu');
    expect(await host.request('agenda.goto', { itemId: 'khong-co' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', reason: 'agenda.item_unknown', params: { itemId: 'khong-co' } },
    });
    const snapshot = await must(viewer.request('records.snapshot', {}));
    expect(snapshot).toEqual({ questions: [], attendance: [], rollCall: null, readiness: [], documents: [] });
  });
});
