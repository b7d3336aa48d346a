// seed-000 and broken: the consumer `kind-mlops-platform` peered with the provider `cluster-b`, the `kubeflow`
// namespace offloaded to it, ML pods running on the virtual node (and, on the provider, as ShadowPods and real
// pods of the same names whose logs stream through kwok), one offloaded pod failed with events on both sides.
// `broken` adds the faults Liqo users meet: the network connection to cluster-b in error, and a second provider
// `cluster-c` that cannot be reached — authentication pending, its virtual node NotReady, the namespace's
// offloading there failed (so the NamespaceOffloading is SomeFailed).
// `seed-000@liqo-system` (any scenario@namespace): the same, with Liqo installed into that namespace, as Helm users do.
import fs from 'node:fs';
import path from 'node:path';
import { statePaths } from '../paths.ts';
import type { KubeObject } from '../kube-rest.ts';
import type { CatchAllLogRule, LogRule } from '../kwok-config.ts';
import { applyAll } from './apply.ts';
import * as f from './forge.ts';
import type { LogFile, ScenarioEnv, ScenarioPlan } from './types.ts';

export const CONSUMER = 'kind-mlops-platform';
export const PROVIDER = 'cluster-b';
const UNREACHABLE = 'cluster-c';
const OFFLOADED_NS = 'kubeflow';
const TWIN_NS = `${OFFLOADED_NS}-${CONSUMER}`;
const PLAIN_NS = 'analytics';

const VN_CAPACITY = { cpu: '16', memory: '64Gi', pods: '110', 'nvidia.com/gpu': '4', 'ephemeral-storage': '500Gi' };
const VN_LABELS = { 'topology.region': 'center', 'gdpr-approved': 'true', 'liqo.io/provider': 'kubeadm' };
const VN_C_CAPACITY = { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '200Gi' };
const VN_C_LABELS = { 'topology.region': 'south', 'gdpr-approved': 'false' };

interface Workload {
  name: string;
  app: string;
  image: string;
  container: string;
  providerNode: string;
  requests: Record<string, string>;
  limits?: Record<string, string>;
  fail?: { reason: string; exitCode: number; startedSecondsAgo: number; finishedSecondsAgo: number };
  history: string[];
  live: string[];
}

const trainingLog = (worker: number) => ({
  history: [
    `Using backend nccl, world size 2, rank ${worker}`,
    'Loading dataset imdb-reviews (25000 train, 25000 test)',
    'Model bert-base-uncased loaded: 109.5M parameters',
    'Epoch 1/3 started',
  ],
  live: [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `Epoch 1/3 step ${100 * (i + 1)}/1563 loss=${(0.69 - i * 0.041).toFixed(4)} lr=2.0e-05 gpu_mem=11.2GiB`),
});

