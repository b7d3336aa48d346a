// The forward's wire formats (core/portForward): WebSocket frames as a client sends and reads them, and the
// port-forward channels inside them. Property runs draw from a printed seed; each case is bounded in time (a hang
// detector). The integration test servicePortForward.test.ts checks the same code against a real API server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concat, encodeFrame, FrameDecoder, handshakeProblem, MAX_MESSAGE_BYTES, OPCODE, WebSocketProtocolError } from '../../src/core/portForward/webSocketFrames.ts';
import { ChannelDecoder, encodeData } from '../../src/core/portForward/channelFrames.ts';
import { mulberry32 } from './seededRandom.ts';

const SEED = 20261206;
const RUNS = 300;
const CASE_MS = 2_000;

const bytes = (r: () => number, n: number): Uint8Array => Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
/** lengths around the 7-bit, 16-bit and 64-bit length encodings */
const sizes = [0, 1, 125, 126, 127, 65535, 65536, 70_000];

/** Splits `all` at random points: a socket delivers frames in any chunking. */
function chunked(r: () => number, all: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < all.length) {
    const n = 1 + Math.floor(r() * Math.min(all.length - at, r() < 0.5 ? 8 : 40_000));
    out.push(all.subarray(at, at + n));
    at += n;
  }
  return out;
}

const join = concat;

test('a masked frame follows RFC 6455: FIN, opcode, mask bit, length forms, masked payload', () => {
  const f = encodeFrame(OPCODE.binary, new Uint8Array([1, 2, 3, 4, 5]), new Uint8Array([0xa, 0xb, 0xc, 0xd]));
  assert.deepEqual([...f], [0x82, 0x85, 0xa, 0xb, 0xc, 0xd, 1 ^ 0xa, 2 ^ 0xb, 3 ^ 0xc, 4 ^ 0xd, 5 ^ 0xa]);
  assert.deepEqual([...encodeFrame(OPCODE.binary, new Uint8Array(126), undefined).subarray(0, 4)], [0x82, 126, 0, 126]);
  assert.deepEqual([...encodeFrame(OPCODE.binary, new Uint8Array(65536), undefined).subarray(0, 10)], [0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0]);
});

test(`${RUNS} generated frame sequences (seed ${SEED}): any chunking decodes to the messages sent, fragments joined, control frames in between`, () => {
  const r = mulberry32(SEED);
  for (let run = 0; run < RUNS; run++) {
    const t0 = Date.now();
    const sent: { kind: string; data: string }[] = [];
    const frames: Uint8Array[] = [];
    const count = 1 + Math.floor(r() * 6);
    for (let i = 0; i < count; i++) {
      const size = r() < 0.3 ? sizes[Math.floor(r() * sizes.length)]! : Math.floor(r() * 300);
      const data = bytes(r, size);
      const mask = r() < 0.5 ? bytes(r, 4) : undefined;
      if (r() < 0.3 && size > 2) {
        // a fragmented message with a ping in its middle
        const cut = 1 + Math.floor(r() * (size - 1));
        frames.push(encodeFrame(OPCODE.binary, data.subarray(0, cut), mask, false));
        frames.push(encodeFrame(OPCODE.ping, new Uint8Array([run & 0xff]), mask));
        sent.push({ kind: 'ping', data: Buffer.from([run & 0xff]).toString('hex') });
        frames.push(encodeFrame(OPCODE.continuation, data.subarray(cut), mask, true));
      } else frames.push(encodeFrame(OPCODE.binary, data, mask));
      sent.push({ kind: 'message', data: Buffer.from(data).toString('hex') });
    }
    const decoder = new FrameDecoder();
    const got = chunked(r, join(frames)).flatMap((c) => decoder.push(c));
    assert.deepEqual(
      got.map((e) => ({ kind: e.kind, data: 'data' in e ? Buffer.from(e.data).toString('hex') : '' })),
      sent,
      `run ${run} (seed ${SEED})`,
    );
    assert.ok(Date.now() - t0 < CASE_MS, `run ${run} took ${Date.now() - t0} ms (hang detector)`);
  }
});

