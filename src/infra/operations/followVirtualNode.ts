// Following the VirtualNode Liqo makes from an accepted ResourceSlice (same name, same tenant namespace) until its
// Node condition says Running: only then can a NamespaceOffloading select the provider and pods land there.
import type { ClusterClient } from '../cluster/clusterClient.ts';
import type { VirtualNode } from '../../core/liqo/objects.ts';
import { followObject } from './followObject.ts';
import type { OperationOptions } from './offloading.ts';

export interface VirtualNodeOutcome {
  readonly running: boolean;
  /** Its conditions in words (or that it does not exist yet). */
  readonly detail: string;
  readonly stopped?: 'aborted' | 'timedOut';
}

export function virtualNodeState(obj: unknown): VirtualNodeOutcome {
  const vn = obj as VirtualNode | undefined;
  if (!vn) return { running: false, detail: 'no VirtualNode yet' };
  const conds = vn.status?.conditions ?? [];
  const running = conds.some((c) => c.type === 'Node' && c.status === 'Running');
  const detail = conds.length ? conds.map((c) => `${c.type} ${c.status}${c.message ? ` (${c.message})` : ''}`).join(', ') : 'no condition yet';
  return { running, detail };
}

export async function followVirtualNode(client: ClusterClient, namespace: string, name: string, o: OperationOptions = {}): Promise<VirtualNodeOutcome> {
  let lastDetail = '';
  const r = await followObject(
    client,
    `/apis/offloading.liqo.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/virtualnodes`,
    name,
    (obj) => {
      const s = virtualNodeState(obj);
      if (s.detail !== lastDetail) o.onProgress?.(`virtual node ${name}: ${s.detail}`);
      lastDetail = s.detail;
      return s.running ? s : undefined;
    },
    { ...(o.signal ? { signal: o.signal } : {}), ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}) },
  );
  return r.settled ? r.value : { ...virtualNodeState(r.last), stopped: r.reason };
}
