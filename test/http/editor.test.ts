// The organiser page's editor over real HTTP against an in-process hub: templates, the conference list (search
// without accents, phases), a full edit before use (points removed and added, another central point, the
// agenda) kept across a restart, edits of a conference in use reaching a connected session without dropping
// it, and the refusals (a point removed or moved in use, an ended conference) that change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConferenceSpec } from '../../shared/domain.ts';
import type { Hub } from '../../server/hub.ts';
import { rotateAdminKey } from '../../server/http/admin-key.ts';
import { tempDataDir } from '../../scripts/lib/data-dir.ts';
import { connect, type HubClient } from '../../scripts/lib/hub-client.ts';
import { startHub } from '../helpers/test-hub.ts';
import { apiConference, restCaller } from '../helpers/rest.ts';

const dataDir = tempDataDir();
let hub: Hub;
let base: string;
let admin: string;
const clients: HubClient[] = [];

const DONG_NAI = 'dong-nai-tap-huan-bau-cu';

const spec = apiConference;
const rest = restCaller(() => base);
const call = (method: string, path: string, json?: unknown, token = admin) => rest(method, path, { json, token });

const getSpec = async (id: string): Promise<ConferenceSpec> => (await call('GET', `/conferences/${id}/spec`)).body.spec;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const ids = (list: Array<{ id: string }>): string[] => list.map((x) => x.id);

beforeAll(async () => {
  ({ hub, url: base } = await startHub({ DIEMCAU_DEMO: 'false', DIEMCAU_DATA_DIR: dataDir }));
  admin = rotateAdminKey(hub.db);
  for (const id of ['sua', 'dung', 'xong']) expect((await call('POST', '/conferences', spec(id))).status).toBe(201);
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await hub?.close('test done');
});

describe('templates', () => {
  it('lists the two seed plans and gives one to start from; an unknown one is not found', async () => {
    const list = await call('GET', '/templates');
    expect(list.status).toBe(200);
    expect(list.body.templates).toHaveLength(2);
    const summary = list.body.templates.find((t: { id: string }) => t.id === DONG_NAI);
    expect(summary).toMatchObject({ organiser: 'Ủy ban bầu cử tỉnh Đồng Nai', points: expect.any(Number), agendaItems: 5 });
    const one = await call('GET', `/templates/${DONG_NAI}`);
    expect(one.status).toBe(200);
    expect(one.body.spec).toMatchObject({ id: DONG_NAI, centralPointId: 'tinh-dong-nai' });
    expect(one.body.spec.points).toHaveLength(summary.points);
    expect(await call('GET', '/templates/khong-co')).toMatchObject({ status: 404, body: { error: { reason: 'template.unknown' } } });
    // A conference made from it, for the list below.
    expect((await call('POST', '/conferences', one.body.spec)).status).toBe(201);
  });

  it('are for organisers: a join token is refused', async () => {
    const { token } = await hub.credentials.issue({ conferenceId: 'sua', pointId: 'trung-uong', role: 'host' }, 600);
    expect(await call('GET', '/templates', undefined, token)).toMatchObject({ status: 403, body: { error: { reason: 'organiser.only' } } });
    expect((await call('GET', '/conferences/sua/spec', undefined, token)).status).toBe(403);
    expect((await call('PUT', '/conferences/sua', spec('sua'), token)).status).toBe(403);
  });
});

