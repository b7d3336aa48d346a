// The probe pod of Verify Offloading…: short-lived, and able to run only on a virtual node (node affinity on
// liqo.io/type=virtual-node, and the toleration of virtual-node.liqo.io/not-allowed that Liqo's virtual nodes
// carry). It prints where it runs a few times and exits, so its logs show the remote side answering.

export const VIRTUAL_NODE_TYPE_LABEL = 'liqo.io/type';
export const VIRTUAL_NODE_TYPE = 'virtual-node';
export const VIRTUAL_NODE_TAINT = 'virtual-node.liqo.io/not-allowed';
export const PROBE_LABEL = 'liqo.io/vscode-probe';
export const DEFAULT_PROBE_IMAGE = 'busybox:1.36';

export interface ProbePodOptions {
  readonly namespace: string;
  /** A suffix that makes the name unique (time or random), lower-case alphanumerics. */
  readonly suffix: string;
  readonly image?: string;
  /** Seconds the probe keeps printing before it exits. */
  readonly seconds?: number;
  /** Pin to one virtual node (hostname label); undefined: any virtual node. */
  readonly nodeName?: string;
}

export function probePodName(suffix: string): string {
  return `liqo-offloading-probe-${suffix}`.slice(0, 63).replace(/-+$/, '');
}

export function probePodManifest(o: ProbePodOptions): Record<string, unknown> {
  const seconds = Math.max(1, Math.min(600, Math.round(o.seconds ?? 30)));
  const expressions: Array<Record<string, unknown>> = [{ key: VIRTUAL_NODE_TYPE_LABEL, operator: 'In', values: [VIRTUAL_NODE_TYPE] }];
  if (o.nodeName) expressions.push({ key: 'kubernetes.io/hostname', operator: 'In', values: [o.nodeName] });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: probePodName(o.suffix),
      namespace: o.namespace,
      labels: { [PROBE_LABEL]: 'true', 'app.kubernetes.io/managed-by': 'liqo-vscode' },
    },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 1,
      activeDeadlineSeconds: seconds + 120,
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: expressions }] } } },
      tolerations: [{ key: VIRTUAL_NODE_TAINT, operator: 'Exists', effect: 'NoExecute' }],
      containers: [
        {
          name: 'probe',
          image: o.image ?? DEFAULT_PROBE_IMAGE,
          command: ['sh', '-c', `for i in $(seq 1 ${seconds}); do echo "liqo probe $i/${seconds} on $(hostname)"; sleep 1; done`],
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
        },
      ],
    },
  };
}

export interface ProbePlacement {
  readonly phase: string;
  readonly nodeName?: string;
  /** Whether the node is one of the given virtual nodes. */
  readonly onVirtualNode: boolean;
  /** Scheduling trouble (PodScheduled False) or a container's waiting reason, for the report. */
  readonly problem?: string;
}

interface PodLike {
  spec?: { nodeName?: string };
  status?: {
    phase?: string;
    conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }>;
    containerStatuses?: Array<{ state?: { waiting?: { reason?: string; message?: string } } }>;
  };
}

export function probePlacement(pod: unknown, virtualNodeNames: ReadonlySet<string>): ProbePlacement {
  const p = (pod ?? {}) as PodLike;
  const nodeName = p.spec?.nodeName;
  const unscheduled = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  const waiting = p.status?.containerStatuses?.map((c) => c.state?.waiting).find((w) => w?.reason && w.reason !== 'ContainerCreating');
  const problem = unscheduled
    ? `not scheduled: ${[unscheduled.reason, unscheduled.message].filter((x) => x).join(': ')}`
    : waiting
      ? `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`
      : undefined;
  return {
    phase: p.status?.phase ?? 'Pending',
    ...(nodeName ? { nodeName } : {}),
    onVirtualNode: nodeName !== undefined && virtualNodeNames.has(nodeName),
    ...(problem ? { problem } : {}),
  };
}
