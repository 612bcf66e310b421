import { SERVICE_NAMES, ServiceName } from '@influenceflow/kit';
import { eventually } from '@influenceflow/kit/testing';
import { EVENT_TYPES } from '@influenceflow/vocabulary';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { seedDemo } from '../../src/seed/demo';
import { Catalogue, describeErrors, loadCatalogue } from '../catalogue-support';

/**
 * The catalogue against real events: the demo seed (infra/src/seed/) drives every service through the
 * gateway as clients would — creators, a campaign with partnerships, briefs, deliverables, contracts signed
 * and executed, payouts, rate cards, clicks and orders — then every envelope each service wrote to its
 * outbox is validated against its type's message in docs/events.asyncapi.yaml.
 */
describe('the event catalogue against the events the services produce', () => {
  let stack: TestStack;
  let catalogue: Catalogue;
  const events: { service: ServiceName; envelope: Record<string, unknown> & { type: string } }[] = [];

  beforeAll(async () => {
    catalogue = await loadCatalogue();
    stack = await startTestStack({ linksOnGateway: true });
    const admin = await stack.token({ sub: 'catalogue-admin', roles: ['admin'] });
    const demo = await seedDemo(stack.gateway.url, admin, stack.issuer, {
      file: null,
      campaignDatabaseUrl: stack.subgraphs.campaign.config.databaseUrl,
    });
    // Beyond the seed, as the brand and Tess: her waiting reel draft sent back and resubmitted, her posted
    // story verified, flagged and unflagged, her profile renamed; then the demo campaign paused, resumed and
    // cancelled, which terminates its partnerships and (through Kafka) their contracts.
    const member = await stack.token({ sub: 'demo-alice', roles: ['brand_member'], brandIds: [demo.brandId] });
    const tess = await stack.token({ sub: 'demo-tess', roles: ['creator'], creatorId: demo.creatorIds[0] });
    const call = async <T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> => {
      const r = await stack.query<T>(query, variables, token);
      expect(r.errors).toBeUndefined();
      return r.data!;
    };
    const { partnership } = await call<{ partnership: { deliverables: { id: string; status: string }[] } }>(
      `query($id: ID!) { partnership(id: $id) { deliverables { id status } } }`,
      { id: demo.partnershipId },
      member,
    );
    const reel = partnership.deliverables.find((d) => d.status === 'SUBMITTED')!;
    const story = partnership.deliverables.find((d) => d.status === 'POSTED')!;
    expect({ reel: !!reel, story: !!story }).toEqual({ reel: true, story: true });
    await call(
      `mutation($id: ID!) { reviewDraft(input: { deliverableId: $id, decision: CHANGES_REQUESTED, comments: "Mention @acme.outdoors" }) { status } }`,
      { id: reel.id },
      member,
    );
    await call(
      `mutation($id: ID!) { submitDraft(input: { deliverableId: $id, draftUrl: "https://drive.example/tess-reel-2", caption: "Repairable #AcmeTrail #ad @acme.outdoors" }) { status } }`,
      { id: reel.id },
      tess,
    );
    await call(`mutation($id: ID!) { verifyDeliverable(id: $id) { status } }`, { id: story.id }, member);
    const FLAG = `mutation($id: ID!, $reason: String) { flagContent(id: $id, reason: $reason) { id } }`;
    await call(FLAG, { id: story.id, reason: 'Checking a complaint about the caption' }, member);
    await call(FLAG, { id: story.id, reason: null }, member);
    await call(
      `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`,
      { input: { handle: 'trail.tess', displayName: 'Tess on the Trail', niches: ['outdoors', 'travel'], country: 'US' } },
      tess,
    );
    // Tess's partnership: another discount code, paused and resumed; the brand declines Kai's counter-offer (the
    // side that did not make the latest offer declines).
    await call(`mutation($id: ID!) { setDiscountCode(id: $id, code: "TESSTRAILS") { id } }`, { id: demo.partnershipId }, member);
    const PSTATUS = `mutation($id: ID!, $s: PartnershipStatus!, $r: String) { changePartnershipStatus(id: $id, status: $s, reason: $r) { status } }`;
    await call(PSTATUS, { id: demo.partnershipId, s: 'PAUSED', r: 'Product recall check' }, member);
    await call(PSTATUS, { id: demo.partnershipId, s: 'ACTIVE', r: null }, member);
    const kai = await stack.token({ sub: 'demo-kai', roles: ['creator'], creatorId: demo.creatorIds[1] });
    const { myPartnerships } = await call<{ myPartnerships: { edges: { node: { id: string } }[] } }>(
      `{ myPartnerships(statuses: [INVITED]) { edges { node { id } } } }`,
      {},
      kai,
    );
    expect(myPartnerships.edges).toHaveLength(1);
    await call(
      `mutation($id: ID!) { respondToInvitation(id: $id, accept: false, reason: "Over budget for a short") { status } }`,
      { id: myPartnerships.edges[0].node.id },
      member,
    );
    const STATUS = `mutation($id: ID!, $s: CampaignStatus!) { changeCampaignStatus(id: $id, status: $s) { status } }`;
    for (const s of ['PAUSED', 'ACTIVE', 'CANCELLED']) {
      const r = await stack.query<{ changeCampaignStatus: { status: string } }>(STATUS, { id: demo.campaignId, s }, member);
      expect(r.errors).toBeUndefined();
      expect(r.data!.changeCampaignStatus.status).toBe(s);
    }
    await eventually(
      async () =>
        ((await stack.subgraphs.contracts.runtime.dataSource.query(`SELECT 1 FROM outbox WHERE type = 'contract.terminated'`)) as unknown[])
          .length > 0,
      60_000,
      'contract.terminated after the cancellation',
    );
    for (const service of SERVICE_NAMES) {
      const rows = (await stack.subgraphs[service].runtime.dataSource.query(`SELECT envelope FROM outbox ORDER BY seq`)) as {
        envelope: Record<string, unknown> & { type: string };
      }[];
      for (const { envelope } of rows) events.push({ service, envelope });
    }
  }, 180_000);
  afterAll(() => stack?.close());

  it('validates every event in every outbox against its message, with none failing', () => {
    const failures: string[] = [];
    const counts = new Map<string, number>();
    for (const { service, envelope } of events) {
      const { type, id } = envelope;
      counts.set(type, (counts.get(type) ?? 0) + 1);
      const validate = catalogue.messages.get(type)?.validate;
      if (!validate) failures.push(`${service} ${type}: no message in the catalogue`);
      else if (!validate(envelope)) failures.push(`${service} ${type} ${String(id)}: ${describeErrors(validate)}`);
    }
    const notProduced = Object.values(EVENT_TYPES).filter((t) => !counts.has(t));
    // The gap, visible in the run's output: what the demo flow does not make.
    console.info(
      `event catalogue: ${events.length} events of ${counts.size} types validated; not produced by the flow: ${notProduced.join(', ') || 'none'}`,
    );
    expect(failures).toEqual([]);
    expect(events.length).toBeGreaterThan(50);
  });

  it('covers the main families with the flow: creators, campaigns, partnerships, deliverables, contracts, payments, clicks, orders', () => {
    const produced = new Set(events.map((e) => e.envelope.type));
    expect([...produced].sort()).toEqual(
      expect.arrayContaining([
        'creator.created',
        'campaign.created',
        'campaign.launched',
        'brief.published',
        'partnership.invited',
        'partnership.accepted',
        'partnership.contracted',
        'deliverable.submitted',
        'deliverable.approved',
        'deliverable.posted',
        'contract.sent',
        'contract.signed',
        'contract.executed',
        'payout.succeeded',
        'milestone.due',
        'spend.accrued',
        'ratecard.updated',
        'click.recorded',
        'order.attributed',
        'campaign.paused',
        'campaign.resumed',
        'campaign.cancelled',
        'partnership.terminated',
        'contract.terminated',
        'deliverable.changes-requested',
        'deliverable.resubmitted',
        'deliverable.verified',
        'deliverable.flagged',
        'deliverable.unflagged',
        'creator.profile-updated',
        'message.posted',
        'partnership.declined',
        'partnership.paused',
        'partnership.resumed',
        'partnership.code-changed',
      ]),
    );
  });

  it('refuses a real event once tampered with: a required data field dropped, a status outside its enum, an amount as text', () => {
    type Data = Record<string, unknown>;
    const reject = (type: string, tamper: (data: Data) => void) => {
      const validate = catalogue.messages.get(type)!.validate!;
      const e = structuredClone(events.find((x) => x.envelope.type === type)!.envelope) as unknown as { data: Data };
      expect(validate(e)).toBe(true);
      tamper(e.data);
      expect(validate(e)).toBe(false);
      return describeErrors(validate);
    };
    expect(reject('partnership.accepted', (d) => delete d.fee)).toMatch(/must have required property 'fee'/);
    expect(reject('contract.executed', (d) => ((d.milestones as Data[])[0].trigger = 'WHENEVER'))).toMatch(
      /\/data\/milestones\/0\/trigger must be equal to one of the allowed values/,
    );
    expect(reject('payout.succeeded', (d) => (d.amountMinor = String(d.amountMinor)))).toMatch(/\/data\/amountMinor must be integer/);
    expect(reject('campaign.launched', (d) => (d.status = 'launched'))).toMatch(
      /\/data\/status must be equal to one of the allowed values/,
    );
  });

  it('finds each event on the service that publishes its topic (its source)', () => {
    for (const { service, envelope } of events)
      expect({ type: envelope.type, source: envelope.source }).toEqual({ type: envelope.type, source: service });
  });
});
