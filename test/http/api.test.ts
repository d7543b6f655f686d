// The REST API's setup side over real HTTP against an in-process hub (temp data folder): conferences,
// points (bulk JSON and CSV, all or nothing), credentials, who may call what, and hostile input that
// must get a typed error and store nothing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ConferenceSpec } from '../../shared/domain.ts';
import type { Hub } from '../../server/hub.ts';
import { rotateAdminKey } from '../../server/http/admin-key.ts';
import { ConferenceStore } from '../../server/store/conferences.ts';

import { startHub } from '../helpers/test-hub.ts';
import { apiConference, restCaller } from '../helpers/rest.ts';

let hub: Hub;
let base: string;
let admin: string;

const SQL = "'; DROP TABLE questions; --";
const HTML = '<script>alert("x")</script>';

/** The API tests' conference without an agenda. */
const spec = (id: string, extra: Partial<ConferenceSpec> = {}): ConferenceSpec => apiConference(id, { agenda: [], ...extra });
const call = restCaller(() => base);

const issue = async (
  conferenceId: string,
  pointId: string,
  role: 'host' | 'cohost' | 'technician' | 'secretary' | 'viewer',
): Promise<string> => (await hub.credentials.issue({ conferenceId, pointId, role }, 600)).token;

const storedPoints = (id: string): string[] => new ConferenceStore(hub.db).load(id)?.spec.points.map((p) => p.id) ?? [];

beforeAll(async () => {
  ({ hub, url: base } = await startHub({ DIEMCAU_DEMO: 'false' }));
  admin = rotateAdminKey(hub.db);
  expect((await call('POST', '/conferences', { token: admin, json: spec('hn') })).status).toBe(201);
  expect((await call('POST', '/conferences', { token: admin, json: spec('other') })).status).toBe(201);
});

afterAll(async () => {
  await hub?.close('test done');
});

