// The scale benchmark's load: pod status changes through the API at a fixed rate for a bounded time, as kubelets
// report them. Runs in a worker thread (its own event loop, so it does not delay the model being measured) and
// writes over one HTTP/2 connection. Each change sets the pod's status.message to a unique marker and flips its
// Ready condition; before sending, it tells the main thread which pod gets which marker and when (wall clock ms), and
// when the API server answered.
import { parentPort, workerData, Worker } from 'node:worker_threads';
import { PooledCluster, type BareCluster } from './bareClient.ts';

export interface DriverOptions {
  readonly cluster: BareCluster;
  readonly pods: readonly { readonly namespace: string; readonly name: string }[];
  readonly perSecond: number;
  readonly durationMs: number;
  /** Changes beyond this many unanswered ones are skipped (and counted), never queued. */
  readonly maxInFlight: number;
}

export type DriverMessage =
  /** The driver's own connections (left out of the explorer's connection count). */
  | { kind: 'ports'; local: number[] }
  | { kind: 'sent'; namespace: string; name: string; marker: string; at: number }
  /**
   * The change's watch event reached a bare watch of all pods in this worker (its own connection and thread, no
   * explorer code): `at` minus the send time is the API server's share of the change-to-row latency.
   */
  | { kind: 'event'; marker: string; at: number }
  /** The API server answered the PATCH (the write is stored): `at` splits the server's share of a change's latency from ours. */
  | { kind: 'answered'; namespace: string; name: string; marker: string; at: number }
  | { kind: 'failed'; namespace: string; name: string; marker: string; status: number; message: string }
  | { kind: 'done'; sent: number; failed: number; skipped: number; seconds: number };

export const wallMs = (): number => performance.timeOrigin + performance.now();

/** Starts the driver in a worker; `onMessage` sees every change, resolves with the final counts. */
export function runDriver(opts: DriverOptions, onMessage: (m: DriverMessage) => void): Promise<Extract<DriverMessage, { kind: 'done' }>> {
  const worker = new Worker(new URL(import.meta.url), { workerData: opts });
  return new Promise((resolve, reject) => {
    worker.on('message', (m: DriverMessage) => {
      onMessage(m);
      if (m.kind === 'done') {
        void worker.terminate();
        resolve(m);
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`the pod status driver exited (code ${code}) before it finished`)));
  });
}

async function drive(opts: DriverOptions): Promise<void> {
  const post = (m: DriverMessage): void => parentPort?.postMessage(m);
  const client = await PooledCluster.connect(opts.cluster);
  const watcher = await PooledCluster.connect(opts.cluster);
  post({ kind: 'ports', local: [client.localPort, watcher.localPort].filter((p): p is number => p !== undefined) });
  const listed = (await watcher.get('/api/v1/pods?limit=1')) as { metadata?: { resourceVersion?: string } };
  const marked = /"message":"(bench[^"]*)"/;
  const stopWatch = watcher.lines(`/api/v1/pods?watch=true&resourceVersion=${listed.metadata?.resourceVersion ?? ''}`, (l) => {
    const m = marked.exec(l);
    if (m?.[1]) post({ kind: 'event', marker: m[1], at: wallMs() });
  });
  const ready = new Map<string, boolean>();
  const interval = 1000 / opts.perSecond;
  const t0 = performance.now();
  let sent = 0;
  let failed = 0;
  let skipped = 0;
  let inFlight = 0;
  const pending: Promise<void>[] = [];
  for (let i = 0; performance.now() - t0 < opts.durationMs; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (inFlight >= opts.maxInFlight) {
      skipped++;
      continue;
    }
    const pod = opts.pods[i % opts.pods.length];
    if (!pod) break;
    const key = `${pod.namespace}/${pod.name}`;
    const nowReady = !(ready.get(key) ?? true);
    ready.set(key, nowReady);
    const marker = `bench${i}x${Math.floor(Math.random() * 1e6)}`;
    const body = JSON.stringify({ status: { message: marker, conditions: [{ type: 'Ready', status: nowReady ? 'True' : 'False' }] } });
    const path = `/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${encodeURIComponent(pod.name)}/status`;
    post({ kind: 'sent', namespace: pod.namespace, name: pod.name, marker, at: wallMs() });
    inFlight++;
    sent++;
    pending.push(
      client.request('PATCH', path, body, 'application/strategic-merge-patch+json').then(
        (r) => {
          inFlight--;
          if (r.status < 300) post({ kind: 'answered', namespace: pod.namespace, name: pod.name, marker, at: wallMs() });
          if (r.status >= 300) {
            failed++;
            post({ kind: 'failed', namespace: pod.namespace, name: pod.name, marker, status: r.status, message: r.text.slice(0, 200) });
          }
        },
        (err: Error) => {
          inFlight--;
          failed++;
          post({ kind: 'failed', namespace: pod.namespace, name: pod.name, marker, status: 0, message: err.message });
        },
      ),
    );
  }
  await Promise.all(pending);
  client.close();
  // The last events may still be on their way to the watch.
  await new Promise((r) => setTimeout(r, 3000));
  stopWatch();
  watcher.close();
  post({ kind: 'done', sent, failed, skipped, seconds: (performance.now() - t0) / 1000 });
}

if (parentPort && (workerData as DriverOptions | undefined)?.pods) {
  drive(workerData as DriverOptions).catch((err: unknown) => {
    parentPort?.postMessage({ kind: 'done', sent: 0, failed: 1, skipped: 0, seconds: 0 } satisfies DriverMessage);
    console.error(`pod status driver: ${(err as Error).message}`);
  });
}
