// The conference report, built from what the store kept: the event log (floor grants and their ends, the
// agenda, roll calls, status changes), questions, attendance, readiness, connection history and documents,
// read against the conference spec (point names, levels, parents). Pure reading: works in the hub and the
// CLI. It keeps codes (states, statuses, levels, reasons); the HTML page puts them in words. The recording's
// files come from the recording store on the same database.
import type { ConferenceSpec, ConferenceStatus, ConnectionState, PointLevel, PointSpec } from '../../shared/domain.ts';
import { questionStats } from '../conference/records/questions.ts';
import type { RecordingStore } from '../store/recording.ts';
import type { EventRecord, RecordStore } from '../store/records.ts';
import { programmeSection } from './programme.ts';
import { recordingSection } from './recording.ts';
import type { ConferenceReport, FloorSegment, LevelReadiness, ReportQuestion } from './schema.ts';

export interface ReportInput {
  spec: ConferenceSpec;
  status: ConferenceStatus;
  store: RecordStore;
  /** The recording's files (programme segments, clips); without it the recording section lists no file. */
  recording?: RecordingStore | undefined;
  /** The report's clock, for what is still running. */
  now?: number;
}

const LEVELS: PointLevel[] = ['central', 'province', 'district', 'commune'];
const seconds = (from: number, to: number): number => Math.max(0, Math.round((to - from) / 100) / 10);

export function buildReport({ spec, status, store, recording, now = Date.now() }: ReportInput): ConferenceReport {
  const points = new Map<string, PointSpec>(spec.points.map((p) => [p.id, p]));
  const nameOf = (id: string): string => points.get(id)?.name ?? id;
  const log = store.eventLog(spec.id);
  const timeline = readTimeline(log.events, nameOf, (id) => points.get(id)?.level ?? null);
  const until = timeline.endedAt ?? now;
  timeline.closeOpen(until, timeline.endedAt !== null);

  const readiness = readinessSection(store, spec);
  return {
    generatedAt: now,
    conference: {
      id: spec.id,
      title: spec.title,
      content: spec.content,
      organiser: spec.organiser,
      startsAt: spec.startsAt,
      status,
      liveAt: timeline.liveAt,
      endedAt: timeline.endedAt,
    },
    floor: floorSummary(timeline.segments),
    agenda: timeline.agenda.map((a) => {
      const item = spec.agenda.find((i) => i.id === a.itemId);
      return { ...a, title: item?.title ?? a.itemId, rapporteur: item?.rapporteur ?? '', plannedMinutes: item?.plannedMinutes ?? 0 };
    }),
    questions: questionSection(store, spec.id, nameOf, timeline.answeredAt),
    attendance: attendanceSection(store, spec),
    rollCalls: timeline.rollCalls.map((call) => {
      const confirmed = [...call.confirmed].map(([pointId, at]) => ({ pointId, pointName: nameOf(pointId), at }));
      const missing = spec.points
        .filter((p) => p.id !== spec.centralPointId && !p.centralSide && !call.confirmed.has(p.id))
        .map((p) => ({ pointId: p.id, pointName: p.name }));
      return { id: call.id, startedAt: call.startedAt, deadline: call.deadline, confirmed, missing };
    }),
    readiness,
    readinessByLevel: readinessByLevel(readiness),
    connections: connectionSection(store, spec, until),
    documents: store.documents(spec.id),
    programme: programmeSection(log.events, nameOf),
    recording: recordingSection({
      ...{ spec, events: log.events, questions: store.questions(spec.id) },
      ...{ files: recording?.files(spec.id) ?? [], now },
    }),
    unreadableEvents: log.unreadable,
  };
}

interface Timeline {
  segments: FloorSegment[];
  agenda: Array<{ itemId: string; start: number; end: number | null; seconds: number }>;
  rollCalls: Array<{ id: string; startedAt: number; deadline: number; confirmed: Map<string, number> }>;
  answeredAt: Map<string, number>;
  liveAt: number | null;
  endedAt: number | null;
  /** Ends what is still open: at the conference's end, or (ongoing) at the report's clock. */
  closeOpen(at: number, ended: boolean): void;
}

