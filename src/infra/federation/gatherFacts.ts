// What each kubeconfig context shows now, for the known-good record (core/federation/knownGood.ts): the model's
// sessions (state, Liqo info, watched objects), the CA fingerprint read from the context's CA (inline data or the
// file it names), and the GatewayServers' service types, listed once per record through the cluster's client.
// A collapsed cluster row watches only its summary (cluster ID, Liqo's health, ForeignClusters), so the
// ResourceSlices and NamespaceOffloadings of a peered cluster whose watch is not running are listed here: a record
// or a drift built from an unwatched kind would read "none" where there are some.
// Nothing secret leaves here: the resolved context is read for its CA only.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { FederationModel } from '../federationModel.ts';
import type { ClusterFacts } from '../../core/federation/knownGood.ts';
import { caDataFingerprints, caFingerprints } from '../../core/federation/caFingerprint.ts';
import type { ResolvedContext } from '../../core/kubeconfig/resolved.ts';
import { KubeApiError, type ClusterClient } from '../cluster/clusterClient.ts';
import type { ClusterSession } from '../cluster/clusterSession.ts';
import { LABEL_REMOTE_CLUSTER_ID } from '../../core/liqo/objects.ts';
import type { ClusterSnapshot } from '../../core/liqo/snapshot.ts';
import { collectionPath } from '../../core/liqo/objectLocation.ts';

const GATEWAY_SERVERS = '/apis/networking.liqo.io/v1beta1/gatewayservers';

/** `gateways: false` skips the GatewayServer listing (one request per Liqo cluster): for a look that may record nothing. */
export async function gatherFacts(model: FederationModel, signal?: AbortSignal, o: { gateways?: boolean } = {}): Promise<ClusterFacts[]> {
  return Promise.all(
    model.clusters.map(async (entry): Promise<ClusterFacts> => {
      const s = model.session(entry.id);
      const state = s?.state;
      const reachable = state?.kind === 'reachable';
      const liqo = s?.liqo;
      const clusterId = s?.clusterId;
      const [caSha256, gatewayTypes, snapshot] = await Promise.all([
        caOf(s?.resolvedContext),
        o.gateways !== false && reachable && s?.client && clusterId ? gatewayTypesOf(s.client, signal) : undefined,
        reachable && s ? recordedSnapshot(s, entry.contextName, signal) : undefined,
      ]);
      return {
        entry: { contextName: entry.contextName, server: entry.server, ...(entry.tlsServerName ? { tlsServerName: entry.tlsServerName } : {}) },
        ...(caSha256.length ? { caSha256 } : {}),
        ...(reachable ? { kubernetesVersion: state.serverVersion } : {}),
        // The last known cluster ID stays with an unreachable cluster, so its part of the federation is "unknown".
        ...(liqo || clusterId ? { liqo: { presence: 'installed' as const, unhealthyPods: [], ...liqo, ...(clusterId ? { clusterId } : {}) } } : {}),
        ...(snapshot ? { snapshot } : {}),
        ...(gatewayTypes ? { gatewayTypes } : {}),
      };
    }),
  );
}

/**
 * The kinds a record reads that only an expanded cluster row watches, and the snapshot field each fills: slices and
 * offloadings are recorded; virtual nodes and tenants tell a live peering from what an unpeer leaves
 * (core/peering/leftover.ts).
 */
const RECORDED_KINDS = { resourceslices: 'resourceSlices', namespaceoffloadings: 'offloadings', virtualnodes: 'virtualNodes', tenants: 'tenants' } as const;
type RecordedKind = keyof typeof RECORDED_KINDS;

/**
 * The session's snapshot, with the recorded kinds it does not watch right now (a collapsed row) listed once. A
 * cluster without ForeignClusters is in no federation: nothing is listed for it. A kind that cannot be listed fails
 * the look (naming the context), rather than reading as "none".
 */
async function recordedSnapshot(s: ClusterSession, contextName: string, signal?: AbortSignal): Promise<ClusterSnapshot | undefined> {
  const snap = s.snapshot;
  const client = s.client;
  if (!snap || !client || snap.foreignClusters.length === 0) return snap;
  const running = s.runningKinds;
  const missing = (Object.keys(RECORDED_KINDS) as RecordedKind[]).filter((k) => !running.includes(k) || snap.kinds[k].kind !== 'ready');
  if (missing.length === 0) return snap;
  const listed = await Promise.all(missing.map(async (k) => [k, await listKind(client, k, contextName, signal)] as const));
  const kinds = { ...snap.kinds };
  const lists: Record<string, unknown[]> = {};
  for (const [k, items] of listed) {
    kinds[k] = { kind: 'ready' };
    lists[RECORDED_KINDS[k]] = items;
  }
  return { ...snap, ...lists, kinds } as ClusterSnapshot;
}

/** A server that asks to be asked again (429, 503: e.g. "storage is (re)initializing" just after a CRD appears). */
const LIST_RETRIES = 5;
const MAX_RETRY_WAIT_S = 5;

async function listKind(client: ClusterClient, kind: RecordedKind, contextName: string, signal?: AbortSignal): Promise<unknown[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await client.list(collectionPath(kind), undefined, signal)).items;
    } catch (err) {
      // Liqo's CRD is not installed there: there is none of that kind.
      if (err instanceof KubeApiError && err.status === 404) return [];
      const busy = err instanceof KubeApiError && (err.status === 429 || err.status === 503);
      if (busy && attempt < LIST_RETRIES && !signal?.aborted) {
        await delay(Math.min(MAX_RETRY_WAIT_S, Math.max(1, err.retryAfterSeconds ?? 1)) * 1000, signal);
        continue;
      }
      throw new Error(`${contextName}: ${kind} could not be listed (${(err as Error).message}); expand the cluster in the Liqo view to see why, then look again.`);
    }
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

async function caOf(resolved: ResolvedContext | undefined): Promise<string[]> {
  const fields = resolved?.cluster.fields ?? {};
  const data = fields['certificate-authority-data'];
  if (typeof data === 'string' && data.trim() !== '') return caDataFingerprints(data);
  const file = fields['certificate-authority'];
  if (typeof file !== 'string' || file === '' || !resolved) return [];
  const text = await readFile(path.resolve(resolved.cluster.baseDir, file), 'utf8').catch(() => '');
  return caFingerprints(text);
}

/** Peer cluster ID → GatewayServer service type; none when the kind is absent or not readable (then not recorded). */
async function gatewayTypesOf(client: ClusterClient, signal?: AbortSignal): Promise<Record<string, string> | undefined> {
  try {
    const list = await client.list(GATEWAY_SERVERS, undefined, signal);
    const out: Record<string, string> = {};
    for (const item of list.items as { metadata?: { labels?: Record<string, string> }; spec?: { endpoint?: { serviceType?: string } } }[]) {
      const peer = item.metadata?.labels?.[LABEL_REMOTE_CLUSTER_ID];
      const type = item.spec?.endpoint?.serviceType;
      if (peer && type) out[peer] = type;
    }
    return out;
  } catch {
    return undefined;
  }
}

/** Resolves once every cluster that is to connect has answered (or after `ms`): facts of a connecting cluster say "unreachable". */
export function whenSettled(model: FederationModel, ms = 15_000): Promise<void> {
  if (model.settled) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const sub = model.onDidChange(() => {
      if (model.settled) done();
    });
  });
}
