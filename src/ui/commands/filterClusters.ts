// liqo.federation.filter: choose what the view shows — a name filter (InputBox), Liqo clusters only, hide
// unreachable — from a QuickPick in the view's title bar. The active filter shows in the view's description.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { NO_FILTER } from '../../core/tree/viewFilter.ts';

interface Choice extends vscode.QuickPickItem {
  readonly action: 'text' | 'liqo' | 'reachable' | 'clear';
}

export const filterClusters: Command = {
  id: 'liqo.federation.filter',
  async run({ model }) {
    const f = model.filter;
    const mark = (on: boolean): string => (on ? '$(check) ' : '');
    const choices: Choice[] = [
      { label: '$(search) Filter by Name…', description: f.text ? `now "${f.text}"` : 'context, cluster, user, server or cluster ID', action: 'text' },
      { label: `${mark(f.liqoOnly)}Liqo Clusters Only`, description: 'clusters where Liqo is installed (or was, when last reached)', action: 'liqo' },
      { label: `${mark(f.hideUnreachable)}Hide Unreachable Clusters`, description: 'clusters whose connection failed', action: 'reachable' },
      { label: '$(clear-all) Clear Filter', action: 'clear' },
    ];
    const pick = await vscode.window.showQuickPick(choices, { title: 'Filter the Liqo view', placeHolder: 'Choose what to show (selecting an option toggles it)' });
    if (!pick) return;
    switch (pick.action) {
      case 'text': {
        const text = await vscode.window.showInputBox({ title: 'Filter the Liqo view by name', value: f.text, prompt: 'Part of a context, cluster or user name, a server address or a Liqo cluster ID (empty: no name filter)' });
        if (text !== undefined) model.setFilter({ ...f, text: text.trim() });
        return;
      }
      case 'liqo':
        return model.setFilter({ ...f, liqoOnly: !f.liqoOnly });
      case 'reachable':
        return model.setFilter({ ...f, hideUnreachable: !f.hideUnreachable });
      case 'clear':
        return model.setFilter(NO_FILTER);
    }
  },
};
