// One forward from a loopback port to a Service, through the API server (pods/portforward, as `kubectl
// port-forward service/…` goes): each local connection gets its own stream to the pod the service's selector
// picks (core/portForward/serviceTarget.ts). The pod is remembered until a stream to it fails; then the service is
// resolved again, so a deleted pod's successor is found, and an API server that went away is tried again with
// backoff (core/portForward/reconnectPolicy.ts) while the connection waits, up to a deadline. A stream that breaks
// in the middle ends its local connection (a TCP byte stream cannot be resumed elsewhere); the next one reconnects.
// Both directions keep backpressure: a slow side pauses the reading of the other.
import * as net from 'node:net';
import { ChannelDecoder, encodeData, PORT_FORWARD_PROTOCOL } from '../../core/portForward/channelFrames.ts';
import { DEFAULT_RECONNECT, ReconnectPolicy, type ReconnectOptions } from '../../core/portForward/reconnectPolicy.ts';
import { chooseTarget, selectorQuery, type ForwardTarget, type PodLike, type ServiceLike, type ServicePortSpec } from '../../core/portForward/serviceTarget.ts';
import { KubeApiError, type ClusterClient, type ClusterWebSocket } from './clusterClient.ts';

export interface ServiceForwardOptions {
  /** the cluster's client at the time of each request: a session that reconnects gets a new one */
  readonly client: () => ClusterClient;
  readonly namespace: string;
  readonly service: string;
  /** the service port (its number) the forward reaches */
  readonly port: number;
  /** 0 (default): a free port the OS picks */
  readonly localPort?: number;
  readonly reconnect?: ReconnectOptions;
  /** how long a new local connection waits for a pod to be reachable before it is closed */
  readonly connectDeadlineMs?: number;
  readonly onStateChange?: (state: ForwardState) => void;
}

export type ForwardState = { readonly kind: 'starting' } | { readonly kind: 'ready'; readonly pod: string } | { readonly kind: 'reconnecting'; readonly reason: string } | { readonly kind: 'stopped' };

const DEFAULT_DEADLINE_MS = 60_000;

export class ServicePortForward {
  private readonly opts: ServiceForwardOptions;
  private readonly server = net.createServer((s) => void this.accept(s));
  private readonly stopping = new AbortController();
  private readonly policy: ReconnectPolicy;
  private target: ForwardTarget | undefined;
  /** one resolve at a time: connections arriving together share it */
  private resolving: Promise<ForwardTarget> | undefined;
  private readonly failedPods = new Set<string>();
  private readonly live = new Set<net.Socket>();
  private current: ForwardState = { kind: 'starting' };
  /** local connections carried so far (measurements, tests) */
  connections = 0;

  constructor(opts: ServiceForwardOptions) {
    this.opts = opts;
    this.policy = new ReconnectPolicy(opts.reconnect ?? DEFAULT_RECONNECT);
  }

  get state(): ForwardState {
    return this.current;
  }

  get description(): string {
    return `${this.opts.namespace}/${this.opts.service}:${this.opts.port}`;
  }

