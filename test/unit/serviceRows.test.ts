// The Services folder of a cluster (issue 21): which services it lists and in what order, what each row says, what an
// empty folder says, hostile names kept inert; and what the cache keeps of a Service (cachedService), read the same
// by the rows as the whole object. A property run checks the folder against a rule written apart from the code's
// (SERVICE_PROPERTY_RUNS/_SEED set count and seed; each case has a hang bound, not a performance claim).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cachedService } from '../../src/core/liqo/cachedObjects.ts';
import { emptySnapshot, type ClusterSnapshot, type KindState } from '../../src/core/liqo/snapshot.ts';
import type { KubeObject, Namespace, NamespaceOffloading, Service } from '../../src/core/liqo/objects.ts';
import { buildClusterSubtree } from '../../src/core/tree/clusterTree.ts';
import { ClusterRows } from '../../src/core/tree/clusterRows.ts';
import { NO_SERVICE_LABEL, listedServices } from '../../src/core/tree/serviceNodes.ts';
import { clusterRowKey, rowId, childKey } from '../../src/core/tree/rowKey.ts';
import type { ClusterTreeContext } from '../../src/core/tree/treeContext.ts';
import type { TreeNodeView } from '../../src/core/tree/view.ts';
import { wellKnownApp, forwardablePorts } from '../../src/core/portForward/serviceTarget.ts';
import { mulberry32, pick, type Rand } from './kubeconfigGenerator.ts';

const ENTRY = 'kubeconfig#consumer';
const base = clusterRowKey(ENTRY);
const FOLDER_ID = rowId(childKey(base, 'services'));

/** A Service as the API server returns it (what kubectl get -o json shows of a Helm chart's service). */
function apiService(namespace: string, name: string, over: { labels?: Record<string, string>; selector?: Record<string, string> | null; ports?: object[]; type?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace,
      uid: `uid-${namespace}-${name}`,
      resourceVersion: '812',
      creationTimestamp: '2026-11-30T07:41:26Z',
      labels: over.labels ?? { 'app.kubernetes.io/managed-by': 'Helm', 'helm.sh/chart': 'web-1.2.3' },
      annotations: { 'meta.helm.sh/release-name': 'web', 'kubectl.kubernetes.io/last-applied-configuration': '{"big":"manifest"}' },
      managedFields: [{ manager: 'helm', operation: 'Update' }],
    } as KubeObject['metadata'],
    spec: {
      type: over.type ?? 'ClusterIP',
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      ...(over.selector === null ? {} : { selector: over.selector ?? { app: name } }),
      ports: over.ports ?? [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      sessionAffinity: 'None',
    },
    status: { loadBalancer: {} },
  } as KubeObject;
}

const ns = (name: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}): Namespace => ({ metadata: { name, labels, annotations } });
const offloading = (namespace: string): NamespaceOffloading => ({ metadata: { name: 'offloading', namespace } }) as NamespaceOffloading;
const twin = (name: string, original: string): Namespace => ns(name, { 'liqo.io/remote-cluster-id': 'consumer-id' }, { 'liqo.io/original-name': original });

function snapshot(services: readonly KubeObject[], over: Partial<ClusterSnapshot> = {}, servicesState: KindState = { kind: 'ready' }): ClusterSnapshot {
  const e = emptySnapshot();
  const kinds = Object.fromEntries(Object.keys(e.kinds).map((k) => [k, { kind: 'ready' }])) as unknown as Record<keyof ClusterSnapshot['kinds'], KindState>;
  kinds.services = servicesState;
  return { ...e, kinds, services: services.map(cachedService), ...over };
}

function ctx(s: ClusterSnapshot): ClusterTreeContext {
  return { base, entryId: ENTRY, snapshot: s, contextsFor: () => [] };
}

function folder(s: ClusterSnapshot): { row: TreeNodeView; children: TreeNodeView[] } {
  const tree = buildClusterSubtree(ctx(s));
  const row = tree.get(rowId(base))!.find((r) => r.id === FOLDER_ID)!;
  return { row, children: tree.get(FOLDER_ID) ?? [] };
}

