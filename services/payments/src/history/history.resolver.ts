import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { PaymentsContext } from '../services';
import { Creator } from '../rate-cards/rate-card.types';
import { CreatorEarnings, CreatorStatement, PaymentHistoryArgs, PayoutConnection } from './history.types';
import { statementCsv } from './statement-csv';
import { statementPdf } from './statement-pdf';

@Resolver()
export class PaymentHistoryResolver {
  @Query(() => PayoutConnection, {
    description:
      "A creator's payouts, newest first: a creator's own; admins pass creatorId. Filtered by campaign, period (UTC dates) and status.",
  })
  myPayments(
    @Args(() => PaymentHistoryArgs) args: PaymentHistoryArgs,
    @Arg('creatorId', () => ID, { nullable: true, description: 'Admins: the creator. Creators read their own.' }) creatorId: string | null,
    @Ctx() ctx: PaymentsContext,
  ): Promise<PayoutConnection> {
    return ctx.services.history.creatorPayments(ctx, { ...args, creatorId });
  }

  @Query(() => PayoutConnection, {
    description: "A brand's payouts, newest first: its members and admins (analysts read spend totals, not payouts).",
  })
  brandPayments(
    @Arg('brandId', () => ID) brandId: string,
    @Args(() => PaymentHistoryArgs) args: PaymentHistoryArgs,
    @Ctx() ctx: PaymentsContext,
  ): Promise<PayoutConnection> {
    return ctx.services.history.brandPayments(ctx, brandId, args);
  }

  @Query(() => CreatorStatement, {
    description: "A creator's yearly statement (calendar year, UTC): cash paid and product value by brand. The creator and admins only.",
  })
  creatorStatement(
    @Arg('year', () => Int) year: number,
    @Arg('creatorId', () => ID, { nullable: true, description: 'Admins: the creator. Creators read their own.' }) creatorId: string | null,
    @Ctx() ctx: PaymentsContext,
  ): Promise<CreatorStatement> {
    return ctx.services.history.statement(ctx, year, creatorId);
  }
}

@Resolver(() => Creator)
export class CreatorEarningsResolver {
  @FieldResolver(() => [CreatorEarnings], {
    nullable: true,
    description: 'Paid, owed and in transit per currency: for the creator themself and admins; null for anyone else.',
  })
  earnings(@Root() creator: Creator, @Ctx() ctx: PaymentsContext): Promise<CreatorEarnings[] | null> {
    return ctx.services.history.earnings(ctx, creator.id);
  }
}

@Resolver(() => CreatorStatement)
export class CreatorStatementFilesResolver {
  @FieldResolver(() => String, {
    description: 'The statement as CSV (UTF-8, RFC 4180). To download a file: GET /statements/<year>.csv on the gateway.',
  })
  csv(@Root() statement: CreatorStatement): string {
    return statementCsv(statement);
  }

  @FieldResolver(() => String, {
    description: 'The statement as a PDF, base64. To download a file: GET /statements/<year>.pdf on the gateway.',
  })
  async pdfBase64(@Root() statement: CreatorStatement): Promise<string> {
    return (await statementPdf(statement)).toString('base64');
  }
}