describe('a full edit before use', () => {
  it('removes and adds points, moves the centre, changes the agenda; a removed point loses its codes', async () => {
    const before = await call('GET', '/conferences/sua/spec');
    expect(before.body).toMatchObject({ status: 'scheduled', mode: 'full', connected: 0 });
    const haNoi = await hub.credentials.issue({ conferenceId: 'sua', pointId: 'ha-noi', role: 'technician' }, 600);
    const next = spec('sua', {
      status: 'draft',
      title: 'Hội nghị đã sửa',
      centralPointId: 'phia-nam',
      points: [
        { id: 'phia-nam', name: 'Ban Công tác phía Nam', level: 'central' },
        { id: 'trung-uong', name: 'Điểm cầu Trung ương', level: 'central', parentId: 'phia-nam', centralSide: true },
        { id: 'hue', name: 'Điểm cầu Huế', level: 'province', parentId: 'phia-nam' },
        { id: 'da-nang', name: 'Điểm cầu Đà Nẵng', level: 'province', parentId: 'phia-nam' },
      ] as ConferenceSpec['points'],
      agenda: [
        { id: 'bao-cao', title: 'Báo cáo', plannedMinutes: 30, rapporteurPointId: 'hue' },
        { id: 'be-mac', title: 'Bế mạc', plannedMinutes: 5 },
      ] as ConferenceSpec['agenda'],
    });
    const saved = await call('PUT', '/conferences/sua', next);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ status: 'draft', mode: 'full', spec: { title: 'Hội nghị đã sửa', centralPointId: 'phia-nam' } });
    expect(ids(saved.body.spec.points)).toEqual(['phia-nam', 'trung-uong', 'hue', 'da-nang']);
    const view = (await call('GET', '/conferences/sua')).body;
    expect(view).toMatchObject({ status: 'draft', centralPointId: 'phia-nam', agenda: { items: [{ id: 'bao-cao' }, { id: 'be-mac' }] } });
    await expect(hub.credentials.verify({ token: haNoi.token })).rejects.toMatchObject({ reason: 'token.revoked' });

    const audit = hub.db.all<{ actor: string; details: string }>(
      "SELECT actor, details FROM organiser_audit WHERE action = 'conference.update' AND target = 'sua'",
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor).toBe('admin-key');
    const details = JSON.parse(audit[0]?.details ?? '{}');
    expect(details).toMatchObject({ mode: 'full', pointsAdded: 2, pointsRemoved: 1, agendaAdded: 2, agendaRemoved: 1 });
    expect(details.fields).toEqual(expect.arrayContaining(['status', 'title', 'centralPointId', 'points', 'agenda']));
    const logged = hub.db.all<{ detail: string }>("SELECT detail FROM events WHERE conference_id = 'sua' AND action = 'conference.edited'");
    expect(JSON.parse(logged[0]?.detail ?? '{}')).toMatchObject({ pointsAdded: ['hue', 'da-nang'], pointsRemoved: ['ha-noi'] });
  });

  it('counts a room display as use: no full edit while any session is on the conference', async () => {
    const { token } = await hub.credentials.issue({ conferenceId: 'sua', pointId: 'hue', role: 'viewer' }, 600);
    const display = await connect(base, { token });
    expect((await call('GET', '/conferences/sua/spec')).body).toMatchObject({ mode: 'in_use', connected: 1 });
    const removed = await getSpec('sua');
    removed.points = removed.points.filter((p) => p.id !== 'da-nang');
    expect((await call('PUT', '/conferences/sua', removed)).body.error.reason).toBe('edit.in_use_point_removed');
    display.close();
    for (let i = 0; i < 100 && (await call('GET', '/conferences/sua/spec')).body.mode !== 'full'; i++) await sleep(20);
    expect((await call('GET', '/conferences/sua/spec')).body).toMatchObject({ mode: 'full', connected: 0 });
  });

  it('refuses an invalid spec as creating would, and another id', async () => {
    const bad = await call('PUT', '/conferences/sua', { ...(await getSpec('sua')), centralPointId: 'khong-co' });
    expect(bad).toMatchObject({ status: 400, body: { error: { reason: 'spec.central_unknown' } } });
    const other = await call('PUT', '/conferences/sua', { ...(await getSpec('sua')), id: 'khac' });
    expect(other).toMatchObject({ status: 400, body: { error: { reason: 'edit.id_changed' } } });
    expect((await call('PUT', '/conferences/khong-co', spec('khong-co'))).status).toBe(404);
  });
});

