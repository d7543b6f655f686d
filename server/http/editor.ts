// The organiser page's editor (issue #15): a conference's spec to edit with what may change now, saving an
// edit (checked by shared/conference-edit.ts, applied by server/conference/editing.ts, audited), and the
// templates to start from (the shipped seed plans in config/demo/). Organisers and the admin key only.
import { Router } from 'express';
import { type EditMode, editMode, editProblem } from '../../shared/conference-edit.ts';
import type { ConferenceSpec, ConferenceStatus } from '../../shared/domain.ts';
import type { TemplateSummary } from '../../shared/organiser.ts';
import type { Conference } from '../conference/conference.ts';
import { currentSpec, type EditSummary } from '../conference/editing.ts';
import { DEMO_DIR, type ConferenceRegistry, loadSpecs } from '../conference/registry.ts';
import { parseConferenceSpec } from '../conference/spec.ts';
import { HubError, refuse } from '../errors.ts';
import type { AuditLog } from '../organisers/audit.ts';
import type { ConferenceStore } from '../store/conferences.ts';
import { auditActor, type Gate } from './auth.ts';

export interface EditorRoutesDeps {
  gate: Gate;
  conferences: ConferenceRegistry;
  store: ConferenceStore;
  audit: AuditLog;
  /** Where the templates are read from (default: config/demo/). */
  templatesDir?: string;
}

/** GET /conferences/:id/spec and PUT /conferences/:id answer this. */
export interface SpecAnswer {
  spec: ConferenceSpec;
  status: ConferenceStatus;
  mode: EditMode;
  /** Points in use (pointsInUse): what `mode` was worked out from. */
  connected: number;
}

/** Points with a session now (the list's count). */
export function connectedPoints(conference: Conference): number {
  return conference.view().points.filter((p) => p.connection === 'connected').length;
}

/**
 * Points in use now, for the edit's mode: connected, reconnecting (their clients are on their way back after
 * a drop or a hub restart, within the grace), or with any session on them (a room display, the recorder).
 * Any of these keeps the conference from being closed and opened again under them.
 */
export function pointsInUse(conference: Conference): number {
  const used = new Set(conference.sessions().map((s) => s.pointId));
  for (const p of conference.view().points) if (p.connection === 'connected' || p.connection === 'reconnecting') used.add(p.id);
  return used.size;
}

export function specAnswer(conference: Conference): SpecAnswer {
  const connected = pointsInUse(conference);
  const status = conference.status;
  return { spec: structuredClone(currentSpec(conference)), status, mode: editMode(status, connected), connected };
}

export function editorRoutes({ gate, conferences, audit, templatesDir = DEMO_DIR }: EditorRoutesDeps): Router {
  const router = Router();
  let templates: ConferenceSpec[] | undefined;
  const allTemplates = (): ConferenceSpec[] => (templates ??= loadSpecs(templatesDir));

  const open = (id: string): Conference => {
    const conference = conferences.get(id);
    if (!conference) throw refuse('conference.unknown', { conferenceId: id }, `no conference ${id}`);
    return conference;
  };

  router.get('/conferences/:id/spec', async (req, res) => {
    await gate.organiser(req);
    res.json(specAnswer(open(req.params.id)));
  });

  router.put('/conferences/:id', async (req, res) => {
    const principal = await gate.organiser(req);
    const conference = open(req.params.id);
    const next = parseConferenceSpec(req.body);
    const mode = editMode(conference.status, pointsInUse(conference));
    const problem = editProblem(currentSpec(conference), next, mode);
    if (problem) throw new HubError(problem.reason, problem.params, `conference ${conference.id}: edit refused (${problem.reason})`);
    const within = (summary: EditSummary): void =>
      audit.record(auditActor(principal), 'conference.update', conference.id, {
        mode,
        fields: summary.fields,
        pointsAdded: summary.pointsAdded.length,
        pointsRemoved: summary.pointsRemoved.length,
        agendaAdded: summary.agendaAdded,
        agendaRemoved: summary.agendaRemoved,
      });
    if (mode === 'full') await conferences.replace(conference, next, null, within);
    else conferences.edit(conference, next, null, within);
    res.json(specAnswer(open(conference.id)));
  });

  router.get('/templates', async (req, res) => {
    await gate.organiser(req);
    const list: TemplateSummary[] = allTemplates().map((spec) => ({
      id: spec.id,
      title: spec.title,
      organiser: spec.organiser,
      points: spec.points.length,
      agendaItems: spec.agenda.length,
    }));
    res.json({ templates: list });
  });

  router.get('/templates/:id', async (req, res) => {
    await gate.organiser(req);
    const spec = allTemplates().find((t) => t.id === req.params.id);
    if (!spec) throw refuse('template.unknown', { templateId: req.params.id }, `no template ${req.params.id}`);
    res.json({ spec: structuredClone(spec) });
  });

  return router;
}
