// live: three clusters running Liqo's own control plane (see ../live/), with no Liqo object forged. The consumer
// `kind-mlops-platform`, the provider `cluster-b` (a GPU worker; it offers seed 000's resources, GPUs included, and
// labels its virtual nodes as seed 000's are) and a second provider `cluster-c`, so one consumer can peer with two.
// Peering and offloading are left to the test or the user, except with --peered: then the real `liqoctl peer
// --networking-disabled` and `liqoctl offload namespace kubeflow --pod-offloading-strategy Remote` run, and seed
// 000's workload is created in kubeflow, reaching seed 000's shape. With --federated (`+federated`), all of --peered
// and a second peering with cluster-c, and a second offloaded namespace `analytics` (LocalAndRemote): the federation
// of issue 20's one-run restore (one namespace to unoffload, another to change, a slice to delete, a peering to cut).
//
// Scenario names: live[@<version>][@<liqo namespace>][+peered|+federated], e.g. live, live+peered, live@v1.2.0,
// live@liqo-system, live@v1.2.0@liqo-system+peered (the CLI's --liqo, --liqo-namespace, --peered and --federated
// compose them).
// With a namespace, Liqo's whole control plane and its objects live there on every cluster instead of `liqo`, as
// when Helm users install it into `liqo-system` (seed 001).
// kwok on each provider serves every pod's log from one file per cluster, which the log writer keeps appending
// to, so `kubectl logs` of an offloaded pod through the consumer returns the provider's lines.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { statePaths } from '../paths.ts';
import type { KubeObject } from '../kube-rest.ts';
import { offload, peer } from '../live/liqoctl.ts';
import { DEFAULT_LIVE_LIQO_NAMESPACE } from '../live/liqo-components.ts';
import * as f from './forge.ts';
import type { ClusterPlan, LiveEnv, LogFile, ScenarioPlan } from './types.ts';

export const LIVE_CONSUMER = 'kind-mlops-platform';
export const LIVE_PROVIDER = 'cluster-b';
export const LIVE_PROVIDER_2 = 'cluster-c';
export const DEFAULT_LIQO_VERSION = 'v1.0.1';
export const LIQO_VERSIONS = ['v1.0.1', 'v1.2.0'];
const OFFLOADED_NS = 'kubeflow';
/** +federated: the second offloaded namespace, and its strategy. */
export const LIVE_SECOND_OFFLOADED_NS = 'analytics';
const SECOND_NS_STRATEGY = 'LocalAndRemote';

export interface LiveOptions {
  peered: boolean;
  /** +federated: peered, plus a second peering (cluster-c) and a second offloaded namespace (set only when true) */
  federated?: true;
  liqoVersion: string;
  /** where Liqo is installed on every cluster (default `liqo`) */
  liqoNamespace?: string;
}

/** `live[@<version>][@<namespace>][+peered|+federated]` → its options, or undefined for another scenario. */
export function parseLiveName(name: string): LiveOptions | undefined {
  // a version has dots, a namespace (a DNS label) has none: the two never read as each other
  const m = /^live(?:@(v\d+\.\d+\.\d+))?(?:@([a-z0-9](?:[-a-z0-9]*[a-z0-9])?))?(\+peered|\+federated)?$/.exec(name);
  if (!m) return undefined;
  const liqoVersion = m[1] ?? DEFAULT_LIQO_VERSION;
  if (!LIQO_VERSIONS.includes(liqoVersion)) throw new Error(`Liqo ${liqoVersion} is not built by the test bed: use one of ${LIQO_VERSIONS.join(', ')}`);
  const liqoNamespace = m[2] ?? DEFAULT_LIVE_LIQO_NAMESPACE;
  return { peered: m[3] !== undefined, ...(m[3] === '+federated' ? { federated: true as const } : {}), liqoVersion, ...(liqoNamespace === DEFAULT_LIVE_LIQO_NAMESPACE ? {} : { liqoNamespace }) };
}

