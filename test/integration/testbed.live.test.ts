// The live test bed's life cycle, in a second state directory next to whatever test bed already runs (two test
// beds side by side, ports never colliding): an `up` killed with SIGKILL in the middle of starting Liqo leaves
// processes behind; `down` finds them all (recorded or not), stops them in order (virtual kubelets, Liqo, the
// clusters) and leaves nothing running.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';

const cli = path.resolve(import.meta.dirname, '..', 'testbed', 'cli.ts');

/** Processes that belong to that state directory: their command line names it, or it is their working directory. */
function processesOf(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const line = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (/\) Z /.test(fs.readFileSync(`/proc/${entry}/stat`, 'utf8'))) continue;
      if (line.includes(dir) || fs.readlinkSync(`/proc/${entry}/cwd`) === dir) found.push(`${entry} ${line.slice(0, 120)}`);
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

test('an up killed mid-start leaves nothing running after down, next to another test bed', { timeout: 300_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liqo-testbed-crash-'));
  const env = { ...process.env, LIQO_TESTBED_DIR: dir };
  const up = spawn(process.execPath, [cli, 'up', '--scenario', 'live'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  up.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    // wait until Liqo's processes are starting (the webhooks are recorded), then crash the `up`
    const deadline = Date.now() + 240_000;
    for (;;) {
      const pids = fs.existsSync(path.join(dir, 'pids')) ? fs.readFileSync(path.join(dir, 'pids'), 'utf8') : '';
      if (/liqo-webhook/.test(pids)) break;
      assert.ok(up.exitCode === null, `up exited before Liqo started:\n${stderr}`);
      assert.ok(Date.now() < deadline, `Liqo did not start within 240 s:\n${stderr}`);
      await sleep(100);
    }
    up.kill('SIGKILL');
    await new Promise((resolve) => up.once('exit', resolve));
    assert.ok(processesOf(dir).length > 0, 'the killed up left processes behind');
  } finally {
    if (up.exitCode === null) up.kill('SIGKILL');
    const down = await execa(process.execPath, [cli, 'down'], { env, reject: false, stdin: 'ignore' });
    assert.equal(down.exitCode, 0, down.stderr);
  }
  assert.deepEqual(processesOf(dir), []);
  assert.equal(fs.existsSync(dir), false, 'down removed the state directory');
});
