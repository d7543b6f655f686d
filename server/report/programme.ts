// The report's programme section, read from the event log: every layout change (with the banner message),
// every change of the speaking point's permission to share and every sharing the host stopped, and the gain
// per point in effect at the end.
import { Layout } from '../../shared/programme.ts';
import { z } from 'zod';
import type { EventRecord } from '../store/records.ts';

const time = z.number();

export const ProgrammeChange = z.object({
  at: time,
  kind: z.enum(['layout', 'sharing', 'stop_sharing']),
  layout: Layout.nullable(),
  message: z.string(),
  allowed: z.boolean().nullable(),
  /** stop_sharing: whose screens stopped. */
  pointNames: z.array(z.string()),
});
export type ProgrammeChange = z.infer<typeof ProgrammeChange>;

export const ReportProgramme = z.object({
  changes: z.array(ProgrammeChange),
  gains: z.array(z.object({ pointId: z.string(), pointName: z.string(), gainDb: z.number() })),
});
export type ReportProgramme = z.infer<typeof ReportProgramme>;

export function programmeSection(events: EventRecord[], nameOf: (id: string) => string): ReportProgramme {
  const changes: ProgrammeChange[] = [];
  const gains = new Map<string, number>();
  const base = { layout: null, message: '', allowed: null, pointNames: [] };
  for (const e of events) {
    if (e.action === 'programme.layout')
      changes.push({ ...base, at: e.at, kind: 'layout', layout: e.detail.layout, message: e.detail.message });
    else if (e.action === 'programme.sharing') changes.push({ ...base, at: e.at, kind: 'sharing', allowed: e.detail.allowed });
    else if (e.action === 'programme.stop_sharing') {
      changes.push({ ...base, at: e.at, kind: 'stop_sharing', pointNames: e.detail.pointIds.map(nameOf) });
    } else if (e.action === 'programme.gain') {
      if (e.detail.gainDb === 0) gains.delete(e.detail.pointId);
      else gains.set(e.detail.pointId, e.detail.gainDb);
    }
  }
  return { changes, gains: [...gains].map(([pointId, gainDb]) => ({ pointId, pointName: nameOf(pointId), gainDb })) };
}
