// A small HTTPS client for one cluster, authenticated by the admin client certificate and verifying the
// cluster's CA. The test bed writes everything with server-side apply (no 256 KiB last-applied annotation, so
// Liqo's large CRDs go in as they are) and writes status through the /status subresource, as controllers do.
import fs from 'node:fs';
import https from 'node:https';
import type { ClusterPki } from './pki.ts';

export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string; [key: string]: unknown };
  [key: string]: unknown;
};

export interface ResourceInfo {
  plural: string;
  namespaced: boolean;
  /** status is written through /status (else it goes with the object) */
  statusSubresource: boolean;
}

const FIELD_MANAGER = 'liqo-testbed';

export class KubeError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export class KubeRest {
  readonly server: string;
  private readonly agent: https.Agent;
  private readonly resources: Map<string, ResourceInfo>;

  constructor(server: string, pki: ClusterPki, resources: Map<string, ResourceInfo>) {
    this.server = server;
    this.resources = resources;
    this.agent = new https.Agent({
      ca: fs.readFileSync(pki.caCert),
      cert: fs.readFileSync(pki.adminCert),
      key: fs.readFileSync(pki.adminKey),
      keepAlive: true,
      maxSockets: 8,
    });
  }

  close(): void {
    this.agent.destroy();
  }

  request(method: string, urlPath: string, body?: unknown, contentType = 'application/json', timeoutMs = 30_000): Promise<unknown> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        new URL(urlPath, this.server),
        {
          method,
          agent: this.agent,
          headers: { accept: 'application/json', ...(payload === undefined ? {} : { 'content-type': contentType }) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              try {
                resolve(text ? JSON.parse(text) : undefined);
              } catch {
                resolve(text);
              }
              return;
            }
            let message = text;
            try {
              message = (JSON.parse(text) as { message?: string }).message ?? text;
            } catch {
              /* not JSON */
            }
            reject(new KubeError(status, `${method} ${urlPath}: ${status} ${message}`));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: timed out after ${timeoutMs} ms`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** The REST path of an object (or of its collection when name is omitted). */
  pathOf(apiVersion: string, kind: string, namespace?: string, name?: string): string {
    const info = this.resources.get(`${apiVersion}/${kind}`);
    if (!info) throw new Error(`test bed does not know resource ${apiVersion}/${kind}`);
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = info.namespaced ? `/namespaces/${namespace ?? 'default'}` : '';
    return `${base}${ns}/${info.plural}${name ? `/${name}` : ''}`;
  }

  /** Server-side apply of the object; then, when it carries a status, of its status through /status. */
  async apply<T extends KubeObject>(obj: T, options: { status?: boolean; timeoutMs?: number } = {}): Promise<KubeObject> {
    const { status, ...rest } = obj as KubeObject & { status?: unknown };
    const p = this.pathOf(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name);
    // Strict: a field name Liqo's CRD schemas (or Kubernetes) do not know is an error, not silently pruned.
    const query = `?fieldManager=${FIELD_MANAGER}&force=true&fieldValidation=Strict`;
    const viaSubresource = this.resources.get(`${obj.apiVersion}/${obj.kind}`)?.statusSubresource ?? false;
    // Nodes keep the status given at creation (as a kubelet registers them); kinds without a status
    // subresource take it with the object; the others get it through /status, as their controllers write it.
    const body = obj.kind === 'Node' || !viaSubresource ? obj : rest;
    let applied = (await this.request('PATCH', p + query, body, 'application/apply-patch+yaml', options.timeoutMs)) as KubeObject;
    if (status !== undefined && viaSubresource && options.status !== false) {
      applied = (await this.request(
        'PATCH',
        `${p}/status${query}`,
        { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace }, status },
        'application/apply-patch+yaml',
      )) as KubeObject;
    }
    return applied;
  }

  /**
   * Plain create (POST), cheaper for the API server than an apply: for the thousands of generated objects of
   * scale-large. An object that exists already is applied instead, so a create stays idempotent.
   */
  async create<T extends KubeObject>(obj: T): Promise<KubeObject> {
    const collection = this.pathOf(obj.apiVersion, obj.kind, obj.metadata.namespace);
    try {
      return (await this.request('POST', `${collection}?fieldManager=${FIELD_MANAGER}&fieldValidation=Strict`, obj)) as KubeObject;
    } catch (err) {
      if (err instanceof KubeError && err.status === 409) return this.apply(obj);
      throw err;
    }
  }

  async get(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    try {
      return (await this.request('GET', this.pathOf(apiVersion, kind, namespace, name))) as KubeObject;
    } catch (err) {
      if (err instanceof KubeError && err.status === 404) return undefined;
      throw err;
    }
  }

  async list(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<KubeObject[]> {
    const info = this.resources.get(`${apiVersion}/${kind}`);
    if (!info) throw new Error(`test bed does not know resource ${apiVersion}/${kind}`);
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = info.namespaced && namespace ? `/namespaces/${namespace}` : '';
    const q = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    const res = (await this.request('GET', `${base}${ns}/${info.plural}${q}`)) as { items: KubeObject[] };
    return res.items;
  }
}

/** The built-in kinds the scenarios write; Liqo's come from its CRDs. */
export const builtinResources: [string, ResourceInfo][] = [
  ['v1/Namespace', { plural: 'namespaces', namespaced: false, statusSubresource: true }],
  ['v1/Node', { plural: 'nodes', namespaced: false, statusSubresource: true }],
  ['v1/ConfigMap', { plural: 'configmaps', namespaced: true, statusSubresource: false }],
  ['v1/Secret', { plural: 'secrets', namespaced: true, statusSubresource: false }],
  ['v1/ServiceAccount', { plural: 'serviceaccounts', namespaced: true, statusSubresource: false }],
  ['v1/Service', { plural: 'services', namespaced: true, statusSubresource: true }],
  ['v1/Pod', { plural: 'pods', namespaced: true, statusSubresource: true }],
  ['v1/Event', { plural: 'events', namespaced: true, statusSubresource: false }],
  ['apps/v1/Deployment', { plural: 'deployments', namespaced: true, statusSubresource: true }],
  ['rbac.authorization.k8s.io/v1/ClusterRole', { plural: 'clusterroles', namespaced: false, statusSubresource: false }],
  ['rbac.authorization.k8s.io/v1/ClusterRoleBinding', { plural: 'clusterrolebindings', namespaced: false, statusSubresource: false }],
  ['rbac.authorization.k8s.io/v1/Role', { plural: 'roles', namespaced: true, statusSubresource: false }],
  ['rbac.authorization.k8s.io/v1/RoleBinding', { plural: 'rolebindings', namespaced: true, statusSubresource: false }],
  ['admissionregistration.k8s.io/v1/MutatingWebhookConfiguration', { plural: 'mutatingwebhookconfigurations', namespaced: false, statusSubresource: false }],
  ['admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration', { plural: 'validatingwebhookconfigurations', namespaced: false, statusSubresource: false }],
  ['apiregistration.k8s.io/v1/APIService', { plural: 'apiservices', namespaced: false, statusSubresource: true }],
  ['apiextensions.k8s.io/v1/CustomResourceDefinition', { plural: 'customresourcedefinitions', namespaced: false, statusSubresource: true }],
];
