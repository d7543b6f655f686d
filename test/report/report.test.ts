// The report from a database that older versions also wrote: readiness rows and log rows with their reasons
// in words are still read (the reasons judged again from the stored measurement), a log row that does not
// read is listed, not dropped silently; the JSON keeps codes and the printed page says every code in
// Vietnamese with its English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ConferenceSpec } from '../../shared/domain.ts';
import type { ReadinessMeasurement } from '../../shared/records.ts';
import { renderReportHtml } from '../../server/report/html.ts';
import { buildReport } from '../../server/report/report.ts';
import { ConferenceReport } from '../../server/report/schema.ts';
import { Database } from '../../server/store/db.ts';
import { ConferenceStore } from '../../server/store/conferences.ts';
import { RecordStore } from '../../server/store/records.ts';

import { tempDataDir } from '../../scripts/lib/data-dir.ts';

const spec = ConferenceSpec.parse({
  id: 'bao-cao-cu',
  title: 'Hội nghị tập huấn',
  startsAt: '2026-05-01T08:00:00+07:00',
  centralPointId: 'tinh',
  points: [
    { id: 'tinh', name: 'Điểm cầu tỉnh', level: 'province', expectedAttendance: 40 },
    { id: 'huyen-a', name: 'Điểm cầu huyện A', level: 'district', parentId: 'tinh', expectedAttendance: 20 },
    { id: 'huyen-b', name: 'Điểm cầu huyện B', level: 'district', parentId: 'tinh', expectedAttendance: 20 },
    { id: 'xa-c', name: 'Điểm cầu xã C', level: 'commune', parentId: 'huyen-b', expectedAttendance: 10 },
  ],
});

const T0 = Date.UTC(2026, 4, 1, 1, 0, 0);
const good = { bitrateKbps: 900, lossPercent: 0.5, jitterMs: 8, roundTripMs: 40 };
const lossy: ReadinessMeasurement = {
  signallingRoundTripMs: 30,
  send: { ...good, lossPercent: 12 },
  receive: good,
  microphoneLevelDb: -90,
};

let db: Database;
let store: RecordStore;

function event(at: number, actor: [string, string] | null, action: string, detail: unknown): void {
  db.run(
    'INSERT INTO events (conference_id, at, actor_point, actor_role, action, detail) VALUES (?, ?, ?, ?, ?, ?)',
    spec.id,
    at,
    actor?.[0] ?? null,
    actor?.[1] ?? null,
    action,
    JSON.stringify(detail),
  );
}

beforeAll(() => {
  db = new Database(tempDataDir());
  new ConferenceStore(db).insert(spec);
  store = new RecordStore(db);
  const host: [string, string] = ['tinh', 'host'];
  event(T0, host, 'conference.status', { from: 'scheduled', to: 'live' });
  event(T0 + 60_000, host, 'floor.grant', { pointId: 'huyen-a', seconds: 120 });
  event(T0 + 150_000, null, 'floor.expire', { pointId: 'huyen-a' });
  // As versions before reason codes wrote them: the reasons in words, in the readiness row and in the log.
  const words = ['Mất gói gửi (send): 12.0%', 'Không nghe thấy micro (-90 dB) (microphone silent)'];
  db.run(
    'INSERT INTO readiness (conference_id, point_id, tested_at, ready, reasons, measurement, server) VALUES (?, ?, ?, ?, ?, ?, ?)',
    spec.id,
    'huyen-a',
    T0 - 600_000,
    0,
    JSON.stringify(words),
    JSON.stringify(lossy),
    null,
  );
  event(T0 - 600_000, ['huyen-a', 'technician'], 'readiness.report', { state: 'not_ready', reasons: words });
  // A row this version cannot read (a point id that is not text).
  event(T0 + 200_000, host, 'floor.grant', { pointId: 7, seconds: 60 });
  // Today's shape, through the store.
  store.saveReadiness(spec.id, {
    pointId: 'huyen-b',
    state: 'ready',
    reasons: [],
    testedAt: T0 - 500_000,
    measurement: { signallingRoundTripMs: 20, send: good, receive: good, microphoneLevelDb: -25 },
    server: null,
  });
  store.saveConnection(spec.id, 'huyen-a', 'connected', T0 - 700_000);
  store.saveConnection(spec.id, 'huyen-b', 'connected', T0 - 700_000);
  store.saveConnection(spec.id, 'huyen-b', 'reconnecting', T0 + 100_000);
  // The programme: a layout with the banner message, sharing allowed and stopped, gains (one set back to 0).
  store.log(spec.id, { pointId: 'tinh', role: 'host' }, 'programme.layout', { layout: 'banner', message: 'Giải lao 10 phút' });
  store.log(spec.id, { pointId: 'tinh', role: 'host' }, 'programme.sharing', { allowed: true });
  store.log(spec.id, { pointId: 'tinh', role: 'host' }, 'programme.stop_sharing', { pointIds: ['huyen-b'] });
  store.log(spec.id, { pointId: 'tinh', role: 'host' }, 'programme.gain', { pointId: 'huyen-a', gainDb: 4 });
  store.log(spec.id, { pointId: 'tinh', role: 'host' }, 'programme.gain', { pointId: 'huyen-b', gainDb: -3 });
  store.log(spec.id, { pointId: 'tinh', role: 'host' }, 'programme.gain', { pointId: 'huyen-b', gainDb: 0 });
  event(T0 + 300_000, host, 'conference.status', { from: 'live', to: 'ended' });
});

