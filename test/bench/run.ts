// `npm run bench [-- <name>...]`: runs the named benchmarks (all by default) on the test bed and prints one JSON
// object per line, each with the ratio it measures. Timings are compared within one run, never asserted.
import { benchScale } from './scaleBench.ts';
import { benchTree } from './treeBench.ts';
import { benchLogs } from './logsBench.ts';
import { benchActivation } from './activationBench.ts';
import { benchLogView } from './logViewBench.ts';
import { benchKubeconfig } from './kubeconfigBench.ts';
import { benchMap } from './mapBench.ts';

const benches: Record<string, () => Promise<void>> = { tree: benchTree, scale: benchScale, logs: benchLogs, activation: benchActivation, logview: benchLogView, kubeconfig: benchKubeconfig, map: benchMap };
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(benches);
for (const n of names) {
  const b = benches[n];
  if (!b) {
    console.error(`unknown benchmark "${n}": choose from ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  await b();
}
process.exit(0);
