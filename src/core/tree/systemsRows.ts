// Row shapes shared by the Admiralty, KubeFed and Istio folders: a leaf (or parent) row and a group row whose
// children go into the subtree map. These systems' objects are not Liqo's watched kinds, so the rows carry no
// `resource`, except Admiralty's proxy and delegate pods: the pod commands act on them.
import type { SubtreeMap } from './treeContext.ts';
import { childKey, rowId, type ClusterRowKey } from './rowKey.ts';
import { ariaLabelOf, contextValue, md, type CommandView, type TreeNodeView } from './view.ts';

export interface LeafOptions {
  readonly icon: string;
  readonly color?: string;
  /** the contextValue kind (`liqo:<kind>`) */
  readonly kind: string;
  readonly flags?: readonly (string | undefined)[];
  /** plain text: names come from the clusters, so the whole tooltip is escaped as Markdown */
  readonly tooltip?: string;
  readonly command?: CommandView;
  /** the pod behind the row (a proxy or delegate pod), for the pod commands (Why Is This Pod Failing?, Stream Logs…) */
  readonly pod?: { readonly entryId: string; readonly namespace: string; readonly name: string };
}

export function leafRow(key: ClusterRowKey, label: string, description: string, o: LeafOptions): TreeNodeView {
  return {
    key,
    id: rowId(key),
    label,
    ...(description ? { description } : {}),
    tooltip: md(o.tooltip ?? ariaLabelOf(label, description)),
    ariaLabel: ariaLabelOf(label, description),
    icon: { id: o.icon, ...(o.color ? { color: o.color } : {}) },
    contextValue: contextValue(o.kind, o.flags ?? []),
    collapsible: 'none',
    ...(o.command ? { command: o.command } : {}),
    ...(o.pod ? { resource: { entryId: o.pod.entryId, kind: 'pods', key: `${o.pod.namespace}/${o.pod.name}` } } : {}),
  };
}

/** A row grouping `children` (its description is their count). */
export function groupRow(folder: ClusterRowKey, key: string, label: string, icon: string, children: TreeNodeView[], out: SubtreeMap): TreeNodeView {
  const k = childKey(folder, key);
  const row = leafRow(k, label, String(children.length), { icon, kind: 'systemsGroup', flags: [key] });
  out.set(row.id, children);
  return { ...row, collapsible: 'collapsed' };
}

/** Attaches `children` below `row` (expanded or collapsed as asked); a row without children stays a leaf. */
export function withChildren(row: TreeNodeView, children: TreeNodeView[], out: SubtreeMap, collapsible: 'collapsed' | 'expanded' = 'collapsed'): TreeNodeView {
  if (children.length === 0) return row;
  out.set(row.id, children);
  return { ...row, collapsible };
}
