// liqo.federation.clearFilter: show every (not hidden) context again; in the view's title bar while a filter is on.
import type { Command } from './command.ts';
import { NO_FILTER } from '../../core/tree/viewFilter.ts';

export const clearFilter: Command = {
  id: 'liqo.federation.clearFilter',
  run({ model }) {
    model.setFilter(NO_FILTER);
  },
};