afterAll(() => db?.close());

describe('rows older versions wrote', () => {
  it('a readiness row with reasons in words is judged again from its measurement', () => {
    const row = store.latestReadiness(spec.id).find((r) => r.pointId === 'huyen-a');
    expect(row).toMatchObject({
      state: 'not_ready',
      reasons: [
        { code: 'loss_high', direction: 'send', value: 12, limit: 5 },
        { code: 'microphone_silent', direction: null, value: -90, limit: -60 },
      ],
    });
  });

  it('a readiness log row with reasons in words is kept, its state as it was; a row that does not read is listed', () => {
    const log = store.eventLog(spec.id);
    expect(log.events.find((e) => e.action === 'readiness.report')).toMatchObject({
      actorPoint: 'huyen-a',
      detail: { state: 'not_ready', reasons: [] },
    });
    expect(log.unreadable).toEqual([{ seq: expect.any(Number), action: 'floor.grant' }]);
    expect(log.events.filter((e) => !e.action.startsWith('programme.'))).toHaveLength(5);
  });
});

describe('the report', () => {
  it('keeps codes in JSON', () => {
    const report = ConferenceReport.parse(JSON.parse(JSON.stringify(buildReport({ spec, status: 'ended', store, now: T0 + 400_000 }))));
    expect(report.floor.segments).toMatchObject([{ pointId: 'huyen-a', level: 'district', endedBy: 'expire', seconds: 90 }]);
    expect(report.readiness).toEqual([
      {
        pointId: 'huyen-a',
        pointName: 'Điểm cầu huyện A',
        level: 'district',
        state: 'not_ready',
        testedAt: T0 - 600_000,
        reasons: expect.any(Array),
      },
      { pointId: 'huyen-b', pointName: 'Điểm cầu huyện B', level: 'district', state: 'ready', testedAt: T0 - 500_000, reasons: [] },
      { pointId: 'xa-c', pointName: 'Điểm cầu xã C', level: 'commune', state: 'not_tested', testedAt: null, reasons: [] },
    ]);
    expect(report.readiness[0]?.reasons.map((r) => r.code)).toEqual(['loss_high', 'microphone_silent']);
    expect(report.connections.map((c) => c.lastState)).toEqual(['never', 'connected', 'reconnecting', 'never']);
    expect(report.unreadableEvents).toEqual([{ seq: expect.any(Number), action: 'floor.grant' }]);
    expect(report.programme.changes.map((c) => [c.kind, c.layout, c.message, c.allowed, c.pointNames])).toEqual([
      ['layout', 'banner', 'Giải lao 10 phút', null, []],
      ['sharing', null, '', true, []],
      ['stop_sharing', null, '', null, ['Điểm cầu huyện B']],
    ]);
    expect(report.programme.gains).toEqual([{ pointId: 'huyen-a', pointName: 'Điểm cầu huyện A', gainDb: 4 }]);
  });

  it('prints every state, status, level, end cause and readiness reason in Vietnamese with its English', () => {
    const html = renderReportHtml(buildReport({ spec, status: 'ended', store, now: T0 + 400_000 }));
    for (const words of [
      'Đã kết thúc (ended)',
      'Huyện (district)',
      'Xã (commune)',
      'Tỉnh (province)',
      'Hết giờ (time up)',
      'Đã kết nối (connected)',
      'Đang kết nối lại (reconnecting)',
      'Chưa kết nối (never connected)',
      'Chưa sẵn sàng (not ready)',
      'Sẵn sàng (ready)',
      'Chưa kiểm tra (not tested)',
      'Mất gói chiều gửi: 12,0%, tối đa 5% (send packet loss)',
      'Không nghe thấy micro: -90 dB, tối thiểu -60 dB (microphone silent)',
      '1 mục nhật ký không đọc được',
      'Maket kèm thông báo (banner with a message): Giải lao 10 phút',
      'Cho phép (allowed)',
      'Dừng chia sẻ màn hình (sharing stopped)',
    ]) {
      expect(html).toContain(words);
    }
    // No bare code is left in a cell.
    expect(html).not.toMatch(/<td>(connected|never|reconnecting|not_ready|not_tested|district|expire)<\/td>/);
  });
});
