// Peer and Unpeer as operations: `liqoctl peer` / `liqoctl unpeer` through the one runner, each side handed over as
// a temporary minified kubeconfig (0600, private folder, removed whatever happens), output lines streamed to the
// caller (already redacted by the runner). Unpeer carries `--skip-confirm`: the caller asked the user first.
import type { ResolvedContext } from '../../core/kubeconfig/resolved.ts';
import { peerCommand, unpeerCommand, type PeerOptions } from '../../core/liqoctl/peer.ts';
import { withTempKubeconfigs } from '../kubeconfig/tempKubeconfig.ts';
import type { LiqoctlRunner } from '../liqoctl/liqoctlRunner.ts';

export interface PeeringSide {
  readonly resolved: ResolvedContext;
  /** Where Liqo runs on that cluster (`liqo` by default). */
  readonly liqoNamespace?: string;
}

export interface LiqoctlStepOptions {
  readonly signal?: AbortSignal;
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  readonly timeoutMs?: number;
}

export type PeerChoices = Omit<PeerOptions, 'consumer' | 'provider'>;

function runOptions(o: LiqoctlStepOptions) {
  return { ...(o.signal ? { signal: o.signal } : {}), ...(o.onLine ? { onLine: o.onLine } : {}), ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}) };
}

export function peerClusters(liqoctl: LiqoctlRunner, consumer: PeeringSide, provider: PeeringSide, choices: PeerChoices, o: LiqoctlStepOptions = {}): Promise<void> {
  return withTempKubeconfigs([consumer.resolved, provider.resolved], ([ck, pk]) =>
    liqoctl.run(
      peerCommand({
        consumer: { kubeconfig: ck!.path, context: ck!.contextName, ...(consumer.liqoNamespace ? { liqoNamespace: consumer.liqoNamespace } : {}) },
        provider: { kubeconfig: pk!.path, context: pk!.contextName, ...(provider.liqoNamespace ? { liqoNamespace: provider.liqoNamespace } : {}) },
        ...choices,
      }),
      runOptions(o),
    ),
  );
}

export function unpeerClusters(liqoctl: LiqoctlRunner, consumer: PeeringSide, provider: PeeringSide, o: LiqoctlStepOptions & { deleteNamespaces?: boolean } = {}): Promise<void> {
  return withTempKubeconfigs([consumer.resolved, provider.resolved], ([ck, pk]) =>
    liqoctl.run(
      unpeerCommand({
        consumer: { kubeconfig: ck!.path, context: ck!.contextName, ...(consumer.liqoNamespace ? { liqoNamespace: consumer.liqoNamespace } : {}) },
        provider: { kubeconfig: pk!.path, context: pk!.contextName, ...(provider.liqoNamespace ? { liqoNamespace: provider.liqoNamespace } : {}) },
        ...(o.deleteNamespaces ? { deleteNamespaces: true } : {}),
      }),
      runOptions(o),
    ),
  );
}