test('close frames carry their code and reason; protocol violations are refused with a reason', () => {
  const d = new FrameDecoder();
  const close = encodeFrame(OPCODE.close, new Uint8Array([0x03, 0xf3, ...new TextEncoder().encode('bye')]), undefined);
  assert.deepEqual(d.push(close), [{ kind: 'close', code: 1011, reason: 'bye' }]);
  assert.throws(() => new FrameDecoder().push(encodeFrame(OPCODE.continuation, new Uint8Array(1), undefined)), WebSocketProtocolError);
  assert.throws(() => new FrameDecoder().push(new Uint8Array([0xc2, 0])), /reserved bits/);
  assert.throws(() => new FrameDecoder().push(new Uint8Array([0x83, 0])), /unknown opcode 3/);
  const huge = new Uint8Array([0x82, 127, 0, 0, 0, 0, 0x7f, 0, 0, 0]);
  assert.throws(() => new FrameDecoder().push(huge), new RegExp(`more than ${MAX_MESSAGE_BYTES}`));
  const twoStarts = join([encodeFrame(OPCODE.binary, new Uint8Array(1), undefined, false), encodeFrame(OPCODE.binary, new Uint8Array(1), undefined)]);
  assert.throws(() => new FrameDecoder().push(twoStarts), /before the previous one ended/);
});

test('the upgrade answer is checked: status, Upgrade header, accept value, subprotocol', () => {
  const good = { upgrade: 'websocket', 'sec-websocket-accept': 'abc=', 'sec-websocket-protocol': 'v4.channel.k8s.io' };
  assert.equal(handshakeProblem(101, good, 'abc=', ['v4.channel.k8s.io']), undefined);
  assert.match(handshakeProblem(403, good, 'abc=', ['v4.channel.k8s.io'])!, /HTTP 403/);
  assert.match(handshakeProblem(101, { ...good, upgrade: 'h2c' }, 'abc=', ['v4.channel.k8s.io'])!, /not to WebSocket/);
  assert.match(handshakeProblem(101, good, 'other=', ['v4.channel.k8s.io'])!, /Sec-WebSocket-Accept/);
  assert.match(handshakeProblem(101, { ...good, 'sec-websocket-protocol': 'base64.channel.k8s.io' }, 'abc=', ['v4.channel.k8s.io'])!, /not offered/);
});

test('port-forward channels: the port header is taken off each channel, data passes, error text accumulates', () => {
  const d = new ChannelDecoder();
  assert.deepEqual(d.decode(new Uint8Array([0, 0x58, 0x1b])), [{ kind: 'port', channel: 0, port: 7000 }]);
  assert.deepEqual(d.decode(new Uint8Array([1, 0x58])), []);
  assert.deepEqual(d.decode(new Uint8Array([1, 0x1b])), [{ kind: 'port', channel: 1, port: 7000 }]);
  const [ev] = d.decode(new Uint8Array([0, 104, 105]));
  assert.deepEqual(ev && ev.kind === 'data' ? [...ev.bytes] : ev, [104, 105]);
  d.decode(new Uint8Array([1, ...new TextEncoder().encode('failed to dial ')]));
  assert.deepEqual(d.decode(new Uint8Array([1, ...new TextEncoder().encode('127.0.0.1:1')])), [{ kind: 'error', text: 'failed to dial 127.0.0.1:1' }]);
  assert.equal(d.error, 'failed to dial 127.0.0.1:1');
  assert.throws(() => d.decode(new Uint8Array([2, 0])), /channel 2/);
  assert.deepEqual([...encodeData(new Uint8Array([9, 8]))], [0, 9, 8]);
});

test(`${RUNS} generated data streams (seed ${SEED}): port header and payload split anyhow, the payload comes out whole`, () => {
  const r = mulberry32(SEED + 1);
  for (let run = 0; run < RUNS; run++) {
    const port = 1 + Math.floor(r() * 65535);
    const payload = bytes(r, Math.floor(r() * 5000));
    const stream = join([new Uint8Array([port & 0xff, port >> 8]), payload]);
    const d = new ChannelDecoder();
    const events = chunked(r, stream).flatMap((c) => d.decode(join([new Uint8Array([0]), c])));
    assert.deepEqual(events.filter((e) => e.kind === 'port'), [{ kind: 'port', channel: 0, port }], `run ${run}`);
    assert.deepEqual([...join(events.flatMap((e) => (e.kind === 'data' ? [e.bytes] : [])))], [...payload], `run ${run}`);
  }
});
