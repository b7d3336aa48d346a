// What the alerts watch, in the tree's words: from one cluster's connection state and snapshot, each peering,
// virtual node, ResourceSlice and NamespaceOffloading with whether it is failing, what it is, where, why, and the
// row that shows it. Only kinds whose watch has answered ('ready') are observed: a kind not watched right now (a
// collapsed cluster watches its peerings only) is neither healthy nor failing, it is simply not looked at.
import type { ConnectionState } from '../tree/clusterNodes.ts';
import type { ClusterSnapshot, WatchedKind } from '../liqo/snapshot.ts';
import type { ResourceSlice } from '../liqo/objects.ts';
import { objectKey } from '../liqo/objects.ts';
import { explainCondition, explainOffloadingPhase } from '../liqo/explain.ts';
import { liqoInfo } from '../liqo/snapshot.ts';
import { peerClusterId, peeringHealth } from '../tree/peeringNodes.ts';
import { nodeReadiness, sliceFor, virtualNodeNames } from '../tree/virtualNodeNodes.ts';
import { childKey, clusterRowKey, rowId } from '../tree/rowKey.ts';

export type WatchedObjectKind = 'cluster' | 'peering' | 'virtualNode' | 'resourceSlice' | 'offloading';

export interface Observation {
  /** Stable identity across snapshots: entry, kind and object key. */
  readonly key: string;
  readonly entryId: string;
  readonly contextName: string;
  readonly kind: WatchedObjectKind;
  readonly failing: boolean;
  /** What, in the tree's words: "Peering with cluster-b", "Virtual node liqo-b". */
  readonly what: string;
  /** Why it fails (plain words), when failing. */
  readonly why?: string;
  /** What to check next, when the tree has advice. */
  readonly check?: string;
  /** Row ids from the cluster row down to the row showing the object (the last one is revealed). */
  readonly rowPath: readonly string[];
  /** A cluster: its own Liqo cluster ID, when its cluster-ID ConfigMap has been read. */
  readonly clusterId?: string;
  /** A peering, virtual node or ResourceSlice: the Liqo cluster ID of the peer it depends on. */
  readonly peerClusterId?: string;
}

/** The watch kind(s) an observation kind is read from; the kind is observed only while all are 'ready'. */
const SOURCES: Readonly<Record<Exclude<WatchedObjectKind, 'cluster'>, readonly WatchedKind[]>> = {
  peering: ['foreignclusters'],
  virtualNode: ['virtualnodes', 'virtualNodeNodes'],
  resourceSlice: ['resourceslices', 'virtualnodes'],
  offloading: ['namespaceoffloadings'],
};

export interface ClusterObservations {
  readonly observations: readonly Observation[];
  /** The kinds looked at completely: a tracked object of such a kind missing from `observations` is gone. */
  readonly observedKinds: readonly WatchedObjectKind[];
}

export interface ClusterInput {
  readonly entryId: string;
  readonly contextName: string;
  readonly state: ConnectionState;
  readonly snapshot: ClusterSnapshot | undefined;
  /** Its row is collapsed, so only what that row shows is watched (peerings, not virtual nodes, slices, offloadings). */
  readonly collapsed?: boolean;
}

