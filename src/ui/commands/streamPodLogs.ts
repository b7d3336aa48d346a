// liqo.pod.streamLogs: a pod's (or a ShadowPod's real pod's) log in a view, with the options chosen; an offloaded
// pod is read through the consumer's virtual kubelet and falls back to the provider by itself, also mid-stream when
// that path goes silent and does not answer within liqo.connectionTimeoutSeconds. An Admiralty proxy pod is read
// from its delegate (named in the view's header), falling back to the proxy's API server.
import type { Command } from './command.ts';
import { directoryOf, pickCluster, pickContainers, pickLogOptions, pickPod, podContainers, rowObject } from '../logs/clusterHandles.ts';
import { routesForPod } from '../../infra/logs/offloadedPodRoutes.ts';
import { streamPodLog } from '../../infra/logs/podLogStream.ts';
import { prefixOf } from '../../core/logs/logSource.ts';
import { connectionTimeoutMs } from '../settings.ts';

export const streamPodLogs: Command = {
  id: 'liqo.pod.streamLogs',
  async run({ model, tree, logViews: views }, arg) {
    const title = 'Stream Logs';
    const probe = AbortSignal.timeout(30_000);
    const row = rowObject(model, tree, arg);
    const handle = row?.handle ?? (await pickCluster(model, title));
    if (!handle) return;
    const pod = row ? { namespace: row.namespace, name: row.name } : await pickPod(handle, title, probe);
    if (!pod) return;
    const containers = await pickContainers(await podContainers(handle, pod.namespace, pod.name, probe), title);
    if (!containers) return;
    const options = await pickLogOptions(title);
    if (!options) return;
    const dir = directoryOf(model);
    // A path through the virtual kubelet that goes silent and does not answer is left within this (plus a check).
    const idleMs = connectionTimeoutMs();
    const many = containers.length > 1;
    // Found before the view opens, so that its header names the pod the lines really come from (an Admiralty proxy
    // pod's delegate); every read inside is bounded in time.
    const found = await routesForPod(dir, handle, { context: handle.context, namespace: pod.namespace, pod: pod.name }, AbortSignal.timeout(30_000));
    const d = found.delegate;
    const header = `${handle.context}/${pod.namespace}/${pod.name}${d ? ` → delegate ${d.context}/${d.namespace}/${d.pod}` : ''}`;
    views.start(header, many, options.timestamps, async (sink, signal) => {
      if (found.note) await sink.write('', [{ kind: 'notice', detail: found.note }]);
      const names = containers.length ? containers : [undefined];
      await Promise.all(
        names.map((container) => {
          const routes = found.routes.map((r) => ({ ...r, target: { ...r.target, container } }));
          const prefix = prefixOf(routes[0]!.target);
          return streamPodLog({ routes, options, signal, idleMs, sink: { write: (ev) => sink.write(prefix, ev) } });
        }),
      );
    });
  },
};
