// Extension-host test entry, in the shape @vscode/test-electron expects: `run()` is called inside the extension host
// (desktop VS Code via `npm run test:host`, or the web workbench through the payload route in `npm run e2e`).
// esbuild (`node esbuild.js --host-tests`) bundles this file to out/host/index.cjs and every test/host/**/*.test.ts
// beside it as out/host/**/*.test.cjs; run() loads all of those into one mocha run (TDD interface: suite/test).
//
// Results: mocha's spec reporter prints to the extension host's console; when LIQO_HOST_TEST_REPORT names a file
// (set in the extension host's environment), every result is also written there for the harness to print.
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

function findTests(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(full));
    else if (entry.name.endsWith('.test.cjs')) found.push(full);
  }
  return found.sort();
}

interface RunnableLike {
  fullTitle(): string;
  duration?: number;
}

export async function run(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const report = process.env.LIQO_HOST_TEST_REPORT;
  const write = (line: string) => {
    if (report) appendFileSync(report, `${line}\n`);
  };
  if (report) writeFileSync(report, '');

  const { default: Mocha } = await import('mocha');
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: Number(process.env.LIQO_HOST_TEST_TIMEOUT ?? 20_000),
    reporter: 'spec',
    ...(process.env.LIQO_HOST_TEST_GREP ? { grep: process.env.LIQO_HOST_TEST_GREP } : {}),
  });
  const files = findTests(here);
  if (files.length === 0) throw new Error(`no extension-host tests (*.test.cjs) found under ${here}`);
  write(`extension-host tests: ${files.map((f) => relative(here, f)).join(', ')}`);
  for (const file of files) mocha.addFile(file);
  await mocha.loadFilesAsync();

  let passed = 0;
  let failed = 0;
  let pending = 0;
  const failures = await new Promise<number>((resolveRun) => {
    const runner = mocha.run(resolveRun);
    runner.on('pass', (t: RunnableLike) => {
      passed++;
      write(`  ✔ ${t.fullTitle()} (${t.duration ?? 0} ms)`);
    });
    runner.on('fail', (t: RunnableLike, err: Error) => {
      failed++;
      write(`  ✖ ${t.fullTitle()}\n${String(err?.stack ?? err).replace(/^/gm, '      ')}`);
    });
    runner.on('pending', (t: RunnableLike) => {
      pending++;
      write(`  - ${t.fullTitle()} (pending)`);
    });
  });
  write(`extension-host: ${passed} passed, ${failed} failed, ${pending} pending`);
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
