// Liqo's own control plane of one cluster as local processes (the live scenario): liqo-controller-manager,
// crd-replicator and webhook, each with the flags that make it run outside a pod (see
// /work/shared/recipes/liqo-control-plane). They read their kubeconfig from KUBECONFIG (they reject --kubeconfig);
// the webhook gets a TMPDIR of its own, where its serving certificate waits for it. Liqo's namespace (`liqo`, or
// `liqo-system` as Helm users install it) reaches them as the chart hands it over: --liqo-namespace and POD_NAMESPACE.
import path from 'node:path';
import type { ClusterLayout } from '../cluster.ts';

export type LiqoComponent = 'liqo-controller-manager' | 'crd-replicator' | 'liqo-webhook';

/** The order Liqo's processes start in (the webhook first: its configurations are Fail-policy). */
export const LIQO_COMPONENTS: LiqoComponent[] = ['liqo-webhook', 'liqo-controller-manager', 'crd-replicator'];

export interface LiqoLayout {
  /** the Liqo release the binaries come from, e.g. v1.0.1 */
  version: string;
  /** the namespace Liqo is installed in (`liqo` unless the scenario says otherwise) */
  namespace: string;
  /** the cluster ID (the test bed uses the cluster's name) */
  clusterId: string;
  /** where the webhook listens (127.0.0.1 in its configurations) */
  webhookPort: number;
  /** what this cluster offers to its consumers: the default class of ResourceSlice accepts these */
  offeredResources: Record<string, string>;
  /** labels this cluster's virtual nodes carry on its consumers (ResourceSlice status.nodeLabels) */
  clusterLabels: Record<string, string>;
  podCidr: string;
}

/** Where `liqoctl install` puts Liqo, and the live scenario unless its name asks for another namespace. */
export const DEFAULT_LIVE_LIQO_NAMESPACE = 'liqo';

export function liqoFiles(c: Pick<ClusterLayout, 'dir'>) {
  const dir = path.join(c.dir, 'liqo');
  return {
    dir,
    webhookTmp: path.join(dir, 'webhook-tmp'),
    webhookCerts: path.join(dir, 'webhook-tmp', 'k8s-webhook-server', 'serving-certs'),
    chart: path.join(dir, 'static-objects.yaml'),
    helmHome: path.join(dir, 'helm-home'),
    vkDir: (vn: string) => path.join(dir, 'virtual-kubelets', vn),
  };
}

const list = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

export function liqoComponentArgv(c: ClusterLayout, l: LiqoLayout, component: LiqoComponent, binDir: string): string[] {
  const bin = (name: string) => path.join(binDir, name);
  switch (component) {
    case 'liqo-controller-manager':
      return [
        bin('liqo-controller-manager'),
        `--cluster-id=${l.clusterId}`,
        `--liqo-namespace=${l.namespace}`,
        '--networking-enabled=false',
        // without it the controller looks for control-plane nodes to advertise
        `--api-server-address-override=https://127.0.0.1:${c.ports.apiserver}`,
        `--default-node-resources=${list(l.offeredResources)}`,
        ...(Object.keys(l.clusterLabels).length > 0 ? [`--cluster-labels=${list(l.clusterLabels)}`] : []),
        // ports 0: the defaults (:8081, :8082) collide between clusters and with the webhook
        '--metrics-address=0',
        '--health-probe-address=0',
      ];
    case 'crd-replicator':
      return [bin('crd-replicator'), `--cluster-id=${l.clusterId}`, '--metrics-address=0'];
    case 'liqo-webhook':
      return [
        bin('webhook'),
        `--cluster-id=${l.clusterId}`,
        `--liqo-namespace=${l.namespace}`,
        `--webhook-port=${l.webhookPort}`,
        '--metrics-address=0',
        '--health-probe-address=0',
        `--podcidr=${l.podCidr}`,
        `--vk-options-default-template=${l.namespace}/virtual-kubelet-default`,
        '--liqo-runtime-class=liqo',
      ];
  }
}

export function liqoComponentEnv(c: ClusterLayout, l: LiqoLayout, component: LiqoComponent): Record<string, string> {
  // POD_NAMESPACE: what the chart's pods get from the downward API (the namespace they run in)
  const env = { KUBECONFIG: path.join(c.dir, 'admin.kubeconfig'), POD_NAMESPACE: l.namespace };
  // the webhook reads its serving certificate from $TMPDIR/k8s-webhook-server/serving-certs
  return component === 'liqo-webhook' ? { ...env, TMPDIR: liqoFiles(c).webhookTmp } : env;
}
