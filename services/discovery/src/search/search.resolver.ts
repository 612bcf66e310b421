import { Arg, Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '@influenceflow/kit';
import { audienceMatch, AudienceTarget } from '../rules/audience-match';
import { Creator } from '../creators/creator.entity';
import { SearchService, targetOf } from './search.service';
import { AudienceMatch, AudienceTargetInput, CreatorFacets, CreatorSearchConnection, SearchCreatorsArgs } from './search.types';
import { AccountService } from '../accounts/account.service';
import { headlineAccount } from './search-profile';

const search = new SearchService();
const accounts = new AccountService();

/** Audience match of a creator, from the headline account's audience, as the SQL sort scores it. */
async function matchOf(ctx: RequestContext, creator: Creator, target: AudienceTarget | null): Promise<AudienceMatch | null> {
  if (!target) return null;
  const headline = headlineAccount(await accounts.accountsOf(ctx, creator.id));
  const match = audienceMatch(target, headline?.audience ?? null, creator.platforms);
  return match.score === null ? null : (match as AudienceMatch);
}

@Resolver(() => CreatorSearchConnection)
export class SearchResolver {
  @Query(() => CreatorSearchConnection, {
    description:
      'Finds creators by every filter of PRODUCT.md, sorted as asked, with facet counts; cursor pagination stays stable across ties. Public data only.',
  })
  async searchCreators(@Args() args: SearchCreatorsArgs, @Ctx() ctx: RequestContext): Promise<CreatorSearchConnection> {
    const result = await search.search(ctx, args);
    const target = targetOf(args.target);
    const edges = await Promise.all(
      result.edges.map(async (edge) => {
        return { ...edge, audienceMatch: target ? await matchOf(ctx, edge.node, target) : null };
      }),
    );
    return { ...result, edges };
  }

  @FieldResolver(() => Int, { description: 'All matching creators (counted only when asked for).' })
  totalCount(@Root() connection: CreatorSearchConnection, @Ctx() ctx: RequestContext): Promise<number> {
    return search.totalCount(ctx, connection.query);
  }

  @FieldResolver(() => CreatorFacets, { description: 'Counts per niche, platform, tier and country over all matches.' })
  facets(@Root() connection: CreatorSearchConnection, @Ctx() ctx: RequestContext): Promise<CreatorFacets> {
    return search.facets(ctx, connection.query);
  }
}

@Resolver(() => Creator)
export class CreatorAudienceMatchResolver {
  @FieldResolver(() => AudienceMatch, {
    nullable: true,
    description: "How well this creator's audience fits a target (null for an empty target).",
  })
  async audienceMatch(
    @Root() creator: Creator,
    @Arg('target', () => AudienceTargetInput) target: AudienceTargetInput,
    @Ctx() ctx: RequestContext,
  ): Promise<AudienceMatch | null> {
    return matchOf(ctx, creator, targetOf(target));
  }
}
