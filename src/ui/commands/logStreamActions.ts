// liqo.logs.stop and liqo.logs.clear: pick one of the log views (the only one is taken directly) and stop it
// (a stopped one is closed) or clear what it shows.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import type { LiveLogStream, LogViews } from '../logs/logViews.ts';

async function pickStream(views: LogViews, title: string): Promise<LiveLogStream | undefined> {
  const all = views.all();
  if (all.length === 0) {
    void vscode.window.showInformationMessage('No log stream is open: run Liqo: Stream Logs on a pod first.');
    return undefined;
  }
  if (all.length === 1) return all[0];
  const pick = await vscode.window.showQuickPick(all.map((s) => ({ label: s.title, description: s.live ? 'live' : 'stopped', s })), { title });
  return pick?.s;
}

export const stopLogStream: Command = {
  id: 'liqo.logs.stop',
  async run({ logViews: views }) {
    const s = await pickStream(views, 'Stop Log Stream');
    if (!s) return;
    if (s.live) views.stop(s);
    else views.close(s);
  },
};

export const clearLogStream: Command = {
  id: 'liqo.logs.clear',
  async run({ logViews: views }) {
    const s = await pickStream(views, 'Clear Log Stream');
    if (s) views.clear(s);
  },
};
