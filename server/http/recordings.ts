// The recording over REST: its view and its chapters (moderators), cutting a clip of a chapter or a range
// (the host or the admin key), downloading a file with a short-lived ticket that the console gets with its
// session (so a browser can download gigabytes without holding them in memory), deleting one (the host or
// the admin key), and the programme's HLS for the press page: through the public link's key while the host
// has it on, or with any credential of the conference.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { resolve, sep } from 'node:path';
import { Router, type Request } from 'express';
import { ClipRequest } from '../../shared/recording.ts';
import { ALL_ROLES, CONTROLLERS, MODERATORS } from '../../shared/rules.ts';
import { refuse } from '../errors.ts';
import type { RecordingService } from '../recording/service.ts';
import type { Gate } from './auth.ts';
import { parseOr } from './errors.ts';

/** A download ticket lasts this long. */
const TICKET_TTL_MS = 10 * 60_000;
const HLS_FILE = /^[A-Za-z0-9_-]{1,64}\.(m3u8|ts|m4s|mp4)$/;
const HLS_TYPES: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  ts: 'video/mp2t',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
};

export function recordingRoutes({ gate, recording }: { gate: Gate; recording: RecordingService }): Router {
  const router = Router();
  // Tickets are signed with a key drawn at start: a restart of the hub voids the ones handed out.
  const key = randomBytes(32);
  const sign = (fileId: string, expires: number): string => createHmac('sha256', key).update(`${fileId}.${expires}`).digest('base64url');

  router.get('/conferences/:id/recordings', async (req, res) => {
    const { conference } = await gate.conference(req, req.params.id, MODERATORS);
    res.json(recording.of(conference).view());
  });

  // Before /recordings/:fileId, which would take "chapters" for a file id.
  router.get('/conferences/:id/recordings/chapters', async (req, res) => {
    const { conference } = await gate.conference(req, req.params.id, MODERATORS);
    res.json({ chapters: recording.of(conference).chapters() });
  });

  // Accepted: the clip is listed at once (open) and cut in the background; the view shows when it is ready.
  router.post('/conferences/:id/recordings/clips', async (req, res) => {
    const { conference, actor } = await gate.conference(req, req.params.id, CONTROLLERS);
    const request = parseOr(ClipRequest, req.body, 'clip');
    res.status(202).json(recording.of(conference).clip({ actor }, request));
  });

  router.post('/conferences/:id/recordings/:fileId/ticket', async (req, res) => {
    const { conference } = await gate.conference(req, req.params.id, MODERATORS);
    const file = recording.of(conference).file(req.params.fileId);
    if (!file) throw refuse('recording.file_unknown', { fileId: req.params.fileId }, 'no such file');
    const expires = Date.now() + TICKET_TTL_MS;
    const ticket = `${expires}.${sign(file.id, expires)}`;
    const url = `/api/conferences/${encodeURIComponent(conference.id)}/recordings/${encodeURIComponent(file.id)}?ticket=${ticket}`;
    res.json({ url, expiresAt: expires });
  });

  router.get('/conferences/:id/recordings/:fileId', async (req, res) => {
    const conference = recording.conference(req.params.id);
    const file = conference ? recording.of(conference).file(req.params.fileId) : undefined;
    if (!conference || !file || !ticketValid(req, file.id)) {
      throw refuse('auth.ticket', {}, 'no valid download ticket for this file');
    }
    res.set('Cache-Control', 'private, no-store');
    res.attachment(file.name);
    res.sendFile(file.absolute, { dotfiles: 'deny', acceptRanges: true });
  });

  router.delete('/conferences/:id/recordings/:fileId', async (req, res) => {
    const { conference, actor } = await gate.conference(req, req.params.id, CONTROLLERS);
    res.json(await recording.of(conference).deleteFile({ actor }, req.params.fileId));
  });

  // What the press page shows above the picture for a public link: the conference's title and status.
  router.get('/conferences/:id/live/:key/about', async (req, res) => {
    const conference = recording.conference(req.params.id);
    const part = conference ? recording.of(conference) : undefined;
    if (!conference || !part || part.pressKey === null || !same(part.pressKey, req.params.key)) {
      throw refuse('recording.press_off', {}, 'the press link is off or not this one');
    }
    res.json({ title: conference.spec.title, status: conference.status });
  });

  router.get('/conferences/:id/live/:key/:file', async (req, res, next) => {
    const name = req.params.file;
    if (!HLS_FILE.test(name)) throw refuse('recording.press_off', {}, 'no such live file');
    let part: ReturnType<RecordingService['of']> | undefined;
    if (req.params.key === '-') {
      part = recording.of((await gate.conference(req, req.params.id, ALL_ROLES)).conference);
    } else {
      const conference = recording.conference(req.params.id);
      part = conference ? recording.of(conference) : undefined;
      if (!part || part.pressKey === null || !same(part.pressKey, req.params.key)) {
        throw refuse('recording.press_off', {}, 'the press link is off or not this one');
      }
    }
    const dir = resolve(part.hlsDir);
    const path = resolve(dir, name);
    if (!path.startsWith(dir + sep)) throw refuse('recording.press_off', {}, 'no such live file');
    const ext = name.slice(name.lastIndexOf('.') + 1);
    res.set('Cache-Control', ext === 'm3u8' ? 'no-store' : 'public, max-age=60');
    res.type(HLS_TYPES[ext] ?? 'application/octet-stream');
    res.sendFile(path, { dotfiles: 'deny' }, (error) => {
      if (error && !res.headersSent) next(refuse('recording.live_not_yet', {}, 'the programme is not streamed (yet)'));
    });
  });

  function ticketValid(req: Request, fileId: string): boolean {
    const ticket = typeof req.query.ticket === 'string' ? req.query.ticket : '';
    const [expires, mac] = ticket.split('.');
    const at = Number(expires);
    if (!mac || !Number.isFinite(at) || at < Date.now()) return false;
    return same(sign(fileId, at), mac);
  }

  return router;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