describe('conferences', () => {
  it('the admin creates one and gets its view; the same id again is a conflict', async () => {
    const created = await call('POST', '/conferences', { token: admin, json: spec('moi', { title: SQL, banner: HTML }) });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/api/conferences/moi');
    expect(created.body).toMatchObject({ id: 'moi', title: SQL, banner: HTML, status: 'scheduled', points: expect.any(Array) });
    expect(created.body.points).toHaveLength(3);
    const again = await call('POST', '/conferences', { token: admin, json: spec('moi') });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
  });

  it('lists for the admin only', async () => {
    const list = await call('GET', '/conferences', { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.conferences.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(['hn', 'other']));
    expect(list.body.conferences.find((c: { id: string }) => c.id === 'hn')).toMatchObject({
      points: expect.any(Number),
      status: 'scheduled',
    });
    expect((await call('GET', '/conferences', { token: await issue('hn', 'trung-uong', 'host') })).status).toBe(403);
  });

  it('shows a conference to the admin, its host and co-host; not to a technician or another conference', async () => {
    for (const token of [admin, await issue('hn', 'trung-uong', 'host'), await issue('hn', 'phia-nam', 'cohost')]) {
      const view = await call('GET', '/conferences/hn', { token });
      expect(view).toMatchObject({ status: 200, body: { id: 'hn', centralPointId: 'trung-uong', floor: { pointId: null } } });
    }
    const tech = await call('GET', '/conferences/hn', { token: await issue('hn', 'ha-noi', 'technician') });
    expect(tech).toMatchObject({ status: 403, body: { error: { code: 'forbidden', message: expect.any(String) } } });
    const foreign = await call('GET', '/conferences/hn', { token: await issue('other', 'trung-uong', 'host') });
    expect(foreign).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await call('GET', '/conferences/khong-co', { token: admin })).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
  });

  it.each([
    ['a missing title', spec('x1', { title: undefined })],
    ['an oversized title', spec('x2', { title: 'a'.repeat(501) })],
    ['a bad id', spec('X Y')],
    [
      'an unknown parent',
      spec('x3', {
        points: [
          { id: 'trung-uong', name: 'TW', level: 'central' },
          { id: 'a', name: 'A', level: 'province', parentId: 'zz' },
        ] as never,
      }),
    ],
    ['a central point that is not a point', spec('x4', { centralPointId: 'nowhere' })],
    [
      'duplicate point ids',
      spec('x5', {
        points: [
          { id: 'trung-uong', name: 'A', level: 'central' },
          { id: 'trung-uong', name: 'B', level: 'central' },
        ] as never,
      }),
    ],
    ['an unknown level', spec('x6', { points: [{ id: 'trung-uong', name: 'A', level: 'planet' }] as never })],
  ])('refuses %s with invalid and stores nothing', async (_name, body) => {
    const answer = await call('POST', '/conferences', { token: admin, json: body });
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'invalid', message: expect.any(String) } } });
    const ids = new ConferenceStore(hub.db).loadAll().map((c) => c.spec.id);
    expect(ids).not.toContain(body.id);
  });

  it('answers malformed JSON, a body over the limit and an unknown route with typed errors', async () => {
    const malformed = await call('POST', '/conferences', { token: admin, body: '{"id": "x",', type: 'application/json' });
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'invalid', message: 'malformed JSON' } } });
    const huge = await call('POST', '/conferences', {
      token: admin,
      body: JSON.stringify({ pad: 'x'.repeat(5 * 1024 * 1024) }),
      type: 'application/json',
    });
    expect(huge).toMatchObject({ status: 413, body: { error: { code: 'invalid' } } });
    expect(await call('GET', '/khong-co', { token: admin })).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(malformed.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('openapi', () => {
  it('serves the OpenAPI document without a token', async () => {
    const answer = await call('GET', '/openapi.json');
    expect(answer).toMatchObject({
      status: 200,
      body: { openapi: '3.1.0', paths: expect.objectContaining({ '/conferences': expect.any(Object) }) },
    });
  });
});

describe('authentication', () => {
  it('refuses no token, a malformed header, garbage, a tampered token and an old admin key with 401', async () => {
    expect(await call('GET', '/conferences/hn')).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    const basic = await fetch(`${base}/api/conferences/hn`, { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
    expect(basic.status).toBe(401);
    expect((await call('GET', '/conferences/hn', { token: 'not-a-real-token-at-all' })).status).toBe(401);

    const token = await issue('hn', 'ha-noi', 'technician');
    const [h, p, s] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), role: 'host' })).toString(
      'base64url',
    );
    const tampered = await call('GET', '/conferences/hn', { token: `${h}.${forged}.${s}` });
    expect(tampered).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });

    const revoked = await issue('hn', 'trung-uong', 'host');
    hub.credentials.revoke('hn', 'trung-uong', 'host');
    expect((await call('GET', '/conferences/hn', { token: revoked })).status).toBe(401);

    const old = admin;
    admin = rotateAdminKey(hub.db);
    expect((await call('GET', '/conferences', { token: old })).status).toBe(401);
    expect((await call('GET', '/conferences', { token: admin })).status).toBe(200);
  });
});

