// Pods left on a virtual node that can no longer run them: after Unoffload (the namespace is not offloaded any more)
// or Unpeer (the virtual node is gone), Liqo's virtual kubelet marks such a pod Failed with reason OffloadingAborted
// when it had started, Pending with OffloadingBackOff when not (pkg/virtualKubelet/reflection/workload/pod.go,
// forge.LocalRejectedPodStatus). A controller recreates its pods once they are deleted; a bare pod stays as it is.
import type { Pod } from './objects.ts';

export const OFFLOADING_ABORTED = 'OffloadingAborted';
export const OFFLOADING_BACK_OFF = 'OffloadingBackOff';

export interface StrandedPod {
  readonly name: string;
  readonly nodeName: string;
  /** Liqo's reason when it marked the pod, else why it is stranded. */
  readonly why: string;
}

/**
 * The pods of a namespace that is not offloaded (any more) that are still bound to a virtual node, or to a node that
 * no longer exists, or that Liqo marked rejected. `virtualNodes`: names of the virtual nodes; `nodes`: every node
 * name (undefined when not known).
 */
export function strandedPods(pods: readonly Pod[], virtualNodes: ReadonlySet<string>, nodes?: ReadonlySet<string>): StrandedPod[] {
  const out: StrandedPod[] = [];
  for (const p of pods) {
    const nodeName = p.spec?.nodeName;
    if (!nodeName || p.metadata.deletionTimestamp || p.status?.phase === 'Succeeded') continue;
    const reason = p.status?.reason;
    let why: string | undefined;
    if (reason === OFFLOADING_ABORTED || reason === OFFLOADING_BACK_OFF) why = `${p.status?.phase ?? 'Unknown'} · ${reason}`;
    else if (virtualNodes.has(nodeName)) why = `on virtual node ${nodeName}, namespace not offloaded`;
    else if (nodes && !nodes.has(nodeName)) why = `on node ${nodeName}, which no longer exists`;
    if (why) out.push({ name: p.metadata.name, nodeName, why });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
