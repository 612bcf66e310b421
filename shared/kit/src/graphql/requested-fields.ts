import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/**
 * The field names a query selects at `path` below the resolved field (e.g. ['edges', 'node'] under a
 * connection), fragments and inline fragments included, `__typename` and the like left out. A service
 * reads only the columns those need. Directives (@include, @skip) are not evaluated: a field they may
 * drop is still listed, which only reads a column more. Null when nothing is selected at `path`.
 */
export function requestedFields(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[]): Set<string> | null {
  let level: FieldNode[] = [...info.fieldNodes];
  for (const step of path) {
    level = level.flatMap((node) => fieldsOf(node.selectionSet, info.fragments).filter((f) => f.name.value === step));
    if (level.length === 0) return null;
  }
  const names = new Set<string>();
  for (const node of level) {
    for (const field of fieldsOf(node.selectionSet, info.fragments)) if (!field.name.value.startsWith('__')) names.add(field.name.value);
  }
  return names;
}

function fieldsOf(set: SelectionSetNode | undefined, fragments: GraphQLResolveInfo['fragments'], seen = new Set<string>()): FieldNode[] {
  if (!set) return [];
  return set.selections.flatMap((selection): FieldNode[] => {
    if (selection.kind === 'Field') return [selection];
    if (selection.kind === 'InlineFragment') return fieldsOf(selection.selectionSet, fragments, seen);
    const name = selection.name.value;
    if (seen.has(name) || !fragments[name]) return [];
    seen.add(name);
    return fieldsOf(fragments[name].selectionSet, fragments, seen);
  });
}
