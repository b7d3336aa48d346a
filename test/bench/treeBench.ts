// Benchmark of the federation tree on the test bed's scale scenario (1, 5 and 10 clusters):
// - ours: a fresh FederationModel until every cluster is watched and every row of the tree is built;
// - floor: the same LIST calls, all in parallel, by a bare @kubernetes/client-node script (no tree, no watch);
// - kubectl: the incumbent's way, one `kubectl get … -o json` process per folder, one after the other as folders
//   are expanded (`kubectl_ms`), and also 4 at a time on these 2 cores (`kubectl_parallel4_ms`), the most
//   favourable case for it;
// - watch: time from an API write to the changed row in the model, p50/p95 over many writes.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { HttpMethod, IsomorphicFetchHttpLibrary, KubeConfig, RequestContext } from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';
import { ensureTestbed } from '../testbed/index.ts';
import { FederationModel } from '../../src/infra/federationModel.ts';
import { WATCH_SPECS } from '../../src/infra/cluster/clusterWatches.ts';
import type { TreeNodeView } from '../../src/core/tree/view.ts';
import { silentLogger } from '../../src/infra/log.ts';

const run = promisify(execFile);
const SIZES = [1, 5, 10];
const REPEAT = 3;
const PAIRS = 6;
const KUBECTL_PARALLEL = 4;

