// The log views: one read-only output channel per stream ("Liqo Logs: …", language `log`), fed by a LogBatcher
// (batched appends, trimmed to liqo.logs.maxLines), a status-bar item counting the live streams, and Stop/Clear.
// Output channels were chosen over a pseudoterminal (no text search in the scrollback, ANSI handling of arbitrary
// log bytes) and a virtual document (every update re-reads the whole content): an append costs the renderer only
// the new text, and the channel is read-only and searchable.
import * as vscode from 'vscode';
import { LogBatcher } from '../../infra/logs/logBatcher.ts';
import type { PrefixedSink } from '../../infra/logs/multiPodLogStream.ts';

export const SETTING_MAX_LINES = 'logs.maxLines';

export interface LiveLogStream {
  readonly id: number;
  readonly title: string;
  readonly channel: vscode.OutputChannel;
  readonly batcher: LogBatcher;
  readonly abort: AbortController;
  live: boolean;
}

export class LogViews implements vscode.Disposable {
  private readonly streams = new Map<number, LiveLogStream>();
  private readonly status: vscode.StatusBarItem;
  private next = 1;

  constructor() {
    this.status = vscode.window.createStatusBarItem('liqo.logs', vscode.StatusBarAlignment.Left, 10);
    this.status.name = 'Liqo Log Streams';
    this.status.command = 'liqo.logs.stop';
    this.refresh();
  }

  /** Opens a view and runs `run` into it until it ends or is stopped. */
  start(title: string, prefixed: boolean, showTimestamps: boolean, run: (sink: PrefixedSink, signal: AbortSignal) => Promise<void>): LiveLogStream {
    const maxLines = Math.max(100, Math.floor(vscode.workspace.getConfiguration('liqo').get<number>(SETTING_MAX_LINES, 50_000)));
    const channel = vscode.window.createOutputChannel(`Liqo Logs: ${title}`, 'log');
    const batcher = new LogBatcher({ append: (t) => channel.append(t), replace: (t) => channel.replace(t) }, { maxLines, prefixed, showTimestamps });
    const s: LiveLogStream = { id: this.next++, title, channel, batcher, abort: new AbortController(), live: true };
    this.streams.set(s.id, s);
    this.refresh();
    channel.show(true);
    void run(batcher, s.abort.signal)
      .catch((err: unknown) => batcher.write('', [{ kind: 'notice', detail: `stream failed: ${err instanceof Error ? err.message : String(err)}` }]))
      .finally(async () => {
        await batcher.write('', [{ kind: 'notice', detail: s.abort.signal.aborted ? 'stopped' : 'stream ended' }]);
        await batcher.flush();
        s.live = false;
        this.refresh();
      });
    return s;
  }

  all(): LiveLogStream[] {
    return [...this.streams.values()];
  }

  stop(s: LiveLogStream): void {
    s.abort.abort();
  }

  clear(s: LiveLogStream): void {
    s.batcher.clear();
    s.channel.clear();
  }

  /** Closes a stopped view for good. */
  close(s: LiveLogStream): void {
    s.abort.abort();
    s.batcher.dispose();
    s.channel.dispose();
    this.streams.delete(s.id);
    this.refresh();
  }

  private refresh(): void {
    const live = this.all().filter((s) => s.live).length;
    this.status.text = `$(output) ${live} log stream${live === 1 ? '' : 's'}`;
    this.status.tooltip = live ? `Liqo: ${live} live log stream${live === 1 ? '' : 's'} — click to stop or clear one` : 'Liqo: no live log stream';
    if (this.streams.size > 0) this.status.show();
    else this.status.hide();
  }

  dispose(): void {
    for (const s of this.streams.values()) {
      s.abort.abort();
      s.batcher.dispose();
      s.channel.dispose();
    }
    this.streams.clear();
    this.status.dispose();
  }
}
