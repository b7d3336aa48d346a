// liqo.walkthrough.open: Liqo: Open Walkthrough — "Federate two clusters" in VS Code's Welcome editor, any time.
import type { Command } from './command.ts';

export const openWalkthrough: Command = {
  id: 'liqo.walkthrough.open',
  run: ({ walkthrough }) => walkthrough.open(),
};
