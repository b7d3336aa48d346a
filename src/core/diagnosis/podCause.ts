// The cause of a pod's failure in plain words, from its facts, most decisive first: a virtual node that lost its
// remote cluster explains everything behind it; then what the containers say (OOMKilled, image pull, crash loop,
// configuration errors, non-zero exits), then the scheduler, then readiness. For an offloaded pod the provider's
// real pod is looked at first, because the consumer's copy only mirrors it; likewise an Admiralty proxy pod's
// delegate, and when the delegate cannot be reached, that (with the cluster's name) is the answer.
import type { ContainerSpecFacts, ContainerStatusFacts, EventFacts, NodeFacts, PodDiagnosisInput, PodFacts, PodSide, TerminatedState } from './podFacts.ts';

export interface PodCause {
  /** One sentence, the document's first line. */
  readonly headline: string;
  /** Short kind, e.g. "OOMKilled", for tests and the title. */
  readonly kind: string;
  /** What to check next. */
  readonly checks: readonly string[];
}

const REMOTE_UNAVAILABLE = 'liqo.io/remote-unavailable';
const VIRTUAL_NODE_TYPE = 'liqo.io/type';

function limitOf(pod: PodFacts | undefined, container: string, resource: string): string | undefined {
  const all: readonly ContainerSpecFacts[] = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])];
  return all.find((c) => c.name === container)?.resources?.limits?.[resource];
}

function statuses(pod: PodFacts | undefined): ContainerStatusFacts[] {
  return [...(pod?.status?.initContainerStatuses ?? []), ...(pod?.status?.containerStatuses ?? [])];
}

function signalName(code: number | undefined): string {
  if (code === 137) return ' (SIGKILL)';
  if (code === 143) return ' (SIGTERM)';
  if (code === 139) return ' (SIGSEGV)';
  if (code === 134) return ' (SIGABRT)';
  return '';
}

