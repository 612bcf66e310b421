import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, getNullableType, isListType, isLeafType, getNamedType } from 'graphql';
import { ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import { ErrorCode, MAX_PAGE_SIZE } from '@influenceflow/kit';

/**
 * What one operation may ask of the gateway. Depth, aliases, directives, tokens and the shape cost are
 * graphql-armor's (at or below its defaults); `maxWork` is ours: an estimate of the rows and computations
 * the operation costs once list sizes multiply (armor's cost does not look at `first`). docs/security.md
 * explains each value.
 */
export interface QueryLimits {
  /** Nesting of fields. A Relay connection costs two levels (edges, node), a federation hop none. */
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Tokens of the document: bounds what the parser does before anything else is checked. */
  maxTokens: number;
  /** graphql-armor's cost of the selection set itself (objects 2, scalars 1, × 1.5 per level). */
  maxCost: number;
  /** Our list-aware estimate (FIELD_COSTS, `first` multiplying what it selects). */
  maxWork: number;
}

export const DEFAULT_LIMITS: QueryLimits = {
  // armor's default is 6; the deepest screens of the schema go to 10 (a campaign's partnerships' creator's
  // accounts' audience shares: campaign › partnerships › edges › node › creator › accounts › audience ›
  // ages › key is 9), so 10 it is, with the work estimate below bounding what depth could multiply.
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 1000,
  maxCost: 5000,
  maxWork: 10_000,
};

/**
 * The work of computed fields beyond reading a row: searches, counts and facets over all matches, the
 * lookalike ranking. Any other object field costs 1 and a scalar 0 (it comes with its row).
 */
export const FIELD_COSTS: Readonly<Record<string, number>> = {
  'Query.searchCreators': 10,
  'CreatorSearchConnection.totalCount': 20,
  'CreatorSearchConnection.facets': 50,
  'Creator.lookalikes': 25,
  'Creator.audienceMatch': 2,
  'Creator.authenticity': 2,
  'PlatformAccount.authenticity': 2,
};

/** A list with no `first` argument is assumed to hold this many items (accounts: at most one per platform). */
export const UNPAGED_LIST_SIZE = 10;

/**
 * The estimator: a field's own cost, plus what it selects times how many items it returns: `first` when it
 * has one (else its default, else MAX_PAGE_SIZE), UNPAGED_LIST_SIZE for other lists, 1 for the edges of a
 * connection (its field's `first` counted them already) and for objects.
 */
export const workEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  // Introspection reads the schema in memory; it is off in production and bounded by the schema's size.
  if (field.name.startsWith('__') || type.name.startsWith('__')) return 0;
  const own = FIELD_COSTS[`${type.name}.${field.name}`] ?? (isLeafType(getNamedType(field.type)) ? 0 : 1);
  const paged = field.args.some((a) => a.name === 'first');
  let items = 1;
  if (paged) items = typeof args.first === 'number' ? Math.max(0, args.first) : MAX_PAGE_SIZE;
  else if (isListType(getNullableType(field.type)) && !type.name.endsWith('Connection')) items = UNPAGED_LIST_SIZE;
  return own + items * childComplexity;
};

function refused(message: string, limit: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, limit, http: { status: 400 } } });
}

/** Computes the work estimate once variables are known (validation runs before them, and is cached). */
function workLimitPlugin<C extends BaseContext>(maxWork: number): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          let work: number;
          try {
            work = getComplexity({
              schema,
              query: document,
              variables: request.variables ?? {},
              operationName: operationName ?? undefined,
              estimators: [workEstimator],
            });
          } catch {
            // Variables that do not fit the operation: the input guard and GraphQL's own coercion refuse
            // them (with the field) before anything runs, so there is no work to bound.
            return;
          }
          if (work > maxWork) {
            throw refused(`The operation would cost about ${work} units of work; the limit is ${maxWork}: ask for smaller pages`, 'work');
          }
        },
      };
    },
  };
}

/** graphql-armor's protections and the work limit, ready to spread into the ApolloServer options. */
export function queryLimits<C extends BaseContext>(limits: QueryLimits, options: { hideSuggestions: boolean }) {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: limits.maxAliases, allowList: [] },
    maxDirectives: { n: limits.maxDirectives },
    // graphql-armor's token plugin throws from a parsing hook, which Apollo answers with a 500; graphql-js
    // counts tokens in the parser itself (`parseOptions`), refused as a parse error (400).
    maxTokens: { enabled: false },
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true },
    blockFieldSuggestion: { enabled: options.hideSuggestions },
  }).protect();
  return {
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: armor.validationRules,
    plugins: [...(armor.plugins as ApolloServerPlugin<C>[]), workLimitPlugin<C>(limits.maxWork)],
  };
}
