import { createEvent, Identity } from '@influenceflow/kit';
import { ContractExecutedData, ContractTerminatedData, TOPICS } from '@influenceflow/vocabulary';
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
import { campaignServices, CampaignServices } from '../src/services';
import { knownCreators, newBrand, ok } from './support';

// Ids of this file only.
const uuid = (n: number) => `00000000-0000-4000-8e13-${String(n).padStart(12, '0')}`;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * What campaign does with contracts' events: an executed contract puts the partnership under contract and,
 * once its campaign is live and has begun, to work (active); a terminated contract ends the partnership.
 */
describe('partnerships under contract: contract.executed and contract.terminated', () => {
  let sub: TestSubgraph<CampaignServices>;
  let brandId: string;
  let member: Identity;
  let n = 0;

  const status = async (id: string) =>
    (await sub.runtime.dataSource.query(`SELECT status, status_reason FROM partnerships WHERE id = $1`, [id]))[0];
  const types = async (id: string) =>
    ((await sub.runtime.dataSource.query(`SELECT type FROM outbox WHERE key = $1 ORDER BY seq`, [id])) as { type: string }[]).map(
      (r) => r.type,
    );
  const publish = (type: string, subject: string, data: unknown, times = 1) =>
    publishRawEvent(
      TEST_KAFKA_BROKERS,
      `${testTopicPrefix()}${TOPICS.contract}`,
      createEvent('contracts', { type, subject, brandid: brandId, data }),
      times,
    );

  /** An accepted partnership of a new campaign starting `startsIn` days from today; launched when asked. */
  async function accepted(startsIn: number, launch: boolean): Promise<{ partnershipId: string; campaignId: string; creatorId: string }> {
    const creatorId = uuid(100 + ++n);
    await knownCreators(sub, [[creatorId, `maker.${n}`]]);
    const campaignId = ok(
      await sub.query<{ createCampaign: { id: string } }>(
        `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
        {
          input: {
            brandId,
            name: `Contracted ${n}`,
            goal: { type: 'CONTENT', target: 1 },
            budget: { amountMinor: 100_000, currency: 'EUR' },
            startsOn: day(startsIn),
            endsOn: day(startsIn + 40),
          },
        },
        member,
      ),
    ).createCampaign.id;
    ok(
      await sub.query(
        `mutation($id: ID!, $input: PublishBriefInput!) { publishBrief(campaignId: $id, input: $input) { id } }`,
        {
          id: campaignId,
          input: {
            brandStory: 'Made to last.',
            deliverables: [{ platform: 'INSTAGRAM', format: 'REEL', count: 1, dueOn: day(startsIn + 10) }],
          },
        },
        member,
      ),
    );
    if (launch)
      ok(await sub.query(`mutation($id: ID!) { changeCampaignStatus(id: $id, status: ACTIVE) { status } }`, { id: campaignId }, member));
    const partnershipId = ok(
      await sub.query<{ inviteCreator: { id: string } }>(
        `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id } }`,
        { input: { campaignId, creatorId, fee: { amountMinor: 40_000, currency: 'EUR' } } },
        member,
      ),
    ).inviteCreator.id;
    ok(
      await sub.query(
        `mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { status } }`,
        { id: partnershipId },
        identities.creator(creatorId),
      ),
    );
    return { partnershipId, campaignId, creatorId };
  }

  const executed = (p: { partnershipId: string; creatorId: string }, contractId: string): ContractExecutedData => ({
    contractId,
    partnershipId: p.partnershipId,
    brandId,
    creatorId: p.creatorId,
    executedAt: new Date().toISOString(),
    version: 1,
    amends: null,
  });

  beforeAll(async () => {
    sub = await startTestSubgraph({
      ...campaignSubgraph,
      services: (runtime) => campaignServices(runtime, { lifecycleIntervalMs: 86_400_000, campaignEndedUrl: null }),
    });
    brandId = await newBrand(sub, { name: 'Contract Co' });
    member = identities.brandMember(brandId);
  }, 60_000);
  afterAll(() => sub?.close());

  it('puts the partnership to work at once when its campaign is live and has begun', async () => {
    const p = await accepted(0, true);
    await publish('contract.executed', uuid(901), executed(p, uuid(901)), 2);
    await eventually(async () => (await status(p.partnershipId)).status === 'active', 30_000, 'the partnership to be active');
    expect(await types(p.partnershipId)).toEqual([
      'partnership.invited',
      'partnership.accepted',
      'partnership.contracted',
      'partnership.activated',
    ]);
  });

  it('starts contracted partnerships when the campaign is launched, and on its first day by the lifecycle task', async () => {
    const draft = await accepted(0, false);
    await publish('contract.executed', uuid(902), executed(draft, uuid(902)));
    await eventually(async () => (await status(draft.partnershipId)).status === 'contracted');
    ok(
      await sub.query(`mutation($id: ID!) { changeCampaignStatus(id: $id, status: ACTIVE) { status } }`, { id: draft.campaignId }, member),
    );
    expect((await status(draft.partnershipId)).status).toBe('active');
    expect((await types(draft.partnershipId)).at(-1)).toBe('partnership.activated');

    const later = await accepted(5, true);
    await publish('contract.executed', uuid(903), executed(later, uuid(903)));
    await eventually(async () => (await status(later.partnershipId)).status === 'contracted');
    expect((await sub.services.lifecycle.runOnce())!.started).not.toContain(later.campaignId);
    expect((await status(later.partnershipId)).status).toBe('contracted');
    const run = await sub.services.lifecycle.runOnce(new Date(Date.now() + 5 * 86_400_000));
    expect(run!.started).toContain(later.campaignId);
    expect((await status(later.partnershipId)).status).toBe('active');
  });

  it('ends the partnership on contract.terminated (once), and not for a discarded amendment', async () => {
    const p = await accepted(0, true);
    await publish('contract.executed', uuid(904), executed(p, uuid(904)));
    await eventually(async () => (await status(p.partnershipId)).status === 'active');
    const base: Omit<ContractTerminatedData, 'endsPartnership'> = {
      contractId: uuid(905),
      partnershipId: p.partnershipId,
      campaignId: p.campaignId,
      brandId,
      creatorId: p.creatorId,
      version: 2,
      amends: uuid(904),
      status: 'terminated',
      previousStatus: 'sent',
      documentSha256: 'a'.repeat(64),
      reason: 'Not what we agreed',
      terminatedBy: 'creator',
      terminatedAt: new Date().toISOString(),
    };
    const discarded = createEvent('contracts', {
      type: 'contract.terminated',
      subject: uuid(905),
      brandid: brandId,
      data: { ...base, endsPartnership: false },
    });
    await publishRawEvent(TEST_KAFKA_BROKERS, `${testTopicPrefix()}${TOPICS.contract}`, discarded);
    await eventually(
      async () => (await sub.runtime.dataSource.query(`SELECT 1 FROM inbox WHERE event_id = $1 AND consumer = 'campaign.contracts'`, [discarded.id])).length === 1,
    );
    expect((await status(p.partnershipId)).status).toBe('active');
    await publish(
      'contract.terminated',
      uuid(904),
      { ...base, contractId: uuid(904), version: 1, amends: null, previousStatus: 'executed', endsPartnership: true },
      2,
    );
    await eventually(async () => (await status(p.partnershipId)).status === 'terminated');
    expect(await status(p.partnershipId)).toEqual({
      status: 'terminated',
      status_reason: 'contract terminated by the creator: Not what we agreed',
    });
    await eventually(async () => (await types(p.partnershipId)).includes('partnership.terminated'));
    expect((await types(p.partnershipId)).filter((t) => t === 'partnership.terminated')).toHaveLength(1);
  });
});
