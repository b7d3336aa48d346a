// What an Unpeer takes away besides the peering itself, said in its confirmation: the consumer's offloaded
// namespaces that reach the provider (their remote namespaces and the pods there go with the virtual node), and
// the ones that would be left with no virtual node at all.
import type { NamespaceOffloading, VirtualNode } from '../liqo/objects.ts';

export interface UnpeerImpact {
  /** Offloaded namespaces with a remote namespace on the provider (status.remoteNamespacesConditions names it). */
  readonly reaching: readonly string[];
  /** Offloaded namespaces that no other provider's virtual node serves once this peering is gone. */
  readonly stranded: readonly string[];
}

export function unpeerImpact(offloadings: readonly NamespaceOffloading[], virtualNodes: readonly VirtualNode[], providerClusterId: string): UnpeerImpact {
  const others = virtualNodes.some((v) => v.spec?.clusterID && v.spec.clusterID !== providerClusterId);
  const namespaces = offloadings.map((o) => ({ ns: o.metadata.namespace ?? '', reaches: Object.keys(o.status?.remoteNamespacesConditions ?? {}).includes(providerClusterId) }));
  return {
    reaching: namespaces.filter((n) => n.reaches).map((n) => n.ns).sort(),
    stranded: others ? [] : namespaces.map((n) => n.ns).sort(),
  };
}

/** The sentence the Unpeer confirmation adds, or undefined when no offloaded namespace is touched. */
export function unpeerImpactText(impact: UnpeerImpact, consumer: string, provider: string): string | undefined {
  const parts: string[] = [];
  if (impact.reaching.length) parts.push(`Offloaded to ${provider} now: ${impact.reaching.join(', ')} — their remote namespaces there and the pods running on ${provider} are removed.`);
  if (impact.stranded.length) parts.push(`Afterwards ${consumer} has no virtual node: ${impact.stranded.join(', ')} stay${impact.stranded.length === 1 ? 's' : ''} offloaded with nowhere to run remote pods (phase NoClusterSelected) until you peer again or Unoffload ${impact.stranded.length === 1 ? 'it' : 'them'}.`);
  return parts.length ? parts.join('\n\n') : undefined;
}
