// Short messages in an aria-live region: results of actions and failures the operator must see.
import { t } from '../i18n.ts';
import { RequestError } from '../net/signal.ts';
import { h } from './dom.ts';

let region: HTMLElement | undefined;

function host(): HTMLElement {
  if (!region) {
    region = h('div', { class: 'toasts', attrs: { role: 'status', 'aria-live': 'polite' } });
    document.body.append(region);
  }
  return region;
}

export function toast(text: string, kind: 'info' | 'error' = 'info'): void {
  const el = h('div', { class: `toast toast-${kind}` }, text);
  host().append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 8000 : 4000);
}

/** Runs a hub request for a control and reports a failure to the operator (and the console). */
export async function act<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    const message = error instanceof RequestError || error instanceof Error ? error.message : String(error);
    console.error('action failed', error);
    toast(error instanceof RequestError && error.code === 'rate_limited' ? t('error.rateLimited') : t('error.action', { message }), 'error');
    return undefined;
  }
}
