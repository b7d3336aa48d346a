// liqo.pod.whyFailing: gathers the pod's facts on both sides (for an offloaded pod) and opens the report, cause
// first, as a read-only Markdown document shown rendered (the source only when no Markdown preview is available).
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { directoryOf, pickCluster, pickPod, rowObject } from '../logs/clusterHandles.ts';
import { gatherPodFacts } from '../../infra/diagnosis/gatherPodFacts.ts';
import { failureReport } from '../../core/diagnosis/failureReport.ts';

export const whyPodFailing: Command = {
  id: 'liqo.pod.whyFailing',
  async run({ model, tree, failureReports: reports }, arg) {
    const title = 'Why Is This Pod Failing?';
    const row = rowObject(model, tree, arg);
    const handle = row?.handle ?? (await pickCluster(model, title));
    if (!handle) return;
    const pod = row ? { namespace: row.namespace, name: row.name } : await pickPod(handle, title, AbortSignal.timeout(30_000));
    if (!pod) return;
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Looking at ${pod.namespace}/${pod.name}…`, cancellable: true }, async (_p, token) => {
      const ctl = new AbortController();
      token.onCancellationRequested(() => ctl.abort());
      return failureReport(await gatherPodFacts(directoryOf(model), handle, pod.namespace, pod.name, ctl.signal));
    });
    const uri = reports.show(handle.context, pod.namespace, pod.name, report.markdown);
    // A report is read, not edited: the rendered preview. Its heading says what was found (e.g. "Pod x is healthy").
    await reports.open(uri);
  },
};
