import { addDays, createEvent, Identity, todayUtc } from '@influenceflow/kit';
import { RateCardUpdatedData, TOPICS } from '@influenceflow/vocabulary';
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
import { codeOf, invitedPartnership, knownCreators, newBrand, ok, outboxEvents } from './support';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const KAI = uuid(701);
const MIA = uuid(702);
const OTHER_CREATOR = uuid(703);
const PIA = uuid(705);

const COUNTER = `mutation($id: ID!, $terms: OfferTermsInput!) {
  counterOffer(id: $id, terms: $terms) { round proposedBy fee { amountMinor currency } commissionPercent lengthMonths note answer
    deliverableTerms { platform format count dueOn } }
}`;
const RESPOND = `mutation($id: ID!, $accept: Boolean!, $reason: String) {
  respondToInvitation(id: $id, accept: $accept, reason: $reason) { id status fee { amountMinor currency } lengthMonths commissionPercent
    deliverableTerms { platform format count dueOn } deliverables { platform format dueOn } }
}`;
const NEGOTIATION = `query($id: ID!) { partnership(id: $id) {
  status fee { amountMinor currency }
  offers { round proposedBy fee { amountMinor currency } note answer answeredAt
    assessment { creatorRate { amountMinor currency } belowCreatorRate warnings } }
  assessment { creatorRate { amountMinor currency } belowCreatorRate warnings }
} }`;
const INVITE = `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id status fee { amountMinor } } }`;

type Offer = { round: number; proposedBy: string; fee: { amountMinor: number }; answer: string | null; note: string };

