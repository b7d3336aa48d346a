// Many pods' logs at once, across clusters — what stern does, for a federation: every scope (a namespace on one
// cluster: the consumer's namespace and its remote twins on the providers) is listed and watched for pods matching
// the selector; each container of each pod gets its own streamPodLog, and all of them write to one sink with their
// `cluster/pod/container` prefix, in arrival order. Pods that appear later join; pods that are deleted leave.
// An offloaded pod's consumer copy is skipped when its provider's twin namespace is in scope (the real pod's log is
// read there), so no line shows twice.
import { KubeApiError, type WatchEventType } from '../cluster/clusterClient.ts';
import type { StreamEvent } from '../../core/logs/interleave.ts';
import { prefixOf, type LogOptions, type LogTarget } from '../../core/logs/logSource.ts';
import { Backoff, DEFAULT_BACKOFF, type BackoffTuning } from './backoff.ts';
import type { ClusterDirectory, ClusterHandle } from './clusterDirectory.ts';
import { remoteNamespaceOf } from './offloadedPodRoutes.ts';
import { streamPodLog, type PodLogResult } from './podLogStream.ts';

export interface PodScope {
  readonly handle: ClusterHandle;
  readonly namespace: string;
  /** Consumer-side pods on these virtual nodes are skipped (their provider's namespace is another scope). */
  readonly skipNodes?: ReadonlySet<string>;
}

export interface PrefixedSink {
  write(prefix: string, events: readonly StreamEvent[]): void | Promise<void>;
}

export interface MultiPodLogOptions {
  readonly scopes: readonly PodScope[];
  readonly labelSelector?: string | undefined;
  readonly options: LogOptions;
  readonly sink: PrefixedSink;
  readonly signal: AbortSignal;
  readonly backoff?: BackoffTuning;
  /** Called whenever the set of streamed containers changes (the status bar counts them). */
  readonly onActiveChange?: (active: number) => void;
}

interface PodShape {
  metadata: { name: string; uid?: string; deletionTimestamp?: string };
  spec?: { nodeName?: string; containers?: { name: string }[]; initContainers?: { name: string }[] };
  status?: { phase?: string; containerStatuses?: { name: string; state?: { running?: object; terminated?: object } }[] };
}

/** Scopes of a namespace: itself on `origin`, and its remote twins on every provider a context reaches. */
export async function namespaceScopes(dir: ClusterDirectory, origin: ClusterHandle, namespace: string, signal: AbortSignal): Promise<{ scopes: PodScope[]; notes: string[] }> {
  const notes: string[] = [];
  const virtualNodes = new Map<string, string>();
  try {
    const nodes = await origin.client.list('/api/v1/nodes', { labelSelector: 'liqo.io/type=virtual-node' }, signal);
    for (const n of nodes.items as { metadata: { name: string; labels?: Record<string, string> } }[]) virtualNodes.set(n.metadata.name, n.metadata.labels?.['liqo.io/remote-cluster-id'] ?? n.metadata.name);
  } catch {
    /* nodes not readable: no twins are looked for */
  }
  const providerIds = [...new Set(virtualNodes.values())];
  const twins: PodScope[] = [];
  const covered = new Set<string>();
  await Promise.all(
    providerIds.map(async (id) => {
      const remoteNs = await remoteNamespaceOf(origin, namespace, id, signal).catch(() => undefined);
      if (!remoteNs) return;
      const [provider] = await dir.contextsFor(id, signal, origin.context);
      if (!provider) {
        notes.push(`no kubeconfig context reaches the provider ${id}: its pods are read through ${origin.context}`);
        return;
      }
      twins.push({ handle: provider, namespace: remoteNs });
      covered.add(id);
    }),
  );
  const skipNodes = new Set([...virtualNodes].filter(([, id]) => covered.has(id)).map(([node]) => node));
  return { scopes: [{ handle: origin, namespace, skipNodes }, ...twins], notes };
}

function containersOf(p: PodShape): string[] {
  return [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])].map((c) => c.name);
}

/** Whether the container has a log to read yet (it started at least once). */
function started(p: PodShape, container: string): boolean {
  const s = p.status?.containerStatuses?.find((c) => c.name === container)?.state;
  return Boolean(s?.running || s?.terminated);
}

