// The kwok controller's configuration for one cluster: the Stages that play kubelet for nodes and pods, and the
// Logs/ClusterLogs rules that make `pods/log` stream from real files (kwok serves them through its kubelet API,
// following appended lines). Stages are chosen by annotations the scenarios put on nodes and pods:
//   testbed.liqo.io/node-class: worker | virtual | virtual-not-ready  (virtual nodes report Liqo's VK conditions)
//   liqo.io/remote-unavailable=true on a pod: it runs but is not Ready (its remote twin cannot be reached);
//   testbed.liqo.io/fail-reason + testbed.liqo.io/exit-code on a pod: it terminates with that reason and code
//   (testbed.liqo.io/started-at and finished-at set the container's times).
import { stringify } from 'yaml';

export const NODE_CLASS = 'testbed.liqo.io/node-class';
export const FAIL_REASON = 'testbed.liqo.io/fail-reason';
/** Liqo's label on pods whose virtual node lost its remote cluster: kwok runs them, never Ready */
export const REMOTE_UNAVAILABLE = 'liqo.io/remote-unavailable';
export const EXIT_CODE = 'testbed.liqo.io/exit-code';
/** optional RFC 3339 times of the failed container's run (defaults: now), to agree with the scenario's events */
export const STARTED_AT = 'testbed.liqo.io/started-at';
export const FINISHED_AT = 'testbed.liqo.io/finished-at';
/** kwok manages only nodes carrying this annotation. */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

export interface LogRule {
  namespace: string;
  pod: string;
  /** CRI-format log file (one per pod; all containers share it) */
  file: string;
}

export interface CatchAllLogRule {
  name: string;
  namespaces?: string[];
  file: string;
}

type Condition = { type: string; status: string; reason: string; message: string };

const workerConditions: Condition[] = [
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
];

// What Liqo's virtual kubelet posts (pkg/virtualKubelet/liqoNodeProvider/conditions.go, v1.0.1).
const resourcesOk = 'The remote cluster is advertising sufficient resources';
const virtualConditions = (ready: boolean, networkUp: boolean): Condition[] => [
  ready
    ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'The Liqo Virtual Kubelet is posting ready status' }
    : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'The Liqo Virtual Kubelet is currently not ready' },
  { type: 'MemoryPressure', status: 'False', reason: 'RemoteClusterHasSufficientMemory', message: resourcesOk },
  { type: 'DiskPressure', status: 'False', reason: 'RemoteClusterHasNoDiskPressure', message: resourcesOk },
  { type: 'PIDPressure', status: 'False', reason: 'RemoteClusterHasNoPIDPressure', message: resourcesOk },
  networkUp
    ? { type: 'NetworkUnavailable', status: 'False', reason: 'LiqoNetworkingUp', message: 'The Liqo cluster interconnection is established' }
    : { type: 'NetworkUnavailable', status: 'True', reason: 'LiqoNetworkingDown', message: 'The Liqo cluster interconnection is down' },
];

function conditionsTemplate(conditions: Condition[]): string {
  return [
    'conditions:',
    ...conditions.flatMap((c) => [
      `- type: ${c.type}`,
      `  status: "${c.status}"`,
      `  reason: ${c.reason}`,
      `  message: ${JSON.stringify(c.message)}`,
      '  lastHeartbeatTime: {{ $now | Quote }}',
      '  lastTransitionTime: {{ $lastTransitionTime | Quote }}',
    ]),
  ].join('\n');
}