describe('points', () => {
  it('imports a JSON array (all at once), with SQL- and HTML-shaped names stored verbatim', async () => {
    const token = await issue('hn', 'trung-uong', 'host');
    const points = [
      { id: 'hai-phong', name: SQL, level: 'province', parentId: 'trung-uong', expectedAttendance: 20 },
      { id: 'kien-an', name: HTML, level: 'district', parentId: 'hai-phong', venue: 'Hội trường "A"' },
    ];
    const answer = await call('POST', '/conferences/hn/points', { token, json: points });
    expect(answer.status).toBe(201);
    expect(answer.body.points).toMatchObject([
      { id: 'hai-phong', name: SQL, connection: 'never' },
      { id: 'kien-an', name: HTML, venue: 'Hội trường "A"', expectedAttendance: 0 },
    ]);
    const view = await call('GET', '/conferences/hn', { token: admin });
    expect(view.body.points.find((p: { id: string }) => p.id === 'kien-an').name).toBe(HTML);
    expect(storedPoints('hn')).toEqual(expect.arrayContaining(['hai-phong', 'kien-an']));
  });

  it('imports CSV with quoting and Vietnamese names', async () => {
    const csv = [
      '\ufeffid,name,level,parentId,centralSide,venue,presiding,expectedAttendance',
      'nam-dinh,"Điểm cầu Nam Định, tỉnh",province,trung-uong,false,"Hội trường ""B""",Chủ tịch UBND,45',
      'giao-thuy,Huyện Giao Thủy,district,nam-dinh,,,,',
    ].join('\r\n');
    const answer = await call('POST', '/conferences/hn/points', { token: admin, body: csv, type: 'text/csv; charset=utf-8' });
    expect(answer.status).toBe(201);
    expect(answer.body.points).toMatchObject([
      { id: 'nam-dinh', name: 'Điểm cầu Nam Định, tỉnh', venue: 'Hội trường "B"', expectedAttendance: 45, centralSide: false },
      { id: 'giao-thuy', parentId: 'nam-dinh', expectedAttendance: 0, venue: '' },
    ]);
    expect(storedPoints('hn')).toEqual(expect.arrayContaining(['nam-dinh', 'giao-thuy']));
  });

  it.each([
    [
      'a CSV row with an unknown level',
      'text/csv',
      'id,name,level,parentId\nthai-binh,Thái Bình,province,trung-uong\nvu-thu,Vũ Thư,hamlet,thai-binh',
      400,
      /row 2/,
    ],
    [
      'a CSV row with an unknown parent',
      'text/csv',
      'id,name,level,parentId\nthai-binh,Thái Bình,province,trung-uong\nvu-thu,Vũ Thư,district,nowhere',
      400,
      /unknown parent/,
    ],
    [
      'a CSV row naming an existing point',
      'text/csv',
      'id,name,level\nthai-binh,Thái Bình,province\nha-noi,Hà Nội,province',
      409,
      /ha-noi/,
    ],
    ['a CSV row with too many cells', 'text/csv', 'id,name,level\nthai-binh,Thái Bình,province\nvu-thu,Vũ Thư,district,extra', 400, /CSV/],
    ['a CSV with an unknown column', 'text/csv', 'id,name,level,password\nthai-binh,Thái Bình,province,x', 400, /unknown column/],
    [
      'a CSV with a bad attendance',
      'text/csv',
      'id,name,level,expectedAttendance\nthai-binh,Thái Bình,province,-5',
      400,
      /expectedAttendance/,
    ],
    ['a CSV with an oversized name', 'text/csv', `id,name,level\nthai-binh,${'x'.repeat(201)},province`, 400, /name/],
    [
      'JSON with one bad point',
      'application/json',
      JSON.stringify([
        { id: 'thai-binh', name: 'TB', level: 'province' },
        { id: 'Bad Id', name: 'x', level: 'province' },
      ]),
      400,
      /points 1\.id/,
    ],
    [
      'JSON duplicates inside the import',
      'application/json',
      JSON.stringify([
        { id: 'thai-binh', name: 'TB', level: 'province' },
        { id: 'thai-binh', name: 'TB2', level: 'province' },
      ]),
      409,
      /thai-binh/,
    ],
    ['an empty JSON array', 'application/json', '[]', 400, /points/],
    ['another content type', 'text/plain', 'thai-binh', 400, /json|csv/i],
  ])('refuses %s and stores none of it', async (_name, type, body, status, message) => {
    const before = storedPoints('hn');
    const answer = await call('POST', '/conferences/hn/points', { token: admin, body, type });
    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(status === 409 ? 'conflict' : 'invalid');
    expect(answer.body.error.message).toMatch(message);
    expect(storedPoints('hn')).toEqual(before);
    expect(hub.conferences.get('hn')?.spec.points.map((p) => p.id)).toEqual(before);
  });

  it('lets only the admin and the host import', async () => {
    for (const role of ['cohost', 'technician'] as const) {
      const token = await issue('hn', role === 'cohost' ? 'phia-nam' : 'ha-noi', role);
      const answer = await call('POST', '/conferences/hn/points', { token, json: [{ id: 'x', name: 'x', level: 'province' }] });
      expect(answer).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    }
    const foreign = await call('POST', '/conferences/hn/points', {
      token: await issue('other', 'trung-uong', 'host'),
      json: [{ id: 'x', name: 'x', level: 'province' }],
    });
    expect(foreign.status).toBe(403);
    expect(storedPoints('hn')).not.toContain('x');
  });
});

