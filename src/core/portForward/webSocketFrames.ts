// WebSocket frames (RFC 6455) as a client speaks them: what it sends is masked, what it reads is not, control
// frames (close, ping, pong) may arrive between the fragments of a message. Enough of the protocol for the API
// server's streaming endpoints, which send binary messages; pure (the mask key and the handshake's hash are given).

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** Larger messages are refused: a forward's chunks are at most a socket read (64 KiB in practice). */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** One frame to send, masked with `maskKey` (4 random bytes; RFC 6455 §5.3 requires a client to mask). */
export function encodeFrame(opcode: number, payload: Uint8Array, maskKey: Uint8Array | undefined, fin = true): Uint8Array {
  const len = payload.length;
  const lenBytes = len < 126 ? 0 : len < 65536 ? 2 : 8;
  const head = 2 + lenBytes + (maskKey ? 4 : 0);
  const out = new Uint8Array(head + len);
  out[0] = (fin ? 0x80 : 0) | (opcode & 0x0f);
  out[1] = (maskKey ? 0x80 : 0) | (len < 126 ? len : len < 65536 ? 126 : 127);
  const view = new DataView(out.buffer);
  if (lenBytes === 2) view.setUint16(2, len);
  if (lenBytes === 8) view.setBigUint64(2, BigInt(len));
  if (maskKey) {
    out.set(maskKey.subarray(0, 4), 2 + lenBytes);
    for (let i = 0; i < len; i++) out[head + i] = payload[i]! ^ maskKey[i % 4]!;
  } else out.set(payload, head);
  return out;
}

export type WebSocketEvent =
  | { readonly kind: 'message'; readonly binary: boolean; readonly data: Uint8Array }
  | { readonly kind: 'ping'; readonly data: Uint8Array }
  | { readonly kind: 'pong'; readonly data: Uint8Array }
  | { readonly kind: 'close'; readonly code: number | undefined; readonly reason: string };

export class WebSocketProtocolError extends Error {}

/** Reads frames from the bytes as they arrive, whatever their chunking; whole messages come out. */
export class FrameDecoder {
  /** bytes received and not yet decoded, kept as they came: joined once a whole frame is there (no copy per chunk) */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private fragments: Uint8Array[] = [];
  private fragmentBinary = false;
  private fragmentBytes = 0;