function ready(node: NodeFacts | undefined): string | undefined {
  return node?.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

function isVirtual(node: NodeFacts | undefined): boolean {
  return node?.metadata.labels?.[VIRTUAL_NODE_TYPE] === 'virtual-node';
}

function oomCause(side: PodSide, c: ContainerStatusFacts, t: TerminatedState, current: boolean): PodCause {
  const limit = limitOf(side.pod, c.name, 'memory');
  const when = current ? 'was killed' : 'was last killed';
  return {
    kind: 'OOMKilled',
    headline: `Container ${c.name} ${when} for running out of memory (OOMKilled, exit code ${t.exitCode ?? 137})${limit ? `: it used more than its memory limit of ${limit}` : ''}${side.cluster ? ` on ${side.cluster}` : ''}.`,
    checks: [
      limit ? `Raise the memory limit (now ${limit}) of container ${c.name}, or make the workload use less memory.` : `Container ${c.name} has no memory limit: the node itself ran out of memory; set requests and limits that fit the node.`,
      'Read the previous logs below: the last lines show what the container was doing when it was killed.',
      'Check the node or provider cluster for memory pressure (its conditions are below).',
    ],
  };
}

function containerCause(side: PodSide): PodCause | undefined {
  const all = statuses(side.pod);
  // A current OOMKill or failure outranks a waiting reason, which outranks a past one.
  for (const c of all) {
    const t = c.state?.terminated;
    if (t && t.reason === 'OOMKilled') return oomCause(side, c, t, true);
  }
  for (const c of all) {
    const w = c.state?.waiting;
    if (!w?.reason) continue;
    const msg = w.message ? `: ${w.message}` : '';
    if (w.reason === 'ImagePullBackOff' || w.reason === 'ErrImagePull' || w.reason === 'InvalidImageName' || w.reason === 'ErrImageNeverPull') {
      const image = c.image ?? side.pod?.spec?.containers?.find((x) => x.name === c.name)?.image ?? '?';
      return {
        kind: w.reason,
        headline: `The image ${image} of container ${c.name} cannot be pulled (${w.reason})${msg}.`,
        checks: ['Check the image name and tag exist in the registry.', 'Check the pod has an imagePullSecret for a private registry, valid in this cluster (for an offloaded pod: on the provider).'],
      };
    }
    if (w.reason === 'CrashLoopBackOff') {
      const last = c.lastState?.terminated;
      if (last?.reason === 'OOMKilled') return oomCause(side, c, last, false);
      const code = last?.exitCode;
      return {
        kind: 'CrashLoopBackOff',
        headline: `Container ${c.name} keeps crashing (CrashLoopBackOff, ${c.restartCount ?? 0} restarts)${code !== undefined ? `: its last run exited with code ${code}${signalName(code)}${last?.reason ? ` (${last.reason})` : ''}` : ''}.`,
        checks: ['Read the previous logs below: they are the crashed run\'s last words.', 'Check the command, arguments, environment and mounted configuration of the container.'],
      };
    }
    if (/Config|CreateContainer|RunContainer|InvalidImage/.test(w.reason)) {
      return { kind: w.reason, headline: `Container ${c.name} cannot start (${w.reason})${msg}.`, checks: ['Check the ConfigMaps, Secrets and volumes the container refers to exist in the namespace.'] };
    }
  }
  for (const c of all) {
    const t = c.state?.terminated;
    if (t && (t.exitCode ?? 0) !== 0) {
      return {
        kind: t.reason ?? 'Error',
        headline: `Container ${c.name} exited with code ${t.exitCode}${signalName(t.exitCode)}${t.reason ? ` (${t.reason})` : ''}${t.message ? `: ${t.message}` : ''}.`,
        checks: ['Read the container logs below for the error it printed before exiting.'],
      };
    }
  }
  for (const c of all) {
    const t = c.lastState?.terminated;
    if (t?.reason === 'OOMKilled') return oomCause(side, c, t, false);
  }
  return undefined;
}

function warning(events: readonly EventFacts[], reasons: RegExp): EventFacts | undefined {
  return [...events].reverse().find((e) => e.type === 'Warning' && e.reason !== undefined && reasons.test(e.reason));
}

function podLevelCause(side: PodSide): PodCause | undefined {
  const p = side.pod;
  if (!p) return undefined;
  const phase = p.status?.phase ?? 'Unknown';
  const sched = p.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (phase === 'Pending' && sched?.status === 'False') {
    const msg = sched.message ?? warning(side.events, /FailedScheduling/)?.message ?? 'no reason given';
    return {
      kind: 'Unschedulable',
      headline: `The pod cannot be scheduled: ${msg}`,
      checks: ['Compare the pod\'s requests, node selector, affinity and tolerations with the nodes (and the virtual nodes\' capacity).'],
    };
  }
  if (phase === 'Failed' && p.status?.reason) {
    return { kind: p.status.reason, headline: `The pod failed (${p.status.reason})${p.status.message ? `: ${p.status.message}` : ''}.`, checks: ['Check the node\'s conditions and events below.'] };
  }
  const mount = warning(side.events, /FailedMount|FailedAttachVolume/);
  if (phase === 'Pending' && mount) return { kind: mount.reason!, headline: `A volume cannot be mounted: ${mount.message ?? mount.reason}`, checks: ['Check the PersistentVolumeClaims, Secrets and ConfigMaps the pod mounts.'] };
  const readyCond = p.status?.conditions?.find((c) => c.type === 'Ready');
  if (phase === 'Running' && readyCond?.status === 'False') {
    const probe = warning(side.events, /Unhealthy/);
    return {
      kind: 'NotReady',
      headline: `The pod runs but is not Ready${probe?.message ? `: ${probe.message}` : readyCond.message ? `: ${readyCond.message}` : ''}.`,
      checks: ['Check the readiness probe and what the container logs say.'],
    };
  }
  return undefined;
}

function remoteUnreachable(input: PodDiagnosisInput): PodCause | undefined {
  const local = input.local;
  const node = local.node;
  const labelled = local.pod?.metadata.labels?.[REMOTE_UNAVAILABLE] === 'true';
  const vnNotReady = isVirtual(node) && ready(node) !== 'True';
  if (!labelled && !vnNotReady) return undefined;
  const cluster = input.remoteClusterId ?? node?.metadata.name ?? 'the remote cluster';
  return {
    kind: 'RemoteUnavailable',
    headline: `The remote cluster ${cluster} is unreachable: the virtual node ${node?.metadata.name ?? local.pod?.spec?.nodeName ?? '?'} is ${vnNotReady ? 'NotReady' : 'not serving'}${labelled ? ' and Liqo marked the pod remote-unavailable' : ''}, so the pod's real state on ${cluster} cannot be seen from here.`,
    checks: [
      `Check the peering with ${cluster} (its ForeignCluster conditions: API server, network, authentication).`,
      'Check the virtual kubelet Deployment in the tenant namespace and its logs.',
    ],
  };
}

/**
 * The sides looked at, the real pod first: a Liqo provider's pod, an Admiralty proxy pod's delegate (the proxy
 * mirrors it), or, for a delegate, itself before its proxy.
 */
function sidesOf(input: PodDiagnosisInput): PodSide[] {
  if (input.remote?.pod) return [input.remote, input.local];
  const adm = input.admiralty;
  if (adm?.other?.pod) return adm.role === 'proxy' ? [adm.other, input.local] : [input.local, adm.other];
  return [input.local];
}

/** The most decisive cause, or a statement that nothing is failing. */
export function podCause(input: PodDiagnosisInput): PodCause {
  const unreachable = remoteUnreachable(input);
  if (unreachable) return unreachable;
  const sides = sidesOf(input);
  for (const side of sides) {
    const c = containerCause(side);
    if (c) return c;
  }
  for (const side of sides) {
    const c = podLevelCause(side);
    if (c) return c;
  }
  if (!input.local.pod) return { kind: 'NotFound', headline: `The pod could not be read${input.local.podError ? `: ${input.local.podError}` : '.'}`, checks: ['Check the pod still exists (it may have been deleted or replaced).'] };
  if (input.remote && !input.remote.pod && input.remote.podError) {
    return { kind: 'RemoteUnread', headline: `No failure is visible on ${input.local.cluster}, and the provider's pod could not be read: ${input.remote.podError}`, checks: ['Check the provider cluster can be reached with your kubeconfig.'] };
  }
  const adm = input.admiralty;
  if (adm?.role === 'proxy' && adm.missing) {
    return { kind: adm.missing.kind, headline: `No failure is visible on ${input.local.cluster}, where only the proxy pod runs; ${adm.missing.text}.`, checks: adm.missing.checks };
  }
  const phase = input.local.pod.status?.phase ?? 'Unknown';
  const delegate = adm?.role === 'proxy' ? adm.other?.pod : undefined;
  if (delegate && adm?.other && phase !== 'Succeeded') {
    const dPhase = delegate.status?.phase ?? 'Unknown';
    return { kind: 'NoFailure', headline: `No failure found: the proxy pod is ${phase}, and its delegate ${delegate.metadata.name} on ${adm.other.cluster} is ${dPhase}${dPhase === 'Running' ? ' with no container reporting errors' : ''}.`, checks: ['Read the events and logs below for warnings.'] };
  }
  if (phase === 'Succeeded') return { kind: 'Succeeded', headline: 'The pod is not failing: it ran to completion (Succeeded).', checks: [] };
  return { kind: 'NoFailure', headline: `No failure found: the pod is ${phase}${phase === 'Running' ? ' and its containers are not reporting errors' : ''}.`, checks: ['Read the events and logs below for warnings.'] };
}