const WORKLOADS: Workload[] = [
  {
    name: 'training-worker-0',
    app: 'bert-finetune',
    image: 'docker.io/kubeflow/pytorch-bert:2.3.1',
    container: 'pytorch',
    providerNode: `${PROVIDER}-gpu-worker`,
    requests: { cpu: '2', memory: '8Gi', 'nvidia.com/gpu': '1' },
    limits: { 'nvidia.com/gpu': '1' },
    ...trainingLog(0),
  },
  {
    name: 'training-worker-1',
    app: 'bert-finetune',
    image: 'docker.io/kubeflow/pytorch-bert:2.3.1',
    container: 'pytorch',
    providerNode: `${PROVIDER}-gpu-worker`,
    requests: { cpu: '2', memory: '8Gi', 'nvidia.com/gpu': '1' },
    limits: { 'nvidia.com/gpu': '1' },
    ...trainingLog(1),
  },
  {
    name: 'inference-server',
    app: 'sentiment-inference',
    image: 'docker.io/kserve/huggingfaceserver:v0.14.0',
    container: 'kserve-container',
    providerNode: `${PROVIDER}-worker`,
    requests: { cpu: '1', memory: '4Gi' },
    history: ['INFO:     Started server process [1]', 'INFO:     Model sentiment loaded in 4.2s', 'INFO:     Uvicorn running on http://0.0.0.0:8080'],
    live: ['200', '200', '200', '429', '200'].map((code, i) => `INFO:     10.244.1.${17 + i}:0 - "POST /v1/models/sentiment:predict HTTP/1.1" ${code}`),
  },
  {
    // seed 000's failed pod
    name: 'llm-finetune-7b',
    app: 'llm-finetune',
    image: 'ghcr.io/mlops-platform/llm-finetune:0.9.2',
    container: 'trainer',
    providerNode: `${PROVIDER}-gpu-worker`,
    requests: { cpu: '4', memory: '16Gi', 'nvidia.com/gpu': '1' },
    limits: { memory: '16Gi', 'nvidia.com/gpu': '1' },
    // agrees with the events in failedPodEvents: started 416 s before the scenario was written, killed at 300 s
    fail: { reason: 'OOMKilled', exitCode: 137, startedSecondsAgo: 416, finishedSecondsAgo: 300 },
    history: [
      'Loading base model meta-llama/Llama-2-7b-hf (13.5 GB)',
      'Applying LoRA adapters: r=16 alpha=32 dropout=0.05',
      'Epoch 1/2 step 1/800 loss=2.1834',
      'Epoch 1/2 step 2/800 loss=2.0411',
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 15.77 GiB total capacity)',
      'Killed',
    ],
    live: [],
  },
];

interface LocalPod {
  ns: string;
  name: string;
  image: string;
  history: string[];
  live: string[];
}

const LOCAL_PODS: LocalPod[] = [
  {
    ns: OFFLOADED_NS,
    name: 'pipelines-ui',
    image: 'ghcr.io/kubeflow/kfp-frontend:2.3.0',
    history: ['Server listening at http://0.0.0.0:3000'],
    live: ['GET /apis/v2beta1/runs 200 12ms', 'GET /apis/v2beta1/experiments 200 8ms'],
  },
  {
    ns: PLAIN_NS,
    name: 'report-generator',
    image: 'docker.io/library/python:3.12-slim',
    history: ['Connecting to warehouse postgres://warehouse.analytics:5432/reports'],
    live: ['Generated daily report (1342 rows)', 'Uploaded report to s3://reports/daily/'],
  },
];

const podLogFile = (cluster: string, ns: string, pod: string) => path.join(statePaths.cluster(cluster), 'pod-logs', `${ns}_${pod}.log`);

function catchAll(cluster: string, liqoNs: string): CatchAllLogRule[] {
  const dir = path.join(statePaths.cluster(cluster), 'pod-logs');
  return [
    { name: 'liqo-components', namespaces: [liqoNs, f.tenantNamespaceName(PROVIDER), f.tenantNamespaceName(UNREACHABLE)], file: path.join(dir, 'liqo-components.log') },
    { name: 'everything-else', file: path.join(dir, 'other.log') },
  ];
}

const liqoComponentLog: LogFile['live'] = [
  'I0000 reconciler.go:114] "Reconciling ForeignCluster" foreigncluster="cluster-b"',
  'I0000 status.go:88] "ForeignCluster status up to date" foreigncluster="cluster-b"',
  'I0000 namespaceoffloading_controller.go:97] "Reconciling NamespaceOffloading" namespaceoffloading="kubeflow/offloading"',
];

