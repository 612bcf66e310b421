import { FragmentDefinitionNode, OperationDefinitionNode, parse, FieldNode } from 'graphql';
import { requestedFields } from './requested-fields';

/** The info a resolver of the document's first top-level field would get. */
function infoOf(document: string) {
  const doc = parse(document);
  const operation = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  const fragments = Object.fromEntries(
    doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((f) => [f.name.value, f]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments };
}

describe('requestedFields', () => {
  it('lists the fields selected at a path, through fragments, inline fragments and aliases', () => {
    const info = infoOf(`
      query { search { edges { cursor node { id handle ...Stats ... on Creator { bio } n: niches __typename } } pageInfo { hasNextPage } } }
      fragment Stats on Creator { followers engagementRate ...More }
      fragment More on Creator { followers tier }
    `);
    expect([...requestedFields(info, ['edges', 'node'])!].sort()).toEqual([
      'bio',
      'engagementRate',
      'followers',
      'handle',
      'id',
      'niches',
      'tier',
    ]);
    expect([...requestedFields(info, ['edges'])!].sort()).toEqual(['cursor', 'node']);
    expect([...requestedFields(info, [])!].sort()).toEqual(['edges', 'pageInfo']);
  });

  it('is null when nothing is selected at the path', () => {
    expect(requestedFields(infoOf(`{ search { pageInfo { hasNextPage } } }`), ['edges', 'node'])).toBeNull();
  });

  it('follows a fragment that spreads itself only once', () => {
    const info = infoOf(`{ search { edges { node { ...A } } } } fragment A on Creator { id ...A }`);
    expect([...requestedFields(info, ['edges', 'node'])!]).toEqual(['id']);
  });
});
