// Helpers for integration tests of the tree model against the test bed: build a model over a kubeconfig, wait for
// a condition on the rows (woken by the model's own change events), dump the visible tree, run the built kubectl.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { FederationModel } from '../../../src/infra/federationModel.ts';
// The model loads the sessions' module (the Kubernetes client) lazily, after its first rows; tests that time
// connections load it up front so the timings are about the clusters, not about module loading.
import '../../../src/infra/cluster/clusterSession.ts';
import type { TreeNodeView } from '../../../src/core/tree/view.ts';
import type { Logger } from '../../../src/infra/log.ts';

const run = promisify(execFile);

export interface Harness {
  readonly model: FederationModel;
  readonly logs: string[];
  /** Waits until `pred` holds, re-checking on every model change; returns the elapsed ms. */
  until(pred: () => boolean, what: string, timeoutMs?: number): Promise<number>;
  row(...labels: string[]): TreeNodeView | undefined;
  /** Activates the model and expands every cluster row, as a user opening the view and each cluster would. */
  open(): Promise<void>;
  /** Every watch answered and none is in a (possibly transient) error: the tree a user sees once things calm down. */
  quiet(): boolean;
  children(...labels: string[]): TreeNodeView[];
  dispose(): void;
}

export function makeHarness(kubeconfigs: readonly string[], opts: { timeoutMs?: number; collapseGraceMs?: number } = {}): Harness {
  const logs: string[] = [];
  const log: Logger = { info: (m) => logs.push(`I ${m}`), warn: (m) => logs.push(`W ${m}`), error: (m) => logs.push(`E ${m}`) };
  const model = new FederationModel(
    { sources: kubeconfigs.map((p) => ({ path: p, origin: 'setting' as const })), timeoutMs: opts.timeoutMs ?? 5000, allowExec: false, backoff: { baseMs: 200, maxMs: 2000 }, collapseGraceMs: opts.collapseGraceMs ?? 30_000 },
    log,
  );
  const path = (labels: string[]): TreeNodeView | undefined => {
    let rows = model.roots();
    let found: TreeNodeView | undefined;
    for (const l of labels) {
      found = rows.find((r) => r.label === l);
      if (!found) return undefined;
      rows = model.children(found.id);
    }
    return found;
  };
  return {
    model,
    logs,
    row: (...labels) => path(labels),
    children: (...labels) => {
      const r = path(labels);
      return r ? model.children(r.id) : [];
    },
    async until(pred, what, timeoutMs = 20_000) {
      const t0 = Date.now();
      for (;;) {
        if (pred()) return Date.now() - t0;
        if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${dumpTree(model)}\n${logs.slice(-15).join('\n')}`);
        await new Promise<void>((resolve) => {
          const sub = model.onDidChange(() => {
            sub.dispose();
            clearTimeout(t);
            resolve();
          });
          const t = setTimeout(() => {
            sub.dispose();
            resolve();
          }, 250);
        });
      }
    },
    quiet() {
      return model.settled && !dumpTree(model).includes('liqo:kindError+error');
    },
    async open() {
      await model.activate();
      for (const r of model.roots()) model.children(r.id);
    },
    dispose: () => model.dispose(),
  };
}

export function dumpTree(model: FederationModel, rows = model.roots(), depth = 0): string {
  return rows
    .map((r) => `${'  '.repeat(depth)}${r.label} [${r.description ?? ''}] ${r.contextValue}\n${dumpTree(model, model.children(r.id), depth + 1)}`)
    .join('');
}

export async function kubectl(bin: string, kubeconfig: string, context: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(bin, ['--kubeconfig', kubeconfig, '--context', context, ...args], { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** Fails the test when any promise rejection goes unhandled while it runs. */
export function trackUnhandledRejections(): { readonly seen: unknown[]; stop(): void } {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    seen.push(reason);
  };
  process.on('unhandledRejection', onRejection);
  return { seen, stop: () => process.off('unhandledRejection', onRejection) };
}