/** `liqoNamespace`: where Liqo is installed in both clusters (`liqoctl install` uses `liqo`). */
export function planFederation(name: 'seed-000' | 'broken', liqoNamespace = f.LIQO_NS): ScenarioPlan {
  const broken = name === 'broken';
  const consumerLogs: LogRule[] = [
    // What the virtual kubelet does for `kubectl logs` on the consumer: it serves the provider pod's log.
    ...WORKLOADS.map((w) => ({ namespace: OFFLOADED_NS, pod: w.name, file: podLogFile(PROVIDER, TWIN_NS, w.name) })),
    ...LOCAL_PODS.map((p) => ({ namespace: p.ns, pod: p.name, file: podLogFile(CONSUMER, p.ns, p.name) })),
  ];
  const providerLogs: LogRule[] = WORKLOADS.map((w) => ({ namespace: TWIN_NS, pod: w.name, file: podLogFile(PROVIDER, TWIN_NS, w.name) }));
  const logFiles: LogFile[] = [
    ...WORKLOADS.map((w) => ({ file: podLogFile(PROVIDER, TWIN_NS, w.name), history: w.history, live: w.live })),
    ...LOCAL_PODS.map((p) => ({ file: podLogFile(CONSUMER, p.ns, p.name), history: p.history, live: p.live })),
    ...[CONSUMER, PROVIDER].flatMap((c) =>
      catchAll(c, liqoNamespace).map((r) => ({ file: r.file, history: ['I0000 main.go:42] "Starting"'], live: r.name === 'liqo-components' ? liqoComponentLog : [] })),
    ),
  ];

  return {
    name: liqoNamespace === f.LIQO_NS ? name : `${name}@${liqoNamespace}`,
    clusters: [
      { name: CONSUMER, controllers: true, podCidr: '10.244.0.0/16', logs: consumerLogs, catchAllLogs: catchAll(CONSUMER, liqoNamespace) },
      { name: PROVIDER, controllers: true, podCidr: '10.245.0.0/16', logs: providerLogs, catchAllLogs: catchAll(PROVIDER, liqoNamespace) },
    ],
    logFiles,
    populate: (env) => populate(env, broken, liqoNamespace),
    readiness: [
      {
        cluster: CONSUMER,
        nodes: [
          { name: `${CONSUMER}-control-plane`, ready: true },
          { name: `${CONSUMER}-worker`, ready: true },
          { name: PROVIDER, ready: true },
          ...(broken ? [{ name: UNREACHABLE, ready: false }] : []),
        ],
        pods: [
          ...WORKLOADS.map((w) => ({ namespace: OFFLOADED_NS, name: w.name, phase: w.fail ? ('Failed' as const) : ('Running' as const) })),
          ...LOCAL_PODS.map((p) => ({ namespace: p.ns, name: p.name, phase: 'Running' as const })),
          ...(broken ? [{ namespace: OFFLOADED_NS, name: 'batch-scorer', phase: 'Running' as const }] : []),
        ],
        deployments: [{ namespace: liqoNamespace, name: 'liqo-controller-manager' }],
      },
      {
        cluster: PROVIDER,
        nodes: ['control-plane', 'worker', 'gpu-worker'].map((n) => ({ name: `${PROVIDER}-${n}`, ready: true })),
        pods: WORKLOADS.map((w) => ({ namespace: TWIN_NS, name: w.name, phase: w.fail ? ('Failed' as const) : ('Running' as const) })),
        deployments: [{ namespace: liqoNamespace, name: 'liqo-controller-manager' }],
      },
    ],
  };
}

/**
 * seed-000+metrics: seed-000 with metrics-server on both clusters. The ML pods use what a GPU training job would
 * (their twins on the provider report the same), so node, virtual node and pod figures differ from one another.
 */
export function planFederationWithMetrics(): ScenarioPlan {
  const usage = {
    'training-worker-0': { cpu: '1500m', memory: '6Gi' },
    'training-worker-1': { cpu: '1250m', memory: '5632Mi' },
    'inference-server': { cpu: '350m', memory: '2Gi' },
    'pipelines-ui': { cpu: '40m', memory: '300Mi' },
    'report-generator': { cpu: '220m', memory: '700Mi' },
  };
  return { ...planFederation('seed-000'), name: 'seed-000+metrics', metrics: usage };
}

/** Writes the scenario's CRI-format log files (before kwok starts, so `logs` has history from the first moment). */
export function writeLogHistory(files: LogFile[]): void {
  const start = Date.now() - 10 * 60 * 1000;
  for (const lf of files) {
    fs.mkdirSync(path.dirname(lf.file), { recursive: true });
    const lines = lf.history.map((msg, i) => `${new Date(start + i * 1500).toISOString()} stdout F ${msg}\n`);
    fs.writeFileSync(lf.file, lines.join(''));
  }
}