const FEDERATION = {
  namespaces: [ns('default'), ns('kubeflow'), ns('monitoring'), ns('team-a'), twin('kubeflow-consumer', 'kubeflow')],
  offloadings: [offloading('kubeflow')],
};

test('lists Grafana and Prometheus first (anywhere), then the services of offloaded and twin namespaces only', () => {
  const s = snapshot(
    [
      apiService('team-a', 'not-shown'),
      apiService('kubeflow', 'pipelines-ui', { ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'grpc', port: 8887 }] }),
      apiService('kubeflow', 'api'),
      apiService('kubeflow-consumer', 'twin-svc'),
      apiService('monitoring', 'kps-kube-prometheus-prometheus', { labels: { app: 'kube-prometheus-stack-prometheus' }, ports: [{ name: 'http-web', port: 9090, protocol: 'TCP' }] }),
      apiService('monitoring', 'kps-grafana', { labels: { 'app.kubernetes.io/name': 'grafana' }, ports: [{ name: 'http-web', port: 80, protocol: 'TCP' }] }),
      apiService('monitoring', 'kps-kube-prometheus-alertmanager', { labels: { app: 'kube-prometheus-stack-alertmanager' } }),
    ],
    FEDERATION,
  );
  const { row, children } = folder(s);
  assert.equal(row.label, 'Services');
  assert.equal(row.description, '5');
  assert.deepEqual(
    children.map((r) => [r.label, r.description]),
    [
      ['kps-grafana', 'monitoring · 80 (http-web) · Grafana'],
      ['kps-kube-prometheus-prometheus', 'monitoring · 9090 (http-web) · Prometheus'],
      ['api', 'kubeflow · 80 (http)'],
      ['pipelines-ui', 'kubeflow · 80 (http), 8887 (grpc)'],
      ['twin-svc', 'kubeflow-consumer · 80 (http)'],
    ],
  );
  assert.deepEqual(
    children.map((r) => r.contextValue),
    ['liqo:service+forwardable+wellKnown', 'liqo:service+forwardable+wellKnown', 'liqo:service+forwardable', 'liqo:service+forwardable', 'liqo:service+forwardable'],
  );
  assert.deepEqual(children[2]!.resource, { entryId: ENTRY, kind: 'services', key: 'kubeflow/api' });
  assert.equal(children[0]!.icon?.id, 'star-full');
});

test('only services with a selector and a TCP port are listed (the command’s own rule)', () => {
  const s = snapshot(
    [
      apiService('kubeflow', 'headless-external', { selector: null }),
      apiService('kubeflow', 'empty-selector', { selector: {} }),
      apiService('kubeflow', 'dns-udp', { ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }),
      apiService('kubeflow', 'no-ports', { ports: [] }),
      apiService('kubeflow', 'mixed', { ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'metrics', port: 9153 }] }),
      apiService('monitoring', 'grafana', { selector: null }),
    ],
    FEDERATION,
  );
  const { children } = folder(s);
  assert.deepEqual(
    children.map((r) => [r.label, r.description]),
    [['mixed', 'kubeflow · 9153 (metrics)']],
  );
});

test('an empty folder says why, counts 0, and the row is no service', () => {
  const { row, children } = folder(snapshot([apiService('team-a', 'web')], FEDERATION));
  assert.equal(row.description, '0');
  assert.equal(row.collapsible, 'collapsed');
  assert.equal(children.length, 1);
  assert.equal(children[0]!.label, NO_SERVICE_LABEL);
  assert.equal(NO_SERVICE_LABEL, 'No forwardable service in the namespaces shown');
  assert.equal(children[0]!.contextValue, 'liqo:noService');
  assert.equal(children[0]!.resource, undefined);
});

