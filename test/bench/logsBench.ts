// Benchmark of the log pipeline, two measurements in one run:
// - capacity: socket → decode → resume filter → prefix → batch → sink, through the real ClusterClient, fed by a
//   local HTTP server (its own process) streaming 5M lines in the API server's chunked format faster than the
//   pipeline takes them; lines/s, and RSS growth sampled every 50 ms over the run, from a baseline taken after a
//   full GC. The source's own rate (the same GET through the same client, bytes only counted) is reported beside
//   it, to show the source is not the limit. Run for both ways a view takes lines (appending, the default, and
//   trimming), CAPACITY_RUNS times each, alternating, each in a fresh process (logsCapacityRun.ts) so that no run
//   inherits another's heap: per view the medians and every run's figures, and as the headline the worse view's
//   medians. One run's RSS peak depends on when V8 happens to free the socket's dead read buffers;
// - against kubectl: the same long pod log through the test bed (kwok serves it), ours and the test bed's
//   `kubectl logs` alternating, PAIRS times (who goes first alternates too, so that a drift of the machine's load
//   favours neither); the medians of each, and the ratio as the median of the pairs' ratios
//   (and, for context, `kubectl logs --timestamps`, and whether ours asked the server for timestamps: a one-shot
//   read does not unless they are shown, a follow stream does). The load average is reported beside them.
import { spawn } from 'node:child_process';
import { appendFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'yaml';
import { ensureTestbed } from '../testbed/index.ts';
import { buildClusterList } from '../../src/core/kubeconfig/clusters.ts';
import { loadKubeconfigs } from '../../src/infra/kubeconfig/loadFiles.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import type { ClusterClient } from '../../src/infra/cluster/clusterClient.ts';
import { LogBatcher } from '../../src/infra/logs/logBatcher.ts';
import { streamPodLog } from '../../src/infra/logs/podLogStream.ts';
import { asksTimestamps, type LogOptions } from '../../src/core/logs/logSource.ts';
import { testbedContexts } from '../integration/support/contexts.ts';

const CAPACITY_LINES = 5_000_000;
const KUBECTL_LINES = 1_000_000;
const PAIRS = 5;
const CAPACITY_RUNS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** What the pipeline reads, as `kubectl logs` without flags: the whole log once. */
const READ_OPTIONS: LogOptions = { follow: false, previous: false, timestamps: false };

async function clientFor(server: string): Promise<{ client: ClusterClient; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'liqo-logs-bench-'));
  const file = path.join(dir, 'kubeconfig');
  await writeFile(file, stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'src', cluster: { server } }], users: [{ name: 'anon', user: {} }], contexts: [{ name: 'src', context: { cluster: 'src', user: 'anon' } }], 'current-context': 'src' }), { mode: 0o600 });
  const list = buildClusterList(await loadKubeconfigs([{ path: file, origin: 'setting' }]));
  const resolved = list.resolved.get(list.clusters[0]!.id);
  if (!resolved) throw new Error(`bench kubeconfig: ${list.clusters[0]?.configError ?? 'not resolved'}`);
  return { client: createClusterClient(resolved, { timeoutMs: 10_000 }), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * The two ways a log view takes its lines (src/ui/logs/logViews.ts): `appending`, the default (liqo.logs.maxLines
 * at or above the terminal's scrollback: the terminal trims by itself, the view is only appended to), and
 * `trimming` (liqo.logs.maxLines below the scrollback: past 1.5 × maxLines the view is replaced by the kept lines).
 */
export type ViewKind = 'appending' | 'trimming';
export const VIEW_KINDS: readonly ViewKind[] = ['appending', 'trimming'];

/** Runs the whole pipeline over one GET; returns lines delivered to the sink and seconds. */
async function pipeline(client: ClusterClient, context: string, namespace: string, pod: string, view: ViewKind = 'appending'): Promise<{ lines: number; seconds: number }> {
  let appended = 0;
  const batcher = new LogBatcher({ append: (t) => void (appended += t.length), replace: (t) => void (appended += t.length) }, { maxLines: 50_000, prefixed: true, showTimestamps: false, viewTrims: view === 'appending' });
  const prefix = `${context}/${pod}/main`;
  const t0 = performance.now();
  const r = await streamPodLog({ routes: [{ target: { context, namespace, pod }, client }], options: READ_OPTIONS, sink: { write: (ev) => batcher.write(prefix, ev) }, signal: new AbortController().signal });
  await batcher.flush();
  const seconds = (performance.now() - t0) / 1000;
  batcher.dispose();
  if (r.ended !== 'complete') throw new Error(`pipeline ended ${r.ended}: ${r.error ?? ''}`);
  return { lines: batcher.lines, seconds };
}

/** The source alone: the same GET (no timestamps asked, as the pipeline's read) through the same client, its lines counted in the bytes and nothing else done. */
async function sourceRate(client: ClusterClient): Promise<number> {
  const t0 = performance.now();
  const res = await client.stream('/api/v1/namespaces/default/pods/bench/log', {}, new AbortController().signal);
  let n = 0;
  for await (const chunk of res.body) for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) n++;
  if (n !== CAPACITY_LINES) throw new Error(`the source sent ${n} lines, not ${CAPACITY_LINES}`);
  return Math.round(n / ((performance.now() - t0) / 1000));
}

export interface Capacity {
  lines: number;
  lines_per_s: number;
  rss_growth_mb: number;
  source_lines_per_s: number;
}

export async function capacity(view: ViewKind): Promise<Capacity> {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'logSourceServer.ts'), String(CAPACITY_LINES)], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
    const { client, cleanup } = await clientFor(`http://127.0.0.1:${port}`);
    try {
      globalThis.gc?.();
      const base = process.memoryUsage().rss;
      let peak = base;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
      const r = await pipeline(client, 'bench-source', 'default', 'bench', view);
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      // Exactly the source's lines: a marker or notice (a read done again, an end not confirmed) would show here.
      if (r.lines !== CAPACITY_LINES) throw new Error(`the pipeline delivered ${r.lines} lines, not the source's ${CAPACITY_LINES}`);
      // After the pipeline's run, so that its RSS is measured from a fresh start.
      const source = await sourceRate(client);
      return { lines: r.lines, lines_per_s: Math.round(r.lines / r.seconds), rss_growth_mb: Math.round(((peak - base) / 2 ** 20) * 10) / 10, source_lines_per_s: source };
    } finally {
      client.dispose();
      await cleanup();
    }
  } finally {
    child.stdin!.end();
    child.kill();
  }
}

