// seed-002: seed 002's hybrid cloud burst. A `main` and a `remote` cluster with three federation systems other than
// Liqo, forged on their real CRDs (test/testbed/crds/<system>, shapes in forge/admiralty.ts, kubefed.ts, istio.ts):
// - Admiralty: main sends to remote through a Target (namespace `burst`), and to `edge` (a ClusterTarget whose
//   API server does not answer); remote accepts from main through a Source. On main, Admiralty's virtual nodes
//   and the ML job's proxy pod on `admiralty-burst-remote`; on remote, its PodChaperon and delegate pod, plus the
//   delegate of a pod sent by `lab`, a cluster that is in no kubeconfig.
// - KubeFed: main hosts the control plane; KubeFedClusters `main` and `remote` (both Ready); the blob-storage
//   FederatedDeployment placed on both, propagated to main and failing on remote (seed 002: remote runs only the
//   Service).
// - Istio (primary-remote, one control plane): istiod on main, mesh `mesh1`, network `network1`; remote secrets
//   on main for `remote` (its API server) and `onprem` (an API server no kubeconfig context points at).
// Liqo's CRDs are installed too (the extension discovers Liqo on each cluster), but no Liqo.
import path from 'node:path';
import { parse } from 'yaml';
import { statePaths } from '../paths.ts';
import type { KubeObject } from '../kube-rest.ts';
import { applyAll } from './apply.ts';
import * as f from './forge.ts';
import * as adm from './forge/admiralty.ts';
import * as kf from './forge/kubefed.ts';
import * as istio from './forge/istio.ts';
import type { LogFile, ScenarioEnv, ScenarioPlan } from './types.ts';

export const MAIN = 'main';
export const REMOTE = 'remote';
export const BURST_NS = 'burst';
/** Admiralty Target in BURST_NS on main, named after the cluster it sends to */
export const TARGET = 'remote';
export const EDGE_TARGET = 'edge';
/** the cluster that sent `etl` pods to remote, in no kubeconfig */
export const LAB = 'lab';

export const ML_JOB = 'ml-job-6ymu';
export const PROXY_POD = `${ML_JOB}-xvrv2`;
export const DELEGATE_POD = `${PROXY_POD}-p5bbl`;
export const LAB_DELEGATE_POD = 'etl-7k2q-x9c4d-ab12c';
export const VIRTUAL_NODE = adm.virtualNodeName(BURST_NS, TARGET);
export const EDGE_VIRTUAL_NODE = adm.virtualNodeName('', EDGE_TARGET);
export const ISTIO_REMOTE_SECRET = 'istio-remote-secret-remote';
export const ISTIO_ONPREM_SECRET = 'istio-remote-secret-onprem';
/** the reader token in the remote secrets: tests check it never reaches a row, a tooltip or a log */
export const ISTIO_READER_TOKEN = 'eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3RiZWQifQ.istio-reader-token-not-to-be-shown';

const ML_IMAGE = 'ghcr.io/hybrid-cloud-burst/mnist-train:1.0.0';
const ML_SOURCE_LABELS = { 'job-name': ML_JOB, 'batch.kubernetes.io/job-name': ML_JOB, app: 'ml-job' };

const podLogFile = (cluster: string, ns: string, pod: string) => path.join(statePaths.cluster(cluster), 'pod-logs', `${ns}_${pod}.log`);
const catchAll = (cluster: string) => [{ name: 'everything-else', file: path.join(statePaths.cluster(cluster), 'pod-logs', 'other.log') }];

const mlLog: Pick<LogFile, 'history' | 'live'> = {
  history: ['Downloading MNIST from blob-storage.burst.svc:10000/mnist/train.gz', 'Train on 60000 samples, validate on 10000 samples'],
  live: [1, 2, 3, 4, 5].map((e) => `Epoch ${e}/5 - loss: ${(0.3 / e).toFixed(4)} - accuracy: ${(0.9 + e * 0.015).toFixed(4)}`),
};

const mlSpec = (nodeName: string): f.PodOptions => ({
  namespace: BURST_NS,
  name: PROXY_POD,
  nodeName,
  image: ML_IMAGE,
  container: 'train',
  requests: { cpu: '2', memory: '4Gi' },
});