  /** Resolves the service once (so a wrong name fails here, not in the browser), then listens on 127.0.0.1. */
  async start(): Promise<number> {
    this.target = await this.resolve();
    this.setState({ kind: 'ready', pod: this.target.pod });
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.localPort ?? 0, '127.0.0.1', () => resolve());
    });
    return this.localPort;
  }

  get localPort(): number {
    const a = this.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  stop(): void {
    if (this.stopping.signal.aborted) return;
    this.stopping.abort(new KubeApiError('the forward was stopped', undefined, 'ABORT_ERR'));
    this.server.close();
    for (const s of this.live) s.destroy();
    this.setState({ kind: 'stopped' });
  }

  private setState(s: ForwardState): void {
    if (this.current.kind === 'stopped') return;
    const same = s.kind === this.current.kind && JSON.stringify(s) === JSON.stringify(this.current);
    this.current = s;
    if (!same) this.opts.onStateChange?.(s);
  }

  private async resolve(): Promise<ForwardTarget> {
    const { namespace, service, port } = this.opts;
    const client = this.opts.client();
    const signal = this.stopping.signal;
    const svc = await client.get<ServiceLike>(`/api/v1/namespaces/${enc(namespace)}/services/${enc(service)}`, undefined, signal);
    const servicePort: ServicePortSpec | undefined = svc.spec?.ports?.find((p) => p.port === port);
    if (!servicePort) throw new KubeApiError(`service ${namespace}/${service} has no port ${port} (it has ${(svc.spec?.ports ?? []).map((p) => p.port).join(', ') || 'none'})`, 404);
    const selector = selectorQuery(svc);
    const pods = selector ? (await client.list(`/api/v1/namespaces/${enc(namespace)}/pods`, { labelSelector: selector }, signal)).items : [];
    const choice = chooseTarget(svc, servicePort, pods as PodLike[], this.failedPods);
    if (!choice.ok) throw new KubeApiError(choice.reason, 404);
    return choice.target;
  }

  private targetNow(): Promise<ForwardTarget> {
    if (this.target) return Promise.resolve(this.target);
    this.resolving ??= this.resolve().finally(() => (this.resolving = undefined));
    return this.resolving;
  }

  private async accept(local: net.Socket): Promise<void> {
    this.connections++;
    this.live.add(local);
    local.pause();
    local.on('error', () => local.destroy());
    local.on('close', () => this.live.delete(local));
    const deadline = Date.now() + (this.opts.connectDeadlineMs ?? DEFAULT_DEADLINE_MS);
    for (;;) {
      if (this.stopping.signal.aborted || local.destroyed) return void local.destroy();
      let pod: string | undefined;
      try {
        const target = await this.targetNow();
        pod = target.pod;
        await this.carry(local, target);
        this.policy.reset();
        this.failedPods.clear();
        this.target ??= target;
        this.setState({ kind: 'ready', pod: target.pod });
        return;
      } catch (err) {
        if (this.stopping.signal.aborted) return void local.destroy();
        // the remembered pod failed: choose again, preferring others
        if (pod && this.target?.pod === pod) this.target = undefined;
        if (pod) this.failedPods.add(pod);
        this.setState({ kind: 'reconnecting', reason: (err as Error).message });
        const wait = this.policy.nextDelayMs(Math.random());
        if (Date.now() + wait > deadline) return void local.destroy();
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /**
   * Opens the stream to the pod and pipes the local connection through it. Resolves once the kubelet has answered
   * (the stream carries bytes, so a later break just ends this connection); rejects while nothing was carried yet.
   */
  private carry(local: net.Socket, target: ForwardTarget): Promise<void> {
    const { namespace } = this.opts;
    const client = this.opts.client();
    const decoder = new ChannelDecoder();
    const linkAbort = new AbortController();
    const signal = AbortSignal.any([this.stopping.signal, linkAbort.signal]);
    return new Promise<void>((resolve, reject) => {
      let answered = false;
      let ws: ClusterWebSocket | undefined;
      let piping = false;
      const fail = (err: Error): void => {
        linkAbort.abort();
        if (piping) local.destroy();
        else reject(err);
      };
      // bytes flow once the kubelet has answered (its port header) and the socket is ours, whichever comes first
      const begin = (): void => {
        if (piping || !answered || !ws) return;
        piping = true;
        const socket = ws;
        local.on('data', (d: Buffer) => {
          if (!socket.send(encodeData(d))) {
            local.pause();
            socket.onDrain(() => local.resume());
          }
        });
        local.on('end', () => socket.close());
        local.on('close', () => socket.close());
        local.resume();
        resolve();
      };
      client
        .webSocket(
          `/api/v1/namespaces/${enc(namespace)}/pods/${enc(target.pod)}/portforward`,
          { ports: target.port },
          [PORT_FORWARD_PROTOCOL],
          {
            onMessage: (m) => {
              let events;
              try {
                events = decoder.decode(m);
              } catch (e) {
                fail(e as Error);
                return;
              }
              for (const ev of events) {
                if (ev.kind === 'port' && ev.channel === 0) {
                  answered = true;
                  begin();
                } else if (ev.kind === 'data' && !local.write(ev.bytes) && ws) {
                  // a slow local reader (a big download): stop reading from the API server until it catches up
                  const socket = ws;
                  socket.pause();
                  local.once('drain', () => socket.resume());
                }
              }
            },
            onClose: (err) => {
              if (decoder.error) fail(new KubeApiError(`pod ${target.pod}: ${decoder.error}`, undefined, 'EFORWARD'));
              else if (!piping) fail(err ?? new KubeApiError('the stream closed before the pod answered', undefined, 'ECONNRESET'));
              else local.end();
            },
          },
          signal,
        )
        .then((socket) => {
          ws = socket;
          if (linkAbort.signal.aborted) socket.close();
          else begin();
        }, fail);
    });
  }
}

const enc = encodeURIComponent;
