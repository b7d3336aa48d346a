// How a health value looks in the tree: one codicon and theme colour per state, used by every row kind.
import type { Health } from '../liqo/explain.ts';
import type { IconView } from './view.ts';

export function healthIcon(h: Health): IconView {
  switch (h) {
    case 'healthy':
      return { id: 'pass', color: 'testing.iconPassed' };
    case 'pending':
      return { id: 'clock', color: 'list.warningForeground' };
    case 'failed':
      return { id: 'error', color: 'errorForeground' };
    case 'disabled':
      return { id: 'circle-slash', color: 'disabledForeground' };
    default:
      return { id: 'question', color: 'disabledForeground' };
  }
}

export function healthWord(h: Health): string {
  switch (h) {
    case 'healthy':
      return 'healthy';
    case 'pending':
      return 'pending';
    case 'failed':
      return 'failing';
    case 'disabled':
      return 'disabled';
    default:
      return 'unknown';
  }
}