export function planSeed002(): ScenarioPlan {
  const delegateFile = podLogFile(REMOTE, BURST_NS, DELEGATE_POD);
  return {
    name: 'seed-002',
    pinnedCrds: ['admiralty', 'kubefed'],
    clusters: [
      // Admiralty's virtual kubelet serves a proxy pod's logs from its delegate (pkg/vk/http/provider.go GetContainerLogs)
      { name: MAIN, controllers: true, podCidr: '10.244.0.0/16', logs: [{ namespace: BURST_NS, pod: PROXY_POD, file: delegateFile }], catchAllLogs: catchAll(MAIN) },
      { name: REMOTE, controllers: false, podCidr: '10.245.0.0/16', logs: [{ namespace: BURST_NS, pod: DELEGATE_POD, file: delegateFile }], catchAllLogs: catchAll(REMOTE) },
    ],
    logFiles: [
      { file: delegateFile, ...mlLog },
      ...[MAIN, REMOTE].flatMap((c) => catchAll(c).map((r) => ({ file: r.file, history: ['starting'], live: [] }))),
    ],
    populate,
    readiness: [
      {
        cluster: MAIN,
        nodes: [
          { name: `${MAIN}-worker`, ready: true },
          { name: VIRTUAL_NODE, ready: true },
          { name: EDGE_VIRTUAL_NODE, ready: true },
        ],
        pods: [{ namespace: BURST_NS, name: PROXY_POD, phase: 'Running' }],
        deployments: [
          { namespace: BURST_NS, name: 'blob-storage' },
          { namespace: istio.ISTIO_NS, name: 'istiod' },
        ],
      },
      {
        cluster: REMOTE,
        nodes: [{ name: `${REMOTE}-worker`, ready: true }],
        pods: [
          { namespace: BURST_NS, name: DELEGATE_POD, phase: 'Running' },
          { namespace: BURST_NS, name: LAB_DELEGATE_POD, phase: 'Running' },
        ],
        deployments: [],
      },
    ],
  };
}

/** server and CA of a cluster, read from the kubeconfig the test bed renders for it */
function clusterOf(env: Pick<ScenarioEnv, 'kubeconfigFor'>, name: string): { server: string; ca: string } {
  const kc = parse(env.kubeconfigFor(name)) as { clusters: { cluster: { server: string; 'certificate-authority-data': string } }[] };
  const c = kc.clusters[0]?.cluster;
  if (!c) throw new Error(`seed-002: no cluster in the kubeconfig of ${name}`);
  return { server: c.server, ca: c['certificate-authority-data'] };
}

const blobStorageTemplate = {
  metadata: { labels: { app: 'blob-storage' } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'blob-storage' } },
    template: {
      metadata: { labels: { app: 'blob-storage' } },
      spec: { containers: [{ name: 'azurite', image: 'mcr.microsoft.com/azure-storage/azurite:3.31.0', args: ['azurite-blob', '--blobHost', '0.0.0.0', '--blobPort', '10000'], ports: [{ containerPort: 10000 }] }] },
    },
  },
};

/** The objects written to main (the fidelity test may read them without a cluster). */
export function mainObjects(env: Pick<ScenarioEnv, 'kubeconfigFor' | 'unreachableUrl'>): KubeObject[] {
  const remote = clusterOf(env, REMOTE);
  const main = clusterOf(env, MAIN);
  const edgeKubeconfig = env.kubeconfigFor(REMOTE).replaceAll(remote.server, env.unreachableUrl);
  return [
    f.controlPlaneNode(`${MAIN}-control-plane`),
    f.workerNode(`${MAIN}-worker`, { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '200Gi' }),
    // Admiralty's virtual nodes: its virtual kubelet posts Ready whatever the target answers (pkg/vk/node/node.go)
    ...[VIRTUAL_NODE, EDGE_VIRTUAL_NODE].map((name, i) =>
      f.node({
        name,
        nodeClass: 'worker',
        kubeletVersion: 'v0.17.0',
        capacity: { cpu: '32', memory: '128Gi', pods: '110' },
        labels: i === 0 ? adm.virtualNodeLabels(BURST_NS, TARGET) : adm.virtualNodeLabels('', EDGE_TARGET),
        taints: [adm.virtualNodeTaint],
      }),
    ),
    f.namespace(BURST_NS, { 'multicluster-scheduler': 'enabled' }),
    f.serviceAccount(BURST_NS),
    f.namespace('admiralty'),
    adm.kubeconfigSecret(BURST_NS, TARGET, env.kubeconfigFor(REMOTE)),
    adm.target(BURST_NS, TARGET, TARGET),
    adm.kubeconfigSecret('admiralty', EDGE_TARGET, edgeKubeconfig),
    adm.clusterTarget(EDGE_TARGET, 'admiralty', EDGE_TARGET),
    adm.proxyPod({ ...mlSpec(VIRTUAL_NODE), labels: ML_SOURCE_LABELS }, VIRTUAL_NODE),
    // KubeFed's control plane lives in main
    f.namespace(kf.KUBEFED_NS),
    f.serviceAccount(kf.KUBEFED_NS),
    kf.federatedTypeConfig({ group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments' }),
    kf.kubeFedCluster(MAIN, main.server, main.ca, true),
    kf.kubeFedCluster(REMOTE, remote.server, remote.ca, true),
    kf.federatedDeployment({
      namespace: BURST_NS,
      name: 'blob-storage',
      template: blobStorageTemplate,
      clusters: [MAIN, REMOTE],
      overrides: [{ clusterName: REMOTE, clusterOverrides: [{ path: '/spec/replicas', value: 2 }] }],
      propagation: [
        { name: MAIN, status: '' },
        { name: REMOTE, status: 'CreationFailed' },
      ],
    }),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'blob-storage', namespace: BURST_NS, labels: { ...blobStorageTemplate.metadata.labels, ...kf.KUBEFED_MANAGED } },
      spec: { ...blobStorageTemplate.spec, template: { ...blobStorageTemplate.spec.template, spec: { ...blobStorageTemplate.spec.template.spec, nodeSelector: { 'kubernetes.io/hostname': `${MAIN}-worker` } } } },
    },
    // Istio's primary: istiod, mesh config, network label, remote secrets
    istio.istioNamespace('network1'),
    f.serviceAccount(istio.ISTIO_NS),
    istio.meshConfig('mesh1'),
    istio.istiodDeployment(MAIN),
    istio.remoteSecret(REMOTE, remote.server, remote.ca, ISTIO_READER_TOKEN),
    istio.remoteSecret('onprem', env.unreachableUrl, remote.ca, ISTIO_READER_TOKEN),
  ];
}

