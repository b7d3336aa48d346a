// Connects with a kubeconfig text that is not saved yet (the result of an edit), so a change is proven before it is
// written. The one place the workbench reaches the cluster transport.
import { kubeConfigFor } from '../cluster/kubeClient.ts';
import { probeCluster, type ProbeResult } from '../cluster/probe.ts';

export function probeEditedKubeconfig(filePath: string, text: string, contextName: string, opts: { timeoutMs: number; allowExec: boolean; signal?: AbortSignal }): Promise<ProbeResult> {
  return probeCluster(kubeConfigFor(`${filePath}#edited`, text, contextName), { timeoutMs: opts.timeoutMs, allowExec: opts.allowExec, kubeconfigFile: filePath, ...(opts.signal ? { signal: opts.signal } : {}) });
}
