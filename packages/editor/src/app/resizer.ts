/**
 * The splitter between the source and the side panel: drag it, or focus it
 * and use the arrow keys. The width is kept (localStorage) and clamped so
 * both sides stay usable at any window size.
 */
import { h } from './dom.ts';

const KEY = 'verdict.sideWidth';
const MIN_SIDE = 260;
const MIN_SOURCE = 280;
const STEP = 24;

export function sideResizer(layout: HTMLElement): HTMLElement {
  const handle = h('div', { class: 'resizer', id: 'side-resizer', role: 'separator', 'aria-orientation': 'vertical', 'aria-label': 'Resize side panel', tabindex: '0' });
  const clamp = (width: number) => Math.max(MIN_SIDE, Math.min(width, layout.clientWidth - MIN_SOURCE));
  const apply = (width: number) => {
    const clamped = Math.round(clamp(width));
    layout.style.setProperty('--side-width', `${clamped}px`);
    handle.setAttribute('aria-valuenow', String(clamped));
    return clamped;
  };
  const stored = Number(localStorage.getItem(KEY));
  if (stored > 0) requestAnimationFrame(() => apply(stored));
  const save = (width: number) => localStorage.setItem(KEY, String(width));

  handle.addEventListener('pointerdown', (event) => {
    event.preventDefault();
    handle.setPointerCapture(event.pointerId);
    const right = layout.getBoundingClientRect().right;
    const move = (e: PointerEvent) => apply(right - e.clientX);
    const up = (e: PointerEvent) => {
      save(apply(right - e.clientX));
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  });
  handle.addEventListener('keydown', (event) => {
    const side = layout.querySelector<HTMLElement>('.side')?.getBoundingClientRect().width ?? MIN_SIDE;
    const delta = event.key === 'ArrowLeft' ? STEP : event.key === 'ArrowRight' ? -STEP : 0;
    if (delta === 0) return;
    event.preventDefault();
    save(apply(side + delta));
  });
  window.addEventListener('resize', () => {
    const current = parseFloat(layout.style.getPropertyValue('--side-width'));
    if (current > 0) apply(current);
  });
  return handle;
}
