// The extension-host half of `npm run bench -- logview`, loaded in the real web workbench through the payload route
// (extensionTestsPath, as the extension-host suite is): for each candidate log view — an output channel, a
// pseudoterminal (what the product uses, written as it writes), a virtual document — it streams the same lines
// through the product's LogBatcher
// (the batching, byte ring and trimming of a real stream) into that view, as fast as the view's batches allow.
// It tells the page-side half when each view starts and when the last line was handed over (lines in
// LIQO_LOGVIEW_SYNC), and waits for `<sync>.<view>.done` before closing the view and going to the next.
import { appendFileSync, existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { CLEAR_TERMINAL, terminalText } from '../../../src/core/logs/terminalText.ts';
import { LogBatcher, type BatchTarget } from '../../../src/infra/logs/logBatcher.ts';
import { endMarker, VIEWS, type ViewKind } from './viewKinds.ts';


interface Candidate {
  readonly target: BatchTarget;
  readonly ready: Promise<void>;
  dispose(): void;
}

function outputChannel(): Candidate {
  const channel = vscode.window.createOutputChannel('Liqo Logs: bench', 'log');
  channel.show(true);
  return { target: { append: (t) => channel.append(t), replace: (t) => channel.replace(t) }, ready: Promise.resolve(), dispose: () => channel.dispose() };
}

function pseudoterminal(): Candidate {
  const write = new vscode.EventEmitter<string>();
  let opened = () => {};
  const ready = new Promise<void>((r) => (opened = r));
  const terminal = vscode.window.createTerminal({ name: 'Liqo Logs: bench', pty: { onDidWrite: write.event, open: () => opened(), close: () => undefined } });
  terminal.show(true);
  return {
    // As the product writes to its log terminals (src/ui/logs/logViews.ts): the text made safe for a terminal; the
    // terminal keeps its own scrollback, a replace clears screen and scrollback first.
    target: { append: (t) => write.fire(terminalText(t)), replace: (t) => write.fire(`${CLEAR_TERMINAL}${terminalText(t)}`) },
    ready,
    dispose: () => {
      terminal.dispose();
      write.dispose();
    },
  };
}

function virtualDocument(): Candidate {
  const uri = vscode.Uri.from({ scheme: 'liqo-logbench', path: '/bench.log' });
  const changed = new vscode.EventEmitter<vscode.Uri>();
  let text = '';
  const reg = vscode.workspace.registerTextDocumentContentProvider('liqo-logbench', { onDidChange: changed.event, provideTextDocumentContent: () => text });
  const ready = (async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: true });
  })();
  return {
    // Every change makes the workbench ask for the whole text again.
    target: {
      append: (t) => {
        text += t;
        changed.fire(uri);
      },
      replace: (t) => {
        text = t;
        changed.fire(uri);
      },
    },
    ready,
    dispose: () => {
      void vscode.commands.executeCommand('workbench.action.closeAllEditors');
      reg.dispose();
      changed.dispose();
    },
  };
}

/** Blocks of 500 lines in the API server's format (one socket chunk each), made once: the source costs nothing. */
function sourceBlocks(): Uint8Array[] {
  const enc = new TextEncoder();
  return Array.from({ length: 16 }, (_, b) => {
    let s = '';
    for (let i = 0; i < 500; i++) s += `2026-11-29T23:00:${String(b).padStart(2, '0')}.${String(i * 1000 + 1).padStart(9, '0')}Z INFO  step=${b * 500 + i} loss=0.${String(i).padStart(4, '0')} lr=2.0e-05 gpu_mem=11.2GiB worker=training-worker-0\n`;
    return enc.encode(s);
  });
}

async function waitForFile(file: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

export async function run(): Promise<void> {
  const sync = process.env.LIQO_LOGVIEW_SYNC;
  if (!sync) throw new Error('LIQO_LOGVIEW_SYNC is not set: run this through `npm run bench -- logview`');
  const lines = Number(process.env.LIQO_LOGVIEW_LINES ?? 200_000);
  const views = (process.env.LIQO_LOGVIEW_VIEWS ?? VIEWS.join(',')).split(',') as ViewKind[];
  const maxLines = Number(process.env.LIQO_LOGVIEW_MAX_LINES ?? 50_000);
  const blocks = sourceBlocks();
  const say = (line: string) => appendFileSync(sync, `${line}\n`);
  for (const view of views) {
    const c = view === 'output' ? outputChannel() : view === 'terminal' ? pseudoterminal() : virtualDocument();
    await c.ready;
    await new Promise((r) => setTimeout(r, 1000)); // the view drawn and idle before the clock starts
    const batcher = new LogBatcher(c.target, { maxLines, prefixed: false, showTimestamps: false });
    say(`${view} start ${Date.now()}`);
    for (let sent = 0, b = 0; sent < lines; sent += 500, b++) {
      const held = batcher.write('', [{ kind: 'lines', bytes: blocks[b % blocks.length]! }]);
      if (held) await held;
      // A socket delivers chunk by chunk: the extension host's event loop turns between them.
      await new Promise((r) => setImmediate(r));
    }
    batcher.write('', [{ kind: 'notice', detail: endMarker(view) }]);
    await batcher.flush();
    say(`${view} sent ${Date.now()} ${batcher.lines}`);
    await waitForFile(`${sync}.${view}.done`, 180_000);
    batcher.dispose();
    c.dispose();
    await new Promise((r) => setTimeout(r, 1000));
  }
  say('all done');
}
