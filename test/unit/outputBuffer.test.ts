import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter, OutputBuffer } from '../../src/infra/process/outputBuffer.ts';

test('stdout keeps its head and stderr its tail, each marking what was dropped', () => {
  const head = new OutputBuffer(5, 'head');
  for (const c of ['abc', 'def', 'ghi']) head.push(Buffer.from(c));
  assert.equal(head.text(), 'abcde');
  assert.equal(head.truncated, true);
  const tail = new OutputBuffer(5, 'tail');
  for (const c of ['abc', 'def', 'ghi']) tail.push(Buffer.from(c));
  assert.equal(tail.text(), 'efghi');
  assert.equal(tail.truncated, true);
  const fits = new OutputBuffer(10, 'tail');
  fits.push(Buffer.from('short'));
  assert.equal(fits.truncated, false);
});

test('lines are split across chunks, CRLF included, multi-byte characters kept whole, the last partial line flushed', () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  const euro = Buffer.from('€');
  s.push(Buffer.from('one\r\ntw'));
  s.push(Buffer.concat([Buffer.from('o '), euro.subarray(0, 1)]));
  s.push(Buffer.concat([euro.subarray(1), Buffer.from('\nthree')]));
  assert.deepEqual(lines, ['one', 'two €']);
  s.flush();
  assert.deepEqual(lines, ['one', 'two €', 'three']);
});

test('an endless line is passed on in pieces instead of held', () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l), 8);
  s.push(Buffer.from('0123456789'));
  assert.deepEqual(lines, ['0123456789']);
});