const nodeStatusRest = `
{{ $hasInternalIP := false }}
{{ range .status.addresses }}{{ if eq .type "InternalIP" }}{{ $hasInternalIP = true }}{{ end }}{{ end }}
{{ if not $hasInternalIP }}
addresses:
{{ with NodeIP }}
- address: {{ . | Quote }}
  type: InternalIP
{{ end }}
- address: {{ .metadata.name | Quote }}
  type: Hostname
{{ end }}
{{ with NodePort }}
daemonEndpoints:
  kubeletEndpoint:
    Port: {{ . }}
{{ end }}
allocatable:
{{ with .status.allocatable }}{{ YAML . 1 }}{{ else }}
  cpu: "32"
  memory: 128Gi
  pods: "110"
{{ end }}
capacity:
{{ with .status.capacity }}{{ YAML . 1 }}{{ else }}
  cpu: "32"
  memory: 128Gi
  pods: "110"
{{ end }}
{{ $nodeInfo := .status.nodeInfo }}
nodeInfo:
  architecture: {{ or $nodeInfo.architecture "amd64" }}
  bootID: {{ or $nodeInfo.bootID \`""\` }}
  containerRuntimeVersion: {{ or $nodeInfo.containerRuntimeVersion "containerd://2.1.3" }}
  kernelVersion: {{ or $nodeInfo.kernelVersion "6.12.0" }}
  kubeProxyVersion: {{ or $nodeInfo.kubeProxyVersion "" | Quote }}
  kubeletVersion: {{ or $nodeInfo.kubeletVersion "v1.34.4" }}
  machineID: {{ or $nodeInfo.machineID \`""\` }}
  operatingSystem: {{ or $nodeInfo.operatingSystem "linux" }}
  osImage: {{ or $nodeInfo.osImage "Debian GNU/Linux 12 (bookworm)" | Quote }}
  systemUUID: {{ or $nodeInfo.systemUUID \`""\` }}
phase: Running
`;

function nodeStages(nodeClass: string, conditions: Condition[]): object[] {
  const readyStatus = conditions.find((c) => c.type === 'Ready')?.status ?? 'True';
  const head = '{{ $now := Now }}\n{{ $lastTransitionTime := or .metadata.creationTimestamp $now }}\n';
  const classExpr = { key: `.metadata.annotations["${NODE_CLASS}"]`, operator: 'In', values: [nodeClass] };
  return [
    {
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'Stage',
      metadata: { name: `node-initialize-${nodeClass}` },
      spec: {
        resourceRef: { apiGroup: 'v1', kind: 'Node' },
        selector: {
          matchExpressions: [classExpr, { key: '.status.phase', operator: 'NotIn', values: ['Running'] }],
        },
        next: { statusTemplate: head + conditionsTemplate(conditions) + nodeStatusRest },
      },
    },
    {
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'Stage',
      metadata: { name: `node-heartbeat-${nodeClass}` },
      spec: {
        resourceRef: { apiGroup: 'v1', kind: 'Node' },
        selector: {
          matchExpressions: [
            classExpr,
            { key: '.status.phase', operator: 'In', values: ['Running'] },
            { key: '.status.conditions.[] | select( .type == "Ready" ) | .status', operator: 'In', values: [readyStatus] },
          ],
        },
        // The node lease (renewed by kwok) is the liveness signal; conditions are refreshed now and then.
        delay: { durationMilliseconds: 60_000, jitterDurationMilliseconds: 65_000 },
        next: { statusTemplate: head + conditionsTemplate(conditions) },
      },
    },
  ];
}

const podIps = `
{{ $hostIPs := NodeIPsWith .spec.nodeName }}
{{ with $hostIPs }}
hostIP: {{ index . 0 | Quote }}
hostIPs:
{{ range . }}
- ip: {{ . | Quote }}
{{ end }}
{{ end }}
{{ $podIPs := PodIPsWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) }}
{{ with $podIPs }}
podIP: {{ index . 0 | Quote }}
podIPs:
{{ range . }}
- ip: {{ . | Quote }}
{{ end }}
{{ end }}
`;