async function populate(env: ScenarioEnv): Promise<void> {
  const applied = await applyAll(env.client(MAIN), mainObjects(env));
  const proxy = applied.get(`Pod/${BURST_NS}/${PROXY_POD}`);
  if (!proxy?.metadata.uid) throw new Error('seed-002: the proxy pod was not created');
  await populateRemote(env, proxy.metadata.uid);
}

async function populateRemote(env: ScenarioEnv, proxyUid: string): Promise<void> {
  const client = env.client(REMOTE);
  const mlDelegate: adm.Delegate = {
    name: DELEGATE_POD,
    namespace: BURST_NS,
    labels: adm.delegateLabels(ML_SOURCE_LABELS, proxyUid, MAIN),
    parentName: PROXY_POD,
    parentNamespace: BURST_NS,
    spec: { ...mlSpec(`${REMOTE}-worker`), name: DELEGATE_POD },
  };
  const labDelegate: adm.Delegate = {
    name: LAB_DELEGATE_POD,
    namespace: BURST_NS,
    labels: adm.delegateLabels({ app: 'etl' }, '5d0c7e9a-3b1f-4c2a-9e8d-7f6a5b4c3d2e', LAB),
    parentName: 'etl-7k2q-x9c4d',
    parentNamespace: BURST_NS,
    spec: { namespace: BURST_NS, name: LAB_DELEGATE_POD, nodeName: `${REMOTE}-worker`, image: 'ghcr.io/hybrid-cloud-burst/etl:2.1.0', container: 'etl' },
  };
  const applied = await applyAll(client, [
    f.controlPlaneNode(`${REMOTE}-control-plane`),
    f.workerNode(`${REMOTE}-worker`, { cpu: '32', memory: '128Gi', pods: '110', 'ephemeral-storage': '500Gi' }),
    f.namespace(BURST_NS),
    f.serviceAccount(BURST_NS),
    f.serviceAccount(BURST_NS, MAIN),
    f.serviceAccount(BURST_NS, LAB),
    adm.source(BURST_NS, MAIN, MAIN),
    adm.source(BURST_NS, LAB, LAB),
    adm.podChaperon(mlDelegate),
    adm.podChaperon(labDelegate),
    istio.istioNamespace('network1'),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'blob-storage', namespace: BURST_NS, labels: { app: 'blob-storage', ...kf.KUBEFED_MANAGED } }, spec: { selector: { app: 'blob-storage' }, ports: [{ port: 10000, targetPort: 10000 }] } },
  ]);
  await applyAll(client, [
    adm.delegatePod(mlDelegate, applied.get(`PodChaperon/${BURST_NS}/${DELEGATE_POD}`)?.metadata.uid),
    adm.delegatePod(labDelegate, applied.get(`PodChaperon/${BURST_NS}/${LAB_DELEGATE_POD}`)?.metadata.uid),
  ]);
}
