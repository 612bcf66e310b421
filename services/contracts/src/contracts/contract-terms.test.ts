import { AppError, InputProblems } from '@influenceflow/kit';
import {
  checkMilestones,
  checkTerms,
  Compensation,
  ContractTerms,
  defaultMilestones,
  Milestone,
  resolveMilestones,
  templateValues,
} from './contract-terms';

const comp = (over: Partial<Compensation> = {}): Compensation => ({
  currency: 'EUR',
  flatFeeMinor: 100_001,
  commissionPercent: null,
  bonus: null,
  product: null,
  ...over,
});
const share = (
  sharePercent: number,
  trigger: Milestone['trigger'] = 'ON_EXECUTION',
  deliverableIndex: number | null = null,
): Milestone => ({
  label: 'm',
  amountMinor: null,
  sharePercent,
  trigger,
  deliverableIndex,
});
const amount = (
  amountMinor: number,
  trigger: Milestone['trigger'] = 'ON_EXECUTION',
  deliverableIndex: number | null = null,
): Milestone => ({
  label: 'm',
  amountMinor,
  sharePercent: null,
  trigger,
  deliverableIndex,
});

function problemsOf(c: Compensation, ms: Milestone[], deliverables = 2) {
  const problems = new InputProblems();
  checkMilestones(c, ms, deliverables, problems);
  return problems.list;
}

describe('payment milestones', () => {
  it('accepts shares and amounts that add up to the fee exactly, and resolves them without losing a cent', () => {
    const ms = [share(33.33), share(33.33, 'ON_DELIVERABLE_POSTED', 0), amount(33_335, 'ON_CAMPAIGN_END')];
    // 100,001 × 66.66% = 66,660.6666: not whole, so 33.33% + 33.33% + 33,335 does not add up…
    expect(problemsOf(comp(), ms)).not.toHaveLength(0);
    // …whereas on a fee of 100,000, 33,330 + 33,330 + 33,340 does.
    expect(
      problemsOf(comp({ flatFeeMinor: 100_000 }), [
        share(33.33),
        share(33.33, 'ON_DELIVERABLE_POSTED', 0),
        amount(33_340, 'ON_CAMPAIGN_END'),
      ]),
    ).toEqual([]);
    const resolved = resolveMilestones(comp({ flatFeeMinor: 100_001 }), [share(50), share(50, 'ON_DELIVERABLE_POSTED', 1)]);
    expect(resolved.map((m) => m.resolvedAmountMinor)).toEqual([50_000, 50_001]);
    expect(resolved.reduce((s, m) => s + m.resolvedAmountMinor, 0)).toBe(100_001);
  });

  it('gives the rounding to the last share of each group', () => {
    const c = comp({ flatFeeMinor: 1_000, bonus: { metric: 'attributed orders', threshold: 100, amountMinor: 999 } });
    const resolved = resolveMilestones(c, [
      share(33.33),
      share(33.34),
      share(33.33),
      share(50, 'ON_BONUS_THRESHOLD'),
      share(50, 'ON_BONUS_THRESHOLD'),
    ]);
    expect(resolved.map((m) => m.resolvedAmountMinor)).toEqual([333, 333, 334, 499, 500]);
  });

  it('refuses milestones that do not add up, naming the total and the field', () => {
    const [problem] = problemsOf(comp({ flatFeeMinor: 50_000 }), [amount(20_000), share(50)]);
    expect(problem).toEqual({ field: 'input.milestones', reason: expect.stringContaining('€500.00') });
    expect(problemsOf(comp({ flatFeeMinor: 50_000 }), [share(60), share(60)])[0].reason).toMatch(/plus 120%/);
  });

  it('pays the bonus only from bonus milestones, and needs a bonus for them', () => {
    expect(problemsOf(comp(), [share(100), share(100, 'ON_BONUS_THRESHOLD')])[0]).toEqual({
      field: 'input.milestones.1.trigger',
      reason: 'the compensation has no bonus to pay',
    });
    const withBonus = comp({ flatFeeMinor: 10_000, bonus: { metric: 'clicks', threshold: 1000, amountMinor: 5_000 } });
    expect(problemsOf(withBonus, [share(100)])[0].reason).toMatch(/paying the bonus \(€50\.00\)/);
    expect(problemsOf(withBonus, [share(100), amount(5_000, 'ON_BONUS_THRESHOLD')])).toEqual([]);
  });

  it('checks each milestone: one of amount and share, a share of at most 100 with two decimals, a deliverable that exists', () => {
    const bad: Milestone[] = [
      { label: 'x', amountMinor: 1, sharePercent: 1, trigger: 'ON_EXECUTION', deliverableIndex: null },
      { label: 'x', amountMinor: null, sharePercent: null, trigger: 'ON_EXECUTION', deliverableIndex: null },
      share(12.345),
      share(101),
      amount(0),
      share(10, 'ON_DELIVERABLE_POSTED', 2),
      share(10, 'ON_DELIVERABLE_POSTED', null),
      share(10, 'ON_CAMPAIGN_END', 0),
    ];
    expect(problemsOf(comp(), bad).map((p) => p.field)).toEqual([
      'input.milestones.0',
      'input.milestones.1',
      'input.milestones.2.sharePercent',
      'input.milestones.3.sharePercent',
      'input.milestones.4.amountMinor',
      'input.milestones.5.deliverableIndex',
      'input.milestones.6.deliverableIndex',
      'input.milestones.7.deliverableIndex',
    ]);
  });

  it('needs milestones for a fee, and none without one (a commission is accrued by payments, a product given in kind)', () => {
    expect(problemsOf(comp(), [])[0].reason).toMatch(/add milestones paying the flat fee/);
    expect(problemsOf(comp({ flatFeeMinor: null, commissionPercent: 10 }), [share(100)])[0].reason).toMatch(/no flat fee/);
    expect(problemsOf(comp({ flatFeeMinor: null, commissionPercent: 10 }), [])).toEqual([]);
  });

  it('starts a contract with half on signature and half on the last deliverable, adding up by construction', () => {
    const c = comp({ flatFeeMinor: 99_999, bonus: { metric: 'orders', threshold: 10, amountMinor: 777 } });
    const ms = defaultMilestones(c, 3);
    expect(ms.map((m) => [m.trigger, m.deliverableIndex])).toEqual([
      ['ON_EXECUTION', null],
      ['ON_DELIVERABLE_POSTED', 2],
      ['ON_BONUS_THRESHOLD', null],
    ]);
    expect(problemsOf(c, ms, 3)).toEqual([]);
    expect(resolveMilestones(c, ms).map((m) => m.resolvedAmountMinor)).toEqual([49_999, 50_000, 777]);
  });
});

