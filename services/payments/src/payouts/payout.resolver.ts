import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { PaymentsContext } from '../services';
import { Payout, PayoutAttempt } from './payout.entity';
import { CreatePayoutInput, CreatePayoutResult, Partnership } from './payout.types';

@Resolver(() => Payout)
export class PayoutResolver {
  @Query(() => Payout, { description: "A payout: its creator's, its brand members' or an admin's to see." })
  payout(@Arg('id', () => ID) id: string, @Ctx() ctx: PaymentsContext): Promise<Payout> {
    return ctx.services.payouts.get(ctx, id);
  }

  @Mutation(() => CreatePayoutResult, {
    description: "Pays a partnership's creator from the campaign's escrow (brand members), idempotently.",
  })
  createPayout(@Arg('input', () => CreatePayoutInput) input: CreatePayoutInput, @Ctx() ctx: PaymentsContext): Promise<CreatePayoutResult> {
    return ctx.services.payouts.create(ctx, input);
  }

  @Mutation(() => Payout, { description: 'Admins: a manual bank transfer was made; the reference is the bank’s.' })
  confirmManualPayout(
    @Arg('id', () => ID) id: string,
    @Arg('reference', () => String) reference: string,
    @Ctx() ctx: PaymentsContext,
  ): Promise<Payout> {
    return ctx.services.payouts.confirmManual(ctx, id, reference);
  }

  @Mutation(() => Payout, { description: 'Admins: a manual bank transfer failed (final; the money stays owed to the creator).' })
  failManualPayout(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: PaymentsContext,
  ): Promise<Payout> {
    return ctx.services.payouts.failManual(ctx, id, reason);
  }

  @Mutation(() => Payout, { description: 'Admins: starts a new attempt of a failed payout now.' })
  retryPayout(@Arg('id', () => ID) id: string, @Ctx() ctx: PaymentsContext): Promise<Payout> {
    return ctx.services.payouts.retry(ctx, id);
  }

  @Mutation(() => Payout, { description: "Admins: a succeeded payout's money came back; it is owed to the creator again." })
  reversePayout(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: PaymentsContext,
  ): Promise<Payout> {
    return ctx.services.payouts.reverse(ctx, id, reason);
  }

  @FieldResolver(() => [PayoutAttempt], { description: 'Its attempts, first to last.' })
  attempts(@Root() payout: Payout, @Ctx() ctx: PaymentsContext): Promise<PayoutAttempt[]> {
    return ctx.services.payouts.attemptsOf(ctx, payout);
  }
}

@Resolver(() => Partnership)
export class PartnershipPayoutsResolver {
  @FieldResolver(() => [Payout], {
    description: "The partnership's payouts, newest first: for its creator, its brand's members and admins (empty for anyone else).",
  })
  payouts(@Root() p: Partnership, @Ctx() ctx: PaymentsContext): Promise<Payout[]> {
    return ctx.services.payouts.forPartnership(ctx, p.id);
  }
}
