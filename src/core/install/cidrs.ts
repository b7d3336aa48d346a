// The CIDRs liqoctl install needs. Pod CIDR: the nodes' spec.podCIDRs, summarised to the smallest prefix that
// covers them all; where no node has one (CNI-managed IPAM), a guess from running pods' IPs, widened to at least a
// /16 and marked as a guess. Service CIDR: the API server's own words when it refuses a dry-run Service whose
// clusterIP lies outside the range ("The range of valid IPs is 10.96.0.0/12").

export interface CidrFinding {
  readonly cidr: string;
  /** Where it came from, for the dialog ("nodes' podCIDRs", "pod IPs (a guess)"…). */
  readonly source: string;
  /** True when the value is inferred rather than read: the user should confirm it. */
  readonly guessed: boolean;
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

function parseCidr(cidr: string): { base: number; bits: number } | undefined {
  const [ip, len] = cidr.split('/');
  const base = ipv4ToInt(ip ?? '');
  const bits = Number(len);
  if (base === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return undefined;
  return { base, bits };
}

const maskOf = (bits: number): number => (bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);

/** The smallest IPv4 CIDR covering every given CIDR (IPv6 ones are ignored); undefined when none is IPv4. */
export function coveringCidr(cidrs: readonly string[], maxBits = 32): string | undefined {
  const parsed = cidrs.map(parseCidr).filter((c): c is { base: number; bits: number } => c !== undefined);
  const first = parsed[0];
  if (!first) return undefined;
  let bits = Math.min(maxBits, ...parsed.map((c) => c.bits));
  while (bits > 0) {
    const m = maskOf(bits);
    if (parsed.every((c) => ((c.base & m) >>> 0) === ((first.base & m) >>> 0))) break;
    bits--;
  }
  return `${intToIpv4((first.base & maskOf(bits)) >>> 0)}/${bits}`;
}

/** The pod CIDR from nodes' podCIDRs, else guessed from pod IPs; undefined when neither says anything. */
export function detectPodCidr(nodePodCidrs: readonly string[], podIPs: readonly string[]): CidrFinding | undefined {
  const fromNodes = coveringCidr(nodePodCidrs);
  if (fromNodes) return { cidr: fromNodes, source: "the nodes' podCIDRs", guessed: false };
  const fromPods = coveringCidr(podIPs.map((ip) => `${ip}/32`), 16);
  if (fromPods) return { cidr: fromPods, source: `the IPs of ${podIPs.length} running pod(s) (a guess: check it)`, guessed: true };
  return undefined;
}

/** The out-of-range address the probe Service asks for: outside every private and service range in use. */
export const OUT_OF_RANGE_CLUSTER_IP = '1.1.1.1';

/** The service CIDR named in the API server's refusal of the probe Service, if it names one. */
export function serviceCidrFromRefusal(message: string): string | undefined {
  const m = /range of valid IPs is ([0-9a-fA-F.:/]+(?:\s*,\s*[0-9a-fA-F.:/]+)*)/.exec(message);
  if (!m?.[1]) return undefined;
  // Dual-stack servers list both families; liqoctl takes the IPv4 one.
  const ranges = m[1].split(',').map((s) => s.trim());
  return ranges.find((r) => parseCidr(r) !== undefined) ?? ranges[0];
}

/** The dry-run Service whose refusal names the service CIDR. */
export function serviceCidrProbe(namespace: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'liqo-vscode-service-cidr-probe', namespace },
    spec: { type: 'ClusterIP', clusterIP: OUT_OF_RANGE_CLUSTER_IP, ports: [{ port: 80, protocol: 'TCP' }] },
  };
}
