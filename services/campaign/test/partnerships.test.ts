import { createEvent, Identity } from '@influenceflow/kit';
import { ContractExecutedData, TOPICS } from '@influenceflow/vocabulary';
import {
  eventually,
  identities,
  publishRawEvent,
  startTestSubgraph,
  TEST_KAFKA_BROKERS,
  testTopicPrefix,
  TestSubgraph,
} from '@influenceflow/kit/testing';
import { campaignSubgraph } from '../src/schema';
import { codeOf, knownCreators, newBrand, ok, outboxEvents } from './support';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const CREATOR = uuid(501);
const OTHER_CREATOR = uuid(502);
const UNKNOWN_CREATOR = uuid(599);

const CREATE_CAMPAIGN = `mutation($input: CreateCampaignInput!) {
  createCampaign(input: $input) { id platforms targetAudience { ages genders countries interests } }
}`;
const PUBLISH = `mutation($campaignId: ID!, $input: PublishBriefInput!) {
  publishBrief(campaignId: $campaignId, input: $input) { id version requiredHashtags requiredLinks deliverables { platform format count dueOn } }
}`;
const BRIEFS = `query($id: ID!, $v: Int) { campaign(id: $id) {
  brief { version brandStory } briefVersions { version keyMessages } old: brief(version: $v) { version brandStory }
} }`;
const INVITE = `mutation($input: InviteCreatorInput!) {
  inviteCreator(input: $input) { id status lengthMonths fee { amountMinor currency } commissionPercent deliverableTerms { platform count dueOn } }
}`;
const RESPOND = `mutation($id: ID!, $accept: Boolean!, $reason: String) {
  respondToInvitation(id: $id, accept: $accept, reason: $reason) { id status briefVersion statusReason }
}`;
const MOVE = `mutation($id: ID!, $status: PartnershipStatus!, $reason: String) {
  changePartnershipStatus(id: $id, status: $status, reason: $reason) { id status statusReason }
}`;
const PARTNERSHIP = `query($id: ID!) { partnership(id: $id) { id status briefVersion brief { version brandStory } campaign { id } creator { id } } }`;
const MINE = `query($statuses: [PartnershipStatus!]) { myPartnerships(statuses: $statuses) { edges { node { id status message } } } }`;
const CREATOR_PARTNERSHIPS = `query($reps: [_Any!]!) {
  _entities(representations: $reps) { ... on Creator { partnerships { edges { node { id brandId } } } } }
}`;

const BRIEF = {
  brandStory: 'Oat milk for people who run before work.',
  keyMessages: ['Barista quality', 'Made in Sweden'],
  requiredHashtags: ['#OatRun', 'ad'],
  requiredLinks: ['https://oaty.example/run'],
  deliverables: [{ platform: 'INSTAGRAM', format: 'REEL', count: 2, dueOn: '2027-03-10' }],
};

