// Runs a restore plan (core/federation/restorePlan.ts) step by step through the product's own operations: liqoctl
// peer through the one runner (private kubeconfig copies), ResourceSlices and NamespaceOffloadings through the one
// write path, each followed until Liqo settles it (Accepted, Ready) or fails with Liqo's reason. The first step
// that cannot run or fails stops the plan; what was done stays done and is reported. Kubeconfig steps are not
// written here: kubeconfig edits go through the workbench's preview and undo, so the plan stops and names them.
import type { ClusterClient } from '../cluster/clusterClient.ts';
import type { ResolvedContext } from '../../core/kubeconfig/resolved.ts';
import type { RestorePlan, RestoreStep } from '../../core/federation/restorePlan.ts';
import type { LiqoctlRunner } from '../liqoctl/liqoctlRunner.ts';
import { peerClusters } from '../operations/peering.ts';
import { followResourceSlice, writeResourceSlice } from '../operations/requestResources.ts';
import { unreplicatedSliceNextStep } from '../../core/offloading/resourceSlice.ts';
import { followOffloading, unoffloadNamespace } from '../operations/offloading.ts';
import { followVirtualNode } from '../operations/followVirtualNode.ts';
import { applyObject } from '../writes/applyObject.ts';
import { namespaceOffloadingPath } from '../../core/offloading/namespaceOffloading.ts';

export interface RestoreClusters {
  /** The context's client, when its cluster answered; undefined: the cluster is unreachable (or unknown). */
  client(context: string): ClusterClient | undefined;
  resolved(context: string): ResolvedContext | undefined;
}

export interface RestoreOptions {
  readonly signal?: AbortSignal;
  /** Step index and a short message (a phase, a liqoctl line). */
  readonly onProgress?: (step: number, message: string) => void;
  /** Per step (liqoctl peer has its own --timeout as well). */
  readonly stepTimeoutMs?: number;
}

export interface StepReport {
  readonly title: string;
  readonly outcome: 'done' | 'failed' | 'stopped';
  readonly detail: string;
}

export interface RestoreRun {
  readonly reports: readonly StepReport[];
  /** Set when the plan did not run to its end: the step's index and why. */
  readonly stopped?: { readonly at: number; readonly why: string };
}

class StepStop extends Error {}

export async function runRestorePlan(plan: RestorePlan, clusters: RestoreClusters, liqoctl: LiqoctlRunner, o: RestoreOptions = {}): Promise<RestoreRun> {
  const reports: StepReport[] = [];
  if (plan.unmapped.length) {
    return { reports, stopped: { at: 0, why: `Map the old cluster IDs to contexts first: ${plan.unmapped.map((u) => `${u.oldClusterId} (${u.why})`).join('; ')}.` } };
  }
  for (const [i, step] of plan.steps.entries()) {
    if (o.signal?.aborted) return { reports, stopped: { at: i, why: 'Cancelled.' } };
    try {
      const detail = await runStep(step, i, clusters, liqoctl, o);
      reports.push({ title: step.title, outcome: 'done', detail });
    } catch (err) {
      const why = o.signal?.aborted ? 'Cancelled.' : (err as Error).message;
      reports.push({ title: step.title, outcome: err instanceof StepStop ? 'stopped' : 'failed', detail: why });
      return { reports, stopped: { at: i, why: `${step.title}: ${why}` } };
    }
  }
  return { reports };
}

function clientFor(clusters: RestoreClusters, context: string): ClusterClient {
  const c = clusters.client(context);
  if (!c) throw new StepStop(`the cluster of context "${context}" does not answer; make it reachable, then run the plan again (steps done stay done).`);
  return c;
}

