// liqo.map.show: Show Federation Map, from the view's title bar, the palette, or a cluster or peering row (the map
// opens with that cluster's node or that peering's edge focused).
import type { Command } from './command.ts';
import { entryIdOf } from './command.ts';

export const showFederationMap: Command = {
  id: 'liqo.map.show',
  run({ model, map }, arg) {
    const rowId = arg && typeof arg === 'object' && 'id' in arg && typeof arg.id === 'string' ? arg.id : undefined;
    const entryId = arg === undefined ? undefined : entryIdOf(model, arg);
    map.show(rowId || entryId ? map.elementFor(rowId, entryId) : undefined);
  },
};
