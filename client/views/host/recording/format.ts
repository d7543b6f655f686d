// How the recording tab writes figures: durations as h:mm:ss, sizes in MB or GB (the language's decimal
// mark), a start time with its date when it is not today, a shortened SHA-256, and a live output's failure.
import { formatNumber, t, timeOfDay, type Key } from '../../../i18n.ts';

const MB = 2 ** 20;
const GB = 2 ** 30;

/** 3723000 → "1:02:03" (always with hours: a recording's length reads the same at any size). */
export function hms(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  return `${h}:${m}:${String(s % 60).padStart(2, '0')}`;
}

/** Bytes as "152,3 MB" or "4,2 GB" (whole megabytes under 10 MB read "0,4 MB" too). */
export function size(bytes: number): string {
  return bytes >= GB ? `${formatNumber(bytes / GB)} GB` : `${formatNumber(bytes / MB)} MB`;
}

/** "08:05", or "08:05 12/05" when not today. */
export function startTime(epochMs: number, now = Date.now()): string {
  const d = new Date(epochMs);
  const today = new Date(now).toDateString() === d.toDateString();
  return today ? timeOfDay(epochMs) : `${timeOfDay(epochMs)} ${d.getDate()}/${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** "3fa4b2c1…9b1c". */
export const shortSha = (sha: string): string => `${sha.slice(0, 8)}…${sha.slice(-4)}`;

/** The recorder's failure codes for a push (server/recorder/ffmpeg.ts `errorCode`, and STALLED). */
const OUTPUT_ERRORS: Record<string, Key> = {
  ECONNREFUSED: 'rec.err.connect',
  ECONNRESET: 'rec.err.dropped',
  EPIPE: 'rec.err.dropped',
  ETIMEDOUT: 'rec.err.timeout',
  ENOTFOUND: 'rec.err.dns',
  ENETUNREACH: 'rec.err.network',
  TLS: 'rec.err.tls',
  REJECTED: 'rec.err.refused',
  STALLED: 'rec.err.stalled',
  EIO: 'rec.err.exited',
};

/** A live output's last failure in words: a known code's sentence, any other code named as it is. */
export function outputError(code: string): string {
  const key = OUTPUT_ERRORS[code] ?? (/^(EXIT_|SIG)/.test(code) ? 'rec.err.exited' : undefined);
  return key ? t(key) : t('rec.err.other', { code });
}

/**
 * A time typed in the clip form, "h:mm:ss" or "m:ss" (minutes and seconds under 60 after a colon), in ms;
 * null when it is not one. "0:01:30" and "1:30" are both 90 000.
 */
export function parseClock(text: string): number | null {
  const m = /^\s*(?:(\d{1,3}):)?(\d{1,3}):(\d{1,2})\s*$/.exec(text);
  if (!m) return null;
  const [hours, minutes, seconds] = [Number(m[1] ?? 0), Number(m[2]), Number(m[3])];
  if (seconds >= 60 || (m[1] !== undefined && (minutes >= 60 || (m[2]?.length ?? 0) !== 2)) || (m[3]?.length ?? 0) !== 2) return null;
  return ((hours * 60 + minutes) * 60 + seconds) * 1000;
}
