// Where a NamespaceOffloading stands, read from its status, for a command that follows it until it settles:
// Ready ends well; AllFailed, SomeFailed and NoClusterSelected end badly with the reasons Liqo wrote per cluster;
// InProgress, Terminating or no status yet mean wait.

export type OffloadingOutcome = 'ready' | 'failed' | 'pending';

export interface OffloadingProgress {
  readonly outcome: OffloadingOutcome;
  readonly phase: string;
  /** Per-cluster reasons for anything not Ready (empty when ready). */
  readonly reasons: readonly string[];
  readonly remoteNamespaceName?: string;
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

interface NamespaceOffloadingStatusLike {
  metadata?: { generation?: number };
  status?: {
    offloadingPhase?: string;
    remoteNamespaceName?: string;
    observedGeneration?: number;
    remoteNamespacesConditions?: Record<string, Condition[]>;
  };
}

export function offloadingProgress(obj: unknown): OffloadingProgress {
  const o = (obj ?? {}) as NamespaceOffloadingStatusLike;
  const phase = o.status?.offloadingPhase ?? '';
  const reasons: string[] = [];
  for (const [cluster, conditions] of Object.entries(o.status?.remoteNamespacesConditions ?? {})) {
    for (const c of conditions ?? []) {
      if (c.status === 'True') continue;
      const why = [c.reason, c.message].filter((x) => x).join(': ');
      reasons.push(`${cluster}: ${c.type ?? 'condition'} ${c.status ?? 'Unknown'}${why ? ` (${why})` : ''}`);
    }
  }
  const remote = o.status?.remoteNamespaceName ? { remoteNamespaceName: o.status.remoteNamespaceName } : {};
  // A status written for an older spec says nothing about the new one.
  const stale = o.status?.observedGeneration !== undefined && o.metadata?.generation !== undefined && o.status.observedGeneration < o.metadata.generation;
  if (!stale && phase === 'Ready') return { outcome: 'ready', phase, reasons: [], ...remote };
  if (!stale && (phase === 'AllFailed' || phase === 'SomeFailed')) return { outcome: 'failed', phase, reasons, ...remote };
  if (!stale && phase === 'NoClusterSelected') {
    return { outcome: 'failed', phase, reasons: reasons.length ? reasons : ['No peered cluster matches the cluster selector.'], ...remote };
  }
  return { outcome: 'pending', phase: phase || 'waiting for Liqo', reasons, ...remote };
}
