// The clusters a restore plan acts on, as the model knows them: a context's client only while its cluster answers,
// and its resolved context (secrets inside: handed to liqoctl as a private temporary kubeconfig, never logged).
import type { FederationModel } from '../federationModel.ts';
import type { RestoreClusters } from './restoreRunner.ts';

export function restoreClustersOf(model: FederationModel): RestoreClusters {
  const session = (context: string) => {
    const entry = model.clusters.find((e) => e.contextName === context);
    return entry ? model.session(entry.id) : undefined;
  };
  return {
    client: (context) => {
      const s = session(context);
      return s?.state.kind === 'reachable' ? s.client : undefined;
    },
    resolved: (context) => session(context)?.resolvedContext,
  };
}
