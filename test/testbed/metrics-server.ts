// metrics-server on the test bed (scenarios with metrics): kwok serves each fake node's kubelet resource metrics
// from Metric / ClusterResourceUsage objects, metrics-server (a real process, built from its Go module) scrapes them
// on 127.0.0.1 and the kube-apiserver's aggregator serves them as metrics.k8s.io, so `kubectl top` works.
//
// How the aggregator reaches a server outside the cluster: an ExternalName Service (`localhost`) — the aggregator
// resolves it to https://localhost:<port> itself, where endpoint addresses may not be loopback ones — and an
// APIService whose caBundle is the cluster CA (metrics-server's certificate names metrics-server.kube-system.svc).
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { clusterFiles, type ClusterLayout } from './cluster.ts';
import { KWOK_NODE_ANNOTATION } from './kwok-config.ts';
import type { KubeObject, KubeRest } from './kube-rest.ts';

/** The node annotation metrics-server (≥ 0.7) reads for a kubelet that serves several nodes on one port (kwok). */
export const RESOURCE_METRICS_PATH = 'metrics.k8s.io/resource-metrics-path';
/** kwok's usage-from-annotation convention: a pod's usage, read by the ClusterResourceUsage below. */
export const USAGE_CPU = 'kwok.x-k8s.io/usage-cpu';
export const USAGE_MEMORY = 'kwok.x-k8s.io/usage-memory';

/** A pod's simulated usage (as quantities), by pod name; pods not listed use 1m / 1Mi. */
export type PodUsage = Record<string, { cpu: string; memory: string }>;

const containerLabels = [
  { name: 'container', value: 'container.name' },
  { name: 'namespace', value: 'pod.metadata.namespace' },
  { name: 'pod', value: 'pod.metadata.name' },
];
const podLabels = containerLabels.slice(1);

/** kwok's kustomize/metrics/resource sample (sigs.k8s.io/kwok@v0.8.0): the kubelet's /metrics/resource families. */
function kubeletResourceMetric(): KubeObject {
  const m = (name: string, dimension: string, kind: string, value: string, labels?: { name: string; value: string }[]) => ({
    name,
    dimension,
    kind,
    help: name,
    ...(labels ? { labels } : {}),
    value,
  });
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Metric',
    metadata: { name: 'metrics-resource' },
    spec: {
      path: '/metrics/nodes/{nodeName}/metrics/resource',
      metrics: [
        m('scrape_error', 'node', 'gauge', '0'),
        m('container_start_time_seconds', 'container', 'gauge', 'pod.SinceSecond()', containerLabels),
        m('container_cpu_usage_seconds_total', 'container', 'counter', 'pod.CumulativeUsage("cpu", container.name)', containerLabels),
        m('container_memory_working_set_bytes', 'container', 'gauge', 'pod.Usage("memory", container.name)', containerLabels),
        m('pod_cpu_usage_seconds_total', 'pod', 'counter', 'pod.CumulativeUsage("cpu")', podLabels),
        m('pod_memory_working_set_bytes', 'pod', 'gauge', 'pod.Usage("memory")', podLabels),
        m('node_cpu_usage_seconds_total', 'node', 'counter', 'node.CumulativeUsage("cpu")'),
        m('node_memory_working_set_bytes', 'node', 'gauge', 'node.Usage("memory")'),
      ],
    },
  };
}

/** kwok's kustomize/metrics/usage sample: each container uses what its pod's annotations say (else 1m / 1Mi). */
function usageFromAnnotation(): KubeObject {
  const expr = (annotation: string, fallback: string) =>
    `"${annotation}" in pod.metadata.annotations ? Quantity(pod.metadata.annotations["${annotation}"]) : Quantity("${fallback}")`;
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterResourceUsage',
    metadata: { name: 'usage-from-annotation' },
    spec: { usages: [{ usage: { cpu: { expression: expr(USAGE_CPU, '1m') }, memory: { expression: expr(USAGE_MEMORY, '1Mi') } } }] },
  };
}

