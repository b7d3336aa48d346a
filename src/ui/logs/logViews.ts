// The log views: one read-only terminal per stream ("Liqo Logs: …", a pseudoterminal that takes no input), fed by a
// LogBatcher (batched appends; the lines waiting are bounded by liqo.logs.maxLines), a status-bar item counting the
// live streams, and Stop/Clear. Chosen by measuring the three candidates in the real workbench
// (`npm run bench -- logview`, README "Logs"): over four runs the terminal showed the lines 1.25× as fast as an
// output channel (median) and the command palette opened sooner while streaming; a virtual document made the
// palette take about a second (each update re-reads the whole text). The terminal draws only what is on screen and
// trims to its scrollback by itself (an output channel's text goes to a file that keeps growing); log bytes reach
// it through terminalText, which lets colours through and neutralises every other escape or control, so a
// container cannot drive the terminal.
import * as vscode from 'vscode';
import { CLEAR_TERMINAL, terminalText } from '../../core/logs/terminalText.ts';
import { LogBatcher } from '../../infra/logs/logBatcher.ts';
import type { PrefixedSink } from '../../infra/logs/multiPodLogStream.ts';

export const SETTING_MAX_LINES = 'logs.maxLines';

export interface LiveLogStream {
  readonly id: number;
  readonly title: string;
  readonly terminal: vscode.Terminal;
  /** Writes to the terminal once it is open (what is written before is lost, so writes wait for it). */
  readonly write: (text: string, control?: boolean) => Promise<void>;
  readonly batcher: LogBatcher;
  readonly abort: AbortController;
  live: boolean;
}

export class LogViews implements vscode.Disposable {
  private readonly streams = new Map<number, LiveLogStream>();
  private readonly status: vscode.StatusBarItem;
  private readonly opened = new vscode.EventEmitter<LiveLogStream>();
  /** A stream's view opened in the workbench (the walkthrough's last step listens). */
  readonly onDidOpen = this.opened.event;
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
    const scrollback = vscode.workspace.getConfiguration('terminal.integrated').get<number>('scrollback', 1000);
    const output = new vscode.EventEmitter<string>();
    let opened = () => {};
    const open = new Promise<void>((r) => (opened = r));
    // Log text goes through terminalText; only our own clear sequence is written as it is.
    const write = async (text: string, control = false) => {
      await open;
      output.fire(control ? text : terminalText(text));
    };
    const id = this.next++;
    const terminal = vscode.window.createTerminal({
      name: `Liqo Logs: ${title}`,
      iconPath: new vscode.ThemeIcon('output'),
      pty: {
        onDidWrite: output.event,
        open: () => {
          opened();
          const stream = this.streams.get(id);
          if (stream) this.opened.fire(stream);
        },
        close: () => {
          const closed = this.streams.get(id);
          if (closed) this.close(closed);
          output.dispose();
        },
      },
    });
    // The terminal keeps `scrollback` lines by itself; only a smaller liqo.logs.maxLines needs the batcher's trimming.
    const batcher = new LogBatcher(
      { append: (t) => write(t), replace: async (t) => (await write(CLEAR_TERMINAL, true), await write(t)) },
      { maxLines, prefixed, showTimestamps, viewTrims: maxLines >= scrollback },
    );
    const s: LiveLogStream = { id, title, terminal, write, batcher, abort: new AbortController(), live: true };
    this.streams.set(s.id, s);
    this.refresh();
    terminal.show(true);
    if (maxLines > scrollback) void batcher.write('', [{ kind: 'notice', detail: `this view keeps the last ${scrollback} lines (terminal.integrated.scrollback); raise that setting to keep up to liqo.logs.maxLines = ${maxLines}` }]);
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
    void s.write(CLEAR_TERMINAL, true);
  }

  /** Closes a view for good (also when the user closes its terminal). */
  close(s: LiveLogStream): void {
    if (!this.streams.delete(s.id)) return;
    s.abort.abort();
    s.batcher.dispose();
    s.terminal.dispose();
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
      s.terminal.dispose();
    }
    this.streams.clear();
    this.status.dispose();
    this.opened.dispose();
  }
}
