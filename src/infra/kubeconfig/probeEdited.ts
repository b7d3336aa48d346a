// Connects with a kubeconfig text that is not saved yet (the result of an edit), so a change is proven before it is
// written. The one place the workbench reaches the cluster transport: the same client and probe the tree uses.
import { buildClusterList } from '../../core/kubeconfig/clusters.ts';
import { parseKubeconfig } from '../../core/kubeconfig/parse.ts';
import { createClusterClient } from '../cluster/httpClusterClient.ts';
import { probeCluster, type ProbeResult } from '../cluster/probe.ts';
import type { CredentialProvider } from '../credentials/credentialProvider.ts';
import type { ResolvedContext } from '../../core/kubeconfig/resolved.ts';

export interface EditedProbeOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** For exec-plugin and auth-provider users (refuses by itself in restricted workspaces). */
  readonly credentialProvider?: (context: ResolvedContext) => CredentialProvider | undefined;
}

export async function probeEditedKubeconfig(filePath: string, text: string, contextName: string, opts: EditedProbeOptions): Promise<ProbeResult> {
  const parsed = parseKubeconfig(text);
  const invalid = (message: string): ProbeResult => ({ ok: false, failure: { server: '', code: 'KUBECONFIG_INVALID', message, kubeconfigFile: filePath } });
  if (!parsed.ok) return invalid(parsed.error.message);
  const list = buildClusterList([{ path: filePath, origin: 'setting', state: { kind: 'ok', config: parsed.config } }]);
  const entry = list.clusters.find((c) => c.contextName === contextName);
  const resolved = entry ? list.resolved.get(entry.id) : undefined;
  if (!entry || !resolved) return invalid(entry?.configError ?? `context "${contextName}" is not usable`);
  const credentials = opts.credentialProvider?.(resolved);
  const client = createClusterClient(resolved, { timeoutMs: opts.timeoutMs, ...(credentials ? { credentials } : {}) });
  try {
    return await probeCluster(client, resolved, { timeoutMs: opts.timeoutMs, kubeconfigFile: filePath, ...(opts.signal ? { signal: opts.signal } : {}) });
  } finally {
    client.dispose();
  }
}
