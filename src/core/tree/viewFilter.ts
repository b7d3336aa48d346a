// The federation view's filter: by text, Liqo clusters only, hide unreachable. Decides which cluster rows the root
// shows and how the active filter is described (view description and message). Hidden contexts are left out before
// the filter applies; they are counted in the message so the user knows where they went.
import type { LiqoPresence } from '../liqo/snapshot.ts';
import type { ConnectionState } from './clusterNodes.ts';

export interface ViewFilter {
  /** Case-insensitive; matched against the context, cluster and user names, the server and the Liqo cluster ID. */
  readonly text: string;
  readonly liqoOnly: boolean;
  readonly hideUnreachable: boolean;
}

export const NO_FILTER: ViewFilter = { text: '', liqoOnly: false, hideUnreachable: false };

/** What the filter looks at for one cluster. */
export interface ClusterFacts {
  readonly contextName: string;
  readonly clusterName: string;
  readonly userName: string;
  readonly server: string;
  readonly state: ConnectionState['kind'];
  readonly liqo: LiqoPresence;
  readonly clusterId?: string;
  /** Remembered to have Liqo from an earlier session (shown as Liqo while unreachable or not yet connected). */
  readonly rememberedLiqo: boolean;
}

export function filterActive(f: ViewFilter): boolean {
  return f.text.trim() !== '' || f.liqoOnly || f.hideUnreachable;
}

export function isLiqoCluster(c: ClusterFacts): boolean {
  if (c.liqo === 'installed') return true;
  // Known not to have Liqo now: not a Liqo cluster whatever was remembered.
  if (c.liqo === 'not-installed') return false;
  return c.rememberedLiqo;
}

export function showCluster(c: ClusterFacts, f: ViewFilter): boolean {
  if (f.liqoOnly && !isLiqoCluster(c)) return false;
  if (f.hideUnreachable && c.state === 'failed') return false;
  const text = f.text.trim().toLowerCase();
  if (!text) return true;
  return [c.contextName, c.clusterName, c.userName, c.server, c.clusterId ?? ''].some((s) => s.toLowerCase().includes(text));
}

/** Short, for the view's description: `Liqo · reachable · "prod"`. Empty when no filter is active. */
export function describeFilter(f: ViewFilter): string {
  const parts: string[] = [];
  if (f.liqoOnly) parts.push('Liqo clusters');
  if (f.hideUnreachable) parts.push('reachable');
  if (f.text.trim()) parts.push(`"${f.text.trim()}"`);
  return parts.join(' · ');
}

/** The view's message above the rows, or undefined when every context is shown. */
export function viewMessage(f: ViewFilter, shown: number, total: number, hidden: number): string | undefined {
  const parts: string[] = [];
  if (filterActive(f)) parts.push(`Filter ${describeFilter(f)}: ${shown} of ${total - hidden} contexts shown.`);
  if (hidden > 0) parts.push(`${hidden} hidden context${hidden === 1 ? '' : 's'} (Show Hidden Contexts… brings them back).`);
  return parts.length ? parts.join(' ') : undefined;
}