export async function streamManyPods(o: MultiPodLogOptions): Promise<void> {
  const active = new Map<string, AbortController>();
  const done = new Set<string>();
  const runs: Promise<PodLogResult | void>[] = [];
  const changed = () => o.onActiveChange?.(active.size);

  const startContainer = (scope: PodScope, pod: PodShape, container: string) => {
    // The uid in the key: a pod recreated under the same name (a StatefulSet's) joins again.
    const key = `${scope.handle.context}/${scope.namespace}/${pod.metadata.name}/${pod.metadata.uid ?? ''}/${container}`;
    if (active.has(key) || done.has(key)) return;
    const target: LogTarget = { context: scope.handle.context, namespace: scope.namespace, pod: pod.metadata.name, container };
    const prefix = prefixOf(target);
    const ctl = new AbortController();
    active.set(key, ctl);
    changed();
    const signal = AbortSignal.any([o.signal, ctl.signal]);
    const run = (async () => {
      await o.sink.write(prefix, [{ kind: 'joined', detail: `${prefix} joined` }]);
      const r = await streamPodLog({ routes: [{ target, client: scope.handle.client }], options: o.options, sink: { write: (ev) => o.sink.write(prefix, ev) }, signal, ...(o.backoff ? { backoff: o.backoff } : {}) });
      if (!o.signal.aborted) await o.sink.write(prefix, [{ kind: 'left', detail: `${prefix} left${ctl.signal.aborted ? ' (pod deleted)' : r.ended === 'failed' ? ` (${r.error})` : ''}` }]);
      return r;
    })()
      .catch(() => undefined)
      .finally(() => {
        active.delete(key);
        done.add(key);
        changed();
      });
    runs.push(run);
  };

  const stopPod = (scope: PodScope, name: string) => {
    const head = `${scope.handle.context}/${scope.namespace}/${name}/`;
    for (const [key, ctl] of active) if (key.startsWith(head)) ctl.abort();
  };

  const consider = (scope: PodScope, pod: PodShape) => {
    if (scope.skipNodes?.has(pod.spec?.nodeName ?? '')) return;
    if (pod.metadata.deletionTimestamp) return;
    for (const c of containersOf(pod)) if (started(pod, c)) startContainer(scope, pod, c);
  };

  const watchScope = async (scope: PodScope) => {
    const path = `/api/v1/namespaces/${scope.namespace}/pods`;
    const query = o.labelSelector ? { labelSelector: o.labelSelector } : {};
    const backoff = new Backoff(o.backoff ?? DEFAULT_BACKOFF);
    let rv = '';
    const known = new Set<string>();
    while (!o.signal.aborted) {
      try {
        if (!rv) {
          const list = await scope.handle.client.list(path, query, o.signal);
          const names = new Set<string>();
          for (const p of list.items as PodShape[]) {
            names.add(p.metadata.name);
            consider(scope, p);
          }
          for (const n of known) if (!names.has(n)) stopPod(scope, n);
          known.clear();
          for (const n of names) known.add(n);
          rv = list.resourceVersion;
        }
        await scope.handle.client.watch(path, { ...query, resourceVersion: rv, allowWatchBookmarks: true }, {
          onEvent: (type: WatchEventType, obj: unknown) => {
            const p = obj as PodShape & { metadata: { resourceVersion?: string } };
            if (type === 'ERROR') {
              rv = ''; // 410 Gone or another error: list again
              return;
            }
            if (p?.metadata?.resourceVersion) rv = p.metadata.resourceVersion;
            if (type === 'BOOKMARK') return;
            if (type === 'DELETED') {
              known.delete(p.metadata.name);
              stopPod(scope, p.metadata.name);
              return;
            }
            known.add(p.metadata.name);
            consider(scope, p);
          },
          onConnected: () => backoff.reset(),
        }, o.signal);
      } catch (err) {
        if (o.signal.aborted) return;
        if (err instanceof KubeApiError && err.status === 410) rv = '';
        else if (err instanceof KubeApiError && (err.status === 403 || err.status === 404)) {
          await o.sink.write(`${scope.handle.context}/${scope.namespace}`, [{ kind: 'notice', detail: `${scope.handle.context}: cannot watch pods in ${scope.namespace} (${err.message})` }]);
          return;
        } else rv = '';
        try {
          await backoff.wait(o.signal);
        } catch {
          return;
        }
      }
    }
  };

  await Promise.all(o.scopes.map((s) => watchScope(s)));
  await Promise.all(runs);
}
