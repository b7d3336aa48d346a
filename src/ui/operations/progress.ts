// Long operations in a cancellable progress notification: VS Code's CancellationToken becomes the AbortSignal core
// and infra take, so Cancel ends liqoctl's whole process tree or stops following a resource.
import * as vscode from 'vscode';

export function withCancellableProgress<T>(title: string, work: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      return await work(abort.signal, (message) => progress.report({ message: message.length > 120 ? `${message.slice(0, 117)}…` : message }));
    } finally {
      sub.dispose();
    }
  });
}

/** liqoctl's output lines to the Liqo log and the notification; its spinner output carries blank lines, which are dropped. */
export function liqoctlLines(log: vscode.LogOutputChannel, report: (message: string) => void): (line: string) => void {
  return (l) => {
    const text = l.trim();
    if (!text) return;
    log.info(`[liqoctl] ${text}`);
    report(text);
  };
}
