// Issue 21 in the workbench, on seed-000: a cluster's Services folder, expanded by clicks, lists the services worth
// opening (Grafana first, then the offloaded namespace's), each row's context menu offers Open Service in Browser…,
// run there it asks only the port (the row names the cluster and the service); and the inline action on a one-port
// service forwards for real: an echo server on 127.0.0.1 behind a kwok pod on cluster-b, reached through the port
// the status bar's forward names, bytes in and the same bytes back.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { openSession, type Session } from '../lib/fixture.ts';
import { testbedContexts, type Contexts } from '../../integration/support/contexts.ts';
import { roundTrip, startEchoService, type EchoService } from '../../integration/support/echoService.ts';
import { createClusterClient } from '../../../src/infra/cluster/httpClusterClient.ts';
import type { ClusterClient } from '../../../src/infra/cluster/clusterClient.ts';

const CONSUMER = 'kind-mlops-platform, kind-mlops-platform · Liqo v1.0.1 · healthy';
const PROVIDER = 'cluster-b, cluster-b · Liqo v1.0.1 · healthy';
const SUFFIX = Date.now().toString(36);
const MONITORING = `monitoring-${SUFFIX}`;
const ECHO_NS = `echo-${SUFFIX}`;
const GRAFANA = `kps-${SUFFIX}-grafana, ${MONITORING} · 80 (80-3000) · Grafana`;
const WEB_UI = `web-ui-${SUFFIX}, kubeflow · 80 (80-8080), 9090 (9090-9090)`;
const ECHO = `echo-grafana, ${ECHO_NS} · 80 (http) · Grafana`;
const FORWARDS_ITEM = '.part.statusbar [id="liqo-vscode.liqo-federation.liqo.serviceForwards"]';

describe('Service rows on seed-000', () => {
  let s: Session;
  let kubectl: (context: string, ...args: string[]) => Promise<unknown>;
  let contexts: Contexts;
  let client: ClusterClient;
  let echo: EchoService;

  before(async () => {
    s = await openSession('service-rows');
    const tb = s.testbed;
    kubectl = (context, ...args) => promisify(execFile)(tb.kubectl, ['--kubeconfig', tb.kubeconfig, '--context', context, ...args], { timeout: 60_000 });
    await kubectl('kind-mlops-platform', 'create', 'namespace', MONITORING);
    await kubectl('kind-mlops-platform', 'create', 'service', 'clusterip', `kps-${SUFFIX}-grafana`, '-n', MONITORING, '--tcp=80:3000');
    await kubectl('kind-mlops-platform', 'create', 'service', 'clusterip', `web-ui-${SUFFIX}`, '-n', 'kubeflow', '--tcp=80:8080', '--tcp=9090:9090');
    // A Grafana-named service in front of a real echo server (listed anywhere: Grafana is well known).
    contexts = await testbedContexts(tb.kubeconfig);
    client = createClusterClient(await contexts.resolve('cluster-b'), { timeoutMs: 5000 });
    echo = await startEchoService(client, 'cluster-b-worker', ECHO_NS);
    await echo.addPod('echo-1');
    await client.apply(`/api/v1/namespaces/${ECHO_NS}/services/echo-grafana`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'echo-grafana', namespace: ECHO_NS },
      spec: { selector: { app: 'echo' }, ports: [{ name: 'http', port: 80, targetPort: 'echo' }] },
    }, { fieldManager: 'e2e-service-rows' });
  });

  after(async () => {
    await s?.close();
    await echo?.dispose();
    client?.dispose();
    await contexts?.dispose();
    await kubectl?.('kind-mlops-platform', 'delete', 'service', `web-ui-${SUFFIX}`, '-n', 'kubeflow', '--ignore-not-found', '--wait=false').catch(() => undefined);
    await kubectl?.('kind-mlops-platform', 'delete', 'namespace', MONITORING, '--ignore-not-found', '--wait=false').catch(() => undefined);
  });

  test('the consumer’s Services folder lists Grafana first, then the offloaded namespace’s service', () =>
    s.step('services-folder', async () => {
      await s.ui.openViewContainer('Liqo');
      await s.ui.setSideBarWidth(620);
      await s.ui.expand(CONSUMER);
      await s.ui.expectChildren([CONSUMER, 'Services, 2'], [GRAFANA, WEB_UI], 60_000);
      await s.ui.screenshot('01-services-folder');
    }));

  test('a service row’s context menu offers Open Service in Browser…; run there it asks only the port', () =>
    s.step('context-menu', async () => {
      const row = [CONSUMER, 'Services, 2', WEB_UI];
      const menu = await s.ui.contextMenuItems(row);
      assert.ok(menu.includes('Open Service in Browser…'), `context menu: ${menu.join(' | ')}`);
      await s.ui.contextMenu(row, 'Open Service in Browser…');
      const title = s.ui.page.locator('.quick-input-widget .quick-input-title');
      await title.filter({ hasText: `Open Service in Browser: port of web-ui-${SUFFIX}` }).first().waitFor({ timeout: 15_000 });
      const options = await s.ui.page.locator('.quick-input-widget [role=option] .label-name').allInnerTexts();
      assert.deepEqual(
        options.map((o) => o.trim()),
        ['80', '9090'],
      );
      await s.ui.screenshot('02-port-pick');
      await s.ui.page.keyboard.press('Escape');
      // Escape at the port pick starts no forward (and the next step's count of exactly one forward shows none came later)
      await s.ui.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
      assert.equal(await s.ui.page.locator(FORWARDS_ITEM).count(), 0, 'no forward in the status bar after Escape');
    }));

  test('the inline action on a one-port service forwards to the real echo pod, no question asked', () =>
    s.step('forward', async () => {
      await s.ui.collapse(CONSUMER);
      await s.ui.expand(PROVIDER);
      await s.ui.expectChildren([PROVIDER, /^Services, \d+$/], [ECHO], 60_000);
      const before = echo.connections();
      await s.ui.inlineAction([PROVIDER, /^Services, \d+$/, ECHO], 'Open Service in Browser…');
      const item = s.ui.page.locator(FORWARDS_ITEM);
      await item.waitFor({ timeout: 60_000 });
      assert.match((await item.innerText()).trim(), /1 forward$/);
      const hover = await s.ui.hoverText(item, { screenshot: '03-forward-status' });
      const port = Number(/http:\/\/127\.0\.0\.1:(\d+)\//.exec(hover)?.[1]);
      assert.ok(port > 0, `the forward's URL in the status bar's hover: ${hover}`);
      assert.match(hover, /cluster-b .*to pod echo-1/, hover);
      await roundTrip(port, 64 * 1024, 'through the forward the workbench opened');
      assert.ok(echo.connections() > before, 'the echo server was reached through the forward');
    }));
});
