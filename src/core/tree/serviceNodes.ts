// The Services folder of a cluster: the services worth opening in a browser from a federation view. Grafana and
// Prometheus wherever they run (marked, first), then the services of the namespaces this subtree already shows:
// the offloaded namespaces of a consumer, the twin namespaces a provider hosts for its consumers. Only services a
// forward can reach are listed (a selector, a TCP port: the rule Open Service in Browser… applies).
import type { Service } from '../liqo/objects.ts';
import { objectKey } from '../liqo/objects.ts';
import { byName, namespaceRole, type ClusterSnapshot } from '../liqo/snapshot.ts';
import { forwardablePorts, wellKnownApp, type WellKnownApp } from '../portForward/serviceTarget.ts';
import type { ClusterTreeContext } from './treeContext.ts';
import { resourceRef } from './treeContext.ts';
import type { TreeNodeView } from './view.ts';
import { ariaLabelOf, contextValue, md } from './view.ts';
import { childKey, rowId, type ClusterRowKey } from './rowKey.ts';

/** What the empty folder says, and why nothing is listed. */
export const NO_SERVICE_LABEL = 'No forwardable service in the namespaces shown';

/** A forward needs pods to reach (a selector) and a TCP port (port-forward carries TCP only). */
export function isForwardable(s: Service): boolean {
  return s.spec?.hasSelector === true && forwardablePorts(s).length > 0;
}

/** The namespaces whose objects this cluster's subtree shows: offloaded here, or twins of a consumer's. */
export function shownNamespaces(s: ClusterSnapshot): ReadonlySet<string> {
  const shown = new Set<string>();
  for (const o of s.offloadings) if (o.metadata.namespace) shown.add(o.metadata.namespace);
  for (const ns of s.namespaces) if (namespaceRole(ns, []).kind === 'twin') shown.add(ns.metadata.name);
  return shown;
}

export interface ListedService {
  readonly service: Service;
  readonly app?: WellKnownApp;
}

/** The services the folder lists, in order: well-known apps first, then by namespace and name. */
export function listedServices(s: ClusterSnapshot): ListedService[] {
  const shown = shownNamespaces(s);
  const apps: ListedService[] = [];
  const others: ListedService[] = [];
  for (const svc of s.services) {
    if (!isForwardable(svc)) continue;
    const app = wellKnownApp(svc);
    if (app) apps.push({ service: svc, app });
    else if (shown.has(svc.metadata.namespace ?? '')) others.push({ service: svc });
  }
  const order = (a: ListedService, b: ListedService): number => (a.app ?? '').localeCompare(b.app ?? '') || byName(a.service, b.service);
  return [...apps.sort(order), ...others.sort(order)];
}

/** `3000 (http), 9090`: the TCP ports a forward can use. */
export function portsText(s: Service): string {
  return forwardablePorts(s)
    .map((p) => `${p.port}${p.name ? ` (${p.name})` : ''}`)
    .join(', ');
}

export function serviceRow(ctx: ClusterTreeContext, folder: ClusterRowKey, { service, app }: ListedService): TreeNodeView {
  const name = service.metadata.name;
  const namespace = service.metadata.namespace ?? '';
  const description = [namespace, portsText(service), app].filter(Boolean).join(' · ');
  const key = childKey(folder, namespace, name);
  const tooltip = [
    `**Service ${md(namespace)}/${md(name)}**${app ? ` (${app})` : ''}`,
    '',
    `- Type: ${md(service.spec?.type ?? 'ClusterIP')}`,
    `- TCP ports: ${md(portsText(service))}`,
    '',
    'Open Service in Browser… forwards a loopback port to one of its pods through the API server and opens it.',
  ].join('\n');
  return {
    key,
    id: rowId(key),
    label: name,
    description,
    tooltip,
    ariaLabel: ariaLabelOf(name, description),
    icon: app ? { id: 'star-full', color: 'charts.yellow' } : { id: 'globe' },
    contextValue: contextValue('service', ['forwardable', app && 'wellKnown']),
    collapsible: 'none',
    resource: resourceRef(ctx, 'services', objectKey(service)),
  };
}

export function addServiceRows(ctx: ClusterTreeContext, folder: ClusterRowKey): TreeNodeView[] {
  return listedServices(ctx.snapshot).map((l) => serviceRow(ctx, folder, l));
}

/** The one row of a folder with nothing to list, saying what would be listed. */
export function noServiceRow(_ctx: ClusterTreeContext, folder: ClusterRowKey): TreeNodeView {
  const key = childKey(folder, 'none');
  return {
    key,
    id: rowId(key),
    label: NO_SERVICE_LABEL,
    tooltip:
      '**No forwardable service in the namespaces shown**\n\nListed here: Grafana and Prometheus anywhere in the cluster, and the services of its offloaded namespaces (or, on a provider, of its twin namespaces) that have a selector and a TCP port. Open Service in Browser… on the cluster row lists every service of the cluster.',
    ariaLabel: NO_SERVICE_LABEL,
    icon: { id: 'info', color: 'descriptionForeground' },
    contextValue: contextValue('noService'),
    collapsible: 'none',
  };
}
