import { Identity } from '@influenceflow/kit';
import { eventually, identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { todayUtc } from '../src/campaigns/campaign-calendar';
import { campaignSubgraph } from '../src/schema';
import { CampaignServices, campaignServices } from '../src/services';
import { codeOf, knownCreators, newBrand, newCampaign, ok, outboxEvents } from './support';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const [ANA, BEN, CAL, DIA, EVE] = [801, 802, 803, 804, 805].map(uuid);
const ENDED_PAGE = 'https://influenceflow.example/campaign-ended';
const DAY = 86_400_000;
const today = todayUtc();
const daysFromToday = (n: number) => todayUtc(new Date(Date.now() + n * DAY));

const STATUS = `mutation($id: ID!, $s: CampaignStatus!) { changeCampaignStatus(id: $id, status: $s) { status } }`;
const PARTNERSHIP_STATUS = `mutation($id: ID!, $s: PartnershipStatus!, $r: String) { changePartnershipStatus(id: $id, status: $s, reason: $r) { status } }`;
const PARTNERSHIP = `query($id: ID!) { partnership(id: $id) {
  status statusReason trackingLink
  campaign { id budget { amountMinor } }
  campaignOverview { id name status startsOn endsOn platforms acceptedBriefVersion brand { name } }
  deliverables { id status dueOn overdueSince }
} }`;
const COMPLETION = `query($id: ID!) { campaign(id: $id) { status completion { endedOn due waitsUntil reason } } }`;
const QUEUE = `query($brandId: ID!, $first: Int, $after: String) { reviewQueue(brandId: $brandId, first: $first, after: $after) {
  edges { cursor node { reasons deliverable { id status } } } pageInfo { hasNextPage endCursor }
} }`;
const DELIVERABLES = `query($brandId: ID!, $statuses: [DeliverableStatus!], $overdue: Boolean, $first: Int, $after: String) {
  deliverables(brandId: $brandId, statuses: $statuses, overdue: $overdue, first: $first, after: $after) {
    edges { node { id status overdueSince } } pageInfo { hasNextPage endCursor }
  } }`;

type PartnershipView = {
  status: string;
  statusReason: string | null;
  trackingLink: string | null;
  campaign: { id: string } | null;
  campaignOverview: Record<string, unknown> | null;
  deliverables: { id: string; status: string; dueOn: string; overdueSince: string | null }[];
};

describe('the campaign lifecycle: dates, completion, the end of partnerships, overdue work and the review queue', () => {
  let sub: TestSubgraph<CampaignServices>;
  let brandId: string;
  let member: Identity;
  const creator = (id: string) => identities.creator(id);
  const q = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who: Identity | null) =>
    sub.query<T>(query, variables, who);
  const db = (sql: string, params: unknown[] = []) => sub.runtime.dataSource.query(sql, params);
  const view = async (id: string, who: Identity) => ok(await q<{ partnership: PartnershipView }>(PARTNERSHIP, { id }, who)).partnership;
  const campaignTo = async (id: string, status: string) => ok(await q(STATUS, { id, s: status }, member));

  /** A campaign running today only, with a brief of one TikTok short due today; its id. */
  async function campaignOfToday(name: string): Promise<string> {
    const id = await newCampaign(sub, member, {
      brandId,
      name,
      goal: { type: 'CONTENT', target: 3 },
      budget: { amountMinor: 300_000, currency: 'EUR' },
      startsOn: today,
      endsOn: today,
      platforms: ['TIKTOK'],
    });
    ok(
      await q(
        `mutation($id: ID!, $due: String!) { publishBrief(campaignId: $id, input: { brandStory: "Rain jackets", deliverables: [{ platform: TIKTOK, format: SHORT, count: 1, dueOn: $due }] }) { version } }`,
        { id, due: today },
        member,
      ),
    );
    return id;
  }
  const invite = async (campaignId: string, creatorId: string, length = 'CAMPAIGN') =>
    ok(
      await q<{ inviteCreator: { id: string } }>(
        `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id } }`,
        { input: { campaignId, creatorId, fee: { amountMinor: 5000, currency: 'EUR' }, length } },
        member,
      ),
    ).inviteCreator.id;
  const accept = async (id: string, creatorId: string) =>
    ok(await q(`mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { status } }`, { id }, creator(creatorId)));
  /** Under contract, as contracts' contract.executed would make it (that path has its own tests), then active. */
  async function activePartnership(campaignId: string, creatorId: string, length = 'CAMPAIGN'): Promise<string> {
    const id = await invite(campaignId, creatorId, length);
    await accept(id, creatorId);
    await db(`UPDATE partnerships SET status = 'contracted' WHERE id = $1`, [id]);
    ok(await q(PARTNERSHIP_STATUS, { id, s: 'ACTIVE' }, member));
    return id;
  }
  /**
   * Time passes: the campaign ran from 40 days ago until 10 days ago (or still runs until today), its
   * deliverables were due 12 days ago.
   */
  async function movedIntoThePast(campaignId: string, { stillRunning = false } = {}): Promise<void> {
    await db(`UPDATE campaigns SET starts_on = starts_on - 40, ends_on = ends_on - $2::int WHERE id = $1`, [
      campaignId,
      stillRunning ? 0 : 10,
    ]);
    await db(`UPDATE deliverables SET due_on = due_on - 12 WHERE campaign_id = $1`, [campaignId]);
  }

  beforeAll(async () => {
    // The task's own schedule is far off: each test runs it when it means to (runOnce).
    sub = await startTestSubgraph({
      ...campaignSubgraph,
      services: (runtime) => campaignServices(runtime, { lifecycleIntervalMs: 86_400_000, campaignEndedUrl: ENDED_PAGE }),
    });
    brandId = await newBrand(sub, { name: 'Raincoat Co', websiteUrl: 'https://raincoat.example/' });
    member = identities.brandMember(brandId);
    await knownCreators(sub, [
      [ANA, 'ana.outdoors'],
      [BEN, 'ben.bikes'],
      [CAL, 'cal.climbs'],
      [DIA, 'dia.dives'],
      [EVE, 'eve.explores'],
    ]);
  }, 60_000);
  afterAll(() => sub?.close());

  it('refuses a campaign wholly in the past, on input.endsOn, and accepts one ending today (UTC)', async () => {
    const input = (startsOn: string, endsOn: string) => ({
      brandId,
      name: 'Old news',
      goal: { type: 'AWARENESS', target: 10 },
      budget: { amountMinor: 1000, currency: 'EUR' },
      startsOn,
      endsOn,
    });
    const create = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id endsOn } }`;
    const before = (await db(`SELECT count(*)::int AS n FROM campaigns`))[0].n;
    for (const [startsOn, endsOn] of [
      ['2025-03-01', '2025-04-30'],
      [daysFromToday(-5), daysFromToday(-1)],
    ]) {
      const r = await q(create, { input: input(startsOn, endsOn) }, member);
      expect(codeOf(r)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.endsOn' });
      expect(r.errors![0].message).toContain(`must be today (${today}, UTC) or later`);
    }
    expect((await db(`SELECT count(*)::int AS n FROM campaigns`))[0].n).toBe(before);
    // Started last week and still running: fine.
    expect(
      ok(await q<{ createCampaign: { endsOn: string } }>(create, { input: input(daysFromToday(-7), today) }, member)).createCampaign.endsOn,
    ).toBe(today);
  });

  it('does not launch (or resume) a campaign after its last day', async () => {
    const id = await campaignOfToday('Launched too late');
    await movedIntoThePast(id);
    const r = await q(STATUS, { id, s: 'ACTIVE' }, member);
    expect(codeOf(r)).toMatchObject({ code: 'INVALID_STATE', status: 'draft', endsOn: daysFromToday(-10) });
    expect(r.errors![0].message).toBe(`The campaign ended on ${daysFromToday(-10)}: it cannot go live again`);
    // A paused one past its end cannot resume either; it can still be cancelled.
    const paused = await campaignOfToday('Paused too long');
    await campaignTo(paused, 'ACTIVE');
    await campaignTo(paused, 'PAUSED');
    await movedIntoThePast(paused);
    expect(codeOf(await q(STATUS, { id: paused, s: 'ACTIVE' }, member))).toMatchObject({ code: 'INVALID_STATE', status: 'paused' });
    expect((await db(`SELECT status FROM campaigns WHERE id = $1`, [paused]))[0].status).toBe('paused');
    // Nor does it take new partnerships.
    const lateInvite = await q(
      `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id } }`,
      { input: { campaignId: paused, creatorId: ANA, fee: { amountMinor: 5000, currency: 'EUR' } } },
      member,
    );
    expect(codeOf(lateInvite)).toMatchObject({ code: 'INVALID_STATE', endsOn: daysFromToday(-10) });
    expect((await db(`SELECT count(*)::int AS n FROM partnerships WHERE campaign_id = $1`, [paused]))[0].n).toBe(0);
    expect(
      ok(await q<{ changeCampaignStatus: { status: string } }>(STATUS, { id: paused, s: 'CANCELLED' }, member)).changeCampaignStatus.status,
    ).toBe('CANCELLED');
  });

  it('completes a campaign past its end, ending each open partnership with the reason and its own event, one replica at a time', async () => {
    const id = await campaignOfToday('Autumn rain');
    await campaignTo(id, 'ACTIVE');
    const invited = await invite(id, ANA);
    const accepted = await invite(id, BEN);
    await accept(accepted, BEN);
    const active = await activePartnership(id, CAL);
    const paused = await activePartnership(id, DIA);
    ok(await q(PARTNERSHIP_STATUS, { id: paused, s: 'PAUSED', r: 'Holiday' }, member));
    await movedIntoThePast(id);

    expect(ok(await q<{ campaign: unknown }>(COMPLETION, { id }, member)).campaign).toEqual({
      status: 'ACTIVE',
      completion: { endedOn: daysFromToday(-10), due: true, waitsUntil: null, reason: `The campaign ended on ${daysFromToday(-10)}` },
    });

    // Another replica holds the turn: this one skips and changes nothing.
    const other = sub.runtime.dataSource.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    await other.query(`SELECT pg_advisory_xact_lock(7265117651)`);
    expect(await sub.services.lifecycle.runOnce()).toBeNull();
    expect((await db(`SELECT status FROM campaigns WHERE id = $1`, [id]))[0].status).toBe('active');
    await other.rollbackTransaction();
    await other.release();

    const run = await sub.services.lifecycle.runOnce();
    expect(run!.completed).toContain(id);
    expect(ok(await q<{ campaign: unknown }>(COMPLETION, { id }, member)).campaign).toEqual({ status: 'COMPLETED', completion: null });
    const campaignEvents = async () => (await outboxEvents(sub, id)).map((e) => e.type).filter((t) => t.startsWith('campaign.'));
    expect(await campaignEvents()).toEqual(['campaign.created', 'campaign.launched', 'campaign.completed']);

    const ended = async (pid: string) => {
      const events = await outboxEvents(sub, pid);
      const last = events[events.length - 1];
      return {
        status: (await view(pid, member)).status,
        statusReason: (await view(pid, member)).statusReason,
        event: last.type,
        data: last.envelope.data,
      };
    };
    expect(await ended(invited)).toMatchObject({
      status: 'TERMINATED',
      statusReason: 'campaign completed',
      event: 'partnership.terminated',
      data: { previousStatus: 'invited', status: 'terminated', reason: 'campaign completed' },
    });
    expect(await ended(accepted)).toMatchObject({
      status: 'TERMINATED',
      event: 'partnership.terminated',
      data: { previousStatus: 'accepted' },
    });
    expect(await ended(active)).toMatchObject({
      status: 'COMPLETED',
      statusReason: 'campaign completed',
      event: 'partnership.completed',
      data: { previousStatus: 'active', reason: 'campaign completed' },
    });
    expect(await ended(paused)).toMatchObject({ status: 'COMPLETED', event: 'partnership.completed', data: { previousStatus: 'paused' } });

    // A second run finds nothing more to do.
    const again = await sub.services.lifecycle.runOnce();
    expect(again!.completed).not.toContain(id);
    expect(await campaignEvents()).toHaveLength(3);
  });

  it('keeps a campaign running while a long-term partnership at work still runs, and says why', async () => {
    const id = await campaignOfToday('Year of rain');
    await campaignTo(id, 'ACTIVE');
    const longTerm = await activePartnership(id, EVE, 'THREE_MONTHS');
    await movedIntoThePast(id);
    const startsOn = daysFromToday(-40);
    const [y, m, d] = startsOn.split('-').map(Number);
    const termEnd = todayUtc(new Date(Date.UTC(y, m - 1 + 3, d) - DAY));

    expect((await sub.services.lifecycle.runOnce())!.completed).not.toContain(id);
    const { campaign } = ok(await q<{ campaign: { status: string; completion: Record<string, unknown> } }>(COMPLETION, { id }, member));
    expect(campaign.status).toBe('ACTIVE');
    expect(campaign.completion).toEqual({
      endedOn: daysFromToday(-10),
      due: false,
      waitsUntil: termEnd,
      reason: `1 long-term partnership(s) still run, the last until ${termEnd}: the campaign completes after it`,
    });
    // After the term, the next run completes it and the partnership with it.
    const afterTerm = new Date(Date.parse(`${termEnd}T12:00:00Z`) + DAY);
    expect((await sub.services.lifecycle.runOnce(afterTerm))!.completed).toContain(id);
    expect(await view(longTerm, member)).toMatchObject({ status: 'COMPLETED', statusReason: 'campaign completed' });
  });

  it('cancelling a campaign terminates every open partnership, those at work too', async () => {
    const id = await campaignOfToday('Cancelled drizzle');
    await campaignTo(id, 'ACTIVE');
    const invited = await invite(id, ANA);
    const active = await activePartnership(id, BEN);
    const declined = await invite(id, CAL);
    ok(await q(`mutation($id: ID!) { respondToInvitation(id: $id, accept: false) { status } }`, { id: declined }, creator(CAL)));
    // Only the brand's members cancel: the analyst and the creator cannot, and nothing moves.
    expect(codeOf(await q(STATUS, { id, s: 'CANCELLED' }, identities.analyst(brandId)))).toMatchObject({ code: 'FORBIDDEN' });
    expect(codeOf(await q(STATUS, { id, s: 'CANCELLED' }, creator(BEN)))).toMatchObject({ code: 'NOT_FOUND' });
    expect((await view(active, member)).status).toBe('ACTIVE');

    await campaignTo(id, 'CANCELLED');
    for (const pid of [invited, active]) {
      expect(await view(pid, member)).toMatchObject({ status: 'TERMINATED', statusReason: 'campaign cancelled' });
      const events = await outboxEvents(sub, pid);
      expect(events[events.length - 1]).toMatchObject({
        type: 'partnership.terminated',
        envelope: { data: { reason: 'campaign cancelled' } },
      });
    }
    expect(await view(declined, member)).toMatchObject({ status: 'DECLINED' });
  });

  it("sends an ended partnership's link to the campaign-ended page and marks its clicks as after the end", async () => {
    const id = await campaignOfToday('Link after rain');
    await campaignTo(id, 'ACTIVE');
    const running = await activePartnership(id, ANA);
    const ending = await activePartnership(id, DIA);
    ok(await q(PARTNERSHIP_STATUS, { id: ending, s: 'TERMINATED', r: 'Off-brand post' }, member));
    const click = async (pid: string) => {
      const link = (await view(pid, member)).trackingLink!;
      const res = await fetch(link, {
        redirect: 'manual',
        headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' },
      });
      expect(res.status).toBe(302);
      const [row] = await eventually(async () => {
        const rows = await db(`SELECT envelope FROM outbox WHERE type = 'click.recorded' AND key = $1`, [pid]);
        return rows.length > 0 && rows;
      });
      return { location: new URL(res.headers.get('location')!), data: row.envelope.data };
    };
    const live = await click(running);
    expect(live.location.origin).toBe('https://raincoat.example');
    expect(live.data).toMatchObject({ partnershipId: running, afterEnd: false });
    const late = await click(ending);
    expect(late.location.origin + late.location.pathname).toBe(ENDED_PAGE);
    expect(late.location.searchParams.get('ifclid')).toBe(late.data.clickId);
    expect(late.data).toMatchObject({ partnershipId: ending, afterEnd: true, traffic: 'human' });
  });

  it("gives the creator the campaign of their partnership without the brand's figures", async () => {
    const id = await campaignOfToday('Drizzle drop');
    const pid = await invite(id, EVE);
    await accept(pid, EVE);
    const mine = await view(pid, creator(EVE));
    expect(mine.campaign).toBeNull();
    expect(mine.campaignOverview).toEqual({
      id,
      name: 'Drizzle drop',
      status: 'DRAFT',
      startsOn: today,
      endsOn: today,
      platforms: ['TIKTOK'],
      acceptedBriefVersion: 1,
      brand: { name: 'Raincoat Co' },
    });
    const theirs = await view(pid, member);
    expect(theirs.campaign).toEqual({ id, budget: { amountMinor: 300_000 } });
    expect(theirs.campaignOverview).toEqual(mine.campaignOverview);
    // Another creator, another brand and anonymous callers see nothing of it.
    expect(codeOf(await q(PARTNERSHIP, { id: pid }, creator(ANA)))).toMatchObject({ code: 'NOT_FOUND' });
    expect(codeOf(await q(PARTNERSHIP, { id: pid }, identities.brandMember(uuid(999))))).toMatchObject({ code: 'NOT_FOUND' });
    expect(codeOf(await q(PARTNERSHIP, { id: pid }, null))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('marks work past its due date overdue and puts it in the review queue with every reason, with drafts to review and flags', async () => {
    // A brand of its own, so the queue holds only what this test makes.
    const queueBrand = await newBrand(sub, { name: 'Queue Co', websiteUrl: 'https://queue.example/' });
    const saved = { brandId, member };
    brandId = queueBrand;
    member = identities.brandMember(queueBrand);
    try {
      const id = await campaignOfToday('Queue');
      await campaignTo(id, 'ACTIVE');
      const [a, b, c] = [await activePartnership(id, ANA), await activePartnership(id, BEN), await activePartnership(id, CAL)];
      const deliverableOf = async (pid: string) => (await view(pid, member)).deliverables[0];
      const [da, db_, dc] = [await deliverableOf(a), await deliverableOf(b), await deliverableOf(c)];
      // a: a draft waits for review; c: flagged; b: nothing yet.
      ok(
        await q(
          `mutation($id: ID!) { submitDraft(input: { deliverableId: $id, draftUrl: "https://drive.example/a", caption: "#ad" }) { status } }`,
          { id: da.id },
          creator(ANA),
        ),
      );
      ok(await q(`mutation($id: ID!) { flagContent(id: $id, reason: "Wrong jacket") { id } }`, { id: dc.id }, member));
      const queue = async (who: Identity | null, vars: Record<string, unknown> = {}) =>
        q<{
          reviewQueue: {
            edges: { cursor: string; node: { reasons: string[]; deliverable: { id: string } } }[];
            pageInfo: { hasNextPage: boolean; endCursor: string };
          };
        }>(QUEUE, { brandId, ...vars }, who);
      const entries = async () =>
        ok(await queue(member)).reviewQueue.edges.map((e) => [e.node.deliverable.id, e.node.reasons.slice().sort()]);
      expect(await entries()).toEqual(
        [
          [da.id, ['AWAITING_REVIEW']],
          [dc.id, ['FLAGGED']],
        ].sort(),
      );

      await movedIntoThePast(id, { stillRunning: true });
      const run = await sub.services.lifecycle.runOnce();
      expect(run!.overdue).toBe(3);
      const overdueSince = daysFromToday(-11);
      expect((await deliverableOf(b)).overdueSince).toBe(overdueSince);
      expect(new Map((await entries()) as [string, string[]][])).toEqual(
        new Map([
          [da.id, ['AWAITING_REVIEW', 'OVERDUE']],
          [db_.id, ['OVERDUE']],
          [dc.id, ['FLAGGED', 'OVERDUE']],
        ]),
      );
      // Pages, one item at a time, in due order, with the cursor of the last.
      const first = ok(await queue(member, { first: 1 })).reviewQueue;
      expect(first.edges).toHaveLength(1);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const rest = ok(await queue(member, { first: 5, after: first.pageInfo.endCursor })).reviewQueue;
      expect(rest.edges).toHaveLength(2);
      expect(rest.pageInfo.hasNextPage).toBe(false);
      expect([...first.edges, ...rest.edges].map((e) => e.node.deliverable.id).sort()).toEqual([da.id, db_.id, dc.id].sort());

      // Deliverables by status and overdue.
      const list = async (vars: Record<string, unknown>) =>
        ok(
          await q<{ deliverables: { edges: { node: { id: string } }[] } }>(DELIVERABLES, { brandId, ...vars }, member),
        ).deliverables.edges.map((e) => e.node.id);
      expect(await list({ statuses: ['SUBMITTED'] })).toEqual([da.id]);
      expect((await list({ statuses: ['PLANNED'], overdue: true })).sort()).toEqual([db_.id, dc.id].sort());
      expect(await list({ overdue: false })).toEqual([]);

      // Who may look: the analyst reads it; the creator, another brand and anonymous callers may not.
      expect(ok(await queue(identities.analyst(brandId))).reviewQueue.edges).toHaveLength(3);
      expect(codeOf(await queue(creator(ANA)))).toMatchObject({ code: 'FORBIDDEN' });
      expect(codeOf(await queue(identities.brandMember(uuid(999)), { brandId }))).toMatchObject({ code: 'FORBIDDEN' });
      expect(codeOf(await q(QUEUE, { brandId: saved.brandId }, member))).toMatchObject({ code: 'FORBIDDEN' });
      expect(codeOf(await queue(null))).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(codeOf(await q(DELIVERABLES, { brandId }, creator(ANA)))).toMatchObject({ code: 'FORBIDDEN' });
      // Hostile cursors and ids: a clear refusal, never a database error.
      const forged = Buffer.from(JSON.stringify(["2026-01-01'; DROP TABLE deliverables; --", uuid(1)])).toString('base64url');
      for (const after of ['not-a-cursor', forged, Buffer.from(JSON.stringify(['2026-13-45', uuid(1)])).toString('base64url')]) {
        expect(codeOf(await queue(member, { after }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
        expect(codeOf(await q(DELIVERABLES, { brandId, after }, member))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
      }
      expect(codeOf(await q(QUEUE, { brandId: 'not-a-uuid\u0000' }, member))?.code).toMatch(/^(FORBIDDEN|BAD_USER_INPUT)$/);

      // Posting clears overdue: the post was late, but it is out.
      ok(
        await q(`mutation($id: ID!) { reviewDraft(input: { deliverableId: $id, decision: APPROVED }) { status } }`, { id: da.id }, member),
      );
      ok(
        await q(
          `mutation($id: ID!) { markDeliverablePosted(id: $id, postUrl: "https://tiktok.com/@ana/1") { status } }`,
          { id: da.id },
          creator(ANA),
        ),
      );
      expect((await deliverableOf(a)).overdueSince).toBeNull();
      expect((await entries()).map(([d]) => d)).not.toContain(da.id);
    } finally {
      ({ brandId, member } = saved);
    }
  });
});
