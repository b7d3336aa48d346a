// The port-forward stream protocol over a WebSocket (subprotocol v4.channel.k8s.io, what the kubelet serves and the
// API server passes through on pods/portforward): every message starts with its channel byte. For a forward of one
// port, channel 0 carries the data both ways and channel 1 the kubelet's error text; the kubelet first sends the
// port number (2 bytes, little-endian) on each channel, which is not payload. Pure: bytes in, events out.

export const PORT_FORWARD_PROTOCOL = 'v4.channel.k8s.io';
export const DATA_CHANNEL = 0;
export const ERROR_CHANNEL = 1;

export type ChannelEvent = { readonly kind: 'data'; readonly bytes: Uint8Array } | { readonly kind: 'error'; readonly text: string } | { readonly kind: 'port'; readonly channel: number; readonly port: number };

/** One message to send: the payload on the data channel. */
export function encodeData(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length + 1);
  out[0] = DATA_CHANNEL;
  out.set(payload, 1);
  return out;
}

/**
 * Decodes the messages of one forwarded port in arrival order. The 2-byte port prefix of each channel is taken off
 * even when it arrives split across messages; an unknown channel is a protocol error (the caller drops the stream).
 */
export class ChannelDecoder {
  /** prefix bytes still expected per channel (data, error) */
  private readonly prefix = [2, 2];
  private readonly portBytes: number[][] = [[], []];
  private errorText = '';

  decode(message: Uint8Array): ChannelEvent[] {
    if (message.length === 0) return [];
    const channel = message[0]!;
    if (channel !== DATA_CHANNEL && channel !== ERROR_CHANNEL) throw new Error(`port-forward: a message on channel ${channel}, which a one-port forward does not have`);
    let body = message.subarray(1);
    const events: ChannelEvent[] = [];
    const need = this.prefix[channel]!;
    if (need > 0) {
      const take = Math.min(need, body.length);
      this.portBytes[channel]!.push(...body.subarray(0, take));
      this.prefix[channel] = need - take;
      body = body.subarray(take);
      if (this.prefix[channel] === 0) {
        const [lo, hi] = this.portBytes[channel] as [number, number];
        events.push({ kind: 'port', channel, port: lo | (hi << 8) });
      }
    }
    if (body.length === 0) return events;
    if (channel === DATA_CHANNEL) events.push({ kind: 'data', bytes: body });
    else {
      this.errorText += new TextDecoder().decode(body);
      events.push({ kind: 'error', text: this.errorText });
    }
    return events;
  }

  /** The kubelet's error text so far ('' when none): why a forward ended. */
  get error(): string {
    return this.errorText;
  }
}