describe('briefs and partnerships', () => {
  let sub: TestSubgraph;
  let brandId: string;
  let otherBrandId: string;
  let campaignId: string;
  let member: Identity;
  let partnershipId: string;

  const q = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who: Identity | null) =>
    sub.query<T>(query, variables, who);
  const events = (subject: string) => outboxEvents(sub, subject);
  const campaignInput = (overrides: Record<string, unknown> = {}) => ({
    brandId,
    name: 'Spring run',
    goal: { type: 'SALES', target: 300 },
    budget: { amountMinor: 2_000_000, currency: 'EUR' },
    startsOn: '2027-03-01',
    endsOn: '2027-04-30',
    ...overrides,
  });

  beforeAll(async () => {
    sub = await startTestSubgraph(campaignSubgraph);
    brandId = await newBrand(sub, { name: 'Oaty' });
    otherBrandId = await newBrand(sub, { name: 'Rival' });
    member = identities.brandMember(brandId);
    await knownCreators(sub, [
      [CREATOR, 'ella.runs'],
      [OTHER_CREATOR, 'olle.lifts'],
    ]);
  }, 60_000);
  afterAll(() => sub?.close());

  it('creates a campaign with platforms and a checked target audience', async () => {
    const created = ok(
      await q<{ createCampaign: { id: string; platforms: string[]; targetAudience: Record<string, string[]> } }>(
        CREATE_CAMPAIGN,
        {
          input: campaignInput({
            platforms: ['INSTAGRAM', 'TIKTOK', 'INSTAGRAM'],
            targetAudience: { ages: ['AGE_25_34'], genders: ['FEMALE'], countries: ['se', 'NO'], interests: [' Running ', 'running'] },
          }),
        },
        member,
      ),
    ).createCampaign;
    campaignId = created.id;
    expect(created.platforms).toEqual(['INSTAGRAM', 'TIKTOK']);
    expect(created.targetAudience).toEqual({ ages: ['AGE_25_34'], genders: ['FEMALE'], countries: ['SE', 'NO'], interests: ['running'] });
    const bad = await q(CREATE_CAMPAIGN, { input: campaignInput({ targetAudience: { countries: ['XX'] } }) }, member);
    expect(codeOf(bad)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.targetAudience.countries.0' });
  });

  it('refuses an invitation before a brief is published', async () => {
    const r = await q(INVITE, { input: { campaignId, creatorId: CREATOR, fee: { amountMinor: 50_000, currency: 'EUR' } } }, member);
    expect(codeOf(r)).toMatchObject({ code: 'INVALID_STATE' });
    expect(r.errors![0].message).toMatch(/Publish a brief/);
  });

  it('publishes brief versions, keeping every earlier one', async () => {
    const v1 = ok(await q<{ publishBrief: Record<string, unknown> }>(PUBLISH, { campaignId, input: BRIEF }, member)).publishBrief;
    expect(v1).toMatchObject({ version: 1, requiredHashtags: ['oatrun', 'ad'], requiredLinks: ['https://oaty.example/run'] });
    const v2 = ok(
      await q<{ publishBrief: { version: number } }>(
        PUBLISH,
        { campaignId, input: { ...BRIEF, brandStory: 'Oat milk for early runners.', keyMessages: ['Barista quality'] } },
        member,
      ),
    ).publishBrief;
    expect(v2.version).toBe(2);
    const read = ok(
      await q<{ campaign: { brief: { version: number }; briefVersions: { version: number }[]; old: { brandStory: string } } }>(
        BRIEFS,
        { id: campaignId, v: 1 },
        member,
      ),
    ).campaign;
    expect(read.brief.version).toBe(2);
    expect(read.briefVersions.map((b) => b.version)).toEqual([2, 1]);
    expect(read.old.brandStory).toBe(BRIEF.brandStory);
    expect((await events(campaignId)).filter((e) => e.type === 'brief.published').map((e) => e.envelope.data.version)).toEqual([1, 2]);
  });

  it('numbers concurrent publications without a gap or a repeat', async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => q<{ publishBrief: { version: number } }>(PUBLISH, { campaignId, input: BRIEF }, member)),
    );
    expect(results.map((r) => ok(r).publishBrief.version).sort()).toEqual([3, 4, 5]);
  });

  it('refuses bad briefs with the field at fault, writing nothing', async () => {
    const before = (await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM campaign_briefs`))[0].n;
    const cases: [Record<string, unknown>, string][] = [
      [{ ...BRIEF, brandStory: '  ' }, 'input.brandStory'],
      [{ ...BRIEF, requiredHashtags: ['no spaces'] }, 'input.requiredHashtags.0'],
      [{ ...BRIEF, requiredLinks: ['ftp://x.example'] }, 'input.requiredLinks.0'],
      [{ ...BRIEF, deliverables: [] }, 'input.deliverables'],
      [{ ...BRIEF, deliverables: [{ ...BRIEF.deliverables[0], dueOn: '2027-05-02' }] }, 'input.deliverables.0.dueOn'],
      [{ ...BRIEF, deliverables: [{ ...BRIEF.deliverables[0], count: 0 }] }, 'input.deliverables.0.count'],
    ];
    for (const [input, field] of cases) {
      expect(codeOf(await q(PUBLISH, { campaignId, input }, member))).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect((await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM campaign_briefs`))[0].n).toBe(before);
    expect(codeOf(await q(PUBLISH, { campaignId, input: BRIEF }, identities.brandMember(otherBrandId)))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('invites a creator with terms; duplicates, unknown creators, bad terms and other brands are refused', async () => {
    const input = {
      campaignId,
      creatorId: CREATOR,
      fee: { amountMinor: 80_000, currency: 'EUR' },
      commissionPercent: 10,
      length: 'THREE_MONTHS',
      message: 'We love your morning runs',
    };
    const invited = ok(await q<{ inviteCreator: Record<string, unknown> & { id: string } }>(INVITE, { input }, member)).inviteCreator;
    partnershipId = invited.id;
    expect(invited).toMatchObject({
      status: 'INVITED',
      lengthMonths: 3,
      fee: { amountMinor: 80_000, currency: 'EUR' },
      commissionPercent: 10,
      deliverableTerms: [{ platform: 'INSTAGRAM', count: 2, dueOn: '2027-03-10' }], // the brief's
    });
    expect(codeOf(await q(INVITE, { input }, member))).toMatchObject({ code: 'CONFLICT', field: 'input.creatorId' });
    expect(codeOf(await q(INVITE, { input: { ...input, creatorId: UNKNOWN_CREATOR } }, member))).toMatchObject({ code: 'NOT_FOUND' });
    const bad: [Record<string, unknown>, string][] = [
      [{ fee: { amountMinor: 100, currency: 'EURO' } }, 'input.fee.currency'],
      [{ fee: { amountMinor: -1, currency: 'EUR' } }, 'input.fee.amountMinor'],
      [{ commissionPercent: 150 }, 'input.commissionPercent'],
      [{ deliverables: [{ platform: 'TIKTOK', format: 'SHORT', count: 1, dueOn: '2026-01-01' }] }, 'input.deliverables.0.dueOn'],
    ];
    for (const [change, field] of bad) {
      expect(codeOf(await q(INVITE, { input: { ...input, creatorId: OTHER_CREATOR, ...change } }, member))).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
      });
    }
    expect(codeOf(await q(INVITE, { input: { ...input, creatorId: OTHER_CREATOR } }, identities.brandMember(otherBrandId)))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(codeOf(await q(INVITE, { input: { ...input, creatorId: OTHER_CREATOR } }, null))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(codeOf(await q(INVITE, { input: { ...input, campaignId: uuid(404) } }, member))).toMatchObject({ code: 'NOT_FOUND' });
    expect(codeOf(await q(PUBLISH, { campaignId: uuid(404), input: BRIEF }, member))).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      (await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM partnerships WHERE creator_id = $1`, [OTHER_CREATOR]))[0].n,
    ).toBe(0);
    expect((await events(partnershipId)).map((e) => e.type)).toEqual(['partnership.invited']);
  });

  it('shows an invitation to its creator only, who answers it; the brand cannot answer for them', async () => {
    const creator = identities.creator(CREATOR);
    const mine = ok(
      await q<{ myPartnerships: { edges: { node: { id: string; message: string } }[] } }>(MINE, { statuses: ['INVITED'] }, creator),
    );
    expect(mine.myPartnerships.edges.map((e) => e.node)).toEqual([
      { id: partnershipId, status: 'INVITED', message: 'We love your morning runs' },
    ]);
    const view = ok(await q<{ partnership: Record<string, unknown> }>(PARTNERSHIP, { id: partnershipId }, creator)).partnership;
    expect(view).toMatchObject({ brief: { version: 5 }, campaign: null, creator: { id: CREATOR } }); // the latest brief; not the brand's campaign
    expect(codeOf(await q(PARTNERSHIP, { id: partnershipId }, identities.creator(OTHER_CREATOR)))).toMatchObject({ code: 'NOT_FOUND' });
    expect(codeOf(await q(PARTNERSHIP, { id: partnershipId }, identities.brandMember(otherBrandId)))).toMatchObject({ code: 'NOT_FOUND' });
    expect(codeOf(await q(RESPOND, { id: partnershipId, accept: true }, member))).toMatchObject({ code: 'FORBIDDEN', actors: ['creator'] });
    expect(codeOf(await q(RESPOND, { id: partnershipId, accept: true }, identities.creator(OTHER_CREATOR)))).toMatchObject({
      code: 'NOT_FOUND',
    });

    const accepted = ok(await q<{ respondToInvitation: Record<string, unknown> }>(RESPOND, { id: partnershipId, accept: true }, creator));
    expect(accepted.respondToInvitation).toMatchObject({ status: 'ACCEPTED', briefVersion: 5 });
    expect(codeOf(await q(RESPOND, { id: partnershipId, accept: false }, creator))).toMatchObject({ code: 'INVALID_STATE' });

    // A new brief version later does not change what the creator agreed to.
    ok(await q(PUBLISH, { campaignId, input: { ...BRIEF, brandStory: 'Version six' } }, member));
    const after = ok(await q<{ partnership: { brief: { version: number } } }>(PARTNERSHIP, { id: partnershipId }, creator)).partnership;
    expect(after.brief.version).toBe(5);
  });

  it('lets a creator decline with a reason', async () => {
    const invited = ok(
      await q<{ inviteCreator: { id: string } }>(
        INVITE,
        { input: { campaignId, creatorId: OTHER_CREATOR, fee: { amountMinor: 0, currency: 'EUR' }, commissionPercent: 15 } },
        member,
      ),
    ).inviteCreator;
    const declined = ok(
      await q<{ respondToInvitation: Record<string, unknown> }>(
        RESPOND,
        { id: invited.id, accept: false, reason: 'Booked in March' },
        identities.creator(OTHER_CREATOR),
      ),
    );
    expect(declined.respondToInvitation).toMatchObject({ status: 'DECLINED', statusReason: 'Booked in March', briefVersion: null });
  });

  it('moves to contracted on contract.executed, once, whatever the duplicates', async () => {
    const data: ContractExecutedData = {
      contractId: uuid(900),
      partnershipId,
      brandId,
      creatorId: CREATOR,
      executedAt: new Date().toISOString(),
    };
    const event = createEvent('contracts', { type: 'contract.executed', subject: data.contractId, brandid: brandId, data });
    await publishRawEvent(TEST_KAFKA_BROKERS, `${testTopicPrefix()}${TOPICS.contract}`, event, 2);
    await eventually(
      async () =>
        (await sub.runtime.dataSource.query(`SELECT status FROM partnerships WHERE id = $1`, [partnershipId]))[0].status === 'contracted',
    );
    await eventually(async () => (await events(partnershipId)).some((e) => e.type === 'partnership.contracted'));
    expect((await events(partnershipId)).map((e) => e.type)).toEqual([
      'partnership.invited',
      'partnership.accepted',
      'partnership.contracted',
    ]);
    // A contract for a partnership nobody accepted is left alone (and not retried forever).
    const stray = createEvent('contracts', {
      type: 'contract.executed',
      subject: uuid(901),
      data: { ...data, contractId: uuid(901), partnershipId: uuid(902) },
    });
    await publishRawEvent(TEST_KAFKA_BROKERS, `${testTopicPrefix()}${TOPICS.contract}`, stray);
    await eventually(
      async () => (await sub.runtime.dataSource.query(`SELECT 1 FROM inbox WHERE event_id = $1 AND consumer = 'campaign.contracts'`, [stray.id])).length === 1,
      30_000,
      'the stray contract to be recorded as handled',
    );
  });

  it('runs the partnership: activate, pause and resume with a reason, terminate; every move announced', async () => {
    const move = (status: string, reason?: string) =>
      q<{ changePartnershipStatus: Record<string, unknown> }>(MOVE, { id: partnershipId, status, reason }, member);
    expect(codeOf(await move('COMPLETED'))).toMatchObject({ code: 'INVALID_STATE', allowed: ['active', 'terminated'] });
    ok(await move('ACTIVE'));
    expect(codeOf(await move('PAUSED'))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect(ok(await move('PAUSED', 'Post under review after a complaint')).changePartnershipStatus).toMatchObject({
      status: 'PAUSED',
      statusReason: 'Post under review after a complaint',
    });
    // Each caller on the wrong side hears why, in their own terms, before the reason or the state is checked.
    const byCreator = await q(MOVE, { id: partnershipId, status: 'ACTIVE' }, identities.creator(CREATOR));
    expect(codeOf(byCreator)).toMatchObject({ code: 'FORBIDDEN' });
    expect(byCreator.errors![0].message).toBe("This is for the brand's members; a creator cannot do it");
    const byAnalyst = await q(MOVE, { id: partnershipId, status: 'TERMINATED' }, identities.analyst(brandId));
    expect(codeOf(byAnalyst)).toMatchObject({ code: 'FORBIDDEN' });
    expect(byAnalyst.errors![0].message).toBe("Analysts read a brand's campaigns; only its members change them");
    expect(codeOf(await move('ACCEPTED'))).toMatchObject({ code: 'FORBIDDEN', move: 'accept', actors: ['creator'] });
    expect(codeOf(await move('CONTRACTED'))).toMatchObject({ code: 'FORBIDDEN', actors: ['system'] });
    ok(await move('ACTIVE'));
    expect(ok(await move('TERMINATED', 'Brand safety')).changePartnershipStatus).toMatchObject({ status: 'TERMINATED' });
    const types = (await events(partnershipId)).map((e) => e.type);
    expect(types.slice(3)).toEqual(['partnership.activated', 'partnership.paused', 'partnership.resumed', 'partnership.terminated']);
    const last = (await events(partnershipId)).pop()!;
    expect(last.envelope.data).toMatchObject({ status: 'terminated', previousStatus: 'active', reason: 'Brand safety', briefVersion: 5 });
  });

  it("extends discovery's Creator with the partnerships each caller may see", async () => {
    const reps = [{ __typename: 'Creator', id: CREATOR }];
    type Entities = { _entities: { partnerships: { edges: { node: { id: string } }[] } }[] };
    const forCreator = ok(await q<Entities>(CREATOR_PARTNERSHIPS, { reps }, identities.creator(CREATOR)));
    expect(forCreator._entities[0].partnerships.edges.map((e) => e.node.id)).toEqual([partnershipId]);
    const forBrand = ok(await q<Entities>(CREATOR_PARTNERSHIPS, { reps }, member));
    expect(forBrand._entities[0].partnerships.edges).toHaveLength(1);
    for (const who of [identities.brandMember(otherBrandId), identities.creator(OTHER_CREATOR), null]) {
      expect(ok(await q<Entities>(CREATOR_PARTNERSHIPS, { reps }, who))._entities[0].partnerships.edges).toEqual([]);
    }
  });
});
