// The recording over REST against an in-process hub (no recorder process): the view and the chapters for the
// moderators, clips cut by the host or the admin key (202, listed open, then closed with duration and
// SHA-256), download tickets (the whole file, a Range, a wrong, foreign or expired ticket refused with
// auth.ticket), deleting, and the press page's HLS by its public key: refused while off, served with the
// right type while on, never a path outside its folder. The OpenAPI document lists every route.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RecordingView } from '../../shared/recording.ts';
import { rotateAdminKey } from '../../server/http/admin-key.ts';
import { buildOpenApi } from '../../server/http/openapi.ts';
import type { Hub } from '../../server/hub.ts';
import { ConferenceStore } from '../../server/store/conferences.ts';
import { connect, type HubClient } from '../../scripts/lib/hub-client.ts';
import { tempDataDir } from '../../scripts/lib/data-dir.ts';
import { makeProgrammeFile, seedRecording, smallConference } from '../helpers/programme-file.ts';
import { startHub } from '../helpers/test-hub.ts';
import { sleep } from '../helpers/wait.ts';
import { restCaller } from '../helpers/rest.ts';

const CONF = 'ghi-hinh';
const spec = smallConference(CONF, 'Hội nghị ghi hình');

let hub: Hub;
let base: string;
let admin: string;
const tokens: Record<'host' | 'cohost' | 'technician', string> = { host: '', cohost: '', technician: '' };
let fileId: string;
let source: Buffer;
const call = restCaller(() => base);

const view = async (): Promise<RecordingView> => (await call('GET', `/conferences/${CONF}/recordings`, { token: admin })).body;

async function untilClosed(name: RegExp): Promise<RecordingView['files'][number]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const clip = (await view()).files.find((f) => f.kind === 'clip' && name.test(f.name));
    if (clip && !clip.open && clip.sha256 !== null) return clip;
    if (Date.now() > deadline) throw new Error(`clip ${name} not closed: ${JSON.stringify(clip)}`);
    await sleep(100);
  }
}

beforeAll(async () => {
  const sourcePath = join(tempDataDir(), 'nguon.mp4');
  await makeProgrammeFile(sourcePath, 12);
  source = readFileSync(sourcePath);
  ({ hub, url: base } = await startHub({ DIEMCAU_DEMO: 'false' }));
  admin = rotateAdminKey(hub.db);
  new ConferenceStore(hub.db).insert(spec);
  fileId = (await seedRecording(hub.db, hub.recording.root, CONF, sourcePath, 'huyen')).file.id;
  for (const [role, pointId] of [
    ['host', 'tinh'],
    ['cohost', 'phia-nam'],
    ['technician', 'huyen'],
  ] as const) {
    tokens[role] = (await hub.credentials.issue({ conferenceId: CONF, pointId, role }, 600)).token;
  }
}, 60_000);

afterAll(async () => {
  vi.useRealTimers();
  await hub?.close('test done');
}, 30_000);

describe('view and chapters', () => {
  it('the moderators and the admin see the recording and its chapters; a technician may not', async () => {
    for (const token of [admin, tokens.host, tokens.cohost]) {
      const v = await call('GET', `/conferences/${CONF}/recordings`, { token });
      expect(v.status).toBe(200);
      expect(v.body.files).toEqual([
        expect.objectContaining({
          id: fileId,
          kind: 'programme',
          segment: 1,
          open: false,
          sha256: createHash('sha256').update(source).digest('hex'),
        }),
      ]);
      const c = await call('GET', `/conferences/${CONF}/recordings/chapters`, { token });
      expect(c.status).toBe(200);
      expect(c.body.chapters.map((x: { startMs: number; fileId: string }) => [x.fileId, x.startMs])).toEqual([
        [fileId, 3_000],
        [fileId, 9_500],
      ]);
    }
    const refused = await call('GET', `/conferences/${CONF}/recordings/chapters`, { token: tokens.technician });
    expect(refused.status).toBe(403);
    expect((await call('GET', `/conferences/${CONF}/recordings/chapters`)).status).toBe(401);
  });
});

