// Two contexts that reach one cluster: the same Liqo cluster ID (when both are known), or the same API server URL
// with the same certificate authority. Each context learns the others that share its cluster and why, so both rows
// can say so. Pure: the CA is compared as written in the kubeconfig (inline data, or the file it names), never read.
import type { ResolvedContext } from './resolved.ts';

export interface ContextIdentity {
  readonly entryId: string;
  readonly contextName: string;
  readonly server: string;
  /** caIdentityOf(resolved); undefined when the context trusts the system's CAs (or is unresolved). */
  readonly ca?: string | undefined;
  /** The Liqo cluster ID read from the cluster, once connected. */
  readonly clusterId?: string | undefined;
}

export interface SameClusterLink {
  readonly entryId: string;
  readonly contextName: string;
  readonly why: 'cluster-id' | 'server-and-ca';
}

/** The CA a context trusts, as a comparable string: its inline data (blanks dropped), else the absolute file it names. */
export function caIdentityOf(resolved: ResolvedContext | undefined): string | undefined {
  if (!resolved) return undefined;
  const data = resolved.cluster.fields['certificate-authority-data'];
  if (typeof data === 'string' && data.trim() !== '') return `data:${data.replace(/\s+/g, '')}`;
  const file = resolved.cluster.fields['certificate-authority'];
  if (typeof file === 'string' && file.trim() !== '') {
    const f = file.trim();
    return `file:${f.startsWith('/') ? f : `${resolved.cluster.baseDir.replace(/\/+$/, '')}/${f}`}`;
  }
  return undefined;
}

/** A server URL as compared: scheme and host lower-cased, the default port made explicit, no trailing slash. */
export function serverKey(server: string): string | undefined {
  const s = server.trim();
  if (s === '') return undefined;
  try {
    const u = new URL(s);
    const port = u.port || (u.protocol === 'http:' ? '80' : '443');
    return `${u.protocol}//${u.hostname.toLowerCase()}:${port}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return s.replace(/\/+$/, '').toLowerCase();
  }
}

/** For each context that shares its cluster with others: those others, with the reason. Contexts alone are absent. */
export function sameClusterLinks(contexts: readonly ContextIdentity[]): Map<string, SameClusterLink[]> {
  const byId = new Map<string, ContextIdentity[]>();
  const byServer = new Map<string, ContextIdentity[]>();
  for (const c of contexts) {
    if (c.clusterId) push(byId, c.clusterId, c);
    const key = serverKey(c.server);
    if (key !== undefined) push(byServer, `${key}\n${c.ca ?? ''}`, c);
  }
  const out = new Map<string, SameClusterLink[]>();
  // Linear in the links made (a set per context, not a search of its list): 500 contexts to one server stay fast.
  const seen = new Map<string, Set<string>>();
  const add = (group: readonly ContextIdentity[], why: SameClusterLink['why']) => {
    if (group.length < 2) return;
    for (const c of group) {
      const links = out.get(c.entryId) ?? [];
      const known = seen.get(c.entryId) ?? new Set<string>();
      for (const o of group) {
        if (o.entryId === c.entryId || known.has(o.entryId)) continue;
        known.add(o.entryId);
        links.push({ entryId: o.entryId, contextName: o.contextName, why });
      }
      out.set(c.entryId, links);
      seen.set(c.entryId, known);
    }
  };
  for (const g of byId.values()) add(g, 'cluster-id');
  for (const g of byServer.values()) add(g, 'server-and-ca');
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The words on a row: "same cluster as b" / "same cluster as b +2". */
export function sameClusterText(links: readonly SameClusterLink[]): string | undefined {
  if (links.length === 0) return undefined;
  return `same cluster as ${links[0]!.contextName}${links.length > 1 ? ` +${links.length - 1}` : ''}`;
}
