import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { DocumentNode, GraphQLError, GraphQLFormattedError, getNullableType, isListType, isLeafType, getNamedType, visit } from 'graphql';
import { ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import { ErrorCode, MAX_PAGE_SIZE } from '@influenceflow/kit';

/**
 * What one operation may ask of the gateway. Depth, aliases and directives are graphql-armor's, tokens
 * graphql-js's own parser limit (at or below armor's defaults, depth excepted: see below); the cost is our
 * list-aware work estimate (graphql-query-complexity), in place of armor's cost limit. docs/security.md
 * explains each value.
 *
 * Why not armor's cost: it multiplies by `first` only when `first` is a literal (a variable counts 1) and
 * by 1.5 per level, so it refused a campaign dashboard written with `first: 20` (8,388 > 5,000) and
 * accepted the same operation with `first: $n`: it punished honest clients and bounded nobody. The work
 * estimate is computed per request with the variables known.
 */
export interface QueryLimits {
  /** Nesting of fields. A Relay connection costs two levels (edges, node), a federation hop none. */
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Tokens of the document: bounds what the parser does before anything else is checked. */
  maxTokens: number;
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

/**
 * The variables an estimate can depend on: those in a `first` argument (the estimator reads only `first`)
 * or in a directive (`@include(if: $x)` and `@skip` change what is counted). Other variables (ids,
 * filters) leave the estimate as it is.
 */
function estimateVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  const collect = (node: Parameters<typeof visit>[0]) =>
    visit(node, {
      Variable: (v) => {
        names.add(v.name.value);
      },
    });
  visit(document, {
    Argument: (arg) => {
      if (arg.name.value === 'first') collect(arg.value);
    },
    Directive: (directive) => {
      collect(directive);
      return false;
    },
    // the variables' own definitions are not uses
    VariableDefinition: () => false,
  });
  return [...names].sort();
}

/** Estimates kept per parsed document, by the values of the variables they depend on. */
const MAX_ESTIMATES_PER_DOCUMENT = 64;
interface Estimates {
  variables: string[];
  byKey: Map<string, number>;
}

/**
 * Computes the work estimate once variables are known (validation runs before them, and is cached).
 * Apollo reuses the parsed document for each request of the same query text, and the estimate of a
 * document depends only on the operation and the variables in `first` and in directives: it is computed
 * once per such combination (a few dozen per document at most), not on every request. It was a twentieth
 * of the gateway's CPU time under load (docs/gateway-bench.md).
 */
function workLimitPlugin<C extends BaseContext>(maxWork: number): ApolloServerPlugin<C> {
  const estimates = new WeakMap<DocumentNode, Estimates>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          let known = estimates.get(document);
          if (!known) estimates.set(document, (known = { variables: estimateVariables(document), byKey: new Map() }));
          const variables = request.variables ?? {};
          // a variable left out (its default applies) and one sent as null count differently
          const given = (name: string) => (Object.prototype.hasOwnProperty.call(variables, name) ? [variables[name]] : []);
          const key = JSON.stringify([operationName ?? null, ...known.variables.map(given)]);
          let work = known.byKey.get(key);
          if (work === undefined) {
            try {
              work = getComplexity({
                schema,
                query: document,
                variables,
                operationName: operationName ?? undefined,
                estimators: [workEstimator],
              });
            } catch {
              // Variables that do not fit the operation: the input guard and GraphQL's own coercion refuse
              // them (with the field) before anything runs, so there is no work to bound.
              return;
            }
            if (known.byKey.size >= MAX_ESTIMATES_PER_DOCUMENT) known.byKey.clear();
            known.byKey.set(key, work);
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
    // Replaced by the work estimate (see QueryLimits).
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: options.hideSuggestions },
  }).protect();
  return {
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: armor.validationRules,
    plugins: [...(armor.plugins as ApolloServerPlugin<C>[]), workLimitPlugin<C>(limits.maxWork)],
  };
}

/** The refusals of armor's rules and of the parser, by their messages: which limit, and plain words. */
const LIMIT_MESSAGES: { limit: string; pattern: RegExp; say: (n: string, found?: string) => string }[] = [
  {
    limit: 'depth',
    pattern: /^Syntax Error: Query depth limit of (\d+) exceeded, found (\d+)\.$/,
    say: (n, f) => `The operation is ${f} levels deep; the limit is ${n}`,
  },
  {
    limit: 'aliases',
    pattern: /^Syntax Error: Aliases limit of (\d+) exceeded, found (\d+)\.$/,
    say: (n, f) => `The operation uses ${f} aliases; the limit is ${n}`,
  },
  {
    limit: 'directives',
    pattern: /^Syntax Error: Directives limit of (\d+) exceeded, found (\d+)\.$/,
    say: (n, f) => `The operation uses ${f} directives; the limit is ${n}`,
  },
  {
    limit: 'tokens',
    pattern: /^Syntax Error: Document contains more th[ae]t (\d+) tokens\. Parsing aborted\.$/,
    say: (n) => `The operation has more than ${n} tokens; the limit is ${n}`,
  },
];

/** A refused operation names its limit (`extensions.limit`), like the work limit does. */
export function namedLimit(formatted: GraphQLFormattedError): GraphQLFormattedError {
  for (const { limit, pattern, say } of LIMIT_MESSAGES) {
    const m = pattern.exec(formatted.message);
    if (m) return { ...formatted, message: say(m[1], m[2]), extensions: { ...formatted.extensions, limit } };
  }
  return formatted;
}
