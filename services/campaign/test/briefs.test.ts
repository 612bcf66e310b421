import { Identity } from '@influenceflow/kit';
import { identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { campaignSubgraph } from '../src/schema';
import { codeOf, newBrand, newCampaign, ok } from './support';

/** Briefs as partial updates: each version starts from the one before (docs/saves.md). */
describe('brief versions as partial updates', () => {
  let sub: TestSubgraph;
  let member: Identity;
  let brandId: string;
  const PUBLISH = `mutation($campaignId: ID!, $input: PublishBriefInput!) {
    publishBrief(campaignId: $campaignId, input: $input) {
      version brandStory tone creativeFreedom keyMessages dos requiredHashtags deliverables { platform format count dueOn }
    }
  }`;
  type Brief = {
    version: number;
    brandStory: string;
    tone: string;
    creativeFreedom: string;
    keyMessages: string[];
    dos: string[];
    requiredHashtags: string[];
    deliverables: { platform: string; format: string; count: number; dueOn: string }[];
  };
  const FIRST = {
    brandStory: 'Trail shoes for muddy mornings.',
    tone: 'Playful, never preachy',
    creativeFreedom: 'Film wherever you run',
    keyMessages: ['Grip in the wet'],
    dos: ['Show the sole'],
    requiredHashtags: ['#MudRun'],
    deliverables: [{ platform: 'INSTAGRAM', format: 'REEL', count: 1, dueOn: '2027-03-10' }],
  };
  const campaign = (overrides: Record<string, unknown> = {}) => ({
    brandId,
    name: 'Mud season',
    goal: { type: 'TRAFFIC', target: 500 },
    budget: { amountMinor: 500_000, currency: 'EUR' },
    startsOn: '2027-03-01',
    endsOn: '2027-04-30',
    ...overrides,
  });
  const briefs = async (campaignId: string) =>
    (await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM campaign_briefs WHERE campaign_id = $1`, [campaignId]))[0].n;

  beforeAll(async () => {
    sub = await startTestSubgraph(campaignSubgraph);
    brandId = await newBrand(sub, { name: 'Muddy' });
    member = identities.brandMember(brandId);
  }, 60_000);
  afterAll(() => sub?.close());

  it('keeps what a new version leaves out, clears what it sets to null, and changes only what it sends', async () => {
    const campaignId = await newCampaign(sub, member, campaign());
    const v1 = ok(await sub.query<{ publishBrief: Brief }>(PUBLISH, { campaignId, input: FIRST }, member)).publishBrief;
    expect(v1).toMatchObject({ version: 1, tone: FIRST.tone, requiredHashtags: ['mudrun'] });

    const v2 = ok(await sub.query<{ publishBrief: Brief }>(PUBLISH, { campaignId, input: { brandStory: 'Trail shoes for wet mornings.' } }, member))
      .publishBrief;
    expect(v2).toEqual({ ...v1, version: 2, brandStory: 'Trail shoes for wet mornings.' });

    const v3 = ok(
      await sub.query<{ publishBrief: Brief }>(PUBLISH, { campaignId, input: { tone: null, dos: null, keyMessages: ['Grip', 'Dry feet'] } }, member),
    ).publishBrief;
    expect(v3).toEqual({ ...v2, version: 3, tone: '', dos: [], keyMessages: ['Grip', 'Dry feet'] });
  });

  it('needs a brand story and deliverables in the first version, and never lets a later one clear them', async () => {
    const campaignId = await newCampaign(sub, member, campaign());
    const first = await sub.query(PUBLISH, { campaignId, input: { tone: 'Calm' } }, member);
    expect(codeOf(first)).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.brandStory',
      problems: [
        { field: 'input.brandStory', reason: 'the first version needs a brand story' },
        { field: 'input.deliverables', reason: 'give at least one deliverable' },
      ],
    });
    ok(await sub.query(PUBLISH, { campaignId, input: FIRST }, member));
    const cleared = await sub.query(PUBLISH, { campaignId, input: { brandStory: null, deliverables: null } }, member);
    expect(codeOf(cleared)).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: [
        { field: 'input.brandStory', reason: 'must not be empty: a brief always has a brand story' },
        { field: 'input.deliverables', reason: 'give at least one deliverable' },
      ],
    });
    expect(await briefs(campaignId)).toBe(1);
  });

  it('reports every bad field of one publication at once, and writes nothing', async () => {
    const campaignId = await newCampaign(sub, member, campaign());
    const r = await sub.query(
      PUBLISH,
      {
        campaignId,
        input: {
          ...FIRST,
          tone: 'x'.repeat(5_001),
          requiredHashtags: ['fine', 'not fine'],
          requiredLinks: ['ftp://files.example/brief'],
          deliverables: [
            { platform: 'INSTAGRAM', format: 'REEL', count: 0, dueOn: '2027-03-10' },
            { platform: 'TIKTOK', format: 'VIDEO', count: 1, dueOn: '2027-06-01' },
          ],
        },
      },
      member,
    );
    expect(r.errors).toHaveLength(1);
    expect(codeOf(r)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.tone' });
    expect((codeOf(r)!.problems as { field: string }[]).map((p) => p.field)).toEqual([
      'input.tone',
      'input.requiredHashtags.1',
      'input.requiredLinks.0',
      'input.deliverables.0.count',
      'input.deliverables.1.dueOn',
    ]);
    expect(r.errors![0].message).toMatch(/and 4 more: see problems/);
    expect(await briefs(campaignId)).toBe(0);
  });

  it("asks for new deliverables when the campaign's dates moved away from the ones carried over", async () => {
    const campaignId = await newCampaign(sub, member, campaign());
    ok(await sub.query(PUBLISH, { campaignId, input: FIRST }, member));
    await sub.runtime.dataSource.query(`UPDATE campaigns SET starts_on = '2027-04-01' WHERE id = $1`, [campaignId]);
    const r = await sub.query(PUBLISH, { campaignId, input: { tone: 'Calm' } }, member);
    expect(codeOf(r)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.deliverables' });
    expect(r.errors![0].message).toMatch(/1 of the previous version's deliverables fall outside the campaign \(2027-04-01 to 2027-04-30\)/);
    expect(await briefs(campaignId)).toBe(1);
  });

  it('refuses an analyst, a creator and another brand before looking at the input', async () => {
    const campaignId = await newCampaign(sub, member, campaign());
    const bad = { tone: 'x'.repeat(5_001) };
    expect(codeOf(await sub.query(PUBLISH, { campaignId, input: bad }, identities.analyst(brandId)))).toMatchObject({ code: 'FORBIDDEN' });
    expect(codeOf(await sub.query(PUBLISH, { campaignId, input: bad }, identities.creator('00000000-0000-4000-8000-00000000c001')))).toMatchObject({
      code: 'NOT_FOUND',
    });
    const other = await newBrand(sub, { name: 'Rival' });
    expect(codeOf(await sub.query(PUBLISH, { campaignId, input: bad }, identities.brandMember(other)))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await briefs(campaignId)).toBe(0);
  });
});
