import { ASTVisitor, FragmentDefinitionNode, GraphQLError, Kind, SelectionSetNode, ValidationContext } from 'graphql';
import { ErrorCode } from '@influenceflow/kit';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
}

export const DEFAULT_LIMITS: QueryLimits = { maxDepth: 12, maxAliases: 30 };

function depthOf(set: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, seen: Set<string>): number {
  if (!set) return 0;
  let max = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      // Introspection (GraphiQL's query nests ofType 8 deep) is bounded by the schema itself, so it is
      // exempt by *field*; an operation merely *named* __schema gets no pass.
      if (sel.name.value === '__schema' || sel.name.value === '__type') continue;
      max = Math.max(max, 1 + depthOf(sel.selectionSet, fragments, seen));
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      max = Math.max(max, depthOf(sel.selectionSet, fragments, seen));
    } else {
      const name = sel.name.value;
      if (seen.has(name)) continue; // a fragment cycle is reported by graphql's own rules
      const frag = fragments[name];
      if (frag) max = Math.max(max, depthOf(frag.selectionSet, fragments, new Set([...seen, name])));
    }
  }
  return max;
}

/**
 * Validation rules that refuse operations too deep or with too many aliases before any subgraph is
 * called (the Apollo Gateway has no demand control of its own).
 */
export function limitRules(limits: QueryLimits = DEFAULT_LIMITS) {
  const depthRule = (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(node) {
      const fragments: Record<string, FragmentDefinitionNode> = {};
      for (const def of context.getDocument().definitions) {
        if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
      }
      const depth = depthOf(node.selectionSet, fragments, new Set());
      if (depth > limits.maxDepth) {
        context.reportError(
          new GraphQLError(`The operation is ${depth} levels deep; the limit is ${limits.maxDepth}`, {
            nodes: [node],
            extensions: { code: ErrorCode.BAD_USER_INPUT, limit: 'depth' },
          }),
        );
      }
    },
  });
  const aliasRule = (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias) aliases++;
      },
      Document: {
        leave() {
          if (aliases > limits.maxAliases) {
            context.reportError(
              new GraphQLError(`The operation uses ${aliases} aliases; the limit is ${limits.maxAliases}`, {
                extensions: { code: ErrorCode.BAD_USER_INPUT, limit: 'aliases' },
              }),
            );
          }
        },
      },
    };
  };
  return [depthRule, aliasRule];
}
