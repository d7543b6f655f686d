// What a person reads when something is refused or fails: the hub's reason in the interface's language
// with its params written in (a param that is itself a code, such as a role or a status, in its words),
// a readiness reason with its value and limit, and a generic sentence for anything without a known reason
// (no answer, an older hub, a browser error), and a link's measurements. The hub's English `message` is never shown.
import { ConferenceStatus, MediaSource, Role } from '../../shared/domain.ts';
import { REASONS, type Reason } from '../../shared/errors.ts';
import { MediaKind } from '../../shared/media.ts';
import { QuestionStatus, type ReadinessReason } from '../../shared/records.ts';
import { fill, lang, t, template, type Key } from '../i18n.ts';
import { RequestError } from '../net/signal.ts';
import { enReasons } from './reasons-en.ts';
import { viReasons } from './reasons-vi.ts';

const one = <T extends string>(options: readonly T[], value: string): value is T => (options as readonly string[]).includes(value);

/** Request fields a refusal may name, in the words of the form that holds them. */
const FIELDS: Record<string, Key> = {
  '': 'field.whole',
  asker: 'q.asker',
  unit: 'q.unit',
  category: 'q.category',
  text: 'q.text',
  answer: 'q.answerText',
  reason: 'q.reason',
  note: 'floor.note',
  seconds: 'floor.seconds',
  present: 'att.present',
  groups: 'att.groupName',
};

const conferenceStatus = (v: string): Key | undefined => (one(ConferenceStatus.options, v) ? `status.${v}` : undefined);

/** How a param's value is put in words, by the param's name; values of other params are written as they are. */
const WORDS: Record<string, (value: string) => Key | undefined> = {
  role: (v) => (one(Role.options, v) ? `role.${v}` : undefined),
  from: conferenceStatus,
  to: conferenceStatus,
  status: (v) => (one(QuestionStatus.options, v) ? `q.status.${v}` : undefined),
  source: (v) => (one(MediaSource.options, v) ? `source.${v}` : undefined),
  kind: (v) => (one(MediaKind.options, v) ? `kind.${v}` : undefined),
  direction: (v) => (one(['send', 'recv', 'receive'] as const, v) ? `direction.${v}` : undefined),
  field: (v) => FIELDS[v.split('.')[0] ?? ''],
};

/** The words of one reason for the current language, the raw template (for checks and tests). */
export function reasonTemplate(reason: Reason, language = lang()): string {
  return (language === 'en' ? enReasons : viReasons)[reason];
}

/** A refusal in words: the reason's sentence with its params written in. */
export function reasonText(reason: Reason, params: Readonly<Record<string, string | number>>): string {
  const vars: Record<string, string | number> = {};
  for (const name of REASONS[reason].params as readonly string[]) {
    const value = params[name];
    if (value === undefined) vars[name] = '…';
    else if (typeof value === 'number') vars[name] = value;
    else {
      const key = WORDS[name]?.(value);
      vars[name] = key ? t(key) : value;
    }
  }
  return fill(reasonTemplate(reason), vars);
}

/** Why a camera or microphone could not be opened, from the browser's error name. */
function deviceWords(error: DOMException): Key | undefined {
  switch (error.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'device.denied';
    case 'NotFoundError':
      return 'device.missing';
    case 'NotReadableError':
    case 'AbortError':
      return 'device.busy';
    case 'OverconstrainedError':
      return 'device.unsupported';
    default:
      return undefined;
  }
}

/** Any failure in words: a refusal by its reason, else a generic sentence by its kind. Never English from elsewhere. */
export function describeError(error: unknown): string {
  if (error instanceof RequestError) {
    if (error.reason) return reasonText(error.reason, error.params);
    if (error.code === 'timeout' || error.code === 'offline' || error.code === 'network') return t(`error.${error.code}`);
    return t(`error.code.${error.code}`);
  }
  if (typeof DOMException !== 'undefined' && error instanceof DOMException) {
    const key = deviceWords(error);
    if (key) return t(key);
  }
  // Browsers leave out navigator.mediaDevices on pages that are not a secure context.
  if (error instanceof TypeError && typeof navigator !== 'undefined' && !('mediaDevices' in navigator)) return t('device.insecure');
  return t('error.unknown');
}

/** What a failure was, as a stable code for `data-reason` (tests and styles read it; people read the words). */
export function reasonCode(error: unknown): string {
  if (error instanceof RequestError) return error.reason ?? error.code;
  return typeof DOMException !== 'undefined' && error instanceof DOMException ? error.name : 'unknown';
}

/** One direction of a link as measured: rate, loss and round trip. */
export function linkText(l: { bitrateKbps: number; lossPercent: number; roundTripMs: number }): string {
  return t('test.link', { bitrate: Math.round(l.bitrateKbps), loss: l.lossPercent, rtt: Math.round(l.roundTripMs) });
}

/** One thing that keeps a point from being ready, with its measured value against the limit. */
export function readinessText(reason: ReadinessReason): string {
  const key: Key = `ready.reason.${reason.code}`;
  const words = reason.direction ? template(key) : template(key).replace(/ ?\(?\{direction\}\)?/, '');
  return fill(words, { value: reason.value, limit: reason.limit, direction: reason.direction ? t(`direction.${reason.direction}`) : '' });
}
