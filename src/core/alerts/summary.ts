// The federation at a glance, for the status bar and the view's badge: how many peerings the shown clusters have,
// what is failing right now (as observed, without the alerts' hold times: the glance shows the present), in the
// tree's words, and which failing row comes first.
import type { Observation } from './watched.ts';

export interface FederationGlance {
  readonly peerings: number;
  readonly failing: readonly Observation[];
  /** `Liqo: 3 peerings, 1 failing`. */
  readonly text: string;
  /** Markdown-free lines: one per failing object, or that all is well; then the clusters only partly watched. */
  readonly tooltip: string;
}

const ORDER: Readonly<Record<Observation['kind'], number>> = { cluster: 0, peering: 1, virtualNode: 2, resourceSlice: 3, offloading: 4 };

export function federationGlance(observations: readonly Observation[], collapsed: readonly string[] = []): FederationGlance {
  const peerings = observations.filter((o) => o.kind === 'peering').length;
  const failing = observations.filter((o) => o.failing).sort((a, b) => a.contextName.localeCompare(b.contextName) || ORDER[a.kind] - ORDER[b.kind] || a.what.localeCompare(b.what));
  const text = `Liqo: ${peerings} peering${peerings === 1 ? '' : 's'}${failing.length ? `, ${failing.length} failing` : ''}`;
  const lines = failing.length
    ? ['What is failing (click to show the first):', ...failing.map((o) => `• ${o.what}${o.kind === 'cluster' ? '' : ` on ${o.contextName}`}: ${o.why ?? 'failing'}`)]
    : [peerings ? 'Every peering, virtual node, ResourceSlice and offloaded namespace watched is healthy, and every cluster answers.' : 'No peering in the clusters shown.'];
  if (collapsed.length) {
    const names = [...collapsed].sort((a, b) => a.localeCompare(b));
    lines.push(`Not watched while collapsed: the virtual nodes, ResourceSlices and offloaded namespaces of ${names.join(', ')} (expand ${names.length === 1 ? 'its row' : 'their rows'} to include them).`);
  }
  return { peerings, failing, text, tooltip: lines.join('\n') };
}

/** What "Why?" opens: the object, what is wrong, what to check, then the row's own explanation (its tooltip). */
export function whyMarkdown(o: Observation, rowTooltip: string | undefined, escape: (text: string) => string): string {
  const lines = [`# ${escape(o.what)}${o.kind === 'cluster' ? '' : ` on ${escape(o.contextName)}`}`, ''];
  lines.push(o.failing ? `**What is wrong:** ${escape(o.why ?? 'failing')}.` : '**It is healthy now.**');
  if (o.failing && o.check) lines.push('', `**Check next:** ${escape(o.check)}`);
  if (rowTooltip) lines.push('', '---', '', rowTooltip);
  return lines.join('\n');
}
