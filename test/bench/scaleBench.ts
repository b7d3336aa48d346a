// `npm run bench -- scale`: the explorer's model on the test bed's scale-large scenario (scale-1 with 1,000
// offloaded namespaces and 10,000 pods, plus 9 small clusters), in this Node process as the extension host would run
// it ("heap" is this process's V8 heap, measured after forced garbage collections). It measures:
// - first_tree_ms: from a new model to every cluster loaded and every row of the tree built;
// - expansion: rows expanded at random moments while pods change (time from the moment the expansion was due to
//   its rows, so a busy event loop counts), and the same on an idle model;
// - change_to_row: from a pod status PATCH sent (100 per second for a bounded time, by a worker thread) to the
//   pod's row showing it; split into the server's share (PATCH sent → its event at a bare watch on its own
//   connection and thread) and ours (that event → the row), and the write alone (PATCH sent → answered);
// - heap growth from before the model to after the changes, and connections held per API server (from /proc).
import { readFile } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parse } from 'yaml';
import { ensureTestbed } from '../testbed/index.ts';
import { LARGE } from '../testbed/scenarios/scale.ts';
import { bareCluster } from './bareClient.ts';
import { heapUsedMb, percentile, round, sleep, type Kubeconfig } from './benchStats.ts';
import { entryIds, listCount, loadFully, openModel, walk } from './modelProbe.ts';
import { runDriver, wallMs } from './podStatusDriver.ts';
import { connectionsTo } from './procSockets.ts';

const GOALS = { expansion_p95_ms: 50, change_to_row_p95_ms: 300, heap_growth_mb: 150 };
const CHANGES_PER_SECOND = 100;
const seconds = Number(process.env.LIQO_BENCH_SCALE_SECONDS ?? 30);
const DRAIN_MS = 5_000;
const IDLE_EXPANSIONS = 300;