function readTimeline(events: EventRecord[], nameOf: (id: string) => string, levelOf: (id: string) => PointLevel | null): Timeline {
  const t: Timeline = { segments: [], agenda: [], rollCalls: [], answeredAt: new Map(), liveAt: null, endedAt: null, closeOpen };
  let floor: { pointId: string; start: number } | null = null;
  let item: { itemId: string; start: number } | null = null;

  function endFloor(at: number, endedBy: FloorSegment['endedBy'], open = false): void {
    if (!floor) return;
    const { pointId, start } = floor;
    t.segments.push({
      pointId,
      pointName: nameOf(pointId),
      level: levelOf(pointId),
      start,
      end: open ? null : at,
      seconds: seconds(start, at),
      endedBy,
    });
    floor = null;
  }
  function endItem(at: number, open = false): void {
    if (!item) return;
    t.agenda.push({ itemId: item.itemId, start: item.start, end: open ? null : at, seconds: seconds(item.start, at) });
    item = null;
  }
  function closeOpen(at: number, ended: boolean): void {
    endFloor(at, ended ? 'conference_end' : 'ongoing', !ended);
    endItem(at, !ended);
  }

  for (const e of events) {
    switch (e.action) {
      case 'floor.grant':
        endFloor(e.at, 'grant');
        floor = { pointId: e.detail.pointId, start: e.at };
        break;
      case 'floor.revoke':
      case 'floor.clear':
        endFloor(e.at, 'revoke');
        break;
      case 'floor.expire':
        endFloor(e.at, 'expire');
        break;
      case 'agenda.goto':
        endItem(e.at);
        if (e.detail.itemId !== null) item = { itemId: e.detail.itemId, start: e.at };
        break;
      case 'conference.status':
        if (e.detail.to === 'live' && t.liveAt === null) t.liveAt = e.at;
        if (e.detail.to === 'ended') {
          t.endedAt = e.at;
          endFloor(e.at, 'conference_end');
          endItem(e.at);
        }
        break;
      case 'question.answered':
        t.answeredAt.set(e.detail.questionId, e.at);
        break;
      case 'rollcall.start':
        t.rollCalls.push({ id: e.detail.rollCallId, startedAt: e.at, deadline: e.at + e.detail.seconds * 1000, confirmed: new Map() });
        break;
      case 'rollcall.close': {
        const call = t.rollCalls.find((c) => c.id === e.detail.rollCallId);
        if (call) call.deadline = Math.min(call.deadline, e.at);
        break;
      }
      case 'rollcall.confirm': {
        const { rollCallId } = e.detail;
        const call = t.rollCalls.find((c) => c.id === rollCallId);
        if (call && e.actorPoint && !call.confirmed.has(e.actorPoint)) call.confirmed.set(e.actorPoint, e.at);
        break;
      }
    }
  }
  return t;
}

function floorSummary(segments: FloorSegment[]): ConferenceReport['floor'] {
  const byPoint = new Map<string, { pointId: string; pointName: string; turns: number; seconds: number }>();
  for (const s of segments) {
    const entry = byPoint.get(s.pointId) ?? { pointId: s.pointId, pointName: s.pointName, turns: 0, seconds: 0 };
    entry.turns += 1;
    entry.seconds = Math.round((entry.seconds + s.seconds) * 10) / 10;
    byPoint.set(s.pointId, entry);
  }
  const totalSeconds = Math.round(segments.reduce((sum, s) => sum + s.seconds, 0) * 10) / 10;
  return { segments, byPoint: [...byPoint.values()].sort((a, b) => b.seconds - a.seconds), totalSeconds };
}

function questionSection(
  store: RecordStore,
  conferenceId: string,
  nameOf: (id: string) => string,
  answeredAt: Map<string, number>,
): ConferenceReport['questions'] {
  const questions = store.questions(conferenceId);
  const items: ReportQuestion[] = questions.map((q) => ({
    id: q.id,
    pointId: q.pointId,
    pointName: nameOf(q.pointId),
    asker: q.asker,
    unit: q.unit,
    category: q.category,
    text: q.text,
    status: q.status,
    answerMode: q.answerMode,
    answer: q.answer,
    dismissReason: q.dismissReason,
    mergedInto: q.mergedInto,
    createdAt: q.createdAt,
    answeredAt: q.status === 'answered' ? (answeredAt.get(q.id) ?? q.updatedAt) : null,
  }));
  return { total: questions.length, stats: questionStats(questions), items };
}

