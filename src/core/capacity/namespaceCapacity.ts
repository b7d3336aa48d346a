// An offloaded namespace's pods and requests per remote cluster: its pods grouped by where they run (a virtual node
// → the remote cluster behind it; a real node → this cluster; not scheduled yet → pending), each group's non-terminal
// pods counted and their requests summed as the scheduler counts them. Needs no metrics server.
import type { ClusterSnapshot } from '../liqo/snapshot.ts';
import { virtualNodeIndex } from '../liqo/snapshot.ts';
import type { Pod } from '../liqo/objects.ts';
import { requestedBy, isTerminal, type Amounts } from './podRequests.ts';
import { formatQuantity } from './quantity.ts';

export interface PlacementRequests {
  /** the remote cluster ID, or `local` / `unscheduled` */
  readonly where: string;
  readonly kind: 'remote' | 'local' | 'unscheduled';
  /** non-terminal pods there */
  readonly pods: number;
  /** terminal (Succeeded/Failed) pods there, which request nothing */
  readonly finished: number;
  /** summed requests (no `pods` entry) */
  readonly requests: Amounts;
}

export interface NamespaceCapacity {
  readonly namespace: string;
  readonly groups: readonly PlacementRequests[];
}

export function namespaceCapacity(namespace: string, pods: readonly Pod[], vnIndex: ReadonlyMap<string, string | undefined>): NamespaceCapacity {
  const groups = new Map<string, { kind: PlacementRequests['kind']; pods: Pod[] }>();
  for (const p of pods) {
    if (p.metadata.namespace !== namespace) continue;
    const node = p.spec?.nodeName;
    const kind = !node ? 'unscheduled' : vnIndex.has(node) ? 'remote' : 'local';
    const where = kind === 'remote' ? (vnIndex.get(node as string) ?? (node as string)) : kind;
    const g = groups.get(where) ?? { kind, pods: [] };
    g.pods.push(p);
    groups.set(where, g);
  }
  const rank = { remote: 0, local: 1, unscheduled: 2 } as const;
  const out = [...groups].map(([where, g]): PlacementRequests => {
    const requests = requestedBy(g.pods);
    const count = requests.get('pods') ?? 0;
    requests.delete('pods');
    return { where, kind: g.kind, pods: count, finished: g.pods.filter(isTerminal).length, requests };
  });
  out.sort((a, b) => rank[a.kind] - rank[b.kind] || a.where.localeCompare(b.where));
  return { namespace, groups: out };
}

export function capacityOfOffloadedNamespace(s: ClusterSnapshot, namespace: string): NamespaceCapacity {
  return namespaceCapacity(namespace, s.pods, virtualNodeIndex(s));
}

const WHERE: Record<PlacementRequests['kind'], (w: string) => string> = {
  remote: (w) => `remote cluster ${w}`,
  local: () => 'this cluster',
  unscheduled: () => 'not scheduled yet',
};

/** `cpu 4, memory 16Gi, nvidia.com/gpu 2`: cpu and memory first, then the others by name. */
export function requestsText(r: Amounts): string {
  const rank = (k: string) => ({ cpu: 0, memory: 1 })[k] ?? 2;
  const parts = [...r].filter(([k, v]) => v !== 0 && k !== 'ephemeral-storage').sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  return parts.length === 0 ? 'nothing' : parts.map(([k, v]) => `${k} ${formatQuantity(k, v)}`).join(', ');
}

/** Markdown lines for the offloaded namespace's tooltip. */
export function namespaceCapacityTooltip(c: NamespaceCapacity, escape: (t: string) => string = (t) => t): string[] {
  if (c.groups.length === 0) return ['- No pods in this namespace'];
  return c.groups.map((g) => {
    const finished = g.finished > 0 ? ` (and ${g.finished} finished)` : '';
    return `- ${escape(WHERE[g.kind](g.where))}: ${g.pods} pod${g.pods === 1 ? '' : 's'}${finished}, requesting ${escape(requestsText(g.requests))}`;
  });
}
