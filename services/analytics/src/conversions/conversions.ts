import { randomUUID } from 'node:crypto';
import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, registerEnumType, Resolver } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import type { EntityManager } from 'typeorm';
import { badInput, InputProblems, isUuid } from '@influenceflow/kit';
import { conversionContribution } from '../rollups/contributions';
import { addToDays } from '../rollups/rollup-store';
import { AttributionReason, landingParameters } from '../orders/attribution';
import type { OrderIntakeService } from '../orders/order-intake.service';
import { ORDER_LIMITS } from '../orders/order-api';
import type { AnalyticsContext } from '../services';

/** What a campaign drives besides orders: a B2B campaign on LinkedIn counts leads, an app campaign installs. */
export enum ConversionKind {
  LEAD = 'lead',
  SIGNUP = 'signup',
  INSTALL = 'install',
  OTHER = 'other',
}
registerEnumType(ConversionKind, { name: 'ConversionKind', description: 'A conversion other than an order.' });

@InputType({
  description: 'A lead, sign-up, install or other conversion, credited like an order (code, else click id, else UTM, within the window).',
})
export class ConversionInput {
  @Field(() => ConversionKind) kind: ConversionKind;
  @Field(() => String, { description: 'Your id of it (1–200 characters): the same kind and id again is the same conversion.' })
  externalId: string;
  @Field(() => GraphQLDateTimeISO) occurredAt: Date;
  @Field(() => String, { nullable: true, description: 'The click id the landing script kept.' }) clickId?: string | null;
  @Field(() => String, { nullable: true }) landingUrl?: string | null;
  @Field(() => String, { nullable: true }) discountCode?: string | null;
}

@ObjectType()
export class ConversionResult {
  @Field(() => ID) conversionId: string;
  @Field(() => String) externalId: string;
  @Field(() => Boolean) duplicate: boolean;
  @Field(() => ID, { nullable: true }) partnershipId: string | null;
  @Field(() => String) reason: string;
}

/** Other conversions: stored once each, attributed by the orders' rule, counted in the funnel. */
export class ConversionsService {
  constructor(private readonly orders: OrderIntakeService) {}

  async record(db: EntityManager, brandId: string, c: ConversionInput): Promise<ConversionResult> {
    const id = randomUUID();
    // the click it names, by the landing script or in its landing URL: what a later click.recorded is matched by
    const clickId = (c.clickId ?? landingParameters(c.landingUrl ?? null).clickId)?.toLowerCase() ?? null;
    const inserted = (await db.query(
      `INSERT INTO conversions (id, brand_id, kind, external_id, occurred_at, click_id, reason) VALUES ($1, $2, $3, $4, $5, $6, 'NO_REFERRAL')
       ON CONFLICT (brand_id, kind, external_id) DO NOTHING RETURNING id`,
      [id, brandId, c.kind, c.externalId.trim(), c.occurredAt, clickId],
    )) as unknown[];
    if (inserted.length === 0) {
      const [seen] = (await db.query(
        `SELECT id, partnership_id, reason FROM conversions WHERE brand_id = $1 AND kind = $2 AND external_id = $3`,
        [brandId, c.kind, c.externalId.trim()],
      )) as { id: string; partnership_id: string | null; reason: string }[];
      return Object.assign(new ConversionResult(), {
        conversionId: seen.id,
        externalId: c.externalId,
        duplicate: true,
        partnershipId: seen.partnership_id,
        reason: seen.reason,
      });
    }
    const a = await this.orders.attribution(db, {
      brandId,
      at: c.occurredAt,
      discountCodes: c.discountCode ? [c.discountCode] : [],
      landingUrl: c.landingUrl ?? null,
      clickId: c.clickId ?? null,
    });
    await this.settle(db, id, a.partnershipId, a.reason, a.clickId, c.occurredAt);
    return Object.assign(new ConversionResult(), {
      conversionId: id,
      externalId: c.externalId,
      duplicate: false,
      partnershipId: a.partnershipId,
      reason: a.reason,
    });
  }

