import { identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { contractsSubgraph } from '../src/schema';

const brandA = '00000000-0000-4000-8000-0000000000a1';
const brandB = '00000000-0000-4000-8000-0000000000b2';
const CREATE = `mutation($input: CreateContractTemplateInput!) { createContractTemplate(input: $input) { id name variables version } }`;

describe('contract templates', () => {
  let sub: TestSubgraph;
  beforeAll(async () => {
    sub = await startTestSubgraph(contractsSubgraph);
  });
  afterAll(() => sub?.close());

  it('creates, reads and updates a template, re-deriving its variables', async () => {
    const created = await sub.query<{ createContractTemplate: { id: string; variables: string[]; version: number } }>(
      CREATE,
      { input: { brandId: brandA, name: 'Standard', body: '{{brand.name}} pays {{compensation.fee}} to {{creator.name}}' } },
      identities.brandMember(brandA),
    );
    expect(created.data!.createContractTemplate).toMatchObject({
      variables: ['brand.name', 'compensation.fee', 'creator.name'],
      version: 1,
    });
    const id = created.data!.createContractTemplate.id;
    const updated = await sub.query(
      `mutation($id: ID!) { updateContractTemplate(id: $id, input: { body: "{{ compensation.fee }} only{{#each milestones}} {{label}}{{/each}}" }) { variables version } }`,
      { id },
      identities.brandMember(brandA),
    );
    expect(updated.data).toEqual({
      updateContractTemplate: { variables: ['compensation.fee', 'milestones', 'milestones.label'], version: 2 },
    });
  });

  it("hides a brand's templates from other brands and refuses anonymous callers", async () => {
    const [row] = await sub.runtime.dataSource.query(`SELECT id FROM contract_templates LIMIT 1`);
    const foreign = await sub.query(`query($id: ID!) { contractTemplate(id: $id) { id } }`, { id: row.id }, identities.brandMember(brandB));
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const create = await sub.query(CREATE, { input: { brandId: brandA, name: 'x', body: 'y' } }, identities.brandMember(brandB));
    expect(create.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await sub.query(`query($b: ID!) { contractTemplates(brandId: $b) { edges { node { id } } } }`, { b: brandA }, null);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an unknown variable, a malformed placeholder and bad paging, writing nothing', async () => {
    const before = (await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM contract_templates`))[0].n;
    const unknown = await sub.query(
      CREATE,
      { input: { brandId: brandA, name: 'Typo', body: 'Dear {{creator.nmae}}, {{brand.name}} pays {{fee}}' } },
      identities.brandMember(brandA),
    );
    expect(unknown.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.body',
      variables: ['creator.nmae', 'fee'],
    });
    expect(unknown.errors?.[0].message).toContain('{{creator.nmae}}');
    const [row] = await sub.runtime.dataSource.query(`SELECT id FROM contract_templates LIMIT 1`);
    const update = await sub.query(
      `mutation($id: ID!) { updateContractTemplate(id: $id, input: { body: "{{#each deliverables}}{{price}}{{/each}}" }) { id } }`,
      { id: row.id },
      identities.brandMember(brandA),
    );
    expect(update.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.body', variables: ['price'] });
    const bad = await sub.query(
      CREATE,
      { input: { brandId: brandA, name: 'Bad', body: 'Dear {{brand.name' } },
      identities.brandMember(brandA),
    );
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.body' });
    expect((await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM contract_templates`))[0].n).toBe(before);
    for (const args of [{ first: 0 }, { first: 500 }, { after: 'not-a-cursor' }]) {
      const r = await sub.query(
        `query($b: ID!, $first: Int, $after: String) { contractTemplates(brandId: $b, first: $first, after: $after) { edges { cursor } } }`,
        { b: brandA, ...args },
        identities.brandMember(brandA),
      );
      expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('publishes the variables and the default agreement, which passes its own check', async () => {
    const r = await sub.query<{
      contractTemplateVariables: { name: string }[];
      defaultContractTemplate: { body: string; variables: string[] };
    }>(
      `{ contractTemplateVariables { name description } defaultContractTemplate { name version body variables } }`,
      {},
      identities.brandMember(brandA),
    );
    const names = r.data!.contractTemplateVariables.map((v) => v.name);
    expect(names).toEqual(expect.arrayContaining(['brand.name', 'usageRights.durationMonths', 'deliverables', 'milestones.trigger']));
    for (const v of r.data!.defaultContractTemplate.variables) expect(names).toContain(v);
    const saved = await sub.query<{ createContractTemplate: { variables: string[] } }>(
      CREATE,
      { input: { brandId: brandA, name: 'From the default', body: r.data!.defaultContractTemplate.body } },
      identities.brandMember(brandA),
    );
    expect(saved.data!.createContractTemplate.variables).toEqual(r.data!.defaultContractTemplate.variables);
  });

  it('pages through every template of the brand exactly once', async () => {
    for (let i = 0; i < 5; i++)
      await sub.query(
        CREATE,
        { input: { brandId: brandA, name: `T${i}`, body: `Clause ${i}: {{brand.name}}` } },
        identities.brandMember(brandA),
      );
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const r: {
        data?: { contractTemplates: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } | null;
      } = await sub.query(
        `query($b: ID!, $after: String) { contractTemplates(brandId: $b, first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
        { b: brandA, after },
        identities.brandMember(brandA),
      );
      seen.push(...r.data!.contractTemplates.edges.map((e) => e.node.id));
      if (!r.data!.contractTemplates.pageInfo.hasNextPage) break;
      after = r.data!.contractTemplates.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });

  it('reports every bad field of a template at once, and permission first', async () => {
    const brandC = '00000000-0000-4000-8000-0000000000c3';
    const count = async () =>
      (await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM contract_templates WHERE brand_id = $1`, [brandC]))[0].n;
    const input = { brandId: brandC, name: ' ', body: 'Dear {{1x}}' };
    const bad = await sub.query(CREATE, { input }, identities.brandMember(brandC));
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    expect((bad.errors![0].extensions!.problems as { field: string }[]).map((p) => p.field)).toEqual(['input.name', 'input.body']);
    expect(await count()).toBe(0);
    for (const who of [
      identities.analyst(brandC),
      identities.creator('00000000-0000-4000-8000-0000000000c4'),
      identities.brandMember(brandB),
    ]) {
      const refused = await sub.query(CREATE, { input }, who);
      expect(refused.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN' });
      expect(refused.errors![0].extensions!.problems).toBeUndefined();
    }
  });

  it('updates partially: a field left out stays, neither name nor body can be cleared, an unchanged save keeps the version', async () => {
    const brandD = '00000000-0000-4000-8000-0000000000d4';
    const member = identities.brandMember(brandD);
    const created = await sub.query<{ createContractTemplate: { id: string } }>(
      CREATE,
      { input: { brandId: brandD, name: 'Partial', body: 'Pay {{compensation.fee}}' } },
      member,
    );
    const id = created.data!.createContractTemplate.id;
    const UPDATE = `mutation($id: ID!, $input: UpdateContractTemplateInput!) { updateContractTemplate(id: $id, input: $input) { name body variables version } }`;
    const renamed = await sub.query(UPDATE, { id, input: { name: 'Renamed' } }, member);
    expect(renamed.data).toEqual({ updateContractTemplate: { name: 'Renamed', body: 'Pay {{compensation.fee}}', variables: ['compensation.fee'], version: 2 } });

    const cleared = await sub.query(UPDATE, { id, input: { name: null, body: null } }, member);
    expect(cleared.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [
        { field: 'input.name', reason: 'cannot be cleared: a template always has a name' },
        { field: 'input.body', reason: 'cannot be cleared: a template always has a body' },
      ],
    });
    const both = await sub.query(UPDATE, { id, input: { name: 'x'.repeat(201), body: '{{ }}' } }, member);
    expect((both.errors![0].extensions!.problems as { field: string }[]).map((p) => p.field)).toEqual(['input.name', 'input.body']);
    const foreign = await sub.query(UPDATE, { id, input: { name: null } }, identities.brandMember(brandB));
    expect(foreign.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });

    const same = await sub.query(UPDATE, { id, input: { name: 'Renamed' } }, member);
    expect(same.data).toEqual({ updateContractTemplate: { name: 'Renamed', body: 'Pay {{compensation.fee}}', variables: ['compensation.fee'], version: 2 } });
    const [row] = await sub.runtime.dataSource.query(`SELECT name, body, version FROM contract_templates WHERE id = $1`, [id]);
    expect(row).toEqual({ name: 'Renamed', body: 'Pay {{compensation.fee}}', version: 2 });
  });
});
