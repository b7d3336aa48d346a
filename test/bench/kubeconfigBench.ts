// `npm run bench -- kubeconfig`: how long each kubeconfig edit (rename, rewrite server, delete, extract, merge) takes
// on a 500-context file (about 100 KB, kubectl's layout), against the loader's parse of the same file. Each sample
// is a fresh process (test/bench/kubeconfigEditSample.ts): `first` is the first edit after the file was loaded (as
// after activation), `warm` the median of repeats. One JSON line per edit; the goal is 50 ms per edit.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { median, round } from './benchStats.ts';

const run = promisify(execFile);
const SAMPLES = Number(process.env.KUBECONFIG_BENCH_SAMPLES ?? 7);
const CONTEXTS = 500;
const GOAL_MS = 50;
const EDITS = ['rename', 'rewrite_server', 'delete', 'extract', 'merge_k3s'];

type Sample = Record<string, number | number[]>;

export async function benchKubeconfig(): Promise<void> {
  const script = fileURLToPath(new URL('./kubeconfigEditSample.ts', import.meta.url));
  const samples: Sample[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const { stdout } = await run(process.execPath, [script, String(CONTEXTS)], { timeout: 120_000 });
    samples.push(JSON.parse(stdout.trim()) as Sample);
  }
  const cold = (key: string): number => median(samples.map((s) => s[`${key}_cold_ms`] as number));
  const warm = (key: string): number => median(samples.flatMap((s) => s[`${key}_warm_ms`] as number[]));
  const loadCold = cold('load');
  const loadWarm = warm('load');
  for (const edit of EDITS) {
    const first = cold(edit);
    const again = warm(edit);
    console.log(
      JSON.stringify({
        bench: 'kubeconfig',
        edit,
        contexts: CONTEXTS,
        bytes: samples[0]!.bytes,
        first_ms: round(first),
        warm_ms: round(again),
        load_first_ms: round(loadCold),
        load_warm_ms: round(loadWarm),
        ratio_first_to_load: round(first / loadCold, 2),
        ratio_warm_to_load: round(again / loadWarm, 2),
        goal_ms: GOAL_MS,
        ratio_first_to_goal: round(first / GOAL_MS, 2),
        ratio_warm_to_goal: round(again / GOAL_MS, 2),
        samples: samples.length,
        load_avg_1m: round(loadavg()[0]!, 2),
      }),
    );
  }
}
