// npm run test:integration [-- <file filter>...]
//
// Runs the integration files one at a time, grouped by the test bed they ask for, so that each seed scenario is
// brought up once rather than at every switch of the alphabetical order (32 bring-ups of ~20 s became ~21). Each live
// file still gets a fresh live bed (LIQO_TESTBED_LIVE_PER_PROCESS, as when its neighbours were other scenarios): live
// files change Liqo's state and do not all undo it. A file's test bed is the first of: a `// test bed: <scenario>`
// line, `ensureTestbed('<scenario>')`, a suite called with a scenario name (`knownGoodRestoreSuite('live+peered', …)`),
// `SCENARIO = '<scenario>'`. Files that name none (pure Node I/O, or a private test bed of their own) run first. The
// order within a group stays alphabetical.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

const SCENARIO = String.raw`(?:seed-00[02]|broken|live)(?:[@+][\w.@+-]*)?`;
const DECLARATIONS = [
  new RegExp(String.raw`^// test bed: (${SCENARIO})(?:\s|$)`, 'm'),
  new RegExp(String.raw`ensureTestbed\('(${SCENARIO})'\)`),
  new RegExp(String.raw`\w+Suite\('(${SCENARIO})'`),
  new RegExp(String.raw`\bSCENARIO = '(${SCENARIO})'`),
];

/** The scenario a file's text asks the shared test bed for, or '' when it names none. */
export function testbedOf(text: string): string {
  let first: { at: number; name: string } | undefined;
  for (const re of DECLARATIONS) {
    const m = re.exec(text);
    if (m?.[1] && (!first || m.index < first.at)) first = { at: m.index, name: m[1] };
  }
  return first?.name ?? '';
}

/** The files in run order: grouped by test bed (none first, then by scenario name), alphabetical within a group. */
export function runOrder(files: readonly { path: string; text: string }[]): string[] {
  return files
    .map((f) => ({ path: f.path, bed: testbedOf(f.text) }))
    .sort((a, b) => (a.bed === b.bed ? a.path.localeCompare(b.path) : a.bed.localeCompare(b.bed)))
    .map((f) => f.path);
}

if (import.meta.main) {
  const root = join(import.meta.dirname, '..', '..');
  const dir = join(import.meta.dirname);
  const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts') && (filters.length === 0 || filters.some((x) => f.includes(x))))
    .map((f) => ({ path: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
  const order = runOrder(files);
  process.stderr.write(`[integration] ${order.length} file(s) in test-bed order: ${order.map((f) => relative(root, f)).join(', ')}\n`);
  // Live files change Liqo's state (unpeer, restore, force-unpeer) and do not all undo it: each gets a fresh live bed.
  process.env.LIQO_TESTBED_LIVE_PER_PROCESS = '1';
  // run(), not `node --test <files>`: the command line sorts its files by name, run() keeps this order.
  const stream = run({ files: order, concurrency: 1, isolation: 'process', forceExit: true, cwd: root });
  stream.on('test:fail', () => {
    process.exitCode = 1;
  });
  stream.compose(spec).pipe(process.stdout);
}
