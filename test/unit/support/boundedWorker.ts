// Runs a function of a module in a worker thread with a time bound per step: a hang detector for code that could
// loop forever (a synchronous loop would otherwise hang the test runner itself). The function gets `step(info)` to
// call after each unit of work; if no step (or the end) comes within `stepMs`, the worker is terminated and the
// promise rejects, naming the last step reached. The bound is a hang detector, not a performance claim.
import { Worker } from 'node:worker_threads';

export interface BoundedRun {
  /** The steps reported, in order. */
  readonly steps: unknown[];
  /** What the function returned. */
  readonly result: unknown;
}

const WORKER = `
import { parentPort, workerData } from 'node:worker_threads';
const m = await import(workerData.module);
const result = await m[workerData.fn](...workerData.args, (info) => parentPort.postMessage({ step: info }));
parentPort.postMessage({ end: result });
`;

export function runBounded(module: URL, fn: string, args: unknown[], stepMs: number): Promise<BoundedRun> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(WORKER)}`), { workerData: { module: module.href, fn, args } });
    const steps: unknown[] = [];
    let timer: ReturnType<typeof setTimeout>;
    let settled = false;
    const finish = (err: Error | undefined, result?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (err) reject(err);
      else resolve({ steps, result });
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(new Error(`no progress within ${stepMs} ms (a hang?) after step ${JSON.stringify(steps[steps.length - 1] ?? 'none')}`)), stepMs);
    };
    arm();
    worker.on('message', (m: { step?: unknown; end?: unknown }) => {
      if ('end' in m) finish(undefined, m.end);
      else {
        steps.push(m.step);
        arm();
      }
    });
    worker.on('error', (err) => finish(err));
    worker.on('exit', (code) => finish(new Error(`the worker exited (code ${code}) before finishing`)));
  });
}
