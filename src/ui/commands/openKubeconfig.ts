// liqo.kubeconfig.open: open the kubeconfig file behind a row, at the offending line or at the context's entry.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { entryIdOf } from './command.ts';

export const openKubeconfig: Command = {
  id: 'liqo.kubeconfig.open',
  async run({ model }, arg, lineArg) {
    let file: string | undefined;
    let line = typeof lineArg === 'number' ? lineArg : undefined;
    let contextName: string | undefined;
    const key = arg && typeof arg === 'object' && 'id' in arg && typeof arg.id === 'string' ? model.node(arg.id)?.key : undefined;
    if (typeof arg === 'string' && !model.entry(arg)) {
      file = arg;
    } else if (key?.scope === 'file') {
      file = key.file;
    } else {
      const id = entryIdOf(model, arg);
      const entry = model.clusters.find((c) => c.id === id);
      if (entry) {
        file = entry.filePath;
        contextName = entry.contextName;
      }
    }
    if (!file) {
      const files = [...new Set(model.clusters.map((c) => c.filePath))];
      file = await vscode.window.showQuickPick(files, { title: 'Open a kubeconfig file' });
      if (!file) return;
    }
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    if (line === undefined && contextName) {
      const at = doc.getText().split('\n').findIndex((l) => new RegExp(`^\\s*-?\\s*name:\\s*["']?${escapeRegExp(contextName)}["']?\\s*$`).test(l));
      if (at >= 0) line = at + 1;
    }
    const pos = new vscode.Position(Math.max(0, (line ?? 1) - 1), 0);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: true });
  },
};

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
