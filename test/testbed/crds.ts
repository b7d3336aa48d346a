// Liqo's CRDs, exactly as its v1.0.1 module ships them (copied into the binary cache by build-binaries.sh), and
// the other federation systems' CRDs pinned in crds/<system>/ (each with a SOURCE file: repository, tag, path,
// license). Liqo's are parsed once and cached as JSON next to them; all are installed with server-side apply
// (several exceed the size limit of client-side apply's annotation), then awaited until Established.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseAllDocuments } from 'yaml';
import type { KubeObject, KubeRest, ResourceInfo } from './kube-rest.ts';

interface Crd extends KubeObject {
  spec: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: { kind: string; plural: string };
    versions: { name: string; served: boolean; subresources?: { status?: object } }[];
  };
}

export function loadLiqoCrds(binDir: string): Crd[] {
  const dir = path.join(binDir, 'liqo-crds');
  const cache = path.join(binDir, 'liqo-crds.json');
  if (fs.existsSync(cache)) return JSON.parse(fs.readFileSync(cache, 'utf8')) as Crd[];
  if (!fs.existsSync(dir)) throw new Error(`Liqo CRDs not found in ${dir}: rerun test/testbed/build-binaries.sh`);
  const crds: Crd[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))) {
      const obj = doc.toJSON() as Crd | null;
      if (obj?.kind === 'CustomResourceDefinition') crds.push(obj);
    }
  }
  const tmp = `${cache}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(crds));
  fs.renameSync(tmp, cache);
  return crds;
}

/**
 * kwok's own CRDs the test bed enables (--enable-crds): PortForward, so that a test points a pod's port-forward at a
 * loopback server it starts (kwok is every fake node's kubelet and dials the target itself); Metric, ResourceUsage
 * and ClusterResourceUsage, from which kwok serves kubelet resource metrics to metrics-server.
 */
export function loadKwokCrds(): Crd[] {
  const dir = path.join(import.meta.dirname, 'kwok-crds');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJSON() as Crd | null))
    .filter((o): o is Crd => o?.kind === 'CustomResourceDefinition');
}

/** The kinds kwok watches as CRDs (its --enable-crds flag). */
export const KWOK_ENABLED_CRDS = ['PortForward'];
/** What kwok also watches where metrics-server runs: the kubelet resource metrics it serves and the usage in them. */
export const KWOK_METRICS_CRDS = ['Metric', 'ClusterResourceUsage', 'ResourceUsage'];
/** The federation systems other than Liqo whose CRDs are pinned in this repository (test/testbed/crds/<system>). */
export type PinnedCrdSystem = 'admiralty' | 'kubefed';

const PINNED_DIR = path.join(import.meta.dirname, 'crds');

function crdsOfFile(file: string): Crd[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((doc) => doc.toJSON() as Crd | null)
    .filter((obj): obj is Crd => obj?.kind === 'CustomResourceDefinition');
}

/** The pinned CRDs of these systems (small: read each time; the server drops the manifests' empty `status`). */
export function loadPinnedCrds(systems: readonly PinnedCrdSystem[]): Crd[] {
  return systems.flatMap((system) => {
    const dir = path.join(PINNED_DIR, system);
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
    if (files.length === 0) throw new Error(`no pinned CRDs in ${dir}: see its SOURCE file for where they come from`);
    return files.flatMap((f) => crdsOfFile(path.join(dir, f)));
  });
}

export function crdResources(crds: Crd[]): [string, ResourceInfo][] {
  return crds.flatMap((crd) =>
    crd.spec.versions
      .filter((v) => v.served)
      .map((v): [string, ResourceInfo] => [
        `${crd.spec.group}/${v.name}/${crd.spec.names.kind}`,
        { plural: crd.spec.names.plural, namespaced: crd.spec.scope === 'Namespaced', statusSubresource: v.subresources?.status !== undefined },
      ]),
  );
}

export async function installCrds(client: KubeRest, crds: Crd[]): Promise<void> {
  // generous: 28 large CRDs per cluster, all at once, on a loaded machine (each API server compiles their schemas)
  await Promise.all(crds.map((crd) => client.apply(crd, { status: false, timeoutMs: 120_000 })));
  const pending = new Set(crds.map((c) => c.metadata.name));
  const deadline = Date.now() + 60_000;
  while (pending.size > 0) {
    for (const name of [...pending]) {
      const got = (await client.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, name)) as
        | { status?: { conditions?: { type: string; status: string }[] } }
        | undefined;
      if (got?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) pending.delete(name);
    }
    if (pending.size === 0) break;
    if (Date.now() > deadline) throw new Error(`CRDs not Established after 60 s: ${[...pending].join(', ')}`);
    await sleep(200);
  }
}