interface Kc {
  clusters: { name: string }[];
  users: { name: string }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

async function subsetKubeconfig(full: Kc, n: number, dir: string): Promise<{ file: string; contexts: string[] }> {
  const contexts = full.contexts.slice(0, n);
  const clusters = new Set(contexts.map((c) => c.context.cluster));
  const users = new Set(contexts.map((c) => c.context.user));
  const doc = { ...full, clusters: full.clusters.filter((c) => clusters.has(c.name)), users: full.users.filter((u) => users.has(u.name)), contexts };
  const file = path.join(dir, `kubeconfig-${n}`);
  await writeFile(file, stringify(doc), { mode: 0o600 });
  return { file, contexts: contexts.map((c) => c.name) };
}

function walk(model: FederationModel, rows: TreeNodeView[]): number {
  let n = rows.length;
  for (const r of rows) n += walk(model, model.children(r.id));
  return n;
}

async function ours(file: string): Promise<{ ms: number; rows: number; lists: number; podNamespaces: Map<string, string[]> }> {
  const t0 = performance.now();
  const model = new FederationModel({ sources: [{ path: file, origin: 'setting' }], timeoutMs: 10_000, allowExec: false }, silentLogger);
  let settledResolve: () => void = () => undefined;
  const settled = new Promise<void>((r) => (settledResolve = r));
  const sub = model.onDidChange(() => {
    if (model.settled && model.clusters.every((c) => model.session(c.id)?.state.kind === 'reachable')) settledResolve();
  });
  await model.activate();
  for (const r of model.roots()) model.children(r.id); // expand every cluster, as the user opening them
  if (!(model.settled && model.clusters.every((c) => model.session(c.id)?.state.kind === 'reachable'))) await settled;
  const rows = walk(model, model.roots());
  const ms = performance.now() - t0;
  sub.dispose();
  let lists = 0;
  const podNamespaces = new Map<string, string[]>();
  for (const c of model.clusters) {
    const s = model.session(c.id)!;
    lists += s.requestCounts.lists;
    podNamespaces.set(c.contextName, [...new Set((s.snapshot?.pods ?? []).map((p) => p.metadata.namespace ?? ''))]);
  }
  model.dispose();
  return { ms, rows, lists, podNamespaces };
}

const http = new IsomorphicFetchHttpLibrary();

async function rawList(kc: KubeConfig, p: string, query: Record<string, string>): Promise<number> {
  const ctx = new RequestContext(kc.getCurrentCluster()!.server + p, HttpMethod.GET);
  for (const [k, v] of Object.entries(query)) ctx.setQueryParam(k, v);
  await kc.applySecurityAuthentication(ctx);
  const resp = await http.send(ctx).toPromise();
  const body = JSON.parse(await resp.body.text()) as { items?: unknown[] };
  if (resp.httpStatusCode !== 200) throw new Error(`LIST ${p}: HTTP ${resp.httpStatusCode}`);
  return body.items?.length ?? 0;
}

async function floor(file: string, contexts: string[], podNamespaces: Map<string, string[]>): Promise<{ ms: number; lists: number }> {
  const t0 = performance.now();
  let lists = 0;
  const calls: Promise<number>[] = [];
  for (const ctx of contexts) {
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    kc.setCurrentContext(ctx);
    for (const spec of Object.values(WATCH_SPECS)) {
      const q: Record<string, string> = {};
      if (spec.labelSelector) q.labelSelector = spec.labelSelector;
      if (spec.fieldSelector) q.fieldSelector = spec.fieldSelector;
      calls.push(rawList(kc, spec.path, q));
    }
    for (const ns of podNamespaces.get(ctx) ?? []) calls.push(rawList(kc, `/api/v1/namespaces/${ns}/pods`, {}));
  }
  lists = calls.length;
  await Promise.all(calls);
  return { ms: performance.now() - t0, lists };
}

function kubectlCalls(podNamespaces: Map<string, string[]>, contexts: string[]): string[][] {
  const calls: string[][] = [];
  for (const ctx of contexts) {
    const c = ['--context', ctx];
    calls.push(
      [...c, 'get', 'configmap', 'liqo-clusterid-configmap', '-n', 'liqo', '-o', 'json'],
      [...c, 'get', 'deployments', '-n', 'liqo', '-l', 'app.kubernetes.io/name=controller-manager,app.kubernetes.io/component=controller-manager', '-o', 'json'],
      [...c, 'get', 'pods', '-n', 'liqo', '-o', 'json'],
      [...c, 'get', 'namespaces', '-o', 'json'],
      [...c, 'get', 'foreignclusters.core.liqo.io', '-o', 'json'],
      [...c, 'get', 'virtualnodes.offloading.liqo.io', '-A', '-o', 'json'],
      [...c, 'get', 'nodes', '-l', 'liqo.io/type=virtual-node', '-o', 'json'],
      [...c, 'get', 'resourceslices.authentication.liqo.io', '-A', '-o', 'json'],
      [...c, 'get', 'namespaceoffloadings.offloading.liqo.io', '-A', '-o', 'json'],
      [...c, 'get', 'tenants.authentication.liqo.io', '-A', '-o', 'json'],
      [...c, 'get', 'shadowpods.offloading.liqo.io', '-A', '-o', 'json'],
    );
    for (const ns of podNamespaces.get(ctx) ?? []) calls.push([...c, 'get', 'pods', '-n', ns, '-o', 'json']);
  }
  return calls;
}

async function kubectlWay(kubectl: string, file: string, calls: string[][], cacheDir: string, concurrency: number): Promise<number> {
  const t0 = performance.now();
  const queue = [...calls];
  const env = { ...process.env, KUBECONFIG: file, KUBECACHEDIR: cacheDir };
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      await run(kubectl, ['--cache-dir', cacheDir, ...next], { env, maxBuffer: 64 * 1024 * 1024 });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - t0;
}

async function watchLatency(file: string, contexts: string[], samples: number): Promise<number[]> {
  const model = new FederationModel({ sources: [{ path: file, origin: 'setting' }], timeoutMs: 10_000, allowExec: false }, silentLogger);
  await model.activate();
  for (const r of model.roots()) model.children(r.id);
  while (!(model.settled && model.clusters.every((c) => model.session(c.id)?.state.kind === 'reachable'))) await new Promise((r) => setTimeout(r, 20));
  walk(model, model.roots());
  const out: number[] = [];
  const kcs = new Map(
    contexts.map((ctx) => {
      const kc = new KubeConfig();
      kc.loadFromFile(file);
      kc.setCurrentContext(ctx);
      return [ctx, kc] as const;
    }),
  );
  // Each sample rewrites the reason of a ForeignCluster condition through /status (scale clusters have no
  // controller-manager, so created namespaces could never be deleted) and waits for that condition's row.
  for (let i = 0; i < samples; i++) {
    const ctx = contexts[i % contexts.length]!;
    const entry = model.clusters.find((c) => c.contextName === ctx)!;
    const fcName = ctx === contexts[0] ? contexts[1]! : contexts[0]!;
    const reason = `BenchReason${Date.now()}x${i}`;
    const rowId = `cluster:${entry.id}/peerings/${fcName}/condition/APIServerStatus`;
    const seen = new Promise<number>((resolve) => {
      const sub = model.onDidChange(() => {
        if (model.node(rowId)?.description?.includes(reason)) {
          sub.dispose();
          resolve(performance.now());
        }
      });
    });
    const kc = kcs.get(ctx)!;
    const t0 = performance.now();
    const req = new RequestContext(`${kc.getCurrentCluster()!.server}/apis/core.liqo.io/v1beta1/foreignclusters/${fcName}/status`, HttpMethod.PATCH);
    req.setHeaderParam('Content-Type', 'application/json-patch+json');
    req.setBody(JSON.stringify([{ op: 'replace', path: '/status/conditions/0/reason', value: reason }]));
    await kc.applySecurityAuthentication(req);
    const resp = await http.send(req).toPromise();
    if (resp.httpStatusCode >= 300) throw new Error(`patch ForeignCluster ${fcName} on ${ctx}: HTTP ${resp.httpStatusCode} ${await resp.body.text()}`);
    const t1 = await Promise.race([seen, new Promise<number>((_, rej) => setTimeout(() => rej(new Error(`reason ${reason} never reached row ${rowId}`)), 10_000))]);
    out.push(t1 - t0);
    await new Promise((r) => setTimeout(r, 25));
  }
  model.dispose();
  return out;
}

export async function benchTree(): Promise<void> {
  const max = Math.max(...SIZES);
  const tb = await ensureTestbed(`scale-${max}`);
  const dir = await mkdtemp(path.join(tmpdir(), 'liqo-bench-'));
  try {
    const full = parse(await readFile(tb.kubeconfig, 'utf8')) as Kc;
    for (const n of SIZES) {
      const { file, contexts } = await subsetKubeconfig(full, n, dir);
      const cacheDir = path.join(dir, `kubectl-cache-${n}`);
      const warm = await ours(file); // warms connections and tells which namespaces' pods the tree lists
      const calls = kubectlCalls(warm.podNamespaces, contexts);
      await kubectlWay(tb.kubectl, file, calls.slice(0, contexts.length * 11), cacheDir, KUBECTL_PARALLEL); // kubectl's discovery cache, as a user's would be
      await floor(file, contexts, warm.podNamespaces);
      const o: number[] = [];
      const f: number[] = [];
      const k: number[] = [];
      const k4: number[] = [];
      let rows = 0;
      let lists = 0;
      let floorLists = 0;
      // ours and the floor alternate which goes first, before any kubectl run (whose load lingers in the servers).
      for (let i = 0; i < PAIRS; i++) {
        const runOurs = async (): Promise<void> => {
          const a = await ours(file);
          o.push(a.ms);
          rows = a.rows;
          lists = a.lists;
        };
        const runFloor = async (): Promise<void> => {
          const b = await floor(file, contexts, warm.podNamespaces);
          f.push(b.ms);
          floorLists = b.lists;
        };
        if (i % 2 === 0) {
          await runOurs();
          await runFloor();
        } else {
          await runFloor();
          await runOurs();
        }
      }
      for (let i = 0; i < REPEAT; i++) {
        k.push(await kubectlWay(tb.kubectl, file, calls, cacheDir, 1));
        k4.push(await kubectlWay(tb.kubectl, file, calls, cacheDir, KUBECTL_PARALLEL));
      }
      const oursMs = median(o);
      const floorMs = median(f);
      const kubectlMs = median(k);
      const kubectl4Ms = median(k4);
      console.log(
        JSON.stringify({
          bench: 'tree',
          clusters: n,
          ours_ms: round(oursMs),
          floor_ms: round(floorMs),
          kubectl_ms: round(kubectlMs),
          ratio_floor: round(oursMs / floorMs, 2),
          speedup_kubectl: round(kubectlMs / oursMs, 1),
          kubectl_parallel4_ms: round(kubectl4Ms),
          speedup_kubectl_parallel4: round(kubectl4Ms / oursMs, 1),
          rows,
          lists_ours: lists,
          lists_floor: floorLists,
          kubectl_processes: calls.length,
          runs: { ours_floor: PAIRS, kubectl: REPEAT },
        }),
      );
    }
    const { file, contexts } = await subsetKubeconfig(full, max, dir);
    const lat = await watchLatency(file, contexts, 40);
    const p50 = percentile(lat, 50);
    const p95 = percentile(lat, 95);
    console.log(JSON.stringify({ bench: 'watch', clusters: max, samples: lat.length, p50_ms: round(p50), p95_ms: round(p95), max_ms: round(Math.max(...lat)), ratio_p95_to_goal: round(p95 / 300, 2) }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
