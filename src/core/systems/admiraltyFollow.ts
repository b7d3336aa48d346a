// Following an Admiralty pod to its other half, as pure decisions: what a pod is to Admiralty (a proxy pod in the
// sending cluster, or a delegate pod in the target cluster), which kubeconfig context the proxy's Target reaches
// (its kubeconfig's server and CA against the user's contexts), which listed pod is the delegate, and, when the
// other half cannot be reached, why in plain words with the next step. The reads are infra's
// (infra/systems/admiraltyFollow.ts); the shapes and names are Admiralty v0.17.0's (see admiralty.ts).
import type { Node, Pod } from '../liqo/objects.ts';
import { LABEL_PARENT_UID, delegateParent, delegateSelector, isProxyPod, targetRefKey, virtualNodeTarget, type DelegateParent, type TargetRef, type TargetView } from './admiralty.ts';
import { matchEndpoint, type ContextEndpoint, type EndpointResult } from './endpoint.ts';

/** What a pod is to Admiralty; undefined for a pod Admiralty did not make. */
export type AdmiraltyRole =
  | { readonly kind: 'proxy'; readonly uid: string; /** absent while it is not bound to an Admiralty virtual node */ readonly target?: TargetRef }
  | { readonly kind: 'delegate'; readonly parent: DelegateParent };

export function admiraltyRole(pod: Pod & { readonly spec?: Pod['spec'] & { readonly schedulerName?: string } }, node: Node | undefined): AdmiraltyRole | undefined {
  if (isProxyPod(pod)) {
    const target = node ? virtualNodeTarget(node) : undefined;
    return { kind: 'proxy', uid: pod.metadata.uid ?? '', ...(target ? { target } : {}) };
  }
  const parent = delegateParent(pod);
  return parent ? { kind: 'delegate', parent } : undefined;
}

export function targetText(t: TargetRef): string {
  return `${t.kind} ${targetRefKey(t)}`;
}

/** The API path of a Target or ClusterTarget (the CRDs are served at v1alpha1). */
export function targetPath(t: TargetRef): string {
  const base = '/apis/multicluster.admiralty.io/v1alpha1';
  return t.kind === 'ClusterTarget' ? `${base}/clustertargets/${t.name}` : `${base}/namespaces/${t.namespace ?? ''}/targets/${t.name}`;
}

/** Why the other half of an Admiralty pod is not shown: one sentence, and what to do next. */
export interface FollowProblem {
  readonly kind: 'NotBound' | 'TargetUnread' | 'NoKubeconfig' | 'CaDiffers' | 'NotConnected' | 'NoDelegate' | 'DelegateUnread' | 'ProxyUnknown';
  readonly text: string;
  readonly checks: readonly string[];
}

/** Where a proxy pod's delegate is: the context to read, or why there is none. */
export type DelegateContext = { readonly kind: 'context'; readonly context: string } | { readonly kind: 'problem'; readonly problem: FollowProblem };

const IMPORT_STEP = 'Import that cluster\'s kubeconfig (Liqo: Add Kubeconfig File…), then run this again: the explorer reads the delegate pod through it.';

/**
 * The context a proxy pod's Target reaches. `target` is the decoded Target with the endpoint read out of its
 * kubeconfig Secret (or why not); `own` is the proxy's own context (a `self` Target sends to its own cluster);
 * `connected` tells whether a context has a client to read with.
 */
