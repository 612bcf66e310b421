import { randomUUID } from 'node:crypto';
import { Arg, Args, ArgsType, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import type { EntityManager } from 'typeorm';
import { badInput, ConnectionType, decodeCursor, InputProblems, isUuid, pageSize, RequestContext, toConnection } from '@influenceflow/kit';
import { commentContribution } from '../rollups/contributions';
import { addToDays } from '../rollups/rollup-store';
import { classifySentiment, SENTIMENT_MODEL } from '../sentiment/sentiment';
import { BrandTerms, findMentions, Mention } from '../sentiment/mentions';
import type { AnalyticsContext } from '../services';
import type { DeliverableRow, Submitter } from './posts.service';

export const MAX_COMMENTS = 500;
const MAX_BODY = 10_000;
const MAX_TERMS = 50;

@InputType({ description: 'A comment under a post, as the platform shows it.' })
export class PostCommentInput {
  @Field(() => String, { description: "The platform's id of the comment: the same id again is the same comment." }) externalId: string;
  @Field(() => String, { description: `Its text (at most ${MAX_BODY} characters).` }) body: string;
  @Field(() => GraphQLDateTimeISO) postedAt: Date;
}

@ObjectType({ description: 'Where a comment or caption names the brand, one of its products or handles.' })
export class MentionSpan {
  @Field(() => String) term: string;
  @Field(() => String, { description: 'brand, product, handle or hashtag.' }) kind: string;
  @Field(() => String, { description: 'The words as written.' }) text: string;
  @Field(() => Int) start: number;
  @Field(() => Int) end: number;
}

@ObjectType({ description: 'A comment or caption that names the brand or its products (social listening).' })
export class BrandMention {
  @Field(() => ID) id: string;
  @Field(() => ID) deliverableId: string;
  @Field(() => ID) partnershipId: string;
  @Field(() => String, { description: 'comment or caption.' }) source: string;
  @Field(() => String, {
    description:
      'Who submitted it: brand (a brand member), creator (the post’s creator themself), connector (the creator’s connected account), or unknown (stored before this was kept).',
  })
  reportedBy: string;
  @Field(() => String) body: string;
  @Field(() => GraphQLDateTimeISO) postedAt: Date;
  @Field(() => String, { description: 'positive, neutral or negative (captions: the creator’s own words).' }) sentiment: string;
  @Field(() => Boolean, { description: 'Posted by the last day of the campaign; after it, the campaign still talked about.' })
  duringCampaign: boolean;
  @Field(() => [MentionSpan]) mentions: MentionSpan[];
}

@ObjectType()
export class BrandMentionConnection extends ConnectionType(BrandMention) {}

@ArgsType()
export class BrandMentionArgs {
  @Field(() => ID) campaignId: string;
  @Field(() => Int, { nullable: true, defaultValue: 20 }) first?: number | null;
  @Field(() => String, { nullable: true }) after?: string | null;
}

@ObjectType({ description: 'What a brand is mentioned by, besides its name.' })
export class BrandTermsResult {
  @Field(() => [String]) products: string[];
  @Field(() => [String]) handles: string[];
}

/**
 * Comments under the posts of a campaign, each classified (docs/sentiment.md) and searched for the brand's
 * name, products and handles; a post's caption is searched too. Kept once per platform id, rolled up.
 */
export class CommentsService {
  async termsOf(db: EntityManager, brandId: string): Promise<BrandTerms> {
    const [row] = (await db.query(
      `SELECT (SELECT brand_name FROM partnership_facts WHERE brand_id = $1 AND brand_name IS NOT NULL LIMIT 1) AS brand_name,
              t.products, t.handles FROM (SELECT 1) one LEFT JOIN brand_terms t ON t.brand_id = $1`,
      [brandId],
    )) as { brand_name: string | null; products: string[] | null; handles: string[] | null }[];
    return { brandName: row?.brand_name ?? '', products: row?.products ?? [], handles: row?.handles ?? [] };
  }

  checkComments(comments: PostCommentInput[], field = 'comments'): void {
    if (comments.length > MAX_COMMENTS) throw badInput(field, `must hold at most ${MAX_COMMENTS} comments`);
    const problems = new InputProblems();
    comments.forEach((c, i) => {
      const id = c.externalId?.trim() ?? '';
      if (!id || id.length > 200) problems.add(`${field}.${i}.externalId`, 'must be 1–200 characters');
      if (c.body.length > MAX_BODY) problems.add(`${field}.${i}.body`, `must be at most ${MAX_BODY} characters`);
      if (Number.isNaN(c.postedAt?.getTime())) problems.add(`${field}.${i}.postedAt`, 'must be an ISO 8601 time');
    });
    problems.throwIfAny();
  }

  /** Stores new comments (and the caption, when given), classified, and rolls them up; returns how many were new. */
  async record(
    db: EntityManager,
    d: DeliverableRow,
    comments: PostCommentInput[],
    caption: { body: string; postedAt: Date } | null,
    by: Submitter,
  ): Promise<number> {
    const terms = await this.termsOf(db, d.brand_id);
    const rows = [
      ...comments.map((c) => ({ kind: 'comment' as const, externalId: c.externalId.trim(), body: c.body, postedAt: c.postedAt })),
      ...(caption ? [{ kind: 'caption' as const, externalId: 'caption', body: caption.body, postedAt: caption.postedAt }] : []),
    ].map((c) => ({
      ...c,
      sentiment: classifySentiment(c.body),
      mentions: terms.brandName || terms.products.length ? findMentions(c.body, terms) : [],
    }));
    if (rows.length === 0) return 0;
    const stored = (await db.query(
      `INSERT INTO post_comments (id, deliverable_id, external_id, body, posted_at, sentiment, sentiment_score, mentions, kind, sentiment_model, source, submitted_by)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::float8[], $8::jsonb[], $9::text[], $10::text[], $11::text[], $12::text[])
       ON CONFLICT (deliverable_id, external_id) DO NOTHING RETURNING external_id`,
      [
        rows.map(() => randomUUID()),
        rows.map(() => d.deliverable_id),
        rows.map((r) => r.externalId),
        rows.map((r) => r.body),
        rows.map((r) => r.postedAt.toISOString()),
        rows.map((r) => r.sentiment.label),
        rows.map((r) => r.sentiment.score),
        rows.map((r) => JSON.stringify(r.mentions)),
        rows.map((r) => r.kind),
        rows.map(() => SENTIMENT_MODEL),
        rows.map(() => by.source),
        rows.map(() => by.sub),
      ],
    )) as { external_id: string }[];
    const isNew = new Set(stored.map((s) => s.external_id));
    await addToDays(
      db,
      rows
        .filter((r) => isNew.has(r.externalId))
        .flatMap((r) =>
          commentContribution({
            partnershipId: d.partnership_id,
            kind: r.kind,
            postedAt: r.postedAt,
            sentiment: r.sentiment.label,
            mentions: r.mentions.length,
          }),
        ),
    );
    return stored.length;
  }

  async setTerms(ctx: RequestContext, brandId: string, products: string[], handles: string[]): Promise<BrandTermsResult> {
    if (!isUuid(brandId)) throw badInput('brandId', 'must be a UUID');
    ctx.requireBrand(brandId, ['brand_member']);
    const problems = new InputProblems();
    const clean = (list: string[], field: string) => {
      if (list.length > MAX_TERMS) problems.add(field, `must hold at most ${MAX_TERMS} terms`);
      list.forEach((t, i) => {
        if (t.trim().length < 2 || t.trim().length > 200) problems.add(`${field}.${i}`, 'must be 2–200 characters');
      });
      return [...new Set(list.map((t) => t.trim()))];
    };
    const p = clean(products, 'products');
    const h = clean(handles, 'handles').map((x) => x.replace(/^@/, ''));
    problems.throwIfAny();
    await ctx.dataSource.query(
      `INSERT INTO brand_terms (brand_id, products, handles) VALUES ($1, $2, $3)
       ON CONFLICT (brand_id) DO UPDATE SET products = EXCLUDED.products, handles = EXCLUDED.handles, updated_at = now()`,
      [brandId, p, h],
    );
    return Object.assign(new BrandTermsResult(), { products: p, handles: h });
  }

  async mentions(ctx: AnalyticsContext, campaignId: string, first: number | null | undefined, after: string | null | undefined) {
    const fact = await ctx.services.reports.readableCampaign(ctx, campaignId);
    const limit = pageSize(first);
    const params: unknown[] = [campaignId, fact.endsOn];
    let filter = '';
    if (after) {
      const [at, id] = decodeCursor(after, ['timestamp', 'uuid']);
      filter = ` AND (c.posted_at, c.id) < ($${params.push(at)}::timestamptz, $${params.push(id)}::uuid)`;
    }
    const rows = (await ctx.dataSource.query(
      `SELECT c.id, c.deliverable_id, d.partnership_id, c.kind, c.source AS reported_by, c.body, c.posted_at, c.sentiment, c.mentions,
              ($2::date IS NULL OR c.posted_at < ($2::date + 1)::timestamptz) AS during
         FROM post_comments c JOIN deliverable_facts d ON d.deliverable_id = c.deliverable_id
        WHERE d.campaign_id = $1 AND c.mentions <> '[]'${filter}
        ORDER BY c.posted_at DESC, c.id DESC LIMIT ${limit + 1}`,
      params,
    )) as {
      id: string;
      deliverable_id: string;
      partnership_id: string;
      kind: string;
      reported_by: string;
      body: string;
      posted_at: Date;
      sentiment: string;
      mentions: Mention[];
      during: boolean;
    }[];
    const nodes = rows.map((r) =>
      Object.assign(new BrandMention(), {
        id: r.id,
        deliverableId: r.deliverable_id,
        partnershipId: r.partnership_id,
        source: r.kind,
        reportedBy: r.reported_by,
        body: r.body,
        postedAt: r.posted_at,
        sentiment: r.sentiment,
        duringCampaign: r.during,
        mentions: r.mentions.map((m) => Object.assign(new MentionSpan(), m)),
      }),
    );
    return toConnection(nodes, limit, (m) => [m.postedAt.toISOString(), m.id], !!after);
  }
}

@Resolver()
export class CommentsResolver {
  @Mutation(() => Int, {
    description: `Comments under a deliverable's post (at most ${MAX_COMMENTS}) and, optionally, its caption, by the brand's members or the creator: classified by sentiment and searched for brand mentions; returns how many were new.`,
  })
  async recordPostComments(
    @Arg('deliverableId', () => ID) deliverableId: string,
    @Arg('comments', () => [PostCommentInput]) comments: PostCommentInput[],
    @Arg('caption', () => String, { nullable: true }) caption: string | null,
    @Arg('captionPostedAt', () => GraphQLDateTimeISO, { nullable: true, description: 'When the post went up (default: now).' })
    captionPostedAt: Date | null,
    @Ctx() ctx: AnalyticsContext,
  ): Promise<number> {
    const d = await ctx.services.posts.writableDeliverable(ctx, deliverableId);
    const by = ctx.services.posts.submitterOf(ctx, d);
    ctx.services.comments.checkComments(comments);
    if (caption !== null && caption !== undefined && caption.length > MAX_BODY)
      throw badInput('caption', `must be at most ${MAX_BODY} characters`);
    if (comments.length === 0 && !caption) throw badInput('comments', 'must hold a comment, or give the caption');
    return ctx.transaction((tx) =>
      ctx.services.comments.record(tx, d, comments, caption ? { body: caption, postedAt: captionPostedAt ?? new Date() } : null, by),
    );
  }

  @Mutation(() => BrandTermsResult, {
    description: "The brand's products and social handles its mentions are found by (besides its name); brand members only.",
  })
  setBrandTerms(
    @Arg('brandId', () => ID) brandId: string,
    @Arg('products', () => [String]) products: string[],
    @Arg('handles', () => [String], { defaultValue: [] }) handles: string[],
    @Ctx() ctx: AnalyticsContext,
  ): Promise<BrandTermsResult> {
    return ctx.services.comments.setTerms(ctx, brandId, products, handles);
  }

  @Query(() => BrandMentionConnection, {
    description: "Comments and captions of a campaign's posts that name the brand or its products, newest first.",
  })
  brandMentions(@Args(() => BrandMentionArgs) args: BrandMentionArgs, @Ctx() ctx: AnalyticsContext) {
    return ctx.services.comments.mentions(ctx, args.campaignId, args.first, args.after);
  }
}
