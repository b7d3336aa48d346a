// What Unpeer… and Request Resources… act on: a peering row (a ForeignCluster on one cluster), read as "consumer
// and provider" whichever side the row is on — the ForeignCluster's role says which way the peering goes — with the
// kubeconfig context of the other side found by its Liqo cluster ID. From the palette: a cluster, then one of its
// peerings.
import * as vscode from 'vscode';
import type { CommandDeps } from '../commands/command.ts';
import { pickCluster, type ClusterTarget } from './rowTarget.ts';

export interface PeeringTarget {
  /** The cluster whose row was clicked (or picked). */
  readonly here: ClusterTarget;
  /** The peer's Liqo cluster ID. */
  readonly peerClusterId: string;
  /** What the peer is to `here`: Provider (here consumes), Consumer (here provides), or both. */
  readonly role: string;
  /** The tenant namespace `here` keeps for the peer. */
  readonly tenantNamespace?: string;
}

interface ForeignClusterLike {
  metadata?: { name?: string };
  spec?: { clusterID?: string };
  status?: { role?: string; tenantNamespace?: { local?: string } };
}

function toTarget(here: ClusterTarget, fc: ForeignClusterLike): PeeringTarget {
  const tenant = fc.status?.tenantNamespace?.local;
  return { here, peerClusterId: fc.spec?.clusterID || fc.metadata?.name || '', role: fc.status?.role ?? 'Unknown', ...(tenant ? { tenantNamespace: tenant } : {}) };
}

export async function pickPeering(deps: CommandDeps, arg: unknown, purpose: string): Promise<PeeringTarget | undefined> {
  const row = arg && typeof arg === 'object' && 'id' in arg && typeof arg.id === 'string' ? deps.tree.view({ id: arg.id }) : undefined;
  const here = await pickCluster(deps, arg, `${purpose}: cluster`);
  if (!here) return undefined;
  if (row?.resource?.kind === 'foreignclusters') {
    const fc = deps.model.object(here.entryId, 'foreignclusters', row.resource.key) as ForeignClusterLike | undefined;
    if (fc) return toTarget(here, fc);
  }
  const list = await here.client.list('/apis/core.liqo.io/v1beta1/foreignclusters', {});
  const fcs = list.items as ForeignClusterLike[];
  if (fcs.length === 0) throw new Error(`${here.contextName} has no peering: peer it first (Peer Clusters…).`);
  const picked = await vscode.window.showQuickPick(
    fcs.map((fc) => ({ label: fc.spec?.clusterID || fc.metadata?.name || '', description: fc.status?.role ?? 'Unknown', fc })),
    { title: `${purpose}: which peering of ${here.contextName}?` },
  );
  return picked ? toTarget(here, picked.fc) : undefined;
}

/**
 * The loaded kubeconfig context whose cluster carries this Liqo cluster ID (besides `except`). A writing command
 * (deps.writes) is refused on a read-only one unless `access` says the command only reads that side.
 */
export async function contextOfCluster(deps: CommandDeps, clusterId: string, except?: string, access: 'write' | 'read' = 'write'): Promise<ClusterTarget | undefined> {
  for (const c of deps.model.clusters) {
    if (c.id === except) continue;
    const s = deps.model.session(c.id);
    if (s?.clusterId !== clusterId || !s.client) continue;
    if (deps.writes && access === 'write') deps.model.readOnly.assertWritable(s.entry.contextName, deps.writes);
    return { entryId: c.id, contextName: s.entry.contextName, client: s.client, resolved: s.resolvedContext };
  }
  return undefined;
}
