// Verify Offloading… as an operation: a short-lived probe pod that can only run on a virtual node is created in the
// offloaded namespace, followed by watch until it runs (or cannot be scheduled), its remote side looked up on the
// provider (the ShadowPod and the pod Liqo made of it in the twin namespace), its log streamed through the
// consumer (the virtual kubelet answers; the provider directly when that path fails), and the probe deleted at the
// end — after success, failure or cancel alike — and followed until it is gone.
import type { ClusterClient } from '../cluster/clusterClient.ts';
import { applyObject, deleteObject } from '../writes/applyObject.ts';
import { followObject, followUntilGone } from './followObject.ts';
import { streamPodLog, type LogRoute } from '../logs/podLogStream.ts';
import { linesOf } from '../../core/logs/interleave.ts';
import { probePlacement, probePodManifest, probePodName, VIRTUAL_NODE_TYPE, VIRTUAL_NODE_TYPE_LABEL, type ProbePlacement } from '../../core/offloading/probePod.ts';
import { offloadingProgress } from '../../core/offloading/offloadingPhase.ts';
import { namespaceOffloadingPath } from '../../core/offloading/namespaceOffloading.ts';

const REMOTE_CLUSTER_ID_LABEL = 'liqo.io/remote-cluster-id';

export interface VerifyTarget {
  readonly context: string;
  readonly client: ClusterClient;
  readonly namespace: string;
  /** A client for the provider with this cluster ID, when a kubeconfig context reaches it. */
  readonly providerFor: (clusterId: string, signal: AbortSignal) => Promise<{ context: string; client: ClusterClient } | undefined>;
}

export interface VerifyOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (message: string) => void;
  /** Each log line of the probe, as it arrives. */
  readonly onLogLine?: (text: string) => void;
  /** How long the probe's log is followed (default 10 s). */
  readonly logSeconds?: number;
  /** How long the probe may take to run (default 2 min). */
  readonly startTimeoutMs?: number;
  readonly image?: string;
  /** Unique suffix of the probe's name (default: time-based). */
  readonly suffix?: string;
}

export interface RemoteSide {
  readonly clusterId: string;
  readonly context?: string;
  readonly namespace?: string;
  readonly shadowPod: boolean;
  readonly podPhase?: string;
  readonly podNode?: string;
}

export interface VerifyReport {
  readonly podName: string;
  readonly placement: ProbePlacement;
  readonly remote?: RemoteSide;
  readonly logLines: number;
  /** One sentence per finding, for the log and the notification. */
  readonly findings: string[];
  readonly ok: boolean;
  readonly deleted: boolean;
  readonly cancelled: boolean;
}

async function virtualNodes(client: ClusterClient, signal: AbortSignal): Promise<Map<string, string>> {
  const list = await client.list('/api/v1/nodes', { labelSelector: `${VIRTUAL_NODE_TYPE_LABEL}=${VIRTUAL_NODE_TYPE}` }, signal);
  const out = new Map<string, string>();
  for (const n of list.items) {
    const m = (n as { metadata?: { name?: string; labels?: Record<string, string> } }).metadata;
    if (m?.name) out.set(m.name, m.labels?.[REMOTE_CLUSTER_ID_LABEL] ?? m.name);
  }
  return out;
}