async function populate(env: ScenarioEnv, broken: boolean, liqoNs: string): Promise<void> {
  await Promise.all([populateConsumer(env, broken, liqoNs), populateProvider(env, liqoNs)]);
}

function offloadedPodLabels(w: Workload) {
  return { app: w.app, 'liqo.io/shadowPod': 'true' };
}

/** The objects written to the consumer (the fidelity test reads them too, without a cluster). */
export function consumerObjects(env: Pick<ScenarioEnv, 'url' | 'kubeconfigFor' | 'unreachableUrl'>, broken: boolean, liqoNs: string = f.LIQO_NS): KubeObject[] {
  const tenantNs = f.tenantNamespaceName(PROVIDER);
  const secret = `kubeconfig-controlplane-${PROVIDER}`;
  return [
    ...f.liqoInstallation({
      namespace: liqoNs,
      clusterId: CONSUMER,
      apiServerUrl: env.url(CONSUMER),
      clusterLabels: { 'topology.region': 'north', environment: 'mlops' },
      podCidr: '10.244.0.0/16',
      serviceCidr: '10.96.0.0/16',
      externalCidr: '10.70.0.0/16',
      internalCidr: '10.80.0.0/16',
    }),
    f.controlPlaneNode(`${CONSUMER}-control-plane`),
    f.workerNode(`${CONSUMER}-worker`, { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '200Gi' }),
    f.virtualNode(PROVIDER, PROVIDER, VN_CAPACITY, VN_LABELS, true),
    f.foreignCluster({
      clusterId: PROVIDER,
      role: 'Provider',
      apiServerUrl: env.url(PROVIDER),
      localTenantNamespace: tenantNs,
      remoteTenantNamespace: f.tenantNamespaceName(CONSUMER),
      networking: [
        f.fcConditions.networkConfiguration(),
        f.fcConditions.gatewayPresence(),
        f.fcConditions.gateway('NetworkGatewayClientStatus'),
        f.fcConditions.connection(broken ? 'Error' : 'Connected'),
      ],
      authentication: [f.fcConditions.identity('Ready')],
      offloading: [f.fcConditions.virtualNodes(true), f.fcConditions.nodes(true)],
      conditions: [f.fcConditions.apiServer(true)],
    }),
    f.tenantNamespace(PROVIDER),
    f.serviceAccount(tenantNs),
    f.kubeconfigSecret(tenantNs, secret, env.kubeconfigFor(PROVIDER), PROVIDER),
    f.identity(tenantNs, PROVIDER, env.url(PROVIDER), secret),
    f.resourceSlice(tenantNs, PROVIDER, CONSUMER, PROVIDER, VN_CAPACITY, VN_LABELS, true),
    f.virtualNodeCr(tenantNs, PROVIDER, PROVIDER, VN_CAPACITY, VN_LABELS, true),
    f.virtualKubeletDeployment(tenantNs, PROVIDER, PROVIDER),
    f.namespaceMap(tenantNs, PROVIDER, { [OFFLOADED_NS]: TWIN_NS }),
    f.networkConfiguration(
      tenantNs,
      PROVIDER,
      { pod: '10.244.0.0/16', external: '10.70.0.0/16' },
      { pod: '10.245.0.0/16', external: '10.71.0.0/16' },
      { pod: '10.82.0.0/16', external: '10.83.0.0/16' },
    ),
    f.gatewayClient(tenantNs, PROVIDER, '127.0.0.1', 30742),
    f.connection(tenantNs, PROVIDER, 'Client', broken ? 'Error' : 'Connected', broken ? undefined : '1.42ms'),
    f.namespace(OFFLOADED_NS, { 'liqo.io/scheduling-enabled': 'true' }),
    f.serviceAccount(OFFLOADED_NS),
    f.namespaceOffloading(
      OFFLOADED_NS,
      TWIN_NS,
      broken ? 'SomeFailed' : 'Ready',
      broken
        ? {
            [PROVIDER]: [f.remoteNsConditions.selected(), f.remoteNsConditions.created()],
            [UNREACHABLE]: [f.remoteNsConditions.selected(), f.remoteNsConditions.loopBackOff()],
          }
        : { [PROVIDER]: [f.remoteNsConditions.selected(), f.remoteNsConditions.created()] },
    ),
    ...WORKLOADS.map((w) =>
      f.pod({
        namespace: OFFLOADED_NS,
        name: w.name,
        nodeName: PROVIDER,
        image: w.image,
        container: w.container,
        labels: offloadedPodLabels(w),
        requests: w.requests,
        limits: w.limits,
        tolerations: [f.virtualNodeToleration],
        fail: w.fail,
      }),
    ),
    f.namespace(PLAIN_NS),
    f.serviceAccount(PLAIN_NS),
    ...LOCAL_PODS.map((p) => f.pod({ namespace: p.ns, name: p.name, nodeName: `${CONSUMER}-worker`, image: p.image, labels: { app: p.name } })),
    ...(broken ? unreachablePeer(env) : []),
  ];
}

