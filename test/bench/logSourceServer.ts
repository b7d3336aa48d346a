// The capacity benchmark's log source, run in its own process so it does not share the pipeline's event loop: an
// HTTP/1.1 server on 127.0.0.1 that answers any GET with `count` log lines in the API server's format
// ("<RFC3339Nano> <text>\n" when asked for timestamps, "<text>\n" otherwise; chunked transfer encoding), as fast as
// the socket takes them (it waits for 'drain').
// A `tailLines` query is answered with the last lines of the same sequence, as the API server does.
// Usage: node logSourceServer.ts <count>; prints the port on stdout, exits when stdin closes.
import { createServer } from 'node:http';

const count = Number(process.argv[2] ?? 5_000_000);
const PER_BLOCK = 4096;
// 60 blocks, one per second of a minute, each line its own nanosecond: precomputed so the source costs only writes.
const blocks = Array.from({ length: 60 }, (_, s) => {
  const sec = String(s).padStart(2, '0');
  let text = '';
  for (let i = 0; i < PER_BLOCK; i++) {
    text += `2026-11-29T23:00:${sec}.${String(i * 1000 + 1).padStart(9, '0')}Z INFO  step=${i} loss=0.${String(i).padStart(4, '0')} lr=2.0e-05 gpu_mem=11.2GiB worker=training-worker-0\n`;
  }
  return Buffer.from(text);
});
// The same lines without timestamps, for a request that asks none (as the API server answers it).
const plainBlocks = blocks.map((b) => Buffer.from(b.toString().replace(/^\S+ /gm, '')));

const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
  // tailLines as the API server takes it: the last lines of the same sequence (a one-shot read checks its end so).
  const query = new URL(req.url ?? '/', 'http://source.invalid').searchParams;
  const tail = Number(query.get('tailLines') ?? NaN);
  const source = query.get('timestamps') === 'true' ? blocks : plainBlocks;
  const from = Number.isInteger(tail) && tail >= 0 ? Math.max(0, count - tail) : 0;
  let sent = Math.floor(from / PER_BLOCK) * PER_BLOCK;
  let b = sent / PER_BLOCK;
  if (from > sent) {
    const n = Math.min(PER_BLOCK, count - sent);
    const block = source[b++ % 60]!;
    res.write(block.subarray(lineOffset(block, from - sent), lineOffset(block, n)));
    sent += n;
  }
  const pump = () => {
    while (sent < count) {
      const n = Math.min(PER_BLOCK, count - sent);
      const block = n === PER_BLOCK ? source[b++ % 60]! : source[b++ % 60]!.subarray(0, lineOffset(source[(b - 1) % 60]!, n));
      sent += n;
      if (!res.write(block)) return void res.once('drain', pump);
    }
    res.end();
  };
  req.on('close', () => res.destroy());
  pump();
});

function lineOffset(buf: Buffer, lines: number): number {
  let off = 0;
  for (let i = 0; i < lines; i++) off = buf.indexOf(10, off) + 1;
  return off;
}

server.listen(0, '127.0.0.1', () => {
  const a = server.address();
  process.stdout.write(`${typeof a === 'object' && a ? a.port : 0}\n`);
});
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
