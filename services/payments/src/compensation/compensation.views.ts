import { isUuid, loadById, loadManyBy, Money, RequestContext } from '@influenceflow/kit';
import { CompMilestone, CompPartnership, CompPlan } from './compensation.entity';
import { commissionSync } from './plan-rules';
import type { CommissionSummary } from './compensation.resolver';

/** Who reads a partnership's money: its parties and admins everything, the brand's analysts its spend, others nothing. */
export type MoneySide = 'admin' | 'brand' | 'creator' | 'analyst';

export function moneySideOf(ctx: RequestContext, owner: { brandId: string; creatorId: string }): MoneySide | null {
  if (ctx.isAdmin) return 'admin';
  if (ctx.canActForBrand(owner.brandId)) return 'brand';
  if (ctx.isCreator(owner.creatorId)) return 'creator';
  if (ctx.canActForBrand(owner.brandId, ['analyst'])) return 'analyst';
  return null;
}

/**
 * The read side of compensation (Partnership.compensation, Contract.milestones), batched with the request's
 * DataLoaders. What the caller may not see is null, as for the other subgraphs' entity extensions.
 */
export class CompensationViews {
  /** The plan in force, else the latest version's. */
  async planOfPartnership(ctx: RequestContext, partnershipId: string): Promise<CompPlan | null> {
    if (!ctx.identity || !isUuid(partnershipId)) return null;
    const plans = await loadManyBy(ctx, CompPlan, 'partnershipId', partnershipId.toLowerCase(), { version: 'DESC' });
    const current = plans.find((p) => p.status === 'ACTIVE') ?? plans[0] ?? null;
    return current && moneySideOf(ctx, current) ? current : null;
  }

  async milestonesOfContract(ctx: RequestContext, contractId: string): Promise<CompMilestone[] | null> {
    if (!ctx.identity || !isUuid(contractId)) return null;
    const plan = await loadById(ctx, CompPlan, contractId.toLowerCase(), 'contractId');
    if (!plan || !moneySideOf(ctx, plan)) return null;
    return this.milestonesOfPlan(ctx, plan.id);
  }

  /** Reached only through a plan the caller may see. */
  milestonesOfPlan(ctx: RequestContext, planId: string): Promise<CompMilestone[]> {
    return loadManyBy(ctx, CompMilestone, 'planId', planId, { index: 'ASC' });
  }

  async commissionOf(ctx: RequestContext, plan: CompPlan): Promise<CommissionSummary | null> {
    const p = await loadById(ctx, CompPartnership, plan.partnershipId);
    if (!p || (plan.commissionPpm === null && p.commissionEarnedMinor === 0 && p.commissionAccruedMinor === 0)) return null;
    const currency = p.currency ?? plan.currency;
    const money = (minor: number) => Money.of(minor, currency);
    const sync = commissionSync({
      earnedMinor: p.commissionEarnedMinor,
      accruedMinor: p.commissionAccruedMinor,
      paidOutMinor: p.commissionPaidOutMinor,
    });
    // Analysts read the brand's spend, not what was handed to the creator's payouts.
    const full = moneySideOf(ctx, plan) !== 'analyst';
    return {
      orders: p.ordersCount,
      sales: money(p.salesMinor),
      earned: money(p.commissionEarnedMinor),
      accrued: money(p.commissionAccruedMinor),
      paidOut: full ? money(p.commissionPaidOutMinor) : null,
      clawback: full ? money(sync.clawbackMinor) : null,
      awaitingFunds: money(Math.max(0, sync.delta)),
    };
  }

  async payoutIdOf(ctx: RequestContext, m: CompMilestone): Promise<string | null> {
    if (!m.payoutId) return null;
    const plan = await loadById(ctx, CompPlan, m.planId);
    const side = plan ? moneySideOf(ctx, plan) : null;
    return side && side !== 'analyst' ? m.payoutId : null;
  }
}
