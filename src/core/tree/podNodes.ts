// Rows for pods: phase and the reason a pod failed, and where it runs (a local node, or a virtual node and the
// remote cluster behind it).
import type { Pod } from '../liqo/objects.ts';
import { objectKey, LABEL_REMOTE_UNAVAILABLE } from '../liqo/objects.ts';
import { podPlacement, podSummary, type PodPlacement } from '../liqo/snapshot.ts';
import type { Health } from '../liqo/explain.ts';
import type { ClusterTreeContext } from './treeContext.ts';
import { resourceRef } from './treeContext.ts';
import type { IconView, TreeNodeView } from './view.ts';
import { ariaLabelOf, contextValue, md } from './view.ts';
import { childKey, rowId, type ClusterRowKey } from './rowKey.ts';
import { healthIcon } from './health.ts';

export function placementText(p: PodPlacement): string {
  switch (p.kind) {
    case 'virtual':
      return `→ ${p.remoteClusterId ?? p.nodeName}`;
    case 'local':
      return `local · ${p.nodeName}`;
    default:
      return 'not scheduled';
  }
}

function podHealth(phase: string, ready: boolean, problem: string | undefined): Health {
  if (phase === 'Failed' || (problem && phase !== 'Succeeded')) return 'failed';
  if (phase === 'Succeeded') return 'disabled';
  if (phase === 'Running' && ready) return 'healthy';
  return 'pending';
}

/** What a pod's rows show, the same under every parent (virtual node, offloaded namespace). */
interface PodView {
  readonly virtual: boolean;
  readonly remote: string | undefined;
  readonly description: string;
  readonly tooltip: string;
  readonly ariaLabel: string;
  readonly icon: IconView;
  readonly contextValue: string;
}

/**
 * Rendered once per pod object and placement: a pod's two rows (virtual node, offloaded namespace) share the
 * strings, which halves what 10,000 pods' rows hold and cost to render. A changed pod is a new object, so an entry
 * lives as long as its pod.
 */
const podViews = new WeakMap<Pod, PodView>();

function renderPod(pod: Pod, vnIndex: ReadonlyMap<string, string | undefined>, extra: string | undefined): Omit<PodView, 'virtual' | 'remote'> {
  const s = podSummary(pod);
  const placement = podPlacement(pod, vnIndex);
  const health = podHealth(s.phase, s.ready, s.problem);
  const unavailable = pod.metadata.labels?.[LABEL_REMOTE_UNAVAILABLE] === 'true';
  const description = [s.phase + (s.problem ? ` · ${s.problem}` : ''), placementText(placement), unavailable ? 'remote unavailable' : '', extra ?? ''].filter(Boolean).join(' · ');
  const tooltip = [
    `**Pod ${md(pod.metadata.namespace ?? '')}/${md(pod.metadata.name)}**`,
    '',
    `- Phase: ${md(s.phase)}${s.problem ? ` (${md(s.problem)})` : ''}, ready: ${s.ready ? 'yes' : 'no'}, restarts: ${s.restarts}`,
    `- Node: ${placement.kind === 'unscheduled' ? '(none)' : md(placement.nodeName)}${placement.kind === 'virtual' ? ` (virtual node → remote cluster ${md(placement.remoteClusterId ?? '?')})` : ''}`,
    pod.status?.message ? `- Message: ${md(pod.status.message)}` : '',
    unavailable ? '- ⚠ Liqo marked this pod remote-unavailable: the virtual node is NotReady.' : '',
  ]
    .filter(Boolean)
    .join('\n');
  return {
    description,
    tooltip,
    ariaLabel: ariaLabelOf(pod.metadata.name, description),
    icon: health === 'healthy' ? { id: 'circle-filled', color: 'testing.iconPassed' } : healthIcon(health),
    contextValue: contextValue('pod', [placement.kind === 'virtual' && 'offloaded', health === 'failed' && 'failed']),
  };
}

function podView(pod: Pod, vnIndex: ReadonlyMap<string, string | undefined>, extra: string | undefined): Omit<PodView, 'virtual' | 'remote'> {
  if (extra) return renderPod(pod, vnIndex, extra);
  const node = pod.spec?.nodeName;
  const virtual = node !== undefined && vnIndex.has(node);
  const remote = virtual ? vnIndex.get(node) : undefined;
  const known = podViews.get(pod);
  if (known && known.virtual === virtual && known.remote === remote) return known;
  const view = { virtual, remote, ...renderPod(pod, vnIndex, undefined) };
  podViews.set(pod, view);
  return view;
}

export function podRow(ctx: ClusterTreeContext, parent: ClusterRowKey, pod: Pod, vnIndex: ReadonlyMap<string, string | undefined>, extra?: string): TreeNodeView {
  const v = podView(pod, vnIndex, extra);
  const key = childKey(parent, 'pod', pod.metadata.namespace ?? '', pod.metadata.name);
  return {
    key,
    id: rowId(key),
    label: pod.metadata.name,
    description: v.description,
    tooltip: v.tooltip,
    ariaLabel: v.ariaLabel,
    icon: v.icon,
    contextValue: v.contextValue,
    collapsible: 'none',
    resource: resourceRef(ctx, 'pods', objectKey(pod)),
  };
}
