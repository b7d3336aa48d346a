// How the benchmarks drive the explorer's model in this Node process, as the extension host would: open it on a
// kubeconfig, expand every cluster, wait until every cluster is reachable and every watch has answered, and walk
// the whole tree. The one file that knows the model's API, so that API can change under the benchmarks.
import { FederationModel } from '../../src/infra/federationModel.ts';
import type { TreeNodeView } from '../../src/core/tree/view.ts';
import { silentLogger } from '../../src/infra/log.ts';

export { FederationModel };

export function openModel(file: string): FederationModel {
  return new FederationModel({ sources: [{ path: file, origin: 'setting' }], timeoutMs: 10_000, allowExec: false }, silentLogger);
}

export function allReady(model: FederationModel): boolean {
  return model.settled && model.clusters.length > 0 && model.clusters.every((c) => model.session(c.id)?.state.kind === 'reachable');
}

/** Activates the model, expands every cluster row (the user opening them) and resolves once all are loaded. */
export async function loadFully(model: FederationModel, timeoutMs = 300_000): Promise<void> {
  let done: () => void = () => undefined;
  const ready = new Promise<void>((r) => (done = r));
  const sub = model.onDidChange(() => {
    if (allReady(model)) done();
  });
  try {
    await model.activate();
    for (const r of model.roots()) model.children(r.id);
    if (!allReady(model)) {
      let timer: NodeJS.Timeout | undefined;
      // Also looked at every 100 ms: the last step to "all ready" (a session settling) need not fire onDidChange,
      // and a run once waited out the whole timeout with every cluster loaded.
      const poll = setInterval(() => allReady(model) && done(), 100);
      await Promise.race([
        ready,
        new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error(`the model did not load within ${timeoutMs / 1000} s`)), timeoutMs))),
      ]).finally(() => {
        clearTimeout(timer);
        clearInterval(poll);
      });
    }
  } finally {
    sub.dispose();
  }
}

/** Every row of the tree, depth first (each `children` call is what expanding that row asks). */
export function walk(model: FederationModel, rows: readonly TreeNodeView[], out: TreeNodeView[] = []): TreeNodeView[] {
  for (const r of rows) {
    out.push(r);
    if (r.collapsible !== 'none') walk(model, model.children(r.id), out);
  }
  return out;
}

/** LISTs issued so far over every cluster (undefined when the model does not count them). */
export function listCount(model: FederationModel): number | undefined {
  let n = 0;
  for (const c of model.clusters) {
    const counts = (model.session(c.id) as { requestCounts?: { lists: number } } | undefined)?.requestCounts;
    if (!counts) return undefined;
    n += counts.lists;
  }
  return n;
}

/** The context name → the model's id of that cluster entry. */
export function entryIds(model: FederationModel): Map<string, string> {
  return new Map(model.clusters.map((c) => [c.contextName, c.id]));
}
