import {
  allocateCredits,
  applyRefund,
  bonusMetricOf,
  bonusReached,
  commissionOn,
  commissionPpm,
  commissionSync,
  contractIndexOf,
  creditsOf,
  milestoneKey,
  requiredPosts,
  scheduleTermIndexes,
  triggerSatisfied,
} from './plan-rules';

describe('commission', () => {
  it('is the floor of percent × net amount, in whole minor units', () => {
    expect(commissionOn(1999, commissionPpm(12.5)!)).toBe(249); // 249.875
    expect(commissionOn(100, commissionPpm(10)!)).toBe(10);
    expect(commissionOn(9, commissionPpm(10)!)).toBe(0);
    expect(commissionOn(0, commissionPpm(10)!)).toBe(0);
    expect(commissionOn(1000, 0)).toBe(0);
    // 0.07 × 100 is 7.000000000000001 in floating point: the parts-per-million form is exact.
    expect(commissionOn(100, commissionPpm(7)!)).toBe(7);
    expect(commissionOn(1, commissionPpm(100)!)).toBe(1);
  });

  it('stays exact beyond 2^53 / 1e6 (BigInt)', () => {
    expect(commissionOn(Number.MAX_SAFE_INTEGER, commissionPpm(50)!)).toBe(Math.floor(Number.MAX_SAFE_INTEGER / 2));
  });

  it('takes percents with up to four decimals in (0, 100]', () => {
    expect(commissionPpm(12.3456)).toBe(123_456);
    expect(commissionPpm(12.34567)).toBeNull();
    expect(commissionPpm(0)).toBeNull();
    expect(commissionPpm(100.5)).toBeNull();
    expect(commissionPpm(Number.NaN)).toBeNull();
  });
});

describe('refunds', () => {
  const ppm = commissionPpm(10)!;

  it('reverse the difference of the commission before and after, so parts add up to the whole', () => {
    let order = { amountMinor: 1005, refundedMinor: 0, ppm }; // earns 100
    const reversals: number[] = [];
    for (const part of [333, 333, 339]) {
      const r = applyRefund(order, part);
      if (!r.accepted) throw new Error(r.reason);
      reversals.push(r.reversal);
      order = { ...order, refundedMinor: r.refundedMinor };
    }
    expect(reversals.reduce((a, b) => a + b, 0)).toBe(100);
    expect(reversals).toEqual([33, 34, 33]); // earns 100 on 1005 → 67 on 672 → 33 on 339 → 0
  });

  it('refuses a refund larger than what is left of the order', () => {
    const r = applyRefund({ amountMinor: 1000, refundedMinor: 900, ppm }, 101);
    expect(r).toMatchObject({ accepted: false });
    expect(applyRefund({ amountMinor: 1000, refundedMinor: 900, ppm }, 100)).toMatchObject({
      accepted: true,
      reversal: 10,
      refundedMinor: 1000,
    });
  });

  it('reverse nothing on an order without commission', () => {
    expect(applyRefund({ amountMinor: 1000, refundedMinor: 0, ppm: 0 }, 500)).toMatchObject({ accepted: true, reversal: 0 });
  });
});

describe('commission in the ledger (sync and clawback)', () => {
  it('accrues what is earned and not accrued', () => {
    expect(commissionSync({ earnedMinor: 500, accruedMinor: 300, paidOutMinor: 0 })).toEqual({
      delta: 200,
      clawbackMinor: 0,
      unpaidMinor: 300,
    });
  });

  it('reverses refunded commission only down to what was paid out; the rest is a clawback', () => {
    // 500 accrued, 400 paid out, then refunds bring earnings to 100: 100 comes back from the payable, 300 is clawed back.
    expect(commissionSync({ earnedMinor: 100, accruedMinor: 500, paidOutMinor: 400 })).toEqual({
      delta: -100,
      clawbackMinor: 300,
      unpaidMinor: 100,
    });
  });

  it('lets later commission fill the clawback before anything more accrues', () => {
    // After the above: accrued 400 = paid out 400, earned 100 → +200 earned: still below 400, nothing accrues.
    expect(commissionSync({ earnedMinor: 300, accruedMinor: 400, paidOutMinor: 400 }).delta).toBe(0);
    // Earned 450: the clawback (400 − 450 < 0) is filled; 50 accrues.
    expect(commissionSync({ earnedMinor: 450, accruedMinor: 400, paidOutMinor: 400 })).toEqual({
      delta: 50,
      clawbackMinor: 0,
      unpaidMinor: 0,
    });
  });
});

describe('bonus metrics', () => {
  it('reads the names contracts accepts as free text', () => {
    expect(bonusMetricOf('attributed orders')).toBe('ATTRIBUTED_ORDERS');
    expect(bonusMetricOf('  Attributed_Orders ')).toBe('ATTRIBUTED_ORDERS');
    expect(bonusMetricOf('attributed-sales')).toBe('ATTRIBUTED_SALES');
    expect(bonusMetricOf('Sales')).toBe('ATTRIBUTED_SALES');
    expect(bonusMetricOf('views')).toBeNull();
  });

  it('counts orders, and sales in major units of the currency (JPY 0, USD 2, KWD 3 digits)', () => {
    expect(bonusReached('ATTRIBUTED_ORDERS', 3, { orders: 2, salesMinor: 0 }, 2)).toBe(false);
    expect(bonusReached('ATTRIBUTED_ORDERS', 3, { orders: 3, salesMinor: 0 }, 2)).toBe(true);
    expect(bonusReached('ATTRIBUTED_SALES', 5000, { orders: 1, salesMinor: 499_999 }, 2)).toBe(false);
    expect(bonusReached('ATTRIBUTED_SALES', 5000, { orders: 1, salesMinor: 500_000 }, 2)).toBe(true);
    expect(bonusReached('ATTRIBUTED_SALES', 5000, { orders: 1, salesMinor: 5000 }, 0)).toBe(true);
    expect(bonusReached('ATTRIBUTED_SALES', 1.5, { orders: 1, salesMinor: 1499 }, 3)).toBe(false);
    expect(bonusReached('ATTRIBUTED_SALES', 1.5, { orders: 1, salesMinor: 1500 }, 3)).toBe(true);
  });
});

