// The organiser page's preparation routes over real HTTP against an in-process hub: the points preview of an
// .xlsx written here (Vietnamese headers, Đồng Nai's 11 districts under the province point, two bad rows) and
// of CSV, export and re-import, the directory (all or nothing), the readiness overview, join codes over REST,
// and the documents' order and removal, each change in the organisers' audit log.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import writeXlsxFile from 'write-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConferenceSpec, PointSpec } from '../../shared/domain.ts';
import type { Hub } from '../../server/hub.ts';
import { rotateAdminKey } from '../../server/http/admin-key.ts';
import { AuditStore } from '../../server/organisers/audit.ts';
import { RecordStore } from '../../server/store/records.ts';
import { startHub } from '../helpers/test-hub.ts';
import { restCaller } from '../helpers/rest.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CONF = 'dn-chuan-bi';
const seed = JSON.parse(
  readFileSync(new URL('../../config/demo/dong-nai-tap-huan-bau-cu.json', import.meta.url), 'utf8'),
) as ConferenceSpec;
const province = seed.points.find((p) => p.level === 'province') as PointSpec;
const districts = seed.points.filter((p) => p.level === 'district');

let hub: Hub;
let base: string;
let admin: string;

const call = restCaller(
  () => base,
  () => admin,
);
const audited = (action: string) => new AuditStore(hub.db).list().filter((e) => e.action === action);

/** The sheet an organiser would type: Vietnamese headers, the districts under the province by its id, two bad rows. */
async function districtSheet(): Promise<Buffer> {
  const rows = districts.map((d, i) => [i + 1, d.name, 'Huyện', province.id, d.venue, d.presiding, d.expectedAttendance]);
  return writeXlsxFile([
    ['STT', 'Tên điểm cầu', 'Cấp', 'Trực thuộc', 'Địa điểm', 'Người chủ trì', 'Số đại biểu'],
    ...rows,
    [12, 'Điểm cầu ấp Bàu Sen', 'Thôn', province.id, null, null, 10],
    [13, null, 'Xã', province.id, 'Hội trường xã', null, 20],
  ]).toBuffer();
}

beforeAll(async () => {
  ({ hub, url: base } = await startHub({ DIEMCAU_DEMO: 'false' }));
  admin = rotateAdminKey(hub.db);
  const spec = { ...seed, id: CONF, status: undefined, agenda: [], points: [province] };
  expect((await call('POST', '/conferences', { json: spec })).status).toBe(201);
});

afterAll(async () => {
  await hub?.close('test done');
});

describe('points preview', () => {
  it('lists the good rows of an .xlsx and each problem with its row and field; nothing is saved', async () => {
    const answer = await call('POST', '/points/preview', { body: new Uint8Array(await districtSheet()), type: XLSX });
    expect(answer.status).toBe(200);
    expect(answer.body.rows).toBe(13);
    expect(answer.body.points).toHaveLength(11);
    expect(answer.body.points.find((p: PointSpec) => p.name.endsWith('Vĩnh Cửu'))).toMatchObject({
      id: 'diem-cau-huyen-vinh-cuu',
      name: 'Điểm cầu huyện Vĩnh Cửu',
      level: 'district',
    });
    expect(answer.body.points.every((p: PointSpec) => p.parentId === province.id && p.expectedAttendance === 40)).toBe(true);
    // Rows as Excel labels them: the header is row 1, the districts rows 2 to 12.
    expect(answer.body.pointRows).toEqual(districts.map((_, i) => i + 2));
    expect(answer.body.problems).toEqual([
      { row: 13, field: 'level', reason: 'csv.row_invalid', params: { row: 13, field: 'level' } },
      { row: 14, field: 'name', reason: 'csv.row_invalid', params: { row: 14, field: 'name' } },
    ]);
    expect(hub.conferences.get(CONF)?.spec.points).toHaveLength(1);
  });

  it('reads CSV the same way', async () => {
    const csv = [
      'Mã điểm cầu,Tên,Cấp,Trực thuộc',
      ...districts.map((d) => `${d.id},${d.name},Huyện,${province.name}`),
      ',,,',
      'x,X,Thôn,',
    ].join('\r\n');
    const answer = await call('POST', '/points/preview', { body: csv, type: 'text/csv; charset=utf-8' });
    expect(answer.status).toBe(200);
    expect(answer.body.points.map((p: PointSpec) => p.id)).toEqual(districts.map((d) => d.id));
    // Line 13 is empty (skipped, still counted): the bad row is line 14 of the file.
    expect(answer.body.problems).toEqual([{ row: 14, field: 'level', reason: 'csv.row_invalid', params: { row: 14, field: 'level' } }]);
  });

  it('refuses what it cannot read, and callers that are not organisers', async () => {
    expect((await call('POST', '/points/preview', { body: 'garbage', type: XLSX })).body.error.reason).toBe('import.xlsx_unreadable');
    expect((await call('POST', '/points/preview', { json: [] })).body.error.reason).toBe('import.content_type');
    const host = (await hub.credentials.issue({ conferenceId: CONF, pointId: province.id, role: 'host' }, 600)).token;
    const denied = await call('POST', '/points/preview', { token: host, body: 'Tên,Cấp\nA,Xã', type: 'text/csv' });
    expect(denied).toMatchObject({ status: 403, body: { error: { reason: 'organiser.only' } } });
  });
});

