// liqo.cluster.hide: hide a context (or every selected one) from the view, remembered across reloads and windows
// (global state, by context key). Show Hidden Contexts… brings them back.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { entryIdOf, selectedRows } from './command.ts';

export const hideCluster: Command = {
  id: 'liqo.cluster.hide',
  async run({ model }, arg, all) {
    let ids = selectedRows(arg, all)
      .map((a) => entryIdOf(model, a))
      .filter((id): id is string => id !== undefined);
    if (ids.length === 0) {
      const hidden = new Set(model.hiddenClusters.map((e) => e.id));
      const picks = await vscode.window.showQuickPick(
        model.clusters.filter((e) => !hidden.has(e.id)).map((e) => ({ label: e.contextName, description: e.filePath, id: e.id })),
        { title: 'Hide contexts from the Liqo view', canPickMany: true },
      );
      ids = (picks ?? []).map((p) => p.id);
    }
    if (ids.length) model.setHidden(ids, true);
  },
};
