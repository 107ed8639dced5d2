import { h } from './dom.ts';

export interface Tab {
  id: string;
  label: string;
  panel: HTMLElement;
  /** Called when the tab is shown. */
  shown?: () => void;
}

/** An accessible tab list (arrow keys move between tabs). */
export function tabs(list: Tab[]): { element: HTMLElement; select(id: string): void } {
  const buttons: HTMLButtonElement[] = [];
  const tablist = h('div', { role: 'tablist', 'aria-label': 'Panels', class: 'tablist' });
  const panels = h('div', { class: 'panels' });
  const select = (id: string) => {
    for (const [i, tab] of list.entries()) {
      const on = tab.id === id;
      buttons[i]!.setAttribute('aria-selected', String(on));
      buttons[i]!.tabIndex = on ? 0 : -1;
      tab.panel.hidden = !on;
      if (on) tab.shown?.();
    }
  };
  for (const [i, tab] of list.entries()) {
    const button = h('button', { role: 'tab', id: `tab-${tab.id}`, 'aria-controls': `panel-${tab.id}`, type: 'button' }, tab.label);
    button.addEventListener('click', () => select(tab.id));
    button.addEventListener('keydown', (event) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (step === 0) return;
      const next = list[(i + step + list.length) % list.length]!;
      select(next.id);
      buttons[(i + step + list.length) % list.length]!.focus();
    });
    buttons.push(button);
    tablist.append(button);
    tab.panel.id = `panel-${tab.id}`;
    tab.panel.setAttribute('role', 'tabpanel');
    tab.panel.setAttribute('aria-labelledby', `tab-${tab.id}`);
    tab.panel.classList.add('panel');
    panels.append(tab.panel);
  }
  select(list[0]!.id);
  return { element: h('div', { class: 'side-inner' }, tablist, panels), select };
}
