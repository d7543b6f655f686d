// One thread of messages as a list, and the line to write a new one. Text from people goes in as textContent.
import type { MessageView } from '../../../shared/requests/backchannel.ts';
import { onLanguage, t } from '../../i18n.ts';
import { h } from '../../ui/dom.ts';

const time = (at: number): string => new Date(at).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit' });

/** Draws `messages` into `list`; `pointName` names a point's thread for the centre's view. */
export function drawThread(list: HTMLElement, messages: readonly MessageView[], pointName: (id: string | null) => string): void {
  if (messages.length === 0) {
    list.replaceChildren(h('li', { class: 'bc-empty' }, t('bc.empty')));
    return;
  }
  list.replaceChildren(
    ...messages.map((m) => {
      const who = m.from === 'centre' ? t('bc.fromCentre') : pointName(m.pointId);
      const to = m.from === 'centre' && m.pointId === null ? ` → ${t('bc.toAll')}` : '';
      const text = m.kind === 'heard' ? t('bc.heard') : m.text;
      return h(
        'li',
        { class: `bc-msg bc-${m.from} bc-kind-${m.kind}`, data: { messageId: m.id } },
        h('span', { class: 'bc-meta' }, `${who}${to} · ${time(m.sentAt)}`),
        h('span', { class: 'bc-text' }, text),
      );
    }),
  );
  list.lastElementChild?.scrollIntoView({ block: 'nearest' });
}

/** A text box and a send button; `send` gets the trimmed text and clears the box once it is sent. */
export function composer(send: (text: string) => Promise<unknown>): HTMLFormElement {
  const input = h('input', {
    class: 'bc-input',
    attrs: { type: 'text', maxlength: 1000, autocomplete: 'off' },
    data: { field: 'message' },
  });
  const submit = h('button', { class: 'primary', attrs: { type: 'submit' }, data: { action: 'send-message' } });
  const draw = (): void => {
    input.placeholder = t('bc.placeholder');
    submit.textContent = t('bc.send');
  };
  draw();
  onLanguage(draw);
  const form = h('form', { class: 'bc-compose' }, input, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    void send(text).then((sent) => {
      if (sent !== undefined) input.value = '';
    });
  });
  return form;
}

/** Shows `count` as a badge on the tab of the panel `panel` sits in (none at 0). */
export function badgeTab(panel: HTMLElement, count: number): void {
  const tab = panel.closest('.tabs')?.querySelector<HTMLElement>('[data-tab="messages"]');
  if (!tab) return;
  let badge = tab.querySelector<HTMLElement>('.bc-badge');
  if (!badge) tab.append((badge = h('span', { class: 'bc-badge', attrs: { 'aria-live': 'polite' } })));
  badge.textContent = count > 0 ? String(count) : '';
  badge.hidden = count === 0;
}
