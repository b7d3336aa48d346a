// The extension-host test suite (test/host/**/*.test.ts, mocha TDD) run inside the real web workbench through the
// payload route: VS Code's server with --enable-smoke-test-driver, the repository as extensionDevelopmentPath and
// out/host/index.cjs as extensionTestsPath. Each extension-host test is reported here as a subtest, so its failure
// fails this run (and CI).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openSession } from '../lib/fixture.ts';
import type { Session } from '../lib/fixture.ts';
import { runHostTests } from '../lib/host-tests.ts';
import type { HostTestResult } from '../lib/host-tests.ts';
import { hostTestsEntry, repoRoot } from '../lib/paths.ts';

let s: Session | undefined;
let result: HostTestResult;

before(async () => {
  s = await openSession('host-suite', { install: false, open: false, smokeTestDriver: true });
  result = await runHostTests(s.browser.page, s.wb, {
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: hostTestsEntry,
    // The user data folder tells host tests where the extension's global storage (its kubeconfig backups) lives.
    env: { LIQO_TESTBED_KUBECONFIG: s.testbed.kubeconfig, LIQO_TESTBED_BIN: s.testbed.binDir, LIQO_HOST_USER_DATA_DIR: s.wb.userDataDir },
  });
});

after(async () => {
  if (s && result && result.code !== 0) await s.ui.screenshot('FAILED-host-suite').catch(() => undefined);
  await s?.close();
});

test('extension-host suite (mocha, inside the web workbench)', async (t) => {
  const lines = result.report.split('\n');
  for (const line of lines) {
    const pass = /^ {2}✔ (.*) \(\d+ ms\)$/.exec(line);
    const pending = /^ {2}- (.*) \(pending\)$/.exec(line);
    const fail = /^ {2}✖ (.*)$/.exec(line);
    if (pass) await t.test(pass[1]!, () => undefined);
    else if (pending) await t.test(pending[1]!, { skip: 'pending' }, () => undefined);
    else if (fail) {
      const at = lines.indexOf(line);
      const details: string[] = [];
      for (const next of lines.slice(at + 1)) {
        if (!next.startsWith('      ')) break;
        details.push(next.slice(6));
      }
      await t.test(fail[1]!, () => assert.fail(details.join('\n') || 'failed'));
    }
  }
  const summary = lines.find((l) => l.startsWith('extension-host:')) ?? '(no summary: the suite did not finish)';
  t.diagnostic(`${summary} in ${Math.round(result.durationMs / 1000)} s`);
  assert.equal(
    result.code,
    0,
    `the extension-host suite exited with ${result.code === -1 ? 'a timeout' : `code ${result.code}`}\n${result.report}\n${result.console.slice(-30).join('\n')}`,
  );
  assert.match(result.report, /^extension-host: [1-9]\d* passed, 0 failed/m, `no extension-host test ran:\n${result.report}`);
});
