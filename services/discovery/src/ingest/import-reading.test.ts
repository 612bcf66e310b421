import { Readable } from 'node:stream';
import { generatedUnits, LineCounter, MAX_LINE_LENGTH, ndjsonUnits, TASK_SIZE, Unit } from './import-reading';

async function collect(units: AsyncIterable<Unit>): Promise<Unit[]> {
  const out: Unit[] = [];
  for await (const u of units) out.push(u);
  return out;
}

describe('reading an import', () => {
  it('cuts NDJSON into tasks of TASK_SIZE lines in input order, skipping blank lines, a BOM and CRs', async () => {
    const lines = Array.from({ length: TASK_SIZE + 3 }, (_, i) => `{"n":${i}}`);
    const text = '\ufeff' + lines.slice(0, 2).join('\r\n') + '\n\n   \n' + lines.slice(2).join('\n');
    // Chunks that cut lines in the middle, and a multi-byte character split across chunks.
    const bytes = Buffer.from(text + '\n{"é":1}');
    const chunks = [bytes.subarray(0, 7), bytes.subarray(7, bytes.length - 3), bytes.subarray(bytes.length - 3)];
    const counter: LineCounter = { lines: 0 };
    const units = await collect(ndjsonUnits(Readable.from(chunks), counter));
    const tasks = units.map((u) => ('task' in u && u.task.kind === 'ndjson' ? u.task : null));
    expect(tasks.every((t) => t !== null)).toBe(true);
    const texts = tasks.flatMap((t) => t!.texts);
    expect(texts).toEqual([...lines, '{"é":1}']);
    expect(tasks[0]!.texts).toHaveLength(TASK_SIZE);
    // Line numbers count the blank lines too.
    expect(tasks.flatMap((t) => t!.lines).slice(0, 4)).toEqual([1, 2, 5, 6]);
    expect(counter.lines).toBe(TASK_SIZE + 3 + 2 + 1); // the lines, the two blank ones and the last
  });

  it('reports a line longer than MAX_LINE_LENGTH and goes on with the next', async () => {
    const long = 'x'.repeat(MAX_LINE_LENGTH + 10);
    const units = await collect(
      ndjsonUnits(Readable.from(['{"a":1}\n', long.slice(0, MAX_LINE_LENGTH / 2), long.slice(MAX_LINE_LENGTH / 2), '\n{"b":2}\n']), {
        lines: 0,
      }),
    );
    const errors = units.flatMap((u) => ('errors' in u ? u.errors : []));
    const texts = units.flatMap((u) => ('task' in u && u.task.kind === 'ndjson' ? u.task.texts : []));
    expect(errors).toEqual([{ line: 2, field: '(record)', reason: expect.stringContaining('line is longer than') }]);
    expect(texts).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('generates synthetic creators in tasks of TASK_SIZE, creator i being line i + 1', async () => {
    const counter: LineCounter = { lines: 0 };
    const units = await collect(generatedUnits({ count: TASK_SIZE * 2 + 1, seed: 's', lite: true, now: 0 }, counter));
    expect(units.map((u) => ('task' in u && u.task.kind === 'generate' ? [u.task.offset, u.task.count] : null))).toEqual([
      [0, TASK_SIZE],
      [TASK_SIZE, TASK_SIZE],
      [TASK_SIZE * 2, 1],
    ]);
    expect(counter.lines).toBe(TASK_SIZE * 2 + 1);
  });
});
