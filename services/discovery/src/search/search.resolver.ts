import { Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '@influenceflow/kit';
import { audienceMatch } from '../rules/audience-match';
import { SearchService, targetOf } from './search.service';
import { AudienceMatch, CreatorFacets, CreatorSearchConnection, SearchCreatorsArgs } from './search.types';
import { AccountService } from '../accounts/account.service';
import { headlineAccount } from './search-profile';
import type { Platform as PlatformName } from '../rules/types';

const search = new SearchService();
const accounts = new AccountService();

type SearchQuery = Parameters<SearchService['totalCount']>[1];

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
        if (!target) return { ...edge, audienceMatch: null };
        // The parts are explained from the headline account's audience, as the SQL sort scored it.
        const headline = headlineAccount(await accounts.accountsOf(ctx, edge.node.id));
        const match = audienceMatch(target, headline?.audience ?? null, edge.node.platforms as PlatformName[]);
        return { ...edge, audienceMatch: match.score === null ? null : (match as AudienceMatch) };
      }),
    );
    return { ...result, edges };
  }

  @FieldResolver(() => Int, { description: 'All matching creators (counted only when asked for).' })
  totalCount(@Root() connection: CreatorSearchConnection, @Ctx() ctx: RequestContext): Promise<number> {
    return search.totalCount(ctx, connection.query as SearchQuery);
  }

  @FieldResolver(() => CreatorFacets, { description: 'Counts per niche, platform, tier and country over all matches.' })
  facets(@Root() connection: CreatorSearchConnection, @Ctx() ctx: RequestContext): Promise<CreatorFacets> {
    return search.facets(ctx, connection.query as SearchQuery);
  }
}
