import { campaignServices, campaignSubgraph, CampaignServices } from '@influenceflow/campaign';
import { eventually } from '@influenceflow/kit/testing';
import { startTestStack, TestStack } from '../../src/testing/stack';
import {
  campaignInput,
  codeOf,
  createBrand,
  daysFromToday,
  dbOf,
  expectNoLeak,
  inviteWhenKnown,
  ok,
  outboxOf,
  saveCreator,
} from './support';

/**
 * A campaign's life through the gateway with real tokens (issue 12, "A lifecycle that holds"): no posting
 * before the launch, no campaign wholly in the past, completion by the scheduled task with its event,
 * cancelling ends the partnerships and their links still redirect on the gateway's origin (to the
 * configured "campaign ended" page, the click recorded as after the end), overdue work, the review queue
 * across campaigns, deliverables by status, recurring schedules, the creator's view of the campaign and
 * the content library.
 */
describe('the campaign lifecycle through the gateway', () => {
  let stack: TestStack;
  let campaign: CampaignServices;
  let brandId: string;
  let member: string;
  let analyst: string;
  let outsider: string;
  const ENDED_PAGE = 'https://lifecycle.example/campaign-ended';
  const uuid = (n: number) => `00000000-0000-4000-8000-0000000e12${String(n).padStart(2, '0')}`;
  const creators = {
    ada: { id: uuid(1), handle: 'cycle.ada' },
    bo: { id: uuid(2), handle: 'cycle.bo' },
    cy: { id: uuid(3), handle: 'cycle.cy' },
  };
  const tokens: Record<keyof typeof creators | 'stranger', string> = { ada: '', bo: '', cy: '', stranger: '' };
  const db = () => dbOf(stack, 'campaign');
  const today = daysFromToday(0);

  const STATUS = `mutation($id: ID!, $s: CampaignStatus!) { changeCampaignStatus(id: $id, status: $s) { status } }`;
  const PARTNERSHIP = `query($id: ID!) { partnership(id: $id) {
    status statusReason trackingLink lengthMonths
    campaignOverview { name status startsOn endsOn acceptedBriefVersion brand { name } }
    deliverables { id sequence cycle dueOn status overdueSince }
  } }`;
  type PartnershipView = {
    status: string;
    statusReason: string | null;
    trackingLink: string | null;
    lengthMonths: number | null;
    campaignOverview: Record<string, unknown> | null;
    deliverables: { id: string; sequence: number; cycle: number; dueOn: string; status: string; overdueSince: string | null }[];
  };
  const view = async (id: string, token: string) =>
    (await ok<{ partnership: PartnershipView }>(stack, PARTNERSHIP, { id }, token)).partnership;
  const SUBMIT = `mutation($id: ID!, $caption: String) { submitDraft(input: { deliverableId: $id, draftUrl: "https://drive.example/cycle", caption: $caption }) { status } }`;
  const APPROVE = `mutation($id: ID!) { reviewDraft(input: { deliverableId: $id, decision: APPROVED }) { status } }`;
  const POST = `mutation($id: ID!) { markDeliverablePosted(id: $id, postUrl: "https://instagram.com/p/cycle-post") { status } }`;
  const VERIFY = `mutation($id: ID!) { verifyDeliverable(id: $id) { status } }`;

  /** A campaign of the brand with a published brief of one reel (or `count`), due on `dueOn`; its id. */
  async function newCampaign(name: string, dates: { startsOn: string; endsOn: string; dueOn: string }, count = 1): Promise<string> {
    const created = await ok<{ createCampaign: { id: string } }>(
      stack,
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      { input: campaignInput(brandId, { name, startsOn: dates.startsOn, endsOn: dates.endsOn }) },
      member,
    );
    await ok(
      stack,
      `mutation($id: ID!, $due: String!, $count: Int!) { publishBrief(campaignId: $id, input: { brandStory: "Bikes for every season",
        deliverables: [{ platform: INSTAGRAM, format: REEL, count: $count, dueOn: $due }] }) { version } }`,
      { id: created.createCampaign.id, due: dates.dueOn, count },
      member,
    );
    return created.createCampaign.id;
  }
  /** The creator invited to the campaign and accepting; the partnership's id. */
  async function acceptedPartnership(campaignId: string, who: keyof typeof creators, length = 'CAMPAIGN'): Promise<string> {
    const id = await inviteWhenKnown(stack, member, {
      campaignId,
      creatorId: creators[who].id,
      fee: { amountMinor: 40_000, currency: 'USD' },
      length,
    });
    await ok(stack, `mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { status } }`, { id }, tokens[who]);
    return id;
  }
  /** Time passes (as the service tests do it): the campaign started 40 days ago, ended `endedDaysAgo` ago, its work was due 12 days ago. */
  async function movedIntoThePast(campaignId: string, endedDaysAgo: number | null): Promise<void> {
    await db()(`UPDATE campaigns SET starts_on = starts_on - 40, ends_on = ends_on - $2::int WHERE id = $1`, [
      campaignId,
      endedDaysAgo ?? 0,
    ]);
    await db()(`UPDATE deliverables SET due_on = due_on - 12 WHERE campaign_id = $1`, [campaignId]);
  }
  /** A human follows the link on the gateway's origin; where it went and the click it recorded. */
  async function follow(link: string, partnershipId: string) {
    const res = await fetch(link, {
      redirect: 'manual',
      headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' },
    });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    const [click] = await eventually(
      async () => {
        const rows = await db()<{ envelope: { data: Record<string, unknown> } }>(
          `SELECT envelope FROM outbox WHERE type = 'click.recorded' AND key = $1 AND envelope->'data'->>'clickId' = $2`,
          [partnershipId, location.searchParams.get('ifclid')],
        );
        return rows.length > 0 && rows;
      },
      30_000,
      'the click in the outbox',
    );
    return { location, click: click.envelope.data };
  }

  beforeAll(async () => {
    // The campaign service as deployed: a "campaign ended" page, links on the gateway's origin; the
    // scheduled task far off, so each test runs it when it means to (runOnce), as the service's tests do.
    stack = await startTestStack({
      linksOnGateway: true,
      modules: {
        campaign: {
          ...campaignSubgraph,
          services: (runtime) => campaignServices(runtime, { lifecycleIntervalMs: 86_400_000, campaignEndedUrl: ENDED_PAGE }),
        },
      },
    });
    campaign = stack.subgraphs.campaign.services as CampaignServices;
    brandId = await createBrand(stack, 'Cycle Lifecycle Co', 'https://lifecycle.example/shop');
    member = await stack.token({ sub: 'cyc-member', roles: ['brand_member'], brandIds: [brandId] });
    analyst = await stack.token({ sub: 'cyc-analyst', roles: ['analyst'], brandIds: [brandId] });
    outsider = await stack.token({ sub: 'cyc-rival', roles: ['brand_member'], brandIds: [await createBrand(stack, 'Cycle Rival')] });
    for (const [key, c] of Object.entries(creators) as [keyof typeof creators, { id: string; handle: string }][]) {
      tokens[key] = await stack.token({ sub: c.handle, roles: ['creator'], creatorId: c.id });
      await saveCreator(
        stack,
        tokens[key],
        { handle: c.handle, displayName: c.handle, niches: ['cycling'], country: 'US' },
        { handle: c.handle, followers: 15_000 },
      );
    }
    tokens.stranger = await stack.token({ sub: 'cyc-stranger', roles: ['creator'], creatorId: uuid(99) });
  }, 120_000);
  afterAll(() => stack?.close());

  it('refuses a campaign dated wholly in the past at create, on input.endsOn, and writes nothing', async () => {
    const before = (await db()(`SELECT count(*)::int AS n FROM campaigns WHERE brand_id = $1`, [brandId]))[0].n;
    for (const [startsOn, endsOn] of [
      ['2025-03-01', '2025-04-30'],
      [daysFromToday(-9), daysFromToday(-1)],
    ]) {
      const r = await stack.query(
        `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
        { input: campaignInput(brandId, { startsOn, endsOn }) },
        member,
      );
      expect(r.data ?? null).toBeNull();
      expect(codeOf(r)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.endsOn' });
      expect(r.errors![0].message).toContain(`must be today (${today}, UTC) or later`);
      expectNoLeak(r);
    }
    expect((await db()(`SELECT count(*)::int AS n FROM campaigns WHERE brand_id = $1`, [brandId]))[0].n).toBe(before);
  });

  it('posts and verifies only while the campaign is active, prints the link on the gateway, and shows the creator the campaign they joined', async () => {
    const id = await newCampaign('Cycle launch', { startsOn: today, endsOn: daysFromToday(40), dueOn: daysFromToday(20) });
    // A second brief version before the creator answers: the one they accept is the one they see.
    await ok(stack, `mutation($id: ID!) { publishBrief(campaignId: $id, input: { tone: "Playful" }) { version } }`, { id }, member);
    const pid = await acceptedPartnership(id, 'ada');
    const mine = await view(pid, tokens.ada);
    expect(mine.campaignOverview).toEqual({
      name: 'Cycle launch',
      status: 'DRAFT',
      startsOn: today,
      endsOn: daysFromToday(40),
      acceptedBriefVersion: 2,
      brand: { name: 'Cycle Lifecycle Co' },
    });
    for (const token of [tokens.stranger, outsider]) {
      const hidden = await stack.query(PARTNERSHIP, { id: pid }, token);
      expect(codeOf(hidden)).toMatchObject({ code: 'NOT_FOUND' });
      expect(JSON.stringify(hidden)).not.toContain('Cycle launch');
    }
    expect(codeOf(await stack.query(PARTNERSHIP, { id: pid }))).toMatchObject({ code: 'UNAUTHENTICATED' });

    // The tracking link is on the platform's public origin (the gateway), not the campaign service's port.
    const gatewayOrigin = new URL(stack.gateway.url).origin;
    expect(mine.trackingLink).toMatch(new RegExp(`^${gatewayOrigin}/r/cycleada-[a-z2-9]{8}$`));
    expect(mine.trackingLink).not.toContain(`:${stack.subgraphs.campaign.port}/`);
    const live = await follow(mine.trackingLink!, pid);
    expect(live.location.origin + live.location.pathname).toBe('https://lifecycle.example/shop');
    expect(live.click).toMatchObject({ partnershipId: pid, afterEnd: false, traffic: 'human' });

    // Draft and approval before the launch are fine; posting is not.
    const [d] = mine.deliverables;
    await ok(stack, SUBMIT, { id: d.id, caption: 'Out on the trail #ad' }, tokens.ada);
    await ok(stack, APPROVE, { id: d.id }, member);
    const early = await stack.query(POST, { id: d.id }, tokens.ada);
    expect(early.errors?.[0]).toMatchObject({
      message: 'The campaign is draft: content is posted and verified only while it is active',
      extensions: { code: 'INVALID_STATE', campaignStatus: 'draft' },
    });
    expect((await view(pid, member)).deliverables[0].status).toBe('APPROVED');

    // Live: posted. Paused: no verification until it runs again.
    await ok(stack, STATUS, { id, s: 'ACTIVE' }, member);
    expect(
      (await ok<{ markDeliverablePosted: { status: string } }>(stack, POST, { id: d.id }, tokens.ada)).markDeliverablePosted.status,
    ).toBe('POSTED');
    await ok(stack, STATUS, { id, s: 'PAUSED' }, member);
    const paused = await stack.query(VERIFY, { id: d.id }, member);
    expect(codeOf(paused)).toMatchObject({ code: 'INVALID_STATE', campaignStatus: 'paused' });
    await ok(stack, STATUS, { id, s: 'ACTIVE' }, member);
    expect((await ok<{ verifyDeliverable: { status: string } }>(stack, VERIFY, { id: d.id }, member)).verifyDeliverable.status).toBe(
      'VERIFIED',
    );
  });

  it('gives 3- and 6-month partnerships a monthly schedule, not one set', async () => {
    const id = await newCampaign('Cycle seasons', { startsOn: today, endsOn: daysFromToday(60), dueOn: daysFromToday(10) }, 2);
    const three = await view(await acceptedPartnership(id, 'bo', 'THREE_MONTHS'), tokens.bo);
    const six = await view(await acceptedPartnership(id, 'cy', 'SIX_MONTHS'), member);
    const monthsLater = (n: number) => {
      const [y, m, d] = daysFromToday(10).split('-').map(Number);
      const last = new Date(Date.UTC(y, m + n, 0)).getUTCDate(); // the month's last day, when it lacks the day
      return new Date(Date.UTC(y, m - 1 + n, Math.min(d, last))).toISOString().slice(0, 10);
    };
    expect(three.lengthMonths).toBe(3);
    expect(three.deliverables.map((d) => [d.sequence, d.cycle, d.dueOn])).toEqual([
      [1, 1, monthsLater(0)],
      [2, 1, monthsLater(0)],
      [3, 2, monthsLater(1)],
      [4, 2, monthsLater(1)],
      [5, 3, monthsLater(2)],
      [6, 3, monthsLater(2)],
    ]);
    expect(six.lengthMonths).toBe(6);
    expect(six.deliverables).toHaveLength(12);
    expect([...new Set(six.deliverables.map((d) => d.cycle))]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(six.deliverables[11].dueOn).toBe(monthsLater(5));
  });

  it('completes a campaign past its end by the scheduled task, with its event, and ends its partnerships; their links still redirect', async () => {
    const id = await newCampaign('Cycle finale', { startsOn: today, endsOn: today, dueOn: today });
    await ok(stack, STATUS, { id, s: 'ACTIVE' }, member);
    const accepted = await acceptedPartnership(id, 'ada');
    // Under contract, as contracts' contract.executed makes it (tested on its own), then at work.
    const atWork = await acceptedPartnership(id, 'bo');
    await db()(`UPDATE partnerships SET status = 'contracted' WHERE id = $1`, [atWork]);
    await ok(stack, `mutation($id: ID!) { changePartnershipStatus(id: $id, status: ACTIVE) { status } }`, { id: atWork }, member);
    const link = (await view(accepted, member)).trackingLink!;
    await movedIntoThePast(id, 10);

    const COMPLETION = `query($id: ID!) { campaign(id: $id) { status completion { endedOn due waitsUntil reason } } }`;
    expect((await ok<{ campaign: unknown }>(stack, COMPLETION, { id }, analyst)).campaign).toEqual({
      status: 'ACTIVE',
      completion: { endedOn: daysFromToday(-10), due: true, waitsUntil: null, reason: `The campaign ended on ${daysFromToday(-10)}` },
    });
    const run = await campaign.lifecycle.runOnce();
    expect(run!.completed).toContain(id);
    expect((await ok<{ campaign: unknown }>(stack, COMPLETION, { id }, member)).campaign).toEqual({
      status: 'COMPLETED',
      completion: null,
    });

    // campaign.completed went out through the outbox, like every move (the relay marks it sent).
    const events = await eventually(
      async () => {
        const rows = (await outboxOf(stack, 'campaign', id)).filter((e) => e.type.startsWith('campaign.'));
        return rows.every((e) => e.sent) && rows;
      },
      30_000,
      'the relay to publish the campaign events',
    );
    expect(events.map((e) => e.type)).toEqual(['campaign.created', 'campaign.launched', 'campaign.completed']);

    expect(await view(accepted, tokens.ada)).toMatchObject({ status: 'TERMINATED', statusReason: 'campaign completed' });
    expect(await view(atWork, tokens.bo)).toMatchObject({ status: 'COMPLETED', statusReason: 'campaign completed' });
    const [last] = (await outboxOf(stack, 'campaign', atWork)).slice(-1);
    expect(last).toMatchObject({
      type: 'partnership.completed',
      envelope: { data: { reason: 'campaign completed', previousStatus: 'active' } },
    });

    // The ended partnership's link: the "campaign ended" page, the click recorded as after the end.
    const after = await follow(link, accepted);
    expect(after.location.origin + after.location.pathname).toBe(ENDED_PAGE);
    expect(after.location.searchParams.get('ifclid')).toBe(after.click.clickId);
    expect(after.click).toMatchObject({ partnershipId: accepted, afterEnd: true, traffic: 'human' });
  });

  it('cancelling a campaign ends its open partnerships with the reason; the link on the gateway goes to the ended page', async () => {
    const id = await newCampaign('Cycle cancelled', { startsOn: today, endsOn: daysFromToday(30), dueOn: daysFromToday(15) });
    const accepted = await acceptedPartnership(id, 'cy');
    const invited = await inviteWhenKnown(stack, member, {
      campaignId: id,
      creatorId: creators.ada.id,
      fee: { amountMinor: 1_000, currency: 'USD' },
    });
    const link = (await view(accepted, member)).trackingLink!;
    expect(new URL(link).origin).toBe(new URL(stack.gateway.url).origin);
    for (const [token, code] of [
      [analyst, 'FORBIDDEN'],
      [tokens.cy, 'NOT_FOUND'],
      [outsider, 'NOT_FOUND'],
      [undefined, 'UNAUTHENTICATED'],
    ] as const) {
      const refused = await stack.query(STATUS, { id, s: 'CANCELLED' }, token);
      expect(codeOf(refused)).toMatchObject({ code });
      expectNoLeak(refused);
    }
    expect((await view(accepted, member)).status).toBe('ACCEPTED');

    await ok(stack, STATUS, { id, s: 'CANCELLED' }, member);
    for (const [pid, token] of [
      [accepted, tokens.cy],
      [invited, tokens.ada],
    ]) {
      expect(await view(pid, token)).toMatchObject({ status: 'TERMINATED', statusReason: 'campaign cancelled' });
      const [last] = (await outboxOf(stack, 'campaign', pid)).slice(-1);
      expect(last).toMatchObject({ type: 'partnership.terminated', envelope: { data: { reason: 'campaign cancelled' } } });
    }
    const after = await follow(link, accepted);
    expect(after.location.origin + after.location.pathname).toBe(ENDED_PAGE);
    expect(after.click).toMatchObject({ partnershipId: accepted, afterEnd: true });
    // A cancelled campaign takes no new brief version.
    const closed = await stack.query(
      `mutation($id: ID!) { publishBrief(campaignId: $id, input: { tone: "Late" }) { version } }`,
      { id },
      member,
    );
    expect(codeOf(closed)).toMatchObject({ code: 'INVALID_STATE' });
  });

  it("marks overdue work, and lists the brand's deliverables by status and its review queue across campaigns", async () => {
    // A brand of its own, so its lists hold only what this test makes.
    const queueBrand = await createBrand(stack, 'Cycle Queue Co', 'https://queue.lifecycle.example/');
    const saved = { brandId, member };
    brandId = queueBrand;
    member = await stack.token({ sub: 'cyq-member', roles: ['brand_member'], brandIds: [queueBrand] });
    const queueAnalyst = await stack.token({ sub: 'cyq-analyst', roles: ['analyst'], brandIds: [queueBrand] });
    try {
      const spring = await newCampaign('Queue spring', { startsOn: today, endsOn: daysFromToday(50), dueOn: daysFromToday(5) });
      const autumn = await newCampaign('Queue autumn', { startsOn: today, endsOn: daysFromToday(50), dueOn: daysFromToday(30) });
      await ok(stack, STATUS, { id: spring, s: 'ACTIVE' }, member);
      const latePartnership = await acceptedPartnership(spring, 'ada');
      const late = (await view(latePartnership, member)).deliverables[0];
      const drafted = (await view(await acceptedPartnership(autumn, 'bo'), member)).deliverables[0];
      const flagged = (await view(await acceptedPartnership(autumn, 'cy'), member)).deliverables[0];
      await ok(stack, SUBMIT, { id: drafted.id, caption: 'Autumn rides #ad' }, tokens.bo);
      await ok(stack, `mutation($id: ID!) { flagContent(id: $id, reason: "Wrong bike model") { id } }`, { id: flagged.id }, member);

      // Spring's work falls due in the past (the campaign still runs); the task's next run marks it.
      await movedIntoThePast(spring, null);
      expect((await campaign.lifecycle.runOnce())!.overdue).toBeGreaterThanOrEqual(1);
      expect((await view(latePartnership, member)).deliverables[0]).toMatchObject({
        status: 'PLANNED',
        overdueSince: daysFromToday(-6), // the day after its due date (5 days from now, moved 12 days back)
      });

      const QUEUE = `query($brandId: ID!, $first: Int, $after: String) { reviewQueue(brandId: $brandId, first: $first, after: $after) {
        edges { node { reasons deliverable { id campaignId } } } pageInfo { hasNextPage endCursor } } }`;
      type Queue = {
        reviewQueue: {
          edges: { node: { reasons: string[]; deliverable: { id: string; campaignId: string } } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      };
      const queue = await ok<Queue>(stack, QUEUE, { brandId }, member);
      // Earliest due first: spring's overdue reel, then autumn's two (the draft and the flag).
      expect(queue.reviewQueue.edges[0].node).toEqual({ reasons: ['OVERDUE'], deliverable: { id: late.id, campaignId: spring } });
      expect(new Map(queue.reviewQueue.edges.slice(1).map((e) => [e.node.deliverable.id, e.node.reasons]))).toEqual(
        new Map([
          [drafted.id, ['AWAITING_REVIEW']],
          [flagged.id, ['FLAGGED']],
        ]),
      );
      expect(await ok(stack, QUEUE, { brandId }, queueAnalyst)).toEqual(queue);
      const page = await ok<Queue>(stack, QUEUE, { brandId, first: 1 }, member);
      const rest = await ok<Queue>(stack, QUEUE, { brandId, first: 10, after: page.reviewQueue.pageInfo.endCursor }, member);
      expect([...page.reviewQueue.edges, ...rest.reviewQueue.edges]).toEqual(queue.reviewQueue.edges);
      expect(codeOf(await stack.query(QUEUE, { brandId, after: 'not-a-cursor' }, member))).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'after',
      });

      const LIST = `query($brandId: ID!, $statuses: [DeliverableStatus!], $overdue: Boolean) {
        deliverables(brandId: $brandId, statuses: $statuses, overdue: $overdue) { edges { node { id status } } } }`;
      const list = async (vars: Record<string, unknown>) =>
        (
          await ok<{ deliverables: { edges: { node: { id: string; status: string } }[] } }>(stack, LIST, { brandId, ...vars }, member)
        ).deliverables.edges.map((e) => e.node.id);
      expect(await list({ overdue: true })).toEqual([late.id]);
      expect(await list({ statuses: ['SUBMITTED'] })).toEqual([drafted.id]);
      expect(await list({ statuses: ['PLANNED'], overdue: false })).toEqual([flagged.id]);
      expect((await list({})).sort()).toEqual([late.id, drafted.id, flagged.id].sort());

      for (const [token, code] of [
        [tokens.ada, 'FORBIDDEN'],
        [outsider, 'FORBIDDEN'],
        [undefined, 'UNAUTHENTICATED'],
      ] as const) {
        for (const [query, vars] of [
          [QUEUE, { brandId }],
          [LIST, { brandId, overdue: true }],
        ] as const) {
          const refused = await stack.query(query, vars, token);
          expect(refused.data ?? null).toBeNull();
          expect(codeOf(refused)).toMatchObject({ code });
          expectNoLeak(refused);
        }
      }

      // Posting clears the mark.
      await ok(stack, SUBMIT, { id: late.id, caption: 'Finally out #ad' }, tokens.ada);
      await ok(stack, APPROVE, { id: late.id }, member);
      await ok(stack, POST, { id: late.id }, tokens.ada);
      expect(await list({ overdue: true })).toEqual([]);
    } finally {
      ({ brandId, member } = saved);
    }
  });

  it("keeps the brand's content library: approved and posted content with its reuse permission and its last day", async () => {
    const libraryBrand = await createBrand(stack, 'Cycle Library Co', 'https://library.lifecycle.example/');
    const saved = { brandId, member };
    brandId = libraryBrand;
    member = await stack.token({ sub: 'cyl-member', roles: ['brand_member'], brandIds: [libraryBrand] });
    const libraryAnalyst = await stack.token({ sub: 'cyl-analyst', roles: ['analyst'], brandIds: [libraryBrand] });
    try {
      const id = await newCampaign('Library', { startsOn: today, endsOn: daysFromToday(40), dueOn: daysFromToday(20) });
      await ok(stack, STATUS, { id, s: 'ACTIVE' }, member);
      const [posted] = (await view(await acceptedPartnership(id, 'ada'), member)).deliverables;
      const [approved] = (await view(await acceptedPartnership(id, 'bo'), member)).deliverables;
      const [planned] = (await view(await acceptedPartnership(id, 'cy'), member)).deliverables;
      for (const [d, token] of [
        [posted, tokens.ada],
        [approved, tokens.bo],
      ] as const) {
        await ok(stack, SUBMIT, { id: d.id, caption: 'Library ride #ad' }, token);
        await ok(stack, APPROVE, { id: d.id }, member);
      }
      await ok(stack, POST, { id: posted.id }, tokens.ada);

      const REUSE = `mutation($id: ID!, $allowed: Boolean!, $until: String) { setUgcReuse(id: $id, allowed: $allowed, until: $until) { ugcReuseAllowed ugcReuseUntil ugcReusableNow } }`;
      // Only the creator grants it: the brand and its analyst may not; others do not see it.
      for (const [token, code] of [
        [member, 'FORBIDDEN'],
        [libraryAnalyst, 'FORBIDDEN'],
        [outsider, 'NOT_FOUND'],
        [tokens.stranger, 'NOT_FOUND'],
        [undefined, 'UNAUTHENTICATED'],
      ] as const) {
        const refused = await stack.query(REUSE, { id: posted.id, allowed: true }, token);
        expect(codeOf(refused)).toMatchObject({ code });
        expectNoLeak(refused);
      }
      const pastUntil = await stack.query(REUSE, { id: posted.id, allowed: true, until: daysFromToday(-1) }, tokens.ada);
      expect(codeOf(pastUntil)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'until' });
      expect(
        (await ok<{ setUgcReuse: unknown }>(stack, REUSE, { id: posted.id, allowed: true, until: daysFromToday(90) }, tokens.ada))
          .setUgcReuse,
      ).toEqual({
        ugcReuseAllowed: true,
        ugcReuseUntil: daysFromToday(90),
        ugcReusableNow: true,
      });
      await ok(stack, REUSE, { id: approved.id, allowed: true, until: today }, tokens.bo);

      const LIBRARY = `query($brandId: ID!, $reusableOnly: Boolean) { contentLibrary(brandId: $brandId, reusableOnly: $reusableOnly) {
        edges { node { id status ugcReuseAllowed ugcReuseUntil ugcReusableNow } } } }`;
      const library = async (reusableOnly?: boolean) =>
        (
          await ok<{ contentLibrary: { edges: { node: Record<string, unknown> }[] } }>(stack, LIBRARY, { brandId, reusableOnly }, member)
        ).contentLibrary.edges.map((e) => e.node);
      const all = await library();
      expect(all.map((n) => n.id).sort()).toEqual([posted.id, approved.id].sort()); // not the planned one
      expect(all.find((n) => n.id === planned.id)).toBeUndefined();
      expect(all.find((n) => n.id === posted.id)).toEqual({
        id: posted.id,
        status: 'POSTED',
        ugcReuseAllowed: true,
        ugcReuseUntil: daysFromToday(90),
        ugcReusableNow: true,
      });

      // The approved piece's last day passes: it stays in the library, no longer reusable.
      await db()(`UPDATE deliverables SET ugc_reuse_until = ugc_reuse_until - 1 WHERE id = $1`, [approved.id]);
      expect((await library()).find((n) => n.id === approved.id)).toMatchObject({
        ugcReuseAllowed: true,
        ugcReusableNow: false,
        ugcReuseUntil: daysFromToday(-1),
      });
      expect((await library(true)).map((n) => n.id)).toEqual([posted.id]);
      // Withdrawn: not reusable, its last day cleared.
      await ok(stack, REUSE, { id: posted.id, allowed: false }, tokens.ada);
      expect(await library(true)).toEqual([]);

      for (const [token, code] of [
        [tokens.ada, 'FORBIDDEN'],
        [outsider, 'FORBIDDEN'],
        [undefined, 'UNAUTHENTICATED'],
      ] as const) {
        const refused = await stack.query(LIBRARY, { brandId }, token);
        expect(codeOf(refused)).toMatchObject({ code });
      }
    } finally {
      ({ brandId, member } = saved);
    }
  });
});