const podStages: object[] = [
  {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Stage',
    metadata: { name: 'pod-ready' },
    spec: {
      resourceRef: { apiGroup: 'v1', kind: 'Pod' },
      selector: {
        matchExpressions: [
          { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' },
          { key: `.metadata.annotations["${FAIL_REASON}"]`, operator: 'DoesNotExist' },
          { key: `.metadata.labels["${REMOTE_UNAVAILABLE}"]`, operator: 'DoesNotExist' },
          { key: '.status.phase', operator: 'In', values: ['Pending'] },
          { key: '.status.conditions.[] | select( .type == "Ready" ) | .status', operator: 'NotIn', values: ['True'] },
        ],
      },
      next: {
        statusTemplate: `{{ $now := Now }}
conditions:
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: PodReadyToStartContainers
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: Initialized
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: Ready
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: ContainersReady
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: PodScheduled
containerStatuses:
{{ range .spec.containers }}
- image: {{ .image | Quote }}
  imageID: {{ printf "%s@sha256:%064d" .image 0 | Quote }}
  containerID: {{ printf "containerd://%s" .name | Quote }}
  name: {{ .name | Quote }}
  ready: true
  started: true
  restartCount: 0
  state:
    running:
      startedAt: {{ $now | Quote }}
{{ end }}
${podIps}
phase: Running
startTime: {{ $now | Quote }}
`,
      },
    },
  },
  {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Stage',
    metadata: { name: 'pod-remote-unavailable' },
    spec: {
      resourceRef: { apiGroup: 'v1', kind: 'Pod' },
      selector: {
        matchExpressions: [
          { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' },
          { key: `.metadata.labels["${REMOTE_UNAVAILABLE}"]`, operator: 'Exists' },
          { key: '.status.phase', operator: 'In', values: ['Pending'] },
        ],
      },
      next: {
        statusTemplate: `{{ $now := Now }}
conditions:
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: Initialized
- lastTransitionTime: {{ $now | Quote }}
  status: "False"
  reason: NodeNotReady
  message: The virtual node of this pod is not ready
  type: Ready
- lastTransitionTime: {{ $now | Quote }}
  status: "False"
  type: ContainersReady
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: PodScheduled
containerStatuses:
{{ range .spec.containers }}
- image: {{ .image | Quote }}
  name: {{ .name | Quote }}
  ready: false
  started: true
  restartCount: 0
  state:
    running:
      startedAt: {{ $now | Quote }}
{{ end }}
${podIps}
phase: Running
startTime: {{ $now | Quote }}
`,
      },
    },
  },
  {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Stage',
    metadata: { name: 'pod-failed' },
    spec: {
      resourceRef: { apiGroup: 'v1', kind: 'Pod' },
      selector: {
        matchExpressions: [
          { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' },
          { key: `.metadata.annotations["${FAIL_REASON}"]`, operator: 'Exists' },
          { key: '.status.phase', operator: 'In', values: ['Pending'] },
        ],
      },
      next: {
        statusTemplate: `{{ $now := Now }}
{{ $reason := index .metadata.annotations "${FAIL_REASON}" }}
{{ $code := index .metadata.annotations "${EXIT_CODE}" }}
{{ $started := or (index .metadata.annotations "${STARTED_AT}") $now }}
{{ $finished := or (index .metadata.annotations "${FINISHED_AT}") $now }}
conditions:
- lastTransitionTime: {{ $now | Quote }}
  status: "False"
  type: PodReadyToStartContainers
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: Initialized
- lastTransitionTime: {{ $now | Quote }}
  status: "False"
  reason: PodFailed
  type: Ready
- lastTransitionTime: {{ $now | Quote }}
  status: "False"
  reason: PodFailed
  type: ContainersReady
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: PodScheduled
containerStatuses:
{{ range .spec.containers }}
- image: {{ .image | Quote }}
  imageID: {{ printf "%s@sha256:%064d" .image 0 | Quote }}
  containerID: {{ printf "containerd://%s" .name | Quote }}
  name: {{ .name | Quote }}
  ready: false
  started: false
  restartCount: 0
  state:
    terminated:
      exitCode: {{ or $code "1" }}
      reason: {{ or $reason "Error" | Quote }}
      startedAt: {{ $started | Quote }}
      finishedAt: {{ $finished | Quote }}
{{ end }}
${podIps}
phase: Failed
startTime: {{ $started | Quote }}
`,
      },
    },
  },
  {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Stage',
    metadata: { name: 'pod-delete' },
    spec: {
      resourceRef: { apiGroup: 'v1', kind: 'Pod' },
      selector: { matchExpressions: [{ key: '.metadata.deletionTimestamp', operator: 'Exists' }] },
      next: { delete: true },
    },
  },
];

export function renderKwokConfig(logs: LogRule[], catchAll: CatchAllLogRule[]): string {
  const docs: object[] = [
    ...nodeStages('worker', workerConditions),
    ...nodeStages('virtual', virtualConditions(true, true)),
    ...nodeStages('virtual-not-ready', virtualConditions(false, false)),
    ...podStages,
    ...logs.map((l) => ({
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'Logs',
      metadata: { name: l.pod, namespace: l.namespace },
      spec: { logs: [{ logsFile: l.file, follow: true }] },
    })),
    ...catchAll.map((c) => ({
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'ClusterLogs',
      metadata: { name: c.name },
      spec: { selector: c.namespaces ? { matchNamespaces: c.namespaces } : {}, logs: [{ logsFile: c.file, follow: true }] },
    })),
  ];
  return docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}