describe('credentials', () => {
  it('issues a token and code for a point and role that belong together', async () => {
    const answer = await call('POST', '/conferences/hn/credentials', {
      token: await issue('hn', 'trung-uong', 'host'),
      json: { pointId: 'ha-noi', role: 'technician', ttlSeconds: 3600 },
    });
    expect(answer).toMatchObject({
      status: 201,
      body: { token: expect.any(String), code: expect.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/), expiresAt: expect.any(Number) },
    });
    expect(await hub.credentials.verify({ token: answer.body.token })).toEqual({
      conferenceId: 'hn',
      pointId: 'ha-noi',
      role: 'technician',
    });
    expect(await hub.credentials.verify({ code: answer.body.code })).toMatchObject({ pointId: 'ha-noi', role: 'technician' });
  });

  it.each([
    [{ pointId: 'trung-uong', role: 'technician' }, 403, 'forbidden'],
    [{ pointId: 'khong-co', role: 'viewer' }, 404, 'not_found'],
    [{ pointId: 'ha-noi', role: 'admin' }, 400, 'invalid'],
    [{ pointId: 'ha-noi', role: 'viewer', ttlSeconds: 5 }, 400, 'invalid'],
    [{ pointId: 'ha-noi', role: 'viewer', conferenceId: 'other' }, 400, 'invalid'],
    [{ pointId: SQL, role: 'viewer' }, 404, 'not_found'],
  ])('refuses %j', async (body, status, code) => {
    const answer = await call('POST', '/conferences/hn/credentials', { token: admin, json: body });
    expect(answer).toMatchObject({ status, body: { error: { code } } });
  });

  it('refuses a co-host issuing', async () => {
    const answer = await call('POST', '/conferences/hn/credentials', {
      token: await issue('hn', 'phia-nam', 'cohost'),
      json: { pointId: 'ha-noi', role: 'viewer' },
    });
    expect(answer.status).toBe(403);
  });

  it('issues in bulk one fresh code per point for every role that belongs there', async () => {
    const answer = await call('POST', '/conferences/hn/credentials/bulk', {
      token: admin,
      json: { roles: ['technician', 'viewer'], ttlSeconds: 7200 },
    });
    expect(answer.status).toBe(201);
    const points = hub.conferences.get('hn')?.spec.points ?? [];
    const remote = points.filter((p) => p.id !== 'trung-uong' && !p.centralSide);
    const list = answer.body.credentials as Array<{ pointId: string; role: string; code: string; token: string; pointName: string }>;
    expect(list.filter((c) => c.role === 'technician').map((c) => c.pointId)).toEqual(remote.map((p) => p.id));
    expect(list.filter((c) => c.role === 'viewer').map((c) => c.pointId)).toEqual(points.map((p) => p.id));
    expect(new Set(list.map((c) => c.code)).size).toBe(list.length);
    const sample = list.find((c) => c.pointId === 'hai-phong' && c.role === 'technician');
    expect(sample?.pointName).toBe(SQL);
    expect(await hub.credentials.verify({ code: sample?.code ?? '' })).toEqual({
      conferenceId: 'hn',
      pointId: 'hai-phong',
      role: 'technician',
    });
    const bad = await call('POST', '/conferences/hn/credentials/bulk', { token: admin, json: { roles: ['viewer', 'viewer'] } });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid' } } });
    const empty = await call('POST', '/conferences/hn/credentials/bulk', { token: admin, json: { roles: [] } });
    expect(empty.status).toBe(400);
  });
});