describe('posted deliverables → contract deliverables', () => {
  const terms = [
    { platform: 'instagram', format: 'reel', count: 2, dueOn: '2027-03-10' },
    { platform: 'tiktok', format: 'video', count: 1, dueOn: '2027-03-05' },
  ];

  it('numbers pieces as campaign does: by due date, then the terms’ order', () => {
    expect(scheduleTermIndexes(terms, null)).toEqual([1, 0, 0]);
    // Long-term: the set every month, a month later each time.
    expect(scheduleTermIndexes(terms, 2)).toEqual([1, 0, 0, 1, 0, 0]);
  });

  it('maps a sequence to the contract deliverable of the same position, platform and format', () => {
    const required = requiredPosts(terms, null);
    expect(required).toEqual([2, 1]);
    expect(contractIndexOf({ sequence: 1, platform: 'tiktok', format: 'video' }, terms, null, terms, [0, 0], required)).toBe(1);
    expect(contractIndexOf({ sequence: 3, platform: 'instagram', format: 'reel' }, terms, null, terms, [1, 1], required)).toBe(0);
  });

  it('falls back to the first open contract deliverable of the same platform and format when the lists differ', () => {
    const contract = [terms[1], { platform: 'instagram', format: 'reel', count: 1, dueOn: '2027-03-01' }, terms[0]];
    const required = requiredPosts(contract, null);
    expect(contractIndexOf({ sequence: 2, platform: 'instagram', format: 'reel' }, terms, null, contract, [0, 0, 0], required)).toBe(1);
    expect(contractIndexOf({ sequence: 3, platform: 'instagram', format: 'reel' }, terms, null, contract, [0, 1, 0], required)).toBe(2);
    expect(contractIndexOf({ sequence: 9, platform: 'youtube', format: 'video' }, null, null, contract, [0, 0, 0], required)).toBeNull();
  });

  it('makes a deliverable milestone due on the last of its posts', () => {
    const facts = (complete: boolean[]) => ({ campaignEnded: false, deliverablesComplete: complete, bonusReached: false });
    const m = { trigger: 'ON_DELIVERABLE_POSTED' as const, deliverableIndex: 0 };
    expect(triggerSatisfied(m, facts([false, true]))).toBe(false);
    expect(triggerSatisfied(m, facts([true, false]))).toBe(true);
    expect(triggerSatisfied({ trigger: 'ON_EXECUTION', deliverableIndex: null }, facts([]))).toBe(true);
    expect(triggerSatisfied({ trigger: 'ON_CAMPAIGN_END', deliverableIndex: null }, facts([]))).toBe(false);
    expect(triggerSatisfied({ trigger: 'ON_BONUS_THRESHOLD', deliverableIndex: null }, { ...facts([]), bonusReached: true })).toBe(true);
  });
});

describe('amendments', () => {
  const m = (
    trigger: 'ON_EXECUTION' | 'ON_DELIVERABLE_POSTED' | 'ON_CAMPAIGN_END',
    amountMinor: number,
    deliverableIndex: number | null = null,
  ) => ({
    trigger,
    deliverableIndex,
    amountMinor,
  });

  it('keys milestones by trigger, and by deliverable for a deliverable', () => {
    expect(milestoneKey(m('ON_EXECUTION', 1))).toBe('ON_EXECUTION');
    expect(milestoneKey(m('ON_DELIVERABLE_POSTED', 1, 2))).toBe('ON_DELIVERABLE_POSTED:2');
  });

  it('credits a new milestone with what the amended one paid: only the difference is paid', () => {
    const credits = creditsOf([
      { ...m('ON_EXECUTION', 500), settledMinor: 500 },
      { ...m('ON_DELIVERABLE_POSTED', 500, 0), settledMinor: 0 },
    ]);
    expect(credits).toEqual({ ON_EXECUTION: 500 });
    const { milestones, carried } = allocateCredits([m('ON_EXECUTION', 700), m('ON_DELIVERABLE_POSTED', 800, 0)], credits);
    expect(milestones.map((x) => [x.creditMinor, x.payableMinor])).toEqual([
      [500, 200],
      [0, 800],
    ]);
    expect(carried).toEqual({});
  });

  it('never pays twice: a milestone already paid in full is settled by its credit', () => {
    const { milestones } = allocateCredits([m('ON_EXECUTION', 500)], { ON_EXECUTION: 500 });
    expect(milestones[0]).toMatchObject({ creditMinor: 500, payableMinor: 0 });
  });

  it('carries what was paid beyond the new total (never taken back), and spreads a credit over milestones of one key in order', () => {
    const { milestones, carried } = allocateCredits([m('ON_EXECUTION', 300), m('ON_EXECUTION', 100)], { ON_EXECUTION: 600 });
    expect(milestones.map((x) => x.payableMinor)).toEqual([0, 0]);
    expect(carried).toEqual({ ON_EXECUTION: 200 });
    // A later amendment sees the carried credit too.
    expect(creditsOf([{ ...m('ON_EXECUTION', 300), settledMinor: 300 }], carried)).toEqual({ ON_EXECUTION: 500 });
  });
});
