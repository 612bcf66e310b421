import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLFormattedError,
  Kind,
  OperationDefinitionNode,
  parse,
  SelectionSetNode,
  ValueNode,
} from 'graphql';
import { boundedMessage, ErrorCode, Logger } from '@influenceflow/kit';

/** A path in a subgraph fetch's own answer: `[field]` for a root fetch, `['_entities', i, field]` for entities. */
export type FetchPath = (string | number)[];

type Variables = Record<string, unknown> | undefined;

/** What a client reads when a service is down: the service's public name, nothing of how it is reached. */
export function unavailableMessage(subgraph: string | null, mutation: boolean): string {
  // production names no subgraph in errors: the path says what is missing
  const who = subgraph ? `The ${subgraph} service is` : "One of the platform's services is";
  return mutation
    ? `${who} not answering, so this change may not have been made: look before trying again. The rest of the answer is here.`
    : `${who} not answering; the rest of the answer is here.`;
}

function valueOf(value: ValueNode, variables: Variables): unknown {
  if (value.kind === Kind.BOOLEAN) return value.value;
  if (value.kind === Kind.VARIABLE) return variables?.[value.name.value];
  return undefined;
}

/** False for a selection that `@skip(if: true)` or `@include(if: false)` leaves out. */
function included(
  node: { directives?: readonly { name: { value: string }; arguments?: readonly { name: { value: string }; value: ValueNode }[] }[] },
  variables: Variables,
): boolean {
  for (const directive of node.directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const condition = directive.arguments?.find((a) => a.name.value === 'if');
    const value = condition ? valueOf(condition.value, variables) : undefined;
    if ((name === 'skip' && value === true) || (name === 'include' && value === false)) return false;
  }
  return true;
}

/**
 * The fields a selection set asks of an object of type `typename` (any type when undefined), by response
 * name, through inline fragments and fragment spreads, without `__typename` (never missing: the gateway
 * knows it).
 */
function fieldsOf(
  selectionSet: SelectionSetNode,
  typename: string | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Variables,
  into = new Map<string, FieldNode>(),
): Map<string, FieldNode> {
  for (const selection of selectionSet.selections) {
    if (!included(selection, variables)) continue;
    if (selection.kind === Kind.FIELD) {
      const name = selection.alias?.value ?? selection.name.value;
      if (selection.name.value !== '__typename' && !into.has(name)) into.set(name, selection);
      continue;
    }
    const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
    if (!fragment) continue;
    const condition = fragment.typeCondition?.name.value;
    if (condition && typename && condition !== typename) continue;
    fieldsOf(fragment.selectionSet, typename, fragments, variables, into);
  }
  return into;
}

/**
 * The parts of its answer that a fetch which failed leaves missing: each root field it asked for, or,
 * for an entity fetch (`_entities(representations:)`), each field asked of each entity (the gateway turns
 * `['_entities', i, …]` into the entity's place in the client's answer).
 */
export function missingPaths(document: DocumentNode, variables: Variables): FetchPath[] {
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) return [];
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const roots = [...fieldsOf(operation.selectionSet, undefined, fragments, variables)];
  const entities = roots.length === 1 && roots[0][1].name.value === '_entities' ? roots[0] : null;
  if (!entities) return roots.map(([name]) => [name]);
  const [entitiesName, entitiesField] = entities;
  const representations = variables?.representations;
  if (!Array.isArray(representations) || !entitiesField.selectionSet) return [[entitiesName]];
  return representations.flatMap((representation, i) => {
    const typename = (representation as { __typename?: unknown } | null)?.__typename;
    const fields = [
      ...fieldsOf(entitiesField.selectionSet!, typeof typename === 'string' ? typename : undefined, fragments, variables).keys(),
    ];
    return fields.length > 0 ? fields.map((field) => [entitiesName, i, field]) : [[entitiesName, i]];
  });
}

/** The document of a fetch: the gateway's parsed one when it gives it, else parsed from its text. */
export function fetchDocument(document: DocumentNode | undefined, query: string | undefined): DocumentNode | null {
  if (document) return document;
  try {
    return query ? parse(query) : null;
  } catch {
    return null;
  }
}

