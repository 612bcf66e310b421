import { identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import type { DataSource } from 'typeorm';
import { Creator } from '../src/creators/creator.entity';
import { importGenerated } from '../src/ingest/importer';
import { featuresOf } from '../src/lookalikes/lookalike.service';
import { rankLookalikes } from '../src/rules/similarity';
import { discoverySubgraph } from '../src/schema';

const BRAND = identities.brandMember('00000000-0000-4000-8000-000000000900');
const FIELDS = 'creator { id } score reasons parts { niche audience engagement size }';

type Lookalike = { creator: { id: string }; score: number; reasons: string[]; parts: Record<string, number> };

/** Lookalikes as they were computed before the pre-selection was batched: one query per creator. */
async function oneByOne(ds: DataSource, creatorId: string, first: number): Promise<Lookalike[]> {
  const target = await ds.getRepository(Creator).findOneByOrFail({ id: creatorId });
  const size = Math.max(target.followers, 1);
  const candidates = await ds
    .getRepository(Creator)
    .createQueryBuilder('c')
    .where('c.id <> :id', { id: target.id })
    .andWhere('c.niches && :niches', { niches: target.niches })
    .andWhere('c.followers BETWEEN :low AND :high', { low: Math.floor(size / 10), high: size * 10 })
    .orderBy('abs(ln(greatest(c.followers, 1)) - ln(:size))', 'ASC')
    .setParameter('size', size)
    .limit(500)
    .getMany();
  return rankLookalikes(featuresOf(target), candidates.map(featuresOf), first).map(({ id, score, reasons, parts }) => ({
    creator: { id },
    score,
    reasons,
    parts: { ...parts },
  }));
}

describe('lookalikes of many creators at once', () => {
  let sub: TestSubgraph;

  beforeAll(async () => {
    sub = await startTestSubgraph(discoverySubgraph);
    await importGenerated({ count: 400, seed: 'lookalikes', lite: true }, { databaseUrl: sub.config.databaseUrl });
  }, 120_000);
  afterAll(() => sub?.close());

  it('are the lookalikes each creator had with a query of its own', async () => {
    const r = await sub.query<{ creators: { edges: { node: { id: string; lookalikes: Lookalike[] } }[] } }>(
      `{ creators(first: 80) { edges { node { id lookalikes(first: 10) { ${FIELDS} } } } } }`,
      {},
      BRAND,
    );
    expect(r.errors).toBeUndefined();
    const nodes = r.data!.creators.edges.map((e) => e.node);
    expect(nodes).toHaveLength(80);
    // Enough of them have lookalikes (and the full ten) for the comparison to mean something.
    expect(nodes.filter((n) => n.lookalikes.length === 10).length).toBeGreaterThan(40);
    for (const node of nodes) expect(node.lookalikes).toEqual(await oneByOne(sub.runtime.dataSource, node.id, 10));
  });

  it('keep refusing a `first` out of range, with the field', async () => {
    const r = await sub.query(`{ creators(first: 2) { edges { node { lookalikes(first: 51) { score } } } } }`, {}, BRAND);
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});