describe('clips', () => {
  it('the admin key cuts a range: 202 with the clip listed open, closed later; logged without an actor', async () => {
    const answer = await call('POST', `/conferences/${CONF}/recordings/clips`, {
      token: admin,
      json: { fileId, fromMs: 2_000, toMs: 6_000, name: 'Trả lời' },
    });
    expect(answer.status).toBe(202);
    expect(answer.body.files.find((f: { kind: string }) => f.kind === 'clip')).toMatchObject({
      open: true,
      name: 'Trả-lời-000002-000006.mp4',
    });
    const clip = await untilClosed(/^Trả-lời/);
    expect(clip.durationMs).toBeGreaterThanOrEqual(4_000);
    expect(clip.durationMs).toBeLessThanOrEqual(6_100);
    const row = hub.db.get<{ actor_point: string | null }>(
      "SELECT actor_point FROM events WHERE conference_id = ? AND action = 'recording.clip'",
      CONF,
    );
    expect(row).toEqual({ actor_point: null });
  });

  it('the host cuts a chapter', async () => {
    const [chapter] = (await call('GET', `/conferences/${CONF}/recordings/chapters`, { token: tokens.host })).body.chapters;
    const answer = await call('POST', `/conferences/${CONF}/recordings/clips`, { token: tokens.host, json: { chapterId: chapter.id } });
    expect(answer.status).toBe(202);
    expect((await untilClosed(/^Điểm-cầu-huyện-000003-000008/)).bytes).toBeGreaterThan(0);
  });

  it.each([
    ['a body that is no clip request', { fileId: 'tep-1', fromMs: 0 }, 400, 'request.malformed'],
    ['an empty range', { fileId: 'tep-1', fromMs: 13_000, toMs: 14_000 }, 400, 'recording.clip_range'],
    ['no such chapter', { chapterId: 'khong-co' }, 400, 'recording.clip_range'],
    ['no such file', { fileId: 'khong-co', fromMs: 0, toMs: 1_000 }, 404, 'recording.file_unknown'],
  ])('refuses %s', async (_what, json, status, reason) => {
    const answer = await call('POST', `/conferences/${CONF}/recordings/clips`, { token: tokens.host, json });
    expect(answer.status).toBe(status);
    expect(answer.body.error.reason).toBe(reason);
  });

  it('a co-host may not cut', async () => {
    const answer = await call('POST', `/conferences/${CONF}/recordings/clips`, {
      token: tokens.cohost,
      json: { fileId, fromMs: 0, toMs: 1_000 },
    });
    expect(answer.status).toBe(403);
  });
});

