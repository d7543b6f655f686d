// How long the codes an organiser hands out before the day stay valid: from now until the end of the day
// after the conference's start (within the hub's limits). Pure, so it is tested without a browser.
import { LIMITS } from '../../../shared/rules.ts';

const DAY_MS = 86_400_000;

/** When codes issued at `now` for a conference starting at `startsAt` should end: the end of the next day. */
export function codesUntil(startsAt: string, now: number): number {
  const start = Date.parse(startsAt);
  const day = new Date(Number.isNaN(start) ? now : Math.max(start, now));
  day.setHours(23, 59, 59, 0);
  return day.getTime() + DAY_MS;
}

/** The codes' validity in seconds from `now`, within LIMITS.tokenTtlSecondsMin..Max. */
export function codesTtlSeconds(startsAt: string, now: number): number {
  const seconds = Math.ceil((codesUntil(startsAt, now) - now) / 1000);
  return Math.min(LIMITS.tokenTtlSecondsMax, Math.max(LIMITS.tokenTtlSecondsMin, seconds));
}
