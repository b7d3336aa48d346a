// The test bed's "containers": appends a line to each live pod log file every interval, in CRI format, so that
// `kubectl logs -f` (served by kwok from these files) streams for real. Started detached by index.ts with the
// state directory on its command line (that is how `down` recognises it); exits when that directory goes away.
// Usage: node log-writer.ts <state dir> <live-logs.json> [interval ms]
import fs from 'node:fs';

const [stateDirArg, listFile, intervalArg] = process.argv.slice(2);
if (!stateDirArg || !listFile) {
  console.error('usage: log-writer.ts <state dir> <live-logs.json> [interval ms]');
  process.exit(2);
}
const interval = Number(intervalArg ?? 1000);
const logs = JSON.parse(fs.readFileSync(listFile, 'utf8')) as { file: string; live: string[] }[];
let tick = 0;

setInterval(() => {
  if (!fs.existsSync(stateDirArg)) process.exit(0);
  const ts = new Date().toISOString();
  for (const log of logs) {
    if (log.live.length === 0) continue;
    const msg = log.live[tick % log.live.length] ?? '';
    try {
      fs.appendFileSync(log.file, `${ts} stdout F ${msg}\n`);
    } catch {
      process.exit(0);
    }
  }
  tick++;
}, interval);
