// Writes a scenario's objects in dependency order: namespaces and other cluster-scoped objects, then service
// accounts/config, then everything else; each wave in parallel, a bounded number at a time.
import type { KubeObject, KubeRest } from '../kube-rest.ts';

const FIRST = new Set(['Namespace', 'Node', 'ForeignCluster']);
const SECOND = new Set(['ServiceAccount', 'ConfigMap', 'Secret']);

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** `create`: kinds written by a plain create (POST) instead of an apply (objects without a status of their own). */
export async function applyAll(client: KubeRest, objects: KubeObject[], limit = 12, create: ReadonlySet<string> = new Set()): Promise<Map<string, KubeObject>> {
  const applied = new Map<string, KubeObject>();
  const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const waves = [
    objects.filter((o) => FIRST.has(o.kind)),
    objects.filter((o) => SECOND.has(o.kind)),
    objects.filter((o) => !FIRST.has(o.kind) && !SECOND.has(o.kind)),
  ];
  for (const wave of waves) {
    await inParallel(wave, limit, async (o) => {
      try {
        applied.set(key(o), await (create.has(o.kind) ? client.create(o) : client.apply(o)));
      } catch (err) {
        throw new Error(`applying ${key(o)} to ${client.server}: ${(err as Error).message}`, { cause: err });
      }
    });
  }
  return applied;
}
