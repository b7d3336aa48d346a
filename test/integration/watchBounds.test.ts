// The watch layer's request bound whatever the server answers, against a real test-bed API server behind the fault
// proxy, with the product's own backoff (1 s doubling to 30 s): each watch's requests in a window stay within
// maxWatchRequests (support/watchBound.ts, the bound resourceWatch.ts states: at most 2 requests per ½ s, 4 per
// second, far fewer as a fault lasts), Retry-After is honoured, and once the fault ends the caches converge to the
// server's real state (no update made during the fault is lost). First one test per server behaviour that used to
// loop, then a property test whose server answers are drawn from a seeded PRNG (LIQO_WATCH_SEED=<n> replays a run).
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { createClusterClient } from '../../src/infra/cluster/httpClusterClient.ts';
import type { ClusterClient } from '../../src/infra/cluster/clusterClient.ts';
import { ClusterWatches } from '../../src/infra/cluster/clusterWatches.ts';
import { FaultProxy, type Fault, type RequestRecord } from './support/faultProxy.ts';
import { testbedContexts, type Contexts } from './support/contexts.ts';
import { kubectl } from './support/treeHarness.ts';
import { maxWatchRequests } from './support/watchBound.ts';
import { mulberry32 as prng } from '../unit/seededRandom.ts';

const CLUSTER = 'kind-mlops-platform';
const TIMEOUT_MS = 2000;
/** Hang detector for one case's convergence: longer than the longest backoff wait (30 s), not a performance claim. */
const CONVERGE_MS = 45_000;

let tb: Testbed;
let contexts: Contexts;
let proxy: FaultProxy;
const created = new Set<string>();
let open: { client: ClusterClient; watches: ClusterWatches } | undefined;

before(async () => {
  tb = await ensureTestbed('seed-000');
  contexts = await testbedContexts(tb.kubeconfig);
  proxy = await FaultProxy.start(tb.kubeconfig, CLUSTER, tb.stateDir);
});

afterEach(() => {
  open?.watches.stop();
  open?.client.dispose();
  open = undefined;
  proxy.set({ kind: 'none' });
});

after(async () => {
  await proxy?.close();
  await contexts?.dispose();
  if (created.size > 0) await kubectl(tb.kubectl, tb.kubeconfig, CLUSTER, 'delete', 'namespace', '--wait=false', '--ignore-not-found', ...created);
});

/** Every watch of an expanded cluster, through the proxy, loaded and quiet. */
async function watched(): Promise<ClusterWatches> {
  const client = createClusterClient(await contexts.resolve(CLUSTER, (c) => (c.server = proxy.url)), { timeoutMs: TIMEOUT_MS });
  const watches = new ClusterWatches(client, { changed: () => undefined, transport: () => undefined }, { debounceMs: 10 });
  open = { client, watches };
  watches.start('full');
  await until(() => watches.settled && allReady(watches), 'the watches loaded', 60_000);
  return watches;
}

function allReady(w: ClusterWatches): boolean {
  return Object.values(w.snapshot().kinds).every((s) => s.kind === 'ready' || s.kind === 'absent');
}

async function until(pred: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (!(await pred())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Requests per watch (path and selectors: its LISTs and WATCHes) in [from, to]. */
function perPath(from: number, to: number): Map<string, number> {
  return new Map([...requestTimes(from, to)].map(([key, times]) => [key, times.length]));
}

/** Asks of one path closer than this are one ask raced by the restart (see the Retry-After test). */
const RACE_MS = 250;

/** Each path's request times (ms since epoch, ascending) between `from` and `to`. */
function requestTimes(from: number, to: number): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const r of proxy.requests) {
    if (r.at < from || r.at > to) continue;
    const key = r.selectors === ';' ? r.path : `${r.path}?${r.selectors}`;
    const times = m.get(key);
    if (times) times.push(r.at);
    else m.set(key, [r.at]);
  }
  for (const times of m.values()) times.sort((a, b) => a - b);
  return m;
}

/** Holds `fault` for `windowMs` after waking every watch into it (Retry), and returns each watch's requests. */
async function under(watches: ClusterWatches, fault: Fault, windowMs: number): Promise<Map<string, number>> {
  proxy.set(fault);
  const t0 = Date.now();
  watches.restartNow();
  await sleep(windowMs);
  const counts = perPath(t0, t0 + windowMs);
  proxy.set({ kind: 'none' });
  return counts;
}

