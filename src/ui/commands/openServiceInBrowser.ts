// liqo.service.openInBrowser: pick a cluster (or run it on a cluster row), a service (Grafana and Prometheus first,
// when the cluster has them) and its port; forward a loopback port to it through the API server and open it in the
// browser (asExternalUri: in a remote window the editor forwards that port to the user's machine). Run on a service
// row, the row names the cluster and the service: only the port is asked, and only when it has several.
import * as vscode from 'vscode';
import type { Command, CommandDeps } from './command.ts';
import { clusterTarget, pickCluster, serviceOfArg, type ClusterTarget } from '../operations/rowTarget.ts';
import { forwardablePorts, wellKnownApp, type ServiceLike } from '../../core/portForward/serviceTarget.ts';
import { isForwardable, portsText } from '../../core/tree/serviceNodes.ts';
import { objectKey, type KubeObject, type Service } from '../../core/liqo/objects.ts';
import { cachedService } from '../../core/liqo/cachedObjects.ts';

const TITLE = 'Open Service in Browser';

export const openServiceInBrowser: Command = {
  id: 'liqo.service.openInBrowser',
  async run(deps, arg) {
    const row = serviceOfArg(deps, arg);
    const picked = row ? serviceOfRow(deps, row) : await pickService(deps, arg);
    if (!picked) return;
    const { target, svc } = picked;
    const ports = forwardablePorts(svc);
    const port =
      ports.length === 1
        ? ports[0]!.port
        : (await vscode.window.showQuickPick(
            ports.map((p) => ({ label: String(p.port), description: p.name ?? '', port: p.port })),
            { title: `${TITLE}: port of ${svc.metadata.name}` },
          ))?.port;
    if (port === undefined) return;
    const entryId = target.entryId;
    const open = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Forwarding ${svc.metadata.name}:${port} on ${target.contextName}` }, () =>
      deps.forwards.start({
        contextName: target.contextName,
        client: () => {
          const c = deps.model.session(entryId)?.client;
          if (!c) throw new Error(`${target.contextName} is no longer connected`);
          return c;
        },
        namespace: svc.metadata.namespace ?? 'default',
        service: svc.metadata.name,
        port,
      }),
    );
    const uri = await vscode.env.asExternalUri(vscode.Uri.parse(open.url));
    await vscode.env.openExternal(uri);
  },
};

/** The service a service row stands for, as the cluster's watch has it now (the row's ports). */
function serviceOfRow(deps: CommandDeps, ref: NonNullable<ReturnType<typeof serviceOfArg>>): { target: ClusterTarget; svc: ServiceLike } {
  const target = clusterTarget(deps, ref.entryId);
  const key = `${ref.namespace}/${ref.name}`;
  const svc = deps.model.session(ref.entryId)?.snapshot?.services.find((s) => objectKey(s) === key);
  if (!svc || !isForwardable(svc)) throw new Error(`Service ${key} on ${target.contextName} is gone or no longer forwardable (no selector or no TCP port): refresh the Liqo view and try again.`);
  return { target, svc };
}

/** From the palette or a cluster row: the cluster (unless the row names it), then one of its services. */
async function pickService(deps: CommandDeps, arg: unknown): Promise<{ target: ClusterTarget; svc: ServiceLike } | undefined> {
  const target = await pickCluster(deps, arg, `${TITLE}: cluster`);
  if (!target) return undefined;
  // Read as the Services folder's watch keeps them, so one rule (isForwardable) decides what both offer.
  const services = (await target.client.list('/api/v1/services', {}, AbortSignal.timeout(30_000))).items.map((o) => cachedService(o as KubeObject));
  type Item = vscode.QuickPickItem & { svc?: ServiceLike };
  const usable = services.filter(isForwardable);
  const suggested = usable.filter((s) => wellKnownApp(s));
  const others = usable.filter((s) => !wellKnownApp(s));
  const item = (s: Service): Item => {
    const app = wellKnownApp(s);
    return {
      label: `${app ? '$(star-full) ' : ''}${s.metadata.name}`,
      description: `${s.metadata.namespace ?? ''}${app ? ` · ${app}` : ''}`,
      detail: portsText(s),
      svc: s,
    };
  };
  const items: Item[] = [
    ...(suggested.length ? [{ label: 'Suggested', kind: vscode.QuickPickItemKind.Separator }, ...suggested.map(item)] : []),
    ...(others.length ? [{ label: 'Services', kind: vscode.QuickPickItemKind.Separator }, ...others.map(item)] : []),
  ];
  if (usable.length === 0) {
    void vscode.window.showInformationMessage(`${target.contextName} has no service with a selector and a TCP port to forward to.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title: `${TITLE}: service on ${target.contextName}`, matchOnDescription: true, matchOnDetail: true });
  return picked?.svc ? { target, svc: picked.svc } : undefined;
}
