// The floor and question flows closed (issue #12), over the real protocol of a real hub: the floor is refused
// to a point that is not connected; "answered live" ends the asking point's turn; "answer now with the floor"
// keeps the host's length; the rehearsal rehearses the floor and the questions, and going live sets them aside
// (dismissed as rehearsal, the queue empty); the end leaves every point 'ended', not reconnecting, in the
// consoles and in the report, with readiness counted by level.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/domain.ts';
import { REHEARSAL_REASON } from '../../shared/records.ts';
import type { Hub } from '../../server/hub.ts';
import { buildReport } from '../../server/report/report.ts';
import { RecordStore } from '../../server/store/records.ts';
import { connect, type HubClient, must, nextEvent } from '../../scripts/lib/hub-client.ts';
import { startHub } from '../helpers/test-hub.ts';
import { waitFor } from '../helpers/wait.ts';

const DONG_NAI = 'dong-nai-tap-huan-bau-cu';
const MTTQ = 'mttq-giam-sat-bau-cu-dot-1';
let hub: Hub;
let url: string;
const open: HubClient[] = [];

beforeAll(async () => {
  ({ hub, url } = await startHub());
});

afterAll(async () => {
  for (const c of open) c.close();
  await hub?.close('test done');
});

async function join(conferenceId: string, role: Role, pointId: string): Promise<HubClient> {
  const { token } = await hub.credentials.issue({ conferenceId, pointId, role }, 600);
  const client = await connect(url, { token });
  open.push(client);
  return client;
}

const ask = (client: HubClient, text: string) =>
  must(client.request('question.submit', { asker: 'Tổ thư ký', unit: 'Ủy ban bầu cử', category: 'Danh sách cử tri', text }));