test('while services load the folder says Loading…; a 403 says so in the folder and the other folders still build', () => {
  const loading = folder(snapshot([], FEDERATION, { kind: 'loading' }));
  assert.deepEqual(
    loading.children.map((r) => r.label),
    ['Loading…'],
  );
  const forbidden = snapshot([], FEDERATION, { kind: 'forbidden', message: 'services is forbidden: User "viewer" cannot list resource "services"' });
  const f = folder(forbidden);
  assert.deepEqual(
    f.children.map((r) => [r.label, r.description]),
    [['No permission to list services', 'forbidden (403)']],
  );
  assert.equal(f.row.description, '0 · problem');
  const top = buildClusterSubtree(ctx(forbidden)).get(rowId(base))!;
  assert.deepEqual(
    top.map((r) => r.label),
    ['Peerings', 'Virtual Nodes', 'Offloaded Namespaces', 'Services', 'Namespaces'],
  );
});

test('hostile names stay inert: plain label, escaped tooltip, encoded id', () => {
  const evil = '[x](command:liqo.cluster.retry)';
  // Kubernetes names cannot hold these characters; a hostile or broken API server can still send them.
  const s = snapshot([apiService('kubeflow', evil, { ports: [{ name: '*bold*<img>', port: 8080 }] })], FEDERATION);
  const r = folder(s).children[0]!;
  assert.equal(r.label, evil);
  assert.doesNotMatch(r.tooltip ?? '', /\[x\]\(command:/);
  assert.doesNotMatch(r.tooltip ?? '', /<img>/);
  assert.match(r.tooltip ?? '', /\\\[x\\\]\\\(command:liqo\\\.cluster\\\.retry\\\)/);
  assert.ok(!r.id.slice(FOLDER_ID.length + 1).includes('/kubeflow/') && r.id.endsWith(encodeURIComponent(evil)), r.id);
  // A name with a slash does not collide with another namespace/name pair.
  const a = folder(snapshot([apiService('kubeflow', 'a/b')], FEDERATION)).children[0]!;
  const b = folder(snapshot([apiService('kubeflow/a', 'b')], { ...FEDERATION, offloadings: [offloading('kubeflow'), offloading('kubeflow/a')] })).children[0]!;
  assert.notEqual(a.id, b.id);
});

test('ids are stable across rebuilds; a service appearing or going refreshes the folder', () => {
  const first = snapshot([apiService('kubeflow', 'api')], FEDERATION);
  const rows = new ClusterRows(ctx(first));
  const idBefore = rows.children(FOLDER_ID)!.map((r) => r.id);
  const second = snapshot([apiService('kubeflow', 'api'), apiService('kubeflow', 'web')], FEDERATION);
  const up = rows.update(ctx(second), new Map([['services', new Set(['kubeflow/web'])]]));
  assert.deepEqual(up.refresh, [FOLDER_ID]);
  assert.deepEqual(
    rows.children(FOLDER_ID)!.map((r) => r.label),
    ['api', 'web'],
  );
  assert.equal(rows.children(FOLDER_ID)![0]!.id, idBefore[0]);
  const third = snapshot([apiService('kubeflow', 'web')], FEDERATION);
  const down = rows.update(ctx(third), new Map([['services', new Set(['kubeflow/api'])]]));
  assert.deepEqual(down.refresh, [FOLDER_ID]);
  assert.deepEqual(down.gone, idBefore);
  // A service changing in a namespace the tree does not show refreshes nothing.
  const quiet = rows.update(ctx(snapshot([apiService('kubeflow', 'web'), apiService('team-a', 'x')], FEDERATION)), new Map([['services', new Set(['team-a/x'])]]));
  assert.deepEqual(quiet.refresh, []);
  // Offloading team-a brings its services in.
  const offloaded = snapshot([apiService('kubeflow', 'web'), apiService('team-a', 'x')], { ...FEDERATION, offloadings: [offloading('kubeflow'), offloading('team-a')] });
  const more = rows.update(ctx(offloaded), new Map([['namespaceoffloadings', new Set(['team-a/offloading'])]]));
  assert.ok(more.refresh.includes(FOLDER_ID), JSON.stringify(more.refresh));
  assert.deepEqual(
    rows.children(FOLDER_ID)!.map((r) => r.label),
    ['web', 'x'],
  );
});

test('a folder rebuilt whole that comes out the same refreshes nothing: a re-list, a namespace updated; a real change still does', () => {
  const services = [apiService('kubeflow', 'api'), apiService('monitoring', 'grafana')];
  const rows = new ClusterRows(ctx(snapshot(services, FEDERATION)));
  // every kind listed again (a watch restarted): the same rows
  const relisted = rows.update(ctx(snapshot(services, FEDERATION)), new Map([['services', 'all'], ['namespaces', 'all'], ['namespaceoffloadings', 'all']]));
  assert.ok(!relisted.refresh.includes(FOLDER_ID), JSON.stringify(relisted.refresh));
  // a namespace's labels changed (the Services folder reads namespaces whole): still the same rows
  const relabelled = { ...FEDERATION, namespaces: FEDERATION.namespaces.map((n) => (n.metadata.name === 'default' ? ns('default', { team: 'x' }) : n)) };
  const touched = rows.update(ctx(snapshot(services, relabelled)), new Map([['namespaces', new Set(['default'])]]));
  assert.ok(!touched.refresh.includes(FOLDER_ID), JSON.stringify(touched.refresh));
  // a port changed, seen in a re-list: the folder is refreshed
  const changed = [apiService('kubeflow', 'api', { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }), apiService('monitoring', 'grafana')];
  const real = rows.update(ctx(snapshot(changed, relabelled)), new Map([['services', 'all']]));
  assert.ok(real.refresh.includes(FOLDER_ID), JSON.stringify(real.refresh));
  assert.match(rows.children(FOLDER_ID)!.find((r) => r.label === 'api')!.description!, /8080/);
});

test('cachedService keeps name, namespace, uid, type, ports (name, port, protocol), whether it selects, the app labels', () => {
  const whole = apiService('monitoring', 'kps-grafana', {
    labels: { 'app.kubernetes.io/name': 'grafana', app: 'grafana', 'helm.sh/chart': 'grafana-8.0.0', 'app.kubernetes.io/instance': 'kps' },
    ports: [{ name: 'http-web', port: 80, targetPort: 3000, protocol: 'TCP', nodePort: 30080, appProtocol: 'http' }],
    type: 'NodePort',
  });
  const kept = cachedService(whole);
  assert.deepEqual(kept, {
    metadata: { name: 'kps-grafana', namespace: 'monitoring', uid: 'uid-monitoring-kps-grafana', resourceVersion: '812', labels: { 'app.kubernetes.io/name': 'grafana', app: 'grafana' } },
    spec: { hasSelector: true, type: 'NodePort', ports: [{ name: 'http-web', port: 80, protocol: 'TCP' }] },
  });
  // The readers answer the same from the kept fields as from the whole object.
  assert.equal(wellKnownApp(kept), wellKnownApp(whole as Service));
  assert.deepEqual(
    forwardablePorts(kept).map((p) => p.port),
    forwardablePorts(whole as Service).map((p) => p.port),
  );
  assert.deepEqual(cachedService(apiService('a', 'b', { selector: null, labels: {} })), {
    metadata: { name: 'b', namespace: 'a', uid: 'uid-a-b', resourceVersion: '812' },
    spec: { hasSelector: false, type: 'ClusterIP', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
  });
  // Absent fields stay absent (no protocol: TCP by default, as forwardablePorts reads it).
  assert.deepEqual(cachedService({ metadata: { name: 'n' }, spec: { ports: [{ port: 1 }] } } as KubeObject), { metadata: { name: 'n' }, spec: { hasSelector: false, ports: [{ port: 1 }] } });
  assert.deepEqual(cachedService({ metadata: { name: 'n' } }), { metadata: { name: 'n' } });
  assert.equal(listedServices(snapshot([whole], FEDERATION)).length, 1);
});

test('package.json shows Open Service in Browser… inline and in the context menu of service rows, not on the empty row', async () => {
  const { readFile } = await import('node:fs/promises');
  const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { contributes: { menus: Record<string, { command: string; when?: string; group?: string }[]> } };
  const entries = manifest.contributes.menus['view/item/context']!.filter((m) => m.command === 'liqo.service.openInBrowser');
  const matching = (contextValue: string): string[] =>
    entries
      .filter((m) => {
        const re = /viewItem =~ \/(.+?)\/(?: |$)/.exec(m.when ?? '')?.[1];
        return re !== undefined && new RegExp(re).test(contextValue) && !/\+error/.test(contextValue);
      })
      .map((m) => m.group!.split('@')[0]!)
      .sort();
  assert.deepEqual(matching('liqo:service+forwardable'), ['5_services', 'inline']);
  assert.deepEqual(matching('liqo:service+forwardable+wellKnown'), ['5_services', 'inline']);
  assert.deepEqual(matching('liqo:noService'), []);
  assert.deepEqual(matching('liqo:cluster+reachable+liqo'), ['5_services']);
});

const RUNS = Number(process.env.SERVICE_PROPERTY_RUNS ?? 2000);
const SEED = Number(process.env.SERVICE_PROPERTY_SEED ?? 20261207);
const CASE_BOUND_MS = 2000;
// Names as charts and people give them, and some a broken or hostile API server could send.
const SVC_NAMES = ['web', 'api', 'grafana', 'kps-grafana', 'prometheus', 'kps-kube-prometheus-prometheus', 'prometheus-server', 'loki', 'grafana-agent', 'my-prometheus', 'x-grafana-x', 'mygrafana', 'notprometheus', 'a*b', '[ok](command:x)', 'tab\tname', 'line\nbreak', 'ünï', '`tick`', 'web'];
const NS_NAMES = ['kubeflow', 'analytics', 'monitoring', 'default', 'team-a', 'kubeflow-consumer', 'analytics-consumer', 'liqo'];
const APP_LABELS: readonly (Record<string, string> | undefined)[] = [undefined, { app: 'grafana' }, { 'app.kubernetes.io/name': 'Prometheus' }, { app: 'kube-prometheus-stack-prometheus' }, { app: 'web' }, { 'app.kubernetes.io/name': 'grafana', app: 'other' }];
const PROTOCOLS = [undefined, 'TCP', 'UDP', 'SCTP'];

function generatedService(r: Rand, i: number): KubeObject {
  const ports = Array.from({ length: Math.floor(r() * 4) }, () => {
    const protocol = pick(r, PROTOCOLS);
    const name = r() < 0.6 ? pick(r, ['http', 'grpc', 'metrics', 'dns', 'http-web', 'a_b']) : undefined;
    return { port: 1 + Math.floor(r() * 65535), ...(name ? { name } : {}), ...(protocol ? { protocol } : {}) };
  });
  const sel = r();
  const selector: Record<string, string> | null = sel < 0.2 ? null : sel < 0.3 ? {} : { app: `s${i}` };
  const labels = pick(r, APP_LABELS);
  return apiService(pick(r, NS_NAMES), pick(r, SVC_NAMES), { ports, selector, ...(labels ? { labels } : {}), type: pick(r, ['ClusterIP', 'NodePort', 'LoadBalancer']) });
}

/** The rule the folder follows, written from the words rather than from the code. */
function expectedRows(services: readonly KubeObject[], shown: ReadonlySet<string>): { key: string; wellKnown: boolean; ports: string }[] {
  const out: { key: string; wellKnown: boolean; ports: string }[] = [];
  for (const svc of services) {
    const spec = (svc as { spec?: unknown }).spec as { selector?: Record<string, string>; ports?: { port: number; name?: string; protocol?: string }[] };
    const tcp = (spec.ports ?? []).filter((p) => p.protocol === undefined || p.protocol === 'TCP');
    if (Object.keys(spec.selector ?? {}).length === 0 || tcp.length === 0) continue;
    const labels = svc.metadata.labels ?? {};
    const app = (labels['app.kubernetes.io/name'] ?? labels.app ?? '').toLowerCase();
    const name = svc.metadata.name.toLowerCase();
    const wellKnown = app === 'grafana' || app === 'prometheus' || app.endsWith('-prometheus-prometheus') || name === 'grafana' || name.endsWith('-grafana') || name === 'prometheus' || name.endsWith('-prometheus');
    if (!wellKnown && !shown.has(svc.metadata.namespace!)) continue;
    out.push({ key: `${svc.metadata.namespace}/${svc.metadata.name}`, wellKnown, ports: tcp.map((p) => String(p.port)).join(',') });
  }
  return out;
}

test(`property: ${RUNS} generated clusters' Services folders list exactly the rule's services, apps first, ids unique, tooltips inert (seed ${SEED})`, () => {
  const r = mulberry32(SEED);
  for (let run = 0; run < RUNS; run++) {
    const started = Date.now();
    // a cluster holds one service per namespace and name (the watch cache is keyed so)
    const byKey = new Map(Array.from({ length: Math.floor(r() * 12) }, (_, i) => generatedService(r, i)).map((svc) => [`${svc.metadata.namespace}/${svc.metadata.name}`, svc]));
    const services = [...byKey.values()];
    const offloaded = NS_NAMES.filter(() => r() < 0.3).filter((n) => !n.endsWith('-consumer'));
    const twins = ['kubeflow-consumer', 'analytics-consumer'].filter(() => r() < 0.5);
    const namespaces = [...NS_NAMES.filter((n) => !n.endsWith('-consumer')).map((n) => ns(n)), ...twins.map((t) => twin(t, t.replace(/-consumer$/, '')))];
    const s = snapshot(services, { namespaces, offloadings: offloaded.map(offloading) });
    const expected = expectedRows(services, new Set([...offloaded, ...twins]));
    const { row, children } = folder(s);
    const where = `run ${run} (SERVICE_PROPERTY_SEED=${SEED}, ${services.length} services)`;
    assert.equal(row.description, String(expected.length), where);
    if (expected.length === 0) {
      assert.deepEqual(children.map((c) => c.label), [NO_SERVICE_LABEL], where);
      continue;
    }
    const listed = listedServices(s);
    const sortKeys = (xs: string[]) => [...xs].sort();
    assert.deepEqual(sortKeys(listed.map((l) => `${l.service.metadata.namespace}/${l.service.metadata.name}`)), sortKeys(expected.map((e) => e.key)), where);
    const firstOther = listed.findIndex((l) => !l.app);
    assert.ok(firstOther === -1 || listed.slice(firstOther).every((l) => !l.app), `${where}: Grafana and Prometheus come first`);
    assert.equal(new Set(children.map((c) => c.id)).size, children.length, `${where}: row ids unique`);
    for (const [i, c] of children.entries()) {
      const svc = listed[i]!.service;
      const tcp = forwardablePorts(svc).map((p) => String(p.port));
      const shownPorts = [...(c.description ?? '').matchAll(/(?:^| · |, )(\d+)(?= \(|,|$| · )/g)].map((m) => m[1]);
      assert.deepEqual(shownPorts, tcp, `${where}: ${c.label} shows its TCP ports and no other`);
      const tooltip = typeof c.tooltip === 'string' ? c.tooltip : '';
      assert.ok(!/[^\\]\]\(command:/.test(tooltip) && !/\n\n.*\n[^-\n]*line\nbreak/.test(tooltip), `${where}: ${c.label}'s tooltip stays inert`);
      assert.equal(c.label, svc.metadata.name, where);
    }
    assert.ok(Date.now() - started < CASE_BOUND_MS, `${where}: a case took ${Date.now() - started} ms (a hang, not a speed claim)`);
  }
});