function shuffled<T>(xs: readonly T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

export async function benchScale(): Promise<void> {
  const tb = await ensureTestbed('scale-large');
  const kc = parse(await readFile(tb.kubeconfig, 'utf8')) as Kubeconfig;
  const ports = kc.clusters.map((c) => Number(new URL(c.cluster.server).port));
  const big = kc.contexts[0]?.name ?? 'scale-1';

  const heapBefore = heapUsedMb();
  const t0 = performance.now();
  const model = openModel(tb.kubeconfig);
  try {
    await loadFully(model);
    // Only ids are kept from the walk: holding the rows themselves would keep old rows alive after rebuilds and
    // count them as the model's heap.
    const { rowCount, podRows, expandable } = ((rows) => {
      const bigId = entryIds(model).get(big);
      const pods = new Map<string, string>();
      for (const r of rows) if (r.resource?.kind === 'pods' && r.resource.entryId === bigId) pods.set(r.resource.key, r.id);
      return { rowCount: rows.length, podRows: pods, expandable: rows.filter((r) => r.collapsible !== 'none').map((r) => r.id) };
    })(walk(model, model.roots()));
    const firstTreeMs = performance.now() - t0;
    const heapTree = heapUsedMb();
    const connectionsLoaded = connectionsTo(ports);
    const pick = (): string => expandable[Math.floor(Math.random() * expandable.length)] as string;

    const idle: number[] = [];
    for (let i = 0; i < IDLE_EXPANSIONS; i++) {
      const id = pick();
      const s = performance.now();
      model.children(id);
      idle.push(performance.now() - s);
    }

    // --- under changes -------------------------------------------------------------------------------------------
    const pending = new Map<string, { marker: string; at: number; answeredAt?: number }>();
    const latencies: number[] = [];
    // The split of each latency, to tell a slow server from a slow explorer: the API server's write (PATCH sent →
    // answered), and the server's share (PATCH sent → the same change's event at a bare watch in the driver's
    // thread) against ours (that event → the row; 0 when the row showed it first).
    const sentAt = new Map<string, number>();
    const eventSent = new Map<string, { at: number; rowId: string }>();
    const eventAt = new Map<string, number>();
    const serverEvents: number[] = [];
    const afterEvent: number[] = [];
    const writes: number[] = [];
    const afterAnswer: number[] = [];
    let rowBeforeAnswer = 0;
    let failed = 0;
    const seen = (rowId: string): void => {
      const p = pending.get(rowId);
      if (p && model.node(rowId)?.tooltip?.includes(p.marker)) {
        const now = wallMs();
        latencies.push(now - p.at);
        if (p.answeredAt === undefined) rowBeforeAnswer++;
        else afterAnswer.push(now - p.answeredAt);
        const ev = eventAt.get(p.marker);
        if (ev !== undefined) afterEvent.push(now - ev);
        eventAt.delete(p.marker);
        pending.delete(rowId);
      }
    };
    const sub = model.onDidChange(() => {
      for (const id of [...pending.keys()]) seen(id);
    });
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    let churning = true;
    const maxConnections = new Map<number, number>();
    const driverPorts = new Set<number>();
    const sampleConnections = (): void => {
      for (const [port, n] of connectionsTo(ports, driverPorts)) maxConnections.set(port, Math.max(maxConnections.get(port) ?? 0, n));
    };
    const connectionSampler = (async () => {
      while (churning) {
        sampleConnections();
        await sleep(500);
      }
    })();
    const expansions: number[] = [];
    const expansionCalls: number[] = [];
    const expander = (async () => {
      while (churning) {
        const due = wallMs() + 50 + Math.random() * 200;
        await sleep(due - wallMs());
        const id = pick();
        const s = wallMs();
        model.children(id);
        const end = wallMs();
        expansions.push(end - due);
        expansionCalls.push(end - s);
      }
    })();
    const pods = shuffled([...podRows.keys()]).map((k) => {
      const [namespace = '', name = ''] = k.split('/');
      return { namespace, name };
    });
    const driven = await runDriver({ cluster: bareCluster(kc, big), pods, perSecond: CHANGES_PER_SECOND, durationMs: seconds * 1000, maxInFlight: 50 }, (m) => {
      if (m.kind === 'ports') for (const p of m.local) driverPorts.add(p);
      else if (m.kind === 'sent') {
        const rowId = podRows.get(`${m.namespace}/${m.name}`);
        if (!rowId) return;
        sentAt.set(m.marker, m.at);
        eventSent.set(m.marker, { at: m.at, rowId });
        pending.set(rowId, { marker: m.marker, at: m.at });
        seen(rowId);
      } else if (m.kind === 'event') {
        const sent = eventSent.get(m.marker);
        if (sent === undefined) return;
        eventSent.delete(m.marker);
        serverEvents.push(m.at - sent.at);
        // kept only for a change whose row has not shown it yet (a row seen first: our share is ≤ 0)
        const p = pending.get(sent.rowId);
        if (p?.marker === m.marker) eventAt.set(m.marker, m.at);
        else afterEvent.push(0);
      } else if (m.kind === 'answered') {
        const at = sentAt.get(m.marker);
        if (at !== undefined) writes.push(m.at - at);
        sentAt.delete(m.marker);
        const p = pending.get(podRows.get(`${m.namespace}/${m.name}`) ?? '');
        if (p?.marker === m.marker) p.answeredAt = m.at;
      } else if (m.kind === 'failed') {
        failed++;
        const rowId = podRows.get(`${m.namespace}/${m.name}`);
        if (rowId && pending.get(rowId)?.marker === m.marker) pending.delete(rowId);
      }
    });
    for (const end = Date.now() + DRAIN_MS; pending.size > 0 && Date.now() < end; ) {
      await sleep(50);
      for (const id of [...pending.keys()]) seen(id);
    }
    churning = false;
    await Promise.all([expander, connectionSampler]);
    loop.disable();
    sub.dispose();
    const unseen = pending.size;
    const heapAfter = heapUsedMb();
    const perCluster = [...maxConnections.values()];

    const expansionP95 = percentile(expansions, 95);
    const changeP95 = percentile(latencies, 95);
    const heapGrowth = heapAfter - heapBefore;
    console.log(
      JSON.stringify({
        bench: 'scale',
        first_tree_ms: round(firstTreeMs),
        expansion_p95_ms: round(expansionP95),
        change_to_row_p95_ms: round(changeP95),
        heap_growth_mb: round(heapGrowth),
        connections_per_cluster: Math.max(...perCluster),
        goals: GOALS,
        ratio_expansion_p95_to_goal: round(expansionP95 / GOALS.expansion_p95_ms, 2),
        ratio_change_to_row_p95_to_goal: round(changeP95 / GOALS.change_to_row_p95_ms, 2),
        ratio_heap_growth_to_goal: round(heapGrowth / GOALS.heap_growth_mb, 2),
        expansion_p50_ms: round(percentile(expansions, 50)),
        expansion_call_p95_ms: round(percentile(expansionCalls, 95), 2),
        expansion_idle_p95_ms: round(percentile(idle, 95), 3),
        expansions: expansions.length,
        change_to_row_p50_ms: round(percentile(latencies, 50)),
        change_to_row_max_ms: round(Math.max(...latencies)),
        write_p50_ms: round(percentile(writes, 50)),
        write_p95_ms: round(percentile(writes, 95)),
        answer_to_row_p50_ms: round(percentile(afterAnswer, 50)),
        answer_to_row_p95_ms: round(percentile(afterAnswer, 95)),
        rows_before_answer: rowBeforeAnswer,
        server_event_p50_ms: round(percentile(serverEvents, 50)),
        server_event_p95_ms: round(percentile(serverEvents, 95)),
        event_to_row_p50_ms: round(percentile(afterEvent, 50)),
        event_to_row_p95_ms: round(percentile(afterEvent, 95)),
        changes_sent: driven.sent,
        changes_per_second: round(driven.sent / driven.seconds),
        changes_seen: latencies.length,
        changes_unseen: unseen,
        changes_failed: failed,
        changes_skipped: driven.skipped,
        event_loop_delay_p99_ms: round(loop.percentile(99) / 1e6),
        heap_before_mb: round(heapBefore),
        heap_full_tree_mb: round(heapTree),
        heap_after_changes_mb: round(heapAfter),
        heap_churn_growth_mb: round(heapAfter - heapTree),
        connections_after_load: Object.fromEntries(kc.contexts.map((c, i) => [c.name, connectionsLoaded.get(ports[i] ?? 0) ?? 0])),
        connections_max_under_changes: Object.fromEntries(kc.contexts.map((c, i) => [c.name, maxConnections.get(ports[i] ?? 0) ?? 0])),
        rows: rowCount,
        lists_ours: listCount(model) ?? null,
        pod_rows_big_cluster: podRows.size,
        scenario: { name: 'scale-large', big_cluster: { namespaces: LARGE.namespaces, pods: LARGE.namespaces * LARGE.pods }, small_clusters: kc.contexts.length - 1 },
        changes_seconds: seconds,
        heap: 'V8 heapUsed of the Node process running the model (the extension host runs the same model), after forced GC',
      }),
    );
  } finally {
    model.dispose();
  }
}
