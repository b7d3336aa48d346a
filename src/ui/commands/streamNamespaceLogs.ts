// liqo.namespace.streamLogs and liqo.namespace.streamLogsBySelector: every pod of a namespace (optionally matching
// a label selector) on its cluster and on the remote twins of the namespace, interleaved with prefixes.
import * as vscode from 'vscode';
import type { Command, CommandDeps } from './command.ts';
import { directoryOf, pickCluster, pickLogOptions, rowObject } from '../logs/clusterHandles.ts';
import { namespaceScopes, streamManyPods } from '../../infra/logs/multiPodLogStream.ts';

async function run({ model, tree, logViews: views }: CommandDeps, arg: unknown, withSelector: boolean): Promise<void> {
  const title = withSelector ? 'Stream Logs by Selector' : 'Stream Namespace Logs';
  const row = rowObject(model, tree, arg);
  const handle = row?.handle ?? (await pickCluster(model, title));
  if (!handle) return;
  let namespace = row?.kind === 'namespaces' ? row.name : row?.namespace;
  if (!namespace) {
    const list = await handle.client.list('/api/v1/namespaces', undefined, AbortSignal.timeout(30_000));
    const pick = await vscode.window.showQuickPick((list.items as { metadata: { name: string } }[]).map((n) => n.metadata.name), { title, placeHolder: `Namespace on ${handle.context}` });
    if (!pick) return;
    namespace = pick;
  }
  let labelSelector: string | undefined;
  if (withSelector) {
    labelSelector = await vscode.window.showInputBox({
      title,
      prompt: 'Label selector, as kubectl takes it (e.g. app=bert-finetune,tier!=cache)',
      validateInput: (v) => (/^[\w./-]+(\s*(=|==|!=)\s*[\w.-]*|\s+(in|notin)\s*\([^)]*\))?(\s*,\s*[\w./-]+(\s*(=|==|!=)\s*[\w.-]*|\s+(in|notin)\s*\([^)]*\))?)*$/.test(v.trim()) ? undefined : `'${v}' is not a label selector: write key=value pairs separated by commas`),
    });
    if (!labelSelector) return;
  }
  const options = await pickLogOptions(title);
  if (!options) return;
  const dir = directoryOf(model);
  const ns = namespace;
  views.start(`${handle.context}/${ns}${labelSelector ? ` (${labelSelector})` : ''}`, true, options.timestamps, async (sink, signal) => {
    const { scopes, notes } = await namespaceScopes(dir, handle, ns, signal);
    for (const n of notes) await sink.write('', [{ kind: 'notice', detail: n }]);
    await sink.write('', [{ kind: 'notice', detail: `streaming ${scopes.map((s) => `${s.handle.context}/${s.namespace}`).join(', ')}` }]);
    await streamManyPods({ scopes, labelSelector, options, sink, signal });
  });
}

export const streamNamespaceLogs: Command = { id: 'liqo.namespace.streamLogs', run: (deps, arg) => run(deps, arg, false) };

export const streamSelectorLogs: Command = { id: 'liqo.namespace.streamLogsBySelector', run: (deps, arg) => run(deps, arg, true) };
