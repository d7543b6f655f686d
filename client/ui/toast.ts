// Short messages in an aria-live region: results of actions and failures the operator must see. A refused
// request is shown in the interface's words for its reason (i18n/describe.ts), never the hub's English.
import { t } from '../i18n.ts';
import { describeError, reasonCode } from '../i18n/describe.ts';
import { h } from './dom.ts';

let region: HTMLElement | undefined;

function host(): HTMLElement {
  if (!region) {
    region = h('div', { class: 'toasts', attrs: { role: 'status', 'aria-live': 'polite' } });
    document.body.append(region);
  }
  return region;
}

export function toast(text: string, kind: 'info' | 'error' = 'info', reason?: string): void {
  const el = h('div', { class: `toast toast-${kind}`, data: reason ? { reason } : {} }, text);
  host().append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 8000 : 4000);
}

/** A failure the operator must see, in words ("Không thực hiện được: …"); the detail goes to the console. */
export function toastError(error: unknown, key: 'error.action' | 'dev.failed' | 'docs.failed' = 'error.action'): void {
  console.error('action failed', error);
  toast(t(key, { message: describeError(error) }), 'error', reasonCode(error));
}

/** Runs a hub request for a control and reports a failure to the operator (and the console). */
export async function act<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    toastError(error);
    return undefined;
  }
}