export async function verifyOffloading(t: VerifyTarget, o: VerifyOptions = {}): Promise<VerifyReport> {
  const signal = o.signal ?? new AbortController().signal;
  const suffix = o.suffix ?? Date.now().toString(36);
  const name = probePodName(suffix);
  const podsPath = `/api/v1/namespaces/${encodeURIComponent(t.namespace)}/pods`;
  const findings: string[] = [];
  const nodes = await virtualNodes(t.client, signal);
  if (nodes.size === 0) throw new Error(`${t.context} has no virtual node: peer it with a provider first (Peer Clusters…), then verify again.`);
  const offloading = offloadingProgress(await t.client.get(namespaceOffloadingPath(t.namespace), {}, signal).catch(() => undefined));
  o.onProgress?.(`creating probe pod ${name}`);
  await applyObject(t.client, `${podsPath}/${name}`, probePodManifest({ namespace: t.namespace, suffix, ...(o.image ? { image: o.image } : {}) }), { signal });
  let placement: ProbePlacement = { phase: 'Pending', onVirtualNode: false };
  let remote: RemoteSide | undefined;
  let logLines = 0;
  let deleted = false;
  try {
    const started = await followObject(
      t.client,
      podsPath,
      name,
      (pod) => {
        if (pod === undefined) return 'gone' as const;
        placement = probePlacement(pod, new Set(nodes.keys()));
        o.onProgress?.(`probe ${placement.phase}${placement.nodeName ? ` on ${placement.nodeName}` : ''}${placement.problem ? ` (${placement.problem})` : ''}`);
        return placement.phase === 'Pending' ? undefined : ('settled' as const);
      },
      { signal, timeoutMs: o.startTimeoutMs ?? 120_000 },
    );
    if (!started.settled) {
      if (started.reason === 'aborted') findings.push('Cancelled before the probe ran.');
      else findings.push(`The probe did not start within ${Math.round((o.startTimeoutMs ?? 120_000) / 1000)} s${placement.problem ? `: ${placement.problem}` : ''}.`);
    } else if (started.value === 'gone') {
      findings.push('The probe pod was deleted by someone else before it ran.');
    }
    if (placement.nodeName) {
      findings.push(placement.onVirtualNode ? `Scheduled on virtual node ${placement.nodeName} (phase ${placement.phase}).` : `Scheduled on ${placement.nodeName}, which is not a virtual node.`);
    }
    const clusterId = placement.nodeName ? nodes.get(placement.nodeName) : undefined;
    if (clusterId && !signal.aborted) {
      remote = await remoteSide(t, clusterId, offloading.remoteNamespaceName, name, signal, o.onProgress);
      findings.push(
        remote.context
          ? `On ${remote.context} (cluster ID ${clusterId}), namespace ${remote.namespace ?? '?'}: ${remote.shadowPod ? 'ShadowPod present' : 'no ShadowPod'}; pod ${remote.podPhase ? `${remote.podPhase}${remote.podNode ? ` on ${remote.podNode}` : ''}` : 'not found'}.`
          : `No kubeconfig context reaches cluster ${clusterId}: the remote side could not be checked.`,
      );
    }
    if (placement.onVirtualNode && placement.phase === 'Running' && !signal.aborted) {
      o.onProgress?.('streaming the probe log');
      logLines = await streamProbeLog(t, name, remote, o, signal);
      findings.push(logLines > 0 ? `${logLines} log line(s) came back through ${t.context}.` : 'No log line came back.');
    }
  } finally {
    // Always, cancelled or not: a fresh signal, since the caller's may be the reason we are here.
    o.onProgress?.(`deleting probe pod ${name}`);
    const cleanup = AbortSignal.timeout(60_000);
    try {
      await deleteObject(t.client, `${podsPath}/${name}`, { signal: cleanup });
      const gone = await followUntilGone(t.client, podsPath, name, { signal: cleanup, timeoutMs: 60_000 });
      deleted = gone.settled;
    } catch {
      deleted = false;
    }
  }
  if (!deleted) findings.push(`The probe pod ${name} could not be deleted: delete it by hand in ${t.namespace}.`);
  const cancelled = signal.aborted;
  const ok = !cancelled && placement.onVirtualNode && placement.phase === 'Running' && (remote?.shadowPod ?? false) && logLines > 0;
  return { podName: name, placement, ...(remote ? { remote } : {}), logLines, findings, ok, deleted, cancelled };
}

async function remoteSide(t: VerifyTarget, clusterId: string, remoteNamespace: string | undefined, name: string, signal: AbortSignal, onProgress?: (m: string) => void): Promise<RemoteSide> {
  const provider = await t.providerFor(clusterId, signal);
  if (!provider || !remoteNamespace) return { clusterId, ...(provider ? { context: provider.context } : {}), shadowPod: false };
  onProgress?.(`looking at ${provider.context}`);
  const ns = encodeURIComponent(remoteNamespace);
  const shadow = await followObject(provider.client, `/apis/offloading.liqo.io/v1beta1/namespaces/${ns}/shadowpods`, name, (s) => (s === undefined ? undefined : true), { signal, timeoutMs: 30_000 });
  let podPhase: string | undefined;
  let podNode: string | undefined;
  await followObject(
    provider.client,
    `/api/v1/namespaces/${ns}/pods`,
    name,
    (p) => {
      const pod = p as { spec?: { nodeName?: string }; status?: { phase?: string } } | undefined;
      podPhase = pod?.status?.phase;
      podNode = pod?.spec?.nodeName;
      return podPhase === 'Running' || podPhase === 'Succeeded' || podPhase === 'Failed' ? true : undefined;
    },
    { signal, timeoutMs: 30_000 },
  );
  return { clusterId, context: provider.context, namespace: remoteNamespace, shadowPod: shadow.settled, ...(podPhase ? { podPhase } : {}), ...(podNode ? { podNode } : {}) };
}

async function streamProbeLog(t: VerifyTarget, name: string, remote: RemoteSide | undefined, o: VerifyOptions, signal: AbortSignal): Promise<number> {
  const routes: LogRoute[] = [{ target: { context: t.context, namespace: t.namespace, pod: name }, client: t.client, label: `through ${t.context}'s virtual kubelet` }];
  const provider = remote?.context ? await t.providerFor(remote.clusterId, signal) : undefined;
  if (provider && remote?.namespace) routes.push({ target: { context: provider.context, namespace: remote.namespace, pod: name }, client: provider.client, label: `directly from ${provider.context}` });
  const window = AbortSignal.any([signal, AbortSignal.timeout((o.logSeconds ?? 10) * 1000)]);
  let lines = 0;
  await streamPodLog({
    routes,
    options: { follow: true, previous: false, timestamps: false, tailLines: 50 },
    signal: window,
    maxFailures: 3,
    sink: {
      write: (events) => {
        for (const e of events) {
          // single lines and whole blocks of them (the pipeline's fast path) alike
          for (const line of linesOf(e)) {
            lines++;
            o.onLogLine?.(line.text);
          }
          if (e.kind === 'notice') o.onLogLine?.(`[${e.detail}]`);
        }
      },
    },
  });
  return lines;
}
