// The cluster selector of a NamespaceOffloading: a NodeSelector over virtual-node labels. Terms are ORed,
// requirements inside a term ANDed. This module builds the choices from the labels the cluster's virtual nodes
// really carry, says which virtual nodes a selector matches (the preview), and writes each term as the `--selector`
// text liqoctl parses back to the very same requirements: keys sorted, values sorted, one requirement per key, and
// equality written as `in (v)` (liqoctl turns `k=v` into a map whose order Go randomises).

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface SelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** For In / NotIn; absent for Exists / DoesNotExist. */
  readonly values?: readonly string[];
}

/** Requirements that must all hold (one NodeSelectorTerm). */
export type SelectorTerm = readonly SelectorRequirement[];

export interface LabelledNode {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

// Labels every virtual node carries or that name one node: offering them as choices adds nothing.
const NOT_A_CHOICE = new Set(['liqo.io/type', 'kubernetes.io/role', 'kubernetes.io/hostname', 'type', 'beta.kubernetes.io/os', 'beta.kubernetes.io/arch']);

/** key → sorted distinct values, over the given virtual nodes' labels (selector choices). */
export function labelChoices(nodes: readonly LabelledNode[]): Map<string, string[]> {
  const byKey = new Map<string, Set<string>>();
  for (const n of nodes) {
    for (const [k, v] of Object.entries(n.labels)) {
      if (NOT_A_CHOICE.has(k)) continue;
      let set = byKey.get(k);
      if (!set) byKey.set(k, (set = new Set()));
      set.add(v);
    }
  }
  return new Map([...byKey.keys()].sort().map((k) => [k, [...(byKey.get(k) ?? [])].sort()]));
}

/** The canonical form: requirements sorted by key, values sorted and distinct; a key twice in a term is refused. */
export function canonicalTerm(term: SelectorTerm): SelectorTerm {
  const seen = new Set<string>();
  for (const r of term) {
    if (seen.has(r.key)) throw new Error(`The label "${r.key}" appears twice in one selector term: combine its values into one requirement.`);
    seen.add(r.key);
    if ((r.operator === 'In' || r.operator === 'NotIn') && (r.values ?? []).length === 0) {
      throw new Error(`The requirement on "${r.key}" (${r.operator}) needs at least one value.`);
    }
  }
  return [...term]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) =>
      r.operator === 'In' || r.operator === 'NotIn' ? { key: r.key, operator: r.operator, values: [...new Set(r.values)].sort() } : { key: r.key, operator: r.operator },
    );
}

/** One term as liqoctl's `--selector` text (a Kubernetes label selector string). */
export function selectorTermToText(term: SelectorTerm): string {
  return canonicalTerm(term)
    .map((r) => {
      switch (r.operator) {
        case 'In':
          return `${r.key} in (${(r.values ?? []).join(',')})`;
        case 'NotIn':
          return `${r.key} notin (${(r.values ?? []).join(',')})`;
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
      }
    })
    .join(',');
}

function requirementMatches(r: SelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.operator) {
    case 'In':
      return has && (r.values ?? []).includes(value ?? '');
    case 'NotIn':
      return !has || !(r.values ?? []).includes(value ?? '');
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

/**
 * The virtual nodes a selector matches, as Liqo reads a NodeSelector: no term at all matches every node; otherwise
 * a node matches when one term's requirements all hold (an empty term matches nothing, as in Kubernetes).
 */
export function matchingNodes<N extends LabelledNode>(terms: readonly SelectorTerm[], nodes: readonly N[]): N[] {
  if (terms.length === 0) return [...nodes];
  return nodes.filter((n) => terms.some((t) => t.length > 0 && t.every((r) => requirementMatches(r, n.labels))));
}

/** A term in words for a quick pick ("gdpr-approved in (true) and topology.region in (center)"). */
export function describeTerm(term: SelectorTerm): string {
  return selectorTermToText(term).replace(/,(?![^()]*\))/g, ' and ');
}