function registration(c: ClusterLayout): KubeObject[] {
  const port = c.ports.metricsServer;
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'metrics-server', namespace: 'kube-system', labels: { 'k8s-app': 'metrics-server' } },
      spec: { type: 'ExternalName', externalName: 'localhost', ports: [{ name: 'https', port, protocol: 'TCP' }] },
    },
    {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.metrics.k8s.io', labels: { 'k8s-app': 'metrics-server' } },
      spec: {
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        service: { name: 'metrics-server', namespace: 'kube-system', port },
        caBundle: fs.readFileSync(clusterFiles(c.dir).pki.caCert).toString('base64'),
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
    },
  ];
}

const mergePatch = (client: KubeRest, path: string, annotations: Record<string, string>) =>
  client.request('PATCH', path, { metadata: { annotations } }, 'application/merge-patch+json');

/**
 * Writes what kwok and the aggregator need (after the scenario's objects), then waits until metrics.k8s.io reports
 * every kwok node and every running pod given a usage (metrics-server needs two scrapes for a CPU rate).
 */
export async function enableMetrics(c: ClusterLayout, client: KubeRest, usage: PodUsage, timeoutMs = 150_000): Promise<void> {
  await Promise.all([kubeletResourceMetric(), usageFromAnnotation(), ...registration(c)].map((o) => client.apply(o)));
  const nodes = (await client.list('v1', 'Node')).filter((n) => (n.metadata.annotations as Record<string, string> | undefined)?.[KWOK_NODE_ANNOTATION] === 'fake');
  await Promise.all(
    nodes.map((n) => mergePatch(client, client.pathOf('v1', 'Node', undefined, n.metadata.name), { [RESOURCE_METRICS_PATH]: `/metrics/nodes/${n.metadata.name}/metrics/resource` })),
  );
  const pods = (await client.list('v1', 'Pod')).filter((p) => usage[p.metadata.name]);
  await Promise.all(
    pods.map((p) => {
      const u = usage[p.metadata.name] as { cpu: string; memory: string };
      return mergePatch(client, client.pathOf('v1', 'Pod', p.metadata.namespace, p.metadata.name), { [USAGE_CPU]: u.cpu, [USAGE_MEMORY]: u.memory });
    }),
  );
  // A node with no pod reports no CPU use, which metrics-server drops as incomplete (`kubectl top node` shows it as
  // <unknown>): only nodes that run a pod are waited for.
  const running = (await client.list('v1', 'Pod')).filter((p) => (p as { status?: { phase?: string } }).status?.phase === 'Running');
  const busy = new Set(running.map((p) => (p as { spec?: { nodeName?: string } }).spec?.nodeName));
  const wantNodes = nodes.map((n) => n.metadata.name).filter((n) => busy.has(n));
  const wantPods = pods.filter((p) => (p as { status?: { phase?: string } }).status?.phase === 'Running').map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
  const deadline = Date.now() + timeoutMs;
  let missing: string[] = [];
  for (;;) {
    try {
      const nm = (await client.request('GET', '/apis/metrics.k8s.io/v1beta1/nodes')) as { items: KubeObject[] };
      const pm = (await client.request('GET', '/apis/metrics.k8s.io/v1beta1/pods')) as { items: KubeObject[] };
      const have = new Set([...nm.items.map((i) => i.metadata.name), ...pm.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`)]);
      missing = [...wantNodes, ...wantPods].filter((k) => !have.has(k));
      if (missing.length === 0) return;
    } catch (err) {
      missing = [`metrics.k8s.io not served yet (${(err as Error).message})`];
    }
    if (Date.now() > deadline) throw new Error(`${c.name}: metrics-server reports no usage after ${timeoutMs / 1000} s for ${missing.join(', ')}`);
    await sleep(1000);
  }
}