export function delegateContext(
  proxy: { readonly namespace: string; readonly name: string },
  target: (TargetView & { readonly endpoint?: EndpointResult }) | { readonly ref: TargetRef; readonly unread: string },
  contexts: readonly ContextEndpoint[],
  own: string,
  connected: (context: string) => boolean,
): DelegateContext {
  const problem = (kind: FollowProblem['kind'], text: string, checks: readonly string[]): DelegateContext => ({ kind: 'problem', problem: { kind, text, checks } });
  const pod = `proxy pod ${proxy.namespace}/${proxy.name}`;
  if ('unread' in target) {
    return problem('TargetUnread', `the ${targetText(target.ref)} that ${pod} is bound to could not be read on ${own} (${target.unread}), so where its delegate runs is not known`, [`Check that ${targetText(target.ref)} still exists on ${own} and that your context may read it.`]);
  }
  const what = targetText(target);
  if (target.problem) return problem('TargetUnread', `${what} on ${own} is not usable: ${target.problem}`, [`Fix ${what}'s spec on ${own}.`]);
  if (target.self) return { kind: 'context', context: own };
  const ep = target.endpoint;
  if (!ep) return problem('TargetUnread', `the kubeconfig Secret of ${what} on ${own} is not read yet`, ['Run this again in a moment.']);
  if (!ep.ok) return problem('TargetUnread', `${what} on ${own}: ${ep.problem}`, [`Check the kubeconfig Secret ${target.secret ? `${target.secret.namespace}/${target.secret.name}` : ''} that ${what} names.`]);
  const m = matchEndpoint(ep.endpoint, contexts);
  if (m.kind === 'none') {
    return problem('NoKubeconfig', `the delegate of ${pod} runs on the cluster ${what} sends to (${ep.endpoint.server}), which is in no kubeconfig: its real state cannot be read from here`, [IMPORT_STEP]);
  }
  if (m.kind === 'ca-differs') {
    return problem('CaDiffers', `${what} sends to ${ep.endpoint.server}, the server of context ${m.context}, but with another CA: it is not taken for the same cluster`, [`Check which cluster ${what}'s kubeconfig Secret really points at; if it is ${m.context}'s, import a kubeconfig with its current CA.`]);
  }
  if (!connected(m.context)) {
    return problem('NotConnected', `the delegate of ${pod} runs on ${m.context} (${what}), which is not connected yet`, [`Expand ${m.context} in the Liqo view so that it connects, then run this again.`]);
  }
  return { kind: 'context', context: m.context };
}

interface ListedPod extends Pod {
  readonly metadata: Pod['metadata'] & { readonly deletionTimestamp?: string; readonly creationTimestamp?: string };
}

/**
 * The delegate among the pods listed by delegateSelector: one carrying the proxy's UID, preferring one not being
 * deleted, then the newest (a rescheduled delegate replaces the old one under a new name).
 */
export function chooseDelegate<P extends ListedPod>(pods: readonly P[], proxyUid: string): P | undefined {
  const mine = pods.filter((p) => p.metadata.labels?.[LABEL_PARENT_UID] === proxyUid);
  const rank = (p: P) => (p.metadata.deletionTimestamp ? 1 : 0);
  return [...mine].sort((a, b) => rank(a) - rank(b) || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))[0];
}

export function noDelegate(proxy: { readonly namespace: string; readonly name: string; readonly uid: string }, context: string): FollowProblem {
  return {
    kind: 'NoDelegate',
    text: `Admiralty has no delegate of proxy pod ${proxy.namespace}/${proxy.name} on ${context}: no pod in namespace ${proxy.namespace} there carries ${delegateSelector(proxy.uid)}`,
    checks: [
      `Check the PodChaperon of ${proxy.name} in namespace ${proxy.namespace} on ${context} and its events (the delegate is made from it).`,
      `Check that a Source on ${context} admits the sending cluster, and the logs of Admiralty's controller manager on both clusters.`,
    ],
  };
}

export function notBound(proxy: { readonly namespace: string; readonly name: string }, own: string): FollowProblem {
  return {
    kind: 'NotBound',
    text: `proxy pod ${proxy.namespace}/${proxy.name} is not bound to an Admiralty virtual node on ${own} yet: Admiralty has not chosen a target cluster for it`,
    checks: ['Check the Targets in the Admiralty folder answer, and the pod\'s events (the proxy scheduler says why no target fits).'],
  };
}

/** A delegate's proxy pod: which context holds a pod with the parent's namespace, name and UID, or why none. */
export function proxyProblem(parent: DelegateParent, contextsAsked: readonly string[]): FollowProblem {
  const asked = contextsAsked.length ? ` (asked: ${contextsAsked.join(', ')})` : '';
  return {
    kind: 'ProxyUnknown',
    text: `its proxy pod ${parent.namespace}/${parent.name} was sent by cluster ${parent.clusterName}, and no connected kubeconfig context holds a pod with its UID ${parent.uid}${asked}`,
    checks: [`Import the kubeconfig of cluster ${parent.clusterName} (Liqo: Add Kubeconfig File…) to see the proxy pod; if it is imported, expand it in the Liqo view so that it connects.`],
  };
}
