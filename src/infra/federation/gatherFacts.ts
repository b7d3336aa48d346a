// What each kubeconfig context shows now, for the known-good record (core/federation/knownGood.ts): the model's
// sessions (state, Liqo info, watched objects), the CA fingerprint read from the context's CA (inline data or the
// file it names), and the GatewayServers' service types, listed once per record through the cluster's client.
// Nothing secret leaves here: the resolved context is read for its CA only.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { FederationModel } from '../federationModel.ts';
import type { ClusterFacts } from '../../core/federation/knownGood.ts';
import { caDataFingerprints, caFingerprints } from '../../core/federation/caFingerprint.ts';
import type { ResolvedContext } from '../../core/kubeconfig/resolved.ts';
import type { ClusterClient } from '../cluster/clusterClient.ts';
import { LABEL_REMOTE_CLUSTER_ID } from '../../core/liqo/objects.ts';

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
      const [caSha256, gatewayTypes] = await Promise.all([caOf(s?.resolvedContext), o.gateways !== false && reachable && s?.client && clusterId ? gatewayTypesOf(s.client, signal) : undefined]);
      return {
        entry: { contextName: entry.contextName, server: entry.server, ...(entry.tlsServerName ? { tlsServerName: entry.tlsServerName } : {}) },
        ...(caSha256.length ? { caSha256 } : {}),
        ...(reachable ? { kubernetesVersion: state.serverVersion } : {}),
        // The last known cluster ID stays with an unreachable cluster, so its part of the federation is "unknown".
        ...(liqo || clusterId ? { liqo: { presence: 'installed' as const, unhealthyPods: [], ...liqo, ...(clusterId ? { clusterId } : {}) } } : {}),
        ...(reachable && s?.snapshot ? { snapshot: s.snapshot } : {}),
        ...(gatewayTypes ? { gatewayTypes } : {}),
      };
    }),
  );
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