function assertBounded(counts: Map<string, number>, windowMs: number, what: string): void {
  const bound = maxWatchRequests(windowMs);
  const worst = Math.max(0, ...counts.values());
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  console.log(`# ${what}: ${total} requests on ${counts.size} watches in ${windowMs} ms, at most ${worst} by one (bound ${bound})`);
  assert.ok(counts.size > 0, `${what}: the watches met the fault`);
  for (const [p, n] of counts) assert.ok(n <= bound, `${what}: ${n} requests for ${p} in ${windowMs} ms; the bound is ${bound}`);
}

/** The namespaces as the API server has them (name → resourceVersion), read straight, not through the proxy. */
async function serverNamespaces(): Promise<Map<string, string>> {
  const out = JSON.parse(await kubectl(tb.kubectl, tb.kubeconfig, CLUSTER, 'get', 'namespaces', '-o', 'json')) as { items: { metadata: { name: string; resourceVersion: string } }[] };
  return new Map(out.items.map((n) => [n.metadata.name, n.metadata.resourceVersion]));
}

function cachedNamespaces(w: ClusterWatches): Map<string, string> {
  return new Map(w.snapshot().namespaces.map((n) => [n.metadata.name, n.metadata.resourceVersion ?? '']));
}

/** The caches hold exactly the server's namespaces, each at its current resourceVersion, and no watch is failing. */
async function converged(w: ClusterWatches, what: string): Promise<void> {
  let last = '';
  try {
    await until(async () => {
      if (!allReady(w)) return false;
      const [server, cached] = [await serverNamespaces(), cachedNamespaces(w)];
      last = `server ${JSON.stringify([...server])}\ncache  ${JSON.stringify([...cached])}`;
      return server.size === cached.size && [...server].every(([n, rv]) => cached.get(n) === rv);
    }, what, CONVERGE_MS);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${last}\n${JSON.stringify(w.snapshot().kinds)}`);
  }
}

async function createNamespace(name: string): Promise<void> {
  created.add(name);
  await kubectl(tb.kubectl, tb.kubeconfig, CLUSTER, 'create', 'namespace', name);
}

/** Hang detector per test (the test bed may start first): not a performance claim. */
const HANG_MS = 4 * 60_000;

test('410 Gone on every watch: LIST+WATCH pairs stay within the backoff, and the relisted cache is whole', { timeout: HANG_MS }, async () => {
  const w = await watched();
  for (const fault of [{ kind: 'status', code: 410, only: 'watch' }, { kind: 'watchError', code: 410 }] as const) {
    const counts = await under(w, fault, 3000);
    assertBounded(counts, 3000, `410 (${fault.kind})`);
    await createNamespace(`gone-${fault.kind.toLowerCase()}-${Date.now() % 100000}`);
    await converged(w, `converged after 410 (${fault.kind})`);
  }
});

test('one event then close (a BOOKMARK, or a real event): the watch backs off instead of looping', { timeout: HANG_MS }, async () => {
  const w = await watched();
  const counts = await under(w, { kind: 'bookmarkThenClose' }, 3000);
  assertBounded(counts, 3000, 'BOOKMARK then close');
  // Real events: the namespaces watch gets one per namespace created, and is closed after each.
  proxy.set({ kind: 'firstEventThenClose' });
  const t0 = Date.now();
  w.restartNow();
  for (let i = 0; i < 6; i++) await createNamespace(`one-event-${Date.now() % 100000}-${i}`);
  const windowMs = Date.now() - t0;
  const counts2 = perPath(t0, t0 + windowMs);
  proxy.set({ kind: 'none' });
  assertBounded(counts2, windowMs, 'first real event then close');
  await converged(w, 'converged after events-then-close');
});

test('429 and 503 with Retry-After: 5 (header or Status details): no watch asks again within 5 s', { timeout: HANG_MS }, async () => {
  const w = await watched();
  const faults: [string, Fault][] = [
    ['429, Retry-After: 5', { kind: 'status', code: 429, retryAfter: '5' }],
    ['503, Retry-After: 5', { kind: 'status', code: 503, retryAfter: '5' }],
    ['429, details.retryAfterSeconds: 5', { kind: 'status', code: 429, retryAfter: false, detailsRetryAfter: 5 }],
  ];
  for (const [what, fault] of faults) {
    const t0 = Date.now();
    const counts = await under(w, fault, 4800);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    console.log(`# ${what}: ${total} requests on ${counts.size} watches in 4.8 s`);
    assert.ok(counts.size > 0);
    // A request the client sent just before the restart can reach the proxy just after the window opened, next to the
    // restart's own (ms apart): that is one ask, not a retry. A retry comes after an answer, so two asks of one path
    // more than RACE_MS apart within the window are a retry that ignored Retry-After.
    for (const [p, times] of requestTimes(t0, t0 + 4800)) {
      const asks = times.filter((t, i) => i === 0 || t - times[i - 1]! > RACE_MS);
      assert.equal(asks.length, 1, `${what}: ${p} was asked ${asks.length} times within 4.8 s of a Retry-After of 5 s (at ${times.map((t) => t - t0).join(', ')} ms)`);
    }
    await converged(w, `converged after ${what}`);
  }
});

