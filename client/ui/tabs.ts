// Accessible tabs (WAI-ARIA tablist): arrow keys move between tabs, each panel is labelled by its tab.
import type { Key } from '../i18n.ts';
import { h, tr } from './dom.ts';

let counter = 0;

export interface Tab {
  key: Key;
  panel: HTMLElement;
  /** Stable name for tests and deep links. */
  name: string;
}

export function tabs(list: Tab[], className = ''): HTMLElement {
  const base = `tabs-${++counter}`;
  const buttons: HTMLButtonElement[] = [];
  const panels: HTMLElement[] = [];
  const select = (index: number, focus: boolean): void => {
    buttons.forEach((b, i) => {
      const on = i === index;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      panels[i]?.toggleAttribute('hidden', !on);
    });
    if (focus) buttons[index]?.focus();
  };
  list.forEach((tab, index) => {
    const button = h(
      'button',
      {
        class: 'tab',
        id: `${base}-tab-${index}`,
        attrs: { type: 'button', role: 'tab', 'aria-controls': `${base}-panel-${index}` },
        data: { tab: tab.name },
        on: {
          click: () => select(index, false),
          keydown: (event) => {
            const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
            if (step) select((index + step + list.length) % list.length, true);
          },
        },
      },
      tr(tab.key),
    );
    const panel = h(
      'div',
      {
        class: 'tab-panel',
        id: `${base}-panel-${index}`,
        attrs: { role: 'tabpanel', 'aria-labelledby': button.id },
        data: { panel: tab.name },
      },
      tab.panel,
    );
    buttons.push(button);
    panels.push(panel);
  });
  select(0, false);
  const tabList = h('div', { class: 'tab-list', attrs: { role: 'tablist' } }, ...buttons);
  return h('div', { class: `tabs ${className}`.trim() }, tabList, ...panels);
}
