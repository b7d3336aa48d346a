// liqo.cluster.retry: reconnect one cluster (from its error row, its inline action, or a picker in the palette).
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { entryIdOf } from './command.ts';

export const retryCluster: Command = {
  id: 'liqo.cluster.retry',
  async run({ model }, arg) {
    let id = entryIdOf(model, arg);
    if (!id) {
      const failed = model.clusters.filter((c) => model.session(c.id)?.state.kind === 'failed');
      if (failed.length === 0) {
        void vscode.window.showInformationMessage('Every cluster is connected: nothing to retry.');
        return;
      }
      const pick = await vscode.window.showQuickPick(
        failed.map((c) => {
          const st = model.session(c.id)?.state;
          return { label: c.contextName, description: c.filePath, detail: st?.kind === 'failed' ? st.problem.summary : '', id: c.id };
        }),
        { title: 'Retry connecting to a cluster' },
      );
      id = pick?.id;
    }
    if (id) await model.retry(id);
  },
};
