// Holds the forged scenarios honest: for each Liqo kind that both they and the live scenario have, the label keys,
// annotation keys and condition types of the forged objects against those Liqo's own controllers (and liqoctl)
// produce on `live`. Keys, not values: values name clusters and namespaces that differ between scenarios.
// What `live` cannot produce is left out, and said here: networking is disabled there, so the ForeignCluster's
// networking conditions (Network*) exist on the forged side only.

/** Each kind with its fully qualified resource (plain `resourceslices` is Kubernetes' own resource.k8s.io kind). */
export const FIDELITY_KINDS = {
  ForeignCluster: 'foreignclusters.core.liqo.io',
  VirtualNode: 'virtualnodes.offloading.liqo.io',
  NamespaceOffloading: 'namespaceoffloadings.offloading.liqo.io',
  ShadowPod: 'shadowpods.offloading.liqo.io',
  Tenant: 'tenants.authentication.liqo.io',
  ResourceSlice: 'resourceslices.authentication.liqo.io',
} as const;

export type FidelityKind = keyof typeof FIDELITY_KINDS;

type Cond = { type?: string };
export type LiqoObject = {
  kind?: string;
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  status?: { conditions?: Cond[]; modules?: Record<string, { conditions?: Cond[] }>; remoteNamespacesConditions?: Record<string, Cond[]> };
};

export interface Shape {
  labels: Set<string>;
  annotations: Set<string>;
  conditions: Set<string>;
}

/** Condition types wherever a kind keeps them: status.conditions, the ForeignCluster's modules, the per-cluster map. */
function conditionTypes(o: LiqoObject): string[] {
  const all: Cond[] = [...(o.status?.conditions ?? [])];
  for (const m of Object.values(o.status?.modules ?? {})) all.push(...(m.conditions ?? []));
  for (const list of Object.values(o.status?.remoteNamespacesConditions ?? {})) all.push(...list);
  return all.map((c) => c.type ?? '').filter(Boolean);
}

/** Annotations the API server or kubectl adds, not Liqo. */
const NOT_LIQO = /^kubectl\.kubernetes\.io\//;

export function shapeOf(objects: readonly LiqoObject[]): Shape {
  const shape: Shape = { labels: new Set(), annotations: new Set(), conditions: new Set() };
  for (const o of objects) {
    for (const k of Object.keys(o.metadata.labels ?? {})) shape.labels.add(k);
    for (const k of Object.keys(o.metadata.annotations ?? {})) if (!NOT_LIQO.test(k)) shape.annotations.add(k);
    for (const t of conditionTypes(o)) shape.conditions.add(t);
  }
  return shape;
}

/** What live cannot show with networking disabled (see the header). */
function liveCannotShow(kind: FidelityKind, what: keyof Shape, key: string): boolean {
  return kind === 'ForeignCluster' && what === 'conditions' && key.startsWith('Network');
}

/** The differences, one line each ("forged only" / "live only"); empty when the forged objects are faithful. */
export function compareShapes(kind: FidelityKind, forged: Shape, live: Shape): string[] {
  const out: string[] = [];
  for (const what of ['labels', 'annotations', 'conditions'] as const) {
    const forgedOnly = [...forged[what]].filter((k) => !live[what].has(k) && !liveCannotShow(kind, what, k)).sort();
    const liveOnly = [...live[what]].filter((k) => !forged[what].has(k)).sort();
    if (forgedOnly.length > 0) out.push(`${kind} ${what} only forged: ${forgedOnly.join(', ')}`);
    if (liveOnly.length > 0) out.push(`${kind} ${what} only live: ${liveOnly.join(', ')}`);
  }
  return out;
}
