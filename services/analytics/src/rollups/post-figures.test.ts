import { dayOf, latestKnown, mergeFigures, figuresOf, PostDayRow, POST_METRICS } from './post-figures';

const D = '00000000-0000-4000-8000-000000000001';
const P = '00000000-0000-4000-8000-000000000002';

function snap(takenAt: string, values: Partial<Record<(typeof POST_METRICS)[number], number>>): PostDayRow {
  const row = { deliverableId: D, partnershipId: P, takenAt: new Date(takenAt) } as PostDayRow;
  for (const m of POST_METRICS) row[m] = values[m] ?? null;
  return row;
}

const byPost = (r: PostDayRow) => r.deliverableId;

describe("a post's figures: each counter's latest known value", () => {
  const a = snap('2026-03-02T10:00:00Z', { reach: 1_000, likes: 10 });
  const b = snap('2026-03-02T12:00:00Z', { likes: 20 });

  it('keeps the reach of A when a later B gives only likes (A then B, and B then A)', () => {
    for (const rows of [
      [a, b],
      [b, a],
    ]) {
      const f = latestKnown(rows, byPost).get(D)!;
      expect(f.values).toEqual({ reach: 1_000, impressions: null, likes: 20, comments: null, shares: null, saves: null, views: null });
      expect(f.at.reach).toEqual(a.takenAt);
      expect(f.at.likes).toEqual(b.takenAt);
      expect(f.at.impressions).toBeNull();
      expect(f.takenAt).toEqual(b.takenAt);
    }
  });

  it('takes a later known value over an earlier one, never an earlier over a later', () => {
    const c = snap('2026-03-02T14:00:00Z', { reach: 1_500 });
    // B (reach unknown) between A and C: C's reach, whatever the order
    const orders = [
      [a, b, c],
      [c, b, a],
      [b, c, a],
      [a, c, b],
    ];
    for (const rows of orders) {
      const f = latestKnown(rows, byPost).get(D)!;
      expect({ reach: f.values.reach, likes: f.values.likes }).toEqual({ reach: 1_500, likes: 20 });
    }
  });

  it('keeps a 0 as a known value (0 is no unknown)', () => {
    const zero = snap('2026-03-02T13:00:00Z', { reach: 0 });
    expect(latestKnown([a, zero], byPost).get(D)!.values.reach).toBe(0);
    expect(latestKnown([zero, a], byPost).get(D)!.values.reach).toBe(0);
  });

  it('merges per key: each day of a post apart, and a post over its days as the days merged', () => {
    const nextDay = snap('2026-03-03T09:00:00Z', { likes: 30, views: 500 });
    const rows = [nextDay, a, b];
    const days = latestKnown(rows, (r) => `${r.deliverableId}|${dayOf(r.takenAt)}`);
    expect([...days.keys()].sort()).toEqual([`${D}|2026-03-02`, `${D}|2026-03-03`]);
    expect(days.get(`${D}|2026-03-03`)!.values.reach).toBeNull();
    // the days' figures merged give the post's figures over all snapshots (what totalsBy reads)
    const [d1, d2] = [days.get(`${D}|2026-03-02`)!, days.get(`${D}|2026-03-03`)!];
    const overDays = mergeFigures(d2, d1);
    expect(overDays).toEqual(latestKnown(rows, byPost).get(D));
    expect(overDays.values).toMatchObject({ reach: 1_000, likes: 30, views: 500 });
  });

  it('leaves a snapshot with nothing known unknown', () => {
    const empty = snap('2026-03-02T15:00:00Z', {});
    const f = figuresOf(empty);
    expect(Object.values(f.values).every((v) => v === null)).toBe(true);
    expect(Object.values(f.at).every((v) => v === null)).toBe(true);
    expect(mergeFigures(figuresOf(a), f).values).toEqual(figuresOf(a).values);
  });
});
