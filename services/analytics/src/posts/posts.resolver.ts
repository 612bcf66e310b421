import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Resolver } from 'type-graphql';
import { GraphQLDateTimeISO, GraphQLSafeInt } from 'graphql-scalars';
import type { AnalyticsContext } from '../services';
import { MAX_SNAPSHOTS, PostSnapshot } from './posts.service';

@InputType({ description: "A post's counters at one time, as the platform shows them; leave out what it does not give." })
export class PostSnapshotInput {
  @Field(() => GraphQLDateTimeISO) takenAt: Date;
  @Field(() => GraphQLSafeInt, { nullable: true }) reach?: number | null;
  @Field(() => GraphQLSafeInt, { nullable: true }) impressions?: number | null;
  @Field(() => GraphQLSafeInt, { nullable: true }) likes?: number | null;
  @Field(() => GraphQLSafeInt, { nullable: true }) comments?: number | null;
  @Field(() => GraphQLSafeInt, { nullable: true }) shares?: number | null;
  @Field(() => GraphQLSafeInt, { nullable: true }) saves?: number | null;
  @Field(() => GraphQLSafeInt, { nullable: true }) views?: number | null;
}

@Resolver()
export class PostsResolver {
  @Mutation(() => Int, {
    description: `Metric snapshots of a deliverable's post (at most ${MAX_SNAPSHOTS}), by the brand's members or the creator (who submitted each is kept: Results.creatorReportedPosts); returns how many were new (the same post and time again is kept as it was).`,
  })
  async recordPostMetrics(
    @Arg('deliverableId', () => ID) deliverableId: string,
    @Arg('snapshots', () => [PostSnapshotInput]) snapshots: PostSnapshotInput[],
    @Ctx() ctx: AnalyticsContext,
  ): Promise<number> {
    const posts = ctx.services.posts;
    const d = await posts.writableDeliverable(ctx, deliverableId);
    const parsed: PostSnapshot[] = snapshots.map((s) => ({
      takenAt: s.takenAt,
      values: {
        reach: s.reach ?? null,
        impressions: s.impressions ?? null,
        likes: s.likes ?? null,
        comments: s.comments ?? null,
        shares: s.shares ?? null,
        saves: s.saves ?? null,
        views: s.views ?? null,
      },
    }));
    posts.checkSnapshots(parsed);
    const by = posts.submitterOf(ctx, d);
    return ctx.transaction((tx) => posts.record(tx, d, parsed, by));
  }
}