export function liveName(o: LiveOptions): string {
  const version = o.liqoVersion === DEFAULT_LIQO_VERSION ? '' : `@${o.liqoVersion}`;
  const namespace = o.liqoNamespace === undefined || o.liqoNamespace === DEFAULT_LIVE_LIQO_NAMESPACE ? '' : `@${o.liqoNamespace}`;
  return `live${version}${namespace}${o.federated ? '+federated' : o.peered ? '+peered' : ''}`;
}

const podLogs = (cluster: string) => path.join(statePaths.cluster(cluster), 'pod-logs', 'all-pods.log');

/** What each provider's pods print (the log writer appends the live lines every second). */
export const providerLogLine = (cluster: string, n: number) => `${cluster}: step ${n} served by ${cluster}'s kwok`;

// seed 000's virtual node: what cluster-b offers and how its virtual node is labelled
const B_OFFERS = { cpu: '16', memory: '64Gi', pods: '110', 'nvidia.com/gpu': '4', 'ephemeral-storage': '500Gi' };
const B_LABELS = { 'topology.region': 'center', 'gdpr-approved': 'true', 'liqo.io/provider': 'kubeadm' };
const C_OFFERS = { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '200Gi' };
const C_LABELS = { 'topology.region': 'south', 'gdpr-approved': 'false' };

/** seed 000's pods in kubeflow (--peered): what a restore test recreates after Liqo aborted them at an unoffload */
export const LIVE_WORKLOAD = [
  { name: 'training-worker-0', image: 'docker.io/kubeflow/pytorch-bert:2.3.1', container: 'pytorch', app: 'bert-finetune', gpu: true },
  { name: 'training-worker-1', image: 'docker.io/kubeflow/pytorch-bert:2.3.1', container: 'pytorch', app: 'bert-finetune', gpu: true },
  { name: 'inference-server', image: 'docker.io/kserve/huggingfaceserver:v0.14.0', container: 'kserve-container', app: 'sentiment-inference', gpu: false },
];

/** A plain pod (the webhook adds the virtual node's toleration and affinity in an offloaded namespace). */
export function workloadPod(namespace: string, name: string, image: string, container: string, labels: Record<string, string>, gpu: boolean): KubeObject {
  const requests: Record<string, string> = gpu ? { cpu: '2', memory: '8Gi', 'nvidia.com/gpu': '1' } : { cpu: '500m', memory: '1Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: container, image, resources: { requests, limits: gpu ? { 'nvidia.com/gpu': '1' } : {} } }] },
  };
}

