// The test bed's library API: bring a scenario's clusters up (or reuse them), stop/start one API server, tear
// everything down. Every integration test, e2e run, benchmark and `npm run testbed:up|down` goes through here.
//
// Life of a test bed: ports are picked and written to .testbed/state.json before anything starts; each process's
// pid goes to .testbed/pids the moment it is spawned; a failure at any step stops everything started so far.
// A lock file serialises concurrent callers (parallel test files, an `up` in another terminal).
import fs from 'node:fs';
import path from 'node:path';
import { resolveBinaries } from './binaries.ts';
import {
  clusterFiles,
  componentArgv,
  componentEnv,
  componentLog,
  probe,
  serverUrl,
  startFailure,
  waitReady,
  writeComponentKubeconfig,
  writeAuditPolicy,
  type ClusterLayout,
  type Component,
} from './cluster.ts';
import { crdResources, installCrds, loadKwokCrds, loadLiqoCrds, loadPinnedCrds } from './crds.ts';
import { builtinResources, KubeRest, type ResourceInfo } from './kube-rest.ts';
import { renderKubeconfig } from './kubeconfig.ts';
import { renderKwokConfig } from './kwok-config.ts';
import { repoRoot, stateDir, statePaths } from './paths.ts';
import { createClusterPki } from './pki.ts';
import { withLock } from './lock.ts';
import { allocatePorts, waitPortFree } from './ports.ts';
import { isAlive, isOurs, recordedPids, spawnDaemon, stopPids, stopStage, strayPids } from './processes.ts';
import { waitScenarioReady } from './readiness.ts';
import { planFederation, planFederationWithMetrics, writeLogHistory } from './scenarios/federation.ts';
import { planScale, planScaleLarge } from './scenarios/scale.ts';
import { planSeed002 } from './scenarios/seed002.ts';
import { parseLiveName, planLive } from './scenarios/live.ts';
import { startLiqo, writeSupervisorConfig } from './live/bring-up.ts';
import { LIQO_COMPONENTS, type LiqoComponent } from './live/liqo-components.ts';
import { enableMetrics } from './metrics-server.ts';
import type { ScenarioEnv, ScenarioPlan } from './scenarios/types.ts';

export interface Testbed {
  kubeconfig: string;
  binDir: string;
  kubectl: string;
  liqoctl: string;
  contexts: string[];
  stateDir: string;
}

/**
 * `<federation>@<namespace>`: the federation with Liqo installed in that namespace instead of `liqo`;
 * `live[@<version>][@<namespace>][+peered|+federated]`: Liqo's own control plane (in that namespace).
 */
export type ScenarioName = 'seed-000' | 'seed-000+metrics' | 'broken' | 'seed-002' | `${'seed-000' | 'broken'}@${string}` | `scale-${number}` | 'scale-large' | `live${string}`;

interface ClusterState extends ClusterLayout {
  pids: Partial<Record<Component, number>>;
}

interface TestbedState {
  scenario: string;
  binDir: string;
  clusters: ClusterState[];
  unreachablePort: number;
  logWriterPid?: number;
  /** the live scenario's supervisor of virtual kubelets */
  supervisorPid?: number;
  ready: boolean;
  upSeconds?: number;
  /** The process that last asked for this bed (ensureTestbed); see LIQO_TESTBED_LIVE_PER_PROCESS. */
  claimedBy?: number;
}

const log = (msg: string) => process.stderr.write(`[testbed] ${msg}\n`);