/** A pod served from the catch-all log file, with KUBECTL_LINES lines appended to that file. */
async function kubectlComparison(): Promise<{ kubectl_lines_per_s: number; kubectl_timestamps_lines_per_s: number; ours_testbed_lines_per_s: number; testbed_lines: number; pairs: number; ratio: number; ratioStamped: number; pairRatios: number[] }> {
  const tb = await ensureTestbed('seed-000');
  const ctxs = await testbedContexts(tb.kubeconfig);
  const context = 'cluster-b';
  const client = createClusterClient(await ctxs.resolve(context), { timeoutMs: 10_000 });
  const ns = 'default';
  const pod = 'logs-bench';
  try {
    await client.apply(`/api/v1/namespaces/${ns}/pods/${pod}`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: pod, namespace: ns }, spec: { nodeName: `${context}-worker`, containers: [{ name: 'main', image: 'busybox' }] } }, { fieldManager: 'liqo-bench' });
    const file = path.join(tb.stateDir, 'clusters', context, 'pod-logs', 'other.log');
    const marker = `logs-bench-${Date.now()}`;
    // Appended once per test bed (a file already that long is reused), an hour in the past.
    const base = Date.now() - 3_600_000;
    let chunk = '';
    const have = statSync(file).size;
    for (let i = have > KUBECTL_LINES * 60 ? KUBECTL_LINES : 0; i < KUBECTL_LINES; i++) {
      chunk += `${new Date(base + Math.floor(i / 1000)).toISOString()} stdout F ${marker} step=${i} loss=0.${String(i % 10000).padStart(4, '0')} lr=2.0e-05\n`;
      if (chunk.length > 1 << 22) {
        appendFileSync(file, chunk);
        chunk = '';
      }
    }
    appendFileSync(file, chunk);
    // wait until kwok serves the pod's log
    for (let i = 0; i < 100; i++) {
      const p = await client.get<{ status?: { phase?: string } }>(`/api/v1/namespaces/${ns}/pods/${pod}`);
      if (p?.status?.phase === 'Running') break;
      await new Promise((r) => setTimeout(r, 300));
    }
    const kubectlRate = async (extra: string[]) => {
      const t0 = performance.now();
      const out = await new Promise<number>((resolve, reject) => {
        const k = spawn(tb.kubectl, ['--kubeconfig', tb.kubeconfig, '--context', context, 'logs', '-n', ns, pod, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
        let n = 0;
        k.stdout.on('data', (b: Buffer) => {
          for (let j = b.indexOf(10); j >= 0; j = b.indexOf(10, j + 1)) n++;
        });
        k.on('error', reject);
        k.on('close', (code) => (code === 0 ? resolve(n) : reject(new Error(`kubectl logs exited ${code}`))));
      });
      return out / ((performance.now() - t0) / 1000);
    };
    const ours: number[] = [];
    const theirs: number[] = [];
    // For context: `kubectl logs --timestamps` (the server writes a timestamp per line; ours asks for them only
    // when it follows or shows them). The ratio is against plain `kubectl logs`, what a user compares with.
    const theirsStamped: number[] = [];
    let testbedLines = 0;
    const oursRate = async () => {
      const run = await pipeline(client, context, ns, pod);
      testbedLines = run.lines;
      return run.lines / run.seconds;
    };
    for (let i = 0; i < PAIRS; i++) {
      if (i % 2 === 0) {
        ours.push(await oursRate());
        theirs.push(await kubectlRate([]));
      } else {
        theirs.push(await kubectlRate([]));
        ours.push(await oursRate());
      }
      theirsStamped.push(await kubectlRate(['--timestamps']));
    }
    const r2 = (x: number) => Math.round(x * 100) / 100;
    return {
      kubectl_lines_per_s: Math.round(median(theirs)),
      kubectl_timestamps_lines_per_s: Math.round(median(theirsStamped)),
      ours_testbed_lines_per_s: Math.round(median(ours)),
      testbed_lines: testbedLines,
      pairs: PAIRS,
      ratio: r2(median(ours.map((x, i) => x / theirs[i]!))),
      pairRatios: ours.map((x, i) => r2(x / theirs[i]!)),
      ratioStamped: r2(median(ours.map((x, i) => x / theirsStamped[i]!))),
    };
  } finally {
    await client.delete(`/api/v1/namespaces/${ns}/pods/${pod}`).catch(() => undefined);
    client.dispose();
    await ctxs.dispose();
  }
}

