// Setup: conferences (created and listed by organisers and the admin key, the list searched without regard
// to case or Vietnamese accents), their points (bulk import from JSON or CSV, all or nothing) and join credentials.
import { Router } from 'express';
import { z } from 'zod';
import { Role } from '../../shared/domain.ts';
import { requests } from '../../shared/protocol.ts';
import type { Actor } from '../../shared/event-log.ts';
import { ConferenceListItem, ConferenceListQuery, phaseOf } from '../../shared/organiser.ts';
import { CONTROLLERS, MODERATORS, roleBelongsAt } from '../../shared/rules.ts';
import type { CredentialIssuer } from '../auth/credentials.ts';
import type { Conference } from '../conference/conference.ts';
import type { ConferenceRegistry } from '../conference/registry.ts';
import { refuse } from '../errors.ts';
import type { ConferenceStore } from '../store/conferences.ts';
import type { AuditLog } from '../organisers/audit.ts';
import { auditActor, type Gate } from './auth.ts';
import { connectedPoints } from './editor.ts';
import { parseOr } from './errors.ts';
import { parseConferenceSpec } from '../conference/spec.ts';
import { MAX_POINTS, parsePointsCsv, parsePointsJson } from './import.ts';

export interface ConferenceRoutesDeps {
  gate: Gate;
  conferences: ConferenceRegistry;
  store: ConferenceStore;
  credentials: CredentialIssuer;
  audit: AuditLog;
}

export const IssueBody = requests['credentials.issue'].params;
/** The same body as the console's "codes for the day" (credentials.issueAll). */
export const BulkIssueBody = requests['credentials.issueAll'].params;

/** One conference of GET /conferences (the organiser page's list; scripts read its first fields). */
export const ConferenceSummary = ConferenceListItem;

/** Text as the list's search compares it: lower case, accents and marks gone, đ as d ("Hội nghị" → "hoi nghi"). */
export const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/đ/g, 'd');

/** Whether every word of the query is in the conference's title, organiser or id. */
export function matches(query: string, item: Pick<ConferenceListItem, 'id' | 'title' | 'organiser'>): boolean {
  const haystack = fold(`${item.title} ${item.organiser} ${item.id}`);
  return fold(query)
    .split(/[\s,;]+/)
    .filter((word) => word !== '')
    .every((word) => haystack.includes(word));
}

export const IssuedCredential = z.object({
  pointId: z.string(),
  pointName: z.string(),
  role: Role,
  token: z.string(),
  code: z.string(),
  expiresAt: z.number(),
});
export type IssuedCredential = z.infer<typeof IssuedCredential>;

/** Whether `role` belongs at point `pointId` of the conference (shared/rules.ts). */
export function fits(conference: Conference, pointId: string, role: Role): boolean {
  const point = conference.spec.points.find((p) => p.id === pointId);
  return point !== undefined && roleBelongsAt(role, point, conference.spec.centralPointId);
}

/** One fresh credential per point and fitting role, in point order, in one transaction (the console's bulk issue too). */
export function issueForPoints(
  credentials: CredentialIssuer,
  conference: Conference,
  roles: readonly Role[],
  ttlSeconds: number,
  actor: Actor = null,
): Promise<IssuedCredential[]> {
  return credentials.issueForPoints(conference.spec, roles, ttlSeconds, actor);
}

export function conferenceRoutes({ gate, conferences, store, credentials, audit }: ConferenceRoutesDeps): Router {
  const router = Router();

  router.post('/conferences', async (req, res) => {
    const principal = await gate.organiser(req);
    const spec = parseConferenceSpec(req.body);
    const conference = conferences.create(spec);
    audit.record(auditActor(principal), 'conference.create', conference.id, {
      points: spec.points.length,
      agendaItems: spec.agenda.length,
    });
    res.status(201).location(`/api/conferences/${conference.id}`).json(conference.view());
  });

  router.get('/conferences', async (req, res) => {
    await gate.organiser(req);
    const query = parseOr(ConferenceListQuery, req.query, 'query');
    const open = new Map(conferences.list().map((c) => [c.id, c]));
    const list: ConferenceListItem[] = store.loadAll().map(({ spec, status }) => {
      const conference = open.get(spec.id);
      const now = conference?.status ?? status;
      return {
        id: spec.id,
        title: conference?.spec.title ?? spec.title,
        organiser: conference?.spec.organiser ?? spec.organiser,
        startsAt: conference?.spec.startsAt ?? spec.startsAt,
        rehearsalAt: conference?.spec.rehearsalAt ?? spec.rehearsalAt,
        status: now,
        phase: phaseOf(now),
        points: spec.points.length,
        connected: conference ? connectedPoints(conference) : 0,
      };
    });
    const shown = list
      .filter((c) => (query.phase === undefined || c.phase === query.phase) && (query.q === undefined || matches(query.q, c)))
      .sort((a, b) => Date.parse(b.startsAt) - Date.parse(a.startsAt) || a.id.localeCompare(b.id));
    res.json({ conferences: shown });
  });

  router.get('/conferences/:id', async (req, res) => {
    const { conference } = await gate.conference(req, req.params.id, MODERATORS);
    res.json(conference.view());
  });

  router.post('/conferences/:id/points', async (req, res) => {
    const { conference, actor } = await gate.conference(req, req.params.id, CONTROLLERS);
    let points;
    if (req.is('text/csv')) {
      if (typeof req.body !== 'string') throw refuse('import.body', {}, 'send the CSV as the body');
      points = parsePointsCsv(req.body);
    } else if (req.is('application/json')) {
      points = parsePointsJson(req.body);
    } else {
      throw refuse('import.content_type', {}, 'send points as application/json (an array) or text/csv');
    }
    if (conference.spec.points.length + points.length > MAX_POINTS) {
      throw refuse('points.too_many', { max: MAX_POINTS }, `a conference has at most ${MAX_POINTS} points`);
    }
    const views = conference.addPoints(points, actor);
    res.status(201).json({ points: views });
  });

  router.post('/conferences/:id/credentials', async (req, res) => {
    const { conference, actor } = await gate.conference(req, req.params.id, CONTROLLERS);
    const body = parseOr(IssueBody, req.body, 'credential');
    if (!conference.spec.points.some((p) => p.id === body.pointId)) {
      throw refuse('point.unknown', { pointId: body.pointId }, `no point ${body.pointId} in this conference`);
    }
    if (!fits(conference, body.pointId, body.role)) {
      throw refuse(
        'role.wrong_point',
        { role: body.role, pointId: body.pointId },
        `role ${body.role} does not belong at point ${body.pointId}`,
      );
    }
    const issued = await credentials.issue({ conferenceId: conference.id, pointId: body.pointId, role: body.role }, body.ttlSeconds, actor);
    res.status(201).json(issued);
  });

  router.post('/conferences/:id/credentials/bulk', async (req, res) => {
    const { conference, actor, principal } = await gate.conference(req, req.params.id, CONTROLLERS);
    const body = parseOr(BulkIssueBody, req.body, 'credentials');
    const issued = await issueForPoints(credentials, conference, body.roles, body.ttlSeconds, actor);
    if (principal.kind !== 'point') {
      audit.record(auditActor(principal), 'credentials.issue_all', conference.id, { roles: body.roles, count: issued.length });
    }
    res.status(201).json({ credentials: issued });
  });

  return router;
}