// ---- property test ----


const ERROR_CODES = [400, 401, 403, 404, 409, 410, 422, 429, 500, 503, 504];

/** One server answer to one request, drawn at random: every fault the watch layer can meet, sometimes the truth. */
function drawAnswer(rand: () => number, r: RequestRecord): Fault {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const retryAfter = (): string | false => (rand() < 0.5 ? false : String(1 + Math.floor(rand() * 3)));
  const common: (() => Fault)[] = [
    () => ({ kind: 'status', code: 429, retryAfter: retryAfter() }),
    () => ({ kind: 'status', code: 503, retryAfter: retryAfter() }),
    () => ({ kind: 'status', code: 500 }),
    () => ({ kind: 'rst' }),
    () => ({ kind: 'none' }),
  ];
  if (!r.watch) return pick(common)();
  const onWatch: (() => Fault)[] = [
    ...common,
    () => ({ kind: 'watchError', code: pick(ERROR_CODES) }),
    () => ({ kind: 'watchError', code: pick(ERROR_CODES) }),
    () => ({ kind: 'status', code: 410 }),
    () => ({ kind: 'bookmarkThenClose' }),
    () => ({ kind: 'closeEarly' }),
    () => ({ kind: 'firstEventThenClose' }),
  ];
  return pick(onWatch)();
}

const CASES = Number(process.env.LIQO_WATCH_CASES ?? 5);
/** Names of this run's namespaces (a replayed seed must not meet the namespaces of the run it replays). */
const RUN = Date.now().toString(36);
const SEED = Number(process.env.LIQO_WATCH_SEED ?? Date.now() % 2 ** 31);

test(`property: random server answers (seed ${SEED}, ${CASES} cases) stay within the bound and lose no update`, { timeout: HANG_MS + CASES * 60_000 }, async () => {
  console.log(`# watch fault property test seed: ${SEED} (replay: LIQO_WATCH_SEED=${SEED})`);
  const rand = prng(SEED);
  for (let c = 0; c < CASES; c++) {
    const w = await watched();
    const phases = 2 + Math.floor(rand() * 3);
    const t0 = Date.now();
    const story: string[] = [];
    let changes = 0;
    proxy.set({ kind: 'perRequest', pick: (r) => drawAnswer(rand, r) });
    w.restartNow();
    for (let p = 0; p < phases; p++) {
      const ms = 700 + Math.floor(rand() * 1800);
      const kind = rand();
      if (kind < 0.15) {
        proxy.set({ kind: 'stall' });
        story.push(`stall ${ms} ms`);
      } else {
        proxy.set({ kind: 'perRequest', pick: (r) => drawAnswer(rand, r) });
        story.push(`random answers ${ms} ms`);
      }
      const end = Date.now() + ms;
      // Updates straight on the API server while the fault holds: created, relabelled, deleted namespaces.
      const name = `prop-${RUN}-${c}-${p}`;
      await createNamespace(name);
      await kubectl(tb.kubectl, tb.kubeconfig, CLUSTER, 'label', 'namespace', name, `round=${p}`);
      changes += 2;
      if (rand() < 0.4) {
        await kubectl(tb.kubectl, tb.kubeconfig, CLUSTER, 'delete', 'namespace', name, '--wait=false');
        changes++;
      }
      await sleep(Math.max(0, end - Date.now()));
    }
    const windowMs = Date.now() - t0;
    const counts = perPath(t0, t0 + windowMs);
    proxy.set({ kind: 'none' });
    assertBounded(counts, windowMs, `case ${c} (${story.join(', ')}; ${changes} changes)`);
    await converged(w, `case ${c} converged`);
    open?.watches.stop();
    open?.client.dispose();
    open = undefined;
  }
});
