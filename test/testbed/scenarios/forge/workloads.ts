// Pods (running, or failing with a given reason and exit code through kwok), ShadowPods and Events.
import { EXIT_CODE, FAIL_REASON, FINISHED_AT, STARTED_AT } from '../../kwok-config.ts';
import { VIRTUAL_NODE_TAINT, ago, type Labels, type Obj } from './common.ts';

// --- workloads ---------------------------------------------------------------------------------------------------

export interface PodOptions {
  namespace: string;
  name: string;
  nodeName: string;
  image: string;
  container?: string;
  labels?: Labels;
  annotations?: Labels;
  requests?: Record<string, string>;
  limits?: Record<string, string>;
  tolerations?: object[];
  /** the pod terminates with this reason and exit code instead of running (its container ran between the times) */
  fail?: { reason: string; exitCode: number; startedSecondsAgo: number; finishedSecondsAgo: number };
  ownerReferences?: object[];
}

export function pod(o: PodOptions): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.name,
      namespace: o.namespace,
      labels: o.labels ?? {},
      annotations: {
        ...o.annotations,
        ...(o.fail
          ? {
              [FAIL_REASON]: o.fail.reason,
              [EXIT_CODE]: String(o.fail.exitCode),
              [STARTED_AT]: ago(o.fail.startedSecondsAgo),
              [FINISHED_AT]: ago(o.fail.finishedSecondsAgo),
            }
          : {}),
      },
      ...(o.ownerReferences ? { ownerReferences: o.ownerReferences } : {}),
    },
    spec: podSpec(o),
  };
}

export function podSpec(o: PodOptions): Record<string, unknown> {
  return {
    nodeName: o.nodeName,
    restartPolicy: o.fail ? 'Never' : 'Always',
    containers: [
      {
        name: o.container ?? 'main',
        image: o.image,
        resources: { ...(o.requests ? { requests: o.requests } : {}), ...(o.limits ? { limits: o.limits } : {}) },
      },
    ],
    tolerations: o.tolerations ?? [],
  };
}

export const virtualNodeToleration = { key: VIRTUAL_NODE_TAINT, operator: 'Exists', effect: 'NoExecute' };

/**
 * A ShadowPod on the provider. Liqo's ShadowPod webhook labels it with the user that created it (the consumer's
 * virtual kubelet, authenticated by its identity: `<provider>-<suffix>`, escaped as a label value).
 */
export function shadowPod(ns: string, name: string, spec: Record<string, unknown>, labels: Labels, phase: string, creator: string): Obj {
  const { nodeName: _nodeName, ...rest } = spec;
  return {
    apiVersion: 'offloading.liqo.io/v1beta1',
    kind: 'ShadowPod',
    metadata: { name, namespace: ns, labels: { ...labels, 'liqo.io/creator-user': creator } },
    spec: { pod: rest },
    status: { phase },
  };
}

export interface EventOptions {
  namespace: string;
  involved: { kind: string; name: string; uid?: string; apiVersion?: string; fieldPath?: string };
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  component: string;
  host?: string;
  secondsAgo: number;
  count?: number;
}

export function event(o: EventOptions): Obj {
  const when = ago(o.secondsAgo);
  const suffix = `${o.reason.toLowerCase()}${o.secondsAgo}`;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${o.involved.name}.${suffix}`, namespace: o.namespace },
    involvedObject: { apiVersion: o.involved.apiVersion ?? 'v1', namespace: o.namespace, ...o.involved },
    type: o.type,
    reason: o.reason,
    message: o.message,
    source: { component: o.component, ...(o.host ? { host: o.host } : {}) },
    reportingComponent: o.component,
    reportingInstance: o.host ?? o.component,
    firstTimestamp: when,
    lastTimestamp: when,
    count: o.count ?? 1,
  };
}