async function runStep(step: RestoreStep, i: number, clusters: RestoreClusters, liqoctl: LiqoctlRunner, o: RestoreOptions): Promise<string> {
  const progress = (m: string) => o.onProgress?.(i, m);
  const follow = { ...(o.signal ? { signal: o.signal } : {}), onProgress: progress, ...(o.stepTimeoutMs !== undefined ? { timeoutMs: o.stepTimeoutMs } : {}) };
  switch (step.kind) {
    case 'blocked':
      throw new StepStop(step.why);
    case 'kubeconfig':
      throw new StepStop(`kubeconfig edits are made with "Liqo: Rewrite Server…" (preview, write, undo): set ${[step.server ? `server ${step.server}` : '', step.tlsServerName !== undefined ? `tls-server-name ${step.tlsServerName || '(none)'}` : ''].filter(Boolean).join(' and ')} on "${step.context}", then run the plan again.`);
    case 'peer': {
      clientFor(clusters, step.consumerContext);
      clientFor(clusters, step.providerContext);
      const consumer = clusters.resolved(step.consumerContext);
      const provider = clusters.resolved(step.providerContext);
      if (!consumer || !provider) throw new StepStop('a context of this peering has no usable kubeconfig entry.');
      await peerClusters(
        liqoctl,
        { resolved: consumer, ...(step.consumerLiqoNamespace ? { liqoNamespace: step.consumerLiqoNamespace } : {}) },
        { resolved: provider, ...(step.providerLiqoNamespace ? { liqoNamespace: step.providerLiqoNamespace } : {}) },
        step.choices,
        { ...(o.signal ? { signal: o.signal } : {}), onLine: (line) => progress(line), ...(o.stepTimeoutMs !== undefined ? { timeoutMs: o.stepTimeoutMs } : {}) },
      );
      return 'peered (liqoctl peer finished)';
    }
    case 'resourceSlice': {
      const client = clientFor(clusters, step.context);
      const meta = (step.manifest as { metadata: { name: string; namespace: string } }).metadata;
      progress(`writing ResourceSlice ${meta.namespace}/${meta.name}`);
      await writeResourceSlice(client, meta.namespace, meta.name, step.manifest, follow);
      const r = await followResourceSlice(client, meta.namespace, meta.name, follow);
      if (r.outcome !== 'accepted') {
        const next = r.stopped === 'timedOut' && r.unreplicated ? ` ${unreplicatedSliceNextStep(step.context, step.liqoNamespace)}` : '';
        throw new Error(r.stopped ? `not accepted yet (${r.stopped}): ${r.detail}.${next}` : r.detail);
      }
      // A NamespaceOffloading written before the slice's virtual node exists settles on NoClusterSelected: the
      // step ends only once Liqo runs the virtual node it makes from the slice (named after it, beside it).
      progress(`waiting for the virtual node ${meta.name}`);
      const vn = await followVirtualNode(client, meta.namespace, meta.name, follow);
      if (!vn.running) throw new Error(`${r.detail}, but the virtual node ${meta.namespace}/${meta.name} is not running${vn.stopped ? ` (${vn.stopped})` : ''}: ${vn.detail}`);
      return `${r.detail}; virtual node ${meta.name} running`;
    }
    case 'namespaceOffloading': {
      const client = clientFor(clusters, step.context);
      const ns = step.manifest.metadata.namespace;
      if (step.replaces) {
        // Liqo reads a NamespaceOffloading's strategies when it is created: a changed one is replaced, not edited.
        const gone = await unoffloadNamespace(client, ns, follow);
        if (!gone.gone) throw new Error(`the old NamespaceOffloading of ${ns} is still terminating (${gone.reason ?? 'unknown'}).`);
      }
      progress(`writing the NamespaceOffloading of ${ns}`);
      await applyObject(client, namespaceOffloadingPath(ns), step.manifest, o.signal ? { signal: o.signal } : {});
      const r = await followOffloading(client, ns, follow);
      if (r.outcome === 'ready') return `Ready${r.progress.remoteNamespaceName ? ` (remote namespace ${r.progress.remoteNamespaceName})` : ''}`;
      if (r.outcome === 'failed') throw new Error(`${r.progress.phase}: ${r.progress.reasons.join('; ')}`);
      throw new Error(`still ${r.progress.phase} (${r.reason})`);
    }
  }
}