  private async settle(db: EntityManager, id: string, partnershipId: string | null, reason: string, clickId: string | null, at: Date) {
    await db.query(
      `UPDATE conversions v SET partnership_id = $2, campaign_id = (SELECT campaign_id FROM partnership_facts WHERE partnership_id = $2), reason = $3, attributed_click_id = $4 WHERE id = $1`,
      [id, partnershipId, reason, clickId],
    );
    await addToDays(db, conversionContribution({ partnershipId, occurredAt: at }));
  }

  /** Of these click ids, those that conversions wait for (AWAITING_CLICK). */
  async awaitedAmong(db: EntityManager, clickIds: string[]): Promise<Set<string>> {
    const rows = (await db.query(`SELECT DISTINCT click_id FROM conversions WHERE click_id = ANY($1::text[]) AND reason = $2`, [
      clickIds,
      AttributionReason.AWAITING_CLICK,
    ])) as { click_id: string }[];
    return new Set(rows.map((r) => r.click_id));
  }

  /** A click analytics had not heard of arrived: the conversions that named it are credited now. */
  async onClickArrived(db: EntityManager, clickId: string): Promise<void> {
    const waiting = (await db.query(
      `SELECT id, brand_id, occurred_at, click_id FROM conversions WHERE click_id = $1 AND reason = $2 FOR UPDATE`,
      [clickId, AttributionReason.AWAITING_CLICK],
    )) as { id: string; brand_id: string; occurred_at: Date; click_id: string }[];
    for (const c of waiting) {
      const a = await this.orders.attribution(db, {
        brandId: c.brand_id,
        at: c.occurred_at,
        discountCodes: [],
        landingUrl: null,
        clickId: c.click_id,
      });
      await this.settle(db, c.id, a.partnershipId, a.reason, a.clickId, c.occurred_at);
    }
  }
}

@Resolver()
export class ConversionsResolver {
  @Mutation(() => [ConversionResult], {
    description: `Leads, sign-ups, installs (at most ${ORDER_LIMITS.batch}), by the brand's members; all or none.`,
  })
  async recordConversions(
    @Arg('brandId', () => ID) brandId: string,
    @Arg('conversions', () => [ConversionInput]) conversions: ConversionInput[],
    @Ctx() ctx: AnalyticsContext,
  ): Promise<ConversionResult[]> {
    if (!isUuid(brandId)) throw badInput('brandId', 'must be a UUID');
    ctx.requireBrand(brandId, ['brand_member']);
    if (conversions.length === 0 || conversions.length > ORDER_LIMITS.batch)
      throw badInput('conversions', `must hold 1 to ${ORDER_LIMITS.batch} conversions`);
    const problems = new InputProblems();
    conversions.forEach((c, i) => {
      const id = c.externalId?.trim() ?? '';
      if (!id || id.length > ORDER_LIMITS.externalId)
        problems.add(`conversions.${i}.externalId`, `must be 1–${ORDER_LIMITS.externalId} characters`);
      if (Number.isNaN(c.occurredAt?.getTime())) problems.add(`conversions.${i}.occurredAt`, 'must be an ISO 8601 time');
      if (c.landingUrl && c.landingUrl.length > ORDER_LIMITS.url)
        problems.add(`conversions.${i}.landingUrl`, `must be at most ${ORDER_LIMITS.url} characters`);
      if (c.clickId && c.clickId.length > 100) problems.add(`conversions.${i}.clickId`, 'must be at most 100 characters');
      if (c.discountCode && c.discountCode.length > ORDER_LIMITS.code)
        problems.add(`conversions.${i}.discountCode`, `must be at most ${ORDER_LIMITS.code} characters`);
    });
    problems.throwIfAny();
    return ctx.transaction(async (tx) => {
      const out: ConversionResult[] = [];
      for (const c of conversions) out.push(await ctx.services.conversions.record(tx, brandId, c));
      return out;
    });
  }
}
