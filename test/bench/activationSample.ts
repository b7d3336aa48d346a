// One sample of the activation benchmark, in its own Node process (a fresh module cache, as an extension host
// has): loads the bundle with the fake `vscode` module, activates it, and prints how long until the tree's first
// rows were rendered. KUBECONFIG and HOME are set by the parent.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { installFakeVscode } from './fakeVscode.ts';

const bundle = path.resolve(import.meta.dirname, '../../dist/extension.cjs');
const wb = installFakeVscode();
const t0 = performance.now();
const cpu0 = process.threadCpuUsage();
const ext = createRequire(import.meta.url)(bundle) as { activate(ctx: unknown): void };
const loaded = performance.now();
ext.activate(wb.context);
const activated = performance.now();
const rows = await wb.firstRows;
// CPU time of the main thread over the same span: on a busy machine the wall time also counts the time the thread
// waited for a core, and the process's CPU time counts the compiler threads beside it; the main thread's time is
// the critical path, so it compares changes across runs on a loaded machine.
const cpu = process.threadCpuUsage(cpu0);
process.stdout.write(
  `${JSON.stringify({
    ms: rows.at - t0,
    cpu_ms: (cpu.user + cpu.system) / 1000,
    load_ms: loaded - t0,
    activate_ms: activated - loaded,
    rows: rows.items.length,
    first: rows.items[0] ? `${rows.items[0].label}, ${rows.items[0].description ?? ''}` : '',
  })}\n`,
);
// The contexts' connections are still pending (the servers never answer): the sample is over, end the process.
process.exit(0);
