// `liqoctl info -o json`: the cluster's Liqo identity (cluster ID, version, labels, API server address), health and
// peerings, read defensively (sections liqoctl could not fill are absent from its JSON).
import { requireSuccess, targetArgs, type LiqoctlCommand, type LiqoctlTarget } from './command.ts';

export type ModuleStatus = 'Healthy' | 'Unhealthy' | 'Disabled' | string;

export interface LiqoInfo {
  readonly clusterId: string;
  readonly version: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly apiServerAddress?: string;
  readonly healthy?: boolean;
  readonly unhealthyPods: readonly string[];
  readonly podCidr?: string;
  readonly serviceCidr?: string;
  readonly peers: ReadonlyArray<{ clusterId: string; role: string; networking: ModuleStatus; authentication: ModuleStatus; offloading: ModuleStatus }>;
}

export function infoCommand(target: LiqoctlTarget): LiqoctlCommand<LiqoInfo> {
  return {
    args: ['info', ...targetArgs(target), '--output=json'],
    title: `info ${target.context ?? ''}`.trim(),
    parse: (out) => {
      requireSuccess(out);
      return parseInfo(out.stdout);
    },
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export function parseInfo(stdout: string): LiqoInfo {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new Error(`liqoctl info did not print JSON: ${JSON.stringify(stdout.slice(0, 200))}`);
  }
  const root = obj(json);
  const local = obj(root.local);
  const clusterId = str(local.clusterID);
  if (!clusterId) throw new Error('liqoctl info printed no local cluster ID: is Liqo installed in the namespace given?');
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(local.labels))) if (typeof v === 'string') labels[k] = v;
  const health = obj(root.health);
  const network = obj(root.network);
  const peers = Array.isArray(obj(root.peerings).peers) ? (obj(root.peerings).peers as unknown[]) : [];
  const apiServerAddress = str(local.APIServerAddr);
  const podCidr = str(network.podCIDR);
  const serviceCidr = str(network.serviceCIDR);
  return {
    clusterId,
    version: str(local.version) ?? '',
    labels,
    ...(apiServerAddress ? { apiServerAddress } : {}),
    ...(typeof health.healthy === 'boolean' ? { healthy: health.healthy } : {}),
    unhealthyPods: Object.keys(obj(health.unhealthyPods)),
    ...(podCidr ? { podCidr } : {}),
    ...(serviceCidr ? { serviceCidr } : {}),
    peers: peers.map((p) => {
      const o = obj(p);
      return {
        clusterId: str(o.clusterID) ?? '',
        role: str(o.role) ?? 'Unknown',
        networking: str(o.networkingStatus) ?? 'Unknown',
        authentication: str(o.authenticationStatus) ?? 'Unknown',
        offloading: str(o.offloadingStatus) ?? 'Unknown',
      };
    }),
  };
}