describe('downloads', () => {
  const ticketFor = async (id: string): Promise<string> => {
    const answer = await call('POST', `/conferences/${CONF}/recordings/${id}/ticket`, { token: tokens.cohost });
    expect(answer.status).toBe(200);
    return answer.body.url;
  };

  it('a ticket downloads the whole file and a range of it, without a credential', async () => {
    const url = await ticketFor(fileId);
    const whole = await call('GET', url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-disposition')).toMatch(/attachment; filename=/);
    expect(whole.bytes.equals(source)).toBe(true);
    const part = await call('GET', url, { headers: { range: 'bytes=100-1099' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-1099/${source.length}`);
    expect(part.bytes.equals(source.subarray(100, 1100))).toBe(true);
  });

  it("a wrong ticket, another file's ticket, or an expired one is refused with auth.ticket", async () => {
    const url = await ticketFor(fileId);
    const [path, ticket] = url.split('?ticket=') as [string, string];
    const [expires, mac] = ticket.split('.') as [string, string];
    const clip = (await view()).files.find((f) => f.kind === 'clip');
    const attempts = [
      `${path}`,
      `${path}?ticket=${expires}.${mac.slice(0, -2)}AA`,
      `${path}?ticket=${Number(expires) + 60_000}.${mac}`,
      `/api/conferences/${CONF}/recordings/${clip?.id}?ticket=${ticket}`,
    ];
    for (const attempt of attempts) {
      const answer = await call('GET', attempt);
      expect(answer.status, attempt).toBe(401);
      expect(answer.body.error.reason).toBe('auth.ticket');
    }
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    try {
      vi.setSystemTime(Date.now() + 11 * 60_000);
      const late = await call('GET', url);
      expect(late.status).toBe(401);
      expect(late.body.error.reason).toBe('auth.ticket');
    } finally {
      vi.useRealTimers();
    }
    expect((await call('GET', url)).status).toBe(200);
  });

  it('a ticket for a file that does not exist is refused', async () => {
    const answer = await call('POST', `/conferences/${CONF}/recordings/khong-co/ticket`, { token: tokens.host });
    expect(answer.status).toBe(404);
    expect(answer.body.error.reason).toBe('recording.file_unknown');
  });
});

describe('deleting', () => {
  it('the host deletes a clip (row, file and listing); a co-host may not; an unknown file is not found', async () => {
    const clip = (await view()).files.find((f) => f.kind === 'clip');
    const onDisk = join(hub.recording.root, CONF, 'clips', clip?.name ?? '');
    expect(existsSync(onDisk)).toBe(true);
    expect((await call('DELETE', `/conferences/${CONF}/recordings/${clip?.id}`, { token: tokens.cohost })).status).toBe(403);
    const answer = await call('DELETE', `/conferences/${CONF}/recordings/${clip?.id}`, { token: tokens.host });
    expect(answer.status).toBe(200);
    expect(answer.body.files.map((f: { id: string }) => f.id)).not.toContain(clip?.id);
    expect(existsSync(onDisk)).toBe(false);
    const again = await call('DELETE', `/conferences/${CONF}/recordings/${clip?.id}`, { token: tokens.host });
    expect(again.status).toBe(404);
    expect(again.body.error.reason).toBe('recording.file_unknown');
  });
});

describe("the press page's HLS", () => {
  let host: HubClient;
  beforeAll(async () => {
    host = await connect(base, { token: (await hub.credentials.issue({ conferenceId: CONF, pointId: 'tinh', role: 'host' }, 600)).token });
    const conference = hub.conferences.get(CONF);
    if (!conference) throw new Error('no conference');
    const dir = hub.recording.of(conference).hlsDir;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.m3u8'), '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nseg_001.ts\n');
    writeFileSync(join(dir, 'seg_001.ts'), Buffer.alloc(188 * 4, 0x47));
    writeFileSync(join(hub.recording.root, CONF, 'bi-mat.m3u8'), '#EXTM3U\n# not for the press\n');
  });
  afterAll(() => host?.socket.disconnect());

  it('while the link is off every key is refused with recording.press_off', async () => {
    const answer = await call('GET', `/conferences/${CONF}/live/abcdefghijklmnop/index.m3u8`);
    expect(answer.status).toBe(403);
    expect(answer.body.error.reason).toBe('recording.press_off');
  });

  it('on: the key serves the playlist and segments with their types; a wrong key, a missing file, a path outside are refused', async () => {
    const { press } = await host.call('recording.setPress', { enabled: true });
    const key = press.key ?? '';
    const live = `/conferences/${CONF}/live/${key}`;
    const playlist = await call('GET', `${live}/index.m3u8`);
    expect(playlist.status).toBe(200);
    expect(playlist.headers.get('content-type')).toMatch(/^application\/vnd\.apple\.mpegurl/);
    expect(playlist.headers.get('cache-control')).toBe('no-store');
    expect(playlist.body).toContain('seg_001.ts');
    const segment = await call('GET', `${live}/seg_001.ts`);
    expect(segment.status).toBe(200);
    expect(segment.headers.get('content-type')).toMatch(/^video\/mp2t/);
    expect(segment.bytes.length).toBe(188 * 4);
    const withCredential = await call('GET', `/conferences/${CONF}/live/-/index.m3u8`, { token: tokens.technician });
    expect(withCredential.status).toBe(200);
    expect((await call('GET', `/conferences/${CONF}/live/${key.slice(1)}x/index.m3u8`)).body.error.reason).toBe('recording.press_off');
    expect((await call('GET', `${live}/seg_999.ts`)).body.error.reason).toBe('recording.live_not_yet');
    for (const name of ['..%2Fbi-mat.m3u8', '%2E%2E%2F%2E%2E%2Fdiemcau.db', '.hidden.m3u8', 'index.m3u8%00.ts', 'index.html']) {
      const answer = await call('GET', `${live}/${name}`);
      expect(answer.status, name).toBe(403);
      expect(answer.body.error.reason).toBe('recording.press_off');
    }
    const traversal = await call('GET', `${live}/../bi-mat.m3u8`);
    expect(traversal.body).not.toContain('not for the press');
    const about = await call('GET', `${live}/about`);
    expect(about.status).toBe(200);
    expect(about.body).toEqual({ title: expect.stringContaining('Hội nghị'), status: expect.any(String) });
    await host.call('recording.setPress', { enabled: false });
    expect((await call('GET', `${live}/index.m3u8`)).status).toBe(403);
    expect((await call('GET', `${live}/about`)).body.error.reason).toBe('recording.press_off');
  });
});

it('the report over REST lists the recording: the programme file, its chapters, the clips and their events', async () => {
  const answer = await call('GET', `/conferences/${CONF}/report`, { token: tokens.cohost });
  expect(answer.status).toBe(200);
  expect(answer.body.recording.files).toMatchObject([{ id: fileId, number: 1 }]);
  expect(answer.body.recording.chapters).toHaveLength(2);
  expect(answer.body.recording.clips.length).toBeGreaterThanOrEqual(1);
  expect(answer.body.recording.events.map((e: { kind: string }) => e.kind)).toEqual(
    expect.arrayContaining(['clip', 'file_delete', 'press']),
  );
  const html = await call('GET', `/conferences/${CONF}/report.html`, { token: tokens.host });
  expect(html.body).toContain('12. Ghi hình (recording)');
});

it('the OpenAPI document lists the recording routes', () => {
  const doc = buildOpenApi() as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
  expect(Object.keys(doc.paths['/conferences/{id}/recordings/clips'] ?? {})).toEqual(['post']);
  expect(Object.keys(doc.paths['/conferences/{id}/recordings/chapters'] ?? {})).toEqual(['get']);
  expect(Object.keys(doc.paths['/conferences/{id}/recordings/{fileId}'] ?? {}).sort()).toEqual(['delete', 'get']);
  expect(doc.paths).toHaveProperty(['/conferences/{id}/recordings/{fileId}/ticket']);
  expect(doc.paths).toHaveProperty(['/conferences/{id}/live/{key}/{file}']);
  expect(doc.components.schemas).toHaveProperty('ClipRequest');
  expect(doc.components.schemas).toHaveProperty('Chapter');
});
