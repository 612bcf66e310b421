import type { DataSource } from 'typeorm';

/**
 * The SQL a data source runs while `work` runs, in order (every query of a TypeORM data source goes through
 * a query runner): for tests that show a list is batched or that nothing is read for a caller refused.
 */
export async function statementsDuring<T>(ds: DataSource, work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const original = ds.createQueryRunner;
  const statements: string[] = [];
  ds.createQueryRunner = ((mode) => {
    const runner = original.call(ds, mode);
    const query = runner.query.bind(runner);
    runner.query = ((sql: string, ...rest: never[]) => {
      statements.push(sql);
      return query(sql, ...rest);
    }) as typeof runner.query;
    return runner;
  }) as typeof ds.createQueryRunner;
  try {
    return { result: await work(), statements };
  } finally {
    ds.createQueryRunner = original;
  }
}

/** How many statements read each of `tables` first (their first FROM); BEGIN, COMMIT and other tables are left out. */
export function countByTable(statements: string[], tables: Iterable<string>): Record<string, number> {
  const wanted = new Set(tables);
  const counts: Record<string, number> = {};
  for (const sql of statements) {
    const table = /\bFROM\s+"?(\w+)"?/i.exec(sql)?.[1];
    if (table && wanted.has(table)) counts[table] = (counts[table] ?? 0) + 1;
  }
  return counts;
}
