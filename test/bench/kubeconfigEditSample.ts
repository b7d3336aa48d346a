// One sample of the kubeconfig bench, in a fresh process (so the first edit runs on a cold JIT, as the first edit
// after activation does): the loader's parse of a 500-context file, then each edit once (cold) and warm repeats.
// Prints one JSON object.
import { renameContext, rewriteServer, deleteContext } from '../../src/core/kubeconfig/edits.ts';
import { merge } from '../../src/core/kubeconfig/merge.ts';
import { extractContext } from '../../src/core/kubeconfig/extract.ts';
import { parseKubeconfig } from '../../src/core/kubeconfig/parse.ts';
import { manyContexts, k3sDefault } from '../unit/kubeconfigShapes.ts';

const CONTEXTS = Number(process.argv[2] ?? 500);
const WARM = 15;
const text = manyContexts(CONTEXTS);
const mid = `ctx-${CONTEXTS >> 1}`;

const edits: Record<string, () => unknown> = {
  rename: () => renameContext(text, mid, 'renamed'),
  rewrite_server: () => rewriteServer(text, mid, { server: 'https://127.0.0.1:16443', tlsServerName: 'kubernetes' }),
  delete: () => deleteContext(text, mid),
  extract: () => extractContext(text, mid, new Map()),
  merge_k3s: () => merge(text, k3sDefault, new Map()),
};

function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

const loadCold = time(() => parseKubeconfig(text));
const loadWarm = Array.from({ length: WARM }, () => time(() => parseKubeconfig(text)));
const out: Record<string, unknown> = { bytes: text.length, load_cold_ms: loadCold, load_warm_ms: loadWarm };
for (const [name, fn] of Object.entries(edits)) {
  out[`${name}_cold_ms`] = time(fn);
  out[`${name}_warm_ms`] = Array.from({ length: WARM }, () => time(fn));
}
process.stdout.write(`${JSON.stringify(out)}\n`);