export function planScenario(name: string): ScenarioPlan {
  if (name === 'seed-000' || name === 'broken') return planFederation(name);
  if (name === 'seed-000+metrics') return planFederationWithMetrics();
  if (name === 'scale-large') return planScaleLarge();
  if (name === 'seed-002') return planSeed002();
  const inNs = /^(seed-000|broken)@([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/.exec(name);
  if (inNs) return planFederation(inNs[1] as 'seed-000' | 'broken', inNs[2]);
  const m = /^scale-(\d+)$/.exec(name);
  if (m) return planScale(Number(m[1]));
  const live = parseLiveName(name);
  if (live) return planLive(live);
  throw new Error(`unknown scenario '${name}': use seed-000, seed-000+metrics, seed-002, broken (either optionally @<liqo-namespace>, e.g. seed-000@liqo-system), scale-N (N = 1..10), scale-large or live[@<version>][@<liqo-namespace>][+peered|+federated] (e.g. live@liqo-system)`);
}

// --- state -------------------------------------------------------------------------------------------------------

function readState(): TestbedState | undefined {
  try {
    return JSON.parse(fs.readFileSync(statePaths.state, 'utf8')) as TestbedState;
  } catch {
    return undefined;
  }
}

function writeState(state: TestbedState): void {
  fs.mkdirSync(stateDir, { recursive: true });
  const tmp = `${statePaths.state}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(tmp, statePaths.state);
}

function testbedOf(state: TestbedState): Testbed {
  return {
    kubeconfig: statePaths.kubeconfig,
    binDir: state.binDir,
    kubectl: path.join(state.binDir, 'kubectl'),
    liqoctl: path.join(state.binDir, 'liqoctl'),
    contexts: state.clusters.map((c) => c.name),
    stateDir,
  };
}

// --- processes -----------------------------------------------------------------------------------------------------

function startComponent(state: TestbedState, c: ClusterState, component: Component): number {
  const d = spawnDaemon({
    id: `${c.name}/${component}`,
    argv: componentArgv(c, component, state.binDir),
    logFile: componentLog(c, component),
    env: componentEnv(c, component),
  });
  c.pids[component] = d.pid;
  writeState(state);
  return d.pid;
}

function componentsOf(c: ClusterLayout): Component[] {
  const base: Component[] = c.controllers ? ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] : ['etcd', 'kube-apiserver', 'kwok'];
  if (c.metricsServer) base.push('metrics-server');
  return c.liqo ? [...base, ...LIQO_COMPONENTS] : base;
}

const isLiqo = (comp: Component): comp is LiqoComponent => (LIQO_COMPONENTS as Component[]).includes(comp);

/** Node to run the log writer with: this process's, unless that is Electron (an extension host calling us). */
function nodeBinary(): string {
  if (!process.versions.electron) return process.execPath;
  const bundled = path.join(repoRoot, 'node_modules', 'node', 'bin', 'node');
  return fs.existsSync(bundled) ? bundled : 'node';
}

function startSupervisor(state: TestbedState): void {
  const config = path.join(stateDir, 'vk-supervisor.json');
  writeSupervisorConfig(config, state.binDir, state.clusters);
  const d = spawnDaemon({
    id: 'vk-supervisor',
    argv: [nodeBinary(), path.join(import.meta.dirname, 'live', 'vk-supervisor.ts'), stateDir, config],
    logFile: path.join(stateDir, 'vk-supervisor.log'),
    env: { LIQO_TESTBED_DIR: stateDir },
  });
  state.supervisorPid = d.pid;
  writeState(state);
}

function startLogWriter(state: TestbedState): void {
  const d = spawnDaemon({
    id: 'log-writer',
    argv: [nodeBinary(), path.join(import.meta.dirname, 'log-writer.ts'), stateDir, statePaths.liveLogs, '1000'],
    logFile: path.join(stateDir, 'log-writer.log'),
  });
  state.logWriterPid = d.pid;
  writeState(state);
}

/**
 * Stops every process of the test bed, in order: the virtual kubelets (and their supervisor), then Liqo's
 * control plane, then the clusters, so no controller is left acting on a half-stopped cluster.
 */
async function stopEverything(): Promise<void> {
  const pids = [...new Set([...recordedPids().map((r) => r.pid), ...strayPids()])];
  for (const stage of [0, 1, 2] as const) {
    const these = pids.filter((p) => stopStage(p) === stage);
    if (these.length > 0) await stopPids(these, stage === 2 ? 300 : 3000);
  }
}

function resourceMap(crds: ReturnType<typeof loadLiqoCrds>): Map<string, ResourceInfo> {
  return new Map([...builtinResources, ...crdResources(crds)]);
}

function liqoLayout(plan: ScenarioPlan, name: string, podCidr: string, webhookPort: number): ClusterLayout['liqo'] {
  const l = plan.live?.clusters[name];
  return plan.live && l ? { version: plan.live.version, namespace: plan.live.namespace, clusterId: name, webhookPort, podCidr, ...l } : undefined;
}

// --- up ----------------------------------------------------------------------------------------------------------

async function up(scenario: ScenarioName): Promise<Testbed> {
  const t0 = Date.now();
  const plan = planScenario(scenario);
  const binDir = await resolveBinaries({ ...(plan.live ? { controlPlane: true, liqoVersion: plan.live.version } : {}), ...(plan.metrics ? { metricsServer: true } : {}) });
  const crds = [...loadLiqoCrds(binDir), ...loadKwokCrds(), ...loadPinnedCrds(plan.pinnedCrds ?? [])];
  const resources = resourceMap(crds);

  clearStateDir();
  const ports = await allocatePorts(plan.clusters.length);
  const state: TestbedState = {
    scenario,
    binDir,
    unreachablePort: ports.unreachable,
    ready: false,
    clusters: plan.clusters.map((p, i) => ({
      name: p.name,
      dir: statePaths.cluster(p.name),
      ports: ports.clusters[i] as ClusterLayout['ports'],
      controllers: p.controllers,
      podCidr: p.podCidr,
      pids: {},
      liqo: liqoLayout(plan, p.name, p.podCidr, (ports.clusters[i] as ClusterLayout['ports']).liqoWebhook),
      ...(plan.metrics ? { metricsServer: true } : {}),
    })),
  };
  writeState(state);
  const clients = new Map<string, KubeRest>();
  try {
    log(`starting scenario ${scenario}: ${state.clusters.map((c) => `${c.name} (api ${c.ports.apiserver})`).join(', ')}`);
    await Promise.all(
      state.clusters.map(async (c, i) => {
        const files = clusterFiles(c.dir);
        for (const d of [files.logs, files.podLogs, files.home]) fs.mkdirSync(d, { recursive: true });
        await createClusterPki(files.pki.dir, c.name);
        writeComponentKubeconfig(c);
        writeAuditPolicy(c);
        const p = plan.clusters[i];
        if (p) fs.writeFileSync(files.kwokConfig, renderKwokConfig(p.logs, p.catchAllLogs));
      }),
    );
    writeLogHistory(plan.logFiles);
    fs.writeFileSync(statePaths.liveLogs, JSON.stringify(plan.logFiles.map((l) => ({ file: l.file, live: l.live }))));

    const etcds = state.clusters.map((c) => startComponent(state, c, 'etcd'));
    await Promise.all(state.clusters.map((c, i) => waitReady(c, 'etcd', etcds[i] ?? 0, 30_000)));
    const apis = state.clusters.map((c) => startComponent(state, c, 'kube-apiserver'));
    await Promise.all(state.clusters.map((c, i) => waitReady(c, 'kube-apiserver', apis[i] ?? 0, 90_000 + 10_000 * state.clusters.length)));
    log(`API servers ready after ${((Date.now() - t0) / 1000).toFixed(1)} s; installing ${crds.length} CRDs`);

    for (const c of state.clusters) {
      for (const comp of componentsOf(c).slice(2).filter((x) => !isLiqo(x))) startComponent(state, c, comp);
      clients.set(c.name, new KubeRest(serverUrl(c), clusterFiles(c.dir).pki, resources));
    }
    await Promise.all(state.clusters.map((c) => installCrds(clients.get(c.name) as KubeRest, crds)));
    log(`CRDs established after ${((Date.now() - t0) / 1000).toFixed(1)} s; writing the scenario`);

    fs.writeFileSync(statePaths.kubeconfig, renderKubeconfig(state.clusters), { mode: 0o600 });
    const byName = new Map(state.clusters.map((c) => [c.name, c]));
    const env: ScenarioEnv = {
      client: (name) => {
        const cl = clients.get(name);
        if (!cl) throw new Error(`no cluster ${name} in this scenario`);
        return cl;
      },
      url: (name) => serverUrl(byName.get(name) as ClusterLayout),
      kubeconfigFor: (name) => renderKubeconfig([byName.get(name) as ClusterLayout]),
      unreachableUrl: `https://127.0.0.1:${state.unreachablePort}`,
    };
    await plan.populate(env);
    await waitScenarioReady(clients, plan.readiness, plan.readyTimeoutMs ?? 120_000, () => assertAlive(state));
    const usage = plan.metrics;
    if (usage) {
      await Promise.all(state.clusters.map((c) => enableMetrics(c, clients.get(c.name) as KubeRest, usage)));
      log(`metrics.k8s.io reports usage after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    startLogWriter(state);
    if (plan.live) {
      await startLiqo({
        clusters: state.clusters,
        binDir,
        client: env.client,
        start: (c, comp) => startComponent(state, c as ClusterState, comp),
        assertAlive: () => assertAlive(state),
        log,
        logFile: (c, comp) => componentLog(c, comp),
      });
      startSupervisor(state);
      await plan.live.afterUp?.({ kubeconfig: statePaths.kubeconfig, binDir, liqoNamespace: plan.live.namespace, client: env.client, log });
    }
    state.ready = true;
    state.upSeconds = Math.round((Date.now() - t0) / 100) / 10;
    writeState(state);
    log(`scenario ${scenario} ready in ${state.upSeconds} s`);
    return testbedOf(state);
  } catch (err) {
    log(`bringing up ${scenario} failed; stopping every process it started (logs kept in ${path.join(stateDir, 'clusters')})`);
    await stopEverything();
    fs.rmSync(statePaths.state, { force: true });
    fs.rmSync(statePaths.pids, { force: true });
    fs.rmSync(statePaths.kubeconfig, { force: true });
    throw err;
  } finally {
    for (const cl of clients.values()) cl.close();
  }
}

/** Throws the start failure of the first component that has exited (its log quoted). */
function assertAlive(state: TestbedState): void {
  for (const c of state.clusters) {
    for (const comp of componentsOf(c)) {
      const pid = c.pids[comp];
      if (pid && !isAlive(pid)) throw startFailure(c, comp);
    }
  }
}

/** What is wrong with a running test bed (empty when healthy): dead processes, API servers not ready. */
async function healthProblems(state: TestbedState): Promise<string[]> {
  const problems: string[] = [];
  for (const c of state.clusters) {
    for (const comp of componentsOf(c)) {
      const pid = c.pids[comp];
      if (!pid || !isOurs(pid)) problems.push(`${c.name}/${comp} not running`);
    }
  }
  if (!state.logWriterPid || !isOurs(state.logWriterPid)) problems.push('log-writer not running');
  if (state.clusters.some((c) => c.liqo) && (!state.supervisorPid || !isOurs(state.supervisorPid))) problems.push('vk-supervisor not running');
  const probes = await Promise.all(state.clusters.map((c) => (c.pids['kube-apiserver'] ? probe(c, 'kube-apiserver') : Promise.resolve(true))));
  state.clusters.forEach((c, i) => {
    if (!probes[i] && c.pids['kube-apiserver'] && isOurs(c.pids['kube-apiserver'])) problems.push(`${c.name}/kube-apiserver not ready`);
  });
  return problems;
}

/** Restarts components that are not running (e.g. an API server a test stopped) and waits for them. */
async function revive(state: TestbedState): Promise<void> {
  for (const c of state.clusters) {
    for (const comp of componentsOf(c)) {
      const pid = c.pids[comp];
      if (pid && isOurs(pid)) continue;
      log(`restarting ${c.name}/${comp}`);
      const newPid = startComponent(state, c, comp);
      if (comp === 'etcd' || comp === 'kube-apiserver') await waitReady(c, comp, newPid, 90_000);
    }
  }
  if (!state.logWriterPid || !isOurs(state.logWriterPid)) startLogWriter(state);
  if (state.clusters.some((c) => c.liqo) && (!state.supervisorPid || !isOurs(state.supervisorPid))) startSupervisor(state);
}

// --- public API --------------------------------------------------------------------------------------------------

/** Brings the scenario up, or reuses the running test bed when it already runs that scenario; waits until ready. */
export async function ensureTestbed(scenario: ScenarioName): Promise<Testbed> {
  planScenario(scenario); // validate the name before touching anything
  return withLock(`bringing up ${scenario}`, async () => {
    const state = readState();
    if (state) {
      if (state.scenario === scenario && state.ready && livePerProcess(scenario) && state.claimedBy !== undefined && state.claimedBy !== process.pid) {
        log(`${scenario} was used by another test file (pid ${state.claimedBy}): starting it afresh (LIQO_TESTBED_LIVE_PER_PROCESS)`);
      } else if (state.scenario === scenario && state.ready) {
        let problems = await healthProblems(state);
        if (problems.length === 0) return claim(state);
        try {
          await revive(state);
          problems = await healthProblems(state);
          if (problems.length === 0) return claim(state);
        } catch (err) {
          problems.push((err as Error).message);
        }
        log(`the running test bed is unhealthy (${problems.join('; ')}): starting it again`);
      } else if (state.scenario !== scenario) {
        log(`switching scenario: ${state.scenario} → ${scenario}`);
      } else {
        log(`found a half-started test bed (${state.scenario}): stopping it and starting again`);
      }
    }
    await stopEverything();
    try {
      return claimed(await up(scenario));
    } catch (err) {
      // An OS-picked port can be taken (e.g. by an outgoing connection) between picking and binding: retry once.
      if (process.env.LIQO_TESTBED_BASE_PORT || !/already in use/.test((err as Error).message)) throw err;
      log('a port was taken while starting; trying again with other ports');
      return claimed(await up(scenario));
    }
  });
}

/**
 * LIQO_TESTBED_LIVE_PER_PROCESS=1 (the integration runner sets it): a live scenario is brought up afresh for each
 * process that asks for it. Live test files peer, unpeer, restore and force-unpeer with Liqo's own controllers and do
 * not all leave the bed as they found it; each file runs in its own process, so each gets a bed of its own, while
 * the seed scenarios (whose files leave them as found) are shared.
 */
function livePerProcess(scenario: string): boolean {
  return process.env.LIQO_TESTBED_LIVE_PER_PROCESS === '1' && scenario.startsWith('live');
}

function claim(state: TestbedState): Testbed {
  if (state.claimedBy !== process.pid) {
    state.claimedBy = process.pid;
    writeState(state);
  }
  return testbedOf(state);
}

function claimed(tb: Testbed): Testbed {
  const state = readState();
  if (state) claim(state);
  return tb;
}

/**
 * Stops the running test bed and brings the same scenario up afresh (new etcd data, new ports, the same kubeconfig
 * path): for a test file that finds the bed left in a state it cannot undo quickly (a peering Liqo takes minutes to
 * tear down after its provider's API server was restarted).
 */
export async function restartTestbed(): Promise<Testbed> {
  return withLock('restarting', async () => {
    const state = readState();
    if (!state) throw new Error('no test bed is running');
    const scenario = state.scenario as ScenarioName;
    await stopEverything();
    return up(scenario);
  });
}

function clusterOf(state: TestbedState | undefined, context: string): ClusterState {
  if (!state) throw new Error('no test bed is running');
  const c = state.clusters.find((x) => x.name === context);
  if (!c) throw new Error(`no cluster '${context}' in the running test bed (${state.clusters.map((x) => x.name).join(', ')})`);
  return c;
}

/** Kills that cluster's kube-apiserver only: the cluster becomes unreachable (connection refused). */
/** The running test bed's kube-apiserver audit log of one cluster (write requests only, see AUDIT_POLICY). */
export function auditLogPath(context: string): string {
  return clusterFiles(clusterOf(readState(), context).dir).auditLog;
}

export async function stopApiserver(context: string): Promise<void> {
  await withLock(`stopping ${context}'s API server`, async () => {
    const state = readState();
    const c = clusterOf(state, context);
    const pid = c.pids['kube-apiserver'];
    if (pid) await stopPids([pid], 0);
    delete c.pids['kube-apiserver'];
    writeState(state as TestbedState);
  });
}

/** Starts that cluster's kube-apiserver again on the same port and waits until it is ready. */
export async function startApiserver(context: string): Promise<void> {
  await withLock(`starting ${context}'s API server`, async () => {
    const state = readState() as TestbedState;
    const c = clusterOf(state, context);
    const running = c.pids['kube-apiserver'];
    if (running && isOurs(running) && (await probe(c, 'kube-apiserver'))) return;
    // Stopped by stopApiserver, which waits for every thread; anything else still on the port (a client that took
    // it as its own port, say) is waited out rather than failing the start.
    await waitPortFree(c.ports.apiserver, `${context}'s kube-apiserver`, 30_000);
    const pid = startComponent(state, c, 'kube-apiserver');
    await waitReady(c, 'kube-apiserver', pid, 90_000);
  });
}

/**
 * Restarts one of Liqo's controllers on a live test bed's cluster, as `kubectl rollout restart` would restart its
 * Deployment: the process is stopped and started again with the same arguments. Resolves once the new process runs
 * (the controllers serve no probe here; they log when they start).
 */
export async function restartLiqoComponent(context: string, component: 'crd-replicator' | 'liqo-controller-manager'): Promise<void> {
  await withLock(`restarting ${context}'s ${component}`, async () => {
    const state = readState() as TestbedState;
    const c = clusterOf(state, context);
    const pid = c.pids[component];
    if (!pid) throw new Error(`${context} runs no ${component} (not a live scenario?)`);
    await stopPids([pid], 5000);
    const fresh = startComponent(state, c, component);
    await new Promise((r) => setTimeout(r, 500));
    if (!isAlive(fresh)) throw new Error(`${context}'s ${component} exited right after its restart: see ${componentLog(c, component)}`);
  });
}

/** Stops every process of the test bed (recorded or found by command line) and removes its state. */
export async function teardownTestbed(): Promise<void> {
  await withLock('tearing down', async () => {
    await stopEverything();
    clearStateDir();
  });
  try {
    fs.rmdirSync(stateDir);
  } catch {
    /* another caller took the lock meanwhile, or already gone */
  }
}

/** Empties the state directory, except the lock its caller holds. */
function clearStateDir(): void {
  fs.mkdirSync(stateDir, { recursive: true });
  for (const entry of fs.readdirSync(stateDir)) {
    if (entry !== 'lock') fs.rmSync(path.join(stateDir, entry), { recursive: true, force: true });
  }
}

/** For a signal handler while an `up` in this process holds the lock: stop everything now, without the lock. */
export async function abortTestbed(): Promise<void> {
  await stopEverything();
  clearStateDir();
  fs.rmSync(statePaths.lock, { force: true });
  try {
    fs.rmdirSync(stateDir);
  } catch {
    /* not empty or gone */
  }
}

/** The running test bed, if any (no side effects). */
export function currentTestbed(): (Testbed & { scenario: string; ready: boolean }) | undefined {
  const state = readState();
  return state ? { ...testbedOf(state), scenario: state.scenario, ready: state.ready } : undefined;
}

/** Appends a line to the log file kwok serves for that pod (CRI format), for tests of `logs -f`. */
export function appendPodLog(context: string, namespace: string, pod: string, line: string): void {
  const state = readState();
  const c = clusterOf(state, context);
  const config = fs.readFileSync(clusterFiles(c.dir).kwokConfig, 'utf8');
  const docs = config.split(/^---$/m);
  const doc = docs.find((d) => d.includes('kind: Logs') && d.includes(`name: ${pod}\n`) && d.includes(`namespace: ${namespace}\n`));
  const file = doc && /logsFile: (.+)/.exec(doc)?.[1];
  if (!file) throw new Error(`no log file is configured for ${namespace}/${pod} on ${context}`);
  fs.appendFileSync(file.trim(), `${new Date().toISOString()} stdout F ${line}\n`);
}
