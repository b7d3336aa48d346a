// Logs and diagnosis on seed-000's failed pod, as a user gets them: Why Is This Pod Failing? from the row's inline
// button opens the report whose first line names the OOMKill; Stream Logs… from the row's context menu opens the
// log view (a terminal in the panel), and a line the test appends to kwok's log file for that pod (what the
// container would print) shows up in the view while it is open. One workbench for the file; the tests run in order
// and build on it. The terminal is drawn by its DOM renderer here (headless Chromium has no GPU), so its text can be
// read from the page.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { openSession } from '../lib/fixture.ts';
import type { Session } from '../lib/fixture.ts';
import { appendPodLog } from '../../testbed/index.ts';

// seed-000 (test/testbed/scenarios/federation.ts): kubeflow on the consumer is offloaded to cluster-b, where its twin
// namespace kubeflow-kind-mlops-platform holds the real pods; llm-finetune-7b was OOMKilled there.
const CONSUMER = 'kind-mlops-platform, kind-mlops-platform · Liqo v1.0.1 · healthy';
const KUBEFLOW = 'kubeflow, Ready · LocalAndRemote → kubeflow-kind-mlops-platform';
const FAILED = 'llm-finetune-7b, Failed · OOMKilled (exit 137) · → cluster-b';
const FAILED_ROW = [CONSUMER, 'Offloaded Namespaces, 1', KUBEFLOW, FAILED];
const HEALTHY_ROW = [CONSUMER, 'Offloaded Namespaces, 1', KUBEFLOW, 'pipelines-ui, Running · local · kind-mlops-platform-worker'];

describe('Pod logs and diagnosis on seed-000', () => {
  let s: Session;

  before(async () => {
    s = await openSession('pod-logs', { settings: { 'terminal.integrated.gpuAcceleration': 'off' } });
  });
  after(async () => {
    await s?.close();
  });

  test('Why Is This Pod Failing? on the failed pod names the OOMKill first', () =>
    s.step('why-failing', async () => {
      await s.ui.openViewContainer('Liqo');
      await s.ui.setSideBarWidth(620);
      await s.ui.expectChildren(CONSUMER, ['Peerings, 1', 'Virtual Nodes, 1', 'Offloaded Namespaces, 1', 'Services, 0', 'Namespaces, 8'], 60_000);
      await s.ui.expectChildren([CONSUMER, 'Offloaded Namespaces, 1'], [KUBEFLOW]);
      await s.ui.expand([CONSUMER, 'Offloaded Namespaces, 1', KUBEFLOW]);
      await s.ui.row(FAILED_ROW);
      await s.ui.inlineAction(FAILED_ROW, 'Why Is This Pod Failing?');
      // rendered, not Markdown source: the preview's tab and its text (line breaks compared as spaces)
      const preview = await s.ui.activePreview(/OOMKilled/, 60_000);
      assert.match(preview.title, /^Preview llm-finetune-7b\.md/, preview.title);
      const shown = preview.text.replace(/\s+/g, ' ');
      assert.ok(shown.startsWith('Container trainer was killed for running out of memory (OOMKilled, exit code 137): it used more than its memory limit of 16Gi on cluster-b. Why is pod kubeflow/llm-finetune-7b failing?'), `the cause comes first:\n${preview.text}`);
      await s.ui.screenshot('01-why-failing');
      await s.ui.page.keyboard.press('Control+W');
    }));

  test('Why Is This Pod Failing? on a healthy pod says it is healthy', () =>
    s.step('why-healthy', async () => {
      await s.ui.contextMenu(HEALTHY_ROW, 'Why Is This Pod Failing?');
      const preview = await s.ui.activePreview(/pipelines-ui/, 60_000);
      const shown = preview.text.replace(/\s+/g, ' ');
      assert.match(shown, /Pod kubeflow\/pipelines-ui is healthy/, preview.text);
      assert.doesNotMatch(shown, /failing\?/, preview.text);
      await s.ui.screenshot('01b-why-healthy');
      await s.ui.page.keyboard.press('Control+W');
    }));

  test('Stream Logs… shows the pod\'s log and a line appended while it is open', () =>
    s.step('stream-logs', async () => {
      await s.ui.contextMenu(FAILED_ROW, 'Stream Logs…');
      // The options: Follow is preselected; since empty; tail 200.
      const input = s.ui.page.locator('.quick-input-widget input');
      // A multi-select pick: its rows are checkboxes.
      await s.ui.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: 'Follow' }).first().waitFor({ timeout: 15_000 });
      await input.press('Enter');
      await s.ui.page.locator('.quick-input-widget').getByText(/^Since/).first().waitFor({ timeout: 10_000 });
      await input.press('Enter');
      await s.ui.page.locator('.quick-input-widget').getByText(/^Tail/).first().waitFor({ timeout: 10_000 });
      await input.press('Enter');
      const view = s.ui.page.locator('.part.panel .xterm-rows').first();
      const shown = async () => ((await view.count()) ? (await view.innerText()).replace(/\u00a0/g, ' ') : '');
      const waitFor = async (what: string, ok: (t: string) => boolean) => {
        let text = '';
        for (let i = 0; i < 120; i++) {
          text = await shown();
          if (ok(text)) return text;
          await s.ui.page.waitForTimeout(500);
        }
        throw new Error(`the log view did not show ${what} within 60 s; it shows:\n${text}`);
      };
      await waitFor('the pod\'s history', (t) => t.includes('torch.OutOfMemoryError: CUDA out of memory'));
      await s.ui.screenshot('02-stream-logs');
      const mark = `e2e-appended-${randomUUID()}`;
      appendPodLog('cluster-b', 'kubeflow-kind-mlops-platform', 'llm-finetune-7b', mark);
      const text = await waitFor('the appended line', (t) => t.includes(mark));
      assert.equal(text.split('\n').filter((l) => l.includes(mark)).length, 1, 'the appended line shows once');
      await s.ui.screenshot('03-appended-line');
      const status = s.ui.page.locator('.part.statusbar');
      await status.getByText(/\b1 log stream\b/).first().waitFor({ timeout: 10_000 });
      await s.ui.runCommand('Liqo: Stop Log Stream');
      await status.getByText(/\b0 log streams\b/).first().waitFor({ timeout: 15_000 });
      await waitFor('that the stream stopped', (t) => t.includes('── stopped ──'));
    }));
});
