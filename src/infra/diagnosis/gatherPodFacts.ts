// Gathers what "Why Is This Pod Failing?" reads, for one pod and (when it is offloaded and a context reaches the
// provider) for the provider's real pod and its ShadowPod, or (for an Admiralty proxy pod) for its delegate in the
// cluster its Target sends to, and (for a delegate) for its proxy pod: the pod, its events, its node, the last lines of
// each container's previous run (or of its terminated run, when there was no restart). Every read is bounded in
// time; a read that fails is reported in the document instead of failing the whole command.
import { KubeApiError } from '../cluster/clusterClient.ts';
import type { AdmiraltyDiagnosis, EventFacts, NodeFacts, PodDiagnosisInput, PodFacts, PodSide, PreviousLogs } from '../../core/diagnosis/podFacts.ts';
import { decodeLogLine } from '../../core/logs/logLine.ts';
import { LogLineSplitter } from '../../core/logs/lineSplitter.ts';
import { logPath } from '../../core/logs/logSource.ts';
import type { ClusterDirectory, ClusterHandle } from '../logs/clusterDirectory.ts';
import { routesForPod } from '../logs/offloadedPodRoutes.ts';
import { followAdmiraltyPod, type AdmiraltyFollow } from '../systems/admiraltyFollow.ts';
import type { Node, Pod } from '../../core/liqo/objects.ts';

const LOG_LINES = 40;
const READ_TIMEOUT_MS = 15_000;

function message(err: unknown): string {
  if (err instanceof KubeApiError) return err.status ? `HTTP ${err.status}: ${err.message}` : err.message;
  return err instanceof Error ? err.message : String(err);
}

async function readLog(h: ClusterHandle, namespace: string, pod: string, container: string, previous: boolean, signal: AbortSignal): Promise<string[]> {
  const res = await h.client.stream(logPath({ context: h.context, namespace, pod }), { container, tailLines: LOG_LINES, ...(previous ? { previous: true } : {}) }, signal);
  const splitter = new LogLineSplitter();
  const lines: string[] = [];
  for await (const chunk of res.body) lines.push(...splitter.push(chunk));
  lines.push(...splitter.flush());
  return lines.map((l) => decodeLogLine(l).text).slice(-LOG_LINES);
}

async function containerLogs(h: ClusterHandle, pod: PodFacts, signal: AbortSignal): Promise<PreviousLogs[]> {
  const ns = pod.metadata.namespace ?? '';
  const out: PreviousLogs[] = [];
  for (const c of pod.status?.containerStatuses ?? []) {
    const restarted = (c.restartCount ?? 0) > 0 || Boolean(c.lastState?.terminated);
    const terminated = Boolean(c.state?.terminated);
    if (!restarted && !terminated) continue;
    try {
      out.push({ container: c.name, lines: await readLog(h, ns, pod.metadata.name, c.name, restarted, signal) });
    } catch (err) {
      out.push({ container: c.name, lines: [], error: message(err) });
    }
  }
  return out;
}

async function side(h: ClusterHandle, namespace: string, name: string, signal: AbortSignal): Promise<PodSide> {
  let pod: PodFacts | undefined;
  try {
    pod = await h.client.get<PodFacts>(`/api/v1/namespaces/${namespace}/pods/${name}`, undefined, signal);
  } catch (err) {
    return { cluster: h.context, pod: undefined, podError: message(err), events: [], logs: [] };
  }
  const [events, node, logs] = await Promise.all([
    h.client
      .list(`/api/v1/namespaces/${namespace}/events`, { fieldSelector: `involvedObject.name=${name}` }, signal)
      .then((l) => l.items as EventFacts[])
      .catch(() => [] as EventFacts[]),
    pod?.spec?.nodeName ? h.client.get<NodeFacts>(`/api/v1/nodes/${pod.spec.nodeName}`, undefined, signal).catch(() => undefined) : Promise.resolve(undefined),
    pod ? containerLogs(h, pod, signal) : Promise.resolve([]),
  ]);
  return { cluster: h.context, pod, events, node, logs };
}

/** The other half of an Admiralty pod, read like the pod itself, or why it is not shown. */
async function admiraltySide(f: AdmiraltyFollow, signal: AbortSignal): Promise<AdmiraltyDiagnosis> {
  const at = f.role === 'proxy' ? f.delegate : f.proxy;
  const other = at ? await side(at.handle, at.namespace, at.name, signal) : undefined;
  return { role: f.role, via: f.via, ...(other ? { other } : {}), ...(f.problem ? { missing: f.problem } : {}) };
}

export async function gatherPodFacts(dir: ClusterDirectory, h: ClusterHandle, namespace: string, name: string, signal: AbortSignal): Promise<PodDiagnosisInput> {
  const s = AbortSignal.any([signal, AbortSignal.timeout(READ_TIMEOUT_MS * 2)]);
  const local = await side(h, namespace, name, s);
  const admiralty = local.pod ? await followAdmiraltyPod(dir, h, local.pod as Pod, local.node as Node | undefined, s) : undefined;
  if (admiralty) return { local, admiralty: await admiraltySide(admiralty, s) };
  const routes = await routesForPod(dir, h, { context: h.context, namespace, pod: name }, s).catch(() => undefined);
  if (!routes?.remoteClusterId) return { local };
  if (!routes.provider) return { local, remoteClusterId: routes.remoteClusterId };
  const p = routes.provider;
  const [remote, shadow] = await Promise.all([
    side(p.handle, p.namespace, name, s),
    p.handle.client.get<{ status?: { phase?: string } }>(`/apis/offloading.liqo.io/v1beta1/namespaces/${p.namespace}/shadowpods/${name}`, undefined, s).catch(() => undefined),
  ]);
  return { local, remoteClusterId: routes.remoteClusterId, remote: { ...remote, ...(shadow?.status?.phase ? { shadowPodPhase: shadow.status.phase } : {}) } };
}
