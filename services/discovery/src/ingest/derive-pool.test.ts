import { Deriver, inOrder, inThread } from './derive-pool';
import type { DeriveResult } from './import-rows';
import type { DeriveTask } from './import-task';
import type { Unit } from './import-reading';

async function* unitsOf(items: Unit[]): AsyncGenerator<Unit> {
  for (const item of items) yield item;
}

describe('deriving an import', () => {
  it('derives in this thread: a record the rules refuse is reported, not thrown', async () => {
    const deriver = inThread();
    const results = await deriver.run({ kind: 'ndjson', lines: [3, 4], texts: ['{"handle": "x"', '{"handle": "ok.one"}'] });
    expect(results.map((r) => [r.ok, r.line])).toEqual([
      [false, 3],
      [false, 4],
    ]);
    expect(results[0]).toMatchObject({ problems: [{ field: '(record)', reason: expect.stringContaining('not valid JSON') }] });
    expect(results[1]).toMatchObject({ problems: expect.arrayContaining([{ field: 'displayName', reason: expect.any(String) }]) });
    await deriver.close();
  });

  it('gives the units back in input order, however long each takes', async () => {
    const delays = [30, 1, 15, 0, 5];
    const slow: Deriver = {
      run: (task: DeriveTask) =>
        new Promise<DeriveResult[]>((resolve) =>
          setTimeout(
            () => resolve([{ ok: false, line: task.kind === 'ndjson' ? task.lines[0] : 0, problems: [] }]),
            delays[(task as { lines: number[] }).lines[0]],
          ),
        ),
      close: async () => undefined,
    };
    const units: Unit[] = delays.map((_, i) => ({ task: { kind: 'ndjson', lines: [i], texts: [''] } }));
    units.splice(2, 0, { errors: [{ line: 99, field: '(record)', reason: 'read error' }] });
    const seen: string[] = [];
    for await (const { unit, results } of inOrder(unitsOf(units), slow, 3)) {
      seen.push('errors' in unit ? 'errors' : `task ${results[0].line}`);
    }
    expect(seen).toEqual(['task 0', 'task 1', 'errors', 'task 2', 'task 3', 'task 4']);
  });
});