async function populateConsumer(env: ScenarioEnv, broken: boolean, liqoNs: string): Promise<void> {
  const client = env.client(CONSUMER);
  const applied = await applyAll(client, consumerObjects(env, broken, liqoNs));
  await applyAll(client, failedPodEvents(applied, 'consumer'));
}

/** broken: a second provider whose API server cannot be reached (only the consumer's side of it exists). */
function unreachablePeer(env: Pick<ScenarioEnv, 'unreachableUrl'>): KubeObject[] {
  const tenantNs = f.tenantNamespaceName(UNREACHABLE);
  return [
    f.virtualNode(UNREACHABLE, UNREACHABLE, VN_C_CAPACITY, VN_C_LABELS, false),
    f.foreignCluster({
      clusterId: UNREACHABLE,
      role: 'Provider',
      apiServerUrl: env.unreachableUrl,
      localTenantNamespace: tenantNs,
      remoteTenantNamespace: f.tenantNamespaceName(CONSUMER),
      networking: [f.fcConditions.networkConfiguration(), f.fcConditions.gatewayPresence(), f.fcConditions.connection('Connecting')],
      authentication: [f.fcConditions.identity('Pending')],
      offloading: [f.fcConditions.virtualNodes(false), f.fcConditions.nodes(false)],
      conditions: [f.fcConditions.apiServer(false)],
    }),
    f.tenantNamespace(UNREACHABLE),
    f.serviceAccount(tenantNs),
    f.identity(tenantNs, UNREACHABLE, env.unreachableUrl, undefined),
    f.resourceSlice(tenantNs, UNREACHABLE, CONSUMER, UNREACHABLE, VN_C_CAPACITY, VN_C_LABELS, true),
    f.virtualNodeCr(tenantNs, UNREACHABLE, UNREACHABLE, VN_C_CAPACITY, VN_C_LABELS, true),
    f.namespaceMap(tenantNs, UNREACHABLE, { [OFFLOADED_NS]: TWIN_NS }),
    f.networkConfiguration(
      tenantNs,
      UNREACHABLE,
      { pod: '10.244.0.0/16', external: '10.70.0.0/16' },
      { pod: '10.246.0.0/16', external: '10.72.0.0/16' },
      { pod: '10.86.0.0/16', external: '10.87.0.0/16' },
    ),
    f.gatewayClient(tenantNs, UNREACHABLE, '127.0.0.1', 31999),
    f.connection(tenantNs, UNREACHABLE, 'Client', 'Connecting'),
    f.pod({
      namespace: OFFLOADED_NS,
      name: 'batch-scorer',
      nodeName: UNREACHABLE,
      image: 'ghcr.io/mlops-platform/batch-scorer:1.4.0',
      labels: { app: 'batch-scorer', 'liqo.io/shadowPod': 'true', 'liqo.io/remote-unavailable': 'true' },
      tolerations: [
        f.virtualNodeToleration,
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
      ],
    }),
  ];
}

