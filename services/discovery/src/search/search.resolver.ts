import type { GraphQLResolveInfo } from 'graphql';
import type { DiscoveryContext } from '../services';
import { Arg, Args, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { requestedFields } from '@influenceflow/kit';
import { Creator } from '../creators/creator.entity';
import { AUDIENCE_MATCH_FIELDS } from './search.service';
import { AudienceMatch, AudienceTargetInput, CreatorFacets, CreatorSearchConnection, SearchCreatorsArgs } from './search.types';

// Resolvers translate: who may search by or see an audience is decided by SearchService.

@Resolver(() => CreatorSearchConnection)
export class SearchResolver {
  @Query(() => CreatorSearchConnection, {
    description:
      'Finds creators by niche, platform, tier, followers, engagement rate, audience country and age, location, language, content style, price, authenticity and keywords (docs/discovery.md, "Search"), sorted as asked, with facet counts; cursor pagination stays stable across ties. ' +
      'What reads audiences (`filter.audienceCountries`, `filter.audienceAge`, `sort: AUDIENCE_MATCH`, `target`) is for brand members, analysts and admins: FORBIDDEN, with the field, for anyone else.',
  })
  async searchCreators(
    @Args() args: SearchCreatorsArgs,
    @Ctx() ctx: DiscoveryContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<CreatorSearchConnection> {
    // The page reads the columns of the fields asked for; an edge's audience match reads the audience.
    const fields = requestedFields(info, ['edges', 'node']) ?? new Set<string>();
    const withMatch = requestedFields(info, ['edges'])?.has('audienceMatch') ?? false;
    if (withMatch) for (const f of AUDIENCE_MATCH_FIELDS) fields.add(f);
    const result = await ctx.services.search.search(ctx, args, fields);
    const match = withMatch ? ctx.services.search.audienceMatcher(ctx, args.target) : null;
    return {
      ...result,
      edges: result.edges.map((edge) => ({ ...edge, audienceMatch: match ? match(edge.node) : null })),
    };
  }

  @FieldResolver(() => Int, { description: 'All matching creators (counted only when asked for).' })
  totalCount(@Root() connection: CreatorSearchConnection, @Ctx() ctx: DiscoveryContext): Promise<number> {
    return ctx.services.search.totalCount(ctx, connection.query);
  }

  @FieldResolver(() => CreatorFacets, { description: 'Counts per niche, platform, tier and country over all matches.' })
  facets(@Root() connection: CreatorSearchConnection, @Ctx() ctx: DiscoveryContext): Promise<CreatorFacets> {
    return ctx.services.search.facets(ctx, connection.query);
  }
}

@Resolver(() => Creator)
export class CreatorAudienceMatchResolver {
  @FieldResolver(() => AudienceMatch, {
    nullable: true,
    description:
      "How well this creator's audience fits a target (null for an empty target, and for callers who may not see the audience: anonymous callers and other creators).",
  })
  audienceMatch(
    @Root() creator: Creator,
    @Ctx() ctx: DiscoveryContext,
    @Arg('target', () => AudienceTargetInput) target: AudienceTargetInput,
  ): AudienceMatch | null {
    return ctx.services.search.audienceMatcher(ctx, target)?.(creator) ?? null;
  }
}
