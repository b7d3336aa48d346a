// What every forge module shares: Liqo v1.0.1's constants, timestamps, namespaces and service accounts.
import type { KubeObject } from '../../kube-rest.ts';

export const LIQO_VERSION = 'v1.0.1';
export const LIQO_NS = 'liqo';
export const REMOTE_CLUSTER_ID = 'liqo.io/remote-cluster-id';
export const VIRTUAL_NODE_TAINT = 'virtual-node.liqo.io/not-allowed';

export type Obj = KubeObject;
export type Labels = Record<string, string>;

export const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
export const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

export const tenantNamespaceName = (remoteClusterId: string) => `liqo-tenant-${remoteClusterId}`;

export function namespace(name: string, labels: Labels = {}, annotations: Labels = {}): Obj {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, annotations } };
}

export function serviceAccount(ns: string, name = 'default'): Obj {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } };
}