const reflection = { 'offloading.liqo.io/origin': CONSUMER, 'offloading.liqo.io/destination': PROVIDER, 'offloading.liqo.io/nodename': PROVIDER };

/** The objects written to the provider before its pods (the fidelity test reads them too, without a cluster). */
export function providerObjects(env: Pick<ScenarioEnv, 'url'>, liqoNs: string = f.LIQO_NS): KubeObject[] {
  const tenantNs = f.tenantNamespaceName(CONSUMER);
  return [
    ...f.liqoInstallation({
      namespace: liqoNs,
      clusterId: PROVIDER,
      apiServerUrl: env.url(PROVIDER),
      clusterLabels: VN_LABELS,
      podCidr: '10.245.0.0/16',
      serviceCidr: '10.97.0.0/16',
      externalCidr: '10.71.0.0/16',
      internalCidr: '10.81.0.0/16',
    }),
    f.controlPlaneNode(`${PROVIDER}-control-plane`),
    f.workerNode(`${PROVIDER}-worker`, { cpu: '16', memory: '64Gi', pods: '110', 'ephemeral-storage': '500Gi' }, { labels: VN_LABELS }),
    f.workerNode(
      `${PROVIDER}-gpu-worker`,
      { cpu: '32', memory: '256Gi', pods: '110', 'nvidia.com/gpu': '4', 'ephemeral-storage': '1Ti' },
      { labels: { ...VN_LABELS, 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-40GB' } },
    ),
    f.foreignCluster({
      clusterId: CONSUMER,
      role: 'Consumer',
      apiServerUrl: env.url(CONSUMER),
      localTenantNamespace: tenantNs,
      remoteTenantNamespace: f.tenantNamespaceName(PROVIDER),
      networking: [
        f.fcConditions.networkConfiguration(),
        f.fcConditions.gatewayPresence(),
        f.fcConditions.gateway('NetworkGatewayServerStatus'),
        f.fcConditions.connection('Connected'),
      ],
      authentication: [f.fcConditions.tenant(true)],
      conditions: [f.fcConditions.apiServer(true)],
    }),
    f.tenantNamespace(CONSUMER),
    f.serviceAccount(tenantNs),
    f.tenant(tenantNs, CONSUMER),
    f.resourceSlice(tenantNs, PROVIDER, CONSUMER, PROVIDER, VN_CAPACITY, VN_LABELS, true, {
      [f.REMOTE_CLUSTER_ID]: CONSUMER,
      'liqo.io/replicated': 'true',
      'liqo.io/originID': CONSUMER,
      // crd-replicator's copy is not replicated further
      'liqo.io/replication': 'false',
    }),
    {
      ...f.namespaceMap(tenantNs, PROVIDER, { [OFFLOADED_NS]: TWIN_NS }),
      metadata: {
        name: PROVIDER,
        namespace: tenantNs,
        labels: { [f.REMOTE_CLUSTER_ID]: CONSUMER, 'liqo.io/replicated': 'true', 'liqo.io/originID': CONSUMER, 'liqo.io/remoteID': PROVIDER },
      },
    },
    f.networkConfiguration(
      tenantNs,
      CONSUMER,
      { pod: '10.245.0.0/16', external: '10.71.0.0/16' },
      { pod: '10.244.0.0/16', external: '10.70.0.0/16' },
      { pod: '10.84.0.0/16', external: '10.85.0.0/16' },
    ),
    f.gatewayServer(tenantNs, CONSUMER, '127.0.0.1', 30742),
    f.connection(tenantNs, CONSUMER, 'Server', 'Connected', '1.38ms'),
    f.namespace(TWIN_NS, { [f.REMOTE_CLUSTER_ID]: CONSUMER }, {
      'liqo.io/managed-by-namespace-map': `${tenantNs}/${PROVIDER}`,
      'liqo.io/original-name': OFFLOADED_NS,
    }),
    f.serviceAccount(TWIN_NS),
    ...WORKLOADS.map((w) =>
      f.shadowPod(
        TWIN_NS,
        w.name,
        f.podSpec({ namespace: TWIN_NS, name: w.name, nodeName: '', image: w.image, container: w.container, requests: w.requests, limits: w.limits, fail: w.fail }),
        { app: w.app, ...reflection },
        w.fail ? 'Failed' : 'Running',
        `${PROVIDER}-5f0c2a9e41d7`,
      ),
    ),
  ];
}

async function populateProvider(env: ScenarioEnv, liqoNs: string): Promise<void> {
  const client = env.client(PROVIDER);
  const applied = await applyAll(client, providerObjects(env, liqoNs));
  // The ShadowPod controller's pods: same names, owned by their ShadowPod, on the provider's real nodes.
  const pods = WORKLOADS.map((w) => {
    const owner = applied.get(`ShadowPod/${TWIN_NS}/${w.name}`);
    return f.pod({
      namespace: TWIN_NS,
      name: w.name,
      nodeName: w.providerNode,
      image: w.image,
      container: w.container,
      labels: { app: w.app, ...reflection, 'liqo.io/managed-by': 'shadowpod' },
      requests: w.requests,
      limits: w.limits,
      fail: w.fail,
      ownerReferences: [
        { apiVersion: 'offloading.liqo.io/v1beta1', kind: 'ShadowPod', name: w.name, uid: owner?.metadata.uid, controller: true, blockOwnerDeletion: true },
      ],
    });
  });
  const appliedPods = await applyAll(client, pods);
  await applyAll(client, failedPodEvents(appliedPods, 'provider'));
}

/** Events of the failed pod, as the scheduler, kubelet and virtual kubelet record them on each side. */
function failedPodEvents(applied: Map<string, KubeObject>, side: 'consumer' | 'provider'): KubeObject[] {
  const failed = WORKLOADS.find((w) => w.fail);
  if (!failed?.fail) return [];
  const ns = side === 'consumer' ? OFFLOADED_NS : TWIN_NS;
  const uid = applied.get(`Pod/${ns}/${failed.name}`)?.metadata.uid;
  const involved = { kind: 'Pod', name: failed.name, uid };
  const container = { ...involved, fieldPath: `spec.containers{${failed.container}}` };
  const oom = `Container ${failed.container} was OOMKilled (exit code ${failed.fail.exitCode}): memory limit ${failed.limits?.memory ?? ''} exceeded`;
  if (side === 'consumer') {
    return [
      f.event({ namespace: ns, involved, type: 'Normal', reason: 'Scheduled', message: `Successfully assigned ${ns}/${failed.name} to ${PROVIDER}`, component: 'default-scheduler', secondsAgo: 420 }),
      f.event({ namespace: ns, involved, type: 'Normal', reason: 'Offloaded', message: `Pod offloaded to remote cluster ${PROVIDER} (namespace ${TWIN_NS})`, component: 'virtual-kubelet', host: PROVIDER, secondsAgo: 419 }),
      f.event({ namespace: ns, involved: container, type: 'Warning', reason: 'Failed', message: oom, component: 'virtual-kubelet', host: PROVIDER, secondsAgo: 300 }),
    ];
  }
  const host = failed.providerNode;
  return [
    f.event({ namespace: ns, involved, type: 'Normal', reason: 'Scheduled', message: `Successfully assigned ${ns}/${failed.name} to ${host}`, component: 'default-scheduler', secondsAgo: 418 }),
    f.event({ namespace: ns, involved: container, type: 'Normal', reason: 'Pulled', message: `Container image "${failed.image}" already present on machine`, component: 'kubelet', host, secondsAgo: 417 }),
    f.event({ namespace: ns, involved: container, type: 'Normal', reason: 'Created', message: `Created container: ${failed.container}`, component: 'kubelet', host, secondsAgo: 417 }),
    f.event({ namespace: ns, involved: container, type: 'Normal', reason: 'Started', message: `Started container ${failed.container}`, component: 'kubelet', host, secondsAgo: 416 }),
    f.event({ namespace: ns, involved: container, type: 'Warning', reason: 'OOMKilled', message: oom, component: 'kubelet', host, secondsAgo: 300 }),
  ];
}