export function observeCluster(c: ClusterInput): ClusterObservations {
  const base = clusterRowKey(c.entryId);
  const clusterRow = rowId(base);
  const where = { entryId: c.entryId, contextName: c.contextName };
  const key = (kind: WatchedObjectKind, k: string): string => `${c.entryId}\u0000${kind}\u0000${k}`;
  // Connecting, idle or deferred says nothing about reachability: the cluster is observed only once it answered or failed.
  if (c.state.kind !== 'reachable' && c.state.kind !== 'failed') return { observations: [], observedKinds: [] };
  const reach: Observation = {
    ...where,
    key: key('cluster', ''),
    kind: 'cluster',
    failing: c.state.kind === 'failed',
    what: `Cluster ${c.contextName}`,
    ...(c.state.kind === 'failed' ? { why: `unreachable: ${c.state.problem.summary}`, check: c.state.problem.hint } : {}),
    rowPath: [clusterRow],
  };
  const s = c.snapshot;
  if (c.state.kind !== 'reachable' || !s) return { observations: [reach], observedKinds: ['cluster'] };
  const clusterId = liqoInfo(s).clusterId;
  const out: Observation[] = [clusterId ? { ...reach, clusterId } : reach];
  const observedKinds: WatchedObjectKind[] = ['cluster'];
  const ready = (kind: keyof typeof SOURCES): boolean => SOURCES[kind].every((k) => s.kinds[k].kind === 'ready');
  const folder = (name: string) => childKey(base, name);

  if (ready('peering')) {
    observedKinds.push('peering');
    for (const fc of s.foreignClusters) {
      const health = peeringHealth(fc);
      const peer = peerClusterId(fc);
      const conds = [...Object.values(fc.status?.modules ?? {}).flatMap((m) => (m?.enabled === false ? [] : (m?.conditions ?? []))), ...(fc.status?.conditions ?? [])];
      const failed = conds.map(explainCondition).find((e) => e.health === 'failed');
      const f = folder('peerings');
      out.push({
        ...where,
        key: key('peering', objectKey(fc)),
        kind: 'peering',
        failing: health === 'failed',
        what: `Peering with ${peer}`,
        ...(health === 'failed' ? { why: failed ? `${failed.title}: ${failed.what ?? 'failing'}${failed.side ? ` (${failed.side.startsWith('between') ? failed.side : `on ${failed.side}`})` : ''}` : 'a condition is failing' } : {}),
        ...(failed?.check ? { check: failed.check } : {}),
        rowPath: [clusterRow, rowId(f), rowId(childKey(f, fc.metadata.name))],
        peerClusterId: peer,
      });
    }
  }
  const vnFolder = folder('virtual-nodes');
  if (ready('virtualNode')) {
    observedKinds.push('virtualNode');
    for (const name of virtualNodeNames(s)) {
      const node = s.nodes.find((n) => n.metadata.name === name);
      const r = nodeReadiness(node);
      const peer = s.virtualNodes.find((vn) => vn.metadata.name === name)?.spec?.clusterID;
      out.push({
        ...where,
        key: key('virtualNode', name),
        kind: 'virtualNode',
        failing: r.health === 'failed',
        what: `Virtual node ${name}`,
        ...(r.health === 'failed'
          ? {
              why: `the virtual node is NotReady${r.reason ? ` (${r.reason})` : ''}: new pods are not scheduled on it and running ones are marked remote-unavailable`,
              check: 'the virtual-kubelet pod in the tenant namespace (label offloading.liqo.io/component=virtual-kubelet) and the peering\'s network and API server conditions.',
            }
          : {}),
        rowPath: [clusterRow, rowId(vnFolder), rowId(childKey(vnFolder, name))],
        ...(peer ? { peerClusterId: peer } : {}),
      });
    }
  }
  if (ready('resourceSlice')) {
    observedKinds.push('resourceSlice');
    const shownBy = new Map<ResourceSlice, string>();
    for (const vn of s.virtualNodes) {
      const sl = sliceFor(vn, s.resourceSlices);
      if (sl) shownBy.set(sl, vn.metadata.name);
    }
    for (const sl of s.resourceSlices) {
      const denied = (sl.status?.conditions ?? []).find((c) => c.status === 'Denied');
      const vnName = shownBy.get(sl);
      out.push({
        ...where,
        key: key('resourceSlice', objectKey(sl)),
        kind: 'resourceSlice',
        failing: denied !== undefined,
        what: `ResourceSlice ${objectKey(sl)}`,
        ...(denied ? { why: `${denied.type} Denied${denied.reason ? ` (${denied.reason})` : ''}${denied.message ? `: ${denied.message}` : ''}`, check: 'the provider cluster: its Tenant for this consumer and the resources it can still grant.' } : {}),
        rowPath: vnName ? [clusterRow, rowId(vnFolder), rowId(childKey(vnFolder, vnName))] : [clusterRow, rowId(vnFolder)],
        ...(sl.spec?.providerClusterID ? { peerClusterId: sl.spec.providerClusterID } : {}),
      });
    }
  }
  if (ready('offloading')) {
    observedKinds.push('offloading');
    const f = folder('offloaded');
    for (const o of s.offloadings) {
      const ns = o.metadata.namespace ?? '';
      const ex = explainOffloadingPhase(o.status?.offloadingPhase);
      out.push({
        ...where,
        key: key('offloading', objectKey(o)),
        kind: 'offloading',
        failing: ex.health === 'failed',
        what: `Offloaded namespace ${ns}`,
        ...(ex.health === 'failed' ? { why: `${o.status?.offloadingPhase}: ${ex.what ?? 'failing'}`, ...(ex.check ? { check: ex.check } : {}) } : {}),
        rowPath: [clusterRow, rowId(f), rowId(childKey(f, ns))],
      });
    }
  }
  return { observations: out, observedKinds };
}
