// The pre-flight checks of Peer Clusters…, as pure judgements over facts infra gathered: both API servers answer,
// Liqo runs on both with versions that fit liqoctl's, the cluster IDs differ, and the consumer cluster can plausibly
// reach the provider's API server at the address liqoctl will hand it. A loopback address is fine only when both
// API servers are on this one host (the test bed); a private address across networks gets a warning that offers
// the kubeconfig rewrite. Errors stop the peering; warnings ask.
import { checkVersions } from '../liqoctl/version.ts';

export interface PeerSideFacts {
  readonly contextName: string;
  /** The API server URL from the kubeconfig. */
  readonly server: string;
  /** Why it did not answer, when it did not. */
  readonly unreachable?: string;
  /** The Liqo version (controller-manager image tag); undefined when Liqo is not installed. */
  readonly liqoVersion?: string;
  readonly clusterId?: string;
  readonly liqoNamespace: string;
  /** Why liqoctl would not find the cluster ID (the cluster-ID ConfigMap's missing label), as the tree says it. */
  readonly clusterIdProblem?: string;
}

export interface PreflightFinding {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** A warning about the provider's address offers the kubeconfig rewrite. */
  readonly offersRewrite?: boolean;
}

export type AddressKind = 'loopback' | 'private' | 'public' | 'name';

/** What kind of address a host is (IPv4/IPv6 literal or a name). */
export function addressKind(host: string): AddressKind {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\./.test(h) || h === '0.0.0.0') return 'loopback';
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(h);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254)) return 'private';
    return 'public';
  }
  if (h.includes(':')) return /^f[cd]/.test(h) || /^fe80:/.test(h) ? 'private' : 'public';
  return 'name';
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/** The private network a private IPv4 address is in (10/8, 172.16/12, 192.168/16, CGNAT), to tell networks apart. */
function privateNetwork(host: string): string {
  if (/^10\./.test(host)) return '10.0.0.0/8';
  if (/^172\./.test(host)) return '172.16.0.0/12';
  if (/^192\.168\./.test(host)) return '192.168.0.0/16';
  if (/^100\./.test(host)) return '100.64.0.0/10';
  return host;
}

export function providerAddressFinding(consumerServer: string, providerServer: string): PreflightFinding | undefined {
  const c = hostOf(consumerServer);
  const p = hostOf(providerServer);
  if (!c || !p) return { severity: 'error', message: `The API server URL "${!p ? providerServer : consumerServer}" is not a URL. Fix the kubeconfig's server field.` };
  const ck = addressKind(c);
  const pk = addressKind(p);
  if (pk === 'loopback') {
    if (ck === 'loopback') return undefined; // both API servers on this host: each reaches the other
    return {
      severity: 'warning',
      offersRewrite: true,
      message: `The provider's API server is ${p} (loopback) while the consumer's is ${c}: the consumer cluster would be told to reach "${providerServer}", which is itself. Rewrite the provider's kubeconfig to an address the consumer can reach (e.g. the node's IP or DNS name).`,
    };
  }
  if (pk === 'private' && (ck === 'public' || ck === 'name' || (ck === 'private' && privateNetwork(c) !== privateNetwork(p)))) {
    return {
      severity: 'warning',
      offersRewrite: true,
      message: `The provider's API server is at a private address (${p}) and the consumer's at ${c}: they may be on different networks, and the consumer cluster may not reach the provider. Rewrite the provider's kubeconfig to a reachable address if so.`,
    };
  }
  return undefined;
}

export function preflight(consumer: PeerSideFacts, provider: PeerSideFacts, liqoctlVersion: string | undefined): PreflightFinding[] {
  const out: PreflightFinding[] = [];
  for (const [role, s] of [['consumer', consumer], ['provider', provider]] as const) {
    if (s.unreachable) out.push({ severity: 'error', message: `The ${role} ${s.contextName} (${s.server}) does not answer: ${s.unreachable}` });
    else if (!s.liqoVersion) out.push({ severity: 'error', message: `Liqo is not installed on the ${role} ${s.contextName} (no controller-manager in namespace ${s.liqoNamespace}). Install Liqo there first (Liqo: Install Liqo…).` });
    else if (!s.clusterId) out.push({ severity: 'error', message: `The ${role} ${s.contextName} has no Liqo cluster ID (ConfigMap liqo-clusterid-configmap in ${s.liqoNamespace}).` });
    else if (s.clusterIdProblem) out.push({ severity: 'error', message: `On the ${role} ${s.contextName}: ${s.clusterIdProblem}.` });
  }
  if (consumer.contextName === provider.contextName && consumer.server === provider.server) {
    out.push({ severity: 'error', message: `Consumer and provider are the same context (${consumer.contextName}). Pick two different clusters.` });
  } else if (consumer.clusterId && consumer.clusterId === provider.clusterId) {
    out.push({ severity: 'error', message: `Both clusters have the cluster ID "${consumer.clusterId}". Liqo needs distinct IDs: reinstall one with another --cluster-id.` });
  }
  if (liqoctlVersion) {
    for (const s of [consumer, provider]) {
      if (!s.liqoVersion) continue;
      const v = checkVersions(liqoctlVersion, s.liqoVersion, s.contextName);
      if (v.fit !== 'same') out.push({ severity: v.fit === 'major' || v.fit === 'minor' ? 'error' : 'warning', message: v.message });
    }
  }
  if (consumer.liqoVersion && provider.liqoVersion && consumer.liqoVersion !== provider.liqoVersion) {
    out.push({ severity: 'warning', message: `${consumer.contextName} runs Liqo ${consumer.liqoVersion} and ${provider.contextName} runs ${provider.liqoVersion}: peer clusters on the same Liqo version.` });
  }
  const address = providerAddressFinding(consumer.server, provider.server);
  if (address) out.push(address);
  return out;
}
