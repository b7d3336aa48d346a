// Connects with a kubeconfig text that is not saved yet (the result of an edit), so a change is proven before it is
// written. The one place the workbench reaches the cluster transport: the same client and probe the tree uses, and
// the same credentials: exec plugins and auth-provider commands run through the given ProcessRunner, gated by
// workspace trust exactly as the tree's sessions are (a restricted workspace runs nothing and the probe says so).
import { buildClusterList } from '../../core/kubeconfig/clusters.ts';
import { parseKubeconfig } from '../../core/kubeconfig/parse.ts';
import type { ProbeResult } from '../cluster/probe.ts';
import type { CredentialProvider } from '../credentials/credentialProvider.ts';
import { credentialProviderForContext } from '../credentials/credentialProviderFor.ts';
import type { ProcessRunner } from '../process/runner.ts';
import type { ResolvedContext } from '../../core/kubeconfig/resolved.ts';

/** A credential program that has not answered by then (a login waiting in a browser) is killed and reported. */
const CREDENTIAL_PROGRAM_TIMEOUT_MS = 30_000;

export interface EditedProbeOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Runs credential programs (exec plugins, auth-provider cmd-path) as the tree's sessions do. */
  readonly programs?: { readonly runner: ProcessRunner; readonly trusted: boolean | (() => boolean) };
  /** Overrides `programs`: the provider for this context. */
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
  const programs = opts.programs;
  const credentials =
    opts.credentialProvider?.(resolved) ??
    (programs ? credentialProviderForContext(resolved, { trusted: programs.trusted, runner: programs.runner, timeoutMs: CREDENTIAL_PROGRAM_TIMEOUT_MS }) : undefined);
  // The transport (HTTP/2, TLS, X.509) is imported here, at the first probe: a static import would load it with the
  // extension, before the tree's first rows, which the session registry keeps it out of.
  const [{ createClusterClient }, { probeCluster }] = await Promise.all([import('../cluster/httpClusterClient.ts'), import('../cluster/probe.ts')]);
  const client = createClusterClient(resolved, { timeoutMs: opts.timeoutMs, ...(credentials ? { credentials } : {}) });
  try {
    return await probeCluster(client, resolved, { timeoutMs: opts.timeoutMs, kubeconfigFile: filePath, ...(opts.signal ? { signal: opts.signal } : {}) });
  } finally {
    client.dispose();
  }
}
