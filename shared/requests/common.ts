// Building blocks of the request tables: the table's shape, and field schemas several areas share.
import { z } from 'zod';
import type { Role } from '../domain.ts';
import { LIMITS } from '../rules.ts';

/** One request: its params schema, its result schema and the roles allowed to send it. */
export type RequestTable = Record<string, { params: z.ZodType; result: z.ZodType; roles: readonly Role[] }>;

export const id = z.string().min(1).max(LIMITS.idMax);
export const empty = z.object({}).strict();
export const floorSeconds = z.number().int().min(LIMITS.floorSecondsMin).max(LIMITS.floorSecondsMax);
