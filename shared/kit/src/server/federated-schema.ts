import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { buildSchema, createResolversMap, NonEmptyArray } from 'type-graphql';
import type { RequestContext } from './request-context';
import { FieldResolve, validateArgument, withArgumentProblems } from '../errors/argument-problems';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Constructor = Function;

/** Resolves an entity that the gateway asks for by key; must batch through a DataLoader. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each subgraph's context carries its own services
export type ReferenceResolver = (reference: { id: string }, ctx: RequestContext<any>) => Promise<unknown> | unknown;

export interface SchemaModule {
  resolvers: NonEmptyArray<Constructor>;
  /** Types no resolver returns directly, e.g. stubs of other subgraphs' entities. */
  orphanedTypes?: Constructor[];
  /** `__resolveReference` per entity type this subgraph owns or extends. */
  references?: Record<string, ReferenceResolver>;
}

const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag", "@interfaceObject"])`;

/** The subgraph's SDL as type-graphql prints it, with the federation link (what composition reads). */
export async function printSubgraphSdl(module: SchemaModule): Promise<string> {
  const schema = await buildTypeGraphqlSchema(module);
  return `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`;
}

function buildTypeGraphqlSchema(module: SchemaModule): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: module.resolvers,
    orphanedTypes: module.orphanedTypes,
    // Federation adds _entities/_service itself; type-graphql must not reject the partial schema.
    skipCheck: true,
    // class-validator, every problem named by its dotted path; a mutation's wait until its service has
    // checked permission (withArgumentProblems).
    validateFn: validateArgument,
  });
}

/**
 * type-graphql schema → printed SDL → `buildSubgraphSchema`, keeping type-graphql's resolvers and adding
 * `__resolveReference` for the entities (type-graphql alone knows nothing of federation).
 */
export async function buildFederatedSchema(module: SchemaModule): Promise<GraphQLSchema> {
  const schema = await buildTypeGraphqlSchema(module);
  const sdl = `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`;
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<RequestContext>;
  const mutationType = schema.getMutationType();
  if (mutationType) {
    // Each mutation reports its arguments' problems after its service checked permission (and with its own).
    const mutations = resolvers[mutationType.name] as Record<string, FieldResolve | { resolve?: FieldResolve }>;
    for (const [name, field] of Object.entries(mutations)) {
      if (typeof field === 'function') mutations[name] = withArgumentProblems(field);
      else if (typeof field?.resolve === 'function') field.resolve = withArgumentProblems(field.resolve);
    }
  }
  for (const [typeName, resolve] of Object.entries(module.references ?? {})) {
    resolvers[typeName] = {
      ...(resolvers[typeName] as object),
      __resolveReference: (reference: { id: string }, ctx: RequestContext) => resolve(reference, ctx),
    } as GraphQLResolverMap<RequestContext>[string];
  }
  return buildSubgraphSchema({ typeDefs: gql(sdl), resolvers: resolvers as GraphQLResolverMap<unknown> });
}