describe('an edit in use', () => {
  let tech: HubClient;

  beforeAll(async () => {
    const { token } = await hub.credentials.issue({ conferenceId: 'dung', pointId: 'ha-noi', role: 'technician' }, 600);
    tech = await connect(base, { token });
    clients.push(tech);
  });

  it('reaches the connected session: header, new point, renamed point, agenda', async () => {
    const before = await call('GET', '/conferences/dung/spec');
    expect(before.body).toMatchObject({ mode: 'in_use', connected: 1 });
    const next: ConferenceSpec = structuredClone(before.body.spec);
    next.title = 'Hội nghị (đã đổi tên)';
    next.banner = 'Băng rôn mới';
    next.floorSeconds = 120;
    next.questionCategories.push('Mới');
    next.points.push({ ...structuredClone(next.points[2] as ConferenceSpec['points'][number]), id: 'hue', name: 'Điểm cầu Huế' });
    (next.points[2] as { name: string }).name = 'Thành phố Hà Nội';
    next.agenda.push({ id: 'be-mac', title: 'Bế mạc', plannedMinutes: 5, rapporteur: '', rapporteurPointId: null });
    const since = tech.mark();
    const saved = await call('PUT', '/conferences/dung', next);
    expect(saved).toMatchObject({ status: 200, body: { mode: 'in_use', spec: { title: next.title } } });

    const header = await tech.waitForEvent('conference.updated', { since });
    expect(header).toEqual({
      title: next.title,
      organiser: next.organiser,
      startsAt: next.startsAt,
      banner: 'Băng rôn mới',
      floorSeconds: 120,
      questionCategories: ['Bầu cử', 'Khác', 'Mới'],
    });
    await tech.waitForEvent('point.updated', { since, predicate: (p) => p.id === 'hue' && p.connection === 'never' });
    await tech.waitForEvent('point.updated', { since, predicate: (p) => p.id === 'ha-noi' && p.name === 'Thành phố Hà Nội' });
    const agenda = await tech.waitForEvent('agenda.updated', { since });
    expect(ids(agenda.items)).toEqual(['khai-mac', 'be-mac']);
    expect(tech.socket.connected).toBe(true);
    // The open conference follows too: a fresh view, and a join at the new point.
    const view = (await call('GET', '/conferences/dung')).body;
    expect(view).toMatchObject({ title: next.title, floorSeconds: 120 });
    expect(view.points.find((p: { id: string }) => p.id === 'ha-noi')).toMatchObject({ connection: 'connected', name: 'Thành phố Hà Nội' });
    const { token } = await hub.credentials.issue({ conferenceId: 'dung', pointId: 'hue', role: 'technician' }, 600);
    const hue = await connect(base, { token });
    clients.push(hue);
    expect(hue.welcome.conference.title).toBe(next.title);
    hue.close();
  });

  it('refuses a removed point, a changed level or another centre, and loses nothing', async () => {
    const current = await getSpec('dung');
    const removed = { ...structuredClone(current), points: current.points.filter((p) => p.id !== 'phia-nam') };
    expect(await call('PUT', '/conferences/dung', removed)).toMatchObject({
      status: 409,
      body: { error: { reason: 'edit.in_use_point_removed', params: { pointId: 'phia-nam' } } },
    });
    const moved = structuredClone(current);
    (moved.points[2] as { level: string }).level = 'district';
    moved.title = 'Không được lưu';
    expect(await call('PUT', '/conferences/dung', moved)).toMatchObject({
      status: 409,
      body: { error: { reason: 'edit.in_use_point_moved', params: { pointId: 'ha-noi' } } },
    });
    const central = { ...structuredClone(current), centralPointId: 'phia-nam' };
    expect((await call('PUT', '/conferences/dung', central)).body.error.reason).toBe('edit.in_use_central');
    expect(await getSpec('dung')).toEqual(current);
    expect(tech.socket.connected).toBe(true);
  });
});