/** The answer a failed fetch gets instead: one SUBGRAPH_UNAVAILABLE error per missing part, each with its path. */
export function unavailableAnswer(
  subgraph: string | null,
  document: DocumentNode | null,
  variables: Variables,
): { errors: GraphQLFormattedError[] } {
  const operation = document?.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const message = unavailableMessage(subgraph, operation?.operation === 'mutation');
  const extensions = { code: ErrorCode.SUBGRAPH_UNAVAILABLE };
  const paths = document ? missingPaths(document, variables) : [];
  // never without an error: a fetch whose parts cannot be named still says what is missing
  if (paths.length === 0) return { errors: [{ message, extensions }] };
  return { errors: paths.map((path) => ({ message, path, extensions })) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether a subgraph's answer is a GraphQL response the gateway can use: an object with `data` (an object,
 * or null beside errors) or a non-empty list of `errors`; for an entity fetch, `_entities` a list of one
 * entry per representation. Anything else (`{}`, an HTML page parsed as text, `data: null` alone, a short
 * `_entities`) is a subgraph that is not answering properly.
 */
export function isGraphQLAnswer(answer: unknown, representations: unknown): boolean {
  if (!isObject(answer)) return false;
  const { data, errors } = answer;
  if (errors !== undefined && !(Array.isArray(errors) && errors.every((e) => isObject(e) && typeof e.message === 'string'))) return false;
  const hasErrors = Array.isArray(errors) && errors.length > 0;
  if (data === undefined || data === null) return hasErrors;
  if (!isObject(data)) return false;
  if (!Array.isArray(representations)) return true;
  return Array.isArray(data._entities) && data._entities.length === representations.length;
}

/**
 * The errors of a refusal (a 4xx) whose body is a GraphQL response, to relay as the subgraph's own
 * answer (the kit's subgraphs refuse with a code: UNAUTHENTICATED for a signature, BAD_REQUEST for a body);
 * null when the body is not one.
 */
export function refusalErrors(err: unknown): GraphQLFormattedError[] | null {
  const response = (err as { extensions?: { response?: { status?: unknown; body?: unknown } } } | null)?.extensions?.response;
  if (!response || typeof response.status !== 'number' || response.status >= 500) return null;
  const body = response.body;
  if (!isObject(body) || !Array.isArray(body.errors) || body.errors.length === 0) return null;
  if (!body.errors.every((e) => isObject(e) && typeof e.message === 'string')) return null;
  return (body.errors as GraphQLFormattedError[]).map(({ message, extensions }) => ({
    message,
    ...(extensions ? { extensions } : {}),
  }));
}

/**
 * An answer that is all null always says why. When no fetch failed, Apollo Gateway reports a null it
 * could not complete (a subgraph's null for a non-null field, without an error) only in
 * `extensions.valueCompletion`; when that null reached the root (`data: null`) a client that reads
 * `errors` saw nothing wrong, so those are moved into `errors` (INTERNAL: a subgraph broke its own
 * schema), and logged. A null that stopped at a nullable field is the data model's own answer — an entity
 * the caller may not see, or that its subgraph does not know yet, resolves to null — and is left as it is.
 */
export function valueCompletionPlugin<C extends BaseContext>(logger: Logger): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const completion = result.extensions?.valueCompletion;
          if (!Array.isArray(completion) || completion.length === 0 || result.data != null) return;
          const { valueCompletion: _moved, ...extensions } = result.extensions ?? {};
          result.extensions = Object.keys(extensions).length > 0 ? extensions : undefined;
          if (result.errors?.length) return;
          logger.error({ valueCompletion: completion }, 'a subgraph answered null for a non-null field without an error');
          result.errors = (completion as { message?: unknown; path?: (string | number)[] }[]).map((e) => ({
            message: boundedMessage(typeof e.message === 'string' ? e.message : 'A value could not be completed'),
            ...(Array.isArray(e.path) ? { path: e.path } : {}),
            extensions: { code: ErrorCode.INTERNAL },
          }));
        },
      };
    },
  };
}