describe('floor and question flows (Đồng Nai)', () => {
  it('refuses the floor to a point that has dropped, with floor.point_offline, and stores nothing', async () => {
    const host = await join(DONG_NAI, 'host', 'tinh-dong-nai');
    await must(host.request('conference.setStatus', { status: 'live' }));
    const tech = await join(DONG_NAI, 'technician', 'tan-phu');
    await must(tech.request('floor.request', { note: '' }));
    tech.close();
    await waitFor(() => hub.conferences.get(DONG_NAI)?.pointView('tan-phu').connection === 'reconnecting', 'tan-phu dropped');
    const grants = (): number => hub.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE action = 'floor.grant'")?.n ?? -1;
    const before = grants();
    expect(await host.request('floor.grant', { pointId: 'tan-phu' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', reason: 'floor.point_offline', params: { pointId: 'tan-phu' } },
    });
    expect(grants()).toBe(before);
    expect(hub.conferences.get(DONG_NAI)?.view().floor).toMatchObject({ pointId: null, queue: [{ pointId: 'tan-phu' }] });
  });

  it('"answer now with the floor" grants the host\'s length, and "answered live" ends the asking point\'s turn', async () => {
    const host = await join(DONG_NAI, 'host', 'tinh-dong-nai');
    const tech = await join(DONG_NAI, 'technician', 'bien-hoa');
    const q = await ask(tech, 'Cử tri tạm trú có được bỏ phiếu không?');
    await must(host.request('question.accept', { questionId: q.id }));
    const before = Date.now();
    await must(host.request('question.answering', { questionId: q.id, giveFloor: true, seconds: 90 }));
    const floor = hub.conferences.get(DONG_NAI)?.view().floor;
    expect(floor?.pointId).toBe('bien-hoa');
    expect((floor?.endsAt ?? 0) - before).toBeGreaterThanOrEqual(89_000);
    expect((floor?.endsAt ?? 0) - before).toBeLessThan(95_000);

    const back = nextEvent(tech, 'floor.updated', (f) => f.pointId === null);
    const answered = await must(host.request('question.answered', { questionId: q.id, mode: 'live' }));
    expect(answered).toMatchObject({ status: 'answered', answerMode: 'live' });
    expect((await back).pointId).toBeNull();
    const last = hub.db.all<{ action: string }>('SELECT action FROM events WHERE conference_id = ? ORDER BY seq DESC LIMIT 2', DONG_NAI);
    expect(last.map((e) => e.action)).toEqual(['floor.revoke', 'question.answered']);
  });

  it('a written answer leaves the speaker on the floor (only "answered live" ends the turn)', async () => {
    const host = await join(DONG_NAI, 'host', 'tinh-dong-nai');
    const tech = await join(DONG_NAI, 'technician', 'long-khanh');
    const q = await ask(tech, 'Phiếu gạch hết tên xử lý thế nào?');
    await must(host.request('question.answering', { questionId: q.id, giveFloor: true }));
    await must(host.request('question.answered', { questionId: q.id, mode: 'written', answer: 'Phiếu không hợp lệ.' }));
    expect(hub.conferences.get(DONG_NAI)?.floor.holder).toBe('long-khanh');
    await must(host.request('floor.revoke', {}));
  });
});

describe('rehearsal and the end (MTTQ: centre, two central-side points, 63 provinces)', () => {
  it('in rehearsal points ask for the floor and send questions; going live sets them aside', async () => {
    const host = await join(MTTQ, 'host', 'trung-uong');
    await must(host.request('conference.setStatus', { status: 'rehearsal' }));
    const anGiang = await join(MTTQ, 'technician', 'an-giang');
    const vungTau = await join(MTTQ, 'technician', 'ba-ria-vung-tau');
    expect(await must(anGiang.request('floor.request', { note: 'thử' }))).toMatchObject({ position: 1 });
    expect(await must(vungTau.request('floor.request', { note: '' }))).toMatchObject({ position: 2 });
    await must(host.request('floor.grant', { pointId: 'an-giang', seconds: 60 }));
    const asked = await ask(vungTau, 'Câu hỏi thử trong buổi tổng duyệt');
    await must(host.request('question.accept', { questionId: asked.id }));

    const dismissed = nextEvent(vungTau, 'question.updated', (q) => q.id === asked.id && q.status === 'dismissed');
    const cleared = nextEvent(vungTau, 'floor.updated', (f) => f.pointId === null && f.queue.length === 0);
    await must(host.request('conference.setStatus', { status: 'live' }));
    expect(await dismissed).toMatchObject({ dismissReason: REHEARSAL_REASON, position: null });
    await cleared;
    expect(hub.conferences.get(MTTQ)?.view().floor).toMatchObject({ pointId: null, endsAt: null, queue: [] });

    // The live queue starts clean; the rehearsal's question is in the report as a rehearsal one.
    expect(await must(vungTau.request('floor.request', { note: '' }))).toMatchObject({ position: 1 });
    const conference = hub.conferences.get(MTTQ);
    if (!conference) throw new Error('no MTTQ conference');
    const report = buildReport({ spec: conference.spec, status: conference.status, store: new RecordStore(hub.db) });
    expect(report.questions.items.find((q) => q.id === asked.id)).toMatchObject({ status: 'dismissed', dismissReason: REHEARSAL_REASON });
    expect(report.floor.segments.find((s) => s.pointId === 'an-giang')).toMatchObject({ endedBy: 'revoke' });
  });

  it('at the end every point is "ended", not reconnecting, on the host console and in the report', async () => {
    const host = await join(MTTQ, 'host', 'trung-uong');
    const tech = await join(MTTQ, 'technician', 'cao-bang');
    const call = await must(host.request('rollcall.start', { seconds: 600 }));
    const ended = nextEvent(host, 'point.updated', (p) => p.id === 'cao-bang' && p.connection === 'ended');
    const rollClosed = nextEvent(host, 'rollcall.updated', (c) => c.id === call.id && !c.open);
    await must(host.request('conference.setStatus', { status: 'ended' }));
    await ended;
    // An open roll call closes with the conference, for everyone at once, and the report counts it closed then.
    expect((await rollClosed).deadline).toBeLessThan(call.deadline);
    await waitFor(() => !tech.socket.connected, 'the technician is let go');
    const conference = hub.conferences.get(MTTQ);
    if (!conference) throw new Error('no MTTQ conference');
    expect(conference.view().points.filter((p) => p.connection !== 'ended')).toEqual([]);
    const report = buildReport({ spec: conference.spec, status: conference.status, store: new RecordStore(hub.db) });
    const caoBang = report.connections.find((c) => c.pointId === 'cao-bang');
    expect(caoBang).toMatchObject({ lastState: 'ended', drops: 0 });
    expect(report.rollCalls.find((r) => r.id === call.id)?.deadline).toBeLessThan(call.deadline);
    // Readiness by level: 2 central-side points and 63 provinces, none tested, and the total.
    expect(report.readinessByLevel).toEqual([
      { level: 'central', points: 2, ready: 0, notReady: 0, notTested: 2 },
      { level: 'province', points: 63, ready: 0, notReady: 0, notTested: 63 },
      { level: null, points: 65, ready: 0, notReady: 0, notTested: 65 },
    ]);
    expect(await host.request('floor.grant', { pointId: 'an-giang' })).toMatchObject({ ok: false, error: { reason: 'conference.ended' } });
  });
});
