// Around the video: attendance, roll call, readiness tests, the agenda, and the snapshot of all records.
import { z } from 'zod';
import { AgendaView, AttendanceView, DocumentView, QuestionView, ReadinessMeasurement, ReadinessView, RollCallView } from '../records.ts';
import { ALL_ROLES, CONTROLLERS, LIMITS, POINT_OPERATORS, READINESS_TESTERS } from '../rules.ts';
import { type RequestTable, id, empty } from './common.ts';

export const recordRequests = {
  'attendance.report': {
    params: z
      .object({
        present: z.number().int().min(0).max(LIMITS.attendanceMax),
        groups: z
          .record(z.string().trim().min(1).max(LIMITS.categoryMax), z.number().int().min(0).max(LIMITS.attendanceMax))
          .refine((g) => Object.keys(g).length <= LIMITS.attendanceGroupsMax, `at most ${LIMITS.attendanceGroupsMax} groups`)
          .default({}),
      })
      .strict(),
    result: AttendanceView,
    roles: POINT_OPERATORS,
  },
  'rollcall.start': {
    params: z
      .object({
        seconds: z.number().int().min(LIMITS.rollCallSecondsMin).max(LIMITS.rollCallSecondsMax).default(LIMITS.rollCallSecondsDefault),
      })
      .strict(),
    result: RollCallView,
    roles: CONTROLLERS,
  },
  'rollcall.confirm': { params: empty, result: RollCallView, roles: POINT_OPERATORS },
  /** Echo for measuring the signalling round trip. */
  'readiness.ping': {
    params: z.object({ sentAt: z.number() }).strict(),
    result: z.object({ sentAt: z.number(), serverTime: z.number() }),
    roles: ALL_ROLES,
  },
  'readiness.report': { params: ReadinessMeasurement.strict(), result: ReadinessView, roles: READINESS_TESTERS },
  'agenda.goto': {
    params: z.object({ itemId: id.nullable() }).strict(),
    result: AgendaView,
    roles: CONTROLLERS,
  },
  /** Everything around the video that this session may see, to draw its console after (re)connecting. */
  'records.snapshot': {
    params: empty,
    result: z.object({
      questions: z.array(QuestionView),
      attendance: z.array(AttendanceView),
      rollCall: RollCallView.nullable(),
      readiness: z.array(ReadinessView),
      documents: z.array(DocumentView),
    }),
    roles: ALL_ROLES,
  },
} as const satisfies RequestTable;
