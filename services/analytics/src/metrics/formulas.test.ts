import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRICS, MetricName, Totals, ZERO_TOTALS } from './formulas';

/** The "Formulas, as the code computes them" table of docs/metrics.md: metric → formula and kind. */
function docFormulas(): Map<string, { formula: string; kind: string }> {
  const doc = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'metrics.md'), 'utf8');
  const section = doc
    .split('### Formulas, as the code computes them')[1]
    ?.split('\n\n')
    .find((block) => block.trim().startsWith('| metric'));
  if (!section) throw new Error('docs/metrics.md has no formulas table');
  const rows = section
    .trim()
    .split('\n')
    .slice(2)
    .map((line) => line.split('|').map((cell) => cell.trim()));
  return new Map(rows.map(([, name, formula, kind]) => [name.replace(/`/g, ''), { formula, kind }]));
}

/** Evaluates a doc formula (+ − × ÷, parentheses, names) over figures; a division by zero is null. */
function evaluate(formula: string, values: Record<string, number | null>): number | null {
  const tokens = formula.match(/[A-Za-z]+|\d+(?:\.\d+)?|[+−×÷()]/g) ?? [];
  let i = 0;
  const primary = (): number | null => {
    const t = tokens[i++];
    if (t === '(') {
      const v = sum();
      i++; // ')'
      return v;
    }
    if (/^\d/.test(t)) return Number(t);
    if (!(t in values)) throw new Error(`unknown name ${t} in "${formula}"`);
    return values[t];
  };
  const product = (): number | null => {
    let v = primary();
    while (tokens[i] === '×' || tokens[i] === '÷') {
      const op = tokens[i++];
      const r = primary();
      if (v === null || r === null) v = null;
      else if (op === '×') v = v * r;
      else v = r === 0 ? null : v / r;
    }
    return v;
  };
  const sum = (): number | null => {
    let v = product();
    while (tokens[i] === '+' || tokens[i] === '−') {
      const op = tokens[i++];
      const r = product();
      v = v === null || r === null ? null : op === '+' ? v + r : v - r;
    }
    return v;
  };
  return sum();
}

function randomTotals(seed: number): Totals {
  let x = seed;
  const next = (max: number) => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    // one figure in five is 0, so every division by zero is met
    return x % 5 === 0 ? 0 : x % max;
  };
  const t = { ...ZERO_TOTALS };
  for (const k of Object.keys(t) as (keyof Totals)[]) t[k] = next(100_000);
  t.refundsMinor = Math.min(t.refundsMinor, t.grossMinor);
  return t;
}

describe('docs/metrics.md and formulas.ts', () => {
  const doc = docFormulas();

  it('name the same metrics, of the same kinds', () => {
    expect([...doc.keys()].sort()).toEqual(Object.keys(METRICS).sort());
    for (const [name, m] of Object.entries(METRICS))
      expect({ name, kind: doc.get(name)?.kind, formula: doc.get(name)?.formula }).toEqual({ name, kind: m.kind, formula: m.formula });
  });

  it('compute the same figures, division by zero included', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const totals = randomTotals(seed);
      const values: Record<string, number | null> = { ...totals };
      // metrics may use metrics above them in the table
      for (const [name, { formula, kind }] of doc) {
        let expected = evaluate(formula, values);
        if (expected !== null && kind === 'amount') expected = Math.round(expected);
        const actual = METRICS[name as MetricName].compute(totals);
        if (expected === null) expect({ name, seed, actual }).toEqual({ name, seed, actual: null });
        else expect(actual).toBeCloseTo(expected, 9);
        values[name] = actual;
      }
    }
  });
});