/** One capacity run in a fresh process (with `--expose-gc`, for the baseline's full GC). */
async function capacityInChild(view: ViewKind): Promise<Capacity> {
  const child = spawn(process.execPath, ['--expose-gc', path.join(import.meta.dirname, 'logsCapacityRun.ts'), view], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
  if (code !== 0) throw new Error(`the capacity run (logsCapacityRun.ts ${view}) exited ${code}: ${out.trim()}`);
  return JSON.parse(out) as Capacity;
}

export async function benchLogs(): Promise<void> {
  const runs = new Map<ViewKind, Capacity[]>(VIEW_KINDS.map((v) => [v, []]));
  // Alternating the views, so that a drift of the machine's load favours neither.
  for (let i = 0; i < CAPACITY_RUNS; i++) for (const v of VIEW_KINDS) runs.get(v)!.push(await capacityInChild(v));
  const per = VIEW_KINDS.map((v) => {
    const rs = runs.get(v)!;
    return { view: v, lines_per_s: median(rs.map((r) => r.lines_per_s)), rss_growth_mb: median(rs.map((r) => r.rss_growth_mb)), lines_per_s_runs: rs.map((r) => r.lines_per_s), rss_growth_mb_runs: rs.map((r) => r.rss_growth_mb) };
  });
  const all = [...runs.values()].flat();
  // The goals hold for both views: the headline figures are the worse view's medians.
  const cap = {
    lines: all[0]!.lines,
    lines_per_s: Math.min(...per.map((p) => p.lines_per_s)),
    rss_growth_mb: Math.max(...per.map((p) => p.rss_growth_mb)),
    source_lines_per_s: median(all.map((r) => r.source_lines_per_s)),
    capacity_runs_per_view: CAPACITY_RUNS,
    capacity_by_view: per,
  };
  const load0 = loadavg()[0]!;
  const k = await kubectlComparison();
  const load = Math.round(((load0 + loadavg()[0]!) / 2) * 10) / 10;
  console.log(JSON.stringify({ bench: 'logs', ...cap, kubectl_lines_per_s: k.kubectl_lines_per_s, kubectl_timestamps_lines_per_s: k.kubectl_timestamps_lines_per_s, ours_testbed_lines_per_s: k.ours_testbed_lines_per_s, ours_asks_timestamps: asksTimestamps(READ_OPTIONS), testbed_lines: k.testbed_lines, kubectl_pairs: k.pairs, kubectl_pair_ratios: k.pairRatios, ratio_kubectl: k.ratio, ratio_kubectl_timestamps: k.ratioStamped, ratio_source: Math.round((cap.source_lines_per_s / cap.lines_per_s) * 100) / 100, load_avg_1m: load, goal_lines_per_s: 200_000, goal_rss_growth_mb: 64, goal_ratio_kubectl: 1, goal_source_lines_per_s: 1_000_000 }));
}