describe('export and re-import', () => {
  it('exports the points as CSV and .xlsx with Vietnamese headers, and both read back the same', async () => {
    expect((await call('POST', `/conferences/${CONF}/points`, { json: districts })).status).toBe(201);
    const points = hub.conferences.get(CONF)?.spec.points ?? [];
    expect(points).toHaveLength(12);

    const csv = await call('GET', `/conferences/${CONF}/points.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="${CONF}-diem-cau.csv"`);
    expect(csv.body.split('\r\n')[0]).toBe(
      '\ufeffMã điểm cầu,Tên điểm cầu,Cấp,Trực thuộc,Phía trung tâm,Địa điểm,Người chủ trì,Số đại biểu',
    );
    const fromCsv = await call('POST', '/points/preview', { body: csv.body, type: 'text/csv' });
    const pointRows = points.map((_, i) => i + 2);
    expect(fromCsv.body).toEqual({ rows: 12, points, pointRows, problems: [] });

    const xlsx = await call('GET', `/conferences/${CONF}/points.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain(XLSX);
    expect(xlsx.headers.get('content-disposition')).toBe(`attachment; filename="${CONF}-diem-cau.xlsx"`);
    const fromXlsx = await call('POST', '/points/preview', { body: new Uint8Array(xlsx.bytes), type: XLSX });
    expect(fromXlsx.body).toEqual({ rows: 12, points, pointRows, problems: [] });
  });

  it('guards text cells a spreadsheet would run', async () => {
    const spec = { ...seed, id: 'dn-cong-thuc', status: undefined, agenda: [], points: [{ ...province, presiding: '=HYPERLINK("x")' }] };
    expect((await call('POST', '/conferences', { json: spec })).status).toBe(201);
    expect((await call('GET', '/conferences/dn-cong-thuc/points.csv')).body).toContain(`'=HYPERLINK(""x"")`);
  });
});

describe('directory', () => {
  const point = (id: string, name: string, extra: Partial<PointSpec> = {}) => ({
    id,
    name,
    level: 'district',
    parentId: province.id,
    ...extra,
  });

  it('upserts all or none, keeps places, lists in order and removes', async () => {
    const first = await call('PUT', '/directory', {
      json: { points: [province, point('bien-hoa', 'Biên Hòa'), point('long-khanh', 'Long Khánh')] },
    });
    expect(first.status).toBe(200);
    expect(first.body.points.map((p: PointSpec) => p.id)).toEqual([province.id, 'bien-hoa', 'long-khanh']);
    expect(first.body.points[0]).toMatchObject({ updatedBy: 'admin-key', updatedAt: expect.any(Number) });

    const second = await call('PUT', '/directory', { json: { points: [point('vinh-cuu', 'Vĩnh Cửu'), point('bien-hoa', 'TP Biên Hòa')] } });
    expect(second.body.points.map((p: PointSpec) => [p.id, p.name])).toEqual([
      [province.id, province.name],
      ['bien-hoa', 'TP Biên Hòa'],
      ['long-khanh', 'Long Khánh'],
      ['vinh-cuu', 'Vĩnh Cửu'],
    ]);

    const bad = await call('PUT', '/directory', { json: { points: [point('tan-phu', 'Tân Phú'), point('Bad Id', 'x')] } });
    expect(bad).toMatchObject({ status: 400, body: { error: { reason: 'request.malformed' } } });
    const twice = await call('PUT', '/directory', { json: { points: [point('tan-phu', 'Tân Phú'), point('tan-phu', 'Tân Phú 2')] } });
    expect(twice).toMatchObject({ status: 400, body: { error: { reason: 'spec.duplicate_point' } } });
    expect((await call('GET', '/directory')).body.points.map((p: PointSpec) => p.id)).toEqual([
      province.id,
      'bien-hoa',
      'long-khanh',
      'vinh-cuu',
    ]);

    expect((await call('DELETE', '/directory/long-khanh')).status).toBe(204);
    expect((await call('DELETE', '/directory/long-khanh')).body.error).toMatchObject({ code: 'not_found', reason: 'directory.unknown' });
    expect((await call('GET', '/directory')).body.points.map((p: PointSpec) => p.id)).toEqual([province.id, 'bien-hoa', 'vinh-cuu']);
    expect(audited('directory.update')).toHaveLength(2);
    expect(audited('directory.remove')).toMatchObject([{ actor: 'admin-key', target: 'long-khanh' }]);
  });
});

describe('readiness overview', () => {
  it("lists each point's connection and last test", async () => {
    new RecordStore(hub.db).saveReadiness(CONF, {
      pointId: 'bien-hoa',
      state: 'not_ready',
      reasons: [{ code: 'loss_high', direction: 'send', value: 12, limit: 5 }],
      testedAt: 1_700_000_000_000,
      measurement: null as never,
      server: null,
    });
    const answer = await call('GET', `/conferences/${CONF}/readiness`);
    expect(answer.status).toBe(200);
    expect(answer.body.at).toEqual(expect.any(Number));
    expect(answer.body.points).toHaveLength(12);
    expect(answer.body.points[0]).toEqual({
      pointId: province.id,
      name: province.name,
      level: 'province',
      parentId: null,
      connection: 'never',
      connectionSince: null,
      state: 'not_tested',
      reasons: [],
      testedAt: null,
    });
    expect(answer.body.points.find((p: { pointId: string }) => p.pointId === 'bien-hoa')).toMatchObject({
      state: 'not_ready',
      reasons: [{ code: 'loss_high' }],
      testedAt: 1_700_000_000_000,
    });
    expect((await call('GET', '/conferences/nowhere/readiness')).status).toBe(404);
  });
});

describe('codes over REST', () => {
  it('lists, reissues and revokes with the admin key or the host, as the console does', async () => {
    const host = (await hub.credentials.issue({ conferenceId: CONF, pointId: province.id, role: 'host' }, 600)).token;
    await hub.credentials.issue({ conferenceId: CONF, pointId: 'bien-hoa', role: 'technician' }, 600);
    const reissued = await call('POST', `/conferences/${CONF}/credentials/reissue`, { json: { pointId: 'bien-hoa', role: 'technician' } });
    expect(reissued.status).toBe(201);
    expect(reissued.body).toMatchObject({ code: expect.any(String), expiresAt: expect.any(Number), revoked: 1 });

    const listed = await call('GET', `/conferences/${CONF}/credentials`, { token: host });
    const technician = listed.body.credentials.filter((c: { pointId: string; role: string }) => c.pointId === 'bien-hoa');
    expect(technician).toHaveLength(2);
    expect(technician.filter((c: { revokedAt: number | null }) => c.revokedAt === null)).toHaveLength(1);

    const revoked = await call('POST', `/conferences/${CONF}/credentials/revoke`, {
      token: host,
      json: { pointId: 'bien-hoa', role: 'technician' },
    });
    expect(revoked).toMatchObject({ status: 200, body: { revoked: 1 } });
    const own = await call('POST', `/conferences/${CONF}/credentials/revoke`, {
      token: host,
      json: { pointId: province.id, role: 'host' },
    });
    expect(own.body.error.reason).toBe('credentials.own');
    const wrong = await call('POST', `/conferences/${CONF}/credentials/revoke`, { json: { pointId: 'bien-hoa', role: 'host' } });
    expect(wrong.body.error.reason).toBe('role.wrong_point');
    const malformed = await call('POST', `/conferences/${CONF}/credentials/reissue`, { json: { pointId: 'bien-hoa' } });
    expect(malformed.body.error.reason).toBe('request.malformed');
    const tech = (await hub.credentials.issue({ conferenceId: CONF, pointId: 'long-khanh', role: 'technician' }, 600)).token;
    expect((await call('GET', `/conferences/${CONF}/credentials`, { token: tech })).status).toBe(403);
    expect(audited('credentials.revoke').map((e) => [e.actor, e.details.pointId])).toEqual([
      ['host@tinh-dong-nai', 'bien-hoa'],
      ['admin-key', 'bien-hoa'],
    ]);
  });
});

describe('documents', () => {
  const jpeg = (n: number): Uint8Array =>
    new Uint8Array(
      Buffer.concat([
        Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
        Buffer.from('JFIF\0', 'latin1'),
        Buffer.alloc(9 + n),
        Buffer.from([0xff, 0xd9]),
      ]),
    );
  const upload = async (name: string, n: number): Promise<string> => {
    const form = new FormData();
    form.append('file', new Blob([jpeg(n)]), name);
    const res = await call('POST', `/conferences/${CONF}/documents`, { body: form });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const listed = async (): Promise<string[]> =>
    (await call('GET', `/conferences/${CONF}/documents`)).body.documents.map((d: { id: string }) => d.id);

  it('orders all the documents, refuses a partial order, and deletes row and file', async () => {
    const a = await upload('so-do.jpg', 1);
    const b = await upload('danh-sach.jpg', 2);
    const c = await upload('lich.jpg', 3);
    expect(await listed()).toEqual([a, b, c]);

    const ordered = await call('PUT', `/conferences/${CONF}/documents/order`, { json: { ids: [c, a, b] } });
    expect(ordered.status).toBe(200);
    expect(ordered.body.documents.map((d: { id: string }) => d.id)).toEqual([c, a, b]);
    expect(await listed()).toEqual([c, a, b]);
    for (const ids of [
      [c, a],
      [c, a, b, b],
      [c, a, 'nope'],
    ]) {
      expect((await call('PUT', `/conferences/${CONF}/documents/order`, { json: { ids } })).body.error.reason).toBe('document.order');
    }
    const d = await upload('phu-luc.jpg', 4);
    expect(await listed()).toEqual([c, a, b, d]);

    const file = join(dirname(hub.db.file), 'documents', CONF, a);
    expect(existsSync(file)).toBe(true);
    expect((await call('DELETE', `/conferences/${CONF}/documents/${a}`)).status).toBe(204);
    expect(existsSync(file)).toBe(false);
    expect(await listed()).toEqual([c, b, d]);
    expect((await call('DELETE', `/conferences/${CONF}/documents/${a}`)).body.error.reason).toBe('document.unknown');
    expect(audited('document.order')).toHaveLength(1);
    expect(audited('document.remove')).toMatchObject([{ actor: 'admin-key', target: CONF, details: { documentId: a } }]);
  });
});

describe('an organiser account', () => {
  it('signs in and prepares: preview, export, directory (audited under its name), readiness', async () => {
    const account = { username: 'to-chuc.dn', displayName: 'Văn phòng Ủy ban bầu cử tỉnh', password: 'mat-khau-thu-nghiem-1' };
    expect((await call('POST', '/organiser/accounts', { json: account })).status).toBe(201);
    const session = await call('POST', '/organiser/session', { json: { username: account.username, password: account.password } });
    expect(session.status).toBe(201);
    const token = session.body.token as string;
    const preview = await call('POST', '/points/preview', { token, body: 'Tên,Cấp\nUBND huyện Vĩnh Cửu,Huyện\n', type: 'text/csv' });
    expect(preview.body.points).toMatchObject([{ id: 'ubnd-huyen-vinh-cuu', level: 'district' }]);
    expect((await call('GET', `/conferences/${CONF}/points.csv`, { token })).status).toBe(200);
    expect((await call('GET', `/conferences/${CONF}/readiness`, { token })).status).toBe(200);
    expect((await call('GET', `/conferences/${CONF}/credentials`, { token })).status).toBe(200);
    const put = await call('PUT', '/directory', { token, json: { points: [preview.body.points[0]] } });
    expect(put.body.points.at(-1)).toMatchObject({ id: 'ubnd-huyen-vinh-cuu', updatedBy: account.username });
    expect(audited('directory.update')[0]).toMatchObject({ actor: account.username });
  });
});
