// The ResourceSlice of Request Resources…, as `liqoctl create resourceslice` forges it (Liqo's forge.ResourceSlice
// and MutateResourceSlice): in the consumer's tenant namespace for the provider, labelled for replication to the
// provider, asking for a virtual node, class `default`, and only the quantities the user gave. Extended resources
// (nvidia.com/gpu) go into spec.resources beside cpu, memory and pods.
import { isQuantity } from '../liqoctl/peer.ts';

export const RESOURCE_SLICE_API_VERSION = 'authentication.liqo.io/v1beta1';

export interface ResourceSliceRequest {
  readonly name: string;
  /** The consumer's tenant namespace for this provider (liqo-tenant-<providerID> by default). */
  readonly tenantNamespace: string;
  readonly providerClusterId: string;
  /** Resource name → quantity (`cpu: "4"`, `memory: "8Gi"`, `pods: "30"`, `nvidia.com/gpu: "1"`); empty ones skipped. */
  readonly resources: Readonly<Record<string, string>>;
  readonly class?: string;
  /** liqoctl's default: a VirtualNode is created for the slice. */
  readonly createVirtualNode?: boolean;
  /** No quantity at all is fine: the provider decides (the slice `liqoctl peer` creates, restored as recorded). */
  readonly providerDecides?: boolean;
}

const RESOURCE_NAME = /^(?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Problems with the request (bad quantity, bad resource name, nothing asked), each naming the input. */
export function resourceSliceProblems(r: ResourceSliceRequest): string[] {
  const problems: string[] = [];
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(r.name) || r.name.length > 253) problems.push(`"${r.name}" is not a valid ResourceSlice name (lower-case DNS name).`);
  const given = Object.entries(r.resources).filter(([, q]) => q.trim() !== '');
  if (given.length === 0 && !r.providerDecides) problems.push('Give at least one quantity (cpu, memory, pods or an extended resource such as nvidia.com/gpu).');
  for (const [name, q] of given) {
    if (!RESOURCE_NAME.test(name)) problems.push(`"${name}" is not a resource name (e.g. cpu, memory, pods, nvidia.com/gpu).`);
    if (!isQuantity(q)) problems.push(`${name}: "${q}" is not a quantity (e.g. 4, 500m, 8Gi).`);
  }
  return problems;
}

export function resourceSliceManifest(r: ResourceSliceRequest): Record<string, unknown> {
  const problems = resourceSliceProblems(r);
  if (problems.length) throw new Error(problems.join(' '));
  const resources: Record<string, string> = {};
  for (const [name, q] of Object.entries(r.resources)) if (q.trim() !== '') resources[name] = q.trim();
  return {
    apiVersion: RESOURCE_SLICE_API_VERSION,
    kind: 'ResourceSlice',
    metadata: {
      name: r.name,
      namespace: r.tenantNamespace,
      labels: {
        'liqo.io/replication': 'true',
        'liqo.io/remoteID': r.providerClusterId,
        'liqo.io/remote-cluster-id': r.providerClusterId,
      },
      ...(r.createVirtualNode === false ? {} : { annotations: { 'liqo.io/create-virtual-node': 'true' } }),
    },
    spec: { class: r.class ?? 'default', providerClusterID: r.providerClusterId, resources },
  };
}

export function resourceSlicePath(namespace: string, name: string): string {
  return `/apis/${RESOURCE_SLICE_API_VERSION}/namespaces/${encodeURIComponent(namespace)}/resourceslices/${encodeURIComponent(name)}`;
}

export type SliceOutcome = 'accepted' | 'denied' | 'pending';

/** Whether the provider accepted the slice (Authentication and Resources conditions), with Liqo's reason. */
export function resourceSliceOutcome(obj: unknown): { outcome: SliceOutcome; detail: string; unreplicated?: true } {
  const conditions = ((obj as { status?: { conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }> } })?.status?.conditions ?? []);
  const denied = conditions.find((c) => c.status === 'Denied');
  if (denied) return { outcome: 'denied', detail: `${denied.type} denied${denied.reason ? `: ${denied.reason}` : ''}${denied.message ? ` (${denied.message})` : ''}` };
  const auth = conditions.find((c) => c.type === 'Authentication')?.status === 'Accepted';
  const res = conditions.find((c) => c.type === 'Resources')?.status === 'Accepted';
  if (auth && res) return { outcome: 'accepted', detail: 'Authentication and Resources accepted' };
  // No condition at all: the provider has not seen the slice. Its status comes back through Liqo's CRD replicator on
  // the consumer, which copies the slice to the provider; until it does, nothing is set.
  if (conditions.length === 0) return { outcome: 'pending', detail: `waiting for the provider: no status yet, so Liqo's CRD replicator has not copied the slice to it`, unreplicated: true };
  return { outcome: 'pending', detail: `waiting for the provider (Authentication ${auth ? 'accepted' : 'pending'}, Resources ${res ? 'accepted' : 'pending'})` };
}

/**
 * What to do about a slice still without status when its wait ended. Liqo v1.2's CRD replicator, asked to stop copying
 * to a provider right after an unpeer, retries with a growing delay (up to minutes) while objects of the peering are
 * left, and a peering made again meanwhile waits for it: restarting the replicator makes it start at once.
 */
export function unreplicatedSliceNextStep(consumerContext: string, liqoNamespace = 'liqo'): string {
  return `Liqo's CRD replicator on ${consumerContext} has not started copying to this provider (after an unpeer it retries with a growing delay, up to minutes). Restart it to resume now: kubectl --context ${consumerContext} -n ${liqoNamespace} rollout restart deployment liqo-crd-replicator; then run the plan again, or wait.`;
}
