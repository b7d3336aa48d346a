// liqo.federation.refresh: re-read every kubeconfig and reconnect every cluster. Returns how many contexts it
// reloaded, for callers of executeCommand.
import type { Command } from './command.ts';

export interface RefreshResult {
  readonly contexts: number;
}

export const refreshFederation: Command = {
  id: 'liqo.federation.refresh',
  async run({ model, reloadSettings }): Promise<RefreshResult> {
    await reloadSettings();
    await model.retryAll();
    return { contexts: model.clusters.length };
  },
};