describe('contract terms', () => {
  const terms = (): ContractTerms => ({
    parties: { brandId: 'b', brandName: 'Oaty', creatorId: 'c', creatorName: 'Ella', creatorHandle: 'ella' },
    campaign: { id: 'x', name: 'Spring', startsOn: '2027-03-01', endsOn: '2027-04-30' },
    briefVersion: 1,
    lengthMonths: null,
    deliverables: [{ platform: 'instagram', format: 'reel', count: 1, dueOn: '2027-03-10' }],
    compensation: comp({ flatFeeMinor: 1000 }),
    milestones: [share(100)],
    usageRights: { scope: 'organic social', durationMonths: 12 },
    exclusivity: null,
    paymentNetDays: 30,
    cancellationNoticeDays: 14,
  });

  it('reports every bad term at once', () => {
    const t = terms();
    t.compensation.commissionPercent = 150;
    t.usageRights = { scope: ' ', durationMonths: 500 };
    t.exclusivity = { category: 'oat milk', windowDays: 0 };
    t.paymentNetDays = -1;
    let error: AppError | undefined;
    try {
      checkTerms(t);
    } catch (err) {
      error = err as AppError;
    }
    expect(error?.code).toBe('BAD_USER_INPUT');
    expect((error?.details?.problems as { field: string }[]).map((p) => p.field)).toEqual([
      'input.compensation.commissionPercent',
      'input.usageRights.scope',
      'input.usageRights.durationMonths',
      'input.exclusivity.windowDays',
      'input.paymentNetDays',
    ]);
  });

  it('needs some compensation', () => {
    const t = terms();
    t.compensation.flatFeeMinor = null;
    t.milestones = [];
    expect(() => checkTerms(t)).toThrow(/compensates the creator/);
  });

  it('says a draft has no compensation yet instead of leaving a hole in the sentence', () => {
    const t = terms();
    t.compensation = comp({ flatFeeMinor: null });
    t.milestones = defaultMilestones(t.compensation, t.deliverables.length);
    const values = templateValues(t, { version: 1, amendsVersion: null, createdOn: '2027-02-01' });
    expect(values.compensation).toMatchObject({ summary: 'The Brand and the Creator have not agreed a compensation yet.', fee: 'none' });
    expect(JSON.stringify(values)).not.toMatch(/undefined|null|NaN/);
    let error: AppError | undefined;
    try {
      checkTerms(t, 'terms');
    } catch (err) {
      error = err as AppError;
    }
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'terms.compensation' });
  });

  it('names every part of the compensation in the sentence', () => {
    const t = terms();
    t.compensation = comp({ flatFeeMinor: 1000, commissionPercent: 5 });
    const values = templateValues(t, { version: 1, amendsVersion: null, createdOn: '2027-02-01' });
    expect((values.compensation as Record<string, string>).summary).toBe(
      'The Brand compensates the Creator with a flat fee of €10.00 and a commission of 5% of attributed sales.',
    );
  });
});