function attendanceSection(store: RecordStore, spec: ConferenceSpec): ConferenceReport['attendance'] {
  const reported = new Map(store.attendance(spec.id).map((a) => [a.pointId, a]));
  const points = spec.points.map((p) => {
    const a = reported.get(p.id);
    return {
      pointId: p.id,
      pointName: p.name,
      level: p.level,
      parentId: p.parentId,
      expected: p.expectedAttendance,
      present: a?.present ?? null,
      groups: a?.groups ?? {},
      reportedAt: a?.reportedAt ?? null,
    };
  });
  const byLevel = LEVELS.map((level) => {
    const at = points.filter((p) => p.level === level);
    return {
      level,
      points: at.length,
      reported: at.filter((p) => p.present !== null).length,
      present: at.reduce((sum, p) => sum + (p.present ?? 0), 0),
      expected: at.reduce((sum, p) => sum + p.expected, 0),
    };
  }).filter((l) => l.points > 0);
  const totals = byLevel.reduce(
    (sum, l) => ({
      points: sum.points + l.points,
      reported: sum.reported + l.reported,
      present: sum.present + l.present,
      expected: sum.expected + l.expected,
    }),
    { points: 0, reported: 0, present: 0, expected: 0 },
  );
  return { points, byLevel, totals };
}

/** The latest connection test of every point but the centre (not_tested when it never ran one). */
function readinessSection(store: RecordStore, spec: ConferenceSpec): ConferenceReport['readiness'] {
  const latest = new Map(store.latestReadiness(spec.id).map((r) => [r.pointId, r]));
  return spec.points
    .filter((p) => p.id !== spec.centralPointId)
    .map((p) => {
      const r = latest.get(p.id);
      return {
        pointId: p.id,
        pointName: p.name,
        level: p.level,
        state: r?.state ?? 'not_tested',
        testedAt: r?.testedAt ?? null,
        reasons: r?.reasons ?? [],
      };
    });
}

/** Ready, not ready and not tested by level, then the total (level null). */
export function readinessByLevel(rows: ConferenceReport['readiness']): LevelReadiness[] {
  const count = (at: ConferenceReport['readiness'], level: PointLevel | null): LevelReadiness => ({
    level,
    points: at.length,
    ready: at.filter((p) => p.state === 'ready').length,
    notReady: at.filter((p) => p.state === 'not_ready').length,
    notTested: at.filter((p) => p.state === 'not_tested').length,
  });
  const levels = LEVELS.map((level) =>
    count(
      rows.filter((p) => p.level === level),
      level,
    ),
  ).filter((l) => l.points > 0);
  return [...levels, count(rows, null)];
}

function connectionSection(store: RecordStore, spec: ConferenceSpec, until: number): ConferenceReport['connections'] {
  const history = new Map<string, Array<{ state: ConnectionState; at: number }>>();
  for (const c of store.connections(spec.id)) {
    const list = history.get(c.pointId) ?? [];
    list.push(c);
    history.set(c.pointId, list);
  }
  return spec.points.map((p) => {
    const list = history.get(p.id) ?? [];
    let connectedMs = 0;
    list.forEach((c, i) => {
      if (c.state !== 'connected') return;
      const next = list[i + 1]?.at ?? until;
      connectedMs += Math.max(0, Math.min(next, until) - c.at);
    });
    return {
      pointId: p.id,
      pointName: p.name,
      firstConnectedAt: list.find((c) => c.state === 'connected')?.at ?? null,
      drops: list.filter((c) => c.state === 'reconnecting').length,
      connectedSeconds: seconds(0, connectedMs),
      lastState: list.at(-1)?.state ?? 'never',
    };
  });
}