async function waitPodsRunning(env: LiveEnv, cluster: string, namespace: string, names: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pods = (await env.client(cluster).list('v1', 'Pod', namespace)) as (KubeObject & { status?: { phase?: string } })[];
    const notRunning = names.filter((n) => pods.find((p) => p.metadata.name === n)?.status?.phase !== 'Running');
    if (notRunning.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${cluster}: pods ${notRunning.join(', ')} in ${namespace} not Running after ${timeoutMs / 1000} s`);
    await sleep(500);
  }
}

/** --peered: the real peering and offloading, then seed 000's workload in kubeflow. */
async function reachSeedShape(env: LiveEnv): Promise<void> {
  const t = { binDir: env.binDir, kubeconfig: env.kubeconfig, liqoNamespace: env.liqoNamespace };
  env.log(`liqoctl peer ${LIVE_CONSUMER} → ${LIVE_PROVIDER} (--networking-disabled)`);
  await peer(t, LIVE_CONSUMER, LIVE_PROVIDER);
  const client = env.client(LIVE_CONSUMER);
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: OFFLOADED_NS } });
  env.log(`liqoctl offload namespace ${OFFLOADED_NS} --pod-offloading-strategy Remote`);
  await offload(t, LIVE_CONSUMER, OFFLOADED_NS);
  for (const w of LIVE_WORKLOAD) await client.apply(workloadPod(OFFLOADED_NS, w.name, w.image, w.container, { app: w.app }, w.gpu));
  await waitPodsRunning(env, LIVE_CONSUMER, OFFLOADED_NS, LIVE_WORKLOAD.map((w) => w.name), 120_000);
}

/** --federated: seed 000's shape, then a second peering (cluster-c) and a second offloaded namespace. */
async function reachFederatedShape(env: LiveEnv): Promise<void> {
  await reachSeedShape(env);
  const t = { binDir: env.binDir, kubeconfig: env.kubeconfig, liqoNamespace: env.liqoNamespace };
  env.log(`liqoctl peer ${LIVE_CONSUMER} → ${LIVE_PROVIDER_2} (--networking-disabled)`);
  await peer(t, LIVE_CONSUMER, LIVE_PROVIDER_2);
  await env.client(LIVE_CONSUMER).apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: LIVE_SECOND_OFFLOADED_NS } });
  env.log(`liqoctl offload namespace ${LIVE_SECOND_OFFLOADED_NS} --pod-offloading-strategy ${SECOND_NS_STRATEGY}`);
  await offload(t, LIVE_CONSUMER, LIVE_SECOND_OFFLOADED_NS, SECOND_NS_STRATEGY);
}

export function planLive(o: LiveOptions): ScenarioPlan {
  const names = [LIVE_CONSUMER, LIVE_PROVIDER, LIVE_PROVIDER_2];
  const clusters: ClusterPlan[] = names.map((name, i) => ({
    name,
    controllers: true,
    podCidr: `10.${244 + i}.0.0/16`,
    logs: [],
    catchAllLogs: [{ name: 'all-pods', file: podLogs(name) }],
  }));
  const logFiles: LogFile[] = names.map((c) => ({
    file: podLogs(c),
    history: [1, 2, 3].map((n) => providerLogLine(c, n)),
    live: [4, 5, 6, 7].map((n) => providerLogLine(c, n)),
  }));
  const nodes: Record<string, KubeObject[]> = {
    [LIVE_CONSUMER]: [f.controlPlaneNode(`${LIVE_CONSUMER}-control-plane`), f.workerNode(`${LIVE_CONSUMER}-worker`, { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '200Gi' })],
    [LIVE_PROVIDER]: [
      f.controlPlaneNode(`${LIVE_PROVIDER}-control-plane`),
      f.workerNode(`${LIVE_PROVIDER}-worker`, { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '200Gi' }),
      f.workerNode(`${LIVE_PROVIDER}-gpu-worker`, { cpu: '16', memory: '64Gi', pods: '110', 'nvidia.com/gpu': '4', 'ephemeral-storage': '500Gi' }, { labels: { 'nvidia.com/gpu.present': 'true' } }),
    ],
    [LIVE_PROVIDER_2]: [f.controlPlaneNode(`${LIVE_PROVIDER_2}-control-plane`), f.workerNode(`${LIVE_PROVIDER_2}-worker`, C_OFFERS)],
  };
  return {
    name: liveName(o),
    clusters,
    logFiles,
    populate: async (env) => {
      await Promise.all(names.map((n) => Promise.all((nodes[n] ?? []).map((node) => env.client(n).apply(node)))));
    },
    readiness: names.map((n) => ({ cluster: n, nodes: (nodes[n] ?? []).map((x) => ({ name: x.metadata.name, ready: true })), pods: [], deployments: [] })),
    live: {
      version: o.liqoVersion,
      namespace: o.liqoNamespace ?? DEFAULT_LIVE_LIQO_NAMESPACE,
      clusters: {
        [LIVE_CONSUMER]: { offeredResources: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '20Gi' }, clusterLabels: { 'topology.region': 'north' } },
        [LIVE_PROVIDER]: { offeredResources: B_OFFERS, clusterLabels: B_LABELS },
        [LIVE_PROVIDER_2]: { offeredResources: C_OFFERS, clusterLabels: C_LABELS },
      },
      afterUp: o.federated ? reachFederatedShape : o.peered ? reachSeedShape : undefined,
    },
  };
}
