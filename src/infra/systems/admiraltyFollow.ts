// Follows an Admiralty pod to its other half through the user's kubeconfig contexts, for "Why Is This Pod Failing?"
// and Stream Logs…: a proxy pod → its virtual node's Target → the Target's kubeconfig Secret (only its server and CA
// are kept) → the context with that server and CA → the delegate pod there (listed by the parent-uid label); a
// delegate pod → the context holding a pod with its parent's namespace, name and UID. Every read is bounded in time;
// what cannot be reached is answered in plain words (core/systems/admiraltyFollow.ts), never waited for.
import { KubeApiError } from '../cluster/clusterClient.ts';
import type { Node, Pod } from '../../core/liqo/objects.ts';
import { decodeTarget, delegateSelector, type AdmiraltyTargetObject, type DelegateParent, type TargetRef } from '../../core/systems/admiralty.ts';
import { admiraltyRole, chooseDelegate, delegateContext, noDelegate, notBound, proxyProblem, targetPath, targetText, type FollowProblem } from '../../core/systems/admiraltyFollow.ts';
import { endpointOfKubeconfig, secretValue, type EndpointResult } from '../../core/systems/endpoint.ts';
import type { ClusterDirectory, ClusterHandle } from '../logs/clusterDirectory.ts';

const READ_TIMEOUT_MS = 10_000;

export interface PodAt {
  readonly handle: ClusterHandle;
  readonly namespace: string;
  readonly name: string;
}

export type AdmiraltyFollow =
  | { readonly role: 'proxy'; readonly uid: string; readonly target?: TargetRef; readonly via: string; readonly delegate?: PodAt; readonly problem?: FollowProblem }
  | { readonly role: 'delegate'; readonly parent: DelegateParent; readonly via: string; readonly proxy?: PodAt; readonly problem?: FollowProblem };

type PodLike = Pod & { readonly spec?: Pod['spec'] & { readonly schedulerName?: string } };

function message(err: unknown): string {
  if (err instanceof KubeApiError) return err.status ? `HTTP ${err.status}: ${err.message}` : err.message;
  return err instanceof Error ? err.message : String(err);
}

function bounded(signal: AbortSignal): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(READ_TIMEOUT_MS)]);
}

/** The Target's kubeconfig endpoint: the Secret is read, reduced to server and CA at once, and dropped. */
async function targetEndpoint(h: ClusterHandle, secret: { namespace: string; name: string; key: string; context?: string }, signal: AbortSignal): Promise<EndpointResult> {
  try {
    const s = await h.client.get<{ data?: Record<string, string> }>(`/api/v1/namespaces/${secret.namespace}/secrets/${secret.name}`, undefined, bounded(signal));
    const text = s ? secretValue(s, secret.key) : undefined;
    if (text === undefined) return { ok: false, problem: `its Secret ${secret.namespace}/${secret.name} has no key ${secret.key}` };
    return endpointOfKubeconfig(text, secret.context);
  } catch (err) {
    return { ok: false, problem: `its Secret ${secret.namespace}/${secret.name} could not be read (${message(err)})` };
  }
}

async function followProxy(dir: ClusterDirectory, h: ClusterHandle, pod: PodLike, uid: string, target: TargetRef | undefined, signal: AbortSignal): Promise<AdmiraltyFollow> {
  const proxy = { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name, uid };
  if (!target) return { role: 'proxy', uid, via: 'no Admiralty target yet', problem: notBound(proxy, h.context) };
  const via = targetText(target);
  let decoded: Parameters<typeof delegateContext>[1];
  try {
    const obj = await h.client.get<AdmiraltyTargetObject>(targetPath(target), undefined, bounded(signal));
    const t = decodeTarget(obj as AdmiraltyTargetObject, target.kind);
    decoded = t.secret ? { ...t, endpoint: await targetEndpoint(h, t.secret, signal) } : t;
  } catch (err) {
    decoded = { ref: target, unread: message(err) };
  }
  const where = delegateContext(proxy, decoded, dir.endpoints(), h.context, (c) => c === h.context || dir.handle(c) !== undefined);
  if (where.kind === 'problem') return { role: 'proxy', uid, target, via, problem: where.problem };
  const at = where.context === h.context ? h : dir.handle(where.context)!;
  try {
    const list = await at.client.list(`/api/v1/namespaces/${proxy.namespace}/pods`, { labelSelector: delegateSelector(uid) }, bounded(signal));
    const d = chooseDelegate(list.items as PodLike[], uid);
    if (!d) return { role: 'proxy', uid, target, via, problem: noDelegate(proxy, at.context) };
    return { role: 'proxy', uid, target, via, delegate: { handle: at, namespace: d.metadata.namespace ?? proxy.namespace, name: d.metadata.name } };
  } catch (err) {
    return {
      role: 'proxy',
      uid,
      target,
      via,
      problem: { kind: 'DelegateUnread', text: `the delegate's cluster ${at.context} (${via}) could not be read: ${message(err)}`, checks: [`Check that ${at.context} answers (its row in the Liqo view), then run this again.`] },
    };
  }
}

async function followDelegate(dir: ClusterDirectory, h: ClusterHandle, parent: DelegateParent, signal: AbortSignal): Promise<AdmiraltyFollow> {
  const via = `proxy pod ${parent.namespace}/${parent.name} of cluster ${parent.clusterName}`;
  // The sender is another cluster, or this one (a `self` Target): the others are asked first, all at once.
  const candidates = [...dir.all().filter((c) => c.context !== h.context), h];
  const found = await Promise.all(
    candidates.map(async (c) => {
      try {
        const p = await c.client.get<PodLike>(`/api/v1/namespaces/${parent.namespace}/pods/${parent.name}`, undefined, bounded(signal));
        return p?.metadata.uid === parent.uid;
      } catch {
        return false; // not there, or not reachable: not this one
      }
    }),
  );
  const i = found.indexOf(true);
  const home = i >= 0 ? candidates[i] : undefined;
  if (!home) return { role: 'delegate', parent, via, problem: proxyProblem(parent, candidates.map((c) => c.context)) };
  return { role: 'delegate', parent, via, proxy: { handle: home, namespace: parent.namespace, name: parent.name } };
}

/** The other half of `pod` (read on `h`, bound to `node`), or undefined for a pod Admiralty did not make. */
export async function followAdmiraltyPod(dir: ClusterDirectory, h: ClusterHandle, pod: PodLike, node: Node | undefined, signal: AbortSignal): Promise<AdmiraltyFollow | undefined> {
  const role = admiraltyRole(pod, node);
  if (!role) return undefined;
  if (role.kind === 'proxy') return followProxy(dir, h, pod, role.uid, role.target, signal);
  return followDelegate(dir, h, role.parent, signal);
}
