// Property test of the log pipeline (splitter → resume → view text → terminal text) on 10,000 generated cases
// (logPipelineCases.ts): hostile bytes, lines of 0 bytes to 4 MiB, every kind of chunk boundary, drops and resumes
// at random points. Each case runs under a time bound in a worker (a hang fails the test, it does not hang the
// runner). Seeded: the seed is printed, and LOG_PIPELINE_SEED=<seed> runs the same cases again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBounded } from './support/boundedWorker.ts';

const CASES = 10_000;
/** A hang detector, not a performance claim: one case of a 4 MiB line takes well under a second here. */
const PER_CASE_MS = 30_000;

test(`the log pipeline on ${CASES} generated cases: every case returns, lines out equal lines in, nothing doubled, nothing leaks past a line`, async () => {
  const seed = Number(process.env.LOG_PIPELINE_SEED ?? Math.floor(Math.random() * 2 ** 31));
  console.log(`# log pipeline property: seed ${seed} (LOG_PIPELINE_SEED=${seed} to run these cases again)`);
  try {
    const run = await runBounded(new URL('./logPipelineCases.ts', import.meta.url), 'runCases', [seed, 0, CASES], PER_CASE_MS);
    const { cases, bytes } = run.result as { cases: number; bytes: number };
    assert.equal(cases, CASES);
    console.log(`# ${cases} cases, ${(bytes / 2 ** 20).toFixed(1)} MiB of log lines`);
  } catch (err) {
    throw new Error(`seed ${seed}: ${(err as Error).message}`);
  }
});