describe('negotiation', () => {
  let sub: TestSubgraph;
  let brandId: string;
  let member: Identity;
  const kai = identities.creator(KAI);
  const q = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who: Identity | null) =>
    sub.query<T>(query, variables, who);
  const offers = async (id: string) =>
    ok(await q<{ partnership: { status: string; offers: Offer[] } }>(NEGOTIATION, { id }, member)).partnership;
  const fee = (amountMinor: number, currency = 'USD') => ({ fee: { amountMinor, currency } });

  beforeAll(async () => {
    sub = await startTestSubgraph(campaignSubgraph);
    brandId = await newBrand(sub, { name: 'Trailgear' });
    member = identities.brandMember(brandId);
    await knownCreators(sub, [
      [KAI, 'kai.trails'],
      [MIA, 'mia.peaks'],
      [OTHER_CREATOR, 'olle.lifts'],
      [uuid(704), 'nora.climbs'],
      [PIA, 'pia.paddles'],
    ]);
  }, 60_000);
  afterAll(() => sub?.close());

  it('counter, counter, accept: every round kept, the accepted terms become the partnership’s and its schedule', async () => {
    const id = await invitedPartnership(sub, member, brandId, KAI);
    // Kai asks for more and two reels; the brand meets halfway on the fee, for three months.
    const first = ok(
      await q<{ counterOffer: Record<string, unknown> }>(
        COUNTER,
        {
          id,
          terms: {
            ...fee(60_000),
            deliverables: [{ platform: 'INSTAGRAM', format: 'REEL', count: 2, dueOn: '2027-06-25' }],
            note: 'Two reels for 600',
          },
        },
        kai,
      ),
    ).counterOffer;
    expect(first).toMatchObject({ round: 2, proposedBy: 'CREATOR', fee: { amountMinor: 60_000 }, answer: null, note: 'Two reels for 600' });
    // Kai cannot answer or counter his own offer: FORBIDDEN, before the terms are read
    expect(codeOf(await q(COUNTER, { id, terms: fee(-5) }, kai))).toMatchObject({ code: 'FORBIDDEN', actors: ['brand'] });
    expect(codeOf(await q(RESPOND, { id, accept: true }, kai))).toMatchObject({ code: 'FORBIDDEN', actors: ['brand'] });

    const second = ok(
      await q<{ counterOffer: Record<string, unknown> }>(COUNTER, { id, terms: { ...fee(50_000), length: 'THREE_MONTHS' } }, member),
    ).counterOffer;
    // what the brand left out stays as in Kai's offer
    expect(second).toMatchObject({
      round: 3,
      proposedBy: 'BRAND',
      lengthMonths: 3,
      deliverableTerms: [{ platform: 'INSTAGRAM', format: 'REEL', count: 2, dueOn: '2027-06-25' }],
    });
    expect(codeOf(await q(RESPOND, { id, accept: true }, member))).toMatchObject({ code: 'FORBIDDEN', actors: ['creator'] });
    // the partnership's own terms stay the invitation's until an offer is accepted
    expect((await offers(id)).status).toBe('INVITED');

    const accepted = ok(await q<{ respondToInvitation: Record<string, unknown> }>(RESPOND, { id, accept: true }, kai)).respondToInvitation;
    expect(accepted).toMatchObject({
      status: 'ACCEPTED',
      fee: { amountMinor: 50_000, currency: 'USD' },
      lengthMonths: 3,
      deliverableTerms: [{ platform: 'INSTAGRAM', format: 'REEL', count: 2, dueOn: '2027-06-25' }],
    });
    // the schedule is made from the accepted terms: two reels (three monthly cycles of them)
    const schedule = accepted.deliverables as { platform: string; format: string }[];
    expect(schedule.length).toBeGreaterThanOrEqual(2);
    expect(schedule.every((d) => d.platform === 'INSTAGRAM' && d.format === 'REEL')).toBe(true);
    const { offers: rounds } = await offers(id);
    expect(rounds.map((o) => [o.round, o.proposedBy, o.fee.amountMinor, o.answer])).toEqual([
      [1, 'BRAND', 40_000, 'COUNTERED'],
      [2, 'CREATOR', 60_000, 'COUNTERED'],
      [3, 'BRAND', 50_000, 'ACCEPTED'],
    ]);
    // once accepted, nothing is in negotiation any more
    expect(codeOf(await q(COUNTER, { id, terms: fee(1) }, member))).toMatchObject({ code: 'FORBIDDEN' });
    expect(codeOf(await q(COUNTER, { id, terms: fee(1) }, kai))).toMatchObject({ code: 'INVALID_STATE', status: 'accepted' });

    const events = await outboxEvents(sub, id);
    expect(events.map((e) => e.type)).toEqual([
      'partnership.invited',
      'partnership.countered',
      'partnership.countered',
      'partnership.accepted',
    ]);
    expect(events[1].envelope.data).toMatchObject({
      status: 'invited',
      offer: { round: 2, proposedBy: 'creator', fee: { amountMinor: 60_000 } },
    });
  });

  it('the brand may decline a counter-offer; the creator is then invited again on the same partnership', async () => {
    const id = await invitedPartnership(sub, member, brandId, MIA);
    const campaignId = (await sub.runtime.dataSource.query(`SELECT campaign_id FROM partnerships WHERE id = $1`, [id]))[0].campaign_id;
    ok(await q(COUNTER, { id, terms: fee(90_000) }, identities.creator(MIA)));
    expect(
      ok(await q<{ respondToInvitation: { status: string } }>(RESPOND, { id, accept: false, reason: 'Too much' }, member))
        .respondToInvitation.status,
    ).toBe('DECLINED');
    // Mia made the latest offer (FORBIDDEN whatever the status); the brand's turn, but nothing is open
    expect(codeOf(await q(COUNTER, { id, terms: fee(80_000) }, identities.creator(MIA)))).toMatchObject({ code: 'FORBIDDEN' });
    expect(codeOf(await q(COUNTER, { id, terms: fee(80_000) }, member))).toMatchObject({ code: 'INVALID_STATE', status: 'declined' });

    // a better offer, two at once: the campaign's lock lets one win, the other sees it open
    const input = { campaignId, creatorId: MIA, ...fee(70_000) };
    const both = await Promise.all([q(INVITE, { input }, member), q(INVITE, { input }, member)]);
    const won = both.filter((r) => !r.errors);
    expect(won).toHaveLength(1);
    expect(codeOf(both.find((r) => r.errors)!)).toMatchObject({ code: 'CONFLICT', field: 'input.creatorId' });
    expect((won[0].data as { inviteCreator: { id: string; status: string } }).inviteCreator).toMatchObject({ id, status: 'INVITED' });
    const { offers: rounds } = await offers(id);
    expect(rounds.map((o) => [o.round, o.proposedBy, o.fee.amountMinor, o.answer])).toEqual([
      [1, 'BRAND', 40_000, 'COUNTERED'],
      [2, 'CREATOR', 90_000, 'DECLINED'],
      [3, 'BRAND', 70_000, null],
    ]);
    const count = await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM partnerships WHERE campaign_id = $1`, [campaignId]);
    expect(count[0].n).toBe(1);
    expect((await outboxEvents(sub, id)).map((e) => e.type)).toEqual([
      'partnership.invited',
      'partnership.countered',
      'partnership.declined',
      'partnership.invited',
    ]);
    // accepted (it started): no new invitation
    ok(await q(RESPOND, { id, accept: true }, identities.creator(MIA)));
    expect(codeOf(await q(INVITE, { input }, member))).toMatchObject({ code: 'CONFLICT', field: 'input.creatorId' });
  });

  it('sets the offer beside the creator’s rate card and warns when it is below it', async () => {
    const card: RateCardUpdatedData[] = [
      { creatorId: OTHER_CREATOR, platform: 'instagram', format: 'reel', priceMinor: 45_000, currency: 'USD' },
      { creatorId: OTHER_CREATOR, platform: 'tiktok', format: 'video', priceMinor: 20_000, currency: 'EUR' },
    ];
    for (const data of card) {
      const event = createEvent('payments', { type: 'ratecard.updated', subject: data.creatorId, data });
      await publishRawEvent(TEST_KAFKA_BROKERS, `${testTopicPrefix()}${TOPICS.payment}`, event);
    }
    await eventually(
      async () =>
        (await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM creator_rate_cards WHERE creator_id = $1`, [OTHER_CREATOR]))[0]
          .n === 2,
      30_000,
      'the rate-card copy to fill from ratecard.updated',
    );
    const id = await invitedPartnership(sub, member, brandId, OTHER_CREATOR); // one reel for 400 USD
    const p = (await offers(id)) as unknown as { assessment: Record<string, unknown>; offers: { assessment: Record<string, unknown> }[] };
    expect(p.assessment).toEqual({
      creatorRate: { amountMinor: 45_000, currency: 'USD' },
      belowCreatorRate: true,
      warnings: ["The fee is below the creator's own rate for these deliverables ($450.00)"],
    });
    expect(p.offers[0].assessment).toEqual(p.assessment);
    // the creator counters with a TikTok priced in EUR: said, not converted
    ok(
      await q(
        COUNTER,
        { id, terms: { ...fee(50_000), deliverables: [{ platform: 'TIKTOK', format: 'VIDEO', count: 1, dueOn: '2027-06-20' }] } },
        identities.creator(OTHER_CREATOR),
      ),
    );
    const after = (await offers(id)) as unknown as { offers: { assessment: Record<string, unknown> }[] };
    expect(after.offers[1].assessment).toEqual({
      creatorRate: null,
      belowCreatorRate: null,
      warnings: ['The creator prices tiktok video in EUR, the offer is in USD'],
    });
  });

  it('sets each offer beside the price of its own day, from the periods payments announces', async () => {
    const today = todayUtc();
    const yesterday = addDays(today, -1);
    const send = async (data: RateCardUpdatedData) =>
      publishRawEvent(
        TEST_KAFKA_BROKERS,
        `${testTopicPrefix()}${TOPICS.payment}`,
        createEvent('payments', { type: 'ratecard.updated', subject: data.creatorId, data }),
      );
    const copied = async () =>
      (await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM creator_rate_cards WHERE creator_id = $1`, [PIA]))[0].n as number;
    await send({
      creatorId: PIA,
      platform: 'instagram',
      format: 'reel',
      priceMinor: 45_000,
      currency: 'USD',
      asOf: today,
      periods: [
        { validFrom: '2020-01-01', validUntil: yesterday, priceMinor: 30_000, currency: 'USD' },
        { validFrom: today, validUntil: addDays(today, 29), priceMinor: 45_000, currency: 'USD' },
        { validFrom: addDays(today, 30), validUntil: null, priceMinor: 99_000, currency: 'USD' },
      ],
    });
    await eventually(async () => (await copied()) === 3, 30_000, 'the three periods copied');
    const id = await invitedPartnership(sub, member, brandId, PIA); // one reel for 400 USD, offered today
    const assessed = async () =>
      (await offers(id)) as unknown as {
        assessment: { creatorRate: { amountMinor: number } | null; belowCreatorRate: boolean | null; warnings: string[] };
        offers: { assessment: { creatorRate: { amountMinor: number } | null; belowCreatorRate: boolean | null; warnings: string[] } }[];
      };
    const now = await assessed();
    expect(now.assessment).toMatchObject({ creatorRate: { amountMinor: 45_000 }, belowCreatorRate: true });
    expect(now.offers[0].assessment).toEqual(now.assessment);
    // The invitation made yesterday: beside yesterday's price (300 USD), which the fee was above.
    await sub.runtime.dataSource.query(
      `UPDATE partnership_offers SET created_at = created_at - interval '1 day' WHERE partnership_id = $1`,
      [id],
    );
    const before = await assessed();
    expect(before.offers[0].assessment).toEqual({
      creatorRate: { amountMinor: 30_000, currency: 'USD' },
      belowCreatorRate: false,
      warnings: [],
    });
    expect(before.assessment.creatorRate).toEqual({ amountMinor: 45_000, currency: 'USD' }); // the standing terms: today's price

    // A counter today: the rounds, made on two days, each beside its day's price, with one query of the copy for both.
    const reel = [{ platform: 'INSTAGRAM', format: 'REEL', count: 1, dueOn: '2027-06-20' }];
    ok(await q(COUNTER, { id, terms: { ...fee(50_000), deliverables: reel } }, identities.creator(PIA)));
    const queries = jest.spyOn(sub.runtime.dataSource, 'query');
    const rounds = await q<{ partnership: { offers: { round: number; assessment: { creatorRate: { amountMinor: number } } }[] } }>(
      `query($id: ID!) { partnership(id: $id) { offers { round assessment { creatorRate { amountMinor } } } } }`,
      { id },
      member,
    );
    const ofCopy = queries.mock.calls.filter(([sql]) => String(sql).includes('creator_rate_cards'));
    queries.mockRestore();
    expect(ok(rounds).partnership.offers.map((o) => [o.round, o.assessment.creatorRate.amountMinor])).toEqual([
      [1, 30_000],
      [2, 45_000],
    ]);
    expect(ofCopy).toHaveLength(1);

    // Every line removed (an empty list): nothing to compare with.
    await send({ creatorId: PIA, platform: 'instagram', format: 'reel', removed: true, asOf: today, periods: [] });
    await eventually(async () => (await copied()) === 0, 30_000, 'the copy emptied');
    expect((await assessed()).assessment).toEqual({
      creatorRate: null,
      belowCreatorRate: null,
      warnings: ["The creator's rate card has no price for instagram reel"],
    });
  });

  it('refuses every other caller, and hostile terms, with nothing written', async () => {
    const id = await invitedPartnership(sub, member, brandId, uuid(704), {});
    const terms = fee(45_000);
    expect(codeOf(await q(COUNTER, { id, terms }, null))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(codeOf(await q(COUNTER, { id, terms }, identities.analyst(brandId)))).toMatchObject({ code: 'FORBIDDEN' });
    expect(codeOf(await q(COUNTER, { id, terms }, identities.creator(OTHER_CREATOR)))).toMatchObject({ code: 'NOT_FOUND' });
    expect(codeOf(await q(COUNTER, { id, terms }, identities.brandMember(await newBrand(sub, { name: 'Rival' }))))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(codeOf(await q(COUNTER, { id: 'not-a-uuid', terms }, member))).toMatchObject({ code: 'BAD_USER_INPUT' });
    // the brand made the latest offer (the invitation): its own counter is FORBIDDEN
    expect(codeOf(await q(COUNTER, { id, terms }, member))).toMatchObject({ code: 'FORBIDDEN', actors: ['creator'] });

    const creator = identities.creator(uuid(704));
    const hostile: [Record<string, unknown>, string][] = [
      [fee(-1), 'terms.fee.amountMinor'],
      [fee(100, 'XYZ1'), 'terms.fee.currency'],
      [{ ...terms, commissionPercent: 0 }, 'terms.commissionPercent'],
      [{ ...terms, note: 'x'.repeat(2001) }, 'terms.note'],
      [
        { ...terms, deliverables: [{ platform: 'INSTAGRAM', format: 'REEL', count: 1, dueOn: '2027-09-01' }] },
        'terms.deliverables.0.dueOn',
      ],
      [
        { ...terms, deliverables: [{ platform: 'INSTAGRAM', format: 'REEL', count: 101, dueOn: '2027-06-20' }] },
        'terms.deliverables.0.count',
      ],
      [
        {
          ...terms,
          deliverables: Array.from({ length: 100 }, () => ({ platform: 'INSTAGRAM', format: 'REEL', count: 1, dueOn: '2027-06-20' })),
        },
        'terms.deliverables',
      ],
    ];
    for (const [bad, field] of hostile) {
      const r = await q(COUNTER, { id, terms: bad }, creator);
      expect(codeOf(r)).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(JSON.stringify(r.errors)).not.toMatch(/stack|typeorm|QueryFailed|partnership_offers/i);
    }
    // every bad field at once
    const all = codeOf(await q(COUNTER, { id, terms: { fee: { amountMinor: -1, currency: 'USD' }, commissionPercent: 101 } }, creator));
    expect((all!.problems as { field: string }[]).map((p) => p.field)).toEqual(['terms.fee.amountMinor', 'terms.commissionPercent']);
    const nul = await q(COUNTER, { id, terms: { ...terms, note: 'hi\u0000there' } }, creator);
    expect(codeOf(nul)).toMatchObject({ code: 'BAD_USER_INPUT' });
    // nothing was written: still one round, still the creator's turn
    expect((await offers(id)).offers).toHaveLength(1);
    expect((await outboxEvents(sub, id)).map((e) => e.type)).toEqual(['partnership.invited']);
    // an answer or an invitation through changePartnershipStatus follows the same rules
    const MOVE = `mutation($id: ID!, $status: PartnershipStatus!) { changePartnershipStatus(id: $id, status: $status) { status } }`;
    expect(codeOf(await q(MOVE, { id, status: 'ACCEPTED' }, member))).toMatchObject({ code: 'FORBIDDEN', actors: ['creator'] });
    expect(codeOf(await q(MOVE, { id, status: 'INVITED' }, member))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status' });
  });
});
