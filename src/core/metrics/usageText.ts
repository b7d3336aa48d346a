// The usage lines hover tooltips add (pod, virtual node and cluster rows), from a cluster's last poll of
// metrics.k8s.io: what was measured, or in plain words why nothing is shown ("no metrics API on <context>").
import type { Node } from '../liqo/objects.ts';
import { parseQuantity } from '../capacity/quantity.ts';
import { sumUsage, topCpu, topMemory, usageTooltip, type Usage, type UsageState } from './usage.ts';

type Escape = (text: string) => string;
const plain: Escape = (t) => t;

/** The whole-row line when the cluster's usage is not (yet) known; undefined when it is available. */
function notAvailable(state: UsageState, contextName: string, escape: Escape): string[] | undefined {
  if (state.kind === 'absent') return [`- No metrics API on ${escape(contextName)}: showing capacity only (${escape(state.reason)})`];
  if (state.kind === 'unknown') return ['- Not read yet: usage is read from metrics.k8s.io while the cluster is expanded'];
  return undefined;
}

function allocatableOf(node: Node | undefined): { cpu?: number; memory?: number } {
  const a = node?.status?.allocatable;
  const cpu = a?.cpu === undefined ? undefined : parseQuantity(a.cpu);
  const memory = a?.memory === undefined ? undefined : parseQuantity(a.memory);
  return { ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memory } : {}) };
}

export function podUsageLines(state: UsageState, contextName: string, podKey: string, offloaded: boolean, escape: Escape = plain): string[] {
  const head = '**Usage:**';
  const missing = notAvailable(state, contextName, escape);
  if (missing) return [head, ...missing];
  const u = state.kind === 'available' ? state.snapshot.pods.get(podKey) : undefined;
  if (!u) {
    const why = offloaded ? 'the virtual kubelet reports no usage for it (Liqo reports offloaded pods where the remote cluster has a metrics API)' : 'metrics-server reports running pods only, after their first scrapes';
    return [head, `- None reported: ${why}`];
  }
  return [head, ...usageTooltip(u)];
}

/**
 * A virtual node: what its kubelet (Liqo's virtual kubelet) reports for the node, and its offloaded pods' usage
 * summed (what Liqo reports per pod), each against the node's allocatable.
 */
export function virtualNodeUsageLines(state: UsageState, contextName: string, node: Node | undefined, name: string, podKeys: readonly string[], escape: Escape = plain): string[] {
  const head = '**Usage:**';
  const missing = notAvailable(state, contextName, escape);
  if (missing) return [head, ...missing];
  if (state.kind !== 'available') return [head];
  const alloc = allocatableOf(node);
  const own = state.snapshot.nodes.get(name);
  const pods = sumUsage(podKeys.map((k) => state.snapshot.pods.get(k)));
  const lines = [head];
  lines.push(own ? `- Node (as its virtual kubelet reports it):` : '- Node: the virtual kubelet reports no node usage');
  if (own) lines.push(...usageTooltip(own, alloc).map((l) => `  ${l}`));
  const reported = podKeys.filter((k) => state.snapshot.pods.has(k)).length;
  lines.push(pods ? `- Its pods (${reported} of ${podKeys.length} reported), summed:` : `- Its pods: none reported (${podKeys.length} scheduled here)`);
  if (pods) lines.push(...usageTooltip(pods, alloc).map((l) => `  ${l}`).slice(0, 2));
  return lines;
}

/** Nodes listed by name in a cluster row's tooltip before "… and N more". */
export const NODES_LISTED = 12;

/** A cluster: each node's usage as metrics-server reports it (`kubectl top node`), virtual nodes marked. */
export function clusterUsageLines(state: UsageState, contextName: string, virtualNodes: ReadonlyMap<string, string | undefined>, escape: Escape = plain): string[] {
  const head = '**Usage of nodes:**';
  const missing = notAvailable(state, contextName, escape);
  if (missing) return [head, ...missing];
  if (state.kind !== 'available') return [head];
  const nodes = [...state.snapshot.nodes].sort(([a], [b]) => a.localeCompare(b));
  if (nodes.length === 0) return [head, '- metrics-server reports no node yet'];
  const line = ([name, u]: [string, Usage]) => {
    const vn = virtualNodes.has(name) ? ` (virtual node → ${escape(virtualNodes.get(name) ?? '?')})` : '';
    return `- ${escape(name)}${vn}: CPU ${topCpu(u.cpu)}, memory ${topMemory(u.memory)}`;
  };
  const more = nodes.length > NODES_LISTED ? [`- … and ${nodes.length - NODES_LISTED} more`] : [];
  const window = nodes[0]?.[1].windowSeconds;
  return [head, ...nodes.slice(0, NODES_LISTED).map(line), ...more, `- From metrics.k8s.io${window ? ` (${window}s window)` : ''}`];
}
