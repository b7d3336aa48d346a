// A real user with limited RBAC on a test-bed cluster: a client certificate signed by the cluster's CA (openssl),
// the given RBAC objects applied as admin, and a kubeconfig for that user alone. remove() deletes all of it.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import type { Testbed } from '../../testbed/index.ts';
import { kubectl } from './treeHarness.ts';

const run = promisify(execFile);

export interface RestrictedUser {
  readonly kubeconfig: string;
  readonly context: string;
  remove(): Promise<void>;
}

export async function restrictedUser(tb: Testbed, cluster: string, userName: string, rbac: readonly object[]): Promise<RestrictedUser> {
  const dir = await mkdtemp(path.join(tmpdir(), 'liqo-rbac-'));
  const rbacFile = path.join(dir, 'rbac.yaml');
  const remove = async (): Promise<void> => {
    await kubectl(tb.kubectl, tb.kubeconfig, cluster, 'delete', '-f', rbacFile, '--ignore-not-found').catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const pki = path.join(tb.stateDir, 'clusters', cluster, 'pki');
    const key = path.join(dir, 'user.key');
    const csr = path.join(dir, 'user.csr');
    const crt = path.join(dir, 'user.crt');
    await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${userName}`]);
    await run('openssl', ['x509', '-req', '-in', csr, '-CA', path.join(pki, 'ca.crt'), '-CAkey', path.join(pki, 'ca.key'), '-CAcreateserial', '-out', crt, '-days', '1']);
    await writeFile(rbacFile, rbac.map((o) => stringify(o)).join('---\n'));
    await kubectl(tb.kubectl, tb.kubeconfig, cluster, 'apply', '-f', rbacFile);
    const full = parse(await readFile(tb.kubeconfig, 'utf8')) as { clusters: { name: string; cluster: unknown }[]; contexts: { name: string; context: { cluster: string } }[] };
    const clusterName = full.contexts.find((c) => c.name === cluster)!.context.cluster;
    const context = `${userName}@${cluster}`;
    const kc = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'restricted', cluster: full.clusters.find((c) => c.name === clusterName)!.cluster }],
      users: [{ name: userName, user: { 'client-certificate': crt, 'client-key': key } }],
      contexts: [{ name: context, context: { cluster: 'restricted', user: userName } }],
    };
    const kubeconfig = path.join(dir, 'user.kubeconfig');
    await writeFile(kubeconfig, stringify(kc), { mode: 0o600 });
    return { kubeconfig, context, remove };
  } catch (e) {
    await remove();
    throw e;
  }
}
