import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { PaymentsContext } from '../services';
import { Creator } from '../rate-cards/rate-card.types';
import { Brand, Campaign } from '../ledger/funding.types';
import { Payout } from '../payouts/payout.entity';
import { Partnership } from '../payouts/payout.types';
import { brandNames, campaignNames } from './party-names';
import {
  CreatorEarnings,
  CreatorStatement,
  PaymentHistoryArgs,
  PayoutConnection,
  StatementBrandTotal,
  StatementLine,
} from './history.types';
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

/**
 * What a history item (a payout) refers to: the other subgraphs' entities as federated references (the
 * gateway resolves their fields from their owners, who decide who sees them: campaign shows a campaign to
 * its brand only, so the references are nullable), and the brand's and campaign's names as payments knows
 * them from the partnership's events (what a creator reads, and what the statement files print). The plain ids stay.
 */
@Resolver(() => Payout)
export class PayoutPartiesResolver {
  @FieldResolver(() => Partnership, {
    nullable: true,
    description: 'The partnership it pays (campaign subgraph; null where it does not show it to you).',
  })
  partnership(@Root() payout: Payout): Partnership {
    return { id: payout.partnershipId };
  }

  @FieldResolver(() => Campaign, {
    nullable: true,
    description: 'The campaign it is paid from (campaign subgraph, which shows it to its brand, not to creators: they read campaignName).',
  })
  campaign(@Root() payout: Payout): Campaign {
    return { id: payout.campaignId };
  }

  @FieldResolver(() => Brand, {
    nullable: true,
    description: 'The brand that pays it (campaign subgraph; null where it does not show it to you).',
  })
  brand(@Root() payout: Payout): Brand {
    return { id: payout.brandId };
  }

  @FieldResolver(() => Creator, { nullable: true, description: 'The creator it is paid to (discovery subgraph).' })
  creator(@Root() payout: Payout): Creator {
    return { id: payout.creatorId };
  }

  @FieldResolver(() => String, {
    description: "The brand's name as its partnership events last carried it (the id with a note when no name is on record).",
  })
  async brandName(@Root() payout: Payout, @Ctx() ctx: PaymentsContext): Promise<string> {
    return (await brandNames(ctx, [payout.brandId]))[0];
  }

  @FieldResolver(() => String, {
    description: "The campaign's name as its partnership events last carried it (the id with a note when no name is on record).",
  })
  async campaignName(@Root() payout: Payout, @Ctx() ctx: PaymentsContext): Promise<string> {
    return (await campaignNames(ctx, [payout.campaignId]))[0];
  }
}

/** A statement's lines and brand totals refer to the brand, campaign and partnership as federated references too (nullable: their owner decides). */
@Resolver(() => StatementLine)
export class StatementLineReferencesResolver {
  @FieldResolver(() => Brand, { nullable: true, description: 'The brand (campaign subgraph; null where it does not show it to you).' })
  brand(@Root() line: StatementLine): Brand {
    return { id: line.brandId };
  }

  @FieldResolver(() => Campaign, { nullable: true, description: 'The campaign (campaign subgraph, which shows it to its brand only).' })
  campaign(@Root() line: StatementLine): Campaign | null {
    return line.campaignId ? { id: line.campaignId } : null;
  }

  @FieldResolver(() => Partnership, { nullable: true, description: 'The partnership (campaign subgraph).' })
  partnership(@Root() line: StatementLine): Partnership | null {
    return line.partnershipId ? { id: line.partnershipId } : null;
  }
}

@Resolver(() => StatementBrandTotal)
export class StatementBrandReferenceResolver {
  @FieldResolver(() => Brand, { nullable: true, description: 'The brand (campaign subgraph; null where it does not show it to you).' })
  brand(@Root() total: StatementBrandTotal): Brand {
    return { id: total.brandId };
  }
}
