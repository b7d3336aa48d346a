// A real Prometheus (Debian's `prometheus` package, or PROMETHEUS_BIN) for the live test bed: listens on 127.0.0.1
// only, keeps its data in a private temp folder, and scrapes every virtual kubelet the test bed's supervisor lists in
// .testbed/prometheus-targets (static targets read at start: file_sd's file watcher needs an inotify instance, which
// a busy shared machine may have none left of). query() asks its HTTP API directly, as a reference for the product.
import { execa, type ResultPromise } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../testbed/ports.ts';
import { converges } from './converges.ts';

export interface PrometheusServer {
  readonly url: string;
  readonly port: number;
  /** the raw `value` string of the first sample Prometheus answers for `promql` (undefined: an empty vector) */
  query(promql: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

export async function startPrometheus(targetsDir: string, scrapeSeconds = 1): Promise<PrometheusServer> {
  const bin = process.env.PROMETHEUS_BIN ?? 'prometheus';
  const targets = fs.existsSync(targetsDir) ? fs.readdirSync(targetsDir).filter((f) => f.endsWith('.json')) : [];
  if (targets.length === 0) throw new Error(`no scrape target in ${targetsDir}: the live test bed lists its virtual kubelets there (is it up and peered?)`);
  const staticConfigs = targets.flatMap((f) => JSON.parse(fs.readFileSync(path.join(targetsDir, f), 'utf8')) as unknown[]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liqo-prometheus-'));
  const config = path.join(dir, 'prometheus.yml');
  // JSON is YAML: no YAML writer needed
  fs.writeFileSync(config, JSON.stringify({ global: { scrape_interval: `${scrapeSeconds}s`, evaluation_interval: `${scrapeSeconds}s` }, scrape_configs: [{ job_name: 'liqo', static_configs: staticConfigs }] }));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const proc: ResultPromise = execa(bin, [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, '--log.level=warn'], {
    reject: false,
    all: true,
    buffer: true,
  });
  const query = async (promql: string): Promise<string | undefined> => {
    const res = await fetch(`${url}api/v1/query?${new URLSearchParams({ query: promql })}`);
    const doc = (await res.json()) as { status: string; data: { result: { value: [number, string] }[] } };
    if (doc.status !== 'success') throw new Error(`Prometheus: ${JSON.stringify(doc)}`);
    return doc.data.result[0]?.value[1];
  };
  const stop = async () => {
    proc.kill('SIGTERM');
    await proc;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await converges('Prometheus ready', async () => (await fetch(`${url}-/ready`).catch(() => undefined))?.ok === true, 60_000);
    // every listed target scraped at least once and up
    await converges(`Prometheus scraped its ${staticConfigs.length} targets`, async () => (await query('count(up == 1)')) === String(staticConfigs.length), 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, query, stop };
}
