// The floor: a point asks to speak, the host grants, revokes, extends, reorders and drops.
import { z } from 'zod';
import { FloorView } from '../domain.ts';
import { CONTROLLERS, LIMITS, POINT_OPERATORS } from '../rules.ts';
import { type RequestTable, id, empty, floorSeconds } from './common.ts';

const note = z.string().trim().max(LIMITS.floorNoteMax);

export const floorRequests = {
  'floor.request': {
    params: z.object({ note: note.default('') }).strict(),
    result: z.object({ position: z.number().int() }),
    roles: POINT_OPERATORS,
  },
  'floor.cancel': { params: empty, result: empty, roles: POINT_OPERATORS },
  'floor.grant': {
    params: z.object({ pointId: id, seconds: floorSeconds.optional() }).strict(),
    result: FloorView,
    roles: CONTROLLERS,
  },
  'floor.revoke': { params: empty, result: FloorView, roles: CONTROLLERS },
  'floor.extend': {
    params: z.object({ seconds: floorSeconds }).strict(),
    result: FloorView,
    roles: CONTROLLERS,
  },
  'floor.reorder': {
    params: z.object({ pointId: id, position: z.number().int().min(0).max(10_000) }).strict(),
    result: FloorView,
    roles: CONTROLLERS,
  },
  'floor.drop': { params: z.object({ pointId: id }).strict(), result: FloorView, roles: CONTROLLERS },
} as const satisfies RequestTable;
