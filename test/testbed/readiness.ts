// Waits until a scenario is what it claims: its nodes Ready (or NotReady where intended), its pods in the
// intended phase (kwok played them), its Deployments available. Reports exactly what is missing on timeout.
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject, KubeRest } from './kube-rest.ts';
import type { ReadyCheck } from './scenarios/types.ts';

type Cond = { type: string; status: string };
type NodeObj = KubeObject & { status?: { conditions?: Cond[] } };
type PodObj = KubeObject & { status?: { phase?: string } };
type DeployObj = KubeObject & { spec?: { replicas?: number }; status?: { availableReplicas?: number } };

async function missing(client: KubeRest, check: ReadyCheck): Promise<string[]> {
  const problems: string[] = [];
  const [nodes, pods, deployments] = await Promise.all([
    client.list('v1', 'Node') as Promise<NodeObj[]>,
    // the named pods only need a full list; a count is enough for generated workloads (10,000 pods in scale-large)
    check.pods.length > 0 ? (client.list('v1', 'Pod') as Promise<PodObj[]>) : Promise.resolve([]),
    check.deployments.length > 0 ? (client.list('apps/v1', 'Deployment') as Promise<DeployObj[]>) : Promise.resolve([]),
  ]);
  for (const want of check.nodes) {
    const n = nodes.find((x) => x.metadata.name === want.name);
    const ready = n?.status?.conditions?.find((c) => c.type === 'Ready')?.status;
    if (want.ready ? ready !== 'True' : ready !== 'False') problems.push(`node ${want.name} Ready=${ready ?? 'absent'}`);
  }
  for (const want of check.pods) {
    const p = pods.find((x) => x.metadata.name === want.name && x.metadata.namespace === want.namespace);
    if (p?.status?.phase !== want.phase) problems.push(`pod ${want.namespace}/${want.name} ${p?.status?.phase ?? 'absent'} (want ${want.phase})`);
  }
  for (const want of check.deployments) {
    const d = deployments.find((x) => x.metadata.name === want.name && x.metadata.namespace === want.namespace);
    if (!d || (d.status?.availableReplicas ?? 0) < (d.spec?.replicas ?? 1)) problems.push(`deployment ${want.namespace}/${want.name} not available`);
  }
  if (check.minPods !== undefined) {
    const { total, pending } = await podCounts(client);
    if (total < check.minPods || pending > 0) problems.push(`${total}/${check.minPods} pods, ${pending > 0 ? 'some' : 'none'} Pending`);
  }
  return problems;
}

/** How many pods exist and whether any is Pending, from one-item pages (the server counts the rest). */
async function podCounts(client: KubeRest): Promise<{ total: number; pending: number }> {
  type Page = { items: unknown[]; metadata?: { remainingItemCount?: number; continue?: string } };
  const [all, pending] = (await Promise.all([
    client.request('GET', '/api/v1/pods?limit=1'),
    client.request('GET', `/api/v1/pods?limit=1&fieldSelector=${encodeURIComponent('status.phase=Pending')}`),
  ])) as [Page, Page];
  // a server that pages without counting: count the full list
  const total = all.metadata?.continue && all.metadata.remainingItemCount === undefined ? (await client.list('v1', 'Pod')).length : all.items.length + (all.metadata?.remainingItemCount ?? 0);
  return { total, pending: pending.items.length };
}

/** Polls until every check passes; assertAlive throws as soon as a component has died (no point waiting). */
export async function waitScenarioReady(clients: Map<string, KubeRest>, checks: ReadyCheck[], timeoutMs: number, assertAlive: () => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    assertAlive();
    const results = await Promise.all(
      checks.map(async (check) => {
        const client = clients.get(check.cluster);
        if (!client) return [`no client for ${check.cluster}`];
        return (await missing(client, check).catch((err: Error) => [err.message])).map((p) => `${check.cluster}: ${p}`);
      }),
    );
    const problems = results.flat();
    if (problems.length === 0) return;
    if (Date.now() > deadline) throw new Error(`scenario not ready after ${timeoutMs / 1000} s:\n  ${problems.slice(0, 20).join('\n  ')}`);
    await sleep(250);
  }
}