describe('an ended conference', () => {
  it('is a record: no edit', async () => {
    hub.conferences.get('xong')?.setStatus('ended', null);
    const current = await call('GET', '/conferences/xong/spec');
    expect(current.body).toMatchObject({ status: 'ended', mode: 'closed' });
    const answer = await call('PUT', '/conferences/xong', { ...current.body.spec, title: 'Sửa sau khi kết thúc' });
    expect(answer).toMatchObject({ status: 409, body: { error: { reason: 'conference.ended' } } });
    expect((await getSpec('xong')).title).toBe('Hội nghị trực tuyến thử nghiệm');
  });
});

describe('the list', () => {
  it('finds without accents or case, filters by phase, newest start first', async () => {
    const all = (await call('GET', '/conferences')).body.conferences;
    expect(ids(all)).toEqual(['dung', 'sua', 'xong', DONG_NAI]);
    expect(all[0]).toMatchObject({ phase: 'upcoming', status: 'scheduled', connected: 1, points: 4, rehearsalAt: null });
    const dongNai = await call('GET', `/conferences?q=${encodeURIComponent('dong nai')}`);
    expect(ids(dongNai.body.conferences)).toEqual([DONG_NAI]);
    expect(ids((await call('GET', `/conferences?q=${encodeURIComponent('ĐỒNG NAI')}`)).body.conferences)).toEqual([DONG_NAI]);
    expect(ids((await call('GET', '/conferences?q=hoi%20nghi%20da%20sua')).body.conferences)).toEqual(['sua']);
    expect(ids((await call('GET', '/conferences?phase=ended')).body.conferences)).toEqual(['xong']);
    expect(ids((await call('GET', '/conferences?phase=upcoming&q=uy%20ban')).body.conferences)).toEqual(['dung', 'sua', DONG_NAI]);
    expect((await call('GET', '/conferences?phase=soon')).status).toBe(400);
  });

  it('creating and issuing every code are audited', async () => {
    const bulk = await call('POST', '/conferences/dung/credentials/bulk', { roles: ['technician'], ttlSeconds: 600 });
    expect(bulk.status).toBe(201);
    const rows = hub.db.all<{ actor: string; action: string; target: string; details: string }>(
      "SELECT actor, action, target, details FROM organiser_audit WHERE action IN ('conference.create', 'credentials.issue_all')",
    );
    expect(rows.filter((r) => r.action === 'conference.create').map((r) => r.target)).toEqual(['sua', 'dung', 'xong', DONG_NAI]);
    const issued = rows.find((r) => r.action === 'credentials.issue_all');
    expect(issued).toMatchObject({ actor: 'admin-key', target: 'dung' });
    expect(JSON.parse(issued?.details ?? '{}')).toEqual({ roles: ['technician'], count: bulk.body.credentials.length });
  });
});

describe('after a restart', () => {
  it('keeps every edit', async () => {
    const before = { sua: await getSpec('sua'), dung: await getSpec('dung') };
    for (const c of clients) c.close();
    await hub.close('restart');
    ({ hub, url: base } = await startHub({ DIEMCAU_DEMO: 'false', DIEMCAU_DATA_DIR: dataDir }));
    expect(await getSpec('sua')).toEqual(before.sua);
    expect(await getSpec('dung')).toEqual(before.dung);
    expect(before.dung).toMatchObject({ title: 'Hội nghị (đã đổi tên)', floorSeconds: 120 });
    expect(ids(before.dung.points)).toEqual(['trung-uong', 'phia-nam', 'ha-noi', 'hue']);
    const view = (await call('GET', '/conferences/sua')).body;
    expect(ids(view.points)).toEqual(['phia-nam', 'trung-uong', 'hue', 'da-nang']);
    expect(view.status).toBe('draft');
  }, 60_000);
});
