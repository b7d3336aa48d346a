// liqo.federation.refresh: re-read every kubeconfig and reconnect every cluster.
import type { Command } from './command.ts';

export const refreshFederation: Command = {
  id: 'liqo.federation.refresh',
  async run({ model, reloadSettings }) {
    await reloadSettings();
    await model.retryAll();
  },
};