  push(chunk: Uint8Array): WebSocketEvent[] {
    if (chunk.length > 0) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
    }
    const events: WebSocketEvent[] = [];
    for (;;) {
      const frame = this.nextFrame();
      if (!frame) break;
      const ev = this.handle(frame);
      if (ev) events.push(ev);
    }
    return events;
  }

  /** The first n pending bytes (fewer when fewer are there), joining only the chunks needed. */
  private peek(n: number): Uint8Array {
    const first = this.pending[0];
    if (first && first.length >= n) return first.subarray(0, n);
    const parts: Uint8Array[] = [];
    let have = 0;
    for (const c of this.pending) {
      if (have >= n) break;
      parts.push(c);
      have += c.length;
    }
    return concat(parts).subarray(0, n);
  }

  private take(n: number): Uint8Array {
    const whole = this.pending.length === 1 ? this.pending[0]! : concat(this.pending);
    const rest = whole.subarray(n);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes -= n;
    return whole.subarray(0, n);
  }

  private nextFrame(): { fin: boolean; opcode: number; payload: Uint8Array } | undefined {
    if (this.pendingBytes < 2) return undefined;
    const b = this.peek(Math.min(this.pendingBytes, 14));
    const fin = (b[0]! & 0x80) !== 0;
    if ((b[0]! & 0x70) !== 0) throw new WebSocketProtocolError('a frame with reserved bits set (no extension was agreed)');
    const opcode = b[0]! & 0x0f;
    const masked = (b[1]! & 0x80) !== 0;
    let len = b[1]! & 0x7f;
    let off = 2;
    if (len === 126) {
      if (b.length < 4) return undefined;
      len = (b[2]! << 8) | b[3]!;
      off = 4;
    } else if (len === 127) {
      if (b.length < 10) return undefined;
      const big = new DataView(b.buffer, b.byteOffset + 2, 8).getBigUint64(0);
      if (big > BigInt(MAX_MESSAGE_BYTES)) throw new WebSocketProtocolError(`a frame of ${big} bytes, more than ${MAX_MESSAGE_BYTES}`);
      len = Number(big);
      off = 10;
    }
    if (len > MAX_MESSAGE_BYTES) throw new WebSocketProtocolError(`a frame of ${len} bytes, more than ${MAX_MESSAGE_BYTES}`);
    const maskAt = off;
    if (masked) off += 4;
    if (this.pendingBytes < off + len) return undefined;
    const frame = this.take(off + len);
    const payload = frame.slice(off, off + len);
    if (masked) for (let i = 0; i < len; i++) payload[i] = payload[i]! ^ frame[maskAt + (i % 4)]!;
    return { fin, opcode, payload };
  }

  private handle(f: { fin: boolean; opcode: number; payload: Uint8Array }): WebSocketEvent | undefined {
    switch (f.opcode) {
      case OPCODE.ping:
        return { kind: 'ping', data: f.payload };
      case OPCODE.pong:
        return { kind: 'pong', data: f.payload };
      case OPCODE.close: {
        const code = f.payload.length >= 2 ? (f.payload[0]! << 8) | f.payload[1]! : undefined;
        return { kind: 'close', code, reason: new TextDecoder().decode(f.payload.subarray(2)) };
      }
      case OPCODE.text:
      case OPCODE.binary:
        if (this.fragments.length > 0) throw new WebSocketProtocolError('a new message began before the previous one ended');
        if (f.fin) return { kind: 'message', binary: f.opcode === OPCODE.binary, data: f.payload };
        this.fragmentBinary = f.opcode === OPCODE.binary;
        this.fragments = [f.payload];
        this.fragmentBytes = f.payload.length;
        return undefined;
      case OPCODE.continuation: {
        if (this.fragments.length === 0) throw new WebSocketProtocolError('a continuation frame with no message to continue');
        this.fragments.push(f.payload);
        this.fragmentBytes += f.payload.length;
        if (this.fragmentBytes > MAX_MESSAGE_BYTES) throw new WebSocketProtocolError(`a message of more than ${MAX_MESSAGE_BYTES} bytes`);
        if (!f.fin) return undefined;
        const data = concat(this.fragments);
        this.fragments = [];
        return { kind: 'message', binary: this.fragmentBinary, data };
      }
      default:
        throw new WebSocketProtocolError(`a frame with unknown opcode ${f.opcode}`);
    }
  }
}

/** The parts one after another, in one array. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Checks the server's answer to the upgrade request: 101, Upgrade: websocket, the accept value computed from our key
 * (the caller hashes: core does no crypto), and a subprotocol we offered. Returns why not, or undefined when good.
 */
export function handshakeProblem(status: number, headers: Readonly<Record<string, string | string[] | undefined>>, expectedAccept: string, offered: readonly string[]): string | undefined {
  if (status !== 101) return `the API server answered HTTP ${status} instead of switching to WebSocket`;
  const h = (k: string): string => {
    const v = headers[k];
    return (Array.isArray(v) ? v[0] : v) ?? '';
  };
  if (h('upgrade').toLowerCase() !== 'websocket') return 'the API server switched protocols but not to WebSocket';
  if (h('sec-websocket-accept') !== expectedAccept) return 'the API server answered the WebSocket upgrade with a wrong Sec-WebSocket-Accept';
  const proto = h('sec-websocket-protocol');
  if (offered.length > 0 && !offered.includes(proto)) return `the API server chose subprotocol "${proto}", which was not offered (${offered.join(', ')})`;
  return undefined;
}
